//! Repairs as edits in byte ranges of the document text, shared by the server (code
//! actions, formatting) and the command line (`check --fix`, `fmt`).
//!
//! Nothing here knows of LSP: an [`Edit`] replaces a byte range of the text, and the
//! server converts it to a `TextEdit` at the edge.

pub mod format;
pub mod quick;

use crate::syntax::Span;

/// Replace the bytes of `span` with `new_text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub new_text: String,
}

impl Edit {
    /// An edit replacing `span` with `new_text`.
    pub fn new(span: Span, new_text: impl Into<String>) -> Edit {
        Edit {
            span,
            new_text: new_text.into(),
        }
    }

    /// The edit replacing `span` of `text` with `new`, trimmed of the characters both share
    /// at the start and the end (so a client's undo, cursor and marks move only where the
    /// text changes). Empty (an insertion of nothing) when they are equal.
    pub fn minimal(text: &str, span: Span, new: &str) -> Edit {
        let old = &text[span.clone()];
        let prefix: usize = old
            .chars()
            .zip(new.chars())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a.len_utf8())
            .sum();
        let suffix: usize = old[prefix..]
            .chars()
            .rev()
            .zip(new[prefix..].chars().rev())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a.len_utf8())
            .sum();
        Edit::new(
            span.start + prefix..span.end - suffix,
            &new[prefix..new.len() - suffix],
        )
    }

    /// Whether the edit changes nothing.
    pub fn is_noop(&self) -> bool {
        self.span.is_empty() && self.new_text.is_empty()
    }
}

/// Applies edits to `text`. The edits must not overlap (touching is fine); they may come
/// in any order. Returns `None` if two overlap or one is out of bounds or off a character
/// boundary, rather than produce a mangled text.
pub fn apply(text: &str, edits: &[Edit]) -> Option<String> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in sorted {
        let (s, t) = (e.span.start, e.span.end);
        if s < at
            || s > t
            || t > text.len()
            || !text.is_char_boundary(s)
            || !text.is_char_boundary(t)
        {
            return None;
        }
        out.push_str(&text[at..s]);
        out.push_str(&e.new_text);
        at = t;
    }
    out.push_str(&text[at..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_in_any_order_and_overlaps_are_refused() {
        let text = "abc def";
        let edits = [Edit::new(4..7, "XYZ"), Edit::new(0..1, "")];
        assert_eq!(apply(text, &edits).as_deref(), Some("bc XYZ"));
        assert_eq!(
            apply(text, &[Edit::new(0..3, ""), Edit::new(2..4, "")]),
            None
        );
        assert_eq!(apply("é", &[Edit::new(1..2, "")]), None);
        assert_eq!(apply("ab", &[Edit::new(1..9, "")]), None);
    }
}
