//! File names -> slugs, and slugs + dates -> the permalinks the live site published.
//!
//! Owns the site generator's path sanitizer, character for character, and the expansion of the
//! `permalink` pattern against a language's base URL. Pure: no disk, no config file.

use chrono::{DateTime, Datelike, FixedOffset};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use unicode_general_category::{GeneralCategory, get_general_category};
use url::Url;

/// The slug the site derived from a file stem: letters, digits and combining marks of any
/// script, `.`, `_`, `#`, `+`, `~` and `%XX` escapes kept; a run of `-` or whitespace between
/// two kept characters becomes one `-`; every other character is dropped; lower-cased.
pub fn slugify(stem: &str) -> String {
    let mut out = String::with_capacity(stem.len());
    let mut pending_dash = false;
    let mut chars = stem.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let kept = if c == '%' {
            let escape = stem.get(at + 1..at + 3);
            match escape {
                Some(hex) if hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    chars.next();
                    chars.next();
                    Some(&stem[at..at + 3])
                }
                _ => None,
            }
        } else if is_kept(c) {
            Some(&stem[at..at + c.len_utf8()])
        } else {
            if c == '-' || c.is_whitespace() {
                pending_dash = true;
            }
            None
        };
        if let Some(kept) = kept {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            for k in kept.chars() {
                out.extend(k.to_lowercase());
            }
        }
    }
    out
}

fn is_kept(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '#' | '+' | '~');
    }
    is_letter_digit_or_mark(c)
}

/// A letter, a decimal digit or a mark (Go's `unicode.IsLetter`, `IsDigit` and `IsMark`,
/// which Hugo keeps): the categories L*, Nd and M*.
pub fn is_letter_digit_or_mark(c: char) -> bool {
    use GeneralCategory as G;
    matches!(
        get_general_category(c),
        G::UppercaseLetter
            | G::LowercaseLetter
            | G::TitlecaseLetter
            | G::ModifierLetter
            | G::OtherLetter
            | G::DecimalNumber
            | G::NonspacingMark
            | G::SpacingMark
            | G::EnclosingMark
    )
}

/// Characters percent-encoded in a permalink's path: everything outside ASCII, plus what
/// would end or break the path (`#`, `?`, space, controls).
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'#')
    .add(b'?');

/// Expands `pattern` (`:year`, `:month`, `:day`, `:slug`, `:section`, `:lang`) against
/// `base`, the date in its own offset.
pub fn permalink(
    base: &Url,
    pattern: &str,
    date: &DateTime<FixedOffset>,
    slug: &str,
    section: &str,
    lang: &str,
) -> String {
    let mut path = String::with_capacity(pattern.len() + slug.len() + 8);
    let mut rest = pattern;
    while let Some(colon) = rest.find(':') {
        path.push_str(&rest[..colon]);
        let after = &rest[colon + 1..];
        let name_len = after
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(after.len());
        let (name, tail) = after.split_at(name_len);
        match name {
            "year" => path.push_str(&format!("{:04}", date.year())),
            "month" => path.push_str(&format!("{:02}", date.month())),
            "day" => path.push_str(&format!("{:02}", date.day())),
            "slug" | "filename" => path.push_str(slug),
            "section" => path.push_str(section),
            "lang" => path.push_str(lang),
            _ => {
                path.push(':');
                path.push_str(name);
            }
        }
        rest = tail;
    }
    path.push_str(rest);
    on_base(base, &path)
}

/// The site path `path` under `base`, percent-encoded as a permalink is.
pub fn on_base(base: &Url, path: &str) -> String {
    let encoded: String = utf8_percent_encode(path.trim_start_matches('/'), PATH).collect();
    let mut url = base.as_str().to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    url.push_str(&encoded);
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_give_the_slugs_the_site_published() {
        let cases = [
            ("Team-gets-a-new-CEO", "team-gets-a-new-ceo"),
            ("advice:-working-with-us", "advice-working-with-us"),
            ("how-we’re-planning", "how-were-planning"),
            ("guide-:-step-one", "guide-step-one"),
            ("-‘a-quote’:-then-more ", "a-quote-then-more"),
            ("recalls-&-alerts", "recalls-alerts"),
            (
                "sur l’écart-[numérique]-des-genres:-entrevue",
                "sur-lécart-numérique-des-genres-entrevue",
            ),
            ("5-conseils-pour-réussir", "5-conseils-pour-réussir"),
            ("l’équipe", "léquipe"),
            ("-‘a-percentage’", "a-percentage"),
            ("are-you-our-next-lead?", "are-you-our-next-lead"),
            ("c++_and_c#.notes~v2", "c++_and_c#.notes~v2"),
            ("100%25-done", "100%25-done"),
            ("50%-off", "50-off"),
            ("a — b", "a-b"),
            ("a—b", "ab"),
            ("---", ""),
            ("ÉTÉ  Été", "été-été"),
            ("e\u{301}te\u{301}", "e\u{301}te\u{301}"),
            ("x²", "x"),
        ];
        for (stem, slug) in cases {
            assert_eq!(slugify(stem), slug, "{stem}");
        }
    }

    #[test]
    fn permalinks_follow_the_pattern_in_the_post_offset() -> Result<(), Box<dyn std::error::Error>>
    {
        let base = Url::parse("https://numerique.example.ca/")?;
        let date = DateTime::parse_from_rfc3339("2019-03-01T22:30:00-05:00")?;
        let url = permalink(
            &base,
            "/:year/:month/:day/:slug/",
            &date,
            "sur-lécart-numérique-des-genres-entrevue",
            "blog",
            "fr",
        );
        assert_eq!(
            url,
            "https://numerique.example.ca/2019/03/01/sur-l%C3%A9cart-num%C3%A9rique-des-genres-entrevue/"
        );
        let nested = Url::parse("https://example.ca/site/")?;
        assert_eq!(
            permalink(&nested, "/:lang/:section/:slug", &date, "a#b", "blog", "en"),
            "https://example.ca/site/en/blog/a%23b"
        );
        Ok(())
    }

    /// Found by the `permalinks` fuzz target: a stem of control characters and `#` keeps the
    /// `#` (the site's sanitizer does), which the URL then percent-encodes.
    #[test]
    fn a_kept_hash_never_starts_a_fragment() -> Result<(), url::ParseError> {
        let slug = slugify("\n\u{e}\n#");
        assert_eq!(slug, "#");
        let base = Url::parse("https://digital.example.ca/")?;
        let date = DateTime::parse_from_rfc3339("2024-03-05T10:00:00-05:00")
            .map_err(|_| url::ParseError::EmptyHost)?;
        let link = permalink(
            &base,
            "/:year/:month/:day/:slug/",
            &date,
            &slug,
            "blog",
            "en",
        );
        assert_eq!(link, "https://digital.example.ca/2024/03/05/%23/");
        assert_eq!(Url::parse(&link)?.fragment(), None);
        Ok(())
    }

    proptest::proptest! {
        #[test]
        fn slugs_are_stable_and_free_of_separators_at_the_ends(stem in "\\PC{0,80}") {
            let slug = slugify(&stem);
            proptest::prop_assert!(!slug.starts_with('-') && !slug.ends_with('-'));
            proptest::prop_assert!(!slug.contains("--"));
            proptest::prop_assert!(!slug.contains(char::is_whitespace));
            proptest::prop_assert_eq!(slugify(&slug), slug.clone());
        }
    }
}
