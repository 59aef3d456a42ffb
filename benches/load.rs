//! Loading speed: a generated corpus (the `gen-corpus` example) read, parsed and joined, and
//! one post body rendered to safe HTML. `SYNDIC_BENCH_POSTS` sets its size (default 2,000); the figures it prints are
//! per whole load, so posts per second is N divided by the time.
//!
//! `cargo bench --bench load`; for the 100,000-post figure of docs/speed.md, generate the corpus
//! with `cargo run --release --example gen-corpus -- DIR 100000` and time
//! `syndic --config DIR/config.toml check` (see docs/speed.md).

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

#[path = "support/corpus.rs"]
mod corpus;

fn bench_load(c: &mut Criterion) {
    let posts = corpus::size();
    let (dir, config) = corpus::generate(posts);
    let bytes = dir_bytes(&dir.path().join("content"));

    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function(format!("corpus of {posts} posts"), |b| {
        b.iter(|| syndic::corpus::load(&config, &Default::default()))
    });
    group.finish();

    let (found, _) = syndic::corpus::find_posts(&config);
    let text = found
        .first()
        .and_then(|f| std::fs::read_to_string(&f.absolute).ok())
        .unwrap_or_default();
    let body = syndic::corpus::frontmatter::split(&text)
        .map(|s| s.body.to_string())
        .unwrap_or_default();
    let base = match url::Url::parse("https://digital.example.ca/2020/01/01/a/") {
        Ok(base) => base,
        Err(e) => panic!("{e}"),
    };
    let mut group = c.benchmark_group("render");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("one post body", |b| {
        b.iter(|| syndic::corpus::markdown::render(&body, &base))
    });
    group.finish();
}

fn dir_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

criterion_group!(benches, bench_load);
criterion_main!(benches);
