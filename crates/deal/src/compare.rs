//! Two assessments side by side: for each stakeholder, how the verdict, the
//! checks and the residual exposure change from the first deal to the second.

use serde::Serialize;

use crate::assess::Assessment;
use crate::model::CheckId;
use crate::outcome::{Status, Verdict};

/// A value before and after.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Change<T> {
    pub from: T,
    pub to: T,
}

/// A deal named in a comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DealRef {
    pub name: String,
    pub date: String,
}

/// A check whose status differs between the two deals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckChange {
    pub check: CheckId,
    pub from: Status,
    pub to: Status,
    pub evidence_after: String,
}

/// One stakeholder's view of the change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PerspectiveChange {
    pub id: String,
    pub name: String,
    pub verdict: Change<Verdict>,
    pub changes: Vec<CheckChange>,
    pub residual_population: Change<u64>,
    pub residual_us_personnel: Change<u64>,
}

/// What changes from deal `a` to deal `b`, per stakeholder.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub a: DealRef,
    pub b: DealRef,
    pub perspectives: Vec<PerspectiveChange>,
}

/// Compares two assessments made with the same profiles; a stakeholder in only
/// one of them is left out.
pub fn compare(x: &Assessment, y: &Assessment) -> Comparison {
    let perspectives = x
        .perspectives
        .iter()
        .filter_map(|p| {
            let q = y.perspectives.iter().find(|q| q.id == p.id)?;
            let changes = p
                .checks
                .iter()
                .filter_map(|c| {
                    let d = q.checks.iter().find(|d| d.id == c.id)?;
                    (c.status != d.status).then(|| CheckChange {
                        check: c.id,
                        from: c.status,
                        to: d.status,
                        evidence_after: d.evidence.clone(),
                    })
                })
                .collect();
            Some(PerspectiveChange {
                id: p.id.clone(),
                name: p.name.clone(),
                verdict: Change {
                    from: p.verdict,
                    to: q.verdict,
                },
                changes,
                residual_population: Change {
                    from: p.residual_exposure.population,
                    to: q.residual_exposure.population,
                },
                residual_us_personnel: Change {
                    from: p.residual_exposure.us_personnel,
                    to: q.residual_exposure.us_personnel,
                },
            })
        })
        .collect();
    Comparison {
        a: DealRef {
            name: x.deal.name.clone(),
            date: x.deal.date.clone(),
        },
        b: DealRef {
            name: y.deal.name.clone(),
            date: y.deal.date.clone(),
        },
        perspectives,
    }
}
