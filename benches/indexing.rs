//! Requests on an open document while the server indexes a large workspace, against the
//! same requests with nothing indexing, in one run: `cargo bench --bench indexing`.
//!
//! Generates the scale benchmark's archive-shaped corpus (`SCALE_FILES`, default 20,000
//! files, in `target/scale-corpus-N`, kept and reused), starts the release server with that
//! folder as its workspace, opens the sample and times hover round trips until the index
//! reports that its scan ended, and then while it checks the faulty files for a first
//! `workspace/diagnostic` pull; then the same hovers on a server with no workspace folder.
//! Prints the medians (and 90th percentiles) and their ratios.

#[path = "support/corpus.rs"]
mod corpus;
#[path = "support/lsp.rs"]
mod lsp;

use lsp::Server;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SAMPLE: &str = include_str!("../seeds/000_0d759123a74baf35.txt");

fn main() {
    let files: usize = std::env::var("SCALE_FILES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir: PathBuf = root.join(format!("target/scale-corpus-{files}"));
    let (count, bytes) = corpus::generate(root, &dir, files);
    println!(
        "workspace: {count} files, {:.1} MB in {}",
        bytes as f64 / 1e6,
        dir.display()
    );

    let uri = "file:///bench/sample.md";
    let hover = json!({"textDocument": {"uri": uri}, "position": {"line": 26, "character": 6}});
    let status = json!({"command": "archive-lsp.showIndexStatus", "arguments": []});

    // While indexing: hovers until the scan has ended (its status polled every 20 hovers).
    let mut s = Server::start();
    let folder = format!("file://{}", dir.display());
    s.request(
        "initialize",
        json!({"capabilities": {}, "workspaceFolders": [{"uri": folder, "name": "bench"}]}),
    );
    s.notify("initialized", json!({}));
    s.open(uri, SAMPLE);
    let started = Instant::now();
    let mut during = Vec::new();
    let indexed = loop {
        for _ in 0..20 {
            let t = Instant::now();
            s.request("textDocument/hover", hover.clone());
            during.push(t.elapsed());
        }
        let st = &s.request("workspace/executeCommand", status.clone())["result"];
        if st["indexing"] == false && st["files"].as_u64().unwrap_or(0) > 0 {
            break st.clone();
        }
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "indexing never ended"
        );
    };
    let indexing_took = started.elapsed();

    // While the faulty files are checked for a first workspace pull: hovers until the
    // status says the check has ended.
    s.request(
        "workspace/diagnostic",
        json!({"identifier": "archive-lsp", "previousResultIds": []}),
    );
    let started = Instant::now();
    let mut checking = Vec::new();
    loop {
        let st = &s.request("workspace/executeCommand", status.clone())["result"];
        if st["checkingDiagnostics"] != true {
            break;
        }
        for _ in 0..20 {
            let t = Instant::now();
            s.request("textDocument/hover", hover.clone());
            checking.push(t.elapsed());
        }
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "checking never ended"
        );
    }
    let checking_took = started.elapsed();
    stop(s);

    // Idle: the same number of hovers on a server with nothing to index.
    let mut s = Server::start();
    s.request("initialize", json!({"capabilities": {}}));
    s.notify("initialized", json!({}));
    s.open(uri, SAMPLE);
    let idle: Vec<Duration> = (0..during.len().max(checking.len()))
        .map(|_| {
            let t = Instant::now();
            s.request("textDocument/hover", hover.clone());
            t.elapsed()
        })
        .collect();
    stop(s);

    println!(
        "indexed {} files in {:.2} s (about, as polled); {} hovers each way",
        indexed["files"],
        indexing_took.as_secs_f64(),
        during.len()
    );
    println!(
        "checked the faulty files for workspace diagnostics in {:.2} s (about, as polled); {} hovers",
        checking_took.as_secs_f64(),
        checking.len()
    );
    let (i50, i90) = percentiles(idle);
    println!("hover round trip          median      p90   ratio to idle");
    println!(
        "  idle                {:>9.1} µs {:>8.1} µs",
        us(i50),
        us(i90)
    );
    for (what, times) in [("during indexing", during), ("during checking", checking)] {
        if times.is_empty() {
            println!("  {what:<19} (no hover: it ended at once)");
            continue;
        }
        let (d50, d90) = percentiles(times);
        println!(
            "  {what:<19} {:>9.1} µs {:>8.1} µs   {:.2}x / {:.2}x",
            us(d50),
            us(d90),
            d50.as_secs_f64() / i50.as_secs_f64(),
            d90.as_secs_f64() / i90.as_secs_f64()
        );
    }
}

fn stop(mut s: Server) {
    s.request("shutdown", Value::Null);
    s.notify("exit", Value::Null);
    let _ = s.child.wait();
}

fn percentiles(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    (times[times.len() / 2], times[times.len() * 9 / 10])
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}
