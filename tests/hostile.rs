//! A hostile corpus: files built to crash, hang or starve the loader, beside good posts that must
//! keep loading. Each bad file is either reported (with its file, and line where there is one)
//! and left out, or loaded safely; nothing panics, nothing hangs (every run has a deadline), and
//! the good neighbours are always in the built feeds.
//!
//! The small files are committed in `tests/fixtures/hostile/`; everything big, binary,
//! byte-exact or special (links, a FIFO, an unreadable file) is made here at run time in a copy
//! of it. The corpus is loaded once, through the library and through the real binary (`check`,
//! `posts`, `build`); each test below then looks at one case.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;
use syndic::config::Config;
use syndic::corpus::{self, Corpus, Diagnostic, Found};

/// No run of the binary or of the loader may take longer than this.
const DEADLINE: Duration = Duration::from_secs(60);

/// A string only the file outside `content_dir` holds.
const OUTSIDE_MARK: &str = "OUTSIDE-CONTENT-DIR-qv7k2m";

const POSTS: &str = "en/blog/posts";

fn post_path(name: &str) -> String {
    format!("{POSTS}/{name}")
}

fn permalink(day: &str, slug: &str) -> String {
    format!("https://digital.example.ca/{day}/{slug}/")
}

const GOOD_EN: &str = "https://digital.example.ca/2024/06/03/good-neighbour/";
const GOOD_FR: &str = "https://numerique.example.ca/2024/06/03/bon-voisin/";

// ---------------------------------------------------------------------------------------------
// Building the corpus

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn link(target: &Path, at: &Path) {
    std::os::unix::fs::symlink(target, at)
        .unwrap_or_else(|e| panic!("link {} -> {}: {e}", at.display(), target.display()));
}

/// A front matter with a title and a date, as bytes.
fn front(title: &str, date: &str) -> Vec<u8> {
    format!("---\ntitle: {title}\nauthor: Sam Chen\ndate: {date}\n---\n\n").into_bytes()
}

/// Ten thousand names that each read as a person (letters only, two capitalised words).
fn crowd_byline() -> String {
    let letter = |n: usize| char::from(b'a' + (n % 26) as u8);
    (0..10_000)
        .map(|i| {
            format!(
                "B{}{}{} Roe{}{}",
                letter(i),
                letter(i / 26),
                letter(i / 676),
                letter(i / 17_576),
                letter(i * 11)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Byte offset of the first byte that is not valid UTF-8 -> its 1-based line.
fn line_of_first_bad_byte(bytes: &[u8]) -> u64 {
    let at = match std::str::from_utf8(bytes) {
        Ok(_) => panic!("the bytes are valid UTF-8"),
        Err(e) => e.valid_up_to(),
    };
    bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

/// What the generated files are expected to give, computed while writing them.
struct Made {
    binary_body_line: u64,
    latin1_line: u64,
    fifty_mb_len: u64,
    /// `mkfifo` was available.
    fifo: bool,
    /// The process can read a file whose mode is 000 (it runs as root or with
    /// CAP_DAC_OVERRIDE), so the unreadable case cannot be observed.
    privileged: bool,
}

/// Adds the generated hostile files to a copy of the fixture at `dir`.
fn generate(dir: &Path) -> Made {
    let posts = dir.join("content").join(POSTS);

    // YAML nested 10,000 levels deep, with brackets and with braces.
    let mut deep = front("Ten thousand brackets", "2024-02-05T12:00:00Z");
    deep.truncate(deep.len() - "---\n\n".len());
    let braces = [
        deep.clone(),
        b"deep: ".to_vec(),
        "{a: ".repeat(10_000).into_bytes(),
    ]
    .concat();
    deep.extend_from_slice(b"deep: ");
    deep.extend_from_slice("[".repeat(10_000).as_bytes());
    for (name, mut bytes) in [("deep-brackets.md", deep), ("deep-braces.md", braces)] {
        bytes.extend_from_slice(b"\n---\n\nNever reached.\n");
        write(&posts.join(name), &bytes);
    }

    // 50 MB of body, written in pieces.
    let fifty = posts.join("fifty-megabytes.md");
    let mut file = std::fs::File::create(&fifty).unwrap_or_else(|e| panic!("{e}"));
    let mut written = 0u64;
    let head = front("Fifty megabytes", "2024-02-06T12:00:00Z");
    file.write_all(&head).unwrap_or_else(|e| panic!("{e}"));
    written += head.len() as u64;
    let line = "All work and no limits makes a loader run out of memory.\n".repeat(1024);
    while written < 50 * 1024 * 1024 {
        file.write_all(line.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        written += line.len() as u64;
    }
    drop(file);

    // A gigabyte that takes no disk: a sparse file of zeros.
    let sparse =
        std::fs::File::create(posts.join("sparse-gigabyte.md")).unwrap_or_else(|e| panic!("{e}"));
    sparse
        .set_len(1 << 30)
        .unwrap_or_else(|e| panic!("set_len: {e}"));
    drop(sparse);

    // NUL and other control bytes: valid UTF-8 in the body, raw in the front matter, and
    // escaped (`\0` in a double-quoted YAML string).
    let mut nul_body = front("Control bytes in the body", "2024-02-07T12:00:00Z");
    nul_body.extend_from_slice(b"Before a NUL\0after it, then \x01\x07\x1b[31m and \x7f.\n");
    write(&posts.join("nul-in-body.md"), &nul_body);
    write(
        &posts.join("nul-in-front-matter.md"),
        b"---\ntitle: Raw\0NUL\nauthor: Sam Chen\ndate: 2024-02-08T12:00:00Z\n---\n\nBody.\n",
    );
    write(
        &posts.join("escaped-nul-in-front-matter.md"),
        b"---\ntitle: \"Escaped\\0NUL\\x07\"\nauthor: Sam Chen\ndate: 2024-02-09T12:00:00Z\n---\n\nBody.\n",
    );

    // Binary: an image's bytes pasted after some text, and bytes that are no encoding at all
    // in the front matter; Latin-1 in an otherwise fine body.
    let mut binary = front("Binary in the body", "2024-02-10T12:00:00Z");
    binary.extend_from_slice(b"Some text first.\n\n");
    binary.extend_from_slice(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    binary.extend((0..=255u8).rev());
    let binary_body_line = line_of_first_bad_byte(&binary);
    write(&posts.join("binary-body.md"), &binary);
    write(
        &posts.join("binary-front-matter.md"),
        b"---\ntitle: \xff\xfe\x00\x01 not text\ndate: 2024-02-11T12:00:00Z\n---\n\nBody.\n",
    );
    let mut latin1 = front("Latin-1 in the body", "2024-02-12T12:00:00Z");
    latin1.extend_from_slice(b"First line is fine.\nThe second says caf\xe9.\n");
    let latin1_line = line_of_first_bad_byte(&latin1);
    write(&posts.join("invalid-utf8.md"), &latin1);

    // A byte-order mark before the opening fence, and CRLF line ends (the twin of the
    // committed `lf-line-ends.md`).
    let mut bom = "\u{FEFF}".as_bytes().to_vec();
    bom.extend(front(
        "Starts with a byte-order mark",
        "2024-02-13T12:00:00Z",
    ));
    bom.extend_from_slice(b"Invisible mark, visible post.\n");
    write(&posts.join("byte-order-mark.md"), &bom);
    let lf = std::fs::read_to_string(posts.join("lf-line-ends.md"))
        .unwrap_or_else(|e| panic!("lf-line-ends.md: {e}"));
    let crlf = lf.replace("\r\n", "\n").replace('\n', "\r\n");
    write(&posts.join("crlf-line-ends.md"), crlf.as_bytes());

    // A byline of 10,000 people.
    write(
        &posts.join("crowd.md"),
        format!(
            "---\ntitle: Written by a crowd\ndate: 2024-02-14T12:00:00Z\nauthor: '{}'\n---\n\nMany hands.\n",
            crowd_byline()
        )
        .as_bytes(),
    );

    // Links: a loop of two file links, a folder link to its own parent, and a link to a post
    // outside content_dir.
    link(Path::new("loop-b.md"), &posts.join("loop-a.md"));
    link(Path::new("loop-a.md"), &posts.join("loop-b.md"));
    link(Path::new(".."), &posts.join("up"));
    let outside = dir.join("outside");
    std::fs::create_dir_all(&outside).unwrap_or_else(|e| panic!("{e}"));
    write(
        &outside.join("elsewhere.md"),
        format!(
            "---\ntitle: {OUTSIDE_MARK}\nauthor: Sam Chen\ndate: 2024-02-15T12:00:00Z\n---\n\n{OUTSIDE_MARK} in the body.\n"
        )
        .as_bytes(),
    );
    link(
        &outside.join("elsewhere.md"),
        &posts.join("link-outside.md"),
    );

    // A FIFO: opening it for reading would wait for a writer forever.
    let fifo = Command::new("mkfifo")
        .arg(posts.join("named-pipe.md"))
        .status()
        .is_ok_and(|s| s.success());
    if !fifo {
        println!("note: mkfifo is not available; the FIFO case is not checked");
    }

    // An unreadable file.
    let unreadable = posts.join("unreadable.md");
    let mut text = front("Nobody may read this", "2024-02-16T12:00:00Z");
    text.extend_from_slice(b"Mode 000.\n");
    write(&unreadable, &text);
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&unreadable, std::fs::Permissions::from_mode(0o000))
        .unwrap_or_else(|e| panic!("chmod: {e}"));
    let privileged = std::fs::File::open(&unreadable).is_ok();

    Made {
        binary_body_line,
        latin1_line,
        fifty_mb_len: written,
        fifo,
        privileged,
    }
}

// ---------------------------------------------------------------------------------------------
// Running

/// One run of the binary.
struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

/// Runs `syndic --config CONFIG ARGS`, killed and failed at [`DEADLINE`].
fn syndic(config: &Path, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_syndic"))
        .arg("--config")
        .arg(config)
        .args(args)
        .env("SYNDIC_LOG", "warn")
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start syndic: {e}"));
    // Drained on threads so that a full pipe never stalls the child.
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > DEADLINE => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("syndic {args:?} did not finish within {DEADLINE:?}: a hang");
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => panic!("waiting for syndic: {e}"),
        }
    };
    let run = Run {
        code: status.code(),
        stdout: stdout.join().unwrap_or_default(),
        stderr: String::from_utf8_lossy(&stderr.join().unwrap_or_default()).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "syndic {args:?} panicked:\n{}",
        run.stderr
    );
    run
}

fn json(run: &Run) -> Value {
    serde_json::from_slice(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&run.stdout),
            run.stderr
        )
    })
}

/// `f()` on another thread, failed at [`DEADLINE`].
fn bounded<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(f());
    });
    match receive.recv_timeout(DEADLINE) {
        Ok(value) => value,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("{what} did not finish within {DEADLINE:?}: a hang")
        }
        Err(e) => panic!("{what} failed: {e}"),
    }
}

fn load_config(path: &Path) -> Config {
    Config::load(path).unwrap_or_else(|e| panic!("{e}"))
}

/// `load_file` on one file of the corpus, timed.
fn load_one(config: &Config, name: &str) -> (Duration, Result<String, Diagnostic>) {
    let found = Found {
        path: post_path(name),
        absolute: config.content_dir.join(POSTS).join(name),
        lang: "en".into(),
        section: "blog".into(),
    };
    let config = config.clone();
    bounded(name, move || {
        let started = Instant::now();
        let outcome = corpus::load_file(&config, &found).map(|(post, _)| post.title);
        (started.elapsed(), outcome)
    })
}

/// Everything the hostile corpus gave, gathered once.
struct Hostile {
    made: Made,
    check_code: Option<i32>,
    check: Value,
    posts: Value,
    /// The library's view of the same corpus.
    corpus: Corpus,
    /// Every document `build` wrote, as text, by path in the tree.
    tree: Vec<(String, String)>,
    /// The ids of `all.atom`, `en.atom` and `fr.atom`, parsed with feed-rs.
    all_ids: Vec<String>,
    en_ids: Vec<String>,
    fr_ids: Vec<String>,
    all_atom: feed_rs::model::Feed,
    /// `load_file` on the 50 MB and the 1 GB files.
    fifty: (Duration, Result<String, Diagnostic>),
    gigabyte: (Duration, Result<String, Diagnostic>),
}

fn gather() -> Hostile {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    common::copy_tree(&common::root().join("tests/fixtures/hostile"), dir.path());
    let made = generate(dir.path());
    let config_path = dir.path().join("config.toml");
    let config = load_config(&config_path);

    let fifty = load_one(&config, "fifty-megabytes.md");
    let gigabyte = load_one(&config, "sparse-gigabyte.md");
    let corpus = {
        let config = config.clone();
        bounded("corpus::load", move || {
            corpus::load(&config, &Default::default())
        })
    };

    let check = syndic(&config_path, &["check", "--format", "json"]);
    let posts = syndic(&config_path, &["posts", "--format", "json"]);
    let out = dir.path().join("feeds");
    let out_arg = out.to_string_lossy().into_owned();
    let build = syndic(&config_path, &["build", "--out", &out_arg]);
    assert_eq!(build.code, Some(0), "build failed:\n{}", build.stderr);

    let mut tree = Vec::new();
    for entry in walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        let rel = path.strip_prefix(&out).unwrap_or(path).to_string_lossy();
        if entry.file_type().is_file() && !rel.ends_with(".gz") && !rel.ends_with(".br") {
            let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{rel}: {e}"));
            let text = String::from_utf8(bytes).unwrap_or_else(|e| panic!("{rel}: {e}"));
            tree.push((rel.into_owned(), text));
        }
    }
    tree.sort();
    let document = |name: &str| -> feed_rs::model::Feed {
        let text = tree
            .iter()
            .find(|(path, _)| path == name)
            .map(|(_, text)| text.as_str())
            .unwrap_or_else(|| panic!("build wrote no {name}"));
        feed_rs::parser::parse(text.as_bytes())
            .unwrap_or_else(|e| panic!("{name} does not parse: {e}\n{text}"))
    };
    let ids = |feed: &feed_rs::model::Feed| -> Vec<String> {
        feed.entries.iter().map(|e| e.id.clone()).collect()
    };
    let all_atom = document("all.atom");
    let (en_ids, fr_ids) = (ids(&document("en.atom")), ids(&document("fr.atom")));

    Hostile {
        made,
        check_code: check.code,
        check: json(&check),
        posts: json(&posts),
        corpus,
        all_ids: ids(&all_atom),
        en_ids,
        fr_ids,
        all_atom,
        tree,
        fifty,
        gigabyte,
    }
}

/// The corpus, loaded and built once for every test (its folder is gone by then).
fn hostile() -> &'static Hostile {
    static HOSTILE: OnceLock<Result<Hostile, String>> = OnceLock::new();
    let gathered = HOSTILE.get_or_init(|| {
        std::panic::catch_unwind(gather).map_err(|e| {
            e.downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "gathering the hostile corpus panicked".into())
        })
    });
    match gathered {
        Ok(hostile) => hostile,
        Err(message) => panic!("the hostile corpus could not be gathered: {message}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Looking

fn array(value: &Value) -> &[Value] {
    value.as_array().map(Vec::as_slice).unwrap_or_default()
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key].as_str().unwrap_or_default()
}

impl Hostile {
    fn errors(&self, path: &str) -> Vec<&Value> {
        array(&self.check["errors"])
            .iter()
            .filter(|e| text(e, "path") == path)
            .collect()
    }

    fn warnings(&self, path: &str) -> Vec<&Value> {
        array(&self.check["warnings"])
            .iter()
            .filter(|e| text(e, "path") == path)
            .collect()
    }

    fn listed(&self, path: &str) -> Option<&Value> {
        array(&self.posts).iter().find(|p| text(p, "path") == path)
    }

    fn loaded(&self, path: &str) -> Option<&syndic::corpus::Post> {
        self.corpus
            .posts
            .iter()
            .find(|p| p.path == path)
            .map(|p| p.as_ref())
    }

    /// The file is reported once, with `line`, a message holding `says`, and left out
    /// everywhere: not listed, not loaded, in no feed. Returns the message.
    fn assert_reported(&self, name: &str, line: Option<u64>, says: &str) -> String {
        let path = post_path(name);
        let errors = self.errors(&path);
        assert_eq!(errors.len(), 1, "{path}: errors {errors:?}");
        let message = text(errors[0], "message").to_string();
        assert_eq!(errors[0]["line"].as_u64(), line, "{path}: {message}");
        assert!(message.contains(says), "{path}: `{message}` lacks `{says}`");
        assert!(self.listed(&path).is_none(), "{path} is listed by `posts`");
        assert!(self.loaded(&path).is_none(), "{path} is loaded");
        let from_library = self.corpus.errors.iter().filter(|d| d.path == path).count();
        assert_eq!(from_library, 1, "{path}: the library disagrees");
        let stem = name.trim_end_matches(".md");
        for (doc, text) in &self.tree {
            assert!(
                !text.contains(&format!("/{stem}/")),
                "{path} is in {doc} although it was reported"
            );
        }
        message
    }

    /// The file loaded, is listed, and its item is in `all.atom` and `en.atom`. Returns the
    /// listed post.
    fn assert_loaded(&self, name: &str, permalink: &str) -> &Value {
        let path = post_path(name);
        assert!(
            self.errors(&path).is_empty(),
            "{path}: {:?}",
            self.errors(&path)
        );
        let listed = self
            .listed(&path)
            .unwrap_or_else(|| panic!("{path} is not listed by `posts`"));
        assert_eq!(text(listed, "permalink"), permalink, "{path}");
        assert!(
            self.loaded(&path).is_some(),
            "{path}: the library left it out"
        );
        for (feed, ids) in [("all.atom", &self.all_ids), ("en.atom", &self.en_ids)] {
            assert!(
                ids.iter().any(|id| id == permalink),
                "{permalink} is not in {feed}: {ids:?}"
            );
        }
        listed
    }

    /// The content of the `all.atom` entry with this id.
    fn atom_content(&self, id: &str) -> String {
        self.all_atom
            .entries
            .iter()
            .find(|e| e.id == id)
            .and_then(|e| e.content.as_ref())
            .and_then(|c| c.body.clone())
            .unwrap_or_else(|| panic!("no content for {id} in all.atom"))
    }
}

// ---------------------------------------------------------------------------------------------
// The neighbours

#[test]
fn the_good_neighbours_load_and_are_in_every_feed_they_belong_to() {
    let h = hostile();
    assert_eq!(h.check_code, Some(1), "errors are expected: {:#}", h.check);
    let good = h.assert_loaded("good-neighbour.md", GOOD_EN);
    assert_eq!(text(good, "title"), "A good neighbour among hostile files");
    assert_eq!(good["translations"]["fr"], GOOD_FR);
    assert!(h.errors("fr/blog/posts/bon-voisin.md").is_empty());
    assert!(h.fr_ids.iter().any(|id| id == GOOD_FR), "{:?}", h.fr_ids);
    assert!(h.all_ids.iter().any(|id| id == GOOD_FR), "{:?}", h.all_ids);
    for person in ["authors/marie-dupuis.atom", "en/authors/marie-dupuis.rss"] {
        assert!(
            h.tree
                .iter()
                .any(|(path, text)| path == person && text.contains(GOOD_EN)),
            "{person} lacks {GOOD_EN}"
        );
    }
    // The binary and the library agree on what loaded.
    assert_eq!(h.check["posts"].as_u64(), Some(h.corpus.posts.len() as u64));
    assert_eq!(array(&h.posts).len(), h.corpus.posts.len());
    // Whatever the hostile files held, every feed document is well-formed: feed-rs reads it.
    let mut feeds = 0;
    for (path, text) in &h.tree {
        if path.ends_with(".atom") || path.ends_with(".rss") || path.ends_with(".json") {
            if let Err(e) = feed_rs::parser::parse(text.as_bytes()) {
                panic!("{path} does not parse: {e}");
            }
            feeds += 1;
        }
    }
    assert!(feeds > 10, "{feeds} feed documents");
}

// ---------------------------------------------------------------------------------------------
// YAML built to explode

#[test]
fn an_alias_bomb_is_reported_not_expanded() {
    let message = hostile().assert_reported("alias-bomb.md", Some(2), "invalid YAML");
    assert!(message.contains("repetition limit"), "{message}");
}

#[test]
fn ten_thousand_nested_brackets_or_braces_are_reported() {
    for name in ["deep-brackets.md", "deep-braces.md"] {
        hostile().assert_reported(name, Some(5), "too many `[` and `{`");
    }
}

// ---------------------------------------------------------------------------------------------
// Size

#[test]
fn a_fifty_megabyte_post_is_over_the_limit_and_not_read() {
    let h = hostile();
    let size = h.made.fifty_mb_len.to_string();
    let message = h.assert_reported("fifty-megabytes.md", None, &size);
    assert!(message.contains("max_post_bytes"), "{message}");
    let (took, outcome) = &h.fifty;
    assert!(outcome.is_err(), "{outcome:?}");
    assert!(*took < Duration::from_secs(1), "{took:?}");
}

#[test]
fn a_sparse_gigabyte_is_over_the_limit_from_its_size_alone() {
    let h = hostile();
    // The size in the message comes from the file's metadata: nothing was read.
    let message = h.assert_reported("sparse-gigabyte.md", None, "1073741824 bytes");
    assert!(message.contains("max_post_bytes"), "{message}");
    let (took, outcome) = &h.gigabyte;
    assert!(outcome.is_err(), "{outcome:?}");
    assert!(*took < Duration::from_secs(1), "{took:?}");
}

// ---------------------------------------------------------------------------------------------
// Bytes that are not text

#[test]
fn control_bytes_in_the_body_load_and_never_reach_a_feed() {
    let h = hostile();
    let permalink = permalink("2024/02/07", "nul-in-body");
    h.assert_loaded("nul-in-body.md", &permalink);
    let post = h
        .loaded(&post_path("nul-in-body.md"))
        .unwrap_or_else(|| panic!("not loaded"));
    assert!(
        post.body_in_memory()
            .is_some_and(|body| body.contains("NUL\0after")),
        "the body is kept as written"
    );
    let html = post.content_html().unwrap_or_else(|e| panic!("{e}"));
    assert!(
        html.contains("Before a NUL") && html.contains("after it"),
        "{html}"
    );
    assert!(
        !html.contains(['\0', '\u{1}', '\u{7}', '\u{1b}']),
        "{html:?}"
    );
    let content = h.atom_content(&permalink);
    assert!(content.contains("after it"), "{content}");
    for (path, text) in &h.tree {
        assert!(!text.contains(['\0', '\u{1}', '\u{7}', '\u{1b}']), "{path}");
    }
}

#[test]
fn a_raw_nul_in_the_front_matter_is_reported_with_its_line() {
    hostile().assert_reported(
        "nul-in-front-matter.md",
        Some(2),
        "control characters are not allowed",
    );
}

#[test]
fn an_escaped_nul_in_the_front_matter_loads_without_it() {
    let h = hostile();
    let listed = h.assert_loaded(
        "escaped-nul-in-front-matter.md",
        &permalink("2024/02/09", "escaped-nul-in-front-matter"),
    );
    let title = text(listed, "title");
    assert_eq!(title, "Escaped NUL");
}

#[test]
fn binary_bytes_are_reported_at_the_line_of_the_first_bad_byte() {
    let h = hostile();
    let line = h.made.binary_body_line;
    assert_eq!(line, 9, "the image starts on line 9 of the file");
    h.assert_reported("binary-body.md", Some(line), "not valid UTF-8");
    h.assert_reported("binary-front-matter.md", Some(2), "not valid UTF-8");
}

#[test]
fn invalid_utf8_is_reported_with_its_line() {
    let h = hostile();
    assert_eq!(h.made.latin1_line, 8);
    h.assert_reported("invalid-utf8.md", Some(8), "not valid UTF-8");
}

// ---------------------------------------------------------------------------------------------
// Fences, marks and line ends

#[test]
fn a_byte_order_mark_before_the_fence_loads() {
    let h = hostile();
    let listed = h.assert_loaded(
        "byte-order-mark.md",
        &permalink("2024/02/13", "byte-order-mark"),
    );
    assert_eq!(text(listed, "title"), "Starts with a byte-order mark");
    assert!(
        h.warnings(&post_path("byte-order-mark.md"))
            .iter()
            .all(|w| { text(w, "message").starts_with("no translationKey") })
    );
}

#[test]
fn crlf_line_ends_load_the_same_as_lf() {
    let h = hostile();
    let lf = h.assert_loaded("lf-line-ends.md", &permalink("2024/02/04", "lf-line-ends"));
    let crlf = h.assert_loaded(
        "crlf-line-ends.md",
        &permalink("2024/02/04", "crlf-line-ends"),
    );
    assert_eq!(text(crlf, "title"), "Twins with different line ends");
    for key in ["title", "date", "byline", "summary"] {
        assert_eq!(lf[key], crlf[key], "{key}");
        assert!(!text(crlf, key).contains('\r'), "{key}: {:?}", crlf[key]);
    }
    let (lf, crlf) = match (
        h.loaded(&post_path("lf-line-ends.md")),
        h.loaded(&post_path("crlf-line-ends.md")),
    ) {
        (Some(lf), Some(crlf)) => (lf, crlf),
        _ => panic!("the twins are not both loaded"),
    };
    assert_eq!(
        lf.content_html().unwrap_or_else(|e| panic!("{e}")).trim(),
        crlf.content_html()
            .unwrap_or_else(|e| panic!("{e}"))
            .replace('\r', "")
            .trim()
    );
}

#[test]
fn a_front_matter_never_closed_is_reported_at_its_fence() {
    hostile().assert_reported("unclosed-front-matter.md", Some(1), "never closed");
}

#[test]
fn a_thematic_break_in_the_body_is_not_a_fence() {
    let h = hostile();
    let permalink = permalink("2024/02/03", "thematic-break");
    let listed = h.assert_loaded("thematic-break.md", &permalink);
    assert_eq!(
        text(listed, "summary"),
        "The body has a thematic break that looks like a fence."
    );
    let post = h
        .loaded(&post_path("thematic-break.md"))
        .unwrap_or_else(|| panic!("not loaded"));
    assert_eq!(
        post.body_in_memory().unwrap_or_default(),
        "\nAbove the rule.\n\n---\n\nBelow the rule, still part of the body.\n"
    );
    let content = h.atom_content(&permalink);
    let (above, hr, below) = (
        content.find("Above the rule."),
        content.find("<hr"),
        content.find("Below the rule, still part of the body."),
    );
    assert!(
        above < hr && hr < below && above.is_some(),
        "the body is not intact in all.atom: {content}"
    );
}

// ---------------------------------------------------------------------------------------------
// Dates

#[test]
fn years_0001_to_9999_load_and_fit_every_format() {
    let h = hostile();
    let first = h.assert_loaded("year-1.md", &permalink("0001/01/01", "year-1"));
    assert_eq!(text(first, "date"), "0001-01-01T00:00:00+00:00");
    let last = h.assert_loaded("year-9999.md", &permalink("9999/12/31", "year-9999"));
    assert_eq!(text(last, "date"), "9999-12-31T23:59:59+00:00");
    // The furthest offset a time zone uses is kept as written.
    let east = h.assert_loaded("far-east.md", &permalink("2024/07/01", "far-east"));
    assert_eq!(text(east, "date"), "2024-07-01T09:00:00+14:00");
    // RSS writes the dates too (RFC 2822).
    let rss = h
        .tree
        .iter()
        .find(|(path, _)| path == "all.rss")
        .map(|(_, text)| text.as_str())
        .unwrap_or_default();
    for date in [
        "Mon, 1 Jan 0001 00:00:00 +0000",
        "Fri, 31 Dec 9999 23:59:59 +0000",
        "Mon, 1 Jul 2024 09:00:00 +1400",
    ] {
        assert!(rss.contains(date), "all.rss lacks {date}");
    }
    // The newest item dates the feed.
    assert!(
        h.tree.iter().any(|(path, text)| path == "all.atom"
            && text.contains("<updated>9999-12-31T23:59:59+00:00</updated>")),
        "all.atom is not dated by its newest item"
    );
}

/// RFC 3339 writes them, but Atom's dates are also `xsd:dateTime` (RFC 4287's schema), which
/// has no year 0000 and no offset past 14:00: a feed holding them would not be valid.
#[test]
fn dates_no_feed_can_carry_are_reported() {
    let h = hostile();
    for name in ["year-0.md", "year-9999-far-west.md"] {
        let message = h.assert_reported(name, Some(4), "no feed can carry");
        assert!(message.contains("-14:00 to +14:00"), "{message}");
    }
}

#[test]
fn years_beyond_four_digits_are_reported() {
    let h = hostile();
    h.assert_reported("year-10000.md", Some(4), "+10000-01-01T00:00:00");
    h.assert_reported("year-minus-1.md", Some(4), "-0001-06-01");
}

#[test]
fn absurd_offsets_are_reported() {
    let h = hostile();
    h.assert_reported("offset-plus-99.md", Some(4), "+99:00");
    h.assert_reported("offset-minus-24.md", Some(4), "-24:00");
}

#[test]
fn the_thirtieth_of_february_is_reported() {
    hostile().assert_reported("february-30.md", Some(4), "`2024-02-30` is not a date");
}

// ---------------------------------------------------------------------------------------------
// People

#[test]
fn a_byline_of_ten_thousand_people_loads_with_a_bounded_crowd() {
    let h = hostile();
    let listed = h.assert_loaded("crowd.md", &permalink("2024/02/14", "crowd"));
    let authors = array(&listed["authors"]);
    assert_eq!(authors.len(), syndic::corpus::post::MAX_PEOPLE);
    assert_eq!(text(&authors[0], "slug"), "baaa-roeaa");
    // The byline is still shown whole.
    assert_eq!(text(listed, "byline"), crowd_byline());
    let warnings = h.warnings(&post_path("crowd.md"));
    assert!(
        warnings
            .iter()
            .any(|w| w["line"] == 4 && people_named(text(w, "message")) > 9_900),
        "{warnings:?}"
    );
    // A person feed for each of the first people, none for the rest.
    let person_feeds = h
        .tree
        .iter()
        .filter(|(path, _)| path.starts_with("authors/") && path.ends_with(".atom"))
        .count();
    assert!(
        (syndic::corpus::post::MAX_PEOPLE..=syndic::corpus::post::MAX_PEOPLE + 3)
            .contains(&person_feeds),
        "{person_feeds} person feeds"
    );
}

/// `N` in "`author` names N people, ...", else 0.
fn people_named(message: &str) -> usize {
    message
        .split_once(" names ")
        .and_then(|(_, rest)| rest.split_once(' '))
        .and_then(|(count, _)| count.parse().ok())
        .unwrap_or(0)
}

// ---------------------------------------------------------------------------------------------
// Links, pipes and permissions

#[test]
fn link_loops_are_skipped_with_a_warning() {
    let h = hostile();
    for name in ["loop-a.md", "loop-b.md"] {
        let path = post_path(name);
        let warnings = h.warnings(&path);
        assert!(
            warnings
                .iter()
                .any(|w| text(w, "message").contains("symbolic links")),
            "{path}: {warnings:?}"
        );
        assert!(h.listed(&path).is_none() && h.errors(&path).is_empty());
    }
    let up = post_path("up");
    let warnings = h.warnings(&up);
    assert!(
        warnings.iter().any(|w| text(w, "message").contains("loop")),
        "{up}: {warnings:?}"
    );
    // Nothing was read twice through the loop.
    assert!(
        array(&h.posts)
            .iter()
            .all(|p| !text(p, "path").contains("/up/")),
        "a post was read through the looping link"
    );
}

#[test]
fn a_link_out_of_content_dir_is_not_followed() {
    let h = hostile();
    let path = post_path("link-outside.md");
    let warnings = h.warnings(&path);
    assert!(
        warnings
            .iter()
            .any(|w| text(w, "message").contains("outside content_dir")),
        "{warnings:?}"
    );
    assert!(h.listed(&path).is_none());
    for (doc, text) in &h.tree {
        assert!(!text.contains(OUTSIDE_MARK), "{doc} shows the outside file");
    }
    assert!(!h.posts.to_string().contains(OUTSIDE_MARK));
    assert!(
        h.corpus
            .posts
            .iter()
            .all(|p| !p.title.contains(OUTSIDE_MARK))
    );
}

#[test]
fn a_named_pipe_is_skipped_without_waiting_for_a_writer() {
    let h = hostile();
    if !h.made.fifo {
        println!("note: no FIFO was made; nothing to check");
        return;
    }
    // Reaching here at all means no run blocked on the pipe.
    let path = post_path("named-pipe.md");
    assert!(h.listed(&path).is_none() && h.loaded(&path).is_none());
}

#[test]
fn an_unreadable_file_is_reported_and_skipped() {
    let h = hostile();
    let path = post_path("unreadable.md");
    if h.made.privileged {
        println!(
            "note: this process reads files of mode 000 (root or CAP_DAC_OVERRIDE), so \
             `{path}` loads here; the `cannot read` report is checked only when run unprivileged"
        );
        assert!(h.errors(&path).is_empty(), "{:?}", h.errors(&path));
        return;
    }
    let message = h.assert_reported("unreadable.md", None, "cannot read");
    assert!(message.contains("ermission denied"), "{message}");
}

// ---------------------------------------------------------------------------------------------
// A file gone between listing and reading

#[test]
fn a_file_removed_after_listing_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    common::copy_tree(&common::root().join("tests/fixtures/hostile"), dir.path());
    let config = load_config(&dir.path().join("config.toml"));
    let (found, _) = corpus::find_posts(&config);
    let name = post_path("thematic-break.md");
    let file = found
        .iter()
        .find(|f| f.path == name)
        .cloned()
        .unwrap_or_else(|| panic!("{name} was not listed"));
    std::fs::remove_file(&file.absolute).unwrap_or_else(|e| panic!("{e}"));
    let outcome = {
        let config = config.clone();
        let file = file.clone();
        bounded("load_file", move || corpus::load_file(&config, &file))
    };
    match outcome {
        Err(diagnostic) => {
            assert_eq!(diagnostic.path, name);
            assert_eq!(diagnostic.line, None);
            assert!(
                diagnostic.message.starts_with("cannot read"),
                "{diagnostic}"
            );
        }
        Ok((post, _)) => panic!("a removed file loaded: {post:?}"),
    }
    // Its neighbours, listed at the same time, still load.
    for file in found.iter().filter(|f| f.path != name) {
        let outcome = corpus::load_file(&config, file);
        if file.path.ends_with("good-neighbour.md") || file.path.ends_with("bon-voisin.md") {
            assert!(outcome.is_ok(), "{}: {outcome:?}", file.path);
        }
    }
}

/// A folder link out of `content_dir` must not be followed either. Today `find_posts`
/// (src/corpus/mod.rs) checks where a link points only when the post file itself is the link:
/// a file reached through a linked folder is read wherever the folder points.
#[test]
fn a_folder_link_out_of_content_dir_is_not_followed() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    common::copy_tree(&common::root().join("tests/fixtures/hostile"), dir.path());
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap_or_else(|e| panic!("{e}"));
    write(
        &outside.join("elsewhere.md"),
        format!("---\ntitle: {OUTSIDE_MARK}\ndate: 2024-02-15T12:00:00Z\n---\n\nBody.\n")
            .as_bytes(),
    );
    link(
        &outside,
        &dir.path().join("content").join(POSTS).join("linked-folder"),
    );
    let config = load_config(&dir.path().join("config.toml"));
    let corpus = bounded("corpus::load", move || {
        corpus::load(&config, &Default::default())
    });
    let path = post_path("linked-folder/elsewhere.md");
    assert!(
        corpus.posts.iter().all(|p| p.path != path),
        "{path} was read through a link out of content_dir"
    );
    assert!(corpus.posts.iter().any(|p| p.permalink == GOOD_EN));
}
