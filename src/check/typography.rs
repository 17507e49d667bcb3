//! Layout a reviewer tidies: paragraph indentation and trailing blanks.

use super::{Code, Context};

const CANONICAL_INDENTS: [&str; 2] = ["    ", "\u{3000}\u{3000}"];

pub(super) fn check(cx: &mut Context) {
    let doc = cx.doc;
    let paragraphs = doc
        .translation
        .paragraphs
        .iter()
        .chain(&doc.original.paragraphs);
    for p in paragraphs {
        let indent = cx.str(&p.indent);
        if CANONICAL_INDENTS.contains(&indent) {
            continue;
        }
        let (span, message) = if indent.is_empty() {
            (
                p.text.clone(),
                "paragraph without indentation; expected four spaces or two ideographic spaces (U+3000)".to_owned(),
            )
        } else {
            (
                p.indent.clone(),
                format!(
                    "paragraph indented with {}; expected four spaces or two ideographic spaces (U+3000)",
                    describe_blanks(indent)
                ),
            )
        };
        cx.push(Code::Indentation, span, message);
    }

    for line in &doc.lines {
        let content = &cx.text[line.range()];
        let kept = content.trim_end();
        if kept.len() == content.len() || kept == "<hr />" || kept == "Original:" {
            continue;
        }
        let blanks = &content[kept.len()..];
        cx.push(
            Code::TrailingWhitespace,
            line.start + kept.len()..line.end,
            format!("{} at the end of the line", describe_blanks(blanks)),
        );
    }
}

/// Names a run of blanks for a message: "2 spaces", "a tab", "1 ideographic space"…
fn describe_blanks(s: &str) -> String {
    let count = |c: char| s.chars().filter(|&x| x == c).count();
    let parts: Vec<String> = [
        (' ', "space"),
        ('\t', "tab"),
        ('\u{3000}', "ideographic space"),
    ]
    .into_iter()
    .filter_map(|(c, name)| match count(c) {
        0 => None,
        1 => Some(format!("1 {name}")),
        n => Some(format!("{n} {name}s")),
    })
    .collect();
    let others = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '\t' | '\u{3000}'))
        .count();
    let mut out = parts.join(", ");
    if others > 0 {
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(&format!("{others} other blank character(s)"));
    }
    out
}
