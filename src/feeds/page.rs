//! The feed tree's index page, `index.html`, for people: in English and French side by side
//! (in the site's language alone for a site in one language: French for French, English for
//! any other), what a feed is and how to subscribe, then every feed by language, by author, by tag and by
//! category, each in RSS, Atom and JSON Feed, and the OPML list of them all.
//!
//! Links inside the tree are relative, so the tree works wherever it is hosted; the
//! autodiscovery `<link>`s in the head (site-wide and per-language feeds) are absolute, built
//! on `feeds_url`. Plain HTML5 with landmarks (`header`, `main`), ordered headings and language
//! marks, and the CSS the feeds' own page shares ([`super::stylesheet::STYLE`], WCAG AA
//! contrast); no JavaScript. Pure and deterministic: the same feeds give the same bytes.

use super::opml::{self, Listing, Named, Speech, language_name, relative_href, site_title};
use super::stylesheet::STYLE;
use super::xml::{escape, feed_url};
use std::sync::Arc;

use super::{Document, FeedDef, Format};
use crate::config::Config;

/// Where the page sits in the feed tree.
pub const PATH: &str = "index.html";

/// The page's media type.
pub const CONTENT_TYPE: &str = "text/html; charset=utf-8";

/// The index page listing every feed.
pub fn index_html(config: &Config, feeds: &[Arc<FeedDef>]) -> Document {
    let listing = Listing::new(feeds);
    let speech = Speech::of(config);
    let mut out = String::with_capacity(4096 + feeds.len() * 600);
    head(&mut out, config, speech, &listing);
    out.push_str("<body>\n");
    banner(&mut out, config, speech);
    out.push_str("<main class=\"wrap\">\n");
    intro(&mut out, config, speech);
    by_language(&mut out, speech, &listing);
    by_group(&mut out, speech, &BY_AUTHOR, &listing.people);
    by_group(&mut out, speech, &BY_TAG, &listing.tags);
    by_group(&mut out, speech, &BY_CATEGORY, &listing.categories);
    all_at_once(&mut out, speech);
    out.push_str("</main>\n</body>\n</html>\n");
    Document::whole(PATH, CONTENT_TYPE, out.into_bytes())
}

/// The doctype and `<head>`, with autodiscovery links to the site-wide and per-language feeds.
fn head(out: &mut String, config: &Config, speech: Speech, listing: &Listing<'_>) {
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n",
        speech.lang()
    ));
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<title>{} – {}</title>\n",
        escape(&speech.text("Feeds", "Fils de syndication")),
        escape(&site_title(config))
    ));
    for feed in listing.site.iter().chain(&listing.languages) {
        for format in Format::ALL {
            let hreflang = feed
                .lang
                .as_ref()
                .map(|lang| format!(" hreflang=\"{}\"", escape(lang)))
                .unwrap_or_default();
            out.push_str(&format!(
                "<link rel=\"alternate\" type=\"{}\" title=\"{}\"{hreflang} href=\"{}\">\n",
                media_type(format),
                escape(&format!("{} ({})", feed.title, format.label())),
                escape(&feed_url(config, &feed.path(format))),
            ));
        }
    }
    out.push_str(&format!("<style>\n{STYLE}</style>\n</head>\n"));
}

/// The page's banner: the site's name in each language, then the heading.
fn banner(out: &mut String, config: &Config, speech: Speech) {
    let names: Vec<String> = config
        .languages
        .iter()
        .map(|l| {
            format!(
                "<span lang=\"{}\">{}</span>",
                escape(&l.code),
                escape(&l.title)
            )
        })
        .collect();
    out.push_str("<header class=\"banner\">\n<div class=\"wrap\">\n");
    out.push_str(&format!(
        "<p class=\"kicker\">{}</p>\n",
        names.join("<span class=\"sep\" aria-hidden=\"true\"> / </span>")
    ));
    out.push_str(&format!(
        "<h1>{}</h1>\n",
        say(speech, "Feeds", "Fils de syndication")
    ));
    out.push_str("</div>\n</header>\n");
}

/// What a feed is and how to subscribe, in both languages (or the site's one), with links back
/// to the sites.
fn intro(out: &mut String, config: &Config, speech: Speech) {
    let sites = |lang: &str| {
        config
            .languages
            .iter()
            .map(|l| {
                let code = escape(&l.code);
                let mark = if l.code == lang {
                    String::new()
                } else {
                    format!(" lang=\"{code}\"")
                };
                format!(
                    "<a href=\"{}\" hreflang=\"{code}\"{mark}>{}</a>",
                    escape(l.base_url.as_str()),
                    escape(&l.title)
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let english = format!(
        "<p>A feed lists a site’s newest posts, so that a feed reader can show you each new \
         one as it comes out. To subscribe, copy the link of a feed below (right-click it, \
         then “Copy link”) and paste it into your feed reader.</p>\n\
         <p>Each feed comes in three formats holding the same posts: RSS, Atom and JSON Feed. \
         Any one will do.</p>\n<p>The site: {}.</p>\n",
        sites("en")
    );
    let french = format!(
        "<p>Un fil de syndication énumère les plus récents billets d’un site, pour qu’un \
         lecteur de fils vous montre chaque nouveau billet dès sa parution. Pour vous abonner, \
         copiez le lien d’un fil ci-dessous (clic droit, puis «\u{a0}Copier le lien\u{a0}») et \
         collez-le dans votre lecteur de fils.</p>\n\
         <p>Chaque fil existe en trois formats qui contiennent les mêmes billets\u{a0}: RSS, \
         Atom et JSON Feed. Un seul suffit.</p>\n<p>Le site\u{a0}: {}.</p>\n",
        sites("fr")
    );
    out.push_str("<section class=\"note\" aria-labelledby=\"subscribe\">\n");
    out.push_str(&format!(
        "<h2 id=\"subscribe\">{}</h2>\n",
        say(speech, "How to subscribe", "Comment s’abonner")
    ));
    out.push_str(&pair(speech, &english, &french));
    out.push_str("</section>\n");
}

/// The site-wide feed and each language's (the site-wide one alone for a site in one
/// language, under "All posts").
fn by_language(out: &mut String, speech: Speech, listing: &Listing<'_>) {
    if listing.site.is_empty() && listing.languages.is_empty() {
        return;
    }
    let heading = match speech {
        Speech::Both => both("By language", "Par langue"),
        _ => say(speech, "All posts", "Tous les billets"),
    };
    section_start(out, "by-language", heading);
    out.push_str("<table>\n<thead>\n<tr>");
    header_cells(
        out,
        speech,
        &[
            ("Language", "Langue"),
            ("Feed", "Fil"),
            ("Subscribe", "S’abonner"),
        ],
    );
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    for feed in listing.site.iter().chain(&listing.languages) {
        let lang = lang_attr(feed);
        out.push_str(&format!(
            "<tr><th scope=\"row\"{lang}>{}</th><td{lang}>{}</td><td>{}</td></tr>\n",
            language_label(feed),
            escape(&feed.title),
            formats(feed)
        ));
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// A section of groups of feeds: its id, its heading and what its first column names, in
/// English and French.
struct Section {
    id: &'static str,
    heading: (&'static str, &'static str),
    what: (&'static str, &'static str),
}

const BY_AUTHOR: Section = Section {
    id: "by-author",
    heading: ("By author", "Par auteur"),
    what: ("Person", "Personne"),
};

const BY_TAG: Section = Section {
    id: "by-tag",
    heading: ("By tag", "Par étiquette"),
    what: ("Tag", "Étiquette"),
};

const BY_CATEGORY: Section = Section {
    id: "by-category",
    heading: ("By category", "Par catégorie"),
    what: ("Category", "Catégorie"),
};

/// Each person's (tag's, category's) feeds: across languages, then in each language they
/// wrote in (it is used in).
fn by_group(out: &mut String, speech: Speech, section: &Section, groups: &[Named<'_>]) {
    if groups.is_empty() {
        return;
    }
    section_start(
        out,
        section.id,
        say(speech, section.heading.0, section.heading.1),
    );
    out.push_str("<table>\n<thead>\n<tr>");
    header_cells(
        out,
        speech,
        &[
            section.what,
            ("Language", "Langue"),
            ("Subscribe", "S’abonner"),
        ],
    );
    out.push_str("</tr>\n</thead>\n");
    for person in groups {
        out.push_str("<tbody>\n");
        for (i, feed) in person.feeds.iter().enumerate() {
            out.push_str("<tr>");
            if i == 0 {
                out.push_str(&format!(
                    "<th scope=\"rowgroup\" rowspan=\"{}\">{}</th>",
                    person.feeds.len(),
                    escape(person.name)
                ));
            }
            out.push_str(&format!(
                "<td{}>{}</td><td>{}</td></tr>\n",
                lang_attr(feed),
                language_label(feed),
                formats(feed)
            ));
        }
        out.push_str("</tbody>\n");
    }
    out.push_str("</table>\n</section>\n");
}

/// The link to the OPML list.
fn all_at_once(out: &mut String, speech: Speech) {
    section_start(
        out,
        "all-at-once",
        say(speech, "Every feed at once", "Tous les fils d’un coup"),
    );
    let link = format!(
        "<a href=\"{}\" type=\"text/x-opml\">{}</a>",
        escape(&relative_href(opml::PATH)),
        escape(opml::PATH)
    );
    let english = format!("Most feed readers can import the list of every feed, {link} (OPML).");
    let french = format!(
        "La plupart des lecteurs de fils peuvent importer la liste de tous les fils, {link} \
         (OPML)."
    );
    match speech {
        Speech::Both => out.push_str(&format!(
            "<div class=\"pair\">\n<p>{english}</p>\n<p lang=\"fr\">{french}</p>\n</div>\n"
        )),
        Speech::English => out.push_str(&format!("<p>{english}</p>\n")),
        Speech::French => out.push_str(&format!("<p>{french}</p>\n")),
    }
    out.push_str("</section>\n");
}

fn section_start(out: &mut String, id: &str, heading: String) {
    out.push_str(&format!(
        "<section aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">{heading}</h2>\n"
    ));
}

fn header_cells(out: &mut String, speech: Speech, cells: &[(&str, &str)]) {
    for (en, fr) in cells {
        out.push_str(&format!("<th scope=\"col\">{}</th>", say(speech, en, fr)));
    }
}

/// One text in the page's language(s), escaped: both side by side ([`both`]), or one.
fn say(speech: Speech, en: &str, fr: &str) -> String {
    match speech {
        Speech::Both => both(en, fr),
        Speech::English => escape(en),
        Speech::French => escape(fr),
    }
}

/// Two blocks of HTML, one per language, side by side (the French one marked), or the page's
/// one alone.
fn pair(speech: Speech, english: &str, french: &str) -> String {
    match speech {
        Speech::Both => format!(
            "<div class=\"pair\">\n<div>\n{english}</div>\n<div lang=\"fr\">\n{french}</div>\n</div>\n"
        ),
        Speech::English => format!("<div>\n{english}</div>\n"),
        Speech::French => format!("<div>\n{french}</div>\n"),
    }
}

/// English then French, side by side: `English / <span lang="fr">Français</span>`, escaped.
fn both(en: &str, fr: &str) -> String {
    format!(
        "{}<span class=\"sep\" aria-hidden=\"true\"> / </span><span lang=\"fr\">{}</span>",
        escape(en),
        escape(fr)
    )
}

/// ` lang="xx"` for a feed in one language; nothing for one across languages.
fn lang_attr(feed: &FeedDef) -> String {
    feed.lang
        .as_ref()
        .map(|lang| format!(" lang=\"{}\"", escape(lang)))
        .unwrap_or_default()
}

/// The feed's language by its own name, or "every language" in both.
fn language_label(feed: &FeedDef) -> String {
    match &feed.lang {
        Some(code) => escape(language_name(code)),
        None => both("Every language", "Toutes les langues"),
    }
}

/// A link per format, relative to the page.
fn formats(feed: &FeedDef) -> String {
    let links: Vec<String> = Format::ALL
        .into_iter()
        .map(|format| {
            format!(
                "<li><a href=\"{}\" type=\"{}\">{}</a></li>",
                escape(&relative_href(&feed.path(format))),
                media_type(format),
                format.label()
            )
        })
        .collect();
    format!("<ul class=\"formats\">{}</ul>", links.concat())
}

/// The media type without its parameters, as `type` attributes want it.
fn media_type(format: Format) -> &'static str {
    let full = format.content_type();
    full.split(';').next().unwrap_or(full)
}

#[cfg(test)]
mod tests {
    use super::super::opml::tests::{Element, config, elements, feeds};
    use super::*;

    const VOID: &[&str] = &["meta", "link"];

    fn page() -> (String, Vec<Arc<FeedDef>>) {
        let feeds = feeds();
        let document = index_html(&config(), &feeds);
        assert_eq!(document.path, "index.html");
        assert_eq!(document.content_type, "text/html; charset=utf-8");
        (String::from_utf8(document.bytes).unwrap_or_default(), feeds)
    }

    #[test]
    fn the_page_is_well_formed_html5_in_english_with_french_parts() -> Result<(), String> {
        let (html, _) = page();
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">\n"));
        let elements = elements(&html, VOID)?;
        let count = |name: &str| elements.iter().filter(|e| e.name == name).count();
        assert_eq!(count("main"), 1);
        assert_eq!(count("header"), 1);
        assert_eq!(count("h1"), 1);
        assert_eq!(count("script"), 0);
        assert_eq!(count("title"), 1);
        assert!(elements.iter().any(|e| e.attr("lang") == Some("fr")));
        Ok(())
    }

    #[test]
    fn a_site_in_one_language_gets_the_page_and_the_list_in_that_language_alone()
    -> Result<(), String> {
        use super::super::opml::tests::one_language;
        for (code, other, words, not) in [
            (
                "en",
                "fr",
                [
                    "Feeds",
                    "How to subscribe",
                    "All posts",
                    "By author",
                    "By tag",
                    "Subscribe",
                ],
                [
                    "Fils",
                    "Comment",
                    "Tous les",
                    "Par auteur",
                    "Étiquette",
                    "S’abonner",
                ],
            ),
            (
                "fr",
                "en",
                [
                    "Fils de syndication",
                    "Comment s’abonner",
                    "Tous les billets",
                    "Par auteur",
                    "Par étiquette",
                    "S’abonner",
                ],
                [
                    "Feeds",
                    "How to",
                    "All posts",
                    "By author",
                    "By tag",
                    "Subscribe",
                ],
            ),
        ] {
            let config = one_language(code);
            let corpus = crate::corpus::Corpus {
                posts: vec![super::super::tests::post(&config, 0, "a", "[Forms]")],
                ..Default::default()
            };
            let feeds = super::super::prepare(&config, &corpus);
            let html = String::from_utf8(index_html(&config, &feeds).bytes).unwrap_or_default();
            assert!(
                html.starts_with(&format!("<!DOCTYPE html>\n<html lang=\"{code}\">\n")),
                "{code}"
            );
            elements(&html, VOID)?;
            for word in words {
                assert!(html.contains(word), "{code}: no {word:?}");
            }
            for word in not {
                assert!(!html.contains(word), "{code}: {word:?}");
            }
            assert!(!html.contains(&format!("lang=\"{other}\"")), "{code}");
            assert!(!html.contains(" / "), "{code}: two languages side by side");
            assert!(!html.contains("Every language"), "{code}");
            let list = String::from_utf8(opml::opml(&config, &feeds).bytes).unwrap_or_default();
            let groups: Vec<&str> = list
                .lines()
                .filter(|l| l.trim_start().starts_with("<outline text="))
                .collect();
            let wanted = match code {
                "fr" => [
                    "Tous les billets",
                    "Personnes",
                    "Ann Lee",
                    "Étiquettes",
                    "Forms",
                ],
                _ => ["All posts", "People", "Ann Lee", "Tags", "Forms"],
            };
            assert_eq!(groups.len(), wanted.len(), "{code}: {groups:?}");
            for (line, text) in groups.iter().zip(wanted) {
                assert_eq!(line.trim(), format!("<outline text=\"{text}\">"), "{code}");
            }
            assert_eq!(list.matches("type=\"rss\"").count(), 3 * 3, "{code}");
        }
        Ok(())
    }

    #[test]
    fn headings_go_in_order() -> Result<(), String> {
        let (html, _) = page();
        let levels: Vec<u32> = elements(&html, VOID)?
            .iter()
            .filter_map(|e| e.name.strip_prefix('h')?.parse().ok())
            .collect();
        assert_eq!(levels.first(), Some(&1));
        for pair in levels.windows(2) {
            assert!(pair[1] <= pair[0] + 1, "{levels:?}");
        }
        Ok(())
    }

    #[test]
    fn every_feed_is_linked_in_every_format_relative_to_the_page() -> Result<(), String> {
        let (html, feeds) = page();
        let elements = elements(&html, VOID)?;
        let hrefs: Vec<&str> = elements
            .iter()
            .filter(|e| e.name == "a")
            .filter_map(|e| e.attr("href"))
            .collect();
        for feed in &feeds {
            for format in Format::ALL {
                let path = feed.path(format);
                assert_eq!(hrefs.iter().filter(|h| **h == path).count(), 1, "{path}");
            }
        }
        assert!(hrefs.contains(&"authors/jane-doe.rss"));
        assert!(hrefs.contains(&"en/tags/q-a.atom"));
        assert!(hrefs.contains(&"fr/categories/nouvelles.json"));
        let sections: Vec<&str> = elements
            .iter()
            .filter(|e| e.name == "h2")
            .filter_map(|e| e.attr("id"))
            .collect();
        assert_eq!(
            sections,
            [
                "subscribe",
                "by-language",
                "by-author",
                "by-tag",
                "by-category",
                "all-at-once"
            ]
        );
        assert!(hrefs.contains(&"en.atom"));
        assert!(hrefs.contains(&"all.opml"));
        assert!(hrefs.contains(&"https://numerique.example/"));
        Ok(())
    }

    #[test]
    fn the_head_announces_the_main_feeds_at_their_public_address() -> Result<(), String> {
        let (html, feeds) = page();
        let elements = elements(&html, VOID)?;
        let alternates: Vec<&Element> = elements
            .iter()
            .filter(|e| e.name == "link" && e.attr("rel") == Some("alternate"))
            .collect();
        assert!(alternates.iter().all(|e| e.depth == 2));
        let main: Vec<&Arc<FeedDef>> = feeds.iter().filter(|f| !f.stem.contains('/')).collect();
        assert_eq!(alternates.len(), main.len() * 3);
        for feed in main {
            for (format, media) in Format::ALL.into_iter().zip([
                "application/rss+xml",
                "application/atom+xml",
                "application/feed+json",
            ]) {
                let url = format!("https://feeds.example/syndic/{}", feed.path(format));
                let link = alternates
                    .iter()
                    .find(|e| e.attr("href") == Some(url.as_str()))
                    .ok_or(format!("no autodiscovery link to {url}"))?;
                assert_eq!(link.attr("type"), Some(media));
                let title = format!("{} ({})", feed.title, format.label());
                assert_eq!(link.attr("title"), Some(title.as_str()));
                assert_eq!(link.attr("hreflang"), feed.lang.as_deref());
            }
        }
        Ok(())
    }

    #[test]
    fn names_and_titles_are_escaped() -> Result<(), String> {
        let (html, _) = page();
        assert!(html.contains("Liam &quot;Bo&quot; O&#39;Neil &amp; &lt;Co&gt;"));
        assert!(html.contains("<td>Tom &amp; Jerry&#39;s &lt;Blog&gt; / Le blogue</td>"));
        assert!(!html.contains("<Co>") && !html.contains("<Blog>"));
        let elements = elements(&html, VOID)?;
        assert!(
            elements
                .iter()
                .any(|e| e.name == "th" && e.attr("scope") == Some("rowgroup"))
        );
        Ok(())
    }

    #[test]
    fn the_page_wears_the_css_the_feeds_page_has() {
        let (html, _) = page();
        assert_eq!(html.matches(STYLE).count(), 1);
        assert!(html.contains(&format!("<style>\n{STYLE}</style>")));
    }

    #[test]
    fn the_same_feeds_give_the_same_bytes() {
        let (config, feeds) = (config(), feeds());
        assert_eq!(index_html(&config, &feeds), index_html(&config, &feeds));
    }
}
