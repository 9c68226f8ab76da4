//! The handlers that compute: each parses its input into a `report`
//! request, calls `report` off the async threads, and wraps the document.
//! The JSON they answer is the CLI's `--format json` for the same request.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use report::reach::{Limit, ReachFormat, ReachRequest};
use report::reconstruct::ReconstructRequest;
use report::request::parse_site;
use report::FieldNames;
use serde::Deserialize;
use serde_json::Value;

use crate::error::ApiError;
use crate::state::{compute, AppState};

/// Cities listed by `/api/reach` unless `limit` says otherwise. Totals always
/// count every city.
pub const REACH_DEFAULT_LIMIT: usize = 100;

/// The most cities one `/api/reach` answer lists (`limit=all` lists this
/// many): a Hwasong-12 from Pyongyang has 16,251 in reach, 4.3 MB of JSON, and
/// sixteen such answers at once held 4.7 GB. The CLI lists every one.
pub const REACH_MAX_LIMIT: usize = 2_000;

/// Monte Carlo draws one API request may ask for (the CLI allows more).
pub const API_MAX_SAMPLES: usize = 2_000;

pub(crate) fn parse_json<T: for<'de> Deserialize<'de>>(body: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "malformed_json",
            format!("request body is not the JSON expected: {e}"),
        )
    })
}

fn to_json<T: serde::Serialize>(doc: &T) -> Result<Json<Value>, ApiError> {
    serde_json::to_value(doc)
        .map(Json)
        .map_err(|_| ApiError::internal())
}

#[derive(Deserialize)]
pub struct ReachQuery {
    missile: Option<String>,
    from: Option<String>,
    classes: Option<String>,
    minus: Option<String>,
    range_estimate: Option<String>,
    limit: Option<String>,
    format: Option<String>,
    basis: Option<String>,
    as_of: Option<String>,
    /// MISSILE=DATE, comma-separated
    test: Option<String>,
    samples: Option<String>,
    seed: Option<String>,
}

/// An arsenal as a query gives it: basis, date (None: not given; Some(None): today), tests.
pub(crate) type ArsenalQuery = (
    report::arsenal::Basis,
    Option<Option<String>>,
    Vec<(String, String)>,
);

/// `basis`, `as_of` and `test` of a query (shared by reach, assess and compare).
pub(crate) fn arsenal_query(
    basis: Option<&str>,
    as_of: Option<&str>,
    test: Option<&str>,
) -> Result<ArsenalQuery, ApiError> {
    let basis = match basis {
        None => report::arsenal::Basis::Catalogue,
        Some(b) => report::arsenal::Basis::parse(b).ok_or_else(|| {
            ApiError::invalid(format!("basis '{b}': use catalogue or demonstrated"))
        })?,
    };
    let as_of = match as_of {
        None => None,
        Some(d) => Some(
            report::arsenal::parse_as_of(d)
                .map_err(|e| ApiError::invalid(format!("as_of: {e}")))?,
        ),
    };
    let tests = test
        .map(|t| {
            t.split(',')
                .filter(|x| !x.trim().is_empty())
                .map(report::arsenal::split_test)
                .collect()
        })
        .unwrap_or_default();
    Ok((basis, as_of, tests))
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

/// The query as a request and a format.
pub fn reach_request(q: &ReachQuery) -> Result<(ReachRequest, ReachFormat), ApiError> {
    let format = match q.format.as_deref().unwrap_or("json") {
        "json" => ReachFormat::Json,
        "geojson" => ReachFormat::Geojson,
        "svg" => ReachFormat::Svg,
        other => {
            return Err(ApiError::invalid(format!(
                "format '{other}': use json, geojson or svg"
            )))
        }
    };
    let from = match q.from.as_deref() {
        Some(f) => Some(parse_site(f).map_err(|e| ApiError::invalid(format!("from: {e}")))?),
        None => None,
    };
    let range_estimate = match q.range_estimate.as_deref() {
        None | Some("high") => deal::arsenal::RangeEstimate::High,
        Some("low") => deal::arsenal::RangeEstimate::Low,
        Some(other) => {
            return Err(ApiError::invalid(format!(
                "range_estimate '{other}': use low or high"
            )))
        }
    };
    let limit = match q.limit.as_deref() {
        None => Limit::Top(REACH_DEFAULT_LIMIT),
        Some("all") => Limit::Top(REACH_MAX_LIMIT),
        Some(n) => {
            let k = n.parse::<usize>().map_err(|_| {
                ApiError::invalid(format!("limit '{n}': a whole number of cities, or 'all'"))
            })?;
            if k == 0 || k > REACH_MAX_LIMIT {
                return Err(ApiError::invalid(format!(
                    "limit {k}: from 1 to {REACH_MAX_LIMIT} cities through the API, or 'all' for {REACH_MAX_LIMIT} (the totals count every city; the CLI lists them all)"
                )));
            }
            Limit::Top(k)
        }
    };
    let (basis, as_of, tests) =
        arsenal_query(q.basis.as_deref(), q.as_of.as_deref(), q.test.as_deref())?;
    let whole = |field: &str, v: &Option<String>, default: u64| -> Result<u64, ApiError> {
        match v.as_deref() {
            None => Ok(default),
            Some(n) => n
                .trim()
                .parse::<u64>()
                .map_err(|_| ApiError::invalid(format!("{field} '{n}': a whole number"))),
        }
    };
    let samples = whole("samples", &q.samples, 0)? as usize;
    if samples > API_MAX_SAMPLES {
        return Err(ApiError::invalid(format!(
            "samples {samples}: at most {API_MAX_SAMPLES} through the API (the CLI takes more)"
        )));
    }
    let seed = whole("seed", &q.seed, 1)?;
    Ok((
        ReachRequest {
            missiles: list(&q.missile),
            classes: list(&q.classes),
            minus: list(&q.minus),
            from,
            range_estimate,
            range_km: None,
            basis,
            as_of: as_of.flatten(),
            tests,
            samples,
            seed,
            limit,
            names: FieldNames::Json,
        },
        format,
    ))
}

pub async fn reach(
    State(st): State<Arc<AppState>>,
    Query(q): Query<ReachQuery>,
) -> Result<Response, ApiError> {
    let (req, format) = reach_request(&q)?;
    let key = format!("{req:?} {format:?}");
    let body = match st.reach_cache.get(&key) {
        Some(b) => b,
        None => {
            let b = Bytes::from(
                compute(&st, move |_| {
                    report::reach::render(&req, format).map_err(ApiError::from)
                })
                .await?,
            );
            st.reach_cache.put(key, b.clone());
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

/// The body of `POST /api/reconstruct`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReconstructBody {
    apogee_km: f64,
    range_km: f64,
    flight_time_s: Option<f64>,
    flight_time_sigma_s: Option<f64>,
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

/// The body as a request.
pub fn reconstruct_request(b: ReconstructBody) -> Result<ReconstructRequest, ApiError> {
    if b.samples > API_MAX_SAMPLES {
        return Err(ApiError::invalid(
            "samples: at most 2,000 through the API (use the CLI for more)",
        ));
    }
    Ok(ReconstructRequest {
        apogee_km: b.apogee_km,
        range_km: b.range_km,
        flight_time_s: b.flight_time_s,
        flight_time_sigma_s: b.flight_time_sigma_s,
        from: b
            .from
            .as_deref()
            .map(|f| parse_site(f).map_err(|m| ApiError::invalid(format!("from: {m}"))))
            .transpose()?,
        bearing_deg: b.bearing,
        missile: b.missile,
        payload_kg: b.payload_kg,
        toward: b.toward.map(|t| (t[0], t[1])),
        samples: b.samples,
        seed: b.seed,
        j2: false,
        vacuum: false,
        names: FieldNames::Json,
    })
}

pub async fn reconstruct(
    State(st): State<Arc<AppState>>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let req = reconstruct_request(parse_json(&body)?)?;
    let doc = compute(&st, move |cancel| {
        report::reconstruct::build(&req, cancel).map_err(ApiError::from)
    })
    .await?;
    to_json(&doc)
}

/// A deal in a request: the TOML text itself, or JSON {"deal": "<toml>"}.
fn deal_text(body: &Bytes) -> Result<String, ApiError> {
    let text = std::str::from_utf8(body).map_err(|_| {
        ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "malformed_body",
            "the body is not UTF-8",
        )
    })?;
    if text.trim_start().starts_with('{') {
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

#[derive(Deserialize)]
pub struct ReportQuery {
    /// `json` (the document, the default), `md` or `text` (the CLI's reports).
    format: Option<String>,
    /// `catalogue` (default) or `demonstrated`.
    basis: Option<String>,
    /// YYYY-MM-DD or `today`; default the deal's own date.
    as_of: Option<String>,
}

fn assess_options(
    basis: Option<&str>,
    as_of: Option<&str>,
) -> Result<report::assess::AssessOptions, ApiError> {
    let (basis, as_of, _) = arsenal_query(basis, as_of, None)?;
    Ok(report::assess::AssessOptions {
        basis,
        as_of: report::assess::AsOf::from_given(as_of),
    })
}

pub async fn assess(
    State(st): State<Arc<AppState>>,
    Query(q): Query<ReportQuery>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let text = deal_text(&body)?;
    let format = q.format.unwrap_or_else(|| "json".into());
    if !["json", "md", "text"].contains(&format.as_str()) {
        return Err(ApiError::invalid(format!(
            "format '{format}': use json, md or text"
        )));
    }
    let opts = assess_options(q.basis.as_deref(), q.as_of.as_deref())?;
    let state = st.clone();
    let doc = compute(&st, move |_| {
        state
            .assessor
            .document_with("request body", &text, &opts)
            .map_err(ApiError::from)
    })
    .await?;
    Ok(match format.as_str() {
        "md" => (
            [(header::CONTENT_TYPE, "text/markdown; charset=utf-8")],
            doc.markdown(),
        )
            .into_response(),
        "text" => (
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            doc.text(),
        )
            .into_response(),
        _ => to_json(&doc)?.into_response(),
    })
}

/// `POST /api/deal/edit`: a form's quick edit of a deal's common fields,
/// written into its TOML (comments and other fields kept).
pub async fn edit_deal(
    State(st): State<Arc<AppState>>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct EditBody {
        deal: String,
        edit: deal::edit::QuickEdit,
    }
    let b: EditBody = parse_json(&body)?;
    let state = st.clone();
    let out = compute(&st, move |_| {
        state
            .assessor
            .edit("request body", &b.deal, &b.edit)
            .map_err(ApiError::from)
    })
    .await?;
    Ok(Json(serde_json::json!({ "deal": out })))
}

pub async fn compare(
    State(st): State<Arc<AppState>>,
    Query(q): Query<ReportQuery>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let opts = assess_options(q.basis.as_deref(), q.as_of.as_deref())?;
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Pair {
        a: String,
        b: String,
    }
    let p: Pair = parse_json(&body)?;
    let state = st.clone();
    let doc = compute(&st, move |_| {
        report::compare::build_with(
            &state.assessor,
            &report::compare::DealText {
                name: "a".into(),
                text: p.a,
            },
            &report::compare::DealText {
                name: "b".into(),
                text: p.b,
            },
            &opts,
        )
        .map_err(ApiError::from)
    })
    .await?;
    to_json(&doc)
}

#[derive(Deserialize)]
pub struct ClausesQuery {
    /// What to call the text in the document (`source`); default "request body".
    name: Option<String>,
}

pub async fn clauses(
    State(st): State<Arc<AppState>>,
    Query(q): Query<ClausesQuery>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let text = String::from_utf8(body.to_vec()).map_err(|_| {
        ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "malformed_body",
            "the text is not UTF-8",
        )
    })?;
    let req = report::clauses::ClausesRequest {
        name: q.name.unwrap_or_else(|| "request body".into()),
        text,
        lexicon: None,
    };
    let a = compute(&st, move |_| {
        report::clauses::build(&req).map_err(ApiError::from)
    })
    .await?;
    to_json(&a.doc)
}
