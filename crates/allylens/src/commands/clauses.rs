//! `allylens clauses`: an agreement text, clause by clause.

use std::io::Read;

use clauses::{draft_deal, Analysis, Tagger};
use serde_json::json;

use crate::cli::{ClausesArgs, ReportFormat};
use crate::output::{emit, emit_json};
use crate::usage;

fn read_text(a: &ClausesArgs) -> anyhow::Result<(String, String)> {
    let (name, bytes) = if a.file.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::stdin()
            .read_to_end(&mut b)
            .map_err(|e| usage(format!("standard input: {e}")))?;
        ("standard input".to_string(), b)
    } else {
        let b = std::fs::read(&a.file).map_err(|e| usage(format!("{}: {e}", a.file.display())))?;
        (a.file.display().to_string(), b)
    };
    match String::from_utf8(bytes) {
        Ok(t) => Ok((name, t)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            Err(usage(format!(
                "{name}: not UTF-8 text (invalid byte at offset {at}); convert it to UTF-8 first"
            )))
        }
    }
}

fn markdown(a: &Analysis, name: &str) -> String {
    let mut s = format!(
        "# Clauses of {name}\n\n{} clauses, {} characters.\n\n",
        a.summary.clauses, a.summary.characters
    );
    if !a.summary.risks.is_empty() {
        s += "## Risks for the allies\n\n";
        for r in &a.summary.risks {
            s += &format!("- {r}\n");
        }
        s += "\n";
    }
    s += "| clause | span | tags (confidence) | evidence | participants | left out |\n|---|---|---|---|---|---|\n";
    for c in &a.clauses {
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
        s += &format!(
            "| {}: {} | {}..{} | {} | {} | {} | {} |\n",
            c.id,
            c.text
                .replace('|', "\\|")
                .replace('\n', " ")
                .chars()
                .take(160)
                .collect::<String>(),
            c.span[0],
            c.span[1],
            tags.join(", "),
            ev.join(", ").replace('|', "\\|"),
            c.participants.join(", "),
            c.excluded_stakeholders.join(", ")
        );
    }
    s
}

fn html(a: &Analysis, name: &str, text: &str) -> String {
    let esc = reach::map::escape;
    let chars: Vec<char> = text.chars().collect();
    let mut s = format!("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">{}<title>{}</title><style>body{{font-family:Helvetica,Arial,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em}}.clause{{border-left:4px solid #ccc;padding:.3em .8em;margin:.8em 0;white-space:pre-wrap}}mark{{background:#ffe08a}}.tags{{font-size:.85em;color:#555}}</style></head><body><h1>Clauses of {}</h1>", crate::output::REPORT_CSP_META, esc(name), esc(name));
    if !a.summary.risks.is_empty() {
        s += "<ul>";
        for r in &a.summary.risks {
            s += &format!("<li>{}</li>", esc(r));
        }
        s += "</ul>";
    }
    for c in &a.clauses {
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
            body += &esc(&chars[at..m[0]].iter().collect::<String>());
            body += &format!(
                "<mark>{}</mark>",
                esc(&chars[m[0]..m[1]].iter().collect::<String>())
            );
            at = m[1];
        }
        body += &esc(&chars[at..c.span[1]].iter().collect::<String>());
        let tags: Vec<String> = c
            .tags
            .iter()
            .map(|t| format!("{} ({:.2})", t.tag, t.confidence))
            .collect();
        s += &format!(
            "<div class=\"clause\"><div>{body}</div><div class=\"tags\">{}: {}{}</div></div>",
            esc(&c.id),
            esc(&tags.join(", ")),
            if c.excluded_stakeholders.is_empty() {
                String::new()
            } else {
                esc(&format!(
                    "; leaves out {}",
                    c.excluded_stakeholders.join(", ")
                ))
            }
        );
    }
    s += "</body></html>\n";
    s
}

pub fn run(a: &ClausesArgs) -> anyhow::Result<()> {
    let (name, text) = read_text(a)?;
    let tagger = match &a.lexicon {
        Some(p) => {
            let t = std::fs::read_to_string(p)
                .map_err(|e| usage(format!("--lexicon {}: {e}", p.display())))?;
            Tagger::from_toml(&t).map_err(|e| usage(format!("--lexicon {}: {e}", p.display())))?
        }
        None => Tagger::bundled()?,
    };
    let analysis = tagger.analyse(&text, &["us", "jp", "kr", "cn"]);
    if let Some(out) = &a.draft_deal {
        let title = text
            .lines()
            .find(|l| !l.trim().is_empty())
            .map(|l| l.trim_start_matches('#').trim().to_string())
            .unwrap_or_else(|| name.clone());
        std::fs::write(out, draft_deal(&text, &analysis, &title))
            .map_err(|e| usage(format!("--draft-deal {}: {e}", out.display())))?;
    }
    match a.format {
        ReportFormat::Json => emit_json(
            &json!({"clauses": analysis.clauses, "summary": analysis.summary, "source": name}),
        ),
        ReportFormat::Md => emit(&markdown(&analysis, &name)),
        ReportFormat::Html => emit(&html(&analysis, &name, &text)),
    }
}
