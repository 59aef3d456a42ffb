//! syndic behind the shared caches operators put in front of it, in their ordinary
//! configurations: nginx `proxy_cache` (with `proxy_cache_revalidate`, with and without
//! background updates) and Varnish with its built-in VCL, each started on loopback ports with a
//! configuration written into a temporary folder, in front of the real server.
//!
//! Each case checks, through the cache: a miss then a hit; revalidation answered `304` by
//! syndic once `max_age` has passed; an edit reaching clients once `max_age` and a second have
//! passed; every client given the coding it asked for, decoding to the document of its ETag;
//! and delta clients (`A-IM: feed`, as newsboat and feedparser send by default) never stalled
//! on a stale copy nor given a delta computed from the cache's version instead of theirs.
//!
//! Needs Debian's `nginx` and `varnish`; `SYNDIC_SKIP_CACHES=1` skips these
//! tests, saying so.

mod common;

use std::collections::HashMap;
use std::io::Read;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Reply, Server, copy_tree, root};

/// The origin's `max_age`, seconds: short, so that copies expire within the test.
const MAX_AGE: u64 = 2;

const FEED: &str = "/feeds/en.atom";

/// The binary `name`, from `PATH` or `/usr/sbin`; `None` (after saying so) when the caches
/// tests are to be skipped; a failure saying how to install it when it is missing.
fn binary(name: &str, package: &str) -> Option<PathBuf> {
    if std::env::var("SYNDIC_SKIP_CACHES").as_deref() == Ok("1") {
        eprintln!("SYNDIC_SKIP_CACHES=1: skipping the test with {name}");
        return None;
    }
    let on_path = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .unwrap_or_default();
    let found = on_path
        .into_iter()
        .chain([PathBuf::from("/usr/sbin")])
        .map(|dir| dir.join(name))
        .find(|path| path.is_file());
    match found {
        Some(path) => Some(path),
        None => panic!(
            "{name} is not installed: `apt-get install {package}` (Debian), or set \
             SYNDIC_SKIP_CACHES=1 to skip this test"
        ),
    }
}

/// A free loopback port (there is a moment between finding it and the daemon taking it).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"))
}

/// A cache daemon started by the test; stopped with SIGTERM (then killed) when dropped.
struct Daemon {
    child: Child,
    addr: SocketAddr,
    name: &'static str,
    log: PathBuf,
}

impl Daemon {
    /// Starts `command` and waits, at most 30 s, for `port` to accept connections.
    fn start(name: &'static str, mut command: Command, port: u16, log: PathBuf) -> Daemon {
        let out = std::fs::File::create(&log).unwrap_or_else(|e| panic!("{e}"));
        let err = out.try_clone().unwrap_or_else(|e| panic!("{e}"));
        let child = command
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let mut daemon = Daemon {
            child,
            addr,
            name,
            log,
        };
        let started = Instant::now();
        while TcpStream::connect(addr).is_err() {
            if let Ok(Some(status)) = daemon.child.try_wait() {
                panic!("{name} exited ({status}):\n{}", daemon.log());
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "{name} never listened on {addr}:\n{}",
                daemon.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        daemon
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!("{} log:\n{}", self.name, self.log());
        }
    }
}

/// Whether this process runs as root (nginx's workers then need `user root;` to write the
/// cache in a folder only root may enter).
fn as_root(dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(dir).is_ok_and(|m| m.uid() == 0)
}

/// How nginx is set up in front of syndic.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Nginx {
    /// `proxy_cache` revalidating with the cached copy's validators, in the foreground.
    Foreground,
    /// The same, serving the stale copy while one request updates it in the background.
    Background,
    /// [`Nginx::Background`], with delta requests (those with `A-IM`) sent to syndic past
    /// the cache, as docs/http.md (Behind a shared cache) says to give delta clients their
    /// deltas.
    DeltasPassed,
    /// [`Nginx::Background`] over HTTP/1.1 (for keep-alive), with the forwarding field that
    /// docs/http.md asks for then.
    Http11,
    /// [`Nginx::Background`] over HTTP/1.1 with no forwarding field, connecting from
    /// [`PROXY_ADDRESS`], which syndic is told is a cache (`[server] proxies`).
    Http11Listed,
}

/// Where [`Nginx::Http11Listed`] connects to syndic from (all of 127/8 is loopback), so that
/// the tests' own clients, on 127.0.0.1, are not taken for it.
const PROXY_ADDRESS: &str = "127.0.0.2";

/// nginx in front of `origin`, set up as `setup` says.
fn nginx(dir: &Path, origin: SocketAddr, setup: Nginx) -> Option<Daemon> {
    let nginx = binary("nginx", "nginx")?;
    let port = free_port();
    let d = dir.display();
    let user = if as_root(dir) { "user root;" } else { "" };
    let update = match setup {
        Nginx::Foreground => "",
        Nginx::Background | Nginx::DeltasPassed => {
            "proxy_cache_use_stale updating;\n      proxy_cache_background_update on;"
        }
        Nginx::Http11 => {
            "proxy_cache_use_stale updating;\n      proxy_cache_background_update on;\n      \
             proxy_http_version 1.1;\n      proxy_set_header Connection \"\";\n      \
             proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;"
        }
        Nginx::Http11Listed => &format!(
            "proxy_cache_use_stale updating;\n      proxy_cache_background_update on;\n      \
                 proxy_http_version 1.1;\n      proxy_set_header Connection \"\";\n      \
                 proxy_bind {PROXY_ADDRESS};"
        ),
    };
    let (divert, past_the_cache) = match setup {
        Nginx::DeltasPassed => (
            "error_page 418 = @delta;\n      if ($http_a_im) { return 418; }",
            format!(
                "location @delta {{\n      proxy_pass http://{origin};\n      \
                 proxy_http_version 1.1;\n    }}"
            ),
        ),
        _ => ("", String::new()),
    };
    let conf = format!(
        "{user}
master_process off;
daemon off;
pid {d}/nginx.pid;
error_log {d}/error.log info;
events {{ worker_connections 256; }}
http {{
  access_log {d}/access.log;
  client_body_temp_path {d}/body;
  proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi;
  scgi_temp_path {d}/scgi;
  proxy_cache_path {d}/cache keys_zone=feeds:1m;
  server {{
    listen 127.0.0.1:{port};
    location / {{
      {divert}
      proxy_pass http://{origin};
      proxy_cache feeds;
      proxy_cache_revalidate on;
      {update}
      add_header X-Cache $upstream_cache_status always;
    }}
    {past_the_cache}
  }}
}}
"
    );
    let path = dir.join("nginx.conf");
    std::fs::write(&path, conf).unwrap_or_else(|e| panic!("{e}"));
    let mut command = Command::new(nginx);
    command.arg("-p").arg(dir).arg("-c").arg(&path);
    Some(Daemon::start("nginx", command, port, dir.join("nginx.out")))
}

/// varnishd in front of `origin`: with its built-in VCL alone, or with `vcl` (subroutines
/// run before the built-in ones) added.
fn varnish(dir: &Path, origin: SocketAddr, vcl: Option<&str>) -> Option<Daemon> {
    let varnishd = binary("varnishd", "varnish")?;
    let port = free_port();
    let mut command = Command::new(varnishd);
    command
        .args(["-F", "-j", "none", "-a"])
        .arg(format!("127.0.0.1:{port}"));
    match vcl {
        None => command.arg("-b").arg(origin.to_string()),
        Some(subs) => {
            let path = dir.join("syndic.vcl");
            let text = format!(
                "vcl 4.1;\nbackend syndic {{ .host = \"{}\"; .port = \"{}\"; }}\n{subs}\n",
                origin.ip(),
                origin.port()
            );
            std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
            command.arg("-f").arg(path)
        }
    };
    command
        .arg("-n")
        .arg(dir.join("varnish"))
        .args(["-s", "malloc,32m", "-T", "127.0.0.1:0"]);
    Some(Daemon::start(
        "varnish",
        command,
        port,
        dir.join("varnish.out"),
    ))
}

/// What docs/http.md gives Varnish to send delta requests to syndic past the cache, as the
/// client sent them.
const VARNISH_DELTAS_PASSED: &str = "sub vcl_recv {
  if (req.http.A-IM) {
    return (pass);
  }
}
sub vcl_backend_fetch {
  if (bereq.http.A-IM) {
    unset bereq.http.X-Forwarded-For;
    unset bereq.http.X-Varnish;
  }
}";

/// One GET through the cache at `addr`, as an HTTP/1.1 client sending `headers`, on a
/// connection of its own; a chunked body is joined.
fn get(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> Reply {
    use std::io::Write;
    let mut stream = TcpStream::connect(addr).unwrap_or_else(|e| panic!("connect: {e}"));
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let mut text = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    stream
        .write_all(text.as_bytes())
        .unwrap_or_else(|e| panic!("send: {e}"));
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head from {addr}"));
    let head = String::from_utf8_lossy(&bytes[..split]).to_string();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = bytes[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    if chunked {
        body = unchunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

/// A chunked body's bytes, joined.
fn unchunk(mut rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&rest[..end]);
        let size = size.split(';').next().unwrap_or_default().trim();
        let size =
            usize::from_str_radix(size, 16).unwrap_or_else(|e| panic!("chunk {size:?}: {e}"));
        if size == 0 {
            break;
        }
        let data = &rest[end + 2..];
        assert!(data.len() >= size + 2, "a chunk cut short");
        out.extend_from_slice(&data[..size]);
        rest = &data[size + 2..];
    }
    out
}

fn decoded(reply: &Reply) -> Vec<u8> {
    let mut out = Vec::new();
    match reply.header("content-encoding") {
        None => out.extend_from_slice(&reply.body),
        Some("gzip") => {
            let read = flate2::read::GzDecoder::new(&reply.body[..]).read_to_end(&mut out);
            assert!(read.is_ok(), "a gzip body that does not decode");
        }
        Some("br") => {
            let read = brotli::Decompressor::new(&reply.body[..], 4096).read_to_end(&mut out);
            assert!(read.is_ok(), "a brotli body that does not decode");
        }
        Some(other) => panic!("unexpected coding {other}"),
    }
    out
}

/// Which versions the origin served: identity ETag -> document. Every body a client gets
/// through the cache must be one of them, under its own ETag (in the coding sent).
#[derive(Default)]
struct Versions(std::cell::RefCell<HashMap<String, Vec<u8>>>);

impl Versions {
    /// The document the origin serves now, remembered; returns its identity ETag.
    fn fetch(&self, origin: &Server) -> String {
        let reply = origin.get(FEED, &[]);
        assert_eq!(reply.status, 200);
        let etag = reply.header("etag").unwrap_or_default().to_string();
        self.0.borrow_mut().insert(etag.clone(), reply.body.clone());
        etag
    }

    /// Checks what a client sending `accept` (an `Accept-Encoding`, or none) got: a coding it
    /// accepts, decoding to the version its ETag names.
    fn check(&self, reply: &Reply, accept: Option<&str>) {
        if reply.status == 304 {
            return;
        }
        assert_eq!(reply.status, 200, "{:?}", reply.headers);
        let coding = reply.header("content-encoding");
        let accepted = match coding {
            None => true,
            Some(coding) => accept.is_some_and(|a| a.contains(coding)),
        };
        assert!(accepted, "asked {accept:?}, got {coding:?}");
        let etag = reply.header("etag").unwrap_or_default();
        // A cache that decodes a gzip copy for its client weakens the ETag (Varnish).
        let stem = etag
            .trim_start_matches("W/")
            .trim_matches('"')
            .trim_end_matches("-gz")
            .trim_end_matches("-br");
        let known = self.0.borrow();
        let version = known
            .get(&format!("\"{stem}\""))
            .unwrap_or_else(|| panic!("ETag {etag} names no version the origin served"));
        assert!(decoded(reply) == *version, "the body is not ETag {etag}'s");
    }
}

/// How many responses of `status` the origin gave to feed requests.
fn origin_count(origin: &Server, status: u16) -> u64 {
    let text = origin.get("/metrics", &[]).text();
    let line = format!("syndic_http_requests_total{{route=\"feed\",status=\"{status}\"}} ");
    text.lines()
        .find_map(|l| l.strip_prefix(line.as_str()))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// Rewrites the title of a post of the mini fixture in `dir`.
fn retitle(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join("content/en/blog/posts").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let text = text.replacen(&format!("title: {from}\n"), &format!("title: {to}\n"), 1);
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
}

/// Waits, at most 20 s, for the origin to serve a version other than `old`; returns it.
fn published(origin: &Server, versions: &Versions, old: &str) -> String {
    let started = Instant::now();
    loop {
        let etag = versions.fetch(origin);
        if etag != old {
            return etag;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "never published"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Whether `reply` came from the cache's copy without asking the origin.
fn hit(name: &str, reply: &Reply) -> bool {
    match name {
        // Varnish names the request and the one that stored the copy: two numbers on a hit.
        "varnish" => reply
            .header("x-varnish")
            .is_some_and(|x| x.split_whitespace().count() == 2),
        _ => reply.header("x-cache") == Some("HIT"),
    }
}

/// Polls through the cache as `headers` say, at most 60 times half a second apart, until `done`;
/// every reply is checked with `check` first. Returns the reply that was done and how many
/// came before it.
fn poll(
    cache: &Daemon,
    headers: &[(&str, &str)],
    check: &dyn Fn(&Reply),
    done: &dyn Fn(&Reply) -> bool,
) -> (Reply, usize) {
    for n in 0..60 {
        let reply = get(cache.addr, FEED, headers);
        check(&reply);
        if done(&reply) {
            return (reply, n);
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    panic!("{} never served the awaited version", cache.name)
}

/// The whole scenario, through `cache` in front of `origin` serving the corpus in `site`.
fn scenario(site: &Path, origin: &Server, cache: &Daemon) {
    let versions = Versions::default();
    let v0 = versions.fetch(origin);
    let deltas = origin_count(origin, 226);
    let expire = || std::thread::sleep(Duration::from_secs(MAX_AGE + 1));

    // A miss, then a hit; each coding as asked.
    let gzip = Some("gzip");
    let first = get(cache.addr, FEED, &[("Accept-Encoding", "gzip")]);
    versions.check(&first, gzip);
    assert!(!hit(cache.name, &first), "{:?}", first.headers);
    let second = get(cache.addr, FEED, &[("Accept-Encoding", "gzip")]);
    versions.check(&second, gzip);
    assert!(hit(cache.name, &second), "{:?}", second.headers);
    for accept in [None, Some("br"), Some("gzip, br"), Some("identity")] {
        let headers: Vec<(&str, &str)> =
            accept.map(|a| ("Accept-Encoding", a)).into_iter().collect();
        versions.check(&get(cache.addr, FEED, &headers), accept);
    }

    // A delta client holding the first version, as newsboat keeps its last ETag.
    let held = first.header("etag").unwrap_or_default().to_string();
    let delta_client = [
        ("A-IM", "feed"),
        ("If-None-Match", held.as_str()),
        ("Accept-Encoding", "gzip"),
    ];
    let no_delta = |reply: &Reply| {
        // Through a cache, syndic answers no delta: the If-None-Match it sees is the cache's.
        assert_ne!(
            reply.status, 226,
            "a delta through {}: {:?}",
            cache.name, reply.headers
        );
        versions.check(reply, gzip);
    };
    no_delta(&get(cache.addr, FEED, &delta_client));

    // Revalidation once max_age has passed: syndic answers the cache 304.
    let revalidated = origin_count(origin, 304);
    expire();
    let plain = [("Accept-Encoding", "gzip")];
    poll(cache, &plain, &|r| versions.check(r, gzip), &|_| {
        origin_count(origin, 304) > revalidated
    });

    // A first edit reaches plain clients once max_age and a second have passed.
    retitle(site, "hello-world.md", "Hello world", "Hello, first edit");
    let v1 = published(origin, &versions, &v0);
    expire();
    let (_, stale) = poll(cache, &plain, &|r| versions.check(r, gzip), &|r| {
        r.header("etag")
            .is_some_and(|e| e.contains(v1.trim_matches('"')))
    });
    // At most the one answer that set off a background update.
    assert!(
        stale <= 1,
        "{stale} stale answers after max_age and a second"
    );

    // A second edit, of another post. The delta client still holds the first version, older
    // than the cache's: a delta from the cache's version would lose the first edit, and a
    // 226 the cache cannot store would leave it serving its stale copy.
    retitle(
        site,
        "2024-03-05-second-post.md",
        "Second post",
        "Second, edited",
    );
    let v2 = published(origin, &versions, &v1);
    expire();
    let (latest, _) = poll(cache, &delta_client, &no_delta, &|r| {
        r.status == 200
            && r.header("etag")
                .is_some_and(|e| e.contains(v2.trim_matches('"')))
    });
    let text = String::from_utf8_lossy(&decoded(&latest)).to_string();
    assert!(text.contains("Hello, first edit") && text.contains("Second, edited"));
    // Delta clients alone, polling: never stalled on the stale copy.
    retitle(
        site,
        "hello-world.md",
        "Hello, first edit",
        "Hello, third edit",
    );
    let v3 = published(origin, &versions, &v2);
    expire();
    let latest_held = latest.header("etag").unwrap_or_default().to_string();
    let delta_client = [
        ("A-IM", "feed"),
        ("If-None-Match", latest_held.as_str()),
        ("Accept-Encoding", "gzip"),
    ];
    let (_, stale) = poll(cache, &delta_client, &no_delta, &|r| {
        r.status == 200
            && r.header("etag")
                .is_some_and(|e| e.contains(v3.trim_matches('"')))
    });
    assert!(
        stale <= 1,
        "{stale} stale answers to delta clients after max_age and a second"
    );
    // The cache was never answered a delta: it could neither store one nor give it to a
    // client holding another version than its own.
    assert_eq!(
        origin_count(origin, 226),
        deltas,
        "{} was answered 226",
        cache.name
    );
    // Straight to the origin, the same client still gets its delta.
    let direct = origin.get(FEED, &[("A-IM", "feed"), ("If-None-Match", v2.as_str())]);
    assert_eq!(direct.status, 226, "{}", origin.log());
}

/// The mini fixture in a temporary folder, served with a short `max_age`.
fn origin() -> (tempfile::TempDir, Server) {
    origin_with("")
}

/// [`origin`] with more `[server]` settings.
fn origin_with(settings: &str) -> (tempfile::TempDir, Server) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(&root().join("tests/fixtures/mini"), dir.path());
    let config = dir.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap_or_default();
    let text = text.replacen(
        "[languages.en]",
        &format!("[server]\nmax_age = {MAX_AGE}\n{settings}\n[languages.en]"),
        1,
    );
    std::fs::write(&config, text).unwrap_or_else(|e| panic!("{e}"));
    let server = Server::start(&config);
    (dir, server)
}

#[test]
fn behind_nginx_proxy_cache_with_background_updates() {
    let (site, origin) = origin();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let Some(cache) = nginx(dir.path(), origin.addr, Nginx::Background) else {
        return;
    };
    scenario(site.path(), &origin, &cache);
}

#[test]
fn behind_nginx_proxy_cache_revalidating_in_the_foreground() {
    let (site, origin) = origin();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let Some(cache) = nginx(dir.path(), origin.addr, Nginx::Foreground) else {
        return;
    };
    scenario(site.path(), &origin, &cache);
}

#[test]
fn behind_nginx_proxy_cache_over_http_1_1_with_x_forwarded_for() {
    let (site, origin) = origin();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let Some(cache) = nginx(dir.path(), origin.addr, Nginx::Http11) else {
        return;
    };
    scenario(site.path(), &origin, &cache);
}

#[test]
fn behind_nginx_proxy_cache_over_http_1_1_known_by_its_address() {
    let (site, origin) = origin_with(&format!("proxies = [\"{PROXY_ADDRESS}\"]"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let Some(cache) = nginx(dir.path(), origin.addr, Nginx::Http11Listed) else {
        return;
    };
    scenario(site.path(), &origin, &cache);
}

#[test]
fn behind_varnish_with_its_built_in_vcl() {
    let (site, origin) = origin();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let Some(cache) = varnish(dir.path(), origin.addr, None) else {
        return;
    };
    scenario(site.path(), &origin, &cache);
}

/// Delta requests sent past `cache`: a delta client gets the delta from its own version, as
/// syndic gives it directly, and plain clients are still served from the cache.
fn deltas_passed(site: &Path, origin: &Server, cache: &Daemon) {
    let versions = Versions::default();
    let v0 = versions.fetch(origin);
    let plain = [("Accept-Encoding", "gzip")];
    let gzip = Some("gzip");
    let first = get(cache.addr, FEED, &plain);
    versions.check(&first, gzip);
    assert!(!hit(cache.name, &first));
    let second = get(cache.addr, FEED, &plain);
    assert!(hit(cache.name, &second), "{:?}", second.headers);
    // A delta client holding the first version; the cache moves on to the next one.
    let held = first.header("etag").unwrap_or_default().to_string();
    retitle(site, "hello-world.md", "Hello world", "Hello, first edit");
    let v1 = published(origin, &versions, &v0);
    std::thread::sleep(Duration::from_secs(MAX_AGE + 1));
    poll(cache, &plain, &|r| versions.check(r, gzip), &|r| {
        r.header("etag")
            .is_some_and(|e| e.contains(v1.trim_matches('"')))
    });
    retitle(
        site,
        "2024-03-05-second-post.md",
        "Second post",
        "Second, edited",
    );
    let v2 = published(origin, &versions, &v1);
    // Its delta is from its own version: both edits, as syndic answers it directly.
    let delta_client = [
        ("A-IM", "feed"),
        ("If-None-Match", held.as_str()),
        ("Accept-Encoding", "gzip"),
    ];
    let through = get(cache.addr, FEED, &delta_client);
    let direct = origin.get(FEED, &delta_client);
    assert_eq!(through.status, 226, "{:?}", through.headers);
    assert_eq!(through.header("im"), Some("feed"));
    assert!(
        through
            .header("etag")
            .is_some_and(|e| e.contains(v2.trim_matches('"')))
    );
    assert_eq!(through.header("cache-control"), Some("no-store"));
    assert!(
        decoded(&through) == decoded(&direct),
        "not the delta syndic gives directly"
    );
    let text = String::from_utf8_lossy(&decoded(&through)).to_string();
    assert!(text.contains("Hello, first edit") && text.contains("Second, edited"));
    // Plain clients are still served from the cache.
    std::thread::sleep(Duration::from_secs(MAX_AGE + 1));
    poll(cache, &plain, &|r| versions.check(r, gzip), &|r| {
        hit(cache.name, r)
            && r.header("etag")
                .is_some_and(|e| e.contains(v2.trim_matches('"')))
    });
}

#[test]
fn delta_requests_sent_past_nginx_get_their_deltas_and_the_cache_serves_the_rest() {
    let (site, origin) = origin();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let Some(cache) = nginx(dir.path(), origin.addr, Nginx::DeltasPassed) else {
        return;
    };
    deltas_passed(site.path(), &origin, &cache);
}

#[test]
fn delta_requests_sent_past_varnish_get_their_deltas_and_the_cache_serves_the_rest() {
    let (site, origin) = origin();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let Some(cache) = varnish(dir.path(), origin.addr, Some(VARNISH_DELTAS_PASSED)) else {
        return;
    };
    deltas_passed(site.path(), &origin, &cache);
}
