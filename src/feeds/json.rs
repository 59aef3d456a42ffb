//! JSON Feed 1.1 documents, serialized with serde: `content_html` and `summary`, `authors`
//! with each person's own page where the site's file of people gives one, else the URL of
//! their feed (and 1.0's `author` naming them all, for older readers), `image` and `banner_image`, paging with `next_url`
//! toward older posts, `tags` holding tags and categories. What JSON Feed has no field for
//! (translations, image alt text, the byline, which tags are categories, archive flags) goes
//! in `_syndic`, as the specification allows for extensions.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::Format;
use super::archive::Head;
use super::item::author_feed_url;
use crate::compress::Piece;
use crate::config::Config;
use crate::corpus::Post;

#[derive(Serialize)]
struct Author<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
struct ItemExtension<'a> {
    byline: &'a str,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    translations: &'a BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image_alt: Option<&'a str>,
    /// Which of `tags` are categories.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    categories: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    content_html: &'a str,
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    banner_image: Option<&'a str>,
    date_published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    /// JSON Feed 1.0's single author, beside 1.1's `authors`, for readers that know only it.
    author: Author<'a>,
    authors: Vec<Author<'a>>,
    language: &'a str,
    /// Tags, then categories, each text once.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
    _syndic: ItemExtension<'a>,
}

fn rfc3339(date: &chrono::DateTime<chrono::FixedOffset>) -> String {
    date.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// A person's URL in an item: their own page where the site's file of people gives one, else
/// their feed.
fn person_url(config: &Config, person: &crate::corpus::Person) -> String {
    person
        .url
        .clone()
        .unwrap_or_else(|| author_feed_url(config, &person.slug, Format::Json))
}

/// The post's item object.
pub fn item(config: &Config, post: &Post, html: &str) -> String {
    let names = super::item::byline_names(post);
    let author = Author {
        name: &names,
        url: match post.authors.as_slice() {
            [one] => Some(person_url(config, one)),
            _ => None,
        },
    };
    let authors = if post.authors.is_empty() {
        vec![Author {
            name: &post.byline,
            url: None,
        }]
    } else {
        post.authors
            .iter()
            .map(|a| Author {
                name: &a.name,
                url: Some(person_url(config, a)),
            })
            .collect()
    };
    let mut tags: Vec<&str> = Vec::new();
    for (_, term) in super::item::terms(post) {
        if !tags.contains(&term.name.as_str()) {
            tags.push(&term.name);
        }
    }
    let item = JsonItem {
        id: &post.id,
        url: &post.permalink,
        title: &post.title,
        content_html: html,
        summary: &post.summary,
        image: post.image.as_ref().map(|i| i.url.as_str()),
        banner_image: post.thumbnail.as_deref(),
        date_published: rfc3339(&post.date),
        date_modified: post.updated.as_ref().map(rfc3339),
        author,
        authors,
        language: &post.lang,
        tags,
        _syndic: ItemExtension {
            byline: &post.byline,
            translations: &post.translations,
            image_alt: post.image.as_ref().and_then(|i| i.alt.as_deref()),
            categories: post.categories.iter().map(|t| t.name.as_str()).collect(),
        },
    };
    serde_json::to_string(&item).unwrap_or_default()
}

#[derive(Serialize)]
struct FeedExtension<'a> {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    archive: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    current: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    newer_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    updated: Option<String>,
    generator: &'a str,
}

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Author<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hubs: Vec<Hub<'a>>,
    _syndic: FeedExtension<'a>,
    /// Spliced in after serialization.
    items: [(); 0],
}

/// A JSON Feed `hubs` entry.
#[derive(Serialize)]
struct Hub<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    url: &'a str,
}

/// A whole JSON Feed document around already serialized items.
pub fn document(head: &Head<'_>, items: &[Arc<super::Item>]) -> Vec<Arc<Piece>> {
    let feed = head.feed;
    let view = head.view;
    let author = match &feed.scope {
        super::Scope::Author { name, url, .. } | super::Scope::LangAuthor { name, url, .. } => {
            Some(Author {
                name,
                url: url.clone(),
            })
        }
        _ => None,
    };
    let authors = author
        .iter()
        .map(|a| Author {
            name: a.name,
            url: a.url.clone(),
        })
        .collect();
    let document = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &feed.title,
        home_page_url: &feed.home_url,
        feed_url: &view.self_url,
        description: &feed.description,
        next_url: view.prev_archive.as_deref(),
        language: feed.lang.as_deref(),
        author,
        authors,
        hubs: view
            .hub
            .iter()
            .map(|url| Hub {
                kind: "WebSub",
                url,
            })
            .collect(),
        _syndic: FeedExtension {
            archive: view.is_archive(),
            current: view.is_archive().then_some(view.current_url.as_str()),
            newer_url: view.next_archive.as_deref(),
            updated: head.updated.as_ref().map(rfc3339),
            generator: head.generator,
        },
        items: [],
    };
    let json = serde_json::to_string(&document).unwrap_or_default();
    // `items` is the last field: the serialized object ends with `"items":[]}`.
    let end = json.len() - if json.ends_with("[]}") { 2 } else { 0 };
    super::splice(&json[..end], items, Some(&COMMA), &json[end..])
}

/// What goes between two items, one piece shared by every document.
static COMMA: std::sync::LazyLock<Arc<Piece>> =
    std::sync::LazyLock::new(|| Arc::new(Piece::new(",")));
