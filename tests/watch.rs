//! End-to-end: the real server follows changes on disk. Each test edits a copy of the mini
//! fixture and polls over HTTP until the change shows (with a generous bound), then checks
//! what did not change.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{Server, copy_tree, root};

fn mini(extra: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(&root().join("tests/fixtures/mini"), dir.path());
    let config = dir.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap_or_default();
    assert!(std::fs::write(&config, format!("{text}\n{extra}\n")).is_ok());
    (dir, config)
}

fn write(path: &Path, text: &str) {
    assert!(
        std::fs::write(path, text).is_ok(),
        "cannot write {}",
        path.display()
    );
}

/// Replaces `from` with `to` in the configuration, then sends the server SIGHUP.
fn reconfigure(server: &Server, config: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(config).unwrap_or_default();
    assert!(text.contains(from), "{from} not in the configuration");
    write(config, &text.replace(from, to));
    let _ = std::process::Command::new("kill")
        .args(["-HUP", &server.child.id().to_string()])
        .status();
}

/// Saves a post titled `title` at `path`, then waits until the English feed shows it.
fn save_and_see(server: &Server, path: &Path, title: &str, date: &str) {
    write(path, &post(title, date));
    common::until(server, "/feeds/en.atom", |b| b.contains(title));
}

/// A post by Ann Lee titled `title`, dated `date`.
fn post(title: &str, date: &str) -> String {
    format!("---\ntitle: {title}\nauthor: Ann Lee\ndate: {date}\n---\nHi.\n")
}

fn etag(server: &Server, path: &str) -> String {
    server
        .get(path, &[])
        .header("etag")
        .unwrap_or_default()
        .to_string()
}

#[test]
fn edits_additions_and_removals_show_and_other_feeds_keep_their_etags() {
    let (dir, config) = mini("");
    let server = Server::start(&config);
    let fr_before = etag(&server, "/feeds/fr.atom");
    let posts = dir.path().join("content/en/blog/posts");

    let hello = posts.join("hello-world.md");
    let text = std::fs::read_to_string(&hello).unwrap_or_default();
    write(
        &hello,
        &text.replace("This is the first post.", "This is the first post, edited."),
    );
    common::until(&server, "/feeds/en.atom", |b| {
        b.contains("first post, edited")
    });
    assert_eq!(
        etag(&server, "/feeds/fr.atom"),
        fr_before,
        "the French feed changed"
    );

    write(
        &posts.join("a-new-post.md"),
        "---\ntitle: A new post\ndate: 2024-06-01T10:00:00Z\nauthor: Sam Chen\ntranslationKey: new\n---\nFresh words.\n",
    );
    common::until(&server, "/feeds/en.atom", |b| b.contains("A new post"));
    common::until(&server, "/feeds/authors/sam-chen.atom", |b| {
        b.contains("A new post")
    });

    assert!(std::fs::remove_file(posts.join("a-new-post.md")).is_ok());
    common::until(&server, "/feeds/en.atom", |b| !b.contains("A new post"));

    // A rename moves the permalink; the post has a translationKey, so it keeps its id.
    assert!(std::fs::rename(&hello, posts.join("hello-again.md")).is_ok());
    common::until(&server, "/feeds/en.atom", |b| {
        b.contains(
            "<link href=\"https://digital.example.ca/2024/01/15/hello-again/\" rel=\"alternate\" hreflang=\"en\"",
        ) && b.contains("<id>https://digital.example.ca/2024/01/15/hello-world/</id>")
            && !b.contains("<id>https://digital.example.ca/2024/01/15/hello-again/</id>")
    });
    // The French post's translation link followed the rename.
    common::until(&server, "/feeds/fr.atom", |b| {
        b.contains("href=\"https://digital.example.ca/2024/01/15/hello-again/\" rel=\"related\" hreflang=\"en\"")
    });
}

#[test]
fn a_relative_configuration_path_is_watched_too() {
    let (dir, _config) = mini("");
    let server = Server::start_in(dir.path(), Path::new("config.toml"));
    let second = dir
        .path()
        .join("content/en/blog/posts/2024-03-05-second-post.md");
    let text = std::fs::read_to_string(&second).unwrap_or_default();
    write(&second, &text.replace("It links back", "Now it links back"));
    common::until(&server, "/feeds/en.atom", |b| {
        b.contains("Now it links back")
    });
}

#[test]
fn a_broken_save_keeps_the_last_good_version_until_fixed() {
    let (dir, config) = mini("");
    let server = Server::start(&config);
    let hello = dir.path().join("content/en/blog/posts/hello-world.md");
    let good = std::fs::read_to_string(&hello).unwrap_or_default();

    write(&hello, "---\ntitle: 'never closed\ndate: nope\n");
    let health = common::until(&server, "/healthz", |b| b.contains("hello-world.md"));
    assert!(health.contains("last good version"), "{health}");
    let feed = server.get("/feeds/en.atom", &[]).text();
    assert!(
        feed.contains("/2024/01/15/hello-world/"),
        "the post left the feed"
    );

    write(
        &hello,
        &good.replace("This is the first post.", "Fixed again."),
    );
    common::until(&server, "/feeds/en.atom", |b| b.contains("Fixed again."));
    common::until(&server, "/healthz", |b| b.contains("\"errors\":[]"));
}

#[test]
fn a_corpus_that_vanishes_at_once_keeps_the_last_snapshot() {
    let (dir, config) = mini("[watch]\nmax_loss_percent = 30");
    let server = Server::start(&config);
    let en = dir.path().join("content/en");
    let moved = dir.path().join("en-moved-away");
    let before = etag(&server, "/feeds/en.atom");
    assert!(std::fs::rename(&en, &moved).is_ok());
    let health = common::until(&server, "/healthz", |b| b.contains("\"status\":\"stale\""));
    assert!(health.contains("disappeared"), "{health}");
    assert_eq!(etag(&server, "/feeds/en.atom"), before);

    assert!(std::fs::rename(&moved, &en).is_ok());
    common::until(&server, "/healthz", |b| b.contains("\"status\":\"ok\""));
    assert_eq!(etag(&server, "/feeds/en.atom"), before);
}

#[test]
fn sighup_reloads_the_configuration() {
    let (_dir, config) = mini("");
    let server = Server::start(&config);
    reconfigure(
        &server,
        &config,
        "title = \"Example Digital Service\"",
        "title = \"Renamed Service\"",
    );
    common::until(&server, "/feeds/en.atom", |b| {
        b.contains("<title>Renamed Service</title>")
    });
}

#[test]
fn writes_that_never_pause_still_publish() {
    // A write every 40 ms never leaves the 100 ms quiet period: the burst is cut after at most
    // ten quiet periods (at least 1 s), and the feed shows a write made while they go on.
    let (dir, config) = mini("[watch]\nquiet_ms = 100");
    let server = Server::start(&config);
    let second = dir
        .path()
        .join("content/en/blog/posts/2024-03-05-second-post.md");
    let text = std::fs::read_to_string(&second).unwrap_or_default();
    let started = Instant::now();
    let mut seen_while_writing = false;
    let mut n = 0;
    while started.elapsed() < Duration::from_secs(8) {
        n += 1;
        write(
            &second,
            &text.replace("It links back", &format!("Write {n} links back")),
        );
        std::thread::sleep(Duration::from_millis(40));
        if n % 10 == 0
            && server
                .get("/feeds/en.atom", &[])
                .text()
                .contains("links back")
        {
            let body = server.get("/feeds/en.atom", &[]).text();
            if body.contains("Write ") {
                seen_while_writing = true;
                break;
            }
        }
    }
    assert!(
        seen_while_writing,
        "no write was published while writes kept coming; log:\n{}",
        server.log()
    );
}

#[test]
fn a_busy_file_beside_content_dir_does_not_hold_edits_back() {
    // A log written every few milliseconds beside `content/` (`syndic serve > serve.log` run
    // in the site's folder). The folder holding `content_dir` is watched, but only events
    // naming `content_dir` are activity: the edit publishes after the quiet period (3 s), not
    // after the longest a burst may last (ten quiet periods, 30 s), which `until` does not
    // wait for.
    let (dir, config) = mini("[watch]\nquiet_ms = 3000");
    let server = Server::start(&config);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let log = dir.path().join("serve.log");
    let writer = {
        let stop = std::sync::Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut n = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                n += 1;
                let _ = std::fs::write(&log, format!("line {n}\n"));
                std::thread::sleep(Duration::from_millis(5));
            }
            n
        })
    };
    // The neighbour is busy before the edit, as a server's own log would be.
    std::thread::sleep(Duration::from_millis(200));
    let second = dir
        .path()
        .join("content/en/blog/posts/2024-03-05-second-post.md");
    let text = std::fs::read_to_string(&second).unwrap_or_default();
    write(
        &second,
        &text.replace("It links back", "Edited beside a busy log, it links back"),
    );
    common::until(&server, "/feeds/en.atom", |b| {
        b.contains("Edited beside a busy log")
    });
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let writes = writer.join().unwrap_or_default();
    assert!(writes > 10, "the neighbour was written {writes} times only");
}

#[test]
fn after_sighup_names_another_content_dir_its_changes_are_followed() {
    let (dir, config) = mini("");
    let server = Server::start(&config);
    // A second copy of the corpus, then the configuration pointed at it.
    let moved = dir.path().join("moved");
    copy_tree(&dir.path().join("content"), &moved.join("content"));
    write(
        &moved.join("content/en/blog/only-in-the-new-folder.md"),
        &post("Only in the new folder", "2026-03-02T09:00:00Z"),
    );
    reconfigure(
        &server,
        &config,
        "content_dir = \"content\"",
        "content_dir = \"moved/content\"",
    );
    common::until(&server, "/feeds/en.atom", |b| {
        b.contains("Only in the new folder")
    });
    // A save in the new folder is followed like any other.
    save_and_see(
        &server,
        &moved.join("content/en/blog/saved-after-the-move.md"),
        "Saved after the move",
        "2026-03-03T09:00:00Z",
    );
}

#[test]
fn a_content_dir_swapped_for_a_new_one_is_followed() {
    let (dir, config) = mini("");
    let server = Server::start(&config);
    let content = dir.path().join("content");
    // A deploy that builds the new folder beside the old one, then swaps them by renaming.
    let next = dir.path().join("content.next");
    copy_tree(&content, &next);
    write(
        &next.join("en/blog/deployed.md"),
        &post("Deployed by a swap", "2026-03-04T09:00:00Z"),
    );
    assert!(std::fs::rename(&content, dir.path().join("content.old")).is_ok());
    assert!(std::fs::rename(&next, &content).is_ok());
    common::until(&server, "/feeds/en.atom", |b| {
        b.contains("Deployed by a swap")
    });
    // And the folder now in place is the one followed.
    save_and_see(
        &server,
        &content.join("en/blog/after-the-swap.md"),
        "Saved after the swap",
        "2026-03-05T09:00:00Z",
    );
    // Gone altogether, the last snapshot stays; back, it is followed again.
    let away = dir.path().join("content.away");
    assert!(std::fs::rename(&content, &away).is_ok());
    common::until(&server, "/healthz", |b| b.contains("\"status\":\"stale\""));
    assert!(std::fs::rename(&away, &content).is_ok());
    common::until(&server, "/healthz", |b| b.contains("\"status\":\"ok\""));
    save_and_see(
        &server,
        &content.join("en/blog/back-again.md"),
        "Back again",
        "2026-03-06T09:00:00Z",
    );
}

#[test]
fn a_save_made_while_the_first_snapshot_is_built_is_published_after() {
    use std::sync::Arc;
    use syndic::config::Config;
    use syndic::http::encoding::Coding;
    use syndic::http::snapshot::Snapshot;
    use syndic::http::state::State;
    use syndic::identity::LockFile;

    let (dir, config_path) = mini("");
    let config = Arc::new(Config::load(&config_path).unwrap_or_else(|e| panic!("{e}")));
    // As `serve` starts: watching first, then the corpus read and the snapshot built...
    let watching = syndic::watch::begin(&config).unwrap_or_else(|e| panic!("{e}"));
    let identity = LockFile::open(&config.identity_file).unwrap_or_else(|e| panic!("{e}"));
    let corpus = Arc::new(syndic::corpus::load(&config, identity.lock()));
    let snapshot = Snapshot::build(
        Arc::clone(&config),
        corpus,
        std::time::SystemTime::now(),
        None,
    );
    // ...and a post saved after it was read, before the server follows the corpus.
    let post = dir.path().join("content/en/blog/saved-during-startup.md");
    write(
        &post,
        "---\ntitle: Saved during startup\nauthor: Ann Lee\ndate: 2026-03-01T09:00:00Z\n---\nHello.\n",
    );
    let state = match State::new(Arc::clone(&config), snapshot, identity) {
        Ok(state) => Arc::new(state),
        Err(e) => panic!("{e}"),
    };
    let shows = |state: &State| {
        state.snapshot.load().get("en.atom").is_some_and(|r| {
            let body = r.body(Coding::Identity).concat();
            String::from_utf8_lossy(&body).contains("Saved during startup")
        })
    };
    assert!(!shows(&state), "the snapshot was built before the save");
    let _following = watching
        .follow(Arc::clone(&state))
        .unwrap_or_else(|e| panic!("{e}"));
    let started = Instant::now();
    while !shows(&state) {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the save made during startup was never published"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A copy of one of the generator fixtures (`tests/fixtures/generators/NAME`), and its
/// configuration.
fn generator_site(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(
        &root().join("tests/fixtures/generators").join(name),
        dir.path(),
    );
    let config = dir.path().join("syndic.toml");
    (dir, config)
}

#[test]
fn a_jekyll_site_is_followed_as_jekyll_publishes_it() {
    let (dir, config) = generator_site("jekyll");
    let server = Server::start(&config);
    let site = dir.path();
    let feed = "/feeds/en.atom";
    common::until(&server, feed, |b| b.contains("Hello, World"));

    // A draft is not published; a new post takes its date and slug from its file name.
    write(
        &site.join("_drafts/still-thinking.md"),
        "---\ntitle: Still thinking\nauthors: [sam-chen]\n---\nNot yet.\n",
    );
    write(
        &site.join("_posts/2024-09-01-fresh-news.md"),
        "---\ntitle: Fresh news\nauthors: [sam-chen]\n---\nJust in.\n",
    );
    let body = common::until(&server, feed, |b| {
        b.contains("https://jekyll.example.org/blog/2024/09/01/fresh-news/")
    });
    assert!(body.contains("2024-09-01T00:00:00-04:00"), "{body}");
    assert!(!body.contains("Still thinking"), "a draft was published");

    // A rename to another date moves the permalink and the date.
    assert!(
        std::fs::rename(
            site.join("_posts/2024-09-01-fresh-news.md"),
            site.join("_posts/2024-09-03-fresh-news.md"),
        )
        .is_ok()
    );
    let body = common::until(&server, feed, |b| {
        b.contains("https://jekyll.example.org/blog/2024/09/03/fresh-news/")
    });
    assert!(!body.contains("/2024/09/01/fresh-news/"), "{body}");

    // The people file is content too: a name changed there shows in every post naming the id.
    let people = site.join("_data/authors.yml");
    let text = std::fs::read_to_string(&people).unwrap_or_default();
    write(
        &people,
        &text.replace("name: Sam Chen", "name: Samuel Chen"),
    );
    let body = common::until(&server, feed, |b| b.contains("<name>Samuel Chen</name>"));
    assert!(!body.contains("<name>Sam Chen</name>"), "{body}");

    // A broken save of it keeps the last good names, and the fix is applied.
    write(&people, "sam-chen: [unclosed\n");
    write(
        &site.join("_posts/2024-09-04-later.md"),
        "---\ntitle: Later news\nauthors: [sam-chen]\n---\nMore.\n",
    );
    let body = common::until(&server, feed, |b| b.contains("Later news"));
    assert!(body.contains("<name>Samuel Chen</name>"), "{body}");
    write(
        &people,
        &text.replace("name: Sam Chen", "name: Sam C. Chen"),
    );
    common::until(&server, feed, |b| b.contains("<name>Sam C. Chen</name>"));
}

#[test]
fn a_hugo_site_by_file_name_is_followed_as_hugo_publishes_it() {
    let (dir, config) = generator_site("hugo-filenames");
    let server = Server::start(&config);
    let site = dir.path();
    let posts = site.join("content/posts");
    common::until(&server, "/feeds/en.atom", |b| b.contains("Welcome Aboard"));

    // Two files with one base name are translations of each other.
    write(
        &posts.join("harbour-news.md"),
        "---\ntitle: Harbour news\ndate: 2024-09-01T10:00:00-04:00\nauthors: [sam-chen]\n---\nBoats.\n",
    );
    write(
        &posts.join("harbour-news.fr.md"),
        "---\ntitle: Nouvelles du port\ndate: 2024-09-01T10:00:00-04:00\nauthors: [sam-chen]\n---\nBateaux.\n",
    );
    let french = "href=\"https://hugo-files.example.org/fr/2024/09/01/nouvelles-du-port/\" rel=\"related\" hreflang=\"fr\"";
    let body = common::until(&server, "/feeds/en.atom", |b| b.contains(french));
    assert!(
        body.contains("https://hugo-files.example.org/2024/09/01/harbour-news/"),
        "{body}"
    );
    common::until(&server, "/feeds/fr.atom", |b| {
        b.contains("href=\"https://hugo-files.example.org/2024/09/01/harbour-news/\" rel=\"related\" hreflang=\"en\"")
    });

    // The translation removed: the English post stands alone again.
    assert!(std::fs::remove_file(posts.join("harbour-news.fr.md")).is_ok());
    common::until(&server, "/feeds/en.atom", |b| {
        b.contains("Harbour news") && !b.contains(french)
    });

    // A draft saved is not published; the same file no longer a draft is.
    write(
        &posts.join("harbour-news.md"),
        "---\ntitle: Harbour news\ndate: 2024-09-01T10:00:00-04:00\nauthors: [sam-chen]\ndraft: true\n---\nBoats.\n",
    );
    common::until(&server, "/feeds/en.atom", |b| !b.contains("Harbour news"));

    // Hugo's people are a folder beside `content/`, outside the corpus: followed too.
    let sam = site.join("data/authors/sam-chen.toml");
    write(&sam, "name = \"Samuel Chen\"\n");
    let body = common::until(&server, "/feeds/en.atom", |b| {
        b.contains("<name>Samuel Chen</name>")
    });
    assert!(!body.contains("<name>Sam Chen</name>"), "{body}");
}

#[test]
fn an_eleventy_data_files_permalink_edited_moves_the_posts_under_it() {
    let (dir, config) = generator_site("eleventy");
    let server = Server::start(&config);
    let feed = "/feeds/all.atom";
    let before = "https://eleventy.example.org/blog/2024/01/15/hello-world/";
    common::until(&server, feed, |b| b.contains(before));
    let data = dir.path().join("content/posts/posts.11tydata.json");
    let text = std::fs::read_to_string(&data).unwrap_or_default();
    let pattern = "/{{ page.date | date: '%Y/%m/%d' }}/{{ page.fileSlug | slugify }}/";
    assert!(text.contains(pattern), "{text}");
    write(
        &data,
        &text.replace(pattern, "/posts/{{ page.fileSlug | slugify }}/"),
    );
    // The link moves; the id stays the one first published.
    let moved = "<link href=\"https://eleventy.example.org/blog/posts/hello-world/\"";
    let body = common::until(&server, feed, |b| b.contains(moved));
    assert!(
        !body.contains(&format!("<link href=\"{before}\"")),
        "{body}"
    );
    assert!(body.contains(&format!("<id>{before}</id>")), "{body}");

    // A pattern syndic cannot read keeps the last good one, and the posts still reload.
    write(&data, "{\"permalink\": \"/{{ page.url }}/\"}");
    write(
        &dir.path().join("content/posts/2024-09-01-fresh.md"),
        "---\ntitle: Fresh\nauthors: [sam-chen]\n---\nNew.\n",
    );
    let body = common::until(&server, feed, |b| b.contains("Fresh"));
    assert!(
        body.contains("https://eleventy.example.org/blog/posts/fresh/"),
        "{body}"
    );
}
