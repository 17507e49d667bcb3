//! The English header: its fields, their order, layout and values.

use super::{Code, Context};
use crate::syntax::FieldKey;
use crate::text::{edit_distance, parse_date, parse_page};

const REQUIRED: [FieldKey; 4] = [
    FieldKey::Title,
    FieldKey::Author,
    FieldKey::Date,
    FieldKey::Page,
];
const KNOWN_SPELLINGS: [&str; 6] = ["Title", "Author", "Date", "Page", "Edition", "Column"];

/// The codes [`check`] reports: it is not run when all of them are off.
pub(super) const CODES: &[Code] = &[
    Code::DuplicateHeaderField,
    Code::EmptyTitle,
    Code::HeaderFieldOrder,
    Code::HeaderLayout,
    Code::InvalidDate,
    Code::InvalidPage,
    Code::MissingHeaderField,
    Code::UnknownHeaderField,
];

pub(super) fn check(cx: &mut Context) {
    let header = &cx.doc.header;
    let anchor_line = header
        .fields
        .first()
        .map_or_else(|| cx.first_text_line(), |f| f.line);
    let anchor = cx.line_span(anchor_line);

    for key in REQUIRED {
        if header.get(key).is_none() {
            cx.push(
                Code::MissingHeaderField,
                anchor.clone(),
                missing_field_message(key),
            );
        }
    }

    let mut seen: Vec<(FieldKey, usize)> = Vec::new();
    let mut highest: Option<FieldKey> = None;
    let mut order_reported = false;
    for (i, f) in header.fields.iter().enumerate() {
        let written = cx.str(&f.key_span);
        let Some(key) = f.key else {
            let nearest = suggest_key(written).spelling;
            cx.push(
                Code::UnknownHeaderField,
                f.key_span.clone(),
                format!(
                    "unknown header field `{written}:`; did you mean `{nearest}:`? (known: Title, Author, Date, Page or Edition, Column)"
                ),
            );
            continue;
        };
        if let Some(&(_, first)) = seen.iter().find(|(k, _)| *k == key) {
            let first = &header.fields[first];
            let first_written = cx.str(&first.key_span).to_owned();
            cx.push(
                Code::DuplicateHeaderField,
                f.span.clone(),
                format!(
                    "`{written}:` appears a second time; a header has one `{}:` line",
                    key.name()
                ),
            )
            .related(first.span.clone(), format!("first `{first_written}:` line"));
            continue;
        }
        seen.push((key, i));
        match highest {
            Some(h) if key < h && !order_reported => {
                order_reported = true;
                cx.push(
                    Code::HeaderFieldOrder,
                    f.span.clone(),
                    format!(
                        "`{written}:` comes after `{}:`; expected the order Title, Author, Date, Page, Column",
                        h.name()
                    ),
                );
            }
            _ => highest = highest.max(Some(key)),
        }
    }

    for &(first, last) in &header.blank_runs {
        let lines = &cx.doc.lines;
        let span = lines[first].start..lines[last].end;
        let what = if first == last {
            "a blank line"
        } else {
            "blank lines"
        };
        cx.push(
            Code::HeaderLayout,
            span,
            format!("{what} inside the header; expected its lines one after another"),
        );
    }

    if let Some(t) = header.get(FieldKey::Title) {
        if t.value.is_empty() {
            cx.push(
                Code::EmptyTitle,
                t.span.clone(),
                "`Title:` has no text; expected the English title".into(),
            );
        }
    }
    if let Some(d) = header.get(FieldKey::Date) {
        let value = cx.str(&d.value);
        if parse_date(value).is_none() {
            let span = if value.is_empty() {
                d.span.clone()
            } else {
                d.value.clone()
            };
            cx.push(
                Code::InvalidDate,
                span,
                invalid_date_message("the header's `Date:`", value),
            );
        }
    }
    if let Some(p) = header.get(FieldKey::Page) {
        let value = cx.str(&p.value);
        if parse_page(value).is_none() {
            let key = cx.str(&p.key_span);
            let span = if value.is_empty() {
                p.span.clone()
            } else {
                p.value.clone()
            };
            let shown = if value.is_empty() {
                "empty".to_owned()
            } else {
                format!("`{value}`")
            };
            cx.push(
                Code::InvalidPage,
                span,
                format!("`{key}:` is {shown}; expected a positive whole number such as `2`"),
            );
        }
    }
}

/// The message of `missing-header-field` for `key`; the quick fix reads the key back
/// from it (`crate::fix::quick`).
pub(crate) fn missing_field_message(key: FieldKey) -> String {
    let name = key.name();
    let also = if key == FieldKey::Page {
        " (or `Edition:`)"
    } else {
        ""
    };
    format!("the header has no `{name}:` line{also}; expected the fields Title, Author, Date, Page")
}

/// The known spelling an unknown header key is nearest to, as `unknown-header-field`
/// suggests it (and its quick fix renames the key to).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KeySuggestion {
    pub spelling: &'static str,
    /// The edit distance from the written key (case-insensitive).
    pub distance: usize,
    /// No other known spelling is as near.
    pub unique: bool,
}

/// The suggestion for an unknown key: the first nearest known spelling.
pub(crate) fn suggest_key(written: &str) -> KeySuggestion {
    let distances = KNOWN_SPELLINGS.map(|k| edit_distance(written, k));
    let distance = *distances.iter().min().expect("non-empty list");
    let first = distances
        .iter()
        .position(|&d| d == distance)
        .expect("the minimum is in the list");
    KeySuggestion {
        spelling: KNOWN_SPELLINGS[first],
        distance,
        unique: distances.iter().filter(|&&d| d == distance).count() == 1,
    }
}

/// The message for a date that is not a real `YYYY-MM-DD`.
pub(super) fn invalid_date_message(what: &str, value: &str) -> String {
    if value.is_empty() {
        format!("{what} is empty; expected a date as YYYY-MM-DD")
    } else {
        format!("{what} `{value}` is not a real date as YYYY-MM-DD")
    }
}
