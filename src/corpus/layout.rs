//! A site generator's layout (`[posts]`): which files under `content_dir` are posts, their
//! language and section, and which of them the generator leaves unpublished.
//!
//! Owns: matching paths against the configured glob patterns, the language from a folder, a
//! file-name suffix or the site, the section, and the draft and future rules of each generator.
//! Must not: read a post's contents (the front matter's `lang:` is [`super::rules`]'s).

use std::path::Path;

use serde_norway::Value;

use super::{Diagnostic, Found, is_post_file_name, post};
use crate::config::{Config, Generator, LangFrom, Layout};

/// Lists the files under `content_dir` that `layout`'s patterns name, sorted by path, with the
/// URLs the file of people gives that are left out among the warnings. Hidden
/// folders are not entered; links to folders outside `content_dir` are warned about and left
/// alone unless `follow_links_out` is set.
pub fn find(config: &Config, layout: &Layout) -> (Vec<Found>, Vec<Diagnostic>) {
    let root = &config.content_dir;
    let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
    let mut found = Vec::new();
    let mut warnings = Vec::new();
    let mut walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                warnings.push(super::skipped(root, &e));
                continue;
            }
        };
        let outside = || entry.path_is_symlink() && !super::inside(&canonical_root, entry.path());
        if entry.file_type().is_dir() {
            if !layout.follow_links_out && outside() {
                warnings.push(Diagnostic {
                    path: post::relative_path(root, entry.path()),
                    line: None,
                    message: "skipped: a link to a folder outside content_dir \
                              (`[posts] follow_links_out = true` follows it)"
                        .into(),
                });
                walker.skip_current_dir();
            }
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        if !layout.follow_links_out && outside() {
            continue;
        }
        if let Some(file) = found_at(config, layout, entry.path()) {
            found.push(file);
        }
    }
    found.sort();
    warnings.extend(people_warnings(config, layout));
    (found, warnings)
}

/// The URLs the file of people gives that are left out, one warning each, its path relative
/// to the configuration's folder (where `[posts] people` names it from).
fn people_warnings<'a>(
    config: &'a Config,
    layout: &'a Layout,
) -> impl Iterator<Item = Diagnostic> + 'a {
    let folder = config.path.parent().unwrap_or(Path::new(""));
    layout.people_ignored.iter().map(move |ignored| Diagnostic {
        path: post::relative_path(folder, &ignored.path),
        line: ignored.line,
        message: ignored.message.clone(),
    })
}

/// The post file at `path` (absolute), if `layout` makes it one.
pub fn found_at(config: &Config, layout: &Layout, path: &Path) -> Option<Found> {
    let rel = post::relative_path(&config.content_dir, path);
    let parts: Vec<&str> = rel.split('/').collect();
    let name = parts.last()?;
    if parts.iter().any(|p| p.starts_with('.'))
        || !is_post_file_name(name)
        || !layout.globs.is_match(&rel)
    {
        return None;
    }
    let (lang, under) = match layout.lang_from {
        LangFrom::Folder => {
            let code = parts.first()?;
            config.language(code)?;
            (code.to_string(), &parts[1..])
        }
        LangFrom::Suffix => (
            suffix_lang(config, name)
                .unwrap_or(&layout.lang)
                .to_string(),
            &parts[..],
        ),
        LangFrom::FrontMatter | LangFrom::Site => (layout.lang.clone(), &parts[..]),
    };
    let section = if under.len() > 1 { under[0] } else { "" };
    Some(Found {
        absolute: path.to_path_buf(),
        lang,
        section: section.to_string(),
        path: rel,
    })
}

/// The configured language a file name's suffix names (`welcome.fr.md`), if it names one.
pub fn suffix_lang<'c>(config: &'c Config, name: &str) -> Option<&'c str> {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let (_, code) = stem.rsplit_once('.')?;
    config.language(code).map(|l| l.code.as_str())
}

/// The names of `path` under `content_dir`, folder by folder (none for `content_dir`
/// itself); `None` outside it, or under a dot-file or dot-folder, which never hold a post.
pub fn visible_parts(config: &Config, path: &Path) -> Option<Vec<String>> {
    let rel = path.strip_prefix(&config.content_dir).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect();
    (!parts.iter().any(|p| p.starts_with('.'))).then_some(parts)
}

/// Whether a change at `path` can concern a post of `layout`: a post file, or what may be a
/// folder on the way to one.
pub fn is_relevant(config: &Config, layout: &Layout, path: &Path) -> bool {
    let Some(parts) = visible_parts(config, path) else {
        return false;
    };
    let Some(name) = parts.last() else {
        return true;
    };
    !name.contains('.') || found_at(config, layout, path).is_some()
}

/// Why the generator leaves `post` out, if it does: Hugo's `draft: true`, Jekyll's
/// `published: false`, a date after `now` (both), Eleventy's `permalink: false` (always, since
/// it writes no page). `[posts] unpublished = true` publishes drafts and future posts.
pub fn unpublished(
    layout: &Layout,
    post: &post::Post,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<&'static str> {
    let flag = |key: &str| match post.extra.get(key) {
        Some(Value::Bool(b)) => Some(*b),
        Some(Value::String(s)) => match s.trim() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        _ => None,
    };
    match layout.generator {
        Generator::Eleventy => (flag("permalink") == Some(false)).then_some("permalink: false"),
        Generator::Hugo | Generator::Jekyll if layout.unpublished => None,
        Generator::Hugo if flag("draft") == Some(true) => Some("draft: true"),
        Generator::Jekyll if flag("published") == Some(false) => Some("published: false"),
        Generator::Hugo | Generator::Jekyll => (post.date > now).then_some("dated in the future"),
    }
}
