//! Numbers and datelines: a value in the original that its aligned English lacks
//! (`number-mismatch`), a dateline day the English opening lacks or changes
//! (`dateline-mismatch`).

use super::Context;

pub(super) fn check(_cx: &mut Context) {}
