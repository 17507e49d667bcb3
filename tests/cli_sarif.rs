//! `check --format sarif` validated by Microsoft's SARIF multitool (`sarif-multitool
//! validate`, the npm package `@microsoft/sarif-multitool`, a .NET build bundled in the
//! package). The test installs it with npm into a cache folder on first run
//! (`ARCHIVE_SARIF_CACHE`, default `~/.cache/archive-lsp-sarif`) and runs it with
//! `DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1` (no ICU needed).
//!
//! The log must have no error and no warning from the validator but one: SARIF2005 asks
//! for the tool's `informationUri`, a public web page about archive-lsp, which does not
//! exist. Its notes (advice such as "provide code snippets") are counted, not failed.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const MULTITOOL: &str = "@microsoft/sarif-multitool@5.7.0";

fn cache() -> PathBuf {
    if let Some(dir) = std::env::var_os("ARCHIVE_SARIF_CACHE") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").map_or_else(std::env::temp_dir, PathBuf::from);
    home.join(".cache/archive-lsp-sarif")
}

/// The multitool's entry point, installed if missing.
fn multitool() -> PathBuf {
    let dir = cache();
    let bin = dir.join("node_modules/.bin/sarif-multitool");
    let native = dir.join("node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool");
    if !bin.exists() || !native.exists() {
        std::fs::create_dir_all(&dir).unwrap();
        eprintln!("installing {MULTITOOL} into {} (once)", dir.display());
        let status = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir)
            .arg(MULTITOOL)
            .status()
            .unwrap_or_else(|e| {
                panic!("npm is needed to install {MULTITOOL} (Node.js from the npm registry): {e}")
            });
        assert!(status.success(), "npm install {MULTITOOL} failed");
    }
    // npm may skip the package's postinstall step (`chmod u+x Sarif.Multitool`).
    if native.exists() {
        use std::os::unix::fs::PermissionsExt;
        let mut p = std::fs::metadata(&native).unwrap().permissions();
        p.set_mode(p.mode() | 0o700);
        std::fs::set_permissions(&native, p).unwrap();
    }
    bin
}

#[test]
fn sarif_output_passes_the_sarif_multitool_validator() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut args = vec![
        "check",
        "--format",
        "sarif",
        "--min-severity",
        "hint",
        "seeds",
        "tests/fixtures",
    ];
    let corpus = root.join("../shared/corpus");
    let corpus_arg = corpus.display().to_string();
    if corpus.is_dir() {
        args.push(&corpus_arg); // absolute paths: `file://` URIs
    } else {
        eprintln!("SKIPPED (part): ../shared/corpus not found; seeds and fixtures only");
    }
    let o = common::checker()
        .args(&args)
        .current_dir(root)
        .output()
        .unwrap();
    let log: Value = serde_json::from_slice(&o.stdout).expect("SARIF is JSON");
    let results = log["runs"][0]["results"].as_array().unwrap().len();
    assert!(results > 20, "a log with results to validate");

    let dir = std::env::temp_dir().join(format!("archive-lsp-sarif-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("check.sarif");
    let output = dir.join("validation.sarif");
    std::fs::write(&input, &o.stdout).unwrap();
    let v = Command::new(multitool())
        .arg("validate")
        .arg(&input)
        .arg("--output")
        .arg(&output)
        .args(["--level", "Error", "Warning", "Note"])
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .output()
        .expect("the multitool runs");
    let console = String::from_utf8_lossy(&v.stdout).into_owned();
    assert!(
        v.status.success(),
        "validate failed: {console}{}",
        String::from_utf8_lossy(&v.stderr)
    );
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&output).unwrap())
        .expect("the validator writes a SARIF log");
    let mut notes = 0;
    let mut failures = Vec::new();
    for r in report["runs"][0]["results"].as_array().unwrap() {
        let level = r["level"].as_str().unwrap_or("warning");
        let rule = r["ruleId"].as_str().unwrap_or("");
        match level {
            "note" | "none" => notes += 1,
            "warning" if rule == "SARIF2005" => {} // informationUri: see the module doc
            _ => failures.push(format!("{level} {rule}: {}", r["message"])),
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        failures.is_empty(),
        "the validator found: {failures:#?}\n{console}"
    );
    eprintln!("sarif-multitool validate: {results} results valid ({notes} advisory notes)");
}
