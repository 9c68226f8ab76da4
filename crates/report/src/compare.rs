//! `compare`: what changes for each ally from one deal to another. The
//! document is `deal::Comparison`; this module builds it and its page.

use deal::Comparison;

use crate::assess::Assessor;
use crate::view::{Block, Page, Table};
use crate::{thousands, Error};

/// A deal as given: a name for errors and its TOML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DealText {
    pub name: String,
    pub text: String,
}

/// Assesses both deals with the same profiles and compares them.
pub fn build(assessor: &Assessor, a: &DealText, b: &DealText) -> Result<Comparison, Error> {
    let x = assessor.assess(&a.name, &a.text)?;
    let y = assessor.assess(&b.name, &b.text)?;
    Ok(deal::compare(&x, &y))
}

/// The comparison as a page (text, Markdown).
pub fn page(c: &Comparison) -> Page {
    let mut p = Page::new(format!("{} → {}", c.a.name, c.b.name));
    p.line(format!(
        "{} ({}) compared with {} ({})",
        c.a.name, c.a.date, c.b.name, c.b.date
    ));
    let mut t = Table::new(&[
        "ally",
        "verdict",
        "residual population",
        "residual U.S. personnel",
    ]);
    let arrow = |a: String, b: String| if a == b { a } else { format!("{a} → {b}") };
    for r in &c.perspectives {
        t.push(vec![
            r.name.as_str().into(),
            arrow(r.verdict.from.to_string(), r.verdict.to.to_string()).into(),
            arrow(
                thousands(r.residual_population.from),
                thousands(r.residual_population.to),
            )
            .into(),
            arrow(
                thousands(r.residual_us_personnel.from),
                thousands(r.residual_us_personnel.to),
            )
            .into(),
        ]);
    }
    p.push(Block::Table(t));
    for r in c.perspectives.iter().filter(|r| !r.changes.is_empty()) {
        p.heading(format!("{}: checks that change", r.name));
        let mut t = Table::new(&["check", "before", "after", "evidence after"]);
        for ch in &r.changes {
            t.push(vec![
                ch.check.as_str().into(),
                ch.from.as_str().into(),
                ch.to.as_str().into(),
                ch.evidence_after.as_str().into(),
            ]);
        }
        p.push(Block::Table(t));
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adding_the_shorter_ranges_flips_japan() {
        let a = Assessor::bundled().expect("bundled");
        let icbm = include_str!("../../../examples/deals/icbm-only.toml");
        let all = icbm.replace("covers = [\"ICBM\"]", "covers = [\"all\"]");
        let c = build(
            &a,
            &DealText {
                name: "a".into(),
                text: icbm.into(),
            },
            &DealText {
                name: "b".into(),
                text: all,
            },
        )
        .expect("compared");
        let jp = c.perspectives.iter().find(|p| p.id == "jp").expect("jp");
        assert_eq!(jp.verdict.from, deal::Verdict::RedLineCrossed);
        assert_eq!(jp.verdict.to, deal::Verdict::Satisfied);
        assert_eq!(jp.residual_population.to, 0);
        let md = page(&c).markdown();
        assert!(
            md.contains("| Japan | red-line-crossed → satisfied |"),
            "{md}"
        );
        assert!(md.contains("## Japan: checks that change"));
    }
}
