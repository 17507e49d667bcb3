//! Inlay hints: before each paragraph, the number of its counterpart on the other side
//! (`¶3`, `¶3–4` for a merged pair, `¶–` for none), so the pairing is visible at a glance.

use super::hover::paragraph_numbers;
use super::View;
use crate::syntax::{Paragraph, Side};

/// A label shown before a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlayHint {
    /// Where the label stands: the start of the paragraph's text (after its indent).
    pub offset: usize,
    pub label: String,
    /// What the label means, in words.
    pub tooltip: String,
}

/// Hints for every paragraph of both sides whose text starts in `range` (byte offsets).
pub fn paragraph_hints_in(view: View, range: std::ops::Range<usize>) -> Vec<InlayHint> {
    let doc = view.doc;
    let sides = [
        (Side::Translation, &doc.translation.paragraphs),
        (Side::Original, &doc.original.paragraphs),
    ];
    let mut out = Vec::new();
    for (side, paragraphs) in sides {
        // Paragraphs are in text order: only those in the range are visited.
        let first = paragraphs.partition_point(|p: &Paragraph| p.text.start < range.start);
        for (k, p) in paragraphs.iter().enumerate().skip(first) {
            if p.text.start > range.end {
                break;
            }
            let there = view.alignment.counterpart(side, k);
            let other = side.other().name().to_lowercase();
            let tooltip = if there.is_empty() {
                format!("No counterpart in the {other}")
            } else {
                let verb = match side {
                    Side::Translation => "Translates",
                    Side::Original => "Translated by",
                };
                let whose = match side {
                    Side::Translation => "original",
                    Side::Original => "English",
                };
                format!("{verb} {whose} {}", paragraph_numbers(there.clone()))
            };
            out.push(InlayHint {
                offset: p.text.start,
                label: paragraph_numbers(there),
                tooltip,
            });
        }
    }
    out.sort_by_key(|h| h.offset);
    out
}

/// Hints for every paragraph of the document.
pub fn paragraph_hints(view: View) -> Vec<InlayHint> {
    paragraph_hints_in(view, 0..view.text.len())
}
