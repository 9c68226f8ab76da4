//! The request of `flights` (its own file so that the fits and the documents
//! both take it without importing each other).

/// Which tests to list and what to do with them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlightsRequest {
    /// Only tests of this missile id (as in the test database).
    pub missile: Option<String>,
    /// Only tests from this year.
    pub year: Option<u32>,
    /// List only; do not reconstruct.
    pub no_reconstruct: bool,
}
