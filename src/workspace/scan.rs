//! Finding and summarising the archive documents under folders, for the server's index.
//!
//! The walk skips hidden files and folders and what `.gitignore` (and `.ignore`) files
//! exclude, as ripgrep does (the `ignore` crate, git repository or not); a file is a
//! document by the checker's rule ([`is_archive_document`]). One thread walks, in path
//! order; `threads` workers read and summarise; the results reach the callback in path
//! order on the calling thread, so that a cap keeps the first files in path order, run
//! after run.

use super::detect::{is_archive_document, is_candidate};
use super::summary::{Checked, Summary};
use crate::cli::pipeline::ordered;
use crate::config::Settings;
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

/// Files larger than this are not indexed by default: bounds the memory of reading one.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// How a scan runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Workers reading and summarising (at least one).
    pub threads: usize,
    /// Documents summarised at most; the scan stops at the next one and says so.
    pub cap: usize,
    /// Larger files are not read (a failure says why): bounds the memory of the workers.
    pub max_file_bytes: u64,
}

impl Default for Options {
    /// All cores, no cap, files up to [`MAX_FILE_BYTES`].
    fn default() -> Options {
        Options {
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cap: usize::MAX,
            max_file_bytes: MAX_FILE_BYTES,
        }
    }
}

/// What a scan tells its callback, in this order per file.
#[derive(Debug)]
pub enum Event {
    /// After each file: `.txt`/`.md` files found so far by the walk, and how many of them
    /// are done (read and summarised, or skipped as not documents, or failed). Sent once
    /// per file: a caller showing progress throttles.
    Progress { found: usize, done: usize },
    /// An archive document and its summary; `bytes` its size on disk.
    Indexed {
        path: PathBuf,
        summary: Summary,
        bytes: u64,
    },
    /// A file or folder that could not be indexed, and why.
    Failed { path: PathBuf, reason: String },
}

/// How a scan ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// `.txt`/`.md` files found by the walk.
    pub found: usize,
    /// Of those, done.
    pub done: usize,
    /// Documents summarised ([`Event::Indexed`]).
    pub indexed: usize,
    /// Failures reported ([`Event::Failed`]).
    pub failed: usize,
    /// The cap was reached with documents left: the scan stopped there.
    pub capped: bool,
    /// `cancel` was set: the scan stopped early.
    pub cancelled: bool,
}

/// What the walk hands the workers.
enum Found {
    File(PathBuf),
    Error(PathBuf, String),
}

/// What a worker makes of one file.
enum Outcome {
    Indexed(PathBuf, Summary, u64),
    NotDocument,
    Failed(PathBuf, String),
    /// Left alone: the scan is stopping.
    Skipped,
}

/// Scans `roots` (folders, or files), summarising each archive document under them with
/// the settings `settings` gives for its path, and tells `on` about each. Stops early when
/// `cancel` is set (checked between files) or at `options.cap` documents. Never panics on
/// a file's content: unreadable and too large files and a panic in the checks are failures
/// with a reason; a document that is not UTF-8 is indexed with its `invalid-encoding` fault.
pub fn scan(
    roots: &[PathBuf],
    options: &Options,
    settings: impl Fn(&Path) -> Arc<Settings> + Sync,
    cancel: &AtomicBool,
    mut on: impl FnMut(Event),
) -> Report {
    let found = AtomicUsize::new(0);
    // Set by the consumer at the cap, so that the walk and the workers stop too.
    let stop = AtomicBool::new(false);
    let halted = || cancel.load(Ordering::Relaxed) || stop.load(Ordering::Relaxed);
    let mut report = Report::default();
    let threads = options.threads.max(1);
    let max = options.max_file_bytes;
    ordered(
        threads,
        threads * 64,
        |each| walk(roots, &halted, &found, each),
        |item| match item {
            Found::Error(path, reason) => Outcome::Failed(path, reason),
            Found::File(_) if halted() => Outcome::Skipped,
            Found::File(path) => {
                yield_to_requests();
                let settings = settings(&path);
                summarise(path, max, &settings)
            }
        },
        |outcome| {
            if cancel.load(Ordering::Relaxed) {
                report.cancelled = true;
                return;
            }
            if report.capped {
                return;
            }
            match outcome {
                Outcome::Skipped => return,
                Outcome::NotDocument => {}
                Outcome::Indexed(path, summary, bytes) => {
                    if report.indexed >= options.cap {
                        report.capped = true;
                        stop.store(true, Ordering::Relaxed);
                        return;
                    }
                    report.indexed += 1;
                    on(Event::Indexed {
                        path,
                        summary,
                        bytes,
                    });
                }
                Outcome::Failed(path, reason) => {
                    report.failed += 1;
                    on(Event::Failed { path, reason });
                }
            }
            report.done += 1;
            on(Event::Progress {
                found: found.load(Ordering::Relaxed),
                done: report.done,
            });
        },
    );
    report.found = found.load(Ordering::Relaxed);
    report.cancelled |= cancel.load(Ordering::Relaxed);
    report
}

/// Walks `roots` in path order, handing on every `.txt`/`.md` file and every walk error,
/// until `halted`.
fn walk(
    roots: &[PathBuf],
    halted: &(impl Fn() -> bool + Sync),
    found: &AtomicUsize,
    each: &mut dyn FnMut(Found),
) {
    let mut roots: Vec<&PathBuf> = roots.iter().collect();
    roots.sort();
    roots.dedup();
    let Some((first, rest)) = roots.split_first() else {
        return;
    };
    let mut builder = ignore::WalkBuilder::new(first);
    for root in rest {
        builder.add(root);
    }
    builder
        .hidden(true)
        .git_ignore(true)
        // A folder of the archive is seldom a git repository: its `.gitignore` still holds.
        .require_git(false)
        .follow_links(true)
        .sort_by_file_name(|a, b| a.cmp(b));
    for entry in builder.build() {
        if halted() {
            return;
        }
        match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_file()) && is_candidate(e.path()) => {
                found.fetch_add(1, Ordering::Relaxed);
                each(Found::File(e.into_path()));
            }
            Ok(_) => {}
            Err(err) => {
                let path = error_path(&err).unwrap_or_else(|| PathBuf::from(first));
                each(Found::Error(path, err.to_string()));
            }
        }
    }
}

/// The path an error of the walk is about, when it names one.
fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::Partial(errs) => errs.iter().find_map(error_path),
        _ => None,
    }
}

/// The summary of the file at `path` and its size, if it is an archive document of at
/// most [`MAX_FILE_BYTES`] that can be read: a file read alone (a watcher's event), as a
/// scan reads it.
pub fn summarise_file(path: &Path, settings: &Settings) -> Option<(Summary, u64)> {
    match summarise(path.to_path_buf(), MAX_FILE_BYTES, settings) {
        Outcome::Indexed(_, summary, size) => Some((summary, size)),
        _ => None,
    }
}

/// Reads `path` (when at most `max` bytes) and summarises it if it is an archive document.
fn summarise(path: PathBuf, max: u64, settings: &Settings) -> Outcome {
    let bytes = match read_at_most(&path, max) {
        Ok(bytes) => bytes,
        Err(reason) => return Outcome::Failed(path, reason),
    };
    if !is_archive_document(&path, &bytes) {
        return Outcome::NotDocument;
    }
    let size = bytes.len() as u64;
    match catch_unwind(AssertUnwindSafe(|| Checked::of_bytes(bytes, settings))) {
        Ok(checked) => Outcome::Indexed(path, checked.summary, size),
        Err(_) => Outcome::Failed(
            path,
            "not indexed: an internal error in the checks (please report it)".into(),
        ),
    }
}

/// The bytes of the file at `path` if it holds at most `max`, else why not: an I/O error,
/// or more than `max` bytes (known from its metadata, else from reading one byte past
/// `max`). How the index reads a file, in a scan or alone.
pub fn read_at_most(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let too_large = || format!("not indexed: larger than {max} bytes");
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let len = file.metadata().map_err(|e| e.to_string())?.len();
    if len > max {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // A file that grew since its metadata was read is read no further than `max`.
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > max {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Lowers the calling thread's scheduling priority, once: the index's work runs beside an
/// editor's requests, which must not wait for it (on Linux, `setpriority` on the calling
/// thread's id applies to that thread alone). Call it only on a thread of that work (the
/// scan's workers; a thread started for it), never on one that later serves requests.
pub fn yield_to_requests() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        thread_local!(static LOWERED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
        LOWERED.with(|lowered| {
            if !lowered.replace(true) {
                // SAFETY: plain system calls on this thread's own id; a failure only leaves
                // the priority as it was.
                unsafe {
                    let tid = libc::gettid();
                    libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 10);
                }
            }
        });
    }
}
