//! The server's life: capabilities, requests before `initialize`, unknown methods,
//! garbage on the wire, `shutdown` then `exit` (status 0), `exit` alone (status 1), and the
//! end of stdin.

mod common;

use common::Server;
use serde_json::{json, Value};

#[test]
fn capabilities_then_shutdown_and_exit_with_status_0() {
    let mut s = Server::start();
    let r = s.initialize(json!({}));
    let c = &r["capabilities"];
    assert_eq!(c["positionEncoding"], "utf-16");
    assert_eq!(c["textDocumentSync"]["change"], 2);
    assert_eq!(c["textDocumentSync"]["openClose"], true);
    assert_eq!(c["hoverProvider"], true);
    assert_eq!(c["definitionProvider"], true);
    assert_eq!(c["documentSymbolProvider"], true);
    assert!(c["documentLinkProvider"].is_object());
    assert_eq!(r["serverInfo"]["name"], "archive-lsp");
    s.shutdown();
}

#[test]
fn requests_before_initialize_are_refused_with_32002() {
    let mut s = Server::start();
    let r = s.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///a"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(r["error"]["code"], -32002, "{r}");
    let r = s.request_raw(
        "archive/viewFileText",
        json!({"textDocument": {"uri": "file:///a"}}),
    );
    assert_eq!(r["error"]["code"], -32002, "{r}");
    s.initialize(json!({}));
    s.shutdown();
}

#[test]
fn exit_without_shutdown_is_status_1() {
    let mut s = Server::start();
    s.initialize(json!({}));
    s.notify("exit", Value::Null);
    assert_eq!(s.wait_exit().code(), Some(1));
}

#[test]
fn closed_stdin_ends_the_process() {
    let mut s = Server::start();
    s.initialize(json!({}));
    s.open("file:///tmp/a.md", "Title: a\n");
    s.close_stdin();
    assert!(s.wait_exit().code().is_some(), "ended by itself");
}

#[test]
fn unknown_methods_and_garbage_leave_the_server_alive() {
    let mut s = Server::start();
    s.initialize(json!({}));
    let r = s.request_raw("archive/noSuchThing", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    s.notify("archive/noSuchNotification", json!({"x": 1}));
    s.notify("$/setTrace", json!({"value": "off"}));
    s.barrier();
    s.wait_stderr("no handler for `archive/noSuchNotification`");

    // Invalid JSON in a well-formed frame: a parse error answer, then business as usual.
    s.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    let m = s.next_message();
    assert_eq!(m["error"]["code"], -32700, "{m}");
    // A bad Content-Length header.
    s.send_raw(b"Content-Length: banana\r\n\r\n");
    let uri = "file:///tmp/alive.md";
    s.open(uri, "still here");
    assert_eq!(s.view_text(uri), "still here");
    assert!(!s.stderr().is_empty(), "the garbage was logged");
    s.shutdown();
}

#[test]
fn logs_go_to_stderr_only() {
    let mut s = Server::start();
    s.initialize(json!({}));
    // Provoke log lines: a change to a document never opened, a close of one.
    s.change_version("file:///tmp/none.md", 1, vec![json!({"text": "x"})]);
    s.close("file:///tmp/none.md");
    let p = s.wait_publish("file:///tmp/none.md");
    assert_eq!(p["diagnostics"], json!([]));
    // Every message on stdout parsed as JSON-RPC (the harness fails otherwise).
    for m in s.pending.iter() {
        assert_eq!(m["jsonrpc"], "2.0");
    }
    s.wait_stderr("not open");
    s.shutdown();
}

#[test]
fn the_stdio_flag_that_clients_append_is_accepted() {
    use std::io::{Read, Write};
    use std::process::{Command, Stdio};
    for args in [&["--stdio"][..], &["serve", "--stdio"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_archive-lsp"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let body = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#;
        let mut stdin = child.stdin.take().unwrap();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        drop(stdin);
        let mut out = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        assert!(out.contains("\"capabilities\""), "{args:?}: {out}");
        child.wait().unwrap();
    }
    let o = Command::new(env!("CARGO_BIN_EXE_archive-lsp"))
        .args(["serve", "--tcp"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn settings_notifications_are_accepted_quietly() {
    let mut s = Server::start();
    s.initialize(json!({}));
    s.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"archiveLsp": {}}}),
    );
    s.notify("workspace/noSuchNotification", json!({}));
    s.barrier();
    // Only the unknown one is worth a log line.
    s.wait_stderr("workspace/noSuchNotification");
    assert!(
        !s.stderr().contains("didChangeConfiguration"),
        "{}",
        s.stderr()
    );
    s.shutdown();
}
