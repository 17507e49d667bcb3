//! `archive-lsp.toml`: discovery (the nearest file walking up, no merging), `--config`,
//! `--no-config`, precedence under the command-line options, and errors (exit 2, with the
//! file, the line and the nearest valid name). The built binary on temporary trees.

mod common;

use common::TempTree;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The indentation fixture: one `indentation` hint (a tab-indented paragraph), nothing else.
const INDENTED: &str = include_str!("fixtures/invalid/indentation.md");
/// One `untranslated-text` warning (a run of 7 Han in the English).
const UNTRANSLATED: &str = include_str!("fixtures/invalid/untranslated-text.md");
const SEED: &str = include_str!("../seeds/000_0d759123a74baf35.txt");

/// A temporary tree, and the binary run in it.
struct Tree(TempTree);

impl Tree {
    fn new(name: &str) -> Tree {
        Tree(TempTree::new(name))
    }

    fn file(&self, rel: &str, text: &str) -> PathBuf {
        self.0.file(rel, text)
    }

    fn run(&self, args: &[&str]) -> Output {
        common::checker()
            .args(args)
            .current_dir(self.0.root())
            .output()
            .expect("the binary runs")
    }

    /// `check --format json --min-severity hint ARGS` → (path, code, severity) and status.
    fn json(&self, args: &[&str]) -> (Vec<(String, String, String)>, i32) {
        let mut all = vec!["check", "--format", "json", "--min-severity", "hint"];
        all.extend_from_slice(args);
        let o = self.run(&all);
        let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
            panic!(
                "{e}: {}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            )
        });
        let found = v
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["path"].as_str().unwrap().to_owned(),
                    d["code"].as_str().unwrap().to_owned(),
                    d["severity"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        (found, o.status.code().unwrap())
    }
}

fn severities<'a>(found: &'a [(String, String, String)], path: &str) -> Vec<&'a str> {
    found
        .iter()
        .filter(|f| f.0 == path)
        .map(|f| f.2.as_str())
        .collect()
}

#[test]
fn the_nearest_file_applies_and_nested_files_are_not_merged() {
    let t = Tree::new("discovery");
    t.file(
        "archive-lsp.toml",
        "[rules]\nindentation = \"error\"\nuntranslated-text = \"hint\"\n",
    );
    // Nearer: says nothing of untranslated-text, so that rule is at its default there.
    t.file(
        "rmrb/1954.03/archive-lsp.toml",
        "[rules]\nindentation = \"off\"\n",
    );
    t.file("top.md", INDENTED);
    t.file("rmrb/a.md", INDENTED);
    t.file("rmrb/1954.03/deep/b.md", INDENTED);
    t.file("rmrb/1954.03/deep/u.md", UNTRANSLATED);
    t.file("rmrb/u.md", UNTRANSLATED);
    let (found, status) = t.json(&["."]);
    assert_eq!(severities(&found, "./top.md"), ["error"]);
    assert_eq!(severities(&found, "./rmrb/a.md"), ["error"]);
    assert!(severities(&found, "./rmrb/1954.03/deep/b.md").is_empty());
    assert_eq!(severities(&found, "./rmrb/1954.03/deep/u.md"), ["warning"]);
    assert_eq!(severities(&found, "./rmrb/u.md"), ["hint"]);
    assert_eq!(status, 1);
    // The same files named one by one, from another directory: the file's folder decides.
    let (found, _) = t.json(&["rmrb/1954.03/deep/b.md", "rmrb/a.md"]);
    assert!(severities(&found, "rmrb/1954.03/deep/b.md").is_empty());
    assert_eq!(severities(&found, "rmrb/a.md"), ["error"]);
}

#[test]
fn config_applies_one_file_to_all_and_no_config_ignores_them() {
    let t = Tree::new("choice");
    t.file("archive-lsp.toml", "[rules]\nindentation = \"error\"\n");
    t.file("other.toml", "[rules]\nindentation = \"warning\"\n");
    t.file("sub/archive-lsp.toml", "[rules]\nindentation = \"off\"\n");
    t.file("a.md", INDENTED);
    t.file("sub/b.md", INDENTED);
    let (found, _) = t.json(&["--config", "other.toml", "."]);
    assert_eq!(severities(&found, "./a.md"), ["warning"]);
    assert_eq!(severities(&found, "./sub/b.md"), ["warning"]);
    let (found, status) = t.json(&["--no-config", "."]);
    assert_eq!(severities(&found, "./a.md"), ["hint"]);
    assert_eq!(severities(&found, "./sub/b.md"), ["hint"]);
    assert_eq!(status, 0);
    let o = t.run(&["check", "--config", "other.toml", "--no-config", "."]);
    assert_eq!(o.status.code(), Some(2), "they conflict");
}

#[test]
fn the_command_line_goes_over_the_file() {
    let t = Tree::new("precedence");
    t.file(
        "archive-lsp.toml",
        "[rules]\nindentation = \"off\"\nuntranslated-text = \"error\"\n",
    );
    t.file("a.md", INDENTED);
    t.file("u.md", UNTRANSLATED);
    let (found, status) = t.json(&["."]);
    assert_eq!(found.len(), 1);
    assert_eq!(severities(&found, "./u.md"), ["error"]);
    assert_eq!(status, 1);
    // --select brings an off rule back at its usual severity and keeps a configured one.
    let (found, _) = t.json(&["--select", "indentation,untranslated-text", "."]);
    assert_eq!(severities(&found, "./a.md"), ["hint"]);
    assert_eq!(severities(&found, "./u.md"), ["error"]);
    // --ignore and --severity win over the file.
    let (found, status) = t.json(&["--ignore", "untranslated-text", "."]);
    assert!(found.is_empty());
    assert_eq!(status, 0);
    let (found, _) = t.json(&[
        "--severity",
        "indentation=warning,untranslated-text=info",
        ".",
    ]);
    assert_eq!(severities(&found, "./a.md"), ["warning"]);
    assert_eq!(severities(&found, "./u.md"), ["information"]);
}

#[test]
fn review_thresholds_come_from_the_file() {
    let t = Tree::new("review");
    t.file("u.md", UNTRANSLATED);
    let (found, _) = t.json(&["u.md"]);
    assert_eq!(severities(&found, "u.md"), ["warning"]);
    // Runs under 8 Han are glosses now: the 7-Han run becomes information.
    t.file(
        "archive-lsp.toml",
        "[review]\nuntranslated-text-info-below = 8\n",
    );
    let (found, _) = t.json(&["u.md"]);
    assert_eq!(severities(&found, "u.md"), ["information"]);
    // Not shown by default, yet counted in the summary.
    let o = t.run(&["check", "u.md"]);
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(
        out,
        "1 file checked: 0 errors, 0 warnings, 1 info (1 not shown; --min-severity information shows them)\n"
    );
    // Every key of [review] is accepted.
    t.file(
        "archive-lsp.toml",
        "[review]\nuntranslated-paragraph-min-han = 20\nlength-ratio-min-han = 40\nlength-ratio-low = 0.40\nlength-ratio-high = 2.50\nnumber-min-value = 10\nuntranslated-text-info-below = 4\n",
    );
    let (found, status) = t.json(&["u.md"]);
    assert_eq!(severities(&found, "u.md"), ["warning"]);
    assert_eq!(status, 0);
}

#[test]
fn errors_name_the_file_the_line_and_the_nearest_name() {
    let cases = [
        (
            "[rules]\nindentation = \"off\"\nindentaton = \"off\"\n",
            "archive-lsp.toml:3:1: unknown rule `indentaton`; did you mean `indentation`?",
        ),
        (
            "[rules]\nindentation = \"warn\"\n",
            "archive-lsp.toml:2:15: rule `indentation`: unknown severity `warn`; did you mean `warning`?",
        ),
        (
            "[review]\nlength-ratio-lo = 0.3\n",
            "archive-lsp.toml:2:1: unknown key `length-ratio-lo`; did you mean `length-ratio-low`?",
        ),
        (
            "[rule]\nindentation = \"off\"\n",
            "archive-lsp.toml:1:2: unknown table `rule`; did you mean `rules`?",
        ),
        ("[review]\nnumber-min-value = -3\n", "archive-lsp.toml:2:"),
        ("[rules]\nindentation = 3\n", "archive-lsp.toml:2:"),
        ("[rules\n", "archive-lsp.toml:1:"),
    ];
    for (text, message) in cases {
        let t = Tree::new("errors");
        t.file("docs/archive-lsp.toml", text);
        t.file("docs/a.md", INDENTED);
        t.file("elsewhere/good.md", SEED);
        t.file(
            "elsewhere/bad.md",
            &SEED.replace("Date: 1952-08-03", "Date: 1952-08-04"),
        );
        let o = t.run(&["check", "docs", "elsewhere"]);
        let err = String::from_utf8_lossy(&o.stderr);
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(2), "{text:?}: {err}");
        assert!(
            err.contains(&format!("docs/{message}")),
            "{text:?}: expected {message:?} in {err}"
        );
        // Reported once; the files it governs are not checked; the others are.
        assert_eq!(err.matches("archive-lsp.toml:").count(), 1, "{err}");
        assert!(!out.contains("a.md"), "{out}");
        assert!(
            out.contains("elsewhere/bad.md:3:7: error[date-mismatch]"),
            "{out}"
        );
        assert!(out.contains("2 files checked"), "{out}");
        // With --config the same file is a usage error before anything is checked.
        let o = t.run(&["check", "--config", "docs/archive-lsp.toml", "elsewhere"]);
        assert_eq!(o.status.code(), Some(2));
        assert!(o.stdout.is_empty());
        assert!(String::from_utf8_lossy(&o.stderr).contains(message));
        // --no-config ignores it.
        let o = t.run(&["check", "--no-config", "docs"]);
        assert_eq!(o.status.code(), Some(0));
    }
    let t = Tree::new("missing");
    let o = t.run(&["check", "--config", "nope.toml", "."]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nope.toml: cannot read"));
}

#[test]
fn seeds_are_clean_under_the_default_configuration() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for args in [&["check", "seeds"][..], &["check", "--no-config", "seeds"]] {
        let o = common::checker()
            .args(args)
            .current_dir(root)
            .output()
            .unwrap();
        let out = String::from_utf8(o.stdout).unwrap();
        assert!(
            out.ends_with("files checked: 0 errors, 0 warnings\n"),
            "{out}"
        );
        assert_eq!(o.status.code(), Some(0));
    }
}
