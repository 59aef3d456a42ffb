//! One post -> its item in every format, rendered once and shared by every feed that holds it.

use std::sync::Arc;

use super::{Format, atom, json, rss};
use crate::compress::Piece;
use crate::config::Config;
use crate::corpus::Post;

/// A post's item, as the piece each format's documents splice in (and compress once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Items {
    pub rss: Arc<Piece>,
    pub atom: Arc<Piece>,
    pub json: Arc<Piece>,
}

impl Items {
    /// The item in `format`.
    pub fn get(&self, format: Format) -> &Arc<Piece> {
        match format {
            Format::Rss => &self.rss,
            Format::Atom => &self.atom,
            Format::Json => &self.json,
        }
    }
}

/// Renders the post's body once and its item in every format.
pub fn render(config: &Config, post: &Post) -> Items {
    let html = post.content_html();
    Items {
        rss: Arc::new(Piece::new(rss::item(config, post, &html))),
        atom: Arc::new(Piece::new(atom::item(config, post, &html))),
        json: Arc::new(Piece::new(json::item(config, post, &html))),
    }
}

/// The URL of a person's feed in `format`.
pub fn author_feed_url(config: &Config, slug: &str, format: Format) -> String {
    let path = format!("authors/{slug}.{}", format.extension());
    config
        .feeds_url
        .join(&path)
        .map_or_else(|_| format!("{}{path}", config.feeds_url), |u| u.to_string())
}
