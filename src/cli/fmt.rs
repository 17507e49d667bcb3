//! `archive-lsp fmt`: formats files in place (or, with `--check` and `--diff`, says what
//! would change), finding them as `check` does.
//!
//! The walk, the workers and the in-order output are `check`'s ([`walk`], [`ordered`]);
//! each worker reads, formats ([`crate::fix::format`]) and writes its file atomically
//! ([`Writer`]). Exit status: 0 when done (files left alone are named on stderr), 1 with
//! `--check` or `--diff` when some file would change, 2 when a path could not be read,
//! was not UTF-8, or could not be written (the other files are still done).

use super::pipeline::{ordered, Budget};
use super::walk::{is_archive_document, walk, Entry};
use super::write::{read, Writer};
use crate::fix::format::formatted;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// The options of one `fmt` run.
#[derive(Debug)]
pub struct FmtOptions {
    pub paths: Vec<PathBuf>,
    /// Write nothing; list the files that would change.
    pub check: bool,
    /// Write nothing; print a unified diff of each file that would change.
    pub diff: bool,
    pub threads: usize,
}

/// What became of one path.
enum Outcome {
    Formatted,
    Unchanged,
    /// Would change (`--check`, `--diff`): the diff when asked for.
    WouldChange(Option<String>),
    /// A folder's file that is not an archive document.
    Skipped,
    /// An archive document whose layout is not sure: named on stderr, not an error.
    LeftAlone(String),
    /// Unreadable, not UTF-8, or not written: an error (exit status 2).
    Failed(String),
}

/// Bytes of files formatted at once (a larger file is formatted alone), as in `check`.
const BUDGET: u64 = 16 << 20;

pub fn run(options: FmtOptions) -> ExitCode {
    let writer = Writer::default();
    let budget = Budget::new(BUDGET);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let (mut formatted_n, mut unchanged, mut would, mut left, mut failed) = (0, 0, 0, 0, 0);
    let mut write_error = None;
    ordered(
        options.threads,
        256,
        |each| walk(&options.paths, each),
        |entry| process(entry, &options, &writer, &budget),
        |(path, outcome)| {
            let shown = path.display();
            match outcome {
                Outcome::Formatted => formatted_n += 1,
                Outcome::Unchanged => unchanged += 1,
                Outcome::Skipped => {}
                Outcome::WouldChange(diff) => {
                    would += 1;
                    let r = match diff {
                        Some(d) => out.write_all(d.as_bytes()),
                        None => writeln!(out, "{shown}"),
                    };
                    if let Err(e) = r {
                        write_error.get_or_insert(e);
                    }
                }
                Outcome::LeftAlone(why) => {
                    left += 1;
                    eprintln!("archive-lsp: left {shown} as it is: {why}");
                }
                Outcome::Failed(why) => {
                    failed += 1;
                    eprintln!("archive-lsp: cannot format {shown}: {why}");
                }
            }
        },
    );
    if let Err(e) = out.flush() {
        write_error.get_or_insert(e);
    }
    let files = |n: usize| if n == 1 { "file" } else { "files" };
    let mut summary = if options.check || options.diff {
        format!(
            "{would} {} would be formatted, {unchanged} already formatted",
            files(would)
        )
    } else {
        format!(
            "{formatted_n} {} formatted, {unchanged} already formatted",
            files(formatted_n)
        )
    };
    if left > 0 {
        summary.push_str(&format!(", {left} left as they are"));
    }
    if failed > 0 {
        summary.push_str(&format!(", {failed} failed"));
    }
    eprintln!("{summary}");
    if let Some(e) = write_error {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("archive-lsp: cannot write the output: {e}");
        }
        return ExitCode::from(2);
    }
    if failed > 0 {
        ExitCode::from(2)
    } else if would > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Reads, formats and writes one path (on a worker thread).
fn process(
    entry: Entry,
    options: &FmtOptions,
    writer: &Writer,
    budget: &Budget,
) -> (PathBuf, Outcome) {
    let (path, named) = match entry {
        Entry::Unreadable(path, why) => return (path, Outcome::Failed(why)),
        Entry::Named(path) => (path, true),
        Entry::Found(path) => (path, false),
    };
    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
    let _held = budget.take(size);
    let (bytes, stamp) = match read(&path) {
        Ok(r) => r,
        Err(e) => return (path, Outcome::Failed(e.to_string())),
    };
    if !named && !is_archive_document(&path, &bytes) {
        return (path, Outcome::Skipped);
    }
    let text = match crate::text::into_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let why = format!("not UTF-8 (invalid byte at offset {at}); never written");
            return (path, Outcome::Failed(why));
        }
    };
    let new = match formatted(&text) {
        Ok(new) => new,
        Err(why) => return (path, Outcome::LeftAlone(why.to_string())),
    };
    let outcome = if new == text {
        Outcome::Unchanged
    } else if options.diff {
        Outcome::WouldChange(Some(unified_diff(&path, &text, &new)))
    } else if options.check {
        Outcome::WouldChange(None)
    } else {
        match writer.write(&path, &stamp, new.as_bytes()) {
            Ok(()) => Outcome::Formatted,
            Err(e) => Outcome::Failed(e.to_string()),
        }
    };
    (path, outcome)
}

/// A unified diff of one file's old and new text, both named by its path.
pub fn unified_diff(path: &std::path::Path, old: &str, new: &str) -> String {
    let name = path.display().to_string();
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&name, &name)
        .to_string()
}
