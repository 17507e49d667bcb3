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

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = include_str!("../../seeds/000_0d759123a74baf35.txt");

    fn s<'t>(text: &'t str, span: &Span) -> &'t str {
        &text[span.clone()]
    }

    #[test]
    fn reads_the_sample() {
        let d = parse(SAMPLE);
        let keys: Vec<_> = d.header.fields.iter().map(|f| f.key).collect();
        use FieldKey::*;
        assert_eq!(keys, [Some(Title), Some(Author), Some(Date), Some(Page)]);
        assert_eq!(s(SAMPLE, &d.header.get(Author).unwrap().value), "");
        assert_eq!(s(SAMPLE, &d.header.get(Page).unwrap().value), "2");
        let col = d.translation.column_line.as_ref().expect("column line");
        assert_eq!(
            (col.line, s(SAMPLE, &col.text)),
            (5, "Economic Life Brief Commentary")
        );
        assert_eq!(d.translation.paragraphs.len(), 4);
        assert_eq!(d.translation.paragraphs[0].line, 7);
        assert_eq!((d.separator, d.marker), (Some(14), Some(16)));
        let o = &d.original;
        assert_eq!(
            s(SAMPLE, &o.title.as_ref().unwrap().text),
            "及时总结和传播推广先进经验的经验"
        );
        assert_eq!(
            o.author.as_ref().map(|a| (a.line, a.text.is_empty())),
            Some((20, true))
        );
        assert_eq!(o.date.as_ref().unwrap().line, 21);
        assert_eq!(
            s(SAMPLE, o.page.as_ref().unwrap().number.as_ref().unwrap()),
            "2"
        );
        assert_eq!(s(SAMPLE, &o.column.as_ref().unwrap().value), "经济生活简评");
        assert_eq!(o.paragraphs.len(), 4);
        assert_eq!(o.paragraphs[0].line, 25);
        assert!(d.strays.is_empty() && d.header.blank_runs.is_empty());
    }

    #[test]
    fn paragraph_ranges_exclude_indentation() {
        let d = parse(SAMPLE);
        let p = &d.original.paragraphs[0];
        assert_eq!(s(SAMPLE, &p.indent), "    ");
        assert!(s(SAMPLE, &p.text).starts_with('及'));
    }

    #[test]
    fn line_endings_and_bom_do_not_change_the_structure() {
        let plain = parse(SAMPLE);
        for variant in [
            SAMPLE.replace('\n', "\r\n"),
            SAMPLE.replace('\n', "\r"),
            format!("\u{feff}{SAMPLE}"),
        ] {
            let d = parse(&variant);
            assert_eq!(d.header.fields.len(), plain.header.fields.len());
            assert_eq!(d.translation.paragraphs.len(), 4);
            assert_eq!(d.original.paragraphs.len(), 4);
            assert_eq!((d.separator, d.marker), (plain.separator, plain.marker));
            assert_eq!(d.original.date.as_ref().unwrap().line, 21);
            assert_eq!(s(&variant, &d.header.fields[0].key_span), "Title");
        }
    }

    #[test]
    fn blank_lines_inside_the_header_keep_it_whole() {
        let text = SAMPLE.replacen("Author:\n", "\nAuthor:\n\n", 1);
        let d = parse(&text);
        assert_eq!(d.header.fields.len(), 4);
        assert_eq!(d.header.blank_runs, vec![(1, 1), (3, 3)]);
    }

    #[test]
    fn edition_and_column_are_header_fields() {
        let text = SAMPLE
            .replacen("Page: 2\n", "Edition: 2\nColumn: Economic Life\n", 1)
            .replacen("\nEconomic Life Brief Commentary\n", "", 1);
        let d = parse(&text);
        assert_eq!(
            d.header.get(FieldKey::Page).map(|f| s(&text, &f.key_span)),
            Some("Edition")
        );
        assert_eq!(d.english_column().map(|c| &text[c]), Some("Economic Life"));
        assert!(d.translation.column_line.is_none());
    }

    #[test]
    fn no_column_line_when_the_title_stands_for_the_column() {
        let text = SAMPLE.replacen("专栏：经济生活简评", "专栏：及时总结", 1);
        let d = parse(&text);
        assert!(d.translation.column_line.is_none());
        assert_eq!(d.translation.paragraphs.len(), 5);
    }

    #[test]
    fn a_missing_author_line_does_not_shift_date_and_page() {
        let text = SAMPLE.replacen("经验的经验\n\n1952", "经验的经验\n1952", 1);
        let d = parse(&text);
        assert!(d.original.author.is_none());
        assert_eq!(d.original.date.as_ref().unwrap().line, 20);
        assert_eq!(d.original.page.as_ref().unwrap().line, 21);
        assert_eq!(d.original.paragraphs.len(), 4);
    }

    #[test]
    fn named_entities_are_a_glossary_not_paragraphs() {
        let text = SAMPLE.replacen(
            "\n\n\n<hr /> ",
            "\n\n**Named Entities**\n\n经济\tEconomy\n人民日报   People's Daily\n\n<hr /> ",
            1,
        );
        let d = parse(&text);
        let g = d.translation.glossary.as_ref().expect("glossary");
        assert_eq!(g.entries.len(), 2);
        assert_eq!(s(&text, &g.entries[1].term), "人民日报");
        assert_eq!(s(&text, &g.entries[1].translation), "People's Daily");
        assert_eq!(d.translation.paragraphs.len(), 4);
    }

    #[test]
    fn each_part_is_found_by_its_own_line() {
        let text = SAMPLE.replacen("<hr /> \n", "\n", 1);
        let d = parse(&text);
        assert_eq!((d.separator, d.marker), (None, Some(16)));
        assert_eq!(d.original.paragraphs.len(), 4);
        assert_eq!(d.english_last_line, Some(10));

        let text = SAMPLE.replacen("Original: \n", "\n", 1);
        let d = parse(&text);
        assert_eq!((d.separator, d.marker), (Some(14), None));
        assert!(d.original.title.is_some());
    }

    #[test]
    fn stray_text_and_merged_chunks() {
        let text = format!(
            "stray\n{}",
            SAMPLE.replacen("Original: \n", "Original: \nnote\n", 1)
        );
        let d = parse(&text);
        let places: Vec<_> = d.strays.iter().map(|s| (s.first, s.place)).collect();
        assert_eq!(
            places,
            [
                (0, StrayPlace::BeforeHeader),
                (18, StrayPlace::BeforeOriginalTitle)
            ]
        );

        let merged = SAMPLE.replacen(
            "    In order",
            "<hr /> \n<h3>Part 2</h3>\nTitle: Again\n    In order",
            1,
        );
        let d = parse(&merged);
        assert_eq!(d.translation.debris, Some(9));
        assert_eq!(d.separator, Some(17));
    }

    #[test]
    fn a_typo_key_on_line_one_belongs_to_the_header() {
        let text = SAMPLE.replacen("Title:", "Titel:", 1);
        let d = parse(&text);
        assert_eq!(d.header.fields[0].key, None);
        assert_eq!(d.header.fields.len(), 4);
    }

    #[test]
    fn key_shaped_body_lines_are_paragraphs() {
        let text = SAMPLE.replacen("    In order", "Question: how?\n    In order", 1);
        let d = parse(&text);
        assert_eq!(d.header.fields.len(), 4);
        assert_eq!(d.translation.paragraphs.len(), 5);
    }

    #[test]
    fn degenerate_inputs() {
        for text in [
            "",
            "\u{feff}",
            "\n\n",
            "\r",
            "### x",
            "Original: ",
            "<hr />",
        ] {
            let d = parse(text);
            assert!(d.translation.paragraphs.len() <= 1, "{text:?}");
        }
    }
}
