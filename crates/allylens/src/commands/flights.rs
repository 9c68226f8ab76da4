//! `allylens flights`: the bundled CNS test database, and a reconstruction of
//! every test that reports both apogee and distance.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context;
use catalog::{Catalog, TestLaunch};
use flight::{best_range, fit, GeoPoint, Observables, TestGeometry};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde_json::{json, Value};

use super::reconstruct::missile_model;
use crate::cli::{FlightsArgs, Format};
use crate::output::{emit, emit_json, round};

/// A progress bar on stderr when it is a terminal; none otherwise (CI, pipes).
pub fn progress_bar(len: u64, label: &str) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() || len < 2 {
        return None;
    }
    let bar = ProgressBar::new(len);
    let style = ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} ({eta} left)")
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(label.to_string());
    Some(bar)
}

/// What reconstructing one bundled test gives.
#[derive(Debug, Clone, PartialEq)]
pub struct TestFit {
    /// The catalogue missile whose rocket was flown.
    pub model_missile: String,
    /// Non-rotating standard range, km.
    pub range_km: f64,
    pub dv_scale: f64,
}

/// Reconstructs one test: the non-rotating standard range and the fitted delta-v scale.
pub fn reconstruct_test(cat: &Catalog, t: &TestLaunch) -> Result<TestFit, String> {
    let (Some(ap), Some(d)) = (t.apogee_km, t.distance_km) else {
        return Err("no apogee and distance reported".into());
    };
    let mid = t.missile.as_deref().ok_or("missile unknown")?;
    let m = cat
        .catalog_id_for_test(mid)
        .ok_or_else(|| format!("no catalogue missile stands for '{mid}'"))?;
    let (model, _) = missile_model(cat, m, false, false).map_err(|e| e.to_string())?;
    let obs = Observables {
        apogee_km: ap,
        range_km: d,
        flight_time_s: None,
    };
    let site = t.facility.as_deref().and_then(|f| cat.facility(f));
    let geom = match site {
        Some(f) => TestGeometry {
            site: GeoPoint {
                lat_deg: f.lat,
                lon_deg: f.lon,
            },
            bearing_deg: t.bearing_deg.unwrap_or(90.0),
            rotating: true,
        },
        None => TestGeometry {
            site: GeoPoint {
                lat_deg: 0.0,
                lon_deg: 0.0,
            },
            bearing_deg: 90.0,
            rotating: false,
        },
    };
    let f = fit(&model, &obs, &geom, None).map_err(|e| e.to_string())?;
    let b = best_range(
        &model,
        &model.rocket,
        f.tuning,
        geom.site,
        90.0,
        false,
        None,
    )
    .map_err(|e| e.to_string())?;
    Ok(TestFit {
        model_missile: m.id.clone(),
        range_km: b.range_km,
        dv_scale: f.tuning.dv_scale,
    })
}

pub fn run(a: &FlightsArgs) -> anyhow::Result<()> {
    let cat = Catalog::bundled()?;
    if a.facilities {
        return facilities(cat, a.format);
    }
    let tests: Vec<(usize, &TestLaunch)> = cat
        .tests
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            a.missile
                .as_deref()
                .is_none_or(|m| t.missile.as_deref() == Some(m))
        })
        .filter(|(_, t)| a.year.is_none_or(|y| t.date.starts_with(&y.to_string())))
        .collect();
    let todo: Vec<&(usize, &TestLaunch)> = tests
        .iter()
        .filter(|(_, t)| !a.no_reconstruct && t.apogee_km.is_some() && t.distance_km.is_some())
        .collect();
    let bar = progress_bar(todo.len() as u64, "fitting");
    let done = AtomicU64::new(0);
    let results: Vec<(usize, Result<TestFit, String>)> = todo
        .par_iter()
        .map(|(i, t)| {
            let r = reconstruct_test(cat, t);
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if let Some(b) = &bar {
                b.set_position(n);
            }
            (*i, r)
        })
        .collect();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let rows: Vec<Value> = tests
        .iter()
        .map(|(i, t)| {
            let rec = results.iter().find(|(j, _)| j == i).map(|(_, r)| r);
            let mut row = json!({
                "date": t.date, "time_utc": t.time_utc, "series": t.series, "missile": t.missile,
                "facility": t.facility, "apogee_km": t.apogee_km, "distance_km": t.distance_km,
                "bearing_deg": t.bearing_deg, "outcome": t.outcome, "glide_vehicle": t.glide_vehicle,
            });
            match rec {
                Some(Ok(fit)) => {
                    row["reconstruction"] = json!({"status": "ok", "model_missile": fit.model_missile,
                        "standard_range_km": round(fit.range_km, 1), "dv_scale": round(fit.dv_scale, 4)});
                }
                Some(Err(e)) => row["reconstruction"] = json!({"status": "failed", "reason": e}),
                None => row["reconstruction"] = Value::Null,
            }
            row
        })
        .collect();
    let ok = results.iter().filter(|(_, r)| r.is_ok()).count();
    if a.reach {
        let places = reach::Places::bundled()?;
        let fits: Vec<(&TestLaunch, &TestFit)> = results
            .iter()
            .filter_map(|(i, r)| r.as_ref().ok().map(|f| (&cat.tests[*i], f)))
            .collect();
        let (mut doc, svg) = super::history::history(cat, places, &fits);
        doc["tests_reconstructed"] = json!(ok);
        doc["tests_with_apogee_and_distance"] = json!(todo.len());
        if let Some(path) = &a.chart {
            std::fs::write(path, svg)
                .with_context(|| format!("--chart: cannot write {}", path.display()))?;
        }
        return match a.format {
            Format::Json => emit_json(&doc),
            Format::Md | Format::Text => emit(&history_table(&doc, a.format == Format::Md)),
        };
    }
    let doc = json!({
        "tests": rows,
        "summary": {"listed": tests.len(), "with_apogee_and_distance": todo.len(), "reconstructed": ok,
                    "failed": todo.len() - ok},
        "assumptions": "each test is fitted with the rocket of its catalogue missile (data/test_missile_aliases.csv, data/rockets.csv), on the rotating Earth from its facility along its bearing (90 deg where none is recorded), without a flight time; the standard range is the non-rotating range-maximising flight",
        "source": catalog::CNS_CITATION,
    });
    match a.format {
        Format::Json => emit_json(&doc),
        Format::Md | Format::Text => {
            let md = a.format == Format::Md;
            let mut s = String::new();
            if md {
                s += "| date | missile | facility | apogee km | distance km | standard range km |\n|---|---|---|---|---|---|\n";
            } else {
                s += &format!(
                    "{:<11} {:<22} {:<18} {:>9} {:>11} {:>18}\n",
                    "date", "missile", "facility", "apogee km", "distance km", "standard range km"
                );
            }
            for r in &rows {
                let f = |v: &Value| v.as_f64().map_or("-".to_string(), |x| format!("{x:.0}"));
                let range = match &r["reconstruction"] {
                    Value::Null => "-".to_string(),
                    v if v["status"] == "ok" => f(&v["standard_range_km"]),
                    _ => "fit failed".to_string(),
                };
                let cells = [
                    r["date"].as_str().unwrap_or("").to_string(),
                    r["missile"].as_str().unwrap_or("unknown").to_string(),
                    r["facility"].as_str().unwrap_or("unknown").to_string(),
                    f(&r["apogee_km"]),
                    f(&r["distance_km"]),
                    range,
                ];
                if md {
                    s += &format!("| {} |\n", cells.join(" | "));
                } else {
                    s += &format!(
                        "{:<11} {:<22} {:<18} {:>9} {:>11} {:>18}\n",
                        cells[0], cells[1], cells[2], cells[3], cells[4], cells[5]
                    );
                }
            }
            s += &format!(
                "\n{} tests listed; {} with apogee and distance, {} reconstructed.\nSource: {}\n",
                tests.len(),
                todo.len(),
                ok,
                catalog::CNS_CITATION
            );
            emit(&s)
        }
    }
}

fn facilities(cat: &Catalog, format: Format) -> anyhow::Result<()> {
    match format {
        Format::Json => {
            emit_json(&json!({"facilities": cat.facilities, "source": catalog::CNS_CITATION}))
        }
        _ => {
            let mut s = format!("{:<16} {:<42} {:>10} {:>11}\n", "id", "name", "lat", "lon");
            for f in &cat.facilities {
                s += &format!(
                    "{:<16} {:<42} {:>10.4} {:>11.4}\n",
                    f.id, f.name, f.lat, f.lon
                );
            }
            s += &format!("\nSource: {}\n", catalog::CNS_CITATION);
            emit(&s)
        }
    }
}

fn history_table(doc: &Value, md: bool) -> String {
    let mut s = String::new();
    let row = |c: &[String]| {
        if md {
            format!("| {} |\n", c.join(" | "))
        } else {
            format!(
                "{:<12} {:<44} {:<18} {:>10} {:>12}  {}\n",
                c[0], c[1], c[2], c[3], c[4], c[5]
            )
        }
    };
    s += if md {
        "# When allied cities and U.S. sites first fell inside reach\n\n"
    } else {
        "When allied cities and U.S. sites first fell inside reach\n\n"
    };
    s += &row(&[
        "first date",
        "target",
        "country",
        "distance km",
        "range km",
        "test (missile, facility)",
    ]
    .map(String::from));
    if md {
        s += "|---|---|---|---|---|---|\n";
    }
    for f in doc["firsts"].as_array().into_iter().flatten() {
        s += &row(&[
            f["first_date"].as_str().unwrap_or("").to_string(),
            f["target"].as_str().unwrap_or("").to_string(),
            f["country"].as_str().unwrap_or("").to_string(),
            format!("{:.0}", f["distance_km"].as_f64().unwrap_or(f64::NAN)),
            format!("{:.0}", f["standard_range_km"].as_f64().unwrap_or(f64::NAN)),
            format!(
                "{}, {}",
                f["missile"].as_str().unwrap_or("?"),
                f["facility"].as_str().unwrap_or("?")
            ),
        ]);
    }
    let never: Vec<&str> = doc["never_reached"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["target"].as_str())
        .collect();
    if !never.is_empty() {
        s += &format!(
            "\nNot reached by any reconstructed test: {}.\n",
            never.join(", ")
        );
    }
    s += "\nLongest reconstructed range by year:\n";
    for y in doc["by_year"].as_array().into_iter().flatten() {
        s += &format!(
            "  {}: {:>8.0} km ({} {}); longest so far {:.0} km\n",
            y["year"].as_str().unwrap_or(""),
            y["longest_km"].as_f64().unwrap_or(f64::NAN),
            y["test_date"].as_str().unwrap_or(""),
            y["missile"].as_str().unwrap_or("?"),
            y["longest_so_far_km"].as_f64().unwrap_or(f64::NAN)
        );
    }
    s += &format!("\nMethod: {}.\n", doc["method"].as_str().unwrap_or(""));
    s
}
