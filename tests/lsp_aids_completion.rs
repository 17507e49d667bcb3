//! Completion through the real server: each result's `textEdit` is applied (by the
//! harness's own position arithmetic) and sent back as an edit, and the server's text and
//! diagnostics are checked again. In each position encoding, on the seeds and the corpus
//! (skipped loudly when absent).

mod common;

use archive_lsp::ide::completion::romanise_authors;
use common::{comparable, expected_diagnostics, position, Server};
use serde_json::{json, Value};

const ENCODINGS: [&str; 3] = ["utf-8", "utf-16", "utf-32"];
const SEED: &str = "seeds/000_0d759123a74baf35.txt";

fn read(rel: &str) -> String {
    std::fs::read_to_string(common::root().join(rel)).unwrap()
}

fn start(enc: &str) -> Server {
    let mut s = Server::start();
    assert_eq!(s.initialize_encodings(Some(&[enc])), enc);
    s
}

fn complete(s: &mut Server, uri: &str, text: &str, offset: usize, enc: &str) -> Vec<Value> {
    let r = s.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position::at(text, offset, enc)}),
    );
    if r.is_null() {
        return Vec::new();
    }
    assert_eq!(r["isIncomplete"], false, "{r}");
    r["items"].as_array().unwrap().clone()
}

/// `text` with `item`'s text edit applied.
fn apply(text: &str, item: &Value, enc: &str) -> String {
    let edit = &item["textEdit"];
    let at = |p: &Value| {
        position::offset(
            text,
            p["line"].as_u64().unwrap() as usize,
            p["character"].as_u64().unwrap() as usize,
            enc,
        )
    };
    let (a, b) = (at(&edit["range"]["start"]), at(&edit["range"]["end"]));
    format!(
        "{}{}{}",
        &text[..a],
        edit["newText"].as_str().unwrap(),
        &text[b..]
    )
}

/// Sends `item`'s edit to the server; returns the new text after checking that the
/// server's copy equals it and that its diagnostics are the checker's for it.
fn accept(s: &mut Server, uri: &str, text: &str, item: &Value, enc: &str) -> String {
    accept_diagnosed(s, uri, text, item, enc).0
}

/// [`accept`], also returning the diagnostics published for the new text.
fn accept_diagnosed(
    s: &mut Server,
    uri: &str,
    text: &str,
    item: &Value,
    enc: &str,
) -> (String, Vec<Value>) {
    let after = apply(text, item, enc);
    let v = s.change(
        uri,
        vec![json!({"range": item["textEdit"]["range"], "text": item["textEdit"]["newText"]})],
    );
    let got = s.wait_diagnostics_version(uri, v);
    assert_eq!(s.view_text(uri), after);
    assert_eq!(comparable(&got), expected_diagnostics(&after, enc));
    (after, got)
}

/// The byte range of the value on the header line starting with `key`.
fn header_value(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let line_start = if text.starts_with(key) {
        0
    } else {
        text.find(&format!("\n{key}"))? + 1
    };
    let end = text[line_start..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| line_start + i);
    let start = line_start + key.len();
    let raw = &text[start..end];
    let value_start = start + (raw.len() - raw.trim_start().len());
    let value_end = start + raw.trim_end().len();
    (value_end > value_start).then_some(value_start..value_end)
}

#[test]
fn header_values_from_the_original_applied_and_rechecked() {
    let mut files = common::seeds();
    files.extend(common::corpus().unwrap_or_default());
    for enc in ENCODINGS {
        let mut s = start(enc);
        let mut completed = 0;
        for path in &files {
            let text = std::fs::read_to_string(path).unwrap();
            let original_author = {
                let doc = archive_lsp::syntax::parse(&text);
                doc.original
                    .author
                    .map(|a| text[a.text].to_string())
                    .unwrap_or_default()
            };
            for key in ["Date: ", "Page: ", "Edition: ", "Author: "] {
                let Some(value) = header_value(&text, key) else {
                    continue;
                };
                // The value deleted, the cursor after `Key: `.
                let blanked = format!("{}{}", &text[..value.start], &text[value.end..]);
                let uri = format!("file:///complete/{completed}.md");
                s.open(&uri, &blanked);
                s.wait_diagnostics(&uri);
                let items = complete(&mut s, &uri, &blanked, value.start, enc);
                let expected = if key == "Author: " {
                    romanise_authors(&original_author)
                } else {
                    text[value.clone()].to_string()
                };
                if expected.is_empty() {
                    // A header author taken from the body (the original's line is blank).
                    assert!(items.is_empty(), "{}: {items:?}", path.display());
                    s.close(&uri);
                    continue;
                }
                assert_eq!(items.len(), 1, "{} {key}: {items:?}", path.display());
                assert_eq!(items[0]["label"], expected.as_str());
                let after = accept(&mut s, &uri, &blanked, &items[0], enc);
                if expected == text[value.clone()] {
                    assert_eq!(after, text, "{} {key}", path.display());
                }
                s.close(&uri);
                completed += 1;
            }
        }
        assert!(completed >= 9 * 2, "{completed} values completed");

        // Right after the colon, the item brings the space.
        let seed = read(SEED);
        let colon = seed.find("Date: ").unwrap() + "Date:".len();
        let blanked = format!("{}{}", &seed[..colon], &seed[colon + " 1952-08-03".len()..]);
        s.open("file:///colon.txt", &blanked);
        s.wait_diagnostics("file:///colon.txt");
        let items = complete(&mut s, "file:///colon.txt", &blanked, colon, enc);
        assert_eq!(items[0]["textEdit"]["newText"], " 1952-08-03");
        assert_eq!(
            accept(&mut s, "file:///colon.txt", &blanked, &items[0], enc),
            seed
        );
        s.shutdown();
    }
}

#[test]
fn original_date_and_page_from_the_header() {
    for enc in ENCODINGS {
        let mut s = start(enc);
        let seed = read(SEED);
        // The original's date line emptied.
        let date = seed.rfind("1952-08-03").unwrap();
        let blanked = format!("{}{}", &seed[..date], &seed[date + 10..]);
        s.open("file:///date.txt", &blanked);
        s.wait_diagnostics("file:///date.txt");
        let items = complete(&mut s, "file:///date.txt", &blanked, date, enc);
        assert_eq!(items.len(), 1, "{items:?}");
        assert_eq!(
            accept(&mut s, "file:///date.txt", &blanked, &items[0], enc),
            seed
        );
        // `第|版`.
        let page = seed.find("第2版").unwrap() + '第'.len_utf8();
        let blanked = format!("{}{}", &seed[..page], &seed[page + 1..]);
        s.open("file:///page.txt", &blanked);
        s.wait_diagnostics("file:///page.txt");
        let items = complete(&mut s, "file:///page.txt", &blanked, page, enc);
        assert_eq!(items.len(), 1, "{items:?}");
        assert_eq!(items[0]["label"], "2");
        assert_eq!(
            accept(&mut s, "file:///page.txt", &blanked, &items[0], enc),
            seed
        );
        s.shutdown();
    }
}

#[test]
fn missing_keys_in_order_applied_and_rechecked() {
    for enc in ENCODINGS {
        let mut s = start(enc);
        let seed = read(SEED);
        // The Author line emptied: an empty line inside the header.
        let author = seed.find("Author:").unwrap();
        let blanked = format!("{}{}", &seed[..author], &seed[author + "Author:".len()..]);
        s.open("file:///keys.txt", &blanked);
        let before = s.wait_diagnostics("file:///keys.txt");
        assert!(before.iter().any(|d| d["code"] == "missing-header-field"));
        let items = complete(&mut s, "file:///keys.txt", &blanked, author, enc);
        let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
        assert_eq!(labels, ["Author: "]);
        let (after, now) = accept_diagnosed(&mut s, "file:///keys.txt", &blanked, &items[0], enc);
        assert_eq!(after, seed.replacen("Author:", "Author: ", 1));
        assert!(!now.iter().any(|d| d["code"] == "missing-header-field"));

        // A new document: every key, Title first, and typing goes on from there.
        s.open("file:///new.txt", "");
        s.wait_diagnostics("file:///new.txt");
        let items = complete(&mut s, "file:///new.txt", "", 0, enc);
        let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
        assert_eq!(labels, ["Title: ", "Author: ", "Date: ", "Page: "]);
        assert_eq!(items[0]["preselect"], true);
        let text = accept(&mut s, "file:///new.txt", "", &items[0], enc);
        assert_eq!(text, "Title: ");
        // A partly typed key on the next line is replaced whole.
        let typed = "Title: T\nDa";
        s.change("file:///new.txt", vec![json!({"text": typed})]);
        let items = complete(&mut s, "file:///new.txt", typed, typed.len(), enc);
        let date = items.iter().find(|i| i["label"] == "Date: ").unwrap();
        assert_eq!(apply(typed, date, enc), "Title: T\nDate: ");
        s.shutdown();
    }
}

#[test]
fn edition_and_column_where_the_file_uses_them() {
    let Some(files) = common::corpus() else {
        return;
    };
    let mut s = start("utf-16");
    let mut editions = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let doc = archive_lsp::syntax::parse(&text);
        let Some((_, last)) = doc.header.line_range() else {
            continue;
        };
        // The page line deleted, the cursor on the empty line left.
        let page = doc.header.get(archive_lsp::syntax::FieldKey::Page).unwrap();
        let key = &text[page.key_span.clone()];
        let blanked = format!("{}{}", &text[..page.span.start], &text[page.span.end..]);
        let uri = common::file_uri(path);
        s.open(&uri, &blanked);
        s.wait_diagnostics(&uri);
        let items = complete(&mut s, &uri, &blanked, page.span.start, "utf-16");
        let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
        assert_eq!(
            labels.first().copied(),
            Some(&*format!("{key}: ")),
            "{}",
            path.display()
        );
        editions += (key == "Edition") as usize;
        s.close(&uri);
        // Column: offered after the header where the original names a column of its own
        // and the translation has none.
        if doc.lines.len() > last + 1 && text[doc.lines[last + 1].range()].trim().is_empty() {
            s.open(&uri, &text);
            s.wait_diagnostics(&uri);
            let items = complete(&mut s, &uri, &text, doc.lines[last + 1].start, "utf-16");
            let has_column = items.iter().any(|i| i["label"] == "Column: ");
            let expects = text
                .lines()
                .any(|l| l.starts_with("专栏：") && l.len() > "专栏：".len())
                && doc.translation.column_line.is_none()
                && doc
                    .header
                    .get(archive_lsp::syntax::FieldKey::Column)
                    .is_none()
                && doc.original.column.as_ref().is_some_and(|c| {
                    let title = doc
                        .original
                        .title
                        .as_ref()
                        .map_or("", |t| &text[t.text.clone()]);
                    !title.starts_with(&text[c.value.clone()])
                });
            assert_eq!(has_column, expects, "{}", path.display());
            s.close(&uri);
        }
    }
    assert!(editions >= 10, "Edition offered in {editions} files");
    // No real file lacks a column line where its original names a column of its own; the
    // seed without its column line does.
    let seed = read(SEED);
    let text = seed.replacen("Economic Life Brief Commentary\n\n", "", 1);
    s.open("file:///column.txt", &text);
    s.wait_diagnostics("file:///column.txt");
    let after_header = text.find("Page: 2\n").unwrap() + "Page: 2\n".len();
    let items = complete(&mut s, "file:///column.txt", &text, after_header, "utf-16");
    let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["Column: "]);
    s.shutdown();
}

#[test]
fn nothing_inside_paragraphs() {
    for enc in ENCODINGS {
        let mut s = start(enc);
        for path in common::seeds() {
            let text = std::fs::read_to_string(&path).unwrap();
            let doc = archive_lsp::syntax::parse(&text);
            let uri = common::file_uri(&path);
            s.open(&uri, &text);
            let paragraphs = doc
                .translation
                .paragraphs
                .iter()
                .chain(&doc.original.paragraphs);
            for p in paragraphs {
                let mut at = p.text.start;
                while at <= p.text.end {
                    assert!(
                        complete(&mut s, &uri, &text, at, enc).is_empty(),
                        "{} at {at}",
                        path.display()
                    );
                    at += 97;
                    while !text.is_char_boundary(at.min(text.len())) {
                        at += 1;
                    }
                }
            }
            s.close(&uri);
        }
        s.shutdown();
    }
}

#[test]
fn named_entities_offer_the_terms_not_yet_listed() {
    let Some(files) = common::corpus() else {
        return;
    };
    let path = files
        .iter()
        .find(|p| p.to_string_lossy().contains("1966-06-01_三言两语"))
        .expect("the corpus has 三言两语");
    let text = std::fs::read_to_string(path).unwrap();
    for enc in ENCODINGS {
        let mut s = start(enc);
        let entry = text.find("约翰逊\tJohnson").unwrap();
        let blanked = text.replacen("约翰逊\tJohnson", "", 1);
        let uri = common::file_uri(path);
        s.open(&uri, &blanked);
        s.wait_diagnostics(&uri);
        let items = complete(&mut s, &uri, &blanked, entry, enc);
        let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
        assert!(labels.contains(&"约翰逊"), "{labels:?}");
        for listed in ["美国", "越南", "西贡", "美联社", "南越"] {
            assert!(!labels.contains(&listed), "{listed} is listed: {labels:?}");
        }
        let item = items.iter().find(|i| i["label"] == "约翰逊").unwrap();
        let after = accept(&mut s, &uri, &blanked, item, enc);
        assert_eq!(after.replacen("约翰逊\n", "约翰逊\tJohnson\n", 1), text);
        // With the term typed in part, the item replaces what is typed.
        let typed = text.replacen("约翰逊\tJohnson", "约翰", 1);
        s.change(&uri, vec![json!({"text": typed})]);
        let items = complete(&mut s, &uri, &typed, entry + "约翰".len(), enc);
        let item = items.iter().find(|i| i["label"] == "约翰逊").unwrap();
        assert_eq!(
            apply(&typed, item, enc).replacen("约翰逊\n", "约翰逊\tJohnson\n", 1),
            text
        );
        s.shutdown();
    }
}

#[test]
fn trigger_characters_are_the_colon_and_the_space() {
    let mut s = Server::start();
    let r = s.initialize(json!({}));
    assert_eq!(
        r["capabilities"]["completionProvider"]["triggerCharacters"],
        json!([":", " "])
    );
    s.shutdown();
}
