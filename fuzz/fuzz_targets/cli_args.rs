#![no_main]
//! See allylens::fuzzing::cli_args for what this target checks; tests/fuzz_corpus.rs
//! replays the committed corpus (fuzz/corpus/cli_args/) on stable.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| allylens::fuzzing::cli_args(data));
