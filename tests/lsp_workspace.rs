//! The workspace index through the real binary: on `initialized` the server indexes the
//! archive documents under the workspace folders in the background, with `$/progress`
//! begun, reported and ended; `workspace/symbol` finds articles by title (fuzzy), date,
//! month, page and column; `archive-lsp.showIndexStatus` counts what the checker counts;
//! folders come and go; a cap is told once.

mod common;

use common::{file_uri, root, Server, TempTree};
use serde_json::{json, Value};
use std::fs;
use std::path::Path;

/// A workspace of copies: the seeds, the corpus when present, a hidden folder and a
/// `.gitignore`d one (both holding a document the index must skip), and a Markdown file
/// that is no archive document.
fn workspace(t: &TempTree) -> usize {
    let mut n = 0;
    let mut copy = |from: &Path, to: &str| {
        for entry in fs::read_dir(from).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                let name = path.file_name().unwrap().to_str().unwrap();
                t.file(&format!("{to}/{name}"), fs::read(&path).unwrap());
                n += 1;
            }
        }
    };
    copy(&root().join("seeds"), "rmrb/seeds");
    if let Some(corpus) = common::corpus_dir() {
        copy(&corpus, "rmrb/corpus");
    }
    let seed = fs::read(root().join("seeds/1952-10-28_华北棉花丰收.md")).unwrap();
    t.file(".hidden/a.md", &seed);
    t.file("skipped/a.md", &seed);
    t.file(".gitignore", "skipped/\n");
    t.file("rmrb/notes.md", "# notes\n\nnot an article\n");
    n
}

fn start(t: &TempTree, capabilities: Value, options: Value) -> Server {
    let mut s = Server::start();
    s.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": null,
            "workspaceFolders": [{"uri": file_uri(t.root()), "name": "archive"}],
            "capabilities": capabilities,
            "initializationOptions": options,
        }),
    );
    s.notify("initialized", json!({}));
    s
}

/// Answers the progress token's creation, then collects begin … end.
fn progress_of_one_scan(s: &mut Server) -> Vec<Value> {
    let create = s.wait_server_request("window/workDoneProgress/create");
    let token = create["params"]["token"].clone();
    s.reply(&create, Value::Null);
    let mut values = Vec::new();
    loop {
        let p = s.wait_notification("$/progress")["params"].clone();
        assert_eq!(p["token"], token, "{p}");
        let kind = p["value"]["kind"].as_str().unwrap().to_owned();
        values.push(p["value"].clone());
        if kind == "end" {
            return values;
        }
    }
}

fn status(s: &mut Server) -> Value {
    s.request(
        "workspace/executeCommand",
        json!({"command": "archive-lsp.showIndexStatus", "arguments": []}),
    )
}

fn symbols(s: &mut Server, query: &str) -> Vec<Value> {
    s.request("workspace/symbol", json!({"query": query}))
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn the_folder_is_indexed_with_progress_and_found_by_every_key() {
    let t = TempTree::new("ws-index");
    let documents = workspace(&t);
    let mut s = start(&t, json!({"window": {"workDoneProgress": true}}), json!({}));
    let progress = progress_of_one_scan(&mut s);
    assert_eq!(progress[0]["kind"], "begin", "{progress:?}");
    assert_eq!(progress[0]["title"], "Indexing archive");
    for p in &progress[1..progress.len() - 1] {
        assert_eq!(p["kind"], "report", "{progress:?}");
        let m = p["message"].as_str().unwrap();
        assert!(m.ends_with(" files") && m.contains(" / "), "{m}");
    }
    let end = progress.last().unwrap();
    assert_eq!(end["message"], format!("{documents} files"), "{progress:?}");

    // The counts are the checker's over the same files.
    let st = status(&mut s);
    assert_eq!(st["files"], documents, "{st}");
    assert_eq!(st["indexing"], false);
    let all = common::check_all_json(&t.path("rmrb"));
    for (key, severity) in [
        ("errors", "error"),
        ("warnings", "warning"),
        ("hints", "hint"),
    ] {
        let n = all.iter().filter(|d| d["severity"] == severity).count();
        assert_eq!(st[key], n, "{key}: {st}");
    }

    // By English title, with a typo; by Chinese title; by date, month, page, column.
    let seed = t.path("rmrb/seeds/1952-10-28_华北棉花丰收.md");
    let uri = file_uri(&seed);
    let first = |hits: &[Value]| hits.first().cloned().unwrap_or(Value::Null);
    let hit = first(&symbols(&mut s, "Bumper Coton Harvest North China"));
    assert_eq!(hit["location"]["uri"], uri, "{hit}");
    assert_eq!(hit["name"], "Bumper Cotton Harvest in North China");
    assert_eq!(hit["location"]["range"]["start"]["line"], 0);
    assert_eq!(hit["containerName"], "1952-10-28 p2");
    assert_eq!(hit["kind"], 1, "a file");
    assert_eq!(first(&symbols(&mut s, "华北棉花"))["location"]["uri"], uri);
    let on_the_day = symbols(&mut s, "1952-10-28");
    assert!(on_the_day.iter().any(|h| h["location"]["uri"] == uri));
    assert!(on_the_day.iter().all(|h| h["containerName"]
        .as_str()
        .unwrap()
        .starts_with("1952-10-28")));
    let month = symbols(&mut s, "1952-10");
    assert!(month.len() >= on_the_day.len());
    let page = symbols(&mut s, "1952-10-28 p2");
    assert!(page.iter().any(|h| h["location"]["uri"] == uri));
    assert!(symbols(&mut s, "1952-10-28 p9").is_empty());
    // Nothing from the hidden or ignored folders, nor the notes.
    let all_hits = symbols(&mut s, "");
    assert!(!all_hits.is_empty());
    for h in symbols(&mut s, "Bumper Cotton Harvest") {
        let u = h["location"]["uri"].as_str().unwrap().to_owned();
        assert!(!u.contains("/.hidden/") && !u.contains("/skipped/"), "{u}");
    }
    s.shutdown();
}

#[test]
fn folders_come_and_go_and_a_cap_is_told_once() {
    let t = TempTree::new("ws-folders");
    let documents = workspace(&t);
    // No progress support: nothing is created; the index fills all the same.
    let mut s = start(&t, json!({}), json!({"workspace": {"maxFiles": 5}}));
    let warning = s.wait_notification("window/showMessage");
    let text = warning["params"]["message"].as_str().unwrap().to_owned();
    assert!(text.contains("maxFiles") && text.contains('5'), "{text}");
    let st = status(&mut s);
    assert_eq!(
        (st["files"].clone(), st["capped"].clone()),
        (json!(5), json!(true))
    );
    assert!(documents > 5);
    assert!(!s
        .pending
        .iter()
        .any(|m| m["method"] == "window/workDoneProgress/create"));

    s.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [], "removed": [{"uri": file_uri(t.root()), "name": "archive"}]}}),
    );
    assert_eq!(status(&mut s)["files"], 0);
    assert!(symbols(&mut s, "Bumper").is_empty());

    // Another folder: indexed in the background (its status says when it is done).
    let other = TempTree::new("ws-other");
    let seed = fs::read(root().join("seeds/1952-10-28_华北棉花丰收.md")).unwrap();
    other.file("a/x.md", &seed);
    s.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [{"uri": file_uri(other.root()), "name": "other"}], "removed": []}}),
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let st = status(&mut s);
        if st["files"] == 1 && st["indexing"] == false {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{st}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let hits = symbols(&mut s, "Bumper");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["location"]["uri"], file_uri(&other.path("a/x.md")));
    // The cap was said once, not again.
    s.barrier();
    assert!(!s
        .pending
        .iter()
        .any(|m| m["method"] == "window/showMessage"));
    let unknown = s.request_raw(
        "workspace/executeCommand",
        json!({"command": "archive-lsp.nothing", "arguments": []}),
    );
    assert!(unknown["error"]["message"]
        .as_str()
        .unwrap()
        .contains("archive-lsp.showIndexStatus"));
    s.shutdown();
}

/// Asks `ask` until it says yes (20 s at most).
fn eventually(s: &mut Server, what: &str, mut ask: impl FnMut(&mut Server) -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !ask(s) {
        assert!(std::time::Instant::now() < deadline, "never: {what}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn found(s: &mut Server, query: &str, uri: &str) -> bool {
    symbols(s, query)
        .iter()
        .any(|h| h["location"]["uri"] == uri && h["name"] == query)
}

fn indexed(s: &mut Server) -> bool {
    let st = status(s);
    st["indexing"] == false && st["files"].as_u64().unwrap_or(0) > 0
}

fn retitled(title: &str) -> String {
    fs::read_to_string(root().join("seeds/1952-10-28_华北棉花丰收.md"))
        .unwrap()
        .replacen(
            "Title: Bumper Cotton Harvest in North China",
            &format!("Title: {title}"),
            1,
        )
}

#[test]
fn the_index_follows_the_disk_and_open_documents_win() {
    let t = TempTree::new("ws-fresh");
    workspace(&t);
    let caps = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let mut s = start(&t, caps, json!({}));
    let registration = s.wait_server_request("client/registerCapability");
    let watchers =
        registration["params"]["registrations"][0]["registerOptions"]["watchers"].clone();
    for glob in ["**/*.md", "**/*.txt", "**/archive-lsp.toml"] {
        assert!(
            watchers
                .as_array()
                .unwrap()
                .iter()
                .any(|w| w["globPattern"] == glob),
            "{watchers}"
        );
    }
    s.reply(&registration, Value::Null);
    eventually(&mut s, "indexed", indexed);

    let changed = |s: &mut Server, path: &Path, kind: u32| {
        s.notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": file_uri(path), "type": kind}]}),
        );
    };
    // Created, changed, deleted on disk.
    let new = t.file("rmrb/new/x.md", retitled("Zebra Crossing Opened"));
    let new_uri = file_uri(&new);
    changed(&mut s, &new, 1);
    eventually(&mut s, "a created file", |s| {
        found(s, "Zebra Crossing Opened", &new_uri)
    });
    fs::write(&new, retitled("Yak Festival Held")).unwrap();
    changed(&mut s, &new, 2);
    eventually(&mut s, "a changed file", |s| {
        found(s, "Yak Festival Held", &new_uri)
    });
    assert!(!found(&mut s, "Zebra Crossing Opened", &new_uri));
    fs::remove_file(&new).unwrap();
    changed(&mut s, &new, 3);
    eventually(&mut s, "a deleted file", |s| {
        !found(s, "Yak Festival Held", &new_uri)
    });

    // A file too large to index (over 64 MiB) is left out, unread.
    let mut huge = retitled("Huge File Left Out");
    huge.push_str(&format!("\n    {}\n", "x".repeat(65 << 20)));
    let big = t.file("rmrb/new/huge.md", &huge);
    drop(huge);
    let marker = t.file("rmrb/new/after.md", retitled("Indexed After The Huge One"));
    let marker_uri = file_uri(&marker);
    // One notification: its changes are read in order, the huge file first.
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&big), "type": 1}, {"uri": marker_uri, "type": 1}]}),
    );
    eventually(&mut s, "the file after the huge one", |s| {
        found(s, "Indexed After The Huge One", &marker_uri)
    });
    assert!(!found(&mut s, "Huge File Left Out", &file_uri(&big)));
    fs::remove_file(&big).unwrap();

    // An open document's unsaved text wins over the disk until it is closed.
    let seed = t.path("rmrb/seeds/1952-10-28_华北棉花丰收.md");
    let uri = file_uri(&seed);
    s.open(&uri, &retitled("Unsaved Title Kept"));
    eventually(&mut s, "the open text", |s| {
        found(s, "Unsaved Title Kept", &uri)
    });
    changed(&mut s, &seed, 2);
    s.barrier();
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(
        found(&mut s, "Unsaved Title Kept", &uri),
        "the disk does not win"
    );
    s.close(&uri);
    eventually(&mut s, "the disk's text after closing", |s| {
        found(s, "Bumper Cotton Harvest in North China", &uri)
    });
    s.shutdown();
}

#[test]
fn without_a_watcher_a_save_walks_the_folder_again() {
    let t = TempTree::new("ws-save");
    workspace(&t);
    let mut s = start(&t, json!({}), json!({}));
    eventually(&mut s, "indexed", indexed);
    let new = t.file("rmrb/new/x.md", retitled("Zebra Crossing Opened"));
    let new_uri = file_uri(&new);
    let seed = t.path("rmrb/seeds/1952-10-28_华北棉花丰收.md");
    let uri = file_uri(&seed);
    s.open(&uri, &fs::read_to_string(&seed).unwrap());
    s.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    eventually(&mut s, "a file created before the save", |s| {
        found(s, "Zebra Crossing Opened", &new_uri)
    });
    fs::remove_file(&new).unwrap();
    s.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    eventually(&mut s, "a file deleted before the save", |s| {
        !found(s, "Zebra Crossing Opened", &new_uri) && indexed(s)
    });
    assert!(found(&mut s, "Bumper Cotton Harvest in North China", &uri));
    s.shutdown();
}

#[test]
fn references_on_a_date_or_page_list_that_issue_of_the_paper() {
    let t = TempTree::new("ws-references");
    workspace(&t);
    // Another article of the same day, on page 3.
    let other = retitled("Another Article Of The Day")
        .replacen("Page: 2", "Page: 3", 1)
        .replacen("第2版", "第3版", 1);
    let other_uri = file_uri(&t.file("rmrb/other/y.md", &other));
    let mut s = start(&t, json!({}), json!({}));
    eventually(&mut s, "indexed", indexed);
    let seed = t.path("rmrb/seeds/1952-10-28_华北棉花丰收.md");
    let uri = file_uri(&seed);
    let text = fs::read_to_string(&seed).unwrap();
    s.open(&uri, &text);
    let references = |s: &mut Server, prefix: &str| {
        let line = text.lines().position(|l| l.starts_with(prefix)).unwrap();
        let r = s.request(
            "textDocument/references",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": 2},
                   "context": {"includeDeclaration": true}}),
        );
        let mut got: Vec<(String, u64)> = r
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|l| {
                        let uri = l["uri"].as_str().unwrap().to_owned();
                        (uri, l["range"]["start"]["line"].as_u64().unwrap())
                    })
                    .collect()
            })
            .unwrap_or_default();
        got.sort();
        got
    };
    let mut day = vec![(uri.clone(), 0), (other_uri.clone(), 0)];
    day.sort();
    assert_eq!(references(&mut s, "Date:"), day);
    assert_eq!(
        references(&mut s, "1952-10-28"),
        day,
        "the original's date line"
    );
    assert_eq!(references(&mut s, "Page:"), vec![(uri.clone(), 0)]);
    assert_eq!(references(&mut s, "第2版"), vec![(uri.clone(), 0)]);
    assert!(references(&mut s, "Title:").is_empty());
    s.shutdown();
}

/// A workspace of 50,000 small generated articles (each seed with its title, date and
/// page varied), indexed by the release server: time, memory and bytes on disk reported.
/// Minutes in all: run with `ARCHIVE_LSP_LARGE_WORKSPACE=1` (and `--nocapture` to see the
/// figures).
#[test]
fn a_large_workspace_is_indexed_within_bounded_memory() {
    let files: usize = match std::env::var("ARCHIVE_LSP_LARGE_WORKSPACE") {
        Ok(v) if v != "0" => v.parse().ok().filter(|n| *n > 1).unwrap_or(50_000),
        _ => {
            eprintln!("skipped: set ARCHIVE_LSP_LARGE_WORKSPACE=1 to index 50,000 files");
            return;
        }
    };
    let t = TempTree::new("ws-large");
    // Real articles (the corpus, else the seeds), each copy with its own title.
    let sources = common::corpus().unwrap_or_else(common::seeds);
    let seeds: Vec<String> = sources
        .iter()
        .filter_map(|p| fs::read_to_string(p).ok())
        .filter(|t| t.starts_with("Title: "))
        .collect();
    let mut on_disk = 0u64;
    for i in 0..files {
        let seed = &seeds[i % seeds.len()];
        let text = seed.replacen("Title: ", &format!("Title: Article {i} "), 1);
        on_disk += text.len() as u64;
        t.file(&format!("rmrb/{:04}/{i:06}.md", i / 1000), text);
    }
    // The memory of a server with nothing to index, as the baseline.
    let mut idle = Server::start_release();
    idle.initialize(json!({}));
    status(&mut idle);
    let before = idle.rss_kib();
    idle.shutdown();
    let mut s = Server::start_release();
    let started = std::time::Instant::now();
    s.request(
        "initialize",
        json!({"processId": null, "capabilities": {},
               "workspaceFolders": [{"uri": file_uri(t.root()), "name": "large"}]}),
    );
    s.notify("initialized", json!({}));
    let deadline = started + std::time::Duration::from_secs(900);
    let st = loop {
        let st = status(&mut s);
        if st["indexing"] == false && st["files"].as_u64().unwrap_or(0) > 0 {
            break st;
        }
        assert!(std::time::Instant::now() < deadline, "{st}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let took = started.elapsed();
    let after = s.rss_kib();
    assert_eq!(st["files"], files, "{st}");
    let t0 = std::time::Instant::now();
    let hits = symbols(&mut s, &format!("Article {} ", files / 2));
    let query = t0.elapsed();
    assert!(!hits.is_empty());
    let per_file = (after.saturating_sub(before) * 1024) as f64 / files as f64;
    eprintln!(
        "large workspace: {files} files ({:.1} MB on disk) indexed in {:.1} s; resident memory {before} KiB idle, {after} KiB indexed, {per_file:.0} bytes a file (the files average {} bytes); a symbol query {:.1} ms; peak {} KiB",
        on_disk as f64 / 1e6,
        took.as_secs_f64(),
        on_disk / files as u64,
        query.as_secs_f64() * 1e3,
        s.peak_rss_kib()
    );
    assert!(
        per_file < (on_disk / files as u64) as f64 / 2.0,
        "memory per file must stay far below the file's size"
    );

    // "The diagnostics when asked": a workspace pull has the faulty files checked and their
    // diagnostics kept; what that adds, per faulty file and per diagnostic.
    let t0 = std::time::Instant::now();
    pull_workspace(&mut s, &[]);
    while status(&mut s)["checkingDiagnostics"] == true {
        assert!(
            t0.elapsed() < std::time::Duration::from_secs(900),
            "never checked"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let checked_in = t0.elapsed();
    // Measured before the pull that sends them all: what is kept, not the answer's buffers.
    let with_diagnostics = s.rss_kib();
    let items = pull_workspace(&mut s, &[]);
    let counts: Vec<usize> = items
        .iter()
        .filter_map(|i| i["items"].as_array().map(Vec::len))
        .filter(|n| *n > 0)
        .collect();
    let kept: usize = counts.iter().sum();
    drop(items);
    let added = with_diagnostics.saturating_sub(after) * 1024;
    eprintln!(
        "workspace diagnostics: {} faulty files ({kept} diagnostics) checked in {:.1} s; resident memory {with_diagnostics} KiB, {:.0} bytes more a faulty file, {:.0} a diagnostic; {} KiB after sending them all",
        counts.len(),
        checked_in.as_secs_f64(),
        added as f64 / counts.len().max(1) as f64,
        added as f64 / kept.max(1) as f64,
        s.rss_kib(),
    );
    assert!(!counts.is_empty(), "the corpus copies have findings");
    s.shutdown();
}

/// `workspace/diagnostic` with the client's result ids so far; the report's items by URI.
fn pull_workspace(s: &mut Server, previous: &[(String, String)]) -> Vec<Value> {
    let ids: Vec<Value> = previous
        .iter()
        .map(|(uri, id)| json!({"uri": uri, "value": id}))
        .collect();
    let r = s.request(
        "workspace/diagnostic",
        json!({"identifier": "archive-lsp", "previousResultIds": ids}),
    );
    r["items"].as_array().unwrap().clone()
}

fn item<'a>(items: &'a [Value], uri: &str) -> Option<&'a Value> {
    items.iter().find(|i| i["uri"] == uri)
}

#[test]
fn workspace_diagnostics_come_from_the_index_with_result_ids() {
    let t = TempTree::new("ws-pull");
    workspace(&t);
    let fixture =
        fs::read_to_string(root().join("tests/fixtures/invalid/date-mismatch.md")).unwrap();
    let faulty = t.file("rmrb/faulty/date.md", &fixture);
    let faulty_uri = file_uri(&faulty);
    // Enough files for several partial results.
    let seed = fs::read(root().join("seeds/1952-10-28_华北棉花丰收.md")).unwrap();
    for i in 0..400 {
        t.file(&format!("rmrb/copies/{i:03}.md"), &seed);
    }
    // A document that is not UTF-8: `invalid-encoding` at its first bad byte, as `check`
    // says, though no editor can open it as it is.
    let mut latin1 = seed.clone();
    latin1.extend_from_slice(b"\n\xe9t\xe9\n");
    let latin1_uri = file_uri(&t.file("rmrb/faulty/latin1.md", &latin1));
    let bad_line = latin1[..seed.len()].iter().filter(|b| **b == b'\n').count() + 1;
    let caps = json!({
        "general": {"positionEncodings": ["utf-16"]},
        "textDocument": {"diagnostic": {}},
        "workspace": {"diagnostics": {"refreshSupport": true},
                      "didChangeWatchedFiles": {"dynamicRegistration": true}}
    });
    let mut s = start(&t, caps, json!({}));
    let registration = s.wait_server_request("client/registerCapability");
    s.reply(&registration, Value::Null);
    eventually(&mut s, "indexed", indexed);

    // The first answer comes at once: clean files in full (no diagnostics), faulty ones
    // once they are checked in the background, for a later pull.
    let mut items = pull_workspace(&mut s, &[]);
    let clean = file_uri(&t.path("rmrb/seeds/1952-10-28_华北棉花丰收.md"));
    assert_eq!(item(&items, &clean).unwrap()["items"], json!([]));
    eventually(&mut s, "the faulty file's diagnostics", |s| {
        items = pull_workspace(s, &[]);
        item(&items, &faulty_uri).is_some()
    });
    let report = item(&items, &faulty_uri).unwrap().clone();
    assert_eq!(report["kind"], "full");
    eventually(&mut s, "the non-UTF-8 file's diagnostics", |s| {
        items = pull_workspace(s, &[]);
        item(&items, &latin1_uri).is_some()
    });
    let encoding = item(&items, &latin1_uri).unwrap()["items"].clone();
    assert_eq!(encoding.as_array().unwrap().len(), 1, "{encoding}");
    assert_eq!(encoding[0]["code"], "invalid-encoding");
    assert_eq!(
        encoding[0]["range"]["start"],
        json!({"line": bad_line, "character": 0})
    );
    // The status says when that background check is over.
    eventually(&mut s, "the check for workspace diagnostics ended", |s| {
        status(s)["checkingDiagnostics"] == false
    });
    assert_eq!(
        common::comparable(report["items"].as_array().unwrap()),
        common::expected_diagnostics(&fixture, "utf-16")
    );

    // With a partial result token: the reports as partial results, all of them before the
    // answer (a client drops those that come after), a few hundred files each; the answer
    // empty; together the same reports as without the token.
    let uris = |items: &[Value]| {
        let mut u: Vec<String> = items
            .iter()
            .map(|i| format!("{} {}", i["uri"], i["kind"]))
            .collect();
        u.sort();
        u
    };
    let whole = pull_workspace(&mut s, &[]);
    assert!(whole.len() > 400, "{}", whole.len());
    // Several times: the order of the answer against its partial results is a race for a
    // server that gets it wrong.
    for n in 0..8 {
        let token = format!("partial-{n}");
        let is_partial = |m: &Value| m["method"] == "$/progress" && m["params"]["token"] == token;
        s.barrier();
        s.pending.retain(|m| m["method"] != "$/progress");
        let answer = s.request(
            "workspace/diagnostic",
            json!({"identifier": "archive-lsp", "previousResultIds": [], "partialResultToken": token}),
        );
        assert_eq!(answer["items"], json!([]), "{answer}");
        let (partials, rest): (Vec<Value>, Vec<Value>) = s.pending.drain(..).partition(is_partial);
        s.pending.extend(rest);
        assert!(partials.len() >= 3, "{} partial results", partials.len());
        let mut streamed = Vec::new();
        for p in &partials {
            let chunk = p["params"]["value"]["items"].as_array().unwrap();
            assert!(!chunk.is_empty() && chunk.len() <= 200, "{}", chunk.len());
            streamed.extend(chunk.iter().cloned());
        }
        assert_eq!(uris(&streamed), uris(&whole), "pull {n}");
        s.barrier();
        assert!(
            !s.pending.iter().any(is_partial),
            "pull {n}: a partial result after the answer"
        );
    }

    // With every result id: all unchanged.
    let ids: Vec<(String, String)> = items
        .iter()
        .filter_map(|i| {
            Some((
                i["uri"].as_str()?.to_owned(),
                i["resultId"].as_str()?.to_owned(),
            ))
        })
        .collect();
    let again = pull_workspace(&mut s, &ids);
    assert!(!again.is_empty());
    assert!(again.iter().all(|i| i["kind"] == "unchanged"), "{again:?}");

    // Fixed on disk: a new report for that file only.
    let fixed = fixture.replacen("Date: 1954-03-13", "Date: 1954-03-12", 1);
    fs::write(&faulty, &fixed).unwrap();
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": faulty_uri, "type": 2}]}),
    );
    eventually(&mut s, "the fixed file's new report", |s| {
        let items = pull_workspace(s, &ids);
        item(&items, &faulty_uri).is_some_and(|i| i["kind"] == "full")
            && items
                .iter()
                .filter(|i| i["uri"] != faulty_uri)
                .all(|i| i["kind"] == "unchanged")
    });
    let items = pull_workspace(&mut s, &ids);
    let report = item(&items, &faulty_uri).unwrap();
    assert_eq!(
        common::comparable(report["items"].as_array().unwrap()),
        common::expected_diagnostics(&fixed, "utf-16")
    );

    // Deleted: an empty report for it. Open: left to the document's own pull.
    fs::remove_file(&faulty).unwrap();
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": faulty_uri, "type": 3}]}),
    );
    eventually(&mut s, "the deleted file emptied", |s| {
        let items = pull_workspace(s, &ids);
        item(&items, &faulty_uri).is_some_and(|i| i["items"] == json!([]) && i["kind"] == "full")
    });
    s.open(
        &clean,
        &fs::read_to_string(t.path("rmrb/seeds/1952-10-28_华北棉花丰收.md")).unwrap(),
    );
    eventually(&mut s, "the open file left out", |s| {
        item(&pull_workspace(s, &[]), &clean).is_none()
    });
    assert!(
        status(&mut s)["workspaceDiagnosticRequests"]
            .as_u64()
            .unwrap()
            >= 5
    );
    s.shutdown();
}
