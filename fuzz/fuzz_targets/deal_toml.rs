#![no_main]
//! Any text as a deal file: an error or a deal, never a panic.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let known = vec!["us".to_string(), "jp".to_string(), "kr".to_string(), "cn".to_string()];
        let _ = deal::parse_deal("fuzz.toml", s, &known);
    }
});
