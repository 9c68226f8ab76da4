//! Reach probability: the share of Monte Carlo draws in which a place is
//! within reach.
//!
//! Why levels and not one footprint per draw: what a draw of a
//! reconstruction changes above all is how much energy the rocket has, and the
//! footprint grows with it, but not uniformly (on the rotating Earth an
//! eastward flight gains more than a westward one as energy grows). So each
//! missile carries its draws as their standard ranges over the nominal one
//! (the draw's "scale"), sorted, and footprints of the fitted rocket at a few
//! energies ("levels", each with its own scale). A draw's footprint is the
//! levels' interpolated at its scale; a place at distance `d` toward azimuth
//! `az` is in reach in the draws whose scale is at least the scale whose
//! footprint just reaches it. One sorted vector per missile answers every
//! place by a binary search, instead of a footprint per draw per place. The
//! caller states the error of the interpolation (measured against exact
//! sweeps in `report::arsenal`).
//!
//! Several missiles or launch points: the draws are taken as ranked together
//! (the model assumptions a draw varies are shared), so a place's probability
//! is the largest over missiles of each one's share, and over launch points
//! the nearest-in-reach one counts.

use std::borrow::Cow;

use crate::exposure::{Launch, MissileReach};
use crate::geodesy::{lambert_km, sphere_azimuth, unit_vector, SPHERE_KM};
use crate::places::Places;
use crate::RangeModel;

/// A missile's Monte Carlo spread.
#[derive(Debug, Clone, PartialEq)]
pub struct Spread {
    /// Each draw's standard range over the nominal one, ascending.
    pub scales: Vec<f64>,
    /// The fitted rocket's footprint at a few energies: (its standard range
    /// over the nominal one, its range model), ascending; the nominal among them.
    pub levels: Vec<(f64, RangeModel)>,
}

impl Spread {
    /// The footprint of a draw of scale `s`: the levels interpolated at `s`;
    /// beyond them, the nearest level in proportion.
    pub fn at_scale(&self, s: f64) -> RangeModel {
        at_scale(&self.levels, s)
    }
}

fn at_scale(levels: &[(f64, RangeModel)], s: f64) -> RangeModel {
    match levels {
        [] => RangeModel::Constant(0.0),
        [(k, r)] => r.scaled(s / k),
        _ => {
            let (k0, r0) = &levels[0];
            let (kn, rn) = &levels[levels.len() - 1];
            if s <= *k0 {
                return r0.scaled(s / k0);
            }
            if s >= *kn {
                return rn.scaled(s / kn);
            }
            let j = levels
                .partition_point(|(k, _)| *k <= s)
                .clamp(1, levels.len() - 1);
            let ((ka, ra), (kb, rb)) = (&levels[j - 1], &levels[j]);
            ra.blend(rb, if kb > ka { (s - ka) / (kb - ka) } else { 0.0 })
        }
    }
}

/// The smallest scale whose footprint reaches `d` km toward `az`.
fn needed_scale(levels: &[(f64, Cow<RangeModel>)], d: f64, az: f64) -> f64 {
    let r = |j: usize| levels[j].1.at(az);
    let k = |j: usize| levels[j].0;
    let n = levels.len();
    if n == 0 {
        return f64::INFINITY;
    }
    let ratio = |j: usize| {
        let rj = r(j);
        if rj <= 0.0 {
            f64::INFINITY
        } else {
            k(j) * d / rj
        }
    };
    if d <= r(0) || n == 1 {
        return ratio(0);
    }
    if d > r(n - 1) {
        return ratio(n - 1);
    }
    for j in 1..n {
        let (ra, rb) = (r(j - 1), r(j));
        if d <= rb {
            return if rb > ra {
                k(j - 1) + (k(j) - k(j - 1)) * (d - ra) / (rb - ra)
            } else {
                k(j)
            };
        }
    }
    ratio(n - 1)
}

/// Per missile: its sorted draw scales (None: a range without spread, in
/// reach or not) and its levels from each launch point.
struct Member<'a> {
    scales: Option<&'a [f64]>,
    from: Vec<Vec<(f64, Cow<'a, RangeModel>)>>,
}

/// Answers the reach probability of any point for a set of missiles and launch points.
pub struct ProbabilityField<'a> {
    launches: Vec<(&'a Launch, [f64; 3])>,
    members: Vec<Member<'a>>,
    /// The cosine of the central angle beyond which no draw of any missile reaches.
    cos_out: f64,
}

impl<'a> ProbabilityField<'a> {
    /// `spreads[i]` belongs to `missiles[i]` (None: no spread).
    pub fn new(
        launches: &'a [Launch],
        missiles: &'a [MissileReach],
        spreads: &'a [Option<Spread>],
    ) -> Self {
        let members: Vec<Member> = missiles
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let spread = spreads.get(i).and_then(|s| s.as_ref());
                Member {
                    scales: spread.map(|s| s.scales.as_slice()),
                    from: launches
                        .iter()
                        .map(|l| match spread {
                            Some(s) if !s.levels.is_empty() => s
                                .levels
                                .iter()
                                .map(|(k, r)| (*k, r.for_launch(l.lat)))
                                .collect(),
                            _ => vec![(1.0, m.range.for_launch(l.lat))],
                        })
                        .collect(),
                }
            })
            .collect();
        let far = missiles
            .iter()
            .enumerate()
            .map(|(i, m)| match spreads.get(i).and_then(|s| s.as_ref()) {
                Some(s) => {
                    let top = s.scales.last().copied().unwrap_or(1.0);
                    s.at_scale(top).max_km().max(m.range.max_km()) * 1.01
                }
                None => m.range.max_km() * 1.01,
            })
            .fold(0.0, f64::max);
        let angle = far / SPHERE_KM;
        ProbabilityField {
            launches: launches
                .iter()
                .map(|l| (l, unit_vector(l.lat, l.lon)))
                .collect(),
            members,
            cos_out: if angle >= std::f64::consts::PI {
                -1.0
            } else {
                angle.cos()
            },
        }
    }

    /// The share of draws (0-1) in which the point is within reach.
    pub fn p(&self, unit: &[f64; 3], lat: f64, lon: f64) -> f64 {
        let near = self
            .launches
            .iter()
            .any(|(_, u)| u[0] * unit[0] + u[1] * unit[1] + u[2] * unit[2] >= self.cos_out);
        if !near {
            return 0.0;
        }
        // distance and azimuth from each launch point, computed once
        let legs: Vec<(f64, f64)> = self
            .launches
            .iter()
            .map(|(l, _)| {
                (
                    lambert_km(l.lat, l.lon, lat, lon),
                    sphere_azimuth(l.lat, l.lon, lat, lon),
                )
            })
            .collect();
        let mut best: f64 = 0.0;
        for m in &self.members {
            // the smallest scale of range that reaches the point from some launch point
            let need = legs
                .iter()
                .zip(&m.from)
                .map(|(&(d, az), levels)| needed_scale(levels, d, az))
                .fold(f64::INFINITY, f64::min);
            let p = match m.scales {
                None => {
                    if need <= 1.0 {
                        1.0
                    } else {
                        0.0
                    }
                }
                Some([]) => 0.0,
                Some(s) => {
                    let below = s.partition_point(|&x| x < need);
                    (s.len() - below) as f64 / s.len() as f64
                }
            };
            best = best.max(p);
            if best >= 1.0 {
                break;
            }
        }
        best
    }
}

/// The places with a reach probability above zero, as (index into
/// `places.cities`, probability), over the places `keep` selects.
pub fn probabilities(
    places: &Places,
    field: &ProbabilityField,
    keep: impl Fn(&crate::City) -> bool,
) -> Vec<(usize, f64)> {
    places
        .cities
        .iter()
        .enumerate()
        .filter(|(_, c)| keep(c))
        .filter_map(|(i, c)| {
            let p = field.p(&places.cities.unit(i), c.lat, c.lon);
            (p > 0.0).then_some((i, p))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn launch() -> Launch {
        Launch {
            id: "a".into(),
            name: "A".into(),
            lat: 40.0,
            lon: 125.0,
        }
    }

    fn missile(km: f64) -> MissileReach {
        MissileReach {
            id: "m".into(),
            name: "M".into(),
            class: "IRBM".into(),
            range: RangeModel::Constant(km),
            range_source: "test".into(),
        }
    }

    #[test]
    fn share_of_draws_that_reach_a_point() {
        let launches = [launch()];
        let missiles = [missile(1_000.0)];
        // ten draws: 0.85 ... 1.30 of the nominal range, footprints in proportion
        let scales = [Some(Spread {
            scales: (0..10).map(|i| 0.85 + 0.05 * i as f64).collect(),
            levels: vec![(1.0, RangeModel::Constant(1_000.0))],
        })];
        let f = ProbabilityField::new(&launches, &missiles, &scales);
        let at = |km: f64| {
            let (lat, lon) = crate::geodesy::direct(40.0, 125.0, 90.0, km);
            f.p(&unit_vector(lat, lon), lat, lon)
        };
        assert_eq!(at(500.0), 1.0);
        // 1,000 km needs a scale of 1.0: draws 1.00 .. 1.30 (seven of ten)
        let mid = at(1_000.0);
        assert!((mid - 0.7).abs() < 0.1 + 1e-9, "{mid}");
        assert!(at(1_200.0) > 0.0 && at(1_200.0) < mid);
        assert_eq!(at(1_400.0), 0.0);
    }

    #[test]
    fn a_draw_between_levels_takes_the_interpolated_footprint() {
        // the footprint grows faster than in proportion: 1,000 km at scale 1, 1,500 at 1.2
        let s = Spread {
            scales: vec![1.0, 1.1, 1.2],
            levels: vec![
                (1.0, RangeModel::Constant(1_000.0)),
                (1.2, RangeModel::Constant(1_500.0)),
            ],
        };
        assert!((s.at_scale(1.1).max_km() - 1_250.0).abs() < 1e-9);
        assert_eq!(s.at_scale(0.5).max_km(), 500.0);
        let launches = [launch()];
        let missiles = [missile(1_000.0)];
        let spreads = [Some(s)];
        let f = ProbabilityField::new(&launches, &missiles, &spreads);
        let at = |km: f64| {
            let (lat, lon) = crate::geodesy::direct(40.0, 125.0, 90.0, km);
            f.p(&unit_vector(lat, lon), lat, lon)
        };
        // 1,200 km needs scale 1.08: two of three draws; 1,400 needs 1.16: one
        assert!((at(1_200.0) - 2.0 / 3.0).abs() < 1e-9, "{}", at(1_200.0));
        assert!((at(1_400.0) - 1.0 / 3.0).abs() < 1e-9, "{}", at(1_400.0));
        assert_eq!(at(1_600.0), 0.0);
    }

    #[test]
    fn without_draws_a_range_reaches_or_not() {
        let launches = [launch()];
        let missiles = [missile(1_000.0), missile(2_000.0)];
        let scales = [None, None];
        let f = ProbabilityField::new(&launches, &missiles, &scales);
        let (lat, lon) = crate::geodesy::direct(40.0, 125.0, 0.0, 1_500.0);
        assert_eq!(f.p(&unit_vector(lat, lon), lat, lon), 1.0);
        let (lat, lon) = crate::geodesy::direct(40.0, 125.0, 0.0, 2_100.0);
        assert_eq!(f.p(&unit_vector(lat, lon), lat, lon), 0.0);
    }
}
