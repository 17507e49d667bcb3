//! Scripted latency through the real server over stdio, as an editor sees it: the median
//! round trip of hover, and of an edit until its diagnostics arrive, on the sample and on a
//! 1 MB document. Each is also given as a ratio to a baseline measured in the same run: the
//! round trip of a request the server answers without analysis (pure protocol cost).
//!
//! Run with `cargo bench --bench latency`.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

const SAMPLE: &str = include_str!("../seeds/000_0d759123a74baf35.txt");
const ROUNDS: usize = 200;

struct Server {
    child: Child,
    stdin: ChildStdin,
    inbox: Receiver<Value>,
    next_id: i64,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_archive-lsp"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let stdin = child.stdin.take().unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let (tx, inbox) = channel();
        // Read concurrently so that neither side ever blocks on a full pipe.
        std::thread::spawn(move || loop {
            let mut len = 0;
            loop {
                let mut line = String::new();
                if out.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                if let Some(v) = line.strip_prefix("Content-Length:") {
                    len = v.trim().parse().unwrap();
                } else if line == "\r\n" {
                    break;
                }
            }
            let mut body = vec![0; len];
            out.read_exact(&mut body).unwrap();
            if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                return;
            }
        });
        Server {
            child,
            stdin,
            inbox,
            next_id: 0,
        }
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait(|m| m["id"] == id)
    }

    fn wait(&mut self, want: impl Fn(&Value) -> bool) -> Value {
        loop {
            let m = self
                .inbox
                .recv_timeout(Duration::from_secs(60))
                .expect("an answer");
            if want(&m) {
                return m;
            }
        }
    }
}

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

fn measure(mut f: impl FnMut()) -> Duration {
    for _ in 0..10 {
        f();
    }
    median(
        (0..ROUNDS)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
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
        s.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "archive", "version": 0, "text": text}}),
        );
        let u = uri.clone();
        s.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == u.as_str()
        });
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
        let mut typed = false;
        let edit = measure(|| {
            version += 1;
            let (range, text) = if typed {
                (
                    json!({"start": {"line": 0, "character": 7}, "end": {"line": 0, "character": 8}}),
                    "",
                )
            } else {
                (
                    json!({"start": {"line": 0, "character": 7}, "end": {"line": 0, "character": 7}}),
                    "x",
                )
            };
            typed = !typed;
            s.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": version},
                       "contentChanges": [{"range": range, "text": text}]}),
            );
            let u = uri.clone();
            s.wait(|m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == u.as_str()
                    && m["params"]["version"] == version
            });
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
}
