//! Atom 1.0 documents (RFC 4287), written with the `atom_syndication` crate: one `author` per
//! person with their own page as `uri` where the site's file of people gives one, else the URL
//! of their feed (and a person's feed names them so), the full HTML as `content type="html"`, one `category`
//! per tag and category (`term` the slug, `label` the text, `scheme` the taxonomy), translations as
//! `link rel="related" hreflang` ([`super::xml::TRANSLATION_REL`]), images as Media RSS, RFC 5005 archive links and `fh:archive`.
//! Each document starts with the XML declaration and the `<?xml-stylesheet?>` naming the page
//! browsers show ([`super::stylesheet`]).

use std::sync::Arc;

use atom_syndication::{
    Category, Content, Entry, Feed, Generator, Link, Person, Text, WriteConfig,
};

use super::Format;
use super::archive::Head;
use super::item::author_feed_url;
use super::xml::{HISTORY_NS, MEDIA_NS, TRANSLATION_REL, link, media};
use crate::compress::Piece;
use crate::config::Config;
use crate::corpus::Post;

const ENTRY_OPEN: &str = "<entry xmlns=\"http://www.w3.org/2005/Atom\"";

fn text(value: &str) -> Text {
    Text::plain(value.to_string())
}

/// The post's `<entry>` element, in the post's language (`xml:lang`), without a namespace
/// declaration of its own: the feed's root declares Atom and Media RSS.
pub fn item(config: &Config, post: &Post, html: &str) -> String {
    let authors = if post.authors.is_empty() {
        vec![Person {
            name: post.byline.clone(),
            ..Person::default()
        }]
    } else {
        post.authors
            .iter()
            .map(|a| Person {
                name: a.name.clone(),
                uri: Some(
                    a.url
                        .clone()
                        .unwrap_or_else(|| author_feed_url(config, &a.slug, Format::Atom)),
                ),
                ..Person::default()
            })
            .collect()
    };
    let mut links = vec![link(
        "alternate",
        &post.permalink,
        Some("text/html"),
        Some(&post.lang),
    )];
    links.extend(
        post.translations
            .iter()
            .map(|(lang, url)| link(TRANSLATION_REL, url, Some("text/html"), Some(lang))),
    );
    let extensions = media(post);
    let entry = Entry {
        title: text(&post.title),
        id: post.id.clone(),
        updated: post.updated.unwrap_or(post.date).max(post.date),
        published: Some(post.date),
        authors,
        links,
        summary: Some(text(&post.summary)),
        content: Some(Content {
            content_type: Some("html".to_string()),
            value: Some(html.to_string()),
            ..Content::default()
        }),
        // The term by its slug, shown by its label, its taxonomy in `scheme`.
        categories: super::item::terms(post)
            .map(|(taxonomy, term)| Category {
                term: term.slug.clone(),
                scheme: Some(super::item::taxonomy_url(config, taxonomy)),
                label: Some(term.name.clone()),
            })
            .collect(),
        extensions,
        ..Entry::default()
    };
    let config = WriteConfig {
        write_document_declaration: false,
        indent_size: None,
    };
    let bytes = entry
        .write_with_config(Vec::new(), config)
        .unwrap_or_default();
    let xml = String::from_utf8(bytes).unwrap_or_default();
    match xml.strip_prefix(ENTRY_OPEN) {
        Some(rest) => format!("<entry xml:lang=\"{}\"{rest}", post.lang),
        None => xml,
    }
}

/// A whole Atom document around already rendered entries.
pub fn document(head: &Head<'_>, entries: &[Arc<super::Item>]) -> Vec<Arc<Piece>> {
    let feed = head.feed;
    let view = head.view;
    let atom_type = Some("application/atom+xml");
    let mut links: Vec<Link> = view
        .links()
        .into_iter()
        .map(|(rel, url)| link(rel, url, atom_type.filter(|_| rel != "hub"), None))
        .collect();
    links.insert(
        1,
        link("alternate", &feed.home_url, Some("text/html"), None),
    );
    let extensions = super::xml::archive_flag(view.is_archive());
    let authors = match &feed.scope {
        super::Scope::Author { name, url, .. } | super::Scope::LangAuthor { name, url, .. } => {
            vec![Person {
                name: name.clone(),
                uri: url.clone(),
                ..Person::default()
            }]
        }
        _ => Vec::new(),
    };
    let namespaces = [("fh", HISTORY_NS), ("media", MEDIA_NS)]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let document = Feed {
        title: text(&feed.title),
        // One logical feed, one id, on every page (RFC 5005).
        id: view.current_url.clone(),
        updated: head.updated.unwrap_or_default(),
        authors,
        generator: Some(Generator {
            value: "syndic".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
            uri: None,
        }),
        links,
        subtitle: (!feed.description.is_empty()).then(|| text(&feed.description)),
        extensions,
        namespaces,
        lang: feed.lang.clone(),
        ..Feed::default()
    };
    let config = WriteConfig {
        write_document_declaration: false,
        indent_size: None,
    };
    let bytes = document
        .write_with_config(Vec::new(), config)
        .unwrap_or_default();
    let xml =
        super::stylesheet::with_prolog(&view.path, &String::from_utf8(bytes).unwrap_or_default());
    let end = xml.rfind("</feed>").unwrap_or(xml.len());
    super::splice(&xml[..end], entries, None, &xml[end..])
}
