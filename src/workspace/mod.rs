//! The workspace: every archive document under the editor's folders, not just the open
//! ones.

pub mod detect;
