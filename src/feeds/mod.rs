//! RENDER: posts -> feed documents.
//!
//! Owns which feeds exist (site-wide, per language, per person and per tag or category across
//! and within languages),
//! what each holds (newest first, the permalink breaking ties), their archive pages in the
//! manner of RFC 5005, and their rendering as RSS 2.0, Atom 1.0 and JSON Feed 1.1, plus the OPML
//! list, the index page and the XSLT stylesheet that shows RSS and Atom documents to people.
//! Pure: corpus and config in, bytes out; no clock, no disk. Each post is rendered once per
//! format, whatever the number of feeds that hold it.

pub mod archive;
pub mod atom;
mod document;
pub mod item;
pub mod json;
pub mod opml;
pub mod page;
pub mod rss;
pub mod stylesheet;
mod words;
pub mod xml;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::corpus::post::BodyError;
use crate::corpus::{Corpus, Post, Taxonomy};
pub use archive::Page;
use document::splice;
pub use document::{Document, ItemsOf, Pieces, Plan, Recipe};
pub use item::{Item, Items};

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
    /// One person, every language they wrote in; `url` is their own page, where the site's
    /// file of people gives one.
    Author {
        slug: String,
        name: String,
        url: Option<String>,
    },
    /// One person, one language.
    LangAuthor {
        lang: String,
        slug: String,
        name: String,
        url: Option<String>,
    },
    /// One tag or category, every language it is used in.
    Term {
        taxonomy: Taxonomy,
        slug: String,
        name: String,
    },
    /// One tag or category, one language.
    LangTerm {
        taxonomy: Taxonomy,
        lang: String,
        slug: String,
        name: String,
    },
}

/// The feeds made together: one person's, or one term's (across languages first, then in
/// each language). Ordered as [`prepare`] lists them: people, then tags, then categories,
/// each by slug.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group<'a> {
    Person(&'a str),
    Term(Taxonomy, &'a str),
}

impl Group<'_> {
    /// Whether `post` belongs in this group's feeds.
    fn holds(&self, post: &Post) -> bool {
        match *self {
            Group::Person(slug) => post.authors.iter().any(|a| a.slug == slug),
            Group::Term(taxonomy, slug) => post.has_term(taxonomy, slug),
        }
    }

    /// The group's feeds, from its posts (newest first).
    fn feeds(&self, config: &Config, theirs: Vec<Arc<Post>>) -> Vec<Arc<FeedDef>> {
        match *self {
            Group::Person(slug) => person_feeds(config, slug, theirs),
            Group::Term(taxonomy, slug) => term_feeds(config, taxonomy, slug, theirs),
        }
    }
}

impl Scope {
    /// The group the feed is made with; `None` for `all` and the languages.
    pub fn group(&self) -> Option<Group<'_>> {
        match self {
            Scope::All | Scope::Lang(_) => None,
            Scope::Author { slug, .. } | Scope::LangAuthor { slug, .. } => {
                Some(Group::Person(slug))
            }
            Scope::Term { taxonomy, slug, .. } | Scope::LangTerm { taxonomy, slug, .. } => {
                Some(Group::Term(*taxonomy, slug))
            }
        }
    }
}

/// One feed, in every format: what it is and which posts it holds.
#[derive(Debug, Clone, PartialEq)]
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
    /// Its posts, newest first (the corpus order), shared with the corpus. Persistent: a
    /// reload patches a copy in place of rebuilding it.
    pub posts: imbl::Vector<Arc<Post>>,
}

impl FeedDef {
    /// The subscription document's path in `format`.
    pub fn path(&self, format: Format) -> String {
        format!("{}.{}", self.stem, format.extension())
    }

    /// What the feed is called and where (not which posts it holds).
    #[allow(clippy::type_complexity)]
    fn names(&self) -> (&Scope, &str, Option<&str>, &str, &str, &str) {
        (
            &self.scope,
            &self.stem,
            self.lang.as_deref(),
            &self.title,
            &self.description,
            &self.home_url,
        )
    }

    /// Feeds into `hasher` what the feed is called and where (not which posts it holds).
    fn hash_names(&self, hasher: &mut impl std::hash::Hasher) {
        use std::hash::Hash;
        self.names().hash(hasher);
    }

    /// The same feed holding `posts`.
    fn with_posts(&self, posts: imbl::Vector<Arc<Post>>) -> Arc<FeedDef> {
        Arc::new(FeedDef {
            scope: self.scope.clone(),
            stem: self.stem.clone(),
            lang: self.lang.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            home_url: self.home_url.clone(),
            posts,
        })
    }

    /// Whether both are called the same and sit at the same place (whatever posts they hold).
    fn same_names(&self, other: &FeedDef) -> bool {
        self.names() == other.names()
    }

    /// The path of archive page `number` (1 = the oldest) in `format`.
    pub fn archive_path(&self, number: usize, format: Format) -> String {
        format!("archive/{}/{number}.{}", self.stem, format.extension())
    }
}

/// Which feeds exist for `corpus`, in a stable order: `all`, each language, then each group
/// ([`Group`]: each person, each tag, each category) across languages and in each language
/// it has posts in.
pub fn prepare(config: &Config, corpus: &Corpus) -> Vec<Arc<FeedDef>> {
    let mut feeds = site_feeds(config, &corpus.posts);
    // One pass over the posts: each group's posts, newest first.
    let mut groups: BTreeMap<Group<'_>, Vec<Arc<Post>>> = BTreeMap::new();
    for post in &corpus.posts {
        for group in groups_of(post) {
            groups.entry(group).or_default().push(post.clone());
        }
    }
    for (group, theirs) in groups {
        feeds.extend(group.feeds(config, theirs));
    }
    feeds
}

/// The groups `post` is in: its people, its tags, its categories.
fn groups_of(post: &Post) -> impl Iterator<Item = Group<'_>> {
    let people = post.authors.iter().map(|a| Group::Person(&a.slug));
    let terms = Taxonomy::ALL.into_iter().flat_map(move |taxonomy| {
        post.terms(taxonomy)
            .iter()
            .map(move |t| Group::Term(taxonomy, &t.slug))
    });
    people.chain(terms)
}

/// The site's language when it has one alone: then the feeds across languages are in that
/// language, and no feed is made per language, as it would hold the same posts.
pub fn one_language(config: &Config) -> Option<&crate::config::Language> {
    match config.languages.as_slice() {
        [only] => Some(only),
        _ => None,
    }
}

/// The languages a feed per language is made for: every one configured, none for a site in
/// one language ([`one_language`]).
fn each_language(config: &Config) -> &[crate::config::Language] {
    if one_language(config).is_some() {
        &[]
    } else {
        &config.languages
    }
}

/// `all` and each language's feed, over `posts` (newest first).
fn site_feeds(config: &Config, posts: &[Arc<Post>]) -> Vec<Arc<FeedDef>> {
    let mut feeds = Vec::with_capacity(config.languages.len() + 1);
    let first = &config.languages[0];
    feeds.push(Arc::new(FeedDef {
        scope: Scope::All,
        stem: "all".to_string(),
        lang: one_language(config).map(|l| l.code.clone()),
        title: site_title(config),
        description: words::joined(
            config
                .languages
                .iter()
                .map(|l| l.description.as_str())
                .filter(|d| !d.is_empty()),
        ),
        home_url: first.base_url.to_string(),
        posts: posts.iter().cloned().collect(),
    }));
    for lang in each_language(config) {
        feeds.push(Arc::new(FeedDef {
            scope: Scope::Lang(lang.code.clone()),
            stem: lang.code.clone(),
            lang: Some(lang.code.clone()),
            title: lang.title.clone(),
            description: lang.description.clone(),
            home_url: lang.base_url.to_string(),
            posts: posts
                .iter()
                .filter(|p| p.lang == lang.code)
                .cloned()
                .collect(),
        }));
    }
    feeds
}

fn site_title(config: &Config) -> String {
    words::joined(config.languages.iter().map(|l| l.title.as_str()))
}

/// One person's feeds: across languages, then in each language they wrote in, from their posts
/// (newest first), named as [`crate::corpus::Author::from_posts`] says.
fn person_feeds(config: &Config, slug: &str, theirs: Vec<Arc<Post>>) -> Vec<Arc<FeedDef>> {
    let author = crate::corpus::Author::from_posts(slug, &theirs);
    let name = author.name;
    let url = author.url;
    let first = &config.languages[0];
    let written_in = |l: &&crate::config::Language| author.langs.contains(&l.code);
    let mut feeds = Vec::with_capacity(author.langs.len() + 1);
    for lang in each_language(config).iter().filter(written_in) {
        feeds.push(Arc::new(FeedDef {
            scope: Scope::LangAuthor {
                lang: lang.code.clone(),
                slug: slug.to_string(),
                name: name.clone(),
                url: url.clone(),
            },
            stem: format!("{}/authors/{slug}", lang.code),
            lang: Some(lang.code.clone()),
            title: format!("{}: {name}", lang.title),
            description: words::posts_by(&lang.code, &name),
            home_url: lang.base_url.to_string(),
            posts: theirs
                .iter()
                .filter(|p| p.lang == lang.code)
                .cloned()
                .collect(),
        }));
    }
    feeds.insert(
        0,
        Arc::new(FeedDef {
            scope: Scope::Author {
                slug: slug.to_string(),
                name: name.clone(),
                url,
            },
            stem: format!("authors/{slug}"),
            lang: one_language(config).map(|l| l.code.clone()),
            title: format!("{}: {name}", site_title(config)),
            description: words::joined(
                config
                    .languages
                    .iter()
                    .filter(written_in)
                    .map(|l| words::posts_by(&l.code, &name)),
            ),
            home_url: first.base_url.to_string(),
            posts: theirs.into_iter().collect(),
        }),
    );
    feeds
}

/// One tag's or category's feeds: across languages, then in each language it is used in, from
/// its posts (newest first). Named by the text most of its posts write it with (the first in
/// sort order among equals), in each language from that language's posts.
fn term_feeds(
    config: &Config,
    taxonomy: Taxonomy,
    slug: &str,
    theirs: Vec<Arc<Post>>,
) -> Vec<Arc<FeedDef>> {
    let folder = taxonomy.key();
    let first = &config.languages[0];
    let in_lang = |lang: &str| -> Vec<Arc<Post>> {
        theirs.iter().filter(|p| p.lang == lang).cloned().collect()
    };
    let mut langs = Vec::new();
    let mut feeds = Vec::with_capacity(config.languages.len() + 1);
    for lang in each_language(config) {
        let posts = in_lang(&lang.code);
        if posts.is_empty() {
            continue;
        }
        let name = term_name(taxonomy, slug, &posts);
        let words = words::posts_in(taxonomy, &lang.code, &name);
        feeds.push(Arc::new(FeedDef {
            scope: Scope::LangTerm {
                taxonomy,
                lang: lang.code.clone(),
                slug: slug.to_string(),
                name,
            },
            stem: format!("{}/{folder}/{slug}", lang.code),
            lang: Some(lang.code.clone()),
            title: format!("{}: {words}", lang.title),
            description: words.clone(),
            home_url: lang.base_url.to_string(),
            posts: posts.into_iter().collect(),
        }));
        langs.push(lang);
    }
    if let Some(only) = one_language(config) {
        langs.push(only);
    }
    let name = term_name(taxonomy, slug, &theirs);
    let words = words::joined(
        langs
            .iter()
            .map(|l| words::posts_in(taxonomy, &l.code, &name)),
    );
    feeds.insert(
        0,
        Arc::new(FeedDef {
            scope: Scope::Term {
                taxonomy,
                slug: slug.to_string(),
                name,
            },
            stem: format!("{folder}/{slug}"),
            lang: one_language(config).map(|l| l.code.clone()),
            title: format!("{}: {words}", site_title(config)),
            description: words,
            home_url: first.base_url.to_string(),
            posts: theirs.into_iter().collect(),
        }),
    );
    feeds
}

/// The text `posts` most often write the term `slug` with; among equals, the first in sort
/// order, so that the name depends on the posts alone.
fn term_name(taxonomy: Taxonomy, slug: &str, posts: &[Arc<Post>]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for post in posts {
        for term in post.terms(taxonomy).iter().filter(|t| t.slug == slug) {
            *counts.entry(term.name.as_str()).or_default() += 1;
        }
    }
    let most = counts.values().copied().max().unwrap_or_default();
    counts
        .into_iter()
        .find(|(_, n)| *n == most)
        .map_or_else(|| slug.to_string(), |(name, _)| name.to_string())
}

/// The posts one corpus has and the next has not, and the other way round.
#[derive(Debug, Default)]
pub struct Changes {
    pub gone: Vec<Arc<Post>>,
    pub added: Vec<Arc<Post>>,
}

impl Changes {
    /// What changed from `before` to `after` (both newest first): one walk comparing shared
    /// posts by address. `None` past `most` changes, when starting over costs less.
    pub fn between(before: &[Arc<Post>], after: &[Arc<Post>], most: usize) -> Option<Changes> {
        let mut changes = Changes::default();
        let (mut a, mut b) = (0, 0);
        while a < before.len() || b < after.len() {
            match (before.get(a), after.get(b)) {
                (Some(x), Some(y)) if Arc::ptr_eq(x, y) => {
                    a += 1;
                    b += 1;
                }
                (Some(x), Some(y)) => {
                    if x.permalink == y.permalink && x.date == y.date {
                        changes.gone.push(x.clone());
                        changes.added.push(y.clone());
                        a += 1;
                        b += 1;
                    } else if crate::corpus::newest_first(x, y).is_lt() {
                        changes.gone.push(x.clone());
                        a += 1;
                    } else {
                        changes.added.push(y.clone());
                        b += 1;
                    }
                }
                (Some(x), None) => {
                    changes.gone.push(x.clone());
                    a += 1;
                }
                (None, Some(y)) => {
                    changes.added.push(y.clone());
                    b += 1;
                }
                (None, None) => break,
            }
            if changes.gone.len() + changes.added.len() > most {
                return None;
            }
        }
        Some(changes)
    }
}

/// What [`update`] gives.
#[derive(Debug)]
pub struct Updated {
    /// Every feed, as [`prepare`] would list them.
    pub feeds: Vec<Arc<FeedDef>>,
    /// Indices into `feeds` of those made again (the others are the very ones given).
    pub touched: Vec<usize>,
    /// Feeds given that are no more (a person, tag or category with no post left, or no
    /// longer in a language).
    pub removed: Vec<Arc<FeedDef>>,
    /// Whether the list of feeds and their names stayed as they were (only which posts some
    /// hold changed): then the OPML list and the index page stay too.
    pub same_listing: bool,
}

/// `previous` (what [`prepare`] gave for the last corpus) brought up to `changes`: the feeds
/// holding a changed post are made again (each group, person, tag or category, that holds the
/// post before or after the change gets all its feeds made again); every other feed is taken over as it was. Equal to
/// [`prepare`] of the new corpus, for the work of the feeds touched.
pub fn update(config: &Config, previous: &[Arc<FeedDef>], changes: &Changes) -> Updated {
    // A few changes are patched in place, at O(log n) each: a feed of 100,000 posts is not
    // walked, nor its posts touched.
    let patch = |posts: &imbl::Vector<Arc<Post>>,
                 keep: &dyn Fn(&Post) -> bool|
     -> imbl::Vector<Arc<Post>> {
        let mut out = posts.clone();
        for post in changes.gone.iter().filter(|p| keep(p)) {
            if let Ok(at) = out.binary_search_by(|p| crate::corpus::newest_first(p, post))
                && out.get(at).is_some_and(|p| Arc::ptr_eq(p, post))
            {
                out.remove(at);
            }
        }
        for post in changes.added.iter().filter(|p| keep(p)) {
            let at = match out.binary_search_by(|p| crate::corpus::newest_first(p, post)) {
                Ok(at) | Err(at) => at,
            };
            out.insert(at, post.clone());
        }
        out
    };
    let touched_langs: BTreeSet<&str> = changes
        .gone
        .iter()
        .chain(&changes.added)
        .map(|p| p.lang.as_str())
        .collect();
    let touched_groups: BTreeSet<Group<'_>> = changes
        .gone
        .iter()
        .chain(&changes.added)
        .flat_map(|p| groups_of(p))
        .collect();

    let mut feeds = Vec::with_capacity(previous.len() + 4);
    let mut groups: BTreeMap<Group<'_>, Vec<Arc<FeedDef>>> = BTreeMap::new();
    for feed in previous {
        match &feed.scope {
            Scope::All => feeds.push(feed.with_posts(patch(&feed.posts, &|_| true))),
            Scope::Lang(lang) if touched_langs.contains(lang.as_str()) => {
                feeds.push(feed.with_posts(patch(&feed.posts, &|p| p.lang == *lang)));
            }
            Scope::Lang(_) => feeds.push(feed.clone()),
            scope => {
                if let Some(group) = scope.group() {
                    groups.entry(group).or_default().push(feed.clone());
                }
            }
        }
    }
    let mut removed = Vec::new();
    let mut same_listing = true;
    for group in &touched_groups {
        let before = groups.get(group).cloned().unwrap_or_default();
        // A group's first feed, across languages, holds all its posts.
        let theirs = before
            .first()
            .map(|feed| feed.posts.clone())
            .unwrap_or_default();
        let theirs = patch(&theirs, &|p| group.holds(p));
        let made = if theirs.is_empty() {
            Vec::new()
        } else {
            group.feeds(config, theirs.into_iter().collect())
        };
        same_listing &=
            made.len() == before.len() && made.iter().zip(&before).all(|(a, b)| a.same_names(b));
        removed.extend(
            before
                .iter()
                .filter(|old| !made.iter().any(|new| new.stem == old.stem))
                .cloned(),
        );
        groups.insert(*group, made);
    }
    let mut touched: Vec<usize> = (0..feeds.len())
        .filter(|&i| !Arc::ptr_eq(&feeds[i], &previous[i]))
        .collect();
    for (group, theirs) in groups {
        if touched_groups.contains(&group) {
            touched.extend(feeds.len()..feeds.len() + theirs.len());
        }
        feeds.extend(theirs);
    }
    Updated {
        feeds,
        touched,
        removed,
        same_listing,
    }
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
    feeds: &[Arc<FeedDef>],
    options: RenderOptions,
) -> Result<Vec<Document>, BodyError> {
    let mut all = Vec::new();
    render_in_batches(config, feeds, options, usize::MAX, |mut docs| {
        all.append(&mut docs);
        Ok::<(), BodyError>(())
    })?;
    Ok(all)
}

/// How many posts' items a build keeps at most between batches: about 50 KB each with their
/// compressed pieces, so some 400 MB. Subscription documents alone stay under it (7,866 at
/// 100,000 posts by 2,000 people); archive pages, where a post waits from its page of `all` to
/// its people's pages, would otherwise keep nearly every post's.
pub const MOST_ITEMS_ALIVE: usize = 8192;

/// Like [`render`], handing the documents to `sink` in batches of at most `batch` as they are
/// made, so that a tree larger than memory (archives of a large corpus) can be written as it
/// is rendered. Stops at the first error `sink` returns, or at the first post whose body was
/// left on disk and cannot be read as it was loaded.
///
/// Memory stays bounded by the batch, not the corpus: a post's items are rendered by the first
/// batch that shows it and dropped after the last one does (the documents handed to `sink` keep
/// what they hold), and documents come by the date of the posts they show, so that the items
/// of a post live from its page of `all` to its pages of its language and people, not across
/// the whole tree. Past
/// [`MOST_ITEMS_ALIVE`], the items needed furthest ahead are dropped and rendered again when
/// needed: the same bytes, for some CPU.
pub fn render_in_batches<E: From<BodyError>>(
    config: &Config,
    feeds: &[Arc<FeedDef>],
    options: RenderOptions,
    batch: usize,
    sink: impl FnMut(Vec<Document>) -> Result<(), E>,
) -> Result<Rendered, E> {
    render_bounded(config, feeds, options, batch, MOST_ITEMS_ALIVE, sink)
}

/// [`render_in_batches`] keeping at most `most_alive` posts' items between batches.
pub fn render_bounded<E: From<BodyError>>(
    config: &Config,
    feeds: &[Arc<FeedDef>],
    options: RenderOptions,
    batch: usize,
    most_alive: usize,
    mut sink: impl FnMut(Vec<Document>) -> Result<(), E>,
) -> Result<Rendered, E> {
    render_reusing(config, feeds, options, batch, most_alive, None, |docs| {
        sink(docs.into_iter().map(|(doc, _)| doc.join()).collect())
    })
}

/// A digest of everything a feed document is made of: equal keys, equal bytes.
pub type Key = [u8; 16];

/// What lets a build leave out the documents it already has.
pub struct Reuse<'a> {
    /// What else the bytes depend on, outside the configuration and the posts: the program
    /// that renders them.
    pub salt: &'a [u8],
    /// Whether the document at this path, made of what this key says and showing this many
    /// items, is already in place (the caller has it from an earlier build): it is then not
    /// rendered.
    pub in_place: &'a (dyn Fn(&str, &Key, usize) -> bool + Sync),
}

/// The key of every job's document: the salt, the configuration, the feed's names and size,
/// the document's place among its feed's documents, and each post it shows.
fn document_keys(config: &Config, salt: &[u8], jobs: &[(&FeedDef, archive::View)]) -> Vec<Key> {
    use crate::corpus::post::Hashing;
    use std::fmt::Write;
    let mut base = Hashing(Sha256::new());
    base.0.update((salt.len() as u64).to_le_bytes());
    base.0.update(salt);
    let _ = write!(base, "{config:?}");
    let mut posts: HashMap<usize, &Arc<Post>> = HashMap::new();
    let shown: Vec<Vec<Arc<Post>>> = jobs.iter().map(|(feed, view)| view.posts(feed)).collect();
    for post in shown.iter().flatten() {
        posts.entry(address(post)).or_insert(post);
    }
    let prints: HashMap<usize, [u8; 32]> = posts
        .par_iter()
        .map(|(key, post)| (*key, post.fingerprint()))
        .collect();
    jobs.par_iter()
        .zip(&shown)
        .map(|((feed, view), shown)| {
            let mut h = Hashing(base.0.clone());
            let _ = write!(h, "{:?} {} {view:?}", feed.names(), feed.posts.len());
            for post in shown {
                if let Some(print) = prints.get(&address(post)) {
                    h.0.update(print);
                }
            }
            let digest = h.0.finalize();
            let mut key = Key::default();
            key.copy_from_slice(&digest[..16]);
            key
        })
        .collect()
}

/// [`render_bounded`], leaving out the documents `reuse` already has, and handing each
/// document to `sink` with its key (none for the OPML list, the index page and the
/// stylesheet, which are always rendered) when `reuse` is given.
pub fn render_reusing<E: From<BodyError>>(
    config: &Config,
    feeds: &[Arc<FeedDef>],
    options: RenderOptions,
    batch: usize,
    most_alive: usize,
    reuse: Option<&Reuse<'_>>,
    mut sink: impl FnMut(Vec<(Pieces, Option<Key>)>) -> Result<(), E>,
) -> Result<Rendered, E> {
    let limit = config.feed_limit;
    let linked = options.archives || options.link_archives;
    // `all` and the languages first, then each group's feeds together.
    let mut ordered: Vec<&Arc<FeedDef>> = feeds.iter().collect();
    ordered.sort_by_key(|feed| feed.scope.group());
    let mut jobs: Vec<(&FeedDef, archive::View)> = Vec::new();
    for feed in ordered {
        let pages = if options.archives {
            archive::pages(feed.posts.len(), limit)
        } else {
            Vec::new()
        };
        for page in std::iter::once(None).chain(pages.into_iter().map(Some)) {
            for format in Format::ALL {
                jobs.push((feed, archive::View::new(config, feed, format, page, linked)));
            }
        }
    }
    // Documents showing the same posts come near each other, so that a post's items are
    // rendered once for all of them, not again after being dropped under the bound: a page in
    // its three formats one after another, and the pages of every feed by the date of their
    // newest post (a post is on pages of `all`, its language and its people of about its
    // date). Ties keep the order above. At 100,000 posts with archives, 50 people: each post
    // rendered once; 2,000 people, whose pages span years: 1.67 times (when each feed and
    // format came whole, one after another, a post was rendered again for each format of
    // `all` and of its language).
    jobs.sort_by_cached_key(|(feed, view)| {
        let newest = feed.posts.get(view.range(feed).start).map(|post| post.date);
        std::cmp::Reverse(newest)
    });
    let keys: Vec<Option<Key>> = match reuse {
        Some(reuse) => {
            let keys = document_keys(config, reuse.salt, &jobs);
            let in_place: Vec<bool> = jobs
                .par_iter()
                .zip(&keys)
                .map(|((feed, view), key)| {
                    (reuse.in_place)(&view.path, key, view.posts(feed).len())
                })
                .collect();
            let (left, keys): (Vec<_>, Vec<_>) = jobs
                .into_iter()
                .zip(keys)
                .zip(in_place)
                .filter(|(_, in_place)| !in_place)
                .map(|((job, key), _)| (job, Some(key)))
                .unzip();
            jobs = left;
            keys
        }
        None => vec![None; jobs.len()],
    };
    // Which batches show each post, in order: its items go after the last of them.
    let batch = batch.max(1);
    let mut uses: HashMap<usize, std::collections::VecDeque<usize>> = HashMap::new();
    for (n, (feed, view)) in jobs.iter().enumerate() {
        for post in view.posts(feed) {
            let batches = uses.entry(address(&post)).or_default();
            if batches.back() != Some(&(n / batch)) {
                batches.push_back(n / batch);
            }
        }
    }
    let (documents, shown_posts) = (jobs.len(), uses.len());
    let mut renders = 0usize;
    let mut items: HashMap<usize, Arc<Items>> = HashMap::new();
    for (number, (chunk, keys)) in jobs.chunks(batch).zip(keys.chunks(batch)).enumerate() {
        let shown: Vec<Vec<Arc<Post>>> =
            chunk.iter().map(|(feed, view)| view.posts(feed)).collect();
        let mut missing: Vec<&Arc<Post>> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for post in shown.iter().flatten() {
            if !items.contains_key(&address(post)) && seen.insert(address(post)) {
                missing.push(post);
            }
        }
        let rendered: Result<Vec<(usize, Arc<Items>)>, BodyError> = missing
            .par_iter()
            .map(|post| Ok((address(post), Arc::new(item::try_render(config, post)?))))
            .collect();
        items.extend(rendered?);
        renders += missing.len();
        let documents: Vec<(Pieces, Option<Key>)> = chunk
            .par_iter()
            .zip(&shown)
            .zip(keys)
            .map(|(((feed, view), posts), key)| {
                let lookup = |p: &Arc<Post>| items.get(&address(p)).cloned();
                let doc = Plan::with_posts(&lookup, feed, view.clone(), posts).pieces();
                (doc, *key)
            })
            .collect();
        for post in shown.iter().flatten() {
            let key = address(post);
            if let Some(batches) = uses.get_mut(&key) {
                while batches.front().is_some_and(|&b| b <= number) {
                    batches.pop_front();
                }
                if batches.is_empty() {
                    uses.remove(&key);
                    items.remove(&key);
                }
            }
        }
        // Over the bound, the items needed furthest ahead go, to be rendered again then.
        if items.len() > most_alive {
            let mut alive: Vec<(usize, usize)> = items
                .keys()
                .map(|key| {
                    let next = uses.get(key).and_then(|b| b.front().copied());
                    (next.unwrap_or(usize::MAX), *key)
                })
                .collect();
            alive.sort_unstable_by(|a, b| b.cmp(a));
            for (_, key) in alive.iter().take(items.len() - most_alive) {
                items.remove(key);
            }
        }
        drop(shown);
        sink(documents)?;
    }
    sink(vec![
        (opml::opml(config, feeds).into(), None),
        (page::index_html(config, feeds).into(), None),
        (stylesheet::stylesheet(config).into(), None),
    ])?;
    Ok(Rendered {
        documents,
        posts: shown_posts,
        renders,
    })
}

/// What [`render_reusing`] did: feed documents rendered, the posts they show, and how many
/// times posts' items were rendered (more than the posts where items were dropped under the
/// bound and rendered again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rendered {
    pub documents: usize,
    pub posts: usize,
    pub renders: usize,
}

/// A post's identity for as long as it is alive: the address of the shared post. Whatever
/// holds the key holds the post too (a corpus, a feed), so the address is never reused
/// meanwhile.
pub fn address(post: &Arc<Post>) -> usize {
    Arc::as_ptr(post) as usize
}

/// A hash of what the OPML list and the index page are written from: every feed's path,
/// names and language. Equal hashes (with the same configuration), equal documents.
pub fn listing_key(feeds: &[Arc<FeedDef>]) -> u64 {
    use std::hash::Hasher;
    let mut hasher = std::hash::DefaultHasher::new();
    for feed in feeds {
        feed.hash_names(&mut hasher);
    }
    hasher.finish()
}

/// One archive page of `feed`, rendering the posts it shows (for a server that renders
/// archive pages when first asked for them).
pub fn archive_page(config: &Config, feed: &FeedDef, format: Format, page: Page) -> Pieces {
    let view = archive::View::new(config, feed, format, Some(page), true);
    let render = |p: &Arc<Post>| Some(Arc::new(item::render(config, p)));
    Plan::new(&render, feed, view).pieces()
}

/// One document of `feed`: its subscription document or one archive page, as `view` says.
pub fn document(items: &ItemsOf<'_>, feed: &FeedDef, view: &archive::View) -> Document {
    Plan::new(items, feed, view.clone()).render()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::post::{Location, parse_post};

    pub(super) fn post(config: &Config, lang: usize, name: &str, tags: &str) -> Arc<Post> {
        let location = Location {
            path: &format!("{}/blog/{name}.md", config.languages[lang].code),
            lang: &config.languages[lang],
            section: "blog",
        };
        let text = format!(
            "---\ntitle: {name}\ndate: 2024-05-06\nauthor: Ann Lee\ntags: {tags}\n---\nHi.\n"
        );
        match parse_post(config, &location, text.into_bytes()) {
            Ok((post, _)) => Arc::new(post),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn a_term_is_named_by_the_text_most_of_its_posts_write() {
        let config = opml::tests::config();
        let posts = [
            post(&config, 0, "a", "[accessibility]"),
            post(&config, 0, "b", "[Accessibility]"),
            post(&config, 1, "c", "[Accessibility]"),
            post(&config, 1, "d", "[accessibility, ACCESSIBILITY]"),
        ];
        assert_eq!(
            term_name(Taxonomy::Tag, "accessibility", &posts),
            "Accessibility"
        );
        // Equal counts: the first in sort order, whatever the order of the posts.
        let (a, d) = (&posts[0..1], &posts[3..4]);
        let two = [a[0].clone(), posts[2].clone()];
        let reversed = [posts[2].clone(), a[0].clone()];
        assert_eq!(
            term_name(Taxonomy::Tag, "accessibility", &two),
            "Accessibility"
        );
        assert_eq!(
            term_name(Taxonomy::Tag, "accessibility", &reversed),
            "Accessibility"
        );
        assert_eq!(
            term_name(Taxonomy::Tag, "accessibility", d),
            "accessibility"
        );
        let feeds = term_feeds(&config, Taxonomy::Tag, "accessibility", posts.to_vec());
        let stems: Vec<&str> = feeds.iter().map(|f| f.stem.as_str()).collect();
        assert_eq!(
            stems,
            [
                "tags/accessibility",
                "en/tags/accessibility",
                "fr/tags/accessibility"
            ]
        );
        assert_eq!(feeds[0].posts.len(), 4);
        assert_eq!(feeds[1].posts.len(), 2);
        // In French, named from the French posts alone.
        assert!(matches!(&feeds[2].scope, Scope::LangTerm { name, .. } if name == "Accessibility"));
        assert!(matches!(&feeds[1].scope, Scope::LangTerm { name, .. } if name == "Accessibility"));
    }

    #[test]
    fn a_site_in_one_language_gets_the_feeds_across_languages_alone() {
        let posts = |config: &Config| {
            let mut posts = vec![
                post(config, 0, "a", "[Forms]"),
                post(config, 0, "b", "[forms, Design]"),
            ];
            posts.sort_by(|a, b| crate::corpus::newest_first(a, b));
            posts
        };
        for code in ["en", "fr"] {
            let config = opml::tests::one_language(code);
            let corpus = Corpus {
                posts: posts(&config),
                ..Corpus::default()
            };
            let feeds = prepare(&config, &corpus);
            let stems: Vec<&str> = feeds.iter().map(|f| f.stem.as_str()).collect();
            assert_eq!(
                stems,
                ["all", "authors/ann-lee", "tags/design", "tags/forms"],
                "{code}"
            );
            // Each in the site's language, named as that language's feed would be.
            assert!(feeds.iter().all(|f| f.lang.as_deref() == Some(code)));
            assert!(feeds.iter().all(|f| f.home_url == "https://site.example/"));
            assert_eq!(feeds[0].title, "Le blogue");
            assert_eq!(feeds[0].description, "Des nouvelles");
            assert_eq!(feeds[0].posts.len(), 2);
            assert_eq!(feeds[1].title, "Le blogue: Ann Lee");
            assert_eq!(feeds[1].description, words::posts_by(code, "Ann Lee"));
            assert_eq!(
                feeds[3].title,
                format!("Le blogue: {}", feeds[3].description)
            );
            assert_eq!(
                feeds[3].description,
                words::posts_in(Taxonomy::Tag, code, "Forms")
            );
            assert_eq!(feeds[3].posts.len(), 2);
            // Watching gives what preparing does.
            let changes = Changes {
                gone: vec![corpus.posts[0].clone()],
                added: Vec::new(),
            };
            let updated = update(&config, &feeds, &changes);
            let after = Corpus {
                posts: corpus.posts[1..].to_vec(),
                ..Corpus::default()
            };
            assert_eq!(updated.feeds, prepare(&config, &after), "{code}");
        }
        // Two languages: every language's feeds, as before.
        let config = opml::tests::config();
        let corpus = Corpus {
            posts: posts(&config),
            ..Corpus::default()
        };
        let feeds = prepare(&config, &corpus);
        let stems: Vec<&str> = feeds.iter().map(|f| f.stem.as_str()).collect();
        assert_eq!(
            stems,
            [
                "all",
                "en",
                "fr",
                "authors/ann-lee",
                "en/authors/ann-lee",
                "tags/design",
                "en/tags/design",
                "tags/forms",
                "en/tags/forms"
            ]
        );
        assert_eq!(feeds[0].lang, None);
    }
}
