//! End-to-end: the real `syndic` binary on fixture corpora, checking what it prints.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn syndic(config: &Path, args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_syndic"))
        .arg("--config")
        .arg(config)
        .args(args)
        .env("SYNDIC_LOG", "warn")
        .output();
    match output {
        Ok(output) => output,
        Err(e) => panic!("cannot run syndic: {e}"),
    }
}

fn json(output: &Output) -> Value {
    match serde_json::from_slice(&output.stdout) {
        Ok(value) => value,
        Err(e) => panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    }
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name).join("config.toml")
}

fn field<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key].as_str().unwrap_or_default()
}

#[test]
fn posts_list_their_tags_and_categories() {
    let output = syndic(&fixture("tags"), &["posts", "--format", "json"]);
    assert!(output.status.success(), "{output:?}");
    let posts = json(&output);
    let posts = posts.as_array().cloned().unwrap_or_default();
    let post = |path: &str| match posts.iter().find(|p| field(p, "path") == path) {
        Some(post) => post.clone(),
        None => panic!("no {path}"),
    };
    let forms = post("en/blog/posts/2024-01-10-accessible-forms.md");
    // `posts` is in `ignore_tags`.
    assert_eq!(
        forms["tags"],
        serde_json::json!([
            {"name": "Accessibility", "slug": "accessibility"},
            {"name": "Forms", "slug": "forms"}
        ])
    );
    assert_eq!(
        forms["categories"],
        serde_json::json!([{"name": "Guides", "slug": "guides"}])
    );
    let plain = post("en/blog/posts/2024-03-01-plain-post.md");
    assert_eq!(plain["tags"], serde_json::json!([]));
    assert_eq!(plain["categories"], serde_json::json!([]));
}

#[test]
fn mini_posts_are_listed_newest_first_with_everything() {
    let output = syndic(&fixture("mini"), &["posts", "--format", "json"]);
    assert!(output.status.success(), "{output:?}");
    let posts = json(&output);
    let posts = posts.as_array().cloned().unwrap_or_default();
    let permalinks: Vec<&str> = posts.iter().map(|p| field(p, "permalink")).collect();
    assert_eq!(
        permalinks,
        [
            "https://numerique.example.ca/2024/03/05/deuxi%C3%A8me-billet/",
            "https://digital.example.ca/2024/03/05/second-post/",
            "https://numerique.example.ca/2024/01/16/bonjour-le-monde/",
            "https://digital.example.ca/2024/01/15/hello-world/",
        ]
    );
    let hello = &posts[3];
    assert_eq!(field(hello, "path"), "en/blog/posts/hello-world.md");
    assert_eq!(field(hello, "lang"), "en");
    assert_eq!(field(hello, "date"), "2024-01-15T09:30:00-05:00");
    assert_eq!(field(hello, "translation_key"), "hello");
    assert_eq!(
        hello["translations"],
        serde_json::json!({"fr": "https://numerique.example.ca/2024/01/16/bonjour-le-monde/"})
    );
    assert_eq!(
        hello["authors"],
        serde_json::json!([
            {"name": "Marie Dupuis", "slug": "marie-dupuis", "role": null},
            {"name": "Sam Chen", "slug": "sam-chen", "role": null},
        ])
    );
    assert_eq!(
        field(hello, "summary"),
        "The first post of the mini fixture."
    );

    let bonjour = &posts[2];
    assert_eq!(field(bonjour, "date"), "2024-01-16T00:30:00+01:00");
    let second = &posts[1];
    assert_eq!(field(second, "date"), "2024-03-05T00:00:00-05:00");
    assert_eq!(
        field(second, "summary"),
        "The second post has no description, so its summary comes from this paragraph."
    );
    assert_eq!(second["authors"][0]["role"], "Developer");
}

#[test]
fn mini_check_is_clean_and_authors_span_languages() {
    let output = syndic(&fixture("mini"), &["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let mut report = json(&output);
    // The fixture has no identity file: its first build or serve writes one.
    let identity = report["identity"].take();
    assert!(
        identity["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("identity.toml")),
        "{identity}"
    );
    assert_eq!(identity["exists"], false);
    assert_eq!(identity["new"], 4);
    assert_eq!(
        report,
        serde_json::json!({"posts": 4, "errors": [], "warnings": [], "notes": [], "identity": null})
    );

    let output = syndic(&fixture("mini"), &["authors", "--format", "json"]);
    assert!(output.status.success());
    assert_eq!(
        json(&output),
        serde_json::json!([
            {"slug": "marie-dupuis", "name": "Marie Dupuis", "posts": 2, "langs": ["en", "fr"]},
            {"slug": "sam-chen", "name": "Sam Chen", "posts": 4, "langs": ["en", "fr"]},
        ])
    );
}

#[test]
fn honorifics_roles_and_names_known_elsewhere_give_the_right_people() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mini = dir.path().join("mini");
    common::copy_tree(&root().join("tests/fixtures/mini"), &mini);
    let posts = |lang: &str| mini.join("content").join(lang).join("blog/posts");
    let write = |path: PathBuf, author: &str, key: &str| {
        let text = format!(
            "---\ntitle: A post\nauthor: '{author}'\ndate: 2024-04-01T12:00:00Z\n\
             translationKey: {key}\n---\n\nWords.\n"
        );
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    };
    write(
        posts("en").join("a-word-from-the-minister.md"),
        "The Honourable Scott Brison, President of the Treasury Board",
        "minister",
    );
    write(
        posts("fr").join("un-mot-du-ministre.md"),
        "L’honorable Scott Brison, président du Conseil du Trésor",
        "minister",
    );
    write(
        posts("en").join("drawing-the-story.md"),
        "Philippe Tardif, Visual Storyteller",
        "drawing",
    );
    // `Omar Haddad` stands where a role may, and another post names him on his own.
    write(
        posts("en").join("two-of-us.md"),
        "Aisha Mohamed, Omar Haddad",
        "two",
    );
    write(posts("fr").join("a-deux.md"), "Omar Haddad", "two");

    let config = mini.join("config.toml");
    let output = syndic(&config, &["authors", "--format", "json"]);
    assert!(output.status.success(), "{output:?}");
    let slugs: Vec<(String, u64, Value)> = json(&output)
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|a| {
            let posts = a["posts"].as_u64().unwrap_or_default();
            (field(a, "slug").to_string(), posts, a["langs"].clone())
        })
        .collect();
    let both = serde_json::json!(["en", "fr"]);
    let en = serde_json::json!(["en"]);
    assert_eq!(
        slugs,
        [
            ("aisha-mohamed".to_string(), 1, en.clone()),
            ("marie-dupuis".to_string(), 2, both.clone()),
            ("omar-haddad".to_string(), 2, both.clone()),
            ("philippe-tardif".to_string(), 1, en),
            ("sam-chen".to_string(), 4, both.clone()),
            ("scott-brison".to_string(), 2, both),
        ]
    );

    let out = dir.path().join("feeds");
    let output = syndic(&config, &["build", "--out", &out.to_string_lossy()]);
    assert!(output.status.success(), "{output:?}");
    let read = |path: &str| {
        std::fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let feed = read("fr/authors/omar-haddad.atom");
    assert!(
        feed.contains("<subtitle>Billets d’Omar Haddad</subtitle>"),
        "{feed}"
    );
    let feed = read("fr/authors/scott-brison.atom");
    assert!(
        feed.contains("<subtitle>Billets de Scott Brison</subtitle>"),
        "{feed}"
    );
    let feed = read("en/authors/scott-brison.atom");
    assert!(feed.contains("<name>Scott Brison</name>"), "{feed}");
}

#[test]
fn broken_posts_are_reported_with_file_and_line_and_the_rest_load() {
    let output = syndic(&fixture("broken"), &["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let report = json(&output);
    let errors: Vec<(String, Option<u64>)> = report["errors"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|e| (field(e, "path").to_string(), e["line"].as_u64()))
        .collect();
    let expected: Vec<(String, Option<u64>)> = [
        ("en/blog/posts/bad-date.md", Some(5)),
        ("en/blog/posts/broken-yaml.md", Some(3)),
        ("en/blog/posts/empty.md", None),
        ("en/blog/posts/latin1.md", Some(3)),
        ("en/blog/posts/no-title.md", Some(2)),
        ("en/blog/posts/same:-title.md", None),
        ("en/blog/posts/unclosed-front-matter.md", Some(1)),
        ("en/blog/posts/unclosed-quote.md", Some(8)),
    ]
    .into_iter()
    .map(|(p, l)| (p.to_string(), l))
    .collect();
    assert_eq!(errors, expected);
    let clash = &report["errors"][5]["message"];
    assert!(
        clash
            .as_str()
            .unwrap_or_default()
            .contains("en/blog/posts/same-title.md"),
        "{clash}"
    );
    assert_eq!(report["posts"], 18);

    let warnings: Vec<String> = report["warnings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|w| format!("{}:{}", field(w, "path"), w["line"]))
        .collect();
    for expected in [
        "en/blog/posts/empty-byline.md:5",
        "en/blog/posts/missing-alt.md:15",
        "en/blog/posts/missing-alt.md:19",
        "en/blog/posts/orphan-post.md:null",
        "fr/blog/posts/signature-vide.md:5",
    ] {
        assert!(
            warnings.contains(&expected.to_string()),
            "{expected} not in {warnings:?}"
        );
    }

    // The good posts are all there, with the alias applied.
    let output = syndic(&fixture("broken"), &["posts", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let posts = json(&output);
    let another = posts
        .as_array()
        .and_then(|all| {
            all.iter()
                .find(|p| field(p, "path") == "en/blog/posts/another-good-post.md")
        })
        .cloned()
        .unwrap_or_default();
    let slugs: Vec<&str> = another["authors"]
        .as_array()
        .map(|a| a.iter().map(|p| field(p, "slug")).collect())
        .unwrap_or_default();
    assert_eq!(slugs, ["daniel-roe", "elise-cote"]);
    let dated = posts
        .as_array()
        .and_then(|all| {
            all.iter()
                .find(|p| field(p, "path").contains("dated-file-name"))
        })
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        field(&dated, "permalink"),
        "https://digital.example.ca/2020/03/08/dated-file-name/"
    );
}

#[test]
fn the_sample_corpus_is_clean_and_bilingual() {
    let config = root().join("config.toml");
    let output = syndic(&config, &["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let report = json(&output);
    assert_eq!(report["errors"], serde_json::json!([]));
    assert_eq!(report["warnings"], serde_json::json!([]));
    assert!(report["posts"].as_u64().unwrap_or(0) >= 40);
    // The sample ships its identity file with every post in it, so serving the sample from
    // the repository never writes into it.
    assert_eq!(report["notes"], serde_json::json!([]));
    assert_eq!(report["identity"]["exists"], true);
    assert_eq!(report["identity"]["new"], 0);
    assert_eq!(report["identity"]["entries"], report["posts"]);

    let output = syndic(&config, &["posts", "--format", "json"]);
    let posts = json(&output);
    let posts = posts.as_array().cloned().unwrap_or_default();
    let mut dates: Vec<String> = Vec::new();
    for post in &posts {
        let other = if field(post, "lang") == "en" {
            "fr"
        } else {
            "en"
        };
        assert!(
            post["translations"][other].is_string(),
            "{} has no translation",
            field(post, "path")
        );
        assert!(!field(post, "summary").is_empty());
        dates.push(field(post, "date").to_string());
    }
    let parsed: Vec<chrono::DateTime<chrono::FixedOffset>> = dates
        .iter()
        .filter_map(|d| chrono::DateTime::parse_from_rfc3339(d).ok())
        .collect();
    assert_eq!(parsed.len(), posts.len());
    assert!(parsed.windows(2).all(|w| w[0] >= w[1]), "not newest first");

    let output = syndic(&config, &["authors", "--format", "json"]);
    let authors = json(&output);
    let slugs: Vec<&str> = authors
        .as_array()
        .map(|a| a.iter().map(|p| field(p, "slug")).collect())
        .unwrap_or_default();
    assert!(
        slugs.contains(&"daniel-roe") && !slugs.contains(&"dan-roe"),
        "{slugs:?}"
    );
    assert!(slugs.contains(&"elise-cote"));
    assert!(slugs.iter().all(|s| {
        s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    }));
    assert!(slugs.windows(2).all(|w| w[0] < w[1]), "not sorted by slug");
}

#[test]
fn an_unusable_configuration_exits_2_naming_file_and_key() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let config = dir.path().join("config.toml");
    let written = std::fs::write(
        &config,
        "timezone = \"Nowhere/City\"\n[languages.en]\nbase_url = \"https://a.example/\"\n",
    );
    assert!(written.is_ok());
    let output = syndic(&config, &["check"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("config.toml") && stderr.contains("`timezone`"),
        "{stderr}"
    );

    let output = syndic(&dir.path().join("missing.toml"), &["check"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("missing.toml"), "{stderr}");
    // The cause once, not once more from the error's chain of causes.
    let cause = match std::fs::read(dir.path().join("missing.toml")) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("missing.toml exists"),
    };
    assert_eq!(stderr.matches(&cause).count(), 1, "{stderr}");
}

#[test]
fn a_typo_in_the_configuration_is_an_error_naming_line_key_and_fix() {
    // The sample's configuration with `timezone` misspelt: read silently, its posts written
    // without an offset would move from Toronto time to UTC.
    let (dir, config) = common::sample_with("max_agee = 60");
    let text = std::fs::read_to_string(&config).unwrap_or_else(|e| panic!("{e}"));
    let text = text.replacen("\ntimezone = ", "\ntimezon = ", 1);
    std::fs::write(&config, &text).unwrap_or_else(|e| panic!("{e}"));
    let line_of = |key: &str| {
        text.lines()
            .position(|l| l.starts_with(key))
            .map_or(0, |i| i + 1)
    };
    for command in ["check", "build", "posts"] {
        let output = syndic(&config, &[command]);
        assert_eq!(output.status.code(), Some(2), "{command}: {output:?}");
        assert!(output.stdout.is_empty(), "{command}: {output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let path = config.display();
        assert_eq!(
            stderr,
            format!(
                "error: {path}:{}: unknown key `timezon`; did you mean `timezone`?\n\
                 error: {path}:{}: unknown key `server.max_agee`; did you mean \
                 `server.max_age`?\n",
                line_of("timezon ="),
                line_of("max_agee ="),
            ),
            "{command}"
        );
    }
    assert!(!dir.path().join("feeds").exists(), "build wrote a tree");
}

#[test]
fn a_value_of_the_wrong_kind_is_named_in_plain_words() {
    let (_dir, config) = common::sample_with("max_connections = \"many\"");
    let output = syndic(&config, &["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "`server.max_connections` must be a whole number, 1 or more, not a string (\"many\")"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("expected"), "{stderr}");
}

#[test]
fn serve_on_a_port_in_use_says_so_before_loading_anything() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let address = taken.local_addr().unwrap_or_else(|e| panic!("{e}"));
    // A copy of the broken fixture (serve writes the identity file once loaded): loading it
    // logs an error for each of its bad posts.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    common::copy_tree(&root().join("tests/fixtures/broken"), dir.path());
    let output = syndic(
        &dir.path().join("config.toml"),
        &["serve", "--listen", &address.to_string()],
    );
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with(&format!("error: cannot listen on {address}: ")),
        "{stderr}"
    );
    assert!(
        !stderr.contains("bad-date.md") && !stderr.contains("broken-yaml.md"),
        "the corpus was loaded first:\n{stderr}"
    );
    drop(taken);
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["check", "--help"],
        vec!["posts", "--help"],
        vec!["authors", "--help"],
    ] {
        let output = syndic(&fixture("mini"), &args);
        assert!(output.status.success(), "{args:?}");
        assert!(String::from_utf8_lossy(&output.stdout).contains("Usage"));
    }
}

#[test]
fn a_post_over_the_size_limit_is_reported_and_the_others_load() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let posts = dir.path().join("content/en/blog/posts");
    assert!(std::fs::create_dir_all(&posts).is_ok());
    let config = dir.path().join("config.toml");
    let writes = [
        std::fs::write(
            &config,
            "[languages.en]\nbase_url = \"https://a.example/\"\n[limits]\nmax_post_bytes = 300\n",
        ),
        std::fs::write(
            posts.join("small.md"),
            "---\ntitle: Small\ndate: 2024-01-01\nauthor: Ann Lee\n---\nShort.\n",
        ),
        std::fs::write(
            posts.join("big.md"),
            format!(
                "---\ntitle: Big\ndate: 2024-01-02\n---\n{}\n",
                "word ".repeat(100)
            ),
        ),
    ];
    assert!(writes.iter().all(Result::is_ok));
    let output = syndic(&config, &["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    assert_eq!(report["posts"], 1);
    assert_eq!(report["errors"][0]["path"], "en/blog/posts/big.md");
    let message = report["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("max_post_bytes"), "{message}");
}

#[test]
fn a_build_removes_the_staging_folder_a_crashed_build_left() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mini = dir.path().join("mini");
    common::copy_tree(&root().join("tests/fixtures/mini"), &mini);
    // What a build killed while writing leaves beside its output: its folder and lock file.
    let left = dir.path().join("feeds.new-4000000-0");
    std::fs::create_dir_all(left.join("en")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(left.join("en/all.rss"), "<rss").unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("feeds.new-4000000-0.lock"), "")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("feeds").to_string_lossy().to_string();
    let output = syndic(&mini.join("config.toml"), &["build", "--out", &out]);
    assert!(output.status.success(), "{output:?}");
    let mut beside: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    beside.sort();
    assert_eq!(beside, ["feeds", "mini"]);
}

#[test]
fn build_writes_the_tree_with_compressed_copies_and_replaces_it_whole() {
    use std::io::Read;

    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // A copy: a build writes the identity file beside the configuration.
    let mini = dir.path().join("mini");
    common::copy_tree(&root().join("tests/fixtures/mini"), &mini);
    let config = mini.join("config.toml");
    let out = dir.path().join("site/feeds");
    let out_arg = out.to_string_lossy().to_string();
    let output = syndic(&config, &["build", "--out", &out_arg]);
    assert!(output.status.success(), "{output:?}");
    let said = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        said.contains("feeds") && said.contains("items") && said.contains("bytes"),
        "{said}"
    );

    for path in [
        "all.rss",
        "en.atom",
        "fr.json",
        "authors/sam-chen.atom",
        "fr/authors/marie-dupuis.rss",
        "archive/en/1.atom",
        "all.opml",
        "index.html",
    ] {
        let plain = std::fs::read(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        let gz = std::fs::read(out.join(format!("{path}.gz"))).unwrap_or_default();
        let mut unzipped = Vec::new();
        assert!(
            flate2::read::GzDecoder::new(gz.as_slice())
                .read_to_end(&mut unzipped)
                .is_ok()
        );
        assert_eq!(unzipped, plain, "{path}.gz");
        let br = std::fs::read(out.join(format!("{path}.br"))).unwrap_or_default();
        let mut unbrotli = Vec::new();
        assert!(
            brotli::Decompressor::new(br.as_slice(), 4096)
                .read_to_end(&mut unbrotli)
                .is_ok()
        );
        assert_eq!(unbrotli, plain, "{path}.br");
    }
    let first = std::fs::read(out.join("en.atom")).unwrap_or_default();

    // Again without archives: the archive folder is gone, the rest is byte for byte the same,
    // and nothing is left beside the tree.
    let output = syndic(&config, &["build", "--out", &out_arg, "--no-archives"]);
    assert!(output.status.success(), "{output:?}");
    assert!(!out.join("archive").exists());
    assert!(out.join("en.atom").exists());
    let siblings: Vec<String> = std::fs::read_dir(dir.path().join("site"))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(siblings, ["feeds"]);
    // Without archives the subscription documents do not link to archive pages.
    let second = std::fs::read(out.join("en.atom")).unwrap_or_default();
    assert!(!String::from_utf8_lossy(&second).contains("prev-archive"));
    assert!(!first.is_empty());
}

/// Every file under `root` with its bytes, by relative path.
fn tree(root: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut std::collections::BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{e}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap_or(&path);
                let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
                out.insert(rel.to_string_lossy().replace('\\', "/"), bytes);
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    walk(root, root, &mut out);
    out
}

#[cfg(unix)]
#[test]
fn a_rebuild_links_what_did_not_change_and_equals_a_fresh_build() {
    use std::os::unix::fs::MetadataExt;

    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mini = dir.path().join("mini");
    common::copy_tree(&root().join("tests/fixtures/mini"), &mini);
    let config = mini.join("config.toml");
    let out = dir.path().join("feeds");
    let out_arg = out.to_string_lossy().to_string();
    assert!(
        syndic(&config, &["build", "--out", &out_arg])
            .status
            .success()
    );
    let ino = |path: &str| {
        std::fs::metadata(out.join(path))
            .map(|m| m.ino())
            .unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let (fr_before, en_before) = (ino("fr.atom.br"), ino("en.atom.br"));

    // One English post edited: its documents are written again, the French ones linked.
    let post = mini.join("content/en/blog/posts/hello-world.md");
    let mut text = std::fs::read_to_string(&post).unwrap_or_else(|e| panic!("{e}"));
    text.push_str("\nOne more line, added after the first build.\n");
    std::fs::write(&post, text).unwrap_or_else(|e| panic!("{e}"));
    let output = syndic(&config, &["build", "--out", &out_arg]);
    assert!(output.status.success(), "{output:?}");
    let said = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(said.contains("documents unchanged and linked"), "{said}");
    assert!(!said.contains(" 0 documents unchanged"), "{said}");
    assert_eq!(ino("fr.atom.br"), fr_before, "unchanged: the same file");
    assert_ne!(ino("en.atom.br"), en_before, "changed: a new file");
    let en = String::from_utf8_lossy(&std::fs::read(out.join("en.atom")).unwrap_or_default())
        .to_string();
    assert!(en.contains("One more line"), "{en}");

    // The tree is what a build from nothing writes, every compressed copy included.
    let fresh = dir.path().join("fresh");
    let fresh_arg = fresh.to_string_lossy().to_string();
    assert!(
        syndic(&config, &["build", "--out", &fresh_arg, "--fresh"])
            .status
            .success()
    );
    let (rebuilt, from_nothing) = (tree(&out), tree(&fresh));
    assert_eq!(
        rebuilt.keys().collect::<Vec<_>>(),
        from_nothing.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &rebuilt {
        assert!(from_nothing.get(path) == Some(bytes), "{path} differs");
    }

    // The list of documents the next build trusts names every feed document.
    let listed = String::from_utf8_lossy(&rebuilt[".syndic-build"]).to_string();
    assert!(listed.starts_with("syndic-build 1\n"), "{listed}");
    for path in ["all.rss", "fr.atom", "en.json", "authors/sam-chen.atom"] {
        assert!(listed.contains(&format!(" {path}\n")), "{path}: {listed}");
    }

    // A file of the tree damaged since (here cut short) is written again, not linked.
    let damaged = out.join("fr.rss");
    let full = std::fs::read(&damaged).unwrap_or_default();
    std::fs::write(&damaged, &full[..full.len() / 2]).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        syndic(&config, &["build", "--out", &out_arg])
            .status
            .success()
    );
    assert_eq!(std::fs::read(&damaged).unwrap_or_default(), full);

    // A change of configuration reaches every document, listed or not.
    let settings = std::fs::read_to_string(&config).unwrap_or_default();
    let renamed = settings.replacen(
        "title = \"Example Digital Service\"",
        "title = \"Example Digital Service, renamed\"",
        1,
    );
    assert_ne!(settings, renamed);
    std::fs::write(&config, renamed).unwrap_or_else(|e| panic!("{e}"));
    for (tree_arg, extra) in [(&out_arg, None), (&fresh_arg, Some("--fresh"))] {
        let mut args = vec!["build", "--out", tree_arg.as_str()];
        args.extend(extra);
        let output = syndic(&config, &args);
        assert!(output.status.success(), "{output:?}");
    }
    let (rebuilt, from_nothing) = (tree(&out), tree(&fresh));
    assert_eq!(rebuilt, from_nothing);
    let en = String::from_utf8_lossy(&rebuilt["en.rss"]).to_string();
    assert!(en.contains("Example Digital Service, renamed"), "{en}");
}
