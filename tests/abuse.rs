//! End-to-end: the real server on the sample corpus, sent what hostile or broken clients send
//! (path traversal, oversized and endless request heads, slow senders and slow readers,
//! pipelining, odd protocol versions, unreadable validators, absurd queries, unknown methods,
//! garbage). Each case checks the exact answer (or that the connection is cut within a bound),
//! and that the server keeps answering a normal `GET /feeds/all.atom` meanwhile or afterwards.
//!
//! Every wait is bounded: sockets have timeouts and loops have deadlines.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{Ended, Exchange, Reply, Server, read_until_closed, root, sample_with};

/// The feed every test checks is still served.
const FEED: &str = "/feeds/all.atom";

fn sample() -> Server {
    Server::start(&root().join("config.toml"))
}

/// `GET FEED`, checked: the reference every later answer is compared with.
fn baseline(server: &Server) -> Reply {
    let reply = server.get(FEED, &[]);
    assert_eq!(reply.status, 200, "{:?}", reply.headers);
    assert!(reply.body.len() > 10_000, "{} bytes", reply.body.len());
    reply
}

/// The server still answers a normal request in full, from a new connection, and nothing in
/// it panicked.
fn assert_still_serving(server: &Server, plain: &Reply) {
    let reply = server.get(FEED, &[]);
    assert_eq!(reply.status, 200, "{:?}", reply.headers);
    assert_eq!(
        reply.body, plain.body,
        "{FEED} changed or came back truncated"
    );
    let log = server.log();
    assert!(!log.contains("panicked"), "the server panicked:\n{log}");
}

/// `GET target` with raw header lines (any bytes), `Connection: close`.
fn get_with(target: &[u8], headers: &[&[u8]]) -> Vec<u8> {
    let mut request = b"GET ".to_vec();
    request.extend_from_slice(target);
    request.extend_from_slice(b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
    for header in headers {
        request.extend_from_slice(header);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"\r\n");
    request
}

/// A request the server refuses: `status`, and the connection closed; or, when nothing could
/// be read (the server may reset a connection whose request it did not read to the end), the
/// connection cut.
fn assert_refused(exchange: &Exchange, status: u16, what: &str) {
    assert!(
        exchange.closed(),
        "{what}: connection still open after 10 s"
    );
    if !exchange.bytes.is_empty() {
        let reply = exchange.reply();
        assert_eq!(reply.status, status, "{what}: {:?}", reply.headers);
    }
}

/// The body as sent, decoded from its content coding.
fn decoded(reply: &Reply) -> Vec<u8> {
    let mut out = Vec::new();
    let read = match reply.header("content-encoding") {
        None => return reply.body.clone(),
        Some("gzip") => flate2::read::GzDecoder::new(reply.body.as_slice()).read_to_end(&mut out),
        Some("br") => brotli::Decompressor::new(reply.body.as_slice(), 4096).read_to_end(&mut out),
        Some(other) => panic!("unexpected content coding {other}"),
    };
    read.unwrap_or_else(|e| panic!("cannot decode the body: {e}"));
    out
}

/// What a non-blocking read says about a connection: still open (`false`) or ended (`true`).
/// Bytes read are appended to `into`.
fn ended_now(stream: &mut TcpStream, into: &mut Vec<u8>) -> bool {
    let mut buffer = [0u8; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return true,
            Ok(n) => into.extend_from_slice(&buffer[..n]),
            Err(e) if e.kind() == ErrorKind::WouldBlock => return false,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return true,
        }
    }
}

#[test]
fn path_traversal_never_leaves_the_feed_tree() {
    let server = sample();
    let plain = baseline(&server);
    // The server runs in the repository root: config.toml, Cargo.toml and content/ are right
    // there, so any path joined to a folder would find them.
    let cases: &[(&[u8], u16)] = &[
        (b"/feeds/../config.toml", 404),
        (b"/feeds/%2e%2e/config.toml", 404),
        (b"/feeds/%2E%2E%2Fconfig.toml", 404),
        (b"/feeds/..%2fconfig.toml", 404),
        (b"/feeds/.%2e/.%2e/etc/passwd", 404),
        (b"//etc/passwd", 404),
        (b"/feeds/../../../../../../../etc/passwd", 404),
        (b"/feeds/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", 404),
        (b"/feeds/%252e%252e/config.toml", 404),
        (b"/feeds/%c0%ae%c0%ae/config.toml", 404),
        (b"/feeds/..;/config.toml", 404),
        (b"/feeds/archive/../../Cargo.toml", 404),
        (b"/feeds/../content/en/blog/_index.md", 404),
        (b"/blog/index.xml/../../config.toml", 404),
        (b"/feeds/./../config.toml", 404),
        (b"http://localhost/feeds/../config.toml", 404),
        // Backslash forms: raw (allowed in a request-target by the parser) and encoded.
        (b"/feeds/..\\config.toml", 404),
        (b"/feeds\\..\\config.toml", 404),
        (b"/feeds/..\\..\\etc\\passwd", 404),
        (b"/feeds/%5c..%5cconfig.toml", 404),
        (b"/feeds/..%5cconfig.toml", 404),
        (b"/feeds/%2e%2e%5cconfig.toml", 404),
        // Not an origin-form target at all.
        (b"\\feeds\\..\\config.toml", 400),
        (b"\\..\\config.toml", 400),
    ];
    for &(target, status) in cases {
        let what = String::from_utf8_lossy(target).to_string();
        let exchange = server.exchange(&get_with(target, &[]));
        assert!(exchange.closed(), "{what}: connection left open");
        let reply = exchange.reply();
        assert_eq!(reply.status, status, "{what}: {:?}", reply.headers);
        let text = reply.text();
        for leak in ["content_dir", "[package]", "root:", "title:", "---"] {
            assert!(!text.contains(leak), "{what} leaked {leak:?}:\n{text}");
        }
        let expected: &[u8] = if status == 404 { b"not found\n" } else { b"" };
        assert_eq!(reply.body, expected, "{what}");
    }
    assert_still_serving(&server, &plain);
}

#[test]
fn oversized_request_heads_get_431() {
    let server = sample();
    let plain = baseline(&server);

    // Just under the 16 KiB bound on the request head: an ordinary unknown path.
    let long = format!("/feeds/{}", "a".repeat(15 * 1024));
    let reply = server.exchange(&get_with(long.as_bytes(), &[])).reply();
    assert_eq!(reply.status, 404, "{:?}", reply.headers);

    let huge = format!("/feeds/{}", "a".repeat(100 * 1024));
    assert_refused(
        &server.exchange(&get_with(huge.as_bytes(), &[])),
        431,
        "100 KB path",
    );
    let long_query = format!("{FEED}?{}", "q".repeat(100 * 1024));
    assert_refused(
        &server.exchange(&get_with(long_query.as_bytes(), &[])),
        431,
        "100 KB query",
    );

    let padding = format!("X-Padding: {}", "p".repeat(17 * 1024));
    assert_refused(
        &server.exchange(&get_with(FEED.as_bytes(), &[padding.as_bytes()])),
        431,
        "one 17 KiB header",
    );
    let half = format!("X-Half: {}", "h".repeat(9 * 1024));
    assert_refused(
        &server.exchange(&get_with(
            FEED.as_bytes(),
            &[half.as_bytes(), half.as_bytes()],
        )),
        431,
        "two 9 KiB headers",
    );
    let name = format!("X-{}: v", "n".repeat(20 * 1024));
    assert_refused(
        &server.exchange(&get_with(FEED.as_bytes(), &[name.as_bytes()])),
        431,
        "a 20 KiB header name",
    );
    assert_still_serving(&server, &plain);
}

#[test]
fn thousands_of_headers_get_431() {
    let server = sample();
    let plain = baseline(&server);

    // A few dozen headers are nothing unusual.
    let some: Vec<String> = (0..40).map(|i| format!("X-Header-{i}: value")).collect();
    let lines: Vec<&[u8]> = some.iter().map(|h| h.as_bytes()).collect();
    let reply = server.exchange(&get_with(FEED.as_bytes(), &lines)).reply();
    assert_eq!(reply.status, 200, "{:?}", reply.headers);
    assert_eq!(reply.body, plain.body);

    // 5000 small headers (~60 KB): over the size bound.
    let many: Vec<String> = (0..5000).map(|i| format!("X-H{i}: v")).collect();
    let lines: Vec<&[u8]> = many.iter().map(|h| h.as_bytes()).collect();
    assert_refused(
        &server.exchange(&get_with(FEED.as_bytes(), &lines)),
        431,
        "5000 headers",
    );

    // 3000 tiny headers (12 KB, under the size bound): over the parser's count bound.
    let tiny: Vec<&[u8]> = (0..3000).map(|_| &b"X: y"[..]).collect();
    assert_refused(
        &server.exchange(&get_with(FEED.as_bytes(), &tiny)),
        431,
        "3000 tiny headers",
    );
    assert_still_serving(&server, &plain);
}

#[test]
fn slowloris_is_cut_at_the_header_read_timeout_while_others_are_served() {
    let timeout = Duration::from_millis(1000);
    let (_dir, config) = sample_with(&format!("header_read_timeout_ms = {}", timeout.as_millis()));
    let server = Server::start(&config);
    let plain = baseline(&server);

    // One client sends a request one byte every 200 ms (it would need 14 s); another connects
    // and sends nothing at all.
    let request = b"GET /feeds/all.atom HTTP/1.1\r\nHost: x\r\nUser-Agent: slowloris/1.0\r\n\r\n";
    // Taken before connecting, so that no cut can look earlier than it was.
    let started = Instant::now();
    let mut slow = server.connect();
    let mut silent = server.connect();
    for stream in [&slow, &silent] {
        stream
            .set_nonblocking(true)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let (mut slow_cut, mut silent_cut) = (None, None);
    let (mut sent, mut slow_got, mut silent_got) = (0, Vec::new(), Vec::new());
    let mut served_meanwhile = 0;
    let mut tick = 0;
    while started.elapsed() < timeout * 5 && (slow_cut.is_none() || silent_cut.is_none()) {
        if slow_cut.is_none() {
            if sent < request.len() {
                match slow.write(&request[sent..=sent]) {
                    Ok(n) => sent += n,
                    Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                    Err(_) => slow_cut = Some(started.elapsed()),
                }
            }
            if ended_now(&mut slow, &mut slow_got) {
                slow_cut.get_or_insert(started.elapsed());
            }
        }
        if silent_cut.is_none() && ended_now(&mut silent, &mut silent_got) {
            silent_cut = Some(started.elapsed());
        }
        if tick % 2 == 0 && slow_cut.is_none() {
            let reply = server.get(FEED, &[]);
            assert_eq!(reply.status, 200, "while a slow client was connected");
            assert_eq!(reply.body, plain.body);
            served_meanwhile += 1;
        }
        tick += 1;
        std::thread::sleep(Duration::from_millis(200));
    }

    for (who, cut, got) in [
        ("slow sender", slow_cut, &slow_got),
        ("silent client", silent_cut, &silent_got),
    ] {
        let Some(cut) = cut else {
            panic!("{who} still connected after {:?}", started.elapsed())
        };
        assert!(
            cut >= timeout / 2,
            "{who} cut after {cut:?}, before the timeout"
        );
        assert!(cut < timeout * 5, "{who} cut after {cut:?}");
        eprintln!("{who}: cut after {cut:?}");
        // Nothing but, at most, a 408.
        assert!(
            got.is_empty() || got.starts_with(b"HTTP/1.1 408"),
            "{who} got {:?}",
            String::from_utf8_lossy(got)
        );
    }
    assert!(
        sent < request.len(),
        "the slow request was sent whole ({sent} bytes)"
    );
    assert!(served_meanwhile >= 1, "nobody served meanwhile");
    assert_still_serving(&server, &plain);
}

#[test]
fn a_slow_reader_is_cut_at_the_request_timeout_while_others_are_served() {
    let timeout = Duration::from_millis(1000);
    let (_dir, config) = sample_with(&format!("request_timeout_ms = {}", timeout.as_millis()));
    let server = Server::start(&config);
    let plain = baseline(&server);

    // 1000 pipelined requests for an ~86 KB feed: far more than every socket buffer on the way
    // can hold, so the server must wait for the reader, which takes one byte every 50 ms.
    let count = 1000;
    let one = format!("GET {FEED} HTTP/1.1\r\nHost: x\r\n\r\n");
    let started = Instant::now();
    let mut reader = server.connect();
    reader
        .write_all(one.repeat(count).as_bytes())
        .unwrap_or_else(|e| panic!("send: {e}"));
    reader
        .set_nonblocking(true)
        .unwrap_or_else(|e| panic!("{e}"));

    // A cut connection shows at once on the sending side (reset), whatever is still buffered
    // on the receiving side: so between reads, send an empty line (allowed, and ignored,
    // between pipelined requests) and watch for the error.
    let mut received = 0usize;
    let mut cut = None;
    let mut served_meanwhile = 0;
    let mut tick = 0;
    while started.elapsed() < timeout * 5 {
        let mut byte = [0u8; 1];
        match reader.read(&mut byte) {
            Ok(0) => {
                cut = Some(started.elapsed());
                break;
            }
            Ok(n) => received += n,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted) => {}
            Err(_) => {
                cut = Some(started.elapsed());
                break;
            }
        }
        match reader.write(b"\r\n") {
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted) => {}
            Err(_) => {
                cut = Some(started.elapsed());
                break;
            }
        }
        if tick % 4 == 0 {
            let reply = server.get(FEED, &[]);
            assert_eq!(reply.status, 200, "while a slow reader was connected");
            assert_eq!(reply.body, plain.body);
            served_meanwhile += 1;
        }
        tick += 1;
        std::thread::sleep(Duration::from_millis(50));
    }
    let Some(cut) = cut else {
        panic!(
            "slow reader still connected after {:?} ({received} bytes read)",
            started.elapsed()
        )
    };
    assert!(cut >= timeout / 2, "cut after {cut:?}, before the timeout");
    assert!(cut < timeout * 5, "cut after {cut:?}");
    eprintln!("slow reader: cut after {cut:?}, {received} bytes read one at a time");
    assert!(received > 0, "no response started before the cut");
    assert!(served_meanwhile >= 1, "nobody served meanwhile");

    // What was buffered before the cut can still be read, then the connection ends, well short
    // of the thousand responses.
    reader
        .set_nonblocking(false)
        .unwrap_or_else(|e| panic!("{e}"));
    let (rest, ended) = read_until_closed(&mut reader, Duration::from_secs(10));
    assert_ne!(ended, Ended::TimedOut, "no end after the cut");
    let total = received + rest.len();
    assert!(
        total < count * plain.body.len() / 2,
        "{total} bytes received: the server did not cut the connection"
    );
    assert_still_serving(&server, &plain);
}

#[test]
fn pipelined_get_head_and_conditional_get_are_answered_in_order() {
    let server = sample();
    let plain = baseline(&server);
    let etag = plain
        .header("etag")
        .unwrap_or_else(|| panic!("no ETag"))
        .to_string();

    let requests = format!(
        "GET {FEED} HTTP/1.1\r\nHost: x\r\n\r\n\
         HEAD {FEED} HTTP/1.1\r\nHost: x\r\n\r\n\
         GET {FEED} HTTP/1.1\r\nHost: x\r\nIf-None-Match: {etag}\r\nConnection: close\r\n\r\n"
    );
    let exchange = server.exchange(requests.as_bytes());
    assert_eq!(
        exchange.ended,
        Ended::Eof,
        "not closed after Connection: close"
    );
    let (replies, rest) = Reply::parse_pipelined(&exchange.bytes, &[false, true, false]);
    assert_eq!(
        replies.len(),
        3,
        "{:?}",
        String::from_utf8_lossy(&exchange.bytes)
    );
    assert!(
        rest.is_empty(),
        "{} bytes after the third response",
        rest.len()
    );

    let statuses: Vec<u16> = replies.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200, 200, 304]);
    let [get, head, not_modified] = &replies[..] else {
        unreachable!()
    };
    assert_eq!(get.body, plain.body);
    assert_eq!(get.header("etag"), Some(etag.as_str()));
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length"),
        Some(plain.body.len().to_string().as_str())
    );
    assert_eq!(head.header("etag"), Some(etag.as_str()));
    assert!(not_modified.body.is_empty());
    assert_eq!(not_modified.header("etag"), Some(etag.as_str()));
    assert_eq!(not_modified.header("connection"), Some("close"));
    assert_still_serving(&server, &plain);
}

#[test]
fn http_1_0_without_host_is_served_and_closed() {
    let server = sample();
    let plain = baseline(&server);

    let exchange = server.exchange(format!("GET {FEED} HTTP/1.0\r\n\r\n").as_bytes());
    assert_eq!(exchange.ended, Ended::Eof, "HTTP/1.0 connection left open");
    assert!(exchange.bytes.starts_with(b"HTTP/1.0 200 "));
    let reply = exchange.reply();
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, plain.body);
    assert_eq!(reply.header("etag"), plain.header("etag"));

    let exchange = server.exchange(format!("HEAD {FEED} HTTP/1.0\r\n\r\n").as_bytes());
    assert_eq!(exchange.ended, Ended::Eof, "HTTP/1.0 connection left open");
    let reply = exchange.reply();
    assert_eq!(reply.status, 200);
    assert!(reply.body.is_empty());
    assert_still_serving(&server, &plain);
}

#[test]
fn http_1_1_without_one_host_gets_400() {
    let server = sample();
    let plain = baseline(&server);
    for request in [
        format!("GET {FEED} HTTP/1.1\r\nConnection: close\r\n\r\n"),
        format!(
            "GET {FEED} HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\
             Connection: close\r\n\r\n"
        ),
    ] {
        let exchange = server.exchange(request.as_bytes());
        assert_eq!(exchange.reply().status, 400, "{request:?}");
    }
    assert_still_serving(&server, &plain);
}

#[test]
fn unreadable_validators_and_codings_get_the_full_response() {
    let server = sample();
    let plain = baseline(&server);

    let cases: &[&[u8]] = &[
        b"If-Modified-Since: garbage",
        b"If-Modified-Since: ",
        b"If-Modified-Since: Sun, 99 Foo 99999 99:99:99 GMT",
        b"If-Modified-Since: Mon, 01 Jan 10000 00:00:00 GMT",
        b"If-Modified-Since: -1",
        b"If-Modified-Since: \xff\xfe\x80",
        b"If-None-Match: garbage",
        b"If-None-Match: no quotes",
        b"If-None-Match: \"",
        b"If-None-Match: W/",
        b"If-None-Match: W/\"unterminated",
        b"If-None-Match: ,,,,",
        b"If-None-Match: \"a\" trailing garbage",
        b"If-None-Match: \xff\xfe\x80",
        b"If-Match: garbage",
        b"If-Unmodified-Since: garbage",
        b"Accept-Encoding: garbage",
        b"Accept-Encoding: gzip;q=abc",
        b"Accept-Encoding: gzip;q=",
        b"Accept-Encoding: gzip;q=1.5",
        b"Accept-Encoding: gzip;q=-1",
        b"Accept-Encoding: br;q=NaN, gzip;q=inf",
        b"Accept-Encoding: ;;;,,,;q=0.5",
        b"Accept-Encoding: gzip;;;q=0.5;;",
        b"Accept-Encoding: \xff\xfe\x80",
    ];
    for &header in cases {
        let what = String::from_utf8_lossy(header).to_string();
        let exchange = server.exchange(&get_with(FEED.as_bytes(), &[header]));
        let reply = exchange.reply();
        assert_eq!(reply.status, 200, "{what}: {:?}", reply.headers);
        assert_eq!(
            reply.header("content-length"),
            Some(reply.body.len().to_string().as_str()),
            "{what}"
        );
        assert_eq!(decoded(&reply), plain.body, "{what}");
    }
    // Several at once, each unreadable.
    let exchange = server.exchange(&get_with(FEED.as_bytes(), cases));
    assert_eq!(exchange.reply().status, 200);
    assert_still_serving(&server, &plain);
}

#[test]
fn absurd_query_strings_are_ignored_or_refused() {
    let server = sample();
    let plain = baseline(&server);

    let repeated = format!("{FEED}?{}", vec!["a=a"; 2500].join("&"));
    assert!(repeated.len() > 10_000);
    let served: Vec<String> = vec![
        repeated,
        format!("{FEED}?%zz"),
        format!("{FEED}?%"),
        format!("{FEED}?"),
        format!("{FEED}??&&==%%"),
        format!("{FEED}?a=%00&b=%ff%fe"),
        format!("{FEED}?{{}}|^`"),
        format!("{FEED}?../../config.toml"),
    ];
    for target in &served {
        let reply = server.exchange(&get_with(target.as_bytes(), &[])).reply();
        let what = &target[..target.len().min(60)];
        assert_eq!(reply.status, 200, "{what}: {:?}", reply.headers);
        assert_eq!(reply.body, plain.body, "{what}");
    }
    // The query is ignored on the other routes too.
    for (target, status) in [
        ("/blog/index.xml?%zz", 200),
        ("/healthz?%zz", 200),
        ("/?%zz", 308),
    ] {
        let reply = server.exchange(&get_with(target.as_bytes(), &[])).reply();
        assert_eq!(reply.status, status, "{target}");
    }
    // Bytes a request-target cannot hold: a malformed request line.
    let malformed: &[&[u8]] = &[
        b"/feeds/all.atom?a b",
        b"/feeds/all.atom?\xff",
        b"/feeds/all.atom?\"<>",
    ];
    for &target in malformed {
        let what = String::from_utf8_lossy(target).to_string();
        assert_refused(&server.exchange(&get_with(target, &[])), 400, &what);
    }
    assert_still_serving(&server, &plain);
}

#[test]
fn unknown_methods_get_405_with_allow_and_garbage_gets_400() {
    let server = sample();
    let plain = baseline(&server);

    for method in [
        "BREW", "PROPFIND", "DELETE", "PUT", "PATCH", "OPTIONS", "TRACE", "MKCOL",
    ] {
        for target in [FEED, "/healthz", "/nowhere"] {
            let exchange = server.exchange(
                format!("{method} {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            );
            let reply = exchange.reply();
            assert_eq!(reply.status, 405, "{method} {target}");
            assert_eq!(
                reply.header("allow"),
                Some("GET, HEAD"),
                "{method} {target}"
            );
        }
    }
    let reply = server
        .exchange(
            b"CONNECT localhost:443 HTTP/1.1\r\nHost: localhost:443\r\nConnection: close\r\n\r\n",
        )
        .reply();
    assert_eq!(
        (reply.status, reply.header("allow")),
        (405, Some("GET, HEAD"))
    );

    // POST with a body that is itself a request, then a last request on the same connection:
    // the body is read as a body (its request is never answered), the framing stays in step
    // (the next request is answered as itself), or the connection is closed.
    let smuggled = format!("GET {FEED} HTTP/1.1\r\nHost: x\r\n\r\n");
    let last = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    let post = format!(
        "POST {FEED} HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n\
         Content-Length: {}\r\n\r\n{smuggled}{last}",
        smuggled.len()
    );
    let exchange = server.exchange(post.as_bytes());
    assert_eq!(exchange.ended, Ended::Eof, "POST connection left open");
    let (replies, rest) = Reply::parse_pipelined(&exchange.bytes, &[false; 3]);
    let answered: Vec<(u16, Option<&str>)> = replies
        .iter()
        .map(|r| (r.status, r.header("content-type")))
        .collect();
    assert_eq!(
        answered,
        [
            (405, Some("text/plain; charset=utf-8")),
            (200, Some("application/json"))
        ],
        "{:?}",
        String::from_utf8_lossy(&exchange.bytes)
    );
    assert!(rest.is_empty());
    assert_eq!(replies[0].header("allow"), Some("GET, HEAD"));

    // The same with a chunked body: hyper does not read it, and closes the connection.
    let chunked = format!(
        "POST {FEED} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\
         {:x}\r\n{smuggled}\r\n0\r\n\r\n{last}",
        smuggled.len()
    );
    let exchange = server.exchange(chunked.as_bytes());
    assert!(exchange.closed(), "chunked POST connection left open");
    let (replies, _) = Reply::parse_pipelined(&exchange.bytes, &[false; 3]);
    let statuses: Vec<u16> = replies.iter().map(|r| r.status).collect();
    assert!(
        statuses == [405] || statuses == [405, 200],
        "{statuses:?}: {:?}",
        String::from_utf8_lossy(&exchange.bytes)
    );
    assert_eq!(replies[0].header("allow"), Some("GET, HEAD"));
    assert!(
        replies.iter().all(|r| r.body != plain.body),
        "smuggled request answered"
    );

    let garbage: &[&[u8]] = &[
        b"garbage\r\n\r\n",
        b"GET\r\n\r\n",
        b"\x00\x01\x02\xff\xfe\r\n\r\n",
        b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
        b"GET /feeds/all.atom HTTP/1.1 extra\r\nHost: x\r\n\r\n",
        b"GET  /feeds/all.atom  HTTP/1.1\r\nHost: x\r\n\r\n",
        b"G@T /feeds/all.atom HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /feeds/all.atom HTTP/1.1\r\nHost: x\r\nBad Name: y\r\n\r\n",
        b"GET /feeds/all.atom HTTP/1.1\r\nHost: x\r\nX-Nul: a\x00b\r\n\r\n",
        b"GET /feeds/all.atom HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        b"GET /feeds/all.atom HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
    ];
    for &request in garbage {
        let what = String::from_utf8_lossy(request).to_string();
        let exchange = server.exchange(request);
        assert!(exchange.closed(), "{what}: connection left open");
        assert_eq!(exchange.reply().status, 400, "{what}");
    }
    // An HTTP/2 preface on this HTTP/1.1-only server: the connection is closed, nothing sent.
    let exchange = server.exchange(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    assert!(exchange.closed(), "HTTP/2 preface: connection left open");
    assert!(
        exchange.bytes.is_empty(),
        "{:?}",
        String::from_utf8_lossy(&exchange.bytes)
    );
    assert_still_serving(&server, &plain);
}
