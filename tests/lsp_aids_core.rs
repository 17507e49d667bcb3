//! Property tests of the editing aids' core on near-archive text: completion, semantic
//! tokens, folding, selection, rename and references never panic, at any offset, and what
//! they return is sound: ranges inside the text on character boundaries; completion edits on
//! the cursor's line and holding it; tokens in order, not overlapping, inside one line, a
//! range request a slice of the full answer; folds on existing lines; each selection range
//! inside the next; rename edits not overlapping.

use archive_lsp::ide::{completion, folding, rename, selection, semantic_tokens, View};
use archive_lsp::syntax::{parse, Span};
use proptest::prelude::*;

const ATOMS: &[&str] = &[
    "\n",
    "\r",
    "\r\n",
    "\u{feff}",
    "\u{3000}",
    "\t",
    " ",
    "    ",
    "中",
    "文",
    "𠮷",
    "〇",
    "三千",
    "一九五二",
    "第",
    "版",
    "(",
    ")",
    "（",
    "）",
    "：",
    ":",
    "### ",
    "<hr /> ",
    "Original: ",
    "Title: ",
    "Author: ",
    "Author:",
    "Date: ",
    "Page: ",
    "Edition: ",
    "Column: ",
    "专栏：",
    "**Named Entities**",
    "1952-08-03",
    "2",
    "２",
    "3.5",
    "1,000",
    ".",
    "。",
    "？",
    "“",
    "”",
    "\"",
    "a",
    "Word",
    "United States",
    "美国",
    "\tUnited States",
    "  Vietnam",
    "越南",
    "(Eighth Route Army)",
    "Dong'ao",
    "张云川",
    "记者",
    "辑",
    "é",
];

const LINES: &[&str] = &[
    "Title: 𠮷家庄 Completes a Canal",
    "Author: Zhang Yunchuan",
    "Author:",
    "Date: 1956-04-20",
    "Page: 2",
    "Edition: 3",
    "",
    "    The United States said 3 things. Then 1,000 more!",
    "    “Go.” He went.",
    "**Named Entities**",
    "美国\tUnited States",
    "八路军\tBalujun (Eighth Route Army)",
    "越南  Vietnam",
    "<hr /> ",
    "Original: ",
    "### 标题",
    "张云川  欧阳修",
    "1956-04-20",
    "第2版()",
    "第版()",
    "专栏：读者来信",
    "    美国说了三个问题。一九五二年，美国；越南！",
];

fn text_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(prop::sample::select(ATOMS), 0..80).prop_map(|v| v.concat()),
        prop::collection::vec(
            (prop::sample::select(LINES), prop::sample::select(ATOMS)),
            0..30
        )
        .prop_map(|v| v
            .into_iter()
            .map(|(l, a)| format!("{l}{}\n", if a.contains(['\n', '\r']) { "" } else { a }))
            .collect::<String>()),
    ]
}

fn sound(text: &str, s: &Span) -> Result<(), TestCaseError> {
    prop_assert!(s.start <= s.end && s.end <= text.len(), "{s:?}");
    prop_assert!(
        text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
        "{s:?}"
    );
    Ok(())
}

fn line_of(text: &str, offset: usize) -> (usize, usize) {
    let start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let end = text[offset..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| offset + i);
    (start, end)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_aid_is_sound_at_every_offset(text in text_strategy()) {
        let doc = parse(&text);
        let alignment = archive_lsp::align::align(&text, &doc);
        let view = View { text: &text, doc: &doc, alignment: &alignment };

        let tokens = semantic_tokens::tokens(view);
        let mut end = 0;
        for t in &tokens {
            sound(&text, &t.span)?;
            prop_assert!(t.span.start >= end && t.span.start < t.span.end, "{t:?}");
            prop_assert!(!text[t.span.clone()].contains(['\n', '\r']), "{t:?}");
            end = t.span.end;
        }
        let third = text.len() / 3;
        let part = semantic_tokens::tokens_in(view, third..2 * third);
        prop_assert!(part.iter().all(|t| tokens.contains(t)));

        for f in folding::folds(view) {
            prop_assert!(f.first_line <= f.last_line && f.last_line < doc.lines.len().max(1));
            if let Some(s) = &f.span {
                sound(&text, s)?;
            }
        }

        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            let chain = selection::selection(view, offset);
            prop_assert_eq!(chain.last(), Some(&(0..text.len())));
            for w in chain.windows(2) {
                sound(&text, &w[0])?;
                prop_assert!(w[1].start <= w[0].start && w[0].end <= w[1].end && w[0] != w[1]);
                prop_assert!(w[0].start <= offset && offset <= w[0].end);
            }

            for item in completion::completions(view, offset) {
                sound(&text, &item.replace)?;
                let (ls, le) = line_of(&text, offset);
                prop_assert!(ls <= item.replace.start && item.replace.end <= le, "{item:?}");
                prop_assert!(item.replace.start <= offset && offset <= item.replace.end, "{item:?}");
                prop_assert!(!item.new_text.contains(['\n', '\r']));
            }

            if let Some((span, name)) = rename::prepare(view, offset) {
                sound(&text, &span)?;
                prop_assert_eq!(&text[span], name.as_str());
                let edits = rename::rename(view, offset, "New Name").unwrap().unwrap();
                prop_assert!(!edits.is_empty());
                for w in edits.windows(2) {
                    prop_assert!(w[0].span.end <= w[1].span.start, "{edits:?}");
                }
            }
            for r in rename::references(view, offset, true) {
                sound(&text, &r)?;
            }
        }
    }
}
