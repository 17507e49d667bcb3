//! The number and dateline review on real files: over the corpus beside the project, exactly
//! these `number-mismatch` and `dateline-mismatch` warnings, each one a fault a reviewer
//! fixes. A new false positive or a lost fault fails here. The corpus is third-party text,
//! read in place and never copied into the project.

mod common;

use serde_json::Value;
use std::path::Path;

/// (file, code, 1-based line, covered text), sorted, with why each is a real fault.
const EXPECTED: &[(&str, &str, u64, &str)] = &[
    // OCR: 二日 read as 二百 (石庄市二百至十五日); the English rightly says "from the 2nd to
    // the 15th". The reviewer corrects the original.
    (
        "1948.10_1948-10-03_半月物价概况.md",
        "number-mismatch",
        61,
        "二百",
    ),
    // 富平县七区八乡: the English has only "Eighth District"; the seventh district is lost.
    ("1951.01_1951-01-03_读者来信.md", "number-mismatch", 46, "七"),
    // 已于22日任命: the English drops "on the 22nd".
    (
        "1959.06_1959-06-01_瓦尔瓦尼任芬驻华大使.md",
        "number-mismatch",
        22,
        "22",
    ),
    // 新华社三十一日讯 rendered as "New China News Agency, June 1st".
    (
        "1968.06_1968-06-01_热烈欢呼毛主席支持美国黑人抗暴斗争的声明_热烈欢呼毛主席支持美国黑人抗暴斗争的声明.md",
        "dateline-mismatch",
        44,
        "三十一日",
    ),
];

/// The text a diagnostic covers, from its 1-based line and character columns.
fn covered(path: &Path, d: &Value) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let line = d["start"]["line"].as_u64().unwrap() as usize;
    assert_eq!(d["start"]["line"], d["end"]["line"], "one line: {d}");
    let from = d["start"]["column"].as_u64().unwrap() as usize - 1;
    let to = d["end"]["column"].as_u64().unwrap() as usize - 1;
    text.lines()
        .nth(line - 1)
        .unwrap()
        .chars()
        .skip(from)
        .take(to - from)
        .collect()
}

#[test]
fn numbers_and_datelines_over_the_corpus() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let o = common::checker()
        .args(["check", "--format", "json"])
        .arg(&corpus)
        .output()
        .unwrap();
    let diags: Vec<Value> = serde_json::from_slice(&o.stdout).expect("JSON output");
    let mut got: Vec<(String, String, u64, String)> = Vec::new();
    for d in &diags {
        let code = d["code"].as_str().unwrap();
        if code != "number-mismatch" && code != "dateline-mismatch" {
            continue;
        }
        assert_eq!(d["severity"], "warning", "{d}");
        assert!(!d["message"].as_str().unwrap().is_empty());
        let path = Path::new(d["path"].as_str().unwrap());
        got.push((
            path.file_name().unwrap().to_str().unwrap().to_owned(),
            code.to_owned(),
            d["start"]["line"].as_u64().unwrap(),
            covered(path, d),
        ));
    }
    got.sort();
    let expected: Vec<(String, String, u64, String)> = EXPECTED
        .iter()
        .map(|(f, c, l, t)| (f.to_string(), c.to_string(), *l, t.to_string()))
        .collect();
    for g in &got {
        assert!(
            expected.contains(g),
            "a number or dateline warning not on the list (a false positive?): {g:?}"
        );
    }
    for e in &expected {
        assert!(got.contains(e), "a known fault is no longer found: {e:?}");
    }
    assert_eq!(got, expected);
}
