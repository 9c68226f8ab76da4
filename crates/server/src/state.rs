//! What the server holds for its lifetime: the scenario store, the assessor
//! (profiles and the threat table, built once before serving) and the cache
//! of reach answers.

use std::sync::{Arc, Mutex};

use report::assess::Assessor;

use crate::cache::ReachCache;
use crate::error::ApiError;
use crate::store::{Store, StoreError};

pub struct AppState {
    /// The connection that writes.
    pub store: Mutex<Store>,
    /// A read-only connection: listing and reading never queue behind a save.
    pub reader: Mutex<Store>,
    pub assessor: Assessor,
    pub reach_cache: ReachCache,
    /// Who may talk to the server (Host, Origin, intent).
    pub guard: crate::guard::Guard,
    /// Computations running at once (one per core): the rest wait, and one
    /// whose request times out while waiting never starts.
    pub compute: tokio::sync::Semaphore,
    /// `serve --auth`: every API call but health and the OpenAPI document
    /// needs a user's token (a share link reads its one scenario without).
    pub auth: bool,
    /// The integrity check when the database was opened, summarised when it
    /// failed: writes are then refused (decided once, at open).
    pub damaged: Option<String>,
}

impl AppState {
    /// State over a store, with the bundled profiles.
    pub fn new(store: Store) -> Result<AppState, report::Error> {
        let damaged = (store.integrity_at_open() != "ok")
            .then(|| crate::store::integrity_summary(store.integrity_at_open()));
        let reader = store
            .reader()
            .map_err(|e| report::Error::invalid(format!("database: {e}")))?;
        Ok(AppState {
            reader: Mutex::new(reader),
            store: Mutex::new(store),
            assessor: Assessor::bundled()?,
            reach_cache: ReachCache::default(),
            guard: crate::guard::Guard::default(),
            compute: tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            ),
            auth: false,
            damaged,
        })
    }
}

/// Runs `f` off the async threads; a panic in it is an internal error.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| ApiError::internal())?
}

/// Sets its flag when dropped: the handler's future is dropped when its
/// request times out or its client goes away, and the computation then sees
/// `cancelled()` at its next step.
struct CancelOnDrop(Arc<report::Cancel>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// Runs a computation off the async threads, at most one per core at once,
/// cancelled when the request is.
pub async fn compute<T: Send + 'static>(
    st: &Arc<AppState>,
    f: impl FnOnce(&report::Cancel) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let _permit = st
        .compute
        .acquire()
        .await
        .map_err(|_| ApiError::internal())?;
    let cancel = Arc::new(report::Cancel::default());
    let _on_drop = CancelOnDrop(cancel.clone());
    tokio::task::spawn_blocking(move || f(&cancel))
        .await
        .map_err(|_| ApiError::internal())?
}

/// Runs `f` on the read-only connection off the async threads.
pub async fn with_reader<T: Send + 'static>(
    st: Arc<AppState>,
    f: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    blocking(move || {
        let reader = st.reader.lock().map_err(|_| ApiError::internal())?;
        Ok(f(&reader)?)
    })
    .await
}

/// Runs `f` on the store off the async threads; a poisoned lock or a
/// database error is an internal error (logged, never shown).
pub async fn with_store<T: Send + 'static>(
    st: Arc<AppState>,
    f: impl FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    blocking(move || {
        let mut store = st.store.lock().map_err(|_| ApiError::internal())?;
        Ok(f(&mut store)?)
    })
    .await
}
