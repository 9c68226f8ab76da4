//! `process-inclusion`: the stakeholder takes part in every peace-regime or
//! denuclearization process the deal sets up (in every format it leaves
//! open); other kinds of talks are not judged.

use super::{worse, Finding};
use crate::model::{Deal, Process, Stakeholder};
use crate::outcome::Status;

pub(crate) fn check(deal: &Deal, s: &Stakeholder) -> Finding {
    let relevant: Vec<(usize, &Process)> = deal
        .processes
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind == "peace-regime" || p.kind == "denuclearization-talks")
        .collect();
    let mut status = Status::Met;
    let mut notes = Vec::new();
    for (i, p) in &relevant {
        let options: Vec<&Vec<String>> = if p.alternatives.is_empty() {
            vec![&p.participants]
        } else {
            p.alternatives.iter().collect()
        };
        let st = if options.iter().all(|o| o.is_empty()) {
            notes.push(format!(
                "processes[{i}] ({}): participants not named",
                p.kind
            ));
            Status::Partial
        } else if options.iter().all(|o| o.contains(&s.id)) {
            notes.push(format!(
                "processes[{i}] ({}): {} takes part",
                p.kind, s.name
            ));
            Status::Met
        } else if options.iter().any(|o| o.contains(&s.id)) {
            notes.push(format!(
                "processes[{i}] ({}): {} is in some of the formats left open, not all",
                p.kind, s.name
            ));
            Status::Partial
        } else {
            let ps: Vec<String> = options.iter().map(|o| o.join("+")).collect();
            notes.push(format!(
                "processes[{i}] ({}): {} left out (participants: {})",
                p.kind,
                s.name,
                ps.join(" or ")
            ));
            Status::Crossed
        };
        status = worse(status, st);
    }
    if relevant.is_empty() {
        return Finding::new(
            Status::Met,
            "no peace or denuclearization process is set up",
            vec!["processes".into()],
        );
    }
    Finding::new(
        status,
        notes.join("; "),
        relevant
            .iter()
            .map(|(i, _)| format!("processes[{i}]"))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::{deal, japan};
    use super::*;

    fn process(kind: &str, participants: &str, alternatives: &str) -> String {
        format!("[[processes]]\nkind = \"{kind}\"\nparticipants = [{participants}]\nalternatives = [{alternatives}]\nlayer = \"written\"\n")
    }

    #[test]
    fn table() {
        let both = format!(
            "{}{}",
            process("peace-regime", "\"us\", \"kp\", \"jp\"", ""),
            process("denuclearization-talks", "\"us\", \"kp\"", "")
        );
        // (deal body, status, evidence contains, fields)
        let rows: Vec<(String, Status, &str, Vec<&str>)> = vec![
            (
                String::new(),
                Status::Met,
                "no peace or denuclearization process",
                vec!["processes"],
            ),
            (
                process("follow-on-talks", "\"us\", \"kp\"", ""),
                Status::Met,
                "no peace",
                vec!["processes"],
            ),
            (
                process("peace-regime", "\"us\", \"kp\", \"jp\"", ""),
                Status::Met,
                "Japan takes part",
                vec!["processes[0]"],
            ),
            (
                process("peace-regime", "\"us\", \"kp\", \"kr\"", ""),
                Status::Crossed,
                "Japan left out (participants: us+kp+kr)",
                vec!["processes[0]"],
            ),
            (
                process(
                    "peace-regime",
                    "",
                    "[\"us\", \"kp\", \"kr\"], [\"us\", \"kp\", \"kr\", \"jp\"]",
                ),
                Status::Partial,
                "some of the formats",
                vec!["processes[0]"],
            ),
            (
                process("peace-regime", "", ""),
                Status::Partial,
                "participants not named",
                vec!["processes[0]"],
            ),
            (
                both,
                Status::Crossed,
                "takes part; processes[1]",
                vec!["processes[0]", "processes[1]"],
            ),
        ];
        for (body, status, needle, fields) in rows {
            let f = check(&deal(&body), &japan());
            assert_eq!(f.status, status, "{body}");
            assert!(f.evidence.contains(needle), "{}", f.evidence);
            assert_eq!(
                f.fields,
                fields.iter().map(|s| s.to_string()).collect::<Vec<_>>()
            );
        }
    }
}
