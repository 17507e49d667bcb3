//! The open documents: ropey buffers kept equal to the editor's text.
//!
//! Edits are applied here synchronously, in arrival order, by the notification handler
//! before its first `.await`, so no later message can overtake them. Analysis never runs
//! under the lock: callers take a [`Snapshot`] (a rope clone is O(1)) and analyse that, so a
//! panic in analysis cannot poison the store.

use super::position::{to_span, Encoding};
use crate::align::Alignment;
use crate::check::Diagnostic;
use crate::config::Settings;
use crate::syntax;
use ropey::Rope;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

/// One open document.
#[derive(Debug, Clone)]
pub struct Document {
    pub rope: Rope,
    /// The editor's version number, as last sent.
    pub version: i32,
    /// Bumped on every change, so a cached analysis is never mistaken for a current one
    /// even when the editor's versions go backwards.
    revision: u64,
    analysis: Option<Arc<Analysis>>,
}

/// A document's text at one moment.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub rope: Rope,
    pub version: i32,
    revision: u64,
}

/// The core's view of a snapshot: the text, its model, and its diagnostics.
#[derive(Debug)]
pub struct Analysis {
    /// The rope the text came from, for position conversion.
    pub rope: Rope,
    pub text: String,
    pub doc: syntax::Document,
    /// The paragraph alignment, computed once for every feature that asks.
    pub alignment: Alignment,
    pub diagnostics: Vec<Diagnostic>,
    /// The settings the diagnostics were checked with.
    pub settings: Settings,
    /// The generation of the server's settings these were (see `super::settings`): an
    /// analysis of an older one is not reused.
    pub generation: u64,
}

impl Analysis {
    /// Parses and checks a snapshot with `settings`, of settings generation `generation`.
    /// May panic if the core has a bug: call it isolated.
    pub fn new(rope: Rope, settings: Settings, generation: u64) -> Analysis {
        let text = rope.to_string();
        let doc = syntax::parse(&text);
        let alignment = crate::align::align(&text, &doc);
        let diagnostics = crate::check::check_with(&text, &doc, &alignment, &settings);
        Analysis {
            rope,
            text,
            doc,
            alignment,
            diagnostics,
            settings,
            generation,
        }
    }
}

impl Analysis {
    /// The analysis as the editor features read it.
    pub fn view(&self) -> crate::ide::View<'_> {
        crate::ide::View {
            text: &self.text,
            doc: &self.doc,
            alignment: &self.alignment,
        }
    }
}

/// What applying a change did.
#[derive(Debug)]
pub enum Changed {
    /// Applied; the document's text afterwards. `previous_version` is set when the new
    /// version is not above the old one (applied anyway: the editor is the source of truth).
    Applied {
        snapshot: Snapshot,
        previous_version: Option<i32>,
    },
    /// The document was never opened (or was closed): ignored.
    NotOpen,
}

/// Every open document, by URI.
#[derive(Debug, Default)]
pub struct Documents {
    inner: Mutex<HashMap<Uri, Document>>,
    next_revision: std::sync::atomic::AtomicU64,
}

impl Documents {
    fn lock(&self) -> MutexGuard<'_, HashMap<Uri, Document>> {
        // Nothing that can panic runs under this lock, but a poisoned map is still a
        // consistent map: keep serving rather than fail every later request.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn revision(&self) -> u64 {
        self.next_revision
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    }

    /// Opens (or reopens) a document; returns its snapshot.
    pub fn open(&self, uri: Uri, text: &str, version: i32) -> Snapshot {
        let doc = Document {
            rope: Rope::from_str(text),
            version,
            revision: self.revision(),
            analysis: None,
        };
        let snapshot = snapshot_of(&doc);
        self.lock().insert(uri, doc);
        snapshot
    }

    /// Applies `changes` in order. Each change's range is read against the text as left by
    /// the change before it, as LSP specifies.
    pub fn change(
        &self,
        uri: &Uri,
        version: i32,
        changes: &[TextDocumentContentChangeEvent],
        enc: Encoding,
    ) -> Changed {
        let revision = self.revision();
        let mut map = self.lock();
        let Some(doc) = map.get_mut(uri) else {
            return Changed::NotOpen;
        };
        for change in changes {
            apply(&mut doc.rope, change, enc);
        }
        let previous_version = (version <= doc.version).then_some(doc.version);
        doc.version = version;
        doc.revision = revision;
        doc.analysis = None;
        Changed::Applied {
            snapshot: snapshot_of(doc),
            previous_version,
        }
    }

    /// Closes a document; its bytes of text if it was open.
    pub fn close(&self, uri: &Uri) -> Option<usize> {
        self.lock().remove(uri).map(|doc| doc.rope.len_bytes())
    }

    /// The bytes of text of every open document.
    pub fn text_bytes(&self) -> usize {
        self.lock().values().map(|doc| doc.rope.len_bytes()).sum()
    }

    /// The document's current text, if open.
    pub fn snapshot(&self, uri: &Uri) -> Option<Snapshot> {
        self.lock().get(uri).map(snapshot_of)
    }

    /// The analysis of `snapshot` with settings of `generation`: the cached one if it is of
    /// the same text and settings, else `compute` run on it outside the lock and cached if
    /// the document has not changed meanwhile.
    pub fn analysis(
        &self,
        uri: &Uri,
        snapshot: &Snapshot,
        generation: u64,
        compute: impl FnOnce(Rope) -> Arc<Analysis>,
    ) -> Arc<Analysis> {
        let cached = self.lock().get(uri).and_then(|d| {
            d.analysis
                .clone()
                .filter(|a| d.revision == snapshot.revision && a.generation == generation)
        });
        if let Some(a) = cached {
            return a;
        }
        let analysis = compute(snapshot.rope.clone());
        if let Some(d) = self.lock().get_mut(uri) {
            let newer = d
                .analysis
                .as_ref()
                .is_some_and(|a| a.generation > generation);
            if d.revision == snapshot.revision && !newer {
                d.analysis = Some(analysis.clone());
            }
        }
        analysis
    }

    /// Every open document.
    pub fn uris(&self) -> Vec<Uri> {
        self.lock().keys().cloned().collect()
    }

    /// How many documents are open.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no document is open.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn snapshot_of(doc: &Document) -> Snapshot {
    Snapshot {
        rope: doc.rope.clone(),
        version: doc.version,
        revision: doc.revision,
    }
}

/// Applies one change; positions out of range are clamped (see [`super::position`]), so
/// this never panics.
pub fn apply(rope: &mut Rope, change: &TextDocumentContentChangeEvent, enc: Encoding) {
    match change.range {
        None => *rope = Rope::from_str(&change.text),
        Some(range) => {
            let span = to_span(rope, range, enc);
            let start = rope.byte_to_char(span.start);
            let end = rope.byte_to_char(span.end);
            if start < end {
                rope.remove(start..end);
            }
            if !change.text.is_empty() {
                rope.insert(start, &change.text);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

    fn edit(l0: u32, c0: u32, l1: u32, c1: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l0, c0), Position::new(l1, c1))),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn edits_apply_in_order_in_each_encoding() {
        for (enc, after_astral) in [
            (Encoding::Utf8, 5),
            (Encoding::Utf16, 3),
            (Encoding::Utf32, 2),
        ] {
            let docs = Documents::default();
            let uri: Uri = "file:///a.md".parse().unwrap();
            docs.open(uri.clone(), "a𠮷b\r\n中文\r\n", 1);
            let changes = [
                edit(0, after_astral, 0, after_astral + 1, "B"),
                edit(1, 0, 2, 0, ""),
                edit(0, 99, 0, 99, "!"),
            ];
            let Changed::Applied { snapshot, .. } = docs.change(&uri, 2, &changes, enc) else {
                panic!("document is open");
            };
            assert_eq!(snapshot.rope.to_string(), "a𠮷B!\r\n", "{enc:?}");
        }
    }

    #[test]
    fn unopened_documents_are_ignored() {
        let docs = Documents::default();
        let uri: Uri = "file:///nope.md".parse().unwrap();
        assert!(matches!(
            docs.change(&uri, 1, &[edit(0, 0, 0, 0, "x")], Encoding::Utf16),
            Changed::NotOpen
        ));
        assert!(docs.is_empty());
    }
}
