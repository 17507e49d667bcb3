//! The workspace: every archive document under the editor's folders, not just the open
//! ones. Pure core, no LSP: [`scan()`] finds and summarises the documents, [`Index`] keeps a
//! compact [`Summary`] per file (never the text) and answers the workspace features'
//! questions (symbols by title, date, page or column; the articles of a date or page;
//! totals). The server feeds it and converts its answers at the edge.

pub mod detect;
pub mod index;
pub mod scan;
pub mod summary;

pub use index::{Full, Index, SymbolHit};
pub use scan::{scan, Event, Options, Report};
pub use summary::{Checked, Lines, Summary};
