//! Speed of the range basis (issue 12). Targets: the demonstrated basis for
//! one missile from one launch point (fit + 360 bearings) under 100 ms; the
//! whole arsenal from every launch facility under 2 s cold and under 200 ms
//! with the reconstructions cached in the process. Baseline in the same run:
//! the catalogue basis for the same missiles and launch points.

use catalog::Catalog;
use criterion::{criterion_group, criterion_main, Criterion};
use deal::arsenal::launch_points;
use reach::Launch;
use report::arsenal::{arsenal, clear_caches, ArsenalSpec, Basis};
use report::NoProgress;

fn benches(c: &mut Criterion) {
    let cat = Catalog::bundled().expect("catalogue");
    let all = launch_points(cat);
    let mupyong: Vec<Launch> = all
        .iter()
        .filter(|l| l.id == "mupyong-ni")
        .cloned()
        .collect();
    let hs14: Vec<&catalog::Missile> = cat
        .missiles
        .iter()
        .filter(|m| m.id == "hwasong-14")
        .collect();
    let every: Vec<&catalog::Missile> = cat.missiles.iter().collect();
    let spec = |basis| ArsenalSpec {
        basis,
        ..Default::default()
    };
    let (catalogue, demonstrated) = (spec(Basis::Catalogue), spec(Basis::Demonstrated));

    let mut g = c.benchmark_group("arsenal");
    g.sample_size(10);
    g.bench_function(
        "baseline: catalogue basis, Hwasong-14 from Mupyong-ni",
        |b| b.iter(|| arsenal(cat, &hs14, &mupyong, &catalogue, &NoProgress).expect("arsenal")),
    );
    g.bench_function("demonstrated, Hwasong-14 from Mupyong-ni, cold", |b| {
        b.iter(|| {
            clear_caches();
            arsenal(cat, &hs14, &mupyong, &demonstrated, &NoProgress).expect("arsenal")
        })
    });
    g.bench_function(
        "baseline: catalogue basis, whole arsenal, every facility",
        |b| b.iter(|| arsenal(cat, &every, &all, &catalogue, &NoProgress).expect("arsenal")),
    );
    g.bench_function("demonstrated, whole arsenal, every facility, cold", |b| {
        b.iter(|| {
            clear_caches();
            arsenal(cat, &every, &all, &demonstrated, &NoProgress).expect("arsenal")
        })
    });
    g.bench_function("demonstrated, whole arsenal, every facility, cached", |b| {
        arsenal(cat, &every, &all, &demonstrated, &NoProgress).expect("warm up");
        b.iter(|| arsenal(cat, &every, &all, &demonstrated, &NoProgress).expect("arsenal"))
    });
    g.finish();
}

criterion_group!(arsenal_benches, benches);
criterion_main!(arsenal_benches);
