//! Diagnostics through the server: exactly the core's, on every seed (none), every fixture
//! (its code) and every real file of the corpus, in each position encoding; published on
//! open, after every change, and emptied on close.

mod common;

use common::{comparable, expected_diagnostics, file_uri, root, seeds, Server};
use serde_json::json;
use std::path::PathBuf;

/// Every `tests/fixtures/invalid/*.md` with its code from MANIFEST.tsv (`None` if a new
/// fixture is not listed yet), minus the non-UTF-8 fixture (LSP documents are strings: an
/// editor cannot send it).
fn fixtures() -> Vec<(PathBuf, Option<String>)> {
    let dir = root().join("tests/fixtures/invalid");
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    let code_of = |name: &str| {
        manifest.lines().find_map(|l| {
            let mut cols = l.split('\t');
            (cols.next() == Some(name)).then(|| cols.next().unwrap_or("").to_string())
        })
    };
    let all: Vec<_> = common::files_in(&dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter(|p| !p.ends_with("invalid-encoding.md"))
        .map(|p| {
            let code = code_of(p.file_name().unwrap().to_str().unwrap());
            (p, code)
        })
        .collect();
    assert!(all.len() >= 20, "the fixtures are there");
    all
}

fn valid_fixtures() -> Vec<PathBuf> {
    common::files_in(&root().join("tests/fixtures/valid"))
}

/// Opens `path` and asserts the published diagnostics are exactly the core's.
fn assert_same_as_core(
    s: &mut Server,
    path: &std::path::Path,
    encoding: &str,
) -> Vec<serde_json::Value> {
    let (uri, _, got) = s.open_matching_core(path, encoding);
    s.close(&uri);
    assert!(
        s.wait_diagnostics(&uri).is_empty(),
        "closing empties the list"
    );
    got
}

#[test]
fn seeds_have_no_diagnostic_in_any_encoding() {
    assert!(!seeds().is_empty());
    for enc in ["utf-8", "utf-16", "utf-32"] {
        let mut s = Server::start();
        assert_eq!(s.initialize_encodings(Some(&[enc])), enc);
        for seed in seeds() {
            let got = assert_same_as_core(&mut s, &seed, enc);
            assert!(got.is_empty(), "{}: {got:?}", seed.display());
        }
        s.shutdown();
    }
}

#[test]
fn every_fixture_gets_its_code_in_every_encoding() {
    for enc in ["utf-8", "utf-16", "utf-32"] {
        let mut s = Server::start();
        s.initialize_encodings(Some(&[enc]));
        for (path, code) in fixtures() {
            let got = assert_same_as_core(&mut s, &path, enc);
            if let Some(code) = code {
                assert!(
                    got.iter().any(|d| d["code"] == code.as_str()),
                    "{} lacks {code}: {got:?}",
                    path.display()
                );
            }
        }
        for path in valid_fixtures() {
            let got = assert_same_as_core(&mut s, &path, enc);
            assert!(got.is_empty(), "{}: {got:?}", path.display());
        }
        s.shutdown();
    }
}

#[test]
fn corpus_diagnostics_are_the_checkers() {
    let Some(files) = common::corpus() else {
        return;
    };
    let mut s = Server::start();
    s.initialize_encodings(None);
    for path in files {
        assert_same_as_core(&mut s, &path, "utf-16");
    }
    s.shutdown();
}

#[test]
fn related_information_points_at_the_counterpart() {
    let mut s = Server::start();
    s.initialize_encodings(Some(&["utf-16"]));
    let path = root().join("tests/fixtures/invalid/date-mismatch.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let uri = file_uri(&path);
    s.open(&uri, &text);
    let got = s.wait_diagnostics(&uri);
    let core = archive_lsp::check::check_text(&text);
    for (d, c) in got.iter().zip(&core) {
        let related = d["relatedInformation"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(related.len(), c.related.len());
        for (r, cr) in related.iter().zip(&c.related) {
            assert_eq!(r["location"]["uri"], uri.as_str());
            assert_eq!(
                r["location"]["range"],
                common::position::range(&text, &cr.span, "utf-16")
            );
            assert_eq!(r["message"], cr.message.as_str());
        }
    }
    assert!(got.iter().any(|d| d["relatedInformation"].is_array()));
    s.shutdown();
}

#[test]
fn diagnostics_follow_every_change() {
    let mut s = Server::start();
    s.initialize_encodings(None);
    let seed = &seeds()[0];
    let mut text = std::fs::read_to_string(seed).unwrap();
    let uri = "file:///tmp/follow.txt";
    s.open(uri, &text);
    assert!(s.wait_diagnostics(uri).is_empty());

    // Break the date: date-mismatch, with the version of the change.
    let at = text.find("Date: 1952").unwrap() + "Date: ".len();
    let line = text[..at].matches('\n').count() as u64;
    let v = s.change(
        uri,
        vec![json!({"range": {"start": {"line": line, "character": 6}, "end": {"line": line, "character": 10}}, "text": "1953"})],
    );
    text.replace_range(at..at + 4, "1953");
    let p = s.wait_publish(uri);
    assert_eq!(p["version"], v);
    let got = p["diagnostics"].as_array().unwrap().clone();
    assert_eq!(comparable(&got), expected_diagnostics(&text, "utf-16"));
    assert!(got.iter().any(|d| d["code"] == "date-mismatch"));

    // Mend it: nothing again.
    let v = s.change(
        uri,
        vec![json!({"range": {"start": {"line": line, "character": 6}, "end": {"line": line, "character": 10}}, "text": "1952"})],
    );
    assert!(s.wait_diagnostics_version(uri, v).is_empty());
    s.shutdown();
}
