//! The progress bar of `check` on stderr: only when stderr is a terminal, not in CI
//! (`CI` set), not with `--no-progress`, and only once a run has lasted a moment, so that
//! short runs never show it.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// How long a run goes before the bar appears.
const DELAY: Duration = Duration::from_millis(500);

/// [`DELAY`], or `ARCHIVE_LSP_PROGRESS_DELAY_MS` (for the tests, which need the bar on a
/// short run).
fn delay() -> Duration {
    std::env::var("ARCHIVE_LSP_PROGRESS_DELAY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(DELAY, Duration::from_millis)
}

pub struct Progress {
    enabled: bool,
    started: Instant,
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A progress bar that may show if `wanted` (not `--no-progress`), stderr is a
    /// terminal and the run is not in CI.
    pub fn new(wanted: bool) -> Progress {
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
        Progress {
            enabled: wanted && !ci && std::io::stderr().is_terminal(),
            started: Instant::now(),
            bar: None,
        }
    }

    /// `done` of `found` files so far (`found` grows as the walk goes on).
    pub fn update(&mut self, done: usize, found: usize) {
        if !self.enabled {
            return;
        }
        if self.bar.is_none() && self.started.elapsed() >= delay() {
            let bar = ProgressBar::with_draw_target(
                Some(found as u64),
                ProgressDrawTarget::stderr_with_hz(10),
            );
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} checking {pos}/{len} files [{wide_bar}] {elapsed}",
                )
                .expect("a valid template")
                .progress_chars("=> "),
            );
            bar.enable_steady_tick(Duration::from_millis(100));
            self.bar = Some(bar);
        }
        if let Some(bar) = &self.bar {
            bar.set_length(found as u64);
            bar.set_position(done as u64);
        }
    }

    /// Whether the bar is on screen.
    pub fn visible(&self) -> bool {
        self.bar.is_some()
    }

    /// Runs `f` (which writes to stderr) with the bar out of the way.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    /// Removes the bar.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
