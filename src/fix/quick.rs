//! Quick fixes: for a diagnostic, the edits that repair it; and every safe one at once,
//! for fix-all in the editor and `check --fix` on disk.
//!
//! A fix is offered only when it leaves the document with its diagnostic gone and no new
//! one. Most fixes are checked for that by applying them and checking the result again
//! (a change of a date, a bracket or a header key can have effects elsewhere: a
//! mismatch, an unpaired mark, a duplicate); the two that only touch blanks the checks
//! never read (`indentation`, `trailing-whitespace`) are not, so that a file with
//! thousands of them stays cheap.
//!
//! Edits are minimal: only the characters that change (`Titel` → `Title` replaces `el`).

use super::{apply, Edit};
use crate::check::{self, Code, Diagnostic};
use crate::config::Settings;
use crate::syntax::{self, Document, FieldKey, Paragraph, Side, Span};
use crate::text::{parse_date, parse_number, parse_page};
use std::collections::HashMap;

/// One way to repair one diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What it does, for a menu: "Take the original's date 1952-08-03 into the header".
    pub title: String,
    /// The code of the diagnostic it repairs.
    pub code: Code,
    /// The index of that diagnostic in the list the fix was computed from.
    pub diagnostic: usize,
    /// The edits, non-overlapping, in the document's byte ranges.
    pub edits: Vec<Edit>,
    /// The natural choice when there are several.
    pub preferred: bool,
    /// Certain enough to be applied unseen, by fix-all and `check --fix`.
    pub safe: bool,
}

/// At most this many rounds of [`fix_all`]: a fix can make room for another (two fixes of
/// one header line), but never loop for long. A round whose check stopped at
/// [`check::MAX_DIAGNOSTICS`] does not count (the faults beyond were not seen yet), up to
/// [`MAX_CAPPED_PASSES`] such rounds.
pub const MAX_PASSES: usize = 8;

/// At most this many rounds of [`fix_all`] on checks cut short at
/// [`check::MAX_DIAGNOSTICS`]: some 60,000 faults in one file are fixed in one run, and a
/// hostile file costs a bounded number of checks (the rest is left for another run).
pub const MAX_CAPPED_PASSES: usize = 64;

/// The fixes of diagnostic `index` of `diagnostics`, which must be what
/// `check::check_with` found in `text` (parsed as `doc`) with `settings`. Each is
/// verified (see the module comment). Empty when the code has no fix or this case none.
pub fn fixes_for(
    text: &str,
    doc: &Document,
    settings: &Settings,
    diagnostics: &[Diagnostic],
    index: usize,
) -> Vec<Fix> {
    verified_candidates(text, doc, settings, diagnostics, index, &Shared::default())
}

fn verified_candidates(
    text: &str,
    doc: &Document,
    settings: &Settings,
    diagnostics: &[Diagnostic],
    index: usize,
    shared: &Shared,
) -> Vec<Fix> {
    candidates(text, doc, diagnostics, index, shared)
        .into_iter()
        .filter(|f| self_evident(f.code) || verified(text, settings, diagnostics, &[f]))
        .collect()
}

/// The fixes of every diagnostic, in the diagnostics' order (see [`fixes_for`]).
pub fn fixes(
    text: &str,
    doc: &Document,
    settings: &Settings,
    diagnostics: &[Diagnostic],
) -> Vec<Fix> {
    let shared = Shared::default();
    (0..diagnostics.len())
        .flat_map(|i| verified_candidates(text, doc, settings, diagnostics, i, &shared))
        .collect()
}

/// Whether some diagnostic has a safe fix, before verification: cheap, for offering
/// fix-all without computing it.
pub fn has_safe_candidate(text: &str, doc: &Document, diagnostics: &[Diagnostic]) -> bool {
    let shared = Shared::default();
    (0..diagnostics.len()).any(|i| {
        candidates(text, doc, diagnostics, i, &shared)
            .iter()
            .any(|f| f.safe)
    })
}

/// Every safe fix of `diagnostics` (as for [`fixes_for`]) in one list of non-overlapping
/// edits. When two safe fixes overlap (a header line both reordered and stripped of its
/// trailing blanks), the first in the diagnostics' order is kept and the other is left
/// for a second pass over the fixed text (as [`fix_all`] makes). Together the edits are
/// verified as each fix is: a set that would bring a new diagnostic is split in halves
/// until the fixes that cause it are found and left out; a fix that only waited for one
/// left out is then taken in its place.
pub fn safe_edits(
    text: &str,
    doc: &Document,
    settings: &Settings,
    diagnostics: &[Diagnostic],
) -> Vec<Edit> {
    let shared = Shared::default();
    let mut pending: Vec<Fix> = (0..diagnostics.len())
        .filter_map(|i| {
            candidates(text, doc, diagnostics, i, &shared)
                .into_iter()
                .find(|f| f.safe)
        })
        .collect();
    let mut accepted: Vec<Fix> = Vec::new();
    while !pending.is_empty() {
        let mut taken: Vec<Edit> = accepted.iter().flat_map(|f| f.edits.clone()).collect();
        let (mut to_verify, mut blocked) = (Vec::new(), Vec::new());
        for fix in pending {
            if fix
                .edits
                .iter()
                .any(|e| taken.iter().any(|t| conflict(e, t)))
            {
                blocked.push(fix);
                continue;
            }
            taken.extend(fix.edits.iter().cloned());
            if self_evident(fix.code) {
                accepted.push(fix);
            } else {
                to_verify.push(fix);
            }
        }
        let tried = to_verify.len();
        let before = accepted.len();
        accept(text, settings, diagnostics, &mut accepted, to_verify);
        // All taken: what is blocked overlaps them, for the next pass. Some left out: what
        // they blocked may go now.
        if accepted.len() - before == tried {
            break;
        }
        pending = blocked;
    }
    let mut edits: Vec<Edit> = accepted.into_iter().flat_map(|f| f.edits).collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    edits
}

/// Adds to `accepted` the fixes of `fixes` that, applied with it, bring no new
/// diagnostic: all of them if they can go together, else halves, recursively.
fn accept(
    text: &str,
    settings: &Settings,
    diagnostics: &[Diagnostic],
    accepted: &mut Vec<Fix>,
    mut fixes: Vec<Fix>,
) {
    if fixes.is_empty() {
        return;
    }
    let trial: Vec<&Fix> = accepted.iter().chain(&fixes).collect();
    if verified(text, settings, diagnostics, &trial) {
        accepted.append(&mut fixes);
    } else if fixes.len() > 1 {
        let second = fixes.split_off(fixes.len() / 2);
        accept(text, settings, diagnostics, accepted, fixes);
        accept(text, settings, diagnostics, accepted, second);
    }
}

/// [`fix_all`] as edits of `text`: every safe fix, over up to [`MAX_PASSES`] rounds of
/// parse, check and [`safe_edits`], composed into one list of minimal non-overlapping
/// edits of the original text.
pub fn fix_all_edits(text: &str, settings: &Settings) -> Vec<Edit> {
    let mut current = text.to_owned();
    let mut total: Vec<Edit> = Vec::new();
    let (mut passes, mut capped) = (0, 0);
    while passes < MAX_PASSES && capped < MAX_CAPPED_PASSES {
        let doc = syntax::parse(&current);
        let alignment = crate::align::align(&current, &doc);
        let diagnostics = check::check_with(&current, &doc, &alignment, settings);
        if diagnostics.len() >= check::MAX_DIAGNOSTICS {
            capped += 1;
        } else {
            passes += 1;
        }
        let edits = safe_edits(&current, &doc, settings, &diagnostics);
        if edits.is_empty() {
            break;
        }
        let Some(next) = apply(&current, &edits) else {
            break; // cannot happen: the edits are checked not to overlap
        };
        total = compose(text, &total, &edits, &next);
        current = next;
    }
    total
}

/// Applies every safe fix, pass after pass until none is left (at most [`MAX_PASSES`],
/// see there):
/// what `check --fix` writes. Returns the text unchanged when nothing is to be fixed.
pub fn fix_all(text: &str, settings: &Settings) -> String {
    apply(text, &fix_all_edits(text, settings)).unwrap_or_else(|| text.to_owned())
}

/// The edits of `original` that make `last`, given `first` (edits of `original`) and then
/// `then` (edits of the text `first` made, which `then` turns into `last`). Each group of
/// touching or overlapping changes becomes one edit, trimmed to what differs.
fn compose(original: &str, first: &[Edit], then: &[Edit], last: &str) -> Vec<Edit> {
    // Every change as a region of the middle text: (start, end, growth from original for
    // `first`, growth to last for `then`).
    let mut regions: Vec<(usize, usize, isize, isize)> = Vec::new();
    let mut shift = 0isize;
    for e in first {
        let start = e.span.start.saturating_add_signed(shift);
        let growth = e.new_text.len() as isize - e.span.len() as isize;
        regions.push((start, start + e.new_text.len(), growth, 0));
        shift += growth;
    }
    for e in then {
        let growth = e.new_text.len() as isize - e.span.len() as isize;
        regions.push((e.span.start, e.span.end, 0, growth));
    }
    regions.sort_by_key(|r| (r.0, r.1));
    let (mut before_first, mut before_then) = (0isize, 0isize);
    let mut out = Vec::new();
    let mut i = 0;
    while i < regions.len() {
        let (start, mut end, mut g_first, mut g_then) = regions[i];
        i += 1;
        while i < regions.len() && regions[i].0 <= end {
            end = end.max(regions[i].1);
            g_first += regions[i].2;
            g_then += regions[i].3;
            i += 1;
        }
        let in_original = start.saturating_add_signed(-before_first)
            ..end.saturating_add_signed(-(before_first + g_first));
        let in_last = start.saturating_add_signed(before_then)
            ..end.saturating_add_signed(before_then + g_then);
        out.push(Edit::minimal(original, in_original, &last[in_last]));
        before_first += g_first;
        before_then += g_then;
    }
    out.retain(|e| !e.is_noop());
    out
}

/// Whether two edits cannot both be applied in one go: they overlap, or start at the same
/// place (two insertions there would have no defined order).
fn conflict(a: &Edit, b: &Edit) -> bool {
    (a.span.start < b.span.end && b.span.start < a.span.end) || a.span.start == b.span.start
}

/// Fixes whose result need not be checked again: they change only blanks at a line's
/// start or end, which no check reads but these two.
fn self_evident(code: Code) -> bool {
    matches!(code, Code::Indentation | Code::TrailingWhitespace)
}

/// Whether applying `fixes` together removes each one's diagnostic and brings no new one:
/// the diagnostics of the result, by code and message (positions move), must be among
/// `diagnostics` less the fixed ones.
fn verified(text: &str, settings: &Settings, diagnostics: &[Diagnostic], fixes: &[&Fix]) -> bool {
    let edits: Vec<Edit> = fixes.iter().flat_map(|f| f.edits.iter().cloned()).collect();
    let Some(after) = apply(text, &edits) else {
        return false;
    };
    let doc = syntax::parse(&after);
    let alignment = crate::align::align(&after, &doc);
    let found = check::check_with(&after, &doc, &alignment, settings);
    // The count of diagnostics not shown changes with any fix: not a new diagnostic.
    let counted = |d: &&Diagnostic| d.code != Code::TooManyDiagnostics;
    let mut budget: HashMap<(Code, &str), isize> = HashMap::new();
    for d in diagnostics.iter().filter(counted) {
        *budget.entry((d.code, d.message.as_str())).or_default() += 1;
    }
    for f in fixes {
        let d = &diagnostics[f.diagnostic];
        *budget.entry((d.code, d.message.as_str())).or_default() -= 1;
    }
    found.iter().filter(counted).all(|d| {
        let left = budget.entry((d.code, d.message.as_str())).or_default();
        *left -= 1;
        *left >= 0
    }) && budget.values().all(|&n| n >= 0)
}

/// The fixes a diagnostic's code offers in this case, not yet verified.
fn candidates(
    text: &str,
    doc: &Document,
    diagnostics: &[Diagnostic],
    index: usize,
    shared: &Shared,
) -> Vec<Fix> {
    let Some(d) = diagnostics.get(index) else {
        return Vec::new();
    };
    let cx = Cx {
        text,
        doc,
        d,
        shared,
    };
    let found: Vec<Draft> = match d.code {
        Code::DateMismatch => cx.date_mismatch(),
        Code::PageMismatch => cx.page_mismatch(),
        Code::MissingHeaderField => cx.missing_field().into_iter().collect(),
        Code::UnknownHeaderField => cx.unknown_field().into_iter().collect(),
        Code::HeaderFieldOrder => cx.field_order().into_iter().collect(),
        Code::HeaderLayout => cx.header_layout().into_iter().collect(),
        Code::Indentation => cx.indentation().into_iter().collect(),
        Code::TrailingWhitespace => cx.trailing_whitespace().into_iter().collect(),
        Code::HalfwidthPunctuation => cx.halfwidth().into_iter().collect(),
        Code::OcrArtifact => cx.latin_zero().into_iter().collect(),
        Code::RepeatedWord => cx.repeated_word().into_iter().collect(),
        _ => Vec::new(),
    };
    found
        .into_iter()
        .map(|mut f| {
            // A no-op edit (nothing to change after trimming) is no fix.
            f.edits.retain(|e| !e.is_noop());
            f
        })
        .filter(|f| !f.edits.is_empty() && apply(text, &f.edits).is_some())
        .map(|f| Fix {
            title: f.title,
            code: d.code,
            diagnostic: index,
            edits: f.edits,
            preferred: f.preferred,
            safe: f.safe,
        })
        .collect()
}

/// A fix before it is tied to its diagnostic.
struct Draft {
    title: String,
    edits: Vec<Edit>,
    preferred: bool,
    safe: bool,
}

impl Draft {
    fn new(title: String, edits: Vec<Edit>, safe: bool) -> Draft {
        Draft {
            title,
            edits,
            preferred: false,
            safe,
        }
    }
}

/// How far from a half-width bracket its partner is looked for, in bytes.
const PARTNER_REACH: usize = 4096;

/// What each code's fix looks at.
struct Cx<'a> {
    text: &'a str,
    doc: &'a Document,
    d: &'a Diagnostic,
    shared: &'a Shared,
}

/// What the fixes of one document share, computed when first needed.
#[derive(Default)]
struct Shared {
    original_indent: std::cell::OnceCell<&'static str>,
}

impl Cx<'_> {
    fn str(&self, span: &Span) -> &str {
        &self.text[span.clone()]
    }

    /// Header date ↔ the original's: either side may be the wrong one; the original is
    /// the scan, so taking its value is preferred.
    fn date_mismatch(&self) -> Vec<Draft> {
        let (Some(en), Some(cn)) = (self.doc.header.get(FieldKey::Date), &self.doc.original.date)
        else {
            return Vec::new();
        };
        let (en_value, cn_value) = (self.str(&en.value), self.str(&cn.text));
        if self.d.span != en.value
            || parse_date(en_value).is_none()
            || parse_date(cn_value).is_none()
        {
            return Vec::new();
        }
        let mut into_header = Draft::new(
            format!("Take the original's date {cn_value} into the header"),
            vec![Edit::minimal(self.text, en.value.clone(), cn_value)],
            false,
        );
        into_header.preferred = true;
        let into_original = Draft::new(
            format!("Take the header's date {en_value} into the original"),
            vec![Edit::minimal(self.text, cn.text.clone(), en_value)],
            false,
        );
        vec![into_header, into_original]
    }

    /// Header page ↔ the N of `第N版`, as for the date.
    fn page_mismatch(&self) -> Vec<Draft> {
        let (Some(en), Some(cn)) = (self.doc.header.get(FieldKey::Page), &self.doc.original.page)
        else {
            return Vec::new();
        };
        let Some(digits) = &cn.number else {
            return Vec::new();
        };
        let (Some(a), Some(b)) = (
            parse_page(self.str(&en.value)),
            parse_number(self.str(digits)),
        ) else {
            return Vec::new();
        };
        if self.d.span != en.value {
            return Vec::new();
        }
        let key = self.str(&en.key_span);
        let mut into_header = Draft::new(
            format!("Take the original's page {b} into the header (`{key}: {b}`)"),
            vec![Edit::minimal(self.text, en.value.clone(), &b.to_string())],
            false,
        );
        into_header.preferred = true;
        let into_original = Draft::new(
            format!("Take the header's page {a} into the original (`第{a}版`)"),
            vec![Edit::minimal(self.text, digits.clone(), &a.to_string())],
            false,
        );
        vec![into_header, into_original]
    }

    /// The missing line, where it belongs in the header order. `Date:` and `Page:` take
    /// the original's value (safe); `Author:` its names romanised, or nothing when it
    /// names nobody (not safe: a guess at a spelling). `Title:` has no fix: an empty title
    /// is an error of its own.
    fn missing_field(&self) -> Option<Draft> {
        let key = FieldKey::ALL
            .into_iter()
            .find(|&k| self.d.message == check::missing_field_message(k))?;
        let o = &self.doc.original;
        let (value, safe) = match key {
            FieldKey::Date => {
                let date = self.str(&o.date.as_ref()?.text);
                parse_date(date)?;
                (date.to_owned(), true)
            }
            FieldKey::Page => {
                let n = parse_number(self.str(o.page.as_ref()?.number.as_ref()?))?;
                (n.to_string(), true)
            }
            FieldKey::Author => {
                let names = o.author.as_ref().map_or("", |a| self.str(&a.text));
                let romanised = crate::ide::completion::romanise_authors(names);
                if romanised.is_empty() && !names.is_empty() {
                    return None;
                }
                (romanised, false)
            }
            FieldKey::Title | FieldKey::Column => return None,
        };
        let line = if value.is_empty() {
            format!("{}:", key.name())
        } else {
            format!("{}: {value}", key.name())
        };
        let edit = self.insert_header_line(key, &line)?;
        Some(Draft::new(
            format!("Add `{line}` to the header"),
            vec![edit],
            safe,
        ))
    }

    /// The insertion of `line` for `key`: before the first field that comes after it in the
    /// canonical order, else after the last field. Placed so, it never makes the order
    /// worse: every field before it comes before `key`.
    fn insert_header_line(&self, key: FieldKey, line: &str) -> Option<Edit> {
        let fields = &self.doc.header.fields;
        let lines = &self.doc.lines;
        let eol = self.line_break();
        match fields.iter().find(|f| f.key.is_some_and(|k| k > key)) {
            Some(after) => Some(Edit::new(
                lines[after.line].start..lines[after.line].start,
                format!("{line}{eol}"),
            )),
            None => {
                let last = lines[fields.last()?.line];
                Some(Edit::new(last.end..last.end, format!("{eol}{line}")))
            }
        }
    }

    /// The document's line break: that of its first line (CRLF stays CRLF).
    fn line_break(&self) -> &str {
        self.doc
            .lines
            .iter()
            .map(|l| &self.text[l.end..l.next])
            .find(|b| !b.is_empty())
            .unwrap_or("\n")
    }

    /// The unknown key renamed to the suggested one; safe when no other known key is as
    /// near. Not offered when the suggestion is far (`Source:` is not a typo of anything)
    /// or its field is already there (a duplicate).
    fn unknown_field(&self) -> Option<Draft> {
        let field = self
            .doc
            .header
            .fields
            .iter()
            .find(|f| f.key.is_none() && f.key_span == self.d.span)?;
        let written = self.str(&field.key_span);
        let s = check::suggest_key(written);
        let near = s.distance <= 2 && 2 * s.distance <= written.chars().count();
        let key = FieldKey::parse(s.spelling)?;
        if !near || self.doc.header.get(key).is_some() {
            return None;
        }
        Some(Draft::new(
            format!("Rename `{written}:` to `{}:`", s.spelling),
            vec![Edit::minimal(self.text, field.key_span.clone(), s.spelling)],
            s.unique,
        ))
    }

    /// The header's known fields in the canonical order (a stable sort: a repeated key
    /// keeps its place after the first), each whole line moved with its value untouched;
    /// unknown keys and blank lines stay where they are.
    fn field_order(&self) -> Option<Draft> {
        let known: Vec<&syntax::HeaderField> = self
            .doc
            .header
            .fields
            .iter()
            .filter(|f| f.key.is_some())
            .collect();
        let mut sorted = known.clone();
        sorted.sort_by_key(|f| f.key);
        let lines = &self.doc.lines;
        let (first, last) = (known.first()?.line, known.last()?.line);
        let region = lines[first].start..lines[last].end;
        let mut new = String::with_capacity(region.len());
        let mut at = region.start;
        for (slot, moved) in known.iter().zip(&sorted) {
            let slot = lines[slot.line];
            new.push_str(&self.text[at..slot.start]);
            new.push_str(&self.text[lines[moved.line].range()]);
            at = slot.end;
        }
        new.push_str(&self.text[at..region.end]);
        let order: Vec<&str> = sorted.iter().map(|f| self.str(&f.key_span)).collect();
        Some(Draft::new(
            format!("Put the header in order ({})", order.join(", ")),
            vec![Edit::minimal(self.text, region, &new)],
            true,
        ))
    }

    /// The blank lines of the run removed, line breaks and all.
    fn header_layout(&self) -> Option<Draft> {
        let lines = &self.doc.lines;
        let &(first, last) = self
            .doc
            .header
            .blank_runs
            .iter()
            .find(|&&(a, b)| (lines[a].start..lines[b].end) == self.d.span)?;
        let n = last - first + 1;
        Some(Draft::new(
            format!(
                "Remove the blank line{} inside the header",
                if n == 1 { "" } else { "s" }
            ),
            vec![Edit::new(lines[first].start..lines[last].next, "")],
            true,
        ))
    }

    /// The paragraph re-indented with its side's convention.
    fn indentation(&self) -> Option<Draft> {
        let d = &self.d.span;
        // Paragraphs are in file order: the one starting where the diagnostic does.
        let find = |ps: &'_ [Paragraph]| {
            let p = ps.get(ps.partition_point(|p| p.indent.start < d.start))?;
            (p.indent == *d || (p.indent.is_empty() && p.text == *d)).then(|| p.clone())
        };
        let (side, paragraphs, p) = match find(&self.doc.translation.paragraphs) {
            Some(p) => (Side::Translation, &self.doc.translation.paragraphs, p),
            None => (
                Side::Original,
                &self.doc.original.paragraphs,
                find(&self.doc.original.paragraphs)?,
            ),
        };
        let indent = match side {
            Side::Translation => check::indent_convention(self.text, paragraphs, side),
            // Counting the original's paragraphs once per call, not once per fault.
            Side::Original => *self
                .shared
                .original_indent
                .get_or_init(|| check::indent_convention(self.text, paragraphs, side)),
        };
        let what = if indent.starts_with(' ') {
            "four spaces"
        } else {
            "two ideographic spaces (U+3000)"
        };
        Some(Draft::new(
            format!("Indent the paragraph with {what}"),
            vec![Edit::minimal(self.text, p.indent.clone(), indent)],
            true,
        ))
    }

    /// The blanks at the line's end removed (never the canonical `<hr /> `, `Original: `).
    fn trailing_whitespace(&self) -> Option<Draft> {
        let lines = &self.doc.lines;
        let i = lines.partition_point(|l| l.start <= self.d.span.start);
        let line = lines.get(i.checked_sub(1)?)?;
        let kept = check::trailing_blanks(&self.text[line.range()])?;
        if (line.start + kept..line.end) != self.d.span {
            return None;
        }
        Some(Draft::new(
            "Remove the trailing whitespace".to_owned(),
            vec![Edit::new(self.d.span.clone(), "")],
            true,
        ))
    }

    /// The mark in its full-width form; a bracket with its ASCII partner in the same
    /// title or paragraph, so that the pair stays a pair. Never on the page line.
    fn halfwidth(&self) -> Option<Draft> {
        let o = &self.doc.original;
        let span = &self.d.span;
        let c = self.str(span).chars().next()?;
        let full = check::fullwidth_of(c);
        if full == c || span.len() != c.len_utf8() {
            return None;
        }
        let inside = |u: &Span| u.start <= span.start && span.end <= u.end;
        let ps = &o.paragraphs;
        let paragraph = ps.get(ps.partition_point(|p| p.text.end < span.end));
        let unit = o
            .title
            .iter()
            .map(|t| t.text.clone())
            .chain(paragraph.map(|p| p.text.clone()))
            .find(inside)?;
        if o.page.as_ref().is_some_and(|p| inside(&p.text)) {
            return None;
        }
        let mut edits = vec![Edit::new(span.clone(), full.to_string())];
        let mut title = format!("Replace `{c}` by `{full}`");
        if let Some(partner) = self.bracket_partner(&unit, span.start, c) {
            let p = self.str(&(partner..partner + 1)).chars().next()?;
            edits.push(Edit::new(
                partner..partner + 1,
                check::fullwidth_of(p).to_string(),
            ));
            edits.sort_by_key(|e| e.span.start);
            let (open, close) = if c == '(' {
                (full, '）')
            } else {
                ('（', full)
            };
            title = format!("Replace `()` by `{open}{close}`");
        }
        Some(Draft::new(title, edits, true))
    }

    /// The byte offset of the ASCII bracket that pairs with the one at `at`, in `unit`,
    /// looked for within [`PARTNER_REACH`] bytes (so a hostile line of unpaired marks
    /// costs little).
    fn bracket_partner(&self, unit: &Span, at: usize, c: char) -> Option<usize> {
        let mut from = unit.start.max(at.saturating_sub(PARTNER_REACH));
        let mut to = unit.end.min(at + 1 + PARTNER_REACH);
        while !self.text.is_char_boundary(from) {
            from += 1;
        }
        while !self.text.is_char_boundary(to) {
            to -= 1;
        }
        let unit = &(from..to);
        let s = self.str(unit);
        let i = at - unit.start;
        let mut depth = 0usize;
        match c {
            '(' => {
                for (j, x) in s[i + 1..].char_indices() {
                    match x {
                        '(' => depth += 1,
                        ')' if depth == 0 => return Some(at + 1 + j),
                        ')' => depth -= 1,
                        _ => {}
                    }
                }
                None
            }
            ')' => {
                for (j, x) in s[..i].char_indices().rev() {
                    match x {
                        ')' => depth += 1,
                        '(' if depth == 0 => return Some(unit.start + j),
                        '(' => depth -= 1,
                        _ => {}
                    }
                }
                None
            }
            _ => None,
        }
    }

    /// A Latin `O`/`o`/`0` inside a Chinese numeral as the zero `〇` (a guess: not safe).
    /// The other OCR artifacts need the page scan.
    fn latin_zero(&self) -> Option<Draft> {
        let s = self.str(&self.d.span);
        if s.is_empty() || !s.chars().all(check::is_latin_zero) {
            return None;
        }
        let zeros = "〇".repeat(s.chars().count());
        Some(Draft::new(
            format!("Replace `{s}` by `{zeros}`"),
            vec![Edit::new(self.d.span.clone(), zeros)],
            false,
        ))
    }

    /// The second of the two words deleted, with the blanks before it.
    fn repeated_word(&self) -> Option<Draft> {
        let s = self.str(&self.d.span);
        let first_end = s.find([' ', '\t'])?;
        let second_start = s.rfind([' ', '\t'])? + 1;
        let word = &s[..first_end];
        if word.is_empty() || &s[second_start..] != word {
            return None;
        }
        let start = self.d.span.start + first_end;
        Some(Draft::new(
            format!("Delete the second `{word}`"),
            vec![Edit::new(start..self.d.span.end, "")],
            false,
        ))
    }
}

#[cfg(test)]
mod tests;
