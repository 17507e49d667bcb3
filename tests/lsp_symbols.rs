//! The outline: nested `DocumentSymbol`s for clients that support them, flat
//! `SymbolInformation` with container names otherwise.

mod common;

use common::Server;
use serde_json::{json, Value};

const GLOSSARY_DOC: &str = "Title: Jining Daily Launched\nAuthor:\nDate: 1946-05-17\nPage: 1\n\n    Jining Daily was launched in Jining City, a city of the liberated area.\n\n**Named Entities**\n\n济宁日报\tJining Daily\n济宁市\tJining City\n\n<hr /> \n\nOriginal: \n\n\n### 济宁日报创刊\n\n1946-05-17\n第1版()\n\n    济宁日报在济宁市创刊。\n";

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect()
}

fn contains(outer: &Value, inner: &Value) -> bool {
    let key = |p: &Value| {
        (
            p["line"].as_u64().unwrap(),
            p["character"].as_u64().unwrap(),
        )
    };
    key(&outer["start"]) <= key(&inner["start"]) && key(&inner["end"]) <= key(&outer["end"])
}

fn check_nesting(symbols: &Value) {
    for s in symbols.as_array().unwrap() {
        assert!(!s["name"].as_str().unwrap().is_empty());
        assert!(contains(&s["range"], &s["selectionRange"]), "{s}");
        if let Some(children) = s.get("children") {
            for c in children.as_array().unwrap() {
                assert!(contains(&s["range"], &c["range"]), "{} ⊄ {}", c, s["name"]);
            }
            check_nesting(children);
        }
    }
}

#[test]
fn hierarchical_outline() {
    let mut s = Server::start();
    s.initialize_encodings(None);
    let uri = "file:///tmp/g.md";
    s.open(uri, GLOSSARY_DOC);
    let r = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(
        names(&r),
        ["Header", "Translation", "Named Entities", "Original"]
    );
    assert_eq!(
        names(&r[0]["children"]),
        ["Title", "Author", "Date", "Page"]
    );
    assert_eq!(r[0]["children"][2]["detail"], "1946-05-17");
    let para = &names(&r[1]["children"])[0];
    assert!(
        para.starts_with("¶1 Jining Daily was launched in Jining"),
        "{para}"
    );
    assert!(para.chars().count() <= 48, "about 40 characters: {para}");
    assert_eq!(names(&r[2]["children"]), ["济宁日报", "济宁市"]);
    assert_eq!(r[2]["children"][1]["detail"], "Jining City");
    assert_eq!(
        names(&r[3]["children"]),
        [
            "Title",
            "Author",
            "Date",
            "Page",
            "¶1 济宁日报在济宁市创刊。"
        ]
    );
    check_nesting(&r);
    s.shutdown();
}

#[test]
fn flat_outline_without_hierarchical_support() {
    let mut s = Server::start();
    s.initialize(json!({}));
    let uri = "file:///tmp/g.md";
    s.open(uri, GLOSSARY_DOC);
    let r = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let all = r.as_array().unwrap();
    assert!(all
        .iter()
        .all(|s| s["location"]["uri"] == uri && s.get("children").is_none()));
    let find = |name: &str, container: Option<&str>| {
        all.iter().any(|s| {
            s["name"] == name && s.get("containerName").and_then(Value::as_str) == container
        })
    };
    assert!(find("Header", None));
    assert!(find("Date", Some("Header")));
    assert!(find("Date", Some("Original")));
    assert!(find("济宁市", Some("Named Entities")));
    assert_eq!(all.len(), 4 + 4 + 1 + 2 + 5);
    s.shutdown();
}

#[test]
fn every_seed_has_a_well_nested_outline() {
    let mut s = Server::start();
    s.initialize_encodings(Some(&["utf-8"]));
    for seed in common::seeds() {
        let text = std::fs::read_to_string(&seed).unwrap();
        let uri = common::file_uri(&seed);
        s.open(&uri, &text);
        let r = s.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        );
        let n = names(&r);
        assert!(
            n.contains(&"Header".to_string()) && n.contains(&"Original".to_string()),
            "{n:?}"
        );
        check_nesting(&r);
    }
    s.shutdown();
}
