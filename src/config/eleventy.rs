//! Eleventy's directory data files (`posts/posts.11tydata.json`, `posts/posts.json`): the
//! `permalink` template they give every post under their folder, translated into a syndic
//! permalink pattern. Read with the configuration when `generator = "eleventy"` and syndic's
//! own `permalink` is not set.
//!
//! Owns: finding those files under `content_dir` (Eleventy's order within a folder:
//! `<dir>.11tydata.js`, then `<dir>.11tydata.json`, then `<dir>.json`), reading their
//! `permalink`, translating the Liquid and Nunjucks forms of it, and the errors naming the file
//! and the part that cannot be read. Must not place posts: `corpus::rules` looks the pattern up
//! by a post's folder, the nearest folder's first. A data file's `tags` (Eleventy merges them
//! before a post's own) name Eleventy collections such as `posts`, not subjects: they are not
//! read.

use std::collections::BTreeMap;
use std::path::Path;

/// Folder (relative to `content_dir`, `/`-separated: `posts`, `posts/2024`) -> the syndic
/// pattern its data file's `permalink` stands for.
pub type Permalinks = BTreeMap<String, String>;

pub use super::Unreadable;

/// What to tell the user whose template syndic cannot read.
const SET_IT: &str =
    "set `permalink` in syndic's configuration (e.g. \"/:year/:month/:day/:slug/\")";

/// The permalink patterns of the directory data files under `content_dir`. Folders whose name
/// begins with `.` or `_` (`_data`, `_includes`, `_site`) and `node_modules` are not searched.
pub fn read(content_dir: &Path) -> Result<Permalinks, Unreadable> {
    let mut out = Permalinks::new();
    let folders = walkdir::WalkDir::new(content_dir)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.file_type().is_dir() && !name.starts_with(['.', '_']) && name != "node_modules"
        });
    for folder in folders.filter_map(Result::ok) {
        let Ok(relative) = folder.path().strip_prefix(content_dir) else {
            continue;
        };
        let Some(name) = folder.file_name().to_str() else {
            continue;
        };
        let key: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if let Some(pattern) = folder_permalink(folder.path(), name)? {
            out.insert(key.join("/"), pattern);
        }
    }
    Ok(out)
}

/// What follows a folder's name in the names of its data files (`posts.11tydata.json`).
pub const DATA_FILE_ENDINGS: &[&str] = &[
    ".11tydata.js",
    ".11tydata.cjs",
    ".11tydata.mjs",
    ".11tydata.json",
    ".json",
];

/// The pattern of the data files of `dir` (named `name`), if one sets `permalink`.
fn folder_permalink(dir: &Path, name: &str) -> Result<Option<String>, Unreadable> {
    for script in ["11tydata.js", "11tydata.cjs", "11tydata.mjs"] {
        let path = dir.join(format!("{name}.{script}"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if text.contains("permalink") {
            let line = text.lines().position(|l| l.contains("permalink"));
            return Err(Unreadable {
                path,
                line: line.map(|l| l + 1),
                message: format!(
                    "a JavaScript data file sets `permalink`, and syndic cannot run JavaScript: \
                     {SET_IT}"
                ),
            });
        }
    }
    for json in ["11tydata.json", "json"] {
        let path = dir.join(format!("{name}.{json}"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let fail = |line: Option<usize>, message: String| Unreadable {
            path: path.clone(),
            line,
            message,
        };
        let data: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| fail(Some(e.line()), format!("not JSON: {e}")))?;
        let line = || {
            text.lines()
                .position(|l| l.contains("\"permalink\""))
                .map(|l| l + 1)
        };
        match data.get("permalink") {
            None => continue,
            Some(serde_json::Value::String(template)) => {
                return translate(template).map(Some).map_err(|part| {
                    fail(
                        line(),
                        format!(
                            "syndic cannot read `{part}` of the permalink `{template}`: {SET_IT}"
                        ),
                    )
                });
            }
            Some(other) => {
                return Err(fail(
                    line(),
                    format!("`permalink` is {other}, not a template: {SET_IT}"),
                ));
            }
        }
    }
    Ok(None)
}

/// A Liquid or Nunjucks permalink template as a syndic pattern; `Err` holds the part that has
/// no translation. Reads literal text and `{{ }}` of: `page.date | date: '<strftime>'`
/// (`%Y %y %m %-m %d %-d %H %M %S %j %b %B`), `page.fileSlug` (`:filename`), `page.fileSlug |
/// slugify` (`:slug`), `title | slugify` (`:title`), and Eleventy's older `slug` filter
/// (`:legacy_slug`, `:legacy_title`). A trailing `index.html` is dropped, as Eleventy's
/// `page.url` drops it.
pub fn translate(template: &str) -> Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template.trim();
    while !rest.is_empty() {
        if let Some(at) = rest.find("{%") {
            let end = rest[at..].find("%}").map_or(rest.len(), |e| at + e + 2);
            if rest.find("{{").is_none_or(|open| at < open) {
                return Err(rest[at..end].to_string());
            }
        }
        let Some(open) = rest.find("{{") else {
            literal(&mut out, rest)?;
            break;
        };
        literal(&mut out, &rest[..open])?;
        let close = rest[open..]
            .find("}}")
            .map(|c| open + c)
            .ok_or_else(|| rest[open..].to_string())?;
        let part = &rest[open..close + 2];
        let expression = rest[open + 2..close].trim_matches('-').trim();
        let token = expression_token(expression).ok_or_else(|| part.to_string())?;
        rest = &rest[close + 2..];
        // `:slug` followed by a letter would read as another token.
        if rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
            return Err(part.to_string());
        }
        out.push_str(&token);
    }
    let mut pattern = if out.starts_with('/') {
        out
    } else {
        format!("/{out}")
    };
    if pattern.ends_with("/index.html") {
        pattern.truncate(pattern.len() - "index.html".len());
    }
    Ok(pattern)
}

/// Literal text of a template: kept, but a `:` would read as a token.
fn literal(out: &mut String, text: &str) -> Result<(), String> {
    if text.contains([':', '{', '}']) {
        return Err(text.to_string());
    }
    out.push_str(text);
    Ok(())
}

/// The syndic tokens a `{{ }}` expression stands for.
fn expression_token(expression: &str) -> Option<String> {
    let mut parts = expression.split('|').map(str::trim);
    let subject = parts.next()?;
    let filters: Vec<&str> = parts.collect();
    let token = match (subject, filters.as_slice()) {
        ("page.fileSlug", []) => ":filename",
        ("page.fileSlug", ["slugify"]) => ":slug",
        ("page.fileSlug", ["slug"]) => ":legacy_slug",
        ("title", ["slugify"]) => ":title",
        ("title", ["slug"]) => ":legacy_title",
        ("page.date", [filter]) => return date_format(filter),
        _ => return None,
    };
    Some(token.to_string())
}

/// Liquid's `date: '%Y/%m/%d'` as `:year/:month/:day`.
fn date_format(filter: &str) -> Option<String> {
    let format = filter
        .strip_prefix("date")?
        .trim_start()
        .strip_prefix(':')?
        .trim();
    let format = format
        .strip_prefix('\'')
        .and_then(|f| f.strip_suffix('\''))
        .or_else(|| format.strip_prefix('"').and_then(|f| f.strip_suffix('"')))?;
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            if matches!(c, ':' | '{' | '}') {
                return None;
            }
            out.push(c);
            continue;
        }
        let mut spec = chars.next()?;
        let unpadded = spec == '-';
        if unpadded {
            spec = chars.next()?;
        }
        let token = match (unpadded, spec) {
            (false, 'Y') => ":year",
            (false, 'y') => ":short_year",
            (false, 'm') => ":month",
            (true, 'm') => ":i_month",
            (false, 'd') => ":day",
            (true, 'd') => ":i_day",
            (false, 'H') => ":hour",
            (false, 'M') => ":minute",
            (false, 'S') => ":second",
            (false, 'j') => ":y_day",
            (false, 'b') => ":short_month",
            (false, 'B') => ":long_month",
            (false, '%') => "%",
            _ => return None,
        };
        out.push_str(token);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_as_syndic_patterns() {
        for (template, pattern) in [
            (
                "/{{ page.date | date: '%Y/%m/%d' }}/{{ page.fileSlug | slugify }}/",
                "/:year/:month/:day/:slug/",
            ),
            (
                "blog/{{ page.date | date: \"%Y\" }}/{{ page.fileSlug }}/index.html",
                "/blog/:year/:filename/",
            ),
            ("/{{- title | slugify -}}/", "/:title/"),
            (
                "/{{ page.date | date: '%-m-%-d-%y' }}/{{ page.fileSlug | slug }}.html",
                "/:i_month-:i_day-:short_year/:legacy_slug.html",
            ),
            ("/posts/{{ title | slug }}/", "/posts/:legacy_title/"),
        ] {
            assert_eq!(translate(template), Ok(pattern.to_string()), "{template}");
        }
    }

    #[test]
    fn what_has_no_translation_is_named() {
        for (template, part) in [
            ("/{{ page.filePathStem }}/", "{{ page.filePathStem }}"),
            (
                "/{{ page.date | date: '%A' }}/{{ page.fileSlug }}/",
                "{{ page.date | date: '%A' }}",
            ),
            (
                "/{% if draft %}drafts/{% endif %}{{ page.fileSlug }}/",
                "{% if draft %}",
            ),
            (
                "/{{ page.fileSlug | slugify }}x/",
                "{{ page.fileSlug | slugify }}",
            ),
            ("/a:b/{{ page.fileSlug }}/", "/a:b/"),
            ("/{{ page.fileSlug ", "{{ page.fileSlug"),
            (
                "/{{ page.date | date('%Y') }}/",
                "{{ page.date | date('%Y') }}",
            ),
        ] {
            assert_eq!(translate(template), Err(part.to_string()), "{template}");
        }
    }

    fn write(path: &Path, text: &str) {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(path, text).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    }

    #[test]
    fn data_files_by_folder_in_eleventys_order() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path();
        write(
            &root.join("posts/posts.11tydata.json"),
            "{\"tags\": [\"posts\"], \"permalink\": \"/{{ page.fileSlug | slugify }}/\"}",
        );
        // `.11tydata.json` comes before `<dir>.json` in the same folder.
        write(
            &root.join("posts/posts.json"),
            "{\"permalink\": \"/other/{{ page.fileSlug }}/\"}",
        );
        write(
            &root.join("posts/notes/notes.json"),
            "{\"permalink\": \"/notes/{{ page.fileSlug }}/\"}",
        );
        // No permalink: the parent's applies.
        write(
            &root.join("posts/quiet/quiet.11tydata.json"),
            "{\"layout\": \"post\"}",
        );
        // A script that does not mention permalink is not a problem.
        write(
            &root.join("posts/quiet/quiet.11tydata.js"),
            "module.exports = {};",
        );
        write(
            &root.join("_data/_data.json"),
            "{\"permalink\": \"{% nope %}\"}",
        );
        let found = read(root).unwrap_or_else(|e| panic!("{e}"));
        let want: Permalinks = [
            ("posts".to_string(), "/:slug/".to_string()),
            ("posts/notes".to_string(), "/notes/:filename/".to_string()),
        ]
        .into_iter()
        .collect();
        assert_eq!(found, want);
    }

    #[test]
    fn a_data_file_syndic_cannot_read_is_an_error_naming_it() {
        let cases = [
            (
                "posts/posts.11tydata.json",
                "{\n  \"tags\": [\"posts\"],\n  \"permalink\": \"/{{ page.url }}/\"\n}",
                Some(3),
                "`{{ page.url }}`",
            ),
            (
                "posts/posts.11tydata.js",
                "module.exports = {\n  permalink: (data) => `/${data.page.fileSlug}/`,\n};",
                Some(2),
                "cannot run JavaScript",
            ),
            (
                "posts/posts.json",
                "{\n  \"permalink\": \n",
                Some(3),
                "not JSON",
            ),
            (
                "posts/posts.json",
                "{\"permalink\": {\"build\": \"/x/\"}}",
                Some(1),
                "not a template",
            ),
        ];
        for (file, text, line, says) in cases {
            let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
            write(&dir.path().join(file), text);
            let Err(err) = read(dir.path()) else {
                panic!("{file}: read without an error");
            };
            assert_eq!(err.path, dir.path().join(file), "{file}");
            assert_eq!(err.line, line, "{file}: {err}");
            assert!(err.message.contains(says), "{file}: {err}");
            if says != "not JSON" {
                assert!(err.message.contains("set `permalink`"), "{file}: {err}");
            }
        }
    }
}
