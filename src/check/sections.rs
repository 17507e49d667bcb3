//! The document's structure: separator, marker, the original's header lines, stray text,
//! and a side with no paragraph.

use super::header::invalid_date_message;
use super::{Code, Context};
use crate::syntax::StrayPlace;
use crate::text::parse_date;

/// The codes [`check`] reports: it is not run when all of them are off.
pub(super) const CODES: &[Code] = &[
    Code::EmptyOriginal,
    Code::EmptyTranslation,
    Code::InvalidDate,
    Code::InvalidPage,
    Code::MissingOriginalField,
    Code::MissingOriginalMarker,
    Code::MissingOriginalTitle,
    Code::MissingSeparator,
    Code::UnexpectedText,
];

pub(super) fn check(cx: &mut Context) {
    let doc = cx.doc;
    let last_line = doc.lines.len().saturating_sub(1);
    let english_last = doc.english_last_line;
    let title_line = doc.original.title.as_ref().map(|t| t.line);

    if doc.separator.is_none() {
        let line = english_last.or(doc.marker).unwrap_or(last_line);
        cx.push(
            Code::MissingSeparator,
            cx.line_span(line),
            "no `<hr /> ` separator line; expected one between the translation and `Original:`"
                .into(),
        );
    }
    if doc.marker.is_none() {
        let line = doc.separator.or(english_last).unwrap_or(last_line);
        cx.push(
            Code::MissingOriginalMarker,
            cx.line_span(line),
            "no `Original: ` line after the separator; expected it to introduce the original"
                .into(),
        );
    }
    let original_exists = doc.marker.or(doc.separator).or(title_line).is_some();
    if title_line.is_none() {
        let line = doc.marker.or(doc.separator).unwrap_or(last_line);
        cx.push(
            Code::MissingOriginalTitle,
            cx.line_span(line),
            "the original has no `### ` title line; expected `### <Chinese title>` after `Original:`"
                .into(),
        );
    }
    if original_exists {
        let anchor = cx.line_span(title_line.or(doc.marker).or(doc.separator).unwrap_or(0));
        let o = &doc.original;
        if o.date.is_none() {
            cx.push(
                Code::MissingOriginalField,
                anchor.clone(),
                "the original has no date line; expected `YYYY-MM-DD` after the title and author"
                    .into(),
            );
        }
        if o.page.is_none() {
            cx.push(
                Code::MissingOriginalField,
                anchor,
                "the original has no page line; expected `第N版()` after its date".into(),
            );
        }
    }

    if let Some(d) = &doc.original.date {
        let value = cx.str(&d.text);
        if parse_date(value).is_none() {
            cx.push(
                Code::InvalidDate,
                d.text.clone(),
                invalid_date_message("the original's date", value),
            );
        }
    }
    if let Some(p) = &doc.original.page {
        if p.number.is_none() {
            let value = cx.str(&p.text);
            cx.push(
                Code::InvalidPage,
                p.text.clone(),
                format!(
                    "the original's page line `{value}` is not `第N版(…)` with N a positive number"
                ),
            );
        }
    }

    for stray in &doc.strays {
        let (span, message) = match stray.place {
            StrayPlace::MergedChunk => (
                cx.line_span(stray.first),
                "debris from a merged translation chunk (an earlier `<hr />` or a second header); expected one translation, then the separator".to_owned(),
            ),
            place => {
                let span = cx.line_span(stray.first).start..cx.line_span(stray.last).end;
                let where_ = match place {
                    StrayPlace::BeforeHeader => "before the header",
                    StrayPlace::BetweenSeparatorAndMarker => "between `<hr />` and `Original:`",
                    _ => "between `Original:` and the `### ` title",
                };
                (span, format!("unexpected text {where_}; only blank lines belong there"))
            }
        };
        cx.push(Code::UnexpectedText, span, message);
    }

    if doc.translation.paragraphs.is_empty() {
        cx.push(
            Code::EmptyTranslation,
            cx.line_span(english_last.unwrap_or(0)),
            "the translation has no paragraph; expected the English text after the header".into(),
        );
    }
    if original_exists && doc.original.paragraphs.is_empty() {
        let line = doc
            .original_header_last_line
            .or(doc.marker)
            .or(doc.separator)
            .unwrap_or(last_line);
        cx.push(
            Code::EmptyOriginal,
            cx.line_span(line),
            "the original has no paragraph; expected the Chinese text after its header lines"
                .into(),
        );
    }
}
