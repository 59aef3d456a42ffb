//! Hugo, Jekyll and Eleventy corpora loaded by configuration alone
//! (`tests/fixtures/generators/<name>/syndic.toml`), compared post by post with what the
//! generator itself published for them (`expected.json`, see that folder's README): the
//! permalink, the date (the instant, and the offset it is shown in), updated, the language and
//! the translations, the people, the summary (read from each generator's own front-matter keys),
//! the tags and categories, and that the posts the generator leaves unpublished are absent;
//! and that each Hugo tag and category feed is named as Hugo's page of that term.
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
        // Tags and categories, as written and in order. Eleventy's `tags` begin with the
        // directory data file's `posts` (`posts/posts.11tydata.json`), which syndic does not
        // read (yet): the comparison is of the post's own tags, those after it.
        for (key, field) in [("tags", "tags"), ("categories", "categories")] {
            let mut want = names(&post[key], "");
            if name == "eleventy" && key == "tags" && want.first().is_some_and(|t| t == "posts") {
                want.remove(0);
            }
            diff(
                source,
                field,
                format!("{want:?}"),
                format!("{:?}", names(&mine[key], "name")),
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

/// (front-matter `date:` value, generator, why syndic differs from what the generator
/// published for it in `date-forms/expected.json`).
const KNOWN_DATES: &[(&str, &str, &str)] = &[];

/// One post's site for `generator`, shaped like `date-forms/<generator>/`, with syndic's
/// configuration beside it: the probe `2001-02-03-probe.md` with `date: <form>` and a second
/// post whose date every generator reads. Returns the folder and the probe's path as syndic
/// names it.
fn date_form_site(generator: &str, form: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    common::copy_tree(&fixture("date-forms").join(generator), dir.path());
    let (posts, config) = match generator {
        "hugo" => (
            "content/posts",
            "content_dir = \"content\"\ntimezone = \"America/Toronto\"\n\
             [posts]\ngenerator = \"hugo\"\nlang_from = \"site\"\npatterns = [\"posts/**/*.md\"]\n\
             [posts.permalinks]\nposts = \"/:year/:month/:day/:slug/\"\n\
             [languages.en]\nbase_url = \"https://hugo-dates.example.org/\"\n",
        ),
        "jekyll" => (
            "_posts",
            "content_dir = \".\"\ntimezone = \"America/Toronto\"\n\
             permalink = \"/:year/:month/:day/:title/\"\n\
             [posts]\ngenerator = \"jekyll\"\n\
             [languages.en]\nbase_url = \"https://jekyll-dates.example.org/\"\n",
        ),
        _ => (
            "content/posts",
            "content_dir = \"content\"\n\
             [posts]\ngenerator = \"eleventy\"\n\
             [languages.en]\nbase_url = \"https://eleventy-dates.example.org/\"\n",
        ),
    };
    let write = |path: PathBuf, text: &str| {
        std::fs::create_dir_all(path.parent().unwrap_or(dir.path()))
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    };
    write(dir.path().join("syndic.toml"), config);
    write(
        dir.path().join(posts).join("2001-02-03-probe.md"),
        &format!("---\ntitle: Probe\ndate: {form}\n---\nA probe.\n"),
    );
    write(
        dir.path().join(posts).join("2001-02-04-kept.md"),
        "---\ntitle: Kept\ndate: 2001-02-04T12:00:00Z\n---\nKept.\n",
    );
    let probe = format!("{posts}/2001-02-03-probe.md");
    let probe = match generator {
        "jekyll" => probe,
        _ => probe.trim_start_matches("content/").to_string(),
    };
    (dir, probe)
}

/// syndic `args` with `--format json` on the site's configuration: its standard output as JSON.
fn syndic_json(site: &Path, args: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_syndic"))
        .arg("--config")
        .arg(site.join("syndic.toml"))
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap_or_else(|e| panic!("syndic {args:?}: {e}"));
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "syndic {args:?}: {e}: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Each of the 26 front-matter date values of `date-forms/forms.txt`, in a one-post site of each
/// generator's shape: syndic gives the date (the instant and the offset it is shown in) and the
/// URL that Hugo, Jekyll and Eleventy published for it. Where the generator's build failed, or
/// Hugo published its zero date 0001-01-01, syndic refuses the date with an error naming the
/// file and the line, and leaves the post out while keeping the other one.
#[test]
fn every_date_form_as_each_generator_publishes_it() {
    let path = fixture("date-forms").join("expected.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let expected: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let forms = expected["forms"].as_array().cloned().unwrap_or_default();
    assert_eq!(forms.len(), 26, "{path:?}");
    let mut found = Vec::new();
    for form in &forms {
        let written = form["date"].as_str().unwrap_or_default();
        for generator in ["hugo", "jekyll", "eleventy"] {
            let want = &form[generator];
            let refused = want["build"] == "failed"
                || want["date"]
                    .as_str()
                    .is_some_and(|d| d.starts_with("0001-01-01"));
            let (site, probe) = date_form_site(generator, written);
            let posts = syndic_json(site.path(), &["posts"]);
            let listed = |path: &str| {
                posts
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find(|p| p["path"] == path)
                    .cloned()
            };
            let kept = probe
                .replace("probe", "kept")
                .replace("2001-02-03", "2001-02-04");
            assert!(
                listed(&kept).is_some(),
                "{generator} {written}: the other post is left out too: {posts:#}"
            );
            let mine = listed(&probe);
            let mut diff = |field: &str, want: String, have: String| {
                if want != have {
                    found.push((
                        written.to_string(),
                        generator,
                        field.to_string(),
                        want,
                        have,
                    ));
                }
            };
            if refused {
                let report = syndic_json(site.path(), &["check"]);
                let errors = report["errors"].as_array().cloned().unwrap_or_default();
                let named = errors
                    .iter()
                    .any(|e| e["path"] == probe.as_str() && e["line"] == 3);
                diff(
                    "refused",
                    "an error at line 3, the post left out".into(),
                    match (named, &mine) {
                        (true, None) => "an error at line 3, the post left out".into(),
                        _ => format!("errors {errors:?}, post {mine:?}"),
                    },
                );
                continue;
            }
            let Some(mine) = mine else {
                diff("present", "published".into(), "absent".into());
                continue;
            };
            let instant =
                |v: &Value| date(v).map(|d| (d.timestamp(), d.offset().local_minus_utc()));
            diff(
                "date",
                format!("{:?}", instant(&want["date"])),
                format!("{:?}", instant(&mine["date"])),
            );
            diff(
                "url",
                want["url"].to_string(),
                mine["permalink"].to_string(),
            );
        }
    }
    let unexplained: Vec<_> = found
        .iter()
        .filter(|(form, generator, ..)| {
            !KNOWN_DATES
                .iter()
                .any(|(f, g, _)| f == form && g == generator)
        })
        .collect();
    assert!(
        unexplained.is_empty(),
        "differences from the generators' output (form, generator, field, expected, syndic):\n\
         {unexplained:#?}"
    );
    for (form, generator, _) in KNOWN_DATES {
        assert!(
            found.iter().any(|(f, g, ..)| f == form && g == generator),
            "{generator} {form} is listed as a known difference but matches now: take it out"
        );
    }
}

/// The Jekyll fixture built with another `permalink:` (`_config.VARIANT.yml`: Jekyll's named
/// patterns `pretty`, `date`, `ordinal`, `none` and `weekdate`, and `/:year/:month/:day/:slug/`),
/// and syndic given the same value as `permalink`: every post at the URL Jekyll published
/// (`expected.VARIANT.json`).
#[test]
fn jekyll_permalink_variants_match_jekyll() {
    for variant in ["pretty", "date", "slug", "ordinal", "none", "weekdate"] {
        let config = fixture("jekyll").join(format!("_config.{variant}.yml"));
        let yaml = std::fs::read_to_string(&config).unwrap_or_else(|e| panic!("{config:?}: {e}"));
        let pattern = yaml
            .lines()
            .find_map(|l| l.strip_prefix("permalink:"))
            .map(str::trim)
            .unwrap_or_else(|| panic!("{config:?}: no permalink"));
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        common::copy_tree(&fixture("jekyll"), dir.path());
        let toml_path = dir.path().join("syndic.toml");
        let toml = std::fs::read_to_string(&toml_path).unwrap_or_else(|e| panic!("{e}"));
        let toml: String = toml
            .lines()
            .map(|l| match l.starts_with("permalink =") {
                true => format!("permalink = \"{pattern}\"\n"),
                false => format!("{l}\n"),
            })
            .collect();
        assert!(
            toml.contains(&format!("permalink = \"{pattern}\"")),
            "{toml}"
        );
        std::fs::write(&toml_path, toml).unwrap_or_else(|e| panic!("{e}"));
        let posts = syndic_json(dir.path(), &["posts"]);
        let url_of: BTreeMap<&str, &str> = posts
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                (
                    p["path"].as_str().unwrap_or_default(),
                    p["permalink"].as_str().unwrap_or_default(),
                )
            })
            .collect();
        let path = fixture("jekyll").join(format!("expected.{variant}.json"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        let expected: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        let mut compared = 0;
        let mut differ = Vec::new();
        for post in expected["posts"].as_array().into_iter().flatten() {
            let source = post["source"].as_str().unwrap_or_default();
            let want = post["url"].as_str().unwrap_or_default();
            compared += 1;
            let have = url_of.get(source).copied().unwrap_or("absent");
            if have != want {
                differ.push((source, want, have));
            }
        }
        assert!(compared >= 10, "{variant}: only {compared} posts");
        assert!(
            differ.is_empty(),
            "{variant} (`{pattern}`): (source, Jekyll, syndic)\n{differ:#?}"
        );
    }
}

/// Eleventy formats a permalink's date in the zone of the process that builds the site (`TZ`);
/// `expected.toronto.json` is the fixture built with `TZ=America/Toronto`. syndic's
/// `timezone = "America/Toronto"` with `date_zone = "site"` gives the same URLs and the same
/// instants; the fixture's own configuration (UTC) gives six other URLs, as Eleventy with
/// `TZ=UTC` did.
#[test]
fn eleventy_built_in_another_zone_matches_date_zone_site() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    common::copy_tree(&fixture("eleventy"), dir.path());
    let toml_path = dir.path().join("syndic.toml");
    let toml = std::fs::read_to_string(&toml_path).unwrap_or_else(|e| panic!("{e}"));
    let zoned = format!("timezone = \"America/Toronto\"\n{toml}").replace(
        "generator = \"eleventy\"\n",
        "generator = \"eleventy\"\ndate_zone = \"site\"\n",
    );
    assert!(zoned.contains("date_zone = \"site\""), "{zoned}");
    let path = fixture("eleventy").join("expected.toronto.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let expected: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let mut differing_urls = Vec::new();
    for (config, zoned) in [(toml, false), (zoned, true)] {
        std::fs::write(&toml_path, config).unwrap_or_else(|e| panic!("{e}"));
        let posts = syndic_json(dir.path(), &["posts"]);
        let mut compared = 0;
        let mut urls = 0;
        for post in expected["posts"].as_array().into_iter().flatten() {
            let source = post["source"].as_str().unwrap_or_default();
            let path = syndic_path("eleventy", source);
            let mine = posts
                .as_array()
                .into_iter()
                .flatten()
                .find(|p| p["path"] == path.as_str())
                .unwrap_or_else(|| panic!("{source} absent: {posts:#}"));
            compared += 1;
            let instant = |v: &Value| date(v).map(|d| d.timestamp());
            assert_eq!(instant(&post["date"]), instant(&mine["date"]), "{source}");
            if post["url"] != mine["permalink"] {
                urls += 1;
                assert!(
                    !zoned,
                    "{source}: {} from Eleventy in Toronto, {} from syndic",
                    post["url"], mine["permalink"]
                );
            }
        }
        assert!(compared >= 12, "only {compared} posts");
        differing_urls.push(urls);
    }
    assert_eq!(differing_urls, [6, 0], "URLs unlike Eleventy's in Toronto");
}

/// An Eleventy data file whose `permalink` syndic cannot translate, or a JavaScript one that
/// sets it, stops `check` (exit 2) with an error naming the file, the line and the part, and
/// telling to set `permalink`; with `permalink` set in syndic's configuration, the site loads.
#[test]
fn an_eleventy_permalink_syndic_cannot_read_is_an_error_naming_the_data_file() {
    let cases = [
        (
            "posts.11tydata.json",
            "{\n  \"tags\": [\"posts\"],\n  \"permalink\": \"/{{ page.filePathStem }}/\"\n}\n",
            "posts/posts.11tydata.json:3:",
            "`{{ page.filePathStem }}`",
        ),
        (
            "posts.11tydata.js",
            "module.exports = {\n  permalink: (data) => `/${data.page.fileSlug}/`,\n};\n",
            "posts/posts.11tydata.js:2:",
            "cannot run JavaScript",
        ),
    ];
    for (file, text, at, part) in cases {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        common::copy_tree(&fixture("eleventy"), dir.path());
        let posts = dir.path().join("content/posts");
        std::fs::remove_file(posts.join("posts.11tydata.json")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(posts.join(file), text).unwrap_or_else(|e| panic!("{e}"));
        let config = dir.path().join("syndic.toml");
        let check = || {
            Command::new(env!("CARGO_BIN_EXE_syndic"))
                .arg("--config")
                .arg(&config)
                .arg("check")
                .output()
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let output = check();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{file}: {stderr}");
        assert!(
            stderr.contains(at) && stderr.contains(part) && stderr.contains("set `permalink`"),
            "{file}: {stderr}"
        );
        let toml = std::fs::read_to_string(&config).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(
            &config,
            format!("permalink = \"/:year/:month/:day/:slug/\"\n{toml}"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let output = check();
        assert!(
            output.status.success(),
            "{file}, with permalink set: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// Jekyll reads `last_modified_at` as it reads `date`: unquoted without an offset, a YAML
/// timestamp in UTC; quoted, text in the site's zone. Eleventy's file and git dates
/// (`date: Last Modified`) are refused, syndic reading written dates only.
#[test]
fn updated_dates_are_read_as_dates_are() {
    for (written, want) in [
        ("2024-08-15 02:30:00", "2024-08-14T22:30:00-04:00"),
        ("\"2024-08-15 02:30:00\"", "2024-08-15T02:30:00-04:00"),
    ] {
        let form = format!("2024-08-16T10:00:00-04:00\nlast_modified_at: {written}");
        let (site, probe) = date_form_site("jekyll", &form);
        let posts = syndic_json(site.path(), &["posts"]);
        let post = posts
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["path"] == probe.as_str())
            .unwrap_or_else(|| panic!("{written}: {posts:#}"));
        assert_eq!(post["updated"], want, "{written}");
    }
    let (site, probe) = date_form_site("eleventy", "Last Modified");
    let report = syndic_json(site.path(), &["check"]);
    let refused = report["errors"].as_array().into_iter().flatten().any(|e| {
        e["path"] == probe.as_str()
            && e["message"]
                .as_str()
                .is_some_and(|m| m.contains("written dates only"))
    });
    assert!(refused, "{report:#}");
}

/// Each tag's and category's feed is named as Hugo names that term's page: for every term of
/// every post of both Hugo fixtures, the page Hugo published (`tag_urls`, `category_urls`:
/// `/tags/qa/` for `Q&A`, `/tags/caf%C3%A9-culture/`) gives the feeds `tags/qa.atom` and
/// `tags/caf%C3%A9-culture.atom`, across languages and in the post's language, served at that
/// address and naming itself by it.
#[test]
fn hugo_term_feeds_are_named_as_hugo_names_the_term_pages() {
    for name in ["hugo-folders", "hugo-filenames"] {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        common::copy_tree(&fixture(name), dir.path());
        let server = common::Server::start(&dir.path().join("syndic.toml"));
        let mine = syndic_posts(name);
        let mut compared = 0;
        for post in expected(name)["posts"].as_array().into_iter().flatten() {
            let source = post["source"].as_str().unwrap_or_default();
            let lang = post["lang"].as_str().unwrap_or_default();
            // A post syndic leaves out is a difference of its own (see KNOWN).
            let Some(terms) = mine.get(&syndic_path(name, source)) else {
                continue;
            };
            for (key, urls) in [("tags", "tag_urls"), ("categories", "category_urls")] {
                let names = post[key].as_array().cloned().unwrap_or_default();
                let pages = post[urls].as_array().cloned().unwrap_or_default();
                assert_eq!(names.len(), pages.len(), "{name}: {source} {key}");
                for (term, page) in names.iter().zip(&pages) {
                    let page = page.as_str().unwrap_or_default();
                    // The page's last segment, as Hugo escaped it: `caf%C3%A9-culture`.
                    let segment = page
                        .trim_end_matches('/')
                        .rsplit('/')
                        .next()
                        .unwrap_or_default();
                    let slug = terms[key]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .find(|t| t["name"] == *term)
                        .and_then(|t| t["slug"].as_str())
                        .unwrap_or_else(|| panic!("{name}: {source}: no {key} {term}"));
                    let decoded = percent_encoding::percent_decode_str(segment).decode_utf8_lossy();
                    assert_eq!(slug, decoded, "{name}: {source}: {term} ({page})");
                    for feed in [
                        format!("/feeds/{key}/{segment}.atom"),
                        format!("/feeds/{lang}/{key}/{segment}.atom"),
                    ] {
                        let reply = server.get(&feed, &[]);
                        assert_eq!(reply.status, 200, "{name}: {source}: {feed}");
                        // Its self link: `https://<host>/feeds/tags/caf%C3%A9-culture.atom`.
                        let text = reply.text();
                        assert!(
                            text.contains(&format!("{feed}\"")),
                            "{name}: {feed} does not name itself so:\n{text}"
                        );
                    }
                    compared += 1;
                }
            }
        }
        assert!(compared >= 8, "{name}: only {compared} terms compared");
    }
}

/// `syndic build` of a fixture into a temporary folder: the folder and the tree's path.
fn built(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let site = dir.path().join("site");
    common::copy_tree(&fixture(name), &site);
    let out = dir.path().join("feeds");
    let output = Command::new(env!("CARGO_BIN_EXE_syndic"))
        .arg("--config")
        .arg(site.join("syndic.toml"))
        .args(["build", "--no-archives", "--out"])
        .arg(&out)
        .output()
        .unwrap_or_else(|e| panic!("syndic build: {e}"));
    assert!(
        output.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (dir, out)
}

fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The people's URLs of the fixtures' files of people reach the feeds: each item's Atom
/// `author/uri` and JSON Feed `authors[].url` (and 1.0's `author.url` for one person) is the
/// person's own page where the file gives an http or https one (a relative one made absolute
/// on the site), else their feed; each person's feed names them with it. The Jekyll file's
/// `mailto:` URL is left out with a warning naming the file and line.
#[test]
fn people_urls_from_the_file_of_people_reach_the_feeds() {
    let lea = Some("https://people.example.org/lea/");
    let marie = Some("https://people.example.org/marie/");
    for (name, feeds, people) in [
        (
            "hugo-folders",
            "https://hugo-en.example.org/feeds/",
            vec![
                ("Léa Martin", "lea-martin", lea),
                ("Marie Dupuis", "marie-dupuis", marie),
                // `/about/sam/` in data/authors/sam-chen.toml.
                (
                    "Sam Chen",
                    "sam-chen",
                    Some("https://hugo-en.example.org/about/sam/"),
                ),
            ],
        ),
        (
            "jekyll",
            "https://jekyll.example.org/blog/feeds/",
            vec![
                ("Léa Martin", "lea-martin", lea),
                ("Marie Dupuis", "marie-dupuis", marie),
                // `mailto:` is no page: left out.
                ("Sam Chen", "sam-chen", None),
            ],
        ),
        (
            "eleventy",
            "https://eleventy.example.org/blog/feeds/",
            vec![
                ("Léa Martin", "lea-martin", lea),
                ("Marie Dupuis", "marie-dupuis", marie),
                (
                    "Sam Chen",
                    "sam-chen",
                    Some("https://people.example.org/sam/"),
                ),
            ],
        ),
    ] {
        let (_dir, out) = built(name);
        let want = |person: &str, format: &str| -> String {
            let (_, slug, url) = people
                .iter()
                .find(|(n, ..)| *n == person)
                .unwrap_or_else(|| panic!("{name}: who is {person}?"));
            url.map_or_else(|| format!("{feeds}authors/{slug}.{format}"), str::to_string)
        };
        // Atom: every entry's authors.
        let atom = read_text(&out.join("all.atom"));
        let doc = roxmltree::Document::parse(&atom).unwrap_or_else(|e| panic!("{e}"));
        let mut seen = 0;
        for entry in doc.descendants().filter(|n| n.has_tag_name("entry")) {
            for author in entry.children().filter(|n| n.has_tag_name("author")) {
                let text = |tag: &str| {
                    author
                        .children()
                        .find(|n| n.has_tag_name(tag))
                        .and_then(|n| n.text())
                        .unwrap_or_default()
                        .to_string()
                };
                assert_eq!(text("uri"), want(&text("name"), "atom"), "{name}: Atom");
                seen += 1;
            }
        }
        // JSON Feed: every item's authors, and its single author.
        let json: Value = serde_json::from_str(&read_text(&out.join("all.json")))
            .unwrap_or_else(|e| panic!("{e}"));
        for item in json["items"].as_array().into_iter().flatten() {
            let authors = item["authors"].as_array().cloned().unwrap_or_default();
            for author in &authors {
                let who = author["name"].as_str().unwrap_or_default();
                assert_eq!(author["url"], want(who, "json"), "{name}: JSON {who}");
                seen += 1;
            }
            if let [one] = authors.as_slice() {
                assert_eq!(item["author"]["url"], one["url"], "{name}: JSON 1.0 author");
            }
        }
        assert!(seen >= 20, "{name}: only {seen} authors seen");
        // Each person's own feed names them with their page.
        for (person, slug, url) in &people {
            let atom = read_text(&out.join(format!("authors/{slug}.atom")));
            let doc = roxmltree::Document::parse(&atom).unwrap_or_else(|e| panic!("{e}"));
            let head = doc
                .root_element()
                .children()
                .find(|n| n.has_tag_name("author"))
                .unwrap_or_else(|| panic!("{name}: {slug}.atom has no author"));
            let uri = head
                .children()
                .find(|n| n.has_tag_name("uri"))
                .and_then(|n| n.text());
            assert_eq!(uri, *url, "{name}: {slug}.atom");
            let json: Value =
                serde_json::from_str(&read_text(&out.join(format!("authors/{slug}.json"))))
                    .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(json["authors"][0]["name"], *person, "{name}: {slug}.json");
            assert_eq!(
                json["authors"][0]["url"].as_str(),
                *url,
                "{name}: {slug}.json"
            );
            assert_eq!(json["author"]["url"].as_str(), *url, "{name}: {slug}.json");
        }
    }
    let output = Command::new(env!("CARGO_BIN_EXE_syndic"))
        .arg("--config")
        .arg(fixture("jekyll").join("syndic.toml"))
        .args(["check", "--format", "json"])
        .output()
        .unwrap_or_else(|e| panic!("syndic check: {e}"));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}"));
    let warnings = report["warnings"].as_array().cloned().unwrap_or_default();
    let about_url: Vec<&Value> = warnings
        .iter()
        .filter(|w| w["path"] == "_data/authors.yml")
        .collect();
    assert_eq!(about_url.len(), 1, "{warnings:#?}");
    assert_eq!(about_url[0]["line"], 6);
    assert_eq!(
        about_url[0]["message"],
        "`sam-chen`: `mailto:sam@example.org` is not an http or https URL: the URL is left out"
    );
}
