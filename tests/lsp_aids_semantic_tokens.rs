//! Semantic tokens through the real server: the legend, and `full/delta` against `full`
//! under random edits (a property test with a fixed seed): after every edit the client
//! applies the delta to the tokens it holds, and what it gets must equal a fresh `full`
//! answer and the core's tokens for the text, positions computed here independently. In
//! each position encoding, on a seed with CRLF, a seed with an astral Han character and a
//! real file with a Named Entities block.

mod common;

use archive_lsp::ide::{semantic_tokens, View};
use common::{position, Rng, Server};
use serde_json::{json, Value};

/// Random edits per document and encoding.
const EDITS: usize = 200;

const PIECES: &[&str] = &[
    "",
    "",
    "x",
    "1952",
    "3.5",
    "三千",
    "第",
    "版",
    "中文",
    "𠮷",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    "Date: 1952-08-03\n",
    "第3版()\n",
    "<hr /> \n",
    "Original: \n",
    "### 标题\n",
    "**Named Entities**\n美国\tUnited States\n",
    "United States",
    "美国",
    "    Paragraph with 12 words.\n",
];

fn ints(data: &Value) -> Vec<u64> {
    data.as_array()
        .expect("token data")
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect()
}

/// The core's tokens of `text` in LSP's relative encoding, positions by the harness.
fn expected(text: &str, enc: &str) -> Vec<u64> {
    let doc = archive_lsp::syntax::parse(text);
    let alignment = archive_lsp::align::align(text, &doc);
    let tokens = semantic_tokens::tokens(View {
        text,
        doc: &doc,
        alignment: &alignment,
    });
    let offsets: Vec<usize> = tokens
        .iter()
        .flat_map(|t| [t.span.start, t.span.end])
        .collect();
    let p = position::positions(text, &offsets, enc);
    let (mut prev_line, mut prev_col) = (0, 0);
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let line = p[2 * i]["line"].as_u64().unwrap();
        let col = p[2 * i]["character"].as_u64().unwrap();
        let end = p[2 * i + 1]["character"].as_u64().unwrap();
        let dl = line - prev_line;
        out.extend([
            dl,
            if dl == 0 { col - prev_col } else { col },
            end - col,
            u64::from(t.kind.index()),
            u64::from(t.modifiers),
        ]);
        (prev_line, prev_col) = (line, col);
    }
    out
}

/// `data` with LSP's semantic token edits applied.
fn apply_edits(data: &mut Vec<u64>, edits: &Value) {
    let mut edits: Vec<&Value> = edits.as_array().expect("edits").iter().collect();
    // Later edits first, so earlier offsets stay valid (LSP sends them in any order).
    edits.sort_by_key(|e| std::cmp::Reverse(e["start"].as_u64().unwrap()));
    for e in edits {
        let start = e["start"].as_u64().unwrap() as usize;
        let delete = e["deleteCount"].as_u64().unwrap() as usize;
        let insert = if e["data"].is_null() {
            Vec::new()
        } else {
            ints(&e["data"])
        };
        data.splice(start..start + delete, insert);
    }
}

/// A random character boundary of `text`, not inside a `\r\n` (a position cannot name
/// the place between the two).
fn boundary(rng: &mut Rng, text: &str) -> usize {
    settle(text, rng.below(text.len() + 1))
}

fn settle(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at)
        || (at > 0 && text[..at].ends_with('\r') && text[at..].starts_with('\n'))
    {
        at -= 1;
    }
    at
}

fn documents() -> Vec<(String, String)> {
    let mut v = vec![
        (
            "seed-crlf".to_string(),
            std::fs::read_to_string(
                common::root().join("seeds/1953-06-18_华北各地小麦开始收割.md"),
            )
            .unwrap(),
        ),
        (
            "astral".to_string(),
            std::fs::read_to_string(common::root().join("seeds/1956-04-20_𠮷家庄修成新水渠.md"))
                .unwrap(),
        ),
    ];
    if let Some(files) = common::corpus() {
        if let Some(p) = files
            .iter()
            .find(|p| p.to_string_lossy().contains("1966-06-01_三言两语"))
        {
            v.push(("glossary".into(), std::fs::read_to_string(p).unwrap()));
        }
    }
    v
}

#[test]
fn delta_equals_full_under_random_edits() {
    for enc in ["utf-8", "utf-16", "utf-32"] {
        let mut s = Server::start();
        assert_eq!(s.initialize_encodings(Some(&[enc])), enc);
        for (k, (name, mut text)) in documents().into_iter().enumerate() {
            let mut rng = Rng(0x5eed_0000 + k as u64 * 7919 + enc.len() as u64);
            let uri = format!("file:///tokens/{name}.md");
            s.open(&uri, &text);
            let doc = json!({"textDocument": {"uri": uri}});
            let full = s.request("textDocument/semanticTokens/full", doc.clone());
            let mut held = ints(&full["data"]);
            let mut result_id = full["resultId"].as_str().unwrap().to_string();
            assert_eq!(held, expected(&text, enc), "{name} {enc}");
            let mut deltas = 0;
            for i in 0..EDITS {
                // A random edit: replace up to 40 bytes at a random place.
                let a = boundary(&mut rng, &text);
                let b = settle(&text, (a + rng.below(41)).min(text.len()));
                let piece = PIECES[rng.below(PIECES.len())];
                let range = position::range(&text, &(a..b), enc);
                s.change(&uri, vec![json!({"range": range, "text": piece})]);
                text = format!("{}{piece}{}", &text[..a], &text[b..]);

                let d = s.request(
                    "textDocument/semanticTokens/full/delta",
                    json!({"textDocument": {"uri": uri}, "previousResultId": result_id}),
                );
                result_id = d["resultId"].as_str().unwrap().to_string();
                if d.get("edits").is_some() {
                    apply_edits(&mut held, &d["edits"]);
                    deltas += 1;
                } else {
                    held = ints(&d["data"]);
                }
                assert_eq!(held, expected(&text, enc), "{name} {enc} after edit {i}");
                // Now and then, a full answer: the same tokens, and deltas go on from it.
                if i % 7 == 6 {
                    let full = s.request("textDocument/semanticTokens/full", doc.clone());
                    assert_eq!(
                        ints(&full["data"]),
                        held,
                        "{name} {enc} full after edit {i}"
                    );
                    result_id = full["resultId"].as_str().unwrap().to_string();
                }
            }
            assert!(deltas >= EDITS - 1, "{deltas} deltas");
            assert_eq!(s.view_text(&uri), text);
            s.close(&uri);
        }
        s.shutdown();
    }
}

#[test]
fn an_unknown_previous_result_gets_the_whole_answer() {
    let mut s = Server::start();
    s.initialize_encodings(Some(&["utf-16"]));
    let text =
        std::fs::read_to_string(common::root().join("seeds/000_0d759123a74baf35.txt")).unwrap();
    s.open("file:///t.txt", &text);
    let d = s.request(
        "textDocument/semanticTokens/full/delta",
        json!({"textDocument": {"uri": "file:///t.txt"}, "previousResultId": "no-such-id"}),
    );
    assert!(d.get("edits").is_none(), "{d}");
    assert_eq!(ints(&d["data"]), expected(&text, "utf-16"));
    // Unchanged text: an empty delta.
    let id = d["resultId"].as_str().unwrap();
    let d = s.request(
        "textDocument/semanticTokens/full/delta",
        json!({"textDocument": {"uri": "file:///t.txt"}, "previousResultId": id}),
    );
    assert_eq!(d["edits"], json!([]));
    // A closed document: null, no error.
    s.close("file:///t.txt");
    let r = s.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": "file:///t.txt"}}),
    );
    assert!(r.is_null());
    s.shutdown();
}

#[test]
fn the_legend_uses_standard_types_and_modifiers() {
    let mut s = Server::start();
    let r = s.initialize(json!({}));
    let p = &r["capabilities"]["semanticTokensProvider"];
    assert_eq!(
        p["legend"]["tokenTypes"],
        json!(["property", "class", "variable", "number", "type", "string", "operator", "keyword"])
    );
    assert_eq!(
        p["legend"]["tokenModifiers"],
        json!(["declaration", "readonly"])
    );
    assert_eq!(p["full"], json!({"delta": true}));
    assert_eq!(p["range"], true);
    s.shutdown();
}
