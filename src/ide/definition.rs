//! Go to definition: from any element to its counterpart on the other side, so that one
//! key toggles between a translation and its original.

use super::element::{counterpart, element_at};
use crate::syntax::{Document, Span};

/// Where a definition request leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    /// The element the request was made on.
    pub origin: Span,
    /// Its counterpart's range.
    pub target: Span,
    /// The counterpart's 0-based line.
    pub target_line: usize,
}

/// The counterpart of the element at byte `offset`, if it has one.
pub fn definition(text: &str, doc: &Document, offset: usize) -> Option<Definition> {
    let at = element_at(doc, offset)?;
    let there = counterpart(text, doc, at.element).ok()?;
    Some(Definition {
        origin: at.span,
        target: there.span,
        target_line: there.line,
    })
}
