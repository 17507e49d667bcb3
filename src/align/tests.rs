//! Paragraph alignment on crafted documents.

use super::*;

/// A document with these English and Chinese paragraphs and titles.
fn doc(title: &str, en: &[String], cn_title: &str, cn: &[String]) -> String {
    let mut s = format!("Title: {title}\nAuthor:\nDate: 1952-08-03\nPage: 2\n\n");
    for p in en {
        s.push_str(&format!("    {p}\n"));
    }
    s.push_str(&format!(
        "\n\n\n<hr /> \n\nOriginal: \n\n\n### {cn_title}\n\n1952-08-03\n第2版()\n专栏：\n\n"
    ));
    for p in cn {
        s.push_str(&format!("    {p}\n"));
    }
    s
}

/// An English sentence-like paragraph of about `n` characters.
fn english(n: usize) -> String {
    let words = [
        "the",
        "workers",
        "of",
        "this",
        "factory",
        "completed",
        "their",
        "plan",
    ];
    let mut s = String::from("Then");
    let mut k = n;
    while s.len() + 1 < n {
        s.push(' ');
        s.push_str(words[k % words.len()]);
        k = k / 2 + 3;
    }
    s.push('.');
    s
}

/// A Chinese paragraph of `n` characters ending in `。`.
fn chinese(n: usize) -> String {
    let han: Vec<char> = "工厂的工人们提前完成了生产计划并且受到表扬"
        .chars()
        .collect();
    let mut s: String = (0..n - 1).map(|k| han[(k * 7 + n) % han.len()]).collect();
    s.push('。');
    s
}

/// Paragraph pairs of these Chinese lengths at `ratio`.
fn pairs(lengths: &[usize], ratio: f64) -> (Vec<String>, Vec<String>) {
    let en = lengths
        .iter()
        .map(|&l| english((l as f64 * ratio) as usize))
        .collect();
    (en, lengths.iter().map(|&l| chinese(l)).collect())
}

fn aligned(text: &str) -> Alignment {
    align(text, &crate::syntax::parse(text))
}

fn shape(a: &Alignment) -> Vec<(usize, usize)> {
    a.beads()
        .iter()
        .map(|b| (b.english.len(), b.original.len()))
        .collect()
}

const LENGTHS: [usize; 6] = [120, 260, 90, 300, 150, 240];

#[test]
fn surplus_has_no_partner() {
    let text = "Title: T\n\n    a\n    b\n\n<hr /> \n\nOriginal: \n\n\n### 标题\n\n1952-08-03\n第2版()\n专栏：\n\n    甲\n";
    // Two one-letter lines for one character: the lengths say nothing (a 2-1 merge is
    // only a little likelier), so the positional reading stands.
    assert_eq!(shape(&aligned(text)), [(1, 1), (1, 0)]);
    let empty =
        "Title: T\n\n    a\n\n<hr /> \n\nOriginal: \n\n\n### 标题\n\n1952-08-03\n第2版()\n专栏：\n";
    assert_eq!(shape(&aligned(empty)), [(1, 0)]);
}

#[test]
fn one_to_one_with_the_ratio_measured() {
    let (en, cn) = pairs(&LENGTHS, 4.6);
    let a = aligned(&doc("Report", &en, "报道", &cn));
    assert_eq!(shape(&a), [(1, 1); 6]);
    assert!((a.ratio - 4.6).abs() < 0.1, "{}", a.ratio);
    assert_eq!(a.model().spread, 0.0);
    // Two pairs are too few to measure: the prior stays, with its uncertainty.
    let (en, cn) = pairs(&LENGTHS[..2], 4.6);
    let a = aligned(&doc("Report", &en, "报道", &cn));
    assert_eq!(a.ratio, PRIOR_RATIO);
    assert_eq!(a.model().spread, paragraphs::PRIOR_SPREAD);
}

#[test]
fn repeated_title_kept_or_dropped() {
    let (mut en, mut cn) = pairs(&LENGTHS, 4.3);
    cn.insert(0, "春耕开始".into());
    // The English drops the title line: 0-1 at the start, the rest undisturbed.
    let dropped = doc("Spring Plowing Begins", &en, "春耕开始", &cn);
    let mut want = vec![(0, 1)];
    want.extend([(1, 1); 6]);
    assert_eq!(shape(&aligned(&dropped)), want);
    // The English keeps it: 1-1 throughout.
    en.insert(0, "Spring Plowing Begins".into());
    let kept = doc("Spring Plowing Begins", &en, "春耕开始", &cn);
    assert_eq!(shape(&aligned(&kept)), [(1, 1); 7]);
    // A title split over two English lines pairs as 2-1.
    en[0] = "Correspondence".into();
    en.insert(1, "(No. 9)".into());
    cn[0] = "通讯往来  （第九号）".into();
    let split = doc("Correspondence (No. 9)", &en, "通讯往来  （第九号）", &cn);
    let mut want = vec![(2, 1)];
    want.extend([(1, 1); 6]);
    assert_eq!(shape(&aligned(&split)), want);
}

#[test]
fn credit_and_short_lines_left_out() {
    let (en, mut cn) = pairs(&LENGTHS, 4.3);
    cn.push("（新华社稿）".into());
    let mut want = vec![(1, 1); 6];
    want.push((0, 1));
    assert_eq!(shape(&aligned(&doc("Report", &en, "报道", &cn))), want);
    cn.pop();
    cn.push("多一段。".into());
    assert_eq!(shape(&aligned(&doc("Report", &en, "报道", &cn))), want);
}

#[test]
fn the_sample_with_an_extra_line() {
    let sample = include_str!("../../seeds/000_0d759123a74baf35.txt");
    let a = aligned(sample);
    assert!(a
        .beads()
        .iter()
        .all(|b| b.english.len() == 1 && b.original.len() == 1));
    let extra = format!("{sample}    多一段。\n");
    let a = aligned(&extra);
    assert_eq!(a.beads().last().map(|b| b.english.is_empty()), Some(true));
}

#[test]
fn hard_wraps_and_lists() {
    // The original wraps paragraph 3 over three lines; the English joins them.
    let (en, mut cn) = pairs(&LENGTHS, 4.3);
    let wrapped = cn.remove(3);
    let chars: Vec<char> = wrapped.chars().collect();
    for (k, part) in chars.chunks(chars.len() / 3 + 1).enumerate() {
        cn.insert(3 + k, part.iter().collect());
    }
    assert_eq!(
        shape(&aligned(&doc("Report", &en, "报道", &cn))),
        [(1, 1), (1, 1), (1, 1), (1, 3), (1, 1), (1, 1)]
    );
    // The OCR runs a list together into one line; the English gives one line per name.
    let (mut en, cn) = pairs(&LENGTHS, 4.3);
    let list = en.remove(3);
    let names = list.len() / 60;
    for k in 0..names {
        en.insert(3 + k, english(60));
    }
    let mut want = vec![(1, 1); 3];
    want.push((names, 1));
    want.extend([(1, 1); 2]);
    assert_eq!(shape(&aligned(&doc("Report", &en, "报道", &cn))), want);
}

#[test]
fn chinese_copied_into_the_english_is_left_out() {
    let (en, cn) = pairs(&LENGTHS, 4.3);
    let mut copied = cn.clone();
    copied.extend(en);
    let en = copied;
    let mut want = vec![(1, 0); 6];
    want.extend([(1, 1); 6]);
    assert_eq!(shape(&aligned(&doc("Report", &en, "报道", &cn))), want);
}

#[test]
fn cut_paragraph_stays_on_the_diagonal() {
    let (mut en, cn) = pairs(&LENGTHS, 4.3);
    en[3] = english(120); // a tenth of what it should be
    let a = aligned(&doc("Report", &en, "报道", &cn));
    assert_eq!(shape(&a), [(1, 1); 6]);
    // Cut to nothing but a word, still.
    en[3] = "Then.".into();
    assert_eq!(
        shape(&aligned(&doc("Report", &en, "报道", &cn))),
        [(1, 1); 6]
    );
}

#[test]
fn counterpart_lookups() {
    let (en, mut cn) = pairs(&LENGTHS, 4.3);
    cn.insert(0, "报道".into());
    let a = aligned(&doc("Report", &en, "报道", &cn));
    assert_eq!(a.counterpart(Side::Original, 0), 0..0);
    assert_eq!(a.counterpart(Side::Original, 1), 0..1);
    assert_eq!(a.counterpart(Side::Translation, 5), 6..7);
    assert_eq!(a.bead_index(Side::Translation, 0), Some(1));
    assert_eq!(a.bead_of(Side::Original, 99), None);
}

#[test]
fn kept_lengths_are_the_measures_of_the_paragraphs() {
    let text = include_str!("../../seeds/1952-10-28_华北棉花丰收.md");
    let doc = crate::syntax::parse(text);
    let a = align(text, &doc);
    let sides = [
        (
            Side::Translation,
            &doc.translation.paragraphs,
            paragraphs::english_len as fn(&str) -> f64,
        ),
        (
            Side::Original,
            &doc.original.paragraphs,
            paragraphs::chinese_len,
        ),
    ];
    for (side, paragraphs, measure) in sides {
        assert!(!paragraphs.is_empty());
        for (k, p) in paragraphs.iter().enumerate() {
            assert_eq!(
                a.length(side, k),
                Some(measure(&text[p.text.clone()])),
                "{side:?} {k}"
            );
        }
        assert_eq!(a.length(side, paragraphs.len()), None);
    }
    // Built from beads, an alignment measured nothing.
    assert_eq!(
        Alignment::from_beads(a.beads().to_vec(), a.ratio).length(Side::Original, 0),
        None
    );
}
