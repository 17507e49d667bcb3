//! `check`'s results cache, through the built binary: a run answered from the cache says
//! exactly what a fresh check says, in every format and at every `--min-severity`; an edit,
//! a settings change or a wider `--min-severity` is checked afresh; a damaged or unwritable
//! cache changes nothing but speed; `--no-cache` and `--fix` leave it alone.

mod common;

use common::TempTree;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Output;

/// Copies of the seeds, the fixtures and (when present) the corpus in one tree of folders.
fn archive(t: &TempTree) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = t.dir("docs");
    let mut sources = vec![
        ("seeds", root.join("seeds")),
        ("fixtures/invalid", root.join("tests/fixtures/invalid")),
        ("fixtures/valid", root.join("tests/fixtures/valid")),
    ];
    if let Some(corpus) = common::corpus_dir() {
        sources.push(("corpus", corpus));
    }
    for (name, from) in sources {
        let to = t.dir(&format!("docs/{name}"));
        for entry in fs::read_dir(&from).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
            }
        }
    }
    docs
}

fn check(cache: Option<&Path>, args: &[&str], cwd: &Path) -> Output {
    let mut c = common::checker();
    c.arg("check").arg("--no-progress");
    match cache {
        Some(dir) => c.arg("--cache-dir").arg(dir),
        None => c.arg("--no-cache"),
    };
    c.args(args)
        .current_dir(cwd)
        .output()
        .expect("the binary runs")
}

/// stdout, stderr and status, for comparing whole runs.
fn seen(o: &Output) -> (String, String, Option<i32>) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        o.status.code(),
    )
}

/// The cache files (not the tag) of a cache folder: name → inode.
fn cache_files(dir: &Path) -> Vec<(String, u64)> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .map(|rd| {
            rd.map(|e| e.unwrap())
                .filter(|e| e.path().extension().is_some_and(|x| x == "bin"))
                .map(|e| {
                    let ino = e.metadata().unwrap().ino();
                    (e.file_name().to_string_lossy().into_owned(), ino)
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn cached_runs_say_what_fresh_checks_say_in_every_format() {
    let t = TempTree::new("cache-same");
    let docs = archive(&t);
    let cache = t.path("cache");
    let formats = ["human", "json", "concise", "github", "sarif"];
    for format in formats {
        for min in ["error", "warning", "hint"] {
            let args = ["--format", format, "--min-severity", min, "docs"];
            let fresh = seen(&check(None, &args, t.root()));
            assert!(fresh.0.len() > 100, "{format} {min}: something to compare");
            // The first cached run fills the cache (or finds it filled by the last
            // format's run at this severity); the second finds every file in it.
            for run in ["filling", "filled"] {
                let cached = seen(&check(Some(&cache), &args, t.root()));
                assert_eq!(cached, fresh, "{format} at {min}, cache {run}");
            }
        }
    }
    let stats = ["--statistics", "docs"];
    let fresh = seen(&check(None, &stats, t.root()));
    assert_eq!(seen(&check(Some(&cache), &stats, t.root())), fresh);
    assert!(
        cache.join("CACHEDIR.TAG").is_file(),
        "marked as a cache folder"
    );
    // One cache file per checked folder; nothing written into the archive.
    assert_eq!(
        cache_files(&cache).len(),
        4 - usize::from(common::corpus_dir().is_none())
    );
    assert!(!fs::read_dir(&docs)
        .unwrap()
        .any(|e| e.unwrap().path().is_file()));
}

#[test]
fn edits_settings_and_wider_severities_are_checked_afresh() {
    let t = TempTree::new("cache-fresh");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sample = fs::read_to_string(root.join("seeds/1952-10-28_华北棉花丰收.md")).unwrap();
    let file = t.file("docs/a.md", &sample);
    let cache = t.path("cache");
    let run = |args: &[&str]| seen(&check(Some(&cache), args, t.root()));
    let fresh = |args: &[&str]| seen(&check(None, args, t.root()));
    assert_eq!(run(&["docs"]), fresh(&["docs"]));
    let before = cache_files(&cache);
    assert_eq!(before.len(), 1);
    assert_eq!(run(&["docs"]), fresh(&["docs"]));
    assert_eq!(
        cache_files(&cache),
        before,
        "nothing changed: not rewritten"
    );

    // The same size and modification time, other bytes: the date of the header.
    let modified = fs::metadata(&file).unwrap().modified().unwrap();
    let date = sample.lines().find(|l| l.starts_with("Date:")).unwrap();
    let other = date.replace(|c: char| c.is_ascii_digit(), "1");
    fs::write(&file, sample.replacen(date, &other, 1)).unwrap();
    fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    let edited = run(&["docs"]);
    assert!(edited.0.contains("date-mismatch"), "{}", edited.0);
    assert_eq!(edited, fresh(&["docs"]));
    assert_ne!(
        cache_files(&cache),
        before,
        "the folder's cache is rewritten"
    );

    // A configuration file appears beside it: its rules apply at once.
    t.file(
        "docs/archive-lsp.toml",
        "[rules]\ndate-mismatch = \"off\"\n",
    );
    let configured = run(&["docs"]);
    assert!(!configured.0.contains("date-mismatch"), "{}", configured.0);
    assert_eq!(configured, fresh(&["docs"]));
    // The command line's rules are settings too.
    let severity = ["--severity", "date-mismatch=warning", "--no-config", "docs"];
    assert!(run(&severity).0.contains("warning[date-mismatch]"));
    assert_eq!(run(&severity), fresh(&severity));

    // The cache kept errors and warnings: hints are checked for.
    let hints = [
        "--min-severity",
        "hint",
        "--format",
        "json",
        "--no-config",
        "docs",
    ];
    assert_eq!(run(&hints), fresh(&hints));
    fs::remove_file(t.path("docs/archive-lsp.toml")).unwrap();
    assert_eq!(run(&["docs"]), fresh(&["docs"]));
}

#[test]
fn a_damaged_or_unwritable_cache_changes_nothing_but_speed() {
    let t = TempTree::new("cache-damaged");
    archive(&t);
    let cache = t.path("cache");
    let args = ["--format", "json", "docs"];
    let fresh = seen(&check(None, &args, t.root()));
    assert_eq!(seen(&check(Some(&cache), &args, t.root())), fresh);
    let files = cache_files(&cache);
    assert!(!files.is_empty());
    for (i, (name, _)) in files.iter().enumerate() {
        let path = cache.join(name);
        let bytes = fs::read(&path).unwrap();
        // Cut short, garbage, emptied, or another folder's file under this name.
        let damaged = match i % 4 {
            0 => bytes[..bytes.len() / 2].to_vec(),
            1 => bytes.iter().map(|b| b ^ 0x5a).collect(),
            2 => Vec::new(),
            _ => fs::read(cache.join(&files[(i + 1) % files.len()].0)).unwrap(),
        };
        fs::write(&path, damaged).unwrap();
    }
    assert_eq!(
        seen(&check(Some(&cache), &args, t.root())),
        fresh,
        "damaged"
    );
    assert_eq!(
        seen(&check(Some(&cache), &args, t.root())),
        fresh,
        "repaired"
    );

    // A cache folder that cannot be made, or written into.
    let blocked = t.file("blocked", "a file, not a folder");
    assert_eq!(seen(&check(Some(&blocked), &args, t.root())), fresh);
    let read_only = t.dir("read-only");
    fs::set_permissions(&read_only, fs::Permissions::from_mode(0o555)).unwrap();
    assert_eq!(seen(&check(Some(&read_only), &args, t.root())), fresh);
    if cache_files(&read_only).is_empty() {
        // (As root the folder is writable all the same; otherwise nothing was written.)
        assert!(fs::read_dir(&read_only).unwrap().next().is_none());
    }
}

#[test]
fn no_cache_and_fix_leave_the_cache_alone() {
    let t = TempTree::new("cache-alone");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let messy = fs::read_to_string(root.join("seeds/1952-10-28_华北棉花丰收.md"))
        .unwrap()
        .replace("\n\n", " \n\n");
    t.file("docs/a.md", &messy);
    let cache = t.path("cache");
    let o = common::checker()
        .args(["check", "--no-cache", "docs"])
        .env(common::CACHE_VAR, &cache)
        .current_dir(t.root())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", seen(&o).1);
    assert!(!cache.exists(), "--no-cache writes no cache");
    let o = check(Some(&cache), &["--fix", "docs"], t.root());
    assert!(o.status.success(), "{}", seen(&o).1);
    assert!(!cache.exists(), "--fix neither reads nor fills the cache");
    assert_ne!(fs::read_to_string(t.path("docs/a.md")).unwrap(), messy);
    // Without --cache-dir, the variable names the folder.
    let o = common::checker()
        .args(["check", "docs"])
        .env(common::CACHE_VAR, &cache)
        .current_dir(t.root())
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(cache_files(&cache).len(), 1);
    let o = common::checker()
        .args(["check", "--no-cache", "--cache-dir", "x", "docs"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "the two options conflict");
}
