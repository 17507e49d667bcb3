//! Line splitting by LSP's rules: `\n`, `\r\n` and `\r` end a line; nothing else does
//! (U+2028, U+0085 and form feed are ordinary characters here).

use std::ops::Range;

/// One physical line, as byte offsets into the document text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    /// First byte of the line's content (after a leading BOM on line 0).
    pub start: usize,
    /// End of the content, before the line break.
    pub end: usize,
    /// End of the line including its break (start of the next line).
    pub next: usize,
}

impl Line {
    /// The line's content range (no line break).
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// The byte length of a leading UTF-8 byte order mark, if any.
pub fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    }
}

/// Splits `text` into lines. A text ending with a line break has no empty last line;
/// an empty text has no lines at all.
pub fn split_lines(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut lines = Vec::with_capacity(bytes.len() / 64 + 1);
    let mut start = bom_len(text);
    let mut pos = start;
    while let Some(i) = memchr::memchr2(b'\n', b'\r', &bytes[pos..]) {
        let end = pos + i;
        let next = if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
            end + 2
        } else {
            end + 1
        };
        lines.push(Line { start, end, next });
        start = next;
        pos = next;
    }
    if start < bytes.len() {
        lines.push(Line {
            start,
            end: bytes.len(),
            next: bytes.len(),
        });
    }
    lines
}

/// The 0-based line holding byte `offset` and the offset's column in characters from the
/// start of that line's content (a BOM is not counted). Offsets past the end map to the
/// end of the last line.
pub fn line_col(text: &str, lines: &[Line], offset: usize) -> (usize, usize) {
    if lines.is_empty() {
        return (0, 0);
    }
    let line = lines
        .partition_point(|l| l.start <= offset)
        .saturating_sub(1);
    let l = lines[line];
    let end = offset.clamp(l.start, l.end);
    let col = text.get(l.start..end).map_or(0, |s| s.chars().count());
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contents(text: &str) -> Vec<&str> {
        split_lines(text).iter().map(|l| &text[l.range()]).collect()
    }

    #[test]
    fn all_three_breaks() {
        assert_eq!(contents("a\nb\r\nc\rd"), ["a", "b", "c", "d"]);
        assert_eq!(contents("a\n\n"), ["a", ""]);
        assert!(contents("").is_empty());
    }

    #[test]
    fn bom_is_not_content_and_others_are_not_breaks() {
        assert_eq!(
            contents("\u{feff}x\u{2028}y\u{85}z\u{c}\n"),
            ["x\u{2028}y\u{85}z\u{c}"]
        );
        assert_eq!(split_lines("\u{feff}x")[0].start, 3);
    }
}
