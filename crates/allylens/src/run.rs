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
            emit(&report::reach::render_with(
                &req,
                format,
                &TerminalProgress::default(),
            )?)
        }
        Command::Assess(a) => {
            let assessor = assessor(a.stakeholders.as_deref())?;
            let doc = assessor.document_with(
                &a.deal.display().to_string(),
                &read_deal(&a.deal)?,
                &a.arsenal.options(),
            )?;
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
            let c = report::compare::build_with(
                &assessor,
                &deal(&a.a)?,
                &deal(&a.b)?,
                &a.arsenal.options(),
            )?;
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
                    let t = deal::read(p).map_err(|e| Error::invalid(format!("--lexicon {e}")))?;
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
        Command::Serve(a) => {
            server::serve(a.addr, &a.db, &a.allow_host, a.db_quota_mb << 20, a.auth)
        }
        Command::Users(a) => users(&a),
    }
}

/// `allylens users`: the accounts of a team's workbench.
fn users(a: &crate::cli::UsersArgs) -> Result<(), Error> {
    use crate::cli::UsersAction;
    let mut store = server::store::Store::open(&a.db)
        .map_err(|e| Error::invalid(format!("--db {}: {e}", a.db.display())))?;
    let db =
        |e: server::store::StoreError| Error::internal(format!("--db {}: {e}", a.db.display()));
    match &a.action {
        UsersAction::Add { name } => {
            if name.is_empty()
                || name.len() > 64
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
            {
                return Err(Error::invalid(format!(
                    "users add '{name}': a name is 1-64 letters, digits, '-', '_' or '.'"
                )));
            }
            if store.users().map_err(db)?.iter().any(|(n, _)| n == name) {
                return Err(Error::invalid(format!(
                    "users add '{name}': already a user"
                )));
            }
            let token = store.add_user(name).map_err(db)?;
            emit(&format!(
                "{token}\n\nThe token of {name}: shown once, only its hash is kept. Open the workbench as\nhttp://HOST:PORT/#token={token}\nor send it as Authorization: Bearer <token>.\n"
            ))
        }
        UsersAction::List => {
            let mut s = String::new();
            for (n, at) in store.users().map_err(db)? {
                s += &format!("{n}\t(added {at} s after the epoch)\n");
            }
            emit(&s)
        }
        UsersAction::Remove { name } => {
            if store.remove_user(name).map_err(db)? {
                emit(&format!("{name} removed; their scenarios stay\n"))
            } else {
                Err(Error::invalid(format!(
                    "users remove '{name}': no such user"
                )))
            }
        }
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

/// The largest agreement text read, bytes (the longest real agreements are
/// under 100 KB; the reader's memory grows with the text).
pub const MAX_TEXT_BYTES: u64 = 2 << 20;

/// An agreement text from a regular file or standard input, as UTF-8, of at
/// most [`MAX_TEXT_BYTES`].
fn read_text(file: &Path) -> Result<(String, String), Error> {
    if file.as_os_str() != "-" {
        let name = file.display().to_string();
        let text =
            deal::read_capped(file, MAX_TEXT_BYTES).map_err(|e| Error::invalid(e.to_string()))?;
        return Ok((name, text));
    }
    let mut b = Vec::new();
    std::io::stdin()
        .take(MAX_TEXT_BYTES + 1)
        .read_to_end(&mut b)
        .map_err(|e| Error::invalid(format!("standard input: {e}")))?;
    if b.len() as u64 > MAX_TEXT_BYTES {
        return Err(Error::invalid(format!(
            "standard input: more than the {MAX_TEXT_BYTES} bytes allowed"
        )));
    }
    match String::from_utf8(b) {
        Ok(t) => Ok(("standard input".to_string(), t)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            Err(Error::invalid(format!(
                "standard input: not UTF-8 text (invalid byte at offset {at}); convert it to UTF-8 first"
            )))
        }
    }
}
