//! What the translation leaves out or cuts short, judged on the alignment:
//! `untranslated-paragraph`, `truncated-translation`, `length-ratio`.
//!
//! Each omission is said once: an original tail that the translation never reaches is
//! `truncated-translation` (not also `untranslated-paragraph` on each of its paragraphs), a
//! paragraph with no counterpart is never in a pair so never `length-ratio`, and the pair
//! whose English stops mid-sentence is `truncated-translation` only.

use super::{Code, Context};
use crate::align::paragraphs::{chinese_len, english_len};
use crate::syntax::{Side, Span};
use crate::text::{char_count, is_han};
use std::ops::Range;

/// The codes [`check`] reports: it is not run when all of them are off.
pub(super) const CODES: &[Code] = &[
    Code::LengthRatio,
    Code::TruncatedTranslation,
    Code::UntranslatedParagraph,
];

pub(super) fn check(cx: &mut Context) {
    let doc = cx.doc;
    let (en, cn) = (&doc.translation.paragraphs, &doc.original.paragraphs);
    // An empty side is `empty-translation` / `empty-original`: nothing to align.
    if en.is_empty() || cn.is_empty() {
        return;
    }
    let a = cx.alignment;
    let Some(last_pair) = a.beads().iter().rposition(|b| b.is_pair()) else {
        return;
    };
    let tail = a.beads()[last_pair].original.end..cn.len();
    let truncated = truncated(cx, tail.clone());
    untranslated_paragraphs(cx, if truncated.tail_said { tail } else { 0..0 });
    length_ratio(cx, truncated.pair_said);
}

/// The Han characters of `s`.
fn han_count(s: &str) -> usize {
    if s.is_ascii() {
        0
    } else {
        s.chars().filter(|&c| is_han(c)).count()
    }
}

/// What [`truncated`] reported, so that nothing is said twice.
struct Truncated {
    /// The original tail was reported as untranslated.
    tail_said: bool,
    /// The bead of the last English paragraph was reported as cut short.
    pair_said: Option<usize>,
}

/// Whether the last character of original text `s` that is not a closing mark ends a
/// sentence.
fn ends_sentence(s: &str) -> bool {
    s.trim_end()
        .trim_end_matches(|c: char| "\"'”’)]）》」』】".contains(c) || c.is_whitespace())
        .chars()
        .next_back()
        .is_some_and(|c| ORIGINAL_ENDS.contains(c))
}

/// Whether English text stops in the middle of a sentence: on a lower-case word (`…depend
/// on`, a cut `…the produc`) or on a comma, colon, dash. A name, a date, a heading (`May 31st`,
/// `——Editor`) ends without a stop too, but not like this.
fn stops_mid_sentence(s: &str) -> bool {
    let s = s.trim_end();
    let Some(last) = s.chars().next_back() else {
        return false;
    };
    if ",;:-–—(".contains(last) {
        return true;
    }
    let word: Vec<char> = s
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '\'' || *c == '’')
        .collect();
    !word.is_empty()
        && word.iter().all(|c| !c.is_alphabetic() || c.is_lowercase())
        && word.iter().any(|c| c.is_alphabetic())
        && !word.iter().any(char::is_ascii_digit)
}

const ORIGINAL_ENDS: &str = "。！？!?…．.";

/// Where the unfinished last sentence of `s` starts (after the last sentence end).
fn last_sentence_start(s: &str) -> usize {
    let b = s.as_bytes();
    (1..b.len())
        .rev()
        .find(|&i| b[i] == b' ' && matches!(b[i - 1], b'.' | b'!' | b'?'))
        .map_or(0, |i| i + 1)
}

/// A repeated title or a credit line: not translated, by the archive's convention.
fn is_title_or_credit(cx: &Context, span: &Span) -> bool {
    let s = cx.str(span).trim_matches(|c: char| c.is_whitespace());
    // Compared on letters and digits: the title has no full stop, the paragraph may.
    let bare: String = s.chars().filter(|c| c.is_alphanumeric()).collect();
    let doc = cx.doc;
    if let Some(t) = &doc.original.title {
        let title: String = cx
            .str(&t.text)
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        // The whole title or a part of it (`将革命进行到底` / `一九四九年新年献词`).
        if !bare.is_empty() && title.contains(&bare) {
            return true;
        }
    }
    // A line in brackets (`（应永琛、田昌五译）`, `【新华社北京一日电】`), or one ending with a
    // credit (`…记者侯波摄`), short enough not to hide an untranslated editor's note.
    let short = han_count(s) < cx.settings.review.length_ratio_min_han;
    let bracketed = [('（', '）'), ('【', '】'), ('(', ')'), ('〔', '〕')]
        .iter()
        .any(|&(o, c)| s.starts_with(o) && s.ends_with(c));
    let credit = ["摄", "作", "绘", "译", "辑", "记", "供稿", "稿）"]
        .iter()
        .any(|e| s.ends_with(e));
    short && (bracketed || credit)
}

/// `truncated-translation`: the last English paragraph stops mid-sentence while its
/// counterpart ends one, or original text (`length_ratio_min_han` Han or more, titles and
/// credits aside) follows the last aligned pair.
fn truncated(cx: &mut Context, tail: Range<usize>) -> Truncated {
    let doc = cx.doc;
    let (en, cn) = (&doc.translation.paragraphs, &doc.original.paragraphs);
    let a = cx.alignment;
    let tail_paragraphs: Vec<usize> = tail
        .clone()
        .filter(|&j| !is_title_or_credit(cx, &cn[j].text))
        .collect();
    let tail_han: usize = tail_paragraphs
        .iter()
        .map(|&j| han_count(cx.str(&cn[j].text)))
        .sum();
    let mut said = Truncated {
        tail_said: false,
        pair_said: None,
    };

    let last = en.len() - 1;
    let last_text = cx.str(&en[last].text);
    let counterpart = a.counterpart(Side::Translation, last);
    // Chinese left at the end of the English is `untranslated-text`'s to say.
    let english_end = last_text.trim_end_matches(|c: char| is_han(c) || c.is_whitespace());
    let mid_sentence = !counterpart.is_empty()
        && !english_end.is_empty()
        && stops_mid_sentence(english_end)
        && ends_sentence(cx.str(&cn[counterpart.end - 1].text));
    let tail_span = match (tail_paragraphs.first(), tail_paragraphs.last()) {
        (Some(&first), Some(&last)) => Some(cn[first].text.start..cn[last].text.end),
        _ => None,
    };
    if mid_sentence {
        let p = &en[last].text;
        let end = p.start + english_end.len();
        let start = p.start + last_sentence_start(english_end);
        let fragment = &cx.text[start..end];
        let skip = char_count(fragment).saturating_sub(40);
        let shown: String = fragment.chars().skip(skip).collect();
        let more = if tail_han > 0 {
            format!(
                ", and {tail_han} Chinese characters of the original after it have no translation"
            )
        } else {
            String::new()
        };
        let counterpart_span = cn[counterpart.end - 1].text.clone();
        let d = cx.push(
            Code::TruncatedTranslation,
            start..end,
            format!(
                "the translation stops mid-sentence (`…{shown}`) while the original ends its sentence{more}; expected the rest of the translation"
            ),
        );
        d.related(
            counterpart_span,
            "the original paragraph, which ends its sentence",
        );
        if let Some(span) = tail_span {
            d.related(span, "the original text left untranslated");
        }
        said.pair_said = a.bead_index(Side::Translation, last);
        said.tail_said = true;
    } else if let Some(span) =
        tail_span.filter(|_| tail_han >= cx.settings.review.length_ratio_min_han)
    {
        let n = tail_paragraphs.len();
        cx.push(
            Code::TruncatedTranslation,
            span,
            format!(
                "the translation stops before the original does: {n} paragraph{} ({tail_han} Chinese characters) after the last translated one {} no translation; expected {} translation",
                if n == 1 { "" } else { "s" },
                if n == 1 { "has" } else { "have" },
                if n == 1 { "its" } else { "their" },
            ),
        )
        .related(en[last].text.clone(), "the last paragraph of the translation");
        said.tail_said = true;
    }
    said
}

/// `untranslated-paragraph`: an original paragraph of `untranslated_paragraph_min_han` Han
/// or more with no counterpart, except repeated titles, credits and the `skip` tail.
fn untranslated_paragraphs(cx: &mut Context, skip: Range<usize>) {
    let doc = cx.doc;
    let (en, cn) = (&doc.translation.paragraphs, &doc.original.paragraphs);
    let a = cx.alignment;
    let min = cx.settings.review.untranslated_paragraph_min_han;
    for (i, b) in a.beads().iter().enumerate() {
        if !b.english.is_empty() {
            continue;
        }
        for j in b.original.clone() {
            if skip.contains(&j) {
                continue;
            }
            let span = cn[j].text.clone();
            let han = han_count(cx.str(&span));
            if han < min || is_title_or_credit(cx, &span) {
                continue;
            }
            // Where the translation was expected: after the English of the bead before.
            let before = a.beads()[..i]
                .iter()
                .rev()
                .find_map(|b| b.english.clone().last());
            let after = a.beads()[i + 1..]
                .iter()
                .find_map(|b| b.english.clone().next());
            let d = cx.push(
                Code::UntranslatedParagraph,
                span,
                format!("this paragraph of the original ({han} Chinese characters) has no translation; expected an English paragraph for it"),
            );
            match (before, after) {
                (Some(k), _) => {
                    d.related(
                        en[k].text.clone(),
                        "the translation of the paragraph before it",
                    );
                }
                (None, Some(k)) => {
                    d.related(
                        en[k].text.clone(),
                        "the translation of the paragraph after it",
                    );
                }
                (None, None) => {}
            }
        }
    }
}

/// `length-ratio`: a pair whose original has `length_ratio_min_han` Han or more and whose
/// English is far shorter (warning) or longer (information) than the document's ratio
/// predicts. Pairs whose English is mostly Chinese (a copy, said by `same-as-original` or
/// `untranslated-text`) and the pair `skip` are left out.
fn length_ratio(cx: &mut Context, skip: Option<usize>) {
    let doc = cx.doc;
    let (en, cn) = (&doc.translation.paragraphs, &doc.original.paragraphs);
    let a = cx.alignment;
    let r = cx.settings.review;
    if !(a.ratio.is_finite() && a.ratio > 0.0) {
        return;
    }
    // The lengths the alignment measured, when it kept them (one built from beads did not).
    let text = cx.text;
    let en_len_of = |k: usize| {
        a.length(Side::Translation, k)
            .unwrap_or_else(|| english_len(&text[en[k].text.clone()]))
    };
    let cn_len_of = |j: usize| {
        a.length(Side::Original, j)
            .unwrap_or_else(|| chinese_len(&text[cn[j].text.clone()]))
    };
    for (i, b) in a.beads().iter().enumerate() {
        if !b.is_pair() || Some(i) == skip {
            continue;
        }
        let original: Vec<&str> = b.original.clone().map(|j| cx.str(&cn[j].text)).collect();
        let english: Vec<&str> = b.english.clone().map(|k| cx.str(&en[k].text)).collect();
        let han: usize = original.iter().map(|s| han_count(s)).sum();
        if han < r.length_ratio_min_han || english.iter().any(|s| super::review::mostly_han(s)) {
            continue;
        }
        // Measured as the alignment measures its ratio.
        let cn_len: f64 = b.original.clone().map(cn_len_of).sum();
        let en_len: f64 = b.english.clone().map(en_len_of).sum();
        let share = en_len / (a.ratio * cn_len.max(1.0));
        let (low, high) = (share < r.length_ratio_low, share > r.length_ratio_high);
        if !low && !high {
            continue;
        }
        let span = en[b.english.start].text.start..en[b.english.end - 1].text.end;
        let related = cn[b.original.start].text.start..cn[b.original.end - 1].text.end;
        let percent = (share * 100.0).round();
        let (what, severity) = if low {
            (
                "part of the original may be left out",
                super::Severity::Warning,
            )
        } else {
            (
                "the translation may add text the original lacks",
                super::Severity::Information,
            )
        };
        // In a merge, the original paragraph without which the lengths agree is the
        // likely omission: worth pointing at.
        let omitted = if low && original.len() > 1 {
            (0..original.len())
                .filter(|&j| han_count(original[j]) >= r.untranslated_paragraph_min_han)
                .map(|j| {
                    let rest = cn_len - cn_len_of(b.original.start + j);
                    (j, en_len / (a.ratio * rest.max(1.0)))
                })
                .filter(|&(_, s)| (r.length_ratio_low..=r.length_ratio_high).contains(&s))
                .min_by(|x, y| x.1.ln().abs().total_cmp(&y.1.ln().abs()))
                .map(|(j, _)| cn[b.original.start + j].text.clone())
        } else {
            None
        };
        let d = cx.push(
            Code::LengthRatio,
            span,
            format!(
                "the translation is {percent}% of the length its original predicts ({en_len} characters for {cn_len:.0}, at this document's {:.1} per original character): {what}; expected between {:.0}% and {:.0}%",
                a.ratio,
                r.length_ratio_low * 100.0,
                r.length_ratio_high * 100.0
            ),
        );
        d.severity = severity;
        d.related(related, format!("the original ({han} Chinese characters)"));
        if let Some(span) = omitted {
            d.related(
                span,
                "likely the untranslated part: without this paragraph the lengths agree",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::align::{Alignment, Bead};
    use crate::check::{check_with, Code, Severity};
    use crate::config::Settings;

    /// A valid document with these paragraphs (one a line).
    fn doc(en: &[&str], cn: &[&str]) -> String {
        let en: String = en.iter().map(|l| format!("    {l}\n")).collect();
        let cn: String = cn.iter().map(|l| format!("    {l}\n")).collect();
        format!(
            "Title: T\nAuthor:\nDate: 1952-08-03\nPage: 2\n\n{en}\n<hr /> \n\nOriginal: \n\n\n### 及时总结经验\n\n1952-08-03\n第2版()\n专栏：\n\n{cn}"
        )
    }

    /// Beads from (English range, original range) pairs.
    fn beads(b: &[(std::ops::Range<usize>, std::ops::Range<usize>)]) -> Alignment {
        let beads = b
            .iter()
            .map(|(e, o)| Bead {
                english: e.clone(),
                original: o.clone(),
            })
            .collect();
        Alignment::from_beads(beads, 4.0)
    }

    /// (code, severity, covered text, related texts) of this module's codes.
    fn found(text: &str, a: &Alignment) -> Vec<(Code, Severity, String, Vec<String>)> {
        let doc = crate::syntax::parse(text);
        check_with(text, &doc, a, &Settings::default())
            .into_iter()
            .filter(|d| {
                matches!(
                    d.code,
                    Code::UntranslatedParagraph | Code::TruncatedTranslation | Code::LengthRatio
                )
            })
            .map(|d| {
                let related = d.related.iter().map(|r| text[r.span.clone()].to_owned());
                (
                    d.code,
                    d.severity,
                    text[d.span].to_owned(),
                    related.collect(),
                )
            })
            .collect()
    }

    /// 24 Han and a full stop.
    const CN25: &str = "全国性的增产节约运动开展以来各地职工发挥了高度的。";
    /// 54 Han, ending a sentence.
    const CN50: &str = "全国性的增产节约运动开展以来，各地职工发挥了高度的积极性，创造了许多先进经验。但是，如何将这些经验有计划地加以推广呢？";
    /// About four English characters per original character of CN25 and CN50.
    const EN25: &str = "Since the national campaign began, workers everywhere showed zeal.";
    const EN50: &str = "Since the national campaign for increased production began, workers everywhere have shown great enthusiasm and created many advanced experiences. But how can they be spread in a planned way, we ask?";

    #[test]
    fn a_sound_pairing_is_silent() {
        let text = doc(&[EN25, EN50], &[CN25, CN50]);
        assert_eq!(found(&text, &beads(&[(0..1, 0..1), (1..2, 1..2)])), []);
    }

    #[test]
    fn an_untranslated_paragraph() {
        let text = doc(&[EN25, EN50], &[CN25, CN25, CN50]);
        let a = beads(&[(0..1, 0..1), (1..1, 1..2), (1..2, 2..3)]);
        let got = found(&text, &a);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, Code::UntranslatedParagraph);
        assert_eq!(
            (got[0].2.as_str(), got[0].3.clone()),
            (CN25, vec![EN25.to_owned()])
        );
        // Under the threshold (19 Han), a repeated title or part of it, a credit line:
        // nothing.
        let title = "### 及时总结经验";
        let long_title = "### 全国性的增产节约运动，开展以来各地职工发挥了高度的  一部分";
        let text = doc(&[EN25, EN50], &[CN25, CN25, CN50]).replace(title, long_title);
        assert_eq!(found(&text, &a), []);
        for short in [
            "增产节约运动开展以来各地职工发挥了高度",
            "及时总结经验",
            "（新华社记者侯波、刘东鳌、齐观山、钱嗣杰、吕相友、陈娟美摄）",
            "新华社记者侯波刘东鳌齐观山钱嗣杰吕相友陈娟美李基禄摄",
        ] {
            let text = doc(&[EN25, EN50], &[CN25, short, CN50]);
            assert_eq!(found(&text, &a), [], "{short}");
        }
    }

    #[test]
    fn a_translation_cut_mid_sentence() {
        let cut = "Since the national campaign for increased production began, workers everywhere have shown great enthusiasm and created many advanced experiences. But how can they be spread in a";
        let text = doc(&[EN25, cut], &[CN25, CN50]);
        let got = found(&text, &beads(&[(0..1, 0..1), (1..2, 1..2)]));
        assert_eq!(
            got,
            [(
                Code::TruncatedTranslation,
                Severity::Warning,
                "But how can they be spread in a".to_owned(),
                vec![CN50.to_owned()]
            )]
        );
        // Both ending mid-sentence (a credit, a list) is no truncation.
        let open = CN50.replace("推广呢？", "推广");
        let text = doc(&[EN25, cut], &[CN25, &open]);
        assert_eq!(found(&text, &beads(&[(0..1, 0..1), (1..2, 1..2)])), []);
        // A cut word, a trailing comma; but not a name or a date without a stop.
        for (end, cut) in [
            ("spread in a planned way for the produc", true),
            ("spread in a planned way,", true),
            ("spread in a planned way by Zhang Yunchuan", false),
            ("spread in a planned way on May 31st", false),
            ("spread in a planned way in 1952", false),
        ] {
            let en = EN50.replace("spread in a planned way, we ask?", end);
            let text = doc(&[EN25, &en], &[CN25, CN50]);
            let got = found(&text, &beads(&[(0..1, 0..1), (1..2, 1..2)]));
            assert_eq!(got.len(), usize::from(cut), "{end}: {got:?}");
        }
        // Chinese left at the end is untranslated-text, not a cut.
        let glued = format!("{EN50} 如何推广");
        let text = doc(&[EN25, &glued], &[CN25, CN50]);
        assert_eq!(found(&text, &beads(&[(0..1, 0..1), (1..2, 1..2)])), []);
        // Closing quotes and brackets do not hide the full stop.
        let quoted = format!("{EN25} (He said: \"Yes.\")");
        let text = doc(&[&quoted, EN50], &[CN25, CN50]);
        assert_eq!(found(&text, &beads(&[(0..1, 0..1), (1..2, 1..2)])), []);
    }

    #[test]
    fn an_untranslated_tail() {
        let text = doc(&[EN25], &[CN25, CN50]);
        let got = found(&text, &beads(&[(0..1, 0..1), (1..1, 1..2)]));
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, Code::TruncatedTranslation);
        assert_eq!(
            (got[0].2.as_str(), got[0].3.clone()),
            (CN50, vec![EN25.to_owned()])
        );
        // A tail of less than 40 Han is a paragraph left out, said as such.
        let text = doc(&[EN50], &[CN50, CN25]);
        let got = found(&text, &beads(&[(0..1, 0..1), (1..1, 1..2)]));
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, Code::UntranslatedParagraph);
        // A trailing credit is no tail.
        let text = doc(&[EN50], &[CN50, "（应永琛、田昌五译）"]);
        assert_eq!(found(&text, &beads(&[(0..1, 0..1), (1..1, 1..2)])), []);
    }

    #[test]
    fn cut_mid_sentence_and_a_tail_are_one_fault() {
        let cut = "Since the national campaign for increased production began, workers";
        let text = doc(&[EN25, cut], &[CN25, CN50, CN50]);
        let got = found(&text, &beads(&[(0..1, 0..1), (1..2, 1..2), (2..2, 2..3)]));
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, Code::TruncatedTranslation);
        assert_eq!(got[0].3, [CN50, CN50]);
    }

    #[test]
    fn length_ratio_low_and_high() {
        let a = beads(&[(0..1, 0..1), (1..2, 1..2)]);
        let text = doc(&[EN25, "Since then, much has been done."], &[CN25, CN50]);
        let got = found(&text, &a);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(
            (got[0].0, got[0].1, got[0].2.as_str()),
            (
                Code::LengthRatio,
                Severity::Warning,
                "Since then, much has been done."
            )
        );
        assert_eq!(got[0].3, [CN50]);
        let long = [EN50; 3].join(" ");
        let text = doc(&[EN25, &long], &[CN25, CN50]);
        let got = found(&text, &a);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(
            (got[0].0, got[0].1),
            (Code::LengthRatio, Severity::Information)
        );
        // Short originals (under 40 Han) are not judged.
        let text = doc(&["Yes.", EN50], &[CN25, CN50]);
        assert_eq!(found(&text, &a), []);
    }

    #[test]
    fn a_merge_hiding_an_omission_points_at_it() {
        // The alignment merged an untranslated paragraph into its neighbour's bead.
        let text = doc(&[EN25], &[CN25, CN50]);
        let got = found(&text, &beads(&[(0..1, 0..2)]));
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].0, got[0].1), (Code::LengthRatio, Severity::Warning));
        assert_eq!(got[0].3, [format!("{CN25}\n    {CN50}"), CN50.to_owned()]);
    }

    #[test]
    fn a_merged_pair_is_judged_as_one() {
        // One English paragraph translating two original ones.
        let merged = format!("{EN25} {EN50}");
        let text = doc(&[&merged], &[CN25, CN50]);
        assert_eq!(found(&text, &beads(&[(0..1, 0..2)])), []);
    }
}
