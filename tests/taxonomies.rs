//! End-to-end: the feeds of tags and categories, on a copy of the `tags` fixture, built by
//! `syndic build`, served by `syndic serve` and followed while it watches the corpus: an edit
//! that adds a tag makes its feeds appear (and the OPML list and index page name them), and
//! the last post of a tag or category leaving takes its feeds away.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Server, copy_tree, root};

/// A copy of the fixture: a build or a server writes the identity file beside the config.
fn fixture() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(&root().join("tests/fixtures/tags"), dir.path());
    let config = dir.path().join("config.toml");
    (dir, config)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) {
    assert!(
        std::fs::write(path, text).is_ok(),
        "cannot write {}",
        path.display()
    );
}

/// The ids of a feed's items, as feed-rs reads them.
fn ids(bytes: &[u8]) -> Vec<String> {
    match feed_rs::parser::parse(bytes) {
        Ok(feed) => feed.entries.into_iter().map(|e| e.id).collect(),
        Err(e) => panic!("does not parse: {e}\n{}", String::from_utf8_lossy(bytes)),
    }
}

#[test]
fn a_build_writes_every_tag_and_category_feed_with_archives_and_lists_them() {
    let (dir, config) = fixture();
    let out = dir.path().join("feeds");
    let output = Command::new(env!("CARGO_BIN_EXE_syndic"))
        .arg("--config")
        .arg(&config)
        .args(["build", "--out"])
        .arg(&out)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(output.status.success(), "{output:?}");
    for path in [
        "tags/accessibility.rss",
        "tags/accessibility.atom",
        "tags/accessibility.json",
        "en/tags/cafe-culture.atom",
        "fr/tags/accessibilite.json",
        "categories/news.rss",
        "fr/categories/nouvelles.atom",
        "archive/tags/accessibility/1.atom",
        "archive/en/categories/news/1.rss",
        "archive/fr/categories/nouvelles/2.json",
    ] {
        assert!(out.join(path).is_file(), "{path} not built");
        assert!(
            out.join(format!("{path}.gz")).is_file(),
            "{path}.gz not built"
        );
    }
    assert!(
        !out.join("tags/posts.rss").exists(),
        "an ignored tag has a feed"
    );
    // The oldest page of a four-post tag, two posts a page, holds its two oldest posts.
    let page = std::fs::read(out.join("archive/tags/accessibility/1.atom")).unwrap_or_default();
    let ids = ids(&page);
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(
        ids.iter().any(|id| id.ends_with("/accessible-forms/")),
        "{ids:?}"
    );
    let opml = read(&out.join("all.opml"));
    for url in [
        "https://digital.example.ca/feeds/tags/accessibility.rss",
        "https://digital.example.ca/feeds/fr/tags/accessibilite.json",
        "https://digital.example.ca/feeds/categories/guides.atom",
    ] {
        assert!(
            opml.contains(&format!("xmlUrl=\"{url}\"")),
            "{url} not in the OPML"
        );
    }
    assert!(opml.contains("<outline text=\"Tags / Étiquettes\">"));
    let index = read(&out.join("index.html"));
    assert!(index.contains("href=\"en/categories/news.atom\""));
    assert!(index.contains("<h2 id=\"by-tag\">"));
}

#[test]
fn served_tag_feeds_follow_edits_that_add_and_remove_terms() {
    let (dir, config) = fixture();
    let server = Server::start(&config);
    let posts = dir.path().join("content/en/blog/posts");

    let reply = server.get("/feeds/tags/accessibility.atom", &[]);
    assert_eq!(reply.status, 200);
    assert_eq!(ids(&reply.body).len(), 2);
    let reply = server.get("/feeds/archive/tags/accessibility/1.rss", &[]);
    assert_eq!(reply.status, 200, "archive page not served");
    assert_eq!(ids(&reply.body).len(), 2);
    assert_eq!(server.get("/feeds/tags/onboarding.rss", &[]).status, 404);

    // A tag added to a post: its feeds appear, and the lists name them.
    let plain = posts.join("2024-03-01-plain-post.md");
    let text = read(&plain);
    write(
        &plain,
        &text.replacen(
            "author: Ann Lee\n",
            "author: Ann Lee\ntags: [Onboarding]\n",
            1,
        ),
    );
    let body = common::until(&server, "/feeds/tags/onboarding.rss", |b| {
        b.contains("A post with no tags")
    });
    assert!(
        body.contains(
            "<category domain=\"https://digital.example.ca/feeds/tags/\">Onboarding</category>"
        ),
        "{body}"
    );
    assert_eq!(
        server.get("/feeds/en/tags/onboarding.json", &[]).status,
        200
    );
    assert_eq!(
        server.get("/feeds/fr/tags/onboarding.json", &[]).status,
        404
    );
    common::until(&server, "/feeds/all.opml", |b| {
        b.contains("/feeds/tags/onboarding.atom")
    });
    common::until(&server, "/feeds/index.html", |b| {
        b.contains("href=\"en/tags/onboarding.rss\"")
    });

    // Taken away again: the feeds go, and so do their lines.
    write(&plain, &text);
    common::until(&server, "/feeds/all.opml", |b| !b.contains("onboarding"));
    assert_eq!(server.get("/feeds/tags/onboarding.rss", &[]).status, 404);
    assert_eq!(
        server.get("/feeds/en/tags/onboarding.atom", &[]).status,
        404
    );

    // The last post of a tag and a category removed: `releases` goes; `news` keeps its others.
    let release = posts.join("2024-05-20-release-notes.md");
    assert!(std::fs::remove_file(&release).is_ok());
    common::until(&server, "/feeds/all.opml", |b| {
        !b.contains("/tags/releases.")
    });
    assert_eq!(server.get("/feeds/tags/releases.atom", &[]).status, 404);
    let news = server.get("/feeds/categories/news.atom", &[]);
    assert_eq!(news.status, 200);
    let ids = ids(&news.body);
    assert!(
        !ids.iter().any(|id| id.ends_with("/release-notes/")),
        "{ids:?}"
    );
    assert!(
        ids.iter().any(|id| id.ends_with("/accessibility-audit/")),
        "{ids:?}"
    );
}

/// The Hugo fixture by language folder is in today's layout (`content/<lang>/posts/`): each
/// post syndic loads from it has the tags and categories Hugo published for it, as written
/// and in the same order (`expected.json`, from Hugo's own build).
#[test]
fn tags_and_categories_are_those_hugo_publishes() {
    let fixture = root().join("tests/fixtures/generators/hugo-folders");
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let config = dir.path().join("config.toml");
    write(
        &config,
        &format!(
            "content_dir = {:?}\ntimezone = \"America/Toronto\"\nsections = [\"posts\"]\n\
             [languages.en]\nbase_url = \"https://hugo-en.example.org/\"\n\
             [languages.fr]\nbase_url = \"https://hugo-fr.example.org/\"\n",
            fixture.join("content")
        ),
    );
    let output = Command::new(env!("CARGO_BIN_EXE_syndic"))
        .arg("--config")
        .arg(&config)
        .args(["posts", "--format", "json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let posts: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)));
    let expected: serde_json::Value = serde_json::from_str(&read(&fixture.join("expected.json")))
        .unwrap_or_else(|e| panic!("expected.json: {e}"));
    let names = |terms: &serde_json::Value| -> Vec<String> {
        let terms = terms.as_array().cloned().unwrap_or_default();
        terms
            .iter()
            .map(|t| {
                t["name"]
                    .as_str()
                    .or(t.as_str())
                    .unwrap_or_default()
                    .to_string()
            })
            .collect()
    };
    let mut compared = 0;
    let mut tagged = 0;
    for want in expected["posts"].as_array().cloned().unwrap_or_default() {
        let source = want["source"].as_str().unwrap_or_default();
        let path = source.strip_prefix("content/").unwrap_or(source);
        let Some(post) = posts
            .as_array()
            .and_then(|all| all.iter().find(|p| p["path"] == path))
        else {
            continue;
        };
        for key in ["tags", "categories"] {
            assert_eq!(names(&post[key]), names(&want[key]), "{source} {key}");
        }
        compared += 1;
        tagged += usize::from(!names(&want["tags"]).is_empty());
    }
    assert!(
        compared >= 8 && tagged >= 4,
        "{compared} posts compared, {tagged} tagged"
    );
}
