//! The lexicon file: tags with weighted patterns, negation cues, actors.

use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LexiconError {
    #[error("lexicon: {0}")]
    Parse(String),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternSpec {
    pub p: String,
    pub w: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagSpec {
    pub name: String,
    #[serde(default)]
    pub negation: Option<String>,
    /// Words that void a match within three words of it, before or after
    /// ("pending issues on inter-Korean relations" are no abductee formula).
    #[serde(default)]
    pub unless_near: Vec<String>,
    pub patterns: Vec<PatternSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorSpec {
    pub code: String,
    pub phrases: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    pub phrases: Vec<String>,
    pub codes: Vec<String>,
}

/// The parsed lexicon.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lexicon {
    pub threshold: f64,
    pub negation_cues: Vec<String>,
    #[serde(rename = "tag")]
    pub tags: Vec<TagSpec>,
    #[serde(rename = "actor")]
    pub actors: Vec<ActorSpec>,
    #[serde(rename = "group")]
    pub groups: Vec<GroupSpec>,
}

impl Lexicon {
    pub fn parse(text: &str) -> Result<Lexicon, LexiconError> {
        let l: Lexicon = toml::from_str(text).map_err(|e| LexiconError::Parse(e.to_string()))?;
        for t in &l.tags {
            for p in &t.patterns {
                if !(p.w > 0.0 && p.w <= 1.0) || p.p.trim().is_empty() {
                    return Err(LexiconError::Parse(format!(
                        "tag {}: pattern '{}' needs a weight in (0, 1]",
                        t.name, p.p
                    )));
                }
            }
        }
        Ok(l)
    }
}
