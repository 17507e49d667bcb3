//! Editor features on the pure model, in byte ranges and own types (texlab style: one
//! module per feature). The LSP layer converts them to protocol types.

pub mod definition;
pub mod element;
pub mod hover;
pub mod links;
pub mod symbols;

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
            let ok = |s: &std::ops::Range<usize>| {
                assert!(s.start <= s.end && s.end <= text.len(), "{s:?} in {text:?}");
                assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            };
            for s in super::symbols::symbols(text, &doc) {
                ok(&s.span);
                s.children.iter().for_each(|c| ok(&c.span));
            }
            for l in super::links::links(text, &doc) {
                ok(&l.span);
            }
            for offset in 0..=text.len() + 2 {
                if let Some(h) = super::hover::hover(text, &doc, offset) {
                    ok(&h.span);
                }
                if let Some(d) = super::definition::definition(text, &doc, offset) {
                    ok(&d.origin);
                    ok(&d.target);
                }
            }
        }
    }
}
