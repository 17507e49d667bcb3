//! Settings: one type for the checker and the language server.
//!
//! Everything that tunes the checks is a [`Settings`]: per rule `off` or a severity
//! ([`Rules`]), and the review checks' thresholds ([`Review`]). The defaults are what the
//! README's codes table says. Settings come in layers ([`Layer`]), each naming only what it
//! sets, applied over the defaults in order of precedence:
//!
//! - the checker: defaults, then the configuration file, then the command line
//!   (`--select`, `--ignore`, `--severity`; see [`Settings::select_only`], [`Rules::set`]);
//! - the server: defaults, then the configuration file of the document's folder, then the
//!   editor's settings (`initializationOptions`, `workspace/configuration` section
//!   [`SECTION`], `workspace/didChangeConfiguration`).
//!
//! The same keys everywhere:
//!
//! ```toml
//! [rules]                       # any code of the codes table: "off" or a severity
//! indentation = "off"
//! number-mismatch = "error"
//!
//! [review]                      # the review checks' thresholds
//! untranslated-paragraph-min-han = 20
//! length-ratio-min-han = 40
//! length-ratio-low = 0.40
//! length-ratio-high = 2.50
//! number-min-value = 10
//! untranslated-text-info-below = 4
//! ```
//!
//! and in JSON `{"rules": {"indentation": "off"}, "review": {"length-ratio-low": 0.3}}`,
//! where `null` means "not set". Severity names are parsed by [`parse_level`] everywhere:
//! `error`, `warning`, `information` (or `info`), `hint`, and `off`. Rule names are
//! [`Code::name`]; an unknown name or a bad value is a [`ConfigError`] that says where it is
//! and names the nearest valid name.
//!
//! Typical use, as the checker does it:
//!
//! ```
//! use archive_lsp::config::{self, Layer, Settings};
//! # let folder = std::path::Path::new(".");
//! let mut settings = Settings::default();
//! if let Some(file) = config::discover(folder) {
//!     match Layer::load(&file) {
//!         Ok(layer) => settings.apply(&layer),
//!         Err(e) => eprintln!("{e}"), // e.g. `archive-lsp.toml:3:1: unknown rule …`
//!     }
//! }
//! ```

use crate::check::{Code, Severity};
use crate::text::edit_distance;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The name of the configuration file, looked up from a checked file's folder upwards.
pub const FILE_NAME: &str = "archive-lsp.toml";

/// The `workspace/configuration` section (and the VS Code settings prefix) of the server's
/// settings.
pub const SECTION: &str = "archiveLsp";

// ---------------------------------------------------------------------------------------
// Levels and names
// ---------------------------------------------------------------------------------------

/// What a rule is set to: off (its diagnostics are not reported at all), or on with a
/// severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    Off,
    On(Severity),
}

impl Level {
    /// The canonical name: `off`, `error`, `warning`, `information`, `hint`.
    pub fn name(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::On(s) => s.name(),
        }
    }
}

/// The names [`parse_level`] accepts, canonical ones first.
pub const LEVEL_NAMES: &[&str] = &["error", "warning", "information", "hint", "off", "info"];

/// A name that is not valid where it was given, with the nearest valid one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameError {
    /// What was given.
    pub given: String,
    /// What kind of name was expected: `rule`, `severity` or `key`.
    pub kind: &'static str,
    /// The nearest valid name.
    pub nearest: &'static str,
    /// A short list of what is valid (for severities), or empty.
    pub expected: &'static str,
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "unknown {} `{}`; did you mean `{}`?",
            self.kind, self.given, self.nearest
        )?;
        if !self.expected.is_empty() {
            write!(f, " (expected {})", self.expected)?;
        }
        Ok(())
    }
}

impl std::error::Error for NameError {}

const LEVELS_EXPECTED: &str = "error, warning, information (or info), hint or off";

/// The one parser of severity names, for the configuration file, the command line and the
/// editor's settings: `error`, `warning`, `information` (also `info`), `hint`, `off`.
/// Names are lowercase; anything else is an error naming the nearest valid name.
pub fn parse_level(name: &str) -> Result<Level, NameError> {
    Ok(match name {
        "error" => Level::On(Severity::Error),
        "warning" => Level::On(Severity::Warning),
        "information" | "info" => Level::On(Severity::Information),
        "hint" => Level::On(Severity::Hint),
        "off" => Level::Off,
        _ => {
            return Err(NameError {
                given: name.to_owned(),
                kind: "severity",
                nearest: nearest(name, LEVEL_NAMES.iter().copied()),
                expected: LEVELS_EXPECTED,
            })
        }
    })
}

/// [`parse_level`] for places that take a severity but not `off` (`--min-severity`,
/// `--error-on`).
pub fn parse_severity(name: &str) -> Result<Severity, NameError> {
    match parse_level(name) {
        Ok(Level::On(s)) => Ok(s),
        Ok(Level::Off) | Err(_) => Err(NameError {
            given: name.to_owned(),
            kind: "severity",
            nearest: nearest(name, LEVEL_NAMES.iter().copied().filter(|n| *n != "off")),
            expected: "error, warning, information (or info) or hint",
        }),
    }
}

/// A rule by its name ([`Code::name`], e.g. `date-mismatch`).
pub fn parse_code(name: &str) -> Result<Code, NameError> {
    Code::ALL
        .iter()
        .copied()
        .find(|c| c.name() == name)
        .ok_or_else(|| NameError {
            given: name.to_owned(),
            kind: "rule",
            nearest: nearest(name, Code::ALL.iter().map(|c| c.name())),
            expected: "",
        })
}

/// The candidate nearest to `given` by edit distance (the first of equals).
fn nearest(given: &str, candidates: impl Iterator<Item = &'static str>) -> &'static str {
    candidates
        .min_by_key(|c| edit_distance(given, c))
        .unwrap_or("")
}

// ---------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------

/// The review checks' thresholds. Field `a_b` is the key `a-b` of `[review]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Review {
    /// `untranslated-paragraph` needs an original paragraph of at least this many Han.
    pub untranslated_paragraph_min_han: usize,
    /// `length-ratio` looks only at pairs whose original has at least this many Han.
    pub length_ratio_min_han: usize,
    /// Below this share of the expected English length, `length-ratio` warns.
    pub length_ratio_low: f64,
    /// Above this share of the expected English length, `length-ratio` informs.
    pub length_ratio_high: f64,
    /// `number-mismatch` checks values from this up always; below it only after 第 or
    /// before an ordinal-like counter (`七区`).
    pub number_min_value: u64,
    /// `untranslated-text` runs shorter than this many Han are information (a gloss).
    pub untranslated_text_info_below: usize,
}

impl Default for Review {
    fn default() -> Review {
        Review {
            untranslated_paragraph_min_han: 20,
            length_ratio_min_han: 40,
            length_ratio_low: 0.40,
            length_ratio_high: 2.50,
            number_min_value: 10,
            untranslated_text_info_below: 4,
        }
    }
}

/// The keys of `[review]`, in the order of [`Review`]'s fields.
pub const REVIEW_KEYS: [&str; 6] = [
    "untranslated-paragraph-min-han",
    "length-ratio-min-han",
    "length-ratio-low",
    "length-ratio-high",
    "number-min-value",
    "untranslated-text-info-below",
];

/// Per rule, `off` or the severity its diagnostics get. Indexed by [`Code`]; the default
/// is every rule on at its usual severity ([`Code::severity`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules([Level; Code::ALL.len()]);

impl Default for Rules {
    fn default() -> Rules {
        Rules(std::array::from_fn(|i| Level::On(Code::ALL[i].severity())))
    }
}

impl Rules {
    /// What `code` is set to.
    pub fn get(&self, code: Code) -> Level {
        self.0[code as usize]
    }

    /// Sets `code` to `level`.
    pub fn set(&mut self, code: Code, level: Level) {
        self.0[code as usize] = level;
    }

    /// Whether `code` is reported at all.
    pub fn is_on(&self, code: Code) -> bool {
        self.get(code) != Level::Off
    }

    /// The severity `code` is set to, `None` when off.
    pub fn severity(&self, code: Code) -> Option<Severity> {
        match self.get(code) {
            Level::Off => None,
            Level::On(s) => Some(s),
        }
    }

    /// The severity a diagnostic of `code` that its check reported at `reported` gets.
    ///
    /// A diagnostic at the code's usual severity takes the configured one. A few checks
    /// report some diagnostics at another severity than their code's usual one (a short Han
    /// run of `untranslated-text` is information, see
    /// [`Review::untranslated_text_info_below`]); such a diagnostic becomes no more severe
    /// than the configured severity, so `untranslated-text = "error"` keeps glosses at
    /// information and `untranslated-text = "hint"` makes them hints too.
    pub fn severity_of(&self, code: Code, reported: Severity) -> Option<Severity> {
        let configured = self.severity(code)?;
        Some(if reported == code.severity() {
            configured
        } else {
            // Severity orders from Error (most severe) to Hint.
            reported.max(configured)
        })
    }

    /// The codes that are on, in documentation order.
    pub fn enabled(&self) -> impl Iterator<Item = Code> + '_ {
        Code::ALL.iter().copied().filter(|c| self.is_on(*c))
    }
}

/// Everything that tunes the checks. `Settings::default()` is the documented behaviour.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Settings {
    /// The review checks' thresholds.
    pub review: Review,
    /// Per rule, off or a severity.
    pub rules: Rules,
}

impl Settings {
    /// Applies `layer` over these settings: what the layer sets wins, the rest stays.
    pub fn apply(&mut self, layer: &Layer) {
        for (code, level) in &layer.rules {
            self.rules.set(*code, *level);
        }
        let (r, l) = (&mut self.review, &layer.review);
        set(
            &mut r.untranslated_paragraph_min_han,
            l.untranslated_paragraph_min_han,
        );
        set(&mut r.length_ratio_min_han, l.length_ratio_min_han);
        set(&mut r.length_ratio_low, l.length_ratio_low);
        set(&mut r.length_ratio_high, l.length_ratio_high);
        set(&mut r.number_min_value, l.number_min_value);
        set(
            &mut r.untranslated_text_info_below,
            l.untranslated_text_info_below,
        );
    }

    /// These settings with `layer` applied over them (see [`Settings::apply`]).
    pub fn with(mut self, layer: &Layer) -> Settings {
        self.apply(layer);
        self
    }

    /// Keeps only `codes` on (the command line's `--select`): every other rule is turned
    /// off, and a selected rule that was off comes back at its usual severity (a selected
    /// rule that was on keeps its configured severity).
    pub fn select_only(&mut self, codes: &[Code]) {
        for &code in Code::ALL {
            if !codes.contains(&code) {
                self.rules.set(code, Level::Off);
            } else if !self.rules.is_on(code) {
                self.rules.set(code, Level::On(code.severity()));
            }
        }
    }
}

fn set<T>(field: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *field = v;
    }
}

// ---------------------------------------------------------------------------------------
// Layers: what one source sets
// ---------------------------------------------------------------------------------------

/// The settings one source gives (a configuration file, the editor's settings): only what
/// it names; everything else is "not set" and leaves the layer below as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Layer {
    /// `[rules]`: the rules this layer sets.
    pub rules: BTreeMap<Code, Level>,
    /// `[review]`: the thresholds this layer sets.
    pub review: ReviewLayer,
}

/// The `[review]` thresholds one source sets; `None` is "not set". Fields as in [`Review`].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ReviewLayer {
    pub untranslated_paragraph_min_han: Option<usize>,
    pub length_ratio_min_han: Option<usize>,
    pub length_ratio_low: Option<f64>,
    pub length_ratio_high: Option<f64>,
    pub number_min_value: Option<u64>,
    pub untranslated_text_info_below: Option<usize>,
}

impl Layer {
    /// Whether this layer sets nothing.
    pub fn is_empty(&self) -> bool {
        *self == Layer::default()
    }

    /// Applies `over` on top of this layer: what `over` sets wins.
    pub fn merge(&mut self, over: &Layer) {
        self.rules.extend(over.rules.iter().map(|(c, l)| (*c, *l)));
        let (r, o) = (&mut self.review, &over.review);
        let keep = |a: &mut Option<usize>, b: Option<usize>| *a = b.or(*a);
        keep(
            &mut r.untranslated_paragraph_min_han,
            o.untranslated_paragraph_min_han,
        );
        keep(&mut r.length_ratio_min_han, o.length_ratio_min_han);
        keep(
            &mut r.untranslated_text_info_below,
            o.untranslated_text_info_below,
        );
        r.length_ratio_low = o.length_ratio_low.or(r.length_ratio_low);
        r.length_ratio_high = o.length_ratio_high.or(r.length_ratio_high);
        r.number_min_value = o.number_min_value.or(r.number_min_value);
    }

    /// Reads and parses the configuration file at `path` (see [`Layer::parse_toml`]).
    pub fn load(path: &Path) -> Result<Layer, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            origin: Origin::File(path.to_path_buf()),
            line: None,
            column: None,
            key: None,
            message: format!("cannot read the configuration file: {e}"),
        })?;
        Layer::parse_toml(&text, path)
    }

    /// Parses the text of a configuration file (`path` is only used in errors). Top-level
    /// tables are `[rules]` and `[review]`; anything else, an unknown rule or key, a bad
    /// severity or a value of the wrong type is an error with the 1-based line and column
    /// and, for names, the nearest valid one.
    pub fn parse_toml(text: &str, path: &Path) -> Result<Layer, ConfigError> {
        let error = |span: Option<std::ops::Range<usize>>, key: Option<String>, message| {
            let (line, column) = match span {
                Some(s) => {
                    let (l, c) = line_column(text, s.start);
                    (Some(l), Some(c))
                }
                None => (None, None),
            };
            ConfigError {
                origin: Origin::File(path.to_path_buf()),
                line,
                column,
                key,
                message,
            }
        };
        let toml_error = |e: toml::de::Error| {
            let message = e.message().trim_end().to_owned();
            error(e.span(), None, message)
        };

        // First the top-level names, so that a misspelt table is named with its line.
        let top: BTreeMap<Spanned<String>, serde::de::IgnoredAny> =
            toml::from_str(text).map_err(toml_error)?;
        for key in top.keys() {
            if !matches!(key.get_ref().as_str(), "rules" | "review") {
                let name = NameError {
                    given: key.get_ref().clone(),
                    kind: "table",
                    nearest: nearest(key.get_ref(), ["rules", "review"].into_iter()),
                    expected: "[rules] or [review]",
                };
                return Err(error(Some(key.span()), None, name.to_string()));
            }
        }

        #[derive(Deserialize)]
        struct File {
            rules: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
            review: Option<BTreeMap<Spanned<String>, Spanned<f64>>>,
        }
        let file: File = toml::from_str(text).map_err(toml_error)?;
        let mut layer = Layer::default();
        for (key, value) in file.rules.iter().flatten() {
            let k = format!("rules.{}", key.get_ref());
            let code = parse_code(key.get_ref())
                .map_err(|e| error(Some(key.span()), Some(k.clone()), e.to_string()))?;
            let level = parse_level(value.get_ref()).map_err(|e| {
                let message = format!("rule `{}`: {e}", code.name());
                error(Some(value.span()), Some(k), message)
            })?;
            layer.rules.insert(code, level);
        }
        for (key, value) in file.review.iter().flatten() {
            let k = format!("review.{}", key.get_ref());
            let field = review_key(key.get_ref())
                .map_err(|e| error(Some(key.span()), Some(k.clone()), e.to_string()))?;
            layer
                .review
                .set(field, Number::Float(*value.get_ref()))
                .map_err(|m| error(Some(value.span()), Some(k), m))?;
        }
        Ok(layer)
    }

    /// The same keys from the editor: the `archiveLsp` section of `workspace/configuration`,
    /// `initializationOptions` or the `settings` of `workspace/didChangeConfiguration`.
    ///
    /// `value` is the section's content (`{"rules": {…}, "review": {…}}`) or an object
    /// holding it under `archiveLsp`. `null`, a missing key and a `null` value all mean
    /// "not set"; so does an array of them (a client answering `workspace/configuration`
    /// with `[null]`), and an empty array where an object belongs (Lua's empty table). Other top-level keys are the client's own (`server`, `trace`) and
    /// are ignored; inside `rules` and `review`, an unknown name or a bad value is an error
    /// naming the key (`archiveLsp.rules.indentaton`) and the nearest valid name.
    pub fn from_json(value: &serde_json::Value) -> Result<Layer, ConfigError> {
        use serde_json::Value;
        let error = |key: String, message: String| ConfigError {
            origin: Origin::Settings,
            line: None,
            column: None,
            key: Some(key),
            message,
        };
        let value = match value {
            Value::Array(items) if items.len() <= 1 => items.first().unwrap_or(&Value::Null),
            v => v,
        };
        let section = match value.get(SECTION) {
            Some(inner) if value.as_object().is_some_and(|o| o.len() == 1) => inner,
            _ => value,
        };
        let mut layer = Layer::default();
        let object = match section {
            Value::Null => return Ok(layer),
            Value::Array(a) if a.is_empty() => return Ok(layer),
            Value::Object(o) => o,
            other => {
                return Err(error(
                    SECTION.to_owned(),
                    format!("expected an object of settings, got {}", json_type(other)),
                ))
            }
        };
        let table = |name: &str| -> Result<Option<&serde_json::Map<String, Value>>, ConfigError> {
            match object.get(name) {
                // `[]` too: Lua (Neovim) cannot tell an empty table from an empty array.
                None | Some(Value::Null) => Ok(None),
                Some(Value::Array(a)) if a.is_empty() => Ok(None),
                Some(Value::Object(o)) => Ok(Some(o)),
                Some(other) => Err(error(
                    format!("{SECTION}.{name}"),
                    format!("expected an object, got {}", json_type(other)),
                )),
            }
        };
        for (name, value) in table("rules")?.into_iter().flatten() {
            let key = format!("{SECTION}.rules.{name}");
            let code = parse_code(name).map_err(|e| error(key.clone(), e.to_string()))?;
            let level = match value {
                Value::Null => continue,
                Value::String(s) => parse_level(s)
                    .map_err(|e| error(key, format!("rule `{}`: {e}", code.name())))?,
                other => {
                    return Err(error(
                        key,
                        format!(
                            "expected a severity string ({LEVELS_EXPECTED}), got {}",
                            json_type(other)
                        ),
                    ))
                }
            };
            layer.rules.insert(code, level);
        }
        for (name, value) in table("review")?.into_iter().flatten() {
            let key = format!("{SECTION}.review.{name}");
            let field = review_key(name).map_err(|e| error(key.clone(), e.to_string()))?;
            let number = match value {
                Value::Null => continue,
                Value::Number(n) => match n.as_u64() {
                    Some(u) => Number::Int(u),
                    None => Number::Float(n.as_f64().unwrap_or(f64::NAN)),
                },
                other => {
                    return Err(error(
                        key,
                        format!("expected a number, got {}", json_type(other)),
                    ))
                }
            };
            layer.review.set(field, number).map_err(|m| error(key, m))?;
        }
        Ok(layer)
    }
}

fn json_type(v: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A threshold as read: JSON keeps integers apart, TOML's are read as floats.
#[derive(Clone, Copy)]
enum Number {
    Int(u64),
    Float(f64),
}

/// The index in [`REVIEW_KEYS`] of a `[review]` key.
fn review_key(name: &str) -> Result<usize, NameError> {
    REVIEW_KEYS
        .iter()
        .position(|k| *k == name)
        .ok_or_else(|| NameError {
            given: name.to_owned(),
            kind: "key",
            nearest: nearest(name, REVIEW_KEYS.iter().copied()),
            expected: "",
        })
}

impl ReviewLayer {
    /// Sets field `index` of [`REVIEW_KEYS`]; the message says what is wrong with `value`.
    fn set(&mut self, index: usize, value: Number) -> Result<(), String> {
        let whole = || -> Result<u64, String> {
            match value {
                Number::Int(u) => Ok(u),
                Number::Float(f) if f >= 0.0 && f.fract() == 0.0 && f < 1e15 => Ok(f as u64),
                Number::Float(f) => Err(format!(
                    "`{}` must be a whole number of 0 or more, got {f}",
                    REVIEW_KEYS[index]
                )),
            }
        };
        let ratio = || -> Result<f64, String> {
            let f = match value {
                Number::Int(u) => u as f64,
                Number::Float(f) => f,
            };
            if f.is_finite() && f >= 0.0 {
                Ok(f)
            } else {
                Err(format!(
                    "`{}` must be a number of 0 or more, got {f}",
                    REVIEW_KEYS[index]
                ))
            }
        };
        let count = || whole().map(|u| usize::try_from(u).unwrap_or(usize::MAX));
        match index {
            0 => self.untranslated_paragraph_min_han = Some(count()?),
            1 => self.length_ratio_min_han = Some(count()?),
            2 => self.length_ratio_low = Some(ratio()?),
            3 => self.length_ratio_high = Some(ratio()?),
            4 => self.number_min_value = Some(whole()?),
            _ => self.untranslated_text_info_below = Some(count()?),
        }
        Ok(())
    }
}

/// 1-based line and column (in characters) of byte `offset` of `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

// ---------------------------------------------------------------------------------------
// Discovery
// ---------------------------------------------------------------------------------------

/// The nearest configuration file for the files of folder `dir`: `dir/archive-lsp.toml`,
/// else the same in its parent, and so on up to the file system's root (like ruff and
/// `.editorconfig`; nested files are not merged, the nearest one alone applies). A relative
/// `dir` is taken from the current directory; `""` is the current directory.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let absolute = std::path::absolute(dir).ok()?;
    absolute
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|f| f.is_file())
}

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

/// Where a bad setting came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A configuration file.
    File(PathBuf),
    /// The editor's settings (`initializationOptions`, `workspace/configuration`).
    Settings,
}

/// A setting that cannot be used: what, where, and the nearest valid name. For the
/// checker a usage error (exit status 2).
///
/// Displayed as `FILE:LINE:COLUMN: MESSAGE` for a file (`FILE: MESSAGE` when the position
/// is unknown) and as `settings `KEY`: MESSAGE` for the editor's settings, e.g.
/// `rmrb/archive-lsp.toml:3:1: unknown rule `indentaton`; did you mean `indentation`?`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub origin: Origin,
    /// 1-based line in the file, where known.
    pub line: Option<usize>,
    /// 1-based column (in characters) in the file, where known.
    pub column: Option<usize>,
    /// The dotted key, e.g. `rules.indentaton` (`archiveLsp.rules.indentaton` in the
    /// editor's settings), where known.
    pub key: Option<String>,
    /// What is wrong, with the nearest valid name when a name is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match &self.origin {
            Origin::File(path) => {
                write!(f, "{}", path.display())?;
                if let Some(line) = self.line {
                    write!(f, ":{line}")?;
                    if let Some(column) = self.column {
                        write!(f, ":{column}")?;
                    }
                }
                write!(f, ": {}", self.message)
            }
            Origin::Settings => match &self.key {
                Some(key) => write!(f, "settings `{key}`: {}", self.message),
                None => write!(f, "settings: {}", self.message),
            },
        }
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn toml(text: &str) -> Result<Layer, ConfigError> {
        Layer::parse_toml(text, Path::new("archive-lsp.toml"))
    }

    #[test]
    fn severity_names_parse_the_same_everywhere() {
        assert_eq!(parse_level("info"), parse_level("information"));
        assert_eq!(parse_level("off"), Ok(Level::Off));
        let e = parse_level("warn").unwrap_err();
        assert_eq!(e.nearest, "warning");
        assert!(parse_severity("off").is_err());
        assert_eq!(parse_severity("hint"), Ok(Severity::Hint));
        for &name in LEVEL_NAMES {
            let from_toml = toml(&format!("[rules]\nindentation = \"{name}\"\n")).unwrap();
            let from_json = Layer::from_json(&json!({"rules": {"indentation": name}})).unwrap();
            assert_eq!(from_toml, from_json, "{name}");
            assert_eq!(
                from_toml.rules[&Code::Indentation],
                parse_level(name).unwrap()
            );
        }
    }

    #[test]
    fn every_code_is_a_rule_name() {
        for &code in Code::ALL {
            assert_eq!(parse_code(code.name()), Ok(code));
        }
        assert_eq!(parse_code("indentaton").unwrap_err().nearest, "indentation");
    }

    #[test]
    fn a_file_sets_rules_and_thresholds() {
        let layer = toml(
            "[rules]\nindentation = \"off\"\nnumber-mismatch = \"error\"\n\n[review]\nlength-ratio-low = 0.3\nnumber-min-value = 100\n",
        )
        .unwrap();
        let s = Settings::default().with(&layer);
        assert_eq!(s.rules.get(Code::Indentation), Level::Off);
        assert_eq!(
            s.rules.severity(Code::NumberMismatch),
            Some(Severity::Error)
        );
        assert_eq!(s.rules.get(Code::DateMismatch), Level::On(Severity::Error));
        assert_eq!(s.review.length_ratio_low, 0.3);
        assert_eq!(s.review.number_min_value, 100);
        assert_eq!(s.review.length_ratio_high, 2.5);
    }

    #[test]
    fn file_errors_have_line_column_and_nearest_name() {
        let e = toml("[rules]\nindentation = \"off\"\nindentaton = \"off\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(3), Some(1)));
        assert_eq!(
            e.to_string(),
            "archive-lsp.toml:3:1: unknown rule `indentaton`; did you mean `indentation`?"
        );
        let e = toml("[rules]\n\nindentation = \"warn\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(3), Some(15)));
        assert!(e.message.contains("did you mean `warning`?"), "{e}");
        let e = toml("[rulez]\nindentation = \"off\"\n").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("did you mean `rules`?"), "{e}");
        let e = toml("[review]\nlength-ratio-lo = 0.3\n").unwrap_err();
        assert!(
            e.message.contains("did you mean `length-ratio-low`?"),
            "{e}"
        );
        let e = toml("[review]\nnumber-min-value = 2.5\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        let e = toml("[review]\nlength-ratio-low = \"low\"\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        let e = toml("[rules]\nindentation = 3\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        let e = toml("[rules\n").unwrap_err();
        assert_eq!(e.line, Some(1), "{e}");
    }

    #[test]
    fn json_nulls_mean_not_set() {
        for v in [
            json!(null),
            json!([null]),
            json!({}),
            json!({"rules": null, "review": null}),
            json!({"rules": {"indentation": null}, "review": {"length-ratio-low": null}}),
            json!({"archiveLsp": null}),
            json!({"rules": [], "review": []}),
            json!([[]]),
            json!({"server": {"path": ""}, "trace": {"server": "off"}}),
        ] {
            assert_eq!(Layer::from_json(&v), Ok(Layer::default()), "{v}");
        }
        let layer =
            Layer::from_json(&json!({"archiveLsp": {"rules": {"indentation": "off"}}})).unwrap();
        assert_eq!(layer.rules[&Code::Indentation], Level::Off);
    }

    #[test]
    fn json_errors_name_the_key() {
        let e = Layer::from_json(&json!({"rules": {"indentaton": "off"}})).unwrap_err();
        assert_eq!(
            e.to_string(),
            "settings `archiveLsp.rules.indentaton`: unknown rule `indentaton`; did you mean `indentation`?"
        );
        let e = Layer::from_json(&json!({"review": {"number-min-value": -1}})).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("archiveLsp.review.number-min-value"));
        assert!(Layer::from_json(&json!({"rules": ["off"]})).is_err());
        assert!(Layer::from_json(&json!({"rules": {"indentation": false}})).is_err());
    }

    #[test]
    fn layers_stack_in_order() {
        let file = toml("[rules]\nindentation = \"off\"\ntrailing-whitespace = \"warning\"\n[review]\nlength-ratio-low = 0.3\n").unwrap();
        let editor = Layer::from_json(&json!({"rules": {"indentation": "hint"}})).unwrap();
        let s = Settings::default().with(&file).with(&editor);
        assert_eq!(s.rules.get(Code::Indentation), Level::On(Severity::Hint));
        assert_eq!(
            s.rules.get(Code::TrailingWhitespace),
            Level::On(Severity::Warning)
        );
        assert_eq!(s.review.length_ratio_low, 0.3);
        let mut merged = file.clone();
        merged.merge(&editor);
        assert_eq!(Settings::default().with(&merged), s);
    }

    #[test]
    fn select_turns_the_rest_off() {
        let mut s = Settings::default();
        s.rules.set(Code::Indentation, Level::Off);
        s.rules
            .set(Code::DateMismatch, Level::On(Severity::Warning));
        s.select_only(&[Code::Indentation, Code::DateMismatch]);
        assert_eq!(
            s.rules.enabled().collect::<Vec<_>>(),
            [Code::DateMismatch, Code::Indentation]
        );
        assert_eq!(s.rules.severity(Code::Indentation), Some(Severity::Hint));
        assert_eq!(
            s.rules.severity(Code::DateMismatch),
            Some(Severity::Warning)
        );
    }

    #[test]
    fn a_downgraded_diagnostic_is_never_raised() {
        let mut r = Rules::default();
        let (code, info) = (Code::UntranslatedText, Severity::Information);
        assert_eq!(r.severity_of(code, info), Some(info));
        r.set(code, Level::On(Severity::Error));
        assert_eq!(
            r.severity_of(code, Severity::Warning),
            Some(Severity::Error)
        );
        assert_eq!(r.severity_of(code, info), Some(info));
        r.set(code, Level::On(Severity::Hint));
        assert_eq!(r.severity_of(code, info), Some(Severity::Hint));
        r.set(code, Level::Off);
        assert_eq!(r.severity_of(code, info), None);
    }

    #[test]
    fn discovery_takes_the_nearest_file() {
        let root =
            std::env::temp_dir().join(format!("archive-lsp-discover-{}", std::process::id()));
        let deep = root.join("a/b/c");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(root.join(FILE_NAME), "").unwrap();
        assert_eq!(discover(&deep), Some(root.join(FILE_NAME)));
        std::fs::write(root.join("a/b").join(FILE_NAME), "").unwrap();
        assert_eq!(discover(&deep), Some(root.join("a/b").join(FILE_NAME)));
        assert_eq!(discover(&root.join("a")), Some(root.join(FILE_NAME)));
        std::fs::remove_dir_all(&root).unwrap();
    }
}
