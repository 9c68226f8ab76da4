//! # deal
//!
//! A deal with North Korea as a structured model, each ally's priorities and
//! red lines as typed checks, and the assessment that gives each ally a verdict
//! with evidence, the exposure it keeps, and where the allies diverge.
//!
//! Why typed checks: a verdict must be explainable line by line; each check
//! names the deal fields its evidence rests on, and missile coverage quotes the
//! residual exposure computed by the `reach` engine.
//!
//! Deals and profiles are TOML read through strict wire types (`wire`): unknown
//! keys, wrong types, dates out of order and unknown stakeholders are errors
//! that name the file, the line and the field.
//!
//! This crate reads only the text it is given; it knows nothing of HTTP or
//! storage.

pub mod arsenal;
mod assess;
mod checks;
mod compare;
pub mod edit;
mod model;
mod outcome;
mod threat;
mod wire;

pub use assess::{
    assess, Assessment, CheckResult, Divergence, Perspective, Residual, Status, Verdict,
};
pub use compare::{
    compare, split_threat, Change, CheckChange, Comparison, DealRef, PerspectiveChange,
    ThreatChange, ThreatSplit,
};
pub use model::{
    days, parse_deal, parse_stakeholder, read, read_capped, Briefing, Check, CheckId, CheckSpec,
    Concession, Covers, Deal, DealError, Issue, Layer, Level, NuclearProvision, Process,
    Sequencing, SequencingMode, Stakeholder, Verification, VerificationLevel, WeaponAction,
    WeaponProvision, CHECK_IDS, MAX_FILE_BYTES, OTHER_ACTORS,
};
pub use threat::{
    in_territory, threat_table, threat_table_of, MissileThreat, TerritoryHit, ThreatTable,
};

/// The stakeholder profiles that ship with allylens (editable copies live in
/// `examples/stakeholders/`).
pub const BUNDLED_STAKEHOLDERS: [(&str, &str); 4] = [
    (
        "examples/stakeholders/us.toml",
        include_str!("../../../examples/stakeholders/us.toml"),
    ),
    (
        "examples/stakeholders/jp.toml",
        include_str!("../../../examples/stakeholders/jp.toml"),
    ),
    (
        "examples/stakeholders/kr.toml",
        include_str!("../../../examples/stakeholders/kr.toml"),
    ),
    (
        "examples/stakeholders/cn.toml",
        include_str!("../../../examples/stakeholders/cn.toml"),
    ),
];

/// The ids of the bundled profiles, in the order reports list them: the one
/// list of the stakeholders allylens ships with.
pub const STAKEHOLDER_IDS: [&str; 4] = ["us", "jp", "kr", "cn"];

/// Parses the bundled profiles.
pub fn bundled_stakeholders() -> Result<Vec<Stakeholder>, DealError> {
    BUNDLED_STAKEHOLDERS
        .iter()
        .map(|(f, t)| parse_stakeholder(f, t))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_stakeholder_list_is_the_bundled_profiles() {
        let ids: Vec<String> = super::bundled_stakeholders()
            .expect("bundled profiles parse")
            .into_iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(ids, super::STAKEHOLDER_IDS);
    }
}
