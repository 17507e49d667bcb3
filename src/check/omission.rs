//! What the translation leaves out or cuts short, judged on the alignment:
//! `untranslated-paragraph`, `truncated-translation`, `length-ratio`.

use super::Context;

pub(super) fn check(_cx: &mut Context) {}
