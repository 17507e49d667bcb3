//! Go to definition: from any element to its counterpart on the other side, so that one
//! key toggles between a translation and its original. From inside a sentence it lands on
//! the counterpart sentence.

use super::element::{counterpart, element_at, sentence_pair};
use super::View;
use crate::syntax::Span;

/// Where a definition request leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    /// The element the request was made on.
    pub origin: Span,
    /// Its counterpart's range (a merged pair's whole group of paragraphs).
    pub target: Span,
    /// What to select there: the counterpart sentences when the request was made inside a
    /// sentence that has some, else the whole target.
    pub target_selection: Span,
    /// The counterpart's 0-based line.
    pub target_line: usize,
}

/// The counterpart of the element at byte `offset`, if it has one.
pub fn definition(view: View, offset: usize) -> Option<Definition> {
    let at = element_at(view.doc, offset)?;
    let there = counterpart(view, at.element).ok()?;
    let target_selection = sentence_pair(view, offset)
        .and_then(|p| Some(p.there.first()?.start..p.there.last()?.end))
        .unwrap_or_else(|| there.span.clone());
    Some(Definition {
        origin: at.span,
        target: there.span,
        target_selection,
        target_line: there.line,
    })
}
