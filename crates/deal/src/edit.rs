//! Quick edits of a deal's common fields, written into its TOML with the
//! rest of the text (comments, order, other fields) left as it was: the
//! workbench's form writes the deal the editor shows, so what is assessed and
//! saved is always the text.
//!
//! Why edit the text and not rebuild it from the model: a deal file carries
//! comments, clauses and fields the form does not show; rebuilding would drop
//! them.

use serde::Deserialize;
use toml_edit::{value, Array, ArrayOfTables, DocumentMut, Item, Table};

use crate::model::DealError;

/// The common fields a form sets; None leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuickEdit {
    /// The classes (or missile ids) a written dismantlement covers; empty
    /// removes the written dismantlement.
    pub dismantle: Option<Vec<String>>,
    /// none, declarations, monitoring, inspections (written).
    pub verification: Option<String>,
    /// upfront, phased, conditional.
    pub sequencing: Option<String>,
    pub reversible: Option<bool>,
    /// The abductees raised in the written text (true) or not at all (false).
    pub abductees_written: Option<bool>,
}

fn bad(message: impl Into<String>) -> DealError {
    DealError::Io {
        file: "deal edit".into(),
        message: message.into(),
    }
}

fn strings(v: &[String]) -> Array {
    v.iter().map(String::as_str).collect()
}

/// Applies the edit to the deal's TOML text and returns the new text.
pub fn apply(text: &str, edit: &QuickEdit) -> Result<String, DealError> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| bad(format!("the deal is not TOML: {e}")))?;
    if let Some(classes) = &edit.dismantle {
        let weapons = doc
            .entry("weapons")
            .or_insert(Item::ArrayOfTables(ArrayOfTables::new()))
            .as_array_of_tables_mut()
            .ok_or_else(|| bad("weapons is not a list of tables"))?;
        let written_dismantle = |t: &Table| {
            t.get("action").and_then(|v| v.as_str()) == Some("dismantle")
                && t.get("layer").and_then(|v| v.as_str()) == Some("written")
        };
        let at = weapons.iter().position(written_dismantle);
        match (at, classes.is_empty()) {
            (Some(i), true) => weapons.remove(i),
            (Some(i), false) => {
                if let Some(t) = weapons.get_mut(i) {
                    t["covers"] = value(strings(classes));
                }
            }
            (None, true) => {}
            (None, false) => {
                let mut t = Table::new();
                t["covers"] = value(strings(classes));
                t["action"] = value("dismantle");
                t["layer"] = value("written");
                weapons.push(t);
            }
        }
    }
    if let Some(level) = &edit.verification {
        let t = doc
            .entry("verification")
            .or_insert(Item::Table(Table::new()))
            .as_table_mut()
            .ok_or_else(|| bad("verification is not a table"))?;
        t["level"] = value(level.as_str());
        t["layer"] = value("written");
    }
    if edit.sequencing.is_some() || edit.reversible.is_some() {
        let t = doc
            .entry("sequencing")
            .or_insert(Item::Table(Table::new()))
            .as_table_mut()
            .ok_or_else(|| bad("sequencing is not a table"))?;
        if let Some(mode) = &edit.sequencing {
            t["mode"] = value(mode.as_str());
        }
        if let Some(r) = edit.reversible {
            t["reversible"] = value(r);
        }
        if !t.contains_key("mode") {
            t["mode"] = value("upfront");
        }
        if !t.contains_key("reversible") {
            t["reversible"] = value(false);
        }
    }
    if let Some(written) = edit.abductees_written {
        let issues = doc
            .entry("issues")
            .or_insert(Item::ArrayOfTables(ArrayOfTables::new()))
            .as_array_of_tables_mut()
            .ok_or_else(|| bad("issues is not a list of tables"))?;
        let abductees = |t: &Table| t.get("topic").and_then(|v| v.as_str()) == Some("abductees");
        let at = issues.iter().position(abductees);
        match (at, written) {
            (Some(i), true) => {
                if let Some(t) = issues.get_mut(i) {
                    t["layer"] = value("written");
                }
            }
            (None, true) => {
                let mut t = Table::new();
                t["topic"] = value("abductees");
                t["layer"] = value("written");
                t["description"] = value("the abductions raised in the written text");
                issues.push(t);
            }
            (_, false) => issues.retain(|t| !abductees(t)),
        }
        if issues.is_empty() {
            doc.remove("issues");
        }
    }
    if doc
        .get("weapons")
        .and_then(|w| w.as_array_of_tables())
        .is_some_and(|w| w.is_empty())
    {
        doc.remove("weapons");
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEAL: &str = include_str!("../../../examples/deals/singapore-2018.toml");

    fn known() -> Vec<String> {
        crate::STAKEHOLDER_IDS
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    #[test]
    fn a_form_edit_writes_valid_toml_and_keeps_the_rest() {
        let edit = QuickEdit {
            dismantle: Some(vec!["ICBM".into(), "IRBM".into()]),
            verification: Some("inspections".into()),
            sequencing: Some("upfront".into()),
            reversible: Some(false),
            abductees_written: Some(true),
        };
        let out = apply(DEAL, &edit).expect("edits");
        // comments and other fields stay
        let first_comment = DEAL
            .lines()
            .find(|l| l.starts_with('#'))
            .expect("a comment");
        assert!(out.contains(first_comment));
        let d = crate::parse_deal("edited", &out, &known()).expect("still a valid deal");
        assert_eq!(
            d.name,
            crate::parse_deal("orig", DEAL, &known())
                .expect("valid")
                .name
        );
        let dismantled = format!(
            "{:?}",
            d.weapons
                .iter()
                .filter(|w| w.action == crate::model::WeaponAction::Dismantle)
                .collect::<Vec<_>>()
        );
        assert!(dismantled.contains("IRBM"), "{dismantled}");
        assert!(out.contains("level = \"inspections\""));
        assert!(out.contains("topic = \"abductees\""));
        // and back: no written dismantlement, no abductees
        let back = apply(
            &out,
            &QuickEdit {
                dismantle: Some(vec![]),
                abductees_written: Some(false),
                ..Default::default()
            },
        )
        .expect("edits");
        crate::parse_deal("back", &back, &known()).expect("valid");
        assert!(!back.contains("topic = \"abductees\""));
    }

    #[test]
    fn text_that_is_not_toml_is_an_error() {
        assert!(apply("[deal\n", &QuickEdit::default()).is_err());
    }
}
