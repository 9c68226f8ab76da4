//! Dispatch: each command converts its flags into a `report` request, calls
//! `report`, and writes the view of the format asked. Reading the files named
//! on the command line and writing the ones asked for (`--chart`,
//! `--draft-deal`) happen here, at the edge.

use std::io::Read;
use std::path::Path;

use report::assess::Assessor;
use report::compare::DealText;
use report::Error;

use crate::cli::{Command, Format, ReportFormat};
use crate::output::{emit, emit_json, TerminalProgress};

/// Runs one command.
pub fn run(cmd: Command) -> Result<(), Error> {
    match cmd {
        Command::Reconstruct(a) => {
            let doc = report::reconstruct::build(&a.request(), &TerminalProgress::default())?;
            match a.format {
                Format::Json => emit_json(&doc),
                Format::Md => emit(&doc.markdown()),
                Format::Text => emit(&doc.text()),
            }
        }
        Command::Flights(a) => {
            if a.facilities {
                let doc = report::flights::facilities()?;
                return match a.format {
                    Format::Json => emit_json(&doc),
                    f => emit(&doc.text(f == Format::Md)),
                };
            }
            let progress = TerminalProgress::default();
            if a.reach {
                let (doc, svg) = report::flights::history(&a.request(), &progress)?;
                if let Some(path) = &a.chart {
                    std::fs::write(path, svg).map_err(|e| {
                        Error::invalid(format!("--chart: cannot write {}: {e}", path.display()))
                    })?;
                }
                return match a.format {
                    Format::Json => emit_json(&doc),
                    f => emit(&doc.text(f == Format::Md)),
                };
            }
            let doc = report::flights::build(&a.request(), &progress)?;
            match a.format {
                Format::Json => emit_json(&doc),
                f => emit(&doc.text(f == Format::Md)),
            }
        }
        Command::Reach(a) => {
            let (req, format) = a.request();
            emit(&report::reach::render(&req, format)?)
        }
        Command::Assess(a) => {
            let assessor = assessor(a.stakeholders.as_deref())?;
            let doc = assessor.document(&a.deal.display().to_string(), &read_deal(&a.deal)?)?;
            match a.format {
                ReportFormat::Json => emit_json(&doc),
                ReportFormat::Md => emit(&doc.markdown()),
                ReportFormat::Text => emit(&doc.text()),
                ReportFormat::Html => emit(&doc.html()?),
            }
        }
        Command::Compare(a) => {
            let assessor = assessor(a.stakeholders.as_deref())?;
            let deal = |p: &Path| -> Result<DealText, Error> {
                Ok(DealText {
                    name: p.display().to_string(),
                    text: read_deal(p)?,
                })
            };
            let c = report::compare::build(&assessor, &deal(&a.a)?, &deal(&a.b)?)?;
            match a.format {
                Format::Json => emit_json(&c),
                Format::Md => emit(&report::compare::page(&c).markdown()),
                Format::Text => emit(&report::compare::page(&c).text()),
            }
        }
        Command::Clauses(a) => {
            let (name, text) = read_text(&a.file)?;
            let lexicon = match &a.lexicon {
                Some(p) => {
                    let t = std::fs::read_to_string(p)
                        .map_err(|e| Error::invalid(format!("--lexicon {}: {e}", p.display())))?;
                    Some((format!("--lexicon {}", p.display()), t))
                }
                None => None,
            };
            let answer = report::clauses::build(&report::clauses::ClausesRequest {
                name,
                text,
                lexicon,
            })?;
            if let Some(out) = &a.draft_deal {
                std::fs::write(out, answer.draft_deal())
                    .map_err(|e| Error::invalid(format!("--draft-deal {}: {e}", out.display())))?;
            }
            match a.format {
                ReportFormat::Json => emit_json(&answer.doc),
                ReportFormat::Md => emit(&answer.markdown()),
                ReportFormat::Text => emit(&answer.text_view()),
                ReportFormat::Html => emit(&answer.html()),
            }
        }
        Command::Serve(a) => server::serve(a.addr, &a.db),
    }
}

fn assessor(dir: Option<&Path>) -> Result<Assessor, Error> {
    match dir {
        Some(d) => Ok(Assessor::new(report::assess::profiles_from_dir(
            d,
            "--stakeholders",
        )?)),
        None => Assessor::bundled(),
    }
}

fn read_deal(path: &Path) -> Result<String, Error> {
    Ok(deal::read(path)?)
}

/// An agreement text from a file or standard input, as UTF-8.
fn read_text(file: &Path) -> Result<(String, String), Error> {
    let (name, bytes) = if file.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::stdin()
            .read_to_end(&mut b)
            .map_err(|e| Error::invalid(format!("standard input: {e}")))?;
        ("standard input".to_string(), b)
    } else {
        let b =
            std::fs::read(file).map_err(|e| Error::invalid(format!("{}: {e}", file.display())))?;
        (file.display().to_string(), b)
    };
    match String::from_utf8(bytes) {
        Ok(t) => Ok((name, t)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            Err(Error::invalid(format!(
                "{name}: not UTF-8 text (invalid byte at offset {at}); convert it to UTF-8 first"
            )))
        }
    }
}
