//! The workspace index in the server: the archive documents under the workspace folders,
//! scanned in the background (on `initialized`, and when folders are added) with the
//! checker's detection rule, for `workspace/symbol` and `archive-lsp.showIndexStatus`.
//!
//! The scan runs on a blocking thread with its own workers, so requests on open documents
//! never wait for it; the index is behind a lock held only to insert one summary or to
//! answer one query.

use super::proto::KeptDiagnostic;
use crate::config::Settings;
use crate::workspace::index::{Full, Index, SymbolHit};
use crate::workspace::Summary;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The command that returns the index's counts (for editors to show).
pub const SHOW_INDEX_STATUS: &str = "archive-lsp.showIndexStatus";

/// Files indexed at most unless `initializationOptions.workspace.maxFiles` says otherwise.
pub const DEFAULT_CAP: usize = 200_000;

/// The index and what is known of the scans filling it.
#[derive(Debug, Default)]
pub struct Workspace {
    index: Mutex<Index>,
    status: Mutex<Status>,
    /// The workspace folders.
    folders: Mutex<Vec<PathBuf>>,
    /// Documents open in the editor under the folders: their text, not the disk's, is
    /// indexed while they are open.
    open: Mutex<HashSet<PathBuf>>,
    /// The diagnostics of indexed files, computed when a client pulls workspace
    /// diagnostics ("the diagnostics when asked"), only for files that have some.
    reports: Mutex<HashMap<PathBuf, Stored>>,
    /// Whether the diagnostics of some files are being computed.
    computing: AtomicBool,
    /// Folders to scan again once the scan under way ends (a save or a settings change
    /// while it ran).
    rescans: Mutex<Vec<PathBuf>>,
    /// `workspace/diagnostic` requests answered (the status shows it: a client that asks
    /// again at once after each answer would be a busy loop).
    pulls: AtomicU64,
}

/// Diagnostics of one file as computed for workspace diagnostics: for this text (its
/// hash) under these settings (their generation).
#[derive(Debug)]
pub struct Stored {
    pub content: u64,
    pub generation: u64,
    pub items: Arc<[KeptDiagnostic]>,
}

/// One file's part of a workspace diagnostics report.
#[derive(Debug)]
pub enum Part {
    /// The client has these diagnostics already (its result id is current).
    Unchanged { path: PathBuf, result_id: String },
    /// The file's diagnostics (none for a file without faults).
    Full {
        path: PathBuf,
        result_id: String,
        items: Arc<[KeptDiagnostic]>,
    },
    /// A file the client knew that is no longer indexed (deleted, or out of the folders):
    /// no diagnostics.
    Gone { path: PathBuf },
}

/// The result id of a file's diagnostics: its text's hash under the settings' generation.
pub fn result_id(generation: u64, content: u64) -> String {
    format!("{generation}-{content:016x}")
}

/// The scans' state, as `archive-lsp.showIndexStatus` reports it.
#[derive(Debug, Default, Clone, Copy)]
struct Status {
    /// Scans under way.
    running: usize,
    /// Whether the cap refused a file (said once to the user).
    capped: bool,
}

impl Workspace {
    /// An empty index holding at most `cap` files.
    pub fn new(cap: usize) -> Workspace {
        Workspace {
            index: Mutex::new(Index::new(cap)),
            status: Mutex::default(),
            folders: Mutex::default(),
            open: Mutex::default(),
            reports: Mutex::default(),
            computing: AtomicBool::new(false),
            rescans: Mutex::default(),
            pulls: AtomicU64::new(0),
        }
    }

    fn reports(&self) -> MutexGuard<'_, HashMap<PathBuf, Stored>> {
        self.reports.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A workspace diagnostics report, at once, from what is known: for every indexed file
    /// that is not open (open documents are pulled one by one), `Unchanged` when the
    /// client's result id (`previous`, by path) is current, else its diagnostics when they
    /// are known or it has none; and `Gone` for files the client knew that are no longer
    /// indexed. The files whose diagnostics are not known yet are returned apart, left out
    /// of the report: compute them and [`Workspace::store`] them for the next pull.
    pub fn report(
        &self,
        generation: u64,
        previous: &HashMap<PathBuf, String>,
    ) -> (Vec<Part>, Vec<PathBuf>) {
        self.pulls.fetch_add(1, Ordering::Relaxed);
        let open = self.open().clone();
        let index = self.index();
        let reports = self.reports();
        let mut parts = Vec::new();
        let mut missing = Vec::new();
        for (path, summary) in index.iter().filter(|(p, _)| !open.contains(*p)) {
            let id = result_id(generation, summary.content);
            if previous.get(path) == Some(&id) {
                parts.push(Part::Unchanged {
                    path: path.to_path_buf(),
                    result_id: id,
                });
                continue;
            }
            let items = if summary.counts == [0; 4] {
                Some(Arc::from([]))
            } else {
                reports
                    .get(path)
                    .filter(|r| r.content == summary.content && r.generation == generation)
                    .map(|r| r.items.clone())
            };
            match items {
                Some(items) => parts.push(Part::Full {
                    path: path.to_path_buf(),
                    result_id: id,
                    items,
                }),
                None => missing.push(path.to_path_buf()),
            }
        }
        for path in previous.keys() {
            if index.get(path).is_none() && !open.contains(path) {
                parts.push(Part::Gone { path: path.clone() });
            }
        }
        (parts, missing)
    }

    /// Whether to start computing diagnostics: `true` (and marked) unless a computation
    /// runs already; call [`Workspace::computed`] when it ends.
    pub fn start_computing(&self) -> bool {
        !self.computing.swap(true, Ordering::SeqCst)
    }

    /// The computation started by [`Workspace::start_computing`] has ended.
    pub fn computed(&self) {
        self.computing.store(false, Ordering::SeqCst);
    }

    /// Keeps the diagnostics computed for the file at `path` (and its summary, read with
    /// them, in the index: the two stay of one text).
    pub fn store(&self, path: PathBuf, summary: Summary, bytes: u64, stored: Stored) {
        self.insert(path.clone(), summary, bytes);
        self.reports().insert(path, stored);
    }

    fn index(&self) -> MutexGuard<'_, Index> {
        self.index.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn folders(&self) -> MutexGuard<'_, Vec<PathBuf>> {
        self.folders.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn open(&self) -> MutexGuard<'_, HashSet<PathBuf>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds workspace folders (those already known are left out of the answer); the ones
    /// to scan.
    pub fn add_folders(&self, added: Vec<PathBuf>) -> Vec<PathBuf> {
        let mut folders = self.folders();
        let new: Vec<PathBuf> = added.into_iter().filter(|f| !folders.contains(f)).collect();
        folders.extend(new.iter().cloned());
        new
    }

    /// Drops a workspace folder and its files; how many files.
    pub fn remove_folder(&self, folder: &Path) -> usize {
        self.folders().retain(|f| f != folder);
        self.reports().retain(|p, _| !p.starts_with(folder));
        self.index().remove_under(folder)
    }

    /// Every workspace folder.
    pub fn all_folders(&self) -> Vec<PathBuf> {
        self.folders().clone()
    }

    /// The workspace folder holding `path`, if any (the innermost).
    pub fn folder_of(&self, path: &Path) -> Option<PathBuf> {
        self.folders()
            .iter()
            .filter(|f| path.starts_with(f))
            .max_by_key(|f| f.components().count())
            .cloned()
    }

    /// A document opened in the editor: from now until it is closed, the disk's events leave
    /// it alone and workspace diagnostics leave it to the document's own pull.
    pub fn mark_open(&self, path: &Path) {
        if self.folder_of(path).is_some() {
            self.open().insert(path.to_path_buf());
        }
    }

    /// An open document's text, just checked: indexed instead of the disk's while open.
    pub fn opened(&self, path: &Path, summary: Summary, bytes: u64) -> bool {
        if self.folder_of(path).is_none() {
            return false;
        }
        self.open().insert(path.to_path_buf());
        self.put(path.to_path_buf(), summary, bytes)
    }

    /// A document closed: the disk's version is indexed again (read here: call it off the
    /// request path).
    pub fn closed(&self, path: &Path, settings: &Settings) -> bool {
        if !self.open().remove(path) {
            return false;
        }
        self.refresh(path, settings)
    }

    /// Re-reads the file at `path` from disk (created or changed): indexed if it is an
    /// archive document under a folder, dropped if not (or gone). An open document is left
    /// as the editor has it. Returns `true` the first time the cap refuses a file.
    pub fn refresh(&self, path: &Path, settings: &Settings) -> bool {
        if self.open().contains(path) || self.folder_of(path).is_none() {
            return false;
        }
        let summary = crate::workspace::scan::summarise_file(path, settings);
        match summary {
            Some((summary, bytes)) => self.put(path.to_path_buf(), summary, bytes),
            None => {
                self.index().remove(path);
                false
            }
        }
    }

    /// A file deleted on disk (an open document stays as the editor has it).
    pub fn deleted(&self, path: &Path) {
        if !self.open().contains(path) {
            self.index().remove(path);
            self.reports().remove(path);
        }
    }

    /// After a scan of `roots`: drops the files under them that the scan did not find
    /// (deleted since the last one), except open documents.
    pub fn retain_found(&self, roots: &[PathBuf], found: &HashSet<PathBuf>) {
        let open = self.open().clone();
        let mut index = self.index();
        let stale: Vec<PathBuf> = index
            .iter()
            .map(|(p, _)| p)
            .filter(|p| roots.iter().any(|r| p.starts_with(r)))
            .filter(|p| !found.contains(*p) && !open.contains(*p))
            .map(Path::to_path_buf)
            .collect();
        for p in stale {
            index.remove(&p);
        }
    }

    fn status(&self) -> MutexGuard<'_, Status> {
        self.status.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Files the index can still take.
    pub fn room(&self) -> usize {
        let index = self.index();
        index.cap().saturating_sub(index.len())
    }

    /// Adds or replaces the summary of the file at `path`, read from disk by a scan (an
    /// open document keeps the editor's text). Returns `true` the first time the cap
    /// refuses a file (to be told to the user once).
    pub fn insert(&self, path: PathBuf, summary: Summary, bytes: u64) -> bool {
        if self.open().contains(&path) {
            return false;
        }
        self.put(path, summary, bytes)
    }

    fn put(&self, path: PathBuf, summary: Summary, bytes: u64) -> bool {
        match self.index().upsert(path, summary, bytes) {
            Ok(()) => false,
            Err(Full { .. }) => self.mark_capped(),
        }
    }

    /// Records that the cap stopped a scan; `true` the first time.
    pub fn mark_capped(&self) -> bool {
        !std::mem::replace(&mut self.status().capped, true)
    }

    /// A scan starts (`true`) or ends (`false`).
    pub fn scanning(&self, starts: bool) {
        let mut status = self.status();
        if starts {
            status.running += 1;
        } else {
            status.running = status.running.saturating_sub(1);
        }
    }

    /// The folders to scan now: `folders` if no scan is under way; else none, and they are
    /// kept for [`Workspace::take_rescans`] when the scan ends (so that nothing asked for
    /// during a scan is lost).
    pub fn scan_or_later(&self, folders: Vec<PathBuf>) -> Vec<PathBuf> {
        let status = self.status();
        if status.running == 0 {
            return folders;
        }
        let mut rescans = self.rescans.lock().unwrap_or_else(PoisonError::into_inner);
        for f in folders {
            if !rescans.contains(&f) {
                rescans.push(f);
            }
        }
        Vec::new()
    }

    /// The folders asked for while scans ran (see [`Workspace::scan_or_later`]), once the
    /// last of them has ended.
    pub fn take_rescans(&self) -> Vec<PathBuf> {
        let status = self.status();
        if status.running > 0 {
            return Vec::new();
        }
        std::mem::take(&mut *self.rescans.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The indexed articles a neighbours key asks for: each file and its symbol line, in
    /// path order.
    pub fn neighbours(&self, key: crate::ide::neighbours::Key) -> Vec<(PathBuf, u32)> {
        use crate::ide::neighbours::Key;
        let index = self.index();
        let found = match key {
            Key::Date(date) => index.same_date(date),
            Key::Page(date, page) => index.same_page(date, page),
        };
        found
            .into_iter()
            .map(|(path, s)| (path.to_path_buf(), s.symbol_line()))
            .collect()
    }

    /// The articles matching `query`, best first (see [`Index::symbols`]).
    pub fn symbols(&self, query: &str, limit: usize) -> Vec<SymbolHit> {
        self.index().symbols(query, limit)
    }

    /// The answer of [`SHOW_INDEX_STATUS`]: files indexed, their diagnostics by severity,
    /// their bytes on disk, whether a scan is under way, whether the cap was reached, and
    /// whether files are being checked for workspace diagnostics.
    pub fn status_json(&self) -> serde_json::Value {
        let status = *self.status();
        let index = self.index();
        let [errors, warnings, information, hints] = index.totals();
        serde_json::json!({
            "files": index.len(),
            "errors": errors,
            "warnings": warnings,
            "information": information,
            "hints": hints,
            "indexedBytes": index.indexed_bytes(),
            "indexing": status.running > 0,
            "capped": status.capped,
            "cap": index.cap(),
            "workspaceDiagnosticRequests": self.pulls.load(Ordering::Relaxed),
            "checkingDiagnostics": self.computing.load(Ordering::SeqCst),
        })
    }
}

/// `n` with thousands separated by commas, as the progress message shows counts.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_with_commas() {
        let cases = [
            (0, "0"),
            (999, "999"),
            (1_200, "1,200"),
            (1_234_567, "1,234,567"),
        ];
        for (n, shown) in cases {
            assert_eq!(thousands(n), shown);
        }
    }

    #[test]
    fn the_cap_is_told_once() {
        let w = Workspace::new(1);
        let summary = Summary::of("Title: x\n", &Default::default());
        assert!(!w.insert("/a.md".into(), summary.clone(), 1));
        assert!(w.insert("/b.md".into(), summary.clone(), 1));
        assert!(!w.insert("/c.md".into(), summary, 1));
        assert_eq!(w.status_json()["files"], 1);
        assert_eq!(w.status_json()["capped"], true);
        assert_eq!(w.room(), 0);
    }
}
