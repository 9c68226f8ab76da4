//! `unconsulted-concessions`: no concession by another party that touches the
//! stakeholder's security is made without consulting it beforehand (the
//! op-ed's "wild card" concessions).

use super::Finding;
use crate::model::{Concession, Deal, Layer, Stakeholder};
use crate::outcome::Status;

pub(crate) fn check(deal: &Deal, s: &Stakeholder) -> Finding {
    let touching: Vec<(usize, &Concession)> = deal
        .concessions
        .iter()
        .enumerate()
        .filter(|(_, c)| c.affects.contains(&s.id) && c.by != s.id)
        .collect();
    let unconsulted: Vec<&(usize, &Concession)> = touching
        .iter()
        .filter(|(_, c)| !c.consulted.contains(&s.id))
        .collect();
    let mut fields: Vec<String> = touching
        .iter()
        .map(|(i, _)| format!("concessions[{i}]"))
        .collect();
    if fields.is_empty() {
        fields.push("concessions".into());
    }
    let (status, evidence) = if touching.is_empty() {
        (
            Status::Met,
            format!("no concession touches {}'s security", s.name),
        )
    } else if unconsulted.is_empty() {
        (
            Status::Met,
            format!("{} was consulted on every concession touching it", s.name),
        )
    } else {
        let list: Vec<String> = unconsulted
            .iter()
            .map(|(_, c)| {
                format!(
                    "{} by {} ({}, {})",
                    c.kind,
                    c.by,
                    c.description,
                    if c.layer == Layer::Oral {
                        "oral"
                    } else {
                        "written"
                    }
                )
            })
            .collect();
        (
            Status::Crossed,
            format!(
                "made without consulting {} beforehand: {}",
                s.name,
                list.join("; ")
            ),
        )
    };
    Finding::new(status, evidence, fields)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{deal, japan};
    use super::*;

    fn concession(by: &str, affects: &str, consulted: &str) -> String {
        format!("[[concessions]]\nby = \"{by}\"\nkind = \"exercises-suspended\"\ndescription = \"joint exercises suspended\"\naffects = [{affects}]\nconsulted = [{consulted}]\nlayer = \"oral\"\n")
    }

    #[test]
    fn table() {
        // (deal body, status, evidence contains, fields)
        let rows: Vec<(String, Status, &str, Vec<&str>)> = vec![
            (String::new(), Status::Met, "no concession touches", vec!["concessions"]),
            (concession("us", "\"kr\"", ""), Status::Met, "no concession touches", vec!["concessions"]),
            (concession("us", "\"jp\", \"kr\"", "\"jp\""), Status::Met, "was consulted", vec!["concessions[0]"]),
            (concession("us", "\"jp\", \"kr\"", "\"kr\""), Status::Crossed, "without consulting Japan beforehand: exercises-suspended by us (joint exercises suspended, oral)", vec!["concessions[0]"]),
            (concession("jp", "\"jp\"", ""), Status::Met, "no concession touches", vec!["concessions"]),
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
