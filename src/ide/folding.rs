//! Folding ranges: the header, the translation, the Named Entities block and the original,
//! and each long paragraph.
//!
//! A paragraph is one physical line, so a long paragraph can only fold inside its line: its
//! fold starts after its first screen line or so and runs to the paragraph's end. Clients
//! that fold whole lines only (`lineFoldingOnly`, as VS Code and Neovim declare) cannot show
//! that; the LSP layer leaves such folds out for them.

use super::View;
use crate::syntax::Span;

/// What a fold is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoldKind {
    /// A part of the document (LSP's `region`).
    Section,
    /// The rest of a long paragraph after its first screen line.
    Paragraph,
}

/// One fold: lines `first_line ..= last_line`; for a fold inside a line, `span` is the
/// folded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fold {
    pub first_line: usize,
    pub last_line: usize,
    /// The folded byte range, for folds inside a line (`None`: whole lines).
    pub span: Option<Span>,
    pub kind: FoldKind,
    /// What a client may show for the folded part.
    pub collapsed_text: String,
}

/// A screen line, in terminal columns.
pub const SCREEN_COLUMNS: usize = 80;
/// A paragraph longer than this many screen lines gets a fold.
pub const LONG_PARAGRAPH_SCREEN_LINES: usize = 4;

/// A part of the document, by lines (inclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub name: &'static str,
    pub first_line: usize,
    pub last_line: usize,
    /// What a client may show for it folded.
    pub summary: String,
}

/// The document's parts in document order: Header, Translation (the column line and the
/// paragraphs), Named Entities, Original (from the marker to its last line). One-line parts
/// are included.
pub fn sections(doc: &crate::syntax::Document) -> Vec<Section> {
    let mut out = Vec::new();
    let mut push = |name, first: usize, last: usize, summary: String| {
        out.push(Section {
            name,
            first_line: first,
            last_line: last.max(first),
            summary,
        })
    };
    if let Some((first, last)) = doc.header.line_range() {
        push("Header", first, last, "Header".into());
    }
    let t = &doc.translation;
    let body_lines = t
        .column_line
        .iter()
        .map(|c| c.line)
        .chain(t.paragraphs.iter().map(|p| p.line));
    if let (Some(first), Some(last)) = (body_lines.clone().min(), body_lines.max()) {
        push(
            "Translation",
            first,
            last,
            format!("Translation: {} paragraphs", t.paragraphs.len()),
        );
    }
    if let Some(g) = &t.glossary {
        let last = g.entries.last().map_or(g.heading.line, |e| e.line);
        push(
            "Named Entities",
            g.heading.line,
            last,
            format!("Named Entities: {} entries", g.entries.len()),
        );
    }
    let o = &doc.original;
    let start = doc.marker.or(o.title.as_ref().map(|t| t.line));
    let last = o
        .paragraphs
        .last()
        .map(|p| p.line)
        .or(doc.original_header_last_line);
    if let (Some(first), Some(last)) = (start, last) {
        push(
            "Original",
            first,
            last,
            format!("Original: {} paragraphs", o.paragraphs.len()),
        );
    }
    out
}

/// Every fold of the document, sections first, then paragraphs, each in document order.
pub fn folds(view: View) -> Vec<Fold> {
    let View { text, doc, .. } = view;
    let mut out: Vec<Fold> = sections(doc)
        .into_iter()
        .filter(|s| s.last_line > s.first_line)
        .map(|s| Fold {
            first_line: s.first_line,
            last_line: s.last_line,
            span: None,
            kind: FoldKind::Section,
            collapsed_text: s.summary,
        })
        .collect();
    let (t, o) = (&doc.translation, &doc.original);
    for p in t.paragraphs.iter().chain(&o.paragraphs) {
        let s = &text[p.text.clone()];
        if !wider_than(s, SCREEN_COLUMNS * LONG_PARAGRAPH_SCREEN_LINES) {
            continue;
        }
        let cut = p.text.start + first_screen_line(s);
        out.push(Fold {
            first_line: p.line,
            last_line: p.line,
            span: Some(cut..p.text.end),
            kind: FoldKind::Paragraph,
            collapsed_text: "…".into(),
        });
    }
    out
}

/// Whether `s` is wider than `columns` terminal columns, reading no further than needed (a
/// character is never wider than its UTF-8 bytes, so short texts need no reading at all).
fn wider_than(s: &str, columns: usize) -> bool {
    if s.len() <= columns {
        return false;
    }
    let mut width = 0;
    s.chars().any(|c| {
        width += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        width > columns
    })
}

/// Where the first screen line of `s` ends: after the last blank within the first
/// [`SCREEN_COLUMNS`] columns (Chinese has none: there, the column itself).
fn first_screen_line(s: &str) -> usize {
    let mut width = 0;
    let mut last_blank = None;
    for (i, c) in s.char_indices() {
        width += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if width > SCREEN_COLUMNS {
            return last_blank.unwrap_or(i);
        }
        if c == ' ' {
            last_blank = Some(i + 1);
        }
    }
    s.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn sections_and_long_paragraphs_of_the_seed() {
        let text = include_str!("../../seeds/000_0d759123a74baf35.txt");
        let doc = parse(text);
        let alignment = crate::align::align(text, &doc);
        let f = folds(View {
            text,
            doc: &doc,
            alignment: &alignment,
        });
        let sections: Vec<(usize, usize)> = f
            .iter()
            .filter(|f| f.kind == FoldKind::Section)
            .map(|f| (f.first_line, f.last_line))
            .collect();
        // Header 0–3, translation 5–10, original 16–28 (FORMAT.md's anatomy).
        assert_eq!(sections, [(0, 3), (5, 10), (16, 28)]);
        let long: Vec<&Fold> = f.iter().filter(|f| f.kind == FoldKind::Paragraph).collect();
        assert!(!long.is_empty());
        for fold in long {
            let span = fold.span.clone().unwrap();
            assert!(text.is_char_boundary(span.start) && span.end > span.start);
            assert_eq!(fold.first_line, fold.last_line);
        }
    }
}
