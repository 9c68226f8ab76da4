//! Splitting a text into clauses with character spans.
//!
//! A clause starts at a numbered or lettered item ("1.", "2)", "(a)", "iv."),
//! a bullet ("-", "*", "•"), or a new paragraph (a blank line, or a single
//! newline after a finished sentence or a title line, before a capital); each
//! sentence of a paragraph is a clause. Markdown headings are their own clauses.

/// A piece of the text: its character span and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

fn is_item_start(line: &str) -> bool {
    let t = line.trim_start();
    if t.starts_with("- ") || t.starts_with("* ") || t.starts_with("• ") || t.starts_with('#') {
        return true;
    }
    // the bullets of other typographies: dashes, middle dots, and the
    // squares, circles and triangles of Korean and Japanese official texts
    // ("○ The two sides ...", "▲ disablement of ...")
    if t.chars().next().is_some_and(|c| {
        matches!(
            c,
            '–' | '—'
                | '·'
                | '○'
                | '□'
                | '■'
                | '▲'
                | '△'
                | '◦'
                | '●'
                | '▶'
                | '►'
                | '※'
                | '◆'
                | '◇'
                | '▪'
                | '‣'
        )
    }) && t.chars().nth(1).is_some_and(|c| c.is_whitespace())
    {
        return true;
    }
    // Roman numerals as characters (Ⅰ-Ⅻ, ⅰ-ⅻ), as Korean and Japanese texts number their parts
    if t.chars()
        .next()
        .is_some_and(|c| ('\u{2160}'..='\u{217b}').contains(&c))
    {
        return true;
    }
    // circled numerals (①-⑳, ❶-❿, ➊-➓): an item number in Korean and Japanese texts
    if t.chars().next().is_some_and(|c| {
        ('\u{2460}'..='\u{2473}').contains(&c)
            || ('\u{2776}'..='\u{277f}').contains(&c)
            || ('\u{278a}'..='\u{2793}').contains(&c)
    }) {
        return true;
    }
    // "Article 5", "ARTICLE V", "Chapter II" open an item
    let first: String = t.chars().take_while(|c| c.is_alphabetic()).collect();
    if matches!(
        first.as_str(),
        "Article" | "ARTICLE" | "Chapter" | "CHAPTER"
    ) && t[first.len()..].starts_with(' ')
    {
        return true;
    }
    // "1.The north ...": a number and its full stop with no space before the text
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    if (1..=3).contains(&digits) {
        let mut rest = t[digits..].chars();
        if rest.next() == Some('.') && rest.next().is_some_and(|c| c.is_uppercase()) {
            return true;
        }
    }
    // (a) (iv) (1)
    if let Some(rest) = t.strip_prefix('(') {
        if let Some(i) = rest.find(')') {
            let label = &rest[..i];
            return !label.is_empty()
                && label.len() <= 4
                && label.chars().all(|c| c.is_ascii_alphanumeric());
        }
    }
    // 1. 2) a. b) iv. 1.2.
    let label: String = t
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    let after = t[label.len()..].chars().next();
    let label = label.trim_end_matches('.');
    let numeric = !label.is_empty()
        && label
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    let letter = label.len() == 1 && label.chars().all(|c| c.is_ascii_lowercase());
    let roman = !label.is_empty()
        && label.len() <= 4
        && (label.chars().all(|c| matches!(c, 'i' | 'v' | 'x'))
            || label.chars().all(|c| matches!(c, 'I' | 'V' | 'X')));
    let punct = t[..]
        .chars()
        .nth(label.chars().count())
        .is_some_and(|c| c == '.' || c == ')');
    (numeric || letter || roman) && punct && after.is_some()
}

/// A line that reads as a title or heading: short and in title case or in
/// capitals, or in angle brackets ("<Strengthening the Alliance>"), without
/// closing punctuation. A hard-wrapped line of running text is neither: its
/// words are mostly lower case.
fn heading_like(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() || t.ends_with(['.', ';', ':', ',', '!', '?']) {
        return false;
    }
    if t.starts_with('<') && t.ends_with('>') {
        return true;
    }
    let (long, capital) = crate::kind::capitals(t);
    t.split_whitespace().count() <= 16 && long > 0 && capital * 10 >= long * 7
}

/// Splits `text` into clauses. Empty and whitespace-only input gives none.
pub fn split(text: &str) -> Vec<Piece> {
    // work on characters so spans are character offsets
    let chars: Vec<char> = text.chars().collect();
    let mut lines: Vec<(usize, usize)> = Vec::new(); // char spans of lines, without the newline
    let mut s = 0;
    for (i, &c) in chars.iter().enumerate() {
        if c == '\n' {
            lines.push((s, i));
            s = i + 1;
        }
    }
    lines.push((s, chars.len()));
    let line_text = |(a, b): (usize, usize)| chars[a..b].iter().collect::<String>();
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    let mut cur: Option<(usize, usize)> = None;
    // the last character of the previous non-blank line
    let mut prev_end: Option<char> = None;
    // whether the previous line reads as a heading (a title line ends without punctuation)
    let mut prev_heading = false;
    for &l in &lines {
        let t = line_text(l);
        if t.trim().is_empty() {
            if let Some(b) = cur.take() {
                blocks.push(b);
            }
            prev_end = None;
            prev_heading = false;
            continue;
        }
        // a single newline after a finished sentence, before a capital, is a new
        // paragraph (text copied from a web page); a line broken mid-sentence
        // (a hard wrap) continues it
        // anything but a lower-case letter can open a paragraph: a capital, a
        // quote, a bracket, a number, a symbol
        let starts_upper = t
            .trim_start()
            .chars()
            .next()
            .is_some_and(|c| !c.is_lowercase());
        if cur.is_some()
            && starts_upper
            && (prev_end
                .is_some_and(|c| matches!(c, '.' | ';' | ':' | '!' | '?' | '"' | '\u{201d}'))
                || prev_heading)
        {
            if let Some(b) = cur.take() {
                blocks.push(b);
            }
        }
        prev_end = t.trim_end().chars().last();
        prev_heading = heading_like(&t);
        let heading = t.trim_start().starts_with('#');
        if is_item_start(&t) {
            if let Some(b) = cur.take() {
                blocks.push(b);
            }
            if heading {
                blocks.push(l);
                continue;
            }
            cur = Some(l);
        } else {
            cur = Some(match cur {
                Some((a, _)) => (a, l.1),
                None => l,
            });
        }
    }
    if let Some(b) = cur {
        blocks.push(b);
    }
    let mut out = Vec::new();
    for (a, b) in blocks {
        for (x, y) in sentences(&chars, a, b) {
            // trim whitespace at both ends, keeping spans exact
            let (mut x, mut y) = (x, y);
            while x < y && chars[x].is_whitespace() {
                x += 1;
            }
            while y > x && chars[y - 1].is_whitespace() {
                y -= 1;
            }
            if y > x {
                out.push(Piece {
                    start: x,
                    end: y,
                    text: chars[x..y].iter().collect(),
                });
            }
        }
    }
    out
}

/// Cuts a block at sentence ends (". " followed by an upper-case letter, not
/// after a one-letter abbreviation such as "U.S." or a title such as "Mr."),
/// keeping sentences of at least 40 characters. Every sentence is its own
/// clause: real texts put two commitments in one paragraph, and a clause that
/// holds both lends each the other's tags.
fn sentences(chars: &[char], a: usize, b: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = a;
    let mut i = a;
    while i + 2 < b {
        let c = chars[i];
        if matches!(c, '.' | '!' | '?' | ';') && chars[i + 1].is_whitespace() {
            let mut j = i + 1;
            while j < b && chars[j].is_whitespace() {
                j += 1;
            }
            // a full stop at the end of a line ends its sentence even before
            // a lower-case word (a sentence begun in lower case on a new line)
            let at_line_end = chars[i + 1..j].contains(&'\n');
            let next_upper = j < b
                && (chars[j].is_uppercase()
                    || chars[j] == '('
                    || chars[j].is_ascii_digit()
                    || (at_line_end && chars[j].is_alphabetic()));
            // the word before the full stop: "U.S.", "Mr.", "Dr." do not end a sentence
            let word: String = {
                let mut k = i;
                while k > a && chars[k - 1].is_alphabetic() {
                    k -= 1;
                }
                chars[k..i].iter().collect()
            };
            let title = matches!(
                word.as_str(),
                "Mr" | "Mrs"
                    | "Ms"
                    | "Dr"
                    | "St"
                    | "No"
                    | "Gen"
                    | "Lt"
                    | "Col"
                    | "Adm"
                    | "Amb"
                    | "Prof"
                    | "Sen"
                    | "Rep"
            );
            let abbrev = title
                || i >= 2 && chars[i - 2] == '.'
                || (i >= 1
                    && chars[i - 1].is_uppercase()
                    && (i < 2 || !chars[i - 2].is_alphabetic()));
            if next_upper && !abbrev && i + 1 - start >= 40 {
                out.push((start, i + 1));
                start = j;
            }
        }
        i += 1;
    }
    out.push((start, b));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_items_and_paragraphs() {
        let t = "Preamble text here.\n\n1. First item\ncontinues here.\n2. Second item.\n(a) a sub item\n- a bullet\n\nLast paragraph.";
        let p = split(t);
        let texts: Vec<&str> = p.iter().map(|x| x.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "Preamble text here.",
                "1. First item\ncontinues here.",
                "2. Second item.",
                "(a) a sub item",
                "- a bullet",
                "Last paragraph."
            ]
        );
        for x in &p {
            let s: String = t.chars().skip(x.start).take(x.end - x.start).collect();
            assert_eq!(s, x.text);
        }
    }

    #[test]
    fn items_as_real_texts_number_them_and_paragraphs_as_web_pages_break_them() {
        let t = "\u{2460} The two sides agreed to hold talks.\n\u{2461} They agreed to open an office.\nII. The parties reviewed the work.\nArticle 5. The parties shall refrain from force.\nThe second paragraph starts after a full stop.\nA hard-wrapped line\ncontinues its sentence.";
        let texts: Vec<String> = split(t).into_iter().map(|p| p.text).collect();
        assert_eq!(texts.len(), 6, "{texts:?}");
        assert!(texts[0].starts_with('\u{2460}') && texts[1].starts_with('\u{2461}'));
        assert!(texts[2].starts_with("II.") && texts[3].starts_with("Article 5"));
        assert_eq!(texts[5], "A hard-wrapped line\ncontinues its sentence.");
        // a number glued to its text is an item; a line that ends a sentence
        // ends it before a lower-case line too
        let t = "The agreement reads:\n1.The two sides shall reconnect the railways by June.\n2.The two sides shall survey the river together in July.\nThere is no change in our stance on the harbour talks today.\nwe are not considering any additional deployments of the new system.";
        let texts: Vec<String> = split(t).into_iter().map(|p| p.text).collect();
        assert_eq!(texts.len(), 5, "{texts:?}");
        assert!(texts[1].starts_with("1.The") && texts[2].starts_with("2.The"));
        assert!(texts[4].starts_with("we are"));
        // bullets of other typographies, Roman numerals as characters, and
        // a paragraph that opens with a number
        let t = "\u{25cb} The two sides will open an office in May.\n\u{25b2} disablement of the harbour works by June;\n\u{2161}. Energy\n\u{2013} The South will send fuel in July.\nThe second phase will end in December.\n2031 will see the first joint survey of the river.";
        let texts: Vec<String> = split(t).into_iter().map(|p| p.text).collect();
        assert_eq!(texts.len(), 6, "{texts:?}");
        assert!(texts[5].starts_with("2031"));
        // "Mr." does not end a sentence
        let long = format!(
            "{} Mr. Wu Dawei chaired the meeting of the heads of delegation. {}",
            "word ".repeat(90),
            "More words follow here. ".repeat(3)
        );
        assert!(split(&long).iter().all(|p| !p.text.starts_with("Wu Dawei")));
    }

    #[test]
    fn a_title_line_ends_its_paragraph_without_a_full_stop() {
        let t = "Joint Statement on the Harbour Talks\nThe two sides met in Kaesong.\n<Fisheries>\nEach side will return the boats it holds.\nThe Boats And Crews Held By\neither side shall be sent home.";
        let texts: Vec<String> = split(t).into_iter().map(|p| p.text).collect();
        assert_eq!(
            texts,
            [
                "Joint Statement on the Harbour Talks",
                "The two sides met in Kaesong.",
                "<Fisheries>",
                "Each side will return the boats it holds.",
                // a line that goes on in lower case is wrapped running text
                "The Boats And Crews Held By\neither side shall be sent home."
            ]
        );
    }

    #[test]
    fn every_sentence_of_a_paragraph_is_a_clause() {
        let t = "The two sides will open a liaison office in Kaesong. They will also hold military talks in May.";
        let texts: Vec<String> = split(t).into_iter().map(|p| p.text).collect();
        assert_eq!(texts.len(), 2, "{texts:?}");
    }

    #[test]
    fn empty_gives_nothing() {
        assert!(split("").is_empty());
        assert!(split("  \n\n \t").is_empty());
    }

    #[test]
    fn long_paragraphs_are_cut_into_sentences() {
        let s =
            "The two sides will meet again soon to discuss the matter in detail and at length. "
                .repeat(8);
        let p = split(&s);
        assert!(p.len() >= 4, "{}", p.len());
        let u = format!(
            "{} The U.S. side agreed. {}",
            "word ".repeat(90),
            "More words follow here in a sentence. ".repeat(3)
        );
        assert!(split(&u).iter().all(|x| !x.text.starts_with("S. side")));
    }

    #[test]
    fn spans_count_characters_not_bytes() {
        let t = "Ōsaka — 1. first\n2. second";
        let p = split(t);
        let last = p.last().expect("a clause");
        let s: String = t
            .chars()
            .skip(last.start)
            .take(last.end - last.start)
            .collect();
        assert_eq!(s, "2. second");
    }
}
