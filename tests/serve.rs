//! End-to-end: the real server on a loopback port, spoken to over HTTP/1.1, checking the
//! caching rules feed readers, aggregators and shared caches rely on (RFC 9110, 9111).

mod common;

use std::io::Read;

use common::{Reply, Server, copy_tree, root};

fn sample() -> Server {
    Server::start(&root().join("config.toml"))
}

fn expect_header(reply: &Reply, name: &str) -> String {
    match reply.header(name) {
        Some(value) => value.to_string(),
        None => panic!("no {name} header in {:?}", reply.headers),
    }
}

#[test]
fn a_feed_is_served_with_every_caching_header() {
    let server = sample();
    let reply = server.get("/feeds/en.atom", &[]);
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type"),
        Some("application/atom+xml; charset=utf-8")
    );
    let etag = expect_header(&reply, "etag");
    assert!(
        etag.starts_with('"') && etag.ends_with('"') && !etag.starts_with("W/"),
        "{etag}"
    );
    assert!(httpdate::parse_http_date(&expect_header(&reply, "last-modified")).is_ok());
    let cache = expect_header(&reply, "cache-control");
    for part in [
        "public",
        "max-age=300",
        "stale-while-revalidate",
        "stale-if-error",
    ] {
        assert!(cache.contains(part), "{cache}");
    }
    assert_eq!(
        reply.header("vary"),
        Some("Accept-Encoding, Sec-Fetch-Dest")
    );
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        reply.header("link"),
        Some("<https://digital.example.ca/feeds/en.atom>; rel=\"self\"")
    );
    assert_eq!(
        reply
            .header("content-length")
            .and_then(|l| l.parse::<usize>().ok()),
        Some(reply.body.len())
    );
    assert!(feed_rs::parser::parse(reply.body.as_slice()).is_ok());

    for (path, kind) in [
        ("/feeds/en.rss", "application/rss+xml; charset=utf-8"),
        ("/feeds/fr.json", "application/feed+json; charset=utf-8"),
        ("/feeds/all.opml", "text/x-opml; charset=utf-8"),
        ("/feeds/", "text/html; charset=utf-8"),
        ("/feeds/feed.xsl", "text/xsl; charset=utf-8"),
    ] {
        let reply = server.get(path, &[]);
        assert_eq!(
            (reply.status, reply.header("content-type")),
            (200, Some(kind)),
            "{path}"
        );
    }
}

#[test]
fn conditional_requests_answer_304_by_the_rules() {
    let server = sample();
    let first = server.get("/feeds/fr.rss", &[]);
    let etag = expect_header(&first, "etag");
    let modified = expect_header(&first, "last-modified");
    let weak = format!("W/{etag}");
    let listed = format!("\"nope\", {etag}");
    let cases: Vec<(Vec<(&str, &str)>, u16)> = vec![
        (vec![("If-None-Match", etag.as_str())], 304),
        (vec![("If-None-Match", listed.as_str())], 304),
        (vec![("If-None-Match", weak.as_str())], 304),
        (vec![("If-None-Match", "*")], 304),
        (vec![("If-None-Match", "\"other\"")], 200),
        (vec![("If-Modified-Since", modified.as_str())], 304),
        (
            vec![("If-Modified-Since", "Mon, 01 Jan 2001 00:00:00 GMT")],
            200,
        ),
        // If-None-Match wins over If-Modified-Since.
        (
            vec![
                ("If-None-Match", "\"other\""),
                ("If-Modified-Since", modified.as_str()),
            ],
            200,
        ),
        // Validators that cannot be read are ignored.
        (vec![("If-Modified-Since", "yesterday")], 200),
        (vec![("If-None-Match", "no quotes")], 200),
    ];
    for (headers, status) in cases {
        let reply = server.get("/feeds/fr.rss", &headers);
        assert_eq!(reply.status, status, "{headers:?}");
        if status == 304 {
            assert!(reply.body.is_empty());
            assert_eq!(reply.header("etag"), Some(etag.as_str()));
            assert_eq!(reply.header("last-modified"), Some(modified.as_str()));
            assert!(reply.header("cache-control").is_some());
            assert_eq!(
                reply.header("vary"),
                Some("Accept-Encoding, Sec-Fetch-Dest")
            );
        }
    }
}

#[test]
fn encodings_are_negotiated_and_each_has_its_own_etag() {
    let server = sample();
    let plain = server.get("/feeds/all.atom", &[]);
    let gzip = server.get("/feeds/all.atom", &[("Accept-Encoding", "gzip")]);
    assert_eq!(gzip.header("content-encoding"), Some("gzip"));
    let mut unzipped = Vec::new();
    let read = flate2::read::GzDecoder::new(gzip.body.as_slice()).read_to_end(&mut unzipped);
    assert!(read.is_ok());
    assert_eq!(unzipped, plain.body);
    assert_ne!(gzip.header("etag"), plain.header("etag"));

    let br = server.get("/feeds/all.atom", &[("Accept-Encoding", "gzip;q=0.5, br")]);
    assert_eq!(br.header("content-encoding"), Some("br"));
    let mut unbrotli = Vec::new();
    let read = brotli::Decompressor::new(br.body.as_slice(), 4096).read_to_end(&mut unbrotli);
    assert!(read.is_ok());
    assert_eq!(unbrotli, plain.body);
    assert_ne!(br.header("etag"), gzip.header("etag"));

    let refused = server.get(
        "/feeds/all.atom",
        &[("Accept-Encoding", "br;q=0, gzip;q=0")],
    );
    assert_eq!(refused.header("content-encoding"), None);
    assert_eq!(refused.body, plain.body);

    let gzip_etag = expect_header(&gzip, "etag");
    let again = server.get(
        "/feeds/all.atom",
        &[
            ("Accept-Encoding", "gzip"),
            ("If-None-Match", gzip_etag.as_str()),
        ],
    );
    assert_eq!(again.status, 304);
    let other_encoding = server.get("/feeds/all.atom", &[("If-None-Match", gzip_etag.as_str())]);
    assert_eq!(other_encoding.status, 200);

    let nothing = server.get(
        "/feeds/all.atom",
        &[("Accept-Encoding", "identity;q=0, *;q=0")],
    );
    assert_eq!(nothing.status, 406);
}

#[test]
fn every_document_is_served_as_the_built_tree_holds_it_in_every_coding() {
    // The server sends a document's pieces (and their deflate streams) as they are held; the
    // build writes them joined. A client must get the same bytes either way, for every file.
    let (dir, config) = common::sample_with("");
    let out = dir.path().join("tree");
    let built = std::process::Command::new(env!("CARGO_BIN_EXE_syndic"))
        .arg("--config")
        .arg(&config)
        .arg("build")
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap_or_else(|e| panic!("syndic build: {e}"));
    assert!(built.status.success(), "{built:?}");
    let server = Server::start(&config);
    let mut folders = vec![out.clone()];
    let mut checked = 0;
    while let Some(folder) = folders.pop() {
        let entries = std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("{e}"));
        for entry in entries {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            let name = path.to_string_lossy().to_string();
            if name.ends_with(".gz") || name.ends_with(".br") || name.ends_with(".syndic-build") {
                continue;
            }
            let relative = path
                .strip_prefix(&out)
                .unwrap_or_else(|e| panic!("{e}"))
                .to_string_lossy()
                .to_string();
            for (coding, suffix) in [("identity", ""), ("gzip", ".gz"), ("br", ".br")] {
                let file = std::fs::read(format!("{name}{suffix}"))
                    .unwrap_or_else(|e| panic!("{name}{suffix}: {e}"));
                let reply = server.get(
                    &format!("/feeds/{relative}"),
                    &[("Accept-Encoding", coding)],
                );
                assert_eq!(reply.status, 200, "{relative} ({coding})");
                let length = reply.header("content-length").map(str::to_string);
                assert_eq!(
                    length,
                    Some(file.len().to_string()),
                    "{relative} ({coding})"
                );
                assert!(
                    reply.body == file,
                    "{relative} ({coding}): {} bytes served, {} in the tree",
                    reply.body.len(),
                    file.len()
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 400, "{checked} documents");
}

#[test]
fn a_browser_tab_gets_rss_and_atom_as_xml_with_their_stylesheet() {
    let server = sample();
    let navigate = [("Sec-Fetch-Dest", "document")];
    for path in [
        "/feeds/en.rss",
        "/feeds/fr.atom",
        "/feeds/archive/en/1.atom",
    ] {
        let reader = server.get(path, &[]);
        let tab = server.get(path, &navigate);
        assert_eq!(tab.status, 200, "{path}");
        assert_eq!(
            tab.header("content-type"),
            Some("application/xml; charset=utf-8"),
            "{path}"
        );
        assert_ne!(reader.header("content-type"), tab.header("content-type"));
        // Same bytes under either label, so the same validators.
        assert_eq!(tab.body, reader.body, "{path}");
        assert_eq!(tab.header("etag"), reader.header("etag"), "{path}");
        for reply in [&reader, &tab] {
            assert_eq!(
                reply.header("vary"),
                Some("Accept-Encoding, Sec-Fetch-Dest"),
                "{path}"
            );
        }
        let text = tab.text();
        let pi = text.find("<?xml-stylesheet ").unwrap_or(usize::MAX);
        let root = text.find("<rss").or(text.find("<feed")).unwrap_or(0);
        assert!(pi < root, "{path}: {text:.200}");
    }
    // Everything else keeps its type and its Vary.
    for (path, kind) in [
        ("/feeds/en.json", "application/feed+json; charset=utf-8"),
        ("/feeds/", "text/html; charset=utf-8"),
        ("/feeds/feed.xsl", "text/xsl; charset=utf-8"),
    ] {
        let reply = server.get(path, &navigate);
        assert_eq!(reply.header("content-type"), Some(kind), "{path}");
        assert_eq!(reply.header("vary"), Some("Accept-Encoding"), "{path}");
    }
}

#[test]
fn the_stylesheet_is_served_like_every_document() {
    let server = sample();
    let reply = server.get("/feeds/feed.xsl", &[]);
    assert_eq!(reply.status, 200);
    let text = reply.text();
    assert!(roxmltree::Document::parse(&text).is_ok());
    assert!(text.contains("<xsl:stylesheet"));
    let etag = expect_header(&reply, "etag");
    assert!(reply.header("cache-control").is_some());
    // Not a feed: no self link, no CORS.
    assert_eq!(reply.header("link"), None);
    assert_eq!(reply.header("access-control-allow-origin"), None);
    let again = server.get("/feeds/feed.xsl", &[("If-None-Match", etag.as_str())]);
    assert_eq!(again.status, 304);
    let gzip = server.get("/feeds/feed.xsl", &[("Accept-Encoding", "gzip")]);
    assert_eq!(gzip.header("content-encoding"), Some("gzip"));
    let mut unzipped = Vec::new();
    let read = flate2::read::GzDecoder::new(gzip.body.as_slice()).read_to_end(&mut unzipped);
    assert!(read.is_ok());
    assert_eq!(unzipped, reply.body);
    let metrics = server.get("/metrics", &[]).text();
    assert!(
        metrics.contains("syndic_http_requests_total{route=\"stylesheet\",status=\"200\"} 2"),
        "{metrics}"
    );
}

#[test]
fn head_methods_and_unknown_paths() {
    let server = sample();
    let get = server.get("/feeds/en.json", &[]);
    let head = server.request("HEAD", "/feeds/en.json", &[]);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("content-length"), get.header("content-length"));
    assert_eq!(head.header("etag"), get.header("etag"));

    let post = server.request("POST", "/feeds/en.json", &[("Content-Length", "0")]);
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("GET, HEAD"));

    for path in [
        "/feeds/nothing.atom",
        "/feeds/../config.toml",
        "/config.toml",
        "/feeds/en.atom/x",
    ] {
        assert_eq!(server.get(path, &[]).status, 404, "{path}");
    }
    // An escaped `.` is a `.` (RFC 3986): the same document, not a miss.
    let escaped = server.get("/feeds/en%2Ejson", &[]);
    assert_eq!(escaped.status, 200);
    assert_eq!(escaped.header("etag"), get.header("etag"));
    assert_eq!(escaped.body, get.body);
    assert_eq!(server.get("/feeds%2Fen.json", &[]).status, 404);
    let root = server.get("/", &[]);
    assert_eq!(
        (root.status, root.header("location")),
        (308, Some("/feeds/"))
    );
    let malformed = server.raw(b"GET /feeds/en.atom HTTP/1.1\r\nHost\r\n\r\n");
    assert_eq!(malformed.status, 400);
}

#[test]
fn archive_pages_are_served_and_full_ones_are_immutable() {
    let server = sample();
    let current = server.get("/feeds/en.atom", &[]);
    let text = current.text();
    assert!(
        text.contains("rel=\"prev-archive\""),
        "no archive link in en.atom"
    );
    let full = server.get("/feeds/archive/en/1.atom", &[]);
    assert_eq!(full.status, 200);
    assert_eq!(
        full.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert!(full.text().contains("<fh:archive"));
    let filling = server.get("/feeds/archive/en/2.atom", &[]);
    assert_eq!(filling.status, 200);
    assert!(
        filling
            .header("cache-control")
            .is_some_and(|c| !c.contains("immutable"))
    );
    assert_eq!(server.get("/feeds/archive/en/99.atom", &[]).status, 404);
}

#[test]
fn legacy_paths_health_and_metrics() {
    let server = sample();
    let legacy = server.get("/blog/index.xml", &[]);
    let rss = server.get("/feeds/en.rss", &[]);
    assert_eq!(legacy.status, 200);
    assert_eq!(legacy.body, rss.body);
    // The document names its stylesheet relative to itself: it is answered there too.
    let stylesheet = server.get("/feeds/feed.xsl", &[]);
    let beside = server.get("/blog/feed.xsl", &[]);
    assert_eq!(
        (beside.status, beside.header("etag")),
        (200, stylesheet.header("etag"))
    );
    assert_eq!(server.get("/feed.xsl", &[]).status, 404);

    let health = server.get("/healthz", &[]);
    assert_eq!(health.status, 200);
    let value: serde_json::Value = serde_json::from_slice(&health.body).unwrap_or_default();
    assert_eq!(value["status"], "ok");
    assert!(value["posts"].as_u64().unwrap_or(0) >= 40);
    assert!(value["feeds"].as_u64().unwrap_or(0) > 3);
    assert_eq!(value["errors"], serde_json::json!([]));

    let etag = expect_header(&rss, "etag");
    let _ = server.get("/feeds/en.rss", &[("If-None-Match", etag.as_str())]);
    let metrics = server.get("/metrics", &[]).text();
    assert!(
        metrics.contains("syndic_http_requests_total{route=\"feed\",status=\"200\"}"),
        "{metrics}"
    );
    assert!(
        metrics.contains("syndic_http_not_modified_total 1"),
        "{metrics}"
    );
    assert!(metrics.contains("syndic_posts "), "{metrics}");
    assert!(metrics.contains("syndic_reloads_total 1"), "{metrics}");
}

/// `promtool` (Debian `prometheus`) from `PATH`; `None` when it is missing and
/// `SYNDIC_SKIP_PROMTOOL=1` asks to skip. Missing otherwise, the test fails saying what to do.
fn promtool() -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&path)
        .map(|dir| dir.join("promtool"))
        .find(|candidate| candidate.is_file());
    match found {
        Some(program) => Some(program),
        None if std::env::var("SYNDIC_SKIP_PROMTOOL").as_deref() == Ok("1") => {
            eprintln!("SYNDIC_SKIP_PROMTOOL=1 and no promtool: /metrics not checked with it");
            None
        }
        None => panic!(
            "`promtool` is not on PATH: install it (`apt-get install prometheus`, as .ci/run \
             does), or set SYNDIC_SKIP_PROMTOOL=1 to skip this check"
        ),
    }
}

#[test]
fn metrics_are_what_their_content_type_says_as_promtool_reads_them() {
    let Some(promtool) = promtool() else {
        return;
    };
    let server = sample();
    // Something in every family that has labels or counts requests.
    let feed = server.get("/feeds/en.atom", &[]);
    let etag = expect_header(&feed, "etag");
    let _ = server.get("/feeds/en.atom", &[("If-None-Match", etag.as_str())]);
    let _ = server.get("/nowhere", &[]);
    let reply = server.get("/metrics", &[]);
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    let mut child = std::process::Command::new(&promtool)
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run promtool: {e}"));
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write;
        stdin
            .write_all(&reply.body)
            .unwrap_or_else(|e| panic!("promtool's stdin: {e}"));
    }
    let output = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("promtool: {e}"));
    assert!(
        output.status.success() && output.stdout.is_empty() && output.stderr.is_empty(),
        "promtool check metrics: {:?}\n{}{}\nmetrics:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
        reply.text()
    );
    let text = reply.text();
    for sample in [
        "syndic_http_requests_total{route=\"feed\",status=\"200\"} 1",
        "syndic_http_requests_total{route=\"feed\",status=\"304\"} 1",
        "syndic_http_requests_total{route=\"not_found\",status=\"404\"} 1",
        "syndic_http_not_modified_total 1",
        "syndic_reload_duration_seconds_count 1",
    ] {
        assert!(text.contains(sample), "no {sample}:\n{text}");
    }
}

#[test]
fn a_readers_cycle_304_until_the_corpus_changes_and_etags_survive_restarts() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(&root().join("tests/fixtures/mini"), dir.path());
    let config = dir.path().join("config.toml");

    let mut server = Server::start(&config);
    let en = server.get("/feeds/en.atom", &[]);
    let fr = server.get("/feeds/fr.atom", &[]);
    let en_etag = expect_header(&en, "etag");
    let fr_etag = expect_header(&fr, "etag");
    for _ in 0..3 {
        assert_eq!(
            server
                .get("/feeds/en.atom", &[("If-None-Match", en_etag.as_str())])
                .status,
            304
        );
    }
    assert_eq!(server.terminate(), Some(0), "{}", server.log());

    // The same corpus, a new process: the same ETags.
    let mut server = Server::start(&config);
    assert_eq!(
        server
            .get("/feeds/en.atom", &[("If-None-Match", en_etag.as_str())])
            .status,
        304
    );
    assert_eq!(server.terminate(), Some(0));

    // An English post changes: the English feed changes, the French one does not.
    let post = dir.path().join("content/en/blog/posts/hello-world.md");
    let text = std::fs::read_to_string(&post).unwrap_or_default();
    assert!(
        std::fs::write(
            &post,
            text.replace("This is the first post.", "This is the first post, edited.")
        )
        .is_ok()
    );
    let server = Server::start(&config);
    let changed = server.get("/feeds/en.atom", &[("If-None-Match", en_etag.as_str())]);
    assert_eq!(changed.status, 200);
    assert!(changed.text().contains("first post, edited"));
    assert_ne!(changed.header("etag"), Some(en_etag.as_str()));
    assert_eq!(
        server
            .get("/feeds/fr.atom", &[("If-None-Match", fr_etag.as_str())])
            .status,
        304
    );
}

/// A copy of the mini fixture with extra `[server]` settings.
fn mini_with(server_settings: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(&root().join("tests/fixtures/mini"), dir.path());
    let config = dir.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap_or_default();
    assert!(std::fs::write(&config, format!("{text}\n[server]\n{server_settings}\n")).is_ok());
    (dir, config)
}

#[test]
fn oversized_headers_are_refused_and_slow_clients_cut_off() {
    use std::io::Write;
    use std::time::{Duration, Instant};

    let (_dir, config) = mini_with("header_read_timeout_ms = 500");
    let server = Server::start(&config);

    let huge = "x".repeat(20 * 1024);
    let reply = server.get("/feeds/en.atom", &[("X-Padding", huge.as_str())]);
    assert_eq!(reply.status, 431, "{:?}", reply.headers);

    // Slowloris: headers never finished. The server must cut the connection well before the
    // test gives up, and keep answering others meanwhile.
    let mut slow = std::net::TcpStream::connect(server.addr).unwrap_or_else(|e| panic!("{e}"));
    let _ = slow.set_read_timeout(Some(Duration::from_secs(10)));
    let started = Instant::now();
    assert!(
        slow.write_all(b"GET /feeds/en.atom HTTP/1.1\r\nHost: x\r\n")
            .is_ok()
    );
    assert_eq!(server.get("/feeds/en.atom", &[]).status, 200);
    let mut buffer = [0u8; 512];
    let read = std::io::Read::read(&mut slow, &mut buffer);
    let elapsed = started.elapsed();
    assert!(
        matches!(read, Ok(0)) || read.is_err() || String::from_utf8_lossy(&buffer).contains("408"),
        "{read:?}"
    );
    assert!(elapsed < Duration::from_secs(8), "cut after {elapsed:?}");
}

#[test]
fn connections_beyond_the_limit_wait_their_turn() {
    use std::time::Duration;

    let (_dir, config) = mini_with("max_connections = 1");
    let server = Server::start(&config);
    // One idle keep-alive connection holds the only place.
    let holder = std::net::TcpStream::connect(server.addr).unwrap_or_else(|e| panic!("{e}"));
    std::thread::sleep(Duration::from_millis(200));
    let addr = server.addr;
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut stream = std::net::TcpStream::connect(addr).unwrap_or_else(|e| panic!("{e}"));
        let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
        let _ = std::io::Write::write_all(
            &mut stream,
            b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        );
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stream, &mut text);
        let _ = sender.send(text);
    });
    assert!(
        receiver.recv_timeout(Duration::from_millis(700)).is_err(),
        "answered while the only connection place was taken"
    );
    drop(holder);
    let answer = receiver
        .recv_timeout(Duration::from_secs(20))
        .unwrap_or_default();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[test]
fn request_logs_can_be_json_lines() {
    let (_dir, config) = mini_with("log_format = \"json\"");
    let server = Server::start(&config);
    assert_eq!(server.get("/feeds/fr.json", &[]).status, 200);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let log = server.log();
    let request = log
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["fields"]["path"] == "/feeds/fr.json");
    let Some(request) = request else {
        panic!("no JSON request line in:\n{log}")
    };
    assert_eq!(request["fields"]["status"], 200);
    assert_eq!(request["fields"]["route"], "feed");
}
