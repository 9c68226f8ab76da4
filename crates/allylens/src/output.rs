//! The terminal edge: writing to stdout (a closed pipe ends quietly) and a
//! progress bar on stderr when it is a terminal.

use std::io::{IsTerminal, Write};
use std::sync::OnceLock;

use indicatif::{ProgressBar, ProgressStyle};

/// Writes a string to stdout, treating a closed pipe as success.
pub fn emit(s: &str) -> Result<(), report::Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(report::Error::internal(format!("standard output: {e}"))),
        Ok(()) => Ok(()),
    }
}

/// Pretty JSON of a document plus a newline.
pub fn emit_json<T: serde::Serialize>(doc: &T) -> Result<(), report::Error> {
    emit(&report::pretty(doc)?)
}

/// A progress bar on stderr when it is a terminal; nothing otherwise (CI, pipes).
#[derive(Default)]
pub struct TerminalProgress {
    bar: OnceLock<Option<ProgressBar>>,
}

impl report::Progress for TerminalProgress {
    fn start(&self, len: u64, label: &str) {
        self.bar.get_or_init(|| {
            if !std::io::stderr().is_terminal() || len < 2 {
                return None;
            }
            let bar = ProgressBar::new(len);
            let style =
                ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} ({eta} left)")
                    .map(|s| s.progress_chars("=> "))
                    .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.set_message(label.to_string());
            Some(bar)
        });
    }

    fn set(&self, done: u64) {
        if let Some(Some(b)) = self.bar.get() {
            b.set_position(done);
        }
    }

    fn finish(&self) {
        if let Some(Some(b)) = self.bar.get() {
            b.finish_and_clear();
        }
    }
}
