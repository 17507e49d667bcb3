//! Formatting: the canonical layout of an archive document, as minimal edits.
//!
//! The canonical form is the sample's: the header fields in the order Title, Author,
//! Date, Page, Column with no blank line inside, one blank line after the header (and after
//! the column line), English paragraphs indented with four spaces, before `<hr /> ` two or
//! three blank lines kept as they are (real files of 1967–68 have two) and any other count
//! made three, one blank line between `<hr /> ` and `Original: `, two after it, the
//! original's header lines unindented and one after another, one blank line after them, the
//! original's paragraphs in the file's own indentation convention (the `indentation`
//! fix's, `check::indent_convention`), no trailing whitespace (except the canonical
//! `<hr /> ` and `Original: `, one space each), one final line break.
//!
//! Only whitespace changes, and only where the layout says so: no word, no character of a
//! value, no order of paragraphs, no Named Entities entry (only its trailing whitespace).
//! Blank lines between English paragraphs and inside the Named Entities block are kept
//! (they group the text); whitespace-only lines are emptied. Line breaks stay as they are
//! (a line break added uses the file's own, so CRLF stays CRLF); a BOM is kept. A file
//! whose layout cannot be told for sure (a missing separator, marker or original title,
//! text where only blank lines belong) is left alone with the reason: [`NotFormatted`].

use super::Edit;
use crate::check::indent_convention;
use crate::syntax::{parse, Document, FieldKey, Side, Span, StrayPlace};
use std::borrow::Cow;
use std::fmt;

/// Why a file is left as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotFormatted {
    /// No `<hr />` line before the marker.
    MissingSeparator,
    /// No `Original:` line.
    MissingOriginalMarker,
    /// No `### ` title line after the marker.
    MissingOriginalTitle,
    /// Text where only blank lines belong, or merged-chunk debris (0-based line).
    StrayText { line: usize, place: StrayPlace },
    /// A line the layout has no place for (0-based): a parser case this module does not
    /// know, left alone rather than guessed at.
    Unplaced { line: usize },
}

impl fmt::Display for NotFormatted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotFormatted::MissingSeparator => {
                f.write_str("no `<hr />` separator line before `Original:`; add it first")
            }
            NotFormatted::MissingOriginalMarker => {
                f.write_str("no `Original:` marker line after the separator; add it first")
            }
            NotFormatted::MissingOriginalTitle => {
                f.write_str("no `### ` title line in the original; add it first")
            }
            NotFormatted::StrayText { line, place } => {
                let where_ = match place {
                    StrayPlace::BeforeHeader => "text before the header",
                    StrayPlace::BetweenSeparatorAndMarker => {
                        "text between `<hr />` and `Original:`"
                    }
                    StrayPlace::BeforeOriginalTitle => {
                        "text between `Original:` and the `### ` title"
                    }
                    StrayPlace::MergedChunk => "debris of a merged translation chunk",
                };
                write!(f, "{where_} on line {}; resolve it first", line + 1)
            }
            NotFormatted::Unplaced { line } => {
                write!(f, "line {} has no place in the layout", line + 1)
            }
        }
    }
}

impl std::error::Error for NotFormatted {}

/// What a line that stays is, for the blank lines around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Header,
    Column,
    /// An English paragraph, the Named Entities heading or one of its entries.
    English,
    Separator,
    Marker,
    /// The original's title, author (a blank one too), date, page and column lines.
    OriginalHead,
    OriginalParagraph,
}

/// How many blank lines a gap between two lines should have.
#[derive(Debug, Clone, Copy)]
enum Gap {
    Exactly(usize),
    /// As many as there are.
    Keep,
    /// Before the separator: two or three are kept, any other count becomes three.
    BeforeSeparator,
}

/// A line that stays, with its canonical content.
struct Anchor<'a> {
    line: usize,
    role: Role,
    /// Borrowed from the text when the line is canonical already (most are), so a large
    /// file is not copied.
    content: Cow<'a, str>,
}

/// The edits that give `text` its canonical layout: empty when it has it already, and
/// minimal (only the characters that change). Applying them to `text` with
/// [`super::apply`] gives a text that formats to no edits.
pub fn format(text: &str) -> Result<Vec<Edit>, NotFormatted> {
    let doc = parse(text);
    let anchors = anchors(text, &doc)?;
    let lines = &doc.lines;
    let eol = lines
        .iter()
        .find(|l| l.next > l.end)
        .map_or("\n", |l| &text[l.end..l.next]);
    let break_of = |l: &crate::syntax::Line| &text[l.end..l.next];

    // Each edit with its rank among edits at one position: blank lines before a line's
    // content, its content, then the final line break.
    let mut edits: Vec<(Edit, u8)> = Vec::new();
    // The line break before the current line once the edits are made. A blank line is
    // emptied, and a line break added, so that a `\n` never comes right after a `\r`:
    // the two would become one CRLF break and a line would vanish (mixed line breaks).
    let mut before = "";
    let title_only_head = doc.original.author.is_none()
        && doc.original_header_last_line == doc.original.title.as_ref().map(|t| t.line);
    let mut previous: Option<&Anchor> = None;
    for a in anchors.iter().map(Some).chain([None]) {
        let want = match (previous, a) {
            (None, _) | (_, None) => Gap::Exactly(0),
            (Some(p), Some(a)) => gap(p.role, a.role, title_only_head),
        };
        let from = previous.map_or(0, |p| p.line + 1);
        let to = a.map_or(lines.len(), |a| a.line);
        let next_start = a.map_or(text.len(), |a| lines[a.line].start);
        let have = to - from;
        let want = match want {
            Gap::Exactly(n) => n,
            Gap::Keep => have,
            Gap::BeforeSeparator if have == 2 || have == 3 => have,
            Gap::BeforeSeparator => 3,
        };
        for l in &lines[from..from + have.min(want)] {
            empty_blank(text, l, &mut before, &mut edits);
        }
        if have > want {
            edits.push((Edit::new(lines[from + want].start..next_start, ""), 0));
        } else if want > have {
            let added = if before.is_empty() { eol } else { before };
            edits.push((
                Edit::new(next_start..next_start, added.repeat(want - have)),
                0,
            ));
        }
        let Some(a) = a else { break };
        let l = &lines[a.line];
        if a.content.is_empty() {
            // The original's blank author line.
            empty_blank(text, l, &mut before, &mut edits);
        } else {
            let e = Edit::minimal(text, l.range(), &a.content);
            if !e.is_noop() {
                edits.push((e, 1));
            }
            before = break_of(l);
        }
        previous = Some(a);
    }
    if let Some(last) = anchors.last() {
        let l = &lines[last.line];
        if l.next == l.end {
            // The break of the line before, as for breaks added between lines.
            let added = last
                .line
                .checked_sub(1)
                .map(|i| break_of(&lines[i]))
                .filter(|b| !b.is_empty())
                .unwrap_or(eol);
            edits.push((Edit::new(text.len()..text.len(), added), 2));
        }
    }
    Ok(merge(edits))
}

/// Empties the blank line `l`, given the line break that will come before it, and sets
/// that to its own. Where `\r` would come right before its `\n` (mixed line breaks),
/// its break becomes a `\r` too, so that the two do not join into one CRLF break.
fn empty_blank<'t>(
    text: &'t str,
    l: &crate::syntax::Line,
    before: &mut &'t str,
    edits: &mut Vec<(Edit, u8)>,
) {
    let own = &text[l.end..l.next];
    if *before == "\r" && own == "\n" {
        edits.push((Edit::new(l.start..l.next, "\r"), 0));
        *before = "\r";
    } else {
        if l.end > l.start {
            edits.push((Edit::new(l.range(), ""), 0));
        }
        *before = own;
    }
}

/// The edits of [`format()`] that touch `range` (a byte range of `text`), for range
/// formatting. The header's reordering is all or nothing: its edits move lines, and a
/// part of them would lose one.
pub fn format_range(text: &str, range: Span) -> Result<Vec<Edit>, NotFormatted> {
    let edits = format(text)?;
    let doc = parse(text);
    let header = doc.header.line_range().map(|(first, last)| {
        let lines = &doc.lines;
        lines[first].start..lines[last].end
    });
    let touches = |s: &Span, r: &Span| s.start <= r.end && s.end >= r.start;
    let header_touched = header
        .as_ref()
        .is_some_and(|h| touches(h, &range) && edits.iter().any(|e| touches(&e.span, h)));
    Ok(edits
        .into_iter()
        .filter(|e| {
            touches(&e.span, &range)
                || (header_touched && header.as_ref().is_some_and(|h| touches(&e.span, h)))
        })
        .collect())
}

/// The blank lines wanted between a line of role `a` and the next line that stays, of
/// role `b`.
fn gap(a: Role, b: Role, title_only_head: bool) -> Gap {
    use Role::*;
    match (a, b) {
        (_, Separator) => Gap::BeforeSeparator,
        (Header, Header) => Gap::Exactly(0),
        (Header | Column, _) => Gap::Exactly(1),
        (Separator, Marker) => Gap::Exactly(1),
        (Marker, OriginalHead) => Gap::Exactly(2),
        // A blank line right after a lone title would become the original's author line.
        (OriginalHead, OriginalParagraph) if title_only_head => Gap::Keep,
        (OriginalHead, OriginalParagraph) => Gap::Exactly(1),
        _ => Gap::Keep,
    }
}

/// Every line that stays, in line order, with its canonical content; or why the file is
/// left alone.
fn anchors<'a>(text: &'a str, doc: &Document) -> Result<Vec<Anchor<'a>>, NotFormatted> {
    let Some(separator) = doc.separator else {
        return Err(NotFormatted::MissingSeparator);
    };
    let Some(marker) = doc.marker else {
        return Err(NotFormatted::MissingOriginalMarker);
    };
    let Some(title) = &doc.original.title else {
        return Err(NotFormatted::MissingOriginalTitle);
    };
    if let Some(s) = doc.strays.first() {
        return Err(NotFormatted::StrayText {
            line: s.first,
            place: s.place,
        });
    }
    let content = |line: usize| &text[doc.lines[line].range()];
    let s = |span: &Span| &text[span.clone()];
    let mut out = Vec::new();
    let mut push = |line: usize, role: Role, parts: &[&str]| {
        let current = content(line);
        let content = if is_concatenation(current, parts) {
            Cow::Borrowed(current)
        } else {
            Cow::Owned(parts.concat())
        };
        out.push(Anchor {
            line,
            role,
            content,
        })
    };

    // The header: known keys sorted into the places of known keys (stable, so a repeated
    // key stays after its first); unknown keys keep their places.
    let fields = &doc.header.fields;
    let mut known: Vec<&crate::syntax::HeaderField> =
        fields.iter().filter(|f| f.key.is_some()).collect();
    known.sort_by_key(|f| f.key.map_or(FieldKey::Column, |k| k));
    let mut sorted = known.into_iter();
    for f in fields {
        let placed = if f.key.is_some() {
            sorted.next().unwrap_or(f)
        } else {
            f
        };
        let key = s(&placed.key_span);
        let value = s(&placed.value);
        let gap = &text[placed.key_span.end + 1..placed.value.start];
        let colon = if gap.is_empty() || value.is_empty() {
            ":"
        } else {
            ": "
        };
        push(f.line, Role::Header, &[key, colon, value]);
    }

    let t = &doc.translation;
    let indent = indent_convention(text, &t.paragraphs, Side::Translation);
    if let Some(c) = &t.column_line {
        push(c.line, Role::Column, &[s(&c.text)]);
    }
    for p in &t.paragraphs {
        push(p.line, Role::English, &[indent, s(&p.text)]);
    }
    if let Some(g) = &t.glossary {
        push(g.heading.line, Role::English, &[s(&g.heading.text)]);
        for e in &g.entries {
            push(e.line, Role::English, &[content(e.line).trim_end()]);
        }
    }
    push(separator, Role::Separator, &["<hr /> "]);
    push(marker, Role::Marker, &["Original: "]);

    let o = &doc.original;
    let title_line = content(title.line).trim_end();
    let after_hashes = title_line.strip_prefix("###").unwrap_or(title_line);
    let rest = after_hashes.trim_start_matches([' ', '\t']);
    let title_parts = if title_line.starts_with("###")
        && !after_hashes.starts_with('#')
        && rest.len() < after_hashes.len()
        && !rest.is_empty()
    {
        ["### ", rest]
    } else {
        [title_line, ""]
    };
    push(title.line, Role::OriginalHead, &title_parts);
    if let Some(a) = &o.author {
        push(a.line, Role::OriginalHead, &[s(&a.text)]);
    }
    let head = [
        o.date.as_ref().map(|d| (d.line, &d.text)),
        o.page.as_ref().map(|p| (p.line, &p.text)),
        o.column.as_ref().map(|c| (c.line, &c.text)),
    ];
    for (line, span) in head.into_iter().flatten() {
        push(line, Role::OriginalHead, &[s(span)]);
    }
    let indent = indent_convention(text, &o.paragraphs, Side::Original);
    for p in &o.paragraphs {
        push(p.line, Role::OriginalParagraph, &[indent, s(&p.text)]);
    }

    out.sort_by_key(|a| a.line);
    // Every non-blank line must have its place, once; anything else is a case this
    // module does not know, and the file is left alone rather than rearranged.
    let mut placed = out.iter().map(|a| a.line).peekable();
    for (i, l) in doc.lines.iter().enumerate() {
        let is_placed = placed.peek() == Some(&i);
        if is_placed {
            placed.next();
            if placed.peek() == Some(&i) {
                return Err(NotFormatted::Unplaced { line: i });
            }
        } else if !crate::text::is_blank(&text[l.range()]) {
            return Err(NotFormatted::Unplaced { line: i });
        }
    }
    Ok(out)
}

/// Whether `s` is `parts` one after another (without building them).
fn is_concatenation(s: &str, parts: &[&str]) -> bool {
    let mut rest = s;
    for p in parts {
        match rest.strip_prefix(p) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.is_empty()
}

/// Sorts edits (those at one position by their rank) and joins those that touch, so that
/// no two share a position (an insertion where a replacement starts is one edit, in the
/// right order).
fn merge(mut edits: Vec<(Edit, u8)>) -> Vec<Edit> {
    edits.sort_by_key(|(e, rank)| (e.span.start, e.span.end, *rank));
    let mut out: Vec<Edit> = Vec::with_capacity(edits.len());
    for (e, _) in edits {
        match out.last_mut() {
            Some(last) if last.span.end == e.span.start => {
                last.span.end = e.span.end;
                last.new_text.push_str(&e.new_text);
            }
            _ => out.push(e),
        }
    }
    out
}

/// `text` in its canonical layout, or why it is left alone.
pub fn formatted(text: &str) -> Result<String, NotFormatted> {
    let edits = format(text)?;
    Ok(super::apply(text, &edits).expect("formatting edits are disjoint and on boundaries"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = include_str!("../../seeds/000_0d759123a74baf35.txt");

    fn fmt(text: &str) -> String {
        formatted(text).unwrap_or_else(|e| panic!("refused: {e}"))
    }

    #[test]
    fn the_sample_is_canonical() {
        assert_eq!(format(SAMPLE), Ok(vec![]));
        let crlf = SAMPLE.replace('\n', "\r\n");
        assert_eq!(format(&crlf), Ok(vec![]));
        assert_eq!(format(&format!("\u{feff}{SAMPLE}")), Ok(vec![]));
    }

    #[test]
    fn the_layout_is_restored() {
        let messy = SAMPLE
            .replacen("Author:\n", "Date: 1952-08-03\n\nAuthor:   \n", 1)
            .replacen("Date: 1952-08-03\nPage: 2\n", "Page:\t2\n", 1)
            .replacen("    Since", "\tSince", 1)
            .replacen("    In order", "In order", 1)
            .replacen(
                "\n\n\n<hr /> \n\nOriginal: \n\n\n",
                "\n<hr />\nOriginal:   \n",
                1,
            )
            .replacen("### ", "###  ", 1)
            .replacen("\n1952-08-03\n", "\n 1952-08-03 \n", 1)
            .replacen("专栏：经济生活简评\n\n", "专栏：经济生活简评\n", 1)
            .replacen("    为了", "\u{3000}\u{3000}为了", 1);
        let out = fmt(&messy);
        assert_eq!(out, SAMPLE);
        assert_eq!(format(&out), Ok(vec![]));
        // The same on CRLF, with a BOM, and without a final line break.
        let crlf = format!("\u{feff}{}", messy.replace('\n', "\r\n"));
        let crlf = crlf.trim_end_matches(['\r', '\n']);
        assert_eq!(
            fmt(crlf),
            format!("\u{feff}{}", SAMPLE.replace('\n', "\r\n"))
        );
    }

    #[test]
    fn two_blank_lines_before_the_separator_are_kept_others_become_three() {
        let two = SAMPLE.replacen("\n\n\n<hr />", "\n\n<hr />", 1);
        assert_eq!(format(&two), Ok(vec![]));
        for n in [0, 1, 4, 7] {
            let other = SAMPLE.replacen("\n\n\n<hr />", &format!("{}<hr />", "\n".repeat(n)), 1);
            assert_eq!(fmt(&other), SAMPLE, "{n} blank lines");
        }
    }

    #[test]
    fn an_original_in_ideographic_spaces_keeps_them() {
        let text = SAMPLE.replace("\n    ", "\n\u{3000}\u{3000}");
        let out = fmt(&text);
        // The English takes four spaces; the original keeps its own convention.
        assert!(out.contains("\n    Since the launch"));
        assert!(out.contains("\n\u{3000}\u{3000}全国性"));
        assert_eq!(format(&out), Ok(vec![]));
    }

    #[test]
    fn a_blank_line_added_before_a_reindented_line_comes_first() {
        let text = SAMPLE.replacen(
            "Page: 2\n\nEconomic Life Brief Commentary\n\n",
            "Page: 2\n",
            1,
        );
        let out = fmt(&text);
        assert!(out.contains("Page: 2\n\n    Experience in Timely"), "{out}");
        // And a separator at the very end gains its space before the final line break.
        let cut = &SAMPLE[..SAMPLE.find("<hr /> ").unwrap() + "<hr />".len()];
        assert_eq!(format(cut), Err(NotFormatted::MissingOriginalMarker));
    }

    #[test]
    fn mixed_line_breaks_never_join_into_one() {
        // `\r` then a whitespace-only line ending in `\n`: emptied, the two would be one
        // CRLF break and the blank line would vanish.
        let text = SAMPLE.replacen("Page: 2\n\n", "Page: 2\r  \n", 1);
        let out = fmt(&text);
        assert!(
            out.contains("Page: 2\r\rEconomic Life Brief Commentary\n"),
            "{out:?}"
        );
        assert_eq!(format(&out), Ok(vec![]));
    }

    #[test]
    fn edits_are_minimal() {
        let text = SAMPLE.replacen("    Since", "  Since", 1);
        let edits = format(&text).unwrap();
        let at = text.find("Since").unwrap();
        assert_eq!(edits, vec![Edit::new(at..at, "  ")]);
        let text = SAMPLE.replacen("Page: 2\n", "Page: 2   \n", 1);
        let at = text.find("2   \n").unwrap() + 1;
        assert_eq!(format(&text).unwrap(), vec![Edit::new(at..at + 3, "")]);
    }

    #[test]
    fn named_entities_and_body_blank_lines_are_kept() {
        let text = SAMPLE.replacen(
            "\n\n\n<hr /> ",
            "\n\n    Second part.\n\n\n**Named Entities**\n\n经济\tEconomy  \n\n  人民日报   People's Daily\n\n\n<hr /> ",
            1,
        );
        let out = fmt(&text);
        assert_eq!(out, text.replacen("Economy  \n", "Economy\n", 1));
    }

    #[test]
    fn unsure_layouts_are_left_alone() {
        let cases = [
            (
                SAMPLE.replacen("<hr /> \n", "\n", 1),
                NotFormatted::MissingSeparator,
            ),
            (
                SAMPLE.replacen("Original: \n", "\n", 1),
                NotFormatted::MissingOriginalMarker,
            ),
            (
                SAMPLE.replacen("### ", "", 1),
                NotFormatted::MissingOriginalTitle,
            ),
            (
                SAMPLE.replacen("Original: \n", "Original: \nnote\n", 1),
                NotFormatted::StrayText {
                    line: 17,
                    place: StrayPlace::BeforeOriginalTitle,
                },
            ),
        ];
        for (text, why) in cases {
            assert_eq!(format(&text), Err(why));
        }
    }

    #[test]
    fn header_order_moves_whole_lines_and_keeps_unknown_keys_in_place() {
        let text = SAMPLE.replacen(
            "Author:\nDate: 1952-08-03\nPage: 2\n",
            "Page: 2\nColour: red\nDate: 1952-08-03\nAuthor:\n",
            1,
        );
        let out = fmt(&text);
        assert!(out.starts_with(&format!(
            "{}\nAuthor:\nColour: red\nDate: 1952-08-03\nPage: 2\n\n",
            SAMPLE.lines().next().unwrap()
        )));
        assert_eq!(format(&out), Ok(vec![]));
    }

    #[test]
    fn range_formatting_touches_only_the_range() {
        let text = SAMPLE
            .replacen("    Since", "  Since", 1)
            .replacen("    全国", "  全国", 1);
        let at = text.find("Since").unwrap();
        let edits = format_range(&text, at..at + 5).unwrap();
        assert_eq!(edits, vec![Edit::new(at..at, "  ")]);
        assert_eq!(format(&text).unwrap().len(), 2);
    }
}
