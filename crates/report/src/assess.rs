//! `assess`: a deal seen by each ally, as a typed document and one page in
//! text, Markdown and HTML.
//!
//! The [`Assessor`] holds the stakeholder profiles and builds the threat
//! table for their territories once, on first use: the server keeps one in
//! its state for its lifetime, the CLI one per run (so `compare` builds it
//! once for both deals).

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use catalog::Catalog;
use deal::arsenal::{launch_points, RangeEstimate};
use deal::{
    assess, parse_deal, parse_stakeholder, read, threat_table_of, Assessment, Deal, Divergence,
    Perspective, Stakeholder, Status, ThreatTable,
};

use crate::arsenal::{Arsenal, ArsenalSpec, Basis};
use reach::{exposure, map, MissileReach, Places};
use serde::Serialize;

use crate::view::{Block, Cell, Page, Table};
use crate::{thousands, Error, Note};

/// Reads a folder of stakeholder profiles (`*.toml`); `field` names the
/// folder in errors.
pub fn profiles_from_dir(dir: &Path, field: &str) -> Result<Vec<Stakeholder>, Error> {
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::invalid(format!("{field} {}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Error::invalid(format!(
            "{field} {}: no *.toml profiles there",
            dir.display()
        )));
    }
    let mut out: Vec<Stakeholder> = Vec::new();
    for f in files {
        let text = read(&f)?;
        let s = parse_stakeholder(&f.display().to_string(), &text)?;
        if out.iter().any(|o| o.id == s.id) {
            return Err(Error::invalid(format!(
                "{}: stakeholder id '{}' appears twice",
                f.display(),
                s.id
            )));
        }
        out.push(s);
    }
    Ok(out)
}

/// The date of the arsenal a deal is assessed against.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum AsOf {
    /// The deal's own date (the default): what North Korea had flown when it was signed.
    #[default]
    DealDate,
    /// Today's catalogue.
    Today,
    /// A date given by the user (YYYY-MM-DD).
    Date(String),
}

impl AsOf {
    /// From an optional `as_of` value: None is the deal's date, `today` today.
    pub fn from_given(v: Option<Option<String>>) -> AsOf {
        match v {
            None => AsOf::DealDate,
            Some(None) => AsOf::Today,
            Some(Some(d)) => AsOf::Date(d),
        }
    }
}

/// How to take the arsenal a deal is assessed against.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AssessOptions {
    pub basis: Basis,
    pub as_of: AsOf,
}

/// A threat table and the arsenal it was built from.
#[derive(Debug)]
pub struct Armed {
    pub table: ThreatTable,
    pub arsenal: Arsenal,
}

/// A threat table's key: the basis and the date (None: today).
type ArsenalKey = (Basis, Option<String>);

/// Assesses deals against one set of profiles.
#[derive(Debug)]
pub struct Assessor {
    profiles: Vec<Stakeholder>,
    known: Vec<String>,
    territories: Vec<String>,
    /// Threat tables by basis and date, built on first use.
    tables: Mutex<HashMap<ArsenalKey, Arc<Armed>>>,
}

impl Assessor {
    pub fn new(profiles: Vec<Stakeholder>) -> Assessor {
        let known = profiles.iter().map(|s| s.id.clone()).collect();
        let mut territories: Vec<String> =
            profiles.iter().flat_map(|s| s.territory.clone()).collect();
        territories.sort();
        territories.dedup();
        Assessor {
            profiles,
            known,
            territories,
            tables: Mutex::new(HashMap::new()),
        }
    }

    /// The profiles that ship with allylens.
    pub fn bundled() -> Result<Assessor, Error> {
        Ok(Assessor::new(deal::bundled_stakeholders()?))
    }

    pub fn profiles(&self) -> &[Stakeholder] {
        &self.profiles
    }

    /// What each catalogue missile reaches of the profiles' territories today
    /// (about 0.1 s to build; built once).
    pub fn threat_table(&self) -> Result<Arc<Armed>, Error> {
        self.armed(Basis::Catalogue, None)
    }

    /// The threat table of an arsenal (basis and date), built once per pair.
    /// The demonstrated basis reconstructs each missile's test on first use
    /// (about a second; cached in the process).
    pub fn armed(&self, basis: Basis, as_of: Option<&str>) -> Result<Arc<Armed>, Error> {
        let key = (basis, as_of.map(String::from));
        if let Some(t) = self.tables.lock().ok().and_then(|t| t.get(&key).cloned()) {
            return Ok(t);
        }
        let cat = Catalog::bundled()?;
        let places = Places::bundled()?;
        let launches = launch_points(cat);
        let all: Vec<&catalog::Missile> = cat.missiles.iter().collect();
        let spec = ArsenalSpec {
            basis,
            as_of: key.1.clone(),
            tests: vec![],
            estimate: RangeEstimate::High,
        };
        let arsenal = crate::arsenal::arsenal(cat, &all, &launches, &spec, &crate::NoProgress)?;
        let table = threat_table_of(places, &launches, &arsenal.reaches(), &self.territories);
        let armed = Arc::new(Armed { table, arsenal });
        if let Ok(mut t) = self.tables.lock() {
            // at most a few dozen dates are kept: each table is small, but a
            // server should not grow without bound
            if t.len() >= 64 {
                t.clear();
            }
            t.insert(key, armed.clone());
        }
        Ok(armed)
    }

    /// Parses, validates and assesses a deal against the arsenal of its own date; `name` names it in errors.
    pub fn assess(&self, name: &str, text: &str) -> Result<Assessment, Error> {
        Ok(self.assess_with(name, text, &AssessOptions::default())?.0)
    }

    /// Assesses a deal against the arsenal the options choose; returns the
    /// arsenal too, and the date it was taken at (None: today).
    pub fn assess_with(
        &self,
        name: &str,
        text: &str,
        opts: &AssessOptions,
    ) -> Result<(Assessment, Arc<Armed>), Error> {
        let d = parse_deal(name, text, &self.known)?;
        let as_of = match &opts.as_of {
            AsOf::DealDate => Some(d.date.clone()),
            AsOf::Today => None,
            AsOf::Date(x) => Some(x.clone()),
        };
        let armed = self.armed(opts.basis, as_of.as_deref())?;
        Ok((assess(&d, &self.profiles, &armed.table), armed))
    }

    /// Applies a form's quick edit to a deal's TOML and checks the result reads
    /// as a deal; returns the new text.
    pub fn edit(
        &self,
        name: &str,
        text: &str,
        edit: &deal::edit::QuickEdit,
    ) -> Result<String, Error> {
        let out = deal::edit::apply(text, edit)?;
        parse_deal(name, &out, &self.known)?;
        Ok(out)
    }

    /// The assessment document of a deal (against the arsenal of its date, catalogue ranges).
    pub fn document(&self, name: &str, text: &str) -> Result<AssessDoc, Error> {
        self.document_with(name, text, &AssessOptions::default())
    }

    /// The assessment document of a deal against the arsenal the options choose.
    pub fn document_with(
        &self,
        name: &str,
        text: &str,
        opts: &AssessOptions,
    ) -> Result<AssessDoc, Error> {
        let (a, armed) = self.assess_with(name, text, opts)?;
        Ok(AssessDoc::new(a, &armed.arsenal, &opts.as_of))
    }
}

/// The arsenal a deal was assessed against.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArsenalDoc {
    pub basis: Basis,
    /// The date the arsenal was taken at (null: today's catalogue).
    pub as_of: Option<String>,
    /// Why that date: "the deal's date", "given" or "today".
    pub as_of_reason: &'static str,
    /// Catalogue missiles not yet flown successfully by that date.
    pub not_yet_flown: Vec<crate::arsenal::Excluded>,
    /// Each missile's range and where it comes from.
    pub ranges: Vec<RangeDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RangeDoc {
    pub missile: String,
    pub class: String,
    pub range_km: f64,
    pub range_min_km: f64,
    pub range_source: String,
    pub basis: crate::arsenal::RangeBasis,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DealDoc {
    pub name: String,
    pub date: String,
    pub parties: Vec<String>,
    pub source: String,
    pub hypothetical: bool,
    /// The whole validated deal model.
    pub model: Deal,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissilesDoc {
    pub eliminated: Vec<String>,
    pub left_in_place: Vec<String>,
}

/// The assessment document (the JSON contract of `assess --format json` and
/// `POST /api/assess`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessDoc {
    pub deal: DealDoc,
    pub perspectives: Vec<Perspective>,
    pub divergence: Vec<Divergence>,
    pub missiles: MissilesDoc,
    pub arsenal: ArsenalDoc,
    /// One plain sentence or two per stakeholder: the verdict, what decides
    /// it, and what stays in reach (the first thing every format shows).
    pub summary: Vec<String>,
    pub assumptions: Vec<Note>,
}

fn assumptions(arsenal: &ArsenalDoc) -> Vec<Note> {
    let ranges = match arsenal.basis {
        Basis::Catalogue => Note::new(
            "missile ranges",
            "catalogue high estimates, constant in azimuth",
            "data/missile_catalog.csv",
        ),
        Basis::Demonstrated => Note::new(
            "missile ranges",
            "demonstrated: each missile's most capable successful lofted or standard test by the arsenal's date, reconstructed and flown toward every bearing on the rotating Earth (footprints at the southernmost and northernmost facility latitudes, interpolated between); a missile without one keeps its catalogue high estimate (the Arsenal section says which)",
            "data/missile_tests.csv (CNS North Korea Missile Test Database); data/rockets.csv",
        ),
    };
    let date = match (&arsenal.as_of, arsenal.as_of_reason) {
        (Some(d), "the deal's date") => format!("as of the deal's date, {d}: only missiles whose first successful flight on record is on or before it (give --as-of today for today's catalogue)"),
        (Some(d), _) => format!("as of {d} (given): only missiles whose first successful flight on record is on or before it"),
        (None, _) => "today's catalogue, whatever the deal's date".to_string(),
    };
    vec![
        ranges,
        Note::new("launch points", "every bundled launch facility", catalog::CNS_CITATION),
        Note::new(
            "residual exposure",
            "population (GeoNames national figure times the share of listed places in reach) and hosted U.S. personnel (sourced area figure when every located U.S. site of the area is in reach) within reach of the missiles the written text does not eliminate",
            format!("{}; {}; data/us_personnel_totals.csv", reach::GEONAMES_CITATION, reach::COUNTRIES_CITATION),
        ),
        Note::new(
            "U.S. personnel",
            "hosted: Japan 50,000 (DoD, 2018) and South Korea 28,500 (ROK MND, 2018); on U.S. soil outside the contiguous states: Guam 10,000 (2024), Hawaii 47,410 (2010), Alaska 24,449 (2009); elsewhere only sourced per-site figures count, so a residual there is a lower bound. The U.S. row counts the contiguous states' population; personnel abroad and in Guam, Hawaii and Alaska are in the reach report",
            "data/us_personnel_totals.csv, data/military_sites.csv",
        ),
        Note::new(
            "eliminated",
            "dismantled in the written text, or above a written range cap; freezes, moratoria and oral commitments leave missiles in place (a check then reads partial)",
            "allylens rule",
        ),
        Note::new("US-CONUS", "U.S. places within 24.4-49.4 N, 124.8-66.9 W (the contiguous states)", "allylens rule"),
        Note::new("arsenal", date, catalog::CNS_CITATION),
    ]
}

/// A population in words: "126.5 million", or the number below a million.
fn people(n: u64) -> String {
    if n >= 1_000_000_000 {
        format!("{:.2} billion", n as f64 / 1e9)
    } else if n >= 1_000_000 {
        format!("{:.1} million", n as f64 / 1e6)
    } else {
        thousands(n)
    }
}

/// The plain summary of one perspective.
fn summary_line(p: &Perspective) -> String {
    let named = |st: Status| -> Vec<&str> {
        p.checks
            .iter()
            .filter(|c| c.status == st && (st != Status::Crossed || c.red_line))
            .map(|c| c.name)
            .collect()
    };
    let mut s = match p.verdict {
        deal::Verdict::RedLineCrossed => format!(
            "{}: red line crossed on {}.",
            p.name,
            named(Status::Crossed).join("; ")
        ),
        deal::Verdict::Satisfied => format!("{}: satisfied; every check is met.", p.name),
        deal::Verdict::Reservations => {
            let mut open = named(Status::Partial);
            open.extend(named(Status::Unknown));
            open.extend(
                p.checks
                    .iter()
                    .filter(|c| c.status == Status::Crossed && !c.red_line)
                    .map(|c| c.name),
            );
            format!("{}: reservations on {}.", p.name, open.join("; "))
        }
    };
    let r = &p.residual_exposure;
    if !r.missiles.is_empty() {
        s.push_str(&format!(
            " {} missile type{} that reach {} people{} stay{} in place.",
            r.missiles.len(),
            if r.missiles.len() == 1 { "" } else { "s" },
            people(r.population),
            if r.us_personnel > 0 {
                format!(" and {} U.S. personnel", thousands(r.us_personnel))
            } else {
                String::new()
            },
            if r.missiles.len() == 1 { "s" } else { "" }
        ));
    } else {
        s.push_str(" No missile that reaches it stays in place.");
    }
    s
}

fn mark(s: Status) -> &'static str {
    match s {
        Status::Met => "met",
        Status::Partial => "PARTIAL",
        Status::Crossed => "CROSSED",
        Status::Unknown => "unknown",
    }
}

fn list_or_none(v: &[String]) -> String {
    if v.is_empty() {
        "none".to_string()
    } else {
        v.join(", ")
    }
}

impl AssessDoc {
    pub fn new(a: Assessment, arsenal: &Arsenal, as_of: &AsOf) -> AssessDoc {
        let arsenal = ArsenalDoc {
            basis: arsenal.basis,
            as_of: arsenal.as_of.clone(),
            as_of_reason: match as_of {
                AsOf::DealDate => "the deal's date",
                AsOf::Today => "today",
                AsOf::Date(_) => "given",
            },
            not_yet_flown: arsenal.excluded.clone(),
            ranges: arsenal
                .members
                .iter()
                .map(|m| RangeDoc {
                    missile: m.reach.id.clone(),
                    class: m.reach.class.clone(),
                    range_km: crate::round(m.reach.range.max_km(), 1),
                    range_min_km: crate::round(m.reach.range.min_km(), 1),
                    range_source: m.reach.range_source.clone(),
                    basis: m.basis.clone(),
                })
                .collect(),
        };
        let summary = a.perspectives.iter().map(summary_line).collect();
        let mut doc = AssessDoc {
            deal: DealDoc {
                name: a.deal.name.clone(),
                date: a.deal.date.clone(),
                parties: a.deal.parties.clone(),
                source: a.deal.source.clone(),
                hypothetical: a.deal.hypothetical,
                model: a.deal,
            },
            perspectives: a.perspectives,
            divergence: a.divergence,
            missiles: MissilesDoc {
                eliminated: a.eliminated,
                left_in_place: a.left_in_place,
            },
            summary: Vec::new(),
            assumptions: assumptions(&arsenal),
            arsenal,
        };
        doc.summary = summary;
        doc
    }

    /// The report as a page; `map` is the SVG of residual reach (HTML only).
    pub fn page(&self, map: Option<String>) -> Page {
        self.page_with(&Maps {
            world: map,
            regional: vec![],
        })
    }

    /// The report as a page with its maps (HTML): the world map of residual
    /// reach, and a regional one in each ally's section.
    pub fn page_with(&self, maps: &Maps) -> Page {
        let map = maps.world.clone();
        let d = &self.deal;
        let mut p = Page::new(d.name.clone());
        p.line(format!(
            "{} · parties: {} · source: {}{}",
            d.date,
            d.parties.join(", "),
            d.source,
            if d.hypothetical {
                " · hypothetical"
            } else {
                ""
            }
        ));
        p.heading("In short");
        p.push(Block::Lines(self.summary.clone()));
        p.heading("Verdicts");
        let mut t = Table::new(&[
            "ally",
            "verdict",
            "residual population in reach",
            "residual U.S. personnel in reach",
            "missiles left that reach it",
        ]);
        for x in &self.perspectives {
            t.push(vec![
                x.name.as_str().into(),
                Cell::strong(x.verdict.as_str()),
                thousands(x.residual_exposure.population).into(),
                thousands(x.residual_exposure.us_personnel).into(),
                list_or_none(&x.residual_exposure.missiles).into(),
            ]);
        }
        p.push(Block::Table(t));
        if !self.divergence.is_empty() {
            p.heading("Where the allies diverge");
            let mut t = Table::new(&["check", "statuses"]);
            for dv in &self.divergence {
                let st: Vec<String> = dv
                    .statuses
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", v.as_str()))
                    .collect();
                t.push(vec![
                    format!("{} ({})", dv.check.label(), dv.check.as_str()).into(),
                    st.join(", ").into(),
                ]);
            }
            p.push(Block::Table(t));
        }
        for x in &self.perspectives {
            p.heading(format!("{} ({}): {}", x.name, x.id, x.verdict));
            let mut t = Table::new(&["check", "status", "red line", "evidence", "deal fields"]);
            for c in &x.checks {
                t.push(vec![
                    format!("{} ({})", c.name, c.id.as_str()).into(),
                    mark(c.status).into(),
                    if c.red_line { "yes" } else { "no" }.into(),
                    c.evidence.as_str().into(),
                    c.fields.join(", ").into(),
                ]);
                if let Some(r) = t.rows.last_mut() {
                    r.class = Some(c.status.as_str());
                }
            }
            p.push(Block::Table(t));
            if let Some((_, svg)) = maps.regional.iter().find(|(id, _)| id == &x.id) {
                p.push(Block::Figure {
                    svg: svg.clone(),
                    caption: format!(
                        "Residual reach around {}: the missiles the deal leaves in place that reach it, centred on its capital",
                        x.name
                    ),
                });
            }
            if !x.residual_exposure.by_class.is_empty() {
                let bc: Vec<String> = x
                    .residual_exposure
                    .by_class
                    .iter()
                    .map(|(k, v)| format!("{k} {}", thousands(*v)))
                    .collect();
                p.line(format!(
                    "Residual population in reach by class: {}.",
                    bc.join("; ")
                ));
            }
        }
        p.heading("Missiles");
        p.push(Block::Lines(vec![
            format!(
                "Eliminated in the written text: {}.",
                list_or_none(&self.missiles.eliminated)
            ),
            format!(
                "Left in place: {}.",
                list_or_none(&self.missiles.left_in_place)
            ),
        ]));
        let ar = &self.arsenal;
        p.heading("Arsenal");
        let mut lines = vec![format!(
            "Taken {}; ranges from the {} basis.",
            match (&ar.as_of, ar.as_of_reason) {
                (Some(d), "the deal's date") => format!("as of the deal's date, {d}"),
                (Some(d), _) => format!("as of {d}"),
                (None, _) => "as of today".to_string(),
            },
            ar.basis.as_str()
        )];
        if !ar.not_yet_flown.is_empty() {
            lines.push(format!(
                "Not yet flown by then (left out): {}.",
                ar.not_yet_flown
                    .iter()
                    .map(|x| format!("{} ({})", x.name, x.reason))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
        p.push(Block::Lines(lines));
        let mut t = Table::new(&["missile", "class", "range km", "from"]);
        for r in &ar.ranges {
            let range = if (r.range_km - r.range_min_km).abs() < 0.5 {
                format!("{:.0}", r.range_km)
            } else {
                format!("{:.0}-{:.0}", r.range_min_km, r.range_km)
            };
            let from = match (&r.basis.test, &r.basis.fallback) {
                (Some(t), _) => format!("test of {} ({})", t.date, t.trajectory),
                (None, Some(f)) => format!("catalogue (no demonstrated range: {f})"),
                (None, None) => "catalogue".to_string(),
            };
            t.push(vec![
                r.missile.as_str().into(),
                r.class.as_str().into(),
                range.into(),
                from.into(),
            ]);
        }
        p.push(Block::Table(t));
        p.heading("Residual reach");
        match map {
            Some(svg) => p.push(Block::Figure {
                svg,
                caption: format!(
                    "Residual reach of the missiles left in place ({}, from every bundled launch facility) after: {}",
                    match self.arsenal.basis {
                        Basis::Catalogue => "catalogue high estimates",
                        Basis::Demonstrated => "demonstrated ranges on the rotating Earth",
                    },
                    d.name
                ),
            }),
            None if self.missiles.left_in_place.is_empty() => p.line(
                "The deal eliminates every catalogue missile in its written text: no residual reach to map.",
            ),
            None => p.push(Block::Figure {
                svg: String::new(),
                caption: "A map of the residual reach of the missiles left in place".into(),
            }),
        }
        p.heading("Sources and assumptions");
        let mut t = Table::new(&["assumption", "value", "source"]);
        for n in &self.assumptions {
            t.push(vec![
                n.name.as_str().into(),
                n.value.as_str().into(),
                n.source.as_str().into(),
            ]);
        }
        p.push(Block::Table(t));
        p
    }

    pub fn markdown(&self) -> String {
        self.page(None).markdown()
    }

    pub fn text(&self) -> String {
        self.page(None).text()
    }

    /// The standalone HTML report, with the SVG maps of residual reach: the
    /// world, and each ally's region (a stakeholder whose id is a country
    /// code, centred on its capital; the United States has the world map).
    pub fn html(&self) -> Result<String, Error> {
        let maps = if self.missiles.left_in_place.is_empty() {
            Maps::default()
        } else {
            residual_maps(self)?
        };
        Ok(self.page_with(&maps).html())
    }
}

/// The maps of an HTML report.
#[derive(Debug, Clone, Default)]
pub struct Maps {
    pub world: Option<String>,
    /// (stakeholder id, SVG)
    pub regional: Vec<(String, String)>,
}

/// The SVG maps of the missiles a deal leaves in place.
fn residual_maps(doc: &AssessDoc) -> Result<Maps, Error> {
    let cat = Catalog::bundled()?;
    let places = Places::bundled()?;
    let launches = launch_points(cat);
    let chosen: Vec<&catalog::Missile> = cat
        .missiles
        .iter()
        .filter(|m| doc.missiles.left_in_place.contains(&m.id))
        .collect();
    // the same arsenal as the assessment's (its reconstructions are cached)
    let spec = ArsenalSpec {
        basis: doc.arsenal.basis,
        as_of: doc.arsenal.as_of.clone(),
        tests: vec![],
        estimate: RangeEstimate::High,
    };
    let left: Vec<MissileReach> =
        crate::arsenal::arsenal(cat, &chosen, &launches, &spec, &crate::NoProgress)?.reaches();
    let e = exposure(places, &launches, &left);
    let centre = launches
        .iter()
        .find(|l| l.id == "pyongyang")
        .or(launches.first())
        .ok_or_else(|| Error::internal("no launch facility"))?;
    let deal_name = &doc.deal.name;
    let world = map::render(
        places,
        centre,
        &launches,
        &left,
        &e,
        &format!("Residual reach after: {deal_name}"),
    );
    let mut regional = Vec::new();
    for x in &doc.perspectives {
        let iso = x.id.to_ascii_uppercase();
        if iso == "US" || x.residual_exposure.missiles.is_empty() {
            continue;
        }
        let Some(capital) = places
            .cities
            .iter()
            .find(|c| c.country == iso && c.feature == "PPLC")
        else {
            continue;
        };
        // far enough to show every launch point and the ally whole
        let at = reach::geodesy::unit_vector(capital.lat, capital.lon);
        let farthest = launches
            .iter()
            .map(|l| reach::geodesy::sphere_km(&at, &reach::geodesy::unit_vector(l.lat, l.lon)))
            .fold(0.0, f64::max);
        let frame = map::Frame {
            lat: capital.lat,
            lon: capital.lon,
            name: capital.name.to_string(),
            radius_km: Some((farthest * 1.3).max(1_500.0)),
        };
        let mine: Vec<MissileReach> = left
            .iter()
            .filter(|m| x.residual_exposure.missiles.contains(&m.id))
            .cloned()
            .collect();
        let e = exposure(places, &launches, &mine);
        regional.push((
            x.id.clone(),
            map::render_framed(
                places,
                &frame,
                &launches,
                &mine,
                &e,
                &format!("Residual reach around {}: {deal_name}", x.name),
                &[],
            ),
        ));
    }
    Ok(Maps {
        world: Some(world),
        regional,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_of_every_example_carries_the_same_summary_and_caveats() {
        let a = Assessor::bundled().expect("bundled profiles");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/deals");
        let mut n = 0;
        for e in std::fs::read_dir(&dir).expect("examples") {
            let p = e.expect("entry").path();
            if p.extension().is_none_or(|x| x != "toml") {
                continue;
            }
            n += 1;
            let text = std::fs::read_to_string(&p).expect("readable");
            let doc = a
                .document(&p.display().to_string(), &text)
                .expect("assessed");
            let (md, txt, html) = (doc.markdown(), doc.text(), doc.html().expect("html"));
            let json = serde_json::to_string(&doc).expect("json");
            let name = p.display();
            assert_eq!(doc.summary.len(), doc.perspectives.len(), "{name}");
            for line in doc
                .summary
                .iter()
                .chain(doc.assumptions.iter().map(|n| &n.value))
            {
                assert!(
                    md.contains(&crate::view::md_escape(line)),
                    "{name}: md lacks {line}"
                );
                assert!(txt.contains(line.as_str()), "{name}: text lacks {line}");
                assert!(
                    html.contains(&crate::view::html_escape(line)),
                    "{name}: html lacks {line}"
                );
                assert!(
                    json.contains(&serde_json::to_string(line).expect("str")),
                    "{name}"
                );
            }
            for needle in ["In short", "Left in place:", "Arsenal", "Taken as of"] {
                assert!(
                    md.contains(needle) && txt.contains(needle) && html.contains(needle),
                    "{name}: {needle}"
                );
            }
            // the summary comes first
            assert!(txt.find("In short") < txt.find("Verdicts"), "{name}");
            if !doc.missiles.left_in_place.is_empty() {
                assert!(
                    html.contains("<svg"),
                    "{name}: the HTML report embeds the map"
                );
            }
        }
        assert_eq!(n, 9);
    }

    #[test]
    fn a_bad_deal_names_its_line() {
        let a = Assessor::bundled().expect("bundled profiles");
        let e = a.assess("d.toml", "[deal]\nname = 3\n").err();
        assert!(
            e.as_ref().is_some_and(
                |e| e.kind == crate::ErrorKind::Invalid && e.message.contains("d.toml:2")
            ),
            "{e:?}"
        );
    }
}
