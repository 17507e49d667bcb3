//! Rename of a Named Entities rendering and references of a term, through the real server,
//! in each position encoding: the edits are applied here, sent back and checked again; on a
//! document with Han and astral characters around the uses, and on a real file.

mod common;

use common::{comparable, expected_diagnostics, position, Server};
use serde_json::{json, Value};

const DOC: &str = "Title: 𠮷 Johnson Visits Vietnam\nAuthor:\nDate: 1966-06-01\nPage: 1\n\n    Johnson's war: 𠮷 Johnson spoke in South Vietnam, not in Vietnam's north; Johnsonian.\n\n**Named Entities**\n\n约翰逊\tJohnson\n越南\tVietnam\n南越\tSouth Vietnam\n\n\n<hr /> \n\nOriginal: \n\n\n### 约翰逊访问越南\n\n1966-06-01\n第1版()\n专栏：\n\n    约翰逊在南越说话，不在越南北方。\n";

fn start(enc: &str, prepare: bool) -> Server {
    let mut s = Server::start();
    let r = s.initialize(json!({
        "general": {"positionEncodings": [enc]},
        "textDocument": {"rename": {"prepareSupport": prepare}}
    }));
    assert_eq!(r["capabilities"]["positionEncoding"], enc);
    assert_eq!(r["capabilities"]["referencesProvider"], true);
    let expected = if prepare {
        json!({"prepareProvider": true})
    } else {
        json!(true)
    };
    assert_eq!(r["capabilities"]["renameProvider"], expected);
    s
}

fn at(uri: &str, text: &str, offset: usize, enc: &str) -> Value {
    json!({"textDocument": {"uri": uri}, "position": position::at(text, offset, enc)})
}

/// `text` with the text edits applied (they never overlap).
fn apply(text: &str, edits: &[Value], enc: &str) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let off = |p: &Value| {
                position::offset(
                    text,
                    p["line"].as_u64().unwrap() as usize,
                    p["character"].as_u64().unwrap() as usize,
                    enc,
                )
            };
            (
                off(&e["range"]["start"]),
                off(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (a, b, new) in spans {
        out.replace_range(a..b, &new);
    }
    out
}

#[test]
fn a_rendering_is_renamed_throughout_the_translation() {
    for enc in ["utf-8", "utf-16", "utf-32"] {
        let mut s = start(enc, true);
        let uri = "file:///rename.md";
        s.open(uri, DOC);
        s.wait_diagnostics(uri);

        // From the glossary entry.
        let entry = DOC.find("\tJohnson").unwrap() + 1;
        let prep = s.request("textDocument/prepareRename", at(uri, DOC, entry + 2, enc));
        assert_eq!(prep["placeholder"], "Johnson");
        assert_eq!(
            prep["range"],
            position::range(DOC, &(entry..entry + 7), enc)
        );
        let mut params = at(uri, DOC, entry + 2, enc);
        params["newName"] = json!("Johnston");
        let edit = s.request("textDocument/rename", params);
        let edits = edit["changes"][uri].as_array().unwrap().clone();
        let after = apply(DOC, &edits, enc);
        let expected = DOC
            .replace("𠮷 Johnson", "𠮷 Johnston")
            .replace("Johnson's", "Johnston's")
            .replace("\tJohnson\n", "\tJohnston\n");
        assert_eq!(after, expected, "{enc}");
        assert!(after.contains("Johnsonian") && after.contains("约翰逊在南越"));
        // Applied, the server's text and diagnostics follow.
        let v = s.change(uri, vec![json!({"text": after})]);
        let got = s.wait_diagnostics_version(uri, v);
        assert_eq!(comparable(&got), expected_diagnostics(&after, enc));

        // From a use in a paragraph, the longest name holding the cursor.
        let south = after.find("South Vietnam,").unwrap();
        let prep = s.request(
            "textDocument/prepareRename",
            at(uri, &after, south + 8, enc),
        );
        assert_eq!(prep["placeholder"], "South Vietnam");
        let mut params = at(uri, &after, after.find("in Vietnam's").unwrap() + 4, enc);
        params["newName"] = json!("Viet Nam");
        let edit = s.request("textDocument/rename", params);
        let renamed = apply(&after, edit["changes"][uri].as_array().unwrap(), enc);
        assert_eq!(
            renamed,
            after.replace("Vietnam", "Viet Nam"),
            "{enc}: every whole-word use, South Viet Nam included"
        );

        // Nothing to rename on a plain word; a bad name is refused with an error.
        let plain = s.request(
            "textDocument/prepareRename",
            at(uri, &after, after.find("spoke").unwrap(), enc),
        );
        assert!(plain.is_null());
        let mut params = at(uri, &after, after.find("spoke").unwrap(), enc);
        params["newName"] = json!("x");
        assert!(s.request("textDocument/rename", params).is_null());
        let mut params = at(uri, &after, after.find("\tJohnston").unwrap() + 3, enc);
        params["newName"] = json!("two\tparts");
        let r = s.request_raw("textDocument/rename", params);
        assert_eq!(r["error"]["code"], -32602, "{r}");
        s.shutdown();
    }
}

#[test]
fn references_list_the_uses_of_a_term() {
    for enc in ["utf-8", "utf-16", "utf-32"] {
        let mut s = start(enc, false);
        let uri = "file:///refs.md";
        s.open(uri, DOC);
        let refs = |s: &mut Server, offset: usize, decl: bool| -> Vec<Value> {
            let mut p = at(uri, DOC, offset, enc);
            p["context"] = json!({"includeDeclaration": decl});
            let r = s.request("textDocument/references", p);
            r.as_array().cloned().unwrap_or_default()
        };
        let ranges = |needle: &str, within: std::ops::Range<usize>| -> Vec<Value> {
            DOC[within.clone()]
                .match_indices(needle)
                .map(|(i, _)| {
                    json!({"uri": uri, "range": position::range(DOC, &(within.start + i..within.start + i + needle.len()), enc)})
                })
                .collect()
        };
        let english = 0..DOC.find("<hr />").unwrap();
        let original = DOC.find("### ").unwrap()..DOC.len();
        // The English rendering: title, paragraph (not Johnsonian: whole words), entry.
        let use_at = DOC.find("Johnson's").unwrap();
        let got = refs(&mut s, use_at, true);
        let mut expected = ranges("Johnson", english.clone());
        expected.remove(3); // `Johnsonian`
        assert_eq!(got, expected, "{enc}");
        assert_eq!(refs(&mut s, use_at, false).len(), expected.len() - 1);
        // The Han term: its uses in the original, and its entry.
        let got = refs(&mut s, DOC.rfind("约翰逊在").unwrap() + 3, true);
        let mut expected = ranges("约翰逊", DOC.find("**Named").unwrap()..english.end);
        expected.splice(0..0, ranges("约翰逊", original.clone()));
        expected.sort_by_key(|l| {
            (
                l["range"]["start"]["line"].as_u64(),
                l["range"]["start"]["character"].as_u64(),
            )
        });
        assert_eq!(got, expected, "{enc}");
        // Not on a term: no references.
        assert!(refs(&mut s, DOC.find("spoke").unwrap(), true).is_empty());
        s.shutdown();
    }
}

#[test]
fn renaming_a_real_files_rendering() {
    let Some(files) = common::corpus() else {
        return;
    };
    let path = files
        .iter()
        .find(|p| p.to_string_lossy().contains("1966-06-01_三言两语"))
        .expect("the corpus has 三言两语");
    let text = std::fs::read_to_string(path).unwrap();
    let english_end = text.find("<hr />").unwrap();
    let uses = text[..english_end].matches("United States").count();
    assert!(uses >= 3, "{uses}");
    let mut s = start("utf-16", true);
    let uri = common::file_uri(path);
    s.open(&uri, &text);
    let entry = text.find("\tUnited States").unwrap() + 1;
    let mut params = at(&uri, &text, entry, "utf-16");
    params["newName"] = json!("USA");
    let edit = s.request("textDocument/rename", params);
    let edits = edit["changes"][&uri].as_array().unwrap();
    assert_eq!(edits.len(), uses);
    let after = apply(&text, edits, "utf-16");
    assert!(!after[..after.find("<hr />").unwrap()].contains("United States"));
    assert_eq!(
        after[after.find("<hr />").unwrap()..],
        text[english_end..],
        "the original untouched"
    );
    s.shutdown();
}
