//! Progress of long work (Monte Carlo draws, fitting every test), reported to
//! whoever asked: the CLI draws a bar on a terminal, the server and the tests
//! pass [`NoProgress`]. Builders never look at a terminal themselves.

/// Receives progress; called from worker threads.
pub trait Progress: Sync {
    /// Work of `len` steps begins.
    fn start(&self, _len: u64, _label: &str) {}
    /// `done` steps of it are finished.
    fn set(&self, _done: u64) {}
    /// The work is over.
    fn finish(&self) {}
}

/// Progress that nobody watches.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}
