//! The keys `config.toml` may hold and the kind of value each takes, checked on the parsed
//! document before anything is read from it: a key syndic does not know is an error naming its
//! line and the nearest known key, and a value of the wrong kind is named in plain words.
//!
//! Owns: the list of keys, walking the document against it, the wording of what is wrong. Must
//! not: interpret values beyond their kind and the range of whole numbers (what a URL or a
//! time zone must be is `config.rs`'s business).

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// What a key's value must be.
pub(super) enum Kind {
    /// A string; the words say what it holds, as an error message puts it.
    Text(&'static str),
    /// A whole number within these bounds (both included).
    Whole { min: i64, max: i64 },
    /// A list of strings; the words say what they hold.
    TextList(&'static str),
    /// `true` or `false`.
    Bool,
    /// A table of these keys.
    Table(&'static [Key]),
    /// A table whose keys are the user's own (a language code, a person's name), each value
    /// of this kind.
    Map(&'static Kind),
}

/// One key syndic reads.
pub(super) struct Key {
    name: &'static str,
    kind: Kind,
    /// Needed whenever its table is there.
    required: bool,
}

const fn key(name: &'static str, kind: Kind) -> Key {
    Key {
        name,
        kind,
        required: false,
    }
}

const fn required(name: &'static str, kind: Kind) -> Key {
    Key {
        name,
        kind,
        required: true,
    }
}

const URL: Kind = Kind::Text("a URL in quotes, such as \"https://digital.example.ca/\"");
const TEXT: Kind = Kind::Text("text in quotes");
/// Any whole number a count or a size of ours can be.
const COUNT: i64 = i64::MAX;
const U32: i64 = u32::MAX as i64;

const LANGUAGE: &[Key] = &[
    required("base_url", URL),
    key("title", TEXT),
    key("description", TEXT),
    key(
        "legacy_paths",
        Kind::TextList("a list of paths in quotes, such as [\"/blog/index.xml\"]"),
    ),
];

const AUTHORS: &[Key] = &[key(
    "aliases",
    Kind::Map(&Kind::Text(
        "a person's name in quotes, such as \"Daniel Roe\"",
    )),
)];

const LIMITS: &[Key] = &[key("max_post_bytes", Kind::Whole { min: 1, max: COUNT })];

const FEEDS: &[Key] = &[key("limit", Kind::Whole { min: 1, max: 1000 })];

const SERVER: &[Key] = &[
    key(
        "listen",
        Kind::Text("an address and port in quotes, such as \"127.0.0.1:8080\""),
    ),
    key("max_age", Kind::Whole { min: 0, max: U32 }),
    key("max_connections", Kind::Whole { min: 1, max: COUNT }),
    key("header_read_timeout_ms", Kind::Whole { min: 1, max: COUNT }),
    key("request_timeout_ms", Kind::Whole { min: 1, max: COUNT }),
    key("archive_cache_bytes", Kind::Whole { min: 0, max: COUNT }),
    key("log_format", Kind::Text("\"text\" or \"json\"")),
    key(
        "proxies",
        Kind::TextList("a list of IP addresses in quotes, such as [\"127.0.0.1\"]"),
    ),
];

const WATCH: &[Key] = &[
    key("quiet_ms", Kind::Whole { min: 0, max: COUNT }),
    key("max_loss_percent", Kind::Whole { min: 0, max: 100 }),
];

const TAXONOMIES: &[Key] = &[
    key(
        "ignore_tags",
        Kind::TextList("a list of tags in quotes, such as [\"post\", \"posts\"]"),
    ),
    key("split_words", Kind::Bool),
];

const WEBSUB: &[Key] = &[
    required("hub", URL),
    key("max_attempts", Kind::Whole { min: 1, max: U32 }),
];

const POSTS: &[Key] = &[
    key(
        "generator",
        Kind::Text("\"hugo\", \"jekyll\" or \"eleventy\""),
    ),
    key(
        "patterns",
        Kind::TextList("a list of glob patterns in quotes, such as [\"_posts/**/*.md\"]"),
    ),
    key(
        "lang_from",
        Kind::Text("\"folder\", \"suffix\", \"front_matter\" or \"site\""),
    ),
    key(
        "lang",
        Kind::Text("a language code in quotes, such as \"en\""),
    ),
    key(
        "date_from",
        Kind::TextList("a list such as [\"front_matter\", \"file_name\"]"),
    ),
    key("date_zone", Kind::Text("\"written\", \"site\" or \"utc\"")),
    key(
        "permalinks",
        Kind::Map(&Kind::Text(
            "a pattern in quotes, such as \"/:year/:month/:day/:slug/\"",
        )),
    ),
    key("unpublished", Kind::Bool),
    key("follow_links_out", Kind::Bool),
    key(
        "people",
        Kind::Text("a file or folder in quotes, such as \"_data/authors.yml\""),
    ),
    key("templates", Kind::Text("\"hugo\", \"liquid\" or \"none\"")),
];

/// Front-matter keys, tried in order: `cover.image` names `image:` under `cover:`.
const FRONT_MATTER_KEYS: Kind =
    Kind::TextList("a list of front-matter keys in quotes, such as [\"excerpt\", \"description\"]");

const FRONT_MATTER: &[Key] = &[
    key("summary", FRONT_MATTER_KEYS),
    key("image", FRONT_MATTER_KEYS),
    key("image_alt", FRONT_MATTER_KEYS),
    key("thumbnail", FRONT_MATTER_KEYS),
    key("updated", FRONT_MATTER_KEYS),
];

/// Every key of the file, from the top.
pub(super) const TOP: &[Key] = &[
    key(
        "content_dir",
        Kind::Text("a folder in quotes, such as \"content\""),
    ),
    key(
        "identity_file",
        Kind::Text("a file name in quotes, such as \"identity.toml\""),
    ),
    key(
        "last_modified_file",
        Kind::Text("a file name in quotes, such as \"last-modified.txt\""),
    ),
    key(
        "timezone",
        Kind::Text("an IANA time zone in quotes, such as \"America/Toronto\""),
    ),
    key(
        "sections",
        Kind::TextList("a list of folder names in quotes, such as [\"blog\"]"),
    ),
    key(
        "permalink",
        Kind::Text("a pattern in quotes, such as \"/:year/:month/:day/:slug/\""),
    ),
    key("feeds_url", URL),
    key("languages", Kind::Map(&Kind::Table(LANGUAGE))),
    key("authors", Kind::Table(AUTHORS)),
    key("limits", Kind::Table(LIMITS)),
    key("feeds", Kind::Table(FEEDS)),
    key("server", Kind::Table(SERVER)),
    key("watch", Kind::Table(WATCH)),
    key("websub", Kind::Table(WEBSUB)),
    key("posts", Kind::Table(POSTS)),
    key("front_matter", Kind::Table(FRONT_MATTER)),
    key("taxonomies", Kind::Table(TAXONOMIES)),
];

/// One thing wrong with the document, at a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

/// Everything wrong with the keys of `document` (parsed from `text`), in the order of the file.
pub(super) fn check(text: &str, document: &Spanned<DeTable<'_>>) -> Vec<Problem> {
    let mut walk = Walk {
        text,
        problems: Vec::new(),
    };
    walk.table(document.get_ref(), document.span(), TOP, "");
    walk.problems.sort_by_key(|p| p.line);
    walk.problems
}

struct Walk<'t> {
    text: &'t str,
    problems: Vec<Problem>,
}

impl Walk<'_> {
    fn line(&self, span: std::ops::Range<usize>) -> usize {
        line_of(self.text, span.start)
    }

    fn report(&mut self, span: std::ops::Range<usize>, message: String) {
        let line = self.line(span);
        self.problems.push(Problem { line, message });
    }

    fn table(
        &mut self,
        table: &DeTable<'_>,
        span: std::ops::Range<usize>,
        keys: &'static [Key],
        prefix: &str,
    ) {
        for (name, value) in table {
            let path = join(prefix, name.get_ref());
            match keys.iter().find(|k| k.name == name.get_ref().as_ref()) {
                Some(known) => self.value(value, &known.kind, &path),
                None => {
                    let message = unknown(name.get_ref(), &path, keys, prefix);
                    self.report(name.span(), message);
                }
            }
        }
        for needed in keys.iter().filter(|k| k.required) {
            if !table.keys().any(|k| k.get_ref().as_ref() == needed.name) {
                let message = format!(
                    "`[{prefix}]` needs `{}`: {}",
                    needed.name,
                    describe(&needed.kind, &join(prefix, needed.name))
                );
                self.report(span.clone(), message);
            }
        }
    }

    fn value(&mut self, value: &Spanned<DeValue<'_>>, kind: &'static Kind, path: &str) {
        let span = value.span();
        match (kind, value.get_ref()) {
            (Kind::Text(_), DeValue::String(_)) | (Kind::Bool, DeValue::Boolean(_)) => {}
            (Kind::Whole { min, max }, DeValue::Integer(n)) => {
                let read = i64::from_str_radix(n.as_str(), n.radix()).ok();
                if !read.is_some_and(|n| (*min..=*max).contains(&n)) {
                    let message = format!("`{path}` must be {}, not {n}", describe(kind, path));
                    self.report(span, message);
                }
            }
            (Kind::TextList(_), DeValue::Array(items)) => {
                if let Some((i, item)) = items
                    .iter()
                    .enumerate()
                    .find(|(_, item)| !matches!(item.get_ref(), DeValue::String(_)))
                {
                    let message = format!(
                        "`{path}` must be {}; item {} is {}",
                        describe(kind, path),
                        i + 1,
                        found(item.get_ref())
                    );
                    self.report(item.span(), message);
                }
            }
            (Kind::Table(keys), DeValue::Table(table)) => self.table(table, span, keys, path),
            (Kind::Map(each), DeValue::Table(table)) => {
                for (name, value) in table {
                    self.value(value, each, &join(path, name.get_ref()));
                }
            }
            (kind, other) => {
                let message = format!(
                    "`{path}` must be {}, not {}",
                    describe(kind, path),
                    found(other)
                );
                self.report(span, message);
            }
        }
    }
}

/// The 1-based line holding byte `at` of `text`.
pub(super) fn line_of(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text.as_bytes()[..at]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// `prefix.name`, with `name` quoted when TOML needs it quoted (`authors.aliases."Dan Roe"`).
fn join(prefix: &str, name: &str) -> String {
    let bare = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    let name = if bare {
        name.to_string()
    } else {
        format!("{name:?}")
    };
    if prefix.is_empty() {
        name
    } else {
        format!("{prefix}.{name}")
    }
}

/// What a value of this kind is, in the words of an error message.
fn describe(kind: &Kind, path: &str) -> String {
    match kind {
        Kind::Text(words) | Kind::TextList(words) => (*words).to_string(),
        Kind::Bool => "`true` or `false`".to_string(),
        Kind::Whole { min, max } if *max == COUNT => format!("a whole number, {min} or more"),
        Kind::Whole { min, max } => format!("a whole number from {min} to {max}"),
        Kind::Table(_) | Kind::Map(_) => format!("a table (a `[{path}]` section)"),
    }
}

/// What the file holds instead, in the same words.
fn found(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(s) => format!("a string ({s:?})"),
        DeValue::Integer(n) => format!("a whole number ({n})"),
        DeValue::Float(x) => format!("a decimal number ({x})"),
        DeValue::Boolean(b) => format!("a boolean ({b})"),
        DeValue::Datetime(d) => format!("a date ({d})"),
        DeValue::Array(_) => "a list".to_string(),
        DeValue::Table(_) => "a table".to_string(),
    }
}

/// The message for a key that is not among `keys`: the nearest of them by edit distance, or
/// the same name in another table, or else the keys there are.
fn unknown(name: &str, path: &str, keys: &'static [Key], prefix: &str) -> String {
    let lower = name.to_lowercase();
    let near = keys
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&lower, k.name), k.name))
        .filter(|(distance, known)| *distance <= (known.len() / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, known)| join(prefix, known));
    let elsewhere = || {
        let mut paths = Vec::new();
        static_paths(TOP, "", &mut paths);
        paths
            .into_iter()
            .find(|p| p.rsplit('.').next() == Some(lower.as_str()))
    };
    match near.or_else(elsewhere) {
        Some(suggestion) => format!("unknown key `{path}`; did you mean `{suggestion}`?"),
        None => {
            let names: Vec<String> = keys.iter().map(|k| format!("`{}`", k.name)).collect();
            let place = if prefix.is_empty() {
                "at the top of the file".to_string()
            } else {
                format!("in `[{prefix}]`")
            };
            format!(
                "unknown key `{path}`; the keys {place} are {}",
                names.join(", ")
            )
        }
    }
}

/// Every key's path, tables with keys of the user's own left out.
fn static_paths(keys: &'static [Key], prefix: &str, out: &mut Vec<String>) {
    for k in keys {
        let path = join(prefix, k.name);
        if let Kind::Table(inner) = &k.kind {
            static_paths(inner, &path, out);
        }
        out.push(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn problems(text: &str) -> Vec<Problem> {
        match DeTable::parse(text) {
            Ok(document) => check(text, &document),
            Err(e) => panic!("not TOML: {e}"),
        }
    }

    fn one(line: usize, message: &str) -> Vec<Problem> {
        vec![Problem {
            line,
            message: message.to_string(),
        }]
    }

    const EN: &str = "[languages.en]\nbase_url = \"https://a.example/\"\n";

    #[test]
    fn unknown_keys_name_their_line_and_the_nearest_key() {
        let cases: &[(&str, usize, &str)] = &[
            (
                "timezon = \"America/Toronto\"\n",
                1,
                "unknown key `timezon`; did you mean `timezone`?",
            ),
            (
                "[server]\nlisten = \"127.0.0.1:8080\"\nmax_agee = 60\n",
                3,
                "unknown key `server.max_agee`; did you mean `server.max_age`?",
            ),
            (
                "[languages.fr]\nbase_url = \"https://b.example/\"\ntitel = \"B\"\n",
                3,
                "unknown key `languages.fr.titel`; did you mean `languages.fr.title`?",
            ),
            (
                "listen = \"127.0.0.1:8080\"\n",
                1,
                "unknown key `listen`; did you mean `server.listen`?",
            ),
            (
                "[serve]\nlisten = \"127.0.0.1:8080\"\n",
                1,
                "unknown key `serve`; did you mean `server`?",
            ),
            (
                "\n[feeds]\ncolour = \"blue\"\n",
                3,
                "unknown key `feeds.colour`; the keys in `[feeds]` are `limit`",
            ),
            (
                "server.Max_Age = 1\n",
                1,
                "unknown key `server.Max_Age`; did you mean `server.max_age`?",
            ),
        ];
        for (text, line, message) in cases {
            assert_eq!(
                problems(&format!("{text}{EN}")),
                one(*line, message),
                "{text}"
            );
        }
    }

    #[test]
    fn every_unknown_key_is_reported_in_the_order_of_the_file() {
        let text = "colour = 1\n[languages.en]\nbase_url = \"https://a.example/\"\nicon = \"x\"\n";
        let lines: Vec<usize> = problems(text).iter().map(|p| p.line).collect();
        assert_eq!(lines, [1, 4]);
    }

    #[test]
    fn keys_of_the_users_own_are_not_flagged() {
        let text = "[languages.xx-yy]\nbase_url = \"https://a.example/\"\n\
                    [authors.aliases]\n\"Dan  Roe\" = \"Daniel Roe\"\nzz = \"Z Z\"\n";
        assert_eq!(problems(text), []);
    }

    #[test]
    fn the_configuration_in_the_readme_holds_only_known_keys_and_reads() {
        let readme = include_str!("../../README.md");
        let Some(start) = readme.find("## Configuration") else {
            panic!("README has no Configuration section");
        };
        let block = readme[start..]
            .split("```toml\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next());
        let Some(block) = block else {
            panic!("README's Configuration section has no TOML block");
        };
        assert_eq!(problems(block), []);
        assert_eq!(problems(include_str!("../../config.toml")), []);
        // And the configuration reads them all: the list and the raw structs agree.
        if let Err(e) = super::super::Config::from_toml(Path::new("config.toml"), block) {
            panic!("the README's configuration: {e}");
        }
    }

    #[test]
    fn values_of_the_wrong_kind_are_named_in_plain_words() {
        let cases: &[(&str, usize, &str)] = &[
            (
                "[feeds]\nlimit = \"20\"\n",
                2,
                "`feeds.limit` must be a whole number from 1 to 1000, not a string (\"20\")",
            ),
            (
                "[feeds]\nlimit = 5000\n",
                2,
                "`feeds.limit` must be a whole number from 1 to 1000, not 5000",
            ),
            (
                "[server]\nmax_connections = -1\n",
                2,
                "`server.max_connections` must be a whole number, 1 or more, not -1",
            ),
            (
                "[watch]\nmax_loss_percent = 12.5\n",
                2,
                "`watch.max_loss_percent` must be a whole number from 0 to 100, not a decimal \
                 number (12.5)",
            ),
            (
                "timezone = 5\n",
                1,
                "`timezone` must be an IANA time zone in quotes, such as \"America/Toronto\", \
                 not a whole number (5)",
            ),
            (
                "sections = [\"blog\", 2]\n",
                1,
                "`sections` must be a list of folder names in quotes, such as [\"blog\"]; item 2 \
                 is a whole number (2)",
            ),
            (
                "server = \"127.0.0.1:8080\"\n",
                1,
                "`server` must be a table (a `[server]` section), not a string \
                 (\"127.0.0.1:8080\")",
            ),
            (
                "[authors.aliases]\n\"Dan Roe\" = true\n",
                2,
                "`authors.aliases.\"Dan Roe\"` must be a person's name in quotes, such as \
                 \"Daniel Roe\", not a boolean (true)",
            ),
            (
                "\n\n[websub]\nmax_attempts = 3\n",
                3,
                "`[websub]` needs `hub`: a URL in quotes, such as \"https://digital.example.ca/\"",
            ),
        ];
        for (text, line, message) in cases {
            assert_eq!(
                problems(&format!("{text}{EN}")),
                one(*line, message),
                "{text}"
            );
        }
    }
}
