//! LOAD: the content folder -> posts, newest first, with every problem reported.
//!
//! Owns finding post files (configured languages and sections only; `_index.md`, dot-files and
//! editor leftovers skipped; links never followed out of `content_dir`), reading them on every
//! core, and joining the corpus: duplicate permalinks, translations by `translationKey`, the
//! index of people. One bad file is reported and left out; it never stops the others.

pub mod dates;
pub mod frontmatter;
pub mod markdown;
pub mod people;
pub mod permalink;
pub mod post;
pub mod text;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
pub use people::Person;
pub use post::{Image, Post, PostError};

/// A problem found while loading, tied to a file (relative to `content_dir`) and line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    pub path: String,
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path, line, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// The loaded corpus.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// Newest first; equal dates ordered by permalink.
    pub posts: Vec<Arc<Post>>,
    /// Files left out, and why.
    pub errors: Vec<Diagnostic>,
    /// Problems that did not keep a post out.
    pub warnings: Vec<Diagnostic>,
}

/// One person across the corpus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Author {
    pub slug: String,
    pub name: String,
    /// How many posts name them.
    pub posts: usize,
    /// The languages they wrote in, sorted.
    pub langs: Vec<String>,
}

/// A post file found on disk.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    /// Relative to `content_dir`, `/`-separated.
    pub path: String,
    pub absolute: PathBuf,
    pub lang: String,
    pub section: String,
}

/// Whether a file name can be a post: Markdown, not a section page, not hidden, not an
/// editor's temporary or backup file.
pub fn is_post_file_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".md")
        && lower != "_index.md"
        && !name.starts_with(['.', '#', '~'])
        && !name.ends_with('~')
}

/// Lists the post files under `content_dir`, sorted by path. Folders that cannot be read and
/// links that point outside `content_dir` or loop are reported as warnings.
pub fn find_posts(config: &Config) -> (Vec<Found>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut warnings = Vec::new();
    let root = &config.content_dir;
    let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
    for lang in &config.languages {
        for section in &config.sections {
            let dir = root.join(&lang.code).join(section);
            if !dir.is_dir() {
                continue;
            }
            let walker = walkdir::WalkDir::new(&dir)
                .follow_links(true)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                });
            for entry in walker {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(e) => {
                        let path = e
                            .path()
                            .map(|p| post::relative_path(root, p))
                            .unwrap_or_default();
                        warnings.push(Diagnostic {
                            path,
                            line: None,
                            message: format!("skipped: {e}"),
                        });
                        continue;
                    }
                };
                if !entry.file_type().is_file() {
                    continue;
                }
                let name = entry.file_name().to_string_lossy();
                if !is_post_file_name(&name) {
                    continue;
                }
                let rel = post::relative_path(root, entry.path());
                if entry.path_is_symlink() && !inside(&canonical_root, entry.path()) {
                    warnings.push(Diagnostic {
                        path: rel,
                        line: None,
                        message: "skipped: a link to a file outside content_dir".into(),
                    });
                    continue;
                }
                found.push(Found {
                    path: rel,
                    absolute: entry.path().to_path_buf(),
                    lang: lang.code.clone(),
                    section: section.clone(),
                });
            }
        }
    }
    found.sort();
    (found, warnings)
}

/// Whether the link at `path` resolves to somewhere under `root` (canonical).
fn inside(root: &Path, path: &Path) -> bool {
    std::fs::canonicalize(path).is_ok_and(|target| target.starts_with(root))
}

/// What reading and parsing one file gave.
pub type FileOutcome = Result<(Post, Vec<post::Warning>), Diagnostic>;

/// Reads and parses one found file, bounded by `max_post_bytes`.
pub fn load_file(config: &Config, file: &Found) -> FileOutcome {
    let failed = |line: Option<usize>, message: String| Diagnostic {
        path: file.path.clone(),
        line,
        message,
    };
    let bytes = read_bounded(&file.absolute, config.max_post_bytes)
        .map_err(|message| failed(None, message))?;
    let lang = config
        .language(&file.lang)
        .ok_or_else(|| failed(None, format!("language `{}` is not configured", file.lang)))?;
    let location = post::Location {
        path: &file.path,
        lang,
        section: &file.section,
    };
    post::parse_post(config, &location, bytes).map_err(|e| failed(e.line(), strip_line(&e)))
}

/// The error's message without its own `line N: ` prefix (the diagnostic carries the line).
fn strip_line(e: &PostError) -> String {
    let message = e.to_string();
    match message.strip_prefix("line ") {
        Some(rest) => rest
            .split_once(": ")
            .map_or(message.clone(), |(_, m)| m.to_string()),
        None => message,
    }
}

fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > max {
        return Err(format!(
            "the file is {len} bytes, over the limit of {max} (`[limits] max_post_bytes`)"
        ));
    }
    let mut bytes = Vec::with_capacity(len as usize + 1);
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > max {
        return Err(format!(
            "the file is over the limit of {max} bytes (`[limits] max_post_bytes`)"
        ));
    }
    Ok(bytes)
}

/// Loads the whole corpus, reading and rendering files in parallel.
pub fn load(config: &Config) -> Corpus {
    reload(config, None)
}

/// Loads the whole corpus again. Where a file that `previous` published can no longer be
/// loaded (half-written, broken YAML, a bad date), its last good version stays in the corpus
/// and the error, still reported, says so: one bad save never takes a post out of the feeds.
pub fn reload(config: &Config, previous: Option<&Corpus>) -> Corpus {
    let started = std::time::Instant::now();
    let (found, mut warnings) = find_posts(config);
    let listed = started.elapsed();
    let mut outcomes: Vec<FileOutcome> = found.par_iter().map(|f| load_file(config, f)).collect();
    let mut kept = Vec::new();
    if let Some(previous) = previous {
        let good: HashMap<&str, &Arc<Post>> = previous
            .posts
            .iter()
            .map(|p| (p.path.as_str(), p))
            .collect();
        for outcome in &mut outcomes {
            if let Err(error) = outcome
                && let Some(old) = good.get(error.path.as_str())
            {
                let mut error = error.clone();
                error
                    .message
                    .push_str(" (its last good version stays published)");
                kept.push(error);
                *outcome = Ok((Post::clone(old), Vec::new()));
            }
        }
    }
    let parsed = started.elapsed();
    let mut corpus = join(outcomes);
    corpus.errors.append(&mut kept);
    corpus.errors.sort();
    tracing::debug!(
        files = found.len(),
        list_ms = listed.as_millis() as u64,
        parse_ms = (parsed - listed).as_millis() as u64,
        join_ms = (started.elapsed() - parsed).as_millis() as u64,
        "corpus loaded"
    );
    warnings.append(&mut corpus.warnings);
    warnings.sort();
    corpus.warnings = warnings;
    corpus
}

/// Joins per-file outcomes into a corpus: duplicate permalinks (the first path wins, an error
/// names both), translations, order. Pure.
pub fn join(outcomes: Vec<FileOutcome>) -> Corpus {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut posts: Vec<Post> = Vec::with_capacity(outcomes.len());
    for outcome in outcomes {
        match outcome {
            Ok((post, post_warnings)) => {
                warnings.extend(post_warnings.into_iter().map(|w| Diagnostic {
                    path: post.path.clone(),
                    line: w.line,
                    message: w.message,
                }));
                posts.push(post);
            }
            Err(diagnostic) => errors.push(diagnostic),
        }
    }

    posts.sort_by(|a, b| a.path.cmp(&b.path));
    let mut by_permalink: HashMap<String, String> = HashMap::with_capacity(posts.len());
    posts.retain(|post| match by_permalink.get(&post.permalink) {
        Some(first) => {
            errors.push(Diagnostic {
                path: post.path.clone(),
                line: None,
                message: format!(
                    "same permalink as {first}: {} (this post is left out)",
                    post.permalink
                ),
            });
            false
        }
        None => {
            by_permalink.insert(post.permalink.clone(), post.path.clone());
            true
        }
    });

    link_translations(&mut posts, &mut warnings);
    posts.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| a.permalink.cmp(&b.permalink))
    });
    errors.sort();
    warnings.sort();
    Corpus {
        posts: posts.into_iter().map(Arc::new).collect(),
        errors,
        warnings,
    }
}

/// Gives each post its partners' permalinks. Posts must be sorted by path: where two posts of
/// one language share a key, the first path is the translation and a warning names both.
fn link_translations(posts: &mut [Post], warnings: &mut Vec<Diagnostic>) {
    let mut groups: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    let mut links: Vec<(usize, String, String)> = Vec::new();
    for (index, post) in posts.iter().enumerate() {
        let Some(key) = post.translation_key.as_deref() else {
            warnings.push(Diagnostic {
                path: post.path.clone(),
                line: None,
                message: "no translationKey: the post is linked to no translation".into(),
            });
            continue;
        };
        let group = groups.entry(key).or_default();
        match group.get(post.lang.as_str()) {
            Some(&first) => warnings.push(Diagnostic {
                path: post.path.clone(),
                line: None,
                message: format!(
                    "translationKey `{key}` is also used by {} in the same language",
                    posts[first].path
                ),
            }),
            None => {
                group.insert(&post.lang, index);
            }
        }
    }
    for (key, group) in &groups {
        if group.len() == 1 {
            for &index in group.values() {
                warnings.push(Diagnostic {
                    path: posts[index].path.clone(),
                    line: None,
                    message: format!(
                        "no translation: no post in another language has translationKey `{key}`"
                    ),
                });
            }
        }
        for &index in group.values() {
            for (&other_lang, &other) in group {
                if other != index {
                    links.push((
                        index,
                        other_lang.to_string(),
                        posts[other].permalink.clone(),
                    ));
                }
            }
        }
    }
    for (index, lang, permalink) in links {
        posts[index].translations.insert(lang, permalink);
    }
}

impl Corpus {
    /// Every person named in a post, sorted by slug. A person's name is the one most posts
    /// use (ties: the newest post's).
    pub fn authors(&self) -> Vec<Author> {
        struct Tally<'a> {
            names: Vec<(&'a str, usize)>,
            posts: usize,
            langs: BTreeSet<&'a str>,
        }
        let mut tallies: BTreeMap<&str, Tally<'_>> = BTreeMap::new();
        for post in &self.posts {
            for person in &post.authors {
                let tally = tallies.entry(&person.slug).or_insert_with(|| Tally {
                    names: Vec::new(),
                    posts: 0,
                    langs: BTreeSet::new(),
                });
                tally.posts += 1;
                tally.langs.insert(&post.lang);
                match tally.names.iter_mut().find(|(n, _)| *n == person.name) {
                    Some((_, count)) => *count += 1,
                    None => tally.names.push((&person.name, 1)),
                }
            }
        }
        tallies
            .into_iter()
            .map(|(slug, tally)| {
                let best = tally.names.iter().map(|(_, c)| *c).max().unwrap_or(0);
                let name = tally
                    .names
                    .iter()
                    .find(|(_, c)| *c == best)
                    .map_or(slug, |(n, _)| *n);
                Author {
                    slug: slug.to_string(),
                    name: name.to_string(),
                    posts: tally.posts,
                    langs: tally.langs.into_iter().map(str::to_string).collect(),
                }
            })
            .collect()
    }
}
