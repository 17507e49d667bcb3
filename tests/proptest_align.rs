//! Alignment properties on generated documents, and alignment over the real corpus.
//!
//! Generated documents are real archive text (header, `<hr /> `, `Original: `, `### `
//! title, date, page and column lines, indented paragraphs) with n paragraph pairs at one
//! ratio, then one fault: a paragraph deleted on one side, two merged, or one split. The
//! lengths are drawn so that the fault is detectable by length (paragraphs of 100–160 and
//! 220–300 Chinese characters alternating, the translation within ±5 % of the ratio): the alignment must find
//! exactly that bead at that place and 1-1 everywhere else. And the diagonal property: with
//! equal counts, one paragraph cut to a fraction stays in the all-1-1 chain.

mod common;

use archive_lsp::align::{align, sentences, Alignment};
use archive_lsp::syntax::{parse, Document, Side};
use proptest::prelude::*;

/// Han characters for generated originals: no numerals (which weigh as digits).
const HAN: &str = "的是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发\
年动同工也能下过子说产种面而方后多定行学法所民得经之进着等部度家电力里如水化高自理起小物现实\
加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政日那社义事平形相全表间样与关各\
重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想";

/// English words for generated translations.
const WORDS: &[&str] = &[
    "the",
    "workers",
    "of",
    "factory",
    "have",
    "completed",
    "their",
    "plan",
    "ahead",
    "time",
    "and",
    "peasants",
    "in",
    "village",
    "organized",
    "mutual",
    "aid",
    "teams",
    "for",
    "spring",
    "plowing",
    "while",
    "cadres",
    "studied",
    "new",
    "methods",
    "production",
    "increased",
];

/// Deterministic filler: `n` Han characters starting at `seed`.
fn han(n: usize, seed: usize) -> String {
    let chars: Vec<char> = HAN.chars().collect();
    (0..n)
        .map(|k| chars[(seed * 7 + k * 13) % chars.len()])
        .collect()
}

/// A Chinese paragraph of `n` characters ending in `。`.
fn chinese(n: usize, seed: usize) -> String {
    format!("{}。", han(n.saturating_sub(1).max(1), seed))
}

/// An English paragraph of about `n` characters ending in `.`.
fn english(n: usize, seed: usize) -> String {
    let mut s = String::from("The");
    let mut k = seed;
    while s.len() + 1 < n {
        s.push(' ');
        s.push_str(WORDS[k % WORDS.len()]);
        k = (k * 31 + 7) % 1_000_003;
    }
    s.push('.');
    s
}

/// A whole archive document with these paragraphs.
fn document(en: &[String], cn: &[String]) -> String {
    let mut s = String::from("Title: Generated Report\nAuthor:\nDate: 1952-08-03\nPage: 2\n\n");
    for p in en {
        s.push_str("    ");
        s.push_str(p);
        s.push('\n');
    }
    s.push_str(
        "\n\n\n<hr /> \n\nOriginal: \n\n\n### 生成的报道\n\n1952-08-03\n第2版()\n专栏：\n\n",
    );
    for p in cn {
        s.push_str("    ");
        s.push_str(p);
        s.push('\n');
    }
    s
}

/// n translated pairs: Chinese lengths, and the English at `ratio` with per-paragraph noise.
fn pairs(lengths: &[usize], ratio: f64, noise: &[f64]) -> (Vec<String>, Vec<String>) {
    let cn: Vec<String> = lengths
        .iter()
        .enumerate()
        .map(|(k, &l)| chinese(l, k))
        .collect();
    let en: Vec<String> = lengths
        .iter()
        .zip(noise)
        .enumerate()
        .map(|(k, (&l, e))| english((l as f64 * ratio * (1.0 + e)) as usize, k))
        .collect();
    (en, cn)
}

/// Cuts `s` at the char boundary nearest `frac` of its length.
fn cut(s: &str, frac: f64) -> (String, String) {
    let mut at = ((s.len() as f64) * frac) as usize;
    while !s.is_char_boundary(at) {
        at += 1;
    }
    (
        s[..at].trim_end().to_owned(),
        s[at..].trim_start().to_owned(),
    )
}

fn shape(a: &Alignment) -> Vec<(usize, usize)> {
    a.beads()
        .iter()
        .map(|b| (b.english.len(), b.original.len()))
        .collect()
}

/// The all-1-1 shape for `before` pairs, then `fault`, then 1-1 up to `total` beads.
fn expected(before: usize, fault: (usize, usize), total: usize) -> Vec<(usize, usize)> {
    let mut v = vec![(1, 1); before];
    v.push(fault);
    v.resize(total, (1, 1));
    v
}

#[derive(Debug, Clone, Copy)]
enum Fault {
    /// The English lacks paragraph k: 0-1.
    DropEnglish,
    /// The original lacks paragraph k: the English has one with no source, 1-0.
    DropOriginal,
    /// The English joins paragraphs k and k+1: 1-2.
    MergeEnglish,
    /// The original joins them: 2-1.
    MergeOriginal,
    /// The English splits paragraph k in two: 2-1.
    SplitEnglish,
    /// The original splits it: 1-2.
    SplitOriginal,
}

fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        Just(Fault::DropEnglish),
        Just(Fault::DropOriginal),
        Just(Fault::MergeEnglish),
        Just(Fault::MergeOriginal),
        Just(Fault::SplitEnglish),
        Just(Fault::SplitOriginal),
    ]
}

/// n, the Chinese lengths, the ratio, the noise, a paragraph index and a fraction. The
/// ratio stays within about one between-document spread of the prior (3.6–4.7 around
/// 4.1): the ratio is measured on a first pass at the prior, and with six paragraphs, one
/// of them missing, a document much further off can already go wrong in that pass. Short
/// (100–160) and long (220–300) paragraphs alternate: neighbours that differ by a third or
/// more are what makes a deletion detectable by length at all (between two paragraphs of
/// equal length no aligner can tell which one is missing).
fn corpus_like() -> impl Strategy<Value = (Vec<usize>, f64, Vec<f64>, usize, f64)> {
    (6usize..24, any::<bool>()).prop_flat_map(|(n, long_first)| {
        let lengths =
            proptest::collection::vec((100usize..160, 220usize..300), n).prop_map(move |v| {
                v.into_iter()
                    .enumerate()
                    .map(|(k, (short, long))| {
                        if (k % 2 == 0) == long_first {
                            long
                        } else {
                            short
                        }
                    })
                    .collect::<Vec<_>>()
            });
        (
            lengths,
            3.6f64..4.7,
            proptest::collection::vec(-0.05f64..0.05, n),
            0..n - 1,
            0.3f64..0.7,
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 1000,
        // Failures are reported with their inputs; nothing is written into the tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn finds_the_fault((lengths, ratio, noise, k, frac) in corpus_like(), fault in fault()) {
        let n = lengths.len();
        let (mut en, mut cn) = pairs(&lengths, ratio, &noise);
        let (bead, total) = match fault {
            Fault::DropEnglish => {
                en.remove(k);
                ((0, 1), n)
            }
            Fault::DropOriginal => {
                cn.remove(k);
                ((1, 0), n)
            }
            Fault::MergeEnglish => {
                let next = en.remove(k + 1);
                en[k] = format!("{} {next}", en[k]);
                ((1, 2), n - 1)
            }
            Fault::MergeOriginal => {
                let next = cn.remove(k + 1);
                cn[k] = format!("{}{next}", cn[k]);
                ((2, 1), n - 1)
            }
            Fault::SplitEnglish => {
                let (a, b) = cut(&en[k], frac);
                en[k] = b;
                en.insert(k, a);
                ((2, 1), n)
            }
            Fault::SplitOriginal => {
                let (a, b) = cut(&cn[k], frac);
                cn[k] = b;
                cn.insert(k, a);
                ((1, 2), n)
            }
        };
        let text = document(&en, &cn);
        let doc = parse(&text);
        prop_assert_eq!(doc.translation.paragraphs.len(), en.len());
        prop_assert_eq!(doc.original.paragraphs.len(), cn.len());
        let a = align(&text, &doc);
        assert_covers(&a, &doc, "generated");
        prop_assert_eq!(shape(&a), expected(k, bead, total), "{:?} at {}", fault, k);
        // The ratio is measured on the document, not left at the prior.
        prop_assert!((a.ratio - ratio).abs() < 0.3, "ratio {} for {}", a.ratio, ratio);
    }

    #[test]
    fn a_paragraph_cut_short_stays_on_the_diagonal(
        (lengths, ratio, noise, k, _) in corpus_like(),
        frac in 0.05f64..0.7,
    ) {
        let (mut en, cn) = pairs(&lengths, ratio, &noise);
        en[k] = format!("{}.", cut(&en[k], frac).0.trim_end_matches('.'));
        let text = document(&en, &cn);
        let doc = parse(&text);
        let a = align(&text, &doc);
        prop_assert_eq!(shape(&a), vec![(1, 1); lengths.len()]);
    }
}

/// Checks that the beads cover both sides in order.
fn assert_covers(a: &Alignment, doc: &Document, name: &str) {
    let (mut i, mut j) = (0, 0);
    for b in a.beads() {
        assert_eq!(b.english.start, i, "{name}: {:?}", a.beads());
        assert_eq!(b.original.start, j, "{name}: {:?}", a.beads());
        assert!(b.english.end >= i && b.original.end >= j);
        assert!(
            !b.english.is_empty() || !b.original.is_empty(),
            "{name}: empty bead"
        );
        i = b.english.end;
        j = b.original.end;
    }
    assert_eq!(i, doc.translation.paragraphs.len(), "{name}");
    assert_eq!(j, doc.original.paragraphs.len(), "{name}");
}

/// `¶3`, `¶3–5`, `—` for none (1-based, as the checks say it).
fn paras(r: &std::ops::Range<usize>) -> String {
    match r.len() {
        0 => "—".into(),
        1 => format!("¶{}", r.start + 1),
        _ => format!("¶{}–{}", r.start + 1, r.end),
    }
}

#[test]
fn corpus_alignment() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let mut files: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 71, "the corpus holds 71 files");
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let doc = parse(&text);
        let a = align(&text, &doc);
        assert_covers(&a, &doc, &name);
        for b in a.beads() {
            assert_sentences(&text, &doc, b, &name);
        }
        let odd: Vec<String> = a
            .beads()
            .iter()
            .filter(|b| (b.english.len(), b.original.len()) != (1, 1))
            .map(|b| {
                let en = b.english.len();
                let cn = b.original.len();
                format!(
                    "{en}-{cn} EN {} ↔ CN {}",
                    paras(&b.english),
                    paras(&b.original)
                )
            })
            .collect();
        if !odd.is_empty() {
            eprintln!(
                "{name}: {} EN / {} CN, ratio {:.2}: {}",
                doc.translation.paragraphs.len(),
                doc.original.paragraphs.len(),
                a.ratio,
                odd.join("; ")
            );
        }
    }
}

/// Checks that the sentences of `bead` cover its paragraphs and that their beads cover the
/// sentences, and that every sentence finds its bead.
fn assert_sentences(text: &str, doc: &Document, bead: &archive_lsp::align::Bead, name: &str) {
    let s = sentences(text, doc, bead);
    for (spans, paragraphs, range) in [
        (
            &s.english,
            &doc.translation.paragraphs,
            bead.english.clone(),
        ),
        (&s.original, &doc.original.paragraphs, bead.original.clone()),
    ] {
        let mut covered = String::new();
        for span in spans {
            covered.push_str(&text[span.clone()]);
        }
        let whole: String = paragraphs[range]
            .iter()
            .map(|p| &text[p.text.clone()])
            .collect();
        let squeeze = |s: &str| s.split_whitespace().collect::<String>();
        assert_eq!(
            squeeze(&covered),
            squeeze(&whole),
            "{name}: sentences lose text"
        );
    }
    let (mut i, mut j) = (0, 0);
    for b in &s.beads {
        assert_eq!((b.english.start, b.original.start), (i, j), "{name}");
        i = b.english.end;
        j = b.original.end;
    }
    assert_eq!((i, j), (s.english.len(), s.original.len()), "{name}");
    for (side, spans) in [
        (Side::Translation, &s.english),
        (Side::Original, &s.original),
    ] {
        for span in spans {
            let (own, _) = s.at(side, span.start).expect("a sentence finds its bead");
            assert!(own.contains(span), "{name}");
        }
    }
}
