//! Drafting a deal model (the TOML of `allylens assess`) from an analysed
//! text: every field the text supports is filled and commented with the clause
//! it came from; what the text cannot support is left for the analyst, marked.

use crate::kind::{ClauseType, MONTHS};
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

/// The date of the agreement and where it was found: a dateline or signature
/// block first, then a title, then a report of the meeting ("held in
/// Singapore on June 12, 2018"), then a preamble. A date inside a provision
/// is a deadline or a cut-off ("from 1 November"), never the agreement's own.
/// A text of one clause is read whole (a pasted dateline-less paragraph has
/// no other place for it).
fn date_of(text: &str, a: &Analysis) -> Option<(String, String)> {
    if a.clauses.len() <= 1 {
        return find_date(text).map(|d| (d, "the text".to_string()));
    }
    for kinds in [
        &[ClauseType::Dateline, ClauseType::Signature][..],
        &[ClauseType::Heading],
        &[ClauseType::Narrative],
        &[ClauseType::Preamble],
    ] {
        for c in a.clauses.iter().filter(|c| kinds.contains(&c.kind)) {
            if let Some(d) = find_date(&c.text) {
                return Some((d, format!("the {} {}", c.kind.as_str(), c.id)));
            }
        }
    }
    None
}

/// Whether the clause states what a party will do (a provision; a goal does
/// not schedule a step, a preamble and a narrative commit to nothing).
fn provides(c: &Clause) -> bool {
    c.kind == ClauseType::Provision
}

/// Words of a nuclear step (not a goal): abandon, dismantle, freeze, disable,
/// shut down, seal, declare, eliminate, destroy.
fn names_a_nuclear_step(c: &Clause) -> bool {
    let t = c.text.to_lowercase();
    [
        "abandon",
        "dismantl",
        "freez",
        "frozen",
        "disabl",
        "shut down",
        "shutdown",
        "seal",
        "declar",
        "eliminat",
        "destroy",
        "destruction",
        "remove",
        "return to the npt",
        "return to the treaty",
    ]
    .iter()
    .any(|w| t.contains(w))
}

/// The step a provision that names missiles commits to: "freeze" (a freeze,
/// suspension, moratorium or halt, a launch not to be made or resumed; any
/// reversible step), "dismantle" (dismantling, destruction, elimination,
/// abandonment), or None where it names missiles without a step on them (a
/// launch condemned, defences strengthened, action threatened).
fn missile_step(c: &Clause) -> Option<&'static str> {
    let t = format!(" {} ", c.text.to_lowercase());
    let any = |ws: &[&str]| ws.iter().any(|w| t.contains(w));
    if has(c, "reversible")
        || any(&[
            "freez",
            "frozen",
            "suspen",
            "moratori",
            "halt",
            " stop",
            "cease",
            "refrain",
            "not launch",
            "not to launch",
            "no further",
            "not proceed",
            "not resume",
            "not test",
            "not conduct",
            "not fire",
            "disabl",
        ])
    {
        return Some("freeze");
    }
    any(&[
        "dismantl",
        "destroy",
        "destruction",
        "eliminat",
        "abandon",
        "scrap",
        "remove",
        "get rid",
        "give up",
    ])
    .then_some("dismantle")
}

/// Whether a sanctions clause relieves sanctions (lifts, eases, removes,
/// suspends, exempts), rather than imposing, implementing or describing them.
fn relieves_sanctions(c: &Clause) -> bool {
    let t = c.text.to_lowercase();
    [
        "lift", "ease", "easing", "relax", "remov", "suspend", "terminat", "exempt", "waive",
        "rescind", "relief", "unfreez",
    ]
    .iter()
    .any(|w| {
        t.match_indices(w).any(|(i, _)| {
            // at the start of a word
            i == 0 || !t[..i].chars().next_back().is_some_and(char::is_alphabetic)
        })
    })
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
    match date_of(text, a) {
        Some((d, c)) => s += &format!("date = {}  # found in {}\n", quote(&d), c),
        None => s += "# ANALYST: date = \"YYYY-MM-DD\"  (no dateline, signature or title gives a date; required)\n",
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

    for (c, action) in a
        .clauses
        .iter()
        .filter(|c| provides(c) && has(c, "missiles"))
        .filter_map(|c| missile_step(c).map(|step| (c, step)))
    {
        let systems: Vec<String> = c
            .tags
            .iter()
            .find(|t| t.tag == "missiles")
            .and_then(|t| t.systems.clone())
            .unwrap_or_default()
            .into_iter()
            .filter(|x| ["ICBM", "IRBM", "MRBM", "SRBM"].contains(&x.as_str()))
            .collect();
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
    } else if !a
        .clauses
        .iter()
        .any(|c| provides(c) && has(c, "missiles") && missile_step(c).is_some())
    {
        s += "\n# The text names missiles but commits to no step on them (no dismantling, freeze or\n# moratorium): no [[weapons]] provision.\n";
        for c in a.clauses.iter().filter(|c| has(c, "missiles")) {
            s += &format!("# named in the {} {}\n", c.kind.as_str(), short(c));
        }
    } else {
        // a provision that names missiles without a step on them (a launch
        // condemned, defences strengthened) is only cited
        for c in a
            .clauses
            .iter()
            .filter(|c| provides(c) && has(c, "missiles") && missile_step(c).is_none())
        {
            s += &format!(
                "\n# named without a step on them (no [[weapons]] entry) in {}\n",
                short(c)
            );
        }
    }
    // one nuclear entry: from the first provision that names a nuclear step
    // (dismantle, freeze, declare ...); failing that, from a provision or a
    // goal that names denuclearization, written as a goal (no schedule). A
    // preamble or a narrative is only cited.
    let nuclear: Vec<&Clause> = a
        .clauses
        .iter()
        .filter(|c| has(c, "denuclearization"))
        .collect();
    let step = nuclear
        .iter()
        .copied()
        .find(|c| provides(c) && names_a_nuclear_step(c));
    // a provision that only names a nuclear test or weapon (a test condemned,
    // action threatened) states no aim: the aim is named as such
    let names_the_aim = |c: &Clause| {
        let t = c.text.to_lowercase();
        [
            "denucleari",
            "nuclear-free",
            "nuclear free",
            "free of nuclear",
            "free from nuclear",
        ]
        .iter()
        .any(|w| t.contains(w))
    };
    let aim = nuclear
        .iter()
        .copied()
        .find(|c| c.kind == ClauseType::Goal)
        .or_else(|| {
            nuclear
                .iter()
                .copied()
                .find(|c| provides(c) && names_the_aim(c))
        });
    if let Some((c, goal)) = step.map(|c| (c, false)).or(aim.map(|c| (c, true))) {
        let action = if has(c, "reversible") {
            "freeze"
        } else {
            "dismantle"
        };
        s += &format!("\n# from the {} {}\n", c.kind.as_str(), short(c));
        for other in nuclear.iter().filter(|o| o.id != c.id) {
            s += &format!(
                "# also named in the {} {}\n",
                other.kind.as_str(),
                short(other)
            );
        }
        s += &format!("[[nuclear]]\naction = \"{action}\"\n");
        if goal {
            s += "facilities = [\"the peninsula's nuclear programme (a goal: no step or schedule in the text)\"]  # ANALYST: a goal, not a schedule\n";
        }
        s += &format!("layer = \"written\"\nclause = {}\n", quote(&c.id));
    } else if !nuclear.is_empty() {
        s += "\n# Denuclearization is named only in a preamble or a report of the past: no [[nuclear]] entry.\n";
        for c in &nuclear {
            s += &format!("# named in the {} {}\n", c.kind.as_str(), short(c));
        }
    }
    match a
        .clauses
        .iter()
        .find(|c| provides(c) && has(c, "verification"))
    {
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
        .find(|c| provides(c) && (has(c, "phased") || has(c, "conditional")));
    let reversible = a
        .clauses
        .iter()
        .any(|c| provides(c) && has(c, "reversible"));
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
    for c in a.clauses.iter().filter(|c| provides(c)) {
        for (tag, kind) in kinds {
            // sanctions are a concession only where the clause relieves them
            if has(c, tag) && (tag != "sanctions" || relieves_sanctions(c)) {
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
                // a humanitarian clause by what it is about: remains and the
                // missing, separated families, human rights, or other aid
                let low = c.text.to_lowercase();
                let about = |ws: &[&str]| ws.iter().any(|w| low.contains(w));
                let topic = if tag != "humanitarian" {
                    topic
                } else if about(&["remains", "missing in action", "pow", "prisoner"]) {
                    "pow-mia"
                } else if about(&["famil", "reunion"]) {
                    "separated-families"
                } else if about(&["human rights"]) {
                    "human-rights"
                } else {
                    "other"
                };
                s += &format!("\n# from {}\n[[issues]]\ntopic = \"{topic}\"\nlayer = \"written\"\ndescription = {}\n", short(c), quote(&c.text.chars().take(200).collect::<String>()));
            }
        }
    }
    if !a.clauses.iter().any(|c| has(c, "abductees")) {
        s += "\n# The text does not raise the abductees. ANALYST: add an [[issues]] topic = \"abductees\", layer = \"oral\" if raised orally.\n";
    }
    // one process per kind and set of participants, and one peace process per
    // text: the clause that names the most participants sets it up (the
    // others, "the two sides will cooperate to build a peace regime", commit
    // the signatories to it); the other clauses are cited
    let candidates: Vec<&Clause> = a
        .clauses
        .iter()
        .filter(|c| matches!(c.kind, ClauseType::Provision | ClauseType::Goal))
        .filter(|c| has(c, "peace-regime") || has(c, "future-talks"))
        .collect();
    let peace = candidates
        .iter()
        .copied()
        .filter(|c| has(c, "peace-regime"))
        .max_by_key(|c| (c.participants.len(), std::cmp::Reverse(c.span[0])));
    let mut seen: Vec<(String, Vec<String>)> = Vec::new();
    for c in candidates.iter().copied() {
        let kind = if has(c, "peace-regime") {
            "peace-regime"
        } else if has(c, "denuclearization") {
            "denuclearization-talks"
        } else {
            "follow-on-talks"
        };
        if kind == "peace-regime" && peace.is_some_and(|p| p.id != c.id) {
            s += &format!("\n# the peace process again in {}\n", short(c));
            continue;
        }
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
        let talks = has(c, "future-talks");
        if kind == "peace-regime" && c.participant_alternatives.len() >= 2 {
            let sets: Vec<String> = c
                .participant_alternatives
                .iter()
                .map(|set| {
                    let (named, _) = deal_actors(set);
                    format!(
                        "[{}]",
                        named
                            .iter()
                            .map(|p| quote(p))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })
                .collect();
            s += &format!("alternatives = [{}]\n", sets.join(", "));
        } else if kind == "peace-regime" && !talks && !participants.is_empty() {
            // "the two sides will cooperate to build a peace regime": who commits, not who sits
            s += &format!(
                "# participants not named: the clause names who commits ({}), not who takes part\n",
                participants.join(", ")
            );
        } else if participants.is_empty() {
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
    fn missiles_named_without_a_step_make_no_weapons_entry() {
        let text = "Statement of the Harbour Council\n\n\
            1. The Council condemns the launch of an intercontinental ballistic missile on 4 May.\n\n\
            2. The allies will strengthen their missile defence cooperation.\n\n\
            3. The Council will take action in the event of a further launch or nuclear test.";
        let a = crate::analyse(text).expect("lexicon");
        let d = draft_deal(text, &a, "t");
        assert!(!d.contains("\n[[weapons]]\n"), "{d}");
        assert!(
            !d.contains("\n[[nuclear]]\n"),
            "a threat states no aim: {d}"
        );
        assert!(d.contains("commits to no step on them"), "{d}");
        // a moratorium is a freeze, a destruction a dismantling
        let text =
            "1. The North will not launch intercontinental ballistic missiles from June.\n\n\
            2. The North will destroy its medium-range missiles by December.";
        let a = crate::analyse(text).expect("lexicon");
        let d = draft_deal(text, &a, "t");
        assert!(
            d.contains("covers = [\"ICBM\"]\naction = \"freeze\""),
            "{d}"
        );
        assert!(
            d.contains("covers = [\"MRBM\"]\naction = \"dismantle\""),
            "{d}"
        );
    }

    #[test]
    fn humanitarian_clauses_go_to_the_issue_they_are_about() {
        let text = "1. The two sides will resume the reunions of separated families in May.\n\n\
            2. The two sides will recover the remains of soldiers missing in action.\n\n\
            3. The South will send humanitarian food aid in June.";
        let a = crate::analyse(text).expect("lexicon");
        let d = draft_deal(text, &a, "t");
        let topics: Vec<&str> = d
            .lines()
            .filter_map(|l| l.strip_prefix("topic = "))
            .collect();
        assert_eq!(
            topics,
            vec!["\"separated-families\"", "\"pow-mia\"", "\"other\""],
            "{d}"
        );
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
    fn a_draft_is_faithful_to_what_the_provisions_say() {
        let text = "Accord between the South and the North on the Harbour Peace\n\nKaesong, 9 May 2031\n\nRecognizing that sanctions on the harbour trade remain in force,\n\n1. The South and the North will stop all drills near the line from 1 November 2031.\n\n2. The two sides will cooperate to build a lasting peace regime on the peninsula.\n\n3. The two sides agreed to pursue trilateral meetings of the two Koreas and the United States, or quadrilateral meetings of the two Koreas, the United States and China, to replace the armistice with a peace treaty.\n\n4. Sanctions on the harbour will be implemented in full.\n\n5. The long-range launches of 2030 were discussed.";
        let a = crate::analyse(text).expect("lexicon");
        let d = draft_deal(text, &a, "Accord on the Harbour Peace");
        // the date of the dateline, not the cut-off in item 1
        assert!(
            d.contains("date = \"2031-05-09\"  # found in the dateline"),
            "{d}"
        );
        // one peace process, with the two formats the text offers
        assert_eq!(d.matches("kind = \"peace-regime\"").count(), 1, "{d}");
        assert!(
            d.contains(
                "alternatives = [[\"kr\", \"kp\", \"us\"], [\"kr\", \"kp\", \"us\", \"cn\"]]"
            ),
            "{d}"
        );
        assert!(d.contains("the peace process again in c5"), "{d}");
        // implementing sanctions is no relief; the preamble's sanctions neither
        assert!(!d.contains("sanctions-relief"), "{d}");
        // missiles named in a report of what was discussed are no [[weapons]] provision
        assert!(!d.contains("\n[[weapons]]\n"), "{d}");
        assert!(d.contains("named in the narrative"), "{d}");
        // and nothing nuclear is invented
        assert!(!d.contains("\n[[nuclear]]\n"), "{d}");
    }

    #[test]
    fn restraint_is_not_a_reversible_step() {
        let text = "Agreement on the Harbour Line\n\nKaesong, 9 May 2031\n\n1. The South and the North agreed to refrain from all hostile acts at sea from 1 November 2031.\n\n2. The South and the North will halt all live-fire drills near the line.";
        let a = crate::analyse(text).expect("lexicon");
        let d = draft_deal(text, &a, "t");
        assert!(d.contains("date = \"2031-05-09\""), "{d}");
        // "refrain from" is a cessation of hostile acts, not a freeze; "halt" is
        let c1 = &a.clauses[2];
        assert!(
            c1.tags.iter().all(|t| t.tag != "reversible"),
            "{:?}",
            c1.tags
        );
        assert!(a.clauses[3].tags.iter().any(|t| t.tag == "reversible"));
    }

    #[test]
    fn sanctions_relief_comes_from_a_clause_that_relieves() {
        let text = "1. The United States will lift the sanctions on the harbour trade.\n\n2. The sanctions on oil will be implemented in full.";
        let a = crate::analyse(text).expect("lexicon");
        let d = draft_deal(text, &a, "t");
        assert_eq!(d.matches("kind = \"sanctions-relief\"").count(), 1, "{d}");
        assert!(d.contains("will lift the sanctions"), "{d}");
    }

    #[test]
    fn quotes_escape() {
        assert_eq!(quote("a \"b\" \\ c\nd"), "\"a \\\"b\\\" \\\\ c d\"");
    }
}
