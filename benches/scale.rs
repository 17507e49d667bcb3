//! The checker at archive scale: `cargo bench --bench scale`.
//!
//! Generates an archive-shaped corpus (`rmrb/YYYY.MM/*.md`, 20,000 files by default) from
//! the seeds, the fixtures and the shared corpus (when present, read in place), each file a
//! variant with its own text: paragraphs rotated word by word (English) and character by
//! character (Chinese), some files' bodies repeated twice, dates and pages changed on both
//! sides, and now and then a fault (Han left in the English, a changed date, trailing
//! blanks). Then times, in one run, on the same files with a warm page cache:
//!
//! - a plain read of every file (walk + read, one thread, in this process);
//! - `rg -c '^Title:'` (when ripgrep is installed; else it says `rg not installed`);
//! - `archive-lsp check --format json` and `archive-lsp check` (human), every check on,
//!   with all cores and with `--threads 1`, without the results cache (`--no-cache`);
//! - the same two with the results cache (in `<corpus>-cache`), every file found in it:
//!   a run over an archive none of whose files changed since the last run.
//!
//! Prints the median wall time of each (and the CPU time of the child processes), and the
//! ratios to rg and to the plain read. Environment: `SCALE_FILES` (number of files,
//! default 20000), `SCALE_RUNS` (runs per command, default 7), `SCALE_DIR` (where the
//! corpus goes, default `target/scale-corpus-N`; kept and reused).

#[path = "support/corpus.rs"]
mod corpus;

use corpus::generate;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    // `cargo bench` passes `--bench`; other arguments (filters) are ignored.
    let files: usize = env_or("SCALE_FILES", 20_000);
    let runs: usize = env_or("SCALE_RUNS", 7).max(1);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::var_os("SCALE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(format!("target/scale-corpus-{files}")));
    let (count, bytes) = generate(root, &dir, files);
    let bin = env!("CARGO_BIN_EXE_archive-lsp");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "corpus: {count} files, {:.1} MB in {}; {cores} cores; median of {runs} runs",
        bytes as f64 / 1e6,
        dir.display()
    );

    let mut rows: Vec<(String, Measure)> = Vec::new();
    rows.push((
        "plain read (1 thread)".into(),
        time(runs, || plain_read(&dir)),
    ));
    let rg = Command::new("rg").arg("--version").output().is_ok();
    if rg {
        let d = dir.to_str().unwrap().to_owned();
        rows.push((
            "rg -c '^Title:'".into(),
            time(runs, || child("rg", &["-c", "^Title:", &d])),
        ));
    } else {
        println!("rg not installed: no ripgrep baseline (Debian: apt-get install ripgrep)");
    }
    let d = dir.to_str().unwrap().to_owned();
    // The results cache goes beside the corpus (never into HOME); the uncached rows
    // check every file every time.
    let cache = format!("{d}-cache");
    let _ = std::fs::remove_dir_all(&cache);
    let json = ["check", "--no-progress", "--format", "json"];
    let human = ["check", "--no-progress"];
    let cold = ["--no-cache"];
    let cached = ["--cache-dir", &cache];
    let variants: Vec<(&str, Vec<&str>)> = vec![
        ("check --format json", [&json[..], &cold, &[&d]].concat()),
        ("check (human)", [&human[..], &cold, &[&d]].concat()),
        (
            "check --format json -j1",
            [&json[..], &cold, &["-j1", &d]].concat(),
        ),
        (
            "check (human) -j1",
            [&human[..], &cold, &["-j1", &d]].concat(),
        ),
        // The warm-up run of each fills the cache; the timed runs find every file in it.
        (
            "cached: check --format json",
            [&json[..], &cached, &[&d]].concat(),
        ),
        (
            "cached: check (human)",
            [&human[..], &cached, &[&d]].concat(),
        ),
    ];
    for (name, args) in &variants {
        rows.push((name.to_string(), time(runs, || child(bin, args))));
    }

    let read = rows[0].1.wall;
    let rg_wall = rg.then(|| rows[1].1.wall);
    println!(
        "\n{:<30} {:>9} {:>9} {:>8} {:>8}",
        "command", "wall", "cpu", "vs rg", "vs read"
    );
    for (name, m) in &rows {
        let ratio = |base: Duration| format!("{:.2}x", m.wall.as_secs_f64() / base.as_secs_f64());
        println!(
            "{name:<30} {:>7.3} s {:>7} {:>8} {:>8}",
            m.wall.as_secs_f64(),
            m.cpu
                .map_or("-".into(), |c| format!("{:.3} s", c.as_secs_f64())),
            rg_wall.map_or("-".into(), ratio),
            ratio(read),
        );
    }
    println!(
        "\n(output sizes: json {:.1} MB, human {:.1} MB)",
        output_len(bin, &[&json[..], &cold, &[&d]].concat()) as f64 / 1e6,
        output_len(bin, &[&human[..], &cold, &[&d]].concat()) as f64 / 1e6
    );
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A median wall time, and the median CPU time (user + system) of the child process.
struct Measure {
    wall: Duration,
    cpu: Option<Duration>,
}

/// Runs `f` once to warm up, then `runs` times; medians.
fn time(runs: usize, mut f: impl FnMut() -> Option<Duration>) -> Measure {
    f();
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let cpu = f();
        walls.push(t.elapsed());
        cpus.extend(cpu);
    }
    walls.sort();
    cpus.sort();
    Measure {
        wall: walls[walls.len() / 2],
        cpu: (!cpus.is_empty()).then(|| cpus[cpus.len() / 2]),
    }
}

/// Runs a command with its output drained (as a pipe would), returning its CPU time.
fn child(program: &str, args: &[&str]) -> Option<Duration> {
    let before = children_cpu();
    let mut c = Command::new(program)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the command starts");
    let mut out = c.stdout.take().unwrap();
    std::io::copy(&mut out, &mut std::io::sink()).unwrap();
    c.wait().unwrap();
    Some(children_cpu()? - before?)
}

fn output_len(program: &str, args: &[&str]) -> usize {
    Command::new(program)
        .args(args)
        .stderr(Stdio::null())
        .output()
        .map_or(0, |o| o.stdout.len())
}

/// User + system CPU time of all waited-for children so far.
fn children_cpu() -> Option<Duration> {
    let out = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses): cutime and cstime are the
    // 14th and 15th of those (fields 16 and 17 of the line), in clock ticks.
    let rest = &out[out.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f.get(13)?.parse::<u64>().ok()? + f.get(14)?.parse::<u64>().ok()?;
    // The kernel reports in USER_HZ, 100 on Linux.
    Some(Duration::from_millis(ticks * 10))
}

/// Walks `dir` and reads every file: what any checker must do at the least.
fn plain_read(dir: &Path) -> Option<Duration> {
    let mut total = 0usize;
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            total += std::fs::read(e.path()).unwrap().len();
        }
    }
    std::hint::black_box(total);
    None
}
