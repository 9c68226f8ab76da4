//! The API's errors: one JSON shape, one status per kind of error.
//!
//! | kind | status | code |
//! |---|---|---|
//! | a body that cannot be read (not UTF-8, not JSON, wrong JSON shape) | 400 | `malformed_body`, `malformed_json` |
//! | a value that is read but not valid (an unknown missile, a negative apogee, `limit=lots`) | 422 | `invalid_input` |
//! | observables no flight of the assumed rocket reproduces | 422 | `not_reconstructible` |
//! | an unknown path or scenario | 404 | `not_found` |
//! | anything of ours | 500 | `internal` (logged, never shown) |
//!
//! The 422s come from `report::Error`'s kind, the same kind that gives the
//! CLI its exit code, so the two doors agree on whose fault an error is.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::store::StoreError;

/// An error as the API reports it.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn not_found(what: &str) -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
        )
    }

    /// A value that was read but is not valid.
    pub fn invalid(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input", message)
    }

    pub fn internal() -> Self {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error",
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

impl From<report::Error> for ApiError {
    fn from(e: report::Error) -> Self {
        match e.kind {
            report::ErrorKind::Invalid => ApiError::invalid(e.message),
            report::ErrorKind::NotReconstructible => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "not_reconstructible",
                e.message,
            ),
            report::ErrorKind::Internal => {
                eprintln!("allylens serve: internal error: {}", e.message);
                ApiError::internal()
            }
        }
    }
}

/// Database faults told apart: a conflict is the client's (409), a full disk
/// 507, a read-only file, a lock held elsewhere or a damaged file 503, each
/// with its reason; anything else is ours (500, logged).
impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        use crate::store::Fault;
        if let StoreError::Conflict { current } = e {
            return ApiError::new(
                StatusCode::CONFLICT,
                "revision_conflict",
                format!("the scenario has moved on to revision {current}: reload it and apply the change again"),
            );
        }
        eprintln!("allylens serve: database error: {e}");
        if let StoreError::Quota { limit_bytes } = e {
            return ApiError::new(
                StatusCode::INSUFFICIENT_STORAGE,
                "database_quota",
                format!("the database has reached its quota of {limit_bytes} bytes: nothing was saved (serve --db-quota-mb)"),
            );
        }
        match e.fault() {
            Fault::Full => ApiError::new(
                StatusCode::INSUFFICIENT_STORAGE,
                "database_full",
                "the disk holding the database is full: nothing was saved",
            ),
            Fault::ReadOnly => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "database_read_only",
                "the database file or its folder is read-only: nothing was saved",
            ),
            Fault::Busy => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "database_busy",
                "another process holds the database locked: try again",
            ),
            Fault::Corrupt => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "database_damaged",
                "the database file is damaged",
            ),
            Fault::Other => ApiError::internal(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_kinds_map_to_statuses() {
        let s = |e: report::Error| {
            let a = ApiError::from(e);
            (a.status, a.code)
        };
        assert_eq!(
            s(report::Error::invalid("x")),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input")
        );
        assert_eq!(
            s(report::Error::not_reconstructible("x")),
            (StatusCode::UNPROCESSABLE_ENTITY, "not_reconstructible")
        );
        assert_eq!(
            s(report::Error::internal("secret path")),
            (StatusCode::INTERNAL_SERVER_ERROR, "internal")
        );
        assert_eq!(
            ApiError::from(report::Error::internal("secret")).message,
            "internal error"
        );
    }
}
