//! The range search: the kick of a gravity turn that maximises ground range
//! toward one azimuth (a coarse scan finds the hill, Brent's method climbs
//! it), and the sweep of every whole degree of azimuth.

use serde::Serialize;

use super::model::{Aim, Model};
use crate::earth::{GeoPoint, RADIUS};
use crate::optimize::maximize;
use crate::rocket::{Rocket, Tuning};
use crate::trajectory::Flight;
use crate::FlightError;

/// The best range toward one direction, and the kick that gives it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BestRange {
    /// Ground range, km; [`GLOBAL_RANGE_KM`] when the best flight goes into orbit.
    pub range_km: f64,
    pub kick_deg: f64,
    /// The best flight; None when it goes into orbit.
    pub flight: Option<Flight>,
}

/// Half the circumference of the sphere, km: a range this long reaches every point on Earth.
pub const GLOBAL_RANGE_KM: f64 = std::f64::consts::PI * RADIUS / 1000.0;

const MAX_KICK: f64 = 70.0;

/// The range-maximising kick and range toward one azimuth. `hint` narrows the
/// search to +-3 degrees around a known neighbouring optimum.
pub fn best_range(model: &Model, aim: &Aim, hint: Option<f64>) -> Result<BestRange, FlightError> {
    // an arc that goes into orbit reaches everywhere: count it as half the
    // circumference (the farthest a point on the sphere can be)
    let range = |kick: f64| match model.range_flight(aim, kick) {
        Ok(f) => Some(f.ground_range_km),
        Err(FlightError::NoImpact(_)) => Some(GLOBAL_RANGE_KM),
        Err(_) => None,
    };
    let bracket = match hint {
        Some(h) => Some((h - 2.0, h + 2.0)),
        None => {
            // a coarse scan finds the hill, Brent climbs it
            let grid = [
                0.05, 0.15, 0.3, 0.5, 1.0, 2.0, 3.0, 4.5, 6.0, 8.0, 10.0, 13.0, 16.0, 20.0, 25.0,
                30.0, 37.0, 45.0, 55.0, MAX_KICK,
            ];
            let vals: Vec<f64> = grid
                .iter()
                .map(|&k| range(k).unwrap_or(f64::NEG_INFINITY))
                .collect();
            let (i, v) = vals
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map(|(i, v)| (i, *v))
                .unwrap_or((0, f64::NEG_INFINITY));
            if !v.is_finite() {
                None
            } else {
                Some((grid[i.saturating_sub(1)], grid[(i + 1).min(grid.len() - 1)]))
            }
        }
    };
    let no_flight = || {
        FlightError::NoImpact(
            "no pitch programme flies to an impact (the rocket falls over during its burn)".into(),
        )
    };
    let (a, b) = bracket.ok_or_else(no_flight)?;
    let (lo, hi) = (a.max(0.01), b.min(MAX_KICK));
    let best = maximize(range, lo, hi, 5e-3, 60);
    // no flight in a hinted bracket, or an optimum on its edge: the hint was poor
    let poor = match best {
        None => true,
        Some((kick, _)) => (kick - lo).abs() < 0.01 || (kick - hi).abs() < 0.01,
    };
    if hint.is_some() && poor {
        return best_range(model, aim, None);
    }
    let (kick, _) = best.ok_or_else(no_flight)?;
    let (range_km, flight) = match model.range_flight(aim, kick) {
        Ok(f) => (f.ground_range_km, Some(f)),
        Err(FlightError::NoImpact(_)) => (GLOBAL_RANGE_KM, None),
        Err(e) => return Err(e),
    };
    Ok(BestRange {
        range_km,
        kick_deg: kick,
        flight,
    })
}

/// Range on the rotating Earth toward each whole degree of azimuth, from `site`.
///
/// The range-maximising kick is solved every 12 degrees (each from its
/// neighbour's optimum) and interpolated between them with a periodic cubic;
/// each whole degree is then flown once. Near its optimum the range is flat in
/// the kick, so the interpolation costs under a kilometre (tested) and the
/// sweep about 600 flights instead of 3,000.
pub fn range_by_azimuth(
    model: &Model,
    rocket: &Rocket,
    tuning: Tuning,
    site: GeoPoint,
    hint: f64,
) -> Result<Vec<f64>, FlightError> {
    const STEP: usize = 12;
    let aim = |azimuth_deg: f64| Aim {
        rocket,
        tuning,
        site,
        azimuth_deg,
        rotating: true,
    };
    let nodes = 360 / STEP;
    let mut kicks = Vec::with_capacity(nodes);
    let mut node_ranges = Vec::with_capacity(nodes);
    let mut ranges = vec![0.0; 360];
    let mut h = hint;
    for i in 0..nodes {
        let b = best_range(model, &aim((i * STEP) as f64), Some(h))?;
        h = b.kick_deg;
        kicks.push(b.kick_deg);
        node_ranges.push(b.range_km);
        ranges[i * STEP] = b.range_km;
    }
    for (az, slot) in ranges.iter_mut().enumerate() {
        if az % STEP == 0 {
            continue;
        }
        let i = az / STEP;
        let f = (az % STEP) as f64 / STEP as f64;
        let k = |j: isize| kicks[j.rem_euclid(nodes as isize) as usize];
        let (p0, p1, p2, p3) = (
            k(i as isize - 1),
            k(i as isize),
            k(i as isize + 1),
            k(i as isize + 2),
        );
        // Catmull-Rom
        let kick = 0.5
            * (2.0 * p1
                + (-p0 + p2) * f
                + (2.0 * p0 - 5.0 * p1 + 4.0 * p2 - p3) * f * f
                + (-p0 + 3.0 * p1 - 3.0 * p2 + p3) * f * f * f);
        let interpolated = match model.range_flight(&aim(az as f64), kick) {
            Ok(fl) => Some(fl.ground_range_km),
            Err(FlightError::NoImpact(_)) => Some(GLOBAL_RANGE_KM),
            Err(_) => None,
        };
        // range is smooth in azimuth: a dip below both neighbouring nodes means
        // the interpolated kick missed the hill (near orbit it is a cliff)
        let floor = node_ranges[i].min(node_ranges[(i + 1) % nodes]);
        *slot = match interpolated {
            Some(r) if r >= 0.995 * floor => r,
            other => {
                let full = best_range(model, &aim(az as f64), None)?.range_km;
                full.max(other.unwrap_or(0.0))
            }
        };
    }
    Ok(ranges)
}
