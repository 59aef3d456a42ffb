//! One post -> its item in every format, rendered once and shared by every feed that holds it.
//!
//! The full HTML is most of an item's bytes, so every format carries the same bytes for it,
//! one piece compressed once for all three: an item is its own head, the shared body and its
//! own tail. RSS and Atom hold the HTML in a CDATA section (`content:encoded`,
//! `content type="html"`); JSON Feed in a string (`content_html`), which needs the HTML free of
//! `"`, `\` and control characters to hold it as is. [`shareable`] writes the HTML that way (the
//! same document to any HTML parser: attributes in single quotes, line breaks and quotes in
//! text as character references); HTML it cannot rewrite safely goes out as it is, and then
//! the JSON item is one piece of its own.

use std::sync::Arc;

use super::{Format, atom, json, rss};
use crate::compress::Piece;
use crate::config::Config;
use crate::corpus::post::BodyError;
use crate::corpus::{Post, Taxonomy, Term};

/// A post's item in every format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Items {
    pub rss: Arc<Item>,
    pub atom: Arc<Item>,
    pub json: Arc<Item>,
}

impl Items {
    /// The item in `format`.
    pub fn get(&self, format: Format) -> &Arc<Item> {
        match format {
            Format::Rss => &self.rss,
            Format::Atom => &self.atom,
            Format::Json => &self.json,
        }
    }
}

/// One post's item in one format: the pieces a document splices in, in order, each compressed
/// once however many documents (and formats) hold it. Never changed once made, so the same
/// `Arc<Item>` is the same bytes.
#[derive(Debug, PartialEq, Eq)]
pub struct Item {
    pieces: Vec<Arc<Piece>>,
}

impl Item {
    fn whole(text: String) -> Item {
        Item {
            pieces: vec![Arc::new(Piece::new(text))],
        }
    }

    pub fn pieces(&self) -> &[Arc<Piece>] {
        &self.pieces
    }

    /// The item's bytes, joined.
    pub fn bytes(&self) -> Vec<u8> {
        self.pieces
            .iter()
            .flat_map(|p| p.bytes())
            .copied()
            .collect()
    }
}

/// Where the body goes while the rest of an RSS or Atom item is written: characters that
/// nothing else in an item holds in practice (a title that did would give a whole item).
const BODY_MARK: &str = "\u{FDD0}syndic-body\u{FDD1}";

/// Renders the post's body once and its item in every format; fails only for a post whose
/// body was left on disk and cannot be read as it was loaded.
pub fn try_render(config: &Config, post: &Post) -> Result<Items, BodyError> {
    Ok(render_with(config, post, &post.content_html()?))
}

/// [`try_render`] for a post that keeps its body in memory, as the server's posts do: it
/// cannot fail. Should one whose body was left on disk fail all the same, the error is logged
/// and the item goes out without its content rather than not at all.
pub fn render(config: &Config, post: &Post) -> Items {
    let html = post.content_html().unwrap_or_else(|e| {
        tracing::error!("{e}");
        String::new()
    });
    render_with(config, post, &html)
}

/// The post's items with `html` as their content.
fn render_with(config: &Config, post: &Post, html: &str) -> Items {
    let shared = shareable(html);
    let html = shared.as_deref().unwrap_or(html);
    let body = Arc::new(Piece::new(cdata_text(html)));
    let rss = spliced(rss::item(config, post, BODY_MARK), "", &body, "")
        .unwrap_or_else(|| Item::whole(rss::item(config, post, html)));
    let atom = spliced(
        atom::item(config, post, BODY_MARK),
        "<![CDATA[",
        &body,
        "]]>",
    )
    .unwrap_or_else(|| Item::whole(atom::item(config, post, html)));
    Items {
        rss: Arc::new(rss),
        atom: Arc::new(atom),
        json: Arc::new(
            shared
                .is_some()
                .then(|| spliced(json::item(config, post, BODY_MARK), "", &body, ""))
                .flatten()
                .unwrap_or_else(|| Item::whole(json::item(config, post, html))),
        ),
    }
}

/// `html` rewritten so that a JSON string and a CDATA section both hold it as is: without
/// `"`, `\`, control characters or `]]>`, and the same document to an HTML parser. Attribute
/// values go in single quotes (a `'` in them as `&#39;`); in text and values, `"` becomes
/// `&quot;`, `\` `&#92;`, and a line break or tab its character reference (a CR, alone or
/// before a LF, is a LF, as HTML and XML parsers both read it); between attributes, white space
/// is a space.
///
/// Written for what the sanitizer and the Markdown renderer produce: `None` for anything it
/// cannot rewrite with certainty (comments, doctypes, raw-text elements such as `script`, a
/// quote that does not open an attribute value, a tag left open, other control characters),
/// and the caller carries the HTML unchanged instead.
pub fn shareable(html: &str) -> Option<String> {
    /// Where in the HTML a byte is, as an HTML tokenizer sees it (its states, folded where
    /// nothing here differs).
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Text,
        TagName,
        /// Before an attribute's name: after the tag's name, a value or a `/`.
        BeforeName,
        Name,
        AfterName,
        BeforeValue,
        /// Inside an attribute value quoted with this byte.
        Quoted(u8),
        Unquoted,
    }
    use State::*;
    /// Elements whose content an HTML parser does not read as markup.
    const RAW_TEXT: &[&[u8]] = &[
        b"script",
        b"style",
        b"textarea",
        b"title",
        b"xmp",
        b"iframe",
        b"noembed",
        b"noframes",
        b"noscript",
        b"plaintext",
    ];
    /// Bytes that text and quoted values carry as they are: every other byte goes through
    /// the rules below. Checked first, so that a run of plain text costs one lookup a byte.
    const PLAIN: [bool; 256] = {
        let mut plain = [true; 256];
        let mut b = 0;
        while b < 0x20 {
            plain[b] = false;
            b += 1;
        }
        plain[b'<' as usize] = false;
        plain[b'"' as usize] = false;
        plain[b'\'' as usize] = false;
        plain[b'\\' as usize] = false;
        plain
    };
    /// What text and quoted values write instead of `b` (before `next`): `Some(None)` for
    /// `b` itself, `None` for a byte they cannot hold.
    fn character(b: u8, next: Option<&u8>) -> Option<Option<&'static str>> {
        Some(match b {
            b'"' => Some("&quot;"),
            b'\\' => Some("&#92;"),
            b'\n' => Some("&#10;"),
            b'\t' => Some("&#9;"),
            // The CR of a CR LF goes (the LF is written on its own); a CR alone is a LF.
            b'\r' if next == Some(&b'\n') => Some(""),
            b'\r' => Some("&#10;"),
            _ if b < 0x20 => return None,
            _ => None,
        })
    }
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut state = Text;
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if matches!(state, Text | Quoted(_)) {
            while i < bytes.len() && PLAIN[usize::from(bytes[i])] {
                i += 1;
            }
            if i == bytes.len() {
                break;
            }
        }
        let b = bytes[i];
        let space = matches!(b, b' ' | b'\n' | b'\t' | b'\r' | b'\x0C');
        // What to write instead of `b`, if anything, and the state after it.
        let (replacement, next): (Option<&str>, State) = match state {
            Text => match b {
                b'<' => {
                    let name_at = if bytes.get(i + 1) == Some(&b'/') {
                        i + 2
                    } else {
                        i + 1
                    };
                    let rest = bytes.get(name_at..).unwrap_or_default();
                    let name_len = rest
                        .iter()
                        .take_while(|c| c.is_ascii_alphanumeric())
                        .count();
                    let name = &rest[..name_len];
                    let opens_tag = name.first().is_some_and(u8::is_ascii_alphabetic);
                    if !opens_tag && name_at == i + 1 && !matches!(rest.first(), Some(b'!' | b'?'))
                    {
                        // `<` before a space, a digit, `=`...: text, as a parser reads it.
                        (None, Text)
                    } else if !opens_tag
                        || RAW_TEXT.iter().any(|raw| raw.eq_ignore_ascii_case(name))
                    {
                        // `<!--`, `<!DOCTYPE`, `<?`, `</ ` and raw-text elements.
                        return None;
                    } else {
                        (None, TagName)
                    }
                }
                _ => (character(b, bytes.get(i + 1))?, Text),
            },
            Quoted(quote) => match b {
                _ if b == quote => (Some("'"), BeforeName),
                b'\'' => (Some("&#39;"), state),
                _ => (character(b, bytes.get(i + 1))?, state),
            },
            // Inside a tag, outside quoted values: white space is written as a space; quotes
            // and backslashes anywhere but around a value are refused, and so are `<` and `=`
            // where a parser would take them into a name.
            _ if b == b'>' => (None, Text),
            _ if space => (
                Some(" "),
                match state {
                    TagName | Unquoted => BeforeName,
                    Name => AfterName,
                    AfterName | BeforeName | BeforeValue => state,
                    Text | Quoted(_) => unreachable!("handled above"),
                },
            ),
            _ if b < 0x20 || matches!(b, b'\\' | b'<') => return None,
            BeforeValue => match b {
                b'"' | b'\'' => (Some("'"), Quoted(b)),
                b'=' | b'`' => return None,
                _ => (None, Unquoted),
            },
            _ if matches!(b, b'"' | b'\'') => return None,
            TagName => (None, if b == b'/' { BeforeName } else { TagName }),
            BeforeName => match b {
                b'/' => (None, BeforeName),
                b'=' => return None,
                _ => (None, Name),
            },
            Name | AfterName => match b {
                b'/' => (None, BeforeName),
                b'=' => (None, BeforeValue),
                _ => (None, Name),
            },
            Unquoted => match b {
                b'=' | b'`' => return None,
                _ => (None, Unquoted),
            },
        };
        if let Some(replacement) = replacement {
            out.push_str(&html[copied..i]);
            out.push_str(replacement);
            copied = i + 1;
        }
        state = next;
        i += 1;
    }
    out.push_str(&html[copied..]);
    (state == Text && !out.contains("]]>")).then_some(out)
}

/// The inside of a CDATA section holding `text`: a `]]>` in it (which would end the section)
/// ends one section after `]]` and opens another for `>`, as the `rss` crate writes it.
fn cdata_text(text: &str) -> String {
    text.replace("]]>", "]]]]><![CDATA[>")
}

/// `xml` (an item written with [`BODY_MARK`] as its content) as head, `body` and tail, `open`
/// and `close` around the body; `None` unless the mark is there exactly once.
fn spliced(xml: String, open: &str, body: &Arc<Piece>, close: &str) -> Option<Item> {
    let at = xml.find(BODY_MARK)?;
    if xml.rfind(BODY_MARK) != Some(at) {
        return None;
    }
    let head = format!("{}{open}", &xml[..at]);
    let tail = format!("{close}{}", &xml[at + BODY_MARK.len()..]);
    Some(Item {
        pieces: vec![
            Arc::new(Piece::new(head)),
            body.clone(),
            Arc::new(Piece::new(tail)),
        ],
    })
}

/// The post's people as one name, for the places that hold a single author (RSS's
/// `dc:creator`, JSON Feed 1.0's `author`): "Ann Lee and Bob Roe" in the post's language, or
/// the team byline when it names nobody.
///
/// Parentheses become square brackets: gofeed reads such a field as RFC 822's `address (Name)`
/// and shows no name at all for `Policy Team (DS)`.
pub fn byline_names(post: &Post) -> String {
    let text = if post.authors.is_empty() {
        post.byline.clone()
    } else {
        let names: Vec<&str> = post.authors.iter().map(|a| a.name.as_str()).collect();
        super::words::names(&post.lang, &names)
    };
    text.replace('(', "[").replace(')', "]")
}

/// The URL of a person's feed in `format`.
pub fn author_feed_url(config: &Config, slug: &str, format: Format) -> String {
    let path = format!("authors/{slug}.{}", format.extension());
    super::xml::feed_url(config, &path)
}

/// The URL that names `taxonomy` in items (Atom `scheme`, RSS `domain`): the folder of its
/// feeds across languages, `<feeds_url>tags/` or `<feeds_url>categories/`.
pub fn taxonomy_url(config: &Config, taxonomy: Taxonomy) -> String {
    let path = format!("{}/", taxonomy.key());
    super::xml::feed_url(config, &path)
}

/// The post's terms, tags first, each with its taxonomy.
pub fn terms(post: &Post) -> impl Iterator<Item = (Taxonomy, &Term)> {
    let tags = post.tags.iter().map(|t| (Taxonomy::Tag, t));
    tags.chain(post.categories.iter().map(|t| (Taxonomy::Category, t)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::post::{Location, parse_post};
    use proptest::prelude::*;

    fn config() -> Config {
        super::super::opml::tests::config()
    }

    fn post(config: &Config, body: &str) -> Post {
        post_with(config, "Jane Doe", body)
    }

    fn post_by(config: &Config, author: &str) -> Post {
        post_with(config, author, "Hi.")
    }

    fn post_with(config: &Config, author: &str, body: &str) -> Post {
        let location = Location {
            path: "en/blog/a-post.md",
            lang: &config.languages[0],
            section: "blog",
        };
        let text =
            format!("---\ntitle: A post\ndate: 2024-05-06\nauthor: '{author}'\n---\n{body}\n");
        match parse_post(config, &location, text.into_bytes()) {
            Ok((post, _)) => post,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn one_author_field_names_everyone() {
        let config = config();
        let three = post_by(&config, "Ann Lee, Bob Roe and Cy Doe");
        assert_eq!(three.authors.len(), 3);
        assert_eq!(byline_names(&three), "Ann Lee, Bob Roe and Cy Doe");
        let rss = rss::item(&config, &three, "");
        assert_eq!(rss.matches("<dc:creator>").count(), 1, "{rss}");
        assert!(rss.contains("<dc:creator>Ann Lee, Bob Roe and Cy Doe</dc:creator>"));
        let json: serde_json::Value =
            serde_json::from_str(&json::item(&config, &three, "")).unwrap_or_default();
        assert_eq!(json["author"]["name"], "Ann Lee, Bob Roe and Cy Doe");
        assert!(json["author"].get("url").is_none());
        assert_eq!(json["authors"].as_array().map(Vec::len), Some(3));
        // One person: the 1.0 author has their feed, as each of 1.1's authors does.
        let one = post_by(&config, "Ann Lee");
        let json: serde_json::Value =
            serde_json::from_str(&json::item(&config, &one, "")).unwrap_or_default();
        assert_eq!(json["author"], json["authors"][0]);
        // A team byline keeps its words; its parentheses become brackets.
        let team = post_by(&config, "The Forms product team (DS)");
        assert!(team.authors.is_empty(), "{:?}", team.authors);
        assert_eq!(byline_names(&team), "The Forms product team [DS]");
    }

    fn tagged(config: &Config) -> Post {
        let location = Location {
            path: "en/blog/a-post.md",
            lang: &config.languages[0],
            section: "blog",
        };
        let text = "---\ntitle: A post\ndate: 2024-05-06\nauthor: Jane Doe\n\
                    tags: [Café Culture, \"Q&A\"]\ncategories: [News, Q&A]\n---\nHi.\n";
        match parse_post(config, &location, text.as_bytes().to_vec()) {
            Ok((post, _)) => post,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn items_carry_tags_and_categories_in_every_format() {
        let config = config();
        let post = tagged(&config);
        let tags = "https://feeds.example/syndic/tags/";
        let categories = "https://feeds.example/syndic/categories/";
        let rss = rss::item(&config, &post, "");
        for want in [
            format!("<category domain=\"{tags}\">Café Culture</category>"),
            format!("<category domain=\"{tags}\">Q&amp;A</category>"),
            format!("<category domain=\"{categories}\">News</category>"),
            format!("<category domain=\"{categories}\">Q&amp;A</category>"),
        ] {
            assert_eq!(rss.matches(&want).count(), 1, "{want} in {rss}");
        }
        assert_eq!(rss.matches("<category").count(), 4, "{rss}");
        let atom = atom::item(&config, &post, "");
        for want in [
            format!("<category term=\"cafe-culture\" scheme=\"{tags}\" label=\"Café Culture\"/>"),
            format!("<category term=\"q-a\" scheme=\"{tags}\" label=\"Q&amp;A\"/>"),
            format!("<category term=\"news\" scheme=\"{categories}\" label=\"News\"/>"),
            format!("<category term=\"q-a\" scheme=\"{categories}\" label=\"Q&amp;A\"/>"),
        ] {
            assert_eq!(atom.matches(&want).count(), 1, "{want} in {atom}");
        }
        let json: serde_json::Value =
            serde_json::from_str(&json::item(&config, &post, "")).unwrap_or_default();
        assert_eq!(
            json["tags"],
            serde_json::json!(["Café Culture", "Q&A", "News"])
        );
        assert_eq!(
            json["_syndic"]["categories"],
            serde_json::json!(["News", "Q&A"])
        );
        // No term, no element nor key: the bytes of an untagged post's items are unchanged.
        let plain = post_by(&config, "Jane Doe");
        assert!(!rss::item(&config, &plain, "").contains("<category"));
        assert!(!atom::item(&config, &plain, "").contains("<category"));
        let json = json::item(&config, &plain, "");
        assert!(
            !json.contains("\"tags\"") && !json.contains("\"categories\""),
            "{json}"
        );
    }

    #[test]
    fn translations_are_related_links_and_the_permalink_the_only_alternate() {
        let config = config();
        let mut post = post(&config, "Hi.");
        post.translations.insert(
            "fr".to_string(),
            "https://numerique.example.ca/2024/05/06/un-billet/".to_string(),
        );
        let translation = "link href=\"https://numerique.example.ca/2024/05/06/un-billet/\" \
            rel=\"related\" hreflang=\"fr\" type=\"text/html\"/>";
        // Atom's one alternate link is the permalink; RSS has it as `<link>`.
        for (xml, alternates) in [
            (atom::item(&config, &post, ""), 1),
            (rss::item(&config, &post, ""), 0),
        ] {
            assert!(xml.contains(translation), "{xml}");
            assert_eq!(
                xml.matches("rel=\"alternate\"").count(),
                alternates,
                "{xml}"
            );
        }
    }

    /// The content of the one entry of an Atom feed made of `entry`, read by feed-rs.
    fn atom_content(entry: &[u8]) -> String {
        let mut xml = b"<feed xmlns=\"http://www.w3.org/2005/Atom\"><id>x</id><title>t</title>\
            <updated>2024-01-01T00:00:00Z</updated>"
            .to_vec();
        xml.extend_from_slice(entry);
        xml.extend_from_slice(b"</feed>");
        match feed_rs::parser::parse(&xml[..]) {
            Ok(feed) => feed
                .entries
                .first()
                .and_then(|e| e.content.as_ref())
                .and_then(|c| c.body.clone())
                .unwrap_or_default(),
            Err(e) => panic!("{e}: {}", String::from_utf8_lossy(&xml)),
        }
    }

    /// The `content_html` of a JSON Feed item, read by serde_json.
    fn json_content(item: &[u8]) -> String {
        match serde_json::from_slice::<serde_json::Value>(item) {
            Ok(v) => v["content_html"].as_str().unwrap_or_default().to_string(),
            Err(e) => panic!("{e}: {}", String::from_utf8_lossy(item)),
        }
    }

    fn check(config: &Config, post: &Post, html: &str) {
        let items = render_with(config, post, html);
        let shared = shareable(html);
        let carried = shared.as_deref().unwrap_or(html);
        // One body piece, compressed once, for RSS and Atom, and for JSON Feed too when the
        // HTML could be written for it.
        assert_eq!(items.rss.pieces().len(), 3);
        assert!(Arc::ptr_eq(&items.rss.pieces()[1], &items.atom.pieces()[1]));
        if shared.is_some() {
            assert_eq!(items.json.pieces().len(), 3);
            assert!(Arc::ptr_eq(&items.rss.pieces()[1], &items.json.pieces()[1]));
        } else {
            assert_eq!(items.json.pieces().len(), 1);
        }
        // RSS: the very bytes the `rss` crate writes with the content in place.
        assert_eq!(
            String::from_utf8(items.rss.bytes()).ok(),
            Some(rss::item(config, post, carried))
        );
        // Atom: a reader gets the HTML back whole (feed-rs trims it).
        assert_eq!(atom_content(&items.atom.bytes()), carried.trim());
        // JSON: the same HTML, and the very bytes serde writes.
        assert_eq!(json_content(&items.json.bytes()), carried);
        assert_eq!(
            String::from_utf8(items.json.bytes()).ok(),
            Some(json::item(config, post, carried))
        );
    }

    /// `html` read by an HTML parser (html5ever) and written back: two writings of the same
    /// document give the same text.
    fn reread(html: &str) -> String {
        scraper::Html::parse_fragment(html).root_element().html()
    }

    #[test]
    fn html_is_rewritten_for_every_format_as_the_same_document() {
        let cases = [
            (
                "<p class=\"x\">Say \"hi\"\n</p>\n",
                "<p class='x'>Say &quot;hi&quot;&#10;</p>&#10;",
            ),
            (
                "<img alt=\"it's \\ &quot;q&quot;\" src=\"/a.png\">",
                "<img alt='it&#39;s &#92; &quot;q&quot;' src='/a.png'>",
            ),
            (
                "<pre><code>a\r\n\tb\rc</code></pre>",
                "<pre><code>a&#10;&#9;b&#10;c</code></pre>",
            ),
            ("<a\nhref=\"/x\"\n>x</a>", "<a href='/x' >x</a>"),
            ("<a href='/x'>it's</a>", "<a href='/x'>it's</a>"),
            ("<a b = \"c\" d=e/>", "<a b = 'c' d=e/>"),
            ("1 < 2 & \\", "1 < 2 & &#92;"),
        ];
        for (html, expected) in cases {
            assert_eq!(shareable(html).as_deref(), Some(expected), "{html}");
            assert_eq!(reread(expected), reread(html), "{html}");
        }
        for refused in [
            "<!-- a \"comment\" -->",
            "<script>x = \"1\"</script>",
            "<p title=a\"b>x</p>",
            "<p title=\"open",
            "<p title=\"a\"",
            "x\u{1}y",
            "a ]]> b",
            "<x a\\b>",
            // `=` and quotes in a tag's name are the name's, not an attribute's.
            "<a=\"\"<p>",
            "<p =\"x\">",
        ] {
            assert_eq!(shareable(refused), None, "{refused}");
        }
    }

    #[test]
    fn rss_and_atom_share_one_body_that_reads_back_whole_even_with_a_cdata_end_in_it() {
        let config = config();
        let post = post(&config, "Text & <b>bold</b> [a link](/about/) and `code`.");
        check(&config, &post, &post.content_html().unwrap_or_default());
        // The sanitizer writes `>` as `&gt;`, so a `]]>` never comes from a post today: the
        // splice must hold all the same.
        check(&config, &post, "<p title=\"a ]]> b\">x]]>]]]>y</p>");
    }

    #[test]
    fn a_title_holding_the_mark_gives_whole_items_that_still_read_back() {
        let config = config();
        let mut post = post(&config, "Body.");
        post.title = format!("Odd {BODY_MARK} title");
        let items = render(&config, &post);
        assert_eq!(items.rss.pieces().len(), 1);
        assert_eq!(items.atom.pieces().len(), 1);
        let html = post.content_html().unwrap_or_default();
        assert_eq!(
            atom_content(&items.atom.bytes()),
            shareable(&html).unwrap_or(html).trim(),
            "the content is still whole"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn any_body_splices_into_the_same_items(body in "([a-z ]|\\]|>|<|&|\\*|`|\\[|\\(|\\)|\"|\n)*") {
            let config = config();
            let post = post(&config, &body);
            check(&config, &post, &post.content_html().unwrap_or_default());
        }

        #[test]
        fn any_html_splices_into_the_same_items(
            html in "([a-z ]|\\]|>|<|/|=|&|#|;|\"|'|\\\\|\t|\r|é|\n)*"
        ) {
            let config = config();
            check(&config, &post(&config, "Body."), &html);
        }

        #[test]
        fn html_rewritten_for_every_format_is_the_same_document(
            html in "(<p>|</p>|<a href=\"/x\">|</a>|<img alt=\"|<pre>|</pre>|[a-z ]|<|>|/|=|&|#|;|\"|'|\\\\|\t|\r|\n)*"
        ) {
            if let Some(rewritten) = shareable(&html) {
                prop_assert_eq!(reread(&rewritten), reread(&html));
            }
        }

        #[test]
        fn rendered_posts_always_share_their_body(
            body in "([a-z ]|<b title=\"|\">|</b>|<br>|\"|'|\\\\|\n|\t|`|\\*|>|<|&)*"
        ) {
            let config = config();
            let post = post(&config, &body);
            let html = post.content_html().unwrap_or_default();
            let rewritten = shareable(&html);
            prop_assert!(rewritten.is_some(), "not shareable: {:?}", html);
            if let Some(rewritten) = rewritten {
                prop_assert_eq!(reread(&rewritten), reread(&html));
            }
        }
    }
}
