//! Parsers for command-line values, for clap. The checks themselves are the
//! report layer's (`report::request`), so a value is judged the same way on
//! the command line and in the API; clap adds the flag to the message.

pub use report::request::{parse_latlon, parse_nonneg, parse_positive, parse_site};
pub use report::Site;

/// An arsenal date as given: a day, or `today` (held as None).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AsOf(pub Option<String>);

pub fn parse_as_of(s: &str) -> Result<AsOf, String> {
    report::arsenal::parse_as_of(s).map(AsOf)
}
