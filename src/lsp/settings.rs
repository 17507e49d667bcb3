//! The server's settings for each document: the defaults, then the `archive-lsp.toml` of
//! the document's folder (the nearest one walking up, as the checker finds it), then the
//! editor's settings (`initializationOptions`, then what `workspace/configuration` or
//! `workspace/didChangeConfiguration` last gave). See [`crate::config`] for the keys.
//!
//! Resolved settings are cached per folder, so a keystroke costs a hash lookup, not a walk
//! up the file system. The caches are dropped when the editor's settings change or a
//! configuration file does (a watched-files event, or a changed size or modification
//! time seen when a document is opened or saved); every change bumps a generation number,
//! which the cached analyses carry, so none computed with old settings is reused.
//!
//! A configuration file or editor settings that cannot be used are reported once (to the
//! log and the user) and left out until corrected: the document is then checked as if the
//! bad source did not exist, never with half of it.

use crate::config::{self, ConfigError, Layer, Settings};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::SystemTime;
use tower_lsp_server::ls_types::Uri;

/// Where the editor's settings came from: the two are kept apart so that a
/// `workspace/configuration` answer of `null` ("no settings") leaves
/// `initializationOptions` in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorSource {
    /// `initializationOptions`.
    Initialization,
    /// `workspace/configuration` or `workspace/didChangeConfiguration`.
    Configuration,
}

/// A configuration file as last read.
#[derive(Debug, Clone)]
struct LoadedFile {
    stamp: Option<Stamp>,
    /// `None` when it could not be used (the error was reported).
    layer: Option<Layer>,
}

/// What tells a file changed: its size and modification time.
type Stamp = (u64, SystemTime);

fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.len(), m.modified().ok()?))
}

#[derive(Debug, Default)]
struct Inner {
    init: Layer,
    configuration: Layer,
    /// The editor's settings for the files of one workspace folder (`workspace/configuration`
    /// asked with the folder as its `scopeUri`: VS Code's folder settings), where they
    /// differ from `configuration`, which they replace under that folder (the innermost
    /// folder's win).
    scoped: Vec<(PathBuf, Layer)>,
    /// Bumped on every change of what any document's settings may be.
    generation: u64,
    /// Per folder: the configuration file found for it, and the settings resolved.
    folders: HashMap<PathBuf, (Option<PathBuf>, Settings)>,
    files: HashMap<PathBuf, LoadedFile>,
    /// Errors already reported, so a bad file is not reported at every keystroke.
    reported: HashSet<String>,
    /// Errors to tell the user, taken by [`ServerSettings::take_messages`].
    messages: Vec<String>,
}

/// Every document's settings. Thread-safe; nothing slow runs under its lock but reading a
/// configuration file the first time it is needed.
#[derive(Debug, Default)]
pub struct ServerSettings {
    inner: Mutex<Inner>,
}

impl ServerSettings {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The settings of the document `uri`, with the generation they belong to.
    pub fn for_document(&self, uri: &Uri) -> (Settings, u64) {
        self.for_folder(folder_of(uri))
    }

    /// The settings of the files in `folder` (`None`: a document not on disk), with the
    /// generation they belong to.
    pub fn for_folder(&self, folder: Option<PathBuf>) -> (Settings, u64) {
        let mut inner = self.lock();
        let generation = inner.generation;
        let Some(folder) = folder else {
            // Not a file on disk (`untitled:`): no configuration file applies.
            let s = Settings::default()
                .with(&inner.init)
                .with(&inner.configuration);
            return (s, generation);
        };
        if let Some((_, s)) = inner.folders.get(&folder) {
            return (*s, generation);
        }
        let file = config::discover(&folder);
        let mut settings = Settings::default();
        if let Some(path) = &file {
            if let Some(layer) = inner.file_layer(path) {
                settings.apply(&layer);
            }
        }
        let editor = inner
            .scoped
            .iter()
            .filter(|(root, _)| folder.starts_with(root))
            .max_by_key(|(root, _)| root.components().count())
            .map_or(&inner.configuration, |(_, layer)| layer);
        let settings = settings.with(&inner.init).with(editor);
        inner.folders.insert(folder, (file, settings));
        (settings, generation)
    }

    /// Takes the editor's settings from `source` (a JSON value as the client sent it; `null`
    /// means none). Returns whether anything may have changed; on an error the source's
    /// settings are dropped and the error is queued for the user.
    pub fn set_editor(&self, source: EditorSource, value: &serde_json::Value) -> bool {
        match source {
            EditorSource::Initialization => {
                let layer = self
                    .editor_layer(value, "these settings are ignored")
                    .unwrap_or_default();
                let mut inner = self.lock();
                if inner.init == layer {
                    return false;
                }
                inner.init = layer;
                inner.invalidate();
                true
            }
            // Settings told without a folder are the same for all of them.
            EditorSource::Configuration => self.set_configuration(value, &[]),
        }
    }

    /// Takes the answer to `workspace/configuration`: `whole`, the settings asked without a
    /// scope, and for each workspace folder the settings asked with it as the scope (`null`
    /// where the client has none of its own: `whole` applies there). Returns whether
    /// anything may have changed. Errors are queued for the user and the settings they are
    /// in left out: `whole`'s for none, a folder's for `whole`'s.
    pub fn set_configuration(
        &self,
        whole: &serde_json::Value,
        folders: &[(PathBuf, serde_json::Value)],
    ) -> bool {
        let configuration = self
            .editor_layer(whole, "these settings are ignored")
            .unwrap_or_default();
        let scoped: Vec<(PathBuf, Layer)> = folders
            .iter()
            .filter(|(_, value)| !is_none(value))
            .filter_map(|(folder, value)| {
                let consequence = format!(
                    "the settings of the folder {} are ignored",
                    folder.display()
                );
                Some((folder.clone(), self.editor_layer(value, &consequence)?))
            })
            .filter(|(_, layer)| *layer != configuration)
            .collect();
        let mut inner = self.lock();
        if inner.configuration == configuration && inner.scoped == scoped {
            return false;
        }
        inner.configuration = configuration;
        inner.scoped = scoped;
        inner.invalidate();
        true
    }

    /// The layer of editor settings `value`; on an error, none, and the error is queued
    /// with its `consequence`.
    fn editor_layer(&self, value: &serde_json::Value, consequence: &str) -> Option<Layer> {
        Layer::from_json(value)
            .map_err(|e| {
                self.lock()
                    .report(&e, &format!("{consequence} until corrected"))
            })
            .ok()
    }

    /// Forgets every configuration file read (they changed on disk, or may have).
    pub fn files_changed(&self) {
        let mut inner = self.lock();
        inner.files.clear();
        inner.invalidate();
    }

    /// Whether the configuration file that applies to `uri` is still the one read, with
    /// the same size and modification time; if not, forgets what was read and returns
    /// `true`. For clients that do not watch files: called when a document is opened or
    /// saved.
    pub fn revalidate(&self, uri: &Uri) -> bool {
        let Some(folder) = folder_of(uri) else {
            return false;
        };
        let found = config::discover(&folder);
        let mut inner = self.lock();
        let unchanged = match inner.folders.get(&folder) {
            None => true, // never resolved: it will be read fresh
            Some((file, _)) => {
                *file == found
                    && found.as_ref().is_none_or(|path| {
                        inner
                            .files
                            .get(path)
                            .is_some_and(|f| f.stamp.is_some() && f.stamp == stamp(path))
                    })
            }
        };
        if !unchanged {
            inner.files.clear();
            inner.invalidate();
        }
        !unchanged
    }

    /// The errors to tell the user since the last call.
    pub fn take_messages(&self) -> Vec<String> {
        std::mem::take(&mut self.lock().messages)
    }
}

impl Inner {
    fn invalidate(&mut self) {
        self.folders.clear();
        self.generation += 1;
    }

    fn report(&mut self, e: &ConfigError, consequence: &str) {
        let message = format!("{e} ({consequence})");
        if self.reported.insert(message.clone()) {
            self.messages.push(message);
        }
    }

    /// The layer of the configuration file `path`, read once per change.
    fn file_layer(&mut self, path: &Path) -> Option<Layer> {
        if let Some(f) = self.files.get(path) {
            return f.layer.clone();
        }
        let stamp = stamp(path);
        let layer = match Layer::load(path) {
            Ok(layer) => Some(layer),
            Err(e) => {
                self.report(&e, "the file is ignored until corrected");
                None
            }
        };
        self.files.insert(
            path.to_owned(),
            LoadedFile {
                stamp,
                layer: layer.clone(),
            },
        );
        layer
    }
}

/// Whether a client's settings value says "none": `null`, or `[null]` as an answer of one.
fn is_none(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Null => true,
        serde_json::Value::Array(items) => items.len() == 1 && items[0].is_null(),
        _ => false,
    }
}

/// The folder of a `file:` URI's path.
fn folder_of(uri: &Uri) -> Option<PathBuf> {
    let path = uri.to_file_path()?;
    path.parent().map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Code, Severity};
    use crate::config::Level;
    use serde_json::json;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "archive-lsp-settings-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        dir
    }

    fn uri_of(path: &Path) -> Uri {
        Uri::from_file_path(path).unwrap()
    }

    #[test]
    fn the_editor_overrides_the_file_and_null_means_none() {
        let dir = temp_dir("layers");
        std::fs::write(
            dir.join(config::FILE_NAME),
            "[rules]\nindentation = \"off\"\nrepeated-word = \"error\"\n",
        )
        .unwrap();
        let uri = uri_of(&dir.join("sub/a.md"));
        let s = ServerSettings::default();
        let (first, g0) = s.for_document(&uri);
        assert_eq!(first.rules.get(Code::Indentation), Level::Off);
        assert_eq!(
            first.rules.get(Code::RepeatedWord),
            Level::On(Severity::Error)
        );

        assert!(s.set_editor(
            EditorSource::Configuration,
            &json!({"archiveLsp": {"rules": {"indentation": "warning"}}})
        ));
        let (second, g1) = s.for_document(&uri);
        assert!(g1 > g0);
        assert_eq!(
            second.rules.get(Code::Indentation),
            Level::On(Severity::Warning)
        );
        assert_eq!(
            second.rules.get(Code::RepeatedWord),
            Level::On(Severity::Error),
            "what the editor does not set stays the file's"
        );

        assert!(s.set_editor(EditorSource::Configuration, &json!([null])));
        assert_eq!(s.for_document(&uri).0, first);
        assert!(!s.set_editor(EditorSource::Configuration, &json!(null)));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_folder_s_own_settings_replace_the_whole_s_under_it() {
        let dir = temp_dir("scoped");
        let (a, b) = (dir.join("a"), dir.join("b"));
        let inner = a.join("inner");
        let in_a = uri_of(&a.join("x/1.md"));
        let in_inner = uri_of(&inner.join("2.md"));
        let in_b = uri_of(&b.join("3.md"));
        let level =
            |s: &ServerSettings, uri: &Uri| s.for_document(uri).0.rules.get(Code::Indentation);
        let s = ServerSettings::default();
        let whole = json!({"rules": {"indentation": "error"}});
        assert!(s.set_configuration(
            &whole,
            &[
                (a.clone(), json!({"rules": {"indentation": "off"}})),
                (inner.clone(), json!({"rules": {"indentation": "warning"}})),
                (b.clone(), json!(null)),
            ],
        ));
        assert_eq!(level(&s, &in_a), Level::Off);
        assert_eq!(
            level(&s, &in_inner),
            Level::On(Severity::Warning),
            "the innermost"
        );
        assert_eq!(
            level(&s, &in_b),
            Level::On(Severity::Error),
            "none of its own: the whole"
        );
        // The same answer again changes nothing; a folder answered as the whole is no
        // change either (clients that ignore the scope answer so).
        assert!(!s.set_configuration(
            &whole,
            &[
                (a.clone(), json!({"rules": {"indentation": "off"}})),
                (
                    inner.clone(),
                    json!([{"rules": {"indentation": "warning"}}])
                ),
                (b.clone(), whole.clone()),
            ],
        ));
        // A folder's bad settings are told with its name and left out there alone.
        assert!(s.set_configuration(&whole, &[(a.clone(), json!({"rules": {"indentation": 3}}))]));
        let messages = s.take_messages();
        assert!(
            messages.len() == 1 && messages[0].contains(&format!("folder {}", a.display())),
            "{messages:?}"
        );
        assert_eq!(
            level(&s, &in_a),
            Level::On(Severity::Error),
            "as if it had none"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_bad_source_is_reported_once_and_left_out() {
        let dir = temp_dir("bad");
        let file = dir.join(config::FILE_NAME);
        std::fs::write(&file, "[rules]\nindentaton = \"off\"\n").unwrap();
        let uri = uri_of(&dir.join("a.md"));
        let s = ServerSettings::default();
        assert_eq!(s.for_document(&uri).0, Settings::default());
        let messages = s.take_messages();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(
            messages[0].contains("archive-lsp.toml:2:1") && messages[0].contains("indentation"),
            "{messages:?}"
        );
        s.files_changed();
        s.for_document(&uri);
        assert!(s.take_messages().is_empty(), "reported once");

        s.set_editor(
            EditorSource::Initialization,
            &json!({"rules": {"indentation": "loud"}}),
        );
        let messages = s.take_messages();
        assert!(
            messages.len() == 1 && messages[0].contains("archiveLsp.rules.indentation"),
            "{messages:?}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_changed_file_is_seen_on_revalidation() {
        let dir = temp_dir("stamp");
        let uri = uri_of(&dir.join("sub/a.md"));
        let s = ServerSettings::default();
        assert_eq!(s.for_document(&uri).0, Settings::default());
        assert!(!s.revalidate(&uri), "nothing changed");
        // A file appears in a parent folder.
        std::fs::write(
            dir.join(config::FILE_NAME),
            "[rules]\nindentation = \"off\"\n",
        )
        .unwrap();
        assert!(s.revalidate(&uri));
        assert_eq!(
            s.for_document(&uri).0.rules.get(Code::Indentation),
            Level::Off
        );
        assert!(!s.revalidate(&uri));
        // Its size changes.
        std::fs::write(
            dir.join(config::FILE_NAME),
            "[rules]\nindentation = \"error\"\n",
        )
        .unwrap();
        assert!(s.revalidate(&uri));
        assert_eq!(
            s.for_document(&uri).0.rules.get(Code::Indentation),
            Level::On(Severity::Error)
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
