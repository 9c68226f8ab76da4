#![no_main]
//! See allylens::fuzzing::api_body for what this target checks; tests/fuzz_corpus.rs
//! replays the committed corpus (fuzz/corpus/api_body/) on stable.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| allylens::fuzzing::api_body(data));
