//! A guard between stdio and the framework's framing.
//!
//! tower-lsp-server reads stdin through a `FramedRead`, which ends the stream for good at
//! the first undecodable message: one bad `Content-Length` or one invalid JSON body and
//! the server stops reading. So stdin is read here first, on its own thread: well-formed
//! JSON-RPC messages are passed on, re-framed, through an in-memory pipe; anything else
//! is answered (parse error or invalid request, as JSON-RPC says) and logged, and reading
//! resumes at the next `Content-Length` header.
//!
//! Neither direction ever waits on the other: stdin is read as fast as the client writes
//! (the frames queue in memory for the framework), and output goes through [`SharedStdout`]
//! to a writer thread of its own, one whole frame at a time, so that a client that writes a
//! burst before it reads (a plain blocking client) cannot stall the server: the queue grows
//! instead, and diagnostics are coalesced (see `backend.rs`) so it grows little.

use super::log::log;
use super::methods;
use serde::Deserialize;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tower_lsp_server::jsonrpc::{Request, Response};

/// Headers longer than this are garbage, not a header.
const MAX_HEADER: usize = 64 * 1024;
/// Bodies larger than this are refused (a length typo must not allocate the machine away).
const MAX_BODY: usize = 1 << 30;
const CONTENT_LENGTH: &[u8] = b"Content-Length";

/// What the writer thread is asked to do.
enum Out {
    Frame(Vec<u8>),
    /// Answer when every frame queued before this one is written.
    Flush(std::sync::mpsc::Sender<()>),
}

/// Stdout shared by the framework and the guard: whole frames, queued for a writer thread,
/// so that writing never blocks the caller however slowly the client reads.
#[derive(Clone, Debug)]
pub struct SharedStdout(std::sync::mpsc::Sender<Out>);

impl SharedStdout {
    /// Starts the writer thread on the process's stdout.
    pub fn start() -> SharedStdout {
        let (tx, rx) = std::sync::mpsc::channel::<Out>();
        std::thread::spawn(move || {
            let mut out = std::io::stdout().lock();
            let mut broken = false;
            for item in rx {
                match item {
                    Out::Frame(bytes) if !broken => {
                        if let Err(e) = out.write_all(&bytes).and_then(|()| out.flush()) {
                            log(format_args!("cannot write to stdout: {e}"));
                            broken = true;
                        }
                    }
                    Out::Frame(_) => {}
                    Out::Flush(done) => {
                        let _ = done.send(());
                    }
                }
            }
        });
        SharedStdout(tx)
    }

    /// Queues `bytes` (one whole frame, or several) to be written in order.
    pub fn write_frame(&self, bytes: &[u8]) -> std::io::Result<()> {
        self.0
            .send(Out::Frame(bytes.to_vec()))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "writer stopped"))
    }

    /// Queues one JSON-RPC message, framed. What is queued here is written before anything
    /// the framework queues afterwards: a handler's partial results, sent this way, reach
    /// the client before the answer that ends its request (the framework's own client
    /// notifications travel on a stream with no order against the answers).
    pub fn send_message(&self, message: &Value) {
        let body = message.to_string();
        let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        if let Err(e) = self.write_frame(frame.as_bytes()) {
            log(format_args!("cannot write to stdout: {e}"));
        }
    }

    /// Waits until everything queued so far is written (or the writer has stopped).
    pub fn drain(&self) {
        let (tx, rx) = std::sync::mpsc::channel();
        if self.0.send(Out::Flush(tx)).is_ok() {
            let _ = rx.recv();
        }
    }
}

impl AsyncWrite for SharedStdout {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        // The framework writes whole encoded frames; taking the whole buffer keeps them whole.
        Poll::Ready(self.write_frame(buf).map(|()| buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// Frames passed on by the guard that the framework has not read yet (one server per
/// process). Diagnostics wait while it is above zero: newer edits may be in it.
static QUEUED: AtomicUsize = AtomicUsize::new(0);

/// How many messages from the client are waiting to be handled.
pub fn queued() -> usize {
    QUEUED.load(Ordering::Acquire)
}

/// What the framework reads: the frames the guard passed on, from an unbounded queue.
#[derive(Debug)]
pub struct GuardedInput {
    rx: tokio::sync::mpsc::UnboundedReceiver<Vec<u8>>,
    current: Vec<u8>,
    at: usize,
}

impl AsyncRead for GuardedInput {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        while self.at == self.current.len() {
            match self.rx.poll_recv(cx) {
                Poll::Ready(Some(frame)) => {
                    QUEUED.fetch_sub(1, Ordering::AcqRel);
                    self.current = frame;
                    self.at = 0;
                }
                // End of stdin: end of the framework's input.
                Poll::Ready(None) => return Poll::Ready(Ok(())),
                Poll::Pending => return Poll::Pending,
            }
        }
        let n = buf.remaining().min(self.current.len() - self.at);
        let at = self.at;
        buf.put_slice(&self.current[at..at + n]);
        self.at += n;
        Poll::Ready(Ok(()))
    }
}

/// Starts reading stdin on its own thread; returns what the framework should read.
pub fn guard_stdin(out: SharedStdout) -> GuardedInput {
    let (to_server, rx) = tokio::sync::mpsc::unbounded_channel();
    std::thread::spawn(move || {
        let mut input = Input::new(std::io::stdin().lock());
        let mut initialize_seen = false;
        while let Some(frame) = input.next_frame() {
            let body = match frame {
                Ok(body) => body,
                Err(reason) => {
                    log(format_args!(
                        "unreadable message: {reason}; skipped to the next header"
                    ));
                    answer(&out, Value::Null, -32700, "Parse error");
                    continue;
                }
            };
            let value = match validate(&body) {
                Err((id, code, message)) => {
                    log(format_args!("{message}; answered with error {code}"));
                    answer(&out, id, code, &message);
                    continue;
                }
                Ok(value) => value,
            };
            let forward = note(&value, &mut initialize_seen, &out);
            drop(value);
            if !forward {
                continue;
            }
            let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
            frame.extend_from_slice(&body);
            QUEUED.fetch_add(1, Ordering::AcqRel);
            if to_server.send(frame).is_err() {
                // The framework stopped reading (after `exit`): nothing more to do.
                return;
            }
        }
        // End of stdin: dropping the sender ends the framework's input too.
    });
    GuardedInput {
        rx,
        current: Vec::new(),
        at: 0,
    }
}

/// Why a body is refused: the id to answer, the error code, the message.
type Refusal = (Value, i64, String);

/// The parsed body if the framework can decode it: a JSON-RPC request, notification or
/// response.
fn validate(body: &[u8]) -> Result<Value, Refusal> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| (Value::Null, -32700, format!("invalid JSON body: {e}")))?;
    let is_request = Request::deserialize(&value).is_ok();
    let is_response = Response::deserialize(&value).is_ok();
    if is_request || is_response {
        return Ok(value);
    }
    let id = match value.get("id") {
        Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
        _ => Value::Null,
    };
    Err((id, -32600, "not a JSON-RPC 2.0 message".to_string()))
}

/// Logs what the framework would drop without a word: notifications for methods nothing
/// routes (see [`methods`]), notifications before `initialize` and notifications whose params do not decode
/// (a malformed `didChange` ignored in silence would leave the document out of sync
/// unnoticed). Requests need no note: each of those gets an error answer, except unknown
/// `$/` requests, to which the framework sends nothing at all (LSP says -32601, and a
/// client may wait forever for the answer): those are answered here and not passed on.
/// Returns whether to pass the message on.
fn note(value: &Value, initialize_seen: &mut bool, out: &SharedStdout) -> bool {
    let Some(method) = value.get("method").and_then(Value::as_str) else {
        return true;
    };
    if method == "initialize" {
        *initialize_seen = true;
    }
    let id = value.get("id");
    let Some(kind) = methods::kind(method) else {
        if let (Some(id), true) = (id, method.starts_with("$/")) {
            log(format_args!(
                "no handler for request `{method}`: answered with error -32601"
            ));
            answer(
                out,
                id.clone(),
                -32601,
                &format!("Method not found: {method}"),
            );
            return false;
        }
        // The framework answers unknown requests with -32601 but drops unknown
        // notifications silently; either way, say so.
        log(format_args!("no handler for `{method}`: ignored"));
        return true;
    };
    if id.is_some() || method == "exit" {
        return true;
    }
    if kind == methods::Kind::Request {
        log(format_args!(
            "`{method}` is a request but came without an id: ignored"
        ));
    } else if !*initialize_seen {
        log(format_args!("`{method}` before `initialize`: ignored"));
    } else if let Some(e) = params_error(method, &value["params"]) {
        let uri = value["params"]["textDocument"]["uri"]
            .as_str()
            .unwrap_or("?");
        log(format_args!(
            "invalid params in `{method}` for {uri}: {e}; ignored"
        ));
    }
    true
}

/// Why the params of a notification the server handles do not decode, if they do not.
fn params_error(method: &str, params: &Value) -> Option<String> {
    use tower_lsp_server::ls_types as t;
    fn check<T: serde::de::DeserializeOwned>(params: &Value) -> Option<String> {
        T::deserialize(params).err().map(|e| e.to_string())
    }
    match method {
        "textDocument/didOpen" => check::<t::DidOpenTextDocumentParams>(params),
        "textDocument/didChange" => check::<t::DidChangeTextDocumentParams>(params),
        "textDocument/didSave" => check::<t::DidSaveTextDocumentParams>(params),
        "textDocument/didClose" => check::<t::DidCloseTextDocumentParams>(params),
        "$/cancelRequest" => check::<t::CancelParams>(params),
        _ => None,
    }
}

fn answer(out: &SharedStdout, id: Value, code: i64, message: &str) {
    out.send_message(
        &json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}}),
    );
}

/// A byte reader that splits `Content-Length` frames and resynchronises after garbage.
struct Input<R> {
    reader: R,
    buf: Vec<u8>,
    eof: bool,
}

impl<R: Read> Input<R> {
    fn new(reader: R) -> Self {
        Input {
            reader,
            buf: Vec::with_capacity(1 << 16),
            eof: false,
        }
    }

    /// Reads more bytes; false at the end of input.
    fn fill(&mut self) -> bool {
        if self.eof {
            return false;
        }
        let mut chunk = [0u8; 1 << 16];
        loop {
            match self.reader.read(&mut chunk) {
                Ok(0) => {
                    self.eof = true;
                    return false;
                }
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return true;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    log(format_args!("cannot read stdin: {e}"));
                    self.eof = true;
                    return false;
                }
            }
        }
    }

    /// The next frame's body, an error for a malformed frame, `None` at the end of input.
    fn next_frame(&mut self) -> Option<Result<Vec<u8>, String>> {
        let header_end = loop {
            if let Some(i) = find(&self.buf, b"\r\n\r\n") {
                break i;
            }
            if self.buf.len() > MAX_HEADER {
                self.resync(1);
                return Some(Err("header too long".into()));
            }
            if !self.fill() {
                if !self.buf.iter().all(u8::is_ascii_whitespace) {
                    log("input ended inside a message header");
                }
                return None;
            }
        };
        let length = content_length(&self.buf[..header_end]);
        let body_start = header_end + 4;
        let length = match length {
            Ok(n) if n <= MAX_BODY => n,
            // Resynchronise from just after this block's first byte, not from its end: a
            // valid header may follow garbage inside the block (`…}Content-Length: 52`,
            // left by a frame whose length was too large) and must not be lost.
            Ok(n) => {
                self.resync(1);
                return Some(Err(format!("Content-Length {n} is too large")));
            }
            Err(e) => {
                self.resync(1);
                return Some(Err(e));
            }
        };
        while self.buf.len() < body_start + length {
            if !self.fill() {
                log("input ended inside a message body");
                return None;
            }
        }
        let body = self.buf[body_start..body_start + length].to_vec();
        self.buf.drain(..body_start + length);
        Some(Ok(body))
    }

    /// Drops bytes up to the next `Content-Length` at or after `from`.
    fn resync(&mut self, from: usize) {
        let from = from.min(self.buf.len());
        match find(&self.buf[from..], CONTENT_LENGTH) {
            Some(i) => {
                self.buf.drain(..from + i);
            }
            None => {
                // Keep only a tail that may be the start of a header split across reads
                // (keeping more would glue old garbage in front of the next header).
                let tail = (1..CONTENT_LENGTH.len())
                    .rev()
                    .find(|&k| {
                        k <= self.buf.len() - from && self.buf.ends_with(&CONTENT_LENGTH[..k])
                    })
                    .unwrap_or(0);
                let drop = self.buf.len() - tail;
                self.buf.drain(..drop);
            }
        }
    }
}

/// The Content-Length of a header block (names are case-insensitive; other headers ignored).
fn content_length(header: &[u8]) -> Result<usize, String> {
    let header = std::str::from_utf8(header).map_err(|_| "header is not UTF-8".to_string())?;
    let mut length = None;
    for line in header.split("\r\n") {
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!("malformed header line {line:?}"));
        };
        if name.trim().eq_ignore_ascii_case("Content-Length") {
            let n = value
                .trim()
                .parse::<usize>()
                .map_err(|_| format!("invalid Content-Length {:?}", value.trim()))?;
            length = Some(n);
        }
    }
    length.ok_or_else(|| "no Content-Length header".to_string())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<Result<String, String>> {
        let mut i = Input::new(input);
        std::iter::from_fn(|| i.next_frame())
            .map(|f| f.map(|b| String::from_utf8(b).unwrap()))
            .collect()
    }

    #[test]
    fn splits_frames_and_resyncs_after_garbage() {
        let got = frames(
            b"Content-Length: 2\r\n\r\n{}Content-Length: banana\r\n\r\n{\"x\":1}Content-Length: 3\r\ncontent-type: x\r\n\r\n[1]",
        );
        assert_eq!(got.len(), 3);
        assert_eq!(got[0], Ok("{}".to_string()));
        assert!(got[1].is_err());
        assert_eq!(got[2], Ok("[1]".to_string()));
    }

    #[test]
    fn a_header_glued_to_garbage_is_not_lost() {
        // A length too large eats the start of the next frame; the one after it, glued to
        // the rest, survives. So do frames after a header-less body and a bad header.
        let got = frames(
            b"Content-Length: 10\r\n\r\n{}Content-Length: 7\r\n\r\n[1,2,3]Content-Length: 1\r\n\r\n1\
              {\"no\":\"header\"}Content-Length: 1\r\n\r\n2\
              Content-Type: x\r\n\r\n{}Content-Length: 1\r\n\r\n3\
              Content-Length: -5\r\n\r\n{}Content-Length: 1\r\n\r\n4",
        );
        let ok: Vec<String> = got.iter().filter_map(|f| f.clone().ok()).collect();
        assert_eq!(ok, ["{}Content-", "1", "2", "3", "4"]);
        // One refusal per piece of garbage: the eaten frame's rest, the header-less body,
        // the header without a length, the negative length.
        assert_eq!(got.iter().filter(|f| f.is_err()).count(), 4, "{got:?}");
    }

    #[test]
    fn refuses_what_the_framework_cannot_decode() {
        assert!(validate(br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#).is_ok());
        assert!(validate(br#"{"jsonrpc":"2.0","id":1,"result":null}"#).is_ok());
        assert_eq!(validate(b"{nope").unwrap_err().1, -32700);
        let (id, code, _) = validate(br#"{"id":7,"foo":1}"#).unwrap_err();
        assert_eq!((id, code), (json!(7), -32600));
        assert_eq!(validate(b"[1,2]").unwrap_err().1, -32600);
    }
}
