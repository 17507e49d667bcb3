//! Hover: the counterpart of the hovered element, or a glossary entry. Over a sentence of
//! a paragraph, its counterpart sentence comes first (bold), then the whole counterpart
//! paragraph (or paragraphs, for a merged pair).

use super::element::{counterpart, element_at, sentence_pair, term_use_at, Element, Located, Side};
use super::View;
use crate::syntax::{Document, FieldKey, Span};
use std::ops::Range;

/// A hover's content and the range it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    /// Markdown.
    pub markdown: String,
    /// The hovered element's range.
    pub span: Span,
}

/// Text that, when a document holds it, makes [`hover`] panic; built only with the
/// `panic-trigger` feature so that the server's panic isolation can be tested.
#[cfg(feature = "panic-trigger")]
pub const PANIC_TRIGGER: &str = "ARCHIVE-LSP-PANIC-TRIGGER";

/// The hover at byte `offset`.
pub fn hover(view: View, offset: usize) -> Option<Hover> {
    let View { text, doc, .. } = view;
    #[cfg(feature = "panic-trigger")]
    if text.contains(PANIC_TRIGGER) {
        panic!("panic trigger hit in hover analysis");
    }

    if let Some(term) = term_use_at(text, doc, offset) {
        return glossary_hover(text, doc, term.entry, term.span);
    }
    let at = element_at(doc, offset)?;
    if let Element::GlossaryEntry(k) = at.element {
        return glossary_hover(text, doc, k, at.span);
    }
    let markdown = match counterpart(view, at.element) {
        Ok(there) => {
            let mut md = format!("**{}**\n\n", heading(view, &there));
            if let Some(pair) = sentence_pair(view, offset).filter(|p| !p.there.is_empty()) {
                let sentences: Vec<String> =
                    pair.there.iter().map(|s| quote(&text[s.clone()])).collect();
                md += &format!("**{}**\n\n", sentences.join(" "));
            }
            md += &paragraphs_of(view, &there);
            md
        }
        Err(why) => format!(
            "**{}**\n\nNo counterpart in the {}. {}",
            heading(view, &at),
            at.element.side().other().name().to_lowercase(),
            why.0
        ),
    };
    Some(Hover {
        markdown,
        span: at.span,
    })
}

/// The paragraphs of the bead that `there` (a counterpart) opens, each quoted, a blank line
/// between them; any other element's text, quoted.
fn paragraphs_of(view: View, there: &Located) -> String {
    let Element::Paragraph(side, k) = there.element else {
        return quote(view.text.get(there.span.clone()).unwrap_or(""));
    };
    let paragraphs = match side {
        Side::Translation => &view.doc.translation.paragraphs,
        Side::Original => &view.doc.original.paragraphs,
    };
    group(view, side, k)
        .filter_map(|j| paragraphs.get(j))
        .map(|p| quote(&view.text[p.text.clone()]))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The paragraphs of `side` aligned together with paragraph `k` (`k..k + 1` when alone).
fn group(view: View, side: Side, k: usize) -> Range<usize> {
    view.alignment
        .bead_of(side, k)
        .map(|b| b.side(side))
        .filter(|r| !r.is_empty())
        .unwrap_or(k..k + 1)
}

/// "Original ¶3 of 5", "Original ¶3–4 of 9" (a merged pair), "Translation Date", …
fn heading(view: View, at: &Located) -> String {
    let side = at.element.side().name();
    match at.element {
        Element::Paragraph(s, k) => {
            let total = match s {
                Side::Translation => view.doc.translation.paragraphs.len(),
                Side::Original => view.doc.original.paragraphs.len(),
            };
            format!("{side} {} of {total}", paragraph_numbers(group(view, s, k)))
        }
        Element::HeaderField(key) | Element::OriginalField(key) => {
            format!("{side} {}", key.name())
        }
        Element::ColumnLine => format!("{side} {}", FieldKey::Column.name()),
        Element::GlossaryEntry(_) => "Named Entities".to_string(),
    }
}

/// `¶3` for one paragraph, `¶3–4` for a group (1-based, as users count).
pub fn paragraph_numbers(r: Range<usize>) -> String {
    match r.len() {
        0 => "¶–".to_string(),
        1 => format!("¶{}", r.start + 1),
        _ => format!("¶{}–{}", r.start + 1, r.end),
    }
}

fn glossary_hover(text: &str, doc: &Document, k: usize, span: Span) -> Option<Hover> {
    let entry = doc.translation.glossary.as_ref()?.entries.get(k)?;
    let term = text.get(entry.term.clone()).unwrap_or("");
    let translation = text.get(entry.translation.clone()).unwrap_or("");
    let translation = if translation.is_empty() {
        "*(no translation given)*".to_string()
    } else {
        quote(translation)
    };
    Some(Hover {
        markdown: format!("**Named Entities**\n\n{} — {}", quote(term), translation),
        span,
    })
}

/// At most this many characters of a counterpart are shown (real paragraphs run to about
/// a thousand; a pathological one-line document must not make a megabyte hover).
const MAX_SHOWN: usize = 5000;

/// The text shown as-is: Markdown's special characters escaped, a blank shown as such.
fn quote(s: &str) -> String {
    if s.trim().is_empty() {
        return "*(blank)*".to_string();
    }
    let mut out = String::with_capacity(s.len().min(4 * MAX_SHOWN) + 8);
    for (i, c) in s.chars().enumerate() {
        if i == MAX_SHOWN {
            out.push_str(" …");
            break;
        }
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '{' | '}'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    const DOC: &str = "Title: T\nAuthor:\nDate: 1952-08-03\nPage: 2\n\n    a *b*\n    c\n\n**Named Entities**\n经济\tEconomy\n\n<hr /> \n\nOriginal: \n\n\n### 标题\n\n1952-08-03\n第2版()\n专栏：\n\n    甲经济\n";

    fn hover_at(text: &str, offset: usize) -> Hover {
        let doc = parse(text);
        let alignment = crate::align::align(text, &doc);
        let view = View {
            text,
            doc: &doc,
            alignment: &alignment,
        };
        hover(view, offset).unwrap()
    }

    fn at(needle: &str) -> Hover {
        hover_at(DOC, DOC.find(needle).unwrap())
    }

    #[test]
    fn paragraphs_both_ways() {
        let h = at("a *b*");
        assert!(
            h.markdown.starts_with("**Original ¶1 of 1**"),
            "{}",
            h.markdown
        );
        assert!(h.markdown.contains("甲经济"));
        assert_eq!(&DOC[h.span], "a *b*");
        // Whether `c` joins `a *b*` is the alignment's call (tests/lsp_alignment.rs
        // covers real merges): the hover follows it either way.
        let h = at("甲");
        assert!(h.markdown.starts_with("**Translation ¶1"), "{}", h.markdown);
        assert!(h.markdown.contains(r"a \*b\*"));
        let merged = h.markdown.starts_with("**Translation ¶1–2 of 2**");
        assert_eq!(merged, h.markdown.contains("\n\nc"), "{}", h.markdown);
        let h = at("    c");
        assert_eq!(
            h.markdown.starts_with("**Original ¶1 of 1**"),
            merged,
            "{}",
            h.markdown
        );
        let lone = DOC.replace("    甲经济\n", "");
        let h = hover_at(&lone, lone.find("    c").unwrap());
        assert!(h.markdown.contains("No counterpart in the original"));
    }

    #[test]
    fn fields_and_glossary() {
        let h = at("Date:");
        assert!(h.markdown.starts_with("**Original Date**"));
        let h = at("第2版");
        assert!(h.markdown.starts_with("**Translation Page**"));
        let h = hover_at(DOC, DOC.rfind("经济").unwrap());
        assert!(h.markdown.contains("Economy"), "{}", h.markdown);
        assert_eq!(&DOC[h.span], "经济");
    }
}
