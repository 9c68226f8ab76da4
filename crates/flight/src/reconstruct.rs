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
use crate::trajectory::{fly, Drag, Flight, FlightSpec, PitchMode, PitchProgram};
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
            return Err(FlightError::ApogeeTooLow {
                apogee_km: self.apogee_km,
                range_km: self.range_km,
                min_km,
            });
        }
        Ok(())
    }
}

/// The shallowest burnout flight-path angle a reported test may imply, degrees.
pub const MIN_FLIGHT_PATH_DEG: f64 = 3.0;

/// Apogee, km above the sphere, of the Kepler arc that leaves the surface at
/// flight-path angle `gamma_deg` and comes down `range_km` away. From the
/// free-flight range equation sin(2 gamma + psi/2) = (2 - nu)/nu sin(psi/2),
/// with nu = v^2 r / mu. Infinite where no bound arc exists.
pub fn ballistic_apogee_km(range_km: f64, gamma_deg: f64) -> f64 {
    let r = RADIUS / 1000.0;
    let half = range_km / r / 2.0;
    let gamma = gamma_deg.to_radians();
    let nu = 2.0 * half.sin() / (half.sin() + (2.0 * gamma + half).sin());
    if !(0.0..2.0).contains(&nu) {
        // no closed arc: the speed needed is at or beyond escape
        return f64::INFINITY;
    }
    let e = (1.0 - nu * (2.0 - nu) * gamma.cos().powi(2))
        .max(0.0)
        .sqrt();
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
    /// Pitch programme of the fitted test flight (lofted or otherwise).
    pub fit_pitch: PitchMode,
    /// Pitch programme of the range-maximising flights.
    pub range_pitch: PitchMode,
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
    /// Ground range, km; [`GLOBAL_RANGE_KM`] when the best flight goes into orbit.
    pub range_km: f64,
    pub kick_deg: f64,
    /// The best flight; None when it goes into orbit.
    pub flight: Option<Flight>,
}

/// Half the circumference of the sphere, km: a range this long reaches every point on Earth.
pub const GLOBAL_RANGE_KM: f64 = std::f64::consts::PI * RADIUS / 1000.0;

impl Model {
    fn earth(&self, rotating: bool) -> EarthModel {
        EarthModel {
            omega: if rotating { crate::earth::OMEGA } else { 0.0 },
            j2: self.j2,
        }
    }

    /// One flight of the test's pitch programme.
    pub fn test_flight(
        &self,
        tuning: Tuning,
        kick_deg: f64,
        geom: &TestGeometry,
    ) -> Result<Flight, FlightError> {
        self.fly(
            self.fit_pitch,
            &self.rocket,
            tuning,
            kick_deg,
            geom.site,
            geom.bearing_deg,
            geom.rotating,
        )
    }

    /// One flight of the range-maximising pitch programme.
    pub fn range_flight(
        &self,
        rocket: &Rocket,
        tuning: Tuning,
        kick_deg: f64,
        site: GeoPoint,
        azimuth_deg: f64,
        rotating: bool,
    ) -> Result<Flight, FlightError> {
        self.fly(
            self.range_pitch,
            rocket,
            tuning,
            kick_deg,
            site,
            azimuth_deg,
            rotating,
        )
    }

    /// One flight of the model rocket.
    #[allow(clippy::too_many_arguments)]
    pub fn fly(
        &self,
        mode: PitchMode,
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
            pitch: PitchProgram {
                mode,
                vertical_s: self.vertical_s,
                kick_deg,
                kick_s: self.kick_s,
            },
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
    let sign = if (ri - r0).dot(ahead) >= 0.0 {
        1.0
    } else {
        -1.0
    };
    sign * RADIUS / 1000.0 * central_angle(r0, ri)
}

const MAX_KICK: f64 = 70.0;
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
    // an arc that goes into orbit reaches everywhere: count it as half the
    // circumference (the farthest a point on the sphere can be)
    let range =
        |kick: f64| match model.range_flight(rocket, tuning, kick, site, azimuth_deg, rotating) {
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
        return best_range(model, rocket, tuning, site, azimuth_deg, rotating, None);
    }
    let (kick, _) = best.ok_or_else(no_flight)?;
    let (range_km, flight) =
        match model.range_flight(rocket, tuning, kick, site, azimuth_deg, rotating) {
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
    let nodes = 360 / STEP;
    let mut kicks = Vec::with_capacity(nodes);
    let mut node_ranges = Vec::with_capacity(nodes);
    let mut ranges = vec![0.0; 360];
    let mut h = hint;
    for i in 0..nodes {
        let b = best_range(
            model,
            rocket,
            tuning,
            site,
            (i * STEP) as f64,
            true,
            Some(h),
        )?;
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
        let interpolated = match model.range_flight(rocket, tuning, kick, site, az as f64, true) {
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
                let full = best_range(model, rocket, tuning, site, az as f64, true, None)?.range_km;
                full.max(other.unwrap_or(0.0))
            }
        };
    }
    Ok(ranges)
}

/// Everything `reconstruct` computes from one test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reconstruction {
    pub fit: Fitted,
    /// Range-maximising flight on a non-rotating Earth.
    pub standard: BestRange,
    /// Range toward each whole degree of azimuth on the rotating Earth.
    pub by_azimuth: Option<Vec<f64>>,
    /// Range-maximising flight toward a given azimuth on the rotating Earth.
    pub toward: Option<BestRange>,
    /// (payload kg, non-rotating standard range km) for the same fitted rocket.
    pub payload_trade: Vec<(f64, Option<f64>)>,
}

/// What to compute besides the fit.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Launch point for the rotating-Earth figures (all azimuths, and `toward_azimuth_deg`).
    pub sweep_site: Option<GeoPoint>,
    pub toward_azimuth_deg: Option<f64>,
    /// Payloads to fly the fitted rocket with, kg.
    pub payloads_kg: Vec<f64>,
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
    let standard = best_range(model, rocket, fitted.tuning, geom.site, 90.0, false, None)?;
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
        (Some(site), Some(az)) => Some(best_range(
            model,
            rocket,
            fitted.tuning,
            site,
            az,
            true,
            Some(standard.kick_deg),
        )?),
        _ => None,
    };
    let payload_trade = plan
        .payloads_kg
        .iter()
        .map(|&p| {
            let r = rocket.with_payload(p);
            let range = best_range(
                model,
                &r,
                fitted.tuning,
                geom.site,
                90.0,
                false,
                Some(standard.kick_deg),
            )
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
    })
}
