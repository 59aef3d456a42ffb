//! Archive pages in the manner of RFC 5005 (Feed Paging and Archiving), and what every
//! document's head needs to know about where it sits.
//!
//! Pages have a fixed size (`[feeds] limit`) and are counted from the oldest post, so a full page
//! holds the same posts forever and its bytes never change. After the full pages comes one page
//! that is filling up (possibly empty), so that the newest full page can always name its
//! `next-archive`. The subscription document holds the newest posts and points `prev-archive`
//! at the newest full page: walking `prev-archive` from it reaches every post.

use chrono::{DateTime, FixedOffset};

use std::sync::Arc;

use super::{FeedDef, Format};
use crate::config::Config;
use crate::corpus::Post;

/// One archive page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Page {
    /// 1 = the oldest page.
    pub number: usize,
    /// A full page never changes.
    pub full: bool,
}

/// The archive pages of a feed of `posts` posts: the full ones, then the one filling up.
pub fn pages(posts: usize, size: usize) -> Vec<Page> {
    let size = size.max(1);
    let full = posts / size;
    (1..=full + 1)
        .map(|number| Page {
            number,
            full: number <= full,
        })
        .collect()
}

/// Page `number` of a feed of `posts` posts, if it has one.
pub fn page(posts: usize, size: usize, number: usize) -> Option<Page> {
    let full = posts / size.max(1);
    (1..=full + 1).contains(&number).then_some(Page {
        number,
        full: number <= full,
    })
}

/// A document's place among its feed's documents: its own address and its links.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct View {
    /// Relative to the feed tree.
    pub path: String,
    pub self_url: String,
    /// The subscription document of the same feed and format.
    pub current_url: String,
    pub prev_archive: Option<String>,
    pub next_archive: Option<String>,
    pub page: Option<Page>,
    pub immutable: bool,
    pub format: Format,
    /// The WebSub hub every feed document advertises, where one is configured.
    pub hub: Option<String>,
    limit: usize,
}

impl View {
    /// The view of `feed` in `format`: its subscription document when `page` is `None`.
    /// `archives` says whether archive pages are published (links to them only then).
    pub fn new(
        config: &Config,
        feed: &FeedDef,
        format: Format,
        page: Option<Page>,
        archives: bool,
    ) -> View {
        let limit = config.feed_limit.max(1);
        let url = |path: &str| super::xml::feed_url(config, path);
        let full_pages = feed.posts.len() / limit;
        let archive_url = |n: usize| url(&feed.archive_path(n, format));
        let current_url = url(&feed.path(format));
        let hub = config.websub.as_ref().map(|w| w.hub.to_string());
        match page {
            None => View {
                path: feed.path(format),
                self_url: current_url.clone(),
                current_url,
                prev_archive: (archives && full_pages > 0).then(|| archive_url(full_pages)),
                next_archive: None,
                page: None,
                immutable: false,
                format,
                hub: hub.clone(),
                limit,
            },
            Some(page) => View {
                path: feed.archive_path(page.number, format),
                self_url: archive_url(page.number),
                current_url,
                prev_archive: (page.number > 1).then(|| archive_url(page.number - 1)),
                next_archive: page.full.then(|| archive_url(page.number + 1)),
                page: Some(page),
                immutable: page.full,
                format,
                hub: hub.clone(),
                limit,
            },
        }
    }

    /// Where the posts this document shows sit in the feed's (newest first).
    pub fn range(&self, feed: &FeedDef) -> std::ops::Range<usize> {
        let n = feed.posts.len();
        match self.page {
            None => 0..n.min(self.limit),
            Some(page) => {
                let newest = n.saturating_sub((page.number - 1) * self.limit);
                let oldest = n.saturating_sub(page.number * self.limit);
                oldest..newest
            }
        }
    }

    /// The posts this document shows, newest first.
    pub fn posts(&self, feed: &FeedDef) -> Vec<Arc<Post>> {
        let range = self.range(feed);
        // `skip` of the vector itself, not of its iterator: O(log n), not O(n), a page.
        feed.posts
            .skip(range.start)
            .take(range.len())
            .into_iter()
            .collect()
    }

    /// The document's links to itself and its feed's other documents, as (rel, URL): `self`,
    /// and on archive pages `current`; `prev-archive` and `next-archive` where they exist;
    /// `hub` where a WebSub hub is configured.
    pub fn links(&self) -> Vec<(&'static str, &str)> {
        let mut links = vec![("self", self.self_url.as_str())];
        if self.is_archive() {
            links.push(("current", self.current_url.as_str()));
        }
        if let Some(url) = &self.prev_archive {
            links.push(("prev-archive", url.as_str()));
        }
        if let Some(url) = &self.next_archive {
            links.push(("next-archive", url.as_str()));
        }
        if let Some(hub) = &self.hub {
            links.push(("hub", hub.as_str()));
        }
        links
    }

    /// Whether this is an archive page rather than the subscription document.
    pub fn is_archive(&self) -> bool {
        self.page.is_some()
    }
}

/// What every format's document head is written from.
pub struct Head<'a> {
    pub feed: &'a FeedDef,
    pub view: &'a View,
    /// The newest date among the items shown (else the feed's newest), never the build time.
    pub updated: Option<DateTime<FixedOffset>>,
    pub generator: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feeds::Scope;

    fn feed(posts: usize) -> FeedDef {
        FeedDef {
            scope: Scope::Lang("en".into()),
            stem: "en".into(),
            lang: Some("en".into()),
            title: "T".into(),
            description: String::new(),
            home_url: "https://a.example/".into(),
            // Newest first: post 0 is the newest.
            posts: (0..posts).map(numbered).collect(),
        }
    }

    /// A post titled with its number.
    fn numbered(n: usize) -> Arc<Post> {
        let config = config(3);
        let path = format!("en/blog/p{n}.md");
        let location = crate::corpus::post::Location {
            path: &path,
            lang: &config.languages[0],
            section: "blog",
        };
        let text = format!("---\ntitle: '{n}'\ndate: 2024-01-01\n---\nBody.\n");
        match crate::corpus::post::parse_post(&config, &location, text.into_bytes()) {
            Ok((post, _)) => Arc::new(post),
            Err(e) => panic!("{e}"),
        }
    }

    /// The numbers of `posts`.
    fn numbers(posts: &[Arc<Post>]) -> Vec<usize> {
        posts.iter().filter_map(|p| p.title.parse().ok()).collect()
    }

    fn config(limit: usize) -> Config {
        let text = format!(
            "feeds_url = \"https://a.example/feeds/\"\n[feeds]\nlimit = {limit}\n\
             [languages.en]\nbase_url = \"https://a.example/\"\n"
        );
        match Config::from_toml(std::path::Path::new("c.toml"), &text) {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn full_pages_then_one_filling_up() {
        let numbers = |n, size| {
            pages(n, size)
                .iter()
                .map(|p| (p.number, p.full))
                .collect::<Vec<_>>()
        };
        assert_eq!(numbers(0, 3), [(1, false)]);
        assert_eq!(numbers(2, 3), [(1, false)]);
        assert_eq!(numbers(3, 3), [(1, true), (2, false)]);
        assert_eq!(numbers(7, 3), [(1, true), (2, true), (3, false)]);
    }

    #[test]
    fn walking_prev_archive_from_the_subscription_document_sees_every_post() {
        for n in [0, 1, 2, 3, 4, 5, 6, 7, 20, 21] {
            let config = config(3);
            let feed = feed(n);
            let mut seen: Vec<usize> = Vec::new();
            let mut view = View::new(&config, &feed, Format::Atom, None, true);
            seen.extend(numbers(&view.posts(&feed)));
            while let Some(prev) = view.prev_archive.clone() {
                let number = prev
                    .trim_end_matches(".atom")
                    .rsplit('/')
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                let page = pages(n, 3).into_iter().find(|p| p.number == number);
                assert!(
                    page.is_some_and(|p| p.full),
                    "prev-archive to a page that is not full"
                );
                view = View::new(&config, &feed, Format::Atom, page, true);
                seen.extend(numbers(&view.posts(&feed)));
            }
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen, (0..n).collect::<Vec<_>>(), "n = {n}");
        }
    }

    #[test]
    fn pages_partition_the_history_and_full_pages_are_fixed() {
        let config = config(3);
        let feed7 = feed(7);
        let mut all: Vec<usize> = pages(7, 3)
            .into_iter()
            .flat_map(|p| {
                numbers(&View::new(&config, &feed7, Format::Rss, Some(p), true).posts(&feed7))
            })
            .collect();
        all.sort_unstable();
        assert_eq!(all, (0..7).collect::<Vec<_>>());
        // The oldest page holds the three oldest posts (4, 5, 6 when 0 is the newest), newest first.
        let page1 = Some(Page {
            number: 1,
            full: true,
        });
        assert_eq!(
            numbers(&View::new(&config, &feed7, Format::Rss, page1, true).posts(&feed7)),
            [4, 5, 6]
        );
        // Three newer posts later: page 1 still holds the same posts, now numbered 7, 8, 9.
        let feed10 = feed(10);
        assert_eq!(
            numbers(&View::new(&config, &feed10, Format::Rss, page1, true).posts(&feed10)),
            [7, 8, 9]
        );
    }

    #[test]
    fn links_between_documents() {
        let config = config(3);
        let feed = feed(7);
        let current = View::new(&config, &feed, Format::Json, None, true);
        assert_eq!(current.self_url, "https://a.example/feeds/en.json");
        assert_eq!(
            current.prev_archive.as_deref(),
            Some("https://a.example/feeds/archive/en/2.json")
        );
        let page2 = View::new(
            &config,
            &feed,
            Format::Json,
            Some(Page {
                number: 2,
                full: true,
            }),
            true,
        );
        assert_eq!(
            page2.prev_archive.as_deref(),
            Some("https://a.example/feeds/archive/en/1.json")
        );
        assert_eq!(
            page2.next_archive.as_deref(),
            Some("https://a.example/feeds/archive/en/3.json")
        );
        assert!(page2.immutable);
        let page3 = View::new(
            &config,
            &feed,
            Format::Json,
            Some(Page {
                number: 3,
                full: false,
            }),
            true,
        );
        assert_eq!(page3.next_archive, None);
        assert!(!page3.immutable);
        let no_archives = View::new(&config, &feed, Format::Json, None, false);
        assert_eq!(no_archives.prev_archive, None);
    }
}
