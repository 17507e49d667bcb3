//! The benchmarks' archive-shaped corpus: variants of the seeds, the fixtures and the
//! shared corpus (read in place), written as `rmrb/YYYY.MM/*.md`. Shared by `scale` and
//! `workspace` (`#[path]` module), so both time the same files.

#![allow(dead_code)] // each bench uses part of it

use std::path::Path;

/// A deterministic xorshift generator.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The source documents: seeds, fixtures (valid and invalid) and the shared corpus.
pub fn sources(root: &Path) -> Vec<String> {
    let mut dirs = vec![
        root.join("seeds"),
        root.join("tests/fixtures/valid"),
        root.join("tests/fixtures/invalid"),
    ];
    let corpus = root.join("../shared/corpus");
    if corpus.is_dir() {
        dirs.push(corpus);
    } else {
        println!("note: ../shared/corpus not found; variants of the seeds and fixtures only");
    }
    let mut out = Vec::new();
    for d in dirs {
        let mut names: Vec<_> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        for p in names {
            if matches!(p.extension().and_then(|e| e.to_str()), Some("md" | "txt")) {
                if let Ok(text) = std::fs::read_to_string(&p) {
                    out.push(text);
                }
            }
        }
    }
    out
}

/// Makes `files` variants under `dir` (reused when already made). Returns the number of
/// files and their total size.
pub fn generate(root: &Path, dir: &Path, files: usize) -> (usize, u64) {
    // The marker names the generator's version: a changed generator makes a new corpus.
    let marker = dir.join(".complete-v2");
    if marker.exists() {
        let text = std::fs::read_to_string(&marker).unwrap();
        let mut it = text.split_whitespace().map(|n| n.parse::<u64>().unwrap());
        return (it.next().unwrap() as usize, it.next().unwrap());
    }
    let _ = std::fs::remove_dir_all(dir);
    let sources = sources(root);
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut total = 0u64;
    for i in 0..files {
        let text = variant(&sources[i % sources.len()], &mut rng, i);
        // ~85 files a month, as the archive's months hold hundreds to a few thousand.
        let month = i / 85;
        let (year, mon) = (1946 + month / 12, month % 12 + 1);
        let folder = dir.join(format!("rmrb/{year}.{mon:02}"));
        std::fs::create_dir_all(&folder).unwrap();
        let path = folder.join(format!("{year}-{mon:02}-{:02}_{i:06}.md", i % 28 + 1));
        std::fs::write(&path, &text).unwrap();
        total += text.len() as u64;
    }
    std::fs::write(&marker, format!("{files} {total}\n")).unwrap();
    (files, total)
}

/// One variant of `source`: its paragraph lines rotated and repeated, a new date, and now
/// and then a fault.
pub fn variant(source: &str, rng: &mut Rng, i: usize) -> String {
    // Mostly the source's length, now and then twice it: sizes like the real archive's
    // (7.7 KB a file on average in the shared corpus).
    let repeat = 1 + usize::from(rng.below(10) < 3);
    let day = format!("19{:02}-{:02}-{:02}", 46 + i % 30, i % 12 + 1, i % 28 + 1);
    let mut header_done = false;
    let mut out = String::with_capacity(source.len() * repeat);
    let lines: Vec<&str> = source.lines().collect();
    let mut body: Vec<String> = Vec::new();
    let flush = |body: &mut Vec<String>, out: &mut String, rng: &mut Rng| {
        for r in 0..repeat {
            for l in body.iter() {
                if r == 0 {
                    out.push_str(l);
                } else {
                    out.push_str(&rotate(l, rng));
                }
                out.push('\n');
            }
        }
        body.clear();
    };
    for line in lines {
        let is_paragraph = line.starts_with("    ") || line.starts_with('\u{3000}');
        if is_paragraph && header_done {
            body.push(rotate(line, rng));
            continue;
        }
        flush(&mut body, &mut out, rng);
        let line = if line.starts_with("Date: ") {
            format!("Date: {day}")
        } else if line.len() == 10 && line.as_bytes()[4] == b'-' && line.as_bytes()[7] == b'-' {
            // The original's date line; now and then it disagrees.
            if rng.below(40) == 0 {
                "1950-01-01".to_owned()
            } else {
                day.clone()
            }
        } else {
            line.to_owned()
        };
        if line.trim().is_empty() && !out.is_empty() {
            header_done = true;
        }
        out.push_str(&line);
        if rng.below(200) == 0 {
            out.push(' '); // trailing whitespace
        }
        out.push('\n');
    }
    flush(&mut body, &mut out, rng);
    if rng.below(30) == 0 {
        // Han left in the English: a copied original sentence.
        if let Some(at) = out.find("\n    ") {
            out.insert_str(at + 5, "北京郊区的农民已经开始春耕。");
        }
    }
    out
}

/// A paragraph line with its words (English) or characters (Chinese) rotated by a random
/// amount, indentation kept: same length and character classes, different text.
pub fn rotate(line: &str, rng: &mut Rng) -> String {
    let body = line.trim_start();
    let indent = &line[..line.len() - body.len()];
    if body.is_ascii() {
        let words: Vec<&str> = body.split(' ').collect();
        if words.len() < 2 {
            return line.to_owned();
        }
        let k = rng.below(words.len());
        let rotated: Vec<&str> = words[k..].iter().chain(&words[..k]).copied().collect();
        format!("{indent}{}", rotated.join(" "))
    } else {
        let chars: Vec<char> = body.chars().collect();
        if chars.len() < 2 {
            return line.to_owned();
        }
        let k = rng.below(chars.len());
        let rotated: String = chars[k..].iter().chain(&chars[..k]).collect();
        format!("{indent}{rotated}")
    }
}
