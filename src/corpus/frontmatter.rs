//! A post file's bytes -> front matter fields + Markdown body.
//!
//! Owns: decoding (UTF-8, byte-order mark, CRLF), finding the `---` fences, parsing the YAML
//! leniently (any scalar where a string is expected; unknown keys kept) and reporting problems
//! with the line in the file. Knows nothing of dates, people or URLs.

use std::collections::BTreeMap;

use serde_norway::Value;

/// Why a file could not be split or parsed. `line` is 1-based in the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrontMatterError {
    #[error("the file is empty")]
    Empty,
    #[error("line {line}: not valid UTF-8")]
    NotUtf8 { line: usize },
    #[error("line 1: no front matter: a post starts with a `---` line")]
    Missing,
    #[error("line {line}: the front matter opened here is never closed by a `---` line")]
    Unclosed { line: usize },
    #[error("line {line}: invalid YAML front matter: {message}")]
    Yaml { line: usize, message: String },
    #[error("line {line}: the front matter must be a mapping of keys to values")]
    NotMapping { line: usize },
}

impl FrontMatterError {
    /// The 1-based line in the file the problem is on, where there is one.
    pub fn line(&self) -> Option<usize> {
        match self {
            FrontMatterError::Empty => None,
            FrontMatterError::Missing => Some(1),
            FrontMatterError::NotUtf8 { line }
            | FrontMatterError::Unclosed { line }
            | FrontMatterError::Yaml { line, .. }
            | FrontMatterError::NotMapping { line } => Some(*line),
        }
    }
}

/// A file split at its fences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences.
    pub yaml: &'a str,
    /// 1-based line of the first YAML line in the file.
    pub yaml_line: usize,
    /// Everything after the closing fence.
    pub body: &'a str,
}

/// Decodes a file's bytes: UTF-8 required (the error gives the line of the first bad byte).
/// A byte-order mark stays; [`split`] passes over it.
pub fn decode(bytes: &[u8]) -> Result<&str, FrontMatterError> {
    // The SIMD check answers fast; the standard one finds where it went wrong.
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Ok(text);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            Err(FrontMatterError::NotUtf8 { line })
        }
    }
}

fn is_fence(line: &str, closing: bool) -> bool {
    let line = line.trim_end_matches(['\r', '\n', ' ', '\t']);
    line == "---" || (closing && line == "...")
}

/// Splits decoded text into front matter and body.
pub fn split(text: &str) -> Result<Split<'_>, FrontMatterError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(FrontMatterError::Empty);
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or_default();
    if !is_fence(first, false) {
        return Err(FrontMatterError::Missing);
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for line in lines {
        if is_fence(line, true) {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[offset + line.len()..],
            });
        }
        offset += line.len();
    }
    Err(FrontMatterError::Unclosed { line: 1 })
}

/// The front matter as a map of keys to YAML values, with the line each key is on.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    pub fields: BTreeMap<String, Value>,
    /// Key -> 1-based line in the file.
    pub lines: BTreeMap<String, usize>,
    /// 1-based line of the first YAML line.
    pub first_line: usize,
}

impl FrontMatter {
    /// The value of `key` as text, if it is a scalar (string, number or boolean).
    pub fn text(&self, key: &str) -> Option<String> {
        scalar_text(self.fields.get(key)?)
    }

    /// The line `key` is on, else the first line of the front matter.
    pub fn line_of(&self, key: &str) -> usize {
        self.lines.get(key).copied().unwrap_or(self.first_line)
    }
}

/// Text of a scalar YAML value; `None` for null, sequences and mappings.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(tagged) => scalar_text(&tagged.value),
        Value::Null | Value::Sequence(_) | Value::Mapping(_) => None,
    }
}

/// Parses the YAML of a split file.
pub fn parse(split: &Split<'_>) -> Result<FrontMatter, FrontMatterError> {
    let value: Value = if split.yaml.trim().is_empty() {
        Value::Mapping(Default::default())
    } else if let Some(index) = too_much_flow_nesting(split.yaml) {
        return Err(FrontMatterError::Yaml {
            line: split.yaml_line + index,
            message: "too many `[` and `{`: flow collections nested this deep are refused".into(),
        });
    } else {
        serde_norway::from_str(split.yaml).map_err(|e| FrontMatterError::Yaml {
            line: split.yaml_line + e.location().map(|l| l.line()).unwrap_or(1) - 1,
            message: clean_yaml_message(&e.to_string(), split.yaml_line),
        })?
    };
    let mapping = match value {
        Value::Mapping(mapping) => mapping,
        Value::Null => Default::default(),
        _ => {
            return Err(FrontMatterError::NotMapping {
                line: split.yaml_line,
            });
        }
    };
    let mut fields = BTreeMap::new();
    for (key, value) in mapping {
        if let Some(key) = scalar_text(&key) {
            fields.insert(key, value);
        }
    }
    Ok(FrontMatter {
        lines: key_lines(split.yaml, split.yaml_line),
        fields,
        first_line: split.yaml_line,
    })
}

/// A bound on the work the YAML scanner does for flow collections. libyaml walks every open
/// `[` and `{` level at each token, so text nested n levels deep costs n² (in a release build,
/// 80,000 `[` take 15 s and 80,000 `[a, ` almost a minute), and serde_norway refuses depths
/// over 128 only once the whole text is scanned. For each byte, the brackets opened before it
/// bound the levels open there, whatever quoting hides; their sum bounds the scanner's work
/// (at this bound, about 0.1 s in a release build). Real front matter stays far below: a
/// hundred brackets in 20 KB sum to 2 million.
const MAX_FLOW_WORK: u64 = 1 << 24;

/// The 0-based line of `yaml` where [`MAX_FLOW_WORK`] is passed, if it is.
fn too_much_flow_nesting(yaml: &str) -> Option<usize> {
    let (mut opened, mut work, mut line) = (0u64, 0u64, 0usize);
    for &byte in yaml.as_bytes() {
        match byte {
            b'[' | b'{' => opened += 1,
            b'\n' => line += 1,
            _ => {}
        }
        work += opened;
        if work > MAX_FLOW_WORK {
            return Some(line);
        }
    }
    None
}

/// serde_norway's message with its line numbers, which count from the front matter, moved to
/// file lines; a location at the very end (the one the error reports) is dropped.
fn clean_yaml_message(message: &str, first_line: usize) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find("line ") {
        out.push_str(&rest[..at + 5]);
        rest = &rest[at + 5..];
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        match rest[..digits].parse::<usize>() {
            Ok(n) => out.push_str(&(n + first_line - 1).to_string()),
            Err(_) => out.push_str(&rest[..digits]),
        }
        rest = &rest[digits..];
    }
    out.push_str(rest);
    if let Some(at) = out.rfind(" at line ") {
        let tail = &out[at + 9..];
        if tail.split(" column ").count() == 2 && !tail.contains(',') {
            out.truncate(at);
        }
    }
    out
}

/// Top-level keys and their lines: a line that starts at column 0 with `key:`.
fn key_lines(yaml: &str, first_line: usize) -> BTreeMap<String, usize> {
    let mut lines = BTreeMap::new();
    for (index, line) in yaml.lines().enumerate() {
        if line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        if let Some(colon) = line.find(':') {
            let key = line[..colon].trim().trim_matches(['\'', '"']);
            if !key.is_empty() {
                lines.entry(key.to_string()).or_insert(first_line + index);
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn front(text: &str) -> Result<FrontMatter, FrontMatterError> {
        parse(&split(decode(text.as_bytes())?)?)
    }

    #[test]
    fn splits_at_the_fences_and_keeps_the_body() -> Result<(), FrontMatterError> {
        let text = "---\ntitle: Hi\n---\nBody\n---\nmore\n";
        let split = split(text)?;
        assert_eq!(split.yaml, "title: Hi\n");
        assert_eq!(split.body, "Body\n---\nmore\n");
        Ok(())
    }

    #[test]
    fn crlf_and_bom_are_accepted() -> Result<(), FrontMatterError> {
        let bytes = "\u{FEFF}---\r\ntitle: Hi\r\ndate: 2020-01-01\r\n---\r\nBody\r\n".as_bytes();
        let fm = parse(&split(decode(bytes)?)?)?;
        assert_eq!(fm.text("title").as_deref(), Some("Hi"));
        assert_eq!(fm.line_of("date"), 3);
        Ok(())
    }

    #[test]
    fn failures_are_reported_with_their_line() {
        let cases: [(&[u8], FrontMatterError); 6] = [
            (b"", FrontMatterError::Empty),
            (b"  \n\n", FrontMatterError::Empty),
            (b"title: no fences\n", FrontMatterError::Missing),
            (
                b"---\ntitle: x\nbody\n",
                FrontMatterError::Unclosed { line: 1 },
            ),
            (
                b"---\ntitle: ok\n---\nline 4 \xe9t\xe9\n",
                FrontMatterError::NotUtf8 { line: 4 },
            ),
            (
                b"---\n- a\n- b\n---\n",
                FrontMatterError::NotMapping { line: 2 },
            ),
        ];
        for (bytes, expected) in cases {
            let got = decode(bytes).and_then(split).and_then(|s| parse(&s));
            assert_eq!(
                got.err(),
                Some(expected),
                "{:?}",
                String::from_utf8_lossy(bytes)
            );
        }
    }

    #[test]
    fn yaml_errors_point_at_the_file_line() {
        let text = "---\ntitle: ok\ndescription: 'never closed\nauthor: x\n---\n";
        match front(text) {
            Err(FrontMatterError::Yaml { line, .. }) => assert!((3..=5).contains(&line), "{line}"),
            other => panic!("expected a YAML error, got {other:?}"),
        }
    }

    #[test]
    fn scalars_of_any_kind_read_as_text_and_unknown_keys_are_kept() -> Result<(), FrontMatterError>
    {
        let fm = front(
            "---\ntitle: 2024\ndraft: false\n_PS: extra\nSources:\n  - one\ndescription: >-\n  folded\n  text\n---\n",
        )?;
        assert_eq!(fm.text("title").as_deref(), Some("2024"));
        assert_eq!(fm.text("draft").as_deref(), Some("false"));
        assert_eq!(fm.text("description").as_deref(), Some("folded text"));
        assert!(fm.fields.contains_key("_PS") && fm.fields.contains_key("Sources"));
        assert_eq!(fm.text("Sources"), None);
        Ok(())
    }

    #[test]
    fn alias_bombs_are_refused_not_expanded() {
        let mut text = String::from("---\na: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for name in 'b'..='z' {
            text.push_str(&format!(
                "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
            prev = name;
        }
        text.push_str("title: bomb\n---\n");
        assert!(matches!(front(&text), Err(FrontMatterError::Yaml { .. })));
    }

    #[test]
    fn deep_flow_nesting_is_refused_before_the_scanner_sees_it() {
        for open in ["[", "{a: ", "[a, "] {
            let text = format!(
                "---\ntitle: deep\ndeep: {}\nz: 1\n---\n",
                open.repeat(80_000)
            );
            let started = std::time::Instant::now();
            match front(&text) {
                Err(FrontMatterError::Yaml { line, message }) => {
                    assert_eq!(line, 3, "{open}");
                    assert!(message.contains("too many"), "{message}");
                }
                other => panic!("{open}: expected a YAML error, got {other:?}"),
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(2),
                "{open}"
            );
        }
        // Brackets that real front matter has stay well within the bound.
        let links = "[a link](https://example.ca/page) ".repeat(100);
        let fm = front(&format!(
            "---\ntitle: ok\ntags: [a, b, {{c: d}}]\ndescription: '{links}'\nbody: >-\n  {}\n---\n",
            "text ".repeat(4000)
        ));
        assert!(fm.is_ok(), "{fm:?}");
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_any_bytes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            let _ = decode(&bytes).and_then(split).and_then(|s| parse(&s));
        }

        #[test]
        fn never_panics_on_front_matter_like_text(
            yaml in "([a-zA-Z_]{1,8}: ?[-'\"&*>|!\\[\\]{},: a-z0-9\n]{0,30}\n){0,8}",
            close in proptest::bool::ANY,
        ) {
            let text = format!("---\n{yaml}{}body\n", if close { "---\n" } else { "" });
            if let Err(e) = decode(text.as_bytes()).and_then(split).and_then(|s| parse(&s)) {
                proptest::prop_assert!(e.line().is_none_or(|l| l >= 1 && l <= text.lines().count() + 1));
            }
        }
    }
}
