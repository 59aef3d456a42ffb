//! End-to-end: stable ids. The real binary builds and serves a copy of the sample corpus while
//! posts get corrected dates and new file names, and the feeds, parsed back, must keep each
//! item's first id while its link follows the permalink; `check` must name what it cannot
//! follow; a malformed identity file must stop the commands and stay as it was.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::{Server, sample_with};
use syndic::identity::{self, Lock};

const DESIGN: &str = "content/en/blog/posts/design-system_v2-is-here!.md";
const DESIGN_ID: &str = "https://digital.example.ca/2025/09/23/design-system_v2-is-here/";
const ALERT: &str = "content/en/blog/posts/building-an-emergency-alert-app.md";
const ALERT_ID: &str = "https://digital.example.ca/2023/05/24/building-an-emergency-alert-app/";

fn syndic(config: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_syndic"))
        .arg("--config")
        .arg(config)
        .args(args)
        .env("SYNDIC_LOG", "warn")
        .output()
        .unwrap_or_else(|e| panic!("cannot run syndic: {e}"))
}

fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "syndic failed: {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).to_string()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// Replaces `from` with `to` in the file at `path`, which must hold it.
fn edit(path: &Path, from: &str, to: &str) {
    let text = read(path);
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    write(path, &text.replacen(from, to, 1));
}

fn lock(dir: &Path) -> Lock {
    match identity::read(&dir.join("identity.toml")) {
        Ok(Some(lock)) => lock,
        other => panic!("identity.toml: {other:?}"),
    }
}

/// An item as each format gives it: (id, link).
#[derive(Debug, PartialEq, Eq)]
struct Item {
    id: String,
    link: String,
}

/// The RSS items with a `guid`, as (guid, isPermaLink, link).
fn rss_items(xml: &str) -> Vec<(String, Option<String>, String)> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("RSS: {e}"));
    doc.descendants()
        .filter(|n| n.has_tag_name("item"))
        .map(|item| {
            let child = |name: &str| item.children().find(|c| c.has_tag_name(name));
            let guid = child("guid");
            (
                guid.and_then(|g| g.text()).unwrap_or_default().to_string(),
                guid.and_then(|g| g.attribute("isPermaLink"))
                    .map(str::to_string),
                child("link")
                    .and_then(|l| l.text())
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect()
}

/// The items of an Atom or JSON feed, parsed with feed-rs.
fn items(bytes: &[u8]) -> Vec<Item> {
    let feed = feed_rs::parser::parse(bytes).unwrap_or_else(|e| panic!("feed: {e}"));
    feed.entries
        .into_iter()
        .map(|entry| Item {
            id: entry.id,
            link: entry
                .links
                .first()
                .map(|l| l.href.clone())
                .unwrap_or_default(),
        })
        .collect()
}

/// The item linking to `link` in the built feed `name` (`en.atom`, `en.json`), in `out`.
fn item_at(out: &Path, name: &str, link: &str) -> Item {
    let bytes = std::fs::read(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    items(&bytes)
        .into_iter()
        .find(|i| i.link == link)
        .unwrap_or_else(|| panic!("no item links to {link} in {name}"))
}

/// Asserts that every format of the built `en` feed shows the post at `link` with `id`.
fn shows(out: &Path, link: &str, id: &str) {
    for name in ["en.atom", "en.json"] {
        assert_eq!(
            item_at(out, name, link),
            Item {
                id: id.to_string(),
                link: link.to_string()
            },
            "{name}"
        );
    }
    let rss = rss_items(&read(&out.join("en.rss")));
    let (guid, permalink, _) = rss
        .iter()
        .find(|(_, _, l)| l == link)
        .unwrap_or_else(|| panic!("no RSS item links to {link}"));
    assert_eq!(guid, id);
    // `isPermaLink` says `false` only when the id is not the link (its default is `true`).
    assert_eq!(
        permalink.as_deref(),
        (id != link).then_some("false"),
        "isPermaLink of {guid}"
    );
}

fn build(config: &Path, out: &Path) -> String {
    ok(syndic(
        config,
        &["build", "--no-archives", "--out", &out.to_string_lossy()],
    ))
}

#[test]
fn builds_write_the_lock_and_ids_survive_a_corrected_date_and_a_renamed_file() {
    let (dir, config) = sample_with("");
    let root = dir.path();
    let lock_path = root.join("identity.toml");
    std::fs::remove_file(&lock_path).unwrap_or_else(|e| panic!("{e}"));
    let out = root.join("feeds");

    // The first build writes the lock, one entry a post: the same bytes the repository ships.
    let said = build(&config, &out);
    assert!(
        said.contains("identity.toml (50 new ids, 50 in all)"),
        "{said}"
    );
    let first = read(&lock_path);
    assert_eq!(first, read(&common::root().join("identity.toml")));
    assert_eq!(
        lock(root)
            .translation("en", "design-system-v2")
            .map(|e| e.id.as_str()),
        Some(DESIGN_ID)
    );
    shows(&out, DESIGN_ID, DESIGN_ID);
    // Built again: nothing to add, the file is not written.
    let said = build(&config, &out);
    assert!(!said.contains("identity.toml"), "{said}");

    // A corrected date: a new permalink, the same id; the lock does not change.
    edit(
        &root.join(DESIGN),
        "date: '2025-09-23T13:00:00.000Z'",
        "date: '2025-09-24T13:00:00.000Z'",
    );
    build(&config, &out);
    shows(
        &out,
        "https://digital.example.ca/2025/09/24/design-system_v2-is-here/",
        DESIGN_ID,
    );
    assert_eq!(read(&lock_path), first);

    // A renamed file with a translationKey: the same id; the entry notes the new path.
    let renamed = root.join("content/en/blog/posts/an-emergency-alert-app.md");
    std::fs::rename(root.join(ALERT), &renamed).unwrap_or_else(|e| panic!("{e}"));
    build(&config, &out);
    let link = "https://digital.example.ca/2023/05/24/an-emergency-alert-app/";
    let atom = item_at(&out, "all.atom", link);
    assert_eq!(atom.id, ALERT_ID);
    let entry = lock(root).translation("en", "alert-app").cloned();
    assert_eq!(entry.as_ref().map(|e| e.id.as_str()), Some(ALERT_ID));
    assert_eq!(
        entry.and_then(|e| e.path),
        Some("en/blog/posts/an-emergency-alert-app.md".to_string())
    );

    // `check` tells which posts keep an earlier id.
    let report: serde_json::Value =
        serde_json::from_str(&ok(syndic(&config, &["check", "--format", "json"])))
            .unwrap_or_else(|e| panic!("{e}"));
    let notes: Vec<&str> = report["notes"]
        .as_array()
        .map(|n| n.iter().filter_map(|n| n["path"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        notes,
        [
            "en/blog/posts/an-emergency-alert-app.md",
            "en/blog/posts/design-system_v2-is-here!.md"
        ]
    );
    assert_eq!(report["warnings"], serde_json::json!([]));
}

#[test]
fn check_names_a_renamed_file_without_a_translation_key_and_how_to_keep_its_id() {
    let (dir, config) = sample_with("");
    let root = dir.path();
    let posts = root.join("content/en/blog/posts");
    let out = root.join("feeds");
    let old = posts.join("a-note-without-a-key.md");
    write(
        &old,
        "---\ntitle: A note without a key\nauthor: Ann Lee\ndate: 2026-01-05T10:00:00Z\n---\nA note.\n",
    );
    let said = build(&config, &out);
    assert!(said.contains("(1 new ids, 51 in all)"), "{said}");
    let old_id = "https://digital.example.ca/2026/01/05/a-note-without-a-key/";
    assert_eq!(
        lock(root).path("en/blog/posts/a-note-without-a-key.md"),
        Some(old_id)
    );

    let new = posts.join("a-note-with-a-better-name.md");
    std::fs::rename(&old, &new).unwrap_or_else(|e| panic!("{e}"));
    let output = syndic(&config, &["check"]);
    assert_eq!(output.status.code(), Some(0), "warnings do not fail check");
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    // (Its other warning says it has no translationKey, hence no translation.)
    let warning = text
        .lines()
        .find(|l| {
            l.starts_with("warning: en/blog/posts/a-note-with-a-better-name.md:")
                && l.contains("matches no post")
        })
        .unwrap_or_else(|| panic!("no warning:\n{text}"));
    for part in [
        "en/blog/posts/a-note-without-a-key.md",
        old_id,
        "under [path]",
        "translationKey",
    ] {
        assert!(warning.contains(part), "{part} not in {warning}");
    }
    assert!(
        text.contains("1 more, for the posts not in it yet"),
        "{text}"
    );

    // The fix the warning gives: the key renamed in the lock. The post keeps its id.
    edit(
        &root.join("identity.toml"),
        "\"en/blog/posts/a-note-without-a-key.md\"",
        "\"en/blog/posts/a-note-with-a-better-name.md\"",
    );
    let text = ok(syndic(&config, &["check"]));
    assert!(!text.contains("matches no post"), "{text}");
    assert!(
        text.contains("note: en/blog/posts/a-note-with-a-better-name.md: first published as"),
        "{text}"
    );
    build(&config, &out);
    shows(
        &out,
        "https://digital.example.ca/2026/01/05/a-note-with-a-better-name/",
        old_id,
    );
}

#[test]
fn a_malformed_lock_stops_every_command_and_is_left_as_it_is() {
    let (dir, config) = sample_with("");
    let lock_path = dir.path().join("identity.toml");
    let broken = "version = 1\n\n[path]\n\"en/blog/posts/x.md\" = \n";
    write(&lock_path, broken);
    let out = dir.path().join("feeds");
    for args in [
        vec!["check"],
        vec!["posts"],
        vec!["build", "--out", &out.to_string_lossy()],
        vec!["serve", "--listen", "127.0.0.1:0"],
    ] {
        let output = syndic(&config, &args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("identity.toml:4:") && stderr.contains("left as it is"),
            "{args:?}: {stderr}"
        );
    }
    assert!(!out.exists(), "a build went ahead");
    assert_eq!(read(&lock_path), broken);
    // `authors` needs no ids.
    ok(syndic(&config, &["authors"]));
}

/// Polls the file at `path` until `done` holds for its text, at most 20 s.
fn until_file(server: &Server, path: &PathBuf, done: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if done(&text) {
            return text;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{} never changed as expected:\n{text}\nlog:\n{}",
            path.display(),
            server.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn while_serving_an_edited_date_keeps_the_guid_and_new_posts_reach_the_lock() {
    let (dir, config) = sample_with("");
    let root = dir.path();
    let lock_path = root.join("identity.toml");
    let shipped = read(&lock_path);
    let server = Server::start(&config);
    let guid = |rss: &str, link: &str| {
        rss_items(rss)
            .into_iter()
            .find(|(_, _, l)| l == link)
            .map(|(guid, permalink, _)| (guid, permalink))
    };
    let rss = server.get("/feeds/en.rss", &[]).text();
    assert_eq!(guid(&rss, DESIGN_ID), Some((DESIGN_ID.to_string(), None)));

    // A corrected date: the link moves, the guid stays, the lock is not written.
    edit(
        &root.join(DESIGN),
        "date: '2025-09-23T13:00:00.000Z'",
        "date: '2025-09-22T13:00:00.000Z'",
    );
    let moved = "https://digital.example.ca/2025/09/22/design-system_v2-is-here/";
    let rss = common::until(&server, "/feeds/en.rss", |b| b.contains(moved));
    assert_eq!(
        guid(&rss, moved),
        Some((DESIGN_ID.to_string(), Some("false".to_string())))
    );
    let atom = server.get("/feeds/en.atom", &[]);
    let entry = items(&atom.body)
        .into_iter()
        .find(|i| i.link == moved)
        .unwrap_or_else(|| panic!("no Atom entry links to {moved}"));
    assert_eq!(entry.id, DESIGN_ID);
    assert_eq!(read(&lock_path), shipped);

    // A new post: published under its permalink, and written to the lock.
    write(
        &root.join("content/en/blog/posts/fresh-off-the-press.md"),
        "---\ntitle: Fresh off the press\nauthor: Ann Lee\ndate: 2026-02-02T10:00:00Z\n\
         translationKey: fresh\n---\nNews.\n",
    );
    let fresh = "https://digital.example.ca/2026/02/02/fresh-off-the-press/";
    common::until(&server, "/feeds/en.rss", |b| b.contains(fresh));
    let text = until_file(&server, &lock_path, |t| t.contains("\nfresh = "));
    assert!(
        text.contains(&format!("fresh = {{ id = \"{fresh}\"")),
        "{text}"
    );

    // The lock broken by hand while serving: the next reload keeps the ids it had and leaves
    // the file alone, saying why.
    let broken = format!("{text}\n[path\n");
    write(&lock_path, &broken);
    edit(
        &root.join(DESIGN),
        "Design system v2 is here!",
        "Design system v2 is out!",
    );
    let rss = common::until(&server, "/feeds/en.rss", |b| {
        b.contains("Design system v2 is out!")
    });
    assert_eq!(
        guid(&rss, moved),
        Some((DESIGN_ID.to_string(), Some("false".to_string())))
    );
    assert_eq!(read(&lock_path), broken);
    assert!(server.log().contains("identity.toml:"), "{}", server.log());
    // `/healthz` says so: the feeds are current, but the ids are in memory only.
    let health: serde_json::Value =
        serde_json::from_str(&server.get("/healthz", &[]).text()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(health["status"], "degraded", "{health}");
    let why = health["identity_error"].as_str().unwrap_or_default();
    assert!(why.contains("identity.toml"), "{health}");

    // Mended: the next reload reads it again, and the health is good again.
    write(&lock_path, &text);
    edit(
        &root.join(DESIGN),
        "Design system v2 is out!",
        "Design system v2 is here!",
    );
    common::until(&server, "/feeds/en.rss", |b| {
        b.contains("Design system v2 is here!")
    });
    let health: serde_json::Value =
        serde_json::from_str(&server.get("/healthz", &[]).text()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(health["status"], "ok", "{health}");
    assert!(health["identity_error"].is_null(), "{health}");
}
