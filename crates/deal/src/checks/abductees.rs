//! `abductees`: the abductions of Japanese citizens are raised, in the
//! written text when the profile says `written = true`.

use super::Finding;
use crate::model::{Deal, Layer};
use crate::outcome::Status;

pub(crate) fn check(deal: &Deal, written: bool) -> Finding {
    let found = deal
        .issues
        .iter()
        .enumerate()
        .find(|(_, i)| i.topic == "abductees");
    let detail = |d: &Option<String>| d.as_ref().map_or(String::new(), |d| format!(": {d}"));
    match found {
        Some((i, issue)) if issue.layer == Layer::Written || !written => Finding::new(
            Status::Met,
            format!(
                "the abductions are addressed in the {} text{}",
                if issue.layer == Layer::Written {
                    "written"
                } else {
                    "oral"
                },
                detail(&issue.description)
            ),
            vec![format!("issues[{i}]")],
        ),
        Some((i, issue)) => Finding::new(
            Status::Partial,
            format!(
                "raised only orally, not in the text{}",
                detail(&issue.description)
            ),
            vec![format!("issues[{i}]")],
        ),
        None => Finding::new(
            Status::Crossed,
            "the abductions are not raised",
            vec!["issues".into()],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::deal;
    use super::*;

    const WRITTEN: &str = "[[issues]]\ntopic = \"abductees\"\nlayer = \"written\"\n";
    const ORAL: &str =
        "[[issues]]\ntopic = \"abductees\"\nlayer = \"oral\"\ndescription = \"raised at dinner\"\n";
    const OTHER: &str = "[[issues]]\ntopic = \"human-rights\"\nlayer = \"written\"\n";

    #[test]
    fn table() {
        // (deal body, profile asks for writing, status, evidence contains, field)
        let rows: [(&str, bool, Status, &str, &str); 5] = [
            (WRITTEN, true, Status::Met, "written text", "issues[0]"),
            (ORAL, true, Status::Partial, "only orally", "issues[0]"),
            (
                ORAL,
                false,
                Status::Met,
                "oral text: raised at dinner",
                "issues[0]",
            ),
            (OTHER, true, Status::Crossed, "not raised", "issues"),
            ("", false, Status::Crossed, "not raised", "issues"),
        ];
        for (body, written, status, needle, field) in rows {
            let f = check(&deal(body), written);
            assert_eq!(f.status, status, "{body}");
            assert!(f.evidence.contains(needle), "{}", f.evidence);
            assert_eq!(f.fields, vec![field.to_string()]);
        }
    }
}
