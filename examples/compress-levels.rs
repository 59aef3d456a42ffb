//! Compression settings measured on this corpus's own items: renders a sample of posts' items
//! in every format, then compresses each distinct piece alone (as `syndic` does, once per
//! piece: an RSS or Atom item's head, the body both share, its tail, the JSON item) at every
//! gzip level and brotli quality worth weighing, on one core, and prints the time per piece
//! and the compressed size against the original. `--brotli Q` measures that quality alone;
//! `--sizes MIN-MAX` only the pieces of MIN to MAX bytes (either may be left out: `-2047`).
//!
//! ```text
//! cargo run --release --example compress-levels -- [--config PATH] [--items N] [--sizes MIN-MAX]
//! ```

use std::path::PathBuf;
use std::time::Instant;

use syndic::config::Config;
use syndic::corpus;
use syndic::feeds::{Format, item};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut config_path = PathBuf::from("config.toml");
    let mut count = 300usize;
    let mut only: Option<i32> = None;
    let mut sizes = 0..=usize::MAX;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--config" => config_path = args.next().ok_or("--config needs a path")?.into(),
            "--brotli" => only = Some(args.next().ok_or("--brotli needs a quality")?.parse()?),
            "--items" => count = args.next().ok_or("--items needs a number")?.parse()?,
            "--sizes" => {
                let range = args.next().ok_or("--sizes needs MIN-MAX")?;
                let (min, max) = range.split_once('-').ok_or("--sizes needs MIN-MAX")?;
                let min = if min.is_empty() { 0 } else { min.parse()? };
                let max = if max.is_empty() {
                    usize::MAX
                } else {
                    max.parse()?
                };
                sizes = min..=max;
            }
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let config = Config::load(&config_path)?;
    let loaded = corpus::load(&config, &Default::default());
    let step = (loaded.posts.len() / count.max(1)).max(1);
    let mut pieces: Vec<Vec<u8>> = Vec::new();
    for post in loaded.posts.iter().step_by(step).take(count) {
        let items = item::render(&config, post);
        // Each distinct piece once: RSS and Atom share the body.
        let mut seen = std::collections::HashSet::new();
        for format in Format::ALL {
            for piece in items.get(format).pieces() {
                if sizes.contains(&piece.len()) && seen.insert(std::sync::Arc::as_ptr(piece)) {
                    pieces.push(piece.bytes().to_vec());
                }
            }
        }
    }
    let total: usize = pieces.iter().map(Vec::len).sum();
    println!(
        "{} pieces, {} bytes, {} bytes each on average",
        pieces.len(),
        total,
        total / pieces.len().max(1)
    );
    println!("codec      setting  µs/piece   MB/s   size");
    let levels: &[u32] = if only.is_some() {
        &[]
    } else {
        &[1, 2, 3, 4, 5, 6]
    };
    for &level in levels {
        let started = Instant::now();
        let mut size = 0usize;
        for piece in &pieces {
            size += syndic::compress::deflate_sync_at(piece, level).len();
        }
        report("gzip", level as i32, started, pieces.len(), total, size);
    }
    let qualities = only.map_or(vec![0, 1, 2, 3, 4, 5], |q| vec![q]);
    for quality in qualities {
        let started = Instant::now();
        let mut size = 0usize;
        for piece in &pieces {
            size += syndic::compress::brotli_stream_at(piece, quality).len();
        }
        report("brotli", quality, started, pieces.len(), total, size);
    }
    Ok(())
}

fn report(codec: &str, setting: i32, started: Instant, n: usize, total: usize, size: usize) {
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{codec:<10} {setting:>7}  {:>8.1}  {:>5.1}  {:>5.1}%",
        seconds * 1e6 / n as f64,
        total as f64 / seconds / 1e6,
        size as f64 * 100.0 / total as f64
    );
}
