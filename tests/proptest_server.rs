//! Property test of the server (issue 6, item 4, last clause): every position the server
//! returns is valid in the negotiated encoding for the document's text. Generated
//! documents (seeds perturbed with Han, astral characters, odd blanks and every kind of
//! line break, and near-archive soups of lines) are opened in one long-lived release
//! server per encoding, edited once at a random place (possibly inside a character), and
//! then every diagnostic range (related information included), hover range, definition
//! target and origin, outline range and document link range and `#L` target must lie in
//! the text: the line exists, the character is at most the line's length in the encoding
//! and on a character boundary (not inside a surrogate pair in UTF-16, not inside a UTF-8
//! sequence in UTF-8), and no range ends before it starts. Hover and definition are asked
//! at positions on every line, inside characters and past line ends included. UTF-8 and
//! UTF-16 use hierarchical outlines and definition links; UTF-32 the flat outline and
//! plain locations, so both shapes are checked. Deterministic (a fixed ChaCha seed).

mod common;

use common::{answer_errors, line_boundaries, position, seeds, Server};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{json, Value};
use std::cell::RefCell;

/// Generated documents per encoding.
const CASES: u32 = 64;

const PIECES: &[&str] = &[
    "\n",
    "\r",
    "\r\n",
    "\r\n\r\n",
    "𠮷",
    "𠮷𠮷",
    "中",
    "文字",
    "〇",
    "□",
    "\u{3000}",
    "\t",
    " ",
    "    ",
    "\u{feff}",
    "\u{2028}",
    "é",
    "e\u{301}",
    "### ",
    "<hr /> ",
    "Original: ",
    "Title: ",
    "Date: 1952-08-03",
    "第2版()",
    "专栏：",
    "**Named Entities**",
    "x",
];

const LINES: &[&str] = &[
    "Title: 𠮷家庄 Completes a Canal",
    "Author: Han Feng (寒风)",
    "Author:",
    "Date: 1956-04-20",
    "Date: 1956-13-40",
    "Page: 2",
    "",
    "    Members of the 𠮷家庄 cooperative built a canal.",
    "\u{3000}\u{3000}山西省榆次县𠮷家庄农业生产合作社。",
    "unindented paragraph with 中文",
    "<hr /> ",
    "Original: ",
    "### 𠮷家庄修成新水渠",
    "1956-04-20",
    "第2版()",
    "专栏：经济生活",
    "**Named Entities**",
    "𠮷家庄\tJijiazhuang",
    "    □□□ illegible □",
    "trailing blanks  ",
];

/// A seed with pieces inserted at random places and its breaks rewritten.
fn perturbed_seed() -> impl Strategy<Value = String> {
    let n = seeds().len();
    (
        0..n,
        prop::collection::vec(
            (any::<prop::sample::Index>(), prop::sample::select(PIECES)),
            0..12,
        ),
        prop::sample::select(&["\n", "\r\n", "\r", "mixed"][..]),
    )
        .prop_map(|(k, inserts, breaks)| {
            let mut text = std::fs::read_to_string(&seeds()[k]).unwrap();
            text = match breaks {
                "mixed" => text
                    .split('\n')
                    .enumerate()
                    .map(|(i, l)| format!("{l}{}", ["\n", "\r\n", "\r"][i % 3]))
                    .collect(),
                b => text.replace('\n', b),
            };
            for (at, piece) in inserts {
                let bounds: Vec<usize> = text
                    .char_indices()
                    .map(|(i, _)| i)
                    .chain([text.len()])
                    .collect();
                text.insert_str(bounds[at.index(bounds.len())], piece);
            }
            text
        })
}

/// Lines from [`LINES`] and [`PIECES`] joined by random breaks.
fn near_archive() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop_oneof![
                3 => prop::sample::select(LINES).prop_map(str::to_owned),
                1 => prop::collection::vec(prop::sample::select(PIECES), 0..6)
                    .prop_map(|v| v.concat()),
            ],
            prop::sample::select(&["\n", "\r\n", "\r", ""][..]),
        ),
        0..40,
    )
    .prop_map(|lines| lines.into_iter().map(|(l, b)| l + b).collect())
}

/// A document and one edit: (start, end) as fractions of its lines, a unit offset, text.
fn case() -> impl Strategy<Value = (String, (u32, u32, u32, u32), &'static str)> {
    (
        prop_oneof![perturbed_seed(), near_archive()],
        (0u32..100, 0u32..100, 0u32..6, 0u32..60),
        prop::sample::select(PIECES),
    )
}

/// The units `c` takes in `enc`.
fn width(c: char, enc: &str) -> u64 {
    match enc {
        "utf-8" => c.len_utf8() as u64,
        "utf-16" => c.len_utf16() as u64,
        _ => 1,
    }
}

/// Positions to ask hover and definition at: on every line (at most 40), its start, an
/// inside of its first wide character (if any), a middle, its end and past its end.
fn probes(text: &str, enc: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for (l, line) in text.split(['\n', '\r']).enumerate().take(40) {
        let len: u64 = line.chars().map(|c| width(c, enc)).sum();
        let mut units = 0;
        let mut inside = None;
        for c in line.chars() {
            if width(c, enc) > 1 {
                inside = Some(units + 1);
                break;
            }
            units += width(c, enc);
        }
        for ch in [Some(0), inside, Some(len / 2), Some(len), Some(len + 3)]
            .into_iter()
            .flatten()
        {
            out.push(json!({"line": l, "character": ch}));
        }
    }
    out.push(json!({"line": u32::MAX, "character": u32::MAX}));
    out
}

fn run(enc: &str, caps: Value, seed_byte: u8) {
    let s = RefCell::new(Server::start_release());
    let r = s.borrow_mut().initialize(caps);
    assert_eq!(r["capabilities"]["positionEncoding"], enc);
    let counter = RefCell::new(0u32);
    // Positions checked, and non-empty answers per kind (so the check is not vacuous).
    let checked = RefCell::new(0usize);
    let found = RefCell::new([0usize; 5]);
    let config = Config {
        cases: CASES,
        failure_persistence: None,
        max_shrink_iters: 200,
        ..Config::default()
    };
    let mut seed = [seed_byte; 32];
    seed[0] = 0x5e;
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
    let result = runner.run(&case(), |(text, (a, b, inner, col), piece)| {
        let mut s = s.borrow_mut();
        let n = {
            let mut c = counter.borrow_mut();
            *c += 1;
            *c
        };
        let uri = format!("file:///tmp/prop/{enc}/{n}.md");
        s.open(&uri, &text);
        // One edit: between two lines picked by fraction, at a column maybe inside a
        // character (the boundary before, by LSP's rule).
        let nlines = text.split(['\n', '\r']).count() as u32;
        let (la, lb) = (a * nlines / 100, b * nlines / 100);
        let (la, lb) = (la.min(lb), la.max(lb));
        let (ca, cb) = (col + inner, col);
        let (ca, cb) = if la == lb {
            (ca.min(cb), ca.max(cb))
        } else {
            (ca, cb)
        };
        let offset = |l: u32, c: u32| position::offset(&text, l as usize, c as usize, enc);
        let (oa, ob) = (offset(la, ca), offset(lb, cb));
        let mut edited = text.clone();
        edited.replace_range(oa.min(ob)..oa.max(ob), piece);
        let v = s.change(
            &uri,
            vec![json!({"range": {"start": {"line": la, "character": ca},
                                   "end": {"line": lb, "character": cb}}, "text": piece})],
        );
        let published = s.wait_diagnostics_version(&uri, v);
        prop_assert_eq!(&s.view_text(&uri), &edited);
        let lines = line_boundaries(&edited, enc);
        let mut answers = vec![json!(published)];
        for p in probes(&edited, enc) {
            for method in ["textDocument/hover", "textDocument/definition"] {
                answers
                    .push(s.request(method, json!({"textDocument": {"uri": uri}, "position": p})));
            }
        }
        for method in ["textDocument/documentSymbol", "textDocument/documentLink"] {
            answers.push(s.request(method, json!({"textDocument": {"uri": uri}})));
        }
        s.close(&uri);
        s.clear_pending();
        for a in &answers {
            let errors = answer_errors(&lines, a);
            prop_assert!(
                errors.is_empty(),
                "{}: {:?}\nin {:?}\nanswer {}",
                enc,
                errors,
                edited,
                a
            );
        }
        let mut f = found.borrow_mut();
        f[0] += published.len();
        for (i, a) in answers.iter().enumerate().skip(1) {
            let kind = match i {
                _ if i + 2 == answers.len() => 3,
                _ if i + 1 == answers.len() => 4,
                _ if i % 2 == 1 => 1,
                _ => 2,
            };
            if !a.is_null() && a != &json!([]) {
                f[kind] += 1;
            }
        }
        let (mut ps, mut rs) = (Vec::new(), Vec::new());
        for a in &answers {
            common::positions_and_ranges(a, &mut ps, &mut rs);
        }
        *checked.borrow_mut() += ps.len();
        Ok(())
    });
    if let Err(e) = result {
        panic!("{enc}: {e}");
    }
    let f = *found.borrow();
    eprintln!(
        "{enc}: {CASES} documents, {} positions checked in {} diagnostics, {} hovers, {} definitions, {} outlines, {} link lists",
        checked.borrow(),
        f[0],
        f[1],
        f[2],
        f[3],
        f[4]
    );
    assert!(
        f.iter().all(|&n| n > 10),
        "{enc}: some answers never came: {f:?}"
    );
    s.into_inner().shutdown();
}

#[test]
fn every_position_is_valid_in_utf8() {
    run(
        "utf-8",
        json!({"general": {"positionEncodings": ["utf-8"]},
               "textDocument": {"documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
                                "definition": {"linkSupport": true}}}),
        8,
    );
}

#[test]
fn every_position_is_valid_in_utf16() {
    run(
        "utf-16",
        json!({"textDocument": {"documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
                                "definition": {"linkSupport": true}}}),
        16,
    );
}

#[test]
fn every_position_is_valid_in_utf32_with_flat_answers() {
    run(
        "utf-32",
        json!({"general": {"positionEncodings": ["utf-32"]}}),
        32,
    );
}

/// The check itself catches what it must (else the properties above prove nothing).
#[test]
fn the_position_check_catches_bad_positions() {
    let text = "a𠮷中\r\nb";
    let p = |l: u64, c: u64| json!({"line": l, "character": c});
    let utf16 = line_boundaries(text, "utf-16");
    let utf8 = line_boundaries(text, "utf-8");
    for ok in [p(0, 0), p(0, 1), p(0, 3), p(0, 4), p(1, 0), p(1, 1)] {
        assert!(common::position_error(&utf16, &ok).is_none(), "{ok}");
    }
    for bad in [p(0, 2), p(0, 5), p(1, 2), p(2, 0)] {
        assert!(common::position_error(&utf16, &bad).is_some(), "{bad}");
    }
    for bad in [p(0, 2), p(0, 3), p(0, 4), p(0, 6), p(0, 7), p(0, 9)] {
        assert!(common::position_error(&utf8, &bad).is_some(), "{bad}");
    }
    assert!(common::position_error(&utf8, &p(0, 8)).is_none());
    let reversed = json!({"range": {"start": p(0, 3), "end": p(0, 1)}});
    assert_eq!(answer_errors(&utf16, &reversed).len(), 1);
    let link = json!([{"range": {"start": p(0, 0), "end": p(0, 1)}, "target": "file:///x#L3"}]);
    assert_eq!(answer_errors(&utf16, &link).len(), 1, "only 2 lines");
}
