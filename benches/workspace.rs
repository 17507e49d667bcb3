//! The workspace index at archive scale: `cargo bench --bench workspace`.
//!
//! - Builds an index of 100,000 summaries (`WS_FILES`), made from the real summaries of
//!   the seeds, the fixtures and the shared corpus with varied titles (words rotated, a
//!   word dropped, halves of two titles joined), dates over 1946–1970 and pages 1–8; prints
//!   the index's own estimate of its memory (`heap_bytes() / len()`), the growth of the
//!   process's resident memory while building it, and the average size of the source files.
//! - Times `symbols()` for each kind of query (median of `WS_RUNS` runs, default 21).
//! - Times `scan` of the scale benchmark's generated folder (20,000 files by default,
//!   `WS_SCAN_FILES`; `target/scale-corpus-N`, made once and reused), with all cores and
//!   with one worker (median of 3 runs each); `WS_SCAN_FILES=0` leaves it out.

#[path = "support/corpus.rs"]
mod corpus;

use archive_lsp::config::Settings;
use archive_lsp::workspace::{scan, Event, Index, Options, Summary};
use corpus::Rng;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn main() {
    let files = env_or("WS_FILES", 100_000);
    let runs = env_or("WS_RUNS", 21).max(1);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sources = corpus::sources(root);
    let average = sources.iter().map(String::len).sum::<usize>() / sources.len();
    let settings = Settings::default();
    let bases: Vec<Summary> = sources.iter().map(|t| Summary::of(t, &settings)).collect();

    let before = resident_bytes();
    let t = Instant::now();
    let mut index = Index::new(usize::MAX);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for i in 0..files {
        let (path, summary) = variant(&bases, &mut rng, i);
        index.upsert(path, summary, average as u64).unwrap();
    }
    let built = t.elapsed();
    let grown = resident_bytes()
        .zip(before)
        .map(|(a, b)| a.saturating_sub(b));
    let per_file = index.heap_bytes() / index.len();
    println!(
        "index: {} summaries built in {:.2} s; heap_bytes() {:.1} MB = {per_file} bytes a file; \
         resident memory grew {}; source files average {average} bytes ({:.1}% of that)",
        index.len(),
        built.as_secs_f64(),
        index.heap_bytes() as f64 / 1e6,
        grown.map_or("(unknown: no /proc)".into(), |g| format!(
            "{:.1} MB = {} bytes a file",
            g as f64 / 1e6,
            g / files.max(1)
        )),
        per_file as f64 * 100.0 / average as f64,
    );

    // A target from the middle of the index: its title misspelt, its Chinese title, …
    let (target_path, target) = index.iter().nth(files / 2).unwrap();
    let target_path = target_path.to_path_buf();
    let en = target.title.to_string();
    let zh: String = target.original_title.chars().take(6).collect();
    let date = target.date.unwrap().to_string();
    let queries = [
        ("empty (first 100)", String::new()),
        ("English title, exact", en.clone()),
        ("English title, typos", misspell(&en)),
        ("one English word", "harvest".to_owned()),
        ("Chinese title", zh),
        ("date", date.clone()),
        ("month", date[..7].to_owned()),
        ("page", "p3".to_owned()),
        ("date and page", format!("{date} p{}", target.page.unwrap())),
        ("column", "经济生活".to_owned()),
        (
            "date and title words",
            format!("{date} {}", first_words(&en, 2)),
        ),
    ];
    println!(
        "\nsymbols() over {} articles, limit 100, median of {runs} runs:",
        index.len()
    );
    println!("{:<26} {:>10} {:>8}  first hit", "query", "time", "hits");
    for (kind, q) in &queries {
        let mut hits = Vec::new();
        let time = median(runs, || hits = index.symbols(q, 100));
        let first = hits.first().map_or("-".into(), |h| {
            let mark = if h.path == target_path {
                " (the target)"
            } else {
                ""
            };
            format!("{}{mark}", h.name)
        });
        println!(
            "{kind:<26} {:>7.2} ms {:>8}  {first:.60}",
            time.as_secs_f64() * 1e3,
            hits.len()
        );
    }
    drop(index);

    let scan_files = env_or("WS_SCAN_FILES", 20_000);
    if scan_files == 0 {
        return;
    }
    let dir = root.join(format!("target/scale-corpus-{scan_files}"));
    let (count, bytes) = corpus::generate(root, &dir, scan_files);
    println!(
        "\nscan of {count} files ({:.1} MB, {}), median of 3 runs:",
        bytes as f64 / 1e6,
        dir.display()
    );
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let shared = Arc::new(Settings::default());
    for threads in [cores, 1] {
        let options = Options {
            threads,
            ..Options::default()
        };
        let mut indexed = 0;
        let mut index = Index::new(usize::MAX);
        let time = median(3, || {
            index = Index::new(usize::MAX);
            indexed = 0;
            let cancel = AtomicBool::new(false);
            scan(
                std::slice::from_ref(&dir),
                &options,
                |_| shared.clone(),
                &cancel,
                |e| {
                    if let Event::Indexed {
                        path,
                        summary,
                        bytes,
                    } = e
                    {
                        indexed += 1;
                        index.upsert(path, summary, bytes).unwrap();
                    }
                },
            );
        });
        println!(
            "{threads} worker(s): {:.2} s, {indexed} documents indexed ({:.0} files/s); {} bytes a file",
            time.as_secs_f64(),
            indexed as f64 / time.as_secs_f64(),
            index.heap_bytes() / index.len().max(1)
        );
    }
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs `f` once to warm up, then `runs` times; the median wall time.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// The process's resident memory, from `/proc/self/statm` (pages of 4 KiB).
fn resident_bytes() -> Option<usize> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: usize = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// The `i`th generated article: a base summary with its titles varied, a date over
/// 1946–1970, a page 1–8, at a path like the archive's
/// (`/archive/rmrb/1952.08/1952-08-03_<Chinese title>_000123.md`).
fn variant(bases: &[Summary], rng: &mut Rng, i: usize) -> (PathBuf, Summary) {
    let mut s = bases[i % bases.len()].clone();
    let other = &bases[rng.below(bases.len())];
    let (en, zh) = match rng.below(4) {
        0 => (s.title.to_string(), s.original_title.to_string()),
        1 => (
            rotate_words(&s.title, rng.below(8)),
            rotate_chars(&s.original_title, rng.below(8)),
        ),
        2 => (
            drop_word(&s.title, rng.below(8)),
            s.original_title.to_string(),
        ),
        _ => (
            join_halves(&s.title, &other.title),
            join_halves_chars(&s.original_title, &other.original_title),
        ),
    };
    s.title = en.into();
    s.original_title = zh.into();
    let (year, month, day) = (1946 + rng.below(25), 1 + rng.below(12), 1 + rng.below(28));
    s.date = archive_lsp::text::parse_date(&format!("{year}-{month:02}-{day:02}"));
    s.page = Some(1 + rng.below(8) as u32);
    let short: String = s.original_title.chars().take(12).collect();
    let path =
        format!("/archive/rmrb/{year}.{month:02}/{year}-{month:02}-{day:02}_{short}_{i:06}.md");
    (PathBuf::from(path), s)
}

fn rotate_words(s: &str, k: usize) -> String {
    let words: Vec<&str> = s.split(' ').collect();
    let k = k % words.len().max(1);
    words[k..]
        .iter()
        .chain(&words[..k])
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

fn rotate_chars(s: &str, k: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    let k = k % chars.len().max(1);
    chars[k..].iter().chain(&chars[..k]).collect()
}

fn drop_word(s: &str, k: usize) -> String {
    let mut words: Vec<&str> = s.split(' ').collect();
    if words.len() > 2 {
        words.remove(k % words.len());
    }
    words.join(" ")
}

fn join_halves(a: &str, b: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    [&a[..a.len().div_ceil(2)], &b[b.len() / 2..]]
        .concat()
        .join(" ")
}

fn join_halves_chars(a: &str, b: &str) -> String {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    a[..a.len().div_ceil(2)]
        .iter()
        .chain(&b[b.len() / 2..])
        .collect()
}

fn first_words(s: &str, n: usize) -> String {
    s.split(' ').take(n).collect::<Vec<_>>().join(" ")
}

/// A title as typed in a hurry: every fifth letter dropped, and the first lower-case one
/// left replaced by `q` (a typo fuzzy matching alone does not bridge).
fn misspell(s: &str) -> String {
    let mut out: String = s
        .chars()
        .enumerate()
        .filter(|(i, c)| !(c.is_alphabetic() && i % 5 == 4))
        .map(|(_, c)| c)
        .collect();
    if let Some(at) = out.find(|c: char| c.is_ascii_lowercase()) {
        out.replace_range(at..at + 1, "q");
    }
    out
}
