//! The `syndic` binary: parse the command line, run the command, turn errors into exit codes.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use syndic::cli::{Cli, Command, Format};
use syndic::config::Config;
use syndic::http::server;
use syndic::http::snapshot::Snapshot;
use syndic::http::state::State;
use syndic::identity::{LockFile, Saved};
use syndic::{corpus, export, feeds, report, watch};

/// Loading allocates and frees many small strings on every core; mimalloc does that faster than
/// the system allocator and gives memory back sooner.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        Err(e) => {
            // One line each when there are several (every unknown key of a configuration).
            for line in format!("{e:#}").lines() {
                eprintln!("error: {line}");
            }
            ExitCode::from(2)
        }
    }
}

/// Logs go to stderr, filtered by `SYNDIC_LOG` (default `info`), as text or JSON lines.
fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SYNDIC_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(filter);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let config = match Config::load(&cli.config) {
        Ok(config) => config,
        Err(e) => {
            init_logging(false);
            return Err(e.into());
        }
    };
    init_logging(config.server.json_logs);
    if !config.content_dir.is_dir() {
        anyhow::bail!(
            "{}: content_dir `{}` is not a folder",
            config.path.display(),
            config.content_dir.display()
        );
    }
    match &cli.command {
        Command::Serve { listen } => {
            let mut config = config;
            if let Some(listen) = listen {
                config.server.listen = *listen;
            }
            serve(config)?;
            Ok(ExitCode::SUCCESS)
        }
        command => run_on_corpus(command, &config),
    }
}

/// The commands that load the corpus once and work from it. The identity file is read first
/// (`authors` needs no ids): one that cannot be read stops the command, since the ids it would
/// give could be the wrong ones; only `build` writes it.
fn run_on_corpus(command: &Command, config: &Config) -> anyhow::Result<ExitCode> {
    // Before loading: a last-modified file that cannot be read stops `check` and `build` at
    // once (`build` would date the documents wrongly).
    let dates = match command {
        Command::Check { .. } | Command::Build { .. } => Some(syndic::modified::DatesFile::open(
            &config.last_modified_file,
        )?),
        _ => None,
    };
    let loading = std::time::Instant::now();
    // The identity file is read on its own thread while the posts are listed and parsed;
    // joining the posts waits for it. No command here renders a post twice: bodies stay on
    // disk until rendered. Never dropped: the process ends with the command, and freeing
    // 100,000 posts one by one took a second.
    let (mut identity, corpus) = std::thread::scope(|scope| {
        let opening = match command {
            Command::Authors { .. } => None,
            _ => Some(scope.spawn(|| LockFile::open(&config.identity_file))),
        };
        let mut identity = None;
        let corpus = corpus::load_leaving_bodies_while(config, || {
            let Some(opening) = opening else {
                return Ok(std::sync::Arc::default());
            };
            let file = match opening.join() {
                Ok(opened) => opened?,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            let lock = std::sync::Arc::clone(file.lock());
            identity = Some(file);
            Ok::<_, anyhow::Error>(lock)
        })?;
        Ok::<_, anyhow::Error>((identity, std::mem::ManuallyDrop::new(corpus)))
    })?;
    let loaded = loading.elapsed();
    if corpus.found_nothing() {
        anyhow::bail!("{}: {}", config.path.display(), corpus::searched(config));
    }
    let out = match command {
        Command::Check { format } => {
            let Some(file) = &identity else {
                anyhow::bail!("internal: check without the identity file");
            };
            let status = report::IdentityStatus::of(file, &corpus);
            let text = match format {
                Format::Json => report::check_json(&corpus, &status),
                Format::Text => report::check_text(&corpus, &status),
            };
            print(&text)?;
            return Ok(if corpus.errors.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            });
        }
        Command::Posts { format } => match format {
            Format::Json => report::posts_json(&corpus),
            Format::Text => report::posts_text(&corpus),
        },
        Command::Build {
            out,
            no_archives,
            fresh,
        } => {
            for d in &corpus.errors {
                tracing::error!("{d}");
            }
            for d in &corpus.ids.warnings {
                tracing::warn!("{d}");
            }
            let Some(dates) = dates else {
                anyhow::bail!("internal: build without the last-modified file");
            };
            build(config, &corpus, out, !no_archives, *fresh, loaded, dates)?;
            // Once the feeds are out: the ids they show are now published.
            if let Some(file) = &mut identity {
                match file.save(&corpus.ids.lock) {
                    Ok(Saved::Unchanged) => {}
                    Ok(Saved::Written { entries, added }) => print(&format!(
                        "wrote {} ({added} new ids, {entries} in all)\n",
                        file.path().display()
                    ))?,
                    Err(e) => tracing::error!(
                        "{e}; the feeds were written with the right ids, and the next build \
                         writes them to the file"
                    ),
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
        Command::Serve { .. } => {
            anyhow::bail!("internal: serve is handled before the corpus is loaded")
        }
        Command::Authors { format } => {
            let authors = corpus.authors();
            match format {
                Format::Json => report::authors_json(&authors),
                Format::Text => report::authors_text(&authors),
            }
        }
    };
    for d in &corpus.errors {
        tracing::error!("{d}");
    }
    print(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// `syndic serve`: take the port, load, build the first snapshot, serve until SIGTERM or
/// SIGINT. The port comes first, so that a port in use is said at once, not after a load of
/// tens of seconds; connections made meanwhile wait to be accepted. An identity file or a
/// last-modified file that cannot be read stops it before it serves anything: the ids or the
/// dates would be wrong.
fn serve(config: Config) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let listener = runtime
        .block_on(server::bind(config.server.listen))
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.server.listen))?;
    let config = std::sync::Arc::new(config);
    let started = std::time::Instant::now();
    let loaded_at = std::time::SystemTime::now();
    let identity = LockFile::open(&config.identity_file)?;
    let dates = syndic::modified::DatesFile::open(&config.last_modified_file)?;
    // Watched before it is read: a save made while the first snapshot is built is applied
    // right after, not missed.
    let watching = watch::begin(&config);
    let corpus = std::sync::Arc::new(corpus::load(&config, identity.lock()));
    if corpus.found_nothing() {
        anyhow::bail!("{}: {}", config.path.display(), corpus::searched(&config));
    }
    for d in &corpus.errors {
        tracing::error!("{d}");
    }
    for d in &corpus.ids.warnings {
        tracing::warn!("{d}");
    }
    let lock = std::sync::Arc::clone(&corpus.ids.lock);
    let snapshot = Snapshot::build_dated(
        std::sync::Arc::clone(&config),
        corpus,
        loaded_at,
        None,
        dates.dates().clone(),
    );
    let first_dates = snapshot.dates().clone();
    let state = std::sync::Arc::new(
        State::new(std::sync::Arc::clone(&config), snapshot, identity)?.keep_dates(dates),
    );
    watch::save_ids(&state, &lock);
    watch::save_dates(&state, &first_dates);
    let published = state.snapshot.load_full();
    std::thread::spawn(move || {
        let started = std::time::Instant::now();
        published.precompress();
        tracing::info!(
            seconds = started.elapsed().as_secs_f64(),
            "every document compressed with gzip"
        );
    });
    let seconds = started.elapsed().as_secs_f64();
    state.metrics.reloads.inc();
    state.metrics.reload_seconds.observe(seconds);
    // Follow the corpus: a change, or SIGHUP, builds and publishes a new snapshot.
    let following = watching.map_err(|e| e.to_string()).and_then(|w| {
        w.follow(std::sync::Arc::clone(&state))
            .map_err(|e| e.to_string())
    });
    let reload = match following {
        Ok(reload) => Some(reload),
        Err(e) => {
            tracing::error!("cannot watch the corpus ({e}): changes need a restart or SIGHUP");
            None
        }
    };
    let for_hangups = std::sync::Arc::clone(&state);
    runtime.block_on(async move {
        // Registered before the server says it is ready, so no early SIGHUP is lost.
        #[cfg(unix)]
        let hangups = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup());
        #[cfg(unix)]
        tokio::spawn(async move {
            let Ok(mut hangups) = hangups else {
                return;
            };
            while hangups.recv().await.is_some() {
                tracing::info!("SIGHUP: reloading the configuration and the corpus");
                let sent = reload
                    .as_ref()
                    .is_some_and(|r| r.send(watch::Signal::Reload).is_ok());
                if !sent {
                    let state = std::sync::Arc::clone(&for_hangups);
                    let _ = tokio::task::spawn_blocking(move || {
                        watch::rebuild(&state, watch::Reread::Config, None)
                    })
                    .await;
                }
            }
        });
        let address = listener.local_addr()?;
        tracing::info!(
            posts = state.snapshot.load().posts(),
            feeds = state.snapshot.load().feeds(),
            seconds,
            "snapshot built"
        );
        let shutdown = server::signal();
        print(&format!("listening on http://{address}/feeds/\n"))?;
        server::run(
            state,
            listener,
            shutdown,
            std::time::Duration::from_secs(10),
        )
        .await;
        tracing::info!("stopped");
        Ok::<(), anyhow::Error>(())
    })
}

/// `syndic build`: render everything, write the tree, say what was written.
fn build(
    config: &Config,
    corpus: &corpus::Corpus,
    out: &std::path::Path,
    archives: bool,
    fresh: bool,
    loaded: std::time::Duration,
    mut dates_file: syndic::modified::DatesFile,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let feeds = feeds::prepare(config, corpus);
    let options = feeds::RenderOptions {
        archives,
        link_archives: false,
    };
    let dates = std::sync::Mutex::new(dates_file.dates().clone());
    let mut writer = export::TreeWriter::begin(out)?;
    if fresh {
        writer = writer.fresh();
    }
    let (mut documents, mut items) = (0usize, 0usize);
    let salt = program_identity();
    let linked = std::sync::atomic::AtomicUsize::new(0);
    let linked_items = std::sync::atomic::AtomicUsize::new(0);
    let in_place = |path: &str, key: &feeds::Key, items: usize| {
        let done = writer.in_place(path, key);
        if done {
            linked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            linked_items.fetch_add(items, std::sync::atomic::Ordering::Relaxed);
        }
        done
    };
    let reuse = salt.as_ref().map(|salt| feeds::Reuse {
        salt: salt.as_bytes(),
        in_place: &in_place,
    });
    // Batches keep memory bounded: a large corpus's documents do not fit in memory at once.
    let rendered = feeds::render_reusing(
        config,
        &feeds,
        options,
        256,
        feeds::MOST_ITEMS_ALIVE,
        reuse.as_ref(),
        |mut docs| {
            documents += docs.len();
            items += docs.iter().map(|(d, _)| d.items).sum::<usize>();
            if let Ok(mut dates) = dates.lock() {
                for (doc, _) in &mut docs {
                    date_document(&writer, &mut dates, doc);
                }
            }
            writer.write_keyed(docs).map_err(anyhow::Error::from)
        },
    )?;
    // More renders than posts: items dropped under the memory bound and rendered again.
    tracing::debug!(
        documents = rendered.documents,
        posts = rendered.posts,
        renders = rendered.renders,
        "feed documents rendered"
    );
    documents += linked.into_inner();
    items += linked_items.into_inner();
    let stats = writer.finish()?;
    // Once the tree is in place: a file that cannot be written is logged, and the next build
    // dates the documents from the tree's own files.
    if let Ok(dates) = dates.into_inner() {
        if let Err(e) = dates_file.save(&dates) {
            tracing::error!("{e}");
        }
    }
    print(&format!(
        "wrote {} to {}: {} feeds, {} files ({} documents, each with .gz and .br), {} items, \
         {} bytes ({} gzip, {} brotli), {} documents unchanged and linked from the tree replaced, \
         in {:.2} s (loading {} posts {:.2} s, the rest {:.2} s)\n",
        if archives {
            "the feed tree with archives"
        } else {
            "the feed tree"
        },
        out.display(),
        feeds.len(),
        stats.files,
        documents,
        items,
        stats.bytes,
        stats.gzip_bytes,
        stats.brotli_bytes,
        stats.reused,
        (loaded + started.elapsed()).as_secs_f64(),
        corpus.posts.len(),
        loaded.as_secs_f64(),
        started.elapsed().as_secs_f64(),
    ))
}

/// Dates `doc` by its record (see `syndic::modified`): the date its bytes were first
/// published, which becomes its files' mtime. Without a record, the tree being replaced
/// stands for one: its file's mtime, for these bytes if it holds them.
fn date_document(
    writer: &export::TreeWriter,
    dates: &mut syndic::modified::Dates,
    doc: &mut feeds::Pieces,
) {
    use syndic::modified::{Record, next};
    let etag = syndic::http::cache_control::etag_from_digest(&doc.digest());
    let digest = etag.trim_matches('"');
    let previous = dates.get(&doc.path).cloned().or_else(|| {
        let (modified, same) = writer.previous_date(doc)?;
        let since = chrono::DateTime::<chrono::Utc>::from(modified).timestamp();
        let digest = if same {
            digest.to_string()
        } else {
            String::new()
        };
        Some(Record { digest, since })
    });
    let newest = doc.last_modified.map(|d| d.timestamp());
    let Some(record) = next(previous.as_ref(), digest, newest) else {
        return;
    };
    doc.last_modified = chrono::DateTime::from_timestamp(record.since, 0).map(|d| d.fixed_offset());
    if dates.get(&doc.path) != Some(&record) {
        dates.insert(doc.path.clone(), record);
    }
}

/// What the documents' bytes depend on besides the configuration and the posts: this
/// program. Its version, and the size and time of its executable, so that another build of
/// the code (the same version number or not) renders everything again rather than trusting
/// what an older one wrote. `None` when the executable cannot be looked at: nothing is then
/// reused by key, nor listed for the next build.
fn program_identity() -> Option<String> {
    let exe = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
    Some(format!(
        "syndic {} {} {:?}",
        env!("CARGO_PKG_VERSION"),
        exe.len(),
        exe.modified().ok()?
    ))
}

fn print(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
