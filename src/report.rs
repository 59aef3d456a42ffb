//! What the `check`, `posts` and `authors` commands print: JSON for programs, text for people.
//! Pure: corpus in, string out.

use chrono::SecondsFormat;
use serde::Serialize;
use serde_json::json;

use crate::corpus::{Author, Corpus, Diagnostic, Person, Post, Term};
use crate::identity::LockFile;

/// What `check` says about the identity file as a whole (each post's notes and warnings are
/// the corpus's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdentityStatus {
    /// The file, as configured.
    pub file: String,
    /// Whether it exists.
    pub exists: bool,
    /// The entries it has.
    pub entries: usize,
    /// The entries the next `build` or `serve` adds: one for each post it does not have yet.
    pub new: usize,
}

impl IdentityStatus {
    /// The file as read, against the lock the corpus was joined with.
    pub fn of(file: &LockFile, corpus: &Corpus) -> IdentityStatus {
        let entries = file.lock().len();
        IdentityStatus {
            file: file.path().display().to_string(),
            exists: file.exists(),
            entries,
            new: corpus.ids.lock.len().saturating_sub(entries),
        }
    }
}

/// The loader's warnings and the ids' together, sorted by file.
fn warnings(corpus: &Corpus) -> Vec<&Diagnostic> {
    let mut all: Vec<&Diagnostic> = corpus.warnings.iter().chain(&corpus.ids.warnings).collect();
    all.sort();
    all
}

/// `syndic check --format json`.
pub fn check_json(corpus: &Corpus, identity: &IdentityStatus) -> String {
    let value = json!({
        "posts": corpus.posts.len(),
        "errors": corpus.errors.iter().map(diagnostic_json).collect::<Vec<_>>(),
        "warnings": warnings(corpus).into_iter().map(diagnostic_json).collect::<Vec<_>>(),
        "notes": corpus.ids.notes.iter().map(diagnostic_json).collect::<Vec<_>>(),
        "identity": identity,
    });
    pretty(&value)
}

fn diagnostic_json(d: &Diagnostic) -> serde_json::Value {
    json!({ "path": d.path, "line": d.line, "message": d.message })
}

/// `syndic check` for people.
pub fn check_text(corpus: &Corpus, identity: &IdentityStatus) -> String {
    let mut out = String::new();
    for d in &corpus.errors {
        out.push_str(&format!("error: {d}\n"));
    }
    let warnings = warnings(corpus);
    for d in &warnings {
        out.push_str(&format!("warning: {d}\n"));
    }
    for d in &corpus.ids.notes {
        out.push_str(&format!("note: {d}\n"));
    }
    let writes = "the next `syndic build` or `syndic serve` writes";
    out.push_str(&match (identity.exists, identity.new) {
        (false, new) => format!(
            "identity file {} does not exist yet: {writes} it, with {new} entries\n",
            identity.file
        ),
        (true, 0) => format!(
            "identity file {}: {} entries, every post has one\n",
            identity.file, identity.entries
        ),
        (true, new) => format!(
            "identity file {}: {} entries; {writes} {new} more, for the posts not in it yet\n",
            identity.file, identity.entries
        ),
    });
    out.push_str(&format!(
        "{} posts loaded, {} errors, {} warnings, {} notes\n",
        corpus.posts.len(),
        corpus.errors.len(),
        warnings.len(),
        corpus.ids.notes.len()
    ));
    out
}

#[derive(Serialize)]
struct PostJson<'a> {
    path: &'a str,
    lang: &'a str,
    title: &'a str,
    date: String,
    /// `updated`, `lastmod` or `last_modified_at`, in the same form; absent when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    updated: Option<String>,
    permalink: &'a str,
    id: &'a str,
    byline: &'a str,
    authors: &'a [Person],
    translation_key: Option<&'a str>,
    translations: &'a std::collections::BTreeMap<String, String>,
    summary: &'a str,
    tags: &'a [Term],
    categories: &'a [Term],
}

/// A date in RFC 3339, in the post's own offset.
pub fn rfc3339(post: &Post) -> String {
    post.date.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

/// `syndic posts --format json`.
pub fn posts_json(corpus: &Corpus) -> String {
    let posts: Vec<PostJson<'_>> = corpus
        .posts
        .iter()
        .map(|p| PostJson {
            path: &p.path,
            lang: &p.lang,
            title: &p.title,
            date: rfc3339(p),
            updated: p
                .updated
                .map(|u| u.to_rfc3339_opts(SecondsFormat::AutoSi, false)),
            permalink: &p.permalink,
            id: &p.id,
            byline: &p.byline,
            authors: &p.authors,
            translation_key: p.translation_key.as_deref(),
            translations: &p.translations,
            summary: &p.summary,
            tags: &p.tags,
            categories: &p.categories,
        })
        .collect();
    pretty(&posts)
}

/// `syndic posts` for people: one line a post.
pub fn posts_text(corpus: &Corpus) -> String {
    corpus
        .posts
        .iter()
        .map(|p| {
            let people: Vec<&str> = p.authors.iter().map(|a| a.slug.as_str()).collect();
            format!(
                "{}  {}  {}  [{}]\n",
                p.date.format("%Y-%m-%d"),
                p.lang,
                p.permalink,
                people.join(", ")
            )
        })
        .collect()
}

/// `syndic authors --format json`.
pub fn authors_json(authors: &[Author]) -> String {
    pretty(&authors)
}

/// `syndic authors` for people.
pub fn authors_text(authors: &[Author]) -> String {
    authors
        .iter()
        .map(|a| {
            format!(
                "{:<32} {:<32} {:>4} posts  {}\n",
                a.slug,
                a.name,
                a.posts,
                a.langs.join(",")
            )
        })
        .collect()
}

fn pretty<T: Serialize>(value: &T) -> String {
    let mut text =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
