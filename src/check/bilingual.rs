//! Agreement between the two sides: date, page, author, column, paragraph count.
//! Reported once, on the English side, with related information on the original's line.

use super::{Code, Context};
use crate::align::Bead;
use crate::syntax::FieldKey;
use crate::text::{parse_date, parse_number, parse_page};

/// The codes [`check`] reports: it is not run when all of them are off.
pub(super) const CODES: &[Code] = &[
    Code::AuthorMismatch,
    Code::ColumnMismatch,
    Code::DateMismatch,
    Code::PageMismatch,
    Code::ParagraphCountMismatch,
];

pub(super) fn check(cx: &mut Context) {
    date(cx);
    page(cx);
    author(cx);
    column(cx);
    paragraph_count(cx);
}

fn date(cx: &mut Context) {
    let doc = cx.doc;
    let (Some(en), Some(cn)) = (doc.header.get(FieldKey::Date), &doc.original.date) else {
        return;
    };
    let (en_value, cn_value) = (cx.str(&en.value), cx.str(&cn.text));
    // An invalid value is reported as such, never also as a mismatch.
    let (Some(a), Some(b)) = (parse_date(en_value), parse_date(cn_value)) else {
        return;
    };
    if a != b {
        cx.push(
            Code::DateMismatch,
            en.value.clone(),
            format!("header date {en_value} differs from the original's date {cn_value}"),
        )
        .related(cn.text.clone(), format!("the original's date: {cn_value}"));
    }
}

fn page(cx: &mut Context) {
    let doc = cx.doc;
    let (Some(en), Some(cn)) = (doc.header.get(FieldKey::Page), &doc.original.page) else {
        return;
    };
    let Some(cn_digits) = &cn.number else { return };
    let (Some(a), Some(b)) = (
        parse_page(cx.str(&en.value)),
        parse_number(cx.str(cn_digits)),
    ) else {
        return;
    };
    if a != b {
        let key = cx.str(&en.key_span);
        let line = cx.str(&cn.text);
        cx.push(
            Code::PageMismatch,
            en.value.clone(),
            format!("header `{key}: {a}` differs from the original's page {b} (`{line}`)"),
        )
        .related(cn.text.clone(), format!("the original's page line: {line}"));
    }
}

fn author(cx: &mut Context) {
    let doc = cx.doc;
    let Some(en) = doc.header.get(FieldKey::Author) else {
        return;
    };
    let cn = doc.original.author.as_ref();
    let cn_value = cn.map_or("", |a| cx.str(&a.text));
    let en_value = cx.str(&en.value);
    let cn_line = cn
        .map(|a| cx.line_span(a.line))
        .or_else(|| doc.original.title.as_ref().map(|t| cx.line_span(t.line)));
    let (span, message) = match (en_value.is_empty(), cn_value.is_empty()) {
        (true, false) => (
            en.span.clone(),
            format!("the original names the author {cn_value} but `Author:` is empty; expected the name in Pinyin"),
        ),
        (false, true) if doc.original.title.is_some() => (
            en.value.clone(),
            format!("`Author: {en_value}` but the original's author line is blank; check where the name comes from"),
        ),
        _ => return,
    };
    let d = cx.push(Code::AuthorMismatch, span, message);
    if let Some(line) = cn_line {
        d.related(line, "the original's author line");
    }
}

fn column(cx: &mut Context) {
    let doc = cx.doc;
    let en = doc.english_column();
    let cn = doc.original.column.as_ref().filter(|c| !c.value.is_empty());
    match (en, cn) {
        (None, Some(cn)) => {
            let value = cx.str(&cn.value);
            let title = doc.original.title.as_ref().map_or("", |t| cx.str(&t.text));
            if !title.starts_with(value) {
                cx.push(
                    Code::ColumnMismatch,
                    cn.value.clone(),
                    format!("the original's column `{value}` has no translation; expected it on its own line after the header (or as `Column:`)"),
                );
            }
        }
        (Some(en), None) => {
            let value = cx.str(&en);
            let d = cx.push(
                Code::ColumnMismatch,
                en.clone(),
                format!("the translation names the column `{value}` but the original's `专栏：` line is empty or missing"),
            );
            if let Some(c) = &doc.original.column {
                d.related(c.text.clone(), "the original's column line");
            }
        }
        _ => {}
    }
}

/// When the counts differ, says where on the first paragraph without a partner (or, if
/// every paragraph has one, on the first place where they do not pair one to one), and
/// what the alignment found there: `English ¶3 translates original ¶3–4`, `original ¶5 has
/// no translation`.
fn paragraph_count(cx: &mut Context) {
    let doc = cx.doc;
    let (en, cn) = (&doc.translation.paragraphs, &doc.original.paragraphs);
    if en.is_empty() || cn.is_empty() || en.len() == cn.len() {
        return;
    }
    let beads = cx.alignment.beads();
    let uneven = |b: &Bead| b.english.len() != 1 || b.original.len() != 1;
    let Some(first) = beads
        .iter()
        .position(|b| !b.is_pair())
        .or_else(|| beads.iter().position(uneven))
    else {
        return;
    };
    // Consecutive paragraphs without a partner on the same side are one finding.
    let mut bead = beads[first].clone();
    let mut last = first;
    while !bead.is_pair() {
        let Some(next) = beads.get(last + 1) else {
            break;
        };
        let same_side = next.english.is_empty() == bead.english.is_empty() && !next.is_pair();
        if !same_side {
            break;
        }
        bead.english.end = next.english.end;
        bead.original.end = next.original.end;
        last += 1;
    }
    let others = beads.iter().filter(|b| uneven(b)).count() - (last - first + 1);
    let (span, found) = if bead.english.is_empty() {
        (
            cn[bead.original.start].text.clone(),
            format!(
                "original {} {} no translation",
                pilcrows(&bead.original),
                has(&bead.original)
            ),
        )
    } else if bead.original.is_empty() {
        (
            en[bead.english.start].text.clone(),
            format!(
                "English {} {} no counterpart in the original",
                pilcrows(&bead.english),
                has(&bead.english)
            ),
        )
    } else {
        // Report on the side with the single paragraph: it is the one joined or split.
        let single_english = bead.english.len() <= bead.original.len();
        let at = if single_english {
            en[bead.english.start].text.clone()
        } else {
            cn[bead.original.start].text.clone()
        };
        let verb = if bead.english.len() == 1 {
            "translates"
        } else {
            "translate"
        };
        (
            at,
            format!(
                "English {} {verb} original {}",
                pilcrows(&bead.english),
                pilcrows(&bead.original)
            ),
        )
    };
    let more = match others {
        0 => String::new(),
        1 => " (and 1 more place where the paragraphs do not pair one to one)".into(),
        n => format!(" (and {n} more places where the paragraphs do not pair one to one)"),
    };
    let message = format!(
        "the translation has {} and the original {}: {found}{more}",
        paragraphs(en.len()),
        cn.len(),
    );
    let related = if bead.is_pair() {
        let (side, range, paras) = if bead.english.len() <= bead.original.len() {
            ("the original's", &bead.original, cn)
        } else {
            ("the English", &bead.english, en)
        };
        Some((
            paras[range.start].text.start..paras[range.end - 1].text.end,
            format!("{side} {}", pilcrows(range)),
        ))
    } else {
        None
    };
    let d = cx.push(Code::ParagraphCountMismatch, span, message);
    if let Some((span, message)) = related {
        d.related(span, message);
    }
}

/// `¶3` or `¶3–4` (1-based) for a non-empty range of paragraphs.
fn pilcrows(r: &std::ops::Range<usize>) -> String {
    if r.len() == 1 {
        format!("¶{}", r.start + 1)
    } else {
        format!("¶{}–{}", r.start + 1, r.end)
    }
}

/// `has` for one paragraph, `have` for more.
fn has(r: &std::ops::Range<usize>) -> &'static str {
    if r.len() == 1 {
        "has"
    } else {
        "have"
    }
}

/// "1 paragraph", "5 paragraphs".
fn paragraphs(n: usize) -> String {
    format!("{n} paragraph{}", if n == 1 { "" } else { "s" })
}
