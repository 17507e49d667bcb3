//! Writing a file's new text atomically, for `fmt` and `check --fix`.
//!
//! The new text goes to a temporary file in the file's own folder (so the rename stays on
//! one file system), is flushed to disk, given the file's permissions (and owner, where we
//! may), then renamed over the file, and the folder is flushed: a reader, or a run killed
//! at any moment, sees the file wholly old or wholly new. The temporary file is hidden and
//! ends in `.tmp` (`.NAME.archive-lsp-PID-N.tmp`), so no walk picks it up; one left by a
//! killed run is removed by the next run that writes into that folder (its process gone).
//!
//! Before writing, the file must be as it was read (same size, modification time and
//! inode), have a write bit, and sit in a folder with one: mode bits are checked, not only
//! what the system allows, since as root (CI) a write would succeed and the rename would
//! silently replace a read-only file.

use std::collections::HashSet;
use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::SystemTime;

/// What identifies a file's content as read: size, modification time, inode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    inode: Option<(u64, u64)>,
}

impl Stamp {
    /// The stamp of a file's metadata.
    pub fn of(m: &Metadata) -> Stamp {
        #[cfg(unix)]
        let inode = {
            use std::os::unix::fs::MetadataExt;
            Some((m.dev(), m.ino()))
        };
        #[cfg(not(unix))]
        let inode = None;
        Stamp {
            len: m.len(),
            modified: m.modified().ok(),
            inode,
        }
    }
}

/// Reads a file with the stamp it had when read (taken from the open file, so the two
/// agree).
pub fn read(path: &Path) -> io::Result<(Vec<u8>, Stamp)> {
    read_within(path, |_| ()).map(|(bytes, stamp, ())| (bytes, stamp))
}

/// [`read`], calling `before` with the file's size once it is open and before its bytes
/// are read, and handing back what `before` returned (a share of a budget of bytes in
/// memory, say, to hold while the bytes are worked on).
pub fn read_within<G>(
    path: &Path,
    before: impl FnOnce(u64) -> G,
) -> io::Result<(Vec<u8>, Stamp, G)> {
    use std::io::Read;
    let file = File::open(path)?;
    let stamp = Stamp::of(&file.metadata()?);
    let held = before(stamp.len);
    let mut bytes = Vec::with_capacity(usize::try_from(stamp.len).unwrap_or(0).saturating_add(1));
    // Through `take`, so that the standard library does not ask the file's size and
    // position again (two more system calls per file); the limit is the size known plus
    // one byte, and a file that grew is read to its end all the same.
    let mut limited = (&file).take(stamp.len.saturating_add(1));
    limited.read_to_end(&mut bytes)?;
    if limited.limit() == 0 {
        (&file).read_to_end(&mut bytes)?;
    }
    Ok((bytes, stamp, held))
}

/// Why a file was not written. The messages say what to do.
#[derive(Debug)]
pub enum WriteError {
    /// The file changed on disk since it was read.
    Changed,
    /// The file has no write permission bit.
    ReadOnlyFile,
    /// The folder has no write permission bit, or refuses the temporary file.
    ReadOnlyFolder(PathBuf),
    /// Anything else the system said.
    Io(io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Changed => f.write_str(
                "it changed on disk since it was read (size or modification time); not overwritten, run again",
            ),
            WriteError::ReadOnlyFile => {
                f.write_str("the file is read-only (no write permission); not written")
            }
            WriteError::ReadOnlyFolder(dir) => write!(
                f,
                "its folder {} is not writable (the new text is written beside the file, then renamed over it); not written",
                dir.display()
            ),
            WriteError::Io(e) => write!(f, "{e}; not written"),
        }
    }
}

impl From<io::Error> for WriteError {
    fn from(e: io::Error) -> WriteError {
        WriteError::Io(e)
    }
}

/// Writes files atomically; shared by the workers of one run.
#[derive(Debug, Default)]
pub struct Writer {
    /// Folders already cleaned of temporary files left by killed runs.
    cleaned: Mutex<HashSet<PathBuf>>,
}

/// A process-wide counter, so that two writes of one run never share a temporary name.
static NEXT: AtomicU64 = AtomicU64::new(0);

const TAG: &str = ".archive-lsp-";

/// The bytes of the file's name kept in its temporary file's name (the rest, with a
/// process id and a counter, takes under 50).
const MAX_NAME_PART: usize = 180;

impl Writer {
    /// Replaces the content of `path` (read with `stamp`) by `bytes`, atomically; see the
    /// module comment. A symbolic link is written through: its target is replaced.
    pub fn write(&self, path: &Path, stamp: &Stamp, bytes: &[u8]) -> Result<(), WriteError> {
        let path = fs::canonicalize(path)?;
        let dir = path.parent().unwrap_or(Path::new("/")).to_path_buf();
        let meta = fs::metadata(&path)?;
        if Stamp::of(&meta) != *stamp {
            return Err(WriteError::Changed);
        }
        if !writable(&meta) || OpenOptions::new().write(true).open(&path).is_err() {
            return Err(WriteError::ReadOnlyFile);
        }
        if !writable(&fs::metadata(&dir)?) {
            return Err(WriteError::ReadOnlyFolder(dir));
        }
        self.clean(&dir);

        let mut name = path
            .file_name()
            .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
        // Names are at most 255 bytes, and titles in Han take three a character: the file's
        // name is cut so that the temporary one always fits.
        let mut cut = name.len().min(MAX_NAME_PART);
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        name.truncate(cut);
        let temp = dir.join(format!(
            ".{name}{TAG}{}-{}.tmp",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let file = match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                return Err(WriteError::ReadOnlyFolder(dir))
            }
            Err(e) => return Err(e.into()),
        };
        let result = fill(file, &meta, bytes).and_then(|()| {
            // The last moment to notice a change: the rename follows at once.
            if Stamp::of(&fs::metadata(&path)?) != *stamp {
                return Err(WriteError::Changed);
            }
            fs::rename(&temp, &path)?;
            Ok(())
        });
        if result.is_err() {
            let _ = fs::remove_file(&temp);
            return result;
        }
        // The rename is durable once the folder is flushed (not possible everywhere).
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }

    /// Removes, once per folder and run, the temporary files that runs killed before their
    /// rename left there (their process is gone). Only on systems with `/proc`; elsewhere
    /// they stay, hidden and ignored by every walk.
    fn clean(&self, dir: &Path) {
        let proc = Path::new("/proc/self");
        if !proc.exists() {
            return;
        }
        {
            let mut cleaned = self.cleaned.lock().unwrap_or_else(|e| e.into_inner());
            if !cleaned.insert(dir.to_path_buf()) {
                return;
            }
        }
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        let me = std::process::id();
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(pid) = name.to_str().and_then(temp_owner) else {
                continue;
            };
            if pid != me && !Path::new("/proc").join(pid.to_string()).exists() {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// The process id in a temporary file's name `.NAME.archive-lsp-PID-N.tmp`, if it is one.
fn temp_owner(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let at = rest.rfind(TAG)?;
    let (pid, n) = rest[at + TAG.len()..].split_once('-')?;
    n.parse::<u64>().ok()?;
    pid.parse().ok()
}

/// Writes `bytes` to the new temporary file, with the original's permissions and owner,
/// and flushes it to disk.
fn fill(mut file: File, original: &Metadata, bytes: &[u8]) -> Result<(), WriteError> {
    file.write_all(bytes)?;
    file.set_permissions(original.permissions())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let mine = file.metadata()?;
        if (mine.uid(), mine.gid()) != (original.uid(), original.gid()) {
            // Only root may give a file away; others keep their own (as any editor does).
            let _ = std::os::unix::fs::fchown(&file, Some(original.uid()), Some(original.gid()));
        }
    }
    file.sync_all()?;
    Ok(())
}

/// Whether the mode has a write bit (for its owner, group or others).
fn writable(m: &Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        m.permissions().mode() & 0o222 != 0
    }
    #[cfg(not(unix))]
    {
        !m.permissions().readonly()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("archive-lsp-write-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn writes_keep_permissions_and_leave_no_temporary_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = temp_dir("ok");
        let path = dir.join("a.md");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        let (_, stamp) = read(&path).unwrap();
        Writer::default().write(&path, &stamp, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_not_overwritten() {
        let dir = temp_dir("changed");
        let path = dir.join("a.md");
        fs::write(&path, "old").unwrap();
        let (_, stamp) = read(&path).unwrap();
        // Another size.
        fs::write(&path, "edited").unwrap();
        let e = Writer::default().write(&path, &stamp, b"new").unwrap_err();
        assert!(matches!(e, WriteError::Changed), "{e}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "edited");
        // The same size, another modification time.
        let (_, stamp) = read(&path).unwrap();
        fs::write(&path, "EDITED").unwrap();
        let later = SystemTime::now() + std::time::Duration::from_secs(5);
        File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(later)
            .unwrap();
        let e = Writer::default().write(&path, &stamp, b"new").unwrap_err();
        assert!(matches!(e, WriteError::Changed), "{e}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "EDITED");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn read_only_files_and_folders_are_refused_even_as_root() {
        use std::os::unix::fs::PermissionsExt;
        let dir = temp_dir("ro");
        let path = dir.join("a.md");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
        let (_, stamp) = read(&path).unwrap();
        let e = Writer::default().write(&path, &stamp, b"new").unwrap_err();
        assert!(matches!(e, WriteError::ReadOnlyFile), "{e}");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        let (_, stamp) = read(&path).unwrap();
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o555)).unwrap();
        let e = Writer::default().write(&path, &stamp, b"new").unwrap_err();
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        assert!(matches!(e, WriteError::ReadOnlyFolder(_)), "{e}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_long_han_name_still_gets_its_temporary_file() {
        let dir = temp_dir("long");
        // 80 Han characters: 240 bytes, with `.md` 243 (a name may have 255).
        let path = dir.join(format!("{}.md", "热".repeat(80)));
        fs::write(&path, "old").unwrap();
        let (_, stamp) = read(&path).unwrap();
        Writer::default().write(&path, &stamp, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn temporary_files_of_dead_runs_are_cleaned() {
        assert_eq!(temp_owner(".a.md.archive-lsp-123-4.tmp"), Some(123));
        assert_eq!(temp_owner("a.md"), None);
        assert_eq!(temp_owner(".a.md.archive-lsp-x-4.tmp"), None);
        let dir = temp_dir("clean");
        let path = dir.join("a.md");
        fs::write(&path, "old").unwrap();
        // No process has this id (above the kernel's maximum).
        let stale = dir.join(".a.md.archive-lsp-4294967295-0.tmp");
        let mine = dir.join(format!(
            ".b.md.archive-lsp-{}-999999.tmp",
            std::process::id()
        ));
        fs::write(&stale, "half").unwrap();
        fs::write(&mine, "in use").unwrap();
        let (_, stamp) = read(&path).unwrap();
        Writer::default().write(&path, &stamp, b"new").unwrap();
        assert!(!stale.exists());
        assert!(mine.exists());
        fs::remove_dir_all(&dir).unwrap();
    }
}
