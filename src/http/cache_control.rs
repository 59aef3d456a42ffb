//! Header values that tell caches how long a response stays good and how to revalidate it:
//! Cache-Control, ETag and Last-Modified.
//!
//! RFC rules implemented:
//! - RFC 9111 §5.2.2.9 `public` and §5.2.2.1 `max-age`: any cache may store the response and
//!   reuse it for `max-age` seconds without asking.
//! - RFC 5861 §3 `stale-while-revalidate` and §4 `stale-if-error`: after that, a cache may still
//!   answer with the stale copy while it revalidates in the background, or when the origin fails.
//! - RFC 8246 `immutable`: a fresh response will never change, so a client skips revalidation
//!   even on reload. Only for URLs whose bytes can never change.
//! - RFC 9110 §8.8.3 ETag and §8.8.1 strong validators: a quoted opaque-tag that changes whenever
//!   the bytes change. It is derived from the bytes alone (SHA-256, `sha2` crate), so the same
//!   content has the same ETag on every machine and after every restart (habit 4 in STYLE.md).
//!   Hash each content coding's bytes: each copy is its own representation with its own ETag.
//! - RFC 9110 §5.6.7 and §8.8.2 Last-Modified: an IMF-fixdate in GMT, whole seconds.
//!
//! Pure: no I/O, no clock; times come from the caller.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

/// How long past freshness a cache may serve a feed when syndic answers with an error or not at
/// all: one day. A day-old feed is still a correct feed for every item but the newest, and
/// readers de-duplicate items by id; an error would make readers back off or flag the feed.
pub const STALE_IF_ERROR_SECS: u32 = 86_400;

/// `max-age` for immutable responses: one year, the customary maximum (RFC 9111 §5.2.2.1 asks
/// caches to accept any value, but a year is what browsers and CDNs are known to honour).
pub const ONE_YEAR_SECS: u32 = 31_536_000;

/// Cache-Control for a feed: fresh for `max_age` seconds, then served stale for as long again
/// while revalidated in the background, or for a day if syndic cannot answer.
///
/// `stale-while-revalidate` equals `max_age`: a reader that polls a busy cache gets an instant
/// answer and the cache fetches the new version behind it, so a new post reaches readers at most
/// `2 × max_age` after it is published, and the revalidation is a cheap 304 most of the time.
pub fn for_feed(max_age: u32) -> String {
    format!(
        "public, max-age={max_age}, stale-while-revalidate={max_age}, \
         stale-if-error={STALE_IF_ERROR_SECS}"
    )
}

/// Cache-Control for a response whose URL will never serve other bytes.
pub fn immutable() -> String {
    format!("public, max-age={ONE_YEAR_SECS}, immutable")
}

/// A strong ETag for `bytes`: the first 128 bits of their SHA-256, in lowercase hex, quoted.
pub fn etag_for(bytes: &[u8]) -> String {
    etag_from_digest(&Sha256::digest(bytes).into())
}

/// The strong, quoted ETag for a SHA-256 `digest`: its first 128 bits in hex.
pub fn etag_from_digest(digest: &[u8; 32]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut etag = String::with_capacity(34);
    etag.push('"');
    for &byte in digest.iter().take(16) {
        etag.push(char::from(HEX[usize::from(byte >> 4)]));
        etag.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    etag.push('"');
    etag
}

/// `t` as an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), fractions of a second dropped.
///
/// An HTTP-date spans 1970 to 9999: earlier times give the epoch, later ones the last second of
/// 9999, so no time makes this panic.
pub fn http_date(t: SystemTime) -> String {
    /// 9999-12-31T23:59:59Z, the last second `httpdate` can write.
    const LAST_SECOND: Duration = Duration::from_secs(253_402_300_799);
    let since_epoch = t.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO);
    let clamped = since_epoch.min(LAST_SECOND);
    httpdate::fmt_http_date(UNIX_EPOCH + clamped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_cache_control_scales_with_max_age() {
        let cases = [
            (
                0,
                "public, max-age=0, stale-while-revalidate=0, stale-if-error=86400",
            ),
            (
                300,
                "public, max-age=300, stale-while-revalidate=300, stale-if-error=86400",
            ),
            (
                3600,
                "public, max-age=3600, stale-while-revalidate=3600, stale-if-error=86400",
            ),
            (
                u32::MAX,
                "public, max-age=4294967295, stale-while-revalidate=4294967295, \
                 stale-if-error=86400",
            ),
        ];
        for (max_age, expected) in cases {
            assert_eq!(for_feed(max_age), expected, "max_age = {max_age}");
        }
    }

    #[test]
    fn immutable_lasts_a_year() {
        assert_eq!(immutable(), "public, max-age=31536000, immutable");
    }

    #[test]
    fn header_values_are_valid_header_values() {
        for value in [
            for_feed(600),
            immutable(),
            etag_for(b"x"),
            http_date(UNIX_EPOCH),
        ] {
            assert!(::http::HeaderValue::from_str(&value).is_ok(), "{value}");
        }
    }

    #[test]
    fn etags_are_pinned_to_sha256() {
        // Known SHA-256 digests: a change of hash or of encoding would show here first, and would
        // change every ETag syndic has ever sent.
        let cases: [(&[u8], &str); 3] = [
            (b"", "\"e3b0c44298fc1c149afbf4c8996fb924\""),
            (b"abc", "\"ba7816bf8f01cfea414140de5dae2223\""),
            (
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "\"248d6a61d20638b8e5c026930c3e6039\"",
            ),
        ];
        for (bytes, expected) in cases {
            assert_eq!(
                etag_for(bytes),
                expected,
                "{:?}",
                String::from_utf8_lossy(bytes)
            );
        }
    }

    #[test]
    fn etags_are_strong_quoted_and_follow_the_bytes() {
        let feed = b"<rss version=\"2.0\"><channel/></rss>".as_slice();
        let etag = etag_for(feed);
        assert_eq!(etag.len(), 34);
        assert!(etag.starts_with('"') && etag.ends_with('"') && !etag.starts_with("W/"));
        let inner = &etag[1..33];
        assert!(
            inner
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        );
        assert_eq!(etag_for(feed), etag, "same bytes, same ETag");
        assert_ne!(etag_for(b"<rss version=\"2.0\"><channel/></rss>\n"), etag);
        assert_ne!(etag_for(b"a"), etag_for(b"b"));
    }

    #[test]
    fn http_dates_are_imf_fixdates() {
        let cases = [
            (UNIX_EPOCH, "Thu, 01 Jan 1970 00:00:00 GMT"),
            (
                UNIX_EPOCH + Duration::from_secs(784_111_777),
                "Sun, 06 Nov 1994 08:49:37 GMT",
            ),
            (
                UNIX_EPOCH + Duration::new(784_111_777, 999_999_999),
                "Sun, 06 Nov 1994 08:49:37 GMT",
            ),
            (
                UNIX_EPOCH + Duration::from_secs(951_782_400),
                "Tue, 29 Feb 2000 00:00:00 GMT",
            ),
            (
                UNIX_EPOCH + Duration::from_secs(4_133_980_799),
                "Fri, 31 Dec 2100 23:59:59 GMT",
            ),
            (
                UNIX_EPOCH - Duration::from_secs(1),
                "Thu, 01 Jan 1970 00:00:00 GMT",
            ),
            (
                UNIX_EPOCH + Duration::from_secs(253_402_300_799),
                "Fri, 31 Dec 9999 23:59:59 GMT",
            ),
            (
                UNIX_EPOCH + Duration::from_secs(253_402_300_800),
                "Fri, 31 Dec 9999 23:59:59 GMT",
            ),
            (
                UNIX_EPOCH + Duration::from_secs(u64::from(u32::MAX) * 1000),
                "Fri, 31 Dec 9999 23:59:59 GMT",
            ),
        ];
        for (time, expected) in cases {
            assert_eq!(http_date(time), expected, "{time:?}");
        }
    }

    #[test]
    fn http_dates_read_back_to_the_same_second() {
        for secs in [
            0,
            1,
            59,
            86_399,
            784_111_777,
            1_700_000_000,
            253_402_300_799,
        ] {
            let time = UNIX_EPOCH + Duration::new(secs, 123_456_789);
            let read = httpdate::parse_http_date(&http_date(time));
            assert_eq!(
                read.ok(),
                Some(UNIX_EPOCH + Duration::from_secs(secs)),
                "{secs}"
            );
        }
    }
}
