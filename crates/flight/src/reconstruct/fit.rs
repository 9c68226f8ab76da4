//! The fit: the delta-v scale and the test's pitch (and, given a flight
//! time, the burn-time scale) that make the model rocket reproduce a test.
//! A geometric start (the Kepler arc with the observed apogee and range),
//! then Levenberg-Marquardt; a nested bracketing search is the fallback.

use serde::Serialize;

use super::kepler::ballistic_apogee_km;
use super::model::{Model, Observables, TestGeometry};
use crate::earth::{central_angle, local_frame, GeoPoint, RADIUS};
use crate::optimize::{increasing_root, levenberg_marquardt, solve_linear};
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
    finish(model, obs, tuning, kick, at_bound, flight, evaluations)
}

/// Checks a solution against the observables and the reported flight time,
/// and records it.
fn finish(
    model: &Model,
    obs: &Observables,
    tuning: Tuning,
    kick: f64,
    at_bound: bool,
    flight: Flight,
    evaluations: usize,
) -> Result<Fitted, FlightError> {
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

/// Refits a test from a nearby solution: a Monte Carlo draw (observables
/// within a few percent, a rocket whose burn times and specific impulses are
/// drawn apart) from the nominal fit. The same estimator as [`fit`], solved
/// another way: Newton steps on p = (ln dv_scale, kick, ln burn_scale)
/// jointly, each step meeting the linearised apogee and range exactly and
/// minimising the linearised MAP objective of the flight time along them,
/// with one forward-difference Jacobian at the start and Broyden updates
/// after (one flight a step instead of four). About 8 flights a draw where the
/// nested solvers of [`fit`] take about 90. When it does not converge (a draw
/// far from the nominal, a step into a rocket that cannot fly) it hands over
/// to [`fit`], so it never gives up on a draw [`fit`] would solve.
pub fn refit(
    model: &Model,
    obs: &Observables,
    geom: &TestGeometry,
    near: &Fitted,
) -> Result<Fitted, FlightError> {
    obs.validate()?;
    model.rocket.validate()?;
    let start = Some((near.tuning, near.kick_deg));
    match newton_fit(model, obs, geom, near) {
        Some((tuning, kick, at_bound, flight, evaluations)) => {
            finish(model, obs, tuning, kick, at_bound, flight, evaluations)
        }
        None => fit(model, obs, geom, start),
    }
}

/// Parameter bounds of the joint solve: ln dv_scale, kick (degrees), ln burn_scale.
fn newton_bounds(model: &Model, timed: bool) -> ([f64; 3], [f64; 3]) {
    let (s_lo, s_hi) = model.burn_scale_bounds;
    if timed {
        ([-3.0, -10.0, s_lo.ln()], [2.0, MAX_FIT_KICK, s_hi.ln()])
    } else {
        ([-3.0, -10.0, 0.0], [2.0, MAX_FIT_KICK, 0.0])
    }
}

/// One trial flight of the joint solve: its observables and the flight.
type Probe<'a> = dyn FnMut(&[f64; 3]) -> Option<([f64; 3], Flight)> + 'a;

/// The joint Newton-Broyden solve behind [`refit`]; None when it does not
/// converge. Returns the tuning, the kick, whether the burn-time scale sits on
/// a bound, the solution's flight and the number of flights flown.
fn newton_fit(
    model: &Model,
    obs: &Observables,
    geom: &TestGeometry,
    near: &Fitted,
) -> Option<(Tuning, f64, bool, Flight, usize)> {
    let timed = obs.flight_time_s.is_some();
    let t_obs = obs.flight_time_s.unwrap_or(0.0);
    let var_t = obs.flight_time_sigma_s.powi(2);
    let var_s = model.burn_prior_ln_sigma.powi(2);
    let (lower, upper) = newton_bounds(model, timed);
    let clamp = |mut p: [f64; 3]| {
        for i in 0..3 {
            p[i] = p[i].clamp(lower[i], upper[i]);
        }
        p
    };
    let mut evaluations = 0usize;
    // observables of a trial: ln(apogee ratio), relative signed range error, flight time (s)
    let mut probe = |p: &[f64; 3]| -> Option<([f64; 3], Flight)> {
        evaluations += 1;
        let tuning = Tuning {
            dv_scale: p[0].exp(),
            burn_scale: p[2].exp(),
        };
        let f = model.test_flight(tuning, p[1], geom).ok()?;
        let v = [
            (f.apogee_km / obs.apogee_km).ln(),
            signed_range_km(geom.site, geom.bearing_deg, &f) / obs.range_km - 1.0,
            f.flight_time_s,
        ];
        v.iter().all(|x| x.is_finite()).then_some((v, f))
    };
    let mut p = clamp([
        near.tuning.dv_scale.ln(),
        near.kick_deg,
        if timed {
            near.tuning.burn_scale.ln()
        } else {
            0.0
        },
    ]);
    let (mut v, _) = probe(&p)?;
    // forward differences small enough to be local, large enough to stand
    // above the integrator's noise (relative 1e-8)
    const H: [f64; 3] = [1e-5, 1e-4, 1e-4];
    let columns = if timed { 3 } else { 2 };
    let jacobian = |p: &[f64; 3], v: &[f64; 3], probe: &mut Probe<'_>| {
        let mut jac = [[0.0; 3]; 3];
        for j in 0..columns {
            let mut q = *p;
            let h = if q[j] + H[j] > upper[j] { -H[j] } else { H[j] };
            q[j] += h;
            let (vq, _) = probe(&q)?;
            for i in 0..3 {
                jac[i][j] = (vq[i] - v[i]) / h;
            }
        }
        Some(jac)
    };
    let mut jac = jacobian(&p, &v, &mut probe)?;
    let mut remeasured = 0;
    // Broyden's update measures steps in these units (a degree of kick is
    // worth about a percent of delta-v)
    const SCALE: [f64; 3] = [0.01, 1.0, 0.01];
    for iteration in 0..24 {
        let step = newton_step(
            &jac,
            &v,
            p[2],
            (lower[2], upper[2]),
            timed,
            t_obs,
            var_t,
            var_s,
        )?;
        // a step no longer than a few degrees of kick or percents of delta-v
        let size = (step[0].abs() / 0.1)
            .max(step[1].abs() / 3.0)
            .max(step[2].abs() / 0.2);
        let shrink = if size > 1.0 { 1.0 / size } else { 1.0 };
        let mut trial = None;
        let mut factor = shrink;
        for _ in 0..4 {
            let q = clamp([
                p[0] + factor * step[0],
                p[1] + factor * step[1],
                p[2] + factor * step[2],
            ]);
            if let Some(r) = probe(&q) {
                trial = Some((q, r));
                break;
            }
            factor *= 0.5;
        }
        let (q, (vq, fq)) = trial?;
        let s = [q[0] - p[0], q[1] - p[1], q[2] - p[2]];
        // Broyden's rank-one update in scaled units, from steps long enough
        // that the change they make stands above the integrator's noise
        // (about 1e-6 of the apogee): shorter ones would teach it noise
        let ss: f64 = (0..3).map(|j| (s[j] / SCALE[j]).powi(2)).sum();
        if ss > 1e-4 {
            for i in 0..3 {
                let predicted: f64 = (0..3).map(|j| jac[i][j] * s[j]).sum();
                let miss = vq[i] - v[i] - predicted;
                for j in 0..columns {
                    jac[i][j] += miss * s[j] / SCALE[j].powi(2) / ss;
                }
            }
        }
        let worse = vq[0].abs().max(vq[1].abs()) > (2.0 * v[0].abs().max(v[1].abs())).max(1e-5);
        p = q;
        v = vq;
        // converged: apogee and range met as tightly as by [`fit`] (1e-6),
        // and the burn-time scale settled as there (1e-4 in its logarithm
        // moves a standard range by about 0.004 %)
        let met = v[0].abs() < 1e-6 && v[1].abs() < 1e-6;
        if met && s[2].abs() < 1e-4 {
            let (lo, hi) = (lower[2], upper[2]);
            let at_bound = timed && ((p[2] - lo).abs() < 1e-3 || (hi - p[2]).abs() < 1e-3);
            let tuning = Tuning {
                dv_scale: p[0].exp(),
                burn_scale: p[2].exp(),
            };
            return Some((tuning, p[1], at_bound, fq, evaluations));
        }
        // a step that missed, or a stall: the Jacobian has gone stale;
        // measure it again (at most three times)
        if (worse || iteration == 11) && remeasured < 3 {
            jac = jacobian(&p, &v, &mut probe)?;
            remeasured += 1;
        }
    }
    None
}

/// One step of the joint solve: the step that meets the linearised apogee
/// and range (`v[0]`, `v[1]` to zero) and, with a flight time, moves the
/// burn-time scale to the minimum of the linearised MAP objective along the
/// curve where they stay met, within its bounds. None when the Jacobian is
/// singular.
#[allow(clippy::too_many_arguments)]
fn newton_step(
    jac: &[[f64; 3]; 3],
    v: &[f64; 3],
    x: f64,
    (lo, hi): (f64, f64),
    timed: bool,
    t_obs: f64,
    var_t: f64,
    var_s: f64,
) -> Option<[f64; 3]> {
    let a = [[jac[0][0], jac[0][1]], [jac[1][0], jac[1][1]]];
    // the step that meets apogee and range with the burn scale held
    let d0 = solve_linear(a, [-v[0], -v[1]])?;
    if !timed {
        return Some([d0[0], d0[1], 0.0]);
    }
    // the direction along which they stay met, per unit of ln(burn scale)
    let dn = solve_linear(a, [-jac[0][2], -jac[1][2]])?;
    let dir = [dn[0], dn[1], 1.0];
    // the flight time after the first step, and its slope along the direction
    let c = v[2] + jac[2][0] * d0[0] + jac[2][1] * d0[1] - t_obs;
    let g: f64 = (0..3).map(|j| jac[2][j] * dir[j]).sum();
    // minimise (c + g mu)^2 / var_t + (x + mu)^2 / var_s over mu
    let mu = -(c * g / var_t + x / var_s) / (g * g / var_t + 1.0 / var_s);
    let mu = (x + mu).clamp(lo, hi) - x;
    mu.is_finite()
        .then_some([d0[0] + mu * dir[0], d0[1] + mu * dir[1], mu])
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
