//! `config.toml` -> one validated [`Config`], read once and passed by reference to every step.
//!
//! Owns: reading the file, defaults, validation with errors that name the file and the key,
//! resolving `content_dir` and `identity_file` against the config file's folder. Must not
//! touch the corpus.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use indexmap::IndexMap;
use serde::Deserialize;
use url::Url;

use crate::text::normalize_space as normalize_name;

pub mod eleventy;
mod keys;
pub mod people;
mod posts;
pub use keys::Problem;
pub use posts::{DateFrom, DateZone, FrontMatterKeys, Generator, LangFrom, Layout, Syntax};

/// Why a configuration could not be used. Every variant names the file.
///
/// The message holds its cause: no variant has a `source()`, so that a chain of causes
/// (`{:#}`) does not say it twice.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read the configuration: {cause}")]
    Read {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Parse {
        path: PathBuf,
        line: usize,
        message: String,
    },
    /// Keys syndic does not know, values of the wrong kind, keys missing: every one in the
    /// file, a line each.
    #[error("{}", keys_message(path, problems))]
    Keys {
        path: PathBuf,
        problems: Vec<Problem>,
    },
    #[error("{path}: key `{key}`: {message}")]
    Invalid {
        path: PathBuf,
        key: String,
        message: String,
    },
    /// The file of people (`[posts] people`) cannot be read.
    #[error("{0}")]
    People(people::Unreadable),
    /// An Eleventy directory data file's `permalink` cannot be read.
    #[error("{0}")]
    DataFile(eleventy::Unreadable),
}

/// One language of the site: the folder `content/<code>/` and the site it is published on.
#[derive(Debug, Clone)]
pub struct Language {
    pub code: String,
    pub base_url: Url,
    pub title: String,
    pub description: String,
    /// Paths the site already published its RSS feed at (`/blog/index.xml`): the server
    /// answers them with this language's RSS feed.
    pub legacy_paths: Vec<String>,
}

/// A data file beside the configuration (the file of people, Eleventy's data files) that
/// cannot be read, or a value in it that cannot be used: the file, the line where there is
/// one, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub path: std::path::PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

/// The whole configuration, validated.
#[derive(Debug, Clone)]
pub struct Config {
    /// The configuration file itself.
    pub path: PathBuf,
    /// Absolute or relative to the working directory, already resolved against `path`.
    pub content_dir: PathBuf,
    /// The identity file (`identity_file`, default `identity.toml` beside the configuration),
    /// resolved like `content_dir`.
    pub identity_file: PathBuf,
    /// The last-modified file (`last_modified_file`, default `last-modified.txt` beside the
    /// configuration): when each document's bytes were first served, resolved like
    /// `content_dir`.
    pub last_modified_file: PathBuf,
    pub timezone: Tz,
    pub sections: Vec<String>,
    pub permalink: String,
    /// In the order of the file: the first one is the site's main language.
    pub languages: Vec<Language>,
    /// Normalised alias name -> canonical display name.
    pub aliases: BTreeMap<String, String>,
    /// Posts larger than this many bytes are reported and left out.
    pub max_post_bytes: u64,
    /// The public address of the feed tree (ends with `/`); every self, archive and OPML link
    /// is built on it. Default: the first language's `base_url` + `feeds/`.
    pub feeds_url: Url,
    /// Items in a subscription document, and in each archive page.
    pub feed_limit: usize,
    pub server: Server,
    pub watch: Watch,
    /// `[websub]`: the hub every feed advertises and that is told of changes; `None` when
    /// the section is absent.
    pub websub: Option<WebSub>,
    /// `[posts]`: a site generator's layout and rules; `None` (no `[posts]`) is syndic's own
    /// layout, `content/<lang>/<section>/`.
    pub layout: Option<Layout>,
    /// `[front_matter]`: which front-matter keys give the summary, the image and its
    /// alternative text, the thumbnail and the updated date.
    pub front_matter: FrontMatterKeys,
    pub taxonomies: Taxonomies,
}

/// `[taxonomies]`: how `tags:` and `categories:` are read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Taxonomies {
    /// Tags left out of items and feeds, as slugs (`ignore_tags`: Eleventy's `post` or
    /// `posts` collection names, say).
    pub ignore_tags: Vec<String>,
    /// A string value (not a list) holds one term per word, as Jekyll reads it
    /// (`split_words`, Jekyll's default); otherwise it is one term, as Hugo and Eleventy read
    /// it.
    pub split_words: bool,
    /// Whose rule makes a term's slug, the name of its feeds: the generator's, as its term
    /// pages are named (`[posts] generator`), or without `[posts]` syndic's own, the people's.
    pub slugs: Option<Generator>,
}

/// `[websub]`: push to subscribers through a WebSub hub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSub {
    /// The hub's URL (`hub`): advertised as `rel="hub"`, and where publish notifications go.
    pub hub: Url,
    /// How many times one notification is tried before it is given up (`max_attempts`,
    /// default 6: waits of 1, 2, 4, 8 and 16 s between them).
    pub max_attempts: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    content_dir: Option<PathBuf>,
    identity_file: Option<PathBuf>,
    last_modified_file: Option<PathBuf>,
    timezone: Option<String>,
    sections: Option<Vec<String>>,
    permalink: Option<String>,
    #[serde(default)]
    languages: IndexMap<String, RawLanguage>,
    #[serde(default)]
    authors: RawAuthors,
    #[serde(default)]
    limits: RawLimits,
    feeds_url: Option<String>,
    #[serde(default)]
    feeds: RawFeeds,
    #[serde(default)]
    server: RawServer,
    #[serde(default)]
    watch: RawWatch,
    websub: Option<RawWebSub>,
    posts: Option<posts::RawPosts>,
    #[serde(default)]
    front_matter: posts::RawKeys,
    #[serde(default)]
    taxonomies: RawTaxonomies,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawTaxonomies {
    #[serde(default)]
    ignore_tags: Vec<String>,
    split_words: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWebSub {
    hub: String,
    max_attempts: Option<u32>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFeeds {
    limit: Option<usize>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawWatch {
    quiet_ms: Option<u64>,
    max_loss_percent: Option<u8>,
}

/// `[watch]`: how `syndic serve` follows changes to the corpus.
#[derive(Debug, Clone)]
pub struct Watch {
    /// A burst of file events ends after this long without one; then the corpus is reloaded.
    pub quiet: std::time::Duration,
    /// When a reload would lose more than this share of the posts at once (the folder moved,
    /// emptied or unmounted mid-deploy), the last good snapshot stays published.
    pub max_loss_percent: u8,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawServer {
    listen: Option<String>,
    max_age: Option<u32>,
    max_connections: Option<usize>,
    header_read_timeout_ms: Option<u64>,
    request_timeout_ms: Option<u64>,
    archive_cache_bytes: Option<usize>,
    log_format: Option<String>,
    #[serde(default)]
    proxies: Vec<String>,
}

/// `[server]`: how `syndic serve` listens and answers.
#[derive(Debug, Clone)]
pub struct Server {
    pub listen: std::net::SocketAddr,
    /// `Cache-Control: max-age` of subscription documents, in seconds.
    pub max_age: u32,
    /// Connections served at once; more wait to be accepted.
    pub max_connections: usize,
    /// Time a client has to send its request headers.
    pub header_read_timeout: std::time::Duration,
    /// Time one request may take, from its arrival to the last byte of its response (a
    /// connection idle between requests is bounded by `header_read_timeout` instead).
    pub request_timeout: std::time::Duration,
    /// Bytes of archive pages kept once rendered on request.
    pub archive_cache_bytes: usize,
    /// Request and error logs as JSON lines rather than text.
    pub json_logs: bool,
    /// Peers that are shared caches or proxies (an nginx on the same machine): their requests
    /// never get a delta, as those that carry a proxy's header fields (see `http::intermediary`).
    pub proxies: Vec<std::net::IpAddr>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    base_url: String,
    title: Option<String>,
    description: Option<String>,
    #[serde(default)]
    legacy_paths: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawAuthors {
    #[serde(default)]
    aliases: IndexMap<String, String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    max_post_bytes: Option<u64>,
}

/// Default for `[feeds] limit`.
pub const DEFAULT_FEED_LIMIT: usize = 20;

/// Default for `[limits] max_post_bytes`: far above any real post, far below a hostile one.
pub const DEFAULT_MAX_POST_BYTES: u64 = 4 * 1024 * 1024;

impl Config {
    /// Reads and validates the file at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|cause| ConfigError::Read {
            path: path.to_path_buf(),
            cause,
        })?;
        let mut config = Config::from_toml(path, &text)?;
        // Absolute from here on: file events name absolute paths, whatever the working folder.
        if let Ok(absolute) = std::path::absolute(&config.content_dir) {
            config.content_dir = absolute;
        }
        if let Ok(absolute) = std::path::absolute(&config.identity_file) {
            config.identity_file = absolute;
        }
        if let Ok(absolute) = std::path::absolute(&config.last_modified_file) {
            config.last_modified_file = absolute;
        }
        if let Some(layout) = &mut config.layout {
            // The file of people: the one named, which must be there, or the generator's own
            // where the site has one.
            let file = match &layout.people_file {
                Some(file) => Some(file.clone()),
                None => layout
                    .generator
                    .people_file()
                    .map(|name| path.parent().unwrap_or(Path::new(".")).join(name))
                    .filter(|file| file.exists()),
            };
            if let Some(file) = file {
                let file = std::path::absolute(&file).unwrap_or(file);
                let site = &config.languages[0].base_url;
                let read = people::read(&file, site).map_err(ConfigError::People)?;
                layout.people = std::sync::Arc::new(read.people);
                layout.people_ignored = read.ignored;
                layout.people_file = Some(file);
            }
            if layout.reads_data_files {
                layout.data_permalinks =
                    eleventy::read(&config.content_dir).map_err(ConfigError::DataFile)?;
            }
        }
        Ok(config)
    }

    /// This configuration with the data files it names read again, the rest as it is: the
    /// file of people (`[posts] people`) and Eleventy's directory data files, what an edit of
    /// one of them changes, without rereading `config.toml`.
    pub fn with_data_files_reread(&self) -> Result<Config, ConfigError> {
        let mut config = self.clone();
        let site = config.languages[0].base_url.clone();
        let content_dir = config.content_dir.clone();
        if let Some(layout) = &mut config.layout {
            if let Some(file) = &layout.people_file {
                let read = people::read(file, &site).map_err(ConfigError::People)?;
                layout.people = std::sync::Arc::new(read.people);
                layout.people_ignored = read.ignored;
            }
            if layout.reads_data_files {
                layout.data_permalinks =
                    eleventy::read(&content_dir).map_err(ConfigError::DataFile)?;
            }
        }
        Ok(config)
    }

    /// Whether `path` is one of Eleventy's directory data files this configuration reads
    /// (`posts/posts.11tydata.json`, `posts/posts.json`, or a script beside them).
    pub fn is_data_file(&self, path: &Path) -> bool {
        let Some(layout) = &self.layout else {
            return false;
        };
        if !layout.reads_data_files {
            return false;
        }
        let (Some(name), Some(folder)) = (
            path.file_name().and_then(|n| n.to_str()),
            path.parent()
                .and_then(|p| p.file_name())
                .and_then(|n| n.to_str()),
        ) else {
            return false;
        };
        path.starts_with(&self.content_dir)
            && name
                .strip_prefix(folder)
                .is_some_and(|rest| eleventy::DATA_FILE_ENDINGS.contains(&rest))
    }

    /// The file or folder of people the corpus's ids are looked up in, if there is one.
    pub fn people_file(&self) -> Option<&Path> {
        self.layout.as_ref()?.people_file.as_deref()
    }

    /// Validates configuration text as if it had been read from `path`.
    pub fn from_toml(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let document = toml::de::DeTable::parse(text).map_err(|e| parse_error(path, text, &e))?;
        let problems = keys::check(text, &document);
        if !problems.is_empty() {
            return Err(ConfigError::Keys {
                path: path.to_path_buf(),
                problems,
            });
        }
        // Every key and kind is known good by now: what serde could still refuse, it names
        // with a line all the same.
        let raw = RawConfig::deserialize(toml::de::Deserializer::from(document))
            .map_err(|e| parse_error(path, text, &e))?;
        let invalid = |key: &str, message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            key: key.to_string(),
            message,
        };

        let beside = |file: PathBuf| {
            if file.is_absolute() {
                file
            } else {
                path.parent().map(|dir| dir.join(&file)).unwrap_or(file)
            }
        };
        let content_dir = beside(raw.content_dir.unwrap_or_else(|| PathBuf::from("content")));
        let identity_file = raw
            .identity_file
            .unwrap_or_else(|| PathBuf::from("identity.toml"));
        if identity_file.as_os_str().is_empty() || identity_file.file_name().is_none() {
            return Err(invalid(
                "identity_file",
                format!("`{}` does not name a file", identity_file.display()),
            ));
        }
        let identity_file = beside(identity_file);
        let last_modified_file = raw
            .last_modified_file
            .unwrap_or_else(|| PathBuf::from("last-modified.txt"));
        if last_modified_file.as_os_str().is_empty() || last_modified_file.file_name().is_none() {
            return Err(invalid(
                "last_modified_file",
                format!("`{}` does not name a file", last_modified_file.display()),
            ));
        }
        let last_modified_file = beside(last_modified_file);

        let tz_name = raw.timezone.unwrap_or_else(|| "UTC".to_string());
        let timezone: Tz = tz_name.parse().map_err(|_| {
            invalid(
                "timezone",
                format!("`{tz_name}` is not an IANA time zone (for example `America/Toronto`)"),
            )
        })?;

        let sections = raw.sections.unwrap_or_else(|| vec!["blog".to_string()]);
        if sections.is_empty() {
            return Err(invalid("sections", "name at least one section".to_string()));
        }
        if let Some(bad) = sections.iter().find(|s| !is_plain_segment(s)) {
            return Err(invalid(
                "sections",
                format!("`{bad}` must be a single folder name"),
            ));
        }

        let codes: Vec<&str> = raw.languages.keys().map(String::as_str).collect();
        let layout = match raw.posts {
            None => None,
            Some(posts) => Some(
                posts::resolve(posts, &codes, path.parent().unwrap_or(Path::new(".")))
                    .map_err(|(key, message)| invalid(&key, message))?,
            ),
        };
        let front_matter =
            posts::resolve_keys(raw.front_matter, layout.as_ref().map(|l| l.generator))
                .map_err(|(key, message)| invalid(&key, message))?;
        let default_permalink = match &layout {
            Some(layout) => layout.generator.default_permalink(),
            None => "/:year/:month/:day/:slug/",
        };
        let mut layout = layout;
        if let Some(layout) = &mut layout {
            layout.reads_data_files =
                layout.generator == posts::Generator::Eleventy && raw.permalink.is_none();
        }
        let permalink = raw
            .permalink
            .unwrap_or_else(|| default_permalink.to_string());
        if layout.is_none() && !permalink.contains(":slug") {
            return Err(invalid(
                "permalink",
                format!("`{permalink}` must contain `:slug`"),
            ));
        }

        if raw.languages.is_empty() {
            return Err(invalid(
                "languages",
                "define at least one language, e.g. [languages.en] with base_url".to_string(),
            ));
        }
        let mut languages = Vec::with_capacity(raw.languages.len());
        for (code, lang) in raw.languages {
            let key = format!("languages.{code}.base_url");
            if !is_plain_segment(&code) {
                return Err(invalid(
                    &format!("languages.{code}"),
                    "a language code must be a single folder name".to_string(),
                ));
            }
            let mut base_url = Url::parse(lang.base_url.trim())
                .map_err(|e| invalid(&key, format!("`{}` is not a URL: {e}", lang.base_url)))?;
            if !matches!(base_url.scheme(), "http" | "https") || base_url.host_str().is_none() {
                return Err(invalid(
                    &key,
                    format!("`{}` must be an absolute http(s) URL", lang.base_url),
                ));
            }
            if !base_url.path().ends_with('/') {
                let with_slash = format!("{}/", base_url.path());
                base_url.set_path(&with_slash);
            }
            if let Some(bad) = lang
                .legacy_paths
                .iter()
                .find(|p| !p.starts_with('/') || p.contains(".."))
            {
                return Err(invalid(
                    &format!("languages.{code}.legacy_paths"),
                    format!("`{bad}` must be an absolute path such as /blog/index.xml"),
                ));
            }
            languages.push(Language {
                legacy_paths: lang.legacy_paths,
                title: lang.title.unwrap_or_else(|| base_url.to_string()),
                description: lang.description.unwrap_or_default(),
                code,
                base_url,
            });
        }

        let mut aliases = BTreeMap::new();
        for (alias, canonical) in raw.authors.aliases {
            if normalize_name(&canonical).is_empty() {
                return Err(invalid(
                    &format!("authors.aliases.\"{alias}\""),
                    "the canonical name is empty".to_string(),
                ));
            }
            aliases.insert(normalize_name(&alias), normalize_name(&canonical));
        }

        // Whole numbers are within their bounds: `keys` checked them.
        let max_post_bytes = raw.limits.max_post_bytes.unwrap_or(DEFAULT_MAX_POST_BYTES);

        let feeds_url = match raw.feeds_url {
            Some(text) => {
                let mut url = Url::parse(text.trim())
                    .map_err(|e| invalid("feeds_url", format!("`{text}` is not a URL: {e}")))?;
                if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
                    return Err(invalid(
                        "feeds_url",
                        format!("`{text}` must be an absolute http(s) URL"),
                    ));
                }
                if !url.path().ends_with('/') {
                    let with_slash = format!("{}/", url.path());
                    url.set_path(&with_slash);
                }
                url
            }
            None => languages[0]
                .base_url
                .join("feeds/")
                .map_err(|e| invalid("feeds_url", e.to_string()))?,
        };
        let feed_limit = raw.feeds.limit.unwrap_or(DEFAULT_FEED_LIMIT);

        let listen_text = raw
            .server
            .listen
            .unwrap_or_else(|| "127.0.0.1:8080".to_string());
        let listen = listen_text.parse().map_err(|_| {
            invalid(
                "server.listen",
                format!("`{listen_text}` is not an address and port such as 127.0.0.1:8080"),
            )
        })?;
        let json_logs = match raw.server.log_format.as_deref() {
            None | Some("text") => false,
            Some("json") => true,
            Some(other) => {
                return Err(invalid(
                    "server.log_format",
                    format!("`{other}` is neither `text` nor `json`"),
                ));
            }
        };
        let proxies = raw
            .server
            .proxies
            .iter()
            .map(|text| {
                text.trim().parse::<std::net::IpAddr>().map_err(|_| {
                    invalid(
                        "server.proxies",
                        format!("`{text}` is not an IP address such as 127.0.0.1 or ::1"),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let server = Server {
            listen,
            proxies,
            max_age: raw.server.max_age.unwrap_or(300),
            max_connections: raw.server.max_connections.unwrap_or(1024),
            header_read_timeout: std::time::Duration::from_millis(
                raw.server.header_read_timeout_ms.unwrap_or(10_000),
            ),
            request_timeout: std::time::Duration::from_millis(
                raw.server.request_timeout_ms.unwrap_or(60_000),
            ),
            archive_cache_bytes: raw.server.archive_cache_bytes.unwrap_or(256 * 1024 * 1024),
            json_logs,
        };

        let max_loss_percent = raw.watch.max_loss_percent.unwrap_or(50);
        let watch = Watch {
            quiet: std::time::Duration::from_millis(raw.watch.quiet_ms.unwrap_or(100)),
            max_loss_percent,
        };

        let websub = match raw.websub {
            None => None,
            Some(section) => {
                let hub = Url::parse(section.hub.trim()).map_err(|e| {
                    invalid("websub.hub", format!("`{}` is not a URL: {e}", section.hub))
                })?;
                if !matches!(hub.scheme(), "http" | "https") || hub.host_str().is_none() {
                    return Err(invalid(
                        "websub.hub",
                        format!("`{hub}` is not an http or https URL"),
                    ));
                }
                Some(WebSub {
                    hub,
                    max_attempts: section.max_attempts.unwrap_or(6),
                })
            }
        };

        let mut ignore_tags = Vec::with_capacity(raw.taxonomies.ignore_tags.len());
        for tag in &raw.taxonomies.ignore_tags {
            let slug = crate::text::person_slug(tag);
            if slug.is_empty() {
                return Err(invalid(
                    "taxonomies.ignore_tags",
                    format!("`{tag}` has no letter or digit to match a tag by"),
                ));
            }
            ignore_tags.push(slug);
        }
        let generator = layout.as_ref().map(|l| l.generator);
        let taxonomies = Taxonomies {
            ignore_tags,
            split_words: raw
                .taxonomies
                .split_words
                .unwrap_or(generator == Some(Generator::Jekyll)),
            slugs: generator,
        };

        Ok(Config {
            layout,
            front_matter,
            taxonomies,
            websub,
            watch,
            server,
            feeds_url,
            feed_limit,
            path: path.to_path_buf(),
            content_dir,
            identity_file,
            last_modified_file,
            timezone,
            sections,
            permalink,
            languages,
            aliases,
            max_post_bytes,
        })
    }

    /// The language with this folder code.
    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }
}

fn is_plain_segment(s: &str) -> bool {
    !s.is_empty() && s != "." && s != ".." && !s.contains(['/', '\\'])
}

fn keys_message(path: &Path, problems: &[Problem]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|p| format!("{}:{}: {}", path.display(), p.line, p.message))
        .collect();
    lines.join("\n")
}

fn parse_error(path: &Path, text: &str, e: &toml::de::Error) -> ConfigError {
    let line = e
        .span()
        .map(|span| keys::line_of(text, span.start))
        .unwrap_or(1);
    ConfigError::Parse {
        path: path.to_path_buf(),
        line,
        message: e.message().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
content_dir = "content"
timezone = "America/Toronto"
sections = ["blog"]
permalink = "/:year/:month/:day/:slug/"

[languages.fr]
base_url = "https://numerique.example.ca"
title = "Service numérique exemple"

[languages.en]
base_url = "https://digital.example.ca/"
title = "Example Digital Service"
description = "News"

[authors.aliases]
"Dan  Roe" = "Daniel Roe"
"#;

    fn load(text: &str) -> Result<Config, ConfigError> {
        Config::from_toml(Path::new("site/config.toml"), text)
    }

    #[test]
    fn reads_a_full_config_keeping_language_order() -> Result<(), ConfigError> {
        let config = load(GOOD)?;
        assert_eq!(config.content_dir, Path::new("site/content"));
        assert_eq!(config.identity_file, Path::new("site/identity.toml"));
        assert_eq!(config.timezone, chrono_tz::America::Toronto);
        let codes: Vec<_> = config.languages.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["fr", "en"]);
        assert_eq!(
            config.languages[0].base_url.as_str(),
            "https://numerique.example.ca/"
        );
        assert_eq!(
            config.aliases.get("Dan Roe").map(String::as_str),
            Some("Daniel Roe")
        );
        Ok(())
    }

    #[test]
    fn defaults_fill_what_is_missing() -> Result<(), ConfigError> {
        let config = load("[languages.en]\nbase_url = \"https://a.example/\"\n")?;
        assert_eq!(config.timezone, chrono_tz::UTC);
        assert_eq!(config.sections, ["blog"]);
        assert_eq!(config.permalink, "/:year/:month/:day/:slug/");
        assert_eq!(config.max_post_bytes, DEFAULT_MAX_POST_BYTES);
        assert_eq!(config.feeds_url.as_str(), "https://a.example/feeds/");
        assert_eq!(config.feed_limit, DEFAULT_FEED_LIMIT);
        Ok(())
    }

    #[test]
    fn errors_name_the_file_and_the_key() {
        let cases = [
            (
                "timezone = \"Mars/Olympus\"\n[languages.en]\nbase_url = \"https://a.example/\"\n",
                "site/config.toml: key `timezone`",
            ),
            (
                "[languages.en]\nbase_url = \"not a url\"\n",
                "site/config.toml: key `languages.en.base_url`",
            ),
            (
                "permalink = \"/:year/\"\n[languages.en]\nbase_url = \"https://a.example/\"\n",
                "key `permalink`",
            ),
            ("timezone = \"UTC\"\n", "key `languages`"),
            (
                "[languages.en]\nbase_url = \"https://a.example/\"\n[server]\nlisten = \"localhost\"\n",
                "key `server.listen`",
            ),
            (
                "[languages.en]\nbase_url = \"https://a.example/\"\nlegacy_paths = [\"index.xml\"]\n",
                "key `languages.en.legacy_paths`",
            ),
            (
                "feeds_url = \"/feeds/\"\n[languages.en]\nbase_url = \"https://a.example/\"\n",
                "key `feeds_url`",
            ),
            (
                "[languages.en]\nbase_url = \"https://a.example/\"\n[feeds]\nlimit = 0\n",
                "site/config.toml:4: `feeds.limit` must be a whole number from 1 to 1000, not 0",
            ),
            (
                "[languages.en]\nbase_url = \"https://a.example/\"\n[limits]\nmax_post_bytes = 0\n",
                "site/config.toml:4: `limits.max_post_bytes` must be a whole number, 1 or more",
            ),
            (
                "identity_file = \"ids/..\"\n[languages.en]\nbase_url = \"https://a.example/\"\n",
                "key `identity_file`",
            ),
        ];
        for (text, expected) in cases {
            match load(text) {
                Err(e) => assert!(e.to_string().contains(expected), "{e} lacks {expected}"),
                Ok(_) => panic!("accepted: {text}"),
            }
        }
    }

    #[test]
    fn taxonomies_are_read_with_the_tags_to_leave_out_as_slugs() -> Result<(), ConfigError> {
        let en = "[languages.en]\nbase_url = \"https://a.example/\"\n";
        assert_eq!(load(en)?.taxonomies, Taxonomies::default());
        let config = load(&format!(
            "{en}[taxonomies]\nignore_tags = [\"Post\", \"Blog Posts\"]\nsplit_words = true\n"
        ))?;
        assert_eq!(config.taxonomies.ignore_tags, ["post", "blog-posts"]);
        assert!(config.taxonomies.split_words);
        // A generator names the terms by its rule; Jekyll splits a string into words unless
        // told otherwise.
        for (generator, rule, split) in [
            ("hugo", Generator::Hugo, false),
            ("jekyll", Generator::Jekyll, true),
            ("eleventy", Generator::Eleventy, false),
        ] {
            let posts = format!("{en}[posts]\ngenerator = \"{generator}\"\n");
            let taxonomies = load(&posts)?.taxonomies;
            assert_eq!(taxonomies.slugs, Some(rule), "{generator}");
            assert_eq!(taxonomies.split_words, split, "{generator}");
            let told = load(&format!("{posts}[taxonomies]\nsplit_words = {}\n", !split))?;
            assert_eq!(told.taxonomies.split_words, !split, "{generator}");
        }
        for (text, expected) in [
            (
                "[taxonomies]\nsplit_words = \"yes\"\n",
                "site/config.toml:4: `taxonomies.split_words` must be `true` or `false`, not a string (\"yes\")",
            ),
            (
                "[taxonomies]\nignore_tags = [\"…\"]\n",
                "key `taxonomies.ignore_tags`: `…` has no letter or digit",
            ),
            (
                "[taxonomies]\nignore_tag = [\"post\"]\n",
                "did you mean `taxonomies.ignore_tags`?",
            ),
        ] {
            match load(&format!("{en}{text}")) {
                Err(e) => assert!(e.to_string().contains(expected), "{e} lacks {expected}"),
                Ok(_) => panic!("accepted: {text}"),
            }
        }
        Ok(())
    }

    #[test]
    fn front_matter_keys_default_to_the_generators_and_each_list_replaces_one()
    -> Result<(), ConfigError> {
        let en = "[languages.en]\nbase_url = \"https://a.example/\"\n";
        let keys = |text: &str| load(&format!("{text}{en}")).map(|c| c.front_matter);
        // No [posts]: syndic's own keys, as before they could be configured.
        let own = keys("")?;
        assert_eq!(own.summary, ["description"]);
        assert_eq!(own.image, ["image"]);
        assert_eq!(own.image_alt, ["image-alt"]);
        assert_eq!(own.thumbnail, ["thumb"]);
        assert_eq!(own.updated, ["updated", "lastmod"]);
        let hugo = keys("[posts]\ngenerator = \"hugo\"\n")?;
        assert_eq!(hugo.summary, ["summary", "description"]);
        assert_eq!(hugo.image[..3], ["images", "image", "cover.image"]);
        assert!(hugo.image_alt.contains(&"cover.alt".to_string()));
        let jekyll = keys("[posts]\ngenerator = \"jekyll\"\n")?;
        assert_eq!(jekyll.summary, ["excerpt", "description"]);
        assert_eq!(jekyll.updated, ["updated", "lastmod", "last_modified_at"]);
        let eleventy = keys("[posts]\ngenerator = \"eleventy\"\n")?;
        assert_eq!(eleventy.summary, ["excerpt", "description"]);
        // A list given replaces its default alone, with or without [posts].
        let given = keys(
            "[posts]\ngenerator = \"hugo\"\n[front_matter]\nsummary = [\"lede\"]\nupdated = []\n",
        )?;
        assert_eq!(given.summary, ["lede"]);
        assert!(given.updated.is_empty());
        assert_eq!(given.image, hugo.image);
        let given = keys("[front_matter]\nimage_alt = [\"cover.alt\", \"image_alt\"]\n")?;
        assert_eq!(given.image_alt, ["cover.alt", "image_alt"]);
        assert_eq!(given.summary, ["description"]);
        // What is not a key is an error naming the key of the configuration.
        for bad in ["\"\"", "\"cover.\"", "\"a..b\""] {
            match load(&format!("[front_matter]\nimage = [{bad}]\n{en}")) {
                Err(e) => assert!(
                    e.to_string().contains("key `front_matter.image`"),
                    "{bad}: {e}"
                ),
                Ok(_) => panic!("{bad} was taken for a key"),
            }
        }
        match load(&format!("[front_matter]\nsumary = [\"excerpt\"]\n{en}")) {
            Err(e) => assert!(
                e.to_string().contains(
                    "unknown key `front_matter.sumary`; did you mean `front_matter.summary`?"
                ),
                "{e}"
            ),
            Ok(_) => panic!("a misspelt key was taken"),
        }
        match load(&format!("[front_matter]\nsummary = \"excerpt\"\n{en}")) {
            Err(e) => assert!(
                e.to_string()
                    .contains("`front_matter.summary` must be a list"),
                "{e}"
            ),
            Ok(_) => panic!("a string was taken for a list"),
        }
        Ok(())
    }

    #[test]
    fn syntax_errors_carry_the_line() {
        match load("timezone = \"UTC\"\n\n[languages.en\nbase_url = 1\n") {
            Err(ConfigError::Parse { line, .. }) => assert_eq!(line, 3),
            other => panic!("expected a parse error, got {other:?}"),
        }
    }

    #[test]
    fn the_identity_file_is_beside_the_configuration_unless_told() -> Result<(), ConfigError> {
        let en = "[languages.en]\nbase_url = \"https://a.example/\"\n";
        let config = load(&format!("identity_file = \"ids/lock.toml\"\n{en}"))?;
        assert_eq!(config.identity_file, Path::new("site/ids/lock.toml"));
        let config = load(&format!(
            "identity_file = \"/srv/site/identity.toml\"\n{en}"
        ))?;
        assert_eq!(config.identity_file, Path::new("/srv/site/identity.toml"));
        Ok(())
    }

    #[test]
    fn the_last_modified_file_is_beside_the_configuration_unless_told() -> Result<(), ConfigError> {
        let en = "[languages.en]\nbase_url = \"https://a.example/\"\n";
        let config = load(en)?;
        assert_eq!(
            config.last_modified_file,
            Path::new("site/last-modified.txt")
        );
        let config = load(&format!("last_modified_file = \"state/dates.txt\"\n{en}"))?;
        assert_eq!(config.last_modified_file, Path::new("site/state/dates.txt"));
        assert!(load(&format!("last_modified_file = \"\"\n{en}")).is_err());
        Ok(())
    }

    #[test]
    fn proxies_are_ip_addresses() -> Result<(), ConfigError> {
        let en = "[languages.en]\nbase_url = \"https://a.example/\"\n";
        let config = load(&format!(
            "{en}[server]\nproxies = [\"127.0.0.1\", \"::1\"]\n"
        ))?;
        let want: Vec<std::net::IpAddr> = vec![
            std::net::Ipv4Addr::LOCALHOST.into(),
            std::net::Ipv6Addr::LOCALHOST.into(),
        ];
        assert_eq!(config.server.proxies, want);
        assert!(load(en)?.server.proxies.is_empty());
        match load(&format!("{en}[server]\nproxies = [\"localhost\"]\n")) {
            Err(e) => assert!(
                e.to_string().contains("`localhost` is not an IP address"),
                "{e}"
            ),
            Ok(_) => panic!("a host name is not an address"),
        }
        Ok(())
    }

    #[test]
    fn unknown_keys_are_errors_naming_every_line() {
        let text = "timezon = \"America/Toronto\"\n[languages.en]\nbase_url = \"https://a.example/\"\nicon = \"x\"\n";
        match load(text) {
            Err(e @ ConfigError::Keys { .. }) => assert_eq!(
                e.to_string(),
                "site/config.toml:1: unknown key `timezon`; did you mean `timezone`?\n\
                 site/config.toml:4: unknown key `languages.en.icon`; the keys in \
                 `[languages.en]` are `base_url`, `title`, `description`, `legacy_paths`"
            ),
            other => panic!("expected unknown keys, got {other:?}"),
        }
    }
}
