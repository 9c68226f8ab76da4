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
    Ok {
        model_missile: String,
        standard_range_km: f64,
        dv_scale: f64,
    },
    Failed {
        reason: String,
    },
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
    /// None when the test was not reconstructed (no apogee and distance, or not asked).
    pub reconstruction: Option<ReconstructionDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlightsSummary {
    pub listed: usize,
    pub with_apogee_and_distance: usize,
    pub reconstructed: usize,
    pub failed: usize,
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
        .map(|(i, t)| TestRow {
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
            reconstruction: f
                .results
                .iter()
                .find(|(j, _)| j == i)
                .map(|(_, r)| match r {
                    Ok(fit) => ReconstructionDoc::Ok {
                        model_missile: fit.model_missile.clone(),
                        standard_range_km: round(fit.range_km, 1),
                        dv_scale: round(fit.dv_scale, 4),
                    },
                    Err(e) => ReconstructionDoc::Failed { reason: e.clone() },
                }),
        })
        .collect();
    let ok = f.results.iter().filter(|(_, r)| r.is_ok()).count();
    Ok(FlightsDoc {
        tests: rows,
        summary: FlightsSummary {
            listed: f.tests.len(),
            with_apogee_and_distance: f.with_data,
            reconstructed: ok,
            failed: f.results.len() - ok,
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
    let (mut doc, svg) = crate::history::history(cat, places, &ok);
    doc.tests_reconstructed = ok.len();
    doc.tests_with_apogee_and_distance = f.with_data;
    Ok((doc, svg))
}

impl FlightsDoc {
    pub fn text(&self, md: bool) -> String {
        let mut s = String::new();
        if md {
            s += "| date | missile | facility | apogee km | distance km | standard range km |\n|---|---|---|---|---|---|\n";
        } else {
            s += &format!(
                "{:<11} {:<22} {:<18} {:>9} {:>11} {:>18}\n",
                "date", "missile", "facility", "apogee km", "distance km", "standard range km"
            );
        }
        let f = |v: Option<f64>| v.map_or("-".to_string(), |x| format!("{x:.0}"));
        for r in &self.tests {
            let range = match &r.reconstruction {
                None => "-".to_string(),
                Some(ReconstructionDoc::Ok {
                    standard_range_km, ..
                }) => f(Some(*standard_range_km)),
                Some(ReconstructionDoc::Failed { .. }) => "fit failed".to_string(),
            };
            let cells = [
                r.date.clone(),
                r.missile.clone().unwrap_or_else(|| "unknown".into()),
                r.facility.clone().unwrap_or_else(|| "unknown".into()),
                f(r.apogee_km),
                f(r.distance_km),
                range,
            ];
            if md {
                s += &format!("| {} |\n", cells.join(" | "));
            } else {
                s += &format!(
                    "{:<11} {:<22} {:<18} {:>9} {:>11} {:>18}\n",
                    cells[0], cells[1], cells[2], cells[3], cells[4], cells[5]
                );
            }
        }
        s += &format!(
            "\n{} tests listed; {} with apogee and distance, {} reconstructed.\nSource: {}\n",
            self.summary.listed,
            self.summary.with_apogee_and_distance,
            self.summary.reconstructed,
            self.source
        );
        s
    }
}
