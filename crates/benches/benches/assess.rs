//! Speed of a full assessment (issue 4 target: under 200 ms for one deal, three
//! stakeholders, every facility, the whole catalogue). Baseline in the same
//! run: parsing the deal alone.

use catalog::Catalog;
use criterion::{criterion_group, criterion_main, Criterion};
use deal::{assess, bundled_stakeholders, parse_deal, threat_table};
use reach::Places;

const DEAL: &str = include_str!("../../../examples/deals/singapore-2018.toml");

fn benches(c: &mut Criterion) {
    let cat = Catalog::bundled().expect("catalogue");
    let places = Places::bundled().expect("places");
    let profiles: Vec<_> = bundled_stakeholders()
        .expect("profiles")
        .into_iter()
        .filter(|s| s.id != "cn")
        .collect();
    let known: Vec<String> = profiles.iter().map(|s| s.id.clone()).collect();
    let mut g = c.benchmark_group("assess");
    g.sample_size(10);
    g.bench_function("baseline: parse the deal", |b| {
        b.iter(|| parse_deal("singapore-2018.toml", DEAL, &known).expect("parses"))
    });
    g.bench_function(
        "singapore-2018, us+jp+kr, all facilities, whole catalogue",
        |b| {
            b.iter(|| {
                let d = parse_deal("singapore-2018.toml", DEAL, &known).expect("parses");
                let mut territories: Vec<String> =
                    profiles.iter().flat_map(|s| s.territory.clone()).collect();
                territories.sort();
                territories.dedup();
                let table = threat_table(cat, places, &territories);
                assess(&d, &profiles, &table)
            })
        },
    );
    g.finish();
}

criterion_group!(all, benches);
criterion_main!(all);
