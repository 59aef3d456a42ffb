//! LOAD: the content folder -> posts, newest first, with every problem reported.
//!
//! Owns finding post files (configured languages and sections only; `_index.md`, dot-files and
//! editor leftovers skipped; links never followed out of `content_dir`), reading them on every
//! core, and joining the corpus: duplicate permalinks, translations by `translationKey`, the
//! index of people, and each post's id from the identity lock passed in ([`ids`]). One bad file
//! is reported and left out; it never stops the others.

pub mod dates;
pub mod frontmatter;
pub mod ids;
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
use crate::identity::Lock;
pub use ids::Ids;
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
    /// What each file gave, for [`update`].
    pub files: Files,
    /// The identity lock with an entry for every post, and what `check` says about ids.
    pub ids: Ids,
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
            let mut walker = walkdir::WalkDir::new(&dir)
                .follow_links(true)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                });
            while let Some(entry) = walker.next() {
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
                if entry.file_type().is_dir()
                    && entry.path_is_symlink()
                    && !inside(&canonical_root, entry.path())
                {
                    warnings.push(Diagnostic {
                        path: post::relative_path(root, entry.path()),
                        line: None,
                        message: "skipped: a link to a folder outside content_dir".into(),
                    });
                    walker.skip_current_dir();
                    continue;
                }
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
    // Opening a named pipe waits for a writer: only regular files are opened.
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if !meta.is_file() {
        return Err("cannot read: not a regular file".to_string());
    }
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

/// What one file gave when it was last read, kept so that an update rereads only what changed.
#[derive(Debug, Clone)]
enum FileEntry {
    /// It parsed: the post as the file gives it (before translations are linked), and what
    /// the loader noticed.
    Good {
        parsed: Arc<Post>,
        warnings: Vec<Diagnostic>,
    },
    /// It did not: why, and the last good version it had, which stays published.
    Bad {
        error: Diagnostic,
        last_good: Option<Arc<Post>>,
    },
}

impl FileEntry {
    /// The entry for a file that was just read, given what the same path held before.
    fn from_outcome(outcome: FileOutcome, before: Option<&FileEntry>) -> FileEntry {
        match outcome {
            Ok((post, warnings)) => FileEntry::Good {
                warnings: warnings
                    .into_iter()
                    .map(|w| Diagnostic {
                        path: post.path.clone(),
                        line: w.line,
                        message: w.message,
                    })
                    .collect(),
                parsed: Arc::new(post),
            },
            Err(mut error) => {
                let last_good = match before {
                    Some(FileEntry::Good { parsed, .. }) => Some(parsed.clone()),
                    Some(FileEntry::Bad { last_good, .. }) => last_good.clone(),
                    None => None,
                };
                if last_good.is_some() {
                    error
                        .message
                        .push_str(" (its last good version stays published)");
                }
                FileEntry::Bad { error, last_good }
            }
        }
    }

    fn post(&self) -> Option<&Arc<Post>> {
        match self {
            FileEntry::Good { parsed, .. } => Some(parsed),
            FileEntry::Bad { last_good, .. } => last_good.as_ref(),
        }
    }
}

/// The per-file state behind a corpus.
#[derive(Debug, Clone, Default)]
pub struct Files {
    entries: HashMap<String, FileEntry>,
    /// What listing the folders reported (unreadable folders, links out of `content_dir`).
    listing: Vec<Diagnostic>,
    /// Per path, the post as published (translations linked) and the parsed post it came from:
    /// an update reuses it whole when neither changed.
    published: HashMap<String, (Arc<Post>, Arc<Post>)>,
}

/// Loads the whole corpus, reading and rendering files in parallel; each post's id comes from
/// `lock` (see [`ids`]).
pub fn load(config: &Config, lock: &Arc<Lock>) -> Corpus {
    reload(config, lock, None)
}

/// Loads the whole corpus again. Where a file that `previous` published can no longer be
/// loaded (half-written, broken YAML, a bad date), its last good version stays in the corpus
/// and the error, still reported, says so: one bad save never takes a post out of the feeds.
pub fn reload(config: &Config, lock: &Arc<Lock>, previous: Option<&Corpus>) -> Corpus {
    let started = std::time::Instant::now();
    let (found, listing) = find_posts(config);
    let listed = started.elapsed();
    let outcomes: Vec<FileOutcome> = found.par_iter().map(|f| load_file(config, f)).collect();
    let before = previous.map(|p| &p.files.entries);
    let entries: HashMap<String, FileEntry> = found
        .iter()
        .zip(outcomes)
        .map(|(file, outcome)| {
            let old = before.and_then(|b| b.get(&file.path));
            (file.path.clone(), FileEntry::from_outcome(outcome, old))
        })
        .collect();
    let parsed = started.elapsed();
    let corpus = assemble(entries, listing, lock, previous);
    tracing::debug!(
        files = found.len(),
        list_ms = listed.as_millis() as u64,
        parse_ms = (parsed - listed).as_millis() as u64,
        join_ms = (started.elapsed() - parsed).as_millis() as u64,
        "corpus loaded"
    );
    corpus
}

/// `previous` with only the files at `paths` read again (absolute paths, as a watcher reports
/// them): a path that is a post file now is read, one that is gone takes its post out, and
/// every other post is taken over as it was. `None` when a path is a folder, or names none
/// of the posts but holds some (a folder moved or removed): then only a full [`reload`] will
/// do. Ids come from `lock` (which may differ from the one `previous` was joined with), for
/// every post.
pub fn update(
    config: &Config,
    lock: &Arc<Lock>,
    previous: &Corpus,
    paths: &[PathBuf],
) -> Option<Corpus> {
    let root = &config.content_dir;
    let mut entries = previous.files.entries.clone();
    let mut read = Vec::new();
    for path in paths {
        let rel = post::relative_path(root, path);
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.is_dir() => return None,
            // A link is followed only by a full listing, which checks where it points.
            Ok(meta) if meta.file_type().is_symlink() => return None,
            // A named pipe or a device is no post, and opening one could block.
            Ok(meta) if !meta.is_file() => {
                entries.remove(&rel);
            }
            Ok(_) => match found_at(config, path) {
                Some(file) => read.push(file),
                None => {
                    entries.remove(&rel);
                }
            },
            Err(_) => {
                if entries.remove(&rel).is_none() {
                    let folder = format!("{rel}/");
                    if entries.keys().any(|k| k.starts_with(&folder)) {
                        return None;
                    }
                }
            }
        }
    }
    let outcomes: Vec<FileOutcome> = read.par_iter().map(|f| load_file(config, f)).collect();
    for (file, outcome) in read.iter().zip(outcomes) {
        let entry = FileEntry::from_outcome(outcome, previous.files.entries.get(&file.path));
        entries.insert(file.path.clone(), entry);
    }
    Some(assemble(
        entries,
        previous.files.listing.clone(),
        lock,
        Some(previous),
    ))
}

/// The post file at `path`, if it is one: under a configured language and section, with a
/// post's name, and no hidden folder on the way.
fn found_at(config: &Config, path: &Path) -> Option<Found> {
    let rel = path.strip_prefix(&config.content_dir).ok()?;
    let parts: Vec<&str> = rel.iter().map(|p| p.to_str()).collect::<Option<_>>()?;
    let (lang, section, name) = (parts.first()?, parts.get(1)?, parts.last()?);
    if parts.len() < 3
        || parts.iter().any(|p| p.starts_with('.'))
        || config.language(lang).is_none()
        || !config.sections.iter().any(|s| s == section)
        || !is_post_file_name(name)
    {
        return None;
    }
    Some(Found {
        path: post::relative_path(&config.content_dir, path),
        absolute: path.to_path_buf(),
        lang: (*lang).to_string(),
        section: (*section).to_string(),
    })
}

/// A corpus from per-file entries: the posts joined, the errors and warnings gathered.
fn assemble(
    entries: HashMap<String, FileEntry>,
    listing: Vec<Diagnostic>,
    lock: &Arc<Lock>,
    previous: Option<&Corpus>,
) -> Corpus {
    let mut posts: Vec<Arc<Post>> = entries
        .values()
        .filter_map(FileEntry::post)
        .cloned()
        .collect();
    let mut errors: Vec<Diagnostic> = Vec::new();
    let mut warnings: Vec<Diagnostic> = listing.clone();
    for entry in entries.values() {
        match entry {
            FileEntry::Good { warnings: w, .. } => warnings.extend(w.iter().cloned()),
            FileEntry::Bad { error, .. } => errors.push(error.clone()),
        }
    }
    posts.sort_by(|a, b| a.path.cmp(&b.path));
    let (posts, published, mut ids) = join_posts(
        posts,
        lock,
        previous.map(|p| &p.files.published),
        &mut errors,
        &mut warnings,
    );
    errors.sort();
    warnings.sort();
    ids.warnings.sort();
    ids.notes.sort();
    Corpus {
        posts,
        errors,
        warnings,
        files: Files {
            entries,
            listing,
            published,
        },
        ids,
    }
}

/// Joins per-file outcomes into a corpus: duplicate permalinks (the first path wins, an error
/// names both), translations, ids from `lock`, order. Pure.
pub fn join(outcomes: Vec<FileOutcome>, lock: &Arc<Lock>) -> Corpus {
    let entries = outcomes
        .into_iter()
        .map(|outcome| {
            let path = match &outcome {
                Ok((post, _)) => post.path.clone(),
                Err(error) => error.path.clone(),
            };
            (path, FileEntry::from_outcome(outcome, None))
        })
        .collect();
    assemble(entries, Vec::new(), lock, None)
}

/// Posts sorted by path -> the published posts, newest first (equal dates by permalink), with
/// duplicate permalinks left out, translations linked and ids given. A post whose parsed
/// version, translations and id are those `previous` published is taken over as it was, not
/// copied (its rendered items with it: the id is part of them).
#[allow(clippy::type_complexity)]
fn join_posts(
    mut posts: Vec<Arc<Post>>,
    lock: &Arc<Lock>,
    previous: Option<&HashMap<String, (Arc<Post>, Arc<Post>)>>,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> (Vec<Arc<Post>>, HashMap<String, (Arc<Post>, Arc<Post>)>, Ids) {
    let mut by_permalink: HashMap<&str, &str> = HashMap::with_capacity(posts.len());
    let mut keep = vec![true; posts.len()];
    for (index, post) in posts.iter().enumerate() {
        match by_permalink.get(post.permalink.as_str()) {
            Some(first) => {
                errors.push(Diagnostic {
                    path: post.path.clone(),
                    line: None,
                    message: format!(
                        "same permalink as {first}: {} (this post is left out)",
                        post.permalink
                    ),
                });
                keep[index] = false;
            }
            None => {
                by_permalink.insert(&post.permalink, &post.path);
            }
        }
    }
    drop(by_permalink);
    let mut index = 0;
    posts.retain(|_| {
        index += 1;
        keep[index - 1]
    });

    let links = translation_links(&posts, warnings);
    let (post_ids, ids) = ids::assign(&posts, lock);
    let mut published = HashMap::with_capacity(posts.len());
    let mut out = Vec::with_capacity(posts.len());
    for ((parsed, translations), id) in posts.into_iter().zip(links).zip(post_ids) {
        let reused = previous
            .and_then(|p| p.get(&parsed.path))
            .filter(|(from, post)| {
                Arc::ptr_eq(from, &parsed) && post.translations == translations && post.id == id
            })
            .map(|(_, post)| post.clone());
        let post = reused.unwrap_or_else(|| {
            if translations == parsed.translations && id == parsed.id {
                parsed.clone()
            } else {
                let mut post = Post::clone(&parsed);
                post.translations = translations;
                post.id = id;
                Arc::new(post)
            }
        });
        published.insert(parsed.path.clone(), (parsed, post.clone()));
        out.push(post);
    }
    out.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| a.permalink.cmp(&b.permalink))
    });
    (out, published, ids)
}

/// Each post's partners' permalinks, by language. Posts must be sorted by path: where two
/// posts of one language share a key, the first path is the translation and a warning names
/// both.
fn translation_links(
    posts: &[Arc<Post>],
    warnings: &mut Vec<Diagnostic>,
) -> Vec<BTreeMap<String, String>> {
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
    let mut maps = vec![BTreeMap::new(); posts.len()];
    for (index, lang, permalink) in links {
        maps[index].insert(lang, permalink);
    }
    maps
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
