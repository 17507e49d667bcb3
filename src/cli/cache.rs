//! `check`'s results cache, as ruff and eslint keep one: a file whose bytes, settings and
//! checker are those of an earlier run is not checked again; its diagnostics come from the
//! cache.
//!
//! - **Where.** One cache file per checked folder, in the cache folder (`--cache-dir`,
//!   else `$ARCHIVE_LSP_CACHE_DIR`, else `$XDG_CACHE_HOME/archive-lsp`, else
//!   `~/.cache/archive-lsp`), named by a hash of the folder's absolute path. Nothing is
//!   written into the archive.
//! - **Key.** Per file name: the XXH3-128 of its bytes, a hash of its settings, and how far
//!   down the severities its diagnostics were kept. The whole cache file carries the
//!   checker's identity (version, and size and modification time of the executable), so
//!   a rebuilt checker never reads an older one's results.
//! - **What is kept.** The counts of every diagnostic (for the summary and `--statistics`)
//!   and the diagnostics down to the run's `--min-severity`: a later run that shows more
//!   checks the file again.
//! - **Untrusted.** A cache file that cannot be read or decoded, or that belongs to another
//!   checker, is an empty cache; a kept diagnostic whose range does not fit the file is a
//!   miss. A cache that cannot be written costs speed only: the run's result never depends
//!   on it.
//!
//! A folder's entries are loaded when the walk enters the folder and written back (once,
//! atomically, only if something changed) when its last file has been checked, so memory
//! holds the cache of the folders being walked, not of the archive.

use crate::check::{Code, Diagnostic, Severity};
use crate::config::Settings;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Environment variable naming the cache folder.
pub const DIR_VARIABLE: &str = "ARCHIVE_LSP_CACHE_DIR";

/// The cache of one run: where its files are, and the identity of this checker.
pub struct Cache {
    dir: PathBuf,
    identity: u64,
}

impl Cache {
    /// The cache in `dir` (else the default folder), or none when no folder or no identity
    /// of the executable can be found.
    pub fn open(dir: Option<PathBuf>) -> Option<Cache> {
        let dir = dir.or_else(default_dir)?;
        Some(Cache {
            dir: std::path::absolute(&dir).unwrap_or(dir),
            identity: identity()?,
        })
    }

    /// The cached entries of `folder` (a folder being walked), read from its cache file.
    pub fn folder(&self, folder: &Path) -> Arc<Folder> {
        let folder = std::path::absolute(folder).unwrap_or_else(|_| folder.to_path_buf());
        let key = xxhash_rust::xxh3::xxh3_64(folder.as_os_str().as_encoded_bytes());
        let file = self.dir.join(format!("{key:016x}.bin"));
        let entries = std::fs::read(&file)
            .ok()
            .and_then(|bytes| postcard::from_bytes::<Stored>(&bytes).ok())
            .filter(|stored| stored.identity == self.identity && stored.folder == folder)
            .map(|stored| stored.entries.into_iter().collect())
            .unwrap_or_default();
        Arc::new(Folder {
            cache_dir: self.dir.clone(),
            file,
            folder,
            identity: self.identity,
            entries,
            changed: Mutex::new(Vec::new()),
        })
    }
}

/// The default cache folder: `$ARCHIVE_LSP_CACHE_DIR`, else the user's cache folder.
fn default_dir() -> Option<PathBuf> {
    let var = |name| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = var(DIR_VARIABLE) {
        return Some(PathBuf::from(dir));
    }
    let base = var("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| var("HOME").map(|home| Path::new(&home).join(".cache")))?;
    Some(base.join("archive-lsp"))
}

/// This checker's identity: its version and its executable's size and modification time.
/// A rebuild (even of the same version) changes it.
fn identity() -> Option<u64> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(exe).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    let key = format!(
        "{}:{}:{}",
        env!("CARGO_PKG_VERSION"),
        meta.len(),
        modified.as_nanos()
    );
    Some(xxhash_rust::xxh3::xxh3_64(key.as_bytes()))
}

/// The hash of a file's settings, as entries are keyed by it.
pub fn settings_key(settings: &Settings) -> u64 {
    xxhash_rust::xxh3::xxh3_64(format!("{settings:?}").as_bytes())
}

/// The hash of a file's bytes, as entries are keyed by it.
pub fn content_key(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// What one cache file holds.
#[derive(Serialize, Deserialize)]
struct Stored {
    identity: u64,
    /// The checked folder (two folders whose paths hash alike never share entries).
    folder: PathBuf,
    entries: Vec<(String, Entry)>,
}

/// The cached result of one file.
#[derive(Serialize, Deserialize, Clone)]
pub struct Entry {
    content: u128,
    settings: u64,
    /// Diagnostics of this severity and above are kept; `None`: none are (a
    /// `--statistics` run).
    kept: Option<Severity>,
    /// Every diagnostic counted: (code, severity, how many).
    counts: Vec<(Code, Severity, u32)>,
    diagnostics: Vec<Diagnostic>,
}

impl Entry {
    /// The entry of a file just checked: `diagnostics` all it found, of which those at
    /// `keep` and above are kept.
    pub fn new(
        content: u128,
        settings: u64,
        keep: Option<Severity>,
        diagnostics: &[Diagnostic],
    ) -> Entry {
        let mut counts: Vec<(Code, Severity, u32)> = Vec::new();
        for d in diagnostics {
            match counts
                .iter_mut()
                .find(|(c, s, _)| (*c, *s) == (d.code, d.severity))
            {
                Some(row) => row.2 += 1,
                None => counts.push((d.code, d.severity, 1)),
            }
        }
        let kept = diagnostics
            .iter()
            .filter(|d| keep.is_some_and(|k| d.severity <= k))
            .cloned()
            .collect();
        Entry {
            content,
            settings,
            kept: keep,
            counts,
            diagnostics: kept,
        }
    }

    /// Every diagnostic counted: (code, severity, how many).
    pub fn counts(&self) -> &[(Code, Severity, u32)] {
        &self.counts
    }

    /// The kept diagnostics (those of the kept severities, in the checker's order).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Whether every kept range fits `text`, the file's text (the cache file is untrusted:
    /// a range that does not would make no sense of the text, or worse).
    pub fn fits(&self, text: &str) -> bool {
        let fits = |span: &std::ops::Range<usize>| {
            span.start <= span.end
                && text.is_char_boundary(span.start)
                && text.is_char_boundary(span.end)
        };
        self.diagnostics
            .iter()
            .all(|d| fits(&d.span) && d.related.iter().all(|r| fits(&r.span)))
    }
}

/// The cached entries of one folder, and the entries of its files checked in this run.
/// Written back when dropped (when the walk has left the folder and its last file is done).
pub struct Folder {
    cache_dir: PathBuf,
    file: PathBuf,
    folder: PathBuf,
    identity: u64,
    entries: HashMap<String, Entry>,
    changed: Mutex<Vec<(String, Entry)>>,
}

impl Folder {
    /// The entry of file `name` if it answers for these bytes (`content`) and settings, in
    /// a run that shows diagnostics down to `need` (`None`: shows none).
    pub fn get(
        &self,
        name: &str,
        content: u128,
        settings: u64,
        need: Option<Severity>,
    ) -> Option<&Entry> {
        let entry = self.entries.get(name)?;
        (entry.content == content
            && entry.settings == settings
            && need.is_none_or(|need| entry.kept.is_some_and(|kept| kept >= need)))
        .then_some(entry)
    }

    /// Records the entry of file `name`, checked in this run.
    pub fn put(&self, name: String, entry: Entry) {
        self.changed
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push((name, entry));
    }

    /// Writes the folder's cache file if this run changed an entry: the old entries of
    /// files that still exist, with this run's over them. Atomic (a temporary file renamed
    /// over the old one), so a reader sees the old or the new file, never a mix.
    fn save(&mut self) -> std::io::Result<()> {
        let changed = std::mem::take(
            self.changed
                .get_mut()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        );
        if changed.is_empty() {
            return Ok(());
        }
        let mut entries = std::mem::take(&mut self.entries);
        for (name, entry) in changed {
            entries.insert(name, entry);
        }
        entries.retain(|name, _| self.folder.join(name).is_file());
        let mut entries: Vec<(String, Entry)> = entries.into_iter().collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let stored = Stored {
            identity: self.identity,
            folder: std::mem::take(&mut self.folder),
            entries,
        };
        let bytes = postcard::to_stdvec(&stored).map_err(std::io::Error::other)?;
        std::fs::create_dir_all(&self.cache_dir)?;
        mark_cache_dir(&self.cache_dir);
        static SEQ: AtomicUsize = AtomicUsize::new(0);
        let temp = self.file.with_extension(format!(
            "{}-{}.tmp",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        let written =
            std::fs::write(&temp, bytes).and_then(|()| std::fs::rename(&temp, &self.file));
        if written.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        written
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        // A cache that cannot be written costs the next run its speed, nothing else.
        let _ = self.save();
    }
}

/// Tags the cache folder as a cache (https://bford.info/cachedir/), so that backup tools
/// leave it out.
fn mark_cache_dir(dir: &Path) {
    let tag = dir.join("CACHEDIR.TAG");
    if !tag.exists() {
        let _ = std::fs::write(
            tag,
            "Signature: 8a477f597d28d172789f06886806bc55\n\
             # This folder is the results cache of `archive-lsp check`; it can be deleted.\n",
        );
    }
}

/// The folders of the walk whose caches are open: the folder of the last file and those
/// above it (the walk goes depth first, so a folder's files may resume after a subfolder's).
#[derive(Default)]
pub struct Open {
    stack: Vec<(PathBuf, Arc<Folder>)>,
    settings: Option<(Arc<Settings>, u64)>,
}

impl Open {
    /// The cache of the folder of the file at `path`, opened if needed; folders the walk
    /// has left are closed (written back once their last file is done).
    pub fn folder_of(&mut self, cache: &Cache, path: &Path) -> Arc<Folder> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        // (Paths compare component by component: the folder of the last file is first
        // compared as bytes.)
        if let Some((top, folder)) = self.stack.last() {
            if top.as_os_str() == dir.as_os_str() {
                return folder.clone();
            }
        }
        while let Some((top, _)) = self.stack.last() {
            if dir.starts_with(top) {
                break;
            }
            self.stack.pop();
        }
        match self.stack.last() {
            Some((top, folder)) if top == dir => folder.clone(),
            _ => {
                let folder = cache.folder(dir);
                self.stack.push((dir.to_path_buf(), folder.clone()));
                folder
            }
        }
    }

    /// [`settings_key`] of `settings`, computed once for each run of files sharing them.
    pub fn settings_key(&mut self, settings: &Arc<Settings>) -> u64 {
        match &self.settings {
            Some((last, key)) if Arc::ptr_eq(last, settings) => *key,
            _ => {
                let key = settings_key(settings);
                self.settings = Some((settings.clone(), key));
                key
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnostic(code: Code, severity: Severity, span: std::ops::Range<usize>) -> Diagnostic {
        let mut d = Diagnostic::new(code, span, "m".into());
        d.severity = severity;
        d
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("archive-lsp-cache-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn entries_survive_a_round_trip_and_answer_only_for_their_key() {
        let root = temp_dir("round-trip");
        let (cache_dir, checked) = (root.join("cache"), root.join("docs"));
        std::fs::create_dir_all(&checked).unwrap();
        std::fs::write(checked.join("a.md"), "x").unwrap();
        std::fs::write(checked.join("gone.md"), "x").unwrap();
        let cache = Cache::open(Some(cache_dir.clone())).unwrap();
        let diagnostics = [
            diagnostic(Code::DateMismatch, Severity::Error, 0..1),
            diagnostic(Code::Indentation, Severity::Hint, 1..1),
            diagnostic(Code::Indentation, Severity::Hint, 0..0),
        ];
        {
            let folder = cache.folder(&checked);
            let entry = Entry::new(7, 9, Some(Severity::Warning), &diagnostics);
            assert_eq!(entry.diagnostics().len(), 1);
            assert!(entry
                .counts()
                .contains(&(Code::Indentation, Severity::Hint, 2)));
            folder.put("a.md".into(), entry.clone());
            folder.put("gone.md".into(), entry);
            std::fs::remove_file(checked.join("gone.md")).unwrap();
        } // dropped: written
        assert!(cache_dir.join("CACHEDIR.TAG").is_file());
        let folder = cache.folder(&checked);
        assert!(folder.get("gone.md", 7, 9, None).is_none());
        let need = Some(Severity::Warning);
        let entry = folder.get("a.md", 7, 9, need).unwrap();
        assert_eq!(entry.diagnostics(), &diagnostics[..1]);
        assert!(
            entry.fits("x") && !entry.fits(""),
            "the range must fit the text"
        );
        assert!(!entry.fits("é"), "and fall on character boundaries");
        assert!(folder.get("a.md", 7, 9, None).is_some());
        assert!(folder.get("a.md", 8, 9, need).is_none(), "other bytes");
        assert!(folder.get("a.md", 7, 1, need).is_none(), "other settings");
        let more = Some(Severity::Hint);
        assert!(folder.get("a.md", 7, 9, more).is_none(), "hints not kept");
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn a_damaged_or_foreign_cache_file_is_an_empty_cache() {
        let root = temp_dir("damaged");
        let cache = Cache::open(Some(root.join("cache"))).unwrap();
        std::fs::write(root.join("a.md"), "x").unwrap();
        {
            let folder = cache.folder(&root);
            let entry = Entry::new(1, 2, Some(Severity::Hint), &[]);
            folder.put("a.md".into(), entry);
        }
        let file = std::fs::read_dir(root.join("cache"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "bin"))
            .unwrap();
        assert!(cache.folder(&root).get("a.md", 1, 2, None).is_some());
        let good = std::fs::read(&file).unwrap();
        for cut in [0, 1, good.len() / 2, good.len() - 1] {
            std::fs::write(&file, &good[..cut]).unwrap();
            assert!(cache.folder(&root).entries.is_empty());
        }
        std::fs::write(&file, vec![0xff; 64]).unwrap();
        assert!(cache.folder(&root).entries.is_empty());
        let other = Cache {
            identity: cache.identity ^ 1,
            dir: cache.dir.clone(),
        };
        std::fs::write(&file, &good).unwrap();
        assert!(other.folder(&root).entries.is_empty(), "another checker's");
        let _ = std::fs::remove_dir_all(&root);
    }
}
