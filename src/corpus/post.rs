//! One file's bytes -> one [`Post`] (or the reason it cannot be one), with its warnings.
//!
//! Owns the meaning of each front matter key: title, date (the file name's date first, as the
//! site's generator does), updated, byline and people (an explicit `authors:` list first, then
//! parsing, then config aliases), images, summary, tags and categories ([`super::terms`]),
//! permalink and body. The keys of summary, image, alt text, thumbnail and updated are those
//! `[front_matter]` names (`Config::front_matter`). Pure: the caller reads the file and joins translations.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveTime};
use serde_norway::Value;
use url::Url;

use super::frontmatter::{self, FrontMatter, FrontMatterError, scalar_text};
use super::people::{Person, Reading, parse_byline, read_byline};
use super::templates::{self, LinkTag, LinkUse, Templating};
use super::terms::{self, Taxonomy, Term};
use super::{dates, links, markdown, permalink, rules};
use crate::config::Syntax;
use crate::config::{Config, Language};
use crate::text::{normalize_space, person_slug, xml_safe};

/// A post, ready for feeds.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    /// Relative to `content_dir`, with `/` separators.
    pub path: String,
    pub lang: String,
    pub section: String,
    pub slug: String,
    pub title: String,
    /// In the offset it was written in.
    pub date: DateTime<FixedOffset>,
    pub updated: Option<DateTime<FixedOffset>>,
    pub permalink: String,
    /// What its feed items are known by (Atom `id`, RSS `guid`, JSON Feed `id`): the id the
    /// identity file remembers it was first published under, filled when the corpus is
    /// joined; until then, and for a post the file does not have yet, its permalink.
    pub id: String,
    /// What the post displays as its author: the byline, or the site's name when empty.
    pub byline: String,
    /// The people it names. As parsed, read from the post alone; as published, also from what
    /// the rest of the corpus says about [`Post::undecided`] names.
    pub authors: Vec<Person>,
    /// Names its byline holds where a role may stand, read as roles until another post names
    /// them (see [`people_in_corpus`]). `None` for nearly every post.
    pub undecided: Option<Arc<Undecided>>,
    pub translation_key: Option<String>,
    /// Language -> permalink of the translation in it; filled when the corpus is joined.
    pub translations: BTreeMap<String, String>,
    pub summary: String,
    /// Where the Markdown body is, rendered by [`Post::content_html`] when a feed needs it.
    body: Body,
    pub image: Option<Image>,
    pub thumbnail: Option<String>,
    /// `tags:`, in the order written, each slug once.
    pub tags: Vec<Term>,
    /// `categories:`, likewise.
    pub categories: Vec<Term>,
    /// The template tags its body holds, resolved when it is rendered (`[posts] templates`);
    /// `None` for a body that is Markdown alone.
    pub templates: Option<Arc<Templating>>,
    /// The permalink of the post each of its links to other posts names
    /// ([`Templating::links`]), where the corpus has one; filled when the corpus is joined.
    pub links: BTreeMap<LinkTag, String>,
    /// Front matter keys syndic does not interpret, kept as they were.
    pub extra: BTreeMap<String, Value>,
}

/// Names in a post's byline that were read as roles (`Philippe Tardif, Visual Storyteller`:
/// see [`super::people::read_byline`]), and are people if another post names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undecided {
    /// The text the people were read from: the byline, or `authors:` written as one string.
    pub text: String,
    /// Those names' slugs, aliases applied, in the byline's order.
    pub slugs: Vec<String>,
}

/// Where a post's Markdown body is.
#[derive(Debug, Clone, PartialEq)]
enum Body {
    /// The whole file as read (no copy); the body starts at `start`.
    Kept { source: Arc<Vec<u8>>, start: usize },
    /// Left on disk, to hold a large corpus in less memory while it is built: `file` is read
    /// again when the body is rendered, and must still be the `len` bytes with CRC-32 `crc`
    /// that were loaded.
    OnDisk {
        file: Arc<Path>,
        start: usize,
        len: usize,
        crc: u32,
    },
}

/// Why a body left on disk could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    #[error("{path}: cannot read it again to render its body: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("{path}: changed since it was loaded; build again")]
    Changed { path: String },
}

/// The Markdown in `source` from `start`; checked as UTF-8 when loaded, and the SIMD check
/// again here is cheap.
fn markdown_of(source: &[u8], start: usize) -> &str {
    source
        .get(start..)
        .and_then(|body| simdutf8::basic::from_utf8(body).ok())
        .unwrap_or_default()
}

impl Post {
    /// A digest of everything the post is made of, every field and its body: equal digests,
    /// equal items. A body left on disk counts by the file, offset, length and CRC-32 it must
    /// still have when read again (a file changed since is an error then, never stale bytes).
    pub fn fingerprint(&self) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        use std::fmt::Write;
        // Every field by name: one added to `Post` must be added here to compile.
        let Post {
            path,
            lang,
            section,
            slug,
            title,
            date,
            updated,
            permalink,
            id,
            byline,
            authors,
            undecided,
            translation_key,
            translations,
            summary,
            body,
            image,
            thumbnail,
            tags,
            categories,
            templates,
            links,
            extra,
        } = self;
        let mut h = Hashing(Sha256::new());
        // Debug forms quote and escape strings, so no two sequences of fields run together.
        let _ = write!(
            h,
            "{path:?}{lang:?}{section:?}{slug:?}{title:?}{date:?}{updated:?}{permalink:?}{id:?}\
             {byline:?}{authors:?}{undecided:?}{translation_key:?}{translations:?}{summary:?}{image:?}\
             {thumbnail:?}{tags:?}{categories:?}{templates:?}{links:?}{extra:?}"
        );
        match body {
            Body::Kept { source, start } => {
                let _ = write!(h, "kept {start} {}:", source.len());
                h.0.update(&source[..]);
            }
            Body::OnDisk {
                file,
                start,
                len,
                crc,
            } => {
                let _ = write!(h, "on disk {file:?} {start} {len} {crc}");
            }
        }
        h.0.finalize().into()
    }

    /// The body as sanitized HTML with absolute URLs, ready for a feed. Rendered on each call:
    /// feeds render a post once per build and keep the bytes, not the HTML.
    ///
    /// A post whose body was left on disk ([`Post::leave_body_on_disk`]) reads its file again,
    /// and fails if it cannot or the file changed since it was loaded; a post that keeps its
    /// body never fails.
    pub fn content_html(&self) -> Result<String, BodyError> {
        let render = |markdown: &str| match Url::parse(&self.permalink) {
            Ok(base) => match &self.templates {
                Some(templates) => {
                    let find = |tag: &LinkTag| self.links.get(tag).cloned();
                    markdown::render(&templates.apply(markdown, &find).text, &base)
                }
                None => markdown::render(markdown, &base),
            },
            Err(_) => String::new(),
        };
        match &self.body {
            Body::Kept { source, start } => Ok(render(markdown_of(source, *start))),
            Body::OnDisk {
                file,
                start,
                len,
                crc,
            } => {
                let source =
                    super::read_again(file, *len).map_err(|reason| BodyError::Unreadable {
                        path: self.path.clone(),
                        reason,
                    })?;
                if source.len() != *len || crc32fast::hash(&source) != *crc {
                    return Err(BodyError::Changed {
                        path: self.path.clone(),
                    });
                }
                Ok(render(markdown_of(&source, *start)))
            }
        }
    }

    /// The Markdown body, where it is kept in memory (not left on disk).
    pub fn body_in_memory(&self) -> Option<&str> {
        match &self.body {
            Body::Kept { source, start } => Some(markdown_of(source, *start)),
            Body::OnDisk { .. } => None,
        }
    }

    /// Drops the file's bytes from memory: [`Post::content_html`] reads `file` (where the post
    /// was loaded from) again when asked.
    pub fn leave_body_on_disk(&mut self, file: &Path) {
        if let Body::Kept { source, start } = &self.body {
            self.body = Body::OnDisk {
                file: Arc::from(file),
                start: *start,
                len: source.len(),
                crc: crc32fast::hash(source),
            };
        }
    }
}

/// A SHA-256 digest that formatted text can be written into (`write!`), for digests of
/// `Debug` forms: [`Post::fingerprint`], and the keys of feed documents.
pub struct Hashing(pub sha2::Sha256);

impl std::fmt::Write for Hashing {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        sha2::Digest::update(&mut self.0, s.as_bytes());
        Ok(())
    }
}

/// An image with its alternative text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub url: String,
    pub alt: Option<String>,
}

/// Why a file is not a post. `line` is 1-based in the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PostError {
    #[error(transparent)]
    FrontMatter(#[from] FrontMatterError),
    #[error("line {line}: no title")]
    NoTitle { line: usize },
    #[error("line {line}: no date: add `date:` to the front matter")]
    NoDate { line: usize },
    /// The date's error is in the message, and so not a `source()` as well.
    #[error("line {line}: {cause}")]
    BadDate {
        line: usize,
        cause: dates::DateError,
    },
    #[error("line 1: the file name gives an empty slug")]
    EmptySlug,
}

impl PostError {
    /// The 1-based line in the file, where there is one.
    pub fn line(&self) -> Option<usize> {
        match self {
            PostError::FrontMatter(e) => e.line(),
            PostError::NoTitle { line }
            | PostError::NoDate { line }
            | PostError::BadDate { line, .. } => Some(*line),
            PostError::EmptySlug => Some(1),
        }
    }
}

/// A problem that does not keep the post out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub line: Option<usize>,
    pub message: String,
}

/// Keys this module interprets; every other key is kept in [`Post::extra`].
const KNOWN_KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "lastmod",
    "author",
    "authors",
    "description",
    "image",
    "image-alt",
    "thumb",
    "translationKey",
    "tags",
    "categories",
];

/// Where a file sits in the corpus.
pub struct Location<'a> {
    /// Relative to `content_dir`, `/`-separated.
    pub path: &'a str,
    pub lang: &'a Language,
    pub section: &'a str,
}

/// Builds the post in `bytes`, found at `location`.
pub fn parse_post(
    config: &Config,
    location: &Location<'_>,
    bytes: Vec<u8>,
) -> Result<(Post, Vec<Warning>), PostError> {
    let text = frontmatter::decode(&bytes)?;
    let split = frontmatter::split(text)?;
    let fm = frontmatter::parse(&split)?;
    let mut warnings = Vec::new();

    let title = fm.text("title").map(|t| xml_safe(&normalize_space(&t)));
    let title = match title {
        Some(t) if !t.is_empty() => t,
        _ => {
            return Err(PostError::NoTitle {
                line: fm.line_of("title"),
            });
        }
    };

    let (placed, lang) = match &config.layout {
        None => (
            own_place(config, location, &fm, &mut warnings)?,
            location.lang,
        ),
        Some(layout) => layout_place(config, layout, location, &fm, &split, &title, &mut warnings)?,
    };
    let Place {
        slug,
        date,
        updated,
        permalink,
        file_key,
    } = placed;
    let location = &Location { lang, ..*location };
    let page_url = Url::parse(&permalink).unwrap_or_else(|_| location.lang.base_url.clone());

    let byline = xml_safe(&normalize_space(&fm.text("author").unwrap_or_default()));
    let (authors, undecided) = people(config, &fm, &byline, &mut warnings);
    // `author:` an id of the file of people, or no `author:` beside an `authors:` list: the
    // byline is the people's names.
    let byline_is_an_id = config
        .layout
        .as_ref()
        .is_some_and(|l| l.people.contains_key(&byline));
    let byline = if (byline.is_empty() || byline_is_an_id) && !authors.is_empty() {
        let names: Vec<&str> = authors.iter().map(|a| a.name.as_str()).collect();
        crate::text::names(&location.lang.code, &names)
    } else if byline.is_empty() {
        warnings.push(Warning {
            line: Some(fm.line_of("author")),
            message: format!(
                "empty byline: the site's name `{}` is shown as the author",
                location.lang.title
            ),
        });
        location.lang.title.clone()
    } else {
        byline
    };

    let body_line = text[..text.len() - split.body.len()].matches('\n').count() + 1;
    let line_at = |offset: usize| {
        body_line
            + split
                .body
                .get(..offset)
                .map_or(0, |b| b.matches('\n').count())
    };
    let own_slug = fm.text("slug").filter(|s| !s.trim().is_empty());
    let mut templates = config
        .layout
        .as_ref()
        .filter(|l| l.templates != Syntax::None)
        .map(|l| {
            let subject = links::Subject {
                syntax: l.templates,
                path: location.path,
                lang: &location.lang.code,
                hugo_path: file_key
                    .as_deref()
                    .and_then(|k| k.strip_prefix(rules::FILE_KEY)),
                day: date.date_naive(),
                own_slug: own_slug.as_deref(),
            };
            (
                Templating {
                    syntax: l.templates,
                    site_url: location.lang.base_url.clone(),
                    names: links::names(&subject),
                    links: Vec::new(),
                },
                subject,
            )
        });
    // Links to other posts are found when the corpus is joined: here they are dropped, and
    // the summary is read without them.
    let resolved = templates
        .as_ref()
        .map(|(t, _)| t.apply(split.body, &|_| None));
    for dropped in resolved.iter().flat_map(|r| r.dropped.iter()) {
        warnings.push(Warning {
            line: Some(line_at(dropped.offset)),
            message: format!(
                "template tag `{}` left out: it is not one syndic knows (a link or image that \
                 held it is dropped)",
                xml_safe(&dropped.tag),
            ),
        });
    }
    if let (Some((templating, subject)), Some(resolved)) = (&mut templates, &resolved) {
        templating.links = resolved
            .links
            .iter()
            .map(|(offset, tag, written)| LinkUse {
                lookups: links::lookups(subject, tag),
                tag: tag.clone(),
                written: written.clone(),
                line: line_at(*offset),
            })
            .collect();
    }
    let templates = templates.map(|(templating, _)| Arc::new(templating));
    let body_text: &str = resolved.as_ref().map_or(split.body, |r| &r.text);
    for (offset, src) in markdown::images_without_alt(body_text) {
        let line = body_line
            + body_text
                .get(..offset)
                .map_or(0, |b| b.matches('\n').count());
        let src = page_url.join(&src).map_or(src, |u| u.to_string());
        warnings.push(Warning {
            line: Some(line),
            message: format!("image without alt text in the body: {}", xml_safe(&src)),
        });
    }
    let keys = &config.front_matter;
    let summary = match keyed_text(&fm, &keys.summary) {
        Some(d) if !d.is_empty() => d,
        _ => truncate_words(
            &markdown::first_paragraph(body_text, &page_url).replace(templates::DROPPED, ""),
            300,
        ),
    };

    let image = fm.first_text(&keys.image).and_then(|(key, src)| {
        let url = absolute(&page_url, &src)?;
        Some((key, url))
    });
    let image = image.map(|(key, url)| {
        let alt = keyed_text(&fm, &keys.image_alt).filter(|a| !a.is_empty());
        if alt.is_none() {
            let named: Vec<String> = keys.image_alt.iter().map(|k| format!("`{k}`")).collect();
            warnings.push(Warning {
                line: Some(fm.line_of(key)),
                message: format!("image without alt text ({}): {url}", named.join(" or ")),
            });
        }
        Image { url, alt }
    });
    let thumbnail = fm
        .first_text(&keys.thumbnail)
        .and_then(|(_, src)| absolute(&page_url, &src));
    let translation_key = fm
        .text("translationKey")
        .map(|k| normalize_space(&k))
        .filter(|k| !k.is_empty())
        .or(file_key);

    let [tags, categories] =
        Taxonomy::ALL.map(|t| terms_of(config, &fm, location.path, t, &mut warnings));

    let body_start = text.len() - split.body.len();
    let extra = fm
        .fields
        .iter()
        .filter(|(k, _)| !KNOWN_KEYS.contains(&k.as_str()) && !keys.reads(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();

    Ok((
        Post {
            path: location.path.to_string(),
            lang: location.lang.code.clone(),
            section: location.section.to_string(),
            slug,
            title,
            date,
            updated,
            id: permalink.clone(),
            permalink,
            byline,
            authors,
            undecided: undecided.map(Arc::new),
            translation_key,
            translations: BTreeMap::new(),
            summary,
            body: Body::Kept {
                source: Arc::new(bytes),
                start: body_start,
            },
            image,
            thumbnail,
            tags,
            categories,
            templates,
            links: BTreeMap::new(),
            extra,
        },
        warnings,
    ))
}

/// A post's slug, dates and permalink, and the key it shares with its translations when its
/// layout joins them by file name.
struct Place {
    slug: String,
    date: DateTime<FixedOffset>,
    updated: Option<DateTime<FixedOffset>>,
    permalink: String,
    file_key: Option<String>,
}

/// [`Place`] by syndic's own rules (no `[posts]`): the file name's date first, the slug from
/// the file name, the one `permalink` pattern.
fn own_place(
    config: &Config,
    location: &Location<'_>,
    fm: &FrontMatter,
    warnings: &mut Vec<Warning>,
) -> Result<Place, PostError> {
    let stem = file_stem(location.path);
    let (name_date, stem) = match dates::from_file_stem(stem) {
        Some((day, rest)) => (Some(day), rest),
        None => (None, stem),
    };
    let slug = permalink::slugify(stem);
    if slug.is_empty() {
        return Err(PostError::EmptySlug);
    }

    let front_date = fm.fields.get("date").and_then(scalar_text).map(|text| {
        dates::parse(&text, config.timezone).map_err(|cause| PostError::BadDate {
            line: fm.line_of("date"),
            cause,
        })
    });
    let date = match (name_date, front_date) {
        (Some(day), front) => {
            if let Some(Err(e)) = front {
                warnings.push(Warning {
                    line: e.line(),
                    message: format!("{e} (the file name's date is used)"),
                });
            }
            dates::in_zone(day.and_time(NaiveTime::MIN), config.timezone)
        }
        (None, Some(front)) => front?,
        (None, None) => {
            return Err(PostError::NoDate {
                line: fm.first_line,
            });
        }
    };
    let updated = updated_date(config, fm, warnings);

    let permalink = permalink::permalink(
        &location.lang.base_url,
        &config.permalink,
        &date,
        &slug,
        location.section,
        &location.lang.code,
    );
    Ok(Place {
        slug,
        date,
        updated,
        permalink,
        file_key: None,
    })
}

/// [`Place`] by a generator's rules ([`rules::place`]), with the language the front matter
/// may give.
fn layout_place<'c>(
    config: &'c Config,
    layout: &crate::config::Layout,
    location: &Location<'c>,
    fm: &FrontMatter,
    split: &frontmatter::Split<'_>,
    title: &str,
    warnings: &mut Vec<Warning>,
) -> Result<(Place, &'c Language), PostError> {
    let placed = rules::place(
        config,
        layout,
        location,
        fm,
        (split.yaml, split.yaml_line),
        title,
    )?;
    warnings.extend(placed.warnings);
    let lang = placed
        .lang
        .as_deref()
        .and_then(|code| config.language(code))
        .unwrap_or(location.lang);
    let place = Place {
        slug: placed.slug,
        date: placed.date,
        updated: placed.updated,
        permalink: rules::on_base(&lang.base_url, &placed.path),
        file_key: placed.file_key,
    };
    Ok((place, lang))
}

/// The post's terms of `taxonomy` (`tags:` or `categories:`), each value left out a warning.
/// A Jekyll post's categories are Jekyll's: the folders above `_posts/` first, then
/// `categories:` and `category:` ([`rules::jekyll_category_value`]); its tags are `tag:`
/// where it has one, else `tags:`.
fn terms_of(
    config: &Config,
    fm: &FrontMatter,
    path: &str,
    taxonomy: Taxonomy,
    warnings: &mut Vec<Warning>,
) -> Vec<Term> {
    let jekyll = config
        .layout
        .as_ref()
        .is_some_and(|l| l.generator == crate::config::Generator::Jekyll);
    let value = if jekyll && taxonomy == Taxonomy::Category {
        rules::jekyll_category_value(path, fm).map(std::borrow::Cow::Owned)
    } else if let Some(tag) = fm
        .fields
        .get("tag")
        .filter(|_| jekyll && taxonomy == Taxonomy::Tag)
    {
        // Jekyll's `tag:` wins over `tags:`, one tag as written (a string is not split).
        Some(std::borrow::Cow::Owned(match tag {
            Value::Sequence(_) => tag.clone(),
            one => Value::Sequence(vec![one.clone()]),
        }))
    } else {
        fm.fields
            .get(taxonomy.key())
            .map(std::borrow::Cow::Borrowed)
    };
    let Some(value) = value else {
        return Vec::new();
    };
    let read = terms::read(&value, taxonomy, &config.taxonomies);
    warnings.extend(read.refused.into_iter().map(|message| Warning {
        line: Some(fm.line_of(taxonomy.key())),
        message,
    }));
    read.terms
}

/// The stem the slug comes from: the file name without `.md`, or the folder of a bundle's
/// `index.md`.
fn file_stem(path: &str) -> &str {
    let mut parts = path.rsplit('/');
    let name = parts.next().unwrap_or(path);
    let stem = name
        .rsplit_once('.')
        .map_or(name, |(stem, _extension)| stem);
    if stem.eq_ignore_ascii_case("index") {
        parts.next().unwrap_or(stem)
    } else {
        stem
    }
}

/// The first of `keys` the front matter gives text to, spaces normalised, XML-safe.
fn keyed_text(fm: &FrontMatter, keys: &[String]) -> Option<String> {
    let (_, text) = fm.first_text(keys)?;
    Some(xml_safe(&normalize_space(&text)))
}

/// The first of `[front_matter] updated` there (`updated` or `lastmod` by default).
fn updated_date(
    config: &Config,
    fm: &FrontMatter,
    warnings: &mut Vec<Warning>,
) -> Option<DateTime<FixedOffset>> {
    let (key, text) = fm.first_text(&config.front_matter.updated)?;
    match dates::parse(&text, config.timezone) {
        Ok(date) => Some(date),
        Err(e) => {
            warnings.push(Warning {
                line: Some(fm.line_of(key)),
                message: format!("{e}: `{key}` is ignored"),
            });
            None
        }
    }
}

/// At most this many people per post: a real byline names a handful, and each person costs a
/// feed in every format, in each language they wrote in, with its archives. A byline of 10,000
/// names would otherwise make 60,000 documents, each holding the whole post.
pub const MAX_PEOPLE: usize = 50;

/// The people of a post: the `authors:` list where there is one, else the byline parsed; then
/// config aliases map each name to its canonical form. Beyond [`MAX_PEOPLE`], a warning. With
/// them, the names read as roles that another post may name (see [`people_in_corpus`]).
fn people(
    config: &Config,
    fm: &FrontMatter,
    byline: &str,
    warnings: &mut Vec<Warning>,
) -> (Vec<Person>, Option<Undecided>) {
    let alone = |_: &str| false;
    let directory = config.layout.as_ref().map(|l| &*l.people);
    // An id of the site's file of people, as `authors:` lists it or `author:` gives it.
    let known = |value: &Value| -> Option<Person> {
        let id = normalize_space(&scalar_text(value)?);
        let listed = directory?.get(&id)?;
        let slug = person_slug(&listed.name);
        (!slug.is_empty()).then(|| Person {
            name: xml_safe(&listed.name),
            slug,
            role: None,
            url: listed.url.clone(),
        })
    };
    // One id alone, in `authors:` or (without it) `author:`.
    let one_id = match (fm.fields.get("authors"), fm.fields.get("author")) {
        (Some(Value::Sequence(_)), _) | (None, None) => None,
        (Some(one), _) | (None, Some(one)) => known(one),
    };
    if let Some(person) = one_id {
        return (canonical_people(config, vec![person]).0, None);
    }
    let (key, reading, text) = match fm.fields.get("authors") {
        Some(Value::Sequence(items)) => {
            let people = items
                .iter()
                .filter_map(|item| known(item).or_else(|| listed_person(item)))
                .collect();
            let reading = Reading {
                people,
                undecided: Vec::new(),
            };
            ("authors", reading, String::new())
        }
        Some(other) => {
            let text = scalar_text(other).unwrap_or_default();
            ("authors", read_byline(&text, &alone), text)
        }
        None => ("author", read_byline(byline, &alone), byline.to_string()),
    };
    let (out, left_out) = canonical_people(config, reading.people);
    if left_out > 0 {
        warnings.push(Warning {
            line: Some(fm.line_of(key)),
            message: format!(
                "`{key}` names {} people, more than the {MAX_PEOPLE} a post may have: \
                 only the first {MAX_PEOPLE} get a person feed",
                MAX_PEOPLE + left_out
            ),
        });
    }
    let undecided = (!reading.undecided.is_empty()).then(|| Undecided {
        slugs: reading
            .undecided
            .iter()
            .map(|name| canonical_slug(config, name))
            .collect(),
        text,
    });
    (out, undecided)
}

/// `people` with config aliases applied, each person once, at most [`MAX_PEOPLE`]; and how
/// many were left out past that.
fn canonical_people(config: &Config, people: Vec<Person>) -> (Vec<Person>, usize) {
    let mut out: Vec<Person> = Vec::with_capacity(people.len().min(MAX_PEOPLE));
    let mut left_out = 0usize;
    for mut person in people {
        if let Some(canonical) = config.aliases.get(&normalize_space(&person.name)) {
            person.name = canonical.clone();
            person.slug = person_slug(canonical);
        }
        if person.slug.is_empty() || out.iter().any(|p| p.slug == person.slug) {
            continue;
        }
        if out.len() == MAX_PEOPLE {
            left_out += 1;
        } else {
            out.push(person);
        }
    }
    (out, left_out)
}

/// The slug of the person `name` stands for, aliases applied.
fn canonical_slug(config: &Config, name: &str) -> String {
    match config.aliases.get(&normalize_space(name)) {
        Some(canonical) => person_slug(canonical),
        None => person_slug(name),
    }
}

/// The people of `post` once the corpus is known: where its byline holds names read as
/// roles ([`Post::undecided`]) and `known` (slugs of people other posts name, each read on its
/// own) knows one, the byline read again, those names being people; `None` where nothing
/// changes. Pure: a corpus-wide step calls it with what every post names.
pub fn people_in_corpus(
    config: &Config,
    post: &Post,
    known: &dyn Fn(&str) -> bool,
) -> Option<Vec<Person>> {
    let undecided = post.undecided.as_ref()?;
    if !undecided.slugs.iter().any(|slug| known(slug)) {
        return None;
    }
    let reading = read_byline(&undecided.text, &|name| {
        known(&canonical_slug(config, name))
    });
    Some(canonical_people(config, reading.people).0)
}

/// One entry of an `authors:` list: `"Name"`, `"Name, Role"` or `{name, role}`.
fn listed_person(value: &Value) -> Option<Person> {
    let (name, role) = match value {
        Value::Mapping(map) => {
            let field = |key: &str| {
                map.get(key)
                    .and_then(scalar_text)
                    .map(|t| normalize_space(&t))
                    .filter(|t| !t.is_empty())
            };
            (field("name")?, field("role"))
        }
        other => {
            let text = normalize_space(&scalar_text(other)?);
            match parse_byline(&text).into_iter().next() {
                Some(person) => return Some(person),
                None => (text, None),
            }
        }
    };
    let slug = person_slug(&name);
    (!slug.is_empty()).then_some(Person {
        name: xml_safe(&name),
        slug,
        role: role.map(|r| xml_safe(&r)),
        url: None,
    })
}

fn absolute(base: &Url, src: &str) -> Option<String> {
    let src = src.trim();
    if src.is_empty() {
        return None;
    }
    let url = base.join(src).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

/// At most `max` characters, cut at a word boundary with an ellipsis.
fn truncate_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > max / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

/// The relative path of `file` under `root`, `/`-separated.
pub fn relative_path(root: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(root).unwrap_or(file);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn config() -> Config {
        config_with("")
    }

    /// The test configuration with `extra` (tables) after it.
    fn config_with(extra: &str) -> Config {
        let text = r#"
timezone = "America/Toronto"
[languages.en]
base_url = "https://digital.example.ca/"
title = "Example Digital Service"
[languages.fr]
base_url = "https://numerique.example.ca/"
title = "Service numérique exemple"
[authors.aliases]
"Dan Roe" = "Daniel Roe"
"#;
        match Config::from_toml(&PathBuf::from("config.toml"), &format!("{text}{extra}")) {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        }
    }

    fn load(path: &str, text: &str) -> Result<(Post, Vec<Warning>), PostError> {
        load_with("", path, text)
    }

    fn load_with(extra: &str, path: &str, text: &str) -> Result<(Post, Vec<Warning>), PostError> {
        let config = config_with(extra);
        let lang_code = path.split('/').next().unwrap_or("en");
        let lang = config
            .language(lang_code)
            .cloned()
            .unwrap_or_else(|| config.languages[0].clone());
        let location = Location {
            path,
            lang: &lang,
            section: "blog",
        };
        parse_post(&config, &location, text.as_bytes().to_vec())
    }

    #[test]
    fn tags_and_categories_are_read_and_what_is_not_a_term_is_a_warning_on_its_line()
    -> Result<(), PostError> {
        let (post, warnings) = load(
            "en/blog/posts/tagged.md",
            "---\ntitle: Tagged\ndate: 2024-01-02T10:00:00Z\nauthor: Ann Lee\n\
             tags: [Café Culture, \"Q&A\", café culture]\ncategories: News\n---\nBody.\n",
        )?;
        assert!(warnings.is_empty(), "{warnings:?}");
        let terms = |terms: &[Term]| -> Vec<(String, String)> {
            terms
                .iter()
                .map(|t| (t.name.clone(), t.slug.clone()))
                .collect()
        };
        assert_eq!(
            terms(&post.tags),
            [
                ("Café Culture".to_string(), "cafe-culture".to_string()),
                ("Q&A".to_string(), "q-a".to_string())
            ]
        );
        assert_eq!(
            terms(&post.categories),
            [("News".to_string(), "news".to_string())]
        );
        assert!(!post.extra.contains_key("tags") && !post.extra.contains_key("categories"));
        let (post, warnings) = load(
            "en/blog/posts/tagged.md",
            "---\ntitle: Tagged\ndate: 2024-01-02T10:00:00Z\nauthor: Ann Lee\n\
             tags:\n  - Forms\n  - [nested]\n---\nBody.\n",
        )?;
        assert_eq!(
            terms(&post.tags),
            [("Forms".to_string(), "forms".to_string())]
        );
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].line, Some(5));
        assert!(warnings[0].message.contains("`tags`"), "{warnings:?}");
        Ok(())
    }

    #[test]
    fn a_typical_post_loads_with_everything() -> Result<(), PostError> {
        let (post, warnings) = load(
            "en/blog/posts/Guide-:-Forms?.md",
            "---\nlayout: blog\ntitle: 'A field guide to forms '\ndescription: >-\n  Folded\n  summary.\n\
             author: 'Jane Q. Public, Design Research'\ndate: 2021-01-11T23:27:37.170Z\n\
             image: /img/banner.jpg\nimage-alt: Four forms\ntranslationKey: forms\n_PS: kept\n---\n\
             Body with [a link](/about/).\n",
        )?;
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(post.title, "A field guide to forms");
        assert_eq!(post.slug, "guide-forms");
        assert_eq!(
            post.permalink,
            "https://digital.example.ca/2021/01/11/guide-forms/"
        );
        assert_eq!(post.summary, "Folded summary.");
        assert_eq!(post.byline, "Jane Q. Public, Design Research");
        assert_eq!(post.translation_key.as_deref(), Some("forms"));
        assert_eq!(
            post.image,
            Some(Image {
                url: "https://digital.example.ca/img/banner.jpg".into(),
                alt: Some("Four forms".into())
            })
        );
        assert!(
            post.content_html()
                .unwrap_or_default()
                .contains("href=\"https://digital.example.ca/about/\"")
        );
        assert!(post.extra.contains_key("_PS") && post.extra.contains_key("layout"));
        Ok(())
    }

    #[test]
    fn dates_set_the_permalink_in_the_post_offset() -> Result<(), PostError> {
        let cases = [
            (
                "date: '2018-03-09 21:00:00 -0400'",
                "2018/03/09",
                "2018-03-09T21:00:00-04:00",
            ),
            (
                "date: '2023-10-03T22:53:35'",
                "2023/10/03",
                "2023-10-03T22:53:35-04:00",
            ),
            (
                "date: 2021-01-12T02:00:00Z",
                "2021/01/12",
                "2021-01-12T02:00:00+00:00",
            ),
        ];
        for (line, day, rfc3339) in cases {
            let (post, _) = load(
                "en/blog/posts/x.md",
                &format!("---\ntitle: T\nauthor: A B\n{line}\n---\nb\n"),
            )?;
            assert_eq!(
                post.permalink,
                format!("https://digital.example.ca/{day}/x/"),
                "{line}"
            );
            assert_eq!(post.date.to_rfc3339(), rfc3339, "{line}");
        }
        Ok(())
    }

    #[test]
    fn the_file_name_date_wins_over_the_front_matter() -> Result<(), PostError> {
        let (post, _) = load(
            "fr/blog/posts/2021-01-11-un-billet.md",
            "---\ntitle: T\nauthor: A\ndate: '2021-01-12T10:00:00Z'\n---\nb\n",
        )?;
        assert_eq!(post.slug, "un-billet");
        assert_eq!(
            post.permalink,
            "https://numerique.example.ca/2021/01/11/un-billet/"
        );
        assert_eq!(post.date.to_rfc3339(), "2021-01-11T00:00:00-05:00");
        Ok(())
    }

    #[test]
    fn failures_name_their_line() {
        let cases = [
            (
                "---\nauthor: A\ndate: 2021-01-01\n---\n",
                PostError::NoTitle { line: 2 },
            ),
            (
                "---\ntitle: '  '\ndate: 2021-01-01\n---\n",
                PostError::NoTitle { line: 2 },
            ),
            (
                "---\ntitle: T\nauthor: A\n---\n",
                PostError::NoDate { line: 2 },
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(
                load("en/blog/posts/x.md", text).err(),
                Some(expected),
                "{text}"
            );
        }
        match load(
            "en/blog/posts/x.md",
            "---\ntitle: T\n\ndate: 'next tuesday'\n---\n",
        ) {
            Err(e @ PostError::BadDate { .. }) => {
                assert_eq!(e.line(), Some(4));
                assert!(e.to_string().contains("next tuesday"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            load(
                "en/blog/posts/---.md",
                "---\ntitle: T\ndate: 2021-01-01\n---\n"
            )
            .err(),
            Some(PostError::EmptySlug)
        );
    }

    #[test]
    fn empty_bylines_and_missing_alt_text_are_warnings() -> Result<(), PostError> {
        let (post, warnings) = load(
            "en/blog/posts/x.md",
            "---\ntitle: T\nauthor: ''\ndate: 2021-01-01\nimage: https://cdn.example.ca/a.jpg\n---\n![](/y.png)\n",
        )?;
        assert_eq!(post.byline, "Example Digital Service");
        assert!(post.authors.is_empty());
        let lines: Vec<_> = warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [Some(3), Some(7), Some(5)], "{warnings:?}");
        Ok(())
    }

    #[test]
    fn an_authors_list_wins_and_aliases_apply() -> Result<(), PostError> {
        let (post, _) = load(
            "en/blog/posts/x.md",
            "---\ntitle: T\nauthor: Somebody Else and Another Person\nauthors:\n  - Dan  Roe\n  - name: Élise Côté\n    role: Outreach\ndate: 2021-01-01\n---\nb\n",
        )?;
        let people: Vec<_> = post
            .authors
            .iter()
            .map(|p| (p.name.as_str(), p.slug.as_str(), p.role.as_deref()))
            .collect();
        assert_eq!(
            people,
            [
                ("Daniel Roe", "daniel-roe", None),
                ("Élise Côté", "elise-cote", Some("Outreach"))
            ]
        );
        Ok(())
    }

    #[test]
    fn a_name_where_a_role_may_stand_is_settled_by_the_corpus() -> Result<(), PostError> {
        let people = |authors: &[Person]| -> Vec<(String, Option<String>)> {
            authors
                .iter()
                .map(|p| (p.slug.clone(), p.role.clone()))
                .collect()
        };
        // `Dan Roe` is an alias of `Daniel Roe`: known by the canonical slug.
        for front in [
            "author: 'Élise Côté, Dan Roe, CDS'",
            "authors: 'Élise Côté, Dan Roe, CDS'",
        ] {
            let (post, _) = load(
                "en/blog/posts/x.md",
                &format!("---\ntitle: T\n{front}\ndate: 2021-01-01\n---\nb\n"),
            )?;
            assert_eq!(
                people(&post.authors),
                [("elise-cote".to_string(), Some("Dan Roe, CDS".to_string()))],
                "{front}"
            );
            let undecided = post.undecided.as_deref().map(|u| u.slugs.clone());
            assert_eq!(undecided, Some(vec!["daniel-roe".to_string()]), "{front}");
            let config = config();
            assert_eq!(
                people_in_corpus(&config, &post, &|slug| slug == "dan-roe"),
                None
            );
            let settled = people_in_corpus(&config, &post, &|slug| slug == "daniel-roe");
            assert_eq!(
                settled.as_deref().map(people),
                Some(vec![
                    ("elise-cote".to_string(), Some("CDS".to_string())),
                    ("daniel-roe".to_string(), Some("CDS".to_string())),
                ]),
                "{front}"
            );
        }
        // A list names its people as written: nothing is left undecided.
        let (post, _) = load(
            "en/blog/posts/x.md",
            "---\ntitle: T\nauthors: ['Élise Côté, Dan Roe']\ndate: 2021-01-01\n---\nb\n",
        )?;
        assert!(post.undecided.is_none());
        Ok(())
    }

    #[test]
    fn a_crowd_of_people_is_cut_to_the_limit_with_a_warning() -> Result<(), PostError> {
        // Names made of letters only, so that each reads as a person.
        let name = |i: usize| {
            let letter = |n: usize| char::from(b'a' + (n % 26) as u8);
            format!(
                "A{}{}{} Lee{}{}",
                letter(i),
                letter(i / 26),
                letter(i / 676),
                letter(i / 17_576),
                letter(i * 7)
            )
        };
        let byline: Vec<String> = (0..10_000).map(name).collect();
        let started = std::time::Instant::now();
        let (post, warnings) = load(
            "en/blog/posts/x.md",
            &format!(
                "---\ntitle: T\ndate: 2021-01-01\nauthor: '{}'\n---\nb\n",
                byline.join(", ")
            ),
        )?;
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(post.authors.len(), MAX_PEOPLE);
        assert_eq!(post.authors[0].slug, "aaaa-leeaa");
        assert!(
            warnings
                .iter()
                .any(|w| w.line == Some(4) && w.message.contains("names 10000 people")),
            "{warnings:?}"
        );

        let listed: String = (0..60).map(|i| format!("  - {}\n", name(i))).collect();
        let (post, warnings) = load(
            "en/blog/posts/x.md",
            &format!("---\ntitle: T\ndate: 2021-01-01\nauthors:\n{listed}---\nb\n"),
        )?;
        assert_eq!(post.authors.len(), MAX_PEOPLE);
        assert!(
            warnings
                .iter()
                .any(|w| w.line == Some(4) && w.message.contains("`authors` names 60 people")),
            "{warnings:?}"
        );
        Ok(())
    }

    #[test]
    fn summaries_fall_back_to_the_first_paragraph() -> Result<(), PostError> {
        let long = "word ".repeat(200);
        let (post, _) = load(
            "en/blog/posts/x.md",
            &format!("---\ntitle: T\nauthor: A\ndate: 2021-01-01\n---\n# H\n\n{long}\n"),
        )?;
        assert!(post.summary.ends_with('…') && post.summary.chars().count() <= 301);
        Ok(())
    }

    #[test]
    fn front_matter_keys_are_read_as_configured_in_order() -> Result<(), PostError> {
        let keys = "[front_matter]\nsummary = [\"excerpt\", \"description\"]\n\
                    image = [\"images\", \"cover.image\"]\nimage_alt = [\"cover.alt\"]\n\
                    thumbnail = [\"thumbnail\"]\nupdated = [\"modified\"]\n";
        // A blank `excerpt:` gives way to `description:`; `images:` is a list, its first item
        // the image; the alt text is nested under `cover:`.
        let (post, warnings) = load_with(
            keys,
            "en/blog/posts/x.md",
            "---\ntitle: T\nauthor: A B\ndate: 2021-01-01\nexcerpt: ''\n\
             description: The  description.\nimages: [/a.jpg, /b.jpg]\n\
             cover:\n  alt: Two forms\nthumbnail: /t.jpg\nthumb: /not.jpg\n\
             modified: 2021-02-03T04:05:06Z\nupdated: 2022-01-01\n---\nBody.\n",
        )?;
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(post.summary, "The description.");
        assert_eq!(
            post.image,
            Some(Image {
                url: "https://digital.example.ca/a.jpg".into(),
                alt: Some("Two forms".into())
            })
        );
        assert_eq!(
            post.thumbnail.as_deref(),
            Some("https://digital.example.ca/t.jpg")
        );
        assert_eq!(
            post.updated.map(|d| d.to_rfc3339()).as_deref(),
            Some("2021-02-03T04:05:06+00:00")
        );
        // The keys read are not kept as keys syndic does not interpret.
        for key in ["excerpt", "images", "cover", "thumbnail", "modified"] {
            assert!(!post.extra.contains_key(key), "{key}");
        }
        // The first key wins; a nested image; no alt text is a warning naming the keys tried,
        // on the line of the key the image came from.
        let (post, warnings) = load_with(
            keys,
            "en/blog/posts/x.md",
            "---\ntitle: T\nauthor: A B\ndate: 2021-01-01\nexcerpt: The excerpt.\n\
             description: The description.\ncover:\n  image: https://cdn.example.ca/c.jpg\n\
             ---\nBody.\n",
        )?;
        assert_eq!(post.summary, "The excerpt.");
        assert_eq!(
            post.image,
            Some(Image {
                url: "https://cdn.example.ca/c.jpg".into(),
                alt: None
            })
        );
        let messages: Vec<_> = warnings
            .iter()
            .map(|w| (w.line, w.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [(
                Some(7),
                "image without alt text (`cover.alt`): https://cdn.example.ca/c.jpg"
            )]
        );
        Ok(())
    }

    #[test]
    fn without_front_matter_keys_only_todays_keys_are_read() -> Result<(), PostError> {
        let (post, _) = load(
            "en/blog/posts/x.md",
            "---\ntitle: T\nauthor: A B\ndate: 2021-01-01\nexcerpt: An excerpt.\n\
             summary: A summary.\nimages: [/a.jpg]\ncover: /c.jpg\nthumbnail: /t.jpg\n\
             last_modified_at: 2021-02-03\n---\nThe first paragraph.\n",
        )?;
        assert_eq!(post.summary, "The first paragraph.");
        assert_eq!(
            (post.image, post.thumbnail, post.updated),
            (None, None, None)
        );
        let (post, _) = load(
            "en/blog/posts/x.md",
            "---\ntitle: T\nauthor: A B\ndate: 2021-01-01\nthumb: /t.jpg\n\
             lastmod: 2021-02-03T00:00:00Z\n---\nb\n",
        )?;
        assert_eq!(
            post.thumbnail.as_deref(),
            Some("https://digital.example.ca/t.jpg")
        );
        assert_eq!(
            post.updated.map(|d| d.to_rfc3339()).as_deref(),
            Some("2021-02-03T00:00:00+00:00")
        );
        Ok(())
    }

    #[test]
    fn bundles_take_their_folder_name() {
        assert_eq!(file_stem("en/blog/posts/my-post/index.md"), "my-post");
        assert_eq!(file_stem("en/blog/posts/a.b.md"), "a.b");
    }
}
