//! The allylens library behind the binary: the CLI's commands, the HTTP
//! server and the scenario store. It is a library so that the fuzz targets
//! and the tests can call the same parsers the binary uses (`args`, the API's
//! body types), not copies of them.

pub mod args;
pub mod cli;
pub mod commands;
pub mod fuzzing;
pub mod output;
pub mod server;
pub mod store;

/// Bad input: reported as such, exit code 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for UsageError {}

/// Shorthand for returning a usage error.
pub fn usage(msg: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UsageError(msg.into()))
}
