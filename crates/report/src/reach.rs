//! `reach`: who is within reach of which missiles from where. The answer is
//! computed once ([`Answer`]) and shown as the JSON document ([`ReachDoc`]),
//! text or Markdown tables, GeoJSON or an SVG map.

use std::collections::BTreeMap;

use catalog::{Catalog, Missile, MissileClass};
use deal::arsenal::{catalogue_reach, launch_points, RangeEstimate};
use reach::{
    exposure, footprint, map, CountryHit, Exposure, Launch, MissileReach, Places, RangeModel,
};
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
    pub limit: Limit,
    pub names: FieldNames,
}

impl Default for ReachRequest {
    fn default() -> Self {
        ReachRequest {
            missiles: vec![],
            classes: vec![],
            minus: vec![],
            from: None,
            range_estimate: RangeEstimate::High,
            range_km: None,
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

/// The missiles a request names, with the range model used for each.
pub fn select_missiles(
    cat: &Catalog,
    ids: &[String],
    classes: &[String],
    estimate: RangeEstimate,
    range_km: Option<f64>,
    names: FieldNames,
) -> Result<Vec<MissileReach>, Error> {
    let chosen: Vec<&Missile> = if !ids.is_empty() {
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
    };
    if let Some(r) = range_km {
        if chosen.len() != 1 {
            return Err(Error::invalid(format!(
                "{} needs exactly one {}",
                names.of("range_km"),
                names.of("missile")
            )));
        }
        crate::request::positive(r)
            .map_err(|m| Error::invalid(format!("{}: {m}", names.of("range_km"))))?;
    }
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
}

/// Computes a reach query.
pub fn build(req: &ReachRequest) -> Result<Answer, Error> {
    let cat = Catalog::bundled()?;
    let places = Places::bundled()?;
    let classes = parse_classes(&req.names.of("classes"), &req.classes)?;
    let minus = parse_classes(&req.names.of("minus"), &req.minus)?;
    let mut missiles = select_missiles(
        cat,
        &req.missiles,
        &classes,
        req.range_estimate,
        req.range_km,
        req.names,
    )?;
    let launches = select_launches(cat, req.from.as_ref(), req.names)?;
    let full = (!minus.is_empty()).then(|| exposure(places, &launches, &missiles));
    let removed: Vec<MissileReach> = missiles
        .iter()
        .filter(|m| minus.contains(&m.class))
        .cloned()
        .collect();
    missiles.retain(|m| !minus.contains(&m.class));
    let e = exposure(places, &launches, &missiles);
    let title = format!(
        "Within reach of {} from {}{}",
        if missiles.len() == 1 {
            missiles[0].name.clone()
        } else {
            format!("{} missiles", missiles.len())
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
    })
}

/// Computes a reach query and shows it in one format (the CLI's output and
/// the API's body).
pub fn render(req: &ReachRequest, format: ReachFormat) -> Result<String, Error> {
    let a = build(req)?;
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
    pub range_km: f64,
    pub range_model: &'static str,
    pub range_source: String,
}

fn missile_doc(m: &MissileReach) -> MissileDoc {
    MissileDoc {
        id: m.id.clone(),
        name: m.name.clone(),
        class: m.class.clone(),
        range_km: round(m.range.max_km(), 1),
        range_model: "constant range toward every azimuth",
        range_source: m.range_source.clone(),
    }
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
    pub name: String,
    pub country: String,
    pub population: u64,
    pub distance_km: f64,
    pub margin_km: f64,
    pub lat: f64,
    pub lon: f64,
    pub launch: String,
    pub classes: Vec<&'static str>,
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
}

fn site_doc(s: &reach::SiteHit) -> SiteDoc {
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
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TotalsDoc {
    pub population: u64,
    pub us_personnel: u64,
    pub cities: usize,
    pub countries: usize,
    pub by_class: BTreeMap<String, reach::ClassTotals>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountDoc {
    pub population: u64,
    pub us_personnel: u64,
    pub cities: usize,
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
        Note::new("U.S. personnel in reach", "the sourced country figure when every located U.S. site of the country is in reach; otherwise the sum of sourced per-site figures in reach (a lower bound); sites without a sourced figure count for nothing", "data/us_personnel_totals.csv, data/military_sites.csv"),
    ]
}

/// The reach document (the JSON contract of `reach --format json` and `GET /api/reach`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReachDoc {
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
    pub assumptions: Vec<Note>,
    pub sources: Vec<String>,
}

impl Answer {
    /// The JSON document; cities listed up to the limit (every one by default).
    pub fn document(&self) -> ReachDoc {
        let e = &self.exposure;
        let n = self.limit.resolve(usize::MAX).min(e.cities.len());
        let count = |x: &Exposure| CountDoc {
            population: x.population,
            us_personnel: x.us_personnel,
            cities: x.cities.len(),
        };
        ReachDoc {
            launch: launch_doc(&self.launches),
            missiles: self.missiles.iter().map(missile_doc).collect(),
            cities: e.cities[..n]
                .iter()
                .map(|c| CityDoc {
                    name: c.name.clone(),
                    country: c.country.clone(),
                    population: c.population,
                    distance_km: round(c.distance_km, 1),
                    margin_km: round(c.margin_km, 1),
                    lat: c.lat,
                    lon: c.lon,
                    launch: c.launch.clone(),
                    classes: c.classes.clone(),
                })
                .collect(),
            cities_in_reach: e.cities.len(),
            cities_listed: n,
            military_sites: e
                .sites
                .iter()
                .filter(|s| !s.classes.is_empty())
                .map(site_doc)
                .collect(),
            military_sites_out_of_reach: e
                .sites
                .iter()
                .filter(|s| s.classes.is_empty())
                .map(site_doc)
                .collect(),
            military_sites_unplaced: e.unplaced_sites.clone(),
            countries: e.countries.clone(),
            totals: TotalsDoc {
                population: e.population,
                us_personnel: e.us_personnel,
                cities: e.cities.len(),
                countries: e.countries.len(),
                by_class: e.by_class.clone(),
            },
            minus: self.full.as_ref().map(|f| MinusDoc {
                classes: self.minus.clone(),
                removed_missiles: self.removed.iter().map(missile_doc).collect(),
                before: count(f),
                after: count(e),
            }),
            assumptions: assumptions(),
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
        for m in &self.missiles {
            for l in &drawn {
                features.push(footprint::feature(
                    l.lat,
                    l.lon,
                    &m.range,
                    1.0,
                    json!({"kind": "footprint", "missile": m.id, "class": m.class, "range_km": m.range.max_km(),
                           "launch": l.id, "range_source": m.range_source}),
                ));
            }
        }
        for l in &self.launches {
            features.push(json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [l.lon, l.lat]},
                                 "properties": {"kind": "launch", "id": l.id, "name": l.name}}));
        }
        let n = self.limit.resolve(500).min(e.cities.len());
        for c in &e.cities[..n] {
            features.push(json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [c.lon, c.lat]},
                "properties": {"kind": "city", "name": c.name, "country": c.country, "population": c.population,
                               "distance_km": round(c.distance_km, 1), "classes": c.classes}}));
        }
        for s in &e.sites {
            features.push(json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [s.lon, s.lat]},
                "properties": {"kind": "military_site", "name": s.name, "country": s.country, "in_reach": !s.classes.is_empty(),
                               "personnel": s.personnel, "distance_km": round(s.distance_km, 1)}}));
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
        Ok(map::render(
            places,
            centre,
            &self.launches,
            &self.missiles,
            &self.exposure,
            &self.title,
        ))
    }

    /// Text or Markdown tables (20 cities by default).
    pub fn table(&self, md: bool) -> String {
        let e = &self.exposure;
        let limit = self.limit.resolve(20);
        let mut s = String::new();
        let row = |cells: &[String]| {
            if md {
                format!("| {} |\n", cells.join(" | "))
            } else {
                format!("{}\n", cells.join("  "))
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
        s += &head(&["missile", "class", "range km", "range source"]);
        for m in &self.missiles {
            s += &row(&[
                m.name.clone(),
                m.class.clone(),
                format!("{:.0}", m.range.max_km()),
                m.range_source.clone(),
            ]);
        }
        s += &format!(
            "\nIn reach: population {} in {} countries ({} places listed); U.S. personnel {}.\n",
            thousands(e.population),
            e.countries.len(),
            e.cities.len(),
            thousands(e.us_personnel)
        );
        if let Some(f) = &self.full {
            s += &format!(
                "Before removing classes: population {}; U.S. personnel {}.\n",
                thousands(f.population),
                thousands(f.us_personnel)
            );
        }
        s += "\n";
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
        s += "\n";
        s += &head(&["city", "country", "population", "distance km"]);
        for c in e.cities.iter().take(limit) {
            s += &row(&[
                c.name.clone(),
                c.country.clone(),
                thousands(c.population),
                format!("{:.0}", c.distance_km),
            ]);
        }
        s += &format!(
            "\nSources: {}; {}; {}.\n",
            catalog::CNS_CITATION,
            reach::GEONAMES_CITATION,
            reach::COUNTRIES_CITATION
        );
        s
    }
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
    fn limits_resolve_per_format() {
        assert_eq!(Limit::Default.resolve(20), 20);
        assert_eq!(Limit::Top(0).resolve(20), usize::MAX);
        assert_eq!(Limit::All.resolve(20), usize::MAX);
        assert_eq!(Limit::Top(5).resolve(20), 5);
    }
}
