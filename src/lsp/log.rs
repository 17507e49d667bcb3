//! Logging to stderr, never stdout (stdout carries the protocol).
//!
//! Our own lines go through [`log`]; the framework logs through `tracing`, so a minimal
//! subscriber forwards its warnings and errors (a message that could not be decoded, a
//! failed send) to the same place. No span tracking: the framework's events are enough.

use std::fmt::{self, Display, Write as _};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

/// Writes one line on stderr, prefixed `archive-lsp:`.
pub fn log(message: impl Display) {
    eprintln!("archive-lsp: {message}");
}

/// Installs the stderr subscriber for the framework's events (once; later calls do nothing).
pub fn install() {
    let _ = tracing::subscriber::set_global_default(Stderr);
}

struct Stderr;

struct Line(String);

impl Visit for Line {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if !self.0.is_empty() {
            self.0.push(' ');
        }
        if field.name() == "message" {
            let _ = write!(self.0, "{value:?}");
        } else {
            let _ = write!(self.0, "{}={value:?}", field.name());
        }
    }
}

impl Subscriber for Stderr {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        // WARN and ERROR only: the framework's INFO lines are routine.
        *metadata.level() <= Level::WARN
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut line = Line(String::new());
        event.record(&mut line);
        log(format_args!(
            "{} ({}): {}",
            event.metadata().level(),
            event.metadata().target(),
            line.0
        ));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}
