//! What the server serves from the binary itself: the page, its script and
//! style, the bundled example deals and the OpenAPI document. Nothing is read
//! from disk, so a path has nothing to traverse to.

use axum::body::Bytes;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

const PAGE: &str = include_str!("page.html");
const PAGE_JS: &str = include_str!("page.js");
const PAGE_CSS: &str = include_str!("page.css");
/// Leaflet, vendored unmodified with its licence (`scripts/vendor/leaflet.sh`).
const LEAFLET_JS: &str = include_str!("../vendor/leaflet/leaflet.js");
const LEAFLET_CSS: &str = include_str!("../vendor/leaflet/leaflet.css");

/// The bundled example deals, served to the page so that it never carries a
/// second copy of them.
pub const EXAMPLES: [(&str, &str); 9] = [
    (
        "icbm-only",
        include_str!("../../../examples/deals/icbm-only.toml"),
    ),
    (
        "comprehensive",
        include_str!("../../../examples/deals/comprehensive.toml"),
    ),
    (
        "singapore-2018",
        include_str!("../../../examples/deals/singapore-2018.toml"),
    ),
    (
        "panmunjom-2018",
        include_str!("../../../examples/deals/panmunjom-2018.toml"),
    ),
    (
        "pyongyang-2018",
        include_str!("../../../examples/deals/pyongyang-2018.toml"),
    ),
    (
        "six-party-2005",
        include_str!("../../../examples/deals/six-party-2005.toml"),
    ),
    (
        "agreed-framework-1994",
        include_str!("../../../examples/deals/agreed-framework-1994.toml"),
    ),
    (
        "japan-dprk-pyongyang-2002",
        include_str!("../../../examples/deals/japan-dprk-pyongyang-2002.toml"),
    ),
    (
        "after-first-icbm-2017",
        include_str!("../../../examples/deals/after-first-icbm-2017.toml"),
    ),
];
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

pub async fn page() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], PAGE)
}

pub async fn page_js() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        PAGE_JS,
    )
}

pub async fn page_css() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        PAGE_CSS,
    )
}

pub async fn leaflet_js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=86400"),
        ],
        LEAFLET_JS,
    )
}

pub async fn leaflet_css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=86400"),
        ],
        LEAFLET_CSS,
    )
}

/// The bundled country outlines (Natural Earth 1:50m, public domain) as a
/// GeoJSON FeatureCollection: the interactive map's base layer, so it needs
/// no tile server. Built once.
pub async fn outlines() -> Result<Response, crate::error::ApiError> {
    static BODY: std::sync::OnceLock<Result<Bytes, String>> = std::sync::OnceLock::new();
    let body = BODY
        .get_or_init(|| {
            report::reach::outlines_geojson()
                .and_then(|v| {
                    serde_json::to_vec(&v).map_err(|e| report::Error::internal(e.to_string()))
                })
                .map(Bytes::from)
                .map_err(|e| e.message)
        })
        .clone()
        .map_err(report::Error::internal)
        .map_err(crate::error::ApiError::from)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/geo+json"),
            (header::CACHE_CONTROL, "max-age=86400"),
        ],
        body,
    )
        .into_response())
}

pub async fn examples() -> Json<Value> {
    let list: Vec<Value> = EXAMPLES
        .iter()
        .map(|(id, toml)| json!({"id": id, "file": format!("examples/deals/{id}.toml"), "toml": toml}))
        .collect();
    Json(json!({ "examples": list }))
}

pub async fn openapi() -> Json<Value> {
    let err = json!({"description": "error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    Json(json!({
        "openapi": "3.0.3",
        "info": {"title": "allylens", "version": env!("CARGO_PKG_VERSION"), "description": "The JSON API returns the documents of the CLI's --format json."},
        "paths": {
            "/api/reach": {"get": {"summary": "who is within reach (allylens reach); a value that is not valid (an unknown missile, limit=lots) is 422", "parameters": [
                {"name": "missile", "in": "query", "schema": {"type": "string"}, "description": "catalogue ids, comma-separated"},
                {"name": "from", "in": "query", "schema": {"type": "string"}, "description": "facility id or LAT,LON"},
                {"name": "classes", "in": "query", "schema": {"type": "string"}},
                {"name": "minus", "in": "query", "schema": {"type": "string"}},
                {"name": "range_estimate", "in": "query", "schema": {"type": "string", "enum": ["low", "high"]}},
                {"name": "limit", "in": "query", "schema": {"type": "string"}, "description": "cities listed (a number, or 'all'); default 100; totals always count every city"},
                {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "geojson", "svg"]}},
                {"name": "basis", "in": "query", "schema": {"type": "string", "enum": ["catalogue", "demonstrated"]}, "description": "where ranges come from (default catalogue)"},
                {"name": "as_of", "in": "query", "schema": {"type": "string"}, "description": "YYYY-MM-DD or 'today': only missiles flown successfully by then"},
                {"name": "test", "in": "query", "schema": {"type": "string"}, "description": "MISSILE=DATE, comma-separated: the test a demonstrated range comes from"},
                {"name": "samples", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 2000}, "description": "Monte Carlo draws per demonstrated missile: p_in_reach per place, P5/P50/P95 population per country"},
                {"name": "seed", "in": "query", "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "the reach document"}, "422": err}}},
            "/api/health": {"get": {"summary": "schema version and SQLite integrity check (at open; ?check=full runs one now)", "parameters": [{"name": "check", "in": "query", "schema": {"type": "string", "enum": ["full"]}}], "responses": {"200": {"description": "{schema_version, integrity, integrity_checked}"}, "400": err}}},
            "/api/examples": {"get": {"summary": "the bundled example deals (examples/deals/*.toml)", "responses": {"200": {"description": "{examples: [{id, file, toml}]}"}}}},
            "/api/reconstruct": {"post": {"summary": "allylens reconstruct", "requestBody": {"content": {"application/json": {"schema": {"type": "object", "required": ["apogee_km", "range_km"]}}}}, "responses": {"200": {"description": "the reconstruction"}, "400": err, "422": err}}},
            "/api/assess": {"post": {"summary": "allylens assess: a deal as TOML text, or JSON {\"deal\": toml}", "parameters": [{"name": "basis", "in": "query", "schema": {"type": "string", "enum": ["catalogue", "demonstrated"]}}, {"name": "as_of", "in": "query", "schema": {"type": "string"}, "description": "YYYY-MM-DD or 'today'; default the deal's own date"}], "responses": {"200": {"description": "the assessment"}, "400": err, "413": err, "422": err}}},
            "/api/deal/edit": {"post": {"summary": "the workbench form's quick edit: {\"deal\": toml, \"edit\": {dismantle: [classes], verification, sequencing, reversible, abductees_written}} answers {deal: toml} with those fields written and the rest of the text kept", "responses": {"200": {"description": "the edited deal"}, "400": err, "422": err}}},
            "/api/compare": {"post": {"summary": "two deals {\"a\": toml, \"b\": toml}", "parameters": [{"name": "basis", "in": "query", "schema": {"type": "string", "enum": ["catalogue", "demonstrated"]}}, {"name": "as_of", "in": "query", "schema": {"type": "string"}, "description": "YYYY-MM-DD or 'today'; default the deal's own date"}], "responses": {"200": {"description": "the comparison: per stakeholder, the verdict, the checks that change and the residual exposure before and after (the document of `allylens compare --format json`)"}, "400": err, "422": err}}},
            "/api/clauses": {"post": {"summary": "allylens clauses: the text as the body", "parameters": [{"name": "name", "in": "query", "schema": {"type": "string"}, "description": "what the document calls the text (its source); default 'request body'"}], "responses": {"200": {"description": "clauses"}, "400": err}}},
            "/api/scenarios": {"post": {"summary": "save a scenario {title, deal, settings?, assessment?}", "responses": {"201": {"description": "saved"}, "400": err}}, "get": {"summary": "list scenarios", "responses": {"200": {"description": "list"}}}},
            "/api/scenarios/{id}/revisions/{rev}": {"get": {"summary": "one saved revision of a scenario (title, deal, settings; the page's permalink /s/{id}/{rev} shows it)", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "rev", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}}, {"name": "key", "in": "query", "schema": {"type": "string"}}], "responses": {"200": {"description": "the scenario as saved at that revision"}, "404": err, "422": err}}},
            "/api/scenarios/{id}": {"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "get": {"responses": {"200": {"description": "scenario"}, "404": err}},
                "put": {"responses": {"200": {"description": "updated"}, "400": err, "404": err}},
                "delete": {"responses": {"204": {"description": "deleted"}, "404": err}}}
        },
        "components": {"schemas": {"Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}}}}
    }))
}
