//! # clauses
//!
//! Reads an agreement text the night it is signed: splits it into clauses
//! (numbered and lettered items, bullets, paragraphs, and sentences inside long
//! paragraphs) with their character spans, tags each clause with the risks an
//! ally reads for (phased, conditional or reversible disarmament, cessation of
//! hostile acts, economic projects, peace talks that leave an ally out, missiles
//! left out...), with the matched words as evidence and a confidence, and names
//! the participants of any talks or peace process.
//!
//! Why rules, not a model: an analyst must see why a clause got a tag and edit
//! the lexicon (`data/clauses/lexicon.toml`) when a text uses new words. The
//! lexicon is embedded; `Tagger::from_toml` loads an edited one.
//!
//! Spans are in characters (Unicode scalar values), end exclusive.
//!
//! This crate depends on no other allylens crate.

mod draft;
mod kind;
mod lexicon;
mod split;
mod tag;

pub use draft::draft_deal;
pub use kind::{classify, ClauseType};
pub use lexicon::{Lexicon, LexiconError};
pub use split::{split, Piece};
pub use tag::{
    analyse, bundled_tagger, Analysis, Clause, Evidence, Summary, Tag, Tagger, DEFAULT_STAKEHOLDERS,
};

/// The lexicon that ships with allylens.
pub const BUNDLED_LEXICON: &str = include_str!("../../../data/clauses/lexicon.toml");
