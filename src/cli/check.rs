//! `archive-lsp check`: check files and folders in parallel, report in path order, and set
//! the exit status.
//!
//! One thread walks the paths in order and finds each file's settings; `--threads`
//! workers read, check and render files (at most [`BUDGET`] bytes of files at once, unless
//! one file is larger); the calling thread writes each file's rendered report as soon as
//! the files before it are written. Only what is shown is rendered (`--min-severity`), and
//! a file's text is dropped as soon as its report is rendered, so memory is bounded by the
//! files in flight, not by the folder.

use super::cache::{self, Cache};
use super::configs::{Resolved, Resolver};
use super::pipeline::{ordered, Budget};
use super::progress::Progress;
use super::report::{self, Counts, Located};
use super::walk::{is_archive_document, walk, Entry};
use super::write::{read_within, Writer};
use super::{sarif, Format, Options};
use crate::align::align;
use crate::check::{check_with, Diagnostic};
use crate::config::Settings;
use crate::syntax::{lines::split_lines, parse, Line};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Bytes of files checked at once (a file larger than this is checked alone).
const BUDGET: u64 = 16 << 20;

/// Files between the walk and the output: bounds the finished reports waiting for a slow
/// file before them.
const WINDOW: usize = 256;

/// One unit of work: a file (with its settings) or something to report on stderr.
enum Job {
    File {
        path: PathBuf,
        named: bool,
        settings: Resolved,
        /// The cache of the file's folder and the key of its settings (none with
        /// `--no-cache` or `--fix`).
        cache: Option<(Arc<cache::Folder>, u64)>,
    },
    Unreadable(PathBuf, String),
}

/// What `--fix` did to a file.
enum Fixed {
    /// Nothing (no `--fix`, or nothing to fix).
    Nothing,
    Written,
    /// The fixes could not be written: the file, and why.
    NotWritten(PathBuf, String),
    /// A file named on the command line whose content is no archive document (no
    /// `<hr />` … `Original:`): checked, as any named file, but never rewritten.
    NotADocument(PathBuf),
}

/// What a worker hands back for one job.
enum Outcome {
    /// An archive document checked: its rendered report and counts; with `--fix`, whether
    /// its fixes were written, or why they could not be.
    Checked {
        shown: String,
        counts: Counts,
        fix: Fixed,
    },
    /// `--fix --diff`: the diff of the fixes, if they change the file.
    Diff(Option<String>),
    /// A file of a folder that is not an archive document.
    Skipped,
    /// A path that could not be read.
    Unreadable(PathBuf, String),
    /// The file's configuration file is bad (reported once per file).
    BadConfig(Arc<crate::config::ConfigError>),
}

pub fn run(options: Options) -> ExitCode {
    if options.statistics && options.format == Format::Sarif {
        return super::usage_error(
            "`--statistics` has no SARIF form; use it with --format human, concise, github or json",
        );
    }
    let mut resolver = match Resolver::new(&options) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("archive-lsp: {e}");
            return ExitCode::from(2);
        }
    };

    return_large_allocations();
    let stdout = std::io::stdout();
    let mut out = Output {
        writer: BufWriter::with_capacity(1 << 16, stdout.lock()),
        error: None,
    };
    let mut progress = Progress::new(options.progress);
    let found = AtomicUsize::new(0);
    let budget = Budget::new(BUDGET);
    let writer = Writer::default();
    let mut fixed_files = 0usize;
    let mut diffs = 0usize;

    let mut files = 0usize;
    let mut done = 0usize;
    let mut totals = Counts::default();
    let mut failed = false; // exit status 2: an unreadable path or a bad configuration file
    let mut bad_configs = std::collections::HashSet::new();
    let mut pieces = 0usize; // files with something shown, for the JSON and SARIF separators

    // The JSON array opens with the first diagnostic (a clean report is `[]`); the SARIF
    // log is written around its results.
    let (sarif_head, sarif_tail) = match options.format {
        Format::Sarif if !options.diff => sarif::envelope(),
        _ => Default::default(),
    };
    out.write(sarif_head.as_bytes());

    // `--fix` rewrites files: its runs neither read nor fill the cache.
    let results_cache = match options.cache.as_ref().filter(|_| !options.fix) {
        Some(dir) => Cache::open(dir.clone()),
        None => None,
    };

    ordered(
        options.threads,
        WINDOW,
        |each| {
            // Dropped when the walk ends, so that the last folders' caches are written.
            let mut open = cache::Open::default();
            let mut file = |path: PathBuf, named: bool| {
                let settings = resolver.for_file(&path);
                let cache = match (&results_cache, &settings) {
                    (Some(c), Ok(s)) => Some((open.folder_of(c, &path), open.settings_key(s))),
                    _ => None,
                };
                Job::File {
                    path,
                    named,
                    settings,
                    cache,
                }
            };
            walk(&options.paths, |entry| {
                let job = match entry {
                    Entry::Unreadable(path, reason) => Job::Unreadable(path, reason),
                    Entry::Named(path) => file(path, true),
                    Entry::Found(path) => file(path, false),
                };
                found.fetch_add(1, Ordering::Relaxed);
                each(job);
            })
        },
        |job| process(job, &options, &budget, &writer),
        |outcome| {
            done += 1;
            match outcome {
                Outcome::Diff(diff) => {
                    files += 1;
                    if let Some(diff) = diff {
                        diffs += 1;
                        progress.suspend(|| out.write(diff.as_bytes()));
                    }
                }
                Outcome::Checked { shown, counts, fix } => {
                    files += 1;
                    match fix {
                        Fixed::Nothing => {}
                        Fixed::Written => fixed_files += 1,
                        Fixed::NotWritten(path, why) => {
                            failed = true;
                            progress.suspend(|| {
                                eprintln!("archive-lsp: cannot fix {}: {why}", path.display())
                            });
                        }
                        Fixed::NotADocument(path) => progress.suspend(|| {
                            eprintln!(
                                "archive-lsp: not fixing {}: not an archive document by its content (checked as it is)",
                                path.display()
                            )
                        }),
                    }
                    totals.merge(&counts);
                    if !shown.is_empty() {
                        let separator = match options.format {
                            Format::Json if pieces == 0 => "[\n",
                            Format::Json => ",\n",
                            Format::Sarif if pieces > 0 => sarif::SEPARATOR,
                            _ => "",
                        };
                        pieces += 1;
                        // With the bar on screen, output goes out with the bar cleared.
                        let visible = progress.visible();
                        progress.suspend(|| {
                            out.write(separator.as_bytes());
                            out.write(shown.as_bytes());
                            if visible {
                                out.flush();
                            }
                        });
                    }
                }
                Outcome::Skipped => {}
                Outcome::Unreadable(path, reason) => {
                    failed = true;
                    progress.suspend(|| {
                        eprintln!("archive-lsp: cannot read {}: {reason}", path.display())
                    });
                }
                Outcome::BadConfig(e) => {
                    failed = true;
                    if bad_configs.insert(e.to_string()) {
                        progress.suspend(|| {
                            eprintln!(
                                "archive-lsp: {e}\n  (the files this configuration governs are not checked)"
                            )
                        });
                    }
                }
            }
            progress.update(done, found.load(Ordering::Relaxed));
        },
    );
    progress.finish();

    if options.diff {
        // `--fix --diff` prints the diffs only: the status says whether a file would change.
        out.flush();
        eprintln!(
            "{files} {} checked: the safe fixes would change {diffs}",
            if files == 1 { "file" } else { "files" }
        );
        return if failed || out.error.is_some() {
            ExitCode::from(2)
        } else {
            ExitCode::from(u8::from(diffs > 0))
        };
    }
    if options.fix {
        eprintln!(
            "archive-lsp: fixed {fixed_files} {}",
            if fixed_files == 1 { "file" } else { "files" }
        );
    }

    let mut end = String::new();
    match (options.format, options.statistics) {
        (Format::Json, true) => {
            end.push_str(&report::statistics_json(&totals));
            end.push('\n');
        }
        (Format::Json, false) => end.push_str(if pieces == 0 { "[]\n" } else { "\n]\n" }),
        (Format::Sarif, _) => end.push_str(&sarif_tail),
        (_, statistics) => {
            if statistics {
                end.push_str(&report::statistics_table(&totals));
            }
            end.push_str(&report::summary_shown(
                files,
                totals.by_severity(),
                options.min_severity,
            ));
            end.push('\n');
        }
    }
    out.write(end.as_bytes());
    out.flush();
    if let Some(e) = out.error {
        // A closed pipe (`| head`) is not worth a message; the status still says it.
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("archive-lsp: cannot write the report: {e}");
        }
        return ExitCode::from(2);
    }

    if failed {
        ExitCode::from(2)
    } else if !options.exit_zero && totals.any_at_least(options.error_on) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Makes allocations of a megabyte or more map memory of their own, given back to the
/// system when freed. glibc otherwise raises this threshold after freeing a large block
/// and serves the next from the allocating thread's arena, which keeps it: with several
/// workers, each arena would hold a large file's worth of memory after checking one.
fn return_large_allocations() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; it is called before any worker
    // thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

/// Buffered stdout that remembers its first error and then writes nothing more.
struct Output<W: Write> {
    writer: BufWriter<W>,
    error: Option<std::io::Error>,
}

impl<W: Write> Output<W> {
    fn write(&mut self, bytes: &[u8]) {
        if self.error.is_none() {
            if let Err(e) = self.writer.write_all(bytes) {
                self.error = Some(e);
            }
        }
    }

    fn flush(&mut self) {
        if self.error.is_none() {
            if let Err(e) = self.writer.flush() {
                self.error = Some(e);
            }
        }
    }
}

/// Reads, fixes (`--fix`), checks and renders one job (on a worker thread).
fn process(job: Job, options: &Options, budget: &Budget, writer: &Writer) -> Outcome {
    let (path, named, settings, cache) = match job {
        Job::Unreadable(path, reason) => return Outcome::Unreadable(path, reason),
        Job::File {
            path,
            named,
            settings,
            cache,
        } => (path, named, settings, cache),
    };
    let settings = match settings {
        Ok(s) => s,
        Err(e) => return Outcome::BadConfig(e),
    };
    // The file's share of the budget is held until its report is rendered.
    let (mut bytes, stamp, _held) = match read_within(&path, |size| budget.take(size)) {
        Ok(r) => r,
        Err(e) => return Outcome::Unreadable(path, e.to_string()),
    };
    let document = is_archive_document(&path, &bytes);
    if !named && !document {
        return Outcome::Skipped;
    }
    let mut fix = Fixed::Nothing;
    if options.fix && !document {
        if options.diff {
            return Outcome::Diff(None);
        }
        fix = Fixed::NotADocument(path.clone());
    } else if let (true, Some(text)) = (options.fix, crate::text::utf8(&bytes)) {
        // (Non-UTF-8 files are never fixed: they are reported, `invalid-encoding`, as
        // they are.)
        let new = safe_fixes(text, &settings);
        if options.diff {
            return Outcome::Diff(
                (new != text).then(|| super::fmt::unified_diff(&path, text, &new)),
            );
        }
        if new != text {
            match writer.write(&path, &stamp, new.as_bytes()) {
                Ok(()) => {
                    fix = Fixed::Written;
                    bytes = new.into_bytes();
                }
                // The report is then of the file as it is on disk.
                Err(e) => fix = Fixed::NotWritten(path.clone(), e.to_string()),
            }
        }
    } else if options.diff {
        return Outcome::Diff(None);
    }
    let shown = path.display().to_string();
    // What the report needs of a file's diagnostics: those down to `--min-severity`, or
    // (`--statistics`) only their counts.
    let need = (!options.statistics).then_some(options.min_severity);
    let mut cached = None;
    if let Some((folder, settings_key)) = &cache {
        let name = path.file_name().and_then(|n| n.to_str());
        let content = cache::content_key(&bytes);
        if let Some(entry) = name.and_then(|n| folder.get(n, content, *settings_key, need)) {
            if let Some(outcome) = render_cached(&shown, &bytes, entry, options) {
                return outcome;
            }
        }
        cached = name.map(|n| (folder, n.to_owned(), content, *settings_key));
    }
    let checked = check_file(shown, bytes, &settings);
    if let (Some((folder, name, content, settings_key)), true) = (cached, checked.utf8) {
        let entry = cache::Entry::new(content, settings_key, need, &checked.diagnostics);
        folder.put(name, entry);
    }
    let mut counts = Counts::default();
    for d in &checked.diagnostics {
        counts.add(d.code, d.severity);
    }
    let shown = render(
        &checked.path,
        &checked.text,
        &checked.lines,
        &checked.diagnostics,
        options,
    );
    Outcome::Checked { shown, counts, fix }
}

/// The outcome of a file from its cache entry, unless a kept range does not fit its text
/// (a damaged cache: the file is then checked).
fn render_cached(
    path: &str,
    bytes: &[u8],
    entry: &cache::Entry,
    options: &Options,
) -> Option<Outcome> {
    let mut counts = Counts::default();
    for &(code, severity, n) in entry.counts() {
        counts.add_n(code, severity, n as usize);
    }
    let diagnostics = entry.diagnostics();
    let shows = |d: &Diagnostic| !options.statistics && d.severity <= options.min_severity;
    // Only a file with something to show needs its text and lines.
    let shown = if diagnostics.iter().any(shows) {
        let text = crate::text::utf8(bytes).filter(|t| entry.fits(t))?;
        render(path, text, &split_lines(text), diagnostics, options)
    } else {
        String::new()
    };
    Some(Outcome::Checked {
        shown,
        counts,
        fix: Fixed::Nothing,
    })
}

/// What `check --fix` writes: every safe fix of the quick-fix engine, applied until none is
/// left.
fn safe_fixes(text: &str, settings: &Settings) -> String {
    crate::fix::quick::fix_all(text, settings)
}

/// One checked file: its path as shown, text and diagnostics.
struct Checked {
    path: String,
    text: String,
    lines: Vec<Line>,
    diagnostics: Vec<Diagnostic>,
    /// Whether the file is UTF-8 (else `text` is only the line of its first bad byte).
    utf8: bool,
}

fn check_file(path: String, bytes: Vec<u8>, settings: &Settings) -> Checked {
    match crate::text::into_utf8(bytes) {
        Ok(text) => {
            let doc = parse(&text);
            let alignment = align(&text, &doc);
            let diagnostics = check_with(&text, &doc, &alignment, settings);
            drop(alignment);
            Checked {
                path,
                text,
                lines: doc.lines,
                diagnostics,
                utf8: true,
            }
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let Some(d) = crate::check::invalid_encoding(e.as_bytes(), at, settings) else {
                return Checked {
                    path,
                    text: String::new(),
                    lines: Vec::new(),
                    diagnostics: Vec::new(),
                    utf8: false,
                };
            };
            // Report at the first bad byte. Only its line is ever shown, so only the text up
            // to the end of that line is kept: a large binary file costs no second copy.
            let mut bytes = e.into_bytes();
            let line_end =
                memchr::memchr2(b'\n', b'\r', &bytes[at..]).map_or(bytes.len(), |i| at + i);
            bytes.truncate(line_end);
            let text = String::from_utf8_lossy(&bytes).into_owned();
            drop(bytes);
            Checked {
                path,
                lines: split_lines(&text),
                text,
                diagnostics: vec![d],
                utf8: false,
            }
        }
    }
}

/// Renders what is shown of one file's diagnostics (`text` and `lines` are the file's; only
/// the lines of shown diagnostics are read).
fn render(
    path: &str,
    text: &str,
    lines: &[Line],
    diagnostics: &[Diagnostic],
    options: &Options,
) -> String {
    let mut shown = String::new();
    let mut first = true;
    for d in diagnostics {
        if options.statistics || d.severity > options.min_severity {
            continue;
        }
        let located = Located::new(path, text, lines, d);
        match options.format {
            Format::Human => report::human(&located, &mut shown),
            Format::Concise => report::concise(&located, &mut shown),
            Format::Github => report::github(&located, &mut shown),
            Format::Json => {
                if !first {
                    shown.push_str(",\n");
                }
                report::json_element(&located, &mut shown);
            }
            Format::Sarif => {
                if !first {
                    shown.push_str(sarif::SEPARATOR);
                }
                sarif::result(&located, &mut shown);
            }
        }
        first = false;
    }
    shown
}
