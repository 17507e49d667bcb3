//! What the stdin guard must know of methods: the protocol's, not the server's handlers.
//!
//! The guard logs what the framework would drop in silence: a message for a method nobody
//! routes, a request sent without an id, a notification before `initialize`. For that it
//! needs to know which names are requests and which notifications — a fact of LSP, fixed by
//! the framework's `LanguageServer` trait, not of which handlers the backend implements.
//! (A trait method the backend leaves unimplemented is logged by the framework itself: it
//! warns of notifications and answers requests with -32601.) So adding a handler to
//! `backend.rs` needs nothing here. A custom method is registered by [`register_custom`],
//! next to its entry in [`CUSTOM`], and a test compares both tables with the framework's
//! own router, so neither can drift.

use super::backend::{Backend, VIEW_FILE_TEXT};
use tower_lsp_server::LspServiceBuilder;

/// Whether a method expects an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Request,
    Notification,
}

use Kind::{Notification as N, Request as R};

/// Every client-to-server method the framework routes: the `LanguageServer` trait's
/// (tower-lsp-server 0.23, LSP 3.17), with `exit` and `$/cancelRequest`, which it handles
/// itself.
pub const PROTOCOL: &[(&str, Kind)] = &[
    ("initialize", R),
    ("initialized", N),
    ("shutdown", R),
    ("exit", N),
    ("$/cancelRequest", N),
    ("textDocument/didOpen", N),
    ("textDocument/didChange", N),
    ("textDocument/willSave", N),
    ("textDocument/willSaveWaitUntil", R),
    ("textDocument/didSave", N),
    ("textDocument/didClose", N),
    ("notebookDocument/didOpen", N),
    ("notebookDocument/didChange", N),
    ("notebookDocument/didSave", N),
    ("notebookDocument/didClose", N),
    ("textDocument/declaration", R),
    ("textDocument/definition", R),
    ("textDocument/typeDefinition", R),
    ("textDocument/implementation", R),
    ("textDocument/references", R),
    ("textDocument/prepareCallHierarchy", R),
    ("callHierarchy/incomingCalls", R),
    ("callHierarchy/outgoingCalls", R),
    ("textDocument/prepareTypeHierarchy", R),
    ("typeHierarchy/supertypes", R),
    ("typeHierarchy/subtypes", R),
    ("textDocument/documentHighlight", R),
    ("textDocument/documentLink", R),
    ("documentLink/resolve", R),
    ("textDocument/hover", R),
    ("textDocument/codeLens", R),
    ("codeLens/resolve", R),
    ("textDocument/foldingRange", R),
    ("textDocument/selectionRange", R),
    ("textDocument/documentSymbol", R),
    ("textDocument/semanticTokens/full", R),
    ("textDocument/semanticTokens/full/delta", R),
    ("textDocument/semanticTokens/range", R),
    ("textDocument/inlineValue", R),
    ("textDocument/inlayHint", R),
    ("inlayHint/resolve", R),
    ("textDocument/moniker", R),
    ("textDocument/completion", R),
    ("completionItem/resolve", R),
    ("textDocument/diagnostic", R),
    ("workspace/diagnostic", R),
    ("textDocument/signatureHelp", R),
    ("textDocument/codeAction", R),
    ("codeAction/resolve", R),
    ("textDocument/documentColor", R),
    ("textDocument/colorPresentation", R),
    ("textDocument/formatting", R),
    ("textDocument/rangeFormatting", R),
    ("textDocument/onTypeFormatting", R),
    ("textDocument/rename", R),
    ("textDocument/prepareRename", R),
    ("textDocument/linkedEditingRange", R),
    ("workspace/symbol", R),
    ("workspaceSymbol/resolve", R),
    ("workspace/didChangeConfiguration", N),
    ("workspace/didChangeWorkspaceFolders", N),
    ("workspace/willCreateFiles", R),
    ("workspace/didCreateFiles", N),
    ("workspace/willRenameFiles", R),
    ("workspace/didRenameFiles", N),
    ("workspace/willDeleteFiles", R),
    ("workspace/didDeleteFiles", N),
    ("workspace/didChangeWatchedFiles", N),
    ("workspace/executeCommand", R),
];

/// The server's own methods, each registered in [`register_custom`].
pub const CUSTOM: &[(&str, Kind)] = &[(VIEW_FILE_TEXT, R)];

/// Registers every method of [`CUSTOM`] with the framework.
pub fn register_custom(builder: LspServiceBuilder<Backend>) -> LspServiceBuilder<Backend> {
    builder.custom_method(VIEW_FILE_TEXT, Backend::view_file_text)
}

/// The kind of `method` if the framework routes it anywhere, `None` if nothing does.
pub fn kind(method: &str) -> Option<Kind> {
    PROTOCOL
        .iter()
        .chain(CUSTOM)
        .find(|(name, _)| *name == method)
        .map(|&(_, kind)| kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The framework's router lists its methods in its `Debug` output: compare them with
    /// the tables, so a custom method registered without its entry (or a framework that
    /// routes another method) fails here.
    #[test]
    fn the_tables_are_what_the_framework_routes() {
        let (service, _socket) = super::super::service();
        let debug = format!("{service:?}");
        let start = debug.find("methods: [").expect("router lists its methods") + 10;
        let end = start + debug[start..].find(']').unwrap();
        let routed: BTreeSet<&str> = debug[start..end]
            .split(", ")
            .map(|m| m.trim_matches('"'))
            .collect();
        let listed: BTreeSet<&str> = PROTOCOL.iter().chain(CUSTOM).map(|(n, _)| *n).collect();
        assert_eq!(routed, listed);
        assert_eq!(kind("textDocument/hover"), Some(Kind::Request));
        assert_eq!(kind(VIEW_FILE_TEXT), Some(Kind::Request));
        assert_eq!(kind("textDocument/didChange"), Some(Kind::Notification));
        assert_eq!(kind("archive/noSuch"), None);
    }
}
