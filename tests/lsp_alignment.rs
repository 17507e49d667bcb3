//! The alignment as the editor shows it, through the real server in each position
//! encoding: hover, definition, highlights and inlay hints on a merged pair (one English
//! paragraph for two original ones), a split pair (two English for one original) and at
//! sentence level; inlay hints switched off by `initializationOptions`.

mod common;

use common::{position, Server};
use serde_json::{json, Value};

/// English ¶2 translates original ¶2–3 (a merged pair); English ¶3 translates original
/// ¶4. The lengths are those of real translations (about four English characters a
/// Chinese one). Sides with equal counts keep the diagonal, so the counts differ.
const DOC: &str = "Title: The Factory Finished Its Plan Early\nAuthor:\nDate: 1953-12-20\nPage: 2\n\n    \
The workers of the Shijiazhuang factory finished their annual plan ahead of schedule this year.\n    \
They saved a great deal of raw material. The factory committee praised them at the meeting held last week, and the ministry sent a letter of thanks to every workshop.\n    \
Production will continue to rise next year, and the factory will buy new machines. It will also open a night school for the workers so that everyone can study culture and technology.\n\n\n\
<hr /> \n\nOriginal: \n\n\n### 工厂提前完成计划\n\n1953-12-20\n第2版()\n专栏：\n\n    \
石家庄工厂的工人今年提前完成了全年计划。\n    \
他们节约了大量原料。\n    \
厂委会在上周召开的会议上表扬了他们，部里也给每个车间寄来了感谢信。\n    \
明年生产还将继续提高，工厂将添置新的机器，并且为工人开办夜校，让大家学习文化和技术。\n";

/// [`DOC`] the other way round: original ¶2–3 joined, English ¶3 split in two, so English
/// ¶3–4 translate original ¶3.
fn split_doc() -> String {
    DOC.replace("原料。\n    厂委会", "原料。厂委会")
        .replace("new machines. It will", "new machines.\n    It will")
}

const ENCODINGS: [&str; 3] = ["utf-8", "utf-16", "utf-32"];
const URI: &str = "file:///tmp/alignment.md";

fn start(encoding: &str, options: Value) -> Server {
    let mut s = Server::start();
    let caps = json!({"general": {"positionEncodings": [encoding]},
                      "textDocument": {"definition": {"linkSupport": true}}});
    let r = s.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": caps,
               "initializationOptions": options}),
    );
    assert_eq!(r["capabilities"]["positionEncoding"], encoding);
    assert_eq!(r["capabilities"]["documentHighlightProvider"], true);
    assert_eq!(r["capabilities"]["inlayHintProvider"], true);
    s.notify("initialized", json!({}));
    s.open(URI, DOC);
    s.wait_publish(URI);
    s
}

fn at(needle: &str) -> usize {
    DOC.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the document"))
}

fn span(needle: &str) -> std::ops::Range<usize> {
    let s = at(needle);
    s..s + needle.len()
}

fn request(s: &mut Server, method: &str, offset: usize, enc: &str) -> Value {
    s.request(
        method,
        json!({"textDocument": {"uri": URI}, "position": position::at(DOC, offset, enc)}),
    )
}

#[test]
fn hover_shows_the_merged_group_and_the_counterpart_sentence_first() {
    for enc in ENCODINGS {
        let mut s = start(enc, Value::Null);
        // Inside the second sentence of English ¶2: its counterpart sentence is the whole
        // of original ¶3, shown bold before both paragraphs of the group.
        let h = request(&mut s, "textDocument/hover", at("committee praised"), enc);
        let md = h["contents"]["value"].as_str().unwrap();
        let heading = "**Original ¶2–3 of 4**\n\n";
        assert!(md.starts_with(heading), "{enc}: {md}");
        let body = &md[heading.len()..];
        assert!(
            body.starts_with(
                "**厂委会在上周召开的会议上表扬了他们，部里也给每个车间寄来了感谢信。**"
            ),
            "{enc}: {md}"
        );
        let group = body.split_once("\n\n").unwrap().1;
        assert_eq!(
            group,
            "他们节约了大量原料。\n\n厂委会在上周召开的会议上表扬了他们，部里也给每个车间寄来了感谢信。"
        );
        let para = span("They saved a great deal");
        assert_eq!(
            h["range"]["start"],
            position::at(DOC, para.start, enc),
            "{enc}: the range is the hovered paragraph"
        );

        // Either original paragraph of a merged pair leads back to English ¶2.
        for needle in ["他们节约", "厂委会"] {
            let h = request(&mut s, "textDocument/hover", at(needle), enc);
            let md = h["contents"]["value"].as_str().unwrap();
            assert!(md.starts_with("**Translation ¶2 of 3**"), "{enc}: {md}");
        }
        s.shutdown();

        // The split: original ¶3 is translated by English ¶3–4.
        let split = split_doc();
        let mut s = Server::start();
        s.initialize(json!({"general": {"positionEncodings": [enc]}}));
        s.open(URI, &split);
        let pos = position::at(&split, split.find("并且为工人").unwrap(), enc);
        let h = s.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": pos}),
        );
        let md = h["contents"]["value"].as_str().unwrap();
        assert!(md.starts_with("**Translation ¶3–4 of 4**"), "{enc}: {md}");
        assert!(
            md.contains("buy new machines.\n\nIt will also"),
            "{enc}: {md}"
        );
        s.shutdown();
    }
}

#[test]
fn definition_selects_the_counterpart_sentence_within_the_group() {
    for enc in ENCODINGS {
        let mut s = start(enc, Value::Null);
        let r = request(&mut s, "textDocument/definition", at("raw material"), enc);
        let link = &r[0];
        let first = span("他们节约了大量原料。");
        let last = span("厂委会在上周召开的会议上表扬了他们，部里也给每个车间寄来了感谢信。");
        assert_eq!(
            link["targetRange"],
            position::range(DOC, &(first.start..last.end), enc),
            "{enc}: the whole group"
        );
        assert_eq!(
            link["targetSelectionRange"],
            position::range(DOC, &first, enc),
            "{enc}: the counterpart sentence"
        );
        s.shutdown();
    }
}

#[test]
fn highlights_mark_the_sentence_and_its_counterpart() {
    for enc in ENCODINGS {
        let mut s = start(enc, Value::Null);
        let r = request(
            &mut s,
            "textDocument/documentHighlight",
            at("raw material"),
            enc,
        );
        assert_eq!(
            r,
            json!([
                {"range": position::range(DOC, &span("They saved a great deal of raw material."), enc), "kind": 2},
                {"range": position::range(DOC, &span("他们节约了大量原料。"), enc), "kind": 1},
            ]),
            "{enc}"
        );
        // From the original side, the other way round.
        let r = request(&mut s, "textDocument/documentHighlight", at("原料"), enc);
        assert_eq!(
            r[0]["range"],
            position::range(DOC, &span("他们节约了大量原料。"), enc)
        );
        assert_eq!(r[0]["kind"], 2);
        assert_eq!(r[1]["kind"], 1);
        // Outside paragraphs: nothing.
        let r = request(&mut s, "textDocument/documentHighlight", at("Date:"), enc);
        assert_eq!(r, json!([]), "{enc}");
        s.shutdown();
    }
}

#[test]
fn inlay_hints_number_each_paragraphs_counterpart() {
    for enc in ENCODINGS {
        let mut s = start(enc, Value::Null);
        let whole =
            json!({"start": {"line": 0, "character": 0}, "end": position::at(DOC, DOC.len(), enc)});
        let r = s.request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": URI}, "range": whole}),
        );
        let got: Vec<(Value, &str)> = r
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h["position"].clone(), h["label"].as_str().unwrap()))
            .collect();
        let want: Vec<(Value, &str)> = [
            ("The workers of", "¶1"),
            ("They saved", "¶2–3"),
            ("Production will", "¶4"),
            ("石家庄", "¶1"),
            ("他们节约", "¶2"),
            ("厂委会", "¶2"),
            ("明年生产", "¶3"),
        ]
        .iter()
        .map(|&(needle, label)| (position::at(DOC, at(needle), enc), label))
        .collect();
        assert_eq!(got, want, "{enc}");
        assert_eq!(r[1]["tooltip"], "Translates original ¶2–3");
        assert_eq!(r[5]["tooltip"], "Translated by English ¶2");

        // A range holding only the original's last paragraph.
        let last = position::at(DOC, at("明年生产"), enc);
        let r = s.request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": URI}, "range": {"start": last, "end": last}}),
        );
        assert_eq!(r.as_array().unwrap().len(), 1, "{enc}: {r}");
        s.shutdown();
    }
}

#[test]
fn paragraph_hints_can_be_switched_off() {
    let mut s = start("utf-16", json!({"inlayHints": {"paragraphs": false}}));
    let r = s.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": URI},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}}}),
    );
    assert_eq!(r, json!([]));
    s.shutdown();
}
