//! Tagging clauses: tokens with character spans, patterns matched on simple
//! stems, negation cues, confidences, and the participants of talks.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::kind::{classify, reports_discussion, words_of, ClauseType};
use crate::lexicon::{Lexicon, LexiconError};
use crate::split::split;

/// A word of the text.
#[derive(Debug, Clone)]
struct Token {
    /// lower-case form ("u.s." for U.S. and US)
    word: String,
    stem: String,
    start: usize,
    end: usize,
}

/// Light stemming: strips the commonest English inflections.
fn stem(w: &str) -> String {
    for suf in [
        "ments", "ment", "ings", "ing", "ies", "ied", "es", "ed", "s",
    ] {
        if w.len() > suf.len() + 2 && w.ends_with(suf) {
            let base = &w[..w.len() - suf.len()];
            return match suf {
                "ies" | "ied" => format!("{base}y"),
                _ => base.to_string(),
            };
        }
    }
    w.to_string()
}

fn tokens(text: &[char]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if !text[i].is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < text.len()
            && (text[i].is_alphanumeric()
                || ((text[i] == '-' || text[i] == '\'' || text[i] == '’')
                    && i + 1 < text.len()
                    && text[i + 1].is_alphanumeric()))
        {
            i += 1;
        }
        let raw: String = text[start..i].iter().collect();
        // dotted initials ("D.P.R.K.", "R.O.K.", "U.S.A.") are one word, the acronym
        let dotted = {
            let mut j = start;
            let mut letters = String::new();
            while j + 1 < text.len() && text[j].is_ascii_uppercase() && text[j + 1] == '.' {
                letters.push(text[j].to_ascii_lowercase());
                j += 2;
            }
            (letters.len() >= 2 && raw.chars().count() == 1).then_some((letters, j))
        };
        // U.S. and US (capitals) are the United States, not the pronoun
        let (word, end) = if let Some((letters, j)) = dotted {
            i = j;
            let word = if letters == "us" || letters == "usa" {
                "u.s.".to_string()
            } else {
                letters
            };
            (word, j)
        } else if raw == "U"
            && i + 2 < text.len() + 1
            && text.get(i) == Some(&'.')
            && text.get(i + 1) == Some(&'S')
        {
            let end = if text.get(i + 2) == Some(&'.') {
                i + 3
            } else {
                i + 2
            };
            i = end;
            ("u.s.".to_string(), end)
        } else if raw == "US" {
            ("u.s.".to_string(), i)
        } else if raw.contains('-')
            && raw
                .split('-')
                .any(|p| p.len() >= 2 && p.chars().all(|c| c.is_ascii_uppercase()))
        {
            // "US-DPRK", "DPRK-Japan", "U.S.-ROK": actors joined by a hyphen are
            // each a word ("North-South" and "inter-Korean" stay whole)
            let mut at = start;
            for part in raw.split('-') {
                let n = part.chars().count();
                let word = if part == "US" {
                    "u.s.".to_string()
                } else {
                    part.to_lowercase()
                };
                out.push(Token {
                    stem: stem(&word),
                    word,
                    start: at,
                    end: at + n,
                });
                at += n + 1;
            }
            continue;
        } else {
            (raw.to_lowercase().replace('’', "'"), i)
        };
        out.push(Token {
            stem: stem(&word),
            word,
            start,
            end,
        });
    }
    out
}

#[derive(Debug, Clone)]
enum Part {
    Word(String),
    Exact(String),
    Prefix(String),
    Gap,
}

#[derive(Debug, Clone)]
struct Pattern {
    parts: Vec<Part>,
    source: String,
    weight: f64,
}

fn compile(p: &str, w: f64) -> Pattern {
    let parts = p
        .split_whitespace()
        .map(|t| {
            if t == "~" {
                Part::Gap
            } else if let Some(x) = t.strip_suffix('*') {
                Part::Prefix(x.to_lowercase())
            } else if let Some(x) = t.strip_suffix('=') {
                Part::Exact(x.to_lowercase())
            } else {
                let l = t.to_lowercase();
                Part::Word(stem(&l))
            }
        })
        .collect();
    Pattern {
        parts,
        source: p.to_string(),
        weight: w,
    }
}

/// Matches `parts` at token `i`; returns the index after the last token matched.
fn match_at(parts: &[Part], toks: &[Token], i: usize) -> Option<usize> {
    // The token positions a pattern can have reached after each part, kept as
    // a set: a gap (up to three words) widens it, a word narrows it. Linear
    // in the pattern's length times the gap width, however many gaps there
    // are (trying every skip of every gap in turn took 4^gaps steps: a user
    // lexicon with 16 gaps hung).
    // most patterns have no gap: one position, no allocation
    if !parts.iter().any(|p| matches!(p, Part::Gap)) {
        let mut pos = i;
        for part in parts {
            let t = toks.get(pos)?;
            let ok = match part {
                Part::Word(w) => t.stem == *w || t.word == *w,
                Part::Exact(w) => t.word == *w,
                Part::Prefix(p) => t.word.starts_with(p.as_str()),
                Part::Gap => true,
            };
            if !ok {
                return None;
            }
            pos += 1;
        }
        return Some(pos);
    }
    let mut at: Vec<usize> = vec![i];
    let mut next: Vec<usize> = Vec::new();
    for part in parts {
        next.clear();
        for &pos in &at {
            match part {
                Part::Gap => next.extend((pos..=pos + 3).filter(|p| *p <= toks.len())),
                Part::Word(w) => {
                    if toks.get(pos).is_some_and(|t| t.stem == *w || t.word == *w) {
                        next.push(pos + 1);
                    }
                }
                Part::Exact(w) => {
                    if toks.get(pos).is_some_and(|t| t.word == *w) {
                        next.push(pos + 1);
                    }
                }
                Part::Prefix(p) => {
                    if toks
                        .get(pos)
                        .is_some_and(|t| t.word.starts_with(p.as_str()))
                    {
                        next.push(pos + 1);
                    }
                }
            }
        }
        next.sort_unstable();
        next.dedup();
        std::mem::swap(&mut at, &mut next);
        if at.is_empty() {
            return None;
        }
    }
    at.first().copied()
}

/// The most evidence kept per tag, and of negated matches per clause: a
/// clause of a million repeated words gives a confidence from every match but
/// quotes only the first few (the answer stays small and linear).
pub const MAX_EVIDENCE: usize = 20;

/// Whether the words around an actor's mention (tokens `i..end`) say it is
/// left out rather than taking part: "without Japan", "excluding Japan",
/// "except Japan", "Japan will not take part", "Japan shall not participate".
fn left_out_by_words(toks: &[Token], i: usize, end: usize) -> bool {
    const BEFORE: [&str; 6] = [
        "without",
        "excluding",
        "except",
        "exclude",
        "excludes",
        "barring",
    ];
    let before = toks[i.saturating_sub(2)..i]
        .iter()
        .any(|t| BEFORE.contains(&t.word.as_str()));
    let after: Vec<&str> = toks[end..(end + 5).min(toks.len())]
        .iter()
        .map(|t| t.word.as_str())
        .collect();
    let negated = after.iter().take(3).any(|w| *w == "not" || *w == "never");
    let takes_part = after.windows(2).any(|w| w == ["take", "part"])
        || after
            .iter()
            .any(|w| ["participate", "join", "attend", "part"].contains(w));
    before || (negated && takes_part)
}

/// Whether the talk word at `i` names a meeting that already happened: "the
/// historic summit", "the previous round", "consensus reached at the
/// meetings", "acknowledged in the first summit" (a past participle and
/// "at", "in" or "during" just before it), unless the words look ahead ("the
/// next meeting").
fn talk_in_the_past(toks: &[Token], i: usize) -> bool {
    let before = &toks[i.saturating_sub(5)..i];
    let ahead = before.iter().any(|t| {
        matches!(
            t.word.as_str(),
            "next" | "future" | "upcoming" | "coming" | "new" | "further" | "another"
        )
    });
    if ahead {
        return false;
    }
    let named_past = toks[i.saturating_sub(2)..i].iter().any(|t| {
        matches!(
            t.word.as_str(),
            "historic" | "previous" | "past" | "last" | "recent" | "earlier" | "former"
        )
    });
    let participle_at = before.windows(2).any(|w| {
        matches!(w[1].word.as_str(), "at" | "in" | "during")
            && (w[0].word.ends_with("ed")
                || matches!(
                    w[0].word.as_str(),
                    "reached" | "made" | "held" | "taken" | "given"
                ))
            && !matches!(w[0].word.as_str(), "interested" | "engaged" | "involved")
    });
    named_past || participle_at
}

/// Whether the talk word at `i` is the means of settling something: "resolved
/// peacefully through dialogue and negotiation", "settle disputes by
/// negotiation".
fn talk_as_a_means(toks: &[Token], i: usize) -> bool {
    let before = &toks[i.saturating_sub(4)..i];
    let means = before
        .iter()
        .any(|t| matches!(t.word.as_str(), "through" | "via" | "by"));
    let settle = toks[i.saturating_sub(12)..i].iter().any(|t| {
        t.word.starts_with("resolv") || t.word.starts_with("settl") || t.word.starts_with("solv")
    });
    means && settle
}

/// Matched words, as evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub text: String,
    pub span: [usize; 2],
    /// The lexicon pattern that matched.
    pub pattern: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tag {
    pub tag: String,
    pub confidence: f64,
    pub evidence: Vec<Evidence>,
    /// For `missiles`: the range classes or systems named, or "unspecified".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub systems: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clause {
    pub id: String,
    /// What the clause is (provision, goal, preamble, narrative, heading,
    /// dateline, signature): tags attach only to the first four.
    #[serde(rename = "type")]
    pub kind: ClauseType,
    pub span: [usize; 2],
    pub text: String,
    pub tags: Vec<Tag>,
    /// Actors named as taking part in talks or a peace process (ISO-like codes: KR, KP, US, CN, JP, RU).
    pub participants: Vec<String>,
    /// Where the clause offers a choice of formats ("trilateral ... or
    /// quadrilateral ..."), the participants of each; empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub participant_alternatives: Vec<Vec<String>>,
    /// Stakeholders (lower-case ids) left out of the talks or process the
    /// clause sets up (out of every alternative).
    pub excluded_stakeholders: Vec<String>,
    /// Negated matches that were not counted, for transparency.
    pub negated: Vec<Evidence>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    pub clauses: Vec<Clause>,
    pub summary: Summary,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub clauses: usize,
    pub characters: usize,
    /// How many clauses carry each tag.
    pub tags: BTreeMap<String, usize>,
    /// Stakeholders left out of some process, with the clause ids.
    pub excluded_stakeholders: BTreeMap<String, Vec<String>>,
    pub missiles_mentioned: bool,
    pub risks: Vec<String>,
    /// The parties the text is between, as a reader resolves them: the two
    /// that dominate its mentions when two do ("the two sides"), else every
    /// actor named in a process (codes, upper case).
    pub parties: Vec<String>,
}

/// The compiled tagger.
#[derive(Debug, Clone)]
pub struct Tagger {
    tags: Vec<(String, bool, Vec<Pattern>)>,
    /// Per tag, the words that void a match near them (`unless_near`).
    unless_near: Vec<Vec<String>>,
    /// Per tag and pattern, whether the pattern opens a clause (`opens_clause`).
    opens_clause: Vec<Vec<bool>>,
    /// (tag, pattern) by the first word of the pattern (stem or exact word)
    index: std::collections::HashMap<String, Vec<(usize, usize)>>,
    /// (tag, pattern) by the first three letters of a leading prefix
    prefix_index: std::collections::HashMap<String, Vec<(usize, usize)>>,
    negation: Vec<String>,
    threshold: f64,
    actors: Vec<(String, Vec<Pattern>)>,
    /// The first words of every actor and group phrase, when all start with a
    /// word (a prefix or a gap first turns the filter off).
    actor_first: Option<std::collections::HashSet<String>>,
    groups: Vec<(Vec<String>, Vec<Pattern>)>,
}

/// Words that name a range class or a system. "long-range" is read as the
/// ICBM class: in the agreements and statements on North Korea it names the
/// launches of intercontinental reach (Taepodong, Unha, Hwasong-14/15); an
/// analyst who reads it otherwise edits the drafted `covers`.
const SYSTEMS: [(&str, &str); 15] = [
    ("long-range", "ICBM"),
    ("icbm", "ICBM"),
    ("intercontinental", "ICBM"),
    ("irbm", "IRBM"),
    ("intermediate-range", "IRBM"),
    ("mrbm", "MRBM"),
    ("medium-range", "MRBM"),
    ("srbm", "SRBM"),
    ("short-range", "SRBM"),
    ("hwasong", "Hwasong"),
    ("nodong", "Nodong"),
    ("rodong", "Nodong"),
    ("musudan", "Musudan"),
    ("taepodong", "Taepodong"),
    ("scud", "Scud"),
];

impl Tagger {
    pub fn from_toml(text: &str) -> Result<Tagger, LexiconError> {
        let l = Lexicon::parse(text)?;
        let tags: Vec<(String, bool, Vec<Pattern>)> = l
            .tags
            .iter()
            .map(|t| {
                (
                    t.name.clone(),
                    t.negation.as_deref() != Some("suppress"),
                    t.patterns.iter().map(|p| compile(&p.p, p.w)).collect(),
                )
            })
            .collect();
        let mut index: std::collections::HashMap<String, Vec<(usize, usize)>> =
            std::collections::HashMap::new();
        let mut prefix_index: std::collections::HashMap<String, Vec<(usize, usize)>> =
            std::collections::HashMap::new();
        for (ti, (name, _, pats)) in tags.iter().enumerate() {
            for (pi, p) in pats.iter().enumerate() {
                match p.parts.first() {
                    Some(Part::Word(w)) | Some(Part::Exact(w)) => index.entry(w.clone()).or_default().push((ti, pi)),
                    Some(Part::Prefix(x)) if x.chars().count() >= 3 => {
                        let k: String = x.chars().take(3).collect();
                        prefix_index.entry(k).or_default().push((ti, pi))
                    }
                    _ => {
                        return Err(LexiconError::Parse(format!(
                            "tag {name}: pattern '{}' must start with a word or a prefix of three letters or more",
                            p.source
                        )))
                    }
                }
            }
        }
        let actor_pats = l
            .actors
            .iter()
            .flat_map(|a| a.phrases.iter())
            .chain(l.groups.iter().flat_map(|g| g.phrases.iter()))
            .map(|p| compile(p, 1.0));
        let mut first = std::collections::HashSet::new();
        let mut all_words = true;
        for p in actor_pats {
            match p.parts.first() {
                Some(Part::Word(w)) | Some(Part::Exact(w)) => {
                    first.insert(w.clone());
                }
                _ => all_words = false,
            }
        }
        Ok(Tagger {
            actor_first: all_words.then_some(first),
            unless_near: l
                .tags
                .iter()
                .map(|t| t.unless_near.iter().map(|w| w.to_lowercase()).collect())
                .collect(),
            opens_clause: l
                .tags
                .iter()
                .map(|t| {
                    t.patterns
                        .iter()
                        .map(|p| t.opens_clause.contains(&p.p))
                        .collect()
                })
                .collect(),
            tags,
            index,
            prefix_index,
            negation: l.negation_cues.clone(),
            threshold: l.threshold,
            actors: l
                .actors
                .iter()
                .map(|a| {
                    (
                        a.code.clone(),
                        a.phrases.iter().map(|p| compile(p, 1.0)).collect(),
                    )
                })
                .collect(),
            groups: l
                .groups
                .iter()
                .map(|g| {
                    (
                        g.codes.clone(),
                        g.phrases.iter().map(|p| compile(p, 1.0)).collect(),
                    )
                })
                .collect(),
        })
    }

    /// The tagger with the bundled lexicon.
    pub fn bundled() -> Result<Tagger, LexiconError> {
        Tagger::from_toml(crate::BUNDLED_LEXICON)
    }

    fn negated(&self, toks: &[Token], i: usize) -> bool {
        toks[i.saturating_sub(3)..i]
            .iter()
            .any(|t| self.negation.contains(&t.word))
    }

    /// For denuclearization a negation can be the commitment itself: "shall
    /// not test, manufacture, produce ... nuclear weapons" (a prohibition) and
    /// "has no nuclear weapons" (an absence) state a nuclear-free peninsula.
    fn negated_denuclearization(&self, toks: &[Token], i: usize) -> bool {
        // a prohibition's list of banned acts may run far: look back further for its modal
        let window = &toks[i.saturating_sub(14)..i];
        let prohibition = window.windows(2).any(|w| {
            matches!(
                w[0].word.as_str(),
                "shall" | "will" | "must" | "to" | "agree" | "agreed" | "undertake" | "undertook"
            ) && w[1].word == "not"
        });
        let absence = window.windows(2).any(|w| {
            matches!(w[0].word.as_str(), "has" | "have" | "had" | "possess") && w[1].word == "no"
        });
        !(prohibition || absence) && self.negated(toks, i)
    }

    fn tag_clause(
        &self,
        chars: &[char],
        offset: usize,
        toks: &[Token],
    ) -> (Vec<Tag>, Vec<Evidence>) {
        let mut out = Vec::new();
        let mut negated = Vec::new();
        let ev = |a: usize, b: usize, pat: &str| Evidence {
            text: chars[toks[a].start..toks[b - 1].end].iter().collect(),
            span: [offset + toks[a].start, offset + toks[b - 1].end],
            pattern: pat.to_string(),
        };
        // candidate patterns per token, from the index on their first word
        let n_tags = self.tags.len();
        let mut found: Vec<Vec<(usize, usize, usize)>> = vec![Vec::new(); n_tags]; // (token, end, pattern)
        let mut cands: Vec<(usize, usize)> = Vec::new();
        for (i, t) in toks.iter().enumerate() {
            cands.clear();
            for key in [t.stem.as_str(), t.word.as_str()] {
                if let Some(v) = self.index.get(key) {
                    cands.extend_from_slice(v);
                }
            }
            if let Some(k) = t.word.get(..3) {
                if let Some(v) = self.prefix_index.get(k) {
                    cands.extend_from_slice(v);
                }
            }
            cands.sort_unstable();
            cands.dedup();
            for &(ti, pi) in cands.iter() {
                if let Some(end) = match_at(&self.tags[ti].2[pi].parts, toks, i) {
                    if end > i {
                        found[ti].push((i, end, pi));
                    }
                }
            }
        }
        // per start token the strongest pattern first: it is the one counted
        // ("economic cooperation" before "econom*")
        for (ti, f) in found.iter_mut().enumerate() {
            let pats = &self.tags[ti].2;
            f.sort_by(|a, b| {
                a.0.cmp(&b.0)
                    .then(pats[b.2].weight.total_cmp(&pats[a.2].weight))
            });
        }
        // the spans of phased and conditional matches of three words or more
        let conditions: Vec<(usize, usize)> = self
            .tags
            .iter()
            .enumerate()
            .filter(|(_, (n, _, _))| n == "phased" || n == "conditional")
            .flat_map(|(ti, _)| found[ti].iter().map(|&(i, e, _)| (i, e)))
            .filter(|(i, e)| e - i >= 3)
            .collect();
        // a condition opened by a subordinating marker runs on to the next
        // comma, semicolon or full stop: a talk named in it ("as long as the
        // North negotiates in good faith") is the condition, not a talk set up
        // (its topics still count: "as long as its security is guaranteed")
        let talk_conditions: Vec<(usize, usize)> = found
            .iter()
            .enumerate()
            .flat_map(|(ti, f)| {
                f.iter()
                    .filter(move |&&(_, _, pi)| self.opens_clause[ti][pi])
                    .map(|&(i, e, _)| (i, clause_end(chars, toks, e)))
            })
            .collect();
        for (ti, (name, keep_negation, patterns)) in self.tags.iter().enumerate() {
            let mut evidence = Vec::new();
            let mut miss = 1.0;
            // matches come in token order: one per start token
            let mut last_start = None;
            for &(i, end, pi) in &found[ti] {
                let p = &patterns[pi];
                let unless = &self.unless_near[ti];
                if !unless.is_empty()
                    && toks[i.saturating_sub(3)..(end + 3).min(toks.len())]
                        .iter()
                        .any(|t| unless.contains(&t.word))
                {
                    continue;
                }
                // words inside a condition or a sequence ("as military tension is
                // alleviated") state when, not what
                if !matches!(name.as_str(), "phased" | "conditional")
                    && conditions
                        .iter()
                        .any(|&(a, b)| a <= i && end <= b && (a, b) != (i, end))
                {
                    continue;
                }
                // a talk named as past ("the historic summit", "consensus reached
                // at the meetings") or as a means ("resolved peacefully through
                // dialogue") sets none up
                if name == "future-talks"
                    && (talk_in_the_past(toks, i)
                        || talk_as_a_means(toks, i)
                        || talk_conditions.iter().any(|&(a, b)| a < i && end <= b))
                {
                    continue;
                }
                let negated_here = if name == "denuclearization" {
                    self.negated_denuclearization(toks, i)
                } else {
                    self.negated(toks, i)
                };
                if !keep_negation && negated_here {
                    if negated.len() < MAX_EVIDENCE {
                        negated.push(ev(i, end, &p.source));
                    }
                    continue;
                }
                if last_start == Some(i) {
                    continue;
                }
                last_start = Some(i);
                if evidence.len() < MAX_EVIDENCE {
                    evidence.push(ev(i, end, &p.source));
                }
                miss *= 1.0 - p.weight;
            }
            let confidence = 1.0 - miss;
            if confidence >= self.threshold {
                let systems = (name == "missiles").then(|| {
                    let mut s: Vec<String> = toks
                        .iter()
                        .filter_map(|t| {
                            SYSTEMS
                                .iter()
                                .find(|(k, _)| t.word.starts_with(k))
                                .map(|(_, v)| v.to_string())
                        })
                        .collect();
                    s.sort();
                    s.dedup();
                    if s.is_empty() {
                        s.push("unspecified".into());
                    }
                    s
                });
                out.push(Tag {
                    tag: name.clone(),
                    confidence: (confidence * 1000.0).round() / 1000.0,
                    evidence,
                    systems,
                });
            }
        }
        (out, negated)
    }

    fn participants(&self, toks: &[Token]) -> Vec<String> {
        let mut codes: Vec<String> = self.mentions(toks).into_iter().map(|(c, _, _)| c).collect();
        sort_codes(&mut codes);
        codes
    }

    /// Every actor named, as (code, first token, end token): group phrases
    /// give each of their codes; a name inside a longer name of another actor
    /// does not count ("Republic of Korea" inside "Democratic People's
    /// Republic of Korea" is the North).
    fn mentions(&self, toks: &[Token]) -> Vec<(String, usize, usize)> {
        let mut found: Vec<(String, usize, usize)> = Vec::new();
        for i in 0..toks.len() {
            // only a word that starts some actor's or group's phrase is tried
            if let Some(first) = &self.actor_first {
                if !first.contains(&toks[i].stem) && !first.contains(&toks[i].word) {
                    continue;
                }
            }
            for (group, pats) in &self.groups {
                if let Some(end) = pats
                    .iter()
                    .filter_map(|p| match_at(&p.parts, toks, i).filter(|e| *e > i))
                    .max()
                {
                    found.extend(group.iter().map(|c| (c.clone(), i, end)));
                }
            }
            for (code, end) in self.actors_at(toks, i) {
                if !left_out_by_words(toks, i, end) && !is_venue(toks, i, end) {
                    found.push((code.clone(), i, end));
                }
            }
        }
        let inside = |a: &(String, usize, usize), b: &(String, usize, usize)| {
            a.0 != b.0 && b.1 <= a.1 && a.2 <= b.2 && (b.2 - b.1) > (a.2 - a.1)
        };
        // found is in start order; a name that contains another starts at most
        // a few tokens before it, so only near neighbours are compared (linear
        // in the length of the text)
        const LONGEST: usize = 12;
        (0..found.len())
            .filter(|&k| {
                let a = &found[k];
                let lo = found.partition_point(|b| b.1 + LONGEST < a.1);
                !found[lo..]
                    .iter()
                    .take_while(|b| b.1 <= a.1)
                    .any(|b| inside(a, b))
            })
            .map(|k| found[k].clone())
            .collect()
    }

    /// The participant sets on either side of an "or", when two or more
    /// differ and each names two or more actors.
    fn alternatives(
        &self,
        chars: &[char],
        toks: &[Token],
        sides: Option<&[String; 2]>,
    ) -> Vec<Vec<String>> {
        let mut sets: Vec<Vec<String>> = Vec::new();
        for seg in toks.split(|t| t.word == "or") {
            let (Some(first), Some(last)) = (seg.first(), seg.last()) else {
                continue;
            };
            let mut p = self.participants(seg);
            let text: String = chars[first.start..last.end].iter().collect();
            if mentions_both_sides(&text) {
                if let Some(two) = sides {
                    p.extend(two.iter().cloned());
                    sort_codes(&mut p);
                }
            }
            if p.len() >= 2 && !sets.contains(&p) {
                sets.push(p);
            }
        }
        if sets.len() >= 2 {
            sets
        } else {
            vec![]
        }
    }

    /// The two actors a text is between, when two dominate its mentions (an
    /// inter-Korean agreement, a U.S.-DPRK statement): "the two sides" of a
    /// clause are then these two.
    fn two_sides(mentions: &[(String, usize, usize)]) -> Option<[String; 2]> {
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        for (c, _, _) in mentions {
            *count.entry(c.as_str()).or_insert(0) += 1;
        }
        let mut v: Vec<(&str, usize)> = count.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let total: usize = v.iter().map(|x| x.1).sum();
        match v.as_slice() {
            [a, b, ..] if (a.1 + b.1) * 10 >= total * 7 && b.1 >= 2 => {
                Some([a.0.to_string(), b.0.to_string()])
            }
            _ => None,
        }
    }

    /// The actors a clause names as taking no part ("without Japan", "Japan
    /// will not take part").
    fn named_as_left_out(&self, toks: &[Token]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for i in 0..toks.len() {
            for (code, end) in self.actors_at(toks, i) {
                if left_out_by_words(toks, i, end) && !out.contains(code) {
                    out.push(code.clone());
                }
            }
        }
        out
    }

    /// Each actor whose phrase matches at token `i`, with the end of its
    /// longest match.
    fn actors_at<'s>(
        &'s self,
        toks: &'s [Token],
        i: usize,
    ) -> impl Iterator<Item = (&'s String, usize)> + 's {
        self.actors.iter().filter_map(move |(code, pats)| {
            pats.iter()
                .filter_map(|p| match_at(&p.parts, toks, i).filter(|e| *e > i))
                .max()
                .map(|end| (code, end))
        })
    }

    /// The two actors a title names ("Joint Statement of the DPRK and the
    /// United States", "Agreement between the South and the North"): the
    /// signatories, whatever else the text goes on to name. None unless the
    /// text's heading names exactly two.
    fn title_sides(&self, chars: &[char], pieces: &[crate::split::Piece]) -> Option<[String; 2]> {
        let first = pieces.first().filter(|_| pieces.len() > 1)?;
        if classify(&first.text, true, true) != ClauseType::Heading {
            return None;
        }
        let mut codes: Vec<String> = self
            .mentions(&tokens(&chars[first.start..first.end]))
            .into_iter()
            .map(|(c, _, _)| c)
            .collect();
        sort_codes(&mut codes);
        match codes.as_slice() {
            [a, b] => Some([a.clone(), b.clone()]),
            _ => None,
        }
    }

    pub fn analyse(&self, text: &str, stakeholders: &[&str]) -> Analysis {
        let chars: Vec<char> = text.chars().collect();
        let pieces = split(text);
        // every actor the text names, found once
        let mentions = self.mentions(&tokens(&chars));
        // the signatories: the two a title names, else the two that dominate
        // the text's mentions
        let sides = self
            .title_sides(&chars, &pieces)
            .or_else(|| Self::two_sides(&mentions));
        // the abductee formulas ("pending issues", "outstanding issues") mean
        // the abductions only where Japan is a party to the matter: a text
        // that never names Japan uses them for other business
        let names_japan = mentions.iter().any(|(c, _, _)| c == "JP");
        let mut clauses = Vec::new();
        let several = pieces.len() > 1;
        for (n, piece) in pieces.into_iter().enumerate() {
            let slice = &chars[piece.start..piece.end];
            let toks = tokens(slice);
            // a heading, dateline or signature states no provision; a report of
            // past events none either, unless it says what was discussed
            let kind = classify(&piece.text, n == 0 && several, several);
            let untagged = !kind.takes_tags()
                || (kind == ClauseType::Narrative && !reports_discussion(&piece.text));
            let (mut tags, negated) = if untagged {
                (vec![], vec![])
            } else {
                self.tag_clause(slice, piece.start, &toks)
            };
            // a report of talks that happened, or a preamble, sets none up
            if tags.iter().any(|t| {
                t.tag == "future-talks"
                    && (matches!(kind, ClauseType::Narrative | ClauseType::Preamble)
                        || only_visits_or_bodies(t))
            }) {
                tags.retain(|t| t.tag != "future-talks");
            }
            if !names_japan {
                tags.retain(|t| t.tag != "abductees" || !only_issue_formulas(t));
            }
            // only a provision or a goal sets a process up (a narrative's peace
            // regime is a topic that was discussed)
            let process = matches!(kind, ClauseType::Provision | ClauseType::Goal)
                && tags
                    .iter()
                    .any(|t| t.tag == "future-talks" || t.tag == "peace-regime");
            let participants = if process {
                let mut p = self.participants(&toks);
                // "the two sides" of a text between two parties are those parties
                if mentions_both_sides(&piece.text) {
                    if let Some(two) = &sides {
                        p.extend(two.iter().cloned());
                        sort_codes(&mut p);
                    }
                }
                p
            } else {
                vec![]
            };
            // "trilateral meetings of A, B and C, or quadrilateral meetings of A,
            // B, C and D": each side of an "or" that names two or more actors is
            // one possible set of participants
            let alternatives = if participants.len() >= 2 {
                self.alternatives(slice, &toks, sides.as_ref())
            } else {
                vec![]
            };
            // a process that names two or more parties leaves out the stakeholders
            // it does not name; one that says who takes no part ("Japan will not
            // take part", "without Japan") leaves those out whoever else it names
            let named_out = if process {
                self.named_as_left_out(&toks)
            } else {
                vec![]
            };
            let excluded: Vec<String> = stakeholders
                .iter()
                .filter(|s| {
                    (participants.len() >= 2
                        && !participants.iter().any(|p| p.eq_ignore_ascii_case(s)))
                        || named_out.iter().any(|p| p.eq_ignore_ascii_case(s))
                })
                .map(|s| s.to_string())
                .collect();
            clauses.push(Clause {
                id: format!("c{}", n + 1),
                kind,
                span: [piece.start, piece.end],
                text: piece.text,
                tags,
                participants,
                participant_alternatives: alternatives,
                excluded_stakeholders: excluded,
                negated,
            });
        }
        let mut tags = BTreeMap::new();
        let mut excluded: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for c in &clauses {
            for t in &c.tags {
                *tags.entry(t.tag.clone()).or_insert(0) += 1;
            }
            for s in &c.excluded_stakeholders {
                excluded.entry(s.clone()).or_default().push(c.id.clone());
            }
        }
        let has = |t: &str| tags.contains_key(t);
        let mut risks = Vec::new();
        if has("denuclearization") && !has("missiles") {
            risks.push(
                "missiles left out: denuclearization without any missile provision".to_string(),
            );
        }
        if has("phased") || has("conditional") {
            risks.push("disarmament phased or conditional on counterpart measures".into());
        }
        if has("reversible") {
            risks.push("reversible steps (freeze, moratorium, suspension)".into());
        }
        if has("hostilities-cessation") || has("military-restrictions") {
            risks.push(
                "cessation of hostile acts or military restrictions that may bind allies' training"
                    .into(),
            );
        }
        if has("economic-cooperation") {
            risks.push("economic projects that may erode sanctions".into());
        }
        for (s, ids) in &excluded {
            risks.push(format!(
                "{s} left out of talks or a peace process ({})",
                ids.join(", ")
            ));
        }
        if !has("verification") && (has("denuclearization") || has("missiles")) {
            risks.push("no verification".into());
        }
        let mut parties: Vec<String> = match &sides {
            Some(two) => two.to_vec(),
            None => clauses
                .iter()
                .flat_map(|c| c.participants.iter().cloned())
                .collect(),
        };
        sort_codes(&mut parties);
        let summary = Summary {
            parties,
            clauses: clauses.len(),
            characters: chars.len(),
            missiles_mentioned: has("missiles"),
            tags,
            excluded_stakeholders: excluded,
            risks,
        };
        Analysis { clauses, summary }
    }
}

/// Actor codes in the order reports list them (the two Koreas first), once each.
fn sort_codes(codes: &mut Vec<String>) {
    const ORDER: [&str; 6] = ["KR", "KP", "US", "CN", "JP", "RU"];
    codes.sort_by_key(|c| ORDER.iter().position(|o| o == c).unwrap_or(ORDER.len()));
    codes.dedup();
}

/// Whether a clause speaks of the parties as a pair without naming them.
fn mentions_both_sides(text: &str) -> bool {
    let w = words_of(text);
    [
        " two sides ",
        " both sides ",
        " two leaders ",
        " two countries ",
        " both countries ",
        " two parties ",
        " both parties ",
    ]
    .iter()
    .any(|p| w.contains(p))
}

/// Capitals that name their governments ("Seoul and Pyongyang will hold
/// talks") except where they name the place of a meeting or a visit.
const CAPITALS: [&str; 6] = [
    "beijing",
    "pyongyang",
    "seoul",
    "tokyo",
    "washington",
    "moscow",
];

/// Whether a capital is named as a venue ("a meeting in Beijing", "the visit
/// to Pyongyang"): then it names no participant.
fn is_venue(toks: &[Token], i: usize, end: usize) -> bool {
    end == i + 1
        && CAPITALS.contains(&toks[i].word.as_str())
        && i > 0
        && matches!(toks[i - 1].word.as_str(), "in" | "at" | "to")
}

/// The index of the first token after `from` that follows a comma,
/// semicolon, colon or full stop (the end of a subordinate clause), or the
/// number of tokens.
fn clause_end(chars: &[char], toks: &[Token], from: usize) -> usize {
    (from.max(1)..toks.len())
        .find(|&k| {
            chars[toks[k - 1].end..toks[k].start]
                .iter()
                .any(|c| matches!(c, ',' | ';' | ':' | '.'))
        })
        .unwrap_or(toks.len())
}

/// Whether an abductees tag rests only on the formulas "pending issues" and
/// "outstanding issues" (which name the abductions in Japan-DPRK texts, and
/// other business elsewhere).
fn only_issue_formulas(t: &Tag) -> bool {
    !t.evidence.is_empty()
        && t.evidence.iter().all(|e| {
            let w = e.text.to_lowercase();
            w.starts_with("pending issue") || w.starts_with("outstanding issue")
        })
}

/// Whether talks are named only by visits (exchanges of visits, visiting
/// groups: contacts between people, not negotiations) or by a standing body
/// of a party or of the Security Council (the Central Committee, "the
/// Committee" of a sanctions resolution).
fn only_visits_or_bodies(t: &Tag) -> bool {
    !t.evidence.is_empty()
        && t.evidence.iter().all(|e| {
            let w = e.text.to_lowercase();
            w.starts_with("visit") || w == "committee"
        })
}

/// The stakeholders the clause reader looks for when none are given: the
/// profiles that ship with allylens (`deal::STAKEHOLDER_IDS`; a test in the
/// `report` crate keeps the two equal).
pub const DEFAULT_STAKEHOLDERS: [&str; 4] = ["us", "jp", "kr", "cn"];

/// The bundled lexicon's tagger, parsed once per process: the server reads
/// texts request after request (parsing it each time cost more than the
/// tagging).
pub fn bundled_tagger() -> Result<&'static Tagger, LexiconError> {
    static BUNDLED: std::sync::OnceLock<Tagger> = std::sync::OnceLock::new();
    if let Some(t) = BUNDLED.get() {
        return Ok(t);
    }
    let t = Tagger::bundled()?;
    Ok(BUNDLED.get_or_init(|| t))
}

/// Analyses with the bundled lexicon and the default stakeholders.
pub fn analyse(text: &str) -> Result<Analysis, LexiconError> {
    Ok(bundled_tagger()?.analyse(text, &DEFAULT_STAKEHOLDERS))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags_of(text: &str) -> Vec<String> {
        let a = analyse(text).expect("lexicon");
        a.clauses
            .iter()
            .flat_map(|c| c.tags.iter().map(|t| t.tag.clone()))
            .collect()
    }

    #[test]
    fn an_ally_said_to_take_no_part_is_left_out_whoever_else_is_named() {
        let a = analyse("1. Japan will not take part in the peace talks.").expect("lexicon");
        assert_eq!(a.clauses[0].excluded_stakeholders, vec!["jp"]);
        let a = analyse("1. The peace talks will go ahead without Japan.").expect("lexicon");
        assert_eq!(a.clauses[0].excluded_stakeholders, vec!["jp"]);
        // no talks set up: nobody left out
        let a = analyse("1. Japan will not take part in the harbour works.").expect("lexicon");
        assert!(a.clauses[0].excluded_stakeholders.is_empty());
    }

    #[test]
    fn a_capital_named_as_the_venue_is_no_participant() {
        let a = analyse("1. The two Koreas and the United States will hold a meeting in Beijing.")
            .expect("lexicon");
        assert_eq!(a.clauses[0].participants, vec!["KR", "KP", "US"]);
        assert_eq!(a.clauses[0].excluded_stakeholders, vec!["jp", "cn"]);
        // the capitals as their governments
        let a = analyse("1. Seoul and Pyongyang will hold military talks next month.")
            .expect("lexicon");
        assert_eq!(a.clauses[0].participants, vec!["KR", "KP"]);
    }

    #[test]
    fn the_two_sides_are_the_two_a_title_names() {
        // the text goes on to name six parties, so no pair dominates its mentions
        let text = "Joint Statement of the DPRK and the United States\n\n\
            1. Both sides will meet again in Geneva next month.\n\n\
            2. The ministers of the six parties will hold a meeting in Beijing.\n\n\
            3. China, Russia, Japan and South Korea welcomed the talks.";
        let a = analyse(text).expect("lexicon");
        assert_eq!(a.summary.parties, vec!["KP", "US"]);
        assert_eq!(a.clauses[1].participants, vec!["KP", "US"]);
        assert_eq!(a.clauses[1].excluded_stakeholders, vec!["jp", "kr", "cn"]);
        // a title naming three is no pair
        let three = "Joint Statement of the United States, Japan and the Republic of Korea\n\n\
            1. Both sides will meet again in Geneva next month.";
        assert!(analyse(three).expect("lexicon").clauses[1]
            .participants
            .is_empty());
    }

    #[test]
    fn the_issue_formulas_name_the_abductions_only_where_japan_is_in_the_text() {
        let without = "1. The United States and the DPRK will settle the outstanding issues.\n\n\
            2. The two sides will resolve the pending issues through dialogue.";
        assert!(!tags_of(without).contains(&"abductees".to_string()));
        let with = "1. Japan and the DPRK will settle the pending issues.\n\n\
            2. The two sides will resolve the outstanding issues of concern.";
        let a = analyse(with).expect("lexicon");
        assert!(a
            .clauses
            .iter()
            .all(|c| c.tags.iter().any(|t| t.tag == "abductees")));
        // the word itself needs no Japan
        assert!(tags_of("1. The DPRK will return the abducted persons.")
            .contains(&"abductees".to_string()));
    }

    #[test]
    fn an_actor_named_as_left_out_is_no_participant() {
        for text in [
            "The United States, China and the two Koreas will hold talks on a peace regime without Japan.",
            "The parties will hold talks on a peace regime, excluding Japan, with the United States, China and the two Koreas.",
            "The two Koreas, China and the United States will hold talks on a peace regime; Japan will not take part.",
            "The two Koreas and the United States will hold talks on a peace regime with all parties except Japan.",
        ] {
            let a = analyse(text).expect("lexicon");
            let c = &a.clauses[0];
            assert!(!c.participants.iter().any(|p| p == "JP"), "{text}: {:?}", c.participants);
            assert!(c.excluded_stakeholders.iter().any(|s| s == "jp"), "{text}: {:?}", c.excluded_stakeholders);
        }
        let a = analyse(
            "The two Koreas, the United States and Japan will hold talks on a peace regime.",
        )
        .expect("lexicon");
        assert!(a.clauses[0].participants.iter().any(|p| p == "JP"));
    }

    #[test]
    fn parties_by_acronym_pairs_leaders_and_agencies() {
        let parts = |text: &str| {
            let a = analyse(text).expect("lexicon");
            (
                a.clauses[0].participants.clone(),
                a.clauses[0].excluded_stakeholders.clone(),
            )
        };
        // an acronym pair joined by a hyphen names both
        assert_eq!(parts("US-DPRK talks will resume in May.").0, ["KP", "US"]);
        assert_eq!(
            parts("DPRK-Japan talks will resume in May.").0,
            ["KP", "JP"]
        );
        // leaders by name
        assert_eq!(
            parts("President Moon Jae-in and Chairman Kim Jong Un will meet again in the autumn.")
                .0,
            ["KR", "KP"]
        );
        // an agency: every stakeholder is left out of its talks with the DPRK
        let (p, x) = parts("The IAEA and the DPRK will hold consultations on the safeguards.");
        assert_eq!(p, ["KP", "IAEA"]);
        assert_eq!(x, ["us", "jp", "kr", "cn"]);
        // "North-South" stays one word of the two Koreas
        assert_eq!(
            parts("North-South talks will be held in June.").0,
            ["KR", "KP"]
        );
    }

    #[test]
    fn dotted_initials_are_one_actor() {
        let a = analyse("The D.P.R.K. and the R.O.K. will hold talks with the U.S.A. in May.")
            .expect("lexicon");
        assert_eq!(a.clauses[0].participants, ["KR", "KP", "US"]);
        let a = analyse("The U.S. and the DPRK will hold talks in May.").expect("lexicon");
        assert_eq!(a.clauses[0].participants, ["KP", "US"]);
    }

    #[test]
    fn a_talk_named_as_past_sets_none_up() {
        let tags = tags_of("Building on the historic summit, the two sides will improve their bilateral relations.");
        assert!(!tags.contains(&"future-talks".to_string()), "{tags:?}");
        assert!(tags.contains(&"normalization".to_string()), "{tags:?}");
        // inter-Korean relations are not normalization
        let tags = tags_of("The two sides will improve inter-Korean relations.");
        assert!(!tags.contains(&"normalization".to_string()), "{tags:?}");
    }

    #[test]
    fn gaps_match_without_backtracking() {
        // sixteen gaps: trying every skip of every gap would take 4^16 steps
        let many = format!("alpha {}omega", "~ ".repeat(16));
        let p = compile(&many, 0.5);
        let text: Vec<char> = format!("alpha {}omega", "x ".repeat(40)).chars().collect();
        let toks = tokens(&text);
        assert_eq!(
            match_at(&p.parts, &toks, 0),
            Some(42),
            "40 words in between fit 16 gaps of 3"
        );
        let short: Vec<char> = "alpha omega".chars().collect();
        assert_eq!(match_at(&p.parts, &tokens(&short), 0), Some(2));
        let far: Vec<char> = format!("alpha {}omega", "x ".repeat(49)).chars().collect();
        assert_eq!(
            match_at(&p.parts, &tokens(&far), 0),
            None,
            "49 words are more than 16 gaps of 3"
        );
        let q = compile("the ~ parties", 0.5);
        let t2: Vec<char> = "the two parties".chars().collect();
        assert_eq!(match_at(&q.parts, &tokens(&t2), 0), Some(3));
    }

    #[test]
    fn a_clause_of_repeated_words_quotes_capped_evidence() {
        // (the time is the benchmark's to measure: 1 MiB of "npt " took 33 s
        // with a quadratic scan of matches, 0.08 s now)
        let text = "the NPT ".repeat(200_000);
        let a = analyse(&text).expect("lexicon");
        let tag = a
            .clauses
            .iter()
            .flat_map(|c| &c.tags)
            .find(|t| t.tag == "denuclearization");
        let Some(tag) = tag else {
            panic!("the NPT is a denuclearization word: {:?}", a.summary.tags);
        };
        assert_eq!(tag.evidence.len(), MAX_EVIDENCE);
        assert_eq!(tag.confidence, 1.0);
    }

    #[test]
    fn stems_and_tokens() {
        assert_eq!(stem("inspections"), "inspection");
        assert_eq!(stem("talks"), "talk");
        assert_eq!(stem("families"), "family");
        let t: Vec<char> = "The U.S. and US forces met us".chars().collect();
        let w: Vec<String> = tokens(&t).into_iter().map(|t| t.word).collect();
        assert_eq!(w, vec!["the", "u.s.", "and", "u.s.", "forces", "met", "us"]);
    }

    #[test]
    fn the_article_s_examples() {
        assert!(tags_of(
            "carry out disarmament in a phased manner, as military tension is alleviated"
        )
        .contains(&"phased".to_string()));
        assert!(tags_of("cease all hostile acts in every domain")
            .contains(&"hostilities-cessation".to_string()));
        assert!(tags_of("projects to promote balanced economic growth")
            .contains(&"economic-cooperation".to_string()));
    }

    #[test]
    fn parties_are_resolved_as_a_reader_would() {
        let t = Tagger::bundled().expect("lexicon");
        // "the two sides" of an inter-Korean text are the two Koreas
        let a = t.analyse(
            "Agreement between the South and the North.\n\nThe South and the North reaffirm the agreement.\n\nThe two sides agreed to hold military talks in May.",
            &["us", "jp", "kr", "cn"],
        );
        let c = a.clauses.last().expect("a clause");
        assert_eq!(c.participants, vec!["KR", "KP"], "{c:?}");
        assert_eq!(c.excluded_stakeholders, vec!["us", "jp", "cn"]);
        // the North's full name is not the South's, and "Japanese" is Japan
        let a = t.analyse(
            "The Japanese side and the Democratic People's Republic of Korea agreed to hold talks in Stockholm next month.",
            &["us", "jp", "kr", "cn"],
        );
        let c = &a.clauses[0];
        assert_eq!(c.participants, vec!["KP", "JP"], "{c:?}");
        assert!(!c.excluded_stakeholders.contains(&"jp".to_string()));
        assert!(c.excluded_stakeholders.contains(&"kr".to_string()));
    }

    #[test]
    fn reports_of_past_talks_set_none_up() {
        // a meeting that was held is narrative; one to be held is a process
        assert!(!tags_of(
            "The third meeting of the joint committee was held in Kaesong from 2 to 4 May."
        )
        .contains(&"future-talks".to_string()));
        assert!(tags_of(
            "The joint committee will meet again in Kaesong in June to continue the talks."
        )
        .contains(&"future-talks".to_string()));
        // "will" the noun looks nowhere; a list of delegates reports who came
        assert!(!tags_of("True to the noble will of the nation, the two leaders had a historic meeting and summit talks in the capital.")
            .contains(&"future-talks".to_string()));
        assert!(!tags_of("Mr. Lee, Vice Minister of the South; Mr. Pak, Vice Minister of the North, headed the delegations to the talks.")
            .contains(&"future-talks".to_string()));
        // a title line names talks without holding them
        let a = Tagger::bundled()
            .expect("lexicon")
            .analyse("Communique of the Fourth Round of the Border Talks\n\nThe parties agreed to hold the fifth round of talks in July.", &["us"]);
        assert!(a.clauses[0].tags.is_empty(), "{:?}", a.clauses[0].tags);
        assert!(a.clauses[1].tags.iter().any(|t| t.tag == "future-talks"));
    }

    #[test]
    fn a_prohibition_or_an_absence_of_nuclear_weapons_is_denuclearization() {
        let ban = tags_of("The South and the North shall not test, manufacture, produce, receive, possess, store, deploy or use nuclear weapons.");
        assert!(ban.contains(&"denuclearization".to_string()), "{ban:?}");
        // "deploy" in the list of banned nuclear acts belongs to the ban
        assert!(
            !ban.contains(&"military-restrictions".to_string()),
            "{ban:?}"
        );
        assert!(
            tags_of("Neither side shall deploy troops in the buffer area.")
                .contains(&"military-restrictions".to_string())
        );
        assert!(tags_of(
            "The United States has no nuclear weapons on the peninsula and will not deploy them."
        )
        .contains(&"denuclearization".to_string()));
        // a plain negation still suppresses it
        assert!(!tags_of("This statement does not concern nuclear weapons.")
            .contains(&"denuclearization".to_string()));
    }

    #[test]
    fn negation_suppresses_a_match() {
        let a = analyse("The parties will proceed without verification.").expect("lexicon");
        assert!(!a.clauses[0].tags.iter().any(|t| t.tag == "verification"));
        assert_eq!(a.clauses[0].negated.len(), 1);
        // for other tags a negated mention still concerns the topic
        let b = analyse("The sides shall not use force against each other.").expect("lexicon");
        assert!(b.clauses[0]
            .tags
            .iter()
            .any(|t| t.tag == "hostilities-cessation"));
    }

    #[test]
    fn participants_and_exclusion() {
        let a = analyse("The two Koreas and the United States will hold talks to replace the armistice with a peace treaty.").expect("lexicon");
        let c = &a.clauses[0];
        assert_eq!(c.participants, vec!["KR", "KP", "US"]);
        assert_eq!(c.excluded_stakeholders, vec!["jp", "cn"]);
    }

    #[test]
    fn missiles_name_their_systems() {
        let a = analyse("The North will dismantle its intermediate-range and intercontinental ballistic missiles.").expect("lexicon");
        let m = a.clauses[0]
            .tags
            .iter()
            .find(|t| t.tag == "missiles")
            .expect("missiles");
        assert_eq!(m.systems.clone().unwrap_or_default(), vec!["ICBM", "IRBM"]);
        let b = analyse("Missiles will be discussed.").expect("lexicon");
        let m = b.clauses[0]
            .tags
            .iter()
            .find(|t| t.tag == "missiles")
            .expect("missiles");
        assert_eq!(m.systems.clone().unwrap_or_default(), vec!["unspecified"]);
    }

    #[test]
    fn evidence_spans_point_into_the_text() {
        let text = "Preamble.\n\n2. Ōsaka aside, the sides will verify the freeze.";
        let a = analyse(text).expect("lexicon");
        let chars: Vec<char> = text.chars().collect();
        for c in &a.clauses {
            for t in &c.tags {
                for e in &t.evidence {
                    let s: String = chars[e.span[0]..e.span[1]].iter().collect();
                    assert_eq!(s, e.text);
                }
            }
        }
    }
}
