//! `?since=`: a newsletter tool asks a feed for what was published or updated after its last
//! issue, and gets exactly that, newest first, with its own validators.

mod common;

use common::Server;
use syndic::config::Config;
use syndic::corpus;

fn ids(body: &[u8]) -> Vec<String> {
    let feed = feed_rs::parser::parse(body).unwrap_or_else(|e| panic!("not a feed: {e}"));
    feed.entries.iter().map(|e| e.id.clone()).collect()
}

#[test]
fn since_gives_the_posts_published_or_updated_after_a_date() {
    let config_path = common::root().join("config.toml");
    let config = Config::load(&config_path).unwrap_or_else(|e| panic!("{e}"));
    let corpus = corpus::load(&config, &Default::default());
    let english: Vec<_> = corpus.posts.iter().filter(|p| p.lang == "en").collect();
    assert!(english.len() > 5, "the sample corpus has English posts");
    // Just after the fifth newest English post: the four newer ones, plus any older post
    // updated since then.
    let since = english[4].date + chrono::Duration::seconds(1);
    let expected: Vec<String> = english
        .iter()
        .filter(|p| p.updated.unwrap_or(p.date).max(p.date) > since)
        .map(|p| p.permalink.clone())
        .collect();
    assert!(!expected.is_empty() && expected.len() < english.len());

    let server = Server::start(&config_path);
    let stamp = since.to_rfc3339();
    let query = format!("/feeds/en.atom?since={}", stamp.replace('+', "%2B"));
    for path in [
        query.clone(),
        query.replace(".atom", ".rss"),
        query.replace(".atom", ".json"),
    ] {
        let reply = server.get(&path, &[]);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(ids(&reply.body), expected, "{path}");
    }

    // An unencoded `+` (read as a space) is understood too.
    let loose = server.get(&format!("/feeds/en.atom?since={stamp}"), &[]);
    assert_eq!(ids(&loose.body), expected);

    // Its own ETag, answered with 304 when it has not changed; the full feed is another.
    let first = server.get(&query, &[]);
    let full = server.get("/feeds/en.atom", &[]);
    let etag = first.header("etag").map(str::to_string).unwrap_or_default();
    assert!(!etag.is_empty());
    assert_ne!(Some(etag.as_str()), full.header("etag"));
    let again = server.get(&query, &[("If-None-Match", etag.as_str())]);
    assert_eq!(again.status, 304);
    assert!(first.header("cache-control").is_some());
    assert!(
        first
            .header("link")
            .is_some_and(|l| l.contains("since=") && l.contains("rel=\"self\"")),
        "{:?}",
        first.header("link")
    );

    // After the newest post: nothing, still a valid feed.
    let later = english[0].date + chrono::Duration::days(1);
    let empty = server.get(
        &format!(
            "/feeds/en.json?since={}",
            later.to_rfc3339().replace('+', "%2B")
        ),
        &[],
    );
    assert_eq!(empty.status, 200);
    assert!(ids(&empty.body).is_empty());

    // A date that is not RFC 3339 is refused with the reason.
    let bad = server.get("/feeds/en.atom?since=last%20tuesday", &[]);
    assert_eq!(bad.status, 400);
    assert!(String::from_utf8_lossy(&bad.body).contains("RFC 3339"));
    // Other parameters are still ignored.
    assert_eq!(server.get("/feeds/en.atom?utm_source=x", &[]).status, 200);
}
