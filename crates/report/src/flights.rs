//! `flights`: the bundled CNS test database, a reconstruction of every test
//! that reports both apogee and distance, the launch facilities, and (with
//! `reach`) how the arsenal's reach grew.

use catalog::{Catalog, Facility, TestLaunch};
use serde::Serialize;

pub use crate::fits::{fits, reconstruct_test, Fits, TestFit};
pub use crate::flights_request::FlightsRequest;
pub use crate::history::{First, HistoryDoc, Target, YearBest};
use crate::{round, Error, Progress};

/// A test's reconstruction as the document reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum ReconstructionDoc {
    /// A ballistic test fitted: its non-rotating standard range (null and
    /// `global` when the missile can reach any point on Earth).
    Ok {
        model_missile: String,
        standard_range_km: Option<f64>,
        global: bool,
        dv_scale: f64,
    },
    /// A ballistic test the fit did not reproduce, and why.
    Failed { reason: String },
    /// Not fitted (depressed or glide): the test's own distance is a
    /// demonstrated range, a lower bound of what the missile can do.
    LowerBound {
        demonstrated_range_km: f64,
        reason: String,
    },
    /// Not fitted, and why (a failed flight, a space launch, an unknown
    /// missile, a placeholder apogee, no observables).
    NotFitted { reason: String },
}

/// One test of the database.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestRow {
    pub date: String,
    pub time_utc: Option<String>,
    pub series: Option<u32>,
    pub missile: Option<String>,
    pub facility: Option<String>,
    pub apogee_km: Option<f64>,
    pub distance_km: Option<f64>,
    pub bearing_deg: Option<f64>,
    pub outcome: Option<String>,
    pub glide_vehicle: bool,
    /// What kind of flight the record shows, and why.
    pub class: crate::fits::TestClass,
    pub class_reason: String,
    /// None only when not asked (`--no-reconstruct`).
    pub reconstruction: Option<ReconstructionDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlightsSummary {
    pub listed: usize,
    pub with_apogee_and_distance: usize,
    /// Ballistic tests whose fit gave a standard range.
    pub reconstructed: usize,
    /// Ballistic tests whose fit failed (each says why).
    pub failed: usize,
    /// Depressed and glide tests reported with their demonstrated range.
    pub lower_bound: usize,
    /// Tests with apogee and distance by class.
    pub by_class: std::collections::BTreeMap<String, usize>,
}

/// The tests document (the JSON contract of `flights --format json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlightsDoc {
    pub tests: Vec<TestRow>,
    pub summary: FlightsSummary,
    pub assumptions: String,
    pub source: String,
}

/// The facilities document (`flights --facilities --format json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FacilitiesDoc {
    pub facilities: Vec<Facility>,
    pub source: String,
}

/// The bundled launch facilities.
pub fn facilities() -> Result<FacilitiesDoc, Error> {
    Ok(FacilitiesDoc {
        facilities: Catalog::bundled()?.facilities.clone(),
        source: catalog::CNS_CITATION.into(),
    })
}

impl FacilitiesDoc {
    pub fn text(&self, md: bool) -> String {
        let mut s = if md {
            "| id | name | lat | lon |\n|---|---|---|---|\n".to_string()
        } else {
            format!("{:<16} {:<42} {:>10} {:>11}\n", "id", "name", "lat", "lon")
        };
        for f in &self.facilities {
            if md {
                s += &format!("| {} | {} | {:.4} | {:.4} |\n", f.id, f.name, f.lat, f.lon);
            } else {
                s += &format!(
                    "{:<16} {:<42} {:>10.4} {:>11.4}\n",
                    f.id, f.name, f.lat, f.lon
                );
            }
        }
        s += &format!("\nSource: {}\n", self.source);
        s
    }
}

/// The tests document.
pub fn build(req: &FlightsRequest, progress: &dyn Progress) -> Result<FlightsDoc, Error> {
    let cat = Catalog::bundled()?;
    let f = fits(cat, req, progress);
    let rows: Vec<TestRow> = f
        .tests
        .iter()
        // `classes` lists the selected tests in the same order
        .zip(&f.classes)
        .map(|((i, t), (_, class, why))| TestRow {
            date: t.date.clone(),
            time_utc: t.time_utc.clone(),
            series: t.series,
            missile: t.missile.clone(),
            facility: t.facility.clone(),
            apogee_km: t.apogee_km,
            distance_km: t.distance_km,
            bearing_deg: t.bearing_deg,
            outcome: t.outcome.clone(),
            glide_vehicle: t.glide_vehicle,
            class: *class,
            class_reason: why.clone(),
            reconstruction: (!req.no_reconstruct).then(|| {
                match f.results.iter().find(|(j, _)| j == i).map(|(_, r)| r) {
                    Some(Ok(fit)) => ReconstructionDoc::Ok {
                        model_missile: fit.model_missile.clone(),
                        standard_range_km: (!fit.global).then(|| round(fit.range_km, 1)),
                        global: fit.global,
                        dv_scale: round(fit.dv_scale, 4),
                    },
                    Some(Err(e)) => ReconstructionDoc::Failed { reason: e.clone() },
                    None => match t.distance_km {
                        Some(d) if class.demonstrates_range() => ReconstructionDoc::LowerBound {
                            demonstrated_range_km: d,
                            reason: why.clone(),
                        },
                        _ => ReconstructionDoc::NotFitted {
                            reason: why.clone(),
                        },
                    },
                }
            }),
        })
        .collect();
    let ok = f.results.iter().filter(|(_, r)| r.is_ok()).count();
    let lower_bound = rows
        .iter()
        .filter(|r| matches!(r.reconstruction, Some(ReconstructionDoc::LowerBound { .. })))
        .count();
    let mut by_class = std::collections::BTreeMap::new();
    for r in rows
        .iter()
        .filter(|r| r.apogee_km.is_some() && r.distance_km.is_some())
    {
        *by_class.entry(r.class.as_str().to_string()).or_insert(0) += 1;
    }
    Ok(FlightsDoc {
        tests: rows,
        summary: FlightsSummary {
            listed: f.tests.len(),
            with_apogee_and_distance: f.with_data,
            reconstructed: ok,
            failed: f.results.len() - ok,
            lower_bound,
            by_class,
        },
        assumptions: "each test is fitted with the rocket of its catalogue missile (data/test_missile_aliases.csv, data/rockets.csv), on the rotating Earth from its facility along its bearing (90 deg where none is recorded), without a flight time; the standard range is the non-rotating range-maximising flight".into(),
        source: catalog::CNS_CITATION.into(),
    })
}

/// How the arsenal's reach grew, and the SVG chart of it.
pub fn history(
    req: &FlightsRequest,
    progress: &dyn Progress,
) -> Result<(HistoryDoc, String), Error> {
    let cat = Catalog::bundled()?;
    let places = reach::Places::bundled()?;
    let f = fits(cat, req, progress);
    let ok: Vec<(&TestLaunch, &TestFit)> = f
        .results
        .iter()
        .filter_map(|(i, r)| r.as_ref().ok().map(|fit| (&cat.tests[*i], fit)))
        .collect();
    let mut left_out = std::collections::BTreeMap::new();
    for (i, class, _) in &f.classes {
        let t = &cat.tests[*i];
        if t.apogee_km.is_none() || t.distance_km.is_none() {
            continue;
        }
        let why = match f.results.iter().find(|(j, _)| j == i).map(|(_, r)| r) {
            Some(Ok(_))
                if t.facility
                    .as_deref()
                    .and_then(|id| cat.facility(id))
                    .is_none() =>
            {
                "no launch facility on record (its reach cannot be placed)".to_string()
            }
            Some(Ok(_)) => continue,
            Some(Err(_)) => "fit failed".to_string(),
            None if class.demonstrates_range() => {
                format!("{} (a demonstrated range only)", class.as_str())
            }
            None => class.as_str().to_string(),
        };
        *left_out.entry(why).or_insert(0) += 1;
    }
    let (mut doc, svg) = crate::history::history(cat, places, &ok, &left_out);
    doc.tests_reconstructed = ok.len();
    doc.tests_with_apogee_and_distance = f.with_data;
    doc.left_out = left_out;
    Ok((doc, svg))
}

impl FlightsDoc {
    pub fn text(&self, md: bool) -> String {
        let mut s = String::new();
        if md {
            s += "| date | missile | facility | apogee km | distance km | class | standard range km | why |\n|---|---|---|---|---|---|---|---|\n";
        } else {
            s += &format!(
                "{:<11} {:<20} {:<16} {:>9} {:>11}  {:<18} {:>17}  {}\n",
                "date",
                "missile",
                "facility",
                "apogee km",
                "distance km",
                "class",
                "standard range km",
                "why"
            );
        }
        let f = |v: Option<f64>| v.map_or("-".to_string(), |x| format!("{x:.0}"));
        for r in &self.tests {
            let (range, why) = match &r.reconstruction {
                None => ("-".to_string(), String::new()),
                Some(ReconstructionDoc::Ok {
                    standard_range_km,
                    global,
                    ..
                }) => (
                    if *global {
                        "global".to_string()
                    } else {
                        f(*standard_range_km)
                    },
                    String::new(),
                ),
                Some(ReconstructionDoc::Failed { reason }) => {
                    ("fit failed".to_string(), reason.clone())
                }
                Some(ReconstructionDoc::LowerBound {
                    demonstrated_range_km,
                    ..
                }) => (
                    format!(">= {demonstrated_range_km:.0}"),
                    "demonstrated range only (a lower bound)".to_string(),
                ),
                Some(ReconstructionDoc::NotFitted { reason }) => ("-".to_string(), reason.clone()),
            };
            let cells = [
                r.date.clone(),
                r.missile.clone().unwrap_or_else(|| "unknown".into()),
                r.facility.clone().unwrap_or_else(|| "unknown".into()),
                f(r.apogee_km),
                f(r.distance_km),
                r.class.as_str().to_string(),
                range,
                why,
            ];
            if md {
                s += &format!("| {} |\n", cells.map(|c| c.replace('|', "\\|")).join(" | "));
            } else {
                s += &format!(
                    "{:<11} {:<20} {:<16} {:>9} {:>11}  {:<18} {:>17}  {}\n",
                    cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6], cells[7]
                );
            }
        }
        let classes: Vec<String> = self
            .summary
            .by_class
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect();
        s += &format!(
            "\n{} tests listed; {} with apogee and distance ({}): {} reconstructed, {} with a demonstrated range only, {} fits failed.\nSource: {}\n",
            self.summary.listed,
            self.summary.with_apogee_and_distance,
            classes.join(", "),
            self.summary.reconstructed,
            self.summary.lower_bound,
            self.summary.failed,
            self.source
        );
        s
    }
}
