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
//! Numbers: runs of ASCII or full-width digits (with `,` or `.` between digits) on both
//! sides, and runs of Chinese numerals in the original: two or more (`一九五二`, `三千`), or
//! one after `第` or before a counter (`三个`, `五月`). A simple reading for colour only;
//! the review's number checks have their own.
//!
//! Tokens never overlap and never cross a line; they come in document order.

use super::rename::{original_places, renderings, uses_in, Script, MAX_ENTRIES};
use super::View;
use crate::syntax::{FieldKey, Span};

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
        .filter(|s| doc.original.title.as_ref().map_or(true, |t| t.text != *s))
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

/// A set of characters of the CJK Unified Ideographs block (U+4E00..U+A000) as a bitset:
/// one lookup per character, where a `match` over dozens of characters costs more than
/// the rest of the token scan.
struct HanSet([u64; 0x5200 / 64]);

impl HanSet {
    const fn of(chars: &[char]) -> HanSet {
        let mut bits = [0u64; 0x5200 / 64];
        let mut i = 0;
        while i < chars.len() {
            let k = chars[i] as usize - 0x4e00;
            bits[k / 64] |= 1 << (k % 64);
            i += 1;
        }
        HanSet(bits)
    }

    #[inline(always)]
    fn contains(&self, c: u32) -> bool {
        let k = (c as usize).wrapping_sub(0x4e00);
        k < 0x5200 && self.0[k / 64] & (1 << (k % 64)) != 0
    }
}

/// Chinese numerals (〇 apart, outside the block).
static NUMERALS: HanSet = HanSet::of(&[
    '零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '百', '千', '万', '亿', '两',
    '廿', '卅',
]);

/// Counters and units after which a single numeral is a number (`三个`, `五月`).
static COUNTERS: HanSet = HanSet::of(&[
    '年', '月', '日', '时', '号', '个', '人', '名', '位', '次', '元', '角', '斤', '亩', '吨', '里',
    '米', '尺', '寸', '岁', '倍', '项', '件', '条', '家', '户', '头', '匹', '只', '天', '周', '届',
    '期', '批', '座', '处', '所', '辆', '架', '艘', '台', '部', '本', '篇', '张', '份', '块', '颗',
    '株', '棵', '斗', '升', '担', '成',
]);

#[inline(always)]
fn is_numeral(c: u32) -> bool {
    c == '〇' as u32 || NUMERALS.contains(c)
}

#[inline(always)]
fn is_counter(c: u32) -> bool {
    COUNTERS.contains(c)
}

/// An ASCII or full-width digit (by code point).
#[inline(always)]
fn is_digit(c: u32) -> bool {
    (0x30..=0x39).contains(&c) || (0xff10..=0xff19).contains(&c)
}

/// The character at byte `i` of valid UTF-8 and its length, decoded by hand (this runs
/// over every character of every paragraph).
#[inline(always)]
fn char_at(b: &[u8], i: usize) -> (u32, usize) {
    let x = b[i];
    let (c, len) = if x < 0x80 {
        (u32::from(x), 1)
    } else if x < 0xe0 {
        ((u32::from(x & 0x1f) << 6) | u32::from(b[i + 1] & 0x3f), 2)
    } else if x < 0xf0 {
        (
            (u32::from(x & 0x0f) << 12)
                | (u32::from(b[i + 1] & 0x3f) << 6)
                | u32::from(b[i + 2] & 0x3f),
            3,
        )
    } else {
        (
            (u32::from(x & 0x07) << 18)
                | (u32::from(b[i + 1] & 0x3f) << 12)
                | (u32::from(b[i + 2] & 0x3f) << 6)
                | u32::from(b[i + 3] & 0x3f),
            4,
        )
    };
    (c, len)
}

/// The first index from `i` that holds a digit or a non-ASCII byte: eight bytes at a time
/// (English paragraphs are long runs of letters).
fn skip_plain_ascii(b: &[u8], mut i: usize) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const ONES: u64 = 0x0101_0101_0101_0101;
    while i + 8 <= b.len() {
        let mut word = [0u8; 8];
        word.copy_from_slice(&b[i..i + 8]);
        let w = u64::from_le_bytes(word);
        // A byte is interesting if its high bit is set or it lies in b'0'..=b'9': for
        // ASCII bytes, (x + 0x50) has bit 7 set from b'0' on, (x + 0x46) from b':' on.
        let low = w & !HIGH;
        let from_zero = low.wrapping_add(ONES * 0x50) & HIGH;
        let from_colon = low.wrapping_add(ONES * 0x46) & HIGH;
        if (w & HIGH) | (from_zero & !from_colon) != 0 {
            break;
        }
        i += 8;
    }
    while i < b.len() && b[i] < 0x80 && !b[i].is_ascii_digit() {
        i += 1;
    }
    i
}

/// The end of the digit run starting at `i` (separators between digits included).
fn digit_run(b: &[u8], mut i: usize) -> usize {
    loop {
        while i < b.len() && is_digit(char_at(b, i).0) {
            i += char_at(b, i).1;
        }
        // `1,000`, `3.5`, `３．５`: a separator between digits continues the number.
        if i >= b.len() {
            return i;
        }
        let (sep, len) = char_at(b, i);
        if matches!(sep, 0x2c | 0x2e | 0xff0e)
            && i + len < b.len()
            && is_digit(char_at(b, i + len).0)
        {
            i += len;
        } else {
            return i;
        }
    }
}

/// The number runs of `s` (byte ranges into it): digits on both sides, Chinese numerals
/// when `chinese`. One pass over the bytes, decoding only the characters that can matter
/// (it runs over every paragraph on every keystroke).
pub fn numbers(s: &str, chinese: bool) -> Vec<Span> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut after_di = false;
    while i < b.len() {
        let x = b[i];
        if x < 0x80 {
            if x.is_ascii_digit() {
                let end = digit_run(b, i);
                out.push(i..end);
                i = end;
            } else {
                i = skip_plain_ascii(b, i + 1);
            }
            after_di = false;
            continue;
        }
        // Only 〇 (E3 80 87), the CJK block (E4–E9) and full-width digits (EF BC 90–99)
        // can start a number; everything else is stepped over undecoded.
        if !matches!(x, 0xe3..=0xe9 | 0xef) {
            i += if x >= 0xf0 {
                4
            } else if x >= 0xe0 {
                3
            } else {
                2
            };
            after_di = false;
            continue;
        }
        let (c, len) = char_at(b, i);
        if is_digit(c) {
            let end = digit_run(b, i);
            out.push(i..end);
            i = end;
            after_di = false;
            continue;
        }
        if chinese && is_numeral(c) {
            let mut end = i + len;
            while end < b.len() && is_numeral(char_at(b, end).0) {
                end += char_at(b, end).1;
            }
            let single = end == i + len;
            let before_counter = end < b.len() && is_counter(char_at(b, end).0);
            if !single || after_di || before_counter {
                out.push(i..end);
            }
            i = end;
            after_di = false;
            continue;
        }
        after_di = c == '第' as u32;
        i += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn numbers_simply() {
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
            ["一九五二", "三", "五", "１２"]
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
