//! RSS 2.0 documents, written with the `rss` crate: the summary in `description`, the full HTML
//! in `content:encoded`, people as one `dc:creator` naming them all, one `category` per tag
//! and category (its taxonomy in `domain`), images as Media RSS,
//! translations (`rel="related"`, see [`super::xml::TRANSLATION_REL`]) and archive links as
//! `atom:link`, `fh:archive` on archive pages (RFC 5005). Each document starts with the
//! XML declaration and the `<?xml-stylesheet?>` naming the page browsers show
//! ([`super::stylesheet`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use ::rss::extension::atom::AtomExtension;
use ::rss::extension::dublincore::DublinCoreExtension;
use ::rss::{Category, Channel, Guid, Item};

use super::archive::Head;
use super::xml::{ATOM_NS, CONTENT_NS, DC_NS, HISTORY_NS, MEDIA_NS, TRANSLATION_REL, link};
use crate::compress::Piece;
use crate::config::Config;
use crate::corpus::Post;

fn namespaces() -> BTreeMap<String, String> {
    [
        ("atom", ATOM_NS),
        ("content", CONTENT_NS),
        ("dc", DC_NS),
        ("fh", HISTORY_NS),
        ("media", MEDIA_NS),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// The post's `<item>` element.
pub fn item(config: &Config, post: &Post, html: &str) -> String {
    // One `dc:creator` naming everyone: gofeed and rss-parser show only an item's first.
    let creators = vec![super::item::byline_names(post)];
    let extensions = super::xml::rss_extensions(super::xml::media(post));
    let item = Item {
        title: Some(post.title.clone()),
        link: Some(post.permalink.clone()),
        // Readers take an item's description as HTML, and the summary is text: escaped, so
        // that a `<script>` typed in a description shows as those characters.
        description: Some(super::xml::escape(&post.summary)),
        // The id it was first published under: a permalink only while it is the current one.
        guid: Some(Guid {
            value: post.id.clone(),
            permalink: post.id == post.permalink,
        }),
        pub_date: Some(post.date.to_rfc2822()),
        content: Some(html.to_string()),
        dublin_core_ext: Some(DublinCoreExtension {
            creators,
            languages: vec![post.lang.clone()],
            ..DublinCoreExtension::default()
        }),
        atom_ext: (!post.translations.is_empty()).then(|| AtomExtension {
            links: post
                .translations
                .iter()
                .map(|(lang, url)| link(TRANSLATION_REL, url, Some("text/html"), Some(lang)))
                .collect(),
        }),
        // One `category` a term, its taxonomy in `domain`, so tags and categories stay apart.
        categories: super::item::terms(post)
            .map(|(taxonomy, term)| Category {
                name: term.name.clone(),
                domain: Some(super::item::taxonomy_url(config, taxonomy)),
            })
            .collect(),
        extensions,
        ..Item::default()
    };
    let channel = Channel {
        items: vec![item],
        namespaces: namespaces(),
        ..Channel::default()
    };
    let xml = channel.to_string();
    match (xml.find("<item>"), xml.rfind("</item>")) {
        (Some(start), Some(end)) => xml[start..end + "</item>".len()].to_string(),
        _ => String::new(),
    }
}

/// A whole RSS document around already rendered items.
pub fn document(head: &Head<'_>, items: &[Arc<super::Item>]) -> Vec<Arc<Piece>> {
    let feed = head.feed;
    let view = head.view;
    let links = view
        .links()
        .into_iter()
        .map(|(rel, url)| {
            let kind = (rel != "hub").then_some("application/rss+xml");
            link(rel, url, kind, None)
        })
        .collect();
    let extensions = super::xml::rss_extensions(super::xml::archive_flag(view.is_archive()));
    let date = head.updated.map(|d| d.to_rfc2822());
    let channel = Channel {
        title: feed.title.clone(),
        link: feed.home_url.clone(),
        description: if feed.description.is_empty() {
            feed.title.clone()
        } else {
            feed.description.clone()
        },
        language: feed.lang.clone(),
        generator: Some(head.generator.to_string()),
        pub_date: date.clone(),
        last_build_date: date,
        atom_ext: Some(AtomExtension { links }),
        namespaces: namespaces(),
        extensions,
        ..Channel::default()
    };
    let xml = super::stylesheet::with_prolog(&view.path, &channel.to_string());
    let end = xml.rfind("</channel>").unwrap_or(xml.len());
    super::splice(&xml[..end], items, None, &xml[end..])
}
