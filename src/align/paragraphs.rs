//! Paragraph alignment: what each paragraph weighs, which paragraphs are titles and credits,
//! the calibration of the ratio, and the preference for the diagonal.
//!
//! 1. Each paragraph gets a length ([`english_len`], [`chinese_len`]), a cost of being left
//!    unpaired (cheap for *minor* lines: see [`MINOR_PRIOR`]), and an end class (stop,
//!    colon, comma, bare).
//! 2. Leading lines that repeat the title are found on each side. When both sides have
//!    them, the two title blocks are aligned apart from the bodies; when one side has
//!    none, its partner's title lines are minor (dropped titles are common).
//! 3. A first pass at [`PRIOR_RATIO`] (with equal counts, simply the 1-1 chain) gives the
//!    confident 1-1 pairs; their median ratio, when there are three or more, is the
//!    document's ratio for the final pass. Otherwise the prior stays, with its uncertainty
//!    ([`PRIOR_SPREAD`]).
//! 4. The final path departs from the 1-1 chain (equal counts) or the positional pairing
//!    (unequal counts) only where it is clearly cheaper.

use super::gale_church::{self, end_penalty, skip_cost, Model, Step, Units};
use super::{Alignment, Bead, PRIOR_RATIO};
use crate::syntax::{Document, FieldKey};
use crate::text::is_han;

/// Gale-Church's variance of English characters per Chinese character (`s²`).
pub const VARIANCE: f64 = 48.0;

/// How far a document's ratio may lie from [`PRIOR_RATIO`] when it could not be measured
/// (fewer than three confident pairs), as a standard deviation. Measured on the corpus:
/// the 41 files with three or more confident pairs have ratios with a median of 4.13 and a
/// standard deviation of 0.63 (3.24 to 7.18). Within a calibrated file the pairs scatter
/// less than Gale and Church's `s²` predicts (|δ| has a standard deviation of 0.6–0.7), so
/// a calibrated document needs no spread. See [`Model::spread`].
pub const PRIOR_SPREAD: f64 = 0.6;

/// The cost of leaving a *minor* paragraph unpaired: a repeated title, a credit line, a
/// short Chinese line that ends a passage, English that is a copy of the Chinese. Gale and
/// Church's 1-0 prior (0.0099) makes a merge with a neighbour (0.089) nine times likelier
/// than a paragraph left out, and a short line barely changes its neighbour's length, so a
/// dropped `（新华社稿）` or title would always be explained as merged into the next
/// paragraph, and every later paragraph's counterpart shifted. At 0.3 leaving such a line
/// out is cheaper than a merge, yet dearer than pairing it when the other side has a line
/// of fitting length (a kept title pairs with the title).
pub const MINOR_PRIOR: f64 = 0.3;

/// With equal paragraph counts, a stretch of the best path that leaves the diagonal is kept
/// only when it is cheaper than the diagonal by this much (in nats, a likelihood factor
/// of about 150).
pub const DIAGONAL_MARGIN: f64 = 5.0;

/// With unequal counts, the alignment replaces the positional pairing (paragraph k with
/// paragraph k, the surplus unpaired at the end) only when it is cheaper by this much. Less
/// than [`DIAGONAL_MARGIN`]: with equal counts a departure needs two faults that cancel
/// out, with unequal counts at least one fault is certain and only its place is in question.
pub const POSITIONAL_MARGIN: f64 = 3.0;

/// Calibration uses 1-1 pairs with at least this many Chinese characters: shorter pairs
/// (titles, names) say little about the ratio.
const CONFIDENT_MIN_CN: f64 = 10.0;
/// … and with |δ| at most this under the prior ratio: a pair that far off is likely a fault
/// (a cut paragraph), not a measurement.
const CONFIDENT_MAX_DELTA: f64 = 3.0;
/// Fewer confident pairs than this and the ratio stays [`PRIOR_RATIO`].
const CONFIDENT_MIN_PAIRS: usize = 3;
/// A Chinese line this short (characters) that ends a passage is minor.
const SHORT_CN: f64 = 6.0;
/// A bracketed credit line is at most this long (Chinese characters; English: ×[`PRIOR_RATIO`]).
const CREDIT_MAX_CN: usize = 40;

/// The length of English text for alignment: characters, a run of white space counting one.
pub fn english_len(s: &str) -> f64 {
    let s = s.trim();
    if s.is_ascii() {
        // Bytes are characters: count the runs of white space once each.
        let mut n = 0usize;
        let mut space = false;
        for &b in s.as_bytes() {
            let white = b.is_ascii_whitespace();
            n += usize::from(!white || !space);
            space = white;
        }
        return n as f64;
    }
    // Byte by byte: a character starts at every byte that is no continuation byte, and
    // only characters starting with one of a few bytes can be white space beyond ASCII.
    let b = s.as_bytes();
    let mut n = 0usize;
    let mut space = false;
    for (i, &c) in b.iter().enumerate() {
        if (0x80..0xC0).contains(&c) {
            continue;
        }
        let white = match c {
            b' ' | 0x09..=0x0D => true,
            0xC2 | 0xE1..=0xE3 => s[i..].chars().next().is_some_and(char::is_whitespace),
            _ => false,
        };
        n += usize::from(!white || !space);
        space = white;
    }
    n as f64
}

/// The length of Chinese text for alignment: characters and punctuation, white space not
/// counted (the OCR pads tables with runs of spaces). Digits, Latin letters and Han
/// numerals written digit by digit (`一九四九`, `四三四○`, three or more) pass into the
/// English one for one instead of becoming four English characters each, so they weigh
/// `1/PRIOR_RATIO`: a price table flattened into a paragraph would otherwise weigh four
/// times its translation and pull the neighbouring paragraphs into its bead.
pub fn chinese_len(s: &str) -> f64 {
    const CARRIED: f64 = 1.0 / PRIOR_RATIO;
    let is_han_digit = |c: char| {
        matches!(
            c,
            '〇' | '○' | '零' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九'
        )
    };
    // Summed in text order, one character at a time: the rounding of the sum decides ties
    // between alignments of repeated text.
    let mut total = 0.0;
    let mut run = 0usize; // the current run of Han digits
    let flush = |run: &mut usize, total: &mut f64| {
        *total += if *run >= 3 {
            *run as f64 * CARRIED
        } else {
            *run as f64
        };
        *run = 0;
    };
    for c in s.chars() {
        // Most characters are common ideographs: neither space nor Latin, so one each
        // (the tests below, in Unicode's tables, are slower).
        if ('\u{4E00}'..='\u{9FFF}').contains(&c) && !is_han_digit(c) {
            flush(&mut run, &mut total);
            total += 1.0;
            continue;
        }
        if is_han_digit(c) {
            run += 1;
            continue;
        }
        flush(&mut run, &mut total);
        if c.is_whitespace() {
            continue;
        }
        total += if c.is_ascii_alphanumeric()
            || matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ')
        {
            CARRIED
        } else {
            1.0
        };
    }
    flush(&mut run, &mut total);
    total
}

/// When the ratio is only assumed, leaving a regular paragraph of more than this many
/// Chinese characters (or their English equivalent) unpaired costs more: [`LONG_SKIP`] per
/// factor e of length.
const SKIP_FREE_LEN: f64 = 10.0;
/// The corpus leaves out short lines (titles, credits, signatures) but never a long
/// paragraph in the middle of a text. With an uncertain ratio the lengths of long
/// paragraphs prove little, and without this a many-to-one bead beside a long paragraph
/// could swallow its translation and call it untranslated for the price of a one-line
/// credit. With a measured ratio the lengths decide, and a dropped paragraph must stay as
/// cheap to find as Gale and Church make it.
const LONG_SKIP: f64 = 0.5;

/// How a paragraph ends, for [`Units::end`]: 1 colon, 2 sentence stop, 3 comma or
/// semicolon, 4 anything else (a heading, a name); closing quotes and brackets skipped.
fn end_class(s: &str) -> u8 {
    let s = s.trim_end_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '”' | '"' | '’' | '\'' | ')' | '）' | ']' | '】' | '」' | '》' | '』' | '*'
            )
    });
    match s.chars().next_back() {
        Some('：' | ':') => 1,
        Some('。' | '！' | '？' | '.' | '!' | '?' | '…') => 2,
        Some('，' | ',' | '；' | ';' | '、') => 3,
        Some(_) => 4,
        None => 0,
    }
}

/// One side's paragraphs as the DP sees them.
struct Side {
    /// Each unit's length as measured (`len` is at least 1).
    measured: Vec<f64>,
    len: Vec<f64>,
    skip: Vec<f64>,
    end: Vec<u8>,
    minor: Vec<bool>,
    /// What [`Side::assume_ratio`] adds to each skip cost.
    long: Vec<f64>,
}

impl Side {
    fn new(capacity: usize) -> Side {
        Side {
            measured: Vec::with_capacity(capacity),
            len: Vec::with_capacity(capacity),
            skip: Vec::with_capacity(capacity),
            end: Vec::with_capacity(capacity),
            minor: Vec::with_capacity(capacity),
            long: Vec::with_capacity(capacity),
        }
    }

    /// Skip costs for an assumed ratio: long regular paragraphs cost more to leave out.
    fn assume_ratio(&mut self) {
        for (skip, long) in self.skip.iter_mut().zip(&self.long) {
            *skip += long;
        }
    }

    fn units(&self, r: std::ops::Range<usize>) -> Units<'_> {
        Units {
            len: &self.len[r.clone()],
            skip: &self.skip[r.clone()],
            end: &self.end[r],
        }
    }

    /// Adds a paragraph of length `len`, `chinese_equivalent` of which is what it weighs in
    /// Chinese characters (for the long-skip cost).
    fn push(&mut self, text: &str, len: f64, chinese_equivalent: f64, minor: bool) {
        self.measured.push(len);
        self.len.push(len.max(1.0));
        self.skip.push(if minor {
            -MINOR_PRIOR.ln()
        } else {
            skip_cost()
        });
        self.long.push(if minor {
            0.0
        } else {
            LONG_SKIP * (chinese_equivalent / SKIP_FREE_LEN).max(1.0).ln()
        });
        self.end.push(end_class(text));
        self.minor.push(minor);
    }

    /// The cost of pairing paragraph `i` of this side with paragraph `j` of `cn`.
    fn pair_cost(&self, i: usize, cn: &Side, j: usize, model: &Model) -> f64 {
        model.pair_cost(1, 1, self.len[i], cn.len[j]) + end_penalty(self.end[i], cn.end[j])
    }
}

/// Aligns the paragraphs of `doc`.
pub(super) fn align(text: &str, doc: &Document) -> Alignment {
    let en_text: Vec<&str> = doc
        .translation
        .paragraphs
        .iter()
        .map(|p| &text[p.text.clone()])
        .collect();
    let cn_text: Vec<&str> = doc
        .original
        .paragraphs
        .iter()
        .map(|p| &text[p.text.clone()])
        .collect();
    let en_title = doc
        .header
        .get(FieldKey::Title)
        .map_or("", |f| &text[f.value.clone()]);
    let cn_title = doc
        .original
        .title
        .as_ref()
        .map_or("", |t| &text[t.text.clone()]);
    let te = title_group(&en_text, en_title, TitleLanguage::English);
    let tc = title_group(&cn_text, cn_title, TitleLanguage::Chinese);

    // A title line is minor when the other side has none (it was dropped there). When both
    // sides have one, the title lines are aligned apart (below) and none of them is minor:
    // each translates part of the other side's title, so a part is joined, not left out
    // (`Correspondence` / `(No. 9)` for `通讯往来  （第九号）`).
    let title = |own: usize, other: usize| {
        if other == 0 {
            Title::Minor(own)
        } else {
            Title::Block(own)
        }
    };
    let mut en = english_side(&en_text, title(te, tc));
    let mut cn = chinese_side(&cn_text, title(tc, te));
    let (n, m) = (en.len.len(), cn.len.len());

    // When both sides open with their title, the titles pair among themselves: a dropped
    // title line on one side cannot then shift the body, nor a body paragraph join a title.
    let split = (te > 0 && tc > 0).then_some((te, tc));
    let run = |en: &Side, cn: &Side, model: &Model| -> Vec<Step> {
        match split {
            Some((te, tc)) => {
                let mut steps = gale_church::align(en.units(0..te), cn.units(0..tc), model);
                steps.extend(gale_church::align(en.units(te..n), cn.units(tc..m), model));
                steps
            }
            None => gale_church::align(en.units(0..n), cn.units(0..m), model),
        }
    };

    // Calibration: Gale-Church at the prior ratio, then the median ratio of its confident
    // 1-1 pairs. That first pass is plain (no spread): loosened, it would explain a
    // dropped paragraph in a short document away as merges and leave nothing to measure.
    let prior = Model {
        ratio: PRIOR_RATIO,
        variance: VARIANCE,
        spread: 0.0,
    };
    // With equal counts the 1-1 chain is the hypothesis to measure on: judged at a ratio
    // that is off, every pair on it looks poor and a detour can look cheaper.
    let first = if n == m {
        (0..n)
            .map(|_| Step {
                en: 1,
                cn: 1,
                cost: 0.0,
            })
            .collect()
    } else {
        run(&en, &cn, &prior)
    };
    let model = match calibrate(&first, &en, &cn, &prior) {
        Some(ratio) => Model { ratio, ..prior },
        // Not measurable: the prior, with its uncertainty (see `Model::spread`), and long
        // paragraphs dearer to leave out.
        None => {
            en.assume_ratio();
            cn.assume_ratio();
            Model {
                spread: PRIOR_SPREAD,
                ..prior
            }
        }
    };
    let steps = run(&en, &cn, &model);
    let steps = if n == m {
        prefer_diagonal(steps, &en, &cn, &model)
    } else {
        prefer_positional(steps, &en, &cn, &model)
    };
    Alignment::from_beads(beads(&steps), model.ratio)
        .with_spread(model.spread)
        .with_lengths(en.measured, cn.measured)
}

/// The median English/Chinese ratio of the confident 1-1 pairs of a first pass, when there
/// are enough of them.
fn calibrate(steps: &[Step], en: &Side, cn: &Side, prior: &Model) -> Option<f64> {
    let mut ratios = Vec::new();
    let (mut i, mut j) = (0, 0);
    for s in steps {
        if (s.en, s.cn) == (1, 1) && !en.minor[i] && !cn.minor[j] {
            let (le, lc) = (en.len[i], cn.len[j]);
            if lc >= CONFIDENT_MIN_CN && prior.delta(le, lc).abs() <= CONFIDENT_MAX_DELTA {
                ratios.push(le / lc);
            }
        }
        i += s.en;
        j += s.cn;
    }
    if ratios.len() < CONFIDENT_MIN_PAIRS {
        return None;
    }
    ratios.sort_by(f64::total_cmp);
    let k = ratios.len();
    let median = if k % 2 == 1 {
        ratios[k / 2]
    } else {
        (ratios[k / 2 - 1] + ratios[k / 2]) / 2.0
    };
    Some(median)
}

/// With equal counts, the 1-1 chain is the default: every stretch where `steps` leaves the
/// diagonal (between two points where as many paragraphs are used on both sides) is put
/// back on it unless it is cheaper by [`DIAGONAL_MARGIN`]. On the diagonal a pair costs at
/// most leaving both paragraphs unpaired, so that one paragraph cut short between matching
/// pairs stays 1-1 (the length check reports it) instead of becoming a merge and a gap.
fn prefer_diagonal(steps: Vec<Step>, en: &Side, cn: &Side, model: &Model) -> Vec<Step> {
    let pair = |t: usize| Step {
        en: 1,
        cn: 1,
        cost: en.pair_cost(t, cn, t, model),
    };
    let mut out = Vec::with_capacity(steps.len());
    let mut i = 0; // paragraphs used on each side at the start of the stretch
    let mut stretch: Vec<Step> = Vec::new();
    let (mut si, mut sj) = (0, 0);
    for s in steps {
        stretch.push(s);
        si += s.en;
        sj += s.cn;
        if si != sj {
            continue;
        }
        let detour = stretch.len() != si - i || stretch.iter().any(|s| (s.en, s.cn) != (1, 1));
        // 2-2 beads on the diagonal hold the same paragraphs as the 1-1 pairs they replace
        // and say less about them (a 2-2 over a cut paragraph and its neighbour hides the
        // cut): always paragraph by paragraph.
        let squares = stretch.iter().all(|s| (s.en, s.cn) == (2, 2));
        let keep = !detour || {
            let path: f64 = stretch.iter().map(|s| s.cost).sum();
            let diagonal: f64 = (i..si)
                .map(|t| pair(t).cost.min(en.skip[t] + cn.skip[t]))
                .sum();
            !squares && path + DIAGONAL_MARGIN < diagonal
        };
        if keep {
            out.append(&mut stretch);
        } else {
            out.extend((i..si).map(pair));
            stretch.clear();
        }
        i = si;
    }
    out.append(&mut stretch);
    out
}

/// With unequal counts, the positional pairing is the default: paragraph k with paragraph
/// k, the surplus of the longer side unpaired at the end. `steps` replaces it only when it
/// is cheaper by [`POSITIONAL_MARGIN`], a pair on it again costing at most leaving both
/// paragraphs unpaired. On real files any misplaced gap shifts every later pair and the
/// alignment wins by far; where the lengths say nothing (lines of a character or two) the
/// reading a reviewer expects stands.
fn prefer_positional(steps: Vec<Step>, en: &Side, cn: &Side, model: &Model) -> Vec<Step> {
    let (n, m) = (en.len.len(), cn.len.len());
    let both = n.min(m);
    let mut positional: Vec<Step> = (0..both)
        .map(|t| Step {
            en: 1,
            cn: 1,
            cost: en.pair_cost(t, cn, t, model),
        })
        .collect();
    positional.extend((both..n).map(|t| Step {
        en: 1,
        cn: 0,
        cost: en.skip[t],
    }));
    positional.extend((both..m).map(|t| Step {
        en: 0,
        cn: 1,
        cost: cn.skip[t],
    }));
    let capped: f64 = (0..both)
        .map(|t| positional[t].cost.min(en.skip[t] + cn.skip[t]))
        .chain(positional[both..].iter().map(|s| s.cost))
        .sum();
    let path: f64 = steps.iter().map(|s| s.cost).sum();
    if path + POSITIONAL_MARGIN < capped {
        steps
    } else {
        positional
    }
}

/// Turns DP steps into beads of paragraph indices.
fn beads(steps: &[Step]) -> Vec<Bead> {
    let (mut i, mut j) = (0, 0);
    steps
        .iter()
        .map(|s| {
            let b = Bead {
                english: i..i + s.en,
                original: j..j + s.cn,
            };
            i += s.en;
            j += s.cn;
            b
        })
        .collect()
}

/// How the leading title lines of a side count: `Minor(k)`, the first k are minor; `Block(k)`,
/// the first k pair among the titles and none is minor.
#[derive(Clone, Copy)]
enum Title {
    Minor(usize),
    Block(usize),
}

impl Title {
    /// Whether paragraph `k` is minor as a title line, or decided as one (`Some`), or
    /// left to the other rules (`None`).
    fn minor(self, k: usize) -> Option<bool> {
        match self {
            Title::Minor(n) if k < n => Some(true),
            Title::Block(n) if k < n => Some(false),
            _ => None,
        }
    }
}

fn english_side(texts: &[&str], title: Title) -> Side {
    let mut side = Side::new(texts.len());
    for (k, t) in texts.iter().enumerate() {
        let len = english_len(t);
        // A copy of the Chinese in the English half (a fault other checks report) is not a
        // translation of anything: weighed as English it would pair with a short original
        // paragraph and push the real translation out.
        let minor = title.minor(k).unwrap_or_else(|| {
            mostly_han(t) || (bracketed(t) && len <= CREDIT_MAX_CN as f64 * PRIOR_RATIO)
        });
        side.push(t, len, len / PRIOR_RATIO, minor);
    }
    side
}

fn chinese_side(texts: &[&str], title: Title) -> Side {
    let mut side = Side::new(texts.len());
    for (k, t) in texts.iter().enumerate() {
        let len = chinese_len(t);
        // A short line after a line that stops mid-word is the tail of a hard wrap (`皮。`
        // after `担子压破肩膀`): the English joins it to the line before, and leaving it
        // out must cost what leaving out any paragraph costs. After a finished line, a
        // short line is a signature, a date, a credit: often not translated. Only the
        // Chinese side: the English splits signatures off run-together Chinese, so a short
        // English line usually has its source inside a neighbouring paragraph.
        let wrapped = k > 0
            && texts[k - 1]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
        let minor = title.minor(k).unwrap_or_else(|| {
            (bracketed(t) && len <= CREDIT_MAX_CN as f64) || (len <= SHORT_CN && !wrapped)
        });
        side.push(t, len, len, minor);
    }
    side
}

/// Whether more of `s` is Han than Latin letters.
fn mostly_han(s: &str) -> bool {
    if s.is_ascii() {
        return false;
    }
    let han = s.chars().filter(|&c| is_han(c)).count();
    han > 0 && han > s.chars().filter(char::is_ascii_alphabetic).count()
}

/// Whether `s` is wholly enclosed in one pair of brackets: `（新华社稿）`, `(Xinhua)`,
/// `【南京三十一日消息】`.
fn bracketed(s: &str) -> bool {
    let (Some(open), Some(close)) = (s.chars().next(), s.chars().next_back()) else {
        return false;
    };
    let want = match open {
        '（' => '）',
        '(' => ')',
        '【' => '】',
        '[' => ']',
        _ => return false,
    };
    if close != want {
        return false;
    }
    // The opening bracket must close only at the end.
    let mut depth = 0i32;
    let last = s.len() - close.len_utf8();
    for (b, c) in s.char_indices() {
        if c == open {
            depth += 1;
        } else if c == want {
            depth -= 1;
            if depth == 0 && b != last {
                return false;
            }
        }
    }
    depth == 0
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TitleLanguage {
    English,
    Chinese,
}

/// Letters and digits only, lower-case, full-width folded: how titles are compared.
fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_normalized(&mut out, c);
    }
    out
}

/// Appends `c` as [`normalize`] would.
fn push_normalized(out: &mut String, c: char) {
    let c = match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        _ => c,
    };
    if c.is_ascii() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        }
    } else if c.is_alphanumeric() {
        out.extend(c.to_lowercase());
    }
}

/// How many leading paragraphs repeat the title: written whole on one line, split over
/// consecutive lines (`通讯往来` / `（第九号）`), without a trailing bracketed note
/// (`长征故事` for `长征故事（图片）`), or only its first parts (`半月国际述评` for
/// `半月国际述评  （十一月十六日至三十日）`). A line that goes on past the title
/// (`来函声明人民日报：`) is not a title line: it holds body text.
fn title_group(paragraphs: &[&str], title: &str, lang: TitleLanguage) -> usize {
    // A "title" of thousands of characters is a damaged header, not something a line
    // repeats; and the comparison below is linear only for a bounded title.
    const LONGEST_TITLE: usize = 1000;
    if title.len() > LONGEST_TITLE {
        return 0;
    }
    // The normalized title, and its length where each part ends: before a trailing
    // bracketed note and at separators (runs of white space in Chinese titles; `:`,
    // ` - `, `(` in English ones).
    let mut full = String::new();
    let mut ends = Vec::new();
    for (b, c) in title.char_indices() {
        let part_end = match lang {
            TitleLanguage::Chinese => c.is_whitespace() || c == '（' || c == '(',
            TitleLanguage::English => {
                matches!(c, ':' | '(' | '（')
                    || title[b..].starts_with(" - ")
                    || title[b..].starts_with(" – ")
                    || title[b..].starts_with(" — ")
            }
        };
        if part_end && !full.is_empty() {
            ends.push(full.len());
        }
        push_normalized(&mut full, c);
    }
    if full.is_empty() {
        return 0;
    }
    ends.push(full.len());
    let mut acc = String::new();
    let mut best = 0;
    for (k, p) in paragraphs.iter().take(4).enumerate() {
        // A line much longer than the title cannot be part of it.
        if p.len() > 2 * title.len() + 16 {
            break;
        }
        let p = normalize(p);
        if p.is_empty() {
            break;
        }
        acc.push_str(&p);
        if !full.starts_with(&acc) {
            break;
        }
        if ends.contains(&acc.len()) {
            best = k + 1;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths() {
        assert_eq!(english_len("  Two  words\there "), 14.0);
        assert_eq!(chinese_len("煤    斤　七元。"), 5.0);
        // Digits pass into the English as they are.
        let carried = 1.0 / PRIOR_RATIO;
        assert_eq!(chinese_len("１２％"), 1.0 + 2.0 * carried);
        assert_eq!(chinese_len("一九四九年"), 1.0 + 4.0 * carried);
        assert_eq!(chinese_len("六一节"), 3.0);
        assert_eq!(end_class("他说：“好。”"), 2);
        assert_eq!(end_class("To the Editor:"), 1);
        assert_eq!(end_class("(Xinhua)"), 4);
    }

    #[test]
    fn titles() {
        use TitleLanguage::*;
        let g = |p: &[&str], t: &str, l| title_group(p, t, l);
        assert_eq!(g(&["发刊词", "本报"], "发刊词", Chinese), 1);
        assert_eq!(
            g(
                &["通讯往来  （第九号）", "x"],
                "通讯往来  （第九号）",
                Chinese
            ),
            1
        );
        assert_eq!(
            g(
                &["Correspondence", "(No. 9)", "To"],
                "Correspondence (No. 9)",
                English
            ),
            2
        );
        assert_eq!(g(&["长征故事", "迟行绘"], "长征故事（图片）", Chinese), 1);
        assert_eq!(
            g(
                &["半月国际述评", "（十一月十六日至三十日）", "苏联"],
                "半月国际述评  （十一月十六日至三十日）",
                Chinese
            ),
            2
        );
        assert_eq!(
            g(
                &["半月国际述评", "苏联"],
                "半月国际述评  （十一月十六日至三十日）",
                Chinese
            ),
            1
        );
        assert_eq!(g(&["来函声明人民日报：", "我"], "来函声明", Chinese), 0);
        assert_eq!(
            g(
                &["Xinhua News Agency, 31st - The State"],
                "State Council List",
                English
            ),
            0
        );
        assert_eq!(g(&["人民画刊４６"], "人民画刊46（图片）", Chinese), 1);
        assert_eq!(g(&["The Long"], "The Long March Story", English), 0);
        // A damaged header whose "title" is a whole file is not compared at all (the
        // comparison is linear only for a bounded title).
        let huge = "Title: x 中𠮷 ".repeat(100_000);
        assert_eq!(g(&[&huge], &huge, English), 0);
    }

    #[test]
    fn minor_lines() {
        assert!(bracketed("（新华社稿）") && bracketed("(Xinhua)") && bracketed("【南京电】"));
        assert!(!bracketed("（甲）乙（丙）") && !bracketed("（未闭") && !bracketed("甲"));
        assert!(mostly_han("致本报贺电一束") && !mostly_han("The \"容\" [rong] character"));
        let cn = chinese_side(
            &[
                "标题",
                "正文很长的一段。",
                "多一段。",
                "一双脚上起了泡，担子压破肩膀",
                "皮。",
                "（新华社）",
            ],
            Title::Minor(1),
        );
        assert_eq!(cn.minor, [true, false, true, false, false, true]);
        let cn = chinese_side(
            &["通讯往来", "（第九号）", "正文很长的一段。"],
            Title::Block(2),
        );
        assert_eq!(cn.minor, [false, false, false]);
    }

    #[test]
    fn calibration_takes_the_median_of_confident_pairs() {
        let side = |len: &[f64]| Side {
            measured: len.to_vec(),
            len: len.to_vec(),
            skip: vec![skip_cost(); len.len()],
            end: vec![0; len.len()],
            minor: vec![false; len.len()],
            long: vec![0.0; len.len()],
        };
        let en = side(&[500.0, 1000.0, 90.0, 260.0, 20.0]);
        let cn = side(&[100.0, 200.0, 20.0, 50.0, 4.0]);
        let one = |_| Step {
            en: 1,
            cn: 1,
            cost: 0.0,
        };
        let steps: Vec<Step> = (0..5).map(one).collect();
        let prior = Model {
            ratio: PRIOR_RATIO,
            variance: VARIANCE,
            spread: 0.0,
        };
        // Ratios 5.0, 5.0, 4.5, 5.2; the 4-character pair is too short to count.
        assert_eq!(calibrate(&steps, &en, &cn, &prior), Some(5.0));
        assert_eq!(calibrate(&steps[..2], &en, &cn, &prior), None);
    }
}
