//! End-to-end: how the real server ends connections. A busy keep-alive connection lives past
//! `request_timeout_ms` (the bound is per request, not per connection), and on SIGTERM every
//! request already sent gets its complete response before its connection closes, even when the
//! server is behind and has not read it yet.
//!
//! Every wait is bounded: sockets have timeouts and loops have deadlines.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{Ended, Server, read_until_closed, root, sample_with};

const FEED: &str = "/feeds/en.rss";

fn request() -> Vec<u8> {
    format!("GET {FEED} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n").into_bytes()
}

/// Reads one response (head, then `Content-Length` bytes of body): its status, its body, and
/// whether it asked to close; `Err` says how much came before the connection ended.
fn read_response(stream: &mut TcpStream) -> Result<(u16, Vec<u8>, bool), String> {
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    let split = loop {
        if let Some(i) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        match stream.read(&mut chunk) {
            Ok(0) => return Err(format!("closed after {} bytes of the head", bytes.len())),
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            Err(e) => return Err(format!("{e} after {} bytes of the head", bytes.len())),
        }
    };
    let head = String::from_utf8_lossy(&bytes[..split]).to_ascii_lowercase();
    let status = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0u16);
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let close = head.lines().any(|l| l == "connection: close");
    let mut body = bytes[split + 4..].to_vec();
    while body.len() < length {
        match stream.read(&mut chunk) {
            Ok(0) => {
                return Err(format!(
                    "closed after {} of {length} body bytes",
                    body.len()
                ));
            }
            Ok(n) => body.extend_from_slice(&chunk[..n]),
            Err(e) => return Err(format!("{e} after {} of {length} body bytes", body.len())),
        }
    }
    assert_eq!(body.len(), length, "more bytes than Content-Length");
    Ok((status, body, close))
}

fn signal(server: &Server, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &server.child.id().to_string()])
        .status()
        .unwrap_or_else(|e| panic!("kill -{name}: {e}"));
    assert!(status.success(), "kill -{name} failed");
}

#[test]
fn a_busy_keep_alive_connection_outlives_the_request_timeout() {
    let timeout = Duration::from_millis(1000);
    let (_dir, config) = sample_with(&format!("request_timeout_ms = {}", timeout.as_millis()));
    let server = Server::start(&config);
    let mut stream = server.connect();
    let started = Instant::now();
    let mut answered = 0;
    // Requests one after another on one connection for three times the timeout: each one is
    // quick, so none may be cut, nor the connection.
    while started.elapsed() < timeout * 3 {
        stream
            .write_all(&request())
            .unwrap_or_else(|e| panic!("request {answered}: {e}"));
        match read_response(&mut stream) {
            Ok((200, body, false)) => assert!(body.len() > 1000, "{} bytes", body.len()),
            Ok((status, _, close)) => panic!("request {answered}: {status}, close {close}"),
            Err(e) => panic!(
                "request {answered}, {:?} into the connection: {e}",
                started.elapsed()
            ),
        }
        answered += 1;
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(answered > 10, "{answered} requests");
}

#[test]
fn a_connection_idle_after_a_304_or_a_head_is_not_cut_at_the_request_timeout() {
    // A response without a body (a 304, a HEAD) ends the request as surely as one with; the
    // connection then idles under the header read timeout, longer here, and serves the next.
    let timeout = Duration::from_millis(600);
    let (_dir, config) = sample_with(&format!(
        "request_timeout_ms = {}\nheader_read_timeout_ms = 10000",
        timeout.as_millis()
    ));
    let server = Server::start(&config);
    let mut stream = server.connect();
    stream
        .write_all(&request())
        .unwrap_or_else(|e| panic!("first request: {e}"));
    let (status, _, _) = read_response(&mut stream).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status, 200);
    let etag = server
        .get(FEED, &[("Accept-Encoding", "gzip")])
        .header("etag")
        .unwrap_or_else(|| panic!("no ETag"))
        .to_string();
    let conditional = format!(
        "GET {FEED} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nIf-None-Match: {etag}\r\n\r\n"
    );
    let head = format!("HEAD {FEED} HTTP/1.1\r\nHost: x\r\n\r\n");
    for (what, request) in [("304", conditional.as_bytes()), ("HEAD", head.as_bytes())] {
        stream
            .write_all(request)
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        // The head of the answer, and nothing after it (neither has a body to read).
        let mut bytes = Vec::new();
        let mut chunk = [0u8; 4096];
        while !bytes.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut chunk) {
                Ok(0) => panic!("{what}: closed"),
                Ok(n) => bytes.extend_from_slice(&chunk[..n]),
                Err(e) => panic!("{what}: {e}"),
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        let expected = if what == "304" { " 304 " } else { " 200 " };
        assert!(
            text.starts_with("HTTP/1.1") && text.contains(expected),
            "{what}: {text}"
        );
        std::thread::sleep(timeout * 2);
    }
    stream
        .write_all(&request())
        .unwrap_or_else(|e| panic!("last request: {e}"));
    match read_response(&mut stream) {
        Ok((200, body, false)) => assert!(body.len() > 1000, "{} bytes", body.len()),
        Ok((status, _, close)) => panic!("after idling: {status}, close {close}"),
        Err(e) => panic!("cut while idle after a response without a body: {e}"),
    }
}

#[test]
fn on_sigterm_every_request_already_sent_is_answered_in_full() {
    let mut server = Server::start(&root().join("config.toml"));
    // Keep-alive connections, each answered once: idle, as between a reader's polls.
    let connections = 500;
    let mut streams: Vec<TcpStream> = (0..connections).map(|_| server.connect()).collect();
    let mut length = 0;
    for stream in &mut streams {
        stream
            .write_all(&request())
            .unwrap_or_else(|e| panic!("{e}"));
        let (status, body, close) = read_response(stream).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((status, close), (200, false));
        length = body.len();
    }
    // The server falls behind (stopped) while every connection sends its next request; the
    // stop signal comes before it reads any of them.
    signal(&server, "STOP");
    for stream in &mut streams {
        stream
            .write_all(&request())
            .unwrap_or_else(|e| panic!("{e}"));
    }
    signal(&server, "TERM");
    std::thread::sleep(Duration::from_millis(100));
    signal(&server, "CONT");
    let mut unanswered = Vec::new();
    for (i, stream) in streams.iter_mut().enumerate() {
        match read_response(stream) {
            Ok((200, body, _)) => {
                assert_eq!(body.len(), length, "connection {i}: another body");
                // Then the server closes the connection.
                let (rest, ended) = read_until_closed(stream, Duration::from_secs(10));
                assert!(rest.is_empty(), "connection {i}: {} more bytes", rest.len());
                assert_ne!(ended, Ended::TimedOut, "connection {i} left open");
            }
            Ok((status, _, _)) => panic!("connection {i}: {status}"),
            Err(e) => unanswered.push(format!("{i}: {e}")),
        }
    }
    assert!(
        unanswered.is_empty(),
        "{} of {connections} requests sent before SIGTERM unanswered, e.g. {:?}",
        unanswered.len(),
        &unanswered[..unanswered.len().min(5)]
    );
    let deadline = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Ok(Some(status)) = server.child.try_wait() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "still running 15 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "exit {status}\n{}", server.log());
    // Said when the signal came, with what was left to do.
    let log = server.log();
    assert!(
        log.contains(&format!(
            "shutdown signal received (SIGTERM): no new connections; finishing the requests of \
             {connections} open connections, for up to 10s"
        )),
        "{log}"
    );
}
