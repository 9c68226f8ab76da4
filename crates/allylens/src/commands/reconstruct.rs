//! `allylens reconstruct`: from a test's observables to the missile's range.

use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context;
use catalog::{Catalog, Missile, MissileClass};
use flight::{
    percentile, reconstruct, sample, Drag, FlightError, GeoPoint, Model, Observables, PitchMode,
    Plan, SampleSettings, Spread, TestGeometry,
};
use geographiclib_rs::{Geodesic, InverseGeodesic};
use serde_json::{json, Value};

use crate::args::Site;
use crate::cli::{Format, ReconstructArgs};
use crate::output::{emit, emit_json, round};
use crate::usage;

/// Drag coefficient of the missile body in powered flight (assumed; typical of
/// slender bodies at supersonic speed).
pub const BODY_CD: f64 = 0.3;
/// Ballistic coefficient of the re-entry vehicle, kg/m^2 (assumed; a blunt
/// early-generation RV lies near 1,000-2,000, a slender modern one near 10,000).
pub const RV_BETA: f64 = 5_000.0;
pub const VERTICAL_S: f64 = 10.0;
pub const KICK_S: f64 = 10.0;
pub const BURN_SCALE_BOUNDS: (f64, f64) = (0.5, 2.0);

/// A launch point and what it is.
#[derive(Debug, Clone)]
pub struct ResolvedSite {
    pub id: Option<String>,
    pub name: String,
    pub point: GeoPoint,
    pub source: String,
}

/// Looks a `--from` value up in the catalogue.
pub fn resolve_site(cat: &Catalog, site: &Site, flag: &str) -> anyhow::Result<ResolvedSite> {
    match site {
        Site::Point(lat, lon) => Ok(ResolvedSite {
            id: None,
            name: format!("{lat:.4}, {lon:.4}"),
            point: GeoPoint {
                lat_deg: *lat,
                lon_deg: *lon,
            },
            source: "given on the command line".into(),
        }),
        Site::Facility(id) => {
            let f = cat.facility(id).ok_or_else(|| {
                let near: Vec<&str> = cat
                    .facilities
                    .iter()
                    .filter(|f| f.id.contains(id.as_str()) || id.contains(f.id.as_str()))
                    .map(|f| f.id.as_str())
                    .take(5)
                    .collect();
                let hint = if near.is_empty() {
                    "run `allylens flights --facilities` for the list".to_string()
                } else {
                    format!("did you mean {}?", near.join(", "))
                };
                usage(format!("{flag} '{id}': unknown launch facility ({hint})"))
            })?;
            Ok(ResolvedSite {
                id: Some(f.id.clone()),
                name: f.name.clone(),
                point: GeoPoint {
                    lat_deg: f.lat,
                    lon_deg: f.lon,
                },
                source: catalog::CNS_CITATION.into(),
            })
        }
    }
}

/// The model of a catalogue missile: its rocket and the flight assumptions.
pub fn missile_model(
    cat: &Catalog,
    m: &Missile,
    j2: bool,
    vacuum: bool,
) -> anyhow::Result<(Model, String)> {
    let r = cat
        .rocket_for(m)
        .with_context(|| format!("no rocket assumption for missile {}", m.id))?;
    let basis = if r.missile == m.id {
        format!("data/rockets.csv ({}): {}", r.missile, r.basis)
    } else {
        format!(
            "data/rockets.csv: no rocket for {}; the {} class rocket of {} stands in",
            m.id,
            m.class.as_str(),
            r.missile
        )
    };
    Ok((
        Model {
            rocket: r.rocket.clone(),
            fit_pitch: PitchMode::Programmed,
            range_pitch: PitchMode::GravityTurn,
            vertical_s: VERTICAL_S,
            kick_s: KICK_S,
            j2,
            drag: (!vacuum).then_some(Drag {
                cd: BODY_CD,
                rv_ballistic_kg_m2: RV_BETA,
            }),
            burn_scale_bounds: BURN_SCALE_BOUNDS,
        },
        basis,
    ))
}

fn missile_for<'c>(
    cat: &'c Catalog,
    id: Option<&str>,
    apogee_km: f64,
) -> anyhow::Result<(&'c Missile, Option<String>)> {
    match id {
        Some(id) => {
            let m = cat.missile(id).ok_or_else(|| {
                let ids: Vec<&str> = cat.missiles.iter().map(|m| m.id.as_str()).collect();
                usage(format!(
                    "--missile '{id}': unknown missile (known: {})",
                    ids.join(", ")
                ))
            })?;
            Ok((m, None))
        }
        None => {
            let class = match apogee_km {
                a if a > 2_500.0 => MissileClass::ICBM,
                a if a > 900.0 => MissileClass::IRBM,
                a if a > 250.0 => MissileClass::MRBM,
                _ => MissileClass::SRBM,
            };
            let m = cat.missile(class.representative()).with_context(|| {
                format!("no representative missile for class {}", class.as_str())
            })?;
            Ok((
                m,
                Some(format!(
                    "--missile not given: an apogee of {apogee_km} km suggests the {} class, whose rocket is the {}",
                    class.as_str(),
                    m.name
                )),
            ))
        }
    }
}

/// Maps library errors about input to usage errors naming the flag.
fn input_error(e: FlightError) -> anyhow::Error {
    match e {
        FlightError::InvalidObservable { field, value } => {
            let flag = match field {
                "apogee_km" => "--apogee-km",
                "range_km" => "--range-km",
                _ => "--flight-time-s",
            };
            usage(format!("{flag} {value}: not a valid value ({e})"))
        }
        FlightError::ApogeeTooLow { apogee_km, .. } => {
            usage(format!("--apogee-km {apogee_km}: {e}"))
        }
        other => anyhow::Error::new(other).context("reconstruction failed"),
    }
}

/// Geodesic distance (km) and initial azimuth (deg, 0..360) on WGS84.
pub fn geodesic(a: GeoPoint, b: GeoPoint) -> (f64, f64) {
    let (s12, azi1, _azi2, _a12): (f64, f64, f64, f64) =
        Geodesic::wgs84().inverse(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg);
    (s12 / 1000.0, azi1.rem_euclid(360.0))
}

/// The reconstruction as its JSON document (shared by the CLI and the HTTP API).
pub fn build(a: &ReconstructArgs) -> anyhow::Result<Value> {
    let cat = Catalog::bundled()?;
    let obs = Observables {
        apogee_km: a.apogee_km,
        range_km: a.range_km,
        flight_time_s: a.flight_time_s,
    };
    obs.validate().map_err(input_error)?;
    if let Some(b) = a.bearing {
        if b >= 360.0 {
            return Err(usage(format!("--bearing {b}: must be below 360 degrees")));
        }
    }
    let (missile, guessed) = missile_for(cat, a.missile.as_deref(), a.apogee_km)?;
    let site = match &a.from {
        Some(s) => Some(resolve_site(cat, s, "--from")?),
        None => None,
    };
    if a.toward.is_some() && site.is_none() {
        return Err(usage(
            "--toward needs --from: a distance and an azimuth need a launch point",
        ));
    }
    let (model, rocket_basis) = missile_model(cat, missile, a.j2, a.vacuum)?;
    let bearing = a.bearing.unwrap_or(90.0);
    let geom = match &site {
        Some(s) => TestGeometry {
            site: s.point,
            bearing_deg: bearing,
            rotating: true,
        },
        None => TestGeometry {
            site: GeoPoint {
                lat_deg: 0.0,
                lon_deg: 0.0,
            },
            bearing_deg: bearing,
            rotating: false,
        },
    };
    let toward = match (a.toward, &site) {
        (Some((lat, lon)), Some(s)) => {
            let target = GeoPoint {
                lat_deg: lat,
                lon_deg: lon,
            };
            let (d, az) = geodesic(s.point, target);
            Some((target, d, az))
        }
        _ => None,
    };
    let nominal = model.rocket.payload_kg;
    let mut payloads: Vec<f64> = [0.5, 0.75, 1.0, 1.5, 2.0]
        .iter()
        .map(|f| f * nominal)
        .collect();
    if let Some(p) = a.payload_kg {
        payloads.push(p);
    }
    let plan = Plan {
        sweep_site: site.as_ref().map(|s| s.point),
        toward_azimuth_deg: toward.map(|t| t.2),
        payloads_kg: payloads,
    };
    let rec = reconstruct(&model, &obs, &geom, &plan).map_err(input_error)?;

    let uncertainty = if a.samples > 0 {
        Some(run_samples(
            a,
            &model,
            &obs,
            &geom,
            &rec,
            toward.map(|t| (site.as_ref().map_or(geom.site, |s| s.point), t.2)),
        ))
    } else {
        None
    };

    let doc = document(
        a,
        missile,
        guessed.as_deref(),
        &rocket_basis,
        site.as_ref(),
        bearing,
        &model,
        &rec,
        toward,
        uncertainty,
    );
    Ok(doc)
}

pub fn run(a: &ReconstructArgs) -> anyhow::Result<()> {
    let doc = build(a)?;
    match a.format {
        Format::Json => emit_json(&doc),
        Format::Md => emit(&markdown(&doc)),
        Format::Text => emit(&text(&doc)),
    }
}

struct Uncertainty {
    samples: usize,
    failed: std::collections::BTreeMap<String, usize>,
    seed: u64,
    non_rotating: Vec<f64>,
    toward: Vec<f64>,
    spread: Spread,
}

fn run_samples(
    a: &ReconstructArgs,
    model: &Model,
    obs: &Observables,
    geom: &TestGeometry,
    rec: &flight::Reconstruction,
    toward: Option<(GeoPoint, f64)>,
) -> Uncertainty {
    let spread = Spread::default();
    let settings = SampleSettings {
        samples: a.samples,
        seed: a.seed,
        spread,
        toward,
    };
    let bar = crate::commands::flights::progress_bar(a.samples as u64, "sampling");
    let done = AtomicU64::new(0);
    let tick = || {
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(b) = &bar {
            if n.is_multiple_of(16) || n == a.samples as u64 {
                b.set_position(n);
            }
        }
    };
    let (draws, failed) = sample(
        model,
        obs,
        geom,
        &rec.fit,
        rec.standard.kick_deg,
        &settings,
        &tick,
    );
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Uncertainty {
        samples: a.samples,
        failed,
        seed: a.seed,
        non_rotating: draws.iter().map(|d| d.non_rotating_km).collect(),
        toward: draws.iter().filter_map(|d| d.toward_km).collect(),
        spread,
    }
}

fn pct(v: &[f64]) -> Value {
    if v.is_empty() {
        return Value::Null;
    }
    json!({
        "p5": percentile(v, 5.0).map(|x| round(x, 1)),
        "p50": percentile(v, 50.0).map(|x| round(x, 1)),
        "p95": percentile(v, 95.0).map(|x| round(x, 1)),
    })
}

fn assumption(name: &str, value: Value, source: &str) -> Value {
    json!({ "name": name, "value": value, "source": source })
}

#[allow(clippy::too_many_arguments)]
fn document(
    a: &ReconstructArgs,
    missile: &Missile,
    guessed: Option<&str>,
    rocket_basis: &str,
    site: Option<&ResolvedSite>,
    bearing: f64,
    model: &Model,
    rec: &flight::Reconstruction,
    toward: Option<(GeoPoint, f64, f64)>,
    unc: Option<Uncertainty>,
) -> Value {
    let f = &rec.fit;
    let fl = &f.flight;
    let burnout = |b: &flight::Burnout| {
        json!({
            "speed_km_s": round(b.speed_km_s, 4),
            "inertial_speed_km_s": round(b.inertial_speed_km_s, 4),
            "flight_path_angle_deg": round(b.flight_path_angle_deg, 3),
            "altitude_km": round(b.altitude_km, 2),
            "time_s": round(b.time_s, 2),
            "downrange_km": round(b.downrange_km, 2),
        })
    };
    let (min, max, min_az, max_az) = match &rec.by_azimuth {
        Some(v) => {
            let (imin, vmin) =
                v.iter().enumerate().fold(
                    (0, f64::INFINITY),
                    |acc, (i, &x)| if x < acc.1 { (i, x) } else { acc },
                );
            let (imax, vmax) = v
                .iter()
                .enumerate()
                .fold(
                    (0, f64::NEG_INFINITY),
                    |acc, (i, &x)| if x > acc.1 { (i, x) } else { acc },
                );
            (
                json!(round(vmin, 1)),
                json!(round(vmax, 1)),
                json!(imin),
                json!(imax),
            )
        }
        None => (Value::Null, Value::Null, Value::Null, Value::Null),
    };
    let mut assumptions = vec![
        assumption("missile", json!(missile.id), guessed.unwrap_or("given with --missile")),
        assumption("rocket", serde_json::to_value(&model.rocket).unwrap_or(Value::Null), rocket_basis),
        assumption(
            "earth",
            json!({"radius_km": flight::RADIUS / 1000.0, "mu_km3_s2": flight::MU / 1e9, "rotation_rad_s": flight::OMEGA, "j2": model.j2}),
            "spherical Earth of mean radius (IUGG); WGS84 GM and rotation rate; J2 only with --j2. Ground ranges are on the sphere; --toward distances on the WGS84 ellipsoid (they differ by under 0.5 %).",
        ),
        assumption(
            "atmosphere",
            match model.drag {
                Some(d) => json!({"model": "US Standard Atmosphere 1976", "body_cd": d.cd, "rv_ballistic_coefficient_kg_m2": d.rv_ballistic_kg_m2, "top_km": 120}),
                None => json!("vacuum (--vacuum)"),
            },
            "allylens assumptions: Cd 0.3 for a slender body at supersonic speed; an RV ballistic coefficient of 5,000 kg/m^2; drag neglected above 120 km",
        ),
        assumption(
            "pitch_programme",
            json!({"vertical_rise_s": model.vertical_s, "test_flight": "programmed pitch-over in the launch plane, angle at burnout fitted", "range_flights": "kick held for 10 s then gravity turn, kick chosen to maximise range"}),
            "allylens assumption: tests are flown by attitude programme, operational flights by gravity turn",
        ),
        assumption(
            "fitted",
            json!({"dv_scale": round(f.tuning.dv_scale, 5), "burn_scale": round(f.tuning.burn_scale, 5), "burn_scale_fitted": f.burn_scale_fitted, "test_pitch_deg": round(f.kick_deg, 4)}),
            if f.burn_scale_fitted {
                "fitted to apogee, range and flight time"
            } else {
                "fitted to apogee and range; burn times as assumed (no flight time given)"
            },
        ),
        assumption("bearing_deg", json!(bearing), if a.bearing.is_some() { "given with --bearing" } else { "--bearing not given: 90 (east) assumed" }),
    ];
    if let Some(s) = site {
        assumptions.push(assumption(
            "launch_point",
            json!({"id": s.id, "name": s.name, "lat": s.point.lat_deg, "lon": s.point.lon_deg}),
            &s.source,
        ));
    } else {
        assumptions.push(assumption("launch_point", Value::Null, "--from not given: the test is fitted on a non-rotating Earth and no azimuth sweep is made"));
    }
    let payload_trade: Vec<Value> = rec
        .payload_trade
        .iter()
        .map(
            |(p, r)| json!({"payload_kg": round(*p, 1), "non_rotating_km": r.map(|x| round(x, 1))}),
        )
        .collect();
    let mut doc = json!({
        "input": {
            "apogee_km": a.apogee_km, "range_km": a.range_km, "flight_time_s": a.flight_time_s,
            "from": site.map(|s| json!({"id": s.id, "name": s.name, "lat": s.point.lat_deg, "lon": s.point.lon_deg})),
            "bearing_deg": bearing, "payload_kg": a.payload_kg,
        },
        "missile": {"id": missile.id, "name": missile.name, "class": missile.class.as_str(),
                    "catalogue_range_km": [missile.range_km_low, missile.range_km_high], "catalogue_source": missile.source},
        "fit": {
            "apogee_km": round(fl.apogee_km, 3),
            "ground_range_km": round(fl.ground_range_km, 3),
            "flight_time_s": round(fl.flight_time_s, 2),
            "residual_pct": {"apogee": round(f.apogee_residual_pct, 5), "ground_range": round(f.range_residual_pct, 5),
                              "flight_time": f.flight_time_residual_pct.map(|x| round(x, 4))},
            "dv_scale": round(f.tuning.dv_scale, 5),
            "burn_scale": round(f.tuning.burn_scale, 5),
            "ideal_delta_v_km_s": round(model.rocket.ideal_delta_v(f.tuning) / 1000.0, 4),
            "pitch_deg": round(f.kick_deg, 4),
            "evaluations": f.evaluations,
        },
        "burnout": burnout(&fl.burnout),
        "standard_range_km": {
            "non_rotating": round(rec.standard.range_km, 1),
            "global_reach_km": round(flight::GLOBAL_RANGE_KM, 1),
            "min": min, "max": max, "min_azimuth_deg": min_az, "max_azimuth_deg": max_az,
        },
        "standard_burnout": rec.standard.flight.as_ref().map(|f| burnout(&f.burnout)),
        "standard_kick_deg": round(rec.standard.kick_deg, 3),
        "payload_trade": payload_trade,
        "assumptions": assumptions,
        "sources": [catalog::CNS_CITATION, "data/rockets.csv (allylens assumptions)", "data/missile_catalog.csv"],
    });
    if let Some(v) = &rec.by_azimuth {
        doc["range_by_azimuth_km"] = json!(v.iter().map(|x| round(*x, 1)).collect::<Vec<_>>());
    }
    if let (Some((target, d, az)), Some(b)) = (toward, &rec.toward) {
        doc["toward"] = json!({
            "lat": target.lat_deg, "lon": target.lon_deg,
            "azimuth_deg": round(az, 3), "distance_km": round(d, 1),
            "range_km": round(b.range_km, 1), "reaches": b.range_km >= d,
            "margin_km": round(b.range_km - d, 1),
        });
    }
    if let Some(u) = unc {
        let reach_p = toward.map(|(_, d, _)| {
            if u.toward.is_empty() {
                Value::Null
            } else {
                json!(round(
                    u.toward.iter().filter(|&&r| r >= d).count() as f64 / u.toward.len() as f64,
                    4
                ))
            }
        });
        doc["uncertainty"] = json!({
            "samples": u.samples, "failed": u.failed.values().sum::<usize>(), "failure_reasons": u.failed, "seed": u.seed,
            "non_rotating_km": pct(&u.non_rotating),
            "toward_km": pct(&u.toward),
            "reaches_probability": reach_p,
            "distributions": {
                "apogee": format!("normal, sigma {} % of the reported value", u.spread.apogee_rel_sigma * 100.0),
                "ground_range": format!("normal, sigma {} %", u.spread.range_rel_sigma * 100.0),
                "flight_time": format!("normal, sigma {} %", u.spread.flight_time_rel_sigma * 100.0),
                "vertical_rise_s": format!("uniform {}-{}", u.spread.vertical_s.0, u.spread.vertical_s.1),
                "burn_scale_without_flight_time": format!("uniform {}-{}", u.spread.burn_scale.0, u.spread.burn_scale.1),
            },
            "source": "reported figures differ between Japan, South Korea and North Korea by a few percent (data/README.md)",
        });
    }
    doc
}

fn num(v: &Value) -> String {
    match v.as_f64() {
        Some(x) if x.abs() >= 100.0 => format!("{x:.0}"),
        Some(x) => format!("{x:.2}"),
        None => "-".into(),
    }
}

fn lines(doc: &Value) -> Vec<(String, String)> {
    let mut rows = vec![
        (
            "missile".to_string(),
            format!(
                "{} ({})",
                doc["missile"]["name"].as_str().unwrap_or("?"),
                doc["missile"]["class"].as_str().unwrap_or("?")
            ),
        ),
        (
            "fit: apogee / range / time".into(),
            format!(
                "{} km / {} km / {} s",
                num(&doc["fit"]["apogee_km"]),
                num(&doc["fit"]["ground_range_km"]),
                num(&doc["fit"]["flight_time_s"])
            ),
        ),
        (
            "fit residuals (%)".into(),
            format!(
                "apogee {}, range {}, time {}",
                doc["fit"]["residual_pct"]["apogee"],
                doc["fit"]["residual_pct"]["ground_range"],
                doc["fit"]["residual_pct"]["flight_time"]
            ),
        ),
        (
            "fitted delta-v scale / burn scale".into(),
            format!(
                "{} / {} (ideal delta-v {} km/s)",
                doc["fit"]["dv_scale"], doc["fit"]["burn_scale"], doc["fit"]["ideal_delta_v_km_s"]
            ),
        ),
        (
            "test burnout".into(),
            format!(
                "{} km/s at {} deg, {} km, t = {} s",
                doc["burnout"]["speed_km_s"],
                doc["burnout"]["flight_path_angle_deg"],
                doc["burnout"]["altitude_km"],
                doc["burnout"]["time_s"]
            ),
        ),
        (
            "STANDARD RANGE, non-rotating".into(),
            format!("{} km", num(&doc["standard_range_km"]["non_rotating"])),
        ),
    ];
    if !doc["standard_range_km"]["min"].is_null() {
        rows.push((
            "rotating Earth, min / max".into(),
            format!(
                "{} km (toward {} deg) / {} km (toward {} deg)",
                num(&doc["standard_range_km"]["min"]),
                doc["standard_range_km"]["min_azimuth_deg"],
                num(&doc["standard_range_km"]["max"]),
                doc["standard_range_km"]["max_azimuth_deg"]
            ),
        ));
    }
    if let Some(t) = doc.get("toward") {
        rows.push((
            "toward target".into(),
            format!(
                "distance {} km at azimuth {} deg; range {} km: {}",
                num(&t["distance_km"]),
                num(&t["azimuth_deg"]),
                num(&t["range_km"]),
                if t["reaches"].as_bool() == Some(true) {
                    "REACHES"
                } else {
                    "does not reach"
                }
            ),
        ));
    }
    if let Some(arr) = doc["payload_trade"].as_array() {
        let s: Vec<String> = arr
            .iter()
            .map(|p| {
                format!(
                    "{} kg: {} km",
                    num(&p["payload_kg"]),
                    num(&p["non_rotating_km"])
                )
            })
            .collect();
        rows.push(("payload trade (non-rotating)".into(), s.join("; ")));
    }
    if let Some(u) = doc.get("uncertainty") {
        rows.push((
            "uncertainty (non-rotating)".into(),
            format!(
                "p5 {} / p50 {} / p95 {} km over {} draws ({} failed, seed {})",
                num(&u["non_rotating_km"]["p5"]),
                num(&u["non_rotating_km"]["p50"]),
                num(&u["non_rotating_km"]["p95"]),
                u["samples"],
                u["failed"],
                u["seed"]
            ),
        ));
    }
    rows
}

fn text(doc: &Value) -> String {
    let mut s = String::new();
    for (k, v) in lines(doc) {
        s += &format!("{k:<34} {v}\n");
    }
    s += "\nassumptions:\n";
    for a in doc["assumptions"].as_array().into_iter().flatten() {
        s += &format!(
            "  - {}: {}\n      ({})\n",
            a["name"].as_str().unwrap_or(""),
            a["value"],
            a["source"].as_str().unwrap_or("")
        );
    }
    s
}

fn markdown(doc: &Value) -> String {
    let mut s = String::from("# Range reconstruction\n\n| quantity | value |\n|---|---|\n");
    for (k, v) in lines(doc) {
        s += &format!("| {k} | {v} |\n");
    }
    s += "\n## Assumptions\n\n| assumption | value | source |\n|---|---|---|\n";
    for a in doc["assumptions"].as_array().into_iter().flatten() {
        s += &format!(
            "| {} | `{}` | {} |\n",
            a["name"].as_str().unwrap_or(""),
            a["value"].to_string().replace('|', "\\|"),
            a["source"].as_str().unwrap_or("").replace('|', "\\|")
        );
    }
    s
}
