//! Paragraph pairing between the translation and the original.
//!
//! Every feature that needs a paragraph's counterpart (hover, definition, the
//! paragraph-count check) asks this one module, so a better alignment changes them all.

use crate::syntax::Document;

/// Which paragraph on the other side each paragraph pairs with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alignment {
    /// For English paragraph k, the index of its original paragraph.
    pub english_to_original: Vec<Option<usize>>,
    /// For original paragraph k, the index of its English paragraph.
    pub original_to_english: Vec<Option<usize>>,
}

/// Pairs paragraph k with paragraph k; the longer side's surplus has no partner.
pub fn align(doc: &Document) -> Alignment {
    let en = doc.translation.paragraphs.len();
    let cn = doc.original.paragraphs.len();
    let partner = |k: usize, other: usize| (k < other).then_some(k);
    Alignment {
        english_to_original: (0..en).map(|k| partner(k, cn)).collect(),
        original_to_english: (0..cn).map(|k| partner(k, en)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surplus_has_no_partner() {
        let doc = crate::syntax::parse(
            "Title: T\n\n    a\n    b\n\n<hr /> \n\nOriginal: \n\n\n### 标题\n\n1952-08-03\n第2版()\n专栏：\n\n    甲\n",
        );
        let a = align(&doc);
        assert_eq!(a.english_to_original, vec![Some(0), None]);
        assert_eq!(a.original_to_english, vec![Some(0)]);
    }
}
