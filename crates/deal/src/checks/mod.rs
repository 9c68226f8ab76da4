//! The checks, one file each. A check reads the deal (and, for missile
//! coverage, the threat table) and gives a status, the evidence in words and
//! the deal fields the evidence rests on; `run` adds what the profile says of
//! it (red line, why).
//!
//! Why one file per check with a table test beside it: a change to one rule
//! shows as one failing row of that check's table, not as eight re-blessed
//! golden reports. Dispatch is a `match` over [`Check`]: a new check that is
//! not wired in does not compile.

mod abductees;
mod briefing;
mod concessions;
mod missile_coverage;
mod process;
mod reversibility;
mod verification;

pub(crate) use missile_coverage::{fate, residual, Fate};

use crate::model::{Check, CheckSpec, Deal, Stakeholder};
use crate::outcome::{CheckResult, Residual, Status};
use crate::threat::ThreatTable;

/// What one check finds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Finding {
    pub status: Status,
    pub evidence: String,
    pub fields: Vec<String>,
}

impl Finding {
    fn new(status: Status, evidence: impl Into<String>, fields: Vec<String>) -> Finding {
        Finding {
            status,
            evidence: evidence.into(),
            fields,
        }
    }
}

/// Runs one check of a stakeholder's profile; missile coverage also gives the
/// residual exposure it computed.
pub(crate) fn run(
    spec: &CheckSpec,
    deal: &Deal,
    s: &Stakeholder,
    table: &ThreatTable,
) -> (CheckResult, Option<Residual>) {
    let mut residual = None;
    let f = match &spec.check {
        Check::MissileCoverage {
            include_hosted_forces,
        } => {
            let (f, r) = missile_coverage::check(deal, s, *include_hosted_forces, table);
            residual = Some(r);
            f
        }
        Check::Abductees { written } => abductees::check(deal, *written),
        Check::Briefing {
            within_hours,
            min_level,
            public,
        } => briefing::check(deal, s, *within_hours, *min_level, *public),
        Check::UnconsultedConcessions => concessions::check(deal, s),
        Check::ProcessInclusion => process::check(deal, s),
        Check::Reversibility => reversibility::check(deal),
        Check::Verification {
            min_verification,
            written,
        } => verification::check(deal, *min_verification, *written),
    };
    (
        CheckResult {
            id: spec.id(),
            name: spec.id().label(),
            status: f.status,
            red_line: spec.red_line,
            evidence: f.evidence,
            fields: f.fields,
            why: spec.why.clone(),
        },
        residual,
    )
}

/// The worse of two statuses: crossed, then partial, then unknown, then met.
pub(crate) fn worse(a: Status, b: Status) -> Status {
    let rank = |s: Status| match s {
        Status::Met => 0,
        Status::Unknown => 1,
        Status::Partial => 2,
        Status::Crossed => 3,
    };
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}

/// Small deals and profiles for the table tests.
#[cfg(test)]
pub(crate) mod testing {
    use crate::model::{parse_deal, parse_stakeholder, Deal, Stakeholder};

    /// A deal between the U.S. and the DPRK with these TOML tables after its header.
    pub fn deal(body: &str) -> Deal {
        let text = format!(
            "[deal]\nname = \"t\"\ndate = \"2018-06-12\"\nparties = [\"us\", \"kp\"]\nsource = \"test\"\n{body}"
        );
        let known: Vec<String> = crate::STAKEHOLDER_IDS.map(String::from).to_vec();
        match parse_deal("t.toml", &text, &known) {
            Ok(d) => d,
            Err(e) => panic!("test deal does not parse: {e}\n{text}"),
        }
    }

    /// Japan, hosting U.S. forces, with one check of each kind.
    pub fn japan() -> Stakeholder {
        let text = "id = \"jp\"\nname = \"Japan\"\nterritory = [\"JP\"]\nhosts-us-forces = true\n[[checks]]\nid = \"abductees\"\n";
        match parse_stakeholder("jp.toml", text) {
            Ok(s) => s,
            Err(e) => panic!("test profile does not parse: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worse_orders_the_statuses() {
        use Status::*;
        let order = [Met, Unknown, Partial, Crossed];
        for (i, a) in order.iter().enumerate() {
            for (j, b) in order.iter().enumerate() {
                assert_eq!(worse(*a, *b), order[i.max(j)], "{a:?} {b:?}");
            }
        }
    }
}
