//! What a reviewer must look at in the text itself: Chinese left in the English, and
//! English standing in for the Chinese.

use super::{Code, Context, Severity};
use crate::syntax::Span;
use crate::text::{char_count, han_runs_iter, has_han, has_latin};

pub(super) fn check(cx: &mut Context) {
    let doc = cx.doc;
    let title = doc
        .header
        .get(crate::syntax::FieldKey::Title)
        .map(|f| f.value.clone());
    let english = title
        .into_iter()
        .chain(doc.english_column())
        .chain(doc.translation.paragraphs.iter().map(|p| p.text.clone()));
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
