//! Code actions: the core's quick fixes ([`crate::fix::quick`]) as LSP `CodeAction`s, and
//! `codeAction/resolve`.
//!
//! Each quick fix is a `quickfix` action tied to its diagnostic (the client's own copy
//! echoed back when it sent one of the same range and code); every safe fix at once is one
//! `source.fixAll.archive-lsp` action (which `source.fixAll` and `source` ask for too).
//! The edit is inline, or computed in `codeAction/resolve` for a client that declares it
//! can resolve `edit`. Resolving needs the very text the action was offered for: its
//! `data` holds the URI, the document version and a hash of the text, and a resolve for
//! another text answers `ContentModified`, never a wrong edit.

use super::documents::{Analysis, Snapshot};
use super::log::log;
use super::position::{to_span, Encoding};
use super::proto;
use crate::fix::{quick, Edit};
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicBool, Ordering};
use tower_lsp_server::jsonrpc::{Error, ErrorCode};
use tower_lsp_server::ls_types as lsp;
use tower_lsp_server::ls_types::{CodeActionKind, Uri};

/// The kind of the fix-all action.
pub const FIX_ALL: CodeActionKind = CodeActionKind::new("source.fixAll.archive-lsp");

/// The kinds the server offers, for `codeActionProvider.codeActionKinds`.
pub fn kinds() -> Vec<CodeActionKind> {
    vec![
        CodeActionKind::QUICKFIX,
        CodeActionKind::SOURCE_FIX_ALL,
        FIX_ALL,
    ]
}

/// The server's `codeActionProvider`.
pub fn capability() -> lsp::CodeActionProviderCapability {
    lsp::CodeActionProviderCapability::Options(lsp::CodeActionOptions {
        code_action_kinds: Some(kinds()),
        resolve_provider: Some(true),
        work_done_progress_options: Default::default(),
    })
}

/// What the client declared at `initialize` about code actions and edits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Support {
    /// `codeActionLiteralSupport`: the client takes `CodeAction`s, not only `Command`s.
    pub literals: bool,
    /// `resolveSupport.properties` has `edit`: the edit may wait for `codeAction/resolve`.
    pub lazy_edit: bool,
    /// `workspace.workspaceEdit.documentChanges`: edits may name the document's version.
    pub versioned_edits: bool,
}

impl Support {
    /// Reads the client's capabilities.
    pub fn of(c: &lsp::ClientCapabilities) -> Support {
        let actions = c
            .text_document
            .as_ref()
            .and_then(|t| t.code_action.as_ref());
        Support {
            literals: actions.is_some_and(|a| a.code_action_literal_support.is_some()),
            lazy_edit: actions
                .and_then(|a| a.resolve_support.as_ref())
                .is_some_and(|r| r.properties.iter().any(|p| p == "edit")),
            versioned_edits: c
                .workspace
                .as_ref()
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                .unwrap_or(false),
        }
    }
}

/// Which fix an action stands for, in its `data`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "fix", rename_all = "camelCase")]
enum Which {
    /// The quick fix titled `title` of the diagnostic of `code` at `start..end` (bytes).
    #[serde(rename_all = "camelCase")]
    Quick {
        code: String,
        start: usize,
        end: usize,
        title: String,
    },
    /// Every safe fix.
    All,
}

/// An action's `data`: enough to recompute its edit, and to refuse to for another text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Data {
    uri: Uri,
    version: i32,
    /// A hash of the text (a string: JSON numbers lose digits past 2^53 in editors).
    text_hash: String,
    #[serde(flatten)]
    which: Which,
}

fn text_hash(text: &str) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    format!("{:016x}", h.finish())
}

/// Whether an action of `kind` is asked for by `only` (a kind matches itself and the
/// kinds below it: `source` asks for `source.fixAll.archive-lsp`).
fn wanted(kind: &CodeActionKind, only: Option<&[CodeActionKind]>) -> bool {
    let Some(only) = only else { return true };
    only.iter().any(|o| {
        let (o, k) = (o.as_str(), kind.as_str());
        o.is_empty() || k == o || k.strip_prefix(o).is_some_and(|r| r.starts_with('.'))
    })
}

/// Quick fixes are listed for at most this many diagnostics of the range: each may be
/// verified by a check of the document, and a request must stay quick however wide its
/// range (a client asking about the whole document).
const MAX_DIAGNOSTICS_FIXED: usize = 100;

/// The code actions for `range` of the document: its diagnostics' quick fixes there, and
/// fix-all when there is something safe to fix. `None` for a client that takes no
/// `CodeAction` literals (said once in the log).
pub fn actions(
    uri: &Uri,
    snapshot: &Snapshot,
    a: &Analysis,
    params: &lsp::CodeActionParams,
    enc: Encoding,
    support: Support,
) -> Option<Vec<lsp::CodeActionOrCommand>> {
    if !support.literals {
        static SAID: AtomicBool = AtomicBool::new(false);
        if !SAID.swap(true, Ordering::Relaxed) {
            log("the client takes no CodeAction literals (codeActionLiteralSupport): no code actions offered");
        }
        return None;
    }
    let only = params.context.only.as_deref();
    let range = to_span(&a.rope, params.range, enc);
    // The fixes verify themselves against the rules the diagnostics were found with.
    let settings = &a.settings;
    let mut out = Vec::new();
    let hash = text_hash(&a.text);
    let data = |which: Which| {
        serde_json::to_value(Data {
            uri: uri.clone(),
            version: snapshot.version,
            text_hash: hash.clone(),
            which,
        })
        .ok()
    };
    if wanted(&CodeActionKind::QUICKFIX, only) {
        let in_range: Vec<usize> = (0..a.diagnostics.len())
            .filter(|&i| {
                let d = &a.diagnostics[i].span;
                d.start <= range.end && range.start <= d.end
            })
            .collect();
        if in_range.len() > MAX_DIAGNOSTICS_FIXED {
            log(format_args!(
                "codeAction: {} diagnostics in the range; quick fixes for the first {MAX_DIAGNOSTICS_FIXED} (fix-all takes them all)",
                in_range.len()
            ));
        }
        for &i in in_range.iter().take(MAX_DIAGNOSTICS_FIXED) {
            let d = &a.diagnostics[i];
            let fixes = quick::fixes_for(&a.text, &a.doc, settings, &a.diagnostics, i);
            if fixes.is_empty() {
                continue;
            }
            let ours = proto::diagnostic(&a.rope, uri, d, enc);
            // The client's copy when it sent one (same range and code), as LSP asks.
            let diagnostic = params
                .context
                .diagnostics
                .iter()
                .find(|c| {
                    c.range == ours.range
                        && c.code == ours.code
                        && c.source.as_deref().is_none_or(|s| s == proto::SOURCE)
                })
                .cloned()
                .unwrap_or(ours);
            for f in fixes {
                let mut action = lsp::CodeAction {
                    title: f.title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    is_preferred: Some(f.preferred),
                    ..Default::default()
                };
                if support.lazy_edit {
                    action.data = data(Which::Quick {
                        code: d.code.name().to_owned(),
                        start: d.span.start,
                        end: d.span.end,
                        title: f.title,
                    });
                } else {
                    action.edit = Some(workspace_edit(uri, snapshot, a, &f.edits, enc, support));
                }
                out.push(action.into());
            }
        }
    }
    // Source actions are asked for by kind (a "Source Action" menu, fix-all on save); an
    // automatic request with no kind (the cursor moved) is for quick fixes only.
    let automatic = params.context.trigger_kind == Some(lsp::CodeActionTriggerKind::AUTOMATIC);
    let fix_all_wanted = if only.is_none() {
        !automatic
    } else {
        wanted(&FIX_ALL, only)
    };
    if fix_all_wanted && quick::has_safe_candidate(&a.text, &a.doc, &a.diagnostics) {
        let mut action = lsp::CodeAction {
            title: "Fix all safe archive-lsp problems".to_owned(),
            kind: Some(FIX_ALL),
            ..Default::default()
        };
        // Offered when a safe fix exists; lazily, that is known without verifying them
        // (the resolved edit is then the verified ones, perhaps none).
        let offer = if support.lazy_edit {
            action.data = data(Which::All);
            true
        } else {
            let edits = quick::fix_all_edits(&a.text, settings);
            action.edit = Some(workspace_edit(uri, snapshot, a, &edits, enc, support));
            !edits.is_empty()
        };
        if offer {
            out.push(action.into());
        }
    }
    Some(out)
}

/// `codeAction/resolve`: `action` with its edit, recomputed from its `data` on the
/// document's current text, which must be the one it was offered for.
pub fn resolve(
    mut action: lsp::CodeAction,
    current: impl FnOnce(&Uri) -> Option<(Snapshot, std::sync::Arc<Analysis>)>,
    enc: Encoding,
    support: Support,
) -> Result<lsp::CodeAction, Error> {
    let data: Data = action
        .data
        .clone()
        .and_then(|d| serde_json::from_value(d).ok())
        .ok_or_else(|| {
            Error::invalid_params("archive-lsp: this code action has no data to resolve")
        })?;
    let Some((snapshot, a)) = current(&data.uri) else {
        return Err(Error::invalid_params(format!(
            "archive-lsp: document not open: {}",
            data.uri.as_str()
        )));
    };
    if snapshot.version != data.version || text_hash(&a.text) != data.text_hash {
        return Err(Error {
            code: ErrorCode::ContentModified,
            message: format!(
                "archive-lsp: the document changed since this fix was offered (version {} then, {} now); ask for code actions again",
                data.version, snapshot.version
            )
            .into(),
            data: None,
        });
    }
    let settings = &a.settings;
    let edits = match &data.which {
        Which::All => quick::fix_all_edits(&a.text, settings),
        Which::Quick {
            code,
            start,
            end,
            title,
        } => {
            let index = a
                .diagnostics
                .iter()
                .position(|d| d.code.name() == code && d.span == (*start..*end));
            let fix = index.and_then(|i| {
                quick::fixes_for(&a.text, &a.doc, settings, &a.diagnostics, i)
                    .into_iter()
                    .find(|f| f.title == *title)
            });
            match fix {
                Some(f) => f.edits,
                None => {
                    return Err(Error::invalid_params(format!(
                        "archive-lsp: the fix `{title}` is no longer offered for this document"
                    )))
                }
            }
        }
    };
    action.edit = Some(workspace_edit(
        &data.uri, &snapshot, &a, &edits, enc, support,
    ));
    Ok(action)
}

/// Edits of one document as a `WorkspaceEdit`: versioned `documentChanges` when the client
/// takes them (the edit then applies only to the text it was made for), else `changes`.
fn workspace_edit(
    uri: &Uri,
    snapshot: &Snapshot,
    a: &Analysis,
    edits: &[Edit],
    enc: Encoding,
    support: Support,
) -> lsp::WorkspaceEdit {
    let edits = super::edits::text_edits(&a.rope, edits, enc);
    if support.versioned_edits {
        lsp::WorkspaceEdit {
            document_changes: Some(lsp::DocumentChanges::Edits(vec![lsp::TextDocumentEdit {
                text_document: lsp::OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version: Some(snapshot.version),
                },
                edits: edits.into_iter().map(lsp::OneOf::Left).collect(),
            }])),
            ..Default::default()
        }
    } else {
        lsp::WorkspaceEdit {
            changes: Some(std::iter::once((uri.clone(), edits)).collect()),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_matches_kinds_by_prefix() {
        let k = |s: &'static str| CodeActionKind::new(s);
        assert!(wanted(&FIX_ALL, None));
        assert!(wanted(&FIX_ALL, Some(&[k("source")])));
        assert!(wanted(&FIX_ALL, Some(&[k("source.fixAll")])));
        assert!(wanted(&FIX_ALL, Some(&[k("source.fixAll.archive-lsp")])));
        assert!(!wanted(&FIX_ALL, Some(&[k("quickfix")])));
        assert!(!wanted(&FIX_ALL, Some(&[k("source.fix")])));
        assert!(!wanted(&CodeActionKind::QUICKFIX, Some(&[k("source")])));
        assert!(wanted(
            &CodeActionKind::QUICKFIX,
            Some(&[k("refactor"), k("quickfix")])
        ));
    }

    #[test]
    fn data_round_trips_and_keeps_the_hash_a_string() {
        let d = Data {
            uri: "file:///a.md".parse().unwrap(),
            version: 3,
            text_hash: text_hash("x"),
            which: Which::Quick {
                code: "indentation".into(),
                start: 1,
                end: 2,
                title: "t".into(),
            },
        };
        let v = serde_json::to_value(&d).unwrap();
        assert!(v["textHash"].is_string() && v["fix"] == "quick", "{v}");
        assert_eq!(serde_json::from_value::<Data>(v).unwrap(), d);
    }
}
