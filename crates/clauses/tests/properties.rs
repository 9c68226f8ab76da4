//! Never a panic on any input; spans always point into the text.

use clauses::analyse;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn any_unicode_is_analysed_without_panic(s in "\\PC*") {
        let a = analyse(&s).expect("lexicon");
        let n = s.chars().count();
        for c in &a.clauses {
            prop_assert!(c.span[0] < c.span[1] && c.span[1] <= n);
            for t in &c.tags {
                prop_assert!(t.confidence > 0.0 && t.confidence <= 1.0);
                for e in &t.evidence {
                    prop_assert!(e.span[0] >= c.span[0] && e.span[1] <= c.span[1]);
                }
            }
        }
    }

    #[test]
    fn agreement_like_text_with_noise(words in prop::collection::vec(prop::sample::select(vec![
        "1.", "(a)", "-", "\n", "\n\n", "the", "North", "shall", "freeze", "missiles", "talks", "U.S.", "not",
        "verify", "peace", "treaty", "Japan", "é", "漢字", ".", ",", "without", "~", "*",
    ]), 0..200)) {
        let s = words.join(" ");
        let a = analyse(&s).expect("lexicon");
        let chars: Vec<char> = s.chars().collect();
        for c in &a.clauses {
            let t: String = chars[c.span[0]..c.span[1]].iter().collect();
            prop_assert_eq!(t, c.text.clone());
        }
    }
}

#[test]
fn empty_input_is_an_empty_result() {
    let a = analyse("").expect("lexicon");
    assert!(a.clauses.is_empty());
    assert_eq!(a.summary.clauses, 0);
}
