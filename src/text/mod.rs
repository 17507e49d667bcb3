//! Character classes and value readers shared by the parser and the checks.

pub mod numbers;
pub mod sentences;

use unicode_script::{Script, UnicodeScript};

/// `bytes` as text if they are UTF-8, validated with SIMD (the standard library's check
/// takes a third of a cached run over Chinese text).
pub fn utf8(bytes: &[u8]) -> Option<&str> {
    simdutf8::basic::from_utf8(bytes).ok()
}

/// `bytes` as a `String` if they are UTF-8 (validated as [`utf8`] does), else the standard
/// library's error, which says where the first bad byte is.
pub fn into_utf8(bytes: Vec<u8>) -> Result<String, std::string::FromUtf8Error> {
    if utf8(&bytes).is_some() {
        // SAFETY: `utf8` has just validated these very bytes.
        Ok(unsafe { String::from_utf8_unchecked(bytes) })
    } else {
        String::from_utf8(bytes)
    }
}

/// Whether `c` is of Unicode script Han (〇 and the astral extensions included).
#[inline]
pub fn is_han(c: char) -> bool {
    // Fast path for the CJK Unified Ideographs block, which holds nearly all of the text.
    if ('\u{4e00}'..='\u{9fff}').contains(&c) {
        return true;
    }
    (c as u32) >= 0x2e80 && c.script() == Script::Han
}

/// The byte ranges (relative to `s`) of the maximal runs of Han characters in `s`.
pub fn han_runs(s: &str) -> Vec<std::ops::Range<usize>> {
    han_runs_iter(s).collect()
}

/// [`han_runs`] one at a time, without holding them all: a line may be megabytes of Han.
pub fn han_runs_iter(s: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut chars = if s.is_ascii() { "" } else { s }.char_indices().peekable();
    std::iter::from_fn(move || {
        let start = chars.find(|&(_, c)| is_han(c))?.0;
        let mut end = s.len();
        while let Some(&(i, c)) = chars.peek() {
            if !is_han(c) {
                end = i;
                break;
            }
            chars.next();
        }
        Some(start..end)
    })
}

/// Whether `s` holds any Han character.
pub fn has_han(s: &str) -> bool {
    !s.is_ascii() && s.chars().any(is_han)
}

/// Whether `s` holds any letter of the Latin script (full-width Latin included).
pub fn has_latin(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_ascii_alphabetic() || (!c.is_ascii() && c.script() == Script::Latin))
}

/// Whether a line's content is blank (empty or whitespace only).
#[inline]
pub fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// The length in bytes of the leading whitespace of `s`.
pub fn indent_len(s: &str) -> usize {
    s.len() - s.trim_start().len()
}

/// The number of characters in `s`.
pub fn char_count(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// Maps full-width digits to ASCII and keeps ASCII digits; `None` for anything else.
fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// Reads a run of ASCII or full-width digits as a number (`None` if empty, not digits, or
/// too large).
pub fn parse_number(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    s.chars().try_fold(0u64, |acc, c| {
        acc.checked_mul(10)?.checked_add(u64::from(digit_value(c)?))
    })
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: u32,
    pub month: u32,
    pub day: u32,
}

impl std::fmt::Display for Date {
    /// `YYYY-MM-DD`, as the files write it.
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Reads `YYYY-MM-DD` (ASCII digits) as a real Gregorian date.
pub fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &s[r];
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (year >= 1 && (1..=days).contains(&day)).then_some(Date { year, month, day })
}

/// Whether a trimmed line has the shape of the original's date line: digits and
/// date punctuation only, with at least one digit.
pub fn is_date_shaped(s: &str) -> bool {
    let mut digit = false;
    for c in s.chars() {
        if digit_value(c).is_some() {
            digit = true;
        } else if !matches!(c, '-' | '－' | '.' | '/' | '．') {
            return false;
        }
    }
    digit
}

/// Whether a trimmed line has the shape of the original's page line (`第…版…`).
pub fn is_page_shaped(s: &str) -> bool {
    s.starts_with('第') && s.contains('版')
}

/// For a well-formed `第N版(…)` line, the byte range of N's digits; N must be positive.
pub fn page_line_number(s: &str) -> Option<std::ops::Range<usize>> {
    let rest = s.strip_prefix('第')?;
    let start = '第'.len_utf8();
    let digits_len: usize = rest
        .chars()
        .take_while(|c| digit_value(*c).is_some())
        .map(char::len_utf8)
        .sum();
    let digits = &rest[..digits_len];
    if parse_number(digits)? == 0 {
        return None;
    }
    let after = rest[digits_len..].strip_prefix('版')?;
    let inner = after
        .strip_prefix('(')
        .or_else(|| after.strip_prefix('（'))?;
    let close = inner
        .strip_suffix(')')
        .or_else(|| inner.strip_suffix('）'))?;
    if close.contains([')', '）', '(', '（']) {
        return None;
    }
    Some(start..start + digits_len)
}

/// For a `专栏：value` (or `专栏:value`) line, the byte offset where the value starts.
pub fn column_value_start(s: &str) -> Option<usize> {
    let rest = s.strip_prefix("专栏")?;
    let colon = if rest.starts_with('：') {
        '：'.len_utf8()
    } else if rest.starts_with(':') {
        1
    } else {
        return None;
    };
    Some("专栏".len() + colon)
}

/// Reads a header `Page:` value: a positive integer in ASCII digits.
pub fn parse_page(s: &str) -> Option<u64> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    parse_number(s).filter(|n| *n > 0)
}

/// The width of `s` in terminal columns (Han characters take two).
pub fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// The edit distance between two short strings, case-insensitive.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_includes_ling_and_astral() {
        assert!(is_han('〇') && is_han('𠮷') && is_han('中'));
        assert!(!is_han('。') && !is_han('a') && !is_han('　'));
        assert_eq!(han_runs("ab中文c𠮷"), vec![2..8, 9..13]);
    }

    #[test]
    fn dates() {
        assert!(parse_date("1952-08-03").is_some());
        assert!(parse_date("1953-02-29").is_none());
        assert!(parse_date("2000-02-29").is_some());
        assert!(parse_date("1900-02-29").is_none());
        assert!(parse_date("1952-8-03").is_none());
        assert!(parse_date("１９５２-08-03").is_none());
        assert!(is_date_shaped("1952-08-03") && !is_date_shaped("第2版()"));
    }

    #[test]
    fn pages() {
        assert_eq!(page_line_number("第2版()"), Some(3..4));
        assert!(page_line_number("第１２版（要闻）").is_some());
        assert!(page_line_number("第0版()").is_none());
        assert!(page_line_number("第二版()").is_none());
        assert!(page_line_number("第2版").is_none());
        assert_eq!(parse_page("3"), Some(3));
        assert_eq!(parse_page("0"), None);
        assert_eq!(parse_page("3a"), None);
    }

    #[test]
    fn columns_and_distance() {
        assert_eq!(column_value_start("专栏：经济"), Some(9));
        assert_eq!(column_value_start("专栏:经济"), Some(7));
        assert_eq!(column_value_start("说明了："), None);
        assert_eq!(edit_distance("Titel", "Title"), 2);
        assert_eq!(edit_distance("date", "Date"), 0);
    }
}
