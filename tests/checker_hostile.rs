//! The command-line checker on hostile files (issue 6, item 5), run as a user runs it: the
//! built binary on trees made in a temporary folder. Each case gets a clear per-path message,
//! the other files are still checked, the exit status is the documented one (0 clean, 1 an
//! error diagnostic, 2 a usage error or a path that could not be read), and nothing panics.
//!
//! Heavy cases (a 100 MB file, a 10 MB single line, a folder of large files) run against the
//! release binary (built here if needed, or `ARCHIVE_LSP_RELEASE_BIN`) and measure peak
//! memory, which must stay under three times the largest file.

mod common;

use serde_json::Value;
use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The sample: a valid document, clean under the checker.
const VALID: &str = include_str!("../seeds/000_0d759123a74baf35.txt");

fn debug_bin() -> &'static str {
    env!("CARGO_BIN_EXE_archive-lsp")
}

// ---------------------------------------------------------------------------------------
// Temporary trees
// ---------------------------------------------------------------------------------------

use common::TempTree;

// ---------------------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------------------

struct Run {
    status: ExitStatus,
    stdout: String,
    stderr: String,
    /// Peak resident set size in KiB, when measured.
    peak_kib: Option<u64>,
    elapsed: Duration,
}

impl Run {
    fn code(&self) -> i32 {
        self.status.code().expect("exited, not killed by a signal")
    }

    /// Nothing in any run may look like a crash.
    fn assert_no_panic(&self) {
        assert!(
            !self.stderr.contains("panicked") && !self.stderr.contains("RUST_BACKTRACE"),
            "the checker panicked:\n{}",
            self.stderr
        );
    }

    fn json(&self) -> Vec<Value> {
        let v: Value = serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout));
        v.as_array().expect("a JSON array").clone()
    }
}

/// How a run's peak memory is measured.
#[derive(Clone, Copy, PartialEq)]
enum Memory {
    Ignore,
    Measure,
}

/// Runs `program args…` in `cwd`, reading both pipes concurrently, killing it after
/// `timeout`. With [`Memory::Measure`], the peak RSS comes from `/usr/bin/time` when
/// installed, else from polling `/proc/<pid>/status` (VmHWM, a lower bound).
fn run_full(
    prefix: &[&str],
    program: &Path,
    args: &[&str],
    cwd: &Path,
    memory: Memory,
    timeout: Duration,
) -> Run {
    let time = Path::new("/usr/bin/time");
    let time_out = cwd.join(format!(".peak-{}", std::process::id()));
    let use_time = memory == Memory::Measure && time.exists();
    let mut argv: Vec<String> = prefix.iter().map(|s| s.to_string()).collect();
    if use_time {
        argv.extend(["/usr/bin/time".into(), "-f".into(), "PEAK_KIB=%M".into()]);
        argv.extend(["-o".into(), time_out.display().to_string()]);
    }
    argv.push(program.display().to_string());
    argv.extend(args.iter().map(|s| s.to_string()));

    let start = Instant::now();
    let mut child = Command::new(&argv[0])
        .args(&argv[1..])
        .env(common::CACHE_VAR, common::check_cache_dir())
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {argv:?}: {e}"));
    let pid = child.id();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        out.read_to_end(&mut v).unwrap();
        v
    });
    let err_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        err.read_to_end(&mut v).unwrap();
        v
    });
    let mut polled_peak = 0u64;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if memory == Memory::Measure && !use_time {
            polled_peak = polled_peak.max(vm_hwm_kib(pid).unwrap_or(0));
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{argv:?} did not finish within {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let elapsed = start.elapsed();
    let stdout = String::from_utf8_lossy(&out_t.join().unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&err_t.join().unwrap()).into_owned();
    let peak_kib = match memory {
        Memory::Ignore => None,
        Memory::Measure if use_time => {
            let report = fs::read_to_string(&time_out).expect("/usr/bin/time wrote its report");
            let _ = fs::remove_file(&time_out);
            report
                .lines()
                .find_map(|l| l.strip_prefix("PEAK_KIB="))
                .and_then(|v| v.trim().parse().ok())
        }
        Memory::Measure => {
            eprintln!("note: /usr/bin/time (apt package `time`) missing; peak RSS polled from /proc, a lower bound");
            Some(polled_peak)
        }
    };
    Run {
        status,
        stdout,
        stderr,
        peak_kib,
        elapsed,
    }
}

fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The debug binary, in `cwd`, with a generous timeout.
fn run(cwd: &Path, args: &[&str]) -> Run {
    let r = run_full(
        &[],
        Path::new(debug_bin()),
        args,
        cwd,
        Memory::Ignore,
        Duration::from_secs(60),
    );
    r.assert_no_panic();
    r
}

fn euid() -> u32 {
    let status = fs::read_to_string("/proc/self/status").unwrap();
    let uids = status.lines().find(|l| l.starts_with("Uid:")).unwrap();
    uids.split_whitespace().nth(2).unwrap().parse().unwrap()
}

fn has_program(name: &str) -> bool {
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|d| d.join(name).is_file()))
        .unwrap_or(false)
}

// ---------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------

/// The sample with bytes that are not UTF-8 (0xFF 0xFE) in its second English paragraph
/// (line 9, 1-based), after four spaces of indentation.
fn non_utf8_document() -> Vec<u8> {
    let at = VALID.find("    Since the launch").unwrap() + 4;
    let mut bytes = VALID.as_bytes()[..at].to_vec();
    bytes.extend_from_slice(b"\xff\xfe");
    bytes.extend_from_slice(&VALID.as_bytes()[at..]);
    bytes
}

/// Bytes of a binary file: every byte value, NUL and line breaks included, repeated.
fn binary_blob() -> Vec<u8> {
    (0..4096u32).map(|i| (i * 7 % 256) as u8).collect()
}

/// A valid archive document of about `size` bytes: the header, then as many English and
/// Chinese paragraphs (one line each, canonical indent) on both sides.
fn big_document(size: usize) -> String {
    let en = "    Since the launch of the national campaign to increase production and practise \
              economy, the workers of the factory have summarised their experience in time and \
              spread it to every workshop.\n";
    let cn = "    自从全国增产节约运动开展以来，该厂职工及时总结经验，并推广到每一个车间，生产效率显著提高。\n";
    let n = size / (en.len() + cn.len());
    let mut text = String::with_capacity(size + 1024);
    text.push_str("Title: Experience\nAuthor:\nDate: 1952-08-03\nPage: 2\n\n");
    text.push_str(&en.repeat(n));
    text.push_str("\n\n<hr /> \n\nOriginal: \n\n### 经验\n\n1952-08-03\n第2版()\n专栏：\n\n");
    text.push_str(&cn.repeat(n));
    text
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// Asserts the peak RSS of a heavy run is under three times the largest file.
fn assert_peak_under_3x(r: &Run, largest: u64, what: &str) {
    let peak = r.peak_kib.expect("peak measured") * 1024;
    eprintln!(
        "{what}: largest file {:.1} MiB, peak RSS {:.1} MiB ({:.2}x), {:.2} s, exit {}",
        mib(largest),
        mib(peak),
        peak as f64 / largest as f64,
        r.elapsed.as_secs_f64(),
        r.code()
    );
    assert!(
        peak < 3 * largest,
        "{what}: peak RSS {:.1} MiB is not under three times the largest file ({:.1} MiB)",
        mib(peak),
        mib(largest)
    );
}

// ---------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------

#[test]
fn non_utf8_named_file_is_invalid_encoding_in_both_formats() {
    let t = TempTree::new("encoding");
    t.file("bad.md", non_utf8_document());
    t.file("good.md", VALID);

    let r = run(&t.0, &["check", "bad.md", "good.md"]);
    assert_eq!(
        r.code(),
        1,
        "an invalid-encoding error gives exit 1\n{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("bad.md:9:5: error[invalid-encoding]"),
        "located at the first bad byte:\n{}",
        r.stdout
    );
    assert!(r.stdout.contains("0xFF"), "names the byte:\n{}", r.stdout);
    assert!(
        r.stdout.contains("2 files checked: 1 error, 0 warnings"),
        "the good file is still checked, and clean:\n{}",
        r.stdout
    );
    assert!(!r.stdout.contains("good.md:"), "{}", r.stdout);
    assert!(r.stderr.is_empty(), "nothing on stderr: {}", r.stderr);

    let r = run(&t.0, &["check", "--format", "json", "bad.md", "good.md"]);
    assert_eq!(r.code(), 1);
    let ds = r.json();
    assert_eq!(ds.len(), 1, "{ds:?}");
    let d = &ds[0];
    assert_eq!(d["path"], "bad.md");
    assert_eq!(d["code"], "invalid-encoding");
    assert_eq!(d["severity"], "error");
    assert_eq!(
        (d["start"]["line"].as_u64(), d["start"]["column"].as_u64()),
        (Some(9), Some(5))
    );
}

#[test]
fn other_encodings_and_truncated_utf8_are_invalid_encoding() {
    let t = TempTree::new("encodings");
    // Latin-1, UTF-16 with its BOM, UTF-8 cut inside a character, a lone continuation byte.
    let latin1: Vec<u8> = VALID
        .replacen("Author:", "Author: Ren\u{1}", 1)
        .bytes()
        .map(|b| if b == 1 { 0xE9 } else { b })
        .collect();
    t.file("latin1.md", latin1);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(VALID.encode_utf16().flat_map(u16::to_le_bytes));
    t.file("utf16.md", utf16);
    let mut cut = VALID.as_bytes().to_vec();
    cut.extend_from_slice(&"中".as_bytes()[..2]);
    t.file("cut.txt", cut);
    t.file("lone.txt", b"\x80");

    for name in ["latin1.md", "utf16.md", "cut.txt", "lone.txt"] {
        for format in ["human", "json"] {
            let r = run(&t.0, &["check", "--format", format, name]);
            assert_eq!(r.code(), 1, "{name} ({format}):\n{}", r.stdout);
            assert!(
                r.stdout.contains("invalid-encoding"),
                "{name}:\n{}",
                r.stdout
            );
            if format == "json" {
                let ds = r.json();
                assert!(ds.iter().all(|d| d["code"] == "invalid-encoding"), "{ds:?}");
                assert_eq!(ds.len(), 1);
            }
        }
    }
    // The Latin-1 byte is on line 2, after `Author: Ren` (column 12).
    let r = run(&t.0, &["check", "latin1.md"]);
    assert!(
        r.stdout.contains("latin1.md:2:12: error[invalid-encoding]"),
        "{}",
        r.stdout
    );
}

#[test]
fn binary_txt_is_skipped_by_the_walk_and_invalid_when_named() {
    let t = TempTree::new("binary");
    t.file("docs/good.md", VALID);
    t.file("docs/blob.txt", binary_blob());
    t.file("docs/blob.md", binary_blob());
    t.file("docs/nul.txt", vec![0u8; 10_000]);
    t.file("docs/empty.txt", "");

    let r = run(&t.0, &["check", "docs"]);
    assert_eq!(
        r.code(),
        0,
        "binary files are skipped:\n{}{}",
        r.stdout,
        r.stderr
    );
    assert!(
        r.stdout.contains("1 file checked: 0 errors"),
        "{}",
        r.stdout
    );
    assert!(
        !r.stdout.contains("blob") && r.stderr.is_empty(),
        "{}{}",
        r.stdout,
        r.stderr
    );

    let r = run(&t.0, &["check", "docs/blob.txt"]);
    assert_eq!(r.code(), 1, "{}", r.stdout);
    assert!(r.stdout.contains("docs/blob.txt:"), "{}", r.stdout);
    assert!(r.stdout.contains("error[invalid-encoding]"), "{}", r.stdout);
    let r = run(&t.0, &["check", "--format", "json", "docs/blob.md"]);
    assert_eq!(r.code(), 1);
    let ds = r.json();
    assert_eq!(ds.len(), 1);
    assert_eq!(ds[0]["code"], "invalid-encoding");

    // Valid UTF-8 but not a document (all NUL, empty) named explicitly: checked, reported
    // as documents missing everything, and no crash.
    for name in ["docs/nul.txt", "docs/empty.txt"] {
        let r = run(&t.0, &["check", "--format", "json", name]);
        assert_eq!(r.code(), 1, "{name}: {}", r.stdout);
        assert!(r.json().iter().any(|d| d["code"] == "missing-header-field"));
    }
}

#[test]
fn non_utf8_archive_document_in_a_folder_is_reported_not_skipped() {
    // It has the `<hr />` and `Original:` lines, so it is an archive document.
    let t = TempTree::new("walk-encoding");
    t.file("docs/a.md", non_utf8_document());
    t.file("docs/b.md", VALID);
    let r = run(&t.0, &["check", "docs"]);
    assert_eq!(r.code(), 1, "{}", r.stdout);
    assert!(
        r.stdout.contains("docs/a.md:9:5: error[invalid-encoding]"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("2 files checked"), "{}", r.stdout);
}

// ---------------------------------------------------------------------------------------
// Unreadable paths
// ---------------------------------------------------------------------------------------

/// A folder and a file the checker may not read. Tests run as root, for whom `chmod 000`
/// changes nothing, so the binary runs as `nobody` through `setpriv`.
#[test]
fn unreadable_folder_and_file_with_dropped_privileges() {
    let root = euid() == 0;
    if root && !has_program("setpriv") {
        eprintln!("SKIPPED unreadable_folder_and_file_with_dropped_privileges: running as root and `setpriv` (util-linux) is missing, so permissions cannot be tested");
        return;
    }
    let t = TempTree::new("perm");
    // The binary is copied into the tree so that `nobody` can run it wherever target/ is.
    let bin = t.dir("bin").join("archive-lsp");
    fs::copy(debug_bin(), &bin).unwrap();
    fs::set_permissions(&bin, fs::Permissions::from_mode(0o755)).unwrap();
    t.file("docs/a.md", VALID);
    t.file("docs/locked/hidden.md", VALID);
    t.file("docs/open/z.md", VALID);
    t.file("docs/secret.md", VALID);
    fs::set_permissions(t.path("docs/locked"), fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(t.path("docs/secret.md"), fs::Permissions::from_mode(0o000)).unwrap();

    let prefix: &[&str] = if root {
        &[
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
        ]
    } else {
        &[]
    };
    let as_nobody = |args: &[&str]| {
        let r = run_full(
            prefix,
            &bin,
            args,
            &t.0,
            Memory::Ignore,
            Duration::from_secs(60),
        );
        r.assert_no_panic();
        r
    };
    // The privilege drop itself works (else this test proves nothing).
    let probe = as_nobody(&["check", "docs/secret.md"]);
    assert_eq!(
        probe.code(),
        2,
        "secret.md must be unreadable:\n{}{}",
        probe.stdout,
        probe.stderr
    );

    for format in ["human", "json"] {
        let r = as_nobody(&["check", "--format", format, "docs", "docs/secret.md"]);
        assert_eq!(
            r.code(),
            2,
            "an unreadable path gives exit 2:\n{}",
            r.stderr
        );
        for path in ["docs/locked", "docs/secret.md"] {
            let message = format!("archive-lsp: cannot read {path}: Permission denied");
            let n = r.stderr.lines().filter(|l| l.starts_with(&message)).count();
            let expected = if path == "docs/secret.md" { 2 } else { 1 };
            assert_eq!(
                n, expected,
                "one line per unreadable path `{path}`:\n{}",
                r.stderr
            );
        }
        assert_eq!(r.stderr.lines().count(), 3, "{}", r.stderr);
        assert!(!r.stderr.contains("hidden.md"), "{}", r.stderr);
        if format == "human" {
            assert!(
                r.stdout.contains("2 files checked: 0 errors"),
                "a.md and open/z.md are still checked:\n{}",
                r.stdout
            );
        } else {
            assert!(r.json().is_empty(), "{}", r.stdout);
        }
    }
}

#[test]
fn symlink_loops_are_reported_and_the_rest_checked() {
    let t = TempTree::new("loop");
    t.file("docs/good.md", VALID);
    t.dir("docs/sub");
    symlink("..", t.path("docs/sub/up")).unwrap(); // a folder linked to its parent
    symlink("self.md", t.path("docs/self.md")).unwrap(); // a link to itself
    symlink("good.md", t.path("docs/alias.md")).unwrap(); // an ordinary link: followed

    let r = run(&t.0, &["check", "docs"]);
    assert_eq!(r.code(), 2, "a loop is an unreadable path:\n{}", r.stderr);
    assert!(
        r.stderr
            .lines()
            .any(|l| l == "archive-lsp: cannot read docs/sub/up: symbolic link loop"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.lines().any(|l| l.starts_with(
            "archive-lsp: cannot read docs/self.md: Too many levels of symbolic links"
        )),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.lines().count(), 2, "{}", r.stderr);
    assert!(
        r.stdout.contains("2 files checked: 0 errors"),
        "good.md and alias.md checked once each:\n{}",
        r.stdout
    );

    let r = run(&t.0, &["check", "docs/self.md", "docs/good.md"]);
    assert_eq!(r.code(), 2);
    assert!(
        r.stderr.contains("cannot read docs/self.md"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("1 file checked"), "{}", r.stdout);
}

#[test]
fn nonexistent_paths_are_reported_and_the_rest_checked() {
    let t = TempTree::new("missing");
    t.file("good.md", VALID);
    t.file(
        "bad.md",
        VALID.replace("Date: 1952-08-03", "Date: 1952-08-04"),
    );
    for format in ["human", "json"] {
        let r = run(
            &t.0,
            &[
                "check",
                "--format",
                format,
                "nope.md",
                "good.md",
                "no/such/dir",
                "bad.md",
            ],
        );
        assert_eq!(
            r.code(),
            2,
            "a missing path wins over errors:\n{}",
            r.stderr
        );
        for p in ["nope.md", "no/such/dir"] {
            assert!(
                r.stderr.lines().any(|l| l
                    == format!(
                        "archive-lsp: cannot read {p}: No such file or directory (os error 2)"
                    )),
                "{}",
                r.stderr
            );
        }
        if format == "human" {
            assert!(
                r.stdout.contains("2 files checked: 1 error"),
                "{}",
                r.stdout
            );
            assert!(
                r.stdout.contains("bad.md:3:7: error[date-mismatch]"),
                "{}",
                r.stdout
            );
        } else {
            let ds = r.json();
            assert!(ds
                .iter()
                .any(|d| d["code"] == "date-mismatch" && d["path"] == "bad.md"));
        }
    }
}

#[test]
fn usage_errors_exit_2_with_a_hint() {
    let t = TempTree::new("usage");
    t.file("good.md", VALID);
    // The command line is parsed by clap: its messages, its hint, exit status 2.
    let cases: &[(&[&str], &str)] = &[
        (
            &["check", "--bogus", "good.md"],
            "unexpected argument '--bogus' found",
        ),
        (
            &["--frobnicate"],
            "unexpected argument '--frobnicate' found",
        ),
        (&["chekc", "good.md"], "unrecognized subcommand 'chekc'"),
        (
            &["check", "--format", "xml", "good.md"],
            "invalid value 'xml' for '--format <FORMAT>'",
        ),
        (
            &["check", "--format=yaml", "good.md"],
            "[possible values: human, concise, json, github, sarif]",
        ),
        (
            &["check", "good.md", "--format"],
            "a value is required for '--format <FORMAT>'",
        ),
        (
            &["check"],
            "the following required arguments were not provided",
        ),
        (&["serve", "extra"], "unexpected argument 'extra' found"),
    ];
    for (args, message) in cases {
        let r = run(&t.0, args);
        assert_eq!(r.code(), 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(message), "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("For more information, try '--help'."),
            "{args:?}: {}",
            r.stderr
        );
        assert!(
            r.stdout.is_empty(),
            "{args:?}: nothing checked: {}",
            r.stdout
        );
    }
    // `--` ends the options: a file named like an option is a path.
    let r = run(&t.0, &["check", "--", "--bogus"]);
    assert_eq!(r.code(), 2);
    assert!(r.stderr.contains("cannot read --bogus"), "{}", r.stderr);
}

// ---------------------------------------------------------------------------------------
// Heavy: release binary, peak memory
// ---------------------------------------------------------------------------------------

/// A valid 100 MB document (about 600,000 paragraph lines): exit 0, peak RSS under three
/// times the file.
#[test]
fn hundred_megabyte_file_in_bounded_memory() {
    let bin = common::release_binary();
    let t = TempTree::new("big");
    let text = big_document(100_000_000);
    let size = text.len() as u64;
    t.file("big.md", &text);
    drop(text);

    let r = run_full(
        &[],
        bin,
        &["check", "big.md"],
        &t.0,
        Memory::Measure,
        Duration::from_secs(60),
    );
    r.assert_no_panic();
    assert_eq!(r.code(), 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("1 file checked: 0 errors, 0 warnings"),
        "{}",
        r.stdout
    );
    assert_peak_under_3x(&r, size, "100 MB file");

    // The same file with a date mismatch, in JSON: exit 1.
    let mut f = fs::OpenOptions::new()
        .write(true)
        .open(t.path("big.md"))
        .unwrap();
    f.write_all(b"Title: Experience\nAuthor:\nDate: 1952-08-04")
        .unwrap();
    drop(f);
    let r = run_full(
        &[],
        bin,
        &["check", "--format", "json", "big.md"],
        &t.0,
        Memory::Measure,
        Duration::from_secs(60),
    );
    r.assert_no_panic();
    assert_eq!(r.code(), 1, "{}", r.stderr);
    let ds = r.json();
    assert_eq!(ds.len(), 1, "{ds:?}");
    assert_eq!(ds[0]["code"], "date-mismatch");
    assert_peak_under_3x(&r, size, "100 MB file, JSON");
}

/// 100 MB of binary noise named explicitly: one `invalid-encoding`, exit 1, and no second
/// copy of the file (only the line holding the first bad byte is kept for the report).
#[test]
fn hundred_megabyte_binary_file_in_bounded_memory() {
    let bin = common::release_binary();
    let t = TempTree::new("big-binary");
    // A xorshift stream: deterministic noise with line breaks now and then.
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let bytes: Vec<u8> = (0..100_000_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    let size = bytes.len() as u64;
    t.file("noise.txt", &bytes);
    drop(bytes);
    let r = run_full(
        &[],
        bin,
        &["check", "--format", "json", "noise.txt"],
        &t.0,
        Memory::Measure,
        Duration::from_secs(60),
    );
    r.assert_no_panic();
    assert_eq!(r.code(), 1, "{}", r.stderr);
    let ds = r.json();
    assert_eq!(ds.len(), 1, "{ds:?}");
    assert_eq!(ds[0]["code"], "invalid-encoding");
    assert_peak_under_3x(&r, size, "100 MB binary file");
    let peak = r.peak_kib.expect("peak measured") * 1024;
    assert!(
        peak < size * 3 / 2,
        "a second copy of the file was made: peak {peak} bytes"
    );
}

/// A 10 MB document on one line, full of diagnostics (Han runs in the English, no
/// indentation, trailing blanks): the report shows a window of the line per diagnostic and
/// must neither copy the line per diagnostic nor take long.
#[test]
fn ten_megabyte_single_line_in_bounded_memory() {
    let bin = common::release_binary();
    let t = TempTree::new("one-line");
    let unit = "Word 中文 □ 𠮷 text\u{3000}";
    let mut text = unit.repeat(10_000_000 / unit.len());
    text.push_str("  ");
    let size = text.len() as u64;
    t.file("line.md", &text);
    drop(text);

    for format in ["human", "json"] {
        let r = run_full(
            &[],
            bin,
            // Every diagnostic shown, hints too: the worst case for the renderer.
            &[
                "check",
                "--min-severity",
                "hint",
                "--format",
                format,
                "line.md",
            ],
            &t.0,
            Memory::Measure,
            Duration::from_secs(60),
        );
        r.assert_no_panic();
        assert_eq!(r.code(), 1, "missing header and more: {}", r.stderr);
        if format == "human" {
            assert!(
                r.stdout.contains("info[too-many-diagnostics]"),
                "capped, and said so:\n{}",
                &r.stdout[r.stdout.len().saturating_sub(2000)..]
            );
            // Every shown source line is a window, not the 10 MB line.
            let longest = r.stdout.lines().map(str::len).max().unwrap_or(0);
            assert!(longest < 2000, "a report line of {longest} bytes");
        } else {
            assert_eq!(r.json().len(), 1001);
        }
        assert_peak_under_3x(&r, size, &format!("10 MB single line ({format})"));
        assert!(r.elapsed < Duration::from_secs(20), "took {:?}", r.elapsed);
    }
}

/// A folder of several large documents: files are checked one at a time, so the peak stays
/// under three times the largest, not the sum.
#[test]
fn folder_of_large_files_in_bounded_memory() {
    let bin = common::release_binary();
    let t = TempTree::new("big-folder");
    let text = big_document(30_000_000);
    let size = text.len() as u64;
    let first = t.file("docs/1.md", &text);
    drop(text);
    for i in 2..=5 {
        fs::hard_link(&first, t.path(&format!("docs/{i}.md"))).unwrap();
    }
    let r = run_full(
        &[],
        bin,
        &["check", "docs"],
        &t.0,
        Memory::Measure,
        Duration::from_secs(60),
    );
    r.assert_no_panic();
    assert_eq!(r.code(), 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("5 files checked: 0 errors"),
        "{}",
        r.stdout
    );
    assert_peak_under_3x(&r, size, "folder of 5 x 30 MB");
}
