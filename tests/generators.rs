//! Hugo, Jekyll and Eleventy corpora loaded by configuration alone
//! (`tests/fixtures/generators/<name>/syndic.toml`), compared post by post with what the
//! generator itself published for them (`expected.json`, see that folder's README): the
//! permalink, the date (the instant, and the offset it is shown in), updated, the language and
//! the translations, the people, the summary (read from each generator's own front-matter keys),
//! and that the posts the generator leaves unpublished are absent.
//!
//! Where syndic does not follow a generator's rule, the difference is listed in [`KNOWN`] with
//! its reason; a listed difference that is no longer one fails the test too.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::DateTime;
use serde_json::Value;

/// (fixture, source, field, why syndic differs).
const KNOWN: &[(&str, &str, &str, &str)] = &[
    (
        "hugo-folders",
        "content/en/posts/short-offset.md",
        "present",
        "Hugo reads `2024-08-15 10:00:00 -4` as the zero date 0001-01-01 and publishes the post \
         at /1/01/01/, silently; syndic refuses the date with an error naming the line",
    ),
    (
        "jekyll",
        "_posts/2024-03-06-permalink-override.md",
        "authors",
        "`authors: [sam-chen]` beside `author: Guest Writer`: the fixture's own template shows \
         both, Jekyll has no rule of its own, and syndic takes `authors:` where it is given",
    ),
    (
        "hugo-folders",
        "content/en/posts/hello-world.md",
        "summary",
        "no `summary:`: Hugo's automatic summary is the body's first 70 words, across \
         paragraphs; syndic's is the first paragraph",
    ),
    (
        "hugo-filenames",
        "content/posts/welcome.md",
        "summary",
        "no `summary:`: Hugo's automatic summary is the body's first 70 words, across \
         paragraphs; syndic's is the first paragraph",
    ),
    (
        "hugo-folders",
        "content/en/posts/fixed-url.md",
        "summary",
        "no `summary:`: Hugo's Markdown prints the body's `'` as `’` (typographer), and its \
         summary with it; syndic's summary keeps the body's text as written",
    ),
    (
        "jekyll",
        "_posts/2024-03-06-permalink-override.md",
        "summary",
        "no `excerpt:`: kramdown prints the body's `'` as `’` (smart quotes), and the excerpt \
         with it; syndic's summary keeps the body's text as written",
    ),
    (
        "jekyll",
        "_posts/2024-08-16-no-offset.md",
        "summary",
        "no `excerpt:`: kramdown prints the body's `'` as `’` (smart quotes), and the excerpt \
         with it; syndic's summary keeps the body's text as written",
    ),
];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/generators")
        .join(name)
}

/// `syndic posts --format json` on the fixture's configuration: path -> post.
fn syndic_posts(name: &str) -> BTreeMap<String, Value> {
    let config = fixture(name).join("syndic.toml");
    let output = Command::new(env!("CARGO_BIN_EXE_syndic"))
        .arg("--config")
        .arg(&config)
        .args(["posts", "--format", "json"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run syndic: {e}"));
    assert!(
        output.status.success(),
        "{name}: syndic posts failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let posts: Vec<Value> = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{name}: posts is not JSON: {e}"));
    posts
        .into_iter()
        .map(|p| (p["path"].as_str().unwrap_or_default().to_string(), p))
        .collect()
}

fn expected(name: &str) -> Value {
    let path = fixture(name).join("expected.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

/// The generator's source path as syndic names it (relative to `content_dir`).
fn syndic_path(name: &str, source: &str) -> String {
    match name {
        "jekyll" => source.to_string(),
        _ => source
            .strip_prefix("content/")
            .unwrap_or(source)
            .to_string(),
    }
}

fn date(value: &Value) -> Option<DateTime<chrono::FixedOffset>> {
    DateTime::parse_from_rfc3339(value.as_str()?).ok()
}

/// Every difference between what the generator published and what syndic lists, as
/// (source, field, expected, got).
fn differences(name: &str) -> Vec<(String, String, String, String)> {
    let expected = expected(name);
    let got = syndic_posts(name);
    let hugo = name.starts_with("hugo");
    let mut out = Vec::new();
    let mut diff = |source: &str, field: &str, want: String, have: String| {
        if want != have {
            out.push((source.to_string(), field.to_string(), want, have));
        }
    };
    let mut seen = BTreeSet::new();
    for post in expected["posts"].as_array().into_iter().flatten() {
        let source = post["source"].as_str().unwrap_or_default();
        let path = syndic_path(name, source);
        seen.insert(path.clone());
        let Some(mine) = got.get(&path) else {
            diff(source, "present", "published".into(), "absent".into());
            continue;
        };
        diff(
            source,
            "url",
            post["url"].to_string(),
            mine["permalink"].to_string(),
        );
        diff(
            source,
            "lang",
            post["lang"].to_string(),
            mine["lang"].to_string(),
        );
        let (want, have) = (date(&post["date"]), date(&mine["date"]));
        diff(
            source,
            "date",
            format!(
                "{:?}",
                want.map(|d| (d.timestamp(), d.offset().local_minus_utc()))
            ),
            format!(
                "{:?}",
                have.map(|d| (d.timestamp(), d.offset().local_minus_utc()))
            ),
        );
        // Hugo's `.Lastmod` is the date when no `lastmod:` is given; syndic gives none then.
        let have_updated = date(&mine["updated"]).or(if hugo { have } else { None });
        diff(
            source,
            "updated",
            format!("{:?}", date(&post["updated"]).map(|d| d.timestamp())),
            format!("{:?}", have_updated.map(|d| d.timestamp())),
        );
        // People: the names the site shows, its ids resolved through its file of people.
        let names = |value: &Value, key: &str| -> Vec<String> {
            value
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| {
                    if key.is_empty() {
                        v.as_str()
                    } else {
                        v[key].as_str()
                    }
                })
                .map(str::to_string)
                .collect()
        };
        diff(
            source,
            "authors",
            format!("{:?}", names(&post["authors"], "")),
            format!("{:?}", names(&mine["authors"], "name")),
        );
        // The summary, where the fixture's template prints one: Eleventy's prints `null` for
        // a post with neither `excerpt:` nor `description:`, where syndic takes the first
        // paragraph.
        if let Some(want) = post["summary"].as_str() {
            diff(
                source,
                "summary",
                want.to_string(),
                mine["summary"].as_str().unwrap_or_default().to_string(),
            );
        }
        if hugo {
            let want = post["translations"].clone();
            let have = mine["translations"].clone();
            diff(source, "translations", want.to_string(), have.to_string());
        }
    }
    for post in expected["not_published"].as_array().into_iter().flatten() {
        let source = post["source"].as_str().unwrap_or_default();
        let path = syndic_path(name, source);
        if got.contains_key(&path) {
            diff(source, "not_published", "absent".into(), "published".into());
        }
        seen.insert(path);
    }
    for path in got.keys().filter(|p| !seen.contains(*p)) {
        diff(
            path,
            "unknown",
            "not in expected.json".into(),
            "published".into(),
        );
    }
    out
}

fn check(name: &str) {
    let found = differences(name);
    let known: Vec<(&str, &str)> = KNOWN
        .iter()
        .filter(|(fixture, ..)| *fixture == name)
        .map(|(_, source, field, _)| (*source, *field))
        .collect();
    let unexplained: Vec<_> = found
        .iter()
        .filter(|(source, field, ..)| !known.contains(&(source.as_str(), field.as_str())))
        .collect();
    assert!(
        unexplained.is_empty(),
        "{name}: differences from the generator's output (source, field, expected, syndic):\n{unexplained:#?}"
    );
    for (source, field) in known {
        assert!(
            found.iter().any(|(s, f, ..)| s == source && f == field),
            "{name}: {source} {field} is listed as a known difference but matches now: \
             take it out of KNOWN"
        );
    }
}

#[test]
fn hugo_by_folder_matches_hugo() {
    check("hugo-folders");
}

#[test]
fn hugo_by_file_name_matches_hugo() {
    check("hugo-filenames");
}

#[test]
fn jekyll_matches_jekyll() {
    check("jekyll");
}

#[test]
fn eleventy_matches_eleventy() {
    check("eleventy");
}

/// A configuration that finds no post is an error naming what was searched, for `check`,
/// `build` and `serve` alike (exit 2), never an empty feed with exit 0.
#[test]
fn a_layout_that_finds_no_post_is_an_error_naming_the_patterns() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let content = dir.path().join("content/posts");
    std::fs::create_dir_all(&content).unwrap_or_else(|e| panic!("{e}"));
    // A post the patterns do not name.
    std::fs::write(
        content.join("2024-01-15-hello.md"),
        "---\ntitle: Hello\n---\nHi.\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "[posts]\ngenerator = \"jekyll\"\npatterns = [\"_posts/**/*.md\"]\n\
         [languages.en]\nbase_url = \"https://a.example/\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for args in [
        vec!["check"],
        vec!["build", "--out"],
        vec!["serve", "--listen", "127.0.0.1:0"],
    ] {
        let mut command = Command::new(env!("CARGO_BIN_EXE_syndic"));
        command.arg("--config").arg(&config).args(&args);
        if args[0] == "build" {
            command.arg(dir.path().join("out"));
        }
        let output = command.output().unwrap_or_else(|e| panic!("{e}"));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("no post found") && stderr.contains("`_posts/**/*.md`"),
            "{args:?}: {stderr}"
        );
    }
}

/// A site in one language is told nothing about translations, and a Hugo post joined to its
/// translations by file name is not warned for having none: neither promises a partner.
#[test]
fn posts_that_promise_no_translation_are_not_warned_for_having_none() {
    for name in ["eleventy", "hugo-folders", "hugo-filenames"] {
        let output = Command::new(env!("CARGO_BIN_EXE_syndic"))
            .arg("--config")
            .arg(fixture(name).join("syndic.toml"))
            .args(["check", "--format", "json"])
            .output()
            .unwrap_or_else(|e| panic!("syndic check: {e}"));
        let report: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{name}: check --format json: {e}"));
        let about_translations: Vec<&Value> = report["warnings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|w| {
                w["message"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("translation")
            })
            .collect();
        assert!(
            about_translations.is_empty(),
            "{name}: {about_translations:#?}"
        );
    }
}

/// The links of a post's HTML, absolute against `base`, in order.
fn links(html: &str, base: &str) -> Vec<String> {
    let base = url::Url::parse(base).unwrap_or_else(|e| panic!("{base}: {e}"));
    let document = scraper::Html::parse_fragment(html);
    let anchors = scraper::Selector::parse("a[href], img[src]").unwrap_or_else(|e| panic!("{e}"));
    document
        .select(&anchors)
        .filter_map(|e| e.value().attr("href").or_else(|| e.value().attr("src")))
        .filter_map(|href| base.join(href).ok())
        .map(|u| u.to_string())
        .collect()
}

/// Template tags in bodies come out as the generator writes them: every link of every post's
/// HTML in the feeds is the link the generator's own page has, and no template text reaches a
/// feed that the generator did not print as text itself (`{% raw %}`). Links to other posts
/// (`post_url`, `ref`, `relref`, in another language too) are among them, and at least one
/// post of each of the three fixtures that have them is checked for one.
#[test]
fn template_tags_come_out_as_the_generators_write_them() {
    const LINKING: &[(&str, &str, &str)] = &[
        (
            "jekyll",
            "_posts/2024-01-15-hello-world.md",
            "https://jekyll.example.org/blog/news/2024/03/07/unpadded-date/",
        ),
        (
            "hugo-folders",
            "content/en/posts/hello-world.md",
            "https://hugo-en.example.org/2024/06/30/late-night-release/",
        ),
        (
            "hugo-filenames",
            "content/posts/welcome.md",
            "https://hugo-files.example.org/fr/2024/03/05/mon-billet-un-paquet-de-page/",
        ),
    ];
    for name in ["hugo-folders", "hugo-filenames", "jekyll", "eleventy"] {
        // A copy: a build writes the identity and last-modified files beside its configuration.
        let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let site = out.path().join("site");
        common::copy_tree(&fixture(name), &site);
        let status = Command::new(env!("CARGO_BIN_EXE_syndic"))
            .arg("--config")
            .arg(site.join("syndic.toml"))
            .args(["build", "--no-archives", "--out"])
            .arg(out.path().join("feeds"))
            .output()
            .unwrap_or_else(|e| panic!("syndic build: {e}"));
        assert!(
            status.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&status.stderr)
        );
        let text = std::fs::read_to_string(out.path().join("feeds/all.json"))
            .unwrap_or_else(|e| panic!("{name}: all.json: {e}"));
        let feed: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        let html_of: BTreeMap<String, String> = feed["items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|i| {
                let url = i["url"].as_str().unwrap_or_default().to_string();
                (
                    url,
                    i["content_html"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        let expected = expected(name);
        let mut compared = 0;
        let mut linking = 0;
        for post in expected["posts"].as_array().into_iter().flatten() {
            let url = post["url"].as_str().unwrap_or_default();
            let source = post["source"].as_str().unwrap_or_default();
            let (Some(mine), Some(theirs)) = (html_of.get(url), post["content"].as_str()) else {
                continue;
            };
            compared += 1;
            for marker in ["{{", "{%", "%}", "}}"] {
                assert_eq!(
                    mine.matches(marker).count(),
                    theirs.matches(marker).count(),
                    "{name}: {source}: `{marker}` in\n{mine}\nexpected\n{theirs}"
                );
            }
            let (mine, theirs) = (links(mine, url), links(theirs, url));
            assert_eq!(mine, theirs, "{name}: {source}");
            for (_, _, target) in LINKING
                .iter()
                .filter(|(n, s, _)| (*n, *s) == (name, source))
            {
                assert!(
                    mine.iter().any(|l| l == target),
                    "{name}: {source}: {mine:?}"
                );
                linking += 1;
            }
        }
        assert!(compared >= 5, "{name}: only {compared} posts compared");
        let listed = LINKING.iter().filter(|(n, ..)| *n == name).count();
        assert_eq!(
            linking, listed,
            "{name}: a post that links to another was not compared"
        );
    }
}

/// A site in one language (the Eleventy fixture) is served with the feeds across languages
/// alone, its pages in its language, and the per-language addresses sent on with a 308.
#[test]
fn a_site_in_one_language_has_one_feed_per_scope_and_pages_in_its_language() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    common::copy_tree(&fixture("eleventy"), dir.path());
    let server = common::Server::start(&dir.path().join("syndic.toml"));
    let opml = server.get("/feeds/all.opml", &[]).text();
    assert!(opml.contains("/feeds/all.atom"), "{opml}");
    assert!(opml.contains("/feeds/authors/sam-chen.atom"), "{opml}");
    assert!(
        !opml.contains("/feeds/en.") && !opml.contains("/feeds/en/"),
        "{opml}"
    );
    let index = server.get("/feeds/", &[]).text();
    assert!(index.contains("<html lang=\"en\""), "{index}");
    assert!(
        !index.contains("lang=\"fr\"") && !index.contains("Étiquettes"),
        "{index}"
    );
    for (old, new) in [
        ("/feeds/en.rss", "/feeds/all.rss"),
        (
            "/feeds/en/authors/sam-chen.atom",
            "/feeds/authors/sam-chen.atom",
        ),
    ] {
        let reply = server.get(old, &[]);
        assert_eq!(reply.status, 308, "{old}");
        let location = reply.header("location").unwrap_or_default();
        assert!(location.ends_with(new), "{old} -> {location}");
        assert_eq!(server.get(new, &[]).status, 200, "{new}");
    }
    let feed = server.get("/feeds/all.rss", &[]).text();
    assert!(feed.contains("<language>en</language>"), "{feed}");
    assert!(
        feed.contains("<title>Eleventy fixture</title>"),
        "one language's title: {feed}"
    );
}
