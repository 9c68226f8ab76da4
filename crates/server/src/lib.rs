//! # server
//!
//! The workbench: a JSON API and a web page over the `report` layer, with
//! scenarios saved in SQLite.
//!
//! Handlers only parse, convert and wrap: each turns its query or body into a
//! `report` request, calls `report` off the async threads, and answers the
//! document (the CLI's `--format json` for the same request). Errors have one
//! JSON shape and one status per kind (see [`error`]).
//!
//! Hardening built in: loopback by default, a 1 MiB request body limit (413),
//! a 30 s request timeout (408), a Content-Security-Policy and `nosniff` on
//! every response, and no file system access for static assets (the page is
//! embedded; any other path is a JSON 404, so traversal has nothing to reach).
//!
//! What this crate must never do: build a document or hold a domain rule
//! (that is `report` and the crates below it).

mod assets;
mod cache;
pub mod compute;
pub mod error;
pub mod guard;
mod scenarios;
mod state;
pub mod store;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, StatusCode};
use axum::routing::{get, post};
use axum::Router;

pub use assets::EXAMPLES;
pub use error::ApiError;
pub use state::AppState;
use store::Store;

/// The largest request body accepted.
pub const BODY_LIMIT: usize = 1 << 20;

/// The router, without a socket (tests drive it with `oneshot`).
pub fn app(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(assets::page))
        // permalinks: the same page, which loads the scenario the path names
        .route("/s/{id}", get(assets::page))
        .route("/s/{id}/{rev}", get(assets::page))
        .route("/app.js", get(assets::page_js))
        .route("/app.css", get(assets::page_css))
        .route("/vendor/leaflet.js", get(assets::leaflet_js))
        .route("/vendor/leaflet.css", get(assets::leaflet_css))
        .route("/api/outlines", get(assets::outlines))
        .route("/api/openapi.json", get(assets::openapi))
        .route("/api/health", get(scenarios::health))
        .route("/api/examples", get(assets::examples))
        .route("/api/reach", get(compute::reach))
        .route("/api/reconstruct", post(compute::reconstruct))
        .route("/api/assess", post(compute::assess))
        .route("/api/compare", post(compute::compare))
        .route("/api/deal/edit", post(compute::edit_deal))
        .route("/api/clauses", post(compute::clauses))
        .route(
            "/api/scenarios",
            post(scenarios::create_scenario).get(scenarios::list_scenarios),
        )
        .route(
            "/api/scenarios/{id}/revisions/{rev}",
            get(scenarios::get_revision),
        )
        .route(
            "/api/scenarios/{id}",
            get(scenarios::get_scenario)
                .put(scenarios::put_scenario)
                .delete(scenarios::delete_scenario),
        )
        .fallback(|| async { ApiError::not_found("path") })
        .layer(axum::middleware::from_fn_with_state(state.clone(), guarded))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::map_response(json_errors))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            std::time::Duration::from_secs(30),
        ))
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(assets::CSP),
        ))
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .with_state(state)
}

/// Errors that axum and tower answer themselves (413 from the body limit,
/// 405 for a method a route does not take, 408 from the timeout) get the same
/// JSON shape as the API's own.
async fn json_errors(res: axum::response::Response) -> axum::response::Response {
    use axum::response::IntoResponse;
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"));
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let (code, message) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => {
            ("too_large", format!("the body is over {BODY_LIMIT} bytes"))
        }
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "this path does not take that method".to_string(),
        ),
        StatusCode::REQUEST_TIMEOUT => (
            "timeout",
            "the request took over 30 s and was stopped".to_string(),
        ),
        s => ("error", s.canonical_reason().unwrap_or("error").to_string()),
    };
    ApiError::new(status, code, message).into_response()
}

/// The guard as a middleware: every request passes `AppState::guard` first.
async fn guarded(
    axum::extract::State(st): axum::extract::State<Arc<AppState>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if let Err(e) = st.guard.check(req.method(), req.headers()) {
        return e.into_response();
    }
    let mut req = req;
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string());
    let path = req.uri().path().to_string();
    let get = req.method() == axum::http::Method::GET;
    match access(&st, token, &path, get).await {
        Ok(a) => {
            req.extensions_mut().insert(a);
            next.run(req).await
        }
        Err(e) => e.into_response(),
    }
}

/// Who asks: the local user without `--auth`; with it, the user whose token
/// the `Authorization: Bearer` header carries (a wrong token is a 401; no
/// token passes only to read a scenario by its share link, and to the page,
/// its assets, health and the OpenAPI document).
async fn access(
    st: &Arc<AppState>,
    token: Option<String>,
    path: &str,
    get: bool,
) -> Result<scenarios::Access, ApiError> {
    use store::Actor;
    if !st.auth {
        return Ok(scenarios::Access(Some(Actor::Local)));
    }
    let open = !path.starts_with("/api/")
        || path == "/api/health"
        || path == "/api/openapi.json"
        || (get && path.starts_with("/api/scenarios/"));
    let Some(token) = token else {
        return if open {
            Ok(scenarios::Access(None))
        } else {
            Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "this workbench needs a token: Authorization: Bearer <token> (allylens users add NAME)",
            ))
        };
    };
    let st = st.clone();
    let user = state::with_reader(st, move |s| s.user_for_token(&token)).await?;
    match user {
        Some(u) => Ok(scenarios::Access(Some(Actor::User(u)))),
        None => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "the token is not one of this workbench's users",
        )),
    }
}

/// Runs the server until interrupted. A database that cannot be opened or an
/// address that cannot be bound is the user's to fix (`ErrorKind::Invalid`).
pub fn serve(
    addr: std::net::SocketAddr,
    db: &std::path::Path,
    allow_hosts: &[String],
    quota_bytes: u64,
    auth: bool,
) -> Result<(), report::Error> {
    let mut store = Store::open(db)
        .map_err(|e| report::Error::invalid(format!("--db {}: {e}", db.display())))?;
    store.quota_bytes = quota_bytes;
    let integrity = store.integrity_at_open().to_string();
    if integrity != "ok" {
        eprintln!(
            "allylens serve: warning: database {} failed its integrity check ({}); serving reads only, writes are refused until it is repaired",
            db.display(),
            store::integrity_summary(&integrity)
        );
    }
    if auth && store.users().map(|u| u.is_empty()).unwrap_or(true) {
        return Err(report::Error::invalid(format!(
            "--auth: the database {} has no users yet (allylens users add NAME --db {})",
            db.display(),
            db.display()
        )));
    }
    let mut state = AppState::new(store)?;
    state.auth = auth;
    // Load the embedded data and build the threat table for the bundled
    // profiles before accepting requests (~0.3 s), so the first requests are
    // as fast as the rest.
    state.assessor.threat_table()?;
    let allow_hosts = allow_hosts.to_vec();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| report::Error::internal(format!("runtime: {e}")))?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| report::Error::invalid(format!("--addr {addr}: {e}")))?;
        // The bound address, not the asked one: with port 0 the OS picks it,
        // and scripts (the browser test) read it from this line.
        let bound = listener.local_addr().unwrap_or(addr);
        state.guard = guard::Guard::loopback(Some(bound), &allow_hosts);
        let state = Arc::new(state);
        eprintln!(
            "allylens serve: http://{bound}/ (database {})",
            db.display()
        );
        if !bound.ip().is_loopback() && !auth {
            eprintln!(
                "allylens serve: warning: {bound} is not a loopback address; anyone who can reach it \
                 can read, change and delete saved scenarios (the workbench has no authentication)"
            );
        }
        run_server(listener, app(state)).await
    })
}

/// Most connections held at once; further ones are closed on accept, so a
/// flood of idle sockets cannot take every file descriptor.
pub const MAX_CONNECTIONS: usize = 256;
/// A client must send a request's headers within this time.
pub const HEADER_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// A connection is closed after this long, idle or not (a kept-alive socket
/// cannot be held for ever).
pub const CONNECTION_LIFETIME: std::time::Duration = std::time::Duration::from_secs(300);

/// Accepts connections until Ctrl-C or SIGTERM, then lets the requests in
/// flight finish: at most [`MAX_CONNECTIONS`] at once, each with a header
/// read timeout and a lifetime.
async fn run_server(listener: tokio::net::TcpListener, app: Router) -> Result<(), report::Error> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;
    let slots = Arc::new(tokio::sync::Semaphore::new(max_connections()));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(c) => c,
                // out of descriptors or a transient error: back off briefly
                Err(_) => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(HEADER_READ_TIMEOUT);
        let conn =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = tokio::time::timeout(CONNECTION_LIFETIME, conn).await;
            drop(slot);
        });
    }
    // in-flight requests finish (a minute at most)
    let _ = tokio::time::timeout(std::time::Duration::from_secs(60), graceful.shutdown()).await;
    Ok(())
}

/// [`MAX_CONNECTIONS`], or fewer when the process may open fewer files: 32
/// descriptors are kept for the database, the listener and the runtime.
fn max_connections() -> usize {
    let soft = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("Max open files"))
                .and_then(|l| l.split_whitespace().nth(3).map(str::to_string))
        })
        .and_then(|v| v.parse::<usize>().ok());
    match soft {
        Some(n) => MAX_CONNECTIONS.min(n.saturating_sub(32)).max(4),
        None => MAX_CONNECTIONS,
    }
}

/// Ctrl-C, or SIGTERM (a service manager's stop).
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let term = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
