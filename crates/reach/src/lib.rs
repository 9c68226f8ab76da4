//! # reach
//!
//! Who is within reach of which missiles from which launch points: the
//! places data (embedded), geodesic footprints, exposure queries and their
//! GeoJSON and SVG renderings.
//!
//! Why a crate apart from `flight`: reach needs only a range per azimuth, from
//! a catalogue or from a reconstruction, and knows nothing of rockets; the
//! deal assessment calls it to count residual exposure.
//!
//! Cheap filter, exact answer: a dot product on the sphere decides every place
//! that is clearly in or clearly out; the WGS84 geodesic (Karney) decides the
//! few within 0.6 % of the edge.
//!
//! ```
//! use reach::{exposure, Launch, MissileReach, Places, RangeModel};
//! let places = Places::bundled().expect("bundled data");
//! let launch = Launch { id: "pyongyang".into(), name: "Pyongyang".into(), lat: 39.2, lon: 125.67 };
//! let nodong = MissileReach { id: "nodong".into(), name: "Nodong".into(), class: "MRBM".into(),
//!     range: RangeModel::Constant(1_300.0), range_source: "catalogue".into() };
//! let e = exposure(places, &[launch], &[nodong]);
//! assert!(e.cities.iter().any(|c| c.name == "Seoul"));
//! ```
//!
//! This crate knows nothing of deals, rockets, files or HTTP.

mod exposure;
pub mod footprint;
pub mod geodesy;
pub mod map;
mod places;
pub mod probability;

pub use exposure::{
    exposure, exposure_listing, exposure_where, CityHit, ClassTotals, CountryHit, Exposure, Launch,
    MissileReach, SiteHit,
};
pub use places::{
    City, Country, MilitarySite, Outline, PersonnelTotal, Places, COUNTRIES_CITATION,
    GEONAMES_CITATION, OUTLINES_CITATION,
};
pub use probability::{probabilities, ProbabilityField, Spread};

/// How far a missile flies, possibly by azimuth.
#[derive(Debug, Clone, PartialEq)]
pub enum RangeModel {
    /// The same range toward every azimuth, km.
    Constant(f64),
    /// 360 ranges, km, index = azimuth in whole degrees clockwise from north.
    ByAzimuth(Vec<f64>),
    /// 360 ranges by azimuth tabulated at a few launch latitudes (degrees,
    /// ascending): on a rotating Earth the footprint depends on the launch
    /// latitude (not on its longitude). A launch point takes the table
    /// interpolated linearly to its latitude, clamped to the tabulated span;
    /// the caller states the interpolation error.
    ByLaunchLatitude(Vec<(f64, Vec<f64>)>),
}

/// Half the circumference of the mean sphere, km: a range this long reaches everywhere.
/// The range classes, shortest first, as every map, table and grouping of
/// this project names them (`catalog::MissileClass` is the typed form; a test
/// there keeps the two equal).
pub const CLASSES: [&str; 4] = ["SRBM", "MRBM", "IRBM", "ICBM"];

pub const GLOBAL_KM: f64 = std::f64::consts::PI * geodesy::SPHERE_KM;

impl RangeModel {
    /// Range toward azimuth `az` (degrees), linearly interpolated between whole degrees.
    pub fn at(&self, az: f64) -> f64 {
        match self {
            RangeModel::Constant(r) => *r,
            RangeModel::ByAzimuth(v) if v.len() == 360 => {
                let a = az.rem_euclid(360.0);
                let i = a.floor() as usize % 360;
                let f = a - a.floor();
                v[i] + f * (v[(i + 1) % 360] - v[i])
            }
            RangeModel::ByAzimuth(v) => v.iter().copied().fold(0.0, f64::max),
            // without a launch latitude: the largest of the tables
            RangeModel::ByLaunchLatitude(t) => t
                .iter()
                .map(|(_, v)| RangeModel::ByAzimuth(v.clone()).at(az))
                .fold(0.0, f64::max),
        }
    }

    /// The range model from a launch point at latitude `lat` (degrees).
    pub fn for_launch(&self, lat: f64) -> std::borrow::Cow<'_, RangeModel> {
        use std::borrow::Cow;
        match self {
            RangeModel::ByLaunchLatitude(t) if !t.is_empty() => {
                let i = t.partition_point(|(l, _)| *l <= lat);
                if i == 0 {
                    return Cow::Owned(RangeModel::ByAzimuth(t[0].1.clone()));
                }
                if i == t.len() {
                    return Cow::Owned(RangeModel::ByAzimuth(t[t.len() - 1].1.clone()));
                }
                let ((l0, a), (l1, b)) = (&t[i - 1], &t[i]);
                let f = if l1 > l0 { (lat - l0) / (l1 - l0) } else { 0.0 };
                Cow::Owned(RangeModel::ByAzimuth(
                    a.iter().zip(b).map(|(x, y)| x + f * (y - x)).collect(),
                ))
            }
            other => Cow::Borrowed(other),
        }
    }

    /// The same model with every range multiplied by `k` (capped at [`GLOBAL_KM`]).
    pub fn scaled(&self, k: f64) -> RangeModel {
        let f = |x: f64| (x * k).min(GLOBAL_KM);
        match self {
            RangeModel::Constant(r) => RangeModel::Constant(f(*r)),
            RangeModel::ByAzimuth(v) => RangeModel::ByAzimuth(v.iter().map(|x| f(*x)).collect()),
            RangeModel::ByLaunchLatitude(t) => RangeModel::ByLaunchLatitude(
                t.iter()
                    .map(|(l, v)| (*l, v.iter().map(|x| f(*x)).collect()))
                    .collect(),
            ),
        }
    }

    /// `(1 - f) * self + f * other`, range by range (the two of the same shape,
    /// as footprints of one rocket at two energies are); otherwise `self`.
    pub fn blend(&self, other: &RangeModel, f: f64) -> RangeModel {
        let mix = |a: &[f64], b: &[f64]| -> Vec<f64> {
            a.iter().zip(b).map(|(x, y)| x + f * (y - x)).collect()
        };
        match (self, other) {
            (RangeModel::Constant(a), RangeModel::Constant(b)) => {
                RangeModel::Constant(a + f * (b - a))
            }
            (RangeModel::ByAzimuth(a), RangeModel::ByAzimuth(b)) if a.len() == b.len() => {
                RangeModel::ByAzimuth(mix(a, b))
            }
            (RangeModel::ByLaunchLatitude(a), RangeModel::ByLaunchLatitude(b))
                if a.len() == b.len() =>
            {
                RangeModel::ByLaunchLatitude(
                    a.iter()
                        .zip(b)
                        .map(|((l, x), (_, y))| (*l, mix(x, y)))
                        .collect(),
                )
            }
            _ => self.clone(),
        }
    }

    /// Whether the range depends on the direction.
    pub fn varies_by_azimuth(&self) -> bool {
        !matches!(self, RangeModel::Constant(_))
    }

    pub fn max_km(&self) -> f64 {
        match self {
            RangeModel::Constant(r) => *r,
            RangeModel::ByAzimuth(v) => v.iter().copied().fold(0.0, f64::max),
            RangeModel::ByLaunchLatitude(t) => t
                .iter()
                .flat_map(|(_, v)| v.iter().copied())
                .fold(0.0, f64::max),
        }
    }

    pub fn min_km(&self) -> f64 {
        match self {
            RangeModel::Constant(r) => *r,
            RangeModel::ByAzimuth(v) => v.iter().copied().fold(f64::INFINITY, f64::min),
            RangeModel::ByLaunchLatitude(t) => t
                .iter()
                .flat_map(|(_, v)| v.iter().copied())
                .fold(f64::INFINITY, f64::min),
        }
    }

    /// The longest geodesic worth drawing: half the Earth's circumference.
    pub fn cap_km(&self) -> f64 {
        GLOBAL_KM
    }
}

/// Errors of the places data (a build-time defect, reported not hidden).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReachError {
    #[error("bundled data {file}, line {line}: {message}")]
    Data {
        file: &'static str,
        line: usize,
        message: String,
    },
}

/// The launch points on the convex hull of the set (on a local plane): with
/// ranges far larger than the spread of the sites, their footprints outline the
/// union of all.
pub fn hull_launches(launches: &[Launch]) -> Vec<&Launch> {
    if launches.len() <= 3 {
        return launches.iter().collect();
    }
    let mut pts: Vec<(f64, f64, usize)> = launches
        .iter()
        .enumerate()
        .map(|(i, l)| (l.lon * l.lat.to_radians().cos(), l.lat, i))
        .collect();
    pts.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let cross = |o: (f64, f64, usize), a: (f64, f64, usize), b: (f64, f64, usize)| {
        (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
    };
    let mut lower: Vec<(f64, f64, usize)> = Vec::new();
    for &q in &pts {
        while lower.len() >= 2 && cross(lower[lower.len() - 2], lower[lower.len() - 1], q) <= 0.0 {
            lower.pop();
        }
        lower.push(q);
    }
    let mut upper: Vec<(f64, f64, usize)> = Vec::new();
    for &q in pts.iter().rev() {
        while upper.len() >= 2 && cross(upper[upper.len() - 2], upper[upper.len() - 1], q) <= 0.0 {
            upper.pop();
        }
        upper.push(q);
    }
    lower.pop();
    upper.pop();
    lower.extend(upper);
    lower.iter().map(|q| &launches[q.2]).collect()
}

/// A whole number with thousands separators (126529100 -> "126,529,100"), as
/// every report of this project prints populations and personnel.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod format_tests {
    #[test]
    fn thousands_groups_by_three() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1_000), "1,000");
        assert_eq!(super::thousands(126_529_100), "126,529,100");
    }
}
