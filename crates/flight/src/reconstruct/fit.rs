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
    /// True when the burn-time scale was fitted to the flight time.
    pub burn_scale_fitted: bool,
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

/// Tests are lofted or near-standard; a fitted kick beyond this is not a test we can model.
const MAX_FIT_KICK: f64 = 85.0;

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
        model.test_flight(
            Tuning {
                dv_scale: k,
                burn_scale: s,
            },
            kick,
            geom,
        )
    };
    let warm3 = match (obs.flight_time_s, start) {
        (Some(t_obs), Some(_)) => lm3(model, obs, geom, t_obs, start, &mut evaluations),
        (Some(t_obs), None) => {
            // cold: meet apogee and range at the nominal burn times, then all three at once
            let s0 = 1.0f64.clamp(s_lo, s_hi);
            match fit_at_scale(model, obs, geom, s0, None, &mut evaluations) {
                Ok((k, kick)) => lm3(
                    model,
                    obs,
                    geom,
                    t_obs,
                    Some((
                        Tuning {
                            dv_scale: k,
                            burn_scale: s0,
                        },
                        kick,
                    )),
                    &mut evaluations,
                ),
                Err(_) => None,
            }
        }
        _ => None,
    };
    let (tuning, kick) = match obs.flight_time_s {
        None => {
            let s = start.map_or(1.0, |(t, _)| t.burn_scale).clamp(s_lo, s_hi);
            let warm = start.map(|(t, kick)| (t.dv_scale, kick));
            let (k, kick) = fit_at_scale(model, obs, geom, s, warm, &mut evaluations)?;
            (
                Tuning {
                    dv_scale: k,
                    burn_scale: s,
                },
                kick,
            )
        }
        Some(t_obs) if warm3.is_some() => warm3.unwrap_or((Tuning::default(), t_obs)),
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
                    let x = if v < 0.0 {
                        s0.ln() + step * i as f64
                    } else {
                        s0.ln() - step * i as f64
                    };
                    if x > s_hi.ln() + 1e-12 || x < s_lo.ln() - 1e-12 {
                        break;
                    }
                    match time_residual(x, &mut evaluations) {
                        Ok(w) if (w < 0.0) == (v < 0.0) => {
                            if v < 0.0 {
                                lo = x
                            } else {
                                hi = x
                            }
                        }
                        _ => {
                            bracket = Some(if v < 0.0 { (lo, x) } else { (x, hi) });
                            break;
                        }
                    }
                }
            }
            let ln_s = match bracket {
                Some((a, b)) => {
                    increasing_root(|x| time_residual(x, &mut evaluations), a, b, 1e-7, 60)
                }
                None => None,
            };
            // without a root, keep the bound nearest the flight time (the
            // residual is then reported, not hidden)
            let ln_s = match ln_s {
                Some(x) => x,
                None => {
                    let edge = if matches!(f0, Ok(v) if v < 0.0) {
                        s_hi.ln()
                    } else {
                        s_lo.ln()
                    };
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
            (
                Tuning {
                    dv_scale: k,
                    burn_scale: s,
                },
                kick,
            )
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
        flight_time_residual_pct: obs
            .flight_time_s
            .map(|t| 100.0 * (flight.flight_time_s / t - 1.0)),
        burn_scale_fitted: obs.flight_time_s.is_some(),
        evaluations,
    })
}

/// From a warm start (a neighbouring fit), all three of delta-v scale, pitch
/// and burn-time scale at once by Levenberg-Marquardt; None unless it
/// reproduces all three observables.
fn lm3(
    model: &Model,
    obs: &Observables,
    geom: &TestGeometry,
    t_obs: f64,
    start: Option<(Tuning, f64)>,
    evaluations: &mut usize,
) -> Option<(Tuning, f64)> {
    let (t0, kick0) = start?;
    let (s_lo, s_hi) = model.burn_scale_bounds;
    let f3 = |p: &[f64; 3]| {
        let f = model
            .test_flight(
                Tuning {
                    dv_scale: p[0].exp(),
                    burn_scale: p[2].exp(),
                },
                p[1],
                geom,
            )
            .ok()?;
        Some([
            (f.apogee_km / obs.apogee_km).ln(),
            signed_range_km(geom.site, geom.bearing_deg, &f) / obs.range_km - 1.0,
            (f.flight_time_s / t_obs).ln(),
        ])
    };
    let (p, r, n) = levenberg_marquardt(
        f3,
        [t0.dv_scale.ln(), kick0, t0.burn_scale.ln()],
        [-3.0, -10.0, s_lo.ln()],
        [2.0, MAX_FIT_KICK, s_hi.ln()],
        // the flight time moves little with the burn scale: a larger step keeps
        // that column of the Jacobian above the integrator's noise
        [1e-6, 1e-5, 1e-4],
        1e-9,
        15,
    )?;
    *evaluations += n;
    let tuning = Tuning {
        dv_scale: p[0].exp(),
        burn_scale: p[2].exp(),
    };
    if r.iter().all(|x| x.abs() < 1e-6) {
        return Some((tuning, p[1]));
    }
    // at or heading for a bound of the burn scale: if the flight time cannot
    // be met even there, meet apogee and range exactly at the bound (the time
    // residual is then reported)
    for (bound, time_too_long) in [(s_lo, true), (s_hi, false)] {
        if (p[2] - bound.ln()).abs() < 0.1 {
            let (k, kick) = fit_at_scale(
                model,
                obs,
                geom,
                bound,
                Some((tuning.dv_scale, p[1])),
                evaluations,
            )
            .ok()?;
            let t = Tuning {
                dv_scale: k,
                burn_scale: bound,
            };
            *evaluations += 1;
            let f = model.test_flight(t, kick, geom).ok()?;
            if (f.flight_time_s > t_obs) == time_too_long {
                return Some((t, kick));
            }
        }
    }
    None
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
