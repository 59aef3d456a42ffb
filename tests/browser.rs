//! End-to-end in a real browser: the server on a loopback port, Debian's `chromium` run
//! headless as a subprocess. A person opening an RSS or Atom document sees the page
//! `feed.xsl` makes of it (bilingual, in the feed's language, the feed's title, address and
//! items), markup a writer typed stays text there, and the index page has the same look. A
//! site in one language (the Eleventy fixture) gets both pages in that language alone.
//!
//! Each page is read back as Chromium rendered it (`--dump-dom`, parsed with `scraper`) and
//! compared with the feed as a feed parser reads it. Screenshots of a feed and of the index
//! are kept under `target/browser-artifacts/` for a person to look at.
//!
//! `chromium` must be on `PATH` (`.ci/run` installs it): without it the test fails, unless
//! `SYNDIC_SKIP_BROWSER=1`, which skips it (and says so). Chromium 156 still applies XSLT but
//! injects an `<xslt-warning-banner>` into the page (XSLT is deprecated). A test puts that
//! banner, as Chromium's source makes it, into the page Chromium rendered (the Chromium here
//! may be older and show none) and checks that the title stays in view; the other assertions
//! do not depend on it, and the screenshots show the page without it.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Server, root};
use scraper::{ElementRef, Html, Selector};

/// How long one Chromium run may take before it is killed.
const TIMEOUT: Duration = Duration::from_secs(60);

/// The flags every run gets: no sandbox (CI runs as root), no GPU, no network of its own.
const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

struct Chromium {
    program: PathBuf,
}

impl Chromium {
    /// `chromium` from `PATH`; `None` when the test is to be skipped. Panics, saying what to
    /// do, when it is missing and skipping was not asked for.
    fn find() -> Option<Chromium> {
        if std::env::var("SYNDIC_SKIP_BROWSER").as_deref() == Ok("1") {
            eprintln!("SYNDIC_SKIP_BROWSER=1: skipped the browser test");
            return None;
        }
        let path = std::env::var_os("PATH").unwrap_or_default();
        let program = std::env::split_paths(&path)
            .map(|dir| dir.join("chromium"))
            .find(|candidate| candidate.is_file());
        match program {
            Some(program) => Some(Chromium { program }),
            None => panic!(
                "`chromium` is not on PATH: install it (`apt-get install chromium`, as .ci/run \
                 does), or set SYNDIC_SKIP_BROWSER=1 to skip the browser test"
            ),
        }
    }

    /// Runs Chromium with `args` and a fresh profile, killed (with every process it started)
    /// after [`TIMEOUT`]; returns what it printed on stdout.
    fn run(&self, args: &[&str]) -> String {
        use std::os::unix::process::CommandExt;

        let profile = tempfile::tempdir().unwrap_or_else(|e| panic!("profile folder: {e}"));
        let mut child = Command::new(&self.program)
            .args(FLAGS)
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Its own process group, so that a timeout ends its helpers too.
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", self.program.display()));
        let reader = |pipe: Option<Box<dyn Read + Send>>| {
            std::thread::spawn(move || {
                let mut text = String::new();
                if let Some(mut pipe) = pipe {
                    let _ = pipe.read_to_string(&mut text);
                }
                text
            })
        };
        let stdout = reader(
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        );
        let stderr = reader(
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        );
        let started = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if started.elapsed() < TIMEOUT => {
                    std::thread::sleep(Duration::from_millis(100));
                }
                other => {
                    let _ = Command::new("kill")
                        .args(["-KILL", "--", &format!("-{}", child.id())])
                        .status();
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!(
                        "chromium {args:?} did not finish within {TIMEOUT:?} ({other:?})\n{}",
                        stderr.join().unwrap_or_default()
                    );
                }
            }
        };
        let out = stdout.join().unwrap_or_default();
        let err = stderr.join().unwrap_or_default();
        assert!(status.success(), "chromium {args:?}: {status}\n{err}");
        out
    }

    /// The page at `url` as Chromium rendered it.
    fn dom(&self, url: &str) -> Html {
        let text = self.run(&["--dump-dom", url]);
        assert!(
            !text.trim().is_empty(),
            "chromium printed nothing for {url}"
        );
        Html::parse_document(&text)
    }

    /// A screenshot of the page at `url`, 1280 pixels wide, saved as `file`.
    fn screenshot(&self, url: &str, file: &Path) {
        let _ = std::fs::remove_file(file);
        self.run(&[
            // The page as it is, without the deprecation banner of the Chromiums that have one.
            "--disable-features=GenerateXSLTWarningBanner",
            &format!("--screenshot={}", file.display()),
            "--window-size=1280,2000",
            url,
        ]);
        let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
        assert!(size > 10_000, "{}: {size} bytes", file.display());
    }
}

/// Where screenshots are kept: `target/browser-artifacts/` (under `CARGO_TARGET_DIR` when set).
fn artifacts() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                root().join(dir)
            }
        })
        .unwrap_or_else(|| root().join("target"));
    let dir = target.join("browser-artifacts");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

fn select<'a>(page: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    let selector = Selector::parse(css).unwrap_or_else(|e| panic!("{css}: {e:?}"));
    page.select(&selector).collect()
}

/// An element's text, whitespace collapsed.
fn text(element: &ElementRef<'_>) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text of the one element `css` selects.
fn only(page: &Html, css: &str) -> String {
    let found = select(page, css);
    assert_eq!(found.len(), 1, "{css}: {} elements", found.len());
    text(&found[0])
}

/// The feed at `path` as a feed parser reads it, from the server.
fn feed(server: &Server, path: &str) -> feed_rs::model::Feed {
    let reply = server.get(path, &[]);
    assert_eq!(reply.status, 200, "{path}");
    feed_rs::parser::parse(reply.body.as_slice()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Checks the page Chromium made of the feed at `path`: in `lang`, the feed's title as the one
/// heading of level 1, the explanation in both languages with the feed's address, every item
/// in the document's order with its link. Returns the page.
fn check_feed_page(chromium: &Chromium, server: &Server, path: &str, lang: &str) -> Html {
    let feed = feed(server, path);
    let page = chromium.dom(&format!("http://{}{path}", server.addr));
    let html = select(&page, "html");
    assert_eq!(
        html.first().and_then(|h| h.value().attr("lang")),
        Some(lang),
        "{path}: <html lang>"
    );
    assert!(
        select(&page, "pre").is_empty(),
        "{path} is shown as source text, not as the stylesheet's page"
    );
    let title = feed.title.map(|t| t.content).unwrap_or_default();
    assert_eq!(only(&page, "h1"), title, "{path}");
    assert_eq!(select(&page, "header").len(), 1, "{path}");
    assert_eq!(select(&page, "main").len(), 1, "{path}");

    // What a feed is and how to subscribe, in English and in French, each marked.
    let english = select(&page, "main [lang=en]")
        .iter()
        .map(text)
        .collect::<String>();
    let french = select(&page, "main [lang=fr]")
        .iter()
        .map(text)
        .collect::<String>();
    assert!(
        english.contains("A feed lists a site’s newest posts"),
        "{path}"
    );
    assert!(english.contains("feed reader"), "{path}");
    assert!(
        french.contains("Un fil de syndication énumère"),
        "{path}: {french}"
    );
    assert!(french.contains("lecteur de fils"), "{path}");
    // The feed's public address (the sample's `feeds_url` is the English site's `feeds/`);
    // an archive page gives its feed's instead, checked by the caller.
    if !path.contains("/archive/") {
        let address = only(&page, ".address code");
        assert_eq!(address, format!("https://digital.example.ca{path}"));
    }

    // Every item, in the document's order, linked to its permalink and in its language.
    let shown: Vec<(String, Option<String>)> = select(&page, "ol.items > li h3 a")
        .iter()
        .map(|a| (text(a), a.value().attr("href").map(str::to_string)))
        .collect();
    let expected: Vec<(String, Option<String>)> = feed
        .entries
        .iter()
        .map(|e| {
            let title = e
                .title
                .as_ref()
                .map(|t| t.content.clone())
                .unwrap_or_default();
            let link = e.links.first().map(|l| l.href.clone());
            (title.split_whitespace().collect::<Vec<_>>().join(" "), link)
        })
        .collect();
    assert!(!expected.is_empty(), "{path} has no items");
    assert_eq!(shown, expected, "{path}");
    let items = select(&page, "ol.items > li");
    assert!(
        items
            .iter()
            .all(|li| li.value().attr("lang").is_some_and(|l| !l.is_empty())),
        "{path}: an item without its language"
    );
    assert_eq!(select(&page, "ol.items time[datetime]").len(), items.len());
    page
}

#[test]
fn a_person_opening_a_feed_sees_a_readable_bilingual_page() {
    let Some(chromium) = Chromium::find() else {
        return;
    };
    let server = Server::start(&root().join("config.toml"));

    // RSS in French: French first, English marked.
    let page = check_feed_page(&chromium, &server, "/feeds/fr.rss", "fr");
    let first = select(&page, "main .pair > div");
    assert_eq!(
        first.first().and_then(|d| d.value().attr("lang")),
        Some("fr")
    );
    assert!(only(&page, ".kicker").contains("Fil RSS"));

    // Atom in English, at the tree's root and two folders down.
    let page = check_feed_page(&chromium, &server, "/feeds/en.atom", "en");
    assert!(only(&page, ".kicker").contains("Atom feed"));
    let index = chromium.dom(&format!("http://{}/feeds/", server.addr));
    let nested = select(&index, "a[href^='en/authors/'][href$='.atom']")
        .first()
        .and_then(|a| a.value().attr("href"))
        .map(str::to_string)
        .unwrap_or_else(|| panic!("the index links no en/authors/*.atom"));
    check_feed_page(&chromium, &server, &format!("/feeds/{nested}"), "en");

    // An archive page says what it is, and gives the feed's own address to subscribe to.
    let page = check_feed_page(&chromium, &server, "/feeds/archive/en/1.rss", "en");
    assert!(only(&page, ".kicker").contains("archive page"));
    assert_eq!(
        only(&page, ".address code"),
        "https://digital.example.ca/feeds/en.rss"
    );

    let shot = artifacts().join("feed-fr-rss.png");
    chromium.screenshot(&format!("http://{}/feeds/fr.rss", server.addr), &shot);
    eprintln!("screenshot: {}", shot.display());
}

/// The inline style of the `<xslt-warning-banner>` Chromium puts first in the body of a page
/// made by XSLT (`third_party/blink/renderer/core/xml/xslt_processor.cc`), but for its
/// position, which each case below adds.
const BANNER_STYLE: &str = "display: block; background-color: #d9534f; color: white; \
     padding: 12px 44px; margin-bottom: 20px; font-size: 16px; font-weight: bold; \
     text-align: center; font-family: sans-serif; z-index: 2147483647; line-height: normal;";

/// Where the banner lies: in the page's flow (`position: relative`, as that source has it), or
/// over the top of the page, as it was seen to cover the title.
const BANNER_PLACES: &[(&str, &str)] = &[
    ("in the flow", "position: relative;"),
    (
        "over the top",
        "position: fixed; top: 0; left: 0; right: 0;",
    ),
];

/// Puts the banner into `page` (HTML as Chromium rendered it), and a script that records in
/// `<html data-h1>` what lies at the centre and the left corners of the `h1`, and in
/// `<html data-banner>` the banner's height in pixels.
fn with_banner(page: &str, position: &str) -> String {
    let banner = format!(
        "<xslt-warning-banner style=\"{BANNER_STYLE} {position}\">This page uses XSLT, which \
         this browser will stop supporting. Learn more, or keep it working with an extension.\
         <label style=\"display: block; margin-top: 8px; font-size: 14px; font-weight: \
         normal;\"><input type=\"checkbox\">Never show this warning</label>\
         <button type=\"button\" style=\"position: absolute; top: 6px; right: 8px;\">×</button>\
         </xslt-warning-banner>"
    );
    let probe = "<script>(function () {\
         var h1 = document.querySelector('h1'), r = h1.getBoundingClientRect();\
         var at = [[r.left + r.width / 2, r.top + r.height / 2], [r.left + 1, r.top + 1],\
           [r.left + 1, r.bottom - 1]].map(function (p) {\
             var e = document.elementFromPoint(p[0], p[1]);\
             return !e ? 'nothing' : (e === h1 || h1.contains(e)) ? 'h1' : e.localName; });\
         var root = document.documentElement;\
         root.setAttribute('data-h1', at.join(' '));\
         root.setAttribute('data-banner', String(Math.round(\
           document.querySelector('xslt-warning-banner').getBoundingClientRect().height)));\
         })();</script>";
    assert!(
        page.contains("<body>") && page.contains("</body>"),
        "{page:.300}"
    );
    page.replacen("<body>", &format!("<body>{banner}"), 1)
        .replacen("</body>", &format!("{probe}</body>"), 1)
}

#[test]
fn chromiums_xslt_banner_leaves_the_feeds_title_in_view() {
    let Some(chromium) = Chromium::find() else {
        return;
    };
    let server = Server::start(&root().join("config.toml"));
    let folder = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for path in ["/feeds/fr.rss", "/feeds/en.atom"] {
        let rendered = chromium.run(&["--dump-dom", &format!("http://{}{path}", server.addr)]);
        for (place, position) in BANNER_PLACES {
            let file = folder.path().join("page.html");
            std::fs::write(&file, with_banner(&rendered, position))
                .unwrap_or_else(|e| panic!("{e}"));
            // A desktop window, and a phone's, where the banner's text takes more lines.
            for width in [1280, 390] {
                let page = Html::parse_document(&chromium.run(&[
                    &format!("--window-size={width},900"),
                    "--dump-dom",
                    &format!("file://{}", file.display()),
                ]));
                let root = select(&page, "html");
                let attr = |name| root.first().and_then(|r| r.value().attr(name));
                let banner: u32 = attr("data-banner")
                    .and_then(|h| h.parse().ok())
                    .unwrap_or(0);
                assert!(
                    banner > 40,
                    "{path}, banner {place}, {width} px: banner {banner} px high"
                );
                assert_eq!(
                    attr("data-h1"),
                    Some("h1 h1 h1"),
                    "{path}, banner {place}, {width} px: the title's centre and left corners"
                );
            }
        }
    }
}

#[test]
fn the_index_page_has_the_same_look_and_its_languages_marked() {
    let Some(chromium) = Chromium::find() else {
        return;
    };
    let server = Server::start(&root().join("config.toml"));
    let index = chromium.dom(&format!("http://{}/feeds/index.html", server.addr));
    let html = select(&index, "html");
    assert_eq!(
        html.first().and_then(|h| h.value().attr("lang")),
        Some("en")
    );
    assert_eq!(only(&index, "h1"), "Feeds / Fils de syndication");
    assert_eq!(select(&index, "header").len(), 1);
    assert_eq!(select(&index, "main").len(), 1);
    let french = select(&index, "main [lang=fr]")
        .iter()
        .map(text)
        .collect::<String>();
    assert!(french.contains("Un fil de syndication énumère"), "{french}");
    assert!(french.contains("Par langue"), "{french}");
    let main = only(&index, "main");
    assert!(main.contains("A feed lists a site’s newest posts"));
    assert!(main.contains("Example Digital Service"));
    // Each feed once; the OPML list once in each language.
    for (href, links) in [
        ("all.rss", 1),
        ("en.atom", 1),
        ("fr.json", 1),
        ("all.opml", 2),
    ] {
        assert_eq!(
            select(&index, &format!("a[href='{href}']")).len(),
            links,
            "{href}"
        );
    }

    // The same CSS as a feed's page: one look.
    let feed = chromium.dom(&format!("http://{}/feeds/en.rss", server.addr));
    let style = only(&index, "head style");
    assert!(style.contains(".banner"), "{style:.200}");
    assert_eq!(only(&feed, "head style"), style);

    let shot = artifacts().join("index.png");
    chromium.screenshot(&format!("http://{}/feeds/index.html", server.addr), &shot);
    eprintln!("screenshot: {}", shot.display());
}

#[test]
fn markup_in_a_post_stays_text_on_the_page() {
    let Some(chromium) = Chromium::find() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let posts = dir.path().join("content/en/blog/posts");
    std::fs::create_dir_all(&posts).unwrap_or_else(|e| panic!("{e}"));
    let title = "Tags <b>bold</b> & <script>alert(1)</script> 'quoted'";
    let summary = "A <img src=x onerror=alert(2)> & &amp; \"quotes\" <i>inside</i>";
    let post = format!(
        "---\ntitle: {title:?}\ndate: 2024-05-01T10:00:00Z\nauthor: Ann Lee\n\
         description: {summary:?}\n---\nThe body <script>alert(3)</script> is not shown.\n"
    );
    let config = dir.path().join("config.toml");
    let written = [
        std::fs::write(posts.join("markup.md"), post),
        std::fs::write(
            &config,
            "content_dir = \"content\"\nsections = [\"blog\"]\n\
             [languages.en]\nbase_url = \"https://digital.example.ca/\"\ntitle = \"Markup <b>\"\n",
        ),
    ];
    assert!(written.iter().all(Result::is_ok), "{written:?}");
    let server = Server::start(&config);
    for path in ["/feeds/en.rss", "/feeds/en.atom"] {
        let page = chromium.dom(&format!("http://{}{path}", server.addr));
        assert_eq!(only(&page, "h1"), "Markup <b>", "{path}");
        assert_eq!(only(&page, "ol.items h3"), title, "{path}");
        assert_eq!(only(&page, "ol.items .summary"), summary, "{path}");
        assert!(only(&page, "ol.items .meta").ends_with("Ann Lee"), "{path}");
        for element in ["script", "img", "b", "i", "iframe"] {
            assert!(
                select(&page, &format!("body {element}")).is_empty(),
                "{path}: a <{element}> element came out of the post"
            );
        }
        assert!(!only(&page, "main").contains("is not shown"), "{path}");
    }
}

#[test]
fn a_site_in_one_language_gets_pages_in_that_language_alone() {
    let Some(chromium) = Chromium::find() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    common::copy_tree(
        &root().join("tests/fixtures/generators/eleventy"),
        dir.path(),
    );
    let server = Server::start(&dir.path().join("syndic.toml"));

    for path in ["/feeds/all.atom", "/feeds/authors/sam-chen.rss"] {
        let parsed = feed(&server, path);
        let page = chromium.dom(&format!("http://{}{path}", server.addr));
        assert_eq!(
            select(&page, "html")
                .first()
                .and_then(|h| h.value().attr("lang")),
            Some("en"),
            "{path}"
        );
        assert!(select(&page, "pre").is_empty(), "{path} shown as source");
        let title = parsed.title.map(|t| t.content).unwrap_or_default();
        assert_eq!(only(&page, "h1"), title, "{path}");
        let main = only(&page, "main");
        assert!(
            main.contains("A feed lists a site’s newest posts"),
            "{path}: {main}"
        );
        // Nothing in French: no French half, no element marked French.
        assert!(!main.contains("Un fil de syndication"), "{path}: {main}");
        assert!(select(&page, "[lang=fr]").is_empty(), "{path}");
        let shown: Vec<Option<String>> = select(&page, "ol.items > li h3 a")
            .iter()
            .map(|a| a.value().attr("href").map(str::to_string))
            .collect();
        let expected: Vec<Option<String>> = parsed
            .entries
            .iter()
            .map(|e| e.links.first().map(|l| l.href.clone()))
            .collect();
        assert!(!expected.is_empty(), "{path} has no items");
        assert_eq!(shown, expected, "{path}");
    }

    let index = chromium.dom(&format!("http://{}/feeds/", server.addr));
    assert_eq!(
        select(&index, "html")
            .first()
            .and_then(|h| h.value().attr("lang")),
        Some("en")
    );
    let heading = only(&index, "h1");
    assert!(!heading.contains("Fils"), "{heading}");
    assert!(select(&index, "[lang=fr]").is_empty());
    assert_eq!(select(&index, "a[href='all.atom']").len(), 1);
    assert!(
        select(&index, "a[href^='en']").is_empty(),
        "per-language links"
    );

    let shot = artifacts().join("one-language-feed.png");
    chromium.screenshot(&format!("http://{}/feeds/all.atom", server.addr), &shot);
    eprintln!("screenshot: {}", shot.display());
}
