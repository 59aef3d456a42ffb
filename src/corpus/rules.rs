//! Each site generator's rules for a post's slug, date and permalink (`[posts] generator`),
//! as Hugo 0.111.3, Jekyll 4.3.1 and Eleventy 3.1.8 publish them (checked against their own
//! output in `tests/fixtures/generators/`).
//!
//! Owns: the slug functions of each generator, the date forms each one reads and the zone
//! each one reads dates without an offset in, the file-name date, the permalink tokens and
//! their meaning per generator, and the front-matter overrides (`url:`, `permalink:`, `slug:`).
//! Pure: no disk.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, Timelike};
use chrono_tz::Tz;
use serde_norway::Value;
use url::Url;

/// How a `translationKey` made from a Hugo post's file name begins (`file:posts/welcome`): the
/// translations by name that Hugo joins, which promise no partner.
pub const FILE_KEY: &str = "file:";

use super::frontmatter::{FrontMatter, scalar_text};
use super::{dates, permalink};
use crate::config::{DateFrom, DateZone, Generator, Layout};

/// Hugo's `urlize`: syndic's own slug rule ([`permalink::slugify`]): lower case, accents kept,
/// `’ ? : &` dropped, spaces to `-`.
pub fn hugo_slug(text: &str) -> String {
    permalink::slugify(text)
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

/// Go's `unicode.IsLetter`, `IsDigit` (decimal digits) and `IsMark`.
fn is_letter_digit_or_mark(c: char) -> bool {
    use unicode_general_category::{GeneralCategory as G, get_general_category};
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

/// Eleventy's `slugify` filter (`@sindresorhus/slugify`): `&` to `and`, `%` to a space,
/// transliterated to ASCII (`é` to `e`), lower case, every run of other characters one `-`.
pub fn eleventy_slug(text: &str) -> String {
    let replaced = text.replace('&', " and ").replace('%', " ");
    let ascii = deunicode::deunicode(&replaced);
    let mut out = String::with_capacity(ascii.len());
    let mut dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    out
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

/// A front-matter date as `generator` reads it. `quoted`: written in quotes in the YAML
/// (Jekyll reads an unquoted date-time without an offset as UTC, a quoted one in `zone`).
/// Jekyll and Eleventy also take a one- or two-digit offset (`-4`, `-04`). Hugo and Eleventy
/// read a date-time without an offset in `zone` and UTC respectively.
pub fn front_matter_date(
    generator: Generator,
    text: &str,
    quoted: bool,
    zone: Tz,
) -> Result<DateTime<FixedOffset>, dates::DateError> {
    match generator {
        Generator::Hugo => dates::parse(text, zone),
        Generator::Jekyll => {
            let text = with_full_offset(text);
            let has_time = text.trim().trim_matches(['"', '\'']).len() > 10;
            let zone = if has_time && !quoted {
                chrono_tz::UTC
            } else {
                zone
            };
            dates::parse(&text, zone)
        }
        Generator::Eleventy => dates::parse(&with_full_offset(text), chrono_tz::UTC),
    }
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
    dates::in_zone(day.and_time(NaiveTime::MIN), zone)
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
            Generator::Hugo => hugo_slug(self.slug.unwrap_or(self.title)),
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
            "slug" => self.slug(),
            "title" => match self.generator {
                Generator::Hugo => hugo_slug(self.title),
                Generator::Jekyll => jekyll_slug(self.slug.unwrap_or(self.file_slug), true, true),
                Generator::Eleventy => eleventy_slug(self.title),
            },
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

/// Jekyll's named patterns, as Jekyll expands them.
fn named_pattern(generator: Generator, pattern: &str) -> &str {
    match (generator, pattern) {
        (Generator::Jekyll, "date") => "/:categories/:year/:month/:day/:title:output_ext",
        (Generator::Jekyll, "pretty") => "/:categories/:year/:month/:day/:title/",
        (Generator::Jekyll, "ordinal") => "/:categories/:year/:y_day/:title:output_ext",
        (Generator::Jekyll, "none") => "/:categories/:title:output_ext",
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
    let quoted = yaml
        .lines()
        .nth(date_line.saturating_sub(yaml_line))
        .and_then(|line| line.split_once(':'))
        .is_some_and(|(_, value)| value.trim_start().starts_with(['"', '\'']));
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
    let updated = updated(config, layout, fm, &mut warnings);

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
                .unwrap_or(&config.permalink);
            expand(pattern, &tokens)
        }
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

/// The first of `[front_matter] updated` there (`updated`, `lastmod` or `last_modified_at` by
/// default), read as the date is.
fn updated(
    config: &crate::config::Config,
    layout: &Layout,
    fm: &FrontMatter,
    warnings: &mut Vec<super::post::Warning>,
) -> Option<DateTime<FixedOffset>> {
    let (key, text) = fm.first_text(&config.front_matter.updated)?;
    match front_matter_date(layout.generator, &text, false, config.timezone) {
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
