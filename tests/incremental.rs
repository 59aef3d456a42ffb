//! A corpus changed one file at a time and updated incrementally (only the changed files read
//! again, only the touched documents written) must serve exactly what a fresh load of the
//! same files serves, and must take every untouched document over as it was. The same holds
//! when the identity lock changes: the id is part of a post's items.

mod common;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use syndic::config::Config;
use syndic::corpus::{self, Corpus};
use syndic::http::encoding::Coding;
use syndic::http::snapshot::Snapshot;
use syndic::identity::{Keyed, Lock};

struct Site {
    _dir: tempfile::TempDir,
    root: PathBuf,
    config: Arc<Config>,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path().to_path_buf();
        common::copy_tree(&common::root().join("content"), &root.join("content"));
        std::fs::copy(common::root().join("config.toml"), root.join("config.toml"))
            .unwrap_or_else(|e| panic!("{e}"));
        let config =
            Config::load(&root.join("config.toml")).unwrap_or_else(|e| panic!("config: {e}"));
        Site {
            _dir: dir,
            root,
            config: Arc::new(config),
        }
    }

    /// A copy of the generator fixture `name` (`tests/fixtures/generators/`), configured by its
    /// own `syndic.toml`.
    fn generator(name: &str) -> Site {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path().to_path_buf();
        common::copy_tree(
            &common::root().join("tests/fixtures/generators").join(name),
            &root,
        );
        let config =
            Config::load(&root.join("syndic.toml")).unwrap_or_else(|e| panic!("config: {e}"));
        Site {
            _dir: dir,
            root,
            config: Arc::new(config),
        }
    }

    /// Writes `text` at `path` (relative to the site), making its folders.
    fn write(&self, path: &str, text: &str) -> PathBuf {
        let path = self.root.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        path
    }

    fn post(&self, name: &str) -> PathBuf {
        self.root.join("content/en/blog/posts").join(name)
    }

    fn edit(&self, name: &str, from: &str, to: &str) -> PathBuf {
        let path = self.post(name);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(text.contains(from), "{name} has no {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap_or_else(|e| panic!("{e}"));
        path
    }
}

fn build(config: &Arc<Config>, corpus: Corpus, previous: Option<&Snapshot>) -> Snapshot {
    Snapshot::build(
        Arc::clone(config),
        Arc::new(corpus),
        SystemTime::UNIX_EPOCH,
        previous,
    )
}

/// Updates `before` with `changed`, checks the result against a full reload and a snapshot
/// built from nothing, and returns it
/// with how many documents were taken over from `before` unchanged.
fn step(site: &Site, before: &Snapshot, changed: &[PathBuf]) -> (Snapshot, usize) {
    step_with(site, before, changed, &before.corpus().ids.lock)
}

/// [`step`] with ids from `lock`.
fn step_with(
    site: &Site,
    before: &Snapshot,
    changed: &[PathBuf],
    lock: &Arc<Lock>,
) -> (Snapshot, usize) {
    let updated = corpus::update(&site.config, lock, before.corpus(), changed)
        .unwrap_or_else(|| panic!("{changed:?} should not need a full reload"));
    // Everything read again, the way a full rescan does (keeping last good versions).
    let fresh = corpus::reload(&site.config, lock, Some(before.corpus()));
    let paths = |c: &Corpus| c.posts.iter().map(|p| p.path.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&updated), paths(&fresh), "posts after {changed:?}");
    for (a, b) in updated.posts.iter().zip(&fresh.posts) {
        assert!(a == b, "{} differs after {changed:?}", a.path);
    }
    assert_eq!(updated.errors, fresh.errors, "errors after {changed:?}");
    assert_eq!(
        updated.warnings, fresh.warnings,
        "warnings after {changed:?}"
    );

    let next = build(&site.config, updated, Some(before));
    let scratch = build(&site.config, fresh, None);
    assert_eq!(next.paths(), scratch.paths(), "documents after {changed:?}");
    let mut kept = 0;
    for path in next.paths() {
        let (Some(a), Some(b)) = (next.get(path), scratch.get(path)) else {
            panic!("{path} missing");
        };
        assert_eq!(
            a.body(Coding::Identity).concat(),
            b.body(Coding::Identity).concat(),
            "{path} after {changed:?}"
        );
        assert_eq!(a.etag(Coding::Identity), b.etag(Coding::Identity), "{path}");
        if before.get(path).is_some_and(|old| Arc::ptr_eq(&old, &a)) {
            kept += 1;
        }
    }
    (next, kept)
}

fn etag(snapshot: &Snapshot, path: &str) -> String {
    snapshot
        .get(path)
        .map(|r| r.etag(Coding::Identity).to_string())
        .unwrap_or_else(|| panic!("no {path}"))
}

#[test]
fn incremental_updates_serve_what_a_fresh_load_serves() {
    let site = Site::new();
    let first = build(
        &site.config,
        corpus::load(&site.config, &Default::default()),
        None,
    );
    let total = first.paths().len();
    let research = "2019-04-16-user-research-with-small-businesses.md";

    // A title corrected: its feeds change, the rest are taken over.
    let changed = site.edit(
        research,
        "title: User research with small businesses",
        "title: User research with small firms",
    );
    let (second, kept) = step(&site, &first, &[changed]);
    assert!(kept > total / 2, "only {kept} of {total} documents kept");
    assert!(kept < total, "the edited post's feeds must change");
    assert_ne!(
        etag(&first, "authors/amira-haddad.rss"),
        etag(&second, "authors/amira-haddad.rss")
    );

    // A byline changed: the post moves between person feeds.
    let changed = site.edit(
        research,
        "Amira Haddad (Revenue Agency) and Kevin MacLeod (Digital Service)",
        "Kevin MacLeod (Digital Service)",
    );
    let (third, _) = step(&site, &second, &[changed]);
    assert!(third.get("authors/kevin-macleod.rss").is_some());

    // A save that breaks the front matter: the last good version stays, with an error.
    let changed = site.edit(
        research,
        "translationKey: smb-research",
        "translationKey: [oops",
    );
    let (fourth, kept) = step(&site, &third, std::slice::from_ref(&changed));
    assert!(!fourth.errors().is_empty());
    assert_eq!(fourth.posts(), third.posts());
    assert_eq!(
        kept,
        total_after(&fourth),
        "a broken save changes no document"
    );

    // Fixed again, then renamed (a new permalink), then removed.
    site.edit(
        research,
        "translationKey: [oops",
        "translationKey: smb-research",
    );
    let (fifth, _) = step(&site, &fourth, std::slice::from_ref(&changed));
    assert!(fifth.errors().is_empty());
    let renamed = site.post("2019-04-16-research-with-small-firms.md");
    std::fs::rename(&changed, &renamed).unwrap_or_else(|e| panic!("{e}"));
    let (sixth, _) = step(&site, &fifth, &[changed.clone(), renamed.clone()]);
    std::fs::remove_file(&renamed).unwrap_or_else(|e| panic!("{e}"));
    let (seventh, _) = step(&site, &sixth, std::slice::from_ref(&renamed));
    assert_eq!(seventh.posts() + 1, sixth.posts());

    // A new post, and a translation key that now pairs two posts.
    let added = site.post("2026-11-28-a-new-post.md");
    std::fs::write(
        &added,
        "---\ntitle: A new post\nauthor: Nadia Tremblay\ndate: 2026-11-28\n\
         translationKey: benefits-finder\n---\n\nA short new post.\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (eighth, _) = step(&site, &seventh, &[added]);
    assert_eq!(eighth.posts(), seventh.posts() + 1);
}

#[test]
fn a_name_where_a_role_may_stand_follows_what_other_posts_name() {
    let site = Site::new();
    let first = build(
        &site.config,
        corpus::load(&site.config, &Default::default()),
        None,
    );
    let write = |name: &str, author: &str, date: &str| {
        let path = site.post(name);
        std::fs::write(
            &path,
            format!("---\ntitle: {name}\nauthor: {author}\ndate: {date}\n---\n\nWords.\n"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        path
    };
    let people = |snapshot: &Snapshot, path: &str| -> Vec<(String, Option<String>)> {
        post(snapshot, path)
            .authors
            .iter()
            .map(|p| (p.name.clone(), p.role.clone()))
            .collect()
    };
    let both = "en/blog/posts/2026-11-29-both.md";
    let one = |name: &str| (name.to_string(), None);

    // `Omar Haddad` stands where a role may: nobody else names him, so he is Nadia's role.
    let added = write(
        "2026-11-29-both.md",
        "Nadia Tremblay, Omar Haddad",
        "2026-11-29",
    );
    let (second, _) = step(&site, &first, &[added]);
    assert_eq!(
        people(&second, both),
        [(
            "Nadia Tremblay".to_string(),
            Some("Omar Haddad".to_string())
        )]
    );
    assert!(second.get("authors/omar-haddad.atom").is_none());

    // Another post names him on its own: the first post's byline names him too.
    let his = write("2026-11-30-his.md", "Omar Haddad", "2026-11-30");
    let (third, _) = step(&site, &second, std::slice::from_ref(&his));
    assert_eq!(
        people(&third, both),
        [one("Nadia Tremblay"), one("Omar Haddad")]
    );
    let feed = third
        .get("authors/omar-haddad.atom")
        .map(|r| String::from_utf8_lossy(&r.body(Coding::Identity).concat()).to_string())
        .unwrap_or_default();
    assert!(
        feed.contains("/2026/11/29/both/") && feed.contains("/2026/11/30/his/"),
        "{feed}"
    );

    // Nobody else names him any more: a role again.
    write("2026-11-30-his.md", "Aiko Brandt", "2026-11-30");
    let (fourth, _) = step(&site, &third, std::slice::from_ref(&his));
    assert_eq!(
        people(&fourth, both),
        [(
            "Nadia Tremblay".to_string(),
            Some("Omar Haddad".to_string())
        )]
    );
    assert!(fourth.get("authors/omar-haddad.atom").is_none());

    // And back, by a post removed and one added in the same update.
    std::fs::remove_file(&his).unwrap_or_else(|e| panic!("{e}"));
    let again = write(
        "2026-12-01-again.md",
        "Omar Haddad and Aiko Brandt",
        "2026-12-01",
    );
    let (fifth, _) = step(&site, &fourth, &[his, again]);
    assert_eq!(
        people(&fifth, both),
        [one("Nadia Tremblay"), one("Omar Haddad")]
    );
}

fn total_after(snapshot: &Snapshot) -> usize {
    snapshot.paths().len()
}

#[test]
fn a_folder_change_asks_for_a_full_reload() {
    let site = Site::new();
    let corpus = corpus::load(&site.config, &Default::default());
    let folder = site.root.join("content/en/blog/posts");
    assert!(
        corpus::update(
            &site.config,
            &corpus.ids.lock,
            &corpus,
            std::slice::from_ref(&folder)
        )
        .is_none()
    );
    std::fs::remove_dir_all(&folder).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        corpus::update(&site.config, &corpus.ids.lock, &corpus, &[folder]).is_none(),
        "a removed folder whose posts were not named one by one"
    );
}

/// Files whose posts can collide: the same slug in two folders of one language (so the same
/// permalink on the same date), translation keys shared across and within languages.
const SLOTS: [&str; 6] = [
    "en/blog/a/note.md",
    "en/blog/b/note.md",
    "en/blog/b/other.md",
    "fr/blog/a/note.md",
    "fr/blog/b/note.md",
    "fr/blog/other.md",
];

#[derive(Debug, Clone)]
enum Op {
    Write {
        slot: usize,
        date: usize,
        key: usize,
        author: usize,
        terms: usize,
        broken: bool,
    },
    Remove {
        slot: usize,
    },
}

fn op() -> impl proptest::strategy::Strategy<Value = Op> {
    use proptest::prelude::*;
    prop_oneof![
        4 => (0..SLOTS.len(), 0..3usize, 0..3usize, 0..4usize, 0..4usize, proptest::bool::weighted(0.2))
            .prop_map(|(slot, date, key, author, terms, broken)| Op::Write { slot, date, key, author, terms, broken }),
        1 => (0..SLOTS.len()).prop_map(|slot| Op::Remove { slot }),
    ]
}

fn apply(content: &std::path::Path, op: &Op) -> PathBuf {
    match *op {
        Op::Write {
            slot,
            date,
            key,
            author,
            terms,
            broken,
        } => {
            let path = content.join(SLOTS[slot]);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
            }
            let date = ["2024-03-01", "2024-03-02", "2024-03-01T09:00:00Z"][date];
            let key = ["", "translationKey: first\n", "translationKey: second\n"][key];
            // The last names Ben where a role may stand: he is a person there only while
            // another post names him.
            let author = [
                "Ana Silva",
                "Ben Okafor",
                "Ana Silva and Ben Okafor",
                "Ana Silva, Ben Okafor",
            ][author];
            // Tags and categories come and go with their feeds.
            let terms = [
                "",
                "tags: [Forms]\n",
                "tags: [Forms, Accessibility]\ncategories: News\n",
                "categories: [News, Guides]\n",
            ][terms];
            let text = if broken {
                "---\ntitle: [unclosed\n---\nBody.\n".to_string()
            } else {
                format!(
                    "---\ntitle: Slot {slot}\ndate: {date}\nauthor: {author}\n{key}{terms}---\nBody of slot {slot}.\n"
                )
            };
            std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
            path
        }
        Op::Remove { slot } => {
            let path = content.join(SLOTS[slot]);
            let _ = std::fs::remove_file(&path);
            path
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// Whatever the sequence of writes, breakages and removals, joining only what a change
    /// touches gives the corpus a full reload gives: the same posts with the same translations,
    /// in the same order, and the same errors and warnings.
    #[test]
    fn an_update_equals_a_full_reload(ops in proptest::collection::vec(op(), 1..14)) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("en/blog")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir_all(content.join("fr/blog")).unwrap_or_else(|e| panic!("{e}"));
        let sample = std::fs::read_to_string(common::root().join("config.toml"))
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("config.toml"), sample).unwrap_or_else(|e| panic!("{e}"));
        let config = Config::load(&dir.path().join("config.toml"))
            .unwrap_or_else(|e| panic!("config: {e}"));
        let config = Arc::new(config);
        let mut corpus = corpus::load(&config, &Default::default());
        let mut snapshot = build(&config, corpus.clone(), None);
        for op in &ops {
            let path = apply(&content, op);
            let lock = Arc::clone(&corpus.ids.lock);
            let updated = corpus::update(&config, &lock, &corpus, std::slice::from_ref(&path))
                .unwrap_or_else(|| panic!("{op:?} should not need a full reload"));
            let fresh = corpus::reload(&config, &lock, Some(&corpus));
            let posts = |c: &Corpus| -> Vec<String> {
                c.posts
                    .iter()
                    .map(|p| format!("{} {} {} {:?} {:?} {:?} {:?}", p.path, p.permalink, p.id, p.translations, p.authors, p.tags, p.categories))
                    .collect()
            };
            proptest::prop_assert_eq!(posts(&updated), posts(&fresh), "posts after {:?}", op);
            proptest::prop_assert_eq!(&updated.errors, &fresh.errors, "errors after {:?}", op);
            proptest::prop_assert_eq!(&updated.warnings, &fresh.warnings, "warnings after {:?}", op);
            proptest::prop_assert_eq!(&updated.ids.notes, &fresh.ids.notes, "id notes after {:?}", op);
            proptest::prop_assert_eq!(&updated.ids.warnings, &fresh.ids.warnings, "id warnings after {:?}", op);
            proptest::prop_assert_eq!(&*updated.ids.lock, &*fresh.ids.lock, "lock after {:?}", op);
            // The snapshot patched from the last one serves what one built from nothing does.
            let next = build(&config, updated.clone(), Some(&snapshot));
            let scratch = build(&config, fresh, None);
            proptest::prop_assert_eq!(next.paths(), scratch.paths(), "documents after {:?}", op);
            for path in scratch.paths() {
                let (a, b) = (next.get(path), scratch.get(path));
                let tags = |r: Option<Arc<syndic::http::snapshot::Resource>>| r.map(|r| r.etag(Coding::Identity).to_string());
                proptest::prop_assert_eq!(tags(a), tags(b), "{} after {:?}", path, op);
                // Each feed's archive page (here the only one, filling up) too.
                if let Some((stem, extension)) = path.rsplit_once('.')
                    && ["rss", "atom", "json"].contains(&extension)
                {
                    let page = format!("archive/{stem}/1.{extension}");
                    proptest::prop_assert!(scratch.get(&page).is_some(), "{}", page);
                    let (a, b) = (next.get(&page), scratch.get(&page));
                    proptest::prop_assert_eq!(tags(a), tags(b), "{} after {:?}", page, op);
                }
            }
            corpus = updated;
            snapshot = next;
        }
    }
}

fn post<'a>(snapshot: &'a Snapshot, path: &str) -> &'a syndic::corpus::Post {
    snapshot
        .corpus()
        .posts
        .iter()
        .find(|p| p.path == path)
        .unwrap_or_else(|| panic!("no {path}"))
}

#[test]
fn a_corrected_date_keeps_the_id_and_a_changed_lock_renders_the_items_again() {
    let site = Site::new();
    let first = build(
        &site.config,
        corpus::load(&site.config, &Default::default()),
        None,
    );
    let research = "en/blog/posts/2019-04-16-user-research-with-small-businesses.md";
    let first_id = post(&first, research).permalink.clone();
    let tips = "en/blog/posts/2021-01-12-five-tips-for-better-forms.md";

    // The date in the file name corrected: a new permalink, the same id, every document as a
    // fresh load with the same lock serves it.
    let from = site.post("2019-04-16-user-research-with-small-businesses.md");
    let to = site.post("2019-04-17-user-research-with-small-businesses.md");
    std::fs::rename(&from, &to).unwrap_or_else(|e| panic!("{e}"));
    let moved = research.replace("04-16", "04-17");
    let (second, _) = step(&site, &first, &[from, to]);
    let renamed = post(&second, &moved);
    assert_ne!(renamed.permalink, first_id);
    // The file has a translationKey: the rename keeps the id.
    assert_eq!(renamed.id, first_id);
    assert!(
        second
            .get("authors/amira-haddad.rss")
            .map(|r| String::from_utf8_lossy(&r.body(Coding::Identity).concat()).to_string())
            .is_some_and(
                |rss| rss.contains(&format!("<guid isPermaLink=\"false\">{first_id}</guid>"))
            ),
        "the RSS guid is not the first id"
    );

    // The lock read anew with another id for a post no file change touched: its items are
    // rendered again, and only the documents holding it change.
    let tips_key = post(&second, tips)
        .translation_key
        .clone()
        .unwrap_or_else(|| panic!("{tips} has no translationKey"));
    let mut edited = Lock::clone(&second.corpus().ids.lock);
    edited.set_translation(
        "en",
        &tips_key,
        Keyed {
            id: "https://digital.example.ca/an-id-set-by-hand/".to_string(),
            path: Some(tips.to_string()),
        },
    );
    let (third, kept) = step_with(&site, &second, &[], &Arc::new(edited));
    assert_eq!(
        post(&third, tips).id,
        "https://digital.example.ca/an-id-set-by-hand/"
    );
    assert!(kept > 0 && kept < third.paths().len(), "{kept} kept");
    assert_eq!(
        etag(&second, "fr.atom"),
        etag(&third, "fr.atom"),
        "a French feed changed"
    );
}

/// The posts' permalinks of `snapshot`, by source path.
fn permalinks(snapshot: &Snapshot) -> std::collections::BTreeMap<String, String> {
    snapshot
        .corpus()
        .posts
        .iter()
        .map(|p| (p.path.clone(), p.permalink.to_string()))
        .collect()
}

#[test]
fn generator_layouts_update_as_a_fresh_load_of_them_would() {
    // Hugo, language from the file name: a translation joined by base name, then parted; a
    // draft; a `slug:`-less title change moving a `:title` permalink.
    let site = Site::generator("hugo-filenames");
    let first = build(
        &site.config,
        corpus::load(&site.config, &Default::default()),
        None,
    );
    let en = site.write(
        "content/posts/harbour-news.md",
        "---\ntitle: Harbour news\ndate: 2024-09-01T10:00:00-04:00\nauthors: [sam-chen]\n\
         tags: [Boats]\n---\nBoats.\n",
    );
    let (second, _) = step(&site, &first, std::slice::from_ref(&en));
    let fr = site.write(
        "content/posts/harbour-news.fr.md",
        "---\ntitle: Nouvelles du port\ndate: 2024-09-01T10:00:00-04:00\n---\nBateaux.\n",
    );
    let (third, _) = step(&site, &second, std::slice::from_ref(&fr));
    let english = post(&third, "posts/harbour-news.md");
    assert_eq!(english.translations.len(), 1, "joined by base name");
    assert!(third.get("tags/boats.atom").is_some());
    std::fs::remove_file(&fr).unwrap_or_else(|e| panic!("{e}"));
    let (fourth, _) = step(&site, &third, std::slice::from_ref(&fr));
    assert!(
        post(&fourth, "posts/harbour-news.md")
            .translations
            .is_empty()
    );
    site.write(
        "content/posts/harbour-news.md",
        "---\ntitle: Harbour News Today\ndate: 2024-09-01T10:00:00-04:00\n---\nBoats.\n",
    );
    let (fifth, _) = step(&site, &fourth, std::slice::from_ref(&en));
    assert_eq!(
        permalinks(&fifth)
            .get("posts/harbour-news.md")
            .map(String::as_str),
        Some("https://hugo-files.example.org/2024/09/01/harbour-news-today/")
    );
    assert!(fifth.get("tags/boats.atom").is_none(), "the tag went");
    site.write(
        "content/posts/harbour-news.md",
        "---\ntitle: Harbour News Today\ndate: 2024-09-01T10:00:00-04:00\ndraft: true\n---\nB.\n",
    );
    let (sixth, _) = step(&site, &fifth, std::slice::from_ref(&en));
    assert!(!permalinks(&sixth).contains_key("posts/harbour-news.md"));

    // Jekyll: the file name gives date and slug, categories the path; a rename moves both.
    let site = Site::generator("jekyll");
    let first = build(
        &site.config,
        corpus::load(&site.config, &Default::default()),
        None,
    );
    let news = site.write(
        "_posts/2024-09-01-fresh-news.md",
        "---\ntitle: Fresh news\nauthors: [sam-chen]\ncategories: [Updates]\n---\nJust in.\n",
    );
    let (second, _) = step(&site, &first, std::slice::from_ref(&news));
    assert_eq!(
        permalinks(&second)
            .get("_posts/2024-09-01-fresh-news.md")
            .map(String::as_str),
        Some("https://jekyll.example.org/blog/updates/2024/09/01/fresh-news/")
    );
    let moved = site.root.join("_posts/2024-09-02-fresh-news.md");
    std::fs::rename(&news, &moved).unwrap_or_else(|e| panic!("{e}"));
    let (third, _) = step(&site, &second, &[news.clone(), moved.clone()]);
    assert_eq!(
        permalinks(&third)
            .get("_posts/2024-09-02-fresh-news.md")
            .map(String::as_str),
        Some("https://jekyll.example.org/blog/updates/2024/09/02/fresh-news/")
    );
    // A post in a folder's own `_posts/` takes the folder as its first category.
    let note = site.write(
        "notes/_posts/2024-09-03-a-note.md",
        "---\ntitle: A note\n---\nShort.\n",
    );
    let (fourth, _) = step(&site, &third, std::slice::from_ref(&note));
    assert_eq!(
        permalinks(&fourth)
            .get("notes/_posts/2024-09-03-a-note.md")
            .map(String::as_str),
        Some("https://jekyll.example.org/blog/notes/2024/09/03/a-note/")
    );
    // `published: false` takes it out.
    site.write(
        "notes/_posts/2024-09-03-a-note.md",
        "---\ntitle: A note\npublished: false\n---\nShort.\n",
    );
    let (fifth, _) = step(&site, &fourth, std::slice::from_ref(&note));
    assert!(!permalinks(&fifth).contains_key("notes/_posts/2024-09-03-a-note.md"));
}

/// Every document of `snapshot` that holds `text`.
fn holding<'a>(snapshot: &'a Snapshot, text: &str) -> Vec<&'a str> {
    snapshot
        .paths()
        .into_iter()
        .filter(|path| {
            snapshot.get(path).is_some_and(|r| {
                String::from_utf8_lossy(&r.body(Coding::Identity).concat()).contains(text)
            })
        })
        .collect()
}

/// A post that links to another (`{% post_url %}` in the Jekyll fixture) follows it through
/// updates, each equal to a fresh load ([`step`]): the target's new `permalink:`, then its new
/// `slug:`, show in the linking post's items; the target deleted, the link is dropped with a
/// warning naming the file, the line and the name, and no document keeps either URL.
#[test]
fn a_link_to_another_post_follows_it_when_it_moves_or_goes() {
    let site = Site::generator("jekyll");
    let first = build(
        &site.config,
        corpus::load(&site.config, &Default::default()),
        None,
    );
    let linking = "_posts/2024-01-15-hello-world.md";
    let content = |s: &Snapshot| post(s, linking).content_html().unwrap_or_default();
    let at_first = "https://jekyll.example.org/blog/news/2024/03/07/unpadded-date/";
    assert!(content(&first).contains(at_first), "{}", content(&first));

    let target = site.root.join("_posts/2024-3-7-unpadded-date.md");
    let text = std::fs::read_to_string(&target).unwrap_or_else(|e| panic!("{e}"));
    let moved = "https://jekyll.example.org/blog/moved/here/";
    std::fs::write(
        &target,
        text.replacen("---\n", "---\npermalink: /moved/here/\n", 1),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (second, _) = step(&site, &first, std::slice::from_ref(&target));
    assert!(content(&second).contains(moved), "{}", content(&second));
    assert!(!content(&second).contains(at_first));
    // The items of the linking post carry it, in every feed of that post.
    let feeds = holding(&second, "Links written with Liquid");
    assert!(feeds.contains(&"all.atom"), "{feeds:?}");
    for feed in &feeds {
        assert!(holding(&second, moved).contains(feed), "{feed}");
    }

    std::fs::write(
        &target,
        text.replacen("---\n", "---\nslug: Other Name\n", 1),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (third, _) = step(&site, &second, std::slice::from_ref(&target));
    let renamed = "https://jekyll.example.org/blog/news/2024/03/07/Other-Name/";
    assert!(content(&third).contains(renamed), "{}", content(&third));
    assert!(!content(&third).contains(moved));

    std::fs::remove_file(&target).unwrap_or_else(|e| panic!("{e}"));
    let (fourth, _) = step(&site, &third, std::slice::from_ref(&target));
    assert!(
        !content(&fourth).contains("unpadded post</a>"),
        "{}",
        content(&fourth)
    );
    assert!(content(&fourth).contains("the unpadded post"));
    for url in [at_first, moved, renamed] {
        assert_eq!(holding(&fourth, url), Vec::<&str>::new(), "{url}");
    }
    let warned: Vec<_> = fourth
        .corpus()
        .warnings
        .iter()
        .filter(|w| w.message.contains("{% post_url 2024-3-7-unpadded-date %}"))
        .map(|w| (w.path.as_str(), w.line))
        .collect();
    assert_eq!(warned, [(linking, Some(11))]);
    assert!(
        second
            .corpus()
            .warnings
            .iter()
            .all(|w| !w.message.contains("post_url")),
        "{:?}",
        second.corpus().warnings
    );
}
