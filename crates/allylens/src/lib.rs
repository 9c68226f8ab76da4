//! The `allylens` command line: clap types and their conversion into report
//! requests (`cli`), value parsers (`args`), dispatch (`run`) and the
//! terminal edge (`output`). It is a library too so that the fuzz targets and
//! the tests call the same parsers the binary uses (`fuzzing`).
//!
//! What this crate must never hold: physics, a domain rule, or the building
//! of a document. Those are in `report` and the crates below it.

pub mod args;
pub mod cli;
pub mod fuzzing;
pub mod output;
pub mod run;
