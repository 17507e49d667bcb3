//! `check --format sarif`: a SARIF 2.1.0 log, built from `serde-sarif`'s types.
//!
//! The log is streamed: [`envelope`] renders the whole log with an empty `results` array
//! and splits it there, so that each file's results ([`result`]) are written between the
//! two halves as the files finish, in path order.

use super::report::Located;
use crate::check::{Code, Severity};
use serde_json::json;
use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, Region,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif,
    Tool, ToolComponent, Version, SCHEMA_URL,
};

/// What the results array is when empty, where the log is split.
const EMPTY_RESULTS: &str = "\"results\":[]";

/// The log before and after its results: one run of `archive-lsp`, every rule described,
/// columns counted in Unicode code points (as in the other formats).
pub fn envelope() -> (String, String) {
    let rules: Vec<ReportingDescriptor> = Code::ALL
        .iter()
        .map(|&code| {
            ReportingDescriptor::builder()
                .id(code.name())
                .name(pascal_case(code.name()))
                .short_description(
                    MultiformatMessageString::builder()
                        .text(format!(
                            "{} (see the codes table of archive-lsp's README)",
                            code.name()
                        ))
                        .build(),
                )
                .default_configuration(
                    ReportingConfiguration::builder()
                        .level(json!(level(code.severity())))
                        .build(),
                )
                .build()
        })
        .collect();
    let driver = ToolComponent::builder()
        .name("archive-lsp")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(rules)
        .build();
    // Relative paths are relative to the current directory, named as the base `SRCROOT`.
    let mut bases = std::collections::BTreeMap::new();
    if let Ok(cwd) = std::env::current_dir() {
        let mut root = uri(&cwd.display().to_string());
        if !root.ends_with('/') {
            root.push('/');
        }
        bases.insert(
            SRCROOT.to_owned(),
            ArtifactLocation::builder().uri(root).build(),
        );
    }
    let run = Run::builder()
        .tool(Tool::from(driver))
        .original_uri_base_ids(bases)
        .column_kind(json!("unicodeCodePoints"))
        .results(Vec::<SarifResult>::new())
        .build();
    let log = Sarif::builder()
        .schema(SCHEMA_URL)
        .version(serde_json::to_value(Version::V2_1_0).expect("the version serialises"))
        .runs(vec![run])
        .build();
    let text = serde_json::to_string(&log).expect("the log serialises");
    let at = text
        .find(EMPTY_RESULTS)
        .expect("the run has an empty results array");
    let split = at + EMPTY_RESULTS.len() - 1;
    (text[..split].to_owned(), format!("{}\n", &text[split..]))
}

/// The base of relative paths: the directory `check` ran in.
const SRCROOT: &str = "SRCROOT";

/// `date-mismatch` → `DateMismatch`: SARIF wants a rule's friendly name in Pascal case and
/// different from its id even ignoring case, so a one-word code gets `Rule` after it
/// (`indentation` → `IndentationRule`).
fn pascal_case(name: &str) -> String {
    let mut out: String = name
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or_else(String::new, |f| {
                f.to_ascii_uppercase().to_string() + c.as_str()
            })
        })
        .collect();
    if !name.contains('-') {
        out.push_str("Rule");
    }
    out
}

/// The separator between two results in the streamed array.
pub const SEPARATOR: &str = ",";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

fn result_level(s: Severity) -> ResultLevel {
    match s {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Information | Severity::Hint => ResultLevel::Note,
    }
}

/// One diagnostic as a SARIF result (compact JSON), appended to `out`.
pub fn result(l: &Located, out: &mut String) {
    let d = l.diagnostic;
    let region = |(sl, sc): (usize, usize), (el, ec): (usize, usize)| {
        Region::builder()
            .start_line(sl as i64)
            .start_column(sc as i64)
            .end_line(el as i64)
            .end_column(ec as i64)
            .build()
    };
    let artifact = match location_of(l.path) {
        (relative, true) => ArtifactLocation::builder()
            .uri(uri(&relative))
            .uri_base_id(SRCROOT)
            .build(),
        (absolute, false) => ArtifactLocation::builder().uri(uri(&absolute)).build(),
    };
    let physical = |r: Region| {
        PhysicalLocation::builder()
            .artifact_location(artifact.clone())
            .region(r)
            .build()
    };
    let location = Location::builder()
        .physical_location(physical(region(l.start, l.end)))
        .build();
    let related: Vec<Location> = d
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let (line, col) = crate::syntax::lines::line_col(l.text, l.lines, r.span.start);
            let (end_line, end_col) = crate::syntax::lines::line_col(l.text, l.lines, r.span.end);
            Location::builder()
                .id(i as i64)
                .message(Message::from(r.message.as_str()))
                .physical_location(physical(region(
                    (line + 1, col + 1),
                    (end_line + 1, end_col + 1),
                )))
                .build()
        })
        .collect();
    let mut result = SarifResult::builder()
        .rule_id(d.code.name())
        .rule_index(d.code as i64)
        .level(result_level(d.severity))
        .message(Message::from(d.message.as_str()))
        .locations(vec![location])
        .build();
    if !related.is_empty() {
        result.related_locations = Some(related);
    }
    out.push_str(&serde_json::to_string(&result).expect("a result serialises"));
}

/// Where a file is, as SARIF wants it: relative to the current directory (`true`) when it
/// is inside it, else absolute; either way without `.` or `..` segments.
fn location_of(path: &str) -> (String, bool) {
    use std::path::{Component, Path, PathBuf};
    let Ok(absolute) = std::path::absolute(Path::new(path)) else {
        return (path.to_owned(), !path.starts_with('/'));
    };
    let mut clean = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    match std::env::current_dir()
        .ok()
        .and_then(|cwd| clean.strip_prefix(cwd).ok().map(Path::to_path_buf))
    {
        Some(relative) => (relative.display().to_string(), true),
        None => (clean.display().to_string(), false),
    }
}

/// A path as a URI reference: relative paths stay relative, absolute ones get `file://`;
/// every byte but unreserved characters and `/` is percent-encoded (Han file names too).
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_envelope_splits_at_the_results() {
        let (head, tail) = envelope();
        let whole: serde_json::Value = serde_json::from_str(&format!("{head}{tail}")).unwrap();
        assert_eq!(whole["version"], "2.1.0");
        assert_eq!(whole["runs"][0]["results"], json!([]));
        assert_eq!(
            whole["runs"][0]["tool"]["driver"]["rules"]
                .as_array()
                .unwrap()
                .len(),
            Code::ALL.len()
        );
        assert!(head.ends_with('['));
    }

    #[test]
    fn uris_are_encoded() {
        assert_eq!(uri("a b/中.md"), "a%20b/%E4%B8%AD.md");
        assert_eq!(uri("/tmp/x.md"), "file:///tmp/x.md");
        assert_eq!(pascal_case("date-mismatch"), "DateMismatch");
    }
}
