//! Rendering speed: feeds prepared and rendered from a generated corpus (the `gen-corpus`
//! example; `SYNDIC_BENCH_POSTS` sets its size, default 2,000), subscription documents only and
//! with archives, and one post's item in every format. Compression and writing are measured
//! by `syndic build` itself (see docs/speed.md).

use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use syndic::feeds::{self, RenderOptions};

#[path = "support/corpus.rs"]
mod corpus;

fn bench_render(c: &mut Criterion) {
    let posts = corpus::size();
    let (_dir, config) = corpus::generate(posts);
    let corpus = syndic::corpus::load(&config, &Default::default());
    let prepared = feeds::prepare(&config, &corpus);

    let mut group = c.benchmark_group("render");
    group.sample_size(10);
    group.bench_function(format!("prepare, {posts} posts"), |b| {
        b.iter(|| feeds::prepare(&config, &corpus))
    });
    for (name, archives) in [("subscription documents", false), ("with archives", true)] {
        let bytes: usize = feeds::render(
            &config,
            &prepared,
            RenderOptions {
                archives,
                link_archives: archives,
            },
        )
        .unwrap_or_default()
        .iter()
        .map(|d| d.bytes.len())
        .sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(format!("{name}, {posts} posts"), |b| {
            b.iter(|| {
                feeds::render(
                    &config,
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
