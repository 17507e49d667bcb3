//! The workspace index: a [`Summary`] per archive document, keyed by path, with the
//! queries the workspace features ask of it (symbols, articles of a date or a page) and
//! its totals (counts by severity, bytes indexed, memory held).

use super::summary::{allocation, Summary};
use crate::text::{parse_date, Date};
use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str, Utf32String};
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Bound;
use std::path::{Path, PathBuf};

/// Words of a query matched at most: a longer query is cut here, so that a pasted
/// paragraph costs no more than a title.
const MAX_WORDS: usize = 32;

/// The archive documents known, in path order, with their summaries.
#[derive(Debug, Default)]
pub struct Index {
    cap: usize,
    entries: BTreeMap<PathBuf, Entry>,
    totals: [u64; 4],
    bytes: u64,
}

#[derive(Debug)]
struct Entry {
    summary: Summary,
    bytes: u64,
    hay: Hay,
}

/// The summary's non-ASCII strings as the matcher reads them (code points, one per
/// grapheme), converted once here rather than on every query: a query over 100,000
/// Chinese titles spent most of its time converting them. ASCII strings are read in place.
#[derive(Debug, Default)]
struct Hay {
    title: Option<Box<[char]>>,
    original_title: Option<Box<[char]>>,
    column: Option<Box<[char]>>,
    column_en: Option<Box<[char]>>,
    /// Whether the original's title has a character an ASCII letter or digit could match
    /// (anything below U+3000, the CJK blocks; Latin letters with accents fold to ASCII).
    original_title_latin: bool,
}

impl Hay {
    fn of(s: &Summary) -> Hay {
        let chars = |s: &str| match Utf32String::from(s) {
            Utf32String::Unicode(c) => Some(c),
            Utf32String::Ascii(_) => None,
        };
        let opt = |s: &Option<Box<str>>| s.as_deref().and_then(chars);
        let original_title = chars(&s.original_title);
        Hay {
            title: chars(&s.title),
            original_title_latin: original_title
                .as_ref()
                .is_none_or(|c| c.iter().any(|&c| (c as u32) < 0x3000)),
            original_title,
            column: opt(&s.column),
            column_en: opt(&s.column_en),
        }
    }

    fn heap_bytes(&self) -> usize {
        [
            &self.title,
            &self.original_title,
            &self.column,
            &self.column_en,
        ]
        .iter()
        .map(|c| {
            c.as_ref()
                .map_or(0, |c| allocation(std::mem::size_of_val(&**c)))
        })
        .sum()
    }
}

/// `s` for the matcher: its code points when converted, else its ASCII bytes.
fn hay<'a>(s: &'a str, chars: &'a Option<Box<[char]>>) -> Utf32Str<'a> {
    match chars {
        Some(c) => Utf32Str::Unicode(c),
        None => Utf32Str::Ascii(s.as_bytes()),
    }
}

/// Articles matched in one part of the index: score, position in path order, whether the
/// Chinese title is the name, and the article.
type Found<'a> = (u32, usize, bool, &'a Path, &'a Summary);

/// Below this many articles a text query runs on the calling thread alone.
const PARALLEL_FROM: usize = 8192;

/// The index is full: a new path was refused (paths already indexed can still be updated).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Full {
    /// The cap that was reached.
    pub cap: usize,
}

impl fmt::Display for Full {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "the workspace index is full: at most {} files are indexed",
            self.cap
        )
    }
}

impl std::error::Error for Full {}

/// One result of [`Index::symbols`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SymbolHit {
    /// The article's file.
    pub path: PathBuf,
    /// Its title line ([`Summary::symbol_line`]).
    pub line: u32,
    /// The English title, or the Chinese one when the query matched that better (or the
    /// English one is missing).
    pub name: String,
    /// Its date and page, `1952-08-03 p2` ([`Summary::container`]).
    pub container: String,
    /// Higher is better: the number of query words matched (a column match counts as all
    /// of them) in the top 8 bits, the matcher's score below; 0 for key-only queries.
    pub score: u32,
}

/// A symbol query read into its keys: date or month, page, and the words left.
struct Query {
    date: Option<DateKey>,
    page: Option<u32>,
    text: String,
}

#[derive(Clone, Copy)]
enum DateKey {
    Day(Date),
    /// Year and month.
    Month(u32, u32),
}

impl DateKey {
    fn matches(self, date: Option<Date>) -> bool {
        match (self, date) {
            (DateKey::Day(want), Some(d)) => want == d,
            (DateKey::Month(y, m), Some(d)) => d.year == y && d.month == m,
            (_, None) => false,
        }
    }
}

impl Query {
    /// Whether the date and page keys (if any) admit the article.
    fn admits(&self, s: &Summary) -> bool {
        self.date.is_none_or(|k| k.matches(s.date)) && self.page.is_none_or(|p| s.page == Some(p))
    }

    /// The first `YYYY-MM-DD` or `YYYY-MM` word is the date key, the first `p2` the page
    /// key; every other word is text.
    fn parse(query: &str) -> Query {
        let mut q = Query {
            date: None,
            page: None,
            text: String::new(),
        };
        for word in query.split_whitespace() {
            if q.date.is_none() {
                if let Some(key) = date_key(word) {
                    q.date = Some(key);
                    continue;
                }
            }
            if q.page.is_none() {
                if let Some(page) = page_key(word) {
                    q.page = Some(page);
                    continue;
                }
            }
            if !q.text.is_empty() {
                q.text.push(' ');
            }
            q.text.push_str(word);
        }
        q
    }
}

fn date_key(word: &str) -> Option<DateKey> {
    if let Some(d) = parse_date(word) {
        return Some(DateKey::Day(d));
    }
    let b = word.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() == 7 && b[4] == b'-' && digits(0..4) && digits(5..7) {
        let (year, month): (u32, u32) = (word[..4].parse().ok()?, word[5..].parse().ok()?);
        return (1..=12)
            .contains(&month)
            .then_some(DateKey::Month(year, month));
    }
    None
}

fn page_key(word: &str) -> Option<u32> {
    let digits = word.strip_prefix(['p', 'P'])?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|n| *n > 0)
}

/// The matchers of a query's text: each word fuzzy on the titles, the whole text as a
/// substring of the columns.
struct TextMatch {
    words: Vec<Atom>,
    /// Per word, whether its needle is ASCII.
    ascii: Vec<bool>,
    column: Atom,
    matcher: Matcher,
}

/// How well an article matched the text: words matched, then the matcher's score.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Fit {
    words: u32,
    score: u32,
}

impl TextMatch {
    fn new(text: &str) -> TextMatch {
        let case = CaseMatching::Ignore;
        let norm = Normalization::Smart;
        let mut words = Pattern::new(text, case, norm, AtomKind::Fuzzy).atoms;
        words.truncate(MAX_WORDS);
        TextMatch {
            ascii: words
                .iter()
                .map(|w| matches!(w.needle_text(), Utf32Str::Ascii(_)))
                .collect(),
            words,
            column: Atom::new(text, case, norm, AtomKind::Substring, false),
            matcher: Matcher::new(Config::DEFAULT),
        }
    }

    /// The words of the query fuzzy-matched in `title`: how many, and their scores summed.
    ///
    /// Stops as soon as too many words failed for the article to count ([`Self::needed`]),
    /// and skips the words in ASCII when the title holds only CJK characters and the like
    /// (`latin` false): they cannot match there.
    fn title(&mut self, haystack: Utf32Str, latin: bool) -> Fit {
        let mut fit = Fit { words: 0, score: 0 };
        if haystack.is_empty() {
            return fit;
        }
        let mut misses_left = self.words.len() as u32 - self.needed();
        for (word, ascii) in self.words.iter().zip(&self.ascii) {
            let score = if *ascii && !latin {
                None
            } else {
                word.score(haystack, &mut self.matcher)
            };
            match score {
                Some(s) => {
                    fit.words += 1;
                    fit.score += u32::from(s);
                }
                None if misses_left == 0 => return Fit { words: 0, score: 0 },
                None => misses_left -= 1,
            }
        }
        fit
    }

    /// The whole text as a substring of `column`: every word matched, or none.
    fn column(&mut self, column: Option<Utf32Str>) -> Fit {
        let all = self.words.len() as u32;
        column
            .and_then(|haystack| self.column.score(haystack, &mut self.matcher))
            .map_or(Fit { words: 0, score: 0 }, |s| Fit {
                words: all,
                score: u32::from(s),
            })
    }

    /// Words an article must match: all of them, or all but one of two or more, so that a
    /// word misspelt beyond what fuzzy matching bridges does not hide the article.
    fn needed(&self) -> u32 {
        let n = self.words.len() as u32;
        if n >= 2 {
            n - 1
        } else {
            n
        }
    }
}

impl Index {
    /// An empty index that accepts at most `cap` files.
    pub fn new(cap: usize) -> Index {
        Index {
            cap,
            ..Index::default()
        }
    }

    /// The most files this index accepts.
    pub fn cap(&self) -> usize {
        self.cap
    }

    /// Adds or replaces the summary of `path`, a file of `bytes_on_disk` bytes. A new path
    /// beyond the cap is refused (and nothing changes).
    pub fn upsert(
        &mut self,
        path: PathBuf,
        summary: Summary,
        bytes_on_disk: u64,
    ) -> Result<(), Full> {
        let entry = Entry {
            hay: Hay::of(&summary),
            summary,
            bytes: bytes_on_disk,
        };
        if let Some(old) = self.entries.get_mut(&path) {
            let old = std::mem::replace(old, entry);
            self.forget(&old);
            let new = &self.entries[&path];
            add_counts(&mut self.totals, &new.summary.counts, true);
            self.bytes += new.bytes;
            return Ok(());
        }
        if self.entries.len() >= self.cap {
            return Err(Full { cap: self.cap });
        }
        add_counts(&mut self.totals, &entry.summary.counts, true);
        self.bytes += entry.bytes;
        self.entries.insert(path, entry);
        Ok(())
    }

    /// Takes an entry's counts and bytes off the totals.
    fn forget(&mut self, old: &Entry) {
        add_counts(&mut self.totals, &old.summary.counts, false);
        self.bytes -= old.bytes;
    }

    /// Drops `path`; whether it was indexed.
    pub fn remove(&mut self, path: &Path) -> bool {
        match self.entries.remove(path) {
            Some(old) => {
                self.forget(&old);
                true
            }
            None => false,
        }
    }

    /// Drops every file under the folder `dir` (a workspace folder removed); how many.
    /// Paths are compared by components, so `/a/b` does not take `/a/bc`.
    pub fn remove_under(&mut self, dir: &Path) -> usize {
        let under: Vec<PathBuf> = self
            .entries
            .range::<Path, _>((Bound::Included(dir), Bound::Unbounded))
            .take_while(|(p, _)| p.starts_with(dir))
            .map(|(p, _)| p.clone())
            .collect();
        for p in &under {
            self.remove(p);
        }
        under.len()
    }

    /// The summary of `path`, if indexed.
    pub fn get(&self, path: &Path) -> Option<&Summary> {
        self.entries.get(path).map(|e| &e.summary)
    }

    /// Files indexed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no file is indexed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every indexed file in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&Path, &Summary)> {
        self.entries.iter().map(|(p, e)| (p.as_path(), &e.summary))
    }

    /// Diagnostics of all indexed files by severity (error, warning, information, hint).
    pub fn totals(&self) -> [u64; 4] {
        self.totals
    }

    /// The size on disk of the indexed files.
    pub fn indexed_bytes(&self) -> u64 {
        self.bytes
    }

    /// An estimate of the memory the index holds: per file its map slot (key and entry,
    /// in B-tree nodes taken as two thirds full), its path, its summary's strings and their
    /// matcher copies (non-ASCII ones) as the allocator rounds them. The benchmark compares it with the process's memory.
    pub fn heap_bytes(&self) -> usize {
        let slot = std::mem::size_of::<(PathBuf, Entry)>() * 3 / 2;
        self.entries
            .iter()
            .map(|(p, e)| {
                slot + allocation(p.capacity()) + e.summary.heap_bytes() + e.hay.heap_bytes()
            })
            .sum()
    }

    /// The articles matching `query`, best first, at most `limit`; ties in path order.
    ///
    /// A query is words: `1952-08-03` (that date) or `1952-08` (that month), `p2` (that
    /// page) narrow the articles; the other words are matched fuzzily on both titles (all
    /// of them, or all but one of two or more) and together as a substring of either
    /// column (which counts as all words matched). An empty query lists the first `limit`
    /// articles in path order.
    pub fn symbols(&self, query: &str, limit: usize) -> Vec<SymbolHit> {
        let q = Query::parse(query);
        let order = |a: &Found, b: &Found| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
        let mut found: Vec<Found> = if q.text.is_empty() {
            // Without text all score alike: the first `limit` in path order will do.
            self.entries
                .iter()
                .enumerate()
                .filter(|(_, (_, e))| q.admits(&e.summary))
                .take(limit)
                .map(|(i, (p, e))| (0, i, false, p.as_path(), &e.summary))
                .collect()
        } else {
            let entries: Vec<(&PathBuf, &Entry)> = self.entries.iter().collect();
            let threads = if entries.len() < PARALLEL_FROM {
                1
            } else {
                std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
            };
            let chunk = entries.len().div_ceil(threads).max(1);
            std::thread::scope(|scope| {
                let parts: Vec<_> = entries
                    .chunks(chunk)
                    .enumerate()
                    .map(|(k, part)| {
                        let q = &q;
                        scope.spawn(move || matches(q, part, k * chunk, limit, order))
                    })
                    .collect();
                parts
                    .into_iter()
                    .flat_map(|p| p.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                    .collect()
            })
        };
        top(&mut found, limit, order);
        found
            .into_iter()
            .map(|(score, _, chinese, path, s)| SymbolHit {
                path: path.to_path_buf(),
                line: s.symbol_line(),
                name: if chinese { &s.original_title } else { &s.title }.to_string(),
                container: s.container(),
                score,
            })
            .collect()
    }

    /// The indexed articles of `date`, in path order.
    pub fn same_date(&self, date: Date) -> Vec<(&Path, &Summary)> {
        self.iter().filter(|(_, s)| s.date == Some(date)).collect()
    }

    /// The indexed articles of `date` and `page`, in path order.
    pub fn same_page(&self, date: Date, page: u32) -> Vec<(&Path, &Summary)> {
        self.iter()
            .filter(|(_, s)| s.date == Some(date) && s.page == Some(page))
            .collect()
    }
}

/// The best `limit` articles of `part` (whose first is the `offset`th in path order) for
/// the text of `q`.
fn matches<'a>(
    q: &Query,
    part: &[(&'a PathBuf, &'a Entry)],
    offset: usize,
    limit: usize,
    order: impl Fn(&Found, &Found) -> std::cmp::Ordering,
) -> Vec<Found<'a>> {
    let mut m = TextMatch::new(&q.text);
    let mut found = Vec::new();
    for (i, (path, e)) in part.iter().enumerate() {
        let (s, h) = (&e.summary, &e.hay);
        if !q.admits(s) {
            continue;
        }
        let en = m.title(hay(&s.title, &h.title), true);
        let zh = m.title(
            hay(&s.original_title, &h.original_title),
            h.original_title_latin,
        );
        let column = |c: &'a Option<Box<str>>, chars: &'a Option<Box<[char]>>| {
            c.as_deref().map(|c| hay(c, chars))
        };
        let column = m
            .column(column(&s.column, &h.column))
            .max(m.column(column(&s.column_en, &h.column_en)));
        let best = en.max(zh).max(column);
        if best.words == 0 || best.words < m.needed() {
            continue;
        }
        let chinese = zh > en || s.title.is_empty();
        let score = (best.words.min(255) << 24) | best.score.min(0xff_ffff);
        found.push((score, offset + i, chinese, path.as_path(), s));
    }
    top(&mut found, limit, order);
    found
}

/// Keeps the best `limit` of `found`, sorted.
fn top(found: &mut Vec<Found>, limit: usize, order: impl Fn(&Found, &Found) -> std::cmp::Ordering) {
    if found.len() > limit && limit > 0 {
        found.select_nth_unstable_by(limit - 1, &order);
    }
    found.truncate(limit);
    found.sort_unstable_by(order);
}

fn add_counts(totals: &mut [u64; 4], counts: &[u32; 4], add: bool) {
    for (t, c) in totals.iter_mut().zip(counts) {
        if add {
            *t += u64::from(*c);
        } else {
            *t -= u64::from(*c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Lines;

    fn date(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    fn article(title: &str, zh: &str, day: &str, page: u32, column: Option<&str>) -> Summary {
        Summary {
            title: title.into(),
            original_title: zh.into(),
            date: parse_date(day),
            page: Some(page),
            column: column.map(Into::into),
            column_en: None,
            lines: Lines {
                title: Some(0),
                original_title: Some(19),
                ..Lines::default()
            },
            counts: [1, 2, 0, 3],
            content: 0,
        }
    }

    /// A small archive: (file name, summary).
    fn archive() -> Index {
        let mut index = Index::new(100);
        let rows = [
            (
                "a/1952-08-03_a.md",
                "Experience in Timely Summarization",
                "及时总结和传播推广先进经验的经验",
                "1952-08-03",
                2,
                Some("经济生活简评"),
            ),
            (
                "a/1952-08-03_b.md",
                "Spring Ploughing Begins",
                "春耕开始",
                "1952-08-03",
                1,
                None,
            ),
            (
                "a/1952-08-03_c.md",
                "Cotton Harvest in North China",
                "华北棉花丰收",
                "1952-08-03",
                2,
                None,
            ),
            (
                "a/1952-08-17_d.md",
                "Village Post Roads Open",
                "山区邮路通了",
                "1952-08-17",
                2,
                None,
            ),
            (
                "b/1953-06-18_e.md",
                "Wheat Harvest Begins in North China",
                "华北各地小麦开始收割",
                "1953-06-18",
                1,
                Some("经济生活简评"),
            ),
            (
                "b/1953-06-18_f.md",
                "New Primary Schools in Beijing",
                "北京新建二十所小学",
                "1953-06-18",
                3,
                None,
            ),
        ];
        for (path, title, zh, day, page, column) in rows {
            index
                .upsert(path.into(), article(title, zh, day, page, column), 1000)
                .unwrap();
        }
        index
    }

    fn paths(hits: &[SymbolHit]) -> Vec<&str> {
        hits.iter().map(|h| h.path.to_str().unwrap()).collect()
    }

    #[test]
    fn a_date_finds_that_day_and_a_month_its_days() {
        let index = archive();
        let day = index.symbols("1952-08-03", 10);
        assert_eq!(
            paths(&day),
            [
                "a/1952-08-03_a.md",
                "a/1952-08-03_b.md",
                "a/1952-08-03_c.md"
            ]
        );
        assert_eq!(day[0].container, "1952-08-03 p2");
        assert_eq!(day[0].name, "Experience in Timely Summarization");
        assert_eq!(day[0].line, 0);
        let month = index.symbols("1952-08", 10);
        assert_eq!(month.len(), 4);
        assert!(month.iter().all(|h| h.container.starts_with("1952-08-")));
        assert!(index.symbols("1952-09", 10).is_empty());
        assert!(
            index.symbols("1952-13", 10).is_empty(),
            "no such month: it is text"
        );
    }

    #[test]
    fn a_page_alone_or_with_a_date() {
        let index = archive();
        let p2 = index.symbols("p2", 10);
        assert_eq!(
            paths(&p2),
            [
                "a/1952-08-03_a.md",
                "a/1952-08-03_c.md",
                "a/1952-08-17_d.md"
            ]
        );
        let both = index.symbols("1952-08-03 P2", 10);
        assert_eq!(paths(&both), ["a/1952-08-03_a.md", "a/1952-08-03_c.md"]);
        // Either order, and with a title word.
        let narrowed = index.symbols("p2 cotton 1952-08-03", 10);
        assert_eq!(paths(&narrowed), ["a/1952-08-03_c.md"]);
        assert!(index.symbols("p9", 10).is_empty());
    }

    #[test]
    fn a_column_by_substring() {
        let index = archive();
        let hits = index.symbols("生活简", 10);
        assert_eq!(paths(&hits), ["a/1952-08-03_a.md", "b/1953-06-18_e.md"]);
        let mut index = archive();
        let mut s = article("Notes", "简讯", "1957-02-04", 4, None);
        s.column_en = Some("Cultural Briefs".into());
        index.upsert("c/x.md".into(), s, 10).unwrap();
        assert_eq!(paths(&index.symbols("cultural brief", 10)), ["c/x.md"]);
    }

    #[test]
    fn titles_fuzzily_in_both_languages() {
        let index = archive();
        let en = index.symbols("harvest north", 10);
        assert_eq!(paths(&en)[..2], ["a/1952-08-03_c.md", "b/1953-06-18_e.md"]);
        assert!(en.iter().all(|h| !h.name.is_empty()));
        let zh = index.symbols("小麦收割", 10);
        assert_eq!(paths(&zh)[0], "b/1953-06-18_e.md");
        assert_eq!(
            zh[0].name, "华北各地小麦开始收割",
            "the Chinese title matched"
        );
        assert_eq!(
            index.symbols("Wheat", 1)[0].name,
            "Wheat Harvest Begins in North China"
        );
    }

    #[test]
    fn a_typo_still_finds_the_title_first() {
        let mut index = archive();
        // Many near neighbours, before it in path order.
        for i in 0..50 {
            let title = format!("Summary of Experience No. {i}");
            let s = article(&title, "经验", "1952-01-01", 1, None);
            index.upsert(format!("0/{i:03}.md").into(), s, 10).unwrap();
        }
        for query in [
            "Experiance in Timely Sumarization", // a substituted letter, a dropped one
            "expernce timly summarisation",
            "timely summarization",
        ] {
            let hits = index.symbols(query, 5);
            assert_eq!(
                hits.first().map(|h| h.path.to_str().unwrap()),
                Some("a/1952-08-03_a.md"),
                "{query}: {hits:?}"
            );
        }
        assert!(index.symbols("zzzz qqqq", 5).is_empty());
    }

    #[test]
    fn ranking_is_deterministic_with_ties_in_path_order() {
        let mut index = Index::new(10);
        for name in ["c.md", "a.md", "b.md"] {
            index
                .upsert(
                    name.into(),
                    article("Same Title", "", "1950-01-01", 1, None),
                    1,
                )
                .unwrap();
        }
        let hits = index.symbols("same", 10);
        assert_eq!(paths(&hits), ["a.md", "b.md", "c.md"]);
        assert!(hits.windows(2).all(|w| w[0].score == w[1].score));
        assert_eq!(paths(&index.symbols("same", 2)), ["a.md", "b.md"]);
        assert!(index.symbols("same", 0).is_empty());
    }

    #[test]
    fn a_large_index_split_over_threads_ranks_as_one() {
        // Above PARALLEL_FROM: the parts' results merge into one order.
        let mut index = Index::new(usize::MAX);
        let n = PARALLEL_FROM + 1000;
        for i in 0..n {
            let title = match i {
                7 | 9000 => "Cotton Harvest".to_owned(),
                _ => format!("Tie Title {}", i % 3),
            };
            let s = article(&title, "", "1950-01-01", 1, None);
            index.upsert(format!("{i:05}.md").into(), s, 1).unwrap();
        }
        let best = index.symbols("cotton harvest", 3);
        assert_eq!(paths(&best), ["00007.md", "09000.md"]);
        let ties = index.symbols("tie title", 4);
        assert_eq!(
            paths(&ties),
            ["00000.md", "00001.md", "00002.md", "00003.md"]
        );
        let last = index.symbols("tie title", n);
        assert_eq!(last.len(), n - 2);
        assert!(last.windows(2).all(
            |w| w[0].score > w[1].score || (w[0].score == w[1].score && w[0].path < w[1].path)
        ));
    }

    #[test]
    fn an_empty_query_lists_the_first_in_path_order() {
        let index = archive();
        let hits = index.symbols("   ", 2);
        assert_eq!(paths(&hits), ["a/1952-08-03_a.md", "a/1952-08-03_b.md"]);
        assert_eq!(index.symbols("", 100).len(), 6);
    }

    #[test]
    fn the_cap_refuses_new_paths_only() {
        let mut index = Index::new(2);
        let s = || article("T", "", "1950-01-01", 1, None);
        index.upsert("a".into(), s(), 10).unwrap();
        index.upsert("b".into(), s(), 20).unwrap();
        assert_eq!(index.upsert("c".into(), s(), 30), Err(Full { cap: 2 }));
        assert!(index.get(Path::new("c")).is_none());
        assert_eq!(index.len(), 2);
        // An update of a known path is no new file.
        let mut changed = s();
        changed.counts = [5, 0, 0, 0];
        index.upsert("a".into(), changed, 15).unwrap();
        assert_eq!(index.totals(), [6, 2, 0, 3]);
        assert_eq!(index.indexed_bytes(), 35);
        assert!(index.remove(Path::new("a")));
        assert!(!index.remove(Path::new("a")));
        assert_eq!(index.totals(), [1, 2, 0, 3]);
        assert_eq!(index.indexed_bytes(), 20);
        index.upsert("c".into(), s(), 30).unwrap();
    }

    #[test]
    fn remove_under_takes_a_folder_by_components() {
        let mut index = Index::new(10);
        for p in [
            "/w/a/1.md",
            "/w/a/sub/2.md",
            "/w/ab/3.md",
            "/w/a.md",
            "/v/4.md",
        ] {
            index
                .upsert(p.into(), article("T", "", "1950-01-01", 1, None), 100)
                .unwrap();
        }
        assert_eq!(index.remove_under(Path::new("/w/a")), 2);
        let left: Vec<_> = index.iter().map(|(p, _)| p.to_str().unwrap()).collect();
        assert_eq!(left, ["/v/4.md", "/w/a.md", "/w/ab/3.md"]);
        assert_eq!(index.indexed_bytes(), 300);
        assert_eq!(index.totals(), [3, 6, 0, 9]);
        assert_eq!(index.remove_under(Path::new("/nowhere")), 0);
        assert_eq!(index.remove_under(Path::new("/")), 3);
        assert!(index.is_empty());
        assert_eq!(index.totals(), [0; 4]);
    }

    #[test]
    fn neighbours_by_date_and_page() {
        let index = archive();
        let day: Vec<_> = index
            .same_date(date("1952-08-03"))
            .into_iter()
            .map(|(p, _)| p.to_str().unwrap())
            .collect();
        assert_eq!(
            day,
            [
                "a/1952-08-03_a.md",
                "a/1952-08-03_b.md",
                "a/1952-08-03_c.md"
            ]
        );
        let page: Vec<_> = index
            .same_page(date("1952-08-03"), 2)
            .into_iter()
            .map(|(p, _)| p.to_str().unwrap())
            .collect();
        assert_eq!(page, ["a/1952-08-03_a.md", "a/1952-08-03_c.md"]);
        assert!(index.same_page(date("1952-08-03"), 7).is_empty());
    }

    #[test]
    fn heap_bytes_grow_with_the_strings() {
        let mut index = Index::new(10);
        assert_eq!(index.heap_bytes(), 0);
        index
            .upsert("a.md".into(), article("T", "", "1950-01-01", 1, None), 1)
            .unwrap();
        let small = index.heap_bytes();
        index
            .upsert(
                "b.md".into(),
                article(&"x".repeat(500), "", "1950-01-01", 1, None),
                1,
            )
            .unwrap();
        assert!(index.heap_bytes() >= 2 * small + 400);
    }
}
