//! Every document of the sample, fixture and hostile corpora, archive pages included, checked
//! against the rules of its specification, rule by rule: RFC 4287 for Atom (with RFC 3339
//! dates), RSS 2.0 as the W3C Feed Validator applies it (RFC 822 dates with the right weekday,
//! known elements only, a `guid` that is a full URL unless it says otherwise), and JSON Feed 1.1
//! (required members, types, extension keys). `feed-rs` (tests/feeds.rs) reads what a lenient
//! reader gets; this reads what a validator would refuse.

use std::collections::BTreeMap;
use std::path::PathBuf;

use syndic::config::Config;
use syndic::corpus;
use syndic::feeds::{self, Document, RenderOptions};

const ATOM: &str = "http://www.w3.org/2005/Atom";
const XML: &str = "http://www.w3.org/XML/1998/namespace";

/// Every document of the corpus at `config`, archive pages included.
fn documents(config: &str) -> Vec<Document> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(config);
    let config = match Config::load(&path) {
        Ok(config) => config,
        Err(e) => panic!("{e}"),
    };
    let corpus = corpus::load(&config, &Default::default());
    let feeds = feeds::prepare(&config, &corpus);
    feeds::render(
        &config,
        &feeds,
        RenderOptions {
            archives: true,
            link_archives: false,
        },
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// The corpora checked: the sample, the small fixtures (one with tags and categories), and the
/// one made of everything hostile a post can hold (markup, control characters, odd names).
const CORPORA: [&str; 4] = [
    "config.toml",
    "tests/fixtures/mini/config.toml",
    "tests/fixtures/tags/config.toml",
    "tests/fixtures/hostile/config.toml",
];

/// [`CORPORA`], and the configuration `SYNDIC_CONFORMANCE_CONFIG` names if set: a generated
/// corpus, say (`cargo run --release --example gen-corpus -- DIR 1000`).
fn corpora() -> Vec<String> {
    let mut all: Vec<String> = CORPORA.iter().map(|c| c.to_string()).collect();
    all.extend(std::env::var("SYNDIC_CONFORMANCE_CONFIG").ok());
    all
}

/// What a document breaks, one line per rule.
#[derive(Default)]
struct Faults(Vec<String>);

impl Faults {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.0.push(what());
        }
    }
}

/// Checks every document whose path ends in `kind`, of every corpus: at least `least` of them.
fn check_all(kind: &str, least: usize, check: fn(&Document, &mut Faults)) {
    let mut checked = 0;
    let mut broken: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for corpus in corpora() {
        for doc in documents(&corpus) {
            if !doc.path.ends_with(kind) {
                continue;
            }
            checked += 1;
            let mut faults = Faults::default();
            check(&doc, &mut faults);
            if !faults.0.is_empty() {
                broken.insert(format!("{corpus}: {}", doc.path), faults.0);
            }
        }
    }
    assert!(checked >= least, "only {checked} {kind} documents");
    assert!(
        broken.is_empty(),
        "{} of {checked} {kind} documents break their specification:\n{:#?}",
        broken.len(),
        broken.iter().take(5).collect::<Vec<_>>()
    );
}

fn xml(doc: &Document) -> roxmltree::Document<'_> {
    let text = match std::str::from_utf8(&doc.bytes) {
        Ok(text) => text,
        Err(e) => panic!("{} is not UTF-8: {e}", doc.path),
    };
    match roxmltree::Document::parse(text) {
        Ok(tree) => tree,
        Err(e) => panic!("{} is not well-formed XML: {e}", doc.path),
    }
}

/// An absolute URL (RFC 3986 `absolute-URI`, which an IRI with no fragment also is).
fn absolute(text: &str) -> bool {
    url::Url::parse(text).is_ok_and(|u| u.has_host() || u.scheme() == "urn" || u.scheme() == "tag")
}

/// RFC 3066 / BCP 47 as the Atom schema's `atomLanguageTag` reads it: 1 to 8 letters, then
/// subtags of 1 to 8 letters or digits.
fn language_tag(text: &str) -> bool {
    let mut parts = text.split('-');
    let first = parts.next().unwrap_or_default();
    (1..=8).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// RFC 3339 `date-time`, with the upper-case `T` and `Z` RFC 4287 (3.3) asks for.
fn rfc3339(text: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(text).is_ok()
        && text.as_bytes().get(10) == Some(&b'T')
        && !text.contains('z')
        && !text.contains('t')
}

fn children<'a, 'input>(
    node: roxmltree::Node<'a, 'input>,
) -> impl Iterator<Item = roxmltree::Node<'a, 'input>> {
    node.children().filter(|n| n.is_element())
}

fn count(node: roxmltree::Node, ns: Option<&str>, name: &str) -> usize {
    children(node)
        .filter(|c| c.tag_name().namespace() == ns && c.tag_name().name() == name)
        .count()
}

fn text_of<'a>(node: roxmltree::Node<'a, '_>, ns: Option<&str>, name: &str) -> Option<&'a str> {
    children(node)
        .find(|c| c.tag_name().namespace() == ns && c.tag_name().name() == name)
        .map(|c| c.text().unwrap_or_default())
}

// ---------------------------------------------------------------------------------------------
// Atom: RFC 4287

/// Link relations RFC 4287 (4.2.7.2) names, and the IANA-registered ones syndic writes
/// (RFC 5005's archive relations).
const LINK_RELATIONS: [&str; 8] = [
    "alternate",
    "related",
    "self",
    "enclosure",
    "via",
    "current",
    "prev-archive",
    "next-archive",
];

const FEED_CHILDREN: [&str; 13] = [
    "author",
    "category",
    "contributor",
    "generator",
    "icon",
    "id",
    "link",
    "logo",
    "rights",
    "subtitle",
    "title",
    "updated",
    "entry",
];

const ENTRY_CHILDREN: [&str; 12] = [
    "author",
    "category",
    "content",
    "contributor",
    "id",
    "link",
    "published",
    "rights",
    "source",
    "summary",
    "title",
    "updated",
];

fn atom(doc: &Document, faults: &mut Faults) {
    let tree = xml(doc);
    let feed = tree.root_element();
    faults.check(
        feed.tag_name().namespace() == Some(ATOM) && feed.tag_name().name() == "feed",
        || format!("root is {:?}, not atom:feed", feed.tag_name()),
    );
    common_attributes(feed, faults);
    atom_children(feed, &FEED_CHILDREN, faults);
    // 4.1.1: exactly one id, title, updated; at most one of the rest.
    for name in ["id", "title", "updated"] {
        let n = count(feed, Some(ATOM), name);
        faults.check(n == 1, || format!("feed has {n} atom:{name}"));
    }
    for name in ["generator", "icon", "logo", "rights", "subtitle"] {
        let n = count(feed, Some(ATOM), name);
        faults.check(n <= 1, || format!("feed has {n} atom:{name}"));
    }
    id(feed, faults);
    date(feed, "updated", faults);
    text_construct(feed, "title", faults);
    text_construct(feed, "subtitle", faults);
    links(feed, faults);
    let selfs = children(feed)
        .filter(|c| c.tag_name().name() == "link" && c.attribute("rel") == Some("self"))
        .count();
    faults.check(selfs == 1, || format!("feed has {selfs} self links"));
    for person in children(feed).filter(|c| c.tag_name().name() == "author") {
        person_construct(person, faults);
    }
    let feed_has_author = count(feed, Some(ATOM), "author") > 0;
    for entry in children(feed).filter(|c| c.tag_name().name() == "entry") {
        atom_entry(entry, feed_has_author, faults);
    }
}

fn atom_entry(entry: roxmltree::Node, feed_has_author: bool, faults: &mut Faults) {
    common_attributes(entry, faults);
    atom_children(entry, &ENTRY_CHILDREN, faults);
    let id_text = text_of(entry, Some(ATOM), "id")
        .unwrap_or_default()
        .to_string();
    // 4.1.2: exactly one id, title, updated; at most one of these.
    for name in ["id", "title", "updated"] {
        let n = count(entry, Some(ATOM), name);
        faults.check(n == 1, || format!("entry {id_text} has {n} atom:{name}"));
    }
    for name in ["content", "published", "rights", "source", "summary"] {
        let n = count(entry, Some(ATOM), name);
        faults.check(n <= 1, || format!("entry {id_text} has {n} atom:{name}"));
    }
    // 4.1.1: an entry needs an author where the feed has none.
    faults.check(
        feed_has_author || count(entry, Some(ATOM), "author") > 0,
        || format!("entry {id_text} has no author and neither has the feed"),
    );
    for person in children(entry).filter(|c| c.tag_name().name() == "author") {
        person_construct(person, faults);
    }
    id(entry, faults);
    date(entry, "updated", faults);
    date(entry, "published", faults);
    text_construct(entry, "title", faults);
    text_construct(entry, "summary", faults);
    links(entry, faults);
    // 4.1.2: without content, an alternate link.
    let alternates = children(entry)
        .filter(|c| {
            c.tag_name().name() == "link"
                && c.attribute("rel").unwrap_or("alternate") == "alternate"
        })
        .count();
    if let Some(content) = children(entry).find(|c| c.tag_name().name() == "content") {
        // 4.1.3: type text, html, xhtml or a media type; with src, empty and a summary.
        let kind = content.attribute("type").unwrap_or("text");
        faults.check(
            ["text", "html", "xhtml"].contains(&kind) || kind.contains('/'),
            || format!("entry {id_text}: content type {kind}"),
        );
        if content.attribute("src").is_some() {
            faults.check(count(entry, Some(ATOM), "summary") == 1, || {
                format!("entry {id_text}: content with src and no summary")
            });
        }
    } else {
        faults.check(alternates > 0, || {
            format!("entry {id_text}: no content and no alternate link")
        });
    }
    // RFC 4287 4.2.2: `term` required; `scheme` an IRI; `label` text; no content.
    for category in children(entry).filter(|c| c.tag_name().name() == "category") {
        faults.check(
            category.attribute("term").is_some_and(|t| !t.is_empty()),
            || format!("entry {id_text}: category without term"),
        );
        if let Some(scheme) = category.attribute("scheme") {
            faults.check(absolute(scheme), || {
                format!("entry {id_text}: category scheme {scheme:?}")
            });
        }
        faults.check(!category.has_children(), || {
            format!("entry {id_text}: category with content")
        });
    }
}

/// Children in the Atom namespace are the ones the element may have; others are extensions,
/// which must be in a namespace (RFC 4287 6.4).
fn atom_children(node: roxmltree::Node, allowed: &[&str], faults: &mut Faults) {
    for child in children(node) {
        let name = child.tag_name();
        match name.namespace() {
            Some(ATOM) => faults.check(allowed.contains(&name.name()), || {
                format!(
                    "atom:{} inside atom:{}",
                    name.name(),
                    node.tag_name().name()
                )
            }),
            Some(_) => {}
            None => faults.check(false, || {
                format!(
                    "{} in no namespace inside atom:{}",
                    name.name(),
                    node.tag_name().name()
                )
            }),
        }
    }
}

/// `xml:lang` and `xml:base` (RFC 4287 2).
fn common_attributes(node: roxmltree::Node, faults: &mut Faults) {
    if let Some(lang) = node.attribute((XML, "lang")) {
        faults.check(lang.is_empty() || language_tag(lang), || {
            format!("xml:lang {lang:?}")
        });
    }
}

fn id(node: roxmltree::Node, faults: &mut Faults) {
    let id = text_of(node, Some(ATOM), "id").unwrap_or_default();
    // 4.2.6: an absolute IRI.
    faults.check(absolute(id), || {
        format!("atom:id {id:?} is not an absolute IRI")
    });
}

fn date(node: roxmltree::Node, name: &str, faults: &mut Faults) {
    if let Some(text) = text_of(node, Some(ATOM), name) {
        faults.check(rfc3339(text), || {
            format!("atom:{name} {text:?} is not RFC 3339")
        });
        faults.check(xsd_date_time(text), || {
            format!("atom:{name} {text:?} is not an xsd:dateTime (RFC 4287's schema)")
        });
    }
}

/// What XML Schema's `dateTime` adds to an RFC 3339 date-time, as RFC 4287's RELAX NG schema
/// types Atom's dates: no year 0000, and an offset of at most 14:00.
fn xsd_date_time(text: &str) -> bool {
    let Ok(date) = chrono::DateTime::parse_from_rfc3339(text) else {
        return false;
    };
    !text.starts_with("0000") && date.offset().local_minus_utc().unsigned_abs() <= 14 * 3600
}

/// 3.1: type text, html or xhtml; xhtml holds one xhtml:div; text and html hold no element.
fn text_construct(node: roxmltree::Node, name: &str, faults: &mut Faults) {
    for text in children(node)
        .filter(|c| c.tag_name().namespace() == Some(ATOM))
        .filter(|c| c.tag_name().name() == name)
    {
        let kind = text.attribute("type").unwrap_or("text");
        faults.check(["text", "html", "xhtml"].contains(&kind), || {
            format!("atom:{name} type {kind}")
        });
        let elements = children(text).count();
        if kind == "xhtml" {
            faults.check(elements == 1, || {
                format!("atom:{name}: xhtml without one div")
            });
        } else {
            faults.check(elements == 0, || {
                format!("atom:{name}: {kind} holding elements")
            });
        }
    }
}

/// 3.2: exactly one name, at most one uri (an IRI) and one email.
fn person_construct(person: roxmltree::Node, faults: &mut Faults) {
    let names = count(person, Some(ATOM), "name");
    faults.check(names == 1, || format!("person with {names} names"));
    faults.check(
        !text_of(person, Some(ATOM), "name")
            .unwrap_or_default()
            .trim()
            .is_empty(),
        || "person with an empty name".to_string(),
    );
    for name in ["uri", "email"] {
        let n = count(person, Some(ATOM), name);
        faults.check(n <= 1, || format!("person with {n} atom:{name}"));
    }
    if let Some(uri) = text_of(person, Some(ATOM), "uri") {
        faults.check(absolute(uri), || format!("person uri {uri:?}"));
    }
}

/// 4.2.7: href required; rel a registered name or an IRI; hreflang a language tag; type a media
/// type; and 4.1.1/4.1.2: one alternate link per type and hreflang.
fn links(node: roxmltree::Node, faults: &mut Faults) {
    let mut alternates = std::collections::BTreeSet::new();
    for link in children(node).filter(|c| c.tag_name().name() == "link") {
        let href = link.attribute("href").unwrap_or_default();
        faults.check(absolute(href), || format!("link href {href:?}"));
        let rel = link.attribute("rel").unwrap_or("alternate");
        faults.check(LINK_RELATIONS.contains(&rel) || absolute(rel), || {
            format!("link rel {rel:?}")
        });
        if let Some(lang) = link.attribute("hreflang") {
            faults.check(language_tag(lang), || format!("link hreflang {lang:?}"));
        }
        if let Some(kind) = link.attribute("type") {
            faults.check(
                kind.split_once('/')
                    .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty()),
                || format!("link type {kind:?}"),
            );
        }
        if rel == "alternate" {
            let key = (link.attribute("type"), link.attribute("hreflang"));
            faults.check(alternates.insert(key), || {
                format!("two alternate links with type and hreflang {key:?}")
            });
        }
    }
}

#[test]
fn atom_documents_follow_rfc_4287() {
    check_all(".atom", 100, atom);
}

// ---------------------------------------------------------------------------------------------
// RSS 2.0, as the W3C Feed Validator applies it

const CHANNEL_ELEMENTS: [&str; 20] = [
    "title",
    "link",
    "description",
    "language",
    "copyright",
    "managingEditor",
    "webMaster",
    "pubDate",
    "lastBuildDate",
    "category",
    "generator",
    "docs",
    "cloud",
    "ttl",
    "image",
    "rating",
    "textInput",
    "skipHours",
    "skipDays",
    "item",
];

const ITEM_ELEMENTS: [&str; 10] = [
    "title",
    "link",
    "description",
    "author",
    "category",
    "comments",
    "enclosure",
    "guid",
    "pubDate",
    "source",
];

/// An RFC 822 date as RSS 2.0 has it, four-digit year, with the weekday it really was (the
/// validator's "incorrect day of week").
fn rfc822(text: &str) -> bool {
    chrono::DateTime::parse_from_rfc2822(text).is_ok_and(|d| {
        use chrono::Datelike;
        let weekday = text.split(',').next().unwrap_or_default();
        let names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        names.get(d.weekday().num_days_from_monday() as usize) == Some(&weekday)
            && text.split_whitespace().nth(3).is_some_and(|y| y.len() == 4)
    })
}

fn rss(doc: &Document, faults: &mut Faults) {
    let tree = xml(doc);
    let root = tree.root_element();
    faults.check(
        root.tag_name().name() == "rss" && root.tag_name().namespace().is_none(),
        || format!("root is {:?}", root.tag_name()),
    );
    faults.check(root.attribute("version") == Some("2.0"), || {
        format!("rss version {:?}", root.attribute("version"))
    });
    let channels: Vec<_> = children(root).collect();
    faults.check(
        channels.len() == 1 && channels[0].tag_name().name() == "channel",
        || "rss does not hold exactly one channel".to_string(),
    );
    let Some(channel) = channels.first().copied() else {
        return;
    };
    rss_children(channel, &CHANNEL_ELEMENTS, faults);
    for name in ["title", "link", "description"] {
        let n = count(channel, None, name);
        faults.check(n == 1, || format!("channel has {n} {name}"));
    }
    for name in [
        "language",
        "pubDate",
        "lastBuildDate",
        "generator",
        "ttl",
        "image",
        "docs",
    ] {
        let n = count(channel, None, name);
        faults.check(n <= 1, || format!("channel has {n} {name}"));
    }
    let link = text_of(channel, None, "link").unwrap_or_default();
    faults.check(absolute(link), || format!("channel link {link:?}"));
    if let Some(lang) = text_of(channel, None, "language") {
        faults.check(language_tag(lang), || format!("channel language {lang:?}"));
    }
    for name in ["pubDate", "lastBuildDate"] {
        if let Some(date) = text_of(channel, None, name) {
            faults.check(rfc822(date), || format!("channel {name} {date:?}"));
        }
    }
    // The validator recommends, and syndic always writes, an atom:link to the document itself.
    let selfs = children(channel)
        .filter(|c| {
            c.tag_name().namespace() == Some(ATOM)
                && c.tag_name().name() == "link"
                && c.attribute("rel") == Some("self")
        })
        .count();
    faults.check(selfs == 1, || {
        format!("channel has {selfs} atom:link rel=self")
    });
    for atom_link in children(channel).filter(|c| c.tag_name().namespace() == Some(ATOM)) {
        let href = atom_link.attribute("href").unwrap_or_default();
        faults.check(absolute(href), || format!("atom:link href {href:?}"));
    }
    for item in children(channel).filter(|c| c.tag_name().name() == "item") {
        rss_item(item, faults);
    }
}

fn rss_item(item: roxmltree::Node, faults: &mut Faults) {
    rss_children(item, &ITEM_ELEMENTS, faults);
    let guid = text_of(item, None, "guid").unwrap_or_default().to_string();
    // An item has a title or a description, and at most one of each element but category.
    faults.check(
        count(item, None, "title") + count(item, None, "description") > 0,
        || format!("item {guid}: neither title nor description"),
    );
    for name in ITEM_ELEMENTS.iter().filter(|n| **n != "category") {
        let n = count(item, None, name);
        faults.check(n <= 1, || format!("item {guid}: {n} {name}"));
    }
    if let Some(link) = text_of(item, None, "link") {
        faults.check(absolute(link), || format!("item link {link:?}"));
    }
    if let Some(guid_node) = children(item).find(|c| c.tag_name().name() == "guid") {
        let permalink = guid_node.attribute("isPermaLink").unwrap_or("true");
        faults.check(["true", "false"].contains(&permalink), || {
            format!("guid isPermaLink {permalink:?}")
        });
        if permalink == "true" {
            faults.check(absolute(&guid), || {
                format!("guid {guid:?} is not a full URL")
            });
        }
    }
    if let Some(date) = text_of(item, None, "pubDate") {
        faults.check(rfc822(date), || format!("item {guid}: pubDate {date:?}"));
    }
    // A category is text naming it; `domain`, where given, names its taxonomy.
    for category in children(item)
        .filter(|c| c.tag_name().name() == "category" && c.tag_name().namespace().is_none())
    {
        let name = category.text().unwrap_or_default();
        faults.check(!name.trim().is_empty(), || {
            format!("item {guid}: empty category")
        });
        if let Some(domain) = category.attribute("domain") {
            faults.check(!domain.trim().is_empty(), || {
                format!("item {guid}: category with an empty domain")
            });
        }
    }
    // `author` must be an e-mail address; people go in dc:creator.
    faults.check(count(item, None, "author") == 0, || {
        format!("item {guid}: author element (an e-mail address in RSS)")
    });
    for media in children(item)
        .filter(|c| c.tag_name().name() == "content" || c.tag_name().name() == "thumbnail")
    {
        if media.tag_name().namespace() == Some("http://search.yahoo.com/mrss/") {
            let url = media.attribute("url").unwrap_or_default();
            faults.check(absolute(url), || format!("item {guid}: media url {url:?}"));
        }
    }
}

/// Elements in no namespace are RSS 2.0's own; others are extensions, which the validator
/// accepts in any declared namespace.
fn rss_children(node: roxmltree::Node, allowed: &[&str], faults: &mut Faults) {
    for child in children(node) {
        if child.tag_name().namespace().is_none() {
            faults.check(allowed.contains(&child.tag_name().name()), || {
                format!(
                    "undefined {} element {}",
                    node.tag_name().name(),
                    child.tag_name().name()
                )
            });
        }
    }
}

#[test]
fn rss_documents_follow_rss_2_0_as_the_w3c_validator_reads_it() {
    check_all(".rss", 100, rss);
}

// ---------------------------------------------------------------------------------------------
// JSON Feed 1.1

// `author` is JSON Feed 1.0's, deprecated in 1.1, which lets publishers keep it for older readers.
const FEED_KEYS: [&str; 15] = [
    "version",
    "items",
    "title",
    "home_page_url",
    "feed_url",
    "description",
    "user_comment",
    "next_url",
    "icon",
    "favicon",
    "author",
    "authors",
    "language",
    "expired",
    "hubs",
];

const ITEM_KEYS: [&str; 16] = [
    "id",
    "url",
    "external_url",
    "title",
    "content_html",
    "content_text",
    "summary",
    "image",
    "banner_image",
    "date_published",
    "date_modified",
    "author",
    "authors",
    "tags",
    "language",
    "attachments",
];

/// Members a JSON Feed object may have: the specification's, and extensions (`_` and a letter).
fn json_keys(
    object: &serde_json::Map<String, serde_json::Value>,
    known: &[&str],
    faults: &mut Faults,
) {
    for key in object.keys() {
        let extension =
            key.starts_with('_') && key.chars().nth(1).is_some_and(|c| c.is_ascii_alphabetic());
        faults.check(known.contains(&key.as_str()) || extension, || {
            format!("unknown member {key:?}")
        });
        if extension {
            faults.check(object[key].is_object(), || {
                format!("extension {key:?} is not an object")
            });
        }
    }
}

fn json_url(object: &serde_json::Map<String, serde_json::Value>, key: &str, faults: &mut Faults) {
    if let Some(value) = object.get(key) {
        let url = value.as_str().unwrap_or_default();
        faults.check(absolute(url), || format!("{key} {value} is not a URL"));
    }
}

fn json_string(
    object: &serde_json::Map<String, serde_json::Value>,
    key: &str,
    faults: &mut Faults,
) {
    if let Some(value) = object.get(key) {
        faults.check(value.is_string(), || {
            format!("{key} {value} is not a string")
        });
    }
}

fn json_authors(object: &serde_json::Map<String, serde_json::Value>, faults: &mut Faults) {
    let single = object.get("author").map(std::slice::from_ref);
    let Some(authors) = object.get("authors") else {
        faults.check(single.is_none(), || "author without authors".to_string());
        return;
    };
    let Some(authors) = authors.as_array() else {
        faults.check(false, || "authors is not an array".to_string());
        return;
    };
    for author in authors.iter().chain(single.into_iter().flatten()) {
        let Some(author) = author.as_object() else {
            faults.check(false, || format!("author {author} is not an object"));
            continue;
        };
        // Each author has at least one of name, url, avatar.
        faults.check(
            ["name", "url", "avatar"]
                .iter()
                .any(|k| author.contains_key(*k)),
            || format!("author {author:?} has no name, url or avatar"),
        );
        json_keys(author, &["name", "url", "avatar"], faults);
        json_string(author, "name", faults);
        json_url(author, "url", faults);
    }
}

fn json(doc: &Document, faults: &mut Faults) {
    let value: serde_json::Value = match serde_json::from_slice(&doc.bytes) {
        Ok(value) => value,
        Err(e) => panic!("{} is not JSON: {e}", doc.path),
    };
    let Some(feed) = value.as_object() else {
        faults.check(false, || "not an object".to_string());
        return;
    };
    faults.check(
        feed.get("version").and_then(|v| v.as_str()) == Some("https://jsonfeed.org/version/1.1"),
        || format!("version {:?}", feed.get("version")),
    );
    faults.check(
        feed.get("title")
            .and_then(|v| v.as_str())
            .is_some_and(|t| !t.is_empty()),
        || "no title".to_string(),
    );
    json_keys(feed, &FEED_KEYS, faults);
    for key in ["home_page_url", "feed_url", "next_url", "icon", "favicon"] {
        json_url(feed, key, faults);
    }
    for key in ["description", "language"] {
        json_string(feed, key, faults);
    }
    if let Some(lang) = feed.get("language").and_then(|v| v.as_str()) {
        faults.check(language_tag(lang), || format!("language {lang:?}"));
    }
    json_authors(feed, faults);
    let Some(items) = feed.get("items").and_then(|v| v.as_array()) else {
        faults.check(false, || "items is not an array".to_string());
        return;
    };
    for item in items {
        let Some(item) = item.as_object() else {
            faults.check(false, || format!("item {item} is not an object"));
            continue;
        };
        let id = item.get("id").and_then(|v| v.as_str()).unwrap_or_default();
        // 1.1: id is a string, unique and stable; content_html or content_text is present.
        faults.check(!id.is_empty(), || {
            format!("item without a string id: {item:?}")
        });
        faults.check(
            item.get("content_html").is_some_and(|v| v.is_string())
                || item.get("content_text").is_some_and(|v| v.is_string()),
            || format!("item {id}: neither content_html nor content_text"),
        );
        json_keys(item, &ITEM_KEYS, faults);
        for key in ["url", "external_url", "image", "banner_image"] {
            json_url(item, key, faults);
        }
        for key in [
            "title",
            "summary",
            "language",
            "content_html",
            "content_text",
        ] {
            json_string(item, key, faults);
        }
        for key in ["date_published", "date_modified"] {
            if let Some(date) = item.get(key) {
                let text = date.as_str().unwrap_or_default();
                faults.check(rfc3339(text), || {
                    format!("item {id}: {key} {date} is not RFC 3339")
                });
            }
        }
        if let Some(tags) = item.get("tags") {
            faults.check(
                tags.as_array()
                    .is_some_and(|t| t.iter().all(|t| t.is_string())),
                || format!("item {id}: tags {tags}"),
            );
        }
        json_authors(item, faults);
    }
}

#[test]
fn json_documents_follow_json_feed_1_1() {
    check_all(".json", 100, json);
}

// ---------------------------------------------------------------------------------------------
// OPML 2.0

fn opml(doc: &Document, faults: &mut Faults) {
    let tree = xml(doc);
    let root = tree.root_element();
    faults.check(
        root.tag_name().name() == "opml" && root.attribute("version") == Some("2.0"),
        || {
            format!(
                "root {:?} version {:?}",
                root.tag_name(),
                root.attribute("version")
            )
        },
    );
    for name in ["head", "body"] {
        let n = count(root, None, name);
        faults.check(n == 1, || format!("opml has {n} {name}"));
    }
    if let Some(head) = children(root).find(|c| c.tag_name().name() == "head") {
        for name in ["dateCreated", "dateModified"] {
            if let Some(date) = text_of(head, None, name) {
                faults.check(rfc822(date), || format!("head {name} {date:?}"));
            }
        }
    }
    let outlines: Vec<_> = root
        .descendants()
        .filter(|n| n.tag_name().name() == "outline")
        .collect();
    faults.check(!outlines.is_empty(), || "no outline".to_string());
    for outline in outlines {
        // Every outline has a text attribute; a subscription (type rss) an xmlUrl.
        let text = outline.attribute("text").unwrap_or_default();
        faults.check(!text.trim().is_empty(), || {
            "outline without text".to_string()
        });
        if outline.attribute("type") == Some("rss") {
            let url = outline.attribute("xmlUrl").unwrap_or_default();
            faults.check(absolute(url), || {
                format!("outline {text:?}: xmlUrl {url:?}")
            });
        }
        if let Some(url) = outline.attribute("htmlUrl") {
            faults.check(absolute(url), || {
                format!("outline {text:?}: htmlUrl {url:?}")
            });
        }
        if let Some(lang) = outline.attribute("language") {
            faults.check(language_tag(lang), || {
                format!("outline {text:?}: language {lang:?}")
            });
        }
    }
}

#[test]
fn the_opml_list_follows_opml_2_0_and_names_only_documents_that_exist() {
    check_all(".opml", CORPORA.len(), opml);
    for corpus in corpora() {
        let docs = documents(&corpus);
        let paths: std::collections::BTreeSet<&str> =
            docs.iter().map(|d| d.path.as_str()).collect();
        for doc in docs.iter().filter(|d| d.path.ends_with(".opml")) {
            let tree = xml(doc);
            let urls: Vec<&str> = tree
                .descendants()
                .filter_map(|n| n.attribute("xmlUrl"))
                .collect();
            assert!(
                urls.len() >= 6,
                "{corpus}: {} lists {} feeds",
                doc.path,
                urls.len()
            );
            for url in urls {
                let path = url.split_once("/feeds/").map_or("", |(_, p)| p);
                assert!(
                    paths.contains(path),
                    "{corpus}: {} lists {url}, not built",
                    doc.path
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The checks themselves: each refuses what its specification refuses.

fn faults_of(check: fn(&Document, &mut Faults), path: &str, text: &str) -> Vec<String> {
    let doc = Document::whole(path, "text/plain", text.as_bytes().to_vec());
    let mut faults = Faults::default();
    check(&doc, &mut faults);
    faults.0
}

#[test]
fn the_checks_refuse_what_the_specifications_refuse() {
    let atom_feed = |entry: &str| {
        format!(
            "<feed xmlns='{ATOM}'><title>t</title><id>https://a.example/f</id>\
             <updated>2025-01-02T03:04:05Z</updated>\
             <link rel='self' href='https://a.example/f.atom'/>{entry}</feed>"
        )
    };
    let good_entry = "<entry><title>e</title><id>https://a.example/e</id>\
                      <updated>2025-01-02T03:04:05Z</updated><author><name>A</name></author>\
                      <content type='html'>&lt;p&gt;x&lt;/p&gt;</content></entry>";
    assert_eq!(
        faults_of(atom, "f.atom", &atom_feed(good_entry)),
        Vec::<String>::new()
    );
    let categorized = good_entry.replace(
        "<content",
        "<category term='news' scheme='https://a.example/categories/' label='News'/><content",
    );
    assert_eq!(
        faults_of(atom, "f.atom", &atom_feed(&categorized)),
        Vec::<String>::new()
    );
    for bad in [
        good_entry.replace("<author><name>A</name></author>", ""),
        good_entry.replace("2025-01-02T03:04:05Z", "2025-01-02 03:04:05"),
        good_entry.replace("2025-01-02T03:04:05Z", "0000-01-02T03:04:05Z"),
        good_entry.replace("2025-01-02T03:04:05Z", "2025-01-02T03:04:05-14:30"),
        good_entry.replace("https://a.example/e", "e-1"),
        good_entry.replace("<title>e</title>", ""),
        good_entry.replace(
            "<content",
            "<summary>s</summary><summary>t</summary><content",
        ),
        good_entry.replace(
            "<content",
            "<link href='https://a.example/1'/><link href='https://a.example/2'/><content",
        ),
        good_entry.replace(
            "<content",
            "<link rel='made-up' href='https://a.example/1'/><content",
        ),
        good_entry.replace("<content", "<atom-ish/><content"),
        good_entry.replace("<name>A</name>", "<name>A</name><name>B</name>"),
        good_entry.replace("<content", "<category label='News'/><content"),
        good_entry.replace("<content", "<category term=''/><content"),
        good_entry.replace("<content", "<category term='news' scheme='tags/'/><content"),
        good_entry.replace("<content", "<category term='news'>News</category><content"),
    ] {
        assert!(
            !faults_of(atom, "f.atom", &atom_feed(&bad)).is_empty(),
            "{bad}"
        );
    }

    let rss_doc = |item: &str| {
        format!(
            "<rss version='2.0' xmlns:atom='{ATOM}'><channel><title>t</title>\
             <link>https://a.example/</link><description>d</description>\
             <atom:link rel='self' href='https://a.example/f.rss'/>{item}</channel></rss>"
        )
    };
    let good_item = "<item><title>i</title><guid>https://a.example/i</guid>\
                     <pubDate>Thu, 02 Jan 2025 03:04:05 +0000</pubDate></item>";
    assert_eq!(
        faults_of(rss, "f.rss", &rss_doc(good_item)),
        Vec::<String>::new()
    );
    let categorized = good_item.replace(
        "<title>i</title>",
        "<title>i</title><category domain='https://a.example/tags/'>News</category><category>Q&amp;A</category>",
    );
    assert_eq!(
        faults_of(rss, "f.rss", &rss_doc(&categorized)),
        Vec::<String>::new()
    );
    for bad in [
        good_item.replace("Thu,", "Fri,"),
        good_item.replace("2025", "25"),
        good_item.replace("https://a.example/i", "item-1"),
        good_item.replace("<title>i</title>", "<title>i</title><title>j</title>"),
        good_item.replace("<title>i</title>", "<creator>A</creator>"),
        good_item.replace("<title>i</title>", "<author>Jane Doe</author>"),
        "<item><guid isPermaLink='false'>x</guid></item>".to_string(),
        good_item.replace("<title>i</title>", "<title>i</title><category/>"),
        good_item.replace(
            "<title>i</title>",
            "<title>i</title><category domain=''>News</category>",
        ),
    ] {
        assert!(!faults_of(rss, "f.rss", &rss_doc(&bad)).is_empty(), "{bad}");
    }

    let opml_doc = |outline: &str| {
        format!("<opml version='2.0'><head><title>t</title></head><body>{outline}</body></opml>")
    };
    let good_outline = "<outline type='rss' text='t' xmlUrl='https://a.example/f.rss'/>";
    assert_eq!(
        faults_of(opml, "all.opml", &opml_doc(good_outline)),
        Vec::<String>::new()
    );
    for bad in [
        good_outline.replace("text='t'", ""),
        good_outline.replace("xmlUrl=", "url="),
        good_outline.replace("https://a.example/f.rss", "f.rss"),
        String::new(),
    ] {
        assert!(
            !faults_of(opml, "all.opml", &opml_doc(&bad)).is_empty(),
            "{bad}"
        );
    }

    let json_doc = |item: &str| {
        format!(
            "{{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"t\",\"items\":[{item}]}}"
        )
    };
    let good = "{\"id\":\"https://a.example/i\",\"content_html\":\"<p>x</p>\",\"date_published\":\"2025-01-02T03:04:05Z\",\"authors\":[{\"name\":\"A\"}]}";
    assert_eq!(
        faults_of(json, "f.json", &json_doc(good)),
        Vec::<String>::new()
    );
    for bad in [
        good.replace("\"id\":\"https://a.example/i\"", "\"id\":7"),
        good.replace("content_html", "content"),
        good.replace("2025-01-02T03:04:05Z", "2 Jan 2025"),
        good.replace("{\"name\":\"A\"}", "{\"nom\":\"A\"}"),
        good.replace("\"authors\"", "\"tags\":[\"News\",7],\"authors\""),
        good.replace("\"authors\"", "\"tags\":\"News\",\"authors\""),
        good.replace("\"authors\"", "\"author_list\""),
        good.replace("\"authors\"", "\"author\""),
        good.replace(
            "\"authors\":[{\"name\":\"A\"}]",
            "\"author\":{\"nom\":\"A\"},\"authors\":[{\"name\":\"A\"}]",
        ),
    ] {
        assert!(
            !faults_of(json, "f.json", &json_doc(&bad)).is_empty(),
            "{bad}"
        );
    }
}
