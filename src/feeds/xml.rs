//! What the feed writers share: the XML namespaces, the extension and link builders (in the
//! `atom_syndication` crate's types, which the `rss` crate takes for links and converts for
//! extensions), Media RSS, the RFC 5005
//! archive flag, the escaping of text for XML and HTML, and the public address of a file of the
//! feed tree. Imports nothing of the writers.

use std::collections::BTreeMap;

use atom_syndication::Link;
use atom_syndication::extension::{Extension, ExtensionMap};

use crate::config::Config;
use crate::corpus::Post;
use crate::text::is_xml_char;

pub const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
pub const CONTENT_NS: &str = "http://purl.org/rss/1.0/modules/content/";
pub const DC_NS: &str = "http://purl.org/dc/elements/1.1/";
pub const MEDIA_NS: &str = "http://search.yahoo.com/mrss/";
pub const HISTORY_NS: &str = "http://purl.org/syndication/history/1.0";

/// The relation of a link to a post's translation, in Atom and in RSS (`atom:link`), with the
/// language in `hreflang`. Not `alternate`, although the translation is one: feedparser takes an
/// entry's last alternate link as the entry's link, gofeed and rss-parser the first, so with a
/// second alternate link one of them shows the other language's page.
pub const TRANSLATION_REL: &str = "related";

pub fn extension(name: &str, attrs: &[(&str, &str)], value: Option<&str>) -> Extension {
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

pub fn link(rel: &str, href: &str, mime_type: Option<&str>, hreflang: Option<&str>) -> Link {
    Link {
        rel: rel.to_string(),
        href: href.to_string(),
        mime_type: mime_type.map(str::to_string),
        hreflang: hreflang.map(str::to_string),
        ..Link::default()
    }
}

/// Extensions built for Atom, in the `rss` crate's type (same fields, another crate).
pub fn rss_extensions(map: ExtensionMap) -> ::rss::extension::ExtensionMap {
    fn one(ext: Extension) -> ::rss::extension::Extension {
        ::rss::extension::Extension {
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

/// The post's Media RSS elements: the image as `media:content` with its alt text as
/// `media:description`, the thumbnail as `media:thumbnail`. Atom writes them as they are; RSS
/// converts them to its crate's own extension type.
pub fn media(post: &Post) -> ExtensionMap {
    let mut media: BTreeMap<String, Vec<Extension>> = BTreeMap::new();
    if let Some(image) = &post.image {
        let mut content = extension(
            "media:content",
            &[("url", &image.url), ("medium", "image")],
            None,
        );
        if let Some(alt) = &image.alt {
            content.children.insert(
                "description".to_string(),
                vec![extension(
                    "media:description",
                    &[("type", "plain")],
                    Some(alt),
                )],
            );
        }
        media.insert("content".to_string(), vec![content]);
    }
    if let Some(thumbnail) = &post.thumbnail {
        media.insert(
            "thumbnail".to_string(),
            vec![extension("media:thumbnail", &[("url", thumbnail)], None)],
        );
    }
    let mut extensions = ExtensionMap::new();
    if !media.is_empty() {
        extensions.insert("media".to_string(), media);
    }
    extensions
}

/// `fh:archive` (RFC 5005) on an archive page, nothing on a subscription document.
pub fn archive_flag(is_archive: bool) -> ExtensionMap {
    let mut extensions = ExtensionMap::new();
    if is_archive {
        let mut fh = BTreeMap::new();
        fh.insert(
            "archive".to_string(),
            vec![extension("fh:archive", &[], None)],
        );
        extensions.insert("fh".to_string(), fh);
    }
    extensions
}

/// The public address of `path`, a file of the feed tree: built on `feeds_url` as the feeds'
/// own self links are.
pub fn feed_url(config: &Config, path: &str) -> String {
    config
        .feeds_url
        .join(path)
        .map_or_else(|_| format!("{}{path}", config.feeds_url), |u| u.to_string())
}

/// Text made safe for XML and HTML, in content and in quoted attributes alike: `&`, `<`, `>`,
/// `"` and `'` escaped; tabs and line breaks turned into spaces (attribute values would be
/// normalised so anyway); characters XML 1.0 forbids and C1 controls removed.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(' '),
            '\u{7F}'..='\u{9F}' => {}
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_drops_what_xml_forbids() {
        let cases = [
            ("plain é «»", "plain é «»"),
            ("a & b < c > d", "a &amp; b &lt; c &gt; d"),
            ("\"q\" 'a'", "&quot;q&quot; &#39;a&#39;"),
            ("nul\u{0}esc\u{1B}c1\u{85}\u{FFFE}", "nulescc1"),
            ("two\nlines\r\tend", "two lines  end"),
            ("&amp;", "&amp;amp;"),
        ];
        for (input, expected) in cases {
            assert_eq!(escape(input), expected, "{input:?}");
        }
    }
}
