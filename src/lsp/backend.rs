//! The `LanguageServer` implementation: a thin shell of protocol → feature → protocol.
//!
//! Every handler that analyses runs the analysis through `isolate`, so a panic answers
//! that one request with an internal error and a log line, and the server goes on.
//!
//! Diagnostics are published by a task of their own, coalesced per document. A change
//! after a quiet moment is published at once. In a burst (messages from the client are
//! waiting, or the document was published less than [`PUBLISH_INTERVAL`] ago), the task
//! waits until no message has been waiting for a couple of milliseconds, or for
//! [`PUBLISH_INTERVAL`] at most, then publishes the newest text. So a burst of a thousand
//! edits costs a few analyses, a lone keystroke no delay, and the final version is always
//! published promptly (LSP allows skipping intermediate versions). Requests never wait
//! for this: they analyse the current text themselves (the analysis is cached per
//! revision, so the two share the work).

use super::code_actions;
use super::documents::{Analysis, Changed, Documents, Snapshot};
use super::log::log;
use super::position::{negotiate, to_offset, to_range as proto_range, to_span, Encoding};
use super::proto;
use super::settings::{EditorSource, ServerSettings};
use super::transport;
use super::workspace::{self, Workspace};
use crate::ide;
use serde::Deserialize;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

/// The name of the request that returns the server's copy of a document.
pub const VIEW_FILE_TEXT: &str = "archive/viewFileText";

/// What the client told us at `initialize` that changes our answers.
#[derive(Debug, Clone, Copy)]
struct Caps {
    encoding: Encoding,
    hierarchical_symbols: bool,
    definition_links: bool,
    /// `inlayHints.paragraphs` in `initializationOptions` (default on).
    paragraph_hints: bool,
    /// The client folds whole lines only (so folds inside a line are not sent).
    line_folding_only: bool,
    /// The client sends `prepareRename`.
    prepare_rename: bool,
    /// What the client takes of code actions.
    code_actions: code_actions::Support,
    /// The client answers `workspace/configuration`.
    configuration_pull: bool,
    /// The client lets us register a file watcher (`workspace/didChangeWatchedFiles`).
    watch_files: bool,
    /// The client pulls diagnostics (`textDocument/diagnostic`) and takes
    /// `workspace/diagnostic/refresh`: it gets no `publishDiagnostics` (one model per
    /// client, never both). A client that pulls but cannot be asked to pull again (Neovim
    /// 0.11) is pushed to: after a settings change, only a push can bring it up to date.
    pull_diagnostics: bool,
    /// The client shows `$/progress` for tokens we create (`window.workDoneProgress`).
    work_done_progress: bool,
}

impl Default for Caps {
    fn default() -> Caps {
        Caps {
            encoding: Encoding::default(),
            hierarchical_symbols: false,
            definition_links: false,
            paragraph_hints: true,
            line_folding_only: false,
            prepare_rename: false,
            code_actions: code_actions::Support::default(),
            configuration_pull: false,
            watch_files: false,
            pull_diagnostics: false,
            work_done_progress: false,
        }
    }
}

/// In a burst of edits, diagnostics wait for quiet at most this long.
pub const PUBLISH_INTERVAL: Duration = Duration::from_millis(20);

/// The server's state, shared with the publishing tasks.
#[derive(Debug)]
pub struct State {
    client: Client,
    docs: Documents,
    caps: Mutex<Caps>,
    /// Per open document: whether a publication is scheduled, and when the last went out.
    publishing: Mutex<HashMap<Uri, Publishing>>,
    /// Held while checking that a document is open and sending its diagnostics, and by
    /// `didClose` while sending the empty list, so stale diagnostics never follow it.
    send_gate: tokio::sync::Mutex<()>,
    /// Set by `shutdown`; `exit` without it ends the process with status 1.
    shut_down: Arc<AtomicBool>,
    /// Per open document: the last semantic tokens sent, by result id, for deltas.
    semantic_tokens: Mutex<HashMap<Uri, SentTokens>>,
    /// Each document's settings: its folder's configuration file and the editor's.
    settings: ServerSettings,
    /// Numbers the `workspace/configuration` requests, so that only the newest answer
    /// is applied.
    configuration_requests: std::sync::atomic::AtomicU64,
    /// The archive documents under the workspace folders.
    workspace: std::sync::OnceLock<Workspace>,
    /// The workspace folders given at `initialize`, indexed on `initialized`.
    initial_folders: Mutex<Vec<std::path::PathBuf>>,
    /// The output the framework writes its answers to, for messages that must come before
    /// an answer (partial results); none when the service runs without stdio (unit tests).
    ordered: Option<transport::SharedStdout>,
    /// The text closed since freed memory was last returned to the system.
    closes: super::memory::Closes,
}

/// Semantic tokens as last sent for a document.
#[derive(Debug)]
struct SentTokens {
    result_id: String,
    data: Arc<Vec<SemanticToken>>,
    /// The analysis they were computed from: while it is the document's current one, the
    /// same text is asked about again and the tokens are reused.
    of: std::sync::Weak<Analysis>,
}

#[derive(Debug, Default)]
struct Publishing {
    /// Scheduled, and not yet taken the text.
    scheduled: bool,
    last: Option<Instant>,
}

/// The `LanguageServer`: a handle on the shared [`State`].
#[derive(Debug)]
pub struct Backend(Arc<State>);

impl std::ops::Deref for Backend {
    type Target = State;
    fn deref(&self) -> &State {
        &self.0
    }
}

/// Parameters of [`VIEW_FILE_TEXT`].
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ViewFileTextParams {
    pub text_document: TextDocumentIdentifier,
}

/// Runs `f`, turning a panic into a JSON-RPC internal error and a log line.
fn isolate<T>(what: &str, f: impl FnOnce() -> T) -> Result<T> {
    // AssertUnwindSafe: the closures only read snapshots; the document store is touched
    // through its own lock, never left half-updated by analysis.
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let reason = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        log(format_args!("internal error in {what}: {reason}"));
        Error {
            code: ErrorCode::InternalError,
            message: format!("archive-lsp: internal error in {what}: {reason}").into(),
            data: None,
        }
    })
}

impl Backend {
    /// A backend speaking to `client`; `shut_down` is set when `shutdown` is received;
    /// `ordered` is the output the framework's answers go to (see [`State`]).
    pub fn new(
        client: Client,
        shut_down: Arc<AtomicBool>,
        ordered: Option<transport::SharedStdout>,
    ) -> Backend {
        Backend(Arc::new(State {
            client,
            docs: Documents::default(),
            caps: Mutex::new(Caps::default()),
            publishing: Mutex::default(),
            send_gate: tokio::sync::Mutex::new(()),
            shut_down,
            semantic_tokens: Mutex::default(),
            settings: ServerSettings::default(),
            configuration_requests: Default::default(),
            workspace: std::sync::OnceLock::new(),
            initial_folders: Mutex::default(),
            ordered,
            closes: Default::default(),
        }))
    }

    /// Schedules the publication of `uri`'s diagnostics (see the module comment); nothing
    /// for a client that pulls them.
    fn schedule_publish(&self, uri: Uri) {
        if self.caps().pull_diagnostics {
            return;
        }
        let last = {
            let mut map = self
                .publishing
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let p = map.entry(uri.clone()).or_default();
            if p.scheduled {
                return; // the scheduled one will take the newest text
            }
            p.scheduled = true;
            p.last
        };
        let state = self.0.clone();
        tokio::spawn(async move {
            let in_burst = last.is_some_and(|t| t.elapsed() < PUBLISH_INTERVAL);
            if in_burst || transport::queued() > 0 {
                wait_for_quiet().await;
            }
            state.publish(uri).await;
        });
    }
}

impl State {
    fn caps(&self) -> Caps {
        *self.caps.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn analysis(&self, uri: &Uri, snapshot: &Snapshot) -> Arc<Analysis> {
        let (settings, generation) = self.settings.for_document(uri);
        self.report_settings_errors();
        self.docs.analysis(uri, snapshot, generation, |rope| {
            let a = Arc::new(Analysis::new(rope, settings, generation));
            // The index takes the editor's text of a document under a workspace folder.
            if let Some(path) = uri.to_file_path() {
                let summary =
                    crate::workspace::Summary::from_checked(&a.text, &a.doc, &a.diagnostics);
                if self.workspace().opened(&path, summary, a.text.len() as u64) {
                    self.report_capped();
                }
            }
            a
        })
    }

    /// The current text of `uri`; `None`, logged, if it is not open (a client asking about
    /// one is confused, but not fatally).
    fn open_snapshot(&self, what: &str, uri: &Uri) -> Option<Snapshot> {
        let snapshot = self.docs.snapshot(uri);
        if snapshot.is_none() {
            log(format_args!(
                "{what} on a document that is not open: {}",
                uri.as_str()
            ));
        }
        snapshot
    }

    /// Runs `f` on the current analysis of `uri`, isolated; `None` if the document is not
    /// open (logged: a client asking about one is confused, but not fatally).
    fn with_analysis<T>(
        &self,
        what: &str,
        uri: &Uri,
        f: impl FnOnce(&Analysis, Caps) -> Option<T>,
    ) -> Result<Option<T>> {
        let Some(snapshot) = self.open_snapshot(what, uri) else {
            return Ok(None);
        };
        let caps = self.caps();
        isolate(what, || f(&self.analysis(uri, &snapshot), caps))
    }

    /// Checks the document's current text and publishes its diagnostics (none if the
    /// check panicked, nothing if the document was closed meanwhile).
    async fn publish(&self, uri: Uri) {
        {
            // Unscheduled before the text is taken: a change after this schedules anew.
            let mut map = self
                .publishing
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if let Some(p) = map.get_mut(&uri) {
                p.scheduled = false;
                p.last = Some(Instant::now());
            }
        }
        let Some(snapshot) = self.docs.snapshot(&uri) else {
            return;
        };
        let enc = self.caps().encoding;
        let diagnostics = isolate("diagnostics", || {
            let a = self.analysis(&uri, &snapshot);
            a.diagnostics
                .iter()
                .map(|d| proto::diagnostic(&a.rope, &uri, d, enc))
                .collect::<Vec<_>>()
        });
        let Ok(diagnostics) = diagnostics else { return };
        let _gate = self.send_gate.lock().await;
        if self.docs.snapshot(&uri).is_some() {
            self.client
                .publish_diagnostics(uri, diagnostics, Some(snapshot.version))
                .await;
        }
    }
}

impl State {
    /// Tells the user (the log and `window/showMessage`) of settings that cannot be used.
    fn report_settings_errors(&self) {
        let messages = self.settings.take_messages();
        if messages.is_empty() {
            return;
        }
        for m in &messages {
            log(format_args!("{m}"));
        }
        let client = self.client.clone();
        tokio::spawn(async move {
            for m in messages {
                client
                    .show_message(MessageType::WARNING, format!("archive-lsp: {m}"))
                    .await;
            }
        });
    }

    /// After the editor's settings were taken (`changed`: they may differ from before): their
    /// errors are told, and if anything changed every open document is checked again.
    fn editor_settings_taken(self: &Arc<State>, changed: bool) {
        self.report_settings_errors();
        if changed {
            self.settings_changed();
        }
    }

    /// Republishes every open document's diagnostics with the settings as they are now
    /// (a client that pulls them is asked to pull again, if it can be).
    fn settings_changed(self: &Arc<State>) {
        log("settings changed: checking the open documents again");
        // The index's counts follow the settings too: its folders are scanned again (after
        // the scan under way, if one is).
        let folders = self
            .workspace()
            .scan_or_later(self.workspace().all_folders());
        self.index_folders(folders);
        if self.caps().pull_diagnostics {
            // On a task of its own: the client answers after this handler returns.
            let client = self.client.clone();
            tokio::spawn(async move {
                if let Err(e) = client.workspace_diagnostic_refresh().await {
                    log(format_args!(
                        "workspace/diagnostic/refresh failed: {}",
                        e.message
                    ));
                }
            });
            return;
        }
        for uri in self.docs.uris() {
            Backend(self.clone()).schedule_publish(uri);
        }
    }

    /// Asks the client for the `archiveLsp` section of its settings, without a scope and for
    /// each workspace folder (VS Code's folder settings), on a task of its own: a handler
    /// awaiting the client would wait forever behind itself, as the server handles one
    /// message at a time. Only the newest request's answer is applied.
    fn pull_configuration(self: &Arc<State>) {
        let number = self.configuration_requests.fetch_add(1, Ordering::SeqCst) + 1;
        let state = self.clone();
        let folders: Vec<(std::path::PathBuf, Uri)> = self
            .workspace()
            .all_folders()
            .into_iter()
            .filter_map(|f| Some((f.clone(), Uri::from_file_path(&f)?)))
            .collect();
        tokio::spawn(async move {
            let item = |scope_uri| ConfigurationItem {
                scope_uri,
                section: Some(crate::config::SECTION.to_string()),
            };
            let items = std::iter::once(item(None))
                .chain(folders.iter().map(|(_, uri)| item(Some(uri.clone()))))
                .collect();
            match state.client.configuration(items).await {
                Ok(values) => {
                    if state.configuration_requests.load(Ordering::SeqCst) == number {
                        let mut values = values.into_iter();
                        let whole = values.next().unwrap_or_default();
                        // A client that answers fewer items leaves those folders to `whole`.
                        let scoped: Vec<_> =
                            folders.into_iter().map(|(f, _)| f).zip(values).collect();
                        let changed = state.settings.set_configuration(&whole, &scoped);
                        state.editor_settings_taken(changed);
                    }
                }
                Err(e) => log(format_args!(
                    "workspace/configuration failed ({}); the settings stay as they were",
                    e.message
                )),
            }
        });
    }

    /// Asks the client to tell us of changes to configuration files and to the workspace's
    /// documents, on a task of its own (see [`State::pull_configuration`]).
    fn watch_files(&self) {
        let client = self.client.clone();
        tokio::spawn(async move {
            let options = DidChangeWatchedFilesRegistrationOptions {
                // Configuration files, and the documents of the workspace index; created,
                // changed and deleted.
                watchers: [crate::config::FILE_NAME, "*.md", "*.txt"]
                    .iter()
                    .map(|name| FileSystemWatcher {
                        glob_pattern: GlobPattern::String(format!("**/{name}")),
                        kind: None,
                    })
                    .collect(),
            };
            let registration = Registration {
                id: "archive-lsp-configuration-files".to_string(),
                method: "workspace/didChangeWatchedFiles".to_string(),
                register_options: serde_json::to_value(options).ok(),
            };
            if let Err(e) = client.register_capability(vec![registration]).await {
                log(format_args!(
                    "could not watch {} files ({}): they are re-read when a document is opened or saved",
                    crate::config::FILE_NAME,
                    e.message
                ));
            }
        });
    }

    /// The workspace index (made at `initialize`; empty before).
    fn workspace(&self) -> &Workspace {
        self.workspace
            .get_or_init(|| Workspace::new(workspace::DEFAULT_CAP))
    }

    /// Indexes the archive documents under `folders` in the background: the scan runs on
    /// a blocking thread with its own workers (one core is left to the requests), and its
    /// progress goes to the client as `$/progress` when it shows progress, always begun
    /// and ended, reported at most every 100 ms.
    fn index_folders(self: &Arc<State>, folders: Vec<std::path::PathBuf>) {
        if folders.is_empty() {
            return;
        }
        // Counted before the task runs, so that a status asked right after `initialized`
        // already says that indexing is under way.
        self.workspace().scanning(true);
        let state = self.clone();
        tokio::spawn(async move {
            static SCANS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
            let number = SCANS.fetch_add(1, Ordering::Relaxed);
            let progress = if state.caps().work_done_progress {
                let token = ProgressToken::String(format!("archive-lsp/index/{number}"));
                match state.client.create_work_done_progress(token.clone()).await {
                    Ok(()) => Some(
                        state
                            .client
                            .progress(token, "Indexing archive")
                            .with_percentage(0)
                            .with_message("0 / 0 files")
                            .begin()
                            .await,
                    ),
                    Err(e) => {
                        log(format_args!(
                            "no progress shown for indexing: {}",
                            e.message
                        ));
                        None
                    }
                }
            } else {
                None
            };
            let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(usize, usize)>();
            let scanner = state.clone();
            let started = Instant::now();
            let roots = folders.clone();
            let scan =
                tokio::task::spawn_blocking(move || {
                    let workspace = scanner.workspace();
                    let mut found = std::collections::HashSet::new();
                    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
                    let options = crate::workspace::Options {
                        threads: cores.saturating_sub(1).max(1),
                        cap: workspace.room(),
                        ..Default::default()
                    };
                    let cancel = AtomicBool::new(false);
                    let settings = |path: &std::path::Path| {
                        let folder = path.parent().map(std::path::Path::to_path_buf);
                        Arc::new(scanner.settings.for_folder(folder).0)
                    };
                    let report =
                        crate::workspace::scan(&roots, &options, settings, &cancel, |event| {
                            match event {
                                crate::workspace::Event::Progress { found, done } => {
                                    let _ = tx.send((found, done));
                                }
                                crate::workspace::Event::Indexed {
                                    path,
                                    summary,
                                    bytes,
                                } => {
                                    found.insert(path.clone());
                                    workspace.insert(path, summary, bytes);
                                }
                                crate::workspace::Event::Failed { .. } => {}
                            }
                        });
                    // A scan again of a folder (after a save without a watcher, or a settings
                    // change) drops what is gone from disk.
                    if !report.capped && !report.cancelled {
                        workspace.retain_found(&roots, &found);
                    }
                    report
                });
            let mut last: Option<Instant> = None;
            while let Some((found, done)) = rx.recv().await {
                if last.is_some_and(|t| t.elapsed() < Duration::from_millis(100)) {
                    continue;
                }
                last = Some(Instant::now());
                if let Some(p) = &progress {
                    let percentage = (done * 100).checked_div(found).unwrap_or(0);
                    let message = format!(
                        "{} / {} files",
                        workspace::thousands(done),
                        workspace::thousands(found)
                    );
                    p.report_with_message(message, percentage as u32).await;
                }
            }
            let report = scan.await.unwrap_or_default();
            state.workspace().scanning(false);
            // What was asked for while it ran (a save, a settings change).
            let again = state.workspace().take_rescans();
            state.index_folders(again);
            let summary = format!(
                "indexed {} archive documents of {} files in {:.2?}{}",
                workspace::thousands(report.indexed),
                workspace::thousands(report.found),
                started.elapsed(),
                if report.failed > 0 {
                    format!(" ({} could not be read)", report.failed)
                } else {
                    String::new()
                }
            );
            log(format_args!("{summary}"));
            if let Some(p) = progress {
                p.finish_with_message(format!("{} files", workspace::thousands(report.indexed)))
                    .await;
            }
            if report.capped && state.workspace().mark_capped() {
                state.report_capped();
            }
        });
    }

    /// Tells the user (once: the caller has just marked it) that the index is full.
    fn report_capped(&self) {
        let cap = self.workspace().status_json()["cap"].clone();
        let message = format!(
            "archive-lsp: the workspace has more archive documents than the index takes ({cap}); the first {cap} in path order are indexed (initializationOptions.workspace.maxFiles sets the cap)"
        );
        log(format_args!("{message}"));
        let client = self.client.clone();
        tokio::spawn(async move {
            client.show_message(MessageType::WARNING, message).await;
        });
    }

    /// Checks the files in `paths` for workspace diagnostics on a thread of its own, at the
    /// scan's low priority (a folder's first pull can mean thousands of checks, and the
    /// open documents' requests go first), unless a check of that kind runs already (the
    /// next pull asks again for what is still missing).
    fn compute_diagnostics(self: &Arc<State>, paths: Vec<std::path::PathBuf>) {
        if paths.is_empty() || !self.workspace().start_computing() {
            return;
        }
        let state = self.clone();
        let started = std::thread::Builder::new()
            .name("workspace-diagnostics".into())
            .spawn(move || {
                crate::workspace::scan::yield_to_requests();
                state.check_for_workspace_diagnostics(paths);
                state.workspace().computed();
            });
        if let Err(e) = started {
            log(format_args!(
                "cannot start checking for workspace diagnostics: {e}"
            ));
            self.workspace().computed();
        }
    }

    /// The work of [`State::compute_diagnostics`]: each file read, checked and stored.
    fn check_for_workspace_diagnostics(&self, paths: Vec<std::path::PathBuf>) {
        let encoding = self.caps().encoding;
        let mut messages = proto::Messages::default();
        for path in paths {
            let folder = path.parent().map(std::path::Path::to_path_buf);
            let (settings, generation) = self.settings.for_folder(folder);
            let max = crate::workspace::scan::MAX_FILE_BYTES;
            let Ok(bytes) = crate::workspace::scan::read_at_most(&path, max) else {
                continue;
            };
            let size = bytes.len() as u64;
            let checked = catch_unwind(AssertUnwindSafe(|| {
                let checked = crate::workspace::Checked::of_bytes(bytes, &settings);
                let rope = ropey::Rope::from_str(&checked.text);
                let items: Arc<[proto::KeptDiagnostic]> = checked
                    .diagnostics
                    .iter()
                    .map(|d| proto::KeptDiagnostic::new(&rope, d, encoding, &mut messages))
                    .collect();
                (checked.summary, items)
            }));
            let Ok((summary, items)) = checked else {
                log(format_args!(
                    "internal error checking {} for workspace diagnostics",
                    path.display()
                ));
                continue;
            };
            let stored = workspace::Stored {
                content: summary.content,
                generation,
                items,
            };
            self.workspace().store(path, summary, size, stored);
        }
    }

    /// Re-reads documents changed on disk (`true`: deleted) for the index, off the
    /// request path.
    fn refresh_files(self: &Arc<State>, changes: Vec<(std::path::PathBuf, bool)>) {
        if changes.is_empty() {
            return;
        }
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            for (path, deleted) in changes {
                let workspace = state.workspace();
                if deleted {
                    workspace.deleted(&path);
                    continue;
                }
                let folder = path.parent().map(std::path::Path::to_path_buf);
                let (settings, _) = state.settings.for_folder(folder);
                if workspace.refresh(&path, &settings) {
                    state.report_capped();
                }
            }
        });
    }

    /// For clients that do not watch files: re-reads `uri`'s configuration file if it
    /// changed on disk.
    fn revalidate_settings(self: &Arc<State>, uri: &Uri) {
        if self.settings.revalidate(uri) {
            self.settings_changed();
        }
    }
}

impl State {
    /// The semantic tokens of the document's current text, with the analysis they come
    /// from: the ones last sent if the text is the same (editors ask again for an unchanged
    /// text: on focus, after a range request), else computed; `None` if it is not open.
    #[allow(clippy::type_complexity)]
    fn current_tokens(
        &self,
        what: &str,
        uri: &Uri,
    ) -> Result<Option<(Arc<Vec<SemanticToken>>, std::sync::Weak<Analysis>)>> {
        let Some(snapshot) = self.open_snapshot(what, uri) else {
            return Ok(None);
        };
        let caps = self.caps();
        isolate(what, || {
            let a = self.analysis(uri, &snapshot);
            let sent = self
                .semantic_tokens
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get(uri)
                .filter(|s| s.of.upgrade().is_some_and(|of| Arc::ptr_eq(&of, &a)))
                .map(|s| s.data.clone());
            let data = sent.unwrap_or_else(|| {
                let tokens = ide::semantic_tokens::tokens(a.view());
                Arc::new(proto::semantic_tokens(&a.text, &tokens, caps.encoding))
            });
            Some((data, Arc::downgrade(&a)))
        })
    }

    /// Keeps `data` as the document's last semantic tokens; returns its new result id.
    fn remember_tokens(
        &self,
        uri: &Uri,
        data: Arc<Vec<SemanticToken>>,
        of: std::sync::Weak<Analysis>,
    ) -> String {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let result_id = NEXT.fetch_add(1, Ordering::Relaxed).to_string();
        // Only for open documents: a request about a closed one must not leave an entry.
        if self.docs.snapshot(uri).is_some() {
            self.semantic_tokens
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(
                    uri.clone(),
                    SentTokens {
                        result_id: result_id.clone(),
                        data,
                        of,
                    },
                );
        }
        result_id
    }
}

impl Backend {
    /// `archive/viewFileText`: the server's current text of a document.
    pub async fn view_file_text(&self, params: ViewFileTextParams) -> Result<String> {
        let uri = params.text_document.uri;
        match self.docs.snapshot(&uri) {
            Some(s) => Ok(s.rope.to_string()),
            None => Err(Error::invalid_params(format!(
                "document not open: {}",
                uri.as_str()
            ))),
        }
    }
}

/// One file's part of a workspace diagnostics report in LSP's types (`None` for a path
/// that is no URI).
fn workspace_report(part: workspace::Part) -> Option<WorkspaceDocumentDiagnosticReport> {
    use workspace::Part;
    Some(match part {
        Part::Unchanged { path, result_id } => WorkspaceDocumentDiagnosticReport::Unchanged(
            WorkspaceUnchangedDocumentDiagnosticReport {
                uri: Uri::from_file_path(&path)?,
                version: None,
                unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                    result_id,
                },
            },
        ),
        Part::Full {
            path,
            result_id,
            items,
        } => {
            let uri = Uri::from_file_path(&path)?;
            let items = items.iter().map(|d| d.to_lsp(&uri)).collect();
            WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
                uri,
                version: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: Some(result_id),
                    items,
                },
            })
        }
        Part::Gone { path } => {
            WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
                uri: Uri::from_file_path(&path)?,
                version: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: None,
                    items: Vec::new(),
                },
            })
        }
    })
}

/// Sends `items` as `workspace/diagnostic` partial results under `token`, on `out` (so
/// before the request's answer).
fn send_partial_results(
    out: &transport::SharedStdout,
    token: &ProgressToken,
    items: impl Iterator<Item = WorkspaceDocumentDiagnosticReport>,
) {
    /// Files per partial result: a month folder's faulty files in a few messages, none of
    /// them large.
    const CHUNK: usize = 200;
    static SAID: std::sync::Once = std::sync::Once::new();
    SAID.call_once(|| log("workspace diagnostics go out as partial results"));
    let mut items = items.peekable();
    while items.peek().is_some() {
        let value = WorkspaceDiagnosticReportPartialResult {
            items: items.by_ref().take(CHUNK).collect(),
        };
        out.send_message(&serde_json::json!({
            "jsonrpc": "2.0",
            "method": "$/progress",
            "params": {"token": token, "value": value},
        }));
    }
}

/// The result id of an analysis's diagnostics: they follow from its text and its settings'
/// generation, so equal ids mean equal diagnostics (a reopened document with the same text
/// keeps its id; any edit or settings change makes a new one).
fn diagnostics_result_id(a: &Analysis) -> String {
    let text = xxhash_rust::xxh3::xxh3_64(a.text.as_bytes());
    format!("{}-{text:016x}", a.generation)
}

/// Returns once no client message has been waiting at two checks a millisecond apart, or
/// after [`PUBLISH_INTERVAL`].
async fn wait_for_quiet() {
    let deadline = Instant::now() + PUBLISH_INTERVAL;
    let mut quiet = 0;
    while quiet < 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(1)).await;
        quiet = if transport::queued() == 0 {
            quiet + 1
        } else {
            0
        };
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let c = &params.capabilities;
        let encoding = negotiate(
            c.general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        let td = c.text_document.as_ref();
        let caps = Caps {
            encoding,
            hierarchical_symbols: td
                .and_then(|t| t.document_symbol.as_ref())
                .and_then(|s| s.hierarchical_document_symbol_support)
                .unwrap_or(false),
            definition_links: td
                .and_then(|t| t.definition.as_ref())
                .and_then(|d| d.link_support)
                .unwrap_or(false),
            paragraph_hints: params
                .initialization_options
                .as_ref()
                .and_then(|o| o.pointer("/inlayHints/paragraphs"))
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(true),
            line_folding_only: td
                .and_then(|t| t.folding_range.as_ref())
                .and_then(|f| f.line_folding_only)
                .unwrap_or(false),
            prepare_rename: td
                .and_then(|t| t.rename.as_ref())
                .and_then(|r| r.prepare_support)
                .unwrap_or(false),
            code_actions: code_actions::Support::of(c),
            configuration_pull: c
                .workspace
                .as_ref()
                .and_then(|w| w.configuration)
                .unwrap_or(false),
            watch_files: c
                .workspace
                .as_ref()
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            pull_diagnostics: td.is_some_and(|t| t.diagnostic.is_some())
                && c.workspace
                    .as_ref()
                    .and_then(|w| w.diagnostics.as_ref())
                    .and_then(|d| d.refresh_support)
                    .unwrap_or(false),
            work_done_progress: c
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
        };
        let cap = params
            .initialization_options
            .as_ref()
            .and_then(|o| o.pointer("/workspace/maxFiles"))
            .and_then(serde_json::Value::as_u64)
            .map_or(workspace::DEFAULT_CAP, |n| {
                usize::try_from(n).unwrap_or(usize::MAX)
            });
        let _ = self.workspace.set(Workspace::new(cap));
        #[allow(deprecated)] // rootUri: for clients that send no workspace folders
        let folders: Vec<std::path::PathBuf> = match &params.workspace_folders {
            Some(folders) => folders
                .iter()
                .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
                .collect(),
            None => params
                .root_uri
                .iter()
                .filter_map(|u| u.to_file_path().map(|p| p.into_owned()))
                .collect(),
        };
        *self
            .initial_folders
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = folders;
        if let Some(options) = &params.initialization_options {
            self.settings
                .set_editor(EditorSource::Initialization, options);
        }
        *self.caps.lock().unwrap_or_else(PoisonError::into_inner) = caps;
        log(format_args!(
            "initialized: position encoding {:?}, hierarchical symbols {}, definition links {}, diagnostics {}",
            caps.encoding,
            caps.hierarchical_symbols,
            caps.definition_links,
            if caps.pull_diagnostics { "pulled" } else { "pushed" }
        ));
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(encoding.kind()),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        ..Default::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                document_highlight_provider: Some(OneOf::Left(true)),
                inlay_hint_provider: Some(OneOf::Left(true)),
                document_link_provider: Some(DocumentLinkOptions {
                    resolve_provider: Some(false),
                    work_done_progress_options: Default::default(),
                }),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(
                        ide::completion::TRIGGER_CHARACTERS
                            .iter()
                            .map(|c| c.to_string())
                            .collect(),
                    ),
                    resolve_provider: Some(false),
                    ..Default::default()
                }),
                semantic_tokens_provider: Some(
                    SemanticTokensServerCapabilities::SemanticTokensOptions(
                        SemanticTokensOptions {
                            legend: proto::semantic_tokens_legend(),
                            range: Some(true),
                            full: Some(SemanticTokensFullOptions::Delta { delta: Some(true) }),
                            work_done_progress_options: Default::default(),
                        },
                    ),
                ),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
                rename_provider: Some(if caps.prepare_rename {
                    OneOf::Right(RenameOptions {
                        prepare_provider: Some(true),
                        work_done_progress_options: Default::default(),
                    })
                } else {
                    OneOf::Left(true)
                }),
                references_provider: Some(OneOf::Left(true)),
                code_action_provider: Some(code_actions::capability()),
                document_formatting_provider: Some(OneOf::Left(true)),
                document_range_formatting_provider: Some(OneOf::Left(true)),
                diagnostic_provider: caps.pull_diagnostics.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some(proto::SOURCE.to_string()),
                        inter_file_dependencies: false,
                        workspace_diagnostics: true,
                        work_done_progress_options: Default::default(),
                    })
                }),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![workspace::SHOW_INDEX_STATUS.to_string()],
                    work_done_progress_options: Default::default(),
                }),
                workspace: Some(WorkspaceServerCapabilities {
                    workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                        supported: Some(true),
                        change_notifications: Some(OneOf::Left(true)),
                    }),
                    file_operations: None,
                }),
                experimental: Some(serde_json::json!({ "viewFileText": VIEW_FILE_TEXT })),
                ..Default::default()
            },
            server_info: Some(ServerInfo {
                name: "archive-lsp".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn shutdown(&self) -> Result<()> {
        self.shut_down.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn initialized(&self, _: InitializedParams) {
        // Errors in `initializationOptions`, told now that the client listens.
        self.report_settings_errors();
        let caps = self.caps();
        if caps.watch_files {
            self.watch_files();
        }
        let folders = std::mem::take(
            &mut *self
                .initial_folders
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        let folders = self.workspace().add_folders(folders);
        // After the folders are known: their settings are asked for too.
        if caps.configuration_pull {
            self.0.pull_configuration();
        }
        self.0.index_folders(folders);
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let d = params.text_document;
        self.docs.open(d.uri.clone(), &d.text, d.version);
        if let Some(path) = d.uri.to_file_path() {
            self.workspace().mark_open(&path);
        }
        if !self.caps().watch_files {
            self.0.revalidate_settings(&d.uri);
        }
        self.schedule_publish(d.uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        // Applied before the first `.await`: nothing can run between arrival and edit.
        let enc = self.caps().encoding;
        match self
            .docs
            .change(&uri, version, &params.content_changes, enc)
        {
            Changed::NotOpen => {
                log(format_args!(
                    "ignored a change to a document that is not open: {}",
                    uri.as_str()
                ));
            }
            Changed::Applied {
                previous_version, ..
            } => {
                if let Some(old) = previous_version {
                    log(format_args!(
                        "version of {} went from {old} to {version}; applied the change anyway",
                        uri.as_str()
                    ));
                }
                self.schedule_publish(uri);
            }
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        if !self.caps().watch_files {
            self.0.revalidate_settings(&params.text_document.uri);
            // Without a watcher, a save is when the index looks at the disk again: the
            // document's workspace folder is walked anew.
            let folder = params
                .text_document
                .uri
                .to_file_path()
                .and_then(|p| self.workspace().folder_of(&p));
            if let Some(folder) = folder {
                let folders = self.workspace().scan_or_later(vec![folder]);
                self.0.index_folders(folders);
            }
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        // A client that answers `workspace/configuration` is asked (LSP's current model:
        // the notification's payload is then often `null`); from others, the payload is
        // the settings.
        if self.caps().configuration_pull {
            self.0.pull_configuration();
        } else {
            let changed = self
                .settings
                .set_editor(EditorSource::Configuration, &params.settings);
            self.0.editor_settings_taken(changed);
        }
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let mut configuration = false;
        let mut documents = Vec::new();
        for change in &params.changes {
            let Some(path) = change.uri.to_file_path() else {
                continue;
            };
            if path.file_name() == Some(crate::config::FILE_NAME.as_ref()) {
                configuration = true;
            } else if crate::workspace::detect::is_candidate(&path) {
                documents.push((path.into_owned(), change.typ == FileChangeType::DELETED));
            }
        }
        if configuration {
            self.settings.files_changed();
            self.0.settings_changed();
        }
        self.0.refresh_files(documents);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        if let Some(path) = uri.to_file_path() {
            // The disk's version is indexed again, read off the request path.
            let path = path.into_owned();
            let state = self.0.clone();
            tokio::task::spawn_blocking(move || {
                let (settings, _) = state
                    .settings
                    .for_folder(path.parent().map(std::path::Path::to_path_buf));
                if state.workspace().closed(&path, &settings) {
                    state.report_capped();
                }
            });
        }
        match self.docs.close(&uri) {
            None => log(format_args!(
                "closed a document that was not open: {}",
                uri.as_str()
            )),
            // Once enough is closed (an editor closing a folder's tabs), what it held goes
            // back to the system, off the request path.
            Some(bytes) => {
                let open = self.docs.text_bytes();
                if self.closes.closed(bytes, open, transport::queued() > 0) {
                    tokio::task::spawn_blocking(|| {
                        super::memory::release();
                        log("closed documents' memory returned to the system");
                    });
                }
            }
        }
        self.publishing
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&uri);
        self.semantic_tokens
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&uri);
        if !self.caps().pull_diagnostics {
            let _gate = self.send_gate.lock().await;
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        /// Results at most: an editor's picker shows a screenful and narrows as one types.
        const LIMIT: usize = 256;
        let hits = isolate("workspace symbols", || {
            self.workspace().symbols(&params.query, LIMIT)
        })?;
        #[allow(deprecated)] // SymbolInformation's `deprecated` field must be written
        let symbols = hits
            .into_iter()
            .filter_map(|hit| {
                let uri = Uri::from_file_path(&hit.path)?;
                let at = Position::new(hit.line, 0);
                Some(SymbolInformation {
                    name: hit.name,
                    kind: SymbolKind::FILE,
                    tags: None,
                    deprecated: None,
                    location: Location::new(uri, Range::new(at, at)),
                    container_name: Some(hit.container),
                })
            })
            .collect();
        Ok(Some(WorkspaceSymbolResponse::Flat(symbols)))
    }

    async fn execute_command(
        &self,
        params: ExecuteCommandParams,
    ) -> Result<Option<serde_json::Value>> {
        if params.command == workspace::SHOW_INDEX_STATUS {
            return Ok(Some(self.workspace().status_json()));
        }
        Err(Error::invalid_params(format!(
            "unknown command `{}`; this server has `{}`",
            params.command,
            workspace::SHOW_INDEX_STATUS
        )))
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        for removed in &params.event.removed {
            if let Some(path) = removed.uri.to_file_path() {
                let n = self.workspace().remove_folder(&path);
                log(format_args!(
                    "workspace folder removed: {} ({n} files dropped from the index)",
                    path.display()
                ));
            }
        }
        let added = params
            .event
            .added
            .iter()
            .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
            .collect();
        let added = self.workspace().add_folders(added);
        // The folders' own settings: asked again for the folders as they are now.
        if self.caps().configuration_pull {
            self.0.pull_configuration();
        }
        self.0.index_folders(added);
    }

    async fn workspace_diagnostic(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        // Answered at once from what the index knows (never held open: the server handles
        // one message at a time, and VS Code asks again 2 s after each answer); the files
        // whose diagnostics are not known yet are checked in the background for the next.
        let previous: HashMap<std::path::PathBuf, String> = params
            .previous_result_ids
            .into_iter()
            .filter_map(|p| Some((p.uri.to_file_path()?.into_owned(), p.value)))
            .collect();
        let generation = self.settings.for_folder(None).1;
        let (parts, missing) = self.workspace().report(generation, &previous);
        self.0.compute_diagnostics(missing);
        // Converted to LSP's types as they go out, a chunk at a time when they go out as
        // partial results: LSP's types take several times the memory of the kept ones.
        let reports = parts.into_iter().filter_map(workspace_report);
        // With a partial result token, the reports go out as partial results, a few
        // hundred files at a time, and the answer itself is empty (as the spec asks). They
        // are queued on the output the answer goes to, so they are written before it; sent
        // through the framework's client they could be overtaken by the answer, and a
        // client drops the partial results that come after its request has ended.
        let (Some(token), Some(out)) = (
            params.partial_result_params.partial_result_token,
            &self.ordered,
        ) else {
            return Ok(WorkspaceDiagnosticReportResult::Report(
                WorkspaceDiagnosticReport {
                    items: reports.collect(),
                },
            ));
        };
        send_partial_results(out, &token, reports);
        Ok(WorkspaceDiagnosticReportResult::Report(
            WorkspaceDiagnosticReport { items: Vec::new() },
        ))
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let report = self.with_analysis("diagnostic", &uri, |a, caps| {
            let result_id = diagnostics_result_id(a);
            if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
                return Some(DocumentDiagnosticReport::Unchanged(
                    RelatedUnchangedDocumentDiagnosticReport {
                        related_documents: None,
                        unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                            result_id,
                        },
                    },
                ));
            }
            let items = a
                .diagnostics
                .iter()
                .map(|d| proto::diagnostic(&a.rope, &uri, d, caps.encoding))
                .collect();
            Some(DocumentDiagnosticReport::Full(
                RelatedFullDocumentDiagnosticReport {
                    related_documents: None,
                    full_document_diagnostic_report: FullDocumentDiagnosticReport {
                        result_id: Some(result_id),
                        items,
                    },
                },
            ))
        })?;
        // A document that is not open has nothing to say (its file is not read).
        let report = report.unwrap_or_else(|| {
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport::default())
        });
        Ok(DocumentDiagnosticReportResult::Report(report))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        self.with_analysis("hover", &p.text_document.uri, |a, caps| {
            let offset = to_offset(&a.rope, p.position, caps.encoding);
            let h = ide::hover::hover(a.view(), offset)?;
            Some(proto::hover(&a.rope, &h, caps.encoding))
        })
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        let uri = p.text_document.uri;
        self.with_analysis("definition", &uri, |a, caps| {
            let offset = to_offset(&a.rope, p.position, caps.encoding);
            let d = ide::definition::definition(a.view(), offset)?;
            Some(proto::definition(
                &a.rope,
                &uri,
                &d,
                caps.encoding,
                caps.definition_links,
            ))
        })
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let uri = params.text_document.uri;
        self.with_analysis("documentSymbol", &uri, |a, caps| {
            let symbols = ide::symbols::symbols(&a.text, &a.doc);
            Some(proto::symbols(
                &a.rope,
                &uri,
                &symbols,
                caps.encoding,
                caps.hierarchical_symbols,
            ))
        })
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        let uri = params.text_document.uri;
        self.with_analysis("documentLink", &uri, |a, caps| {
            let links = ide::links::links(a.view());
            Some(proto::links(&a.rope, &uri, &links, caps.encoding))
        })
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let p = params.text_document_position_params;
        self.with_analysis("documentHighlight", &p.text_document.uri, |a, caps| {
            let offset = to_offset(&a.rope, p.position, caps.encoding);
            let h = ide::highlight::highlights(a.view(), offset);
            Some(proto::highlights(&a.rope, &h, caps.encoding))
        })
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let uri = params.text_document.uri;
        self.with_analysis("inlayHint", &uri, |a, caps| {
            if !caps.paragraph_hints {
                return Some(Vec::new());
            }
            let range = to_span(&a.rope, params.range, caps.encoding);
            let hints = ide::inlay::paragraph_hints_in(a.view(), range);
            Some(proto::inlay_hints(&a.rope, &hints, caps.encoding))
        })
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        self.with_analysis("completion", &p.text_document.uri, |a, caps| {
            let offset = to_offset(&a.rope, p.position, caps.encoding);
            let items = ide::completion::completions(a.view(), offset);
            (!items.is_empty()).then(|| proto::completion(&a.rope, &items, caps.encoding))
        })
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let uri = params.text_document.uri;
        let Some((data, of)) = self.current_tokens("semanticTokens/full", &uri)? else {
            return Ok(None);
        };
        Ok(Some(SemanticTokensResult::Tokens(SemanticTokens {
            result_id: Some(self.remember_tokens(&uri, data.clone(), of)),
            data: Arc::unwrap_or_clone(data),
        })))
    }

    async fn semantic_tokens_full_delta(
        &self,
        params: SemanticTokensDeltaParams,
    ) -> Result<Option<SemanticTokensFullDeltaResult>> {
        let uri = params.text_document.uri;
        let previous = self
            .semantic_tokens
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&uri)
            .filter(|s| s.result_id == params.previous_result_id)
            .map(|s| s.data.clone());
        let Some((data, of)) = self.current_tokens("semanticTokens/full/delta", &uri)? else {
            return Ok(None);
        };
        let result_id = self.remember_tokens(&uri, data.clone(), of);
        Ok(Some(match previous {
            // An unknown previous result (the client's or ours is lost): the whole answer.
            None => SemanticTokensFullDeltaResult::Tokens(SemanticTokens {
                result_id: Some(result_id),
                data: Arc::unwrap_or_clone(data),
            }),
            Some(old) => SemanticTokensFullDeltaResult::TokensDelta(SemanticTokensDelta {
                result_id: Some(result_id),
                edits: if Arc::ptr_eq(&old, &data) {
                    Vec::new()
                } else {
                    proto::semantic_tokens_edits(&old, &data)
                },
            }),
        }))
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        let uri = params.text_document.uri;
        self.with_analysis("semanticTokens/range", &uri, |a, caps| {
            let range = to_span(&a.rope, params.range, caps.encoding);
            let tokens = ide::semantic_tokens::tokens_in(a.view(), range);
            Some(SemanticTokensRangeResult::Tokens(SemanticTokens {
                result_id: None,
                data: proto::semantic_tokens(&a.text, &tokens, caps.encoding),
            }))
        })
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let uri = params.text_document.uri;
        self.with_analysis("foldingRange", &uri, |a, caps| {
            let folds = ide::folding::folds(a.view());
            Some(proto::folding_ranges(
                &a.rope,
                &folds,
                caps.encoding,
                caps.line_folding_only,
            ))
        })
    }

    async fn selection_range(
        &self,
        params: SelectionRangeParams,
    ) -> Result<Option<Vec<SelectionRange>>> {
        let uri = params.text_document.uri;
        self.with_analysis("selectionRange", &uri, |a, caps| {
            let ranges = params
                .positions
                .iter()
                .map(|p| {
                    let offset = to_offset(&a.rope, *p, caps.encoding);
                    let chain = ide::selection::selection(a.view(), offset);
                    proto::selection_range(&a.rope, &chain, caps.encoding)
                })
                .collect();
            Some(ranges)
        })
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let uri = params.text_document.uri;
        self.with_analysis("prepareRename", &uri, |a, caps| {
            let offset = to_offset(&a.rope, params.position, caps.encoding);
            let (span, name) = ide::rename::prepare(a.view(), offset)?;
            Some(PrepareRenameResponse::RangeWithPlaceholder {
                range: proto_range(&a.rope, &span, caps.encoding),
                placeholder: name,
            })
        })
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let p = params.text_document_position;
        let uri = p.text_document.uri;
        let edit = self.with_analysis("rename", &uri, |a, caps| {
            let offset = to_offset(&a.rope, p.position, caps.encoding);
            Some(
                ide::rename::rename(a.view(), offset, &params.new_name).map(|edits| {
                    edits.map(|e| proto::workspace_edit(&a.rope, &uri, &e, caps.encoding))
                }),
            )
        })?;
        match edit {
            None | Some(Ok(None)) => Ok(None),
            Some(Ok(Some(edit))) => Ok(Some(edit)),
            Some(Err(why)) => Err(Error::invalid_params(format!(
                "archive-lsp: cannot rename: {}",
                why.0
            ))),
        }
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let uri = p.text_document.uri;
        let include_declaration = params.context.include_declaration;
        // Each source of references adds its locations: Named Entities terms in this
        // document, and on a date or page line the indexed articles of that date or page.
        let mut out: Vec<Location> = Vec::new();
        let found = self.with_analysis("references", &uri, |a, caps| {
            let offset = to_offset(&a.rope, p.position, caps.encoding);
            let spans = ide::rename::references(a.view(), offset, include_declaration);
            let summary = crate::workspace::Summary::from_checked(&a.text, &a.doc, &a.diagnostics);
            let key = ide::neighbours::key(&summary, p.position.line);
            Some((proto::locations(&a.rope, &uri, &spans, caps.encoding), key))
        })?;
        if let Some((terms, key)) = found {
            out.extend(terms);
            for (path, line) in key
                .map(|k| self.workspace().neighbours(k))
                .unwrap_or_default()
            {
                if let Some(uri) = Uri::from_file_path(&path) {
                    let at = Position::new(line, 0);
                    out.push(Location::new(uri, Range::new(at, at)));
                }
            }
        }
        Ok((!out.is_empty()).then_some(out))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = &params.text_document.uri;
        let Some(snapshot) = self.open_snapshot("codeAction", uri) else {
            return Ok(None);
        };
        let caps = self.caps();
        isolate("codeAction", || {
            let a = self.analysis(uri, &snapshot);
            code_actions::actions(
                uri,
                &snapshot,
                &a,
                &params,
                caps.encoding,
                caps.code_actions,
            )
        })
    }

    async fn code_action_resolve(&self, action: CodeAction) -> Result<CodeAction> {
        let caps = self.caps();
        let current = |uri: &Uri| {
            let snapshot = self.open_snapshot("codeAction/resolve", uri)?;
            let a = self.analysis(uri, &snapshot);
            Some((snapshot, a))
        };
        isolate("codeAction/resolve", || {
            code_actions::resolve(action, current, caps.encoding, caps.code_actions)
        })?
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let uri = params.text_document.uri;
        self.with_analysis("formatting", &uri, |a, caps| {
            formatting_edits(a, &uri, None, caps)
        })
    }

    async fn range_formatting(
        &self,
        params: DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        let uri = params.text_document.uri;
        self.with_analysis("rangeFormatting", &uri, |a, caps| {
            let range = to_span(&a.rope, params.range, caps.encoding);
            formatting_edits(a, &uri, Some(range), caps)
        })
    }
}

/// The formatting edits of a document (of the part in `range` when given); none, and a log
/// line saying why, when its layout is not sure enough to format.
fn formatting_edits(
    a: &Analysis,
    uri: &Uri,
    range: Option<std::ops::Range<usize>>,
    caps: Caps,
) -> Option<Vec<TextEdit>> {
    let edits = match range {
        None => crate::fix::format::format(&a.text),
        Some(r) => crate::fix::format::format_range(&a.text, r),
    };
    match edits {
        Ok(edits) => Some(super::edits::text_edits(&a.rope, &edits, caps.encoding)),
        Err(why) => {
            log(format_args!("not formatting {}: {why}", uri.as_str()));
            Some(Vec::new())
        }
    }
}
