//! Validated deal and stakeholder types, and the parsers that produce them.
//! Every error names the file, the line and the field.

use std::path::Path;

use serde::Serialize;
use toml::Spanned;

use crate::wire;

/// A deal or profile that cannot be used, and where.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DealError {
    #[error("{file}:{line}: {field}: {message}")]
    Invalid {
        file: String,
        line: usize,
        field: String,
        message: String,
    },
    #[error("{file}: {message}")]
    Io { file: String, message: String },
}

/// Whether a provision is in the signed text or only said (orally, or in a side letter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layer {
    Written,
    Oral,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WeaponAction {
    Dismantle,
    Freeze,
    Cap,
    TestMoratorium,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Covers {
    All,
    Class(String),
    Missile(String),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeaponProvision {
    pub covers: Vec<Covers>,
    pub action: WeaponAction,
    pub max_range_km: Option<f64>,
    pub layer: Layer,
    pub clause: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NuclearProvision {
    pub action: WeaponAction,
    pub facilities: Vec<String>,
    pub layer: Layer,
    pub clause: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VerificationLevel {
    None,
    Declarations,
    Monitoring,
    Inspections,
}

impl std::fmt::Display for VerificationLevel {
    /// The deal file's own word for the level.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            VerificationLevel::None => "none",
            VerificationLevel::Declarations => "declarations",
            VerificationLevel::Monitoring => "monitoring",
            VerificationLevel::Inspections => "inspections",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verification {
    pub level: VerificationLevel,
    pub layer: Layer,
    pub clause: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SequencingMode {
    Upfront,
    Phased,
    Conditional,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sequencing {
    pub mode: SequencingMode,
    pub reversible: bool,
    pub conditions: Vec<String>,
    pub clause: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Concession {
    pub by: String,
    pub kind: String,
    pub description: String,
    pub affects: Vec<String>,
    pub consulted: Vec<String>,
    pub layer: Layer,
    pub clause: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Issue {
    pub topic: String,
    pub layer: Layer,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Process {
    pub kind: String,
    pub participants: Vec<String>,
    pub alternatives: Vec<Vec<String>>,
    pub description: Option<String>,
    pub layer: Layer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    WorkingLevel,
    SeniorOfficial,
    Minister,
    HeadOfGovernment,
}

impl std::fmt::Display for Level {
    /// The deal file's own word for the level, so evidence quotes what the user wrote.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Level::WorkingLevel => "working-level",
            Level::SeniorOfficial => "senior-official",
            Level::Minister => "minister",
            Level::HeadOfGovernment => "head-of-government",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Briefing {
    pub briefer: String,
    pub briefed: String,
    pub date: String,
    /// Hours after the summit: given, or from the dates (a whole number of days).
    pub hours_after: f64,
    pub hours_from_dates_only: bool,
    pub level: Level,
    pub public: bool,
    pub form: Option<String>,
    pub note: Option<String>,
}

/// A validated deal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deal {
    pub name: String,
    pub date: String,
    pub parties: Vec<String>,
    pub source: String,
    pub hypothetical: bool,
    pub notes: Option<String>,
    pub weapons: Vec<WeaponProvision>,
    pub nuclear: Vec<NuclearProvision>,
    pub verification: Option<Verification>,
    pub sequencing: Option<Sequencing>,
    pub concessions: Vec<Concession>,
    pub issues: Vec<Issue>,
    pub processes: Vec<Process>,
    pub briefings: Vec<Briefing>,
}

/// The stable id of a check: what a profile's `id = ...` names and what
/// reports and divergence tables print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckId {
    MissileCoverage,
    Abductees,
    Briefing,
    UnconsultedConcessions,
    ProcessInclusion,
    Reversibility,
    Verification,
}

impl CheckId {
    /// Every check, in the order reports list them.
    pub const ALL: [CheckId; 7] = [
        CheckId::MissileCoverage,
        CheckId::Abductees,
        CheckId::Briefing,
        CheckId::UnconsultedConcessions,
        CheckId::ProcessInclusion,
        CheckId::Reversibility,
        CheckId::Verification,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            CheckId::MissileCoverage => "missile-coverage",
            CheckId::Abductees => "abductees",
            CheckId::Briefing => "briefing",
            CheckId::UnconsultedConcessions => "unconsulted-concessions",
            CheckId::ProcessInclusion => "process-inclusion",
            CheckId::Reversibility => "reversibility",
            CheckId::Verification => "verification",
        }
    }

    pub fn parse(s: &str) -> Option<CheckId> {
        CheckId::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// What the check asks, in words a report can print (the id stays the
    /// stable key in JSON and profiles).
    pub const fn label(self) -> &'static str {
        match self {
            CheckId::MissileCoverage => "missiles in reach",
            CheckId::Abductees => "the abductees",
            CheckId::Briefing => "the briefing after the summit",
            CheckId::UnconsultedConcessions => "concessions without consultation",
            CheckId::ProcessInclusion => "a seat in later talks",
            CheckId::Reversibility => "reversible disarmament",
            CheckId::Verification => "verification",
        }
    }

    /// The parameters a profile may give this check (kebab-case, as in TOML).
    pub fn parameters(self) -> &'static [&'static str] {
        match self {
            CheckId::MissileCoverage => &["include-hosted-forces"],
            CheckId::Abductees => &["written"],
            CheckId::Briefing => &["within-hours", "min-level", "public"],
            CheckId::UnconsultedConcessions
            | CheckId::ProcessInclusion
            | CheckId::Reversibility => &[],
            CheckId::Verification => &["min-verification", "written"],
        }
    }
}

impl std::fmt::Display for CheckId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A check with its own parameters (defaults filled in at parse time).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "id", rename_all = "kebab-case")]
pub enum Check {
    /// Every missile that reaches the territory (and, with
    /// `include_hosted_forces`, the U.S. forces it hosts) is eliminated.
    MissileCoverage { include_hosted_forces: bool },
    /// The abductions are raised (in the written text when `written`).
    Abductees { written: bool },
    /// A briefing within `within_hours` at `min_level` or above, in public when `public`.
    Briefing {
        within_hours: f64,
        min_level: Level,
        public: bool,
    },
    /// No concession touching the stakeholder is made without consulting it.
    UnconsultedConcessions,
    /// The stakeholder takes part in every peace or denuclearization process.
    ProcessInclusion,
    /// Disarmament is upfront and irreversible.
    Reversibility,
    /// Verification at `min_verification` or above, in writing when `written`.
    Verification {
        min_verification: VerificationLevel,
        written: bool,
    },
}

impl Check {
    pub fn id(&self) -> CheckId {
        match self {
            Check::MissileCoverage { .. } => CheckId::MissileCoverage,
            Check::Abductees { .. } => CheckId::Abductees,
            Check::Briefing { .. } => CheckId::Briefing,
            Check::UnconsultedConcessions => CheckId::UnconsultedConcessions,
            Check::ProcessInclusion => CheckId::ProcessInclusion,
            Check::Reversibility => CheckId::Reversibility,
            Check::Verification { .. } => CheckId::Verification,
        }
    }
}

/// A check an ally applies: the check and its parameters, whether it is a
/// red line, and why the ally holds it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckSpec {
    #[serde(flatten)]
    pub check: Check,
    pub red_line: bool,
    pub why: Option<String>,
}

impl CheckSpec {
    pub fn id(&self) -> CheckId {
        self.check.id()
    }
}

/// An ally's profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stakeholder {
    pub id: String,
    pub name: String,
    pub territory: Vec<String>,
    pub hosts_us_forces: bool,
    pub priorities: Vec<String>,
    pub checks: Vec<CheckSpec>,
    pub source: Option<String>,
}

/// The stable check ids, as strings.
pub const CHECK_IDS: [&str; 7] = [
    CheckId::MissileCoverage.as_str(),
    CheckId::Abductees.as_str(),
    CheckId::Briefing.as_str(),
    CheckId::UnconsultedConcessions.as_str(),
    CheckId::ProcessInclusion.as_str(),
    CheckId::Reversibility.as_str(),
    CheckId::Verification.as_str(),
];

/// Actors a deal may name besides the stakeholders (the DPRK, Russia, the UN).
pub const OTHER_ACTORS: [&str; 3] = ["kp", "ru", "un"];

struct Ctx<'a> {
    file: &'a str,
    text: &'a str,
}

impl Ctx<'_> {
    fn line(&self, span: std::ops::Range<usize>) -> usize {
        let at = span.start.min(self.text.len());
        self.text[..at].matches('\n').count() + 1
    }
    fn err<T>(
        &self,
        span: std::ops::Range<usize>,
        field: &str,
        message: impl Into<String>,
    ) -> Result<T, DealError> {
        Err(DealError::Invalid {
            file: self.file.to_string(),
            line: self.line(span),
            field: field.to_string(),
            message: message.into(),
        })
    }
    fn one_of<'v>(
        &self,
        v: &'v Spanned<String>,
        field: &str,
        allowed: &[&str],
    ) -> Result<&'v str, DealError> {
        let s = v.get_ref().as_str();
        if allowed.contains(&s) {
            Ok(s)
        } else {
            self.err(
                v.span(),
                field,
                format!("'{s}' is not one of {}", allowed.join(", ")),
            )
        }
    }
    fn layer(&self, v: &Spanned<String>, field: &str) -> Result<Layer, DealError> {
        Ok(match self.one_of(v, field, &["written", "oral"])? {
            "oral" => Layer::Oral,
            _ => Layer::Written,
        })
    }
    fn actor(
        &self,
        v: &Spanned<String>,
        field: &str,
        known: &[String],
    ) -> Result<String, DealError> {
        let s = v.get_ref().to_ascii_lowercase();
        if known.contains(&s) || OTHER_ACTORS.contains(&s.as_str()) {
            Ok(s)
        } else {
            let mut all: Vec<String> = known.to_vec();
            all.extend(OTHER_ACTORS.iter().map(|s| s.to_string()));
            self.err(
                v.span(),
                field,
                format!(
                    "unknown stakeholder '{}' (known: {})",
                    v.get_ref(),
                    all.join(", ")
                ),
            )
        }
    }
}

/// Parses YYYY-MM-DD into days since 1970-01-01.
pub fn days(date: &str) -> Option<i64> {
    let mut it = date.trim().split('-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next()?.parse().ok()?;
    // years of four digits at most: the day arithmetic below overflowed on a
    // 19-digit year (found by the deal_toml fuzz target)
    if it.next().is_some() || !(1..=9999).contains(&y) || !(1..=12).contains(&m) || d < 1 {
        return None;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let mdays = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if d > mdays[(m - 1) as usize] {
        return None;
    }
    // days from civil (H. Hinnant's algorithm)
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

fn toml_error(file: &str, text: &str, e: &toml::de::Error) -> DealError {
    let line = e.span().map_or(0, |s| {
        text[..s.start.min(text.len())].matches('\n').count() + 1
    });
    let msg = e.message().to_string();
    // the field: named by serde for unknown or missing keys, else the key on that line
    let named = if msg.starts_with("unknown field") || msg.starts_with("missing field") {
        msg.split('`').nth(1)
    } else {
        None
    };
    let on_line = || {
        let l = text.lines().nth(line.saturating_sub(1))?;
        l.split_once('=').map(|(k, _)| k.trim().to_string())
    };
    let field = named
        .map(str::to_string)
        .or_else(on_line)
        .unwrap_or_else(|| "?".into());
    DealError::Invalid {
        file: file.to_string(),
        line,
        field,
        message: msg,
    }
}

/// Parses and validates a deal. `known` are the stakeholder ids in play.
pub fn parse_deal(file: &str, text: &str, known: &[String]) -> Result<Deal, DealError> {
    let w: wire::DealFile = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
    let c = Ctx { file, text };
    let h = &w.deal;
    let deal_day = days(h.date.get_ref()).map_or_else(
        || c.err(h.date.span(), "deal.date", "not a date (YYYY-MM-DD)"),
        Ok,
    )?;
    let parties = h
        .parties
        .iter()
        .map(|p| c.actor(p, "deal.parties", known))
        .collect::<Result<Vec<_>, _>>()?;
    let mut weapons = Vec::new();
    for (i, p) in w.weapons.iter().enumerate() {
        let field = format!("weapons[{i}]");
        let action = match c.one_of(
            &p.action,
            &format!("{field}.action"),
            &["dismantle", "freeze", "cap", "test-moratorium"],
        )? {
            "dismantle" => WeaponAction::Dismantle,
            "freeze" => WeaponAction::Freeze,
            "cap" => WeaponAction::Cap,
            _ => WeaponAction::TestMoratorium,
        };
        if action == WeaponAction::Cap && !p.max_range_km.is_some_and(|r| r.is_finite() && r > 0.0)
        {
            return c.err(
                p.action.span(),
                &format!("{field}.max-range-km"),
                "a cap needs a positive max-range-km",
            );
        }
        let covers = p
            .covers
            .iter()
            .map(|v| {
                let s = v.get_ref().trim();
                if s.eq_ignore_ascii_case("all") {
                    Ok(Covers::All)
                } else if let Some(k) = catalog::MissileClass::parse(s) {
                    Ok(Covers::Class(k.as_str().to_string()))
                } else if catalog::Catalog::bundled().ok().and_then(|cat| cat.missile(s)).is_some() {
                    Ok(Covers::Missile(s.to_ascii_lowercase()))
                } else {
                    c.err(v.span(), &format!("{field}.covers"), format!("'{s}' is neither a class (SRBM, MRBM, IRBM, ICBM), 'all', nor a catalogue missile id"))
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        weapons.push(WeaponProvision {
            covers,
            action,
            max_range_km: p.max_range_km,
            layer: c.layer(&p.layer, &format!("{field}.layer"))?,
            clause: p.clause.clone(),
        });
    }
    let mut nuclear = Vec::new();
    for (i, p) in w.nuclear.iter().enumerate() {
        let field = format!("nuclear[{i}]");
        let action = match c.one_of(
            &p.action,
            &format!("{field}.action"),
            &["dismantle", "freeze", "test-moratorium"],
        )? {
            "dismantle" => WeaponAction::Dismantle,
            "freeze" => WeaponAction::Freeze,
            _ => WeaponAction::TestMoratorium,
        };
        nuclear.push(NuclearProvision {
            action,
            facilities: p.facilities.clone(),
            layer: c.layer(&p.layer, &format!("{field}.layer"))?,
            clause: p.clause.clone(),
        });
    }
    let verification = match &w.verification {
        None => None,
        Some(v) => Some(Verification {
            level: match c.one_of(
                &v.level,
                "verification.level",
                &["none", "declarations", "monitoring", "inspections"],
            )? {
                "declarations" => VerificationLevel::Declarations,
                "monitoring" => VerificationLevel::Monitoring,
                "inspections" => VerificationLevel::Inspections,
                _ => VerificationLevel::None,
            },
            layer: c.layer(&v.layer, "verification.layer")?,
            clause: v.clause.clone(),
        }),
    };
    let sequencing = match &w.sequencing {
        None => None,
        Some(s) => Some(Sequencing {
            mode: match c.one_of(
                &s.mode,
                "sequencing.mode",
                &["upfront", "phased", "conditional"],
            )? {
                "phased" => SequencingMode::Phased,
                "conditional" => SequencingMode::Conditional,
                _ => SequencingMode::Upfront,
            },
            reversible: s.reversible,
            conditions: s.conditions.clone(),
            clause: s.clause.clone(),
        }),
    };
    let kinds = [
        "exercises-suspended",
        "sanctions-relief",
        "troop-reduction",
        "missile-defence-limits",
        "security-guarantee",
        "economic-projects",
        "military-restrictions",
        "energy-assistance",
        "normalization",
        "other",
    ];
    let mut concessions = Vec::new();
    for (i, k) in w.concessions.iter().enumerate() {
        let field = format!("concessions[{i}]");
        concessions.push(Concession {
            by: c.actor(&k.by, &format!("{field}.by"), known)?,
            kind: c
                .one_of(&k.kind, &format!("{field}.kind"), &kinds)?
                .to_string(),
            description: k.description.clone(),
            affects: k
                .affects
                .iter()
                .map(|a| c.actor(a, &format!("{field}.affects"), known))
                .collect::<Result<_, _>>()?,
            consulted: k
                .consulted
                .iter()
                .map(|a| c.actor(a, &format!("{field}.consulted"), known))
                .collect::<Result<_, _>>()?,
            layer: c.layer(&k.layer, &format!("{field}.layer"))?,
            clause: k.clause.clone(),
        });
    }
    let mut issues = Vec::new();
    for (i, s) in w.issues.iter().enumerate() {
        let field = format!("issues[{i}]");
        issues.push(Issue {
            topic: c
                .one_of(
                    &s.topic,
                    &format!("{field}.topic"),
                    &[
                        "abductees",
                        "pow-mia",
                        "separated-families",
                        "human-rights",
                        "other",
                    ],
                )?
                .to_string(),
            layer: c.layer(&s.layer, &format!("{field}.layer"))?,
            description: s.description.clone(),
        });
    }
    let mut processes = Vec::new();
    for (i, p) in w.processes.iter().enumerate() {
        let field = format!("processes[{i}]");
        processes.push(Process {
            kind: c
                .one_of(
                    &p.kind,
                    &format!("{field}.kind"),
                    &[
                        "peace-regime",
                        "denuclearization-talks",
                        "follow-on-talks",
                        "military-talks",
                        "normalization-talks",
                    ],
                )?
                .to_string(),
            participants: p
                .participants
                .iter()
                .map(|a| c.actor(a, &format!("{field}.participants"), known))
                .collect::<Result<_, _>>()?,
            alternatives: p
                .alternatives
                .iter()
                .map(|alt| {
                    alt.iter()
                        .map(|a| c.actor(a, &format!("{field}.alternatives"), known))
                        .collect::<Result<Vec<_>, _>>()
                })
                .collect::<Result<_, _>>()?,
            description: p.description.clone(),
            layer: c.layer(&p.layer, &format!("{field}.layer"))?,
        });
    }
    let mut briefings = Vec::new();
    for (i, b) in w.briefings.iter().enumerate() {
        let field = format!("briefings[{i}]");
        let day = days(b.date.get_ref()).map_or_else(
            || {
                c.err(
                    b.date.span(),
                    &format!("{field}.date"),
                    "not a date (YYYY-MM-DD)",
                )
            },
            Ok,
        )?;
        if day < deal_day {
            return c.err(
                b.date.span(),
                &format!("{field}.date"),
                format!(
                    "briefing dated {} is before the summit ({})",
                    b.date.get_ref(),
                    h.date.get_ref()
                ),
            );
        }
        let (hours_after, from_dates) = match &b.hours_after {
            Some(hv) => {
                let v = *hv.get_ref();
                if !(v.is_finite() && v >= 0.0) {
                    return c.err(
                        hv.span(),
                        &format!("{field}.hours-after"),
                        "must be zero or more hours after the summit",
                    );
                }
                (v, false)
            }
            None => (((day - deal_day) * 24) as f64, true),
        };
        briefings.push(Briefing {
            briefer: c.actor(&b.briefer, &format!("{field}.briefer"), known)?,
            briefed: c.actor(&b.briefed, &format!("{field}.briefed"), known)?,
            date: b.date.get_ref().clone(),
            hours_after,
            hours_from_dates_only: from_dates,
            level: level(&c, &b.level, &format!("{field}.level"))?,
            public: b.public,
            form: b.form.clone(),
            note: b.note.clone(),
        });
    }
    Ok(Deal {
        name: h.name.clone(),
        date: h.date.get_ref().clone(),
        parties,
        source: h.source.clone(),
        hypothetical: h.hypothetical,
        notes: h.notes.clone(),
        weapons,
        nuclear,
        verification,
        sequencing,
        concessions,
        issues,
        processes,
        briefings,
    })
}

fn level(c: &Ctx<'_>, v: &Spanned<String>, field: &str) -> Result<Level, DealError> {
    Ok(
        match c.one_of(
            v,
            field,
            &[
                "working-level",
                "senior-official",
                "minister",
                "head-of-government",
            ],
        )? {
            "head-of-government" => Level::HeadOfGovernment,
            "minister" => Level::Minister,
            "senior-official" => Level::SeniorOfficial,
            _ => Level::WorkingLevel,
        },
    )
}

/// One check of a profile: its id, then only the parameters that check takes
/// (a parameter of another check is an error naming it, never ignored).
fn check_spec(c: &Ctx, k: &wire::CheckSpec, field: &str) -> Result<CheckSpec, DealError> {
    let cid = c.one_of(&k.id, &format!("{field}.id"), &CHECK_IDS)?;
    let Some(id) = CheckId::parse(cid) else {
        return c.err(
            k.id.span(),
            &format!("{field}.id"),
            format!("unknown check '{cid}'"),
        );
    };
    let given: [(&str, Option<std::ops::Range<usize>>); 6] = [
        (
            "include-hosted-forces",
            k.include_hosted_forces.as_ref().map(|v| v.span()),
        ),
        ("within-hours", k.within_hours.as_ref().map(|v| v.span())),
        ("min-level", k.min_level.as_ref().map(|v| v.span())),
        ("public", k.public.as_ref().map(|v| v.span())),
        (
            "min-verification",
            k.min_verification.as_ref().map(|v| v.span()),
        ),
        ("written", k.written.as_ref().map(|v| v.span())),
    ];
    for (name, span) in given {
        if let Some(span) = span {
            if !id.parameters().contains(&name) {
                let takes = id.parameters();
                return c.err(
                    span,
                    &format!("{field}.{name}"),
                    format!(
                        "not a parameter of the {id} check ({})",
                        if takes.is_empty() {
                            "it takes none".to_string()
                        } else {
                            format!("its parameters: {}", takes.join(", "))
                        }
                    ),
                );
            }
        }
    }
    let flag =
        |v: &Option<Spanned<bool>>, default: bool| v.as_ref().map_or(default, |b| *b.get_ref());
    let check = match id {
        CheckId::MissileCoverage => Check::MissileCoverage {
            include_hosted_forces: flag(&k.include_hosted_forces, true),
        },
        CheckId::Abductees => Check::Abductees {
            written: flag(&k.written, true),
        },
        CheckId::Briefing => {
            let within_hours = match &k.within_hours {
                Some(h) => {
                    let v = *h.get_ref();
                    if !v.is_finite() || v < 0.0 {
                        return c.err(
                            h.span(),
                            &format!("{field}.within-hours"),
                            format!("{v} is not a number of hours (a finite number, 0 or more)"),
                        );
                    }
                    v
                }
                None => 48.0,
            };
            Check::Briefing {
                within_hours,
                min_level: match &k.min_level {
                    Some(v) => level(c, v, &format!("{field}.min-level"))?,
                    None => Level::Minister,
                },
                public: flag(&k.public, false),
            }
        }
        CheckId::UnconsultedConcessions => Check::UnconsultedConcessions,
        CheckId::ProcessInclusion => Check::ProcessInclusion,
        CheckId::Reversibility => Check::Reversibility,
        CheckId::Verification => Check::Verification {
            min_verification: match &k.min_verification {
                Some(v) => match c.one_of(
                    v,
                    &format!("{field}.min-verification"),
                    &["none", "declarations", "monitoring", "inspections"],
                )? {
                    "declarations" => VerificationLevel::Declarations,
                    "monitoring" => VerificationLevel::Monitoring,
                    "inspections" => VerificationLevel::Inspections,
                    _ => VerificationLevel::None,
                },
                None => VerificationLevel::Inspections,
            },
            written: flag(&k.written, true),
        },
    };
    Ok(CheckSpec {
        check,
        red_line: k.red_line,
        why: k.why.clone(),
    })
}

/// A profile's territory: ISO 3166-1 alpha-2 codes the places data knows, or
/// `US-CONUS`. An unknown code would match no place and quietly turn every
/// missile check into "met", so it is an error naming the entry.
fn territory(c: &Ctx, t: &Spanned<Vec<Spanned<String>>>) -> Result<Vec<String>, DealError> {
    if t.get_ref().is_empty() {
        return c.err(
            t.span(),
            "territory",
            "empty: name at least one ISO 3166-1 alpha-2 code (such as \"JP\") or \"US-CONUS\"",
        );
    }
    let places = reach::Places::bundled().map_err(|e| DealError::Io {
        file: c.file.to_string(),
        message: format!("bundled places data: {e}"),
    })?;
    let mut out = Vec::new();
    for (i, code) in t.get_ref().iter().enumerate() {
        let v = code.get_ref().trim();
        if v == "US-CONUS" || (v.len() == 2 && places.country(v).is_some()) {
            out.push(v.to_string());
            continue;
        }
        let hint = if v.len() == 2 && places.country(&v.to_ascii_uppercase()).is_some() {
            format!(" (did you mean \"{}\"?)", v.to_ascii_uppercase())
        } else if v.len() == 3 {
            " (use the two-letter code: \"JP\", not \"JPN\")".to_string()
        } else {
            String::new()
        };
        return c.err(
            code.span(),
            &format!("territory[{i}]"),
            format!("'{v}' is not an ISO 3166-1 alpha-2 country code of the places data, nor US-CONUS{hint}"),
        );
    }
    Ok(out)
}

/// Parses and validates a stakeholder profile.
pub fn parse_stakeholder(file: &str, text: &str) -> Result<Stakeholder, DealError> {
    let w: wire::StakeholderFile = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
    let c = Ctx { file, text };
    let id = w.id.get_ref().to_ascii_lowercase();
    if id.is_empty() || !id.chars().all(|ch| ch.is_ascii_lowercase()) {
        return c.err(
            w.id.span(),
            "id",
            "a stakeholder id is a short lowercase code such as us, jp, kr, cn",
        );
    }
    let territory = territory(&c, &w.territory)?;
    let mut checks = Vec::new();
    for (i, k) in w.checks.iter().enumerate() {
        checks.push(check_spec(&c, k, &format!("checks[{i}]"))?);
    }
    Ok(Stakeholder {
        id,
        name: w.name,
        territory,
        hosts_us_forces: w.hosts_us_forces,
        priorities: w.priorities,
        checks,
        source: w.source,
    })
}

/// Reads a file, naming it in the error.
pub fn read(path: &Path) -> Result<String, DealError> {
    read_capped(path, MAX_FILE_BYTES)
}

/// The largest deal or profile file read, bytes (the bundled ones are under
/// 5 KB; a deal of every clause of an agreement stays far below this).
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// Reads a regular file of at most `cap` bytes as UTF-8, naming it in every
/// error: a device (`/dev/zero`), a FIFO or a directory is refused before it
/// is read, and a file that grows past the cap while read is refused too.
pub fn read_capped(path: &Path, cap: u64) -> Result<String, DealError> {
    use std::io::Read;
    let io = |message: String| DealError::Io {
        file: path.display().to_string(),
        message,
    };
    let meta = std::fs::metadata(path).map_err(|e| io(e.to_string()))?;
    if !meta.is_file() {
        return Err(io("not a regular file".into()));
    }
    if meta.len() > cap {
        return Err(io(format!(
            "{} bytes, more than the {cap} bytes allowed",
            meta.len()
        )));
    }
    let f = std::fs::File::open(path).map_err(|e| io(e.to_string()))?;
    let mut bytes = Vec::new();
    f.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io(e.to_string()))?;
    if bytes.len() as u64 > cap {
        return Err(io(format!("more than the {cap} bytes allowed")));
    }
    String::from_utf8(bytes).map_err(|e| io(format!("not UTF-8 text: {e}")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_regular_files_within_the_cap_are_read() {
        let e = super::read(std::path::Path::new("/dev/zero"))
            .err()
            .map(|e| e.to_string());
        assert_eq!(e.as_deref(), Some("/dev/zero: not a regular file"));
        let dir = std::env::temp_dir().join(format!("allylens-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let big = dir.join("big.toml");
        std::fs::write(&big, vec![b'#'; 2048]).expect("writes");
        let e = super::read_capped(&big, 1024)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("2048 bytes, more than the 1024"), "{e}");
        assert!(super::read(&dir).is_err(), "a directory");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_territory_must_be_a_known_code() {
        let profile = |t: &str| {
            format!(
                "id = \"jp\"\nname = \"Japan\"\nterritory = {t}\n[[checks]]\nid = \"abductees\"\n"
            )
        };
        for (t, needle) in [
            (
                "[\"JPN\"]",
                "jp.toml:3: territory[0]: 'JPN' is not an ISO 3166-1 alpha-2",
            ),
            ("[\"Japan\"]", "territory[0]: 'Japan'"),
            ("[\"jp\"]", "did you mean \"JP\""),
            ("[]", "jp.toml:3: territory: empty"),
            ("[\"JP\", \"XX\"]", "territory[1]: 'XX'"),
        ] {
            match parse_stakeholder("jp.toml", &profile(t)) {
                Ok(_) => panic!("accepted territory {t}"),
                Err(e) => assert!(e.to_string().contains(needle), "{t}: {e}"),
            }
        }
        let ok =
            parse_stakeholder("jp.toml", &profile("[\"JP\", \"US-CONUS\"]")).map(|s| s.territory);
        assert_eq!(ok, Ok(vec!["JP".to_string(), "US-CONUS".to_string()]));
    }

    #[test]
    fn a_check_takes_only_its_own_parameters() {
        let profile = |extra: &str| {
            format!("id = \"jp\"\nname = \"Japan\"\nterritory = [\"JP\"]\n[[checks]]\n{extra}")
        };
        // (check and parameter, error contains)
        let rows = [
            ("id = \"abductees\"\nwithin-hours = 24\n", "jp.toml:6: checks[0].within-hours: not a parameter of the abductees check (its parameters: written)"),
            ("id = \"reversibility\"\nwritten = true\n", "jp.toml:6: checks[0].written: not a parameter of the reversibility check (it takes none)"),
            ("id = \"briefing\"\nmin-verification = \"inspections\"\n", "checks[0].min-verification"),
            ("id = \"briefing\"\nwithin-hours = -3\n", "checks[0].within-hours: -3 is not a number of hours"),
            ("id = \"briefing\"\nwithin-hours = nan\n", "checks[0].within-hours: NaN is not a number of hours"),
            ("id = \"sanctions\"\n", "checks[0].id: 'sanctions' is not one of missile-coverage"),
        ];
        for (extra, needle) in rows {
            match parse_stakeholder("jp.toml", &profile(extra)) {
                Ok(_) => panic!("accepted: {extra}"),
                Err(e) => assert!(e.to_string().contains(needle), "{e}"),
            }
        }
        let ok = parse_stakeholder(
            "jp.toml",
            &profile(
                "id = \"briefing\"\nwithin-hours = 12\nmin-level = \"minister\"\npublic = true\n",
            ),
        );
        match ok.map(|s| s.checks[0].check.clone()) {
            Ok(Check::Briefing {
                within_hours,
                min_level,
                public,
            }) => {
                assert_eq!(within_hours, 12.0);
                assert_eq!(min_level, Level::Minister);
                assert!(public);
            }
            other => panic!("{other:?}"),
        }
    }

    use super::*;

    #[test]
    fn days_count_the_calendar() {
        assert_eq!(days("1970-01-01"), Some(0));
        assert_eq!(
            days("2018-06-14")
                .zip(days("2018-06-12"))
                .map(|(a, b)| a - b),
            Some(2)
        );
        assert_eq!(
            days("2000-03-01")
                .zip(days("2000-02-28"))
                .map(|(a, b)| a - b),
            Some(2)
        ); // 2000 is leap
        assert_eq!(
            days("1900-03-01")
                .zip(days("1900-02-28"))
                .map(|(a, b)| a - b),
            Some(1)
        ); // 1900 is not
        assert_eq!(days("2018-02-30"), None);
        assert_eq!(days("2018-6"), None);
        // found by the deal_toml fuzz target: the arithmetic overflowed
        assert_eq!(days("3074457345618258602-01-01"), None);
        assert_eq!(days("0-01-01"), None);
        assert_eq!(days("9999-12-31").map(|d| d > 0), Some(true));
    }

    fn known() -> Vec<String> {
        ["us", "jp", "kr"].iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_minimal_deal_parses() {
        let d = parse_deal("d.toml", "[deal]\nname = \"n\"\ndate = \"2018-06-12\"\nparties = [\"us\", \"kp\"]\nsource = \"s\"\n", &known())
            .expect("parses");
        assert_eq!(d.parties, vec!["us", "kp"]);
        assert!(d.weapons.is_empty() && d.verification.is_none());
    }

    #[test]
    fn errors_carry_file_line_and_field() {
        let text = "[deal]\nname = \"n\"\ndate = \"2018-06-12\"\nparties = [\"us\", \"xx\"]\nsource = \"s\"\n";
        match parse_deal("d.toml", text, &known()) {
            Err(DealError::Invalid {
                file,
                line,
                field,
                message,
            }) => {
                assert_eq!(
                    (file.as_str(), line, field.as_str()),
                    ("d.toml", 4, "deal.parties")
                );
                assert!(message.contains("xx"));
            }
            other => panic!("expected an error, got {other:?}"),
        }
        let text = "[deal]\nname = 3\ndate = \"2018-06-12\"\nparties = []\nsource = \"s\"\n";
        match parse_deal("d.toml", text, &known()) {
            Err(DealError::Invalid { line, field, .. }) => {
                assert_eq!((line, field.as_str()), (2, "name"))
            }
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn bundled_profiles_parse() {
        let s = crate::bundled_stakeholders().expect("profiles");
        let ids: Vec<&str> = s.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, vec!["us", "jp", "kr", "cn"]);
        let jp = &s[1];
        assert!(jp
            .checks
            .iter()
            .any(|c| c.id() == CheckId::Abductees && c.red_line));
    }
}
