//! The one error of the report layer. Its kind decides the CLI's exit code
//! and the API's status, so the two can never disagree about whose fault an
//! error is.

/// Whose problem an error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request is wrong: a value, a name, a file. CLI exit 2; HTTP 422 `invalid_input`.
    Invalid,
    /// The request is well formed but no flight of the assumed rocket
    /// reproduces it. CLI exit 1; HTTP 422 `not_reconstructible`.
    NotReconstructible,
    /// A defect of ours (bundled data that does not parse). CLI exit 1; HTTP
    /// 500, the message logged and not shown.
    Internal,
}

/// An error with its kind and a one-line message for the user.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
}

impl Error {
    pub fn invalid(message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Invalid,
            message: message.into(),
        }
    }
    pub fn not_reconstructible(message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::NotReconstructible,
            message: message.into(),
        }
    }
    pub fn internal(message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Internal,
            message: message.into(),
        }
    }
    /// The CLI's exit code: 2 for bad input, 1 for a computation that failed.
    pub fn exit_code(&self) -> u8 {
        match self.kind {
            ErrorKind::Invalid => 2,
            ErrorKind::NotReconstructible | ErrorKind::Internal => 1,
        }
    }
}

impl From<catalog::CatalogError> for Error {
    fn from(e: catalog::CatalogError) -> Error {
        Error::internal(e.to_string())
    }
}

impl From<reach::ReachError> for Error {
    fn from(e: reach::ReachError) -> Error {
        Error::internal(e.to_string())
    }
}

/// A deal or profile that cannot be used is the user's to fix.
impl From<deal::DealError> for Error {
    fn from(e: deal::DealError) -> Error {
        Error::invalid(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_map_to_exit_codes() {
        assert_eq!(Error::invalid("x").exit_code(), 2);
        assert_eq!(Error::not_reconstructible("x").exit_code(), 1);
        assert_eq!(Error::internal("x").exit_code(), 1);
        assert_eq!(Error::invalid("one line").to_string(), "one line");
    }
}
