//! Document links: the header keys and the column line lead to their counterpart lines in
//! the original, as `<uri>#L<1-based line>` with the tooltip "Go to original".

mod common;

use common::Server;
use serde_json::json;

#[test]
fn header_keys_and_column_line_link_to_the_original() {
    let mut s = Server::start();
    s.initialize_encodings(None);
    let text =
        std::fs::read_to_string(common::root().join("seeds/000_0d759123a74baf35.txt")).unwrap();
    let uri = "file:///tmp/seed.txt";
    s.open(uri, &text);
    let r = s.request(
        "textDocument/documentLink",
        json!({"textDocument": {"uri": uri}}),
    );
    let got: Vec<(u64, u64, u64, String)> = r
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            assert_eq!(l["tooltip"], "Go to original");
            (
                l["range"]["start"]["line"].as_u64().unwrap(),
                l["range"]["start"]["character"].as_u64().unwrap(),
                l["range"]["end"]["character"].as_u64().unwrap(),
                l["target"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let t = |line: u32| format!("{uri}#L{line}");
    assert_eq!(
        got,
        [
            (0, 0, 5, t(20)),  // Title  → ### line (0-based 19)
            (1, 0, 6, t(21)),  // Author → the blank author line
            (2, 0, 4, t(22)),  // Date   → 1952-08-03
            (3, 0, 4, t(23)),  // Page   → 第2版()
            (5, 0, 30, t(24)), // the column line → 专栏：…
        ]
    );
    s.shutdown();
}

#[test]
fn edition_and_column_header_keys_link_too() {
    let mut s = Server::start();
    s.initialize_encodings(None);
    let text = "Title: T\nAuthor:\nDate: 1951-01-03\nEdition: 6\nColumn: Reader Letters\n\n    T\n\n<hr /> \n\nOriginal: \n\n\n### 标题\n\n1951-01-03\n第6版()\n专栏：读者来信\n\n    标题\n";
    let uri = "file:///tmp/edition.md#ignored";
    s.open(uri, text);
    let r = s.request(
        "textDocument/documentLink",
        json!({"textDocument": {"uri": uri}}),
    );
    let targets: Vec<&str> = r
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["target"].as_str().unwrap())
        .collect();
    assert_eq!(
        targets,
        [
            "file:///tmp/edition.md#L14",
            "file:///tmp/edition.md#L15",
            "file:///tmp/edition.md#L16",
            "file:///tmp/edition.md#L17",
            "file:///tmp/edition.md#L18"
        ]
    );
    assert_eq!(
        r[3]["range"]["end"]["character"], 7,
        "the whole `Edition` key"
    );
    s.shutdown();
}
