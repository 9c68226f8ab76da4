//! `clauses`: an agreement text, clause by clause: the document, a page in
//! text and Markdown, an HTML view that marks the evidence in the text, and
//! the draft deal model.

use clauses::{draft_deal, Clause, Summary, Tagger};
use serde::Serialize;

use crate::view::{html_escape, Block, Page, Table, REPORT_CSP_META};
use crate::Error;

/// An agreement text as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClausesRequest {
    /// What to call the text in reports and errors (a file name, "request body").
    pub name: String,
    pub text: String,
    /// A lexicon (TOML) to use instead of the bundled one, with its name.
    pub lexicon: Option<(String, String)>,
}

/// The clauses document (the JSON contract of `clauses --format json` and
/// `POST /api/clauses`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClausesDoc {
    pub clauses: Vec<Clause>,
    pub summary: Summary,
    pub source: String,
}

/// The document and the text it was read from (the HTML view and the draft
/// need the text).
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub doc: ClausesDoc,
    pub text: String,
}

/// Reads a text into clauses.
pub fn build(req: &ClausesRequest) -> Result<Answer, Error> {
    let owned;
    let tagger: &Tagger = match &req.lexicon {
        Some((name, toml)) => {
            owned = Tagger::from_toml(toml).map_err(|e| Error::invalid(format!("{name}: {e}")))?;
            &owned
        }
        None => clauses::bundled_tagger().map_err(|e| Error::internal(e.to_string()))?,
    };
    let a = tagger.analyse(&req.text, &deal::STAKEHOLDER_IDS);
    Ok(Answer {
        doc: ClausesDoc {
            clauses: a.clauses,
            summary: a.summary,
            source: req.name.clone(),
        },
        text: req.text.clone(),
    })
}

impl Answer {
    /// A draft deal model (TOML) drawn from the text, titled by its first line.
    pub fn draft_deal(&self) -> String {
        let title = self
            .text
            .lines()
            .find(|l| !l.trim().is_empty())
            .map(|l| l.trim_start_matches('#').trim().to_string())
            .unwrap_or_else(|| self.doc.source.clone());
        let a = clauses::Analysis {
            clauses: self.doc.clauses.clone(),
            summary: self.doc.summary.clone(),
        };
        draft_deal(&self.text, &a, &title)
    }

    /// The clause table as a page (text and Markdown).
    pub fn page(&self) -> Page {
        let d = &self.doc;
        let mut p = Page::new(format!("Clauses of {}", d.source));
        p.line(format!(
            "{} clauses, {} characters.",
            d.summary.clauses, d.summary.characters
        ));
        if !d.summary.risks.is_empty() {
            p.heading("Risks for the allies");
            p.push(Block::List(d.summary.risks.clone()));
        }
        let mut t = Table::new(&[
            "clause",
            "type",
            "span",
            "tags (confidence)",
            "evidence",
            "participants",
            "left out",
        ]);
        for c in &d.clauses {
            let tags: Vec<String> = c
                .tags
                .iter()
                .map(|t| format!("{} ({:.2})", t.tag, t.confidence))
                .collect();
            let ev: Vec<String> = c
                .tags
                .iter()
                .flat_map(|t| t.evidence.iter().map(|e| format!("\"{}\"", e.text)))
                .collect();
            t.push(vec![
                format!("{}: {}", c.id, c.text.chars().take(160).collect::<String>()).into(),
                c.kind.as_str().into(),
                format!("{}..{}", c.span[0], c.span[1]).into(),
                tags.join(", ").into(),
                ev.join(", ").into(),
                c.participants.join(", ").into(),
                c.excluded_stakeholders.join(", ").into(),
            ]);
        }
        p.push(Block::Table(t));
        p
    }

    pub fn markdown(&self) -> String {
        self.page().markdown()
    }

    pub fn text_view(&self) -> String {
        self.page().text()
    }

    /// The text with each clause boxed, its evidence marked and its tags below.
    pub fn html(&self) -> String {
        let esc = html_escape;
        let d = &self.doc;
        let chars: Vec<char> = self.text.chars().collect();
        let slice = |a: usize, b: usize| -> String {
            chars[a.min(chars.len())..b.min(chars.len())]
                .iter()
                .collect()
        };
        let mut s = format!("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">{REPORT_CSP_META}<title>{}</title><style>body{{font-family:Helvetica,Arial,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em}}.clause{{border-left:4px solid #ccc;padding:.3em .8em;margin:.8em 0;white-space:pre-wrap}}mark{{background:#ffe08a}}.tags{{font-size:.85em;color:#555}}</style></head><body><h1>Clauses of {}</h1>", esc(&d.source), esc(&d.source));
        s += &format!(
            "<p>{} clauses, {} characters.</p>",
            d.summary.clauses, d.summary.characters
        );
        if !d.summary.risks.is_empty() {
            s += "<h2>Risks for the allies</h2><ul>";
            for r in &d.summary.risks {
                s += &format!("<li>{}</li>", esc(r));
            }
            s += "</ul>";
        }
        for c in &d.clauses {
            let mut marks: Vec<[usize; 2]> = c
                .tags
                .iter()
                .flat_map(|t| t.evidence.iter().map(|e| e.span))
                .collect();
            marks.sort();
            let mut body = String::new();
            let mut at = c.span[0];
            for m in marks {
                if m[0] < at {
                    continue;
                }
                body += &esc(&slice(at, m[0]));
                body += &format!("<mark>{}</mark>", esc(&slice(m[0], m[1])));
                at = m[1];
            }
            body += &esc(&slice(at, c.span[1]));
            let tags: Vec<String> = c
                .tags
                .iter()
                .map(|t| format!("{} ({:.2})", t.tag, t.confidence))
                .collect();
            s +=
                &format!(
                "<div class=\"clause\"><div>{body}</div><div class=\"tags\">{} ({}){}{}</div></div>",
                esc(&c.id),
                c.kind.as_str(),
                if tags.is_empty() {
                    String::new()
                } else {
                    format!(": {}", esc(&tags.join(", ")))
                },
                if c.excluded_stakeholders.is_empty() {
                    String::new()
                } else {
                    esc(&format!("; leaves out {}", c.excluded_stakeholders.join(", ")))
                }
            );
        }
        s += "</body></html>\n";
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn talks_without_japan_leave_it_out_and_the_draft_parses() {
        let req = ClausesRequest {
            name: "t.txt".into(),
            text: "Joint Statement\n\n1. The two Koreas and the United States will hold talks on a peace treaty.\n".into(),
            lexicon: None,
        };
        let a = build(&req).expect("read");
        assert!(a
            .doc
            .clauses
            .iter()
            .any(|c| c.excluded_stakeholders.iter().any(|s| s == "jp")));
        assert!(a.markdown().contains("# Clauses of t.txt"));
        assert!(a.html().contains("<mark>"));
        assert!(a.draft_deal().contains("Joint Statement"));
    }

    #[test]
    fn the_clause_reader_and_the_deal_crate_list_the_same_stakeholders() {
        assert_eq!(clauses::DEFAULT_STAKEHOLDERS, deal::STAKEHOLDER_IDS);
    }

    #[test]
    fn a_bad_lexicon_is_the_users_to_fix() {
        let req = ClausesRequest {
            name: "t.txt".into(),
            text: "x".into(),
            lexicon: Some(("--lexicon l.toml".into(), "not = [toml".into())),
        };
        let e = build(&req).err();
        assert!(e
            .is_some_and(|e| e.kind == crate::ErrorKind::Invalid
                && e.message.starts_with("--lexicon l.toml")));
    }
}
