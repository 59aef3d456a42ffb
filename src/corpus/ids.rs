//! Each post's id: the one the identity lock remembers for it, or, for a post the lock does not
//! have yet, its permalink, the id it is first published under.
//!
//! Owns matching posts to lock entries, the entries new posts add, keeping ids unique, and what
//! `syndic check` says about ids. Pure: a lock comes in, and the same lock with what changed
//! goes out (shared, not copied, when nothing did); reading and writing the file is
//! [`crate::identity`]'s, and the lock never loses an entry here.
//!
//! A post is matched, first to last:
//! 1. by its language and `translationKey`: a renamed file keeps its id;
//! 2. by its path, in a path entry or as the path a `translationKey` entry last saw: a
//!    corrected date keeps the id, and so does a `translationKey` added, changed or removed;
//! 3. not at all: it is new, and its id is its permalink.
//!
//! Posts are taken in path order at each step, and an id goes to one post only: a post whose
//! entry's id another post took goes on to the next step, and a new post whose permalink is
//! already another post's id gets `<permalink>#2` (`#3`...), with a warning. A renamed file
//! without a `translationKey` cannot be matched: it is new, and when an entry no post matches
//! any more looks like it (same language, and the same date or the same slug in its id), a
//! warning names both files and how to keep the id.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Diagnostic, Post};
use crate::identity::{Keyed, Lock};

/// What assigning ids gave, besides each post's id.
#[derive(Debug, Clone, Default)]
pub struct Ids {
    /// The lock with an entry for every post: the one passed in when it had them all.
    pub lock: Arc<Lock>,
    /// New posts that look like an entry's post renamed; ids taken twice.
    pub warnings: Vec<Diagnostic>,
    /// Posts whose id is not their permalink any more; posts the lock does not have yet.
    /// Sorted; persistent, so that an update replaces only its posts' notes.
    pub notes: imbl::Vector<Diagnostic>,
    /// Some post did not get its first choice (an entry's id another post took, a permalink
    /// already an id): then every id depends on every other, and only a whole assignment is
    /// sure to be right.
    pub contested: bool,
    /// The paths of the posts that were new to the lock given, and got entries in `lock`:
    /// their notes speak of the lock given (they were not in it yet), and a corpus joined
    /// with `lock` says otherwise.
    pub pending: Vec<String>,
}

/// How a post got its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum How {
    /// Its `translationKey` entry.
    Key,
    /// An entry for its path.
    Path,
    /// None: it is new.
    New,
}

/// Each post's id (posts sorted by path, one permalink each), and the lock with the entries
/// the new posts add.
pub(super) fn assign(posts: &[Arc<Post>], lock: &Arc<Lock>) -> (Vec<String>, Ids) {
    let mut contested = false;
    let mut ids: Vec<Option<String>> = vec![None; posts.len()];
    let mut how = vec![How::New; posts.len()];
    // Id -> the post that has it.
    let mut taken: HashMap<String, usize> = HashMap::with_capacity(posts.len());

    for (index, post) in posts.iter().enumerate() {
        let entry = post
            .translation_key
            .as_deref()
            .and_then(|key| lock.translation(&post.lang, key));
        contested |= entry.is_some_and(|e| taken.contains_key(&e.id));
        if let Some(entry) = entry.filter(|e| !taken.contains_key(&e.id)) {
            taken.insert(entry.id.clone(), index);
            ids[index] = Some(entry.id.clone());
            how[index] = How::Key;
        }
    }
    // Where each `translationKey` entry last saw its post (the first entry wins a path): made
    // when a post first needs it, which most joins never do.
    let mut seen_at: Option<HashMap<&str, &str>> = None;
    for (index, post) in posts.iter().enumerate() {
        if ids[index].is_some() {
            continue;
        }
        let id = lock.path(&post.path).or_else(|| {
            seen_at
                .get_or_insert_with(|| {
                    let mut seen = HashMap::new();
                    for (_, _, entry) in lock.translations() {
                        if let Some(path) = &entry.path {
                            seen.entry(path.as_str()).or_insert(entry.id.as_str());
                        }
                    }
                    seen
                })
                .get(post.path.as_str())
                .copied()
        });
        contested |= id.is_some_and(|id| taken.contains_key(id));
        if let Some(id) = id.filter(|id| !taken.contains_key(*id)) {
            taken.insert(id.to_string(), index);
            ids[index] = Some(id.to_string());
            how[index] = How::Path;
        }
    }
    let mut warnings = Vec::new();
    for (index, post) in posts.iter().enumerate() {
        if ids[index].is_some() {
            continue;
        }
        let id = match taken.get(&post.permalink) {
            None => post.permalink.clone(),
            Some(&other) => {
                contested = true;
                let id = (2..)
                    .map(|n| format!("{}#{n}", post.permalink))
                    .find(|id| !taken.contains_key(id) && !lock_has_id(lock, id))
                    .unwrap_or_default();
                warnings.push(Diagnostic {
                    path: post.path.clone(),
                    line: None,
                    message: format!(
                        "its permalink {} is already the id of {}: it gets the id {id}",
                        post.permalink, posts[other].path
                    ),
                });
                id
            }
        };
        taken.insert(id.clone(), index);
        ids[index] = Some(id);
    }
    let ids: Vec<String> = ids.into_iter().map(Option::unwrap_or_default).collect();

    let lock_out = record(posts, &ids, &how, lock);
    let mut notes = Vec::new();
    for (index, post) in posts.iter().enumerate() {
        let id = &ids[index];
        if how[index] == How::New {
            notes.extend(unlisted(post, id, lock));
        } else {
            notes.extend(moved(post, id));
        }
    }
    if how.contains(&How::New) && !lock.is_empty() {
        warnings.extend(look_alikes(posts, &ids, &how, lock, &|id| {
            taken.contains_key(id)
        }));
    }
    notes.sort();
    let pending = new_paths(posts, &how);
    (
        ids,
        Ids {
            lock: lock_out,
            warnings,
            notes: notes.into_iter().collect(),
            contested,
            pending,
        },
    )
}

/// What an update knows of the corpus around the posts it joins again.
pub(super) struct Around<'a> {
    /// The paths joined again (their posts, changed or gone, and the others touched).
    pub touched: &'a std::collections::BTreeSet<String>,
    /// Which path held an id before the update.
    pub owner: &'a dyn Fn(&str) -> Option<String>,
    /// The post published at a path before the update.
    pub published: &'a dyn Fn(&str) -> Option<Arc<Post>>,
}

/// The ids of `posts` (sorted by path), the winners among the touched paths of a corpus whose
/// ids `previous` gave, as [`assign`] would give them for the whole corpus, with the lock,
/// notes and warnings brought up to date; or `None` where only a whole assignment can tell.
///
/// Without contests, [`assign`] gives each post its first choice: its `translationKey` entry,
/// else its path's entry, else (a new post) its permalink. So a post is settled alone when no
/// other post holds that id and `previous` had no contest (no post waiting for an id to come
/// free) nor warning. A post matched only through where a `translationKey` entry last saw it,
/// or two posts wanting the same id, take the whole way. The posts `previous` found new are
/// checked against the entries they were given, and lose their "not in the identity file
/// yet" notes.
pub(super) fn assign_some(
    posts: &[Arc<Post>],
    lock: &Arc<Lock>,
    previous: &Ids,
    around: &Around<'_>,
) -> Option<(Vec<String>, Ids)> {
    if previous.contested || !previous.warnings.is_empty() || !Arc::ptr_eq(lock, &previous.lock) {
        return None;
    }
    let mut notes = previous.notes.clone();
    for path in previous
        .pending
        .iter()
        .filter(|p| !around.touched.contains(*p))
    {
        let Some(post) = (around.published)(path) else {
            continue;
        };
        let keyed = post
            .translation_key
            .as_deref()
            .and_then(|key| lock.translation(&post.lang, key))
            .map(|e| e.id.as_str());
        if keyed.or_else(|| lock.path(path)) != Some(post.id.as_str()) {
            return None;
        }
        super::replace_diagnostics(
            &mut notes,
            path,
            moved(&post, &post.id).into_iter().collect(),
        );
    }
    let mut ids: Vec<String> = Vec::with_capacity(posts.len());
    let mut how = Vec::with_capacity(posts.len());
    for post in posts {
        let keyed = post
            .translation_key
            .as_deref()
            .and_then(|key| lock.translation(&post.lang, key));
        let (id, by) = match (keyed, lock.path(&post.path)) {
            (Some(entry), _) => (entry.id.clone(), How::Key),
            (None, Some(id)) => (id.to_string(), How::Path),
            (None, None) => (post.permalink.clone(), How::New),
        };
        if (around.owner)(&id).is_some_and(|path| path != post.path) || ids.contains(&id) {
            return None;
        }
        ids.push(id);
        how.push(by);
    }
    let mut warnings = Vec::new();
    if how.contains(&How::New) {
        // A new post may yet be matched by where a `translationKey` entry last saw it.
        let seen = |path: &str| {
            lock.translations()
                .any(|(_, _, entry)| entry.path.as_deref() == Some(path))
        };
        if posts
            .iter()
            .zip(&how)
            .any(|(p, h)| *h == How::New && seen(&p.path))
        {
            return None;
        }
        if !lock.is_empty() {
            // Ids the corpus holds after the update.
            let taken = |id: &str| {
                ids.iter().any(|mine| mine == id)
                    || (around.owner)(id).is_some_and(|path| !around.touched.contains(&path))
            };
            warnings = look_alikes(posts, &ids, &how, lock, &taken);
            warnings.sort();
        }
    }
    let lock_out = record(posts, &ids, &how, lock);
    for ((post, id), how) in posts.iter().zip(&ids).zip(&how) {
        let mine = match how {
            How::New => unlisted(post, id, lock),
            _ => moved(post, id),
        };
        super::replace_diagnostics(&mut notes, &post.path, mine.into_iter().collect());
    }
    let pending = new_paths(posts, &how);
    Some((
        ids,
        Ids {
            lock: lock_out,
            warnings,
            notes,
            contested: false,
            pending,
        },
    ))
}

/// The note for a post the lock does not have yet; none while the lock is empty (every post is
/// new then: `check` says so once).
fn unlisted(post: &Post, id: &str, lock: &Lock) -> Option<Diagnostic> {
    (!lock.is_empty()).then(|| Diagnostic {
        path: post.path.clone(),
        line: None,
        message: format!(
            "not in the identity file yet: the next `syndic build` or `syndic serve` adds it, \
             with the id {id}"
        ),
    })
}

/// The paths of the posts that got no entry's id.
fn new_paths(posts: &[Arc<Post>], how: &[How]) -> Vec<String> {
    posts
        .iter()
        .zip(how)
        .filter(|(_, how)| **how == How::New)
        .map(|(post, _)| post.path.clone())
        .collect()
}

/// The note for a post whose id is no longer its permalink.
fn moved(post: &Post, id: &str) -> Option<Diagnostic> {
    (id != post.permalink).then(|| Diagnostic {
        path: post.path.clone(),
        line: None,
        message: format!(
            "first published as {id}: its items keep that id (from the identity file), and \
             link to its permalink, now {}",
            post.permalink
        ),
    })
}

fn lock_has_id(lock: &Lock, id: &str) -> bool {
    lock.paths().any(|(_, i)| i == id) || lock.translations().any(|(_, _, e)| e.id == id)
}

/// The lock with what the posts add: an entry under its own key for each post that has none
/// (its `translationKey` when no entry has it, else its path), and the path a
/// `translationKey` entry saw its post at, when the file moved. Copied only if that changes
/// anything.
fn record(posts: &[Arc<Post>], ids: &[String], how: &[How], lock: &Arc<Lock>) -> Arc<Lock> {
    let mut out = Arc::clone(lock);
    for ((post, id), how) in posts.iter().zip(ids).zip(how) {
        let key = post.translation_key.as_deref();
        let keyed = key.and_then(|key| lock.translation(&post.lang, key));
        match (how, key, keyed) {
            (How::Key, Some(key), Some(entry)) => {
                if entry.path.as_deref() != Some(post.path.as_str()) {
                    Arc::make_mut(&mut out).set_translation(
                        &post.lang,
                        key,
                        Keyed {
                            id: entry.id.clone(),
                            path: Some(post.path.clone()),
                        },
                    );
                }
            }
            (_, Some(key), None) => {
                Arc::make_mut(&mut out).set_translation(
                    &post.lang,
                    key,
                    Keyed {
                        id: id.clone(),
                        path: Some(post.path.clone()),
                    },
                );
            }
            _ => {
                if lock.path(&post.path).is_none() {
                    Arc::make_mut(&mut out).set_path(&post.path, id);
                }
            }
        }
    }
    out
}

/// An entry of the lock, to name it.
enum Entry<'a> {
    Keyed {
        lang: &'a str,
        key: &'a str,
        entry: &'a Keyed,
    },
    Path {
        path: &'a str,
        id: &'a str,
    },
}

impl Entry<'_> {
    fn id(&self) -> &str {
        match self {
            Entry::Keyed { entry, .. } => &entry.id,
            Entry::Path { id, .. } => id,
        }
    }

    fn lang(&self) -> &str {
        match self {
            Entry::Keyed { lang, .. } => lang,
            Entry::Path { path, .. } => path.split('/').next().unwrap_or_default(),
        }
    }
}

/// An id or permalink as its origin (`https://host`) and path segments.
fn parts(url: &str) -> Option<(&str, Vec<&str>)> {
    let scheme = url.find("://")? + 3;
    let path_at = url[scheme..].find('/').map_or(url.len(), |i| scheme + i);
    let path = url[path_at..].split(['?', '#']).next().unwrap_or_default();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    (!segments.is_empty()).then_some((&url[..path_at], segments))
}

/// Warnings for new posts that look like the post of an entry no post matches any more: same
/// language and origin, and the same last segment (the slug) or the same segments before it
/// (the date), in the entry's id and the post's permalink. At most three per post.
fn look_alikes(
    posts: &[Arc<Post>],
    ids: &[String],
    how: &[How],
    lock: &Lock,
    taken: &dyn Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let entries = lock
        .translations()
        .map(|(lang, key, entry)| Entry::Keyed { lang, key, entry })
        .chain(lock.paths().map(|(path, id)| Entry::Path { path, id }))
        .filter(|e| !taken(e.id()));
    // (language, origin, slug) and (language, origin, the segments before the slug) -> entries.
    let mut by_slug: HashMap<(&str, &str, &str), Vec<usize>> = HashMap::new();
    let mut by_rest: HashMap<(&str, &str, String), Vec<usize>> = HashMap::new();
    let entries: Vec<Entry<'_>> = entries.collect();
    for (index, entry) in entries.iter().enumerate() {
        let Some((origin, segments)) = parts(entry.id()) else {
            continue;
        };
        let (slug, rest) = segments.split_last().unwrap_or((&"", &[]));
        by_slug
            .entry((entry.lang(), origin, slug))
            .or_default()
            .push(index);
        if !rest.is_empty() {
            by_rest
                .entry((entry.lang(), origin, rest.join("/")))
                .or_default()
                .push(index);
        }
    }
    let mut warnings = Vec::new();
    for (index, post) in posts.iter().enumerate() {
        if how[index] != How::New {
            continue;
        }
        let Some((origin, segments)) = parts(&post.permalink) else {
            continue;
        };
        let (slug, rest) = segments.split_last().unwrap_or((&"", &[]));
        let mut candidates: Vec<usize> = by_slug
            .get(&(post.lang.as_str(), origin, *slug))
            .into_iter()
            .flatten()
            .copied()
            .collect();
        if !rest.is_empty() {
            if let Some(more) = by_rest.get(&(post.lang.as_str(), origin, rest.join("/"))) {
                candidates.extend(more);
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        for candidate in candidates.into_iter().take(3) {
            warnings.push(Diagnostic {
                path: post.path.clone(),
                line: None,
                message: look_alike(post, &ids[index], &entries[candidate]),
            });
        }
    }
    warnings
}

/// What to say about a new post that may be `entry`'s post, renamed.
fn look_alike(post: &Post, id: &str, entry: &Entry<'_>) -> String {
    let (which, fix) = match entry {
        Entry::Path { path, id: old } => (
            format!("{path} (id {old})"),
            format!(
                "If this post is {path} renamed, keep its id: in the identity file, under \
                 [path], rename the key \"{path}\" to \"{}\" before the next build or serve \
                 (after one, also delete the entry it gave this post){}",
                post.path,
                if post.translation_key.is_none() {
                    ". With a translationKey, a post keeps its id when its file is renamed"
                } else {
                    ""
                }
            ),
        ),
        Entry::Keyed { lang, key, entry } => {
            let seen = entry
                .path
                .as_deref()
                .map(|p| format!(", last seen at {p}"))
                .unwrap_or_default();
            let fix = match &post.translation_key {
                None => format!("give it `translationKey: {key}`"),
                Some(now) => format!(
                    "set its translationKey back to `{key}`, or in the identity file, under \
                     [translationKey.{lang}], rename the key `{key}` to `{now}`"
                ),
            };
            (
                format!("translationKey `{key}` ({lang}{seen}; id {})", entry.id),
                format!("If this post is that one, keep its id: {fix}"),
            )
        }
    };
    format!(
        "not in the identity file, and the entry for {which} matches no post any more. {fix}. \
         Left as it is, this post is published as a new one (id {id}): readers that already \
         have it will show it twice"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::corpus::post::{Location, parse_post};

    fn config() -> Config {
        let text = "[languages.en]\nbase_url = \"https://digital.example.ca/\"\n\
                    [languages.fr]\nbase_url = \"https://numerique.example.ca/\"\n";
        Config::from_toml(std::path::Path::new("config.toml"), text)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// A post at `path` (`en/blog/posts/<name>.md`) dated `date`, with `key` as its
    /// translationKey.
    fn post(path: &str, date: &str, key: Option<&str>) -> Arc<Post> {
        let config = config();
        let lang = path.split('/').next().unwrap_or("en");
        let lang = config
            .language(lang)
            .cloned()
            .unwrap_or_else(|| panic!("{lang}"));
        let key = key
            .map(|k| format!("translationKey: {k}\n"))
            .unwrap_or_default();
        let text = format!("---\ntitle: T\nauthor: Ann Lee\ndate: {date}\n{key}---\nBody.\n");
        let location = Location {
            path,
            lang: &lang,
            section: "blog",
        };
        match parse_post(&config, &location, text.into_bytes()) {
            Ok((post, _)) => Arc::new(post),
            Err(e) => panic!("{e}"),
        }
    }

    fn run(posts: &[Arc<Post>], lock: &Lock) -> (Vec<String>, Ids) {
        let mut posts = posts.to_vec();
        posts.sort_by(|a, b| a.path.cmp(&b.path));
        assign(&posts, &Arc::new(lock.clone()))
    }

    const EN: &str = "https://digital.example.ca";

    #[test]
    fn new_posts_get_their_permalink_under_their_own_key() {
        let posts = [
            post("en/blog/posts/a.md", "2024-01-15", Some("a")),
            post("fr/blog/posts/a.md", "2024-01-16", Some("a")),
            post("en/blog/posts/b.md", "2024-02-01", None),
        ];
        let (ids, out) = run(&posts, &Lock::default());
        assert_eq!(
            ids,
            [
                format!("{EN}/2024/01/15/a/"),
                format!("{EN}/2024/02/01/b/"),
                "https://numerique.example.ca/2024/01/16/a/".to_string(),
            ]
        );
        let lock = &out.lock;
        assert_eq!(lock.len(), 3);
        assert_eq!(
            lock.translation("en", "a"),
            Some(&Keyed {
                id: format!("{EN}/2024/01/15/a/"),
                path: Some("en/blog/posts/a.md".into())
            })
        );
        assert!(
            lock.translation("fr", "a").is_some(),
            "translations share a key"
        );
        assert_eq!(
            lock.path("en/blog/posts/b.md"),
            Some(format!("{EN}/2024/02/01/b/").as_str())
        );
        assert!(out.warnings.is_empty() && out.notes.is_empty(), "{out:?}");
    }

    /// The lock a first load of `posts` writes.
    fn locked(posts: &[Arc<Post>]) -> Lock {
        Lock::clone(&run(posts, &Lock::default()).1.lock)
    }

    #[test]
    fn a_corrected_date_keeps_the_id_with_or_without_a_key() {
        let lock = locked(&[
            post("en/blog/posts/a.md", "2024-01-15", Some("a")),
            post("en/blog/posts/b.md", "2024-02-01", None),
        ]);
        let (ids, out) = run(
            &[
                post("en/blog/posts/a.md", "2024-01-16", Some("a")),
                post("en/blog/posts/b.md", "2024-02-02", None),
            ],
            &lock,
        );
        assert_eq!(
            ids,
            [format!("{EN}/2024/01/15/a/"), format!("{EN}/2024/02/01/b/")]
        );
        assert_eq!(*out.lock, lock, "nothing to add");
        assert_eq!(out.notes.len(), 2);
        assert!(
            out.notes[0].message.contains("first published as")
                && out.notes[0].message.contains("/2024/01/16/a/"),
            "{:?}",
            out.notes
        );
        assert!(out.warnings.is_empty());
    }

    #[test]
    fn a_renamed_file_with_a_key_keeps_its_id_and_the_entry_follows_it() {
        let lock = locked(&[post("en/blog/posts/a.md", "2024-01-15", Some("a"))]);
        let (ids, out) = run(
            &[post("en/blog/posts/renamed.md", "2024-01-15", Some("a"))],
            &lock,
        );
        assert_eq!(ids, [format!("{EN}/2024/01/15/a/")]);
        assert_eq!(
            out.lock
                .translation("en", "a")
                .and_then(|e| e.path.as_deref()),
            Some("en/blog/posts/renamed.md")
        );
        assert_eq!(out.lock.len(), 1);
    }

    #[test]
    fn a_key_added_changed_or_removed_keeps_the_id_by_path() {
        let lock = locked(&[
            post("en/blog/posts/a.md", "2024-01-15", None),
            post("en/blog/posts/b.md", "2024-01-16", Some("b")),
            post("en/blog/posts/c.md", "2024-01-17", Some("c")),
        ]);
        let (ids, out) = run(
            &[
                post("en/blog/posts/a.md", "2024-03-15", Some("a")),
                post("en/blog/posts/b.md", "2024-03-16", Some("b2")),
                post("en/blog/posts/c.md", "2024-03-17", None),
            ],
            &lock,
        );
        assert_eq!(
            ids,
            [
                format!("{EN}/2024/01/15/a/"),
                format!("{EN}/2024/01/16/b/"),
                format!("{EN}/2024/01/17/c/")
            ]
        );
        // Each post now also has an entry under its current key; none was dropped.
        let lock = &out.lock;
        assert_eq!(
            lock.translation("en", "a").map(|e| e.id.as_str()),
            Some(ids[0].as_str())
        );
        assert_eq!(
            lock.translation("en", "b2").map(|e| e.id.as_str()),
            Some(ids[1].as_str())
        );
        assert!(lock.translation("en", "b").is_some());
        assert_eq!(lock.path("en/blog/posts/c.md"), Some(ids[2].as_str()));
        assert!(lock.path("en/blog/posts/a.md").is_some());
        assert_eq!(lock.len(), 6);
    }

    #[test]
    fn entries_are_never_dropped_and_a_post_back_gets_its_id_back() {
        let first = [
            post("en/blog/posts/a.md", "2024-01-15", Some("a")),
            post("en/blog/posts/b.md", "2024-01-16", None),
        ];
        let lock = locked(&first);
        let (_, out) = run(&[], &lock);
        assert_eq!(*out.lock, lock);
        let (ids, _) = run(
            &[
                post("en/blog/posts/a.md", "2025-01-15", Some("a")),
                post("en/blog/posts/b.md", "2025-01-16", None),
            ],
            &out.lock,
        );
        assert_eq!(
            ids,
            [format!("{EN}/2024/01/15/a/"), format!("{EN}/2024/01/16/b/")]
        );
    }

    #[test]
    fn a_lock_that_has_every_post_is_shared_not_copied() {
        let posts = [post("en/blog/posts/a.md", "2024-01-15", Some("a"))];
        let lock = Arc::new(locked(&posts));
        let (_, out) = assign(&posts, &lock);
        assert!(Arc::ptr_eq(&out.lock, &lock));
    }

    #[test]
    fn ids_stay_unique() {
        // a.md was dated the 15th, then corrected to the 16th: it keeps the 15th's id. A new
        // post is then written with the name and date a.md first had.
        let lock = locked(&[post("en/blog/posts/a.md", "2024-01-15", None)]);
        let (ids, out) = run(
            &[
                post("en/blog/posts/a.md", "2024-01-16", None),
                post("en/blog/posts/x/a.md", "2024-01-15", None),
            ],
            &lock,
        );
        assert_eq!(
            ids,
            [
                format!("{EN}/2024/01/15/a/"),
                format!("{EN}/2024/01/15/a/#2")
            ]
        );
        assert!(
            out.warnings.iter().any(|w| w.path == "en/blog/posts/x/a.md"
                && w.message.contains("already the id of en/blog/posts/a.md")),
            "{:?}",
            out.warnings
        );

        // Two posts of one language with one key: the first path keeps the entry.
        let lock = locked(&[post("en/blog/posts/a.md", "2024-01-15", Some("k"))]);
        let (ids, out) = run(
            &[
                post("en/blog/posts/a.md", "2024-01-15", Some("k")),
                post("en/blog/posts/b.md", "2024-01-20", Some("k")),
            ],
            &lock,
        );
        assert_eq!(
            ids,
            [format!("{EN}/2024/01/15/a/"), format!("{EN}/2024/01/20/b/")]
        );
        assert_eq!(
            out.lock.path("en/blog/posts/b.md"),
            Some(ids[1].as_str()),
            "the second is kept by its path"
        );
    }

    #[test]
    fn a_renamed_file_without_a_key_is_new_and_named_in_a_warning() {
        let lock = locked(&[
            post("en/blog/posts/old-name.md", "2024-01-15", None),
            post("en/blog/posts/other.md", "2023-05-05", None),
        ]);
        let (ids, out) = run(
            &[
                post("en/blog/posts/new-name.md", "2024-01-15", None),
                post("en/blog/posts/other.md", "2023-05-05", None),
            ],
            &lock,
        );
        assert_eq!(ids[0], format!("{EN}/2024/01/15/new-name/"));
        assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
        let warning = &out.warnings[0];
        assert_eq!(warning.path, "en/blog/posts/new-name.md");
        for part in [
            "en/blog/posts/old-name.md",
            "/2024/01/15/old-name/",
            "\"en/blog/posts/new-name.md\"",
            "under [path]",
            "translationKey",
        ] {
            assert!(warning.message.contains(part), "{part}: {warning}");
        }
        assert!(
            out.notes
                .iter()
                .any(|n| n.path == "en/blog/posts/new-name.md"
                    && n.message.contains("not in the identity file yet"))
        );

        // The same slug on another day looks like it too; another language does not.
        let (_, out) = run(
            &[
                post("en/blog/posts/2024-02-01-old-name.md", "2024-02-01", None),
                post("fr/blog/posts/new-name.md", "2024-01-15", None),
            ],
            &lock,
        );
        let paths: Vec<&str> = out.warnings.iter().map(|w| w.path.as_str()).collect();
        assert_eq!(paths, ["en/blog/posts/2024-02-01-old-name.md"]);
    }

    #[test]
    fn a_key_that_changed_with_the_file_name_is_named_with_the_key_to_restore() {
        let lock = locked(&[post("en/blog/posts/a.md", "2024-01-15", Some("old-key"))]);
        let (_, out) = run(
            &[post("en/blog/posts/b.md", "2024-01-15", Some("new-key"))],
            &lock,
        );
        assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
        let message = &out.warnings[0].message;
        assert!(
            message.contains("`old-key`")
                && message.contains("last seen at en/blog/posts/a.md")
                && message.contains("[translationKey.en]"),
            "{message}"
        );
    }

    #[test]
    fn urls_split_into_origin_and_segments() {
        assert_eq!(
            parts("https://a.example/2024/01/15/x/"),
            Some(("https://a.example", vec!["2024", "01", "15", "x"]))
        );
        assert_eq!(
            parts("https://a.example/x/#2"),
            Some(("https://a.example", vec!["x"]))
        );
        assert_eq!(parts("https://a.example"), None);
        assert_eq!(parts("urn:x"), None);
    }
}
