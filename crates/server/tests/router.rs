//! The router driven in process (`oneshot`): pages, errors and their
//! statuses, the scenario store, and the headers every response carries.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use server::compute::REACH_DEFAULT_LIMIT;
use server::store::Store;
use server::{app, AppState, BODY_LIMIT};
use tower::ServiceExt;

fn state() -> (Arc<AppState>, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!(
        "allylens-router-{}-{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    let store = Store::open(&dir.join("t.db")).expect("store");
    (Arc::new(AppState::new(store).expect("state")), dir)
}

async fn call(
    app: &Router,
    method: &str,
    uri: &str,
    body: impl Into<Body>,
) -> (StatusCode, Value, String) {
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header("host", "localhost")
        .header("x-allylens", "1")
        .body(body.into())
        .expect("request");
    let res = app.clone().oneshot(req).await.expect("response");
    let status = res.status();
    let csp = res.headers().get(header::CONTENT_SECURITY_POLICY).is_some();
    assert!(csp, "{uri}: a Content-Security-Policy on every response");
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    let text = String::from_utf8_lossy(&bytes).to_string();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        text,
    )
}

/// Sends a request with exactly these headers (none added): its status and JSON body.
async fn raw(
    app: &Router,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (StatusCode, Value) {
    let mut b = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    let req = b.body(Body::from(body.to_string())).expect("request");
    let res = app.clone().oneshot(req).await.expect("response");
    let status = res.status();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    (
        status,
        serde_json::from_slice::<Value>(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn page_reach_and_errors() {
    let (st, dir) = state();
    let app = app(st);
    let (s, _, html) = call(&app, "GET", "/", Body::empty()).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("allylens workbench"));
    let (s, v, _) = call(
        &app,
        "GET",
        "/api/reach?missile=hwasong-12&from=pyongyang",
        Body::empty(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(v["cities"]
        .as_array()
        .is_some_and(|c| c.iter().any(|x| x["name"] == "Tokyo")));
    assert_eq!(v["cities_listed"], REACH_DEFAULT_LIMIT);
    let total = v["cities_in_reach"].as_u64().expect("in the test");
    assert!(total > 10_000, "{total}");
    let (_, again, _) = call(
        &app,
        "GET",
        "/api/reach?missile=hwasong-12&from=pyongyang",
        Body::empty(),
    )
    .await;
    assert_eq!(again, v, "a cached answer is the same document");
    let (s, all, _) = call(
        &app,
        "GET",
        "/api/reach?missile=nodong&from=pyongyang&limit=all",
        Body::empty(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    // Nodong from Pyongyang: fewer cities in reach than the API's cap, all listed
    let total = all["cities_in_reach"].as_u64().expect("a count") as usize;
    let listed = total.min(server::compute::REACH_MAX_LIMIT);
    assert_eq!(all["cities_listed"], listed);
    assert_eq!(all["cities"].as_array().map(Vec::len), Some(listed));
    let (s, v, _) = call(
        &app,
        "GET",
        "/api/reach?missile=hwasong-12&from=pyongyang&limit=all",
        Body::empty(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        v["cities_listed"],
        server::compute::REACH_MAX_LIMIT,
        "all is capped"
    );
    assert!(
        v["cities_in_reach"].as_u64() > Some(10_000),
        "totals count every city"
    );
    let (s, _, _) = call(
        &app,
        "GET",
        "/api/reach?missile=nodong&limit=999999",
        Body::empty(),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, v, _) = call(
        &app,
        "GET",
        "/api/reach?missile=nodong&limit=lots",
        Body::empty(),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a value read but not valid"
    );
    assert!(v["error"]["message"]
        .as_str()
        .expect("in the test")
        .contains("limit"));
    let (s, v, _) = call(&app, "GET", "/api/reach?missile=nope", Body::empty()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["code"], "invalid_input");
    let (s, _, svg) = call(
        &app,
        "GET",
        "/api/reach?missile=nodong&from=wonsan&format=svg",
        Body::empty(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(svg.starts_with("<svg"));
    for path in [
        "/../../etc/passwd",
        "/static/..%2f..%2fetc%2fpasswd",
        "/api/nothing",
        "/%2e%2e/Cargo.toml",
    ] {
        let (s, v, _) = call(&app, "GET", path, Body::empty()).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(v["error"]["code"], "not_found");
    }
    let (s, v, _) = call(&app, "GET", "/api/openapi.json", Body::empty()).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["openapi"], "3.0.3");
    let (s, _, js) = call(&app, "GET", "/app.js", Body::empty()).await;
    assert_eq!(s, StatusCode::OK);
    assert!(js.contains("/api/assess"));
    assert!(!html.contains("<script>"), "no inline script in the page");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn health_reports_the_integrity_check() {
    let (st, dir) = state();
    let app = app(st);
    let (s, v, _) = call(&app, "GET", "/api/health", Body::empty()).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["integrity"], "ok");
    assert_eq!(v["integrity_checked"], "when the database was opened");
    let (s, v, _) = call(&app, "GET", "/api/health?check=full", Body::empty()).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["integrity"], "ok");
    assert_eq!(v["integrity_checked"], "now");
    let (s, v, _) = call(&app, "GET", "/api/health?check=some", Body::empty()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["code"], "invalid_input");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn the_csp_forbids_inline_script() {
    let (st, dir) = state();
    let res = app(st)
        .oneshot(
            Request::get("/")
                .header("host", "localhost")
                .body(Body::empty())
                .expect("in the test"),
        )
        .await
        .expect("in the test");
    let csp = res.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("in the test")
        .to_string();
    let script = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .unwrap_or("");
    assert_eq!(script, "script-src 'self'", "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn every_bundled_example_is_served() {
    let (st, dir) = state();
    let (s, v, _) = call(&app(st), "GET", "/api/examples", Body::empty()).await;
    assert_eq!(s, StatusCode::OK);
    let served: std::collections::BTreeSet<String> = v["examples"]
        .as_array()
        .expect("in the test")
        .iter()
        .map(|x| format!("{}.toml", x["id"].as_str().expect("in the test")))
        .collect();
    let on_disk: std::collections::BTreeSet<String> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/deals"))
            .expect("in the test")
            .map(|e| {
                e.expect("in the test")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .filter(|n| n.ends_with(".toml"))
            .collect();
    assert_eq!(served, on_disk);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn assess_and_bad_bodies() {
    let (st, dir) = state();
    let app = app(st);
    let deal = include_str!("../../../examples/deals/icbm-only.toml");
    let (s, v, _) = call(&app, "POST", "/api/assess", deal.to_string()).await;
    assert_eq!(s, StatusCode::OK);
    let jp = v["perspectives"]
        .as_array()
        .and_then(|p| p.iter().find(|x| x["id"] == "jp"))
        .expect("jp");
    assert_eq!(jp["verdict"], "red-line-crossed");
    let wrapped = json!({"deal": deal.replace("covers = [\"ICBM\"]", "covers = [\"SRBM\", \"MRBM\", \"IRBM\", \"ICBM\"]")}).to_string();
    let (s, v, _) = call(&app, "POST", "/api/assess", wrapped).await;
    assert_eq!(s, StatusCode::OK);
    let jp = v["perspectives"]
        .as_array()
        .and_then(|p| p.iter().find(|x| x["id"] == "jp"))
        .expect("jp");
    let mc = jp["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|x| x["id"] == "missile-coverage"))
        .expect("check");
    assert_eq!(
        mc["status"], "met",
        "IRBMs added: Japan's missile coverage flips"
    );
    let (s, v, _) = call(&app, "POST", "/api/assess", "{not json").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"]["code"], "malformed_json");
    let (s, v, _) = call(&app, "POST", "/api/assess", "[deal]\nname = 3\n").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("request body:2")));
    let big = "x".repeat(BODY_LIMIT + 10);
    let (s, v, _) = call(&app, "POST", "/api/clauses", big).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        v["error"]["code"], "too_large",
        "a JSON error like the API's own"
    );
    let (s, v, _) = call(&app, "DELETE", "/api/health", Body::empty()).await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(v["error"]["code"], "method_not_allowed");
    let (s, v, _) = call(
        &app,
        "POST",
        "/api/reconstruct",
        r#"{"apogee_km": -5, "range_km": 900}"#,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("apogee_km")));
    // found by the api_body fuzz target: infeasible observables were a 500
    let (s, v, _) = call(
        &app,
        "POST",
        "/api/reconstruct",
        r#"{"apogee_km": 744869, "range_km": 933.2}"#,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["code"], "not_reconstructible");
    assert!(v["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("744869")));
    let (s, v, _) = call(
        &app,
        "POST",
        "/api/clauses",
        "1. The two Koreas and the United States will hold talks on a peace treaty.",
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(v["clauses"][0]["excluded_stakeholders"]
        .as_array()
        .is_some_and(|x| x.iter().any(|s| s == "jp")));
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn scenarios_crud() {
    let (st, dir) = state();
    let app = app(st);
    let body =
        json!({"title": "<script>alert(1)</script>", "deal": "[deal]", "settings": {"irbm": true}})
            .to_string();
    let (s, v, _) = call(&app, "POST", "/api/scenarios", body).await;
    assert_eq!(s, StatusCode::CREATED);
    let id = v["id"].as_str().expect("id").to_string();
    let (s, v, _) = call(&app, "GET", &format!("/api/scenarios/{id}"), Body::empty()).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        v["title"], "<script>alert(1)</script>",
        "stored as given; the page renders it as text"
    );
    let (s, v, _) = call(
        &app,
        "PUT",
        &format!("/api/scenarios/{id}"),
        json!({"title": "t2", "deal": "[deal]"}).to_string(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["revision"], 2);
    // each revision stays readable, and the permalinks serve the page
    let (s, v, _) = call(
        &app,
        "GET",
        &format!("/api/scenarios/{id}/revisions/1"),
        Body::empty(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (v["title"].as_str(), v["revision"].as_i64()),
        (Some("<script>alert(1)</script>"), Some(1))
    );
    assert_eq!(v["settings"]["irbm"], true);
    let (s, v, _) = call(
        &app,
        "GET",
        &format!("/api/scenarios/{id}/revisions/2"),
        Body::empty(),
    )
    .await;
    assert_eq!((s, v["title"].as_str()), (StatusCode::OK, Some("t2")));
    let (s, _, _) = call(
        &app,
        "GET",
        &format!("/api/scenarios/{id}/revisions/3"),
        Body::empty(),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _, _) = call(
        &app,
        "GET",
        &format!("/api/scenarios/{id}/revisions/x"),
        Body::empty(),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    for uri in [format!("/s/{id}"), format!("/s/{id}/2")] {
        let (s, _, page) = call(&app, "GET", &uri, Body::empty()).await;
        assert_eq!(s, StatusCode::OK, "{uri}");
        assert!(page.contains("/app.js"), "{uri}: the workbench page");
    }
    let (s, v, _) = call(&app, "GET", "/api/scenarios", Body::empty()).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["scenarios"].as_array().map(Vec::len), Some(1));
    let (s, _, _) = call(
        &app,
        "DELETE",
        &format!("/api/scenarios/{id}"),
        Body::empty(),
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    for uri in [
        format!("/api/scenarios/{id}"),
        "/api/scenarios/..%2f..%2fetc".to_string(),
        "/api/scenarios/zzzz".to_string(),
    ] {
        let (s, _, _) = call(&app, "GET", &uri, Body::empty()).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{uri}");
    }
    let (s, _, _) = call(&app, "POST", "/api/scenarios", r#"{"title": 1}"#).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn one_status_per_kind_of_error_on_every_endpoint() {
    let (st, dir) = state();
    let app = app(st);
    // a launch point out of range is a value read but not valid: 422 on both
    let (s, v, _) = call(
        &app,
        "GET",
        "/api/reach?missile=nodong&from=12,200",
        Body::empty(),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["code"], "invalid_input");
    assert!(v["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("longitude 200")));
    let (s, v, _) = call(
        &app,
        "POST",
        "/api/reconstruct",
        r#"{"apogee_km": 1000, "range_km": 900, "from": "12,200"}"#,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["code"], "invalid_input");
    // an unknown facility names the JSON field, not a flag
    let (s, v, _) = call(
        &app,
        "POST",
        "/api/reconstruct",
        r#"{"apogee_km": 1000, "range_km": 900, "from": "atlantis"}"#,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let m = v["error"]["message"].as_str().unwrap_or("");
    assert!(
        m.starts_with("from 'atlantis'") && !m.contains("--from"),
        "{m}"
    );
    // a body that is not the JSON expected is 400 on every JSON endpoint
    for uri in ["/api/reconstruct", "/api/compare", "/api/scenarios"] {
        let (s, v, _) = call(&app, "POST", uri, "{\"nope\": 1}").await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(v["error"]["code"], "malformed_json", "{uri}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn other_pages_cannot_reach_the_workbench() {
    let (st, dir) = state();
    let app = app(st);
    let send = |method: &'static str,
                uri: &'static str,
                headers: &'static [(&'static str, &'static str)],
                body: &'static str| {
        let app = app.clone();
        async move { raw(&app, method, uri, headers, body).await.0 }
    };
    let save = r#"{"title": "x", "deal": "[deal]"}"#;
    // DNS rebinding: a foreign Host reads nothing and deletes nothing
    assert_eq!(
        send(
            "GET",
            "/api/scenarios",
            &[("host", "evil.example:8080")],
            ""
        )
        .await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(
            "DELETE",
            "/api/scenarios/0000000000000001",
            &[("host", "evil.example"), ("x-allylens", "1")],
            ""
        )
        .await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send("GET", "/api/scenarios", &[], "").await,
        StatusCode::BAD_REQUEST,
        "no Host"
    );
    // CSRF: a form or a no-cors fetch posts text/plain without the intent header
    assert_eq!(
        send(
            "POST",
            "/api/scenarios",
            &[("host", "localhost:8080"), ("content-type", "text/plain")],
            save
        )
        .await,
        StatusCode::FORBIDDEN
    );
    // a cross-origin request that sets the headers is refused by its Origin
    assert_eq!(
        send(
            "POST",
            "/api/scenarios",
            &[
                ("host", "localhost:8080"),
                ("content-type", "application/json"),
                ("origin", "http://127.0.0.1:9999")
            ],
            save
        )
        .await,
        StatusCode::FORBIDDEN
    );
    // the page's own request passes
    assert_eq!(
        send(
            "POST",
            "/api/scenarios",
            &[
                ("host", "localhost:8080"),
                ("content-type", "application/json"),
                ("origin", "http://localhost:8080")
            ],
            save
        )
        .await,
        StatusCode::CREATED
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_damaged_database_is_read_only_and_updates_carry_revisions() {
    let dir = std::env::temp_dir().join(format!(
        "allylens-damaged-{}-{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("d.db");
    {
        let mut store = Store::open(&path).expect("store");
        for i in 0..300 {
            store
                .create(&server::store::ScenarioInput {
                    title: format!("s{i}"),
                    deal_toml: "x".repeat(600 + i),
                    settings: json!({}),
                    assessment: None,
                })
                .expect("saves");
        }
    }
    // a healthy database: optimistic concurrency on PUT
    {
        let app = app(Arc::new(
            AppState::new(Store::open(&path).expect("store")).expect("state"),
        ));
        let (_, list, _) = call(&app, "GET", "/api/scenarios", Body::empty()).await;
        let id = list["scenarios"][0]["id"]
            .as_str()
            .expect("an id")
            .to_string();
        let put =
            |rev: i64| json!({"title": "edited", "deal": "[deal]", "revision": rev}).to_string();
        let (s, v, _) = call(&app, "PUT", &format!("/api/scenarios/{id}"), put(1)).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["revision"], 2);
        let (s, v, _) = call(&app, "PUT", &format!("/api/scenarios/{id}"), put(1)).await;
        assert_eq!(s, StatusCode::CONFLICT, "a stale revision");
        assert_eq!(v["error"]["code"], "revision_conflict");
    }
    // garbage in the middle of the file
    let len = std::fs::metadata(&path).expect("size").len();
    {
        use std::io::{Seek, SeekFrom, Write};
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .expect("opens");
        f.seek(SeekFrom::Start(len / 2)).expect("seeks");
        f.write_all(&vec![0xA5u8; 64 * 1024]).expect("writes");
    }
    let store = Store::open(&path).expect("a damaged file still opens");
    assert_ne!(store.integrity_at_open(), "ok");
    let app = app(Arc::new(AppState::new(store).expect("state")));
    let (s, v, _) = call(
        &app,
        "POST",
        "/api/scenarios",
        r#"{"title": "x", "deal": "y"}"#,
    )
    .await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(v["error"]["code"], "database_damaged");
    let (s, v, _) = call(&app, "GET", "/api/health", Body::empty()).await;
    assert_eq!(s, StatusCode::OK);
    assert_ne!(v["integrity"], "ok", "health says so");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_teams_workbench_needs_tokens_keeps_owners_and_logs_writes() {
    let dir = std::env::temp_dir().join(format!(
        "allylens-auth-{}-{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("team.db");
    let mut store = Store::open(&path).expect("store");
    let alice = store.add_user("alice").expect("adds");
    let bob = store.add_user("bob").expect("adds");
    assert_eq!(alice.len(), 64);
    assert_ne!(
        server::store::token_hash(&alice),
        alice,
        "only the hash is kept"
    );
    let mut state = AppState::new(store).expect("state");
    state.auth = true;
    let app = app(Arc::new(state));
    let send = |method: &str, uri: &str, token: Option<&str>, body: &str| {
        let bearer = token.map(|t| format!("Bearer {t}"));
        let (app, method, uri, body) = (
            app.clone(),
            method.to_string(),
            uri.to_string(),
            body.to_string(),
        );
        async move {
            let mut headers = vec![("host", "localhost"), ("content-type", "application/json")];
            if let Some(b) = &bearer {
                headers.push(("authorization", b.as_str()));
            }
            raw(&app, &method, &uri, &headers, &body).await
        }
    };
    let save = r#"{"title": "alice's deal", "deal": "[deal]"}"#;
    // no token, a wrong token
    assert_eq!(
        send("POST", "/api/scenarios", None, save).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        send("POST", "/api/scenarios", Some("00"), save).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        send("POST", "/api/assess", None, "{}").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(send("GET", "/api/health", None, "").await.0, StatusCode::OK);
    // alice saves; the scenario is hers, with a share key
    let (s, v) = send("POST", "/api/scenarios", Some(&alice), save).await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(v["owner"], "alice");
    let id = v["id"].as_str().expect("id").to_string();
    let key = v["share_key"].as_str().expect("a share key").to_string();
    // bob neither lists, reads, changes nor deletes it
    let (_, list) = send("GET", "/api/scenarios", Some(&bob), "").await;
    assert_eq!(list["scenarios"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        send("GET", &format!("/api/scenarios/{id}"), Some(&bob), "")
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let edit = r#"{"title": "bob was here", "deal": "x"}"#;
    assert_eq!(
        send("PUT", &format!("/api/scenarios/{id}"), Some(&bob), edit)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send("DELETE", &format!("/api/scenarios/{id}"), Some(&bob), "")
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    // the share link reads it, read-only and without the key
    let (s, v) = send("GET", &format!("/api/scenarios/{id}?key={key}"), None, "").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["title"], "alice's deal");
    assert!(v.get("share_key").is_none());
    assert_eq!(
        send("GET", &format!("/api/scenarios/{id}?key=wrong"), None, "")
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        send("PUT", &format!("/api/scenarios/{id}?key={key}"), None, edit)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    // alice changes and deletes it; every write is in the audit log
    assert_eq!(
        send("PUT", &format!("/api/scenarios/{id}"), Some(&alice), edit)
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        send("DELETE", &format!("/api/scenarios/{id}"), Some(&alice), "")
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    let audit = Store::open(&path)
        .expect("reopens")
        .audit_len()
        .expect("audit");
    assert_eq!(audit, 3, "create, update, delete");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_quick_edit_rewrites_the_deal_and_refuses_what_does_not_read() {
    let (st, dir) = state();
    let app = app(st);
    let deal = include_str!("../../../examples/deals/icbm-only.toml");
    let body = json!({"deal": deal, "edit": {"dismantle": ["ICBM", "IRBM"], "verification": "monitoring"}});
    let (s, v, _) = call(&app, "POST", "/api/deal/edit", body.to_string()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let out = v["deal"].as_str().expect("the deal");
    assert!(out.contains(r#"covers = ["ICBM", "IRBM"]"#), "{out}");
    assert!(out.contains(r#"level = "monitoring""#));
    assert!(out.starts_with("# Hypothetical"), "comments kept");
    // a value the deal model refuses is 422, naming the field
    let body = json!({"deal": deal, "edit": {"verification": "lots"}});
    let (s, v, _) = call(&app, "POST", "/api/deal/edit", body.to_string()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("verification")),
        "{v}"
    );
    // an unknown field of the edit is a body that cannot be read
    let body = json!({"deal": deal, "edit": {"colour": "red"}});
    let (s, _, _) = call(&app, "POST", "/api/deal/edit", body.to_string()).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let _ = std::fs::remove_dir_all(dir);
}
