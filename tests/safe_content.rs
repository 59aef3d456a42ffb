//! Nothing a post carries can act against a reader or a page that embeds a feed: a list of
//! XSS vectors goes through the real loader and `syndic build`, and every document is parsed
//! back (XML strictly, HTML with a browser-grade parser) to prove that no active content, no
//! dangerous URL and no XML-forbidden character comes out, and that markup in a title or
//! byline stays text.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Raw HTML and Markdown a hostile or careless writer might put in a post body.
const VECTORS: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(2)</script>",
    "<img src=x onerror=alert(3)>",
    "<IMG SRC=\"JaVaScRiPt:alert(4)\">",
    "<img src=\"x\" onerror  =  \"alert(5)\" alt=\"x\">",
    "<a href=\"javascript:alert(6)\">link six</a>",
    "<a href=\"jav&#x61;script:alert(7)\">link seven</a>",
    "<a href=\"&#106;avascript:alert(8)\">link eight</a>",
    "<a href=\"java\tscript:alert(9)\">link nine</a>",
    "<a href=\" javascript:alert(10)\">link ten</a>",
    "<a href=\"vbscript:msgbox(11)\">link eleven</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxMik8L3NjcmlwdD4=\">link twelve</a>",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<iframe srcdoc=\"<script>alert(13)</script>\"></iframe>",
    "<svg onload=alert(14)><script>alert(14)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(15)\"><text>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(16)>",
    "<div style=\"background:url(javascript:alert(17))\">styled</div>",
    "<p style=\"width: expression(alert(18))\">expression</p>",
    "<style>body{background:url(javascript:alert(19))}</style>",
    "<object data=\"https://evil.example/x.swf\"></object>",
    "<embed src=\"https://evil.example/x.swf\">",
    "<base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(20)\">",
    "<form action=\"javascript:alert(21)\"><button formaction=\"javascript:alert(21)\">go</button></form>",
    "<body onload=alert(22)>",
    "<details open ontoggle=alert(23)>",
    "<video poster=\"javascript:alert(24)\"><source src=\"javascript:alert(24)\"></video>",
    "<img srcset=\"javascript:alert(25) 1x, https://cdn.example.ca/ok.png 2x\" alt=\"set\">",
    "<!--<img src=x onerror=alert(26)>-->",
    "<a href=\"https://ok.example/\" target=\"_blank\" onclick=\"alert(27)\">ok link</a>",
    "[markdown link](javascript:alert(28))",
    "[markdown data](data:text/html,<script>alert(29)</script>)",
    "![markdown image](javascript:alert(30))",
    "<javascript:alert(31)>",
    "[ref link][evil]\n\n[evil]: javascript:alert(32)",
    "<a href=\"JAVASCRIPT&colon;alert(33)\">link colon</a>",
    "<img src=\"x\" alt=\"&quot; onerror=&quot;alert(34)\">",
];

/// Characters XML 1.0 forbids, in text and as references.
const FORBIDDEN: &str =
    "bell \u{7} vtab \u{b} formfeed \u{c} esc \u{1b} nonchar \u{fffe} \u{ffff} ref &#1; &#x1F;";

fn site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path().to_path_buf();
    common::copy_tree(&common::root().join("tests/fixtures/mini"), &root);
    let mut body = String::from("A paragraph before the vectors.\n\n");
    for vector in VECTORS {
        body.push_str(vector);
        body.push_str("\n\n");
    }
    body.push_str(FORBIDDEN);
    body.push('\n');
    let post = format!(
        "---\ntitle: \"Tags <b>bold</b> & <script>alert(40)</script> 'quoted' \\x01\\x0b end\"\n\
         author: '<img src=x onerror=alert(41)> Jane Roe and <i>Sam</i> Chen'\n\
         date: '2024-06-01T10:00:00'\ndescription: 'Summary <script>alert(42)</script> here'\n\
         image: 'javascript:alert(43)'\nimage-alt: 'alt \"<b>\"'\n\
         translationKey: vectors\n---\n\n{body}"
    );
    let path = root.join("content/en/blog/posts/2024-06-01-vectors.md");
    std::fs::write(&path, post).unwrap_or_else(|e| panic!("{e}"));
    (dir, root)
}

fn build(root: &Path) -> PathBuf {
    let out = root.join("feeds");
    let status = Command::new(env!("CARGO_BIN_EXE_syndic"))
        .arg("--config")
        .arg(root.join("config.toml"))
        .arg("build")
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap_or_else(|e| panic!("running syndic: {e}"));
    assert!(
        status.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    out
}

fn documents(out: &Path) -> Vec<PathBuf> {
    let mut docs: Vec<PathBuf> = walk(out)
        .into_iter()
        .filter(|p| {
            let name = p.to_string_lossy();
            !(name.ends_with(".gz") || name.ends_with(".br"))
        })
        .collect();
    docs.sort();
    docs
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}

/// Every way the HTML fragment `html` could run code or load something it should not.
fn active_content(html: &str) -> Vec<String> {
    const BANNED_ELEMENTS: &[&str] = &[
        "script", "iframe", "frame", "object", "embed", "applet", "style", "base", "meta", "link",
        "form", "button", "input", "textarea", "select", "svg", "math", "head", "template",
        "noscript",
    ];
    const URL_ATTRIBUTES: &[&str] = &[
        "href",
        "src",
        "poster",
        "action",
        "formaction",
        "xlink:href",
        "data",
        "background",
        "cite",
        "longdesc",
    ];
    let mut problems = Vec::new();
    let fragment = scraper::Html::parse_fragment(html);
    for node in fragment.tree.nodes() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        let name = element.name().to_ascii_lowercase();
        if BANNED_ELEMENTS.contains(&name.as_str()) {
            problems.push(format!("element <{name}>"));
        }
        for (attribute, value) in element.attrs() {
            let attribute = attribute.to_ascii_lowercase();
            if attribute.starts_with("on") || attribute == "srcdoc" || attribute == "style" {
                problems.push(format!("attribute {attribute}={value:?} on <{name}>"));
            }
            let urls: Vec<&str> = if attribute == "srcset" {
                value
                    .split(',')
                    .filter_map(|c| c.split_whitespace().next())
                    .collect()
            } else if URL_ATTRIBUTES.contains(&attribute.as_str()) {
                vec![value]
            } else {
                Vec::new()
            };
            for url in urls {
                let plain: String = url
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                // No scheme at all (a relative link, as the index page has) is safe too.
                let relative = plain
                    .split(['/', '?', '#'])
                    .next()
                    .is_none_or(|first| !first.contains(':'));
                let safe = relative
                    || plain.starts_with("https://")
                    || plain.starts_with("http://")
                    || plain.starts_with("mailto:")
                    || plain.starts_with('#');
                if !safe {
                    problems.push(format!("{attribute}={url:?} on <{name}>"));
                }
            }
        }
    }
    problems
}

fn xml_forbidden(text: &str) -> Option<char> {
    text.chars().find(|&c| {
        !matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
    })
}

#[test]
fn hostile_html_never_reaches_a_feed() {
    let (_dir, root) = site();
    let out = build(&root);
    let mut contents = 0;
    let mut vectors = 0;
    for path in documents(&out) {
        let name = path.to_string_lossy().to_string();
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let text = String::from_utf8(bytes.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
        if let Some(c) = xml_forbidden(&text) {
            panic!("{name} carries {c:?}");
        }
        let is_xml = name.ends_with(".rss") || name.ends_with(".atom") || name.ends_with(".opml");
        if is_xml {
            // Strict XML 1.0: forbidden characters and character references are errors.
            if let Err(e) = roxmltree::Document::parse(&text) {
                panic!("{name} is not well-formed XML: {e}");
            }
        }
        if name.ends_with(".html") {
            let problems = active_content(&text)
                .into_iter()
                .filter(|p| !p.starts_with("element <link>") && !p.starts_with("element <meta>"))
                .filter(|p| !p.starts_with("element <html>") && !p.starts_with("element <head>"))
                .filter(|p| !p.starts_with("element <body>") && !p.starts_with("element <style>"))
                .collect::<Vec<_>>();
            assert!(problems.is_empty(), "{name}: {problems:?}");
            continue;
        }
        if !(is_xml || name.ends_with(".json")) || name.ends_with(".opml") {
            continue;
        }
        let feed = feed_rs::parser::parse(bytes.as_slice())
            .unwrap_or_else(|e| panic!("{name} does not parse: {e}"));
        for entry in &feed.entries {
            let mut html = Vec::new();
            if let Some(content) = entry.content.as_ref().and_then(|c| c.body.as_ref()) {
                html.push(content.clone());
            }
            // A summary is HTML where the format says so (RSS `description`, Atom
            // `type="html"`); plain text elsewhere, shown as the characters it holds.
            if let Some(summary) = &entry.summary
                && summary.content_type.to_string().starts_with("text/html")
            {
                html.push(summary.content.clone());
            }
            for fragment in html {
                contents += 1;
                if fragment.contains("A paragraph before the vectors") {
                    vectors += 1;
                }
                let problems = active_content(&fragment);
                assert!(problems.is_empty(), "{name}: {problems:?}");
                if let Some(c) = xml_forbidden(&fragment) {
                    panic!("{name} content carries {c:?}");
                }
            }
            for media in &entry.media {
                for content in &media.content {
                    if let Some(url) = &content.url {
                        assert!(url.scheme() == "https" || url.scheme() == "http", "{url}");
                    }
                }
            }
        }
    }
    assert!(contents > 0, "no content was checked");
    assert!(vectors > 0, "the post with the vectors is in no feed");
}

#[test]
fn markup_in_titles_and_bylines_is_text() {
    let (_dir, root) = site();
    let out = build(&root);
    for format in ["rss", "atom", "json"] {
        let path = out.join(format!("en.{format}"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let feed = feed_rs::parser::parse(bytes.as_slice())
            .unwrap_or_else(|e| panic!("{format} does not parse: {e}"));
        let entry = feed
            .entries
            .iter()
            .find(|e| e.title.as_ref().is_some_and(|t| t.content.contains("bold")))
            .unwrap_or_else(|| {
                let titles: Vec<_> = feed.entries.iter().map(|e| e.title.clone()).collect();
                panic!("{format}: the post with vectors is missing: {titles:?}")
            });
        let title = entry
            .title
            .as_ref()
            .map(|t| t.content.clone())
            .unwrap_or_default();
        // The markup arrives as the characters the writer typed, for a reader to show as text.
        assert!(
            title.contains("Tags <b>bold</b> & <script>alert(40)</script> 'quoted'"),
            "{format}: {title:?}"
        );
        assert_eq!(xml_forbidden(&title), None, "{format}: {title:?}");
        assert!(!entry.authors.is_empty(), "{format}: no authors");
        if format != "json" {
            let text = String::from_utf8_lossy(&bytes).to_string();
            let xml = roxmltree::Document::parse(&text)
                .unwrap_or_else(|e| panic!("{format} is not well-formed: {e}"));
            // Titles and people's names hold text only: no element came in with the markup.
            for node in xml.descendants().filter(|n| {
                matches!(
                    n.tag_name().name(),
                    "title" | "creator" | "name" | "summary" | "description"
                )
            }) {
                assert!(
                    node.children().all(|c| c.is_text()),
                    "{format}: <{}> holds markup",
                    node.tag_name().name()
                );
            }
        }
    }
}
