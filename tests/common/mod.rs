//! An LSP test harness: spawns the built `archive-lsp` binary and speaks real
//! `Content-Length` framed JSON-RPC to it over stdio.
//!
//! The server's stdout and stderr are each drained by their own thread (stdout into a
//! channel of parsed messages, stderr into a buffer), so neither side ever blocks on a full
//! pipe however much is written. Notifications that arrive while a response is awaited are
//! kept aside for [`Server::wait_diagnostics`].
//!
//! Positions in expectations are computed here independently of the server's own
//! conversion code ([`position`]), so the tests check the server rather than echo it.

#![allow(dead_code)] // each test file uses a different part of the harness

pub mod faults;
pub mod layout;
mod temp;
#[allow(unused_imports)] // as dead_code above
pub use temp::TempTree;

use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long any single wait may take before the test fails (debug builds are slow).
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// A running server.
pub struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    /// Notifications (and server-to-client requests) not yet consumed.
    pub pending: VecDeque<Value>,
    stderr: Arc<Mutex<String>>,
    next_id: i64,
    versions: HashMap<String, i32>,
}

/// The path of the built binary.
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_archive-lsp"))
}

/// The variable naming `check`'s results cache folder.
pub const CACHE_VAR: &str = "ARCHIVE_LSP_CACHE_DIR";

/// The results cache of the tests' `check` runs: under the target folder, never in HOME.
/// Shared by all the tests, so that many runs find their files in it: its answers must be
/// those of a fresh check, and every test that compares outputs says so.
pub fn check_cache_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("check-cache")
}

/// The built binary as a command, with the tests' results cache.
pub fn checker() -> Command {
    let mut c = Command::new(binary());
    c.env(CACHE_VAR, check_cache_dir());
    c
}

/// Every diagnostic `check` finds under `path`, hints too, as its JSON array (checked
/// afresh: no results cache).
pub fn check_all_json(path: &Path) -> Vec<Value> {
    let out = checker()
        .args([
            "check",
            "--no-cache",
            "--format",
            "json",
            "--min-severity",
            "hint",
        ])
        .arg(path)
        .output()
        .expect("the checker runs");
    serde_json::from_slice(&out.stdout).expect("the checker's JSON")
}

impl Server {
    /// Starts `archive-lsp` (no arguments: LSP on stdio).
    pub fn start() -> Server {
        Server::start_binary(&binary())
    }

    /// Starts a given build of the server (e.g. the release binary for heavy tests).
    pub fn start_binary(path: &Path) -> Server {
        let mut child = Command::new(path)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", path.display()));
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut r) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        let mut err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Server {
            stdin: child.stdin.take(),
            child,
            messages: rx,
            pending: VecDeque::new(),
            stderr,
            next_id: 1,
            versions: HashMap::new(),
        }
    }

    /// Everything the server wrote on stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits until stderr contains `needle`; fails the test after [`TIMEOUT`].
    pub fn wait_stderr(&self, needle: &str) {
        let deadline = Instant::now() + TIMEOUT;
        while !self.stderr().contains(needle) {
            assert!(
                Instant::now() < deadline,
                "stderr never said {needle:?}:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// A round trip: every message sent before has been handled when this returns.
    pub fn barrier(&mut self) {
        self.request_raw(
            "archive/viewFileText",
            json!({"textDocument": {"uri": "file:///barrier"}}),
        );
    }

    /// Writes raw bytes to the server's stdin.
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        stdin.write_all(bytes).expect("server stdin");
        stdin.flush().unwrap();
    }

    /// Writes one framed JSON-RPC message.
    pub fn send(&mut self, msg: &Value) {
        let body = serde_json::to_vec(msg).unwrap();
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(&body);
        self.send_raw(&frame);
    }

    /// Sends a notification.
    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request without waiting; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// The next message from the server, or a test failure after [`TIMEOUT`].
    pub fn next_message(&mut self) -> Value {
        match self.messages.recv_timeout(TIMEOUT) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => {
                panic!(
                    "no message from the server in {TIMEOUT:?}; stderr:\n{}",
                    self.stderr()
                )
            }
            Err(RecvTimeoutError::Disconnected) => {
                panic!("the server closed its stdout; stderr:\n{}", self.stderr())
            }
        }
    }

    /// Waits for the response to request `id` (the whole message, `result` or `error`).
    pub fn response(&mut self, id: i64) -> Value {
        loop {
            let m = self.next_message();
            if m.get("id") == Some(&json!(id)) && m.get("method").is_none() {
                return m;
            }
            self.pending.push_back(m);
        }
    }

    /// Sends a request and waits for its whole response message.
    pub fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// Sends a request and returns its `result`; fails the test on an error response.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let r = self.request_raw(method, params);
        if let Some(e) = r.get("error") {
            panic!("{method} failed: {e}\nstderr:\n{}", self.stderr());
        }
        r["result"].clone()
    }

    /// `initialize` with these client capabilities, then `initialized`; the result.
    pub fn initialize(&mut self, capabilities: Value) -> Value {
        let r = self.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities}),
        );
        self.notify("initialized", json!({}));
        r
    }

    /// `initialize` offering these position encodings (`None`: say nothing), with
    /// hierarchical symbols and definition links; the negotiated encoding.
    pub fn initialize_encodings(&mut self, encodings: Option<&[&str]>) -> String {
        let mut caps = json!({
            "textDocument": {
                "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
                "definition": {"linkSupport": true},
                "hover": {"contentFormat": ["markdown", "plaintext"]}
            }
        });
        if let Some(e) = encodings {
            caps["general"] = json!({"positionEncodings": e});
        }
        let r = self.initialize(caps);
        r["capabilities"]["positionEncoding"]
            .as_str()
            .unwrap_or("utf-16")
            .to_string()
    }

    /// Opens the file at `path`, asserts that the diagnostics published for it are exactly
    /// the core's, and returns its URI, text and those diagnostics.
    pub fn open_matching_core(
        &mut self,
        path: &Path,
        encoding: &str,
    ) -> (String, String, Vec<Value>) {
        let text = std::fs::read_to_string(path).unwrap();
        let uri = file_uri(path);
        self.open(&uri, &text);
        let got = self.wait_diagnostics(&uri);
        assert_eq!(
            comparable(&got),
            expected_diagnostics(&text, encoding),
            "{} in {encoding}",
            path.display()
        );
        (uri, text, got)
    }

    /// Opens a document at version 1.
    pub fn open(&mut self, uri: &str, text: &str) {
        self.versions.insert(uri.to_string(), 1);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "archive", "version": 1, "text": text}}),
        );
    }

    /// Sends `changes` (content change events) as the document's next version; returns it.
    pub fn change(&mut self, uri: &str, changes: Vec<Value>) -> i32 {
        let v = self.versions.entry(uri.to_string()).or_insert(0);
        *v += 1;
        let version = *v;
        self.change_version(uri, version, changes);
        version
    }

    /// Sends `changes` with an explicit version number.
    pub fn change_version(&mut self, uri: &str, version: i32, changes: Vec<Value>) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    /// Closes a document.
    pub fn close(&mut self, uri: &str) {
        self.versions.remove(uri);
        self.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
    }

    /// The document's current version as sent by this harness.
    pub fn version(&self, uri: &str) -> i32 {
        self.versions.get(uri).copied().unwrap_or(0)
    }

    /// Waits for the next `publishDiagnostics` for `uri`; returns its params.
    pub fn wait_publish(&mut self, uri: &str) -> Value {
        if let Some(i) = self.pending.iter().position(|m| is_publish_for(m, uri)) {
            return self.pending.remove(i).unwrap()["params"].clone();
        }
        loop {
            let m = self.next_message();
            if is_publish_for(&m, uri) {
                return m["params"].clone();
            }
            self.pending.push_back(m);
        }
    }

    /// Waits for the next diagnostics published for `uri`.
    pub fn wait_diagnostics(&mut self, uri: &str) -> Vec<Value> {
        diagnostics_of(&self.wait_publish(uri))
    }

    /// Waits for the diagnostics of `uri` at `version`, skipping earlier ones.
    pub fn wait_diagnostics_version(&mut self, uri: &str, version: i32) -> Vec<Value> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            assert!(
                Instant::now() < deadline,
                "no diagnostics for version {version}"
            );
            let p = self.wait_publish(uri);
            if p["version"] == json!(version) {
                return diagnostics_of(&p);
            }
        }
    }

    /// Waits for the server's next request `method` to the client (kept aside by earlier
    /// waits or still to come); returns the whole message, to answer with [`Server::reply`].
    pub fn wait_server_request(&mut self, method: &str) -> Value {
        self.wait_message(|m| m["method"] == method && m.get("id").is_some())
    }

    /// Waits for the server's next notification `method` (kept aside by earlier waits or
    /// still to come); returns the whole message.
    pub fn wait_notification(&mut self, method: &str) -> Value {
        self.wait_message(|m| m["method"] == method && m.get("id").is_none())
    }

    /// The first message kept aside, or still to come, that `is_it`; the others stay aside.
    pub fn wait_message(&mut self, is_it: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.pending.iter().position(&is_it) {
            return self.pending.remove(i).unwrap();
        }
        loop {
            let m = self.next_message();
            if is_it(&m) {
                return m;
            }
            self.pending.push_back(m);
        }
    }

    /// Answers the server's request `request` with `result`.
    pub fn reply(&mut self, request: &Value, result: Value) {
        self.send(&json!({"jsonrpc": "2.0", "id": request["id"], "result": result}));
    }

    /// The server's copy of a document (`archive/viewFileText`).
    pub fn view_text(&mut self, uri: &str) -> String {
        let r = self.request(
            "archive/viewFileText",
            json!({"textDocument": {"uri": uri}}),
        );
        r.as_str()
            .expect("viewFileText returns a string")
            .to_string()
    }

    /// Waits for the process to end, at most [`TIMEOUT`].
    pub fn wait_exit(&mut self) -> ExitStatus {
        self.stdin.take();
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// `shutdown` then `exit`; asserts exit status 0.
    pub fn shutdown(mut self) {
        let r = self.request_raw("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null, "shutdown answers null: {r}");
        self.notify("exit", Value::Null);
        let status = self.wait_exit();
        assert_eq!(status.code(), Some(0), "stderr:\n{}", self.stderr());
    }

    /// Closes the server's stdin (end of input).
    pub fn close_stdin(&mut self) {
        self.stdin.take();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // A failed test must not leave a server running.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn is_publish_for(m: &Value, uri: &str) -> bool {
    m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
}

fn diagnostics_of(params: &Value) -> Vec<Value> {
    params["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Reads one framed message; `None` at the end of the stream.
pub fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            length = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    r.read_exact(&mut body).ok()?;
    Some(serde_json::from_slice(&body).expect("the server writes JSON"))
}

/// A `file://` URI for a path, percent-encoding what URIs do not allow (Han included).
pub fn file_uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The project root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every file of a folder, sorted.
pub fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}

/// The seeds (`seeds/*`).
pub fn seeds() -> Vec<PathBuf> {
    files_in(&root().join("seeds"))
}

/// The folder of real files beside the project, or `None` (said loudly: the tests that
/// need it are then skipped) if it is absent.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = root().join("../shared/corpus");
    if !dir.is_dir() {
        eprintln!(
            "\n*** SKIPPED: the corpus is not at {} ***\n",
            dir.display()
        );
        return None;
    }
    Some(dir)
}

/// The real files beside the project, or `None` (loudly) if they are absent.
pub fn corpus() -> Option<Vec<PathBuf>> {
    corpus_dir().map(|dir| files_in(&dir))
}

/// Independent position arithmetic for expectations (LSP's lines: `\n`, `\r\n`, `\r`).
pub mod position {
    use serde_json::{json, Value};

    /// The position of byte `offset` of `text` in `encoding` (`utf-8`, `utf-16`, `utf-32`).
    pub fn at(text: &str, offset: usize, encoding: &str) -> Value {
        positions(text, &[offset], encoding).remove(0)
    }

    /// The positions of byte `offsets` of `text` in `encoding`, in one walk over the text,
    /// so that big texts with many diagnostics stay cheap.
    pub fn positions(text: &str, offsets: &[usize], encoding: &str) -> Vec<Value> {
        let mut order: Vec<usize> = (0..offsets.len()).collect();
        order.sort_by_key(|&i| offsets[i]);
        let mut out = vec![Value::Null; offsets.len()];
        let (mut line, mut col) = (0u64, 0u64);
        let mut chars = text.char_indices().peekable();
        for i in order {
            while let Some(&(at, c)) = chars.peek() {
                if at >= offsets[i] {
                    break;
                }
                chars.next();
                if c == '\n' || (c == '\r' && chars.peek().map(|p| p.1) != Some('\n')) {
                    line += 1;
                    col = 0;
                } else if c != '\r' {
                    col += match encoding {
                        "utf-8" => c.len_utf8(),
                        "utf-16" => c.len_utf16(),
                        _ => 1,
                    } as u64;
                }
            }
            out[i] = json!({"line": line, "character": col});
        }
        out
    }

    /// The range of a byte span.
    pub fn range(text: &str, span: &std::ops::Range<usize>, encoding: &str) -> Value {
        json!({"start": at(text, span.start, encoding), "end": at(text, span.end, encoding)})
    }

    /// Applies LSP `TextEdit`s (positions in `encoding`) to `text` as a client does: all
    /// against the text before any of them. Overlapping edits fail the test.
    pub fn apply_edits(text: &str, edits: &[Value], encoding: &str) -> String {
        let at = |p: &Value| {
            offset(
                text,
                p["line"].as_u64().unwrap() as usize,
                p["character"].as_u64().unwrap() as usize,
                encoding,
            )
        };
        let mut spans: Vec<(usize, usize, &str)> = edits
            .iter()
            .map(|e| {
                (
                    at(&e["range"]["start"]),
                    at(&e["range"]["end"]),
                    e["newText"].as_str().unwrap(),
                )
            })
            .collect();
        spans.sort_by_key(|s| (s.0, s.1));
        for w in spans.windows(2) {
            assert!(w[0].1 <= w[1].0, "overlapping edits: {edits:?}");
        }
        let mut out = text.to_owned();
        for (start, end, new) in spans.into_iter().rev() {
            out.replace_range(start..end, new);
        }
        out
    }

    /// The byte offset of a position (LSP's clamping rules).
    pub fn offset(text: &str, line: usize, character: usize, encoding: &str) -> usize {
        let mut start = 0;
        for _ in 0..line {
            match text[start..].find(['\n', '\r']) {
                Some(i) => {
                    let j = start + i;
                    start = if text[j..].starts_with("\r\n") {
                        j + 2
                    } else {
                        j + 1
                    };
                }
                None => return text.len(),
            }
        }
        let end = text[start..]
            .find(['\n', '\r'])
            .map_or(text.len(), |i| start + i);
        let mut units = 0;
        for (i, c) in text[start..end].char_indices() {
            let w = match encoding {
                "utf-8" => c.len_utf8(),
                "utf-16" => c.len_utf16(),
                _ => 1,
            };
            if units + w > character {
                return start + i;
            }
            units += w;
        }
        end
    }
}

/// The core's diagnostics for `text`, as the server must publish them: code, severity,
/// range (in `encoding`) and message.
pub fn expected_diagnostics(text: &str, encoding: &str) -> Vec<Value> {
    let ds = archive_lsp::check::check_text(text);
    let offsets: Vec<usize> = ds.iter().flat_map(|d| [d.span.start, d.span.end]).collect();
    let p = position::positions(text, &offsets, encoding);
    ds.iter()
        .enumerate()
        .map(|(i, d)| {
            json!({
                "code": d.code.name(),
                "severity": match d.severity {
                    archive_lsp::check::Severity::Error => 1,
                    archive_lsp::check::Severity::Warning => 2,
                    archive_lsp::check::Severity::Information => 3,
                    archive_lsp::check::Severity::Hint => 4,
                },
                "range": {"start": p[2 * i], "end": p[2 * i + 1]},
                "message": d.message,
            })
        })
        .collect()
}

/// The comparable part of published diagnostics (see [`expected_diagnostics`]); also
/// asserts that every one has the source `archive-lsp`.
pub fn comparable(published: &[Value]) -> Vec<Value> {
    published
        .iter()
        .map(|d| {
            assert_eq!(d["source"], "archive-lsp", "{d}");
            json!({
                "code": d["code"],
                "severity": d["severity"],
                "range": d["range"],
                "message": d["message"],
            })
        })
        .collect()
}

/// A tiny deterministic random generator (xorshift), so failures reproduce.
pub struct Rng(pub u64);

impl Rng {
    /// The next number.
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number below `n` (0 if `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// The release build of the server, for heavy tests: `ARCHIVE_LSP_RELEASE_BIN` if set, else
/// built here with `cargo build --release` (a no-op when it is up to date, as after the
/// README's test command has built it), so a stale binary is never tested.
pub fn release_binary() -> &'static Path {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(p) = std::env::var_os("ARCHIVE_LSP_RELEASE_BIN") {
            let p = PathBuf::from(p);
            assert!(
                p.exists(),
                "ARCHIVE_LSP_RELEASE_BIN={} does not exist",
                p.display()
            );
            return p;
        }
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let out = Command::new(cargo)
            .args([
                "build",
                "--release",
                "--bin",
                "archive-lsp",
                "--message-format=json-render-diagnostics",
            ])
            .current_dir(root())
            .stderr(Stdio::inherit())
            .output()
            .expect("cargo runs");
        assert!(out.status.success(), "cargo build --release failed");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|m| m["target"]["name"] == "archive-lsp")
            .find_map(|m| m["executable"].as_str().map(PathBuf::from))
            .expect("cargo reported the archive-lsp executable")
    })
}

impl Server {
    /// Starts the release build (see [`release_binary`]).
    pub fn start_release() -> Server {
        Server::start_binary(release_binary())
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The server's resident memory (`VmRSS`), in KiB.
    pub fn rss_kib(&self) -> u64 {
        proc_status_kib(self.pid(), "VmRSS:")
    }

    /// The server's peak resident memory (`VmHWM`), in KiB.
    pub fn peak_rss_kib(&self) -> u64 {
        proc_status_kib(self.pid(), "VmHWM:")
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The next message if one comes within `wait`, else `None`.
    pub fn try_next_message(&mut self, wait: Duration) -> Option<Value> {
        self.messages.recv_timeout(wait).ok()
    }

    /// Forgets the notifications kept aside so far.
    pub fn clear_pending(&mut self) {
        self.pending.clear();
    }
}

fn proc_status_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc status");
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/{pid}/status"))
}

/// Checks that a position returned by the server is valid in `encoding` for `text`: its
/// line exists (LSP's lines: `\n`, `\r\n`, `\r`), its character is at most the line's
/// length (without the break) in that encoding, and it falls on a character boundary (not
/// inside a surrogate pair in UTF-16, not inside a sequence in UTF-8). Returns why not.
pub fn position_error(lines: &[Vec<usize>], pos: &Value) -> Option<String> {
    let (Some(line), Some(character)) = (pos["line"].as_u64(), pos["character"].as_u64()) else {
        return Some(format!("not a position: {pos}"));
    };
    let Some(bounds) = lines.get(line as usize) else {
        return Some(format!(
            "line {line} past the last line {}",
            lines.len() - 1
        ));
    };
    if bounds.binary_search(&(character as usize)).is_err() {
        let len = bounds.last().copied().unwrap_or(0);
        return Some(if character as usize > len {
            format!("character {character} past the end ({len}) of line {line}")
        } else {
            format!("character {character} inside a character of line {line}")
        });
    }
    None
}

/// For each LSP line of `text`, the valid `character` values in `encoding` (every
/// character boundary from 0 to the line's length), for [`position_error`].
pub fn line_boundaries(text: &str, encoding: &str) -> Vec<Vec<usize>> {
    let mut lines = vec![vec![0]];
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' || c == '\r' {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            lines.push(vec![0]);
            continue;
        }
        let w = match encoding {
            "utf-8" => c.len_utf8(),
            "utf-16" => c.len_utf16(),
            _ => 1,
        };
        let cur = lines.last_mut().unwrap();
        let at = *cur.last().unwrap();
        cur.push(at + w);
    }
    lines
}

/// Whether `start` is not after `end` (both positions).
pub fn ordered(start: &Value, end: &Value) -> bool {
    let key = |p: &Value| (p["line"].as_u64(), p["character"].as_u64());
    key(start) <= key(end)
}

impl Server {
    /// Waits for the responses to all of `ids` (in any order, also those already read and
    /// kept aside); returns them in the order of `ids`.
    pub fn responses(&mut self, ids: &[i64]) -> Vec<Value> {
        let mut got: HashMap<i64, Value> = HashMap::new();
        let is_response = |m: &Value| m.get("method").is_none() && m["id"].is_i64();
        let mut i = 0;
        while i < self.pending.len() {
            let id = self.pending[i]["id"].as_i64();
            if is_response(&self.pending[i]) && ids.contains(&id.unwrap()) {
                let m = self.pending.remove(i).unwrap();
                got.insert(id.unwrap(), m);
            } else {
                i += 1;
            }
        }
        while got.len() < ids.len() {
            let m = self.next_message();
            match m["id"].as_i64() {
                Some(id) if is_response(&m) && ids.contains(&id) => {
                    got.insert(id, m);
                }
                _ => self.pending.push_back(m),
            }
        }
        ids.iter().map(|id| got.remove(id).unwrap()).collect()
    }
}

/// Every position (an object with numeric `line` and `character`) and every range (an
/// object with `start` and `end` positions) anywhere inside a server's answer.
pub fn positions_and_ranges(v: &Value, positions: &mut Vec<Value>, ranges: &mut Vec<Value>) {
    match v {
        Value::Object(o) => {
            if o.get("line").is_some_and(Value::is_number)
                && o.get("character").is_some_and(Value::is_number)
            {
                positions.push(v.clone());
            }
            if o.get("start").is_some_and(Value::is_object)
                && o.get("end").is_some_and(Value::is_object)
            {
                ranges.push(v.clone());
            }
            for x in o.values() {
                positions_and_ranges(x, positions, ranges);
            }
        }
        Value::Array(a) => {
            for x in a {
                positions_and_ranges(x, positions, ranges);
            }
        }
        _ => {}
    }
}

/// Every `#L<n>` line target (document links, 1-based) anywhere inside an answer.
pub fn line_targets(v: &Value, out: &mut Vec<u64>) {
    match v {
        Value::Object(o) => {
            if let Some(t) = o.get("target").and_then(Value::as_str) {
                if let Some(n) = t.rsplit_once("#L").and_then(|(_, n)| n.parse().ok()) {
                    out.push(n);
                }
            }
            o.values().for_each(|x| line_targets(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| line_targets(x, out)),
        _ => {}
    }
}

/// Checks every position, range and line target in `answer` against `lines` (from
/// [`line_boundaries`]); returns the problems found.
pub fn answer_errors(lines: &[Vec<usize>], answer: &Value) -> Vec<String> {
    let (mut positions, mut ranges, mut targets) = (Vec::new(), Vec::new(), Vec::new());
    positions_and_ranges(answer, &mut positions, &mut ranges);
    line_targets(answer, &mut targets);
    let mut errors: Vec<String> = positions
        .iter()
        .filter_map(|p| position_error(lines, p).map(|e| format!("{p}: {e}")))
        .collect();
    errors.extend(
        ranges
            .iter()
            .filter(|r| !ordered(&r["start"], &r["end"]))
            .map(|r| format!("range ends before it starts: {r}")),
    );
    errors.extend(
        targets
            .iter()
            .filter(|&&n| n == 0 || n as usize > lines.len())
            .map(|n| format!("link to line #L{n} of {}", lines.len())),
    );
    errors
}
