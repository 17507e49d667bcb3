//! The settings of each checked file: the nearest `archive-lsp.toml` (or `--config`, or
//! none), then the command line's rule options. Folders are looked up once each.

use super::{ConfigChoice, Options};
use crate::config::{ConfigError, Layer, Level, Settings, FILE_NAME};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file's settings, or the error of the configuration file that governs it.
pub type Resolved = Result<Arc<Settings>, Arc<ConfigError>>;

/// Finds and caches the settings of folders.
pub struct Resolver<'a> {
    options: &'a Options,
    /// For `--config` and `--no-config`: the settings of every file.
    fixed: Option<Resolved>,
    /// Folder (absolute) → the configuration file that applies, if any.
    nearest: HashMap<PathBuf, Option<PathBuf>>,
    /// Configuration file → its settings (with the command line applied).
    loaded: HashMap<PathBuf, Resolved>,
    /// The settings without any file.
    plain: Arc<Settings>,
    /// The folder (as the walk spells it) of the last file and its settings: a folder's
    /// files come one after another, and paths compare and hash component by component.
    last: Option<(PathBuf, Resolved)>,
}

impl<'a> Resolver<'a> {
    /// A resolver for these options. A `--config` file that cannot be read or parsed is
    /// an error at once (a usage error: nothing is checked).
    pub fn new(options: &'a Options) -> Result<Resolver<'a>, ConfigError> {
        let plain = Arc::new(with_command_line(Settings::default(), options));
        let fixed = match &options.config {
            ConfigChoice::Discover => None,
            ConfigChoice::Ignore => Some(Ok(plain.clone())),
            ConfigChoice::File(path) => {
                let layer = Layer::load(path)?;
                let settings = Settings::default().with(&layer);
                Some(Ok(Arc::new(with_command_line(settings, options))))
            }
        };
        Ok(Resolver {
            options,
            fixed,
            nearest: HashMap::new(),
            loaded: HashMap::new(),
            plain,
            last: None,
        })
    }

    /// The settings of a file at `path`.
    pub fn for_file(&mut self, path: &Path) -> Resolved {
        if let Some(fixed) = &self.fixed {
            return fixed.clone();
        }
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        if let Some((last, resolved)) = &self.last {
            if last.as_os_str() == dir.as_os_str() {
                return resolved.clone();
            }
        }
        let resolved = self.for_folder(dir);
        self.last = Some((dir.to_path_buf(), resolved.clone()));
        resolved
    }

    fn for_folder(&mut self, dir: &Path) -> Resolved {
        let Ok(dir) = std::path::absolute(dir) else {
            return Ok(self.plain.clone());
        };
        match self.nearest_file(&dir) {
            None => Ok(self.plain.clone()),
            Some(file) => {
                let options = self.options;
                self.loaded
                    .entry(file.clone())
                    .or_insert_with(|| match Layer::load(&file) {
                        Ok(layer) => Ok(Arc::new(with_command_line(
                            Settings::default().with(&layer),
                            options,
                        ))),
                        Err(e) => Err(Arc::new(e)),
                    })
                    .clone()
            }
        }
    }

    /// The nearest configuration file for folder `dir` (absolute), the parent's answer
    /// reused for each folder below it.
    fn nearest_file(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(found) = self.nearest.get(dir) {
            return found.clone();
        }
        let here = dir.join(FILE_NAME);
        let found = if here.is_file() {
            Some(here)
        } else {
            dir.parent().and_then(|p| self.nearest_file(p))
        };
        self.nearest.insert(dir.to_path_buf(), found.clone());
        found
    }
}

/// The command line's rule options over `settings`: `--select`, then `--ignore`, then
/// `--severity`.
fn with_command_line(mut settings: Settings, options: &Options) -> Settings {
    if let Some(select) = &options.select {
        settings.select_only(select);
    }
    for &code in &options.ignore {
        settings.rules.set(code, Level::Off);
    }
    for &(code, level) in &options.severity {
        settings.rules.set(code, level);
    }
    settings
}
