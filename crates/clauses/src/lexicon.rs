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
    /// Patterns of this tag, as written in `patterns`, that open a clause
    /// running to the next comma or full stop ("as long as the North
    /// negotiates in good faith"): a talk named inside it sets none up.
    #[serde(default)]
    pub opens_clause: Vec<String>,
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
            if let Some(o) = t
                .opens_clause
                .iter()
                .find(|o| !t.patterns.iter().any(|p| &p.p == *o))
            {
                return Err(LexiconError::Parse(format!(
                    "tag {}: opens_clause names '{o}', which is none of its patterns",
                    t.name
                )));
            }
        }
        Ok(l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "threshold = 0.5\nnegation_cues = [\"not\"]\nactor = []\ngroup = []\n";

    #[test]
    fn a_clause_opener_must_be_one_of_the_tags_patterns() {
        let good = format!(
            "{BASE}[[tag]]\nname = \"conditional\"\nopens_clause = [\"as long as\"]\npatterns = [{{ p = \"as long as\", w = 0.8 }}]\n"
        );
        let l = Lexicon::parse(&good).expect("parses");
        assert_eq!(l.tags[0].opens_clause, vec!["as long as"]);
        let bad = good.replace(
            "opens_clause = [\"as long as\"]",
            "opens_clause = [\"as long\"]",
        );
        let e = Lexicon::parse(&bad).expect_err("an opener that is no pattern");
        assert!(
            e.to_string().contains("opens_clause names 'as long'"),
            "{e}"
        );
    }
}
