use super::*;

#[path = "../../../tests/common/faults.rs"]
mod faults;
use crate::check::check_text;
use faults::every_safe_fault;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}

/// Every fixture that is text (the invalid-encoding one is not).
fn fixtures() -> Vec<(PathBuf, String)> {
    ["invalid", "valid"]
        .iter()
        .flat_map(|d| files(&root().join("tests/fixtures").join(d)))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter_map(|p| Some((p.clone(), std::fs::read_to_string(&p).ok()?)))
        .collect()
}

const SAMPLE: &str = include_str!("../../../seeds/000_0d759123a74baf35.txt");

/// The diagnostics of `text` as (code, message), sorted, for comparing before and after.
fn keyed(text: &str) -> Vec<(Code, String)> {
    let mut v: Vec<(Code, String)> = check_text(text)
        .into_iter()
        .map(|d| (d.code, d.message))
        .collect();
    v.sort();
    v
}

/// The fixes of `text` with the default settings.
fn all_fixes(text: &str) -> (Vec<Diagnostic>, Vec<Fix>) {
    let doc = syntax::parse(text);
    let d = check_text(text);
    let f = fixes(text, &doc, &Settings::default(), &d);
    (d, f)
}

/// Applies `fix`; asserts that its diagnostic is gone and nothing new came. Returns the
/// fixed text.
fn assert_repairs(text: &str, diagnostics: &[Diagnostic], fix: &Fix, what: &str) -> String {
    let after = apply(text, &fix.edits).unwrap_or_else(|| panic!("{what}: edits apply"));
    let mut left = keyed(text);
    let d = &diagnostics[fix.diagnostic];
    let at = left
        .iter()
        .position(|k| k.0 == d.code && k.1 == d.message)
        .expect("the fixed diagnostic was there");
    left.remove(at);
    for k in keyed(&after) {
        let Some(i) = left.iter().position(|l| *l == k) else {
            panic!("{what}: `{}` brought {k:?}\n{after}", fix.title);
        };
        left.remove(i);
    }
    after
}

#[test]
fn every_fix_on_every_fixture_repairs_and_brings_nothing_new() {
    let fixable = [
        Code::DateMismatch,
        Code::PageMismatch,
        Code::MissingHeaderField,
        Code::UnknownHeaderField,
        Code::HeaderFieldOrder,
        Code::HeaderLayout,
        Code::Indentation,
        Code::TrailingWhitespace,
        Code::HalfwidthPunctuation,
        Code::RepeatedWord,
    ];
    for (path, text) in fixtures() {
        let (diagnostics, found) = all_fixes(&text);
        for fix in &found {
            assert_repairs(&text, &diagnostics, fix, &path.display().to_string());
        }
        // The fixture named after a fixable code gets its fix.
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if let Some(code) = fixable.iter().find(|c| c.name() == name) {
            assert!(
                found.iter().any(|f| f.code == *code),
                "{name}: no fix for {code:?}: {diagnostics:?}"
            );
        }
    }
}

#[test]
fn mismatches_offer_both_sides_the_original_preferred() {
    let text = SAMPLE.replacen("Date: 1952-08-03", "Date: 1952-08-04", 1);
    let (d, f) = all_fixes(&text);
    let mine: Vec<&Fix> = f.iter().filter(|f| f.code == Code::DateMismatch).collect();
    assert_eq!(mine.len(), 2);
    assert!(mine[0].preferred && !mine[1].preferred && !mine[0].safe);
    // Minimal: one character each.
    let at = text.find("1952-08-04").unwrap() + 9;
    assert_eq!(mine[0].edits, [Edit::new(at..at + 1, "3")]);
    assert_eq!(assert_repairs(&text, &d, mine[0], "date"), SAMPLE);
    let other = assert_repairs(&text, &d, mine[1], "date");
    assert!(other.contains("\n1952-08-04\n"));

    let text = SAMPLE.replacen("Page: 2", "Page: 12", 1);
    let (d, f) = all_fixes(&text);
    let mine: Vec<&Fix> = f.iter().filter(|f| f.code == Code::PageMismatch).collect();
    assert_eq!(mine.len(), 2);
    assert_eq!(assert_repairs(&text, &d, mine[0], "page"), SAMPLE);
    assert!(assert_repairs(&text, &d, mine[1], "page").contains("第12版()"));
}

#[test]
fn missing_fields_take_the_originals_values_in_header_order() {
    for (line, safe) in [
        ("Date: 1952-08-03\n", true),
        ("Page: 2\n", true),
        ("Author:\n", false),
    ] {
        let text = SAMPLE.replacen(line, "", 1);
        let (d, f) = all_fixes(&text);
        let fix = f
            .iter()
            .find(|f| f.code == Code::MissingHeaderField)
            .unwrap_or_else(|| panic!("a fix for {line}"));
        assert_eq!(fix.safe, safe, "{line}");
        assert_eq!(assert_repairs(&text, &d, fix, line), SAMPLE, "{line}");
        // CRLF stays CRLF.
        let crlf = text.replace('\n', "\r\n");
        let (d, f) = all_fixes(&crlf);
        let fix = f
            .iter()
            .find(|f| f.code == Code::MissingHeaderField)
            .unwrap();
        assert_eq!(
            assert_repairs(&crlf, &d, fix, line),
            SAMPLE.replace('\n', "\r\n")
        );
    }
    // The author romanised when the original names one; no empty `Author:` then.
    let named = SAMPLE.replacen("Author:\n", "", 1).replacen(
        "\n\n1952-08-03\n",
        "\n张云川\n1952-08-03\n",
        1,
    );
    let (d, f) = all_fixes(&named);
    let fix = f
        .iter()
        .find(|f| f.code == Code::MissingHeaderField)
        .unwrap();
    assert_eq!(fix.title, "Add `Author: Zhang Yunchuan` to the header");
    assert!(assert_repairs(&named, &d, fix, "author").contains("\nAuthor: Zhang Yunchuan\nDate:"));
    // No title to invent.
    let untitled = SAMPLE.replacen("Title: ", "Note: ", 1);
    assert!(all_fixes(&untitled)
        .1
        .iter()
        .all(|f| f.code != Code::MissingHeaderField));
}

#[test]
fn unknown_keys_renamed_when_near_and_not_duplicated() {
    let text = SAMPLE.replacen("Title:", "Titel:", 1);
    let (d, f) = all_fixes(&text);
    let fix = f
        .iter()
        .find(|f| f.code == Code::UnknownHeaderField)
        .unwrap();
    assert!(fix.safe);
    assert_eq!(fix.edits, [Edit::new(3..5, "le")]);
    assert_eq!(assert_repairs(&text, &d, fix, "titel"), SAMPLE);
    // Far from every key, or a key already there: nothing.
    let far = SAMPLE.replacen("Author:", "Author:\nSource: x", 1);
    assert!(all_fixes(&far).1.is_empty());
    let dup = SAMPLE.replacen("Author:", "Author:\nDat: x", 1);
    assert!(all_fixes(&dup)
        .1
        .iter()
        .all(|f| f.code != Code::UnknownHeaderField));
}

#[test]
fn header_order_and_layout() {
    let text = SAMPLE.replacen(
        "Author:\nDate: 1952-08-03\n",
        "Date: 1952-08-03\nAuthor:\n",
        1,
    );
    let (d, f) = all_fixes(&text);
    let fix = f.iter().find(|f| f.code == Code::HeaderFieldOrder).unwrap();
    assert!(fix.safe);
    assert_eq!(assert_repairs(&text, &d, fix, "order"), SAMPLE);
    let text = SAMPLE.replacen("Author:\n", "Author:\n\n\n", 1);
    let (d, f) = all_fixes(&text);
    let fix = f.iter().find(|f| f.code == Code::HeaderLayout).unwrap();
    assert_eq!(
        fix.edits,
        [Edit::new(
            text.find("\n\n\n").unwrap() + 1..text.find("\n\n\n").unwrap() + 3,
            ""
        )]
    );
    assert_eq!(assert_repairs(&text, &d, fix, "layout"), SAMPLE);
}

#[test]
fn indentation_follows_the_sides_convention() {
    let first_en = "    Experience in Timely";
    let text = SAMPLE.replacen(first_en, "\tExperience in Timely", 1);
    let (d, f) = all_fixes(&text);
    let fix = f.iter().find(|f| f.code == Code::Indentation).unwrap();
    assert_eq!(
        fix.edits,
        [Edit::new(
            text.find('\t').unwrap()..text.find('\t').unwrap() + 1,
            "    "
        )]
    );
    assert_eq!(assert_repairs(&text, &d, fix, "tab"), SAMPLE);
    // An original written with U+3000: an unindented paragraph gets two of them.
    let marker = SAMPLE.find("Original:").unwrap();
    let (en, cn) = SAMPLE.split_at(marker);
    let cn = cn.replace("\n    ", "\n\u{3000}\u{3000}");
    let first_cn = cn.find("\n\u{3000}\u{3000}").unwrap();
    let cn = format!("{}{}", &cn[..first_cn + 1], &cn[first_cn + 1 + 6..]);
    let text = format!("{en}{cn}");
    let (d, f) = all_fixes(&text);
    let fix = f.iter().find(|f| f.code == Code::Indentation).unwrap();
    assert_eq!(fix.edits[0].new_text, "\u{3000}\u{3000}");
    assert!(fix.edits[0].span.is_empty());
    assert_repairs(&text, &d, fix, "u3000");
}

#[test]
fn trailing_whitespace_keeps_the_canonical_forms() {
    let text =
        SAMPLE
            .replacen("Page: 2\n", "Page: 2 \t\n", 1)
            .replacen("<hr /> \n", "<hr />  \n", 1);
    let (d, f) = all_fixes(&text);
    let mine: Vec<&Fix> = f
        .iter()
        .filter(|f| f.code == Code::TrailingWhitespace)
        .collect();
    assert_eq!(mine.len(), 1);
    let fixed = assert_repairs(&text, &d, mine[0], "trailing");
    assert!(fixed.contains("Page: 2\n") && fixed.contains("<hr />  \n"));
}

#[test]
fn halfwidth_marks_brackets_in_pairs_never_the_page_line() {
    let text = SAMPLE.replacen(
        "及时总结和传播推广先进经验的经验\n    全国",
        "及时总结和传播推广先进经验的经验\n    全(国",
        1,
    );
    assert_ne!(text, SAMPLE);
    let text = text.replacen("全(国性的增产节约运动", "全(国性的增产节约运动)", 1);
    let (d, f) = all_fixes(&text);
    let fix = f
        .iter()
        .find(|f| f.code == Code::HalfwidthPunctuation)
        .expect("a fix");
    assert_eq!(fix.edits.len(), 2, "{fix:?}");
    assert_eq!(fix.edits[0].new_text, "（");
    assert_eq!(fix.edits[1].new_text, "）");
    assert_repairs(&text, &d, fix, "pair");
    // `，` written `,`: one mark.
    let text = SAMPLE.replacen("开展以来，", "开展以来,", 1);
    let (d, f) = all_fixes(&text);
    let fix = f
        .iter()
        .find(|f| f.code == Code::HalfwidthPunctuation)
        .unwrap();
    assert!(fix.safe);
    assert_eq!(assert_repairs(&text, &d, fix, "comma"), SAMPLE);
    // The page line's ASCII brackets are the archive's convention: nothing there.
    assert!(all_fixes(SAMPLE).1.is_empty());
}

#[test]
fn latin_zero_and_repeated_word_are_offered_not_safe() {
    // The English has the year, so the repaired numeral is no mismatch.
    let text = SAMPLE
        .replacen("全国性的增产节约运动", "一九五O年全国性的增产节约运动", 1)
        .replacen("Since the launch", "Since the 1950 launch", 1);
    let (d, f) = all_fixes(&text);
    let fix = f
        .iter()
        .find(|f| f.code == Code::OcrArtifact)
        .expect("zero");
    assert!(!fix.safe);
    assert!(assert_repairs(&text, &d, fix, "zero").contains("一九五〇年"));
    let text = SAMPLE.replacen("workers in various", "workers in in various", 1);
    let (d, f) = all_fixes(&text);
    let fix = f
        .iter()
        .find(|f| f.code == Code::RepeatedWord)
        .expect("repeat");
    assert!(!fix.safe);
    assert_eq!(assert_repairs(&text, &d, fix, "repeat"), SAMPLE);
}

#[test]
fn fix_all_repairs_every_safe_fault_at_once_and_changes_nothing_else() {
    let variants: [fn(&str) -> String; 3] = [
        str::to_owned,
        |t| t.replace('\n', "\r\n"),
        |t| format!("\u{feff}{t}"),
    ];
    for variant in variants {
        let sample = variant(SAMPLE);
        let broken = variant(&every_safe_fault(SAMPLE));
        let codes: Vec<Code> = check_text(&broken).iter().map(|d| d.code).collect();
        for code in [
            Code::UnknownHeaderField,
            Code::HeaderFieldOrder,
            Code::HeaderLayout,
            Code::MissingHeaderField,
            Code::Indentation,
            Code::TrailingWhitespace,
            Code::HalfwidthPunctuation,
        ] {
            assert!(codes.contains(&code), "{code:?} in {codes:?}");
        }
        let fixed = fix_all(&broken, &Settings::default());
        assert_eq!(fixed, sample);
        // The composed edits are minimal: none touches the untouched paragraphs.
        let edits = fix_all_edits(&broken, &Settings::default());
        let body = broken.find("    Since the launch").unwrap();
        let until = broken.find("<hr />").unwrap();
        assert!(
            edits
                .iter()
                .all(|e| e.span.end <= body || e.span.start >= until),
            "{edits:?}"
        );
    }
}

#[test]
fn overlapping_safe_fixes_wait_for_the_next_pass() {
    // A blank line with blanks inside the header: the blank line's removal and the
    // trailing whitespace's overlap; one pass does one, fix_all both.
    let text = SAMPLE.replacen("Author:\n", "Author:\n  \n", 1);
    let doc = syntax::parse(&text);
    let d = check_text(&text);
    let once = safe_edits(&text, &doc, &Settings::default(), &d);
    assert_eq!(once.len(), 1);
    assert_eq!(fix_all(&text, &Settings::default()), SAMPLE);
}

#[test]
fn rules_turned_off_are_not_fixed() {
    let text = SAMPLE.replacen("Page: 2\n", "Page: 2 \n", 1);
    let mut settings = Settings::default();
    settings
        .rules
        .set(Code::TrailingWhitespace, crate::config::Level::Off);
    assert_eq!(fix_all(&text, &settings), text);
    assert_eq!(fix_all(&text, &Settings::default()), SAMPLE);
}

#[test]
fn compose_equals_applying_in_turn() {
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |n: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % n as u64) as usize
    };
    let random_edits = |text: &str, next: &mut dyn FnMut(usize) -> usize| {
        let mut cuts: Vec<usize> = (0..next(5) * 2).map(|_| next(text.len() + 1)).collect();
        cuts.sort();
        cuts.chunks(2)
            .filter(|c| c.len() == 2)
            .map(|c| Edit::new(c[0]..c[1], ["", "x", "yz", "w"][next(4)]))
            .fold(Vec::<Edit>::new(), |mut v, e| {
                if v.last().is_none_or(|l| !conflict(l, &e)) {
                    v.push(e);
                }
                v
            })
    };
    for _ in 0..2000 {
        let original = "abcdefghij".to_owned();
        let first = random_edits(&original, &mut next);
        let middle = apply(&original, &first).unwrap();
        let then = random_edits(&middle, &mut next);
        let last = apply(&middle, &then).unwrap();
        let composed = compose(&original, &first, &then, &last);
        assert_eq!(
            apply(&original, &composed).as_deref(),
            Some(last.as_str()),
            "{first:?} then {then:?}"
        );
    }
}

#[test]
fn fix_all_changes_no_seed() {
    for path in files(&root().join("seeds")) {
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            fix_all(&text, &Settings::default()),
            text,
            "{}",
            path.display()
        );
    }
}

/// The words of a text for the corpus test: the runs of non-blank characters, the
/// half-width marks that a fix turns full-width read as full-width.
fn words(s: &str) -> Vec<String> {
    s.split_whitespace()
        .map(|w| w.chars().map(check::fullwidth_of).collect())
        .collect()
}

#[test]
fn fix_all_on_the_corpus_changes_no_word_and_brings_no_diagnostic() {
    let dir = root().join("../shared/corpus");
    if !dir.is_dir() {
        eprintln!(
            "\n*** SKIPPED: the corpus is not at {} ***\n",
            dir.display()
        );
        return;
    }
    let settings = Settings::default();
    let (mut changed, mut offered) = (0, 0);
    for path in files(&dir) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        // Each fix alone, the unverified blank ones included, repairs and brings nothing.
        let (diagnostics, found) = all_fixes(&text);
        for fix in &found {
            assert_repairs(&text, &diagnostics, fix, &path.display().to_string());
        }
        offered += found.len();
        let fixed = fix_all(&text, &settings);
        if fixed == text {
            continue;
        }
        changed += 1;
        let what = path.display();
        // Header lines may move and gain a key: compare their words as a multiset, the
        // rest in sequence.
        let split = |t: &str| {
            let doc = syntax::parse(t);
            let end = doc
                .header
                .fields
                .last()
                .map_or(0, |f| doc.lines[f.line].next);
            let mut head = words(&t[..end]);
            head.sort();
            (head, words(&t[end..]))
        };
        let (head, body) = split(&text);
        let (fixed_head, fixed_body) = split(&fixed);
        assert_eq!(body, fixed_body, "{what}: a word of the body changed");
        let mut added = fixed_head.clone();
        for w in &head {
            match added.iter().position(|x| x == w) {
                Some(i) => {
                    added.remove(i);
                }
                // A renamed key is the one allowed change: `Titel:` → `Title:`.
                None => assert!(w.ends_with(':'), "{what}: header word {w} lost"),
            }
        }
        let mut before = keyed(&text);
        for k in keyed(&fixed) {
            let i = before.iter().position(|b| *b == k);
            assert!(i.is_some(), "{what}: fix_all brought {k:?}");
            before.remove(i.unwrap());
        }
        assert_eq!(fix_all(&fixed, &settings), fixed, "{what}: not idempotent");
    }
    eprintln!("fix_all changed {changed} corpus files; {offered} fixes offered, each checked");
    assert!(changed > 0, "the corpus has indentation and blanks to fix");
}

#[test]
fn thousands_of_faults_cost_little_and_are_all_fixed_within_the_passes() {
    // 2,500 paragraphs a side, each unindented with a trailing blank: 10,000 faults,
    // over the 1,000 diagnostics a check reports, so fix_all needs several passes.
    let n = 2500;
    let en: String = (0..n)
        .map(|i| format!("Paragraph number {i} of the translation. \n"))
        .collect();
    let cn: String = (0..n).map(|i| format!("第{i}段中文原文。 \n")).collect();
    let text = format!(
        "Title: T\nAuthor:\nDate: 1952-08-03\nPage: 2\n\n{en}\n<hr /> \n\nOriginal: \n\n\n### 标题\n\n1952-08-03\n第2版()\n专栏：\n\n{cn}"
    );
    let t = std::time::Instant::now();
    let fixed = fix_all(&text, &Settings::default());
    let took = t.elapsed();
    eprintln!("fix_all of {} faults: {took:?}", 4 * n);
    assert!(took < std::time::Duration::from_secs(60), "{took:?}");
    let left: Vec<Code> = check_text(&fixed)
        .into_iter()
        .map(|d| d.code)
        .filter(|c| matches!(c, Code::Indentation | Code::TrailingWhitespace))
        .collect();
    assert!(left.is_empty(), "{} left", left.len());
    assert_eq!(words(&fixed), words(&text));
}
