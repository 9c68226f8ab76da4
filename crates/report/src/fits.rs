//! Reconstructing the bundled tests: one test at a time, or every test a
//! request selects, in parallel. The tests document and the history view are
//! both drawn from these fits.

use std::sync::atomic::{AtomicU64, Ordering};

use catalog::{Catalog, FlightOptions, TestLaunch};
use flight::{best_range, fit, Aim, GeoPoint, Observables, TestGeometry};
use rayon::prelude::*;

use crate::flights_request::FlightsRequest;
use crate::Progress;

/// What reconstructing one bundled test gives.
#[derive(Debug, Clone, PartialEq)]
pub struct TestFit {
    /// The catalogue missile whose rocket was flown.
    pub model_missile: String,
    /// Non-rotating standard range, km.
    pub range_km: f64,
    pub dv_scale: f64,
}

/// Reconstructs one test: the non-rotating standard range and the fitted delta-v scale.
pub fn reconstruct_test(cat: &Catalog, t: &TestLaunch) -> Result<TestFit, String> {
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
    let f = fit(&model, &obs, &geom, None).map_err(|e| e.to_string())?;
    let b = best_range(
        &model,
        &Aim {
            rocket: &model.rocket,
            tuning: f.tuning,
            site: geom.site,
            azimuth_deg: 90.0,
            rotating: false,
        },
        None,
    )
    .map_err(|e| e.to_string())?;
    Ok(TestFit {
        model_missile: m.id.clone(),
        range_km: b.range_km,
        dv_scale: f.tuning.dv_scale,
    })
}

/// The tests a request selects and their reconstructions, in database order.
pub struct Fits<'c> {
    pub tests: Vec<(usize, &'c TestLaunch)>,
    pub with_data: usize,
    pub results: Vec<(usize, Result<TestFit, String>)>,
}

/// Selects and reconstructs tests (in parallel).
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
    let todo: Vec<&(usize, &TestLaunch)> = tests
        .iter()
        .filter(|(_, t)| t.apogee_km.is_some() && t.distance_km.is_some())
        .collect();
    let with_data = todo.len();
    let results = if req.no_reconstruct {
        vec![]
    } else {
        progress.start(todo.len() as u64, "fitting");
        let done = AtomicU64::new(0);
        let r: Vec<(usize, Result<TestFit, String>)> = todo
            .par_iter()
            .map(|(i, t)| {
                let r = reconstruct_test(cat, t);
                progress.set(done.fetch_add(1, Ordering::Relaxed) + 1);
                (*i, r)
            })
            .collect();
        progress.finish();
        r
    };
    Fits {
        tests,
        with_data,
        results,
    }
}
