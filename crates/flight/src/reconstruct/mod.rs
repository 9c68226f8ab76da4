//! Reconstruction: from a lofted test's observables to the range the same
//! rocket reaches on a range-maximising trajectory.
//!
//! The nominal rocket of the missile's class fixes the staging, burn times and
//! mass ratios; what the test tells us is fitted on top of it:
//! `dv_scale` (how much delta-v the real missile has compared to the nominal
//! one) and the pitch `kick` (how lofted the test was), plus `burn_scale` when a
//! flight time is known. The fitted rocket is then flown with the kick that
//! maximises ground range, on a non-rotating Earth (the figure experts
//! publish) and toward every azimuth on the rotating Earth.

//!
//! The module is split by what each part is: [`model`] (the observables, the
//! model and how it flies), [`kepler`] (closed forms of the ballistic arc),
//! [`fit`] (reproducing a test) and [`search`] (the range-maximising flights);
//! this file ties them into one reconstruction.

mod fit;
mod kepler;
mod model;
mod search;

use serde::Serialize;

pub use fit::{fit, refit, Fitted, FLIGHT_TIME_CONFLICT_SIGMAS};
pub use kepler::{ballistic_apogee_km, min_energy_apogee_km, MIN_FLIGHT_PATH_DEG};
pub use model::{Aim, Model, Observables, TestGeometry, DEFAULT_FLIGHT_TIME_SIGMA_S};
pub use search::{
    best_range, best_range_near, best_range_toward, payload_for_range, range_by_azimuth,
    range_by_bearing, BestRange, GLOBAL_RANGE_KM,
};

use crate::earth::GeoPoint;
use crate::FlightError;

/// Everything `reconstruct` computes from one test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reconstruction {
    pub fit: Fitted,
    /// Range-maximising flight on a non-rotating Earth.
    pub standard: BestRange,
    /// Range toward each whole degree of azimuth on the rotating Earth.
    pub by_azimuth: Option<Vec<f64>>,
    /// Range-maximising flight on the rotating Earth whose impact lies on
    /// the target's track, and the launch azimuth that puts it there.
    pub toward: Option<(BestRange, f64)>,
    /// (payload kg, non-rotating standard range km) for the same fitted
    /// rocket; the range is [`GLOBAL_RANGE_KM`] when the flight is global.
    pub payload_trade: Vec<(f64, Option<f64>)>,
    /// (range km, the payload kg that brings the non-rotating standard range
    /// down to it), for `Plan::payload_for_ranges_km`.
    pub payload_for_range: Vec<(f64, Option<f64>)>,
    /// The heaviest payload, kg, that still reaches `Plan::toward_distance_km`
    /// along the target's track.
    pub heaviest_payload_toward: Option<f64>,
}

/// What to compute besides the fit.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Launch point for the rotating-Earth figures (all azimuths, and `toward_azimuth_deg`).
    pub sweep_site: Option<GeoPoint>,
    pub toward_azimuth_deg: Option<f64>,
    /// The target's distance, km: with it, the heaviest payload that reaches it.
    pub toward_distance_km: Option<f64>,
    /// Payloads to fly the fitted rocket with, kg.
    pub payloads_kg: Vec<f64>,
    /// Ranges, km, for which to find the payload that brings the standard
    /// range down to them.
    pub payload_for_ranges_km: Vec<f64>,
}

/// Fits a test and flies the fitted rocket on range-maximising trajectories.
pub fn reconstruct(
    model: &Model,
    obs: &Observables,
    geom: &TestGeometry,
    plan: &Plan,
) -> Result<Reconstruction, FlightError> {
    let fitted = fit(model, obs, geom, None)?;
    let rocket = &model.rocket;
    let standard = best_range(
        model,
        &Aim {
            rocket,
            tuning: fitted.tuning,
            site: geom.site,
            azimuth_deg: 90.0,
            rotating: false,
        },
        None,
    )?;
    let by_azimuth = match plan.sweep_site {
        Some(site) => Some(range_by_azimuth(
            model,
            rocket,
            fitted.tuning,
            site,
            standard.kick_deg,
        )?),
        None => None,
    };
    let toward = match (plan.sweep_site, plan.toward_azimuth_deg) {
        (Some(site), Some(az)) => Some(best_range_toward(
            model,
            &Aim {
                rocket,
                tuning: fitted.tuning,
                site,
                azimuth_deg: az,
                rotating: true,
            },
            az,
            Some(standard.kick_deg),
        )?),
        _ => None,
    };
    let heaviest_payload_toward = match (plan.sweep_site, &toward, plan.toward_distance_km) {
        (Some(site), Some((_, launch_az)), Some(d)) => payload_for_range(
            model,
            &Aim {
                rocket,
                tuning: fitted.tuning,
                site,
                azimuth_deg: *launch_az,
                rotating: true,
            },
            d,
            Some(standard.kick_deg),
        ),
        _ => None,
    };
    let standard_aim = Aim {
        rocket,
        tuning: fitted.tuning,
        site: geom.site,
        azimuth_deg: 90.0,
        rotating: false,
    };
    let payload_for_range = plan
        .payload_for_ranges_km
        .iter()
        .map(|&km| {
            (
                km,
                payload_for_range(model, &standard_aim, km, Some(standard.kick_deg)),
            )
        })
        .collect();
    let payload_trade = plan
        .payloads_kg
        .iter()
        .map(|&p| {
            let r = rocket.with_payload(p);
            let aim = Aim {
                rocket: &r,
                tuning: fitted.tuning,
                site: geom.site,
                azimuth_deg: 90.0,
                rotating: false,
            };
            let range = best_range(model, &aim, Some(standard.kick_deg))
                .ok()
                .map(|b| b.range_km);
            (p, range)
        })
        .collect();
    Ok(Reconstruction {
        fit: fitted,
        standard,
        by_azimuth,
        toward,
        payload_trade,
        payload_for_range,
        heaviest_payload_toward,
    })
}
