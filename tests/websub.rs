//! WebSub: every feed advertises the configured hub, and after a change the hub is told, once,
//! about exactly the feeds whose bytes changed; a failed notification is tried again. The hub
//! here is a small HTTP receiver on loopback.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Server, copy_tree, root};

/// What the hub received: (answered status, form body), in order.
type Received = Arc<Mutex<Vec<(u16, String)>>>;

/// A hub on loopback that answers 500 to its first `failures` requests, then 202.
fn hub(failures: usize) -> (String, Received) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let url = format!(
        "http://{}/hub",
        listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
    );
    let received: Received = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&received);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut reader = BufReader::new(&stream);
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some((name, value)) = line.split_once(':')
                    && name.eq_ignore_ascii_case("content-length")
                {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0u8; length];
            let _ = reader.read_exact(&mut body);
            let mut seen = log.lock().unwrap_or_else(|e| e.into_inner());
            let status = if seen.len() < failures { 500 } else { 202 };
            seen.push((status, String::from_utf8_lossy(&body).to_string()));
            drop(seen);
            let mut stream = &stream;
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    (url, received)
}

fn topic(body: &str) -> String {
    url::form_urlencoded::parse(body.as_bytes())
        .find(|(k, _)| k == "hub.url")
        .map(|(_, v)| v.to_string())
        .unwrap_or_default()
}

/// Waits until the hub has had no request for a second (at most 30 s), then returns them.
fn settled(received: &Received) -> Vec<(u16, String)> {
    let started = Instant::now();
    let mut last = usize::MAX;
    let mut quiet_since = Instant::now();
    loop {
        let now = received.lock().map(|r| r.len()).unwrap_or(0);
        if now != last {
            last = now;
            quiet_since = Instant::now();
        } else if now > 0 && quiet_since.elapsed() > Duration::from_millis(2500) {
            return received.lock().map(|r| r.clone()).unwrap_or_default();
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the hub heard nothing"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_hub_is_advertised_and_told_exactly_what_changed() {
    let (hub_url, received) = hub(1);
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(&root().join("tests/fixtures/mini"), dir.path());
    let config = dir.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap_or_default();
    assert!(std::fs::write(&config, format!("{text}\n[websub]\nhub = \"{hub_url}\"\n")).is_ok());
    let server = Server::start(&config);

    // Advertised in every format and in the Link header.
    let atom = server.get("/feeds/en.atom", &[]);
    assert!(
        atom.text()
            .contains(&format!("<link href=\"{hub_url}\" rel=\"hub\"/>"))
    );
    assert!(
        atom.header("link")
            .is_some_and(|l| l.contains(&format!("<{hub_url}>; rel=\"hub\""))),
        "{:?}",
        atom.header("link")
    );
    assert!(
        server
            .get("/feeds/en.rss", &[])
            .text()
            .contains(&format!("href=\"{hub_url}\" rel=\"hub\""))
    );
    assert!(server.get("/feeds/en.json", &[]).text().contains(&format!(
        "\"hubs\":[{{\"type\":\"WebSub\",\"url\":\"{hub_url}\"}}]"
    )));
    assert!(
        received.lock().map(|r| r.is_empty()).unwrap_or(false),
        "nothing changed yet"
    );

    // An English post by Marie Dupuis and Sam Chen is edited.
    let hello = dir.path().join("content/en/blog/posts/hello-world.md");
    let text = std::fs::read_to_string(&hello).unwrap_or_default();
    assert!(std::fs::write(&hello, text.replace("first post.", "first post, edited.")).is_ok());
    let heard = settled(&received);
    let base = "https://digital.example.ca/feeds/";
    let mut expected: Vec<String> = [
        "all",
        "en",
        "authors/marie-dupuis",
        "en/authors/marie-dupuis",
        "authors/sam-chen",
        "en/authors/sam-chen",
    ]
    .iter()
    .flat_map(|stem| ["rss", "atom", "json"].map(|ext| format!("{base}{stem}.{ext}")))
    .collect();
    expected.sort();
    let mut sent: Vec<String> = heard
        .iter()
        .filter(|(status, _)| *status == 202)
        .map(|(_, body)| topic(body))
        .collect();
    sent.sort();
    assert_eq!(sent, expected, "each changed feed once, and nothing else");
    assert!(
        heard
            .iter()
            .all(|(_, body)| body.starts_with("hub.mode=publish&"))
    );
    // The first attempt failed and was tried again.
    assert_eq!(heard.len(), expected.len() + 1);
    assert_eq!(heard[0].0, 500);
    let metrics = server.get("/metrics", &[]).text();
    assert!(
        metrics.contains("syndic_websub_notifications_total{outcome=\"retried\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains(&format!(
            "syndic_websub_notifications_total{{outcome=\"sent\"}} {}",
            expected.len()
        )),
        "{metrics}"
    );

    // A save that changes no bytes of any feed tells the hub nothing.
    let loaded = |server: &Server| server.get("/healthz", &[]).text();
    let before = loaded(&server);
    let now = std::fs::read_to_string(&hello).unwrap_or_default();
    assert!(std::fs::write(&hello, &now).is_ok());
    let started = Instant::now();
    while loaded(&server) == before && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        received.lock().map(|r| r.len()).unwrap_or(0),
        heard.len(),
        "a rebuild that changed nothing notified the hub"
    );
}
