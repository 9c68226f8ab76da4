//! The command line: clap types, and their conversion into the report
//! layer's requests (`request()` on each argument struct). Nothing here
//! computes or renders: `run.rs` dispatches, `report` builds.

use clap::{Args, Parser, Subcommand, ValueEnum};
use report::reach::{Limit, ReachRequest};
use report::reconstruct::ReconstructRequest;
use report::FieldNames;

use crate::args::{parse_as_of, parse_latlon, parse_nonneg, parse_positive, parse_site, AsOf};

/// allylens: how a summit deal with North Korea looks from each ally.
///
/// The chain runs from a missile test to a verdict: `reconstruct` turns the
/// observables of a lofted test into the missile's full range, with the
/// physics shown and every assumption stated; `flights` does it for every
/// bundled test of the CNS database.
#[derive(Debug, Parser)]
#[command(name = "allylens", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Reconstruct a missile's full range from a lofted test (apogee, range, flight time).
    ///
    /// The rocket of the missile's class (see data/rockets.csv) is flown with a
    /// powered ascent; its delta-v, pitch programme and (given a flight time)
    /// burn time are fitted to the test, then it is flown on range-maximising
    /// trajectories: on a non-rotating Earth (the figure experts publish) and
    /// toward every azimuth on the rotating Earth.
    ///
    /// Example: the Hwasong-15 test of 28 November 2017:
    ///
    ///   allylens reconstruct --apogee-km 4475 --range-km 950 --flight-time-s 3180 \
    ///       --from pyongsong --bearing 76 --missile hwasong-15 --toward 38.9,-77.04
    #[command(verbatim_doc_comment)]
    Reconstruct(ReconstructArgs),
    /// List the bundled test launches (CNS database) and reconstruct those with apogee and distance.
    Flights(FlightsArgs),
    /// Who is within reach: cities, populations, countries and U.S. forces, with footprints and maps.
    ///
    /// Ranges are the catalogue's published estimates (high end by default). A place is in reach
    /// when its WGS84 geodesic distance from a launch point is at most the range.
    ///
    /// Examples:
    ///
    ///   allylens reach --missile hwasong-12 --from pyongyang
    ///   allylens reach --missile nodong --from wonsan --format svg > nodong.svg
    ///   allylens reach --minus ICBM --format json     # what an ICBM-only deal leaves exposed
    #[command(verbatim_doc_comment)]
    Reach(ReachArgs),
    /// Assess a deal through each ally's eyes: checks with evidence, verdicts, residual exposure, divergence.
    ///
    /// A deal is a TOML file (see examples/deals/); stakeholder profiles are TOML too (the bundled
    /// ones are in examples/stakeholders/; --stakeholders reads a folder of your own).
    ///
    /// Examples:
    ///
    ///   allylens assess examples/deals/icbm-only.toml
    ///   allylens assess examples/deals/singapore-2018.toml --format html > singapore.html
    #[command(verbatim_doc_comment)]
    Assess(AssessArgs),
    /// Compare two deals: what changes for each ally.
    Compare(CompareArgs),
    /// Read an agreement text: clauses, their risk tags with evidence, the participants of talks.
    ///
    /// FILE is plain text or Markdown in UTF-8, or - for standard input. The tagger's lexicon is
    /// data/clauses/lexicon.toml (embedded; --lexicon reads an edited copy).
    ///
    /// Examples:
    ///
    ///   allylens clauses declaration.txt
    ///   allylens clauses declaration.txt --format json --draft-deal draft.toml
    #[command(verbatim_doc_comment)]
    Clauses(ClausesArgs),
    /// The workbench: a web page and a JSON API on loopback, scenarios saved in SQLite.
    ///
    /// Open http://127.0.0.1:8080/ (the default) in a browser. The API returns the same JSON as the
    /// CLI's --format json; its OpenAPI document is at /api/openapi.json.
    Serve(ServeArgs),
    /// The users of a team's workbench (serve --auth): add one (its token is printed once),
    /// list them, remove one.
    ///
    /// Examples:
    ///
    ///   allylens users add alice --db team.db      # prints alice's token
    ///   allylens serve --auth --db team.db --addr 127.0.0.1:8080
    ///   # alice opens http://127.0.0.1:8080/#token=<her token>
    #[command(verbatim_doc_comment)]
    Users(UsersArgs),
}

#[derive(Debug, Args)]
pub struct UsersArgs {
    #[command(subcommand)]
    pub action: UsersAction,
    /// The SQLite database of scenarios.
    #[arg(long, default_value = "allylens.db", global = true)]
    pub db: std::path::PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum UsersAction {
    /// Add a user and print their token (only its hash is kept: it cannot be shown again).
    Add {
        /// A short name: letters, digits, '-', '_' or '.'.
        name: String,
    },
    /// List the users.
    List,
    /// Remove a user (their scenarios stay).
    Remove { name: String },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (loopback by default; anything else exposes the workbench to the network).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// The SQLite database of scenarios (created on first run).
    #[arg(long, default_value = "allylens.db")]
    pub db: std::path::PathBuf,
    /// Also answer to this host name (repeatable), e.g. behind a reverse proxy. By default only
    /// loopback names and the bound address are answered: other pages in the user's browser
    /// cannot reach the workbench by DNS rebinding.
    #[arg(long, value_name = "NAME")]
    pub allow_host: Vec<String>,
    /// Refuse saves that would take the database past this size, MB (each save is stored twice:
    /// the scenario and its history).
    #[arg(long, value_name = "MB", default_value_t = 256)]
    pub db_quota_mb: u64,
    /// A team's workbench: every API call needs a user's token (allylens users add NAME);
    /// scenarios belong to the user who saved them and are shared read-only by their link;
    /// every write is logged. Put TLS in front of it with a reverse proxy.
    #[arg(long)]
    pub auth: bool,
}

#[derive(Debug, Args)]
pub struct ClausesArgs {
    /// The agreement text (UTF-8), or - for standard input.
    pub file: std::path::PathBuf,
    /// Write a draft deal model (TOML) drawn from the text to this file.
    #[arg(long, value_name = "OUT.toml")]
    pub draft_deal: Option<std::path::PathBuf>,
    /// Use this lexicon instead of the bundled one.
    #[arg(long, value_name = "FILE")]
    pub lexicon: Option<std::path::PathBuf>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
    pub format: ReportFormat,
}

/// The arsenal a deal is judged against.
#[derive(Debug, Clone, Args)]
pub struct DealArsenalArgs {
    /// Where ranges come from: `catalogue` (published ranges, circles) or `demonstrated`
    /// (each missile's most capable successful test by the arsenal's date, reconstructed
    /// and flown toward every bearing on the rotating Earth).
    #[arg(long, value_enum, default_value_t = BasisArg::Catalogue)]
    pub basis: BasisArg,
    /// The arsenal as of a date (YYYY-MM-DD). Default: the deal's own date, i.e. only
    /// missiles North Korea had flown successfully by then. `today` judges the deal
    /// against today's catalogue.
    #[arg(long, value_name = "DATE|today", value_parser = parse_as_of)]
    pub as_of: Option<AsOf>,
}

impl DealArsenalArgs {
    pub fn options(&self) -> report::assess::AssessOptions {
        report::assess::AssessOptions {
            basis: self.basis.basis(),
            as_of: report::assess::AsOf::from_given(self.as_of.clone().map(|a| a.0)),
        }
    }
}

/// Report formats of `assess` and `clauses`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Plain text for a terminal: the same report as Markdown, in aligned columns.
    Text,
    /// Markdown (the default).
    Md,
    /// A standalone HTML page with the map of residual reach.
    Html,
    Json,
}

#[derive(Debug, Args)]
pub struct AssessArgs {
    /// The deal, a TOML file.
    pub deal: std::path::PathBuf,
    /// A folder of stakeholder profiles (*.toml) to use instead of the bundled ones.
    #[arg(long, value_name = "DIR")]
    pub stakeholders: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub arsenal: DealArsenalArgs,
    #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The first deal (TOML).
    pub a: std::path::PathBuf,
    /// The second deal (TOML).
    pub b: std::path::PathBuf,
    /// A folder of stakeholder profiles to use instead of the bundled ones.
    #[arg(long, value_name = "DIR")]
    pub stakeholders: Option<std::path::PathBuf>,
    /// Each deal is judged against the arsenal of its own date unless --as-of says
    /// otherwise; when the two arsenals differ, the report splits what the texts change
    /// from what the threat changes.
    #[command(flatten)]
    pub arsenal: DealArsenalArgs,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Output formats of `reach`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReachFormat {
    Text,
    Md,
    Json,
    /// Footprints, launch points, cities and sites as a GeoJSON FeatureCollection (QGIS, geojson.io).
    Geojson,
    /// An SVG map, azimuthal equidistant about the launch point.
    Svg,
}

/// Which end of a published range estimate to use.
/// Where ranges come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BasisArg {
    /// The catalogue's published range, the same toward every azimuth.
    Catalogue,
    /// Each missile's most capable successful test, reconstructed and flown toward every
    /// bearing on the rotating Earth (a missile without one keeps its catalogue range).
    Demonstrated,
}

impl BasisArg {
    pub fn basis(self) -> report::arsenal::Basis {
        match self {
            BasisArg::Catalogue => report::arsenal::Basis::Catalogue,
            BasisArg::Demonstrated => report::arsenal::Basis::Demonstrated,
        }
    }
}

/// Which arsenal: the basis of its ranges, its date, the tests it comes from.
#[derive(Debug, Clone, Args)]
pub struct ArsenalArgs {
    /// Where ranges come from: `catalogue` (published ranges, circles) or `demonstrated`
    /// (each missile's most capable successful test, fitted and flown toward every bearing
    /// on the rotating Earth; the report names the test, or says why a missile keeps its
    /// catalogue range).
    #[arg(long, value_enum, default_value_t = BasisArg::Catalogue)]
    pub basis: BasisArg,
    /// The arsenal as of a date (YYYY-MM-DD): only missiles whose first successful flight
    /// on record is on or before it (with --basis demonstrated, only tests by then too).
    /// `today` takes today's catalogue.
    #[arg(long, value_name = "DATE|today", value_parser = parse_as_of)]
    pub as_of: Option<AsOf>,
    /// With --basis demonstrated: take a missile's reach from its test of this date instead
    /// of its most capable one, as MISSILE=DATE (or DATE when one --missile is named).
    /// Repeat for several missiles. An unknown date lists the ones that reconstruct.
    #[arg(long = "test", value_name = "[MISSILE=]DATE")]
    pub tests: Vec<String>,
}

impl ArsenalArgs {
    pub fn tests(&self) -> Vec<(String, String)> {
        self.tests
            .iter()
            .map(|t| report::arsenal::split_test(t))
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RangeEstimate {
    Low,
    High,
}

#[derive(Debug, Args)]
pub struct ReachArgs {
    /// Catalogue ids of the missiles, comma-separated (default: the whole catalogue, or --classes).
    #[arg(long, value_name = "ID[,ID...]", value_delimiter = ',')]
    pub missile: Vec<String>,
    /// Take every catalogue missile of these classes (SRBM, MRBM, IRBM, ICBM), comma-separated.
    #[arg(long, value_name = "CLASSES", value_delimiter = ',')]
    pub classes: Vec<String>,
    /// Remove these classes from the set and report what remains exposed.
    #[arg(long, value_name = "CLASSES", value_delimiter = ',')]
    pub minus: Vec<String>,
    /// Launch point: a facility id or LAT,LON (default: every bundled launch facility).
    #[arg(long, value_name = "FACILITY|LAT,LON", value_parser = parse_site, allow_hyphen_values = true)]
    pub from: Option<report::Site>,
    /// Which end of the published range to use.
    #[arg(long, value_enum, default_value_t = RangeEstimate::High)]
    pub range_estimate: RangeEstimate,
    /// Use this range (km) for the one missile named with --missile instead of the catalogue's.
    #[arg(long, value_name = "KM", value_parser = parse_positive, allow_hyphen_values = true)]
    pub range_km: Option<f64>,
    #[command(flatten)]
    pub arsenal: ArsenalArgs,
    /// With --basis demonstrated: redraw each missile's test N times (observables and
    /// engine assumptions from their stated spreads) and give every place its share of
    /// draws in reach (p_in_reach), and countries their expected and P5/P50/P95
    /// population in reach. About 3 ms of CPU per draw per missile.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub samples: usize,
    /// Seed of the draws (the same seed gives the same numbers).
    #[arg(long, value_name = "SEED", default_value_t = 1)]
    pub seed: u64,
    /// List at most this many cities (most populous first); 0 lists all. Default: all for json,
    /// 500 for geojson, 20 for text and md.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    #[arg(long, value_enum, default_value_t = ReachFormat::Text)]
    pub format: ReachFormat,
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Plain text for a terminal.
    Text,
    /// Markdown tables.
    Md,
    /// One JSON document (the stable contract for other tools).
    Json,
}

#[derive(Debug, Args)]
pub struct ReconstructArgs {
    /// Reported apogee of the test, km above the surface.
    #[arg(long, value_name = "KM", value_parser = parse_positive, allow_hyphen_values = true)]
    pub apogee_km: f64,
    /// Reported ground range of the test, km.
    #[arg(long, value_name = "KM", value_parser = parse_positive, allow_hyphen_values = true)]
    pub range_km: f64,
    /// Reported flight time, s. It informs the burn time as a soft constraint
    /// (normal, with the uncertainty below), beside the prior on burn times.
    #[arg(long, value_name = "S", value_parser = parse_positive, allow_hyphen_values = true)]
    pub flight_time_s: Option<f64>,
    /// The uncertainty of the reported flight time (one standard deviation), s.
    /// Sources round and time differently by a minute or two.
    #[arg(long, value_name = "S", value_parser = parse_positive, allow_hyphen_values = true, requires = "flight_time_s", default_value_t = flight_default_sigma())]
    pub flight_time_sigma_s: f64,
    /// Launch point: a facility id (see `allylens flights --facilities`) or LAT,LON in degrees.
    /// With it the test is fitted on the rotating Earth and ranges are given for all azimuths.
    #[arg(long, value_name = "FACILITY|LAT,LON", value_parser = parse_site, allow_hyphen_values = true)]
    pub from: Option<report::Site>,
    /// Bearing of the test flight, degrees clockwise from north (default 90, east, into the Sea of Japan).
    #[arg(long, value_name = "DEG", value_parser = parse_nonneg, allow_hyphen_values = true)]
    pub bearing: Option<f64>,
    /// Catalogue id of the missile (e.g. hwasong-15); selects the staging assumptions.
    /// Without it the class is guessed from the apogee and said so.
    #[arg(long, value_name = "ID")]
    pub missile: Option<String>,
    /// Fly the fitted rocket with this payload too (kg); the fit assumes the class's nominal payload.
    #[arg(long, value_name = "KG", value_parser = parse_positive, allow_hyphen_values = true)]
    pub payload_kg: Option<f64>,
    /// A target LAT,LON: its WGS84 distance, and whether the missile reaches it from the launch point.
    #[arg(long, value_name = "LAT,LON", value_parser = parse_latlon, allow_hyphen_values = true)]
    pub toward: Option<(f64, f64)>,
    /// Monte Carlo draws of observables and assumptions, for percentiles of the range.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub samples: usize,
    /// Seed of the Monte Carlo draws (same seed, same numbers).
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Include Earth's J2 oblateness in gravity (slower: free flight is integrated).
    #[arg(long)]
    pub j2: bool,
    /// Fly in vacuum: no atmosphere, no drag.
    #[arg(long)]
    pub vacuum: bool,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct FlightsArgs {
    /// Only tests of this missile id (as in the test database, e.g. hwasong-12).
    #[arg(long, value_name = "ID")]
    pub missile: Option<String>,
    /// Only tests from this year.
    #[arg(long, value_name = "YYYY")]
    pub year: Option<u32>,
    /// List the launch facilities instead of the tests.
    #[arg(long)]
    pub facilities: bool,
    /// List only; do not reconstruct.
    #[arg(long)]
    pub no_reconstruct: bool,
    /// Show how the arsenal's reach grew: when each allied city and U.S. site first fell
    /// inside the reconstructed range of a test, and the longest range by year.
    #[arg(long)]
    pub reach: bool,
    /// With --reach: also write an SVG chart of reconstructed range against date to this file.
    #[arg(long, value_name = "FILE", requires = "reach")]
    pub chart: Option<std::path::PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

impl ReconstructArgs {
    /// The request these flags make.
    pub fn request(&self) -> ReconstructRequest {
        ReconstructRequest {
            apogee_km: self.apogee_km,
            range_km: self.range_km,
            flight_time_s: self.flight_time_s,
            flight_time_sigma_s: self.flight_time_s.map(|_| self.flight_time_sigma_s),
            from: self.from.clone(),
            bearing_deg: self.bearing,
            missile: self.missile.clone(),
            payload_kg: self.payload_kg,
            toward: self.toward,
            samples: self.samples,
            seed: self.seed,
            j2: self.j2,
            vacuum: self.vacuum,
            names: FieldNames::Flags,
        }
    }
}

impl ReachArgs {
    /// The request these flags make, and the format asked.
    pub fn request(&self) -> (ReachRequest, report::reach::ReachFormat) {
        use report::reach::ReachFormat as F;
        let format = match self.format {
            ReachFormat::Text => F::Text,
            ReachFormat::Md => F::Md,
            ReachFormat::Json => F::Json,
            ReachFormat::Geojson => F::Geojson,
            ReachFormat::Svg => F::Svg,
        };
        (
            ReachRequest {
                missiles: self.missile.clone(),
                classes: self.classes.clone(),
                minus: self.minus.clone(),
                from: self.from.clone(),
                range_estimate: match self.range_estimate {
                    RangeEstimate::Low => deal::arsenal::RangeEstimate::Low,
                    RangeEstimate::High => deal::arsenal::RangeEstimate::High,
                },
                range_km: self.range_km,
                basis: self.arsenal.basis.basis(),
                as_of: self.arsenal.as_of.clone().and_then(|a| a.0),
                tests: self.arsenal.tests(),
                samples: self.samples,
                seed: self.seed,
                limit: match self.limit {
                    None => Limit::Default,
                    Some(0) => Limit::All,
                    Some(n) => Limit::Top(n),
                },
                names: FieldNames::Flags,
            },
            format,
        )
    }
}

impl FlightsArgs {
    /// The request these flags make.
    pub fn request(&self) -> report::flights::FlightsRequest {
        report::flights::FlightsRequest {
            missile: self.missile.clone(),
            year: self.year,
            no_reconstruct: self.no_reconstruct,
        }
    }
}

/// The default uncertainty of a reported flight time, s (the report layer's).
fn flight_default_sigma() -> f64 {
    report::reconstruct::DEFAULT_FLIGHT_TIME_SIGMA_S
}
