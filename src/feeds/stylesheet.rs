//! What a person sees on opening an RSS or Atom document in a browser: `feed.xsl`, an XSLT 1.0
//! stylesheet (the asset `assets/feed.xsl`) that turns the document into a bilingual page
//! saying what a feed is and how to subscribe, with the feed's address and its items; and the
//! CSS (the asset `assets/page.css`) that page shares with the index page, so both look alike.
//!
//! Owns the stylesheet document, its place in the tree and its media type, and the prolog every
//! RSS and Atom document starts with: the XML declaration, then the `<?xml-stylesheet?>`
//! processing instruction naming the stylesheet. JSON Feed has no such thing and is left alone.
//! Pure and deterministic: the stylesheet's bytes never depend on the corpus, and on the
//! configuration only by whether the site is in one language; a document's prolog depends on
//! its path alone.

use super::Document;
use crate::config::Config;

/// Where the stylesheet sits in the feed tree: at its root, beside `index.html`.
pub const PATH: &str = "feed.xsl";

/// The stylesheet's media type: the one its processing instruction names. `tests/browser.rs`
/// checks that Chromium applies the stylesheet served so.
pub const CONTENT_TYPE: &str = "text/xsl; charset=utf-8";

/// The CSS of the index page and of the page the stylesheet makes. Contrast on every
/// background it sets (white, the banner's `#eef2f7`, the note's `#f5f7fa`): text and headings
/// at least 15:1, links 7.4:1, visited links 8.8:1, the greys of separators, dates and the
/// banner's line above the heading at least 6.2:1 (WCAG AA asks 4.5:1, and a unit test checks
/// every text colour on every background); table rules and the address box's border at least
/// 4:1 (3:1 asked); the lines between items are decoration. Links are underlined, and focus
/// shows as a 3 px ring. It holds no `<` or `&`, so it goes into the XSLT (XML) and into the
/// HTML as it is.
pub const STYLE: &str = include_str!("assets/page.css");

/// The stylesheet as kept in the source tree, with [`STYLE_MARKER`] where the CSS goes.
const XSL: &str = include_str!("assets/feed.xsl");

/// The comment in the asset's `<style>` that the CSS replaces.
const STYLE_MARKER: &str = "/* syndic: shared CSS */";

/// The asset's setting for a site in several languages, which [`stylesheet`] turns into
/// [`ONE_LANGUAGE`] for a site in one.
const SEVERAL_LANGUAGES: &str = "<xsl:variable name=\"one-language\" select=\"false()\"/>";

/// The setting for a site in one language: the page in the feed's language alone.
const ONE_LANGUAGE: &str = "<xsl:variable name=\"one-language\" select=\"true()\"/>";

/// The stylesheet document, `feed.xsl`, with the shared CSS in place, for a site in several
/// languages (English and French side by side) or in one (that language alone, see
/// [`super::one_language`]).
pub fn stylesheet(config: &Config) -> Document {
    let mut text = XSL.replacen(STYLE_MARKER, STYLE, 1);
    if super::one_language(config).is_some() {
        text = text.replacen(SEVERAL_LANGUAGES, ONE_LANGUAGE, 1);
    }
    Document::whole(PATH, CONTENT_TYPE, text.into_bytes())
}

/// The stylesheet's address as the document at `path` (relative to the feed tree) names it:
/// relative, `feed.xsl` at the tree's root, `../../feed.xsl` for `en/authors/x.rss`.
///
/// Relative rather than absolute on `feeds_url`, because browsers apply an XSLT stylesheet
/// only from the document's own origin. An absolute address would fail wherever the tree is
/// reached at another origin than `feeds_url`'s: `syndic serve` on a loopback port while
/// `feeds_url` names the public host, a staging host, a French site that serves its legacy
/// feed address from its own domain. A relative one holds wherever the whole tree is served,
/// under `/feeds/` by the server or anywhere a built tree is copied to, and is the same bytes
/// on every machine. The server also answers it beside each legacy path (see
/// `http::handler::route`), where a language's RSS document is served outside the tree.
pub fn href(path: &str) -> String {
    let depth = path.matches('/').count();
    format!("{}{PATH}", "../".repeat(depth))
}

/// What the RSS or Atom document at `path` starts with: the XML declaration, then the
/// processing instruction naming the stylesheet, each on its own line.
pub fn prolog(path: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <?xml-stylesheet type=\"text/xsl\" href=\"{}\"?>\n",
        href(path)
    )
}

/// `xml`, a whole document as a crate wrote it, with its own XML declaration (if any) replaced
/// by [`prolog`]`(path)`.
pub fn with_prolog(path: &str, xml: &str) -> String {
    let body = match xml.strip_prefix("<?xml") {
        Some(declared) => declared
            .find("?>")
            .map_or(xml, |end| declared[end + 2..].trim_start()),
        None => xml,
    };
    format!("{}{body}", prolog(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text() -> String {
        String::from_utf8(stylesheet(&super::super::opml::tests::config()).bytes)
            .unwrap_or_default()
    }

    #[test]
    fn the_stylesheet_is_well_formed_xslt_with_the_css_in_place() -> Result<(), String> {
        let text = text();
        let xml = roxmltree::Document::parse(&text).map_err(|e| e.to_string())?;
        let root = xml.root_element();
        assert_eq!(root.tag_name().name(), "stylesheet");
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.w3.org/1999/XSL/Transform")
        );
        assert_eq!(root.attribute("version"), Some("1.0"));
        let style = xml
            .descendants()
            .find(|n| n.has_tag_name("style"))
            .ok_or("no <style>")?;
        assert_eq!(style.text(), Some(STYLE));
        assert!(!text.contains(STYLE_MARKER));
        assert_eq!(XSL.matches(STYLE_MARKER).count(), 1);
        // Both formats are matched, in their namespaces.
        let matches: Vec<&str> = xml
            .descendants()
            .filter(|n| n.has_tag_name(("http://www.w3.org/1999/XSL/Transform", "template")))
            .filter_map(|n| n.attribute("match"))
            .collect();
        for wanted in ["channel", "item", "atom:feed", "atom:entry"] {
            assert!(matches.contains(&wanted), "{wanted}: {matches:?}");
        }
        Ok(())
    }

    #[test]
    fn item_html_is_never_copied_into_the_page() -> Result<(), String> {
        let text = text();
        let xml = roxmltree::Document::parse(&text).map_err(|e| e.to_string())?;
        let xslt = "http://www.w3.org/1999/XSL/Transform";
        for node in xml.descendants().filter(|n| n.is_element()) {
            if node.tag_name().namespace() == Some(xslt) {
                let name = node.tag_name().name();
                assert!(name != "copy-of" && name != "copy", "xsl:{name}");
            }
            for attribute in node.attributes() {
                assert_ne!(attribute.name(), "disable-output-escaping");
                assert!(
                    !attribute.value().contains("encoded")
                        && !attribute.value().contains("content"),
                    "{}={:?}",
                    attribute.name(),
                    attribute.value()
                );
            }
        }
        Ok(())
    }

    #[test]
    fn the_css_fits_in_xml_and_html_as_it_is() {
        assert!(!STYLE.contains('<') && !STYLE.contains('&'));
        assert!(!STYLE.contains("</style"));
    }

    /// WCAG 2.x relative luminance of `#rgb` or `#rrggbb`.
    fn luminance(hex: &str) -> Option<f64> {
        let hex = hex.strip_prefix('#')?;
        let full: String = match hex.len() {
            3 => hex.chars().flat_map(|c| [c, c]).collect(),
            6 => hex.to_string(),
            _ => return None,
        };
        let channel = |i: usize| -> Option<f64> {
            let v = f64::from(u8::from_str_radix(full.get(i..i + 2)?, 16).ok()?) / 255.0;
            Some(if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            })
        };
        Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
    }

    /// Every value of `property:#…` in the CSS.
    fn colours(property: &str) -> Vec<String> {
        let needle = format!("{property}:#");
        let mut found = Vec::new();
        let mut rest = STYLE;
        while let Some(at) = rest.find(&needle) {
            let value = &rest[at + needle.len() - 1..];
            let end = value.find([';', '}', ' ']).unwrap_or(value.len());
            found.push(value[..end].to_string());
            rest = &value[end..];
        }
        found
    }

    #[test]
    fn every_text_colour_reads_on_every_background_at_aa_contrast() {
        let texts = colours("color");
        let mut backgrounds = colours("background");
        backgrounds.push("#fff".to_string());
        assert!(
            texts.len() >= 5 && backgrounds.len() >= 3,
            "{texts:?} {backgrounds:?}"
        );
        for text in &texts {
            for background in &backgrounds {
                let (Some(a), Some(b)) = (luminance(text), luminance(background)) else {
                    panic!("cannot read {text} or {background}");
                };
                let ratio = (a.max(b) + 0.05) / (a.min(b) + 0.05);
                assert!(ratio >= 4.5, "{text} on {background}: {ratio:.2}:1");
            }
        }
    }

    #[test]
    fn the_href_climbs_to_the_root_of_the_tree() {
        for (path, href) in [
            ("all.rss", "feed.xsl"),
            ("en.atom", "feed.xsl"),
            ("authors/jane-doe.rss", "../feed.xsl"),
            ("en/authors/jane-doe.atom", "../../feed.xsl"),
            ("archive/en/3.rss", "../../feed.xsl"),
            (
                "archive/fr/authors/marie-dupuis/1.atom",
                "../../../../feed.xsl",
            ),
        ] {
            assert_eq!(super::href(path), href, "{path}");
        }
    }

    #[test]
    fn the_prolog_replaces_whatever_declaration_was_written() {
        let want = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
                    <?xml-stylesheet type=\"text/xsl\" href=\"../feed.xsl\"?>\n<rss/>";
        for xml in [
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss/>",
            "<?xml version=\"1.0\"?>\n<rss/>",
            "<rss/>",
        ] {
            assert_eq!(with_prolog("authors/x.rss", xml), want, "{xml}");
        }
    }

    #[test]
    fn the_same_stylesheet_every_time() {
        let config = super::super::opml::tests::config();
        assert_eq!(stylesheet(&config), stylesheet(&config));
    }

    #[test]
    fn a_site_in_one_language_gets_the_page_in_that_language_alone() {
        use super::super::opml::tests::{config, one_language};
        let several = text();
        assert_eq!(several.matches(SEVERAL_LANGUAGES).count(), 1);
        assert!(!several.contains(ONE_LANGUAGE));
        for code in ["en", "fr"] {
            let one = String::from_utf8(stylesheet(&one_language(code)).bytes).unwrap_or_default();
            assert_eq!(one.matches(ONE_LANGUAGE).count(), 1, "{code}");
            assert!(!one.contains(SEVERAL_LANGUAGES), "{code}");
            assert_eq!(one.replacen(ONE_LANGUAGE, SEVERAL_LANGUAGES, 1), several);
            assert!(roxmltree::Document::parse(&one).is_ok(), "{code}");
        }
        assert_eq!(stylesheet(&config()).bytes, several.into_bytes());
    }
}
