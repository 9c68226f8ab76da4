//! Loading the places data (issue 15): the compact columns the build writes,
//! opened in place, against the simple baseline in the same run, parsing the
//! committed `cities.tsv.gz` text into records with owned strings (what
//! every process did before).

use std::io::Read;

use criterion::{criterion_group, criterion_main, Criterion};

const CITIES_GZ: &[u8] = include_bytes!("../../../data/places/cities.tsv.gz");

/// A city as the text parser built it.
#[allow(dead_code)]
struct OwnedCity {
    geonameid: u64,
    name: String,
    country: String,
    feature: String,
    population: u64,
    lat: f64,
    lon: f64,
    unit: [f64; 3],
}

fn parse_text() -> Vec<OwnedCity> {
    let mut text = String::new();
    flate2::read::GzDecoder::new(CITIES_GZ)
        .read_to_string(&mut text)
        .expect("gunzip");
    text.lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let c: Vec<&str> = line.split('\t').collect();
            let lat: f64 = c[5].parse().expect("lat");
            let lon: f64 = c[6].parse().expect("lon");
            OwnedCity {
                geonameid: c[0].parse().expect("id"),
                name: c[1].to_string(),
                country: c[2].to_string(),
                feature: c[3].to_string(),
                population: c[4].parse().expect("population"),
                lat,
                lon,
                unit: reach::geodesy::unit_vector(lat, lon),
            }
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("places");
    g.sample_size(20);
    g.bench_function("baseline: gunzip and parse the text", |b| {
        b.iter(|| parse_text().len())
    });
    g.bench_function("open the embedded columns", |b| {
        b.iter(|| reach::Places::open_embedded_cities().expect("cities").len())
    });
    g.bench_function("open and read every city", |b| {
        b.iter(|| {
            let cities = reach::Places::open_embedded_cities().expect("cities");
            cities.iter().map(|c| c.population).sum::<u64>()
        })
    });
    g.finish();
}

criterion_group!(all, benches);
criterion_main!(all);
