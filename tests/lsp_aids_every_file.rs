//! The editing aids through the real server on every seed, every fixture and every real
//! file of ../shared/corpus (skipped loudly when absent), in each position encoding:
//! semantic tokens (full and range), folding ranges, selection ranges, completion, prepare
//! rename, rename and references answer without a request error, and every position they
//! return is valid for the text in that encoding. Semantic tokens are also compared with the
//! core's tokens, positions computed here independently of the server's conversion.

mod common;

use archive_lsp::ide::{semantic_tokens, View};
use common::{answer_errors, line_boundaries, position, Server};
use serde_json::{json, Value};
use std::path::PathBuf;

const ENCODINGS: [&str; 3] = ["utf-8", "utf-16", "utf-32"];

/// A server (the release build: this test sends tens of thousands of requests) with the
/// client capabilities the aids read: folds inside lines accepted (so they are checked
/// too), prepare rename supported.
fn start(enc: &str) -> Server {
    let mut s = Server::start_release();
    let r = s.initialize(json!({
        "general": {"positionEncodings": [enc]},
        "textDocument": {
            "foldingRange": {"lineFoldingOnly": false},
            "rename": {"prepareSupport": true},
            "semanticTokens": {"requests": {"full": {"delta": true}, "range": true},
                               "tokenTypes": [], "tokenModifiers": [], "formats": ["relative"]}
        }
    }));
    assert_eq!(r["capabilities"]["positionEncoding"], enc);
    s
}

fn files() -> Vec<PathBuf> {
    let mut v = common::seeds();
    for dir in ["tests/fixtures/invalid", "tests/fixtures/valid"] {
        v.extend(
            common::files_in(&common::root().join(dir))
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "md")),
        );
    }
    v.extend(common::corpus().unwrap_or_default());
    v
}

/// Decodes LSP's relative token data into absolute `(line, character, length, type, mods)`.
pub fn decode(data: &Value) -> Vec<[u64; 5]> {
    let ints: Vec<u64> = data
        .as_array()
        .expect("token data is an array")
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert_eq!(ints.len() % 5, 0, "token data comes in fives");
    let (mut line, mut col) = (0, 0);
    ints.chunks(5)
        .map(|c| {
            line += c[0];
            col = if c[0] == 0 { col + c[1] } else { c[1] };
            [line, col, c[2], c[3], c[4]]
        })
        .collect()
}

/// The core's tokens of `text` as `(line, character, length, type, mods)`, positions by the
/// harness's own arithmetic.
fn expected_tokens(text: &str, enc: &str) -> Vec<[u64; 5]> {
    let doc = archive_lsp::syntax::parse(text);
    let alignment = archive_lsp::align::align(text, &doc);
    let view = View {
        text,
        doc: &doc,
        alignment: &alignment,
    };
    let tokens = semantic_tokens::tokens(view);
    let offsets: Vec<usize> = tokens
        .iter()
        .flat_map(|t| [t.span.start, t.span.end])
        .collect();
    let p = position::positions(text, &offsets, enc);
    tokens
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let (a, b) = (&p[2 * i], &p[2 * i + 1]);
            assert_eq!(a["line"], b["line"], "a token stays on its line");
            let ch = a["character"].as_u64().unwrap();
            [
                a["line"].as_u64().unwrap(),
                ch,
                b["character"].as_u64().unwrap() - ch,
                u64::from(t.kind.index()),
                u64::from(t.modifiers),
            ]
        })
        .collect()
}

/// Every decoded token lies on an existing line, on character boundaries.
fn token_errors(lines: &[Vec<usize>], tokens: &[[u64; 5]]) -> Vec<String> {
    tokens
        .iter()
        .filter_map(|t| {
            let bounds = lines.get(t[0] as usize)?;
            let ok = |c: u64| bounds.binary_search(&(c as usize)).is_ok();
            (!ok(t[1]) || !ok(t[1] + t[2]) || t[2] == 0).then(|| format!("bad token {t:?}"))
        })
        .chain(
            tokens
                .iter()
                .filter(|t| t[0] as usize >= lines.len())
                .map(|t| format!("token past the last line: {t:?}")),
        )
        .collect()
}

fn contains(outer: &Value, inner: &Value) -> bool {
    common::ordered(&outer["start"], &inner["start"])
        && common::ordered(&inner["end"], &outer["end"])
}

#[test]
fn every_file_every_aid_every_encoding() {
    let files = files();
    assert!(files.len() >= 9 + 20, "seeds and fixtures are there");
    for enc in ENCODINGS {
        let mut s = start(enc);
        let mut checked_tokens = 0;
        for path in &files {
            let Ok(text) = std::fs::read_to_string(path) else {
                continue; // the non-UTF-8 fixture
            };
            let name = path.display().to_string();
            let uri = common::file_uri(path);
            s.open(&uri, &text);
            let lines = line_boundaries(&text, enc);
            let doc = json!({"textDocument": {"uri": uri}});
            let mut problems: Vec<String> = Vec::new();
            let check = |problems: &mut Vec<String>, what: &str, answer: &Value| {
                problems.extend(
                    answer_errors(&lines, answer)
                        .into_iter()
                        .map(|e| format!("{what}: {e}")),
                );
            };

            // Semantic tokens: the core's, exactly, in this encoding.
            let full = s.request("textDocument/semanticTokens/full", doc.clone());
            let got = decode(&full["data"]);
            assert!(full["resultId"].is_string(), "{name}");
            problems.extend(token_errors(&lines, &got));
            assert_eq!(got, expected_tokens(&text, enc), "{name} in {enc}");
            checked_tokens += got.len();
            let (a, b) = (lines.len() / 3, 2 * lines.len() / 3);
            let range = s.request(
                "textDocument/semanticTokens/range",
                json!({"textDocument": {"uri": uri},
                       "range": {"start": {"line": a, "character": 0}, "end": {"line": b, "character": 0}}}),
            );
            let part: Vec<[u64; 5]> = got
                .iter()
                .filter(|t| (a as u64..=b as u64).contains(&t[0]))
                .copied()
                .collect();
            assert_eq!(decode(&range["data"]), part, "{name}: range {a}..{b}");

            let folds = s.request("textDocument/foldingRange", doc.clone());
            for f in folds.as_array().unwrap() {
                let (l0, l1) = (
                    f["startLine"].as_u64().unwrap(),
                    f["endLine"].as_u64().unwrap(),
                );
                assert!(l0 <= l1 && (l1 as usize) < lines.len(), "{name}: {f}");
                for (l, key) in [(l0, "startCharacter"), (l1, "endCharacter")] {
                    if let Some(c) = f[key].as_u64() {
                        let p = json!({"line": l, "character": c});
                        problems.extend(common::position_error(&lines, &p));
                    }
                }
            }

            // Positions on every line: the start, the middle, the end, past the end.
            let mut positions = Vec::new();
            for (l, bounds) in lines.iter().enumerate() {
                let len = *bounds.last().unwrap();
                for c in [0, bounds[bounds.len() / 2], len, len + 3] {
                    positions.push(json!({"line": l, "character": c}));
                }
            }
            let sel = s.request(
                "textDocument/selectionRange",
                json!({"textDocument": {"uri": uri}, "positions": positions}),
            );
            check(&mut problems, "selectionRange", &sel);
            for (r, p) in sel.as_array().unwrap().iter().zip(&positions) {
                let mut cur = r;
                while !cur["parent"].is_null() {
                    assert!(
                        contains(&cur["parent"]["range"], &cur["range"]),
                        "{name}: {r}"
                    );
                    cur = &cur["parent"];
                }
                // The outermost is the whole document.
                assert_eq!(
                    cur["range"]["start"],
                    json!({"line": 0, "character": 0}),
                    "{name} {p}"
                );
            }

            for p in positions.iter().step_by(2) {
                let at = json!({"textDocument": {"uri": uri}, "position": p});
                let c = s.request("textDocument/completion", at.clone());
                check(&mut problems, "completion", &c);
                for item in c["items"].as_array().into_iter().flatten() {
                    let r = &item["textEdit"]["range"];
                    assert_eq!(r["start"]["line"], r["end"]["line"], "{name}: {item}");
                    let clamped = json!({"line": p["line"],
                        "character": p["character"].as_u64().unwrap()
                            .min(*lines[p["line"].as_u64().unwrap() as usize].last().unwrap() as u64)});
                    assert!(
                        common::ordered(&r["start"], &clamped)
                            && common::ordered(&clamped, &r["end"]),
                        "{name}: the edit holds the cursor {p}: {item}"
                    );
                }
            }

            // Rename and references where a glossary is, on every glossary line.
            if text.contains("**Named Entities**") {
                let first = text[..text.find("**Named Entities**").unwrap()]
                    .matches('\n')
                    .count();
                for p in positions
                    .iter()
                    .filter(|p| p["line"].as_u64().unwrap() as usize > first)
                {
                    let at = json!({"textDocument": {"uri": uri}, "position": p});
                    let prep = s.request("textDocument/prepareRename", at.clone());
                    check(&mut problems, "prepareRename", &prep);
                    let refs = s.request(
                        "textDocument/references",
                        json!({"textDocument": {"uri": uri}, "position": p, "context": {"includeDeclaration": true}}),
                    );
                    check(&mut problems, "references", &refs);
                    if !prep.is_null() {
                        let r = s.request(
                            "textDocument/rename",
                            json!({"textDocument": {"uri": uri}, "position": p, "newName": "Renamed Term"}),
                        );
                        check(&mut problems, "rename", &r);
                        assert!(
                            r["changes"][&uri].as_array().is_some_and(|e| !e.is_empty()),
                            "{name}: {r}"
                        );
                    }
                }
            }
            assert!(problems.is_empty(), "{name} in {enc}: {problems:#?}");
            s.close(&uri);
        }
        assert!(checked_tokens > 1000, "{checked_tokens} tokens checked");
        s.shutdown();
    }
}
