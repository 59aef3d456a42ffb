//! Rendering speed: feeds prepared and rendered from a generated corpus (the `gen-corpus`
//! example; `SYNDIC_BENCH_POSTS` sets its size, default 2,000), subscription documents only and
//! with archives, and one post's item in every format. Compression and writing are measured
//! by `syndic build` itself (see the README).

use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use syndic::config::Config;
use syndic::feeds::{self, RenderOptions};

#[path = "../examples/gen-corpus.rs"]
#[allow(dead_code)]
mod gen_corpus;

fn bench_render(c: &mut Criterion) {
    let posts = std::env::var("SYNDIC_BENCH_POSTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000);
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => panic!("no temporary folder: {e}"),
    };
    let args = gen_corpus::Args {
        out: dir.path().to_path_buf(),
        posts,
    };
    if let Err(e) = gen_corpus::run(&args) {
        panic!("cannot generate the corpus: {e}");
    }
    let config = match Config::load(&dir.path().join("config.toml")) {
        Ok(config) => config,
        Err(e) => panic!("{e}"),
    };
    let corpus = syndic::corpus::load(&config);
    let prepared = feeds::prepare(&config, &corpus);

    let mut group = c.benchmark_group("render");
    group.sample_size(10);
    group.bench_function(format!("prepare, {posts} posts"), |b| {
        b.iter(|| feeds::prepare(&config, &corpus))
    });
    for (name, archives) in [("subscription documents", false), ("with archives", true)] {
        let bytes: usize = feeds::render(
            &config,
            &corpus,
            &prepared,
            RenderOptions {
                archives,
                link_archives: archives,
            },
        )
        .iter()
        .map(|d| d.bytes.len())
        .sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(format!("{name}, {posts} posts"), |b| {
            b.iter(|| {
                feeds::render(
                    &config,
                    &corpus,
                    &prepared,
                    RenderOptions {
                        archives,
                        link_archives: archives,
                    },
                )
            })
        });
    }
    group.finish();

    let post: Arc<_> = match corpus.posts.first() {
        Some(post) => Arc::clone(post),
        None => panic!("empty corpus"),
    };
    c.bench_function("one post's item in every format", |b| {
        b.iter(|| feeds::item::render(&config, &post))
    });
}

criterion_group!(benches, bench_render);
criterion_main!(benches);
