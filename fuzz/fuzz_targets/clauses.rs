#![no_main]
//! Any bytes: when they are UTF-8, the clause reader must not panic and its spans must fit.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(a) = clauses::analyse(s) {
            let n = s.chars().count();
            for c in &a.clauses {
                assert!(c.span[0] < c.span[1] && c.span[1] <= n);
            }
        }
    }
});
