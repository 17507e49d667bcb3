//! Each check on a one-fault variant of the sample: the code, the line, the severity and the
//! exact text its range covers.

use super::{check_text, Code, Severity};
use crate::syntax::lines::{line_col, split_lines};

const SAMPLE: &str = include_str!("../../seeds/000_0d759123a74baf35.txt");

/// (code, 0-based line, covered text) of every diagnostic of `text`.
fn found(text: &str) -> Vec<(Code, usize, String)> {
    let lines = split_lines(text);
    check_text(text)
        .into_iter()
        .map(|d| {
            let (line, _) = line_col(text, &lines, d.span.start);
            (d.code, line, text[d.span].to_owned())
        })
        .collect()
}

fn variant(from: &str, to: &str) -> String {
    assert!(SAMPLE.contains(from), "{from:?} not in the sample");
    SAMPLE.replacen(from, to, 1)
}

#[track_caller]
fn expect(text: &str, code: Code, line: usize, covered: &str) {
    let all = found(text);
    assert!(
        all.contains(&(code, line, covered.to_owned())),
        "expected {code:?} on line {line} covering {covered:?}; found {all:?}"
    );
}

#[track_caller]
fn expect_only(text: &str, code: Code, line: usize, covered: &str) {
    let all = found(text);
    assert_eq!(all, vec![(code, line, covered.to_owned())]);
}

#[test]
fn the_sample_is_silent() {
    assert_eq!(found(SAMPLE), vec![]);
    assert_eq!(found(&SAMPLE.replace('\n', "\r\n")), vec![]);
    assert_eq!(found(&format!("\u{feff}{SAMPLE}")), vec![]);
}

#[test]
fn header_fields() {
    expect_only(
        &variant("Author:\n", ""),
        Code::MissingHeaderField,
        0,
        &SAMPLE[..SAMPLE.find('\n').unwrap()],
    );
    assert_eq!(found(&variant("Page: 2\n", "Edition: 2\n")), vec![]);
    expect_only(
        &variant("Date: 1952-08-03\n", "Date: 1952-08-03\nDate: 1952-08-03\n"),
        Code::DuplicateHeaderField,
        3,
        "Date: 1952-08-03",
    );
    expect_only(
        &variant("Page: 2\n", "Page: 2\nEdition: 2\n"),
        Code::DuplicateHeaderField,
        4,
        "Edition: 2",
    );
    let typo = variant("Author:", "Autor:");
    expect(&typo, Code::UnknownHeaderField, 1, "Autor");
    assert!(check_text(&typo)
        .iter()
        .any(|d| d.message.contains("did you mean `Author:`")));
    expect(
        &variant("Title:", "Titel:"),
        Code::UnknownHeaderField,
        0,
        "Titel",
    );
    expect_only(
        &variant("Author:\nDate: 1952-08-03\n", "Date: 1952-08-03\nAuthor:\n"),
        Code::HeaderFieldOrder,
        2,
        "Author:",
    );
    expect_only(
        &variant("Author:\n", "\nAuthor:\n"),
        Code::HeaderLayout,
        1,
        "",
    );
    let title = SAMPLE.lines().next().unwrap();
    expect_only(&variant(title, "Title:"), Code::EmptyTitle, 0, "Title:");
}

#[test]
fn values() {
    let both = |from: &str, to: &str| SAMPLE.replace(from, to);
    let leap = both("1952-08-03", "1953-02-29");
    expect(&leap, Code::InvalidDate, 2, "1953-02-29");
    expect(&leap, Code::InvalidDate, 21, "1953-02-29");
    assert!(
        !found(&leap).iter().any(|f| f.0 == Code::DateMismatch),
        "no stacking"
    );
    expect_only(
        &variant("Page: 2", "Page: two"),
        Code::InvalidPage,
        3,
        "two",
    );
    expect_only(&variant("Page: 2", "Page: 0"), Code::InvalidPage, 3, "0");
    expect_only(
        &variant("第2版()", "第二版()"),
        Code::InvalidPage,
        22,
        "第二版()",
    );
    assert_eq!(found(&variant("第2版()", "第２版（）")), vec![]);
    assert_eq!(found(&variant("第2版()", "第2版(要闻)")), vec![]);
}

#[test]
fn structure() {
    expect_only(
        &variant("<hr /> \n", "\n"),
        Code::MissingSeparator,
        10,
        &SAMPLE.lines().nth(10).unwrap()[4..],
    );
    expect_only(
        &variant("Original: \n", "\n"),
        Code::MissingOriginalMarker,
        14,
        "<hr />",
    );
    expect_only(
        &variant("### 及时总结和传播推广先进经验的经验\n", ""),
        Code::MissingOriginalTitle,
        16,
        "Original:",
    );
    expect_only(
        &variant("1952-08-03\n第2版", "第2版"),
        Code::MissingOriginalField,
        19,
        "### 及时总结和传播推广先进经验的经验",
    );
    expect_only(
        &variant("<hr /> \n\n", "<hr /> \nnote\n"),
        Code::UnexpectedText,
        15,
        "note",
    );
    expect_only(&format!("x\n{SAMPLE}"), Code::UnexpectedText, 0, "x");
    expect(
        &variant(
            "    In order",
            "<hr /> \n<h3>2</h3>\nTitle: Again\n    In order",
        ),
        Code::UnexpectedText,
        9,
        "<hr />",
    );
    let cut = SAMPLE.find("\n\n\n\n<hr />").unwrap();
    let english_gone = format!(
        "{}\n{}",
        &SAMPLE[..SAMPLE.find("\n\nEconomic").unwrap()],
        &SAMPLE[cut..]
    );
    expect(&english_gone, Code::EmptyTranslation, 3, "Page: 2");
    let original_gone = &SAMPLE[..SAMPLE.rfind("专栏").unwrap() + "专栏：经济生活简评\n".len()];
    expect(original_gone, Code::EmptyOriginal, 23, "专栏：经济生活简评");
}

#[test]
fn agreement() {
    let d = check_text(&variant("Date: 1952-08-03", "Date: 1952-08-04"));
    assert_eq!(d.len(), 1);
    assert_eq!(
        (d[0].code, d[0].severity),
        (Code::DateMismatch, Severity::Error)
    );
    assert_eq!(
        &variant("Date: 1952-08-03", "Date: 1952-08-04")[d[0].related[0].span.clone()],
        "1952-08-03"
    );
    expect_only(&variant("Page: 2", "Page: 3"), Code::PageMismatch, 3, "3");
    expect_only(
        &variant("Author:", "Author: Li Ming"),
        Code::AuthorMismatch,
        1,
        "Li Ming",
    );
    expect_only(
        &variant("经验的经验\n\n1952", "经验的经验\n李明\n1952"),
        Code::AuthorMismatch,
        1,
        "Author:",
    );
    expect_only(
        &variant("Economic Life Brief Commentary\n\n", ""),
        Code::ColumnMismatch,
        23 - 2,
        "经济生活简评",
    );
    let extra = format!("{SAMPLE}    多一段。\n");
    expect_only(&extra, Code::ParagraphCountMismatch, 29, "多一段。");
}

#[test]
fn review() {
    let text = variant(
        "Since the launch",
        "Since 全国增产节约运动 the launch of 厂",
    );
    let d = check_text(&text);
    let got: Vec<_> = d
        .iter()
        .map(|d| (d.code, d.severity, &text[d.span.clone()]))
        .collect();
    assert_eq!(
        got,
        [
            (
                Code::UntranslatedText,
                Severity::Warning,
                "全国增产节约运动"
            ),
            (Code::UntranslatedText, Severity::Information, "厂"),
        ]
    );
    let glossary = variant(
        "\n\n\n<hr />",
        "\n\n**Named Entities**\n\n经济\tEconomy\n\n<hr />",
    );
    assert_eq!(found(&glossary), vec![]);
    let line = SAMPLE.lines().nth(26).unwrap();
    expect_only(
        &variant(line, "    The national campaign"),
        Code::MissingChinese,
        26,
        "The national campaign",
    );
}

#[test]
fn typography() {
    expect_only(
        &variant("    Since the launch", "\tSince the launch"),
        Code::Indentation,
        8,
        "\t",
    );
    let unindented = variant("    Since the launch", "Since the launch");
    assert_eq!(found(&unindented)[0].0, Code::Indentation);
    assert!(found(&unindented)[0].2.starts_with("Since the launch"));
    assert_eq!(
        found(&variant(
            "    Since the launch",
            "\u{3000}\u{3000}Since the launch"
        )),
        vec![]
    );
    expect_only(
        &variant("Date: 1952-08-03", "Date: 1952-08-03  "),
        Code::TrailingWhitespace,
        2,
        "  ",
    );
    assert_eq!(found(&variant("<hr /> ", "<hr />   ")), vec![]);
}

#[test]
fn diagnostics_are_capped() {
    let mut text = SAMPLE.to_owned();
    for _ in 0..3000 {
        text.push_str("    多\t\n");
    }
    let d = check_text(&text);
    assert_eq!(d.len(), super::MAX_DIAGNOSTICS + 1);
    assert_eq!(d.last().unwrap().code, Code::TooManyDiagnostics);
}

/// A rule on alone reports just what it reports among all, on every one-fault fixture: the
/// families' lists of codes (which decide whether a family runs) miss none of their codes.
#[test]
fn a_rule_alone_reports_what_it_reports_among_all() {
    use super::{check_with, FAMILIES};
    use crate::config::Settings;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid");
    let mut seen = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(&dir).expect("the fixtures") {
        let path = entry.expect("a fixture").path();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // not UTF-8: the checker's business, not the rules'
        };
        let doc = crate::syntax::parse(&text);
        let alignment = crate::align::align(&text, &doc);
        let all = check_with(&text, &doc, &alignment, &Settings::default());
        for &code in Code::ALL {
            let mut settings = Settings::default();
            settings.select_only(&[code]);
            let alone = check_with(&text, &doc, &alignment, &settings);
            let expected: Vec<_> = all.iter().filter(|d| d.code == code).cloned().collect();
            assert_eq!(alone, expected, "{code:?} alone in {}", path.display());
        }
        seen.extend(all.iter().map(|d| d.code));
    }
    // Not vacuous: every listed code fires in some fixture, and every code that fires is
    // listed.
    let listed: std::collections::BTreeSet<Code> = FAMILIES
        .iter()
        .flat_map(|(_, codes)| codes.iter().copied())
        .collect();
    assert!(
        listed.is_subset(&seen),
        "never fired: {:?}",
        listed.difference(&seen)
    );
    assert!(
        seen.is_subset(&listed),
        "not listed: {:?}",
        seen.difference(&listed)
    );
}
