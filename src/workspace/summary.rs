//! What the workspace index keeps of one archive document: its titles, date, page and
//! column, where their lines are, and how many faults of each severity the full check
//! finds. Never the text: a summary is a few hundred bytes, the file thousands.

use crate::align::align;
use crate::check::check_with;
use crate::config::Settings;
use crate::syntax::{parse, FieldKey};
use crate::text::{parse_date, parse_number, parse_page, Date};

/// One archive document as the workspace features see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The header's `Title:` value; empty when there is none.
    pub title: Box<str>,
    /// The original's `### ` title; empty when there is none.
    pub original_title: Box<str>,
    /// The header's `Date:` when it is a valid `YYYY-MM-DD`, else the original's date line.
    pub date: Option<Date>,
    /// The header's `Page:` (or `Edition:`) number, else the original's `第N版`.
    pub page: Option<u32>,
    /// The original's column (`专栏：` value), when not empty.
    pub column: Option<Box<str>>,
    /// The translated column (the `Column:` value or the column line), when there is one.
    pub column_en: Option<Box<str>>,
    /// Where the elements stand, for references and symbol locations.
    pub lines: Lines,
    /// Diagnostics of the full check by severity, indexed by `Severity as usize`
    /// (error, warning, information, hint).
    pub counts: [u32; 4],
    /// The XXH3 hash of the text summarised: two summaries of one file with the same hash
    /// are of the same text (the server's result ids of workspace diagnostics).
    pub content: u64,
}

/// A document read from disk and checked, as the checker checks a file: its text, its
/// diagnostics and its summary.
#[derive(Debug)]
pub struct Checked {
    /// The file's text; for a file that is not UTF-8, its lossy decoding (U+FFFD for each
    /// bad sequence), in which the diagnostic's span is.
    pub text: String,
    pub diagnostics: Vec<crate::check::Diagnostic>,
    pub summary: Summary,
}

impl Checked {
    /// Checks a document's `bytes`. A file that is not UTF-8 has one fault, `invalid-encoding`
    /// at its first bad byte (none when that rule is off), as `check` reports it; its fields
    /// are read from its lossy decoding, so that it is still found by title and date.
    pub fn of_bytes(bytes: Vec<u8>, settings: &Settings) -> Checked {
        match crate::text::into_utf8(bytes) {
            Ok(text) => {
                let (diagnostics, summary) = check_text(&text, settings);
                Checked {
                    text,
                    diagnostics,
                    summary,
                }
            }
            Err(e) => Checked::not_utf8(e.into_bytes(), settings),
        }
    }

    fn not_utf8(bytes: Vec<u8>, settings: &Settings) -> Checked {
        let at = std::str::from_utf8(&bytes)
            .err()
            .map_or(0, |e| e.valid_up_to());
        let diagnostics: Vec<_> = crate::check::invalid_encoding(&bytes, at, settings)
            .into_iter()
            .collect();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let mut summary = Summary::from_checked(&text, &parse(&text), &diagnostics);
        // Of the bytes, not of their decoding: two bad bytes decode alike.
        summary.content = xxhash_rust::xxh3::xxh3_64(&bytes);
        Checked {
            text,
            diagnostics,
            summary,
        }
    }
}

/// Parses, aligns and checks `text` under `settings`: its diagnostics and its summary.
fn check_text(text: &str, settings: &Settings) -> (Vec<crate::check::Diagnostic>, Summary) {
    let doc = parse(text);
    let alignment = align(text, &doc);
    let diagnostics = check_with(text, &doc, &alignment, settings);
    drop(alignment);
    let summary = Summary::from_checked(text, &doc, &diagnostics);
    (diagnostics, summary)
}

/// 0-based line numbers of the lines the workspace features point at; `None` when the
/// element is absent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Lines {
    /// The header's `Title:` line.
    pub title: Option<u32>,
    /// The header's `Date:` line.
    pub date: Option<u32>,
    /// The header's `Page:` (or `Edition:`) line.
    pub page: Option<u32>,
    /// The original's `### ` title line.
    pub original_title: Option<u32>,
    /// The original's date line.
    pub original_date: Option<u32>,
    /// The original's `第N版` line.
    pub original_page: Option<u32>,
}

impl Summary {
    /// Parses, aligns and checks `text` under `settings` (as the checker does) and keeps
    /// what the index needs.
    pub fn of(text: &str, settings: &Settings) -> Summary {
        check_text(text, settings).1
    }

    /// The summary of `text`, already parsed into `doc` and checked into `diagnostics`
    /// (the server's analysis of an open document).
    pub fn from_checked(
        text: &str,
        doc: &crate::syntax::Document,
        diagnostics: &[crate::check::Diagnostic],
    ) -> Summary {
        let mut counts = [0u32; 4];
        for d in diagnostics {
            counts[d.severity as usize] += 1;
        }
        let field = |key| doc.header.get(key);
        let value = |key| field(key).map(|f| text[f.value.clone()].trim());
        let line = |n: usize| u32::try_from(n).ok();
        let original = &doc.original;
        let date = value(FieldKey::Date).and_then(parse_date).or_else(|| {
            original
                .date
                .as_ref()
                .and_then(|d| parse_date(&text[d.text.clone()]))
        });
        let page = value(FieldKey::Page)
            .and_then(parse_page)
            .or_else(|| {
                let p = original.page.as_ref()?;
                parse_number(&text[p.number.clone()?]).filter(|n| *n > 0)
            })
            .and_then(|n| u32::try_from(n).ok());
        let boxed = |s: &str| Some(Box::<str>::from(s.trim())).filter(|s| !s.is_empty());
        Summary {
            title: value(FieldKey::Title).unwrap_or("").into(),
            original_title: original
                .title
                .as_ref()
                .map_or("", |t| text[t.text.clone()].trim())
                .into(),
            date,
            page,
            column: original
                .column
                .as_ref()
                .and_then(|c| boxed(&text[c.value.clone()])),
            column_en: doc.english_column().and_then(|s| boxed(&text[s])),
            lines: Lines {
                title: field(FieldKey::Title).and_then(|f| line(f.line)),
                date: field(FieldKey::Date).and_then(|f| line(f.line)),
                page: field(FieldKey::Page).and_then(|f| line(f.line)),
                original_title: original.title.as_ref().and_then(|t| line(t.line)),
                original_date: original.date.as_ref().and_then(|d| line(d.line)),
                original_page: original.page.as_ref().and_then(|p| line(p.line)),
            },
            counts,
            content: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
        }
    }

    /// The line a symbol of this article points at: the `Title:` line, else the
    /// original's title, else the first line.
    pub fn symbol_line(&self) -> u32 {
        self.lines.title.or(self.lines.original_title).unwrap_or(0)
    }

    /// The article's place in the paper, `1952-08-03 p2` (either part may be missing;
    /// empty when both are).
    pub fn container(&self) -> String {
        match (self.date, self.page) {
            (Some(d), Some(p)) => format!("{d} p{p}"),
            (Some(d), None) => d.to_string(),
            (None, Some(p)) => format!("p{p}"),
            (None, None) => String::new(),
        }
    }

    /// The bytes this summary holds on the heap (its strings), as the allocator rounds
    /// them (see [`allocation`]).
    pub fn heap_bytes(&self) -> usize {
        let opt = |s: &Option<Box<str>>| s.as_deref().map_or(0, |s| allocation(s.len()));
        allocation(self.title.len())
            + allocation(self.original_title.len())
            + opt(&self.column)
            + opt(&self.column_en)
    }
}

/// What a heap allocation of `len` bytes costs: nothing when empty, else the request plus
/// the allocator's 8-byte header rounded up to its 16-byte granule, at least 32 bytes
/// (glibc malloc's chunks; other allocators are close).
pub fn allocation(len: usize) -> usize {
    if len == 0 {
        0
    } else {
        (len + 8).div_ceil(16).max(2) * 16
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Severity;

    const SEED: &str = include_str!("../../seeds/000_0d759123a74baf35.txt");

    #[test]
    fn the_seed_summarised() {
        let s = Summary::of(SEED, &Settings::default());
        assert!(s.title.starts_with("Experience in Timely Summarization"));
        assert_eq!(&*s.original_title, "及时总结和传播推广先进经验的经验");
        assert_eq!(s.date.map(|d| d.to_string()).as_deref(), Some("1952-08-03"));
        assert_eq!(s.page, Some(2));
        assert_eq!(s.column.as_deref(), Some("经济生活简评"));
        assert_eq!(
            s.column_en.as_deref(),
            Some("Economic Life Brief Commentary")
        );
        let l = s.lines;
        assert_eq!(
            (l.title, l.date, l.page),
            (Some(0), Some(2), Some(3)),
            "header lines"
        );
        assert_eq!(
            (l.original_title, l.original_date, l.original_page),
            (Some(19), Some(21), Some(22))
        );
        assert_eq!(s.counts[Severity::Error as usize], 0, "the seed is valid");
        assert_eq!(s.container(), "1952-08-03 p2");
        assert_eq!(s.symbol_line(), 0);
    }

    #[test]
    fn the_original_stands_in_for_a_missing_header_date_and_page() {
        let text = SEED
            .replace("Date: 1952-08-03", "Date: August 1952")
            .replace("Page: 2", "Page: two");
        let s = Summary::of(&text, &Settings::default());
        assert_eq!(s.date.map(|d| d.to_string()).as_deref(), Some("1952-08-03"));
        assert_eq!(s.page, Some(2));
        assert!(
            s.counts[Severity::Error as usize] > 0,
            "the bad values are faults"
        );
    }

    #[test]
    fn counts_follow_the_settings() {
        let text = SEED.replace("Page: 2", "Page: 3"); // disagrees with 第2版
        let on = Summary::of(&text, &Settings::default());
        let total = |s: &Summary| s.counts.iter().sum::<u32>();
        assert!(total(&on) > 0);
        let mut settings = Settings::default();
        for &code in crate::check::Code::ALL {
            settings.rules.set(code, crate::config::Level::Off);
        }
        assert_eq!(total(&Summary::of(&text, &settings)), 0);
    }

    #[test]
    fn anything_is_summarised_without_panic() {
        for text in [
            "",
            "\u{feff}",
            "Title:",
            "<hr />\nOriginal:\n### \n第版\n",
            "\r\r\n",
        ] {
            let s = Summary::of(text, &Settings::default());
            assert!(s.date.is_none() && s.page.is_none());
            assert_eq!(s.container(), "");
        }
    }
}
