#![no_main]
//! See allylens::fuzzing::clauses_text for what this target checks; tests/fuzz_corpus.rs
//! replays the committed corpus (fuzz/corpus/clauses/) on stable.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| allylens::fuzzing::clauses_text(data));
