//! Uncertainty by Monte Carlo: draw the observables and the assumptions from
//! stated distributions, refit each draw, and collect the ranges.
//!
//! Each draw has its own random stream (ChaCha8 seeded with the run's seed and
//! the draw's index), so results do not depend on the number of threads or
//! their scheduling: the same seed gives the same numbers.
//!
//! A draw starts from the nominal solution and is close to it, so it is
//! solved the cheap way: the fit by [`refit`] (joint Newton steps with a
//! Broyden-updated Jacobian, about 11 flights where [`crate::fit`]'s nested
//! solvers take about 90), each best range by [`best_range_near`] (a bracket
//! walked from the nominal kick, about 12 flights where a hinted
//! [`crate::best_range`] takes about 35), flown at [`Precision::Survey`].
//! Each falls back to the full method when the cheap one does not hold. On the
//! Hwasong-15 case, 10,000 draws cost 8.4 s of CPU instead of 42 s, and the
//! percentiles moved by at most 5 km (README, Speed).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};
use rayon::prelude::*;
use serde::Serialize;

use crate::earth::GeoPoint;
use crate::reconstruct::{
    best_range, best_range_near, refit, Aim, Fitted, Model, Observables, TestGeometry,
};
use crate::rocket::Tuning;
use crate::trajectory::Precision;

/// The distributions draws come from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    /// Relative standard deviation of the reported apogee (reporters differ by a few percent).
    pub apogee_rel_sigma: f64,
    /// Relative standard deviation of the reported ground range.
    pub range_rel_sigma: f64,
    /// Uniform bounds of the vertical-rise time, as factors of the model's.
    pub vertical_factor: (f64, f64),
    /// Relative standard deviation of each stage's specific impulse.
    pub isp_rel_sigma: f64,
}

impl Default for Spread {
    fn default() -> Self {
        Spread {
            apogee_rel_sigma: 0.02,
            range_rel_sigma: 0.02,
            vertical_factor: (0.6, 1.4),
            isp_rel_sigma: 0.03,
        }
    }
}

/// How many draws, from which seed, and whether to also fly toward a target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SampleSettings {
    pub samples: usize,
    pub seed: u64,
    pub spread: Spread,
    /// Launch site and azimuth of a target, for the range toward it on the rotating Earth.
    pub toward: Option<(GeoPoint, f64)>,
}

/// One draw's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Sample {
    pub non_rotating_km: f64,
    pub toward_km: Option<f64>,
    pub tuning: Tuning,
}

/// Runs the draws in parallel. `progress` is called once per finished draw
/// and returns whether to go on: once it says stop (the caller's deadline has
/// passed), the remaining draws are not computed and are counted as
/// "cancelled". Returns the successful draws in index order and the failed
/// ones counted by reason (a perturbed test the model cannot fit, say).
pub fn sample(
    model: &Model,
    obs: &Observables,
    geom: &TestGeometry,
    nominal: &Fitted,
    nominal_best_kick: f64,
    settings: &SampleSettings,
    progress: &(dyn Fn() -> bool + Sync),
) -> (Vec<Sample>, std::collections::BTreeMap<String, usize>) {
    let sp = settings.spread;
    // how much the best kick toward the target differs from the standard
    // one for the nominal rocket: each draw's toward search starts from its
    // own standard kick moved by as much
    let toward_offset = settings.toward.and_then(|(s, az)| {
        let aim = Aim {
            rocket: &model.rocket,
            tuning: nominal.tuning,
            site: s,
            azimuth_deg: az,
            rotating: true,
        };
        best_range(model, &aim, Some(nominal_best_kick))
            .ok()
            .map(|b| b.kick_deg - nominal_best_kick)
    });
    let stop = std::sync::atomic::AtomicBool::new(false);
    let results: Vec<Result<Sample, String>> = (0..settings.samples)
        .into_par_iter()
        .map(|i| {
            if stop.load(std::sync::atomic::Ordering::Relaxed) {
                return Err("cancelled".to_string());
            }
            let mut rng = ChaCha8Rng::seed_from_u64(settings.seed);
            rng.set_stream(i as u64);
            let out = one_draw(
                model,
                obs,
                geom,
                nominal,
                (nominal_best_kick, toward_offset.unwrap_or(0.0)),
                settings,
                &sp,
                &mut rng,
            );
            if !progress() {
                stop.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            out
        })
        .collect();
    let mut failed = std::collections::BTreeMap::new();
    let mut ok = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(s) => ok.push(s),
            Err(e) => *failed.entry(e).or_insert(0) += 1,
        }
    }
    (ok, failed)
}

#[allow(clippy::too_many_arguments)]
fn one_draw(
    model: &Model,
    obs: &Observables,
    geom: &TestGeometry,
    nominal: &Fitted,
    (nominal_best_kick, toward_offset): (f64, f64),
    settings: &SampleSettings,
    sp: &Spread,
    rng: &mut ChaCha8Rng,
) -> Result<Sample, String> {
    let mut normal = |rel: f64| {
        Normal::new(1.0, rel)
            .map(|d| d.sample(rng).max(0.5))
            .map_err(|e| format!("bad spread: {e}"))
    };
    let apogee = obs.apogee_km * normal(sp.apogee_rel_sigma)?;
    let range = obs.range_km * normal(sp.range_rel_sigma)?;
    // the flight time with the spread its sources disagree by
    let time = match obs.flight_time_s {
        Some(t) => Some(
            (t + Normal::new(0.0, obs.flight_time_sigma_s)
                .map_err(|e| format!("bad spread: {e}"))?
                .sample(rng))
            .max(0.5 * t),
        ),
        None => None,
    };
    let o = Observables {
        apogee_km: apogee,
        range_km: range,
        flight_time_s: time,
        flight_time_sigma_s: obs.flight_time_sigma_s,
    };
    // the stage-level assumptions drawn from their priors: each stage's burn
    // time (and so its thrust) and specific impulse apart
    let mut m = model.clone();
    m.vertical_s = model.vertical_s * rng.gen_range(sp.vertical_factor.0..=sp.vertical_factor.1);
    let burn =
        Normal::new(0.0, model.burn_prior_ln_sigma).map_err(|e| format!("bad spread: {e}"))?;
    let isp = Normal::new(1.0, sp.isp_rel_sigma).map_err(|e| format!("bad spread: {e}"))?;
    for st in &mut m.rocket.stages {
        st.burn_s *= burn.sample(rng).exp();
        st.isp_s *= isp.sample(rng).max(0.5);
    }
    // a failure's reason, without the numbers that differ from draw to draw
    // a failure's cause, without the numbers that differ from draw to draw
    let reason = |e: crate::FlightError| {
        use crate::FlightError as E;
        match e {
            E::FlightTimeConflict { .. } => {
                "the drawn flight time conflicts with the drawn apogee and range".to_string()
            }
            E::ApogeeTooLow { .. } => "the drawn apogee is too low for the drawn range".into(),
            E::NoLiftoff { .. } => "the drawn rocket cannot lift off".into(),
            E::ImpactDuringBurn { .. } => "the drawn rocket falls over during its burn".into(),
            E::InvalidObservable { field, .. } => format!("a drawn {field} is not physical"),
            other => {
                let s = other.to_string();
                s.split(&['(', ':'][..])
                    .take(2)
                    .collect::<Vec<_>>()
                    .join(":")
                    .trim()
                    .to_string()
            }
        }
    };
    let f = refit(&m, &o, geom, nominal).map_err(reason)?;
    // the range searches at survey precision: a draw's range needs no more
    let m = Model {
        precision: Precision::Survey,
        ..m
    };
    let rocket = &m.rocket;
    let site = geom.site;
    let aim = |site: GeoPoint, azimuth_deg: f64, rotating: bool| Aim {
        rocket,
        tuning: f.tuning,
        site,
        azimuth_deg,
        rotating,
    };
    let nr = best_range_near(&m, &aim(site, 90.0, false), nominal_best_kick).map_err(reason)?;
    let toward_km = match settings.toward {
        Some((s, az)) => Some(
            best_range_near(&m, &aim(s, az, true), nr.kick_deg + toward_offset)
                .map_err(reason)?
                .range_km,
        ),
        None => None,
    };
    Ok(Sample {
        non_rotating_km: nr.range_km,
        toward_km,
        tuning: f.tuning,
    })
}

/// The p-th percentile (0-100) of `values` by linear interpolation; None if empty.
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let pos = (p / 100.0).clamp(0.0, 1.0) * (v.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    Some(v[lo] + (v[hi] - v[lo]) * (pos - lo as f64))
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn percentiles_interpolate() {
        let v = [4.0, 1.0, 3.0, 2.0];
        assert_eq!(percentile(&v, 0.0), Some(1.0));
        assert_eq!(percentile(&v, 100.0), Some(4.0));
        assert_eq!(percentile(&v, 50.0), Some(2.5));
        assert_eq!(percentile(&[], 50.0), None);
    }
}
