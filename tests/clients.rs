//! What the feed clients people use show of the feeds: for every subscription document of the
//! sample corpus (or another, below), each client reads it over HTTP from the real server and must show each item's
//! own permalink as its link, its id, title and published date, and its people, in the order the
//! feed gives them and exactly the posts the feed's scope holds.
//!
//! The clients: feedparser (PyPI; Python readers, rss2email, Planet), gofeed (Debian
//! `golang-github-mmcdole-gofeed-dev`; Go aggregators), rss-parser (npm; newsletter and
//! automation tools), feed-rs (Rust), newsboat and sfeed (Debian). Each but feed-rs runs as its
//! own program from `tests/clients/`, which prints what the client shows as JSON lines.
//!
//! People: every client shows every person of an RSS or JSON Feed item (one `dc:creator` and
//! JSON Feed 1.0's `author` name them all). Of an Atom entry with several `author`s, rss-parser
//! and sfeed show only the first; the table of docs/feeds.md (What readers show) says what each
//! shows, and this test holds each client to it.
//!
//! `SYNDIC_CLIENTS_CONFIG=PATH` reads the corpus of that configuration instead of the sample.
//!
//! `.ci/run` installs the clients. A missing one fails its test and says how to install it,
//! unless `SYNDIC_SKIP_CLIENTS=1`, which skips the clients that are missing (and says so).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Server, root};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Rss,
    Atom,
    Json,
}

impl Format {
    fn of(path: &str) -> Option<Format> {
        match path.rsplit_once('.')?.1 {
            "rss" => Some(Format::Rss),
            "atom" => Some(Format::Atom),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// Which people of an item with several a client shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shows {
    Everyone,
    /// The first person only.
    First,
}

/// One post, as `syndic posts --format json` gives it.
#[derive(Debug, Clone)]
struct Post {
    lang: String,
    title: String,
    published: i64,
    permalink: String,
    id: String,
    /// The people's names, or the byline when it names nobody.
    people: Vec<String>,
    slugs: Vec<String>,
    /// `tags/<slug>` and `categories/<slug>` for each of its terms.
    terms: Vec<String>,
}

/// What a client shows of one item.
#[derive(Debug, Default, Clone)]
struct Shown {
    link: Option<String>,
    id: Option<String>,
    title: Option<String>,
    published: Option<i64>,
    /// Every name the client gives for the item, in all its author fields.
    people: Vec<String>,
}

/// What a client shows of one document: its items, or the error it reported.
type Reading = Result<Vec<Shown>, String>;

fn posts(config: &Path) -> Vec<Post> {
    let output = Command::new(env!("CARGO_BIN_EXE_syndic"))
        .arg("--config")
        .arg(config)
        .args(["posts", "--format", "json"])
        .output()
        .unwrap_or_else(|e| panic!("syndic posts: {e}"));
    assert!(output.status.success(), "syndic posts failed");
    let value: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("posts json: {e}"));
    let text = |v: &serde_json::Value, key: &str| v[key].as_str().unwrap_or_default().to_string();
    value
        .as_array()
        .unwrap_or_else(|| panic!("posts is not a list"))
        .iter()
        .map(|p| {
            let authors = p["authors"].as_array().cloned().unwrap_or_default();
            let people: Vec<String> = if authors.is_empty() {
                vec![text(p, "byline")]
            } else {
                authors.iter().map(|a| text(a, "name")).collect()
            };
            let date = chrono::DateTime::parse_from_rfc3339(&text(p, "date"))
                .unwrap_or_else(|e| panic!("date of {}: {e}", text(p, "path")));
            Post {
                lang: text(p, "lang"),
                title: text(p, "title"),
                published: date.timestamp(),
                permalink: text(p, "permalink"),
                id: text(p, "id"),
                people,
                slugs: authors.iter().map(|a| text(a, "slug")).collect(),
                terms: ["tags", "categories"]
                    .iter()
                    .flat_map(|key| {
                        let terms = p[*key].as_array().cloned().unwrap_or_default();
                        terms
                            .iter()
                            .map(|t| format!("{key}/{}", text(t, "slug")))
                            .collect::<Vec<_>>()
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Every subscription document (path under `/feeds/`) and the ids it must hold, newest first:
/// the newest `limit` posts of its scope.
fn documents(server: &Server, posts: &[Post], limit: usize) -> Vec<(String, Vec<String>)> {
    let opml = server.get("/feeds/all.opml", &[]).text();
    let doc = roxmltree::Document::parse(&opml).unwrap_or_else(|e| panic!("all.opml: {e}"));
    let mut out = Vec::new();
    for url in doc.descendants().filter_map(|n| n.attribute("xmlUrl")) {
        let path = url
            .split_once("/feeds/")
            .map(|(_, p)| p.to_string())
            .unwrap_or_else(|| panic!("{url} is not under /feeds/"));
        let stem = path.rsplit_once('.').map_or(path.as_str(), |(s, _)| s);
        // A term's slug beyond ASCII is escaped in the URL (`tags/caf%C3%A9-culture`).
        let stem = percent_encoding::percent_decode_str(stem).decode_utf8_lossy();
        let in_scope = |p: &Post| -> bool {
            let parts: Vec<&str> = stem.split('/').collect();
            match parts.as_slice() {
                ["all"] => true,
                [lang] => p.lang == *lang,
                ["authors", slug] => p.slugs.iter().any(|s| s == slug),
                [lang, "authors", slug] => p.lang == *lang && p.slugs.iter().any(|s| s == slug),
                [key @ ("tags" | "categories"), slug] => p.terms.contains(&format!("{key}/{slug}")),
                [lang, key @ ("tags" | "categories"), slug] => {
                    p.lang == *lang && p.terms.contains(&format!("{key}/{slug}"))
                }
                _ => panic!("{path}: a feed of unknown scope"),
            }
        };
        let ids = posts
            .iter()
            .filter(|p| in_scope(p))
            .take(limit)
            .map(|p| p.id.clone())
            .collect();
        out.push((path, ids));
    }
    assert!(
        out.iter().any(|(path, _)| path == "all.atom"),
        "all.opml does not list all.atom"
    );
    out
}

/// A client run as a program: `program args... URL...` prints one JSON line per URL.
struct Program {
    name: &'static str,
    command: Command,
}

/// The JSON lines a client program printed, by URL.
fn readings(program: Program, urls: &[String]) -> BTreeMap<String, Reading> {
    let Program { name, mut command } = program;
    let output = command
        .args(urls)
        .output()
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(
        output.status.success(),
        "{name} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut out = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{name} printed {line}: {e}"));
        let url = value["url"].as_str().unwrap_or_default().to_string();
        let error = value["error"].as_str().unwrap_or_default();
        let reading = if error.is_empty() {
            let items = value["items"].as_array().cloned().unwrap_or_default();
            Ok(items.iter().map(shown).collect())
        } else {
            Err(error.to_string())
        };
        out.insert(url, reading);
    }
    out
}

fn shown(item: &serde_json::Value) -> Shown {
    let text = |key: &str| item[key].as_str().map(str::to_string);
    let mut people: Vec<String> = item["authors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a.as_str().map(str::to_string))
        .collect();
    people.extend(text("author"));
    Shown {
        link: text("link"),
        id: text("id"),
        title: text("title"),
        published: item["published"].as_i64(),
        people,
    }
}

/// Whether the client was `found`: false (its test is skipped) when it was not and
/// `SYNDIC_SKIP_CLIENTS=1`; otherwise a missing client fails, saying how to install it.
fn available(name: &str, install: &str, found: bool) -> bool {
    if found {
        return true;
    }
    if std::env::var("SYNDIC_SKIP_CLIENTS").as_deref() == Ok("1") {
        eprintln!("SYNDIC_SKIP_CLIENTS=1: {name} is missing, its test is skipped");
        return false;
    }
    panic!("{name} is missing: {install} (as .ci/run does), or set SYNDIC_SKIP_CLIENTS=1")
}

fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn clients_dir() -> PathBuf {
    root().join("tests").join("clients")
}

fn python(script: &str) -> Command {
    let mut command = Command::new("python3");
    command.arg(clients_dir().join(script));
    command
}

/// The corpus to read, in a folder of its own: a copy of the sample, or of the configuration
/// `SYNDIC_CLIENTS_CONFIG` names, reading its `content_dir` where it is and a copy of its
/// identity file (so that the server adds nothing to the original). With the items a
/// subscription document holds.
fn corpus() -> (tempfile::TempDir, PathBuf, usize) {
    let Ok(original) = std::env::var("SYNDIC_CLIENTS_CONFIG") else {
        let (dir, config) = common::sample_with("");
        return (dir, config, 20);
    };
    let original = std::fs::canonicalize(&original).unwrap_or_else(|e| panic!("{original}: {e}"));
    let original = original.as_path();
    let text =
        std::fs::read_to_string(original).unwrap_or_else(|e| panic!("{}: {e}", original.display()));
    let mut table: toml::Table =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", original.display()));
    let beside = original.parent().unwrap_or(Path::new("."));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let content = table
        .get("content_dir")
        .and_then(|v| v.as_str())
        .unwrap_or("content");
    let content = beside.join(content).to_string_lossy().to_string();
    table.insert("content_dir".to_string(), content.into());
    let identity = table
        .get("identity_file")
        .and_then(|v| v.as_str())
        .unwrap_or("identity.toml");
    let copy = dir.path().join("identity.toml");
    if beside.join(identity).is_file() {
        std::fs::copy(beside.join(identity), &copy).unwrap_or_else(|e| panic!("{identity}: {e}"));
    }
    table.insert(
        "identity_file".to_string(),
        copy.to_string_lossy().to_string().into(),
    );
    let limit = table
        .get("feeds")
        .and_then(|f| f.get("limit"))
        .and_then(|l| l.as_integer())
        .and_then(|l| usize::try_from(l).ok())
        .unwrap_or(20);
    let config = dir.path().join("config.toml");
    let text = toml::to_string(&table).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&config, text).unwrap_or_else(|e| panic!("{e}"));
    (dir, config, limit)
}

/// Whether a client keeps the items in the document's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Order {
    Document,
    /// Its own (it sorts them when it shows them): the items are compared as a set.
    Own,
}

/// Checks what a client showed of every document against the posts; panics with every fault.
fn check(
    client: &str,
    atom: Shows,
    order: Order,
    formats: &[Format],
    read: impl FnOnce(&Server, &[String]) -> BTreeMap<String, Reading>,
) {
    let (_dir, config, limit) = corpus();
    let server = Server::start(&config);
    let posts = posts(&config);
    let by_id: BTreeMap<&str, &Post> = posts.iter().map(|p| (p.id.as_str(), p)).collect();
    let documents: Vec<(String, Vec<String>)> = documents(&server, &posts, limit)
        .into_iter()
        .filter(|(path, _)| Format::of(path).is_some_and(|f| formats.contains(&f)))
        .collect();
    let base = format!("http://{}/feeds/", server.addr);
    let urls: Vec<String> = documents
        .iter()
        .map(|(p, _)| format!("{base}{p}"))
        .collect();
    let readings = read(&server, &urls);

    let mut faults = Vec::new();
    let mut several = 0;
    for (path, ids) in &documents {
        let format = Format::of(path).unwrap_or(Format::Rss);
        let items = match readings.get(&format!("{base}{path}")) {
            Some(Ok(items)) => items,
            Some(Err(e)) => {
                faults.push(format!("{path}: {e}"));
                continue;
            }
            None => {
                faults.push(format!("{path}: not read"));
                continue;
            }
        };
        let mut got: Vec<&str> = items
            .iter()
            .map(|i| i.id.as_deref().unwrap_or(""))
            .collect();
        let mut ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        if order == Order::Own {
            got.sort_unstable();
            ids.sort_unstable();
        }
        if got != ids {
            faults.push(format!("{path}: items {got:?}, expected {ids:?}"));
        }
        for item in items {
            let id = item.id.as_deref().unwrap_or("");
            let Some(post) = by_id.get(id) else {
                continue;
            };
            let mut fault = |what: &str, got: &dyn std::fmt::Debug, want: &dyn std::fmt::Debug| {
                faults.push(format!("{path}: {id}: {what} {got:?}, expected {want:?}"));
            };
            if item.link.as_deref() != Some(post.permalink.as_str()) {
                fault("link", &item.link, &post.permalink);
            }
            if item.title.as_deref().map(str::trim) != Some(post.title.trim()) {
                fault("title", &item.title, &post.title);
            }
            if item.published != Some(post.published) {
                fault("published", &item.published, &post.published);
            }
            // RSS's and JSON Feed 1.0's one author field has a byline's parentheses as
            // square brackets (see `byline_names`).
            let shows = |name: &String| {
                let bracketed = name.replace('(', "[").replace(')', "]");
                item.people
                    .iter()
                    .any(|p| p.contains(name.as_str()) || p.contains(&bracketed))
            };
            let expected = match (format, atom) {
                (Format::Atom, Shows::First) => &post.people[..1],
                _ => &post.people[..],
            };
            if !expected.iter().all(shows) {
                fault("people", &item.people, &expected);
            }
            if post.people.len() > 1 {
                several += 1;
                // Held to what docs/feeds.md says it shows: not more either.
                if format == Format::Atom && atom == Shows::First && post.people.iter().all(shows) {
                    fault("people (more than the first)", &item.people, &expected);
                }
            }
        }
    }
    if std::env::var_os("SYNDIC_CLIENTS_CONFIG").is_none() {
        // The sample's 78 feeds, among them items with several people.
        assert_eq!(documents.len() / formats.len(), 78, "{client}: documents");
        assert!(
            several > 0,
            "{client}: no item with several people was read"
        );
    }
    assert!(
        faults.is_empty(),
        "{client}: {} faults:\n{}\nserver log:\n{}",
        faults.len(),
        faults.join("\n"),
        server.log()
    );
}

const XML: &[Format] = &[Format::Rss, Format::Atom];
const ALL: &[Format] = &[Format::Rss, Format::Atom, Format::Json];

#[test]
fn feedparser_shows_every_item_as_published() {
    let found = runs("python3", &["-c", "import feedparser"]);
    if !available("feedparser", "pip install feedparser", found) {
        return;
    }
    // feedparser 6 reads RSS and Atom; JSON Feed is not in a release yet.
    check(
        "feedparser",
        Shows::Everyone,
        Order::Document,
        XML,
        |_, urls| {
            let program = Program {
                name: "feedparser",
                command: python("feedparser_read.py"),
            };
            readings(program, urls)
        },
    );
}

/// gofeed built from Debian's package, without a network: `GOPATH` is the packaged sources.
fn gofeed() -> Option<Command> {
    const GOPATH: &str = "/usr/share/gocode";
    let found = runs("go", &["version"])
        && Path::new(GOPATH)
            .join("src/github.com/mmcdole/gofeed")
            .is_dir();
    let install = "apt-get install golang-go golang-github-mmcdole-gofeed-dev";
    if !available("gofeed", install, found) {
        return None;
    }
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("gofeed-read");
    let build = Command::new("go")
        .current_dir(clients_dir().join("gofeed"))
        .env("GOPATH", GOPATH)
        .env("GO111MODULE", "off")
        .env("GOFLAGS", "")
        .env(
            "GOCACHE",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("gocache"),
        )
        .arg("build")
        .arg("-o")
        .arg(&out)
        .arg(".")
        .output()
        .unwrap_or_else(|e| panic!("go build: {e}"));
    assert!(
        build.status.success(),
        "go build of tests/clients/gofeed failed: {}",
        String::from_utf8_lossy(&build.stderr)
    );
    Some(Command::new(out))
}

#[test]
fn gofeed_shows_every_item_as_published() {
    let Some(command) = gofeed() else {
        return;
    };
    check(
        "gofeed",
        Shows::Everyone,
        Order::Document,
        ALL,
        |_, urls| {
            let name = "gofeed";
            readings(Program { name, command }, urls)
        },
    );
}

#[test]
fn rss_parser_shows_every_item_as_published() {
    let dir = clients_dir().join("rss-parser");
    let found = runs("node", &["--version"]) && dir.join("node_modules/rss-parser").is_dir();
    let install = "npm ci --prefix tests/clients/rss-parser";
    if !available("rss-parser", install, found) {
        return;
    }
    // rss-parser reads RSS and Atom, and shows an Atom entry's first author only.
    check(
        "rss-parser",
        Shows::First,
        Order::Document,
        XML,
        |_, urls| {
            let mut command = Command::new("node");
            command.arg(dir.join("read.js"));
            let name = "rss-parser";
            readings(Program { name, command }, urls)
        },
    );
}

#[test]
fn newsboat_shows_every_item_as_published() {
    let found = runs("newsboat", &["--version"]) && runs("python3", &["-c", "import sqlite3"]);
    if !available("newsboat", "apt-get install newsboat", found) {
        return;
    }
    // newsboat 2.21 reads RSS and Atom.
    check("newsboat", Shows::Everyone, Order::Own, XML, |_, urls| {
        let program = Program {
            name: "newsboat",
            command: python("newsboat_read.py"),
        };
        readings(program, urls)
    });
}

#[test]
fn sfeed_shows_every_item_as_published() {
    // `sfeed` reads a document on stdin and has no option to ask its version.
    let found = Command::new("sfeed")
        .stdin(std::process::Stdio::null())
        .output()
        .is_ok();
    if !available("sfeed", "apt-get install sfeed", found) {
        return;
    }
    // sfeed reads RSS and Atom, and shows an Atom entry's first author only.
    check("sfeed", Shows::First, Order::Document, XML, |_, urls| {
        let program = Program {
            name: "sfeed",
            command: python("sfeed_read.py"),
        };
        readings(program, urls)
    });
}

#[test]
fn feed_rs_shows_every_item_as_published() {
    check(
        "feed-rs",
        Shows::Everyone,
        Order::Document,
        ALL,
        |server, urls| {
            let mut out = BTreeMap::new();
            for url in urls {
                let path = url.split_once("/feeds/").map_or("", |(_, p)| p);
                let reply = server.get(&format!("/feeds/{path}"), &[]);
                let reading = feed_rs::parser::parse(reply.body.as_slice())
                    .map(|feed| {
                        feed.entries
                            .iter()
                            .map(|entry| Shown {
                                // A reader takes the entry's first link (feed-rs keeps them in
                                // document order).
                                link: entry.links.first().map(|l| l.href.clone()),
                                id: Some(entry.id.clone()),
                                title: entry.title.as_ref().map(|t| t.content.clone()),
                                published: entry.published.map(|d| d.timestamp()),
                                people: entry.authors.iter().map(|a| a.name.clone()).collect(),
                            })
                            .collect()
                    })
                    .map_err(|e| e.to_string());
                out.insert(url.clone(), reading);
            }
            out
        },
    );
}

/// What a polling client shows after one more poll: (HTTP status where it tells, item titles
/// by id).
fn poll(client: &str, state: &Path, url: &str) -> (Option<i64>, BTreeMap<String, String>) {
    let output = python("poll.py")
        .arg(client)
        .arg(state)
        .arg(url)
        .output()
        .unwrap_or_else(|e| panic!("poll.py: {e}"));
    assert!(
        output.status.success(),
        "poll.py {client} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let value: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("poll.py {client}: {e}"));
    let items = value["items"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(id, title)| (id.clone(), title.as_str().unwrap_or_default().to_string()))
        .collect();
    (value["status"].as_i64(), items)
}

/// A title edited twice reaches each client that polls with the validators it was given:
/// newsboat (If-None-Match, libcurl's time condition on Last-Modified, A-IM), feedparser
/// (If-None-Match, If-Modified-Since, A-IM) and `curl -z` (If-Modified-Since alone, and libcurl
/// discards a body whose Last-Modified is not later). A poll with nothing new changes nothing.
#[test]
fn an_edited_title_reaches_every_poller_at_its_next_poll() {
    let newsboat = runs("newsboat", &["--version"]);
    let feedparser = runs("python3", &["-c", "import feedparser"]);
    let curl = runs("curl", &["--version"]);
    let all = newsboat && feedparser && curl;
    let install = "apt-get install newsboat curl; pip install feedparser";
    if !available("newsboat, feedparser and curl", install, all) {
        return;
    }
    let (dir, config) = common::sample_with("");
    let server = Server::start(&config);
    let post = dir
        .path()
        .join("content/en/blog/posts/design-system_v2-is-here!.md");
    let id = "https://digital.example.ca/2025/09/23/design-system_v2-is-here/";
    let original = std::fs::read_to_string(&post).unwrap_or_else(|e| panic!("{e}"));
    let states = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let pollers = ["newsboat", "feedparser", "curl"];
    let documents = ["en.atom", "en.rss"];
    let state = |client: &str, doc: &str| states.path().join(format!("{client}-{doc}"));
    let url = |doc: &str| format!("http://{}/feeds/{doc}", server.addr);
    let shows = |title: &str| {
        for client in pollers {
            for doc in documents {
                let (status, items) = poll(client, &state(client, doc), &url(doc));
                assert_eq!(
                    items.get(id).map(String::as_str),
                    Some(title),
                    "{client} on {doc} (status {status:?}) shows the old title\nlog:\n{}",
                    server.log()
                );
            }
        }
    };
    shows("Design system v2 is here!");
    // Polled again with nothing changed: the same, from a 304 where the client tells.
    for client in ["feedparser", "curl"] {
        let (status, _) = poll(client, &state(client, "en.atom"), &url("en.atom"));
        assert_eq!(status, Some(304), "{client}: nothing changed");
    }
    for title in ["Design system v2 is out", "Design system v2 is out now"] {
        let edited = original.replacen(
            "title: Design system v2 is here!",
            &format!("title: {title}"),
            1,
        );
        assert_ne!(edited, original);
        std::fs::write(&post, edited).unwrap_or_else(|e| panic!("{e}"));
        for doc in documents {
            common::until(&server, &format!("/feeds/{doc}"), |b| b.contains(title));
        }
        shows(title);
    }
}
