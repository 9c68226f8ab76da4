//! The fit: the delta-v scale and the test's pitch (and, given a flight
//! time, the burn-time scale) that make the model rocket reproduce a test.
//! A geometric start (the Kepler arc with the observed apogee and range),
//! then Levenberg-Marquardt; a nested bracketing search is the fallback.

use serde::Serialize;

use super::kepler::ballistic_apogee_km;
use super::model::{Model, Observables, TestGeometry};
use crate::earth::{central_angle, local_frame, GeoPoint, RADIUS};
use crate::optimize::{increasing_root, levenberg_marquardt};
use crate::rocket::Tuning;
use crate::trajectory::Flight;
use crate::FlightError;

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
    /// Fitted minus reported flight time, s.
    pub flight_time_residual_s: Option<f64>,
    /// True when a reported flight time informed the burn-time scale.
    pub burn_scale_fitted: bool,
    /// True when the burn-time scale sits on a bound of its range (the
    /// flight time pulls it further than the model allows).
    pub burn_scale_at_bound: bool,
    /// Lift-off thrust-to-weight of the fitted rocket.
    pub liftoff_thrust_to_weight: f64,
    pub evaluations: usize,
}

/// Ground range signed by whether the impact lies ahead of (+) or behind (-)
/// the launch bearing, so the range is monotone in the kick through zero.
fn signed_range_km(site: GeoPoint, bearing_deg: f64, f: &Flight) -> f64 {
    let r0 = site.to_ecef(1.0);
    let ri = f.impact.to_ecef(1.0);
    let (east, north, _) = local_frame(r0);
    let b = bearing_deg.to_radians();
    let ahead = north * b.cos() + east * b.sin();
    let sign = if (ri - r0).dot(ahead) >= 0.0 {
        1.0
    } else {
        -1.0
    };
    sign * RADIUS / 1000.0 * central_angle(r0, ri)
}

/// The test's attitude at burnout may tilt to just short of horizontal: flat
/// short-range tests (a KN-25 to 100 km over 350 km) need the whole family.
const MAX_FIT_KICK: f64 = 89.5;

/// A fit whose flight time is further than this many standard deviations
/// from the reported one is a conflict, not a result (at the default 90 s,
/// 315 s: beyond the largest disagreement between sources this project has
/// seen, about 200 s).
pub const FLIGHT_TIME_CONFLICT_SIGMAS: f64 = 3.5;

/// Fits the model to a test. `start` (a previous fit's tuning and kick) speeds
/// up fits of perturbed observables in Monte Carlo runs.
///
/// The estimator: apogee and ground range are met exactly by the delta-v
/// scale and the test's pitch (two observables, two unknowns). The burn-time
/// scale is the maximum a posteriori value of ln(burn_scale) under a normal
/// prior about the rocket's assumed burn times (`Model::burn_prior_ln_sigma`)
/// and, when a flight time is reported, a normal likelihood of that time with
/// its stated uncertainty. With apogee and range held, the flight time moves
/// little with the burn time (the Hwasong-14 of 28 July 2017: about 160 s
/// per unit of ln(burn_scale)), so a 60 s difference between sources moves
/// the burn scale by a few percent, not by half. Without a flight time the
/// burn times are the prior's mode, the assumed ones.
pub fn fit(
    model: &Model,
    obs: &Observables,
    geom: &TestGeometry,
    start: Option<(Tuning, f64)>,
) -> Result<Fitted, FlightError> {
    obs.validate()?;
    model.rocket.validate()?;
    if !(model.burn_prior_ln_sigma.is_finite() && model.burn_prior_ln_sigma > 0.0) {
        return Err(FlightError::InvalidRocket(format!(
            "the burn-time prior's spread must be positive, not {}",
            model.burn_prior_ln_sigma
        )));
    }
    let mut evaluations = 0usize;
    let warm = start.map(|(t, kick)| (t.dv_scale, kick));
    let (tuning, kick, at_bound) = match obs.flight_time_s {
        None => {
            let (k, kick) = fit_at_scale(model, obs, geom, 1.0, warm, &mut evaluations)?;
            (
                Tuning {
                    dv_scale: k,
                    burn_scale: 1.0,
                },
                kick,
                false,
            )
        }
        Some(t_obs) => map_burn_scale(model, obs, geom, t_obs, warm, &mut evaluations)?,
    };
    let flight = model.test_flight(tuning, kick, geom)?;
    evaluations += 1;
    let apogee_residual_pct = 100.0 * (flight.apogee_km / obs.apogee_km - 1.0);
    let range_residual_pct = 100.0 * (flight.ground_range_km / obs.range_km - 1.0);
    if apogee_residual_pct.abs() > 0.1 || range_residual_pct.abs() > 0.1 {
        return Err(FlightError::FitFailed(format!(
            "the model cannot reproduce apogee {:.1} km and range {:.1} km (best: {:.1} km, {:.1} km)",
            obs.apogee_km, obs.range_km, flight.apogee_km, flight.ground_range_km
        )));
    }
    let time_residual_s = obs.flight_time_s.map(|t| flight.flight_time_s - t);
    if let (Some(t), Some(r)) = (obs.flight_time_s, time_residual_s) {
        let sigmas = r.abs() / obs.flight_time_sigma_s;
        if sigmas > FLIGHT_TIME_CONFLICT_SIGMAS {
            return Err(FlightError::FlightTimeConflict {
                reported_s: t,
                fitted_s: flight.flight_time_s,
                sigma_s: obs.flight_time_sigma_s,
                sigmas,
            });
        }
    }
    Ok(Fitted {
        tuning,
        kick_deg: kick,
        flight,
        apogee_residual_pct,
        range_residual_pct,
        flight_time_residual_pct: obs
            .flight_time_s
            .map(|t| 100.0 * (flight.flight_time_s / t - 1.0)),
        flight_time_residual_s: time_residual_s,
        burn_scale_fitted: obs.flight_time_s.is_some(),
        burn_scale_at_bound: at_bound,
        liftoff_thrust_to_weight: model.rocket.liftoff_thrust_to_weight(tuning),
        evaluations,
    })
}

/// The maximum a posteriori burn-time scale given a flight time: a 1-D
/// Gauss-Newton on x = ln(burn_scale), each trial solved for apogee and range
/// from the last one's solution, the flight time's slope in x updated by
/// secant. Returns the tuning, the kick, and whether x sits on a bound.
fn map_burn_scale(
    model: &Model,
    obs: &Observables,
    geom: &TestGeometry,
    t_obs: f64,
    warm: Option<(f64, f64)>,
    evaluations: &mut usize,
) -> Result<(Tuning, f64, bool), FlightError> {
    let (s_lo, s_hi) = model.burn_scale_bounds;
    let (lo, hi) = (s_lo.ln(), s_hi.ln());
    let var_t = obs.flight_time_sigma_s.powi(2);
    let var_s = model.burn_prior_ln_sigma.powi(2);
    let mut warm = warm;
    // the flight time of the apogee-and-range fit at burn scale e^x
    let mut at = |x: f64, evaluations: &mut usize| -> Result<(f64, f64, f64), FlightError> {
        let s = x.exp();
        let (k, kick) = fit_at_scale(model, obs, geom, s, warm, evaluations)?;
        warm = Some((k, kick));
        *evaluations += 1;
        let f = model.test_flight(
            Tuning {
                dv_scale: k,
                burn_scale: s,
            },
            kick,
            geom,
        )?;
        Ok((f.flight_time_s, k, kick))
    };
    let mut x = 0.0f64.clamp(lo, hi);
    let (mut t, mut k, mut kick) = at(x, evaluations)?;
    // the slope of the flight time in x, from a neighbour on the side the time points to
    let h = if t < t_obs { 0.05 } else { -0.05 };
    let mut slope = match at((x + h).clamp(lo, hi), evaluations) {
        Ok((t2, _, _)) => (t2 - t) / h,
        Err(_) => match at((x - h).clamp(lo, hi), evaluations) {
            Ok((t2, _, _)) => (t2 - t) / -h,
            Err(_) => 0.0,
        },
    };
    if !slope.is_finite() {
        slope = 0.0;
    }
    for _ in 0..10 {
        // minimise ((t + slope (y - x) - t_obs)^2 / var_t + y^2 / var_s over y
        let y = ((slope * slope * x + slope * (t_obs - t)) / var_t)
            / (slope * slope / var_t + 1.0 / var_s);
        let mut y = y.clamp(lo, hi);
        // 1e-4 in ln(burn scale) moves a standard range by about 0.004 %
        if (y - x).abs() < 1e-4 {
            break;
        }
        // a trial the rocket cannot fly: step back toward the last good one
        let mut next = None;
        for _ in 0..5 {
            match at(y, evaluations) {
                Ok(v) => {
                    next = Some(v);
                    break;
                }
                Err(_) => y = 0.5 * (x + y),
            }
        }
        let Some((ty, ky, kicky)) = next else {
            break;
        };
        let new_slope = (ty - t) / (y - x);
        if new_slope.is_finite() && (y - x).abs() > 1e-6 {
            slope = new_slope;
        }
        let step = (y - x).abs();
        (x, t, k, kick) = (y, ty, ky, kicky);
        if step < 1e-4 {
            break;
        }
    }
    let at_bound = (x - lo).abs() < 1e-3 || (hi - x).abs() < 1e-3;
    Ok((
        Tuning {
            dv_scale: k,
            burn_scale: x.exp(),
        },
        kick,
        at_bound,
    ))
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
                .test_flight(
                    Tuning {
                        dv_scale: p[0].exp(),
                        burn_scale: s,
                    },
                    p[1],
                    geom,
                )
                .ok()
                .map(|f| {
                    [
                        (f.apogee_km / obs.apogee_km).ln(),
                        signed_range_km(geom.site, geom.bearing_deg, &f) / obs.range_km - 1.0,
                    ]
                })
        };
        let (p, r, n) = levenberg_marquardt(
            f2,
            [k.ln(), kick],
            [-3.0, -10.0],
            [2.0, MAX_FIT_KICK],
            [1e-6, 1e-5],
            1e-9,
            30,
        )?;
        *evaluations += n;
        (r[0].abs() < 1e-6 && r[1].abs() < 1e-6).then_some((p[0].exp(), p[1]))
    };
    if let Some((k, kick)) = warm {
        if let Some(sol) = lm(k, kick, evaluations) {
            return Ok(sol);
        }
    }
    // a geometric start: the burnout angle of the Kepler arc from the ground
    // with the observed apogee and range, and the delta-v for the apogee
    if let Some(gamma) = arc_angle_deg(obs) {
        let kick = (90.0 - gamma).clamp(0.1, MAX_FIT_KICK);
        if let Some(k) = apogee_scale(model, obs, geom, s, kick, evaluations) {
            if let Some(sol) = lm(k, kick, evaluations) {
                return Ok(sol);
            }
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
    let k_min = 1.0001
        / model.rocket.liftoff_thrust_to_weight(Tuning {
            dv_scale: 1.0,
            burn_scale: s,
        });
    increasing_root(
        |k| {
            *evaluations += 1;
            match model.test_flight(
                Tuning {
                    dv_scale: k,
                    burn_scale: s,
                },
                kick,
                geom,
            ) {
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
    let k_min =
        1.0 / rocket.liftoff_thrust_to_weight(Tuning {
            dv_scale: 1.0,
            burn_scale: s,
        }) * 1.0001;
    let k_max = 6.0f64.max(k_min * 2.0);
    let mut evals = 0usize;
    let solve_k = |kick: f64, evals: &mut usize| -> Option<(f64, Flight)> {
        let mut last: Option<(f64, Flight)> = None;
        let k = increasing_root(
            |k| {
                *evals += 1;
                match model.test_flight(
                    Tuning {
                        dv_scale: k,
                        burn_scale: s,
                    },
                    kick,
                    geom,
                ) {
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
                    .test_flight(
                        Tuning {
                            dv_scale: k,
                            burn_scale: s,
                        },
                        kick,
                        geom,
                    )
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
    let ups = [
        0.0,
        0.5,
        1.0,
        2.0,
        4.0,
        8.0,
        15.0,
        25.0,
        35.0,
        45.0,
        55.0,
        65.0,
        75.0,
        MAX_FIT_KICK,
    ];
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
    let kick =
        increasing_root(|kick| outer(kick, &mut evals), lo, hi, 1e-7, 100).ok_or_else(no_fit)?;
    let k = match solve_k(kick, &mut evals) {
        Some((k, _)) => k,
        None => best_k.ok_or(FlightError::FitFailed(
            "the delta-v scale could not be solved".into(),
        ))?,
    };
    Ok((k, kick, evals))
}

/// The launch angle (degrees above the horizon) of the Kepler arc from the
/// ground with the observed apogee and range, if there is one.
fn arc_angle_deg(obs: &Observables) -> Option<f64> {
    let (mut lo, mut hi) = (0.01f64, 89.99f64);
    let f = |g: f64| ballistic_apogee_km(obs.range_km, g) - obs.apogee_km;
    if f(lo) > 0.0 || f(hi) < 0.0 {
        return None;
    }
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if f(mid) < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(0.5 * (lo + hi))
}
