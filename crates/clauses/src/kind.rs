//! Clause types: what kind of sentence a clause is, decided before any risk
//! tag is attached.
//!
//! Why: on real agreements most false tags fell on clauses that commit to
//! nothing — titles, signature blocks, datelines, and reports of meetings that
//! already happened ("Historic meetings and talks were held ..."). A risk tag
//! says what the parties will do, so it belongs on a provision (or, where the
//! taxonomy says so, on a goal or a preamble that names a topic), never on a
//! heading or a report of the past. The type is in the output so an analyst
//! sees why a clause carries no tag.
//!
//! The rules are surface rules on the words of one clause (plus whether it is
//! the first of several): closing punctuation, capitals, item labels, dates,
//! titles of office, modal and commitment verbs, past-tense reporting verbs.

use serde::Serialize;

/// What a clause is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClauseType {
    /// A commitment, obligation, prohibition or demand ("The two sides agreed
    /// to ...", "shall not ...", "The Council demands ..."). Tagged.
    Provision,
    /// A shared aim without a step ("confirmed the common goal of ...").
    /// Tagged with its topics; a draft deal writes it as a note, not a schedule.
    Goal,
    /// A preamble: "Recognizing ...", "Reaffirming ...", with no commitment of
    /// its own. Tagged with its topics, never with talks.
    Preamble,
    /// Past events or a report of this meeting ("talks were held", "visited").
    /// Not tagged, unless it says what was discussed (the topics are then the
    /// agenda); never sets up talks.
    Narrative,
    /// A title, chapter or article heading. Not tagged.
    Heading,
    /// A place and date line ("Panmunjom, April 27, 2018"). Not tagged.
    Dateline,
    /// Names and titles of the signatories. Not tagged.
    Signature,
}

impl ClauseType {
    /// Whether risk tags may attach to a clause of this type.
    pub fn takes_tags(self) -> bool {
        matches!(
            self,
            ClauseType::Provision | ClauseType::Goal | ClauseType::Preamble | ClauseType::Narrative
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ClauseType::Provision => "provision",
            ClauseType::Goal => "goal",
            ClauseType::Preamble => "preamble",
            ClauseType::Narrative => "narrative",
            ClauseType::Heading => "heading",
            ClauseType::Dateline => "dateline",
            ClauseType::Signature => "signature",
        }
    }
}

/// The text in lower case with every run of non-alphanumerics one space, and
/// a space at each end: phrases are then found whole.
pub(crate) fn words_of(text: &str) -> String {
    let mut out = String::from(" ");
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

/// Phrases that look forward: a commitment, a plan, an agenda.
pub(crate) const FORWARD: [&str; 34] = [
    " will ",
    " shall ",
    " would ",
    " must ",
    " agree to ",
    " agreed to ",
    " agrees to ",
    " decided to ",
    " committed themselves to ",
    " commit to ",
    " commits to ",
    " undertake to ",
    " undertakes to ",
    " to be held ",
    " to be finalized ",
    " to be convened ",
    " to be established ",
    " to hold ",
    " to meet ",
    " to resume ",
    " to continue ",
    " to begin ",
    " to discuss ",
    " next ",
    " future ",
    " plan to ",
    " plans to ",
    " intend to ",
    " establish ",
    " set up ",
    " convene ",
    " at an early date ",
    " prior to ",
    " willingness to ",
];

/// Phrases that report what happened.
const PAST: [&str; 38] = [
    " proceeded ",
    " paid a visit ",
    " paid an official visit ",
    " was signed ",
    " were signed ",
    " held talks ",
    " had talks ",
    " exchanged views ",
    " exchanged opinions ",
    " met with ",
    " were discussed ",
    " was discussed ",
    " were exchanged ",
    " conducted a ",
    " conducted an ",
    " met at ",
    " met in ",
    " historic meeting ",
    " historic summit ",
    " current meeting ",
    " created by the ",
    " was held ",
    " were held ",
    " took place ",
    " visited ",
    " chaired ",
    " sat together ",
    " reviewed ",
    " held serious ",
    " held in depth ",
    " had a meeting ",
    " at the meeting ",
    " during his visit ",
    " adopted at ",
    " at the end of the ",
    " held on ",
    " arrived in ",
    " after arriving ",
];

/// The phrases of `PAST` that name a past event without a verb: a sentence
/// they open may still look forward ("Building on the historic summit, the
/// two sides will ...").
const PAST_NOUN_PHRASES: [&str; 8] = [
    " historic meeting ",
    " historic summit ",
    " current meeting ",
    " created by the ",
    " at the meeting ",
    " during his visit ",
    " at the end of the ",
    " after arriving ",
];

/// Phrases that say what a meeting discussed: the topics are its agenda.
const DISCUSSED: [&str; 11] = [
    " exchange of opinions ",
    " exchange of views ",
    " discussed ",
    " discussion ",
    " discussions ",
    " exchanged views ",
    " raised ",
    " talked about ",
    " views on ",
    " consultations on ",
    " concerning ",
];

/// "will" the noun ("the noble will of the nation") looks nowhere.
fn without_will_the_noun(w: &str) -> String {
    let mut w = w.to_string();
    if !w.contains(" will ") {
        return w;
    }
    for noun in [
        " the will ",
        " noble will ",
        " political will ",
        " common will ",
        " firm will ",
        " strong will ",
        " good will ",
        " his will ",
        " their will ",
    ] {
        w = w.replace(noun, " ");
    }
    w
}

fn looks_forward(w: &str) -> bool {
    // "to meet the requirements of the times" is a purpose, not a meeting
    if !w.contains(" to meet the ") {
        return FORWARD.iter().any(|p| w.contains(p));
    }
    let mut w = w.to_string();
    for purpose in [
        " to meet the requirement",
        " to meet the need",
        " to meet the purpose",
        " to meet the demand",
        " to meet the expectation",
        " to meet the aspiration",
    ] {
        w = w.replace(purpose, " ");
    }
    FORWARD.iter().any(|p| w.contains(p))
}

/// Whether a clause reports past events (talks held, a visit made) without
/// looking forward: such a clause sets no talks up, whatever meetings it names.
/// (On the clause's words, `words_of`.)
fn past_in_words(w: &str) -> bool {
    let w = without_will_the_noun(w);
    // a list of delegates ("Mr. A, Vice Minister ...; Mr. B, ...") reports who came
    let delegates = w.matches(" mr ").count() + w.matches(" ms ").count() >= 2;
    if delegates && !looks_forward(&w) {
        return true;
    }
    let held = held_talks_at(&w);
    if !PAST.iter().any(|p| w.contains(p)) && held.is_none() {
        return false;
    }
    // where a past verb ("held", "met with") reports the meeting; a past noun
    // phrase ("the historic summit", "at the meeting") can open a sentence
    // whose verb looks forward
    let past_at = PAST
        .iter()
        .filter(|p| !PAST_NOUN_PHRASES.contains(p))
        .filter_map(|p| w.find(p))
        .chain(held)
        .min();
    // a commitment anywhere makes it a provision ("At the meeting the two
    // sides agreed to ..."); a "will" only after the report belongs to it
    // ("held discussions on the actions each party will take")
    const COMMIT: [&str; 14] = [
        " agree to ",
        " agreed to ",
        " agrees to ",
        " decided to ",
        " committed ",
        " commit to ",
        " commits to ",
        " shall ",
        " undertake ",
        " undertakes ",
        " must ",
        " pledged ",
        " next ",
        " future ",
    ];
    if COMMIT.iter().any(|c| w.contains(c)) {
        return false;
    }
    let first_forward = FORWARD.iter().filter_map(|p| w.find(p)).min();
    !looks_forward(&w) || first_forward.zip(past_at).is_some_and(|(f, p)| f > p)
}

/// Where "held" reports talks of some kind ("held working-level talks", "held
/// a round of consultations"): the talk word within three words after it.
fn held_talks_at(w: &str) -> Option<usize> {
    const TALKS: [&str; 8] = [
        "talks",
        "meeting",
        "meetings",
        "consultations",
        "discussions",
        "negotiations",
        "round",
        "summit",
    ];
    let at = w.find(" held ")?;
    w[at + 6..]
        .split_whitespace()
        .take(3)
        .any(|x| TALKS.contains(&x))
        .then_some(at)
}

/// Whether a report of a meeting says what it discussed.
pub(crate) fn reports_discussion(text: &str) -> bool {
    let w = words_of(text);
    DISCUSSED.iter().any(|p| w.contains(p))
}

/// The text after an item label ("1.", "(a)", "①", "- ", "Article 3:").
fn after_label(t: &str) -> (&str, bool) {
    let t = t.trim();
    let mut chars = t.char_indices();
    if let Some((_, c)) = chars.next() {
        let circled = ('\u{2460}'..='\u{2473}').contains(&c)
            || ('\u{2776}'..='\u{277f}').contains(&c)
            || ('\u{278a}'..='\u{2793}').contains(&c);
        if circled || matches!(c, '-' | '*' | '•') {
            return (t[c.len_utf8()..].trim_start(), true);
        }
    }
    let first: String = t.chars().take_while(|c| c.is_alphabetic()).collect();
    if matches!(
        first.to_lowercase().as_str(),
        "article" | "chapter" | "section" | "part"
    ) {
        let rest = t[first.len()..].trim_start();
        let label: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '.')
            .collect();
        if !label.is_empty() && label.len() <= 6 {
            let rest = rest[label.len()..].trim_start_matches([':', '.', ' ', '-', '\u{2014}']);
            return (rest, true);
        }
    }
    if let Some(rest) = t.strip_prefix('(') {
        if let Some(i) = rest.find(')') {
            if i <= 4 && rest[..i].chars().all(|c| c.is_ascii_alphanumeric()) {
                return (rest[i + 1..].trim_start(), true);
            }
        }
    }
    let label: String = t
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    let l = label.trim_end_matches('.');
    let short_label = !l.is_empty()
        && l.len() <= 4
        && (l.chars().all(|c| c.is_ascii_digit() || c == '.')
            || l.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
            || l.chars().all(|c| matches!(c, 'i' | 'v' | 'x'))
            || (l.len() == 1 && l.chars().all(|c| c.is_ascii_alphabetic())));
    let punct = t[label.len()..].starts_with(')') || label.ends_with('.');
    if short_label && punct {
        return (t[label.len()..].trim_start_matches(')').trim_start(), true);
    }
    (t, false)
}

/// Words of four letters or more and how many of them start with a capital.
pub(crate) fn capitals(t: &str) -> (usize, usize) {
    let long: Vec<&str> = t
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .collect();
    let cap = long
        .iter()
        .filter(|w| {
            w.trim_start_matches(|c: char| !c.is_alphanumeric())
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
        })
        .count();
    (long.len(), cap)
}

fn ends_like_a_sentence(t: &str) -> bool {
    t.trim_end()
        .ends_with(['.', ';', ':', '!', '?', ',', '"', '\u{201d}'])
}

/// A title or heading: a Markdown heading; a line in capitals ("CHAPTER II",
/// "SOUTH-NORTH NON-AGGRESSION"); a short title-case line without closing
/// punctuation ("Press Communique of the Heads of Delegation Meeting ...");
/// a lone label ("Article 3"); as the first of several clauses, any short
/// line without closing punctuation and without a commitment.
fn is_heading(text: &str, first_of_several: bool, several: bool) -> bool {
    let t = text.trim();
    if t.starts_with('#') {
        return true;
    }
    let (body, labelled) = after_label(t);
    if labelled && body.is_empty() {
        return true;
    }
    // a heading is short (40 words of a long first title at most)
    if ends_like_a_sentence(t) || !several || t.len() > 600 {
        return false;
    }
    let w = words_of(t);
    if looks_forward(&w) {
        return false;
    }
    let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    let lines = t.lines().count();
    let words = body.split_whitespace().count();
    if letters.len() >= 4 && upper * 10 >= letters.len() * 8 && words <= 16 && lines <= 3 {
        return true;
    }
    // a title hard-wrapped over two or three lines is still the title; a
    // later block of several lines is running text
    if lines > 1 && !first_of_several {
        return false;
    }
    let (long, cap) = capitals(body);
    let title_case = long > 0 && cap * 10 >= long * 7;
    // a first line may be a long title ("Joint Statement of President ... at the ... Summit")
    let most = if first_of_several { 40 } else { 25 };
    if title_case && words <= most && (!labelled || words <= 8) {
        return true;
    }
    // a short unpunctuated line (an unnumbered one that states no commitment)
    !labelled && words <= 14 && (first_of_several || cap * 2 >= long)
}

/// Month names, lower case, January first.
pub(crate) const MONTHS: [&str; 12] = [
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

/// A place and date and nothing else: "Panmunjom, April 27, 2018", "Done at
/// Singapore on 12 June 2018", "2018.9.19".
fn is_dateline(text: &str) -> bool {
    if text.len() > 200 {
        return false;
    }
    let (body, _) = after_label(text);
    let w = words_of(body);
    let words: Vec<&str> = w.split_whitespace().collect();
    let year = |s: &str| s.len() == 4 && s.parse::<u32>().is_ok_and(|y| (1900..=2100).contains(&y));
    let dated = words.iter().any(|x| MONTHS.contains(x) || year(x));
    // the closing formula of a treaty ("Done at Panmunjom on 27 July 2031 in
    // duplicate in the Korean and English languages, both texts being
    // equally authentic") is a dateline however long
    if dated
        && words.len() <= 40
        && matches!(
            words.as_slice(),
            ["done" | "signed", "at" | "in" | "on", ..]
        )
    {
        return true;
    }
    if words.is_empty() || words.len() > 16 || looks_forward(&w) || !dated {
        return false;
    }
    const FILLER: [&str; 22] = [
        "done",
        "at",
        "in",
        "on",
        "the",
        "of",
        "this",
        "day",
        "signed",
        "dated",
        "duplicate",
        "english",
        "korean",
        "japanese",
        "chinese",
        "languages",
        "both",
        "texts",
        "being",
        "equally",
        "authentic",
        "and",
    ];
    // every lower-case word of the original is a date word or a filler; the
    // others are names (places) or numbers
    body.split(|c: char| !c.is_alphanumeric())
        .filter(|x| !x.is_empty())
        .all(|x| {
            let l = x.to_lowercase();
            x.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                || MONTHS.contains(&l.as_str())
                || FILLER.contains(&l.as_str())
                || l.ends_with("th")
                || l == "st"
                || l == "nd"
                || l == "rd"
        })
}

/// Names and offices of the signatories: "Kim Jong Un / Chairman of the State
/// Affairs Commission", "For the Government of Japan", "(Signed)".
fn is_signature(text: &str) -> bool {
    let t = text.trim();
    if t.len() > 600 {
        return false;
    }
    let w = words_of(t);
    if looks_forward(&w) || w.split_whitespace().count() > 40 {
        return false;
    }
    let signed = t.to_lowercase().contains("(signed)")
        || (w.contains(" signed ") && !t.ends_with('.') && !t.contains(". "));
    if signed && w.split_whitespace().count() <= 20 {
        return true;
    }
    if t.ends_with(['.', ';', '!', '?']) && !t.ends_with(" Jr.") {
        return false;
    }
    const OFFICES: [&str; 16] = [
        " president ",
        " chairman ",
        " chairperson ",
        " chair ",
        " minister ",
        " secretary ",
        " premier ",
        " commander ",
        " head of delegation ",
        " representative ",
        " envoy ",
        " ambassador ",
        " for the government of ",
        " on behalf of ",
        " general secretary ",
        " chief ",
    ];
    let office = OFFICES.iter().any(|o| w.contains(o));
    let (long, cap) = capitals(t);
    let lower = t.to_lowercase();
    // on one line: "For the Government of ...", or a name and an office ("Lee Do, Minister of ...")
    let one_line = lower.starts_with("for ")
        || lower.starts_with("on behalf of")
        || w.split_whitespace().count() <= 10;
    office
        && long > 0
        && cap * 10 >= long * 6
        && (t.contains('\n') || (one_line && !t.contains(". ")))
}

/// Participles that open a preamble paragraph.
const PREAMBLE: [&str; 24] = [
    "recognizing",
    "recognising",
    "reaffirming",
    "affirming",
    "noting",
    "recalling",
    "considering",
    "bearing",
    "desiring",
    "convinced",
    "welcoming",
    "acknowledging",
    "mindful",
    "determined",
    "expressing",
    "believing",
    "reflecting",
    "hoping",
    "respecting",
    "guided",
    "emphasizing",
    "stressing",
    "aware",
    "conscious",
];

fn is_preamble(body: &str) -> bool {
    if !body
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .starts_with(|c: char| c.is_uppercase())
    {
        return false;
    }
    let first: String = body
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    // "Convinced that ... will contribute ..., the two leaders state the
    // following:" leads into the provisions and commits to nothing itself
    PREAMBLE.contains(&first.as_str())
        && (!looks_forward(&without_will_the_noun(&words_of(body)))
            || body.trim_end().ends_with(':'))
}

/// A shared aim without a step of its own: "confirmed the common goal of
/// realizing ...", "will work toward ...", "aspire to ...".
fn is_goal(w: &str) -> bool {
    const AIM: [&str; 9] = [
        " common goal ",
        " the goal of ",
        " ultimate goal ",
        " shared goal ",
        " work toward ",
        " work towards ",
        " aspire ",
        " aspiration ",
        " final goal ",
    ];
    // a step of its own ("agreed to carry out", "shall dismantle") makes it a provision
    const STEP: [&str; 10] = [
        " shall ",
        " agreed to carry out ",
        " agreed to take ",
        " will take ",
        " will dismantle ",
        " will carry out ",
        " will implement ",
        " will stop ",
        " will cease ",
        " agreed to implement ",
    ];
    AIM.iter().any(|a| w.contains(a)) && !STEP.iter().any(|s| w.contains(s))
}

/// The type of a clause. `first_of_several`: it opens a text of several
/// clauses (a short unpunctuated first line is then a title).
pub fn classify(text: &str, first_of_several: bool, several: bool) -> ClauseType {
    if is_dateline(text) {
        return ClauseType::Dateline;
    }
    // a first line is a title before it is a signature ("Statement by the President of ...")
    if !first_of_several && is_signature(text) {
        return ClauseType::Signature;
    }
    if is_heading(text, first_of_several, several) {
        return ClauseType::Heading;
    }
    if is_signature(text) {
        return ClauseType::Signature;
    }
    let w = words_of(text);
    if past_in_words(&w) {
        return ClauseType::Narrative;
    }
    let (body, _) = after_label(text);
    if is_preamble(body) {
        return ClauseType::Preamble;
    }
    if is_goal(&w) {
        return ClauseType::Goal;
    }
    ClauseType::Provision
}

#[cfg(test)]
mod tests {
    use super::*;
    use ClauseType::*;

    fn ty(text: &str) -> ClauseType {
        classify(text, false, true)
    }

    #[test]
    fn headings_titles_and_labels() {
        assert_eq!(
            classify(
                "Joint Declaration of the Two Leaders on the Harbour Talks",
                true,
                true
            ),
            Heading
        );
        assert_eq!(ty("CHAPTER IV\nLAND ROUTES AND FERRIES"), Heading);
        assert_eq!(ty("Article 7"), Heading);
        assert_eq!(ty("III. Energy Supply"), Heading);
        assert_eq!(
            ty("Communique of the Working Level Meeting of the Third Round of the Harbour Talks between the Coastal States"),
            Heading
        );
        // a commitment is no heading, however it is capitalised
        assert_eq!(ty("The Two Sides Will Open A Liaison Office"), Provision);
        assert_eq!(
            ty("Article 7: Each side shall return the vessels it holds."),
            Provision
        );
        // reports of the meeting itself
        assert_eq!(
            ty("The meetings proceeded in a frank and useful atmosphere."),
            Narrative
        );
        assert_eq!(
            ty("The envoy paid a visit to Kaesong from 9 to 12 May."),
            Narrative
        );
        assert_eq!(
            ty("The two sides held talks and agreed to meet again in June."),
            Provision
        );
        assert_eq!(
            ty("The delegations held working-level talks in Kaesong on 5 and 6 May."),
            Narrative
        );
        assert_eq!(
            ty("Done at Kaesong on 9 May 2031 in duplicate in the Korean and English languages, both texts being equally authentic."),
            Dateline
        );
        // a first title hard-wrapped over two lines
        assert_eq!(
            classify(
                "Joint Statement of the Foreign Ministers of the Harbour States\nand the Coastal Union",
                true,
                true
            ),
            Heading
        );
        // a single clause is never a title of others
        assert_eq!(classify("Trade Talks Resume", true, false), Provision);
    }

    #[test]
    fn datelines_and_signatures() {
        assert_eq!(ty("Kaesong, March 3, 2031"), Dateline);
        assert_eq!(ty("Done at Geneva on 9 May 2030, in duplicate"), Dateline);
        assert_eq!(
            ty("On March 3, 2031 the two sides met at Kaesong and signed the accord."),
            Narrative
        );
        assert_eq!(
            ty("Han Sol\nChairman of the Northern Harbour Authority\nLee Do\nMinister of Coastal Affairs"),
            Signature
        );
        assert_eq!(
            ty("For the Government of the Republic of Korea:"),
            Signature
        );
        assert_eq!(ty("(Signed)"), Signature);
        assert_eq!(
            ty("The President will brief the Minister of Defence within a day."),
            Provision
        );
    }

    #[test]
    fn narrative_preamble_goal_provision() {
        assert_eq!(
            ty("Talks between the harbour authorities were held in Kaesong from 2 to 4 May."),
            Narrative
        );
        assert_eq!(
            ty("After arriving in the capital we had a meeting with the chairman."),
            Narrative
        );
        assert_eq!(
            ty("Recognizing that the fishing dispute has lasted a decade, and wishing to close it,"),
            Preamble
        );
        assert_eq!(
            ty("Recognizing the new situation, the two sides agreed to reopen the rail link."),
            Provision
        );
        assert_eq!(
            ty("The two sides confirmed the common goal of a coast free of mines."),
            Goal
        );
        assert_eq!(
            ty("The two sides confirmed the common goal of a coast free of mines and agreed to carry out joint clearance."),
            Provision
        );
        assert_eq!(
            ty("(b) The parties shall not fly reconnaissance aircraft over the bay."),
            Provision
        );
        assert_eq!(
            ty("② Each side will return the fishing boats it has seized."),
            Provision
        );
    }

    #[test]
    fn discussion_is_an_agenda() {
        assert!(reports_discussion(
            "At the meeting both sides discussed the rail link."
        ));
        assert!(!reports_discussion("The meeting was held in Kaesong."));
    }
}
