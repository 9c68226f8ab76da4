//! The assessment: each stakeholder's checks against a deal, with evidence,
//! a verdict, the residual exposure, and where the allies diverge. The checks
//! themselves are in `checks/`, one file each.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::checks::{self, fate, residual, Fate};
use crate::model::{CheckId, Deal, Stakeholder};
pub use crate::outcome::{CheckResult, Residual, Status, Verdict};
use crate::threat::{MissileThreat, ThreatTable};

/// One stakeholder's view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Perspective {
    pub id: String,
    pub name: String,
    pub verdict: Verdict,
    pub checks: Vec<CheckResult>,
    pub residual_exposure: Residual,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Divergence {
    pub check: CheckId,
    pub statuses: BTreeMap<String, Status>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub deal: Deal,
    pub perspectives: Vec<Perspective>,
    pub divergence: Vec<Divergence>,
    /// Catalogue missiles the deal eliminates in its written text.
    pub eliminated: Vec<String>,
    /// Catalogue missiles left in place.
    pub left_in_place: Vec<String>,
}

/// Assesses a deal from each stakeholder's view.
pub fn assess(deal: &Deal, stakeholders: &[Stakeholder], table: &ThreatTable) -> Assessment {
    let mut perspectives = Vec::new();
    for s in stakeholders {
        let mut results = Vec::new();
        let mut residual_exposure = None;
        for spec in &s.checks {
            let (r, res) = checks::run(spec, deal, s, table);
            if res.is_some() {
                residual_exposure = res;
            }
            results.push(r);
        }
        let residual_exposure = residual_exposure.unwrap_or_else(|| {
            let left: Vec<&MissileThreat> = table
                .missiles
                .iter()
                .filter(|m| fate(deal, m).0 != Fate::Eliminated)
                .collect();
            residual(s, &left, s.hosts_us_forces)
        });
        perspectives.push(Perspective {
            id: s.id.clone(),
            name: s.name.clone(),
            verdict: Verdict::of(&results),
            checks: results,
            residual_exposure,
        });
    }
    let divergence = divergence(&perspectives);
    let (eliminated, left_in_place): (Vec<&MissileThreat>, Vec<&MissileThreat>) = table
        .missiles
        .iter()
        .partition(|m| fate(deal, m).0 == Fate::Eliminated);
    Assessment {
        deal: deal.clone(),
        perspectives,
        divergence,
        eliminated: eliminated.iter().map(|m| m.id.clone()).collect(),
        left_in_place: left_in_place.iter().map(|m| m.id.clone()).collect(),
    }
}

/// The checks on which two or more stakeholders reach different statuses.
fn divergence(perspectives: &[Perspective]) -> Vec<Divergence> {
    let mut out = Vec::new();
    for id in CheckId::ALL {
        let statuses: BTreeMap<String, Status> = perspectives
            .iter()
            .filter_map(|p| {
                p.checks
                    .iter()
                    .find(|c| c.id == id)
                    .map(|c| (p.id.clone(), c.status))
            })
            .collect();
        let mut distinct: Vec<&str> = statuses.values().map(|s| s.as_str()).collect();
        distinct.sort();
        distinct.dedup();
        if statuses.len() >= 2 && distinct.len() >= 2 {
            out.push(Divergence {
                check: id,
                statuses,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(status: Status, red_line: bool) -> CheckResult {
        CheckResult {
            id: CheckId::Abductees,
            name: CheckId::Abductees.label(),
            status,
            red_line,
            evidence: String::new(),
            fields: vec![],
            why: None,
        }
    }

    #[test]
    fn verdicts() {
        use Status::*;
        // (statuses with red-line flags, verdict)
        let rows: [(&[(Status, bool)], Verdict); 6] = [
            (&[(Met, true), (Met, false)], Verdict::Satisfied),
            (&[], Verdict::Satisfied),
            (&[(Met, true), (Partial, true)], Verdict::Reservations),
            (&[(Unknown, false)], Verdict::Reservations),
            (&[(Crossed, false), (Met, true)], Verdict::Reservations),
            (&[(Crossed, true), (Met, false)], Verdict::RedLineCrossed),
        ];
        for (rs, v) in rows {
            let checks: Vec<CheckResult> = rs.iter().map(|(s, r)| result(*s, *r)).collect();
            assert_eq!(Verdict::of(&checks), v, "{rs:?}");
        }
        assert_eq!(
            serde_json::to_value(Verdict::RedLineCrossed).ok(),
            Some(serde_json::json!("red-line-crossed"))
        );
    }

    #[test]
    fn divergence_lists_checks_where_statuses_differ() {
        let p = |id: &str, s: Status| Perspective {
            id: id.into(),
            name: id.into(),
            verdict: Verdict::Satisfied,
            checks: vec![result(s, true)],
            residual_exposure: Residual::default(),
        };
        let d = divergence(&[p("us", Status::Met), p("jp", Status::Crossed)]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].check, CheckId::Abductees);
        assert!(divergence(&[p("us", Status::Met), p("jp", Status::Met)]).is_empty());
        assert!(divergence(&[p("jp", Status::Crossed)]).is_empty());
    }
}
