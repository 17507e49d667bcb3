//! The outline: header, translation, Named Entities and original, each with its parts.

use crate::syntax::{Document, FieldKey, Paragraph, Span};

/// What kind of outline entry a symbol is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    /// A part of the document: Header, Translation, Named Entities, Original.
    Section,
    /// A header field or an original header line.
    Field,
    Paragraph,
    /// A Named Entities entry.
    Entry,
}

/// One outline entry. A parent's range covers its children's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    /// Never empty (editors reject empty names).
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole element.
    pub span: Span,
    /// The part to highlight when the symbol is picked, inside `span`.
    pub selection: Span,
    pub children: Vec<Symbol>,
}

/// About this many characters of a paragraph name it.
const NAME_CHARS: usize = 40;
/// At most about this many characters of a value make a symbol's detail.
const DETAIL_CHARS: usize = 120;

/// The document's outline, in document order.
pub fn symbols(text: &str, doc: &Document) -> Vec<Symbol> {
    let leaf = |name: String, detail: Option<String>, kind, span: Span| Symbol {
        name,
        detail,
        kind,
        selection: span.clone(),
        span,
        children: Vec::new(),
    };
    // Details are excerpts too: a pathological 10 MB header value must not become a
    // 10 MB outline.
    let value = |span: &Span| excerpt_of(text.get(span.clone()).unwrap_or(""), DETAIL_CHARS);
    let paragraph = |k: usize, p: &Paragraph| {
        leaf(
            format!(
                "¶{} {}",
                k + 1,
                excerpt(text.get(p.text.clone()).unwrap_or(""))
            ),
            None,
            SymbolKind::Paragraph,
            p.text.clone(),
        )
    };
    let line_span = |line: usize| doc.lines.get(line).map_or(0..0, |l| l.range());
    let mut out = Vec::new();

    let header: Vec<Symbol> = doc
        .header
        .fields
        .iter()
        .map(|f| {
            let name = text.get(f.key_span.clone()).unwrap_or("").to_string();
            let v = value(&f.value);
            leaf(name, Some(v), SymbolKind::Field, f.span.clone())
        })
        .collect();
    out.extend(section("Header", None, header));

    let t = &doc.translation;
    let mut translation = Vec::new();
    if let Some(c) = &t.column_line {
        translation.push(leaf(
            FieldKey::Column.name().into(),
            Some(value(&c.text)),
            SymbolKind::Field,
            c.text.clone(),
        ));
    }
    translation.extend(
        t.paragraphs
            .iter()
            .enumerate()
            .map(|(k, p)| paragraph(k, p)),
    );
    out.extend(section("Translation", None, translation));

    if let Some(g) = &t.glossary {
        let entries = g
            .entries
            .iter()
            .map(|e| {
                let span = e.term.start..e.translation.end.max(e.term.end);
                let mut s = leaf(
                    value(&e.term),
                    Some(value(&e.translation)),
                    SymbolKind::Entry,
                    span,
                );
                s.selection = e.term.clone();
                s
            })
            .collect();
        out.extend(section(
            "Named Entities",
            Some(g.heading.text.clone()),
            entries,
        ));
    }

    let o = &doc.original;
    let mut original = Vec::new();
    if let Some(x) = &o.title {
        original.push(leaf(
            "Title".into(),
            Some(value(&x.text)),
            SymbolKind::Field,
            x.text.clone(),
        ));
    }
    if let Some(x) = &o.author {
        original.push(leaf(
            "Author".into(),
            Some(value(&x.text)),
            SymbolKind::Field,
            x.text.clone(),
        ));
    }
    if let Some(x) = &o.date {
        original.push(leaf(
            "Date".into(),
            Some(value(&x.text)),
            SymbolKind::Field,
            x.text.clone(),
        ));
    }
    if let Some(x) = &o.page {
        original.push(leaf(
            "Page".into(),
            Some(value(&x.text)),
            SymbolKind::Field,
            x.text.clone(),
        ));
    }
    if let Some(x) = &o.column {
        original.push(leaf(
            "Column".into(),
            Some(value(&x.value)),
            SymbolKind::Field,
            x.text.clone(),
        ));
    }
    original.extend(
        o.paragraphs
            .iter()
            .enumerate()
            .map(|(k, p)| paragraph(k, p)),
    );
    out.extend(section("Original", doc.marker.map(line_span), original));
    out
}

/// At most this many children per section; one last entry stands for the rest. Without a
/// cap a document of 100,000 paragraphs has an outline of 100,000 entries, which the
/// protocol layer holds as a JSON tree of about 6 KB per entry (600 MB, seconds per request
/// with every other message waiting), and no editor shows such an outline usefully anyway.
pub const MAX_OUTLINE_CHILDREN: usize = 1000;

/// A section around its children (and its own heading line, if any); `None` if empty.
/// Children past [`MAX_OUTLINE_CHILDREN`] are folded into one entry covering them.
fn section(name: &str, heading: Option<Span>, mut children: Vec<Symbol>) -> Option<Symbol> {
    let spans = heading.iter().chain(children.iter().map(|c| &c.span));
    let start = spans.clone().map(|s| s.start).min()?;
    let end = spans.map(|s| s.end).max()?;
    if children.len() > MAX_OUTLINE_CHILDREN {
        let hidden = children.split_off(MAX_OUTLINE_CHILDREN);
        let (first, last) = (&hidden[0], &hidden[hidden.len() - 1]);
        children.push(Symbol {
            name: format!(
                "… {} more not shown (the outline lists at most {MAX_OUTLINE_CHILDREN} per entry)",
                hidden.len()
            ),
            detail: None,
            kind: first.kind,
            span: first.span.start..last.span.end.max(first.span.end),
            selection: first.selection.clone(),
            children: Vec::new(),
        });
    }
    Some(Symbol {
        name: name.to_string(),
        detail: None,
        kind: SymbolKind::Section,
        selection: heading.unwrap_or(start..start),
        span: start..end,
        children,
    })
}

/// The first [`NAME_CHARS`] or so characters, cut at a word where one is near.
fn excerpt(s: &str) -> String {
    excerpt_of(s, NAME_CHARS)
}

/// The first `chars` or so characters of `s`, cut at a word where one is near.
fn excerpt_of(s: &str, chars: usize) -> String {
    let s = s.trim();
    match s.char_indices().nth(chars) {
        None => s.to_string(),
        Some((cut, _)) => {
            let head = &s[..cut];
            // Prefer a word break in the last quarter; Chinese has none and is cut as is.
            let at = head.rfind(' ').filter(|&i| i >= cut * 3 / 4).unwrap_or(cut);
            format!("{}…", head[..at].trim_end())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outline_of_the_seed() {
        let text = include_str!("../../seeds/000_0d759123a74baf35.txt");
        let doc = crate::syntax::parse(text);
        let syms = symbols(text, &doc);
        let names: Vec<&str> = syms.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Header", "Translation", "Original"]);
        assert_eq!(syms[0].children.len(), 4);
        assert_eq!(syms[1].children[0].name, "Column");
        assert!(syms[1].children[1]
            .name
            .starts_with("¶1 Experience in Timely"));
        assert_eq!(syms[2].children.len(), 5 + 4);
        for s in &syms {
            for c in &s.children {
                assert!(s.span.start <= c.span.start && c.span.end <= s.span.end);
                assert!(!c.name.is_empty());
            }
        }
    }
}
