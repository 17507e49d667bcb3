//! OCR debris in the original: `ocr-artifact`, `halfwidth-punctuation`.

use super::Context;

pub(super) fn check(_cx: &mut Context) {}
