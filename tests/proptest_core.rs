//! Property tests of the core (issue 6, item 4): the parser and the checks never panic on
//! arbitrary or near-archive text; every range they produce lies inside the text, on
//! character boundaries; the diagnostic cap holds; line splitting follows LSP's rules; and
//! the server's buffer (a `ropey::Rope`, built as in Cargo.toml: `cr_lines`, no
//! `unicode_lines`) stays equal to a plain `String` under any sequence of edits, with the
//! same lines as `syntax::lines::split_lines`.

use archive_lsp::check::{check, Code, Diagnostic, MAX_DIAGNOSTICS};
use archive_lsp::syntax::lines::{bom_len, line_col, split_lines};
use archive_lsp::syntax::{parse, Document, Span};
use archive_lsp::text::{han_runs, han_runs_iter, is_han};
use proptest::prelude::*;
use ropey::Rope;

// ---------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------

/// Pieces that matter to the parser and the checks: every kind of line break and
/// non-break, BOM, blanks, Han (BMP, 〇, astral), the format's markers and shapes.
const ATOMS: &[&str] = &[
    "\n",
    "\r",
    "\r\n",
    "\n\r",
    "\u{2028}",
    "\u{2029}",
    "\u{85}",
    "\u{c}",
    "\u{b}",
    "\u{feff}",
    "\u{3000}",
    "\u{3000}\u{3000}",
    "\t",
    " ",
    "    ",
    "中",
    "文",
    "𠮷",
    "〇",
    "□",
    "＠",
    "第",
    "版",
    "(",
    ")",
    "（",
    "）",
    "：",
    ":",
    "#",
    "### ",
    "<hr />",
    "<hr /> ",
    "Original:",
    "Original: ",
    "Title:",
    "Title: ",
    "Author:",
    "Date: ",
    "Page: ",
    "Edition: ",
    "Column: ",
    "Titel: ",
    "专栏：",
    "专栏:",
    "**Named Entities**",
    "<h3>",
    "1952-08-03",
    "2",
    "0",
    "２",
    "-",
    ".",
    "。",
    "a",
    "Word",
    "\u{0}",
    "é",
    "\u{301}",
];

fn atom() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(ATOMS).prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
    ]
}

/// Arbitrary text: free Unicode, or a soup of the atoms above.
fn arbitrary_text() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => any::<String>(),
        3 => prop::collection::vec(atom(), 0..80).prop_map(|v| v.concat()),
    ]
}

/// Short free text for values and paragraphs, with Han, astral and odd blanks.
fn words() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(&[
                "Economic", "life", "brief", "commentary", "the", "1952", "No. 9", ",", ".",
                "?", ":", " ", "  ", "\t", "\u{3000}", "中", "及时总结", "𠮷家庄", "〇",
                "□", "＠", "Han Feng (寒风)", "\"容\" [rong]", "**bold**", "第2版()", "专栏：",
            ][..])
            .prop_map(str::to_owned),
            1 => atom(),
        ],
        0..8,
    )
    .prop_map(|v| v.concat())
}

fn indent() -> impl Strategy<Value = &'static str> {
    prop::sample::select(
        &[
            "",
            "",
            "    ",
            "\u{3000}\u{3000}",
            "\u{3000}",
            "\t",
            "  ",
            "   ",
            " \u{3000}",
        ][..],
    )
}

fn date_like() -> impl Strategy<Value = String> {
    prop_oneof![
        (1900u32..2100, 0u32..14, 0u32..33).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        Just("1953-02-29".to_owned()),
        Just("2000-02-29".to_owned()),
        Just("1952-8-3".to_owned()),
        Just("１９５２－０８－０３".to_owned()),
        "[0-9./-]{1,12}",
    ]
}

fn page_like() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u64..30, words()).prop_map(|(n, w)| format!("第{n}版({w})")),
        Just("第２版（）".to_owned()),
        Just("第0版()".to_owned()),
        Just("第二版()".to_owned()),
        Just("第2版".to_owned()),
        Just("第99999999999999999999999版()".to_owned()),
        words().prop_map(|w| format!("第{w}版{w}")),
    ]
}

/// One line of a near-archive document (without its line break).
fn line() -> impl Strategy<Value = String> {
    let key = prop::sample::select(
        &[
            "Title", "Author", "Date", "Page", "Edition", "Column", "Titel", "Source", "title",
        ][..],
    );
    prop_oneof![
        3 => (key, prop::sample::select(&[":", ": ", ":  ", ":\t"][..]), words())
            .prop_map(|(k, c, v)| format!("{k}{c}{v}")),
        1 => date_like().prop_map(|d| format!("Date: {d}")),
        1 => (0u64..30).prop_map(|n| format!("Page: {n}")),
        2 => prop::sample::select(&["<hr /> ", "<hr />", "  <hr />  ", "<hr/>"][..])
            .prop_map(str::to_owned),
        2 => prop::sample::select(&["Original: ", "Original:", "Original:\u{3000}"][..])
            .prop_map(str::to_owned),
        2 => (prop::sample::select(&["### ", "###", "#### ", "### \u{3000}"][..]), words())
            .prop_map(|(h, w)| format!("{h}{w}")),
        2 => (indent(), date_like()).prop_map(|(i, d)| format!("{i}{d}")),
        2 => (indent(), page_like()).prop_map(|(i, p)| format!("{i}{p}")),
        1 => (prop::sample::select(&["专栏：", "专栏:", "专栏"][..]), words())
            .prop_map(|(c, w)| format!("{c}{w}")),
        1 => Just("**Named Entities**".to_owned()),
        1 => (words(), prop::sample::select(&["\t", "  ", " "][..]), words())
            .prop_map(|(a, s, b)| format!("{a}{s}{b}")),
        1 => words().prop_map(|w| format!("<h3>{w}</h3>")),
        6 => (indent(), words()).prop_map(|(i, w)| format!("{i}{w}")),
        4 => prop::sample::select(&["", "", " ", "\t", "\u{3000}", "\u{2028}", "\u{c}"][..])
            .prop_map(str::to_owned),
    ]
}

fn line_break() -> impl Strategy<Value = &'static str> {
    prop::sample::select(&["\n", "\n", "\n", "\r\n", "\r\n", "\r"][..])
}

/// Joins lines with random breaks; the last line may lack one; a BOM may lead.
fn join(bom: bool, lines: Vec<(String, &'static str)>, final_break: bool) -> String {
    let mut out = String::new();
    if bom {
        out.push('\u{feff}');
    }
    let n = lines.len();
    for (i, (l, br)) in lines.into_iter().enumerate() {
        out.push_str(&l);
        if i + 1 < n || final_break {
            out.push_str(br);
        }
    }
    out
}

/// A near-archive document: random lines, or a skeleton (header, English body, separator,
/// marker, original header and body) whose every part is optional and perturbed.
fn near_archive() -> impl Strategy<Value = String> {
    let random_lines = (
        any::<bool>(),
        prop::collection::vec((line(), line_break()), 0..40),
        any::<bool>(),
    )
        .prop_map(|(bom, lines, fb)| join(bom, lines, fb));
    let part = |n: usize| prop::collection::vec(line(), 0..n);
    let skeleton = (
        (any::<bool>(), part(7), part(10), part(4)),
        (part(4), part(7), part(10)),
        prop::collection::vec(line_break(), 64),
        any::<bool>(),
    )
        .prop_map(
            |((bom, header, english, gap), (gap2, original_header, original), breaks, fb)| {
                let mut lines: Vec<String> = Vec::new();
                lines.extend(header);
                lines.push(String::new());
                lines.extend(english);
                lines.extend(gap);
                lines.push("<hr /> ".into());
                lines.push(String::new());
                lines.push("Original: ".into());
                lines.extend(gap2);
                lines.extend(original_header);
                lines.extend(original);
                let with_breaks = lines
                    .into_iter()
                    .enumerate()
                    .map(|(i, l)| (l, breaks[i % breaks.len()]))
                    .collect();
                join(bom, with_breaks, fb)
            },
        );
    // Close to a valid file (often exactly one): real dates and pages that may disagree,
    // canonical or odd indents, English and Chinese paragraphs that may be swapped.
    let real_date = prop_oneof![
        3 => (1946u32..1990, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        1 => date_like(),
    ];
    let english = prop::sample::select(
        &[
            "Since the launch of the campaign, work has gone well.",
            "Economic Life",
            "He said: \"容\" [rong].",
            "中文",
        ][..],
    );
    let chinese = prop::sample::select(
        &[
            "自从运动开展以来，工作进展顺利。",
            "经济生活",
            "𠮷家庄修成新水渠",
            "English",
        ][..],
    );
    let canonical = prop::sample::select(&["    ", "    ", "\u{3000}\u{3000}", "", "\t"][..]);
    let valid_ish = (
        (
            any::<bool>(),
            real_date.clone(),
            real_date,
            1u64..4,
            1u64..4,
        ),
        prop::collection::vec((canonical.clone(), english), 0..6),
        prop::collection::vec((canonical, chinese), 0..6),
        (
            prop::sample::select(&["", "Han Feng"][..]),
            prop::sample::select(&["", "寒风"][..]),
        ),
        prop::sample::select(&["", "经济生活", "通讯往来"][..]),
        prop::collection::vec(line_break(), 1..4),
    )
        .prop_map(
            |(
                (bom, en_date, cn_date, en_page, cn_page),
                en,
                cn,
                (en_author, cn_author),
                column,
                breaks,
            )| {
                let cn_date = if en_page == 1 {
                    cn_date
                } else {
                    en_date.clone()
                };
                let mut lines = vec![
                    "Title: Correspondence".to_owned(),
                    format!("Author: {en_author}").trim_end().to_owned(),
                    format!("Date: {en_date}"),
                    format!("Page: {en_page}"),
                    String::new(),
                ];
                lines.extend(en.iter().map(|(i, w)| format!("{i}{w}")));
                lines.extend(["", "", "<hr /> ", "", "Original: ", "", ""].map(str::to_owned));
                lines.push("### 通讯往来".to_owned());
                lines.push(cn_author.to_owned());
                lines.push(cn_date);
                lines.push(format!("第{cn_page}版()"));
                lines.push(format!("专栏：{column}"));
                lines.push(String::new());
                lines.extend(cn.iter().map(|(i, w)| format!("{i}{w}")));
                let with_breaks = lines
                    .into_iter()
                    .enumerate()
                    .map(|(i, l)| (l, breaks[i % breaks.len()]))
                    .collect();
                join(bom, with_breaks, true)
            },
        );
    prop_oneof![2 => random_lines, 2 => skeleton, 1 => valid_ish]
}

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

fn assert_span(text: &str, span: &Span, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: span {span:?} outside the text (len {})",
        text.len()
    );
    prop_assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {span:?} not on character boundaries"
    );
    Ok(())
}

/// A span that must lie inside the content of line `line` (no line break included).
fn assert_in_line(
    text: &str,
    doc: &Document,
    line: usize,
    span: &Span,
    what: &str,
) -> Result<(), TestCaseError> {
    assert_span(text, span, what)?;
    prop_assert!(line < doc.lines.len(), "{what}: line {line} past the last");
    let l = doc.lines[line];
    prop_assert!(
        l.start <= span.start && span.end <= l.end,
        "{what}: span {span:?} outside line {line} ({:?})",
        l.range()
    );
    Ok(())
}

fn assert_line(doc: &Document, line: usize, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        line < doc.lines.len(),
        "{what}: line {line} of {}",
        doc.lines.len()
    );
    Ok(())
}

/// Every range and line number of the model is valid for `text`.
fn assert_model(text: &str, doc: &Document) -> Result<(), TestCaseError> {
    // Lines tile the text after a BOM, in order.
    let mut at = bom_len(text);
    for (i, l) in doc.lines.iter().enumerate() {
        prop_assert_eq!(
            l.start,
            at,
            "line {} does not start where the last ended",
            i
        );
        prop_assert!(l.start <= l.end && l.end <= l.next && l.next <= text.len());
        assert_span(text, &l.range(), "line")?;
        prop_assert!(text.is_char_boundary(l.next));
        at = l.next;
    }
    prop_assert_eq!(
        at.max(bom_len(text)),
        text.len(),
        "lines do not cover the text"
    );

    for f in &doc.header.fields {
        assert_in_line(text, doc, f.line, &f.key_span, "header key")?;
        assert_in_line(text, doc, f.line, &f.value, "header value")?;
        assert_in_line(text, doc, f.line, &f.span, "header line")?;
    }
    for &(a, b) in &doc.header.blank_runs {
        prop_assert!(a <= b);
        assert_line(doc, b, "header blank run")?;
    }
    let t = &doc.translation;
    if let Some(c) = &t.column_line {
        assert_in_line(text, doc, c.line, &c.text, "column line")?;
    }
    for p in t.paragraphs.iter().chain(&doc.original.paragraphs) {
        assert_in_line(text, doc, p.line, &p.indent, "paragraph indent")?;
        assert_in_line(text, doc, p.line, &p.text, "paragraph text")?;
        prop_assert!(p.indent.end <= p.text.start, "indent after text");
        prop_assert!(!p.text.is_empty(), "empty paragraph on line {}", p.line);
    }
    if let Some(g) = &t.glossary {
        assert_in_line(
            text,
            doc,
            g.heading.line,
            &g.heading.text,
            "glossary heading",
        )?;
        for e in &g.entries {
            assert_in_line(text, doc, e.line, &e.term, "glossary term")?;
            assert_in_line(text, doc, e.line, &e.translation, "glossary translation")?;
        }
    }
    if let Some(d) = t.debris {
        assert_line(doc, d, "debris")?;
    }
    let o = &doc.original;
    if let Some(x) = &o.title {
        assert_in_line(text, doc, x.line, &x.text, "original title")?;
    }
    if let Some(x) = &o.author {
        assert_in_line(text, doc, x.line, &x.text, "original author")?;
    }
    if let Some(x) = &o.date {
        assert_in_line(text, doc, x.line, &x.text, "original date")?;
    }
    if let Some(x) = &o.page {
        assert_in_line(text, doc, x.line, &x.text, "original page")?;
        if let Some(n) = &x.number {
            assert_in_line(text, doc, x.line, n, "original page number")?;
        }
    }
    if let Some(x) = &o.column {
        assert_in_line(text, doc, x.line, &x.text, "original column")?;
        assert_in_line(text, doc, x.line, &x.value, "original column value")?;
    }
    for s in &doc.strays {
        prop_assert!(s.first <= s.last);
        assert_line(doc, s.last, "stray")?;
    }
    for l in [
        doc.separator,
        doc.marker,
        doc.english_last_line,
        doc.original_header_last_line,
    ]
    .into_iter()
    .flatten()
    {
        assert_line(doc, l, "part line")?;
    }
    Ok(())
}

/// Every diagnostic (and related) range is valid; the cap holds and is announced.
fn assert_diagnostics(text: &str, doc: &Document, ds: &[Diagnostic]) -> Result<(), TestCaseError> {
    prop_assert!(
        ds.len() <= MAX_DIAGNOSTICS + 1,
        "{} diagnostics, more than the cap",
        ds.len()
    );
    for (i, d) in ds.iter().enumerate() {
        assert_span(text, &d.span, d.code.name())?;
        for r in &d.related {
            assert_span(text, &r.span, "related")?;
        }
        prop_assert!(!d.message.is_empty(), "{} without a message", d.code.name());
        let last = i + 1 == ds.len();
        prop_assert!(
            d.code != Code::TooManyDiagnostics || (last && ds.len() == MAX_DIAGNOSTICS + 1),
            "too-many-diagnostics not last or not at the cap"
        );
        prop_assert!(d.code != Code::InvalidEncoding, "invalid-encoding on a str");
        // Every diagnostic maps to a line/column (what both outputs do).
        let (line, _) = line_col(text, &doc.lines, d.span.start);
        prop_assert!(doc.lines.is_empty() || line < doc.lines.len());
    }
    if ds.len() == MAX_DIAGNOSTICS + 1 {
        prop_assert_eq!(ds[MAX_DIAGNOSTICS].code, Code::TooManyDiagnostics);
    }
    let kept = &ds[..ds.len().min(MAX_DIAGNOSTICS)];
    prop_assert!(
        kept.windows(2).all(|w| w[0].span.start <= w[1].span.start),
        "diagnostics not sorted by position"
    );
    Ok(())
}

fn parse_and_check(text: &str) -> Result<(), TestCaseError> {
    let doc = parse(text);
    assert_model(text, &doc)?;
    let ds = check(text, &doc);
    assert_diagnostics(text, &doc, &ds)?;
    // Deterministic: the same text gives the same answer.
    prop_assert_eq!(&parse(text), &doc);
    Ok(())
}

/// LSP's line rule, written the slow and obvious way: a line ends at `\r\n`, `\n` or `\r`.
/// Returns (content start, content end, next) per line, like `split_lines`.
fn reference_lines(text: &str) -> Vec<(usize, usize, usize)> {
    let start0 = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut out = Vec::new();
    let mut start = start0;
    let mut chars = text[start0..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let i = i + start0;
        match c {
            '\r' if chars.peek().map(|&(_, c)| c) == Some('\n') => {
                chars.next();
                out.push((start, i, i + 2));
                start = i + 2;
            }
            '\r' | '\n' => {
                out.push((start, i, i + 1));
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < text.len() {
        out.push((start, text.len(), text.len()));
    }
    out
}

/// The line starts (byte offsets) that ropey reports, and whether it agrees with
/// `split_lines` (ropey also counts the empty line after a final break, and line 0 of a
/// file with a BOM starts at 0 for ropey, after the BOM for the checker).
fn assert_rope_lines(rope: &Rope, text: &str) -> Result<(), TestCaseError> {
    let lines = split_lines(text);
    let ends_in_break = text.ends_with(['\n', '\r']);
    let trailing_empty = text.is_empty() || ends_in_break || text == "\u{feff}";
    prop_assert_eq!(
        rope.len_lines(),
        lines.len() + usize::from(trailing_empty),
        "rope line count for {:?}",
        text
    );
    for (i, l) in lines.iter().enumerate() {
        let rope_start = rope.line_to_byte(i);
        let expected = if i == 0 { 0 } else { l.start };
        prop_assert_eq!(rope_start, expected, "line {} start in {:?}", i, text);
        // The line's text as ropey gives it is the content plus its break.
        let mut rope_line = rope.line(i).to_string();
        if i == 0 {
            rope_line = rope_line
                .strip_prefix('\u{feff}')
                .map_or(rope_line.clone(), str::to_owned);
        }
        prop_assert_eq!(rope_line.as_str(), &text[l.start..l.next]);
    }
    if trailing_empty {
        let last = rope.line(rope.len_lines() - 1).to_string();
        prop_assert!(
            last.is_empty() || last == "\u{feff}",
            "last rope line {:?}",
            last
        );
    }
    Ok(())
}

/// An edit in character offsets, as the server applies it after converting a position.
#[derive(Debug, Clone)]
struct Edit {
    /// Fractions of the current length, so that every edit lands inside the text.
    at: f64,
    len: f64,
    insert: String,
}

fn edit() -> impl Strategy<Value = Edit> {
    let insert = prop_oneof![
        3 => prop::collection::vec(atom(), 0..6).prop_map(|v| v.concat()),
        1 => line().prop_map(|l| l + "\n"),
        1 => Just(String::new()),
        1 => Just("\r".to_owned()),
        1 => Just("\n".to_owned()),
        // Large inserts make ropey split and rebalance its chunks, CRLF pairs included.
        1 => (1usize..400, prop::sample::select(&["a\r", "\r\n", "中\r\n", "𠮷\n", "x"][..]))
            .prop_map(|(n, s)| s.repeat(n)),
    ];
    (
        0.0..=1.0f64,
        prop_oneof![2 => Just(0.0), 3 => 0.0..0.2f64, 1 => 0.0..=1.0f64],
        insert,
    )
        .prop_map(|(at, len, insert)| Edit { at, len, insert })
}

fn char_to_byte(s: &str, c: usize) -> usize {
    s.char_indices().nth(c).map_or(s.len(), |(b, _)| b)
}

/// Applies `e` to both buffers; returns the char range replaced.
fn apply(rope: &mut Rope, s: &mut String, e: &Edit) -> (usize, usize) {
    let n = rope.len_chars();
    let start = ((n as f64) * e.at).floor() as usize;
    let start = start.min(n);
    let end = (start + ((n as f64) * e.len).floor() as usize).min(n);
    rope.remove(start..end);
    rope.insert(start, &e.insert);
    let (bs, be) = (char_to_byte(s, start), char_to_byte(s, end));
    s.replace_range(bs..be, &e.insert);
    (start, end)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn split_lines_matches_reference(text in arbitrary_text()) {
        let got: Vec<_> = split_lines(&text).iter().map(|l| (l.start, l.end, l.next)).collect();
        prop_assert_eq!(got, reference_lines(&text));
    }

    /// Han runs (iterated, as the untranslated-text check reads them) are the maximal runs
    /// of Han characters.
    #[test]
    fn han_runs_are_maximal(text in arbitrary_text()) {
        let mut expected: Vec<std::ops::Range<usize>> = Vec::new();
        for (i, c) in text.char_indices() {
            if !is_han(c) {
                continue;
            }
            match expected.last_mut() {
                Some(r) if r.end == i => r.end = i + c.len_utf8(),
                _ => expected.push(i..i + c.len_utf8()),
            }
        }
        prop_assert_eq!(han_runs_iter(&text).collect::<Vec<_>>(), expected.clone());
        prop_assert_eq!(han_runs(&text), expected);
    }

    #[test]
    fn rope_lines_match_split_lines(text in prop_oneof![arbitrary_text(), near_archive()]) {
        let rope = Rope::from_str(&text);
        prop_assert_eq!(rope.to_string(), text.clone());
        assert_rope_lines(&rope, &text)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parse_and_check_arbitrary_text(text in arbitrary_text()) {
        parse_and_check(&text)?;
    }

    #[test]
    fn parse_and_check_near_archive(text in near_archive()) {
        parse_and_check(&text)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// The server's buffer model: any sequence of edits leaves the rope equal to the same
    /// edits on a `String`, with the same lines as the checker's splitter, and with UTF-16
    /// conversions (what VS Code speaks) that round-trip at every character.
    #[test]
    fn rope_edits_match_string(
        initial in prop_oneof![arbitrary_text(), near_archive()],
        edits in prop::collection::vec(edit(), 1..60),
    ) {
        let mut rope = Rope::from_str(&initial);
        let mut s = initial;
        for e in &edits {
            apply(&mut rope, &mut s, e);
            prop_assert_eq!(rope.len_bytes(), s.len());
            prop_assert_eq!(rope.len_chars(), s.chars().count());
        }
        prop_assert_eq!(rope.to_string(), s.clone());
        assert_rope_lines(&rope, &s)?;
        let utf16_total: usize = s.chars().map(char::len_utf16).sum();
        prop_assert_eq!(rope.len_utf16_cu(), utf16_total);
        let mut cu = 0;
        for (i, c) in s.chars().enumerate() {
            prop_assert_eq!(rope.char_to_utf16_cu(i), cu);
            prop_assert_eq!(rope.utf16_cu_to_char(cu), i);
            if c.len_utf16() == 2 {
                // Inside a surrogate pair: ropey rounds down to the character.
                prop_assert_eq!(rope.utf16_cu_to_char(cu + 1), i);
            }
            cu += c.len_utf16();
        }
        // And the edited text still parses and checks cleanly.
        parse_and_check(&s)?;
    }
}

/// A pathological document hits the cap: exactly `MAX_DIAGNOSTICS` kept, then one
/// `too-many-diagnostics` that says how many were hidden.
#[test]
fn cap_is_reached_and_announced() {
    let mut text = String::from("Title: x\nAuthor:\nDate: 1952-08-03\nPage: 2\n\n");
    for _ in 0..3000 {
        text.push_str("x \t\n");
    }
    let doc = parse(&text);
    let ds = check(&text, &doc);
    assert_eq!(ds.len(), MAX_DIAGNOSTICS + 1);
    let last = ds.last().unwrap();
    assert_eq!(last.code, Code::TooManyDiagnostics);
    assert!(
        last.message.contains(&MAX_DIAGNOSTICS.to_string()),
        "{}",
        last.message
    );
    for d in &ds {
        assert!(d.span.end <= text.len() && text.is_char_boundary(d.span.start));
    }
}

/// A line of 10⁵ `□` and a 10⁵-line document of astral characters: capped, in range.
#[test]
fn huge_lines_stay_in_range() {
    for text in [
        "□".repeat(100_000),
        "𠮷 \r".repeat(100_000),
        format!(
            "\u{feff}Title: \u{3000}\n{}",
            "\u{3000}𠮷\r\n".repeat(50_000)
        ),
    ] {
        let doc = parse(&text);
        let ds = check(&text, &doc);
        assert!(ds.len() <= MAX_DIAGNOSTICS + 1);
        for d in &ds {
            assert!(d.span.start <= d.span.end && d.span.end <= text.len());
            assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
        }
    }
}

/// Fixed cases the strategies may find only rarely.
#[test]
fn corner_cases() {
    for text in [
        "",
        "\u{feff}",
        "\u{feff}\n",
        "\r",
        "\r\n",
        "\n\r",
        "\u{feff}\r\n\r",
        "###",
        "### ",
        "### \n",
        "Original:",
        "<hr />\nOriginal:\n###",
        "<hr />\nOriginal:\n### 𠮷\n",
        "<hr />\nOriginal:\n### 𠮷\n第",
        "<hr />\nOriginal:\n### 𠮷\n 专栏：",
        "Title:",
        "Title:\u{3000}",
        "Titel: x\nTitle:",
        "Title: x\n\n\u{3000}\n**Named Entities**\n中\t",
        "Title: x\n**Named Entities**\n  \t  \n中  ",
        "第99999999999999999999999版()",
        "Page: 99999999999999999999999\n<hr />\nOriginal:\n### 中\n\n1952-08-03\n第99999999999999999999999版()",
    ] {
        let doc = parse(text);
        let ds = check(text, &doc);
        for d in &ds {
            assert!(
                d.span.start <= d.span.end
                    && d.span.end <= text.len()
                    && text.is_char_boundary(d.span.start)
                    && text.is_char_boundary(d.span.end),
                "{text:?}: {d:?}"
            );
        }
        let rope = Rope::from_str(text);
        let lines = split_lines(text);
        let trailing = text.is_empty() || text.ends_with(['\n', '\r']) || text == "\u{feff}";
        assert_eq!(
            rope.len_lines(),
            lines.len() + usize::from(trailing),
            "{text:?}"
        );
    }
}

/// Every token of `text` (split at Unicode white space, a leading BOM not content), sorted:
/// what formatting keeps.
fn sorted_tokens(text: &str) -> Vec<&str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut t: Vec<&str> = text.split_whitespace().collect();
    t.sort_unstable();
    t
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    /// Formatting (issue 11) never panics; when it formats, its edits apply, change no
    /// token and no BOM, and the result formats to nothing (idempotence).
    #[test]
    fn formatting_is_safe_and_idempotent(text in prop_oneof![1 => arbitrary_text(), 4 => near_archive()]) {
        use archive_lsp::fix::{apply, format::format};
        let Ok(edits) = format(&text) else { return Ok(()) };
        let out = apply(&text, &edits);
        prop_assert!(out.is_some(), "the edits apply");
        let out = out.unwrap();
        prop_assert_eq!(sorted_tokens(&text), sorted_tokens(&out));
        prop_assert_eq!(text.starts_with('\u{feff}'), out.starts_with('\u{feff}'));
        let again = format(&out);
        prop_assert_eq!(again, Ok(vec![]), "formatting {:?} gave {:?}", text, out);
    }
}
