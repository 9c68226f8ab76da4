//! Speed of exposure queries. Targets (issue 3): one query over all cities
//! under 20 ms on one core; the whole arsenal (every catalogue missile from
//! every facility) under 1 s. Baseline in the same run: a plain pass over the
//! cities computing the spherical distance (the floor of any exact method).

use catalog::Catalog;
use criterion::{criterion_group, criterion_main, Criterion};
use reach::{exposure, exposure_listing, geodesy, Launch, MissileReach, Places, RangeModel};

fn benches(c: &mut Criterion) {
    let cat = Catalog::bundled().expect("catalogue");
    let places = Places::bundled().expect("places");
    let launches: Vec<Launch> = cat
        .facilities
        .iter()
        .map(|f| Launch {
            id: f.id.clone(),
            name: f.name.clone(),
            lat: f.lat,
            lon: f.lon,
        })
        .collect();
    let pyongyang: Vec<Launch> = launches
        .iter()
        .filter(|l| l.id == "pyongyang")
        .cloned()
        .collect();
    let missiles: Vec<MissileReach> = cat
        .missiles
        .iter()
        .map(|m| MissileReach {
            id: m.id.clone(),
            name: m.name.clone(),
            class: m.class.as_str().into(),
            range: RangeModel::Constant(m.range_km_high),
            range_source: "catalogue".into(),
        })
        .collect();
    let h12: Vec<MissileReach> = missiles
        .iter()
        .filter(|m| m.id == "hwasong-12")
        .cloned()
        .collect();
    let nodong: Vec<MissileReach> = missiles
        .iter()
        .filter(|m| m.id == "nodong")
        .cloned()
        .collect();

    let mut g = c.benchmark_group("exposure");
    g.sample_size(20);
    let centre = geodesy::unit_vector(39.2, 125.67);
    g.bench_function("baseline: spherical distance to every city", |b| {
        b.iter(|| {
            (0..places.cities.len())
                .filter(|&i| geodesy::sphere_km(&centre, &places.cities.unit(i)) < 1_300.0)
                .count()
        })
    });
    g.bench_function("nodong from pyongyang", |b| {
        b.iter(|| exposure(places, &pyongyang, &nodong))
    });
    g.bench_function("hwasong-12 from pyongyang", |b| {
        b.iter(|| exposure(places, &pyongyang, &h12))
    });
    g.bench_function(
        "hwasong-12 from pyongyang, listing the 100 most populous",
        |b| b.iter(|| exposure_listing(places, &pyongyang, &h12, |_| true, 100)),
    );
    g.sample_size(10);
    g.bench_function("whole arsenal from every facility", |b| {
        b.iter(|| exposure(places, &launches, &missiles))
    });
    g.finish();
}

criterion_group!(all, benches);
criterion_main!(all);
