//! `textDocument/formatting` and `rangeFormatting` through the real server, in each
//! position encoding: over every seed, fixture and corpus file (and CRLF, BOM and astral
//! variants), the edits applied by the client keep every word, leave no layout diagnostic,
//! and formatting again gives no edit.

mod common;

use common::layout::{words, LAYOUT_CODES};
use common::position::{apply_edits, range};
use common::{corpus, root, seeds, Server};
use serde_json::{json, Value};
use std::path::PathBuf;

const SAMPLE: &str = include_str!("../seeds/000_0d759123a74baf35.txt");
const ENCODINGS: [&str; 3] = ["utf-8", "utf-16", "utf-32"];

fn formatting(server: &mut Server, uri: &str) -> Vec<Value> {
    let r = server.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    r.as_array().cloned().unwrap_or_default()
}

/// A messy variant of the sample with astral characters (𠮷: two UTF-16 units, four
/// UTF-8 bytes) before every change, so each encoding's columns differ.
fn messy_astral() -> String {
    SAMPLE
        .replacen(
            "Author:\nDate: 1952-08-03\n",
            "Date: 1952-08-03\n\nAuthor: \n",
            1,
        )
        .replacen("    Since the", "𠮷\tSince the 𠮷", 1)
        .replacen("a mass movement.\n", "a mass movement. 𠮷 \t\n", 1)
        .replacen("    In order", "In order", 1)
        .replacen("    全国", "\u{3000}𠮷全国", 1)
        .replacen("\n\n\n<hr /> ", "\n<hr />", 1)
}

/// Every document to format: (name, text).
fn documents() -> Vec<(String, String)> {
    let mut files: Vec<PathBuf> = seeds();
    for sub in ["valid", "invalid"] {
        files.extend(common::files_in(&root().join("tests/fixtures").join(sub)));
    }
    files.extend(corpus().unwrap_or_default());
    let mut out: Vec<(String, String)> = files
        .iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            Some((p.display().to_string(), text))
        })
        .collect();
    let messy = messy_astral();
    out.push(("messy".into(), messy.clone()));
    out.push(("messy-crlf".into(), messy.replace('\n', "\r\n")));
    out.push((
        "messy-bom-cr".into(),
        format!("\u{feff}{}", messy.replace('\n', "\r")),
    ));
    out
}

#[test]
fn formatting_keeps_every_word_and_is_idempotent_in_each_encoding() {
    let docs = documents();
    for enc in ENCODINGS {
        let mut server = Server::start();
        let negotiated = server.initialize_encodings(Some(&[enc]));
        assert_eq!(negotiated, enc);
        let (mut formatted, mut refused) = (0, 0);
        for (i, (name, text)) in docs.iter().enumerate() {
            let uri = format!("file:///fmt/{i}.md");
            server.open(&uri, text);
            let edits = formatting(&mut server, &uri);
            let new = apply_edits(text, &edits, enc);
            let core = archive_lsp::fix::format::formatted(text);
            match &core {
                Ok(expected) => assert_eq!(&new, expected, "{name} in {enc}"),
                Err(_) => {
                    assert!(edits.is_empty(), "{name}: a refused file gets no edit");
                    refused += 1;
                }
            }
            assert_eq!(
                words(text),
                words(&new),
                "{name} in {enc}: the words changed"
            );
            if edits.is_empty() {
                server.close(&uri);
                server.clear_pending();
                continue;
            }
            formatted += 1;
            let version = server.change(&uri, vec![json!({ "text": new })]);
            assert!(
                formatting(&mut server, &uri).is_empty(),
                "{name} in {enc}: formatting a formatted text gives edits"
            );
            let diagnostics = server.wait_diagnostics_version(&uri, version);
            for d in &diagnostics {
                let code = d["code"].as_str().unwrap_or("");
                assert!(
                    !LAYOUT_CODES.contains(&code),
                    "{name} in {enc}: {code} after formatting: {d}"
                );
            }
            server.close(&uri);
            server.clear_pending();
        }
        assert!(formatted >= 8, "{formatted} documents formatted in {enc}");
        assert!(refused >= 1, "the missing-title fixture is refused");
        server.wait_stderr("not formatting file:///fmt/");
        server.shutdown();
    }
}

#[test]
fn the_capability_and_range_formatting() {
    for enc in ENCODINGS {
        let mut server = Server::start();
        let r = server.initialize(json!({"general": {"positionEncodings": [enc]}}));
        let caps = &r["capabilities"];
        assert_eq!(caps["documentFormattingProvider"], json!(true));
        assert_eq!(caps["documentRangeFormattingProvider"], json!(true));
        let text = messy_astral().replace('\n', "\r\n");
        let uri = "file:///fmt/range.md";
        server.open(uri, &text);
        // The line of `𠮷\tSince` only: its indentation and trailing blanks, nothing else.
        let start = text.find("𠮷\tSince").unwrap();
        let end = start + text[start..].find("\r\n").unwrap();
        let r = server.request(
            "textDocument/rangeFormatting",
            json!({
                "textDocument": {"uri": uri},
                "range": range(&text, &(start..end), enc),
                "options": {"tabSize": 4, "insertSpaces": true}
            }),
        );
        let edits = r.as_array().cloned().unwrap_or_default();
        assert!(!edits.is_empty(), "{enc}");
        let new = apply_edits(&text, &edits, enc);
        let line = &new[start..start + new[start..].find("\r\n").unwrap()];
        assert!(line.starts_with("    𠮷\tSince the 𠮷"), "{enc}: {line:?}");
        assert!(
            line.ends_with("movement. 𠮷"),
            "{enc}: trailing blanks gone: {line:?}"
        );
        assert_eq!(
            &new[..start],
            &text[..start],
            "{enc}: nothing before changes"
        );
        assert_eq!(
            &new[start + line.len()..],
            &text[end..],
            "{enc}: nothing after changes"
        );
        server.shutdown();
    }
}
