//! Hover: a translation paragraph shows its original and vice versa; header fields and the
//! original's header lines likewise; no counterpart is explained; glossary terms show
//! their entry. Ranges are exact in each encoding, on lines with astral characters.

mod common;

use common::{position, seeds, Server};
use serde_json::{json, Value};

const SEED: &str = "seeds/000_0d759123a74baf35.txt";
const ASTRAL: &str = "seeds/1956-04-20_𠮷家庄修成新水渠.md";

fn read(rel: &str) -> String {
    std::fs::read_to_string(common::root().join(rel)).unwrap()
}

fn hover(s: &mut Server, uri: &str, pos: Value) -> Value {
    s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": pos}),
    )
}

fn markdown(h: &Value) -> &str {
    assert_eq!(h["contents"]["kind"], "markdown", "{h}");
    h["contents"]["value"].as_str().unwrap()
}

/// The content range (indent excluded) of the line holding `needle`.
fn span_of_line(text: &str, needle: &str) -> std::ops::Range<usize> {
    let at = text.find(needle).unwrap();
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find(['\r', '\n']).map_or(text.len(), |i| at + i);
    let line = &text[start..end];
    let s = start + (line.len() - line.trim_start().len());
    s..start + line.trim_end().len()
}

#[test]
fn paragraphs_both_ways_with_exact_ranges() {
    for enc in ["utf-8", "utf-16", "utf-32"] {
        let mut s = Server::start();
        s.initialize_encodings(Some(&[enc]));
        let text = read(SEED);
        let uri = "file:///tmp/seed.txt";
        s.open(uri, &text);

        // Translation ¶3 → Original ¶3 of 4.
        let en = span_of_line(&text, "In order to introduce");
        let h = hover(&mut s, uri, position::at(&text, en.start + 10, enc));
        let md = markdown(&h);
        assert!(md.starts_with("**Original ¶3 of 4**"), "{md}");
        assert!(md.contains("为了介绍推广先进经验的方法"), "{md}");
        assert_eq!(h["range"], position::range(&text, &en, enc));

        // Original ¶3 → Translation ¶3 of 4, hovered in the middle of Han text.
        let cn = span_of_line(&text, "为了介绍推广先进经验的方法");
        let h = hover(&mut s, uri, position::at(&text, cn.start + 3 * 20, enc));
        let md = markdown(&h);
        assert!(md.starts_with("**Translation ¶3 of 4**"), "{md}");
        assert!(md.contains("In order to introduce"), "{md}");
        assert_eq!(h["range"], position::range(&text, &cn, enc));
        s.shutdown();
    }
}

#[test]
fn astral_lines_hover_in_every_encoding() {
    for enc in ["utf-8", "utf-16", "utf-32"] {
        let mut s = Server::start();
        s.initialize_encodings(Some(&[enc]));
        let text = read(ASTRAL);
        let uri = "file:///tmp/astral.md";
        s.open(uri, &text);
        // The original's first paragraph starts with 𠮷; hover just after it.
        let cn = span_of_line(&text, "    𠮷家庄修成新水渠");
        let h = hover(&mut s, uri, position::at(&text, cn.start + 4, enc));
        assert!(markdown(&h).starts_with("**Translation ¶1 of"), "{h}");
        assert_eq!(h["range"], position::range(&text, &cn, enc));
        // The title line: ### 𠮷… → the header's Title.
        let title = text.find("### ").unwrap();
        let h = hover(&mut s, uri, position::at(&text, title + 8, enc));
        let md = markdown(&h);
        assert!(md.starts_with("**Translation Title**"), "{md}");
        assert!(md.contains("Jijiazhuang Completes"), "{md}");
        assert_eq!(
            h["range"],
            position::range(&text, &(title + 4..span_of_line(&text, "### ").end), enc)
        );
        s.shutdown();
    }
}

#[test]
fn fields_both_ways() {
    let mut s = Server::start();
    s.initialize_encodings(None);
    let text = read(SEED);
    let uri = "file:///tmp/seed.txt";
    s.open(uri, &text);
    let cases = [
        ("Date: 1952", "**Original Date**", "1952-08-03"),
        ("Page: 2", "**Original Page**", "第2版()"),
        (
            "Title: Experience",
            "**Original Title**",
            "及时总结和传播推广先进经验的经验",
        ),
        (
            "Economic Life Brief",
            "**Original Column**",
            "专栏：经济生活简评",
        ),
        ("第2版", "**Translation Page**", "Page: 2"),
        (
            "专栏：",
            "**Translation Column**",
            "Economic Life Brief Commentary",
        ),
        ("\n1952-08-03", "**Translation Date**", "Date: 1952-08-03"),
    ];
    for (needle, heading, shows) in cases {
        let at = text.find(needle).unwrap() + needle.starts_with('\n') as usize;
        let h = hover(&mut s, uri, position::at(&text, at, "utf-16"));
        let md = markdown(&h);
        assert!(md.starts_with(heading), "{needle}: {md}");
        assert!(md.contains(shows), "{needle}: {md}");
    }
    // The blank author line of the original pairs with `Author:`.
    let h = hover(&mut s, uri, json!({"line": 1, "character": 3}));
    assert!(markdown(&h).starts_with("**Original Author**"), "{h}");
    s.shutdown();
}

#[test]
fn no_counterpart_says_why_and_blank_lines_have_no_hover() {
    let mut s = Server::start();
    s.initialize_encodings(None);
    let text = read(SEED).replacen(
        "\n\n\n\n<hr />",
        "\n    An extra paragraph.\n\n\n\n<hr />",
        1,
    );
    let uri = "file:///tmp/extra.txt";
    s.open(uri, &text);
    let at = text.find("An extra").unwrap();
    let h = hover(&mut s, uri, position::at(&text, at, "utf-16"));
    let md = markdown(&h);
    assert!(md.starts_with("**Translation ¶5 of 5**"), "{md}");
    assert!(md.contains("No counterpart in the original"), "{md}");
    assert!(md.contains("4"), "says how many the original has: {md}");
    // A blank line, the separator, past the end: nothing.
    for pos in [
        json!({"line": 4, "character": 0}),
        json!({"line": 99999, "character": 0}),
    ] {
        assert_eq!(hover(&mut s, uri, pos), Value::Null);
    }
    s.shutdown();
}

#[test]
fn glossary_terms_show_their_entry() {
    let mut s = Server::start();
    s.initialize_encodings(None);
    let text = "Title: Jining Daily Launched\nAuthor:\nDate: 1946-05-17\nPage: 1\n\n    Jining Daily was launched in Jining City.\n\n**Named Entities**\n\n济宁日报\tJining Daily\n济宁市\tJining City\n\n<hr /> \n\nOriginal: \n\n\n### 济宁日报创刊\n\n1946-05-17\n第1版()\n\n    济宁日报在济宁市创刊。\n";
    let uri = "file:///tmp/glossary.md";
    s.open(uri, text);
    // On the entry itself.
    let at = text.find("济宁市\t").unwrap();
    let h = hover(&mut s, uri, position::at(text, at, "utf-16"));
    let md = markdown(&h);
    assert!(
        md.starts_with("**Named Entities**") && md.contains("Jining City"),
        "{md}"
    );
    // On a use of the term in the original, and of its translation in the English.
    let at = text.rfind("济宁市").unwrap() + 3;
    let h = hover(&mut s, uri, position::at(text, at, "utf-16"));
    assert!(markdown(&h).contains("Jining City"), "{h}");
    assert_eq!(
        h["range"],
        position::range(text, &(at - 3..at + 6), "utf-16")
    );
    let at = text.find("in Jining City").unwrap() + 3;
    let h = hover(&mut s, uri, position::at(text, at, "utf-16"));
    assert!(markdown(&h).contains("济宁市"), "{h}");
    s.shutdown();
}

#[test]
fn every_seed_answers_hover_on_every_line() {
    let mut s = Server::start();
    s.initialize_encodings(None);
    for seed in seeds() {
        let text = std::fs::read_to_string(&seed).unwrap();
        let uri = common::file_uri(&seed);
        s.open(&uri, &text);
        for line in 0..text.lines().count() + 1 {
            for character in [0, 5, 10_000] {
                hover(&mut s, &uri, json!({"line": line, "character": character}));
            }
        }
    }
    s.shutdown();
}
