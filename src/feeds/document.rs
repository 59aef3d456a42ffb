//! One file of the feed tree as the pieces it is joined from, the splicing of a feed document
//! from its head, its items' shared pieces and its tail, and the plan of a document before it is
//! written (what it is made of, to tell whether it would come out as an earlier one did).

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use sha2::{Digest, Sha256};

use super::{FeedDef, Format, Item, Items, archive, atom, json, rss};
use crate::compress::{self, Piece};
use crate::corpus::Post;

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

/// A document as the pieces it is joined from, not joined: what the server sends from, each
/// piece as it holds it (see [`crate::http::body`]), so joining would only copy bytes it drops.
#[derive(Debug, Clone)]
pub struct Pieces {
    /// Relative to the feed tree's root, `/`-separated.
    pub path: String,
    pub content_type: &'static str,
    /// Its head, the shared items' pieces, its tail: never empty.
    pub parts: Vec<Arc<Piece>>,
    /// The newest date among what the document shows, for `Last-Modified`.
    pub last_modified: Option<DateTime<FixedOffset>>,
    /// A full archive page: its bytes never change.
    pub immutable: bool,
    /// How many feed items it holds.
    pub items: usize,
}

impl Pieces {
    /// The document, its bytes joined. One piece alone is a document made whole
    /// ([`Document::whole`]), and comes back as one.
    pub fn join(self) -> Document {
        let size = self.len();
        let mut bytes = Vec::with_capacity(size);
        for part in &self.parts {
            bytes.extend_from_slice(part.bytes());
        }
        let parts = if self.parts.len() == 1 {
            Vec::new()
        } else {
            self.parts
        };
        Document {
            path: self.path,
            content_type: self.content_type,
            bytes,
            parts,
            last_modified: self.last_modified,
            immutable: self.immutable,
            items: self.items,
        }
    }

    /// The length of the joined bytes.
    pub(crate) fn len(&self) -> usize {
        self.parts.iter().map(|p| p.len()).sum()
    }

    /// [`Document::digest`] of the joined document.
    pub fn digest(&self) -> [u8; 32] {
        compress::digest_pieces(&self.parts)
    }
}

impl From<Document> for Pieces {
    /// The document as its parts, or as one piece where it was made whole.
    fn from(doc: Document) -> Pieces {
        let parts = if doc.parts.is_empty() {
            vec![Arc::new(Piece::new(doc.bytes))]
        } else {
            doc.parts
        };
        Pieces {
            path: doc.path,
            content_type: doc.content_type,
            parts,
            last_modified: doc.last_modified,
            immutable: doc.immutable,
            items: doc.items,
        }
    }
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

/// A document's parts: its own head, the shared `items`' pieces (with `separator` between two
/// items), its own tail and a final newline.
pub(super) fn splice(
    head: &str,
    items: &[Arc<Item>],
    separator: Option<&Arc<Piece>>,
    tail: &str,
) -> Vec<Arc<Piece>> {
    let pieces: usize = items.iter().map(|i| i.pieces().len()).sum();
    let mut parts = Vec::with_capacity(pieces + items.len() + 2);
    parts.push(Arc::new(Piece::new(head)));
    for (n, item) in items.iter().enumerate() {
        if let (Some(separator), true) = (separator, n > 0) {
            parts.push(separator.clone());
        }
        parts.extend(item.pieces().iter().cloned());
    }
    parts.push(shared_tail(tail));
    parts
}

/// The piece for a document's `tail` and final newline. Tails are the same for every document
/// of a format (`</channel></rss>`), so they are shared, and compressed once each.
pub(super) fn shared_tail(tail: &str) -> Arc<Piece> {
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

/// Finds a post's rendered items.
pub type ItemsOf<'a> = dyn Fn(&Arc<Post>) -> Option<Arc<Items>> + Sync + 'a;

/// A document before it is written: its feed and view, the item pieces it shows and its date.
/// Enough to tell, without writing it, whether it would come out as an earlier one did.
pub struct Plan<'a> {
    feed: &'a FeedDef,
    view: archive::View,
    items: Vec<Arc<Item>>,
    last_modified: Option<DateTime<FixedOffset>>,
}

impl<'a> Plan<'a> {
    pub fn new(items: &ItemsOf<'_>, feed: &'a FeedDef, view: archive::View) -> Plan<'a> {
        let shown = view.posts(feed);
        Plan::with_posts(items, feed, view, &shown)
    }

    /// Like [`Plan::new`], showing `shown` (newest first) instead of what the view would.
    pub fn with_posts(
        items: &ItemsOf<'_>,
        feed: &'a FeedDef,
        view: archive::View,
        shown: &[Arc<Post>],
    ) -> Plan<'a> {
        let format = view.format;
        let pieces: Vec<Arc<Item>> = shown
            .iter()
            .filter_map(items)
            .map(|set| set.get(format).clone())
            .collect();
        let date = |p: &Arc<Post>| p.updated.unwrap_or(p.date).max(p.date);
        let last_modified = shown
            .iter()
            .map(date)
            .max()
            .or_else(|| feed.posts.front().map(date));
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
        self.pieces().join()
    }

    /// [`Plan::render`] without joining: the document as its pieces.
    pub fn pieces(self) -> Pieces {
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
        Pieces {
            path: self.view.path.clone(),
            content_type: format.content_type(),
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
    items: Vec<Arc<Item>>,
}

impl Recipe {
    /// The items the document shows, in order.
    pub fn items(&self) -> &[Arc<Item>] {
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
