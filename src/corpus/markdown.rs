//! Markdown body -> HTML that is safe to put in a feed, plus its summary text.
//!
//! Owns: CommonMark with tables, footnotes and strikethrough (raw HTML passes through to the
//! sanitizer); sanitizing for feed readers (formatting, links, images, tables, details, figures
//! and media kept; scripts, styles, forms, frames, event handlers and `javascript:`/`data:` URLs
//! gone); making every `href`, `src`, `srcset` and `poster` absolute against the post's
//! permalink; removing characters XML 1.0 forbids; finding images without alt text; dropping
//! every link, image and attribute whose URL held a template tag that was dropped
//! ([`super::templates::DROPPED`]).

use std::borrow::Cow;

use ammonia::{Builder, UrlRelative};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use url::Url;

use super::templates::DROPPED;
use crate::text::{normalize_space, xml_safe};

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
        if value.contains(DROPPED) {
            None
        } else if attribute == "srcset" {
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

/// Marks raw HTML in pulldown-cmark's output, and stands for Markdown output while the raw HTML
/// is sanitized. Private-use characters, removed from the source first.
const RAW_OPEN: char = '\u{E000}';
const RAW_CLOSE: char = '\u{E001}';
const HOLD_OPEN: char = '\u{E002}';
const HOLD_CLOSE: char = '\u{E003}';

fn is_marker(c: char) -> bool {
    ('\u{E000}'..='\u{E003}').contains(&c)
}

/// Renders `markdown` for a post published at `permalink`.
///
/// HTML that pulldown-cmark writes from Markdown is safe by construction once link and image
/// URLs are checked (text and attributes are escaped), so only the raw HTML in the post goes
/// through the HTML parser and sanitizer: the Markdown output between the pieces of raw HTML
/// stands aside as numbered placeholders, and comes back into the sanitized result. A post
/// without raw HTML is never parsed as HTML at all.
pub fn render(markdown: &str, permalink: &Url) -> String {
    // Every marker is `EE 80 8x` in UTF-8: look for the lead byte first.
    let source: Cow<'_, str> =
        if markdown.as_bytes().contains(&0xEE) && markdown.contains(is_marker) {
            Cow::Owned(markdown.chars().filter(|&c| !is_marker(c)).collect())
        } else {
            Cow::Borrowed(markdown)
        };
    let mut raw_pieces = 0usize;
    let mut kept: Vec<bool> = Vec::new();
    let events = Parser::new_ext(&source, options()).filter_map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => {
            raw_pieces += 1;
            Some(Event::Html(format!("{RAW_OPEN}{html}{RAW_CLOSE}").into()))
        }
        Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
            let tag = retarget(tag, permalink);
            kept.push(tag.is_some());
            tag.map(Event::Start)
        }
        Event::End(TagEnd::Link | TagEnd::Image) => kept.pop().unwrap_or(true).then_some(event),
        // A soft line break is a space (CommonMark allows either; browsers show the same):
        // the feeds write a line break in text as `&#10;` (see `feeds::item`).
        Event::SoftBreak => Some(Event::Text(" ".into())),
        other => Some(other),
    });
    let mut out = String::with_capacity(source.len() + source.len() / 4);
    pulldown_cmark::html::push_html(&mut out, events);

    let html = if raw_pieces == 0 {
        tidy(&out, permalink)
    } else {
        sanitize_mixed(&out, permalink)
    };
    let html = xml_safe(&html);
    if html.contains(DROPPED) {
        html.replace(DROPPED, "")
    } else {
        html
    }
}

fn options() -> Options {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_FOOTNOTES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options
}

/// The text of the first paragraph that has any (images' alt text left out), whitespace
/// collapsed; where there is none, the text of the whole rendered body.
pub fn first_paragraph(markdown: &str, permalink: &Url) -> String {
    let mut text = String::new();
    let mut inside = false;
    let mut in_image = 0usize;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Paragraph) => inside = true,
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if inside && in_image == 0 => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if inside => text.push(' '),
            Event::End(TagEnd::Paragraph) => {
                inside = false;
                if !text.trim().is_empty() {
                    break;
                }
            }
            _ => {}
        }
    }
    let text = normalize_space(&text);
    let text = if text.is_empty() {
        normalize_space(&html_text(&render(markdown, permalink)))
    } else {
        text
    };
    xml_safe(&text)
}

/// Images without alt text in a Markdown body, Markdown (`![](src)`) and raw HTML
/// (`<img src=...>`) alike: (byte offset, `src` as written). A scan of the text, not a parse:
/// fenced code blocks are skipped, so an example in a code block is no image.
pub fn images_without_alt(markdown: &str) -> Vec<(usize, String)> {
    let fenced = fenced_code(markdown);
    let in_code = |at: usize| fenced.iter().any(|range| range.contains(&at));
    let mut found = Vec::new();
    let bytes = markdown.as_bytes();
    for at in memchr::memchr2_iter(b'!', b'<', bytes) {
        let next = |n: usize| bytes.get(at + n).copied().unwrap_or(0);
        let candidate = if bytes[at] == b'!' {
            if next(1) != b'[' {
                continue;
            }
            let line_end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |e| at + e);
            markdown
                .get(at + 2..line_end)
                .and_then(markdown_image_without_alt)
        } else {
            let is_img = next(1).eq_ignore_ascii_case(&b'i')
                && next(2).eq_ignore_ascii_case(&b'm')
                && next(3).eq_ignore_ascii_case(&b'g')
                && matches!(next(4), b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>');
            if !is_img {
                continue;
            }
            let attributes = parse_attributes(markdown.get(at + 4..).unwrap_or_default());
            let alt = attributes.iter().find(|(k, _)| k == "alt");
            alt.is_none_or(|(_, v)| v.trim().is_empty()).then(|| {
                attributes
                    .into_iter()
                    .find(|(k, _)| k == "src")
                    .map(|(_, v)| v)
                    .unwrap_or_default()
            })
        };
        if let Some(src) = candidate
            && !in_code(at)
        {
            found.push((at, src));
        }
    }
    found
}

/// Byte ranges of fenced code blocks (```` ``` ```` or `~~~`), open to the end where unclosed.
fn fenced_code(markdown: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let bytes = markdown.as_bytes();
    if memchr::memmem::find(bytes, b"```").is_none()
        && memchr::memmem::find(bytes, b"~~~").is_none()
    {
        return ranges;
    }
    let mut offset = 0;
    let mut open: Option<(&str, usize)> = None;
    for line in markdown.split_inclusive('\n') {
        let trimmed = line.trim_start();
        match open {
            Some((fence, start)) if trimmed.starts_with(fence) => {
                ranges.push(start..offset + line.len());
                open = None;
            }
            Some(_) => {}
            None => {
                open = ["```", "~~~"]
                    .into_iter()
                    .find(|f| trimmed.starts_with(f))
                    .map(|fence| (fence, offset));
            }
        }
        offset += line.len();
    }
    if let Some((_, start)) = open {
        ranges.push(start..markdown.len());
    }
    ranges
}

/// After `![`: the `src` when the alt text is blank and a `(target)` follows.
fn markdown_image_without_alt(after: &str) -> Option<String> {
    let close = after.find(']')?;
    if !after[..close].trim().is_empty() {
        return None;
    }
    let target = after[close + 1..].strip_prefix('(')?;
    let src = target
        .split(|c: char| c.is_whitespace() || c == ')')
        .next()
        .unwrap_or_default()
        .trim_matches(['<', '>']);
    Some(src.to_string())
}

/// A link or image with its target made absolute; `None` where the target's scheme is unsafe.
fn retarget<'a>(mut tag: Tag<'a>, base: &Url) -> Option<Tag<'a>> {
    if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &mut tag {
        *dest_url = safe_url(base, dest_url)?.into();
    }
    Some(tag)
}

/// A Markdown link or image target made absolute; `None` for schemes a feed must not carry.
fn safe_url(base: &Url, target: &str) -> Option<String> {
    if target.contains(DROPPED) {
        return None;
    }
    let url = base.join(target.trim()).ok()?;
    matches!(url.scheme(), "http" | "https" | "mailto" | "tel").then(|| url.to_string())
}

/// pulldown-cmark's own output made fit for a feed: in-page links (footnotes) absolute,
/// table alignment as an attribute rather than a style.
fn tidy(html: &str, permalink: &Url) -> String {
    if !html.contains(" href=\"#") && !html.contains(" style=\"") {
        return html.to_string();
    }
    let mut out = html.replace(
        "href=\"#",
        &format!("href=\"{}#", permalink.as_str().trim_end_matches('#')),
    );
    for align in ["left", "center", "right"] {
        let style = format!(" style=\"text-align: {align}\"");
        if out.contains(&style) {
            out = out.replace(&style, &format!(" align=\"{align}\""));
        }
    }
    out
}

/// Puts a placeholder for a piece of Markdown output into the skeleton.
fn hold<'a>(piece: &'a str, skeleton: &mut String, held: &mut Vec<&'a str>) {
    if !piece.is_empty() {
        skeleton.push(HOLD_OPEN);
        skeleton.push_str(&held.len().to_string());
        skeleton.push(HOLD_CLOSE);
        held.push(piece);
    }
}

/// Sanitizes the raw HTML pieces of `marked` (pulldown-cmark output with raw HTML between
/// `RAW_OPEN` and `RAW_CLOSE`) with the Markdown output held aside, then puts it back.
fn sanitize_mixed(marked: &str, permalink: &Url) -> String {
    let mut skeleton = String::with_capacity(marked.len() / 2);
    let mut held: Vec<&str> = Vec::new();
    let mut rest = marked;
    while let Some(open) = rest.find(RAW_OPEN) {
        hold(&rest[..open], &mut skeleton, &mut held);
        rest = &rest[open + RAW_OPEN.len_utf8()..];
        let close = rest.find(RAW_CLOSE).unwrap_or(rest.len());
        skeleton.push_str(&rest[..close]);
        rest = rest.get(close + RAW_CLOSE.len_utf8()..).unwrap_or_default();
    }
    hold(rest, &mut skeleton, &mut held);

    let cleaned = builder(permalink.clone()).clean(&skeleton).to_string();
    let mut out = String::with_capacity(marked.len());
    let mut rest = cleaned.as_str();
    while let Some(open) = rest.find(HOLD_OPEN) {
        out.push_str(&rest[..open]);
        rest = &rest[open + HOLD_OPEN.len_utf8()..];
        let close = rest.find(HOLD_CLOSE).unwrap_or(rest.len());
        if let Some(piece) = rest[..close]
            .parse::<usize>()
            .ok()
            .and_then(|n| held.get(n))
        {
            out.push_str(&tidy(piece, permalink));
        }
        rest = rest
            .get(close + HOLD_CLOSE.len_utf8()..)
            .unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// The attributes at the start of `text` (just after a tag name), up to the tag's `>`:
/// lower-cased names, values unquoted.
fn parse_attributes(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    loop {
        while chars
            .next_if(|(_, c)| c.is_whitespace() || *c == '/')
            .is_some()
        {}
        let Some(&(start, c)) = chars.peek() else {
            break;
        };
        if c == '>' {
            break;
        }
        let mut end = start;
        while let Some((i, c)) =
            chars.next_if(|(_, c)| !c.is_whitespace() && !matches!(c, '=' | '>' | '/'))
        {
            end = i + c.len_utf8();
        }
        let name = text[start..end].to_ascii_lowercase();
        while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if(|(_, c)| *c == '=').is_some() {
            while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
            match chars.peek().map(|&(_, c)| c) {
                Some(q @ ('"' | '\'')) => {
                    chars.next();
                    for (_, c) in chars.by_ref() {
                        if c == q {
                            break;
                        }
                        value.push(c);
                    }
                }
                _ => {
                    while let Some((_, c)) = chars.next_if(|(_, c)| !c.is_whitespace() && *c != '>')
                    {
                        value.push(c);
                    }
                }
            }
        }
        if name.is_empty() {
            chars.next();
        } else {
            out.push((name, value));
        }
    }
    out
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

    fn base() -> Url {
        match Url::parse("https://digital.example.ca/2021/01/11/a-post/") {
            Ok(base) => base,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn urls_that_held_a_dropped_tag_are_never_published() {
        let d = DROPPED;
        let markdown = format!(
            "[kept text]({d}/about/) and ![an image]({d}) and [fine](/ok/)\n\n\
             <a href='{d}/x'>raw link</a> <img src='/a.png' srcset='{d} 2x'> words{d}here"
        );
        let html = render(&markdown, &base());
        assert!(!html.contains(d), "{html}");
        assert!(html.contains("kept text"), "{html}");
        assert!(!html.contains("/about/"), "{html}");
        assert!(
            html.contains("<a href=\"https://digital.example.ca/ok/\""),
            "{html}"
        );
        assert!(
            html.contains("raw link</a>") && !html.contains("/x'"),
            "{html}"
        );
        assert!(!html.contains("srcset"), "{html}");
        assert!(html.contains("wordshere"), "{html}");
    }

    fn render_at(markdown: &str) -> String {
        render(markdown, &base())
    }

    /// Found by the `markdown` fuzz target (whose check was wrong: a summary is text): an
    /// unfinished tag is text in the HTML and in the summary, never an element.
    #[test]
    fn an_unfinished_tag_is_text() {
        let html = render_at("<svg");
        assert!(!html.contains("<svg"), "{html}");
        assert!(html.contains("&lt;svg"), "{html}");
        assert_eq!(first_paragraph("<svg", &base()), "<svg");
        // Found by the same target: an attribute's name as plain text stays text.
        assert_eq!(render_at("srcdoc"), "<p>srcdoc</p>\n");
    }

    #[test]
    fn markdown_features_render() {
        let html = render_at(
            "# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^1] and ~~old~~.\n\n[^1]: A note.\n",
        );
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
    fn a_wrapped_paragraph_is_one_line_and_code_keeps_its_lines() {
        let html = render_at(
            "One line
wrapped, and a hard  
break.

```
a
b
```
",
        );
        assert!(
            html.contains("<p>One line wrapped, and a hard<br />\nbreak.</p>"),
            "{html}"
        );
        assert!(html.contains("<code>a\nb\n</code>"), "{html}");
    }

    #[test]
    fn relative_urls_become_absolute() {
        let html = render_at(
            "[old](/2018/02/15/some-post/) ![chart](/img/chart.svg)\n\n\
             <img src=\"pic.png\" srcset=\"/a.png 1x, b.png 2x\" alt=\"x\">\n\n\
             <video poster=\"/img/p.jpg\" src=\"/v.mp4\"></video>\n\n[note](#fn1)\n",
        );
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
        );
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
    fn markdown_only_posts_are_safe_without_the_html_parser() {
        let html = render_at(
            "[bad](javascript:alert(1)) [data](data:text/html,x) ![img](vbscript:x) [ok](/ok/)\n\n\
             | l | c |\n|:--|:-:|\n| 1 | 2 |\n\nNote[^n].\n\n[^n]: The note.\n",
        );
        assert!(
            !html.contains("javascript:") && !html.contains("data:") && !html.contains("vbscript:"),
            "{html}"
        );
        assert!(
            html.contains(">bad<") || html.contains("bad "),
            "link text kept: {html}"
        );
        assert!(
            html.contains("href=\"https://digital.example.ca/ok/\""),
            "{html}"
        );
        assert!(
            html.contains("align=\"center\"") && !html.contains("style="),
            "{html}"
        );
        assert!(
            html.contains("href=\"https://digital.example.ca/2021/01/11/a-post/#"),
            "{html}"
        );
    }

    #[test]
    fn raw_html_around_markdown_keeps_the_markdown_inside() {
        let html = render_at(
            "<details>\n<summary>More</summary>\n\nSome **bold** [link](/x/).\n\n</details>\n\n\
             <script>\n\nhidden *markdown*\n\n</script>\n\nafter <span onclick=\"x()\">inline</span> text\n",
        );
        assert!(
            html.contains("<details>") && html.contains("</details>"),
            "{html}"
        );
        assert!(html.contains("<strong>bold</strong>"), "{html}");
        assert!(
            html.contains("href=\"https://digital.example.ca/x/\""),
            "{html}"
        );
        assert!(
            !html.contains("hidden") && !html.contains("<script"),
            "{html}"
        );
        assert!(
            html.contains("<span>inline</span>") && !html.contains("onclick"),
            "{html}"
        );
        assert!(!html.contains(is_marker), "{html}");
    }

    #[test]
    fn marker_characters_in_the_source_cannot_forge_placeholders() {
        let html = render_at("\u{E002}0\u{E003} <b>x</b> \u{E000}<script>1</script>\u{E001}");
        assert!(
            !html.contains("<script") && !html.contains(is_marker),
            "{html}"
        );
    }

    #[test]
    fn xml_forbidden_characters_never_reach_the_html() {
        let text = "Bell\u{7} and null\u{0} and \u{1b}escape";
        assert!(render_at(text).chars().all(crate::text::is_xml_char));
        assert!(
            first_paragraph(text, &base())
                .chars()
                .all(crate::text::is_xml_char)
        );
    }

    #[test]
    fn the_first_paragraph_is_the_summary_text() {
        let text = "## Heading\n\n![alt](/x.png)\n\nFirst *real*\nparagraph `code`.\n\nSecond.\n";
        assert_eq!(first_paragraph(text, &base()), "First real paragraph code.");
        let html_only = "<div><p>Raw &amp; HTML</p></div>\n";
        assert_eq!(first_paragraph(html_only, &base()), "Raw & HTML");
    }

    #[test]
    fn images_without_alt_are_found() {
        let text = "![](/y.png)\n\n<IMG SRC='/x.png' ALT=' '>\n\n<img src=\"/ok.png\" alt=\"fine\">\n\n\
             text <img alt=fine src=/ok2.png> and <img src=/z.png/>\n\n![described](/d.png)\n\n\
             ```html\n<img src=\"/in-code.png\">\n```\n\n![ ](</w.png> \"title\") <img\n  src=\"/two-lines.png\">\n";
        let at = |needle: &str| text.find(needle).unwrap_or(usize::MAX);
        assert_eq!(
            images_without_alt(text),
            [
                (0, "/y.png".to_string()),
                (13, "/x.png".to_string()),
                (at("<img src=/z"), "/z.png/".to_string()),
                (at("![ ]"), "/w.png".to_string()),
                (at("<img\n"), "/two-lines.png".to_string()),
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
            let lower = tags(&out).to_lowercase();
            for bad in ["<script", " onerror=", "=\"javascript:", "<iframe", " srcdoc=", "<style", " style=", "=\"data:", "<object", "<form", "<input"] {
                proptest::prop_assert!(!lower.contains(bad), "{bad} in {}", out);
            }
            proptest::prop_assert!(out.chars().all(crate::text::is_xml_char));
        }
    }
}
