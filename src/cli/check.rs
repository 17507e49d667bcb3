//! `archive-lsp check`: check files and folders, report, and set the exit status.

use super::report::{self, JsonDiagnostic, Located};
use super::usage_error;
use super::walk::{collect, Entry};
use crate::check::{check, Code, Diagnostic, Severity};
use crate::syntax::{lines::split_lines, parse, Line};
use std::io::Write;
use std::process::ExitCode;

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Human,
    Json,
}

/// One checked file: its path as shown, text and diagnostics.
struct Checked {
    path: String,
    text: String,
    lines: Vec<Line>,
    diagnostics: Vec<Diagnostic>,
}

/// One file's rendered report. The file's text is dropped once this is made, so that a
/// folder of large files needs the memory of one file at a time.
struct Rendered {
    path: String,
    counts: [usize; 4],
    human: String,
    json: Vec<JsonDiagnostic>,
}

fn render(file: Checked, format: Format) -> Rendered {
    let (mut counts, mut human, mut json) = ([0; 4], String::new(), Vec::new());
    for d in &file.diagnostics {
        counts[d.severity as usize] += 1;
        let located = Located::new(&file.path, &file.text, &file.lines, d);
        match format {
            Format::Human => report::human(&located, &mut human),
            Format::Json => json.push(report::json(&located)),
        }
    }
    Rendered {
        path: file.path,
        counts,
        human,
        json,
    }
}

pub fn run(args: &[String]) -> ExitCode {
    let mut format = Format::Human;
    let mut paths = Vec::new();
    let mut options_done = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            _ if options_done || !a.starts_with('-') || a == "-" => paths.push(a.to_owned()),
            "--" => options_done = true,
            "--format" | "-f" => {
                i += 1;
                match args.get(i).map(String::as_str) {
                    Some(v) => match parse_format(v) {
                        Some(f) => format = f,
                        None => {
                            return usage_error(&format!(
                                "unknown format `{v}`; expected `human` or `json`"
                            ))
                        }
                    },
                    None => return usage_error("`--format` needs a value: `human` or `json`"),
                }
            }
            _ if a.starts_with("--format=") => match parse_format(&a["--format=".len()..]) {
                Some(f) => format = f,
                None => {
                    return usage_error(&format!(
                        "unknown format in `{a}`; expected `human` or `json`"
                    ))
                }
            },
            "-h" | "--help" => {
                println!("Usage: archive-lsp check [--format human|json] PATH...");
                return ExitCode::SUCCESS;
            }
            _ => return usage_error(&format!("unknown option `{a}` for `check`")),
        }
        i += 1;
    }
    if paths.is_empty() {
        return usage_error("`check` needs at least one file or folder");
    }

    let mut unreadable = false;
    let mut rendered = Vec::new();
    collect(&paths, |entry| match entry {
        Entry::Unreadable(path, reason) => {
            unreadable = true;
            eprintln!("archive-lsp: cannot read {}: {reason}", path.display());
        }
        Entry::File(path, bytes) => {
            let file = check_file(path.display().to_string(), bytes);
            rendered.push(render(file, format));
        }
    });
    rendered.sort_by(|a, b| a.path.cmp(&b.path));

    let files = rendered.len();
    let mut counts = [0usize; 4];
    let mut out = String::new();
    let mut json = Vec::new();
    for file in rendered {
        for (total, n) in counts.iter_mut().zip(file.counts) {
            *total += n;
        }
        out.push_str(&file.human);
        json.extend(file.json);
    }
    match format {
        Format::Human => {
            out.push_str(&report::summary(files, counts));
            out.push('\n');
        }
        Format::Json => {
            out = serde_json::to_string_pretty(&json).expect("diagnostics serialise");
            out.push('\n');
        }
    }
    let _ = std::io::stdout().lock().write_all(out.as_bytes());

    if unreadable {
        ExitCode::from(2)
    } else if counts[Severity::Error as usize] > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn parse_format(v: &str) -> Option<Format> {
    match v {
        "human" => Some(Format::Human),
        "json" => Some(Format::Json),
        _ => None,
    }
}

fn check_file(path: String, bytes: Vec<u8>) -> Checked {
    match String::from_utf8(bytes) {
        Ok(text) => {
            let doc = parse(&text);
            let diagnostics = check(&text, &doc);
            Checked {
                path,
                text,
                lines: doc.lines,
                diagnostics,
            }
        }
        Err(e) => {
            // Report at the first bad byte. Only its line is ever shown, so only the text up
            // to the end of that line is kept: a large binary file costs no second copy.
            let at = e.utf8_error().valid_up_to();
            let mut bytes = e.into_bytes();
            let bad = bytes[at];
            let line_end =
                memchr::memchr2(b'\n', b'\r', &bytes[at..]).map_or(bytes.len(), |i| at + i);
            bytes.truncate(line_end);
            let text = String::from_utf8_lossy(&bytes).into_owned();
            drop(bytes);
            let message = format!(
                "the file is not UTF-8: invalid byte 0x{bad:02X} at byte offset {at}; expected UTF-8 text"
            );
            let diagnostics = vec![Diagnostic::new(
                Code::InvalidEncoding,
                at..at + '\u{fffd}'.len_utf8(),
                message,
            )];
            Checked {
                path,
                lines: split_lines(&text),
                text,
                diagnostics,
            }
        }
    }
}
