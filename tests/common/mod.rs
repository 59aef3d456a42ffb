//! Helpers for end-to-end tests: start the real `syndic serve` on a loopback port, and a small
//! HTTP/1.1 client over a raw socket, so tests control every byte they send.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running server; stopped (SIGTERM, then kill) when dropped. Its stderr is shown when a
/// test fails while it runs.
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
    pub stderr: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Server {
    /// Starts `syndic --config CONFIG serve --listen 127.0.0.1:0` and waits for its address.
    pub fn start(config: &Path) -> Server {
        Server::start_in(Path::new("."), config)
    }

    /// Like [`Server::start`], from the working folder `dir` (so `config` may be relative).
    pub fn start_in(dir: &Path, config: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_syndic"))
            .current_dir(dir)
            .arg("--config")
            .arg(config)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env("SYNDIC_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start syndic: {e}"));
        let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        if let Some(pipe) = child.stderr.take() {
            let sink = std::sync::Arc::clone(&stderr);
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    if let Ok(mut text) = sink.lock() {
                        text.push_str(&line);
                        text.push('\n');
                    }
                }
            });
        }
        let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
        let mut line = String::new();
        let read = BufReader::new(stdout).read_line(&mut line);
        let addr = line
            .trim()
            .strip_prefix("listening on http://")
            .and_then(|rest| rest.strip_suffix("/feeds/"))
            .and_then(|a| a.parse().ok());
        match (read, addr) {
            (Ok(_), Some(addr)) => Server {
                child,
                addr,
                stderr,
            },
            _ => {
                let _ = child.kill();
                std::thread::sleep(Duration::from_millis(200));
                panic!(
                    "server did not start: {line:?}\nstderr:\n{}",
                    stderr.lock().map(|s| s.clone()).unwrap_or_default()
                )
            }
        }
    }

    /// Sends a raw request and reads the whole response (the request should ask
    /// `Connection: close` or be HTTP/1.0).
    pub fn raw(&self, request: &[u8]) -> Reply {
        let mut stream = TcpStream::connect(self.addr).unwrap_or_else(|e| panic!("connect: {e}"));
        let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
        stream
            .write_all(request)
            .unwrap_or_else(|e| panic!("send: {e}"));
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        Reply::parse(&bytes)
    }

    /// `METHOD path` with extra headers, `Connection: close`.
    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut text = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            self.addr
        );
        for (name, value) in headers {
            text.push_str(&format!("{name}: {value}\r\n"));
        }
        text.push_str("\r\n");
        self.raw(text.as_bytes())
    }

    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        self.request("GET", path, headers)
    }

    /// What the server logged so far.
    pub fn log(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Sends SIGTERM and waits for the exit status.
    pub fn terminate(&mut self) -> Option<i32> {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        for _ in 0..200 {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        if std::thread::panicking() {
            eprintln!("--- syndic stderr ---\n{}", self.log());
        }
    }
}

/// A parsed HTTP response.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    fn parse(bytes: &[u8]) -> Reply {
        let split = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or(bytes.len());
        let head = String::from_utf8_lossy(&bytes[..split]).to_string();
        let body = bytes.get(split + 4..).unwrap_or_default().to_vec();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Reply {
            status,
            headers,
            body,
        }
    }

    /// The first header of that name.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }
}

/// Copies a folder tree (a fixture corpus) into `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(from).unwrap_or(entry.path());
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            let _ = std::fs::create_dir_all(&target);
        } else {
            let _ = std::fs::copy(entry.path(), &target);
        }
    }
}

/// The repository's root.
pub fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// How the server ended a raw exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The server closed the connection (FIN).
    Eof,
    /// The connection was reset or otherwise failed (the server cut it).
    Error(std::io::ErrorKind),
    /// Nothing more came within the time limit: the connection is still open.
    TimedOut,
}

/// What came back on one connection: every byte, and how it ended.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub bytes: Vec<u8>,
    /// Whether the whole request could be written (a server that cuts a request it refuses may
    /// reset the connection while the client is still sending).
    pub sent: bool,
    pub ended: Ended,
}

impl Exchange {
    /// The first response in the bytes (status 0 when there is none).
    pub fn reply(&self) -> Reply {
        Reply::parse(&self.bytes)
    }

    /// Whether the server ended the connection (rather than the time limit).
    pub fn closed(&self) -> bool {
        self.ended != Ended::TimedOut
    }
}

/// Reads from `stream` until the server closes it, it fails, or `limit` passes.
pub fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (Vec<u8>, Ended) {
    let deadline = std::time::Instant::now() + limit;
    let mut bytes = Vec::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return (bytes, Ended::TimedOut);
        }
        let _ = stream.set_read_timeout(Some(left));
        match stream.read(&mut buffer) {
            Ok(0) => return (bytes, Ended::Eof),
            Ok(n) => bytes.extend_from_slice(&buffer[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return (bytes, Ended::TimedOut);
            }
            Err(e) => return (bytes, Ended::Error(e.kind())),
        }
    }
}

impl Server {
    /// A new connection to the server, with 10 s read and write timeouts.
    pub fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(self.addr).unwrap_or_else(|e| panic!("connect: {e}"));
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
        stream
    }

    /// Sends raw bytes on a new connection (a failed send is recorded, not fatal) and reads
    /// until the server closes the connection, or 10 s pass.
    pub fn exchange(&self, request: &[u8]) -> Exchange {
        let mut stream = self.connect();
        let sent = stream.write_all(request).is_ok();
        let (bytes, ended) = read_until_closed(&mut stream, Duration::from_secs(10));
        Exchange { bytes, sent, ended }
    }
}

impl Reply {
    /// Splits the responses to pipelined requests, in order; `heads[i]` tells whether request
    /// `i` was a HEAD (its response has no body whatever its Content-Length). Returns the
    /// responses and the bytes left over after them.
    pub fn parse_pipelined<'a>(mut bytes: &'a [u8], heads: &[bool]) -> (Vec<Reply>, &'a [u8]) {
        let mut replies = Vec::new();
        for &head in heads {
            let Some(split) = bytes.windows(4).position(|w| w == b"\r\n\r\n") else {
                break;
            };
            let mut reply = Reply::parse(&bytes[..split + 4]);
            let length = if head || reply.status == 304 || reply.status == 204 {
                0
            } else {
                reply
                    .header("content-length")
                    .and_then(|l| l.parse::<usize>().ok())
                    .unwrap_or(0)
            };
            let end = (split + 4 + length).min(bytes.len());
            reply.body = bytes[split + 4..end].to_vec();
            replies.push(reply);
            bytes = &bytes[end..];
        }
        (replies, bytes)
    }
}

/// A copy of the sample corpus (`config.toml`, its `identity.toml` and `content/`) with extra
/// `[server]` settings. Whatever syndic writes beside the configuration stays in the copy.
pub fn sample_with(settings: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(&root().join("content"), &dir.path().join("content"));
    std::fs::copy(
        root().join("identity.toml"),
        dir.path().join("identity.toml"),
    )
    .unwrap_or_else(|e| panic!("identity.toml: {e}"));
    let text = std::fs::read_to_string(root().join("config.toml"))
        .unwrap_or_else(|e| panic!("config.toml: {e}"));
    assert!(
        text.contains("\n[server]\n"),
        "no [server] table in config.toml"
    );
    let text = text.replacen("\n[server]\n", &format!("\n[server]\n{settings}\n"), 1);
    let config = dir.path().join("config.toml");
    std::fs::write(&config, text).unwrap_or_else(|e| panic!("{e}"));
    (dir, config)
}

/// Polls `path` until `done` holds for its body, at most 20 s.
pub fn until(server: &Server, path: &str, done: impl Fn(&str) -> bool) -> String {
    let started = std::time::Instant::now();
    loop {
        let body = server.get(path, &[]).text();
        if done(&body) {
            return body;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{path} never changed as expected; last body:\n{body}\nlog:\n{}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
