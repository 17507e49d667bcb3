//! archive-lsp: a checker and language server for bilingual archive documents.
//!
//! The core ([`syntax`], [`align`], [`check`], [`ide`]) knows nothing of LSP: it speaks
//! byte ranges into the document text and its own types. [`lsp`] converts at the edge;
//! [`cli`] is the command-line checker. [`workspace`] indexes the documents of whole
//! folders for the server's workspace features.

pub mod align;
pub mod check;
pub mod cli;
pub mod config;
pub mod fix;
pub mod ide;
pub mod lsp;
pub mod syntax;
pub mod text;
pub mod workspace;
