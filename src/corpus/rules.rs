//! Each site generator's rules for a post's slug, date and permalink (`[posts] generator`),
//! as Hugo 0.111.3, Jekyll 4.3.1 and Eleventy 3.1.8 publish them (checked against their own
//! output in `tests/fixtures/generators/`).
//!
//! Owns: the slug functions of each generator, the date forms each one reads and the zone
//! each one reads dates without an offset in, the file-name date, the permalink tokens and
//! their meaning per generator, and the front-matter overrides (`url:`, `permalink:`, `slug:`).
//! Pure: no disk.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, Timelike};
use std::sync::LazyLock;

use chrono_tz::Tz;
use regex::Regex;
use serde_norway::Value;
use url::Url;

/// How a `translationKey` made from a Hugo post's file name begins (`file:posts/welcome`): the
/// translations by name that Hugo joins, which promise no partner.
pub const FILE_KEY: &str = "file:";

use super::frontmatter::{FrontMatter, scalar_text};
use super::permalink::is_letter_digit_or_mark;
use super::{dates, permalink};
use crate::config::{DateFrom, DateZone, Generator, Layout};

/// Hugo's path of a title, `slug:` or file name (`urlize`, as Hugo 0.111.3 makes `:slug`,
/// `:title` and `:filename`): `%XX` escapes read first; letters, digits and marks kept (accents
/// too) with `. / \ _ # ~ - @`; white space runs one `-`, never doubling an explicit `-`
/// beside it (`a - b` is `a-b`, but `a--b` stays); `+` is `-` (a run of `+` and `-` holding a
/// `+` keeps its `-`, or is one `-`: `c++` is `c-`, `a-+-b` is `a--b`); everything else
/// dropped (`’ ? : & ! ( ) « »`); lower case. Hugo trims a `slug:` of `-` at both ends
/// before (see [`Tokens::slug`]); a title or a file name keeps them.
pub fn hugo_slug(text: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(text).decode_utf8_lossy();
    let mut sanitized = String::with_capacity(decoded.len());
    let (mut pending, mut was_hyphen) = (false, false);
    for c in decoded.chars() {
        let allowed = ".\\/_#+~-@".contains(c) || is_letter_digit_or_mark(c);
        if allowed {
            was_hyphen = c == '-';
            if pending && !was_hyphen {
                sanitized.push('-');
            }
            pending = false;
            sanitized.extend(c.to_lowercase());
        } else if !sanitized.is_empty() && !was_hyphen && c.is_whitespace() {
            pending = true;
        }
    }
    // `+` runs: each run of `+` and `-` that holds a `+` keeps its `-`, or becomes one `-`.
    let mut out = String::with_capacity(sanitized.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.contains('+') {
            let hyphens = run.matches('-').count().max(1);
            out.extend(std::iter::repeat_n('-', hyphens));
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in sanitized.chars() {
        if c == '+' || c == '-' {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// The path of a Hugo taxonomy term's page (`/tags/<this>/`): Hugo's `urlize` of the term,
/// lower case. Letters, digits and marks of any script (accents kept), `.`, `_`, `+`, `~`,
/// `@` and `-` are kept as written (`a--b` stays so, a leading `-` too), a run of spaces after a
/// kept character is one `-` (none after a `-`), everything else is dropped: `Q&A` -> `qa`,
/// `Café Culture` -> `café-culture`. Where Hugo keeps what cannot be in one file's name (`/`,
/// `\`, `#`, a `%XX` escape) it is dropped here, and so are leading dots: a feed of its own is
/// one file.
pub fn hugo_term_slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut space, mut was_dash) = (false, false);
    for c in text.chars() {
        let kept = matches!(c, '.' | '_' | '+' | '~' | '-' | '@') || is_letter_digit_or_mark(c);
        if kept {
            if c == '.' && out.is_empty() {
                continue;
            }
            was_dash = c == '-';
            if space && !was_dash {
                out.push('-');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() && !out.is_empty() && !was_dash {
            space = true;
        }
    }
    out
}

/// Jekyll's `slugify`: every run of characters other than letters, marks and digits (and, in
/// `pretty` mode, `._~!$&'()+,;=@`) becomes one `-`, none at either end; folded to lower case
/// unless `cased`.
pub fn jekyll_slug(text: &str, pretty: bool, cased: bool) -> String {
    let kept =
        |c: char| c.is_alphanumeric() || is_mark(c) || (pretty && "._~!$&'()+,;=@".contains(c));
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if kept(c) {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            if cased {
                out.push(c);
            } else {
                out.extend(c.to_lowercase());
            }
        } else {
            dash = true;
        }
    }
    out
}

fn is_mark(c: char) -> bool {
    use unicode_general_category::{GeneralCategory as G, get_general_category};
    matches!(
        get_general_category(c),
        G::NonspacingMark | G::SpacingMark | G::EnclosingMark
    )
}

/// The Latin letters Eleventy's `slugify` (`@sindresorhus/transliterate`) writes otherwise than
/// as their base letter: German's two-letter forms, and the letters with no decomposition.
const LATIN_SPELLED: &[(char, &str)] = &[
    ('ß', "ss"),
    ('ẞ', "Ss"),
    ('ä', "ae"),
    ('Ä', "Ae"),
    ('ö', "oe"),
    ('Ö', "Oe"),
    ('ü', "ue"),
    ('Ü', "Ue"),
    ('Æ', "AE"),
    ('æ', "ae"),
    ('Ð', "D"),
    ('ð', "d"),
    ('Ø', "O"),
    ('ø', "o"),
    ('Þ', "TH"),
    ('þ', "th"),
    ('Đ', "D"),
    ('đ', "d"),
    ('ı', "i"),
    ('ł', "l"),
    ('Ł', "L"),
    ('Ĳ', "IJ"),
    ('ĳ', "ij"),
    ('Ħ', "H"),
    ('ħ', "h"),
];

/// Eleventy's `slugify` filter (`@sindresorhus/slugify` 2, without decamelizing): `&` to
/// ` and `; Latin letters to ASCII as that library spells them (`é` to `e`, `ü` to `ue`,
/// `ø` to `o`; `œ`, which it leaves, is dropped like any other character); other scripts
/// transliterated (`deunicode`, close to the library's tables); lower case; the `'` of a
/// word ending in `'s` or `'t` dropped (`it's` to `its`); every run of other characters one
/// `-`, none at the ends.
pub fn eleventy_slug(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut spelled = String::with_capacity(text.len());
    for c in text.nfc() {
        if c == '&' {
            spelled.push_str(" and ");
        } else if let Some((_, s)) = LATIN_SPELLED.iter().find(|(k, _)| *k == c) {
            spelled.push_str(s);
        } else if c.is_ascii() || is_latin(c) {
            // Accents go: the base letter, its marks dropped.
            spelled.extend(std::iter::once(c).nfd().filter(|m| !is_mark(*m)));
        } else if c.is_alphanumeric() {
            spelled.push_str(
                &deunicode::deunicode_char(c)
                    .unwrap_or(" ")
                    .replace(' ', "-"),
            );
        } else {
            spelled.push(' ');
        }
    }
    let lower = spelled.to_lowercase();
    // `it's` and `don't` lose their apostrophe where a space or the end follows.
    let chars: Vec<char> = lower.chars().collect();
    let mut kept = String::with_capacity(lower.len());
    for (i, c) in chars.iter().enumerate() {
        let contraction = *c == '\''
            && i > 0
            && chars[i - 1].is_ascii_alphanumeric()
            && matches!(chars.get(i + 1), Some('s' | 't'))
            && chars.get(i + 2).is_none_or(|n| n.is_whitespace());
        if !contraction {
            kept.push(*c);
        }
    }
    let mut out = String::with_capacity(kept.len());
    let mut dash = false;
    for c in kept.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    out
}

/// Whether `c` is a letter of the Latin blocks (Latin-1 to Latin Extended-B, and Latin
/// Extended Additional).
fn is_latin(c: char) -> bool {
    matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}')
}

/// Eleventy's older `slug` filter (the `slugify` package, lower case): `&` to `and`, `$ % < > |`
/// to words, letters transliterated to ASCII (`é` to `e`, `’` to `'`), other characters
/// dropped but `$*_+~.()'"!:@`, each run of spaces and `-` one `-`.
pub fn eleventy_legacy_slug(text: &str) -> String {
    let mut mapped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '$' => mapped.push_str("dollar"),
            '%' => mapped.push_str("percent"),
            '&' => mapped.push_str("and"),
            '<' => mapped.push_str("less"),
            '>' => mapped.push_str("greater"),
            '|' => mapped.push_str("or"),
            '-' => mapped.push(' '),
            c if c.is_ascii() => mapped.push(c),
            c => mapped.push_str(deunicode::deunicode_char(c).unwrap_or("")),
        }
    }
    let kept =
        |c: char| c.is_ascii_alphanumeric() || c.is_whitespace() || "$*_+~.()'\"!:@-".contains(c);
    let kept: String = mapped.chars().filter(|c| kept(*c)).collect();
    kept.split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
        .to_lowercase()
}

/// The date at the start of a file name: `YYYY-MM-DD-`, and for Jekyll also `YYYY-M-D-`;
/// with the rest of the name.
pub fn file_name_date(generator: Generator, stem: &str) -> Option<(NaiveDate, &str)> {
    if generator != Generator::Jekyll {
        return dates::from_file_stem(stem);
    }
    let mut parts = stem.splitn(4, '-');
    let (y, m, d, rest) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(y, 4, 4) || !digits(m, 1, 2) || !digits(d, 1, 2) || rest.is_empty() {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
    Some((date, rest))
}

/// A front-matter date as `generator` reads it. `quoted`: written in quotes in the YAML, a
/// string rather than a YAML timestamp. A form the generator does not read is an error
/// ([`dates::DateError::Generator`]): Hugo would publish it as the date 0001-01-01, Eleventy's
/// build would stop on it.
///
/// - Hugo reads the text alone, by Go's layouts ([`HUGO_FORMS`]); no offset: `zone`.
/// - Jekyll: an unquoted YAML timestamp ([`PSYCH_TIME`]) without an offset is UTC; any other
///   text is read as Ruby's `Time.parse` would (one- or two-digit offsets, month names,
///   `2024-8-5`), in `zone` when it has no offset.
/// - Eleventy: an unquoted YAML timestamp ([`JS_YAML_TIME`]), else ISO 8601 as Luxon's
///   `fromISO` reads it ([`LUXON_ISO`]); no offset: UTC.
pub fn front_matter_date(
    generator: Generator,
    text: &str,
    quoted: bool,
    zone: Tz,
) -> Result<DateTime<FixedOffset>, dates::DateError> {
    let trimmed = text.trim();
    let refused = |why: &'static str| dates::DateError::Generator {
        text: trimmed.to_string(),
        generator: generator.name(),
        why,
    };
    match generator {
        Generator::Hugo => {
            if let Ok(date) = DateTime::parse_from_rfc2822(trimmed) {
                return in_range(date, trimmed);
            }
            if !matches(&HUGO_FORMS, trimmed) {
                return Err(refused("Hugo publishes it as the date 0001-01-01"));
            }
            dates::parse_as(trimmed, zone, dates::Clock::Go)
        }
        Generator::Jekyll => {
            let zone = if !quoted && matches(&PSYCH_TIME, trimmed) {
                chrono_tz::UTC
            } else {
                zone
            };
            let full = with_full_offset(trimmed);
            match dates::parse_as(&full, zone, dates::Clock::Ruby) {
                Ok(date) => Ok(date),
                Err(e @ dates::DateError::Range(_)) => Err(e),
                Err(_) => ruby_time(trimmed, zone)
                    .ok_or_else(|| refused("Jekyll's build stops on it"))
                    .and_then(|date| in_range(date, trimmed)),
            }
        }
        Generator::Eleventy => {
            let keyword = trimmed.trim_matches(['"', '\'']);
            if [
                "Last Modified",
                "Created",
                "git Last Modified",
                "git Created",
            ]
            .iter()
            .any(|k| k.eq_ignore_ascii_case(keyword))
            {
                return Err(refused(
                    "Eleventy takes it from the file or from git; syndic reads written dates only",
                ));
            }
            let timestamp = !quoted && matches(&JS_YAML_TIME, trimmed);
            if !timestamp && !matches(&LUXON_ISO, trimmed) {
                return Err(refused("Eleventy's build stops on it"));
            }
            dates::parse(&with_full_offset(trimmed), chrono_tz::UTC)
        }
    }
}

fn in_range(
    date: DateTime<FixedOffset>,
    text: &str,
) -> Result<DateTime<FixedOffset>, dates::DateError> {
    dates::parse(&date.to_rfc3339(), chrono_tz::UTC)
        .map_err(|_| dates::DateError::Range(text.into()))
}

/// One regular expression of a date form; `None` never happens (the patterns are constants,
/// checked by the tests) and matches nothing.
type Form = LazyLock<Option<Regex>>;

fn matches(form: &Form, text: &str) -> bool {
    form.as_ref().is_some_and(|re| re.is_match(text))
}

/// The layouts Hugo 0.111.3 reads a front-matter date with (`cast.StringToDateInDefaultLocation`,
/// Go's `time.Parse`: fixed-width numbers, an optional fraction after the seconds); RFC 1123
/// (`Thu, 15 Aug 2024 10:00:00 -0400`) is read apart.
static HUGO_FORMS: Form = LazyLock::new(|| {
    Regex::new(concat!(
        r"^\d{4}-\d{2}-\d{2}(",
        r"T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}|[+-]\d{4})?",
        r"|( \d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{4}|[+-]\d{2}:\d{2}| [+-]\d{2}:\d{2}| [+-]\d{4})?)",
        r")?$"
    ))
    .ok()
});

/// Psych's timestamp (Ruby's YAML, `ScalarScanner::TIME`): what Jekyll gets as a `Time`.
static PSYCH_TIME: Form = LazyLock::new(|| {
    Regex::new(
        r"^-?\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d\d:\d\d(?:\.\d*)?(?:\s*(?:Z|[-+]\d{1,2}:?(?:\d\d)?))?$",
    )
    .ok()
});

/// js-yaml's timestamp (YAML 1.1, Eleventy's front matter): a date alone, or a date-time.
static JS_YAML_TIME: Form = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(\d{4}-\d{2}-\d{2}",
        r"|\d{4}-\d\d?-\d\d?(?:[Tt]|[ \t]+)\d\d?:\d\d:\d\d(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d\d?(?::\d\d)?))?)$"
    ))
    .ok()
});

/// ISO 8601 as Luxon's `DateTime.fromISO` reads it (Eleventy's dates written as strings):
/// `T` between date and time, the seconds optional, offsets `Z`, `+04:00`, `+0400`, `+04`.
static LUXON_ISO: Form = LazyLock::new(|| {
    Regex::new(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}([.,]\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$")
        .ok()
});

/// What Ruby's `Time.parse` makes of the forms `dates::parse` does not read: a date with
/// one-digit month or day (`2024-8-5`), RFC 2822, a month by name (`August 15, 2024`,
/// `15 August 2024`); midnight in `zone` for a date alone.
fn ruby_time(text: &str, zone: Tz) -> Option<DateTime<FixedOffset>> {
    let text = text.trim_matches(['"', '\'']).trim();
    if let Ok(date) = DateTime::parse_from_rfc2822(text) {
        return Some(date);
    }
    let loose_date = |t: &str| -> Option<NaiveDate> {
        let mut parts = t.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        let digits =
            |s: &str, n: usize| (1..=n).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
        if parts.next().is_some() || y.len() != 4 || !digits(y, 4) || !digits(m, 2) || !digits(d, 2)
        {
            return None;
        }
        NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    };
    let day = loose_date(text).or_else(|| {
        ["%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %d %Y"]
            .iter()
            .find_map(|format| NaiveDate::parse_from_str(text, format).ok())
    })?;
    Some(dates::in_zone_as(
        day.and_time(NaiveTime::MIN),
        zone,
        dates::Clock::Ruby,
    ))
}

/// `2024-08-15 10:00:00 -4` as `2024-08-15 10:00:00 -04:00`: a short offset written in full.
fn with_full_offset(text: &str) -> String {
    let trimmed = text.trim();
    let bytes = trimmed.as_bytes();
    let digits = bytes
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if !(1..=2).contains(&digits) || bytes.len() < digits + 12 {
        return trimmed.to_string();
    }
    let sign_at = bytes.len() - digits - 1;
    let sign = bytes[sign_at];
    let before = bytes[sign_at - 1];
    // After the seconds (a digit, or a space after them), never inside the date itself.
    if !matches!(sign, b'+' | b'-') || !(before.is_ascii_digit() || before == b' ') {
        return trimmed.to_string();
    }
    if !trimmed[..sign_at].contains(':') {
        return trimmed.to_string();
    }
    let hours = &trimmed[sign_at + 1..];
    format!("{}{}{:0>2}:00", &trimmed[..sign_at], sign as char, hours)
}

/// `date` in the zone `layout` shows dates in.
pub fn in_layout_zone(
    layout: &Layout,
    zone: Tz,
    date: DateTime<FixedOffset>,
) -> DateTime<FixedOffset> {
    match layout.date_zone {
        DateZone::Written => date,
        DateZone::Site => date.with_timezone(&zone).fixed_offset(),
        DateZone::Utc => date.with_timezone(&chrono::Utc).fixed_offset(),
    }
}

/// Midnight of a file name's date: in the site's zone (Hugo, Jekyll) or UTC (Eleventy).
pub fn file_date_at_midnight(
    generator: Generator,
    day: NaiveDate,
    zone: Tz,
) -> DateTime<FixedOffset> {
    let zone = if generator == Generator::Eleventy {
        chrono_tz::UTC
    } else {
        zone
    };
    dates::in_zone_as(day.and_time(NaiveTime::MIN), zone, clock(generator))
}

/// How `generator` reads a local time a clock change skips or repeats.
pub fn clock(generator: Generator) -> dates::Clock {
    match generator {
        Generator::Hugo => dates::Clock::Go,
        Generator::Jekyll => dates::Clock::Ruby,
        Generator::Eleventy => dates::Clock::Syndic,
    }
}

/// What a permalink pattern's tokens stand for, for one post.
pub struct Tokens<'a> {
    pub generator: Generator,
    pub date: &'a DateTime<FixedOffset>,
    pub title: &'a str,
    /// The front matter's `slug:`.
    pub slug: Option<&'a str>,
    /// The file's name without extension, language suffix and (where the generator drops it)
    /// date; a bundle's folder name.
    pub file_slug: &'a str,
    pub section: &'a str,
    pub lang: &'a str,
    pub categories: &'a [String],
}

impl Tokens<'_> {
    /// The post's slug: the value `:slug` stands for.
    pub fn slug(&self) -> String {
        match self.generator {
            // Hugo trims `-` off a `slug:`; an empty one leaves the title.
            Generator::Hugo => hugo_slug(
                self.slug
                    .map(|s| s.trim_matches('-'))
                    .filter(|s| !s.is_empty())
                    .unwrap_or(self.title),
            ),
            Generator::Jekyll => jekyll_slug(self.slug.unwrap_or(self.file_slug), false, false),
            Generator::Eleventy => eleventy_slug(self.file_slug),
        }
    }

    fn value(&self, name: &str) -> Option<String> {
        let d = self.date;
        Some(match name {
            "year" => format!("{:04}", d.year()),
            "short_year" => format!("{:02}", d.year() % 100),
            "month" => format!("{:02}", d.month()),
            "i_month" => d.month().to_string(),
            "day" => format!("{:02}", d.day()),
            "i_day" => d.day().to_string(),
            "hour" => format!("{:02}", d.hour()),
            "minute" => format!("{:02}", d.minute()),
            "second" => format!("{:02}", d.second()),
            // Jekyll's: `%b %B %G %V %u %a %A %j` of the date.
            "short_month" => d.format("%b").to_string(),
            "long_month" => d.format("%B").to_string(),
            "w_year" => d.format("%G").to_string(),
            "week" => d.format("%V").to_string(),
            "w_day" => d.format("%u").to_string(),
            "short_day" => d.format("%a").to_string(),
            "long_day" => d.format("%A").to_string(),
            "y_day" => d.format("%j").to_string(),
            "slug" => self.slug(),
            "title" => match self.generator {
                Generator::Hugo => hugo_slug(self.title),
                Generator::Jekyll => jekyll_slug(self.slug.unwrap_or(self.file_slug), true, true),
                Generator::Eleventy => eleventy_slug(self.title),
            },
            "legacy_slug" if self.generator == Generator::Eleventy => {
                eleventy_legacy_slug(self.file_slug)
            }
            "legacy_title" if self.generator == Generator::Eleventy => {
                eleventy_legacy_slug(self.title)
            }
            "filename" => match self.generator {
                Generator::Hugo => hugo_slug(self.file_slug),
                Generator::Jekyll | Generator::Eleventy => self.file_slug.to_string(),
            },
            "section" => self.section.to_string(),
            "lang" => self.lang.to_string(),
            "categories" => self
                .categories
                .iter()
                .map(|c| c.to_lowercase())
                .collect::<Vec<_>>()
                .join("/"),
            "output_ext" => ".html".to_string(),
            _ => return None,
        })
    }
}

/// Jekyll's named patterns, as Jekyll 4.3.1 expands them (`Configuration#style_to_permalink`).
fn named_pattern(generator: Generator, pattern: &str) -> &str {
    match (generator, pattern) {
        (Generator::Jekyll, "date") => "/:categories/:year/:month/:day/:title:output_ext",
        (Generator::Jekyll, "pretty") => "/:categories/:year/:month/:day/:title/",
        (Generator::Jekyll, "ordinal") => "/:categories/:year/:y_day/:title:output_ext",
        (Generator::Jekyll, "none") => "/:categories/:title:output_ext",
        (Generator::Jekyll, "weekdate") => "/:categories/:year/W:week/:short_day/:title:output_ext",
        _ => pattern,
    }
}

/// `pattern` expanded for `tokens`: tokens longest first (`:title` before a `:t...`), an
/// unknown one kept as written, empty segments dropped (no categories: no `//`).
pub fn expand(pattern: &str, tokens: &Tokens<'_>) -> String {
    let pattern = named_pattern(tokens.generator, pattern);
    let mut path = String::with_capacity(pattern.len() + 32);
    let mut rest = pattern;
    while let Some(colon) = rest.find(':') {
        path.push_str(&rest[..colon]);
        let after = &rest[colon + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let (name, tail) = after.split_at(len);
        match tokens.value(name) {
            Some(value) => path.push_str(&value),
            None => {
                path.push(':');
                path.push_str(name);
            }
        }
        rest = tail;
    }
    path.push_str(rest);
    let mut collapsed = String::with_capacity(path.len());
    for c in path.chars() {
        if !(c == '/' && collapsed.ends_with('/')) {
            collapsed.push(c);
        }
    }
    collapsed
}

/// The categories Jekyll gives a post: the folders above `_posts/`, then the front matter's
/// `categories` (a list, or words separated by spaces) and `category`.
pub fn jekyll_categories(path: &str, fm: &FrontMatter) -> Vec<String> {
    let Some(Value::Sequence(items)) = jekyll_category_value(path, fm) else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for text in items.iter().filter_map(scalar_text) {
        if !text.is_empty() && !out.contains(&text) {
            out.push(text);
        }
    }
    out
}

/// [`jekyll_categories`] as one list, its items as written (a nested list among them, for the
/// reader of terms to refuse); `None` when the post has none.
pub fn jekyll_category_value(path: &str, fm: &FrontMatter) -> Option<Value> {
    let mut out: Vec<Value> = Vec::new();
    let folders: Vec<&str> = path.split('/').collect();
    if let Some(at) = folders.iter().position(|f| *f == "_posts") {
        out.extend(folders[..at].iter().map(|f| Value::String(f.to_string())));
    }
    let mut add = |value: &Value, split: bool| match value {
        Value::Sequence(items) => out.extend(items.iter().cloned()),
        other => {
            if let Some(text) = scalar_text(other) {
                if split {
                    out.extend(
                        text.split_whitespace()
                            .map(|w| Value::String(w.to_string())),
                    );
                } else {
                    out.push(Value::String(text));
                }
            }
        }
    };
    if let Some(value) = fm.fields.get("categories") {
        add(value, true);
    }
    if let Some(value) = fm.fields.get("category") {
        add(value, false);
    }
    (!out.is_empty()).then_some(Value::Sequence(out))
}

/// The post's own URL from its front matter, if it sets one: Hugo's `url:`, Jekyll's and
/// Eleventy's `permalink:` (a string: `permalink: false` is [`super::layout::unpublished`]).
pub fn own_path(generator: Generator, fm: &FrontMatter) -> Option<String> {
    let key = match generator {
        Generator::Hugo => "url",
        Generator::Jekyll | Generator::Eleventy => "permalink",
    };
    match fm.fields.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

/// `path` (a site path) on `base`: see [`permalink::on_base`].
pub fn on_base(base: &Url, path: &str) -> String {
    permalink::on_base(base, path)
}

/// A path as Jekyll's `URL#to_s` sanitizes every URL: one `/` first, each `..` a `/`, every
/// `./` removed (a slug ending in `.` loses the `/` after it), runs of `/` made one.
pub fn jekyll_sanitized(path: &str) -> String {
    let mut url = format!("/{path}").replace("..", "/").replace("./", "");
    let mut squeezed = String::with_capacity(url.len());
    for c in url.drain(..) {
        if !(c == '/' && squeezed.ends_with('/')) {
            squeezed.push(c);
        }
    }
    squeezed
}

/// Where a post of a generator's layout goes: what [`place`] gives.
pub struct Placed {
    /// The front matter's `lang:` where the layout reads it and it names a configured one.
    pub lang: Option<String>,
    pub slug: String,
    pub date: DateTime<FixedOffset>,
    pub updated: Option<DateTime<FixedOffset>>,
    /// A site path (`/2024/01/15/hello/`), to be put on the language's base URL.
    pub path: String,
    /// Hugo joins translations by file name: the key posts of the same base name share.
    pub file_key: Option<String>,
    pub warnings: Vec<super::post::Warning>,
}

/// The slug, dates and site path of the post at `location` (path relative to
/// `content_dir`), by `layout`'s generator. `yaml` is the front matter's text, `yaml_line` its
/// first line in the file: Jekyll reads a quoted date unlike an unquoted one.
pub fn place(
    config: &crate::config::Config,
    layout: &Layout,
    location: &super::post::Location<'_>,
    fm: &FrontMatter,
    (yaml, yaml_line): (&str, usize),
    title: &str,
) -> Result<Placed, super::post::PostError> {
    use super::post::{PostError, Warning};
    let generator = layout.generator;
    let mut warnings = Vec::new();
    let zone = config.timezone;
    let lang = match layout.lang_from {
        crate::config::LangFrom::FrontMatter => match fm.text("lang") {
            Some(code) if config.language(code.trim()).is_some() => Some(code.trim().to_string()),
            Some(code) => {
                warnings.push(Warning {
                    line: Some(fm.line_of("lang")),
                    message: format!(
                        "`lang: {code}` is not a configured language: the post is in `{}`",
                        location.lang.code
                    ),
                });
                None
            }
            None => None,
        },
        _ => None,
    };
    let lang_code = lang.as_deref().unwrap_or(&location.lang.code);

    let (stem, bundle_dir) = stem_of(location.path);
    let base = match super::layout::suffix_lang(config, &format!("{stem}.md")) {
        Some(_) if layout.lang_from == crate::config::LangFrom::Suffix => {
            stem.rsplit_once('.').map_or(stem, |(b, _)| b)
        }
        _ => stem,
    };
    let base = match (base.eq_ignore_ascii_case("index"), bundle_dir) {
        (true, Some(dir)) => dir,
        _ => base,
    };
    let drops_date = generator != Generator::Hugo || layout.date_from.contains(&DateFrom::FileName);
    let (name_date, file_slug) = match file_name_date(generator, base) {
        Some((day, rest)) if drops_date => (Some(day), rest),
        _ => (None, base),
    };

    let date_line = fm.line_of("date");
    let quoted = quoted_at((yaml, yaml_line), date_line);
    let mut date = None;
    for from in &layout.date_from {
        match from {
            DateFrom::FrontMatter => {
                if let Some(text) = fm.fields.get("date").and_then(scalar_text) {
                    let parsed =
                        front_matter_date(generator, &text, quoted, zone).map_err(|cause| {
                            PostError::BadDate {
                                line: date_line,
                                cause,
                            }
                        })?;
                    date = Some(parsed);
                }
            }
            DateFrom::FileName => {
                date = name_date.map(|day| file_date_at_midnight(generator, day, zone));
            }
        }
        if date.is_some() {
            break;
        }
    }
    let Some(date) = date else {
        return Err(PostError::NoDate {
            line: fm.first_line,
        });
    };
    let date = in_layout_zone(layout, zone, date);
    let updated = updated(config, layout, fm, (yaml, yaml_line), &mut warnings);

    let categories = match generator {
        Generator::Jekyll => jekyll_categories(location.path, fm),
        Generator::Hugo | Generator::Eleventy => Vec::new(),
    };
    let own_slug = fm.text("slug").filter(|s| !s.trim().is_empty());
    let tokens = Tokens {
        generator,
        date: &date,
        title,
        slug: own_slug.as_deref(),
        file_slug,
        section: location.section,
        lang: lang_code,
        categories: &categories,
    };
    let slug = tokens.slug();
    if slug.is_empty() {
        return Err(PostError::EmptySlug);
    }
    let path = match own_path(generator, fm) {
        Some(own) if generator == Generator::Jekyll => expand(&own, &tokens),
        Some(own) => own,
        None => {
            let pattern = layout
                .permalinks
                .get(location.section)
                .or_else(|| data_permalink(layout, location.path))
                .unwrap_or(&config.permalink);
            expand(pattern, &tokens)
        }
    };
    let path = if generator == Generator::Jekyll {
        jekyll_sanitized(&path)
    } else {
        path
    };
    let file_key = (generator == Generator::Hugo).then(|| {
        let dir = location.path.rsplit_once('/').map_or("", |(dir, _)| dir);
        let dir = match layout.lang_from {
            crate::config::LangFrom::Folder => dir.split_once('/').map_or("", |(_, d)| d),
            _ => dir,
        };
        let dir = match bundle_dir {
            Some(_) => dir.rsplit_once('/').map_or("", |(d, _)| d),
            None => dir,
        };
        format!("{FILE_KEY}{dir}/{base}")
    });
    Ok(Placed {
        lang,
        slug,
        date,
        updated,
        path,
        file_key,
        warnings,
    })
}

/// The pattern of the Eleventy data file nearest to the post at `path`: its own folder's, else
/// its parent's, up to `content_dir`.
fn data_permalink<'a>(layout: &'a Layout, path: &str) -> Option<&'a String> {
    let mut folder = path.rsplit_once('/').map(|(dir, _)| dir)?;
    loop {
        if let Some(pattern) = layout.data_permalinks.get(folder) {
            return Some(pattern);
        }
        folder = folder.rsplit_once('/')?.0;
    }
}

/// The file name without its extension, and the folder it is in when it is a bundle's
/// `index` (`my-post/index.fr.md`).
fn stem_of(path: &str) -> (&str, Option<&str>) {
    let mut parts = path.rsplit('/');
    let name = parts.next().unwrap_or(path);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let first = stem.split('.').next().unwrap_or(stem);
    let dir = first
        .eq_ignore_ascii_case("index")
        .then(|| parts.next())
        .flatten();
    (stem, dir)
}

/// The value at `line` of the file is written in quotes (`yaml` is the front matter's text and
/// the file's line it starts at): YAML reads it as a string, not a timestamp.
fn quoted_at((yaml, yaml_line): (&str, usize), line: usize) -> bool {
    yaml.lines()
        .nth(line.saturating_sub(yaml_line))
        .and_then(|line| line.split_once(':'))
        .is_some_and(|(_, value)| value.trim_start().starts_with(['"', '\'']))
}

/// The first of `[front_matter] updated` there (`updated`, `lastmod` or `last_modified_at` by
/// default), read as the date is.
fn updated(
    config: &crate::config::Config,
    layout: &Layout,
    fm: &FrontMatter,
    yaml: (&str, usize),
    warnings: &mut Vec<super::post::Warning>,
) -> Option<DateTime<FixedOffset>> {
    let (key, text) = fm.first_text(&config.front_matter.updated)?;
    let quoted = quoted_at(yaml, fm.line_of(key));
    match front_matter_date(layout.generator, &text, quoted, config.timezone) {
        Ok(date) => Some(in_layout_zone(layout, config.timezone, date)),
        Err(e) => {
            warnings.push(super::post::Warning {
                line: Some(fm.line_of(key)),
                message: format!("{e}: `{key}` is ignored"),
            });
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows from tests/fixtures/generators/README.md, as each generator published them.
    #[test]
    fn slugs_as_each_generator_makes_them() {
        let hugo = [
            ("Hello, World", "hello-world"),
            ("A-Custom_Slug", "a-custom_slug"),
            (
                "What’s New at the Café? Tips & Tricks: Part 1",
                "whats-new-at-the-café-tips-tricks-part-1",
            ),
            ("l’Été-ARRIVE", "lété-arrive"),
            (
                "Questions & Answers: What’s Next?",
                "questions-answers-whats-next",
            ),
        ];
        for (text, slug) in hugo {
            assert_eq!(hugo_slug(text), slug, "hugo {text}");
        }
        // Seen with Hugo 0.111.3 on titles and file names written to find its rule.
        let hugo_seen = [
            ("a+b", "a-b"),
            ("a++b", "a-b"),
            ("c++", "c-"),
            ("+c", "-c"),
            ("a + b", "a--b"),
            ("a-+-b", "a--b"),
            ("a + + b", "a---b"),
            ("a.+.b", "a.-.b"),
            ("a--b", "a--b"),
            ("a - b", "a-b"),
            ("-a-", "-a-"),
            ("a/b", "a/b"),
            ("a.b.", "a.b."),
            ("a~b", "a~b"),
            ("a@b", "a@b"),
            ("a#b", "a#b"),
            ("a%41b", "aab"),
            ("a%2Fb", "a/b"),
            ("100% Remote", "100-remote"),
            ("a—b", "ab"),
            ("a – b", "a-b"),
            ("a(b)", "ab"),
            ("«a", "a"),
            ("ÉTÉ Ça", "été-ça"),
            ("Q&A: What’s+New?", "qa-whats-new"),
        ];
        for (text, slug) in hugo_seen {
            assert_eq!(hugo_slug(text), slug, "hugo {text}");
        }
        let jekyll = [
            // text, :title (pretty, cased), :slug
            ("hello-world", "hello-world", "hello-world"),
            (
                "What’s-New-at-the-Café?-Tips-&-Tricks",
                "What-s-New-at-the-Café-Tips-&-Tricks",
                "what-s-new-at-the-café-tips-tricks",
            ),
            ("Part-1: Setup", "Part-1-Setup", "part-1-setup"),
            ("Custom Slug Here", "Custom-Slug-Here", "custom-slug-here"),
        ];
        for (text, title, slug) in jekyll {
            assert_eq!(jekyll_slug(text, true, true), title, "jekyll :title {text}");
            assert_eq!(jekyll_slug(text, false, false), slug, "jekyll :slug {text}");
        }
        let eleventy = [
            ("hello-world", "hello-world"),
            (
                "What’s-New-at-the-Café?-Tips-&-Tricks",
                "what-s-new-at-the-cafe-tips-and-tricks",
            ),
            ("Part-1: Setup", "part-1-setup"),
            ("Date-Only", "date-only"),
        ];
        for (text, slug) in eleventy {
            assert_eq!(eleventy_slug(text), slug, "eleventy {text}");
        }
        // Seen with Eleventy 3.1.8's `slugify` on generated file names.
        let eleventy_seen = [
            ("Élan-marche-Über", "elan-marche-ueber"),
            ("œuvre-Open-l’été", "uvre-open-l-ete"),
            ("rock'n'roll", "rock-n-roll"),
            ("Café-It's", "cafe-its"),
            ("It's-Français", "it-s-francais"),
            ("Straße-Ørsted-Zoë", "strasse-orsted-zoe"),
            ("v2.0-x_y", "v2-0-x-y"),
            ("Q&A", "q-and-a"),
        ];
        for (text, slug) in eleventy_seen {
            assert_eq!(eleventy_slug(text), slug, "eleventy {text}");
        }
        // Eleventy's `slug` filter (the `slugify` package): `’` kept as `'`, `:` kept.
        for (text, slug) in [
            ("hello-world", "hello-world"),
            (
                "What’s-New-at-the-Café?-Tips-&-Tricks",
                "what's-new-at-the-cafe-tips-and-tricks",
            ),
            ("Part-1: Setup", "part-1:-setup"),
            ("  Prix : 5 $ -- 10 % ", "prix-:-5-dollar-10-percent"),
        ] {
            assert_eq!(eleventy_legacy_slug(text), slug, "eleventy slug {text}");
        }
    }

    #[test]
    fn file_name_dates_per_generator() {
        let day = NaiveDate::from_ymd_opt(2024, 3, 7);
        assert_eq!(
            file_name_date(Generator::Jekyll, "2024-3-7-unpadded-date").map(|(d, r)| (Some(d), r)),
            Some((day, "unpadded-date"))
        );
        assert_eq!(
            file_name_date(Generator::Eleventy, "2024-3-7-unpadded"),
            None
        );
        assert_eq!(
            file_name_date(Generator::Eleventy, "2024-03-07-x").map(|(d, _)| Some(d)),
            Some(day)
        );
        assert_eq!(file_name_date(Generator::Jekyll, "2024-13-7-x"), None);
        assert_eq!(file_name_date(Generator::Jekyll, "2024-3-7-"), None);
    }

    #[test]
    fn front_matter_dates_per_generator() -> Result<(), Box<dyn std::error::Error>> {
        let zone = chrono_tz::America::Toronto;
        // generator, text, quoted, instant (RFC 3339)
        let cases = [
            (
                Generator::Jekyll,
                "2024-08-15 10:00:00 -4",
                false,
                "2024-08-15T10:00:00-04:00",
            ),
            (
                Generator::Jekyll,
                "2024-08-15 10:00:00 -04",
                false,
                "2024-08-15T10:00:00-04:00",
            ),
            (
                Generator::Jekyll,
                "2024-08-15T10:00:00-4",
                false,
                "2024-08-15T10:00:00-04:00",
            ),
            (
                Generator::Jekyll,
                "2024-08-16 22:30:00",
                false,
                "2024-08-16T22:30:00+00:00",
            ),
            (
                Generator::Jekyll,
                "2024-08-15 02:30:00",
                true,
                "2024-08-15T02:30:00-04:00",
            ),
            (
                Generator::Jekyll,
                "2024-03-05",
                false,
                "2024-03-05T00:00:00-05:00",
            ),
            (
                Generator::Eleventy,
                "2024-08-15 10:00:00 -4",
                false,
                "2024-08-15T14:00:00+00:00",
            ),
            (
                Generator::Eleventy,
                "2024-08-16 22:30:00",
                false,
                "2024-08-16T22:30:00+00:00",
            ),
            (
                Generator::Eleventy,
                "2024-03-05",
                false,
                "2024-03-05T00:00:00+00:00",
            ),
            (
                Generator::Hugo,
                "2024-01-15T09:30:00",
                false,
                "2024-01-15T09:30:00-05:00",
            ),
            (
                Generator::Hugo,
                "2024-01-16T00:30:00+01:00",
                false,
                "2024-01-16T00:30:00+01:00",
            ),
        ];
        for (generator, text, quoted, want) in cases {
            let got = front_matter_date(generator, text, quoted, zone)?;
            assert_eq!(
                got,
                DateTime::parse_from_rfc3339(want)?,
                "{generator:?} {text}"
            );
        }
        // A time the change to daylight time skips, and one the change back repeats, as
        // Hugo 0.111.3 and Jekyll 4.3.1 published them (instant and offset).
        let changes = [
            (
                Generator::Hugo,
                "2017-03-12T02:30:00",
                false,
                "2017-03-12T01:30:00-05:00",
            ),
            (
                Generator::Hugo,
                "2017-11-05T01:30:00",
                false,
                "2017-11-05T01:30:00-04:00",
            ),
            (
                Generator::Jekyll,
                "2017-03-12 02:30:00",
                true,
                "2017-03-12T03:30:00-04:00",
            ),
            (
                Generator::Jekyll,
                "2017-11-05 01:30:00",
                true,
                "2017-11-05T01:30:00-05:00",
            ),
        ];
        for (generator, text, quoted, want) in changes {
            let got = front_matter_date(generator, text, quoted, zone)?;
            assert_eq!(got.to_rfc3339(), want, "{generator:?} {text}");
        }
        // Jekyll's URL sanitizing, as it published slugs and a permalink written to find it.
        for (path, url) in [
            ("/2020/01/01/a..b/", "/2020/01/01/a/b/"),
            ("/2020/01/02/a./", "/2020/01/02/a"),
            ("/2020/01/03/a...b/", "/2020/01/03/a/.b/"),
            ("/2020/01/07/.../", "/2020/01/07/"),
            ("/x/a..b/./c//d./", "/x/a/b/c/d"),
            ("/2020/01/04/.a/", "/2020/01/04/.a/"),
        ] {
            assert_eq!(jekyll_sanitized(path), url, "{path}");
        }
        // Forms a generator does not read: Hugo would publish 0001-01-01, Eleventy's build
        // stops (date-forms/expected.json).
        for (generator, text, quoted) in [
            (Generator::Hugo, "2024-08-15 10:00", false),
            (Generator::Hugo, "2024-08-15T10:00:00-04", false),
            (Generator::Hugo, "2024-8-5", false),
            (Generator::Hugo, "August 15, 2024", true),
            (Generator::Eleventy, "2024-08-15 10:00:00 -0400", false),
            (Generator::Eleventy, "2024-08-15 02:30:00", true),
            (Generator::Eleventy, "2024-8-5", false),
        ] {
            let got = front_matter_date(generator, text, quoted, zone);
            assert!(
                matches!(got, Err(dates::DateError::Generator { .. })),
                "{generator:?} {text}: {got:?}"
            );
        }
        for (generator, text, quoted, want) in [
            (
                Generator::Jekyll,
                "2024-08-15 10:00",
                false,
                "2024-08-15T10:00:00-04:00",
            ),
            (
                Generator::Jekyll,
                "2024-8-5",
                false,
                "2024-08-05T00:00:00-04:00",
            ),
            (
                Generator::Jekyll,
                "August 15, 2024",
                true,
                "2024-08-15T00:00:00-04:00",
            ),
            (
                Generator::Hugo,
                "Thu, 15 Aug 2024 10:00:00 -0400",
                true,
                "2024-08-15T10:00:00-04:00",
            ),
            (
                Generator::Eleventy,
                "2024-08-15T10:00:00-0400",
                false,
                "2024-08-15T14:00:00+00:00",
            ),
            (
                Generator::Eleventy,
                "2024-08-15T10:00:00-04",
                true,
                "2024-08-15T14:00:00+00:00",
            ),
        ] {
            let got = front_matter_date(generator, text, quoted, zone)?;
            assert_eq!(
                got,
                DateTime::parse_from_rfc3339(want)?,
                "{generator:?} {text}"
            );
        }
        for form in [&HUGO_FORMS, &PSYCH_TIME, &JS_YAML_TIME, &LUXON_ISO] {
            assert!(form.is_some(), "a date form's pattern does not compile");
        }
        // The date itself never reads as an offset.
        assert_eq!(with_full_offset("2024-08-15"), "2024-08-15");
        assert_eq!(with_full_offset("2024-8-5"), "2024-8-5");
        Ok(())
    }

    #[test]
    fn permalink_tokens_per_generator() {
        let date = DateTime::parse_from_rfc3339("2024-04-10T00:00:00-04:00").unwrap_or_default();
        let categories = ["notes".to_string(), "Field Work".to_string()];
        let jekyll = Tokens {
            generator: Generator::Jekyll,
            date: &date,
            title: "In a folder",
            slug: None,
            file_slug: "in-a-folder",
            section: "",
            lang: "en",
            categories: &categories,
        };
        assert_eq!(
            expand("/:categories/:year/:month/:day/:title/", &jekyll),
            "/notes/field work/2024/04/10/in-a-folder/"
        );
        assert_eq!(
            expand("date", &jekyll),
            "/notes/field work/2024/04/10/in-a-folder.html"
        );
        let none = Tokens {
            categories: &[],
            ..jekyll
        };
        // 2024-04-10 is a Wednesday, day 101, in ISO week 15.
        for (pattern, path) in [
            ("pretty", "/2024/04/10/in-a-folder/"),
            ("date", "/2024/04/10/in-a-folder.html"),
            ("ordinal", "/2024/101/in-a-folder.html"),
            ("none", "/in-a-folder.html"),
            ("weekdate", "/2024/W15/Wed/in-a-folder.html"),
            (
                "/:w_year/:week/:w_day/:long_day/:short_month/:long_month/",
                "/2024/15/3/Wednesday/Apr/April/",
            ),
        ] {
            assert_eq!(expand(pattern, &none), path, "{pattern}");
        }
        assert_eq!(
            expand("/:categories/:short_year/:i_month/:i_day/:title/", &none),
            "/24/4/10/in-a-folder/"
        );
        let hugo = Tokens {
            generator: Generator::Hugo,
            date: &date,
            title: "Field Notes",
            slug: Some("ignored-by-title"),
            file_slug: "Field-Notes-Été",
            section: "notes",
            lang: "fr",
            categories: &[],
        };
        assert_eq!(
            expand("/:section/:year/:filename/", &hugo),
            "/notes/2024/field-notes-été/"
        );
        assert_eq!(
            expand("/:title/:slug/:lang/", &hugo),
            "/field-notes/ignored-by-title/fr/"
        );
        assert_eq!(expand("/:unknown/", &hugo), "/:unknown/");
    }

    proptest::proptest! {
        #[test]
        fn dates_from_outside_never_panic(text in "\\PC{0,40}", quoted: bool) {
            for generator in [Generator::Hugo, Generator::Jekyll, Generator::Eleventy] {
                let _ = front_matter_date(generator, &text, quoted, chrono_tz::America::Toronto);
                let _ = file_name_date(generator, &text);
            }
        }

        #[test]
        fn short_offsets_mean_whole_hours(h in 0u32..=14, neg: bool, spaced: bool) {
            let sign = if neg { '-' } else { '+' };
            let space = if spaced { " " } else { "" };
            let text = format!("2024-08-15 10:00:00{space}{sign}{h}");
            let got = front_matter_date(Generator::Jekyll, &text, false, chrono_tz::UTC);
            let seconds = (h * 3600) as i32 * if neg { -1 } else { 1 };
            proptest::prop_assert_eq!(got.map(|d| d.offset().local_minus_utc()), Ok(seconds));
        }

        #[test]
        fn slugs_have_no_separator_at_the_ends(text in "\\PC{0,60}") {
            for slug in [eleventy_slug(&text), jekyll_slug(&text, true, true), jekyll_slug(&text, false, false)] {
                proptest::prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"));
            }
            proptest::prop_assert!(eleventy_slug(&text).is_ascii());
        }
    }
}
