//! One request -> one response, read top to bottom as the request's life: check the method,
//! route the path, look the document up in the current snapshot, pick the encoding, evaluate
//! the conditional headers, answer (RSS and Atom labelled as XML for a browser tab). A lookup
//! and some header writing: everything costly was done when the snapshot was built. No I/O
//! here, so it tests without a socket; the clock is read once, so that `Last-Modified` is
//! never later than the response's `Date`.

use std::sync::Arc;
use std::time::SystemTime;

use chrono::{DateTime, FixedOffset};
use http::header::{
    ACCEPT_RANGES, ACCESS_CONTROL_ALLOW_ORIGIN, ALLOW, CACHE_CONTROL, CONTENT_ENCODING,
    CONTENT_LENGTH, CONTENT_TYPE, ETAG, LAST_MODIFIED, LINK, LOCATION, VARY,
};
use http::{HeaderMap, HeaderName, HeaderValue, Method, Response, StatusCode};

use super::conditional::{self, Outcome, Validators};
use super::encoding::{self, Coding};
use super::intermediary::intermediary;
use super::navigation;
use crate::config::Config;
use crate::feeds::{self, Format, stylesheet};
use crate::http::snapshot::{Resource, Snapshot};

/// The kinds of route, for logs and metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Route {
    Feed,
    Index,
    Stylesheet,
    Redirect,
    Health,
    Metrics,
    NotFound,
    BadMethod,
    BadRequest,
}

impl Route {
    pub fn as_str(self) -> &'static str {
        match self {
            Route::Feed => "feed",
            Route::Index => "index",
            Route::Stylesheet => "stylesheet",
            Route::Redirect => "redirect",
            Route::Health => "healthz",
            Route::Metrics => "metrics",
            Route::NotFound => "not_found",
            Route::BadMethod => "bad_method",
            Route::BadRequest => "bad_request",
        }
    }
}

/// Where a path leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A document of the feed tree, by its path in the tree.
    Document(String),
    Redirect(&'static str),
    /// A feed of a site in one language that is no more (its own language's feeds, which the
    /// feeds across languages stand for): a permanent redirect to the one that is, the query
    /// kept.
    Moved(String),
    Health,
    Metrics,
    NotFound,
}

/// Maps a request path (without its query) to a target. Paths are looked up, never joined to
/// a folder: nothing outside the feed tree can be reached. An escaped letter, digit, `-`, `.`,
/// `_` or `~` is the character itself (see [`unescape_unreserved`]).
pub fn route(config: &Config, path: &str) -> Target {
    let path = unescape_unreserved(path);
    let path = path.as_ref();
    match path {
        "/" | "/feeds" => return Target::Redirect("/feeds/"),
        "/feeds/" => return Target::Document("index.html".to_string()),
        "/healthz" => return Target::Health,
        "/metrics" => return Target::Metrics,
        _ => {}
    }
    if let Some(rest) = path.strip_prefix("/feeds/") {
        if let Some(to) = moved(config, rest) {
            return Target::Moved(format!("/feeds/{to}"));
        }
        return Target::Document(rest.to_string());
    }
    for lang in &config.languages {
        if lang.legacy_paths.iter().any(|p| p == path) {
            return Target::Document(language_rss(config, lang));
        }
    }
    // A document served at a legacy path names its stylesheet relative to itself, so the
    // stylesheet is answered beside it too.
    for lang in &config.languages {
        let document = language_rss(config, lang);
        if lang
            .legacy_paths
            .iter()
            .any(|p| stylesheet_beside(p, &document) == path)
        {
            return Target::Document(stylesheet::PATH.to_string());
        }
    }
    Target::NotFound
}

/// The RSS document of `lang`'s feed: its own, or `all.rss` for a site in that one language.
fn language_rss(config: &Config, lang: &crate::config::Language) -> String {
    match feeds::one_language(config) {
        Some(_) => "all.rss".to_string(),
        None => format!("{}.rss", lang.code),
    }
}

/// Where a site in one language now serves `path` (in the tree) of a feed in that language that
/// it no longer makes, the feeds across languages holding the same posts: `en.rss` is `all.rss`,
/// `en/authors/x.atom` is `authors/x.atom`, and their archive pages are those of the feed across
/// languages (`archive/en/2.rss` is `archive/all/2.rss`, `archive/en/tags/x/1.json` is
/// `archive/tags/x/1.json`). `None` for a site in several languages, and for every other path.
fn moved(config: &Config, path: &str) -> Option<String> {
    let code = feeds::one_language(config)?.code.as_str();
    let is_feed = |name: &str| {
        name.rsplit_once('.')
            .is_some_and(|(_, ext)| Format::ALL.iter().any(|f| f.extension() == ext))
    };
    if let Some(ext) = path.strip_prefix(code).and_then(|r| r.strip_prefix('.')) {
        return is_feed(path).then(|| format!("all.{ext}"));
    }
    if let Some(rest) = path.strip_prefix(code).and_then(|r| r.strip_prefix('/')) {
        return Some(rest.to_string());
    }
    let rest = path
        .strip_prefix("archive/")?
        .strip_prefix(code)?
        .strip_prefix('/')?;
    let page = !rest.contains('/')
        && rest
            .split_once('.')
            .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    Some(if page {
        format!("archive/all/{rest}")
    } else {
        format!("archive/{rest}")
    })
}

/// `path` with every percent-escape of an unreserved character (a letter, a digit, `-`, `.`,
/// `_`, `~`) decoded: RFC 3986 (section 6.2.2.2) makes `/feeds/en%2Eatom` the same address as
/// `/feeds/en.atom`, and some clients and proxies escape more than they need to. So are the
/// escapes of a character beyond ASCII, written as UTF-8 (`caf%C3%A9` is `café`, as RFC 3987
/// maps an IRI to a URI): how a tag feed named as the site's term page (`tags/café-culture`) is
/// asked for. Every other escape stays as it is, `%2F` among them, so that an escape never
/// stands for a folder, and so do bytes that are not UTF-8.
fn unescape_unreserved(path: &str) -> std::borrow::Cow<'_, str> {
    if !path.contains('%') {
        return std::borrow::Cow::Borrowed(path);
    }
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        // The run of escapes here, as bytes: `rest` moves past those decoded.
        let mut bytes = Vec::new();
        let mut tail = rest;
        while let Some(b) = tail
            .get(1..3)
            .filter(|hex| tail.starts_with('%') && hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            bytes.push(b);
            tail = &tail[3..];
        }
        if bytes.is_empty() {
            out.push('%');
            rest = &rest[1..];
            continue;
        }
        // Each escape of the run: decoded when it is an unreserved character or part of one
        // character beyond ASCII, otherwise kept as written.
        let run = &rest[..rest.len() - tail.len()];
        let mut escapes = (0..bytes.len()).map(|i| &run[3 * i..3 * i + 3]);
        for chunk in bytes.utf8_chunks() {
            for c in chunk.valid().chars() {
                let written = escapes.by_ref().take(c.len_utf8());
                if !c.is_ascii() || c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~')
                {
                    written.for_each(drop);
                    out.push(c);
                } else {
                    written.for_each(|e| out.push_str(e));
                }
            }
            escapes
                .by_ref()
                .take(chunk.invalid().len())
                .for_each(|e| out.push_str(e));
        }
        rest = tail;
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Where a browser looks for the stylesheet of `document` (a path in the tree) when it is
/// served at `legacy`: the stylesheet's relative address resolved against `legacy`.
fn stylesheet_beside(legacy: &str, document: &str) -> String {
    let mut folder = legacy.rsplit_once('/').map_or("", |(folder, _)| folder);
    let mut href = stylesheet::href(document);
    while let Some(rest) = href.strip_prefix("../") {
        folder = folder.rsplit_once('/').map_or("", |(up, _)| up);
        href = rest.to_string();
    }
    format!("{folder}/{href}")
}

pub use super::body::Body;

fn plain(status: StatusCode, text: impl Into<String>) -> Response<Body> {
    let text: String = text.into();
    let length = text.len();
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
    response
}

/// `405 Method Not Allowed` with `Allow`.
pub fn method_not_allowed() -> Response<Body> {
    let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
    response
        .headers_mut()
        .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
    response
}

/// `400 Bad Request`, saying why.
pub fn bad_request(why: &'static str) -> Response<Body> {
    plain(StatusCode::BAD_REQUEST, why)
}

/// Whether the request breaks RFC 9112 §3.2, which a server must answer with `400`: an
/// HTTP/1.1 request without `Host`, or any request with more than one.
pub fn bad_host(version: http::Version, headers: &HeaderMap) -> bool {
    let hosts = headers.get_all(http::header::HOST).iter().count();
    hosts > 1 || (version == http::Version::HTTP_11 && hosts == 0)
}

/// `404 Not Found`.
pub fn not_found() -> Response<Body> {
    plain(StatusCode::NOT_FOUND, "not found\n")
}

fn redirect(to: &'static str) -> Response<Body> {
    redirect_to(HeaderValue::from_static(to))
}

fn redirect_to(location: HeaderValue) -> Response<Body> {
    let mut response = plain(StatusCode::PERMANENT_REDIRECT, "moved\n");
    response.headers_mut().insert(LOCATION, location);
    response
}

/// Answers a request for a document of the tree (GET or HEAD). A delta is given only to a
/// client asking for one directly, never through a shared cache (see [`intermediary`]).
pub fn document(
    snapshot: &Snapshot,
    path: &str,
    query: Option<&str>,
    request: &Head<'_>,
) -> Response<Body> {
    let Head {
        method, headers, ..
    } = *request;
    let since = since(query);
    let wants_delta = matches!(since, Ok(None))
        && accepts_feed_delta(headers)
        && !request.proxy
        && !intermediary(request.version, headers);
    let found = match since {
        Ok(None) => snapshot.get(path),
        Ok(Some(date)) => snapshot.since(path, date),
        Err(why) => return plain(StatusCode::BAD_REQUEST, why),
    };
    let Some(resource) = found else {
        return not_found();
    };
    let available = [Coding::Brotli, Coding::Gzip, Coding::Identity];
    let Some(coding) = encoding::choose(headers, &available) else {
        let mut response = plain(
            StatusCode::NOT_ACCEPTABLE,
            "no acceptable content coding: identity, gzip and br are available\n",
        );
        response
            .headers_mut()
            .insert(VARY, HeaderValue::from_static("Accept-Encoding"));
        return response;
    };
    // RFC 9110 §8.8.2.1: never a Last-Modified later than the response's Date. A document's
    // date can run ahead of the clock when its bytes change more than once a second.
    let now = SystemTime::now();
    let ahead = resource.last_modified.filter(|&t| t > now).map(|_| now);
    let validators = Validators {
        etag: resource.etag(coding).to_string(),
        last_modified: ahead.or(resource.last_modified),
    };
    let mut response = match conditional::evaluate(headers, &validators) {
        Outcome::NotModified => {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::NOT_MODIFIED;
            common_headers(&resource, coding, response.headers_mut());
            response
        }
        Outcome::PreconditionFailed => {
            plain(StatusCode::PRECONDITION_FAILED, "precondition failed\n")
        }
        Outcome::Full => {
            let delta = wants_delta
                .then(|| snapshot.delta(path, &conditional::none_match_tags(headers)))
                .flatten();
            match delta {
                Some(delta) => im_used(&resource, &delta, coding, method),
                None => {
                    let content_type = match resource.navigation_type {
                        Some(label) if navigation::is_navigation(headers) => label,
                        _ => resource.content_type,
                    };
                    full(&resource, coding, method, content_type)
                }
            }
        }
    };
    if let Some(now) = ahead
        && response.headers().contains_key(LAST_MODIFIED)
        && let Ok(value) = HeaderValue::from_str(&super::cache_control::http_date(now))
    {
        response.headers_mut().insert(LAST_MODIFIED, value);
    }
    response
}

/// Whether `A-IM` lists the `feed` instance manipulation (RFC 3229, as feed readers use it).
fn accepts_feed_delta(headers: &HeaderMap) -> bool {
    headers
        .get_all(HeaderName::from_static("a-im"))
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            item.split(';')
                .next()
                .is_some_and(|name| name.trim().eq_ignore_ascii_case("feed"))
        })
}

/// `226 IM Used`: `delta`, the items of `resource` the client lacks, under `resource`'s own
/// ETag (the version the client will hold once it applies them), never stored by caches.
fn im_used(
    resource: &Arc<Resource>,
    delta: &Arc<Resource>,
    coding: Coding,
    method: &Method,
) -> Response<Body> {
    let mut response = full(delta, coding, method, delta.content_type);
    *response.status_mut() = StatusCode::IM_USED;
    let headers = response.headers_mut();
    common_headers(resource, coding, headers);
    headers.insert(
        HeaderName::from_static("im"),
        HeaderValue::from_static("feed"),
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        VARY,
        HeaderValue::from_static("Accept-Encoding, A-IM, If-None-Match"),
    );
    response
}

fn full(
    resource: &Arc<Resource>,
    coding: Coding,
    method: &Method,
    content_type: &'static str,
) -> Response<Body> {
    let body = resource.body(coding);
    let length = body.len();
    let body = if method == Method::HEAD {
        Body::empty()
    } else {
        body
    };
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    common_headers(resource, coding, headers);
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
    if coding != Coding::Identity {
        headers.insert(CONTENT_ENCODING, HeaderValue::from_static(coding.as_str()));
    }
    headers.insert(ACCEPT_RANGES, HeaderValue::from_static("none"));
    response
}

/// Headers a 200 and a 304 share (RFC 9110 §15.4.5: a 304 carries what a 200 would have
/// carried among ETag, Cache-Control, Vary and Last-Modified).
fn common_headers(resource: &Resource, coding: Coding, headers: &mut HeaderMap) {
    let made = &resource.headers;
    let index = match coding {
        Coding::Identity => 0,
        Coding::Gzip => 1,
        Coding::Brotli => 2,
    };
    if let Some(value) = &made.etags[index] {
        headers.insert(ETAG, value.clone());
    }
    if let Some(value) = &made.last_modified {
        headers.insert(LAST_MODIFIED, value.clone());
    }
    if let Some(value) = &made.cache_control {
        headers.insert(CACHE_CONTROL, value.clone());
    }
    headers.insert(VARY, made.vary.clone());
    if resource.is_feed {
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    }
    if let Some(value) = &made.link {
        headers.insert(LINK, value.clone());
    }
}

/// What a response depends on of its request, besides the path and query.
#[derive(Debug, Clone, Copy)]
pub struct Head<'a> {
    pub method: &'a Method,
    pub version: http::Version,
    pub headers: &'a HeaderMap,
    /// It came from a peer listed in `[server] proxies`.
    pub proxy: bool,
}

/// Answers any request: the whole life of one request but for logging and metrics.
pub fn respond(
    config: &Config,
    snapshot: &Snapshot,
    uri: &http::Uri,
    request: &Head<'_>,
    health: impl FnOnce() -> String,
    metrics: impl FnOnce() -> String,
) -> (Route, Response<Body>) {
    let method = request.method;
    if method != Method::GET && method != Method::HEAD {
        return (Route::BadMethod, method_not_allowed());
    }
    let query = uri.query();
    match route(config, uri.path()) {
        Target::Redirect(to) => (Route::Redirect, redirect(to)),
        Target::Moved(to) => {
            let to = match query {
                Some(query) => format!("{to}?{query}"),
                None => to,
            };
            match HeaderValue::from_str(&to) {
                Ok(location) => (Route::Redirect, redirect_to(location)),
                Err(_) => (Route::NotFound, not_found()),
            }
        }
        Target::Document(doc) => {
            let kind = match doc.as_str() {
                "index.html" => Route::Index,
                stylesheet::PATH => Route::Stylesheet,
                _ => Route::Feed,
            };
            (kind, document(snapshot, &doc, query, request))
        }
        Target::Health => (Route::Health, dynamic(health(), "application/json", method)),
        Target::Metrics => (
            Route::Metrics,
            dynamic(metrics(), super::metrics::CONTENT_TYPE, method),
        ),
        Target::NotFound => (Route::NotFound, not_found()),
    }
}

/// The `since` parameter of a query, if it has one: an RFC 3339 date, else the reason it is
/// refused. Other parameters are ignored, as they always were.
pub fn since(query: Option<&str>) -> Result<Option<DateTime<FixedOffset>>, String> {
    let Some(query) = query else {
        return Ok(None);
    };
    let Some((_, value)) =
        url::form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "since")
    else {
        return Ok(None);
    };
    // A `+` in an offset that the client did not percent-encode arrives as a space.
    DateTime::parse_from_rfc3339(&value.trim().replace(' ', "+"))
        .map(Some)
        .map_err(|e| {
            format!(
                "since={value:?} is not an RFC 3339 date such as 2026-11-28T09:00:00-05:00: {e}\n"
            )
        })
}

/// A response made for this request (health, metrics): never cached.
fn dynamic(text: String, content_type: &'static str, method: &Method) -> Response<Body> {
    let length = text.len();
    let body = if method == Method::HEAD {
        Body::empty()
    } else {
        Body::from(text)
    };
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-language configuration serving its RSS feed at `legacy_paths` too.
    fn with_legacy_paths(legacy_paths: &str) -> Config {
        let text = format!(
            "[languages.en]\nbase_url = \"https://a.example/\"\nlegacy_paths = {legacy_paths}\n"
        );
        match Config::from_toml(std::path::Path::new("c.toml"), &text) {
            Ok(config) => config,
            Err(e) => panic!("{e}"),
        }
    }

    fn document(path: &str) -> Target {
        Target::Document(path.to_string())
    }

    #[test]
    fn the_stylesheet_is_found_from_every_place_a_feed_is_served() {
        let config = with_legacy_paths("[\"/blog/index.xml\", \"/rss.xml\"]");
        for (path, target) in [
            ("/feeds/feed.xsl", document("feed.xsl")),
            // A site in one language: its RSS feed is the one across languages.
            ("/blog/index.xml", document("all.rss")),
            ("/blog/feed.xsl", document("feed.xsl")),
            ("/rss.xml", document("all.rss")),
            ("/feed.xsl", document("feed.xsl")),
            ("/blog/other/feed.xsl", Target::NotFound),
            ("/fr/feed.xsl", Target::NotFound),
        ] {
            assert_eq!(route(&config, path), target, "{path}");
        }
        assert_eq!(
            stylesheet_beside("/a/b/index.xml", "en/authors/x.rss"),
            "/feed.xsl"
        );
        assert_eq!(
            stylesheet_beside("/a/b/c/x.xml", "authors/x.rss"),
            "/a/b/feed.xsl"
        );
    }

    #[test]
    fn a_site_in_one_language_moves_its_languages_feeds_to_those_across_languages() {
        let config = with_legacy_paths("[]");
        let moved = |to: &str| Target::Moved(to.to_string());
        for (path, target) in [
            ("/feeds/en.rss", moved("/feeds/all.rss")),
            ("/feeds/en.atom", moved("/feeds/all.atom")),
            ("/feeds/en.json", moved("/feeds/all.json")),
            (
                "/feeds/en/authors/ann-lee.atom",
                moved("/feeds/authors/ann-lee.atom"),
            ),
            ("/feeds/en/tags/forms.rss", moved("/feeds/tags/forms.rss")),
            (
                "/feeds/en/categories/news.json",
                moved("/feeds/categories/news.json"),
            ),
            ("/feeds/archive/en/2.rss", moved("/feeds/archive/all/2.rss")),
            (
                "/feeds/archive/en/authors/ann-lee/1.json",
                moved("/feeds/archive/authors/ann-lee/1.json"),
            ),
            // Not a feed of the language: looked up as it is.
            ("/feeds/en.opml", document("en.opml")),
            ("/feeds/english.rss", document("english.rss")),
            ("/feeds/authors/en.rss", document("authors/en.rss")),
            ("/feeds/archive/all/1.rss", document("archive/all/1.rss")),
            ("/feeds/fr.rss", document("fr.rss")),
        ] {
            assert_eq!(route(&config, path), target, "{path}");
        }
        // A site in several languages keeps every language's feeds.
        let text = "[languages.en]\nbase_url = \"https://a.example/\"\n\
                    [languages.fr]\nbase_url = \"https://b.example/\"\n";
        let two = match Config::from_toml(std::path::Path::new("c.toml"), text) {
            Ok(config) => config,
            Err(e) => panic!("{e}"),
        };
        for path in ["en.rss", "en/authors/ann-lee.atom", "archive/en/2.rss"] {
            assert_eq!(route(&two, &format!("/feeds/{path}")), document(path));
        }
    }

    #[test]
    fn escaped_unreserved_characters_are_the_characters_themselves() {
        let config = with_legacy_paths("[\"/blog/index.xml\"]");
        for (path, target) in [
            ("/feeds/all%2Eatom", document("all.atom")),
            ("/feeds/all%2eatom", document("all.atom")),
            ("/feeds/en%2Eatom", Target::Moved("/feeds/all.atom".into())),
            (
                "/%66eeds/authors/jane%2Ddoe.json",
                document("authors/jane-doe.json"),
            ),
            ("/blog/index%2Exml", document("all.rss")),
            ("/feeds/%7Ex%5F", document("~x_")),
            // Escapes of anything else stay escapes: never a folder, never another path.
            (
                "/feeds/authors%2Fjane-doe.json",
                document("authors%2Fjane-doe.json"),
            ),
            ("/feeds/a%20b%", document("a%20b%")),
            // A character beyond ASCII, escaped as UTF-8, is itself; bytes that are not
            // UTF-8 stay escapes.
            (
                "/feeds/tags/caf%C3%A9-culture.atom",
                document("tags/café-culture.atom"),
            ),
            (
                "/feeds/tags/%e6%97%a5%E6%9C%AC.json",
                document("tags/日本.json"),
            ),
            (
                "/feeds/tags/caf%C3-%A9.rss",
                document("tags/caf%C3-%A9.rss"),
            ),
            ("/feeds/%C3%A9%2F%FF", document("é%2F%FF")),
            ("/feeds/%2", document("%2")),
            ("/feeds/%+1x", document("%+1x")),
            ("/feeds%2F", Target::NotFound),
        ] {
            assert_eq!(route(&config, path), target, "{path}");
        }
    }

    proptest::proptest! {
        #[test]
        fn unescaping_finds_the_path_its_client_escaped(
            path in "(/[a-z0-9._~%-]{0,12}){1,4}",
            escape in proptest::collection::vec(proptest::bool::ANY, 0..64),
        ) {
            // A client escaping any of the path's unreserved characters, in either case.
            let mut escaped = String::new();
            for (i, c) in path.chars().enumerate() {
                let unreserved = c.is_ascii_alphanumeric() || "-._~".contains(c);
                if unreserved && escape.get(i).copied().unwrap_or(false) {
                    let hex = format!("%{:02X}", u32::from(c));
                    escaped.push_str(&if i % 2 == 0 { hex.to_lowercase() } else { hex });
                } else {
                    escaped.push(c);
                }
            }
            let unescaped = unescape_unreserved(&escaped);
            // Unchanged where the path held a `%` of its own that reads as an escape.
            if !path.contains('%') {
                proptest::prop_assert_eq!(unescaped.as_ref(), path.as_str());
            }
            // An escape never makes a folder.
            proptest::prop_assert_eq!(unescaped.matches('/').count(), path.matches('/').count());
        }
    }

    #[test]
    fn http_1_1_needs_exactly_one_host() {
        use http::Version;
        let mut headers = HeaderMap::new();
        assert!(bad_host(Version::HTTP_11, &headers));
        assert!(!bad_host(Version::HTTP_10, &headers));
        headers.append(
            http::header::HOST,
            HeaderValue::from_static("feeds.example.ca"),
        );
        assert!(!bad_host(Version::HTTP_11, &headers));
        headers.append(
            http::header::HOST,
            HeaderValue::from_static("other.example"),
        );
        assert!(bad_host(Version::HTTP_11, &headers));
        assert!(bad_host(Version::HTTP_10, &headers));
    }
}
