//! Validation as data: every case of `data/reference_flights.csv` with a
//! published expert figure is reconstructed with and without its reported
//! flight time, and with that time moved by 60 s either way, and checked
//! against the figure as the file says to read it (`about`: within 10 %;
//! `at-least`: no less than 90 % of it, or global; `band`: within 10 % of the
//! band). The `split` column says which cases a rocket assumption was set on
//! (`calibration`) and which were never tuned on (`holdout`).
//!
//! `cargo test -p report --test reference_flights -- --nocapture` prints the
//! side-by-side table the README quotes.

use catalog::{Catalog, FlightOptions, ReferenceFlight};
use flight::{best_range, fit, Aim, GeoPoint, Observables, TestGeometry};

/// The non-rotating standard range of a case, km, and whether it is global.
fn standard_range(cat: &Catalog, rf: &ReferenceFlight, time: Option<f64>) -> (f64, bool) {
    let id = rf
        .test
        .split(" (")
        .next()
        .unwrap_or(&rf.test)
        .to_ascii_lowercase();
    let m = cat
        .missile(&id)
        .unwrap_or_else(|| panic!("{}: no catalogue missile '{id}'", rf.test));
    let model = cat
        .missile_model(m, FlightOptions::default())
        .expect("a rocket")
        .model;
    let f = rf
        .facility
        .as_deref()
        .and_then(|f| cat.facility(f))
        .unwrap_or_else(|| panic!("{}: facility", rf.test));
    let site = GeoPoint {
        lat_deg: f.lat,
        lon_deg: f.lon,
    };
    let obs = Observables {
        apogee_km: rf.apogee_km.expect("apogee"),
        range_km: rf.ground_range_km.expect("range"),
        flight_time_s: time,
        flight_time_sigma_s: flight::DEFAULT_FLIGHT_TIME_SIGMA_S,
    };
    let geom = TestGeometry {
        site,
        bearing_deg: rf.bearing_deg.unwrap_or(90.0),
        rotating: true,
    };
    let fitted = fit(&model, &obs, &geom, None)
        .unwrap_or_else(|e| panic!("{} {} with time {time:?}: {e}", rf.test, rf.date));
    let b = best_range(
        &model,
        &Aim {
            rocket: &model.rocket,
            tuning: fitted.tuning,
            site,
            azimuth_deg: 90.0,
            rotating: false,
        },
        None,
    )
    .expect("a range");
    (b.range_km, b.global)
}

/// Whether a range agrees with the case's expert figure, as the file reads it.
fn agrees(rf: &ReferenceFlight, km: f64, global: bool) -> bool {
    let Some(e) = rf.expert_range_km else {
        return true;
    };
    match rf.expert_kind.as_deref() {
        Some("at-least") => global || km >= 0.9 * e,
        Some("band") => {
            let hi = rf.expert_high_km.unwrap_or(e);
            !global && km >= 0.9 * e && km <= 1.1 * hi
        }
        _ => !global && (km / e - 1.0).abs() <= 0.10,
    }
}

fn show(km: f64, global: bool) -> String {
    if global {
        "global".into()
    } else {
        format!("{km:.0}")
    }
}

#[test]
fn every_reference_case_agrees_with_its_expert_figure_with_and_without_its_time() {
    let cat = Catalog::bundled().expect("bundled");
    let cases: Vec<&ReferenceFlight> = cat
        .reference_flights
        .iter()
        .filter(|r| r.expert_range_km.is_some())
        .collect();
    assert!(cases.len() >= 7, "{} cases", cases.len());
    assert!(cases.iter().any(|r| r.split == "holdout"));
    println!("| test | split | expert | without time | with time | time -60 s | time +60 s |");
    println!("|---|---|---|---|---|---|---|");
    let mut failures = Vec::new();
    for rf in cases {
        let (r0, g0) = standard_range(cat, rf, None);
        let timed = rf.flight_time_s.map(|t| {
            (
                standard_range(cat, rf, Some(t)),
                standard_range(cat, rf, Some(t - 60.0)),
                standard_range(cat, rf, Some(t + 60.0)),
            )
        });
        let expert = match (
            rf.expert_kind.as_deref(),
            rf.expert_range_km,
            rf.expert_high_km,
        ) {
            (Some("at-least"), Some(e), _) => format!("over {e:.0}"),
            (Some("band"), Some(e), Some(h)) => format!("{e:.0}-{h:.0}"),
            (_, Some(e), _) => format!("about {e:.0}"),
            _ => "-".into(),
        };
        let cell = |x: Option<(f64, bool)>| x.map_or("-".to_string(), |(k, g)| show(k, g));
        println!(
            "| {} {} | {} | {expert} | {} | {} | {} | {} |",
            rf.test,
            rf.date,
            rf.split,
            show(r0, g0),
            cell(timed.map(|t| t.0)),
            cell(timed.map(|t| t.1)),
            cell(timed.map(|t| t.2)),
        );
        if !agrees(rf, r0, g0) {
            failures.push(format!(
                "{} {}: {} without time vs {expert}",
                rf.test,
                rf.date,
                show(r0, g0)
            ));
        }
        if let Some(((r1, g1), (lo, glo), (hi, ghi))) = timed {
            if !agrees(rf, r1, g1) {
                failures.push(format!(
                    "{} {}: {} with time vs {expert}",
                    rf.test,
                    rf.date,
                    show(r1, g1)
                ));
            }
            // the reported time moves the range only within its uncertainty
            for (r, g) in [(lo, glo), (hi, ghi)] {
                if !(g && g1) && (g != g1 || (r / r1 - 1.0).abs() >= 0.10) {
                    failures.push(format!(
                        "{} {}: 60 s of flight time moves the range from {} to {}",
                        rf.test,
                        rf.date,
                        show(r1, g1),
                        show(r, g)
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
