//! Position encodings: negotiated per LSP 3.17 and applied exactly, including positions
//! inside a surrogate pair or a UTF-8 sequence (the boundary before), past a line's end
//! (its end) and past the document's end (the end).

mod common;

use common::Server;
use serde_json::{json, Value};

#[test]
fn negotiation() {
    let cases: [(Option<&[&str]>, &str); 7] = [
        (None, "utf-16"),
        (Some(&[]), "utf-16"),
        (Some(&["utf-16", "utf-8"]), "utf-8"),
        (Some(&["utf-8"]), "utf-8"),
        (Some(&["utf-16"]), "utf-16"),
        (Some(&["utf-32", "utf-16"]), "utf-16"),
        (Some(&["utf-32"]), "utf-32"),
    ];
    for (offered, expected) in cases {
        let mut s = Server::start();
        let r = s.request(
            "initialize",
            match offered {
                Some(e) => json!({"capabilities": {"general": {"positionEncodings": e}}}),
                None => json!({"capabilities": {}}),
            },
        );
        assert_eq!(
            r["capabilities"]["positionEncoding"], expected,
            "{offered:?}"
        );
        assert_eq!(
            r["capabilities"]["textDocumentSync"]["change"], 2,
            "incremental"
        );
        s.notify("initialized", json!({}));
        s.shutdown();
    }
}

fn insert(s: &mut Server, uri: &str, line: u64, character: u64, text: &str) {
    let p = json!({"line": line, "character": character});
    s.change(
        uri,
        vec![json!({"range": {"start": p, "end": p}, "text": text})],
    );
}

#[test]
fn positions_are_exact_and_clamped_in_each_encoding() {
    // (encoding, character just after 𠮷, a character inside 𠮷)
    for (enc, after, inside) in [("utf-8", 4, 2), ("utf-16", 2, 1), ("utf-32", 1, 1)] {
        let mut s = Server::start();
        assert_eq!(s.initialize_encodings(Some(&[enc])), enc);
        let uri = "file:///tmp/pos.md";
        s.open(uri, "𠮷中\r\nab\rc");
        insert(&mut s, uri, 0, after, "|");
        assert_eq!(s.view_text(uri), "𠮷|中\r\nab\rc", "{enc}");
        if enc != "utf-32" {
            // Inside the astral character: the boundary before it.
            insert(&mut s, uri, 0, inside, "<");
            assert_eq!(s.view_text(uri), "<𠮷|中\r\nab\rc", "{enc}");
        } else {
            insert(&mut s, uri, 0, 0, "<");
        }
        // Past the end of a CRLF line: before its break. Past the last line: the end.
        insert(&mut s, uri, 0, 999, ">");
        insert(&mut s, uri, 1, 999, "#");
        insert(&mut s, uri, 7, 3, "$");
        insert(&mut s, uri, u32::MAX as u64, u32::MAX as u64, "%");
        assert_eq!(s.view_text(uri), "<𠮷|中>\r\nab#\rc$%", "{enc}");
        if enc == "utf-8" {
            // Inside 中's three bytes: the boundary before it.
            let at = "<𠮷|".len() as u64 + 1;
            insert(&mut s, uri, 0, at, "^");
            assert_eq!(s.view_text(uri), "<𠮷|^中>\r\nab#\rc$%");
        }
        s.shutdown();
    }
}

#[test]
fn diagnostics_on_astral_lines_are_placed_exactly() {
    for enc in ["utf-8", "utf-16", "utf-32"] {
        let mut s = Server::start();
        s.initialize_encodings(Some(&[enc]));
        let path = common::root().join("seeds/1956-04-20_𠮷家庄修成新水渠.md");
        // Trailing blanks after astral text: a trailing-whitespace diagnostic on that line.
        let text = std::fs::read_to_string(path).unwrap().replacen(
            "### 𠮷家庄修成新水渠",
            "### 𠮷家庄修成新水渠𠮷  ",
            1,
        );
        let uri = "file:///tmp/astral.md";
        s.open(uri, &text);
        let got = s.wait_diagnostics(uri);
        assert!(!got.is_empty());
        assert_eq!(
            common::comparable(&got),
            common::expected_diagnostics(&text, enc),
            "{enc}"
        );
        s.shutdown();
    }
}

#[test]
fn hostile_positions_get_an_answer_not_a_crash() {
    let mut s = Server::start();
    s.initialize_encodings(None);
    let uri = "file:///tmp/h.md";
    s.open(uri, "Title: x\n𠮷\n");
    for pos in [
        json!({"line": -1, "character": 0}),
        json!({"line": 0, "character": -5}),
        json!({"line": 1e12, "character": 0}),
        json!({"line": "x", "character": 0}),
    ] {
        let r = s.request_raw(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": pos}),
        );
        assert_eq!(r["error"]["code"], -32602, "invalid params: {r}");
    }
    for pos in [
        json!({"line": 4294967295u64, "character": 4294967295u64}),
        json!({"line": 1, "character": 1}),
        json!({"line": 0, "character": 4294967295u64}),
    ] {
        for method in ["textDocument/hover", "textDocument/definition"] {
            let r = s.request_raw(
                method,
                json!({"textDocument": {"uri": uri}, "position": pos}),
            );
            assert!(r.get("error").is_none(), "{method} {pos}: {r}");
        }
    }
    // A bad URI in a request is an error answer; the server lives on.
    let r = s.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": "not a uri"}, "position": {"line": 0, "character": 0}}),
    );
    assert!(r["error"].is_object(), "{r}");
    assert_eq!(s.view_text(uri), "Title: x\n𠮷\n");
    let _: Value = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    s.shutdown();
}
