//! Parse + check throughput: the sample, and a 1 MB document made by repeating the sample's
//! paragraphs on both sides. Target: 300 MB/s or better for both.

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

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse+check");
    for (name, text) in [
        ("sample", SAMPLE.to_owned()),
        ("1MB", big_document(1 << 20)),
    ] {
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
