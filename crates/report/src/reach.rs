//! `reach`: who is within reach of which missiles from where. The answer is
//! computed once ([`Answer`]) and shown as the JSON document ([`ReachDoc`]),
//! text or Markdown tables, GeoJSON or an SVG map.

use std::collections::BTreeMap;

use catalog::{Catalog, Missile, MissileClass};
use deal::arsenal::{catalogue_reach, launch_points, RangeEstimate};

use crate::arsenal::{Arsenal, ArsenalSpec, Basis};
use crate::Progress;
use reach::{footprint, map, CountryHit, Exposure, Launch, MissileReach, Places, RangeModel};
use serde::Serialize;
use serde_json::{json, Value};

use crate::request::{resolve_site, FieldNames, Site};
use crate::{round, thousands, Error, Note};

/// How many cities a view lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limit {
    /// The format's own default (every city for JSON, 500 for GeoJSON, 20 for tables).
    Default,
    All,
    Top(usize),
}

impl Limit {
    fn resolve(self, default: usize) -> usize {
        match self {
            Limit::Default => default,
            Limit::All | Limit::Top(0) => usize::MAX,
            Limit::Top(n) => n,
        }
    }
}

/// Cities a GeoJSON answer lists by default.
const GEOJSON_CITIES: usize = 500;
/// Cities a text or Markdown table lists by default.
const TABLE_CITIES: usize = 20;

/// Output formats of `reach`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReachFormat {
    Text,
    Md,
    Json,
    Geojson,
    Svg,
}

/// A reach query as asked.
#[derive(Debug, Clone, PartialEq)]
pub struct ReachRequest {
    /// Catalogue ids (default: the whole catalogue, or `classes`).
    pub missiles: Vec<String>,
    /// Every catalogue missile of these classes.
    pub classes: Vec<String>,
    /// Classes to remove, reporting what remains exposed.
    pub minus: Vec<String>,
    /// Launch point (default: every bundled facility).
    pub from: Option<Site>,
    pub range_estimate: RangeEstimate,
    /// A range for the one missile named, instead of the catalogue's.
    pub range_km: Option<f64>,
    /// Where ranges come from: the catalogue, or each missile's most capable test.
    pub basis: Basis,
    /// The arsenal as of this date (YYYY-MM-DD): only missiles flown
    /// successfully by then, and with the demonstrated basis, only tests by then.
    pub as_of: Option<String>,
    /// (missile id, test date): the test a demonstrated range is taken from.
    pub tests: Vec<(String, String)>,
    /// Monte Carlo draws per demonstrated missile for `p_in_reach` (0: none).
    pub samples: usize,
    pub seed: u64,
    pub limit: Limit,
    pub names: FieldNames,
}

/// The most draws a reach query takes per missile.
pub const MAX_REACH_SAMPLES: usize = 20_000;

impl Default for ReachRequest {
    fn default() -> Self {
        ReachRequest {
            missiles: vec![],
            classes: vec![],
            minus: vec![],
            from: None,
            range_estimate: RangeEstimate::High,
            range_km: None,
            basis: Basis::Catalogue,
            as_of: None,
            tests: vec![],
            samples: 0,
            seed: 1,
            limit: Limit::Default,
            names: FieldNames::Flags,
        }
    }
}

fn parse_classes(field: &str, v: &[String]) -> Result<Vec<String>, Error> {
    v.iter()
        .map(|c| {
            MissileClass::parse(c)
                .map(|k| k.as_str().to_string())
                .ok_or_else(|| {
                    Error::invalid(format!(
                        "{field} '{c}': unknown class (use SRBM, MRBM, IRBM, ICBM)"
                    ))
                })
        })
        .collect()
}

/// The catalogue missiles a request names (default: the whole catalogue).
pub fn chosen_missiles<'c>(
    cat: &'c Catalog,
    ids: &[String],
    classes: &[String],
    names: FieldNames,
) -> Result<Vec<&'c Missile>, Error> {
    Ok(if !ids.is_empty() {
        ids.iter()
            .map(|id| crate::request::find_missile(cat, id, &names.of("missile")))
            .collect::<Result<_, _>>()?
    } else if !classes.is_empty() {
        cat.missiles
            .iter()
            .filter(|m| classes.iter().any(|c| c == m.class.as_str()))
            .collect()
    } else {
        cat.missiles.iter().collect()
    })
}

/// The missiles a request names, with the catalogue range model used for each
/// (or the user's range for the one missile named).
pub fn select_missiles(
    cat: &Catalog,
    ids: &[String],
    classes: &[String],
    estimate: RangeEstimate,
    range_km: Option<f64>,
    names: FieldNames,
) -> Result<Vec<MissileReach>, Error> {
    let chosen = chosen_missiles(cat, ids, classes, names)?;
    check_range_km(chosen.len(), range_km, names)?;
    Ok(chosen
        .into_iter()
        .map(|m| {
            let mut mr = catalogue_reach(m, estimate);
            if let Some(r) = range_km {
                mr.range = RangeModel::Constant(r);
                mr.range_source = "given by the user".into();
            }
            mr
        })
        .collect())
}

fn check_range_km(chosen: usize, range_km: Option<f64>, names: FieldNames) -> Result<(), Error> {
    if let Some(r) = range_km {
        if chosen != 1 {
            return Err(Error::invalid(format!(
                "{} needs exactly one {}",
                names.of("range_km"),
                names.of("missile")
            )));
        }
        crate::request::positive(r)
            .map_err(|m| Error::invalid(format!("{}: {m}", names.of("range_km"))))?;
    }
    Ok(())
}

/// The launch points a request names (default: every bundled facility).
pub fn select_launches(
    cat: &Catalog,
    from: Option<&Site>,
    names: FieldNames,
) -> Result<Vec<Launch>, Error> {
    Ok(match from {
        Some(site) => {
            let s = resolve_site(cat, site, &names.of("from"))?;
            vec![Launch {
                id: s.id.unwrap_or_else(|| "point".into()),
                name: s.name,
                lat: s.point.lat_deg,
                lon: s.point.lon_deg,
            }]
        }
        None => launch_points(cat),
    })
}

/// The computed answer: every view is drawn from it.
#[derive(Debug, Clone)]
pub struct Answer {
    pub title: String,
    pub launches: Vec<Launch>,
    pub missiles: Vec<MissileReach>,
    pub removed: Vec<MissileReach>,
    pub minus: Vec<String>,
    pub exposure: Exposure,
    /// The exposure before removing `minus`.
    pub full: Option<Exposure>,
    pub limit: Limit,
    /// The arsenal the missiles were taken from (basis, date, tests, exclusions).
    pub arsenal: Arsenal,
    /// Reach probability, with `samples`.
    pub uncertainty: Option<Uncertainty>,
}

/// Reach probability from Monte Carlo draws of the demonstrated ranges.
#[derive(Debug, Clone)]
pub struct Uncertainty {
    pub samples: usize,
    pub seed: u64,
    /// Per missile of `Answer::missiles`: its draws and footprint levels (None: no spread).
    pub spreads: Vec<Option<reach::Spread>>,
    /// Draws that failed, per missile id.
    pub failed: BTreeMap<String, usize>,
    /// City (latitude, longitude bits) to probability, for every place with p > 0.
    pub city_p: std::collections::HashMap<(u64, u64), f64>,
    /// Places outside the nominal footprint that some draws reach, most likely first.
    pub edge: Vec<(usize, f64)>,
    pub site_p: Vec<f64>,
}

/// Validates the arsenal fields of a request.
fn arsenal_spec(req: &ReachRequest) -> Result<ArsenalSpec, Error> {
    if req.samples > 0 && req.basis != Basis::Demonstrated {
        return Err(Error::invalid(format!(
            "{} needs {} demonstrated: catalogue ranges carry no distribution to draw from",
            req.names.of("samples"),
            req.names.of("basis")
        )));
    }
    if req.samples > MAX_REACH_SAMPLES {
        return Err(Error::invalid(format!(
            "{} {}: at most {MAX_REACH_SAMPLES}",
            req.names.of("samples"),
            req.samples
        )));
    }
    if req.range_km.is_some() && req.basis == Basis::Demonstrated {
        return Err(Error::invalid(format!(
            "{} replaces the range of the basis: give it without {} demonstrated",
            req.names.of("range_km"),
            req.names.of("basis")
        )));
    }
    if !req.tests.is_empty() && req.basis != Basis::Demonstrated {
        return Err(Error::invalid(format!(
            "{} picks a test for {} demonstrated",
            req.names.of("test"),
            req.names.of("basis")
        )));
    }
    if let Some(d) = &req.as_of {
        crate::arsenal::parse_as_of(d)
            .map_err(|m| Error::invalid(format!("{}: {m}", req.names.of("as_of"))))?;
    }
    let mut tests = Vec::with_capacity(req.tests.len());
    for (m, d) in &req.tests {
        let m = if m.is_empty() {
            match req.missiles.as_slice() {
                [one] => one.clone(),
                _ => {
                    return Err(Error::invalid(format!(
                        "{} '{d}': name the missile as MISSILE=DATE unless exactly one {} is given",
                        req.names.of("test"),
                        req.names.of("missile")
                    )))
                }
            }
        } else {
            m.clone()
        };
        if d.is_empty() || !d.chars().all(|c| c.is_ascii_digit() || c == '-') {
            return Err(Error::invalid(format!(
                "{} '{m}={d}': the date is YYYY-MM-DD (or a prefix of it)",
                req.names.of("test")
            )));
        }
        let id = crate::request::find_missile(Catalog::bundled()?, &m, &req.names.of("test"))?
            .id
            .clone();
        tests.push((id, d.clone()));
    }
    Ok(ArsenalSpec {
        basis: req.basis,
        as_of: req.as_of.clone(),
        tests,
        estimate: req.range_estimate,
    })
}

/// Computes a reach query.
pub fn build(req: &ReachRequest) -> Result<Answer, Error> {
    build_with(req, &crate::NoProgress)
}

/// Computes a reach query, reporting long work (reconstructions, draws).
pub fn build_with(req: &ReachRequest, progress: &dyn Progress) -> Result<Answer, Error> {
    build_listing(req, progress, usize::MAX)
}

/// [`build_with`], with records for only the `list` most populous cities in
/// reach (the totals and counts still cover every one): what a view that
/// shows `list` cities needs.
fn build_listing(
    req: &ReachRequest,
    progress: &dyn Progress,
    list: usize,
) -> Result<Answer, Error> {
    let cat = Catalog::bundled()?;
    let places = Places::bundled()?;
    let classes = parse_classes(&req.names.of("classes"), &req.classes)?;
    let minus = parse_classes(&req.names.of("minus"), &req.minus)?;
    let spec = arsenal_spec(req)?;
    let chosen = chosen_missiles(cat, &req.missiles, &classes, req.names)?;
    check_range_km(chosen.len(), req.range_km, req.names)?;
    let launches = select_launches(cat, req.from.as_ref(), req.names)?;
    let mut arsenal = crate::arsenal::arsenal(cat, &chosen, &launches, &spec, progress)?;
    if let (Some(r), [m]) = (req.range_km, arsenal.members.as_mut_slice()) {
        m.reach.range = RangeModel::Constant(r);
        m.reach.range_source = "given by the user".into();
    }
    let mut missiles = arsenal.reaches();
    // without the removed classes, only the counts are shown
    let full = (!minus.is_empty())
        .then(|| reach::exposure_listing(places, &launches, &missiles, |_| true, 0));
    let removed: Vec<MissileReach> = missiles
        .iter()
        .filter(|m| minus.contains(&m.class))
        .cloned()
        .collect();
    missiles.retain(|m| !minus.contains(&m.class));
    let e = reach::exposure_listing(places, &launches, &missiles, |_| true, list);
    let uncertainty = if req.samples > 0 {
        Some(uncertainty(
            req, places, &launches, &missiles, &arsenal, &e, progress,
        )?)
    } else {
        None
    };
    let title = format!(
        "Within reach of {} from {}{}{}",
        match missiles.len() {
            0 => "no missile".to_string(),
            1..=4 => missiles
                .iter()
                .map(|m| m.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            n => format!("{n} missiles"),
        },
        if launches.len() == 1 {
            launches[0].name.clone()
        } else {
            format!("{} launch facilities", launches.len())
        },
        if minus.is_empty() {
            String::new()
        } else {
            format!(" (minus {})", minus.join(", "))
        },
        match (&arsenal.as_of, arsenal.basis) {
            (Some(d), Basis::Demonstrated) => format!(", demonstrated by {d}"),
            (Some(d), Basis::Catalogue) => format!(
                ", as of {d}, catalogue {} estimates",
                req.range_estimate.as_str()
            ),
            (None, Basis::Demonstrated) => ", demonstrated by tests".into(),
            (None, Basis::Catalogue) =>
                format!(", catalogue {} estimates", req.range_estimate.as_str()),
        }
    );
    Ok(Answer {
        title,
        launches,
        missiles,
        removed,
        minus,
        exposure: e,
        full,
        limit: req.limit,
        arsenal,
        uncertainty,
    })
}

fn uncertainty(
    req: &ReachRequest,
    places: &Places,
    launches: &[Launch],
    missiles: &[MissileReach],
    arsenal: &Arsenal,
    e: &Exposure,
    progress: &dyn Progress,
) -> Result<Uncertainty, Error> {
    let member = |id: &str| arsenal.members.iter().find(|a| a.reach.id == id);
    let fits: Vec<Option<&crate::fits::FullFit>> = missiles
        .iter()
        .map(|m| member(&m.id).and_then(|a| a.fit.as_deref()))
        .collect();
    let keys: Vec<Option<String>> = missiles
        .iter()
        .map(|m| member(&m.id).and_then(|a| a.test_key.clone()))
        .collect();
    let todo = fits.iter().filter(|f| f.is_some()).count() * req.samples;
    progress.start(todo as u64, "sampling");
    let done = std::sync::atomic::AtomicU64::new(0);
    let tick = || {
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if n.is_multiple_of(16) || n == todo as u64 {
            progress.set(n);
        }
        !progress.cancelled()
    };
    let mut spreads = Vec::with_capacity(missiles.len());
    let mut failed = BTreeMap::new();
    for ((m, f), key) in missiles.iter().zip(&fits).zip(&keys) {
        match (f, key) {
            (Some(f), Some(key)) => {
                let (s, bad) = crate::arsenal::draw_spread(
                    f,
                    key,
                    &m.range,
                    &arsenal.latitudes,
                    req.samples,
                    req.seed,
                    &tick,
                );
                if bad > 0 {
                    failed.insert(m.id.clone(), bad);
                }
                spreads.push(Some(s));
            }
            _ => spreads.push(None),
        }
    }
    progress.finish();
    if progress.cancelled() {
        return Err(Error::internal("the draws were cancelled"));
    }
    let field = reach::ProbabilityField::new(launches, missiles, &spreads);
    let all = reach::probabilities(places, &field, |_| true);
    let key = |i: usize| {
        (
            places.cities.lat(i).to_bits(),
            places.cities.lon(i).to_bits(),
        )
    };
    let nominal: std::collections::HashSet<(u64, u64)> =
        e.in_reach.iter().map(|&i| key(i as usize)).collect();
    let mut edge: Vec<(usize, f64)> = all
        .iter()
        .filter(|(i, _)| !nominal.contains(&key(*i)))
        .copied()
        .collect();
    let city_p = all.iter().map(|&(i, p)| (key(i), p)).collect();
    edge.sort_by(|a, b| {
        b.1.total_cmp(&a.1).then(
            places
                .cities
                .population(b.0)
                .cmp(&places.cities.population(a.0)),
        )
    });
    let site_p = e
        .sites
        .iter()
        .map(|s| field.p(&reach::geodesy::unit_vector(s.lat, s.lon), s.lat, s.lon))
        .collect();
    Ok(Uncertainty {
        samples: req.samples,
        seed: req.seed,
        spreads,
        failed,
        city_p,
        edge,
        site_p,
    })
}

/// The bundled country outlines (Natural Earth 1:50m, public domain) as a
/// GeoJSON FeatureCollection: the base layer of the workbench's interactive
/// map, which needs no tile server.
pub fn outlines_geojson() -> Result<Value, Error> {
    let places = Places::bundled()?;
    let features: Vec<Value> = places
        .outlines()?
        .iter()
        .map(|o| {
            let polys: Vec<Value> = o
                .rings
                .iter()
                .map(|r| {
                    let ring: Vec<[f64; 2]> = r.chunks_exact(2).map(|q| [q[0], q[1]]).collect();
                    json!([ring])
                })
                .collect();
            json!({"type": "Feature", "properties": {"name": o.name},
                   "geometry": {"type": "MultiPolygon", "coordinates": polys}})
        })
        .collect();
    Ok(
        json!({"type": "FeatureCollection", "source": reach::OUTLINES_CITATION, "features": features}),
    )
}

/// Computes a reach query and shows it in one format (the CLI's output and
/// the API's body).
pub fn render(req: &ReachRequest, format: ReachFormat) -> Result<String, Error> {
    render_with(req, format, &crate::NoProgress)
}

/// [`render`], reporting long work.
pub fn render_with(
    req: &ReachRequest,
    format: ReachFormat,
    progress: &dyn Progress,
) -> Result<String, Error> {
    // each view lists its own number of cities: only those get records
    let list = match format {
        ReachFormat::Json => req.limit.resolve(usize::MAX),
        ReachFormat::Geojson => req.limit.resolve(GEOJSON_CITIES),
        ReachFormat::Text | ReachFormat::Md => req.limit.resolve(TABLE_CITIES),
        ReachFormat::Svg => 0,
    };
    let a = build_listing(req, progress, list)?;
    Ok(match format {
        ReachFormat::Json => crate::pretty(&a.document())?,
        ReachFormat::Geojson => crate::pretty(&a.geojson())?,
        ReachFormat::Svg => a.svg()?,
        ReachFormat::Text => a.table(false),
        ReachFormat::Md => a.table(true),
    })
}

/// A missile as the document lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissileDoc {
    pub id: String,
    pub name: String,
    pub class: String,
    /// The longest range toward any bearing, km (the catalogue's: the same toward every one).
    pub range_km: f64,
    /// The shortest range toward any bearing, km.
    pub range_min_km: f64,
    pub range_model: &'static str,
    pub range_source: String,
    /// How the range was decided: basis used, the test it comes from, or why
    /// the catalogue stands in; first successful flight on record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range_basis: Option<crate::arsenal::RangeBasis>,
    /// The Monte Carlo spread of the range, with samples.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draws: Option<DrawsDoc>,
}

/// A missile's Monte Carlo draws, as multiples of its nominal range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrawsDoc {
    pub ok: usize,
    pub failed: usize,
    pub scale_p5: f64,
    pub scale_p50: f64,
    pub scale_p95: f64,
    /// The longest range toward any bearing at the P5, P50 and P95 draw, km.
    pub range_p5_km: f64,
    pub range_p50_km: f64,
    pub range_p95_km: f64,
}

fn range_model_words(r: &RangeModel) -> &'static str {
    match r {
        RangeModel::Constant(_) => "constant range toward every azimuth",
        RangeModel::ByAzimuth(_) => {
            "range toward each whole degree of bearing on the rotating Earth, from the launch point"
        }
        RangeModel::ByLaunchLatitude(_) => {
            "range toward each whole degree of bearing on the rotating Earth, tabulated at the southernmost and northernmost launch latitudes and interpolated between them"
        }
    }
}

fn missile_doc(
    m: &MissileReach,
    basis: Option<&crate::arsenal::RangeBasis>,
    draws: Option<DrawsDoc>,
) -> MissileDoc {
    MissileDoc {
        id: m.id.clone(),
        name: m.name.clone(),
        class: m.class.clone(),
        range_km: round(m.range.max_km(), 1),
        range_min_km: round(m.range.min_km(), 1),
        range_model: range_model_words(&m.range),
        range_source: m.range_source.clone(),
        range_basis: basis.cloned(),
        draws,
    }
}

/// The P-th percentile of sorted values (nearest rank, interpolated).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    flight::percentile(sorted, q * 100.0).unwrap_or(f64::NAN)
}

/// Population in reach of one country under the draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PopulationSpread {
    pub iso2: String,
    pub name: String,
    /// Sum of population times the probability of reach.
    pub expected: u64,
    /// Population in reach in at least 95 %, 50 % and 5 % of the draws (the
    /// 5th, 50th and 95th percentile of the population in reach).
    pub p5: u64,
    pub p50: u64,
    pub p95: u64,
}

/// What the draws say.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProbabilityDoc {
    pub samples: usize,
    pub seed: u64,
    pub method: String,
    pub countries: Vec<PopulationSpread>,
    /// Cities outside the nominal footprint that some draws reach, most likely first (50 at most).
    pub edge_cities: Vec<EdgeCity>,
    pub edge_cities_total: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EdgeCity {
    pub name: &'static str,
    pub country: &'static str,
    pub population: u64,
    pub lat: f64,
    pub lon: f64,
    pub p_in_reach: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FacilityPoint {
    pub id: String,
    pub lat: f64,
    pub lon: f64,
}

/// The launch point, or the set of them with their mean position.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaunchDoc {
    pub id: String,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facilities: Option<Vec<FacilityPoint>>,
}

fn launch_doc(launches: &[Launch]) -> LaunchDoc {
    match launches {
        [l] => LaunchDoc {
            id: l.id.clone(),
            name: l.name.clone(),
            lat: l.lat,
            lon: l.lon,
            facilities: None,
        },
        _ => {
            let n = launches.len().max(1) as f64;
            LaunchDoc {
                id: "all-facilities".into(),
                name: format!("{} bundled launch facilities", launches.len()),
                lat: round(launches.iter().map(|l| l.lat).sum::<f64>() / n, 4),
                lon: round(launches.iter().map(|l| l.lon).sum::<f64>() / n, 4),
                facilities: Some(
                    launches
                        .iter()
                        .map(|l| FacilityPoint {
                            id: l.id.clone(),
                            lat: l.lat,
                            lon: l.lon,
                        })
                        .collect(),
                ),
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CityDoc {
    pub name: &'static str,
    pub country: &'static str,
    pub population: u64,
    pub distance_km: f64,
    pub margin_km: f64,
    pub lat: f64,
    pub lon: f64,
    pub launch: String,
    pub classes: Vec<&'static str>,
    /// Share of Monte Carlo draws in which it is within reach (with samples).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_in_reach: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteDoc {
    pub name: String,
    pub country: String,
    pub iso2: String,
    pub personnel: Option<u64>,
    pub personnel_source: String,
    pub personnel_year: String,
    pub distance_km: f64,
    pub margin_km: f64,
    pub lat: f64,
    pub lon: f64,
    pub launch: String,
    pub classes: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_in_reach: Option<f64>,
}

fn site_doc(s: &reach::SiteHit, p: Option<f64>) -> SiteDoc {
    SiteDoc {
        name: s.name.clone(),
        country: s.country.clone(),
        iso2: s.iso2.clone(),
        personnel: s.personnel,
        personnel_source: s.personnel_source.clone(),
        personnel_year: s.personnel_year.clone(),
        distance_km: round(s.distance_km, 1),
        margin_km: round(s.margin_km, 1),
        lat: s.lat,
        lon: s.lon,
        launch: s.launch.clone(),
        classes: s.classes.clone(),
        p_in_reach: p.map(|p| round(p, 4)),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TotalsDoc {
    pub population: u64,
    pub us_personnel: u64,
    /// Whether `us_personnel` is a lower bound (U.S. sites in reach without a sourced figure).
    pub us_personnel_lower_bound: bool,
    pub cities: usize,
    pub countries: usize,
    pub by_class: BTreeMap<String, reach::ClassTotals>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountDoc {
    pub population: u64,
    pub us_personnel: u64,
    pub cities: usize,
    pub us_personnel_lower_bound: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MinusDoc {
    pub classes: Vec<String>,
    pub removed_missiles: Vec<MissileDoc>,
    pub before: CountDoc,
    pub after: CountDoc,
}

fn assumptions() -> Vec<Note> {
    vec![
        Note::new("in reach", "WGS84 geodesic distance from a launch point at most the missile's range", "Karney's geodesics (geographiclib-rs); a spherical prefilter with a 0.6 % margin decides only clear cases"),
        Note::new("population in reach", "national population times the share of the country's listed city population in reach", reach::COUNTRIES_CITATION),
        Note::new("cities", "populated places of 1,000 or more", reach::GEONAMES_CITATION),
        Note::new("U.S. personnel in reach", "by area (Japan, South Korea, Guam, Hawaii, Alaska): the sourced area figure when every located U.S. site of it is in reach; otherwise the sum of sourced per-site figures in reach (a lower bound, and said so); sites without a sourced figure count for nothing. Figures: Japan 50,000 (2018), South Korea 28,500 (2018), Guam 10,000 (2024), Hawaii 47,410 (2010), Alaska 24,449 (2009)", "data/us_personnel_totals.csv, data/military_sites.csv"),
    ]
}

/// The reach document (the JSON contract of `reach --format json` and `GET /api/reach`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReachDoc {
    /// catalogue or demonstrated
    pub basis: Basis,
    /// The arsenal's date (null: today's catalogue).
    pub as_of: Option<String>,
    /// Missiles asked for but left out by the date, with why.
    pub excluded: Vec<crate::arsenal::Excluded>,
    pub launch: LaunchDoc,
    pub missiles: Vec<MissileDoc>,
    pub cities: Vec<CityDoc>,
    pub cities_in_reach: usize,
    pub cities_listed: usize,
    pub military_sites: Vec<SiteDoc>,
    pub military_sites_out_of_reach: Vec<SiteDoc>,
    pub military_sites_unplaced: Vec<String>,
    pub countries: Vec<CountryHit>,
    pub totals: TotalsDoc,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minus: Option<MinusDoc>,
    /// Reach probability (with samples).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probability: Option<ProbabilityDoc>,
    pub assumptions: Vec<Note>,
    pub sources: Vec<String>,
}

impl Answer {
    fn range_basis(&self, id: &str) -> Option<&crate::arsenal::RangeBasis> {
        self.arsenal
            .members
            .iter()
            .find(|m| m.reach.id == id)
            .map(|m| &m.basis)
    }

    /// The draws of a missile of `missiles`, if drawn.
    fn spread(&self, i: usize) -> Option<&reach::Spread> {
        self.uncertainty
            .as_ref()
            .and_then(|u| u.spreads.get(i))
            .and_then(|s| s.as_ref())
            .filter(|s| !s.scales.is_empty())
    }

    fn draws_doc(&self, i: usize) -> Option<DrawsDoc> {
        let u = self.uncertainty.as_ref()?;
        let sp = self.spread(i)?;
        let s = &sp.scales;
        let m = &self.missiles[i];
        let q = |x: f64| round(quantile(s, x), 4);
        let r = |x: f64| {
            round(
                sp.at_scale(quantile(s, x)).max_km().min(reach::GLOBAL_KM),
                1,
            )
        };
        Some(DrawsDoc {
            ok: s.len(),
            failed: u.failed.get(&m.id).copied().unwrap_or(0),
            scale_p5: q(0.05),
            scale_p50: q(0.5),
            scale_p95: q(0.95),
            range_p5_km: r(0.05),
            range_p50_km: r(0.5),
            range_p95_km: r(0.95),
        })
    }

    fn missile_docs(&self, list: &[MissileReach], drawn: bool) -> Vec<MissileDoc> {
        list.iter()
            .enumerate()
            .map(|(i, m)| {
                missile_doc(
                    m,
                    self.range_basis(&m.id),
                    if drawn { self.draws_doc(i) } else { None },
                )
            })
            .collect()
    }

    /// A city's probability of reach, with samples.
    pub fn city_p(&self, lat: f64, lon: f64) -> Option<f64> {
        self.uncertainty.as_ref().map(|u| {
            round(
                u.city_p
                    .get(&(lat.to_bits(), lon.to_bits()))
                    .copied()
                    .unwrap_or(0.0),
                4,
            )
        })
    }

    fn probability_doc(&self) -> Option<ProbabilityDoc> {
        let u = self.uncertainty.as_ref()?;
        let places = Places::bundled().ok()?;
        let listed = places.listed_population();
        // per country: sum of pop*p and the population at three levels
        let mut per: BTreeMap<&str, (f64, u64, u64, u64)> = BTreeMap::new();
        for c in places.cities.iter() {
            let Some(&p) = u.city_p.get(&(c.lat.to_bits(), c.lon.to_bits())) else {
                continue;
            };
            let e = per.entry(c.country).or_default();
            e.0 += c.population as f64 * p;
            if p >= 0.95 {
                e.1 += c.population;
            }
            if p >= 0.5 {
                e.2 += c.population;
            }
            if p >= 0.05 {
                e.3 += c.population;
            }
        }
        let mut countries: Vec<PopulationSpread> = per
            .into_iter()
            .map(|(iso, (x, a, b, c))| {
                let national = places.country(iso).map_or(0, |c| c.population) as f64;
                let all = listed.get(iso).copied().unwrap_or(0) as f64;
                let scale = |v: f64| {
                    if all > 0.0 {
                        (national * v / all).round() as u64
                    } else {
                        0
                    }
                };
                PopulationSpread {
                    iso2: iso.to_string(),
                    name: places
                        .country(iso)
                        .map_or_else(|| iso.to_string(), |c| c.name.clone()),
                    expected: scale(x),
                    p5: scale(a as f64),
                    p50: scale(b as f64),
                    p95: scale(c as f64),
                }
            })
            .collect();
        countries.sort_by(|a, b| b.expected.cmp(&a.expected).then(a.iso2.cmp(&b.iso2)));
        Some(ProbabilityDoc {
            samples: u.samples,
            seed: u.seed,
            method: "each demonstrated missile's test is redrawn (apogee and distance within 2 %, each stage's burn time from its engine-class prior, specific impulse within 3 %, the vertical rise 0.6-1.4 times) and refitted; a draw's footprint is the nominal footprint times the draw's standard range over the nominal one; draws of different missiles are ranked together, so a place's probability is the largest over missiles; population at a percentile counts the places in reach in at least that share of draws".into(),
            countries,
            edge_cities: u
                .edge
                .iter()
                .take(50)
                .filter_map(|&(i, p)| {
                    let c = places.cities.get(i)?;
                    Some(EdgeCity {
                        name: c.name,
                        country: c.country,
                        population: c.population,
                        lat: c.lat,
                        lon: c.lon,
                        p_in_reach: round(p, 4),
                    })
                })
                .collect(),
            edge_cities_total: u.edge.len(),
        })
    }

    fn assumptions(&self) -> Vec<Note> {
        let mut v = assumptions();
        let basis = match self.arsenal.basis {
            Basis::Catalogue => Note::new(
                "range basis",
                format!("catalogue ({} estimate of the published range), the same toward every azimuth", self.arsenal_estimate()),
                "data/missile_catalog.csv",
            ),
            Basis::Demonstrated => Note::new(
                "range basis",
                "demonstrated: each missile's most capable successful lofted or standard test (largest reconstructed standard range) or the one named, fitted and flown toward every bearing on the rotating Earth; a missile with none keeps its catalogue range (range_basis.fallback says why)",
                "data/missile_tests.csv (CNS North Korea Missile Test Database); data/rockets.csv",
            ),
        };
        v.insert(0, basis);
        if self.arsenal.latitudes.len() > 1 {
            v.insert(1, Note::new(
                "launch latitude",
                format!("footprints tabulated at {} N and interpolated linearly between (longitude does not change a footprint on a sphere turning about its axis); the interpolation error is measured in ARCHITECTURE.md", self.arsenal.latitudes.iter().map(|l| format!("{l:.2}")).collect::<Vec<_>>().join(" and ")),
                "crates/report/src/arsenal.rs",
            ));
        }
        v.insert(1, Note::new(
            "arsenal date",
            match &self.arsenal.as_of {
                Some(d) => format!("as of {d}: only missiles whose first successful flight on record is on or before it{}", if self.arsenal.basis == Basis::Demonstrated { ", and only tests by then" } else { "" }),
                None => "today: every catalogue missile".into(),
            },
            catalog::CNS_CITATION,
        ));
        v
    }

    fn arsenal_estimate(&self) -> &'static str {
        if self
            .missiles
            .iter()
            .chain(&self.removed)
            .any(|m| m.range_source.starts_with("catalogue, low"))
        {
            "low"
        } else {
            "high"
        }
    }

    /// The JSON document; cities listed up to the limit (every one by default).
    pub fn document(&self) -> ReachDoc {
        let e = &self.exposure;
        let n = self.limit.resolve(usize::MAX).min(e.cities.len());
        let count = |x: &Exposure| CountDoc {
            population: x.population,
            us_personnel: x.us_personnel,
            cities: x.cities_in_reach,
            us_personnel_lower_bound: x.us_personnel_lower_bound,
        };
        let site_p = |i: usize| {
            self.uncertainty
                .as_ref()
                .and_then(|u| u.site_p.get(i).copied())
        };
        ReachDoc {
            basis: self.arsenal.basis,
            as_of: self.arsenal.as_of.clone(),
            excluded: self.arsenal.excluded.clone(),
            launch: launch_doc(&self.launches),
            missiles: self.missile_docs(&self.missiles, true),
            cities: e.cities[..n]
                .iter()
                .map(|c| CityDoc {
                    name: c.name,
                    country: c.country,
                    population: c.population,
                    distance_km: round(c.distance_km, 1),
                    margin_km: round(c.margin_km, 1),
                    lat: c.lat,
                    lon: c.lon,
                    launch: c.launch.clone(),
                    classes: c.classes.clone(),
                    p_in_reach: self.city_p(c.lat, c.lon),
                })
                .collect(),
            cities_in_reach: e.cities_in_reach,
            cities_listed: n,
            military_sites: e
                .sites
                .iter()
                .enumerate()
                .filter(|(_, s)| !s.classes.is_empty())
                .map(|(i, s)| site_doc(s, site_p(i)))
                .collect(),
            military_sites_out_of_reach: e
                .sites
                .iter()
                .enumerate()
                .filter(|(_, s)| s.classes.is_empty())
                .map(|(i, s)| site_doc(s, site_p(i)))
                .collect(),
            military_sites_unplaced: e.unplaced_sites.clone(),
            countries: e.countries.clone(),
            totals: TotalsDoc {
                population: e.population,
                us_personnel: e.us_personnel,
                us_personnel_lower_bound: e.us_personnel_lower_bound,
                cities: e.cities_in_reach,
                countries: e.countries.len(),
                by_class: e.by_class.clone(),
            },
            minus: self.full.as_ref().map(|f| MinusDoc {
                classes: self.minus.clone(),
                removed_missiles: self.missile_docs(&self.removed, false),
                before: count(f),
                after: count(e),
            }),
            probability: self.probability_doc(),
            assumptions: self.assumptions(),
            sources: [
                catalog::CNS_CITATION,
                reach::GEONAMES_CITATION,
                reach::COUNTRIES_CITATION,
                "data/missile_catalog.csv",
                "data/military_sites.csv",
                "data/us_personnel_totals.csv",
            ]
            .map(String::from)
            .to_vec(),
        }
    }

    /// Footprints, launch points, cities (500 by default) and U.S. sites as a
    /// GeoJSON FeatureCollection.
    pub fn geojson(&self) -> Value {
        let e = &self.exposure;
        let mut features = Vec::new();
        // footprints from the launch points on the hull of the set: with ranges far
        // beyond the sites' spread, they outline the union of all
        let drawn = reach::hull_launches(&self.launches);
        for (i, m) in self.missiles.iter().enumerate() {
            let test = self
                .range_basis(&m.id)
                .and_then(|b| b.test.as_ref())
                .map(|t| t.date.clone());
            // with draws: the P50 footprint and the P5 and P95 edges of the band
            let levels: Vec<(&str, RangeModel)> = match self.spread(i) {
                Some(s) => [("p50", 0.5), ("p5", 0.05), ("p95", 0.95)]
                    .into_iter()
                    .map(|(name, q)| (name, s.at_scale(quantile(&s.scales, q))))
                    .collect(),
                None => vec![("nominal", m.range.clone())],
            };
            for (level, model) in levels {
                // from several launch points: one outline of their union when it is
                // star-shaped about their centre, else one footprint per hull point
                if self.launches.len() > 1 {
                    let n = self.launches.len() as f64;
                    let centre = (
                        self.launches.iter().map(|l| l.lat).sum::<f64>() / n,
                        self.launches.iter().map(|l| l.lon).sum::<f64>() / n,
                    );
                    let points: Vec<(f64, f64)> = drawn.iter().map(|l| (l.lat, l.lon)).collect();
                    let ranges: Vec<std::borrow::Cow<RangeModel>> =
                        drawn.iter().map(|l| model.for_launch(l.lat)).collect();
                    if let Some(u) = footprint::union_about(centre, &points, &ranges) {
                        features.push(footprint::feature(
                            centre.0,
                            centre.1,
                            &u,
                            1.0,
                            json!({"kind": "footprint", "missile": m.id, "name": m.name, "class": m.class, "color": map::class_color(&m.class, Some(&m.id)),
                                   "range_km": round(model.max_km(), 1), "range_min_km": round(model.min_km(), 1), "level": level,
                                   "basis": self.range_basis(&m.id).map(|b| b.basis), "test": test, "launch": "all-facilities",
                                   "union_of": drawn.len(), "range_source": m.range_source}),
                        ));
                        continue;
                    }
                }
                for l in &drawn {
                    let range = model.for_launch(l.lat);
                    features.push(footprint::feature(
                        l.lat,
                        l.lon,
                        &range,
                        1.0,
                        json!({"kind": "footprint", "missile": m.id, "name": m.name, "class": m.class, "color": map::class_color(&m.class, Some(&m.id)), "range_km": round(range.max_km(), 1),
                               "range_min_km": round(range.min_km(), 1), "level": level, "basis": self.range_basis(&m.id).map(|b| b.basis),
                               "test": test, "launch": l.id, "range_source": m.range_source}),
                    ));
                }
            }
        }
        for l in &self.launches {
            features.push(json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [l.lon, l.lat]},
                                 "properties": {"kind": "launch", "id": l.id, "name": l.name}}));
        }
        let n = self.limit.resolve(GEOJSON_CITIES).min(e.cities.len());
        for c in &e.cities[..n] {
            features.push(json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [c.lon, c.lat]},
                "properties": {"kind": "city", "name": c.name, "country": c.country, "population": c.population,
                               "distance_km": round(c.distance_km, 1), "margin_km": round(c.margin_km, 1), "launch": c.launch,
                               "classes": c.classes, "p_in_reach": self.city_p(c.lat, c.lon)}}));
        }
        if let Some(u) = &self.uncertainty {
            let places = Places::bundled().ok();
            for &(i, p) in u.edge.iter().take(n) {
                if let Some(c) = places.and_then(|pl| pl.cities.get(i)) {
                    features.push(json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [c.lon, c.lat]},
                        "properties": {"kind": "city", "name": c.name, "country": c.country, "population": c.population,
                                       "classes": [], "in_nominal_reach": false, "p_in_reach": round(p, 4)}}));
                }
            }
        }
        for (i, s) in e.sites.iter().enumerate() {
            let p = self
                .uncertainty
                .as_ref()
                .and_then(|u| u.site_p.get(i))
                .map(|p| round(*p, 4));
            features.push(json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [s.lon, s.lat]},
                "properties": {"kind": "military_site", "name": s.name, "country": s.country, "in_reach": !s.classes.is_empty(),
                               "personnel": s.personnel, "distance_km": round(s.distance_km, 1), "margin_km": round(s.margin_km, 1),
                               "classes": s.classes, "p_in_reach": p}}));
        }
        json!({"type": "FeatureCollection", "features": features})
    }

    /// The SVG map, azimuthal equidistant about Pyongyang (or the launch point).
    pub fn svg(&self) -> Result<String, Error> {
        let places = Places::bundled()?;
        let centre = self
            .launches
            .iter()
            .find(|l| l.id == "pyongyang")
            .or(self.launches.first())
            .ok_or_else(|| Error::invalid("no launch point"))?;
        // with draws: each footprint at its median draw, the P5 and P95 draws either side
        let mut missiles = self.missiles.clone();
        let mut band = Vec::with_capacity(missiles.len());
        for (i, m) in missiles.iter_mut().enumerate() {
            match self.spread(i) {
                Some(s) => {
                    let at = |q: f64| s.at_scale(quantile(&s.scales, q));
                    m.range = at(0.5);
                    band.push(Some((at(0.05), at(0.95))));
                }
                None => band.push(None),
            }
        }
        Ok(map::render_with_band(
            places,
            centre,
            &self.launches,
            &missiles,
            &self.exposure,
            &self.title,
            &band,
        ))
    }

    /// Text or Markdown tables (20 cities by default).
    pub fn table(&self, md: bool) -> String {
        let e = &self.exposure;
        let limit = self.limit.resolve(TABLE_CITIES);
        let mut s = String::new();
        // text: cells joined by a unit separator, aligned into columns at the end
        let row = |cells: &[String]| {
            if md {
                format!("| {} |\n", cells.join(" | "))
            } else {
                format!("{}\n", cells.join("\u{1f}"))
            }
        };
        let head = |cells: &[&str]| {
            let mut h = row(&cells.iter().map(|c| c.to_string()).collect::<Vec<_>>());
            if md {
                h += &format!("|{}\n", "---|".repeat(cells.len()));
            }
            h
        };
        s += &if md {
            format!("# {}\n\n", self.title)
        } else {
            format!("{}\n\n", self.title)
        };
        let drawn = self.uncertainty.is_some();
        if drawn {
            s += &head(&["missile", "class", "range km", "P5-P95 km", "range source"]);
        } else {
            s += &head(&["missile", "class", "range km", "range source"]);
        }
        for (i, m) in self.missiles.iter().enumerate() {
            let range = if m.range.varies_by_azimuth() {
                format!("{:.0}-{:.0}", m.range.min_km(), m.range.max_km())
            } else {
                format!("{:.0}", m.range.max_km())
            };
            let mut source = m.range_source.clone();
            if let Some(f) = self.range_basis(&m.id).and_then(|b| b.fallback.as_ref()) {
                source = format!("{source} (no demonstrated range: {f})");
            }
            let mut cells = vec![m.name.clone(), m.class.clone(), range];
            if drawn {
                cells.push(match self.draws_doc(i) {
                    Some(d) => format!("{:.0}-{:.0}", d.range_p5_km, d.range_p95_km),
                    None => "-".into(),
                });
            }
            cells.push(source);
            s += &row(&cells);
        }
        if !self.arsenal.excluded.is_empty() {
            s += &format!(
                "\nNot yet flown as of {}: {}.\n",
                self.arsenal.as_of.as_deref().unwrap_or("today"),
                self.arsenal
                    .excluded
                    .iter()
                    .map(|x| format!("{} ({})", x.name, x.reason))
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }
        let personnel = |x: &Exposure| {
            format!(
                "{}{}",
                thousands(x.us_personnel),
                if x.us_personnel_lower_bound {
                    " (a lower bound: some U.S. sites in reach have no sourced figure)"
                } else {
                    ""
                }
            )
        };
        s += &format!(
            "\nIn reach: population {} in {} countries ({} places in reach); U.S. personnel {}.\n",
            thousands(e.population),
            e.countries.len(),
            thousands(e.cities_in_reach as u64),
            personnel(e)
        );
        if let Some(f) = &self.full {
            s += &format!(
                "Before removing {}: population {}; U.S. personnel {}.\n",
                self.minus.join(", "),
                thousands(f.population),
                personnel(f)
            );
        }
        s += "\n";
        if e.countries.len() > 15 {
            s += &format!(
                "The 15 most exposed of {} countries (the JSON lists them all):\n",
                e.countries.len()
            );
        }
        s += &head(&[
            "country",
            "population in reach",
            "of total",
            "U.S. personnel in reach",
            "U.S. sites in reach",
        ]);
        for c in e.countries.iter().take(15) {
            s += &row(&[
                c.name.clone(),
                thousands(c.population_in_reach),
                thousands(c.population_total),
                c.us_personnel_in_reach.map_or("-".into(), thousands),
                format!("{}/{}", c.us_sites_in_reach, c.us_sites_located),
            ]);
        }
        s += "\n";
        s += &head(&[
            "U.S. site",
            "country",
            "distance km",
            "margin km",
            "in reach",
        ]);
        for site in &e.sites {
            s += &row(&[
                site.name.clone(),
                site.country.clone(),
                format!("{:.0}", site.distance_km),
                format!("{:.0}", site.margin_km),
                if site.classes.is_empty() {
                    "no".into()
                } else {
                    format!("yes ({})", site.classes.join(", "))
                },
            ]);
        }
        if let Some(pd) = self.probability_doc() {
            s += "\n";
            s += &head(&[
                "country",
                "expected population in reach",
                "P5",
                "P50",
                "P95",
            ]);
            for c in pd.countries.iter().take(15) {
                s += &row(&[
                    c.name.clone(),
                    thousands(c.expected),
                    thousands(c.p5),
                    thousands(c.p50),
                    thousands(c.p95),
                ]);
            }
            s += &format!(
                "\n{} draws per demonstrated missile (seed {}). Places outside the nominal footprint that some draws reach: {}{}.\n",
                pd.samples,
                pd.seed,
                thousands(pd.edge_cities_total as u64),
                if pd.edge_cities.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", most likely {}",
                        pd.edge_cities
                            .iter()
                            .take(5)
                            .map(|c| format!("{} {:.2}", c.name, c.p_in_reach))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            );
        }
        s += "\n";
        if drawn {
            s += &head(&["city", "country", "population", "distance km", "p in reach"]);
        } else {
            s += &head(&["city", "country", "population", "distance km"]);
        }
        for c in e.cities.iter().take(limit) {
            let mut cells = vec![
                c.name.to_string(),
                c.country.to_string(),
                thousands(c.population),
                format!("{:.0}", c.distance_km),
            ];
            if let Some(p) = self.city_p(c.lat, c.lon) {
                cells.push(format!("{p:.2}"));
            }
            s += &row(&cells);
        }
        s += &format!(
            "\nSources: {}; {}; {}.\n",
            catalog::CNS_CITATION,
            reach::GEONAMES_CITATION,
            reach::COUNTRIES_CITATION
        );
        if md {
            s
        } else {
            align_columns(&s)
        }
    }
}

/// Aligns each run of lines whose cells are joined by a unit separator into
/// columns: numbers to the right, words to the left, two spaces between.
fn align_columns(s: &str) -> String {
    let lines: Vec<&str> = s.lines().collect();
    let mut out = String::with_capacity(s.len() + 1024);
    let mut i = 0;
    let numeric = |c: &str| {
        !c.is_empty()
            && c.chars()
                .all(|ch| ch.is_ascii_digit() || ",.-/ ".contains(ch))
    };
    while i < lines.len() {
        if !lines[i].contains('\u{1f}') {
            out.push_str(lines[i]);
            out.push('\n');
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && lines[i].contains('\u{1f}') {
            i += 1;
        }
        let rows: Vec<Vec<&str>> = lines[start..i]
            .iter()
            .map(|l| l.split('\u{1f}').collect())
            .collect();
        let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
        let width = |k: usize| {
            rows.iter()
                .filter_map(|r| r.get(k))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        };
        let widths: Vec<usize> = (0..cols).map(width).collect();
        // a column is numeric when every cell below the heading is
        let right: Vec<bool> = (0..cols)
            .map(|k| {
                rows[1..]
                    .iter()
                    .filter_map(|r| r.get(k))
                    .all(|c| numeric(c) || *c == "-")
            })
            .collect();
        for r in &rows {
            let mut line = String::new();
            for (k, c) in r.iter().enumerate() {
                let last = k + 1 == r.len();
                let pad = widths[k].saturating_sub(c.chars().count());
                if k > 0 {
                    line.push_str("  ");
                }
                if right[k] && rows.len() > 1 {
                    line.push_str(&" ".repeat(pad));
                    line.push_str(c);
                } else {
                    line.push_str(c);
                    if !last {
                        line.push_str(&" ".repeat(pad));
                    }
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_and_ranges_are_checked() {
        let cat = Catalog::bundled().expect("bundled");
        let e = parse_classes("--classes", &["XRBM".into()])
            .err()
            .map(|e| e.message);
        assert!(e.is_some_and(|m| m.contains("'XRBM'")));
        assert_eq!(
            parse_classes("--minus", &["icbm".into()]).ok(),
            Some(vec!["ICBM".to_string()])
        );
        let one = select_missiles(
            cat,
            &["nodong".into()],
            &[],
            RangeEstimate::High,
            Some(900.0),
            FieldNames::Json,
        )
        .expect("one missile with a range");
        assert_eq!(one[0].range.max_km(), 900.0);
        assert_eq!(one[0].range_source, "given by the user");
        let e = select_missiles(
            cat,
            &[],
            &[],
            RangeEstimate::High,
            Some(900.0),
            FieldNames::Json,
        )
        .err()
        .map(|e| e.message);
        assert_eq!(e.as_deref(), Some("range_km needs exactly one missile"));
    }

    #[test]
    fn text_tables_are_aligned_in_columns() {
        let t = "title\nname\u{1f}km\nSeoul\u{1f}214\nTokyo\u{1f}1,299\n\nafter\n";
        assert_eq!(
            align_columns(t),
            "title\nname      km\nSeoul    214\nTokyo  1,299\n\nafter\n"
        );
    }

    #[test]
    fn limits_resolve_per_format() {
        assert_eq!(Limit::Default.resolve(20), 20);
        assert_eq!(Limit::Top(0).resolve(20), usize::MAX);
        assert_eq!(Limit::All.resolve(20), usize::MAX);
        assert_eq!(Limit::Top(5).resolve(20), 5);
    }
}
