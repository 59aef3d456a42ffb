//! Conditional GET and HEAD: the request's preconditions against the selected representation's
//! ETag and Last-Modified -> 304 Not Modified, 412 Precondition Failed or the full response.
//!
//! RFC 9110 rules implemented, in the order of §13.2.2:
//! 1. `If-Match` (§13.1.1): `*` or a list of entity-tags, compared *strongly* (§8.8.3.2: both
//!    tags strong, opaque parts equal). No match -> [`Outcome::PreconditionFailed`].
//! 2. `If-Unmodified-Since` (§13.1.4), only when `If-Match` is absent, and only when the resource
//!    has a Last-Modified: modified after the date -> [`Outcome::PreconditionFailed`].
//! 3. `If-None-Match` (§13.1.2): `*` or a list of entity-tags, compared *weakly* (`W/"x"` matches
//!    `"x"`). A match -> [`Outcome::NotModified`], since this module only serves GET and HEAD.
//! 4. `If-Modified-Since` (§13.1.3), only when `If-None-Match` is absent, and only when the
//!    resource has a Last-Modified: Last-Modified at or before the date -> [`Outcome::NotModified`].
//!    Both dates count whole seconds, the resolution of an HTTP-date (§5.6.7).
//!
//! How field values are read:
//! - A list field may arrive on several lines; they form one comma-separated list (§5.3). Empty
//!   list elements are skipped (§5.6.1.2). An opaque-tag may itself hold a comma (§8.8.3), so the
//!   list is scanned tag by tag, never split on commas. `W/` is case-sensitive (§8.8.3).
//! - `*` matches any current representation; it is also accepted inside a list.
//! - A date is an IMF-fixdate, an RFC 850 date or an asctime date (§5.6.7), parsed by `httpdate`.
//!   RFC 850's two-digit years 00-69 are read as 2000-2069 and 70-99 as 1970-1999 (there is no
//!   clock here for §5.6.7's fifty-year rule). A date whose weekday does not fit it is invalid.
//! - A field that does not parse, a list with no element, or a date field on more than one line
//!   is ignored, exactly as if it were absent (§13.1.3, §13.1.4). Never an error: at worst the
//!   client gets the full response.
//!
//! What the caller owns: call this only for GET or HEAD of a representation that exists and would
//! otherwise get a 200 (§13.2.1: preconditions are ignored when the answer would not be 2xx or
//! 412); pass the ETag of the representation it would send, i.e. of the chosen content coding;
//! send a 304 with the ETag, Cache-Control and `Vary: Accept-Encoding` the 200 would carry and no
//! body (§15.4.5). `If-Range` is not read: syndic does not serve ranges.
//!
//! Pure: no I/O, no clock.

use std::time::{SystemTime, UNIX_EPOCH};

use ::http::HeaderMap;
use ::http::header::{HeaderName, IF_MATCH, IF_MODIFIED_SINCE, IF_NONE_MATCH, IF_UNMODIFIED_SINCE};

/// What the server knows about the representation it would send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validators {
    /// The representation's strong entity-tag, quoted: `"\"abc\""`.
    pub etag: String,
    /// When the representation last changed; `None` disables the date preconditions.
    pub last_modified: Option<SystemTime>,
}

/// The answer the preconditions call for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 200: send the representation.
    Full,
    /// 304: the client's copy is current; send the headers of a 200 and no body.
    NotModified,
    /// 412: an `If-Match` or `If-Unmodified-Since` condition is false.
    PreconditionFailed,
}

/// Evaluates a GET or HEAD request's preconditions against the selected representation.
pub fn evaluate(headers: &HeaderMap, validators: &Validators) -> Outcome {
    Preconditions::from_headers(headers).evaluate(validators)
}

/// A request's preconditions, each field parsed once; a field that is absent or ignored is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Preconditions<'a> {
    if_match: Option<TagList<'a>>,
    if_unmodified_since: Option<SystemTime>,
    if_none_match: Option<TagList<'a>>,
    if_modified_since: Option<SystemTime>,
}

impl<'a> Preconditions<'a> {
    /// Reads the four precondition fields of a request.
    pub fn from_headers(headers: &'a HeaderMap) -> Self {
        Preconditions {
            if_match: TagList::from_field(headers, &IF_MATCH),
            if_unmodified_since: single_date(headers, &IF_UNMODIFIED_SINCE),
            if_none_match: TagList::from_field(headers, &IF_NONE_MATCH),
            if_modified_since: single_date(headers, &IF_MODIFIED_SINCE),
        }
    }

    /// Applies RFC 9110 §13.2.2 steps 1 to 4 to the representation described by `validators`.
    pub fn evaluate(&self, validators: &Validators) -> Outcome {
        let current = EntityTag::parse_whole(validators.etag.as_bytes());
        let last_modified = validators.last_modified.map(whole_seconds);

        if let Some(if_match) = &self.if_match {
            if !if_match.matches(current, EntityTag::strong_eq) {
                return Outcome::PreconditionFailed;
            }
        } else if let (Some(since), Some(modified)) = (self.if_unmodified_since, last_modified) {
            if modified > whole_seconds(since) {
                return Outcome::PreconditionFailed;
            }
        }

        if let Some(if_none_match) = &self.if_none_match {
            if if_none_match.matches(current, EntityTag::weak_eq) {
                return Outcome::NotModified;
            }
        } else if let (Some(since), Some(modified)) = (self.if_modified_since, last_modified) {
            if modified <= whole_seconds(since) {
                return Outcome::NotModified;
            }
        }

        Outcome::Full
    }
}

/// The entity-tags an `If-None-Match` field names, as quoted strings (`"abc"`, a weak one
/// without its `W/`): what a delta request (RFC 3229) says the client holds. Empty when the
/// field is absent or cannot be read.
pub fn none_match_tags(headers: &HeaderMap) -> Vec<String> {
    TagList::from_field(headers, &IF_NONE_MATCH)
        .map(|list| {
            list.tags
                .iter()
                .map(|t| format!("\"{}\"", String::from_utf8_lossy(t.opaque)))
                .collect()
        })
        .unwrap_or_default()
}

/// The value of `If-Match` or `If-None-Match`: `*` and/or entity-tags.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TagList<'a> {
    any: bool,
    tags: Vec<EntityTag<'a>>,
}

impl<'a> TagList<'a> {
    /// Joins every line of the field into one list; `None` when absent, malformed or empty.
    fn from_field(headers: &'a HeaderMap, name: &HeaderName) -> Option<Self> {
        let mut list = TagList {
            any: false,
            tags: Vec::new(),
        };
        for line in headers.get_all(name) {
            list.extend_from(line.as_bytes())?;
        }
        (list.any || !list.tags.is_empty()).then_some(list)
    }

    /// Scans `#( "*" / entity-tag )`: elements separated by OWS "," OWS, empty ones skipped.
    fn extend_from(&mut self, mut rest: &'a [u8]) -> Option<()> {
        loop {
            rest = trim_start(rest, |b| is_ows(b) || b == b',');
            if rest.is_empty() {
                return Some(());
            }
            rest = match rest.strip_prefix(b"*") {
                Some(after) => {
                    self.any = true;
                    after
                }
                None => {
                    let (tag, after) = EntityTag::parse_prefix(rest)?;
                    self.tags.push(tag);
                    after
                }
            };
            rest = trim_start(rest, is_ows);
            match rest.split_first() {
                None => return Some(()),
                Some((b',', after)) => rest = after,
                Some(_) => return None,
            }
        }
    }

    fn matches(
        &self,
        current: Option<EntityTag<'_>>,
        same: fn(&EntityTag, &EntityTag) -> bool,
    ) -> bool {
        self.any || current.is_some_and(|current| self.tags.iter().any(|tag| same(tag, &current)))
    }
}

/// `entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE` (RFC 9110 §8.8.3), quotes stripped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct EntityTag<'a> {
    weak: bool,
    opaque: &'a [u8],
}

impl<'a> EntityTag<'a> {
    /// Reads one entity-tag at the start of `text`; returns it and what follows.
    fn parse_prefix(text: &'a [u8]) -> Option<(Self, &'a [u8])> {
        let (weak, rest) = match text.strip_prefix(b"W/") {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let rest = rest.strip_prefix(b"\"")?;
        let end = rest.iter().position(|&b| b == b'"')?;
        let (opaque, closing) = rest.split_at(end);
        if !opaque.iter().all(|&b| is_etagc(b)) {
            return None;
        }
        Some((EntityTag { weak, opaque }, closing.get(1..)?))
    }

    /// Reads a text that must be exactly one entity-tag (the server's own ETag).
    fn parse_whole(text: &'a [u8]) -> Option<Self> {
        match EntityTag::parse_prefix(text)? {
            (tag, []) => Some(tag),
            _ => None,
        }
    }

    /// Strong comparison (RFC 9110 §8.8.3.2): both strong and the same opaque-tag.
    fn strong_eq(a: &EntityTag, b: &EntityTag) -> bool {
        !a.weak && !b.weak && a.opaque == b.opaque
    }

    /// Weak comparison (RFC 9110 §8.8.3.2): the same opaque-tag, either or both weak.
    fn weak_eq(a: &EntityTag, b: &EntityTag) -> bool {
        a.opaque == b.opaque
    }
}

/// `etagc = %x21 / %x23-7E / obs-text`.
fn is_etagc(b: u8) -> bool {
    b == 0x21 || (0x23..=0x7e).contains(&b) || b >= 0x80
}

fn is_ows(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn trim_start(mut bytes: &[u8], skip: impl Fn(u8) -> bool) -> &[u8] {
    while let Some((&first, rest)) = bytes.split_first() {
        if !skip(first) {
            break;
        }
        bytes = rest;
    }
    bytes
}

/// A date field that must be one HTTP-date on one line; anything else is ignored.
fn single_date(headers: &HeaderMap, name: &HeaderName) -> Option<SystemTime> {
    let mut lines = headers.get_all(name).iter();
    let line = lines.next()?;
    if lines.next().is_some() {
        return None;
    }
    httpdate::parse_http_date(line.to_str().ok()?.trim()).ok()
}

/// Seconds since the Unix epoch, rounded down, so a time and its HTTP-date compare equal.
fn whole_seconds(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => {
            let before = before.duration();
            let secs = before
                .as_secs()
                .saturating_add(u64::from(before.subsec_nanos() > 0));
            i64::try_from(secs).map_or(i64::MIN, |secs| -secs)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::http::HeaderValue;
    use proptest::prelude::*;
    use std::time::Duration;

    /// Sun, 06 Nov 1994 08:49:37 GMT, plus a fraction of a second an HTTP-date cannot carry.
    fn last_modified() -> SystemTime {
        UNIX_EPOCH + Duration::new(784_111_777, 250_000_000)
    }

    fn validators() -> Validators {
        Validators {
            etag: "\"v1\"".to_string(),
            last_modified: Some(last_modified()),
        }
    }

    fn headers(lines: &[(&str, &[u8])]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in lines {
            let name = HeaderName::from_bytes(name.as_bytes()).expect("test header name");
            let value = HeaderValue::from_bytes(value).expect("test header value");
            map.append(name, value);
        }
        map
    }

    const SAME: &[u8] = b"Sun, 06 Nov 1994 08:49:37 GMT";
    const SECOND_BEFORE: &[u8] = b"Sun, 06 Nov 1994 08:49:36 GMT";
    const LATER: &[u8] = b"Mon, 07 Nov 1994 08:49:37 GMT";

    /// What the row checks, the request's header lines, the expected outcome.
    type Case<'a> = (&'a str, &'a [(&'a str, &'a [u8])], Outcome);

    #[test]
    fn each_rule_gives_its_outcome() {
        use Outcome::{Full, NotModified, PreconditionFailed};
        let inm = "if-none-match";
        let ims = "if-modified-since";
        let im = "if-match";
        let ius = "if-unmodified-since";
        #[rustfmt::skip]
        let cases: &[Case<'_>] = &[
            ("no preconditions", &[], Full),
            // If-None-Match
            ("INM same tag", &[(inm, b"\"v1\"")], NotModified),
            ("INM other tag", &[(inm, b"\"v2\"")], Full),
            ("INM weak form matches weakly", &[(inm, b"W/\"v1\"")], NotModified),
            ("INM star", &[(inm, b"*")], NotModified),
            ("INM star inside a list", &[(inm, b"\"a\", *")], NotModified),
            ("INM list", &[(inm, b"\"a\", \"v1\", \"b\"")], NotModified),
            ("INM list without spaces", &[(inm, b"\"a\",\"v1\"")], NotModified),
            ("INM list with tabs", &[(inm, b"\t\"a\"\t,\tW/\"v1\"\t")], NotModified),
            ("INM empty elements", &[(inm, b", ,\"a\",,  ,\"v1\",")], NotModified),
            ("INM on two lines", &[(inm, b"\"a\""), (inm, b"\"v1\"")], NotModified),
            ("INM on two lines, neither matches", &[(inm, b"\"a\""), (inm, b"\"b\"")], Full),
            ("INM comma inside a tag", &[(inm, b"\"v1,v2\"")], Full),
            ("INM tag is a prefix", &[(inm, b"\"v\"")], Full),
            ("INM tag is longer", &[(inm, b"\"v10\"")], Full),
            ("INM case matters", &[(inm, b"\"V1\"")], Full),
            ("INM obs-text tag", &[(inm, b"\"v1\xe9\"")], Full),
            ("INM empty tag", &[(inm, b"\"\"")], Full),
            // If-None-Match that does not parse is ignored
            ("INM unquoted is ignored", &[(inm, b"x"), (ims, SAME)], NotModified),
            ("INM lowercase w/ is ignored", &[(inm, b"w/\"x\""), (ims, SAME)], NotModified),
            ("INM unterminated is ignored", &[(inm, b"\"x"), (ims, SAME)], NotModified),
            ("INM missing comma is ignored", &[(inm, b"\"a\" \"x\""), (ims, SAME)], NotModified),
            ("INM space inside a tag is ignored", &[(inm, b"\"x y\""), (ims, SAME)], NotModified),
            ("INM control byte inside a tag is ignored", &[(inm, b"\"x\ty\""), (ims, SAME)], NotModified),
            ("INM junk after a tag is ignored", &[(inm, b"\"x\"y"), (ims, SAME)], NotModified),
            ("INM junk after star is ignored", &[(inm, b"*x")], Full),
            ("INM one bad line spoils the field", &[(inm, b"\"v1\""), (inm, b"v2")], Full),
            // If-None-Match takes precedence over If-Modified-Since
            ("INM miss ignores a matching IMS", &[(inm, b"\"v2\""), (ims, LATER)], Full),
            ("INM hit ignores an older IMS", &[(inm, b"\"v1\""), (ims, SECOND_BEFORE)], NotModified),
            ("bad INM counts as absent: IMS applies", &[(inm, b"v1"), (ims, SAME)], NotModified),
            ("empty INM counts as absent: IMS applies", &[(inm, b""), (ims, SAME)], NotModified),
            ("INM of commas counts as absent", &[(inm, b" , ,"), (ims, SAME)], NotModified),
            // If-Modified-Since
            ("IMS same second", &[(ims, SAME)], NotModified),
            ("IMS a second before", &[(ims, SECOND_BEFORE)], Full),
            ("IMS later", &[(ims, LATER)], NotModified),
            ("IMS far future", &[(ims, b"Fri, 31 Dec 9999 23:59:59 GMT")], NotModified),
            ("IMS epoch", &[(ims, b"Thu, 01 Jan 1970 00:00:00 GMT")], Full),
            ("IMS with spaces around", &[(ims, b"  Sun, 06 Nov 1994 08:49:37 GMT ")], NotModified),
            ("IMS RFC 850", &[(ims, b"Sunday, 06-Nov-94 08:49:37 GMT")], NotModified),
            ("IMS RFC 850 a second before", &[(ims, b"Sunday, 06-Nov-94 08:49:36 GMT")], Full),
            ("IMS asctime", &[(ims, b"Sun Nov  6 08:49:37 1994")], NotModified),
            ("IMS asctime a second before", &[(ims, b"Sun Nov  6 08:49:36 1994")], Full),
            ("IMS garbage", &[(ims, b"yesterday")], Full),
            ("IMS empty", &[(ims, b"")], Full),
            ("IMS wrong weekday", &[(ims, b"Mon, 06 Nov 1994 08:49:37 GMT")], Full),
            ("IMS impossible day", &[(ims, b"Wed, 31 Nov 1994 08:49:37 GMT")], Full),
            ("IMS numeric offset", &[(ims, b"Sun, 06 Nov 1994 08:49:37 +0000")], Full),
            ("IMS list of dates", &[(ims, b"Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT")], Full),
            ("IMS on two lines", &[(ims, SAME), (ims, SAME)], Full),
            ("IMS obs-text", &[(ims, b"Sun, 06 Nov 1994 08:49:37 GMT\xe9")], Full),
            // If-Match: strong comparison, 412 when false
            ("IM same tag", &[(im, b"\"v1\"")], Full),
            ("IM star", &[(im, b"*")], Full),
            ("IM list", &[(im, b"\"a\", \"v1\"")], Full),
            ("IM on two lines", &[(im, b"\"a\""), (im, b"\"v1\"")], Full),
            ("IM other tag", &[(im, b"\"v2\"")], PreconditionFailed),
            ("IM weak tag never matches", &[(im, b"W/\"v1\"")], PreconditionFailed),
            ("IM unparseable is ignored", &[(im, b"v1")], Full),
            ("IM fails before INM is read", &[(im, b"\"v2\""), (inm, b"\"v1\"")], PreconditionFailed),
            ("IM passes, then INM hits", &[(im, b"\"v1\""), (inm, b"\"v1\"")], NotModified),
            ("IM passes, then IMS hits", &[(im, b"*"), (ims, SAME)], NotModified),
            // If-Unmodified-Since
            ("IUS same second", &[(ius, SAME)], Full),
            ("IUS later", &[(ius, LATER)], Full),
            ("IUS a second before", &[(ius, SECOND_BEFORE)], PreconditionFailed),
            ("IUS garbage is ignored", &[(ius, b"soon")], Full),
            ("IUS on two lines is ignored", &[(ius, SECOND_BEFORE), (ius, SECOND_BEFORE)], Full),
            ("IUS ignored when IM is present", &[(im, b"\"v1\""), (ius, SECOND_BEFORE)], Full),
            ("IUS applies when IM is unparseable", &[(im, b"v1"), (ius, SECOND_BEFORE)], PreconditionFailed),
            ("IUS fails before INM is read", &[(ius, SECOND_BEFORE), (inm, b"\"v1\"")], PreconditionFailed),
            ("IUS passes, then IMS hits", &[(ius, SAME), (ims, SAME)], NotModified),
        ];
        for (what, lines, expected) in cases {
            assert_eq!(
                evaluate(&headers(lines), &validators()),
                *expected,
                "{what}"
            );
        }
    }

    #[test]
    fn date_preconditions_need_a_last_modified() {
        let unknown = Validators {
            last_modified: None,
            ..validators()
        };
        let cases: &[(&str, &[u8], Outcome)] = &[
            ("if-modified-since", LATER, Outcome::Full),
            ("if-unmodified-since", SECOND_BEFORE, Outcome::Full),
            ("if-none-match", b"\"v1\"", Outcome::NotModified),
        ];
        for (name, value, expected) in cases {
            assert_eq!(
                evaluate(&headers(&[(name, value)]), &unknown),
                *expected,
                "{name}"
            );
        }
    }

    #[test]
    fn the_etag_compared_is_the_one_the_caller_passes() {
        // One ETag per content coding: a client holding the gzip copy revalidates the gzip copy.
        let gzip = Validators {
            etag: "\"v1-gz\"".to_string(),
            ..validators()
        };
        let request = headers(&[("if-none-match", b"\"v1-gz\"")]);
        assert_eq!(evaluate(&request, &gzip), Outcome::NotModified);
        assert_eq!(evaluate(&request, &validators()), Outcome::Full);
    }

    #[test]
    fn a_weak_server_etag_matches_only_weakly() {
        let weak = Validators {
            etag: "W/\"v1\"".to_string(),
            ..validators()
        };
        let cases: &[(&str, &[u8], Outcome)] = &[
            ("if-none-match", b"\"v1\"", Outcome::NotModified),
            ("if-match", b"\"v1\"", Outcome::PreconditionFailed),
            ("if-match", b"*", Outcome::Full),
        ];
        for (name, value, expected) in cases {
            let got = evaluate(&headers(&[(name, value)]), &weak);
            assert_eq!(got, *expected, "{name}: {value:?}");
        }
    }

    #[test]
    fn a_malformed_server_etag_matches_only_star() {
        let broken = Validators {
            etag: "v1".to_string(),
            ..validators()
        };
        let cases: &[(&str, &[u8], Outcome)] = &[
            ("if-none-match", b"\"v1\"", Outcome::Full),
            ("if-none-match", b"*", Outcome::NotModified),
            ("if-match", b"\"v1\"", Outcome::PreconditionFailed),
        ];
        for (name, value, expected) in cases {
            let got = evaluate(&headers(&[(name, value)]), &broken);
            assert_eq!(got, *expected, "{name}: {value:?}");
        }
    }

    #[test]
    fn last_modified_before_the_epoch_compares_by_whole_seconds() {
        let cases = [
            (UNIX_EPOCH, 0),
            (UNIX_EPOCH + Duration::from_millis(999), 0),
            (UNIX_EPOCH - Duration::from_millis(1), -1),
            (UNIX_EPOCH - Duration::from_secs(1), -1),
            (UNIX_EPOCH - Duration::from_millis(1001), -2),
        ];
        for (time, secs) in cases {
            assert_eq!(whole_seconds(time), secs, "{time:?}");
        }
        let old = Validators {
            last_modified: Some(UNIX_EPOCH - Duration::from_secs(86_400)),
            ..validators()
        };
        let request = headers(&[("if-modified-since", b"Thu, 01 Jan 1970 00:00:00 GMT")]);
        assert_eq!(evaluate(&request, &old), Outcome::NotModified);
    }

    #[test]
    fn preconditions_are_parsed_once_and_reusable() {
        let request = headers(&[("if-none-match", b"\"a\", \"v1\"")]);
        let preconditions = Preconditions::from_headers(&request);
        assert_eq!(preconditions.evaluate(&validators()), Outcome::NotModified);
        let other = Validators {
            etag: "\"v3\"".to_string(),
            ..validators()
        };
        assert_eq!(preconditions.evaluate(&other), Outcome::Full);
        assert_eq!(
            Preconditions::from_headers(&HeaderMap::new()),
            Preconditions::default()
        );
    }

    const FIELDS: [&str; 4] = [
        "if-match",
        "if-none-match",
        "if-modified-since",
        "if-unmodified-since",
    ];

    fn header_map(lines: Vec<(usize, Vec<u8>)>) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (field, bytes) in lines {
            if let Ok(value) = HeaderValue::from_bytes(&bytes) {
                map.append(FIELDS[field % FIELDS.len()], value);
            }
        }
        map
    }

    fn any_time() -> impl Strategy<Value = Option<SystemTime>> {
        prop::option::of((any::<bool>(), any::<u64>(), 0..1_000_000_000u32)).prop_map(|time| {
            let (after, secs, nanos) = time?;
            let offset = Duration::new(secs % (400 * 365 * 86_400), nanos);
            if after {
                UNIX_EPOCH.checked_add(offset)
            } else {
                UNIX_EPOCH.checked_sub(offset)
            }
        })
    }

    proptest! {
        #[test]
        fn never_panics_on_arbitrary_bytes(
            lines in prop::collection::vec((0..4usize, prop::collection::vec(any::<u8>(), 0..64)), 0..8),
            etag in prop::collection::vec(any::<u8>(), 0..16),
            last_modified in any_time(),
        ) {
            let validators = Validators { etag: String::from_utf8_lossy(&etag).into_owned(), last_modified };
            let _ = evaluate(&header_map(lines), &validators);
        }

        #[test]
        fn never_panics_on_near_miss_syntax(
            lines in prop::collection::vec((0..4usize, "[ \t,*W/\"v1:GMTSun0-9]{0,40}"), 0..8),
        ) {
            let lines = lines.into_iter().map(|(field, text)| (field, text.into_bytes())).collect();
            let _ = evaluate(&header_map(lines), &validators());
        }

        #[test]
        fn the_current_tag_in_any_valid_list_is_not_modified(
            before in prop::collection::vec("(W/)?\"[!#-~]{0,8}\"", 0..4),
            after in prop::collection::vec("(W/)?\"[!#-~]{0,8}\"", 0..4),
            weak in any::<bool>(),
        ) {
            let current = if weak { "W/\"v1\"" } else { "\"v1\"" };
            let tags: Vec<String> = before
                .into_iter()
                .chain(std::iter::once(current.to_string()))
                .chain(after)
                .collect();
            let request = headers(&[("if-none-match", tags.join(" , ").as_bytes())]);
            prop_assert_eq!(evaluate(&request, &validators()), Outcome::NotModified);
        }
    }
}
