//! `allylens reach`: who is within reach of which missiles from where.

use catalog::{Catalog, Missile};
use reach::{exposure, footprint, map, Exposure, Launch, MissileReach, Places, RangeModel};
use serde_json::{json, Value};

use super::reconstruct::resolve_site;
use crate::cli::{RangeEstimate, ReachArgs, ReachFormat};
use crate::output::{emit, round, thousands};
use crate::usage;

const CLASSES: [&str; 4] = ["SRBM", "MRBM", "IRBM", "ICBM"];

fn parse_classes(flag: &str, v: &[String]) -> anyhow::Result<Vec<String>> {
    v.iter()
        .map(|c| {
            let u = c.trim().to_ascii_uppercase();
            if CLASSES.contains(&u.as_str()) {
                Ok(u)
            } else {
                Err(usage(format!(
                    "{flag} '{c}': unknown class (use SRBM, MRBM, IRBM, ICBM)"
                )))
            }
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
) -> anyhow::Result<Vec<MissileReach>> {
    let chosen: Vec<&Missile> = if !ids.is_empty() {
        ids.iter()
            .map(|id| {
                cat.missile(id.trim()).ok_or_else(|| {
                    let known: Vec<&str> = cat.missiles.iter().map(|m| m.id.as_str()).collect();
                    usage(format!(
                        "--missile '{id}': unknown missile (known: {})",
                        known.join(", ")
                    ))
                })
            })
            .collect::<anyhow::Result<_>>()?
    } else if !classes.is_empty() {
        cat.missiles
            .iter()
            .filter(|m| classes.iter().any(|c| c == m.class.as_str()))
            .collect()
    } else {
        cat.missiles.iter().collect()
    };
    if range_km.is_some() && chosen.len() != 1 {
        return Err(usage("--range-km needs exactly one --missile"));
    }
    Ok(chosen
        .into_iter()
        .map(|m| {
            let (km, how) = match (range_km, estimate) {
                (Some(r), _) => (r, "given with --range-km".to_string()),
                (None, RangeEstimate::High) => (
                    m.range_km_high,
                    format!("catalogue, high estimate ({})", m.source),
                ),
                (None, RangeEstimate::Low) => (
                    m.range_km_low,
                    format!("catalogue, low estimate ({})", m.source),
                ),
            };
            MissileReach {
                id: m.id.clone(),
                name: m.name.clone(),
                class: m.class.as_str().to_string(),
                range: RangeModel::Constant(km),
                range_source: how,
            }
        })
        .collect())
}

/// The launch points a request names (default: every bundled facility).
pub fn select_launches(
    cat: &Catalog,
    from: Option<&crate::args::Site>,
) -> anyhow::Result<Vec<Launch>> {
    Ok(match from {
        Some(site) => {
            let s = resolve_site(cat, site, "--from")?;
            vec![Launch {
                id: s.id.unwrap_or_else(|| "point".into()),
                name: s.name,
                lat: s.point.lat_deg,
                lon: s.point.lon_deg,
            }]
        }
        None => cat
            .facilities
            .iter()
            .map(|f| Launch {
                id: f.id.clone(),
                name: f.name.clone(),
                lat: f.lat,
                lon: f.lon,
            })
            .collect(),
    })
}

fn missile_json(m: &MissileReach) -> Value {
    json!({"id": m.id, "name": m.name, "class": m.class,
           "range_km": round(m.range.max_km(), 1), "range_model": "constant range toward every azimuth",
           "range_source": m.range_source})
}

fn launch_json(launches: &[Launch]) -> Value {
    match launches {
        [l] => json!({"id": l.id, "name": l.name, "lat": l.lat, "lon": l.lon}),
        _ => {
            let n = launches.len() as f64;
            json!({"id": "all-facilities", "name": format!("{} bundled launch facilities", launches.len()),
                   "lat": round(launches.iter().map(|l| l.lat).sum::<f64>() / n, 4),
                   "lon": round(launches.iter().map(|l| l.lon).sum::<f64>() / n, 4),
                   "facilities": launches.iter().map(|l| json!({"id": l.id, "lat": l.lat, "lon": l.lon})).collect::<Vec<_>>()})
        }
    }
}

/// The JSON document of an exposure (shared with the deal assessment).
pub fn exposure_json(e: &Exposure, limit: Option<usize>) -> Value {
    let n = match limit {
        Some(0) | None => e.cities.len(),
        Some(k) => k.min(e.cities.len()),
    };
    json!({
        "cities": e.cities[..n].iter().map(|c| json!({
            "name": c.name, "country": c.country, "population": c.population,
            "distance_km": round(c.distance_km, 1), "margin_km": round(c.margin_km, 1),
            "lat": c.lat, "lon": c.lon, "launch": c.launch, "classes": c.classes})).collect::<Vec<_>>(),
        "cities_in_reach": e.cities.len(),
        "cities_listed": n,
        "military_sites": e.sites.iter().filter(|s| !s.classes.is_empty()).map(site_json).collect::<Vec<_>>(),
        "military_sites_out_of_reach": e.sites.iter().filter(|s| s.classes.is_empty()).map(site_json).collect::<Vec<_>>(),
        "military_sites_unplaced": e.unplaced_sites,
        "countries": e.countries.iter().map(|c| json!({
            "iso2": c.iso2, "name": c.name, "population_in_reach": c.population_in_reach,
            "population_total": c.population_total, "cities_in_reach": c.cities_in_reach,
            "city_population_in_reach": c.city_population_in_reach, "city_population_listed": c.city_population_listed,
            "us_personnel_in_reach": c.us_personnel_in_reach, "us_personnel_total": c.us_personnel_total,
            "us_personnel_source": c.us_personnel_source, "us_sites_in_reach": c.us_sites_in_reach,
            "us_sites_located": c.us_sites_located, "by_class": c.by_class})).collect::<Vec<_>>(),
        "totals": {"population": e.population, "us_personnel": e.us_personnel, "cities": e.cities.len(),
                   "countries": e.countries.len(), "by_class": e.by_class},
    })
}

fn site_json(s: &reach::SiteHit) -> Value {
    json!({"name": s.name, "country": s.country, "iso2": s.iso2, "personnel": s.personnel,
           "personnel_source": s.personnel_source, "personnel_year": s.personnel_year,
           "distance_km": round(s.distance_km, 1), "margin_km": round(s.margin_km, 1),
           "lat": s.lat, "lon": s.lon, "launch": s.launch, "classes": s.classes})
}

fn assumptions() -> Value {
    json!([
        {"name": "in reach", "value": "WGS84 geodesic distance from a launch point at most the missile's range", "source": "Karney's geodesics (geographiclib-rs); a spherical prefilter with a 0.6 % margin decides only clear cases"},
        {"name": "population in reach", "value": "national population times the share of the country's listed city population in reach", "source": reach::COUNTRIES_CITATION},
        {"name": "cities", "value": "populated places of 1,000 or more", "source": reach::GEONAMES_CITATION},
        {"name": "U.S. personnel in reach", "value": "the sourced country figure when every located U.S. site of the country is in reach; otherwise the sum of sourced per-site figures in reach (a lower bound); sites without a sourced figure count for nothing", "source": "data/us_personnel_totals.csv, data/military_sites.csv"},
    ])
}

/// The reach answer in the requested format, as text (shared by the CLI and the HTTP API).
pub fn render(a: &ReachArgs) -> anyhow::Result<String> {
    let cat = Catalog::bundled()?;
    let places = Places::bundled()?;
    let classes = parse_classes("--classes", &a.classes)?;
    let minus = parse_classes("--minus", &a.minus)?;
    let mut missiles = select_missiles(cat, &a.missile, &classes, a.range_estimate, a.range_km)?;
    let launches = select_launches(cat, a.from.as_ref())?;
    let full = if minus.is_empty() {
        None
    } else {
        Some(exposure(places, &launches, &missiles))
    };
    let removed: Vec<MissileReach> = missiles
        .iter()
        .filter(|m| minus.contains(&m.class))
        .cloned()
        .collect();
    missiles.retain(|m| !minus.contains(&m.class));
    let e = exposure(places, &launches, &missiles);
    let centre = launches
        .iter()
        .find(|l| l.id == "pyongyang")
        .or(launches.first())
        .cloned()
        .ok_or_else(|| usage("no launch point"))?;
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
    match a.format {
        ReachFormat::Svg => Ok(map::render(
            places, &centre, &launches, &missiles, &e, &title,
        )),
        ReachFormat::Geojson => Ok(serde_json::to_string_pretty(&geojson(
            &launches,
            &missiles,
            &e,
            a.limit.unwrap_or(500),
        ))? + "\n"),
        ReachFormat::Json => {
            let mut doc = exposure_json(&e, a.limit);
            doc["launch"] = launch_json(&launches);
            doc["missiles"] = json!(missiles.iter().map(missile_json).collect::<Vec<_>>());
            if let Some(f) = &full {
                doc["minus"] = json!({
                    "classes": minus,
                    "removed_missiles": removed.iter().map(missile_json).collect::<Vec<_>>(),
                    "before": {"population": f.population, "us_personnel": f.us_personnel, "cities": f.cities.len()},
                    "after": {"population": e.population, "us_personnel": e.us_personnel, "cities": e.cities.len()},
                });
            }
            doc["assumptions"] = assumptions();
            doc["sources"] = json!([
                catalog::CNS_CITATION,
                reach::GEONAMES_CITATION,
                reach::COUNTRIES_CITATION,
                "data/missile_catalog.csv",
                "data/military_sites.csv",
                "data/us_personnel_totals.csv"
            ]);
            Ok(serde_json::to_string_pretty(&doc)? + "\n")
        }
        ReachFormat::Text | ReachFormat::Md => Ok(table(
            &title,
            &missiles,
            &e,
            full.as_ref(),
            a.limit.unwrap_or(20),
            a.format == ReachFormat::Md,
        )),
    }
}

pub fn run(a: &ReachArgs) -> anyhow::Result<()> {
    emit(&render(a)?)
}

fn geojson(launches: &[Launch], missiles: &[MissileReach], e: &Exposure, limit: usize) -> Value {
    let mut features = Vec::new();
    // footprints from the launch points on the hull of the set: with ranges far
    // beyond the sites' spread, they outline the union of all
    let drawn = reach::hull_launches(launches);
    for m in missiles {
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
    for l in launches {
        features.push(
            json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [l.lon, l.lat]},
                             "properties": {"kind": "launch", "id": l.id, "name": l.name}}),
        );
    }
    let n = if limit == 0 {
        e.cities.len()
    } else {
        limit.min(e.cities.len())
    };
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

fn table(
    title: &str,
    missiles: &[MissileReach],
    e: &Exposure,
    full: Option<&Exposure>,
    limit: usize,
    md: bool,
) -> String {
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
        format!("# {title}\n\n")
    } else {
        format!("{title}\n\n")
    };
    s += &head(&["missile", "class", "range km", "range source"]);
    for m in missiles {
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
    if let Some(f) = full {
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
    for c in e
        .cities
        .iter()
        .take(if limit == 0 { usize::MAX } else { limit })
    {
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
