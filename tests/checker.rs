//! The command-line checker, run as a user runs it: the built binary on the seeds and the
//! fixtures, in both output formats, with its exit statuses.

mod common;

use common::TempTree;
use serde_json::Value;
use std::path::Path;
use std::process::Output;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    common::checker()
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

/// `check --format json --min-severity hint ARGS`: every diagnostic, hints too.
fn json(args: &[&str]) -> (Vec<Value>, i32) {
    let mut all = vec!["check", "--format", "json", "--min-severity", "hint"];
    all.extend_from_slice(args);
    let o = run(&all);
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON output");
    (
        v.as_array().expect("an array").clone(),
        o.status.code().unwrap(),
    )
}

/// One line of tests/fixtures/invalid/MANIFEST.tsv.
struct Expectation {
    file: String,
    code: String,
    line: u64,
    others: Vec<String>,
}

fn manifest() -> Vec<Expectation> {
    let text = std::fs::read_to_string(root().join("tests/fixtures/invalid/MANIFEST.tsv")).unwrap();
    text.lines()
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Expectation {
                file: f[0].to_owned(),
                code: f[1].to_owned(),
                line: f[2].parse().unwrap(),
                others: f[3]
                    .split(',')
                    .filter(|c| *c != "-")
                    .map(str::to_owned)
                    .collect(),
            }
        })
        .collect()
}

fn severity_of(code: &str) -> &'static str {
    match code {
        "unknown-header-field"
        | "header-field-order"
        | "unexpected-text"
        | "untranslated-text"
        | "missing-chinese"
        | "untranslated-paragraph"
        | "truncated-translation"
        | "length-ratio"
        | "same-as-original"
        | "unpaired-bracket"
        | "repeated-word"
        | "number-mismatch"
        | "dateline-mismatch" => "warning",
        "author-mismatch"
        | "column-mismatch"
        | "paragraph-count-mismatch"
        | "halfwidth-punctuation"
        | "ocr-artifact" => "information",
        "header-layout" | "indentation" | "trailing-whitespace" => "hint",
        _ => "error",
    }
}

#[test]
fn seeds_are_silent() {
    let (diags, status) = json(&["seeds/"]);
    assert_eq!(diags, Vec::<Value>::new());
    assert_eq!(status, 0);
    let o = run(&["check", "seeds"]);
    let seeds = std::fs::read_dir(root().join("seeds")).unwrap().count();
    assert!(seeds >= 6);
    assert_eq!(
        stdout(&o),
        format!("{seeds} files checked: 0 errors, 0 warnings\n")
    );
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn every_code_fires_on_its_fixture_and_nothing_else_does() {
    let expectations = manifest();
    let codes: std::collections::BTreeSet<_> =
        expectations.iter().map(|e| e.code.clone()).collect();
    // Every code but the cap has a fixture (the cap needs over 1,000 diagnostics).
    let all: std::collections::BTreeSet<String> = archive_lsp::check::Code::ALL
        .iter()
        .map(|c| c.name().to_owned())
        .filter(|c| c != "too-many-diagnostics")
        .collect();
    assert_eq!(codes, all, "a fixture for every code");
    for e in &expectations {
        let path = format!("tests/fixtures/invalid/{}", e.file);
        let (diags, status) = json(&[&path]);
        let at = |d: &Value| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["start"]["line"].as_u64().unwrap(),
            )
        };
        assert!(
            diags.iter().any(|d| at(d) == (e.code.clone(), e.line)),
            "{}: expected {} on line {}, got {diags:?}",
            e.file,
            e.code,
            e.line
        );
        for d in &diags {
            let code = d["code"].as_str().unwrap();
            assert!(
                code == e.code || e.others.iter().any(|o| o == code),
                "{}: unexpected {code}",
                e.file
            );
            assert_eq!(d["severity"], severity_of(code), "{}: {code}", e.file);
            assert_eq!(d["path"], path.as_str());
            assert!(!d["message"].as_str().unwrap().is_empty());
        }
        let has_error = diags.iter().any(|d| d["severity"] == "error");
        assert_eq!(status, i32::from(has_error), "{}: exit status", e.file);
    }
}

#[test]
fn json_positions_count_characters_and_end_exclusive() {
    // The untranslated run in the fixture: line 7 holds ASCII, then 北京郊区的农民 (7 Han).
    let (diags, _) = json(&["tests/fixtures/invalid/untranslated-text.md"]);
    let d = &diags[0];
    let keys: Vec<_> = d.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        ["code", "end", "message", "path", "severity", "start"]
    );
    let line = std::fs::read_to_string(root().join("tests/fixtures/invalid/untranslated-text.md"))
        .unwrap()
        .lines()
        .nth(6)
        .unwrap()
        .to_owned();
    let start = d["start"]["column"].as_u64().unwrap() as usize;
    let end = d["end"]["column"].as_u64().unwrap() as usize;
    let covered: String = line.chars().skip(start - 1).take(end - start).collect();
    assert_eq!(covered, "北京郊区的农民");
    assert_eq!(d["start"]["line"], d["end"]["line"]);
}

#[test]
fn a_bom_is_not_counted_in_columns() {
    let tree = TempTree::new("bom");
    let dir = tree.root();
    let sample = std::fs::read_to_string(root().join("seeds/000_0d759123a74baf35.txt")).unwrap();
    let text = format!("\u{feff}{}", sample.replacen("Title:", "Titel:", 1));
    std::fs::write(dir.join("bom.md"), text).unwrap();
    let (diags, _) = json(&[dir.join("bom.md").to_str().unwrap()]);
    let unknown = diags
        .iter()
        .find(|d| d["code"] == "unknown-header-field")
        .unwrap();
    assert_eq!(
        (
            unknown["start"]["line"].as_u64(),
            unknown["start"]["column"].as_u64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(unknown["end"]["column"], 6);
}

#[test]
fn human_output_has_location_source_and_carets() {
    let o = run(&["check", "tests/fixtures/invalid/untranslated-text.md"]);
    let out = stdout(&o);
    let mut lines = out.lines();
    let head = lines.next().unwrap();
    assert!(
        head.starts_with(
            "tests/fixtures/invalid/untranslated-text.md:7:68: warning[untranslated-text]: "
        ),
        "{head}"
    );
    let source = lines.next().unwrap();
    let carets = lines.next().unwrap();
    assert!(source.starts_with("7 | ") && source.contains("北京郊区的农民"));
    // Seven Han characters are fourteen terminal columns, under them exactly.
    assert_eq!(carets.trim_start_matches([' ', '|']).len(), 14);
    let offset = carets.find('^').unwrap();
    let prefix: String = source.chars().take_while(|_| true).collect();
    let han_at = prefix.find('北').unwrap();
    assert_eq!(offset, unicode_width_of(&source[..han_at]));
    assert_eq!(
        out.lines().last().unwrap(),
        "1 file checked: 0 errors, 1 warning"
    );
    assert_eq!(o.status.code(), Some(0));
}

/// Terminal width of ASCII-and-Han text, for the caret check.
fn unicode_width_of(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

#[test]
fn output_is_sorted_by_path_then_position() {
    let (diags, _) = json(&["tests/fixtures/invalid/", "seeds"]);
    let keys: Vec<_> = diags
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["start"]["line"].as_u64().unwrap(),
                d["start"]["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert!(keys.len() >= 20);
}

#[test]
fn the_folder_walk_takes_archive_documents_only() {
    let tree = TempTree::new("walk");
    let dir = tree.root();
    let sample = std::fs::read(root().join("seeds/000_0d759123a74baf35.txt")).unwrap();
    std::fs::create_dir_all(dir.join("deep/er")).unwrap();
    std::fs::write(dir.join("deep/er/a.md"), &sample).unwrap();
    std::fs::write(dir.join("b.txt"), b"Title: started\n").unwrap();
    std::fs::write(
        dir.join("readme.md"),
        b"Title: a MultiMarkdown note\n\nhello\n",
    )
    .unwrap();
    std::fs::write(dir.join("notes.rs"), &sample).unwrap();
    std::fs::write(dir.join("binary.txt"), [0xff, 0x00, 0xfe, 0x01]).unwrap();
    let o = run(&["check", dir.to_str().unwrap()]);
    let out = stdout(&o);
    assert!(
        out.ends_with("2 files checked: 7 errors, 0 warnings\n"),
        "{out}"
    );
    assert!(out.contains("b.txt:1:1: error[missing-header-field]"));
    assert!(!out.contains("a.md:"));
    // Named explicitly, any file is checked.
    let named = dir.join("readme.md");
    let (diags, status) = json(&[named.to_str().unwrap()]);
    assert!(diags.iter().any(|d| d["code"] == "missing-separator"));
    assert_eq!(status, 1);
}

#[test]
fn unreadable_paths_exit_2_and_the_rest_is_still_checked() {
    let o = run(&[
        "check",
        "no/such/file.md",
        "tests/fixtures/invalid/date-mismatch.md",
    ]);
    assert_eq!(o.status.code(), Some(2), "2 wins over 1");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cannot read no/such/file.md"), "{err}");
    assert!(stdout(&o).contains("error[date-mismatch]"));
}

#[test]
fn invalid_encoding_is_reported_with_status_1() {
    let (diags, status) = json(&["tests/fixtures/invalid/invalid-encoding.md"]);
    assert_eq!(status, 1);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0]["code"], "invalid-encoding");
}

#[test]
fn usage() {
    let help = run(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(
        stdout(&help).contains("Usage: archive-lsp"),
        "{}",
        stdout(&help)
    );
    let help = run(&["check", "--help"]);
    assert!(stdout(&help).contains("Usage: archive-lsp check [OPTIONS] <PATH>..."));
    let version = run(&["--version"]);
    assert_eq!(
        stdout(&version),
        format!("archive-lsp {}\n", env!("CARGO_PKG_VERSION"))
    );
    for bad in [
        &["check", "--colour", "seeds"][..],
        &["check"],
        &["check", "--format", "xml", "seeds"],
        &["--bogus"],
    ] {
        let o = run(bad);
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("--help"),
            "{bad:?}: a hint"
        );
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn human_output_points_at_the_counterpart() {
    let o = run(&["check", "tests/fixtures/invalid/date-mismatch.md"]);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].contains("3:7: error[date-mismatch]"), "{out}");
    assert_eq!(
        lines[3], "  = see 18:1: the original's date: 1954-03-12",
        "{out}"
    );
}
