//! The checks: what a reviewer must look at, as diagnostics in byte ranges.
//!
//! One file per family of rules; [`check`] runs them all over a parsed document.

mod bilingual;
mod diagnostic;
mod encoding;
mod header;
mod numbers;
mod ocr;
mod omission;
mod review;
mod sections;
mod typography;

pub use diagnostic::{Code, Diagnostic, Related, Severity};
pub use encoding::invalid_encoding;
// What the fixes and formatting share with the checks, so both judge alike.
pub(crate) use header::{missing_field_message, suggest_key};
pub(crate) use ocr::{fullwidth_of, is_latin_zero};
pub(crate) use typography::{indent_convention, trailing_blanks};

use crate::align::{align, Alignment};
use crate::config::Settings;
use crate::syntax::{Document, Span};
use crate::text::is_blank;

/// At most this many diagnostics are reported for one document; a final one says so.
pub const MAX_DIAGNOSTICS: usize = 1000;

/// Runs every check over `doc`, parsed from `text`, with the default settings. Sorted by
/// position, capped.
pub fn check(text: &str, doc: &Document) -> Vec<Diagnostic> {
    check_with(text, doc, &align(text, doc), &Settings::default())
}

/// [`check`] with an alignment already computed (`align(text, doc)`) and given settings.
///
/// The settings' rules apply to every diagnostic: a rule that is off reports nothing (and
/// does not count towards the cap of [`MAX_DIAGNOSTICS`]); a rule set to a severity reports
/// at it (see [`crate::config::Rules::severity_of`] for diagnostics their check reports at
/// another severity than the code's usual one). `too-many-diagnostics` obeys them too.
pub fn check_with(
    text: &str,
    doc: &Document,
    alignment: &Alignment,
    settings: &Settings,
) -> Vec<Diagnostic> {
    let mut cx = Context {
        text,
        doc,
        alignment,
        settings,
        out: Vec::new(),
        per_code: [0; Code::ALL.len()],
        dropped: 0,
        sink: Diagnostic::new(Code::TooManyDiagnostics, 0..0, String::new()),
    };
    let rules = &settings.rules;
    // A rule that is off costs nothing: a family whose codes are all off is not run (its
    // diagnostics would all be dropped).
    for (run, codes) in FAMILIES {
        if codes.iter().any(|&code| rules.is_on(code)) {
            run(&mut cx);
        }
    }
    let mut out = cx.out;
    // The configured severities. Applied here rather than in `push`, as some checks set a
    // diagnostic's severity after pushing it (see `Rules::severity_of`).
    for d in &mut out {
        if let Some(severity) = rules.severity_of(d.code, d.severity) {
            d.severity = severity;
        }
    }
    out.sort_by_key(|d| (d.span.start, d.span.end, d.code));
    if out.len() + cx.dropped > MAX_DIAGNOSTICS {
        let hidden = out.len() + cx.dropped - MAX_DIAGNOSTICS;
        out.truncate(MAX_DIAGNOSTICS);
        let at = out.last().map_or(0..0, |d| d.span.clone());
        if let Some(severity) = rules.severity(Code::TooManyDiagnostics) {
            let mut d = Diagnostic::new(
                Code::TooManyDiagnostics,
                at,
                format!(
                    "{hidden} more diagnostics not shown: archive-lsp reports at most {MAX_DIAGNOSTICS} per document"
                ),
            );
            d.severity = severity;
            out.push(d);
        }
    }
    out
}

/// One family's check (each file's `check`).
type Check = fn(&mut Context);

/// Each family of rules, in the order it runs, with the codes it reports.
const FAMILIES: [(Check, &[Code]); 8] = [
    (header::check, header::CODES),
    (sections::check, sections::CODES),
    (bilingual::check, bilingual::CODES),
    (review::check, review::CODES),
    (omission::check, omission::CODES),
    (numbers::check, numbers::CODES),
    (ocr::check, ocr::CODES),
    (typography::check, typography::CODES),
];

/// Parses and checks `text` in one go.
pub fn check_text(text: &str) -> Vec<Diagnostic> {
    check(text, &crate::syntax::parse(text))
}

/// What every rule works with.
pub(crate) struct Context<'a> {
    pub text: &'a str,
    pub doc: &'a Document,
    /// The paragraph alignment: every counterpart comes from here.
    pub alignment: &'a Alignment,
    pub settings: &'a Settings,
    out: Vec<Diagnostic>,
    /// Diagnostics kept per code. Each rule reports in document order, so keeping the first
    /// [`MAX_DIAGNOSTICS`] of each code keeps the first of all, and a pathological file
    /// cannot make the checker hold millions of diagnostics.
    per_code: [usize; Code::ALL.len()],
    dropped: usize,
    /// Where a dropped diagnostic is written, so that callers need not care.
    sink: Diagnostic,
}

impl<'a> Context<'a> {
    /// The text of a span.
    pub fn str(&self, span: &Span) -> &'a str {
        &self.text[span.clone()]
    }

    /// A line's content without surrounding whitespace (empty at the line start if blank).
    pub fn line_span(&self, line: usize) -> Span {
        let Some(l) = self.doc.lines.get(line) else {
            let end = self.text.len();
            return end..end;
        };
        let c = &self.text[l.range()];
        if is_blank(c) {
            return l.start..l.start;
        }
        let start = l.start + (c.len() - c.trim_start().len());
        start..l.start + c.trim_end().len()
    }

    /// The first non-blank line of the file, or line 0.
    pub fn first_text_line(&self) -> usize {
        (0..self.doc.lines.len())
            .find(|&i| !is_blank(&self.text[self.doc.lines[i].range()]))
            .unwrap_or(0)
    }

    /// Reports a diagnostic; returns it so that the caller can add related information.
    /// A rule that the settings turn off reports nothing (and is not counted towards the
    /// cap); its severity, when configured, is applied by [`check_with`] at the end.
    pub fn push(&mut self, code: Code, span: Span, message: String) -> &mut Diagnostic {
        let on = self.settings.rules.is_on(code);
        let kept = &mut self.per_code[code as usize];
        if !on || *kept >= MAX_DIAGNOSTICS {
            self.dropped += usize::from(on);
            self.sink = Diagnostic::new(code, span, message);
            return &mut self.sink;
        }
        *kept += 1;
        self.out.push(Diagnostic::new(code, span, message));
        self.out.last_mut().expect("just pushed")
    }
}

#[cfg(test)]
mod tests;
