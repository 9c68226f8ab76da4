//! What the fuzz targets check, one function per parser a user can reach.
//!
//! The cargo-fuzz targets in `fuzz/` (nightly, libFuzzer) call these, and
//! `tests/fuzz_corpus.rs` calls them again on every committed corpus entry on
//! stable, so CI replays what the fuzzer found. Each function takes arbitrary
//! bytes and panics only when an invariant breaks: an error is a fine answer to
//! bad input, a panic, a 5xx, a NaN or an out-of-range span is not.

use std::sync::{Arc, OnceLock};

use report::assess::Assessor;

const KNOWN: [&str; 4] = deal::STAKEHOLDER_IDS;

fn assessor() -> &'static Assessor {
    static A: OnceLock<Assessor> = OnceLock::new();
    A.get_or_init(|| Assessor::bundled().expect("bundled profiles parse"))
}

/// A deal file: parse, and when it parses, assess it against the bundled
/// profiles and render every report format.
pub fn deal_toml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let known: Vec<String> = KNOWN.iter().map(|s| s.to_string()).collect();
    if deal::parse_deal("fuzz.toml", text, &known).is_err() {
        return;
    }
    let doc = assessor()
        .document("fuzz.toml", text)
        .expect("a deal that parses is assessed");
    assert_eq!(doc.perspectives.len(), assessor().profiles().len());
    assert!(serde_json::to_string(&doc).is_ok());
    let _ = doc.markdown();
    let _ = doc.text();
}

/// A stakeholder profile: an error or a profile, never a panic; a profile
/// that parses can assess the bundled ICBM-only example.
pub fn stakeholder_toml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(s) = deal::parse_stakeholder("fuzz.toml", text) else {
        return;
    };
    let deal = include_str!("../../../examples/deals/icbm-only.toml");
    // the deal names us, kp as parties; a profile with another id is a third party
    let _ = Assessor::new(vec![s]).assess("icbm-only.toml", deal);
}

/// An agreement text: clauses with spans inside the text, confidences in
/// 0..=1, and a drafted deal that the deal parser reads.
pub fn clauses_text(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let a = clauses::analyse(text).expect("bundled lexicon");
    let n = text.chars().count();
    let mut last_end = 0;
    for c in &a.clauses {
        assert!(
            c.span[0] < c.span[1] && c.span[1] <= n,
            "clause span {:?} in {n} chars",
            c.span
        );
        assert!(c.span[0] >= last_end, "clauses overlap");
        last_end = c.span[1];
        for t in &c.tags {
            assert!(
                (0.0..=1.0).contains(&t.confidence),
                "confidence {}",
                t.confidence
            );
            for e in &t.evidence {
                assert!(
                    c.span[0] <= e.span[0] && e.span[0] < e.span[1] && e.span[1] <= c.span[1],
                    "evidence span {:?} outside clause {:?}",
                    e.span,
                    c.span
                );
            }
        }
    }
    let mut draft = clauses::draft_deal(text, &a, "fuzz");
    // Fields the text cannot give are left to the analyst as commented
    // ANALYST lines (date, parties): do what the analyst would; then the draft
    // must parse.
    draft = draft
        .lines()
        .map(|l| {
            if l.starts_with("# ANALYST: date = ") {
                "date = \"2000-01-01\"".to_string()
            } else if l.starts_with("# ANALYST: parties = ") {
                "parties = [\"us\", \"kp\"]".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let known: Vec<String> = KNOWN.iter().map(|s| s.to_string()).collect();
    if let Err(e) = deal::parse_deal("draft.toml", &draft, &known) {
        panic!("the drafted deal does not parse: {e}\n{draft}");
    }
}

/// Command-line values: the number and coordinate parsers give finite,
/// in-range values or an error; the whole command line parses or fails with
/// a message, never a panic.
pub fn cli_args(data: &[u8]) {
    use clap::Parser;
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(v) = crate::args::parse_positive(text) {
        assert!(v.is_finite() && v > 0.0);
    }
    if let Ok(v) = crate::args::parse_nonneg(text) {
        assert!(v.is_finite() && v >= 0.0);
    }
    if let Ok((lat, lon)) = crate::args::parse_latlon(text) {
        assert!((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon));
    }
    if let Ok(report::Site::Facility(id)) = crate::args::parse_site(text) {
        assert!(!id.is_empty());
    }
    let argv = std::iter::once("allylens").chain(text.split_whitespace());
    let _ = crate::cli::Cli::try_parse_from(argv);
}

/// API request bodies: the first byte picks an endpoint, the rest is the
/// body. Any status but a 5xx.
pub fn api_body(data: &[u8]) {
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;
    const ROUTES: [(&str, &str); 6] = [
        ("POST", "/api/assess"),
        ("POST", "/api/compare"),
        ("POST", "/api/clauses"),
        ("POST", "/api/scenarios"),
        ("POST", "/api/reconstruct"),
        ("PUT", "/api/scenarios/0000000000000001"),
    ];
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let (method, uri) = ROUTES[pick as usize % ROUTES.len()];
    if uri == "/api/reconstruct" && body.len() > 256 {
        // a reconstruction is a physics run: keep fuzzing fast
        return;
    }
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    static APP: OnceLock<axum::Router> = OnceLock::new();
    let rt = RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
    });
    let app = APP.get_or_init(|| {
        let path = std::env::temp_dir().join(format!("allylens-fuzz-{}.db", std::process::id()));
        let store = server::store::Store::open(&path).expect("temporary database");
        server::app(Arc::new(
            server::AppState::new(store).expect("bundled profiles"),
        ))
    });
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header("host", "localhost")
        .header("content-type", "application/json")
        .body(Body::from(body.to_vec()))
        .expect("request");
    let res = rt.block_on(app.clone().oneshot(req)).expect("infallible");
    assert!(
        !res.status().is_server_error(),
        "{method} {uri}: {} for body {:?}",
        res.status(),
        String::from_utf8_lossy(body)
    );
}

/// A fuzz target: its name and its check.
pub type Target = (&'static str, fn(&[u8]));

/// The fuzz targets by name, as `fuzz/corpus/<name>/` names them.
pub const TARGETS: [Target; 5] = [
    ("deal_toml", deal_toml),
    ("stakeholder_toml", stakeholder_toml),
    ("clauses", clauses_text),
    ("cli_args", cli_args),
    ("api_body", api_body),
];
