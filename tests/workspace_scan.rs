//! The workspace scan on temporary trees: which files it indexes (the checker's, less the
//! hidden and `.gitignore`d ones), what it reports for files it cannot index, its cap and
//! its cancel flag.

mod common;

use archive_lsp::config::Settings;
use archive_lsp::workspace::{scan, Event, Index, Options, Report, Summary};
use common::TempTree;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// What a scan told its callback.
#[derive(Default)]
struct Seen {
    indexed: Vec<(PathBuf, Summary, u64)>,
    failed: Vec<(PathBuf, String)>,
    progress: Vec<(usize, usize)>,
}

fn run(roots: &[PathBuf], options: &Options, cancel: &AtomicBool) -> (Report, Seen) {
    let mut seen = Seen::default();
    let settings = Arc::new(Settings::default());
    let report = scan(
        roots,
        options,
        |_| settings.clone(),
        cancel,
        |e| match e {
            Event::Indexed {
                path,
                summary,
                bytes,
            } => seen.indexed.push((path, summary, bytes)),
            Event::Failed { path, reason } => seen.failed.push((path, reason)),
            Event::Progress { found, done } => seen.progress.push((found, done)),
        },
    );
    (report, seen)
}

fn copy_into(tree: &TempTree, dir: &str, files: &[PathBuf]) {
    for f in files {
        let name = f.file_name().unwrap().to_str().unwrap();
        tree.file(&format!("{dir}/{name}"), std::fs::read(f).unwrap());
    }
}

/// A tree of documents (seeds, invalid fixtures, some of the corpus) and of files that are
/// not documents, under `plain/`; hidden and ignored documents beside it.
fn tree() -> TempTree {
    let t = TempTree::new("ws-scan");
    copy_into(&t, "plain/seeds", &common::seeds());
    let fixtures = common::files_in(&common::root().join("tests/fixtures/invalid"));
    copy_into(&t, "plain/invalid", &fixtures);
    if let Some(corpus) = common::corpus() {
        copy_into(&t, "plain/corpus", &corpus[..20.min(corpus.len())]);
    }
    let seed = std::fs::read_to_string(&common::seeds()[0]).unwrap();
    t.file("plain/notes.md", "# Notes\n\nTitle: not a document\n");
    t.file(
        "plain/multimarkdown.md",
        "Title: A MultiMarkdown file\n\nText.\n",
    );
    t.file("plain/started.txt", "Title: A file being started\n");
    t.file("plain/code.rs", &seed);
    t.file("plain/binary.txt", [0u8, 159, 146, 150, 255, 0, 1]);
    // Hidden and ignored: documents all, never indexed.
    t.file(".hidden/a.md", &seed);
    t.file("plain/.secret.md", &seed);
    t.file(".gitignore", "ignored/\n*.draft.md\n");
    t.file("ignored/b.md", &seed);
    t.file("plain/c.draft.md", &seed);
    t
}

/// Per file the checker's counts by severity (error, warning, information, hint), and the
/// number of files it checked.
fn checker_counts(dir: &Path) -> (BTreeMap<PathBuf, [u32; 4]>, usize) {
    let json = Value::Array(common::check_all_json(dir));
    let mut counts = BTreeMap::new();
    for d in json.as_array().unwrap() {
        let at = match d["severity"].as_str().unwrap() {
            "error" => 0,
            "warning" => 1,
            "information" => 2,
            _ => 3,
        };
        let path = PathBuf::from(d["path"].as_str().unwrap());
        counts.entry(path).or_insert([0u32; 4])[at] += 1;
    }
    let human = common::checker()
        .args(["check", "--no-cache"])
        .arg(dir)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&human.stdout).into_owned()
        + &String::from_utf8_lossy(&human.stderr);
    let checked = text
        .lines()
        .find_map(|l| {
            l.split_once(" files checked")
                .or(l.split_once(" file checked"))
        })
        .map(|(n, _)| n.trim().parse::<usize>().unwrap())
        .unwrap_or_else(|| panic!("no summary line in {text}"));
    (counts, checked)
}

#[test]
fn the_checkers_documents_less_hidden_and_ignored_ones() {
    let t = tree();
    let cancel = AtomicBool::new(false);
    let (report, seen) = run(&[t.root().to_path_buf()], &Options::default(), &cancel);
    // Nothing fails; the one non-UTF-8 fixture is indexed with its one fault, as `check`
    // counts it (below).
    assert!(seen.failed.is_empty(), "{:?}", seen.failed);
    let (_, not_utf8, _) = seen
        .indexed
        .iter()
        .find(|(p, ..)| p.ends_with("invalid-encoding.md"))
        .expect("the non-UTF-8 document is indexed");
    assert_eq!(not_utf8.counts, [1, 0, 0, 0]);
    let indexed: Vec<&Path> = seen.indexed.iter().map(|(p, ..)| p.as_path()).collect();
    let mut sorted = indexed.clone();
    sorted.sort();
    assert_eq!(indexed, sorted, "results come in path order");
    for p in &indexed {
        let rel = p.strip_prefix(t.root()).unwrap().to_str().unwrap();
        assert!(rel.starts_with("plain/") && !rel.contains("/."), "{rel}");
        assert!(
            !rel.ends_with(".draft.md") && !rel.ends_with(".rs"),
            "{rel}"
        );
    }
    let names: Vec<_> = indexed.iter().map(|p| p.file_name().unwrap()).collect();
    assert!(names.contains(&"started.txt".as_ref()));
    assert!(!names.contains(&"notes.md".as_ref()) && !names.contains(&"multimarkdown.md".as_ref()));

    // The checker over the same folder: the same files, and the same counts in each.
    let (counts, checked) = checker_counts(&t.path("plain"));
    // `check` finds the hidden and ignored files of `plain/` too; the scan does not.
    assert_eq!(
        checked,
        indexed.len() + 2,
        "the checker also reads .secret.md and c.draft.md"
    );
    for (path, summary, bytes) in &seen.indexed {
        let want = counts.get(path).copied().unwrap_or([0; 4]);
        assert_eq!(summary.counts, want, "{}", path.display());
        assert_eq!(*bytes, std::fs::metadata(path).unwrap().len());
    }
    assert!(
        seen.indexed.iter().any(|(_, s, _)| s.counts[0] > 0),
        "faults are counted"
    );

    assert_eq!(report.indexed, indexed.len());
    assert_eq!(
        (report.capped, report.cancelled, report.failed),
        (false, false, 0)
    );
    // Every candidate (.txt/.md not hidden or ignored) is done, with a progress event each.
    assert_eq!(report.done, report.found);
    assert_eq!(seen.progress.len(), report.done);
    assert_eq!(seen.progress.last().map(|p| p.1), Some(report.done));
    assert!(seen
        .progress
        .windows(2)
        .all(|w| w[1].1 == w[0].1 + 1 && w[1].0 >= w[0].0));
    assert!(seen.progress.iter().all(|(found, done)| done <= found));

    // The results fill an index.
    let mut index = Index::new(1000);
    for (p, s, b) in seen.indexed {
        index.upsert(p, s, b).unwrap();
    }
    let hits = index.symbols("Timely Summarization", 3);
    assert!(
        hits[0].path.ends_with("000_0d759123a74baf35.txt"),
        "{hits:?}"
    );
    assert_eq!(hits[0].container, "1952-08-03 p2");
}

#[test]
fn files_it_cannot_index_are_failures_with_a_reason() {
    let t = TempTree::new("ws-scan-bad");
    let seed = std::fs::read(&common::seeds()[0]).unwrap();
    t.file("ok.txt", &seed);
    let mut latin1 = seed.clone();
    latin1.extend_from_slice(b"\n\xe9t\xe9\n");
    t.file("latin1.txt", &latin1);
    let mut big = seed.clone();
    big.extend(std::iter::repeat_n(b'x', 100_000));
    t.file("big.txt", &big);
    std::os::unix::fs::symlink(t.root(), t.path("loop")).unwrap();
    let options = Options {
        max_file_bytes: 50_000,
        ..Options::default()
    };
    let (report, seen) = run(&[t.root().to_path_buf()], &options, &AtomicBool::new(false));
    let indexed: Vec<_> = seen
        .indexed
        .iter()
        .map(|(p, ..)| p.file_name().unwrap())
        .collect();
    // A document that is not UTF-8 is indexed, with its one fault and its fields read from
    // its lossy decoding (so that it is still found).
    assert_eq!(indexed, ["latin1.txt", "ok.txt"]);
    let (_, latin1_summary, _) = &seen.indexed[0];
    let (_, ok_summary, _) = &seen.indexed[1];
    assert_eq!(latin1_summary.counts, [1, 0, 0, 0]);
    assert_eq!(latin1_summary.title, ok_summary.title);
    assert_ne!(latin1_summary.content, ok_summary.content);
    let reason = |name: &str| {
        seen.failed
            .iter()
            .find(|(p, _)| p.ends_with(name))
            .map(|(_, r)| r.as_str())
            .unwrap_or_else(|| panic!("no failure for {name}: {:?}", seen.failed))
    };
    assert!(reason("big.txt").contains("larger than 50000 bytes"));
    assert!(reason("loop").contains("loop"), "{}", reason("loop"));
    assert_eq!(report.failed, seen.failed.len());
}

#[test]
fn the_cap_keeps_the_first_documents_in_path_order_and_says_so() {
    let t = tree();
    let root = [t.root().to_path_buf()];
    let cancel = AtomicBool::new(false);
    let (_, all) = run(&root, &Options::default(), &cancel);
    for threads in [1, 3] {
        let options = Options {
            cap: 5,
            threads,
            ..Options::default()
        };
        let (report, seen) = run(&root, &options, &cancel);
        assert!(report.capped);
        assert_eq!(report.indexed, 5);
        let first: Vec<_> = all.indexed[..5].iter().map(|(p, ..)| p).collect();
        let got: Vec<_> = seen.indexed.iter().map(|(p, ..)| p).collect();
        assert_eq!(got, first);
    }
    // Exactly as many documents as the cap: not capped.
    let exact = Options {
        cap: all.indexed.len(),
        ..Options::default()
    };
    assert!(!run(&root, &exact, &cancel).0.capped);
}

#[test]
fn cancel_stops_between_files() {
    let t = tree();
    let cancel = AtomicBool::new(false);
    let settings = Arc::new(Settings::default());
    let mut indexed = 0;
    let report = scan(
        &[t.root().to_path_buf()],
        &Options::default(),
        |_| settings.clone(),
        &cancel,
        |e| {
            if let Event::Indexed { .. } = e {
                indexed += 1;
                if indexed == 3 {
                    cancel.store(true, Ordering::Relaxed);
                }
            }
        },
    );
    assert!(report.cancelled);
    assert_eq!(indexed, 3);
    assert_eq!(report.indexed, 3);
    // Set before the scan: nothing at all.
    let (report, seen) = run(&[t.root().to_path_buf()], &Options::default(), &cancel);
    assert!(report.cancelled && seen.indexed.is_empty() && seen.failed.is_empty());
}

#[test]
fn roots_that_do_not_exist_or_overlap() {
    let t = tree();
    let cancel = AtomicBool::new(false);
    let (report, seen) = run(&[t.path("missing")], &Options::default(), &cancel);
    assert_eq!(report.indexed, 0);
    assert_eq!(seen.failed.len(), 1, "{:?}", seen.failed);
    assert!(seen.failed[0].0.ends_with("missing"));
    // The same root twice is walked once; no root at all is no work.
    let root = t.root().to_path_buf();
    let (once, _) = run(std::slice::from_ref(&root), &Options::default(), &cancel);
    let (twice, _) = run(&[root.clone(), root], &Options::default(), &cancel);
    assert_eq!(once, twice);
    assert_eq!(run(&[], &Options::default(), &cancel).0, Report::default());
}
