//! `[posts]`: how a site generator's corpus is laid out, resolved into one [`Layout`].
//!
//! Owns the presets of `generator` (Hugo, Jekyll, Eleventy) and the keys that override them:
//! which files are posts (glob patterns), where a post's language comes from, which dates win,
//! in which zone the date tokens of a permalink are read, and the permalink patterns; and the
//! front-matter keys of `[front_matter]`, each generator's by default. Must not
//! touch the corpus: the rules themselves are `corpus::layout` and `corpus::rules`.

use std::collections::BTreeMap;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;

/// The generator whose rules a corpus follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generator {
    Hugo,
    Jekyll,
    Eleventy,
}

/// Which generator's tags a body holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Syntax {
    /// None: the body is Markdown and nothing else (today's corpus; `{{` is text).
    #[default]
    None,
    /// Liquid (Jekyll, Eleventy's default for Markdown) and Nunjucks (Eleventy), whose tags in
    /// a body look alike.
    Liquid,
    /// Hugo's shortcodes. Hugo runs no other template in content: `{{ .Site.Title }}` in a post
    /// is text, as Hugo prints it.
    Hugo,
}

/// Where a post's language comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LangFrom {
    /// The first folder under `content_dir` (`en/posts/a.md`).
    Folder,
    /// The file name's suffix (`a.fr.md`); none is `lang`.
    Suffix,
    /// The front matter's `lang:`; none is `lang`.
    FrontMatter,
    /// Every post is in `lang`.
    Site,
}

/// Where a post's date may come from, in order of precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateFrom {
    FrontMatter,
    FileName,
}

/// The zone a post's date is shown in, and its `:year`, `:month`, `:day` read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateZone {
    /// The offset it was written with (the site's zone when it has none): Hugo.
    Written,
    /// Converted to the site's `timezone`: Jekyll.
    Site,
    /// Converted to UTC: Eleventy.
    Utc,
}

/// `[posts]`, resolved: each key given, or its generator's default.
#[derive(Debug, Clone)]
pub struct Layout {
    pub generator: Generator,
    /// As written, relative to `content_dir`: what a "no post found" error names.
    pub patterns: Vec<String>,
    pub globs: GlobSet,
    pub lang_from: LangFrom,
    /// The language of a post that names none (the first configured language by default).
    pub lang: String,
    pub date_from: Vec<DateFrom>,
    pub date_zone: DateZone,
    /// Section (first folder of a post's path, after the language folder) -> pattern; the
    /// others use `permalink`.
    pub permalinks: BTreeMap<String, String>,
    /// Eleventy without syndic's own `permalink`: the directory data files' permalinks are
    /// read, into `data_permalinks` (folder -> pattern), when the configuration is loaded.
    pub reads_data_files: bool,
    pub data_permalinks: super::eleventy::Permalinks,
    /// Drafts and future posts are published (Hugo and Jekyll leave them out by default).
    pub unpublished: bool,
    /// Links to folders outside `content_dir` are followed.
    pub follow_links_out: bool,
    /// The file (or folder) of people the ids in `authors:` name (`people`, relative to the
    /// configuration file; by default the generator's own, where the site has it).
    pub people_file: Option<std::path::PathBuf>,
    /// What it lists, read when the configuration is loaded from its file.
    pub people: std::sync::Arc<super::people::Directory>,
    /// The URLs it gives that are left out, and why: warnings of every load of the corpus.
    pub people_ignored: Vec<super::people::Unreadable>,
    /// The template tags bodies hold (`templates`): Hugo's shortcodes for Hugo, Liquid for
    /// Jekyll and Eleventy.
    pub templates: Syntax,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPosts {
    generator: Option<String>,
    patterns: Option<Vec<String>>,
    lang_from: Option<String>,
    lang: Option<String>,
    date_from: Option<Vec<String>>,
    date_zone: Option<String>,
    #[serde(default)]
    permalinks: BTreeMap<String, String>,
    unpublished: Option<bool>,
    follow_links_out: Option<bool>,
    people: Option<String>,
    templates: Option<String>,
}

/// What is wrong with `[posts]`: the key (under `posts.`) and why.
pub(super) type Invalid = (String, String);

impl Generator {
    /// The generator's name, as people write it.
    pub fn name(self) -> &'static str {
        match self {
            Generator::Hugo => "Hugo",
            Generator::Jekyll => "Jekyll",
            Generator::Eleventy => "Eleventy",
        }
    }

    fn named(name: &str) -> Option<Generator> {
        match name {
            "hugo" => Some(Generator::Hugo),
            "jekyll" => Some(Generator::Jekyll),
            "eleventy" => Some(Generator::Eleventy),
            _ => None,
        }
    }

    /// The patterns a site of this generator keeps its posts under, relative to its
    /// content folder.
    fn patterns(self) -> Vec<String> {
        let list: &[&str] = match self {
            Generator::Hugo => &["**/*.md"],
            Generator::Jekyll => &["_posts/**/*.md", "*/_posts/**/*.md"],
            Generator::Eleventy => &["posts/**/*.md"],
        };
        list.iter().map(|s| s.to_string()).collect()
    }

    /// Where a site of this generator keeps its people, relative to its root: the file or
    /// folder its themes read (`site.data.authors`); Eleventy has no such convention.
    pub fn people_file(self) -> Option<&'static str> {
        match self {
            Generator::Hugo => Some("data/authors"),
            Generator::Jekyll => Some("_data/authors.yml"),
            Generator::Eleventy => None,
        }
    }

    fn date_from(self) -> Vec<DateFrom> {
        match self {
            Generator::Hugo => vec![DateFrom::FrontMatter],
            Generator::Jekyll | Generator::Eleventy => {
                vec![DateFrom::FrontMatter, DateFrom::FileName]
            }
        }
    }

    fn date_zone(self) -> DateZone {
        match self {
            Generator::Hugo => DateZone::Written,
            Generator::Jekyll => DateZone::Site,
            Generator::Eleventy => DateZone::Utc,
        }
    }

    fn lang_from(self) -> LangFrom {
        match self {
            Generator::Hugo => LangFrom::Suffix,
            Generator::Jekyll => LangFrom::FrontMatter,
            Generator::Eleventy => LangFrom::Site,
        }
    }

    /// The generator's own default permalink pattern.
    pub fn default_permalink(self) -> &'static str {
        match self {
            Generator::Hugo => "/:section/:slug/",
            Generator::Jekyll => "date",
            Generator::Eleventy => "/:filename/",
        }
    }
}

/// `[posts]` resolved against the languages configured (`first` is the main one).
pub(super) fn resolve(
    raw: RawPosts,
    languages: &[&str],
    config_dir: &std::path::Path,
) -> Result<Layout, Invalid> {
    let bad = |key: &str, message: String| (format!("posts.{key}"), message);
    let name = raw.generator.ok_or_else(|| {
        bad(
            "generator",
            "`[posts]` needs `generator`: \"hugo\", \"jekyll\" or \"eleventy\"".into(),
        )
    })?;
    let generator = Generator::named(&name).ok_or_else(|| {
        bad(
            "generator",
            format!("`{name}` is none of \"hugo\", \"jekyll\", \"eleventy\""),
        )
    })?;
    let patterns = raw.patterns.unwrap_or_else(|| generator.patterns());
    if patterns.is_empty() {
        return Err(bad("patterns", "name at least one pattern".into()));
    }
    let mut set = GlobSetBuilder::new();
    for pattern in &patterns {
        if pattern.starts_with('/') || pattern.split('/').any(|part| part == "..") {
            return Err(bad(
                "patterns",
                format!("`{pattern}` must stay inside content_dir (no leading `/`, no `..`)"),
            ));
        }
        let glob = GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
            .map_err(|e| bad("patterns", format!("`{pattern}`: {e}")))?;
        set.add(glob);
    }
    let globs = set
        .build()
        .map_err(|e| bad("patterns", format!("cannot be used: {e}")))?;
    let lang_from = match raw.lang_from.as_deref() {
        None => generator.lang_from(),
        Some("folder") => LangFrom::Folder,
        Some("suffix") => LangFrom::Suffix,
        Some("front_matter") => LangFrom::FrontMatter,
        Some("site") => LangFrom::Site,
        Some(other) => {
            return Err(bad(
                "lang_from",
                format!("`{other}` is none of \"folder\", \"suffix\", \"front_matter\", \"site\""),
            ));
        }
    };
    let lang = match raw.lang {
        Some(code) if languages.contains(&code.as_str()) => code,
        Some(code) => {
            return Err(bad(
                "lang",
                format!("`{code}` is not a configured language ([languages.{code}])"),
            ));
        }
        None => languages.first().map(|l| l.to_string()).unwrap_or_default(),
    };
    let date_from = match raw.date_from {
        None => generator.date_from(),
        Some(list) => {
            let mut out = Vec::new();
            for item in &list {
                let from = match item.as_str() {
                    "front_matter" => DateFrom::FrontMatter,
                    "file_name" => DateFrom::FileName,
                    other => {
                        return Err(bad(
                            "date_from",
                            format!("`{other}` is neither \"front_matter\" nor \"file_name\""),
                        ));
                    }
                };
                if !out.contains(&from) {
                    out.push(from);
                }
            }
            if out.is_empty() {
                return Err(bad("date_from", "name at least one source".into()));
            }
            out
        }
    };
    let date_zone = match raw.date_zone.as_deref() {
        None => generator.date_zone(),
        Some("written") => DateZone::Written,
        Some("site") => DateZone::Site,
        Some("utc") => DateZone::Utc,
        Some(other) => {
            return Err(bad(
                "date_zone",
                format!("`{other}` is none of \"written\", \"site\", \"utc\""),
            ));
        }
    };
    Ok(Layout {
        generator,
        patterns,
        globs,
        lang_from,
        lang,
        date_from,
        date_zone,
        permalinks: raw.permalinks,
        reads_data_files: false,
        data_permalinks: BTreeMap::new(),
        unpublished: raw.unpublished.unwrap_or(false),
        follow_links_out: raw.follow_links_out.unwrap_or(false),
        people_file: match raw.people.as_deref().map(str::trim) {
            None => None,
            Some("") => return Err(bad("people", "name a file or a folder".into())),
            Some(file) => Some(config_dir.join(file)),
        },
        people: std::sync::Arc::default(),
        people_ignored: Vec::new(),
        templates: {
            match raw.templates.as_deref() {
                None => match generator {
                    Generator::Hugo => Syntax::Hugo,
                    Generator::Jekyll | Generator::Eleventy => Syntax::Liquid,
                },
                Some("hugo") => Syntax::Hugo,
                Some("liquid") => Syntax::Liquid,
                Some("none") => Syntax::None,
                Some(other) => {
                    return Err(bad(
                        "templates",
                        format!("`{other}` is none of \"hugo\", \"liquid\", \"none\""),
                    ));
                }
            }
        },
    })
}

/// `[front_matter]`, resolved: the front-matter keys each field is read from, each list tried
/// in order; the first that gives text wins. A key may name a nested one (`cover.image`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterKeys {
    /// The summary; none gives the first paragraph.
    pub summary: Vec<String>,
    /// The image, a list's first item where the key holds a list (Hugo's `images`).
    pub image: Vec<String>,
    /// The image's alternative text.
    pub image_alt: Vec<String>,
    /// The thumbnail, as `image`.
    pub thumbnail: Vec<String>,
    /// The date the post was last updated.
    pub updated: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawKeys {
    summary: Option<Vec<String>>,
    image: Option<Vec<String>>,
    image_alt: Option<Vec<String>>,
    thumbnail: Option<Vec<String>>,
    updated: Option<Vec<String>>,
}

fn owned(keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| k.to_string()).collect()
}

impl FrontMatterKeys {
    /// Some list names `key`, or a key nested under it (`cover` for `cover.image`).
    pub fn reads(&self, key: &str) -> bool {
        [
            &self.summary,
            &self.image,
            &self.image_alt,
            &self.thumbnail,
            &self.updated,
        ]
        .into_iter()
        .flatten()
        .any(|k| k == key || k.split('.').next() == Some(key))
    }

    /// syndic's own keys (no `[posts]`), or the conventions of `generator` and its common
    /// themes.
    pub fn defaults(generator: Option<Generator>) -> FrontMatterKeys {
        let updated = ["updated", "lastmod", "last_modified_at"];
        match generator {
            None => FrontMatterKeys {
                summary: owned(&["description"]),
                image: owned(&["image"]),
                image_alt: owned(&["image-alt"]),
                thumbnail: owned(&["thumb"]),
                updated: owned(&updated[..2]),
            },
            // `.Summary` prefers `summary:`; `images:` is Hugo's own list (its Open Graph and
            // Twitter templates), `cover: {image, alt}` PaperMod's.
            Some(Generator::Hugo) => FrontMatterKeys {
                summary: owned(&["summary", "description"]),
                image: owned(&["images", "image", "cover.image", "cover", "featured_image"]),
                image_alt: owned(&["image_alt", "image-alt", "cover.alt"]),
                thumbnail: owned(&["thumbnail", "thumb"]),
                updated: owned(&updated),
            },
            // `post.excerpt` prefers `excerpt:`; `image:` or `image: {path, alt}` is
            // jekyll-seo-tag's, `header: {image, teaser}` Minimal Mistakes'.
            Some(Generator::Jekyll) => FrontMatterKeys {
                summary: owned(&["excerpt", "description"]),
                image: owned(&["image", "image.path", "header.image"]),
                image_alt: owned(&[
                    "image_alt",
                    "image.alt",
                    "image-alt",
                    "header.image_description",
                ]),
                thumbnail: owned(&["thumbnail", "thumb", "header.teaser"]),
                updated: owned(&updated),
            },
            Some(Generator::Eleventy) => FrontMatterKeys {
                summary: owned(&["excerpt", "description"]),
                image: owned(&["image"]),
                image_alt: owned(&["image_alt", "image-alt"]),
                thumbnail: owned(&["thumbnail", "thumb"]),
                updated: owned(&updated),
            },
        }
    }
}

/// `[front_matter]` over the defaults of `generator` (`None`: no `[posts]`).
pub(super) fn resolve_keys(
    raw: RawKeys,
    generator: Option<Generator>,
) -> Result<FrontMatterKeys, Invalid> {
    let defaults = FrontMatterKeys::defaults(generator);
    let field = |name: &str, given: Option<Vec<String>>, default: Vec<String>| match given {
        None => Ok(default),
        Some(keys) => {
            for key in &keys {
                if key.split('.').any(|part| part.trim().is_empty()) {
                    return Err((
                        format!("front_matter.{name}"),
                        format!("`{key}` is not a key: name one, or nested ones joined by `.`"),
                    ));
                }
            }
            Ok(keys)
        }
    };
    Ok(FrontMatterKeys {
        summary: field("summary", raw.summary, defaults.summary)?,
        image: field("image", raw.image, defaults.image)?,
        image_alt: field("image_alt", raw.image_alt, defaults.image_alt)?,
        thumbnail: field("thumbnail", raw.thumbnail, defaults.thumbnail)?,
        updated: field("updated", raw.updated, defaults.updated)?,
    })
}
