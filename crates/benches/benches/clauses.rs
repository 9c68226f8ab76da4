//! Throughput of the clause reader (issue 5 target: at least 5 MB/s of
//! agreement text on one core). Baseline in the same run: splitting alone.

use clauses::{split, Tagger};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn corpus() -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/clauses/corpus");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let one: String = files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("text") + "\n\n")
        .collect();
    // about 1 MB of agreement text
    one.repeat(1_000_000 / one.len() + 1)
}

fn benches(c: &mut Criterion) {
    let text = corpus();
    let tagger = Tagger::bundled().expect("lexicon");
    let mut g = c.benchmark_group("clauses");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("baseline: split only", |b| b.iter(|| split(&text).len()));
    g.bench_function("split, tag, participants", |b| {
        b.iter(|| tagger.analyse(&text, &deal::STAKEHOLDER_IDS).clauses.len())
    });
    g.finish();
}

criterion_group!(all, benches);
criterion_main!(all);
