//! OCR debris in the original: `ocr-artifact`, `halfwidth-punctuation`.
//!
//! Both look at the original's title and paragraphs only: never at the page line
//! `第N版(…)`, whose ASCII parentheses are the archive's own convention, nor at the English.
//!
//! `ocr-artifact` has these sub-cases, one diagnostic per run:
//! - `□` (a character the OCR could not read), U+FFFD (undecodable bytes), `＠` (the
//!   archive's placeholder for a rare character, `突破天险＠子口`);
//! - a placeholder `?`: two or more in a row, or one directly followed by punctuation
//!   (`毛?，`): a question mark is never followed by a comma, so the `?` stands for a lost
//!   character;
//! - a Latin `O`/`o` or a digit `0` (ASCII or full-width) inside a Chinese numeral
//!   (`一九O五年`); `○` and `〇` are the typesetter's zeros and are fine;
//! - one ASCII space between two Han characters inside a paragraph. Two or more spaces are
//!   layout (a signature set off from its date, a flattened table) and U+3000 separates
//!   names in lists, so neither is reported.
//!
//! `halfwidth-punctuation`: an ASCII `, ; : ? ! ( )` touching a Han character.

use super::{Code, Context};
use crate::syntax::Span;
use crate::text::is_han;

/// The codes [`check`] reports: it is not run when all of them are off.
pub(super) const CODES: &[Code] = &[Code::HalfwidthPunctuation, Code::OcrArtifact];

pub(super) fn check(cx: &mut Context) {
    let o = &cx.doc.original;
    if let Some(t) = &o.title {
        scan(cx, t.text.clone(), false);
    }
    for p in &o.paragraphs {
        scan(cx, p.text.clone(), true);
    }
}

/// The characters of Chinese numerals, with the typesetters' zeros.
fn is_chinese_digit(c: char) -> bool {
    matches!(
        c,
        '〇' | '○'
            | '零'
            | '一'
            | '二'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '千'
            | '万'
            | '两'
    )
}

/// A Latin `O`/`o` or a digit zero (ASCII or full-width), the OCR's misreadings of `〇`.
pub(crate) fn is_latin_zero(c: char) -> bool {
    matches!(c, 'O' | 'o' | '0' | 'Ｏ' | 'ｏ' | '０')
}

/// Punctuation that cannot follow a question mark: after it, a `?` is a placeholder.
fn is_punctuation_after_placeholder(c: char) -> bool {
    matches!(c, '，' | '。' | '、' | '；' | '：' | ',' | '.' | ';' | ':')
}

/// The full-width form of the half-width punctuation `halfwidth-punctuation` reports.
pub(crate) fn fullwidth_of(c: char) -> char {
    match c {
        ',' => '，',
        ';' => '；',
        ':' => '：',
        '?' => '？',
        '!' => '！',
        '(' => '（',
        ')' => '）',
        _ => c,
    }
}

/// The byte length of the run of `c`-like characters starting at `s[i..]`.
fn run_len(s: &str, i: usize, like: impl Fn(char) -> bool) -> usize {
    s[i..]
        .char_indices()
        .find(|&(_, c)| !like(c))
        .map_or(s.len() - i, |(j, _)| j)
}

fn scan(cx: &mut Context, span: Span, in_paragraph: bool) {
    let s = cx.str(&span);
    // Everything looked for is outside ASCII letters but may touch them: a pure ASCII
    // paragraph has no Han, hence nothing to report.
    if s.is_ascii() {
        return;
    }
    let at = |r: std::ops::Range<usize>| span.start + r.start..span.start + r.end;
    let mut i = 0;
    while i < s.len() {
        let c = s[i..].chars().next().expect("in bounds");
        let prev = s[..i].chars().next_back();
        let (len, found): (usize, Option<(Code, String)>) = match c {
            '□' | '\u{fffd}' | '＠' => {
                let len = run_len(s, i, |x| x == c);
                let what = match c {
                    '□' => "unreadable-character box",
                    '\u{fffd}' => "replacement character (undecodable bytes)",
                    _ => "placeholder `＠`",
                };
                let n = s[i..i + len].chars().count();
                let message = format!(
                    "OCR {what}{} in the original; expected the character{} from the page scan",
                    if n > 1 {
                        format!(" ×{n}")
                    } else {
                        String::new()
                    },
                    if n > 1 { "s" } else { "" },
                );
                (len, Some((Code::OcrArtifact, message)))
            }
            '?' => {
                let len = run_len(s, i, |x| x == '?');
                let next = s[i + len..].chars().next();
                if len > 1 || next.is_some_and(is_punctuation_after_placeholder) {
                    let message = format!(
                        "OCR placeholder `{}` in the original (a question mark is not followed by punctuation); expected the lost character{} from the page scan",
                        &s[i..i + len],
                        if len > 1 { "s" } else { "" }
                    );
                    (len, Some((Code::OcrArtifact, message)))
                } else {
                    (1, halfwidth(c, prev, next))
                }
            }
            ',' | ';' | ':' | '!' | '(' | ')' => (1, halfwidth(c, prev, s[i + 1..].chars().next())),
            c if is_latin_zero(c) => {
                let len = run_len(s, i, is_latin_zero);
                let next = s[i + len..].chars().next();
                let digit = |x: Option<char>| x.is_some_and(is_chinese_digit);
                let han = |x: Option<char>| x.is_some_and(is_han);
                let inside = (digit(prev) && han(next)) || (digit(next) && han(prev));
                let found = inside.then(|| {
                    (
                        Code::OcrArtifact,
                        format!(
                            "Latin `{}` inside a Chinese numeral; expected the zero `〇`",
                            &s[i..i + len]
                        ),
                    )
                });
                (len, found)
            }
            ' ' if in_paragraph => {
                let len = run_len(s, i, |x| x == ' ');
                let next = s[i + len..].chars().next();
                let found = (len == 1 && prev.is_some_and(is_han) && next.is_some_and(is_han))
                    .then(|| {
                        (
                            Code::OcrArtifact,
                            "ASCII space between two Chinese characters (OCR debris?); expected no space, or U+3000 where it separates names".to_owned(),
                        )
                    });
                (len, found)
            }
            c => (c.len_utf8(), None),
        };
        if let Some((code, message)) = found {
            cx.push(code, at(i..i + len), message);
        }
        i += len;
    }
}

/// A half-width punctuation mark `c` between `prev` and `next`, when one of them is Han.
fn halfwidth(c: char, prev: Option<char>, next: Option<char>) -> Option<(Code, String)> {
    let touches = prev.is_some_and(is_han) || next.is_some_and(is_han);
    touches.then(|| {
        (
            Code::HalfwidthPunctuation,
            format!(
                "half-width `{c}` beside Chinese text; expected the full-width `{}`",
                fullwidth_of(c)
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use crate::check::{check_text, Code, Severity};

    /// A minimal valid document whose original body is `body` (one paragraph a line).
    fn doc(title: &str, body: &str) -> String {
        let en: String = body
            .lines()
            .map(|_| "    An English paragraph that stands for the original one here.\n")
            .collect();
        let cn: String = body.lines().map(|l| format!("    {l}\n")).collect();
        format!(
            "Title: T\nAuthor:\nDate: 1952-08-03\nPage: 2\n\n{en}\n<hr /> \n\nOriginal: \n\n\n### {title}\n\n1952-08-03\n第2版()\n专栏：\n\n{cn}"
        )
    }

    /// (code, covered text) of this module's codes.
    fn found(text: &str) -> Vec<(Code, String)> {
        check_text(text)
            .into_iter()
            .filter(|d| matches!(d.code, Code::OcrArtifact | Code::HalfwidthPunctuation))
            .inspect(|d| assert_eq!(d.severity, Severity::Information))
            .map(|d| (d.code, text[d.span].to_owned()))
            .collect()
    }

    fn one(code: Code, s: &str) -> Vec<(Code, String)> {
        vec![(code, s.to_owned())]
    }

    #[test]
    fn boxes_replacement_and_placeholders() {
        assert_eq!(
            found(&doc("标题", "他们□□地完成了任务。")),
            one(Code::OcrArtifact, "□□")
        );
        assert_eq!(
            found(&doc("标题", "这一\u{fffd}")),
            one(Code::OcrArtifact, "\u{fffd}")
        );
        assert_eq!(
            found(&doc("突破天险＠子口", "红军突破天险＠子口。")),
            vec![
                (Code::OcrArtifact, "＠".to_owned()),
                (Code::OcrArtifact, "＠".to_owned())
            ]
        );
        assert_eq!(
            found(&doc("标题", "检查牛身上有没有虱子和毛?，检查牛栏。")),
            one(Code::OcrArtifact, "?")
        );
        assert_eq!(
            found(&doc("标题", "这是??的问题。")),
            one(Code::OcrArtifact, "??")
        );
    }

    #[test]
    fn latin_zero_in_numerals() {
        assert_eq!(
            found(&doc("标题", "他一九O五年生于索菲亚。")),
            one(Code::OcrArtifact, "O")
        );
        assert_eq!(
            found(&doc("标题", "一九五0年的计划。")),
            one(Code::OcrArtifact, "0")
        );
        assert_eq!(
            found(&doc("标题", "二ＯＯ五年。")),
            one(Code::OcrArtifact, "ＯＯ")
        );
        // The typesetters' zeros, Arabic numbers and Latin words are not artifacts.
        assert!(found(&doc(
            "标题",
            "一九○五年，一九四〇年，1950年，F—84型，Cao五。"
        ))
        .is_empty());
    }

    #[test]
    fn spaces_between_han() {
        assert_eq!(
            found(&doc("标题", "各地职工发挥了 高度的积极性。")),
            one(Code::OcrArtifact, " ")
        );
        // Layout: two spaces before a date, a table; U+3000 between names; the title.
        let layout = "冀南区党委  五月九日\n侯波\u{3000}刘东鳌\u{3000}齐观山\n白市布                尺     三一○元";
        assert!(found(&doc("通讯 往来", layout)).is_empty());
    }

    #[test]
    fn halfwidth_punctuation() {
        assert_eq!(
            found(&doc("标题", "我们的任务,是生产。")),
            one(Code::HalfwidthPunctuation, ",")
        );
        assert_eq!(
            found(&doc("标题(一)", "他说:好!你去吗?")),
            vec![
                (Code::HalfwidthPunctuation, "(".to_owned()),
                (Code::HalfwidthPunctuation, ")".to_owned()),
                (Code::HalfwidthPunctuation, ":".to_owned()),
                (Code::HalfwidthPunctuation, "!".to_owned()),
                (Code::HalfwidthPunctuation, "?".to_owned()),
            ]
        );
        // Not touching Han: a time, a ratio, Latin text.
        assert!(found(&doc("标题", "下午3:30，比例1:2，F-84 (jet)。")).is_empty());
    }

    #[test]
    fn never_on_the_page_line_or_the_english() {
        let text = doc("标题", "正常的一段。");
        assert!(text.contains("第2版()"));
        assert!(found(&text).is_empty());
        let english = text.replace("stands for", "stands, for 中文(x)");
        assert!(found(&english).is_empty());
    }
}
