//! `briefing`: a stakeholder that is not a party is briefed after the summit
//! within `within_hours`, at `min_level` or above, and in public when asked.

use super::Finding;
use crate::model::{Briefing, Deal, Level, Stakeholder};
use crate::outcome::Status;

pub(crate) fn check(
    deal: &Deal,
    s: &Stakeholder,
    within_hours: f64,
    min_level: Level,
    public: bool,
) -> Finding {
    if deal.parties.contains(&s.id) {
        return Finding::new(
            Status::Met,
            format!("{} is a party to the deal", s.name),
            vec!["deal.parties".into()],
        );
    }
    let mine: Vec<(usize, &Briefing)> = deal
        .briefings
        .iter()
        .enumerate()
        .filter(|(_, b)| b.briefed == s.id)
        .collect();
    if mine.is_empty() {
        let evidence = if deal.briefings.is_empty() {
            "the deal model records no briefings".to_string()
        } else {
            format!("no briefing of {} is recorded (others' are)", s.name)
        };
        return Finding::new(Status::Unknown, evidence, vec!["briefings".into()]);
    }
    let ok = |b: &Briefing| {
        b.hours_after <= within_hours && b.level >= min_level && (!public || b.public)
    };
    let describe = |i: usize, b: &Briefing| {
        format!(
            "briefings[{i}]: {} briefed {} {} h after the summit{} at {} level{}",
            b.briefer,
            b.briefed,
            b.hours_after,
            if b.hours_from_dates_only {
                " (from dates)"
            } else {
                ""
            },
            b.level,
            if b.public { ", publicly" } else { "" }
        )
    };
    if let Some((i, b)) = mine.iter().find(|(_, b)| ok(b)) {
        return Finding::new(
            Status::Met,
            describe(*i, b),
            vec![format!("briefings[{i}]")],
        );
    }
    let (i, b) = mine
        .iter()
        .min_by(|a, b| a.1.hours_after.total_cmp(&b.1.hours_after))
        .copied()
        .unwrap_or(mine[0]);
    Finding::new(
        Status::Partial,
        format!(
            "{}; the profile asks for within {} h at {} level or above{}",
            describe(i, b),
            within_hours,
            min_level,
            if public { ", in public" } else { "" }
        ),
        vec![format!("briefings[{i}]")],
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::{deal, japan};
    use super::*;

    fn briefing(hours: u32, level: &str, public: bool) -> String {
        format!("[[briefings]]\nbriefer = \"us\"\nbriefed = \"jp\"\ndate = \"2018-06-12\"\nhours-after = {hours}\nlevel = \"{level}\"\npublic = {public}\nform = \"in-person\"\n")
    }

    #[test]
    fn table() {
        let prompt = briefing(6, "head-of-government", true);
        let late = briefing(72, "head-of-government", true);
        let low = briefing(6, "working-level", true);
        let quiet = briefing(6, "head-of-government", false);
        let korea = prompt.replace("briefed = \"jp\"", "briefed = \"kr\"");
        // (deal body, within hours, min level, public, status, evidence contains)
        let rows: Vec<(String, f64, Level, bool, Status, &str)> = vec![
            (
                prompt.clone(),
                24.0,
                Level::HeadOfGovernment,
                true,
                Status::Met,
                "6 h after",
            ),
            (
                late,
                24.0,
                Level::HeadOfGovernment,
                true,
                Status::Partial,
                "asks for within 24 h",
            ),
            (
                low,
                24.0,
                Level::Minister,
                false,
                Status::Partial,
                "working-level",
            ),
            (
                quiet.clone(),
                24.0,
                Level::Minister,
                true,
                Status::Partial,
                "in public",
            ),
            (
                quiet,
                24.0,
                Level::Minister,
                false,
                Status::Met,
                "6 h after",
            ),
            (
                korea,
                24.0,
                Level::Minister,
                false,
                Status::Unknown,
                "others' are",
            ),
            (
                String::new(),
                24.0,
                Level::Minister,
                false,
                Status::Unknown,
                "no briefings",
            ),
        ];
        for (body, hours, level, public, status, needle) in rows {
            let f = check(&deal(&body), &japan(), hours, level, public);
            assert_eq!(f.status, status, "{body}");
            assert!(f.evidence.contains(needle), "{}", f.evidence);
        }
    }

    #[test]
    fn a_party_needs_no_briefing() {
        let mut d = deal("");
        d.parties.push("jp".into());
        let f = check(&d, &japan(), 1.0, Level::HeadOfGovernment, true);
        assert_eq!(f.status, Status::Met);
        assert_eq!(f.fields, vec!["deal.parties".to_string()]);
    }
}
