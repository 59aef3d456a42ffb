//! RENDER: posts -> feed documents.
//!
//! Owns which feeds exist (site-wide, per language, per person across and within languages),
//! what each holds (newest first, the permalink breaking ties), their archive pages in the
//! manner of RFC 5005, and their rendering as RSS 2.0, Atom 1.0 and JSON Feed 1.1, plus the OPML
//! list, the index page and the XSLT stylesheet that shows RSS and Atom documents to people.
//! Pure: corpus and config in, bytes out; no clock, no disk. Each post is rendered once per
//! format, whatever the number of feeds that hold it.

pub mod archive;
pub mod atom;
pub mod item;
pub mod json;
pub mod opml;
pub mod page;
pub mod rss;
pub mod stylesheet;
mod words;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use sha2::{Digest, Sha256};

use crate::compress::{self, Piece};
use crate::config::Config;
use crate::corpus::{Corpus, Post};
pub use archive::Page;
pub use item::Items;

/// A feed format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    Rss,
    Atom,
    Json,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Rss, Format::Atom, Format::Json];

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Rss => "rss",
            Format::Atom => "atom",
            Format::Json => "json",
        }
    }

    /// The media type, with its charset.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Rss => "application/rss+xml; charset=utf-8",
            Format::Atom => "application/atom+xml; charset=utf-8",
            Format::Json => "application/feed+json; charset=utf-8",
        }
    }

    /// A name for people.
    pub fn label(self) -> &'static str {
        match self {
            Format::Rss => "RSS",
            Format::Atom => "Atom",
            Format::Json => "JSON Feed",
        }
    }
}

/// What a feed gathers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Every post, every language.
    All,
    /// One language.
    Lang(String),
    /// One person, every language they wrote in.
    Author { slug: String, name: String },
    /// One person, one language.
    LangAuthor {
        lang: String,
        slug: String,
        name: String,
    },
}

/// One feed, in every format: what it is and which posts it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedDef {
    pub scope: Scope,
    /// The path without extension: `all`, `en`, `authors/jane-doe`, `en/authors/jane-doe`.
    pub stem: String,
    /// The language of the feed, where it has one.
    pub lang: Option<String>,
    pub title: String,
    pub description: String,
    /// The site the feed belongs to.
    pub home_url: String,
    /// Indices into the corpus's posts, newest first.
    pub posts: Vec<usize>,
}

impl FeedDef {
    /// The subscription document's path in `format`.
    pub fn path(&self, format: Format) -> String {
        format!("{}.{}", self.stem, format.extension())
    }

    /// Feeds into `hasher` what the feed is called and where (not which posts it holds).
    fn hash_names(&self, hasher: &mut impl std::hash::Hasher) {
        use std::hash::Hash;
        (
            &self.scope,
            &self.stem,
            &self.lang,
            &self.title,
            &self.description,
            &self.home_url,
        )
            .hash(hasher);
    }

    /// The path of archive page `number` (1 = the oldest) in `format`.
    pub fn archive_path(&self, number: usize, format: Format) -> String {
        format!("archive/{}/{number}.{}", self.stem, format.extension())
    }
}

/// One file of the feed tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Relative to the feed tree's root, `/`-separated.
    pub path: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
    /// The pieces `bytes` was joined from (its head, the shared items, its tail), each
    /// compressed once whatever the number of documents holding it; empty where the document
    /// was made whole.
    pub parts: Vec<Arc<Piece>>,
    /// The newest date among what the document shows, for `Last-Modified`.
    pub last_modified: Option<DateTime<FixedOffset>>,
    /// A full archive page: its bytes never change.
    pub immutable: bool,
    /// How many feed items it holds.
    pub items: usize,
}

impl Document {
    /// A document made whole, not joined from pieces, and dated by nothing it shows (the
    /// OPML list, the index page).
    pub fn whole(path: &str, content_type: &'static str, bytes: Vec<u8>) -> Document {
        Document {
            path: path.to_string(),
            content_type,
            bytes,
            parts: Vec::new(),
            last_modified: None,
            immutable: false,
            items: 0,
        }
    }

    /// The gzip form, joined from the parts' own where there are parts.
    pub fn gzip(&self) -> Vec<u8> {
        compress::gzip_document(&self.bytes, &self.parts)
    }

    /// The brotli form, joined from the parts' own where there are parts.
    pub fn brotli(&self) -> Vec<u8> {
        compress::brotli_document(&self.bytes, &self.parts)
    }

    /// A SHA-256 that changes whenever the bytes do, from the parts' own digests where there
    /// are parts (so an item is hashed once, not once per document).
    pub fn digest(&self) -> [u8; 32] {
        if self.parts.is_empty() {
            Sha256::digest(&self.bytes).into()
        } else {
            compress::digest_pieces(&self.parts)
        }
    }
}

/// A document's parts: its own head, the shared `items` (with `separator` between two), its
/// own tail and a final newline.
fn splice(
    head: &str,
    items: &[Arc<Piece>],
    separator: Option<&Arc<Piece>>,
    tail: &str,
) -> Vec<Arc<Piece>> {
    let mut parts = Vec::with_capacity(items.len() * 2 + 2);
    parts.push(Arc::new(Piece::new(head)));
    for (n, item) in items.iter().enumerate() {
        if let (Some(separator), true) = (separator, n > 0) {
            parts.push(separator.clone());
        }
        parts.push(item.clone());
    }
    parts.push(shared_tail(tail));
    parts
}

/// The piece for a document's `tail` and final newline. Tails are the same for every document
/// of a format (`</channel></rss>`), so they are shared, and compressed once each.
fn shared_tail(tail: &str) -> Arc<Piece> {
    static TAILS: std::sync::Mutex<Vec<Arc<Piece>>> = std::sync::Mutex::new(Vec::new());
    let text = format!("{tail}\n");
    let Ok(mut tails) = TAILS.lock() else {
        return Arc::new(Piece::new(text));
    };
    if let Some(known) = tails.iter().find(|p| p.bytes() == text.as_bytes()) {
        return known.clone();
    }
    let piece = Arc::new(Piece::new(text));
    // A handful in practice; bounded all the same.
    if tails.len() < 16 {
        tails.push(piece.clone());
    }
    piece
}

/// Which feeds exist for `corpus`, in a stable order: `all`, each language, each person, each
/// person in each language they wrote in.
pub fn prepare(config: &Config, corpus: &Corpus) -> Vec<FeedDef> {
    let mut feeds = Vec::new();
    let every: Vec<usize> = (0..corpus.posts.len()).collect();
    let first = &config.languages[0];
    let site_title = words::joined(config.languages.iter().map(|l| l.title.as_str()));
    feeds.push(FeedDef {
        scope: Scope::All,
        stem: "all".to_string(),
        lang: None,
        title: site_title.clone(),
        description: words::joined(
            config
                .languages
                .iter()
                .map(|l| l.description.as_str())
                .filter(|d| !d.is_empty()),
        ),
        home_url: first.base_url.to_string(),
        posts: every,
    });
    for lang in &config.languages {
        feeds.push(FeedDef {
            scope: Scope::Lang(lang.code.clone()),
            stem: lang.code.clone(),
            lang: Some(lang.code.clone()),
            title: lang.title.clone(),
            description: lang.description.clone(),
            home_url: lang.base_url.to_string(),
            posts: indices(corpus, |p| p.lang == lang.code),
        });
    }
    // One pass over the posts: each person's posts, newest first.
    let mut by_person: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, post) in corpus.posts.iter().enumerate() {
        for person in &post.authors {
            by_person.entry(person.slug.as_str()).or_default().push(i);
        }
    }
    for author in corpus.authors() {
        let theirs = by_person
            .get(author.slug.as_str())
            .cloned()
            .unwrap_or_default();
        feeds.push(FeedDef {
            scope: Scope::Author {
                slug: author.slug.clone(),
                name: author.name.clone(),
            },
            stem: format!("authors/{}", author.slug),
            lang: None,
            title: format!("{site_title}: {}", author.name),
            description: words::joined(
                config
                    .languages
                    .iter()
                    .filter(|l| author.langs.contains(&l.code))
                    .map(|l| words::posts_by(&l.code, &author.name)),
            ),
            home_url: first.base_url.to_string(),
            posts: theirs.clone(),
        });
        for lang in config
            .languages
            .iter()
            .filter(|l| author.langs.contains(&l.code))
        {
            feeds.push(FeedDef {
                scope: Scope::LangAuthor {
                    lang: lang.code.clone(),
                    slug: author.slug.clone(),
                    name: author.name.clone(),
                },
                stem: format!("{}/authors/{}", lang.code, author.slug),
                lang: Some(lang.code.clone()),
                title: format!("{}: {}", lang.title, author.name),
                description: words::posts_by(&lang.code, &author.name),
                home_url: lang.base_url.to_string(),
                posts: theirs
                    .iter()
                    .copied()
                    .filter(|&i| corpus.posts[i].lang == lang.code)
                    .collect(),
            });
        }
    }
    feeds
}

fn indices(corpus: &Corpus, keep: impl Fn(&Post) -> bool) -> Vec<usize> {
    corpus
        .posts
        .iter()
        .enumerate()
        .filter(|(_, p)| keep(p))
        .map(|(i, _)| i)
        .collect()
}

/// What to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderOptions {
    /// Archive pages too, not only subscription documents.
    pub archives: bool,
    /// Subscription documents link to archive pages even where these are not rendered here
    /// (a server renders them when asked).
    pub link_archives: bool,
}

/// Everything the feed tree holds, rendered: every feed in every format (with its archive
/// pages if asked), the OPML list, the index page and the stylesheet. Posts are rendered once
/// per format, in parallel, and only those some document shows.
pub fn render(
    config: &Config,
    corpus: &Corpus,
    feeds: &[FeedDef],
    options: RenderOptions,
) -> Vec<Document> {
    let mut all = Vec::new();
    let done: Result<(), std::convert::Infallible> =
        render_in_batches(config, corpus, feeds, options, usize::MAX, |mut docs| {
            all.append(&mut docs);
            Ok(())
        });
    match done {
        Ok(()) => all,
        Err(never) => match never {},
    }
}

/// Like [`render`], handing the documents to `sink` in batches of at most `batch` as they are
/// made, so that a tree larger than memory (archives of a large corpus) can be written as it
/// is rendered. Stops at the first error `sink` returns.
pub fn render_in_batches<E>(
    config: &Config,
    corpus: &Corpus,
    feeds: &[FeedDef],
    options: RenderOptions,
    batch: usize,
    mut sink: impl FnMut(Vec<Document>) -> Result<(), E>,
) -> Result<(), E> {
    let limit = config.feed_limit;
    let needed = shown_posts(corpus, feeds, limit, options.archives);
    let items: Vec<Option<Arc<Items>>> = corpus
        .posts
        .par_iter()
        .zip(needed.par_iter())
        .map(|(post, &needed)| needed.then(|| Arc::new(item::render(config, post))))
        .collect();

    let mut jobs: Vec<(&FeedDef, Format, Option<Page>)> = Vec::new();
    for feed in feeds {
        for format in Format::ALL {
            jobs.push((feed, format, None));
            if options.archives {
                for page in archive::pages(feed.posts.len(), limit) {
                    jobs.push((feed, format, Some(page)));
                }
            }
        }
    }
    let linked = options.archives || options.link_archives;
    for chunk in jobs.chunks(batch.max(1)) {
        let documents: Vec<Document> = chunk
            .par_iter()
            .map(|&(feed, format, page)| {
                let view = archive::View::new(config, feed, format, page, linked);
                document(corpus, &|i| items.get(i).cloned().flatten(), feed, &view)
            })
            .collect();
        sink(documents)?;
    }
    sink(vec![
        opml::opml(config, feeds),
        page::index_html(config, feeds),
        stylesheet::stylesheet(),
    ])
}

/// Which posts some document shows, by index into the corpus: those in the subscription
/// documents (the newest `limit` of each feed), or every post of a feed with `archives`.
pub fn shown_posts(corpus: &Corpus, feeds: &[FeedDef], limit: usize, archives: bool) -> Vec<bool> {
    let mut needed = vec![false; corpus.posts.len()];
    for feed in feeds {
        let shown: &[usize] = if archives {
            &feed.posts
        } else {
            &feed.posts[..feed.posts.len().min(limit)]
        };
        for &i in shown {
            if let Some(slot) = needed.get_mut(i) {
                *slot = true;
            }
        }
    }
    needed
}

/// A hash of what the OPML list and the index page are written from: every feed's path,
/// names and language. Equal hashes (with the same configuration), equal documents.
pub fn listing_key(feeds: &[FeedDef]) -> u64 {
    use std::hash::Hasher;
    let mut hasher = std::hash::DefaultHasher::new();
    for feed in feeds {
        feed.hash_names(&mut hasher);
    }
    hasher.finish()
}

/// One archive page of `feed`, rendering the posts it shows (for a server that renders
/// archive pages when first asked for them).
pub fn archive_page(
    config: &Config,
    corpus: &Corpus,
    feed: &FeedDef,
    format: Format,
    page: Page,
) -> Document {
    let view = archive::View::new(config, feed, format, Some(page), true);
    let render = |i: usize| {
        corpus
            .posts
            .get(i)
            .map(|p| Arc::new(item::render(config, p)))
    };
    document(corpus, &render, feed, &view)
}

/// One document of `feed`: its subscription document or one archive page, as `view` says.
pub fn document(
    corpus: &Corpus,
    items: &(dyn Fn(usize) -> Option<Arc<Items>> + Sync),
    feed: &FeedDef,
    view: &archive::View,
) -> Document {
    Plan::new(corpus, items, feed, view.clone()).render()
}

/// A document before it is written: its feed and view, the item pieces it shows and its date.
/// Enough to tell, without writing it, whether it would come out as an earlier one did.
pub struct Plan<'a> {
    feed: &'a FeedDef,
    view: archive::View,
    items: Vec<Arc<Piece>>,
    last_modified: Option<DateTime<FixedOffset>>,
}

impl<'a> Plan<'a> {
    pub fn new(
        corpus: &Corpus,
        items: &(dyn Fn(usize) -> Option<Arc<Items>> + Sync),
        feed: &'a FeedDef,
        view: archive::View,
    ) -> Plan<'a> {
        let shown = view.posts(feed);
        Plan::with_posts(corpus, items, feed, view, &shown)
    }

    /// Like [`Plan::new`], showing `shown` (indices into the corpus, newest first) instead of
    /// what the view would.
    pub fn with_posts(
        corpus: &Corpus,
        items: &(dyn Fn(usize) -> Option<Arc<Items>> + Sync),
        feed: &'a FeedDef,
        view: archive::View,
        shown: &[usize],
    ) -> Plan<'a> {
        let format = view.format;
        let pieces: Vec<Arc<Piece>> = shown
            .iter()
            .filter_map(|&i| items(i))
            .map(|set| set.get(format).clone())
            .collect();
        let date = |i: usize| {
            corpus
                .posts
                .get(i)
                .map(|p| p.updated.unwrap_or(p.date).max(p.date))
        };
        let last_modified = shown
            .iter()
            .filter_map(|&i| date(i))
            .max()
            .or_else(|| feed.posts.first().and_then(|&i| date(i)));
        Plan {
            feed,
            view,
            items: pieces,
            last_modified,
        }
    }

    /// The document's path in the tree.
    pub fn path(&self) -> &str {
        &self.view.path
    }

    /// The document's own public address.
    pub fn self_url(&self) -> &str {
        &self.view.self_url
    }

    /// What the document is made of: a hash of everything its head and tail are written from
    /// (the feed's names and links, the view, the date), and the item pieces it shows. Two
    /// plans with the same recipe give the same bytes.
    pub fn recipe(&self) -> Recipe {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::hash::DefaultHasher::new();
        self.feed.hash_names(&mut hasher);
        self.view.hash(&mut hasher);
        self.last_modified.hash(&mut hasher);
        Recipe {
            head: hasher.finish(),
            items: self.items.clone(),
        }
    }

    /// Writes the document.
    pub fn render(self) -> Document {
        let format = self.view.format;
        let head = archive::Head {
            feed: self.feed,
            view: &self.view,
            updated: self.last_modified,
            generator: concat!("syndic ", env!("CARGO_PKG_VERSION")),
        };
        let parts = match format {
            Format::Rss => rss::document(&head, &self.items),
            Format::Atom => atom::document(&head, &self.items),
            Format::Json => json::document(&head, &self.items),
        };
        let size = parts.iter().map(|p| p.len()).sum();
        let mut bytes = Vec::with_capacity(size);
        for part in &parts {
            bytes.extend_from_slice(part.bytes());
        }
        Document {
            path: self.view.path.clone(),
            content_type: format.content_type(),
            bytes,
            parts,
            last_modified: self.last_modified,
            immutable: self.view.immutable,
            items: self.items.len(),
        }
    }
}

/// What a document is written from; see [`Plan::recipe`].
#[derive(Debug, Clone)]
pub struct Recipe {
    head: u64,
    items: Vec<Arc<Piece>>,
}

impl Recipe {
    /// The item pieces the document shows, in order.
    pub fn items(&self) -> &[Arc<Piece>] {
        &self.items
    }

    /// Whether both give the same bytes: the same head inputs and the very same item pieces
    /// (a piece is never changed once made, so the same piece is the same bytes).
    pub fn same(&self, other: &Recipe) -> bool {
        self.head == other.head
            && self.items.len() == other.items.len()
            && self
                .items
                .iter()
                .zip(&other.items)
                .all(|(a, b)| Arc::ptr_eq(a, b))
    }
}
