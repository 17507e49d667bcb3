//! Writing on disk through the real binary, on copies in temporary folders.
//!
//! `fmt`: every seed, fixture and corpus file keeps its words, loses its layout
//! diagnostics and gains no other; `--check` and `--diff` write nothing; read-only files
//! and folders are refused; a run killed at any moment leaves every file wholly old or
//! wholly new. `check --fix`: the report is `check`'s on the fixed files, seeds are
//! untouched, `--diff` writes nothing and its diff is what `--fix` writes.

mod common;

use common::layout::{words, LAYOUT_CODES};
use common::{corpus, root, seeds, TempTree};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const SAMPLE: &str = include_str!("../seeds/000_0d759123a74baf35.txt");

/// Copies the files of `from` (not recursively) into `to`, writable (the shared corpus
/// has no write bits).
fn copy_files(files: &[PathBuf], to: &Path) {
    fs::create_dir_all(to).unwrap();
    for f in files {
        let dest = to.join(f.file_name().unwrap());
        fs::copy(f, &dest).unwrap();
        fs::set_permissions(&dest, fs::Permissions::from_mode(0o644)).unwrap();
    }
}

fn files_of(dir: &Path) -> Vec<PathBuf> {
    common::files_in(dir)
}

fn run(cwd: &Path, args: &[&str]) -> Output {
    common::checker()
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .output()
        .expect("archive-lsp runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file under `dir` (relative path → bytes).
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// Every diagnostic `check` finds under `dir` (at any severity): path → (code, message).
fn diagnostics(dir: &Path) -> BTreeMap<String, Vec<(String, String)>> {
    let o = run(
        dir,
        &[
            "check",
            "--format",
            "json",
            "--min-severity",
            "hint",
            "--no-config",
            "--exit-zero",
            ".",
        ],
    );
    let all: Vec<Value> = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("check's JSON: {e}\n{}", stderr(&o)));
    let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for d in all {
        let path = d["path"]
            .as_str()
            .unwrap()
            .trim_start_matches("./")
            .to_owned();
        out.entry(path).or_default().push((
            d["code"].as_str().unwrap().to_owned(),
            d["message"].as_str().unwrap().to_owned(),
        ));
    }
    out
}

/// `check --fix` over the current folder, every severity shown.
const FIX_ALL: &[&str] = &[
    "check",
    "--fix",
    "--no-config",
    "--min-severity",
    "hint",
    ".",
];

/// Asserts that a `--check` or `--diff` run found nothing to change.
fn nothing_to_do(o: &Output) {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    assert!(
        o.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

/// The files of `before` (relative path → bytes) with a unified `diff` (of paths relative
/// to the folder) applied, in a folder of their own.
fn patched(before: &BTreeMap<String, Vec<u8>>, diff: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let copy_tree = TempTree::new(&format!("patched-{}", before.len()));
    let copy = copy_tree.root().to_path_buf();
    for (name, bytes) in before {
        let p = copy.join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
    }
    let diff_file = copy.with_extension("diff");
    fs::write(&diff_file, diff).unwrap();
    // `git apply` (outside any repository it works as `patch` does; git is there wherever
    // the project was cloned).
    let status = Command::new("git")
        .args(["apply", "-p0", "--whitespace=nowarn"])
        .arg(&diff_file)
        .current_dir(&copy)
        .status()
        .expect("git runs");
    assert!(status.success(), "git apply takes the diff");
    let out = snapshot(&copy);
    fs::remove_file(diff_file).unwrap();
    out
}

/// A messy variant of the sample: a blank line in the header, fields out of order, tabs
/// and no indentation, trailing blanks, one blank line before the separator, none after
/// the marker, no final line break.
fn messy() -> String {
    SAMPLE
        .replacen(
            "Author:\nDate: 1952-08-03\n",
            "Date: 1952-08-03\n\nAuthor: \n",
            1,
        )
        .replacen("    Since", "\tSince", 1)
        .replacen("    In order", "In order", 1)
        .replacen("Commentary\n", "Commentary  \n", 1)
        .replacen("\n\n\n\n<hr /> ", "\n\n<hr />", 1)
        .replacen("Original: \n\n\n", "Original:\n", 1)
        .trim_end()
        .to_owned()
}

#[test]
fn formatting_every_seed_fixture_and_corpus_file_keeps_every_word() {
    let dir_tree = TempTree::new("all");
    let dir = dir_tree.root().to_path_buf();
    copy_files(&seeds(), &dir.join("seeds"));
    copy_files(
        &files_of(&root().join("tests/fixtures/valid")),
        &dir.join("fixtures/valid"),
    );
    copy_files(
        &files_of(&root().join("tests/fixtures/invalid")),
        &dir.join("fixtures/invalid"),
    );
    let corpus = corpus();
    if let Some(files) = &corpus {
        copy_files(files, &dir.join("corpus"));
        // The same files with CRLF line breaks and a BOM: both must stay.
        let crlf = dir.join("crlf");
        fs::create_dir_all(&crlf).unwrap();
        for f in files.iter().step_by(3) {
            let text = fs::read_to_string(f).unwrap();
            let text = format!("\u{feff}{}", text.replace('\n', "\r\n"));
            fs::write(crlf.join(f.file_name().unwrap()), text).unwrap();
        }
    }
    let before = snapshot(&dir);
    let diags_before = diagnostics(&dir);

    let o = run(&dir, &["fmt", "."]);
    let err = stderr(&o);
    // The one non-UTF-8 fixture is an error (never written); the others are done.
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("invalid-encoding.md: not UTF-8"),
        "the non-UTF-8 file is named: {err}"
    );
    let left: BTreeSet<String> = err
        .lines()
        .filter_map(|l| l.strip_prefix("archive-lsp: left ./"))
        .filter_map(|l| l.split(" as it is").next())
        .map(str::to_owned)
        .collect();
    assert!(
        left.contains("fixtures/invalid/missing-original-title.md"),
        "a file without the original's title is left alone, and named: {err}"
    );

    let after = snapshot(&dir);
    let diags_after = diagnostics(&dir);
    let mut changed = 0;
    for (path, old) in &before {
        let new = &after[path];
        if path.starts_with("seeds/") {
            assert_eq!(old, new, "{path}: a seed is already formatted");
        }
        let Ok(old_text) = std::str::from_utf8(old) else {
            assert_eq!(old, new, "{path}: a non-UTF-8 file is never written");
            continue;
        };
        let new_text = std::str::from_utf8(new).unwrap();
        if old != new {
            changed += 1;
        }
        if left.contains(path) {
            assert_eq!(old, new, "{path}: left alone");
            continue;
        }
        assert_eq!(
            words(old_text),
            words(new_text),
            "{path}: the words changed"
        );
        assert_eq!(
            old_text.starts_with('\u{feff}'),
            new_text.starts_with('\u{feff}'),
            "{path}: the BOM"
        );
        if old_text.contains("\r\n") {
            let bare = new_text.replace("\r\n", "").contains('\n');
            assert!(!bare, "{path}: CRLF stays CRLF");
        }
        let none = Vec::new();
        let was = diags_before.get(path).unwrap_or(&none);
        let now = diags_after.get(path).unwrap_or(&none);
        for (code, message) in now {
            assert!(
                !LAYOUT_CODES.contains(&code.as_str()),
                "{path}: still {code}: {message}"
            );
        }
        let mut remaining = was.clone();
        for d in now {
            match remaining.iter().position(|x| x == d) {
                Some(i) => {
                    remaining.remove(i);
                }
                None => panic!("{path}: a new diagnostic after formatting: {d:?}"),
            }
        }
    }
    if corpus.is_some() {
        assert!(
            changed > 60,
            "the corpus has layout to format ({changed} files changed)"
        );
    }

    // Formatting and the safe fixes agree: nothing is left for `check --fix` on the real
    // files once they are formatted.
    if corpus.is_some() {
        let o = run(
            &dir,
            &[
                "check",
                "--fix",
                "--diff",
                "--no-config",
                "corpus",
                "crlf",
                "seeds",
            ],
        );
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stdout)
        );
    }

    // Formatting a formatted file changes nothing.
    fs::remove_file(dir.join("fixtures/invalid/invalid-encoding.md")).unwrap();
    nothing_to_do(&run(&dir, &["fmt", "--check", "."]));
}

#[test]
fn check_and_diff_write_nothing_and_say_what_would_change() {
    let dir_tree = TempTree::new("check");
    let dir = dir_tree.root().to_path_buf();
    fs::write(dir.join("messy.md"), messy()).unwrap();
    fs::write(dir.join("clean.md"), SAMPLE).unwrap();
    fs::write(
        dir.join("notes.md"),
        "# not an archive document\n  indented  \n",
    )
    .unwrap();
    let crlf = messy().replace('\n', "\r\n");
    fs::write(dir.join("crlf.txt"), &crlf).unwrap();
    let before = snapshot(&dir);

    let o = run(&dir, &["fmt", "--check", "."]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "./crlf.txt\n./messy.md\n",
        "the files that would change, in path order (notes.md is no archive document)"
    );
    assert_eq!(snapshot(&dir), before, "--check writes nothing");

    // Files named: the diff's paths are as given (no `./`, which `git apply` refuses).
    let o = run(&dir, &["fmt", "--diff", "messy.md", "clean.md", "crlf.txt"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(snapshot(&dir), before, "--diff writes nothing");
    let diff = String::from_utf8(o.stdout).unwrap();
    assert!(
        diff.starts_with("--- crlf.txt\n+++ crlf.txt\n@@ "),
        "{diff}"
    );
    assert!(diff.contains("\n--- messy.md\n+++ messy.md\n@@ "), "{diff}");
    assert!(diff.contains("\n-\tSince the launch"), "{diff}");
    assert!(diff.contains("\n+    Since the launch"), "{diff}");

    // The diff, applied, gives what `fmt` writes.
    let patched = patched(&before, diff.as_bytes());
    let o = run(&dir, &["fmt", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let formatted = snapshot(&dir);
    assert_eq!(patched, formatted);
    assert_eq!(formatted["messy.md"], SAMPLE.as_bytes());
    assert_eq!(
        formatted["crlf.txt"],
        SAMPLE.replace('\n', "\r\n").as_bytes()
    );
    assert_eq!(formatted["notes.md"], before["notes.md"]);

    let o = run(&dir, &["fmt", "--check", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn files_left_alone_are_named_and_are_no_error() {
    let dir_tree = TempTree::new("alone");
    let dir = dir_tree.root().to_path_buf();
    let no_separator = messy().replacen("<hr />", "", 1);
    fs::write(dir.join("a.md"), &no_separator).unwrap();
    // Named explicitly: read although no walk would pick it.
    let o = run(&dir, &["fmt", "a.md"]);
    assert_eq!(o.status.code(), Some(0));
    let err = stderr(&o);
    assert!(
        err.contains("left a.md as it is: no `<hr />` separator line"),
        "{err}"
    );
    assert_eq!(fs::read_to_string(dir.join("a.md")).unwrap(), no_separator);
}

#[test]
fn read_only_files_and_folders_are_refused_and_the_others_formatted() {
    let dir_tree = TempTree::new("ro");
    let dir = dir_tree.root().to_path_buf();
    for name in ["a.md", "b.md", "locked/c.md"] {
        let p = dir.join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, messy()).unwrap();
    }
    fs::set_permissions(dir.join("b.md"), fs::Permissions::from_mode(0o444)).unwrap();
    fs::set_permissions(dir.join("locked"), fs::Permissions::from_mode(0o555)).unwrap();
    let o = run(&dir, &["fmt", "."]);
    let err = stderr(&o);
    let on_disk = |name: &str| fs::read_to_string(dir.join(name)).unwrap();
    let (a, b, c) = (on_disk("a.md"), on_disk("b.md"), on_disk("locked/c.md"));
    fs::set_permissions(dir.join("locked"), fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(a, SAMPLE, "the writable file is formatted");
    assert_eq!(b, messy(), "the read-only file is not written");
    assert_eq!(c, messy(), "the file of a read-only folder is not written");
    assert!(
        err.contains("cannot format ./b.md: the file is read-only"),
        "{err}"
    );
    assert!(
        err.contains("cannot format ./locked/c.md: its folder") && err.contains("is not writable"),
        "{err}"
    );
    let mode = fs::metadata(dir.join("b.md")).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o444, "permissions untouched");
}

/// A small deterministic generator (no dependency for one test's randomness).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

/// A large document needing formatting: the sample's paragraphs repeated, unindented
/// and with trailing blanks, `n` times on each side; each file its own text.
fn large(n: usize, tag: usize) -> String {
    let english: Vec<&str> = SAMPLE.lines().skip(7).take(4).collect();
    let original: Vec<&str> = SAMPLE.lines().skip(25).take(4).collect();
    let mut out = String::from(&SAMPLE[..SAMPLE.find("    Experience").unwrap()]);
    for i in 0..n {
        let l = english[i % 4].trim();
        out.push_str(&format!("{l} {tag}-{i}  \n"));
    }
    out.push_str("\n<hr /> \n\nOriginal: \n\n\n### 及时总结和传播推广先进经验的经验\n\n1952-08-03\n第2版()\n专栏：经济生活简评\n\n");
    for i in 0..n {
        let l = original[i % 4].trim();
        out.push_str(&format!("\t{l}{tag}\n"));
    }
    out
}

#[test]
fn a_run_killed_at_any_moment_leaves_each_file_wholly_old_or_wholly_new() {
    let dir_tree = TempTree::new("kill");
    let dir = dir_tree.root().to_path_buf();
    let reference_tree = TempTree::new("kill-ref");
    let reference = reference_tree.root().to_path_buf();
    let names: Vec<String> = (0..6).map(|i| format!("doc-{i}.md")).collect();
    let old: Vec<String> = (0..6).map(|i| large(1_600, i)).collect();
    let restore = |at: &Path| {
        for (name, text) in names.iter().zip(&old) {
            fs::write(at.join(name), text).unwrap();
        }
    };
    restore(&reference);
    let started = Instant::now();
    let o = run(&reference, &["fmt", "-j1", "."]);
    let full = started.elapsed();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let new: Vec<Vec<u8>> = names
        .iter()
        .map(|n| fs::read(reference.join(n)).unwrap())
        .collect();
    for (o, n) in old.iter().zip(&new) {
        assert_ne!(o.as_bytes(), n.as_slice(), "every file needs formatting");
    }

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    eprintln!("kill test: a full run takes {full:?}; seed {seed}");
    let mut rng = Lcg(seed);
    let span = full.as_micros() as u64 * 6 / 5;
    let (mut mixed, mut runs, mut with_temp) = (0, 0, 0);
    for _ in 0..40 {
        restore(&dir);
        let mut child = common::checker()
            .args(["fmt", "-j2", "."])
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.below(span)));
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        runs += 1;
        let (mut olds, mut news) = (0, 0);
        for (i, name) in names.iter().enumerate() {
            let now = fs::read(dir.join(name)).unwrap();
            if now == old[i].as_bytes() {
                olds += 1;
            } else if now == new[i] {
                news += 1;
            } else {
                panic!("{name} is neither wholly old nor wholly new after a kill");
            }
        }
        if olds > 0 && news > 0 {
            mixed += 1;
        }
        let mut temp = false;
        for entry in fs::read_dir(&dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if names.contains(&name) {
                continue;
            }
            temp = true;
            assert!(
                name.starts_with('.') && name.ends_with(".tmp"),
                "a left-over file no walk may pick up, hidden and .tmp: {name}"
            );
        }
        with_temp += usize::from(temp);
    }
    eprintln!(
        "kill test: {runs} runs killed, {mixed} with some files old and some new, \
         {with_temp} killed while a temporary file was being written"
    );
    // A complete run finishes the work and removes what killed runs left.
    restore(&dir);
    let o = run(&dir, &["fmt", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let left: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !names.contains(n))
        .collect();
    assert!(
        left.is_empty(),
        "temporary files left after a complete run: {left:?}"
    );
    for (i, name) in names.iter().enumerate() {
        assert_eq!(fs::read(dir.join(name)).unwrap(), new[i], "{name}");
    }
}

/// The corpus, the seeds and the fixtures, copied writable into `dir`.
fn copy_all(dir: &Path) -> bool {
    copy_files(&seeds(), &dir.join("seeds"));
    for sub in ["valid", "invalid"] {
        let from = root().join("tests/fixtures").join(sub);
        copy_files(&files_of(&from), &dir.join("fixtures").join(sub));
    }
    match corpus() {
        Some(files) => {
            copy_files(&files, &dir.join("corpus"));
            true
        }
        None => false,
    }
}

#[test]
fn check_fix_reports_what_check_reports_on_the_fixed_files() {
    let dir_tree = TempTree::new("fix");
    let dir = dir_tree.root().to_path_buf();
    let has_corpus = copy_all(&dir);
    let before = snapshot(&dir);
    let fixed = run(&dir, FIX_ALL);
    let after = snapshot(&dir);
    let plain = run(
        &dir,
        &["check", "--no-config", "--min-severity", "hint", "."],
    );
    assert_eq!(
        String::from_utf8_lossy(&fixed.stdout),
        String::from_utf8_lossy(&plain.stdout),
        "the report of --fix is check's on the fixed files"
    );
    assert_eq!(fixed.status.code(), plain.status.code());
    let mut changed = 0;
    for (path, old) in &before {
        let new = &after[path];
        if path.starts_with("seeds/") {
            assert_eq!(old, new, "{path}: every seed is unchanged by check --fix");
        }
        if std::str::from_utf8(old).is_err() {
            assert_eq!(old, new, "{path}: a non-UTF-8 file is never written");
        }
        changed += usize::from(old != new);
    }
    if has_corpus {
        assert!(changed > 40, "{changed} files fixed");
    }
    assert!(
        stderr(&fixed).contains(&format!("archive-lsp: fixed {changed} files")),
        "{}",
        stderr(&fixed)
    );
    // Nothing is left to fix.
    nothing_to_do(&run(
        &dir,
        &["check", "--fix", "--diff", "--no-config", "."],
    ));
}

#[test]
fn check_fix_diff_writes_nothing_and_its_diff_is_what_fix_writes() {
    let dir_tree = TempTree::new("fixdiff");
    let dir = dir_tree.root().to_path_buf();
    copy_all(&dir);
    fs::write(dir.join("messy.md"), messy()).unwrap();
    let before = snapshot(&dir);
    let paths = [
        "check",
        "--fix",
        "--diff",
        "--no-config",
        "corpus",
        "fixtures",
        "messy.md",
        "seeds",
    ];
    let o = run(&dir, &paths);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(snapshot(&dir), before, "--diff writes nothing");
    let diff = o.stdout;
    assert!(
        diff.starts_with(b"--- "),
        "{}",
        String::from_utf8_lossy(&diff)
    );

    let patched = patched(&before, &diff);
    run(&dir, &["check", "--fix", "--no-config", "."]);
    assert_eq!(patched, snapshot(&dir), "the diff is what --fix writes");

    // --diff alone is a usage error.
    let o = run(&dir, &["check", "--diff", "."]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn check_fix_refuses_a_read_only_file_and_reports_it_as_it_is() {
    let dir_tree = TempTree::new("fixro");
    let dir = dir_tree.root().to_path_buf();
    fs::write(dir.join("a.md"), messy()).unwrap();
    fs::write(dir.join("b.md"), messy()).unwrap();
    fs::set_permissions(dir.join("b.md"), fs::Permissions::from_mode(0o444)).unwrap();
    let o = run(&dir, FIX_ALL);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("cannot fix ./b.md: the file is read-only"),
        "{err}"
    );
    assert_ne!(
        fs::read_to_string(dir.join("a.md")).unwrap(),
        messy(),
        "a.md fixed"
    );
    assert_eq!(fs::read_to_string(dir.join("b.md")).unwrap(), messy());
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("./b.md:"),
        "b.md is reported as it is on disk: {out}"
    );
}

#[test]
fn check_fix_never_rewrites_a_named_file_that_is_no_archive_document() {
    let dir_tree = TempTree::new("fixnotes");
    let dir = dir_tree.root().to_path_buf();
    let notes = "Title: my notes\n\n  indented line   \n";
    fs::write(dir.join("notes.md"), notes).unwrap();
    let o = run(&dir, &["check", "--fix", "--no-config", "notes.md"]);
    let err = stderr(&o);
    assert!(
        err.contains("not fixing notes.md: not an archive document"),
        "{err}"
    );
    assert_eq!(fs::read_to_string(dir.join("notes.md")).unwrap(), notes);
    // Checked all the same, as any file named explicitly.
    assert!(String::from_utf8_lossy(&o.stdout).contains("notes.md:"));
}
