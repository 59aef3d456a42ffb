//! Markdown body -> HTML that is safe to put in a feed, plus its summary text.
//!
//! Owns: CommonMark with tables, footnotes and strikethrough (raw HTML passes through to the
//! sanitizer); sanitizing for feed readers (formatting, links, images, tables, details, figures
//! and media kept; scripts, styles, forms, frames, event handlers and `javascript:`/`data:` URLs
//! gone); making every `href`, `src`, `srcset` and `poster` absolute against the post's
//! permalink; removing characters XML 1.0 forbids; finding images without alt text.

use std::borrow::Cow;
use std::collections::HashSet;

use ammonia::{Builder, UrlRelative};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use url::Url;

use super::text::{normalize_space, xml_safe};

/// The rendered body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Sanitized HTML with absolute URLs.
    pub html: String,
    /// The first paragraph's text, whitespace collapsed.
    pub first_paragraph: String,
    /// `src` of every image that has no alt text.
    pub images_without_alt: Vec<String>,
}

const EXTRA_TAGS: &[&str] = &[
    "details",
    "summary",
    "figure",
    "figcaption",
    "picture",
    "source",
    "video",
    "audio",
    "track",
    "mark",
    "section",
    "aside",
    "header",
    "footer",
    "caption",
    "time",
];

const GENERIC_ATTRIBUTES: &[&str] = &["lang", "title", "dir", "id"];

fn builder(base: Url) -> Builder<'static> {
    let mut b = Builder::default();
    b.add_tags(EXTRA_TAGS)
        .rm_tags(["u"])
        .add_generic_attributes(GENERIC_ATTRIBUTES)
        .add_tag_attributes("img", ["srcset", "sizes", "loading"])
        .add_tag_attributes("source", ["src", "srcset", "type", "media", "sizes"])
        .add_tag_attributes(
            "video",
            ["src", "poster", "controls", "width", "height", "preload"],
        )
        .add_tag_attributes("audio", ["src", "controls", "preload"])
        .add_tag_attributes("track", ["src", "kind", "srclang", "label", "default"])
        .add_tag_attributes("details", ["open"])
        .add_tag_attributes("time", ["datetime"])
        .add_tag_attributes("a", ["hreflang"])
        .add_tag_attributes("ol", ["start", "reversed"])
        .add_tag_attributes("td", ["align", "colspan", "rowspan"])
        .add_tag_attributes("th", ["align", "colspan", "rowspan", "scope"])
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true);
    let srcset_base = base.clone();
    b.attribute_filter(move |_element, attribute, value| {
        if attribute == "srcset" {
            Some(Cow::Owned(absolute_srcset(&srcset_base, value)))
        } else {
            Some(Cow::Borrowed(value))
        }
    });
    b.url_relative(UrlRelative::RewriteWithBase(base));
    b
}

/// `srcset="a.png 1x, /b.png 2x"` with each URL made absolute; candidates whose URL is not
/// http(s) after resolving are dropped.
fn absolute_srcset(base: &Url, value: &str) -> String {
    value
        .split(',')
        .filter_map(|candidate| {
            let mut parts = candidate.split_whitespace();
            let url = base.join(parts.next()?).ok()?;
            if !matches!(url.scheme(), "http" | "https") {
                return None;
            }
            let descriptor: Vec<&str> = parts.collect();
            Some(if descriptor.is_empty() {
                url.to_string()
            } else {
                format!("{url} {}", descriptor.join(" "))
            })
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Renders `markdown` for a post published at `permalink`.
pub fn render(markdown: &str, permalink: &Url) -> Rendered {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_FOOTNOTES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let parser = Parser::new_ext(markdown, options);

    let mut first_paragraph = String::new();
    let mut state = Paragraph::Before;
    let mut image_depth = 0usize;
    let events = parser.inspect(|event| match (&state, event) {
        (Paragraph::Before, Event::Start(Tag::Paragraph)) => state = Paragraph::Inside,
        (Paragraph::Inside, Event::Start(Tag::Image { .. })) => image_depth += 1,
        (Paragraph::Inside, Event::End(TagEnd::Image)) => {
            image_depth = image_depth.saturating_sub(1)
        }
        (Paragraph::Inside, Event::Text(t) | Event::Code(t)) if image_depth == 0 => {
            first_paragraph.push_str(t)
        }
        (Paragraph::Inside, Event::SoftBreak | Event::HardBreak) => first_paragraph.push(' '),
        (Paragraph::Inside, Event::End(TagEnd::Paragraph)) => {
            state = if first_paragraph.trim().is_empty() {
                Paragraph::Before
            } else {
                Paragraph::Done
            }
        }
        _ => {}
    });
    let mut raw = String::with_capacity(markdown.len() + markdown.len() / 4);
    pulldown_cmark::html::push_html(&mut raw, events);

    let html = xml_safe(&builder(permalink.clone()).clean(&raw).to_string());
    let images_without_alt = images_without_alt(&html);
    let mut first_paragraph = normalize_space(&first_paragraph);
    if first_paragraph.is_empty() {
        first_paragraph = normalize_space(&html_text(&html));
    }
    Rendered {
        html,
        first_paragraph: xml_safe(&first_paragraph),
        images_without_alt,
    }
}

enum Paragraph {
    Before,
    Inside,
    Done,
}

/// `src` of each `<img>` in sanitized HTML whose `alt` is missing or blank. Sanitized HTML is
/// regular (double-quoted attributes, no comments), so a scan is enough.
fn images_without_alt(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut seen = HashSet::new();
    let mut rest = html;
    while let Some(start) = rest.find("<img") {
        let tag_end = rest[start..].find('>').map_or(rest.len(), |e| start + e);
        let tag = &rest[start..tag_end];
        let alt = attribute(tag, "alt").map(|a| a.trim().to_string());
        if alt.is_none_or(|a| a.is_empty()) {
            let src = attribute(tag, "src").unwrap_or_default();
            if seen.insert(src.clone()) {
                found.push(src);
            }
        }
        rest = &rest[tag_end..];
    }
    found
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let at = tag.find(&needle)? + needle.len();
    let len = tag[at..].find('"')?;
    Some(tag[at..at + len].to_string())
}

/// The text of an HTML fragment: tags dropped, the common entities decoded.
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_at(markdown: &str) -> Rendered {
        let base = Url::parse("https://digital.example.ca/2021/01/11/a-post/");
        match base {
            Ok(base) => render(markdown, &base),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn markdown_features_render() {
        let html = render_at(
            "# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^1] and ~~old~~.\n\n[^1]: A note.\n",
        )
        .html;
        for needle in [
            "<h1>Title</h1>",
            "<table>",
            "<td>1</td>",
            "<del>old</del>",
            "A note.",
        ] {
            assert!(html.contains(needle), "{needle} missing from {html}");
        }
    }

    #[test]
    fn relative_urls_become_absolute() {
        let html = render_at(
            "[old](/2018/02/15/some-post/) ![chart](/img/chart.svg)\n\n\
             <img src=\"pic.png\" srcset=\"/a.png 1x, b.png 2x\" alt=\"x\">\n\n\
             <video poster=\"/img/p.jpg\" src=\"/v.mp4\"></video>\n\n[note](#fn1)\n",
        )
        .html;
        for needle in [
            "href=\"https://digital.example.ca/2018/02/15/some-post/\"",
            "src=\"https://digital.example.ca/img/chart.svg\"",
            "src=\"https://digital.example.ca/2021/01/11/a-post/pic.png\"",
            "srcset=\"https://digital.example.ca/a.png 1x, https://digital.example.ca/2021/01/11/a-post/b.png 2x\"",
            "poster=\"https://digital.example.ca/img/p.jpg\"",
            "href=\"https://digital.example.ca/2021/01/11/a-post/#fn1\"",
        ] {
            assert!(html.contains(needle), "{needle} missing from {html}");
        }
    }

    #[test]
    fn active_content_is_removed_and_safe_structure_kept() {
        let html = render_at(
            "<script>alert(1)</script>\n\n<style>p{}</style>\n\n\
             <p onclick=\"x()\">Hi <a href=\"javascript:alert(1)\">js</a> \
             <a href=\"data:text/html,x\">data</a></p>\n\n\
             <iframe src=\"https://video.example/embed\"></iframe>\n\n\
             <form action=\"/x\"><input name=q></form>\n\n\
             <details><summary>More</summary>Hidden</details>\n\n\
             <figure><img src=\"/a.png\" alt=\"A\"><figcaption>Cap</figcaption></figure>\n",
        )
        .html;
        for gone in [
            "<script",
            "alert",
            "<style",
            "onclick",
            "javascript:",
            "data:",
            "<iframe",
            "<form",
            "<input",
        ] {
            assert!(!html.contains(gone), "{gone} left in {html}");
        }
        for kept in [
            "<details><summary>More</summary>",
            "<figure>",
            "<figcaption>Cap</figcaption>",
        ] {
            assert!(html.contains(kept), "{kept} missing from {html}");
        }
    }

    #[test]
    fn xml_forbidden_characters_never_reach_the_html() {
        let out = render_at("Bell\u{7} and null\u{0} and \u{1b}escape");
        assert!(out.html.chars().all(crate::corpus::text::is_xml_char));
        assert!(
            out.first_paragraph
                .chars()
                .all(crate::corpus::text::is_xml_char)
        );
    }

    #[test]
    fn the_first_paragraph_is_the_summary_text() {
        let out = render_at(
            "## Heading\n\n![alt](/x.png)\n\nFirst *real*\nparagraph `code`.\n\nSecond.\n",
        );
        assert_eq!(out.first_paragraph, "First real paragraph code.");
        let html_only = render_at("<div><p>Raw &amp; HTML</p></div>\n");
        assert_eq!(html_only.first_paragraph, "Raw & HTML");
    }

    #[test]
    fn images_without_alt_are_found() {
        let out = render_at(
            "![](/y.png)\n\n<img src=\"/x.png\">\n\n<img src=\"/ok.png\" alt=\"fine\">\n",
        );
        assert_eq!(
            out.images_without_alt,
            [
                "https://digital.example.ca/y.png",
                "https://digital.example.ca/x.png"
            ]
        );
    }

    /// Only the markup of sanitized HTML (text between tags is escaped and harmless).
    fn tags(html: &str) -> String {
        let mut out = String::new();
        let mut quote = None;
        let mut inside = false;
        for c in html.chars() {
            match (inside, quote, c) {
                (false, _, '<') => inside = true,
                (true, None, '"' | '\'') => quote = Some(c),
                (true, Some(q), _) if q == c => quote = None,
                (true, None, '>') => {
                    inside = false;
                    out.push(' ');
                }
                _ => {}
            }
            if inside {
                out.push(c);
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn output_never_carries_active_content(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "<script>x()</script>", "<img src=x onerror=alert(1)>", "[a](javascript:alert(1))",
                    "<a href=\"JaVaScRiPt:x\">", "<iframe srcdoc=\"<b>\">", "<svg><script>1</script></svg>",
                    "<style>*{}</style>", "<p style=\"x:expression(1)\">", "**b**", "\n\n", "<", "&#x6A;avascript:",
                    "<details><summary>s</summary>", "| a |\n|---|\n| b |", "[^1]\n\n[^1]: n", "\u{0}\u{1b}",
                    "text é « »", "<a href=\"data:text/html,x\">d</a>", "<object data=x>", "<form><input>",
                ]),
                0..12,
            ),
        ) {
            let out = render_at(&parts.concat());
            let lower = tags(&out.html).to_lowercase();
            for bad in ["<script", " onerror=", "=\"javascript:", "<iframe", " srcdoc=", "<style", " style=", "=\"data:", "<object", "<form", "<input"] {
                proptest::prop_assert!(!lower.contains(bad), "{bad} in {}", out.html);
            }
            proptest::prop_assert!(out.html.chars().all(crate::corpus::text::is_xml_char));
        }
    }
}
