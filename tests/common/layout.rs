//! What formatting must keep, judged independently of the formatter: the words.

use std::collections::BTreeMap;

/// The lines of `text` by LSP's rules (`\n`, `\r\n`, `\r`), a BOM dropped.
fn lines(text: &str) -> Vec<&str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(['\n', '\r']) {
        out.push(&rest[..i]);
        let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
        rest = &rest[i + skip..];
    }
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// The words of a document as formatting must keep them: the multiset of the tokens of
/// the header lines (the `Key:` lines from the first non-blank line on, blank lines
/// between them allowed), and the sequence of the non-blank tokens of all other lines.
pub fn words(text: &str) -> (BTreeMap<String, usize>, Vec<String>) {
    let lines = lines(text);
    let is_key_line = |l: &str| {
        let key = l.bytes().take_while(u8::is_ascii_alphabetic).count();
        key > 0 && l.as_bytes().get(key) == Some(&b':')
    };
    let first = lines.iter().position(|l| !l.trim().is_empty());
    let mut header = vec![false; lines.len()];
    if let Some(f) = first {
        for (i, l) in lines.iter().enumerate().skip(f) {
            if is_key_line(l) {
                header[i] = true;
            } else if !l.trim().is_empty() {
                break;
            }
        }
    }
    let mut head = BTreeMap::new();
    let mut rest = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        for w in l.split_whitespace() {
            if header[i] {
                *head.entry(w.to_owned()).or_insert(0) += 1;
            } else {
                rest.push(w.to_owned());
            }
        }
    }
    (head, rest)
}

/// The codes formatting removes every instance of.
pub const LAYOUT_CODES: [&str; 4] = [
    "indentation",
    "trailing-whitespace",
    "header-layout",
    "header-field-order",
];
