//! Drafting a deal model (the TOML of `allylens assess`) from an analysed
//! text: every field the text supports is filled and commented with the clause
//! it came from; what the text cannot support is left for the analyst, marked.

use crate::tag::{Analysis, Clause};

fn quote(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' | '\r' | '\t' => o.push(' '),
            c if c.is_control() => {}
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

fn short(c: &Clause) -> String {
    let t: String = c.text.chars().take(100).collect();
    format!(
        "{} [{}..{}]: {}{}",
        c.id,
        c.span[0],
        c.span[1],
        // a TOML comment may hold no control character but tab (the fuzzer
        // found a vertical tab in a clause breaking the drafted file)
        t.chars()
            .map(|ch| if ch.is_control() { ' ' } else { ch })
            .collect::<String>(),
        if c.text.chars().count() > 100 {
            "..."
        } else {
            ""
        }
    )
}

/// The actors a deal model can name (the stakeholders and the DPRK, Russia
/// and the UN); others the reader knows (the IAEA) are cited in a comment.
const DEAL_ACTORS: [&str; 7] = ["kr", "kp", "us", "cn", "jp", "ru", "un"];

/// `codes` in lower case, split into those a deal model can name and the others.
fn deal_actors(codes: &[String]) -> (Vec<String>, Vec<String>) {
    codes
        .iter()
        .map(|p| p.to_lowercase())
        .partition(|p| DEAL_ACTORS.contains(&p.as_str()))
}

fn has(c: &Clause, tag: &str) -> bool {
    c.tags.iter().any(|t| t.tag == tag)
}

/// Finds a date in the text (YYYY-MM-DD, "27 April 2018" or "April 27, 2018").
fn find_date(text: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    for w in &words {
        let p: Vec<&str> = w.split('-').collect();
        if p.len() == 3
            && p[0].len() == 4
            && p.iter().all(|x| x.chars().all(|c| c.is_ascii_digit()))
        {
            return Some(w.clone());
        }
    }
    for i in 0..words.len() {
        if let Some(m) = MONTHS.iter().position(|m| *m == words[i]) {
            let day = |s: &str| s.parse::<u32>().ok().filter(|d| (1..=31).contains(d));
            let year = |s: &str| s.parse::<u32>().ok().filter(|y| (1900..=2100).contains(y));
            if i >= 1 && i + 1 < words.len() {
                if let (Some(d), Some(y)) = (day(&words[i - 1]), year(&words[i + 1])) {
                    return Some(format!("{y:04}-{:02}-{d:02}", m + 1));
                }
            }
            if i + 2 < words.len() {
                if let (Some(d), Some(y)) = (day(&words[i + 1]), year(&words[i + 2])) {
                    return Some(format!("{y:04}-{:02}-{d:02}", m + 1));
                }
            }
        }
    }
    None
}

/// The deal model drafted from an analysis of `text`.
pub fn draft_deal(text: &str, a: &Analysis, name: &str) -> String {
    let mut s = String::new();
    s += "# Deal model drafted by `allylens clauses --draft-deal` from the agreement text.\n";
    s += "# Each filled field cites the clause it came from (id [character span]: text).\n";
    s +=
        "# Lines marked ANALYST are what the text cannot support: fill them in or delete them.\n\n";
    s += "[deal]\n";
    if name.chars().count() > 200 {
        // the text has no title line: its first clause stands in, shortened
        let short_name: String = name.chars().take(80).collect();
        s += &format!(
            "name = {}  # ANALYST: the text has no title; name the agreement\n",
            quote(&format!("{}...", short_name.trim_end()))
        );
    } else {
        s += &format!("name = {}\n", quote(name));
    }
    match find_date(text) {
        Some(d) => s += &format!("date = {}  # found in the text\n", quote(&d)),
        None => s += "# ANALYST: date = \"YYYY-MM-DD\"  (no date in the text; required)\n",
    }
    // the signatories as the reader resolves them ("the two sides" of a text
    // between two parties), else every actor a process names
    let named: Vec<String> = if a.summary.parties.is_empty() {
        a.clauses
            .iter()
            .flat_map(|c| c.participants.iter().cloned())
            .collect()
    } else {
        a.summary.parties.clone()
    };
    let (mut parties, mut others) = deal_actors(&named);
    others.sort();
    others.dedup();
    if !others.is_empty() {
        s += &format!(
            "# also named: {} (not an actor of the deal model)\n",
            others.join(", ")
        );
    }
    parties.sort();
    parties.dedup();
    if parties.is_empty() {
        s += "# ANALYST: parties = [\"us\", \"kp\"]  (the signatories are not named in a way the reader recognises)\n";
    } else {
        s += &format!(
            "parties = [{}]  # ANALYST: check; these are the actors the text names\n",
            parties
                .iter()
                .map(|p| quote(p))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    s += "source = \"the agreement text given to allylens clauses\"  # ANALYST: name the text and its origin\n";

    for c in a.clauses.iter().filter(|c| has(c, "missiles")) {
        let systems: Vec<String> = c
            .tags
            .iter()
            .find(|t| t.tag == "missiles")
            .and_then(|t| t.systems.clone())
            .unwrap_or_default()
            .into_iter()
            .filter(|x| ["ICBM", "IRBM", "MRBM", "SRBM"].contains(&x.as_str()))
            .collect();
        let action = if has(c, "reversible") {
            "freeze"
        } else {
            "dismantle"
        };
        s += &format!("\n# from {}\n[[weapons]]\n", short(c));
        if systems.is_empty() {
            s += "covers = [\"all\"]  # ANALYST: the text names no range class\n";
        } else {
            s += &format!(
                "covers = [{}]\n",
                systems
                    .iter()
                    .map(|x| quote(x))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        s += &format!(
            "action = \"{action}\"\nlayer = \"written\"\nclause = {}\n",
            quote(&c.id)
        );
    }
    if !a.summary.missiles_mentioned {
        s += "\n# The text names no missiles: no [[weapons]] provision (every missile is left in place).\n";
    }
    // one nuclear entry, from the first clause that commits to denuclearization;
    // a goal ("work toward", "common goal") is written as such; the other
    // clauses that name it are cited
    let nuclear: Vec<&Clause> = a
        .clauses
        .iter()
        .filter(|c| has(c, "denuclearization"))
        .collect();
    let commits = |c: &Clause| {
        let t = c.text.to_lowercase();
        ["will ", "shall ", "agree", "commit", "pledge"]
            .iter()
            .any(|w| t.contains(w))
    };
    if let Some(c) = nuclear
        .iter()
        .copied()
        .find(|c| commits(c))
        .or(nuclear.first().copied())
    {
        let action = if has(c, "reversible") {
            "freeze"
        } else {
            "dismantle"
        };
        let t = c.text.to_lowercase();
        let goal = ["work toward", "goal", "aim", "strive"]
            .iter()
            .any(|w| t.contains(w));
        s += &format!("\n# from {}\n", short(c));
        for other in nuclear.iter().filter(|o| o.id != c.id) {
            s += &format!("# also named in {}\n", short(other));
        }
        s += &format!("[[nuclear]]\naction = \"{action}\"\n");
        if goal {
            s += "facilities = [\"the peninsula's nuclear programme (a goal: work toward denuclearization)\"]  # ANALYST: a goal, not a schedule\n";
        }
        s += &format!("layer = \"written\"\nclause = {}\n", quote(&c.id));
    }
    match a.clauses.iter().find(|c| has(c, "verification")) {
        Some(c) => {
            let t = c.text.to_lowercase();
            let level = if t.contains("inspect") {
                "inspections"
            } else if t.contains("monitor") || t.contains("observ") {
                "monitoring"
            } else {
                "declarations"
            };
            s += &format!("\n# from {}\n[verification]\nlevel = \"{level}\"  # ANALYST: check the level\nlayer = \"written\"\nclause = {}\n", short(c), quote(&c.id));
        }
        None => {
            s += "\n# The text sets no verification (an absent [verification] reads as none).\n"
        }
    }
    let phased = a
        .clauses
        .iter()
        .find(|c| has(c, "phased") || has(c, "conditional"));
    let reversible = a.clauses.iter().any(|c| has(c, "reversible"));
    match phased {
        Some(c) => {
            let mode = if has(c, "conditional") { "conditional" } else { "phased" };
            s += &format!("\n# from {}\n[sequencing]\nmode = \"{mode}\"\nreversible = {reversible}\nclause = {}\n", short(c), quote(&c.id));
        }
        None if reversible => s += "\n[sequencing]\nmode = \"phased\"  # ANALYST: the text has freezes or moratoria but no sequence\nreversible = true\n",
        None => s += "\n# ANALYST: [sequencing] mode = \"upfront|phased|conditional\", reversible = true|false (the text does not say)\n",
    }
    let kinds = [
        ("economic-cooperation", "economic-projects"),
        ("sanctions", "sanctions-relief"),
        ("security-guarantees", "security-guarantee"),
        ("exercises", "exercises-suspended"),
        ("military-restrictions", "military-restrictions"),
        ("hostilities-cessation", "military-restrictions"),
        ("energy-assistance", "energy-assistance"),
        ("normalization", "normalization"),
    ];
    for c in &a.clauses {
        for (tag, kind) in kinds {
            if has(c, tag) {
                // who concedes, whom it touches and who was consulted are not in the
                // text: the block stays commented out until the analyst completes it
                s += &format!(
                    "\n# from {}\n# ANALYST: complete `by`, `affects`, `consulted`, then uncomment\n# [[concessions]]\n# by = \"?\"\n# kind = \"{kind}\"\n# description = {}\n# affects = []\n# consulted = []\n# layer = \"written\"\n# clause = {}\n",
                    short(c),
                    quote(&c.text.chars().take(200).collect::<String>()),
                    quote(&c.id)
                );
                break;
            }
        }
    }
    for c in &a.clauses {
        for (tag, topic) in [
            ("abductees", "abductees"),
            ("humanitarian", "separated-families"),
        ] {
            if has(c, tag) {
                let topic = if tag == "humanitarian" && c.text.to_lowercase().contains("remains") {
                    "pow-mia"
                } else {
                    topic
                };
                s += &format!("\n# from {}\n[[issues]]\ntopic = \"{topic}\"\nlayer = \"written\"\ndescription = {}\n", short(c), quote(&c.text.chars().take(200).collect::<String>()));
            }
        }
    }
    if !a.clauses.iter().any(|c| has(c, "abductees")) {
        s += "\n# The text does not raise the abductees. ANALYST: add an [[issues]] topic = \"abductees\", layer = \"oral\" if raised orally.\n";
    }
    // one process per kind and set of participants; the other clauses that set
    // the same one up are cited
    let mut seen: Vec<(String, Vec<String>)> = Vec::new();
    for c in a
        .clauses
        .iter()
        .filter(|c| has(c, "peace-regime") || has(c, "future-talks"))
    {
        let kind = if has(c, "peace-regime") {
            "peace-regime"
        } else if has(c, "denuclearization") {
            "denuclearization-talks"
        } else {
            "follow-on-talks"
        };
        let key = (kind.to_string(), c.participants.clone());
        if seen.contains(&key) {
            s += &format!("\n# the same {kind} process again in {}\n", short(c));
            continue;
        }
        seen.push(key);
        s += &format!("\n# from {}\n[[processes]]\nkind = \"{kind}\"\n", short(c));
        let (participants, others) = deal_actors(&c.participants);
        if !others.is_empty() {
            s += &format!("# also taking part: {}\n", others.join(", "));
        }
        if participants.is_empty() {
            s += "# participants not named in the text\n";
        } else {
            s += &format!(
                "participants = [{}]\n",
                participants
                    .iter()
                    .map(|p| quote(p))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        s += "layer = \"written\"\n";
    }
    s += "\n# ANALYST: [[briefings]] are never in the text: add who briefed whom, when (date, hours-after), at what level.\n";
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_found() {
        assert_eq!(
            find_date("Signed at Panmunjom on 27 April 2018."),
            Some("2018-04-27".into())
        );
        assert_eq!(
            find_date("Done on June 12, 2018 in Singapore"),
            Some("2018-06-12".into())
        );
        assert_eq!(find_date("dated 2005-09-19"), Some("2005-09-19".into()));
        assert_eq!(find_date("no date"), None);
    }

    #[test]
    fn no_control_character_reaches_the_drafted_file() {
        // found by the clauses fuzz target: a vertical tab inside a clause went
        // into a comment and the drafted deal no longer parsed as TOML
        let text = "1. The two sides will hold talks\u{b} on a peace regime.\r\n\n2. The North will freeze\u{7f} its missile tests in phases.";
        let a = crate::analyse(text).expect("lexicon");
        let d = draft_deal(text, &a, "t");
        let bad: Vec<char> = d
            .chars()
            .filter(|c| c.is_control() && *c != '\n' && *c != '\t')
            .collect();
        assert!(bad.is_empty(), "{bad:?} in\n{d}");
        assert!(d.contains("# from c1"), "{d}");
    }

    #[test]
    fn a_draft_takes_the_signatories_and_one_nuclear_commitment() {
        let text = "Joint Statement of the South and the North\n\nSeoul, 3 March 2031\n\n1. The South and the North reaffirmed their common goal of a nuclear-free peninsula through complete denuclearization.\n\n2. The two sides agreed to work toward complete denuclearization.\n\n3. The two sides agreed to hold military talks in April.\n\n4. The two sides agreed to hold military talks again in May.";
        let a = crate::analyse(text).expect("lexicon");
        let d = draft_deal(text, &a, "Joint Statement of the South and the North");
        // the signatories, not every actor named
        assert!(d.contains("parties = [\"kp\", \"kr\"]"), "{d}");
        // one nuclear entry, from the clause that commits, marked as a goal
        assert_eq!(d.matches("[[nuclear]]").count(), 1, "{d}");
        assert!(d.contains("a goal"), "{d}");
        // the same talks set up twice are one process
        assert_eq!(d.matches("[[processes]]").count(), 1, "{d}");
        assert!(d.contains("the same follow-on-talks process again"), "{d}");
    }

    #[test]
    fn quotes_escape() {
        assert_eq!(quote("a \"b\" \\ c\nd"), "\"a \\\"b\\\" \\\\ c d\"");
    }
}
