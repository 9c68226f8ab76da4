//! Progress of long work (Monte Carlo draws, fitting every test), reported to
//! whoever asked: the CLI draws a bar on a terminal, the server and the tests
//! pass [`NoProgress`]. Builders never look at a terminal themselves.

/// Receives progress, and may ask the work to stop; called from worker threads.
pub trait Progress: Sync {
    /// Work of `len` steps begins.
    fn start(&self, _len: u64, _label: &str) {}
    /// `done` steps of it are finished.
    fn set(&self, _done: u64) {}
    /// The work is over.
    fn finish(&self) {}
    /// Whether the asker has given up (the server's request timed out or its
    /// client went away): long work checks this between steps and stops.
    fn cancelled(&self) -> bool {
        false
    }
}

/// Progress that nobody watches, cancelled by a flag another thread sets.
#[derive(Debug, Default)]
pub struct Cancel(pub std::sync::atomic::AtomicBool);

impl Cancel {
    pub fn cancel(&self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

impl Progress for Cancel {
    fn cancelled(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// Progress that nobody watches.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}
