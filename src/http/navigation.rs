//! A person opening an RSS or Atom document in a browser tab, told apart from a feed reader
//! fetching it, and the one thing that changes for them: the media type.
//!
//! Browsers do not render `application/rss+xml` or `application/atom+xml` as XML: Chromium
//! shows the source as plain text, Firefox offers a download. They render `application/xml`,
//! and apply the document's `<?xml-stylesheet?>`, so a navigation gets that label and the
//! person sees the page `feed.xsl` makes; a feed reader keeps the format's own type.
//!
//! The signal is Fetch Metadata's `Sec-Fetch-Dest: document`, which browsers send on a
//! top-level navigation and feed readers (and a page's own `fetch`) do not. A response whose
//! label depends on it says `Vary: Sec-Fetch-Dest`, which splits a shared cache's entry in two
//! at most. The bytes, hence the ETags, are the same under either label (RFC 9110 §8.8.3: a
//! strong validator follows the representation data), and a 304 carries no `Content-Type`, so
//! a cache holding both labels cannot swap them.

use http::HeaderMap;

/// The label browsers render as XML, and apply an XSLT stylesheet to.
pub const XML: &str = "application/xml; charset=utf-8";

/// `Vary` of a response whose media type follows [`is_navigation`].
pub const VARY: &str = "Accept-Encoding, Sec-Fetch-Dest";

/// The media types that get [`XML`] on a navigation: RSS and Atom.
pub fn relabels(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/rss+xml")
        || essence.eq_ignore_ascii_case("application/atom+xml")
}

/// Whether the request is a browser's top-level navigation (`Sec-Fetch-Dest: document`).
pub fn is_navigation(headers: &HeaderMap) -> bool {
    headers
        .get_all("sec-fetch-dest")
        .iter()
        .any(|value| value.as_bytes().eq_ignore_ascii_case(b"document"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn only_a_navigation_is_a_person_in_a_tab() {
        let with = |pairs: &[(&'static str, &'static str)]| {
            let mut headers = HeaderMap::new();
            for (name, value) in pairs {
                headers.append(*name, HeaderValue::from_static(value));
            }
            is_navigation(&headers)
        };
        assert!(with(&[("sec-fetch-dest", "document")]));
        assert!(with(&[("sec-fetch-dest", "Document")]));
        assert!(!with(&[]));
        assert!(!with(&[("sec-fetch-dest", "empty")]));
        assert!(!with(&[("sec-fetch-dest", "iframe")]));
        // A reader that prefers HTML but does not navigate is still a reader.
        assert!(!with(&[("accept", "text/html, application/rss+xml")]));
    }

    #[test]
    fn rss_and_atom_are_relabelled_and_nothing_else() {
        assert!(relabels("application/rss+xml; charset=utf-8"));
        assert!(relabels("application/atom+xml; charset=utf-8"));
        for other in [
            "application/feed+json; charset=utf-8",
            "text/x-opml; charset=utf-8",
            "text/html; charset=utf-8",
            "text/xsl; charset=utf-8",
        ] {
            assert!(!relabels(other), "{other}");
        }
    }
}
