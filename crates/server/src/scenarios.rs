//! Saved scenarios (`/api/scenarios`) and the database's health.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::compute::parse_json;
use crate::error::ApiError;
use crate::state::{with_reader, with_store, AppState};
use crate::store::ScenarioInput;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioBody {
    title: String,
    deal: String,
    #[serde(default)]
    settings: Value,
    #[serde(default)]
    assessment: Option<Value>,
    /// On PUT: the revision the client edited; the update is refused (409)
    /// if the scenario has moved on since.
    #[serde(default)]
    revision: Option<i64>,
}

fn scenario_input(body: &Bytes) -> Result<ScenarioInput, ApiError> {
    Ok(scenario_body(body)?.0)
}

fn scenario_body(body: &Bytes) -> Result<(ScenarioInput, Option<i64>), ApiError> {
    let b: ScenarioBody = parse_json(body)?;
    let revision = b.revision;
    if b.title.chars().count() > 200 {
        return Err(ApiError::invalid("title: at most 200 characters"));
    }
    Ok((
        ScenarioInput {
            title: b.title,
            deal_toml: b.deal,
            settings: if b.settings.is_null() {
                json!({})
            } else {
                b.settings
            },
            assessment: b.assessment,
        },
        revision,
    ))
}

/// Writes are refused while the database failed its integrity check when it
/// was opened: a damaged file is read from, never written to, until repaired.
fn writable(st: &AppState) -> Result<(), ApiError> {
    let check = st
        .store
        .lock()
        .map(|s| s.integrity_at_open().to_string())
        .map_err(|_| ApiError::internal())?;
    if check == "ok" {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "database_damaged",
            format!(
                "the database failed its integrity check when it was opened ({}): reads only, writes refused until it is repaired",
                crate::store::integrity_summary(&check)
            ),
        ))
    }
}

pub async fn create_scenario(
    State(st): State<Arc<AppState>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input = scenario_input(&body)?;
    writable(&st)?;
    let s = with_store(st, move |store| store.create(&input)).await?;
    Ok((StatusCode::CREATED, Json(s)).into_response())
}

pub async fn list_scenarios(State(st): State<Arc<AppState>>) -> Result<Json<Value>, ApiError> {
    let v = with_reader(st, move |store| store.list()).await?;
    Ok(Json(json!({"scenarios": v})))
}

fn valid_id(id: &str) -> Result<(), ApiError> {
    if id.len() == 16 && id.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(ApiError::not_found("scenario"))
    }
}

pub async fn get_scenario(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    valid_id(&id)?;
    let s = with_reader(st, move |store| store.get(&id)).await?;
    s.map(|s| Json(json!(s)))
        .ok_or_else(|| ApiError::not_found("scenario"))
}

pub async fn put_scenario(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    valid_id(&id)?;
    let (input, revision) = scenario_body(&body)?;
    writable(&st)?;
    let s = with_store(st, move |store| store.update(&id, &input, revision)).await?;
    s.map(|s| Json(json!(s)))
        .ok_or_else(|| ApiError::not_found("scenario"))
}

pub async fn delete_scenario(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    valid_id(&id)?;
    writable(&st)?;
    let gone = with_store(st, move |store| store.delete(&id)).await?;
    if gone {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("scenario"))
    }
}

#[derive(Deserialize)]
pub struct HealthQuery {
    check: Option<String>,
}

/// Schema version and SQLite's integrity check: the one run when the database
/// was opened (cheap to report), or a fresh one with `?check=full` (it reads
/// the whole database: 1.3 s for 35,000 scenarios, so never by default).
pub async fn health(
    State(st): State<Arc<AppState>>,
    Query(q): Query<HealthQuery>,
) -> Result<Json<Value>, ApiError> {
    let full = match q.check.as_deref() {
        None => false,
        Some("full") => true,
        Some(other) => {
            return Err(ApiError::invalid(format!(
                "check '{other}': the only value is 'full'"
            )))
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
