//! End-to-end tests of the range basis, the reach probability and the
//! arsenal as of a date (`--basis`, `--samples`, `--as-of`, `--test`).

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn allylens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_allylens"))
        .args(args)
        .output()
        .expect("runs the binary")
}

fn doc(args: &[&str], format: &str) -> Value {
    let mut a = args.to_vec();
    a.extend(["--format", format]);
    let out = allylens(&a);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn fails_with_2(args: &[&str], needle: &str) {
    let out = allylens(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(err.contains(needle), "{args:?}: {err}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
}

fn example(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/deals")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// Great-circle distance (km) and initial bearing (degrees) on the sphere.
fn leg(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> (f64, f64) {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dl = (lon2 - lon1).to_radians();
    let c = (p1.sin() * p2.sin() + p1.cos() * p2.cos() * dl.cos()).clamp(-1.0, 1.0);
    let y = dl.sin() * p2.cos();
    let x = p1.cos() * p2.sin() - p1.sin() * p2.cos() * dl.cos();
    (6371.0 * c.acos(), y.atan2(x).to_degrees().rem_euclid(360.0))
}

#[test]
fn a_demonstrated_footprint_reaches_farther_east_than_west_and_names_its_test() {
    let args = [
        "reach",
        "--basis",
        "demonstrated",
        "--missile",
        "hwasong-14",
        "--from",
        "mupyong-ni",
    ];
    let g = doc(&args, "geojson");
    let features = g["features"].as_array().expect("features");
    let launch = features
        .iter()
        .find(|f| f["properties"]["kind"] == "launch")
        .expect("launch point");
    let (lon0, lat0) = (
        launch["geometry"]["coordinates"][0].as_f64().expect("lon"),
        launch["geometry"]["coordinates"][1].as_f64().expect("lat"),
    );
    let fp = features
        .iter()
        .find(|f| f["properties"]["kind"] == "footprint")
        .expect("a footprint");
    assert_eq!(fp["properties"]["basis"], "demonstrated");
    assert_eq!(fp["properties"]["test"], "2017-07-28");
    // the farthest vertex within 3 degrees of due east and of due west
    let mut east: f64 = 0.0;
    let mut west: f64 = 0.0;
    let polys: Vec<&Value> = match fp["geometry"]["type"].as_str() {
        Some("MultiPolygon") => fp["geometry"]["coordinates"]
            .as_array()
            .expect("polygons")
            .iter()
            .collect(),
        _ => vec![&fp["geometry"]["coordinates"]],
    };
    for poly in polys {
        for ring in poly.as_array().expect("rings") {
            for p in ring.as_array().expect("points") {
                let (lon, lat) = (p[0].as_f64().expect("x"), p[1].as_f64().expect("y"));
                let (d, b) = leg(lat0, lon0, lat, lon);
                if (b - 90.0).abs() < 3.0 {
                    east = east.max(d);
                }
                if (b - 270.0).abs() < 3.0 {
                    west = west.max(d);
                }
            }
        }
    }
    assert!(west > 5_000.0, "west {west}");
    assert!(
        east > west * 1.2,
        "the Earth's turn carries it east: east {east:.0} km, west {west:.0} km"
    );
    let j = doc(&args, "json");
    let m = &j["missiles"][0];
    assert_eq!(j["basis"], "demonstrated");
    assert_eq!(m["range_basis"]["basis"], "demonstrated");
    assert_eq!(m["range_basis"]["test"]["date"], "2017-07-28");
    assert!(m["range_source"]
        .as_str()
        .is_some_and(|s| s.contains("2017-07-28")));
    assert!(m["range_min_km"].as_f64() < m["range_km"].as_f64());
}

#[test]
fn a_missile_without_a_test_to_reconstruct_keeps_its_catalogue_range_and_says_why() {
    let j = doc(
        &[
            "reach",
            "--basis",
            "demonstrated",
            "--missile",
            "nodong,kn-02",
        ],
        "json",
    );
    for m in j["missiles"].as_array().expect("missiles") {
        assert_eq!(m["range_basis"]["basis"], "catalogue", "{m}");
        assert!(m["range_basis"]["fallback"].as_str().is_some(), "{m}");
    }
}

#[test]
fn a_named_test_gives_that_tests_reach() {
    let first = doc(
        &[
            "reach",
            "--basis",
            "demonstrated",
            "--missile",
            "hwasong-14",
            "--from",
            "panghyon",
            "--test",
            "2017-07-04",
        ],
        "json",
    );
    let best = doc(
        &[
            "reach",
            "--basis",
            "demonstrated",
            "--missile",
            "hwasong-14",
            "--from",
            "panghyon",
        ],
        "json",
    );
    assert_eq!(
        first["missiles"][0]["range_basis"]["test"]["date"],
        "2017-07-04"
    );
    let (a, b) = (
        first["missiles"][0]["range_km"].as_f64().expect("km"),
        best["missiles"][0]["range_km"].as_f64().expect("km"),
    );
    assert!(a + 2_000.0 < b, "first test {a} km, best {b} km");
}

#[test]
fn reach_probability_is_between_zero_and_one_at_the_edge_and_one_inside() {
    let j = doc(
        &[
            "reach",
            "--basis",
            "demonstrated",
            "--samples",
            "200",
            "--missile",
            "hwasong-14",
            "--from",
            "mupyong-ni",
        ],
        "json",
    );
    let cities = j["cities"].as_array().expect("cities");
    let p = |c: &Value| c["p_in_reach"].as_f64().expect("p_in_reach with samples");
    // well inside: Tokyo, Seoul, Beijing
    for name in ["Tokyo", "Seoul", "Beijing"] {
        let c = cities.iter().find(|c| c["name"] == name).expect("in reach");
        assert_eq!(p(c), 1.0, "{name}");
    }
    // near the edge (within 150 km of it): strictly between 0 and 1
    let edge: Vec<&Value> = cities
        .iter()
        .filter(|c| c["margin_km"].as_f64().is_some_and(|m| m.abs() < 150.0))
        .collect();
    assert!(edge.len() > 10, "{}", edge.len());
    let between = edge.iter().filter(|c| p(c) > 0.0 && p(c) < 1.0).count();
    assert!(
        between * 10 >= edge.len() * 9,
        "{between} of {}",
        edge.len()
    );
    // places beyond the nominal footprint that some draws reach
    let pr = &j["probability"];
    assert!(pr["edge_cities_total"].as_u64() > Some(0));
    let e = &pr["edge_cities"][0];
    assert!(e["p_in_reach"].as_f64().is_some_and(|x| x > 0.0 && x < 1.0));
    // countries: P5 <= P50 <= P95; the mean is at least 95 % of P5 (95 % of
    // the draws reach at least the P5 population)
    for c in pr["countries"].as_array().expect("countries") {
        let v = |k: &str| c[k].as_u64().expect("population") as f64;
        assert!(v("p5") <= v("p50") && v("p50") <= v("p95"), "{c}");
        assert!(0.95 * v("p5") <= v("expected") + 1.0, "{c}");
    }
    let d = &j["missiles"][0]["draws"];
    assert!(d["scale_p5"].as_f64() < d["scale_p95"].as_f64());
}

#[test]
fn the_arsenal_as_of_a_date_leaves_out_what_had_not_flown() {
    let j = doc(&["reach", "--as-of", "1994-10-21"], "json");
    let ids: Vec<&str> = j["missiles"]
        .as_array()
        .expect("missiles")
        .iter()
        .filter_map(|m| m["id"].as_str())
        .collect();
    assert!(
        ids.contains(&"nodong") && !ids.contains(&"hwasong-15"),
        "{ids:?}"
    );
    let x = j["excluded"]
        .as_array()
        .expect("excluded")
        .iter()
        .find(|x| x["missile"] == "hwasong-15")
        .expect("hwasong-15 left out");
    assert!(x["reason"]
        .as_str()
        .is_some_and(|r| r.contains("2017-11-28")));
}

#[test]
fn assess_takes_the_deals_date_by_default_and_today_on_request() {
    let deal = example("agreed-framework-1994.toml");
    let then = doc(&["assess", &deal], "json");
    let now = doc(&["assess", &deal, "--as-of", "today"], "json");
    assert_eq!(then["arsenal"]["as_of"], "1994-10-21");
    assert_eq!(then["arsenal"]["as_of_reason"], "the deal's date");
    assert!(now["arsenal"]["as_of"].is_null());
    let us = |d: &Value| {
        d["perspectives"]
            .as_array()
            .expect("perspectives")
            .iter()
            .find(|p| p["id"] == "us")
            .map(|p| p["residual_exposure"]["population"].as_u64())
    };
    assert_eq!(us(&then), Some(Some(0)), "nothing reached the U.S. in 1994");
    assert!(us(&now) > Some(Some(100_000_000)));
    // every format says which arsenal
    let out = allylens(&["assess", &deal, "--format", "text"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("as of the deal's date, 1994-10-21"), "{text}");
}

#[test]
fn the_basis_can_change_a_verdict() {
    let deal = example("after-first-icbm-2017.toml");
    let verdict = |basis: &str| {
        let d = doc(&["assess", &deal, "--basis", basis], "json");
        d["perspectives"]
            .as_array()
            .expect("perspectives")
            .iter()
            .find(|p| p["id"] == "us")
            .map(|p| p["verdict"].clone())
    };
    assert_eq!(verdict("catalogue"), Some(Value::from("red-line-crossed")));
    assert_eq!(verdict("demonstrated"), Some(Value::from("satisfied")));
}

#[test]
fn compare_splits_the_texts_from_the_threat() {
    let c = doc(
        &[
            "compare",
            &example("agreed-framework-1994.toml"),
            &example("singapore-2018.toml"),
        ],
        "json",
    );
    let t = &c["threat"];
    assert_eq!(t["a_as_of"], "1994-10-21");
    assert_eq!(t["b_as_of"], "2018-06-12");
    let added: Vec<&str> = t["missiles_added"]
        .as_array()
        .expect("added")
        .iter()
        .filter_map(|m| m.as_str())
        .collect();
    assert!(added.contains(&"hwasong-15"), "{added:?}");
    let us = t["perspectives"]
        .as_array()
        .expect("perspectives")
        .iter()
        .find(|p| p["id"] == "us")
        .expect("us")
        .clone();
    // the texts alone change nothing for the U.S.; the threat does
    assert_eq!(us["texts"]["from"], us["texts"]["to"]);
    assert!(us["threat"]["to"].as_u64() > us["threat"]["from"].as_u64());
}

#[test]
fn bad_arsenal_input_is_a_one_line_error() {
    fails_with_2(
        &["reach", "--missile", "hwasong-14", "--samples", "10"],
        "--basis demonstrated",
    );
    fails_with_2(&["reach", "--as-of", "June 2018"], "not a date");
    fails_with_2(
        &[
            "reach",
            "--basis",
            "demonstrated",
            "--missile",
            "hwasong-14",
            "--test",
            "2017-08-01",
        ],
        "2017-07-04",
    );
    fails_with_2(
        &["reach", "--basis", "demonstrated", "--test", "2017-07-04"],
        "MISSILE=DATE",
    );
    fails_with_2(
        &[
            "reach",
            "--missile",
            "hwasong-14",
            "--test",
            "hwasong-14=2017-07-04",
        ],
        "--basis demonstrated",
    );
}
