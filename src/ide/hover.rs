//! Hover: the counterpart of the hovered element, or a glossary entry.

use super::element::{counterpart, element_at, term_use_at, Element, Located, Side};
use crate::syntax::{Document, FieldKey, Span};

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

/// The hover at byte `offset` of `text` (parsed as `doc`).
pub fn hover(text: &str, doc: &Document, offset: usize) -> Option<Hover> {
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
    let markdown = match counterpart(text, doc, at.element) {
        Ok(there) => format!(
            "**{}**\n\n{}",
            heading(doc, &there),
            quote(text.get(there.span.clone()).unwrap_or(""))
        ),
        Err(why) => format!(
            "**{}**\n\nNo counterpart in the {}. {}",
            heading(doc, &at),
            at.element.side().other().name().to_lowercase(),
            why.0
        ),
    };
    Some(Hover {
        markdown,
        span: at.span,
    })
}

/// "Original ¶3 of 5", "Translation Date", …: which element this is.
fn heading(doc: &Document, at: &Located) -> String {
    let side = at.element.side().name();
    match at.element {
        Element::Paragraph(s, k) => {
            let total = match s {
                Side::Translation => doc.translation.paragraphs.len(),
                Side::Original => doc.original.paragraphs.len(),
            };
            format!("{side} ¶{} of {total}", k + 1)
        }
        Element::HeaderField(key) | Element::OriginalField(key) => {
            format!("{side} {}", key.name())
        }
        Element::ColumnLine => format!("{side} {}", FieldKey::Column.name()),
        Element::GlossaryEntry(_) => "Named Entities".to_string(),
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

    fn at(needle: &str) -> Hover {
        let doc = parse(DOC);
        hover(DOC, &doc, DOC.find(needle).unwrap()).unwrap()
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
        let h = at("甲");
        assert!(h.markdown.starts_with("**Translation ¶1 of 2**"));
        assert!(h.markdown.contains(r"a \*b\*"));
        let h = at("    c");
        assert!(h.markdown.contains("No counterpart in the original"));
    }

    #[test]
    fn fields_and_glossary() {
        let h = at("Date:");
        assert!(h.markdown.starts_with("**Original Date**"));
        let h = at("第2版");
        assert!(h.markdown.starts_with("**Translation Page**"));
        let doc = parse(DOC);
        let h = hover(DOC, &doc, DOC.rfind("经济").unwrap()).unwrap();
        assert!(h.markdown.contains("Economy"), "{}", h.markdown);
        assert_eq!(&DOC[h.span], "经济");
    }
}
