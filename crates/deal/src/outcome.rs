//! What a check gives and what a stakeholder concludes: the status of one
//! check, its result with evidence, the residual exposure, and the verdict.
//! The checks produce these and the assessment collects them.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::CheckId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Met,
    Partial,
    Crossed,
    Unknown,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Partial => "partial",
            Status::Crossed => "crossed",
            Status::Unknown => "unknown",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stakeholder's overall verdict: a red line crossed, everything met, or
/// anything in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    RedLineCrossed,
    Reservations,
    Satisfied,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::RedLineCrossed => "red-line-crossed",
            Verdict::Reservations => "reservations",
            Verdict::Satisfied => "satisfied",
        }
    }

    /// The verdict of a set of check results.
    pub fn of(checks: &[CheckResult]) -> Verdict {
        if checks
            .iter()
            .any(|c| c.red_line && c.status == Status::Crossed)
        {
            Verdict::RedLineCrossed
        } else if checks.iter().all(|c| c.status == Status::Met) {
            Verdict::Satisfied
        } else {
            Verdict::Reservations
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One check's outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckResult {
    pub id: CheckId,
    /// The check in words (`CheckId::label`).
    pub name: &'static str,
    pub status: Status,
    pub red_line: bool,
    pub evidence: String,
    /// The deal fields the evidence rests on.
    pub fields: Vec<String>,
    pub why: Option<String>,
}

/// Exposure a stakeholder keeps after the deal.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Residual {
    pub population: u64,
    pub us_personnel: u64,
    /// Population in reach per class left in place.
    pub by_class: BTreeMap<String, u64>,
    /// The missiles left in place that reach the territory or hosted forces.
    pub missiles: Vec<String>,
}
