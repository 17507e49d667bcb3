//! Rendering diagnostics: for people (`human`), quickfix lists (`concise`), GitHub Actions
//! (`github`) and programs (`json`; SARIF is in `sarif.rs`). Each function renders one
//! diagnostic; the files' pieces are joined in path order by `check.rs`.

use crate::check::{Code, Diagnostic, Severity};
use crate::syntax::lines::{line_col, Line};
use crate::text::display_width;
use serde::Serialize;

/// One diagnostic located in a file, with 1-based lines and character columns.
pub struct Located<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub lines: &'a [Line],
    pub diagnostic: &'a Diagnostic,
    pub start: (usize, usize),
    pub end: (usize, usize),
}

impl<'a> Located<'a> {
    pub fn new(path: &'a str, text: &'a str, lines: &'a [Line], d: &'a Diagnostic) -> Self {
        let one_based = |(l, c): (usize, usize)| (l + 1, c + 1);
        Located {
            path,
            text,
            lines,
            diagnostic: d,
            start: one_based(line_col(text, lines, d.span.start)),
            end: one_based(line_col(text, lines, d.span.end)),
        }
    }
}

/// The severity as human and concise output show it: `error`, `warning`, `info`, `hint`.
pub fn human_severity(s: Severity) -> &'static str {
    match s {
        Severity::Information => "info",
        other => other.name(),
    }
}

/// `path:line:col: severity[code]: message`, the source line and a caret underline.
pub fn human(l: &Located, out: &mut String) {
    use std::fmt::Write;
    let d = l.diagnostic;
    let _ = writeln!(
        out,
        "{}:{}:{}: {}[{}]: {}",
        l.path,
        l.start.0,
        l.start.1,
        human_severity(d.severity),
        d.code.name(),
        d.message
    );
    let Some(line) = l.lines.get(l.start.0 - 1) else {
        return;
    };
    let content = &l.text[line.range()];
    let from = l.start.1 - 1;
    let to = if l.end.0 == l.start.0 {
        l.end.1 - 1
    } else {
        content.chars().count()
    };
    let (shown, pad, marks) = caret_window(content, from, to.max(from));
    let number = l.start.0.to_string();
    let gutter = " ".repeat(number.len());
    let _ = writeln!(out, "{number} | {shown}");
    let _ = writeln!(
        out,
        "{gutter} | {}{}",
        " ".repeat(pad),
        "^".repeat(marks.max(1))
    );
    // The counterpart of a disagreement, where the reviewer will look next.
    for r in &d.related {
        let (line, col) = line_col(l.text, l.lines, r.span.start);
        let _ = writeln!(
            out,
            "{gutter} = see {}:{}: {}",
            line + 1,
            col + 1,
            r.message
        );
    }
}

/// The terminal columns of `c` as a source line shows it: a tab as four spaces, other
/// controls as one space.
fn column_width(c: char) -> usize {
    match c {
        '\t' => 4,
        c if c.is_control() => 1,
        // The common cases without the width tables: printable ASCII, and the Han
        // ideographs and CJK punctuation that fill the originals' lines.
        ' '..='~' => 1,
        '\u{3001}'..='\u{3029}' | '\u{4e00}'..='\u{9fff}' | '\u{ff01}'..='\u{ff60}' => 2,
        c => display_width(c.encode_utf8(&mut [0; 4])),
    }
}

/// At most this many terminal columns of a source line are shown.
const WINDOW: usize = 100;

/// The part of `content` to show around characters `from..to`, the caret's offset in
/// terminal columns and its width. Tabs show as four spaces; long lines are cut with `…`.
/// Only the characters that can show are rendered: a line may be megabytes long, and this
/// runs once per diagnostic.
fn caret_window(content: &str, from: usize, to: usize) -> (String, usize, usize) {
    fn push_shown(out: &mut String, c: char) {
        match c {
            '\t' => out.push_str("    "),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    // Whether the whole line is too wide to show, stopping as soon as it is.
    let mut total = 0;
    let long = content.chars().any(|c| {
        total += column_width(c);
        total > WINDOW
    });
    // Start the window a little before the range when the line is too long to show whole.
    let skipped = if long { from.saturating_sub(20) } else { 0 };
    let limit = from.saturating_sub(skipped) + 4 * WINDOW;
    let mut cells: Vec<char> = content.chars().skip(skipped).take(limit + 1).collect();
    let more = cells.len() > limit;
    cells.truncate(limit);
    // at[i]: the width of cells[..i], so that any run's width is one subtraction.
    let mut at = Vec::with_capacity(cells.len() + 1);
    at.push(0);
    for &c in &cells {
        at.push(at.last().copied().unwrap_or(0) + column_width(c));
    }
    let span = |a: usize, b: usize| at[b] - at[a];
    let n = cells.len();
    let (from, to) = ((from - skipped).min(n), to.saturating_sub(skipped).min(n));
    let mut first = 0;
    if long {
        while first < from && span(first, from) > WINDOW / 2 {
            first += 1;
        }
    }
    let mut last = first;
    while last < n && span(first, last + 1) <= WINDOW {
        last += 1;
    }
    let mut shown = String::new();
    let mut pad = 0;
    if skipped + first > 0 {
        shown.push('…');
        pad = 1;
    }
    for &c in &cells[first..last] {
        push_shown(&mut shown, c);
    }
    if last < n || more {
        shown.push('…');
    }
    pad += span(first, from);
    let marks = span(from, to.min(last).max(from));
    (shown, pad, marks)
}

#[derive(Serialize)]
struct JsonPosition {
    line: usize,
    column: usize,
}

/// The JSON object of one diagnostic. It owns its strings so that a file's text can be
/// dropped once its diagnostics are rendered.
#[derive(Serialize)]
pub struct JsonDiagnostic {
    path: String,
    code: &'static str,
    severity: &'static str,
    message: String,
    start: JsonPosition,
    end: JsonPosition,
}

/// `path:line:col: severity[code] message`, one line (quickfix lists: Vim's
/// `%f:%l:%c: %m`, Emacs's compilation mode).
pub fn concise(l: &Located, out: &mut String) {
    use std::fmt::Write;
    let d = l.diagnostic;
    let _ = writeln!(
        out,
        "{}:{}:{}: {}[{}] {}",
        l.path,
        l.start.0,
        l.start.1,
        human_severity(d.severity),
        d.code.name(),
        one_line(&d.message)
    );
}

/// Messages are one line already; this guards the one-line formats anyway.
fn one_line(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains(['\n', '\r']) {
        s.replace(['\n', '\r'], " ").into()
    } else {
        s.into()
    }
}

/// A GitHub Actions workflow command:
/// `::error file=P,line=L,col=C,endLine=L,endColumn=C,title=CODE::MESSAGE`. Errors and
/// warnings keep their level, information and hints are `notice`s. Values are escaped as
/// the runner expects (`%`, CR, LF; in properties also `:` and `,`).
pub fn github(l: &Located, out: &mut String) {
    use std::fmt::Write;
    let d = l.diagnostic;
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "notice",
    };
    let _ = writeln!(
        out,
        "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        escape_property(l.path),
        l.start.0,
        l.start.1,
        l.end.0,
        l.end.1,
        d.code.name(),
        escape_data(&d.message)
    );
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One diagnostic as an element of the pretty-printed JSON array: exactly what
/// `serde_json::to_string_pretty` writes for it inside the array (two spaces deeper), so
/// that the array can be streamed piece by piece.
pub fn json_element(l: &Located, out: &mut String) {
    let object = serde_json::to_string_pretty(&json(l)).expect("diagnostics serialise");
    // A JSON string holds no raw line break: each one in `object` is the layout's.
    let mut from = 0;
    for at in memchr::memchr_iter(b'\n', object.as_bytes()) {
        out.push_str("  ");
        out.push_str(&object[from..=at]);
        from = at + 1;
    }
    out.push_str("  ");
    out.push_str(&object[from..]);
}

/// Counts per code and severity, for `--statistics` and the summary line.
#[derive(Clone)]
pub struct Counts(Vec<[usize; 4]>);

impl Default for Counts {
    fn default() -> Counts {
        Counts(vec![[0; 4]; Code::ALL.len()])
    }
}

impl Counts {
    pub fn add(&mut self, code: Code, severity: Severity) {
        self.add_n(code, severity, 1);
    }

    /// Counts `n` diagnostics of this code and severity.
    pub fn add_n(&mut self, code: Code, severity: Severity, n: usize) {
        self.0[code as usize][severity as usize] += n;
    }

    pub fn merge(&mut self, other: &Counts) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
    }

    /// Totals per severity: errors, warnings, information, hints.
    pub fn by_severity(&self) -> [usize; 4] {
        let mut total = [0; 4];
        for row in &self.0 {
            for (t, n) in total.iter_mut().zip(row) {
                *t += n;
            }
        }
        total
    }

    /// Whether anything at `severity` or more severe was counted.
    pub fn any_at_least(&self, severity: Severity) -> bool {
        self.by_severity()[..=severity as usize]
            .iter()
            .any(|&n| n > 0)
    }

    /// The rows of the statistics table: (count, code, severity), most frequent first,
    /// then by code and severity.
    pub fn rows(&self) -> Vec<(usize, Code, Severity)> {
        const SEVERITIES: [Severity; 4] = [
            Severity::Error,
            Severity::Warning,
            Severity::Information,
            Severity::Hint,
        ];
        let mut rows: Vec<_> = Code::ALL
            .iter()
            .flat_map(|&c| SEVERITIES.iter().map(move |&s| (c, s)))
            .map(|(c, s)| (self.0[c as usize][s as usize], c, s))
            .filter(|r| r.0 > 0)
            .collect();
        rows.sort_by(|a, b| b.0.cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
        rows
    }
}

/// The `--statistics` table, like `ruff --statistics`: count, code, severity.
pub fn statistics_table(counts: &Counts) -> String {
    use std::fmt::Write;
    let rows = counts.rows();
    let width = rows.first().map_or(1, |r| r.0.to_string().len());
    let code_width = rows.iter().map(|r| r.1.name().len()).max().unwrap_or(0);
    let mut out = String::new();
    for (n, code, severity) in rows {
        let _ = writeln!(
            out,
            "{n:>width$}  {:<code_width$}  {}",
            code.name(),
            severity.name()
        );
    }
    out
}

/// The `--statistics` table as JSON: `[{"code", "severity", "count"}]`.
pub fn statistics_json(counts: &Counts) -> String {
    #[derive(Serialize)]
    struct Row {
        code: &'static str,
        severity: &'static str,
        count: usize,
    }
    let rows: Vec<Row> = counts
        .rows()
        .into_iter()
        .map(|(count, code, severity)| Row {
            code: code.name(),
            severity: severity.name(),
            count,
        })
        .collect();
    serde_json::to_string_pretty(&rows).expect("statistics serialise")
}

pub fn json(l: &Located) -> JsonDiagnostic {
    let pos = |(line, column)| JsonPosition { line, column };
    JsonDiagnostic {
        path: l.path.to_owned(),
        code: l.diagnostic.code.name(),
        severity: l.diagnostic.severity.name(),
        message: l.diagnostic.message.clone(),
        start: pos(l.start),
        end: pos(l.end),
    }
}

/// `6 files checked: 2 errors, 1 warning` (information and hints added when present),
/// counting everything found, and saying what `shown_from` (the least severe level shown)
/// left out.
pub fn summary_shown(files: usize, counts: [usize; 4], shown_from: Severity) -> String {
    let mut line = summary(files, counts);
    let hidden: usize = counts[shown_from as usize + 1..].iter().sum();
    if hidden > 0 {
        let lowest = if counts[Severity::Hint as usize] > 0 {
            "hint"
        } else {
            "information"
        };
        line.push_str(&format!(
            " ({hidden} not shown; --min-severity {lowest} shows them)"
        ));
    }
    line
}

/// `6 files checked: 2 errors, 1 warning` (information and hints added when present).
pub fn summary(files: usize, counts: [usize; 4]) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut parts = vec![
        plural(counts[0], "error", "errors"),
        plural(counts[1], "warning", "warnings"),
    ];
    if counts[2] > 0 {
        parts.push(plural(counts[2], "info", "infos"));
    }
    if counts[3] > 0 {
        parts.push(plural(counts[3], "hint", "hints"));
    }
    format!(
        "{} checked: {}",
        plural(files, "file", "files"),
        parts.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_width_fast_paths_agree_with_the_tables() {
        let ranges = [' '..='~', '\u{3001}'..='\u{3029}', '\u{4e00}'..='\u{9fff}'];
        for c in ranges
            .into_iter()
            .chain(['\u{ff01}'..='\u{ff60}'])
            .flatten()
        {
            assert_eq!(column_width(c), display_width(&c.to_string()), "{c:?}");
        }
    }

    #[test]
    fn carets_count_han_as_two_columns() {
        let (shown, pad, marks) = caret_window("ab中文cd", 2, 4);
        assert_eq!((shown.as_str(), pad, marks), ("ab中文cd", 2, 4));
        let (_, pad, marks) = caret_window("\tx", 1, 2);
        assert_eq!((pad, marks), (4, 1));
    }

    #[test]
    fn long_lines_are_windowed() {
        let line = "x".repeat(500);
        let (shown, pad, marks) = caret_window(&line, 300, 305);
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(
            &shown.chars().skip(pad).take(marks).collect::<String>(),
            "xxxxx"
        );
    }

    #[test]
    fn summary_line() {
        assert_eq!(
            summary(6, [2, 1, 0, 0]),
            "6 files checked: 2 errors, 1 warning"
        );
        assert_eq!(
            summary(1, [0, 0, 1, 3]),
            "1 file checked: 0 errors, 0 warnings, 1 info, 3 hints"
        );
    }
}
