//! Document sync: incremental edits (Han, astral characters, CRLF and CR line breaks) keep
//! the server's text equal to the editor's, in every position encoding, also in bursts of
//! thousands of edits sent without waiting; `archive/viewFileText` shows that text.

mod common;

use common::{comparable, expected_diagnostics, position, seeds, Rng, Server};
use serde_json::{json, Value};

fn range(l0: usize, c0: usize, l1: usize, c1: usize) -> Value {
    json!({"start": {"line": l0, "character": c0}, "end": {"line": l1, "character": c1}})
}

#[test]
fn edits_on_astral_and_crlf_lines_then_the_right_diagnostics() {
    for enc in ["utf-8", "utf-16", "utf-32"] {
        let mut s = Server::start();
        assert_eq!(s.initialize_encodings(Some(&[enc])), enc);
        let uri = "file:///tmp/astral.md";
        // The seed with CRLF endings and an astral character on the Date line's neighbour.
        let seed = std::fs::read_to_string(&seeds()[0]).unwrap();
        let mut text = seed
            .replace('\n', "\r\n")
            .replacen("Author:", "Author: 𠮷家", 1);
        s.open(uri, &text);
        assert_eq!(
            comparable(&s.wait_diagnostics(uri)),
            expected_diagnostics(&text, enc)
        );

        // Replace "家" (after 𠮷) with "庄𠮷" on line 1, addressed in the encoding.
        let at = text.find('家').unwrap();
        let p = position::at(&text, at, enc);
        let c = p["character"].as_u64().unwrap() as usize;
        let w = match enc {
            "utf-8" => 3,
            _ => 1,
        };
        let v = s.change(
            uri,
            vec![json!({"range": range(1, c, 1, c + w), "text": "庄𠮷"})],
        );
        text.replace_range(at..at + 3, "庄𠮷");
        assert_eq!(
            comparable(&s.wait_diagnostics_version(uri, v)),
            expected_diagnostics(&text, enc)
        );
        assert_eq!(s.view_text(uri), text);

        // Break the date across a CRLF: delete from the end of line 1 into line 2, then
        // retype it; the text must match at each step.
        let eol = text.find("𠮷\r\n").unwrap() + "𠮷".len();
        let e = position::at(&text, eol, enc)["character"].as_u64().unwrap() as usize;
        let v = s.change(
            uri,
            vec![
                json!({"range": range(1, 9999, 2, 0), "text": ""}),
                json!({"range": range(1, e, 1, e), "text": "\r\n"}),
            ],
        );
        assert_eq!(s.view_text(uri), text, "delete and re-insert the CRLF");
        s.wait_diagnostics_version(uri, v);

        // Change the date: the diagnostic appears at the right place.
        let at = text.find("Date: 1952").unwrap() + 6;
        let v = s.change(
            uri,
            vec![json!({"range": range(2, 6, 2, 10), "text": "1950"})],
        );
        text.replace_range(at..at + 4, "1950");
        let got = s.wait_diagnostics_version(uri, v);
        assert!(got.iter().any(|d| d["code"] == "date-mismatch"));
        assert_eq!(comparable(&got), expected_diagnostics(&text, enc));
        assert_eq!(s.view_text(uri), text);
        s.shutdown();
    }
}

#[test]
fn full_text_changes_replace_the_buffer() {
    let mut s = Server::start();
    s.initialize_encodings(None);
    let uri = "file:///tmp/full.md";
    s.open(uri, "x");
    s.change(uri, vec![json!({"text": "a\r\nb𠮷\rc"})]);
    assert_eq!(s.view_text(uri), "a\r\nb𠮷\rc");
    s.change(uri, vec![json!({"range": range(1, 1, 2, 0), "text": ""})]);
    assert_eq!(s.view_text(uri), "a\r\nbc");
    s.shutdown();
}

#[test]
fn edits_to_unknown_documents_are_ignored_and_versions_may_go_back() {
    let mut s = Server::start();
    s.initialize_encodings(None);
    s.change_version("file:///tmp/never-opened.md", 3, vec![json!({"text": "x"})]);
    let r = s.request_raw(
        "archive/viewFileText",
        json!({"textDocument": {"uri": "file:///tmp/never-opened.md"}}),
    );
    assert!(r["error"].is_object(), "{r}");

    let uri = "file:///tmp/back.md";
    s.open(uri, "abc");
    s.change_version(
        uri,
        10,
        vec![json!({"range": range(0, 3, 0, 3), "text": "d"})],
    );
    s.change_version(
        uri,
        4,
        vec![json!({"range": range(0, 0, 0, 1), "text": ""})],
    );
    assert_eq!(s.view_text(uri), "bcd", "the editor is the source of truth");
    // Publications are coalesced: the newest text's version (4, though lower) comes.
    s.wait_diagnostics_version(uri, 4);
    s.wait_stderr("not open");
    s.wait_stderr("from 10 to 4");
    s.shutdown();
}

const PIECES: &[&str] = &[
    "",
    "a",
    "Title: ",
    "中",
    "文字",
    "𠮷",
    "𠮷𠮷",
    "\r\n",
    "\n",
    "\r",
    "    ",
    "　　",
    "甲𠮷\r\n乙",
    "<hr /> \r\n",
    "Original:\n",
];

/// One random change: positions drawn at random (past line ends, past the end, inside
/// surrogate pairs and UTF-8 sequences), applied to the model by LSP's rules.
fn random_change(rng: &mut Rng, model: &mut String, enc: &str) -> Value {
    let lines = model.split(['\n', '\r']).count() + 1;
    let mut pos = || {
        let line = rng.below(lines + 1);
        let character = if rng.below(10) == 0 {
            rng.below(400)
        } else {
            rng.below(40)
        };
        (line, character)
    };
    let (mut a, mut b) = (pos(), pos());
    let mut oa = position::offset(model, a.0, a.1, enc);
    let mut ob = position::offset(model, b.0, b.1, enc);
    if oa > ob {
        std::mem::swap(&mut a, &mut b);
        std::mem::swap(&mut oa, &mut ob);
    }
    if rng.below(3) == 0 {
        // Mostly short deletions, as typing makes.
        b = a;
        ob = oa;
    }
    let text = PIECES[rng.below(PIECES.len())];
    model.replace_range(oa..ob, text);
    json!({"range": range(a.0, a.1, b.0, b.1), "text": text})
}

#[test]
fn bursts_of_random_edits_leave_the_editors_text() {
    for (k, enc) in ["utf-8", "utf-16", "utf-32"].into_iter().enumerate() {
        let mut s = Server::start();
        assert_eq!(s.initialize_encodings(Some(&[enc])), enc);
        let uri = format!("file:///tmp/burst-{enc}.md");
        let mut model = std::fs::read_to_string(&seeds()[0])
            .unwrap()
            .replace('\n', "\r\n");
        model.push_str("𠮷\r中\n");
        s.open(&uri, &model);
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ k as u64);
        let mut last = 1;
        for _ in 0..2000 {
            let n = 1 + rng.below(3);
            let changes = (0..n)
                .map(|_| random_change(&mut rng, &mut model, enc))
                .collect();
            last = s.change(&uri, changes);
        }
        assert_eq!(s.view_text(&uri), model, "{enc}");
        let got = s.wait_diagnostics_version(&uri, last);
        assert_eq!(comparable(&got), expected_diagnostics(&model, enc), "{enc}");
        s.shutdown();
    }
}
