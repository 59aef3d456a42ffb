//! Template tags in a Markdown body -> what the site's generator writes in their place, before
//! the body is read as Markdown.
//!
//! Owns: finding Liquid and Nunjucks tags (`{{ ... }}`, `{% ... %}`: Jekyll, Eleventy) and Hugo
//! shortcodes (`{{< ... >}}`, `{{% ... %}}`), resolving the common ones the way their generator
//! does, and dropping the rest, each reported with its place so that the loader can warn with
//! the line. A generator runs these on the whole body, code blocks included (hence Liquid's
//! `{% raw %}`), and so does this.
//!
//! Must not: guess. A tag it does not know is removed, and a URL that held one is never
//! published: where a tag was dropped it leaves [`DROPPED`], and the Markdown renderer drops any
//! link or image whose URL holds it (see [`super::markdown`]). Links to other posts
//! (`post_url`, `link`, `ref`, `relref`) are read here into a [`LinkTag`]; which post one names
//! is the corpus's to say ([`super::links`]), and a link it finds no post for is dropped too.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::links::Lookup;
use crate::config::Syntax;

/// The tag that links to another post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LinkKind {
    /// Jekyll's `{% post_url 2024-01-02-a-post %}`: the post's path under the base URL.
    PostUrl,
    /// Jekyll's `{% link _posts/2024-01-02-a-post.md %}`: the same, by the file's path.
    Link,
    /// Hugo's `{{< ref "a-post" >}}`: the post's permalink.
    Ref,
    /// Hugo's `{{< relref "a-post" >}}`: its path.
    RelRef,
}

/// A link to another post, as written in a tag: what the corpus is asked for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LinkTag {
    pub kind: LinkKind,
    /// The name as written (a Hugo `#anchor` apart).
    pub name: String,
    /// Hugo's `lang="fr"`: the translation in that language.
    pub lang: Option<String>,
}

/// One link tag of a post's body: what it asks for, where, and the names it may find a post
/// by, in the order they are tried ([`super::links::lookups`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkUse {
    pub tag: LinkTag,
    /// The tag as written, for the warning when no post has that name.
    pub written: String,
    /// 1-based, in the file.
    pub line: usize,
    pub lookups: Vec<Lookup>,
}

/// Left where a tag was dropped; never in a published feed.
pub const DROPPED: char = '\u{FDD2}';

/// What a body's tags may refer to.
pub struct Context<'a> {
    pub syntax: Syntax,
    /// The site's origin and base path: `https://example.org/blog/` (Jekyll's `site.url` plus
    /// `site.baseurl`, Eleventy's `pathPrefix`, Hugo's `baseURL`).
    pub site_url: &'a url::Url,
    /// The permalink of the post a link tag names (`{% post_url 2024-01-02-a-post %}`,
    /// `{% link _posts/2024-01-02-a-post.md %}`, `{{< ref "a-post.md" >}}`), when the corpus
    /// has one.
    pub find_post: &'a dyn Fn(&LinkTag) -> Option<String>,
}

/// How a post's body is read for tags: the syntax and the site it is published on. Kept on the
/// post, which renders its body when a feed needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Templating {
    pub syntax: Syntax,
    pub site_url: url::Url,
    /// The names other posts' link tags know this one by ([`super::links::names`]).
    pub names: Vec<String>,
    /// The links to other posts its body holds, in order; empty for nearly every post.
    pub links: Vec<LinkUse>,
}

impl Templating {
    /// `body` with its tags resolved, a link to another post by the permalink `find_post`
    /// gives for it (dropped where it gives none).
    pub fn apply<'a>(
        &self,
        body: &'a str,
        find_post: &dyn Fn(&LinkTag) -> Option<String>,
    ) -> Resolved<'a> {
        let context = Context {
            syntax: self.syntax,
            site_url: &self.site_url,
            find_post,
        };
        resolve(body, &context)
    }
}

/// A tag that was removed: where it started in the body, and the tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    pub offset: usize,
    pub tag: String,
}

/// The body with its tags resolved, those it removed, and its links to other posts.
#[derive(Debug)]
pub struct Resolved<'a> {
    pub text: Cow<'a, str>,
    /// Tags it does not know, or cannot read (links to other posts not among them).
    pub dropped: Vec<Dropped>,
    /// Every link to another post, found or not (one not found is dropped): where it starts
    /// in the body, what it asks for, and the tag as written.
    pub links: Vec<(usize, LinkTag, String)>,
}

/// Resolves the tags in `body`.
pub fn resolve<'a>(body: &'a str, context: &Context<'_>) -> Resolved<'a> {
    let opens: &[&str] = match context.syntax {
        Syntax::None => &[],
        Syntax::Liquid => &["{{", "{%"],
        Syntax::Hugo => &["{{<", "{{%"],
    };
    if opens.iter().all(|open| !body.contains(open)) {
        return Resolved {
            text: Cow::Borrowed(body),
            dropped: Vec::new(),
            links: Vec::new(),
        };
    }
    let mut run = Run {
        body,
        context,
        out: String::with_capacity(body.len()),
        dropped: Vec::new(),
        links: Vec::new(),
    };
    match context.syntax {
        Syntax::None => {}
        Syntax::Liquid => run.liquid(),
        Syntax::Hugo => run.hugo(),
    }
    Resolved {
        text: Cow::Owned(run.out),
        dropped: run.dropped,
        links: run.links,
    }
}

struct Run<'a, 'c> {
    body: &'a str,
    context: &'c Context<'c>,
    out: String,
    dropped: Vec<Dropped>,
    links: Vec<(usize, LinkTag, String)>,
}

/// One tag found in the body: `[start, end)` is the whole tag, `inner` what is between its
/// delimiters, trimmed (and without Liquid's `-` whitespace control).
struct Tag<'a> {
    start: usize,
    end: usize,
    inner: &'a str,
    /// Liquid's whitespace control: `{{-` or `{%-` (white space before the tag goes) and `-}}`
    /// or `-%}` (white space after it goes).
    trim_before: bool,
    trim_after: bool,
}

/// The next tag opening with one of `opens` at or after `from`, closing with the matching
/// close; `None` when there is none (an unclosed one is text).
fn next_tag<'a>(body: &'a str, from: usize, pairs: &[(&str, &str)]) -> Option<(Tag<'a>, usize)> {
    let mut best: Option<(usize, usize)> = None;
    for (i, (open, _)) in pairs.iter().enumerate() {
        if let Some(at) = body[from..].find(open) {
            let at = from + at;
            if best.is_none_or(|(b, _)| at < b) {
                best = Some((at, i));
            }
        }
    }
    let (start, which) = best?;
    let (open, close) = pairs[which];
    let content = start + open.len();
    let end = content + body[content..].find(close)?;
    let raw = &body[content..end];
    Some((
        Tag {
            start,
            end: end + close.len(),
            inner: raw.trim_start_matches('-').trim_end_matches('-').trim(),
            trim_before: raw.starts_with('-'),
            trim_after: raw.ends_with('-'),
        },
        which,
    ))
}

impl Run<'_, '_> {
    fn drop_tag(&mut self, start: usize, end: usize) {
        self.out.push(DROPPED);
        self.dropped.push(Dropped {
            offset: start,
            tag: self.body[start..end].to_string(),
        });
    }

    /// The link `[start, end)` asks for: the permalink of the post the corpus finds for it
    /// (Hugo's `ref`), or its path (the others), and `anchor` after it; dropped where the
    /// corpus has none.
    fn link(&mut self, start: usize, end: usize, link: LinkTag, anchor: &str) {
        let found = (self.context.find_post)(&link).map(|permalink| match link.kind {
            LinkKind::Ref => permalink,
            LinkKind::RelRef | LinkKind::PostUrl | LinkKind::Link => path_of(&permalink),
        });
        match found {
            Some(url) => {
                self.out.push_str(&url);
                self.out.push_str(anchor);
            }
            None => self.out.push(DROPPED),
        }
        self.links
            .push((start, link, self.body[start..end].to_string()));
    }

    /// The site's base path without its final `/`: Jekyll's `site.baseurl` ("" at the root).
    fn base_path(&self) -> String {
        self.context
            .site_url
            .path()
            .trim_end_matches('/')
            .to_string()
    }

    /// `path` under the site's base path (Jekyll's `relative_url`, Eleventy's `url`): an
    /// absolute URL stays as it is.
    fn relative_url(&self, path: &str) -> String {
        if path.contains("://") || path.starts_with("//") {
            return path.to_string();
        }
        let path = path.strip_prefix('/').unwrap_or(path);
        format!("{}/{path}", self.base_path())
    }

    fn absolute_url(&self, path: &str) -> String {
        let relative = self.relative_url(path);
        if relative.contains("://") || relative.starts_with("//") {
            return relative;
        }
        let site = self.context.site_url;
        format!("{}{relative}", site.origin().ascii_serialization())
    }

    // -----------------------------------------------------------------------------------------
    // Liquid and Nunjucks

    fn liquid(&mut self) {
        const PAIRS: &[(&str, &str)] = &[("{{", "}}"), ("{%", "%}")];
        let body = self.body;
        let mut at = 0;
        while let Some((tag, which)) = next_tag(body, at, PAIRS) {
            let before = &body[at..tag.start];
            self.out.push_str(if tag.trim_before {
                before.trim_end()
            } else {
                before
            });
            at = tag.end;
            if tag.trim_after {
                at = body.len() - body[at..].trim_start().len();
            }
            if which == 0 {
                match self.output(tag.inner) {
                    Some(value) => self.out.push_str(&value),
                    None => self.drop_tag(tag.start, tag.end),
                }
                continue;
            }
            let (name, args) = split_word(tag.inner);
            match name {
                "raw" | "comment" | "highlight" => {
                    let end_name = format!("end{name}");
                    let Some((inside, after)) = block_end(body, at, &end_name) else {
                        self.drop_tag(tag.start, tag.end);
                        continue;
                    };
                    match name {
                        "raw" => self.out.push_str(inside),
                        "highlight" => fence(&mut self.out, split_word(args).0, inside),
                        _ => {}
                    }
                    at = after;
                }
                // Jekyll takes the name as written, quotes and all.
                "link" | "post_url" => {
                    let kind = match name {
                        "link" => LinkKind::Link,
                        _ => LinkKind::PostUrl,
                    };
                    let link = LinkTag {
                        kind,
                        name: args.trim().to_string(),
                        lang: None,
                    };
                    self.link(tag.start, tag.end, link, "");
                }
                "image" => match image_args(args) {
                    Some((src, alt)) => {
                        let _ = write!(
                            self.out,
                            "<img src=\"{}\" alt=\"{}\">",
                            attribute(src),
                            attribute(alt)
                        );
                    }
                    None => self.drop_tag(tag.start, tag.end),
                },
                _ => self.drop_tag(tag.start, tag.end),
            }
        }
        self.out.push_str(&body[at..]);
    }

    /// The value of an output tag `{{ expression | filter | ... }}`, or `None` when it names
    /// anything this does not know.
    fn output(&self, inner: &str) -> Option<String> {
        let mut parts = split_filters(inner).into_iter();
        let expression = parts.next()?.trim();
        let mut value = if let Some(text) = literal(expression) {
            text.to_string()
        } else {
            match expression {
                "site.baseurl" => self.base_path(),
                "site.url" => self.context.site_url.origin().ascii_serialization(),
                _ => return None,
            }
        };
        for filter in parts {
            let (name, argument) = match filter.split_once(':') {
                Some((name, argument)) => (name.trim(), Some(literal(argument.trim())?)),
                None => (filter.trim(), None),
            };
            value = match (name, argument) {
                ("relative_url" | "url", None) => self.relative_url(&value),
                ("absolute_url", None) => self.absolute_url(&value),
                ("prepend", Some(text)) => format!("{text}{value}"),
                ("append", Some(text)) => format!("{value}{text}"),
                _ => return None,
            };
        }
        Some(value)
    }

    // -----------------------------------------------------------------------------------------
    // Hugo

    fn hugo(&mut self) {
        const PAIRS: &[(&str, &str)] = &[("{{<", ">}}"), ("{{%", "%}}")];
        let body = self.body;
        let mut at = 0;
        while let Some((tag, which)) = next_tag(body, at, PAIRS) {
            self.out.push_str(&body[at..tag.start]);
            at = tag.end;
            // `{{</* name */>}}` is how a post shows a shortcode as text.
            if let Some(shown) = tag
                .inner
                .strip_prefix("/*")
                .and_then(|s| s.strip_suffix("*/"))
            {
                let (open, close) = PAIRS[which];
                let _ = write!(self.out, "{open} {} {close}", shown.trim());
                continue;
            }
            let inner = tag.inner.strip_suffix('/').unwrap_or(tag.inner).trim();
            if inner.starts_with('/') {
                // The end of a shortcode that was not resolved with its content: dropped.
                self.drop_tag(tag.start, tag.end);
                continue;
            }
            let (name, rest) = split_word(inner);
            let args = Args::parse(rest);
            match name {
                "ref" | "relref" => match args.get(0, "path") {
                    Some(target) => {
                        let kind = match name {
                            "ref" => LinkKind::Ref,
                            _ => LinkKind::RelRef,
                        };
                        let at = target.find('#').unwrap_or(target.len());
                        let (target, anchor) = target.split_at(at);
                        if target.trim().is_empty() && !anchor.is_empty() {
                            // `{{< ref "#part" >}}`: a part of this post, as Hugo writes it.
                            self.out.push_str(anchor);
                            continue;
                        }
                        let link = LinkTag {
                            kind,
                            name: target.to_string(),
                            lang: args.named("lang").map(str::to_string),
                        };
                        self.link(tag.start, tag.end, link, anchor);
                    }
                    None => self.drop_tag(tag.start, tag.end),
                },
                "figure" => match args.named("src") {
                    Some(src) => figure(&mut self.out, src, &args),
                    None => self.drop_tag(tag.start, tag.end),
                },
                "highlight" => {
                    let close = format!("/{name}");
                    match hugo_end(body, at, &close) {
                        Some((inside, after)) => {
                            fence(&mut self.out, args.get(0, "lang").unwrap_or(""), inside);
                            at = after;
                        }
                        None => self.drop_tag(tag.start, tag.end),
                    }
                }
                "youtube" | "vimeo" | "gist" | "x" | "tweet" | "instagram" => {
                    match embed_url(name, &args) {
                        Some(url) => {
                            let _ = write!(self.out, "<a href=\"{0}\">{0}</a>", attribute(&url));
                        }
                        None => self.drop_tag(tag.start, tag.end),
                    }
                }
                // Any other shortcode is dropped; the content between it and its end, if it
                // has one, stays (a `{{% notice %}}` box keeps its words).
                _ => self.drop_tag(tag.start, tag.end),
            }
        }
        self.out.push_str(&body[at..]);
    }
}

/// The first word of `text` and the rest.
fn split_word(text: &str) -> (&str, &str) {
    let text = text.trim();
    match text.find(char::is_whitespace) {
        Some(i) => (&text[..i], text[i..].trim()),
        None => (text, ""),
    }
}

/// A quoted string's text, or `None` when `text` is not one.
fn literal(text: &str) -> Option<&str> {
    let text = text.trim();
    ['"', '\''].into_iter().find_map(|q| {
        text.strip_prefix(q)
            .and_then(|t| t.strip_suffix(q))
            .filter(|t| !t.contains(q))
    })
}

/// The path of `url` (and its query), as Jekyll's `relative_url` and Hugo's `relref` give
/// it: `/blog/2024/01/02/a-post/`.
fn path_of(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(url) => match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_string(),
        },
        Err(_) => url.to_string(),
    }
}

/// `expression | filter: "arg" | ...` split at the `|`s outside quotes.
fn split_filters(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quote = None;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '|') => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// The text up to `{% end_name %}` from `from`, and where the end tag ends.
fn block_end<'a>(body: &'a str, from: usize, end_name: &str) -> Option<(&'a str, usize)> {
    let mut at = from;
    while let Some((tag, _)) = next_tag(body, at, &[("{%", "%}")]) {
        if tag.inner == end_name {
            return Some((&body[from..tag.start], tag.end));
        }
        at = tag.end;
    }
    None
}

/// The text up to Hugo's `{{< /name >}}` (or `{{% /name %}}`) from `from`, and its end.
fn hugo_end<'a>(body: &'a str, from: usize, close: &str) -> Option<(&'a str, usize)> {
    let mut at = from;
    while let Some((tag, _)) = next_tag(body, at, &[("{{<", ">}}"), ("{{%", "%}}")]) {
        if tag.inner.replace(' ', "") == close {
            return Some((&body[from..tag.start], tag.end));
        }
        at = tag.end;
    }
    None
}

/// A fenced code block of `code` in `lang`, with a fence longer than any inside it.
fn fence(out: &mut String, lang: &str, code: &str) {
    let longest = code
        .lines()
        .map(|l| l.trim_start().chars().take_while(|&c| c == '`').count())
        .max()
        .unwrap_or(0);
    let ticks = "`".repeat(longest.max(2) + 1);
    let code = code.strip_prefix('\n').unwrap_or(code);
    let code = code.strip_prefix("\r\n").unwrap_or(code);
    let _ = write!(out, "{ticks}{lang}\n{code}");
    if !code.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&ticks);
}

/// Eleventy's image shortcode arguments: `"src", "alt"` (Liquid) or `"src" "alt"`.
fn image_args(args: &str) -> Option<(&str, &str)> {
    let mut values = quoted_values(args).into_iter();
    let src = values.next()?;
    let alt = values.next().unwrap_or("");
    Some((src, alt))
}

/// Every quoted value in `text`, in order.
fn quoted_values(text: &str) -> Vec<&str> {
    let mut values = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(['"', '\'']) {
        let quote = &rest[i..=i];
        let after = &rest[i + 1..];
        let Some(end) = after.find(quote) else {
            break;
        };
        values.push(&after[..end]);
        rest = &after[end + 1..];
    }
    values
}

/// Hugo shortcode arguments: positional (`"a" b`) or named (`src="a" alt='b'`), quoted with
/// `"`, `'` or a backtick, or bare.
struct Args<'a> {
    positional: Vec<&'a str>,
    named: Vec<(&'a str, &'a str)>,
}

impl<'a> Args<'a> {
    fn parse(text: &'a str) -> Args<'a> {
        let mut args = Args {
            positional: Vec::new(),
            named: Vec::new(),
        };
        let mut rest = text.trim();
        while !rest.is_empty() {
            let name_end = rest
                .find(|c: char| c == '=' || c.is_whitespace() || matches!(c, '"' | '\'' | '`'))
                .unwrap_or(rest.len());
            let (name, after) = if rest[name_end..].starts_with('=') && name_end > 0 {
                (Some(&rest[..name_end]), &rest[name_end + 1..])
            } else {
                (None, rest)
            };
            let (value, after) = match after.chars().next() {
                Some(q @ ('"' | '\'' | '`')) => match after[1..].find(q) {
                    Some(end) => (&after[1..=end], &after[end + 2..]),
                    None => (&after[1..], ""),
                },
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            match name {
                Some(name) => args.named.push((name, value)),
                None => args.positional.push(value),
            }
            rest = after.trim_start();
        }
        args
    }

    fn named(&self, name: &str) -> Option<&'a str> {
        self.named.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }

    /// The argument at `position`, or named `name`.
    fn get(&self, position: usize, name: &str) -> Option<&'a str> {
        self.positional
            .get(position)
            .copied()
            .or_else(|| self.named(name))
    }
}

/// Hugo's `figure`, as its built-in template writes it: the image (its alt text, or the
/// caption's where it has none), linked where `link` says, and a caption of the title (`h4`)
/// and the caption (`p`).
fn figure(out: &mut String, src: &str, args: &Args<'_>) {
    out.push_str("<figure>");
    let link = args.named("link");
    if let Some(link) = link {
        let _ = write!(out, "<a href=\"{}\">", attribute(link));
    }
    let _ = write!(out, "<img src=\"{}\"", attribute(src));
    let title = args.named("title").filter(|t| !t.is_empty());
    let caption = args.named("caption").filter(|c| !c.is_empty());
    if let Some(alt) = args.named("alt").or(caption) {
        let _ = write!(out, " alt=\"{}\"", attribute(alt));
    }
    for name in ["width", "height"] {
        if let Some(value) = args.named(name) {
            let _ = write!(out, " {name}=\"{}\"", attribute(value));
        }
    }
    out.push('>');
    if link.is_some() {
        out.push_str("</a>");
    }
    if title.is_some() || caption.is_some() {
        out.push_str("<figcaption>");
        if let Some(title) = title {
            let _ = write!(out, "<h4>{}</h4>", text(title));
        }
        if let Some(caption) = caption {
            let _ = write!(out, "<p>{}</p>", text(caption));
        }
        out.push_str("</figcaption>");
    }
    out.push_str("</figure>");
}

/// Where an embed shortcode's video or post lives, linked instead of embedded: a feed reader
/// runs no player.
fn embed_url(name: &str, args: &Args<'_>) -> Option<String> {
    let id = |position, key| {
        args.get(position, key).filter(|v| {
            !v.is_empty()
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c))
        })
    };
    Some(match name {
        "youtube" => format!("https://www.youtube.com/watch?v={}", id(0, "id")?),
        "vimeo" => format!("https://vimeo.com/{}", id(0, "id")?),
        "gist" => format!(
            "https://gist.github.com/{}/{}",
            id(0, "user")?,
            id(1, "id")?
        ),
        "x" | "tweet" => format!("https://x.com/{}/status/{}", id(0, "user")?, id(1, "id")?),
        "instagram" => format!("https://www.instagram.com/p/{}/", id(0, "id")?),
        _ => return None,
    })
}

/// `value` for a double-quoted HTML attribute.
fn attribute(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// `value` as HTML text.
fn text(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved(syntax: Syntax, site: &str, body: &str) -> (String, Vec<String>) {
        let site = url::Url::parse(site).unwrap_or_else(|e| panic!("{e}"));
        let find = |tag: &LinkTag| -> Option<String> {
            let fr = tag.lang.as_deref() == Some("fr");
            match (tag.name.as_str(), fr) {
                ("2024-01-02-a-post" | "_posts/2024-01-02-a-post.md" | "a-post.md", false)
                | ("/posts/a-post", false) => {
                    Some("https://example.org/blog/2024/01/02/a-post/".to_string())
                }
                ("a-post.md", true) => Some("https://example.org/fr/2024/01/02/un-billet/".into()),
                _ => None,
            }
        };
        let context = Context {
            syntax,
            site_url: &site,
            find_post: &find,
        };
        let out = resolve(body, &context);
        let tags = out.dropped.iter().map(|d| d.tag.clone()).collect();
        (out.text.into_owned(), tags)
    }

    fn liquid(body: &str) -> (String, Vec<String>) {
        resolved(Syntax::Liquid, "https://example.org/blog/", body)
    }

    fn hugo(body: &str) -> (String, Vec<String>) {
        resolved(Syntax::Hugo, "https://example.org/", body)
    }

    const D: char = DROPPED;

    #[test]
    fn liquid_tags_resolve_as_jekyll_and_eleventy_write_them() {
        let rows: &[(&str, &str)] = &[
            ("plain text, {not a tag}", "plain text, {not a tag}"),
            (
                "![a]({{ \"/img/a.png\" | relative_url }})",
                "![a](/blog/img/a.png)",
            ),
            (
                "[b]({{ '/about/' | absolute_url }})",
                "[b](https://example.org/blog/about/)",
            ),
            ("[c]({{ \"/about/\" | url }})", "[c](/blog/about/)"),
            ("[d]({{ site.baseurl }}/about/)", "[d](/blog/about/)"),
            ("[e]({{site.baseurl}}/x)", "[e](/blog/x)"),
            ("a\n {{- site.url -}} \nb", "ahttps://example.orgb"),
            ("a {{ site.url -}}\n b", "a https://example.orgb"),
            ("[f]({{ site.baseurl | append: '/x/' }})", "[f](/blog/x/)"),
            (
                "[g]({{ \"https://other.example/\" | relative_url }})",
                "[g](https://other.example/)",
            ),
            (
                "[h]({% post_url 2024-01-02-a-post %})",
                "[h](/blog/2024/01/02/a-post/)",
            ),
            (
                "[i]({%- link _posts/2024-01-02-a-post.md -%})",
                "[i](/blog/2024/01/02/a-post/)",
            ),
            ("{% raw %}{{ shown }}{% endraw %}", "{{ shown }}"),
            ("a{% comment %} hidden {{ x }} {% endcomment %}b", "ab"),
            (
                "{% highlight rust %}\nfn main() {}\n{% endhighlight %}",
                "```rust\nfn main() {}\n```",
            ),
            (
                "{% image \"cat.jpg\", \"A cat\" %}",
                "<img src=\"cat.jpg\" alt=\"A cat\">",
            ),
            (
                "{% image 'a\"b.jpg' 'x' %}",
                "<img src=\"a&quot;b.jpg\" alt=\"x\">",
            ),
            ("{{ unclosed", "{{ unclosed"),
        ];
        for (body, want) in rows {
            let (got, dropped) = liquid(body);
            assert_eq!(&got, want, "{body}");
            assert!(dropped.is_empty(), "{body}: {dropped:?}");
        }
    }

    #[test]
    fn unknown_liquid_tags_are_dropped_and_named() {
        let rows: &[(&str, String, &[&str])] = &[
            (
                "a {% include note.html %} b",
                format!("a {D} b"),
                &["{% include note.html %}"],
            ),
            (
                "[x]({{ page.next.url }})",
                format!("[x]({D})"),
                &["{{ page.next.url }}"],
            ),
            (
                "{{ '/a' | slugify }}",
                D.to_string(),
                &["{{ '/a' | slugify }}"],
            ),
            (
                "{% include note.html %}{{ x }}",
                format!("{D}{D}"),
                &["{% include note.html %}", "{{ x }}"],
            ),
            (
                "{% if x %}shown{% endif %}",
                format!("{D}shown{D}"),
                &["{% if x %}", "{% endif %}"],
            ),
            (
                "{% raw %}never closed",
                format!("{D}never closed"),
                &["{% raw %}"],
            ),
        ];
        for (body, want, tags) in rows {
            let (got, dropped) = liquid(body);
            assert_eq!(&got, want, "{body}");
            assert_eq!(dropped, *tags, "{body}");
        }
    }

    #[test]
    fn hugo_shortcodes_resolve_as_hugo_writes_them_for_a_feed() {
        let rows: &[(&str, &str)] = &[
            ("{{ .Site.Title }} stays", "{{ .Site.Title }} stays"),
            (
                "[a]({{< ref \"a-post.md\" >}})",
                "[a](https://example.org/blog/2024/01/02/a-post/)",
            ),
            (
                "[b]({{< relref path=\"/posts/a-post\" >}})",
                "[b](/blog/2024/01/02/a-post/)",
            ),
            (
                "[c]({{% ref \"a-post.md#part-2\" %}})",
                "[c](https://example.org/blog/2024/01/02/a-post/#part-2)",
            ),
            (
                "[d]({{< relref path=\"a-post.md\" lang=\"fr\" >}})",
                "[d](/fr/2024/01/02/un-billet/)",
            ),
            ("[e]({{< ref \"#part-2\" >}})", "[e](#part-2)"),
            (
                "{{< figure src=\"/img/a.png\" alt=\"A chart\" caption=\"Sales & costs\" >}}",
                "<figure><img src=\"/img/a.png\" alt=\"A chart\"><figcaption><p>Sales &amp; costs</p></figcaption></figure>",
            ),
            (
                "{{< figure src=`b.png` link=\"/big.png\" title=\"T\" />}}",
                "<figure><a href=\"/big.png\"><img src=\"b.png\"></a><figcaption><h4>T</h4></figcaption></figure>",
            ),
            (
                "{{< highlight go \"linenos=table\" >}}\nx := 1\n{{< / highlight >}}",
                "```go\nx := 1\n```",
            ),
            (
                "{{< youtube w7Ft2ymGmfc >}}",
                "<a href=\"https://www.youtube.com/watch?v=w7Ft2ymGmfc\">https://www.youtube.com/watch?v=w7Ft2ymGmfc</a>",
            ),
            (
                "{{< gist spf13 7896402 >}}",
                "<a href=\"https://gist.github.com/spf13/7896402\">https://gist.github.com/spf13/7896402</a>",
            ),
            ("{{</* figure src=\"x\" */>}}", "{{< figure src=\"x\" >}}"),
        ];
        for (body, want) in rows {
            let (got, dropped) = hugo(body);
            assert_eq!(&got, want, "{body}");
            assert!(dropped.is_empty(), "{body}: {dropped:?}");
        }
    }

    #[test]
    fn unknown_hugo_shortcodes_are_dropped_and_their_content_kept() {
        let (got, dropped) = hugo("{{% notice tip %}}Save often.{{% /notice %}}");
        assert_eq!(got, format!("{D}Save often.{D}"));
        assert_eq!(dropped, ["{{% notice tip %}}", "{{% /notice %}}"]);
        let (got, dropped) = hugo("{{< ref >}} {{< youtube \"bad id!\" >}}");
        assert_eq!(got, format!("{D} {D}"));
        assert_eq!(dropped.len(), 2);
    }

    /// Every link to another post is reported, found or not; one the corpus has no post for
    /// leaves [`DROPPED`], so the Markdown link that held it is dropped.
    #[test]
    fn links_to_other_posts_are_reported_and_dropped_when_not_found() {
        let site = url::Url::parse("https://example.org/blog/").unwrap_or_else(|e| panic!("{e}"));
        let find = |tag: &LinkTag| {
            (tag.name == "2024-01-02-a-post").then(|| "https://example.org/blog/a/".to_string())
        };
        let context = Context {
            syntax: Syntax::Liquid,
            site_url: &site,
            find_post: &find,
        };
        let body = "[a]({% post_url 2024-01-02-a-post %})\n[b]({% post_url 1999-01-01-gone %})";
        let out = resolve(body, &context);
        assert_eq!(out.text, format!("[a](/blog/a/)\n[b]({D})"));
        assert!(out.dropped.is_empty(), "{:?}", out.dropped);
        let links: Vec<(usize, LinkKind, &str, &str)> = out
            .links
            .iter()
            .map(|(at, tag, written)| (*at, tag.kind, tag.name.as_str(), written.as_str()))
            .collect();
        assert_eq!(
            links,
            [
                (
                    4,
                    LinkKind::PostUrl,
                    "2024-01-02-a-post",
                    "{% post_url 2024-01-02-a-post %}"
                ),
                (
                    42,
                    LinkKind::PostUrl,
                    "1999-01-01-gone",
                    "{% post_url 1999-01-01-gone %}"
                ),
            ]
        );
        let site = url::Url::parse("https://example.org/").unwrap_or_else(|e| panic!("{e}"));
        let context = Context {
            syntax: Syntax::Hugo,
            site_url: &site,
            find_post: &|_| None,
        };
        let out = resolve(
            "[x]({{< relref path=\"gone.md#a\" lang=\"fr\" >}})",
            &context,
        );
        assert_eq!(out.text, format!("[x]({D})"));
        let tags: Vec<&LinkTag> = out.links.iter().map(|(_, tag, _)| tag).collect();
        assert_eq!(
            tags,
            [&LinkTag {
                kind: LinkKind::RelRef,
                name: "gone.md".into(),
                lang: Some("fr".into())
            }]
        );
    }

    #[test]
    fn without_a_syntax_a_body_is_left_alone() {
        let (got, dropped) = resolved(Syntax::None, "https://example.org/", "{{ x }} {% y %}");
        assert_eq!(got, "{{ x }} {% y %}");
        assert!(dropped.is_empty());
    }

    #[test]
    fn dropped_tags_know_where_they_were() {
        let site = url::Url::parse("https://example.org/").unwrap_or_else(|e| panic!("{e}"));
        let context = Context {
            syntax: Syntax::Liquid,
            site_url: &site,
            find_post: &|_| None,
        };
        let body = "line one\nline {% two %}\n{{ three }}";
        let out = resolve(body, &context);
        let offsets: Vec<usize> = out.dropped.iter().map(|d| d.offset).collect();
        assert_eq!(offsets, [14, 24]);
        assert_eq!(&body[14..16], "{%");
    }
}
