//! The assessment: each stakeholder's checks against a deal, with evidence,
//! a verdict, the residual exposure, and where the allies diverge.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{
    CheckSpec, Covers, Deal, Layer, SequencingMode, Stakeholder, VerificationLevel, WeaponAction,
};
use crate::threat::{MissileThreat, ThreatTable};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Met,
    Partial,
    Crossed,
    Unknown,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Partial => "partial",
            Status::Crossed => "crossed",
            Status::Unknown => "unknown",
        }
    }
}

/// One check's outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckResult {
    pub id: String,
    pub status: Status,
    pub red_line: bool,
    pub evidence: String,
    /// The deal fields the evidence rests on.
    pub fields: Vec<String>,
    pub why: Option<String>,
}

/// Exposure a stakeholder keeps after the deal.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Residual {
    pub population: u64,
    pub us_personnel: u64,
    /// Population in reach per class left in place.
    pub by_class: BTreeMap<String, u64>,
    /// The missiles left in place that reach the territory or hosted forces.
    pub missiles: Vec<String>,
}

/// One stakeholder's view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Perspective {
    pub id: String,
    pub name: String,
    pub verdict: String,
    pub checks: Vec<CheckResult>,
    pub residual_exposure: Residual,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Divergence {
    pub check: String,
    pub statuses: BTreeMap<String, Status>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub deal: Deal,
    pub perspectives: Vec<Perspective>,
    pub divergence: Vec<Divergence>,
    /// Catalogue missiles the deal eliminates in its written text.
    pub eliminated: Vec<String>,
    /// Catalogue missiles left in place.
    pub left_in_place: Vec<String>,
}

/// How the deal treats one missile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    /// dismantled (or capped below its range) in the written text
    Eliminated,
    /// frozen or under a test moratorium in the written text
    Constrained,
    /// not mentioned
    LeftOut,
}

fn fate(deal: &Deal, m: &MissileThreat) -> (Fate, Vec<String>) {
    let mut best = Fate::LeftOut;
    let mut fields = Vec::new();
    for (i, p) in deal.weapons.iter().enumerate() {
        let hits = p.covers.iter().any(|c| match c {
            Covers::All => true,
            Covers::Class(k) => *k == m.class,
            Covers::Missile(id) => *id == m.id,
        });
        if !hits {
            continue;
        }
        let f = match (p.action, p.layer) {
            (WeaponAction::Cap, _) if p.max_range_km.is_some_and(|cap| m.range_km <= cap) => {
                continue
            }
            // only the written text binds: an oral commitment is noted, not counted
            (_, Layer::Oral) => {
                fields.push(format!("weapons[{i}] (oral)"));
                continue;
            }
            (WeaponAction::Dismantle, Layer::Written) | (WeaponAction::Cap, Layer::Written) => {
                Fate::Eliminated
            }
            _ => Fate::Constrained,
        };
        fields.push(format!("weapons[{i}]"));
        if f == Fate::Eliminated || best == Fate::LeftOut {
            best = f;
        }
    }
    (best, fields)
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn reaches(m: &MissileThreat, s: &Stakeholder, hosted: bool) -> bool {
    s.territory.iter().any(|t| {
        m.territories
            .get(t)
            .is_some_and(|h| h.population > 0 || (hosted && h.us_sites_in_reach > 0))
    })
}

/// The residual exposure of a stakeholder to a set of missiles.
fn residual(s: &Stakeholder, left: &[&MissileThreat], hosted: bool) -> Residual {
    let mut r = Residual::default();
    for t in &s.territory {
        // the union of footprints from one set of launch points is that of the longest range
        let best = left
            .iter()
            .filter_map(|m| m.territories.get(t).map(|h| (m, h)))
            .max_by(|a, b| {
                a.1.population
                    .cmp(&b.1.population)
                    .then(a.0.range_km.total_cmp(&b.0.range_km))
            });
        if let Some((_, h)) = best {
            r.population += h.population;
            if hosted {
                r.us_personnel += left
                    .iter()
                    .filter_map(|m| m.territories.get(t).and_then(|h| h.us_personnel))
                    .max()
                    .unwrap_or(0);
            }
        }
        for m in left {
            if let Some(h) = m.territories.get(t) {
                let e = r.by_class.entry(m.class.clone()).or_insert(0);
                *e = (*e).max(h.population);
            }
        }
    }
    r.by_class.retain(|_, v| *v > 0);
    r.missiles = left
        .iter()
        .filter(|m| reaches(m, s, hosted))
        .map(|m| m.id.clone())
        .collect();
    r
}

fn check_missiles(
    deal: &Deal,
    s: &Stakeholder,
    spec: &CheckSpec,
    table: &ThreatTable,
) -> (CheckResult, Residual) {
    let hosted = spec.include_hosted_forces && s.hosts_us_forces;
    let threats: Vec<&MissileThreat> = table
        .missiles
        .iter()
        .filter(|m| reaches(m, s, hosted))
        .collect();
    let mut fields = Vec::new();
    let mut left = Vec::new();
    let mut constrained = Vec::new();
    for m in &table.missiles {
        let (f, fl) = fate(deal, m);
        fields.extend(fl);
        if f != Fate::Eliminated {
            left.push(m);
        }
        if f == Fate::Constrained && threats.iter().any(|t| t.id == m.id) {
            constrained.push(m.id.clone());
        }
    }
    fields.sort();
    fields.dedup();
    let res = residual(s, &left, hosted);
    let residual_threats: Vec<&&MissileThreat> =
        left.iter().filter(|m| reaches(m, s, hosted)).collect();
    let territory = s.territory.join(", ");
    let (status, evidence) = if threats.is_empty() {
        (
            Status::Met,
            format!("no catalogue missile reaches {territory} from the bundled launch facilities"),
        )
    } else if residual_threats.is_empty() {
        (
            Status::Met,
            format!(
                "every missile that reaches {territory}{} is eliminated in the written text",
                if hosted {
                    " or the U.S. forces there"
                } else {
                    ""
                }
            ),
        )
    } else {
        let names: Vec<String> = residual_threats
            .iter()
            .map(|m| {
                format!(
                    "{} ({}, {} km{})",
                    m.name,
                    m.class,
                    thousands(m.range_km as u64),
                    if constrained.contains(&m.id) {
                        ", frozen or under a moratorium only"
                    } else {
                        ""
                    }
                )
            })
            .collect();
        let all_constrained = residual_threats.iter().all(|m| constrained.contains(&m.id));
        let exposure = format!(
            "residual exposure: {} people{} (population data: GeoNames; ranges: data/missile_catalog.csv, high estimates; from {} launch facilities)",
            thousands(res.population),
            if hosted { format!(" and {} U.S. personnel hosted", thousands(res.us_personnel)) } else { String::new() },
            table.launch_points
        );
        (
            if all_constrained {
                Status::Partial
            } else {
                Status::Crossed
            },
            format!(
                "left in place and reaching {territory}: {}; {exposure}",
                names.join(", ")
            ),
        )
    };
    if fields.is_empty() {
        fields.push("weapons (none)".into());
    }
    (
        CheckResult {
            id: spec.id.clone(),
            status,
            red_line: spec.red_line,
            evidence,
            fields,
            why: spec.why.clone(),
        },
        res,
    )
}

fn check_abductees(deal: &Deal, spec: &CheckSpec) -> CheckResult {
    let found = deal
        .issues
        .iter()
        .enumerate()
        .find(|(_, i)| i.topic == "abductees");
    let (status, evidence, fields) = match found {
        Some((i, issue)) if issue.layer == Layer::Written || !spec.written => (
            Status::Met,
            format!(
                "the abductions are addressed in the {} text{}",
                if issue.layer == Layer::Written {
                    "written"
                } else {
                    "oral"
                },
                issue
                    .description
                    .as_ref()
                    .map_or(String::new(), |d| format!(": {d}"))
            ),
            vec![format!("issues[{i}]")],
        ),
        Some((i, issue)) => (
            Status::Partial,
            format!(
                "raised only orally, not in the text{}",
                issue
                    .description
                    .as_ref()
                    .map_or(String::new(), |d| format!(": {d}"))
            ),
            vec![format!("issues[{i}]")],
        ),
        None => (
            Status::Crossed,
            "the abductions are not raised".into(),
            vec!["issues".into()],
        ),
    };
    CheckResult {
        id: spec.id.clone(),
        status,
        red_line: spec.red_line,
        evidence,
        fields,
        why: spec.why.clone(),
    }
}

fn check_briefing(deal: &Deal, s: &Stakeholder, spec: &CheckSpec) -> CheckResult {
    let result = |status, evidence: String, fields: Vec<String>| CheckResult {
        id: spec.id.clone(),
        status,
        red_line: spec.red_line,
        evidence,
        fields,
        why: spec.why.clone(),
    };
    if deal.parties.contains(&s.id) {
        return result(
            Status::Met,
            format!("{} is a party to the deal", s.name),
            vec!["deal.parties".into()],
        );
    }
    let mine: Vec<(usize, &crate::model::Briefing)> = deal
        .briefings
        .iter()
        .enumerate()
        .filter(|(_, b)| b.briefed == s.id)
        .collect();
    if mine.is_empty() {
        return if deal.briefings.is_empty() {
            result(
                Status::Unknown,
                "the deal model records no briefings".into(),
                vec!["briefings".into()],
            )
        } else {
            result(
                Status::Unknown,
                format!("no briefing of {} is recorded (others' are)", s.name),
                vec!["briefings".into()],
            )
        };
    }
    let ok = |b: &crate::model::Briefing| {
        b.hours_after <= spec.within_hours
            && b.level >= spec.min_level
            && (!spec.public || b.public)
    };
    let describe = |i: usize, b: &crate::model::Briefing| {
        format!(
            "briefings[{i}]: {} briefed {} {} h after the summit{} at {} level{}",
            b.briefer,
            b.briefed,
            b.hours_after,
            if b.hours_from_dates_only {
                " (from dates)"
            } else {
                ""
            },
            b.level,
            if b.public { ", publicly" } else { "" }
        )
    };
    if let Some((i, b)) = mine.iter().find(|(_, b)| ok(b)) {
        return result(
            Status::Met,
            describe(*i, b),
            vec![format!("briefings[{i}]")],
        );
    }
    let (i, b) = mine
        .iter()
        .min_by(|a, b| a.1.hours_after.total_cmp(&b.1.hours_after))
        .copied()
        .unwrap_or(mine[0]);
    result(
        Status::Partial,
        format!(
            "{}; the profile asks for within {} h at {} level or above{}",
            describe(i, b),
            spec.within_hours,
            spec.min_level,
            if spec.public { ", in public" } else { "" }
        ),
        vec![format!("briefings[{i}]")],
    )
}

fn check_concessions(deal: &Deal, s: &Stakeholder, spec: &CheckSpec) -> CheckResult {
    let touching: Vec<(usize, &crate::model::Concession)> = deal
        .concessions
        .iter()
        .enumerate()
        .filter(|(_, c)| c.affects.contains(&s.id) && c.by != s.id)
        .collect();
    let unconsulted: Vec<&(usize, &crate::model::Concession)> = touching
        .iter()
        .filter(|(_, c)| !c.consulted.contains(&s.id))
        .collect();
    let fields: Vec<String> = touching
        .iter()
        .map(|(i, _)| format!("concessions[{i}]"))
        .collect();
    let (status, evidence) = if touching.is_empty() {
        (
            Status::Met,
            format!("no concession touches {}'s security", s.name),
        )
    } else if unconsulted.is_empty() {
        (
            Status::Met,
            format!("{} was consulted on every concession touching it", s.name),
        )
    } else {
        let list: Vec<String> = unconsulted
            .iter()
            .map(|(_, c)| {
                format!(
                    "{} by {} ({}, {})",
                    c.kind,
                    c.by,
                    c.description,
                    if c.layer == Layer::Oral {
                        "oral"
                    } else {
                        "written"
                    }
                )
            })
            .collect();
        (
            Status::Crossed,
            format!(
                "made without consulting {} beforehand: {}",
                s.name,
                list.join("; ")
            ),
        )
    };
    CheckResult {
        id: spec.id.clone(),
        status,
        red_line: spec.red_line,
        evidence,
        fields: if fields.is_empty() {
            vec!["concessions".into()]
        } else {
            fields
        },
        why: spec.why.clone(),
    }
}

fn check_process(deal: &Deal, s: &Stakeholder, spec: &CheckSpec) -> CheckResult {
    let relevant: Vec<(usize, &crate::model::Process)> = deal
        .processes
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind == "peace-regime" || p.kind == "denuclearization-talks")
        .collect();
    let mut status = Status::Met;
    let mut notes = Vec::new();
    for (i, p) in &relevant {
        let options: Vec<&Vec<String>> = if p.alternatives.is_empty() {
            vec![&p.participants]
        } else {
            p.alternatives.iter().collect()
        };
        let st = if options.iter().all(|o| o.is_empty()) {
            notes.push(format!(
                "processes[{i}] ({}): participants not named",
                p.kind
            ));
            Status::Partial
        } else if options.iter().all(|o| o.contains(&s.id)) {
            notes.push(format!(
                "processes[{i}] ({}): {} takes part",
                p.kind, s.name
            ));
            Status::Met
        } else if options.iter().any(|o| o.contains(&s.id)) {
            notes.push(format!(
                "processes[{i}] ({}): {} is in some of the formats left open, not all",
                p.kind, s.name
            ));
            Status::Partial
        } else {
            let ps: Vec<String> = options.iter().map(|o| o.join("+")).collect();
            notes.push(format!(
                "processes[{i}] ({}): {} left out (participants: {})",
                p.kind,
                s.name,
                ps.join(" or ")
            ));
            Status::Crossed
        };
        status = worse(status, st);
    }
    let evidence = if relevant.is_empty() {
        "no peace or denuclearization process is set up".to_string()
    } else {
        notes.join("; ")
    };
    CheckResult {
        id: spec.id.clone(),
        status,
        red_line: spec.red_line,
        evidence,
        fields: if relevant.is_empty() {
            vec!["processes".into()]
        } else {
            relevant
                .iter()
                .map(|(i, _)| format!("processes[{i}]"))
                .collect()
        },
        why: spec.why.clone(),
    }
}

fn check_reversibility(deal: &Deal, spec: &CheckSpec) -> CheckResult {
    let freezes = deal
        .weapons
        .iter()
        .filter(|p| {
            matches!(
                p.action,
                WeaponAction::Freeze | WeaponAction::TestMoratorium
            )
        })
        .count()
        + deal
            .nuclear
            .iter()
            .filter(|p| {
                matches!(
                    p.action,
                    WeaponAction::Freeze | WeaponAction::TestMoratorium
                )
            })
            .count();
    let dismantles = deal
        .weapons
        .iter()
        .filter(|p| matches!(p.action, WeaponAction::Dismantle | WeaponAction::Cap))
        .count()
        + deal
            .nuclear
            .iter()
            .filter(|p| p.action == WeaponAction::Dismantle)
            .count();
    let (status, evidence, fields) = match &deal.sequencing {
        Some(q) => {
            let mode = match q.mode {
                SequencingMode::Upfront => "upfront",
                SequencingMode::Phased => "phased",
                SequencingMode::Conditional => "conditional on counterpart measures",
            };
            let st = match (q.reversible, q.mode) {
                (true, _) => Status::Crossed,
                (false, SequencingMode::Upfront) => Status::Met,
                (false, _) => Status::Partial,
            };
            (
                st,
                format!(
                    "disarmament is {mode} and {}{}",
                    if q.reversible {
                        "reversible"
                    } else {
                        "irreversible"
                    },
                    if q.conditions.is_empty() {
                        String::new()
                    } else {
                        format!(" (conditions: {})", q.conditions.join("; "))
                    }
                ),
                vec!["sequencing".to_string()],
            )
        }
        None if dismantles == 0 && freezes > 0 => (
            Status::Crossed,
            "only freezes or moratoria, no dismantlement".into(),
            vec!["weapons".into(), "nuclear".into()],
        ),
        None if dismantles == 0 => (
            Status::Unknown,
            "the deal sets out no disarmament steps or sequence".into(),
            vec!["sequencing".into()],
        ),
        None => (
            Status::Unknown,
            "dismantlement is named but its sequence is not".into(),
            vec!["sequencing".into()],
        ),
    };
    CheckResult {
        id: spec.id.clone(),
        status,
        red_line: spec.red_line,
        evidence,
        fields,
        why: spec.why.clone(),
    }
}

fn check_verification(deal: &Deal, spec: &CheckSpec) -> CheckResult {
    let (status, evidence) = match &deal.verification {
        None => (Status::Crossed, "no verification in the deal".to_string()),
        Some(v) => {
            let layer_ok = v.layer == Layer::Written || !spec.written;
            let st = if v.level >= spec.min_verification && layer_ok {
                Status::Met
            } else if v.level >= spec.min_verification
                || (v.level as u8 + 1 >= spec.min_verification as u8
                    && v.level != VerificationLevel::None)
            {
                Status::Partial
            } else {
                Status::Crossed
            };
            (
                st,
                format!(
                    "verification by {} ({}); the profile asks for {}",
                    v.level,
                    if v.layer == Layer::Written {
                        "written"
                    } else {
                        "oral only"
                    },
                    spec.min_verification
                ),
            )
        }
    };
    CheckResult {
        id: spec.id.clone(),
        status,
        red_line: spec.red_line,
        evidence,
        fields: vec!["verification".into()],
        why: spec.why.clone(),
    }
}

fn worse(a: Status, b: Status) -> Status {
    let rank = |s: Status| match s {
        Status::Met => 0,
        Status::Unknown => 1,
        Status::Partial => 2,
        Status::Crossed => 3,
    };
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}

/// Assesses a deal from each stakeholder's view.
pub fn assess(deal: &Deal, stakeholders: &[Stakeholder], table: &ThreatTable) -> Assessment {
    let mut perspectives = Vec::new();
    for s in stakeholders {
        let mut checks = Vec::new();
        let mut residual_exposure = None;
        for spec in &s.checks {
            let r = match spec.id.as_str() {
                "missile-coverage" => {
                    let (r, res) = check_missiles(deal, s, spec, table);
                    residual_exposure = Some(res);
                    r
                }
                "abductees" => check_abductees(deal, spec),
                "briefing" => check_briefing(deal, s, spec),
                "unconsulted-concessions" => check_concessions(deal, s, spec),
                "process-inclusion" => check_process(deal, s, spec),
                "reversibility" => check_reversibility(deal, spec),
                _ => check_verification(deal, spec),
            };
            checks.push(r);
        }
        let residual_exposure = residual_exposure.unwrap_or_else(|| {
            let left: Vec<&MissileThreat> = table
                .missiles
                .iter()
                .filter(|m| fate(deal, m).0 != Fate::Eliminated)
                .collect();
            residual(s, &left, s.hosts_us_forces)
        });
        let verdict = if checks
            .iter()
            .any(|c| c.red_line && c.status == Status::Crossed)
        {
            "red-line-crossed"
        } else if checks.iter().all(|c| c.status == Status::Met) {
            "satisfied"
        } else {
            "reservations"
        };
        perspectives.push(Perspective {
            id: s.id.clone(),
            name: s.name.clone(),
            verdict: verdict.into(),
            checks,
            residual_exposure,
        });
    }
    let mut divergence = Vec::new();
    for id in crate::model::CHECK_IDS {
        let statuses: BTreeMap<String, Status> = perspectives
            .iter()
            .filter_map(|p| {
                p.checks
                    .iter()
                    .find(|c| c.id == id)
                    .map(|c| (p.id.clone(), c.status))
            })
            .collect();
        let mut distinct: Vec<Status> = statuses.values().copied().collect();
        distinct.dedup();
        distinct.sort_by_key(|s| s.as_str());
        distinct.dedup();
        if statuses.len() >= 2 && distinct.len() >= 2 {
            divergence.push(Divergence {
                check: id.to_string(),
                statuses,
            });
        }
    }
    let eliminated = table
        .missiles
        .iter()
        .filter(|m| fate(deal, m).0 == Fate::Eliminated)
        .map(|m| m.id.clone())
        .collect();
    let left_in_place = table
        .missiles
        .iter()
        .filter(|m| fate(deal, m).0 != Fate::Eliminated)
        .map(|m| m.id.clone())
        .collect();
    Assessment {
        deal: deal.clone(),
        perspectives,
        divergence,
        eliminated,
        left_in_place,
    }
}
