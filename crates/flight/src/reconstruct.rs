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

use serde::Serialize;

use crate::earth::{central_angle, local_frame, EarthModel, GeoPoint, RADIUS};
use crate::optimize::{increasing_root, levenberg_marquardt, maximize};
use crate::rocket::{Rocket, Tuning};
use crate::trajectory::{fly, Drag, Flight, FlightSpec, PitchProgram};
use crate::FlightError;

/// What a test reported.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Observables {
    pub apogee_km: f64,
    pub range_km: f64,
    pub flight_time_s: Option<f64>,
}

impl Observables {
    /// Checks the numbers are physical; names the offending field.
    pub fn validate(&self) -> Result<(), FlightError> {
        let bad = |field: &'static str, value: f64| FlightError::InvalidObservable { field, value };
        if !(self.apogee_km.is_finite() && self.apogee_km > 0.0) {
            return Err(bad("apogee_km", self.apogee_km));
        }
        if !(self.range_km.is_finite() && self.range_km > 0.0) {
            return Err(bad("range_km", self.range_km));
        }
        if self.range_km >= std::f64::consts::PI * RADIUS / 1000.0 {
            return Err(bad("range_km", self.range_km));
        }
        if let Some(t) = self.flight_time_s {
            if !(t.is_finite() && t > 0.0) {
                return Err(bad("flight_time_s", t));
            }
        }
        // a reported apogee below the arc launched 3 degrees above the horizon
        // is no ballistic flight (and no input this model can reproduce)
        let min_km = ballistic_apogee_km(self.range_km, MIN_FLIGHT_PATH_DEG);
        if self.apogee_km < min_km {
            return Err(FlightError::ApogeeTooLow { apogee_km: self.apogee_km, range_km: self.range_km, min_km });
        }
        Ok(())
    }
}

/// The shallowest burnout flight-path angle a reported test may imply, degrees.
pub const MIN_FLIGHT_PATH_DEG: f64 = 3.0;

/// Apogee, km above the sphere, of the Kepler arc that leaves the surface at
/// flight-path angle `gamma_deg` and comes down `range_km` away. From the
/// free-flight range equation sin(2 gamma + psi/2) = (2 - nu)/nu sin(psi/2),
/// with nu = v^2 r / mu.
pub fn ballistic_apogee_km(range_km: f64, gamma_deg: f64) -> f64 {
    let r = RADIUS / 1000.0;
    let half = range_km / r / 2.0;
    let gamma = gamma_deg.to_radians();
    let nu = 2.0 * half.sin() / (half.sin() + (2.0 * gamma + half).sin());
    let e = (1.0 - nu * (2.0 - nu) * gamma.cos().powi(2)).max(0.0).sqrt();
    r * (1.0 + e) / (2.0 - nu) - r
}

/// Apogee of the minimum-energy arc over `range_km`, km: its launch angle is
/// (pi - psi) / 4.
pub fn min_energy_apogee_km(range_km: f64) -> f64 {
    let psi = range_km / (RADIUS / 1000.0);
    ballistic_apogee_km(range_km, ((std::f64::consts::PI - psi) / 4.0).to_degrees())
}

/// The assumed rocket and flight programme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Model {
    pub rocket: Rocket,
    pub vertical_s: f64,
    pub kick_s: f64,
    pub j2: bool,
    pub drag: Option<Drag>,
    /// Bounds on the fitted burn-time scale.
    pub burn_scale_bounds: (f64, f64),
}

/// Where and how the test was flown.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TestGeometry {
    pub site: GeoPoint,
    pub bearing_deg: f64,
    /// False: fit on a non-rotating Earth (site and bearing unknown).
    pub rotating: bool,
}

/// The fitted performance and the model's own flight.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Fitted {
    pub tuning: Tuning,
    pub kick_deg: f64,
    pub flight: Flight,
    /// Relative residuals in percent (model minus observed).
    pub apogee_residual_pct: f64,
    pub range_residual_pct: f64,
    pub flight_time_residual_pct: Option<f64>,
    /// True when the burn-time scale was fitted to the flight time.
    pub burn_scale_fitted: bool,
    pub evaluations: usize,
}

/// The best range toward one direction, and the kick that gives it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BestRange {
    pub range_km: f64,
    pub kick_deg: f64,
    pub flight: Flight,
}

impl Model {
    fn earth(&self, rotating: bool) -> EarthModel {
        EarthModel { omega: if rotating { crate::earth::OMEGA } else { 0.0 }, j2: self.j2 }
    }

    /// One flight of the model rocket.
    pub fn fly(
        &self,
        rocket: &Rocket,
        tuning: Tuning,
        kick_deg: f64,
        site: GeoPoint,
        azimuth_deg: f64,
        rotating: bool,
    ) -> Result<Flight, FlightError> {
        fly(&FlightSpec {
            rocket,
            tuning,
            pitch: PitchProgram { vertical_s: self.vertical_s, kick_deg, kick_s: self.kick_s },
            site,
            azimuth_deg,
            earth: self.earth(rotating),
            drag: self.drag,
        })
    }
}

/// Ground range signed by whether the impact lies ahead of (+) or behind (-)
/// the launch bearing, so the range is monotone in the kick through zero.
fn signed_range_km(site: GeoPoint, bearing_deg: f64, f: &Flight) -> f64 {
    let r0 = site.to_ecef(1.0);
    let ri = f.impact.to_ecef(1.0);
    let (east, north, _) = local_frame(r0);
    let b = bearing_deg.to_radians();
    let ahead = north * b.cos() + east * b.sin();
    let sign = if (ri - r0).dot(ahead) >= 0.0 { 1.0 } else { -1.0 };
    sign * RADIUS / 1000.0 * central_angle(r0, ri)
}

const MAX_KICK: f64 = 70.0;
/// Tests are lofted or near-standard; a fitted kick beyond this is not a test we can model.
const MAX_FIT_KICK: f64 = 45.0;

/// Fits the model to a test. `start` (a previous fit's tuning and kick) speeds
/// up fits of perturbed observables in Monte Carlo runs.
pub fn fit(
    model: &Model,
    obs: &Observables,
    geom: &TestGeometry,
    start: Option<(Tuning, f64)>,
) -> Result<Fitted, FlightError> {
    obs.validate()?;
    model.rocket.validate()?;
    let (s_lo, s_hi) = model.burn_scale_bounds;
    let mut evaluations = 0usize;
    let fly = |k: f64, kick: f64, s: f64| {
        model.fly(&model.rocket, Tuning { dv_scale: k, burn_scale: s }, kick, geom.site, geom.bearing_deg, geom.rotating)
    };
    let (tuning, kick) = match obs.flight_time_s {
        None => {
            let s = start.map_or(1.0, |(t, _)| t.burn_scale).clamp(s_lo, s_hi);
            let warm = start.map(|(t, kick)| (t.dv_scale, kick));
            let (k, kick) = fit_at_scale(model, obs, geom, s, warm, &mut evaluations)?;
            (Tuning { dv_scale: k, burn_scale: s }, kick)
        }
        Some(t_obs) => {
            // the burn-time scale that reproduces the flight time, each trial
            // solved for apogee and range from the last one's solution
            let mut warm = start.map(|(t, kick)| (t.dv_scale, kick));
            let mut last = None;
            let mut time_residual = |ln_s: f64, evaluations: &mut usize| -> Result<f64, bool> {
                let s = ln_s.exp();
                match fit_at_scale(model, obs, geom, s, warm, evaluations) {
                    Ok((k, kick)) => {
                        warm = Some((k, kick));
                        *evaluations += 1;
                        let f = fly(k, kick, s).map_err(|_| s > 1.0)?;
                        last = Some((s, k, kick));
                        Ok((f.flight_time_s / t_obs).ln())
                    }
                    Err(_) => Err(s > 1.0),
                }
            };
            let s0 = start.map_or(1.0, |(t, _)| t.burn_scale).clamp(s_lo, s_hi);
            let mut lo = s0.ln();
            let mut hi = s0.ln();
            let f0 = time_residual(lo, &mut evaluations);
            let mut bracket = None;
            if let Ok(v) = f0 {
                // walk out from the start until the residual changes sign
                let step = 0.15f64;
                for i in 1..=12 {
                    let x = if v < 0.0 { s0.ln() + step * i as f64 } else { s0.ln() - step * i as f64 };
                    if x > s_hi.ln() + 1e-12 || x < s_lo.ln() - 1e-12 {
                        break;
                    }
                    match time_residual(x, &mut evaluations) {
                        Ok(w) if (w < 0.0) == (v < 0.0) => {
                            if v < 0.0 { lo = x } else { hi = x }
                        }
                        _ => {
                            bracket = Some(if v < 0.0 { (lo, x) } else { (x, hi) });
                            break;
                        }
                    }
                }
            }
            let ln_s = match bracket {
                Some((a, b)) => increasing_root(|x| time_residual(x, &mut evaluations), a, b, 1e-7, 60),
                None => None,
            };
            // without a root, keep the bound nearest the flight time (the
            // residual is then reported, not hidden)
            let ln_s = match ln_s {
                Some(x) => x,
                None => {
                    let edge = if matches!(f0, Ok(v) if v < 0.0) { s_hi.ln() } else { s_lo.ln() };
                    match time_residual(edge, &mut evaluations) {
                        Ok(_) => edge,
                        Err(_) => last.map(|(s, _, _)| s.ln()).ok_or_else(|| {
                            FlightError::FitFailed("no burn time reproduces the test".into())
                        })?,
                    }
                }
            };
            let s = ln_s.exp();
            let (k, kick) = fit_at_scale(model, obs, geom, s, warm, &mut evaluations)?;
            (Tuning { dv_scale: k, burn_scale: s }, kick)
        }
    };
    let flight = fly(tuning.dv_scale, kick, tuning.burn_scale)?;
    evaluations += 1;
    let apogee_residual_pct = 100.0 * (flight.apogee_km / obs.apogee_km - 1.0);
    let range_residual_pct = 100.0 * (flight.ground_range_km / obs.range_km - 1.0);
    if apogee_residual_pct.abs() > 0.1 || range_residual_pct.abs() > 0.1 {
        return Err(FlightError::FitFailed(format!(
            "the model cannot reproduce apogee {:.1} km and range {:.1} km (best: {:.1} km, {:.1} km)",
            obs.apogee_km, obs.range_km, flight.apogee_km, flight.ground_range_km
        )));
    }
    Ok(Fitted {
        tuning,
        kick_deg: kick,
        flight,
        apogee_residual_pct,
        range_residual_pct,
        flight_time_residual_pct: obs.flight_time_s.map(|t| 100.0 * (flight.flight_time_s / t - 1.0)),
        burn_scale_fitted: obs.flight_time_s.is_some(),
        evaluations,
    })
}

/// Solves the delta-v scale and the kick that reproduce apogee and range at a
/// given burn-time scale: Levenberg-Marquardt from a warm start when there is
/// one, else (or if that fails) the robust nested search, polished.
fn fit_at_scale(
    model: &Model,
    obs: &Observables,
    geom: &TestGeometry,
    s: f64,
    warm: Option<(f64, f64)>,
    evaluations: &mut usize,
) -> Result<(f64, f64), FlightError> {
    let lm = |k: f64, kick: f64, evaluations: &mut usize| {
        let f2 = |p: &[f64; 2]| {
            model
                .fly(&model.rocket, Tuning { dv_scale: p[0].exp(), burn_scale: s }, p[1], geom.site, geom.bearing_deg, geom.rotating)
                .ok()
                .map(|f| {
                    [
                        (f.apogee_km / obs.apogee_km).ln(),
                        signed_range_km(geom.site, geom.bearing_deg, &f) / obs.range_km - 1.0,
                    ]
                })
        };
        let (p, r, n) =
            levenberg_marquardt(f2, [k.ln(), kick], [-3.0, -10.0], [2.0, MAX_FIT_KICK], [1e-6, 1e-5], 1e-9, 30)?;
        *evaluations += n;
        (r[0].abs() < 1e-6 && r[1].abs() < 1e-6).then_some((p[0].exp(), p[1]))
    };
    if let Some((k, kick)) = warm {
        if let Some(sol) = lm(k, kick, evaluations) {
            return Ok(sol);
        }
    }
    let nested = nested_fit(model, obs, geom, s);
    if let Ok((k, kick, n)) = nested {
        *evaluations += n;
        if let Some(sol) = lm(k, kick, evaluations) {
            return Ok(sol);
        }
    }
    // the range may jump where a trial rocket falls over: start the local
    // solver from a spread of kicks, each with the delta-v scale for the apogee
    for kick in [0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 9.0, 13.0, 20.0] {
        if let Some(k) = apogee_scale(model, obs, geom, s, kick, evaluations) {
            if let Some(sol) = lm(k, kick, evaluations) {
                return Ok(sol);
            }
        }
    }
    nested.map(|(k, kick, _)| (k, kick))
}

/// The delta-v scale that gives the observed apogee at a given kick.
fn apogee_scale(
    model: &Model,
    obs: &Observables,
    geom: &TestGeometry,
    s: f64,
    kick: f64,
    evaluations: &mut usize,
) -> Option<f64> {
    let k_min = 1.0001 / model.rocket.liftoff_thrust_to_weight(Tuning { dv_scale: 1.0, burn_scale: s });
    increasing_root(
        |k| {
            *evaluations += 1;
            match model.fly(&model.rocket, Tuning { dv_scale: k, burn_scale: s }, kick, geom.site, geom.bearing_deg, geom.rotating) {
                Ok(f) => Ok((f.apogee_km / obs.apogee_km).ln()),
                Err(FlightError::NoImpact(_)) => Err(false),
                Err(_) => Err(true),
            }
        },
        k_min,
        6.0f64.max(2.0 * k_min),
        1e-9,
        100,
    )
}

/// A robust start: for each trial kick, solve the delta-v scale that gives the
/// observed apogee; then solve the kick that gives the observed range.
fn nested_fit(
    model: &Model,
    obs: &Observables,
    geom: &TestGeometry,
    s: f64,
) -> Result<(f64, f64, usize), FlightError> {
    let rocket = &model.rocket;
    let k_min = 1.0 / rocket.liftoff_thrust_to_weight(Tuning { dv_scale: 1.0, burn_scale: s }) * 1.0001;
    let k_max = 6.0f64.max(k_min * 2.0);
    let mut evals = 0usize;
    let solve_k = |kick: f64, evals: &mut usize| -> Option<(f64, Flight)> {
        let mut last: Option<(f64, Flight)> = None;
        let k = increasing_root(
            |k| {
                *evals += 1;
                match model.fly(rocket, Tuning { dv_scale: k, burn_scale: s }, kick, geom.site, geom.bearing_deg, geom.rotating) {
                    Ok(f) => {
                        let v = (f.apogee_km / obs.apogee_km).ln();
                        last = Some((k, f));
                        Ok(v)
                    }
                    Err(FlightError::NoImpact(_)) => Err(false),
                    Err(_) => Err(true),
                }
            },
            k_min,
            k_max,
            1e-9,
            100,
        )?;
        match last {
            Some((kl, f)) if (kl - k).abs() < 1e-9 => Some((k, f)),
            _ => {
                *evals += 1;
                model
                    .fly(rocket, Tuning { dv_scale: k, burn_scale: s }, kick, geom.site, geom.bearing_deg, geom.rotating)
                    .ok()
                    .map(|f| (k, f))
            }
        }
    };
    let mut best_k = None;
    let mut outer = |kick: f64, evals: &mut usize| match solve_k(kick, evals) {
        Some((k, f)) => {
            best_k = Some(k);
            Ok(signed_range_km(geom.site, geom.bearing_deg, &f) / obs.range_km - 1.0)
        }
        None => Err(false),
    };
    // bracket the kick: from the vertical, walk up until the range is passed,
    // or down (a westward test on a rotating Earth drifts past its mark) until short
    let no_fit = || {
        FlightError::FitFailed(format!(
            "no pitch programme of the assumed rocket gives apogee {:.1} km with range {:.1} km",
            obs.apogee_km, obs.range_km
        ))
    };
    let ups = [0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 25.0, 35.0, MAX_FIT_KICK];
    let downs = [-0.5, -1.0, -2.0, -4.0, -7.0, -10.0];
    let (lo, hi) = match outer(0.0, &mut evals) {
        Ok(v) if v < 0.0 => {
            let mut lo = 0.0;
            let mut hi = None;
            for &k in &ups[1..] {
                match outer(k, &mut evals) {
                    Ok(v) if v < 0.0 => lo = k,
                    _ => {
                        hi = Some(k);
                        break;
                    }
                }
            }
            (lo, hi.ok_or_else(no_fit)?)
        }
        _ => {
            let mut hi = 0.0;
            let mut lo = None;
            for &k in &downs {
                match outer(k, &mut evals) {
                    Ok(v) if v < 0.0 => {
                        lo = Some(k);
                        break;
                    }
                    _ => hi = k,
                }
            }
            (lo.ok_or_else(no_fit)?, hi)
        }
    };
    let kick = increasing_root(|kick| outer(kick, &mut evals), lo, hi, 1e-7, 100).ok_or_else(no_fit)?;
    let k = match solve_k(kick, &mut evals) {
        Some((k, _)) => k,
        None => best_k.ok_or(FlightError::FitFailed("the delta-v scale could not be solved".into()))?,
    };
    Ok((k, kick, evals))
}

/// The range-maximising kick and range toward one azimuth. `hint` narrows the
/// search to +-3 degrees around a known neighbouring optimum.
pub fn best_range(
    model: &Model,
    rocket: &Rocket,
    tuning: Tuning,
    site: GeoPoint,
    azimuth_deg: f64,
    rotating: bool,
    hint: Option<f64>,
) -> Result<BestRange, FlightError> {
    let range = |kick: f64| {
        model.fly(rocket, tuning, kick, site, azimuth_deg, rotating).ok().map(|f| f.ground_range_km)
    };
    let bracket = match hint {
        Some(h) => Some((h - 2.0, h + 2.0)),
        None => {
            // a coarse scan finds the hill, Brent climbs it
            let grid = [0.5, 1.0, 2.0, 3.0, 4.5, 6.0, 8.0, 10.0, 13.0, 16.0, 20.0, 25.0, 30.0, 37.0, 45.0, 55.0, MAX_KICK];
            let vals: Vec<f64> = grid.iter().map(|&k| range(k).unwrap_or(f64::NEG_INFINITY)).collect();
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
    let (a, b) = bracket.ok_or_else(|| FlightError::NoImpact("no pitch programme gives an impact".into()))?;
    let (kick, _) = maximize(range, a.max(0.01), b.min(MAX_KICK), 5e-3, 60)
        .ok_or_else(|| FlightError::NoImpact("no pitch programme gives an impact".into()))?;
    // an optimum on the edge of a hinted bracket means the hint was poor
    if hint.is_some() && ((kick - a).abs() < 0.01 || (kick - b).abs() < 0.01) {
        return best_range(model, rocket, tuning, site, azimuth_deg, rotating, None);
    }
    let flight = model.fly(rocket, tuning, kick, site, azimuth_deg, rotating)?;
    Ok(BestRange { range_km: flight.ground_range_km, kick_deg: kick, flight })
}

/// Range on the rotating Earth toward each whole degree of azimuth, from `site`.
pub fn range_by_azimuth(
    model: &Model,
    rocket: &Rocket,
    tuning: Tuning,
    site: GeoPoint,
    hint: f64,
) -> Result<Vec<f64>, FlightError> {
    let mut out = Vec::with_capacity(360);
    let mut h = hint;
    for az in 0..360 {
        let b = best_range(model, rocket, tuning, site, az as f64, true, Some(h))?;
        h = b.kick_deg;
        out.push(b.range_km);
    }
    Ok(out)
}
