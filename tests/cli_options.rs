//! Every option of `archive-lsp check`, run as a user runs it: the built binary on the
//! seeds, the fixtures and (when present) the shared corpus.

mod common;

use common::corpus_dir;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = common::checker();
    c.args(args).current_dir(root()).env_remove("CI");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("the binary runs")
}

fn run(args: &[&str]) -> Output {
    run_env(args, &[])
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let o = run(&all);
    serde_json::from_slice::<Value>(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&o), stderr(&o)))
        .as_array()
        .expect("an array")
        .clone()
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect()
}

const FIXTURES: &str = "tests/fixtures/invalid";

#[test]
fn default_output_shows_errors_and_warnings_only() {
    // The indentation fixture has one hint and nothing else.
    let f = "tests/fixtures/invalid/indentation.md";
    let o = run(&["check", f]);
    assert_eq!(
        stdout(&o),
        "1 file checked: 0 errors, 0 warnings, 1 hint (1 not shown; --min-severity hint shows them)\n"
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(json(&[f]), Vec::<Value>::new());
    let shown = stdout(&run(&["check", "--min-severity", "hint", f]));
    assert!(shown.contains("hint[indentation]"), "{shown}");
    assert!(
        shown.ends_with("1 file checked: 0 errors, 0 warnings, 1 hint\n"),
        "{shown}"
    );
    // Information but not hints.
    let info = json(&["--min-severity", "info", FIXTURES]);
    assert!(codes(&info).contains(&"author-mismatch".to_owned()));
    assert!(!codes(&info).contains(&"indentation".to_owned()));
    for d in json(&[FIXTURES]) {
        assert!(
            matches!(d["severity"].as_str(), Some("error" | "warning")),
            "{d}"
        );
    }
    // Every format filters the same way.
    let sarif: Value =
        serde_json::from_slice(&run(&["check", "--format", "sarif", f]).stdout).unwrap();
    assert_eq!(sarif["runs"][0]["results"], serde_json::json!([]));
    for format in ["concise", "github", "human"] {
        let out = stdout(&run(&["check", "--format", format, f]));
        assert!(!out.contains("[indentation]"), "{format}: {out}");
        assert!(!out.contains("title=indentation"), "{format}: {out}");
    }
}

#[test]
fn concise_is_one_line_per_diagnostic() {
    let o = run(&[
        "check",
        "--format",
        "concise",
        "--min-severity",
        "hint",
        FIXTURES,
    ]);
    let all = json(&["--min-severity", "hint", FIXTURES]);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines.len(),
        all.len() + 1,
        "one line each, then the summary"
    );
    for (line, d) in lines.iter().zip(&all) {
        let severity = match d["severity"].as_str().unwrap() {
            "information" => "info",
            s => s,
        };
        let expected = format!(
            "{}:{}:{}: {}[{}] {}",
            d["path"].as_str().unwrap(),
            d["start"]["line"],
            d["start"]["column"],
            severity,
            d["code"].as_str().unwrap(),
            d["message"].as_str().unwrap()
        );
        assert_eq!(*line, expected);
    }
    assert!(lines.last().unwrap().contains("files checked"));
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn github_annotations() {
    let out = stdout(&run(&[
        "check",
        "--format",
        "github",
        "tests/fixtures/invalid/date-mismatch.md",
    ]));
    let first = out.lines().next().unwrap();
    assert_eq!(
        first,
        "::error file=tests/fixtures/invalid/date-mismatch.md,line=3,col=7,endLine=3,endColumn=17,title=date-mismatch::header date 1954-03-13 differs from the original's date 1954-03-12"
    );
    let all = stdout(&run(&[
        "check",
        "--format",
        "github",
        "--min-severity",
        "hint",
        FIXTURES,
    ]));
    assert!(all.contains("::warning file="));
    assert!(
        all.contains("::notice file="),
        "information and hints are notices"
    );
    for line in all.lines().filter(|l| l.starts_with("::")) {
        assert!(
            line.starts_with("::error ")
                || line.starts_with("::warning ")
                || line.starts_with("::notice "),
            "{line}"
        );
    }
}

#[test]
fn statistics_count_everything_found() {
    let all = json(&["--min-severity", "hint", FIXTURES, "seeds"]);
    let o = run(&["check", "--statistics", FIXTURES, "seeds"]);
    let out = stdout(&o);
    let mut total = 0;
    for line in out.lines().take_while(|l| !l.contains("files checked")) {
        let f: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(f.len(), 3, "{line}");
        let n: usize = f[0].parse().unwrap();
        let expected = all
            .iter()
            .filter(|d| d["code"] == f[1] && d["severity"] == f[2])
            .count();
        assert_eq!(n, expected, "{line}");
        total += n;
    }
    assert_eq!(total, all.len());
    assert!(
        !out.contains("-->") && !out.contains(" | "),
        "no diagnostics listed"
    );
    assert_eq!(o.status.code(), Some(1), "the exit status still counts");
    // Most frequent first.
    let counts: Vec<usize> = out
        .lines()
        .filter(|l| !l.contains("files checked"))
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{out}");

    let stats: Value = serde_json::from_slice(
        &run(&[
            "check",
            "--statistics",
            "--format",
            "json",
            FIXTURES,
            "seeds",
        ])
        .stdout,
    )
    .unwrap();
    let sum: u64 = stats
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["count"].as_u64().unwrap())
        .sum();
    assert_eq!(sum as usize, all.len());
    let o = run(&["check", "--statistics", "--format", "sarif", "seeds"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`--statistics` has no SARIF form"));
}

#[test]
fn select_ignore_and_severity() {
    let hint = ["--min-severity", "hint"];
    let selected = json(
        &[
            &hint[..],
            &["--select", "date-mismatch,indentation", FIXTURES],
        ]
        .concat(),
    );
    let mut found = codes(&selected);
    found.sort();
    found.dedup();
    assert_eq!(found, ["date-mismatch", "indentation"]);

    let all = json(&[&hint[..], &[FIXTURES]].concat());
    let ignored = json(
        &[
            &hint[..],
            &[
                "--ignore",
                "indentation",
                "--ignore",
                "date-mismatch",
                FIXTURES,
            ],
        ]
        .concat(),
    );
    assert_eq!(
        ignored.len(),
        all.iter()
            .filter(|d| d["code"] != "indentation" && d["code"] != "date-mismatch")
            .count()
    );

    let f = "tests/fixtures/invalid/indentation.md";
    let raised = json(&["--severity", "indentation=error", f]);
    assert_eq!(raised.len(), 1);
    assert_eq!(raised[0]["severity"], "error");
    let o = run(&["check", "--severity", "indentation=error", f]);
    assert_eq!(o.status.code(), Some(1));
    // `info` and `information` are one name; `off` turns a rule off.
    let info = json(&[
        "--severity",
        "indentation=info",
        "--min-severity",
        "information",
        f,
    ]);
    assert_eq!(info[0]["severity"], "information");
    let off = json(
        &[
            &hint[..],
            &["--severity", "indentation=off,date-mismatch=hint", f],
        ]
        .concat(),
    );
    assert!(off.is_empty());
    // Later options win: --severity after --ignore turns a rule back on.
    let back = json(&[
        "--ignore",
        "indentation",
        "--severity",
        "indentation=warning",
        f,
    ]);
    assert_eq!(codes(&back), ["indentation"]);

    // Bad names are usage errors with the nearest valid name.
    for (args, message) in [
        (
            &["check", "--select", "indentaton", f][..],
            "did you mean `indentation`?",
        ),
        (
            &["check", "--ignore", "date-mismatc", f],
            "did you mean `date-mismatch`?",
        ),
        (
            &["check", "--severity", "indentation=warn", f],
            "did you mean `warning`?",
        ),
        (
            &["check", "--severity", "indentation", f],
            "expected CODE=LEVEL",
        ),
        (
            &["check", "--min-severity", "off", f],
            "unknown severity `off`",
        ),
        (&["check", "--error-on", "hnt", f], "did you mean `hint`?"),
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(message), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn exit_zero_and_error_on() {
    let warning_only = "tests/fixtures/invalid/untranslated-text.md";
    let error = "tests/fixtures/invalid/date-mismatch.md";
    let hint_only = "tests/fixtures/invalid/indentation.md";
    let status = |args: &[&str]| run(&[&["check"][..], args].concat()).status.code();
    assert_eq!(status(&[warning_only]), Some(0));
    assert_eq!(status(&["--error-on", "warning", warning_only]), Some(1));
    assert_eq!(status(&["--error-on", "warning", hint_only]), Some(0));
    // Counted even when not shown.
    assert_eq!(status(&["--error-on", "hint", hint_only]), Some(1));
    assert_eq!(status(&[error]), Some(1));
    assert_eq!(status(&["--exit-zero", error]), Some(0));
    assert_eq!(status(&["--exit-zero", error, "no/such/file.md"]), Some(2));
    let o = run(&["check", "--exit-zero", "--error-on", "warning", error]);
    assert_eq!(o.status.code(), Some(2), "they conflict");
}

#[test]
fn parallel_output_is_identical_to_one_thread() {
    let mut paths = vec![
        "seeds".to_owned(),
        FIXTURES.to_owned(),
        "tests/fixtures/valid".to_owned(),
    ];
    if let Some(c) = corpus_dir() {
        paths.push(c.display().to_string());
    }
    for format in ["json", "human", "concise", "github", "sarif"] {
        let mut args = vec!["check", "--min-severity", "hint", "--format", format];
        args.extend(paths.iter().map(String::as_str));
        let one = run(&[&args[..], &["--threads", "1"]].concat());
        let many = run(&[&args[..], &["--threads", "4"]].concat());
        let default = run(&args);
        assert!(!one.stdout.is_empty());
        assert_eq!(stdout(&one), stdout(&many), "{format}: -j1 against -j4");
        assert_eq!(
            stdout(&one),
            stdout(&default),
            "{format}: -j1 against the default"
        );
        assert_eq!(one.status.code(), many.status.code());
    }
}

#[test]
fn json_is_one_pretty_array_as_before() {
    // The fields in the documented order, as the checker serialises them.
    #[derive(serde::Deserialize, serde::Serialize)]
    struct Position {
        line: u64,
        column: u64,
    }
    #[derive(serde::Deserialize, serde::Serialize)]
    struct Diagnostic {
        path: String,
        code: String,
        severity: String,
        message: String,
        start: Position,
        end: Position,
    }
    let o = run(&[
        "check",
        "--format",
        "json",
        "--min-severity",
        "hint",
        FIXTURES,
    ]);
    let v: Vec<Diagnostic> = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v.len() > 20);
    let pretty = serde_json::to_string_pretty(&v).unwrap() + "\n";
    assert!(
        stdout(&o) == pretty,
        "streamed, yet byte for byte serde_json's pretty form of the array"
    );
    assert_eq!(
        stdout(&run(&["check", "--format", "json", "seeds"])),
        "[]\n"
    );
}

#[test]
fn sarif_is_one_log_with_every_shown_diagnostic() {
    let all = json(&["--min-severity", "hint", FIXTURES]);
    let o = run(&[
        "check",
        "--format",
        "sarif",
        "--min-severity",
        "hint",
        FIXTURES,
    ]);
    let log: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run0 = &log["runs"][0];
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), all.len());
    assert_eq!(run0["columnKind"], "unicodeCodePoints");
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    for (r, d) in results.iter().zip(&all) {
        assert_eq!(r["ruleId"], d["code"]);
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], d["code"]);
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], d["start"]["line"]);
        assert_eq!(region["startColumn"], d["start"]["column"]);
        assert_eq!(region["endColumn"], d["end"]["column"]);
        let level = match d["severity"].as_str().unwrap() {
            "error" => "error",
            "warning" => "warning",
            _ => "note",
        };
        assert_eq!(r["level"], level);
    }
    let clean: Value =
        serde_json::from_slice(&run(&["check", "--format", "sarif", "seeds"]).stdout).unwrap();
    assert_eq!(clean["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let o = run(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let out = stdout(&o);
        assert!(
            out.contains("archive-lsp") && out.contains("min-severity"),
            "{shell}"
        );
    }
    let o = run(&["completions", "powershel"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn typos_get_suggestions_and_help_is_per_subcommand() {
    let o = run(&["chek", "seeds"]);
    assert!(
        stderr(&o).contains("a similar subcommand exists: 'check'"),
        "{}",
        stderr(&o)
    );
    let o = run(&["check", "--statistic", "seeds"]);
    assert!(
        stderr(&o).contains("a similar argument exists: '--statistics'"),
        "{}",
        stderr(&o)
    );
    let help = stdout(&run(&["check", "--help"]));
    for option in [
        "--format",
        "--min-severity",
        "--statistics",
        "--select",
        "--ignore",
        "--severity",
        "--config",
        "--no-config",
        "--exit-zero",
        "--error-on",
        "--threads",
        "--no-progress",
    ] {
        assert!(help.contains(option), "{option} in check --help");
    }
    assert!(stdout(&run(&["completions", "--help"])).contains("bash"));
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    // The bar would show at once (no delay), but stderr is a pipe here.
    let o = run_env(
        &["check", "seeds", FIXTURES],
        &[("ARCHIVE_LSP_PROGRESS_DELAY_MS", "0")],
    );
    assert_eq!(stderr(&o), "");
}

/// Runs `check` with stderr on a terminal (util-linux `script` gives it a pseudo-terminal);
/// stdout goes to a file. Returns what the terminal showed, or None without `script`.
fn on_a_terminal(extra: &[&str], env: &[(&str, &str)]) -> Option<String> {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("SKIPPED: `script` (util-linux) not installed");
        return None;
    }
    let out = std::env::temp_dir().join(format!("archive-lsp-tty-{}", std::process::id()));
    let command = format!(
        "{} check {} seeds {FIXTURES} > {}",
        env!("CARGO_BIN_EXE_archive-lsp"),
        extra.join(" "),
        out.display()
    );
    let mut c = Command::new("script");
    c.args(["-qec", &command, "/dev/null"])
        .current_dir(root())
        .env_remove("CI")
        .env("ARCHIVE_LSP_PROGRESS_DELAY_MS", "0")
        .env(common::CACHE_VAR, common::check_cache_dir())
        .stdin(Stdio::null());
    for (k, v) in env {
        c.env(k, v);
    }
    let o = c.output().unwrap();
    let report = std::fs::read_to_string(&out).unwrap_or_default();
    let _ = std::fs::remove_file(&out);
    assert!(report.contains("files checked"), "{report}");
    assert!(!report.contains("checking"), "the bar never goes to stdout");
    Some(String::from_utf8_lossy(&o.stdout).into_owned())
}

#[test]
fn progress_bar_on_a_terminal_only_outside_ci() {
    let Some(shown) = on_a_terminal(&[], &[]) else {
        return;
    };
    assert!(
        shown.contains("checking"),
        "the bar on a terminal: {shown:?}"
    );
    let shown = on_a_terminal(&[], &[("CI", "true")]).unwrap();
    assert!(!shown.contains("checking"), "never in CI: {shown:?}");
    let shown = on_a_terminal(&["--no-progress"], &[]).unwrap();
    assert!(!shown.contains("checking"), "--no-progress: {shown:?}");
}
