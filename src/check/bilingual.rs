//! Agreement between the two sides: date, page, author, column, paragraph count.
//! Reported once, on the English side, with related information on the original's line.

use super::{Code, Context};
use crate::syntax::{FieldKey, Side};
use crate::text::{parse_date, parse_number, parse_page};

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

fn paragraph_count(cx: &mut Context) {
    let doc = cx.doc;
    let (en, cn) = (&doc.translation.paragraphs, &doc.original.paragraphs);
    if en.is_empty() || cn.is_empty() || en.len() == cn.len() {
        return;
    }
    let a = cx.alignment;
    let (side, other, longer, unpaired) = if en.len() > cn.len() {
        let k = (0..en.len()).find(|&k| a.counterpart(Side::Translation, k).is_empty());
        ("translation", "original", en, k)
    } else {
        let k = (0..cn.len()).find(|&k| a.counterpart(Side::Original, k).is_empty());
        ("original", "translation", cn, k)
    };
    let Some(k) = unpaired else { return };
    cx.push(
        Code::ParagraphCountMismatch,
        longer[k].text.clone(),
        format!(
            "the translation has {} and the original {}: {side} ¶{} has no counterpart in the {other}",
            paragraphs(en.len()),
            cn.len(),
            k + 1
        ),
    );
}

/// "1 paragraph", "5 paragraphs".
fn paragraphs(n: usize) -> String {
    format!("{n} paragraph{}", if n == 1 { "" } else { "s" })
}
