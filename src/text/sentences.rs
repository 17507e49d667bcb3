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

/// How far down the stack of open brackets a closer looks for its partner. A closer
/// matches the nearest open opener of its kind within this depth; openers it skips over,
/// and openers never closed, do not count. Bounded so that a hostile run of openers
/// cannot make the pass quadratic.
const MATCH_DEPTH: usize = 8;

/// The byte positions of the brackets that pair up, in order: +1 at an opener, −1 at its
/// closer.
fn matched_brackets(s: &str) -> Vec<(usize, i8)> {
    let mut marks = Vec::new();
    let mut stack: Vec<(usize, char)> = Vec::new();
    for (b, c) in s.char_indices() {
        // `"` closes an open `"`, else opens.
        let partner = is_closer(c)
            .then(|| {
                let floor = stack.len().saturating_sub(MATCH_DEPTH);
                stack[floor..]
                    .iter()
                    .rposition(|&(_, open)| closer_of(open) == Some(c))
                    .map(|k| floor + k)
            })
            .flatten();
        if let Some(pos) = partner {
            marks.push((stack[pos].0, 1));
            marks.push((b, -1));
            stack.truncate(pos);
        } else if closer_of(c).is_some() {
            stack.push((b, c));
        }
    }
    marks.sort_unstable();
    marks
}

fn split(s: &str, lang: Language) -> Vec<Range<usize>> {
    let marks = matched_brackets(s);
    let mut mark = 0; // the next mark not yet passed
    let mut depth = 0i32;
    // The depth change at byte `b` (called once for each character, in order).
    let mut pass = |b: usize, depth: &mut i32| {
        if marks.get(mark).is_some_and(|&(at, _)| at == b) {
            *depth += i32::from(marks[mark].1);
            mark += 1;
        }
    };
    let mut out = Vec::new();
    let mut start = 0usize; // byte offset where the current sentence may begin
    let mut b = 0usize;
    while let Some(c) = s[b..].chars().next() {
        pass(b, &mut depth);
        if !is_terminator(c, lang) {
            b += c.len_utf8();
            continue;
        }
        // The run of terminators, then the closers that stay with the sentence.
        let first = b;
        let mut end = b + c.len_utf8();
        while let Some(t) = s[end..].chars().next().filter(|&t| is_terminator(t, lang)) {
            end += t.len_utf8();
        }
        while let Some(t) = s[end..].chars().next().filter(|&t| is_closer(t)) {
            pass(end, &mut depth);
            end += t.len_utf8();
        }
        if depth <= 0 && ends_sentence(s, start, first, end, lang) {
            push_trimmed(&mut out, s, start, end);
            start = end;
        }
        b = end;
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

/// Whether the terminator run at byte `first`, with its closers up to byte `end`, ends
/// the sentence that began at byte `start`.
fn ends_sentence(s: &str, start: usize, first: usize, end: usize, lang: Language) -> bool {
    if lang == Language::Chinese {
        return true;
    }
    // White space or the end must follow.
    if s[end..].chars().next().is_some_and(|c| !c.is_whitespace()) {
        return false;
    }
    // Not before a lower-case word.
    let following = s[end..].trim_start().chars().next();
    if following.is_some_and(char::is_lowercase) {
        return false;
    }
    // The remaining tests are for a single full stop only: `!` and `?` are never
    // abbreviations.
    if !s[first..].starts_with('.') || !s[first + 1..end].chars().all(is_closer) {
        return true;
    }
    // The word before the stop: letters, digits and inner stops.
    let w = s[..first]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphanumeric() || c == '.')
        .last()
        .map_or(first, |(b, _)| b);
    let word = &s[w..first];
    if word.is_empty() {
        return true;
    }
    let before = s[start.min(w)..w].trim();
    !(is_abbreviation(word, following) || is_list_label(word, before))
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
    fn hostile_brackets_stay_linear() {
        // Openers never closed, closers of another kind: every closer looks only a few
        // entries down the stack.
        let s = format!("{}{}。后。", "（".repeat(100_000), "】".repeat(100_000));
        let t = std::time::Instant::now();
        assert_eq!(chinese(&s).len(), 2);
        assert!(t.elapsed().as_secs() < 10);
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
