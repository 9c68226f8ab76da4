//! Reach probability: the share of Monte Carlo draws in which a place is
//! within reach.
//!
//! Why scales and not one footprint per draw: a draw of a reconstruction
//! changes how much energy the rocket has, and the footprint on the rotating
//! Earth grows or shrinks with it almost uniformly. So each missile carries
//! its draws as multiples of its nominal range model (each draw's
//! non-rotating standard range over the nominal one), sorted; a place at
//! distance `d` toward azimuth `az` is in reach in the draws whose scale is at
//! least `d / range(az)`. One sorted vector per missile answers every place by
//! a binary search, instead of a footprint per draw per place. The caller
//! states the error of the uniform-scale assumption (the reach report measures
//! it against exact sweeps of the extreme draws).
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

/// Per missile: its sorted draw scales (None: a range without spread, in
/// reach or not) and its range model from each launch point.
struct Member<'a> {
    scales: Option<&'a [f64]>,
    from: Vec<Cow<'a, RangeModel>>,
}

/// Answers the reach probability of any point for a set of missiles and launch points.
pub struct ProbabilityField<'a> {
    launches: Vec<(&'a Launch, [f64; 3])>,
    members: Vec<Member<'a>>,
    /// The cosine of the central angle beyond which no draw of any missile reaches.
    cos_out: f64,
}

impl<'a> ProbabilityField<'a> {
    /// `scales[i]` belongs to `missiles[i]`: sorted ascending, or None.
    pub fn new(
        launches: &'a [Launch],
        missiles: &'a [MissileReach],
        scales: &'a [Option<Vec<f64>>],
    ) -> Self {
        let members: Vec<Member> = missiles
            .iter()
            .enumerate()
            .map(|(i, m)| Member {
                scales: scales.get(i).and_then(|s| s.as_deref()),
                from: launches.iter().map(|l| m.range.for_launch(l.lat)).collect(),
            })
            .collect();
        let far = missiles
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let top = scales
                    .get(i)
                    .and_then(|s| s.as_deref())
                    .and_then(|s| s.last().copied())
                    .unwrap_or(1.0)
                    .max(1.0);
                m.range.max_km() * top * 1.01
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
                .map(|(&(d, az), r)| {
                    let range = r.at(az);
                    if range <= 0.0 {
                        f64::INFINITY
                    } else {
                        d / range
                    }
                })
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
        .zip(&places.units)
        .enumerate()
        .filter(|(_, (c, _))| keep(c))
        .filter_map(|(i, (c, u))| {
            let p = field.p(u, c.lat, c.lon);
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
        // ten draws: 0.85 ... 1.30 of the nominal range
        let scales = [Some(
            (0..10).map(|i| 0.85 + 0.05 * i as f64).collect::<Vec<_>>(),
        )];
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
