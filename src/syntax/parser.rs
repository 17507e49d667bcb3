//! The error-tolerant parser: text in, [`Document`] out, always. It reads by the rules of
//! the format: each part is found by its own line, so a missing part never hides the rest.

use super::lines::{split_lines, Line};
use super::model::*;
use crate::text::{column_value_start, is_blank, is_date_shaped, is_page_shaped, page_line_number};

/// Parses an archive document. Never fails: missing parts are `None` or empty.
pub fn parse(text: &str) -> Document {
    Parser {
        text,
        lines: split_lines(text),
    }
    .run()
}

struct Parser<'a> {
    text: &'a str,
    lines: Vec<Line>,
}

/// A `Key: value` line as read, before the header decides whether it belongs.
struct KeyLine {
    key: Option<FieldKey>,
    key_span: Span,
    value: Span,
}

const NAMED_ENTITIES: &str = "**Named Entities**";

impl<'a> Parser<'a> {
    fn content(&self, i: usize) -> &'a str {
        &self.text[self.lines[i].range()]
    }

    fn blank(&self, i: usize) -> bool {
        is_blank(self.content(i))
    }

    fn is_separator(&self, i: usize) -> bool {
        self.content(i).trim_end() == "<hr />"
    }

    fn is_marker(&self, i: usize) -> bool {
        self.content(i).trim_end() == "Original:"
    }

    /// The trimmed span of line `i` (relative to the document).
    fn trimmed(&self, i: usize) -> Span {
        let c = self.content(i);
        let start = self.lines[i].start + (c.len() - c.trim_start().len());
        let end = self.lines[i].start + c.trim_end().len();
        start..end.max(start)
    }

    fn key_line(&self, i: usize) -> Option<KeyLine> {
        let c = self.content(i);
        let key_len = c.bytes().take_while(u8::is_ascii_alphabetic).count();
        if key_len == 0 || c.as_bytes().get(key_len) != Some(&b':') {
            return None;
        }
        let base = self.lines[i].start;
        let rest = &c[key_len + 1..];
        let value_start = key_len + 1 + (rest.len() - rest.trim_start_matches([' ', '\t']).len());
        let value_end = (key_len + 1 + rest.trim_end().len()).max(value_start);
        Some(KeyLine {
            key: FieldKey::parse(&c[..key_len]),
            key_span: base..base + key_len,
            value: base + value_start..base + value_end,
        })
    }

    fn known_key(&self, i: usize) -> bool {
        i < self.lines.len() && self.key_line(i).is_some_and(|k| k.key.is_some())
    }

    fn paragraph(&self, i: usize) -> Paragraph {
        let c = self.content(i);
        let start = self.lines[i].start;
        let indent = c.len() - c.trim_start().len();
        Paragraph {
            line: i,
            indent: start..start + indent,
            text: self.trimmed(i),
        }
    }

    fn run(self) -> Document {
        let n = self.lines.len();
        let mut doc = Document::default();

        // The marker is the first `Original:` after some `<hr />` (else the first at all);
        // the separator is the last `<hr />` before it.
        let first_hr = (0..n).find(|&i| self.is_separator(i));
        let marker = first_hr
            .and_then(|h| (h + 1..n).find(|&i| self.is_marker(i)))
            .or_else(|| (0..n).find(|&i| self.is_marker(i)));
        let separator = match marker {
            Some(m) => (0..m).rev().find(|&i| self.is_separator(i)),
            None => (0..n).rev().find(|&i| self.is_separator(i)),
        };
        doc.separator = separator;
        doc.marker = marker;
        if let (Some(s), Some(m)) = (separator, marker) {
            self.push_stray(&mut doc, s + 1, m, StrayPlace::BetweenSeparatorAndMarker);
        }

        let after = marker.or(separator);
        let title_line = match after {
            Some(a) => (a + 1..n).find(|&i| self.content(i).starts_with("###")),
            None => {
                (0..n).find(|&i| self.content(i).starts_with("### ") && self.looks_like_original(i))
            }
        };
        if let (Some(a), Some(t)) = (after, title_line) {
            self.push_stray(&mut doc, a + 1, t, StrayPlace::BeforeOriginalTitle);
        }

        let english_end = [separator, marker, title_line]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(n);
        doc.english_last_line = (0..english_end).rev().find(|&i| !self.blank(i));

        // The original first: the English column line depends on the original's column.
        self.read_original(&mut doc, title_line, after);
        self.read_english(&mut doc, english_end);
        doc.strays.sort_by_key(|s| s.first);
        doc.lines = self.lines;
        doc
    }

    /// Whether a `### ` line outside any marker is followed by the original's date or page.
    fn looks_like_original(&self, t: usize) -> bool {
        (t + 1..(t + 5).min(self.lines.len())).any(|i| {
            let c = self.content(i).trim();
            is_date_shaped(c) || is_page_shaped(c)
        })
    }

    fn push_stray(&self, doc: &mut Document, from: usize, to: usize, place: StrayPlace) {
        let mut text_lines = (from..to).filter(|&i| !self.blank(i));
        if let Some(first) = text_lines.next() {
            let last = text_lines.next_back().unwrap_or(first);
            doc.strays.push(Stray { first, last, place });
        }
    }

    fn read_english(&self, doc: &mut Document, end: usize) {
        let Some(first) = (0..end).find(|&i| !self.blank(i)) else {
            return;
        };
        let header_ish = |i: usize| {
            self.known_key(i)
                || (self.key_line(i).is_some() && i + 1 < end && self.known_key(i + 1))
        };
        let start = if header_ish(first) {
            Some(first)
        } else {
            let title = (first..end).find(|&i| {
                self.key_line(i)
                    .is_some_and(|k| k.key == Some(FieldKey::Title))
            });
            if let Some(t) = title {
                self.push_stray(doc, first, t, StrayPlace::BeforeHeader);
            }
            title
        };

        let mut body_start = first;
        if let Some(h0) = start {
            let mut last = h0;
            let mut i = h0;
            while i < end {
                if !self.blank(i) {
                    let Some(k) = self.key_line(i) else { break };
                    let belongs = k.key.is_some()
                        || (i > 0 && i - 1 == last && !doc.header.fields.is_empty())
                        || i == h0
                        || (i + 1 < end && self.known_key(i + 1));
                    if !belongs {
                        break;
                    }
                    if i > last + 1 {
                        doc.header.blank_runs.push((last + 1, i - 1));
                    }
                    doc.header.fields.push(HeaderField {
                        line: i,
                        key: k.key,
                        key_span: k.key_span,
                        value: k.value,
                        span: self.trimmed(i),
                    });
                    last = i;
                }
                i += 1;
            }
            body_start = last + 1;
        }

        let glossary_at = (body_start..end).find(|&i| self.content(i).trim() == NAMED_ENTITIES);
        let body_end = glossary_at.unwrap_or(end);
        let title_value = doc
            .header
            .get(FieldKey::Title)
            .map(|f| &self.text[f.value.clone()]);

        let t = &mut doc.translation;
        t.debris = (body_start..body_end).find(|&i| {
            let c = self.content(i);
            self.is_separator(i)
                || c.trim_start().starts_with("<h3")
                || self
                    .key_line(i)
                    .is_some_and(|k| k.key == Some(FieldKey::Title))
        });
        if let Some(d) = t.debris {
            doc.strays.push(Stray {
                first: d,
                last: d,
                place: StrayPlace::MergedChunk,
            });
        }

        let column_value_present = doc
            .header
            .get(FieldKey::Column)
            .is_some_and(|f| !f.value.is_empty());
        let original_names_column = self.original_column_differs(doc);
        let t = &mut doc.translation;
        let mut body = (body_start..body_end)
            .filter(|&i| !self.blank(i))
            .peekable();
        if let Some(&c) = body.peek() {
            let content = self.content(c);
            let text = content.trim();
            let is_column = !column_value_present
                && original_names_column
                && !content.starts_with(char::is_whitespace)
                && c + 1 < body_end
                && self.blank(c + 1)
                && Some(text) != title_value
                && crate::text::char_count(text) <= 60
                && !text.ends_with(['.', '!', '?', ':', ';', '。', '！', '？', '：', '；', '…']);
            if is_column {
                t.column_line = Some(LineItem {
                    line: c,
                    text: self.trimmed(c),
                });
                body.next();
            }
        }
        t.paragraphs = body.map(|i| self.paragraph(i)).collect();

        if let Some(g) = glossary_at {
            let entries = (g + 1..end)
                .filter(|&i| !self.blank(i))
                .map(|i| self.glossary_entry(i))
                .collect();
            t.glossary = Some(Glossary {
                heading: LineItem {
                    line: g,
                    text: self.trimmed(g),
                },
                entries,
            });
        }
    }

    /// Whether the original names a column that is neither its title nor the title's start.
    fn original_column_differs(&self, doc: &Document) -> bool {
        let Some(col) = &doc.original.column else {
            return false;
        };
        let value = &self.text[col.value.clone()];
        let title = doc
            .original
            .title
            .as_ref()
            .map_or("", |t| &self.text[t.text.clone()]);
        !value.is_empty() && !title.starts_with(value)
    }

    fn glossary_entry(&self, i: usize) -> GlossaryEntry {
        let span = self.trimmed(i);
        let s = &self.text[span.clone()];
        let split = s.find('\t').or_else(|| s.find("  "));
        let (term, translation) = match split {
            Some(at) => {
                let rest = &s[at..];
                let trans_start = at + (rest.len() - rest.trim_start().len());
                (
                    span.start..span.start + at,
                    span.start + trans_start..span.end,
                )
            }
            None => (span.clone(), span.end..span.end),
        };
        GlossaryEntry {
            line: i,
            term,
            translation,
        }
    }

    fn read_original(&self, doc: &mut Document, title: Option<usize>, after: Option<usize>) {
        let n = self.lines.len();
        let o = &mut doc.original;
        // Where the header block's shaped lines (date, page, column) may start.
        let (mut i, limit) = match (title, after) {
            (Some(t), _) => {
                let c = self.content(t);
                let body = c.trim_start_matches('#');
                let text_start = self.lines[t].start + (c.len() - body.trim_start().len());
                let text_end = self.lines[t].start + c.trim_end().len();
                o.title = Some(LineItem {
                    line: t,
                    text: text_start..text_end.max(text_start),
                });
                doc.original_header_last_line = Some(t);
                let mut i = t + 1;
                if i < n {
                    let c = self.content(i);
                    let trimmed = c.trim();
                    let shaped = is_date_shaped(trimmed)
                        || is_page_shaped(trimmed)
                        || column_value_start(trimmed).is_some();
                    if !shaped && (trimmed.is_empty() || !c.starts_with(char::is_whitespace)) {
                        o.author = Some(AuthorSlot {
                            line: i,
                            text: self.trimmed(i),
                        });
                        doc.original_header_last_line = Some(i);
                        i += 1;
                    }
                }
                (i, t + 5)
            }
            (None, Some(a)) => {
                let first = (a + 1..n).find(|&i| !self.blank(i)).unwrap_or(n);
                (first, first + 3)
            }
            (None, None) => return,
        };
        while i < n.min(limit) {
            let span = self.trimmed(i);
            let s = &self.text[span.clone()];
            if o.date.is_none() && is_date_shaped(s) {
                o.date = Some(LineItem {
                    line: i,
                    text: span,
                });
            } else if o.page.is_none() && is_page_shaped(s) {
                let number = page_line_number(s).map(|r| span.start + r.start..span.start + r.end);
                o.page = Some(PageLine {
                    line: i,
                    text: span,
                    number,
                });
            } else if let (None, Some(v)) = (&o.column, column_value_start(s)) {
                let value_start = span.start + v;
                let value = &self.text[value_start..span.end];
                let lead = value.len() - value.trim_start().len();
                o.column = Some(ColumnField {
                    line: i,
                    text: span.clone(),
                    value: value_start + lead..span.end,
                });
            } else {
                break;
            }
            doc.original_header_last_line = Some(i);
            i += 1;
        }
        o.paragraphs = (i..n)
            .filter(|&j| !self.blank(j))
            .map(|j| self.paragraph(j))
            .collect();
    }
}
