//! The document model: every element of an archive document with its byte range in the
//! text. Ranges index the text the parser was given (a BOM included); line numbers are
//! 0-based indices into [`Document::lines`].

use super::lines::Line;
use std::ops::Range;

/// A byte range into the document text.
pub type Span = Range<usize>;

/// The header keys archive-lsp knows. `Edition` is a spelling of [`FieldKey::Page`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FieldKey {
    Title,
    Author,
    Date,
    Page,
    Column,
}

impl FieldKey {
    /// Every key, in the canonical header order.
    pub const ALL: [FieldKey; 5] = [
        FieldKey::Title,
        FieldKey::Author,
        FieldKey::Date,
        FieldKey::Page,
        FieldKey::Column,
    ];

    /// The key as written in a header (`Page` for the page field).
    pub fn name(self) -> &'static str {
        match self {
            FieldKey::Title => "Title",
            FieldKey::Author => "Author",
            FieldKey::Date => "Date",
            FieldKey::Page => "Page",
            FieldKey::Column => "Column",
        }
    }

    /// Reads a key as written; `Edition` is the page field. Case matters, as in the files.
    pub fn parse(key: &str) -> Option<FieldKey> {
        Some(match key {
            "Title" => FieldKey::Title,
            "Author" => FieldKey::Author,
            "Date" => FieldKey::Date,
            "Page" | "Edition" => FieldKey::Page,
            "Column" => FieldKey::Column,
            _ => return None,
        })
    }
}

/// One `Key: value` line of the English header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderField {
    pub line: usize,
    /// `None` for a key archive-lsp does not know (a typo such as `Titel`).
    pub key: Option<FieldKey>,
    /// The key as written, without the colon.
    pub key_span: Span,
    /// The value with leading blanks and trailing whitespace trimmed; empty (at the end
    /// of the line) when there is no value.
    pub value: Span,
    /// The whole line's content.
    pub span: Span,
}

/// The English header: the run of header lines at the top of the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    /// Every header line in file order, unknown keys and repeats included.
    pub fields: Vec<HeaderField>,
    /// Runs of blank lines inside the header, as inclusive line ranges.
    pub blank_runs: Vec<(usize, usize)>,
}

impl Header {
    /// The first field with this key.
    pub fn get(&self, key: FieldKey) -> Option<&HeaderField> {
        self.fields.iter().find(|f| f.key == Some(key))
    }

    /// First and last line of the header, when it has any field.
    pub fn line_range(&self) -> Option<(usize, usize)> {
        Some((self.fields.first()?.line, self.fields.last()?.line))
    }
}

/// One paragraph: one non-blank line of a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub line: usize,
    /// The leading whitespace (empty when the line is unindented).
    pub indent: Span,
    /// The text without its indentation and trailing whitespace.
    pub text: Span,
}

/// A single line element identified by its text (the original's title, date, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineItem {
    pub line: usize,
    /// The element's text: for the title without `### `, otherwise the trimmed line.
    pub text: Span,
}

/// The original's author slot: the line right after the title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorSlot {
    pub line: usize,
    /// The names, trimmed; empty when the line is blank (no author).
    pub text: Span,
}

/// The original's `第N版(…)` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLine {
    pub line: usize,
    /// The whole trimmed line.
    pub text: Span,
    /// The digits of N when the line is well formed.
    pub number: Option<Span>,
}

/// The original's `专栏：value` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnField {
    pub line: usize,
    /// The whole trimmed line.
    pub text: Span,
    /// The value after the colon, trimmed; may be empty.
    pub value: Span,
}

/// One `term<TAB>translation` entry of the Named Entities glossary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlossaryEntry {
    pub line: usize,
    pub term: Span,
    /// Empty when the entry has no separator.
    pub translation: Span,
}

/// The `**Named Entities**` block after the English body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glossary {
    pub heading: LineItem,
    pub entries: Vec<GlossaryEntry>,
}

/// The English part after the header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Translation {
    /// The translated column written as its own line after the header.
    pub column_line: Option<LineItem>,
    pub paragraphs: Vec<Paragraph>,
    pub glossary: Option<Glossary>,
    /// The first line of merged-chunk debris (an earlier `<hr />`, a second header).
    pub debris: Option<usize>,
}

/// The Chinese original after the marker.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Original {
    /// The `### ` line; `text` excludes the `### `.
    pub title: Option<LineItem>,
    pub author: Option<AuthorSlot>,
    pub date: Option<LineItem>,
    pub page: Option<PageLine>,
    pub column: Option<ColumnField>,
    pub paragraphs: Vec<Paragraph>,
}

/// Where text stands that only blank lines should: inclusive line range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stray {
    pub first: usize,
    pub last: usize,
    pub place: StrayPlace,
}

/// Which gap a [`Stray`] run sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrayPlace {
    BeforeHeader,
    BetweenSeparatorAndMarker,
    BeforeOriginalTitle,
    MergedChunk,
}

/// Which half of the document an element belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// The English half: header, column line, paragraphs, glossary.
    Translation,
    /// The Chinese half after the marker.
    Original,
}

impl Side {
    /// The other half.
    pub fn other(self) -> Side {
        match self {
            Side::Translation => Side::Original,
            Side::Original => Side::Translation,
        }
    }

    /// `Translation` or `Original`, as headings say it.
    pub fn name(self) -> &'static str {
        match self {
            Side::Translation => "Translation",
            Side::Original => "Original",
        }
    }
}

/// A parsed archive document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    pub lines: Vec<Line>,
    pub header: Header,
    pub translation: Translation,
    /// The `<hr />` line.
    pub separator: Option<usize>,
    /// The `Original:` line.
    pub marker: Option<usize>,
    pub original: Original,
    pub strays: Vec<Stray>,
    /// The last non-blank line of the English part (header included), if any.
    pub english_last_line: Option<usize>,
    /// The last line of the original's header block (title … column), if it has a title.
    pub original_header_last_line: Option<usize>,
}

impl Document {
    /// The translated column: the `Column:` value when it is not empty, else the column
    /// line after the header.
    pub fn english_column(&self) -> Option<Span> {
        match self.header.get(FieldKey::Column) {
            Some(f) if !f.value.is_empty() => Some(f.value.clone()),
            _ => self
                .translation
                .column_line
                .as_ref()
                .map(|c| c.text.clone()),
        }
    }
}
