//! Feeds rendered from the fixture and sample corpora, read back with a real feed parser
//! (`feed-rs`) and compared with the posts.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

mod common;

use syndic::config::Config;
use syndic::corpus::{self, Corpus};
use syndic::feeds::{self, Document, FeedDef, Format, RenderOptions, Scope};

struct Site {
    config: Config,
    corpus: Corpus,
    feeds: Vec<std::sync::Arc<FeedDef>>,
    docs: BTreeMap<String, Document>,
}

fn site(config: &str, archives: bool) -> Site {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(config);
    match Config::load(&path) {
        Ok(config) => site_with(config, archives),
        Err(e) => panic!("{e}"),
    }
}

/// [`site`] for a configuration already loaded.
fn site_with(config: Config, archives: bool) -> Site {
    let corpus = corpus::load(&config, &Default::default());
    let feeds = feeds::prepare(&config, &corpus);
    let docs = feeds::render(
        &config,
        &feeds,
        RenderOptions {
            archives,
            link_archives: false,
        },
    )
    .unwrap_or_else(|e| panic!("{e}"))
    .into_iter()
    .map(|d| (d.path.clone(), d))
    .collect();
    Site {
        config,
        corpus,
        feeds,
        docs,
    }
}

fn parse(doc: &Document) -> feed_rs::model::Feed {
    match feed_rs::parser::parse(doc.bytes.as_slice()) {
        Ok(feed) => feed,
        Err(e) => panic!(
            "{} does not parse: {e}\n{}",
            doc.path,
            String::from_utf8_lossy(&doc.bytes)
        ),
    }
}

fn doc<'a>(site: &'a Site, path: &str) -> &'a Document {
    match site.docs.get(path) {
        Some(doc) => doc,
        None => panic!(
            "no document {path}; have {:?}",
            site.docs.keys().take(20).collect::<Vec<_>>()
        ),
    }
}

/// The item ids of a document, in order.
fn ids(doc: &Document) -> Vec<String> {
    parse(doc).entries.into_iter().map(|e| e.id).collect()
}

fn permalinks(feed: &FeedDef) -> Vec<String> {
    feed.posts.iter().map(|p| p.permalink.clone()).collect()
}

#[test]
fn every_document_parses_in_every_format() {
    for config in ["tests/fixtures/mini/config.toml", "config.toml"] {
        let site = site(config, true);
        for feed in &site.feeds {
            for format in Format::ALL {
                let parsed = parse(doc(&site, &feed.path(format)));
                assert!(
                    !parsed
                        .title
                        .map(|t| t.content)
                        .unwrap_or_default()
                        .is_empty()
                );
            }
        }
        for doc in site.docs.values() {
            if doc.path.ends_with(".rss")
                || doc.path.ends_with(".atom")
                || doc.path.ends_with(".json")
            {
                parse(doc);
            }
        }
    }
}

#[test]
fn every_rss_and_atom_document_names_the_stylesheet_once_before_its_root() {
    for config in ["tests/fixtures/mini/config.toml", "config.toml"] {
        let site = site(config, true);
        let stylesheet = doc(&site, "feed.xsl");
        assert_eq!(stylesheet.content_type, "text/xsl; charset=utf-8");
        let mut checked = 0;
        for doc in site.docs.values() {
            let text = String::from_utf8_lossy(&doc.bytes).to_string();
            if doc.path.ends_with(".json") {
                assert!(!text.contains("xml-stylesheet"), "{}", doc.path);
                continue;
            }
            if !(doc.path.ends_with(".rss") || doc.path.ends_with(".atom")) {
                continue;
            }
            checked += 1;
            // The stylesheet's address relative to the document, climbing to the tree's root.
            let href = format!("{}feed.xsl", "../".repeat(doc.path.matches('/').count()));
            let prolog = format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
                 <?xml-stylesheet type=\"text/xsl\" href=\"{href}\"?>\n<"
            );
            assert!(text.starts_with(&prolog), "{}: {:.200}", doc.path, text);
            assert_eq!(text.matches("<?xml-stylesheet").count(), 1, "{}", doc.path);
            assert_eq!(text.matches("<?xml ").count(), 1, "{}", doc.path);
            // An XML parser sees one processing instruction, before the root element.
            let xml =
                roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", doc.path));
            let before: Vec<_> = xml
                .root()
                .children()
                .take_while(|n| !n.is_element())
                .filter_map(|n| n.pi())
                .collect();
            assert_eq!(before.len(), 1, "{}", doc.path);
            assert_eq!(before[0].target, "xml-stylesheet");
            let pis = xml.descendants().filter(|n| n.is_pi()).count();
            assert_eq!(pis, 1, "{}", doc.path);
            // The head piece carries it, so compressed forms and ETags follow it.
            let head = doc.parts.first().map(|p| p.as_str()).unwrap_or_default();
            assert!(head.starts_with(&prolog), "{}", doc.path);
        }
        assert!(checked > 20, "{config}: {checked} documents");
    }
}

#[test]
fn subscription_documents_hold_the_newest_posts_newest_first() {
    let site = site("config.toml", false);
    let limit = site.config.feed_limit;
    for feed in &site.feeds {
        let expected: Vec<String> = permalinks(feed).into_iter().take(limit).collect();
        for format in Format::ALL {
            assert_eq!(
                ids(doc(&site, &feed.path(format))),
                expected,
                "{}",
                feed.path(format)
            );
        }
    }
}

#[test]
fn person_feeds_hold_exactly_that_persons_posts() {
    let site = site("config.toml", true);
    for feed in &site.feeds {
        let (slug, lang) = match &feed.scope {
            Scope::Author { slug, .. } => (slug, None),
            Scope::LangAuthor { slug, lang, .. } => (slug, Some(lang)),
            _ => continue,
        };
        let expected: BTreeSet<String> = site
            .corpus
            .posts
            .iter()
            .filter(|p| p.authors.iter().any(|a| &a.slug == slug))
            .filter(|p| lang.is_none_or(|l| &p.lang == l))
            .map(|p| p.permalink.clone())
            .collect();
        let got: BTreeSet<String> = permalinks(feed).into_iter().collect();
        assert_eq!(got, expected, "{}", feed.stem);
        assert!(!got.is_empty());
    }
    // Someone who wrote in both languages has three feeds: across, en, fr.
    assert!(site.docs.contains_key("authors/elise-cote.atom"));
    assert!(site.docs.contains_key("en/authors/elise-cote.atom"));
    assert!(site.docs.contains_key("fr/authors/elise-cote.atom"));
    // Team bylines make no person feed; aliases make one.
    assert!(site.docs.contains_key("authors/daniel-roe.rss"));
    assert!(!site.docs.contains_key("authors/dan-roe.rss"));
}

/// Follows `prev-archive` links (`next_url` in JSON Feed) from the subscription document.
fn walk(site: &Site, feed: &FeedDef, format: Format) -> Vec<String> {
    let base = site.config.feeds_url.as_str();
    let mut seen = Vec::new();
    let mut path = feed.path(format);
    let mut hops = 0;
    loop {
        let doc = doc(site, &path);
        seen.extend(ids(doc));
        let text = String::from_utf8_lossy(&doc.bytes).to_string();
        let prev = match format {
            Format::Json => serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| v["next_url"].as_str().map(str::to_string)),
            _ => parse(doc)
                .links
                .into_iter()
                .find(|l| l.rel.as_deref() == Some("prev-archive"))
                .map(|l| l.href),
        };
        match prev {
            Some(url) => path = url.trim_start_matches(base).to_string(),
            None => break,
        }
        hops += 1;
        assert!(hops < 1000, "archive loop");
    }
    seen
}

#[test]
fn archives_are_complete_in_every_format() {
    // A small page size so the sample corpus spans several pages.
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => panic!("{e}"),
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("config.toml")).unwrap_or_default();
    let text = text
        .replace(
            "content_dir = \"content\"",
            &format!("content_dir = {:?}", root.join("content")),
        )
        .replace("limit = 20", "limit = 4");
    let config = dir.path().join("config.toml");
    assert!(std::fs::write(&config, text).is_ok());
    let site = site(config.to_string_lossy().as_ref(), true);
    assert_eq!(site.config.feed_limit, 4);
    for feed in &site.feeds {
        let expected: BTreeSet<String> = permalinks(feed).into_iter().collect();
        for format in Format::ALL {
            let seen = walk(&site, feed, format);
            let unique: BTreeSet<String> = seen.iter().cloned().collect();
            assert_eq!(unique, expected, "{} {format:?}", feed.stem);
            if expected.len() > 4 {
                assert!(
                    seen.len() > 4,
                    "{} {format:?}: the walk never left the first document",
                    feed.stem
                );
            }
        }
    }
    // Full pages are marked immutable, the page filling up is not.
    let en_posts = site.corpus.posts.iter().filter(|p| p.lang == "en").count();
    let full = en_posts / 4;
    assert!(doc(&site, "archive/en/1.atom").immutable);
    assert!(!doc(&site, &format!("archive/en/{}.atom", full + 1)).immutable);
}

/// Every feed a corpus should have, walked in every format from its subscription document
/// through its archive pages, holds exactly the posts its scope names, each under its id: the
/// site, each language, each person, tag and category across languages and in each language
/// they have posts in. On the fixture corpora, or on the one `SYNDIC_CONFORMANCE_CONFIG`
/// names (a generated corpus, say: `cargo run --release --example gen-corpus -- DIR 10000`).
#[test]
fn every_feed_walked_through_its_archives_holds_exactly_its_posts() {
    match std::env::var("SYNDIC_CONFORMANCE_CONFIG") {
        Ok(config) => walk_every_feed(&config),
        Err(_) => {
            walk_every_feed("tests/fixtures/mini/config.toml");
            walk_every_feed("tests/fixtures/tags/config.toml");
        }
    }
}

fn walk_every_feed(config: &str) {
    let site = site(config, true);
    let posts = &site.corpus.posts;
    let in_scope = |scope: &Scope, post: &syndic::corpus::Post| match scope {
        Scope::All => true,
        Scope::Lang(lang) => &post.lang == lang,
        Scope::Author { slug, .. } => post.authors.iter().any(|a| &a.slug == slug),
        Scope::LangAuthor { lang, slug, .. } => {
            &post.lang == lang && post.authors.iter().any(|a| &a.slug == slug)
        }
        Scope::Term { taxonomy, slug, .. } => post.has_term(*taxonomy, slug),
        Scope::LangTerm {
            taxonomy,
            lang,
            slug,
            ..
        } => &post.lang == lang && post.has_term(*taxonomy, slug),
    };
    // The feeds there should be, from the posts alone.
    let mut stems: BTreeSet<String> = BTreeSet::from(["all".to_string()]);
    for post in posts.iter() {
        stems.insert(post.lang.clone());
        for person in &post.authors {
            stems.insert(format!("authors/{}", person.slug));
            stems.insert(format!("{}/authors/{}", post.lang, person.slug));
        }
        for (folder, terms) in [("tags", &post.tags), ("categories", &post.categories)] {
            for term in terms {
                stems.insert(format!("{folder}/{}", term.slug));
                stems.insert(format!("{}/{folder}/{}", post.lang, term.slug));
            }
        }
    }
    let made: BTreeSet<String> = site.feeds.iter().map(|f| f.stem.clone()).collect();
    assert_eq!(made, stems, "{config}");
    let mut walked = 0;
    for feed in &site.feeds {
        let expected: BTreeSet<String> = posts
            .iter()
            .filter(|p| in_scope(&feed.scope, p))
            .map(|p| p.id.clone())
            .collect();
        assert!(!expected.is_empty(), "{}", feed.stem);
        for format in Format::ALL {
            let seen = walk(&site, feed, format);
            walked += seen.len();
            let unique: BTreeSet<String> = seen.iter().cloned().collect();
            assert_eq!(unique, expected, "{config}: {} {format:?}", feed.stem);
            // Only the subscription document and the newest full page share items.
            assert!(
                seen.len() <= expected.len() + site.config.feed_limit,
                "{} {format:?}: {} items walked for {} posts",
                feed.stem,
                seen.len(),
                expected.len()
            );
        }
    }
    assert!(walked >= 3 * posts.len());
}

/// The slugs of the posts a document shows, in order.
fn slugs(site: &Site, path: &str) -> Vec<String> {
    ids(doc(site, path))
        .iter()
        .map(|id| match site.corpus.posts.iter().find(|p| &p.id == id) {
            Some(post) => post.slug.clone(),
            None => panic!("{path}: {id} is no post"),
        })
        .collect()
}

#[test]
fn tag_and_category_feeds_hold_exactly_their_posts_in_each_language_and_across() {
    let site = site("tests/fixtures/tags/config.toml", true);
    for (stem, want) in [
        // `Accessibility` and `accessibility`, in English and French: one tag. Posts of the
        // same date come by permalink (the English host first).
        (
            "tags/accessibility",
            &[
                "release-notes",
                "accessibility-audit",
                "audit-accessibilite",
                "accessible-forms",
            ][..],
        ),
        (
            "en/tags/accessibility",
            &["release-notes", "accessibility-audit", "accessible-forms"],
        ),
        ("fr/tags/accessibility", &["audit-accessibilite"]),
        ("tags/accessibilite", &["formulaires-accessibles"]),
        ("fr/tags/accessibilite", &["formulaires-accessibles"]),
        ("tags/q-a", &["questions", "cafe-culture"]),
        ("en/tags/cafe-culture", &["cafe-culture"]),
        (
            "categories/news",
            &["release-notes", "accessibility-audit", "cafe-culture"],
        ),
        (
            "categories/guides",
            &[
                "accessibility-audit",
                "accessible-forms",
                "formulaires-accessibles",
            ],
        ),
        ("fr/categories/guides", &["formulaires-accessibles"]),
        (
            "fr/categories/nouvelles",
            &["questions", "audit-accessibilite"],
        ),
    ] {
        // Newest first, in every format, and archive pages of two posts reach them all.
        for format in Format::ALL {
            let path = format!("{stem}.{}", format.extension());
            let feed = site.feeds.iter().find(|f| f.stem == stem);
            let Some(feed) = feed else {
                panic!("no feed {stem}")
            };
            let newest: Vec<&str> = want.iter().take(2).copied().collect();
            assert_eq!(slugs(&site, &path), newest, "{path}");
            let walked: BTreeSet<String> = walk(&site, feed, format).into_iter().collect();
            assert_eq!(walked.len(), want.len(), "{path}: {walked:?}");
        }
    }
    // No feed for an ignored tag, for a language a term is not used in, or for no term.
    for stem in [
        "tags/posts",
        "en/tags/posts",
        "en/tags/accessibilite",
        "en/categories/nouvelles",
        "fr/tags/releases",
    ] {
        assert!(!site.docs.contains_key(&format!("{stem}.rss")), "{stem}");
    }
    let title = |path: &str| parse(doc(&site, path)).title.map(|t| t.content);
    assert_eq!(
        title("en/tags/accessibility.atom").as_deref(),
        Some("Example Digital Service: Posts tagged Accessibility")
    );
    assert_eq!(
        title("fr/tags/accessibilite.rss").as_deref(),
        Some("Service numérique exemple: Billets étiquetés Accessibilité")
    );
    assert_eq!(
        title("fr/categories/nouvelles.atom").as_deref(),
        Some("Service numérique exemple: Billets de la catégorie Nouvelles")
    );
    assert_eq!(
        title("categories/guides.atom").as_deref(),
        Some(
            "Example Digital Service / Service numérique exemple: Posts in the category Guides \
             / Billets de la catégorie Guides"
        )
    );
    assert_eq!(
        doc(&site, "archive/tags/accessibility/1.atom").items,
        2,
        "the oldest archive page of a tag is full"
    );
    // Items carry their terms, read back by feed-rs.
    for format in Format::ALL {
        let path = format!("en/tags/cafe-culture.{}", format.extension());
        let feed = parse(doc(&site, &path));
        let Some(entry) = feed.entries.first() else {
            panic!("{path} is empty")
        };
        let mut terms: Vec<String> = entry
            .categories
            .iter()
            .map(|c| c.label.clone().unwrap_or_else(|| c.term.clone()))
            .collect();
        terms.sort();
        assert_eq!(terms, ["Café Culture", "News", "Q&A"], "{path}");
    }
}

#[test]
fn items_carry_people_translations_images_and_content() {
    let site = site("tests/fixtures/mini/config.toml", false);
    let atom = parse(doc(&site, "en.atom"));
    let hello = atom
        .entries
        .iter()
        .find(|e| e.id.ends_with("/hello-world/"));
    let Some(hello) = hello else {
        panic!("hello-world missing")
    };
    let authors: Vec<&str> = hello.authors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(authors, ["Marie Dupuis", "Sam Chen"]);
    assert_eq!(
        hello.authors[1].uri.as_deref(),
        Some("https://digital.example.ca/feeds/authors/sam-chen.atom")
    );
    let hreflangs: Vec<(Option<&str>, &str)> = hello
        .links
        .iter()
        .map(|l| (l.href_lang.as_deref(), l.href.as_str()))
        .collect();
    assert!(hreflangs.contains(&(
        Some("fr"),
        "https://numerique.example.ca/2024/01/16/bonjour-le-monde/"
    )));
    let content = hello
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .unwrap_or_default();
    assert!(
        content.contains("src='https://digital.example.ca/img/square.png'"),
        "{content}"
    );
    assert_eq!(
        hello.summary.as_ref().map(|s| s.content.as_str()),
        Some("The first post of the mini fixture.")
    );

    let rss = parse(doc(&site, "en.rss"));
    let hello = rss.entries.iter().find(|e| e.id.ends_with("/hello-world/"));
    let Some(hello) = hello else {
        panic!("hello-world missing from RSS")
    };
    assert_eq!(
        hello.links.first().map(|l| l.href.as_str()),
        Some("https://digital.example.ca/2024/01/15/hello-world/")
    );
    let media: Vec<String> = hello
        .media
        .iter()
        .flat_map(|m| {
            m.content
                .iter()
                .filter_map(|c| c.url.as_ref().map(|u| u.to_string()))
        })
        .collect();
    assert_eq!(media, ["https://cdn.example.ca/hello.jpg"]);

    let json: serde_json::Value =
        serde_json::from_slice(&doc(&site, "en.json").bytes).unwrap_or_default();
    let item = &json["items"][1];
    assert_eq!(
        item["id"],
        "https://digital.example.ca/2024/01/15/hello-world/"
    );
    assert_eq!(item["image"], "https://cdn.example.ca/hello.jpg");
    assert_eq!(item["authors"][0]["name"], "Marie Dupuis");
    assert_eq!(
        item["_syndic"]["translations"]["fr"],
        "https://numerique.example.ca/2024/01/16/bonjour-le-monde/"
    );
    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
}

#[test]
fn feed_dates_come_from_posts_and_output_is_deterministic() {
    let first = site("tests/fixtures/mini/config.toml", true);
    let second = site("tests/fixtures/mini/config.toml", true);
    assert_eq!(
        first.docs.values().map(|d| &d.bytes).collect::<Vec<_>>(),
        second.docs.values().map(|d| &d.bytes).collect::<Vec<_>>()
    );
    let atom = parse(doc(&first, "en.atom"));
    let newest = first
        .corpus
        .posts
        .iter()
        .filter(|p| p.lang == "en")
        .map(|p| p.date)
        .max();
    assert_eq!(
        atom.updated.map(|d| d.timestamp()),
        newest.map(|d| d.timestamp())
    );
    assert_eq!(
        doc(&first, "en.atom").last_modified.map(|d| d.timestamp()),
        newest.map(|d| d.timestamp())
    );
}

/// A corpus loaded with its bodies left on disk renders the very documents of one that keeps
/// them; a post whose file changed after loading stops the rendering with an error naming it,
/// as does one whose file is gone, so that a build never publishes a body that does not go
/// with the rest of its post.
#[test]
fn bodies_left_on_disk_render_the_same_and_a_file_changed_since_is_an_error() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mini = dir.path().join("mini");
    common::copy_tree(&common::root().join("tests/fixtures/mini"), &mini);
    let config = Config::load(&mini.join("config.toml")).unwrap_or_else(|e| panic!("{e}"));
    let options = RenderOptions {
        archives: true,
        link_archives: false,
    };
    let render =
        |corpus: &Corpus| feeds::render(&config, &feeds::prepare(&config, corpus), options);
    let kept = corpus::load(&config, &Default::default());
    let lean = corpus::load_leaving_bodies(&config, &Default::default());
    assert!(lean.posts.iter().all(|p| p.body_in_memory().is_none()));
    let (a, b) = match (render(&kept), render(&lean)) {
        (Ok(a), Ok(b)) => (a, b),
        (a, b) => panic!("{:?} {:?}", a.err(), b.err()),
    };
    assert_eq!(a.len(), b.len());
    for (a, b) in a.iter().zip(&b) {
        assert_eq!((&a.path, &a.bytes), (&b.path, &b.bytes));
    }

    let file = mini.join("content/en/blog/posts/hello-world.md");
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&file, text.replace("Hello", "Hullo")).unwrap_or_else(|e| panic!("{e}"));
    match render(&lean) {
        Err(e) => {
            let said = e.to_string();
            assert!(
                said.contains("en/blog/posts/hello-world.md") && said.contains("changed"),
                "{said}"
            );
        }
        Ok(_) => panic!("rendered a body that is not the one loaded"),
    }
    std::fs::remove_file(&file).unwrap_or_else(|e| panic!("{e}"));
    match render(&lean) {
        Err(e) => assert!(e.to_string().contains("cannot read it again"), "{e}"),
        Ok(_) => panic!("rendered a post whose file is gone"),
    }
    // The corpus that keeps its bodies renders as before.
    assert!(render(&kept).is_ok());
}

/// Under the build's memory bound, documents showing the same posts are rendered near each
/// other (a page in its three formats, and every feed's pages by date), so a post's items are
/// rendered at most about once for `all` and its language and once for each person of its
/// byline: not once per feed and format, which was six times as much work here.
#[test]
fn a_post_is_rendered_again_only_for_documents_far_apart_in_time() {
    let path = common::root().join("config.toml");
    let mut config = Config::load(&path).unwrap_or_else(|e| panic!("{e}"));
    config.feed_limit = 3;
    let corpus = corpus::load(&config, &Default::default());
    let feeds = feeds::prepare(&config, &corpus);
    let options = RenderOptions {
        archives: true,
        link_archives: false,
    };
    // Fewer items kept than any large feed holds: a post not shown again soon is dropped.
    let most_alive = 8;
    let rendered = feeds::render_bounded(&config, &feeds, options, 4, most_alive, |_| {
        Ok::<(), corpus::post::BodyError>(())
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let bylines: usize = feeds
        .iter()
        .filter(|f| matches!(f.scope, Scope::Author { .. }))
        .map(|f| f.posts.len())
        .sum();
    let largest = feeds.iter().map(|f| f.posts.len()).max().unwrap_or(0);
    assert!(largest > 4 * most_alive, "the bound must bite: {largest}");
    assert_eq!(rendered.posts, corpus.posts.len());
    assert!(
        rendered.renders <= rendered.posts + bylines + most_alive,
        "{rendered:?}, {bylines} posts in people's feeds"
    );
}

/// Rendering with a bound on the items kept between batches (the build's memory bound, here
/// one post and one document a batch, so that items are dropped and rendered again all the
/// time) writes the very documents of a rendering that keeps them all.
#[test]
fn a_bound_on_items_alive_changes_no_byte() {
    let path = common::root().join("config.toml");
    let config = Config::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let corpus = corpus::load(&config, &Default::default());
    let feeds = feeds::prepare(&config, &corpus);
    let options = RenderOptions {
        archives: true,
        link_archives: false,
    };
    let all = feeds::render(&config, &feeds, options).unwrap_or_else(|e| panic!("{e}"));
    let mut bounded = Vec::new();
    feeds::render_bounded(&config, &feeds, options, 1, 1, |mut docs| {
        bounded.append(&mut docs);
        Ok::<(), corpus::post::BodyError>(())
    })
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(all.len() > 100, "{}", all.len());
    let key = |docs: &[Document]| -> BTreeMap<String, Vec<u8>> {
        docs.iter()
            .map(|d| (d.path.clone(), d.bytes.clone()))
            .collect()
    };
    assert!(key(&all) == key(&bounded), "the documents differ");
}

/// Every feed document's key, as a build computes it before rendering anything, with
/// `salt` for the program; nothing is rendered (every document is said to be in place).
fn keys(config: &Config, salt: &[u8]) -> BTreeMap<String, feeds::Key> {
    let corpus = corpus::load(config, &Default::default());
    let feeds = feeds::prepare(config, &corpus);
    let found = std::sync::Mutex::new(BTreeMap::new());
    let in_place = |path: &str, key: &feeds::Key, _items: usize| {
        if let Ok(mut found) = found.lock() {
            found.insert(path.to_string(), *key);
        }
        true
    };
    let reuse = feeds::Reuse {
        salt,
        in_place: &in_place,
    };
    let options = RenderOptions {
        archives: true,
        link_archives: false,
    };
    let mut rendered = Vec::new();
    feeds::render_reusing(config, &feeds, options, 64, 8192, Some(&reuse), |docs| {
        rendered.extend(docs.into_iter().map(|(d, key)| (d.path, key)));
        Ok::<(), corpus::post::BodyError>(())
    })
    .unwrap_or_else(|e| panic!("{e}"));
    // Only the documents made of every feed (the list, the page, the stylesheet) are left,
    // and they have no key.
    let rendered: Vec<&str> = rendered.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(rendered, ["all.opml", "index.html", "feed.xsl"]);
    found.into_inner().unwrap_or_default()
}

#[test]
fn document_keys_follow_exactly_what_each_document_shows() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    common::copy_tree(&common::root().join("tests/fixtures/mini"), dir.path());
    let config = Config::load(&dir.path().join("config.toml")).unwrap_or_else(|e| panic!("{e}"));
    let before = keys(&config, b"one");
    assert!(before.len() > 20, "{before:?}");
    // Loaded again, the same corpus gives the same keys: a build can trust them.
    assert_eq!(keys(&config, b"one"), before);
    // Another program: every key differs.
    let other = keys(&config, b"two");
    assert!(
        before
            .iter()
            .all(|(path, key)| other.get(path) != Some(key))
    );

    // One French post edited: the documents showing it change key, and only those.
    let site = site_with(config.clone(), true);
    let post = site
        .corpus
        .posts
        .iter()
        .find(|p| p.lang == "fr")
        .unwrap_or_else(|| panic!("no French post"))
        .clone();
    let file = config.content_dir.join(&post.path);
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&file, format!("{text}\nUne ligne de plus.\n"))
        .unwrap_or_else(|e| panic!("{e}"));
    let after = keys(&config, b"one");
    let changed: BTreeSet<&str> = before
        .iter()
        .filter(|(path, key)| after.get(*path) != Some(*key))
        .map(|(path, _)| path.as_str())
        .collect();
    // Exactly the documents whose bytes changed.
    let edited = site_with(config.clone(), true);
    let rewritten: BTreeSet<&str> = site
        .docs
        .values()
        .filter(|d| edited.docs.get(&d.path).map(|e| &e.bytes) != Some(&d.bytes))
        .map(|d| d.path.as_str())
        .collect();
    assert!(
        changed.contains("fr.atom") && changed.contains("all.json"),
        "{changed:?}"
    );
    // The English posts link to it as a translation, by its permalink, which stays.
    assert!(!changed.iter().any(|p| p.starts_with("en")), "{changed:?}");
    assert_eq!(changed, rewritten);
}
