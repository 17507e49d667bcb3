//! Neighbours, to browse an issue of the paper: on the header's `Date:` line or the
//! original's date line, the articles of that date; on `Page:` or `第N版`, those of that
//! date and page. The articles come from the workspace index; this says which key the
//! cursor's line asks for.

use crate::text::Date;
use crate::workspace::Summary;

/// What the cursor's line asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// The articles of a date.
    Date(Date),
    /// The articles of a date and page.
    Page(Date, u32),
}

/// The key of `line` (0-based) in the document summarised by `summary`: its date on a date
/// line, its date and page on a page line; `None` elsewhere, or when the document has no
/// date (or no page, on a page line).
pub fn key(summary: &Summary, line: u32) -> Option<Key> {
    let l = &summary.lines;
    let on = |at: Option<u32>| at == Some(line);
    let date = summary.date?;
    if on(l.date) || on(l.original_date) {
        return Some(Key::Date(date));
    }
    if on(l.page) || on(l.original_page) {
        return Some(Key::Page(date, summary.page?));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_and_page_lines_on_both_sides() {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("seeds/1952-10-28_华北棉花丰收.md"),
        )
        .unwrap();
        let s = Summary::of(&text, &Default::default());
        let date = s.date.unwrap();
        let line_of =
            |prefix: &str| text.lines().position(|l| l.starts_with(prefix)).unwrap() as u32;
        assert_eq!(key(&s, line_of("Date:")), Some(Key::Date(date)));
        assert_eq!(key(&s, line_of("1952-10-28")), Some(Key::Date(date)));
        assert_eq!(key(&s, line_of("Page:")), Some(Key::Page(date, 2)));
        assert_eq!(key(&s, line_of("第2版")), Some(Key::Page(date, 2)));
        assert_eq!(key(&s, line_of("Title:")), None);
    }
}
