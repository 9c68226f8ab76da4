//! `compare`: what changes for each ally from one deal to another. The
//! document is `deal::Comparison`; this module builds it and its page.

use deal::Comparison;

use crate::arsenal::Basis;
use crate::assess::{AsOf, AssessOptions, Assessor};
use crate::view::{Block, Page, Table};
use crate::{thousands, Error};

/// A deal as given: a name for errors and its TOML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DealText {
    pub name: String,
    pub text: String,
}

/// Assesses both deals with the same profiles, each against the arsenal of
/// its own date, and compares them.
pub fn build(assessor: &Assessor, a: &DealText, b: &DealText) -> Result<Comparison, Error> {
    build_with(assessor, a, b, &AssessOptions::default())
}

/// [`build`] with a basis and a date for the arsenals. When the two arsenals
/// differ (each deal at its own date), deal `b`'s text is also assessed
/// against `a`'s arsenal, to split what the texts change from what the
/// threat changes.
pub fn build_with(
    assessor: &Assessor,
    a: &DealText,
    b: &DealText,
    opts: &AssessOptions,
) -> Result<Comparison, Error> {
    let (x, ax) = assessor.assess_with(&a.name, &a.text, opts)?;
    let (y, ay) = assessor.assess_with(&b.name, &b.text, opts)?;
    let mut c = deal::compare(&x, &y);
    let ids = |t: &deal::ThreatTable| -> Vec<String> {
        t.missiles.iter().map(|m| m.id.clone()).collect()
    };
    let (xi, yi) = (ids(&ax.table), ids(&ay.table));
    if xi != yi || (ax.arsenal.as_of != ay.arsenal.as_of && opts.basis == Basis::Demonstrated) {
        let on_x = AssessOptions {
            basis: opts.basis,
            as_of: match &ax.arsenal.as_of {
                Some(d) => AsOf::Date(d.clone()),
                None => AsOf::Today,
            },
        };
        let (y_on_x, _) = assessor.assess_with(&b.name, &b.text, &on_x)?;
        c.threat = Some(deal::split_threat(
            &x,
            &y,
            &y_on_x,
            (ax.arsenal.as_of.clone(), &xi),
            (ay.arsenal.as_of.clone(), &yi),
        ));
    }
    Ok(c)
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
    if let Some(t) = &c.threat {
        p.heading("What the texts change and what the threat changes");
        let date = |d: &Option<String>| d.clone().unwrap_or_else(|| "today".into());
        p.line(format!(
            "The arsenal as of {} against the arsenal as of {}: {}{}.",
            date(&t.a_as_of),
            date(&t.b_as_of),
            if t.missiles_added.is_empty() {
                "no missile first flown in between".to_string()
            } else {
                format!("first flown in between: {}", t.missiles_added.join(", "))
            },
            if t.missiles_removed.is_empty() {
                String::new()
            } else {
                format!("; only in the first: {}", t.missiles_removed.join(", "))
            }
        ));
        let mut tb = Table::new(&[
            "ally",
            "residual population: the texts (first arsenal)",
            "then the threat",
            "second text, first arsenal",
        ]);
        for r in &t.perspectives {
            tb.push(vec![
                r.name.as_str().into(),
                arrow(thousands(r.texts.from), thousands(r.texts.to)).into(),
                arrow(thousands(r.threat.from), thousands(r.threat.to)).into(),
                r.b_text_on_a_arsenal.to_string().into(),
            ]);
        }
        p.push(Block::Table(tb));
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
