//! # catalog
//!
//! The sourced data allylens ships with, embedded in the binary: North Korean
//! launch facilities, the missile catalogue, the CNS test database, the public
//! reference flights, and the nominal rocket assumed for each missile.
//!
//! Why a crate of its own: every number a report quotes must say where it came
//! from, so the data and its citations travel together, and the physics crate
//! stays free of files. The CSV files live in `data/` at the workspace root
//! (see `data/README.md` for sources and licences).

mod model;

use std::sync::OnceLock;

pub use model::{
    FlightOptions, MissileModel, BODY_CD, BURN_SCALE_BOUNDS, KICK_S, RV_BETA, VERTICAL_S,
};

use flight::{Rocket, Stage};
use serde::{Deserialize, Serialize};

const FACILITIES: &str = include_str!("../../../data/launch_facilities.csv");
const MISSILES: &str = include_str!("../../../data/missile_catalog.csv");
const TESTS: &str = include_str!("../../../data/missile_tests.csv");
const REFERENCE: &str = include_str!("../../../data/reference_flights.csv");
const ROCKETS: &str = include_str!("../../../data/rockets.csv");
const ALIASES: &str = include_str!("../../../data/test_missile_aliases.csv");
const CAPITALS: &str = include_str!("../../../data/capitals.csv");
const SPACE_LAUNCHERS: &str = include_str!("../../../data/space_launchers.csv");

/// The citation for facilities and tests.
pub const CNS_CITATION: &str = "CNS North Korea Missile Test Database (James Martin Center for Nonproliferation Studies, NTI); coordinates via the open nagix/nk-missile-tests dataset";

/// A bundled data file failed to parse (a build-time defect, reported not hidden).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CatalogError {
    #[error("bundled data file {file}, record {record}: {message}")]
    Parse {
        file: &'static str,
        record: usize,
        message: String,
    },
}

/// A launch facility.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Facility {
    pub id: String,
    pub name: String,
    #[serde(rename = "latitude")]
    pub lat: f64,
    #[serde(rename = "longitude")]
    pub lon: f64,
}

/// Range class by published range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum MissileClass {
    SRBM,
    MRBM,
    IRBM,
    ICBM,
}

impl MissileClass {
    /// Every class, shortest range first: the one list of the class vocabulary.
    pub const ALL: [MissileClass; 4] = [
        MissileClass::SRBM,
        MissileClass::MRBM,
        MissileClass::IRBM,
        MissileClass::ICBM,
    ];

    /// Reads a class name in any case ("icbm", "ICBM"); None for anything else.
    pub fn parse(s: &str) -> Option<MissileClass> {
        let u = s.trim().to_ascii_uppercase();
        MissileClass::ALL.into_iter().find(|c| c.as_str() == u)
    }

    /// The class a lofted test's apogee suggests when the missile is not
    /// named (a rule of thumb of this project: an ICBM lofted to over
    /// 2,500 km, an IRBM to 900-2,500 km, an MRBM to 250-900 km).
    pub fn from_lofted_apogee_km(apogee_km: f64) -> MissileClass {
        match apogee_km {
            a if a > 2_500.0 => MissileClass::ICBM,
            a if a > 900.0 => MissileClass::IRBM,
            a if a > 250.0 => MissileClass::MRBM,
            _ => MissileClass::SRBM,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MissileClass::SRBM => "SRBM",
            MissileClass::MRBM => "MRBM",
            MissileClass::IRBM => "IRBM",
            MissileClass::ICBM => "ICBM",
        }
    }
    /// The catalogue missile whose rocket stands for the class when none is named.
    pub fn representative(self) -> &'static str {
        match self {
            MissileClass::SRBM => "scud-c",
            MissileClass::MRBM => "nodong",
            MissileClass::IRBM => "hwasong-12",
            MissileClass::ICBM => "hwasong-15",
        }
    }
}

/// A catalogue entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Missile {
    pub id: String,
    pub name: String,
    pub aliases: String,
    pub class: MissileClass,
    pub range_km_low: f64,
    pub range_km_high: f64,
    pub payload_kg: Option<f64>,
    pub source: String,
}

/// One launch in the CNS database. Missing values are None ("unknown" in the file).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestLaunch {
    pub date: String,
    pub time_utc: Option<String>,
    /// Salvo number within the day, when recorded.
    pub series: Option<u32>,
    pub missile: Option<String>,
    pub facility: Option<String>,
    pub landing: Option<String>,
    pub apogee_km: Option<f64>,
    pub distance_km: Option<f64>,
    pub bearing_deg: Option<f64>,
    pub outcome: Option<String>,
    pub glide_vehicle: bool,
}

/// A public calibration case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferenceFlight {
    pub test: String,
    pub date: String,
    pub facility: Option<String>,
    pub bearing_deg: Option<f64>,
    pub apogee_km: Option<f64>,
    pub ground_range_km: Option<f64>,
    pub flight_time_s: Option<f64>,
    pub trajectory: String,
    pub expert_range_km: Option<f64>,
    /// How to read the expert figure: `about` (within 10 %), `at-least`
    /// (a lower bound), or `band` (from `expert_range_km` to `expert_high_km`).
    pub expert_kind: Option<String>,
    pub expert_high_km: Option<f64>,
    /// `calibration` (a rocket assumption was set on it) or `holdout` (never tuned on).
    pub split: String,
    pub expert_note: String,
    pub source: String,
}

/// A city used for labels and checks (not for exposure counts).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Capital {
    pub name: String,
    pub country: String,
    pub lat: f64,
    pub lon: f64,
    pub coord_source: String,
}

#[derive(Deserialize)]
struct CapitalRow {
    name: String,
    country: String,
    latitude: String,
    longitude: String,
    coord_source: String,
}

/// The propellant of a rocket's first stage: it sets the band of lift-off
/// thrust-to-weight the burn times may be fitted within.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Propulsion {
    Liquid,
    /// A strategic solid motor (multi-stage, long burn).
    Solid,
    /// A short-range solid motor (a short, hard burn).
    SolidTactical,
}

impl Propulsion {
    pub fn as_str(self) -> &'static str {
        match self {
            Propulsion::Liquid => "liquid",
            Propulsion::Solid => "solid",
            Propulsion::SolidTactical => "solid-tactical",
        }
    }

    /// Typical lift-off thrust-to-weight of ballistic missiles of this kind
    /// (an assumption of this project, stated with every reconstruction):
    /// liquids about 1.8-2.5, strategic solids about 2-3, short-range solids
    /// (Iskander-like) about 3.5-6.
    pub fn liftoff_thrust_to_weight_band(self) -> (f64, f64) {
        match self {
            Propulsion::Liquid => (1.8, 2.5),
            Propulsion::Solid => (2.0, 3.0),
            Propulsion::SolidTactical => (3.5, 6.0),
        }
    }

    /// The spread of the prior on ln(burn-time scale): the band taken as
    /// plus or minus two standard deviations (thrust goes as 1/burn time).
    pub fn burn_prior_ln_sigma(self) -> f64 {
        let (lo, hi) = self.liftoff_thrust_to_weight_band();
        (hi / lo).ln() / 4.0
    }
}

/// A satellite launcher of the test database. Kept apart from the missile
/// catalogue: a launcher is no weapon class of the arsenal a deal covers, but
/// its tests are part of the record and its stages are kin to the missiles'.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpaceLauncher {
    pub id: String,
    pub name: String,
    /// Other ids the test database uses for it, `;`-separated.
    pub aliases: String,
    pub stages: u32,
    /// The date it first put a satellite into orbit ("" if never).
    pub first_orbit: String,
    pub payload_to_leo_kg: Option<f64>,
    pub launch_site: String,
    pub note: String,
    pub source: String,
}

/// The nominal rocket of a missile and where its numbers come from.
#[derive(Debug, Clone, PartialEq)]
pub struct RocketAssumption {
    pub missile: String,
    pub rocket: Rocket,
    /// The first stage's propellant.
    pub propulsion: Propulsion,
    pub basis: String,
}

/// Everything bundled.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub facilities: Vec<Facility>,
    pub missiles: Vec<Missile>,
    pub tests: Vec<TestLaunch>,
    pub reference_flights: Vec<ReferenceFlight>,
    pub rockets: Vec<RocketAssumption>,
    /// Satellite launchers (not part of the missile catalogue).
    pub space_launchers: Vec<SpaceLauncher>,
    /// (test database missile id, catalogue id)
    pub aliases: Vec<(String, String)>,
    /// Test-database ids of other missiles flown with a catalogue missile's
    /// rocket (a Hwasong-16B flown as a Hwasong-12-class rocket): their tests
    /// are fitted with that rocket but do not show what the catalogue missile
    /// itself has done.
    pub stand_ins: Vec<String>,
    /// Allied and other cities with coordinates (rows without coordinates are left out).
    pub capitals: Vec<Capital>,
}

fn read<T: for<'de> Deserialize<'de>>(
    file: &'static str,
    text: &str,
) -> Result<Vec<T>, CatalogError> {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    rdr.deserialize()
        .enumerate()
        .map(|(i, r)| {
            r.map_err(|e| CatalogError::Parse {
                file,
                record: i + 1,
                message: e.to_string(),
            })
        })
        .collect()
}

fn unknown(s: String) -> Option<String> {
    let t = s.trim();
    (!t.is_empty() && t != "unknown" && t != "na").then(|| t.to_string())
}

fn number(file: &'static str, record: usize, s: &str) -> Result<Option<f64>, CatalogError> {
    match unknown(s.to_string()) {
        None => Ok(None),
        Some(v) => v.parse::<f64>().map(Some).map_err(|e| CatalogError::Parse {
            file,
            record,
            message: format!("'{v}': {e}"),
        }),
    }
}

#[derive(Deserialize)]
struct TestRow {
    date: String,
    time_utc: String,
    series: Option<u32>,
    missile: String,
    facility: String,
    landing: String,
    apogee_km: String,
    distance_km: String,
    bearing_deg: String,
    outcome: String,
    glide_vehicle: String,
}

#[derive(Deserialize)]
struct ReferenceRow {
    test: String,
    date: String,
    facility: String,
    bearing_deg: String,
    apogee_km: String,
    ground_range_km: String,
    flight_time_s: String,
    trajectory: String,
    expert_range_km: String,
    expert_kind: String,
    expert_high_km: String,
    split: String,
    expert_note: String,
    source: String,
}

#[derive(Deserialize)]
struct RocketRow {
    missile: String,
    stage: usize,
    burn_s: f64,
    isp_s: f64,
    propellant_kg: f64,
    dry_kg: f64,
    payload_kg: f64,
    diameter_m: f64,
    propulsion: Propulsion,
    basis: String,
}

#[derive(Deserialize)]
struct AliasRow {
    test_missile: String,
    catalog_id: String,
    note: String,
}

impl Catalog {
    /// Parses the bundled files.
    pub fn parse() -> Result<Catalog, CatalogError> {
        let facilities: Vec<Facility> = read("launch_facilities.csv", FACILITIES)?;
        let missiles: Vec<Missile> = read("missile_catalog.csv", MISSILES)?;
        let tests = read::<TestRow>("missile_tests.csv", TESTS)?
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let f = "missile_tests.csv";
                Ok(TestLaunch {
                    date: r.date,
                    time_utc: unknown(r.time_utc),
                    series: r.series,
                    missile: unknown(r.missile),
                    facility: unknown(r.facility),
                    landing: unknown(r.landing),
                    apogee_km: number(f, i + 1, &r.apogee_km)?,
                    distance_km: number(f, i + 1, &r.distance_km)?,
                    bearing_deg: number(f, i + 1, &r.bearing_deg)?,
                    outcome: unknown(r.outcome),
                    glide_vehicle: r.glide_vehicle.trim() == "yes",
                })
            })
            .collect::<Result<Vec<_>, CatalogError>>()?;
        let reference_flights = read::<ReferenceRow>("reference_flights.csv", REFERENCE)?
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let f = "reference_flights.csv";
                Ok(ReferenceFlight {
                    test: r.test,
                    date: r.date,
                    facility: unknown(r.facility),
                    bearing_deg: number(f, i + 1, &r.bearing_deg)?,
                    apogee_km: number(f, i + 1, &r.apogee_km)?,
                    ground_range_km: number(f, i + 1, &r.ground_range_km)?,
                    flight_time_s: number(f, i + 1, &r.flight_time_s)?,
                    trajectory: r.trajectory,
                    expert_range_km: number(f, i + 1, &r.expert_range_km)?,
                    expert_kind: match r.expert_kind.trim() {
                        "" | "unknown" => None,
                        k @ ("about" | "at-least" | "band") => Some(k.to_string()),
                        other => {
                            return Err(CatalogError::Parse {
                                file: "reference_flights.csv",
                                record: i + 1,
                                message: format!(
                                    "expert_kind '{other}' is not about, at-least or band"
                                ),
                            })
                        }
                    },
                    expert_high_km: number(f, i + 1, &r.expert_high_km)?,
                    split: r.split,
                    expert_note: r.expert_note,
                    source: r.source,
                })
            })
            .collect::<Result<Vec<_>, CatalogError>>()?;
        let mut rockets: Vec<RocketAssumption> = Vec::new();
        for (i, r) in read::<RocketRow>("rockets.csv", ROCKETS)?
            .into_iter()
            .enumerate()
        {
            let stage = Stage {
                burn_s: r.burn_s,
                isp_s: r.isp_s,
                propellant_kg: r.propellant_kg,
                dry_kg: r.dry_kg,
            };
            match rockets.iter_mut().find(|a| a.missile == r.missile) {
                Some(a) if r.stage == a.rocket.stages.len() + 1 => a.rocket.stages.push(stage),
                None if r.stage == 1 => rockets.push(RocketAssumption {
                    missile: r.missile,
                    rocket: Rocket {
                        stages: vec![stage],
                        payload_kg: r.payload_kg,
                        diameter_m: r.diameter_m,
                    },
                    propulsion: r.propulsion,
                    basis: r.basis,
                }),
                _ => {
                    return Err(CatalogError::Parse {
                        file: "rockets.csv",
                        record: i + 1,
                        message: format!("stage {} of {} is out of order", r.stage, r.missile),
                    })
                }
            }
        }
        for a in &rockets {
            a.rocket.validate().map_err(|e| CatalogError::Parse {
                file: "rockets.csv",
                record: 0,
                message: format!("{}: {e}", a.missile),
            })?;
        }
        let alias_rows = read::<AliasRow>("test_missile_aliases.csv", ALIASES)?;
        // "flown with the X class rocket": another missile, modelled with X's rocket
        let stand_ins = alias_rows
            .iter()
            .filter(|a| a.note.contains("flown with"))
            .map(|a| a.test_missile.clone())
            .collect();
        let aliases = alias_rows
            .into_iter()
            .map(|a| (a.test_missile, a.catalog_id))
            .collect();
        let mut capitals = Vec::new();
        for (i, r) in read::<CapitalRow>("capitals.csv", CAPITALS)?
            .into_iter()
            .enumerate()
        {
            let f = "capitals.csv";
            if let (Some(lat), Some(lon)) = (
                number(f, i + 1, &r.latitude)?,
                number(f, i + 1, &r.longitude)?,
            ) {
                capitals.push(Capital {
                    name: r.name,
                    country: r.country,
                    lat,
                    lon,
                    coord_source: r.coord_source,
                });
            }
        }
        let space_launchers: Vec<SpaceLauncher> = read("space_launchers.csv", SPACE_LAUNCHERS)?;
        Ok(Catalog {
            facilities,
            missiles,
            tests,
            reference_flights,
            rockets,
            space_launchers,
            aliases,
            stand_ins,
            capitals,
        })
    }

    /// The bundled catalogue, parsed once.
    pub fn bundled() -> Result<&'static Catalog, CatalogError> {
        static CELL: OnceLock<Result<Catalog, CatalogError>> = OnceLock::new();
        CELL.get_or_init(Catalog::parse)
            .as_ref()
            .map_err(Clone::clone)
    }

    pub fn facility(&self, id: &str) -> Option<&Facility> {
        self.facilities
            .iter()
            .find(|f| f.id.eq_ignore_ascii_case(id))
    }

    /// A catalogue missile by id or by any of its other names (`aliases`:
    /// Rodong, Hwasong-7, KN-17, ...), ignoring case, spaces and hyphens.
    pub fn missile(&self, id: &str) -> Option<&Missile> {
        let key = |s: &str| -> String {
            s.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .map(|c| c.to_ascii_lowercase())
                .collect()
        };
        let want = key(id);
        if want.is_empty() {
            return None;
        }
        self.missiles
            .iter()
            .find(|m| m.id.eq_ignore_ascii_case(id.trim()))
            .or_else(|| self.missiles.iter().find(|m| key(&m.id) == want))
            .or_else(|| {
                self.missiles.iter().find(|m| {
                    m.aliases
                        .split(';')
                        .any(|a| !a.trim().is_empty() && key(a) == want)
                })
            })
    }

    /// The nominal rocket of a catalogue missile, or of its class's representative.
    pub fn rocket_for(&self, missile: &Missile) -> Option<&RocketAssumption> {
        self.rockets
            .iter()
            .find(|r| r.missile == missile.id)
            .or_else(|| {
                self.rockets
                    .iter()
                    .find(|r| r.missile == missile.class.representative())
            })
    }

    /// The satellite launcher a test-database id names, if it is one.
    pub fn space_launcher(&self, test_missile: &str) -> Option<&SpaceLauncher> {
        self.space_launchers.iter().find(|l| {
            l.id.eq_ignore_ascii_case(test_missile)
                || l.aliases
                    .split(';')
                    .any(|a| !a.trim().is_empty() && a.trim().eq_ignore_ascii_case(test_missile))
        })
    }

    /// The tests of the catalogue missile itself (its own id, another name for
    /// it or a variant flown as it; not other missiles flown with its rocket),
    /// in date order.
    pub fn tests_of<'a>(&'a self, missile: &'a Missile) -> impl Iterator<Item = &'a TestLaunch> {
        self.tests.iter().filter(move |t| {
            t.missile.as_deref().is_some_and(|tm| {
                !self.stand_ins.iter().any(|s| s == tm)
                    && self
                        .catalog_id_for_test(tm)
                        .is_some_and(|c| c.id == missile.id)
            })
        })
    }

    /// The date of the missile's first successful flight in the test record
    /// (`data/missile_tests.csv`, CNS North Korea Missile Test Database), as
    /// recorded (YYYY-MM-DD, or YYYY-MM when the day is unknown). None when the
    /// record shows no successful flight. A month-only date sorts before every day of
    /// its month.
    pub fn first_flight<'a>(&'a self, missile: &'a Missile) -> Option<&'a str> {
        self.tests_of(missile)
            .filter(|t| t.outcome.as_deref() == Some("success"))
            .map(|t| t.date.as_str())
            .min()
    }

    /// The catalogue missile standing for a test-database missile id.
    pub fn catalog_id_for_test(&self, test_missile: &str) -> Option<&Missile> {
        self.aliases
            .iter()
            .find(|(t, _)| t == test_missile)
            .and_then(|(_, c)| self.missile(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missiles_are_found_by_their_other_names() {
        let c = cat();
        for (name, id) in [
            ("rodong", "nodong"),
            ("Hwasong-7", "nodong"),
            ("kn-17", "hwasong-12"),
            ("KN-22", "hwasong-15"),
            ("KN22", "hwasong-15"),
            ("hwasong 12", "hwasong-12"),
            ("BM-25", "musudan"),
            ("Hwasong-11A", "kn-23"),
        ] {
            assert_eq!(c.missile(name).map(|m| m.id.as_str()), Some(id), "{name}");
        }
        assert!(c.missile("taepodong-9").is_none());
        assert!(c.missile("-").is_none());
    }

    fn cat() -> &'static Catalog {
        Catalog::bundled().expect("bundled data parses")
    }

    #[test]
    fn bundled_files_parse_with_expected_sizes() {
        let c = cat();
        assert_eq!(c.facilities.len(), 55);
        assert_eq!(c.tests.len(), 339);
        assert_eq!(c.missiles.len(), 16);
        assert_eq!(c.reference_flights.len(), 9);
        assert_eq!(c.space_launchers.len(), 3);
        // every satellite launch of the test record names a launcher of the table
        for t in &c.tests {
            if let Some(m) = t.missile.as_deref() {
                if m.starts_with("unha") || m.starts_with("chollima") {
                    assert!(c.space_launcher(m).is_some(), "{m}");
                }
            }
        }
        assert_eq!(
            c.space_launcher("unha").map(|l| l.id.as_str()),
            Some("unha-2")
        );
        assert!(
            c.missile("chollima-1").is_none(),
            "launchers are not missiles"
        );
    }

    #[test]
    fn every_catalogue_missile_has_a_rocket() {
        let c = cat();
        for m in &c.missiles {
            let r = c.rocket_for(m).expect("rocket");
            assert!(r.rocket.validate().is_ok(), "{}", m.id);
        }
        assert_eq!(
            c.rockets
                .iter()
                .find(|r| r.missile == "hwasong-15")
                .map(|r| r.rocket.stages.len()),
            Some(2)
        );
    }

    #[test]
    fn every_alias_points_into_the_catalogue() {
        let c = cat();
        for (t, id) in &c.aliases {
            assert!(c.missile(id).is_some(), "{t} -> {id}");
        }
    }

    #[test]
    fn facilities_are_in_north_korea() {
        for f in &cat().facilities {
            assert!(
                (37.5..43.1).contains(&f.lat) && (124.0..130.8).contains(&f.lon),
                "{}",
                f.id
            );
        }
        let p = cat().facility("pyongsong").expect("pyongsong");
        assert!((p.lat - 39.282).abs() < 1e-9);
    }

    #[test]
    fn class_representatives_are_of_their_class() {
        for class in [
            MissileClass::SRBM,
            MissileClass::MRBM,
            MissileClass::IRBM,
            MissileClass::ICBM,
        ] {
            let m = cat()
                .missile(class.representative())
                .expect("representative");
            assert_eq!(m.class, class);
        }
    }
}
