//! Folding ranges and selection ranges through the real server, with exact expectations on
//! the seed (FORMAT.md's anatomy) and on a real file with a Named Entities block, in each
//! position encoding; positions computed here independently.

mod common;

use common::{position, Server};
use serde_json::{json, Value};

const SEED: &str = "seeds/000_0d759123a74baf35.txt";

fn read(rel: &str) -> String {
    std::fs::read_to_string(common::root().join(rel)).unwrap()
}

fn start(enc: &str, line_folding_only: bool) -> Server {
    let mut s = Server::start();
    let r = s.initialize(json!({
        "general": {"positionEncodings": [enc]},
        "textDocument": {"foldingRange": {"lineFoldingOnly": line_folding_only}}
    }));
    assert_eq!(r["capabilities"]["positionEncoding"], enc);
    assert_eq!(r["capabilities"]["foldingRangeProvider"], true);
    assert_eq!(r["capabilities"]["selectionRangeProvider"], true);
    s
}

fn folds(s: &mut Server, uri: &str) -> Vec<Value> {
    s.request(
        "textDocument/foldingRange",
        json!({"textDocument": {"uri": uri}}),
    )
    .as_array()
    .unwrap()
    .clone()
}

fn lines_of(f: &Value) -> (u64, u64) {
    (
        f["startLine"].as_u64().unwrap(),
        f["endLine"].as_u64().unwrap(),
    )
}

#[test]
fn the_seeds_sections_fold_and_long_paragraphs_fold_inside_their_line() {
    for enc in ["utf-8", "utf-16", "utf-32"] {
        let text = read(SEED);
        // A client that folds whole lines: the four sections (no Named Entities here).
        let mut s = start(enc, true);
        s.open("file:///seed.txt", &text);
        let f = folds(&mut s, "file:///seed.txt");
        let got: Vec<(u64, u64)> = f.iter().map(lines_of).collect();
        assert_eq!(got, [(0, 3), (5, 10), (16, 28)], "{enc}");
        assert!(f
            .iter()
            .all(|f| f["kind"] == "region" && f.get("startCharacter").is_none()));
        assert_eq!(f[1]["collapsedText"], "Translation: 4 paragraphs");
        s.shutdown();

        // A client that folds inside lines: each long paragraph too, after its first
        // screen line, to the paragraph's end.
        let mut s = start(enc, false);
        s.open("file:///seed.txt", &text);
        let f = folds(&mut s, "file:///seed.txt");
        let long: Vec<&Value> = f
            .iter()
            .filter(|f| f.get("startCharacter").is_some())
            .collect();
        let doc = archive_lsp::syntax::parse(&text);
        let expected: Vec<u64> = doc
            .translation
            .paragraphs
            .iter()
            .chain(&doc.original.paragraphs)
            .filter(|p| unicode_width_of(&text[p.text.clone()]) > 320)
            .map(|p| p.line as u64)
            .collect();
        assert!(!expected.is_empty());
        assert_eq!(
            long.iter().map(|f| lines_of(f).0).collect::<Vec<_>>(),
            expected
        );
        for fold in long {
            let (l, l1) = lines_of(fold);
            assert_eq!(l, l1);
            let end = position::at(&text, doc.lines[l as usize].end, enc);
            assert_eq!(fold["endCharacter"], end["character"], "{enc}: {fold}");
            assert!(fold["startCharacter"].as_u64() < fold["endCharacter"].as_u64());
        }
        s.shutdown();
    }
}

/// Terminal columns, Han counted as two (the harness's own count, not the server's).
fn unicode_width_of(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if archive_lsp::text::is_han(c)
                || ('\u{3000}'..='\u{303f}').contains(&c)
                || ('\u{ff00}'..='\u{ff60}').contains(&c)
            {
                2
            } else {
                1
            }
        })
        .sum()
}

#[test]
fn named_entities_fold_on_a_real_file() {
    let Some(files) = common::corpus() else {
        return;
    };
    let path = files
        .iter()
        .find(|p| p.to_string_lossy().contains("1946-05-15_发刊词"))
        .expect("the corpus has 发刊词");
    let text = std::fs::read_to_string(path).unwrap();
    let heading = text[..text.find("**Named Entities**").unwrap()]
        .matches('\n')
        .count() as u64;
    let last_entry = text[..text.find("Ziwei douzheng").unwrap()]
        .matches('\n')
        .count() as u64;
    let mut s = start("utf-16", true);
    let uri = common::file_uri(path);
    s.open(&uri, &text);
    let f = folds(&mut s, &uri);
    assert!(
        f.iter().any(|f| lines_of(f) == (heading, last_entry)),
        "{heading}..{last_entry}: {f:?}"
    );
    s.shutdown();
}

/// The chain of ranges of a selection range answer, innermost first.
fn chain(r: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cur = r;
    while cur.is_object() {
        out.push(cur["range"].clone());
        cur = &cur["parent"];
    }
    out
}

#[test]
fn selection_expands_sentence_paragraph_section_document() {
    for enc in ["utf-8", "utf-16", "utf-32"] {
        let text = read(SEED);
        let mut s = start(enc, true);
        s.open("file:///seed.txt", &text);
        let range = |a: usize, b: usize| position::range(&text, &(a..b), enc);
        let line_start = |needle: &str| text.find(needle).unwrap();
        let line_end = |needle: &str| {
            let at = text.find(needle).unwrap();
            text[at..].find('\n').map_or(text.len(), |i| at + i)
        };

        // English: the second sentence of paragraph 2 ends at its `?`, outside quotes.
        let p = line_start("Since the launch");
        let second = text[p..].find("However,").unwrap() + p;
        let q = text[second..].find('?').unwrap() + second + 1;
        // Chinese: the first sentence of the original's paragraph 2 ends at `。`.
        let c = line_start("全国性的增产节约运动开展以来");
        let c_end = text[c..].find('。').unwrap() + c + '。'.len_utf8();
        let marker = line_start("Original: ");
        let positions = [
            position::at(&text, second + 10, enc),
            position::at(&text, c + 6, enc),
            position::at(&text, line_start("Date: ") + 8, enc),
        ];
        let r = s.request(
            "textDocument/selectionRange",
            json!({"textDocument": {"uri": "file:///seed.txt"}, "positions": positions}),
        );
        let r = r.as_array().unwrap();
        assert_eq!(
            chain(&r[0]),
            [
                range(second, q),
                range(p, line_end("Since the launch")),
                range(
                    line_start("Economic Life Brief Commentary"),
                    line_end("The experience of a certain factory")
                ),
                range(0, text.len()),
            ],
            "{enc}"
        );
        assert_eq!(
            chain(&r[1]),
            [
                range(c, c_end),
                range(c, line_end("全国性的增产节约运动开展以来")),
                range(marker, text.len() - 1),
                range(0, text.len()),
            ],
            "{enc}"
        );
        let date = line_start("Date: ");
        assert_eq!(
            chain(&r[2]),
            [
                range(date + 6, date + 16),
                range(date, date + 16),
                range(0, line_end("Page: 2")),
                range(0, text.len()),
            ],
            "{enc}"
        );
        s.shutdown();
    }
}
