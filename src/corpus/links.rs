//! Links between posts: the names a post is known by to its generator's link tags
//! (`post_url`, `link`, `ref`, `relref`: [`super::templates::LinkTag`]), and the names a tag
//! looks up, in the order its generator tries them.
//!
//! Owns each generator's lookup rule, as Jekyll 4.3 and Hugo 0.111 apply it:
//! - Jekyll `post_url`: the file's name without extension, a folder above `_posts/` or below it
//!   in front (`notes/2024-04-10-a`, `sub/2024-02-02-b`), the date as written in the file name
//!   (`2024-3-7-a`); failing that, the day of the post's date and its slug (`slug:`, or the
//!   file name's), as Jekyll's older matching does. The first post that has the name.
//! - Jekyll `link`: the file's path from the site's folder (`_posts/2024-01-02-a.md`).
//! - Hugo `ref` and `relref`, in the tag's `lang` (the post's own by default), case folded: the
//!   path from the post's folder, then from the content folder (with or without extension,
//!   language suffix or a bundle's `/index`), then, for a name with no `/`, the file's base name
//!   or the bundle's folder name, which one post only may have.
//!
//! Pure: the corpus indexes the names of its published posts and answers the lookups
//! ([`super`]'s join). Must not: find a post by a name its generator would not find it by.

use chrono::NaiveDate;

use super::templates::{LinkKind, LinkTag};
use crate::config::Syntax;

/// How a lookup chooses among the posts that have its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// The first, by path: Jekyll takes the first post that matches.
    First,
    /// One post only: Hugo refuses a name that several pages have.
    Only,
}

/// A name to look up in the corpus, and how to choose among the posts that have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    pub key: String,
    pub pick: Pick,
}

/// What a post's names are made of.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    pub syntax: Syntax,
    /// Relative to `content_dir`, `/`-separated: Jekyll's path from the site's folder.
    pub path: &'a str,
    pub lang: &'a str,
    /// Hugo's path of the post in its language's content, without the language suffix, the
    /// extension or a bundle's `index` (`posts/my-post`).
    pub hugo_path: Option<&'a str>,
    /// The day of its date as the site shows it (Jekyll's older `post_url` matching).
    pub day: NaiveDate,
    /// `slug:` as written.
    pub own_slug: Option<&'a str>,
}

/// The names other posts' link tags may find `post` by.
pub fn names(post: &Subject<'_>) -> Vec<String> {
    let mut names = Vec::new();
    match post.syntax {
        Syntax::None => {}
        Syntax::Liquid => {
            names.push(format!("path:{}", post.path));
            if let Some(name) = jekyll_name(post.path) {
                names.push(format!("jekyll:{name}"));
            }
            let file = post.path.rsplit('/').next().unwrap_or(post.path);
            if let Some((_, slug)) = dated(without_extension(file)) {
                let slug = post.own_slug.unwrap_or(slug);
                names.push(format!("jekyll-day:{}-{slug}", post.day));
            }
        }
        Syntax::Hugo => {
            if let Some(path) = post.hugo_path {
                let key = clean(&format!("/{}", path.to_lowercase()));
                let base = key.rsplit('/').next().unwrap_or(&key);
                names.push(format!("hugo-name:{}:{base}", post.lang));
                names.push(format!("hugo:{}:{key}", post.lang));
            }
        }
    }
    names
}

/// The names `tag`, in the body of `from`, looks up, in order; none for a name its generator
/// cannot read (a `post_url` without a date).
pub fn lookups(from: &Subject<'_>, tag: &LinkTag) -> Vec<Lookup> {
    let first = |key: String| Lookup {
        key,
        pick: Pick::First,
    };
    match tag.kind {
        LinkKind::Link => vec![first(format!("path:{}", tag.name))],
        LinkKind::PostUrl => {
            let name = tag.name.strip_prefix('/').unwrap_or(&tag.name);
            let file = name.rsplit('/').next().unwrap_or(name);
            match dated(file) {
                Some((day, slug)) => vec![
                    first(format!("jekyll:{name}")),
                    first(format!("jekyll-day:{day}-{slug}")),
                ],
                None => Vec::new(),
            }
        }
        LinkKind::Ref | LinkKind::RelRef => {
            let lang = tag.lang.as_deref().unwrap_or(from.lang);
            let name = tag.name.trim().replace('\\', "/").to_lowercase();
            if name.is_empty() {
                return Vec::new();
            }
            let mut paths = Vec::new();
            if !name.starts_with('/') {
                let dir = from
                    .hugo_path
                    .and_then(|p| p.rsplit_once('/'))
                    .map_or("", |(dir, _)| dir)
                    .to_lowercase();
                paths.push(hugo_key(&format!("/{dir}/{name}"), lang));
            }
            paths.push(hugo_key(&format!("/{name}"), lang));
            paths.dedup();
            let mut out: Vec<Lookup> = paths
                .into_iter()
                .map(|key| first(format!("hugo:{lang}:{key}")))
                .collect();
            if !name.contains('/') {
                let key = hugo_key(&format!("/{name}"), lang);
                out.push(Lookup {
                    key: format!("hugo-name:{lang}:{}", key.trim_start_matches('/')),
                    pick: Pick::Only,
                });
            }
            out
        }
    }
}

/// Jekyll's `post_url` name of the post at `path`: without extension, and without the
/// `_posts/` folder (in front, or with one folder part before it and none after).
fn jekyll_name(path: &str) -> Option<String> {
    let stem = without_extension(path);
    let name = match stem.strip_prefix("_posts/") {
        Some(rest) => rest.to_string(),
        None => {
            let at = stem.find("/_posts/")?;
            let rest = &stem[at + "/_posts/".len()..];
            if rest.contains('/') {
                return None;
            }
            format!("{}{rest}", &stem[..=at])
        }
    };
    let file = name.rsplit('/').next().unwrap_or(&name);
    dated(file).map(|_| name.clone())
}

/// `path` without the extension of its last part.
fn without_extension(path: &str) -> &str {
    match path.rfind('.') {
        Some(at) if !path[at..].contains('/') && at > 0 => &path[..at],
        _ => path,
    }
}

/// A Jekyll post name's date and slug: `2024-3-7-a-post` gives 2024-03-07 and `a-post`.
fn dated(name: &str) -> Option<(NaiveDate, &str)> {
    let mut parts = name.splitn(4, '-');
    let mut number = || -> Option<u32> {
        let part = parts.next()?;
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let (year, month, day) = (number()?, number()?, number()?);
    let slug = parts.next()?;
    let day = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    Some((day, slug))
}

/// Hugo's key for the page at `path` in language `lang`: cleaned, without the extension, the
/// language suffix or a bundle's `/index`.
fn hugo_key(path: &str, lang: &str) -> String {
    let path = clean(path);
    let path = without_extension(&path);
    let path = path.strip_suffix(&format!(".{lang}")).unwrap_or(path);
    let path = path.strip_suffix("/index").unwrap_or(path);
    if path.is_empty() {
        "/".to_string()
    } else {
        path.to_string()
    }
}

/// `/a/./b/../c/` as `/a/c`.
fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn jekyll(path: &str) -> Subject<'_> {
        Subject {
            syntax: Syntax::Liquid,
            path,
            lang: "en",
            hugo_path: None,
            day: day(2024, 3, 7),
            own_slug: None,
        }
    }

    fn hugo<'a>(path: &'a str, lang: &'a str) -> Subject<'a> {
        Subject {
            syntax: Syntax::Hugo,
            path,
            lang,
            hugo_path: Some(path),
            day: day(2024, 1, 1),
            own_slug: None,
        }
    }

    fn tag(kind: LinkKind, name: &str, lang: Option<&str>) -> LinkTag {
        LinkTag {
            kind,
            name: name.to_string(),
            lang: lang.map(str::to_string),
        }
    }

    /// Whether `tag` written in `from` finds `target` by one of its names.
    fn finds(from: &Subject<'_>, tag: &LinkTag, target: &Subject<'_>) -> bool {
        let names = names(target);
        lookups(from, tag).iter().any(|l| names.contains(&l.key))
    }

    #[test]
    fn jekyll_post_url_and_link_find_posts_as_jekyll_does() {
        let from = jekyll("_posts/2024-01-15-hello.md");
        let rows: &[(&str, LinkKind, &str, bool)] = &[
            (
                "_posts/2024-3-7-unpadded-date.md",
                LinkKind::PostUrl,
                "2024-3-7-unpadded-date",
                true,
            ),
            // The older matching: the date's day and the slug.
            (
                "_posts/2024-3-7-unpadded-date.md",
                LinkKind::PostUrl,
                "2024-03-07-unpadded-date",
                true,
            ),
            (
                "_posts/2024-3-7-unpadded-date.md",
                LinkKind::PostUrl,
                "2024-03-08-unpadded-date",
                false,
            ),
            (
                "_posts/2024-3-7-unpadded-date.md",
                LinkKind::PostUrl,
                "/2024-3-7-unpadded-date",
                true,
            ),
            (
                "notes/_posts/2024-04-10-in-a-folder.md",
                LinkKind::PostUrl,
                "notes/2024-04-10-in-a-folder",
                true,
            ),
            (
                "_posts/sub/2024-02-02-deep.md",
                LinkKind::PostUrl,
                "sub/2024-02-02-deep",
                true,
            ),
            (
                "_posts/2024-01-02-a.md",
                LinkKind::PostUrl,
                "2024-01-02-b",
                false,
            ),
            (
                "_posts/2024-01-02-a.md",
                LinkKind::PostUrl,
                "not-dated",
                false,
            ),
            (
                "_posts/2024-01-02-a.md",
                LinkKind::PostUrl,
                "2024-01-02-A",
                false,
            ),
            (
                "_posts/2024-01-02-a.md",
                LinkKind::Link,
                "_posts/2024-01-02-a.md",
                true,
            ),
            (
                "_posts/2024-01-02-a.md",
                LinkKind::Link,
                "/_posts/2024-01-02-a.md",
                false,
            ),
            (
                "_posts/2024-01-02-a.md",
                LinkKind::Link,
                "_posts/2024-01-02-a",
                false,
            ),
        ];
        for (path, kind, name, found) in rows {
            let mut target = jekyll(path);
            if path.contains("2024-01-02") {
                target.day = day(2024, 1, 2);
            }
            if path.contains("2024-02-02") {
                target.day = day(2024, 2, 2);
            }
            assert_eq!(
                finds(&from, &tag(*kind, name, None), &target),
                *found,
                "{kind:?} {name} -> {path}"
            );
        }
        // `slug:` is the slug of the older matching; the file name still matches first.
        let mut target = jekyll("_posts/2024-03-07-a.md");
        target.own_slug = Some("Own");
        assert!(finds(
            &from,
            &tag(LinkKind::PostUrl, "2024-3-7-Own", None),
            &target
        ));
        assert!(finds(
            &from,
            &tag(LinkKind::PostUrl, "2024-03-07-a", None),
            &target
        ));
    }

    #[test]
    fn hugo_refs_find_posts_as_hugo_does() {
        let from = hugo("posts/hello-world", "en");
        let rows: &[(&str, &str, Option<&str>, bool)] = &[
            (
                "posts/late-night-release",
                "late-night-release.md",
                None,
                true,
            ),
            (
                "posts/late-night-release",
                "Late-Night-Release.md",
                None,
                true,
            ),
            ("posts/late-night-release", "late-night-release", None, true),
            (
                "posts/late-night-release",
                "/posts/late-night-release",
                None,
                true,
            ),
            (
                "posts/late-night-release",
                "/posts/late-night-release.md",
                None,
                true,
            ),
            (
                "posts/late-night-release",
                "posts/late-night-release.md",
                None,
                true,
            ),
            (
                "posts/late-night-release",
                "/posts/late-night-release/",
                None,
                true,
            ),
            (
                "posts/late-night-release",
                "../posts/late-night-release",
                None,
                true,
            ),
            // A bundle by its folder's name or its index.
            ("posts/my-post", "my-post", None, true),
            ("posts/my-post", "my-post/index.md", None, true),
            (
                "posts/my-post",
                "/posts/my-post/index.fr.md",
                Some("fr"),
                true,
            ),
            // A path with a folder is no name: `sub/deep` is found by its path alone.
            ("posts/sub/deep", "deep.md", None, true),
            ("posts/sub/deep", "sub/deep", None, true),
            ("posts/sub/deep", "other/deep", None, false),
            ("notes/deep", "sub/deep", None, false),
        ];
        for (path, name, lang, found) in rows {
            let target = hugo(path, lang.unwrap_or("en"));
            for kind in [LinkKind::Ref, LinkKind::RelRef] {
                assert_eq!(
                    finds(&from, &tag(kind, name, *lang), &target),
                    *found,
                    "{name} -> {path}"
                );
            }
        }
        // The language: the post's own, or the tag's.
        let french = hugo("posts/my-post", "fr");
        assert!(!finds(&from, &tag(LinkKind::Ref, "my-post", None), &french));
        assert!(finds(
            &from,
            &tag(LinkKind::Ref, "my-post", Some("fr")),
            &french
        ));
        // The page's own folder first: `a` from `notes/` is `notes/a`, then `/a`, then by name.
        let from_notes = hugo("notes/x", "en");
        let keys: Vec<(String, Pick)> = lookups(&from_notes, &tag(LinkKind::Ref, "A.md", None))
            .into_iter()
            .map(|l| (l.key, l.pick))
            .collect();
        assert_eq!(
            keys,
            [
                ("hugo:en:/notes/a".to_string(), Pick::First),
                ("hugo:en:/a".to_string(), Pick::First),
                ("hugo-name:en:a".to_string(), Pick::Only),
            ]
        );
    }

    #[test]
    fn without_a_syntax_a_post_has_no_name() {
        let mut post = jekyll("_posts/2024-01-02-a.md");
        post.syntax = Syntax::None;
        assert!(names(&post).is_empty());
    }
}
