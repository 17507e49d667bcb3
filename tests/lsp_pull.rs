//! Pull diagnostics (LSP 3.17 `textDocument/diagnostic`), through the real binary: a client
//! that pulls and takes `workspace/diagnostic/refresh` gets its diagnostics only as
//! answers, with result ids (an unchanged text answers `unchanged`), and is asked to pull
//! again when the settings change; every other client is pushed to, as before. One model
//! per client, never both.

mod common;

use common::{comparable, expected_diagnostics, file_uri, root, Server, TempTree};
use serde_json::{json, Value};

/// What VS Code declares: pull, with refresh.
fn pulling_client() -> Value {
    json!({
        "general": {"positionEncodings": ["utf-16"]},
        "textDocument": {"diagnostic": {"dynamicRegistration": false, "relatedDocumentSupport": false}},
        "workspace": {"diagnostics": {"refreshSupport": true}}
    })
}

fn pull(s: &mut Server, uri: &str, previous: Option<&str>) -> Value {
    let mut params = json!({"textDocument": {"uri": uri}});
    if let Some(id) = previous {
        params["previousResultId"] = json!(id);
    }
    s.request("textDocument/diagnostic", params)
}

fn no_publish_was_sent(s: &mut Server) -> bool {
    s.barrier();
    !s.pending
        .iter()
        .any(|m| m["method"] == "textDocument/publishDiagnostics")
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(root().join("tests/fixtures/invalid").join(name)).unwrap()
}

#[test]
fn a_pulling_client_gets_reports_with_result_ids_and_no_pushes() {
    let tree = TempTree::new("pull");
    let text = fixture("date-mismatch.md");
    let uri = file_uri(&tree.file("a.md", &text));
    let mut s = Server::start();
    let init = s.initialize(pulling_client());
    let provider = &init["capabilities"]["diagnosticProvider"];
    assert_eq!(provider["identifier"], "archive-lsp", "{init}");
    assert_eq!(provider["interFileDependencies"], false);
    assert_eq!(provider["workspaceDiagnostics"], true);
    s.open(&uri, &text);

    let first = pull(&mut s, &uri, None);
    assert_eq!(first["kind"], "full", "{first}");
    let items = first["items"].as_array().unwrap();
    assert_eq!(comparable(items), expected_diagnostics(&text, "utf-16"));
    assert!(items.iter().any(|d| d["code"] == "date-mismatch"));
    let id = first["resultId"].as_str().unwrap().to_owned();

    let again = pull(&mut s, &uri, Some(&id));
    assert_eq!(again, json!({"kind": "unchanged", "resultId": id}));
    // A result id from elsewhere is not ours: the full report.
    assert_eq!(pull(&mut s, &uri, Some("stale"))["items"], first["items"]);

    // Fix the date: a new report, a new id, the diagnostic gone.
    let date = text.lines().position(|l| l.starts_with("Date:")).unwrap();
    let fixed = text.replacen(
        text.lines().nth(date).unwrap(),
        &format!("Date: {}", original_date(&text)),
        1,
    );
    s.change(&uri, vec![json!({"text": fixed})]);
    let after = pull(&mut s, &uri, Some(&id));
    assert_eq!(after["kind"], "full", "{after}");
    assert_ne!(after["resultId"], json!(id));
    assert_eq!(
        comparable(after["items"].as_array().unwrap()),
        expected_diagnostics(&fixed, "utf-16")
    );
    assert!(!after["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "date-mismatch"));

    // The same text typed back: the first id again, as its diagnostics are the same.
    s.change(&uri, vec![json!({"text": text})]);
    assert_eq!(pull(&mut s, &uri, Some(&id))["kind"], "unchanged");

    // A document that is not open: an empty report, its file not read.
    let other = file_uri(&tree.file("b.md", &text));
    let closed = pull(&mut s, &other, None);
    assert_eq!(closed["kind"], "full");
    assert_eq!(closed["items"], json!([]));

    s.close(&uri);
    assert!(no_publish_was_sent(&mut s), "{:?}", s.pending);
    s.shutdown();
}

#[test]
fn a_settings_change_asks_the_pulling_client_to_pull_again() {
    let tree = TempTree::new("pull-refresh");
    let text = fixture("date-mismatch.md");
    let uri = file_uri(&tree.file("a.md", &text));
    let mut s = Server::start();
    s.initialize(pulling_client());
    s.open(&uri, &text);
    let first = pull(&mut s, &uri, None);
    let id = first["resultId"].as_str().unwrap().to_owned();
    let severity = |report: &Value| {
        report["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == "date-mismatch")
            .map(|d| d["severity"].clone())
    };
    assert_eq!(severity(&first), Some(json!(1)));

    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"archiveLsp": {"rules": {"date-mismatch": "warning"}}}}),
    );
    let refresh = s.wait_server_request("workspace/diagnostic/refresh");
    s.reply(&refresh, Value::Null);
    let after = pull(&mut s, &uri, Some(&id));
    assert_eq!(
        after["kind"], "full",
        "the same text under other settings: {after}"
    );
    assert_eq!(severity(&after), Some(json!(2)));
    assert!(no_publish_was_sent(&mut s), "{:?}", s.pending);
    s.shutdown();
}

#[test]
fn a_client_that_pulls_but_takes_no_refresh_is_pushed_to() {
    // Neovim 0.11 declares textDocument.diagnostic but not workspace.diagnostics.refresh:
    // only a push could bring it up to date after a settings change.
    let tree = TempTree::new("pull-no-refresh");
    let text = fixture("date-mismatch.md");
    let uri = file_uri(&tree.file("a.md", &text));
    let mut s = Server::start();
    let init = s.initialize(json!({"textDocument": {"diagnostic": {}}}));
    assert!(
        init["capabilities"].get("diagnosticProvider").is_none(),
        "{init}"
    );
    s.open(&uri, &text);
    let pushed = s.wait_diagnostics(&uri);
    assert!(pushed.iter().any(|d| d["code"] == "date-mismatch"));
    s.shutdown();
}

/// The date line of the original (`YYYY-MM-DD`, as the fixture writes it).
fn original_date(text: &str) -> String {
    let original = &text[text.find("Original:").expect("an original")..];
    original
        .lines()
        .map(str::trim)
        .find(|l| {
            l.len() == 10
                && l.bytes().enumerate().all(|(i, b)| {
                    if i == 4 || i == 7 {
                        b == b'-'
                    } else {
                        b.is_ascii_digit()
                    }
                })
        })
        .expect("a date line in the original")
        .to_owned()
}
