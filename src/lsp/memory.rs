//! The server and glibc's allocator. A server lives as long as the editor, often for days:
//! what it frees must serve again, and go back to the system when much is freed at once.
//!
//! glibc gives each thread that allocates under contention an arena of its own, up to eight
//! per core, and memory freed in one arena serves only that arena's threads: a document
//! opened on one runtime worker and closed, then opened again on another, grows the
//! process. Two arenas serve the server's two workers and its background threads with
//! little contention. And glibc keeps freed memory for reuse: after the documents are
//! closed, [`release`] gives it back to the system.

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
