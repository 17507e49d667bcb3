//! Numbers and datelines: a value in the original that its aligned English lacks
//! (`number-mismatch`), a dateline day the English opening lacks or changes
//! (`dateline-mismatch`).
//!
//! Both look from the original to the English only. The English of original paragraph k is
//! its counterpart in the alignment; the paragraph before and the one after that counterpart
//! also count, because translators move a clause across a paragraph break.

use super::{Code, Context};
use crate::syntax::{FieldKey, Side, Span};
use crate::text::numbers::{chinese, dateline, english_days, format_num, Dateline, English};
use std::ops::Range;

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
    for (k, p) in cn.iter().enumerate() {
        let aligned = cx.alignment.counterpart(Side::Original, k);
        if aligned.is_empty() {
            continue; // an untranslated paragraph is another check's business
        }
        let near = reach(cx, &aligned);
        let text = cx.str(&p.text);
        let base = p.text.start;
        let line = dateline(text);
        if let Some(d) = &line {
            check_dateline(cx, base, d, &aligned, &near);
        }
        let repeats_title = cn_title.as_ref().is_some_and(|t| {
            let p = squeeze(text);
            !p.is_empty() && t.contains(&p)
        });
        for m in chinese(text) {
            if !m.is_checked(min_value) {
                continue;
            }
            if line
                .as_ref()
                .is_some_and(|d| d.span.start < m.span.end && m.span.start < d.span.end)
            {
                continue; // the dateline's day has its own code
            }
            if near.clone().any(|e| english[e].satisfies(&m))
                || (repeats_title && en_title.as_ref().is_some_and(|t| t.satisfies(&m)))
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
                "the number {shown} in the original is not in its translation; expected {expected} in {}",
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

/// A short English paragraph that is a dateline of its own (`Xinhua News Agency, 30th`).
fn english_dateline_paragraph(s: &str) -> bool {
    s.chars().count() <= 90
        && [
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
        ]
        .iter()
        .any(|w| s.contains(w))
}

fn check_dateline(
    cx: &mut Context,
    base: usize,
    d: &Dateline,
    aligned: &Range<usize>,
    near: &Range<usize>,
) {
    let (Some(day), Some(day_span)) = (d.day, d.day_span.clone()) else {
        return; // 本报讯, 【邢台消息】: no day to check
    };
    let en = &cx.doc.translation.paragraphs;
    let texts: Vec<&str> = en.iter().map(|p| cx.str(&p.text)).collect();
    // A dateline written as the English's first line may have been read as its column.
    let column = cx.doc.english_column().map(|c| cx.str(&c));
    if column.is_some_and(|c| {
        english_dateline_paragraph(c) && english_days(c).iter().any(|(_, n, _)| *n == day)
    }) {
        return;
    }
    // The English datelines in reach: the openings of the aligned paragraphs and their
    // neighbours, and any paragraph that is a dateline of its own (editorials put the
    // original's closing dateline first).
    let standalone: Vec<usize> = (0..texts.len())
        .filter(|&e| english_dateline_paragraph(texts[e]))
        .collect();
    let mut strict: Vec<usize> = near.clone().collect();
    strict.extend(standalone.iter().copied().filter(|e| !near.contains(e)));
    let days_in = |s: &str| english_days(s);
    let gives = |e: usize| -> Vec<(u32, Option<u8>, String)> {
        days_in(strict_opening(texts[e]))
            .into_iter()
            .map(|(r, n, m)| (n, m, strict_opening(texts[e])[r].to_owned()))
            .collect()
    };
    if strict
        .iter()
        .any(|&e| gives(e).iter().any(|(n, _, _)| *n == day))
    {
        return;
    }
    // Another day where the dateline should be: in the aligned paragraphs, or in a
    // standalone dateline paragraph next to them.
    let another = aligned
        .clone()
        .chain(standalone.iter().copied().filter(|e| near.contains(e)))
        .find_map(|e| gives(e).into_iter().next().map(|g| (e, g)));
    let written = cx.str(&(base + day_span.start..base + day_span.end));
    let whole = cx.str(&(base + d.span.start..base + d.span.end));
    let span = base + day_span.start..base + day_span.end;
    let day_text = ordinal(day);
    match another {
        Some((e, (_, month, shown))) => {
            let _ = month;
            let message = format!(
                "the dateline `{whole}` gives the {day_text} (`{written}`) but the translation's dateline gives `{shown}`; expected the {day_text}"
            );
            let related = en[e].text.clone();
            cx.push(Code::DatelineMismatch, span, message)
                .related(related, "the translation's dateline");
        }
        None => {
            // No day at all in the openings: the day may still be written a little later
            // (`… reported on the 27th`).
            let loose = near.clone().any(|e| {
                let t = texts[e];
                let region = [
                    prefix_chars(t, OPENING_CHARS),
                    suffix_chars(t, OPENING_CHARS),
                ];
                region.iter().any(|r| {
                    English::new(r).contains(crate::text::numbers::Value::Num(f64::from(day)))
                })
            }) || standalone.iter().any(|&e| {
                English::new(texts[e]).contains(crate::text::numbers::Value::Num(f64::from(day)))
            });
            if loose {
                return;
            }
            let message = format!(
                "the dateline `{whole}` gives the {day_text} (`{written}`) but the translation's opening has no day; expected \"{day_text}\" (e.g. \"Xinhua, {day_text}\")"
            );
            let related = english_span(cx, aligned);
            cx.push(Code::DatelineMismatch, span, message)
                .related(related, "the aligned translation");
        }
    }
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
