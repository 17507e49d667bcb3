//! Finding the archive documents under the paths given on the command line.

use std::path::{Path, PathBuf};

/// Whether `bytes`, the content of a file with this name, is an archive document by the
/// format's rule: a `.txt`/`.md` with a `<hr />` line later followed by an `Original:`
/// line, or a `.txt` whose first line starts with `Title:`.
pub fn is_archive_document(path: &Path, bytes: &[u8]) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if !matches!(ext, "txt" | "md") {
        return false;
    }
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if ext == "txt" && text.starts_with("Title:") {
        return true;
    }
    let mut seen_hr = false;
    for line in text.split(['\n', '\r']) {
        let line = line.trim_end();
        if line == "<hr />" {
            seen_hr = true;
        } else if seen_hr && line == "Original:" {
            return true;
        }
    }
    false
}

/// A file to check, or a path that could not be read.
pub enum Entry {
    /// A file and its bytes.
    File(PathBuf, Vec<u8>),
    /// Something that could not be read, with the reason.
    Unreadable(PathBuf, String),
}

/// Expands the command-line paths, handing each entry to `each` as soon as it is read (so
/// that only one file is in memory at a time): files named are always taken; folders are
/// walked recursively (symlinks followed, loops reported) for archive documents.
pub fn collect(paths: &[String], mut each: impl FnMut(Entry)) {
    for p in paths {
        let path = PathBuf::from(p);
        match std::fs::metadata(&path) {
            Err(e) => each(Entry::Unreadable(path, e.to_string())),
            Ok(m) if m.is_dir() => walk_dir(&path, &mut each),
            Ok(_) => match std::fs::read(&path) {
                Ok(bytes) => each(Entry::File(path, bytes)),
                Err(e) => each(Entry::Unreadable(path, e.to_string())),
            },
        }
    }
}

fn walk_dir(root: &Path, each: &mut impl FnMut(Entry)) {
    for item in walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = match item {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().unwrap_or(root).to_path_buf();
                let reason = if e.loop_ancestor().is_some() {
                    "symbolic link loop".to_owned()
                } else {
                    e.io_error()
                        .map_or_else(|| e.to_string(), ToString::to_string)
                };
                each(Entry::Unreadable(path, reason));
                continue;
            }
        };
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str());
        if !entry.file_type().is_file() || !matches!(ext, Some("txt" | "md")) {
            continue;
        }
        match std::fs::read(path) {
            Ok(bytes) if is_archive_document(path, &bytes) => {
                each(Entry::File(path.to_path_buf(), bytes))
            }
            Ok(_) => {}
            Err(e) => each(Entry::Unreadable(path.to_path_buf(), e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_files() {
        let doc = b"Title: x\n<hr /> \n\nOriginal: \n";
        assert!(is_archive_document(Path::new("a.md"), doc));
        assert!(is_archive_document(
            Path::new("a.txt"),
            b"\xef\xbb\xbfTitle: x\n"
        ));
        assert!(!is_archive_document(Path::new("a.md"), b"Title: x\n"));
        assert!(!is_archive_document(Path::new("a.rs"), doc));
        assert!(!is_archive_document(
            Path::new("a.md"),
            b"Original: \n<hr />\n"
        ));
    }
}
