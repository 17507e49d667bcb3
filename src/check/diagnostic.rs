//! The checks' output type, free of any protocol.

use crate::syntax::Span;
use serde::{Deserialize, Serialize};

/// How much a reviewer must act on a diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    /// The name used in JSON output: `error`, `warning`, `information`, `hint`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
            Severity::Hint => "hint",
        }
    }
}

macro_rules! codes {
    ($($variant:ident = $name:literal, $severity:ident;)*) => {
        /// Every diagnostic code. Users grep, configure and suppress by these names.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum Code { $($variant,)* }

        impl Code {
            /// Every code, in documentation order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as users see it, e.g. `date-mismatch`.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// The code's usual severity (some diagnostics of a code may differ).
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }
        }
    };
}

codes! {
    MissingHeaderField = "missing-header-field", Error;
    DuplicateHeaderField = "duplicate-header-field", Error;
    UnknownHeaderField = "unknown-header-field", Warning;
    HeaderFieldOrder = "header-field-order", Warning;
    HeaderLayout = "header-layout", Hint;
    EmptyTitle = "empty-title", Error;
    InvalidDate = "invalid-date", Error;
    InvalidPage = "invalid-page", Error;
    MissingSeparator = "missing-separator", Error;
    MissingOriginalMarker = "missing-original-marker", Error;
    MissingOriginalTitle = "missing-original-title", Error;
    MissingOriginalField = "missing-original-field", Error;
    UnexpectedText = "unexpected-text", Warning;
    EmptyTranslation = "empty-translation", Error;
    EmptyOriginal = "empty-original", Error;
    DateMismatch = "date-mismatch", Error;
    PageMismatch = "page-mismatch", Error;
    AuthorMismatch = "author-mismatch", Information;
    ColumnMismatch = "column-mismatch", Information;
    ParagraphCountMismatch = "paragraph-count-mismatch", Information;
    UntranslatedText = "untranslated-text", Warning;
    MissingChinese = "missing-chinese", Warning;
    NumberMismatch = "number-mismatch", Warning;
    DatelineMismatch = "dateline-mismatch", Warning;
    UntranslatedParagraph = "untranslated-paragraph", Warning;
    TruncatedTranslation = "truncated-translation", Warning;
    LengthRatio = "length-ratio", Warning;
    SameAsOriginal = "same-as-original", Warning;
    UnpairedBracket = "unpaired-bracket", Warning;
    RepeatedWord = "repeated-word", Warning;
    HalfwidthPunctuation = "halfwidth-punctuation", Information;
    OcrArtifact = "ocr-artifact", Information;
    Indentation = "indentation", Hint;
    TrailingWhitespace = "trailing-whitespace", Hint;
    InvalidEncoding = "invalid-encoding", Error;
    TooManyDiagnostics = "too-many-diagnostics", Information;
}

/// A pointer to the other place a diagnostic concerns (the counterpart of a mismatch).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

/// One finding, located by a byte range of the document text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub span: Span,
    /// What is wrong and what was expected.
    pub message: String,
    pub related: Vec<Related>,
}

impl Diagnostic {
    /// A diagnostic with its code's usual severity.
    pub fn new(code: Code, span: Span, message: String) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
            span,
            message,
            related: Vec::new(),
        }
    }

    /// Adds a pointer to the counterpart.
    pub fn related(&mut self, span: Span, message: impl Into<String>) -> &mut Self {
        self.related.push(Related {
            span,
            message: message.into(),
        });
        self
    }
}
