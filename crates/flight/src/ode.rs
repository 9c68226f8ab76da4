//! Equations of motion apart from the steppers that integrate them.
//!
//! A [`System`] gives derivatives; a [`Stepper`] takes one step and estimates
//! its local error; [`integrate`] drives any stepper adaptively and can stop at
//! the first downward zero of an event function (impact, apogee). Swapping the
//! stepper (Dormand-Prince 5(4) by default, classical RK4 with step doubling for
//! cross-checks) changes nothing else.

// index loops read as the Butcher tableau they implement
#![allow(clippy::needless_range_loop)]

/// A first-order system y' = f(t, y) of fixed dimension.
pub trait System<const N: usize> {
    fn derivs(&self, t: f64, y: &[f64; N]) -> [f64; N];
}

/// One step of an explicit method with an error estimate.
pub trait Stepper {
    /// Order of the error estimate (the step-size controller uses it).
    const ORDER: i32;
    /// Advance `y` at `t` by `h`; returns the new state and an error vector.
    fn step<const N: usize, S: System<N>>(
        &self,
        sys: &S,
        t: f64,
        y: &[f64; N],
        h: f64,
    ) -> ([f64; N], [f64; N]);
}

/// Error tolerances: per-component absolute and one relative tolerance.
#[derive(Debug, Clone, Copy)]
pub struct Tolerances<const N: usize> {
    pub atol: [f64; N],
    pub rtol: f64,
}

/// How an integration ended.
#[derive(Debug, Clone, Copy)]
pub struct Outcome<const N: usize> {
    pub t: f64,
    pub y: [f64; N],
    /// True when the event function crossed zero downward before `t_end`.
    pub event: bool,
    pub steps: u32,
}

/// Integration failures.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum OdeError {
    #[error("the step size fell below {h:e} s at t = {t:.3} s: the equations are too stiff or singular there")]
    StepTooSmall { t: f64, h: f64 },
    #[error("the state became NaN or infinite at t = {t:.3} s")]
    NonFinite { t: f64 },
    #[error("more than {max} steps were needed")]
    TooManySteps { max: u32 },
}

const MAX_STEPS: u32 = 200_000;

fn axpy<const N: usize>(y: &[f64; N], terms: &[(f64, &[f64; N])]) -> [f64; N] {
    let mut out = *y;
    for (c, k) in terms {
        if *c != 0.0 {
            for i in 0..N {
                out[i] += c * k[i];
            }
        }
    }
    out
}

/// Dormand-Prince 5(4) (the RK45 of MATLAB's ode45), propagating the 5th-order solution.
#[derive(Debug, Clone, Copy, Default)]
pub struct DormandPrince54;

impl Stepper for DormandPrince54 {
    const ORDER: i32 = 5;

    #[inline]
    fn step<const N: usize, S: System<N>>(
        &self,
        sys: &S,
        t: f64,
        y: &[f64; N],
        h: f64,
    ) -> ([f64; N], [f64; N]) {
        let k1 = sys.derivs(t, y);
        let k2 = sys.derivs(t + h / 5.0, &axpy(y, &[(h / 5.0, &k1)]));
        let k3 = sys.derivs(
            t + 3.0 * h / 10.0,
            &axpy(y, &[(h * 3.0 / 40.0, &k1), (h * 9.0 / 40.0, &k2)]),
        );
        let k4 = sys.derivs(
            t + 4.0 * h / 5.0,
            &axpy(
                y,
                &[
                    (h * 44.0 / 45.0, &k1),
                    (h * -56.0 / 15.0, &k2),
                    (h * 32.0 / 9.0, &k3),
                ],
            ),
        );
        let k5 = sys.derivs(
            t + 8.0 * h / 9.0,
            &axpy(
                y,
                &[
                    (h * 19372.0 / 6561.0, &k1),
                    (h * -25360.0 / 2187.0, &k2),
                    (h * 64448.0 / 6561.0, &k3),
                    (h * -212.0 / 729.0, &k4),
                ],
            ),
        );
        let k6 = sys.derivs(
            t + h,
            &axpy(
                y,
                &[
                    (h * 9017.0 / 3168.0, &k1),
                    (h * -355.0 / 33.0, &k2),
                    (h * 46732.0 / 5247.0, &k3),
                    (h * 49.0 / 176.0, &k4),
                    (h * -5103.0 / 18656.0, &k5),
                ],
            ),
        );
        let y5 = axpy(
            y,
            &[
                (h * 35.0 / 384.0, &k1),
                (h * 500.0 / 1113.0, &k3),
                (h * 125.0 / 192.0, &k4),
                (h * -2187.0 / 6784.0, &k5),
                (h * 11.0 / 84.0, &k6),
            ],
        );
        let k7 = sys.derivs(t + h, &y5);
        // difference between the 5th- and 4th-order solutions
        let e = [
            71.0 / 57600.0,
            0.0,
            -71.0 / 16695.0,
            71.0 / 1920.0,
            -17253.0 / 339200.0,
            22.0 / 525.0,
            -1.0 / 40.0,
        ];
        let mut err = [0.0; N];
        for i in 0..N {
            err[i] = h
                * (e[0] * k1[i]
                    + e[2] * k3[i]
                    + e[3] * k4[i]
                    + e[4] * k5[i]
                    + e[5] * k6[i]
                    + e[6] * k7[i]);
        }
        (y5, err)
    }
}

/// Classical fourth-order Runge-Kutta with step doubling for the error estimate
/// (three RK4 steps per call). Slower than Dormand-Prince; kept as an
/// independent check of the equations of motion (built for the tests and
/// the `numerics` feature only).
#[cfg(any(test, feature = "numerics"))]
#[derive(Debug, Clone, Copy, Default)]
pub struct Rk4Doubling;

#[cfg(any(test, feature = "numerics"))]
fn rk4<const N: usize, S: System<N>>(sys: &S, t: f64, y: &[f64; N], h: f64) -> [f64; N] {
    let k1 = sys.derivs(t, y);
    let k2 = sys.derivs(t + h / 2.0, &axpy(y, &[(h / 2.0, &k1)]));
    let k3 = sys.derivs(t + h / 2.0, &axpy(y, &[(h / 2.0, &k2)]));
    let k4 = sys.derivs(t + h, &axpy(y, &[(h, &k3)]));
    axpy(
        y,
        &[
            (h / 6.0, &k1),
            (h / 3.0, &k2),
            (h / 3.0, &k3),
            (h / 6.0, &k4),
        ],
    )
}

#[cfg(any(test, feature = "numerics"))]
impl Stepper for Rk4Doubling {
    const ORDER: i32 = 5;

    fn step<const N: usize, S: System<N>>(
        &self,
        sys: &S,
        t: f64,
        y: &[f64; N],
        h: f64,
    ) -> ([f64; N], [f64; N]) {
        let full = rk4(sys, t, y, h);
        let half = rk4(sys, t, y, h / 2.0);
        let two = rk4(sys, t + h / 2.0, &half, h / 2.0);
        let mut err = [0.0; N];
        let mut out = two;
        for i in 0..N {
            err[i] = (two[i] - full[i]) / 15.0;
            out[i] = two[i] + err[i]; // Richardson extrapolation
        }
        (out, err)
    }
}

fn error_norm<const N: usize>(
    tol: &Tolerances<N>,
    y0: &[f64; N],
    y1: &[f64; N],
    err: &[f64; N],
) -> f64 {
    let mut s = 0.0;
    for i in 0..N {
        let sc = tol.atol[i] + tol.rtol * y0[i].abs().max(y1[i].abs());
        let q = err[i] / sc;
        s += q * q;
    }
    (s / N as f64).sqrt()
}

/// An event function g(t, y): integration stops where it falls to zero.
pub type Event<'a, const N: usize> = &'a dyn Fn(f64, &[f64; N]) -> f64;

/// Integrates from `t0` to `t_end` (> t0) with adaptive steps starting at `h0`.
///
/// With an `event` function g(t, y), stops at the first point where g goes from
/// positive to zero or below, located by bisection on the step to 1e-9 of its
/// length; the returned state is then on the event (to that accuracy).
#[allow(clippy::too_many_arguments)]
pub fn integrate<const N: usize, S: System<N>, St: Stepper>(
    stepper: &St,
    sys: &S,
    t0: f64,
    y0: [f64; N],
    t_end: f64,
    h0: f64,
    tol: &Tolerances<N>,
    event: Option<Event<'_, N>>,
) -> Result<Outcome<N>, OdeError> {
    let mut t = t0;
    let mut y = y0;
    let mut h = h0.min(t_end - t0).max(1e-9);
    let mut steps = 0u32;
    let mut g_prev = event.map(|g| g(t, &y));
    let exponent = -1.0 / St::ORDER as f64;
    while t < t_end {
        if steps >= MAX_STEPS {
            return Err(OdeError::TooManySteps { max: MAX_STEPS });
        }
        let last = t + h >= t_end;
        let h_try = if last { t_end - t } else { h };
        let (y1, err) = stepper.step(sys, t, &y, h_try);
        let en = error_norm(tol, &y, &y1, &err);
        if !en.is_finite() {
            if h_try < 1e-9 {
                return Err(OdeError::NonFinite { t });
            }
            h = h_try / 10.0;
            continue;
        }
        if en > 1.0 {
            let factor = (0.9 * en.powf(exponent)).clamp(0.1, 0.9);
            h = h_try * factor;
            if h < 1e-9 * (1.0 + t.abs()) {
                return Err(OdeError::StepTooSmall { t, h });
            }
            continue;
        }
        steps += 1;
        let t1 = if last { t_end } else { t + h_try };
        if let (Some(g), Some(gp)) = (event, g_prev) {
            let g1 = g(t1, &y1);
            if gp > 0.0 && g1 <= 0.0 {
                // Illinois (modified regula falsi) on the step length from the
                // accepted start point: each trial is one step of the stepper
                let (mut lo, mut hi) = (0.0, h_try);
                let (mut g_lo, mut g_hi) = (gp, g1);
                let mut y_hi = y1;
                let mut side = 0i8;
                let mut prev_mid = f64::NAN;
                let t_tol = 1e-9 * h_try.max(1e-6);
                for _ in 0..60 {
                    if hi - lo <= t_tol {
                        break;
                    }
                    let mut mid = hi - g_hi * (hi - lo) / (g_hi - g_lo);
                    if !(mid > lo && mid < hi) {
                        mid = 0.5 * (lo + hi);
                    }
                    if (mid - prev_mid).abs() < t_tol {
                        // converged: take the side just past the event
                        if mid < hi {
                            let (ym, _) = stepper.step(sys, t, &y, (mid + t_tol).min(hi));
                            if g(t + (mid + t_tol).min(hi), &ym) <= 0.0 {
                                hi = (mid + t_tol).min(hi);
                                y_hi = ym;
                            }
                        }
                        break;
                    }
                    prev_mid = mid;
                    let (ym, _) = stepper.step(sys, t, &y, mid);
                    let gm = g(t + mid, &ym);
                    if gm > 0.0 {
                        lo = mid;
                        g_lo = gm;
                        if side == 1 {
                            g_hi *= 0.5;
                        }
                        side = 1;
                    } else {
                        hi = mid;
                        g_hi = gm;
                        y_hi = ym;
                        if side == -1 {
                            g_lo *= 0.5;
                        }
                        side = -1;
                        if gm == 0.0 {
                            break;
                        }
                    }
                    if (g_hi - g_lo).abs() < f64::MIN_POSITIVE {
                        break;
                    }
                }
                return Ok(Outcome {
                    t: t + hi,
                    y: y_hi,
                    event: true,
                    steps,
                });
            }
            g_prev = Some(g1);
        }
        t = t1;
        y = y1;
        let factor = if en == 0.0 {
            5.0
        } else {
            (0.9 * en.powf(exponent)).clamp(0.2, 5.0)
        };
        if !last {
            h = h_try * factor;
        }
    }
    Ok(Outcome {
        t,
        y,
        event: false,
        steps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// y'' = -y, a harmonic oscillator with the exact solution cos t.
    struct Oscillator;
    impl System<2> for Oscillator {
        fn derivs(&self, _t: f64, y: &[f64; 2]) -> [f64; 2] {
            [y[1], -y[0]]
        }
    }

    fn tol() -> Tolerances<2> {
        Tolerances {
            atol: [1e-12; 2],
            rtol: 1e-10,
        }
    }

    #[test]
    fn both_steppers_follow_cos_t() {
        let dp = integrate(
            &DormandPrince54,
            &Oscillator,
            0.0,
            [1.0, 0.0],
            10.0,
            0.1,
            &tol(),
            None,
        )
        .expect("integrates");
        let rk = integrate(
            &Rk4Doubling,
            &Oscillator,
            0.0,
            [1.0, 0.0],
            10.0,
            0.1,
            &tol(),
            None,
        )
        .expect("integrates");
        assert!((dp.y[0] - 10f64.cos()).abs() < 1e-8, "{}", dp.y[0]);
        assert!((rk.y[0] - 10f64.cos()).abs() < 1e-8, "{}", rk.y[0]);
        assert_eq!(dp.t, 10.0);
    }

    #[test]
    fn event_stops_at_first_downward_zero() {
        // cos t first falls through zero at pi/2
        let g = |_t: f64, y: &[f64; 2]| y[0];
        let out = integrate(
            &DormandPrince54,
            &Oscillator,
            0.0,
            [1.0, 0.0],
            10.0,
            0.1,
            &tol(),
            Some(&g),
        )
        .expect("integrates");
        assert!(out.event);
        assert!(
            (out.t - std::f64::consts::FRAC_PI_2).abs() < 1e-8,
            "{}",
            out.t
        );
    }

    #[test]
    fn dormand_prince_error_shrinks_at_fifth_order() {
        // one step of h and of h/2 from the same point: error ratio about 2^5 (local 2^6)
        let (y_a, _) = DormandPrince54.step(&Oscillator, 0.0, &[1.0, 0.0], 0.4);
        let (y_b, _) = DormandPrince54.step(&Oscillator, 0.0, &[1.0, 0.0], 0.2);
        let ea = (y_a[0] - 0.4f64.cos()).abs();
        let eb = (y_b[0] - 0.2f64.cos()).abs();
        let ratio = ea / eb;
        assert!(ratio > 40.0 && ratio < 90.0, "local error ratio {ratio}");
    }
}
