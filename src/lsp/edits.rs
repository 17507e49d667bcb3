//! The core's [`Edit`]s (byte ranges) as protocol `TextEdit`s, in the negotiated position
//! encoding. Shared by formatting and the quick fixes.

use super::position::{to_range, Encoding};
use crate::fix::Edit;
use ropey::Rope;
use tower_lsp_server::ls_types::TextEdit;

/// One edit of the document held in `rope` as a `TextEdit`.
pub fn text_edit(rope: &Rope, edit: &Edit, enc: Encoding) -> TextEdit {
    TextEdit {
        range: to_range(rope, &edit.span, enc),
        new_text: edit.new_text.clone(),
    }
}

/// Edits of one document as `TextEdit`s, in order.
pub fn text_edits(rope: &Rope, edits: &[Edit], enc: Encoding) -> Vec<TextEdit> {
    edits.iter().map(|e| text_edit(rope, e, enc)).collect()
}
