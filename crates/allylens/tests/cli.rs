//! End-to-end tests of the `allylens` binary: the command contracts, the
//! calibration cases (with golden JSON), and bad input.
//!
//! Regenerate the golden files after a reviewed change with
//! `UPDATE_GOLDEN=1 cargo test -p allylens --test cli`.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn allylens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_allylens"))
        .args(args)
        .output()
        .expect("runs the binary")
}

fn json(args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    let out = allylens(&a);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

/// Numbers equal to 1e-6 relative; everything else exactly.
fn same(a: &Value, b: &Value, path: &str) -> Result<(), String> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            if (x - y).abs() <= 1e-6 * x.abs().max(y.abs()).max(1.0) {
                Ok(())
            } else {
                Err(format!("{path}: {x} != {y}"))
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .try_for_each(|(i, (p, q))| same(p, q, &format!("{path}[{i}]"))),
        (Value::Object(x), Value::Object(y)) if x.len() == y.len() => {
            x.iter().try_for_each(|(k, v)| {
                y.get(k)
                    .ok_or(format!("{path}.{k} missing"))
                    .and_then(|w| same(v, w, &format!("{path}.{k}")))
            })
        }
        _ if a == b => Ok(()),
        _ => Err(format!("{path}: {a} != {b}")),
    }
}

fn golden(name: &str, got: &Value) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.json"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(
            &path,
            serde_json::to_string_pretty(got).expect("serialises") + "\n",
        )
        .expect("writes golden");
        return;
    }
    let want: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("golden file exists"))
            .expect("golden JSON");
    if let Err(e) = same(got, &want, name) {
        panic!(
            "output differs from {}: {e}\n(rerun with UPDATE_GOLDEN=1 after review)",
            path.display()
        );
    }
}

const H15: &[&str] = &[
    "reconstruct",
    "--apogee-km",
    "4475",
    "--range-km",
    "950",
    "--flight-time-s",
    "3180",
    "--from",
    "pyongsong",
    "--bearing",
    "76",
    "--missile",
    "hwasong-15",
];
const H12: &[&str] = &[
    "reconstruct",
    "--apogee-km",
    "2111.5",
    "--range-km",
    "787",
    "--from",
    "north-kusong",
    "--bearing",
    "71",
    "--missile",
    "hwasong-12",
    "--toward",
    "13.48,144.79",
];

#[test]
fn hwasong_15_of_november_2017() {
    let r = json(H15);
    // published: more than 13,000 km on a standard trajectory, rotation excluded (UCS, ROK MND)
    let nr = r["standard_range_km"]["non_rotating"]
        .as_f64()
        .expect("number");
    assert!((nr / 13_000.0 - 1.0).abs() <= 0.10, "non-rotating {nr}");
    for (k, want) in [
        ("apogee_km", 4475.0),
        ("ground_range_km", 950.0),
        ("flight_time_s", 3180.0),
    ] {
        let got = r["fit"][k].as_f64().expect("number");
        assert!((got / want - 1.0).abs() < 0.02, "fit {k} {got}");
    }
    assert_eq!(r["range_by_azimuth_km"].as_array().map(Vec::len), Some(360));
    for k in [
        "speed_km_s",
        "flight_path_angle_deg",
        "altitude_km",
        "time_s",
    ] {
        assert!(r["burnout"][k].is_number(), "burnout.{k}");
    }
    assert!(r["assumptions"].as_array().is_some_and(|a| a.len() >= 6));
    golden("hwasong-15-2017-11-28", &r);
}

#[test]
fn hwasong_12_of_may_2017_reaches_guam() {
    let r = json(H12);
    let nr = r["standard_range_km"]["non_rotating"]
        .as_f64()
        .expect("number");
    assert!((4_000.0..=5_000.0).contains(&nr), "non-rotating {nr}");
    let t = &r["toward"];
    let d = t["distance_km"].as_f64().expect("distance");
    // North Kusong to Guam (13.48 N, 144.79 E), WGS84 geodesic by the Python
    // GeographicLib (an independent implementation): 3,513.14 km, azimuth 141.47
    assert!((d - 3_513.14).abs() < 0.1, "distance {d}");
    assert!((t["azimuth_deg"].as_f64().expect("azimuth") - 141.475).abs() < 0.01);
    assert_eq!(t["reaches"], Value::Bool(true));
    assert!(t["range_km"].as_f64().expect("range") > d);
    golden("hwasong-12-2017-05-14", &r);
}

#[test]
fn rotation_adds_range_east_and_removes_it_west() {
    let r = json(H12);
    let az = r["range_by_azimuth_km"].as_array().expect("azimuths");
    let nr = r["standard_range_km"]["non_rotating"]
        .as_f64()
        .expect("number");
    let east = az[90].as_f64().expect("east");
    let west = az[270].as_f64().expect("west");
    assert!(
        east > nr && west < nr,
        "east {east}, still {nr}, west {west}"
    );
    assert_eq!(
        r["standard_range_km"]["max"].as_f64(),
        az.iter().filter_map(Value::as_f64).reduce(f64::max)
    );
}

#[test]
fn payload_trade_falls_with_weight() {
    let r = json(&[H12, &["--payload-kg", "1300"]].concat());
    let trade = r["payload_trade"].as_array().expect("trade");
    let ranges: Vec<f64> = trade
        .iter()
        .take(5)
        .filter_map(|p| p["non_rotating_km"].as_f64())
        .collect();
    assert_eq!(ranges.len(), 5);
    assert!(ranges.windows(2).all(|w| w[0] >= w[1]), "{ranges:?}");
    assert_eq!(
        trade.last().and_then(|p| p["payload_kg"].as_f64()),
        Some(1300.0)
    );
}

#[test]
fn samples_give_percentiles_and_repeat_with_the_seed() {
    let args = [H12, &["--samples", "40", "--seed", "3"]].concat();
    let a = json(&args);
    let b = json(&args);
    assert_eq!(a["uncertainty"], b["uncertainty"]);
    let u = &a["uncertainty"]["non_rotating_km"];
    let (p5, p50, p95) = (u["p5"].as_f64(), u["p50"].as_f64(), u["p95"].as_f64());
    assert!(p5 <= p50 && p50 <= p95, "{u}");
    assert!(a["uncertainty"]["reaches_probability"].is_number());
}

#[test]
fn without_a_launch_point_the_fit_is_on_a_still_earth() {
    let r = json(&[
        "reconstruct",
        "--apogee-km",
        "2111.5",
        "--range-km",
        "787",
        "--missile",
        "hwasong-12",
    ]);
    assert!(r.get("range_by_azimuth_km").is_none());
    assert!(r["standard_range_km"]["min"].is_null());
    let nr = r["standard_range_km"]["non_rotating"]
        .as_f64()
        .expect("number");
    assert!((4_000.0..=5_000.0).contains(&nr), "{nr}");
}

#[test]
fn missing_missile_is_guessed_and_said() {
    let r = json(&["reconstruct", "--apogee-km", "2111.5", "--range-km", "787"]);
    assert_eq!(r["missile"]["id"], "hwasong-12");
    let src = r["assumptions"][0]["source"].as_str().expect("source");
    assert!(
        src.contains("no missile named") && src.contains("IRBM class"),
        "{src}"
    );
}

fn fails_with_2(args: &[&str], needle: &str) {
    let out = allylens(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(needle), "{args:?}: {err}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn bad_input_is_a_one_line_error_with_exit_code_2() {
    let base = ["reconstruct", "--range-km", "900", "--apogee-km"];
    fails_with_2(&[&base[..], &["-5"]].concat(), "--apogee-km");
    fails_with_2(&[&base[..], &["NaN"]].concat(), "--apogee-km");
    fails_with_2(&[&base[..], &["abc"]].concat(), "'abc'");
    fails_with_2(
        &["reconstruct", "--apogee-km", "10", "--range-km", "5000"],
        "--apogee-km 10",
    );
    fails_with_2(
        &["reconstruct", "--apogee-km", "1000", "--range-km", "-1"],
        "--range-km",
    );
    fails_with_2(
        &[
            "reconstruct",
            "--apogee-km",
            "1000",
            "--range-km",
            "900",
            "--from",
            "atlantis",
        ],
        "'atlantis'",
    );
    fails_with_2(
        &[
            "reconstruct",
            "--apogee-km",
            "1000",
            "--range-km",
            "900",
            "--missile",
            "scud-z",
        ],
        "'scud-z'",
    );
    fails_with_2(
        &[
            "reconstruct",
            "--apogee-km",
            "1000",
            "--range-km",
            "900",
            "--from",
            "91,0",
        ],
        "latitude 91",
    );
    fails_with_2(
        &[
            "reconstruct",
            "--apogee-km",
            "1000",
            "--range-km",
            "900",
            "--toward",
            "10,10",
        ],
        "--toward",
    );
    fails_with_2(
        &[
            "reconstruct",
            "--apogee-km",
            "1000",
            "--range-km",
            "900",
            "--bearing",
            "400",
        ],
        "--bearing",
    );
    fails_with_2(&["reconstruct", "--apogee-km", "1000"], "--range-km");
}

#[test]
fn help_teaches_with_an_example() {
    let out = allylens(&["reconstruct", "--help"]);
    assert!(out.status.success());
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("--apogee-km") && s.contains("Example"));
}

#[test]
fn flights_lists_the_database() {
    let r = json(&["flights", "--missile", "hwasong-12", "--year", "2017"]);
    let tests = r["tests"].as_array().expect("tests");
    assert!(tests.len() >= 5, "{}", tests.len());
    let may = tests
        .iter()
        .find(|t| t["date"] == "2017-05-14")
        .expect("14 May 2017");
    assert_eq!(may["reconstruction"]["status"], "ok");
    let range = may["reconstruction"]["standard_range_km"]
        .as_f64()
        .expect("range");
    assert!((4_000.0..=5_000.0).contains(&range), "{range}");
    let f = json(&["flights", "--facilities"]);
    assert_eq!(f["facilities"].as_array().map(Vec::len), Some(55));
}

// ---- reach ----

fn names(r: &Value) -> Vec<String> {
    r["cities"]
        .as_array()
        .expect("cities")
        .iter()
        .filter_map(|c| c["name"].as_str().map(str::to_lowercase))
        .collect()
}

fn site<'a>(r: &'a Value, needle: &str) -> Option<&'a Value> {
    r["military_sites"]
        .as_array()
        .expect("sites")
        .iter()
        .find(|s| s["name"].as_str().is_some_and(|n| n.contains(needle)))
}

#[test]
fn hwasong_12_from_pyongyang_reaches_japan_and_guam_not_hawaii_or_alaska() {
    let r = json(&["reach", "--missile", "hwasong-12", "--from", "pyongyang"]);
    let n = names(&r);
    assert!(n.contains(&"tokyo".to_string()));
    assert!(!n.contains(&"honolulu".to_string()) && !n.contains(&"anchorage".to_string()));
    // GeographicLib (Python): Pyongyang airport to Guam 3,413.2 km at 13.48 N, 144.79 E
    let guam = site(&r, "Andersen").expect("Andersen in reach");
    assert!((guam["distance_km"].as_f64().expect("km") - 3_411.0).abs() < 10.0);
    for s in r["military_sites"].as_array().expect("sites") {
        assert!(s["distance_km"].as_f64().expect("km") <= 5_000.0);
    }
    let out: Vec<&str> = r["military_sites_out_of_reach"]
        .as_array()
        .expect("out")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert!(
        out.iter().any(|s| s.contains("Pearl Harbor"))
            && out.iter().any(|s| s.contains("Elmendorf"))
    );
    let jp = r["countries"]
        .as_array()
        .expect("countries")
        .iter()
        .find(|c| c["iso2"] == "JP")
        .expect("Japan");
    assert_eq!(
        jp["population_in_reach"], jp["population_total"],
        "all of Japan"
    );
    assert_eq!(jp["us_personnel_in_reach"].as_u64(), Some(50_000));
    // every U.S. base in Japan and Guam
    let in_reach = r["military_sites"].as_array().expect("sites").len();
    assert_eq!(in_reach, 17, "12 in Japan, 3 in Korea, 2 on Guam");
    let launch = &r["launch"];
    assert_eq!(launch["id"], "pyongyang");
    assert!(r["missiles"][0]["range_km"].as_f64() == Some(5_000.0));
    assert!(r["totals"]["us_personnel"].as_u64() >= Some(78_500));
}

#[test]
fn nodong_reaches_korea_and_western_japan_but_not_okinawa_or_guam() {
    let r = json(&["reach", "--missile", "nodong", "--from", "pyongyang"]);
    let n = names(&r);
    for city in ["seoul", "osaka", "fukuoka", "iwakuni", "sasebo"] {
        assert!(n.contains(&city.to_string()), "{city}");
    }
    assert!(!n.contains(&"naha".to_string()));
    assert!(site(&r, "Kadena").is_none() && site(&r, "Andersen").is_none());
    assert!(site(&r, "Sasebo").is_some() && site(&r, "Iwakuni").is_some());
    // Tokyo is 1,298.6 km from Pyongyang airport (GeographicLib): inside 1,300 km by 1.4 km
    let tokyo = r["cities"]
        .as_array()
        .expect("cities")
        .iter()
        .find(|c| c["name"] == "Tokyo")
        .expect("Tokyo");
    assert!((tokyo["distance_km"].as_f64().expect("km") - 1_298.6).abs() < 0.2);
    // from Wonsan on the east coast, Tokyo is well inside (1,146 km)
    let w = json(&["reach", "--missile", "nodong", "--from", "wonsan"]);
    let t = w["cities"]
        .as_array()
        .expect("cities")
        .iter()
        .find(|c| c["name"] == "Tokyo")
        .expect("Tokyo");
    assert!((t["distance_km"].as_f64().expect("km") - 1_146.4).abs() < 0.2);
    // the low estimate (1,000 km) no longer reaches Tokyo from Pyongyang
    let low = json(&[
        "reach",
        "--missile",
        "nodong",
        "--from",
        "pyongyang",
        "--range-estimate",
        "low",
    ]);
    assert!(!names(&low).contains(&"tokyo".to_string()));
}

#[test]
fn an_icbm_only_deal_leaves_japan_exposed() {
    let r = json(&["reach", "--minus", "ICBM", "--limit", "10"]);
    assert!(r["missiles"]
        .as_array()
        .expect("missiles")
        .iter()
        .all(|m| m["class"] != "ICBM"));
    let jp = r["countries"]
        .as_array()
        .expect("countries")
        .iter()
        .find(|c| c["iso2"] == "JP")
        .expect("Japan");
    assert_eq!(jp["population_in_reach"], jp["population_total"]);
    assert_eq!(jp["us_personnel_in_reach"].as_u64(), Some(50_000));
    assert!(
        r["minus"]["before"]["population"].as_u64() > r["minus"]["after"]["population"].as_u64()
    );
    assert_eq!(r["cities_listed"].as_u64(), Some(10));
}

#[test]
fn geojson_and_svg_are_well_formed() {
    let out = allylens(&[
        "reach",
        "--missile",
        "hwasong-15",
        "--from",
        "pyongyang",
        "--format",
        "geojson",
    ]);
    assert!(out.status.success());
    let g: Value = serde_json::from_slice(&out.stdout).expect("GeoJSON");
    assert_eq!(g["type"], "FeatureCollection");
    let fp = g["features"]
        .as_array()
        .expect("features")
        .iter()
        .find(|f| f["properties"]["kind"] == "footprint")
        .expect("footprint");
    for poly in fp["geometry"]["coordinates"].as_array().expect("coords") {
        let ring = if fp["geometry"]["type"] == "Polygon" {
            poly
        } else {
            &poly[0]
        };
        let pts = ring.as_array().expect("ring");
        assert_eq!(pts.first(), pts.last());
    }
    let out = allylens(&[
        "reach",
        "--missile",
        "nodong",
        "--from",
        "wonsan",
        "--format",
        "svg",
    ]);
    assert!(out.status.success());
    let svg = String::from_utf8_lossy(&out.stdout);
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains("Tokyo") && svg.contains("Nodong"));
}

#[test]
fn reach_rejects_bad_input_with_exit_code_2() {
    fails_with_2(&["reach", "--missile", "taepodong-9"], "'taepodong-9'");
    fails_with_2(
        &["reach", "--missile", "nodong", "--from", "mordor"],
        "'mordor'",
    );
    fails_with_2(
        &["reach", "--missile", "nodong", "--from", "12,200"],
        "longitude 200",
    );
    fails_with_2(&["reach", "--classes", "XRBM"], "'XRBM'");
    fails_with_2(&["reach", "--range-km", "900"], "--range-km");
}

#[test]
fn reach_history_dates_the_firsts() {
    let dir = std::env::temp_dir().join(format!("allylens-chart-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let chart = dir.join("chart.svg");
    let chart_arg = chart.to_string_lossy().to_string();
    let r = json(&[
        "flights",
        "--reach",
        "--missile",
        "hwasong-14",
        "--chart",
        &chart_arg,
    ]);
    let first = |name: &str| {
        r["firsts"]
            .as_array()
            .expect("firsts")
            .iter()
            .find(|f| f["target"] == name)
            .map(|f| f["first_date"].clone())
    };
    assert_eq!(first("Anchorage"), Some(Value::from("2017-07-04")));
    // Honolulu lies 7,430 km east-southeast of Panghyon: beyond the first test's
    // non-rotating standard range (6,825 km), within its reach on the rotating Earth
    assert_eq!(first("Honolulu"), Some(Value::from("2017-07-04")));
    let honolulu = r["firsts"]
        .as_array()
        .expect("firsts")
        .iter()
        .find(|f| f["target"] == "Honolulu")
        .expect("listed")
        .clone();
    let (d, standard, toward) = (
        honolulu["distance_km"].as_f64().expect("km"),
        honolulu["standard_range_km"].as_f64().expect("km"),
        honolulu["reach_toward_km"].as_f64().expect("km"),
    );
    assert!(standard < d && d <= toward, "{honolulu}");
    assert_eq!(honolulu["kind"], "city, allied");
    let never: Vec<&str> = r["never_reached"]
        .as_array()
        .expect("never")
        .iter()
        .filter_map(|t| t["target"].as_str())
        .collect();
    assert!(never.contains(&"Washington, D.C."), "{never:?}");
    let svg = std::fs::read_to_string(&chart).expect("chart written");
    assert!(svg.starts_with("<svg") && svg.contains("Honolulu"));
    let _ = std::fs::remove_dir_all(&dir);
}

// ---- assess ----

fn examples() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/deals");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("examples/deals")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    v.sort();
    v
}

fn golden_text(name: &str, got: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/deals")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, got).expect("writes golden");
        return;
    }
    let want = std::fs::read_to_string(&path).expect("golden file exists");
    assert!(
        want == got,
        "{} differs (rerun with UPDATE_GOLDEN=1 after review)",
        path.display()
    );
}

#[test]
fn every_example_deal_matches_its_golden_reports() {
    let deals = examples();
    assert_eq!(deals.len(), 9, "six agreements and three hypotheticals");
    for d in deals {
        let stem = d
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("name")
            .to_string();
        let path = d.to_string_lossy().to_string();
        let out = allylens(&["assess", &path, "--format", "md"]);
        assert!(
            out.status.success(),
            "{stem}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        golden_text(&format!("{stem}.md"), &String::from_utf8_lossy(&out.stdout));
        let j = json(&["assess", &path]);
        golden(&format!("deals/{stem}"), &j);
    }
}

fn statuses(r: &Value, who: &str) -> std::collections::BTreeMap<String, String> {
    r["perspectives"]
        .as_array()
        .expect("perspectives")
        .iter()
        .find(|p| p["id"] == who)
        .expect("stakeholder")["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap_or("").to_string(),
                c["status"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn example(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/deals")
        .join(name)
        .to_string_lossy()
        .to_string()
}

#[test]
fn icbm_only_satisfies_washington_and_crosses_tokyo() {
    let r = json(&["assess", &example("icbm-only.toml")]);
    assert_eq!(statuses(&r, "us")["missile-coverage"], "met");
    assert_eq!(statuses(&r, "jp")["missile-coverage"], "crossed");
    assert!(r["divergence"]
        .as_array()
        .expect("divergence")
        .iter()
        .any(|d| d["check"] == "missile-coverage"));
    let jp = r["perspectives"]
        .as_array()
        .expect("p")
        .iter()
        .find(|p| p["id"] == "jp")
        .expect("jp");
    assert_eq!(
        jp["residual_exposure"]["population"].as_u64(),
        Some(126_529_100)
    );
    assert_eq!(
        jp["residual_exposure"]["us_personnel"].as_u64(),
        Some(50_000)
    );
    assert!(jp["residual_exposure"]["by_class"]["IRBM"].as_u64() > Some(0));
    assert_eq!(jp["verdict"], "red-line-crossed");
}

#[test]
fn singapore_crosses_japan_on_missiles_and_concessions() {
    let r = json(&["assess", &example("singapore-2018.toml")]);
    let jp = statuses(&r, "jp");
    assert_eq!(jp["missile-coverage"], "crossed");
    assert_eq!(jp["unconsulted-concessions"], "crossed");
    assert_eq!(jp["abductees"], "partial");
}

#[test]
fn comprehensive_deal_satisfies_every_ally_and_compare_shows_the_flip() {
    let r = json(&["assess", &example("comprehensive.toml")]);
    for p in r["perspectives"].as_array().expect("p") {
        assert_eq!(p["verdict"], "satisfied", "{}", p["id"]);
    }
    let c = json(&[
        "compare",
        &example("icbm-only.toml"),
        &example("comprehensive.toml"),
    ]);
    let jp = c["perspectives"]
        .as_array()
        .expect("p")
        .iter()
        .find(|p| p["id"] == "jp")
        .expect("jp");
    assert_eq!(jp["verdict"]["from"], "red-line-crossed");
    assert_eq!(jp["verdict"]["to"], "satisfied");
    assert_eq!(jp["residual_population"]["to"].as_u64(), Some(0));
}

fn bad_deal(name: &str, text: &str, needles: &[&str]) {
    let dir = std::env::temp_dir().join(format!("allylens-bad-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let f = dir.join(format!("{name}.toml"));
    std::fs::write(&f, text).expect("write");
    let out = allylens(&["assess", &f.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2), "{name}");
    let err = String::from_utf8_lossy(&out.stderr);
    for n in needles {
        assert!(err.contains(n), "{name}: '{n}' not in {err}");
    }
    assert!(
        err.contains(&format!("{name}.toml")),
        "{name}: names the file: {err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

const HEADER: &str =
    "[deal]\nname = \"x\"\ndate = \"2018-06-12\"\nparties = [\"us\", \"kp\"]\nsource = \"test\"\n";

#[test]
fn malformed_deals_name_file_line_and_field() {
    bad_deal(
        "unknown-key",
        &format!("{HEADER}colour = \"red\"\n"),
        &[":6:", "colour"],
    );
    bad_deal(
        "wrong-type",
        &format!("{HEADER}\n[sequencing]\nmode = \"phased\"\nreversible = \"maybe\"\n"),
        &[":9:", "reversible"],
    );
    bad_deal(
        "early-briefing",
        &format!("{HEADER}\n[[briefings]]\nbriefer = \"us\"\nbriefed = \"jp\"\ndate = \"2018-06-10\"\nlevel = \"minister\"\n"),
        &[":10:", "briefings[0].date", "before the summit"],
    );
    bad_deal(
        "unknown-stakeholder",
        &format!("{HEADER}\n[[concessions]]\nby = \"us\"\nkind = \"other\"\ndescription = \"d\"\naffects = [\"atlantis\"]\n"),
        &[":11:", "concessions[0].affects", "atlantis"],
    );
    bad_deal(
        "bad-date",
        "[deal]\nname = \"x\"\ndate = \"2018-13-40\"\nparties = [\"us\"]\nsource = \"t\"\n",
        &[":3:", "deal.date"],
    );
    bad_deal(
        "bad-class",
        &format!("{HEADER}\n[[weapons]]\ncovers = [\"XRBM\"]\naction = \"dismantle\"\n"),
        &[":8:", "weapons[0].covers", "XRBM"],
    );
    let out = allylens(&["assess", "/nonexistent/deal.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/deal.toml"));
}

#[test]
fn html_report_escapes_user_text_and_embeds_the_map() {
    let dir = std::env::temp_dir().join(format!("allylens-xss-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let f = dir.join("xss.toml");
    std::fs::write(&f, "[deal]\nname = \"<script>alert(1)</script>\"\ndate = \"2019-01-01\"\nparties = [\"us\", \"kp\"]\nsource = \"\\\"onload=alert(1)\"\n[[weapons]]\ncovers = [\"ICBM\"]\naction = \"dismantle\"\n").expect("write");
    let out = allylens(&["assess", &f.to_string_lossy(), "--format", "html"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("\"onload=alert(1)"));
    assert!(html.contains("<svg") && html.contains("</html>"));
    let _ = std::fs::remove_dir_all(&dir);
}

// ---- clauses ----

#[test]
fn clauses_reads_stdin_and_flags_japan() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_allylens"))
        .args(["clauses", "-", "--format", "json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawns");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"1. Talks among the South, the North and the United States will seek a peace treaty.\n")
        .expect("writes");
    let out = child.wait_with_output().expect("runs");
    assert!(out.status.success());
    let r: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let c = &r["clauses"][0];
    assert_eq!(c["participants"], serde_json::json!(["KR", "KP", "US"]));
    assert!(c["excluded_stakeholders"]
        .as_array()
        .expect("list")
        .iter()
        .any(|x| x == "jp"));
}

#[test]
fn clauses_rejects_non_utf8_and_drafts_a_deal() {
    let dir = std::env::temp_dir().join(format!("allylens-clauses-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let bad = dir.join("latin1.txt");
    std::fs::write(&bad, b"Caf\xe9 talks").expect("write");
    let out = allylens(&["clauses", &bad.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not UTF-8"));
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, "").expect("write");
    let r = json(&["clauses", &empty.to_string_lossy()]);
    assert_eq!(r["clauses"].as_array().map(Vec::len), Some(0));
    // a drafted deal is a deal model `assess` reads
    let text = dir.join("decl.txt");
    std::fs::write(
        &text,
        "Declaration of 27 April 2018\n\n1. The North will freeze its intermediate-range missiles.\n\n2. The South and the North will reconnect railways.\n\n3. The South, the North and the United States will hold talks on a peace treaty.\n",
    )
    .expect("write");
    let draft = dir.join("draft.toml");
    let out = allylens(&[
        "clauses",
        &text.to_string_lossy(),
        "--draft-deal",
        &draft.to_string_lossy(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d = std::fs::read_to_string(&draft).expect("draft written");
    assert!(
        d.contains("date = \"2018-04-27\"")
            && d.contains("covers = [\"IRBM\"]")
            && d.contains("action = \"freeze\"")
    );
    assert!(d.contains("ANALYST"));
    let r = json(&["assess", &draft.to_string_lossy()]);
    assert_eq!(statuses(&r, "jp")["process-inclusion"], "crossed");
    let _ = std::fs::remove_dir_all(&dir);
}

// ---- serve: crash safety ----

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// One HTTP/1.1 request over a fresh connection; (status, body).
fn http(port: u16, method: &str, path: &str, body: &str) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .ok()?;
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    let status = out.split_whitespace().nth(1)?.parse().ok()?;
    let body = out
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Some((status, body))
}

fn start(port: u16, db: &std::path::Path) -> std::process::Child {
    let child = Command::new(env!("CARGO_BIN_EXE_allylens"))
        .args([
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--db",
            &db.to_string_lossy(),
        ])
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("server starts");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child
}

/// A writer of one round: creates scenarios, deletes some of them, and updates
/// the round's shared scenario with the revision it last saw (a 409 is an
/// update refused, not acknowledged). Returns what the server acknowledged:
/// the ids created (and not deleted), the ids deleted, and the revisions of
/// the shared scenario its updates were acknowledged at.
fn kill_writer(
    port: u16,
    round: u64,
    writer: usize,
    shared: String,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> (Vec<String>, Vec<String>, Vec<i64>) {
    let mut ids: Vec<String> = Vec::new();
    let mut deleted: Vec<String> = Vec::new();
    let mut revisions: Vec<i64> = Vec::new();
    let mut seen: i64 = 1;
    let mut i = 0;
    while !stop.load(std::sync::atomic::Ordering::Relaxed) && i < 2_000 {
        i += 1;
        if writer == 1 || i % 3 == 2 {
            let body = format!(
                r#"{{"title": "w{writer} update {i}", "deal": "[deal]", "revision": {seen}}}"#
            );
            match http(port, "PUT", &format!("/api/scenarios/{shared}"), &body) {
                Some((200, b)) => {
                    let v: Value = serde_json::from_str(&b).expect("JSON");
                    seen = v["revision"].as_i64().expect("revision");
                    revisions.push(seen);
                }
                Some((409, _)) => {
                    match http(port, "GET", &format!("/api/scenarios/{shared}"), "") {
                        Some((200, b)) => {
                            let v: Value = serde_json::from_str(&b).expect("JSON");
                            seen = v["revision"].as_i64().expect("revision");
                        }
                        _ => break,
                    }
                }
                _ => break,
            }
            continue;
        }
        if i % 5 == 4 && ids.len() > 1 {
            let id = ids.pop().expect("an id");
            match http(port, "DELETE", &format!("/api/scenarios/{id}"), "") {
                Some((204, _)) => deleted.push(id),
                _ => break,
            }
            continue;
        }
        let body =
            format!(r#"{{"title": "round {round} save {i}", "deal": "[deal]\nname = \"n{i}\""}}"#);
        match http(port, "POST", "/api/scenarios", &body) {
            Some((201, b)) => {
                let v: Value = serde_json::from_str(&b).expect("JSON");
                ids.push(v["id"].as_str().expect("id").to_string());
            }
            _ => break, // the server died mid-request: not acknowledged
        }
    }
    (ids, deleted, revisions)
}

#[test]
fn kill_9_during_a_burst_of_saves_loses_no_acknowledged_save() {
    let dir = std::env::temp_dir().join(format!("allylens-kill-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let db = dir.join("scenarios.db");
    let mut acked: Vec<String> = Vec::new();
    let mut deleted: Vec<String> = Vec::new();
    // (shared scenario, highest acknowledged revision) per round
    let mut shared_revisions: Vec<(String, i64)> = Vec::new();
    // rounds of SIGKILL; RELIABILITY.md runs this test 20 times in a row and once with 20 rounds
    let rounds: u64 = std::env::var("ALLYLENS_KILL_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    for round in 0..rounds {
        let port = free_port();
        let mut server = start(port, &db);
        let created = http(
            port,
            "POST",
            "/api/scenarios",
            &format!(r#"{{"title": "round {round} shared", "deal": "[deal]"}}"#),
        )
        .expect("the shared scenario");
        assert_eq!(created.0, 201);
        let v: Value = serde_json::from_str(&created.1).expect("JSON");
        let shared = v["id"].as_str().expect("id").to_string();
        acked.push(shared.clone());
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        // two writers at once: both update the shared scenario with revisions
        let writers: Vec<_> = (0..2)
            .map(|w| {
                let (stop, shared) = (stop.clone(), shared.clone());
                std::thread::spawn(move || kill_writer(port, round, w, shared, stop))
            })
            .collect();
        std::thread::sleep(std::time::Duration::from_millis(300 + 100 * round));
        server.kill().expect("SIGKILL"); // Child::kill sends SIGKILL on Unix
        let _ = server.wait();
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let mut top = 1;
        for w in writers {
            let (ids, gone, revs) = w.join().expect("writer");
            acked.extend(ids);
            deleted.extend(gone);
            top = revs.into_iter().fold(top, i64::max);
        }
        shared_revisions.push((shared, top));
    }
    let port = free_port();
    let mut server = start(port, &db);
    for id in &acked {
        let r = http(port, "GET", &format!("/api/scenarios/{id}"), "");
        assert_eq!(
            r.as_ref().map(|x| x.0),
            Some(200),
            "acknowledged save {id} lost"
        );
    }
    for id in &deleted {
        let r = http(port, "GET", &format!("/api/scenarios/{id}"), "");
        assert_eq!(
            r.as_ref().map(|x| x.0),
            Some(404),
            "acknowledged delete of {id} undone"
        );
    }
    let mut updates = 0;
    for (id, top) in &shared_revisions {
        let r = http(port, "GET", &format!("/api/scenarios/{id}"), "").expect("scenario");
        let v: Value = serde_json::from_str(&r.1).expect("JSON");
        let rev = v["revision"].as_i64().expect("revision");
        assert!(
            rev >= *top,
            "acknowledged revision {top} of {id} lost: at {rev}"
        );
        updates += (*top - 1) as usize;
    }
    eprintln!(
        "kill -9: {rounds} rounds, {} acknowledged saves, {} deletes and {updates} revisions of concurrent updates all found",
        acked.len(),
        deleted.len()
    );
    let health = http(port, "GET", "/api/health?check=full", "").expect("health");
    let v: Value = serde_json::from_str(&health.1).expect("JSON");
    assert_eq!(v["integrity"], "ok");
    server.kill().expect("stop");
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn removing_the_icbms_drops_us_personnel_and_guam_counts() {
    let r = json(&["reach", "--minus", "ICBM"]);
    let m = &r["minus"];
    let (before, after) = (
        m["before"]["us_personnel"].as_u64().expect("before"),
        m["after"]["us_personnel"].as_u64().expect("after"),
    );
    // Japan 50,000 + South Korea 28,500 + Guam 10,000 stay within the IRBMs' reach;
    // Hawaii and Alaska fall out with the ICBMs
    assert_eq!(after, 88_500, "{m}");
    assert!(before >= after + 47_410 + 24_449, "{before} -> {after}");
    let guam = r["countries"]
        .as_array()
        .expect("countries")
        .iter()
        .find(|c| c["iso2"] == "GU")
        .expect("Guam in reach of the Hwasong-12");
    assert_eq!(guam["us_personnel_in_reach"], 10_000);
    // the total before is a lower bound (Vandenberg has no sourced figure), and says so
    assert_eq!(m["before"]["us_personnel_lower_bound"], true);
    let out = allylens(&["reach", "--minus", "ICBM"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("U.S. personnel 88,500."), "{text}");
    assert!(text.contains("(a lower bound"), "{text}");
}
