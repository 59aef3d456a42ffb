//! `[posts] people`: the site's file of people (Jekyll's `_data/authors.yml`, Hugo's
//! `data/authors/`, a CSV), read into a [`Directory`] that turns the ids a post's `authors:` or
//! `author:` lists into the names people are shown by.
//!
//! Owns reading the forms such a file takes: a YAML or JSON mapping of ids to a name or to a
//! table with `name` (and `url`); a folder of files, one a person, named by the id (`.yml`,
//! `.yaml`, `.json`, `.toml`); a CSV with a header naming `id` and `name` columns (and `url`).
//! A person's URL is made absolute against the site and kept only when it is an http or https
//! URL: any other is left out with a warning naming the file and line. Must not decide who a
//! post names: that is `corpus::post`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use url::Url;

/// A person the file lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub name: String,
    /// Absolute, http or https.
    pub url: Option<String>,
}

/// Id -> person.
pub type Directory = BTreeMap<String, Listed>;

/// What [`read`] gives: the people, and the URLs left out, one warning each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Read {
    pub people: Directory,
    pub ignored: Vec<Unreadable>,
}

pub use super::Unreadable;

/// Reads the file (or folder) of people at `path`; URLs are made absolute against `site`.
pub fn read(path: &Path, site: &Url) -> Result<Read, Unreadable> {
    let fail = |line: Option<usize>, message: String| Unreadable {
        path: path.to_path_buf(),
        line,
        message,
    };
    let mut out = Read::default();
    if path.is_dir() {
        let entries = std::fs::read_dir(path).map_err(|e| fail(None, e.to_string()))?;
        let mut files: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        files.sort();
        for file in files {
            let Some(id) = file.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            let extension = file.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !matches!(extension, "yml" | "yaml" | "json" | "toml") || id.starts_with('.') {
                continue;
            }
            let text = std::fs::read_to_string(&file).map_err(|e| Unreadable {
                path: file.clone(),
                line: None,
                message: e.to_string(),
            })?;
            let value = parse_value(&text, extension).map_err(|(line, message)| Unreadable {
                path: file.clone(),
                line,
                message,
            })?;
            if let Some(listed) = listed(&value) {
                let at = |url: &str| (file.clone(), line_holding(&text, url));
                out.add(id, listed, site, at);
            }
        }
        return Ok(out);
    }
    let text = std::fs::read_to_string(path).map_err(|e| fail(None, e.to_string()))?;
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if extension == "csv" {
        let rows = csv(&text).map_err(|(line, message)| fail(Some(line), message))?;
        for (line, id, listed) in rows {
            out.add(&id, listed, site, |_| (path.to_path_buf(), Some(line)));
        }
        return Ok(out);
    }
    let value = parse_value(&text, extension).map_err(|(line, message)| fail(line, message))?;
    let serde_json::Value::Object(map) = value else {
        return Err(fail(
            None,
            "not a table of people: each id should name a person".to_string(),
        ));
    };
    for (id, value) in &map {
        if let Some(listed) = listed(value) {
            let at = |url: &str| (path.to_path_buf(), line_holding(&text, url));
            out.add(id, listed, site, at);
        }
    }
    Ok(out)
}

impl Read {
    /// Adds the person `id`, their URL made absolute against `site` or left out with a
    /// warning at `at(url)`, the file and line that give it.
    fn add(
        &mut self,
        id: &str,
        mut listed: Listed,
        site: &Url,
        at: impl Fn(&str) -> (PathBuf, Option<usize>),
    ) {
        if let Some(text) = listed.url.take() {
            match absolute_url(site, &text) {
                Ok(url) => listed.url = Some(url),
                Err(why) => {
                    let (path, line) = at(&text);
                    self.ignored.push(Unreadable {
                        path,
                        line,
                        message: format!("`{id}`: {why}: the URL is left out"),
                    });
                }
            }
        }
        self.people.insert(id.to_string(), listed);
    }
}

/// `text`, a person's URL, absolute against `site` (`/about/lea/` is on the site): an http or
/// https URL with a host, or why not.
fn absolute_url(site: &Url, text: &str) -> Result<String, String> {
    let url = site
        .join(text)
        .map_err(|e| format!("`{text}` is not a URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!("`{text}` is not an http or https URL"));
    }
    Ok(url.to_string())
}

/// The first line of `text` that holds `value` (1-based), where the file writes it as is.
fn line_holding(text: &str, value: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.contains(value))
        .map(|at| at + 1)
}

/// The document in `text`, as JSON's data model: TOML for `.toml`, YAML (which reads JSON too)
/// for anything else.
fn parse_value(text: &str, extension: &str) -> Result<serde_json::Value, (Option<usize>, String)> {
    if extension == "toml" {
        return toml::from_str::<serde_json::Value>(text).map_err(|e| {
            let line = e
                .span()
                .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
            (line, e.message().to_string())
        });
    }
    serde_norway::from_str::<serde_json::Value>(text).map_err(|e| {
        let line = e.location().map(|l| l.line());
        (line, e.to_string())
    })
}

/// A person from a value: a name, or a table with `name` (or `display_name`, `title`) and
/// `url` (or `uri`, `website`, `homepage`, `link`).
fn listed(value: &serde_json::Value) -> Option<Listed> {
    let text = |v: &serde_json::Value| {
        v.as_str()
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|s| !s.is_empty())
    };
    match value {
        serde_json::Value::String(_) => Some(Listed {
            name: text(value)?,
            url: None,
        }),
        serde_json::Value::Object(map) => {
            let first = |keys: &[&str]| keys.iter().find_map(|k| map.get(*k).and_then(text));
            Some(Listed {
                name: first(&["name", "display_name", "title"])?,
                url: first(&["url", "uri", "website", "homepage", "link"]),
            })
        }
        _ => None,
    }
}

/// A CSV row: its line, the id and the person.
type Row = (usize, String, Listed);

/// A CSV with a header row naming `id` and `name` (and `url`, `uri` or `website`) columns, fields optionally in
/// double quotes (`""` for a quote inside): each row's line, id and person.
fn csv(text: &str) -> Result<Vec<Row>, (usize, String)> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Ok(Vec::new());
    };
    let header = fields(header).map_err(|e| (1, e))?;
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(id), Some(name)) = (column("id"), column("name")) else {
        return Err((
            1,
            "the header row must name an `id` and a `name` column".to_string(),
        ));
    };
    let url = ["url", "uri", "website"].into_iter().find_map(column);
    let mut rows = Vec::new();
    for (at, line) in lines {
        let row = fields(line).map_err(|e| (at + 1, e))?;
        let cell = |i: usize| {
            row.get(i)
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let (Some(key), Some(person)) = (cell(id), cell(name)) else {
            return Err((at + 1, "a row without an id or a name".to_string()));
        };
        rows.push((
            at + 1,
            key,
            Listed {
                name: person,
                url: url.and_then(cell),
            },
        ));
    }
    Ok(rows)
}

/// One CSV row's fields.
fn fields(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (false, '"') if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            (false, ',') => out.push(std::mem::take(&mut field)),
            (_, c) => field.push(c),
        }
    }
    if quoted {
        return Err("a quoted field is not closed".to_string());
    }
    out.push(field);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        path
    }

    fn person(name: &str, url: Option<&str>) -> Listed {
        Listed {
            name: name.to_string(),
            url: url.map(str::to_string),
        }
    }

    fn site() -> Url {
        Url::parse("https://blog.example/news/").unwrap_or_else(|e| panic!("{e}"))
    }

    fn people(path: &Path) -> Result<Directory, Unreadable> {
        read(path, &site()).map(|r| {
            assert!(r.ignored.is_empty(), "{:?}", r.ignored);
            r.people
        })
    }

    #[test]
    fn every_form_of_the_file_gives_the_same_people() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let d = dir.path();
        let want: Directory = [
            (
                "léa-martin".to_string(),
                person("Léa Martin", Some("https://a.example/lea/")),
            ),
            (
                "ravi-n".to_string(),
                person("Ravi N", Some("https://blog.example/about/ravi/")),
            ),
            ("sam-chen".to_string(), person("Sam Chen", None)),
        ]
        .into_iter()
        .collect();
        let forms = [
            write(
                d,
                "authors.yml",
                "léa-martin:\n  name: Léa Martin\n  url: https://a.example/lea/\nsam-chen: Sam  Chen\n\
                 ravi-n:\n  name: Ravi N\n  uri: /about/ravi/\n",
            ),
            write(
                d,
                "team.json",
                r#"{"léa-martin": {"display_name": "Léa Martin", "website": "https://a.example/lea/"}, "sam-chen": {"name": "Sam Chen"}, "ravi-n": {"name": "Ravi N", "homepage": "//blog.example/about/ravi/"}}"#,
            ),
            write(
                d,
                "people.csv",
                "id,name,url\nléa-martin,\"Léa Martin\",https://a.example/lea/\nsam-chen,Sam Chen,\n\
                 ravi-n,Ravi N,../about/ravi/\n",
            ),
        ];
        for form in &forms {
            assert_eq!(people(form).as_ref(), Ok(&want), "{}", form.display());
        }
        write(
            d,
            "authors/léa-martin.toml",
            "name = \"Léa Martin\"\nurl = \"https://a.example/lea/\"\n",
        );
        write(d, "authors/sam-chen.yaml", "name: Sam Chen\n");
        write(
            d,
            "authors/ravi-n.json",
            r#"{"name": "Ravi N", "link": "https://blog.example/about/ravi/"}"#,
        );
        write(d, "authors/README.md", "not a person\n");
        assert_eq!(people(&d.join("authors")), Ok(want));
    }

    /// A URL that is not http or https, made absolute, is left out with a warning naming the
    /// file and the line that gives it; the person stays.
    #[test]
    fn a_url_that_is_not_http_is_left_out_with_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let d = dir.path();
        let yaml = write(
            d,
            "authors.yml",
            "sam-chen:\n  name: Sam Chen\n  url: \"javascript:alert(1)\"\n\
             ann-lee:\n  name: Ann Lee\n  url: mailto:ann@example.org\n\
             bo-roe:\n  name: Bo Roe\n  url: \"https://[::1\"\n",
        );
        let read = read(&yaml, &site()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.people.len(), 3);
        assert!(read.people.values().all(|p| p.url.is_none()), "{read:?}");
        let said: Vec<String> = read.ignored.iter().map(ToString::to_string).collect();
        let at = |line: usize| format!("{}:{line}: ", yaml.display());
        assert_eq!(
            said,
            [
                format!(
                    "{}`ann-lee`: `mailto:ann@example.org` is not an http or https URL: the URL \
                     is left out",
                    at(6)
                ),
                format!(
                    "{}`bo-roe`: `https://[::1` is not a URL (invalid IPv6 address): the URL is \
                     left out",
                    at(9)
                ),
                format!(
                    "{}`sam-chen`: `javascript:alert(1)` is not an http or https URL: the URL is \
                     left out",
                    at(3)
                ),
            ]
        );
        let csv = write(
            d,
            "p.csv",
            "id,name,url\nsam-chen,Sam Chen,ftp://x.example/\n",
        );
        let read = super::read(&csv, &site()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.ignored.len(), 1);
        assert_eq!(read.ignored[0].line, Some(2));
        assert_eq!(read.ignored[0].path, csv);
    }

    #[test]
    fn a_file_that_cannot_be_read_names_itself_and_the_line() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let d = dir.path();
        let bad = write(
            d,
            "authors.yml",
            "sam-chen:\n  name: Sam Chen\n  url: [unclosed\n",
        );
        let e = people(&bad).err().unwrap_or_else(|| panic!("read"));
        assert_eq!(e.path, bad);
        assert!(e.line.is_some(), "{e}");
        let list = write(d, "list.yml", "- Sam Chen\n");
        assert!(people(&list).is_err());
        let csv = write(d, "p.csv", "name,url\nSam Chen,\n");
        assert_eq!(people(&csv).err().and_then(|e| e.line), Some(1));
        let row = write(d, "q.csv", "id,name\nsam-chen,\"Sam\n");
        assert_eq!(people(&row).err().and_then(|e| e.line), Some(2));
        let missing = d.join("nowhere.yml");
        assert_eq!(people(&missing).err().map(|e| e.path), Some(missing));
    }
}
