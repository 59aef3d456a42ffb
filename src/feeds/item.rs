//! One post -> its item in every format, rendered once and shared by every feed that holds it.
//!
//! The full HTML is most of an item's bytes, and RSS and Atom carry it the same way: as a
//! CDATA section (`content:encoded`, `content type="html"`). So both formats' items share one
//! piece for it, compressed once for the two: an RSS or Atom item is its own head, the shared
//! body and its own tail. JSON Feed escapes the HTML its own way and is one piece.

use std::sync::Arc;

use super::{Format, atom, json, rss};
use crate::compress::Piece;
use crate::config::Config;
use crate::corpus::Post;
use crate::corpus::post::BodyError;

/// A post's item in every format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Items {
    pub rss: Arc<Item>,
    pub atom: Arc<Item>,
    pub json: Arc<Item>,
}

impl Items {
    /// The item in `format`.
    pub fn get(&self, format: Format) -> &Arc<Item> {
        match format {
            Format::Rss => &self.rss,
            Format::Atom => &self.atom,
            Format::Json => &self.json,
        }
    }
}

/// One post's item in one format: the pieces a document splices in, in order, each compressed
/// once however many documents (and formats) hold it. Never changed once made, so the same
/// `Arc<Item>` is the same bytes.
#[derive(Debug, PartialEq, Eq)]
pub struct Item {
    pieces: Vec<Arc<Piece>>,
}

impl Item {
    fn whole(text: String) -> Item {
        Item {
            pieces: vec![Arc::new(Piece::new(text))],
        }
    }

    pub fn pieces(&self) -> &[Arc<Piece>] {
        &self.pieces
    }

    /// The item's bytes, joined.
    pub fn bytes(&self) -> Vec<u8> {
        self.pieces
            .iter()
            .flat_map(|p| p.bytes())
            .copied()
            .collect()
    }
}

/// Where the body goes while the rest of an RSS or Atom item is written: characters that
/// nothing else in an item holds in practice (a title that did would give a whole item).
const BODY_MARK: &str = "\u{FDD0}syndic-body\u{FDD1}";

/// Renders the post's body once and its item in every format; fails only for a post whose
/// body was left on disk and cannot be read as it was loaded.
pub fn try_render(config: &Config, post: &Post) -> Result<Items, BodyError> {
    Ok(render_with(config, post, &post.content_html()?))
}

/// [`try_render`] for a post that keeps its body in memory, as the server's posts do: it
/// cannot fail. Should one whose body was left on disk fail all the same, the error is logged
/// and the item goes out without its content rather than not at all.
pub fn render(config: &Config, post: &Post) -> Items {
    let html = post.content_html().unwrap_or_else(|e| {
        tracing::error!("{e}");
        String::new()
    });
    render_with(config, post, &html)
}

/// The post's items with `html` as their content.
fn render_with(config: &Config, post: &Post, html: &str) -> Items {
    let body = Arc::new(Piece::new(cdata_text(html)));
    let rss = spliced(rss::item(config, post, BODY_MARK), "", &body, "")
        .unwrap_or_else(|| Item::whole(rss::item(config, post, html)));
    let atom = spliced(
        atom::item(config, post, BODY_MARK),
        "<![CDATA[",
        &body,
        "]]>",
    )
    .unwrap_or_else(|| Item::whole(atom::item(config, post, html)));
    Items {
        rss: Arc::new(rss),
        atom: Arc::new(atom),
        json: Arc::new(Item::whole(json::item(config, post, html))),
    }
}

/// The inside of a CDATA section holding `text`: a `]]>` in it (which would end the section)
/// ends one section after `]]` and opens another for `>`, as the `rss` crate writes it.
fn cdata_text(text: &str) -> String {
    text.replace("]]>", "]]]]><![CDATA[>")
}

/// `xml` (an item written with [`BODY_MARK`] as its content) as head, `body` and tail, `open`
/// and `close` around the body; `None` unless the mark is there exactly once.
fn spliced(xml: String, open: &str, body: &Arc<Piece>, close: &str) -> Option<Item> {
    let at = xml.find(BODY_MARK)?;
    if xml.rfind(BODY_MARK) != Some(at) {
        return None;
    }
    let head = format!("{}{open}", &xml[..at]);
    let tail = format!("{close}{}", &xml[at + BODY_MARK.len()..]);
    Some(Item {
        pieces: vec![
            Arc::new(Piece::new(head)),
            body.clone(),
            Arc::new(Piece::new(tail)),
        ],
    })
}

/// The URL of a person's feed in `format`.
pub fn author_feed_url(config: &Config, slug: &str, format: Format) -> String {
    let path = format!("authors/{slug}.{}", format.extension());
    config
        .feeds_url
        .join(&path)
        .map_or_else(|_| format!("{}{path}", config.feeds_url), |u| u.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::post::{Location, parse_post};
    use proptest::prelude::*;

    fn config() -> Config {
        super::super::opml::tests::config()
    }

    fn post(config: &Config, body: &str) -> Post {
        let location = Location {
            path: "en/blog/a-post.md",
            lang: &config.languages[0],
            section: "blog",
        };
        let text = format!("---\ntitle: A post\ndate: 2024-05-06\nauthor: Jane Doe\n---\n{body}\n");
        match parse_post(config, &location, text.into_bytes()) {
            Ok((post, _)) => post,
            Err(e) => panic!("{e}"),
        }
    }

    /// The content of the one entry of an Atom feed made of `entry`, read by feed-rs.
    fn atom_content(entry: &[u8]) -> String {
        let mut xml = b"<feed xmlns=\"http://www.w3.org/2005/Atom\"><id>x</id><title>t</title>\
            <updated>2024-01-01T00:00:00Z</updated>"
            .to_vec();
        xml.extend_from_slice(entry);
        xml.extend_from_slice(b"</feed>");
        match feed_rs::parser::parse(&xml[..]) {
            Ok(feed) => feed
                .entries
                .first()
                .and_then(|e| e.content.as_ref())
                .and_then(|c| c.body.clone())
                .unwrap_or_default(),
            Err(e) => panic!("{e}: {}", String::from_utf8_lossy(&xml)),
        }
    }

    fn check(config: &Config, post: &Post, html: &str) {
        let items = render_with(config, post, html);
        // One body piece, compressed once, for both formats.
        assert_eq!(items.rss.pieces().len(), 3);
        assert!(Arc::ptr_eq(&items.rss.pieces()[1], &items.atom.pieces()[1]));
        // RSS: the very bytes the `rss` crate writes with the content in place.
        assert_eq!(
            String::from_utf8(items.rss.bytes()).ok(),
            Some(rss::item(config, post, html))
        );
        // Atom: a reader gets the HTML back whole (feed-rs trims it).
        assert_eq!(atom_content(&items.atom.bytes()), html.trim());
        assert_eq!(items.json.pieces().len(), 1);
    }

    #[test]
    fn rss_and_atom_share_one_body_that_reads_back_whole_even_with_a_cdata_end_in_it() {
        let config = config();
        let post = post(&config, "Text & <b>bold</b> [a link](/about/) and `code`.");
        check(&config, &post, &post.content_html().unwrap_or_default());
        // The sanitizer writes `>` as `&gt;`, so a `]]>` never comes from a post today: the
        // splice must hold all the same.
        check(&config, &post, "<p title=\"a ]]> b\">x]]>]]]>y</p>");
    }

    #[test]
    fn a_title_holding_the_mark_gives_whole_items_that_still_read_back() {
        let config = config();
        let mut post = post(&config, "Body.");
        post.title = format!("Odd {BODY_MARK} title");
        let items = render(&config, &post);
        assert_eq!(items.rss.pieces().len(), 1);
        assert_eq!(items.atom.pieces().len(), 1);
        assert_eq!(
            atom_content(&items.atom.bytes()),
            post.content_html().unwrap_or_default().trim(),
            "the content is still whole"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn any_body_splices_into_the_same_items(body in "([a-z ]|\\]|>|<|&|\\*|`|\\[|\\(|\\)|\"|\n)*") {
            let config = config();
            let post = post(&config, &body);
            check(&config, &post, &post.content_html().unwrap_or_default());
        }

        #[test]
        fn any_html_splices_into_the_same_items(html in "([a-z ]|\\]|>|<|&|\"|é|\n)*") {
            let config = config();
            check(&config, &post(&config, "Body."), &html);
        }
    }
}
