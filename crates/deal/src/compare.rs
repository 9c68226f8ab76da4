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
    /// When the two deals were assessed against different arsenals (each at
    /// its own date): how much of the change the texts make and how much the
    /// threat does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threat: Option<ThreatChange>,
}

/// The change split in two steps: deal `a`'s text to deal `b`'s text against
/// `a`'s arsenal (what the texts change), then `b`'s text from `a`'s arsenal
/// to `b`'s (what the threat changes).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThreatChange {
    /// The date of each arsenal (null: today's catalogue).
    pub a_as_of: Option<String>,
    pub b_as_of: Option<String>,
    /// Missiles in `b`'s arsenal and not in `a`'s (first flown in between).
    pub missiles_added: Vec<String>,
    /// Missiles in `a`'s arsenal and not in `b`'s.
    pub missiles_removed: Vec<String>,
    pub perspectives: Vec<ThreatSplit>,
}

/// One stakeholder's change, split.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThreatSplit {
    pub id: String,
    pub name: String,
    /// Residual population: deal a's text to deal b's text, both against a's arsenal.
    pub texts: Change<u64>,
    /// Residual population: deal b's text against a's arsenal, then against b's.
    pub threat: Change<u64>,
    /// The verdict deal b's text would get against a's arsenal.
    pub b_text_on_a_arsenal: Verdict,
}

/// Splits the change from `x` to `y`: `y_on_x` is deal `y`'s text assessed
/// against `x`'s arsenal; `x_ids` and `y_ids` are the two arsenals' missiles.
pub fn split_threat(
    x: &Assessment,
    y: &Assessment,
    y_on_x: &Assessment,
    (x_as_of, x_ids): (Option<String>, &[String]),
    (y_as_of, y_ids): (Option<String>, &[String]),
) -> ThreatChange {
    let perspectives = x
        .perspectives
        .iter()
        .filter_map(|p| {
            let q = y.perspectives.iter().find(|q| q.id == p.id)?;
            let r = y_on_x.perspectives.iter().find(|r| r.id == p.id)?;
            Some(ThreatSplit {
                id: p.id.clone(),
                name: p.name.clone(),
                texts: Change {
                    from: p.residual_exposure.population,
                    to: r.residual_exposure.population,
                },
                threat: Change {
                    from: r.residual_exposure.population,
                    to: q.residual_exposure.population,
                },
                b_text_on_a_arsenal: r.verdict,
            })
        })
        .collect();
    ThreatChange {
        a_as_of: x_as_of,
        b_as_of: y_as_of,
        missiles_added: y_ids
            .iter()
            .filter(|m| !x_ids.contains(m))
            .cloned()
            .collect(),
        missiles_removed: x_ids
            .iter()
            .filter(|m| !y_ids.contains(m))
            .cloned()
            .collect(),
        perspectives,
    }
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
        threat: None,
    }
}
