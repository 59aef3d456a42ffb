//! Tags and categories: a front matter value (`tags:`, `categories:`) -> the post's terms, each
//! with its display text and a slug.
//!
//! Owns the forms the generators write: a YAML list (`tags: [Accessibility, "Q&A"]`), a single
//! string (`categories: News`: one term, as Hugo and Eleventy read it, or one term per word
//! with `[taxonomies] split_words`, as Jekyll does), and the tags a site leaves out
//! (`[taxonomies] ignore_tags`, for Eleventy's collection names). A term's slug is a person's
//! slug rule ([`super::people::person_slug`]): `Café Culture` -> `cafe-culture`, the same in
//! every post and language. Pure: no file, no corpus; the caller reports what was left out.

use serde_norway::Value;

use super::frontmatter::scalar_text;
use super::people::person_slug;
use super::text::{normalize_space, xml_safe};
use crate::config::Taxonomies;

/// One tag or category of a post.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Term {
    /// As written, spaces normalised: `Café Culture`.
    pub name: String,
    /// `cafe-culture`: what feeds of the term are found by.
    pub slug: String,
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

/// The terms of `value`, the value of `taxonomy`'s key. A tag whose slug is one of
/// `ignore_tags` is left out (not refused).
pub fn read(value: &Value, taxonomy: Taxonomy, settings: &Taxonomies) -> Read {
    let mut out = Read::default();
    let mut over = 0usize;
    let mut add = |text: &str, out: &mut Read| {
        let over = &mut over;
        let name = xml_safe(&normalize_space(text));
        let slug = person_slug(&name);
        if slug.is_empty() {
            if !name.is_empty() {
                out.refused.push(format!(
                    "`{name}` in `{}` has no letter or digit: left out",
                    taxonomy.key()
                ));
            }
            return;
        }
        let ignored = taxonomy == Taxonomy::Tag && settings.ignore_tags.contains(&slug);
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
