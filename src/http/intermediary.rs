//! Whether a request came through an intermediary (a shared cache, a proxy), which must never
//! be answered with a delta (RFC 3229 `226 IM Used`).
//!
//! A shared cache keeps one copy of a document for every client, so it does not forward a
//! client's `If-None-Match` (nginx `proxy_cache` and Varnish drop it, and send the ETag of their
//! own copy when they revalidate). A delta computed from that ETag is against the cache's copy,
//! not the client's: given to a client holding an older version, it loses the items in between.
//! And a `226` cannot be stored, so a cache revalidating in the background keeps serving its
//! stale copy for as long as only delta clients ask. Answered as if it had no `A-IM`, the cache
//! gets a `304` or the whole document, which it can store and give every client.
//!
//! What gives an intermediary away (RFC 9110 §7.6.3, RFC 7239, RFC 8586, and what the common
//! ones add by default):
//! - an HTTP/1.0 request: nginx talks HTTP/1.0 to upstreams unless told otherwise, and
//!   `226` is an HTTP/1.1 extension that an HTTP/1.0 recipient cannot be expected to know;
//! - `Via` or `Forwarded`, which proxies add;
//! - `X-Forwarded-For` or `X-Real-IP`, which most proxy configurations add (Varnish's
//!   built-in VCL adds `X-Forwarded-For`);
//! - `X-Varnish`, which Varnish adds to every backend request;
//! - `CDN-Loop`, which CDNs add.
//!
//! Pure: request line version and headers in, a yes or no out.

use http::{HeaderMap, HeaderName, Version};

/// The header fields any of which says the request came through an intermediary.
const TELLTALES: [&str; 6] = [
    "via",
    "forwarded",
    "x-forwarded-for",
    "x-real-ip",
    "x-varnish",
    "cdn-loop",
];

/// Whether the request came through an intermediary (see the module's documentation).
pub fn intermediary(version: Version, headers: &HeaderMap) -> bool {
    version < Version::HTTP_11
        || TELLTALES
            .iter()
            .any(|name| headers.contains_key(HeaderName::from_static(name)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn caches_and_proxies_are_recognised_and_clients_are_not() {
        for (version, header, expected) in [
            // Feed readers talk HTTP/1.1 (or 2) with none of the proxies' fields.
            (Version::HTTP_11, None, false),
            (Version::HTTP_2, None, false),
            (
                Version::HTTP_11,
                Some(("user-agent", "newsboat/2.30")),
                false,
            ),
            (Version::HTTP_11, Some(("a-im", "feed")), false),
            // nginx's default upstream protocol.
            (Version::HTTP_10, None, true),
            (Version::HTTP_09, None, true),
            (
                Version::HTTP_11,
                Some(("via", "1.1 varnish (Varnish/7.1)")),
                true,
            ),
            (
                Version::HTTP_11,
                Some(("forwarded", "for=192.0.2.60")),
                true,
            ),
            (
                Version::HTTP_11,
                Some(("x-forwarded-for", "127.0.0.1")),
                true,
            ),
            (Version::HTTP_11, Some(("x-real-ip", "127.0.0.1")), true),
            (Version::HTTP_11, Some(("x-varnish", "32770")), true),
            (Version::HTTP_11, Some(("cdn-loop", "cloudflare")), true),
        ] {
            let mut headers = HeaderMap::new();
            if let Some((name, value)) = header {
                headers.insert(
                    HeaderName::from_static(name),
                    HeaderValue::from_static(value),
                );
            }
            assert_eq!(
                intermediary(version, &headers),
                expected,
                "{version:?} {header:?}"
            );
        }
    }
}
