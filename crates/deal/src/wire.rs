//! The TOML wire format of deals and stakeholder profiles: strict (unknown
//! keys are errors), kebab-case, with spans kept on the fields that semantic
//! checks point at. Converted into the validated types of `model`.

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DealFile {
    pub deal: DealHeader,
    #[serde(default)]
    pub weapons: Vec<WeaponProvision>,
    #[serde(default)]
    pub nuclear: Vec<NuclearProvision>,
    pub verification: Option<Verification>,
    pub sequencing: Option<Sequencing>,
    #[serde(default)]
    pub concessions: Vec<Concession>,
    #[serde(default)]
    pub issues: Vec<Issue>,
    #[serde(default)]
    pub processes: Vec<Process>,
    #[serde(default)]
    pub briefings: Vec<Briefing>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DealHeader {
    pub name: String,
    /// YYYY-MM-DD
    pub date: Spanned<String>,
    pub parties: Vec<Spanned<String>>,
    pub source: String,
    #[serde(default)]
    pub hypothetical: bool,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct WeaponProvision {
    /// Missile classes (SRBM, MRBM, IRBM, ICBM), catalogue ids, or "all".
    pub covers: Vec<Spanned<String>>,
    /// dismantle, freeze, cap, test-moratorium
    pub action: Spanned<String>,
    pub max_range_km: Option<f64>,
    #[serde(default = "written")]
    pub layer: Spanned<String>,
    pub clause: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NuclearProvision {
    pub action: Spanned<String>,
    #[serde(default)]
    pub facilities: Vec<String>,
    #[serde(default = "written")]
    pub layer: Spanned<String>,
    pub clause: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Verification {
    /// none, declarations, monitoring, inspections
    pub level: Spanned<String>,
    #[serde(default = "written")]
    pub layer: Spanned<String>,
    pub clause: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Sequencing {
    /// upfront, phased, conditional
    pub mode: Spanned<String>,
    pub reversible: bool,
    #[serde(default)]
    pub conditions: Vec<String>,
    pub clause: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Concession {
    pub by: Spanned<String>,
    /// exercises-suspended, sanctions-relief, troop-reduction, missile-defence-limits,
    /// security-guarantee, economic-projects, military-restrictions, other
    pub kind: Spanned<String>,
    pub description: String,
    /// Stakeholders whose security it touches.
    #[serde(default)]
    pub affects: Vec<Spanned<String>>,
    /// Stakeholders consulted beforehand.
    #[serde(default)]
    pub consulted: Vec<Spanned<String>>,
    #[serde(default = "written")]
    pub layer: Spanned<String>,
    pub clause: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Issue {
    /// abductees, pow-mia, separated-families, human-rights, other
    pub topic: Spanned<String>,
    #[serde(default = "written")]
    pub layer: Spanned<String>,
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Process {
    /// peace-regime, denuclearization-talks, follow-on-talks, military-talks
    pub kind: Spanned<String>,
    #[serde(default)]
    pub participants: Vec<Spanned<String>>,
    /// Alternatives the text leaves open (e.g. three or four parties): each a list of participants.
    #[serde(default)]
    pub alternatives: Vec<Vec<Spanned<String>>>,
    pub description: Option<String>,
    #[serde(default = "written")]
    pub layer: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Briefing {
    pub briefer: Spanned<String>,
    pub briefed: Spanned<String>,
    /// YYYY-MM-DD
    pub date: Spanned<String>,
    /// Hours after the summit, when known more precisely than the date.
    pub hours_after: Option<Spanned<f64>>,
    /// head-of-government, minister, senior-official, working-level
    pub level: Spanned<String>,
    #[serde(default)]
    pub public: bool,
    pub form: Option<String>,
    pub note: Option<String>,
}

fn written() -> Spanned<String> {
    Spanned::new(0..0, "written".to_string())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct StakeholderFile {
    pub id: Spanned<String>,
    pub name: String,
    /// ISO 3166-1 alpha-2 codes of the territory it defends.
    pub territory: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    pub hosts_us_forces: bool,
    #[serde(default)]
    pub priorities: Vec<String>,
    pub checks: Vec<CheckSpec>,
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CheckSpec {
    pub id: Spanned<String>,
    #[serde(default = "yes")]
    pub red_line: bool,
    pub why: Option<String>,
    // parameters, by check
    pub include_hosted_forces: Option<Spanned<bool>>,
    pub within_hours: Option<Spanned<f64>>,
    pub min_level: Option<Spanned<String>>,
    pub public: Option<Spanned<bool>>,
    pub min_verification: Option<Spanned<String>>,
    pub written: Option<Spanned<bool>>,
}

fn yes() -> bool {
    true
}
