//! Permalinks: any file stem gives a slug with no `/`, `?`, whitespace or control character
//! (`#` is one the site keeps), and the permalink built from it is a URL that parses, on the
//! site's host, with no query and no fragment (a kept `#` is percent-encoded).
#![no_main]

use chrono::{FixedOffset, TimeZone};
use libfuzzer_sys::fuzz_target;
use syndic::corpus::permalink;

fuzz_target!(|stem: &str| {
    let slug = permalink::slugify(stem);
    assert!(
        !slug
            .chars()
            .any(|c| c == '/' || c == '?' || c.is_whitespace() || c.is_control()),
        "slug {slug:?} from {stem:?}"
    );
    let Ok(base) = url::Url::parse("https://digital.example.ca/") else {
        return;
    };
    let Some(date) = FixedOffset::east_opt(-5 * 3600)
        .and_then(|zone| zone.with_ymd_and_hms(2024, 3, 5, 10, 0, 0).single())
    else {
        return;
    };
    let link = permalink::permalink(
        &base,
        "/:year/:month/:day/:slug/",
        &date,
        &slug,
        "blog",
        "en",
    );
    let parsed = url::Url::parse(&link).unwrap_or_else(|e| panic!("{link:?} from {stem:?}: {e}"));
    assert_eq!(parsed.host_str(), Some("digital.example.ca"), "{link:?}");
    assert_eq!(parsed.query(), None, "{link:?} from {stem:?}");
    assert_eq!(parsed.fragment(), None, "{link:?} from {stem:?}");
});
