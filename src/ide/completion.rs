//! Completion where the document itself knows the answer: the header's missing keys, the
//! header's date, page and author taken from the original (and the original's date and page
//! taken from the header), and, in the Named Entities block, the original's terms not yet
//! listed. Nowhere else: inside paragraphs a reviewer writes prose, and a popup would only
//! get in the way.
//!
//! Every item replaces an exact byte range of the cursor's line (the LSP layer turns it into
//! a `textEdit` in the negotiated encoding), so applying it leaves the line as it should be.

use super::View;
use crate::syntax::{Document, FieldKey, Span};
use crate::text;
use pinyin::ToPinyin;
use std::collections::HashMap;

/// What an item completes (the LSP layer picks the icon from it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// A header key such as `Date: `.
    Key,
    /// A value copied from the other side (a date, a page number).
    Value,
    /// Romanised names for `Author:`.
    Names,
    /// A term of the original for the Named Entities block.
    Term,
}

/// One completion item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub label: String,
    pub kind: ItemKind,
    /// A short note shown beside the label.
    pub detail: String,
    /// The byte range the item replaces: on the cursor's line, and holding the cursor.
    pub replace: Span,
    pub new_text: String,
    /// What the client matches the typed text against.
    pub filter_text: String,
    /// Items sort by this.
    pub sort_text: String,
    pub preselect: bool,
}

/// The characters on which a client should ask for completion without a word typed: the
/// colon and the space after a header key.
pub const TRIGGER_CHARACTERS: [&str; 2] = [":", " "];

/// At most this many terms are offered in the Named Entities block.
pub const MAX_TERMS: usize = 60;

/// The completion items at byte `offset` (empty where nothing is to be completed).
pub fn completions(view: View, offset: usize) -> Vec<Item> {
    let View { text, doc, .. } = view;
    let Some(cursor) = Cursor::at(text, doc, offset) else {
        return Vec::new();
    };
    if let Some(items) = header_value(text, doc, &cursor) {
        return items;
    }
    if let Some(items) = header_keys(text, doc, &cursor) {
        return items;
    }
    if let Some(items) = original_values(text, doc, &cursor) {
        return items;
    }
    glossary_terms(text, doc, &cursor).unwrap_or_default()
}

/// The cursor and its line.
#[derive(Debug)]
struct Cursor {
    offset: usize,
    /// The 0-based line; `doc.lines.len()` for the empty line after a final line break.
    line: usize,
    /// The line's content range.
    content: Span,
}

impl Cursor {
    fn at(text: &str, doc: &Document, offset: usize) -> Option<Cursor> {
        if offset > text.len() || !text.is_char_boundary(offset) {
            return None;
        }
        let i = doc.lines.partition_point(|l| l.start <= offset).max(1) - 1;
        match doc.lines.get(i) {
            // Before a leading BOM: not a place to write anything.
            Some(l) if offset < l.start => None,
            Some(l) if offset <= l.end => Some(Cursor {
                offset,
                line: i,
                content: l.range(),
            }),
            // Between a line's content and the next line (inside a line break): nothing.
            Some(l) if offset < l.next => None,
            // The empty line after the final line break, or an empty text.
            _ => Some(Cursor {
                offset,
                line: doc.lines.len(),
                content: offset..offset,
            }),
        }
    }

    fn before<'t>(&self, text: &'t str) -> &'t str {
        &text[self.content.start..self.offset]
    }

    fn after<'t>(&self, text: &'t str) -> &'t str {
        &text[self.offset..self.content.end]
    }
}

/// The content of `line` (empty past the last line).
fn line_text<'t>(text: &'t str, doc: &Document, line: usize) -> &'t str {
    doc.lines.get(line).map_or("", |l| &text[l.range()])
}

/// The key of a `Key:` line, read as the parser reads it (ASCII letters, then a colon).
fn key_of(line: &str) -> Option<FieldKey> {
    let (key, _) = line.split_once(':')?;
    (!key.is_empty() && key.bytes().all(|b| b.is_ascii_alphabetic()))
        .then(|| FieldKey::parse(key))
        .flatten()
}

/// After `Key:` on a header line: the value the original gives for it.
fn header_value(text: &str, doc: &Document, cursor: &Cursor) -> Option<Vec<Item>> {
    let line = line_text(text, doc, cursor.line);
    let colon = line.find(':')?;
    let key_text = &line[..colon];
    if key_text.is_empty() || !key_text.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let key = FieldKey::parse(key_text)?;
    let line_start = cursor.content.start;
    let after_colon = line_start + colon + 1;
    if cursor.offset < after_colon {
        return None;
    }
    // Only on the English header: a `Date:` line far down in the body is prose.
    let in_header = doc.header.fields.iter().any(|f| f.line == cursor.line);
    if !in_header {
        return None;
    }
    let gap = &text[after_colon..cursor.offset];
    let blanks = gap.len() - gap.trim_start_matches(' ').len();
    let value_start = after_colon + blanks;
    // To the line's end: blanks after the value (or after the cursor) go too, so that the
    // line ends with the value, as the files write it.
    let replace = value_start..(line_start + line.len()).max(cursor.offset);
    let typed = &text[value_start..cursor.offset];
    // Right after the colon the item brings the one space that belongs there.
    let lead = if blanks == 0 { " " } else { "" };
    let o = &doc.original;
    let (value, detail, kind) = match key {
        FieldKey::Date => {
            let d = o.date.as_ref()?;
            (
                text[d.text.clone()].to_string(),
                "the original's date line".to_string(),
                ItemKind::Value,
            )
        }
        FieldKey::Page => {
            let n = o.page.as_ref()?.number.clone()?;
            (
                text::parse_number(&text[n])?.to_string(),
                "N of the original's 第N版 line".to_string(),
                ItemKind::Value,
            )
        }
        FieldKey::Author => {
            let a = o.author.as_ref()?;
            let names = romanise_authors(&text[a.text.clone()]);
            if names.is_empty() {
                return None;
            }
            (
                names,
                format!("romanised from {}", &text[a.text.clone()]),
                ItemKind::Names,
            )
        }
        FieldKey::Title | FieldKey::Column => return None,
    };
    Some(vec![Item {
        filter_text: filter(typed, &value),
        label: value.clone(),
        kind,
        detail,
        replace,
        new_text: format!("{lead}{value}"),
        sort_text: "0".into(),
        preselect: true,
    }])
}

/// What a client matches the typed text against: the value, or (when what is typed is not
/// a start of it, such as a wrong date being corrected) the typed text followed by it, so
/// the item is not filtered away.
fn filter(typed: &str, value: &str) -> String {
    if value.starts_with(typed) {
        value.to_string()
    } else {
        format!("{typed}{value}")
    }
}

/// On an empty line inside the header or right after it (or at the top of a document that
/// has none yet): the missing keys, in the header's order.
fn header_keys(text: &str, doc: &Document, cursor: &Cursor) -> Option<Vec<Item>> {
    let before = cursor.before(text);
    let typed = before.trim_start();
    if !typed.bytes().all(|b| b.is_ascii_alphabetic()) || !text::is_blank(cursor.after(text)) {
        return None;
    }
    let place_ok = match doc.header.line_range() {
        Some((first, last)) => {
            let is_field = doc.header.fields.iter().any(|f| f.line == cursor.line);
            !is_field && cursor.line > first && cursor.line <= last + 1
        }
        // No header yet: only above everything else.
        None => (0..cursor.line).all(|i| text::is_blank(line_text(text, doc, i))),
    };
    if !place_ok || doc.separator.is_some_and(|s| cursor.line >= s) {
        return None;
    }
    // Keys present: the header's, and key lines right below the cursor that the parser
    // could not count yet (the line being typed breaks the header's run).
    let mut present: Vec<FieldKey> = doc.header.fields.iter().filter_map(|f| f.key).collect();
    let mut i = cursor.line + 1;
    while i < doc.lines.len() && i <= cursor.line + 8 {
        let l = line_text(text, doc, i);
        match key_of(l) {
            Some(k) => present.push(k),
            None if text::is_blank(l) => {}
            None => break,
        }
        i += 1;
    }
    let edition = edition_style(text, doc);
    let mut keys: Vec<(FieldKey, &str)> = [FieldKey::Title, FieldKey::Author, FieldKey::Date]
        .into_iter()
        .map(|k| (k, k.name()))
        .collect();
    keys.push((FieldKey::Page, if edition { "Edition" } else { "Page" }));
    if column_expected(text, doc) {
        keys.push((FieldKey::Column, "Column"));
    }
    let replace = cursor.content.start..cursor.offset;
    let items: Vec<Item> = keys
        .into_iter()
        .filter(|(k, _)| !present.contains(k))
        .enumerate()
        .map(|(i, (key, name))| Item {
            label: format!("{name}: "),
            kind: ItemKind::Key,
            detail: key_detail(key, edition).to_string(),
            replace: replace.clone(),
            new_text: format!("{name}: "),
            filter_text: name.to_string(),
            sort_text: format!("{i}"),
            preselect: i == 0,
        })
        .collect();
    Some(items).filter(|v| !v.is_empty())
}

fn key_detail(key: FieldKey, edition: bool) -> &'static str {
    match key {
        FieldKey::Title => "the translated title",
        FieldKey::Author => "the original's author in Pinyin (blank if none)",
        FieldKey::Date => "the date, as in the original",
        FieldKey::Page if edition => "the page (this file's years write Edition)",
        FieldKey::Page => "the page number",
        FieldKey::Column => "the translated column (专栏)",
    }
}

/// Whether this file's period writes `Edition:` for the page: the first months of 1946 and
/// 1966–1968 (FORMAT.md: all such real files do, and no others).
fn edition_style(text: &str, doc: &Document) -> bool {
    if let Some(f) = doc.header.get(FieldKey::Page) {
        return text.get(f.key_span.clone()) == Some("Edition");
    }
    let date = doc
        .header
        .get(FieldKey::Date)
        .and_then(|f| text::parse_date(&text[f.value.clone()]))
        .or_else(|| {
            let d = doc.original.date.as_ref()?;
            text::parse_date(&text[d.text.clone()])
        });
    date.is_some_and(|d| (d.year == 1946 && d.month < 8) || (1966..=1968).contains(&d.year))
}

/// Whether the file's style wants a `Column:` line: the original names a column that is
/// neither its title nor the title's start, and no column line stands after the header.
fn column_expected(text: &str, doc: &Document) -> bool {
    let o = &doc.original;
    let Some(col) = &o.column else { return false };
    let value = &text[col.value.clone()];
    let title = o.title.as_ref().map_or("", |t| &text[t.text.clone()]);
    !value.is_empty() && !title.starts_with(value) && doc.translation.column_line.is_none()
}

/// On the original's date line the header's date; between `第` and `版` the header's page.
fn original_values(text: &str, doc: &Document, cursor: &Cursor) -> Option<Vec<Item>> {
    let o = &doc.original;
    let title = o.title.as_ref()?;
    let header_value = |key: FieldKey| {
        doc.header
            .get(key)
            .map(|f| &text[f.value.clone()])
            .filter(|v| !v.is_empty())
    };
    let line = line_text(text, doc, cursor.line);
    let trimmed = line.trim();
    let start = cursor.content.start + text::indent_len(line);
    if text::is_page_shaped(trimmed) {
        // `第|版`: the digits between them are replaced.
        let after_di = start + '第'.len_utf8();
        let ban = text[after_di..cursor.content.end].find('版')? + after_di;
        let digits = &text[after_di..ban];
        if cursor.offset < after_di
            || cursor.offset > ban
            || !digits
                .chars()
                .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
        {
            return None;
        }
        let page = header_value(FieldKey::Page)?;
        text::parse_page(page)?;
        return Some(vec![Item {
            label: page.to_string(),
            kind: ItemKind::Value,
            detail: "the header's Page".into(),
            replace: after_di..ban,
            new_text: page.to_string(),
            filter_text: filter(&text[after_di..cursor.offset], page),
            sort_text: "0".into(),
            preselect: true,
        }]);
    }
    let is_date_line = match &o.date {
        Some(d) => d.line == cursor.line,
        // No date line yet: a blank line among the original's header lines, below the
        // author slot and above the page line.
        None => {
            let below = o.page.as_ref().map_or(title.line + 5, |p| p.line);
            text::is_blank(line) && cursor.line > title.line + 1 && cursor.line < below
        }
    };
    if !is_date_line || !(trimmed.is_empty() || text::is_date_shaped(trimmed)) {
        return None;
    }
    let date = header_value(FieldKey::Date)?;
    let end = cursor.content.start + line.trim_end().len();
    let replace = start.min(cursor.offset)..end.max(cursor.offset);
    Some(vec![Item {
        label: date.to_string(),
        kind: ItemKind::Value,
        detail: "the header's Date".into(),
        filter_text: filter(&text[replace.start..cursor.offset], date),
        replace,
        new_text: date.to_string(),
        sort_text: "0".into(),
        preselect: true,
    }])
}

/// In the Named Entities block, while the term column is typed: the original's terms not
/// yet listed.
fn glossary_terms(text: &str, doc: &Document, cursor: &Cursor) -> Option<Vec<Item>> {
    let g = doc.translation.glossary.as_ref()?;
    let end = doc
        .separator
        .or(doc.marker)
        .or(doc.original.title.as_ref().map(|t| t.line))
        .unwrap_or(usize::MAX);
    if cursor.line <= g.heading.line || cursor.line >= end {
        return None;
    }
    let typed = cursor.before(text).trim_start();
    // Past the term (a tab or two spaces typed): the translation column, not ours.
    if typed.contains('\t') || typed.contains("  ") || !typed.chars().all(text::is_han) {
        return None;
    }
    let listed: Vec<&str> = g
        .entries
        .iter()
        .filter(|e| e.line != cursor.line)
        .map(|e| text[e.term.clone()].trim())
        .collect();
    let replace = cursor.offset - typed.len()..cursor.offset;
    let items = original_terms(text, doc)
        .into_iter()
        .filter(|t| !listed.contains(&t.term.as_str()))
        .take(MAX_TERMS)
        .enumerate()
        .map(|(i, t)| Item {
            detail: match t.uses {
                0 | 1 => "in the original".to_string(),
                n => format!("{n} times in the original"),
            },
            label: t.term.clone(),
            kind: ItemKind::Term,
            replace: replace.clone(),
            filter_text: t.term.clone(),
            new_text: t.term,
            sort_text: format!("{i:04}"),
            preselect: i == 0,
        })
        .collect();
    Some(items)
}

/// A term candidate of the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub term: String,
    /// How often it is written in the original's title and paragraphs.
    pub uses: usize,
}

/// How much of the original is read for terms (a pathological 10 MB line is not).
const TERM_SCAN_BYTES: usize = 256 * 1024;
/// Terms are this many characters long at most.
const TERM_MAX_CHARS: usize = 6;

/// Characters a term does not begin or end with: particles, pronoun endings and the
/// commonest function words, which otherwise glue themselves to every frequent word.
const NOT_AT_EDGE: &str =
    "的了着过是在和与及也就都而把被对从向以为这那之其将又还要得地们个并但所于即使由各该此每";
/// Characters a term does not begin with (pronouns, adverbs, comparisons).
const NOT_AT_START: &str = "比没不很更最已我你他她它有";
/// Characters a term does not end with (places after a noun: 桌上, 会后).
const NOT_AT_END: &str = "上下里内外中时后前";
/// Common words that are frequent in any article and name nothing.
const COMMON_WORDS: &[&str] = &[
    "没有",
    "已经",
    "自己",
    "一切",
    "必须",
    "进行",
    "我们",
    "他们",
    "你们",
    "如果",
    "因为",
    "所以",
    "但是",
    "可以",
    "这样",
    "那样",
    "什么",
    "怎样",
    "就是",
    "还是",
    "不是",
    "一个",
    "一些",
    "时候",
    "现在",
    "过去",
    "说明",
    "方面",
    "问题",
    "同时",
    "继续",
    "能够",
    "应该",
    "许多",
    "一定",
    "今天",
    "目前",
    "开始",
    "已经",
    "起来",
    "下去",
    "出来",
    "进一步",
];

/// The original's terms, best first: the authors' names, titles of works in 《》, then the
/// Han strings of two to six characters written at least twice, kept only where no longer
/// such string holds them as often (so 约翰逊, not 约翰 and 翰逊), without particles at
/// their edges. A heuristic for a reviewer to pick from, not a segmenter.
pub fn original_terms(text: &str, doc: &Document) -> Vec<Term> {
    let o = &doc.original;
    let mut sources: Vec<&str> = Vec::new();
    let mut budget = TERM_SCAN_BYTES;
    let title = o.title.iter().map(|t| t.text.clone());
    for span in title.chain(o.paragraphs.iter().map(|p| p.text.clone())) {
        if budget == 0 {
            break;
        }
        let mut s = &text[span];
        if s.len() > budget {
            let mut cut = budget;
            while !s.is_char_boundary(cut) {
                cut -= 1;
            }
            s = &s[..cut];
        }
        budget -= s.len();
        sources.push(s);
    }

    let mut out: Vec<Term> = Vec::new();
    let push = |term: &str, uses: usize, out: &mut Vec<Term>| {
        if !term.is_empty() && !out.iter().any(|t| t.term == term) {
            out.push(Term {
                term: term.to_string(),
                uses,
            });
        }
    };
    if let Some(a) = &o.author {
        for name in author_names(&text[a.text.clone()]) {
            if name.chars().all(text::is_han) {
                push(&name, 1, &mut out);
            }
        }
    }
    for s in &sources {
        let mut rest = *s;
        while let Some(open) = rest.find('《') {
            let after = &rest[open + '《'.len_utf8()..];
            let Some(close) = after.find('》') else {
                break;
            };
            let inner = &after[..close];
            if text::has_han(inner) && text::char_count(inner) <= 20 {
                let uses = sources.iter().map(|s| s.matches(inner).count()).sum();
                push(inner, uses, &mut out);
            }
            rest = &after[close..];
        }
    }

    // Every Han n-gram, n = 2 ..= TERM_MAX_CHARS + 1, counted with its first occurrence.
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    let mut order = 0usize;
    for s in &sources {
        for run in text::han_runs_iter(s) {
            let run = &s[run];
            let starts: Vec<usize> = run.char_indices().map(|(i, _)| i).collect();
            let len = starts.len();
            for i in 0..len {
                for n in 2..=TERM_MAX_CHARS + 1 {
                    if i + n > len {
                        break;
                    }
                    let end = starts.get(i + n).copied().unwrap_or(run.len());
                    let e = counts.entry(&run[starts[i]..end]).or_insert((0, order));
                    e.0 += 1;
                    order += 1;
                }
            }
        }
    }
    // A string held by a one-character-longer one as often is part of a longer term.
    let mut absorbed: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for (&gram, &(count, _)) in &counts {
        if count < 2 {
            continue;
        }
        let first = gram.chars().next().map_or(0, char::len_utf8);
        let last = gram.chars().next_back().map_or(0, char::len_utf8);
        for part in [&gram[first..], &gram[..gram.len() - last]] {
            if counts.get(part).is_some_and(|&(c, _)| c == count) {
                absorbed.insert(part);
            }
        }
    }
    let mut frequent: Vec<(&str, usize, usize)> = counts
        .iter()
        .filter(|(g, (c, _))| {
            *c >= 2
                && text::char_count(g) <= TERM_MAX_CHARS
                && !absorbed.contains(*g)
                && !g.starts_with(|c| NOT_AT_EDGE.contains(c))
                && !g.ends_with(|c| NOT_AT_EDGE.contains(c))
                && !g.contains(['的', '了'])
                && !g.starts_with(|c| NOT_AT_START.contains(c))
                && !g.ends_with(|c| NOT_AT_END.contains(c))
                && !COMMON_WORDS.contains(g)
                && !g
                    .chars()
                    .all(|c| "〇零一二三四五六七八九十百千万亿两".contains(c))
        })
        .map(|(g, &(c, first))| (*g, c, first))
        .collect();
    frequent.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    for (g, c, _) in frequent {
        push(g, c, &mut out);
    }
    out
}

/// Words before a name that say who the person is, not who: left out of the names.
const ROLE_PREFIXES: &[&str] = &[
    "本报特约记者",
    "本报记者",
    "本报通讯员",
    "本报评论员",
    "新华社特约记者",
    "新华社记者",
    "新华社通讯员",
    "特约记者",
    "特派记者",
    "通讯员",
    "评论员",
    "记者",
    "本报",
];

/// Words after a name that say what the person did: left out. One-character ones only when
/// a name of two characters or more is left.
const ROLE_SUFFIXES: &[&str] = &[
    "特约记者",
    "通讯员",
    "记者",
    "院士",
    "同志",
    "先生",
    "教授",
    "整理",
    "报导",
    "报道",
    "供稿",
    "辑",
    "摄",
    "作",
    "译",
    "画",
    "绘",
    "记",
    "文",
    "图",
    "讲",
    "述",
    "书",
    "撰",
];

/// Two-character surnames, kept whole (`欧阳修` is Ouyang Xiu).
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "尉迟", "公孙", "长孙", "宇文",
    "司徒", "司空", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "澹台", "公冶", "宗政", "濮阳",
    "淳于", "单于", "太叔", "申屠", "钟离", "锺离", "闻人", "赫连", "万俟", "呼延", "拓跋", "百里",
    "东郭", "左丘", "第五", "仲孙", "叔孙", "乐正", "公羊", "谷梁", "梁丘", "段干", "巫马",
];

/// Surnames whose reading as a surname is not the character's first reading.
const SURNAME_READINGS: &[(&str, &str)] = &[
    ("曾", "zeng"),
    ("单", "shan"),
    ("解", "xie"),
    ("仇", "qiu"),
    ("区", "ou"),
    ("朴", "piao"),
    ("查", "zha"),
    ("乐", "yue"),
    ("翟", "zhai"),
    ("盖", "ge"),
    ("缪", "miao"),
    ("种", "chong"),
    ("秘", "bi"),
    ("尉迟", "yuchi"),
    ("万俟", "moqi"),
    ("长孙", "zhangsun"),
    ("单于", "chanyu"),
];

/// The names on the original's author line, role words left out: people are separated by
/// blanks (also U+3000), `、`, `，` or `,`.
pub fn author_names(line: &str) -> Vec<String> {
    line.split(|c: char| c.is_whitespace() || matches!(c, '、' | '，' | ',' | '；' | ';'))
        .filter_map(|token| {
            let mut name = strip_parenthesised(token);
            loop {
                let before = name.clone();
                if let Some(p) = ROLE_PREFIXES.iter().find(|p| name.starts_with(**p)) {
                    name = name[p.len()..].to_string();
                }
                for s in ROLE_SUFFIXES {
                    if let Some(rest) = name.strip_suffix(s) {
                        let short = text::char_count(s) == 1;
                        if !short || text::char_count(rest) >= 2 {
                            name = rest.to_string();
                            break;
                        }
                    }
                }
                if name == before {
                    break;
                }
            }
            let name = name.trim_matches(|c: char| !c.is_alphanumeric() && c != '·');
            (!name.is_empty()).then(|| name.to_string())
        })
        .collect()
}

/// `token` without anything in (half- or full-width) parentheses.
fn strip_parenthesised(token: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in token.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The original's author line romanised as the real headers write it: for each person the
/// surname, a space, the given name's syllables joined (`张云川` → `Zhang Yunchuan`), an
/// apostrophe before a joined syllable starting with a, e or o (`刘东鳌` → `Liu Dong'ao`),
/// two-character surnames whole (`欧阳`); `, ` between people; role words such as 记者 or
/// 辑 left out. Toneless Pinyin, each character's first reading (a surname's own reading
/// for the few surnames read otherwise, such as 曾 Zeng): the reviewer accepts or edits it.
/// A name joined by `·` (a foreign name) is romanised part by part. Empty when no name.
pub fn romanise_authors(line: &str) -> String {
    author_names(line)
        .iter()
        .map(|n| romanise_name(n))
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// One person's name.
pub fn romanise_name(name: &str) -> String {
    if name.contains(['·', '•', '・']) {
        return name
            .split(['·', '•', '・'])
            .map(|part| capitalise(&join_syllables(part)))
            .collect::<Vec<_>>()
            .join("·");
    }
    if !name.chars().any(text::is_han) {
        return name.to_string();
    }
    let surname_len = COMPOUND_SURNAMES
        .iter()
        .find(|s| name.starts_with(**s) && name.len() > s.len())
        .map_or_else(
            || name.chars().next().map_or(0, char::len_utf8),
            |s| s.len(),
        );
    let (surname, given) = name.split_at(surname_len);
    let surname = SURNAME_READINGS
        .iter()
        .find(|(s, _)| *s == surname)
        .map_or_else(|| join_syllables(surname), |(_, r)| r.to_string());
    let given = join_syllables(given);
    match (surname.is_empty(), given.is_empty()) {
        (_, true) => capitalise(&surname),
        (true, false) => capitalise(&given),
        _ => format!("{} {}", capitalise(&surname), capitalise(&given)),
    }
}

/// The toneless syllables of `s` joined into one word, with an apostrophe before a syllable
/// that starts with a vowel a, e or o (not the first). Characters without a reading are kept.
fn join_syllables(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c.to_pinyin() {
            Some(p) => {
                let syllable = p.plain();
                if !out.is_empty() && syllable.starts_with(['a', 'e', 'o']) {
                    out.push('\'');
                }
                out.push_str(syllable);
            }
            None => out.push(c),
        }
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn romanisation_as_the_real_headers_write_it() {
        assert_eq!(romanise_authors("张云川"), "Zhang Yunchuan");
        assert_eq!(
            romanise_authors("侯波  刘东鳌  齐观山  钱嗣杰"),
            "Hou Bo, Liu Dong'ao, Qi Guanshan, Qian Sijie"
        );
        assert_eq!(
            romanise_authors("方成\u{3000}锺灵"),
            "Fang Cheng, Zhong Ling"
        );
        assert_eq!(
            romanise_authors("张明治 关更生"),
            "Zhang Mingzhi, Guan Gengsheng"
        );
        assert_eq!(romanise_authors("何明辑"), "He Ming");
        assert_eq!(romanise_authors("欧阳修"), "Ouyang Xiu");
        assert_eq!(romanise_authors("本报记者 李明"), "Li Ming");
        assert_eq!(romanise_authors("新华社记者王大海"), "Wang Dahai");
        assert_eq!(romanise_authors("记者"), "");
        assert_eq!(romanise_authors(""), "");
        assert_eq!(romanise_authors("华罗庚"), "Hua Luogeng");
        assert_eq!(romanise_authors("曾昭抡"), "Zeng Zhaolun");
        assert_eq!(romanise_authors("寒风"), "Han Feng");
        assert_eq!(romanise_authors("伊·彼得罗夫斯基院士"), "Yi·Bideluofusiji");
        assert_eq!(romanise_authors("吕骥"), "Lü Ji");
        assert_eq!(romanise_authors("张三（摄）"), "Zhang San");
    }

    /// On the real files: every author line that the header romanises, the romanisation
    /// agrees with the header except where the header is a pen name, a foreign name or a
    /// misspelling (those are listed).
    #[test]
    fn romanisation_agrees_with_the_corpus_headers() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            eprintln!(
                "\n*** SKIPPED: the corpus is not at {} ***\n",
                dir.display()
            );
            return;
        };
        let known_differences = ["紫光", "寒风", "伊·彼得罗夫斯基院士", "徐特立"];
        let mut compared = 0;
        for e in entries {
            let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
            let doc = parse(&text);
            let (Some(h), Some(a)) = (doc.header.get(FieldKey::Author), &doc.original.author)
            else {
                continue;
            };
            let (header, cn) = (&text[h.value.clone()], &text[a.text.clone()]);
            if header.is_empty() || cn.is_empty() || known_differences.contains(&cn) {
                continue;
            }
            assert_eq!(romanise_authors(cn), header, "{cn}");
            compared += 1;
        }
        assert!(compared >= 15, "only {compared} authors compared");
    }

    fn view_items(text: &str, offset: usize) -> Vec<Item> {
        let doc = parse(text);
        let alignment = crate::align::align(text, &doc);
        completions(
            View {
                text,
                doc: &doc,
                alignment: &alignment,
            },
            offset,
        )
    }

    const DOC: &str = "Title: T\nAuthor: \nDate: \nPage: \n\n    Text 3 here.\n\n<hr /> \n\nOriginal: \n\n\n### 标题\n侯波  刘东鳌\n1952-08-03\n第2版()\n专栏：\n\n    甲乙丙丁。甲乙丙丁。\n";

    #[test]
    fn header_values_come_from_the_original() {
        let at = |needle: &str| DOC.find(needle).unwrap() + needle.len();
        let date = view_items(DOC, at("Date: "));
        assert_eq!(date.len(), 1);
        assert_eq!(date[0].new_text, "1952-08-03");
        assert_eq!(date[0].replace, at("Date: ")..at("Date: "));
        let page = view_items(DOC, at("Page: "));
        assert_eq!(page[0].new_text, "2");
        let author = view_items(DOC, at("Author: "));
        assert_eq!(author[0].new_text, "Hou Bo, Liu Dong'ao");
        // Right after the colon, the item brings its space (and replaces the one there).
        let colon = view_items(DOC, at("Date:"));
        assert_eq!(colon[0].new_text, " 1952-08-03");
        assert_eq!(colon[0].replace, at("Date:")..at("Date: "));
        // No completion inside paragraphs.
        assert!(view_items(DOC, at("Text 3")).is_empty());
        assert!(view_items(DOC, at("甲乙")).is_empty());
    }

    #[test]
    fn missing_keys_in_order_with_the_files_style() {
        let text = "Title: T\n\nDate: 1967-06-01\n\n    x\n\n<hr /> \n\nOriginal: \n\n\n### 标题\n\n1967-06-01\n第3版()\n专栏：\n\n    甲\n";
        let offset = text.find("\n\nDate").unwrap() + 1;
        let items = view_items(text, offset);
        let labels: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(labels, ["Author: ", "Edition: "]);
        // Right after the last field as well; nothing on a paragraph line.
        let after = text.find("1967-06-01\n").unwrap() + 11;
        assert_eq!(view_items(text, after).len(), 2);
        assert!(view_items(text, text.find("    x").unwrap()).is_empty());
        // Before a BOM nothing; after it, as at the top of any empty document.
        assert!(view_items("\u{feff}\n", 0).is_empty());
        assert_eq!(view_items("\u{feff}\n", 3).len(), 4);
        // An empty document: every key.
        let all: Vec<String> = view_items("", 0).into_iter().map(|i| i.label).collect();
        assert_eq!(all, ["Title: ", "Author: ", "Date: ", "Page: "]);
    }

    #[test]
    fn original_values_come_from_the_header() {
        let text = "Title: T\nAuthor:\nDate: 1952-08-03\nPage: 2\n\n    x\n\n<hr /> \n\nOriginal: \n\n\n### 标题\n\n\n第版()\n专栏：\n\n    甲\n";
        let page_at = text.find("第版").unwrap() + '第'.len_utf8();
        let items = view_items(text, page_at);
        assert_eq!(items[0].new_text, "2");
        assert_eq!(items[0].replace, page_at..page_at);
        let date_line = text.find("\n\n第版").unwrap() + 1;
        let items = view_items(text, date_line);
        assert_eq!(items[0].new_text, "1952-08-03");
    }

    #[test]
    fn glossary_offers_unlisted_terms() {
        let text = "Title: T\n\n    x\n\n**Named Entities**\n\n美国\tUnited States\n\n\n<hr /> \n\nOriginal: \n\n\n### 美国和约翰逊\n\n1966-06-01\n第1版()\n专栏：\n\n    约翰逊说美国。约翰逊又说美联社。美联社说。\n";
        let offset = text.find("United States\n").unwrap() + "United States\n".len();
        let terms: Vec<String> = view_items(text, offset)
            .into_iter()
            .map(|i| i.label)
            .collect();
        assert!(terms.contains(&"约翰逊".to_string()), "{terms:?}");
        assert!(terms.contains(&"美联社".to_string()), "{terms:?}");
        assert!(!terms.contains(&"美国".to_string()), "{terms:?}");
        assert!(
            !terms.iter().any(|t| t == "约翰" || t == "翰逊"),
            "{terms:?}"
        );
        // In the translation column of an entry: nothing.
        let trans = text.find("United").unwrap() + 3;
        assert!(view_items(text, trans).is_empty());
    }
}
