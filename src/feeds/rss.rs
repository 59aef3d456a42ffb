//! RSS 2.0 documents, written with the `rss` crate: the summary in `description`, the full HTML
//! in `content:encoded`, people as one `dc:creator` naming them all, one `category` per tag
//! and category (its taxonomy in `domain`), images as Media RSS,
//! translations (`rel="related"`, see [`super::atom::TRANSLATION_REL`]) and archive links as
//! `atom:link`, `fh:archive` on archive pages (RFC 5005). Each document starts with the
//! XML declaration and the `<?xml-stylesheet?>` naming the page browsers show
//! ([`super::stylesheet`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use ::rss::extension::atom::{AtomExtension, Link};
use ::rss::extension::dublincore::DublinCoreExtension;
use ::rss::extension::{Extension, ExtensionMap};
use ::rss::{Category, Channel, Guid, Item};

use super::archive::Head;
use crate::compress::Piece;
use crate::config::Config;
use crate::corpus::Post;

pub const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
pub const CONTENT_NS: &str = "http://purl.org/rss/1.0/modules/content/";
pub const DC_NS: &str = "http://purl.org/dc/elements/1.1/";
pub const MEDIA_NS: &str = "http://search.yahoo.com/mrss/";
pub const HISTORY_NS: &str = "http://purl.org/syndication/history/1.0";

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

fn extension(name: &str, attrs: &[(&str, &str)], value: Option<&str>) -> Extension {
    Extension {
        name: name.to_string(),
        value: value.map(str::to_string),
        attrs: attrs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        children: BTreeMap::new(),
    }
}

fn link(rel: &str, href: &str, mime_type: Option<&str>, hreflang: Option<&str>) -> Link {
    Link {
        rel: rel.to_string(),
        href: href.to_string(),
        mime_type: mime_type.map(str::to_string),
        hreflang: hreflang.map(str::to_string),
        ..Link::default()
    }
}

/// Extensions built for Atom, in the `rss` crate's type (same fields, another crate).
fn from_atom(map: atom_syndication::extension::ExtensionMap) -> ExtensionMap {
    fn one(ext: atom_syndication::extension::Extension) -> Extension {
        Extension {
            name: ext.name,
            value: ext.value,
            attrs: ext.attrs,
            children: ext
                .children
                .into_iter()
                .map(|(k, v)| (k, v.into_iter().map(one).collect()))
                .collect(),
        }
    }
    map.into_iter()
        .map(|(prefix, elements)| {
            let elements = elements
                .into_iter()
                .map(|(k, v)| (k, v.into_iter().map(one).collect()))
                .collect();
            (prefix, elements)
        })
        .collect()
}

/// The post's `<item>` element.
pub fn item(config: &Config, post: &Post, html: &str) -> String {
    // One `dc:creator` naming everyone: gofeed and rss-parser show only an item's first.
    let creators = vec![super::item::byline_names(post)];
    let extensions = from_atom(super::atom::media(post));
    let item = Item {
        title: Some(post.title.clone()),
        link: Some(post.permalink.clone()),
        // Readers take an item's description as HTML, and the summary is text: escaped, so
        // that a `<script>` typed in a description shows as those characters.
        description: Some(super::opml::escape(&post.summary)),
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
                .map(|(lang, url)| {
                    link(
                        super::atom::TRANSLATION_REL,
                        url,
                        Some("text/html"),
                        Some(lang),
                    )
                })
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
    let mut extensions = ExtensionMap::new();
    if view.is_archive() {
        let mut fh = BTreeMap::new();
        fh.insert(
            "archive".to_string(),
            vec![extension("fh:archive", &[], None)],
        );
        extensions.insert("fh".to_string(), fh);
    }
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
