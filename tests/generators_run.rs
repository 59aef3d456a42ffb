//! Hugo, Jekyll and Eleventy run here, on blogs generated for each test: many posts whose
//! titles, file names, dates, slugs, tags and categories are drawn at random from the forms
//! real blogs have (accents, apostrophes, `&`, `?`, `:`, several spaces, dates near midnight
//! and around the changes of daylight saving time, every date form the generator reads). Each
//! generator builds its blog, and every post it published must be one `syndic posts` lists
//! for the same files, with the same permalink, date and tags (and categories, where the
//! generator has them). The fixtures of `tests/generators.rs` hold each rule once; this finds
//! the cases those rules did not foresee.
//!
//! Needs `hugo` and `jekyll` (Debian) and Eleventy (`npm ci --prefix tests/generators/eleventy`,
//! as `.ci/run` does); a missing one fails its test saying how to install it, unless
//! `SYNDIC_SKIP_GENERATORS=1`, which skips them (and says so). `SYNDIC_GENERATED_POSTS` sets
//! how many posts (default 150), `SYNDIC_GENERATED_SEED` the seed (printed by each test).

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime};
use serde_json::Value;

/// A small deterministic generator (xorshift64*), so a failing seed can be run again.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Words of titles and file names, as bloggers type them.
const WORDS: &[&str] = &[
    "Open",
    "data",
    "Café",
    "naïve",
    "Résumé",
    "Q&A",
    "What’s",
    "It's",
    "Part",
    "v2.0",
    "C++",
    "rock'n'roll",
    "Ça",
    "marche",
    "Élan",
    "Über",
    "déjà-vu",
    "100%",
    "e-mail",
    "Straße",
    "Ørsted",
    "Tips",
    "&",
    "Tricks",
    "notes",
    "HOW-TO",
    "l’été",
    "Forms",
    "Accessibility",
    "(draft)",
    "«",
    "»",
    "—",
    "2024",
    "Node.js",
    "a/b",
    "x_y",
    "Français",
    "œuvre",
    "Zoë",
];

/// What may follow a word.
const AFTER: &[&str] = &["", "", "", "", "?", ":", ",", "!", ".", "…", ";"];

const TAGS: &[&str] = &[
    "Q&A",
    "Café Culture",
    "How-To",
    "open data",
    "Données ouvertes",
    "C++",
    "Node.js",
    "AI/ML",
    "ÉTÉ",
    "Accessibility",
    "a11y",
    "Ça va",
    "news",
    "News",
];

/// A title: a few words, one unique, with punctuation and sometimes doubled spaces.
fn title(rng: &mut Rng, n: usize) -> String {
    let mut words: Vec<String> = (0..1 + rng.below(5))
        .map(|_| format!("{}{}", rng.pick(WORDS), rng.pick(AFTER)))
        .collect();
    let at = rng.below(words.len() + 1);
    words.insert(at, format!("post{n}"));
    let space = if rng.chance(10) { "  " } else { " " };
    words.join(space)
}

/// A file-name stem: words joined by `-` (a slash never: it would make a folder).
fn file_stem(rng: &mut Rng, n: usize) -> String {
    let mut words: Vec<String> = (0..1 + rng.below(4))
        .map(|_| rng.pick(WORDS).replace('/', "-"))
        .collect();
    words.insert(rng.below(words.len() + 1), format!("file{n}"));
    words.join("-")
}

/// A moment in 2016-2025, near midnight or a daylight saving change as often as not.
fn moment(rng: &mut Rng) -> NaiveDateTime {
    let day = NaiveDate::from_ymd_opt(2016, 1, 1).unwrap_or_default()
        + Duration::days(rng.below(3650) as i64);
    let day = if rng.chance(15) {
        // The second Sunday of March or the first of November, North America's changes.
        let (month, nth) = if rng.chance(50) { (3, 2) } else { (11, 1) };
        let first = NaiveDate::from_ymd_opt(day.year(), month, 1).unwrap_or(day);
        let sunday = (7 - first.weekday().num_days_from_sunday()) % 7;
        first + Duration::days(i64::from(sunday) + 7 * (nth - 1))
    } else {
        day
    };
    let hour = match rng.below(4) {
        0 => rng.pick(&["0", "1", "2", "3"]),
        1 => rng.pick(&["20", "21", "22", "23"]),
        _ => rng.pick(&["9", "12", "15", "18"]),
    };
    let hour: u32 = hour.parse().unwrap_or(12);
    day.and_hms_opt(hour, [0, 30, 59][rng.below(3)], [0, 1][rng.below(2)])
        .unwrap_or_default()
}

/// A double-quoted YAML string.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|t| quoted(t)).collect();
    format!("[{}]", quoted.join(", "))
}

fn some_tags<'a>(rng: &mut Rng, from: &[&'a str]) -> Vec<&'a str> {
    let mut tags: Vec<&str> = (0..rng.below(4)).map(|_| rng.pick(from)).collect();
    tags.dedup();
    tags
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn settings() -> Option<(usize, u64)> {
    if std::env::var("SYNDIC_SKIP_GENERATORS").as_deref() == Ok("1") {
        eprintln!("SYNDIC_SKIP_GENERATORS=1: skipped");
        return None;
    }
    let posts = std::env::var("SYNDIC_GENERATED_POSTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(150);
    let seed = std::env::var("SYNDIC_GENERATED_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_261_202);
    Some((posts, seed))
}

/// The program `name` from PATH, or a panic saying how to install it.
fn program(name: &str, install: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| {
            panic!("`{name}` is not installed: {install}, or set SYNDIC_SKIP_GENERATORS=1")
        })
}

fn run(command: &mut Command, what: &str) {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    assert!(
        output.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `syndic posts --format json` for `config`: path -> post.
fn syndic_posts(config: &Path) -> BTreeMap<String, Value> {
    let output = Command::new(env!("CARGO_BIN_EXE_syndic"))
        .arg("--config")
        .arg(config)
        .args(["posts", "--format", "json"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run syndic: {e}"));
    assert!(
        output.status.success(),
        "syndic posts failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let posts: Vec<Value> =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("not JSON: {e}"));
    posts
        .into_iter()
        .map(|p| (p["path"].as_str().unwrap_or_default().to_string(), p))
        .collect()
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| {
            v.as_str()
                .or_else(|| v["name"].as_str())
                .map(str::to_string)
        })
        .collect()
}

/// What to compare of each post.
struct Compare {
    /// The date's offset too (Hugo and Jekyll keep one; Eleventy's dates are instants).
    offset: bool,
    /// Categories too (`categories` of the generator's post).
    categories: bool,
    /// Tags the generator adds to every post (Eleventy's collection tag from directory data).
    collection_tags: &'static [&'static str],
}

/// Compares the generator's published posts (source path relative to `content_dir` ->
/// post) with syndic's, and panics listing every difference with the post's file.
fn compare(
    name: &str,
    site: &Path,
    published: BTreeMap<String, Value>,
    mine: BTreeMap<String, Value>,
    how: &Compare,
) {
    let date = |v: &Value| {
        v.as_str()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
    };
    let mut faults = Vec::new();
    for (path, post) in &published {
        let Some(got) = mine.get(path) else {
            faults.push(format!("{path}: published, but syndic lists no such post"));
            continue;
        };
        let mut differ = |field: &str, want: String, have: String| {
            if want != have {
                faults.push(format!(
                    "{path}: {field}: {want} (generator) vs {have} (syndic)"
                ));
            }
        };
        differ("url", post["url"].to_string(), got["permalink"].to_string());
        let (want, have) = (date(&post["date"]), date(&got["date"]));
        let shown = |d: Option<DateTime<chrono::FixedOffset>>| match d {
            Some(d) if how.offset => d.to_rfc3339(),
            Some(d) => d.with_timezone(&chrono::Utc).to_rfc3339(),
            None => "none".to_string(),
        };
        differ("date", shown(want), shown(have));
        // Tags as a set, case folded: Hugo orders a page's terms by its own rule and shows a
        // term site-wide as its first page spells it (`News` where a post wrote `news`);
        // Jekyll and Eleventy keep `News` and `news` both in one post, where syndic keeps the
        // first (a post is in a tag's feed once).
        let folded = |tags: Vec<String>| -> std::collections::BTreeSet<String> {
            tags.into_iter()
                .filter(|t| !how.collection_tags.contains(&t.as_str()))
                .map(|t| t.to_lowercase())
                .collect()
        };
        differ(
            "tags",
            format!("{:?}", folded(strings(&post["tags"]))),
            format!("{:?}", folded(strings(&got["tags"]))),
        );
        if how.categories {
            differ(
                "categories",
                format!("{:?}", strings(&post["categories"])),
                format!("{:?}", strings(&got["categories"])),
            );
        }
    }
    for path in mine.keys().filter(|p| !published.contains_key(*p)) {
        faults.push(format!("{path}: listed by syndic, not published"));
    }
    if !faults.is_empty() {
        let mut report = String::new();
        for fault in faults.iter().take(40) {
            let file = fault.split(':').next().unwrap_or_default();
            let head = std::fs::read_to_string(site.join(file))
                .or_else(|_| std::fs::read_to_string(site.join("content").join(file)))
                .unwrap_or_default();
            let head: String = head.lines().take(8).collect::<Vec<_>>().join("\n    ");
            let _ = writeln!(report, "- {fault}\n    {head}");
        }
        panic!(
            "{name}: {} of {} posts differ ({} faults; the site is kept at {}):\n{report}",
            faults.len().min(published.len()),
            published.len(),
            faults.len(),
            site.display()
        );
    }
}

/// Keeps the site for a person to look at when the test fails.
fn keep(dir: tempfile::TempDir) -> PathBuf {
    dir.keep()
}

#[test]
fn hugo_and_syndic_agree_on_a_generated_blog() {
    let Some((count, seed)) = settings() else {
        return;
    };
    let hugo = program("hugo", "apt-get install hugo (as .ci/run does)");
    eprintln!("hugo: {count} posts, SYNDIC_GENERATED_SEED={seed}");
    let mut rng = Rng::new(seed);
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let site = dir.path();
    common::copy_tree(
        &common::root().join("tests/fixtures/generators/hugo-folders/layouts"),
        &site.join("layouts"),
    );
    let sections = [
        ("posts", "/:year/:month/:day/:slug/"),
        ("notes", "/:section/:year/:title/"),
        ("pages", "/:section/:filename/"),
    ];
    let mut permalinks = String::new();
    for (section, pattern) in sections {
        let _ = writeln!(permalinks, "{section} = \"{pattern}\"");
    }
    write(
        &site.join("config.toml"),
        &format!(
            "baseURL = \"https://hugo-run.example.org/\"\ntitle = \"Generated\"\n\
             timeZone = \"America/Toronto\"\ndisableKinds = [\"sitemap\", \"robotsTXT\", \"404\"]\n\
             [permalinks]\n{permalinks}\
             [outputs]\nhome = [\"HTML\", \"JSON\"]\npage = [\"HTML\"]\nsection = [\"HTML\"]\n\
             taxonomy = [\"HTML\"]\nterm = [\"HTML\"]\n"
        ),
    );
    write(
        &site.join("syndic.toml"),
        &format!(
            "content_dir = \"content\"\ntimezone = \"America/Toronto\"\n[posts]\n\
             generator = \"hugo\"\nlang_from = \"site\"\n\
             patterns = [\"posts/**/*.md\", \"notes/**/*.md\", \"pages/**/*.md\"]\n\
             [posts.permalinks]\n{permalinks}\
             [languages.en]\nbase_url = \"https://hugo-run.example.org/\"\ntitle = \"Generated\"\n"
        ),
    );
    for n in 0..count {
        let (section, _) = sections[rng.below(sections.len())];
        let at = moment(&mut rng);
        let date = match rng.below(6) {
            0 => at.format("%Y-%m-%dT%H:%M:%S").to_string(),
            1 => at.format("%Y-%m-%dT%H:%M:%S-04:00").to_string(),
            2 => at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            3 => at.format("%Y-%m-%d").to_string(),
            4 => format!("\"{}\"", at.format("%Y-%m-%d %H:%M:%S -05:00")),
            _ => at.format("%Y-%m-%dT%H:%M:%S+05:30").to_string(),
        };
        let mut front = format!("title: {}\ndate: {date}\n", quoted(&title(&mut rng, n)));
        if rng.chance(20) {
            let slug = title(&mut rng, n);
            let _ = writeln!(front, "slug: {}", quoted(&slug));
        }
        if rng.chance(5) {
            let _ = writeln!(front, "url: /own/Page-{n}/");
        }
        let tags = some_tags(&mut rng, TAGS);
        if !tags.is_empty() {
            let _ = writeln!(front, "tags: {}", list(&tags));
        }
        let stem = file_stem(&mut rng, n);
        let file = if rng.chance(15) {
            format!("content/{section}/{stem}/index.md")
        } else {
            format!("content/{section}/{stem}.md")
        };
        write(&site.join(file), &format!("---\n{front}---\nBody {n}.\n"));
    }
    run(
        Command::new(&hugo)
            .arg("--source")
            .arg(site)
            .args(["--destination", "public", "--quiet"]),
        "hugo",
    );
    let text = std::fs::read_to_string(site.join("public/index.json"))
        .unwrap_or_else(|e| panic!("hugo wrote no index.json: {e}"));
    let posts: Vec<Value> = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let content = site.join("content");
    let published = posts
        .into_iter()
        .map(|p| {
            let file = p["file"].as_str().unwrap_or_default();
            let path = Path::new(file)
                .strip_prefix(&content)
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_else(|_| file.to_string());
            (path, p)
        })
        .collect();
    let mine = syndic_posts(&site.join("syndic.toml"));
    let kept = keep(dir);
    compare(
        "hugo",
        &kept,
        published,
        mine,
        &Compare {
            offset: true,
            categories: false,
            collection_tags: &[],
        },
    );
    let _ = std::fs::remove_dir_all(kept);
}

#[test]
fn jekyll_and_syndic_agree_on_a_generated_blog() {
    let Some((count, seed)) = settings() else {
        return;
    };
    let jekyll = program("jekyll", "apt-get install jekyll (as .ci/run does)");
    eprintln!("jekyll: {count} posts, SYNDIC_GENERATED_SEED={seed}");
    let mut rng = Rng::new(seed);
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let site = dir.path();
    let fixture = common::root().join("tests/fixtures/generators/jekyll");
    std::fs::copy(fixture.join("posts.json"), site.join("posts.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    let patterns = [
        "/:categories/:year/:month/:day/:title/",
        "pretty",
        "date",
        "none",
        "/:year/:slug/",
        "/:categories/:title:output_ext",
        "/:year/:i_month/:i_day/:title/",
    ];
    let pattern = patterns[rng.below(patterns.len())];
    eprintln!("jekyll: permalink {pattern}");
    write(
        &site.join("_config.yml"),
        &format!(
            "title: Generated\nlang: en\nurl: https://jekyll-run.example.org\nbaseurl: /blog\n\
             timezone: America/Toronto\npermalink: {pattern}\nmarkdown: kramdown\n\
             exclude: [syndic.toml]\n"
        ),
    );
    write(
        &site.join("syndic.toml"),
        &format!(
            "content_dir = \".\"\ntimezone = \"America/Toronto\"\npermalink = \"{pattern}\"\n\
             [posts]\ngenerator = \"jekyll\"\nlang_from = \"site\"\n\
             [languages.en]\nbase_url = \"https://jekyll-run.example.org/blog/\"\n\
             title = \"Generated\"\n"
        ),
    );
    let categories = ["News", "Field Work", "how-to", "Café", "Q&A", "Données"];
    for n in 0..count {
        let at = moment(&mut rng);
        let named = if rng.chance(20) {
            format!("{}-{}-{}", at.year(), at.month(), at.day())
        } else {
            at.format("%Y-%m-%d").to_string()
        };
        let mut front = format!("title: {}\n", quoted(&title(&mut rng, n)));
        match rng.below(7) {
            0 => {
                let _ = writeln!(front, "date: {}", at.format("%Y-%m-%d %H:%M:%S -04:00"));
            }
            1 => {
                let _ = writeln!(front, "date: {}", at.format("%Y-%m-%d %H:%M:%S"));
            }
            2 => {
                let _ = writeln!(front, "date: \"{}\"", at.format("%Y-%m-%d %H:%M:%S"));
            }
            3 => {
                let _ = writeln!(front, "date: {}", at.format("%Y-%m-%dT%H:%M:%SZ"));
            }
            4 => {
                let _ = writeln!(front, "date: {}", at.format("%Y-%m-%d %H:%M:%S -4"));
            }
            _ => {} // The file name's date.
        }
        if rng.chance(15) {
            let _ = writeln!(front, "slug: {}", quoted(&title(&mut rng, n)));
        }
        if rng.chance(5) {
            let _ = writeln!(front, "permalink: /own/Post-{n}/");
        }
        match rng.below(4) {
            0 => {}
            1 => {
                let _ = writeln!(front, "categories: {}", quoted(rng.pick(&categories)));
            }
            _ => {
                let cats = some_tags(&mut rng, &categories);
                let _ = writeln!(front, "categories: {}", list(&cats));
            }
        }
        let tags = some_tags(&mut rng, TAGS);
        if rng.chance(10) {
            // Jekyll's singular key, which wins over `tags:`.
            let _ = writeln!(front, "tag: {}", quoted(rng.pick(TAGS)));
        }
        if !tags.is_empty() {
            let _ = writeln!(front, "tags: {}", list(&tags));
        }
        let folder = if rng.chance(20) {
            "notes/_posts"
        } else {
            "_posts"
        };
        let file = format!("{folder}/{named}-{}.md", file_stem(&mut rng, n));
        write(&site.join(file), &format!("---\n{front}---\nBody {n}.\n"));
    }
    run(
        Command::new(&jekyll)
            .arg("build")
            .arg("--source")
            .arg(site)
            .arg("--destination")
            .arg(site.join("_site"))
            .arg("--quiet"),
        "jekyll build",
    );
    let text = std::fs::read_to_string(site.join("_site/posts.json"))
        .unwrap_or_else(|e| panic!("jekyll wrote no posts.json: {e}"));
    let posts: Vec<Value> = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let published = posts
        .into_iter()
        .map(|p| (p["file"].as_str().unwrap_or_default().to_string(), p))
        .collect();
    let mine = syndic_posts(&site.join("syndic.toml"));
    let kept = keep(dir);
    compare(
        "jekyll",
        &kept,
        published,
        mine,
        &Compare {
            offset: true,
            categories: true,
            collection_tags: &[],
        },
    );
    let _ = std::fs::remove_dir_all(kept);
}

#[test]
fn eleventy_and_syndic_agree_on_a_generated_blog() {
    let Some((count, seed)) = settings() else {
        return;
    };
    let eleventy = common::root().join("tests/generators/eleventy/node_modules/.bin/eleventy");
    assert!(
        eleventy.is_file(),
        "Eleventy is not installed: npm ci --prefix tests/generators/eleventy (as .ci/run \
         does), or set SYNDIC_SKIP_GENERATORS=1"
    );
    eprintln!("eleventy: {count} posts, SYNDIC_GENERATED_SEED={seed}");
    let mut rng = Rng::new(seed);
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let site = dir.path();
    let fixture = common::root().join("tests/fixtures/generators/eleventy");
    std::fs::copy(
        fixture.join("eleventy.config.js"),
        site.join("eleventy.config.js"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for file in [
        "content/posts.json.11ty.js",
        "content/_data/team.json",
        "content/posts/posts.11tydata.json",
    ] {
        let text = std::fs::read_to_string(fixture.join(file)).unwrap_or_else(|e| panic!("{e}"));
        write(&site.join(file), &text);
    }
    write(
        &site.join("content/_data/site.json"),
        "{ \"origin\": \"https://eleventy-run.example.org\", \"title\": \"Generated\", \"lang\": \"en\" }\n",
    );
    write(
        &site.join("syndic.toml"),
        "content_dir = \"content\"\npermalink = \"/:year/:month/:day/:slug/\"\n[posts]\n\
         generator = \"eleventy\"\npatterns = [\"posts/**/*.md\"]\nlang_from = \"site\"\n\
         people = \"content/_data/team.json\"\n\
         [languages.en]\nbase_url = \"https://eleventy-run.example.org/blog/\"\n\
         title = \"Generated\"\n",
    );
    for n in 0..count {
        let at = moment(&mut rng);
        let mut front = format!("title: {}\n", quoted(&title(&mut rng, n)));
        match rng.below(5) {
            0 => {
                let _ = writeln!(front, "date: {}", at.format("%Y-%m-%dT%H:%M:%S-04:00"));
            }
            1 => {
                let _ = writeln!(front, "date: {}", at.format("%Y-%m-%d %H:%M:%S"));
            }
            2 => {
                let _ = writeln!(front, "date: {}", at.format("%Y-%m-%d"));
            }
            _ => {} // The file name's date.
        }
        let tags = some_tags(&mut rng, TAGS);
        if !tags.is_empty() {
            let _ = writeln!(front, "tags: {}", list(&tags));
        }
        if rng.chance(5) {
            let _ = writeln!(front, "permalink: /own/Post-{n}/");
        }
        let file = format!(
            "content/posts/{}-{}.md",
            at.format("%Y-%m-%d"),
            file_stem(&mut rng, n)
        );
        write(&site.join(file), &format!("---\n{front}---\nBody {n}.\n"));
    }
    run(
        Command::new(&eleventy)
            .current_dir(site)
            .env("TZ", "UTC")
            .args(["--quiet", "--input=content", "--output=_site"]),
        "eleventy",
    );
    let text = std::fs::read_to_string(site.join("_site/posts.json"))
        .unwrap_or_else(|e| panic!("eleventy wrote no posts.json: {e}"));
    let posts: Vec<Value> = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let published = posts
        .into_iter()
        .map(|p| {
            let file = p["file"].as_str().unwrap_or_default();
            let path = file.trim_start_matches("./content/").to_string();
            (path, p)
        })
        .collect();
    let mine = syndic_posts(&site.join("syndic.toml"));
    let kept = keep(dir);
    compare(
        "eleventy",
        &kept,
        published,
        mine,
        &Compare {
            offset: false,
            categories: false,
            collection_tags: &["posts"],
        },
    );
    let _ = std::fs::remove_dir_all(kept);
}
