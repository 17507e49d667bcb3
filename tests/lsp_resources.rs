//! Resource bounds (issue 6, item 6), against the release server: 1,000 documents open at
//! once (variants of the seeds, from a few KB to a few hundred KB, and synthetic ones;
//! about 30 MB of text in all) cost memory in proportion to their size, measured as the
//! growth of the server's resident memory (`VmRSS`) per MB of open text; closing them
//! releases them (each is gone from the server, whose diagnostics for it are cleared), and
//! opening them all again reuses that memory instead of adding to it (no leak).
//! The figure is printed for the README.

mod common;

use common::{seeds, Rng, Server};
use serde_json::json;
use std::time::Instant;

const DOCUMENTS: usize = 1000;

/// Resident memory growth allowed per MB of open text. Measured: about 5.5 MB per MB (the
/// rope, the analysis cached beside it: the text as a `String`, its parse and its
/// diagnostics, and the allocator's slack); the bound leaves room for other allocators and
/// machines while still catching a document held twice over or a leak per open.
const MAX_RSS_PER_MB: f64 = 12.0;

/// 1,000 documents: seeds with some paragraphs repeated (sizes spread over two orders of
/// magnitude), CRLF or not, and synthetic Han/astral-heavy ones.
fn documents() -> Vec<(String, String)> {
    let seeds: Vec<String> = seeds()
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let mut rng = Rng(0x00ad_5eed_1000);
    (0..DOCUMENTS)
        .map(|i| {
            let uri = format!("file:///tmp/resources/{i:04}.md");
            let text = if i % 5 == 4 {
                // Synthetic: lines of Han and astral text, a few KB to ~150 KB.
                let lines = 20 + rng.below(2000);
                (0..lines)
                    .map(|k| format!("    第{k}段：𠮷家庄修成新水渠，长八里。Line {i}-{k}.\n"))
                    .collect()
            } else {
                // A seed with its longest paragraph line repeated 0 to ~150 times.
                let seed = &seeds[rng.below(seeds.len())];
                let longest = seed.lines().max_by_key(|l| l.len()).unwrap();
                let repeat = match rng.below(10) {
                    0 => 0,
                    1..=6 => rng.below(40),
                    _ => 40 + rng.below(110),
                };
                let extra = format!("{longest}\n").repeat(repeat);
                let text =
                    seed.replacen(&format!("{longest}\n"), &format!("{longest}\n{extra}"), 1);
                if i % 2 == 0 {
                    text.replace('\n', "\r\n")
                } else {
                    text
                }
            };
            (uri, text)
        })
        .collect()
}

/// Opens every document and waits until each has been analysed (its diagnostics
/// published); returns the resident memory then, in KiB.
fn open_all(s: &mut Server, docs: &[(String, String)]) -> u64 {
    for (uri, text) in docs {
        s.open(uri, text);
    }
    for (uri, _) in docs {
        s.wait_publish(uri);
    }
    s.barrier();
    s.clear_pending();
    s.rss_kib()
}

#[test]
fn memory_is_proportional_to_the_open_text_and_closing_releases_it() {
    let t0 = Instant::now();
    let docs = documents();
    let total: usize = docs.iter().map(|(_, t)| t.len()).sum();
    let mb = total as f64 / (1024.0 * 1024.0);
    let largest = docs.iter().map(|(_, t)| t.len()).max().unwrap();
    assert!((20.0..60.0).contains(&mb), "a few tens of MB: {mb:.1}");

    let mut s = Server::start_release();
    s.initialize_encodings(None);
    s.barrier();
    let before = s.rss_kib();

    let open = open_all(&mut s, &docs);
    let opened_in = t0.elapsed();
    // Every document is the one sent (a sample: all of them would only cost time).
    for (uri, text) in docs.iter().step_by(97) {
        assert_eq!(&s.view_text(uri), text, "{uri}");
    }
    let per_mb = (open.saturating_sub(before)) as f64 / 1024.0 / mb;

    // Closing releases each document: it is no longer known, its diagnostics are cleared.
    // One tab among a thousand is not worth returning memory for (the allocator's locks
    // would be held for tens of milliseconds); all of them are.
    const RETURNED: &str = "closed documents' memory returned to the system";
    s.close(&docs[0].0);
    s.barrier();
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(!s.stderr().contains(RETURNED), "{}", s.stderr());
    for (uri, _) in &docs[1..] {
        s.close(uri);
    }
    for (uri, _) in &docs {
        assert_eq!(s.wait_diagnostics(uri), Vec::<serde_json::Value>::new());
    }
    let ids: Vec<i64> = docs
        .iter()
        .map(|(uri, _)| {
            s.send_request(
                "archive/viewFileText",
                json!({"textDocument": {"uri": uri}}),
            )
        })
        .collect();
    for (r, (uri, _)) in s.responses(&ids).iter().zip(&docs) {
        assert_eq!(r["error"]["code"], -32602, "{uri} is closed: {r}");
    }
    // And what they held goes back to the system (on glibc, which keeps freed memory for
    // reuse unless asked): the trim runs off the request path, so it is waited for.
    let growth = open.saturating_sub(before);
    let deadline = Instant::now() + std::time::Duration::from_secs(20);
    let mut closed = s.rss_kib();
    while closed > before + growth / 4 && Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
        closed = s.rss_kib();
    }
    assert!(
        closed <= before + growth / 4,
        "closing every document left RSS at {closed} KiB (open {open}, before {before})"
    );
    // Each release needs as much closed as is still open: a few at most while a
    // thousand close (half, then half the rest…), never one per close.
    let releases = s.stderr().matches(RETURNED).count();
    assert!((1..=10).contains(&releases), "{releases} releases");

    // Opening them all again reuses the memory freed by closing: no growth per cycle.
    let reopened = open_all(&mut s, &docs);
    let peak = s.peak_rss_kib();

    eprintln!(
        "{DOCUMENTS} documents, {mb:.1} MB of text (largest {:.0} KB), opened and analysed in {:.1} s: \
         RSS {:.1} MB before, {:.1} MB open ({per_mb:.1} MB per MB of open text), \
         {:.1} MB after closing all, {:.1} MB reopened, peak {:.1} MB",
        largest as f64 / 1024.0,
        opened_in.as_secs_f64(),
        before as f64 / 1024.0,
        open as f64 / 1024.0,
        closed as f64 / 1024.0,
        reopened as f64 / 1024.0,
        peak as f64 / 1024.0,
    );
    assert!(
        per_mb < MAX_RSS_PER_MB,
        "{per_mb:.1} MB of RSS per MB of open text (bound {MAX_RSS_PER_MB})"
    );
    assert!(
        reopened < open + growth / 4,
        "reopening after closing grew RSS from {open} to {reopened} KiB: closed documents are kept"
    );
    s.shutdown();
}
