//! Sentence splitting for the two sides of a document.
//!
//! English ends a sentence at `.`, `!` or `?`; Chinese at `。`, `！`, `？` or `；`. A
//! terminator counts only outside quotes and brackets (`“”`, `""`, `（）`, `()`, `《》`,
//! `「」`, `[]`, `【】`, `『』`), so a quoted speech of several sentences stays one sentence on
//! both sides, as translations keep it. Closing quotes and brackets right after the
//! terminator stay with the sentence (`他说：“好。”` is one). Only brackets that pair up
//! count: the OCR drops quotes, and an unclosed `“` must not swallow the rest of a
//! paragraph.
//!
//! English adds: a terminator must be followed by white space or the end (so `3.5`, `U.S.A`
//! and `e.g.x` never split); not after an abbreviation (`Mr.`, `Dr.`, `St.`, `No. 9`…), an
//! initial (`J.`) or a dotted acronym (`U.S.`); not before a lower-case word (`“Why?” he
//! asked`); not after a list label (`1.`, `IV.` opening the text, `: 1.`).
//!
//! Ranges are byte ranges relative to the input, trimmed, in order, and cover every
//! non-white-space character.

use std::ops::Range;

/// The sentences of an English text.
pub fn english(s: &str) -> Vec<Range<usize>> {
    split(s, Language::English)
}

/// The sentences of a Chinese text.
pub fn chinese(s: &str) -> Vec<Range<usize>> {
    split(s, Language::Chinese)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Language {
    English,
    Chinese,
}

fn is_terminator(c: char, lang: Language) -> bool {
    match lang {
        Language::English => matches!(c, '.' | '!' | '?'),
        Language::Chinese => matches!(c, '。' | '！' | '？' | '；'),
    }
}

/// The closing partner of an opening quote or bracket. `"` is its own partner.
fn closer_of(c: char) -> Option<char> {
    Some(match c {
        '“' => '”',
        '"' => '"',
        '（' => '）',
        '(' => ')',
        '《' => '》',
        '「' => '」',
        '[' => ']',
        '【' => '】',
        '『' => '』',
        _ => return None,
    })
}

fn is_closer(c: char) -> bool {
    matches!(
        c,
        '”' | '"' | '）' | ')' | '》' | '」' | ']' | '】' | '』' | '’'
    )
}

/// Words that end in a full stop without ending a sentence. `No` only before a number.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Prof", "Gen", "Lt", "Col", "Maj", "Capt", "Sgt",
    "Gov", "Sen", "Rep", "Rev", "Hon", "Mt", "Ft", "Co", "Corp", "Inc", "Ltd", "Bros", "vs", "Vol",
    "vol", "pp", "Fig", "fig", "Jan", "Feb", "Mar", "Apr", "Aug", "Sep", "Sept", "Oct", "Nov",
    "Dec", "cf", "approx", "Dept", "Univ", "Ave", "Rd", "Nos",
];

/// For every char (by index into `chars`), +1 if it opens a matched pair, −1 if it closes
/// one, 0 otherwise. A closer matches the nearest open opener of its kind; openers it
/// skips over, and openers never closed, do not count.
fn matched_depths(chars: &[(usize, char)]) -> Vec<i8> {
    let mut delta = vec![0i8; chars.len()];
    let mut stack: Vec<(usize, char)> = Vec::new();
    for (k, &(_, c)) in chars.iter().enumerate() {
        // `"` closes an open `"`, else opens.
        if let Some(pos) = stack
            .iter()
            .rposition(|&(_, open)| is_closer(c) && closer_of(open) == Some(c))
        {
            let (open, _) = stack[pos];
            stack.truncate(pos);
            delta[open] = 1;
            delta[k] = -1;
        } else if closer_of(c).is_some() {
            stack.push((k, c));
        }
    }
    delta
}

fn split(s: &str, lang: Language) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let delta = matched_depths(&chars);
    let mut out = Vec::new();
    let mut start = 0usize; // byte offset where the current sentence may begin
    let mut depth = 0i32;
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k].1;
        depth += i32::from(delta[k]);
        if !is_terminator(c, lang) {
            k += 1;
            continue;
        }
        // The run of terminators, then the closers that stay with the sentence.
        let first = k;
        let mut end = k + 1;
        while end < chars.len() && is_terminator(chars[end].1, lang) {
            end += 1;
        }
        let mut d = depth;
        while end < chars.len() && is_closer(chars[end].1) {
            d += i32::from(delta[end]);
            end += 1;
        }
        if d <= 0 && ends_sentence(s, &chars, start, first, end, lang) {
            let stop = chars.get(end).map_or(s.len(), |&(b, _)| b);
            push_trimmed(&mut out, s, start, stop);
            start = stop;
        }
        // Account for the depth changes of the run and closers just consumed.
        for &dk in &delta[k + 1..end] {
            depth += i32::from(dk);
        }
        k = end;
    }
    push_trimmed(&mut out, s, start, s.len());
    out
}

fn push_trimmed(out: &mut Vec<Range<usize>>, s: &str, start: usize, stop: usize) {
    let piece = &s[start..stop];
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if !trimmed.is_empty() {
        out.push(start + lead..start + lead + trimmed.len());
    }
}

/// Whether the terminator run `chars[first..]` with its closers up to `end` ends the
/// sentence that began at byte `start`.
fn ends_sentence(
    s: &str,
    chars: &[(usize, char)],
    start: usize,
    first: usize,
    end: usize,
    lang: Language,
) -> bool {
    if lang == Language::Chinese {
        return true;
    }
    // White space or the end must follow.
    let next = chars.get(end).map(|&(_, c)| c);
    if next.is_some_and(|c| !c.is_whitespace()) {
        return false;
    }
    // Not before a lower-case word.
    let following = chars[end..]
        .iter()
        .map(|&(_, c)| c)
        .find(|c| !c.is_whitespace());
    if following.is_some_and(char::is_lowercase) {
        return false;
    }
    // The remaining tests are for a single full stop only: `!` and `?` are never
    // abbreviations.
    let closers_only = chars[first + 1..end].iter().all(|&(_, c)| is_closer(c));
    if chars[first].1 != '.' || !closers_only {
        return true;
    }
    // The word before the stop: letters, digits and inner stops.
    let word_end = chars[first].0;
    let mut w = first;
    while w > 0 && (chars[w - 1].1.is_alphanumeric() || chars[w - 1].1 == '.') {
        w -= 1;
    }
    let word = &s[chars.get(w).map_or(word_end, |&(b, _)| b)..word_end];
    if word.is_empty() {
        return true;
    }
    let before = s[start.min(chars[w].0)..chars[w].0].trim();
    if is_abbreviation(word, following) || is_list_label(word, before) {
        return false;
    }
    true
}

fn is_abbreviation(word: &str, following: Option<char>) -> bool {
    let letters = |p: &str| !p.is_empty() && p.chars().all(char::is_alphabetic);
    // An initial (`J`) or a dotted acronym (`U.S`, `a.m`): single letters between stops.
    if word
        .split('.')
        .all(|p| letters(p) && p.chars().count() == 1)
    {
        return true;
    }
    if word == "No" {
        return following.is_some_and(|c| c.is_ascii_digit());
    }
    ABBREVIATIONS.contains(&word)
}

/// `1.` or `IV.` opening the sentence, or a number after a colon or semicolon: a list label.
fn is_list_label(word: &str, before: &str) -> bool {
    let number = word.len() <= 3 && word.bytes().all(|b| b.is_ascii_digit());
    let roman = word.len() <= 4 && word.bytes().all(|b| b"IVXLC".contains(&b));
    (before.is_empty() && (number || roman)) || (number && before.ends_with([':', ';']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en(s: &str) -> Vec<&str> {
        english(s).into_iter().map(|r| &s[r]).collect()
    }

    fn cn(s: &str) -> Vec<&str> {
        chinese(s).into_iter().map(|r| &s[r]).collect()
    }

    #[test]
    fn english_terminators() {
        assert_eq!(
            en("It rained. Did it stop? No! It went on."),
            ["It rained.", "Did it stop?", "No!", "It went on."]
        );
        assert_eq!(en("Wait... What?!"), ["Wait...", "What?!"]);
        assert_eq!(en("  One.   Two.  "), ["One.", "Two."]);
        assert_eq!(en("no terminator at all"), ["no terminator at all"]);
        assert!(en("").is_empty() && en("   ").is_empty());
    }

    #[test]
    fn english_abbreviations_initials_numbers() {
        assert_eq!(
            en("Mr. Li met Dr. Wang at St. Paul. They talked."),
            ["Mr. Li met Dr. Wang at St. Paul.", "They talked."]
        );
        assert_eq!(
            en("J. Stalin spoke. The U.S. President Johnson said so."),
            ["J. Stalin spoke.", "The U.S. President Johnson said so."]
        );
        assert_eq!(
            en("Prices rose 3.5 percent. See No. 9 Street."),
            ["Prices rose 3.5 percent.", "See No. 9 Street."]
        );
        assert_eq!(en("He said No. Then left."), ["He said No.", "Then left."]);
        assert_eq!(
            en("Academician I. Petrovsky wrote."),
            ["Academician I. Petrovsky wrote."]
        );
    }

    #[test]
    fn english_quotes_and_brackets() {
        assert_eq!(
            en("“Sit down. Have some water.” Mr. Li smiled. He left."),
            ["“Sit down. Have some water.”", "Mr. Li smiled.", "He left."]
        );
        assert_eq!(
            en("The Queen said, \"I eat porridge.\" Tou Qiu nodded."),
            ["The Queen said, \"I eat porridge.\"", "Tou Qiu nodded."]
        );
        assert_eq!(
            en("“Why?” he asked. (See above. Really.) Fine."),
            ["“Why?” he asked.", "(See above. Really.)", "Fine."]
        );
        // An unclosed quote does not swallow the rest.
        assert_eq!(
            en("He said “go. Then stop."),
            ["He said “go.", "Then stop."]
        );
    }

    #[test]
    fn english_list_labels() {
        assert_eq!(
            en("2. Is the term needed? Yes."),
            ["2. Is the term needed?", "Yes."]
        );
        assert_eq!(
            en("IV. Mobilizing the Backward"),
            ["IV. Mobilizing the Backward"]
        );
        assert_eq!(
            en("It has four parts: 1. Peasants. 2. Workers."),
            ["It has four parts: 1. Peasants.", "2. Workers."]
        );
        assert_eq!(
            en("The war ended in 1949. Then peace."),
            ["The war ended in 1949.", "Then peace."]
        );
    }

    #[test]
    fn chinese_terminators_and_quotes() {
        assert_eq!(
            cn("太后说：“我靠坐车行动。”触詟问：“每天饮食不会减少吗？”太后说：“靠吃粥罢了。”"),
            [
                "太后说：“我靠坐车行动。”",
                "触詟问：“每天饮食不会减少吗？”",
                "太后说：“靠吃粥罢了。”"
            ]
        );
        assert_eq!(
            cn("秦加紧攻赵；赵向齐国求援。齐国说：“一定要长安君作人质。才肯出兵。”好！！"),
            [
                "秦加紧攻赵；",
                "赵向齐国求援。",
                "齐国说：“一定要长安君作人质。才肯出兵。”",
                "好！！"
            ]
        );
        assert_eq!(
            cn("（据新华社讯。）下一句。《书名。》"),
            ["（据新华社讯。）", "下一句。", "《书名。》"]
        );
        assert_eq!(cn("没有句号的标题"), ["没有句号的标题"]);
        assert_eq!(cn("水位２６．００米。"), ["水位２６．００米。"]);
    }

    #[test]
    fn ranges_cover_all_text_in_order() {
        for s in [
            "  A. B!  “C?” D  ",
            "一。　二！三？”四；",
            "x.y. z",
            "“”。。。",
            "Mr. . . .",
        ] {
            for r in [english(s), chinese(s)] {
                let mut last = 0;
                for x in &r {
                    assert!(x.start >= last && x.start < x.end, "{s:?}: {r:?}");
                    assert!(s[last..x.start].trim().is_empty(), "{s:?}: {r:?}");
                    assert_eq!(s[x.clone()].trim(), &s[x.clone()]);
                    last = x.end;
                }
                assert!(s[last..].trim().is_empty(), "{s:?}: {r:?}");
            }
        }
    }
}
