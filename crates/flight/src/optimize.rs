//! Small, dependency-free numerical solvers used by the reconstruction:
//! a bracketing root finder, Brent's maximiser, and a Levenberg-Marquardt
//! least-squares solver for two or three parameters.
//!
//! Every objective may fail (a trial rocket that cannot lift off, or goes into
//! orbit); the solvers treat failures as values outside the bracket rather than
//! aborting, so a fit explores the edges of the feasible region safely.

// dense linear algebra reads best with explicit indices
#![allow(clippy::needless_range_loop)]

/// Finds x in [lo, hi] with f(x) = 0 where f is increasing; `f` may return
/// `None` for infeasible points, which are treated as `below` (true: the point
/// lies below the root) as the caller says. Bisection mixed with secant steps
/// (Illinois). Returns None when the bracket holds no sign change.
pub fn increasing_root(
    mut f: impl FnMut(f64) -> Result<f64, bool>,
    mut lo: f64,
    mut hi: f64,
    xtol: f64,
    max_iter: usize,
) -> Option<f64> {
    // Err(true): infeasible, counts as below the root; Err(false): above.
    let eval = |f: &mut dyn FnMut(f64) -> Result<f64, bool>, x: f64| match f(x) {
        Ok(v) => (v, true),
        Err(below) => (if below { -1e3 } else { 1e3 }, false),
    };
    let (mut flo, _) = eval(&mut f, lo);
    let (mut fhi, _) = eval(&mut f, hi);
    if flo > 0.0 || fhi < 0.0 {
        return None;
    }
    let mut side = 0i8;
    for _ in 0..max_iter {
        if hi - lo < xtol {
            break;
        }
        // secant between finite bracket values when both ends were feasible
        let mut x = if flo.abs() < 1e3 && fhi.abs() < 1e3 {
            lo - flo * (hi - lo) / (fhi - flo)
        } else {
            0.5 * (lo + hi)
        };
        if !(x > lo && x < hi) || (x - lo) < 1e-3 * (hi - lo) || (hi - x) < 1e-3 * (hi - lo) {
            x = 0.5 * (lo + hi);
        }
        let (fx, _) = eval(&mut f, x);
        if fx == 0.0 {
            return Some(x);
        }
        if fx < 0.0 {
            lo = x;
            flo = fx;
            if side == -1 {
                fhi *= 0.5;
            }
            side = -1;
        } else {
            hi = x;
            fhi = fx;
            if side == 1 {
                flo *= 0.5;
            }
            side = 1;
        }
    }
    // converged only if the bracket closed on feasible values of opposite sign
    // (a bracket that closed on the edge of the feasible region is no root)
    if flo.abs() >= 1e3 && fhi.abs() >= 1e3 {
        return None;
    }
    if flo.abs() < 1e3 && fhi.abs() < 1e3 {
        return Some(if flo.abs() < fhi.abs() { lo } else { hi });
    }
    let (x, fx) = if flo.abs() < 1e3 {
        (lo, flo)
    } else {
        (hi, fhi)
    };
    (hi - lo < xtol && fx.abs() < 1e-6).then_some(x)
}

/// Brent's method for the maximum of a unimodal `f` on [a, b]. Infeasible
/// points (`None`) count as minus infinity. Returns (x, f(x)).
pub fn maximize(
    mut f: impl FnMut(f64) -> Option<f64>,
    a: f64,
    b: f64,
    xtol: f64,
    max_iter: usize,
) -> Option<(f64, f64)> {
    let mut g = |x: f64| -f(x).unwrap_or(f64::NEG_INFINITY);
    let x = a + GOLDEN * (b - a);
    let fx = g(x);
    brent(&mut g, a, b, [(x, fx); 3], 0.0, xtol, max_iter)
}

/// Brent's method from three points already flown inside [a, b] (the
/// bracket a local search found): the first parabolic step uses them, so
/// none of them is flown again. `seed` holds (x, f(x)) with f(x) None where
/// infeasible. Returns (x, f(x)).
pub fn maximize_from(
    mut f: impl FnMut(f64) -> Option<f64>,
    a: f64,
    b: f64,
    seed: [(f64, Option<f64>); 3],
    xtol: f64,
    max_iter: usize,
) -> Option<(f64, f64)> {
    let mut g = |x: f64| -f(x).unwrap_or(f64::NEG_INFINITY);
    let mut pts = seed.map(|(x, v)| (x, -v.unwrap_or(f64::NEG_INFINITY)));
    // Brent's x, w, v: the best point, the second best, the third
    pts.sort_by(|p, q| p.1.total_cmp(&q.1));
    brent(&mut g, a, b, pts, b - a, xtol, max_iter)
}

const GOLDEN: f64 = 0.381_966_011_250_105_1;

/// Brent's minimisation of `g` on [a, b] from its state: `pts` are (x, g(x)),
/// (w, g(w)), (v, g(v)), `e` the step before last. Returns (x, -g(x)).
fn brent(
    g: &mut dyn FnMut(f64) -> f64,
    mut a: f64,
    mut b: f64,
    pts: [(f64, f64); 3],
    e: f64,
    xtol: f64,
    max_iter: usize,
) -> Option<(f64, f64)> {
    const C: f64 = GOLDEN;
    let [(mut x, mut fx), (mut w, mut fw), (mut v, mut fv)] = pts;
    let mut d: f64 = 0.0;
    let mut e: f64 = e;
    for _ in 0..max_iter {
        let m = 0.5 * (a + b);
        let tol1 = xtol * 0.5 + 1e-12 * x.abs();
        let tol2 = 2.0 * tol1;
        if (x - m).abs() <= tol2 - 0.5 * (b - a) {
            break;
        }
        let mut golden = true;
        if e.abs() > tol1 && fx.is_finite() && fw.is_finite() && fv.is_finite() {
            let r = (x - w) * (fx - fv);
            let mut q = (x - v) * (fx - fw);
            let mut p = (x - v) * q - (x - w) * r;
            q = 2.0 * (q - r);
            if q > 0.0 {
                p = -p;
            }
            q = q.abs();
            let etemp = e;
            if p.abs() < (0.5 * q * etemp).abs() && p > q * (a - x) && p < q * (b - x) {
                e = d;
                d = p / q;
                let u = x + d;
                if u - a < tol2 || b - u < tol2 {
                    d = if m >= x { tol1 } else { -tol1 };
                }
                golden = false;
            }
        }
        if golden {
            e = if x >= m { a - x } else { b - x };
            d = C * e;
        }
        let u = if d.abs() >= tol1 {
            x + d
        } else {
            x + if d >= 0.0 { tol1 } else { -tol1 }
        };
        let fu = g(u);
        if fu <= fx {
            if u >= x {
                a = x;
            } else {
                b = x;
            }
            v = w;
            fv = fw;
            w = x;
            fw = fx;
            x = u;
            fx = fu;
        } else {
            if u < x {
                a = u;
            } else {
                b = u;
            }
            if fu <= fw || w == x {
                v = w;
                fv = fw;
                w = u;
                fw = fu;
            } else if fu <= fv || v == x || v == w {
                v = u;
                fv = fu;
            }
        }
    }
    if fx.is_finite() {
        Some((x, -fx))
    } else {
        None
    }
}

/// Solves a dense n x n system by Gaussian elimination with partial pivoting.
pub fn solve_linear<const N: usize>(mut a: [[f64; N]; N], mut b: [f64; N]) -> Option<[f64; N]> {
    for col in 0..N {
        let piv = (col..N).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[piv][col].abs() < 1e-300 {
            return None;
        }
        a.swap(col, piv);
        b.swap(col, piv);
        for row in col + 1..N {
            let f = a[row][col] / a[col][col];
            for k in col..N {
                a[row][k] -= f * a[col][k];
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = [0.0; N];
    for row in (0..N).rev() {
        let mut s = b[row];
        for k in row + 1..N {
            s -= a[row][k] * x[k];
        }
        x[row] = s / a[row][row];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

/// Levenberg-Marquardt on N parameters and N residuals (square problems, or
/// least squares when some residuals are zero-weighted by the caller), with
/// box bounds and forward-difference Jacobians. `f` returns None where the
/// model cannot be evaluated. Returns the parameters, the residuals and the
/// number of model evaluations, or None if the start point is infeasible.
pub fn levenberg_marquardt<const N: usize>(
    mut f: impl FnMut(&[f64; N]) -> Option<[f64; N]>,
    start: [f64; N],
    lower: [f64; N],
    upper: [f64; N],
    steps: [f64; N],
    ftol: f64,
    max_iter: usize,
) -> Option<([f64; N], [f64; N], usize)> {
    let clamp = |mut p: [f64; N]| {
        for i in 0..N {
            p[i] = p[i].clamp(lower[i], upper[i]);
        }
        p
    };
    let mut p = clamp(start);
    let mut r = f(&p)?;
    let mut evals = 1;
    let cost = |r: &[f64; N]| r.iter().map(|x| x * x).sum::<f64>();
    let mut c = cost(&r);
    let mut lambda = 1e-3;
    for _ in 0..max_iter {
        if r.iter().all(|x| x.abs() < ftol) {
            break;
        }
        // Jacobian J[i][j] = d r_i / d p_j
        let mut jac = [[0.0; N]; N];
        for j in 0..N {
            let mut q = p;
            let mut hstep = steps[j];
            if q[j] + hstep > upper[j] {
                hstep = -hstep;
            }
            q[j] += hstep;
            let rq = f(&q);
            evals += 1;
            let rq = match rq {
                Some(v) => v,
                None => {
                    q[j] = p[j] - hstep;
                    hstep = -hstep;
                    evals += 1;
                    f(&q)?
                }
            };
            for i in 0..N {
                jac[i][j] = (rq[i] - r[i]) / hstep;
            }
        }
        // normal equations (J^T J + lambda diag) dp = -J^T r
        let mut improved = false;
        for _ in 0..12 {
            let mut a = [[0.0; N]; N];
            let mut g = [0.0; N];
            for j in 0..N {
                for k in 0..N {
                    a[j][k] = (0..N).map(|i| jac[i][j] * jac[i][k]).sum();
                }
                g[j] = -(0..N).map(|i| jac[i][j] * r[i]).sum::<f64>();
            }
            for j in 0..N {
                a[j][j] *= 1.0 + lambda;
                a[j][j] += 1e-14;
            }
            let Some(dp) = solve_linear(a, g) else {
                lambda *= 10.0;
                continue;
            };
            let mut q = p;
            for j in 0..N {
                q[j] += dp[j];
            }
            let q = clamp(q);
            evals += 1;
            if let Some(rq) = f(&q) {
                let cq = cost(&rq);
                if cq < c {
                    p = q;
                    r = rq;
                    c = cq;
                    lambda = (lambda / 10.0).max(1e-9);
                    improved = true;
                    break;
                }
            }
            lambda *= 10.0;
        }
        if !improved {
            break;
        }
    }
    Some((p, r, evals))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_of_a_cubic() {
        let x = increasing_root(|x| Ok(x * x * x - 2.0), 0.0, 3.0, 1e-12, 200).expect("root");
        assert!((x - 2f64.cbrt()).abs() < 1e-9);
    }

    #[test]
    fn root_with_infeasible_edges() {
        // below 0.5 the model fails (counts as below), above 2.5 it fails (above)
        let f = |x: f64| {
            if x < 0.5 {
                Err(true)
            } else if x > 2.5 {
                Err(false)
            } else {
                Ok(x - 1.7)
            }
        };
        let x = increasing_root(f, 0.0, 3.0, 1e-10, 200).expect("root");
        assert!((x - 1.7).abs() < 1e-8);
        assert!(increasing_root(|x| Ok(x + 10.0), 0.0, 1.0, 1e-9, 50).is_none());
    }

    #[test]
    fn maximum_of_a_parabola_and_a_sine() {
        let (x, fx) =
            maximize(|x| Some(-(x - 1.3) * (x - 1.3) + 4.0), -5.0, 5.0, 1e-9, 100).expect("max");
        assert!((x - 1.3).abs() < 1e-6 && (fx - 4.0).abs() < 1e-12);
        let (x, _) = maximize(|x| Some(x.sin()), 0.0, 3.0, 1e-9, 100).expect("max");
        assert!((x - std::f64::consts::FRAC_PI_2).abs() < 1e-6);
    }

    #[test]
    fn levenberg_marquardt_solves_a_nonlinear_pair() {
        // x^2 + y = 11, x + y^2 = 7 (Himmelblau's root at 3, 2)
        let f = |p: &[f64; 2]| Some([p[0] * p[0] + p[1] - 11.0, p[0] + p[1] * p[1] - 7.0]);
        let (p, r, _) = levenberg_marquardt(
            f,
            [2.5, 1.5],
            [0.0, 0.0],
            [5.0, 5.0],
            [1e-7, 1e-7],
            1e-12,
            100,
        )
        .expect("solves");
        assert!(
            (p[0] - 3.0).abs() < 1e-8 && (p[1] - 2.0).abs() < 1e-8,
            "{p:?} {r:?}"
        );
    }

    #[test]
    fn linear_solver_matches_a_known_system() {
        let x = solve_linear(
            [[2.0, 1.0, -1.0], [-3.0, -1.0, 2.0], [-2.0, 1.0, 2.0]],
            [8.0, -11.0, -3.0],
        )
        .expect("solves");
        for (a, b) in x.iter().zip([2.0, 3.0, -1.0]) {
            assert!((a - b).abs() < 1e-12);
        }
    }
}
