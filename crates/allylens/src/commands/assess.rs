//! `allylens assess` and `allylens compare`: a deal seen by each ally.

use std::path::Path;

use anyhow::Context;
use catalog::Catalog;
use deal::{
    assess, parse_deal, parse_stakeholder, read, threat_table, Assessment, DealError, Stakeholder,
    Status,
};
use reach::{exposure, map, MissileReach, Places, RangeModel};
use serde_json::{json, Value};

use crate::cli::{AssessArgs, CompareArgs, Format, ReportFormat};
use crate::output::{emit, emit_json, thousands};
use crate::usage;

fn deal_error(e: DealError) -> anyhow::Error {
    usage(e.to_string())
}

/// The stakeholder profiles: a folder of TOML files, or the bundled ones.
pub fn stakeholders(dir: Option<&Path>) -> anyhow::Result<Vec<Stakeholder>> {
    let Some(dir) = dir else {
        return deal::bundled_stakeholders().map_err(deal_error);
    };
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| usage(format!("--stakeholders {}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(usage(format!(
            "--stakeholders {}: no *.toml profiles there",
            dir.display()
        )));
    }
    let mut out: Vec<Stakeholder> = Vec::new();
    for f in files {
        let text = read(&f).map_err(deal_error)?;
        let s = parse_stakeholder(&f.display().to_string(), &text).map_err(deal_error)?;
        if out.iter().any(|o| o.id == s.id) {
            return Err(usage(format!(
                "{}: stakeholder id '{}' appears twice",
                f.display(),
                s.id
            )));
        }
        out.push(s);
    }
    Ok(out)
}

/// Reads, validates and assesses one deal file.
pub fn assess_file(path: &Path, profiles: &[Stakeholder]) -> anyhow::Result<Assessment> {
    let text = read(path).map_err(deal_error)?;
    assess_text(&path.display().to_string(), &text, profiles)
}

/// Validates and assesses a deal given as TOML text (`name` appears in errors).
pub fn assess_text(name: &str, text: &str, profiles: &[Stakeholder]) -> anyhow::Result<Assessment> {
    let cat = Catalog::bundled()?;
    let places = Places::bundled()?;
    let known: Vec<String> = profiles.iter().map(|s| s.id.clone()).collect();
    let d = parse_deal(name, text, &known).map_err(deal_error)?;
    let mut territories: Vec<String> = profiles.iter().flat_map(|s| s.territory.clone()).collect();
    territories.sort();
    territories.dedup();
    let table = cached_threat_table(cat, places, territories);
    Ok(assess(&d, profiles, &table))
}

/// The threat table depends only on the bundled data and the territories in
/// question: it is built once per set of territories and kept (the server
/// assesses many deals against the same profiles).
fn cached_threat_table(
    cat: &Catalog,
    places: &Places,
    territories: Vec<String>,
) -> std::sync::Arc<deal::ThreatTable> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<Vec<String>, Arc<deal::ThreatTable>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    // The lock is held while a table is built, so that concurrent first
    // requests (a server just started under load) wait for one build instead
    // of each doing the same ~150 ms of work.
    match cache.lock() {
        Ok(mut c) => c
            .entry(territories)
            .or_insert_with_key(|t| Arc::new(threat_table(cat, places, t)))
            .clone(),
        Err(_) => Arc::new(threat_table(cat, places, &territories)),
    }
}

/// The JSON document of an assessment (the stable contract).
pub fn assessment_json(a: &Assessment) -> Value {
    json!({
        "deal": {"name": a.deal.name, "date": a.deal.date, "parties": a.deal.parties, "source": a.deal.source,
                 "hypothetical": a.deal.hypothetical, "model": a.deal},
        "perspectives": a.perspectives.iter().map(|p| json!({
            "id": p.id, "name": p.name, "verdict": p.verdict,
            "checks": p.checks.iter().map(|c| json!({"id": c.id, "status": c.status, "red_line": c.red_line,
                "evidence": c.evidence, "fields": c.fields, "why": c.why})).collect::<Vec<_>>(),
            "residual_exposure": p.residual_exposure,
        })).collect::<Vec<_>>(),
        "divergence": a.divergence,
        "missiles": {"eliminated": a.eliminated, "left_in_place": a.left_in_place},
        "assumptions": [
            {"name": "missile ranges", "value": "catalogue high estimates, constant in azimuth", "source": "data/missile_catalog.csv"},
            {"name": "launch points", "value": "every bundled launch facility", "source": catalog::CNS_CITATION},
            {"name": "residual exposure", "value": "population (GeoNames national figure times the share of listed places in reach) and hosted U.S. personnel (sourced country figure when every located U.S. site is in reach) within reach of the missiles the written text does not eliminate", "source": format!("{}; {}; data/us_personnel_totals.csv", reach::GEONAMES_CITATION, reach::COUNTRIES_CITATION)},
            {"name": "eliminated", "value": "dismantled in the written text, or above a written range cap; freezes, moratoria and oral commitments leave missiles in place (a check then reads partial)", "source": "allylens rule"},
            {"name": "US-CONUS", "value": "U.S. places within 24.4-49.4 N, 124.8-66.9 W (the contiguous states)", "source": "allylens rule"},
            {"name": "arsenal", "value": "today's catalogue, whatever the deal's date: the question is what the deal would leave in place now", "source": "data/missile_catalog.csv"},
        ],
    })
}

fn mark(s: Status) -> &'static str {
    match s {
        Status::Met => "met",
        Status::Partial => "PARTIAL",
        Status::Crossed => "CROSSED",
        Status::Unknown => "unknown",
    }
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
        .replace('\n', " ")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The Markdown report.
pub fn markdown(a: &Assessment) -> String {
    let d = &a.deal;
    let mut s = format!("# {}\n\n", md_escape(&d.name));
    s += &format!(
        "{} · parties: {} · source: {}{}\n\n",
        d.date,
        d.parties.join(", "),
        md_escape(&d.source),
        if d.hypothetical {
            " · **hypothetical**"
        } else {
            ""
        }
    );
    s += "| ally | verdict | residual population in reach | residual U.S. personnel in reach | missiles left that reach it |\n|---|---|---|---|---|\n";
    for p in &a.perspectives {
        s += &format!(
            "| {} | **{}** | {} | {} | {} |\n",
            md_escape(&p.name),
            p.verdict,
            thousands(p.residual_exposure.population),
            thousands(p.residual_exposure.us_personnel),
            if p.residual_exposure.missiles.is_empty() {
                "none".to_string()
            } else {
                p.residual_exposure.missiles.join(", ")
            }
        );
    }
    if !a.divergence.is_empty() {
        s += "\n## Where the allies diverge\n\n| check | statuses |\n|---|---|\n";
        for dv in &a.divergence {
            let st: Vec<String> = dv
                .statuses
                .iter()
                .map(|(k, v)| format!("{k}: {}", v.as_str()))
                .collect();
            s += &format!("| {} | {} |\n", dv.check, st.join(", "));
        }
    }
    for p in &a.perspectives {
        s += &format!("\n## {} ({}): {}\n\n| check | status | red line | evidence | deal fields |\n|---|---|---|---|---|\n", md_escape(&p.name), p.id, p.verdict);
        for c in &p.checks {
            s += &format!(
                "| {} | {} | {} | {} | {} |\n",
                c.id,
                mark(c.status),
                if c.red_line { "yes" } else { "no" },
                md_escape(&c.evidence),
                c.fields.join(", ")
            );
        }
        if !p.residual_exposure.by_class.is_empty() {
            let bc: Vec<String> = p
                .residual_exposure
                .by_class
                .iter()
                .map(|(k, v)| format!("{k} {}", thousands(*v)))
                .collect();
            s += &format!(
                "\nResidual population in reach by class: {}.\n",
                bc.join("; ")
            );
        }
    }
    s += &format!(
        "\n## Missiles\n\nEliminated in the written text: {}.\nLeft in place: {}.\n",
        if a.eliminated.is_empty() {
            "none".to_string()
        } else {
            a.eliminated.join(", ")
        },
        if a.left_in_place.is_empty() {
            "none".to_string()
        } else {
            a.left_in_place.join(", ")
        }
    );
    s += &format!(
        "\n## Sources and assumptions\n\nRanges: data/missile_catalog.csv (high estimates). Launch points: {}. Population: {}; {}. U.S. personnel: data/us_personnel_totals.csv (Japan 50,000, DoD 2018; South Korea 28,500, ROK MND 2018). A missile counts as eliminated only when dismantled (or capped below its range) in the written text; oral commitments are noted, not counted. The arsenal is today's catalogue, whatever the deal's date.\n",
        catalog::CNS_CITATION,
        reach::GEONAMES_CITATION,
        reach::COUNTRIES_CITATION
    );
    s
}

fn html_escape(s: &str) -> String {
    map::escape(s)
}

/// The standalone HTML report, with the SVG map of residual reach.
pub fn html(a: &Assessment) -> anyhow::Result<String> {
    let cat = Catalog::bundled()?;
    let places = Places::bundled()?;
    let launches = super::reach::select_launches(cat, None)?;
    let left: Vec<MissileReach> = cat
        .missiles
        .iter()
        .filter(|m| a.left_in_place.contains(&m.id))
        .map(|m| MissileReach {
            id: m.id.clone(),
            name: m.name.clone(),
            class: m.class.as_str().into(),
            range: RangeModel::Constant(m.range_km_high),
            range_source: m.source.clone(),
        })
        .collect();
    let svg = if left.is_empty() {
        "<p>The deal eliminates every catalogue missile in its written text: no residual reach to map.</p>".to_string()
    } else {
        let e = exposure(places, &launches, &left);
        let centre = launches
            .iter()
            .find(|l| l.id == "pyongyang")
            .or(launches.first())
            .cloned()
            .context("no launch facility")?;
        map::render(
            places,
            &centre,
            &launches,
            &left,
            &e,
            &format!("Residual reach after: {}", a.deal.name),
        )
    };
    let mut s = String::new();
    s += "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">";
    s += crate::output::REPORT_CSP_META;
    s += &format!("<title>{}</title>", html_escape(&a.deal.name));
    s += "<style>body{font-family:Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}table{border-collapse:collapse;margin:1em 0;width:100%}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}th{background:#f3f3f3}.met{background:#e5f5e0}.partial{background:#fff3cd}.crossed{background:#f8d7da}.unknown{background:#eee}svg{max-width:100%;height:auto}</style></head><body>";
    s += &format!(
        "<h1>{}</h1><p>{} · parties: {} · source: {}{}</p>",
        html_escape(&a.deal.name),
        html_escape(&a.deal.date),
        html_escape(&a.deal.parties.join(", ")),
        html_escape(&a.deal.source),
        if a.deal.hypothetical {
            " · <strong>hypothetical</strong>"
        } else {
            ""
        }
    );
    s += "<table><tr><th>ally</th><th>verdict</th><th>residual population in reach</th><th>residual U.S. personnel in reach</th><th>missiles left that reach it</th></tr>";
    for p in &a.perspectives {
        s += &format!(
            "<tr><td>{}</td><td><strong>{}</strong></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            html_escape(&p.name),
            html_escape(&p.verdict),
            thousands(p.residual_exposure.population),
            thousands(p.residual_exposure.us_personnel),
            html_escape(&p.residual_exposure.missiles.join(", "))
        );
    }
    s += "</table>";
    if !a.divergence.is_empty() {
        s += "<h2>Where the allies diverge</h2><table><tr><th>check</th><th>statuses</th></tr>";
        for dv in &a.divergence {
            let st: Vec<String> = dv
                .statuses
                .iter()
                .map(|(k, v)| format!("{k}: {}", v.as_str()))
                .collect();
            s += &format!(
                "<tr><td>{}</td><td>{}</td></tr>",
                html_escape(&dv.check),
                html_escape(&st.join(", "))
            );
        }
        s += "</table>";
    }
    for p in &a.perspectives {
        s += &format!("<h2>{} ({}): {}</h2><table><tr><th>check</th><th>status</th><th>red line</th><th>evidence</th><th>deal fields</th></tr>", html_escape(&p.name), html_escape(&p.id), html_escape(&p.verdict));
        for c in &p.checks {
            s += &format!(
                "<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                c.status.as_str(),
                html_escape(&c.id),
                c.status.as_str(),
                if c.red_line { "yes" } else { "no" },
                html_escape(&c.evidence),
                html_escape(&c.fields.join(", "))
            );
        }
        s += "</table>";
    }
    s += "<h2>Residual reach</h2>";
    s += &svg;
    s += &format!("<h2>Sources and assumptions</h2><p>Ranges: data/missile_catalog.csv (high estimates). Launch points: {}. Population: {}; {}. U.S. personnel: data/us_personnel_totals.csv. A missile counts as eliminated only when dismantled (or capped below its range) in the written text.</p>", html_escape(catalog::CNS_CITATION), html_escape(reach::GEONAMES_CITATION), html_escape(reach::COUNTRIES_CITATION));
    s += "</body></html>\n";
    Ok(s)
}

pub fn run(a: &AssessArgs) -> anyhow::Result<()> {
    let profiles = stakeholders(a.stakeholders.as_deref())?;
    let r = assess_file(&a.deal, &profiles)?;
    match a.format {
        ReportFormat::Json => emit_json(&assessment_json(&r)),
        ReportFormat::Md => emit(&markdown(&r)),
        ReportFormat::Html => emit(&html(&r)?),
    }
}

pub fn compare(a: &CompareArgs) -> anyhow::Result<()> {
    let profiles = stakeholders(a.stakeholders.as_deref())?;
    let x = assess_file(&a.a, &profiles)?;
    let y = assess_file(&a.b, &profiles)?;
    let mut rows = Vec::new();
    for p in &x.perspectives {
        let Some(q) = y.perspectives.iter().find(|q| q.id == p.id) else {
            continue;
        };
        let changes: Vec<Value> = p
            .checks
            .iter()
            .filter_map(|c| {
                let d = q.checks.iter().find(|d| d.id == c.id)?;
                (c.status != d.status).then(|| json!({"check": c.id, "from": c.status, "to": d.status, "evidence_after": d.evidence}))
            })
            .collect();
        rows.push(json!({
            "id": p.id, "name": p.name,
            "verdict": {"from": p.verdict, "to": q.verdict},
            "changes": changes,
            "residual_population": {"from": p.residual_exposure.population, "to": q.residual_exposure.population},
            "residual_us_personnel": {"from": p.residual_exposure.us_personnel, "to": q.residual_exposure.us_personnel},
        }));
    }
    let doc = json!({"a": {"name": x.deal.name, "date": x.deal.date}, "b": {"name": y.deal.name, "date": y.deal.date}, "perspectives": rows});
    match a.format {
        Format::Json => emit_json(&doc),
        Format::Md | Format::Text => {
            let mut s = format!("{} -> {}\n\n", x.deal.name, y.deal.name);
            for r in &rows {
                s += &format!(
                    "{}: {} -> {}; residual population {} -> {}; U.S. personnel {} -> {}\n",
                    r["name"].as_str().unwrap_or(""),
                    r["verdict"]["from"].as_str().unwrap_or(""),
                    r["verdict"]["to"].as_str().unwrap_or(""),
                    thousands(r["residual_population"]["from"].as_u64().unwrap_or(0)),
                    thousands(r["residual_population"]["to"].as_u64().unwrap_or(0)),
                    thousands(r["residual_us_personnel"]["from"].as_u64().unwrap_or(0)),
                    thousands(r["residual_us_personnel"]["to"].as_u64().unwrap_or(0)),
                );
                for c in r["changes"].as_array().into_iter().flatten() {
                    s += &format!(
                        "  - {}: {} -> {}\n",
                        c["check"].as_str().unwrap_or(""),
                        c["from"].as_str().unwrap_or(""),
                        c["to"].as_str().unwrap_or("")
                    );
                }
            }
            emit(&s)
        }
    }
}
