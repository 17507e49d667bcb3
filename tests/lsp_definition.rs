//! Go to definition toggles between a translation element and its original, as a
//! `LocationLink` with the origin range for clients that take links, else a `Location`.

mod common;

use common::{position, Server};
use serde_json::{json, Value};

fn seed() -> String {
    std::fs::read_to_string(common::root().join("seeds/000_0d759123a74baf35.txt")).unwrap()
}

fn definition(s: &mut Server, uri: &str, pos: Value) -> Value {
    s.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": pos}),
    )
}

fn line_of(text: &str, needle: &str) -> u64 {
    text[..text.find(needle).unwrap()].matches('\n').count() as u64
}

#[test]
fn links_toggle_both_ways() {
    let mut s = Server::start();
    s.initialize_encodings(Some(&["utf-16"]));
    let text = seed();
    let uri = "file:///tmp/seed.txt";
    s.open(uri, &text);
    let pairs = [
        ("Date: 1952", "\n1952-08-03"),
        ("Page: 2", "第2版()"),
        ("Title: Exp", "### 及时"),
        ("Economic Life Brief", "专栏："),
        ("    Since the launch", "    全国性的增产"),
        ("    The experience of", "    某工厂的经验"),
    ];
    for (en, cn) in pairs {
        let (l_en, l_cn) = (
            line_of(&text, en) + en.starts_with('\n') as u64,
            line_of(&text, cn) + cn.starts_with('\n') as u64,
        );
        let r = definition(&mut s, uri, json!({"line": l_en, "character": 5}));
        let link = &r.as_array().expect("LocationLink[]")[0];
        assert_eq!(link["targetUri"], uri);
        assert_eq!(link["targetRange"]["start"]["line"], l_cn, "{en}: {r}");
        assert_eq!(link["originSelectionRange"]["start"]["line"], l_en);
        if en.starts_with("    ") {
            // From inside a sentence: the counterpart sentence is selected, inside the
            // target paragraph.
            let (sel, range) = (&link["targetSelectionRange"], &link["targetRange"]);
            assert_eq!(sel["start"]["line"], l_cn, "{en}: {r}");
            assert!(common::ordered(&range["start"], &sel["start"]), "{en}: {r}");
            assert!(common::ordered(&sel["end"], &range["end"]), "{en}: {r}");
            assert_ne!(sel, range, "{en}: a sentence, not the paragraph: {r}");
        } else {
            assert_eq!(link["targetSelectionRange"], link["targetRange"]);
        }
        // And back.
        let back = definition(&mut s, uri, json!({"line": l_cn, "character": 2}));
        assert_eq!(
            back[0]["targetRange"]["start"]["line"], l_en,
            "{cn}: {back}"
        );
    }
    // The exact target range of a paragraph: its text without indent.
    let at = text.find("全国性的增产").unwrap();
    let end = at + text[at..].find('\n').unwrap();
    let r = definition(
        &mut s,
        uri,
        json!({"line": line_of(&text, "    Since the launch"), "character": 0}),
    );
    assert_eq!(
        r[0]["targetRange"],
        position::range(&text, &(at..end), "utf-16")
    );
    // Nothing to go to on a blank line or the separator.
    assert_eq!(
        definition(&mut s, uri, json!({"line": 4, "character": 0})),
        Value::Null
    );
    assert_eq!(
        definition(
            &mut s,
            uri,
            json!({"line": line_of(&text, "<hr />"), "character": 0})
        ),
        Value::Null
    );
    s.shutdown();
}

#[test]
fn plain_locations_without_link_support() {
    let mut s = Server::start();
    s.initialize(json!({}));
    let text = seed();
    let uri = "file:///tmp/seed.txt";
    s.open(uri, &text);
    let r = definition(&mut s, uri, json!({"line": 2, "character": 0}));
    assert_eq!(r["uri"], uri, "a single Location: {r}");
    assert_eq!(
        r["range"]["start"]["line"],
        line_of(&text, "\n1952-08-03") + 1
    );
    s.shutdown();
}
