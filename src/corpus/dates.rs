//! Date text -> a point in time with the offset it was written in.
//!
//! Owns the four date forms of the corpus (RFC 3339 UTC, quoted UTC, `YYYY-MM-DD HH:MM:SS -0400`,
//! no offset = the site's zone with daylight saving) plus the forms a static site generator also
//! accepts (date only, offsets with a colon), and the date at the start of a file name.

use chrono::{
    DateTime, Datelike, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeZone,
};
use chrono_tz::Tz;

/// A date that fits no known form, or that no feed can carry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error(
        "`{0}` is not a date syndic understands (use e.g. 2021-01-11T23:27:37Z, \
         '2018-03-09 09:00:00 -0400' or '2023-10-03T10:53:35')"
    )]
    Form(String),
    #[error(
        "`{0}` is a date no feed can carry: the year must be 0001 to 9999 and the offset \
         -14:00 to +14:00 (what time zones use)"
    )]
    Range(String),
    /// A form the site's generator does not read: syndic refuses it rather than guess.
    #[error(
        "`{text}` is not a date {generator} reads ({why}): write it as e.g. \
         2024-08-15T10:00:00-04:00 or 2024-08-15"
    )]
    Generator {
        text: String,
        generator: &'static str,
        why: &'static str,
    },
}

const WITH_OFFSET: &[&str] = &[
    "%Y-%m-%d %H:%M:%S%.f %z",
    "%Y-%m-%d %H:%M:%S%.f%z",
    "%Y-%m-%dT%H:%M:%S%.f %z",
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M%z",
    "%Y-%m-%dT%H:%M%z",
    "%Y-%m-%d %H:%M %z",
];

const WITHOUT_OFFSET: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
];

/// Parses a front matter date. Text without an offset is local time in `zone`.
///
/// The year, in the date's own offset, must be 0001 to 9999, and the offset within 14 hours
/// of UTC: what every format can write. RFC 3339 and RFC 2822 take four-digit years only
/// (chrono reads signed and five-digit ones, `-0001-01-01`, `+10000-01-01`, and the RSS writer
/// panics on them); Atom's dates are also `xsd:dateTime` (RFC 4287's schema), which has no
/// year 0000 and no offset past 14:00. No time zone uses one (they run from -12:00 to +14:00).
pub fn parse(text: &str, zone: Tz) -> Result<DateTime<FixedOffset>, DateError> {
    parse_as(text, zone, Clock::Syndic)
}

/// [`parse`], reading a local time that a clock change skips or repeats as `clock` does.
pub fn parse_as(text: &str, zone: Tz, clock: Clock) -> Result<DateTime<FixedOffset>, DateError> {
    let date = parse_any_year(text, zone, clock)?;
    let offset = date.offset().local_minus_utc().unsigned_abs();
    if (1..=9999).contains(&date.year()) && offset <= MOST_OFFSET_SECONDS {
        Ok(date)
    } else {
        Err(DateError::Range(text.trim().to_string()))
    }
}

/// The largest offset from UTC a date may have: 14 hours.
const MOST_OFFSET_SECONDS: u32 = 14 * 3600;

fn parse_any_year(text: &str, zone: Tz, clock: Clock) -> Result<DateTime<FixedOffset>, DateError> {
    let trimmed = text.trim().trim_matches(['\'', '"']).trim();
    let err = || DateError::Form(text.trim().to_string());
    if trimmed.len() < 10 || trimmed.len() > 40 {
        return Err(err());
    }
    // `Z` and `z` mean UTC; chrono's `%z` wants a number.
    let normalized;
    let candidate = match trimmed.strip_suffix(['Z', 'z']) {
        Some(rest) => {
            normalized = format!("{rest}+0000");
            normalized.as_str()
        }
        None => trimmed,
    };
    if let Ok(date) = DateTime::parse_from_rfc3339(trimmed) {
        return Ok(date);
    }
    for format in WITH_OFFSET {
        if let Ok(date) = DateTime::parse_from_str(candidate, format) {
            return Ok(date);
        }
    }
    for format in WITHOUT_OFFSET {
        if let Ok(naive) = NaiveDateTime::parse_from_str(trimmed, format) {
            return Ok(in_zone_as(naive, zone, clock));
        }
    }
    if let Ok(day) = NaiveDate::parse_from_str(trimmed, "%Y-%m-%d") {
        return Ok(in_zone_as(day.and_time(NaiveTime::MIN), zone, clock));
    }
    Err(err())
}

/// How a local time that a clock change skips (a spring gap) or repeats (an autumn hour) is
/// read: each generator's language has its own rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// syndic's own layout: a repeated hour's first time; a skipped time read with the offset
    /// in force before the change (02:30 in a spring gap is 03:30 daylight time).
    Syndic,
    /// Go's `time.Date` (Hugo): a repeated hour's first time; a skipped time read with the
    /// offset in force after the change (02:30 is 01:30 standard time, an hour earlier).
    Go,
    /// Ruby's `Time` (Jekyll): a repeated hour's second time (standard time); a skipped time
    /// as syndic's own (03:30 daylight time).
    Ruby,
}

/// Local time in `zone`, as syndic's own layout reads it ([`Clock::Syndic`]).
pub fn in_zone(naive: NaiveDateTime, zone: Tz) -> DateTime<FixedOffset> {
    in_zone_as(naive, zone, Clock::Syndic)
}

/// Local time in `zone`, a skipped or repeated time read as `clock` does.
pub fn in_zone_as(naive: NaiveDateTime, zone: Tz, clock: Clock) -> DateTime<FixedOffset> {
    match zone.from_local_datetime(&naive) {
        LocalResult::Single(date) => date.fixed_offset(),
        LocalResult::Ambiguous(first, second) => match clock {
            Clock::Ruby => second.fixed_offset(),
            Clock::Syndic | Clock::Go => first.fixed_offset(),
        },
        LocalResult::None => {
            // The offset before the change (three hours earlier), or after it (three later).
            let hours = if clock == Clock::Go { 3 } else { -3 };
            let beside = naive + chrono::Duration::hours(hours);
            let offset = match zone.from_local_datetime(&beside) {
                LocalResult::Single(d) | LocalResult::Ambiguous(d, _) => d.offset().fix(),
                LocalResult::None => chrono::Utc.fix(),
            };
            let utc = naive - chrono::Duration::seconds(i64::from(offset.local_minus_utc()));
            zone.from_utc_datetime(&utc).fixed_offset()
        }
    }
}

/// The date at the start of a file stem (`2021-01-11-some-post`) and the rest of the stem.
pub fn from_file_stem(stem: &str) -> Option<(NaiveDate, &str)> {
    let head = stem.get(..10)?;
    let date = NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()?;
    let rest = &stem[10..];
    let rest = rest.strip_prefix(['-', '_', ' ']).unwrap_or(rest);
    if rest.is_empty() || !stem.is_char_boundary(10) {
        return None;
    }
    Some((date, rest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::Toronto;

    #[test]
    fn every_form_of_the_corpus() -> Result<(), DateError> {
        let cases = [
            // form, zone, expected RFC 3339 in the post's own offset
            (
                "2021-01-11T23:27:37.170Z",
                Toronto,
                "2021-01-11T23:27:37.170+00:00",
            ),
            (
                "'2022-10-06T12:00:00.000Z'",
                Toronto,
                "2022-10-06T12:00:00+00:00",
            ),
            (
                "2018-03-09 09:00:00 -0400",
                Toronto,
                "2018-03-09T09:00:00-04:00",
            ),
            ("2023-10-03T10:53:35", Toronto, "2023-10-03T10:53:35-04:00"),
            ("2023-01-03T10:53:35", Toronto, "2023-01-03T10:53:35-05:00"),
            (
                "2023-10-03T10:53:35",
                chrono_tz::UTC,
                "2023-10-03T10:53:35+00:00",
            ),
            // forms the generator also accepts
            ("2020-05-01", chrono_tz::UTC, "2020-05-01T00:00:00+00:00"),
            (
                "2020-05-01T08:00:00+02:00",
                Toronto,
                "2020-05-01T08:00:00+02:00",
            ),
            (
                "2020-05-01 08:00:00+0530",
                Toronto,
                "2020-05-01T08:00:00+05:30",
            ),
            (
                "2020-05-01 08:00",
                chrono_tz::UTC,
                "2020-05-01T08:00:00+00:00",
            ),
            (
                "  \"2019-12-31T23:59:59z\" ",
                Toronto,
                "2019-12-31T23:59:59+00:00",
            ),
            // daylight saving edges in Toronto: the repeated hour, the skipped hour
            ("2023-11-05T01:30:00", Toronto, "2023-11-05T01:30:00-04:00"),
            ("2023-03-12T02:30:00", Toronto, "2023-03-12T03:30:00-04:00"),
        ];
        for (text, zone, expected) in cases {
            let got = parse(text, zone)?;
            let want = DateTime::parse_from_rfc3339(expected)
                .map_err(|_| DateError::Form(expected.into()))?;
            assert_eq!(got, want, "{text}");
            assert_eq!(got.offset(), want.offset(), "{text}");
        }
        Ok(())
    }

    #[test]
    fn what_is_not_a_date_is_an_error() {
        for text in [
            "next tuesday",
            "",
            "2021-13-01",
            "2021-02-30T10:00:00Z",
            "11/01/2021",
            "2021-01-11T25:00:00Z",
            "2021-01-11T10:00:00 +9999",
            "2021-01-11T10:00:00 Eastern",
        ] {
            assert!(parse(text, Toronto).is_err(), "accepted {text:?}");
        }
    }

    #[test]
    fn years_outside_0001_to_9999_and_offsets_past_14_hours_are_errors() {
        for text in [
            "262143-12-31",
            "-262144-01-01",
            "+262143-12-31T23:59:59",
            "+262143-12-31T23:59:59-23:59",
        ] {
            assert!(parse(text, Toronto).is_err(), "accepted {text:?}");
        }
        for text in [
            "-0001-01-01",
            "'-0001-01-01T00:00:00'",
            "+10000-01-01",
            "'+10000-01-01 00:00'",
            "0000-01-01T00:00:00Z",
            "'0000-06-01'",
            "'9999-12-31T23:59:59-23:59'",
            "2024-05-01T10:00:00+14:01",
            "'2024-05-01 10:00:00 -1401'",
        ] {
            let err = parse(text, Toronto).map_err(|e| e.to_string());
            assert!(
                matches!(&err, Err(message) if message.contains("no feed can carry")),
                "{text:?}: {err:?}"
            );
        }
        for text in [
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "2024-05-01T10:00:00+14:00",
            "'2024-05-01 10:00:00 -1400'",
        ] {
            assert!(parse(text, Toronto).is_ok(), "refused {text:?}");
        }
    }

    #[test]
    fn file_names_may_start_with_a_date() {
        let day = NaiveDate::from_ymd_opt(2021, 1, 11);
        assert_eq!(
            from_file_stem("2021-01-11-some-post").map(|(d, r)| (Some(d), r)),
            Some((day, "some-post"))
        );
        assert_eq!(from_file_stem("2021-01-11"), None);
        assert_eq!(from_file_stem("2021-1-11-x"), None);
        assert_eq!(from_file_stem("some-post"), None);
        assert_eq!(from_file_stem("2021-01-1é-x"), None);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(text in "\\PC{0,60}") {
            let _ = parse(&text, Toronto);
            let _ = from_file_stem(&text);
        }

        #[test]
        fn round_trips_rfc3339(secs in -62_000_000_000i64..250_000_000_000i64, off in -86_000i32..86_000) {
            if let (Some(offset), Some(utc)) = (FixedOffset::east_opt(off / 60 * 60), DateTime::from_timestamp(secs, 0)) {
                let date = utc.with_timezone(&offset);
                let text = date.to_rfc3339();
                if date.format("%Y").to_string().len() == 4 && date.year() >= 1 {
                    if off.unsigned_abs() / 60 * 60 <= MOST_OFFSET_SECONDS {
                        proptest::prop_assert_eq!(parse(&text, Toronto), Ok(date));
                    } else {
                        proptest::prop_assert_eq!(parse(&text, Toronto), Err(DateError::Range(text)));
                    }
                }
            }
        }
    }
}
