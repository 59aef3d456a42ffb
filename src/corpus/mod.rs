//! LOAD: the content folder -> posts, newest first, with every problem reported.
//!
//! Owns finding post files (configured languages and sections only; `_index.md`, dot-files and
//! editor leftovers skipped; links never followed out of `content_dir`), reading them on every
//! core, and joining the corpus: duplicate permalinks, translations by `translationKey`, the
//! index of people (with it, names a byline holds where a role may stand are people when
//! another post names them: [`post::people_in_corpus`]), the posts that links in template tags
//! name ([`links`]; the index of names is kept only once some post links to another), and each
//! post's id from the identity lock passed in ([`ids`]). One bad file is reported and left out;
//! it never stops the others.

pub mod dates;
pub mod frontmatter;
pub mod ids;
pub mod layout;
pub mod links;
pub mod markdown;
pub mod people;
pub mod permalink;
pub mod post;
pub mod rules;
pub mod templates;
pub mod terms;

use std::collections::{BTreeMap, BTreeSet};
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
pub use terms::{Taxonomy, Term};

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
    /// Files left out, and why; sorted. Persistent, shared with the next corpus.
    pub errors: imbl::Vector<Diagnostic>,
    /// Problems that did not keep a post out; sorted.
    pub warnings: imbl::Vector<Diagnostic>,
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
    /// Their own page, from the site's file of people: the newest post's that gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
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

/// What listing says of a file or folder it could not read: skipped, and why.
fn skipped(root: &Path, e: &walkdir::Error) -> Diagnostic {
    Diagnostic {
        path: e
            .path()
            .map(|p| post::relative_path(root, p))
            .unwrap_or_default(),
        line: None,
        message: format!("skipped: {e}"),
    }
}

/// Lists the post files under `content_dir`, sorted by path. Folders that cannot be read and
/// links that point outside `content_dir` or loop are reported as warnings.
pub fn find_posts(config: &Config) -> (Vec<Found>, Vec<Diagnostic>) {
    if let Some(layout) = &config.layout {
        return layout::find(config, layout);
    }
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
                        warnings.push(skipped(root, &e));
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

/// What [`find_posts`] searched, for the error a corpus with no post at all is: the
/// patterns of `[posts]`, or the language and section folders.
pub fn searched(config: &Config) -> String {
    let root = config.content_dir.display();
    match &config.layout {
        Some(layout) => format!(
            "no post found under `{root}` matching {} (`[posts] patterns`)",
            layout
                .patterns
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => {
            let mut folders = Vec::new();
            for lang in &config.languages {
                for section in &config.sections {
                    folders.push(format!("`{}/{section}/`", lang.code));
                }
            }
            format!(
                "no post found under `{root}` in {} (the language and section folders; \
                 `[posts]` describes another layout)",
                folders.join(", ")
            )
        }
    }
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

/// [`load_file`], or `None` for a post its generator leaves unpublished (see
/// [`layout::unpublished`]): it is no post of the corpus, as the generator publishes none.
fn load_published(config: &Config, file: &Found) -> Option<FileOutcome> {
    let outcome = load_file(config, file);
    if let (Some(layout), Ok((post, _))) = (&config.layout, &outcome)
        && let Some(reason) = layout::unpublished(layout, post, chrono::Utc::now())
    {
        tracing::debug!(path = %file.path, reason, "not published");
        return None;
    }
    Some(outcome)
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

/// Opens `path` for reading if it is a regular file. Opening a named pipe would wait for a
/// writer: on Linux the file is opened without waiting (`O_NONBLOCK`, which does nothing to a
/// regular file's reads) and then checked, one system call fewer than checking the path first;
/// elsewhere the path is checked first.
fn open_regular(path: &Path) -> std::io::Result<(std::fs::File, u64)> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let file = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
            .open(path)?
    };
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let file = {
        if !std::fs::metadata(path)?.is_file() {
            return Err(std::io::Error::other("not a regular file"));
        }
        std::fs::File::open(path)?
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    Ok((file, meta.len()))
}

/// A post's file read again to render its body ([`post::Post::content_html`]): at most `len`
/// bytes and one more, so that a file that grew is seen to differ.
fn read_again(path: &Path, len: usize) -> Result<Vec<u8>, String> {
    let (file, _) = open_regular(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::with_capacity(len + 1);
    file.take(len as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    Ok(bytes)
}

fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let (file, len) = open_regular(path).map_err(|e| format!("cannot read: {e}"))?;
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

/// Path -> the parsed post and the post as published (translations linked, people settled).
type Published = imbl::HashMap<String, (Arc<Post>, Arc<Post>)>;

/// The per-file state behind a corpus, kept in persistent maps: the next corpus shares them
/// with this one and an update touches only the entries of the files it read.
#[derive(Debug, Clone, Default)]
pub struct Files {
    entries: imbl::HashMap<String, FileEntry>,
    /// Per path, the parsed post and the post as published (translations linked): an update
    /// reuses it whole when neither changed.
    published: Published,
    /// Permalink -> the paths of the posts that claim it; the first path wins.
    claims: imbl::HashMap<String, BTreeSet<String>>,
    /// `translationKey` -> the (language, path) of each post that carries it.
    groups: imbl::HashMap<String, BTreeSet<(String, String)>>,
    /// Id -> the path of the published post that has it.
    owners: imbl::HashMap<String, String>,
    /// Person slug -> how many files' posts name them, each read on its own (the names a
    /// post leaves undecided not counted).
    known: imbl::HashMap<String, usize>,
    /// Person slug -> the paths of the posts whose bylines leave that name undecided
    /// ([`Post::undecided`]): their people change when the slug becomes known or unknown.
    waiting: imbl::HashMap<String, BTreeSet<String>>,
    /// What listing the folders reported (unreadable folders, links out of `content_dir`).
    listing: Vec<Diagnostic>,
    /// Name -> the paths of the posts known by it to link tags ([`links::names`]); `None`
    /// until some post links to another, so that a corpus without links pays nothing.
    names: Option<imbl::HashMap<String, BTreeSet<String>>>,
    /// Name -> the paths of the posts whose link tags look it up ([`links::lookups`]): their
    /// links change when a post of that name comes, goes or moves.
    linkers: imbl::HashMap<String, BTreeSet<String>>,
}

/// The names `post` is known by to link tags.
fn names_of(post: &Post) -> &[String] {
    post.templates
        .as_deref()
        .map_or(&[], |t| t.names.as_slice())
}

/// The names `post`'s link tags look up.
fn looked_up(post: &Post) -> impl Iterator<Item = &String> {
    post.templates
        .iter()
        .flat_map(|t| t.links.iter())
        .flat_map(|l| l.lookups.iter().map(|lookup| &lookup.key))
}

/// Adds `path` under each of `keys` in `map`.
fn add_all<'a>(
    map: &mut imbl::HashMap<String, BTreeSet<String>>,
    keys: impl Iterator<Item = &'a String>,
    path: &str,
) {
    for key in keys {
        map.entry(key.clone()).or_default().insert(path.to_string());
    }
}

/// Takes `path` out from under each of `keys` in `map`.
fn remove_all<'a>(
    map: &mut imbl::HashMap<String, BTreeSet<String>>,
    keys: impl Iterator<Item = &'a String>,
    path: &str,
) {
    for key in keys {
        if let Some(paths) = map.get_mut(key) {
            paths.remove(path);
            if paths.is_empty() {
                map.remove(key);
            }
        }
    }
}

impl Files {
    /// Records the post of `path` (if it has one) in the claims and groups.
    fn index(&mut self, path: &str) {
        let Some(post) = self.entries.get(path).and_then(FileEntry::post).cloned() else {
            return;
        };
        self.claims
            .entry(post.permalink.clone())
            .or_default()
            .insert(path.to_string());
        if let Some(key) = &post.translation_key {
            self.groups
                .entry(key.clone())
                .or_default()
                .insert((post.lang.clone(), path.to_string()));
        }
        for person in &post.authors {
            *self.known.entry(person.slug.clone()).or_default() += 1;
        }
        for slug in undecided_slugs(&post) {
            self.waiting
                .entry(slug.clone())
                .or_default()
                .insert(path.to_string());
        }
        add_all(&mut self.linkers, looked_up(&post), path);
        match &mut self.names {
            Some(names) => add_all(names, names_of(&post).iter(), path),
            None if !self.linkers.is_empty() => self.index_names(),
            None => {}
        }
    }

    /// Fills [`Files::names`] from every post.
    fn index_names(&mut self) {
        let mut names: Vec<(&str, &str)> = self
            .entries
            .iter()
            .filter_map(|(path, entry)| Some((path, entry.post()?)))
            .flat_map(|(path, post)| names_of(post).iter().map(|n| (n.as_str(), path.as_str())))
            .collect();
        names.sort_unstable();
        self.names = Some(
            names
                .chunk_by(|a, b| a.0 == b.0)
                .map(|run| {
                    let paths = run.iter().map(|(_, path)| path.to_string()).collect();
                    (run[0].0.to_string(), paths)
                })
                .collect(),
        );
    }

    /// Records every post of `paths` (sorted) in the claims and groups, as [`Files::index`]
    /// for each would, in bulk: the pairs are gathered on every core and sorted, so each map
    /// is filled once, key by key, rather than updated entry by entry (at 100,000 posts,
    /// 0.25 to 0.45 s instead of 0.4 to 0.7 s).
    fn index_all(&mut self, paths: &[String]) {
        let posts: Vec<(&String, &Arc<Post>)> = paths
            .par_iter()
            .filter_map(|path| Some((path, self.entries.get(path).and_then(FileEntry::post)?)))
            .collect();
        let mut claims: Vec<(&str, &str)> = posts
            .par_iter()
            .map(|(path, post)| (post.permalink.as_str(), path.as_str()))
            .collect();
        claims.par_sort_unstable();
        let mut groups: Vec<(&str, &str, &str)> = posts
            .par_iter()
            .filter_map(|(path, post)| {
                let key = post.translation_key.as_deref()?;
                Some((key, post.lang.as_str(), path.as_str()))
            })
            .collect();
        groups.par_sort_unstable();
        let mut named: Vec<&str> = posts
            .par_iter()
            .flat_map_iter(|(_, post)| post.authors.iter().map(|p| p.slug.as_str()))
            .collect();
        named.par_sort_unstable();
        let mut waiting: Vec<(&str, &str)> = posts
            .iter()
            .flat_map(|(path, post)| {
                undecided_slugs(post).map(|slug| (slug.as_str(), path.as_str()))
            })
            .collect();
        waiting.sort_unstable();
        self.known = named
            .chunk_by(|a, b| a == b)
            .map(|run| (run[0].to_string(), run.len()))
            .collect();
        self.waiting = waiting
            .chunk_by(|a, b| a.0 == b.0)
            .map(|run| {
                let paths = run.iter().map(|(_, path)| path.to_string()).collect();
                (run[0].0.to_string(), paths)
            })
            .collect();
        // Filling a persistent map is most of the time, one insert after another: the two
        // maps are filled side by side.
        let (claims, groups) = rayon::join(
            || -> imbl::HashMap<String, BTreeSet<String>> {
                claims
                    .chunk_by(|a, b| a.0 == b.0)
                    .map(|run| {
                        let paths = run.iter().map(|(_, path)| path.to_string()).collect();
                        (run[0].0.to_string(), paths)
                    })
                    .collect()
            },
            || -> imbl::HashMap<String, BTreeSet<(String, String)>> {
                groups
                    .chunk_by(|a, b| a.0 == b.0)
                    .map(|run| {
                        let members = run
                            .iter()
                            .map(|(_, lang, path)| (lang.to_string(), path.to_string()))
                            .collect();
                        (run[0].0.to_string(), members)
                    })
                    .collect()
            },
        );
        self.claims = claims;
        self.groups = groups;
        self.names = None;
        self.linkers = imbl::HashMap::new();
        for (path, post) in &posts {
            add_all(&mut self.linkers, looked_up(post), path);
        }
        if !self.linkers.is_empty() {
            self.index_names();
        }
    }

    /// Takes the post of `path` (if it has one) out of the claims and groups.
    fn unindex(&mut self, path: &str) {
        let Some(post) = self.entries.get(path).and_then(FileEntry::post).cloned() else {
            return;
        };
        if let Some(paths) = self.claims.get_mut(&post.permalink) {
            paths.remove(path);
            if paths.is_empty() {
                self.claims.remove(&post.permalink);
            }
        }
        if let Some(key) = &post.translation_key
            && let Some(members) = self.groups.get_mut(key)
        {
            members.remove(&(post.lang.clone(), path.to_string()));
            if members.is_empty() {
                self.groups.remove(key);
            }
        }
        for person in &post.authors {
            if let Some(count) = self.known.get_mut(&person.slug) {
                *count -= 1;
                if *count == 0 {
                    self.known.remove(&person.slug);
                }
            }
        }
        for slug in undecided_slugs(&post) {
            if let Some(paths) = self.waiting.get_mut(slug) {
                paths.remove(path);
                if paths.is_empty() {
                    self.waiting.remove(slug);
                }
            }
        }
        remove_all(&mut self.linkers, looked_up(&post), path);
        if let Some(names) = &mut self.names {
            remove_all(names, names_of(&post).iter(), path);
        }
    }

    /// The permalinks of the posts `post`'s link tags name, each found as its generator
    /// finds it among the posts that won their permalinks; a warning with the line for each
    /// link that names none (or, for Hugo, several), whose link is then dropped.
    fn links(
        &self,
        path: &str,
        post: &Post,
        warnings: &mut Vec<Diagnostic>,
    ) -> BTreeMap<templates::LinkTag, String> {
        let mut found = BTreeMap::new();
        let Some(templating) = post.templates.as_deref() else {
            return found;
        };
        for link in &templating.links {
            if found.contains_key(&link.tag) {
                continue;
            }
            let mut outcome = Err(None);
            for lookup in &link.lookups {
                let paths = self.names.as_ref().and_then(|n| n.get(&lookup.key));
                let mut winners = paths.into_iter().flatten().filter_map(|p| self.winner(p));
                let Some(first) = winners.next() else {
                    continue;
                };
                outcome = match (lookup.pick, winners.next()) {
                    (links::Pick::Only, Some(second)) => {
                        Err(Some(format!("{} and {}", first.path, second.path)))
                    }
                    _ => Ok(first.permalink.clone()),
                };
                break;
            }
            let why = match outcome {
                Ok(permalink) => {
                    found.insert(link.tag.clone(), permalink);
                    continue;
                }
                Err(None) => "no post has that name".to_string(),
                Err(Some(both)) => format!("the name is ambiguous: {both} both have it"),
            };
            warnings.push(Diagnostic {
                path: path.to_string(),
                line: Some(link.line),
                message: format!(
                    "template tag `{}` left out: {why}, so the link is dropped (the site's \
                     generator would stop the build)",
                    crate::text::xml_safe(&link.written)
                ),
            });
        }
        found
    }

    /// Whether some post names the person `slug`, read on its own.
    fn knows(&self, slug: &str) -> bool {
        self.known.contains_key(slug)
    }

    /// The post `path` gives, if it wins its permalink.
    fn winner(&self, path: &str) -> Option<&Arc<Post>> {
        let post = self.entries.get(path)?.post()?;
        let first = self.claims.get(&post.permalink)?.first()?;
        (first == path).then_some(post)
    }

    /// What joining the corpus gives for `path`: its diagnostics and, unless it lost its
    /// permalink to an earlier path, the post and its translations (its id comes after, from
    /// all the winners: see [`ids`]). The whole corpus is joined by
    /// calling this for every path; an update calls it only for the paths it may change.
    fn join_one(&self, config: &Config, path: &str) -> Joined {
        let mut joined = Joined::default();
        let Some(entry) = self.entries.get(path) else {
            return joined;
        };
        match entry {
            FileEntry::Good { warnings, .. } => joined.warnings.extend(warnings.iter().cloned()),
            FileEntry::Bad { error, .. } => joined.errors.push(error.clone()),
        }
        let Some(parsed) = entry.post() else {
            return joined;
        };
        let first = self
            .claims
            .get(&parsed.permalink)
            .and_then(|paths| paths.first());
        if let Some(first) = first.filter(|first| first.as_str() != path) {
            joined.errors.push(Diagnostic {
                path: path.to_string(),
                line: None,
                message: format!(
                    "same permalink as {first}: {} (this post is left out)",
                    parsed.permalink
                ),
            });
            return joined;
        }
        let translations = if config.languages.len() > 1 {
            self.translations(path, parsed, &mut joined.warnings)
        } else {
            // A site in one language: nothing to link, nothing to warn about.
            BTreeMap::new()
        };
        let authors = post::people_in_corpus(config, parsed, &|slug| self.knows(slug));
        let links = self.links(path, parsed, &mut joined.warnings);
        joined.winner = Some(Winner {
            parsed: parsed.clone(),
            translations,
            authors,
            links,
        });
        joined.errors.sort();
        joined.warnings.sort();
        joined
    }

    /// The permalinks of `post`'s translations, by language: in each other language, the
    /// first path (among posts that won their permalinks) carrying the same `translationKey`.
    /// Where an earlier path of the same language carries it, `post` is linked to nothing and a
    /// warning names both.
    fn translations(
        &self,
        path: &str,
        post: &Post,
        warnings: &mut Vec<Diagnostic>,
    ) -> BTreeMap<String, String> {
        let warn = |warnings: &mut Vec<Diagnostic>, message: String| {
            warnings.push(Diagnostic {
                path: path.to_string(),
                line: None,
                message,
            });
        };
        let Some(key) = post.translation_key.as_deref() else {
            warn(
                warnings,
                "no translationKey: the post is linked to no translation".into(),
            );
            return BTreeMap::new();
        };
        let mut firsts: BTreeMap<&str, &Arc<Post>> = BTreeMap::new();
        for (lang, member) in self.groups.get(key).into_iter().flatten() {
            if firsts.contains_key(lang.as_str()) {
                continue;
            }
            if let Some(winner) = self.winner(member) {
                firsts.insert(lang, winner);
            }
        }
        if let Some(first) = firsts.get(post.lang.as_str())
            && first.path != path
        {
            warn(
                warnings,
                format!(
                    "translationKey `{key}` is also used by {} in the same language",
                    first.path
                ),
            );
            return BTreeMap::new();
        }
        // A key made from the file name (Hugo's translations by name) promises no partner.
        if firsts.len() <= 1 && !key.starts_with(rules::FILE_KEY) {
            warn(
                warnings,
                format!("no translation: no post in another language has translationKey `{key}`"),
            );
        }
        firsts
            .into_iter()
            .filter(|(lang, _)| *lang != post.lang)
            .map(|(lang, other)| (lang.to_string(), other.permalink.clone()))
            .collect()
    }
}

/// The slugs of the names `post` leaves undecided ([`Post::undecided`]).
fn undecided_slugs(post: &Post) -> impl Iterator<Item = &String> {
    post.undecided.iter().flat_map(|u| u.slugs.iter())
}

/// What joining gives for one path.
#[derive(Debug, Default)]
struct Joined {
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    winner: Option<Winner>,
}

/// A post that won its permalink, before its id is given.
#[derive(Debug)]
struct Winner {
    parsed: Arc<Post>,
    translations: BTreeMap<String, String>,
    /// Its people, where the rest of the corpus makes them differ from the parsed post's.
    authors: Option<Vec<Person>>,
    /// The permalinks its links to other posts name ([`Post::links`]).
    links: BTreeMap<templates::LinkTag, String>,
}

/// The post as published: the winner's parsed post with its translations, people, links and
/// id. The one `previous` published for the same parsed post, translations, people, links and
/// id is taken over as it was, not copied (and its rendered items with it).
fn publish(winner: Winner, id: String, previous: Option<&Published>) -> Arc<Post> {
    let Winner {
        parsed,
        translations,
        authors,
        links,
    } = winner;
    let reused = previous
        .and_then(|p| p.get(&parsed.path))
        .filter(|(from, post)| {
            Arc::ptr_eq(from, &parsed)
                && post.translations == translations
                && post.id == id
                && post.authors == *authors.as_ref().unwrap_or(&parsed.authors)
                && post.links == links
        })
        .map(|(_, post)| post.clone());
    reused.unwrap_or_else(|| {
        if translations == parsed.translations
            && id == parsed.id
            && authors.is_none()
            && links == parsed.links
        {
            parsed.clone()
        } else {
            let mut post = Post::clone(&parsed);
            post.translations = translations;
            post.id = id;
            if let Some(authors) = authors {
                post.authors = authors;
            }
            post.links = links;
            Arc::new(post)
        }
    })
}

/// Loads the whole corpus, reading and rendering files in parallel; each post's id comes from
/// `lock` (see [`ids`]).
pub fn load(config: &Config, lock: &Arc<Lock>) -> Corpus {
    reload(config, lock, None)
}

/// Like [`load`], but each post leaves its file's bytes on disk once parsed (see
/// [`post::Post::leave_body_on_disk`]): for a command that renders each post once at most
/// (`build`, `check`), the corpus then holds no Markdown, half its memory at 100,000 posts.
/// Rendering a post reads its file again, and fails if the file changed since.
pub fn load_leaving_bodies(config: &Config, lock: &Arc<Lock>) -> Corpus {
    reload_holding(config, lock, None, Bodies::OnDisk)
}

/// [`load_leaving_bodies`] with the identity file's entries still being read (on another
/// thread) while the files are listed and parsed: `lock` is waited for only to join the
/// posts, and its error, if it fails, is returned.
pub fn load_leaving_bodies_while<E>(
    config: &Config,
    lock: impl FnOnce() -> Result<Arc<Lock>, E>,
) -> Result<Corpus, E> {
    reload_with(config, lock, None, Bodies::OnDisk)
}

/// Where loaded posts keep their bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bodies {
    Kept,
    OnDisk,
}

/// Loads the whole corpus again. Where a file that `previous` published can no longer be
/// loaded (half-written, broken YAML, a bad date), its last good version stays in the corpus
/// and the error, still reported, says so: one bad save never takes a post out of the feeds.
pub fn reload(config: &Config, lock: &Arc<Lock>, previous: Option<&Corpus>) -> Corpus {
    reload_holding(config, lock, previous, Bodies::Kept)
}

/// [`reload_with`] a lock already read.
fn reload_holding(
    config: &Config,
    lock: &Arc<Lock>,
    previous: Option<&Corpus>,
    bodies: Bodies,
) -> Corpus {
    let lock = || Ok::<_, std::convert::Infallible>(Arc::clone(lock));
    match reload_with(config, lock, previous, bodies) {
        Ok(corpus) => corpus,
        Err(never) => match never {},
    }
}

fn reload_with<E>(
    config: &Config,
    lock: impl FnOnce() -> Result<Arc<Lock>, E>,
    previous: Option<&Corpus>,
    bodies: Bodies,
) -> Result<Corpus, E> {
    let started = std::time::Instant::now();
    let (found, listing) = find_posts(config);
    let listed = started.elapsed();
    let before = previous.map(|p| &p.files.entries);
    let loaded: Vec<(String, FileEntry)> = found
        .par_iter()
        .filter_map(|f| {
            let mut outcome = load_published(config, f)?;
            if let (Bodies::OnDisk, Ok((post, _))) = (bodies, &mut outcome) {
                post.leave_body_on_disk(&f.absolute);
            }
            let old = before.and_then(|b| b.get(&f.path));
            Some((f.path.clone(), FileEntry::from_outcome(outcome, old)))
        })
        .collect();
    let entries: imbl::HashMap<String, FileEntry> = loaded.into_iter().collect();
    let parsed = started.elapsed();
    let lock = lock()?;
    let locked = started.elapsed();
    let corpus = assemble(config, entries, listing, &lock, previous);
    tracing::debug!(
        files = found.len(),
        list_ms = listed.as_millis() as u64,
        parse_ms = (parsed - listed).as_millis() as u64,
        identity_wait_ms = (locked - parsed).as_millis() as u64,
        join_ms = (started.elapsed() - locked).as_millis() as u64,
        "corpus loaded"
    );
    Ok(corpus)
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
    let mut files = previous.files.clone();
    let mut changed: BTreeSet<String> = BTreeSet::new();
    let mut read = Vec::new();
    for path in paths {
        let rel = post::relative_path(root, path);
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.is_dir() => return None,
            // A link is followed only by a full listing, which checks where it points.
            Ok(meta) if meta.file_type().is_symlink() => return None,
            // A named pipe or a device is no post, and opening one could block.
            Ok(meta) if !meta.is_file() => {
                files.unindex(&rel);
                files.entries.remove(&rel);
                changed.insert(rel);
            }
            Ok(_) => match found_at(config, path) {
                Some(file) => read.push(file),
                None => {
                    files.unindex(&rel);
                    files.entries.remove(&rel);
                    changed.insert(rel);
                }
            },
            Err(_) => {
                if files.entries.contains_key(&rel) {
                    files.unindex(&rel);
                    files.entries.remove(&rel);
                    changed.insert(rel);
                } else {
                    let folder = format!("{rel}/");
                    if files.entries.keys().any(|k| k.starts_with(&folder)) {
                        return None;
                    }
                }
            }
        }
    }
    let outcomes: Vec<Option<FileOutcome>> =
        read.par_iter().map(|f| load_published(config, f)).collect();
    for (file, outcome) in read.iter().zip(outcomes) {
        let Some(outcome) = outcome else {
            files.unindex(&file.path);
            files.entries.remove(&file.path);
            changed.insert(file.path.clone());
            continue;
        };
        let entry = FileEntry::from_outcome(outcome, files.entries.get(&file.path));
        files.unindex(&file.path);
        files.entries.insert(file.path.clone(), entry);
        files.index(&file.path);
        changed.insert(file.path.clone());
    }
    Some(rejoin(config, previous, lock, files, &changed))
}

/// `previous` with the files at `changed` (whose entries `files` already holds) joined again,
/// along with every other path their change can touch: the posts claiming the same permalinks
/// (one may win or lose it), the posts sharing their translation keys (their links change),
/// the posts leaving undecided a name that became known or unknown (their people change), and
/// the posts whose link tags look up a name of any of these (their links change).
/// The result equals a whole join of `files`, for the work of the paths touched.
fn rejoin(
    config: &Config,
    previous: &Corpus,
    lock: &Arc<Lock>,
    mut files: Files,
    changed: &BTreeSet<String>,
) -> Corpus {
    let old = &previous.files;
    let mut permalinks: BTreeSet<String> = BTreeSet::new();
    let mut keys: BTreeSet<String> = BTreeSet::new();
    for path in changed {
        for side in [old, &files] {
            if let Some(post) = side.entries.get(path).and_then(FileEntry::post) {
                permalinks.insert(post.permalink.clone());
                keys.extend(post.translation_key.clone());
            }
        }
    }
    let mut touched: BTreeSet<String> = changed.clone();
    for permalink in &permalinks {
        for side in [old, &files] {
            for path in side.claims.get(permalink).into_iter().flatten() {
                // One that wins or loses its permalink joins or leaves its translations.
                if touched.insert(path.clone())
                    && let Some(post) = files.entries.get(path).and_then(FileEntry::post)
                {
                    keys.extend(post.translation_key.clone());
                }
            }
        }
    }
    for key in &keys {
        for side in [old, &files] {
            for (_, path) in side.groups.get(key).into_iter().flatten() {
                touched.insert(path.clone());
            }
        }
    }
    // A person a changed file names on its own, or no longer names, who is named by nobody
    // else: the posts leaving that name undecided read their bylines again.
    for path in changed {
        for side in [old, &files] {
            let Some(post) = side.entries.get(path).and_then(FileEntry::post) else {
                continue;
            };
            for person in &post.authors {
                if old.knows(&person.slug) != files.knows(&person.slug) {
                    for side in [old, &files] {
                        let waiting = side.waiting.get(&person.slug).into_iter().flatten();
                        touched.extend(waiting.cloned());
                    }
                }
            }
        }
    }

    // A post that comes, goes, moves, or wins or loses its permalink: the posts whose link
    // tags look up one of its names find another post, or none, or it elsewhere.
    if !old.linkers.is_empty() || !files.linkers.is_empty() {
        let mut linking: Vec<String> = Vec::new();
        for path in &touched {
            for side in [old, &files] {
                let Some(post) = side.entries.get(path).and_then(FileEntry::post) else {
                    continue;
                };
                for name in names_of(post) {
                    for side in [old, &files] {
                        linking.extend(side.linkers.get(name).into_iter().flatten().cloned());
                    }
                }
            }
        }
        touched.extend(linking);
    }

    let joined: Vec<(&String, Joined)> = touched
        .iter()
        .map(|p| (p, files.join_one(config, p)))
        .collect();
    let winners: Vec<Arc<Post>> = joined
        .iter()
        .filter_map(|(_, j)| j.winner.as_ref().map(|w| w.parsed.clone()))
        .collect();
    let owner = |id: &str| old.owners.get(id).cloned();
    let published = |path: &str| old.published.get(path).map(|(_, post)| post.clone());
    let around = ids::Around {
        touched: &touched,
        owner: &owner,
        published: &published,
    };
    let Some((ids, mut ids_out)) = ids::assign_some(&winners, lock, &previous.ids, &around) else {
        // Ids that only the whole corpus can settle: join it all.
        return assemble(config, files.entries, files.listing, lock, Some(previous));
    };
    let mut ids = ids.into_iter();
    let mut posts = previous.posts.clone();
    let mut errors = previous.errors.clone();
    let mut warnings = previous.warnings.clone();
    let mut gone: Vec<Arc<Post>> = Vec::new();
    let mut added: Vec<Arc<Post>> = Vec::new();
    for (path, joined) in joined {
        if let Some((_, post)) = old.published.get(path) {
            gone.push(post.clone());
            if files.owners.get(&post.id) == Some(path) {
                files.owners.remove(&post.id);
            }
        }
        // One id a winner, in the same order.
        let winner = joined.winner.and_then(|winner| Some((winner, ids.next()?)));
        match winner {
            Some((winner, id)) => {
                let parsed = winner.parsed.clone();
                let post = publish(winner, id, Some(&old.published));
                files.owners.insert(post.id.clone(), path.clone());
                added.push(post.clone());
                files.published.insert(path.clone(), (parsed, post));
            }
            None => {
                files.published.remove(path);
                replace_diagnostics(&mut ids_out.notes, path, Vec::new());
            }
        }
        replace_diagnostics(&mut errors, path, joined.errors);
        replace_diagnostics(&mut warnings, path, joined.warnings);
    }
    // A few posts move by a shift of the list each; many are merged by one sort.
    if gone.len() + added.len() <= 64 {
        for post in &gone {
            if let Ok(at) = posts.binary_search_by(|p| newest_first(p, post)) {
                posts.remove(at);
            }
        }
        for post in added {
            let at = posts.partition_point(|p| newest_first(p, &post).is_lt());
            posts.insert(at, post);
        }
    } else {
        let gone: std::collections::HashSet<*const Post> = gone.iter().map(Arc::as_ptr).collect();
        posts.retain(|p| !gone.contains(&Arc::as_ptr(p)));
        posts.extend(added);
        posts.sort_by(|a, b| newest_first(a, b));
    }
    Corpus {
        posts,
        errors,
        warnings,
        files,
        ids: ids_out,
    }
}

/// The corpus order: newest first, equal dates by permalink.
pub fn newest_first(a: &Post, b: &Post) -> std::cmp::Ordering {
    b.date
        .cmp(&a.date)
        .then_with(|| a.permalink.cmp(&b.permalink))
}

/// Puts `fresh` (all about `path`) in place of what `list`, sorted, says about `path`.
pub(crate) fn replace_diagnostics(
    list: &mut imbl::Vector<Diagnostic>,
    path: &str,
    mut fresh: Vec<Diagnostic>,
) {
    let start = match list.binary_search_by(|d| {
        if d.path.as_str() < path {
            std::cmp::Ordering::Less
        } else {
            std::cmp::Ordering::Greater
        }
    }) {
        Ok(at) | Err(at) => at,
    };
    while list.get(start).is_some_and(|d| d.path == path) {
        list.remove(start);
    }
    fresh.sort();
    for (n, diagnostic) in fresh.into_iter().enumerate() {
        list.insert(start + n, diagnostic);
    }
}

/// The post file at `path`, if it is one: under a configured language and section, with a
/// post's name, and no hidden folder on the way.
fn found_at(config: &Config, path: &Path) -> Option<Found> {
    if let Some(layout) = &config.layout {
        return layout::found_at(config, layout, path);
    }
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
    config: &Config,
    entries: imbl::HashMap<String, FileEntry>,
    listing: Vec<Diagnostic>,
    lock: &Arc<Lock>,
    previous: Option<&Corpus>,
) -> Corpus {
    let mut files = Files {
        entries,
        listing: listing.clone(),
        ..Files::default()
    };
    let started = std::time::Instant::now();
    let mut paths: Vec<String> = files.entries.keys().cloned().collect();
    paths.par_sort();
    files.index_all(&paths);
    let indexed = started.elapsed();
    let joined: Vec<Joined> = paths
        .par_iter()
        .map(|path| files.join_one(config, path))
        .collect();
    let joined_at = started.elapsed();
    let mut errors = Vec::new();
    let mut warnings = listing;
    let mut winners = Vec::new();
    for joined in joined {
        errors.extend(joined.errors);
        warnings.extend(joined.warnings);
        winners.extend(joined.winner);
    }
    let parsed: Vec<Arc<Post>> = winners.iter().map(|w| w.parsed.clone()).collect();
    let (ids, mut ids_out) = ids::assign(&parsed, lock);
    let assigned = started.elapsed();
    let before = previous.map(|p| &p.files.published);
    let mut posts = Vec::with_capacity(winners.len());
    // Publishing copies most posts (to give them their translations and id): on every core.
    let published: Vec<(Arc<Post>, Arc<Post>)> = winners
        .into_par_iter()
        .zip(ids)
        .map(|(winner, id)| {
            let parsed = winner.parsed.clone();
            (parsed, publish(winner, id, before))
        })
        .collect();
    let published_at = started.elapsed();
    // Two persistent maps to fill, one insert after another: side by side.
    let (owners, by_path) = rayon::join(
        || -> imbl::HashMap<String, String> {
            published
                .iter()
                .map(|(_, post)| (post.id.clone(), post.path.clone()))
                .collect()
        },
        || -> Published {
            published
                .iter()
                .map(|(parsed, post)| (post.path.clone(), (parsed.clone(), post.clone())))
                .collect()
        },
    );
    files.owners = owners;
    files.published = by_path;
    posts.extend(published.into_iter().map(|(_, post)| post));
    let kept = started.elapsed();
    posts.par_sort_by(|a, b| newest_first(a, b));
    errors.par_sort();
    warnings.par_sort();
    ids_out.warnings.sort();
    tracing::debug!(
        index_ms = indexed.as_millis() as u64,
        join_ms = (joined_at - indexed).as_millis() as u64,
        ids_ms = (assigned - joined_at).as_millis() as u64,
        publish_ms = (published_at - assigned).as_millis() as u64,
        maps_ms = (kept - published_at).as_millis() as u64,
        sort_ms = (started.elapsed() - kept).as_millis() as u64,
        "corpus joined"
    );
    Corpus {
        posts,
        errors: errors.into_iter().collect(),
        warnings: warnings.into_iter().collect(),
        files,
        ids: ids_out,
    }
}

/// Joins per-file outcomes into a corpus: duplicate permalinks (the first path wins, an error
/// names both), translations, people named where a role may stand that other posts name
/// ([`post::people_in_corpus`]), ids from `lock`, order. Pure.
pub fn join(config: &Config, outcomes: Vec<FileOutcome>, lock: &Arc<Lock>) -> Corpus {
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
    assemble(config, entries, Vec::new(), lock, None)
}

impl Corpus {
    /// Whether listing found no post file at all (not one, good or bad, published or not).
    pub fn found_nothing(&self) -> bool {
        self.files.entries.is_empty() && self.errors.is_empty()
    }

    /// Every person named in a post, sorted by slug.
    pub fn authors(&self) -> Vec<Author> {
        let mut by_person: BTreeMap<&str, Vec<Arc<Post>>> = BTreeMap::new();
        for post in &self.posts {
            for person in &post.authors {
                by_person
                    .entry(&person.slug)
                    .or_default()
                    .push(post.clone());
            }
        }
        by_person
            .into_iter()
            .map(|(slug, theirs)| Author::from_posts(slug, &theirs))
            .collect()
    }
}

impl Author {
    /// The person `slug` from the posts naming them (newest first): their name is the one most
    /// of these posts use (ties: the newest post's), their URL the newest post's that has one.
    pub fn from_posts(slug: &str, theirs: &[Arc<Post>]) -> Author {
        let mut names: Vec<(&str, usize)> = Vec::new();
        let mut langs: BTreeSet<&str> = BTreeSet::new();
        let mut url: Option<&str> = None;
        for post in theirs {
            langs.insert(&post.lang);
            for person in post.authors.iter().filter(|p| p.slug == slug) {
                url = url.or(person.url.as_deref());
                match names.iter_mut().find(|(n, _)| *n == person.name) {
                    Some((_, count)) => *count += 1,
                    None => names.push((&person.name, 1)),
                }
            }
        }
        let best = names.iter().map(|(_, c)| *c).max().unwrap_or(0);
        let name = names
            .iter()
            .find(|(_, c)| *c == best)
            .map_or(slug, |(n, _)| *n);
        Author {
            slug: slug.to_string(),
            name: name.to_string(),
            url: url.map(str::to_string),
            posts: theirs.len(),
            langs: langs.into_iter().map(str::to_string).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The corpus of the configuration at `config` (relative to the crate), its files indexed
    /// again one path at a time in path order, and those paths.
    fn indexed_both_ways(config: &str) -> (Corpus, Files, Vec<String>) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(config);
        let config = Config::load(&path).unwrap_or_else(|e| panic!("{e}"));
        let corpus = load(&config, &Default::default());
        let mut one_by_one = Files {
            entries: corpus.files.entries.clone(),
            ..Files::default()
        };
        let mut paths: Vec<String> = one_by_one.entries.keys().cloned().collect();
        paths.sort();
        for path in &paths {
            one_by_one.index(path);
        }
        (corpus, one_by_one, paths)
    }

    #[test]
    fn indexing_in_bulk_gives_what_indexing_each_path_gives() {
        let mut shared_permalinks = 0;
        for config in [
            "config.toml",
            "tests/fixtures/mini/config.toml",
            "tests/fixtures/hostile/config.toml",
            "tests/fixtures/broken/config.toml",
        ] {
            let (corpus, one_by_one, _) = indexed_both_ways(config);
            assert_eq!(one_by_one.claims, corpus.files.claims, "{config:?}");
            assert_eq!(one_by_one.groups, corpus.files.groups, "{config:?}");
            assert!(!corpus.files.groups.is_empty());
            shared_permalinks += corpus.files.claims.values().filter(|p| p.len() > 1).count();
        }
        // Some permalink is claimed twice: claims of several paths are compared too.
        assert!(shared_permalinks > 0);
    }

    /// A Hugo post's `ref`s: one found (its permalink in the body), one naming no post and one
    /// naming two, each dropped with a warning naming the file, the line and the tag.
    #[test]
    fn links_that_find_no_post_or_two_are_warned_about_and_dropped() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let write = |path: &str, text: &str| {
            let path = dir.path().join(path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
            }
            std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
        };
        write(
            "config.toml",
            "content_dir = \"content\"\n[posts]\ngenerator = \"hugo\"\n\
             [languages.en]\nbase_url = \"https://example.org/\"\ntitle = \"T\"\n",
        );
        let post = |title: &str, body: &str| {
            format!("---\ntitle: {title}\ndate: 2024-01-02\nauthor: A B\n---\n{body}\n")
        };
        write(
            "content/posts/a.md",
            &post(
                "A",
                "[b]({{< ref \"b\" >}})\n\n[gone]({{< ref \"gone\" >}})\n\n[dup]({{< relref \"dup\" >}})",
            ),
        );
        write("content/posts/b.md", &post("B", "b"));
        write("content/notes/dup.md", &post("Dup", "one"));
        write("content/misc/dup.md", &post("Dup two", "two"));
        let config =
            Config::load(&dir.path().join("config.toml")).unwrap_or_else(|e| panic!("{e}"));
        let corpus = load(&config, &Default::default());
        let a = corpus.posts.iter().find(|p| p.path == "posts/a.md");
        let html = a.and_then(|p| p.content_html().ok()).unwrap_or_default();
        assert!(
            html.contains("href=\"https://example.org/posts/b/\""),
            "{html}"
        );
        assert!(!html.contains("example.org/notes"), "{html}");
        assert!(!html.contains("example.org/misc"), "{html}");
        let warned: Vec<(Option<usize>, &str)> = corpus
            .warnings
            .iter()
            .filter(|w| w.path == "posts/a.md" && w.message.contains("template tag"))
            .map(|w| (w.line, w.message.as_str()))
            .collect();
        assert_eq!(warned.len(), 2, "{warned:?}");
        assert_eq!(warned[0].0, Some(8));
        assert!(warned[0].1.contains("`{{< ref \"gone\" >}}`") && warned[0].1.contains("no post"));
        assert_eq!(warned[1].0, Some(10));
        assert!(
            warned[1].1.contains("misc/dup.md and notes/dup.md"),
            "{}",
            warned[1].1
        );
    }

    /// The names of posts and the names their link tags look up, indexed in bulk, are those
    /// indexed path by path; a corpus whose posts link to none indexes no names at all.
    #[test]
    fn names_indexed_in_bulk_are_those_indexed_path_by_path() {
        for (fixture, links) in [
            ("tests/fixtures/generators/jekyll/syndic.toml", true),
            ("tests/fixtures/generators/hugo-folders/syndic.toml", true),
            ("tests/fixtures/generators/hugo-filenames/syndic.toml", true),
            ("tests/fixtures/generators/eleventy/syndic.toml", false),
            ("config.toml", false),
        ] {
            let (corpus, mut one_by_one, paths) = indexed_both_ways(fixture);
            assert_eq!(!corpus.files.linkers.is_empty(), links, "{fixture}");
            assert_eq!(corpus.files.names.is_some(), links, "{fixture}");
            assert_eq!(one_by_one.linkers, corpus.files.linkers, "{fixture}");
            assert_eq!(one_by_one.names, corpus.files.names, "{fixture}");
            // And taken out again, path by path, nothing is left.
            for path in &paths {
                one_by_one.unindex(path);
            }
            assert!(one_by_one.linkers.is_empty(), "{fixture}");
            assert!(one_by_one.names.iter().all(|n| n.is_empty()), "{fixture}");
        }
    }
}
