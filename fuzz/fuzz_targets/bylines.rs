//! Bylines: any text gives people whose slugs are `[a-z0-9-]+` (they become feed paths) and
//! whose names are trimmed and not empty.
#![no_main]

use libfuzzer_sys::fuzz_target;
use syndic::corpus::people;

fuzz_target!(|text: &str| {
    for person in people::parse_byline(text) {
        assert!(!person.slug.is_empty(), "empty slug from {text:?}");
        assert!(
            person
                .slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "slug {:?} from {text:?}",
            person.slug
        );
        assert!(!person.name.is_empty(), "empty name from {text:?}");
        assert_eq!(
            person.name.trim(),
            person.name,
            "untrimmed name from {text:?}"
        );
    }
    let slug = syndic::text::person_slug(text);
    assert!(
        slug.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
        "slug {slug:?} from {text:?}"
    );
});
