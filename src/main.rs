//! The `syndic` binary: parse the command line, run the command, turn errors into exit codes.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use syndic::cli::{Cli, Command, Format};
use syndic::config::Config;
use syndic::{corpus, report};

/// Loading allocates and frees many small strings on every core; mimalloc does that faster than
/// the system allocator and gives memory back sooner.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SYNDIC_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    match run(&cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let config = Config::load(&cli.config)?;
    for key in &config.unknown_keys {
        tracing::warn!("{}: unknown key `{key}` is ignored", config.path.display());
    }
    if !config.content_dir.is_dir() {
        anyhow::bail!(
            "{}: content_dir `{}` is not a folder",
            config.path.display(),
            config.content_dir.display()
        );
    }
    let corpus = corpus::load(&config);
    let out = match &cli.command {
        Command::Check { format } => {
            let text = match format {
                Format::Json => report::check_json(&corpus),
                Format::Text => report::check_text(&corpus),
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
