//! `reversibility`: disarmament is upfront and irreversible. A reversible
//! sequence, or freezes and moratoria with no dismantlement, cross it; a
//! phased or conditional irreversible one is partial; no sequence is unknown.

use super::Finding;
use crate::model::{Deal, SequencingMode, WeaponAction};
use crate::outcome::Status;

pub(crate) fn check(deal: &Deal) -> Finding {
    let freeze = |a: WeaponAction| matches!(a, WeaponAction::Freeze | WeaponAction::TestMoratorium);
    let freezes = deal.weapons.iter().filter(|p| freeze(p.action)).count()
        + deal.nuclear.iter().filter(|p| freeze(p.action)).count();
    let dismantles = deal
        .weapons
        .iter()
        .filter(|p| matches!(p.action, WeaponAction::Dismantle | WeaponAction::Cap))
        .count()
        + deal
            .nuclear
            .iter()
            .filter(|p| p.action == WeaponAction::Dismantle)
            .count();
    match &deal.sequencing {
        Some(q) => {
            let mode = match q.mode {
                SequencingMode::Upfront => "upfront",
                SequencingMode::Phased => "phased",
                SequencingMode::Conditional => "conditional on counterpart measures",
            };
            let status = match (q.reversible, q.mode) {
                (true, _) => Status::Crossed,
                (false, SequencingMode::Upfront) => Status::Met,
                (false, _) => Status::Partial,
            };
            Finding::new(
                status,
                format!(
                    "disarmament is {mode} and {}{}",
                    if q.reversible {
                        "reversible"
                    } else {
                        "irreversible"
                    },
                    if q.conditions.is_empty() {
                        String::new()
                    } else {
                        format!(" (conditions: {})", q.conditions.join("; "))
                    }
                ),
                vec!["sequencing".to_string()],
            )
        }
        None if dismantles == 0 && freezes > 0 => Finding::new(
            Status::Crossed,
            "only freezes or moratoria, no dismantlement",
            vec!["weapons".into(), "nuclear".into()],
        ),
        None if dismantles == 0 => Finding::new(
            Status::Unknown,
            "the deal sets out no disarmament steps or sequence",
            vec!["sequencing".into()],
        ),
        None => Finding::new(
            Status::Unknown,
            "dismantlement is named but its sequence is not",
            vec!["sequencing".into()],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::deal;
    use super::*;

    fn sequencing(mode: &str, reversible: bool) -> String {
        format!("[sequencing]\nmode = \"{mode}\"\nreversible = {reversible}\n")
    }
    const FREEZE: &str =
        "[[weapons]]\ncovers = [\"ICBM\"]\naction = \"freeze\"\nlayer = \"written\"\n";
    const DISMANTLE: &str =
        "[[weapons]]\ncovers = [\"ICBM\"]\naction = \"dismantle\"\nlayer = \"written\"\n";

    #[test]
    fn table() {
        // (deal body, status, evidence contains)
        let rows: Vec<(String, Status, &str)> = vec![
            (
                sequencing("upfront", false),
                Status::Met,
                "upfront and irreversible",
            ),
            (
                sequencing("phased", false),
                Status::Partial,
                "phased and irreversible",
            ),
            (
                sequencing("conditional", false),
                Status::Partial,
                "conditional on counterpart",
            ),
            (
                sequencing("upfront", true),
                Status::Crossed,
                "upfront and reversible",
            ),
            (
                sequencing("phased", true),
                Status::Crossed,
                "phased and reversible",
            ),
            (FREEZE.to_string(), Status::Crossed, "only freezes"),
            (DISMANTLE.to_string(), Status::Unknown, "sequence is not"),
            (String::new(), Status::Unknown, "no disarmament steps"),
        ];
        for (body, status, needle) in rows {
            let f = check(&deal(&body));
            assert_eq!(f.status, status, "{body}");
            assert!(f.evidence.contains(needle), "{}", f.evidence);
        }
    }
}
