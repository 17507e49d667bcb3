//! The one mechanism behind hover, definition and links: which element stands at an
//! offset, and which element on the other side is its counterpart.
//!
//! Paragraph pairing is asked of [`crate::align`] only, so a better alignment changes every
//! feature at once.

use super::View;
use crate::align::{sentences, Alignment};
pub use crate::syntax::Side;
use crate::syntax::{Document, FieldKey, Span};

/// An element of the document that has (or should have) a counterpart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Element {
    /// An English header line with a known key (`Edition` is [`FieldKey::Page`]).
    HeaderField(FieldKey),
    /// The translated column written as its own line after the header.
    ColumnLine,
    /// One of the original's header lines: title, author, date, page (`第N版`), column.
    OriginalField(FieldKey),
    /// Paragraph `k` (0-based) of one side.
    Paragraph(Side, usize),
    /// Entry `k` (0-based) of the Named Entities glossary. It has no counterpart.
    GlossaryEntry(usize),
}

impl Element {
    /// The half of the document the element is in.
    pub fn side(self) -> Side {
        match self {
            Element::HeaderField(_) | Element::ColumnLine | Element::GlossaryEntry(_) => {
                Side::Translation
            }
            Element::OriginalField(_) => Side::Original,
            Element::Paragraph(side, _) => side,
        }
    }
}

/// An element with where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub element: Element,
    /// The element's range: a header line's content, a paragraph's text without indent, the
    /// title without `### `. Empty for a blank author line.
    pub span: Span,
    /// Its 0-based line.
    pub line: usize,
}

/// Why an element has no counterpart, in words for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoCounterpart(pub String);

/// The 0-based line holding byte `offset`: a line holds its content and its line break.
/// `None` past the last line (or in an empty document).
pub fn line_at(doc: &Document, offset: usize) -> Option<usize> {
    let i = doc.lines.partition_point(|l| l.start <= offset);
    // Offsets inside a leading BOM belong to line 0.
    let i = i.max(1) - 1;
    let l = doc.lines.get(i)?;
    // At the very end of a text ending in a line break, the offset is on the empty line
    // after the last one, which holds nothing.
    (offset < l.next || (offset == l.end && l.end == l.next)).then_some(i)
}

/// The element on `line`, if any.
pub fn element_on_line(doc: &Document, line: usize) -> Option<Located> {
    if let Some(f) = doc.header.fields.iter().find(|f| f.line == line) {
        return f.key.map(|key| Located {
            element: Element::HeaderField(key),
            span: f.span.clone(),
            line,
        });
    }
    let t = &doc.translation;
    if let Some(c) = t.column_line.as_ref().filter(|c| c.line == line) {
        return Some(Located {
            element: Element::ColumnLine,
            span: c.text.clone(),
            line,
        });
    }
    if let Some(k) = paragraph_on_line(&t.paragraphs, line) {
        return Some(Located {
            element: Element::Paragraph(Side::Translation, k),
            span: t.paragraphs[k].text.clone(),
            line,
        });
    }
    if let Some(g) = &t.glossary {
        if let Ok(k) = g.entries.binary_search_by_key(&line, |e| e.line) {
            return Some(Located {
                element: Element::GlossaryEntry(k),
                span: g.entries[k].term.start
                    ..g.entries[k].translation.end.max(g.entries[k].term.end),
                line,
            });
        }
    }
    let o = &doc.original;
    for key in [
        FieldKey::Title,
        FieldKey::Author,
        FieldKey::Date,
        FieldKey::Page,
        FieldKey::Column,
    ] {
        if let Some(found) = original_field(doc, key).filter(|f| f.line == line) {
            return Some(found);
        }
    }
    paragraph_on_line(&o.paragraphs, line).map(|k| Located {
        element: Element::Paragraph(Side::Original, k),
        span: o.paragraphs[k].text.clone(),
        line,
    })
}

/// The element at byte `offset`, if any.
pub fn element_at(doc: &Document, offset: usize) -> Option<Located> {
    element_on_line(doc, line_at(doc, offset)?)
}

fn paragraph_on_line(paragraphs: &[crate::syntax::Paragraph], line: usize) -> Option<usize> {
    paragraphs.binary_search_by_key(&line, |p| p.line).ok()
}

/// Where an element stands, if the document has it.
pub fn locate(doc: &Document, element: Element) -> Option<Located> {
    match element {
        Element::HeaderField(key) => doc.header.get(key).map(|f| Located {
            element,
            span: f.span.clone(),
            line: f.line,
        }),
        Element::ColumnLine => doc.translation.column_line.as_ref().map(|c| Located {
            element,
            span: c.text.clone(),
            line: c.line,
        }),
        Element::OriginalField(key) => original_field(doc, key),
        Element::Paragraph(side, k) => {
            let paragraphs = match side {
                Side::Translation => &doc.translation.paragraphs,
                Side::Original => &doc.original.paragraphs,
            };
            paragraphs.get(k).map(|p| Located {
                element,
                span: p.text.clone(),
                line: p.line,
            })
        }
        Element::GlossaryEntry(k) => {
            let e = doc.translation.glossary.as_ref()?.entries.get(k)?;
            Some(Located {
                element,
                span: e.term.start..e.translation.end.max(e.term.end),
                line: e.line,
            })
        }
    }
}

fn original_field(doc: &Document, key: FieldKey) -> Option<Located> {
    let o = &doc.original;
    let (span, line) = match key {
        FieldKey::Title => o.title.as_ref().map(|t| (t.text.clone(), t.line))?,
        FieldKey::Author => o.author.as_ref().map(|a| (a.text.clone(), a.line))?,
        FieldKey::Date => o.date.as_ref().map(|d| (d.text.clone(), d.line))?,
        FieldKey::Page => o.page.as_ref().map(|p| (p.text.clone(), p.line))?,
        FieldKey::Column => o.column.as_ref().map(|c| (c.text.clone(), c.line))?,
    };
    Some(Located {
        element: Element::OriginalField(key),
        span,
        line,
    })
}

/// The English element standing for the column: a non-empty `Column:` header, else the
/// column line, else an empty `Column:` header.
fn english_column(doc: &Document) -> Option<Located> {
    let header = locate(doc, Element::HeaderField(FieldKey::Column));
    let has_value = doc
        .header
        .get(FieldKey::Column)
        .is_some_and(|f| !f.value.is_empty());
    if has_value {
        return header;
    }
    locate(doc, Element::ColumnLine).or(header)
}

/// The counterpart of `element` on the other side, or why there is none. `alignment` is
/// `align(text, doc)`, passed in so that callers asking many times compute it once.
pub fn counterpart_with(
    text: &str,
    doc: &Document,
    alignment: &Alignment,
    element: Element,
) -> Result<Located, NoCounterpart> {
    let missing = |what: &str| Err(NoCounterpart(what.to_string()));
    match element {
        Element::HeaderField(FieldKey::Column) | Element::ColumnLine => {
            locate(doc, Element::OriginalField(FieldKey::Column))
                .map_or_else(|| missing("The original has no `专栏：` column line."), Ok)
        }
        Element::HeaderField(key) => {
            locate(doc, Element::OriginalField(key)).map_or_else(|| missing(&no_original(key)), Ok)
        }
        Element::OriginalField(FieldKey::Column) => match english_column(doc) {
            Some(found) => Ok(found),
            None if original_column_value(text, doc).is_empty() => {
                missing("The original's `专栏：` line names no column.")
            }
            None if original_column_is_title(text, doc) => missing(
                "The original's column equals or begins its title, so the title stands for it \
                 and no English column is written.",
            ),
            None => {
                missing("The translation has no column: no `Column:` header and no column line.")
            }
        },
        Element::OriginalField(key) => locate(doc, Element::HeaderField(key)).map_or_else(
            || {
                missing(&format!(
                    "The English header has no `{}:` line.",
                    key.name()
                ))
            },
            Ok,
        ),
        Element::Paragraph(side, k) => {
            let (own, other) = match side {
                Side::Translation => (
                    doc.translation.paragraphs.len(),
                    doc.original.paragraphs.len(),
                ),
                Side::Original => (
                    doc.original.paragraphs.len(),
                    doc.translation.paragraphs.len(),
                ),
            };
            let there = alignment.counterpart(side, k);
            if !there.is_empty() {
                // A merged pair: the whole group, from its first paragraph to its last.
                let first = locate(doc, Element::Paragraph(side.other(), there.start));
                let last = locate(doc, Element::Paragraph(side.other(), there.end - 1));
                return match (first, last) {
                    (Some(first), Some(last)) => Ok(Located {
                        span: first.span.start..last.span.end,
                        ..first
                    }),
                    _ => Err(NoCounterpart("The paired paragraph is missing.".into())),
                };
            }
            if other == 0 {
                return Err(NoCounterpart(format!(
                    "The {} has no paragraphs.",
                    side.other().name().to_lowercase()
                )));
            }
            Err(NoCounterpart(format!(
                "The {} has {own} paragraphs and the {} {other}: ¶{} has no partner.",
                side.name().to_lowercase(),
                side.other().name().to_lowercase(),
                k + 1
            )))
        }
        Element::GlossaryEntry(_) => {
            missing("A Named Entities entry is a glossary line, not a translated element.")
        }
    }
}

/// [`counterpart_with`] for a view.
pub fn counterpart(view: View, element: Element) -> Result<Located, NoCounterpart> {
    counterpart_with(view.text, view.doc, view.alignment, element)
}

/// The sentences around an offset in a paragraph and their counterparts on the other side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentencePair {
    /// The side of the paragraph the offset is in.
    pub side: Side,
    /// The sentence at the offset, with any sentences aligned together with it.
    pub own: Vec<Span>,
    /// Their counterpart sentences on the other side (empty when none).
    pub there: Vec<Span>,
}

/// The sentence pair at byte `offset`, when it is inside a sentence of a paragraph that
/// has a counterpart (from the sentence alignment of the paragraph's bead).
pub fn sentence_pair(view: View, offset: usize) -> Option<SentencePair> {
    let at = element_at(view.doc, offset)?;
    let Element::Paragraph(side, k) = at.element else {
        return None;
    };
    let bead = view.alignment.bead_of(side, k)?;
    if !bead.is_pair() {
        return None;
    }
    let (own, there) = sentences(view.text, view.doc, bead).at(side, offset)?;
    Some(SentencePair { side, own, there })
}

fn no_original(key: FieldKey) -> String {
    match key {
        FieldKey::Title => "The original has no `### ` title line.".into(),
        FieldKey::Author => "The original has no author line after its title.".into(),
        FieldKey::Date => "The original has no date line.".into(),
        FieldKey::Page => "The original has no `第N版(…)` page line.".into(),
        FieldKey::Column => "The original has no `专栏：` column line.".into(),
    }
}

/// The original's column value (empty when none).
fn original_column_value<'t>(text: &'t str, doc: &Document) -> &'t str {
    doc.original
        .column
        .as_ref()
        .and_then(|c| text.get(c.value.clone()))
        .unwrap_or("")
}

/// Whether the original's column equals or begins its title (FORMAT.md: the title then
/// stands for it).
fn original_column_is_title(text: &str, doc: &Document) -> bool {
    let title = doc
        .original
        .title
        .as_ref()
        .and_then(|t| text.get(t.text.clone()))
        .unwrap_or("");
    title.starts_with(original_column_value(text, doc))
}

/// A use of a Named Entities term (or its translation) at an offset in a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermUse {
    /// The glossary entry (0-based).
    pub entry: usize,
    /// The occurrence in the text.
    pub span: Span,
}

/// The glossary term (in the original) or its translation (in the English) that covers
/// `offset` inside a paragraph, if any.
pub fn term_use_at(text: &str, doc: &Document, offset: usize) -> Option<TermUse> {
    let glossary = doc.translation.glossary.as_ref()?;
    let at = element_at(doc, offset)?;
    let Element::Paragraph(side, _) = at.element else {
        return None;
    };
    let para = text.get(at.span.clone())?;
    let rel = offset.checked_sub(at.span.start)?;
    glossary.entries.iter().enumerate().find_map(|(k, e)| {
        let needle = match side {
            Side::Original => text.get(e.term.clone())?,
            Side::Translation => text.get(e.translation.clone())?,
        };
        if needle.trim().is_empty() {
            return None;
        }
        para.match_indices(needle)
            .map(|(i, m)| i..i + m.len())
            .find(|r| r.start <= rel && rel < r.end)
            .map(|r| TermUse {
                entry: k,
                span: at.span.start + r.start..at.span.start + r.end,
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    const DOC: &str = "Title: T\nAuthor:\nDate: 1952-08-03\nPage: 2\n\n    a\n    b\n\n<hr /> \n\nOriginal: \n\n\n### 标题\n\n1952-08-03\n第2版()\n专栏：\n\n    甲\n";

    fn counterpart(text: &str, doc: &Document, element: Element) -> Result<Located, NoCounterpart> {
        counterpart_with(text, doc, &crate::align::align(text, doc), element)
    }

    #[test]
    fn fields_and_paragraphs_toggle() {
        let doc = parse(DOC);
        let date = element_on_line(&doc, 2).unwrap();
        assert_eq!(date.element, Element::HeaderField(FieldKey::Date));
        let there = counterpart(DOC, &doc, date.element).unwrap();
        assert_eq!(there.line, 15);
        assert_eq!(counterpart(DOC, &doc, there.element).unwrap().line, 2);
        let a = element_on_line(&doc, 5).unwrap();
        assert_eq!(counterpart(DOC, &doc, a.element).unwrap().line, 19);
        // Whether the second tiny English paragraph joins the first is the alignment's
        // call (tests/lsp_alignment.rs covers real merges); the answer follows it.
        let b = element_on_line(&doc, 6).unwrap();
        let paired = !crate::align::align(DOC, &doc)
            .counterpart(Side::Translation, 1)
            .is_empty();
        match counterpart(DOC, &doc, b.element) {
            Ok(there) => assert!(paired && there.line == 19),
            Err(why) => assert!(!paired && why.0.contains("¶2"), "{why:?}"),
        }
        let lone = DOC.replace("    甲\n", "");
        let doc = parse(&lone);
        let a = element_on_line(&doc, 5).unwrap();
        assert!(counterpart(&lone, &doc, a.element)
            .unwrap_err()
            .0
            .contains("no paragraphs"));
    }

    #[test]
    fn offsets_past_the_end_have_no_element() {
        let doc = parse(DOC);
        assert!(element_at(&doc, DOC.len() + 10).is_none());
        assert!(element_at(&parse(""), 0).is_none());
    }
}
