//! What each catalogue missile reaches of each stakeholder's territory, from
//! every bundled launch facility: computed once, then every deal is assessed
//! against it. With one set of launch points and one range per missile, the
//! reach of a set of missiles over a territory is that of its longest-range
//! member, so residual exposure is a lookup.

use std::collections::BTreeMap;

use catalog::Catalog;
use reach::{exposure_where, City, Launch, Places};
use serde::Serialize;

/// A territory code: an ISO 3166-1 alpha-2 country, or `US-CONUS`, the
/// contiguous United States (the box 24.4-49.4 N, 124.8-66.9 W).
pub fn in_territory(code: &str, c: &City) -> bool {
    match code {
        "US-CONUS" => {
            c.country == "US" && (24.4..=49.4).contains(&c.lat) && (-124.8..=-66.9).contains(&c.lon)
        }
        iso => c.country == iso,
    }
}

fn country_of(code: &str) -> &str {
    code.split('-').next().unwrap_or(code)
}

/// What one missile reaches of one territory.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TerritoryHit {
    pub population: u64,
    /// Hosted U.S. personnel in reach (sourced figures only), when the territory hosts U.S. sites.
    pub us_personnel: Option<u64>,
    pub us_sites_in_reach: usize,
}

/// One missile's reach over every territory in question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissileThreat {
    pub id: String,
    pub name: String,
    pub class: String,
    pub range_km: f64,
    pub range_source: String,
    pub territories: BTreeMap<String, TerritoryHit>,
}

/// The threat table for a set of territories.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThreatTable {
    pub missiles: Vec<MissileThreat>,
    pub launch_points: usize,
}

/// Builds the table: every catalogue missile (high range estimate) from every facility.
pub fn threat_table(cat: &Catalog, places: &Places, territories: &[String]) -> ThreatTable {
    let launches: Vec<Launch> = crate::arsenal::launch_points(cat);
    let missiles: Vec<reach::MissileReach> = cat
        .missiles
        .iter()
        .map(|m| crate::arsenal::catalogue_reach(m, crate::arsenal::RangeEstimate::High))
        .collect();
    threat_table_of(places, &launches, &missiles, territories)
}

/// Builds the table for any arsenal: these missiles, with their range models,
/// from these launch points.
pub fn threat_table_of(
    places: &Places,
    launches: &[Launch],
    arsenal: &[reach::MissileReach],
    territories: &[String],
) -> ThreatTable {
    let listed = places.listed_population();
    let missiles = arsenal
        .iter()
        .map(|mr| {
            let e = exposure_where(places, launches, std::slice::from_ref(mr), |c| {
                territories.iter().any(|t| in_territory(t, c))
            });
            let mut hits = BTreeMap::new();
            for t in territories {
                let iso = country_of(t);
                let listed_in: u64 = e
                    .cities
                    .iter()
                    .filter(|c| c.country == iso && in_territory(t, &city_stub(c)))
                    .map(|c| c.population)
                    .sum();
                let national = places.country(iso).map_or(0, |c| c.population);
                let listed_all = listed.get(iso).copied().unwrap_or(0);
                let population = if listed_all > 0 {
                    (national as f64 * listed_in as f64 / listed_all as f64).round() as u64
                } else {
                    0
                };
                let country = e.countries.iter().find(|c| c.iso2 == iso);
                let sites = e
                    .sites
                    .iter()
                    .filter(|s| s.iso2 == iso && !s.classes.is_empty())
                    .count();
                hits.insert(
                    t.clone(),
                    TerritoryHit {
                        population,
                        us_personnel: if t.contains('-') {
                            None
                        } else {
                            country.and_then(|c| c.us_personnel_in_reach)
                        },
                        us_sites_in_reach: if t.contains('-') { 0 } else { sites },
                    },
                );
            }
            MissileThreat {
                id: mr.id.clone(),
                name: mr.name.clone(),
                class: mr.class.clone(),
                range_km: mr.range.max_km(),
                range_source: mr.range_source.clone(),
                territories: hits,
            }
        })
        .collect();
    ThreatTable {
        missiles,
        launch_points: launches.len(),
    }
}

fn city_stub(c: &reach::CityHit) -> City {
    City {
        geonameid: 0,
        name: "",
        country: c.country,
        feature: "",
        population: c.population,
        lat: c.lat,
        lon: c.lon,
    }
}
