//! Soak test of `syndic serve`: many keep-alive connections for a long while, the corpus
//! rewritten many times a second underneath, every response checked, then a graceful shutdown
//! under full load.
//!
//! ```text
//! cargo run --release --example soak -- [--seconds 60] [--connections 1000] [--config PATH]
//!     [--write-every-ms 50] [--edit-posts 4] [--quiet-ms 20] [--max-connections 2048]
//!     [--request-timeout-ms MS] [--response-timeout 30] [--start-timeout 120]
//!     [--exit-timeout 15] [--max-growth-percent 5] [--no-build] [--binary PATH] [--keep]
//! ```
//!
//! What it does:
//!
//! 1. Builds syndic (`cargo build --release --bin syndic`; skipped with `--no-build`, or with
//!    `--binary PATH` to test another build), copies the corpus (`--config`, default the
//!    repository's `config.toml` with its `content_dir`) into a temporary folder, so that the
//!    edits never touch the repository, and sets in the copied configuration
//!    `[server] max_connections` (default 2048, above `--connections`), `[watch] quiet_ms`
//!    (default 20, see below) and, if given, `[server] request_timeout_ms`.
//! 2. Starts `syndic serve --listen 127.0.0.1:0` there (loopback only; nothing else is ever
//!    contacted) and waits until every document is compressed.
//! 3. For `--seconds`, holds `--connections` keep-alive connections, each sending one GET after
//!    another as fast as it is answered, over a mix of documents (`all.atom`, `en.rss`,
//!    `fr.json` and a person's RSS feed) and codings (`Accept-Encoding: identity`, `gzip`, `br`,
//!    a third each); a quarter of them are conditional, with `If-None-Match:` the last ETag
//!    any connection saw for that document and coding. Every response is checked:
//!    - status 200 or 304 (304 only when asked, with the ETag that was sent);
//!    - 200: `Content-Length` present and exactly that many bytes received, `Content-Encoding`
//!      the one asked for, an `ETag` of the coding's shape, the document's `Content-Type`;
//!    - the body, decompressed if needed (gzip with its CRC, brotli), is well-formed: XML
//!      (`roxmltree`) whose root is `rss` with items or `feed` with entries, or a JSON Feed
//!      1.x with items;
//!    - one snapshot: an ETag never comes with two different bodies for one document (a CRC-32
//!      and the length of every body are compared with the first body seen for that ETag, which
//!      was decoded and parsed); a gzip or brotli body decodes to exactly the identity body of
//!      the same ETag stem; and no response is older than one already received: each edit
//!      writes a revision number into the post, and a response sent after another one was
//!      received never shows a post at a lower revision than that one did.
//! 4. Meanwhile a writer thread rewrites one of `--edit-posts` posts (the newest ones,
//!    alternating languages) every `--write-every-ms`: the post's body gets a new last line
//!    with the revision number, written two times in three as an editor saves (a temporary
//!    dot-file, then a rename over the post) and one time in three in place (truncate and
//!    write). Each burst of events ends after `quiet_ms` without one; with the sample's 100 ms
//!    and a write every 50 ms the burst never ends and no snapshot is published until the
//!    writes stop, so the copy uses 20 ms by default (`--quiet-ms 100` shows it).
//! 5. Samples the server's resident memory (`VmRSS` in `/proc/PID/status`) every second.
//! 6. After `--seconds`, with every connection still sending, sends SIGTERM to the server.
//!    Requests whose bytes were all written before the signal and whose response had not yet
//!    been read are "in flight": each must get its complete, valid response. Then the server
//!    must close every connection and exit 0 within `--exit-timeout` seconds. Requests sent
//!    after the signal may be answered or see their connection closed; that is counted, not an
//!    error. A response cut short is an error at any time.
//!
//! It prints requests served and per second, latency percentiles (from writing the request to
//! the last byte of the response, so with this many connections on two cores mostly time spent
//! waiting in line), connections held, snapshots published (`syndic_reloads_total` from
//! `/metrics` before and after), distinct ETags per document, memory at start, peak and end
//! with the trend (the 10 s after a 5 s warm-up against the last 10 s, the slope, and the last
//! 10 s against the highest sample of the first half), CPU used by the server and by this
//! client, the load average, the shutdown figures, and errors by kind. Exit status: 0 when
//! there was no error, memory was flat (the last 10 s on average at most `--max-growth-percent`
//! above the first half's highest sample: RSS climbs for a few tens of seconds while caches and
//! buffers fill, then levels off; a leak keeps setting new highs), at least one snapshot was
//! published and the server exited 0 in time; 1 otherwise; 2 when the setup failed. For the
//! memory trend, a longer run (`--seconds 300`) says more than the default minute.
//!
//! The client and the server share the machine's cores, so requests per second and latency
//! are those of this pairing on this machine, not the server's capacity.
//!
//! Every wait is bounded: connecting (10 s), each response (`--response-timeout`), the server's
//! start (`--start-timeout`), its exit (`--exit-timeout`), the build (30 min). On any exit the
//! server is killed if still running and the temporary folder removed (`--keep` keeps it, with
//! the server's log).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Parser;
use memchr::memmem;
use tokio::net::TcpStream;

/// The only address ever contacted.
const HOST: [u8; 4] = [127, 0, 0, 1];
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// Seconds at the start of the load not counted in the memory trend (connections opening).
const WARM_UP: f64 = 5.0;
/// Edited posts at most (their revision floors are kept in a fixed array per request).
const MAX_EDITED: usize = 16;

#[derive(Parser, Debug)]
#[command(
    name = "soak",
    about = "Soak test of `syndic serve`: many connections, a corpus rewritten underneath, every \
             response checked, graceful shutdown under load"
)]
struct Args {
    /// Corpus configuration to copy (with its content_dir) into a temporary folder.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/config.toml"))]
    config: PathBuf,
    /// Seconds of load before SIGTERM.
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// Keep-alive connections held at once.
    #[arg(long, default_value_t = 1000)]
    connections: usize,
    /// A post is rewritten every this many milliseconds.
    #[arg(long, default_value_t = 50)]
    write_every_ms: u64,
    /// How many posts the writer takes turns on (1 to 16).
    #[arg(long, default_value_t = 4)]
    edit_posts: usize,
    /// `[watch] quiet_ms` in the copied configuration.
    #[arg(long, default_value_t = 20)]
    quiet_ms: u64,
    /// `[server] max_connections` in the copied configuration.
    #[arg(long, default_value_t = 2048)]
    max_connections: usize,
    /// `[server] request_timeout_ms` in the copied configuration (default: the corpus's own).
    #[arg(long)]
    request_timeout_ms: Option<u64>,
    /// Seconds a response may take before it counts as an error.
    #[arg(long, default_value_t = 30)]
    response_timeout: u64,
    /// Seconds the server may take to load, listen and compress every document.
    #[arg(long, default_value_t = 120)]
    start_timeout: u64,
    /// Seconds the server may take, after SIGTERM, to close every connection and exit.
    #[arg(long, default_value_t = 15)]
    exit_timeout: u64,
    /// How far (percent) the last 10 s of resident memory may lie above the highest sample of
    /// the run's first half (after the warm-up) and still count as flat.
    #[arg(long, default_value_t = 5.0)]
    max_growth_percent: f64,
    /// Do not run `cargo build --release --bin syndic` first.
    #[arg(long)]
    no_build: bool,
    /// The syndic binary to test (default: target/release/syndic, built first).
    #[arg(long)]
    binary: Option<PathBuf>,
    /// Keep the temporary folder (corpus copy and the server's log).
    #[arg(long)]
    keep: bool,
}

// ----------------------------------------------------------------------------------------
// Errors by kind

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Connect failed, or the connection closed or reset before any byte of a response, while
    /// the load ran.
    Connection,
    Timeout,
    /// A status other than 200, or a 304 not asked for.
    Status,
    /// Missing or wrong headers, bytes after the body.
    Malformed,
    /// Fewer body bytes than `Content-Length`, or a head cut short.
    Truncated,
    /// A body that does not decompress or parse as the feed it should be.
    Unparsable,
    /// An ETag with two bodies, a compressed body that is not its identity body, a 304 with
    /// another ETag, two revisions of one post in one document.
    Inconsistent,
    /// A post older than in a response received before this request was sent.
    Stale,
    /// A request sent before SIGTERM whose connection closed without any response.
    Lost,
}

const KINDS: [(Kind, &str); 9] = [
    (Kind::Connection, "connection"),
    (Kind::Timeout, "timeout"),
    (Kind::Status, "bad status"),
    (Kind::Malformed, "malformed"),
    (Kind::Truncated, "truncated"),
    (Kind::Unparsable, "unparsable"),
    (Kind::Inconsistent, "inconsistent"),
    (Kind::Stale, "stale"),
    (Kind::Lost, "lost in shutdown"),
];

// ----------------------------------------------------------------------------------------
// What the connections share

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Coding {
    Identity,
    Gzip,
    Brotli,
}

const CODINGS: [Coding; 3] = [Coding::Identity, Coding::Gzip, Coding::Brotli];

impl Coding {
    fn accept(self) -> &'static str {
        match self {
            Coding::Identity => "identity",
            Coding::Gzip => "gzip",
            Coding::Brotli => "br",
        }
    }
    fn etag_suffix(self) -> &'static str {
        match self {
            Coding::Identity => "\"",
            Coding::Gzip => "-gz\"",
            Coding::Brotli => "-br\"",
        }
    }
    fn index(self) -> usize {
        self as usize
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Rss,
    Atom,
    Json,
}

impl Format {
    fn of(path: &str) -> Format {
        if path.ends_with(".atom") {
            Format::Atom
        } else if path.ends_with(".json") {
            Format::Json
        } else {
            Format::Rss
        }
    }
    fn content_type(self) -> &'static str {
        match self {
            Format::Rss => "application/rss+xml",
            Format::Atom => "application/atom+xml",
            Format::Json => "application/feed+json",
        }
    }
}

/// What went wrong with a response, and how.
type Fault = (Kind, String);
/// The revision of each edited post a document shows: (post, revision).
type Revisions = Arc<[(usize, u64)]>;
/// Length and CRC-32 of a body.
type Fingerprint = (usize, u32);

/// A body seen for one document and ETag: its fingerprint, and the revision of each edited post
/// it shows.
struct Known {
    fingerprint: Fingerprint,
    revisions: Revisions,
}

struct Shared {
    base: Instant,
    addr: SocketAddr,
    paths: Vec<String>,
    formats: Vec<Format>,
    response_timeout: Duration,
    /// Per document: ETag -> what its body was.
    docs: Vec<Mutex<HashMap<String, Known>>>,
    /// Per document: ETag stem -> fingerprint of the identity body.
    stems: Vec<Mutex<HashMap<String, Fingerprint>>>,
    /// Per document and coding: the last ETag a response carried.
    last_etag: Vec<Mutex<Option<String>>>,
    /// Per edited post: the highest revision any received response showed.
    floor: Vec<AtomicU64>,
    errors: [AtomicU64; KINDS.len()],
    examples: Mutex<Vec<String>>,
    /// Microseconds since `base` at which SIGTERM was sent, plus one; 0 before.
    signalled_at: AtomicU64,
    open: AtomicUsize,
    connects: AtomicU64,
    served_200: AtomicU64,
    served_304: AtomicU64,
    body_bytes: AtomicU64,
    decoded: AtomicU64,
    server_closed_before_signal: AtomicU64,
    in_flight: AtomicU64,
    in_flight_completed: AtomicU64,
    served_after_signal: AtomicU64,
    closed_after_signal: AtomicU64,
    refused_after_signal: AtomicU64,
}

impl Shared {
    fn micros(&self) -> u64 {
        self.base.elapsed().as_micros() as u64
    }
    fn signal_time(&self) -> Option<u64> {
        match self.signalled_at.load(Ordering::SeqCst) {
            0 => None,
            t => Some(t - 1),
        }
    }
    fn error(&self, kind: Kind, what: String) {
        let i = KINDS.iter().position(|(k, _)| *k == kind).unwrap_or(0);
        self.errors[i].fetch_add(1, Ordering::Relaxed);
        if let Ok(mut examples) = self.examples.lock()
            && examples.len() < 20
        {
            examples.push(format!("{}: {what}", KINDS[i].1));
        }
    }
    fn error_total(&self) -> u64 {
        self.errors.iter().map(|e| e.load(Ordering::Relaxed)).sum()
    }
}

// ----------------------------------------------------------------------------------------
// HTTP/1.1 over a raw socket (tokio without io-util: readable + try_read)

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

enum ReadFailure {
    /// The connection ended (EOF or an error) after `got` bytes of the response.
    Ended {
        got: usize,
        why: String,
    },
    Malformed(String),
}

async fn write_all(stream: &TcpStream, mut data: &[u8]) -> std::io::Result<()> {
    while !data.is_empty() {
        stream.writable().await?;
        match stream.try_write(data) {
            Ok(n) => data = &data[n..],
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

async fn read_some(stream: &TcpStream, into: &mut [u8]) -> std::io::Result<usize> {
    loop {
        stream.readable().await?;
        match stream.try_read(into) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
    }
}

/// Reads one response; `head_buf` is reused between calls.
async fn read_reply(stream: &TcpStream, head_buf: &mut Vec<u8>) -> Result<Reply, ReadFailure> {
    head_buf.clear();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = memmem::find(head_buf, b"\r\n\r\n") {
            break i + 4;
        }
        if head_buf.len() > 64 * 1024 {
            return Err(ReadFailure::Malformed("response head over 64 KiB".into()));
        }
        let got = head_buf.len();
        match read_some(stream, &mut chunk).await {
            Ok(0) => {
                return Err(ReadFailure::Ended {
                    got,
                    why: "closed".into(),
                });
            }
            Ok(n) => head_buf.extend_from_slice(&chunk[..n]),
            Err(e) => {
                return Err(ReadFailure::Ended {
                    got,
                    why: e.to_string(),
                });
            }
        }
    };
    let head = std::str::from_utf8(&head_buf[..head_end - 4])
        .map_err(|_| ReadFailure::Malformed("response head is not UTF-8".into()))?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let status = status_line
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| ReadFailure::Malformed(format!("status line {status_line:?}")))?;
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| ReadFailure::Malformed(format!("header line {line:?}")))?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let mut reply = Reply {
        status,
        headers,
        body: Vec::new(),
    };
    let rest = &head_buf[head_end..];
    if status == 304 || status == 204 || (100..200).contains(&status) {
        if !rest.is_empty() {
            return Err(ReadFailure::Malformed(format!(
                "{} bytes after a {status} (a body, or a response not asked for)",
                rest.len()
            )));
        }
        return Ok(reply);
    }
    let length = reply
        .header("content-length")
        .ok_or_else(|| ReadFailure::Malformed(format!("{status} without Content-Length")))?
        .parse::<usize>()
        .map_err(|_| ReadFailure::Malformed("Content-Length is not a number".into()))?;
    if rest.len() > length {
        return Err(ReadFailure::Malformed(format!(
            "{} bytes after the body (Content-Length {length})",
            rest.len() - length
        )));
    }
    let mut body = vec![0u8; length];
    body[..rest.len()].copy_from_slice(rest);
    let mut filled = rest.len();
    while filled < length {
        let got = head_end + filled;
        match read_some(stream, &mut body[filled..]).await {
            Ok(0) => {
                return Err(ReadFailure::Ended {
                    got,
                    why: format!("closed after {filled} of {length} body bytes"),
                });
            }
            Ok(n) => filled += n,
            Err(e) => {
                return Err(ReadFailure::Ended {
                    got,
                    why: format!("{e} after {filled} of {length} body bytes"),
                });
            }
        }
    }
    reply.body = body;
    Ok(reply)
}

// ----------------------------------------------------------------------------------------
// Checking a response

/// Revision markers the writer puts in posts: `soakrev-<post>-<revision>-end`.
fn revisions(text: &[u8]) -> Result<Vec<(usize, u64)>, String> {
    let mut found: Vec<(usize, u64)> = Vec::new();
    for at in memmem::find_iter(text, b"soakrev-") {
        let rest = &text[at + 8..];
        let digits = |s: &[u8]| s.iter().take_while(|b| b.is_ascii_digit()).count();
        let n = digits(rest);
        if n == 0 || rest.get(n) != Some(&b'-') {
            continue;
        }
        let after = &rest[n + 1..];
        let m = digits(after);
        if m == 0 || !after[m..].starts_with(b"-end") {
            continue;
        }
        let post: usize = std::str::from_utf8(&rest[..n])
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(usize::MAX);
        let rev: u64 = std::str::from_utf8(&after[..m])
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        match found.iter().find(|(p, _)| *p == post) {
            Some(&(_, other)) if other != rev => {
                return Err(format!(
                    "post {post} at two revisions in one document: {other} and {rev}"
                ));
            }
            Some(_) => {}
            None => found.push((post, rev)),
        }
    }
    Ok(found)
}

/// Decodes and parses a body never seen before: its identity bytes' fingerprint and the
/// revisions it shows.
fn examine(
    format: Format,
    coding: Coding,
    raw: &[u8],
) -> Result<(Fingerprint, Vec<(usize, u64)>), Fault> {
    let decoded;
    let bytes: &[u8] = match coding {
        Coding::Identity => raw,
        Coding::Gzip => {
            let mut out = Vec::with_capacity(raw.len() * 4);
            flate2::read::GzDecoder::new(raw)
                .read_to_end(&mut out)
                .map_err(|e| (Kind::Unparsable, format!("gzip body does not decode: {e}")))?;
            decoded = out;
            &decoded
        }
        Coding::Brotli => {
            let mut out = Vec::with_capacity(raw.len() * 4);
            brotli::Decompressor::new(raw, 4096)
                .read_to_end(&mut out)
                .map_err(|e| {
                    (
                        Kind::Unparsable,
                        format!("brotli body does not decode: {e}"),
                    )
                })?;
            decoded = out;
            &decoded
        }
    };
    let bad = |what: String| (Kind::Unparsable, what);
    match format {
        Format::Rss | Format::Atom => {
            let text = std::str::from_utf8(bytes).map_err(|e| bad(format!("not UTF-8: {e}")))?;
            let doc = roxmltree::Document::parse(text).map_err(|e| bad(format!("XML: {e}")))?;
            let root = doc.root_element();
            let entries = if format == Format::Rss {
                if root.tag_name().name() != "rss" {
                    return Err(bad(format!("root <{}>, not <rss>", root.tag_name().name())));
                }
                root.children()
                    .find(|n| n.has_tag_name("channel"))
                    .map_or(0, |c| {
                        c.children().filter(|n| n.has_tag_name("item")).count()
                    })
            } else {
                if root.tag_name().name() != "feed" {
                    return Err(bad(format!(
                        "root <{}>, not <feed>",
                        root.tag_name().name()
                    )));
                }
                root.children()
                    .filter(|n| n.tag_name().name() == "entry")
                    .count()
            };
            if entries == 0 {
                return Err(bad("a feed without entries".into()));
            }
        }
        Format::Json => {
            let value: serde_json::Value =
                serde_json::from_slice(bytes).map_err(|e| bad(format!("JSON: {e}")))?;
            let version = value.get("version").and_then(|v| v.as_str()).unwrap_or("");
            if !version.starts_with("https://jsonfeed.org/version/1") {
                return Err(bad(format!("JSON Feed version {version:?}")));
            }
            if value
                .get("items")
                .and_then(|v| v.as_array())
                .is_none_or(|items| items.is_empty())
            {
                return Err(bad("a JSON Feed without items".into()));
            }
        }
    }
    let revs = revisions(bytes).map_err(|e| (Kind::Inconsistent, e))?;
    Ok(((bytes.len(), crc32fast::hash(bytes)), revs))
}

/// Checks a 200 and returns the revisions its body shows.
fn check_full(
    shared: &Shared,
    doc: usize,
    coding: Coding,
    reply: &Reply,
) -> Result<Revisions, Fault> {
    let path = &shared.paths[doc];
    let malformed = |what: String| (Kind::Malformed, format!("{path} ({coding:?}): {what}"));
    let encoding = reply.header("content-encoding");
    let expected = match coding {
        Coding::Identity => None,
        c => Some(c.accept()),
    };
    if encoding != expected {
        return Err(malformed(format!(
            "Content-Encoding {encoding:?}, asked for {coding:?}"
        )));
    }
    let content_type = reply.header("content-type").unwrap_or("");
    if !content_type.starts_with(shared.formats[doc].content_type()) {
        return Err(malformed(format!("Content-Type {content_type:?}")));
    }
    let etag = reply
        .header("etag")
        .ok_or_else(|| malformed("no ETag".into()))?;
    let stem = etag
        .strip_prefix('"')
        .and_then(|e| e.strip_suffix(coding.etag_suffix()))
        .filter(|s| s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit()))
        .ok_or_else(|| malformed(format!("ETag {etag} is not a {coding:?} ETag")))?;
    let fingerprint = (reply.body.len(), crc32fast::hash(&reply.body));
    let inconsistent = |first: Fingerprint| {
        (
            Kind::Inconsistent,
            format!(
                "{path} ETag {etag}: a body of {} bytes (CRC {:08x}), but {} bytes (CRC {:08x}) \
                 before",
                fingerprint.0, fingerprint.1, first.0, first.1
            ),
        )
    };
    if let Some(known) = lock(&shared.docs[doc]).get(etag) {
        if known.fingerprint != fingerprint {
            return Err(inconsistent(known.fingerprint));
        }
        return Ok(Arc::clone(&known.revisions));
    }
    // First time this ETag is seen: decode and parse it (outside the locks).
    let (identity, revs) = examine(shared.formats[doc], coding, &reply.body)
        .map_err(|(kind, what)| (kind, format!("{path} ({coding:?}, ETag {etag}): {what}")))?;
    {
        let mut stems = shared.stems[doc].lock().unwrap_or_else(|p| p.into_inner());
        let first = *stems.entry(stem.to_string()).or_insert(identity);
        if first != identity {
            return Err((
                Kind::Inconsistent,
                format!(
                    "{path} ETag {etag}: decodes to {} bytes (CRC {:08x}), but the identity body \
                     of \"{stem}\" is {} bytes (CRC {:08x})",
                    identity.0, identity.1, first.0, first.1
                ),
            ));
        }
    }
    let revisions: Revisions = revs.into();
    let mut docs = lock(&shared.docs[doc]);
    let known = docs.entry(etag.to_string()).or_insert_with(|| {
        shared.decoded.fetch_add(1, Ordering::Relaxed);
        Known {
            fingerprint,
            revisions: Arc::clone(&revisions),
        }
    });
    if known.fingerprint != fingerprint {
        return Err(inconsistent(known.fingerprint));
    }
    Ok(revisions)
}

/// Checks a response against what was asked; returns the revisions it shows.
fn check(
    shared: &Shared,
    doc: usize,
    coding: Coding,
    sent_etag: Option<&str>,
    reply: &Reply,
) -> Result<Revisions, Fault> {
    let path = &shared.paths[doc];
    match (reply.status, sent_etag) {
        (200, _) => {
            let revs = check_full(shared, doc, coding, reply)?;
            if let Some(etag) = reply.header("etag") {
                let slot = &shared.last_etag[doc * 3 + coding.index()];
                *slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(etag.to_string());
            }
            Ok(revs)
        }
        (304, Some(sent)) => {
            let etag = reply.header("etag").unwrap_or("");
            if etag != sent {
                return Err((
                    Kind::Inconsistent,
                    format!("{path}: 304 with ETag {etag:?} for If-None-Match {sent}"),
                ));
            }
            let docs = shared.docs[doc].lock().unwrap_or_else(|p| p.into_inner());
            Ok(docs
                .get(sent)
                .map_or_else(|| Arc::from(Vec::new()), |k| Arc::clone(&k.revisions)))
        }
        (status, sent) => Err((
            Kind::Status,
            format!("{path} ({coding:?}, If-None-Match {sent:?}): status {status}"),
        )),
    }
}

/// A lock, even if another thread panicked holding it.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

// ----------------------------------------------------------------------------------------
// One connection's life

/// xorshift64*: the request mix, reproducible per connection.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Sends requests on one connection after another until the server is gone; returns the
/// latencies (microseconds) of the requests answered before SIGTERM.
async fn worker(shared: Arc<Shared>, id: usize) -> Vec<u32> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ ((id as u64 + 1) << 17));
    let mut latencies = Vec::with_capacity(16 * 1024);
    let mut head_buf = Vec::with_capacity(8 * 1024);
    let mut request = Vec::with_capacity(512);
    'connections: loop {
        let connected =
            tokio::time::timeout(Duration::from_secs(10), TcpStream::connect(shared.addr)).await;
        let stream = match connected {
            Ok(Ok(stream)) => stream,
            failed => {
                if shared.signal_time().is_some() {
                    shared.refused_after_signal.fetch_add(1, Ordering::Relaxed);
                    break 'connections;
                }
                let why = match failed {
                    Ok(Err(e)) => e.to_string(),
                    _ => "timed out (10 s)".to_string(),
                };
                shared.error(Kind::Connection, format!("connect: {why}"));
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue 'connections;
            }
        };
        let _ = stream.set_nodelay(true);
        shared.connects.fetch_add(1, Ordering::Relaxed);
        shared.open.fetch_add(1, Ordering::SeqCst);
        'requests: loop {
            let doc = rng.below(shared.paths.len());
            let coding = CODINGS[rng.below(3)];
            let conditional = rng.below(4) == 0;
            let sent_etag = if conditional {
                shared.last_etag[doc * 3 + coding.index()]
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .clone()
            } else {
                None
            };
            request.clear();
            let _ = write!(
                request,
                "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: syndic-soak\r\nAccept-Encoding: {}\r\n",
                shared.paths[doc],
                shared.addr,
                coding.accept()
            );
            if let Some(etag) = &sent_etag {
                let _ = write!(request, "If-None-Match: {etag}\r\n");
            }
            request.extend_from_slice(b"\r\n");
            let mut floor = [0u64; MAX_EDITED];
            for (f, a) in floor.iter_mut().zip(&shared.floor) {
                *f = a.load(Ordering::SeqCst);
            }
            let started = Instant::now();
            if let Err(e) = write_all(&stream, &request).await {
                // Not sent: nothing was in flight on this connection.
                if shared.signal_time().is_some() {
                    shared.closed_after_signal.fetch_add(1, Ordering::Relaxed);
                } else {
                    shared.error(Kind::Connection, format!("write: {e}"));
                }
                break 'requests;
            }
            let sent_at = shared.micros();
            let outcome =
                tokio::time::timeout(shared.response_timeout, read_reply(&stream, &mut head_buf))
                    .await;
            let done_at = shared.micros();
            let elapsed = started.elapsed();
            let signal = shared.signal_time();
            let before_signal = signal.is_none_or(|s| done_at < s);
            let in_flight = signal.is_some_and(|s| sent_at < s && done_at >= s);
            let sent_after = signal.is_some_and(|s| sent_at >= s);
            if in_flight {
                shared.in_flight.fetch_add(1, Ordering::Relaxed);
            }
            let reply = match outcome {
                Ok(Ok(reply)) => reply,
                Ok(Err(ReadFailure::Ended { got: 0, why })) => {
                    if sent_after {
                        shared.closed_after_signal.fetch_add(1, Ordering::Relaxed);
                    } else if in_flight {
                        shared.error(
                            Kind::Lost,
                            format!(
                                "{} sent {} ms before SIGTERM: connection {why} without a response",
                                shared.paths[doc],
                                (signal.unwrap_or(0) - sent_at) / 1000
                            ),
                        );
                    } else {
                        shared.error(
                            Kind::Connection,
                            format!("{}: {why} before any response", shared.paths[doc]),
                        );
                    }
                    break 'requests;
                }
                Ok(Err(ReadFailure::Ended { got, why })) => {
                    shared.error(
                        Kind::Truncated,
                        format!(
                            "{} ({coding:?}): {why}, {got} bytes of the response received{}",
                            shared.paths[doc],
                            if in_flight {
                                " (in flight at SIGTERM)"
                            } else {
                                ""
                            }
                        ),
                    );
                    break 'requests;
                }
                Ok(Err(ReadFailure::Malformed(what))) => {
                    shared.error(Kind::Malformed, format!("{}: {what}", shared.paths[doc]));
                    break 'requests;
                }
                Err(_) => {
                    shared.error(
                        Kind::Timeout,
                        format!(
                            "{}: no complete response in {:?}{}",
                            shared.paths[doc],
                            shared.response_timeout,
                            if in_flight {
                                " (in flight at SIGTERM)"
                            } else {
                                ""
                            }
                        ),
                    );
                    break 'requests;
                }
            };
            let revs = match check(&shared, doc, coding, sent_etag.as_deref(), &reply) {
                Ok(revs) => revs,
                Err((kind, what)) => {
                    shared.error(kind, what);
                    break 'requests;
                }
            };
            for &(post, rev) in revs.iter() {
                if post >= shared.floor.len() {
                    continue;
                }
                if rev < floor[post] {
                    shared.error(
                        Kind::Stale,
                        format!(
                            "{} ({coding:?}): post {post} at revision {rev}, but a response \
                             received before this request was sent showed revision {}",
                            shared.paths[doc], floor[post]
                        ),
                    );
                }
                shared.floor[post].fetch_max(rev, Ordering::SeqCst);
            }
            if reply.status == 200 {
                shared.served_200.fetch_add(1, Ordering::Relaxed);
                shared
                    .body_bytes
                    .fetch_add(reply.body.len() as u64, Ordering::Relaxed);
            } else {
                shared.served_304.fetch_add(1, Ordering::Relaxed);
            }
            if before_signal {
                latencies.push(elapsed.as_micros().min(u128::from(u32::MAX)) as u32);
            } else if in_flight {
                shared.in_flight_completed.fetch_add(1, Ordering::Relaxed);
            } else {
                shared.served_after_signal.fetch_add(1, Ordering::Relaxed);
            }
            let close = reply
                .header("connection")
                .is_some_and(|v| v.eq_ignore_ascii_case("close"));
            if close {
                if shared.signal_time().is_none() {
                    shared
                        .server_closed_before_signal
                        .fetch_add(1, Ordering::Relaxed);
                }
                break 'requests;
            }
        }
        shared.open.fetch_sub(1, Ordering::SeqCst);
        drop(stream);
        // Connect again; after SIGTERM the listener is closed (or about to be) and the refusal
        // ends this connection's life.
    }
    latencies
}

// ----------------------------------------------------------------------------------------
// The corpus copy and the writer

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<usize> {
    let mut files = 0;
    for entry in walkdir::WalkDir::new(from).follow_links(false) {
        let entry = entry.map_err(std::io::Error::other)?;
        let rel = entry
            .path()
            .strip_prefix(from)
            .map_err(std::io::Error::other)?;
        let target = to.join(rel);
        let kind = entry.file_type();
        if kind.is_dir() {
            std::fs::create_dir_all(&target)?;
        } else if kind.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(entry.path())?, &target)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target)?;
            files += 1;
        }
    }
    Ok(files)
}

struct Edited {
    path: PathBuf,
    original: String,
}

#[derive(Default)]
struct WriterStats {
    renamed: AtomicU64,
    in_place: AtomicU64,
    failed: AtomicU64,
}

fn writer(edited: &[Edited], every: Duration, stop: &AtomicBool, stats: &WriterStats) {
    let mut next = Instant::now() + every;
    let mut rev: u64 = 0;
    while !stop.load(Ordering::SeqCst) {
        let now = Instant::now();
        if next > now {
            std::thread::sleep(next - now);
        }
        next += every;
        rev += 1;
        let post = (rev as usize) % edited.len();
        let target = &edited[post];
        let mut text = target.original.clone();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&format!("\nSoak revision soakrev-{post}-{rev}-end.\n"));
        let written = if rev % 3 == 0 {
            stats.in_place.fetch_add(1, Ordering::Relaxed);
            std::fs::write(&target.path, &text)
        } else {
            // As an editor saves: a dot-file beside the post (ignored by the watcher), renamed
            // over it.
            stats.renamed.fetch_add(1, Ordering::Relaxed);
            let name = target
                .path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let temp = target.path.with_file_name(format!(".{name}.soak-tmp"));
            std::fs::write(&temp, &text).and_then(|()| std::fs::rename(&temp, &target.path))
        };
        if written.is_err() {
            stats.failed.fetch_add(1, Ordering::Relaxed);
        }
    }
}

// ----------------------------------------------------------------------------------------
// The server process

struct ServerProcess {
    child: Child,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn hwm_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// CPU seconds (user + system) a process used, from /proc/PID/stat (clock ticks of 1/100 s).
fn cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let user: f64 = fields.get(11)?.parse().ok()?;
    let system: f64 = fields.get(12)?.parse().ok()?;
    Some((user + system) / 100.0)
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

/// A blocking GET with `Connection: close`, bounded: status and body.
fn simple_get(addr: SocketAddr, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
    let mut stream = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(5)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut all = Vec::new();
    stream.read_to_end(&mut all)?;
    let end =
        memmem::find(&all, b"\r\n\r\n").ok_or_else(|| std::io::Error::other("no response head"))?;
    let status = std::str::from_utf8(&all[..end])
        .ok()
        .and_then(|h| h.get(9..12))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    Ok((status, all[end + 4..].to_vec()))
}

fn reloads(addr: SocketAddr) -> Option<u64> {
    let (status, body) = simple_get(addr, "/metrics").ok()?;
    if status != 200 {
        return None;
    }
    String::from_utf8_lossy(&body)
        .lines()
        .find_map(|l| l.strip_prefix("syndic_reloads_total "))
        .and_then(|v| v.trim().parse().ok())
}

/// Waits for `child` to exit, at most `bound`.
fn wait_exit(child: &mut Child, bound: Duration) -> Option<std::process::ExitStatus> {
    let until = Instant::now() + bound;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < until => std::thread::sleep(Duration::from_millis(5)),
            _ => return None,
        }
    }
}

// ----------------------------------------------------------------------------------------
// Figures

fn percentile(sorted: &[u32], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len()) - 1;
    f64::from(sorted[i]) / 1000.0
}

fn mb(kb: u64) -> String {
    format!("{:.1} MB", kb as f64 / 1024.0)
}

struct Sample {
    at: f64,
    rss_kb: u64,
    open: usize,
}

fn fail(what: impl std::fmt::Display) -> ExitCode {
    eprintln!("soak: {what}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.connections == 0 || args.seconds == 0 || args.write_every_ms == 0 {
        return fail("--connections, --seconds and --write-every-ms must be above 0");
    }
    if !(1..=MAX_EDITED).contains(&args.edit_posts) {
        return fail(format!("--edit-posts must be 1 to {MAX_EDITED}"));
    }
    if args.max_connections < args.connections {
        eprintln!(
            "soak: warning: --max-connections {} is below --connections {}: the rest wait to be \
             accepted",
            args.max_connections, args.connections
        );
    }
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => fail(format!("{e:#}")),
    }
}

fn run(args: &Args) -> anyhow::Result<bool> {
    use anyhow::{Context, bail};
    let binary = args
        .binary
        .clone()
        .unwrap_or_else(|| Path::new(ROOT).join("target/release/syndic"));
    if !args.no_build && args.binary.is_none() {
        println!("building syndic (cargo build --release --bin syndic)");
        let mut build = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--release", "--quiet", "--bin", "syndic"])
            .current_dir(ROOT)
            .spawn()
            .context("cannot run cargo")?;
        match wait_exit(&mut build, Duration::from_secs(1800)) {
            Some(status) if status.success() => {}
            Some(status) => bail!("cargo build --release failed ({status})"),
            None => {
                let _ = build.kill();
                bail!("cargo build --release took over 30 minutes");
            }
        }
    }
    if !binary.exists() {
        bail!("no {}: run cargo build --release", binary.display());
    }

    // --- the corpus copy ------------------------------------------------------------------
    let config_path = args
        .config
        .canonicalize()
        .with_context(|| format!("no configuration at {}", args.config.display()))?;
    let config_dir = config_path.parent().unwrap_or(Path::new("/")).to_path_buf();
    let mut table: toml::Table = std::fs::read_to_string(&config_path)?
        .parse()
        .with_context(|| format!("{} is not TOML", config_path.display()))?;
    let content = table
        .get("content_dir")
        .and_then(|v| v.as_str())
        .unwrap_or("content");
    let content = config_dir.join(content);
    let temp = tempfile::Builder::new().prefix("syndic-soak.").tempdir()?;
    let dir = temp.path().to_path_buf();
    let copied = copy_tree(&content, &dir.join("content"))
        .with_context(|| format!("copying {}", content.display()))?;
    table.insert("content_dir".into(), "content".into());
    // New ids go to the copy's own identity file, never to the corpus's.
    table.insert("identity_file".into(), "identity.toml".into());
    let server = table
        .entry("server")
        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    if let Some(server) = server.as_table_mut() {
        server.insert(
            "max_connections".into(),
            toml::Value::Integer(args.max_connections as i64),
        );
        if let Some(ms) = args.request_timeout_ms {
            server.insert("request_timeout_ms".into(), toml::Value::Integer(ms as i64));
        }
    }
    let watch = table
        .entry("watch")
        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    if let Some(watch) = watch.as_table_mut() {
        watch.insert(
            "quiet_ms".into(),
            toml::Value::Integer(args.quiet_ms as i64),
        );
    }
    let config = dir.join("config.toml");
    std::fs::write(&config, toml::to_string(&table)?)?;
    let request_timeout = table
        .get("server")
        .and_then(|s| s.get("request_timeout_ms"))
        .and_then(|v| v.as_integer())
        .unwrap_or(60_000);

    // --- which posts to edit, which documents to ask for ----------------------------------
    let posts = Command::new(&binary)
        .arg("--config")
        .arg(&config)
        .args(["posts", "--format", "json"])
        .env("SYNDIC_LOG", "error")
        .output()?;
    let posts: Vec<serde_json::Value> =
        serde_json::from_slice(&posts.stdout).context("syndic posts --format json")?;
    let mut by_lang: Vec<(String, Vec<&serde_json::Value>)> = Vec::new();
    for post in &posts {
        let lang = post["lang"].as_str().unwrap_or("").to_string();
        match by_lang.iter_mut().find(|(l, _)| *l == lang) {
            Some((_, list)) => list.push(post),
            None => by_lang.push((lang, vec![post])),
        }
    }
    let mut chosen: Vec<&serde_json::Value> = Vec::new();
    'pick: for round in 0.. {
        let mut any = false;
        for (_, list) in &by_lang {
            if let Some(post) = list.get(round) {
                any = true;
                chosen.push(post);
                if chosen.len() == args.edit_posts {
                    break 'pick;
                }
            }
        }
        if !any {
            break;
        }
    }
    if chosen.is_empty() {
        bail!("the corpus has no post");
    }
    let mut edited = Vec::new();
    for post in &chosen {
        let path = dir
            .join("content")
            .join(post["path"].as_str().unwrap_or_default());
        let original = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        edited.push(Edited { path, original });
    }
    let person = chosen
        .iter()
        .copied()
        .chain(posts.iter())
        .find_map(|p| p["authors"].get(0).and_then(|a| a["slug"].as_str()))
        .map(str::to_string);
    let mut paths = vec![
        "/feeds/all.atom".to_string(),
        "/feeds/en.rss".to_string(),
        "/feeds/fr.json".to_string(),
    ];
    if let Some(slug) = &person {
        paths.push(format!("/feeds/authors/{slug}.rss"));
    }

    // --- the server ---------------------------------------------------------------------
    let log_path = dir.join("server.log");
    let log = std::fs::File::create(&log_path)?;
    let child = Command::new(&binary)
        .arg("--config")
        .arg(&config)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .current_dir(&dir)
        .env("SYNDIC_LOG", "warn,syndic=info,syndic::http=warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .context("cannot start syndic serve")?;
    let mut server = ServerProcess { child };
    let pid = server.child.id();
    let stdout = server.child.stdout.take().context("no stdout")?;
    let (line_tx, line_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = line_tx.send(line);
    });
    let start_bound = Duration::from_secs(args.start_timeout);
    let started = Instant::now();
    let tail = |path: &Path| {
        std::fs::read_to_string(path)
            .map(|s| {
                let lines: Vec<&str> = s.lines().collect();
                lines[lines.len().saturating_sub(20)..].join("\n")
            })
            .unwrap_or_default()
    };
    let line = line_rx.recv_timeout(start_bound).unwrap_or_default();
    let addr: SocketAddr = line
        .trim()
        .strip_prefix("listening on http://")
        .and_then(|rest| rest.strip_suffix("/feeds/"))
        .and_then(|a| a.parse().ok())
        .with_context(|| format!("server did not start: {line:?}\n{}", tail(&log_path)))?;
    if addr.ip() != std::net::IpAddr::from(HOST) {
        bail!("the server listens on {addr}, not on 127.0.0.1");
    }
    loop {
        if std::fs::read_to_string(&log_path).is_ok_and(|s| s.contains("every document compressed"))
        {
            break;
        }
        if let Ok(Some(status)) = server.child.try_wait() {
            bail!("the server exited ({status}):\n{}", tail(&log_path));
        }
        if started.elapsed() > start_bound {
            bail!("documents not compressed after {start_bound:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    for path in &paths {
        let (status, _) = simple_get(addr, path).with_context(|| format!("GET {path}"))?;
        if status != 200 {
            bail!("GET {path} answered {status} before the load");
        }
    }
    let reloads_before = reloads(addr).context("cannot read syndic_reloads_total from /metrics")?;
    println!(
        "corpus: {} ({} posts, {copied} files) copied to {}",
        config_path.display(),
        posts.len(),
        dir.display()
    );
    println!(
        "syndic: http://{addr}/feeds/ (pid {pid}), ready after {:.1}s; [server] max_connections \
         = {}, request_timeout_ms = {request_timeout}; [watch] quiet_ms = {}",
        started.elapsed().as_secs_f64(),
        args.max_connections,
        args.quiet_ms
    );
    println!("documents: {}", paths.join(" "));
    println!(
        "writer: every {} ms one of {} posts: {}",
        args.write_every_ms,
        edited.len(),
        chosen
            .iter()
            .map(|p| p["path"].as_str().unwrap_or("?"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let load_before = loadavg();
    println!(
        "machine: {} cores, load average {load_before}",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );

    // --- load -------------------------------------------------------------------------
    let shared = Arc::new(Shared {
        base: Instant::now(),
        addr,
        formats: paths.iter().map(|p| Format::of(p)).collect(),
        docs: paths.iter().map(|_| Mutex::new(HashMap::new())).collect(),
        stems: paths.iter().map(|_| Mutex::new(HashMap::new())).collect(),
        last_etag: (0..paths.len() * 3).map(|_| Mutex::new(None)).collect(),
        paths,
        response_timeout: Duration::from_secs(args.response_timeout),
        floor: (0..edited.len()).map(|_| AtomicU64::new(0)).collect(),
        errors: Default::default(),
        examples: Mutex::new(Vec::new()),
        signalled_at: AtomicU64::new(0),
        open: AtomicUsize::new(0),
        connects: AtomicU64::new(0),
        served_200: AtomicU64::new(0),
        served_304: AtomicU64::new(0),
        body_bytes: AtomicU64::new(0),
        decoded: AtomicU64::new(0),
        server_closed_before_signal: AtomicU64::new(0),
        in_flight: AtomicU64::new(0),
        in_flight_completed: AtomicU64::new(0),
        served_after_signal: AtomicU64::new(0),
        closed_after_signal: AtomicU64::new(0),
        refused_after_signal: AtomicU64::new(0),
    });
    let stop = Arc::new(AtomicBool::new(false));
    let writer_stats = Arc::new(WriterStats::default());
    let writer_thread = {
        let (stop, stats) = (Arc::clone(&stop), Arc::clone(&writer_stats));
        let every = Duration::from_millis(args.write_every_ms);
        std::thread::spawn(move || writer(&edited, every, &stop, &stats))
    };
    let samples = Arc::new(Mutex::new(Vec::<Sample>::new()));
    let sampler = {
        let (stop, samples, shared) =
            (Arc::clone(&stop), Arc::clone(&samples), Arc::clone(&shared));
        std::thread::spawn(move || {
            let mut next = Instant::now();
            while !stop.load(Ordering::SeqCst) {
                if let Some(rss) = rss_kb(pid) {
                    let sample = Sample {
                        at: shared.base.elapsed().as_secs_f64(),
                        rss_kb: rss,
                        open: shared.open.load(Ordering::SeqCst),
                    };
                    samples
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(sample);
                }
                next += Duration::from_secs(1);
                let now = Instant::now();
                if next > now {
                    std::thread::sleep(next - now);
                }
            }
        })
    };
    let server_cpu_before = cpu_seconds(&pid.to_string()).unwrap_or(0.0);
    let client_cpu_before = cpu_seconds("self").unwrap_or(0.0);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let load = Duration::from_secs(args.seconds);
    println!(
        "load: {} connections for {}s, then SIGTERM under load",
        args.connections, args.seconds
    );
    let handles: Vec<_> = (0..args.connections)
        .map(|id| runtime.spawn(worker(Arc::clone(&shared), id)))
        .collect();
    // Progress every 10 s, then the signal.
    let mut last = (0u64, Instant::now());
    while shared.base.elapsed() < load {
        let left = load.saturating_sub(shared.base.elapsed());
        std::thread::sleep(left.min(Duration::from_secs(10)));
        let served =
            shared.served_200.load(Ordering::Relaxed) + shared.served_304.load(Ordering::Relaxed);
        let rate = (served - last.0) as f64 / last.1.elapsed().as_secs_f64();
        last = (served, Instant::now());
        println!(
            "  {:>4.0}s  {served:>9} answered  {rate:>8.0}/s  {:>5} open  RSS {}  errors {}",
            shared.base.elapsed().as_secs_f64(),
            shared.open.load(Ordering::SeqCst),
            rss_kb(pid).map_or("?".into(), mb),
            shared.error_total()
        );
    }
    let reloads_after = reloads(addr);
    let load_seconds = shared.base.elapsed().as_secs_f64();
    let server_cpu = cpu_seconds(&pid.to_string()).unwrap_or(0.0) - server_cpu_before;
    let client_cpu = cpu_seconds("self").unwrap_or(0.0) - client_cpu_before;
    let load_after = loadavg();
    let hwm = hwm_kb(pid);
    let served_load =
        shared.served_200.load(Ordering::Relaxed) + shared.served_304.load(Ordering::Relaxed);
    let (served_200, served_304) = (
        shared.served_200.load(Ordering::Relaxed),
        shared.served_304.load(Ordering::Relaxed),
    );
    let body_bytes = shared.body_bytes.load(Ordering::Relaxed);
    stop.store(true, Ordering::SeqCst);

    // --- SIGTERM under load -------------------------------------------------------------
    let open_at_signal = shared.open.load(Ordering::SeqCst);
    shared
        .signalled_at
        .store(shared.micros() + 1, Ordering::SeqCst);
    let signalled = Instant::now();
    let kill = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .context("cannot run kill")?;
    if !kill.success() {
        bail!("kill -TERM {pid} failed");
    }
    let exit_bound = Duration::from_secs(args.exit_timeout);
    let exit = wait_exit(&mut server.child, exit_bound);
    let exited_after = signalled.elapsed();
    let mut latencies = Vec::with_capacity(served_load as usize);
    let mut stuck = 0;
    runtime.block_on(async {
        let until = tokio::time::Instant::now() + Duration::from_secs(5);
        for handle in handles {
            match tokio::time::timeout_at(until, handle).await {
                Ok(Ok(mine)) => latencies.extend(mine),
                Ok(Err(_)) => stuck += 1,
                Err(_) => stuck += 1,
            }
        }
    });
    let workers_done_after = signalled.elapsed();
    runtime.shutdown_timeout(Duration::from_secs(1));
    let _ = writer_thread.join();
    let _ = sampler.join();

    // --- figures ------------------------------------------------------------------------
    latencies.sort_unstable();
    let samples = samples.lock().unwrap_or_else(|p| p.into_inner());
    let rss: Vec<u64> = samples.iter().map(|s| s.rss_kb).collect();
    let window = |from: f64, to: f64| {
        let v: Vec<u64> = samples
            .iter()
            .filter(|s| s.at >= from && s.at < to)
            .map(|s| s.rss_kb)
            .collect();
        if v.is_empty() {
            0.0
        } else {
            v.iter().sum::<u64>() as f64 / v.len() as f64
        }
    };
    // Connections are being opened during the first seconds: the trend is taken after them.
    let warm = WARM_UP.min(load_seconds / 4.0);
    let first10 = window(warm, warm + 10.0);
    let last10 = window(load_seconds - 10.0, load_seconds + 1.0);
    let growth = if first10 > 0.0 {
        (last10 - first10) * 100.0 / first10
    } else {
        0.0
    };
    // The verdict: memory keeps growing when the end of the run lies above everything the first
    // half reached. (RSS climbs for the first tens of seconds while allocator pages, connection
    // buffers and caches fill, then moves up and down around a level: a comparison with the
    // first 10 s alone calls that warm-up growth.)
    let half_peak = samples
        .iter()
        .filter(|s| s.at >= warm && s.at < load_seconds / 2.0)
        .map(|s| s.rss_kb)
        .max()
        .unwrap_or(0) as f64;
    let above_half_peak = if half_peak > 0.0 {
        (last10 - half_peak) * 100.0 / half_peak
    } else {
        0.0
    };
    // Least-squares slope of RSS over time after the warm-up, in MB per minute.
    let settled: Vec<(f64, f64)> = samples
        .iter()
        .filter(|s| s.at >= warm)
        .map(|s| (s.at, s.rss_kb as f64 / 1024.0))
        .collect();
    let slope = {
        let n = settled.len() as f64;
        let (sx, sy) = settled
            .iter()
            .fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
        let (mx, my) = (sx / n, sy / n);
        let (num, den) = settled.iter().fold((0.0, 0.0), |(a, b), (x, y)| {
            (a + (x - mx) * (y - my), b + (x - mx) * (x - mx))
        });
        if den > 0.0 { num / den * 60.0 } else { 0.0 }
    };
    let series: Vec<String> = samples
        .iter()
        .step_by(5)
        .map(|s| format!("{:.0}", s.rss_kb as f64 / 1024.0))
        .collect();
    let min_open = samples
        .iter()
        .filter(|s| s.at >= 5.0)
        .map(|s| s.open)
        .min()
        .unwrap_or(0);
    let published = reloads_after.map(|after| after.saturating_sub(reloads_before));

    println!();
    println!(
        "requests answered: {served_load} in {load_seconds:.1} s = {:.0}/s ({served_200} x 200, \
         {served_304} x 304), {:.0} MB of bodies",
        served_load as f64 / load_seconds,
        body_bytes as f64 / 1e6
    );
    println!(
        "latency (request written -> last byte read): p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, \
         p99.9 {:.2} ms, max {:.2} ms",
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.90),
        percentile(&latencies, 0.99),
        percentile(&latencies, 0.999),
        latencies.last().map_or(0.0, |&m| f64::from(m) / 1000.0)
    );
    println!(
        "connections: {} asked, at least {min_open} open at every sample after 5 s, {open_at_signal} \
         open at SIGTERM; {} connects in all; {} closed by the server (Connection: close) before SIGTERM",
        args.connections,
        shared.connects.load(Ordering::Relaxed),
        shared.server_closed_before_signal.load(Ordering::Relaxed)
    );
    println!(
        "writer: {} writes ({} temp file + rename, {} in place, {} failed)",
        writer_stats.renamed.load(Ordering::Relaxed)
            + writer_stats.in_place.load(Ordering::Relaxed),
        writer_stats.renamed.load(Ordering::Relaxed),
        writer_stats.in_place.load(Ordering::Relaxed),
        writer_stats.failed.load(Ordering::Relaxed)
    );
    println!(
        "snapshots published during the load: {} (syndic_reloads_total {reloads_before} -> {})",
        published.map_or("?".into(), |n| n.to_string()),
        reloads_after.map_or("?".into(), |n| n.to_string())
    );
    let mut per_path = Vec::new();
    for (i, path) in shared.paths.iter().enumerate() {
        let docs = shared.docs[i].lock().unwrap_or_else(|p| p.into_inner());
        let stems = shared.stems[i]
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .len();
        let count = |suffix: &str| docs.keys().filter(|e| e.ends_with(suffix)).count();
        per_path.push(format!(
            "{path} {stems} (identity {}, gzip {}, br {})",
            docs.len() - count("-gz\"") - count("-br\""),
            count("-gz\""),
            count("-br\"")
        ));
    }
    println!("distinct ETags seen per document: {}", per_path.join("; "));
    let floors: Vec<String> = shared
        .floor
        .iter()
        .map(|f| f.load(Ordering::Relaxed).to_string())
        .collect();
    println!(
        "consistency: {} distinct bodies decoded and parsed; every other 200 compared (length, \
         CRC-32) with the first body of its ETag; newest revision seen per edited post: {}",
        shared.decoded.load(Ordering::Relaxed),
        floors.join(", ")
    );
    let peak = rss.iter().copied().max().unwrap_or(0);
    let flat = above_half_peak <= args.max_growth_percent;
    println!(
        "memory (VmRSS, {} samples 1 s apart): start {}, peak {}, end {}, VmHWM {}; average \
         {:.0}-{:.0} s {}, last 10 s {} ({growth:+.1}%); slope after {warm:.0} s {slope:+.2} MB/min; \
         last 10 s against the first half's highest sample {} ({above_half_peak:+.1}%): {}",
        rss.len(),
        mb(rss.first().copied().unwrap_or(0)),
        mb(peak),
        mb(rss.last().copied().unwrap_or(0)),
        hwm.map_or("?".into(), mb),
        warm,
        warm + 10.0,
        mb(first10 as u64),
        mb(last10 as u64),
        mb(half_peak as u64),
        if flat { "flat" } else { "GROWING" },
    );
    println!("  RSS every 5 s (MB): {}", series.join(" "));
    println!(
        "CPU during the load: server {server_cpu:.1} s ({:.0}% of one core), this client \
         {client_cpu:.1} s ({:.0}%); load average before {load_before}, after {load_after}",
        server_cpu * 100.0 / load_seconds,
        client_cpu * 100.0 / load_seconds
    );
    let in_flight = shared.in_flight.load(Ordering::Relaxed);
    let completed = shared.in_flight_completed.load(Ordering::Relaxed);
    let exit_ok = matches!(exit, Some(status) if status.success());
    println!(
        "shutdown: SIGTERM with {open_at_signal} connections open; {in_flight} requests in flight \
         (sent before the signal, response not yet read), {completed} completed in full; after the \
         signal {} more answered, {} closed unanswered (sent after the signal), {} connects \
         refused; server {} after {:.0} ms; every client connection done after {:.0} ms{}",
        shared.served_after_signal.load(Ordering::Relaxed),
        shared.closed_after_signal.load(Ordering::Relaxed),
        shared.refused_after_signal.load(Ordering::Relaxed),
        match exit {
            Some(status) => format!(
                "exited {}",
                status
                    .code()
                    .map_or("by a signal".into(), |c| c.to_string())
            ),
            None => format!("still running after {exit_bound:?} (killed)"),
        },
        exited_after.as_secs_f64() * 1000.0,
        workers_done_after.as_secs_f64() * 1000.0,
        if stuck > 0 {
            format!(", {stuck} still waiting")
        } else {
            String::new()
        }
    );
    let mut kinds = Vec::new();
    for (i, (_, name)) in KINDS.iter().enumerate() {
        kinds.push(format!(
            "{name} {}",
            shared.errors[i].load(Ordering::Relaxed)
        ));
    }
    let errors = shared.error_total();
    println!("errors: {errors} ({})", kinds.join(", "));
    for example in shared
        .examples
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
    {
        println!("  {example}");
    }
    let log = std::fs::read_to_string(&log_path).unwrap_or_default();
    let log_errors = log.lines().filter(|l| l.contains(" ERROR ")).count();
    let log_warnings = log.lines().filter(|l| l.contains(" WARN ")).count();
    println!(
        "server log: {log_errors} error lines (posts caught half-written are logged and keep their \
         last good version), {log_warnings} warnings"
    );
    let mut failures = Vec::new();
    if errors > 0 {
        failures.push(format!("{errors} errors"));
    }
    if in_flight != completed {
        failures.push(format!(
            "{} in-flight requests not completed",
            in_flight - completed
        ));
    }
    if stuck > 0 {
        failures.push(format!("{stuck} connections still waiting after SIGTERM"));
    }
    if !exit_ok {
        failures.push("the server did not exit 0 in time".to_string());
    }
    if !flat {
        failures.push(format!(
            "memory grew: last 10 s {above_half_peak:+.1}% against the first half's highest"
        ));
    }
    if published.is_none_or(|n| n == 0) {
        failures.push("no snapshot published during the load".to_string());
    }
    if args.keep {
        let kept = temp.keep();
        println!("kept {}", kept.display());
    }
    if failures.is_empty() {
        println!("RESULT: PASS");
        Ok(true)
    } else {
        println!("RESULT: FAIL ({})", failures.join("; "));
        Ok(false)
    }
}
