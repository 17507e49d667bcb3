//! Which files are archive documents: the format's rule, shared by the checker's walk
//! (`check`, `fmt`) and the workspace index's scan, so both find the same files.

use std::path::Path;

/// Whether `bytes`, the content of a file with this name, is an archive document by the
/// format's rule: a `.txt`/`.md` with a `<hr />` line later followed by an `Original:`
/// line (trailing blanks allowed on both), or a `.txt` whose first line (after a BOM)
/// starts with `Title:`.
///
/// Runs over every candidate file of a folder, so it scans bytes (SIMD substring search)
/// rather than decoding lines.
pub fn is_archive_document(path: &Path, bytes: &[u8]) -> bool {
    if !is_candidate(path) {
        return false;
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let body = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    if ext == "txt" && body.starts_with(b"Title:") {
        return true;
    }
    match find_line(body, b"<hr />", 0) {
        Some(after) => find_line(body, b"Original:", after).is_some(),
        None => false,
    }
}

/// Whether a file found in a folder may be an archive document by its name (`.txt` or
/// `.md`): the files a walk reads to decide.
pub fn is_candidate(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("txt" | "md")
    )
}

/// The end of the first line at or after `from` whose content is `word` followed only by
/// blanks (Unicode white space, as `str::trim_end`). Lines end at `\n` or `\r`.
fn find_line(bytes: &[u8], word: &[u8], from: usize) -> Option<usize> {
    for at in memchr::memmem::find_iter(&bytes[from..], word).map(|i| from + i) {
        let starts_line = at == 0 || matches!(bytes[at - 1], b'\n' | b'\r');
        if !starts_line {
            continue;
        }
        let rest = &bytes[at + word.len()..];
        let end = memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len());
        let tail = &rest[..end];
        let blank = tail.iter().all(|b| matches!(b, b' ' | b'\t' | 0x0b | 0x0c))
            || std::str::from_utf8(tail).is_ok_and(|t| t.trim_end().is_empty());
        if blank {
            return Some(at + word.len() + end);
        }
    }
    None
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
        // Whole lines only, trailing blanks (even U+3000) allowed, CR and CRLF breaks.
        assert!(!is_archive_document(
            Path::new("a.md"),
            b"x <hr />\n Original:\n"
        ));
        assert!(!is_archive_document(
            Path::new("a.md"),
            b"<hr />x\nOriginal:\n"
        ));
        assert!(is_archive_document(
            Path::new("a.md"),
            "<hr />\u{3000}\r\rOriginal:\t\r\n".as_bytes()
        ));
        assert!(is_archive_document(
            Path::new("a.md"),
            b"<hr />x\n<hr />\nOriginal:"
        ));
        assert!(!is_archive_document(
            Path::new("a.md"),
            b"<hr />\xff\nOriginal:\n"
        ));
    }
}
