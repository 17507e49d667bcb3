//! No panic reaches the process: with the test-only `panic-trigger` feature, hover on a
//! document holding the trigger text panics inside analysis. The request gets a JSON-RPC
//! internal error, stderr a log line, the documents stay intact, the next request works.
//! Run with `cargo test --features panic-trigger --test lsp_panic`.

#![cfg(feature = "panic-trigger")]

mod common;

use common::Server;
use serde_json::json;

#[test]
fn a_panic_in_analysis_answers_one_request_with_an_error() {
    let mut s = Server::start();
    s.initialize_encodings(None);
    let seed =
        std::fs::read_to_string(common::root().join("seeds/000_0d759123a74baf35.txt")).unwrap();
    let bad = format!("{seed}\n{}\n", archive_lsp::ide::hover::PANIC_TRIGGER);
    let (bad_uri, good_uri) = ("file:///tmp/bad.txt", "file:///tmp/good.txt");
    s.open(bad_uri, &bad);
    s.open(good_uri, &seed);
    let pos = json!({"line": 9, "character": 5});

    for _ in 0..3 {
        let r = s.request_raw(
            "textDocument/hover",
            json!({"textDocument": {"uri": bad_uri}, "position": pos}),
        );
        assert_eq!(r["error"]["code"], -32603, "internal error: {r}");
        // The server lives: the other document hovers, both texts are intact.
        let ok = s.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": good_uri}, "position": pos}),
        );
        assert!(ok["contents"]["value"]
            .as_str()
            .unwrap()
            .starts_with("**Original ¶3 of 4**"));
        assert_eq!(s.view_text(bad_uri), bad);
        assert_eq!(s.view_text(good_uri), seed);
    }
    // Other features on the trigger document still work (the trigger is in hover only).
    let r = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": bad_uri}}),
    );
    assert!(r.is_array());
    // Editing still works, and removing the trigger mends hover.
    s.change(bad_uri, vec![json!({"text": seed})]);
    let ok = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": bad_uri}, "position": pos}),
    );
    assert!(ok.is_object());
    s.wait_stderr("internal error in hover");
    s.shutdown();
}
