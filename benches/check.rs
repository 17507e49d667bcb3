//! Parse + align + check throughput: the sample, a 1 MB document made by repeating the
//! sample's paragraphs on both sides, and the largest file of the shared corpus (when it is
//! there), each against UTF-8 validation of the same bytes.

use archive_lsp::check::check;
use archive_lsp::syntax::parse;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

const SAMPLE: &str = include_str!("../seeds/000_0d759123a74baf35.txt");

/// The sample with its paragraphs repeated on both sides until the text is about `size`.
fn big_document(size: usize) -> String {
    let (english_at, original_at) = (
        SAMPLE.find("    Experience").unwrap(),
        SAMPLE.rfind("    及时").unwrap(),
    );
    let english_end = SAMPLE.find("\n\n\n\n<hr />").unwrap() + 1;
    let english = &SAMPLE[english_at..english_end];
    let original = &SAMPLE[original_at..];
    let rounds = size / (english.len() + original.len()) + 1;
    let mut text = String::with_capacity(size + SAMPLE.len());
    text.push_str(&SAMPLE[..english_at]);
    text.push_str(&english.repeat(rounds));
    text.push_str(&SAMPLE[english_end..original_at]);
    text.push_str(&original.repeat(rounds));
    text
}

/// The largest file of the shared corpus beside the repository, if it is there (read in
/// place: the corpus is third-party text).
fn largest_corpus_file() -> Option<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let path = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .max_by_key(|p| p.metadata().map(|m| m.len()).unwrap_or(0))?;
    std::fs::read_to_string(path).ok()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse+check");
    let mut inputs = vec![
        ("sample", SAMPLE.to_owned()),
        ("1MB", big_document(1 << 20)),
    ];
    if let Some(text) = largest_corpus_file() {
        inputs.push(("largest corpus file", text));
    }
    for (name, text) in inputs {
        group.throughput(Throughput::Bytes(text.len() as u64));
        // The baseline: what any reader of the file must do at the least, validate UTF-8.
        group.bench_function(format!("{name} baseline: UTF-8 validation"), |b| {
            b.iter(|| std::str::from_utf8(black_box(text.as_bytes())).is_ok())
        });
        group.bench_function(name, |b| {
            b.iter(|| {
                let doc = parse(black_box(&text));
                check(&text, &doc)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
