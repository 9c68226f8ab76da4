//! Reconstructing the bundled tests: one test at a time, or every test a
//! request selects, in parallel. The tests document and the history view are
//! both drawn from these fits.

use std::sync::atomic::{AtomicU64, Ordering};

use catalog::{Catalog, FlightOptions, TestLaunch};
use flight::{best_range, fit, Aim, BestRange, Fitted, GeoPoint, Model, Observables, TestGeometry};
use std::sync::Arc;

use rayon::prelude::*;

use crate::flights_request::FlightsRequest;
use crate::Progress;

/// What kind of flight a test was, read from its record before any fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TestClass {
    /// Apogee above 1.3 times the minimum-energy apogee for its range.
    Lofted,
    /// Apogee within 0.7-1.3 times the minimum-energy apogee.
    Standard,
    /// Apogee below 0.7 times the minimum-energy apogee: a flat trajectory no
    /// ballistic arc of this model reproduces.
    Depressed,
    /// A flagged glide vehicle, or a manoeuvring re-entry.
    Glide,
    /// A satellite launch.
    SpaceLaunch,
    /// The flight failed: its apogee and distance say nothing of the missile.
    FailedFlight,
    /// The missile is not identified, or no catalogue missile stands for it.
    UnknownMissile,
    /// An apogee of exactly 150 km, which the source records for tests of
    /// several missiles whatever their distance: likely a placeholder.
    PlaceholderApogee,
    /// No apogee or no distance reported.
    NoObservables,
}

impl TestClass {
    pub fn as_str(self) -> &'static str {
        match self {
            TestClass::Lofted => "lofted",
            TestClass::Standard => "standard",
            TestClass::Depressed => "depressed",
            TestClass::Glide => "glide",
            TestClass::SpaceLaunch => "space launch",
            TestClass::FailedFlight => "failed flight",
            TestClass::UnknownMissile => "unknown missile",
            TestClass::PlaceholderApogee => "placeholder apogee",
            TestClass::NoObservables => "no apogee and distance",
        }
    }

    /// Whether a ballistic fit is made for tests of this class.
    pub fn is_fitted(self) -> bool {
        matches!(self, TestClass::Lofted | TestClass::Standard)
    }

    /// Whether the test's own distance is a demonstrated range (a lower bound
    /// of what the missile can do).
    pub fn demonstrates_range(self) -> bool {
        matches!(
            self,
            TestClass::Lofted | TestClass::Standard | TestClass::Depressed | TestClass::Glide
        )
    }
}

/// Classifies a test from its record, with the reason in words.
pub fn classify(cat: &Catalog, t: &TestLaunch) -> (TestClass, String) {
    let mid = t.missile.as_deref().unwrap_or("unknown");
    if let Some(l) = cat.space_launcher(mid) {
        return (
            TestClass::SpaceLaunch,
            format!(
                "{} is a satellite launcher ({} stages{}; data/space_launchers.csv): no ballistic reconstruction",
                l.name,
                l.stages,
                if l.first_orbit.is_empty() {
                    String::new()
                } else {
                    format!(", first in orbit {}", l.first_orbit)
                }
            ),
        );
    }
    if t.outcome.as_deref() == Some("failure") {
        return (
            TestClass::FailedFlight,
            "the flight failed (CNS outcome): its apogee and distance are not the missile's".into(),
        );
    }
    let (Some(ap), Some(d)) = (t.apogee_km, t.distance_km) else {
        return (
            TestClass::NoObservables,
            "no apogee and distance reported".into(),
        );
    };
    if t.missile.is_none() || mid == "unknown" {
        return (
            TestClass::UnknownMissile,
            "the missile is not identified in the source".into(),
        );
    }
    if cat.catalog_id_for_test(mid).is_none() {
        return (
            TestClass::UnknownMissile,
            format!("no catalogue missile stands for '{mid}'"),
        );
    }
    if ap == 150.0 {
        return (
            TestClass::PlaceholderApogee,
            format!("an apogee of exactly 150 km over {d:.0} km: the source records it for tests of several missiles, likely a placeholder"),
        );
    }
    if t.glide_vehicle {
        return (
            TestClass::Glide,
            format!("a flagged glide vehicle: no ballistic fit; its {d:.0} km is a demonstrated range, a lower bound"),
        );
    }
    let ratio = ap / flight::min_energy_apogee_km(d);
    if ratio < 0.7 {
        (
            TestClass::Depressed,
            format!("depressed: apogee {ap:.0} km is {ratio:.2} of the minimum-energy apogee for {d:.0} km; no ballistic fit, its {d:.0} km is a demonstrated range, a lower bound"),
        )
    } else if ratio > 1.3 {
        (
            TestClass::Lofted,
            format!("lofted: apogee {ratio:.2} of the minimum-energy apogee"),
        )
    } else {
        (
            TestClass::Standard,
            format!("near-standard: apogee {ratio:.2} of the minimum-energy apogee"),
        )
    }
}

/// What reconstructing one bundled test gives.
#[derive(Debug, Clone, PartialEq)]
pub struct TestFit {
    /// The catalogue missile whose rocket was flown.
    pub model_missile: String,
    /// Non-rotating standard range, km ([`flight::GLOBAL_RANGE_KM`] when global).
    pub range_km: f64,
    /// The flight goes into orbit or past the antipode: any point on Earth.
    pub global: bool,
    pub dv_scale: f64,
}

/// A bundled test made ready to fit: the rocket of the catalogue missile
/// that stands for it, its observables and its geometry.
#[derive(Debug, Clone)]
pub struct TestSetup {
    pub model_missile: String,
    pub model: Model,
    pub obs: Observables,
    pub geom: TestGeometry,
}

/// A bundled test fitted, with its non-rotating standard range.
#[derive(Debug, Clone)]
pub struct FullFit {
    pub setup: TestSetup,
    pub fitted: Fitted,
    pub standard: BestRange,
}

impl FullFit {
    pub fn summary(&self) -> TestFit {
        TestFit {
            model_missile: self.setup.model_missile.clone(),
            range_km: self.standard.range_km,
            global: self.standard.global,
            dv_scale: self.fitted.tuning.dv_scale,
        }
    }
}

impl TestSetup {
    /// The non-rotating standard range of this rocket with a tuning (the
    /// figure experts publish), from an optional kick to start the search at.
    pub fn standard_range(
        &self,
        tuning: flight::Tuning,
        hint: Option<f64>,
    ) -> Result<BestRange, String> {
        best_range(
            &self.model,
            &Aim {
                rocket: &self.model.rocket,
                tuning,
                site: self.geom.site,
                azimuth_deg: 90.0,
                rotating: false,
            },
            hint,
        )
        .map_err(|e| e.to_string())
    }
}

/// The model, observables and geometry of a bundled test.
pub fn test_setup(cat: &Catalog, t: &TestLaunch) -> Result<TestSetup, String> {
    let (Some(ap), Some(d)) = (t.apogee_km, t.distance_km) else {
        return Err("no apogee and distance reported".into());
    };
    let mid = t.missile.as_deref().ok_or("missile unknown")?;
    let m = cat
        .catalog_id_for_test(mid)
        .ok_or_else(|| format!("no catalogue missile stands for '{mid}'"))?;
    let model = cat
        .missile_model(m, FlightOptions::default())
        .ok_or_else(|| format!("no rocket assumption for missile {}", m.id))?
        .model;
    let obs = Observables {
        apogee_km: ap,
        range_km: d,
        flight_time_s: None,
        flight_time_sigma_s: flight::DEFAULT_FLIGHT_TIME_SIGMA_S,
    };
    let site = t.facility.as_deref().and_then(|f| cat.facility(f));
    let geom = match site {
        Some(f) => TestGeometry {
            site: GeoPoint {
                lat_deg: f.lat,
                lon_deg: f.lon,
            },
            bearing_deg: t.bearing_deg.unwrap_or(90.0),
            rotating: true,
        },
        None => TestGeometry {
            site: GeoPoint {
                lat_deg: 0.0,
                lon_deg: 0.0,
            },
            bearing_deg: 90.0,
            rotating: false,
        },
    };
    Ok(TestSetup {
        model_missile: m.id.clone(),
        model,
        obs,
        geom,
    })
}

/// Fits a bundled test and flies the fitted rocket to its non-rotating standard range.
pub fn fit_test(cat: &Catalog, t: &TestLaunch) -> Result<FullFit, String> {
    let setup = test_setup(cat, t)?;
    let fitted = fit(&setup.model, &setup.obs, &setup.geom, None).map_err(|e| e.to_string())?;
    let standard = setup.standard_range(fitted.tuning, None)?;
    Ok(FullFit {
        setup,
        fitted,
        standard,
    })
}

/// Reconstructs one test: the non-rotating standard range and the fitted delta-v scale.
pub fn reconstruct_test(cat: &Catalog, t: &TestLaunch) -> Result<TestFit, String> {
    fit_test(cat, t).map(|f| f.summary())
}

type FitCache = std::sync::Mutex<std::collections::HashMap<String, Result<Arc<FullFit>, String>>>;

fn fit_cache() -> &'static FitCache {
    static C: std::sync::OnceLock<FitCache> = std::sync::OnceLock::new();
    C.get_or_init(Default::default)
}

pub(crate) fn clear_fit_cache() {
    if let Ok(mut c) = fit_cache().lock() {
        c.clear();
    }
}

/// Identical observations (salvos) are one fit.
pub(crate) fn test_key(t: &TestLaunch) -> String {
    format!(
        "{:?} {:?} {:?} {:?} {:?}",
        t.missile, t.facility, t.bearing_deg, t.apogee_km, t.distance_km
    )
}

/// Fits a bundled test once per process (the reach of the demonstrated basis
/// and the history view fly the same fits again).
pub(crate) fn cached_fit(cat: &Catalog, t: &TestLaunch) -> Result<Arc<FullFit>, String> {
    let key = test_key(t);
    if let Some(r) = fit_cache().lock().ok().and_then(|c| c.get(&key).cloned()) {
        return r;
    }
    let r = fit_test(cat, t).map(Arc::new);
    if let Ok(mut c) = fit_cache().lock() {
        c.insert(key, r.clone());
    }
    r
}

/// The tests a request selects, each test's class, and the reconstructions
/// of the fitted classes, in database order.
pub struct Fits<'c> {
    pub tests: Vec<(usize, &'c TestLaunch)>,
    pub with_data: usize,
    /// (test index, class, reason) for every selected test.
    pub classes: Vec<(usize, TestClass, String)>,
    pub results: Vec<(usize, Result<TestFit, String>)>,
}

/// Selects, classifies and reconstructs tests (in parallel; a set of
/// identical observations from one site is fitted once).
pub fn fits<'c>(cat: &'c Catalog, req: &FlightsRequest, progress: &dyn Progress) -> Fits<'c> {
    let tests: Vec<(usize, &TestLaunch)> = cat
        .tests
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            req.missile
                .as_deref()
                .is_none_or(|m| t.missile.as_deref() == Some(m))
        })
        .filter(|(_, t)| req.year.is_none_or(|y| t.date.starts_with(&y.to_string())))
        .collect();
    let with_data = tests
        .iter()
        .filter(|(_, t)| t.apogee_km.is_some() && t.distance_km.is_some())
        .count();
    let classes: Vec<(usize, TestClass, String)> = tests
        .iter()
        .map(|(i, t)| {
            let (c, why) = classify(cat, t);
            (*i, c, why)
        })
        .collect();
    let todo: Vec<(usize, &TestLaunch)> = if req.no_reconstruct {
        vec![]
    } else {
        classes
            .iter()
            .filter(|(_, c, _)| c.is_fitted())
            .map(|(i, _, _)| (*i, &cat.tests[*i]))
            .collect()
    };
    // identical observations (the same missile, site, bearing, apogee and
    // distance: salvos) are fitted once
    let key = test_key;
    let mut unique: std::collections::HashMap<String, &TestLaunch> = Default::default();
    for (_, t) in &todo {
        unique.entry(key(t)).or_insert(t);
    }
    progress.start(unique.len() as u64, "fitting");
    let done = AtomicU64::new(0);
    let fitted: std::collections::HashMap<String, Result<TestFit, String>> = unique
        .into_par_iter()
        .map(|(k, t)| {
            // through the process cache: `flights --reach` flies these fits again
            let r = cached_fit(cat, t).map(|f| f.summary());
            progress.set(done.fetch_add(1, Ordering::Relaxed) + 1);
            (k, r)
        })
        .collect();
    progress.finish();
    let results = todo
        .iter()
        .map(|(i, t)| {
            let r = fitted
                .get(&key(t))
                .cloned()
                .unwrap_or_else(|| Err("not fitted".into()));
            (*i, r)
        })
        .collect();
    Fits {
        tests,
        with_data,
        classes,
        results,
    }
}
