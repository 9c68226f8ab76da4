//! The range search: the kick of a gravity turn that maximises ground range
//! toward one azimuth (a coarse scan finds the hill, Brent's method climbs
//! it), and the sweep of every whole degree of azimuth.

use serde::Serialize;

use super::model::{Aim, Model};
use crate::earth::{GeoPoint, RADIUS};
use crate::optimize::{maximize, maximize_from};
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
    /// True when the best flight goes into orbit or its ground track passes
    /// the antipode: the missile can reach any point on Earth, and
    /// `range_km` is only the placeholder [`GLOBAL_RANGE_KM`].
    pub global: bool,
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
        global: flight.is_none(),
        flight,
    })
}

/// How closely [`best_range_near`] finds the best kick, degrees: four times
/// looser than [`best_range`]'s 0.005, since a Monte Carlo draw needs its
/// range, not its kick (on the sharpest hill seen, about 200 km per square
/// degree, 0.02 degree off costs under 0.1 km against a spread of thousands).
const NEAR_XTOL: f64 = 0.02;

/// Above this share of [`GLOBAL_RANGE_KM`] (17,000 km), [`best_range_near`]
/// hands over to [`best_range`]: past the top of a hill this high a narrow
/// window of kicks (a few tenths of a degree) can pass the antipode, which a
/// search that brackets the top does not look for. Hwasong-15 draws toward
/// Washington top 18,000 km with such a window 0.6 degree beyond.
const NEAR_GLOBAL: f64 = 0.85;

/// One flight of a local search: its kick and, when it lands, its range.
type Probe = (f64, Option<f64>);

/// The best range near a known optimum (a Monte Carlo draw's, from the
/// nominal rocket's kick): three flights about the hint, walked uphill (a
/// little further each step) until they bracket the top, then Brent's method
/// inside that bracket to the same tolerance as [`best_range`]. Where the
/// hill ends in a cliff (more kick and the rocket falls over during its burn,
/// which is where a long-range rocket's best kick often lies) the bracket
/// ends at the first kick that falls over. About 12 flights where
/// [`best_range`] with a hint takes about 35: a bracket about 1 degree wide
/// instead of 4, and no full scan when the top lies more than 2 degrees from
/// the hint. Falls back to [`best_range`] when the flights near the hint make
/// no hill it can bracket (a global flight, cliffs on both sides, a hint far
/// off) or the top comes near half the circumference.
pub fn best_range_near(model: &Model, aim: &Aim, hint: f64) -> Result<BestRange, FlightError> {
    let fallback = || best_range(model, aim, Some(hint));
    let Some(seed) = bracket_near(model, aim, hint) else {
        return fallback();
    };
    let range = |kick: f64| {
        model
            .range_flight(aim, kick)
            .ok()
            .map(|f| f.ground_range_km)
    };
    let (lo, hi) = (seed[0].0, seed[2].0);
    let Some((kick_deg, _)) = maximize_from(range, lo, hi, seed, NEAR_XTOL, 60) else {
        return fallback();
    };
    match model.range_flight(aim, kick_deg) {
        // near half the circumference a kick nearby may pass the antipode (a
        // global flight the local search steps over): the wider search decides
        Ok(f) if f.ground_range_km <= NEAR_GLOBAL * GLOBAL_RANGE_KM => Ok(BestRange {
            range_km: f.ground_range_km,
            kick_deg,
            flight: Some(f),
            global: false,
        }),
        _ => fallback(),
    }
}

/// Three flights about `hint` walked uphill until the middle one is the
/// highest (or the next one falls over): the bracket of the top. None when
/// the walk meets a global flight or finds no top in ten steps.
fn bracket_near(model: &Model, aim: &Aim, hint: f64) -> Option<[Probe; 3]> {
    // Err(()) for a global flight: the local search gives up
    let fly = |kick: f64| -> Result<Probe, ()> {
        let kick = kick.clamp(0.01, MAX_KICK);
        match model.range_flight(aim, kick) {
            Ok(f) if f.ground_range_km.is_finite() => Ok((kick, Some(f.ground_range_km))),
            Err(FlightError::NoImpact(_)) => Err(()),
            _ => Ok((kick, None)),
        }
    };
    let mut d = 0.5;
    let mut a = fly(hint - d).ok()?;
    let mut b = fly(hint).ok()?;
    let mut c = fly(hint + d).ok()?;
    for _ in 0..10 {
        let right = match (a.1, b.1, c.1) {
            // the middle one falls over: toward a neighbour that lands, or
            // else toward the vertical, where rockets stand up
            (_, None, Some(_)) => true,
            (_, None, None) => false,
            (Some(fa), Some(fb), Some(fc)) if fb >= fa && fb >= fc => return Some([a, b, c]),
            // a cliff on one side (a kick that falls over, or one outside
            // the search's range), downhill on the other
            (fa, Some(fb), None) if fa.is_none_or(|fa| fb >= fa) => return Some([a, b, c]),
            (None, Some(fb), Some(fc)) if fb >= fc => return Some([a, b, c]),
            (_, Some(fb), Some(fc)) => fc > fb,
            (_, Some(_), None) => false,
        };
        d *= 1.5;
        if right {
            (a, b) = (b, c);
            c = fly(b.0 + d).ok()?;
        } else {
            (c, b) = (b, a);
            a = fly(b.0 - d).ok()?;
        }
    }
    None
}

/// Range on the rotating Earth toward each whole degree of launch azimuth, from `site`.
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
    Ok(sweep(model, rocket, tuning, site, hint)?
        .into_iter()
        .map(|(r, _)| r)
        .collect())
}

/// Range on the rotating Earth toward each whole degree of *bearing* from
/// `site`: index `b` is the farthest impact whose bearing from the launch
/// point is `b` degrees. This is the footprint a map draws: the Earth turns
/// under a long flight, so its impact lands several degrees off the launch
/// azimuth (eastward rotation bends it toward the equator). The sweep by
/// launch azimuth is resampled onto whole degrees of bearing by linear
/// interpolation between neighbouring impacts (the bearing grows with the
/// azimuth one for one, within a few percent); a degree next to a global
/// flight is global.
pub fn range_by_bearing(
    model: &Model,
    rocket: &Rocket,
    tuning: Tuning,
    site: GeoPoint,
    hint: f64,
) -> Result<Vec<f64>, FlightError> {
    Ok(resample_by_bearing(&sweep(
        model, rocket, tuning, site, hint,
    )?))
}

/// Resamples (range, impact bearing) per launch azimuth onto whole degrees of
/// bearing. A global flight (no bearing) stands at its launch azimuth.
fn resample_by_bearing(by_launch: &[(f64, Option<f64>)]) -> Vec<f64> {
    let mut pts: Vec<(f64, f64, bool)> = by_launch
        .iter()
        .enumerate()
        .map(|(az, &(r, b))| match b {
            Some(b) => (b.rem_euclid(360.0), r, r >= GLOBAL_RANGE_KM),
            None => (az as f64, GLOBAL_RANGE_KM, true),
        })
        .collect();
    if pts.is_empty() {
        return vec![0.0; 360];
    }
    pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n = pts.len();
    let mut out = vec![0.0; 360];
    // walk the circle once: for each whole degree, the impacts either side
    let mut j = 0usize;
    for (deg, slot) in out.iter_mut().enumerate() {
        let b = deg as f64;
        while j < n && pts[j].0 < b {
            j += 1;
        }
        // before: the last point below b (wrapping), after: the first at or above it
        let (before, after) = if j == 0 || j == n {
            (pts[n - 1], pts[0])
        } else {
            (pts[j - 1], pts[j])
        };
        if before.2 || after.2 {
            *slot = GLOBAL_RANGE_KM;
            continue;
        }
        let span = (after.0 - before.0).rem_euclid(360.0);
        let off = (b - before.0).rem_euclid(360.0);
        *slot = if span < 1e-9 {
            before.1.max(after.1)
        } else {
            before.1 + (after.1 - before.1) * (off / span)
        };
    }
    out
}

/// The sweep by whole degree of launch azimuth: range and, when the flight
/// lands, the bearing of its impact.
fn sweep(
    model: &Model,
    rocket: &Rocket,
    tuning: Tuning,
    site: GeoPoint,
    hint: f64,
) -> Result<Vec<(f64, Option<f64>)>, FlightError> {
    const STEP: usize = 12;
    let aim = |azimuth_deg: f64| Aim {
        rocket,
        tuning,
        site,
        azimuth_deg,
        rotating: true,
    };
    let bearing = |f: &Option<Flight>| f.as_ref().map(|f| impact_bearing_deg(site, f));
    let nodes = 360 / STEP;
    let mut kicks = Vec::with_capacity(nodes);
    let mut node_ranges = Vec::with_capacity(nodes);
    let mut out: Vec<(f64, Option<f64>)> = vec![(0.0, None); 360];
    let mut h = hint;
    for i in 0..nodes {
        let b = best_range(model, &aim((i * STEP) as f64), Some(h))?;
        h = b.kick_deg;
        kicks.push(b.kick_deg);
        node_ranges.push(b.range_km);
        out[i * STEP] = (b.range_km, bearing(&b.flight));
    }
    for (az, slot) in out.iter_mut().enumerate() {
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
            Ok(fl) => Some((fl.ground_range_km, Some(impact_bearing_deg(site, &fl)))),
            Err(FlightError::NoImpact(_)) => Some((GLOBAL_RANGE_KM, None)),
            Err(_) => None,
        };
        // range is smooth in azimuth: a dip below both neighbouring nodes means
        // the interpolated kick missed the hill (near orbit it is a cliff)
        let floor = node_ranges[i].min(node_ranges[(i + 1) % nodes]);
        *slot = match interpolated {
            Some(r) if r.0 >= 0.995 * floor => r,
            other => {
                let full = best_range(model, &aim(az as f64), None)?;
                match other {
                    Some(o) if o.0 > full.range_km => o,
                    _ => (full.range_km, bearing(&full.flight)),
                }
            }
        };
    }
    Ok(out)
}

/// The bearing of a flight's impact from its launch point, degrees (0..360).
fn impact_bearing_deg(site: GeoPoint, f: &Flight) -> f64 {
    let r0 = site.to_ecef(1.0);
    let ri = f.impact.to_ecef(1.0);
    let (east, north, _) = crate::earth::local_frame(r0);
    ri.dot(east)
        .atan2(ri.dot(north))
        .to_degrees()
        .rem_euclid(360.0)
}

/// The range-maximising flight on the rotating Earth whose impact lies on the
/// great circle from the launch point toward a target: the Earth turns under
/// the flight, so launching along the target's bearing lands off its track.
/// The launch azimuth is solved by secant until the impact's bearing is the
/// target's within 0.01 degree. Returns the flight and the launch azimuth.
pub fn best_range_toward(
    model: &Model,
    aim: &Aim,
    target_bearing_deg: f64,
    hint: Option<f64>,
) -> Result<(BestRange, f64), FlightError> {
    let off = |az: f64, hint: Option<f64>| -> Result<(BestRange, f64), FlightError> {
        let b = best_range(
            model,
            &Aim {
                azimuth_deg: az.rem_euclid(360.0),
                ..*aim
            },
            hint,
        )?;
        let miss = match &b.flight {
            Some(f) => {
                (impact_bearing_deg(aim.site, f) - target_bearing_deg + 540.0).rem_euclid(360.0)
                    - 180.0
            }
            None => 0.0,
        };
        Ok((b, miss))
    };
    let mut az = target_bearing_deg;
    let (mut best, mut miss) = off(az, hint)?;
    if best.global || miss.abs() < 0.01 {
        return Ok((best, az.rem_euclid(360.0)));
    }
    // the impact turns with the launch azimuth nearly one for one
    let mut prev = (az, miss);
    az -= miss;
    for _ in 0..8 {
        let (b, m) = off(az, Some(best.kick_deg))?;
        best = b;
        miss = m;
        if best.global || miss.abs() < 0.01 {
            break;
        }
        let slope = (miss - prev.1) / (az - prev.0);
        let next = if slope.is_finite() && slope.abs() > 0.2 {
            az - miss / slope
        } else {
            az - miss
        };
        prev = (az, miss);
        az = next;
    }
    Ok((best, az.rem_euclid(360.0)))
}

/// The payload (kg) with which the fitted rocket flies exactly `target_km`
/// on `aim`'s trajectory (the rocket's payload replaced): range falls as
/// payload grows, so the root of ln(range / target) in ln(payload) is found
/// by the Illinois variant of regula falsi, from two payloads that bracket
/// it. None when no payload between a tenth and twenty times the nominal does.
pub fn payload_for_range(
    model: &Model,
    aim: &Aim,
    target_km: f64,
    hint: Option<f64>,
) -> Option<f64> {
    let nominal = aim.rocket.payload_kg;
    let f = |ln_p: f64| -> Option<f64> {
        let r = aim.rocket.with_payload(ln_p.exp());
        let b = best_range(model, &Aim { rocket: &r, ..*aim }, hint).ok()?;
        // a global flight is farther than any target
        let km = if b.global {
            2.0 * GLOBAL_RANGE_KM
        } else {
            b.range_km
        };
        Some((km / target_km).ln())
    };
    let (mut a, mut b) = ((0.1 * nominal).ln(), (20.0 * nominal).ln());
    // start from the nominal payload and step out to a bracket
    let x0 = nominal.ln();
    let f0 = f(x0)?;
    let (mut fa, mut fb);
    if f0 > 0.0 {
        // the nominal payload flies farther: the answer is heavier
        a = x0;
        fa = f0;
        let mut x = x0;
        loop {
            x = (x + 0.7).min(b);
            let v = f(x)?;
            if v <= 0.0 {
                b = x;
                fb = v;
                break;
            }
            a = x;
            fa = v;
            if x >= (20.0 * nominal).ln() {
                return None;
            }
        }
    } else {
        b = x0;
        fb = f0;
        let mut x = x0;
        loop {
            x = (x - 0.7).max(a);
            let v = f(x)?;
            if v >= 0.0 {
                a = x;
                fa = v;
                break;
            }
            b = x;
            fb = v;
            if x <= (0.1 * nominal).ln() {
                return None;
            }
        }
    }
    let mut side = 0i8;
    for _ in 0..30 {
        let c = (a * fb - b * fa) / (fb - fa);
        if !c.is_finite() {
            break;
        }
        let fc = f(c)?;
        if fc.abs() < 1e-4 || (b - a).abs() < 1e-5 {
            return Some(c.exp());
        }
        if (fc > 0.0) == (fa > 0.0) {
            a = c;
            fa = fc;
            if side == -1 {
                fb /= 2.0;
            }
            side = -1;
        } else {
            b = c;
            fb = fc;
            if side == 1 {
                fa /= 2.0;
            }
            side = 1;
        }
    }
    Some(((a + b) / 2.0).exp())
}
