//! Paragraph alignment time: the sample, the largest corpus file (when the corpus is beside
//! the project), and a generated document of 100,000 paragraphs a side. Each is reported
//! against a baseline measured in the same run on the same text: `syntax::parse`, which
//! every request pays anyway.

use archive_lsp::align::{align, sentences};
use archive_lsp::syntax::parse;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use std::path::Path;

const SAMPLE: &str = include_str!("../seeds/000_0d759123a74baf35.txt");

/// The largest file of `../shared/corpus`, if the corpus is there.
fn largest_corpus_file() -> Option<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let biggest = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .max_by_key(|e| e.metadata().map_or(0, |m| m.len()))?;
    let name = biggest.file_name().to_string_lossy().into_owned();
    Some((name, std::fs::read_to_string(biggest.path()).ok()?))
}

/// `n` paragraph pairs a side at about 4.3 English characters per Chinese one, lengths
/// varying from 10 to 60 characters, with one English paragraph split in two and two
/// later ones joined (so the counts stay equal and the DP has detours to weigh).
fn generated(n: usize) -> String {
    let han: Vec<char> = "工厂的工人们提前完成了生产计划并且受到表扬农民组织互助组春耕"
        .chars()
        .collect();
    let words = [
        "the",
        "workers",
        "of",
        "factory",
        "completed",
        "their",
        "plan",
        "early",
    ];
    let cn_len = |k: usize| 10 + (k * 37) % 51;
    let english = |k: usize| {
        let target = cn_len(k) * 43 / 10;
        let mut s = String::from("Then");
        let mut w = k;
        while s.len() < target {
            s.push(' ');
            s.push_str(words[w % words.len()]);
            w = w * 7 + 3;
        }
        s.push('.');
        s
    };
    let mut text = String::from("Title: Generated\nAuthor:\nDate: 1952-08-03\nPage: 2\n\n");
    let (split, join) = (n / 3, 2 * n / 3);
    let mut k = 0;
    while k < n {
        let p = english(k);
        if k == split {
            let (a, b) = p.split_at(p.len() / 2);
            text.push_str(&format!("    {a}\n    {}\n", b.trim_start()));
        } else if k == join {
            text.push_str(&format!("    {p} {}\n", english(k + 1)));
            k += 1;
        } else {
            text.push_str(&format!("    {p}\n"));
        }
        k += 1;
    }
    text.push_str("\n\n\n<hr /> \n\nOriginal: \n\n\n### 生成\n\n1952-08-03\n第2版()\n专栏：\n\n");
    for k in 0..n {
        let body: String = (0..cn_len(k) - 1)
            .map(|i| han[(i * 5 + k) % han.len()])
            .collect();
        text.push_str(&format!("    {body}。\n"));
    }
    text
}

fn bench(c: &mut Criterion) {
    let mut inputs = vec![("sample", SAMPLE.to_owned())];
    match largest_corpus_file() {
        Some((name, text)) => {
            eprintln!("largest corpus file: {name}");
            inputs.push(("largest corpus file", text));
        }
        None => {
            eprintln!("*** the corpus is not beside the project: its largest file is skipped ***")
        }
    }
    inputs.push(("100k paragraphs a side", generated(100_000)));

    let mut group = c.benchmark_group("align");
    for (name, text) in &inputs {
        let doc = parse(text);
        eprintln!(
            "{name}: {} bytes, {} English / {} original paragraphs",
            text.len(),
            doc.translation.paragraphs.len(),
            doc.original.paragraphs.len()
        );
        if text.len() > 1 << 20 {
            group.sample_size(10);
        }
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("{name}/baseline: parse"), |b| {
            b.iter(|| parse(black_box(text)))
        });
        group.bench_function(format!("{name}/align"), |b| {
            b.iter(|| align(black_box(text), &doc))
        });
        if text.len() <= 1 << 20 {
            // Sentences of every bead: what a hover over each paragraph in turn would cost.
            let alignment = align(text, &doc);
            group.bench_function(format!("{name}/sentences of every bead"), |b| {
                b.iter(|| {
                    alignment
                        .beads()
                        .iter()
                        .map(|bead| sentences(black_box(text), &doc, bead).beads.len())
                        .sum::<usize>()
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
