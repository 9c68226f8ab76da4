//! `allylens flights --reach`: how the reach of the arsenal grew, test by test.
//!
//! Each reconstructed test is flown toward every bearing on the rotating Earth
//! from that test's own launch facility (the same reach model as `reach
//! --basis demonstrated`), and compared with the WGS84 distance and bearing
//! to each listed city and U.S. site. What it reports is the first test whose
//! reconstructed reach covers a place: a date on which the test record shows
//! the capability, not the date the place came into range (earlier, untested
//! or unrecorded capability is not seen).

use std::fmt::Write;

use catalog::{Catalog, TestLaunch};
use reach::{geodesy, map::escape, Places};
use serde::Serialize;

use crate::fits::TestFit;
use crate::round;

struct Place {
    name: String,
    kind: &'static str,
    country: String,
    lat: f64,
    lon: f64,
}

/// A place no reconstructed test reaches.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    pub target: String,
    pub kind: &'static str,
    pub country: String,
}

/// The first test whose reconstructed reach covers a place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct First {
    pub target: String,
    pub kind: &'static str,
    pub country: String,
    pub first_date: String,
    pub missile: Option<String>,
    pub model_missile: String,
    pub facility: String,
    pub distance_km: f64,
    /// Null when the test's reconstruction is global.
    pub standard_range_km: Option<f64>,
    /// The reconstructed range toward the place's bearing on the rotating
    /// Earth, from the test's facility (null when global).
    pub reach_toward_km: Option<f64>,
}

/// The longest reconstructed range of a year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearBest {
    pub year: String,
    /// Null when global (any point on Earth).
    pub longest_km: Option<f64>,
    pub test_date: String,
    pub missile: Option<String>,
    pub longest_so_far_km: Option<f64>,
}

/// The history document (the JSON contract of `flights --reach --format json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryDoc {
    pub firsts: Vec<First>,
    pub never_reached: Vec<Target>,
    pub by_year: Vec<YearBest>,
    pub method: String,
    pub sources: Vec<String>,
    pub tests_reconstructed: usize,
    pub tests_with_apogee_and_distance: usize,
    /// Tests with apogee and distance left out of the history, by reason
    /// (their class, or a fit that failed).
    pub left_out: std::collections::BTreeMap<String, usize>,
}

/// The countries of the listed cities that are U.S. allies (treaty allies and
/// the United States itself, Guam included).
const ALLIED: [&str; 4] = ["Japan", "South Korea", "United States", "Guam (US)"];

fn targets(cat: &Catalog, places: &Places) -> Vec<Place> {
    let mut t: Vec<Place> = cat
        .capitals
        .iter()
        .map(|c| Place {
            name: c.name.clone(),
            kind: if ALLIED.contains(&c.country.as_str()) {
                "city, allied"
            } else {
                "city, other"
            },
            country: c.country.clone(),
            lat: c.lat,
            lon: c.lon,
        })
        .collect();
    for s in &places.sites {
        if let (Some(lat), Some(lon)) = (s.lat, s.lon) {
            t.push(Place {
                name: s.name.clone(),
                kind: "U.S. site",
                country: s.country.clone(),
                lat,
                lon,
            });
        }
    }
    t
}

fn year_of(date: &str) -> Option<f64> {
    let mut parts = date.split('-');
    let y: f64 = parts.next()?.parse().ok()?;
    let m: f64 = parts.next().and_then(|m| m.parse().ok()).unwrap_or(6.0);
    let d: f64 = parts.next().and_then(|d| d.parse().ok()).unwrap_or(15.0);
    Some(y + (m - 1.0) / 12.0 + (d - 1.0) / 365.0)
}

/// The history document and its SVG chart.
pub fn history(
    cat: &Catalog,
    places: &Places,
    fits: &[(&TestLaunch, &TestFit)],
    left_out: &std::collections::BTreeMap<String, usize>,
) -> (HistoryDoc, String) {
    let mut fits: Vec<&(&TestLaunch, &TestFit)> = fits.iter().collect();
    fits.sort_by(|a, b| a.0.date.cmp(&b.0.date));
    // each test's footprint by bearing from its own facility (None: global, or
    // no facility on record)
    use rayon::prelude::*;
    let tables: Vec<Option<std::sync::Arc<Vec<f64>>>> = fits
        .par_iter()
        .map(|(test, fit)| {
            if fit.global {
                return None;
            }
            let f = test.facility.as_deref().and_then(|id| cat.facility(id))?;
            let full = crate::fits::cached_fit(cat, test).ok()?;
            crate::arsenal::cached_sweep(&crate::fits::test_key(test), &full, f.lat).ok()
        })
        .collect();
    let mut firsts = Vec::new();
    let mut never = Vec::new();
    for t in targets(cat, places) {
        let first = fits.iter().zip(&tables).find_map(|((test, fit), table)| {
            let f = test.facility.as_deref().and_then(|id| cat.facility(id))?;
            let (d, az) = geodesy::inverse(f.lat, f.lon, t.lat, t.lon);
            let toward = if fit.global {
                None
            } else {
                Some(match table {
                    Some(v) => reach::RangeModel::ByAzimuth(v.to_vec()).at(az),
                    None => fit.range_km,
                })
            };
            toward
                .is_none_or(|r| r >= d)
                .then_some((test, fit, f, d, toward))
        });
        match first {
            Some((test, fit, f, d, toward)) => firsts.push(First {
                target: t.name,
                kind: t.kind,
                country: t.country,
                first_date: test.date.clone(),
                missile: test.missile.clone(),
                model_missile: fit.model_missile.clone(),
                facility: f.id.clone(),
                distance_km: round(d, 1),
                standard_range_km: (!fit.global).then(|| round(fit.range_km, 1)),
                reach_toward_km: toward.map(|r| round(r, 1)),
            }),
            None => never.push(Target {
                target: t.name,
                kind: t.kind,
                country: t.country,
            }),
        }
    }
    firsts.sort_by(|a, b| a.first_date.cmp(&b.first_date));
    let mut by_year: Vec<YearBest> = Vec::new();
    let mut years: Vec<&str> = fits
        .iter()
        .map(|(t, _)| t.date.get(..4).unwrap_or(t.date.as_str()))
        .collect();
    years.dedup();
    let mut best_so_far = 0.0f64;
    for y in years {
        let Some((t, f)) = fits
            .iter()
            .filter(|(t, _)| t.date.starts_with(y))
            .max_by(|a, b| a.1.range_km.total_cmp(&b.1.range_km))
            .map(|(t, f)| (*t, *f))
        else {
            continue;
        };
        best_so_far = best_so_far.max(f.range_km);
        by_year.push(YearBest {
            year: y.to_string(),
            longest_km: (!f.global).then(|| round(f.range_km, 1)),
            test_date: t.date.clone(),
            missile: t.missile.clone(),
            longest_so_far_km: (best_so_far < flight::GLOBAL_RANGE_KM - 0.5)
                .then(|| round(best_so_far, 1)),
        });
    }
    let doc = HistoryDoc {
        firsts,
        never_reached: never,
        by_year,
        method: "for each place, the first test whose reconstructed reach covers it: the test refitted, then flown toward every bearing on the rotating Earth from that test's own facility, and compared with the WGS84 distance and bearing to the place. A date the test record shows the capability, not when the place came into range; tests without a facility on record are left out".into(),
        sources: [catalog::CNS_CITATION, "data/capitals.csv", "data/military_sites.csv"]
            .map(String::from)
            .to_vec(),
        tests_reconstructed: 0,
        tests_with_apogee_and_distance: 0,
        left_out: Default::default(),
    };
    (doc, chart(cat, &fits, left_out))
}

fn chart(
    cat: &Catalog,
    fits: &[&(&TestLaunch, &TestFit)],
    left_out: &std::collections::BTreeMap<String, usize>,
) -> String {
    let (w, h) = (1000.0, 634.0);
    let (l, r, t, b) = (70.0, 180.0, 50.0, 78.0);
    let (x0, x1) = (1984.0, 2026.0);
    let (y0, y1) = (100f64.log10(), 20_100f64.log10());
    let x = |yr: f64| l + (yr - x0) / (x1 - x0) * (w - l - r);
    let y = |km: f64| h - b - (km.max(100.0).log10() - y0) / (y1 - y0) * (h - t - b);
    let color = |class: &str| match class {
        "SRBM" => "#2171b5",
        "MRBM" => "#238b45",
        "IRBM" => "#d7301f",
        "ICBM" => "#6a51a3",
        _ => "#525252",
    };
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="Helvetica, Arial, sans-serif"><rect width="{w}" height="{h}" fill="#fff"/><text x="{l}" y="30" font-size="17" font-weight="bold">Reconstructed standard range of North Korean missile tests</text>"##
    );
    // axes and grid
    for km in [100.0, 300.0, 1_000.0, 3_000.0, 10_000.0, 20_000.0] {
        let _ = write!(
            s,
            r##"<line x1="{l}" x2="{:.1}" y1="{yy:.1}" y2="{yy:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end">{}</text>"##,
            w - r,
            l - 6.0,
            y(km) + 4.0,
            if km >= 20_000.0 {
                "global".to_string()
            } else if km >= 1000.0 {
                format!("{:.0},000 km", km / 1000.0)
            } else {
                format!("{km:.0} km")
            },
            yy = y(km)
        );
    }
    let mut yr = 1985.0;
    while yr <= 2025.0 {
        let _ = write!(
            s,
            r##"<line x1="{xx:.1}" x2="{xx:.1}" y1="{t}" y2="{:.1}" stroke="#eee"/><text x="{xx:.1}" y="{:.1}" font-size="11" text-anchor="middle">{yr:.0}</text>"##,
            h - b,
            h - b + 18.0,
            xx = x(yr)
        );
        yr += 5.0;
    }
    // reference distances from Pyongyang
    if let Some(p) = cat.facility("pyongyang") {
        for (name, lat, lon) in [
            ("Tokyo", 35.6895, 139.6917),
            ("Guam", 13.48, 144.79),
            ("Honolulu", 21.3069, -157.8583),
            ("Washington", 38.9047, -77.0164),
        ] {
            let (d, _) = geodesy::inverse(p.lat, p.lon, lat, lon);
            let _ = write!(
                s,
                r##"<line x1="{l}" x2="{:.1}" y1="{yy:.1}" y2="{yy:.1}" stroke="#b2182b" stroke-dasharray="5,4"/><text x="{:.1}" y="{:.1}" font-size="11" fill="#b2182b">{} {:.0} km</text>"##,
                w - r,
                w - r + 6.0,
                y(d) + 4.0,
                escape(name),
                d,
                yy = y(d)
            );
        }
    }
    for (test, fit) in fits {
        let Some(yr) = year_of(&test.date) else {
            continue;
        };
        let class = cat
            .missile(&fit.model_missile)
            .map(|m| m.class.as_str())
            .unwrap_or("other");
        let _ = write!(
            s,
            r##"<circle cx="{:.1}" cy="{:.1}" r="4" fill="{}" fill-opacity="0.75" stroke="#222" stroke-width="0.5"><title>{}</title></circle>"##,
            x(yr),
            y(fit.range_km),
            color(class),
            escape(&format!(
                "{} {}: {:.0} km",
                test.date,
                test.missile.as_deref().unwrap_or("?"),
                fit.range_km
            ))
        );
    }
    // legend in the empty lower left of the plot
    let (lx, ly) = (l + 14.0, h - b - 92.0);
    let _ = write!(
        s,
        r##"<rect x="{:.1}" y="{:.1}" width="170" height="84" fill="#fff" stroke="#ccc"/>"##,
        lx - 8.0,
        ly - 14.0
    );
    for (i, c) in catalog::MissileClass::ALL
        .iter()
        .map(|c| c.as_str())
        .enumerate()
    {
        let yy = ly + i as f64 * 18.0;
        let _ = write!(
            s,
            r##"<circle cx="{:.1}" cy="{yy:.1}" r="5" fill="{}"/><text x="{:.1}" y="{:.1}" font-size="12">{c} (model rocket)</text>"##,
            lx + 4.0,
            color(c),
            lx + 14.0,
            yy + 4.0
        );
    }
    let _ = write!(
        s,
        r##"<text x="{l}" y="{:.1}" font-size="10" fill="#555">Each point: a ballistic test (lofted or near-standard) refitted by allylens (non-rotating standard range; top line = global: any point on Earth). Dashed: distances from Pyongyang (WGS84).</text><text x="{l}" y="{:.1}" font-size="10" fill="#555">Left out: {}.</text><text x="{l}" y="{:.1}" font-size="10" fill="#555">Source: {}.</text></svg>"##,
        h - 34.0,
        h - 21.0,
        escape(&if left_out.is_empty() {
            "none".to_string()
        } else {
            left_out
                .iter()
                .map(|(k, v)| format!("{v} {k}"))
                .collect::<Vec<_>>()
                .join(", ")
        }),
        h - 8.0,
        escape(catalog::CNS_CITATION)
    );
    s.push('\n');
    s
}

impl HistoryDoc {
    /// The history as a text or Markdown table.
    pub fn text(&self, md: bool) -> String {
        let mut s = String::new();
        let place = |f: &First| format!("{} ({})", f.target, f.kind);
        let wide = self
            .firsts
            .iter()
            .map(|f| place(f).chars().count())
            .max()
            .unwrap_or(10)
            .max(10);
        let row = |c: &[String]| {
            if md {
                format!("| {} |\n", c.join(" | "))
            } else {
                format!(
                    "{:<12} {:<wide$} {:<14} {:>11} {:>9}  {}\n",
                    c[0], c[1], c[2], c[3], c[4], c[5]
                )
            }
        };
        s += if md {
            "# The first test whose reconstructed reach covers each city and U.S. site\n\n"
        } else {
            "The first test whose reconstructed reach covers each city and U.S. site\n\n"
        };
        s += &row(&[
            "first test",
            "place",
            "country",
            "distance km",
            "reach km",
            "test (missile, facility)",
        ]
        .map(String::from));
        if md {
            s += "|---|---|---|---|---|---|\n";
        }
        for f in &self.firsts {
            s += &row(&[
                f.first_date.clone(),
                place(f),
                f.country.clone(),
                format!("{:.0}", f.distance_km),
                f.reach_toward_km
                    .map_or("global".to_string(), |k| format!("{k:.0}")),
                format!("{}, {}", f.missile.as_deref().unwrap_or("?"), f.facility),
            ]);
        }
        let never: Vec<&str> = self
            .never_reached
            .iter()
            .map(|t| t.target.as_str())
            .collect();
        if !never.is_empty() {
            s += &format!(
                "\nNot reached by any reconstructed test: {}.\n",
                never.join(", ")
            );
        }
        s += "\nLongest reconstructed range by year:\n";
        let km = |x: Option<f64>| x.map_or("global".to_string(), |k| format!("{k:.0} km"));
        for y in &self.by_year {
            s += &format!(
                "  {}: {:>9} ({} {}); longest so far {}\n",
                y.year,
                km(y.longest_km),
                y.test_date,
                y.missile.as_deref().unwrap_or("?"),
                km(y.longest_so_far_km)
            );
        }
        if !self.left_out.is_empty() {
            let l: Vec<String> = self
                .left_out
                .iter()
                .map(|(k, v)| format!("{v} {k}"))
                .collect();
            s += &format!(
                "\nLeft out ({} of {} tests with apogee and distance): {}.\n",
                self.left_out.values().sum::<usize>(),
                self.tests_with_apogee_and_distance,
                l.join(", ")
            );
        }
        s += &format!("\nMethod: {}.\n", self.method);
        s
    }
}
