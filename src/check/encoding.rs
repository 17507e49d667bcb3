//! `invalid-encoding`: a file that is not UTF-8 (the checker reads files; an editor decodes
//! them before the server sees their text).

use super::{Code, Diagnostic};
use crate::config::Settings;

/// The `invalid-encoding` diagnostic of `bytes`, whose first invalid byte is at `at`, under
/// `settings`; `None` when the rule is off. Its span is in the bytes' lossy decoding, which
/// is their text up to `at` and U+FFFD there.
pub fn invalid_encoding(bytes: &[u8], at: usize, settings: &Settings) -> Option<Diagnostic> {
    let severity = settings.rules.severity(Code::InvalidEncoding)?;
    let bad = bytes.get(at).copied().unwrap_or_default();
    let message = format!(
        "the file is not UTF-8: invalid byte 0x{bad:02X} at byte offset {at}; expected UTF-8 text"
    );
    let mut d = Diagnostic::new(
        Code::InvalidEncoding,
        at..at + '\u{fffd}'.len_utf8(),
        message,
    );
    d.severity = severity;
    Some(d)
}
