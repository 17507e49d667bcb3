//! Ordering under load (issue 6, item 1), against the release server: in each position
//! encoding, 6,000 random incremental edits spread over four documents opened together
//! (interleaved at random), sent without waiting, one to eight changes per `didChange`.
//! The edits insert, delete and replace within and across lines, on Han and astral (𠮷)
//! characters and CRLF/CR/LF breaks; many are addressed *inside* a character (a unit
//! inside a surrogate pair in UTF-16, a byte inside a multi-byte sequence in UTF-8), which
//! LSP's rule says is the character boundary before. The expected text is computed here on
//! a plain `String` by the harness's own position arithmetic. `archive/viewFileText`
//! requests interleaved with the burst must each see exactly the edits sent before them;
//! at the end every document equals the expected text and its last diagnostics are those
//! of `archive_lsp::check::check_text` on that text.

mod common;

use common::{expected_diagnostics, position, seeds, Rng, Server};
use serde_json::{json, Value};
use std::time::Instant;

/// Edits per encoding (the issue asks for thousands; the brief for at least 5,000).
const EDITS: usize = 6000;

const PIECES: &[&str] = &[
    "",
    "x",
    "Title: ",
    "中",
    "文字",
    "𠮷",
    "𠮷𠮷",
    "甲𠮷乙",
    "\r\n",
    "\n",
    "\r",
    "    ",
    "\u{3000}\u{3000}",
    "甲𠮷\r\n乙",
    "<hr /> \r\n",
    "Original:\n",
    "\r\n\r\n    新段落𠮷。\r\n",
    "Date: 1952-08-03\r",
];

/// The units `c` takes in `enc`.
fn width(c: char, enc: &str) -> usize {
    match enc {
        "utf-8" => c.len_utf8(),
        "utf-16" => c.len_utf16(),
        _ => 1,
    }
}

fn pos(line: u64, character: u64) -> Value {
    json!({"line": line, "character": character})
}

/// A position drawn at random (past line ends and past the end included); its offset in
/// `model` by LSP's clamping rules.
fn random_position(rng: &mut Rng, model: &str, enc: &str) -> (Value, usize) {
    let lines = model.split(['\n', '\r']).count();
    let (line, character) = match rng.below(40) {
        0 => (u32::MAX as usize, u32::MAX as usize),
        1 => (rng.below(lines), u32::MAX as usize),
        _ => (
            rng.below(lines + 1),
            if rng.below(8) == 0 {
                rng.below(300)
            } else {
                rng.below(30)
            },
        ),
    };
    let offset = position::offset(model, line, character, enc);
    (pos(line as u64, character as u64), offset)
}

/// A position inside a character that takes several units in `enc` (inside a surrogate
/// pair, inside a UTF-8 sequence): its offset is the start of that character.
fn inside_position(rng: &mut Rng, model: &str, enc: &str) -> Option<(Value, usize)> {
    let wide: Vec<(usize, char)> = model
        .char_indices()
        .filter(|&(_, c)| width(c, enc) > 1)
        .collect();
    if wide.is_empty() {
        return None;
    }
    let (at, c) = wide[rng.below(wide.len())];
    let p = position::at(model, at, enc);
    let inner = 1 + rng.below(width(c, enc) - 1) as u64;
    let line = p["line"].as_u64().unwrap();
    let character = p["character"].as_u64().unwrap() + inner;
    // The harness's arithmetic must itself follow the rule, or the test proves nothing.
    let offset = position::offset(model, line as usize, character as usize, enc);
    assert_eq!(
        offset, at,
        "inside {c:?} at {at} in {enc}: the boundary before"
    );
    Some((pos(line, character), offset))
}

/// A position on a later line than `from` (for edits across lines), or a random one.
fn later_line_position(rng: &mut Rng, model: &str, enc: &str, from: &Value) -> (Value, usize) {
    let line = from["line"].as_u64().unwrap().min(u32::MAX as u64 - 4) + 1 + rng.below(3) as u64;
    let character = rng.below(12) as u64;
    let offset = position::offset(model, line as usize, character as usize, enc);
    (pos(line, character), offset)
}

/// One random change, applied to `model` as LSP says; the change event.
fn random_change(rng: &mut Rng, model: &mut String, enc: &str, stats: &mut Stats) -> Value {
    if rng.below(400) == 0 {
        // A whole-text replacement now and then.
        let text = format!("{model}{}", PIECES[rng.below(PIECES.len())]);
        *model = text.clone();
        stats.full += 1;
        return json!({"text": text});
    }
    let draw = |rng: &mut Rng, stats: &mut Stats| {
        if rng.below(3) == 0 {
            if let Some(p) = inside_position(rng, model, enc) {
                stats.inside += 1;
                return p;
            }
        }
        random_position(rng, model, enc)
    };
    let a = draw(rng, stats);
    let b = match rng.below(4) {
        0 => a.clone(),                                  // an insertion
        1 => later_line_position(rng, model, enc, &a.0), // across lines
        _ => draw(rng, stats),
    };
    // A reversed range is read in order (the server does the same).
    let (start, end) = if a.1 <= b.1 { (a, b) } else { (b, a) };
    if start.0["line"] != end.0["line"] {
        stats.multiline += 1;
    }
    let mut text = PIECES[rng.below(PIECES.len())];
    if model.len() > 40_000 && rng.below(2) == 0 {
        text = ""; // keep the documents from growing without bound
    }
    model.replace_range(start.1..end.1, text);
    json!({"range": {"start": start.0, "end": end.0}, "text": text})
}

#[derive(Default, Debug)]
struct Stats {
    changes: usize,
    messages: usize,
    inside: usize,
    multiline: usize,
    full: usize,
}

/// The documents: a seed with CRLF breaks, the astral seed with CR breaks here and there,
/// a synthetic one dense in Han and astral characters and mixed breaks, and an empty one.
fn documents() -> Vec<(String, String)> {
    let seeds = seeds();
    let read = |name: &str| {
        let p = seeds
            .iter()
            .find(|p| p.to_string_lossy().contains(name))
            .unwrap_or_else(|| panic!("seed {name}"));
        std::fs::read_to_string(p).unwrap()
    };
    let crlf = read("000_0d759123a74baf35").replace('\n', "\r\n") + "𠮷\r中\n";
    let astral = read("𠮷家庄").replacen("\n\n", "\r\r", 3);
    let mut synthetic = String::new();
    let breaks = ["\n", "\r\n", "\r"];
    for i in 0..60 {
        synthetic.push_str(match i % 4 {
            0 => "    𠮷家庄修成新水渠，长八里。",
            1 => "Title: 𠮷 and 中文",
            2 => "\u{3000}\u{3000}甲乙丙丁𠮷𠮷",
            _ => "",
        });
        synthetic.push_str(breaks[i % 3]);
    }
    vec![
        ("file:///tmp/burst/crlf.md".into(), crlf),
        ("file:///tmp/burst/astral.md".into(), astral),
        ("file:///tmp/burst/synthetic.md".into(), synthetic),
        ("file:///tmp/burst/empty.md".into(), String::new()),
    ]
}

fn burst(enc: &str, seed: u64) {
    let t0 = Instant::now();
    let mut s = Server::start_release();
    assert_eq!(s.initialize_encodings(Some(&[enc])), enc);
    let mut docs = documents();
    for (uri, text) in &docs {
        s.open(uri, text);
    }
    let mut rng = Rng(seed);
    let mut stats = Stats::default();
    // viewFileText requests sent in the middle of the burst, with the text they must see.
    let mut checkpoints: Vec<(i64, String, String)> = Vec::new();
    while stats.changes < EDITS {
        let d = rng.below(docs.len());
        let n = if rng.below(2) == 0 {
            1
        } else {
            2 + rng.below(7)
        };
        let (uri, model) = &mut docs[d];
        let changes: Vec<Value> = (0..n)
            .map(|_| random_change(&mut rng, model, enc, &mut stats))
            .collect();
        stats.changes += n;
        stats.messages += 1;
        s.change(uri, changes);
        if rng.below(300) == 0 {
            let id = s.send_request(
                "archive/viewFileText",
                json!({"textDocument": {"uri": uri}}),
            );
            checkpoints.push((id, uri.clone(), model.clone()));
        }
    }
    let sent = t0.elapsed();

    // Every mid-burst request saw exactly the edits sent before it.
    let ids: Vec<i64> = checkpoints.iter().map(|c| c.0).collect();
    for (r, (id, uri, expected)) in s.responses(&ids).iter().zip(&checkpoints) {
        assert_eq!(
            r["result"].as_str(),
            Some(expected.as_str()),
            "{enc}: viewFileText #{id} of {uri} in the middle of the burst"
        );
    }
    for (uri, model) in &docs {
        assert_eq!(&s.view_text(uri), model, "{enc}: {uri} after the burst");
    }
    // The last diagnostics published for each document are those of its final text.
    for (uri, model) in &docs {
        let v = s.version(uri);
        let got = s.wait_diagnostics_version(uri, v);
        assert_eq!(
            common::comparable(&got),
            expected_diagnostics(model, enc),
            "{enc}: diagnostics of {uri} at version {v}"
        );
    }
    if enc != "utf-32" {
        // (In UTF-32 every character is one unit: there is no inside.)
        assert!(
            stats.inside > 500,
            "{enc}: too few edits inside a character: {stats:?}"
        );
    }
    assert!(
        stats.multiline > 500,
        "{enc}: too few edits across lines: {stats:?}"
    );
    eprintln!(
        "{enc}: {} changes in {} messages over {} documents ({} inside a character, {} across lines, {} whole-text, {} checkpoints): sent in {:.2} s, all checked in {:.2} s",
        stats.changes,
        stats.messages,
        docs.len(),
        stats.inside,
        stats.multiline,
        stats.full,
        checkpoints.len(),
        sent.as_secs_f64(),
        t0.elapsed().as_secs_f64()
    );
    s.shutdown();
}

#[test]
fn burst_utf8() {
    burst("utf-8", 0x5eed_0008);
}

#[test]
fn burst_utf16() {
    burst("utf-16", 0x5eed_0016);
}

#[test]
fn burst_utf32() {
    burst("utf-32", 0x5eed_0032);
}
