//! Golden documents: one feed of each format (Atom in English, RSS in French, JSON Feed across
//! languages), the OPML list and a person's feed, built by `syndic build` from the mini fixture
//! and compared byte for byte with the copies under `tests/golden/mini/`, which are reviewed as
//! text when they change. A difference fails with the two documents split at each tag, line
//! by line. `SYNDIC_BLESS=1 cargo test --test golden` writes the copies anew from the build.

mod common;

use std::path::Path;

/// The documents kept, by path under the feed tree.
const GOLDEN: &[&str] = &[
    "en.atom",
    "fr.rss",
    "all.json",
    "all.opml",
    "authors/sam-chen.atom",
];

/// `text` with a line break between tags (`><`) and after JSON's commas between fields, for
/// a reader comparing two versions.
fn lines(text: &str) -> Vec<String> {
    text.replace("><", ">\n<")
        .replace(",\"", ",\n\"")
        .lines()
        .map(str::to_string)
        .collect()
}

/// The first lines where `want` and `got` differ, with a line of context before each.
fn difference(want: &str, got: &str) -> String {
    let (want, got) = (lines(want), lines(got));
    let mut out = String::new();
    let mut shown = 0;
    for i in 0..want.len().max(got.len()) {
        let (w, g) = (want.get(i), got.get(i));
        if w != g {
            if let Some(before) = i.checked_sub(1).and_then(|b| want.get(b)) {
                out.push_str(&format!("  {before}\n"));
            }
            out.push_str(&format!(
                "- {}\n+ {}\n",
                w.map_or("", |s| s),
                g.map_or("", |s| s)
            ));
            shown += 1;
            if shown == 10 {
                out.push_str("(more differences follow)\n");
                break;
            }
        }
    }
    out
}

#[test]
fn the_mini_fixtures_documents_are_byte_for_byte_the_golden_ones() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    common::copy_tree(&common::root().join("tests/fixtures/mini"), dir.path());
    let out = dir.path().join("feeds");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_syndic"))
        .arg("--config")
        .arg(dir.path().join("config.toml"))
        .arg("build")
        .arg("--out")
        .arg(&out)
        .arg("--no-archives")
        .output()
        .unwrap_or_else(|e| panic!("cannot run syndic: {e}"));
    assert!(
        status.status.success(),
        "syndic build failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let golden = common::root().join("tests/golden/mini");
    let bless = std::env::var("SYNDIC_BLESS").as_deref() == Ok("1");
    let mut failures = Vec::new();
    for path in GOLDEN {
        let got = std::fs::read_to_string(out.join(path))
            .unwrap_or_else(|e| panic!("the build wrote no {path}: {e}"));
        let kept = golden.join(path);
        if bless {
            write(&kept, &got);
            continue;
        }
        let want = std::fs::read_to_string(&kept)
            .unwrap_or_else(|e| panic!("{}: {e} (SYNDIC_BLESS=1 writes it)", kept.display()));
        if want != got {
            failures.push(format!("{path}:\n{}", difference(&want, &got)));
        }
    }
    assert!(
        failures.is_empty(),
        "documents differ from tests/golden/mini/ (review, then SYNDIC_BLESS=1 to accept):\n{}",
        failures.join("\n")
    );
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}
