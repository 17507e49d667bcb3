//! Positions: negotiating the encoding (LSP 3.17 `general.positionEncodings`) and
//! converting between byte offsets and protocol positions, exactly, on a rope whose lines
//! are LSP's lines (`\n`, `\r\n`, `\r`).
//!
//! Conversions never fail: a character past the end of a line means the end of that line
//! (LSP's rule), a line past the end of the document means the document's end, and a
//! position inside a character (a UTF-16 surrogate pair, a UTF-8 sequence) is taken as the
//! character boundary before it.

use ropey::Rope;
use std::ops::Range;
use tower_lsp_server::ls_types::{Position, PositionEncodingKind};

/// What a position's `character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units: LSP's default.
    #[default]
    Utf16,
    /// Unicode scalar values.
    Utf32,
}

impl Encoding {
    /// The protocol's name for it.
    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }
}

/// Picks the encoding from what the client offers: utf-8 if offered (no conversion on
/// our side), else utf-16 (which every client must speak, also when it says nothing),
/// utf-32 only when it is all that is offered.
pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
    let offered = offered.unwrap_or(&[]);
    let has = |k: &PositionEncodingKind| offered.iter().any(|o| o == k);
    if has(&PositionEncodingKind::UTF8) {
        Encoding::Utf8
    } else if has(&PositionEncodingKind::UTF16) || offered.is_empty() {
        Encoding::Utf16
    } else if has(&PositionEncodingKind::UTF32) {
        Encoding::Utf32
    } else {
        // Only unknown encodings offered: LSP says utf-16 is always supported.
        Encoding::Utf16
    }
}

/// The char range of line `line`'s content (without its line break).
fn line_chars(rope: &Rope, line: usize) -> Range<usize> {
    let start = rope.line_to_char(line);
    let mut end = rope.line_to_char(line + 1);
    if line + 1 < rope.len_lines() {
        // Every line but the last ends with a break: `\n`, `\r` or `\r\n`.
        end -= 1;
        if end > start && rope.char(end) == '\n' && rope.char(end - 1) == '\r' {
            end -= 1;
        }
    }
    start..end
}

/// The byte offset of `pos`.
pub fn to_offset(rope: &Rope, pos: Position, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let chars = line_chars(rope, line);
    let character = pos.character as usize;
    let char_idx = match enc {
        Encoding::Utf8 => {
            let start = rope.char_to_byte(chars.start);
            let end = rope.char_to_byte(chars.end);
            // byte_to_char rounds down into the character the byte belongs to.
            rope.byte_to_char(start.saturating_add(character).min(end))
        }
        Encoding::Utf16 => {
            let start = rope.char_to_utf16_cu(chars.start);
            let end = rope.char_to_utf16_cu(chars.end);
            // Inside a surrogate pair, ropey answers the char it belongs to: the boundary before.
            rope.utf16_cu_to_char(start.saturating_add(character).min(end))
        }
        Encoding::Utf32 => chars.start.saturating_add(character).min(chars.end),
    };
    rope.char_to_byte(char_idx)
}

/// The position of byte `offset` (clamped to the text, rounded down to a character).
pub fn to_position(rope: &Rope, offset: usize, enc: Encoding) -> Position {
    let char_idx = rope.byte_to_char(offset.min(rope.len_bytes()));
    let line = rope.char_to_line(char_idx);
    let line_start = rope.line_to_char(line);
    let character = match enc {
        Encoding::Utf8 => rope.char_to_byte(char_idx) - rope.char_to_byte(line_start),
        Encoding::Utf16 => rope.char_to_utf16_cu(char_idx) - rope.char_to_utf16_cu(line_start),
        Encoding::Utf32 => char_idx - line_start,
    };
    Position::new(saturate(line), saturate(character))
}

/// The protocol range of a byte range.
pub fn to_range(
    rope: &Rope,
    span: &Range<usize>,
    enc: Encoding,
) -> tower_lsp_server::ls_types::Range {
    let start = to_position(rope, span.start, enc);
    let end = to_position(rope, span.end.max(span.start), enc);
    tower_lsp_server::ls_types::Range::new(start, end)
}

/// The byte range of a protocol range; a reversed range is read in order.
pub fn to_span(
    rope: &Rope,
    range: tower_lsp_server::ls_types::Range,
    enc: Encoding,
) -> Range<usize> {
    let a = to_offset(rope, range.start, enc);
    let b = to_offset(rope, range.end, enc);
    a.min(b)..a.max(b)
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    #[test]
    fn negotiation_follows_lsp_3_17() {
        use PositionEncodingKind as K;
        assert_eq!(negotiate(None), Encoding::Utf16);
        assert_eq!(negotiate(Some(&[])), Encoding::Utf16);
        assert_eq!(negotiate(Some(&[K::UTF16, K::UTF8])), Encoding::Utf8);
        assert_eq!(negotiate(Some(&[K::UTF32, K::UTF16])), Encoding::Utf16);
        assert_eq!(negotiate(Some(&[K::UTF32])), Encoding::Utf32);
    }

    #[test]
    fn astral_han_and_crlf() {
        let text = "a𠮷b\r\n中x\ry\n";
        let rope = Rope::from_str(text);
        let b = text.find('b').unwrap();
        assert_eq!(to_position(&rope, b, Encoding::Utf16), p(0, 3));
        assert_eq!(to_position(&rope, b, Encoding::Utf8), p(0, 5));
        assert_eq!(to_position(&rope, b, Encoding::Utf32), p(0, 2));
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let x = text.find('x').unwrap();
            assert_eq!(to_offset(&rope, to_position(&rope, x, enc), enc), x);
            // Past the line's end: its end, before the break.
            assert_eq!(to_offset(&rope, p(0, 99), enc), text.find('\r').unwrap());
            assert_eq!(to_offset(&rope, p(2, 99), enc), text.len() - 1);
            assert_eq!(to_offset(&rope, p(3, 0), enc), text.len());
            assert_eq!(to_offset(&rope, p(99, 7), enc), text.len());
        }
        // Inside the surrogate pair / the UTF-8 sequence: the boundary before.
        assert_eq!(to_offset(&rope, p(0, 2), Encoding::Utf16), 1);
        assert_eq!(to_offset(&rope, p(0, 3), Encoding::Utf8), 1);
        assert_eq!(
            to_offset(&rope, p(u32::MAX, u32::MAX), Encoding::Utf8),
            text.len()
        );
    }
}
