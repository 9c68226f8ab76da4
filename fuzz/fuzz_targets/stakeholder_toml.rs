#![no_main]
//! See allylens::fuzzing::stakeholder_toml for what this target checks; tests/fuzz_corpus.rs
//! replays the committed corpus (fuzz/corpus/stakeholder_toml/) on stable.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| allylens::fuzzing::stakeholder_toml(data));
