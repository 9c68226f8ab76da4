//! Builds the compact form of the places data once, at compile time.
//!
//! Why: parsing 130,000 rows of the committed `data/places/cities.tsv.gz`
//! into strings cost about 100 ms of every process that asked who is in
//! reach, far more than the query. The build script reads the committed file
//! (the source of truth, with its citation) and writes columns: GeoNames ids,
//! populations, latitudes and longitudes as they are written in the file
//! (parsed to f64 exactly as the text parser did), country and feature codes
//! as small integers into a code table, and every name in one string table.
//! `places.rs` embeds the result and reads it without parsing text.
//!
//! A row that does not parse fails the build, naming the file and the line.
//!
//! Layout (little endian): b"ALPC", u32 version, u32 n; then n u32 ids, n u64
//! populations, n f64 latitudes, n f64 longitudes, 3n f64 unit vectors (x, y,
//! z of each city), n u16 country codes, n u16
//! feature codes, n+1 u32 name offsets; u32 code count, each code a u8 length
//! and its bytes; then the names' UTF-8 bytes.

use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let src = manifest.join("../../data/places/cities.tsv.gz");
    println!("cargo:rerun-if-changed={}", src.display());
    println!("cargo:rerun-if-changed=build.rs");
    let name = "data/places/cities.tsv.gz";
    let gz = std::fs::read(&src).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut text = String::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_string(&mut text)
        .unwrap_or_else(|e| panic!("{name}: {e}"));

    let mut ids: Vec<u32> = Vec::new();
    let mut pops: Vec<u64> = Vec::new();
    let mut lats: Vec<f64> = Vec::new();
    let mut lons: Vec<f64> = Vec::new();
    let mut countries: Vec<u16> = Vec::new();
    let mut features: Vec<u16> = Vec::new();
    let mut offsets: Vec<u32> = vec![0];
    let mut names: Vec<u8> = Vec::new();
    let mut codes: Vec<String> = Vec::new();
    let mut code_of: HashMap<String, u16> = HashMap::new();
    let mut code = |s: &str, codes: &mut Vec<String>| -> u16 {
        if let Some(&c) = code_of.get(s) {
            return c;
        }
        assert!(s.len() < 256, "{name}: code '{s}' too long");
        let c = u16::try_from(codes.len()).expect("fewer than 65,536 codes");
        codes.push(s.to_string());
        code_of.insert(s.to_string(), c);
        c
    };
    for (i, line) in text.lines().enumerate().skip(1) {
        if line.is_empty() {
            continue;
        }
        let at = i + 1;
        let cols: Vec<&str> = line.split('\t').collect();
        let col = |k: usize| -> &str {
            cols.get(k)
                .copied()
                .unwrap_or_else(|| panic!("{name}:{at}: missing column {}", k + 1))
        };
        let num = |k: usize| -> f64 {
            col(k)
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("{name}:{at}: '{}' is not a number", col(k)))
        };
        ids.push(
            col(0)
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("{name}:{at}: '{}' is not a GeoNames id", col(0))),
        );
        names.extend_from_slice(col(1).as_bytes());
        offsets.push(u32::try_from(names.len()).expect("names under 4 GB"));
        countries.push(code(col(2), &mut codes));
        features.push(code(col(3), &mut codes));
        pops.push(
            col(4)
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("{name}:{at}: '{}' is not a population", col(4))),
        );
        lats.push(num(5));
        lons.push(num(6));
    }

    let n = ids.len();
    let mut out: Vec<u8> = Vec::with_capacity(n * 48 + names.len() + 1024);
    out.extend_from_slice(b"ALPC");
    out.extend_from_slice(&2u32.to_le_bytes());
    out.extend_from_slice(&u32::try_from(n).expect("n").to_le_bytes());
    ids.iter()
        .for_each(|x| out.extend_from_slice(&x.to_le_bytes()));
    pops.iter()
        .for_each(|x| out.extend_from_slice(&x.to_le_bytes()));
    lats.iter()
        .for_each(|x| out.extend_from_slice(&x.to_le_bytes()));
    lons.iter()
        .for_each(|x| out.extend_from_slice(&x.to_le_bytes()));
    // unit vectors on the sphere, by the same formula as `geodesy::unit_vector`
    // (a test checks that the two agree bit for bit)
    for (lat, lon) in lats.iter().zip(&lons) {
        let (sla, cla) = lat.to_radians().sin_cos();
        let (slo, clo) = lon.to_radians().sin_cos();
        for x in [cla * clo, cla * slo, sla] {
            out.extend_from_slice(&x.to_le_bytes());
        }
    }
    countries
        .iter()
        .for_each(|x| out.extend_from_slice(&x.to_le_bytes()));
    features
        .iter()
        .for_each(|x| out.extend_from_slice(&x.to_le_bytes()));
    offsets
        .iter()
        .for_each(|x| out.extend_from_slice(&x.to_le_bytes()));
    out.extend_from_slice(&u32::try_from(codes.len()).expect("codes").to_le_bytes());
    for c in &codes {
        out.push(u8::try_from(c.len()).expect("short code"));
        out.extend_from_slice(c.as_bytes());
    }
    out.extend_from_slice(&names);
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("cities.bin");
    std::fs::write(&dest, out).unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
}
