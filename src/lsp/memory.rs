//! The server and glibc's allocator. A server lives as long as the editor, often for days:
//! what it frees must serve again, and go back to the system when much is freed at once.
//!
//! glibc gives each thread that allocates under contention an arena of its own, up to eight
//! per core, and memory freed in one arena serves only that arena's threads: a document
//! opened on one runtime worker and closed, then opened again on another, grows the
//! process. Two arenas serve the server's two workers and its background threads with
//! little contention. And glibc keeps freed memory for reuse: once many documents are
//! closed, [`release`] gives it back to the system ([`Closes`] says when).

use std::sync::atomic::{AtomicUsize, Ordering};

/// Caps the allocator's arenas (call once, before the runtime's threads start).
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: a documented tunable (thread-safe in glibc), set before the runtime starts.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Returns the allocator's free memory to the system (after documents are closed).
pub fn release() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: a plain call; it only walks the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The text closed since memory was last released, to say when releasing is worth it: a
/// release walks the allocator's free lists under its locks (80–110 ms on a fragmented
/// heap of 300 MB, measured), so closing one tab among a thousand must not cost that, but
/// closing a folder's worth should give its memory back.
#[derive(Debug, Default)]
pub struct Closes(AtomicUsize);

/// Less closed text than this is never worth a release.
const RELEASE_FROM: usize = 1 << 20;

impl Closes {
    /// Counts a closed document of `bytes` of text, with `open` bytes still open, and says
    /// whether to release now: at the end of a run of closes (`more`: none is waiting),
    /// once the text closed since the last release is at least 1 MB and at least the text
    /// still open.
    pub fn closed(&self, bytes: usize, open: usize, more: bool) -> bool {
        let closed = self.0.fetch_add(bytes, Ordering::Relaxed) + bytes;
        if more || closed < RELEASE_FROM.max(open) {
            return false;
        }
        self.0.store(0, Ordering::Relaxed);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_release_waits_for_enough_closed_text_and_the_end_of_the_run() {
        let c = Closes::default();
        // One tab of a thousand: no.
        assert!(!c.closed(30_000, 30_000_000, false));
        // A folder's worth, while more closes wait: not yet; at the last one: yes.
        assert!(!c.closed(20_000_000, 10_000_000, true));
        assert!(c.closed(10_000_000, 0, false));
        // Counted afresh after a release: small closes of a few open documents wait for
        // a megabyte.
        assert!(!c.closed(600_000, 100_000, false));
        assert!(c.closed(600_000, 0, false));
    }
}
