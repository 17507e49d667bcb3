//! Clients that are slow to read, and bursts of edits: the server never stops reading
//! stdin because its output is not being read, and a burst costs a few publications, the
//! last of them for the final text.

mod common;

use common::{comparable, expected_diagnostics, read_message, root, Server, TIMEOUT};
use serde_json::{json, Value};
use std::io::{BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc::channel;

fn frame(msg: &Value) -> Vec<u8> {
    let body = serde_json::to_vec(msg).unwrap();
    let mut f = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    f.extend_from_slice(&body);
    f
}

fn sample() -> String {
    std::fs::read_to_string(root().join("seeds/000_0d759123a74baf35.txt")).unwrap()
}

/// An edit inserting `c` at the start of line 3 (`Page: 2`'s line), as UTF-16 positions.
fn insertion(uri: &str, version: i32, c: &str) -> Value {
    json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": version},
        "contentChanges": [{"range": {"start": {"line": 7, "character": 4},
                                      "end": {"line": 7, "character": 4}}, "text": c}]}})
}

/// A plain blocking client: after `initialize` it writes 3,000 edits and a request
/// without reading anything, then reads. The writes must all go through (the server keeps
/// reading stdin), the answer must come and hold the client's text, and the server must
/// not have published diagnostics for every edit meanwhile.
#[test]
fn a_client_that_writes_a_burst_before_reading_is_answered() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_archive-lsp"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                      "params": {"processId": null, "rootUri": null, "capabilities": {}}});
    stdin.write_all(&frame(&init)).unwrap();
    let answer = read_message(&mut stdout).expect("initialize answered");
    assert_eq!(answer["id"], 1);

    let uri = "file:///tmp/slow-client.md";
    let mut text = sample();
    let mut burst = frame(&json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    burst.extend(frame(
        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "archive", "version": 0, "text": text}}}),
    ));
    let at = text.match_indices('\n').nth(6).unwrap().0 + 1 + 4;
    for v in 1..=3000 {
        let c = if v % 2 == 0 { "a" } else { "中" };
        text.insert_str(at, c);
        burst.extend(frame(&insertion(uri, v, c)));
    }
    burst.extend(frame(
        &json!({"jsonrpc": "2.0", "id": 2, "method": "archive/viewFileText",
                               "params": {"textDocument": {"uri": uri}}}),
    ));

    // Written from another thread, so that a server that stopped reading fails the test
    // instead of hanging it.
    let (done_tx, done_rx) = channel();
    let writer = std::thread::spawn(move || {
        let r = stdin.write_all(&burst).and_then(|()| stdin.flush());
        done_tx.send(r.is_ok()).unwrap();
        stdin
    });
    let written = done_rx.recv_timeout(TIMEOUT);
    if written != Ok(true) {
        let _ = child.kill();
        panic!("the server stopped reading stdin while its output was not read ({written:?})");
    }
    let stdin = writer.join().unwrap();

    let mut publications = 0;
    let reply = loop {
        let m = read_message(&mut stdout).expect("the server answers");
        if m["id"] == 2 {
            break m;
        }
        if m["method"] == "textDocument/publishDiagnostics" {
            publications += 1;
        }
    };
    eprintln!("{publications} publications before the answer to a burst of 3,000 edits");
    assert_eq!(reply["result"].as_str(), Some(text.as_str()));
    assert!(
        publications < 300,
        "{publications} publications for a burst of 3,000 edits"
    );
    drop(stdin);
    let _ = child.kill();
    let _ = child.wait();
}

/// 1,000 edits sent without waiting: at most 50 publications for the document, the last
/// one for the final version with exactly the checker's diagnostics.
#[test]
fn a_burst_of_edits_is_published_a_few_times_ending_with_the_final_version() {
    let mut s = Server::start();
    let encoding = s.initialize_encodings(Some(&["utf-16"]));
    let uri = "file:///tmp/burst-publish.md";
    let mut text = sample();
    s.open(uri, &text);
    s.wait_publish(uri);
    // Each edit breaks or mends the date, so diagnostics differ from version to version.
    let line = text.lines().position(|l| l.starts_with("Date:")).unwrap() as u32;
    let start = text.find("Date: ").unwrap() + "Date: ".len();
    let mut last = 0;
    for i in 0..1000 {
        let digit = if i % 2 == 0 { "9" } else { "0" };
        text.replace_range(start..start + 1, digit);
        last = s.change(
            uri,
            vec![json!({"range": {"start": {"line": line, "character": 6},
                                  "end": {"line": line, "character": 7}}, "text": digit})],
        );
    }
    let mut publications = 0;
    let final_diagnostics = loop {
        let p = s.wait_publish(uri);
        publications += 1;
        if p["version"] == last {
            break p["diagnostics"].as_array().unwrap().clone();
        }
    };
    eprintln!("{publications} publications for a burst of 1,000 edits");
    assert!(
        publications <= 50,
        "{publications} publications for 1,000 edits"
    );
    assert_eq!(
        comparable(&final_diagnostics),
        expected_diagnostics(&text, &encoding)
    );
    assert_eq!(s.view_text(uri), text);
    // Nothing stale follows the final version.
    std::thread::sleep(std::time::Duration::from_millis(200));
    s.barrier();
    while let Some(i) = s.pending.iter().position(|m| m["params"]["uri"] == uri) {
        let m = s.pending.remove(i).unwrap();
        assert_eq!(m["params"]["version"], last, "{m}");
    }
    s.shutdown();
}
