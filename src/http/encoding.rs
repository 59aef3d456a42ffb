//! Content coding negotiation: the request's Accept-Encoding -> which of the precompressed copies
//! of a response to send.
//!
//! RFC 9110 rules implemented (§12.5.3, with §12.4.2 for weights):
//! - `Accept-Encoding = #( ( content-coding / "identity" / "*" ) [ OWS ";" OWS "q=" qvalue ] )`,
//!   read from every line of the field as one comma-separated list (§5.3); empty elements are
//!   skipped (§5.6.1.2). Coding names and the `q` parameter name are case-insensitive (§8.4.1,
//!   §5.6.6); `x-gzip` is gzip (§8.4.1.3).
//! - `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`. An element with an invalid
//!   weight is ignored, as is an element whose name is not a token. Parameters other than `q`
//!   are skipped. A coding listed twice keeps its highest weight.
//! - No Accept-Encoding: any coding is acceptable; identity is chosen when available, as
//!   servers customarily do (the client has stated no preference).
//! - A coding listed with q=0 is not acceptable; a listed coding is acceptable at its weight.
//! - `*` gives its weight to every coding not listed by name, identity included.
//! - An empty field value wants no content coding: identity only.
//! - Identity not listed (and not covered by `*`) stays acceptable, below every listed coding:
//!   only `identity;q=0`, or `*;q=0` without an `identity` entry, excludes it.
//! - Among acceptable available codings the highest weight wins; ties go to the server's
//!   preference, gzip > br > identity: smallest body first. syndic's brotli copies are joined
//!   from pieces compressed apart, which brotli gains least from, and measure a few percent
//!   larger than the gzip ones (`src/compress.rs`), so br goes to clients that rank it higher.
//!
//! [`choose`] returns `None` only when no available coding is acceptable. Since syndic always has
//! the identity copy, that means the client excluded identity and every coding syndic has. §12.5.3
//! asks for an uncoded response when nothing listed is available *unless* identity is excluded,
//! so the recommended answer to `None` is 406 Not Acceptable (§15.5.7); §12.1 also allows
//! disregarding the header and sending identity, which is the more forgiving choice. Every
//! response whose body depends on this choice, 304 and 406 included, carries
//! `Vary: Accept-Encoding` and the ETag of the copy chosen (§12.5.5, §8.8.3).
//!
//! Pure: no I/O.

use ::http::HeaderMap;
use ::http::header::ACCEPT_ENCODING;

/// A content coding syndic can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Coding {
    Identity,
    Gzip,
    Brotli,
}

impl Coding {
    /// The name used in Content-Encoding and Accept-Encoding.
    pub fn as_str(&self) -> &'static str {
        match self {
            Coding::Identity => "identity",
            Coding::Gzip => "gzip",
            Coding::Brotli => "br",
        }
    }

    /// The server's order on equal weights: higher wins.
    fn preference(self) -> u8 {
        match self {
            Coding::Identity => 0,
            Coding::Brotli => 1,
            Coding::Gzip => 2,
        }
    }
}

/// Picks the coding to send among `available`, or `None` if the client accepts none of them.
pub fn choose(headers: &HeaderMap, available: &[Coding]) -> Option<Coding> {
    let accepted = Accepted::from_headers(headers);
    available
        .iter()
        .filter_map(|&coding| {
            let weight = accepted.weight(coding);
            (weight > 0).then_some((weight, coding))
        })
        .max_by_key(|&(weight, coding)| (weight, coding.preference()))
        .map(|(_, coding)| coding)
}

/// A weight in thousandths: 0 (not acceptable) to 1000 (q=1).
type Weight = u16;

const FULL: Weight = 1000;
/// Acceptable, but below any weight a client can write (a tie with q=0.001 goes to the other
/// coding by preference): identity when the field neither lists it nor has `*`, and the
/// compressed codings when there is no field at all.
const LAST_RESORT: Weight = 1;

/// What the request's Accept-Encoding says about the codings syndic knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Accepted {
    present: bool,
    identity: Option<Weight>,
    gzip: Option<Weight>,
    brotli: Option<Weight>,
    any: Option<Weight>,
}

/// A coding name as the client wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Name {
    Known(Coding),
    Any,
    Other,
}

impl Accepted {
    fn from_headers(headers: &HeaderMap) -> Self {
        let mut accepted = Accepted::default();
        for line in headers.get_all(ACCEPT_ENCODING) {
            accepted.present = true;
            for element in line.as_bytes().split(|&b| b == b',') {
                if let Some((name, weight)) = parse_element(element) {
                    accepted.record(name, weight);
                }
            }
        }
        accepted
    }

    fn record(&mut self, name: Name, weight: Weight) {
        let slot = match name {
            Name::Known(Coding::Identity) => &mut self.identity,
            Name::Known(Coding::Gzip) => &mut self.gzip,
            Name::Known(Coding::Brotli) => &mut self.brotli,
            Name::Any => &mut self.any,
            Name::Other => return,
        };
        *slot = Some(slot.map_or(weight, |seen| seen.max(weight)));
    }

    fn weight(&self, coding: Coding) -> Weight {
        if !self.present {
            return match coding {
                Coding::Identity => FULL,
                Coding::Gzip | Coding::Brotli => LAST_RESORT,
            };
        }
        let listed = match coding {
            Coding::Identity => self.identity,
            Coding::Gzip => self.gzip,
            Coding::Brotli => self.brotli,
        };
        match (listed.or(self.any), coding) {
            (Some(weight), _) => weight,
            (None, Coding::Identity) => LAST_RESORT,
            (None, Coding::Gzip | Coding::Brotli) => 0,
        }
    }
}

/// One list element: `name *( OWS ";" OWS param )`. `None` for an empty or invalid element.
fn parse_element(element: &[u8]) -> Option<(Name, Weight)> {
    let mut parts = element.split(|&b| b == b';');
    let name = parts.next()?.trim_ascii();
    if name.is_empty() || !name.iter().all(|&b| is_tchar(b)) {
        return None;
    }
    let mut weight = FULL;
    for param in parts {
        let mut halves = param.splitn(2, |&b| b == b'=');
        let key = halves.next().unwrap_or_default();
        let value = halves.next().unwrap_or_default();
        if key.trim_ascii().eq_ignore_ascii_case(b"q") {
            weight = parse_qvalue(value.trim_ascii())?;
        }
    }
    Some((parse_name(name), weight))
}

fn parse_name(name: &[u8]) -> Name {
    const NAMES: [(&[u8], Name); 5] = [
        (b"br", Name::Known(Coding::Brotli)),
        (b"gzip", Name::Known(Coding::Gzip)),
        (b"x-gzip", Name::Known(Coding::Gzip)),
        (b"identity", Name::Known(Coding::Identity)),
        (b"*", Name::Any),
    ];
    NAMES
        .iter()
        .find(|(known, _)| name.eq_ignore_ascii_case(known))
        .map_or(Name::Other, |&(_, parsed)| parsed)
}

/// `qvalue` (RFC 9110 §12.4.2) in thousandths; `None` if malformed or above 1.
fn parse_qvalue(text: &[u8]) -> Option<Weight> {
    let (units, rest) = match text.split_first()? {
        (b'0', rest) => (0, rest),
        (b'1', rest) => (FULL, rest),
        _ => return None,
    };
    let decimals = match rest.split_first() {
        None => &[][..],
        Some((b'.', decimals)) => decimals,
        Some(_) => return None,
    };
    if decimals.len() > 3 || !decimals.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut thousandths: Weight = 0;
    for place in 0..3 {
        let digit = decimals.get(place).map_or(0, |&d| Weight::from(d - b'0'));
        thousandths = thousandths * 10 + digit;
    }
    if units == FULL && thousandths > 0 {
        return None;
    }
    Some(units + thousandths)
}

/// `tchar` (RFC 9110 §5.6.2).
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::http::HeaderValue;
    use Coding::{Brotli, Gzip, Identity};
    use proptest::prelude::*;

    const ALL: &[Coding] = &[Identity, Gzip, Brotli];

    fn request(lines: &[&[u8]]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for line in lines {
            let value = HeaderValue::from_bytes(line).expect("test header value");
            headers.append(ACCEPT_ENCODING, value);
        }
        headers
    }

    #[test]
    fn names_are_the_registered_ones() {
        assert_eq!(Identity.as_str(), "identity");
        assert_eq!(Gzip.as_str(), "gzip");
        assert_eq!(Brotli.as_str(), "br");
    }

    /// Accept-Encoding lines of one request.
    type Lines = &'static [&'static [u8]];
    /// What the row checks, the request's Accept-Encoding lines, the coding expected.
    type Case = (&'static str, Lines, Option<Coding>);

    #[test]
    fn each_rule_picks_its_coding() {
        #[rustfmt::skip]
        let cases: &[Case] = &[
            ("absent: identity", &[], Some(Identity)),
            ("empty: identity only", &[b""], Some(Identity)),
            ("only commas: identity only", &[b" , ,"], Some(Identity)),
            ("gzip", &[b"gzip"], Some(Gzip)),
            ("br", &[b"br"], Some(Brotli)),
            ("tie goes to gzip", &[b"gzip, br"], Some(Gzip)),
            ("tie goes to gzip, either order", &[b"br, gzip"], Some(Gzip)),
            ("tie goes to br over identity", &[b"identity, br"], Some(Brotli)),
            ("tie goes to gzip over identity", &[b"identity, gzip"], Some(Gzip)),
            ("a typical browser", &[b"gzip, deflate, br, zstd"], Some(Gzip)),
            ("br ranked higher", &[b"gzip;q=0.9, br"], Some(Brotli)),
            ("weights beat preference", &[b"br;q=0.5, gzip"], Some(Gzip)),
            ("three decimals", &[b"gzip;q=0.999, br;q=0.998"], Some(Gzip)),
            ("q=1.000", &[b"gzip;q=1.000, br;q=0.999"], Some(Gzip)),
            ("q=1. and q=0.", &[b"gzip;q=1., br;q=0."], Some(Gzip)),
            ("identity weighted highest", &[b"identity, gzip;q=0.5"], Some(Identity)),
            ("names are case-insensitive", &[b"GZIP, Br;q=0.5"], Some(Gzip)),
            ("q is case-insensitive", &[b"gzip;Q=0.5, br;q=0.4"], Some(Gzip)),
            ("x-gzip is gzip", &[b"x-gzip"], Some(Gzip)),
            ("X-GZIP is gzip", &[b"X-GZIP;q=0.7, br;q=0.6"], Some(Gzip)),
            ("whitespace around parts", &[b" gzip ; q=0.5 ,\tbr\t;\tq=0.6 "], Some(Brotli)),
            ("several lines", &[b"gzip;q=0.5", b"br;q=0.6"], Some(Brotli)),
            ("duplicate keeps the highest", &[b"gzip;q=0, gzip;q=0.8, br;q=0.7"], Some(Gzip)),
            ("duplicate keeps the highest, either order", &[b"gzip;q=0.8, gzip;q=0, br;q=0.7"], Some(Gzip)),
            ("x-gzip and gzip are one coding", &[b"gzip;q=0.2, x-gzip;q=0.9, br;q=0.5"], Some(Gzip)),
            ("unknown parameters are skipped", &[b"gzip;level=9"], Some(Gzip)),
            ("unknown codings are skipped", &[b"deflate, zstd"], Some(Identity)),
            // star
            ("star: every coding at q=1", &[b"*"], Some(Gzip)),
            ("star fills the unlisted", &[b"br;q=0, *"], Some(Gzip)),
            ("star below a listed coding", &[b"gzip, *;q=0.1"], Some(Gzip)),
            ("star covers identity", &[b"gzip;q=0.5, *;q=0.9"], Some(Brotli)),
            ("star weight reaches identity", &[b"br;q=0, gzip;q=0, *;q=0.3"], Some(Identity)),
            // q=0 and identity
            ("gzip refused: identity", &[b"gzip;q=0"], Some(Identity)),
            ("q=0.000 refuses", &[b"gzip;q=0.000"], Some(Identity)),
            ("identity refused, gzip listed", &[b"identity;q=0, gzip"], Some(Gzip)),
            ("identity refused, nothing else", &[b"identity;q=0"], None),
            ("identity refused, unknown coding", &[b"zstd, identity;q=0"], None),
            ("star refused: nothing", &[b"*;q=0"], None),
            ("star refused, identity listed", &[b"*;q=0, identity"], Some(Identity)),
            ("star refused, identity weighted", &[b"identity;q=0.5, *;q=0"], Some(Identity)),
            ("star and identity refused", &[b"*;q=0, identity;q=0"], None),
            ("explicit low q beats implicit identity", &[b"gzip;q=0.001"], Some(Gzip)),
            ("implicit identity beats nothing", &[b"deflate"], Some(Identity)),
            // invalid elements are ignored, the rest still counts
            ("q above 1", &[b"gzip;q=1.5"], Some(Identity)),
            ("q=1.001", &[b"gzip;q=1.001, br;q=0.5"], Some(Brotli)),
            ("four decimals", &[b"gzip;q=0.1234"], Some(Identity)),
            ("no leading digit", &[b"gzip;q=.5"], Some(Identity)),
            ("empty q", &[b"gzip;q="], Some(Identity)),
            ("q without =", &[b"gzip;q"], Some(Identity)),
            ("negative q", &[b"gzip;q=-1"], Some(Identity)),
            ("q=2", &[b"gzip;q=2"], Some(Identity)),
            ("q with a letter", &[b"gzip;q=0.5x"], Some(Identity)),
            ("invalid q=0 does not refuse", &[b"identity;q=0.0000"], Some(Identity)),
            ("invalid element beside a valid one", &[b"br;q=abc, gzip;q=0.2"], Some(Gzip)),
            ("name that is not a token", &[b"g\"zip\""], Some(Identity)),
            ("name with a space", &[b"gz ip"], Some(Identity)),
            ("parameters without a name", &[b";q=0.5"], Some(Identity)),
            ("obs-text", &[b"gzip\xe9, br"], Some(Brotli)),
            ("line of junk", &[b",,;;==;q=;"], Some(Identity)),
        ];
        for (what, lines, expected) in cases {
            assert_eq!(choose(&request(lines), ALL), *expected, "{what}");
        }
    }

    #[test]
    fn only_available_codings_are_chosen() {
        #[rustfmt::skip]
        let cases: &[(&str, Lines, &[Coding], Option<Coding>)] = &[
            ("nothing available", &[b"*"], &[], None),
            ("absent, no identity copy: any coding", &[], &[Gzip, Brotli], Some(Gzip)),
            ("absent, gzip only", &[], &[Gzip], Some(Gzip)),
            ("gzip wanted, identity only", &[b"gzip"], &[Identity], Some(Identity)),
            ("br wanted, gzip and identity", &[b"br"], &[Identity, Gzip], Some(Identity)),
            ("identity wanted, gzip only", &[b"identity"], &[Gzip], None),
            ("empty field, gzip only", &[b""], &[Gzip], None),
            ("order of available does not matter", &[b"gzip, br"], &[Brotli, Gzip], Some(Gzip)),
            ("duplicates in available", &[b"gzip"], &[Gzip, Gzip, Identity], Some(Gzip)),
        ];
        for (what, lines, available, expected) in cases {
            assert_eq!(choose(&request(lines), available), *expected, "{what}");
        }
    }

    #[test]
    fn qvalues_follow_the_grammar() {
        #[rustfmt::skip]
        let cases: &[(&[u8], Option<Weight>)] = &[
            (b"0", Some(0)), (b"0.", Some(0)), (b"0.0", Some(0)), (b"0.000", Some(0)),
            (b"0.5", Some(500)), (b"0.05", Some(50)), (b"0.005", Some(5)), (b"0.123", Some(123)),
            (b"0.999", Some(999)), (b"1", Some(1000)), (b"1.", Some(1000)), (b"1.000", Some(1000)),
            (b"", None), (b".5", None), (b"0.1234", None), (b"1.001", None), (b"1.1", None),
            (b"2", None), (b"01", None), (b"0,5", None), (b"0.5 ", None), (b"-0", None),
            (b"+1", None), (b"0.a", None), (b"1e0", None),
        ];
        for (text, expected) in cases {
            assert_eq!(
                parse_qvalue(text),
                *expected,
                "{:?}",
                String::from_utf8_lossy(text)
            );
        }
    }

    fn any_available() -> impl Strategy<Value = Vec<Coding>> {
        prop::collection::vec(prop::sample::select(ALL.to_vec()), 0..4)
    }

    proptest! {
        #[test]
        fn never_panics_on_arbitrary_bytes(
            lines in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..64), 0..4),
            available in any_available(),
        ) {
            let mut headers = HeaderMap::new();
            for line in lines {
                if let Ok(value) = HeaderValue::from_bytes(&line) {
                    headers.append(ACCEPT_ENCODING, value);
                }
            }
            if let Some(coding) = choose(&headers, &available) {
                prop_assert!(available.contains(&coding));
            }
        }

        #[test]
        fn never_panics_on_near_miss_syntax(
            lines in prop::collection::vec("[ \t,;=qQ01.*a-z\\-]{0,40}", 0..4),
            available in any_available(),
        ) {
            let lines: Vec<&[u8]> = lines.iter().map(|line| line.as_bytes()).collect();
            if let Some(coding) = choose(&request(&lines), &available) {
                prop_assert!(available.contains(&coding));
            }
        }

        #[test]
        fn identity_is_refused_only_explicitly(
            lines in prop::collection::vec("[ \t,;=qQ01.*a-z\\-]{0,40}", 0..4),
        ) {
            let lines: Vec<&[u8]> = lines.iter().map(|line| line.as_bytes()).collect();
            let refused = choose(&request(&lines), &[Identity]).is_none();
            let mut text = lines.concat().to_ascii_lowercase();
            text.retain(|&b| b != b' ' && b != b'\t');
            prop_assert!(!refused || text.windows(3).any(|w| w == b"q=0"));
        }
    }
}
