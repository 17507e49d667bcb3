//! Numbers and datelines: a value in the original that its aligned English lacks
//! (`number-mismatch`), a dateline day the English opening lacks or changes
//! (`dateline-mismatch`).
//!
//! Both look from the original to the English only. The English of original paragraph k is
//! its counterpart in the alignment, widened over English paragraphs that have no source
//! (a table or a poem that is one line in the original and many in the English); the
//! paragraph before and the one after also count, because translators move a clause
//! across a paragraph break. A paragraph that repeats the original's title may be
//! translated only by `Title:`, which then counts too. The small-value threshold is
//! `settings.review.number_min_value`.

use super::{Code, Context};
use crate::syntax::{FieldKey, Side, Span};
use crate::text::numbers::{english_days, format_num, ChineseText, Dateline, English, Value};
use std::ops::Range;

/// The codes [`check`] reports: it is not run when all of them are off.
pub(super) const CODES: &[Code] = &[Code::DatelineMismatch, Code::NumberMismatch];

pub(super) fn check(cx: &mut Context) {
    let doc = cx.doc;
    let (en, cn) = (&doc.translation.paragraphs, &doc.original.paragraphs);
    if en.is_empty() || cn.is_empty() {
        return;
    }
    let english: Vec<English> = en.iter().map(|p| English::new(cx.str(&p.text))).collect();
    let min_value = cx.settings.review.number_min_value;
    // A paragraph that repeats the original's title may be translated only by `Title:`.
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let cn_title = doc
        .original
        .title
        .as_ref()
        .map(|t| squeeze(cx.str(&t.text)));
    let en_title = doc
        .header
        .get(FieldKey::Title)
        .map(|f| English::new(cx.str(&f.value)));
    let mut standalone: Option<Standalone> = None;
    for (k, p) in cn.iter().enumerate() {
        let aligned = cx.alignment.counterpart(Side::Original, k);
        if aligned.is_empty() {
            continue; // an untranslated paragraph is another check's business
        }
        let near = reach(cx, &aligned);
        let text = cx.str(&p.text);
        let base = p.text.start;
        let read = ChineseText::new(text);
        let line = read.dateline();
        if let Some(d) = &line {
            let standalone = standalone.get_or_insert_with(|| Standalone::new(cx));
            check_dateline(cx, base, d, &aligned, &near, standalone);
        }
        let pool = English::union(near.clone().map(|e| &english[e]));
        // Squeezing costs a String per paragraph: done only for a value the pool lacks and
        // the English title writes, once per paragraph.
        let mut repeats_title: Option<bool> = None;
        for m in read.mentions() {
            if !m.is_checked(min_value) {
                continue;
            }
            if line
                .as_ref()
                .is_some_and(|d| d.span.start < m.span.end && m.span.start < d.span.end)
            {
                continue; // the dateline's day has its own code
            }
            if pool.satisfies(&m) {
                continue;
            }
            if en_title.as_ref().is_some_and(|t| t.satisfies(&m))
                && *repeats_title.get_or_insert_with(|| {
                    cn_title.as_ref().is_some_and(|t| {
                        let p = squeeze(text);
                        !p.is_empty() && t.contains(&p)
                    })
                })
            {
                continue;
            }
            let span = base + m.span.start..base + m.span.end;
            let written = cx.str(&span);
            let expected = m.describe();
            let shown = if written == expected {
                format!("`{written}`")
            } else {
                format!("`{written}` ({expected})")
            };
            let message = format!(
                "the original's {shown} is not in the aligned translation ({}); expected {expected} there, in digits or words",
                paragraphs_named(&aligned)
            );
            let related = english_span(cx, &aligned);
            cx.push(Code::NumberMismatch, span, message)
                .related(related, "the aligned translation");
        }
    }
}

/// The English paragraphs where the values of an original paragraph aligned with `aligned`
/// may stand: `aligned`, the English paragraphs with no source on either side of it (a
/// table or poem that is one line in the original and many in the English), and one more
/// paragraph each way.
fn reach(cx: &Context, aligned: &Range<usize>) -> Range<usize> {
    let a = cx.alignment;
    let n = cx.doc.translation.paragraphs.len();
    let unpaired = |e: usize| a.counterpart(Side::Translation, e).is_empty();
    let mut lo = aligned.start;
    while lo > 0 && unpaired(lo - 1) {
        lo -= 1;
    }
    let mut hi = aligned.end;
    while hi < n && unpaired(hi) {
        hi += 1;
    }
    lo.saturating_sub(1)..(hi + 1).min(n)
}

/// "English ¶3", "English ¶3–4" (1-based).
fn paragraphs_named(r: &Range<usize>) -> String {
    if r.len() == 1 {
        format!("English ¶{}", r.start + 1)
    } else {
        format!("English ¶{}–{}", r.start + 1, r.end)
    }
}

/// The span from the first to the last English paragraph of `r`.
fn english_span(cx: &Context, r: &Range<usize>) -> Span {
    let en = &cx.doc.translation.paragraphs;
    en[r.start].text.start..en[r.end - 1].text.end
}

/// How much of an English paragraph is its opening, where the dateline stands.
const OPENING_CHARS: usize = 160;

/// The dateline part of an English opening: up to its first `]`, `:`, ` - ` or sentence end.
fn strict_opening(s: &str) -> &str {
    let head = prefix_chars(s, OPENING_CHARS);
    let mut cut = head.len();
    for pat in [
        "]", "】", ":", "：", " - ", " – ", " — ", "—", "--", ". ", ")",
    ] {
        if let Some(i) = head.find(pat) {
            cut = cut.min(i + pat.len());
        }
    }
    &head[..cut]
}

fn prefix_chars(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

fn suffix_chars(s: &str, n: usize) -> &str {
    let count = s.chars().count();
    if count <= n {
        return s;
    }
    s.char_indices().nth(count - n).map_or(s, |(i, _)| &s[i..])
}

/// Words that mark an English dateline.
const DATELINE_CUES: &[&str] = &[
    "News Agency",
    "Xinhua",
    "Dispatch",
    "dispatch",
    "TASS",
    "Tass",
    "Reuters",
    "Associated Press",
    "United Press",
    "Telegram",
    "Our Newspaper",
    "This Newspaper",
];

fn has_dateline_cue(s: &str) -> bool {
    DATELINE_CUES.iter().any(|w| s.contains(w))
}

/// A short English paragraph that is a dateline of its own (`Xinhua News Agency, 30th`).
fn english_dateline_paragraph(s: &str) -> bool {
    s.len() <= 360 && s.chars().count() <= 90 && has_dateline_cue(s)
}

/// The English paragraphs that are datelines of their own, wherever they stand (editorials
/// put the original's closing dateline first), with a dateline line read as the English
/// column: computed once per document.
struct Standalone {
    /// The dates their openings give.
    dates: Vec<(u32, Option<u8>)>,
    /// Every value they write.
    values: English,
}

impl Standalone {
    fn new(cx: &Context) -> Standalone {
        let doc = cx.doc;
        let lines: Vec<&str> = doc
            .translation
            .paragraphs
            .iter()
            .map(|p| cx.str(&p.text))
            .chain(doc.english_column().map(|c| cx.str(&c)))
            .filter(|t| english_dateline_paragraph(t))
            .collect();
        let mut dates: Vec<(u32, Option<u8>)> = lines
            .iter()
            .flat_map(|t| opening_dates(t))
            .map(|(n, m, _)| (n, m))
            .collect();
        dates.sort_unstable();
        dates.dedup();
        let values: Vec<English> = lines.iter().map(|t| English::new(t)).collect();
        Standalone {
            dates,
            values: English::union(&values),
        }
    }
}

/// The dates the dateline part of an English paragraph's opening gives, as written.
fn opening_dates(t: &str) -> Vec<(u32, Option<u8>, String)> {
    let opening = strict_opening(t);
    english_days(opening)
        .into_iter()
        .map(|(r, n, m)| (n, m, opening[r].to_owned()))
        .collect()
}

fn check_dateline(
    cx: &mut Context,
    base: usize,
    d: &Dateline,
    aligned: &Range<usize>,
    near: &Range<usize>,
    standalone: &Standalone,
) {
    let (Some(day), Some(day_span)) = (d.day, d.day_span.clone()) else {
        return; // 本报讯, 【邢台消息】: no day to check
    };
    let month = d.month.map(|m| m as u8);
    // The same date: the day, and the month when both sides write one.
    let same = |n: u32, m: Option<u8>| n == day && (month.is_none() || m.is_none() || m == month);
    let en = &cx.doc.translation.paragraphs;
    let texts: Vec<&str> = near.clone().map(|e| cx.str(&en[e].text)).collect();
    let text = |e: usize| texts[e - near.start];
    // The English datelines in reach: the openings of the paragraphs near the aligned ones,
    // and the standalone ones.
    if near
        .clone()
        .flat_map(|e| opening_dates(text(e)))
        .map(|(n, m, _)| (n, m))
        .chain(standalone.dates.iter().copied())
        .any(|(n, m)| same(n, m))
    {
        return;
    }
    let written = cx.str(&(base + day_span.start..base + day_span.end));
    let whole = cx.str(&(base + d.span.start..base + d.span.end));
    let span = base + day_span.start..base + day_span.end;
    let day_text = ordinal(day);
    // Another date where the dateline should be: the aligned paragraphs' openings, or a
    // dateline paragraph next to them.
    let another = near
        .clone()
        .filter(|e| aligned.contains(e) || english_dateline_paragraph(text(*e)))
        .filter(|e| has_dateline_cue(strict_opening(text(*e))))
        .find_map(|e| opening_dates(text(e)).into_iter().next().map(|g| (e, g.2)));
    if let Some((e, shown)) = another {
        let message = format!(
            "the original's dateline `{whole}` gives the {day_text} (`{written}`) but the translation's dateline gives `{shown}`; expected the {day_text}"
        );
        cx.push(Code::DatelineMismatch, span, message)
            .related(en[e].text.clone(), "the translation's dateline");
        return;
    }
    // No date in the openings: the day may still be written a little later (`… reported on
    // the 27th`), or at the end where the original's closing dateline stands.
    let day_value = Value::Num(f64::from(day));
    let loose = near.clone().any(|e| {
        let t = text(e);
        [
            prefix_chars(t, OPENING_CHARS),
            suffix_chars(t, OPENING_CHARS),
        ]
        .iter()
        .any(|r| English::new(r).contains(day_value))
    }) || standalone.values.contains(day_value);
    if loose {
        return;
    }
    let message = format!(
        "the original's dateline `{whole}` gives the {day_text} (`{written}`) but the translation's opening does not give that day; expected the {day_text} (as in \"Xinhua, …, {day_text}\")"
    );
    let related = english_span(cx, aligned);
    cx.push(Code::DatelineMismatch, span, message)
        .related(related, "the aligned translation");
}

/// 1st, 2nd, 3rd, 27th.
fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{}{suffix}", format_num(f64::from(n)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{check_text, check_with, Diagnostic};
    use crate::config::Settings;

    const COTTON: &str = include_str!("../../seeds/1952-10-28_华北棉花丰收.md");
    const TOOLS: &str = include_str!("../../seeds/1950-05-03_京郊农民踊跃购买新式农具.md");
    const SPORTS: &str = include_str!("../../seeds/1956-10-29_首都职工运动会开幕.md");

    fn ours(text: &str) -> Vec<Diagnostic> {
        check_text(text)
            .into_iter()
            .filter(|d| matches!(d.code, Code::NumberMismatch | Code::DatelineMismatch))
            .collect()
    }

    fn variant(base: &str, from: &str, to: &str) -> String {
        assert!(base.contains(from), "{from:?}");
        base.replacen(from, to, 1)
    }

    /// (code, covered text, related text) of each of our diagnostics.
    fn found(text: &str) -> Vec<(Code, String, String)> {
        ours(text)
            .into_iter()
            .map(|d| {
                let related = d.related.first().map_or(String::new(), |r| {
                    text[r.span.clone()].chars().take(20).collect()
                });
                (d.code, text[d.span].to_owned(), related)
            })
            .collect()
    }

    #[test]
    fn seeds_are_silent() {
        for s in [COTTON, TOOLS, SPORTS] {
            assert_eq!(found(s), vec![]);
        }
    }

    #[test]
    fn a_changed_number_is_reported_on_the_original() {
        let text = variant(COTTON, "32 jin", "33 jin");
        assert_eq!(
            found(&text),
            vec![(
                Code::NumberMismatch,
                "三十二".to_owned(),
                "[Xinhua News Agency,".to_owned()
            )]
        );
        let d = &ours(&text)[0];
        assert_eq!(d.severity, crate::check::Severity::Warning);
        assert!(d.message.contains("32"), "{}", d.message);
        // Arabic in the original, words in the English, and back.
        let text = variant(
            TOOLS,
            "1,250 new-style",
            "one thousand two hundred new-style",
        );
        assert_eq!(found(&text)[0].1, "1,250");
        let text = variant(TOOLS, "Seventh District", "Eighth District");
        assert_eq!(found(&text)[0].1, "七");
    }

    #[test]
    fn a_neighbouring_paragraph_counts() {
        // The 65 jin moved into the paragraph before: still found.
        let text = variant(
            COTTON,
            "20% more than in 1951.",
            "20% more than in 1951; one cooperative reached 65 jin per mu.",
        )
        .replacen(" reached 65 jin per mu on", " did well on", 1);
        assert_eq!(found(&text), vec![]);
    }

    #[test]
    fn the_threshold_comes_from_the_settings() {
        let text = variant(COTTON, "32 jin", "33 jin");
        let doc = crate::syntax::parse(&text);
        let mut settings = Settings::default();
        settings.review.number_min_value = 100;
        let all = check_with(&text, &doc, &crate::align::align(&text, &doc), &settings);
        assert!(!all.iter().any(|d| d.code == Code::NumberMismatch));
    }

    #[test]
    fn datelines() {
        let lacks = variant(COTTON, "[Xinhua News Agency, Beijing, 27th] ", "");
        let f = found(&lacks);
        assert_eq!(
            (f[0].0, f[0].1.as_str()),
            (Code::DatelineMismatch, "二十七日")
        );
        assert!(ours(&lacks)[0].message.contains("does not give"));
        // A day in the body is no dateline: the dateline is still missing.
        let body = variant(
            COTTON,
            "[Xinhua News Agency, Beijing, 27th] North",
            "On the 25th, North",
        );
        assert!(ours(&body)[0].message.contains("does not give"));
        let another = variant(COTTON, "Beijing, 27th]", "Beijing, 28th]");
        let d = &ours(&another)[0];
        assert_eq!(d.code, Code::DatelineMismatch);
        assert!(d.message.contains("`28th`"), "{}", d.message);
        assert_eq!(
            found(&variant(SPORTS, "Agency, 29th –", "Agency, May 30 –"))[0].1,
            "29日"
        );
        // Written as "May 27" or later in the opening: fine.
        assert_eq!(
            found(&variant(COTTON, "Beijing, 27th]", "Beijing, October 27]")),
            vec![]
        );
        // A dateline without a day is not checked.
        let no_day = variant(TOOLS, "[Our Newspaper] ", "");
        assert_eq!(found(&no_day), vec![]);
        // The dateline's day is not also a number-mismatch.
        assert!(ours(&lacks)
            .iter()
            .all(|d| d.code == Code::DatelineMismatch));
    }

    #[test]
    fn openings() {
        assert_eq!(
            strict_opening("[Xinhua News Agency, Yan'an, 27th] Central News Agency: x"),
            "[Xinhua News Agency, Yan'an, 27th]"
        );
        assert_eq!(
            strict_opening("Xinhua News Agency, 31st. The President"),
            "Xinhua News Agency, 31st. "
        );
        assert_eq!(ordinal(1), "1st");
        assert_eq!(ordinal(12), "12th");
        assert_eq!(ordinal(22), "22nd");
        assert_eq!(ordinal(31), "31st");
    }
}
