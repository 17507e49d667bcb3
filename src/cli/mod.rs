//! The command line: argument parsing and dispatch to `serve` or `check`.

mod check;
mod report;
mod walk;

use std::process::ExitCode;

const USAGE: &str = "\
archive-lsp: checker and language server for bilingual archive documents

Usage:
  archive-lsp [serve] [--stdio]               speak LSP on stdin/stdout (logs on stderr)
  archive-lsp check [--format human|json] PATH...
                                              check files, and folders recursively
  archive-lsp --help | --version

Exit status of `check`: 0 no error, 1 some error-severity diagnostic,
2 usage error or a path that could not be read.";

/// Runs the command line; returns the process exit status.
pub fn main(args: &[String]) -> ExitCode {
    match args.first().map(String::as_str) {
        // `--stdio` is what many LSP clients (vscode-languageclient among them) append to
        // the command: stdio is the only transport, so it is accepted and changes nothing.
        None | Some("serve" | "--stdio") => {
            let skip = usize::from(args.first().is_some_and(|a| a == "serve"));
            if let Some(extra) = args[skip..].iter().find(|a| *a != "--stdio") {
                return usage_error(&format!(
                    "`serve` takes no argument but `--stdio`, got `{extra}`"
                ));
            }
            crate::lsp::serve()
        }
        Some("check") => check::run(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some("-V" | "--version") => {
            println!("archive-lsp {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some(other) if other.starts_with('-') => usage_error(&format!("unknown option `{other}`")),
        Some(other) => usage_error(&format!("unknown command `{other}`")),
    }
}

/// Prints a usage error with a hint and returns exit status 2.
fn usage_error(message: &str) -> ExitCode {
    eprintln!("archive-lsp: {message}\nhint: run `archive-lsp --help` for usage");
    ExitCode::from(2)
}
