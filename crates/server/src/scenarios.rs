//! Saved scenarios (`/api/scenarios`) and the database's health.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Extension, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::compute::parse_json;
use crate::error::ApiError;
use crate::state::{with_reader, with_store, AppState};
use crate::store::{Actor, Scenario, ScenarioInput};

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
    match &st.damaged {
        None => Ok(()),
        Some(check) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "database_damaged",
            format!(
                "the database failed its integrity check when it was opened ({check}): reads only, writes refused until it is repaired"
            ),
        )),
    }
}

/// Who is asking, as the auth layer found it: `Some(Local)` without
/// `--auth`, `Some(User)` with a valid token, `None` with no token (only a
/// share link may be read then).
#[derive(Debug, Clone)]
pub struct Access(pub Option<Actor>);

fn unauthorized() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "this workbench needs a token: Authorization: Bearer <token> (allylens users add NAME)",
    )
}

fn actor(access: &Access) -> Result<Actor, ApiError> {
    access.0.clone().ok_or_else(unauthorized)
}

/// Whether an actor owns a scenario (the local user owns every one).
fn owns(actor: &Actor, s: &Scenario) -> bool {
    match actor {
        Actor::Local => true,
        Actor::User(u) => s.owner.as_deref() == Some(u.as_str()),
    }
}

pub async fn create_scenario(
    State(st): State<Arc<AppState>>,
    Extension(access): Extension<Access>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let who = actor(&access)?;
    let input = scenario_input(&body)?;
    writable(&st)?;
    let s = with_store(st, move |store| store.create_as(&input, &who)).await?;
    Ok((StatusCode::CREATED, Json(s)).into_response())
}

pub async fn list_scenarios(
    State(st): State<Arc<AppState>>,
    Extension(access): Extension<Access>,
) -> Result<Json<Value>, ApiError> {
    let who = actor(&access)?;
    let v = with_reader(st, move |store| store.list_for(&who)).await?;
    Ok(Json(json!({"scenarios": v})))
}

fn valid_id(id: &str) -> Result<(), ApiError> {
    if id.len() == 16 && id.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(ApiError::not_found("scenario"))
    }
}

#[derive(Deserialize)]
pub struct ShareQuery {
    /// The share key of a read-only link.
    key: Option<String>,
}

/// A scenario: its owner reads it whole; anyone with its share key reads it
/// without the key; anyone else gets a 404 (its existence is not told).
pub async fn get_scenario(
    State(st): State<Arc<AppState>>,
    Extension(access): Extension<Access>,
    Path(id): Path<String>,
    Query(q): Query<ShareQuery>,
) -> Result<Json<Value>, ApiError> {
    valid_id(&id)?;
    let s = with_reader(st, move |store| store.get(&id))
        .await?
        .ok_or_else(|| ApiError::not_found("scenario"))?;
    readable(s, &access, &q)
}

/// One saved revision of a scenario (`/s/{id}/{rev}` shows it), under the
/// same rule as the scenario itself.
pub async fn get_revision(
    State(st): State<Arc<AppState>>,
    Extension(access): Extension<Access>,
    Path((id, rev)): Path<(String, String)>,
    Query(q): Query<ShareQuery>,
) -> Result<Json<Value>, ApiError> {
    valid_id(&id)?;
    let rev: i64 = rev
        .parse()
        .ok()
        .filter(|r| *r >= 1)
        .ok_or_else(|| ApiError::invalid(format!("revision '{rev}': a whole number from 1")))?;
    let s = with_reader(st, move |store| store.get_revision(&id, rev))
        .await?
        .ok_or_else(|| ApiError::not_found("scenario revision"))?;
    readable(s, &access, &q)
}

fn readable(s: Scenario, access: &Access, q: &ShareQuery) -> Result<Json<Value>, ApiError> {
    if access.0.as_ref().is_some_and(|a| owns(a, &s)) {
        return Ok(Json(json!(s)));
    }
    let shared = matches!((&q.key, &s.share_key), (Some(k), Some(sk)) if !k.is_empty() && k == sk);
    if shared {
        let mut s = s;
        s.share_key = None;
        return Ok(Json(json!(s)));
    }
    if access.0.is_none() {
        return Err(unauthorized());
    }
    Err(ApiError::not_found("scenario"))
}

/// Changing or deleting a scenario is its owner's alone.
async fn owned(st: &Arc<AppState>, who: &Actor, id: &str) -> Result<(), ApiError> {
    let id = id.to_string();
    let s = with_reader(st.clone(), move |store| store.get(&id))
        .await?
        .ok_or_else(|| ApiError::not_found("scenario"))?;
    if owns(who, &s) {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "not_owner",
            "only the scenario's owner may change or delete it (a share link reads it)",
        ))
    }
}

pub async fn put_scenario(
    State(st): State<Arc<AppState>>,
    Extension(access): Extension<Access>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let who = actor(&access)?;
    valid_id(&id)?;
    let (input, revision) = scenario_body(&body)?;
    writable(&st)?;
    owned(&st, &who, &id).await?;
    let s = with_store(st, move |store| {
        store.update_as(&id, &input, revision, &who)
    })
    .await?;
    s.map(|s| Json(json!(s)))
        .ok_or_else(|| ApiError::not_found("scenario"))
}

pub async fn delete_scenario(
    State(st): State<Arc<AppState>>,
    Extension(access): Extension<Access>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let who = actor(&access)?;
    valid_id(&id)?;
    writable(&st)?;
    owned(&st, &who, &id).await?;
    let gone = with_store(st, move |store| store.delete_as(&id, &who)).await?;
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
    let v = with_reader(st, move |store| {
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
