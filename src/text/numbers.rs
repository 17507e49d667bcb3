//! Numbers in running text, for the translation review (`number-mismatch`,
//! `dateline-mismatch`).
//!
//! **Chinese.** One tokenizer, [`chinese`], walks a paragraph once. At each character it
//! first tries the words that only look like numbers (`MASKS`: 一些, 十分, 四川 …), then
//! reads a numeral (Arabic, full-width or Chinese digits and units), then lets the
//! characters around the numeral say what it means: 第 and ordinal-like counters (七区),
//! dates (八月三日), hours (下午三时), percentages and fractions (百分之二十), 成 and 倍,
//! years (一九五二年, 四九年, 三十五年), measures (九斗三升), approximate amounts (数十,
//! 十几, bare 万: dropped), a count summing up a `、`-list (北京、天津两市: dropped). Every
//! reading is a [`Mention`]: the span of the numeral as written and the few [`Value`]s any
//! one of which, found in the English, satisfies it.
//!
//! **English.** [`English`] is the bag of values a text writes: digits (with separators,
//! decimals, ordinal suffixes, decades, `35 thousand`), number and ordinal words, fractions,
//! multiples, month and weekday names.
//!
//! No regular expression: plain character scanning, one pass each way, so that it can run on
//! every keystroke.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

/// One value a number can stand for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// A quantity, an ordinal, a day of the month, a year.
    Num(f64),
    /// A month, 1 = January.
    Month(u8),
    /// A day of the week, 1 = Monday … 7 = Sunday.
    Weekday(u8),
}

/// A number in the original: where it is written and what the English may say for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Byte range, relative to the text read, of the numeral as written.
    pub span: Range<usize>,
    /// Any one of these in the English satisfies the mention.
    pub values: Vec<Value>,
    /// The size the small-value rule judges (the percentage of 百分之二十 or 八成).
    pub magnitude: f64,
    /// After 第, before an ordinal-like counter (七区), a date or clock time, or a decimal:
    /// a value the English keeps even when it is small.
    pub precise: bool,
}

impl Mention {
    /// Whether the checks look at this mention: a weekday always; a decimal when precise;
    /// otherwise never 0 or 1 (一 becomes "a"), small values only when precise, from
    /// `min_value` up always.
    pub fn is_checked(&self, min_value: u64) -> bool {
        if self.values.iter().any(|v| matches!(v, Value::Weekday(_))) {
            return true;
        }
        if self.magnitude.fract() != 0.0 && self.magnitude < min_value as f64 {
            return self.precise;
        }
        self.magnitude >= 2.0 && (self.precise || self.magnitude >= min_value as f64)
    }

    /// The accepted values in words, for messages: `22`, `3 or 4`, `August`.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        for v in &self.values {
            let s = describe_value(*v);
            if !parts.contains(&s) {
                parts.push(s);
            }
        }
        match parts.len() {
            0 => String::new(),
            1 => parts.remove(0),
            n => format!("{} or {}", parts[..n - 1].join(", "), parts[n - 1]),
        }
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

fn describe_value(v: Value) -> String {
    match v {
        Value::Num(n) => format_num(n),
        Value::Month(m) => MONTHS[usize::from(m.clamp(1, 12)) - 1].to_owned(),
        Value::Weekday(d) => WEEKDAYS[usize::from(d.clamp(1, 7)) - 1].to_owned(),
    }
}

/// `22`, `0.64`, `1/3` as `0.333`.
pub fn format_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// Whether two quantities are the same number (up to floating-point noise).
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

// ---------------------------------------------------------------------------------------
// Chinese
// ---------------------------------------------------------------------------------------

/// A Chinese digit (also 两 and the OCR zero ○). The financial forms (壹 … 玖, 拾 佰 仟)
/// are left out: they are rare in the paper and 陆 (陆军), 伍 (队伍), 拾 (收拾) are words.
fn cn_digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' | '○' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// An ASCII or full-width digit.
fn arabic_digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// A Chinese unit: 十 百 千 (small) and 万 亿 (big).
fn cn_unit(c: char) -> Option<f64> {
    Some(match c {
        '十' => 10.0,
        '百' => 100.0,
        '千' => 1000.0,
        '万' | '萬' => 1e4,
        '亿' | '億' => 1e8,
        _ => return None,
    })
}

/// 廿 卅 卌: twenty, thirty, forty in one character.
fn cn_tens(c: char) -> Option<u32> {
    match c {
        '廿' => Some(2),
        '卅' => Some(3),
        '卌' => Some(4),
        _ => None,
    }
}

fn is_cn_numeral(c: char) -> bool {
    cn_digit(c).is_some() || cn_unit(c).is_some() || cn_tens(c).is_some()
}

fn is_numeral(c: char) -> bool {
    is_cn_numeral(c) || arabic_digit(c).is_some()
}

/// Words that only look like numbers, and place names. A mask does not apply when the
/// numeral it holds runs on into more numeral characters (`一万一千` holds 万一), nor
/// before the characters listed with it (`十分钟` is ten minutes).
const MASKS: &[(&str, &str)] = &[
    // 一 words
    ("一些", ""),
    ("一方面", ""),
    ("一般", ""),
    ("一切", ""),
    ("一定", ""),
    ("一起", ""),
    ("一致", ""),
    ("一直", ""),
    ("统一", ""),
    ("一旦", ""),
    ("一律", ""),
    ("一样", ""),
    ("同一", ""),
    ("唯一", ""),
    ("惟一", ""),
    ("一再", ""),
    ("进一步", ""),
    ("第一线", ""),
    ("之一", ""),
    ("一同", ""),
    ("一道", ""),
    ("一向", ""),
    ("一贯", ""),
    ("一齐", ""),
    ("一带", ""),
    ("一番", ""),
    ("一点", ""),
    ("一下", ""),
    ("一时", ""),
    ("一心", ""),
    ("一概", ""),
    ("万众一心", ""),
    ("一五一十", ""),
    ("九死一生", ""),
    ("独一无二", ""),
    ("一清二楚", ""),
    ("一穷二白", ""),
    ("说一不二", ""),
    ("接二连三", ""),
    ("三心二意", ""),
    ("不三不四", ""),
    ("丢三落四", ""),
    ("三番五次", ""),
    ("三令五申", ""),
    ("三言两语", ""),
    ("三三两两", ""),
    ("七上八下", ""),
    ("七嘴八舌", ""),
    ("乱七八糟", ""),
    ("四面八方", ""),
    ("五湖四海", ""),
    ("五花八门", ""),
    ("四分五裂", ""),
    ("八九不离十", ""),
    ("十之八九", ""),
    ("十全十美", ""),
    ("十冬腊月", ""),
    // 十 百 千 万 words
    ("十分", "钟之"),
    ("十足", ""),
    ("十字", ""),
    ("万一", ""),
    ("万岁", ""),
    ("万分", "之"),
    ("三军", ""),
    ("万古", ""),
    ("万物", ""),
    ("万事", ""),
    ("万能", ""),
    ("千万", ""),
    ("千百万", ""),
    ("千千万万", ""),
    ("成千上万", ""),
    ("成千成万", ""),
    ("千方百计", ""),
    ("千辛万苦", ""),
    ("千军万马", ""),
    ("千山万水", ""),
    ("万水千山", ""),
    ("千变万化", ""),
    ("千家万户", ""),
    ("千秋万代", ""),
    ("百姓", ""),
    ("百货", ""),
    ("百般", ""),
    ("百倍", ""),
    ("百花齐放", ""),
    ("百家争鸣", ""),
    ("百年大计", ""),
    ("百分之百", ""),
    ("第二天", ""),
    ("第二日", ""),
    ("第二年", ""),
    // place names
    ("四川", ""),
    ("九江", ""),
    ("十里铺", ""),
    ("三门峡", ""),
    ("九龙", ""),
    ("五台", ""),
    ("十三陵", ""),
    ("八达岭", ""),
    ("万县", ""),
    ("万寿山", ""),
    ("九华山", ""),
    ("六盘山", ""),
    ("四平", ""),
    ("三河", ""),
    ("六合", ""),
];

/// The masks by their first character.
static MASK_INDEX: LazyLock<HashMap<char, Vec<(&'static str, &'static str)>>> =
    LazyLock::new(|| {
        let mut m: HashMap<char, Vec<(&str, &str)>> = HashMap::new();
        for &(w, not_before) in MASKS {
            m.entry(w.chars().next().expect("a mask is a word"))
                .or_default()
                .push((w, not_before));
        }
        // Longest first, so that 千千万万 wins over 千万.
        for v in m.values_mut() {
            v.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        }
        m
    });

/// The first characters of the masks, to rule most characters out before hashing them.
static MASK_FIRST: LazyLock<CharSet> = LazyLock::new(|| {
    let mut set = CharSet::default();
    for &(w, _) in MASKS {
        set.insert(w.chars().next().expect("a mask is a word"));
    }
    set
});

/// A set of characters of the Basic Multilingual Plane, one bit each; any character
/// beyond it is counted in (a set of 8 KB, looked up without hashing).
struct CharSet(Vec<u64>);

impl Default for CharSet {
    fn default() -> CharSet {
        CharSet(vec![0; 1 << 10])
    }
}

impl CharSet {
    fn insert(&mut self, c: char) {
        let c = c as usize;
        if let Some(word) = self.0.get_mut(c >> 6) {
            *word |= 1 << (c & 63);
        }
    }

    /// Whether `c` may be in the set: certainly not when this is false.
    fn contains(&self, c: char) -> bool {
        let c = c as usize;
        self.0
            .get(c >> 6)
            .is_none_or(|word| word & (1 << (c & 63)) != 0)
    }
}

/// Counters after which even a small value is an ordinal the English keeps: `七区` is "the
/// seventh district", `第三届` "the third session".
const ORDINAL_COUNTERS: &[&str] = &[
    "区", "乡", "号", "届", "版", "期", "条", "周年", "纵队", "分区", "军", "师", "旅", "年级",
];

/// Measure chains: a value in one unit followed by values in the next units down, each a
/// tenth of the one before (`五十亩一分六厘` = 50.16 mu, `九斗三升` = 9.3 dou).
const MEASURE_CHAINS: &[&[char]] = &[
    &['亩', '分', '厘', '毫'],
    &['石', '斗', '升', '合'],
    &['丈', '尺', '寸', '分'],
    &['元', '角', '分'],
    &['块', '毛', '分'],
];

/// After a single digit, 成 is a tenth (八成 = 80 %) unless it begins one of these words.
const CHENG_WORDS: &str = "为立功绩果员就本熟长交品效年人型套批群堆片家都分";

/// Clause punctuation: where a `、`-list begins.
fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '；'
            | '：'
            | '！'
            | '？'
            | ','
            | '.'
            | ';'
            | ':'
            | '!'
            | '?'
            | '（'
            | '）'
            | '('
            | ')'
            | '“'
            | '”'
            | '"'
            | '「'
            | '」'
            | '『'
            | '』'
            | '《'
            | '》'
            | '【'
            | '】'
            | '\u{3000}'
            | ' '
    )
}

/// The characters of a paragraph with their byte offsets.
struct Text<'a> {
    s: &'a str,
    cs: Vec<(usize, char)>,
}

/// A numeral as read, before its context is weighed.
#[derive(Debug, Clone)]
struct Numeral {
    start: usize,
    end: usize,
    /// Usually one; two for a range of consecutive digits (三四, 五六十).
    values: Vec<f64>,
    /// Digit characters in it (4 for 一九五二).
    digits: usize,
    /// Read digit by digit (一九五二, 八○, 1952), not with units.
    positional: bool,
    /// A unit with no digit (万, 百): an approximate amount unless 余/多 follows.
    bare: bool,
    /// Written in Arabic or full-width digits.
    arabic: bool,
    /// With a decimal part (`1.93`, `零点六四`).
    decimal: bool,
}

impl<'a> Text<'a> {
    fn new(s: &'a str) -> Text<'a> {
        // Sized first: collected, the vector grows by doubling (a reallocation each time).
        let mut cs = Vec::with_capacity(s.chars().count());
        cs.extend(s.char_indices());
        Text { s, cs }
    }

    fn len(&self) -> usize {
        self.cs.len()
    }

    fn ch(&self, i: usize) -> Option<char> {
        self.cs.get(i).map(|p| p.1)
    }

    /// The character before `i`.
    fn prev(&self, i: usize) -> Option<char> {
        i.checked_sub(1).and_then(|j| self.ch(j))
    }

    /// The byte offset of character `i` (the text's length past the end).
    fn off(&self, i: usize) -> usize {
        self.cs.get(i).map_or(self.s.len(), |p| p.0)
    }

    /// Whether the text from character `i` starts with `w`.
    fn at(&self, i: usize, w: &str) -> bool {
        i <= self.len() && self.s[self.off(i)..].starts_with(w)
    }

    /// Whether the text before character `i` ends with `w`.
    fn before(&self, i: usize, w: &str) -> bool {
        self.s[..self.off(i)].ends_with(w)
    }

    fn span(&self, from: usize, to: usize) -> Range<usize> {
        self.off(from)..self.off(to)
    }

    /// The length in characters of the mask at `i`, if one applies.
    fn mask_at(&self, i: usize) -> Option<usize> {
        let c = self.ch(i)?;
        if !MASK_FIRST.contains(c) {
            return None;
        }
        let masks = MASK_INDEX.get(&c)?;
        for &(w, not_before) in masks {
            if !self.at(i, w) {
                continue;
            }
            let n = w.chars().count();
            let first_numeral = is_numeral(c);
            let last_numeral = w.chars().last().is_some_and(is_numeral);
            if first_numeral && self.prev(i).is_some_and(is_numeral) {
                continue;
            }
            let next = self.ch(i + n);
            if last_numeral && next.is_some_and(is_numeral) {
                continue;
            }
            if next.is_some_and(|x| not_before.contains(x)) {
                continue;
            }
            return Some(n);
        }
        None
    }

    /// Reads the numeral starting at `i`, Arabic or Chinese.
    fn numeral(&self, i: usize) -> Option<Numeral> {
        let c = self.ch(i)?;
        if arabic_digit(c).is_some() {
            return Some(self.arabic(i));
        }
        if !is_cn_numeral(c) {
            return None;
        }
        self.chinese_numeral(i)
    }

    /// `1952`, `１４５、０００`, `２６．００`, `1.2万`.
    fn arabic(&self, i: usize) -> Numeral {
        let mut digits = String::new();
        let mut j = i;
        while let Some(d) = self.ch(j).and_then(arabic_digit) {
            digits.push(char::from_digit(d, 10).expect("a digit"));
            j += 1;
        }
        let mut count = digits.len();
        // Thousands separators: groups of exactly three digits after a first group of at
        // most three.
        if count <= 3 {
            while matches!(self.ch(j), Some(',' | '，' | '、'))
                && (1..=3).all(|k| self.ch(j + k).and_then(arabic_digit).is_some())
                && self.ch(j + 4).and_then(arabic_digit).is_none()
            {
                for k in 1..=3 {
                    let d = self.ch(j + k).and_then(arabic_digit).expect("checked");
                    digits.push(char::from_digit(d, 10).expect("a digit"));
                }
                count += 3;
                j += 4;
            }
        }
        let dot = |j: usize| {
            matches!(self.ch(j), Some('.' | '．'))
                && self.ch(j + 1).and_then(arabic_digit).is_some()
        };
        let mut decimal = dot(j);
        if decimal {
            let mut k = j + 1;
            let mut frac = String::from(".");
            while let Some(d) = self.ch(k).and_then(arabic_digit) {
                frac.push(char::from_digit(d, 10).expect("a digit"));
                k += 1;
            }
            if dot(k) {
                // 1998.3.5: a dotted date, not a decimal. Its first part is read; the
                // others are skipped.
                decimal = false;
                let mut m = k;
                while dot(m) {
                    m += 1;
                    while self.ch(m).and_then(arabic_digit).is_some() {
                        m += 1;
                    }
                }
                return Numeral {
                    start: i,
                    end: m,
                    values: vec![digits.parse().unwrap_or(0.0)],
                    digits: count,
                    positional: true,
                    bare: false,
                    arabic: true,
                    decimal,
                };
            }
            digits.push_str(&frac);
            j = k;
        }
        let mut value: f64 = digits.parse().unwrap_or(0.0);
        // 1.2万, 3千, 5千万.
        while let Some(u) = self.ch(j).and_then(cn_unit).filter(|u| *u >= 100.0) {
            value *= u;
            j += 1;
        }
        Numeral {
            start: i,
            end: j,
            values: vec![value],
            digits: count,
            positional: true,
            bare: false,
            arabic: true,
            decimal,
        }
    }

    /// A run of Chinese numeral characters, with a decimal part after 点.
    fn chinese_numeral(&self, i: usize) -> Option<Numeral> {
        let mut run: Vec<char> = Vec::new();
        let mut j = i;
        while let Some(c) = self.ch(j) {
            if !is_cn_numeral(c) {
                break;
            }
            // 两 inside a numeral only before a unit (一万两千); elsewhere it is the weight
            // unit (十两) or a new number.
            if c == '两'
                && j > i
                && self.ch(j + 1).is_none_or(|n| cn_unit(n).is_none())
                && !(j == i + 1 && self.ch(i) == Some('三'))
            {
                break;
            }
            match cn_tens(c) {
                Some(t) => {
                    run.push(['二', '三', '四'][t as usize - 2]);
                    run.push('十');
                }
                None => run.push(c),
            }
            j += 1;
        }
        let (values, positional) = parse_run(&run)?;
        let digits = run.iter().filter(|c| cn_digit(**c).is_some()).count();
        // A leading unit other than 十 has no digit to count (万人, 百里; 沈万三 is a name).
        let bare = run
            .first()
            .is_some_and(|c| cn_unit(*c).is_some() && *c != '十');
        let mut n = Numeral {
            start: i,
            end: j,
            values,
            digits,
            positional,
            bare,
            arabic: false,
            decimal: false,
        };
        // A decimal part: 零点六四, 三点五 (not 三点钟, not 八点五十分).
        if self.ch(j) == Some('点') && n.values.len() == 1 && !bare {
            let mut k = j + 1;
            let mut frac = String::new();
            while let Some(d) = self.ch(k).and_then(cn_digit) {
                if self.ch(k) == Some('两') {
                    break;
                }
                frac.push(char::from_digit(d, 10).expect("a digit"));
                k += 1;
            }
            let after = self.ch(k);
            if !frac.is_empty()
                && !after.is_some_and(|c| is_cn_numeral(c) || matches!(c, '分' | '钟' | '半'))
            {
                let f: f64 = format!("0.{frac}").parse().unwrap_or(0.0);
                n.values[0] += f;
                n.end = k;
                n.decimal = true;
            }
        }
        Some(n)
    }

    /// Reads the mention at `i`, if a numeral starts there; returns where reading goes on
    /// and the mention (`None` when the numeral is not checkable: approximate, a list's
    /// count).
    fn read(&self, n: Numeral) -> (usize, Option<Mention>) {
        let start = n.start;
        let mut end = n.end;
        let prev = self.prev(start);

        // A fraction or percentage: 百分之二十, 三分之一, 千分之五.
        if self.at(end, "分之") && n.values.len() == 1 {
            if let Some(b) = self.numeral(end + 2) {
                let a = n.values[0];
                let mut values = Vec::new();
                let mut magnitude = f64::INFINITY;
                for &v in &b.values {
                    if a == 100.0 {
                        values.push(Value::Num(v));
                        magnitude = magnitude.min(v);
                    } else if a == 1000.0 {
                        values.push(Value::Num(v / 10.0));
                        values.push(Value::Num(v));
                        magnitude = magnitude.min(v / 10.0);
                    } else {
                        magnitude = magnitude.min(v / a);
                    }
                    values.push(Value::Num(v / a));
                }
                let approximate = matches!(self.ch(b.end), Some('几'));
                let m = Mention {
                    span: self.span(start, b.end),
                    values,
                    magnitude,
                    precise: false,
                };
                return (b.end, (!approximate).then_some(m));
            }
        }

        let mut values = n.values.clone();
        // 三百多万: the base value times the unit after 多.
        if matches!(self.ch(end), Some('多' | '余'))
            && self.ch(end + 1).and_then(cn_unit).is_some_and(|u| u >= 1e4)
        {
            let mut k = end + 1;
            while let Some(u) = self.ch(k).and_then(cn_unit).filter(|u| *u >= 1e4) {
                values.iter_mut().for_each(|v| *v *= u);
                k += 1;
            }
            end = k;
        }
        let next = self.ch(end);
        // Approximate amounts: 数十, 几百, 十几, 上万, bare 万.
        let about = matches!(next, Some('多' | '余'));
        let leading_unit = self.ch(start).and_then(cn_unit).is_some();
        if matches!(prev, Some('数' | '几'))
            || next == Some('几')
            || (leading_unit && matches!(prev, Some('上' | '成')))
            || (n.bare && !about)
        {
            return (end, None);
        }
        let span = self.span(start, end);
        // What follows 多/余/来 says what the number counts.
        let k = if matches!(next, Some('多' | '余' | '来')) {
            end + 1
        } else {
            end
        };
        let single = values.len() == 1;
        let v0 = values[0];
        let integer = values.iter().all(|v| v.fract() == 0.0);
        let mut precise = prev == Some('第') || n.decimal;
        // A date or clock time: never a list's count.
        let mut dated = prev == Some('第');
        // 两 only counts: 两条 is "two", never "the second", and 两月 is not February.
        let liang = end == start + 1 && self.ch(start) == Some('两');
        let mut magnitude = values.iter().copied().fold(f64::INFINITY, f64::min);
        let mut out: Vec<Value> = values.iter().map(|v| Value::Num(*v)).collect();
        let mut end_read = end;

        if self.at(k, "成")
            && integer
            && values.iter().all(|v| (1.0..=9.0).contains(v))
            && !self.ch(k + 1).is_some_and(|c| CHENG_WORDS.contains(c))
        {
            // 八成: eight tenths, 80 %.
            out.clear();
            for &v in &values {
                out.extend([Value::Num(v * 10.0), Value::Num(v / 10.0), Value::Num(v)]);
            }
            magnitude *= 10.0;
        } else if self.at(k, "倍") {
            // N倍: N times, or N more (N+1 times), or N × 100 %.
            for &v in &values {
                out.extend([Value::Num(v + 1.0), Value::Num(v * 100.0)]);
            }
        } else if self.at(k, "年代") {
            // 五十年代: the fifties, the 1950s.
            for &v in &values {
                if v < 100.0 {
                    out.push(Value::Num(1900.0 + v));
                }
            }
        } else if self.at(k, "年") && !self.at(k, "年级") {
            for &v in &values {
                if n.positional && n.digits == 2 {
                    // 四九年, 49年: 1949.
                    out.push(Value::Num(1900.0 + v));
                } else if !n.positional && (1.0..=60.0).contains(&v) && integer {
                    // 三十五年: also the Republic's year 35 = 1946.
                    out.push(Value::Num(1911.0 + v));
                }
            }
        } else if self.at(k, "月")
            && single
            && integer
            && (1.0..=12.0).contains(&v0)
            && k == end
            && !liang
        {
            out.push(Value::Month(v0 as u8));
            precise = true;
            dated = true;
        } else if (self.at(k, "日") || self.at(k, "号")) && k == end {
            precise = !liang;
            dated = true;
        } else if k == end && (self.at(k, "时") || self.at(k, "点钟") || self.is_hour_dot(start, k))
        {
            // 下午三时: 3 or 15.
            precise = true;
            dated = true;
            let pm = ["下午", "晚上", "晚", "夜", "夜间", "傍晚", "黄昏"]
                .iter()
                .any(|w| self.s[..self.off(start)].ends_with(w));
            for &v in &values {
                if pm && v < 12.0 {
                    out.push(Value::Num(v + 12.0));
                }
                if v > 12.0 {
                    out.push(Value::Num(v - 12.0));
                }
            }
        } else if k == end && self.at(k, "分") && !self.at(k, "分之") && self.after_hour(start) {
            // 八时三十分: the minutes of a clock time.
            precise = true;
            dated = true;
        } else if let Some((total, to)) = self.measure(end, single.then_some(v0)) {
            // 九斗三升 = 9.3; the first unit alone also counts.
            out.insert(0, Value::Num(total));
            magnitude = total;
            end_read = to;
        } else if ORDINAL_COUNTERS.iter().any(|w| self.at(k, w)) {
            precise = !liang;
        } else if n.positional
            && !n.arabic
            && single
            && (n.digits == 2
                || n.digits == 3
                    && self.ch(k).is_none_or(|c| {
                        !crate::text::is_han(c) || "节事运纪惨宣指前后以".contains(c)
                    }))
        {
            // Festivals and movements: 五一 (May 1), 七一讲话, 三八妇女节, 九一八 (September 18),
            // 一二九. Three digits only where a festival can stand: 三一○元 is a price.
            let v = v0 as u32;
            for (m, d) in [(v / 10, v % 10), (v / 100, v % 100)] {
                if (1..=12).contains(&m) && (1..=31).contains(&d) {
                    out.extend([Value::Month(m as u8), Value::Num(f64::from(d))]);
                }
            }
        }

        if v0 == 11.0 && self.at(k, "国庆") {
            out.push(Value::Month(10)); // 十一国庆: October 1st
        }
        if (self.at(k, "计划") || self.at(k, "期间") || self.at(k, "规划")) && v0 % 10.0 == 5.0
        {
            // 九五计划, 十五期间: the Ninth and the Tenth Five-Year Plan.
            let plan = if n.positional {
                (v0 - 5.0) / 10.0
            } else {
                v0 - 5.0
            };
            out.push(Value::Num(plan));
        }

        // A count summing up the list before it: 北京、天津两市.
        if single && integer && !dated && v0 >= 2.0 && self.list_items(start) == Some(v0 as usize) {
            return (end_read, None);
        }
        let span = if end_read > end {
            self.span(start, end_read)
        } else {
            span
        };
        (
            end_read,
            Some(Mention {
                span,
                values: out,
                magnitude,
                precise,
            }),
        )
    }

    /// `三点` is a clock time when 钟 or a time of day marks it: 上午八点, 三点半.
    fn is_hour_dot(&self, start: usize, k: usize) -> bool {
        if !self.at(k, "点") {
            return false;
        }
        if self.at(k + 1, "钟") || self.at(k + 1, "半") {
            return true;
        }
        let before = &self.s[..self.off(start)];
        [
            "上午", "下午", "早上", "早晨", "晚上", "中午", "凌晨", "夜间", "傍晚", "晚", "夜",
            "早",
        ]
        .iter()
        .any(|w| before.ends_with(w))
    }

    /// Whether a clock hour (`八时`, `八点`) stands right before character `start`.
    fn after_hour(&self, start: usize) -> bool {
        if !(self.before(start, "时") || self.before(start, "点")) {
            return false;
        }
        self.prev(start - 1).is_some_and(is_numeral)
    }

    /// A measure chain from the unit at `at` (`亩` of 五十亩一分六厘): the total value and
    /// where it ends, when at least one lower unit follows.
    fn measure(&self, at: usize, value: Option<f64>) -> Option<(f64, usize)> {
        let value = value?;
        let unit = self.ch(at)?;
        let chain = MEASURE_CHAINS.iter().find(|c| c.contains(&unit))?;
        let base = chain.iter().position(|u| *u == unit)?;
        let mut level = base;
        let mut total = value;
        let mut j = at + 1;
        let mut end = None;
        while let Some(n) = self.numeral(j) {
            if n.values.len() != 1 || n.positional && n.digits > 1 {
                break;
            }
            let Some(u) = self.ch(n.end) else { break };
            let Some(lv) = chain.iter().position(|x| *x == u).filter(|lv| *lv > level) else {
                break;
            };
            if self.at(n.end, "分之") {
                break;
            }
            total += n.values[0] / 10f64.powi((lv - base) as i32);
            level = lv;
            j = n.end + 1;
            end = Some(j);
        }
        end.map(|e| (total, e))
    }

    /// The number of items in the `、`-list that ends right before character `i` (skipping
    /// 等 and the like), if there is one.
    fn list_items(&self, i: usize) -> Option<usize> {
        let mut j = i;
        while j > 0 && matches!(self.ch(j - 1), Some('等' | '共' | '这' | '此' | '计')) {
            j -= 1;
        }
        let mut seps = 0;
        let mut joined = false;
        let mut k = j;
        let mut seen = 0;
        while k > 0 && seen < 80 {
            let c = self.ch(k - 1)?;
            if is_clause_break(c) {
                break;
            }
            if c == '、' {
                seps += 1;
            } else if seps == 0 && matches!(c, '和' | '及' | '与' | '同' | '跟') {
                joined = true;
            }
            k -= 1;
            seen += 1;
        }
        (seps > 0).then_some(seps + 1 + usize::from(joined))
    }

    /// `星期三`, `礼拜天`: a weekday mention and where it ends.
    fn weekday_at(&self, i: usize) -> Option<(usize, Mention)> {
        if !matches!(self.ch(i), Some('星' | '礼')) || !(self.at(i, "星期") || self.at(i, "礼拜"))
        {
            return None;
        }
        let c = self.ch(i + 2)?;
        let d = match c {
            '日' | '天' => 7,
            _ => cn_digit(c).filter(|d| (1..=6).contains(d))?,
        };
        if self.ch(i + 3).is_some_and(is_cn_numeral) {
            return None;
        }
        Some((
            i + 3,
            Mention {
                span: self.span(i, i + 3),
                values: vec![Value::Weekday(d as u8)],
                magnitude: f64::from(d),
                precise: true,
            },
        ))
    }
}

/// Parses a run of Chinese numeral characters (廿卅卌 already spelled out): its values and
/// whether it was read digit by digit.
fn parse_run(run: &[char]) -> Option<(Vec<f64>, bool)> {
    if run.is_empty() {
        return None;
    }
    let digit_of = |c: char| cn_digit(c).map(f64::from);
    let has_unit = run.iter().any(|c| cn_unit(*c).is_some());
    // Two digits that say "about": 三四, 五六, 三两, and 三五 (three to five).
    let consecutive = |a: char, b: char| match (cn_digit(a), cn_digit(b)) {
        (Some(x), Some(y)) => x >= 1 && (y == x + 1 || (x, y) == (3, 2) || (x, y) == (3, 5)),
        _ => false,
    };
    let has_zero = run.iter().any(|c| cn_digit(*c) == Some(0));
    // Digit by digit: 一九五二, 一二〇, 八○ (and 二○○万).
    let lead = run.iter().take_while(|c| cn_digit(**c).is_some()).count();
    let rest_big = run[lead..]
        .iter()
        .all(|c| cn_unit(*c).is_some_and(|u| u >= 1e4));
    if lead >= 2 && rest_big && (lead >= 3 || has_zero || !has_unit) {
        if lead == 2 && !has_zero && consecutive(run[0], run[1]) {
            // 三四, 五六万: a range.
            let mult: f64 = run[lead..].iter().filter_map(|c| cn_unit(*c)).product();
            let a = digit_of(run[0])? * mult;
            let b = digit_of(run[1])? * mult;
            return Some((vec![a, b], false));
        }
        let mut v = 0.0;
        for c in &run[..lead] {
            v = v * 10.0 + digit_of(*c)?;
        }
        let mult: f64 = run[lead..].iter().filter_map(|c| cn_unit(*c)).product();
        return Some((vec![v * mult], true));
    }
    if !has_unit {
        return match run.len() {
            1 => Some((vec![digit_of(run[0])?], false)),
            _ => None,
        };
    }
    // A range of consecutive digits inside: 五六十, 十七八, 二三十万.
    if let Some(p) = (0..run.len() - 1).find(|&p| consecutive(run[p], run[p + 1])) {
        let without = |q: usize| -> Vec<char> {
            run.iter()
                .enumerate()
                .filter(|(i, _)| *i != q)
                .map(|(_, c)| *c)
                .collect()
        };
        let a = units_value(&without(p + 1))?;
        let b = units_value(&without(p))?;
        return Some((vec![a, b], false));
    }
    Some((vec![units_value(run)?], false))
}

/// The value of a numeral with units: 三千五百, 一亿二千万, 四万万, 三百五 (= 350).
fn units_value(run: &[char]) -> Option<f64> {
    let mut total = 0.0;
    let mut section = 0.0;
    let mut digit: Option<f64> = None;
    let mut last_unit = 1.0;
    let mut last_big = f64::INFINITY;
    let mut zero_gap = false;
    for &c in run {
        if let Some(d) = cn_digit(c) {
            if d == 0 {
                if digit.is_some() {
                    return None;
                }
                zero_gap = true;
                continue;
            }
            if digit.is_some() {
                return None;
            }
            digit = Some(f64::from(d));
        } else if let Some(u) = cn_unit(c) {
            if u < 1e4 {
                section += digit.take().unwrap_or(1.0) * u;
            } else {
                let sec = section + digit.take().unwrap_or(0.0);
                if sec == 0.0 {
                    // 四万万: the second 万 lifts the whole to 亿.
                    total = if total == 0.0 { u } else { total * u };
                    last_big = if last_big.is_finite() {
                        last_big * u
                    } else {
                        u
                    };
                } else if u < last_big {
                    total += sec * u;
                    last_big = u;
                } else {
                    total = (total + sec) * u;
                    last_big = u;
                }
                section = 0.0;
            }
            last_unit = u;
            zero_gap = false;
        }
    }
    if let Some(d) = digit {
        // 三百五 = 350, 一万二 = 12000: a digit right after a unit is worth a tenth of it.
        if !zero_gap && last_unit >= 100.0 {
            section += d * last_unit / 10.0;
        } else {
            section += d;
        }
    }
    Some(total + section)
}

/// Every number mention in a Chinese text, in order.
pub fn chinese(s: &str) -> Vec<Mention> {
    ChineseText::new(s).mentions()
}

/// A Chinese text read into characters once, for both its number mentions and its
/// dateline: the number check asks both of every paragraph, and the characters cost an
/// allocation and a pass over the text each time.
pub struct ChineseText<'a>(Text<'a>);

impl<'a> ChineseText<'a> {
    /// The characters of `s`.
    pub fn new(s: &'a str) -> ChineseText<'a> {
        ChineseText(Text::new(s))
    }

    /// Every number mention, in order (see [`chinese`]).
    pub fn mentions(&self) -> Vec<Mention> {
        mentions(&self.0)
    }

    /// The dateline, if there is one (see [`dateline`]).
    pub fn dateline(&self) -> Option<Dateline> {
        dateline_of(&self.0)
    }
}

fn mentions(t: &Text) -> Vec<Mention> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        if let Some(n) = t.mask_at(i) {
            i += n;
            continue;
        }
        if let Some((end, m)) = t.weekday_at(i) {
            out.push(m);
            i = end;
            continue;
        }
        let Some(n) = t.numeral(i) else {
            // A run that is no numeral (五卅) is skipped whole, not read from its middle.
            i += 1;
            while t.ch(i).is_some_and(is_cn_numeral) && t.prev(i).is_some_and(is_cn_numeral) {
                i += 1;
            }
            continue;
        };
        let after = n.end;
        let (end, m) = t.read(n);
        out.extend(m);
        i = end.max(after).max(i + 1);
    }
    out
}

/// A dateline: `【新华社延安二十七日电】`, `新华社31日讯`, `【南京三十一日消息】`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dateline {
    /// The whole dateline, brackets included.
    pub span: Range<usize>,
    /// The day as written, with its 日 (`二十七日`), when the dateline has one.
    pub day_span: Option<Range<usize>>,
    pub day: Option<u32>,
    pub month: Option<u32>,
    /// Whether it opens the text (else it stands at its end, as in some editorials).
    pub at_start: bool,
}

/// Whether the inside of a dateline ends like one: …电, …讯, …消息.
fn dateline_end(s: &str) -> bool {
    ["电", "讯", "消息"].iter().any(|e| s.ends_with(e))
}

/// The dateline of a paragraph: at its start (bracketed or not), or a bracketed one later.
pub fn dateline(s: &str) -> Option<Dateline> {
    ChineseText::new(s).dateline()
}

fn dateline_of(t: &Text) -> Option<Dateline> {
    let s = t.s;
    let bracketed = |from: usize| -> Option<(usize, usize)> {
        // (first inner char, closing bracket)
        let close = (from + 1..t.len().min(from + 32)).find(|&j| t.ch(j) == Some('】'))?;
        let inner = &s[t.off(from + 1)..t.off(close)];
        (dateline_end(inner) && !inner.contains(['，', '。', '：'])).then_some((from + 1, close))
    };
    let (inner, whole, at_start) = if t.ch(0) == Some('【') {
        let (a, b) = bracketed(0)?;
        ((a, b), (0, b + 1), true)
    } else if let Some(end) = (1..t.len().min(26))
        .find(|&j| {
            t.ch(j)
                .is_some_and(|c| c.is_whitespace() || matches!(c, '：' | ':' | '，'))
        })
        .or((t.len() <= 25).then_some(t.len()))
    {
        let head = &s[..t.off(end)];
        if dateline_end(head) && (head.contains('社') || head.starts_with("本报")) {
            ((0, end), (0, end), true)
        } else {
            trailing(t, &bracketed)?
        }
    } else {
        trailing(t, &bracketed)?
    };
    // The day: the last numeral followed by 日 inside; a month before it.
    let (mut day, mut day_span, mut month) = (None, None, None);
    let mut j = inner.0;
    while j < inner.1 {
        match t.numeral(j) {
            Some(n) if n.values.len() == 1 => {
                let v = n.values[0];
                if t.ch(n.end) == Some('日') && (1.0..=31.0).contains(&v) {
                    day = Some(v as u32);
                    day_span = Some(t.span(n.start, n.end + 1));
                } else if t.ch(n.end) == Some('月') && (1.0..=12.0).contains(&v) {
                    month = Some(v as u32);
                }
                j = n.end.max(j + 1);
            }
            Some(n) => j = n.end.max(j + 1),
            None => j += 1,
        }
    }
    Some(Dateline {
        span: t.span(whole.0, whole.1),
        day_span,
        day,
        month,
        at_start,
    })
}

type Found = ((usize, usize), (usize, usize), bool);

/// A bracketed dateline after the start of the text.
fn trailing(t: &Text, bracketed: &dyn Fn(usize) -> Option<(usize, usize)>) -> Option<Found> {
    let mut from = 1;
    while from < t.len() {
        if t.ch(from) == Some('【') {
            if let Some((a, b)) = bracketed(from) {
                return Some(((a, b), (from, b + 1), false));
            }
        }
        from += 1;
    }
    None
}

// ---------------------------------------------------------------------------------------
// English
// ---------------------------------------------------------------------------------------

/// One value written in an English text.
#[derive(Debug, Clone, PartialEq)]
pub struct EnglishItem {
    pub span: Range<usize>,
    pub value: Value,
    /// `18th`, `eighteenth`: an ordinal (days of the month are written so).
    pub ordinal: bool,
}

/// The values an English text writes, to look Chinese mentions up in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct English {
    /// Sorted, without repeats.
    nums: Vec<f64>,
    months: u16,
    weekdays: u8,
}

impl English {
    /// The values of `s`.
    pub fn new(s: &str) -> English {
        let mut e = English::default();
        for it in english_items(s) {
            match it.value {
                Value::Num(n) => e.nums.push(n),
                Value::Month(m) => e.months |= 1 << m,
                Value::Weekday(d) => e.weekdays |= 1 << d,
            }
        }
        e.tidy();
        e
    }

    /// The values of several texts together.
    pub fn union<'a>(parts: impl IntoIterator<Item = &'a English>) -> English {
        let mut e = English::default();
        for p in parts {
            e.nums.extend_from_slice(&p.nums);
            e.months |= p.months;
            e.weekdays |= p.weekdays;
        }
        e.tidy();
        e
    }

    fn tidy(&mut self) {
        self.nums.retain(|n| !n.is_nan());
        self.nums.sort_unstable_by(f64::total_cmp);
        self.nums.dedup();
    }

    /// Whether the text writes `v`.
    pub fn contains(&self, v: Value) -> bool {
        match v {
            Value::Num(n) => {
                let tolerance = 1e-9 * n.abs().max(1.0);
                let i = self.nums.partition_point(|x| *x < n - tolerance);
                self.nums.get(i).is_some_and(|x| same(*x, n))
            }
            Value::Month(m) => m < 16 && self.months & (1 << m) != 0,
            Value::Weekday(d) => d < 8 && self.weekdays & (1 << d) != 0,
        }
    }

    /// Whether the text writes any value `m` accepts.
    pub fn satisfies(&self, m: &Mention) -> bool {
        m.values.iter().any(|v| self.contains(*v))
    }
}

/// The value of `w` in a table of words.
fn lookup(table: &[(&str, f64)], w: &str) -> Option<f64> {
    table.iter().find(|(k, _)| *k == w).map(|&(_, v)| v)
}

/// The words, besides those of the tables, that [`english_word`] reads (lower-case).
const OTHER_WORDS: &[&str] = &[
    "a",
    "an",
    "and",
    "half",
    "halves",
    "quarter",
    "quarters",
    "dozen",
    "noon",
    "midday",
    "decade",
    "centenary",
    "centennial",
    "bicentenary",
    "bicentennial",
    "tercentenary",
    "tricentennial",
];

/// The longest word [`english_items`] reads.
const LONGEST_WORD: usize = 16;

/// Which (length, first letter, second letter) the lower-case words [`english_word`] reads
/// have: most running words are told apart by these three alone, without the hundred
/// comparisons of the word tables.
static WORD_SHAPES: LazyLock<Vec<bool>> = LazyLock::new(|| {
    let mut shapes = vec![false; word_shape(&"z".repeat(LONGEST_WORD)).unwrap_or(0) + 1];
    let mut add = |w: &str| {
        if let Some(k) = word_shape(w) {
            shapes[k] = true;
        }
    };
    let tables = [
        UNIT_WORDS,
        TENS_WORDS,
        ORDINAL_WORDS,
        SCALE_WORDS,
        MULTIPLE_WORDS,
        DECADE_WORDS,
    ];
    for (w, _) in tables.iter().flat_map(|t| t.iter()) {
        add(w);
    }
    for w in OTHER_WORDS {
        add(w);
    }
    // `thirds` (see `plural_denominator`), `sixfold` (the `-fold` words of `english_word`).
    for (w, _) in ORDINAL_WORDS {
        add(&format!("{w}s"));
    }
    for (w, _) in UNIT_WORDS.iter().chain(TENS_WORDS) {
        add(&format!("{w}fold"));
    }
    shapes
});

/// The index of a word's shape, lower-cased, in [`WORD_SHAPES`]: `None` for words whose
/// first two characters are not letters, or longer than [`LONGEST_WORD`].
fn word_shape(w: &str) -> Option<usize> {
    let b = w.as_bytes();
    let letter = |c: u8| {
        let c = c.to_ascii_lowercase();
        c.is_ascii_lowercase().then(|| usize::from(c - b'a'))
    };
    let first = letter(*b.first()?)?;
    // A one-letter word has no second letter: 26 stands for none.
    let second = match b.get(1) {
        Some(&c) => letter(c)?,
        None => 26,
    };
    (b.len() <= LONGEST_WORD).then(|| (b.len() * 26 + first) * 27 + second)
}

/// Whether `raw` (as written) is certainly no word [`english_word`] reads: it starts
/// lower-case (month and weekday names and Roman numerals do not) and its shape is none of
/// a number word's.
fn plain_word(raw: &str) -> bool {
    raw.as_bytes().first().is_some_and(u8::is_ascii_lowercase)
        && word_shape(raw).is_some_and(|k| !WORD_SHAPES[k])
}

const UNIT_WORDS: &[(&str, f64)] = &[
    ("zero", 0.0),
    ("nought", 0.0),
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
];

fn unit_word(w: &str) -> Option<f64> {
    lookup(UNIT_WORDS, w)
}

const TENS_WORDS: &[(&str, f64)] = &[
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fourty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
];

fn tens_word(w: &str) -> Option<f64> {
    lookup(TENS_WORDS, w)
}

const ORDINAL_WORDS: &[(&str, f64)] = &[
    ("first", 1.0),
    ("second", 2.0),
    ("third", 3.0),
    ("fourth", 4.0),
    ("fifth", 5.0),
    ("sixth", 6.0),
    ("seventh", 7.0),
    ("eighth", 8.0),
    ("ninth", 9.0),
    ("tenth", 10.0),
    ("eleventh", 11.0),
    ("twelfth", 12.0),
    ("thirteenth", 13.0),
    ("fourteenth", 14.0),
    ("fifteenth", 15.0),
    ("sixteenth", 16.0),
    ("seventeenth", 17.0),
    ("eighteenth", 18.0),
    ("nineteenth", 19.0),
    ("twentieth", 20.0),
    ("thirtieth", 30.0),
    ("fortieth", 40.0),
    ("fiftieth", 50.0),
    ("sixtieth", 60.0),
    ("seventieth", 70.0),
    ("eightieth", 80.0),
    ("ninetieth", 90.0),
    ("hundredth", 100.0),
    ("thousandth", 1000.0),
];

fn ordinal_word(w: &str) -> Option<f64> {
    lookup(ORDINAL_WORDS, w)
}

/// `thirds`, `quarters`: the denominator of a plural fraction word.
fn plural_denominator(w: &str) -> Option<f64> {
    match w {
        "halves" => Some(2.0),
        "quarters" => Some(4.0),
        _ => w
            .strip_suffix('s')
            .and_then(ordinal_word)
            .filter(|d| *d >= 3.0),
    }
}

const SCALE_WORDS: &[(&str, f64)] = &[
    ("hundred", 100.0),
    ("thousand", 1e3),
    ("million", 1e6),
    ("billion", 1e9),
];

fn scale_word(w: &str) -> Option<f64> {
    lookup(SCALE_WORDS, w)
}

const MULTIPLE_WORDS: &[(&str, f64)] = &[
    ("twice", 2.0),
    ("double", 2.0),
    ("doubled", 2.0),
    ("doubling", 2.0),
    ("doubles", 2.0),
    ("twofold", 2.0),
    ("triple", 3.0),
    ("tripled", 3.0),
    ("tripling", 3.0),
    ("treble", 3.0),
    ("trebled", 3.0),
    ("threefold", 3.0),
    ("thrice", 3.0),
    ("quadruple", 4.0),
    ("quadrupled", 4.0),
    ("fourfold", 4.0),
    ("fivefold", 5.0),
    ("quintupled", 5.0),
    ("sixfold", 6.0),
    ("sevenfold", 7.0),
    ("eightfold", 8.0),
    ("ninefold", 9.0),
    ("tenfold", 10.0),
    ("hundredfold", 100.0),
];

fn multiple_word(w: &str) -> Option<f64> {
    lookup(MULTIPLE_WORDS, w)
}

const DECADE_WORDS: &[(&str, f64)] = &[
    ("twenties", 20.0),
    ("thirties", 30.0),
    ("forties", 40.0),
    ("fifties", 50.0),
    ("sixties", 60.0),
    ("seventies", 70.0),
    ("eighties", 80.0),
    ("nineties", 90.0),
];

fn decade_word(w: &str) -> Option<f64> {
    lookup(DECADE_WORDS, w)
}

/// A month name or abbreviation, capitalised as in running text (`May`, not the verb).
fn month_word(w: &str) -> Option<u8> {
    if let Some(i) = MONTHS.iter().position(|m| *m == w) {
        return Some(i as u8 + 1);
    }
    Some(match w {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" | "Sept" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    })
}

fn weekday_word(w: &str) -> Option<u8> {
    WEEKDAYS.iter().position(|d| *d == w).map(|i| i as u8 + 1)
}

/// `II` … `XXXIX` (a lone `I` is the pronoun).
fn roman(w: &str) -> Option<f64> {
    if w.len() < 2 || !w.bytes().all(|b| matches!(b, b'I' | b'V' | b'X')) {
        return None;
    }
    let val = |b: u8| match b {
        b'I' => 1,
        b'V' => 5,
        _ => 10,
    };
    let b = w.as_bytes();
    let mut total = 0i32;
    for i in 0..b.len() {
        let v = val(b[i]);
        if i + 1 < b.len() && val(b[i + 1]) > v {
            total -= v;
        } else {
            total += v;
        }
    }
    (2..=39).contains(&total).then_some(f64::from(total))
}

/// The kind of the last word of a number phrase, which decides what may follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Last {
    Unit,
    Tens,
    Hundred,
    Scale,
}

/// A number written in words, being read: `three hundred and fifty thousand`.
#[derive(Debug, Default)]
struct Phrase {
    active: bool,
    total: f64,
    cur: f64,
    span: Range<usize>,
    last: Option<Last>,
    /// `and` seen inside the phrase (`one hundred and five`, `one and a half`).
    and: bool,
}

impl Phrase {
    fn value(&self) -> f64 {
        self.total + self.cur
    }

    fn flush(&mut self, out: &mut Vec<EnglishItem>) {
        if self.active {
            out.push(EnglishItem {
                span: self.span.clone(),
                value: Value::Num(self.value()),
                ordinal: false,
            });
        }
        *self = Phrase::default();
    }

    fn start(&mut self, out: &mut Vec<EnglishItem>, span: Range<usize>, v: f64, last: Last) {
        self.flush(out);
        self.active = true;
        self.cur = v;
        self.span = span;
        self.last = Some(last);
    }
}

/// Every value an English text writes, in order.
pub fn english_items(s: &str) -> Vec<EnglishItem> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut ph = Phrase::default();
    let mut article = false; // `a`/`an` right before
    let mut prev_word = "";
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            ph.flush(&mut out);
            article = false;
            i = english_digits(s, i, &mut out);
        } else if c.is_ascii_alphabetic() {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphabetic() || b[i] == b'\'') {
                i += 1;
            }
            // `…'s` and `…'` trimmed (by hand: a string pattern costs a searcher a word).
            let mut raw = &s[start..i];
            while let Some(r) = raw.strip_suffix("'s") {
                raw = r;
            }
            let raw = raw.trim_end_matches('\'');
            let span = start..start + raw.len();
            let mut buf = [0u8; 16];
            if raw.len() > buf.len() {
                ph.flush(&mut out);
                article = false;
                continue;
            }
            if plain_word(raw) {
                // What `english_word` does with a word that is no number.
                ph.flush(&mut out);
                article = false;
                prev_word = raw;
                continue;
            }
            buf[..raw.len()].copy_from_slice(raw.as_bytes());
            buf[..raw.len()].make_ascii_lowercase();
            let w = std::str::from_utf8(&buf[..raw.len()]).unwrap_or("");
            if raw == "Day" {
                if let Some(m) = festival_month(prev_word) {
                    out.push(EnglishItem {
                        span: span.clone(),
                        value: Value::Month(m),
                        ordinal: false,
                    });
                }
            }
            english_word(raw, w, span, &mut ph, &mut article, &mut out);
            prev_word = raw;
        } else if c == b' ' || c == b'-' {
            i += 1;
        } else {
            ph.flush(&mut out);
            article = false;
            prev_word = "";
            i += s[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    ph.flush(&mut out);
    out
}

/// `Children's Day` is June (六一), `Army Day` August (八一): the month of a named day.
fn festival_month(word: &str) -> Option<u8> {
    Some(match word {
        "Women" => 3,
        "Labor" | "Labour" | "Youth" => 5,
        "Children" => 6,
        "Army" => 8,
        "National" => 10,
        _ => return None,
    })
}

/// Reads the digits at `i` (`80,000`, `0.64`, `18th`, `1950s`, `35 thousand`); returns
/// where reading goes on.
fn english_digits(s: &str, i: usize, out: &mut Vec<EnglishItem>) -> usize {
    let b = s.as_bytes();
    let digit = |j: usize| j < b.len() && b[j].is_ascii_digit();
    let mut j = i;
    while digit(j) {
        j += 1;
    }
    let mut text: String = s[i..j].to_owned();
    if j - i <= 3 {
        while b.get(j) == Some(&b',') && (1..=3).all(|k| digit(j + k)) && !digit(j + 4) {
            text.push_str(&s[j + 1..j + 4]);
            j += 4;
        }
    }
    if b.get(j) == Some(&b'.') && digit(j + 1) {
        let f = j;
        j += 1;
        while digit(j) {
            j += 1;
        }
        text.push_str(&s[f..j]);
    }
    let mut value: f64 = text.parse().unwrap_or(0.0);
    let mut end = j;
    let mut ordinal = false;
    let suffix_end = (j..b.len())
        .find(|&k| !b[k].is_ascii_alphabetic())
        .unwrap_or(b.len());
    let suffix = &s[j..suffix_end];
    if ["st", "nd", "rd", "th"]
        .iter()
        .any(|x| suffix.eq_ignore_ascii_case(x))
    {
        ordinal = true;
        end = suffix_end;
    } else if suffix == "s" {
        end = suffix_end; // 1950s
    }
    // `35 thousand`, `1.2 million`.
    let rest = &s[end..];
    let trimmed = rest.trim_start_matches(' ');
    let word_end = trimmed
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(trimmed.len());
    if let Some(scale) = scale_word(&trimmed[..word_end]) {
        out.push(EnglishItem {
            span: i..end,
            value: Value::Num(value),
            ordinal,
        });
        value *= scale;
        end += rest.len() - trimmed.len() + word_end;
        ordinal = false;
    }
    out.push(EnglishItem {
        span: i..end,
        value: Value::Num(value),
        ordinal,
    });
    end.max(j)
}

/// One word: `raw` as written, `w` lowercased.
fn english_word(
    raw: &str,
    w: &str,
    span: Range<usize>,
    ph: &mut Phrase,
    article: &mut bool,
    out: &mut Vec<EnglishItem>,
) {
    let was_article = std::mem::replace(article, false);
    let push = |out: &mut Vec<EnglishItem>, v: Value, ordinal: bool| {
        out.push(EnglishItem {
            span: span.clone(),
            value: v,
            ordinal,
        })
    };
    if let Some(r) = roman(raw) {
        ph.flush(out);
        push(out, Value::Num(r), true);
        return;
    }
    if let Some(m) = month_word(raw) {
        ph.flush(out);
        push(out, Value::Month(m), false);
        return;
    }
    if let Some(d) = weekday_word(raw) {
        ph.flush(out);
        push(out, Value::Weekday(d), false);
        return;
    }
    let extend = |ph: &mut Phrase| ph.span.end = span.end;
    if let Some(n) = unit_word(w).or_else(|| tens_word(w)) {
        let tens = tens_word(w).is_some();
        let joins = ph.active
            && match ph.last {
                Some(Last::Tens) => !tens && n < 10.0,
                Some(Last::Hundred | Last::Scale) => ph.cur % 100.0 == 0.0 && n < 100.0,
                _ => false,
            };
        if joins {
            ph.cur += n;
            ph.last = Some(if tens { Last::Tens } else { Last::Unit });
            ph.and = false;
            extend(ph);
        } else {
            ph.start(out, span, n, if tens { Last::Tens } else { Last::Unit });
        }
        return;
    }
    if let Some(sc) = scale_word(w) {
        if ph.active {
            if sc == 100.0 {
                ph.cur = ph.cur.max(1.0) * 100.0;
                ph.last = Some(Last::Hundred);
            } else {
                ph.total += ph.cur.max(1.0) * sc;
                ph.cur = 0.0;
                ph.last = Some(Last::Scale);
            }
            extend(ph);
        } else {
            let last = if sc == 100.0 {
                Last::Hundred
            } else {
                Last::Scale
            };
            ph.start(out, span, sc, last);
        }
        return;
    }
    match w {
        "a" | "an" => {
            if ph.and {
                // `one and a half`: keep the phrase open.
                *article = true;
                return;
            }
            ph.flush(out);
            *article = true;
            return;
        }
        "and" if ph.active => {
            ph.and = true;
            return;
        }
        "half" => {
            if ph.active && ph.and {
                let v = ph.value() + 0.5;
                ph.flush(out);
                push(out, Value::Num(v), false);
            } else {
                ph.flush(out);
            }
            push(out, Value::Num(0.5), false);
            return;
        }
        "quarter" => {
            let v = if ph.active { ph.value() } else { 1.0 };
            ph.flush(out);
            push(out, Value::Num(v / 4.0), false);
            return;
        }
        "dozen" => {
            if ph.active {
                ph.cur *= 12.0;
                extend(ph);
            } else if was_article {
                ph.start(out, span, 12.0, Last::Scale);
            }
            return;
        }
        "noon" | "midday" => {
            ph.flush(out);
            push(out, Value::Num(12.0), false);
            return;
        }
        "decade" | "centenary" | "centennial" | "bicentenary" | "bicentennial" | "tercentenary"
        | "tricentennial" => {
            ph.flush(out);
            let n = match w {
                "decade" => 10.0,
                "centenary" | "centennial" => 100.0,
                "bicentenary" | "bicentennial" => 200.0,
                _ => 300.0,
            };
            push(out, Value::Num(n), false);
            return;
        }
        _ => {}
    }
    if let Some(n) = ordinal_word(w) {
        if ph.active && ph.last == Some(Last::Tens) && n < 10.0 {
            // twenty-first
            let v = ph.value() + n;
            *ph = Phrase::default();
            push(out, Value::Num(v), true);
        } else if ph.active && ph.value() < 20.0 && (3.0..=100.0).contains(&n) {
            // one-third, two fifths
            let v = ph.value() / n;
            ph.flush(out);
            push(out, Value::Num(v), false);
            push(out, Value::Num(n), true);
        } else {
            ph.flush(out);
            push(out, Value::Num(n), true);
            if (3.0..=10.0).contains(&n) {
                push(out, Value::Num(1.0 / n), false); // a third
            }
        }
        return;
    }
    if let Some(d) = plural_denominator(w) {
        if ph.active {
            let v = ph.value() / d;
            ph.flush(out);
            push(out, Value::Num(v), false);
        }
        return;
    }
    ph.flush(out);
    if let Some(n) = multiple_word(w).or_else(|| decade_word(w)) {
        push(out, Value::Num(n), false);
    } else if let Some(n) = w
        .strip_suffix("fold")
        .and_then(|p| unit_word(p).or_else(|| tens_word(p)))
    {
        push(out, Value::Num(n), false);
    }
}

/// The days of the month an English text writes: ordinals up to 31st, and numbers next to
/// a month name (`May 27`, `27 May`), with the month when there is one. Each span covers
/// the day as written, its month included.
pub fn english_days(s: &str) -> Vec<(Range<usize>, u32, Option<u8>)> {
    let items = english_items(s);
    let mut out = Vec::new();
    let near = |a: &Range<usize>, b: &Range<usize>| {
        a.end <= b.start
            && s[a.end..b.start]
                .chars()
                .all(|c| matches!(c, ' ' | '.' | ','))
    };
    for (k, it) in items.iter().enumerate() {
        let Value::Num(n) = it.value else { continue };
        if n.fract() != 0.0 || !(1.0..=31.0).contains(&n) {
            continue;
        }
        let month = |j: Option<usize>| -> Option<u8> {
            let other = &items[j?];
            match other.value {
                Value::Month(m) => Some(m),
                _ => None,
            }
        };
        let before = month(k.checked_sub(1)).filter(|_| near(&items[k - 1].span, &it.span));
        let after = month(Some(k + 1).filter(|j| *j < items.len()))
            .filter(|_| near(&it.span, &items[k + 1].span));
        let m = before.or(after);
        let digits = s[it.span.clone()].starts_with(|c: char| c.is_ascii_digit());
        if m.is_some() || (it.ordinal && digits) {
            // The span covers the month too: `June 1st`, `27 May`.
            let span = if before.is_some() {
                items[k - 1].span.start..it.span.end
            } else if after.is_some() {
                it.span.start..items[k + 1].span.end
            } else {
                it.span.clone()
            };
            out.push((span, n as u32, m));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (covered text, values) of every mention of `s`.
    fn mentions(s: &str) -> Vec<(String, Vec<Value>)> {
        chinese(s)
            .into_iter()
            .map(|m| (s[m.span].to_owned(), m.values))
            .collect()
    }

    /// The covered text of every mention checked at the default threshold.
    fn checked(s: &str) -> Vec<String> {
        chinese(s)
            .into_iter()
            .filter(|m| m.is_checked(10))
            .map(|m| s[m.span].to_owned())
            .collect()
    }

    fn nums(v: &[f64]) -> Vec<Value> {
        v.iter().map(|n| Value::Num(*n)).collect()
    }

    #[track_caller]
    fn one(s: &str, covered: &str, values: &[Value]) {
        let got = mentions(s);
        let close = |a: &[Value], b: &[Value]| {
            a.len() == b.len()
                && a.iter().zip(b).all(|(x, y)| match (x, y) {
                    (Value::Num(x), Value::Num(y)) => same(*x, *y),
                    _ => x == y,
                })
        };
        assert!(
            got.iter().any(|(c, v)| c == covered && close(v, values)),
            "{s}: expected {covered} {values:?}, got {got:?}"
        );
    }

    #[test]
    fn arabic_and_full_width() {
        one("共有1952人", "1952", &nums(&[1952.0]));
        one("约１４５、０００人", "１４５、０００", &nums(&[145000.0]));
        one("给了80,000吨", "80,000", &nums(&[80000.0]));
        one("水位２６．００", "２６．００", &nums(&[26.0]));
        one("上涨1.93公尺", "1.93", &nums(&[1.93]));
        one("增产1.2万斤", "1.2万", &nums(&[12000.0]));
        one("有18亿", "18亿", &nums(&[1.8e9]));
        // A dotted date is no decimal.
        one("1998.3.5签订", "1998.3.5", &nums(&[1998.0]));
        assert!(checked("1998.3.5签订").iter().all(|c| c == "1998.3.5"));
    }

    #[test]
    fn chinese_numerals() {
        one("三千五百人", "三千五百", &nums(&[3500.0]));
        one("三百五人", "三百五", &nums(&[350.0]));
        one("一万二人", "一万二", &nums(&[12000.0]));
        one("四万万同胞", "四万万", &nums(&[4e8]));
        one("一亿二千万人", "一亿二千万", &nums(&[1.2e8]));
        one("四万万七千五百万同胞", "四万万七千五百万", &nums(&[4.75e8]));
        one("一千零五户", "一千零五", &nums(&[1005.0]));
        one("十个馍", "十", &nums(&[10.0]));
        one("十四年的苦难", "十四", &nums(&[14.0, 1925.0]));
        one("廿五日", "廿五", &nums(&[25.0]));
        one("一万两千人", "一万两千", &nums(&[12000.0]));
        one("零点六四公尺", "零点六四", &nums(&[0.64]));
        one("三点五公斤", "三点五", &nums(&[3.5]));
    }

    #[test]
    fn positional_runs() {
        one("一九五二年", "一九五二", &nums(&[1952.0]));
        one("一二〇师", "一二〇", &nums(&[120.0]));
        one("八○元", "八○", &nums(&[80.0]));
        one("一五○户", "一五○", &nums(&[150.0]));
        one("南宫四三四○", "四三四○", &nums(&[4340.0]));
    }

    #[test]
    fn about_gives_the_base_value() {
        one("四百多牛马车", "四百", &nums(&[400.0]));
        one("千余人", "千", &nums(&[1000.0]));
        one("三百多万人", "三百多万", &nums(&[3e6]));
        one("二十来岁", "二十", &nums(&[20.0]));
    }

    #[test]
    fn ranges_give_either_value() {
        one("三四个人", "三四", &nums(&[3.0, 4.0]));
        one("五六十人", "五六十", &nums(&[50.0, 60.0]));
        one("十七八岁", "十七八", &nums(&[17.0, 18.0]));
        one("二三十万", "二三十万", &nums(&[200000.0, 300000.0]));
        one("三两天", "三两", &nums(&[3.0, 2.0]));
        one("相距三五里", "三五", &nums(&[3.0, 5.0]));
    }

    #[test]
    fn percentages_fractions_tenths_multiples() {
        one("百分之二十", "百分之二十", &nums(&[20.0, 0.2]));
        one("百分之20", "百分之20", &nums(&[20.0, 0.2]));
        one("三分之一", "三分之一", &nums(&[1.0 / 3.0]));
        one("八成以上", "八", &nums(&[80.0, 0.8, 8.0]));
        one("增加三倍", "三", &nums(&[3.0, 4.0, 300.0]));
        assert_eq!(checked("八成以上"), ["八"]);
        assert!(checked("三分之二的人").is_empty());
        // 成 beginning a word is not a tenth.
        assert!(checked("分三成为三组").is_empty());
    }

    #[test]
    fn clock_times() {
        one("下午三时", "三", &nums(&[3.0, 15.0]));
        one("上午八点钟", "八", &nums(&[8.0]));
        assert_eq!(checked("下午三时开会"), ["三"]);
        assert_eq!(checked("八时三十分"), ["八", "三十"]);
        assert_eq!(checked("八时五分"), ["八", "五"]);
        // A dot that is not an hour is not a counter.
        assert!(checked("提出三点意见").is_empty());
    }

    #[test]
    fn dates() {
        one("八月三日", "八", &[Value::Num(8.0), Value::Month(8)]);
        one("八月三日", "三", &nums(&[3.0]));
        assert_eq!(checked("八月三日"), ["八", "三"]);
        assert_eq!(checked("于22日任命"), ["22"]);
        one("四九年", "四九", &nums(&[49.0, 1949.0]));
        one("四○年", "四○", &nums(&[40.0, 1940.0]));
        one("三十五年", "三十五", &nums(&[35.0, 1946.0]));
        one("五十年代", "五十", &nums(&[50.0, 1950.0]));
        one("星期三", "星期三", &[Value::Weekday(3)]);
        one("礼拜天", "礼拜天", &[Value::Weekday(7)]);
        assert_eq!(checked("星期一"), ["星期一"]);
    }

    #[test]
    fn festivals() {
        one(
            "五一节",
            "五一",
            &[Value::Num(51.0), Value::Month(5), Value::Num(1.0)],
        );
        one(
            "九一八事变",
            "九一八",
            &[Value::Num(918.0), Value::Month(9), Value::Num(18.0)],
        );
        assert!(English::new("on May Day").satisfies(&chinese("五一节").remove(0)));
        assert!(
            English::new("International Children's Day").satisfies(&chinese("六一节").remove(0))
        );
    }

    #[test]
    fn measures() {
        one("五十亩一分六厘", "五十亩一分六厘", &nums(&[50.16, 50.0]));
        one("九斗三升", "九斗三升", &nums(&[9.3, 9.0]));
    }

    #[test]
    fn masks() {
        assert!(mentions("一些人一方面十分统一，万岁").is_empty());
        assert!(mentions("四川九江十里铺").is_empty());
        assert!(mentions("千万不要").is_empty());
        assert!(mentions("第二天早晨").is_empty());
        // Not inside a longer numeral.
        one("一万一千人", "一万一千", &nums(&[11000.0]));
        one("三千万人", "三千万", &nums(&[3e7]));
        // Not before 钟: ten minutes.
        one("十分钟", "十", &nums(&[10.0]));
        one("十分之一", "十分之一", &nums(&[0.1]));
        one("万分之一", "万分之一", &nums(&[0.0001]));
        // 三军 is the armed forces, not the Third Army; 新四军 is the New Fourth.
        assert!(checked("三军将士").is_empty());
        assert_eq!(checked("新四军"), ["四"]);
    }

    #[test]
    fn approximate_amounts_are_not_checked() {
        for s in [
            "数十人",
            "几万人",
            "十几人",
            "上万人",
            "万人大会",
            "千里",
            "二十几岁",
            "成千人",
            "成十万人",
        ] {
            assert!(checked(s).is_empty(), "{s}: {:?}", mentions(s));
        }
    }

    #[test]
    fn small_values() {
        // 一 alone never; 2 to 9 only as ordinals.
        assert!(checked("一个人两只手三、公司王云五沈万三").is_empty());
        assert_eq!(checked("富平县七区八乡"), ["七", "八"]);
        assert_eq!(checked("第五休养所"), ["五"]);
        assert!(checked("第一天").is_empty());
        assert_eq!(checked("第三届"), ["三"]);
        // 两 only counts: two roads, one or two months.
        assert!(checked("两条路").is_empty());
        assert!(checked("雇过一两月短工").is_empty());
        // A decimal is kept by the English whatever its size.
        assert_eq!(
            checked("落了零点六四公尺，上涨１．９３公尺"),
            ["零点六四", "１．９３"]
        );
    }

    #[test]
    fn list_counts_are_skipped() {
        assert!(checked("北京、天津两区").is_empty());
        assert!(checked("河北、山东和河南三区").is_empty());
        assert_eq!(checked("北京、天津三区"), ["三"]);
        assert!(mentions("甲、乙、丙、丁、戊、己、庚、辛、壬、癸十人").is_empty());
    }

    #[test]
    fn datelines() {
        let s = "【新华社延安二十七日电】中央社牯岭讯";
        let d = dateline(s).unwrap();
        assert_eq!(&s[d.span.clone()], "【新华社延安二十七日电】");
        assert_eq!(d.day, Some(27));
        assert_eq!(&s[d.day_span.unwrap()], "二十七日");
        let s = "新华社31日讯　芬兰共和国总统已于22日任命";
        let d = dateline(s).unwrap();
        assert_eq!((&s[d.span], d.day), ("新华社31日讯", Some(31)));
        let d = dateline("【南京三十一日消息】").unwrap();
        assert_eq!(d.day, Some(31));
        let d = dateline("【新华社北京五月二十七日电】").unwrap();
        assert_eq!((d.day, d.month), (Some(27), Some(5)));
        assert_eq!(dateline("【本报讯】太行区").unwrap().day, None);
        assert_eq!(dateline("【邢台消息】").unwrap().day, None);
        let d = dateline("封建压迫将推翻掉。【新华社陕北三十日电】").unwrap();
        assert!(!d.at_start && d.day == Some(30));
        assert!(dateline("我们的电").is_none());
        assert!(dateline("中国人民将要胜利。").is_none());
    }

    fn en(s: &str) -> English {
        English::new(s)
    }

    #[test]
    fn english_digits_and_words() {
        let e = en("80,000 tons, 0.64 meters, the 18th, 1950s, 35 thousand, 1.2 million");
        for n in [80000.0, 0.64, 18.0, 1950.0, 35000.0, 1.2e6] {
            assert!(e.contains(Value::Num(n)), "{n}");
        }
        let e = en("fifty-six years, three hundred and fifty, a hundred miles, two thousand");
        for n in [56.0, 350.0, 100.0, 2000.0] {
            assert!(e.contains(Value::Num(n)), "{n}");
        }
        let e = en("the twenty-seventh, the Fifth Sanatorium, one-third, two-thirds, half");
        for n in [27.0, 5.0, 1.0 / 3.0, 2.0 / 3.0, 0.5] {
            assert!(e.contains(Value::Num(n)), "{n}");
        }
        let e = en("twice as many, a threefold rise, ten-fold, in his fifties, World War II");
        for n in [2.0, 3.0, 10.0, 50.0] {
            assert!(e.contains(Value::Num(n)), "{n}");
        }
        let e = en("8:30 AM on Wednesday, August 3, 20%, 20 percent");
        for n in [8.0, 30.0, 3.0, 20.0] {
            assert!(e.contains(Value::Num(n)), "{n}");
        }
        assert!(e.contains(Value::Month(8)) && e.contains(Value::Weekday(3)));
        assert!(!en("you may go").contains(Value::Month(5)));
        assert!(en("in May").contains(Value::Month(5)));
        assert!(!en("five six").contains(Value::Num(56.0)));
        assert!(!en("thousands of people").contains(Value::Num(1000.0)));
    }

    #[test]
    fn english_day_forms() {
        let days = |s: &str| -> Vec<(u32, Option<u8>)> {
            english_days(s)
                .into_iter()
                .map(|(_, d, m)| (d, m))
                .collect()
        };
        assert_eq!(days("[Xinhua News Agency, Yan'an, 27th]"), [(27, None)]);
        assert_eq!(days("New China News Agency, June 1st"), [(1, Some(6))]);
        assert_eq!(days("Beijing, May 27 (Xinhua)"), [(27, Some(5))]);
        assert_eq!(days("27 May"), [(27, Some(5))]);
        assert!(days("There were 27 people").is_empty());
    }

    #[test]
    fn mentions_match_english() {
        let m = |s: &str| chinese(s).remove(0);
        assert!(en("more than 400 carts").satisfies(&m("四百多牛马车")));
        assert!(en("the seventh district").satisfies(&m("七区")));
        assert!(!en("the Eighth District").satisfies(&m("七区")));
        assert!(en("at 3 pm").satisfies(&m("下午三时")));
        assert!(en("at 15:00").satisfies(&m("下午三时")));
        assert!(en("in 1946").satisfies(&m("三十五年")));
        assert!(en("in 1949").satisfies(&m("四九年")));
        assert!(en("20%").satisfies(&m("百分之二十")));
        assert!(en("one fifth").satisfies(&m("百分之二十")));
        assert!(en("80 percent").satisfies(&m("八成")));
        assert!(en("fourfold").satisfies(&m("三倍")));
        assert!(en("in August").satisfies(&m("八月")));
        assert!(en("on Wednesday").satisfies(&m("星期三")));
        assert!(en("50.16 mu").satisfies(&m("五十亩一分六厘")));
        assert!(en("50 mu, 1 fen and 6 li").satisfies(&m("五十亩一分六厘")));
    }

    #[test]
    fn describe() {
        assert_eq!(chinese("二十二").remove(0).describe(), "22");
        assert_eq!(chinese("三四个").remove(0).describe(), "3 or 4");
        assert_eq!(chinese("八月").remove(0).describe(), "8 or August");
    }
}
