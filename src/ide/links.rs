//! Document links: the header keys and the column line lead to their counterparts in the
//! original. The LSP layer turns the target line into `<document URI>#L<line>`.

use super::element::{counterpart_with, Element};
use super::View;
use crate::syntax::Span;

/// The tooltip of every link.
pub const TOOLTIP: &str = "Go to original";

/// A link from a range of the document to a line of the same document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub span: Span,
    /// The 0-based target line.
    pub target_line: usize,
    pub tooltip: &'static str,
}

/// Every link of the document, in document order.
pub fn links(view: View) -> Vec<Link> {
    let View { text, doc, .. } = view;
    let mut out = Vec::new();
    let mut push = |span: Span, element: Element| {
        if let Ok(there) = counterpart_with(text, doc, view.alignment, element) {
            out.push(Link {
                span,
                target_line: there.line,
                tooltip: TOOLTIP,
            });
        }
    };
    for field in &doc.header.fields {
        if let Some(key) = field.key {
            push(field.key_span.clone(), Element::HeaderField(key));
        }
    }
    if let Some(c) = &doc.translation.column_line {
        push(c.text.clone(), Element::ColumnLine);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_link_to_the_original() {
        let text = "Title: T\nAuthor:\nDate: 1952-08-03\nEdition: 2\n\nCol\n\n    a\n\n<hr /> \n\nOriginal: \n\n\n### 标题\n\n1952-08-03\n第2版()\n专栏：栏目\n\n    甲\n";
        let doc = crate::syntax::parse(text);
        let alignment = crate::align::align(text, &doc);
        let view = View {
            text,
            doc: &doc,
            alignment: &alignment,
        };
        let got: Vec<(&str, usize)> = links(view)
            .iter()
            .map(|l| (&text[l.span.clone()], l.target_line))
            .collect();
        assert_eq!(
            got,
            [
                ("Title", 14),
                ("Author", 15),
                ("Date", 16),
                ("Edition", 17),
                ("Col", 18)
            ]
        );
    }
}
