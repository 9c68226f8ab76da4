//! The one adapter from the catalogue to the reach engine: catalogue
//! missiles become `reach::MissileReach` values (a range model and the
//! sentence that says where the range comes from) and bundled facilities
//! become launch points. The threat table, the reach report and the maps of
//! residual reach all take their missiles from here, so a range is quoted the
//! same way everywhere.

use catalog::{Catalog, Missile};
use reach::{Launch, MissileReach, RangeModel};
use serde::Serialize;

/// Which end of a published range estimate to use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RangeEstimate {
    Low,
    #[default]
    High,
}

impl RangeEstimate {
    pub fn as_str(self) -> &'static str {
        match self {
            RangeEstimate::Low => "low",
            RangeEstimate::High => "high",
        }
    }
}

/// A catalogue missile with its published range (one end of the estimate),
/// the same toward every azimuth.
pub fn catalogue_reach(m: &Missile, estimate: RangeEstimate) -> MissileReach {
    let km = match estimate {
        RangeEstimate::High => m.range_km_high,
        RangeEstimate::Low => m.range_km_low,
    };
    MissileReach {
        id: m.id.clone(),
        name: m.name.clone(),
        class: m.class.as_str().to_string(),
        range: RangeModel::Constant(km),
        range_source: format!("catalogue, {} estimate ({})", estimate.as_str(), m.source),
    }
}

/// Every bundled launch facility as a launch point.
pub fn launch_points(cat: &Catalog) -> Vec<Launch> {
    cat.facilities
        .iter()
        .map(|f| Launch {
            id: f.id.clone(),
            name: f.name.clone(),
            lat: f.lat,
            lon: f.lon,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_their_sources_follow_the_estimate() {
        let cat = Catalog::bundled().expect("bundled");
        let m = cat.missile("hwasong-12").expect("in the catalogue");
        let hi = catalogue_reach(m, RangeEstimate::High);
        let lo = catalogue_reach(m, RangeEstimate::Low);
        assert_eq!(hi.range.max_km(), m.range_km_high);
        assert_eq!(lo.range.max_km(), m.range_km_low);
        assert!(hi.range_source.starts_with("catalogue, high estimate ("));
        assert!(lo.range_source.starts_with("catalogue, low estimate ("));
        assert_eq!(launch_points(cat).len(), cat.facilities.len());
    }
}
