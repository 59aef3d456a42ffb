//! The command line, parsed once with clap into a struct the rest of the program trusts.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Turns a bilingual Markdown blog corpus into RSS, Atom and JSON feeds.
#[derive(Debug, Parser)]
#[command(name = "syndic", version, about, long_about = None)]
pub struct Cli {
    /// The configuration file; `content_dir` in it is relative to its folder.
    #[arg(
        long,
        global = true,
        default_value = "config.toml",
        value_name = "PATH"
    )]
    pub config: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load the corpus and report every error and warning, with file and line.
    ///
    /// Exits 0 when no post has an error, 1 when one has, 2 when the configuration is unusable.
    Check {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// List every post, newest first.
    Posts {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Load the corpus, build every feed in memory and serve them over HTTP.
    Serve {
        /// Address and port to listen on (overrides `[server] listen`); port 0 picks a free one.
        #[arg(long, value_name = "ADDR")]
        listen: Option<std::net::SocketAddr>,
    },
    /// Write every feed as static files (with .gz and .br beside each), replacing the previous
    /// tree atomically.
    Build {
        /// Where to write the tree.
        #[arg(long, default_value = "feeds", value_name = "DIR")]
        out: PathBuf,
        /// Only the subscription documents, not the archive pages.
        #[arg(long)]
        no_archives: bool,
        /// Write every file anew, instead of linking the documents that the tree being
        /// replaced holds unchanged (and their .gz and .br).
        #[arg(long)]
        fresh: bool,
    },
    /// List every person named in a byline, by slug.
    Authors {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

/// Output for people (`text`) or for programs (`json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}
