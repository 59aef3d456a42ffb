//! Tags and categories: a front matter value (`tags:`, `categories:`) -> the post's terms, each
//! with its display text and a slug.
//!
//! Owns the forms the generators write: a YAML list (`tags: [Accessibility, "Q&A"]`), a single
//! string (`categories: News`: one term, as Hugo and Eleventy read it, or one term per word
//! with `[taxonomies] split_words`, as Jekyll does), and the tags a site leaves out
//! (`[taxonomies] ignore_tags`, for Eleventy's collection names). A term's slug, the name of its
//! feeds, is the one the site's generator names the term's page by ([`slug`]: Hugo's
//! `/tags/qa/` for `Q&A`), or without `[posts]` a person's slug
//! ([`crate::text::person_slug`]: `Café Culture` -> `cafe-culture`); the same in every post
//! and language. Pure: no file, no corpus; the caller reports what was left out.

use serde_norway::Value;

use super::frontmatter::scalar_text;
use super::rules;
use crate::config::{Generator, Taxonomies};
use crate::text::{normalize_space, person_slug, xml_safe};

/// One tag or category of a post.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Term {
    /// As written, spaces normalised: `Café Culture`.
    pub name: String,
    /// `cafe-culture`: what feeds of the term are found by.
    pub slug: String,
}

/// The slug of the term `name` by `rule`, the generator's whose term pages a site has
/// (`None`: syndic's own, a person's slug):
///
/// - Hugo: the path of its term page, its `urlize` lower-cased ([`rules::hugo_term_slug`]):
///   `Q&A` -> `qa`, `Café Culture` -> `café-culture`;
/// - Jekyll: jekyll-archives' pages, Jekyll's `slugify` in its default mode
///   ([`rules::jekyll_slug`]): `Q&A` -> `q-a`, `Café Culture` -> `café-culture`;
/// - Eleventy: its `slugify` filter ([`rules::eleventy_slug`]), transliterating:
///   `Q&A` -> `q-and-a`, `Café Culture` -> `cafe-culture`.
pub fn slug(rule: Option<Generator>, name: &str) -> String {
    match rule {
        None => person_slug(name),
        Some(Generator::Hugo) => rules::hugo_term_slug(name),
        Some(Generator::Jekyll) => rules::jekyll_slug(name, false, false),
        Some(Generator::Eleventy) => rules::eleventy_slug(name),
    }
}

/// Which of the two a term belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Taxonomy {
    Tag,
    Category,
}

impl Taxonomy {
    pub const ALL: [Taxonomy; 2] = [Taxonomy::Tag, Taxonomy::Category];

    /// The front matter key, which is also the folder of its feeds: `tags`, `categories`.
    pub fn key(self) -> &'static str {
        match self {
            Taxonomy::Tag => "tags",
            Taxonomy::Category => "categories",
        }
    }
}

impl super::Post {
    /// The post's terms of `taxonomy`.
    pub fn terms(&self, taxonomy: Taxonomy) -> &[Term] {
        match taxonomy {
            Taxonomy::Tag => &self.tags,
            Taxonomy::Category => &self.categories,
        }
    }

    /// Whether the post has the term `slug` of `taxonomy`.
    pub fn has_term(&self, taxonomy: Taxonomy, slug: &str) -> bool {
        self.terms(taxonomy).iter().any(|t| t.slug == slug)
    }
}

/// The most terms of one taxonomy a post may have, each giving feeds of its own: past it, the
/// first ones are kept, with a warning (as for people, so that one hostile post cannot make
/// millions of feeds).
pub const MAX_TERMS: usize = 100;

/// What [`read`] gives: the terms, in the order written, each slug once, and why what it could
/// not take was left out (a nested list or mapping, text with no letter or digit, terms past
/// [`MAX_TERMS`]), one warning each.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Read {
    pub terms: Vec<Term>,
    pub refused: Vec<String>,
}

/// The terms of `value`, the value of `taxonomy`'s key, slugs by `settings.slugs`. A tag whose
/// person's slug is one of `ignore_tags` is left out (not refused).
pub fn read(value: &Value, taxonomy: Taxonomy, settings: &Taxonomies) -> Read {
    let mut out = Read::default();
    let mut over = 0usize;
    let mut add = |text: &str, out: &mut Read| {
        let over = &mut over;
        let name = xml_safe(&normalize_space(text));
        let slug = slug(settings.slugs, &name);
        if slug.is_empty() {
            if !name.is_empty() {
                out.refused.push(format!(
                    "`{name}` in `{}` has no letter or digit: left out",
                    taxonomy.key()
                ));
            }
            return;
        }
        let ignored = taxonomy == Taxonomy::Tag
            && !settings.ignore_tags.is_empty()
            && settings.ignore_tags.contains(&person_slug(&name));
        if ignored || out.terms.iter().any(|t| t.slug == slug) {
            return;
        }
        if out.terms.len() < MAX_TERMS {
            out.terms.push(Term { name, slug });
        } else {
            *over += 1;
        }
    };
    match value {
        Value::Sequence(items) => {
            for item in items {
                match scalar_text(item) {
                    Some(text) => add(&text, &mut out),
                    None if item.is_null() => {}
                    None => out.refused.push(format!(
                        "a list or mapping inside `{}` is not a term: left out",
                        taxonomy.key()
                    )),
                }
            }
        }
        other => {
            if let Some(text) = scalar_text(other) {
                if settings.split_words {
                    for word in text.split_whitespace() {
                        add(word, &mut out);
                    }
                } else {
                    add(&text, &mut out);
                }
            }
        }
    }
    if over > 0 {
        out.refused.push(format!(
            "`{}` has {} terms, more than the {MAX_TERMS} a post may have: only the first \
             {MAX_TERMS} are kept",
            taxonomy.key(),
            MAX_TERMS + over
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_norway::from_str(text).unwrap_or(Value::Null)
    }

    fn names(read: &Read) -> Vec<(&str, &str)> {
        read.terms
            .iter()
            .map(|t| (t.name.as_str(), t.slug.as_str()))
            .collect()
    }

    #[test]
    fn each_form_gives_its_terms() {
        let hugo = Taxonomies::default();
        let jekyll = Taxonomies {
            split_words: true,
            ..Taxonomies::default()
        };
        let eleventy = Taxonomies {
            ignore_tags: vec!["post".into(), "posts".into()],
            ..Taxonomies::default()
        };
        let tag = Taxonomy::Tag;
        for (value, settings, taxonomy, want) in [
            (
                "[Accessibility, Forms]",
                &hugo,
                tag,
                vec![("Accessibility", "accessibility"), ("Forms", "forms")],
            ),
            (
                "[Café Culture, \"Q&A\"]",
                &hugo,
                tag,
                vec![("Café Culture", "cafe-culture"), ("Q&A", "q-a")],
            ),
            ("Dates", &hugo, tag, vec![("Dates", "dates")]),
            ("Field Work", &hugo, tag, vec![("Field Work", "field-work")]),
            (
                "Field Work",
                &jekyll,
                tag,
                vec![("Field", "field"), ("Work", "work")],
            ),
            // A list item is one term, words or not, as Jekyll keeps it.
            (
                "[Field Work]",
                &jekyll,
                tag,
                vec![("Field Work", "field-work")],
            ),
            (
                "[posts, Accessibility, Posts]",
                &eleventy,
                tag,
                vec![("Accessibility", "accessibility")],
            ),
            // Only tags are ignored: a category named `posts` is a category.
            (
                "[posts]",
                &eleventy,
                Taxonomy::Category,
                vec![("posts", "posts")],
            ),
            // The same slug twice is one term, as first written.
            (
                "[How-To, how to, ' How  To ']",
                &hugo,
                tag,
                vec![("How-To", "how-to")],
            ),
            (
                "[Accessibilité]",
                &hugo,
                tag,
                vec![("Accessibilité", "accessibilite")],
            ),
            (
                "[2024, true]",
                &hugo,
                tag,
                vec![("2024", "2024"), ("true", "true")],
            ),
            ("", &hugo, tag, vec![]),
            ("[]", &hugo, tag, vec![]),
            ("[~, '']", &hugo, tag, vec![]),
        ] {
            let read = read(&yaml(value), taxonomy, settings);
            assert_eq!(names(&read), want, "{value:?}");
            assert!(read.refused.is_empty(), "{value:?}: {:?}", read.refused);
        }
    }

    /// Each generator's name for a term's page. Hugo's column is what Hugo 0.111.3 published
    /// for these tags (`.RelPermalink` of `.GetTerms "tags"`), but where it keeps what cannot
    /// be in one file's name (`C#` -> `c#`, `x/y` -> `x/y`, `.net` -> `.net`); Jekyll's is
    /// Jekyll 4.3.1's `Utils.slugify` (jekyll-archives' default mode), run on each; Eleventy's
    /// is what Eleventy 3.1.8's `slugify` filter printed for each (`&` -> `and`, `ü` -> `ue`).
    #[test]
    fn each_generator_names_a_term_as_its_term_page() {
        let rows = [
            // name, syndic's own, Hugo, Jekyll, Eleventy
            ("Q&A", "q-a", "qa", "q-a", "q-and-a"),
            (
                "Café Culture",
                "cafe-culture",
                "café-culture",
                "café-culture",
                "cafe-culture",
            ),
            ("How-To", "how-to", "how-to", "how-to", "how-to"),
            ("a--b", "a-b", "a--b", "a-b", "a-b"),
            ("a - b", "a-b", "a-b", "a-b", "a-b"),
            ("Node.js", "node-js", "node.js", "node-js", "node-js"),
            (
                "  Spaced  Out ",
                "spaced-out",
                "spaced-out",
                "spaced-out",
                "spaced-out",
            ),
            ("Tab\tHere", "tab-here", "tab-here", "tab-here", "tab-here"),
            (
                "e-mail@work",
                "e-mail-work",
                "e-mail@work",
                "e-mail-work",
                "e-mail-work",
            ),
            (
                "R&D-Team",
                "r-d-team",
                "rd-team",
                "r-d-team",
                "r-and-d-team",
            ),
            ("-lead-", "lead", "-lead-", "lead", "lead"),
            ("A_B", "a-b", "a_b", "a-b", "a-b"),
            ("~tilde", "tilde", "~tilde", "tilde", "tilde"),
            ("100%", "100", "100", "100", "100"),
            ("Ünïcödé", "unicode", "ünïcödé", "ünïcödé", "uenicoede"),
            ("C#", "c", "c", "c", "c"),
            ("x/y", "x-y", "xy", "x-y", "x-y"),
            (".net", "net", "net", "net", "net"),
        ];
        for (name, own, hugo, jekyll, eleventy) in rows {
            assert_eq!(slug(None, name), own, "own {name:?}");
            assert_eq!(slug(Some(Generator::Hugo), name), hugo, "hugo {name:?}");
            assert_eq!(
                slug(Some(Generator::Jekyll), name),
                jekyll,
                "jekyll {name:?}"
            );
            assert_eq!(
                slug(Some(Generator::Eleventy), name),
                eleventy,
                "eleventy {name:?}"
            );
        }
        // Read from front matter, terms are told apart and ignored as the rule says.
        let hugo = Taxonomies {
            slugs: Some(Generator::Hugo),
            ignore_tags: vec!["posts".into()],
            ..Taxonomies::default()
        };
        let read = read(
            &yaml("[Q&A, Q & A, Café Culture, Posts, Cafe Culture]"),
            Taxonomy::Tag,
            &hugo,
        );
        assert_eq!(
            names(&read),
            vec![
                ("Q&A", "qa"),
                ("Q & A", "q-a"),
                ("Café Culture", "café-culture"),
                ("Cafe Culture", "cafe-culture")
            ]
        );
    }

    #[test]
    fn a_crowd_of_terms_is_cut_to_the_limit_with_a_warning() {
        let many: Vec<String> = (0..MAX_TERMS + 7).map(|n| format!("t{n}")).collect();
        let read = read(
            &yaml(&format!("[{}]", many.join(", "))),
            Taxonomy::Category,
            &Taxonomies::default(),
        );
        assert_eq!(read.terms.len(), MAX_TERMS);
        assert_eq!(read.terms[0].slug, "t0");
        assert_eq!(
            read.refused,
            [format!(
                "`categories` has {} terms, more than the {MAX_TERMS} a post may have: only the \
                 first {MAX_TERMS} are kept",
                MAX_TERMS + 7
            )]
        );
    }

    #[test]
    fn what_cannot_be_a_term_is_refused() {
        let read = read(
            &yaml("[Forms, [a, b], {x: 1}, '???']"),
            Taxonomy::Tag,
            &Taxonomies::default(),
        );
        assert_eq!(names(&read), vec![("Forms", "forms")]);
        assert_eq!(read.refused.len(), 3, "{:?}", read.refused);
        assert_eq!(
            read.refused[2],
            "`???` in `tags` has no letter or digit: left out"
        );
    }
}
