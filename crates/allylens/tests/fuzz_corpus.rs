//! Replays every committed fuzz corpus entry (fuzz/corpus/<target>/*) through
//! the same check the cargo-fuzz target runs (allylens::fuzzing), on stable:
//! what the fuzzer once found stays fixed. A panic names the file.

use std::path::Path;

#[test]
fn every_committed_fuzz_corpus_entry_passes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus");
    let mut total = 0;
    for (name, check) in allylens::fuzzing::TARGETS {
        let dir = root.join(name);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.expect("dir entry").path())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "{}: no corpus entries", dir.display());
        for f in &files {
            let data = std::fs::read(f).expect("corpus file");
            let outcome = std::panic::catch_unwind(|| check(&data));
            assert!(outcome.is_ok(), "{name}: {} panicked", f.display());
        }
        eprintln!("{name}: {} entries", files.len());
        total += files.len();
    }
    assert!(total >= 5);
}
