//! The corpus the benches run on: written by the `gen-corpus` example into a temporary folder,
//! `SYNDIC_BENCH_POSTS` posts (default 2,000).

use syndic::config::Config;

#[path = "../../examples/gen-corpus.rs"]
#[allow(dead_code)]
mod gen_corpus;

/// The number of posts to generate.
pub fn size() -> usize {
    std::env::var("SYNDIC_BENCH_POSTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000)
}

/// Generates a corpus of `posts` posts; the folder lives as long as the returned guard.
pub fn generate(posts: usize) -> (tempfile::TempDir, Config) {
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => panic!("no temporary folder: {e}"),
    };
    let args = gen_corpus::Args {
        out: dir.path().to_path_buf(),
        posts,
        people: 2_000,
    };
    if let Err(e) = gen_corpus::run(&args) {
        panic!("cannot generate the corpus: {e}");
    }
    match Config::load(&dir.path().join("config.toml")) {
        Ok(config) => (dir, config),
        Err(e) => panic!("{e}"),
    }
}
