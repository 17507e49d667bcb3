//! The command line: argument parsing (clap) and dispatch to `serve`, `check` (and
//! `check --fix`), `fmt` or `completions`.

mod cache;
mod check;
mod configs;
mod fmt;
pub(crate) mod pipeline;
mod progress;
mod report;
mod sarif;
mod walk;
pub mod write;

use crate::check::{Code, Severity};
use crate::config::{parse_code, parse_level, parse_severity, Level};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::ExitCode;

/// Checker and language server for bilingual archive documents.
///
/// With no command (or `serve`), speaks LSP on stdin/stdout and logs on stderr.
#[derive(Parser, Debug)]
#[command(
    name = "archive-lsp",
    version,
    propagate_version = true,
    args_conflicts_with_subcommands = true,
    after_help = "Exit status of `check`: 0 no error, 1 some error-severity diagnostic \
                  (see --error-on, --exit-zero), 2 usage error, bad configuration or a path \
                  that could not be read (or, with --fix, written)."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Accepted and ignored: LSP clients append it; stdio is the only transport.
    #[arg(long, hide = true)]
    stdio: bool,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check files, and folders recursively, for what a reviewer must act on.
    Check(CheckArgs),
    /// Format archive documents in place: the canonical layout, never a word changed.
    Fmt(FmtArgs),
    /// Speak LSP on stdin/stdout (the default with no command).
    Serve {
        /// Accepted and ignored: stdio is the only transport.
        #[arg(long, hide = true)]
        stdio: bool,
    },
    /// Print a shell completion script (e.g. `archive-lsp completions bash > ~/.local/share/bash-completion/completions/archive-lsp`).
    Completions {
        /// The shell.
        shell: Shell,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Shell {
    Bash,
    Zsh,
    Fish,
}

/// How `check` reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: location, message, the source line with carets, a summary.
    Human,
    /// One line per diagnostic, `path:line:col: severity[code] message` (quickfix lists).
    Concise,
    /// One JSON array of diagnostics.
    Json,
    /// GitHub Actions annotations (`::error file=…,line=…,col=…,title=code::message`).
    Github,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Rules are the codes of the README's table (e.g. date-mismatch). Severities: \
                  error, warning, information (or info), hint; `off` turns a rule off.\n\
                  Settings apply in this order, the last winning: the nearest archive-lsp.toml \
                  (or --config), --select, --ignore, --severity."
)]
struct CheckArgs {
    /// Files and folders to check (folders recursively: archive documents only).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Human)]
    format: Format,

    /// Show diagnostics of this severity and above [default: warning]. The summary and
    /// --statistics count all.
    #[arg(long, value_name = "LEVEL", value_parser = severity_arg)]
    min_severity: Option<Severity>,

    /// Print a table of counts per code and severity instead of the diagnostics.
    #[arg(long)]
    statistics: bool,

    /// Check only these rules (comma-separated codes); all others are off.
    #[arg(long, value_name = "CODE", value_delimiter = ',', value_parser = code_arg)]
    select: Vec<Code>,

    /// Turn these rules off (comma-separated codes).
    #[arg(long, value_name = "CODE", value_delimiter = ',', value_parser = code_arg)]
    ignore: Vec<Code>,

    /// Set a rule's severity, or `off` (repeatable; comma-separated pairs too).
    #[arg(long, value_name = "CODE=LEVEL", value_delimiter = ',', value_parser = rule_level_arg)]
    severity: Vec<(Code, Level)>,

    /// Use this configuration file for every checked file instead of the nearest
    /// archive-lsp.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,

    /// Ignore archive-lsp.toml files: defaults and command-line options only.
    #[arg(long)]
    no_config: bool,

    /// Exit 0 even when diagnostics are found (2 still reports usage and read errors).
    #[arg(long, conflicts_with = "error_on")]
    exit_zero: bool,

    /// Exit 1 when a diagnostic of this severity or above is found [default: error].
    #[arg(long, value_name = "LEVEL", value_parser = severity_arg)]
    error_on: Option<Severity>,

    /// Files checked at once [default: the number of cores].
    #[arg(long, short = 'j', value_name = "N")]
    threads: Option<NonZeroUsize>,

    /// Never show the progress bar (it shows only on a terminal, never in CI).
    #[arg(long)]
    no_progress: bool,

    /// Check every file again: neither read nor write the results cache.
    #[arg(long)]
    no_cache: bool,

    /// Keep the results cache in this folder [default: $ARCHIVE_LSP_CACHE_DIR, else
    /// $XDG_CACHE_HOME/archive-lsp, else ~/.cache/archive-lsp].
    #[arg(long, value_name = "DIR", conflicts_with = "no_cache")]
    cache_dir: Option<PathBuf>,

    /// Apply the safe fixes to the files (atomically), then report what is left.
    #[arg(long)]
    fix: bool,

    /// With --fix: write nothing; print a unified diff of each file the fixes would change
    /// instead of the report (exit 1 if any would change).
    #[arg(long, requires = "fix")]
    diff: bool,
}

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Files are found as `check` finds them. Exit status: 0 done (files whose layout \
                  is not sure, such as one without a separator, are left as they are and named \
                  on stderr), 1 with --check or --diff when a file would change, 2 when a path \
                  could not be read, was not UTF-8 or could not be written (the others are \
                  still done)."
)]
struct FmtArgs {
    /// Files and folders to format (folders recursively: archive documents only).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// Write nothing; list the files that would change (exit 1 if any would).
    #[arg(long)]
    check: bool,

    /// Write nothing; print a unified diff of each file that would change (exit 1 if any
    /// would).
    #[arg(long)]
    diff: bool,

    /// Files formatted at once [default: the number of cores].
    #[arg(long, short = 'j', value_name = "N")]
    threads: Option<NonZeroUsize>,
}

/// The number of worker threads: as asked, else the number of cores.
fn threads(asked: Option<NonZeroUsize>) -> usize {
    asked
        .map(NonZeroUsize::get)
        .or_else(|| {
            std::thread::available_parallelism()
                .ok()
                .map(NonZeroUsize::get)
        })
        .unwrap_or(1)
}

fn severity_arg(s: &str) -> Result<Severity, String> {
    parse_severity(s).map_err(|e| e.to_string())
}

fn code_arg(s: &str) -> Result<Code, String> {
    parse_code(s).map_err(|e| e.to_string())
}

fn rule_level_arg(s: &str) -> Result<(Code, Level), String> {
    let (code, level) = s
        .split_once('=')
        .ok_or_else(|| format!("expected CODE=LEVEL, e.g. indentation=off, got `{s}`"))?;
    let code = parse_code(code).map_err(|e| e.to_string())?;
    let level = parse_level(level).map_err(|e| e.to_string())?;
    Ok((code, level))
}

/// The options of one `check` run, as the pipeline uses them.
#[derive(Debug)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    pub format: Format,
    pub min_severity: Severity,
    pub statistics: bool,
    pub select: Option<Vec<Code>>,
    pub ignore: Vec<Code>,
    pub severity: Vec<(Code, Level)>,
    pub config: ConfigChoice,
    pub exit_zero: bool,
    pub error_on: Severity,
    pub threads: usize,
    pub progress: bool,
    /// `--fix`: apply the safe fixes before checking.
    pub fix: bool,
    /// `--fix --diff`: print the fixes' diffs instead of writing and reporting.
    pub diff: bool,
    /// The results cache: `None` with `--no-cache`; else the folder asked for, if any.
    pub cache: Option<Option<PathBuf>>,
}

/// Which configuration files apply.
#[derive(Debug, Clone)]
pub enum ConfigChoice {
    /// The nearest `archive-lsp.toml` of each file's folder.
    Discover,
    /// This one file for all.
    File(PathBuf),
    /// None.
    Ignore,
}

impl From<CheckArgs> for Options {
    fn from(a: CheckArgs) -> Options {
        Options {
            paths: a.paths,
            format: a.format,
            min_severity: a.min_severity.unwrap_or(Severity::Warning),
            statistics: a.statistics,
            select: (!a.select.is_empty()).then_some(a.select),
            ignore: a.ignore,
            severity: a.severity,
            config: match (a.config, a.no_config) {
                (Some(file), _) => ConfigChoice::File(file),
                (None, true) => ConfigChoice::Ignore,
                (None, false) => ConfigChoice::Discover,
            },
            exit_zero: a.exit_zero,
            error_on: a.error_on.unwrap_or(Severity::Error),
            threads: threads(a.threads),
            progress: !a.no_progress,
            fix: a.fix,
            diff: a.diff,
            cache: (!a.no_cache).then_some(a.cache_dir),
        }
    }
}

/// Runs the command line (`args` without the program name); returns the exit status.
pub fn main(args: &[String]) -> ExitCode {
    let argv = std::iter::once("archive-lsp".to_owned()).chain(args.iter().cloned());
    let cli = match Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version on stdout with status 0, errors on stderr with 2.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match cli.command {
        None | Some(Command::Serve { .. }) => crate::lsp::serve(),
        Some(Command::Check(args)) => check::run(Options::from(args)),
        Some(Command::Fmt(a)) => fmt::run(fmt::FmtOptions {
            paths: a.paths,
            check: a.check,
            diff: a.diff,
            threads: threads(a.threads),
        }),
        Some(Command::Completions { shell }) => {
            let shell = match shell {
                Shell::Bash => clap_complete::Shell::Bash,
                Shell::Zsh => clap_complete::Shell::Zsh,
                Shell::Fish => clap_complete::Shell::Fish,
            };
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "archive-lsp",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
    }
}

/// Prints a usage error of `check` (in clap's style) and returns exit status 2.
fn usage_error(message: &str) -> ExitCode {
    let mut cmd = Cli::command();
    cmd.build();
    let check = cmd
        .find_subcommand_mut("check")
        .expect("`check` is a subcommand");
    let e = check.error(clap::error::ErrorKind::ArgumentConflict, message);
    let _ = e.print();
    ExitCode::from(2)
}
