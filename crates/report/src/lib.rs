//! # report
//!
//! The layer between the library crates and the user: what each command
//! answers, built once and shown many ways.
//!
//! ```text
//! request (plain values) ──► build ──► document (typed, Serialize) ──► view (text | md | html | json)
//! ```
//!
//! Why a crate of its own: the CLI and the HTTP server must answer the same
//! request with the same document, so neither may build one. Each converts
//! its input (clap flags, a JSON body, a query string) into a request type of
//! [`request`], calls a `build` function here, and shows the document: JSON is
//! the document serialised, text, Markdown and HTML are views over it. Where
//! two formats show the same report (the assessment), both are drawn from one
//! [`view::Page`], so no format can drop a caveat another has.
//!
//! What this crate must never do: parse command lines or HTTP, touch a
//! terminal, write files, or hold physics or domain rules (those live in
//! `flight`, `reach`, `deal`, `clauses`, `catalog`). Long work reports
//! progress through the [`Progress`] it is given.

pub mod arsenal;
pub mod assess;
pub mod clauses;
pub mod compare;
mod error;
pub mod fits;
pub mod flights;
mod flights_request;
mod history;
mod progress;
pub mod reach;
pub mod reconstruct;
pub mod request;
pub mod view;

pub use error::{Error, ErrorKind};
pub use progress::{Cancel, NoProgress, Progress};
pub use request::{FieldNames, Site};

/// Rounds for display and for stable JSON (reports should not pretend to 15 digits).
pub fn round(x: f64, digits: i32) -> f64 {
    let k = 10f64.powi(digits);
    (x * k).round() / k
}

pub use ::reach::thousands;

/// A rule or caveat behind the numbers, with where it comes from: every
/// document lists its own, and every view of it shows them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Note {
    pub name: String,
    pub value: String,
    pub source: String,
}

impl Note {
    pub fn new(
        name: impl Into<String>,
        value: impl Into<String>,
        source: impl Into<String>,
    ) -> Note {
        Note {
            name: name.into(),
            value: value.into(),
            source: source.into(),
        }
    }
}

/// A document as pretty JSON plus a newline (the CLI's `--format json`).
pub fn pretty<T: serde::Serialize>(doc: &T) -> Result<String, Error> {
    serde_json::to_string_pretty(doc)
        .map(|s| s + "\n")
        .map_err(|e| Error::internal(format!("a document did not serialise: {e}")))
}
