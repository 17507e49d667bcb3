//! The server's settings: the `archive-lsp.toml` of each document's folder and the editor's
//! settings (`initializationOptions`, `workspace/didChangeConfiguration`,
//! `workspace/configuration`), through the real binary. A rule switched off or re-levelled
//! changes the open documents' diagnostics without reopening them.

mod common;

use common::{file_uri, root, Server, TempTree};
use serde_json::{json, Value};

/// A folder holding a copy of the `repeated-word` fixture as `a.md` (its one diagnostic is
/// a warning by default), and its URI and text.
fn workspace(name: &str) -> (TempTree, String, String) {
    let tree = TempTree::new(name);
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/invalid/repeated-word.md")).unwrap();
    let file = tree.file("a.md", &text);
    (tree, file_uri(&file), text)
}

fn write_config(tree: &TempTree, text: &str) -> String {
    file_uri(&tree.file("archive-lsp.toml", text))
}

/// The severity of the `repeated-word` diagnostic, `None` if there is none.
fn repeated_word(diagnostics: &[Value]) -> Option<u64> {
    let found: Vec<_> = diagnostics
        .iter()
        .filter(|d| d["code"] == "repeated-word")
        .collect();
    assert!(found.len() <= 1, "{diagnostics:?}");
    found.first().map(|d| d["severity"].as_u64().unwrap())
}

const ERROR: Option<u64> = Some(1);
const WARNING: Option<u64> = Some(2);
const HINT: Option<u64> = Some(4);

fn no_request_was_sent(s: &Server, method: &str) -> bool {
    !s.pending
        .iter()
        .any(|m| m["method"] == method && m.get("id").is_some())
}

#[test]
fn the_folder_file_applies_and_is_re_read_when_the_client_watches_it() {
    let (dir, uri, text) = workspace("watched");
    let config = write_config(&dir, "[rules]\nrepeated-word = \"error\"\n");
    let mut s = Server::start();
    s.initialize(json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}));
    let registration = s.wait_server_request("client/registerCapability");
    let r = &registration["params"]["registrations"][0];
    assert_eq!(r["method"], "workspace/didChangeWatchedFiles", "{r}");
    assert_eq!(
        r["registerOptions"]["watchers"][0]["globPattern"], "**/archive-lsp.toml",
        "{r}"
    );
    s.reply(&registration, Value::Null);

    s.open(&uri, &text);
    assert_eq!(repeated_word(&s.wait_diagnostics(&uri)), ERROR);

    write_config(&dir, "[rules]\nrepeated-word = \"off\"\n");
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": config, "type": 2}]}),
    );
    assert_eq!(
        repeated_word(&s.wait_diagnostics(&uri)),
        None,
        "switched off without reopening"
    );

    std::fs::remove_file(dir.path("archive-lsp.toml")).unwrap();
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": config, "type": 3}]}),
    );
    assert_eq!(repeated_word(&s.wait_diagnostics(&uri)), WARNING);

    // A change to some other file is not a reason to check again.
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&dir.path("b.md")), "type": 1}]}),
    );
    s.barrier();
    assert!(
        !s.pending
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"),
        "{:?}",
        s.pending
    );
    s.shutdown();
}

#[test]
fn without_a_watcher_the_file_is_re_read_on_save() {
    let (dir, uri, text) = workspace("save");
    write_config(&dir, "[rules]\nrepeated-word = \"off\"\n");
    let mut s = Server::start();
    s.initialize(json!({}));
    s.open(&uri, &text);
    assert_eq!(repeated_word(&s.wait_diagnostics(&uri)), None);

    write_config(&dir, "[rules]\nrepeated-word = \"error\"\n");
    s.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(repeated_word(&s.wait_diagnostics(&uri)), ERROR);
    assert!(no_request_was_sent(&s, "client/registerCapability"));
    s.shutdown();
}

#[test]
fn pushed_settings_override_the_file_and_null_drops_them() {
    let (dir, uri, text) = workspace("pushed");
    write_config(&dir, "[rules]\nrepeated-word = \"off\"\n");
    let mut s = Server::start();
    s.request(
        "initialize",
        json!({
            "processId": null, "rootUri": null, "capabilities": {},
            "initializationOptions": {"rules": {"repeated-word": "hint"}}
        }),
    );
    s.notify("initialized", json!({}));
    s.open(&uri, &text);
    assert_eq!(
        repeated_word(&s.wait_diagnostics(&uri)),
        HINT,
        "initializationOptions override the file"
    );

    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"archiveLsp": {"rules": {"repeated-word": "error"}}}}),
    );
    assert_eq!(repeated_word(&s.wait_diagnostics(&uri)), ERROR);

    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"archiveLsp": {"rules": {"repeated-word": "off"}}}}),
    );
    assert_eq!(repeated_word(&s.wait_diagnostics(&uri)), None);

    // `null`: no settings from this source; initializationOptions still apply.
    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    assert_eq!(repeated_word(&s.wait_diagnostics(&uri)), HINT);
    assert!(no_request_was_sent(&s, "workspace/configuration"));
    s.shutdown();
}

#[test]
fn pulled_settings_apply_and_a_pending_pull_blocks_nothing() {
    let (_dir, uri, text) = workspace("pulled");
    let mut s = Server::start();
    s.initialize(json!({"workspace": {"configuration": true}}));
    let pull = s.wait_server_request("workspace/configuration");
    assert_eq!(
        pull["params"]["items"],
        json!([{"section": "archiveLsp"}]),
        "{pull}"
    );
    // VS Code answers with the whole section, its own keys included.
    s.reply(
        &pull,
        json!([{"server": {"path": ""}, "trace": {"server": "off"},
                "rules": {"repeated-word": "off"}, "review": {}}]),
    );
    s.barrier();
    s.open(&uri, &text);
    assert_eq!(repeated_word(&s.wait_diagnostics(&uri)), None);

    // The notification's payload is ignored: the server asks.
    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"archiveLsp": {"rules": {"repeated-word": "error"}}}}),
    );
    let pull = s.wait_server_request("workspace/configuration");
    // While the client has not answered, the server goes on serving (it handles one
    // message at a time: a handler waiting for the answer would wait forever).
    let hover = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
    );
    assert!(hover.is_null() || hover.is_object(), "{hover}");
    // `[null]`: the client has no settings for the section.
    s.reply(&pull, json!([null]));
    assert_eq!(repeated_word(&s.wait_diagnostics(&uri)), WARNING);

    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    let pull = s.wait_server_request("workspace/configuration");
    s.reply(&pull, json!([{"rules": {"repeated-word": "hint"}}]));
    assert_eq!(repeated_word(&s.wait_diagnostics(&uri)), HINT);
    s.shutdown();
}

#[test]
fn bad_settings_are_shown_once_and_left_out() {
    let (dir, uri, text) = workspace("bad");
    write_config(
        &dir,
        "[rules]\nrepeated-word = \"error\"\nindentaton = \"off\"\n",
    );
    let mut s = Server::start();
    s.request(
        "initialize",
        json!({
            "processId": null, "rootUri": null, "capabilities": {},
            "initializationOptions": {"rules": {"repeated-word": "loud"}}
        }),
    );
    s.notify("initialized", json!({}));
    let shown = s.wait_notification("window/showMessage");
    let message = shown["params"]["message"].as_str().unwrap().to_string();
    assert!(
        message.contains("archiveLsp.rules.repeated-word") && message.contains("loud"),
        "{message}"
    );
    s.open(&uri, &text);
    // Neither bad source applies: the rule keeps its usual severity.
    assert_eq!(repeated_word(&s.wait_diagnostics(&uri)), WARNING);
    let shown = s.wait_notification("window/showMessage");
    let message = shown["params"]["message"].as_str().unwrap().to_string();
    assert!(
        message.contains("archive-lsp.toml:3:1")
            && message.contains("indentaton")
            && message.contains("did you mean `indentation`"),
        "{message}"
    );
    assert_eq!(shown["params"]["type"], 2, "a warning");
    // Checking again does not say it again.
    s.change(
        &uri,
        vec![json!({"range": {"start": {"line": 0, "character": 0},
                             "end": {"line": 0, "character": 0}}, "text": ""})],
    );
    s.wait_diagnostics(&uri);
    s.barrier();
    assert!(
        !s.pending
            .iter()
            .any(|m| m["method"] == "window/showMessage"),
        "{:?}",
        s.pending
    );
    assert!(s.stderr().contains("indentaton"), "logged too");
    s.shutdown();
}

/// VS Code's folder settings: the server asks for the section without a scope and once per
/// workspace folder, and a folder's answer holds for the documents under it; a folder the
/// client has nothing of its own for (`null`) takes the answer without a scope. Added
/// folders are asked for too.
#[test]
fn each_workspace_folder_s_own_settings_apply_under_it() {
    let tree = TempTree::new("scoped");
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/invalid/repeated-word.md")).unwrap();
    let (a, b, c) = (tree.path("a"), tree.path("b"), tree.path("c"));
    let in_a = file_uri(&tree.file("a/x.md", &text));
    let in_b = file_uri(&tree.file("b/x.md", &text));
    let in_c = file_uri(&tree.file("c/x.md", &text));
    let mut s = Server::start();
    s.request(
        "initialize",
        json!({
            "processId": null,
            "workspaceFolders": [{"uri": file_uri(&a), "name": "a"}, {"uri": file_uri(&b), "name": "b"}],
            "capabilities": {"workspace": {"configuration": true, "workspaceFolders": true}},
        }),
    );
    s.notify("initialized", json!({}));
    let pull = s.wait_server_request("workspace/configuration");
    assert_eq!(
        pull["params"]["items"],
        json!([
            {"section": "archiveLsp"},
            {"section": "archiveLsp", "scopeUri": file_uri(&a)},
            {"section": "archiveLsp", "scopeUri": file_uri(&b)},
        ]),
        "{pull}"
    );
    s.reply(
        &pull,
        json!([{"rules": {"repeated-word": "error"}}, {"rules": {"repeated-word": "off"}}, null]),
    );
    s.barrier();
    s.open(&in_a, &text);
    assert_eq!(repeated_word(&s.wait_diagnostics(&in_a)), None, "a's own");
    s.open(&in_b, &text);
    assert_eq!(
        repeated_word(&s.wait_diagnostics(&in_b)),
        ERROR,
        "the whole's"
    );

    // A folder added: asked for with the others, and its answer applies under it.
    s.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [{"uri": file_uri(&c), "name": "c"}], "removed": []}}),
    );
    let pull = s.wait_server_request("workspace/configuration");
    assert_eq!(
        pull["params"]["items"].as_array().unwrap().len(),
        4,
        "{pull}"
    );
    assert_eq!(
        pull["params"]["items"][3]["scopeUri"],
        file_uri(&c),
        "{pull}"
    );
    s.reply(
        &pull,
        json!([{"rules": {"repeated-word": "error"}}, {"rules": {"repeated-word": "off"}}, null,
               {"rules": {"repeated-word": "hint"}}]),
    );
    s.barrier();
    s.open(&in_c, &text);
    assert_eq!(repeated_word(&s.wait_diagnostics(&in_c)), HINT, "c's own");
    assert_eq!(repeated_word(&s.wait_diagnostics(&in_a)), None);
    s.shutdown();
}
