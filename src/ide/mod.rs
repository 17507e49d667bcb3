//! Editor features on the pure model, in byte ranges and own types (texlab style: one
//! module per feature). The LSP layer converts them to protocol types.

pub mod completion;
pub mod definition;
pub mod element;
pub mod folding;
pub mod highlight;
pub mod hover;
pub mod inlay;
pub mod links;
pub mod neighbours;
pub mod rename;
pub mod selection;
pub mod semantic_tokens;
pub mod symbols;

use crate::align::Alignment;
use crate::syntax::Document;

/// What every feature reads: the text, its model and its paragraph alignment (computed
/// once per text by the caller, since aligning a long document is not free).
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    pub text: &'a str,
    pub doc: &'a Document,
    pub alignment: &'a Alignment,
}

#[cfg(test)]
mod tests {
    use crate::syntax::parse;

    /// Every feature answers at every offset of odd texts without panicking, and every
    /// range it returns lies inside the text on character boundaries.
    #[test]
    fn every_offset_of_odd_texts() {
        let seed = include_str!("../../seeds/000_0d759123a74baf35.txt");
        let texts = [
            "",
            "\u{feff}",
            "\u{feff}Title: 𠮷\r\n\r\n**Named Entities**\n𠮷\t\n\n<hr />\rOriginal:\r### 𠮷\r\r1952-02-30\r第０版（）\r专栏：𠮷\r    𠮷",
            "### 标题\n1952-08-03\n第2版()\n专栏：\n    甲\n",
            "Original:\n<hr />\nOriginal:\n### \n",
            "**Named Entities**\n  \t \n<hr /> ",
            seed,
        ];
        for text in texts {
            let doc = parse(text);
            let alignment = crate::align::align(text, &doc);
            let view = super::View {
                text,
                doc: &doc,
                alignment: &alignment,
            };
            let ok = |s: &std::ops::Range<usize>| {
                assert!(s.start <= s.end && s.end <= text.len(), "{s:?} in {text:?}");
                assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            };
            for s in super::symbols::symbols(text, &doc) {
                ok(&s.span);
                s.children.iter().for_each(|c| ok(&c.span));
            }
            for l in super::links::links(view) {
                ok(&l.span);
            }
            for h in super::inlay::paragraph_hints(view) {
                assert!(h.offset <= text.len() && text.is_char_boundary(h.offset));
            }
            for offset in 0..=text.len() + 2 {
                if let Some(h) = super::hover::hover(view, offset) {
                    ok(&h.span);
                }
                if let Some(d) = super::definition::definition(view, offset) {
                    ok(&d.origin);
                    ok(&d.target);
                    ok(&d.target_selection);
                }
                for h in super::highlight::highlights(view, offset) {
                    ok(&h.span);
                }
            }
        }
    }
}
