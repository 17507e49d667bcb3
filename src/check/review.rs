//! What a reviewer must look at in the text itself: Chinese left in the English, the
//! original copied in place of its translation, and English standing in for the Chinese.

use super::{Code, Context, Severity};
use crate::syntax::{Side, Span};
use crate::text::{char_count, han_runs_iter, has_han, has_latin, is_han};
use std::collections::HashMap;

/// The codes [`check`] reports: it is not run when all of them are off.
pub(super) const CODES: &[Code] = &[
    Code::MissingChinese,
    Code::SameAsOriginal,
    Code::UntranslatedText,
];

pub(super) fn check(cx: &mut Context) {
    let doc = cx.doc;
    let copied = same_as_original(cx);
    let title = doc
        .header
        .get(crate::syntax::FieldKey::Title)
        .map(|f| f.value.clone());
    let english = title.into_iter().chain(doc.english_column()).chain(
        doc.translation
            .paragraphs
            .iter()
            .zip(&copied)
            // A copied paragraph is said once, as such, not run by run.
            .filter(|(_, copied)| !**copied)
            .map(|(p, _)| p.text.clone()),
    );
    for span in english {
        untranslated(cx, span);
    }

    let o = &doc.original;
    let original = o
        .title
        .iter()
        .map(|t| &t.text)
        .chain(o.paragraphs.iter().map(|p| &p.text));
    for span in original {
        let s = cx.str(span);
        if !has_han(s) && has_latin(s) {
            cx.push(
                Code::MissingChinese,
                span.clone(),
                "Latin text with no Chinese in the original; expected the Chinese text (English pasted over the OCR?)".into(),
            );
        }
    }
}

/// Whether the English paragraph `s` is mostly Chinese: Han outnumber Latin letters two
/// to one. Only such a paragraph can be a copy of the original.
pub(super) fn mostly_han(s: &str) -> bool {
    if s.is_ascii() {
        return false; // no Han at all
    }
    let (mut han, mut latin) = (0usize, 0usize);
    for c in s.chars() {
        // ASCII first: most of an English paragraph, and no Han.
        if c.is_ascii() {
            latin += usize::from(c.is_ascii_alphabetic());
        } else if is_han(c) {
            han += 1;
        } else if c.is_alphabetic() {
            latin += 1;
        }
    }
    han > 0 && han >= 2 * latin
}

/// The text compared when looking for a copy: without any blank (indentation, spaces
/// between names, U+3000).
fn comparable(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Reports every English paragraph that repeats an original paragraph (its counterpart,
/// or, when the alignment was misled by the copy, any other) and returns which did.
fn same_as_original(cx: &mut Context) -> Vec<bool> {
    let doc = cx.doc;
    let en = &doc.translation.paragraphs;
    let mut copied = vec![false; en.len()];
    let mut originals: Option<HashMap<String, Span>> = None;
    for (k, p) in en.iter().enumerate() {
        let s = cx.str(&p.text);
        if !mostly_han(s) {
            continue;
        }
        let wanted = comparable(s);
        let counterpart = cx
            .alignment
            .counterpart(Side::Translation, k)
            .map(|j| doc.original.paragraphs[j].text.clone())
            .find(|span| comparable(cx.str(span)) == wanted);
        let found = counterpart.or_else(|| {
            let text = cx.text;
            originals
                .get_or_insert_with(|| {
                    let o = &doc.original;
                    o.paragraphs
                        .iter()
                        .map(|p| p.text.clone())
                        .chain(o.title.iter().map(|t| t.text.clone()))
                        .rev()
                        .map(|span| (comparable(&text[span.clone()]), span))
                        .collect()
                })
                .get(&wanted)
                .cloned()
        });
        let Some(original) = found else { continue };
        copied[k] = true;
        cx.push(
            Code::SameAsOriginal,
            p.text.clone(),
            "the translation repeats the original instead of translating it; expected English"
                .into(),
        )
        .related(original, "the original text it repeats");
    }
    copied
}

fn untranslated(cx: &mut Context, span: Span) {
    for run in han_runs_iter(cx.str(&span)) {
        let run = span.start + run.start..span.start + run.end;
        let s = cx.str(&run);
        // Short runs are likely glosses (`"容" [rong]`): information only.
        let short = char_count(s) < cx.settings.review.untranslated_text_info_below;
        let message = if short {
            format!("Chinese `{s}` in the translation (a gloss?); translate it or keep it as a deliberate gloss")
        } else {
            format!("untranslated Chinese `{s}` in the translation; expected English (glossary terms belong under **Named Entities**)")
        };
        cx.push(Code::UntranslatedText, run, message).severity = if short {
            Severity::Information
        } else {
            Severity::Warning
        };
    }
}

#[cfg(test)]
mod tests {
    use crate::check::{check_text, Code};

    const SAMPLE: &str = include_str!("../../seeds/000_0d759123a74baf35.txt");

    fn lines(n: usize) -> &'static str {
        SAMPLE.lines().nth(n).unwrap()
    }

    /// (code, covered text, related texts).
    fn found(text: &str) -> Vec<(Code, String, Vec<String>)> {
        check_text(text)
            .into_iter()
            .map(|d| {
                let related = d.related.iter().map(|r| text[r.span.clone()].to_owned());
                (d.code, text[d.span].to_owned(), related.collect())
            })
            .collect()
    }

    #[test]
    fn a_copied_original_is_same_as_original_not_untranslated() {
        // English ¶2 replaced by the original's ¶2 (with its own indentation).
        let (en, cn) = (lines(8), lines(26));
        let text = SAMPLE.replacen(en, cn, 1);
        let cn_text = cn.trim_start();
        assert_eq!(
            found(&text),
            [(
                Code::SameAsOriginal,
                cn_text.to_owned(),
                vec![cn_text.to_owned()]
            )]
        );
    }

    #[test]
    fn a_copy_out_of_place_is_found_too() {
        // English ¶3 holds the original's ¶2: not its counterpart, still a copy.
        let (en, cn) = (lines(9), lines(26));
        let text = SAMPLE.replacen(en, &format!("\u{3000}\u{3000}{}", cn.trim_start()), 1);
        let got = found(&text);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, Code::SameAsOriginal);
        assert_eq!(got[0].2, [cn.trim_start()]);
    }

    #[test]
    fn chinese_that_is_not_a_copy_stays_untranslated_text() {
        let text = SAMPLE.replacen(lines(9), "    为了介绍推广先进经验的方法", 1);
        let got = found(&text);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, Code::UntranslatedText);
        // English with a Chinese gloss is no copy either.
        let gloss = SAMPLE.replacen(
            "Since the launch",
            "Since the launch of the 增产节约 campaign",
            1,
        );
        assert!(found(&gloss).iter().all(|f| f.0 == Code::UntranslatedText));
    }

    #[test]
    fn mostly_han() {
        assert!(super::mostly_han("冀南区党委  五月九日"));
        assert!(super::mostly_han("美造蒋贼F—84型飞机"));
        assert!(!super::mostly_han("the 增产节约 campaign"));
        assert!(!super::mostly_han("1952"));
    }
}
