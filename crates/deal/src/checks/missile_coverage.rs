//! `missile-coverage`: every catalogue missile that reaches the stakeholder's
//! territory (and, with `include_hosted_forces`, the U.S. forces it hosts) is
//! eliminated in the written text. Missiles only frozen or under a moratorium
//! make it partial; any missile left out crosses it. The evidence quotes the
//! residual exposure from the threat table.
//!
//! `fate` and `residual` live here and are shared with the assessment, which
//! lists the eliminated missiles and gives a residual to stakeholders without
//! this check.

use reach::thousands;

use super::Finding;
use crate::model::{Covers, Deal, Layer, Stakeholder, WeaponAction};
use crate::outcome::{Residual, Status};
use crate::threat::{MissileThreat, ThreatTable};

/// How the deal treats one missile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fate {
    /// dismantled (or capped below its range) in the written text
    Eliminated,
    /// frozen or under a test moratorium in the written text
    Constrained,
    /// not mentioned, or only orally
    LeftOut,
}

/// A missile's fate under the deal and the deal fields that decide it.
pub(crate) fn fate(deal: &Deal, m: &MissileThreat) -> (Fate, Vec<String>) {
    let mut best = Fate::LeftOut;
    let mut fields = Vec::new();
    for (i, p) in deal.weapons.iter().enumerate() {
        let hits = p.covers.iter().any(|c| match c {
            Covers::All => true,
            Covers::Class(k) => *k == m.class,
            Covers::Missile(id) => *id == m.id,
        });
        if !hits {
            continue;
        }
        let f = match (p.action, p.layer) {
            (WeaponAction::Cap, _) if p.max_range_km.is_some_and(|cap| m.range_km <= cap) => {
                continue
            }
            // only the written text binds: an oral commitment is noted, not counted
            (_, Layer::Oral) => {
                fields.push(format!("weapons[{i}] (oral)"));
                continue;
            }
            (WeaponAction::Dismantle, Layer::Written) | (WeaponAction::Cap, Layer::Written) => {
                Fate::Eliminated
            }
            _ => Fate::Constrained,
        };
        fields.push(format!("weapons[{i}]"));
        if f == Fate::Eliminated || best == Fate::LeftOut {
            best = f;
        }
    }
    (best, fields)
}

fn reaches(m: &MissileThreat, s: &Stakeholder, hosted: bool) -> bool {
    s.territory.iter().any(|t| {
        m.territories
            .get(t)
            .is_some_and(|h| h.population > 0 || (hosted && h.us_sites_in_reach > 0))
    })
}

/// The residual exposure of a stakeholder to a set of missiles.
pub(crate) fn residual(s: &Stakeholder, left: &[&MissileThreat], hosted: bool) -> Residual {
    let mut r = Residual::default();
    for t in &s.territory {
        // the union of footprints from one set of launch points is that of the longest range
        let best = left
            .iter()
            .filter_map(|m| m.territories.get(t).map(|h| (m, h)))
            .max_by(|a, b| {
                a.1.population
                    .cmp(&b.1.population)
                    .then(a.0.range_km.total_cmp(&b.0.range_km))
            });
        if let Some((_, h)) = best {
            r.population += h.population;
            if hosted {
                r.us_personnel += left
                    .iter()
                    .filter_map(|m| m.territories.get(t).and_then(|h| h.us_personnel))
                    .max()
                    .unwrap_or(0);
            }
        }
        for m in left {
            if let Some(h) = m.territories.get(t) {
                let e = r.by_class.entry(m.class.clone()).or_insert(0);
                *e = (*e).max(h.population);
            }
        }
    }
    r.by_class.retain(|_, v| *v > 0);
    r.missiles = left
        .iter()
        .filter(|m| reaches(m, s, hosted))
        .map(|m| m.id.clone())
        .collect();
    r
}

pub(crate) fn check(
    deal: &Deal,
    s: &Stakeholder,
    include_hosted_forces: bool,
    table: &ThreatTable,
) -> (Finding, Residual) {
    let hosted = include_hosted_forces && s.hosts_us_forces;
    let threats: Vec<&MissileThreat> = table
        .missiles
        .iter()
        .filter(|m| reaches(m, s, hosted))
        .collect();
    let mut fields = Vec::new();
    let mut left = Vec::new();
    let mut constrained = Vec::new();
    for m in &table.missiles {
        let (f, fl) = fate(deal, m);
        fields.extend(fl);
        if f != Fate::Eliminated {
            left.push(m);
        }
        if f == Fate::Constrained && threats.iter().any(|t| t.id == m.id) {
            constrained.push(m.id.clone());
        }
    }
    fields.sort();
    fields.dedup();
    if fields.is_empty() {
        fields.push("weapons (none)".into());
    }
    let res = residual(s, &left, hosted);
    let residual_threats: Vec<&&MissileThreat> =
        left.iter().filter(|m| reaches(m, s, hosted)).collect();
    let territory = s.territory.join(", ");
    let (status, evidence) = if threats.is_empty() {
        (
            Status::Met,
            format!("no missile of the arsenal assessed reaches {territory} from the bundled launch facilities"),
        )
    } else if residual_threats.is_empty() {
        (
            Status::Met,
            format!(
                "every missile that reaches {territory}{} is eliminated in the written text",
                if hosted {
                    " or the U.S. forces there"
                } else {
                    ""
                }
            ),
        )
    } else {
        let names: Vec<String> = residual_threats
            .iter()
            .map(|m| {
                format!(
                    "{} ({}, {} km{})",
                    m.name,
                    m.class,
                    thousands(m.range_km as u64),
                    if constrained.contains(&m.id) {
                        ", frozen or under a moratorium only"
                    } else {
                        ""
                    }
                )
            })
            .collect();
        let all_constrained = residual_threats.iter().all(|m| constrained.contains(&m.id));
        let demonstrated = residual_threats
            .iter()
            .filter(|m| m.range_source.starts_with("demonstrated"))
            .count();
        let ranges = if demonstrated == 0 {
            "data/missile_catalog.csv, high estimates".to_string()
        } else if demonstrated == residual_threats.len() {
            "reconstructions of each missile's most capable test, on the rotating Earth (the longest toward any bearing shown)".to_string()
        } else {
            format!("reconstructions of tests for {demonstrated} of them, data/missile_catalog.csv high estimates for the rest (the longest toward any bearing shown)")
        };
        let exposure = format!(
            "residual exposure: {} people{} (population data: GeoNames; ranges: {ranges}; from {} launch facilities)",
            thousands(res.population),
            if hosted { format!(" and {} U.S. personnel hosted", thousands(res.us_personnel)) } else { String::new() },
            table.launch_points
        );
        (
            if all_constrained {
                Status::Partial
            } else {
                Status::Crossed
            },
            format!(
                "left in place and reaching {territory}: {}; {exposure}",
                names.join(", ")
            ),
        )
    };
    (Finding::new(status, evidence, fields), res)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::testing::{deal, japan};
    use super::*;
    use crate::threat::TerritoryHit;

    /// A table of three missiles: an IRBM and an ICBM reaching all of Japan
    /// and the U.S. forces there, and an SRBM reaching neither.
    fn table() -> ThreatTable {
        let hit = |population: u64| {
            let reached = population > 0;
            BTreeMap::from([(
                "JP".to_string(),
                TerritoryHit {
                    population,
                    us_personnel: reached.then_some(50_000),
                    us_sites_in_reach: if reached { 12 } else { 0 },
                },
            )])
        };
        let m = |id: &str, class: &str, km: f64, population| MissileThreat {
            id: id.into(),
            name: id.into(),
            class: class.into(),
            range_km: km,
            range_source: "test".into(),
            territories: hit(population),
        };
        ThreatTable {
            missiles: vec![
                m("hwasong-12", "IRBM", 5_000.0, 126_000_000),
                m("hwasong-15", "ICBM", 13_000.0, 126_000_000),
                m("kn-23", "SRBM", 690.0, 0),
            ],
            launch_points: 3,
        }
    }

    fn weapons(covers: &str, action: &str, layer: &str) -> String {
        format!("[[weapons]]\ncovers = [{covers}]\naction = \"{action}\"\nlayer = \"{layer}\"\n")
    }

    #[test]
    fn table_of_deals() {
        // (deal body, status, evidence contains, residual population)
        let rows: Vec<(String, Status, &str, u64)> = vec![
            (
                weapons("\"ICBM\"", "dismantle", "written"),
                Status::Crossed,
                "hwasong-12 (IRBM, 5,000 km)",
                126_000_000,
            ),
            (
                weapons("\"IRBM\", \"ICBM\"", "dismantle", "written"),
                Status::Met,
                "is eliminated in the written text",
                0,
            ),
            (
                weapons("\"all\"", "dismantle", "written"),
                Status::Met,
                "or the U.S. forces there",
                0,
            ),
            (
                weapons("\"IRBM\", \"ICBM\"", "freeze", "written"),
                Status::Partial,
                "frozen or under a moratorium only",
                126_000_000,
            ),
            (
                weapons("\"IRBM\", \"ICBM\"", "dismantle", "oral"),
                Status::Crossed,
                "residual exposure: 126,000,000 people and 50,000 U.S. personnel",
                126_000_000,
            ),
            (
                String::new(),
                Status::Crossed,
                "from 3 launch facilities",
                126_000_000,
            ),
        ];
        for (body, status, needle, population) in rows {
            let (f, r) = check(&deal(&body), &japan(), true, &table());
            assert_eq!(f.status, status, "{body}");
            assert!(f.evidence.contains(needle), "{}", f.evidence);
            assert_eq!(r.population, population, "{body}");
        }
    }

    #[test]
    fn oral_commitments_are_named_in_the_fields_but_not_counted() {
        let d = deal(&weapons("\"IRBM\"", "dismantle", "oral"));
        let (f, r) = check(&d, &japan(), true, &table());
        assert!(
            f.fields.contains(&"weapons[0] (oral)".to_string()),
            "{:?}",
            f.fields
        );
        assert_eq!(r.missiles, vec!["hwasong-12", "hwasong-15"]);
        assert_eq!(r.us_personnel, 50_000);
    }

    #[test]
    fn a_cap_eliminates_what_flies_farther_than_it() {
        let d = deal("[[weapons]]\ncovers = [\"all\"]\naction = \"cap\"\nmax-range-km = 1000\nlayer = \"written\"\n");
        let t = table();
        assert_eq!(fate(&d, &t.missiles[0]).0, Fate::Eliminated);
        assert_eq!(
            fate(&d, &t.missiles[2]).0,
            Fate::LeftOut,
            "690 km is under the cap"
        );
    }

    #[test]
    fn without_hosted_forces_only_population_counts() {
        let mut t = table();
        for m in &mut t.missiles {
            if let Some(h) = m.territories.get_mut("JP") {
                h.population = 0;
                h.us_personnel = Some(50_000);
                h.us_sites_in_reach = 12;
            }
        }
        let d = deal("");
        let (f, r) = check(&d, &japan(), false, &t);
        assert_eq!(f.status, Status::Met, "{}", f.evidence);
        assert!(f
            .evidence
            .contains("no missile of the arsenal assessed reaches JP"));
        assert_eq!(r.us_personnel, 0);
        let (f, r) = check(&d, &japan(), true, &t);
        assert_eq!(f.status, Status::Crossed, "the U.S. sites are in reach");
        assert_eq!(r.us_personnel, 50_000);
    }
}
