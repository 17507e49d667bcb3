//! Document highlights: with the cursor in a sentence, that sentence and its counterpart
//! sentence on the other side, so a reviewer sees both at once while moving through the
//! text.

use super::element::sentence_pair;
use super::View;
use crate::syntax::Span;

/// How a highlighted range relates to the cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HighlightKind {
    /// The sentence the cursor is in (LSP's `Read`).
    Here,
    /// Its counterpart on the other side (LSP's `Text`).
    Counterpart,
}

/// One highlighted range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Highlight {
    pub span: Span,
    pub kind: HighlightKind,
}

/// The highlights for the cursor at byte `offset`: none outside paragraphs that pair.
pub fn highlights(view: View, offset: usize) -> Vec<Highlight> {
    let Some(pair) = sentence_pair(view, offset) else {
        return Vec::new();
    };
    let mut out: Vec<Highlight> = pair
        .own
        .into_iter()
        .map(|span| Highlight {
            span,
            kind: HighlightKind::Here,
        })
        .collect();
    out.extend(pair.there.into_iter().map(|span| Highlight {
        span,
        kind: HighlightKind::Counterpart,
    }));
    out
}
