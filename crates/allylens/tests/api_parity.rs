//! The CLI and the API answer the same request with the same document: for
//! each endpoint, `allylens <command> --format json` and the router's answer
//! (driven in process) are compared as JSON values.

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn cli(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_allylens"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn app() -> (axum::Router, PathBuf) {
    let dir = std::env::temp_dir().join(format!(
        "allylens-parity-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    let store = server::store::Store::open(&dir.join("p.db")).expect("store");
    (
        server::app(Arc::new(server::AppState::new(store).expect("state"))),
        dir,
    )
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

fn api(app: &axum::Router, method: &str, uri: &str, body: String) -> Value {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .header("host", "localhost")
            .header("x-allylens", "1")
            .body(Body::from(body))
            .expect("request");
        let res = app.clone().oneshot(req).await.expect("response");
        let status = res.status();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        assert_eq!(
            status,
            StatusCode::OK,
            "{uri}: {}",
            String::from_utf8_lossy(&bytes)
        );
        serde_json::from_slice(&bytes).expect("JSON")
    })
}

fn file(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).expect("example file")
}

#[test]
fn reach_answers_the_clis_document() {
    let (app, dir) = app();
    // the API lists 100 cities by default; ask both for 100
    let c = cli(&[
        "reach",
        "--missile",
        "nodong,hwasong-12",
        "--from",
        "pyongyang",
        "--minus",
        "IRBM",
        "--limit",
        "100",
        "--format",
        "json",
    ]);
    let a = api(
        &app,
        "GET",
        "/api/reach?missile=nodong,hwasong-12&from=pyongyang&minus=IRBM&limit=100",
        String::new(),
    );
    assert_eq!(c, a, "reach");
    assert!(c["cities"].as_array().is_some_and(|v| v.len() == 100));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn demonstrated_reach_with_draws_and_a_date_answers_the_clis_document() {
    let (app, dir) = app();
    let c = cli(&[
        "reach",
        "--missile",
        "hwasong-14",
        "--from",
        "mupyong-ni",
        "--basis",
        "demonstrated",
        "--as-of",
        "2017-07-10",
        "--samples",
        "50",
        "--seed",
        "7",
        "--limit",
        "100",
        "--format",
        "json",
    ]);
    let a = api(
        &app,
        "GET",
        "/api/reach?missile=hwasong-14&from=mupyong-ni&basis=demonstrated&as_of=2017-07-10&samples=50&seed=7&limit=100",
        String::new(),
    );
    assert_eq!(c, a, "reach, demonstrated");
    assert_eq!(
        c["missiles"][0]["range_basis"]["test"]["date"],
        "2017-07-04"
    );
    assert!(c["cities"][0]["p_in_reach"].is_number());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn assess_and_compare_with_a_basis_and_a_date_answer_the_clis_documents() {
    let (app, dir) = app();
    let c = cli(&[
        "assess",
        "examples/deals/after-first-icbm-2017.toml",
        "--basis",
        "demonstrated",
        "--as-of",
        "today",
        "--format",
        "json",
    ]);
    let a = api(
        &app,
        "POST",
        "/api/assess?basis=demonstrated&as_of=today",
        file("examples/deals/after-first-icbm-2017.toml"),
    );
    assert_eq!(c, a, "assess");
    assert_eq!(c["arsenal"]["basis"], "demonstrated");
    let c = cli(&[
        "compare",
        "examples/deals/agreed-framework-1994.toml",
        "examples/deals/singapore-2018.toml",
        "--basis",
        "demonstrated",
        "--format",
        "json",
    ]);
    let body = json!({"a": file("examples/deals/agreed-framework-1994.toml"), "b": file("examples/deals/singapore-2018.toml")});
    let a = api(
        &app,
        "POST",
        "/api/compare?basis=demonstrated",
        body.to_string(),
    );
    assert_eq!(c, a, "compare");
    assert!(c["threat"].is_object());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn reconstruct_answers_the_clis_document() {
    let (app, dir) = app();
    let c = cli(&[
        "reconstruct",
        "--apogee-km",
        "2111.5",
        "--range-km",
        "787",
        "--from",
        "north-kusong",
        "--bearing",
        "71",
        "--missile",
        "hwasong-12",
        "--toward",
        "13.48,144.79",
        "--format",
        "json",
    ]);
    let body = json!({"apogee_km": 2111.5, "range_km": 787, "from": "north-kusong", "bearing": 71,
                      "missile": "hwasong-12", "toward": [13.48, 144.79]});
    let a = api(&app, "POST", "/api/reconstruct", body.to_string());
    assert_eq!(c, a, "reconstruct");
    assert_eq!(c["toward"]["reaches"], true);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn assess_answers_the_clis_document() {
    let (app, dir) = app();
    let c = cli(&[
        "assess",
        "examples/deals/singapore-2018.toml",
        "--format",
        "json",
    ]);
    let a = api(
        &app,
        "POST",
        "/api/assess",
        file("examples/deals/singapore-2018.toml"),
    );
    assert_eq!(c, a, "assess");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_markdown_report_is_the_clis() {
    let (app, dir) = app();
    let out = Command::new(env!("CARGO_BIN_EXE_allylens"))
        .args(["assess", "examples/deals/icbm-only.toml", "--format", "md"])
        .current_dir(root())
        .output()
        .expect("runs");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let api_md = rt.block_on(async {
        let req = Request::builder()
            .method("POST")
            .uri("/api/assess?format=md")
            .header("host", "localhost")
            .header("x-allylens", "1")
            .body(Body::from(file("examples/deals/icbm-only.toml")))
            .expect("request");
        let res = app.clone().oneshot(req).await.expect("response");
        assert_eq!(res.status(), StatusCode::OK);
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        String::from_utf8_lossy(&bytes).into_owned()
    });
    assert_eq!(api_md, String::from_utf8_lossy(&out.stdout));
    assert!(api_md.contains("## Sources and assumptions"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn compare_answers_the_clis_document() {
    let (app, dir) = app();
    // the same document, not the two assessments
    let c = cli(&[
        "compare",
        "examples/deals/icbm-only.toml",
        "examples/deals/comprehensive.toml",
        "--format",
        "json",
    ]);
    let body = json!({"a": file("examples/deals/icbm-only.toml"), "b": file("examples/deals/comprehensive.toml")});
    let a = api(&app, "POST", "/api/compare", body.to_string());
    assert_eq!(c, a, "compare");
    assert!(c["perspectives"].as_array().is_some_and(|p| !p.is_empty()));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn clauses_answers_the_clis_document() {
    let (app, dir) = app();
    // with the name the CLI gives the file
    let text = "Joint statement\n\n1. The two Koreas and the United States will hold talks on a peace treaty.\n2. Sanctions will be eased as the North dismantles its ICBMs.\n";
    let path = dir.join("statement.txt");
    std::fs::write(&path, text).expect("writes");
    let p = path.display().to_string();
    let c = cli(&["clauses", &p, "--format", "json"]);
    let uri = format!("/api/clauses?name={}", p.replace('/', "%2F"));
    let a = api(&app, "POST", &uri, text.to_string());
    assert_eq!(c, a, "clauses");
    let _ = std::fs::remove_dir_all(dir);
}
