//! Hostile input over the protocol (issue 6, item 3): every case is answered with a proper
//! JSON-RPC error or ignored with a log line on stderr, and a follow-up request works.
//! What `lsp_lifecycle.rs` and `lsp_encoding.rs` already prove (a `banana` length, one
//! invalid JSON body, -32601, -32002, `exit` alone, closed stdin, basic hostile positions)
//! is not repeated; this file adds the rest: every kind of bad `Content-Length` (negative,
//! overflowing, too large, missing, a length that eats the next frame, a length short of
//! the body, a header that never ends), bodies that are JSON but not JSON-RPC, bad params
//! in requests and notifications, notifications before `initialize`, unknown `$/`
//! requests, positions inside surrogate pairs and UTF-8 sequences in every request, the
//! input ending mid-message; and, against the release binary, a 10 MB single-line
//! document, 100,000 paragraphs (over the diagnostic cap, said in a final
//! `too-many-diagnostics` diagnostic), an empty document and a line of 10⁶ `□`, each with
//! hover, outline, definition and links, every returned position valid.

mod common;

use archive_lsp::check::MAX_DIAGNOSTICS;
use archive_lsp::ide::symbols::MAX_OUTLINE_CHILDREN;
use common::{answer_errors, expected_diagnostics, line_boundaries, Server};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Instant;

const ALIVE: &str = "file:///tmp/hostile/alive.md";
const ALIVE_TEXT: &str = "Title: alive 𠮷\r\n";

/// A server, initialized, with one small document open.
fn server(encoding: &str) -> Server {
    let mut s = Server::start();
    assert_eq!(s.initialize_encodings(Some(&[encoding])), encoding);
    s.open(ALIVE, ALIVE_TEXT);
    s
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut f = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    f.extend_from_slice(body);
    f
}

fn view_request(id: i64) -> Vec<u8> {
    frame(
        json!({"jsonrpc": "2.0", "id": id, "method": "archive/viewFileText",
               "params": {"textDocument": {"uri": ALIVE}}})
        .to_string()
        .as_bytes(),
    )
}

/// Error answers kept aside so far (the guard answers garbage before the framework
/// answers what follows it), removed from `pending`.
fn take_errors(s: &mut Server) -> Vec<Value> {
    let (errors, rest): (Vec<Value>, Vec<Value>) = s
        .pending
        .drain(..)
        .partition(|m| m.get("error").is_some() && m.get("method").is_none());
    s.pending = rest.into();
    errors
}

/// Sends `garbage` followed by a well-formed request in the same write; the request must
/// be answered with the document's text, and the garbage with `codes` (id null).
fn garbage_then_alive(s: &mut Server, what: &str, garbage: &[u8], codes: &[i64]) {
    let id = fresh_id();
    let mut bytes = garbage.to_vec();
    bytes.extend(view_request(id));
    s.send_raw(&bytes);
    let r = s.response(id);
    assert_eq!(
        r["result"], ALIVE_TEXT,
        "{what}: the next request works: {r}"
    );
    let errors = take_errors(s);
    let got: Vec<i64> = errors
        .iter()
        .map(|e| e["error"]["code"].as_i64().unwrap())
        .collect();
    assert_eq!(got, codes, "{what}: {errors:?}\nstderr:\n{}", s.stderr());
    for e in &errors {
        assert_eq!(e["id"], Value::Null, "{what}: {e}");
    }
}

/// A fresh id for a hand-made request (far above the harness's own ids).
fn fresh_id() -> i64 {
    static NEXT: AtomicI64 = AtomicI64::new(1_000_000);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[test]
fn bad_frames_are_answered_and_the_next_message_is_read() {
    let mut s = server("utf-16");
    let shutdown = br#"{"jsonrpc":"2.0","id":999,"method":"shutdown"}"#;
    // A request whose first bytes a too-long frame will eat.
    let eaten_id = fresh_id();
    let eaten = view_request(eaten_id);
    let short_body = br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;

    let mut cases: Vec<(&str, Vec<u8>, Vec<i64>)> = vec![
        (
            "non-numeric length",
            b"Content-Length: banana\r\n\r\n{}".to_vec(),
            vec![-32700],
        ),
        (
            "negative length",
            b"Content-Length: -5\r\n\r\n{}".to_vec(),
            vec![-32700],
        ),
        (
            "overflowing length",
            b"Content-Length: 184467440737095516160000\r\n\r\n{}".to_vec(),
            vec![-32700],
        ),
        (
            "absurd length (1 TiB)",
            b"Content-Length: 1099511627776\r\n\r\n{}".to_vec(),
            vec![-32700],
        ),
        (
            "empty length",
            b"Content-Length: \r\n\r\n{}".to_vec(),
            vec![-32700],
        ),
        (
            "zero length",
            b"Content-Length: 0\r\n\r\n".to_vec(),
            vec![-32700],
        ),
        (
            "no Content-Length header",
            b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}".to_vec(),
            vec![-32700],
        ),
        // A body with no header at all, which must not be executed (it is a shutdown).
        ("no header at all", shutdown.to_vec(), vec![-32700]),
        (
            "header line without a colon",
            b"Content-Length 2\r\n\r\n{}".to_vec(),
            vec![-32700],
        ),
        (
            "header not UTF-8",
            b"Content-Length: \xff\xfe\r\n\r\n{}".to_vec(),
            vec![-32700],
        ),
        ("blank lines", b"\r\n\r\n\r\n\r\n".to_vec(), vec![-32700]),
        // Longer than the body: the next frame is eaten but for its last bytes, which end up
        // glued in front of the following header; that header must still be found.
        (
            "length longer than the body, then more data",
            {
                let claim = short_body.len() + eaten.len() - 3;
                let mut b = format!("Content-Length: {claim}\r\n\r\n").into_bytes();
                b.extend_from_slice(short_body);
                b.extend_from_slice(&eaten);
                b
            },
            vec![-32700, -32700],
        ),
        (
            "length shorter than the body",
            {
                let mut b = b"Content-Length: 10\r\n\r\n".to_vec();
                b.extend_from_slice(short_body);
                b
            },
            vec![-32700, -32700],
        ),
        (
            // (Under the 64 KB a header may take, so the count of errors is certain.)
            "30 KB of garbage before a header",
            "x".repeat(30_000).into_bytes(),
            vec![-32700],
        ),
    ];
    for (what, garbage, codes) in cases.drain(..) {
        garbage_then_alive(&mut s, what, &garbage, &codes);
    }
    // A header that never ends: given up after 64 KB, then the next header is found. (When
    // the write of 200 KB returns, the server has read all of it but at most a pipe's 64 KB.)
    s.send_raw("y".repeat(200_000).as_bytes());
    let id = fresh_id();
    s.send_raw(&view_request(id));
    assert_eq!(
        s.response(id)["result"],
        ALIVE_TEXT,
        "after a header that never ends"
    );
    let errors = take_errors(&mut s);
    assert!(
        !errors.is_empty() && errors.iter().all(|e| e["error"]["code"] == -32700),
        "{errors:?}"
    );
    // Not errors: a lower-case header name and extra headers are fine.
    let id = fresh_id();
    let body = json!({"jsonrpc": "2.0", "id": id, "method": "archive/viewFileText",
                      "params": {"textDocument": {"uri": ALIVE}}})
    .to_string();
    let lower = format!("content-length: {}\r\n\r\n{body}", body.len());
    s.send_raw(lower.as_bytes());
    assert_eq!(
        s.response(id)["result"],
        ALIVE_TEXT,
        "lower-case header name"
    );
    let id2 = fresh_id();
    let body = body.replace(&format!("\"id\":{id}"), &format!("\"id\":{id2}"));
    let extra = format!(
        "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.send_raw(extra.as_bytes());
    assert_eq!(s.response(id2)["result"], ALIVE_TEXT, "an extra header");
    // The eaten request was never answered, and nothing was shut down.
    assert!(
        !s.pending.iter().any(|m| m["id"] == eaten_id),
        "{:?}",
        s.pending
    );
    for needle in [
        "invalid Content-Length \"banana\"",
        "invalid Content-Length \"-5\"",
        "Content-Length 1099511627776 is too large",
        "no Content-Length header",
        "header too long",
        "invalid JSON body",
    ] {
        s.wait_stderr(needle);
    }
    s.shutdown();
}

#[test]
fn json_that_is_not_json_rpc_is_refused() {
    let mut s = server("utf-16");
    let cases: &[(&str, &[u8], i64, Value)] = &[
        (
            "truncated JSON",
            br#"{"jsonrpc":"2.0","id":3,"#,
            -32700,
            Value::Null,
        ),
        (
            "trailing garbage",
            br#"{"jsonrpc":"2.0","id":3,"method":"x"} }"#,
            -32700,
            Value::Null,
        ),
        (
            "not UTF-8",
            b"{\"jsonrpc\":\"2.0\xff\"}",
            -32700,
            Value::Null,
        ),
        ("a batch", b"[1,2]", -32600, Value::Null),
        ("an empty batch", b"[]", -32600, Value::Null),
        ("a string", b"\"hello\"", -32600, Value::Null),
        ("a number", b"42", -32600, Value::Null),
        ("null", b"null", -32600, Value::Null),
        (
            "no method, no result",
            br#"{"id":7,"foo":1}"#,
            -32600,
            json!(7),
        ),
        (
            "JSON-RPC 1.0",
            br#"{"jsonrpc":"1.0","id":8,"method":"archive/viewFileText","params":{}}"#,
            -32600,
            json!(8),
        ),
        (
            "an object id",
            br#"{"jsonrpc":"2.0","id":{"a":1},"method":"x"}"#,
            -32600,
            Value::Null,
        ),
        (
            "a numeric method",
            br#"{"jsonrpc":"2.0","id":9,"method":42}"#,
            -32600,
            json!(9),
        ),
    ];
    for (what, body, code, id) in cases {
        s.send_raw(&frame(body));
        let m = loop {
            let m = s.next_message();
            if m.get("method").is_none() {
                break m;
            }
        };
        assert_eq!(m["error"]["code"], *code, "{what}: {m}");
        assert_eq!(m["id"], *id, "{what}: {m}");
        assert_eq!(s.view_text(ALIVE), ALIVE_TEXT, "{what}");
    }
    s.wait_stderr("not a JSON-RPC 2.0 message; answered with error -32600");
    s.shutdown();
}

#[test]
fn bad_params_unknown_methods_and_stray_messages() {
    let mut s = server("utf-16");
    // Requests with bad params: -32602, never a crash.
    for params in [
        Value::Null,
        json!(5),
        json!({"textDocument": {"uri": ALIVE}}),
        json!({"textDocument": {"uri": ALIVE}, "position": {"line": 0}}),
        json!({"textDocument": {"uri": ALIVE}, "position": {"line": 0.5, "character": 0}}),
        json!({"textDocument": {"uri": ALIVE}, "position": {"line": 4294967296u64, "character": 0}}),
        json!({"textDocument": {"uri": 7}, "position": {"line": 0, "character": 0}}),
    ] {
        for method in ["textDocument/hover", "textDocument/definition"] {
            let r = s.request_raw(method, params.clone());
            assert_eq!(r["error"]["code"], -32602, "{method} {params}: {r}");
        }
    }
    for method in [
        "textDocument/documentSymbol",
        "textDocument/documentLink",
        "archive/viewFileText",
    ] {
        let r = s.request_raw(method, json!({"textDocument": 3}));
        assert_eq!(r["error"]["code"], -32602, "{method}: {r}");
    }

    // An unknown `$/` request gets -32601 (the framework alone would never answer it).
    let r = s.request_raw("$/archive.noSuchRequest", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    s.wait_stderr("no handler for request `$/archive.noSuchRequest`");
    // A second initialize is refused.
    let r = s.request_raw("initialize", json!({"capabilities": {}}));
    assert_eq!(r["error"]["code"], -32600, "{r}");

    // Notifications with bad params: ignored, and said so; the document is unchanged.
    let bad_change = json!({"textDocument": {"uri": ALIVE, "version": 2}, "contentChanges": [
        {"range": {"start": {"line": 0, "character": -1}, "end": {"line": 0, "character": 1}},
         "text": "X"}]});
    s.notify("textDocument/didChange", bad_change);
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": ALIVE}, "contentChanges": [{"text": "no version"}]}),
    );
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": "file:///tmp/hostile/bad-open.md", "text": 5}}),
    );
    s.notify("textDocument/didClose", json!({}));
    // A request method sent as a notification, a response nobody asked for, a cancel of
    // an unknown request.
    s.notify(
        "textDocument/hover",
        json!({"textDocument": {"uri": ALIVE}, "position": {"line": 0, "character": 0}}),
    );
    s.send(&json!({"jsonrpc": "2.0", "id": 4242, "result": {"x": 1}}));
    s.notify("$/cancelRequest", json!({"id": 987654}));
    s.barrier();
    assert_eq!(s.view_text(ALIVE), ALIVE_TEXT);
    let r = s.request_raw(
        "archive/viewFileText",
        json!({"textDocument": {"uri": "file:///tmp/hostile/bad-open.md"}}),
    );
    assert_eq!(r["error"]["code"], -32602, "never opened: {r}");
    for needle in [
        "invalid params in `textDocument/didChange` for file:///tmp/hostile/alive.md",
        "invalid params in `textDocument/didOpen` for file:///tmp/hostile/bad-open.md",
        "invalid params in `textDocument/didClose`",
        "`textDocument/hover` is a request but came without an id: ignored",
        "unknown request ID: 4242",
    ] {
        s.wait_stderr(needle);
    }
    // The document still takes valid edits.
    s.change_version(
        ALIVE,
        3,
        vec![json!({"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "#"})],
    );
    assert_eq!(s.view_text(ALIVE), format!("#{ALIVE_TEXT}"));
    s.shutdown();
}

#[test]
fn notifications_before_initialize_are_logged_and_ignored() {
    let mut s = Server::start();
    let uri = "file:///tmp/hostile/early.md";
    s.open(uri, "Title: early\n");
    s.notify("initialized", json!({}));
    for method in [
        "shutdown",
        "textDocument/documentSymbol",
        "textDocument/documentLink",
        "textDocument/definition",
    ] {
        let r = s.request_raw(
            method,
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
        );
        assert_eq!(r["error"]["code"], -32002, "{method}: {r}");
    }
    s.wait_stderr("`textDocument/didOpen` before `initialize`: ignored");
    s.wait_stderr("`initialized` before `initialize`: ignored");
    s.initialize_encodings(None);
    let r = s.request_raw(
        "archive/viewFileText",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(
        r["error"]["code"], -32602,
        "the early didOpen was ignored: {r}"
    );
    s.open(uri, "Title: now\n");
    assert_eq!(s.view_text(uri), "Title: now\n");
    s.shutdown();
}

fn at(line: u64, character: i64) -> Value {
    json!({"line": line, "character": character})
}

/// Hover and definition at a position inside a character answer as at the boundary before;
/// absurd but well-typed positions are clamped; ill-typed ones are invalid params.
#[test]
fn positions_inside_characters_and_absurd_ones_in_every_request() {
    let seed = std::fs::read_to_string(common::root().join("seeds/1956-04-20_𠮷家庄修成新水渠.md"))
        .unwrap();
    for enc in ["utf-8", "utf-16"] {
        let mut s = server(enc);
        let uri = "file:///tmp/hostile/astral.md";
        s.open(uri, &seed);
        let lines = line_boundaries(&seed, enc);
        // Every position inside 𠮷 and inside 家 (UTF-8) on every line holding them.
        let mut checked = 0;
        for (l, line) in seed.split('\n').enumerate() {
            let mut units = 0i64;
            for c in line.chars() {
                let w = match enc {
                    "utf-8" => c.len_utf8(),
                    _ => c.len_utf16(),
                } as i64;
                for inner in 1..w {
                    for method in ["textDocument/hover", "textDocument/definition"] {
                        let p = |ch| json!({"textDocument": {"uri": uri}, "position": at(l as u64, ch)});
                        let inside = s.request(method, p(units + inner));
                        let before = s.request(method, p(units));
                        assert_eq!(inside, before, "{enc} {method} inside {c:?} on line {l}");
                        assert!(answer_errors(&lines, &inside).is_empty());
                        checked += 1;
                    }
                }
                units += w;
                if checked > 400 {
                    break;
                }
            }
        }
        // 𠮷 (and in UTF-8 every Han character) in every position, both requests.
        assert!(
            checked >= if enc == "utf-8" { 300 } else { 6 },
            "{enc}: {checked}"
        );
        // Well-typed absurd positions: clamped, answered.
        for p in [
            at(1 << 31, 0),
            at(0, 1 << 31),
            at(u32::MAX as u64, u32::MAX as i64),
            at(5, 1 << 31),
        ] {
            for method in ["textDocument/hover", "textDocument/definition"] {
                let r = s.request_raw(method, json!({"textDocument": {"uri": uri}, "position": p}));
                assert!(r.get("error").is_none(), "{enc} {method} at {p}: {r}");
                assert!(answer_errors(&lines, &r["result"]).is_empty(), "{r}");
            }
        }
        // Ill-typed: negative or beyond u32.
        for p in [
            at(0, -1),
            json!({"line": -1, "character": 0}),
            at(1 << 32, 0),
            at(0, 1 << 40),
        ] {
            let r = s.request_raw(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": p}),
            );
            assert_eq!(r["error"]["code"], -32602, "{enc} at {p}: {r}");
        }
        // Edits at such positions: clamped; the text stays what LSP's rules say.
        let end = json!({"line": 1u64 << 31, "character": 0});
        s.change(
            uri,
            vec![json!({"range": {"start": end, "end": end}, "text": "END"})],
        );
        assert_eq!(s.view_text(uri), format!("{seed}END"), "{enc}");
        s.shutdown();
    }
}

#[test]
fn input_ending_inside_a_message_ends_the_process() {
    for (what, bytes) in [
        ("inside a message header", &b"Content-Length: 4"[..]),
        (
            "inside a message body",
            &b"Content-Length: 100\r\n\r\n{\"jsonrpc\""[..],
        ),
    ] {
        let mut s = server("utf-16");
        s.send_raw(bytes);
        s.close_stdin();
        assert_eq!(
            s.wait_exit().code(),
            Some(1),
            "{what}: no shutdown, status 1"
        );
        assert!(
            s.stderr().contains(&format!("input ended {what}")),
            "{}",
            s.stderr()
        );
    }
    // After `shutdown`, the end of input is a normal end: status 0.
    let mut s = server("utf-16");
    assert_eq!(
        s.request_raw("shutdown", Value::Null)["result"],
        Value::Null
    );
    s.close_stdin();
    assert_eq!(s.wait_exit().code(), Some(0));
    // `exit` before `initialize`: status 1.
    let mut s = Server::start();
    s.notify("exit", Value::Null);
    assert_eq!(s.wait_exit().code(), Some(1));
}

// ---------------------------------------------------------------------------------------
// Heavy documents, against the release binary
// ---------------------------------------------------------------------------------------

/// Opens `text` in a release server, checks the diagnostics against the core's, asks
/// hover and definition at `probes` and the outline and links, checks every position they
/// return, edits the document at `edit_at` and checks the text and diagnostics again.
/// Returns the diagnostics first published and the outline.
fn heavy(
    name: &str,
    text: &str,
    enc: &str,
    probes: &[Value],
    edit_at: Value,
) -> (Vec<Value>, Value) {
    let t0 = Instant::now();
    let mut s = Server::start_release();
    assert_eq!(s.initialize_encodings(Some(&[enc])), enc);
    s.open(ALIVE, ALIVE_TEXT);
    let uri = format!("file:///tmp/hostile/{name}.md");
    s.open(&uri, text);
    let published = s.wait_diagnostics(&uri);
    let opened = t0.elapsed();
    let expected = expected_diagnostics(text, enc);
    assert_eq!(
        common::comparable(&published),
        expected,
        "{name}: diagnostics"
    );
    assert!(published.len() <= MAX_DIAGNOSTICS + 1, "{name}: capped");

    let lines = line_boundaries(text, enc);
    let mut answers = Vec::new();
    for p in probes {
        for method in ["textDocument/hover", "textDocument/definition"] {
            answers.push(s.request(method, json!({"textDocument": {"uri": uri}, "position": p})));
        }
    }
    let outline = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    answers.push(outline.clone());
    answers.push(s.request(
        "textDocument/documentLink",
        json!({"textDocument": {"uri": uri}}),
    ));
    answers.push(json!(published.clone()));
    for a in &answers {
        let errors = answer_errors(&lines, a);
        assert!(
            errors.is_empty(),
            "{name}: {:?}",
            &errors[..errors.len().min(5)]
        );
    }

    // An edit in the middle of it, then the text and the diagnostics follow.
    let v = s.change(
        &uri,
        vec![json!({"range": {"start": edit_at, "end": edit_at}, "text": "𠮷\r\n"})],
    );
    let p = &edit_at;
    let offset = common::position::offset(
        text,
        p["line"].as_u64().unwrap() as usize,
        p["character"].as_u64().unwrap() as usize,
        enc,
    );
    let mut edited = text.to_string();
    edited.insert_str(offset, "𠮷\r\n");
    assert!(s.view_text(&uri) == edited, "{name}: text after the edit");
    let after = s.wait_diagnostics_version(&uri, v);
    assert_eq!(
        common::comparable(&after),
        expected_diagnostics(&edited, enc),
        "{name}: diagnostics after the edit"
    );
    assert_eq!(s.view_text(ALIVE), ALIVE_TEXT, "{name}: alive");
    s.close(&uri);
    assert_eq!(s.wait_diagnostics(&uri), Vec::<Value>::new());
    eprintln!(
        "{name} ({:.1} MB, {enc}): opened and diagnosed in {:.2} s, all done in {:.2} s, peak RSS {} MB",
        text.len() as f64 / 1e6,
        opened.as_secs_f64(),
        t0.elapsed().as_secs_f64(),
        s.peak_rss_kib() / 1024
    );
    s.shutdown();
    (published, outline)
}

#[test]
fn a_10_mb_single_line_document() {
    let unit = "Title: x 中𠮷 ";
    let text = unit.repeat(10_000_000 / unit.len());
    let per = unit.encode_utf16().count() as i64;
    let probes = [
        at(0, 0),
        at(0, per * 300_000 + 10),  // inside 𠮷 in UTF-16
        at(0, per * 400_000 + 9),   // before 𠮷
        at(0, i64::from(u32::MAX)), // past the end
        at(1, 0),                   // past the last line
    ];
    let (published, _) = heavy(
        "ten-mb-line",
        &text,
        "utf-16",
        &probes,
        at(0, per * 250_000 + 10),
    );
    assert_eq!(published.len(), MAX_DIAGNOSTICS + 1);
    assert_eq!(published.last().unwrap()["code"], "too-many-diagnostics");
}

#[test]
fn a_hundred_thousand_paragraphs_hit_the_cap_which_is_said() {
    let mut text = String::from("Title: Many\nAuthor:\nDate: 1952-08-03\nPage: 2\n\n");
    for i in 0..100_000 {
        // Unindented: an indentation hint each.
        text.push_str(&format!("Paragraph {i} of the translation, with 𠮷.\n"));
    }
    text.push_str(
        "\n<hr /> \n\nOriginal: \n\n### 许多\n\n1952-08-03\n第2版()\n专栏：\n\n    原文。\n",
    );
    let probes = [
        at(0, 3),
        at(2, 8),
        at(50_000, 36),
        at(100_004, 0),
        at(100_011, 5),
    ];
    let (published, outline) = heavy("paragraphs", &text, "utf-8", &probes, at(60_000, 5));
    assert_eq!(published.len(), MAX_DIAGNOSTICS + 1, "capped");
    let last = published.last().unwrap();
    assert_eq!(last["code"], "too-many-diagnostics", "{last}");
    let msg = last["message"].as_str().unwrap();
    assert!(
        msg.contains(&format!("at most {MAX_DIAGNOSTICS} per document")),
        "{msg}"
    );
    let hidden: usize = msg.split(' ').next().unwrap().parse().unwrap();
    assert!(hidden >= 99_000, "{msg}");
    // One indentation hint and one untranslated 𠮷 per paragraph.
    assert!(
        published
            .iter()
            .filter(|d| d["code"] == "indentation")
            .count()
            > 450
    );
    // The outline is capped too (100,000 entries would cost the server 600 MB and 2 s per
    // request), and says so in a last entry.
    let translation = outline
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Translation")
        .expect("a Translation section");
    let children = translation["children"].as_array().unwrap();
    assert_eq!(children.len(), MAX_OUTLINE_CHILDREN + 1);
    let last = children.last().unwrap()["name"].as_str().unwrap();
    assert!(last.starts_with("… 99000 more not shown"), "{last}");
}

#[test]
fn an_empty_document() {
    let probes = [
        at(0, 0),
        at(0, 5),
        at(3, 3),
        at(u32::MAX as u64, u32::MAX as i64),
    ];
    let (published, outline) = heavy("empty", "", "utf-16", &probes, at(7, 7));
    assert_eq!(outline, json!([]));
    assert!(!published.is_empty(), "an empty file lacks its header");
}

#[test]
fn a_line_of_a_million_boxes() {
    let seed =
        std::fs::read_to_string(common::root().join("seeds/000_0d759123a74baf35.txt")).unwrap();
    let line = "□".repeat(1_000_000);
    // As the original's last paragraph, and alone.
    let text = format!("{seed}    {line}\n");
    let n = seed.lines().count() as u64;
    let probes = [at(n, 0), at(n, 500_000), at(n, 1_000_004), at(n - 1, 3)];
    heavy("boxes-in-seed", &text, "utf-32", &probes, at(n, 777_777));
    let probes = [at(0, 0), at(0, 1_500_000), at(0, 3_000_000)];
    heavy("boxes", &line, "utf-8", &probes, at(0, 1_500_001));
}
