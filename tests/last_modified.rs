//! `Last-Modified` moves with the bytes: an edit that changes no date (a title) still gives a
//! later `Last-Modified`, so a client sending `If-Modified-Since` alone (curl `-z`, newsboat's
//! libcurl time condition) gets the new version; the dates survive a restart and agree between
//! replicas given the same corpus and last-modified file; `syndic build` dates its files so.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use common::{Server, copy_tree, root};

/// The subscription documents the mini fixture's feeds have, in every format.
const DOCUMENTS: [&str; 9] = [
    "all.atom",
    "all.rss",
    "all.json",
    "en.atom",
    "en.rss",
    "en.json",
    "authors/sam-chen.atom",
    "authors/sam-chen.rss",
    "fr.json",
];

fn http_date(value: Option<&str>) -> SystemTime {
    let value = value.unwrap_or_else(|| panic!("no Last-Modified"));
    httpdate::parse_http_date(value).unwrap_or_else(|e| panic!("{value:?}: {e}"))
}

/// Waits, at most 20 s, for `path`'s ETag to differ from `old`.
fn wait_for_new_etag(server: &Server, path: &str, old: &str) -> common::Reply {
    let started = Instant::now();
    loop {
        let reply = server.get(path, &[]);
        if reply.header("etag").is_some_and(|e| e != old) {
            return reply;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{path} never changed; log:\n{}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Rewrites the title of the mini fixture's `hello-world.md` in `dir`: no date moves.
fn retitle(dir: &Path, title: &str) {
    let path = dir.join("content/en/blog/posts/hello-world.md");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let start = text.find("title: ").unwrap_or_else(|| panic!("no title"));
    let end = start + text[start..].find('\n').unwrap_or_default();
    let text = format!("{}title: {title}{}", &text[..start], &text[end..]);
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
}

/// Every document's ETag and Last-Modified, as `server` answers them.
fn validators(server: &Server) -> Vec<(String, Option<String>, Option<String>)> {
    DOCUMENTS
        .iter()
        .map(|doc| {
            let reply = server.get(&format!("/feeds/{doc}"), &[]);
            assert_eq!(reply.status, 200, "{doc}");
            (
                doc.to_string(),
                reply.header("etag").map(str::to_string),
                reply.header("last-modified").map(str::to_string),
            )
        })
        .collect()
}

#[test]
fn a_title_edit_moves_last_modified_and_if_modified_since_gets_the_new_version() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(&root().join("tests/fixtures/mini"), dir.path());
    let mut server = Server::start(&dir.path().join("config.toml"));
    let feed = "/feeds/en.atom";
    let first = server.get(feed, &[]);
    let (etag1, lm1) = (
        first.header("etag").unwrap_or_default().to_string(),
        first
            .header("last-modified")
            .unwrap_or_default()
            .to_string(),
    );
    // Before any edit, the date is the newest item's, as it always was.
    assert_eq!(lm1, "Tue, 05 Mar 2024 05:00:00 GMT");
    let unchanged = server.get(feed, &[("If-Modified-Since", lm1.as_str())]);
    assert_eq!(unchanged.status, 304);

    retitle(dir.path(), "Hello again, world");
    let second = wait_for_new_etag(&server, feed, &etag1);
    assert!(second.text().contains("Hello again, world"));
    let lm2 = second
        .header("last-modified")
        .unwrap_or_default()
        .to_string();
    assert!(
        http_date(Some(&lm2)) > http_date(Some(&lm1)),
        "a title edit left Last-Modified at {lm1}, now {lm2}"
    );

    // A client that sends the date it holds, and nothing else, gets the new version.
    let since = server.get(feed, &[("If-Modified-Since", lm1.as_str())]);
    assert_eq!(since.status, 200, "{}", server.log());
    assert!(since.text().contains("Hello again, world"));
    let current = server.get(feed, &[("If-Modified-Since", lm2.as_str())]);
    assert_eq!(current.status, 304);

    // curl's time condition (newsboat's, through libcurl) keeps a 200 only when it is dated
    // after the time it sent.
    if std::env::var("SYNDIC_SKIP_CURL").as_deref() == Ok("1") {
        eprintln!("SYNDIC_SKIP_CURL=1: not checking with curl -z");
    } else {
        let out = dir.path().join("curl-body");
        let url = format!("http://{}{feed}", server.addr);
        let curl = Command::new("curl")
            .args(["-sS", "-z", lm1.as_str(), "-o"])
            .arg(&out)
            .arg(&url)
            .status()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot run curl: {e}; `apt-get install curl` (Debian), or set \
                     SYNDIC_SKIP_CURL=1 to skip this check"
                )
            });
        assert!(curl.success());
        let kept = std::fs::read_to_string(&out).unwrap_or_default();
        assert!(kept.contains("Hello again, world"), "curl -z kept {kept:?}");
    }

    // Back to the first title: other bytes than a moment ago, so a later date again, never
    // the first one back.
    retitle(dir.path(), "Hello world");
    let third = wait_for_new_etag(&server, feed, second.header("etag").unwrap_or_default());
    assert_eq!(third.header("etag"), Some(etag1.as_str()));
    let lm3 = http_date(third.header("last-modified"));
    assert!(lm3 > http_date(Some(&lm2)));

    // A restart with the last-modified file says the same.
    let before = validators(&server);
    server.terminate();
    let restarted = Server::start(&dir.path().join("config.toml"));
    assert_eq!(validators(&restarted), before, "{}", restarted.log());
    let text = std::fs::read_to_string(dir.path().join("last-modified.txt")).unwrap_or_default();
    assert!(text.starts_with("syndic-last-modified 1\n"), "{text}");
    assert!(text.contains(" en.atom\n"), "{text}");
}

#[test]
fn replicas_with_the_same_corpus_and_file_agree_on_every_date_and_etag() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(&root().join("tests/fixtures/mini"), dir.path());
    {
        let server = Server::start(&dir.path().join("config.toml"));
        let etag = server
            .get("/feeds/all.atom", &[])
            .header("etag")
            .unwrap_or_default()
            .to_string();
        retitle(dir.path(), "Hello, replicas");
        wait_for_new_etag(&server, "/feeds/all.atom", &etag);
        // The file is written after the snapshot is published; the next reload needs it.
        let started = Instant::now();
        while !std::fs::read_to_string(dir.path().join("last-modified.txt"))
            .is_ok_and(|t| t.lines().count() > DOCUMENTS.len())
        {
            assert!(started.elapsed() < Duration::from_secs(20));
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    // Two replicas given copies of the corpus and the file.
    let (a, b) = (
        tempfile::tempdir().unwrap_or_else(|e| panic!("{e}")),
        tempfile::tempdir().unwrap_or_else(|e| panic!("{e}")),
    );
    copy_tree(dir.path(), a.path());
    copy_tree(dir.path(), b.path());
    let first = Server::start(&a.path().join("config.toml"));
    let second = Server::start(&b.path().join("config.toml"));
    let (one, two) = (validators(&first), validators(&second));
    assert_eq!(one, two);
    // And the edited documents are dated a second after their newest item.
    let all = one.iter().find(|(doc, ..)| doc == "all.atom");
    let lm = all.and_then(|(_, _, lm)| lm.as_deref());
    assert_eq!(lm, Some("Tue, 05 Mar 2024 15:00:01 GMT"));
}

#[test]
fn pages_rendered_on_request_carry_no_date_a_record_does_not_keep() {
    let server = Server::start(&root().join("config.toml"));
    let archive = server.get("/feeds/archive/en/1.atom", &[]);
    assert_eq!(archive.status, 200);
    assert_eq!(archive.header("last-modified"), None);
    let since = server.get("/feeds/en.atom?since=2020-01-01T00:00:00Z", &[]);
    assert_eq!(since.status, 200);
    assert_eq!(since.header("last-modified"), None);
    assert!(since.header("etag").is_some());
}

#[test]
fn a_build_dates_each_file_by_its_record_and_an_edit_makes_it_later() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(&root().join("tests/fixtures/mini"), dir.path());
    let build = || {
        let out = Command::new(env!("CARGO_BIN_EXE_syndic"))
            .current_dir(dir.path())
            .args(["--config", "config.toml", "build", "--out", "feeds"])
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let modified = |file: &str| {
        std::fs::metadata(dir.path().join("feeds").join(file))
            .and_then(|m| m.modified())
            .unwrap_or_else(|e| panic!("{file}: {e}"))
    };
    build();
    let date = |text: &str| httpdate::parse_http_date(text).unwrap_or_else(|e| panic!("{e}"));
    let newest = date("Tue, 05 Mar 2024 05:00:00 GMT");
    for file in ["en.atom", "en.atom.gz", "en.atom.br", "en.json"] {
        assert_eq!(modified(file), newest, "{file}");
    }
    assert_eq!(modified("all.json"), date("Tue, 05 Mar 2024 15:00:00 GMT"));
    retitle(dir.path(), "Hello, static world");
    build();
    for file in ["en.atom", "en.atom.gz", "en.atom.br"] {
        assert_eq!(modified(file), newest + Duration::from_secs(1), "{file}");
    }
    // The French feed does not show the post: its file keeps its date.
    assert_eq!(modified("fr.atom"), date("Tue, 05 Mar 2024 15:00:00 GMT"));
    // A server on the same corpus and file gives the build's dates.
    let server = Server::start(&dir.path().join("config.toml"));
    let reply = server.get("/feeds/en.atom", &[]);
    assert_eq!(
        http_date(reply.header("last-modified")),
        modified("en.atom")
    );
}

#[test]
fn a_document_dated_ahead_of_the_clock_is_sent_with_the_date_of_the_response() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(&root().join("tests/fixtures/mini"), dir.path());
    std::fs::write(
        dir.path().join("content/en/blog/posts/scheduled.md"),
        "---\ntitle: Scheduled\ndate: 2099-01-01T00:00:00Z\nauthor: Sam Chen\n\
         translationKey: scheduled\n---\nNot yet.\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let server = Server::start(&dir.path().join("config.toml"));
    let reply = server.get("/feeds/en.atom", &[]);
    assert!(reply.text().contains("Scheduled"));
    let (date, modified) = (
        http_date(reply.header("date")),
        http_date(reply.header("last-modified")),
    );
    assert!(modified <= date, "Last-Modified after Date");
    // Not the post's own date, which lies ahead: the clock's, at most the response's Date.
    assert!(modified < http_date(Some("Thu, 01 Jan 2099 00:00:00 GMT")));
}

#[test]
fn a_malformed_file_stops_check_build_and_serve_naming_its_line_and_is_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(&root().join("tests/fixtures/mini"), dir.path());
    let file = dir.path().join("last-modified.txt");
    let text = "syndic-last-modified 1\nyesterday 0123 en.atom\n";
    std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
    for command in [
        &["check"][..],
        &["build", "--out", "feeds"],
        &["serve", "--listen", "127.0.0.1:0"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_syndic"))
            .current_dir(dir.path())
            .args(["--config", "config.toml"])
            .args(command)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command:?}: {stderr}");
        assert!(stderr.contains("last-modified.txt:2: "), "{stderr}");
    }
    assert_eq!(std::fs::read_to_string(&file).ok().as_deref(), Some(text));
}
