//! The tagger against the hand-labelled gold corpus (data/clauses): micro-averaged
//! precision and recall of at least 0.9, per-tag figures printed (run with
//! `cargo test -p clauses --test gold -- --nocapture`; they are in the README).

use std::collections::{BTreeMap, BTreeSet};

use clauses::analyse;
use serde::Deserialize;

#[derive(Deserialize)]
struct Gold {
    clause: Vec<GoldClause>,
}

#[derive(Deserialize)]
struct GoldClause {
    file: String,
    n: usize,
    tags: Vec<String>,
}

#[test]
fn micro_precision_and_recall_on_the_gold_corpus() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/clauses");
    let gold: Gold =
        toml::from_str(&std::fs::read_to_string(root.join("gold.toml")).expect("gold.toml"))
            .expect("gold parses");
    let mut files: BTreeSet<&str> = BTreeSet::new();
    for g in &gold.clause {
        files.insert(&g.file);
    }
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    let mut per: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    for f in files {
        let text = std::fs::read_to_string(root.join("corpus").join(f)).expect("corpus file");
        let a = analyse(&text).expect("lexicon");
        let labelled: Vec<&GoldClause> = gold.clause.iter().filter(|g| g.file == f).collect();
        assert_eq!(a.clauses.len(), labelled.len(), "{f}: clause count");
        for g in labelled {
            let want: BTreeSet<&str> = g.tags.iter().map(String::as_str).collect();
            let got: BTreeSet<&str> = a.clauses[g.n - 1]
                .tags
                .iter()
                .map(|t| t.tag.as_str())
                .collect();
            for t in want.union(&got) {
                let e = per.entry(t.to_string()).or_default();
                match (want.contains(t), got.contains(t)) {
                    (true, true) => {
                        tp += 1;
                        e.0 += 1
                    }
                    (false, true) => {
                        fp += 1;
                        e.1 += 1;
                        println!("false positive {t}: {f} #{}", g.n)
                    }
                    _ => {
                        fn_ += 1;
                        e.2 += 1;
                        println!("false negative {t}: {f} #{}", g.n)
                    }
                }
            }
        }
    }
    println!(
        "{:<24} {:>9} {:>7} {:>4} {:>4} {:>4}",
        "tag", "precision", "recall", "tp", "fp", "fn"
    );
    for (t, (a, b, c)) in &per {
        let p = *a as f64 / (a + b).max(1) as f64;
        let r = *a as f64 / (a + c).max(1) as f64;
        println!("{t:<24} {p:>9.2} {r:>7.2} {a:>4} {b:>4} {c:>4}");
    }
    let precision = tp as f64 / (tp + fp) as f64;
    let recall = tp as f64 / (tp + fn_) as f64;
    println!("micro: precision {precision:.3}, recall {recall:.3} ({tp} tp, {fp} fp, {fn_} fn)");
    assert!(precision >= 0.9, "precision {precision:.3}");
    assert!(recall >= 0.9, "recall {recall:.3}");
}
