//! Semantic tokens: what each part of the document is, in LSP's standard token types and
//! modifiers, so that every theme colours it without configuration.
//!
//! | part | type | modifiers |
//! | --- | --- | --- |
//! | header key (`Title`, `Edition`, unknown keys too), `专栏` key | `property` | |
//! | header `Title:` value, the original's title | `class` | `declaration` |
//! | header `Author:` value, the original's author line | `variable` | |
//! | header `Date:`/`Page:` values, the original's date line, N of `第N版` | `number` | |
//! | header `Column:` value, the column line, the `专栏：` value | `type` | |
//! | other header values | `string` | |
//! | `<hr />` separator, `### ` | `operator` | |
//! | `Original:` marker, `**Named Entities**`, `第` and `版(…)` | `keyword` | |
//! | paragraphs (either side), glossary translations | `string` | |
//! | numbers in paragraphs (either side) | `number` | |
//! | Named Entities terms | `variable` | `declaration` |
//! | uses of a Named Entities term in the paragraphs | `variable` | |
//!
//! Everything on the original's side (after `Original:`) also has the `readonly` modifier:
//! it is the source text, so a theme (or the user) can set the two sides apart.
//!
//! Numbers are those the review's number checks read ([`crate::text::numbers`]): in the
//! original every number mention (`一九五二`, `三千`, `１２`, not `统一` or `十分`), in the
//! English every numeric value (`1,000`, `3.5`, `three`).
//!
//! Tokens never overlap and never cross a line; they come in document order.

use super::rename::{original_places, renderings, uses_in, Script, MAX_ENTRIES};
use super::View;
use crate::syntax::{FieldKey, Span};
use crate::text::numbers;

/// A token type: LSP's standard names, in the order of the legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenType {
    Property,
    Class,
    Variable,
    Number,
    Type,
    String,
    Operator,
    Keyword,
}

impl TokenType {
    /// The legend's types, in order: a token's type is sent as its index here.
    pub const LEGEND: [TokenType; 8] = [
        TokenType::Property,
        TokenType::Class,
        TokenType::Variable,
        TokenType::Number,
        TokenType::Type,
        TokenType::String,
        TokenType::Operator,
        TokenType::Keyword,
    ];

    /// LSP's name of the type.
    pub fn name(self) -> &'static str {
        match self {
            TokenType::Property => "property",
            TokenType::Class => "class",
            TokenType::Variable => "variable",
            TokenType::Number => "number",
            TokenType::Type => "type",
            TokenType::String => "string",
            TokenType::Operator => "operator",
            TokenType::Keyword => "keyword",
        }
    }

    /// The index in [`TokenType::LEGEND`].
    pub fn index(self) -> u32 {
        TokenType::LEGEND
            .iter()
            .position(|t| *t == self)
            .unwrap_or(0) as u32
    }
}

/// Modifier bits, in the order of [`MODIFIERS`].
pub const DECLARATION: u32 = 1;
/// The original's side.
pub const READONLY: u32 = 2;
/// The legend's modifiers (LSP's standard names): bit k is `MODIFIERS[k]`.
pub const MODIFIERS: [&str; 2] = ["declaration", "readonly"];

/// One token: a byte range inside one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenType,
    pub modifiers: u32,
}

/// Every token of the document.
pub fn tokens(view: View) -> Vec<Token> {
    tokens_in(view, 0..usize::MAX)
}

/// The tokens of the lines that `range` (byte offsets) touches.
pub fn tokens_in(view: View, range: Span) -> Vec<Token> {
    let View { text, doc, .. } = view;
    let lines = {
        let first = doc.lines.partition_point(|l| l.next <= range.start);
        let last = doc.lines.partition_point(|l| l.start <= range.end);
        first..last.max(first)
    };
    let wants = |line: usize| lines.contains(&line);
    let mut b = Builder {
        text,
        out: Vec::new(),
    };
    let line_of = |line: usize| doc.lines.get(line).map(|l| l.range());

    for f in &doc.header.fields {
        if !wants(f.line) {
            continue;
        }
        b.push(f.key_span.clone(), TokenType::Property, 0);
        let kind = match f.key {
            Some(FieldKey::Title) => TokenType::Class,
            Some(FieldKey::Author) => TokenType::Variable,
            Some(FieldKey::Date | FieldKey::Page) => TokenType::Number,
            Some(FieldKey::Column) => TokenType::Type,
            None => TokenType::String,
        };
        let m = if f.key == Some(FieldKey::Title) {
            DECLARATION
        } else {
            0
        };
        b.push(f.value.clone(), kind, m);
    }

    let t = &doc.translation;
    if let Some(c) = t.column_line.as_ref().filter(|c| wants(c.line)) {
        b.push(c.text.clone(), TokenType::Type, 0);
    }
    let uses = term_uses(view);
    let english_uses = &uses.0;
    for p in t.paragraphs.iter().filter(|p| wants(p.line)) {
        b.paragraph(p.text.clone(), english_uses, 0, false);
    }
    if let Some(g) = &t.glossary {
        if wants(g.heading.line) {
            b.push(g.heading.text.clone(), TokenType::Keyword, 0);
        }
        for e in g.entries.iter().filter(|e| wants(e.line)) {
            b.push(trim(text, &e.term), TokenType::Variable, DECLARATION);
            b.push(e.translation.clone(), TokenType::String, 0);
        }
    }
    for (line, kind) in [
        (doc.separator, TokenType::Operator),
        (doc.marker, TokenType::Keyword),
    ] {
        if let Some(r) = line.filter(|l| wants(*l)).and_then(line_of) {
            b.push(trim(text, &r), kind, 0);
        }
    }

    let o = &doc.original;
    const R: u32 = READONLY;
    if let Some(title) = o.title.as_ref().filter(|x| wants(x.line)) {
        if let Some(r) = line_of(title.line) {
            let hashes = trim(text, &(r.start..title.text.start));
            b.push(hashes, TokenType::Operator, R);
        }
        b.push(title.text.clone(), TokenType::Class, DECLARATION | R);
    }
    if let Some(a) = o.author.as_ref().filter(|x| wants(x.line)) {
        b.push(a.text.clone(), TokenType::Variable, R);
    }
    if let Some(d) = o.date.as_ref().filter(|x| wants(x.line)) {
        b.push(d.text.clone(), TokenType::Number, R);
    }
    if let Some(p) = o.page.as_ref().filter(|x| wants(x.line)) {
        match &p.number {
            Some(n) => {
                b.push(p.text.start..n.start, TokenType::Keyword, R);
                b.push(n.clone(), TokenType::Number, R);
                b.push(n.end..p.text.end, TokenType::Keyword, R);
            }
            None => b.paragraph_as(p.text.clone(), &[], R, TokenType::Keyword, true),
        }
    }
    if let Some(c) = o.column.as_ref().filter(|x| wants(x.line)) {
        b.push(c.text.start..c.value.start, TokenType::Property, R);
        b.push(c.value.clone(), TokenType::Type, R);
    }
    let original_uses = &uses.1;
    for p in o.paragraphs.iter().filter(|p| wants(p.line)) {
        b.paragraph(p.text.clone(), original_uses, R, true);
    }

    let mut out = b.out;
    out.sort_by_key(|t| (t.span.start, t.span.end));
    // Defensive: a model with overlapping parts must still give valid tokens.
    let mut end = 0;
    out.retain(|t| {
        let keep = t.span.start >= end;
        if keep {
            end = t.span.end;
        }
        keep
    });
    out
}

/// The uses of Named Entities terms in the English and in the original, each sorted.
fn term_uses(view: View) -> (Vec<Span>, Vec<Span>) {
    let View { text, doc, .. } = view;
    let Some(g) = &doc.translation.glossary else {
        return Default::default();
    };
    let paragraphs_en: Vec<Span> = doc
        .translation
        .paragraphs
        .iter()
        .map(|p| p.text.clone())
        .collect();
    let paragraphs_cn: Vec<Span> = original_places(doc)
        .into_iter()
        .filter(|s| doc.original.title.as_ref().is_none_or(|t| t.text != *s))
        .collect();
    let mut en = Vec::new();
    let mut cn = Vec::new();
    for e in g.entries.iter().take(MAX_ENTRIES) {
        for r in renderings(text, e) {
            en.extend(uses_in(text, &paragraphs_en, &text[r], Script::English));
        }
        let term = trim(text, &e.term);
        let term = &text[term];
        if crate::text::has_han(term) {
            cn.extend(uses_in(text, &paragraphs_cn, term, Script::Han));
        }
    }
    for v in [&mut en, &mut cn] {
        // Longest first at the same start, so `South Vietnam` wins over `Vietnam` inside it.
        v.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    }
    (en, cn)
}

fn trim(text: &str, span: &Span) -> Span {
    let s = &text[span.clone()];
    let lead = s.len() - s.trim_start().len();
    span.start + lead..span.start + lead + s.trim().len()
}

struct Builder<'t> {
    text: &'t str,
    out: Vec<Token>,
}

impl Builder<'_> {
    fn push(&mut self, span: Span, kind: TokenType, modifiers: u32) {
        if span.start < span.end && span.end <= self.text.len() {
            self.out.push(Token {
                span,
                kind,
                modifiers,
            });
        }
    }

    /// A paragraph as `string`, cut around its numbers and term uses.
    fn paragraph(&mut self, span: Span, uses: &[Span], modifiers: u32, chinese: bool) {
        self.paragraph_as(span, uses, modifiers, TokenType::String, chinese);
    }

    fn paragraph_as(
        &mut self,
        span: Span,
        uses: &[Span],
        modifiers: u32,
        base: TokenType,
        chinese: bool,
    ) {
        let s = &self.text[span.clone()];
        let first = uses.partition_point(|u| u.start < span.start);
        let mut inner: Vec<(Span, TokenType)> = uses[first..]
            .iter()
            .take_while(|u| u.end <= span.end)
            .map(|u| (u.clone(), TokenType::Variable))
            .collect();
        inner.extend(
            numbers(s, chinese)
                .into_iter()
                .map(|r| (span.start + r.start..span.start + r.end, TokenType::Number)),
        );
        inner.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
        let mut at = span.start;
        for (r, kind) in inner {
            if r.start < at {
                continue; // overlaps one already taken
            }
            self.push(at..r.start, base, modifiers);
            self.push(r.clone(), kind, modifiers);
            at = r.end;
        }
        self.push(at..span.end, base, modifiers);
    }
}

/// The numbers of `s` (byte ranges into it): the original's number mentions
/// ([`numbers::chinese`]: Arabic, full-width and Chinese numerals, words that only look like
/// numbers left out), or the English's numeric values ([`numbers::english_items`]; month and
/// weekday names are words, not numbers, here).
pub fn numbers(s: &str, chinese: bool) -> Vec<Span> {
    if chinese {
        numbers::chinese(s).into_iter().map(|m| m.span).collect()
    } else {
        numbers::english_items(s)
            .into_iter()
            .filter(|i| matches!(i.value, numbers::Value::Num(_)))
            .map(|i| i.span)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn numbers_as_the_review_reads_them() {
        let n = |s: &str, cn| -> Vec<String> {
            numbers(s, cn)
                .into_iter()
                .map(|r| s[r].to_string())
                .collect()
        };
        assert_eq!(
            n("In 1952, 3.5 tons and 1,000 men.", false),
            ["1952", "3.5", "1,000"]
        );
        assert_eq!(
            n("一九五二年三个人统一了第五师，共１２万", true),
            ["一九五二", "三", "五", "１２万"]
        );
        assert!(n("统一的一切", true).iter().all(|s| s != "一"));
    }

    #[test]
    fn the_seed_is_tokenised_in_order_without_overlap() {
        let text = include_str!("../../seeds/000_0d759123a74baf35.txt");
        let doc = parse(text);
        let alignment = crate::align::align(text, &doc);
        let view = View {
            text,
            doc: &doc,
            alignment: &alignment,
        };
        let all = tokens(view);
        let mut end = 0;
        for t in &all {
            assert!(t.span.start >= end && t.span.start < t.span.end);
            assert!(!text[t.span.clone()].contains('\n'));
            end = t.span.end;
        }
        let kinds = |line: &str| -> Vec<(&str, TokenType)> {
            let at = text.find(line).unwrap();
            all.iter()
                .filter(|t| t.span.start >= at && t.span.end <= at + line.len())
                .map(|t| (&text[t.span.clone()], t.kind))
                .collect()
        };
        assert_eq!(
            kinds("Date: 1952-08-03"),
            [
                ("Date", TokenType::Property),
                ("1952-08-03", TokenType::Number)
            ]
        );
        assert_eq!(kinds("<hr /> "), [("<hr />", TokenType::Operator)]);
        assert_eq!(kinds("Original: "), [("Original:", TokenType::Keyword)]);
        assert_eq!(
            kinds("第2版()"),
            [
                ("第", TokenType::Keyword),
                ("2", TokenType::Number),
                ("版()", TokenType::Keyword)
            ]
        );
        let cn = all
            .iter()
            .find(|t| text[t.span.clone()].starts_with("及时总结") && t.kind == TokenType::Class)
            .unwrap();
        assert_eq!(cn.modifiers, DECLARATION | READONLY);
        // A range gives the same tokens as the full answer for its lines.
        let at = text.find("第2版()").unwrap();
        let part = tokens_in(view, at..at + 3);
        assert_eq!(part.len(), 3);
        assert_eq!(
            part,
            all.iter()
                .filter(|t| t.span.start >= at && t.span.end <= at + 9)
                .cloned()
                .collect::<Vec<_>>()
        );
    }
}
