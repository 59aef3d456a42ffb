//! Documents -> what the server answers with, computed once per snapshot: each document's
//! bytes in every encoding (as the list of shared chunks a response sends, see
//! [`crate::http::body`]), an ETag per encoding, `Last-Modified` (the date its bytes were first
//! published, from the records [`crate::modified`] keeps), its `Cache-Control` class.
//!
//! A [`Snapshot`] is immutable once built; the server swaps whole snapshots atomically, so a
//! request sees the old feeds or the new ones, never a mix. Archive pages are rendered when first
//! asked for and kept within a byte budget: full pages never change, so a cached page stays
//! right for as long as its snapshot lives.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use bytes::Bytes;
use chrono::{DateTime, FixedOffset};
use http::HeaderValue;
use rayon::prelude::*;

use crate::config::Config;
use crate::corpus::{Corpus, Diagnostic};

use crate::compress::{self, Piece};
use crate::corpus::Post;
use crate::feeds::archive::View;
use crate::feeds::{self, Document, FeedDef, Format, Items, Pieces, Plan, Recipe};
use crate::http::body::{Body, ChunkList, chunk_list};
use crate::http::cache_control::{self, etag_from_digest};
use crate::http::encoding::Coding;
use crate::http::navigation;
use crate::modified::{self, Dates, Record};

/// The most items a `?since=` document holds; older ones are in the archive pages.
pub const SINCE_MAX_ITEMS: usize = 500;

/// How many earlier versions of each subscription document are remembered, for delta
/// requests (RFC 3229 `A-IM: feed`) naming one of them.
pub const DELTA_VERSIONS: usize = 16;

/// An earlier version of a subscription document: its ETags and the item pieces it showed.
#[derive(Debug, Clone)]
struct Version {
    etags: [String; 3],
    items: Vec<Arc<feeds::Item>>,
}

/// A document ready to serve. Its compressed forms are made once, the first time they are
/// needed or when [`Snapshot::precompress`] runs after the snapshot is published, whichever
/// comes first; their ETags are known from the start, so a conditional request never waits
/// for compression.
#[derive(Debug)]
pub struct Resource {
    pub content_type: &'static str,
    /// The media type a browser navigating to it gets instead, for RSS and Atom documents
    /// (see [`crate::http::navigation`]).
    pub navigation_type: Option<&'static str>,
    /// The document's bytes as sent: one chunk for a document made whole (the OPML list, the
    /// index page, the stylesheet), the pieces for one joined from `parts`, each shared with
    /// every other document showing the same item (see [`crate::http::body`]).
    identity: ChunkList,
    /// The pieces the document is joined from, to join the compressed forms from; empty for a
    /// document made whole.
    parts: Vec<Arc<Piece>>,
    /// The length of the document's bytes.
    len: usize,
    /// The gzip form as sent: one chunk for a document made whole; for a joined one, the gzip
    /// header, its pieces' own deflate streams as they are held and the end
    /// ([`compress::gzip_shared`]).
    gzip: OnceLock<ChunkList>,
    /// The brotli form as sent: one chunk for a document made whole; for a joined one, the
    /// bytes `BroCatli` rewrote between its pieces' brotli streams, and the rest of each
    /// stream as it is held ([`compress::brotli_shared`]).
    brotli: OnceLock<ChunkList>,
    /// Strong and quoted: identity, gzip, brotli.
    etags: [String; 3],
    pub last_modified: Option<SystemTime>,
    /// A full archive page: cacheable for a year.
    pub immutable: bool,
    /// Its public address, for the `Link: rel="self"` header.
    pub self_url: String,
    /// A feed document rather than the index page.
    pub is_feed: bool,
    /// Response header values, made once so that answering is a lookup.
    pub headers: Headers,
    /// What it was written from, to tell whether the next snapshot would write it the same.
    recipe: Option<Recipe>,
}

/// The header values a response for a resource carries, ready to copy.
#[derive(Debug, Clone)]
pub struct Headers {
    /// `ETag` for identity, gzip, brotli.
    pub etags: [Option<HeaderValue>; 3],
    pub last_modified: Option<HeaderValue>,
    pub cache_control: Option<HeaderValue>,
    /// `Link: <self>; rel="self"`, on feeds.
    pub link: Option<HeaderValue>,
    /// `Vary`: the encoding, and for RSS and Atom whether a browser is navigating.
    pub vary: HeaderValue,
}

impl Resource {
    /// Takes `doc` and computes its ETags (the ETag of an encoding is the hash of the document's
    /// bytes with the encoding's name: the compressors are deterministic).
    pub fn from_document(config: &Config, doc: Document) -> Resource {
        // A joined document's bytes are its pieces': they need not be held twice.
        let whole = doc.parts.is_empty().then(|| doc.digest());
        let Document {
            path,
            content_type,
            bytes,
            parts,
            last_modified,
            immutable,
            items,
        } = doc;
        let meta = Pieces {
            path,
            content_type,
            parts,
            last_modified,
            immutable,
            items,
        };
        match whole {
            Some(digest) => {
                let len = bytes.len();
                Resource::made(config, meta, chunk_list([Bytes::from(bytes)]), len, &digest)
            }
            None => Resource::from_pieces(config, meta),
        }
    }

    /// A document as its pieces, never joined: its uncompressed form is the pieces as they are
    /// held (see [`crate::http::body`]).
    pub fn from_pieces(config: &Config, doc: Pieces) -> Resource {
        let identity = chunk_list(doc.parts.iter().map(|p| p.shared()));
        let len = doc.len();
        let digest = doc.digest();
        Resource::made(config, doc, identity, len, &digest)
    }

    /// The resource for `doc` (its `parts` empty for a document made whole), sent as
    /// `identity`, `len` bytes whose SHA-256 (or [`compress::digest_pieces`]) is `digest`.
    fn made(
        config: &Config,
        doc: Pieces,
        identity: ChunkList,
        len: usize,
        digest: &[u8; 32],
    ) -> Resource {
        let tag = etag_from_digest(digest);
        let stem = tag.trim_matches('"').to_string();
        let self_url = crate::feeds::xml::feed_url(config, &doc.path);
        let etags = [tag, format!("\"{stem}-gz\""), format!("\"{stem}-br\"")];
        let last_modified = doc.last_modified.map(SystemTime::from);
        let is_feed = doc.path.ends_with(".rss")
            || doc.path.ends_with(".atom")
            || doc.path.ends_with(".json")
            || doc.path.ends_with(".opml");
        let navigation_type = navigation::relabels(doc.content_type).then_some(navigation::XML);
        let vary = if navigation_type.is_some() {
            navigation::VARY
        } else {
            "Accept-Encoding"
        };
        let cache = if doc.immutable {
            cache_control::immutable()
        } else {
            cache_control::for_feed(config.server.max_age)
        };
        let headers = Headers {
            etags: etags.clone().map(|e| HeaderValue::from_str(&e).ok()),
            last_modified: last_modified
                .and_then(|t| HeaderValue::from_str(&cache_control::http_date(t)).ok()),
            cache_control: HeaderValue::from_str(&cache).ok(),
            link: is_feed.then(|| link_header(config, &self_url)).flatten(),
            vary: HeaderValue::from_static(vary),
        };
        Resource {
            content_type: doc.content_type,
            navigation_type,
            identity,
            parts: doc.parts,
            len,
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
            etags,
            last_modified,
            immutable: doc.immutable,
            self_url,
            is_feed,
            headers,
            recipe: None,
        }
    }

    /// This resource at another public address (a feed with a query), for `Link: rel="self"`.
    fn at(mut self, config: &Config, self_url: String) -> Resource {
        self.headers.link = link_header(config, &self_url);
        self.self_url = self_url;
        self
    }

    /// This resource dated by its record (see [`crate::modified`]): the date its bytes were
    /// first published, given the record `previous` it had; no `Last-Modified` when there is
    /// nothing to date it by.
    fn dated(&mut self, previous: Option<&Record>) {
        let newest = self.last_modified.map(seconds);
        let record = modified::next(previous, self.digest(), newest);
        self.undated_unless(record.map(|r| r.since));
    }

    /// Its record: its identity ETag and its `Last-Modified`, if it has one.
    fn record(&self) -> Option<Record> {
        Some(Record {
            digest: self.digest().to_string(),
            since: seconds(self.last_modified?),
        })
    }

    /// Its identity ETag, unquoted.
    fn digest(&self) -> &str {
        self.etags[0].trim_matches('"')
    }

    /// This resource with `Last-Modified` set to `since` (seconds since the epoch), or
    /// without one.
    fn undated_unless(&mut self, since: Option<i64>) {
        self.last_modified = since.and_then(from_seconds);
        self.headers.last_modified = self
            .last_modified
            .and_then(|t| HeaderValue::from_str(&cache_control::http_date(t)).ok());
    }

    /// This resource without `Last-Modified`: for documents whose dates no record keeps
    /// (archive pages and `?since=` documents, rendered on request), so that a date never
    /// stays when the bytes change.
    fn undated(mut self) -> Resource {
        self.undated_unless(None);
        self
    }

    /// This resource with the compressed forms `old` made so far (it has the same bytes).
    /// The compressed forms of a joined document are not taken: they are made of `old`'s
    /// pieces, and holding them would keep those alive beside this one's.
    fn with_compressed_from(self, old: &Resource) -> Resource {
        if self.parts.is_empty() {
            for (mine, theirs) in [(&self.gzip, &old.gzip), (&self.brotli, &old.brotli)] {
                if let Some(list) = theirs.get() {
                    let _ = mine.set(Arc::clone(list));
                }
            }
        }
        self
    }

    /// The bytes in `coding`, compressing them now if that was not done yet. The identity and
    /// gzip forms of a joined document are its pieces and their deflate streams, sent as they
    /// are held.
    pub fn body(&self, coding: Coding) -> Body {
        let list = match coding {
            Coding::Identity => &self.identity,
            Coding::Gzip => self.gzip.get_or_init(|| {
                if self.parts.is_empty() {
                    chunk_list([compress::gzip(self.whole()).into()])
                } else {
                    let end = Bytes::copy_from_slice(&compress::gzip_end(&self.parts));
                    chunk_list(compress::gzip_shared(&self.parts, &end))
                }
            }),
            Coding::Brotli => self.brotli.get_or_init(|| {
                if self.parts.is_empty() {
                    chunk_list([compress::brotli(self.whole()).into()])
                } else {
                    chunk_list(compress::brotli_shared(&self.parts))
                }
            }),
        };
        Body::list(Arc::clone(list))
    }

    /// The bytes of a document made whole; empty for a joined one.
    fn whole(&self) -> &[u8] {
        match (self.parts.is_empty(), self.identity.first()) {
            (true, Some(bytes)) => bytes,
            _ => &[],
        }
    }

    /// The ETag of the representation in `coding`.
    pub fn etag(&self, coding: Coding) -> &str {
        match coding {
            Coding::Identity => &self.etags[0],
            Coding::Gzip => &self.etags[1],
            Coding::Brotli => &self.etags[2],
        }
    }

    /// Whether `other` is the same document: same bytes (the ETag is a SHA-256 of them), same
    /// headers.
    pub fn same_as(&self, other: &Resource) -> bool {
        self.etags[0] == other.etags[0]
            && self.len == other.len
            && self.last_modified == other.last_modified
            && self.immutable == other.immutable
            && self.self_url == other.self_url
            && self.content_type == other.content_type
    }

    /// Bytes held: its length (what its pieces hold, or its whole bytes) and, for a document
    /// made whole, the compressed forms made so far (a joined document's are its pieces' own
    /// compressed streams).
    pub fn size(&self) -> usize {
        let held = |list: &OnceLock<ChunkList>| list.get().map_or(0, |l| total(l));
        if self.parts.is_empty() {
            self.len + held(&self.gzip) + held(&self.brotli)
        } else {
            self.len
        }
    }
}

/// Archive pages rendered on request, oldest out first past the byte budget.
#[derive(Default)]
struct ArchiveCache {
    pages: HashMap<String, Arc<Resource>>,
    order: VecDeque<String>,
    bytes: usize,
}

/// Everything the server answers from, for one state of the corpus. Its maps are persistent:
/// the next snapshot shares whatever a reload did not touch.
pub struct Snapshot {
    config: Arc<Config>,
    corpus: Arc<Corpus>,
    feeds: Vec<Arc<FeedDef>>,
    resources: imbl::HashMap<String, Arc<Resource>>,
    /// Each shown post's items, by [`feeds::address`] of the post (which `corpus` keeps
    /// alive): the next snapshot takes them over for every post it shares with this one.
    items: imbl::HashMap<usize, Arc<Items>>,
    /// [`feeds::listing_key`] of `feeds`: the OPML list and the index page (and the stylesheet,
    /// which never changes) are rewritten only when it changes.
    listing: u64,
    /// Subscription document path -> its feed and format.
    subscriptions: imbl::HashMap<String, (Arc<FeedDef>, Format)>,
    /// Subscription document path -> its earlier versions, newest last, at most
    /// [`DELTA_VERSIONS`]; shared with the next snapshot where the document did not change.
    versions: imbl::HashMap<String, Arc<VecDeque<Version>>>,
    /// The documents this snapshot rendered rather than took over, to compress and announce.
    fresh: Vec<String>,
    /// When each document's bytes were first published (see [`crate::modified`]): the
    /// records it was built with, and those of the documents it dated.
    dates: Dates,
    cache: Mutex<ArchiveCache>,
    /// When the corpus behind it was loaded.
    pub loaded_at: SystemTime,
}

/// Past this many changed posts, a snapshot lists its feeds again instead of patching the
/// last snapshot's.
const MOST_PATCHED: usize = 256;

impl Snapshot {
    /// Renders, compresses and indexes every subscription document, the OPML list, the index
    /// page and the stylesheet; archive pages are rendered on request.
    ///
    /// Given the `previous` snapshot (and the same configuration), only what changed is done
    /// again: the posts that differ are found by address, only the feeds holding them are
    /// listed again, a post it shared keeps its rendered items, a document whose recipe (head
    /// inputs and item pieces) did not change is taken over whole, ETag and compressed forms
    /// included, and so are the OPML list, the index page and the stylesheet while the set of
    /// feeds stays. A document rendered again to the same bytes is also taken over, compressed
    /// forms included.
    ///
    /// Documents are dated by the records of `previous` (none without one): see
    /// [`Snapshot::build_dated`].
    pub fn build(
        config: Arc<Config>,
        corpus: Arc<Corpus>,
        loaded_at: SystemTime,
        previous: Option<&Snapshot>,
    ) -> Snapshot {
        let dates = previous.map(|p| p.dates.clone()).unwrap_or_default();
        Snapshot::build_dated(config, corpus, loaded_at, previous, dates)
    }

    /// [`Snapshot::build`], dating each document it renders by its record in `dates` (as
    /// the last-modified file holds them, see [`crate::modified`]): the same bytes keep their
    /// date, other bytes get a later one, and a document with no record is dated by its newest
    /// item. [`Snapshot::dates`] holds the records after.
    pub fn build_dated(
        config: Arc<Config>,
        corpus: Arc<Corpus>,
        loaded_at: SystemTime,
        previous: Option<&Snapshot>,
        dates: Dates,
    ) -> Snapshot {
        let started = std::time::Instant::now();
        let same_config = previous.filter(|p| Arc::ptr_eq(&p.config, &config));
        let patched = same_config.and_then(|p| {
            let changes = feeds::Changes::between(&p.corpus.posts, &corpus.posts, MOST_PATCHED)?;
            Some((p, feeds::update(&config, &p.feeds, &changes), changes.gone))
        });
        // The feeds, those to render (every one, or those not taken over from the last
        // snapshot), those gone, and whether the OPML list and index page stay.
        let (feeds, touched, removed, base, gone, same_listing) = match patched {
            Some((p, update, gone)) => (
                update.feeds,
                update.touched,
                update.removed,
                Some(p),
                gone,
                update.same_listing,
            ),
            None => {
                let feeds = feeds::prepare(&config, &corpus);
                let all = (0..feeds.len()).collect();
                (feeds, all, Vec::new(), None, Vec::new(), false)
            }
        };
        let touched: Vec<&Arc<FeedDef>> = touched.iter().filter_map(|&i| feeds.get(i)).collect();
        let mut subscriptions = base.map(|p| p.subscriptions.clone()).unwrap_or_default();
        let mut resources = base.map(|p| p.resources.clone()).unwrap_or_default();
        for old in &removed {
            for format in Format::ALL {
                subscriptions.remove(&old.path(format));
                resources.remove(&old.path(format));
            }
        }
        for feed in &touched {
            for format in Format::ALL {
                subscriptions.insert(feed.path(format), (Arc::clone(feed), format));
            }
        }
        let prepared = started.elapsed();

        let mut items = base.map(|p| p.items.clone()).unwrap_or_default();
        for post in &gone {
            items.remove(&feeds::address(post));
        }
        let reusable = same_config.map(|p| &p.items);
        // Posts a touched subscription document shows whose items are not made yet.
        let mut seen = std::collections::HashSet::new();
        let missing: Vec<&Arc<Post>> = touched
            .iter()
            .flat_map(|f| f.posts.iter().take(config.feed_limit))
            .filter(|p| {
                let key = feeds::address(p);
                !items.contains_key(&key) && seen.insert(key)
            })
            .collect();
        let rendered: Vec<(usize, Arc<Items>)> = missing
            .par_iter()
            .map(|post| {
                let key = feeds::address(post);
                let made = reusable
                    .and_then(|old| old.get(&key))
                    .cloned()
                    .unwrap_or_else(|| Arc::new(feeds::item::render(&config, post)));
                (key, made)
            })
            .collect();
        items.extend(rendered);
        let items_done = started.elapsed();

        let lookup = |p: &Arc<Post>| items.get(&feeds::address(p)).cloned();
        let jobs: Vec<(&Arc<FeedDef>, Format)> = touched
            .iter()
            .flat_map(|feed| Format::ALL.map(|format| (*feed, format)))
            .collect();
        let made: Vec<(String, Arc<Resource>, bool)> = jobs
            .par_iter()
            .map(|&(feed, format)| {
                let view = View::new(&config, feed, format, None, true);
                let plan = Plan::new(&lookup, feed, view);
                let recipe = plan.recipe();
                let path = plan.path().to_string();
                let old = previous.and_then(|p| p.resources.get(&path));
                if let Some(old) = old.filter(|old| {
                    same_config.is_some() && old.recipe.as_ref().is_some_and(|r| r.same(&recipe))
                }) {
                    return (path, Arc::clone(old), false);
                }
                let mut fresh = Resource::from_pieces(&config, plan.pieces());
                fresh.dated(dates.get(&path));
                fresh.recipe = Some(recipe);
                let resource = match old.filter(|old| old.same_as(&fresh)) {
                    // Same bytes: keep the compressed forms made, with the new recipe.
                    Some(old) => Arc::new(fresh.with_compressed_from(old)),
                    None => Arc::new(fresh),
                };
                (path, resource, true)
            })
            .collect();
        let mut fresh = Vec::new();
        for (path, resource, new) in made {
            if new {
                fresh.push(path.clone());
            }
            resources.insert(path, resource);
        }
        let docs_done = started.elapsed();

        let listing = match base {
            Some(p) if same_listing => p.listing,
            _ => feeds::listing_key(&feeds),
        };
        let listed = same_config.filter(|p| p.listing == listing);
        for doc in [
            feeds::opml::PATH,
            feeds::page::PATH,
            feeds::stylesheet::PATH,
        ] {
            if let Some(old) = listed.and_then(|p| p.resources.get(doc)) {
                resources.insert(doc.to_string(), Arc::clone(old));
            }
        }
        if listed.is_none() {
            for doc in [
                feeds::opml::opml(&config, &feeds),
                feeds::page::index_html(&config, &feeds),
                feeds::stylesheet::stylesheet(&config),
            ] {
                let path = doc.path.clone();
                let mut made = Resource::from_document(&config, doc);
                made.dated(dates.get(&path));
                let kept = previous
                    .and_then(|p| p.resources.get(&path))
                    .filter(|old| old.same_as(&made))
                    .cloned();
                if kept.is_none() {
                    fresh.push(path.clone());
                }
                resources.insert(path, kept.unwrap_or_else(|| Arc::new(made)));
            }
        }
        let listed_done = started.elapsed();
        let mut dates = dates;
        for path in &fresh {
            if let Some(record) = resources.get(path).and_then(|r| r.record())
                && dates.get(path) != Some(&record)
            {
                dates.insert(path.clone(), record);
            }
        }
        let versions = previous
            .map(|p| remembered_versions(p, &resources, &subscriptions, &fresh))
            .unwrap_or_default();
        tracing::debug!(
            feeds_ms = prepared.as_millis() as u64,
            items_ms = (items_done - prepared).as_millis() as u64,
            documents_ms = (docs_done - items_done).as_millis() as u64,
            listing_ms = (listed_done - docs_done).as_millis() as u64,
            versions_ms = (started.elapsed() - listed_done).as_millis() as u64,
            feeds_rendered = touched.len(),
            "snapshot built"
        );
        drop(touched);
        Snapshot {
            config,
            corpus,
            feeds,
            resources,
            items,
            listing,
            subscriptions,
            versions,
            fresh,
            dates,
            cache: Mutex::new(ArchiveCache::default()),
            loaded_at,
        }
    }

    /// The resource at `path` (relative to the feed tree), rendering an archive page if need be.
    pub fn get(&self, path: &str) -> Option<Arc<Resource>> {
        if let Some(resource) = self.resources.get(path) {
            return Some(Arc::clone(resource));
        }
        // `archive/<feed stem>/<number>.<format>`
        let rest = path.strip_prefix("archive/")?;
        let (stem, page) = rest.rsplit_once('/')?;
        let (number, extension) = page.split_once('.')?;
        let (feed, format) = self.subscriptions.get(&format!("{stem}.{extension}"))?;
        if number.starts_with('0') || !number.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let number: usize = number.parse().ok()?;
        let page = feeds::archive::page(feed.posts.len(), self.config.feed_limit, number)?;
        Some(self.cached(path, || {
            let doc = feeds::archive_page(&self.config, feed, *format, page);
            Resource::from_pieces(&self.config, doc).undated()
        }))
    }

    /// The feed at `path` (a subscription document's path) holding only the posts published
    /// or updated after `since`, newest first, at most [`SINCE_MAX_ITEMS`] of them: what a
    /// newsletter tool asks for with `?since=`. Rendered when first asked for, then kept
    /// with the archive pages, within their byte budget. `None` for a path that is not a
    /// feed's subscription document.
    pub fn since(&self, path: &str, since: DateTime<FixedOffset>) -> Option<Arc<Resource>> {
        let (feed, format) = self.subscriptions.get(path)?;
        let (feed, format) = (feed.as_ref(), *format);
        let stamp = since.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
        let key = format!("{path}?since={stamp}");
        Some(self.cached(&key, || {
            let shown: Vec<Arc<Post>> = feed
                .posts
                .iter()
                .filter(|p| p.updated.unwrap_or(p.date).max(p.date) > since)
                .take(SINCE_MAX_ITEMS)
                .cloned()
                .collect();
            let mut view = View::new(&self.config, feed, format, None, true);
            let query: String = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("since", &stamp)
                .finish();
            view.self_url = format!("{}?{query}", view.self_url);
            let lookup = |post: &Arc<Post>| {
                Some(
                    self.items
                        .get(&feeds::address(post))
                        .cloned()
                        .unwrap_or_else(|| Arc::new(feeds::item::render(&self.config, post))),
                )
            };
            let plan = Plan::with_posts(&lookup, feed, view, &shown);
            let self_url = plan.self_url().to_string();
            Resource::from_pieces(&self.config, plan.pieces())
                .at(&self.config, self_url)
                .undated()
        }))
    }

    /// What changed in the subscription document at `path` since the version whose ETag (in
    /// any coding) is one of `held`: the same feed holding only the items that version did
    /// not show as they are now (new posts, edited ones). `None` when no remembered version
    /// matches (the client then gets the whole document) or `path` is no subscription
    /// document.
    pub fn delta(&self, path: &str, held: &[String]) -> Option<Arc<Resource>> {
        let (feed, format) = self.subscriptions.get(path)?;
        let (feed, format) = (feed.as_ref(), *format);
        let version = self
            .versions
            .get(path)?
            .iter()
            .rev()
            .find(|v| v.etags.iter().any(|e| held.contains(e)))?;
        // Every poller holding this version gets the same delta: made once per snapshot.
        let key = format!("{path}#delta-from-{}", version.etags[0]);
        Some(self.cached(&key, || {
            let known: std::collections::HashSet<*const feeds::Item> =
                version.items.iter().map(Arc::as_ptr).collect();
            let view = View::new(&self.config, feed, format, None, true);
            let lookup = |post: &Arc<Post>| self.items.get(&feeds::address(post)).cloned();
            let shown: Vec<Arc<Post>> = view
                .posts(feed)
                .iter()
                .filter(|p| {
                    lookup(p).is_some_and(|items| !known.contains(&Arc::as_ptr(items.get(format))))
                })
                .cloned()
                .collect();
            let plan = Plan::with_posts(&lookup, feed, view, &shown);
            Resource::from_pieces(&self.config, plan.pieces()).undated()
        }))
    }

    /// The resource kept under `key` in the on-request cache, or `make`'s, kept there if it
    /// fits the byte budget (the oldest pages leaving first).
    fn cached(&self, key: &str, make: impl FnOnce() -> Resource) -> Arc<Resource> {
        if let Ok(cache) = self.cache.lock() {
            if let Some(resource) = cache.pages.get(key) {
                return Arc::clone(resource);
            }
        }
        let resource = Arc::new(make());
        if let Ok(mut cache) = self.cache.lock() {
            let budget = self.config.server.archive_cache_bytes;
            if resource.size() <= budget && !cache.pages.contains_key(key) {
                cache.bytes += resource.size();
                cache.pages.insert(key.to_string(), Arc::clone(&resource));
                cache.order.push_back(key.to_string());
                while cache.bytes > budget {
                    let Some(oldest) = cache.order.pop_front() else {
                        break;
                    };
                    if let Some(gone) = cache.pages.remove(&oldest) {
                        cache.bytes = cache.bytes.saturating_sub(gone.size());
                    }
                }
            }
        }
        resource
    }

    /// Makes the gzip form of every document, on every core; meant to run in the
    /// background once the snapshot is being served. It runs in a thread pool of its own:
    /// in the shared one, a rebuild arriving meanwhile (an edit just after startup) would
    /// queue behind minutes of compression instead of sharing the cores with it.
    pub fn precompress(&self) {
        let fresh: Vec<&Arc<Resource>> = self
            .fresh
            .iter()
            .filter_map(|path| self.resources.get(path))
            .collect();
        // gzip only: it is what clients get when they accept both (`http::encoding`); a
        // document's brotli form is made when first asked for.
        let work = || {
            compress::precompress_gzip(fresh.iter().flat_map(|r| &r.parts));
            fresh.par_iter().for_each(|resource| {
                resource.body(Coding::Gzip);
            });
        };
        match background_pool() {
            Some(pool) => pool.install(work),
            None => work(),
        }
    }

    /// The public addresses of the subscription documents whose bytes differ from
    /// `previous`'s (or that `previous` did not have), sorted: the WebSub topics to announce.
    /// `previous` is the snapshot this one was built from (only what it rendered is looked at).
    pub fn changed_topics(&self, previous: &Snapshot) -> Vec<String> {
        let mut topics: Vec<String> = self
            .fresh
            .iter()
            .filter(|path| self.subscriptions.contains_key(*path))
            .filter_map(|path| {
                let now = self.resources.get(path)?;
                let changed = previous
                    .resources
                    .get(path)
                    .is_none_or(|before| before.etags[0] != now.etags[0]);
                changed.then(|| now.self_url.clone())
            })
            .collect();
        topics.sort();
        topics
    }

    /// The paths of the documents it serves as they are (archive pages aside), sorted.
    pub fn paths(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = self.resources.keys().map(String::as_str).collect();
        paths.sort_unstable();
        paths
    }

    /// When each document's bytes were first published: the records to keep in the
    /// last-modified file.
    pub fn dates(&self) -> &Dates {
        &self.dates
    }

    /// The configuration it was built with.
    pub fn config(&self) -> &Arc<Config> {
        &self.config
    }

    /// How many posts the corpus has.
    pub fn posts(&self) -> usize {
        self.corpus.posts.len()
    }

    /// How many feeds (each in three formats).
    pub fn feeds(&self) -> usize {
        self.feeds.len()
    }

    /// Files the loader left out, and why.
    pub fn errors(&self) -> &imbl::Vector<Diagnostic> {
        &self.corpus.errors
    }

    /// The corpus this snapshot was built from.
    pub fn corpus(&self) -> &Arc<Corpus> {
        &self.corpus
    }
}

/// The versions `previous` remembered, plus, for each subscription document rendered again
/// with other bytes, the version `previous` served, within [`DELTA_VERSIONS`] each. Feeds
/// that are gone are forgotten.
fn remembered_versions(
    previous: &Snapshot,
    resources: &imbl::HashMap<String, Arc<Resource>>,
    subscriptions: &imbl::HashMap<String, (Arc<FeedDef>, Format)>,
    fresh: &[String],
) -> imbl::HashMap<String, Arc<VecDeque<Version>>> {
    let mut versions = previous.versions.clone();
    if versions.len() > subscriptions.len() {
        versions.retain(|path, _| subscriptions.contains_key(path));
    }
    for path in fresh {
        let (Some(old), Some(new)) = (previous.resources.get(path), resources.get(path)) else {
            continue;
        };
        if old.etags[0] == new.etags[0] || !subscriptions.contains_key(path) {
            continue;
        }
        let Some(recipe) = &old.recipe else {
            continue;
        };
        let mut history = versions.get(path).cloned().unwrap_or_default();
        let list = Arc::make_mut(&mut history);
        list.push_back(Version {
            etags: old.etags.clone(),
            items: recipe.items().to_vec(),
        });
        while list.len() > DELTA_VERSIONS {
            list.pop_front();
        }
        versions.insert(path.clone(), history);
    }
    versions
}

/// `t` in whole seconds since the epoch (before it, negative).
fn seconds(t: SystemTime) -> i64 {
    match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

/// The time `s` seconds after the epoch (before it when negative).
fn from_seconds(s: i64) -> Option<SystemTime> {
    let span = std::time::Duration::from_secs(s.unsigned_abs());
    if s >= 0 {
        std::time::UNIX_EPOCH.checked_add(span)
    } else {
        std::time::UNIX_EPOCH.checked_sub(span)
    }
}

/// How many bytes `list` holds.
fn total(list: &[Bytes]) -> usize {
    list.iter().map(Bytes::len).sum()
}

/// `Link: <self>; rel="self"`, with `<hub>; rel="hub"` where a WebSub hub is configured.
fn link_header(config: &Config, self_url: &str) -> Option<HeaderValue> {
    let mut value = format!("<{self_url}>; rel=\"self\"");
    if let Some(websub) = &config.websub {
        value.push_str(&format!(", <{}>; rel=\"hub\"", websub.hub));
    }
    HeaderValue::from_str(&value).ok()
}

/// The thread pool background compression runs in, apart from the one rebuilds use; `None`
/// if the system would not start its threads (then the shared pool does the work).
fn background_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::LazyLock<Option<rayon::ThreadPool>> = std::sync::LazyLock::new(|| {
        rayon::ThreadPoolBuilder::new()
            .thread_name(|n| format!("syndic-compress-{n}"))
            .build()
            .ok()
    });
    POOL.as_ref()
}
