//! `check::check_with` honours the settings' rules: the library API the server calls.

use archive_lsp::align::align;
use archive_lsp::check::{check_with, Code, Severity};
use archive_lsp::config::{Layer, Level, Settings};
use archive_lsp::syntax::parse;
use std::path::Path;

fn fixtures() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid");
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            let text = std::fs::read_to_string(&p).ok()?;
            Some((p.file_name()?.to_str()?.to_owned(), text))
        })
        .collect();
    out.sort();
    out
}

fn run(text: &str, settings: &Settings) -> Vec<archive_lsp::check::Diagnostic> {
    let doc = parse(text);
    check_with(text, &doc, &align(text, &doc), settings)
}

#[test]
fn an_off_rule_reports_nothing_and_a_severity_applies_to_all() {
    for (name, text) in fixtures() {
        let default = run(&text, &Settings::default());
        for code in default.iter().map(|d| d.code) {
            let mut s = Settings::default();
            s.rules.set(code, Level::Off);
            let off = run(&text, &s);
            assert!(off.iter().all(|d| d.code != code), "{name}: {code:?} off");
            assert_eq!(
                off.len(),
                default.iter().filter(|d| d.code != code).count(),
                "{name}: only {code:?} goes"
            );
            s.rules.set(code, Level::On(Severity::Error));
            for d in run(&text, &s).iter().filter(|d| d.code == code) {
                // A diagnostic its check lowers (a short untranslated run) stays lower.
                let before = default
                    .iter()
                    .find(|e| e.code == code && e.span == d.span)
                    .expect("the same diagnostic");
                let expected = if before.severity != code.severity() {
                    before.severity
                } else {
                    Severity::Error
                };
                assert_eq!(d.severity, expected, "{name}: {code:?}");
            }
        }
    }
}

#[test]
fn everything_off_is_silence() {
    let layer = Layer::from_json(&serde_json::json!({
        "rules": Code::ALL.iter().map(|c| (c.name().to_owned(), serde_json::json!("off"))).collect::<serde_json::Map<_, _>>()
    }))
    .unwrap();
    let s = Settings::default().with(&layer);
    for (name, text) in fixtures() {
        assert!(run(&text, &s).is_empty(), "{name}");
    }
}

#[test]
fn the_cap_counts_only_rules_that_are_on() {
    // Thousands of unindented English paragraphs: `indentation` hints beyond the cap.
    let seed = include_str!("../seeds/000_0d759123a74baf35.txt");
    let at = seed.find("\n    ").expect("an indented paragraph") + 1;
    let many = "Words of the translation.\n".repeat(1100);
    let text = format!("{}{many}{}", &seed[..at], &seed[at..]);
    let all = run(&text, &Settings::default());
    assert!(all.iter().any(|d| d.code == Code::TooManyDiagnostics));
    let mut s = Settings::default();
    s.rules.set(Code::Indentation, Level::Off);
    let without = run(&text, &s);
    assert!(without
        .iter()
        .all(|d| d.code != Code::TooManyDiagnostics && d.code != Code::Indentation));
    s = Settings::default();
    s.rules.set(Code::TooManyDiagnostics, Level::Off);
    let unsaid = run(&text, &s);
    assert_eq!(unsaid.len(), archive_lsp::check::MAX_DIAGNOSTICS);
    s.rules
        .set(Code::TooManyDiagnostics, Level::On(Severity::Warning));
    let loud = run(&text, &s);
    assert_eq!(loud.last().unwrap().severity, Severity::Warning);
}
