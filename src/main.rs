//! `archive-lsp`: with no arguments (or `serve`) a language server on stdio; `check` is the
//! command-line checker.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    archive_lsp::cli::main(&args)
}
