//! Finding the archive documents under the paths given on the command line, in path order.

use std::path::{Path, PathBuf};

// One detection rule for the checker and the workspace index.
pub use crate::workspace::detect::{is_archive_document, is_candidate};

/// What the walk finds, in path order.
pub enum Entry {
    /// A file named on the command line: always checked.
    Named(PathBuf),
    /// A `.txt` or `.md` file found in a folder: checked if it is an archive document.
    Found(PathBuf),
    /// Something that could not be read, with the reason.
    Unreadable(PathBuf, String),
}

/// Expands the command-line paths, handing each entry to `each` in order: the paths sorted
/// (component by component, as [`Path`] orders them), a folder's files in the same order
/// (symlinks followed, loops reported). Only names and metadata are read here; reading the
/// files is left to the workers.
pub fn walk(paths: &[PathBuf], mut each: impl FnMut(Entry)) {
    let mut paths: Vec<&PathBuf> = paths.iter().collect();
    paths.sort();
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) => each(Entry::Unreadable(path.clone(), e.to_string())),
            Ok(m) if m.is_dir() => walk_dir(path, &mut each),
            Ok(_) => each(Entry::Named(path.clone())),
        }
    }
}

/// The files of folder `root` and of its subfolders, depth first, each folder's entries
/// sorted by name (files and subfolders together, as `ls` lists them).
///
/// Written on `read_dir` rather than a walking crate so that a file costs no system call of
/// its own: its type comes with the folder's listing, and only symbolic links and folders
/// are looked up (a folder by its device and inode, to stop at a link back to a folder
/// being walked).
fn walk_dir(root: &Path, each: &mut impl FnMut(Entry)) {
    let mut ancestors = Vec::new();
    visit(root, &mut ancestors, each);
}

fn visit(dir: &Path, ancestors: &mut Vec<Option<(u64, u64)>>, each: &mut impl FnMut(Entry)) {
    match std::fs::metadata(dir) {
        Ok(m) => {
            let id = folder_id(&m);
            if id.is_some() && ancestors.contains(&id) {
                each(Entry::Unreadable(
                    dir.to_path_buf(),
                    "symbolic link loop".into(),
                ));
                return;
            }
            ancestors.push(id);
        }
        Err(e) => return each(Entry::Unreadable(dir.to_path_buf(), e.to_string())),
    }
    let listing = match std::fs::read_dir(dir) {
        Ok(listing) => listing,
        Err(e) => {
            each(Entry::Unreadable(dir.to_path_buf(), e.to_string()));
            ancestors.pop();
            return;
        }
    };
    let mut items = Vec::new();
    for item in listing {
        match item.and_then(|i| Ok((i.file_name(), i.file_type()?))) {
            Ok(item) => items.push(item),
            Err(e) => each(Entry::Unreadable(dir.to_path_buf(), e.to_string())),
        }
    }
    items.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (name, kind) in items {
        let path = dir.join(&name);
        let (is_dir, is_file) = if kind.is_symlink() {
            match std::fs::metadata(&path) {
                Ok(m) => (m.is_dir(), m.is_file()),
                Err(e) => {
                    each(Entry::Unreadable(path, e.to_string()));
                    continue;
                }
            }
        } else {
            (kind.is_dir(), kind.is_file())
        };
        if is_dir {
            visit(&path, ancestors, each);
        } else if is_file && is_candidate(&path) {
            each(Entry::Found(path));
        }
    }
    ancestors.pop();
}

/// A folder's identity: its device and inode (on other systems, none: loops through links
/// are then not detected).
fn folder_id(m: &std::fs::Metadata) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = m;
        None
    }
}
