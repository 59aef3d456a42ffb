//! RFC 3229 delta feeds (`A-IM: feed`): a reader that names a version the server remembers
//! gets `226 IM Used` with only what changed since; anything else gets what it always got.

mod common;

use std::time::{Duration, Instant};

use common::{Server, copy_tree, root};

fn ids(body: &[u8]) -> Vec<String> {
    let feed = feed_rs::parser::parse(body).unwrap_or_else(|e| panic!("not a feed: {e}"));
    feed.entries.iter().map(|e| e.id.clone()).collect()
}

/// Waits, at most 20 s, for `path`'s ETag to differ from `old`, and returns the new one.
fn next_etag(server: &Server, path: &str, old: &str) -> String {
    let started = Instant::now();
    loop {
        let reply = server.get(path, &[]);
        let etag = reply.header("etag").unwrap_or_default().to_string();
        if etag != old {
            return etag;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{path} never changed; log:\n{}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_reader_holding_a_remembered_version_gets_only_what_changed() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(&root().join("tests/fixtures/mini"), dir.path());
    let server = Server::start(&dir.path().join("config.toml"));
    let feed = "/feeds/en.atom";
    let first = server.get(feed, &[]);
    let v1 = first.header("etag").unwrap_or_default().to_string();
    assert_eq!(ids(&first.body).len(), 2);

    // Nothing changed yet: a delta request is a plain conditional request, answered 304.
    let same = server.get(feed, &[("A-IM", "feed"), ("If-None-Match", v1.as_str())]);
    assert_eq!(same.status, 304);

    // One post edited, one added.
    let posts = dir.path().join("content/en/blog/posts");
    let hello = posts.join("hello-world.md");
    let text = std::fs::read_to_string(&hello).unwrap_or_default();
    assert!(
        std::fs::write(
            &hello,
            text.replace("first post.", "first post, corrected.")
        )
        .is_ok()
    );
    let v2 = next_etag(&server, feed, &v1);
    assert!(
        std::fs::write(
            posts.join("2024-06-01-news.md"),
            "---\ntitle: News\ndate: 2024-06-01T10:00:00Z\nauthor: Sam Chen\n\
             translationKey: news\n---\nSome news.\n",
        )
        .is_ok()
    );
    let v3 = next_etag(&server, feed, &v2);

    // Holding v1: the edited post and the new one, newest first, under the current ETag.
    let delta = server.get(
        feed,
        &[("A-IM", "feed, gzip"), ("If-None-Match", v1.as_str())],
    );
    assert_eq!(delta.status, 226, "{}", server.log());
    assert_eq!(delta.header("im"), Some("feed"));
    assert_eq!(delta.header("etag"), Some(v3.as_str()));
    assert_eq!(delta.header("cache-control"), Some("no-store"));
    assert_eq!(
        ids(&delta.body),
        [
            "https://digital.example.ca/2024/06/01/news/",
            "https://digital.example.ca/2024/01/15/hello-world/"
        ]
    );
    // Holding v2: only the new post.
    let delta = server.get(feed, &[("A-IM", "feed"), ("If-None-Match", v2.as_str())]);
    assert_eq!(delta.status, 226);
    assert_eq!(
        ids(&delta.body),
        ["https://digital.example.ca/2024/06/01/news/"]
    );
    // Compressed like any response.
    let zipped = server.get(
        feed,
        &[
            ("A-IM", "feed"),
            ("If-None-Match", v2.as_str()),
            ("Accept-Encoding", "gzip"),
        ],
    );
    assert_eq!(zipped.status, 226);
    assert_eq!(zipped.header("content-encoding"), Some("gzip"));

    // The current version: 304. An unknown version: the whole feed, 200.
    let current = server.get(feed, &[("A-IM", "feed"), ("If-None-Match", v3.as_str())]);
    assert_eq!(current.status, 304);
    let unknown = server.get(feed, &[("A-IM", "feed"), ("If-None-Match", "\"nope\"")]);
    assert_eq!(unknown.status, 200);
    assert_eq!(ids(&unknown.body).len(), 3);
    // Without A-IM, a stale ETag gets the whole feed as always.
    let plain = server.get(feed, &[("If-None-Match", v1.as_str())]);
    assert_eq!(plain.status, 200);
    assert_eq!(ids(&plain.body).len(), 3);
    // The JSON Feed has its own versions.
    let json = server.get(
        "/feeds/en.json",
        &[("A-IM", "feed"), ("If-None-Match", v1.as_str())],
    );
    assert_eq!(json.status, 200);
}

/// A peer listed in `[server] proxies` (an nginx on the same machine that adds no header of
/// its own) never gets a delta: the version its `If-None-Match` names is its cache's, not the
/// client's. The same request from any other peer does.
#[test]
fn a_peer_listed_as_a_proxy_gets_the_whole_feed_instead_of_a_delta() {
    for (proxies, expected) in [("[\"127.0.0.1\"]", 200), ("[\"192.0.2.1\", \"::1\"]", 226)] {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        copy_tree(&root().join("tests/fixtures/mini"), dir.path());
        let config = dir.path().join("config.toml");
        let text = std::fs::read_to_string(&config).unwrap_or_default();
        let text = format!("{text}\n[server]\nproxies = {proxies}\n");
        assert!(std::fs::write(&config, text).is_ok());
        let server = Server::start(&config);
        let feed = "/feeds/en.atom";
        let v1 = server
            .get(feed, &[])
            .header("etag")
            .unwrap_or_default()
            .to_string();
        let hello = dir.path().join("content/en/blog/posts/hello-world.md");
        let post = std::fs::read_to_string(&hello).unwrap_or_default();
        assert!(std::fs::write(&hello, post.replace("first post.", "first post, again.")).is_ok());
        next_etag(&server, feed, &v1);
        let reply = server.get(feed, &[("A-IM", "feed"), ("If-None-Match", v1.as_str())]);
        assert_eq!(
            reply.status,
            expected,
            "proxies = {proxies}\n{}",
            server.log()
        );
        if expected == 200 {
            assert_eq!(ids(&reply.body).len(), 2, "the whole feed");
            assert!(reply.header("im").is_none());
        }
    }
}
