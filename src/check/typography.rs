//! Layout a reviewer tidies: paragraph indentation and trailing blanks; and the small
//! slips a QA tool finds within one side: brackets and quotation marks left unpaired
//! (`unpaired-bracket`), a word written twice (`repeated-word`).

use super::{Code, Context};
use crate::syntax::{FieldKey, Paragraph, Side, Span};

const CANONICAL_INDENTS: [&str; 2] = ["    ", "\u{3000}\u{3000}"];

/// The indentation a side's paragraphs are written with: two U+3000 when most of its
/// canonically indented paragraphs use them (some originals do), else four spaces. The
/// English is always four spaces. Shared by the `indentation` fix and formatting.
pub(crate) fn indent_convention(text: &str, paragraphs: &[Paragraph], side: Side) -> &'static str {
    let [spaces, ideographic] = CANONICAL_INDENTS;
    if side == Side::Translation {
        return spaces;
    }
    let count = |indent: &str| {
        paragraphs
            .iter()
            .filter(|p| &text[p.indent.clone()] == indent)
            .count()
    };
    if count(ideographic) > count(spaces) {
        ideographic
    } else {
        spaces
    }
}

/// Where a line's trailing blanks start (a byte offset into `content`, the line without
/// its break), or `None` when it has none to report: none at all, or the canonical
/// `<hr /> ` and `Original: ` lines, whose blank is part of the form. Shared by the
/// check, the `trailing-whitespace` fix and formatting.
pub(crate) fn trailing_blanks(content: &str) -> Option<usize> {
    let kept = content.trim_end();
    let canonical = kept == "<hr />" || kept == "Original:";
    (kept.len() < content.len() && !canonical).then_some(kept.len())
}

/// The codes [`check`] reports: it is not run when all of them are off.
pub(super) const CODES: &[Code] = &[
    Code::Indentation,
    Code::RepeatedWord,
    Code::TrailingWhitespace,
    Code::UnpairedBracket,
];

pub(super) fn check(cx: &mut Context) {
    // Each part only when one of its rules is on (see `CODES`).
    let on = |code: Code| cx.settings.rules.is_on(code);
    let (layout_on, brackets_on, repeats_on) = (
        on(Code::Indentation) || on(Code::TrailingWhitespace),
        on(Code::UnpairedBracket),
        on(Code::RepeatedWord),
    );
    if layout_on {
        layout(cx);
    }
    if brackets_on {
        brackets(cx);
    }
    if repeats_on {
        repeated_words(cx);
    }
}

fn layout(cx: &mut Context) {
    let doc = cx.doc;
    let paragraphs = doc
        .translation
        .paragraphs
        .iter()
        .chain(&doc.original.paragraphs);
    for p in paragraphs {
        let indent = cx.str(&p.indent);
        if CANONICAL_INDENTS.contains(&indent) {
            continue;
        }
        let (span, message) = if indent.is_empty() {
            (
                p.text.clone(),
                "paragraph without indentation; expected four spaces or two ideographic spaces (U+3000)".to_owned(),
            )
        } else {
            (
                p.indent.clone(),
                format!(
                    "paragraph indented with {}; expected four spaces or two ideographic spaces (U+3000)",
                    describe_blanks(indent)
                ),
            )
        };
        cx.push(Code::Indentation, span, message);
    }

    for line in &doc.lines {
        let content = &cx.text[line.range()];
        let Some(kept) = trailing_blanks(content) else {
            continue;
        };
        let blanks = &content[kept..];
        cx.push(
            Code::TrailingWhitespace,
            line.start + kept..line.end,
            format!("{} at the end of the line", describe_blanks(blanks)),
        );
    }
}

/// Names a run of blanks for a message: "2 spaces", "a tab", "1 ideographic space"…
fn describe_blanks(s: &str) -> String {
    let count = |c: char| s.chars().filter(|&x| x == c).count();
    let parts: Vec<String> = [
        (' ', "space"),
        ('\t', "tab"),
        ('\u{3000}', "ideographic space"),
    ]
    .into_iter()
    .filter_map(|(c, name)| match count(c) {
        0 => None,
        1 => Some(format!("1 {name}")),
        n => Some(format!("{n} {name}s")),
    })
    .collect();
    let others = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '\t' | '\u{3000}'))
        .count();
    let mut out = parts.join(", ");
    if others > 0 {
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(&format!("{others} other blank character(s)"));
    }
    out
}

/// An opening and a closing mark that must pair. A quotation mark may stay open at the end
/// of a paragraph when the quotation goes on over the following lines (a poem, a dialogue);
/// a bracket may not.
struct Pair {
    open: char,
    close: char,
    quote: bool,
}

const ORIGINAL_PAIRS: [Pair; 4] = [
    Pair {
        open: '（',
        close: '）',
        quote: false,
    },
    Pair {
        open: '《',
        close: '》',
        quote: false,
    },
    Pair {
        open: '“',
        close: '”',
        quote: true,
    },
    Pair {
        open: '「',
        close: '」',
        quote: true,
    },
];

const ENGLISH_PAIRS: [Pair; 3] = [
    Pair {
        open: '(',
        close: ')',
        quote: false,
    },
    Pair {
        open: '“',
        close: '”',
        quote: true,
    },
    // The straight quotation mark opens and closes: its neighbours tell which.
    Pair {
        open: '"',
        close: '"',
        quote: true,
    },
];

/// One unpaired mark: `kind` indexes the pairs; `unit` is the paragraph it stands in.
#[derive(Debug, Clone)]
struct Unpaired {
    kind: usize,
    span: Span,
    open: bool,
    unit: usize,
}

fn brackets(cx: &mut Context) {
    let doc = cx.doc;
    let o = &doc.original;
    let title: Vec<Span> = o.title.iter().map(|t| t.text.clone()).collect();
    let paragraphs: Vec<Span> = o.paragraphs.iter().map(|p| p.text.clone()).collect();
    report_unpaired(cx, &ORIGINAL_PAIRS, &title, false);
    report_unpaired(cx, &ORIGINAL_PAIRS, &paragraphs, true);

    let heads: Vec<Span> = doc
        .header
        .get(FieldKey::Title)
        .map(|f| f.value.clone())
        .into_iter()
        .chain(doc.english_column())
        .collect();
    for head in heads {
        report_unpaired(cx, &ENGLISH_PAIRS, &[head], false);
    }
    let paragraphs: Vec<Span> = doc
        .translation
        .paragraphs
        .iter()
        .map(|p| p.text.clone())
        .collect();
    report_unpaired(cx, &ENGLISH_PAIRS, &paragraphs, true);
}

/// Reports the unpaired marks of `units` (consecutive paragraphs when `carry`: quotations
/// may then run over several of them).
fn report_unpaired(cx: &mut Context, pairs: &[Pair], units: &[Span], carry: bool) {
    let mut faults = unpaired(cx.text, pairs, units, carry);
    faults.sort_by_key(|f| f.span.start);
    // An unmatched closing mark after a mark of another kind left open in the same
    // paragraph is one fault, usually a misread (`广播筒），` for `广播筒”，`): said once, on
    // the closing mark.
    let mut merged_open = vec![false; faults.len()];
    let mut partner = vec![None; faults.len()];
    for (i, f) in faults.iter().enumerate() {
        if f.open {
            continue;
        }
        let open = (0..i).rev().find(|&j| {
            let o = &faults[j];
            o.open && !merged_open[j] && o.unit == f.unit && o.kind != f.kind
        });
        if let Some(j) = open {
            merged_open[j] = true;
            partner[i] = Some(j);
        }
    }
    for (i, f) in faults.iter().enumerate() {
        if merged_open[i] {
            continue;
        }
        let p = &pairs[f.kind];
        let mark = if f.open { p.open } else { p.close };
        match partner[i] {
            Some(j) => {
                let o = &pairs[faults[j].kind];
                cx.push(
                    Code::UnpairedBracket,
                    f.span.clone(),
                    format!(
                        "`{mark}` where `{}` was expected: nothing opens `{mark}` here, and the `{}` before it is never closed",
                        o.close, o.open
                    ),
                )
                .related(faults[j].span.clone(), format!("the `{}` left open", o.open));
            }
            None if f.open => {
                let message = if carry && p.quote {
                    format!("`{mark}` is never closed; expected a closing `{}` in this paragraph or, for a quotation over several lines, at its end", p.close)
                } else {
                    format!(
                        "`{mark}` is never closed; expected a closing `{}` after it",
                        p.close
                    )
                };
                cx.push(Code::UnpairedBracket, f.span.clone(), message);
            }
            None => {
                cx.push(
                    Code::UnpairedBracket,
                    f.span.clone(),
                    format!(
                        "`{mark}` closes nothing; expected an opening `{}` before it, or no `{mark}`",
                        p.open
                    ),
                );
            }
        }
    }
}

/// At most this many open marks are held per kind, and unpaired marks collected: more
/// could not be reported anyway ([`super::MAX_DIAGNOSTICS`]), and a hostile line of a million
/// `（` must not cost a million entries.
const MAX_UNPAIRED: usize = 2 * super::MAX_DIAGNOSTICS;

/// The unpaired marks of `units`, each kind matched on its own (crossed pairs such as
/// `“…（…”…）` are left alone: rare, and not what OCR or a translator gets wrong).
fn unpaired(text: &str, pairs: &[Pair], units: &[Span], carry: bool) -> Vec<Unpaired> {
    let mut open: Vec<Vec<(Span, usize)>> = pairs.iter().map(|_| Vec::new()).collect();
    let mut out = Vec::new();
    let drain = |stack: &mut Vec<(Span, usize)>, kind: usize, out: &mut Vec<Unpaired>| {
        out.extend(stack.drain(..).map(|(span, unit)| Unpaired {
            kind,
            span,
            open: true,
            unit,
        }));
    };
    // The first bytes of the marks' UTF-8 encodings.
    let mut leads = [false; 256];
    for p in pairs {
        for c in [p.open, p.close] {
            let mut buf = [0u8; 4];
            leads[usize::from(c.encode_utf8(&mut buf).as_bytes()[0])] = true;
        }
    }
    for (unit, span) in units.iter().enumerate() {
        let s = &text[span.clone()];
        let mut skip_first = false;
        if let Some(first) = s.chars().next() {
            // A quotation over several paragraphs reopens at each of them: `“…` `“…”`.
            for (k, p) in pairs.iter().enumerate() {
                if p.quote && first == p.open {
                    if let Some(top) = open[k].last_mut() {
                        *top = (span.start..span.start + first.len_utf8(), unit);
                        skip_first = true;
                    }
                }
            }
        }
        // Only the bytes that start a mark are looked at closely: one table lookup a byte.
        let bytes = s.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if !leads[usize::from(b)] || (i == 0 && skip_first) {
                continue;
            }
            // A lead byte starts a character: `i` is a boundary.
            let Some(c) = s[i..].chars().next() else {
                continue;
            };
            let Some(k) = pairs.iter().position(|p| p.open == c || p.close == c) else {
                continue;
            };
            let before = s[..i].chars().next_back();
            let next = s[i + c.len_utf8()..].chars().next();
            let at = span.start + i..span.start + i + c.len_utf8();
            let p = &pairs[k];
            let closing = if p.open == p.close {
                match (opens_like(before, next), closes_like(before, next)) {
                    (true, false) => false,
                    (false, true) => true,
                    _ => !open[k].is_empty(),
                }
            } else {
                c == p.close
            };
            if out.len() >= MAX_UNPAIRED {
                break;
            }
            if !closing {
                if open[k].len() < MAX_UNPAIRED {
                    open[k].push((at, unit));
                } else {
                    out.push(Unpaired {
                        kind: k,
                        span: at,
                        open: true,
                        unit,
                    });
                }
            } else if open[k].pop().is_none() && (p.quote || !after_enumerator(&s[..i])) {
                out.push(Unpaired {
                    kind: k,
                    span: at,
                    open: false,
                    unit,
                });
            }
        }
        // A line that stops mid-word is hard-wrapped (`跑到阵前来撒尿（打` / `机枪），前`):
        // its brackets may close on the next line, as quotations may after any line.
        let wrapped = s.chars().next_back().is_some_and(char::is_alphanumeric);
        for (k, p) in pairs.iter().enumerate() {
            if !(carry && (p.quote || wrapped)) {
                drain(&mut open[k], k, &mut out);
            }
        }
    }
    for (k, stack) in open.iter_mut().enumerate() {
        drain(stack, k, &mut out);
    }
    out
}

/// Whether a straight quotation mark between `before` and `next` looks like an opening one.
fn opens_like(before: Option<char>, next: Option<char>) -> bool {
    before.is_none_or(|b| b.is_whitespace() || "([{—–-/".contains(b))
        && next.is_some_and(|n| !n.is_whitespace())
}

/// Whether a straight quotation mark between `before` and `next` looks like a closing one.
fn closes_like(before: Option<char>, next: Option<char>) -> bool {
    before.is_some_and(|b| !b.is_whitespace())
        && next.is_none_or(|n| n.is_whitespace() || ".,;:!?)]}—–-".contains(n))
}

/// Whether `head` (the text before a closing bracket) ends in a list marker standing
/// alone: up to three digits or Chinese digits, or one Latin letter (`1) …`, `一）…`,
/// `a) …` close nothing by design).
fn after_enumerator(head: &str) -> bool {
    let token: Vec<char> = head
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() && !c.is_whitespace())
        .take(4)
        .collect();
    if token.is_empty() || token.len() > 3 {
        return false;
    }
    let before = head.chars().rev().nth(token.len());
    let standalone = before.is_none_or(|b| b.is_whitespace() || "，。、；：,.;:".contains(b));
    let marker = token
        .iter()
        .all(|&c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
        || (token.len() == 1 && token[0].is_ascii_alphabetic());
    standalone && marker
}

/// Words a writer repeats on purpose: `had had`, `that that`, `is is` (what it is is…),
/// `do do`, laughter and farewells.
const DELIBERATE_REPEATS: [&str; 7] = ["had", "that", "is", "do", "ha", "bye", "knock"];

fn repeated_words(cx: &mut Context) {
    let doc = cx.doc;
    let spans: Vec<Span> = doc
        .header
        .get(FieldKey::Title)
        .map(|f| f.value.clone())
        .into_iter()
        .chain(doc.english_column())
        .chain(doc.translation.paragraphs.iter().map(|p| p.text.clone()))
        .collect();
    for span in spans {
        let s = cx.str(&span);
        let mut last: Option<(std::ops::Range<usize>, bool)> = None;
        for word in words(s) {
            let w = &s[word.clone()];
            let lower = w.bytes().all(|b| b.is_ascii_lowercase() || b == b'\'');
            if let Some((prev, prev_lower)) = &last {
                let between = &s[prev.end..word.start];
                if lower
                    && *prev_lower
                    && &s[prev.clone()] == w
                    && !between.is_empty()
                    && between.chars().all(|c| c == ' ' || c == '\t')
                    && !DELIBERATE_REPEATS.contains(&w)
                {
                    cx.push(
                        Code::RepeatedWord,
                        span.start + prev.start..span.start + word.end,
                        format!("`{w}` twice in a row; expected it once"),
                    );
                    last = None;
                    continue;
                }
            }
            last = Some((word, lower));
        }
    }
}

/// The words of `s`: maximal runs of letters, digits and inner apostrophes, as byte ranges;
/// runs holding a digit (numbers, `3rd`) or a non-ASCII letter are not words here.
fn words(s: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut it = s.char_indices().peekable();
    std::iter::from_fn(move || loop {
        let (start, _) = it.find(|&(_, c)| c.is_alphanumeric())?;
        let mut end = s.len();
        let mut plain = true;
        while let Some(&(i, c)) = it.peek() {
            if c.is_alphanumeric() || (c == '\'' && s[i + 1..].starts_with(char::is_alphabetic)) {
                plain &= c.is_ascii_alphabetic() || c == '\'';
                it.next();
            } else {
                end = i;
                break;
            }
        }
        let first = s[start..].chars().next().expect("a character");
        if plain && first.is_ascii_alphabetic() {
            return Some(start..end);
        }
    })
}

#[cfg(test)]
mod tests {
    use crate::check::{check_text, Code};

    /// A valid document with these English and original paragraphs (one a line).
    fn doc(en: &str, cn: &str) -> String {
        let en: String = en.lines().map(|l| format!("    {l}\n")).collect();
        let cn: String = cn.lines().map(|l| format!("    {l}\n")).collect();
        format!(
            "Title: T\nAuthor:\nDate: 1952-08-03\nPage: 2\n\n{en}\n<hr /> \n\nOriginal: \n\n\n### 标题\n\n1952-08-03\n第2版()\n专栏：\n\n{cn}"
        )
    }

    /// (code, covered text, related texts) of one code.
    fn found(text: &str, code: Code) -> Vec<(String, Vec<String>)> {
        check_text(text)
            .into_iter()
            .filter(|d| d.code == code)
            .map(|d| {
                let related = d.related.iter().map(|r| text[r.span.clone()].to_owned());
                (text[d.span].to_owned(), related.collect())
            })
            .collect()
    }

    fn brackets(en: &str, cn: &str) -> Vec<String> {
        found(&doc(en, cn), Code::UnpairedBracket)
            .into_iter()
            .map(|f| f.0)
            .collect()
    }

    const EN: &str = "A line of English.";
    const CN: &str = "一段中文。";

    #[test]
    fn balanced_marks_are_silent() {
        assert!(brackets(
            "He said \"yes\" (twice) and “no”.\n\"Go,\" she said, \"now.\"",
            "他说：“好（两遍）。”《人民日报》「注」"
        )
        .is_empty());
    }

    #[test]
    fn unclosed_and_unopened_marks() {
        assert_eq!(brackets(EN, "他说（很好。"), ["（"]);
        assert_eq!(brackets(EN, "他说很好）。"), ["）"]);
        assert_eq!(brackets(EN, "读《人民日报。"), ["《"]);
        assert_eq!(brackets(EN, "他说：“很好。"), ["“"]);
        assert_eq!(brackets("He said (twice.", CN), ["("]);
        assert_eq!(brackets("He said twice).", CN), [")"]);
        assert_eq!(brackets("He said “yes.", CN), ["“"]);
        assert_eq!(brackets("He said yes”.", CN), ["”"]);
        // The straight quotation mark is judged by its neighbours: here the first opens.
        assert_eq!(brackets("He said \"go. Then \"stop\" he said.", CN), ["\""]);
        let text = doc("He said \"go. Then \"stop\" he said.", CN);
        let d = check_text(&text);
        let at = d.iter().find(|d| d.code == Code::UnpairedBracket).unwrap();
        assert_eq!(&text[at.span.start..at.span.start + 4], "\"go.");
    }

    #[test]
    fn a_misread_closing_mark_is_one_fault() {
        let text = doc(EN, "“不当地主广播筒），“穷兄弟彻底翻”。");
        assert_eq!(
            found(&text, Code::UnpairedBracket),
            [("）".to_owned(), vec!["“".to_owned()])]
        );
        // A stray mark inside a closed quotation is only itself.
        assert_eq!(brackets(EN, "“甲）乙”。"), ["）"]);
    }

    #[test]
    fn quotations_over_consecutive_lines() {
        // A poem quoted over several lines, on both sides.
        let poem_cn = "“红日照遍了东方，\n自由之神在纵情歌唱，\n……”";
        let poem_en = "\"The red sun shines all over the East,\nThe god of freedom sings,\n...\"";
        assert!(brackets(poem_en, poem_cn).is_empty());
        // Dialogue over paragraphs: each reopens, the last closes.
        assert!(brackets(
            "“First part,\n“second part,\n“and the end.”",
            "“第一段，\n“第二段，\n“最后一段。”"
        )
        .is_empty());
        // A quotation never closed is still found, at its last opening.
        assert_eq!(brackets(EN, "“第一段，\n“第二段。"), ["“"]);
        // Brackets do not run over lines, except a hard wrap (a line stopping mid-word).
        assert_eq!(brackets(EN, "（第一段，\n第二段）"), ["（", "）"]);
        assert!(brackets(
            "It fires (machine\nguns) at us.",
            "跑到阵前来撒尿（打\n机枪），前"
        )
        .is_empty());
    }

    #[test]
    fn list_markers_and_titles() {
        assert!(brackets("1) first, 2) second.", "一）第一，二）第二。").is_empty());
        let title = doc(EN, CN).replace("### 标题", "### 标题（一");
        assert_eq!(found(&title, Code::UnpairedBracket)[0].0, "（");
        let title = doc(EN, CN).replace("Title: T", "Title: T (one");
        assert_eq!(found(&title, Code::UnpairedBracket)[0].0, "(");
    }

    #[test]
    fn a_hostile_line_is_bounded() {
        let line = "（".repeat(100_000);
        let d = check_text(&doc(EN, &line));
        let n = d.iter().filter(|d| d.code == Code::UnpairedBracket).count();
        assert_eq!(n, crate::check::MAX_DIAGNOSTICS);
    }

    fn repeated(en: &str) -> Vec<String> {
        found(&doc(en, CN), Code::RepeatedWord)
            .into_iter()
            .map(|f| f.0)
            .collect()
    }

    #[test]
    fn repeated_words() {
        assert_eq!(repeated("It is the the end."), ["the the"]);
        assert_eq!(repeated("They went to  to the fields."), ["to  to"]);
        assert_eq!(repeated("a a b b"), ["a a", "b b"]);
        // Three in a row are one repetition, then a new one.
        assert_eq!(repeated("go go go"), ["go go"]);
    }

    #[test]
    fn deliberate_repeats_names_and_numbers() {
        assert!(repeated("He had had enough. He said that that was all.").is_empty());
        assert!(repeated("Liu Liu Shi, Dawu County; Wang Wang.").is_empty());
        assert!(repeated("The The end.").is_empty());
        assert!(repeated("In 1950 1950 yuan, 3rd 3rd.").is_empty());
        assert!(repeated("the-the, the. the").is_empty());
        assert!(repeated("Ha ha, ha ha! Bye bye.").is_empty());
    }
}
