//! Scripted latency through the real server over stdio, as an editor sees it: the median
//! round trip of hover, and of an edit until its diagnostics arrive, on the sample and on a
//! 1 MB document; and, on the largest corpus file, the time from the last edit of a burst
//! of 1,000 to its diagnostics, beside one edit's round trip on the same file; and the
//! editing aids on that file (semantic tokens full and delta, folding, selection,
//! completion) beside a hover's round trip on it. Each is also
//! given as a ratio to a baseline measured in the same run: the round trip of a request the
//! server answers without analysis (pure protocol cost).
//!
//! Edits are typed as a person types, with a pause between keystrokes (outside the timing):
//! in a burst the server coalesces diagnostics on purpose (see `lsp/backend.rs`).
//!
//! Run with `cargo bench --bench latency`.

#[path = "support/lsp.rs"]
mod lsp;

use lsp::Server;
use serde_json::{json, Value};
use std::io::Write;
use std::time::{Duration, Instant};

const SAMPLE: &str = include_str!("../seeds/000_0d759123a74baf35.txt");
const ROUNDS: usize = 200;
/// The pause between timed keystrokes: longer than the server's coalescing window.
const KEY_PAUSE: Duration = Duration::from_millis(30);
/// Bursts timed on the largest corpus file.
const BURSTS: usize = 15;

/// The sample with its paragraphs repeated on both sides to about `size` bytes.
fn big_document(size: usize) -> String {
    let english_at = SAMPLE.find("    Experience").unwrap();
    let english_end = SAMPLE.find("\n\n\n\n<hr />").unwrap() + 1;
    let original_at = SAMPLE.rfind("    及时").unwrap();
    let (english, original) = (&SAMPLE[english_at..english_end], &SAMPLE[original_at..]);
    let rounds = size / (english.len() + original.len()) + 1;
    [
        &SAMPLE[..english_at],
        &english.repeat(rounds),
        &SAMPLE[english_end..original_at],
        &original.repeat(rounds),
    ]
    .concat()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn measure(f: impl FnMut()) -> Duration {
    measure_paused(ROUNDS, Duration::ZERO, f)
}

/// The median of `rounds` timed calls of `f` (after 10 untimed ones), `pause` apart.
fn measure_paused(rounds: usize, pause: Duration, mut f: impl FnMut()) -> Duration {
    for _ in 0..10 {
        f();
    }
    median(
        (0..rounds)
            .map(|_| {
                std::thread::sleep(pause);
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

/// The largest file of the shared corpus beside the repository, if it is there.
fn largest_corpus_file() -> Option<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let path = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .max_by_key(|p| p.metadata().map(|m| m.len()).unwrap_or(0))?;
    let name = path.file_name()?.to_string_lossy().into_owned();
    Some((name, std::fs::read_to_string(&path).ok()?))
}

/// An edit typing `x` at the start of line 0 (or deleting it again), as a JSON-RPC params.
fn keystroke(uri: &str, version: i32, typed: bool) -> Value {
    let end = if typed { 1 } else { 0 };
    json!({"textDocument": {"uri": uri, "version": version},
           "contentChanges": [{"range": {"start": {"line": 0, "character": 7},
                                         "end": {"line": 0, "character": 7 + end}},
                               "text": if typed { "" } else { "x" }}]})
}

fn main() {
    // `cargo bench` passes filter arguments; this harness runs everything.
    let mut s = Server::start();
    s.request("initialize", json!({"capabilities": {}}));
    s.notify("initialized", json!({}));
    let mut rows = Vec::new();

    let baseline = measure(|| {
        s.request("archive/latencyBaseline", json!({}));
    });
    rows.push(("baseline: unknown request, no analysis", baseline));

    for (name, text) in [
        ("sample", SAMPLE.to_owned()),
        ("1 MB", big_document(1 << 20)),
    ] {
        let uri = format!("file:///bench/{}.md", name.replace(' ', ""));
        s.open(&uri, &text);
        let hover = json!({"textDocument": {"uri": uri}, "position": {"line": 26, "character": 6}});
        rows.push((
            if name == "sample" {
                "hover, sample"
            } else {
                "hover, 1 MB"
            },
            measure(|| {
                s.request("textDocument/hover", hover.clone());
            }),
        ));
        // Type a character into the title line and delete it again: every round trip is a
        // real change followed by its diagnostics.
        let mut version = 0;
        let edit = measure_paused(ROUNDS, KEY_PAUSE, || {
            version += 1;
            s.notify(
                "textDocument/didChange",
                keystroke(&uri, version, version % 2 == 0),
            );
            s.wait_diagnostics(&uri, version);
        });
        rows.push((
            if name == "sample" {
                "edit -> diagnostics, sample"
            } else {
                "edit -> diagnostics, 1 MB"
            },
            edit,
        ));
    }
    let mut tokens_vs_hover = None;
    if let Some((name, text)) = largest_corpus_file() {
        let uri = "file:///bench/largest.md";
        s.open(uri, &text);
        // The editing aids on the largest file, beside a hover on it (a paragraph's middle).
        let doc = json!({"textDocument": {"uri": uri}});
        let at = |line: usize, character: usize| json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
        // A paragraph line near the middle, so that the hover has something to show.
        let lines: Vec<&str> = text.lines().collect();
        let middle = (lines.len() / 2..lines.len())
            .find(|&l| lines[l].trim().len() > 40)
            .unwrap_or(0);
        let hover = measure(|| {
            s.request("textDocument/hover", at(middle, 20));
        });
        let full = measure(|| {
            s.request("textDocument/semanticTokens/full", doc.clone());
        });
        let first = s.request("textDocument/semanticTokens/full", doc.clone());
        let mut result_id = first["result"]["resultId"].as_str().unwrap().to_string();
        let delta = measure(|| {
            let r = s.request(
                "textDocument/semanticTokens/full/delta",
                json!({"textDocument": {"uri": uri}, "previousResultId": result_id}),
            );
            result_id = r["result"]["resultId"].as_str().unwrap().to_string();
        });
        let folding = measure(|| {
            s.request("textDocument/foldingRange", doc.clone());
        });
        let selection = measure(|| {
            s.request(
                "textDocument/selectionRange",
                json!({"textDocument": {"uri": uri}, "positions": [{"line": middle, "character": 20}]}),
            );
        });
        let completion = measure(|| {
            s.request("textDocument/completion", at(2, 6));
        });
        rows.push(("hover, largest corpus file", hover));
        rows.push(("semantic tokens full, largest corpus file", full));
        rows.push(("semantic tokens delta (no change), largest", delta));
        rows.push(("folding ranges, largest corpus file", folding));
        rows.push(("selection range, largest corpus file", selection));
        rows.push(("completion (header value), largest", completion));
        tokens_vs_hover = Some(full.as_secs_f64() / hover.as_secs_f64());
        let mut version = 0;
        let one = measure_paused(ROUNDS, KEY_PAUSE, || {
            version += 1;
            s.notify(
                "textDocument/didChange",
                keystroke(uri, version, version % 2 == 0),
            );
            s.wait_diagnostics(uri, version);
        });
        // After each keystroke (its diagnostics in, so the analysis is done): the delta
        // request, timed alone. Nothing is reused here: the tokens are computed anew.
        let mut after_edit = Vec::new();
        for _ in 0..ROUNDS {
            std::thread::sleep(KEY_PAUSE);
            version += 1;
            s.notify(
                "textDocument/didChange",
                keystroke(uri, version, version % 2 == 0),
            );
            s.wait_diagnostics(uri, version);
            let t = Instant::now();
            let r = s.request(
                "textDocument/semanticTokens/full/delta",
                json!({"textDocument": {"uri": uri}, "previousResultId": result_id}),
            );
            after_edit.push(t.elapsed());
            result_id = r["result"]["resultId"].as_str().unwrap().to_string();
        }
        // 1,000 keystrokes written at once; timed from the last one to its diagnostics.
        let mut bursts = Vec::new();
        for _ in 0..BURSTS {
            std::thread::sleep(KEY_PAUSE);
            let mut frames = String::new();
            for _ in 0..1000 {
                version += 1;
                let params = keystroke(uri, version, version % 2 == 0);
                let body = json!({"jsonrpc": "2.0", "method": "textDocument/didChange",
                                  "params": params})
                .to_string();
                frames += &format!("Content-Length: {}\r\n\r\n{body}", body.len());
            }
            let (head, last) = frames.split_at(frames.rfind("Content-Length").unwrap());
            s.stdin.write_all(head.as_bytes()).unwrap();
            let t = Instant::now();
            s.stdin.write_all(last.as_bytes()).unwrap();
            s.stdin.flush().unwrap();
            s.wait_diagnostics(uri, version);
            bursts.push(t.elapsed());
        }
        println!("largest corpus file: {name} ({} bytes)", text.len());
        rows.push(("edit -> diagnostics, largest corpus file", one));
        rows.push((
            "semantic tokens delta after an edit, largest",
            median(after_edit),
        ));
        rows.push(("last of a 1,000-edit burst -> diagnostics", median(bursts)));
    }
    s.request("shutdown", Value::Null);
    s.notify("exit", Value::Null);
    let _ = s.child.wait();

    println!("latency over stdio, median of {ROUNDS} rounds (ratio to the baseline):");
    for (name, t) in rows {
        let ratio = t.as_secs_f64() / baseline.as_secs_f64();
        println!(
            "  {name:40} {:>10.1} µs  {ratio:>7.1}x",
            t.as_secs_f64() * 1e6
        );
    }
    if let Some(r) = tokens_vs_hover {
        println!(
            "semantic tokens full / hover on the largest corpus file: {r:.2}x (goal: at most 2x)"
        );
    }
}
