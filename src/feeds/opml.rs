//! The OPML 2.0 list of every feed, `all.opml`: what a person imports into a feed reader to
//! subscribe to many feeds at once.
//!
//! Also owns what this list and the index page ([`super::page`]) share: the grouping of feeds
//! for people (site-wide, each language, each person, tag and category), and their relative
//! addresses. Pure and deterministic: no clock (hence no `dateCreated` or `dateModified`), so
//! the same feeds give the same bytes.

use std::collections::HashMap;
use std::sync::Arc;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use super::xml::{escape, feed_url};
use super::{Document, FeedDef, Format, Group, Scope, words};
use crate::config::Config;
use crate::corpus::Taxonomy;

/// Where the list sits in the feed tree.
pub const PATH: &str = "all.opml";

/// The list's media type.
pub const CONTENT_TYPE: &str = "text/x-opml; charset=utf-8";

/// The OPML 2.0 document listing every feed in every format.
pub fn opml(config: &Config, feeds: &[Arc<FeedDef>]) -> Document {
    let listing = Listing::new(feeds);
    let speech = Speech::of(config);
    let mut out = String::with_capacity(512 + feeds.len() * Format::ALL.len() * 400);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n");
    out.push_str("  <head>\n");
    out.push_str(&format!(
        "    <title>{}</title>\n",
        escape(&site_title(config))
    ));
    out.push_str("    <docs>http://opml.org/spec2.opml</docs>\n");
    out.push_str("  </head>\n  <body>\n");
    if !listing.site.is_empty() {
        let site = match speech {
            Speech::Both => speech.text("Every language", "Toutes les langues"),
            _ => speech.text("All posts", "Tous les billets"),
        };
        group(&mut out, &site, 2);
        for feed in &listing.site {
            outlines(&mut out, config, feed, 3);
        }
        out.push_str("    </outline>\n");
    }
    for feed in &listing.languages {
        group(&mut out, &language_group(feed), 2);
        outlines(&mut out, config, feed, 3);
        out.push_str("    </outline>\n");
    }
    for ((en, fr), list) in [
        (("People", "Personnes"), &listing.people),
        (("Tags", "Étiquettes"), &listing.tags),
        (("Categories", "Catégories"), &listing.categories),
    ] {
        if list.is_empty() {
            continue;
        }
        group(&mut out, &speech.text(en, fr), 2);
        for named in list {
            group(&mut out, named.name, 3);
            for feed in &named.feeds {
                outlines(&mut out, config, feed, 4);
            }
            out.push_str("      </outline>\n");
        }
        out.push_str("    </outline>\n");
    }
    out.push_str("  </body>\n</opml>\n");
    Document::whole(PATH, CONTENT_TYPE, out.into_bytes())
}

/// Opens a folder outline (no `type`) at `depth` levels of indentation.
fn group(out: &mut String, text: &str, depth: usize) {
    out.push_str(&format!(
        "{}<outline text=\"{}\">\n",
        "  ".repeat(depth),
        escape(text)
    ));
}

/// One subscription outline per format of `feed`. OPML calls every feed `type="rss"`;
/// `version` tells the formats apart.
fn outlines(out: &mut String, config: &Config, feed: &FeedDef, depth: usize) {
    for format in Format::ALL {
        let text = escape(&format!("{} ({})", feed.title, format.label()));
        out.push_str(&format!(
            "{}<outline type=\"rss\" text=\"{text}\" title=\"{text}\" xmlUrl=\"{}\" htmlUrl=\"{}\"",
            "  ".repeat(depth),
            escape(&feed_url(config, &feed.path(format))),
            escape(&feed.home_url),
        ));
        if let Some(lang) = &feed.lang {
            out.push_str(&format!(" language=\"{}\"", escape(lang)));
        }
        out.push_str(&format!(" version=\"{}\"", version(format)));
        if !feed.description.is_empty() {
            out.push_str(&format!(" description=\"{}\"", escape(&feed.description)));
        }
        out.push_str("/>\n");
    }
}

/// OPML's name for a feed format.
fn version(format: Format) -> &'static str {
    match format {
        Format::Rss => "RSS2",
        Format::Atom => "ATOM1",
        Format::Json => "JSONFEED1.1",
    }
}

fn language_group(feed: &FeedDef) -> String {
    match &feed.lang {
        Some(code) => format!("{} – {}", language_name(code), feed.title),
        None => feed.title.clone(),
    }
}

/// The language(s) the list and the index page speak: English and French side by side for a
/// site in several languages; for a site in one, French if it is French, English otherwise
/// (the words of feeds in other languages are English too, see [`super::words`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Speech {
    Both,
    English,
    French,
}

impl Speech {
    pub fn of(config: &Config) -> Speech {
        match super::one_language(config) {
            None => Speech::Both,
            Some(lang) if language_name(&lang.code) == "Français" => Speech::French,
            Some(_) => Speech::English,
        }
    }

    /// The page's `lang`.
    pub fn lang(self) -> &'static str {
        match self {
            Speech::French => "fr",
            Speech::Both | Speech::English => "en",
        }
    }

    /// One text as plain text: "English / Français", or the one language's.
    pub fn text(self, en: &str, fr: &str) -> String {
        match self {
            Speech::Both => format!("{en} / {fr}"),
            Speech::English => en.to_string(),
            Speech::French => fr.to_string(),
        }
    }
}

/// The site's name: every language's title, side by side.
pub(super) fn site_title(config: &Config) -> String {
    words::joined(config.languages.iter().map(|l| l.title.as_str()))
}

/// A language's name in itself ("English", "Français"); the code for languages it does not know.
pub(super) fn language_name(code: &str) -> &str {
    match code.split(['-', '_']).next().unwrap_or(code) {
        "en" => "English",
        "fr" => "Français",
        _ => code,
    }
}

/// What a path segment must not hold raw in a relative reference: besides the usual, `:` (a
/// first segment `x:y` would read as a scheme), `?` and `#`.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b':')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// `path`, a file of the feed tree, as a reference relative to the tree's root.
pub(super) fn relative_href(path: &str) -> String {
    path.split('/')
        .map(|segment| utf8_percent_encode(segment, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// The feeds as people look for them: the site-wide ones, one per language, each person's,
/// each tag's and each category's.
pub(super) struct Listing<'a> {
    /// [`Scope::All`] feeds.
    pub site: Vec<&'a FeedDef>,
    /// [`Scope::Lang`] feeds, in the order given.
    pub languages: Vec<&'a FeedDef>,
    /// In the order each person first appears.
    pub people: Vec<Named<'a>>,
    /// In the order each tag first appears.
    pub tags: Vec<Named<'a>>,
    /// In the order each category first appears.
    pub categories: Vec<Named<'a>>,
}

/// One person's, tag's or category's feeds: across languages first (as given), then in each
/// language.
pub(super) struct Named<'a> {
    /// The name of the feed across languages.
    pub name: &'a str,
    pub feeds: Vec<&'a FeedDef>,
}

impl<'a> Listing<'a> {
    pub fn new(feeds: &'a [Arc<FeedDef>]) -> Listing<'a> {
        let mut listing = Listing {
            site: Vec::new(),
            languages: Vec::new(),
            people: Vec::new(),
            tags: Vec::new(),
            categories: Vec::new(),
        };
        let mut seen: HashMap<Group<'_>, usize> = HashMap::new();
        for feed in feeds {
            let name = match &feed.scope {
                Scope::All => {
                    listing.site.push(feed);
                    continue;
                }
                Scope::Lang(_) => {
                    listing.languages.push(feed);
                    continue;
                }
                Scope::Author { name, .. }
                | Scope::LangAuthor { name, .. }
                | Scope::Term { name, .. }
                | Scope::LangTerm { name, .. } => name.as_str(),
            };
            let Some(group) = feed.scope.group() else {
                continue;
            };
            let list = match group {
                Group::Person(_) => &mut listing.people,
                Group::Term(Taxonomy::Tag, _) => &mut listing.tags,
                Group::Term(Taxonomy::Category, _) => &mut listing.categories,
            };
            let at = *seen.entry(group).or_insert_with(|| {
                list.push(Named {
                    name,
                    feeds: Vec::new(),
                });
                list.len() - 1
            });
            if let Some(named) = list.get_mut(at) {
                // The feed across languages names the group.
                if feed.lang.is_none() {
                    named.name = name;
                }
                named.feeds.push(feed);
            }
        }
        for list in [
            &mut listing.people,
            &mut listing.tags,
            &mut listing.categories,
        ] {
            for named in list.iter_mut() {
                // Stable: the cross-language feed first, languages in the order given.
                named.feeds.sort_by_key(|f| f.lang.is_some());
            }
        }
        listing
    }
}

#[cfg(test)]
pub(super) mod tests {
    use std::path::Path;

    use super::*;

    /// One element of a document checked by [`elements`].
    #[derive(Debug)]
    pub struct Element {
        pub name: String,
        /// Values unescaped.
        pub attrs: Vec<(String, String)>,
        /// How many elements enclose it.
        pub depth: usize,
    }

    impl Element {
        pub fn attr(&self, name: &str) -> Option<&str> {
            self.attrs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        }
    }

    /// Checks that `text` is well-formed (as XML, but letting the `void` elements go
    /// unclosed, as HTML does) and lists its elements in document order. Checks: tags nest
    /// and close, one root, attribute values quoted and unique, no raw `<` in text or values,
    /// every `&` begins a known entity or a character reference.
    pub fn elements(text: &str, void: &[&str]) -> Result<Vec<Element>, String> {
        let mut found = Vec::new();
        let mut open: Vec<String> = Vec::new();
        let mut roots = 0;
        let mut rest = text;
        while let Some(lt) = rest.find('<') {
            let before = &rest[..lt];
            if open.is_empty() && !before.trim().is_empty() {
                return Err(format!("text outside the root: {before:?}"));
            }
            unescape(before)?;
            rest = &rest[lt..];
            let skip = [("<?", "?>"), ("<!--", "-->"), ("<!", ">")];
            if let Some((_, end)) = skip.iter().find(|(start, _)| rest.starts_with(start)) {
                let close = rest.find(end).ok_or("unclosed declaration")?;
                rest = &rest[close + end.len()..];
                continue;
            }
            if let Some(after) = rest.strip_prefix("</") {
                let gt = after.find('>').ok_or("unclosed end tag")?;
                let name = after[..gt].trim();
                match open.pop() {
                    Some(top) if top == name => {}
                    top => return Err(format!("</{name}> closes {top:?}")),
                }
                rest = &after[gt + 1..];
                continue;
            }
            let (element, closed, after) = start_tag(&rest[1..], open.len())?;
            if open.is_empty() {
                roots += 1;
            }
            if !closed && !void.contains(&element.name.as_str()) {
                open.push(element.name.clone());
            }
            found.push(element);
            rest = after;
        }
        if !rest.trim().is_empty() || !open.is_empty() || roots != 1 {
            return Err(format!(
                "unclosed {open:?}, {roots} roots, trailing {rest:?}"
            ));
        }
        Ok(found)
    }

    /// A start tag after its `<`: the element, whether it closed itself, what follows `>`.
    fn start_tag(text: &str, depth: usize) -> Result<(Element, bool, &str), String> {
        let end = text
            .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
            .ok_or("unclosed start tag")?;
        let name = &text[..end];
        if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '-') {
            return Err(format!("bad element name {name:?}"));
        }
        let mut element = Element {
            name: name.to_string(),
            attrs: Vec::new(),
            depth,
        };
        let mut rest = &text[end..];
        loop {
            rest = rest.trim_start();
            if let Some(after) = rest.strip_prefix("/>") {
                return Ok((element, true, after));
            }
            if let Some(after) = rest.strip_prefix('>') {
                return Ok((element, false, after));
            }
            let eq = rest
                .find("=\"")
                .ok_or(format!("bad attribute in <{name}>"))?;
            let attr = &rest[..eq];
            if attr.is_empty() || !attr.chars().all(|c| c.is_alphanumeric() || c == '-') {
                return Err(format!("bad attribute name {attr:?}"));
            }
            let value_end = rest[eq + 2..].find('"').ok_or("unclosed value")?;
            let raw = &rest[eq + 2..eq + 2 + value_end];
            if raw.contains('<') {
                return Err(format!("raw < in {attr}"));
            }
            if element.attr(attr).is_some() {
                return Err(format!("{attr} twice in <{name}>"));
            }
            element.attrs.push((attr.to_string(), unescape(raw)?));
            rest = &rest[eq + 2 + value_end + 1..];
            if !rest.starts_with(|c: char| c.is_whitespace() || c == '/' || c == '>') {
                return Err(format!("no space after {attr} in <{name}>"));
            }
        }
    }

    fn unescape(text: &str) -> Result<String, String> {
        let mut out = String::new();
        let mut rest = text;
        while let Some(amp) = rest.find('&') {
            out.push_str(&rest[..amp]);
            let semi = rest[amp..].find(';').ok_or(format!("bare & in {text:?}"))?;
            let entity = &rest[amp + 1..amp + semi];
            let c = match entity {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                _ => entity
                    .strip_prefix('#')
                    .and_then(|n| n.parse::<u32>().ok())
                    .and_then(char::from_u32)
                    .ok_or(format!("unknown entity &{entity}; in {text:?}"))?,
            };
            out.push(c);
            rest = &rest[amp + semi + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    pub const CONFIG: &str = r#"
feeds_url = "https://feeds.example/syndic/"
[languages.en]
base_url = "https://digital.example/"
title = "Tom & Jerry's <Blog> \"Live\""
description = "News"
[languages.fr]
base_url = "https://numerique.example/"
title = "Le blogue de Tom"
"#;

    pub fn config() -> Config {
        match Config::from_toml(Path::new("config.toml"), CONFIG) {
            Ok(config) => config,
            Err(e) => panic!("{e}"),
        }
    }

    /// A site in the one language `code`.
    pub fn one_language(code: &str) -> Config {
        let text = format!(
            "feeds_url = \"https://feeds.example/syndic/\"\n[languages.{code}]\n\
             base_url = \"https://site.example/\"\ntitle = \"Le blogue\"\n\
             description = \"Des nouvelles\"\n"
        );
        match Config::from_toml(Path::new("config.toml"), &text) {
            Ok(config) => config,
            Err(e) => panic!("{e}"),
        }
    }

    fn feed(scope: Scope, stem: &str, lang: Option<&str>, title: &str, home: &str) -> FeedDef {
        FeedDef {
            scope,
            stem: stem.to_string(),
            lang: lang.map(str::to_string),
            title: title.to_string(),
            description: String::new(),
            home_url: home.to_string(),
            posts: imbl::Vector::new(),
        }
    }

    /// The feeds `prepare` would make for two languages, two people (one of them writing in
    /// both), a tag used in English and a category used in French.
    pub fn feeds() -> Vec<Arc<FeedDef>> {
        let en = "https://digital.example/";
        let fr = "https://numerique.example/";
        let jane = |lang: &str| Scope::LangAuthor {
            lang: lang.to_string(),
            slug: "jane-doe".to_string(),
            name: "Jane Doe".to_string(),
            url: None,
        };
        let mut all = feed(
            Scope::All,
            "all",
            None,
            "Tom & Jerry's <Blog> / Le blogue",
            en,
        );
        all.description = "Line one\nline \"two\"".to_string();
        [
            all,
            feed(
                Scope::Lang("en".into()),
                "en",
                Some("en"),
                "Tom & <Blog>",
                en,
            ),
            feed(Scope::Lang("fr".into()), "fr", Some("fr"), "Le blogue", fr),
            feed(
                Scope::Author {
                    slug: "jane-doe".into(),
                    name: "Jane Doe".into(),
                    url: None,
                },
                "authors/jane-doe",
                None,
                "Blog: Jane Doe",
                en,
            ),
            feed(
                jane("en"),
                "en/authors/jane-doe",
                Some("en"),
                "Blog: Jane",
                en,
            ),
            feed(
                jane("fr"),
                "fr/authors/jane-doe",
                Some("fr"),
                "Blogue : Jane",
                fr,
            ),
            feed(
                Scope::Author {
                    slug: "o-neil".into(),
                    name: "Liam \"Bo\" O'Neil & <Co>".into(),
                    url: None,
                },
                "authors/o-neil",
                None,
                "Blog: Liam",
                en,
            ),
            feed(
                Scope::LangAuthor {
                    lang: "fr".into(),
                    slug: "o-neil".into(),
                    name: "Liam \"Bo\" O'Neil & <Co>".into(),
                    url: None,
                },
                "fr/authors/o-neil",
                Some("fr"),
                "Blogue : Liam",
                fr,
            ),
            feed(
                Scope::Term {
                    taxonomy: Taxonomy::Tag,
                    slug: "q-a".into(),
                    name: "Q&A".into(),
                },
                "tags/q-a",
                None,
                "Blog: Posts tagged Q&A",
                en,
            ),
            feed(
                Scope::LangTerm {
                    taxonomy: Taxonomy::Tag,
                    lang: "en".into(),
                    slug: "q-a".into(),
                    name: "Q&A".into(),
                },
                "en/tags/q-a",
                Some("en"),
                "Blog: Posts tagged Q&A",
                en,
            ),
            feed(
                Scope::Term {
                    taxonomy: Taxonomy::Category,
                    slug: "nouvelles".into(),
                    name: "Nouvelles".into(),
                },
                "categories/nouvelles",
                None,
                "Blogue : Billets de la catégorie Nouvelles",
                fr,
            ),
            feed(
                Scope::LangTerm {
                    taxonomy: Taxonomy::Category,
                    lang: "fr".into(),
                    slug: "nouvelles".into(),
                    name: "Nouvelles".into(),
                },
                "fr/categories/nouvelles",
                Some("fr"),
                "Blogue : Billets de la catégorie Nouvelles",
                fr,
            ),
        ]
        .into_iter()
        .map(Arc::new)
        .collect()
    }

    fn text(document: &Document) -> String {
        String::from_utf8(document.bytes.clone()).unwrap_or_default()
    }

    #[test]
    fn the_list_is_well_formed_opml_2() -> Result<(), String> {
        let document = opml(&config(), &feeds());
        assert_eq!(document.path, "all.opml");
        assert_eq!(document.content_type, "text/x-opml; charset=utf-8");
        assert_eq!(document.last_modified, None);
        assert!(!document.immutable);
        let text = text(&document);
        assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
        let elements = elements(&text, &[])?;
        let names: Vec<(&str, usize)> = elements
            .iter()
            .take(5)
            .map(|e| (e.name.as_str(), e.depth))
            .collect();
        assert_eq!(
            names,
            [
                ("opml", 0),
                ("head", 1),
                ("title", 2),
                ("docs", 2),
                ("body", 1)
            ]
        );
        assert_eq!(elements[0].attr("version"), Some("2.0"));
        assert!(text.contains("<docs>http://opml.org/spec2.opml</docs>"));
        assert!(text.contains(
            "<title>Tom &amp; Jerry&#39;s &lt;Blog&gt; &quot;Live&quot; / Le blogue de Tom</title>"
        ));
        assert!(!text.contains("dateCreated") && !text.contains("dateModified"));
        Ok(())
    }

    #[test]
    fn one_outline_per_feed_per_format_with_its_address() -> Result<(), String> {
        let feeds = feeds();
        let text = text(&opml(&config(), &feeds));
        let elements = elements(&text, &[])?;
        let subscriptions: Vec<&Element> = elements
            .iter()
            .filter(|e| e.attr("type") == Some("rss"))
            .collect();
        assert_eq!(subscriptions.len(), feeds.len() * 3);
        for feed in &feeds {
            for (format, version) in Format::ALL
                .into_iter()
                .zip(["RSS2", "ATOM1", "JSONFEED1.1"])
            {
                let url = format!("https://feeds.example/syndic/{}", feed.path(format));
                let matching: Vec<&&Element> = subscriptions
                    .iter()
                    .filter(|e| e.attr("xmlUrl") == Some(url.as_str()))
                    .collect();
                assert_eq!(matching.len(), 1, "{url}");
                let outline = matching[0];
                let title = format!("{} ({})", feed.title, format.label());
                assert_eq!(outline.attr("text"), Some(title.as_str()));
                assert_eq!(outline.attr("title"), Some(title.as_str()));
                assert_eq!(outline.attr("htmlUrl"), Some(feed.home_url.as_str()));
                assert_eq!(outline.attr("language"), feed.lang.as_deref());
                assert_eq!(outline.attr("version"), Some(version));
            }
        }
        Ok(())
    }

    #[test]
    fn outlines_are_grouped_site_languages_people_tags_categories() -> Result<(), String> {
        let text = text(&opml(&config(), &feeds()));
        let elements = elements(&text, &[])?;
        let folders: Vec<(usize, &str)> = elements
            .iter()
            .filter(|e| e.name == "outline" && e.attr("type").is_none())
            .map(|e| (e.depth, e.attr("text").unwrap_or_default()))
            .collect();
        assert_eq!(
            folders,
            [
                (2, "Every language / Toutes les langues"),
                (2, "English – Tom & <Blog>"),
                (2, "Français – Le blogue"),
                (2, "People / Personnes"),
                (3, "Jane Doe"),
                (3, "Liam \"Bo\" O'Neil & <Co>"),
                (2, "Tags / Étiquettes"),
                (3, "Q&A"),
                (2, "Categories / Catégories"),
                (3, "Nouvelles"),
            ]
        );
        // A tag's feed across languages, then in each language, inside its folder.
        let tag: Vec<&str> = elements
            .iter()
            .skip_while(|e| e.attr("text") != Some("Q&A"))
            .skip(1)
            .take_while(|e| e.depth == 4)
            .filter_map(|e| e.attr("xmlUrl"))
            .collect();
        assert_eq!(tag.len(), 6);
        assert!(tag[0].ends_with("/tags/q-a.rss"));
        assert!(tag[5].ends_with("/en/tags/q-a.json"));
        // Jane's cross-language feed, then hers in each language, inside her folder.
        let jane: Vec<&str> = elements
            .iter()
            .skip_while(|e| e.attr("text") != Some("Jane Doe"))
            .skip(1)
            .take_while(|e| e.depth == 4)
            .filter_map(|e| e.attr("xmlUrl"))
            .collect();
        assert_eq!(jane.len(), 9);
        assert!(jane[0].ends_with("/authors/jane-doe.rss"));
        assert!(jane[3].ends_with("/en/authors/jane-doe.rss"));
        assert!(jane[8].ends_with("/fr/authors/jane-doe.json"));
        Ok(())
    }

    #[test]
    fn every_attribute_is_escaped() -> Result<(), String> {
        let text = text(&opml(&config(), &feeds()));
        assert!(text.contains("text=\"Tom &amp; Jerry&#39;s &lt;Blog&gt; / Le blogue (RSS)\""));
        assert!(text.contains("text=\"Liam &quot;Bo&quot; O&#39;Neil &amp; &lt;Co&gt;\""));
        assert!(text.contains("description=\"Line one line &quot;two&quot;\""));
        let elements = elements(&text, &[])?;
        assert!(
            elements
                .iter()
                .any(|e| e.attr("text") == Some("Tom & Jerry's <Blog> / Le blogue (Atom)"))
        );
        Ok(())
    }

    #[test]
    fn relative_references_stay_in_the_tree() {
        assert_eq!(
            relative_href("authors/jane-doe.rss"),
            "authors/jane-doe.rss"
        );
        assert_eq!(relative_href("x:y/a b#c?.rss"), "x%3Ay/a%20b%23c%3F.rss");
    }

    #[test]
    fn the_same_feeds_give_the_same_bytes() {
        let (config, feeds) = (config(), feeds());
        assert_eq!(opml(&config, &feeds), opml(&config, &feeds));
    }

    #[test]
    fn the_checker_rejects_what_is_not_well_formed() {
        for bad in [
            "<a><b></a></b>",
            "<a x=\"1\" x=\"2\"/>",
            "<a x=\"<\"/>",
            "<a>&bogus;</a>",
            "<a>b & c</a>",
            "<a/><b/>",
            "<a>",
        ] {
            assert!(elements(bad, &[]).is_err(), "{bad}");
        }
    }
}
