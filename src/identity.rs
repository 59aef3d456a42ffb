//! The identity file: the id each post was first published under, so that a corrected date or
//! a renamed file, which move a post's permalink, never make feed readers show it twice.
//!
//! Owns the file and nothing else: its format (TOML, sorted, one line per post, the same bytes
//! for the same entries, see [`Lock::to_toml`]), reading it (a missing file is an empty lock; a
//! malformed one is an error naming the file and the line, and is never written over), and
//! writing it (only when its entries changed, through a temporary file renamed over it in the
//! same folder, never dropping an entry, not even one another process added meanwhile).
//!
//! Which post gets which id is decided by the corpus (`corpus::ids`) from the [`Lock`] passed
//! in: this module never looks at a post, and the corpus never touches the file.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use serde::Deserialize;
use toml::Spanned;

/// The format version this build reads and writes.
pub const VERSION: i64 = 1;

/// What the file says: post key -> the id it was first published under.
///
/// A post with a `translationKey` is keyed by its language and that key (translations share
/// the key, so the language is part of it), and the entry remembers the path the post was last
/// seen at; a post without one is keyed by its path relative to `content_dir`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lock {
    /// Language -> translationKey -> entry. Persistent maps: a lock with one entry more shares
    /// the rest with the one it came from.
    translations: imbl::OrdMap<String, imbl::OrdMap<String, Keyed>>,
    /// Path -> id.
    paths: imbl::OrdMap<String, String>,
}

/// The entry of a post with a `translationKey`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyed {
    pub id: String,
    /// Where the post was last seen (relative to `content_dir`); `None` in an entry written by
    /// hand without one.
    pub path: Option<String>,
}

impl Lock {
    /// The entry of the post in `lang` with this `translationKey`.
    pub fn translation(&self, lang: &str, key: &str) -> Option<&Keyed> {
        self.translations.get(lang)?.get(key)
    }

    /// The id of the post without a `translationKey` at `path`.
    pub fn path(&self, path: &str) -> Option<&str> {
        self.paths.get(path).map(String::as_str)
    }

    /// Every `translationKey` entry: language, key, entry; sorted.
    pub fn translations(&self) -> impl Iterator<Item = (&str, &str, &Keyed)> {
        self.translations.iter().flat_map(|(lang, keys)| {
            keys.iter()
                .map(move |(key, entry)| (lang.as_str(), key.as_str(), entry))
        })
    }

    /// Every path entry: path, id; sorted.
    pub fn paths(&self) -> impl Iterator<Item = (&str, &str)> {
        self.paths.iter().map(|(p, id)| (p.as_str(), id.as_str()))
    }

    /// Sets the entry of `lang` and `key`.
    pub fn set_translation(&mut self, lang: &str, key: &str, entry: Keyed) {
        self.translations
            .entry(lang.to_string())
            .or_default()
            .insert(key.to_string(), entry);
    }

    /// Sets the entry of `path`.
    pub fn set_path(&mut self, path: &str, id: &str) {
        self.paths.insert(path.to_string(), id.to_string());
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.paths.len()
            + self
                .translations
                .values()
                .map(imbl::OrdMap::len)
                .sum::<usize>()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds `other`'s entries for the keys this lock lacks; an entry both have stays this one's.
    pub fn add_missing(&mut self, other: &Lock) {
        for (lang, key, entry) in other.translations() {
            if self.translation(lang, key).is_none() {
                self.set_translation(lang, key, entry.clone());
            }
        }
        for (path, id) in other.paths() {
            self.paths
                .entry(path.to_string())
                .or_insert_with(|| id.to_string());
        }
    }

    /// The file's text: a comment saying what it is, `version`, then one table per language
    /// of `translationKey` entries and one table of path entries, each sorted by key, one line
    /// an entry. Keys are bare where TOML allows it, quoted otherwise. The same entries always
    /// give the same bytes.
    pub fn to_toml(&self) -> String {
        let mut out = String::with_capacity(64 + self.len() * 160);
        out.push_str(HEADER);
        out.push_str(&format!("version = {VERSION}\n"));
        for (lang, keys) in &self.translations {
            if keys.is_empty() {
                continue;
            }
            out.push_str("\n[translationKey.");
            push_key(&mut out, lang);
            out.push_str("]\n");
            for (name, entry) in keys {
                push_key(&mut out, name);
                out.push_str(" = { id = ");
                push_string(&mut out, &entry.id);
                if let Some(path) = &entry.path {
                    out.push_str(", path = ");
                    push_string(&mut out, path);
                }
                out.push_str(" }\n");
            }
        }
        if !self.paths.is_empty() {
            out.push_str("\n[path]\n");
            for (path, id) in &self.paths {
                push_key(&mut out, path);
                out.push_str(" = ");
                push_string(&mut out, id);
                out.push('\n');
            }
        }
        out
    }

    /// Reads the file's text. An error carries the 1-based line.
    pub fn from_toml(text: &str) -> Result<Lock, ParseError> {
        let at = |span: std::ops::Range<usize>, message: String| ParseError {
            line: line_of(text, span.start),
            message,
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| ParseError {
            line: e.span().map_or(1, |span| line_of(text, span.start)),
            message: e.message().trim_end().to_string(),
        })?;
        if let Some(version) = &raw.version {
            if *version.get_ref() != VERSION {
                return Err(at(
                    version.span(),
                    format!(
                        "version {} is not one this syndic reads (it reads version {VERSION}): \
                         a newer syndic wrote this file",
                        version.get_ref()
                    ),
                ));
            }
        }
        let mut lock = Lock::default();
        for (lang, keys) in raw.translation_key {
            for (name, entry) in keys {
                let span = entry.span();
                let entry = entry.into_inner();
                if entry.id.trim().is_empty() {
                    return Err(at(span, format!("`{lang}.{name}`: the id is empty")));
                }
                if name.trim().is_empty() {
                    return Err(at(span, format!("an empty translationKey under `{lang}`")));
                }
                lock.set_translation(
                    &lang,
                    &name,
                    Keyed {
                        id: entry.id,
                        path: entry.path.filter(|p| !p.is_empty()),
                    },
                );
            }
        }
        for (path, id) in raw.path {
            let span = id.span();
            let id = id.into_inner();
            if path.trim().is_empty() {
                return Err(at(span, "an empty path".to_string()));
            }
            if id.trim().is_empty() {
                return Err(at(span, format!("`{path}`: the id is empty")));
            }
            lock.paths.insert(path, id);
        }
        Ok(lock)
    }
}

const HEADER: &str = "\
# syndic identity file: the id each post was first published under. Feed items keep it when
# the post's permalink changes (a corrected date, a renamed file), so that readers do not show
# the post twice. `syndic build` and `syndic serve` add new posts and never remove an entry.
# Commit it with the corpus. Keys: [translationKey.<lang>] for posts with a translationKey,
# [path] (relative to content_dir) for the others.
";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    version: Option<Spanned<i64>>,
    #[serde(default, rename = "translationKey")]
    translation_key: BTreeMap<String, BTreeMap<String, Spanned<RawKeyed>>>,
    #[serde(default)]
    path: BTreeMap<String, Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKeyed {
    id: String,
    path: Option<String>,
}

/// Why the file's text is not a lock.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    /// 1-based.
    pub line: usize,
    pub message: String,
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Appends a key as TOML writes it: bare when it is only ASCII letters, digits, `-` and `_`,
/// else quoted.
fn push_key(out: &mut String, name: &str) {
    let bare = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if bare {
        out.push_str(name);
    } else {
        push_string(out, name);
    }
}

/// Appends a TOML basic string: `"` and `\` escaped, control characters as escapes, the rest
/// as it is.
fn push_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                use std::fmt::Write as _;
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Why the identity file could not be read or written. Every variant names the file. The
/// message holds its cause, so no variant has a `source()` to be printed a second time.
#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    #[error("{path}: cannot read the identity file: {cause}")]
    Read {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error(
        "{path}:{line}: {message} (the identity file is left as it is: correct it, or restore \
         it from version control)"
    )]
    Parse {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{path}: cannot write the identity file: {cause}")]
    Write {
        path: PathBuf,
        cause: std::io::Error,
    },
}

/// Reads the file at `path`: `None` when there is none.
pub fn read(path: &Path) -> Result<Option<Lock>, IdentityError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(cause) => {
            return Err(IdentityError::Read {
                path: path.to_path_buf(),
                cause,
            });
        }
    };
    Lock::from_toml(&text)
        .map(Some)
        .map_err(|e| IdentityError::Parse {
            path: path.to_path_buf(),
            line: e.line,
            message: e.message,
        })
}

/// Writes `text` to `path` whole or not at all: into a temporary file in the same folder,
/// flushed to disk, then renamed over `path`. The last-modified file is written the same way.
pub(crate) fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "identity.toml".to_string());
    // A dot-file: the corpus watcher ignores it, should the file live in `content_dir`.
    let temporary = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = write_then_rename(&temporary, path, text);
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

fn write_then_rename(temporary: &Path, path: &Path, text: &str) -> std::io::Result<()> {
    let mut file = std::fs::File::create(temporary)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(temporary, path)
}

/// When and how large the file was: a changed stamp means another process, or a person,
/// wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
}

pub(crate) fn stamp(path: &Path) -> Option<Stamp> {
    std::fs::metadata(path).ok().map(|meta| Stamp {
        modified: meta.modified().ok(),
        len: meta.len(),
    })
}

/// The identity file as this process last read or wrote it.
#[derive(Debug)]
pub struct LockFile {
    path: PathBuf,
    /// Its entries then (empty while there is no file).
    disk: Arc<Lock>,
    exists: bool,
    stamp: Option<Stamp>,
    /// It changed on disk and no longer parses: nothing is written over it until it does.
    broken: bool,
}

/// What [`LockFile::save`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// The file already held these entries.
    Unchanged,
    /// The file was written; it now has `entries`, `added` more than before.
    Written { entries: usize, added: usize },
}

impl LockFile {
    /// Reads the file at `path` (an empty lock when there is none yet).
    pub fn open(path: &Path) -> Result<LockFile, IdentityError> {
        let before = stamp(path);
        let lock = read(path)?;
        Ok(LockFile {
            path: path.to_path_buf(),
            exists: lock.is_some(),
            disk: Arc::new(lock.unwrap_or_default()),
            stamp: before,
            broken: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The entries the file held when last read or written.
    pub fn lock(&self) -> &Arc<Lock> {
        &self.disk
    }

    /// Whether there was a file when it was last read or written.
    pub fn exists(&self) -> bool {
        self.exists
    }

    /// Reads the file again if it changed on disk since it was last read or written (or
    /// whatever the case, with `force`): `Ok(true)` when [`LockFile::lock`] is now what it
    /// holds. When it no longer parses, nothing changes here, the error says why, and
    /// [`LockFile::save`] leaves the file alone until it parses again.
    pub fn refresh(&mut self, force: bool) -> Result<bool, IdentityError> {
        let now = stamp(&self.path);
        if !force && now == self.stamp && !self.broken {
            return Ok(false);
        }
        match read(&self.path) {
            Ok(lock) => {
                self.exists = lock.is_some();
                self.disk = Arc::new(lock.unwrap_or_default());
                self.stamp = now;
                self.broken = false;
                Ok(true)
            }
            Err(e) => {
                self.broken = true;
                Err(e)
            }
        }
    }

    /// Writes `lock` if its entries differ from the file's. If the file changed on disk since
    /// it was last read or written (another process, a person), it is read again first and
    /// kept: its entries win over `lock`'s for the keys both have, and `lock`'s new keys are
    /// added, so that no entry is ever dropped. A file that does not parse is not written.
    pub fn save(&mut self, lock: &Arc<Lock>) -> Result<Saved, IdentityError> {
        if !self.broken && Arc::ptr_eq(lock, &self.disk) {
            return Ok(Saved::Unchanged);
        }
        if !self.broken && **lock == *self.disk {
            // The same entries: remembered as this lock, so the next comparison is a pointer's.
            self.disk = Arc::clone(lock);
            return Ok(Saved::Unchanged);
        }
        let mut next = Arc::clone(lock);
        if self.broken || stamp(&self.path) != self.stamp {
            self.refresh(true)?;
            let mut merged = Lock::clone(&self.disk);
            merged.add_missing(lock);
            if merged == *self.disk {
                return Ok(Saved::Unchanged);
            }
            next = Arc::new(merged);
        }
        write_atomically(&self.path, &next.to_toml()).map_err(|cause| IdentityError::Write {
            path: self.path.clone(),
            cause,
        })?;
        let added = next.len().saturating_sub(self.disk.len());
        self.stamp = stamp(&self.path);
        self.exists = true;
        self.disk = next;
        Ok(Saved::Written {
            entries: self.disk.len(),
            added,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keyed(id: &str, path: &str) -> Keyed {
        Keyed {
            id: id.to_string(),
            path: Some(path.to_string()),
        }
    }

    fn sample() -> Lock {
        let mut lock = Lock::default();
        lock.set_translation(
            "fr",
            "forms",
            keyed(
                "https://numerique.example.ca/2021/01/12/formulaires/",
                "fr/blog/posts/formulaires.md",
            ),
        );
        lock.set_translation(
            "en",
            "forms",
            keyed(
                "https://digital.example.ca/2021/01/11/forms/",
                "en/blog/posts/forms.md",
            ),
        );
        lock.set_translation(
            "en",
            "l’équipe \"2\"",
            keyed(
                "https://digital.example.ca/2020/05/01/team/",
                "en/blog/posts/team.md",
            ),
        );
        lock.set_path(
            "en/blog/posts/are-you-our-next-lead?.md",
            "https://digital.example.ca/2019/02/01/are-you-our-next-lead/",
        );
        lock
    }

    #[test]
    fn the_file_is_sorted_one_line_an_entry_and_reads_back() -> Result<(), ParseError> {
        let lock = sample();
        let text = lock.to_toml();
        let body: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            body,
            [
                "version = 1",
                "",
                "[translationKey.en]",
                "forms = { id = \"https://digital.example.ca/2021/01/11/forms/\", path = \"en/blog/posts/forms.md\" }",
                "\"l’équipe \\\"2\\\"\" = { id = \"https://digital.example.ca/2020/05/01/team/\", path = \"en/blog/posts/team.md\" }",
                "",
                "[translationKey.fr]",
                "forms = { id = \"https://numerique.example.ca/2021/01/12/formulaires/\", path = \"fr/blog/posts/formulaires.md\" }",
                "",
                "[path]",
                "\"en/blog/posts/are-you-our-next-lead?.md\" = \"https://digital.example.ca/2019/02/01/are-you-our-next-lead/\"",
            ]
        );
        assert_eq!(Lock::from_toml(&text)?, lock);
        assert_eq!(Lock::from_toml(&text)?.to_toml(), text, "not deterministic");
        assert_eq!(lock.len(), 4);
        Ok(())
    }

    #[test]
    fn the_same_entries_give_the_same_bytes_whatever_the_order_they_came_in() {
        let mut other = Lock::default();
        let lock = sample();
        let mut entries: Vec<(&str, &str, Keyed)> = lock
            .translations()
            .map(|(l, k, e)| (l, k, e.clone()))
            .collect();
        entries.reverse();
        for (lang, key, entry) in entries {
            other.set_translation(lang, key, entry);
        }
        for (path, id) in lock.paths() {
            other.set_path(path, id);
        }
        assert_eq!(other.to_toml(), lock.to_toml());
    }

    #[test]
    fn an_empty_lock_is_a_header_and_a_version() -> Result<(), ParseError> {
        let text = Lock::default().to_toml();
        assert!(text.ends_with("version = 1\n"), "{text}");
        assert_eq!(Lock::from_toml(&text)?, Lock::default());
        assert_eq!(Lock::from_toml("")?, Lock::default());
        Ok(())
    }

    #[test]
    fn hand_written_files_read_too() -> Result<(), ParseError> {
        let text = "# mine\n[translationKey.en]\nforms = { id = \"https://a.example/1/\" }\n\
                    [translationKey.en.other]\nid = \"https://a.example/2/\"\npath = \"en/blog/o.md\"\n\
                    [path]\n'en/blog/x.md' = 'https://a.example/3/'\n";
        let lock = Lock::from_toml(text)?;
        assert_eq!(
            lock.translation("en", "forms"),
            Some(&Keyed {
                id: "https://a.example/1/".into(),
                path: None
            })
        );
        assert_eq!(
            lock.translation("en", "other").map(|e| e.id.as_str()),
            Some("https://a.example/2/")
        );
        assert_eq!(lock.path("en/blog/x.md"), Some("https://a.example/3/"));
        Ok(())
    }

    #[test]
    fn malformed_files_are_errors_with_their_line() {
        let cases = [
            (
                "version = 1\n\n[path]\n\"a.md\" = \"https://a.example/\n",
                4,
            ),
            ("version = 1\n[path]\n\"a.md\" = 3\n", 3),
            ("version = 1\n[path]\n\"a.md\" = \"\"\n", 3),
            (
                "version = 1\n[path]\n\"a.md\" = \"x\"\n\"a.md\" = \"y\"\n",
                4,
            ),
            (
                "version = 1\n[translationKey.en]\nk = { id = \"x\" }\nj = { ids = \"y\" }\n",
                4,
            ),
            (
                "version = 1\n[translationKey.en]\n\nk = { id = \" \" }\n",
                4,
            ),
            ("\nversion = 2\n", 2),
            ("version = 1\ncolour = \"blue\"\n", 2),
            ("version = 1\n[paths]\n", 2),
        ];
        let lines: Vec<Result<usize, String>> = cases
            .iter()
            .map(|(text, _)| match Lock::from_toml(text) {
                Err(e) => Ok(e.line),
                Ok(lock) => Err(format!("accepted {text:?}: {lock:?}")),
            })
            .collect();
        let expected: Vec<Result<usize, String>> = cases.iter().map(|(_, l)| Ok(*l)).collect();
        assert_eq!(lines, expected);
    }

    #[test]
    fn adding_missing_entries_never_replaces_one() {
        let mut lock = sample();
        let mut other = Lock::default();
        other.set_path("en/blog/posts/are-you-our-next-lead?.md", "https://other/");
        other.set_path("en/blog/posts/new.md", "https://new/");
        other.set_translation("en", "forms", keyed("https://other/", "x.md"));
        other.set_translation("de", "forms", keyed("https://de/", "de/x.md"));
        lock.add_missing(&other);
        assert_eq!(lock.len(), 6);
        assert_eq!(
            lock.path("en/blog/posts/are-you-our-next-lead?.md"),
            sample().path("en/blog/posts/are-you-our-next-lead?.md")
        );
        assert_eq!(
            lock.translation("en", "forms"),
            sample().translation("en", "forms")
        );
        assert_eq!(lock.path("en/blog/posts/new.md"), Some("https://new/"));
        assert!(lock.translation("de", "forms").is_some());
    }

    fn folder() -> tempfile::TempDir {
        tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_missing_file_is_empty_and_saving_writes_it_once() -> Result<(), IdentityError> {
        let dir = folder();
        let path = dir.path().join("identity.toml");
        let mut file = LockFile::open(&path)?;
        assert!(!file.exists() && file.lock().is_empty());
        let lock = Arc::new(sample());
        assert_eq!(
            file.save(&lock)?,
            Saved::Written {
                entries: 4,
                added: 4
            }
        );
        assert_eq!(read(&path)?, Some(sample()));
        assert_eq!(file.save(&lock)?, Saved::Unchanged);
        assert_eq!(file.save(&Arc::new(sample()))?, Saved::Unchanged);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .map(|d| d.filter_map(Result::ok).map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert_eq!(leftovers, ["identity.toml"], "a temporary file was left");
        Ok(())
    }

    #[test]
    fn a_file_changed_by_someone_else_keeps_its_entries() -> Result<(), IdentityError> {
        let dir = folder();
        let path = dir.path().join("identity.toml");
        let mut file = LockFile::open(&path)?;
        file.save(&Arc::new(sample()))?;
        // Someone else adds an entry and changes one.
        let mut theirs = sample();
        theirs.set_path("en/blog/posts/theirs.md", "https://theirs/");
        theirs.set_path("en/blog/posts/are-you-our-next-lead?.md", "https://fixed/");
        std::fs::write(&path, format!("{}\n", theirs.to_toml())).map_err(|cause| {
            IdentityError::Write {
                path: path.clone(),
                cause,
            }
        })?;
        let mut ours = sample();
        ours.set_path("en/blog/posts/ours.md", "https://ours/");
        assert!(matches!(file.save(&Arc::new(ours))?, Saved::Written { .. }));
        let written = read(&path)?.unwrap_or_default();
        assert_eq!(
            written.path("en/blog/posts/theirs.md"),
            Some("https://theirs/")
        );
        assert_eq!(written.path("en/blog/posts/ours.md"), Some("https://ours/"));
        assert_eq!(
            written.path("en/blog/posts/are-you-our-next-lead?.md"),
            Some("https://fixed/")
        );
        Ok(())
    }

    #[test]
    fn a_malformed_file_is_reported_and_never_written_over() -> Result<(), IdentityError> {
        let dir = folder();
        let path = dir.path().join("identity.toml");
        let broken = "version = 1\n[path]\n\"a.md\" = \n";
        std::fs::write(&path, broken).map_err(|cause| IdentityError::Write {
            path: path.clone(),
            cause,
        })?;
        match LockFile::open(&path) {
            Err(e @ IdentityError::Parse { line: 3, .. }) => {
                let message = e.to_string();
                assert!(message.contains("identity.toml:3:"), "{message}");
            }
            other => panic!("{other:?}"),
        }

        // Broken after it was read: refresh says so, save leaves it alone.
        std::fs::remove_file(&path).map_err(|cause| IdentityError::Write {
            path: path.clone(),
            cause,
        })?;
        let mut file = LockFile::open(&path)?;
        file.save(&Arc::new(sample()))?;
        std::fs::write(&path, broken).map_err(|cause| IdentityError::Write {
            path: path.clone(),
            cause,
        })?;
        assert!(file.refresh(false).is_err());
        assert_eq!(
            file.lock().as_ref(),
            &sample(),
            "the last good entries stay"
        );
        let mut more = sample();
        more.set_path("en/blog/posts/new.md", "https://new/");
        assert!(file.save(&Arc::new(more.clone())).is_err());
        assert_eq!(std::fs::read_to_string(&path).ok().as_deref(), Some(broken));

        // Corrected: read again, then written with the new entry.
        std::fs::write(&path, sample().to_toml()).map_err(|cause| IdentityError::Write {
            path: path.clone(),
            cause,
        })?;
        assert!(file.refresh(false)?);
        assert!(matches!(
            file.save(&Arc::new(more))?,
            Saved::Written { added: 1, .. }
        ));
        Ok(())
    }

    #[test]
    fn refresh_rereads_only_a_changed_file() -> Result<(), IdentityError> {
        let dir = folder();
        let path = dir.path().join("identity.toml");
        let mut file = LockFile::open(&path)?;
        assert!(!file.refresh(false)?);
        file.save(&Arc::new(sample()))?;
        assert!(!file.refresh(false)?);
        assert!(file.refresh(true)?);
        let mut edited = sample();
        edited.set_path("en/blog/posts/by-hand.md", "https://by-hand/");
        std::fs::write(&path, edited.to_toml()).map_err(|cause| IdentityError::Write {
            path: path.clone(),
            cause,
        })?;
        assert!(file.refresh(false)?);
        assert_eq!(file.lock().as_ref(), &edited);
        Ok(())
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        fn text() -> impl Strategy<Value = String> {
            // Any characters, control characters and quotes included, now and then.
            prop_oneof![
                "[a-z0-9-]{1,12}".boxed(),
                "\\PC{1,16}".boxed(),
                any::<String>().boxed(),
            ]
            .prop_filter("the file has no empty ids, keys or paths", |s| {
                !s.trim().is_empty()
            })
        }

        fn lock() -> impl Strategy<Value = Lock> {
            let keyed =
                (text(), proptest::option::of(text())).prop_map(|(id, path)| Keyed { id, path });
            (
                proptest::collection::vec(("[a-z]{2}|\\PC{1,4}", text(), keyed), 0..8),
                proptest::collection::vec((text(), text()), 0..8),
            )
                .prop_map(|(keyed, paths)| {
                    let mut lock = Lock::default();
                    for (lang, key, entry) in keyed {
                        if !key.trim().is_empty() {
                            lock.set_translation(&lang, &key, entry);
                        }
                    }
                    for (path, id) in paths {
                        lock.set_path(&path, &id);
                    }
                    lock
                })
        }

        proptest! {
            #[test]
            fn any_lock_reads_back_as_written(lock in lock()) {
                let text = lock.to_toml();
                let back = Lock::from_toml(&text);
                prop_assert_eq!(back.as_ref(), Ok(&lock), "{}", text);
                prop_assert_eq!(back.map(|l| l.to_toml()).ok(), Some(text));
            }

            #[test]
            fn any_text_is_a_lock_or_an_error_with_a_line(text in any::<String>()) {
                if let Err(e) = Lock::from_toml(&text) {
                    prop_assert!(e.line >= 1 && e.line <= text.lines().count().max(1) + 1);
                }
            }

            #[test]
            fn a_lock_file_cut_anywhere_is_never_a_panic(lock in lock(), cut in 0usize..4000) {
                let text = lock.to_toml();
                let mut end = cut.min(text.len());
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                let _ = Lock::from_toml(&text[..end]);
            }
        }
    }
}
