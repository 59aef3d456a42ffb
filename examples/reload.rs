//! The watcher's one-file reload, timed without the watcher or the server: the corpus is loaded
//! and a snapshot built, then one post is edited on disk again and again, and each time the
//! corpus is updated from that one file and the next snapshot built from the last one, as
//! `syndic serve` does after its quiet period.
//!
//! ```text
//! cargo run --release --example reload -- [--config PATH] [--edits N] [--add]
//! ```
//!
//! With `--add`, each step adds a new post instead (a copy of that post under a new file name,
//! without its `translationKey`); the new files are removed at the end.
//!
//! It prints the time of each step (corpus update, snapshot) at p50, p90 and max over the
//! edits. The edited post (the newest English one) gets a changing last line and is restored
//! at the end. Generate a large corpus first with
//! `cargo run --release --example gen-corpus -- DIR N`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use syndic::config::Config;
use syndic::corpus;
use syndic::http::snapshot::Snapshot;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut config_path = PathBuf::from("config.toml");
    let mut edits = 30usize;
    let mut add = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--config" => config_path = args.next().ok_or("--config needs a path")?.into(),
            "--edits" => edits = args.next().ok_or("--edits needs a number")?.parse()?,
            "--add" => add = true,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    // `SYNDIC_LOG=syndic=debug` shows each snapshot's steps.
    if let Ok(filter) = tracing_subscriber::EnvFilter::try_from_env("SYNDIC_LOG") {
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .init();
    }
    let config = Arc::new(Config::load(&config_path)?);
    let started = Instant::now();
    // Ids as `syndic serve` gives them once its identity file has every post.
    let loaded = corpus::load(&config, &Default::default());
    println!(
        "loaded {} posts in {:.2} s",
        loaded.posts.len(),
        started.elapsed().as_secs_f64()
    );
    let post = loaded
        .posts
        .iter()
        .find(|p| p.lang == config.languages[0].code)
        .ok_or("no post to edit")?;
    let file = config.content_dir.join(&post.path);
    let shown = post.path.clone();
    let original = std::fs::read(&file)?;
    let started = Instant::now();
    let mut snapshot = Snapshot::build(
        Arc::clone(&config),
        Arc::new(loaded),
        SystemTime::now(),
        None,
    );
    println!(
        "first snapshot in {:.2} s; editing {}",
        started.elapsed().as_secs_f64(),
        shown
    );
    let mut update_times = Vec::new();
    let mut build_times = Vec::new();
    let mut total_times = Vec::new();
    let mut added: Vec<PathBuf> = Vec::new();
    let outcome = (|| -> Result<(), Box<dyn std::error::Error>> {
        for n in 0..edits {
            let target = if add {
                let name = format!("reload-added-post-{n}.md");
                let text = String::from_utf8_lossy(&original).replace("translationKey:", "was:");
                let path = file.with_file_name(name);
                std::fs::write(&path, text)?;
                added.push(path.clone());
                path
            } else {
                let mut bytes = original.clone();
                bytes.extend_from_slice(format!("\nEdit number {n} of this post.\n").as_bytes());
                std::fs::write(&file, &bytes)?;
                file.clone()
            };
            let started = Instant::now();
            let lock = Arc::clone(&snapshot.corpus().ids.lock);
            let updated = corpus::update(
                &config,
                &lock,
                snapshot.corpus(),
                std::slice::from_ref(&target),
            )
            .ok_or("the update asked for a full reload")?;
            let updated_at = started.elapsed();
            let next = Snapshot::build(
                Arc::clone(&config),
                Arc::new(updated),
                SystemTime::now(),
                Some(&snapshot),
            );
            let total = started.elapsed();
            update_times.push(updated_at);
            build_times.push(total - updated_at);
            total_times.push(total);
            snapshot = next;
        }
        Ok(())
    })();
    std::fs::write(&file, &original)?;
    for path in &added {
        std::fs::remove_file(path)?;
    }
    outcome?;
    for (name, times) in [
        ("corpus update", &mut update_times),
        ("snapshot", &mut build_times),
        ("total", &mut total_times),
    ] {
        println!(
            "{name:>14}: p50 {:>8.2} ms  p90 {:>8.2} ms  max {:>8.2} ms",
            ms(percentile(times, 50)),
            ms(percentile(times, 90)),
            ms(percentile(times, 100)),
        );
    }
    Ok(())
}

fn percentile(times: &mut [Duration], p: usize) -> Duration {
    times.sort();
    let index = (times.len() * p / 100).min(times.len().saturating_sub(1));
    times.get(index).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
