//! Selection ranges (expand selection): sentence → paragraph → section → document.
//!
//! Sentences are [`crate::text::sentences`]'s (English at `.!?`, Chinese at `。！？；`,
//! outside quotes). In the header: the value → the field line → the header; in the Named
//! Entities block: the term or its translation → the entry → the block; on the original's
//! header lines: the line → the original. Each range holds the one before it, and no two
//! are equal.

use super::element::{element_at, Element};
use super::folding::sections;
use super::View;
use crate::syntax::Span;
use crate::text::sentences;

/// The ranges around byte `offset`, innermost first, the whole document last.
pub fn selection(view: View, offset: usize) -> Vec<Span> {
    let View { text, doc, .. } = view;
    let offset = offset.min(text.len());
    let holds = |s: &Span| s.start <= offset && offset <= s.end;
    let mut chain: Vec<Span> = Vec::new();

    if let Some(at) = element_at(doc, offset) {
        match at.element {
            Element::Paragraph(side, _) => {
                let p = at.span.clone();
                let s = &text[p.clone()];
                let split = match side {
                    crate::syntax::Side::Translation => sentences::english(s),
                    crate::syntax::Side::Original => sentences::chinese(s),
                };
                if let Some(r) = split
                    .into_iter()
                    .map(|r| p.start + r.start..p.start + r.end)
                    .find(|r| holds(r))
                {
                    chain.push(r);
                }
                chain.push(p);
            }
            Element::HeaderField(_) => {
                if let Some(f) = doc.header.fields.iter().find(|f| f.line == at.line) {
                    for s in [&f.key_span, &f.value] {
                        if holds(s) && !s.is_empty() {
                            chain.push(s.clone());
                        }
                    }
                }
                chain.push(at.span.clone());
            }
            Element::GlossaryEntry(k) => {
                if let Some(e) = doc
                    .translation
                    .glossary
                    .as_ref()
                    .and_then(|g| g.entries.get(k))
                {
                    for s in [&e.term, &e.translation] {
                        if holds(s) && !s.is_empty() {
                            chain.push(s.clone());
                        }
                    }
                }
                chain.push(at.span.clone());
            }
            Element::ColumnLine | Element::OriginalField(_) => chain.push(at.span.clone()),
        }
    }
    let line_span = |line: usize| doc.lines.get(line).map(|l| l.range());
    if let Some(s) = sections(doc).into_iter().find(|s| {
        line_span(s.first_line).is_some_and(|a| a.start <= offset)
            && line_span(s.last_line).is_some_and(|b| offset <= b.end)
    }) {
        if let (Some(a), Some(b)) = (line_span(s.first_line), line_span(s.last_line)) {
            chain.push(a.start..b.end);
        }
    }
    chain.push(0..text.len());
    nest(chain, offset)
}

/// Keeps each range only if it holds the one before it (and the cursor), without repeats.
fn nest(chain: Vec<Span>, offset: usize) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    for r in chain {
        if !(r.start <= offset && offset <= r.end) {
            continue;
        }
        match out.last() {
            Some(last) if *last == r => {}
            Some(last) if !(r.start <= last.start && last.end <= r.end) => {}
            _ => out.push(r),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn chain(text: &str, offset: usize) -> Vec<&str> {
        let doc = parse(text);
        let alignment = crate::align::align(text, &doc);
        selection(
            View {
                text,
                doc: &doc,
                alignment: &alignment,
            },
            offset,
        )
        .into_iter()
        .map(|r| &text[r])
        .collect()
    }

    const DOC: &str = "Title: T\nAuthor:\nDate: 1952-08-03\nPage: 2\n\n    One. He said \"Go. Now.\" Then two!\n    Next.\n\n<hr /> \n\nOriginal: \n\n\n### 标题\n\n1952-08-03\n第2版()\n专栏：\n\n    甲说：“好。走。”乙；丙。\n";

    #[test]
    fn sentence_paragraph_section_document() {
        let at = DOC.find("Go.").unwrap();
        let c = chain(DOC, at);
        assert_eq!(c[0], "He said \"Go. Now.\"");
        assert_eq!(c[1], "One. He said \"Go. Now.\" Then two!");
        assert!(c[2].starts_with("    One.") && c[2].ends_with("    Next."));
        assert_eq!(c[3], DOC);
        let at = DOC.find("好").unwrap();
        let c = chain(DOC, at);
        assert_eq!(c[0], "甲说：“好。走。”");
        assert_eq!(c[1], "甲说：“好。走。”乙；丙。");
        assert!(c[2].starts_with("Original: "));
        // The header: value, line, header, document.
        let at = DOC.find("08-03").unwrap();
        let c = chain(DOC, at);
        assert_eq!(
            c[..3],
            [
                "1952-08-03",
                "Date: 1952-08-03",
                "Title: T\nAuthor:\nDate: 1952-08-03\nPage: 2"
            ]
        );
        // A blank line between the parts: the document only.
        assert_eq!(chain(DOC, DOC.find("\n\n<hr").unwrap() + 1), [DOC]);
        assert_eq!(chain("", 0), [""]);
    }
}
