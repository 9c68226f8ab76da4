//! `allylens serve`: the JSON API and the web page over the same library calls
//! as the CLI (the API returns the CLI's `--format json` documents), with
//! scenarios saved in SQLite.
//!
//! Hardening built in: loopback by default, a 1 MiB request body limit (413),
//! a 30 s request timeout (408), JSON errors of one stable shape that never
//! carry internals, a Content-Security-Policy on every response, and no file
//! system access for static assets (the page is embedded; any other path is a
//! JSON 404, so traversal has nothing to reach).

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::store::{ScenarioInput, Store};
use crate::UsageError;

pub const BODY_LIMIT: usize = 1 << 20;
const PAGE: &str = include_str!("page.html");
const PAGE_JS: &str = include_str!("page.js");
const PAGE_CSS: &str = include_str!("page.css");

/// The bundled example deals, served to the page so that it never carries a
/// second copy of them.
const EXAMPLES: [(&str, &str); 8] = [
    (
        "icbm-only",
        include_str!("../../../../examples/deals/icbm-only.toml"),
    ),
    (
        "comprehensive",
        include_str!("../../../../examples/deals/comprehensive.toml"),
    ),
    (
        "singapore-2018",
        include_str!("../../../../examples/deals/singapore-2018.toml"),
    ),
    (
        "panmunjom-2018",
        include_str!("../../../../examples/deals/panmunjom-2018.toml"),
    ),
    (
        "pyongyang-2018",
        include_str!("../../../../examples/deals/pyongyang-2018.toml"),
    ),
    (
        "six-party-2005",
        include_str!("../../../../examples/deals/six-party-2005.toml"),
    ),
    (
        "agreed-framework-1994",
        include_str!("../../../../examples/deals/agreed-framework-1994.toml"),
    ),
    (
        "japan-dprk-pyongyang-2002",
        include_str!("../../../../examples/deals/japan-dprk-pyongyang-2002.toml"),
    ),
];
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

pub struct AppState {
    pub store: Mutex<Store>,
}

/// An error as the API reports it.
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }
    fn not_found(what: &str) -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(json!({"error": {"code": self.code, "message": self.message}})),
        )
            .into_response()
    }
}

/// Library errors: bad input is the client's (422 with the message), anything
/// else is ours (500, logged on the server, a generic message to the client).
impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> Self {
        if e.downcast_ref::<UsageError>().is_some() {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
                e.to_string(),
            )
        } else if e
            .chain()
            .any(|c| c.downcast_ref::<flight::FlightError>().is_some())
        {
            // observables no flight of the assumed rocket reproduces are the
            // request's problem, not the server's (found by the api_body fuzz
            // target: an apogee of 744,869 km gave a 500)
            let chain: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "not_reconstructible",
                chain.join(": "),
            )
        } else {
            eprintln!("allylens serve: internal error: {e:#}");
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal error",
            )
        }
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> Self {
        eprintln!("allylens serve: database error: {e}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error",
        )
    }
}

fn parse_json<T: for<'de> Deserialize<'de>>(body: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            format!("request body is not the JSON expected: {e}"),
        )
    })
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f).await.map_err(|_| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error",
        )
    })?
}

/// Runs `f` on the store off the async threads; a poisoned lock or a
/// database error is an internal error (logged, never shown).
async fn with_store<T: Send + 'static>(
    st: Arc<AppState>,
    f: impl FnOnce(&mut Store) -> Result<T, crate::store::StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    blocking(move || {
        let mut store = st.store.lock().map_err(|_| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal error",
            )
        })?;
        Ok(f(&mut store)?)
    })
    .await
}

/// The router, without a socket (tests drive it with `oneshot`).
pub fn app(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/app.js", get(page_js))
        .route("/app.css", get(page_css))
        .route("/api/openapi.json", get(openapi))
        .route("/api/health", get(health))
        .route("/api/examples", get(examples))
        .route("/api/reach", get(reach))
        .route("/api/reconstruct", post(reconstruct))
        .route("/api/assess", post(assess))
        .route("/api/compare", post(compare))
        .route("/api/clauses", post(clauses))
        .route("/api/scenarios", post(create_scenario).get(list_scenarios))
        .route(
            "/api/scenarios/{id}",
            get(get_scenario).put(put_scenario).delete(delete_scenario),
        )
        .fallback(|| async { ApiError::not_found("path") })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            std::time::Duration::from_secs(30),
        ))
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .with_state(state)
}

async fn page() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], PAGE)
}

async fn page_js() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        PAGE_JS,
    )
}

async fn page_css() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        PAGE_CSS,
    )
}

#[derive(Deserialize)]
struct ReachQuery {
    missile: Option<String>,
    from: Option<String>,
    classes: Option<String>,
    minus: Option<String>,
    range_estimate: Option<String>,
    limit: Option<String>,
    format: Option<String>,
}

/// Cities listed by `/api/reach` unless `limit` says otherwise (`limit=all`
/// lists every one, as the CLI does: 16,251 cities and 4.3 MB for a Hwasong-12
/// from Pyongyang). Totals always count every city.
pub const REACH_DEFAULT_LIMIT: usize = 100;

/// Rendered `/api/reach` documents, keyed by the parsed query. A reach answer
/// is a pure function of the query and of data embedded in the binary, so a
/// cached body is exactly what a fresh computation would give; an analyst's
/// "what if" session asks the same few queries again and again. Bounded by
/// entries and bytes; oldest out first.
struct ReachCache {
    map: std::collections::HashMap<String, Bytes>,
    order: std::collections::VecDeque<String>,
    bytes: usize,
}

const REACH_CACHE_ENTRIES: usize = 256;
const REACH_CACHE_BYTES: usize = 64 << 20;
const REACH_CACHE_MAX_BODY: usize = 2 << 20;

fn reach_cache() -> &'static Mutex<ReachCache> {
    static CACHE: std::sync::OnceLock<Mutex<ReachCache>> = std::sync::OnceLock::new();
    CACHE.get_or_init(|| {
        Mutex::new(ReachCache {
            map: Default::default(),
            order: Default::default(),
            bytes: 0,
        })
    })
}

impl ReachCache {
    fn get(key: &str) -> Option<Bytes> {
        reach_cache().lock().ok()?.map.get(key).cloned()
    }

    fn put(key: String, body: Bytes) {
        if body.len() > REACH_CACHE_MAX_BODY {
            return;
        }
        let Ok(mut c) = reach_cache().lock() else {
            return;
        };
        if c.map.contains_key(&key) {
            return;
        }
        while c.order.len() >= REACH_CACHE_ENTRIES || c.bytes + body.len() > REACH_CACHE_BYTES {
            let Some(old) = c.order.pop_front() else {
                break;
            };
            if let Some(b) = c.map.remove(&old) {
                c.bytes -= b.len();
            }
        }
        c.bytes += body.len();
        c.order.push_back(key.clone());
        c.map.insert(key, body);
    }
}

fn list(v: &Option<String>) -> Vec<String> {
    v.as_deref()
        .map(|s| {
            s.split(',')
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

async fn reach(Query(q): Query<ReachQuery>) -> Result<Response, ApiError> {
    use crate::cli::{RangeEstimate, ReachArgs, ReachFormat};
    let format = match q.format.as_deref().unwrap_or("json") {
        "json" => ReachFormat::Json,
        "geojson" => ReachFormat::Geojson,
        "svg" => ReachFormat::Svg,
        other => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_input",
                format!("format '{other}': use json, geojson or svg"),
            ))
        }
    };
    let from = match q.from.as_deref() {
        Some(f) => Some(crate::args::parse_site(f).map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_input",
                format!("from: {e}"),
            )
        })?),
        None => None,
    };
    let args = ReachArgs {
        missile: list(&q.missile),
        classes: list(&q.classes),
        minus: list(&q.minus),
        from,
        range_estimate: if q.range_estimate.as_deref() == Some("low") {
            RangeEstimate::Low
        } else {
            RangeEstimate::High
        },
        range_km: None,
        limit: match q.limit.as_deref() {
            None => Some(REACH_DEFAULT_LIMIT),
            Some("all") => None,
            Some(n) => Some(n.parse::<usize>().map_err(|_| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_input",
                    format!("limit '{n}': a whole number of cities, or 'all'"),
                )
            })?),
        },
        format,
    };
    let key = format!("{args:?}");
    let body = match ReachCache::get(&key) {
        Some(b) => b,
        None => {
            let b = Bytes::from(
                blocking(move || crate::commands::reach::render(&args).map_err(ApiError::from))
                    .await?,
            );
            ReachCache::put(key, b.clone());
            b
        }
    };
    let ctype = match format {
        ReachFormat::Svg => "image/svg+xml",
        ReachFormat::Geojson => "application/geo+json",
        _ => "application/json",
    };
    Ok(([(header::CONTENT_TYPE, ctype)], body).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReconstructBody {
    apogee_km: f64,
    range_km: f64,
    flight_time_s: Option<f64>,
    from: Option<String>,
    bearing: Option<f64>,
    missile: Option<String>,
    payload_kg: Option<f64>,
    toward: Option<[f64; 2]>,
    #[serde(default)]
    samples: usize,
    #[serde(default = "one")]
    seed: u64,
}

fn one() -> u64 {
    1
}

async fn reconstruct(body: Bytes) -> Result<Json<Value>, ApiError> {
    let b: ReconstructBody = parse_json(&body)?;
    if b.samples > 2000 {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
            "samples: at most 2,000 through the API (use the CLI for more)",
        ));
    }
    let bad = |f: &str, m: String| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
            format!("{f}: {m}"),
        )
    };
    let pos = |f: &str, v: f64| crate::args::parse_positive(&v.to_string()).map_err(|m| bad(f, m));
    let args = crate::cli::ReconstructArgs {
        apogee_km: pos("apogee_km", b.apogee_km)?,
        range_km: pos("range_km", b.range_km)?,
        flight_time_s: b
            .flight_time_s
            .map(|t| pos("flight_time_s", t))
            .transpose()?,
        from: b
            .from
            .as_deref()
            .map(|f| crate::args::parse_site(f).map_err(|m| bad("from", m)))
            .transpose()?,
        bearing: b
            .bearing
            .map(|v| crate::args::parse_nonneg(&v.to_string()).map_err(|m| bad("bearing", m)))
            .transpose()?,
        missile: b.missile,
        payload_kg: b.payload_kg.map(|p| pos("payload_kg", p)).transpose()?,
        toward: b
            .toward
            .map(|t| {
                crate::args::parse_latlon(&format!("{},{}", t[0], t[1]))
                    .map_err(|m| bad("toward", m))
            })
            .transpose()?,
        samples: b.samples,
        seed: b.seed,
        j2: false,
        vacuum: false,
        format: crate::cli::Format::Json,
    };
    let doc = blocking(move || crate::commands::reconstruct::build(&args).map_err(ApiError::from))
        .await?;
    Ok(Json(doc))
}

/// A deal in a request: the TOML text itself, or JSON {"deal": "<toml>"}.
fn deal_text(body: &Bytes) -> Result<String, ApiError> {
    let text = std::str::from_utf8(body).map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed_body",
            "the body is not UTF-8",
        )
    })?;
    let t = text.trim_start();
    if t.starts_with('{') {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Wrapped {
            deal: String,
        }
        let w: Wrapped = parse_json(body)?;
        Ok(w.deal)
    } else {
        Ok(text.to_string())
    }
}

async fn assess(body: Bytes) -> Result<Json<Value>, ApiError> {
    let text = deal_text(&body)?;
    let doc = blocking(move || {
        let run = || -> anyhow::Result<Value> {
            let profiles = crate::commands::assess::stakeholders(None)?;
            let a = crate::commands::assess::assess_text("request body", &text, &profiles)?;
            Ok(crate::commands::assess::assessment_json(&a))
        };
        run().map_err(ApiError::from)
    })
    .await?;
    Ok(Json(doc))
}

async fn compare(body: Bytes) -> Result<Json<Value>, ApiError> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Pair {
        a: String,
        b: String,
    }
    let p: Pair = parse_json(&body)?;
    let doc = blocking(move || {
        let run = || -> anyhow::Result<Value> {
            let profiles = crate::commands::assess::stakeholders(None)?;
            let x = crate::commands::assess::assess_text("a", &p.a, &profiles)?;
            let y = crate::commands::assess::assess_text("b", &p.b, &profiles)?;
            Ok(json!({"a": crate::commands::assess::assessment_json(&x), "b": crate::commands::assess::assessment_json(&y)}))
        };
        run().map_err(ApiError::from)
    })
    .await?;
    Ok(Json(doc))
}

async fn clauses(body: Bytes) -> Result<Json<Value>, ApiError> {
    let text = String::from_utf8(body.to_vec()).map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed_body",
            "the text is not UTF-8",
        )
    })?;
    let a = clauses::analyse(&text).map_err(|e| ApiError::from(anyhow::Error::new(e)))?;
    Ok(Json(
        json!({"clauses": a.clauses, "summary": a.summary, "source": "request body"}),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioBody {
    title: String,
    deal: String,
    #[serde(default)]
    settings: Value,
    #[serde(default)]
    assessment: Option<Value>,
}

fn scenario_input(body: &Bytes) -> Result<ScenarioInput, ApiError> {
    let b: ScenarioBody = parse_json(body)?;
    if b.title.chars().count() > 200 {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
            "title: at most 200 characters",
        ));
    }
    Ok(ScenarioInput {
        title: b.title,
        deal_toml: b.deal,
        settings: if b.settings.is_null() {
            json!({})
        } else {
            b.settings
        },
        assessment: b.assessment,
    })
}

async fn create_scenario(
    State(st): State<Arc<AppState>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input = scenario_input(&body)?;
    let s = with_store(st, move |store| store.create(&input)).await?;
    Ok((StatusCode::CREATED, Json(s)).into_response())
}

async fn list_scenarios(State(st): State<Arc<AppState>>) -> Result<Json<Value>, ApiError> {
    let v = with_store(st, move |store| store.list()).await?;
    Ok(Json(json!({"scenarios": v})))
}

fn valid_id(id: &str) -> Result<(), ApiError> {
    if id.len() == 16 && id.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(ApiError::not_found("scenario"))
    }
}

async fn get_scenario(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    valid_id(&id)?;
    let s = with_store(st, move |store| store.get(&id)).await?;
    s.map(|s| Json(json!(s)))
        .ok_or_else(|| ApiError::not_found("scenario"))
}

async fn put_scenario(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    valid_id(&id)?;
    let input = scenario_input(&body)?;
    let s = with_store(st, move |store| store.update(&id, &input)).await?;
    s.map(|s| Json(json!(s)))
        .ok_or_else(|| ApiError::not_found("scenario"))
}

async fn delete_scenario(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    valid_id(&id)?;
    let gone = with_store(st, move |store| store.delete(&id)).await?;
    if gone {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("scenario"))
    }
}

async fn examples() -> Json<Value> {
    let list: Vec<Value> = EXAMPLES
        .iter()
        .map(|(id, toml)| json!({"id": id, "file": format!("examples/deals/{id}.toml"), "toml": toml}))
        .collect();
    Json(json!({ "examples": list }))
}

#[derive(Deserialize)]
struct HealthQuery {
    check: Option<String>,
}

/// Schema version and SQLite's integrity check: the one run when the database
/// was opened (cheap to report), or a fresh one with `?check=full` (it reads
/// the whole database: 1.3 s for 35,000 scenarios, so never by default).
async fn health(
    State(st): State<Arc<AppState>>,
    Query(q): Query<HealthQuery>,
) -> Result<Json<Value>, ApiError> {
    let full = match q.check.as_deref() {
        None => false,
        Some("full") => true,
        Some(other) => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_input",
                format!("check '{other}': the only value is 'full'"),
            ))
        }
    };
    let v = with_store(st, move |store| {
        let (integrity, when) = if full {
            (store.integrity_check()?, "now")
        } else {
            (store.integrity_at_open().to_string(), "when the database was opened")
        };
        Ok(json!({"schema_version": store.version()?, "integrity": integrity, "integrity_checked": when}))
    })
    .await?;
    Ok(Json(v))
}

async fn openapi() -> Json<Value> {
    let err = json!({"description": "error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    Json(json!({
        "openapi": "3.0.3",
        "info": {"title": "allylens", "version": env!("CARGO_PKG_VERSION"), "description": "The JSON API returns the documents of the CLI's --format json."},
        "paths": {
            "/api/reach": {"get": {"summary": "who is within reach (allylens reach)", "parameters": [
                {"name": "missile", "in": "query", "schema": {"type": "string"}, "description": "catalogue ids, comma-separated"},
                {"name": "from", "in": "query", "schema": {"type": "string"}, "description": "facility id or LAT,LON"},
                {"name": "classes", "in": "query", "schema": {"type": "string"}},
                {"name": "minus", "in": "query", "schema": {"type": "string"}},
                {"name": "range_estimate", "in": "query", "schema": {"type": "string", "enum": ["low", "high"]}},
                {"name": "limit", "in": "query", "schema": {"type": "string"}, "description": "cities listed (a number, or 'all'); default 100; totals always count every city"},
                {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "geojson", "svg"]}}],
                "responses": {"200": {"description": "the reach document"}, "400": err, "422": err}}},
            "/api/health": {"get": {"summary": "schema version and SQLite integrity check (at open; ?check=full runs one now)", "parameters": [{"name": "check", "in": "query", "schema": {"type": "string", "enum": ["full"]}}], "responses": {"200": {"description": "{schema_version, integrity, integrity_checked}"}, "400": err}}},
            "/api/examples": {"get": {"summary": "the bundled example deals (examples/deals/*.toml)", "responses": {"200": {"description": "{examples: [{id, file, toml}]}"}}}},
            "/api/reconstruct": {"post": {"summary": "allylens reconstruct", "requestBody": {"content": {"application/json": {"schema": {"type": "object", "required": ["apogee_km", "range_km"]}}}}, "responses": {"200": {"description": "the reconstruction"}, "400": err, "422": err}}},
            "/api/assess": {"post": {"summary": "allylens assess: a deal as TOML text, or JSON {\"deal\": toml}", "responses": {"200": {"description": "the assessment"}, "400": err, "413": err, "422": err}}},
            "/api/compare": {"post": {"summary": "two deals {\"a\": toml, \"b\": toml}", "responses": {"200": {"description": "both assessments"}, "400": err, "422": err}}},
            "/api/clauses": {"post": {"summary": "allylens clauses: the text as the body", "responses": {"200": {"description": "clauses"}, "400": err}}},
            "/api/scenarios": {"post": {"summary": "save a scenario {title, deal, settings?, assessment?}", "responses": {"201": {"description": "saved"}, "400": err}}, "get": {"summary": "list scenarios", "responses": {"200": {"description": "list"}}}},
            "/api/scenarios/{id}": {"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "get": {"responses": {"200": {"description": "scenario"}, "404": err}},
                "put": {"responses": {"200": {"description": "updated"}, "400": err, "404": err}},
                "delete": {"responses": {"204": {"description": "deleted"}, "404": err}}}
        },
        "components": {"schemas": {"Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}}}}
    }))
}

/// Runs the server until interrupted.
pub fn serve(addr: std::net::SocketAddr, db: &std::path::Path) -> anyhow::Result<()> {
    use anyhow::Context;
    let store = Store::open(db).with_context(|| format!("--db {}", db.display()))?;
    let state = Arc::new(AppState {
        store: Mutex::new(store),
    });
    // Load the embedded data and build the threat table for the bundled
    // profiles before accepting requests (~0.3 s), so the first requests are
    // as fast as the rest.
    let profiles = crate::commands::assess::stakeholders(None)?;
    crate::commands::assess::assess_text(
        "examples/deals/icbm-only.toml",
        EXAMPLES[0].1,
        &profiles,
    )?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| crate::usage(format!("--addr {addr}: {e}")))?;
        // The bound address, not the asked one: with port 0 the OS picks it,
        // and scripts (the browser test) read it from this line.
        let bound = listener.local_addr().unwrap_or(addr);
        eprintln!(
            "allylens serve: http://{bound}/ (database {})",
            db.display()
        );
        if !bound.ip().is_loopback() {
            eprintln!(
                "allylens serve: warning: {bound} is not a loopback address; anyone who can reach it \
                 can read, change and delete saved scenarios (the workbench has no authentication)"
            );
        }
        axum::serve(listener, app(state))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    fn state() -> (Arc<AppState>, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!(
            "allylens-router-{}-{}",
            std::process::id(),
            rand::random::<u32>()
        ));
        std::fs::create_dir_all(&dir).expect("dir");
        let store = Store::open(&dir.join("t.db")).expect("store");
        (
            Arc::new(AppState {
                store: Mutex::new(store),
            }),
            dir,
        )
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
        assert_eq!(all["cities_listed"], all["cities_in_reach"]);
        assert_eq!(
            all["cities"].as_array().map(Vec::len),
            all["cities_in_reach"].as_u64().map(|n| n as usize)
        );
        let (s, v, _) = call(
            &app,
            "GET",
            "/api/reach?missile=nodong&limit=lots",
            Body::empty(),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
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
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert_eq!(v["error"]["code"], "invalid_input");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn the_csp_forbids_inline_script() {
        let (st, dir) = state();
        let res = app(st)
            .oneshot(Request::get("/").body(Body::empty()).expect("in the test"))
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
        let deal = include_str!("../../../../examples/deals/icbm-only.toml");
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
        let (s, _, _) = call(&app, "POST", "/api/clauses", big).await;
        assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
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
        let body = json!({"title": "<script>alert(1)</script>", "deal": "[deal]", "settings": {"irbm": true}}).to_string();
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
}
