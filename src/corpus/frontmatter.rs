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

    /// The line `key` is on (a nested key's: the line of the key it is under), else the
    /// first line of the front matter.
    pub fn line_of(&self, key: &str) -> usize {
        self.lines
            .get(key)
            .or_else(|| self.lines.get(key.split('.').next()?))
            .copied()
            .unwrap_or(self.first_line)
    }

    /// The value of `path`: a key, else keys of nested mappings joined by `.` (`cover.image`
    /// is `image:` under `cover:`).
    pub fn get(&self, path: &str) -> Option<&Value> {
        if let Some(value) = self.fields.get(path) {
            return Some(value);
        }
        let mut parts = path.split('.');
        let mut value = self.fields.get(parts.next()?)?;
        for part in parts {
            value = match value {
                Value::Mapping(map) => map.get(part)?,
                Value::Tagged(tagged) => match &tagged.value {
                    Value::Mapping(map) => map.get(part)?,
                    _ => return None,
                },
                _ => return None,
            };
        }
        Some(value)
    }

    /// The first of `keys` whose value is text that is not blank (a scalar, or the first item
    /// of a list), and that key.
    pub fn first_text<'k>(&self, keys: &'k [String]) -> Option<(&'k str, String)> {
        keys.iter().find_map(|key| {
            let text = match self.get(key)? {
                Value::Sequence(items) => scalar_text(items.first()?),
                other => scalar_text(other),
            }?;
            (!text.trim().is_empty()).then_some((key.as_str(), text))
        })
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
    match simple::parse(split.yaml) {
        Some(fields) => Ok(FrontMatter {
            lines: key_lines(split.yaml, split.yaml_line),
            fields,
            first_line: split.yaml_line,
        }),
        None => parse_yaml(split),
    }
}

/// [`parse`]'s own reader of front matter of the common shape: `None` where it stands aside
/// for the YAML library. Public for the fuzz target that compares the two.
pub fn parse_simple(yaml: &str) -> Option<BTreeMap<String, Value>> {
    simple::parse(yaml)
}

/// [`parse`] by the YAML library alone.
pub fn parse_yaml(split: &Split<'_>) -> Result<FrontMatter, FrontMatterError> {
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

/// Front matter of the common shape read without the YAML library, a quarter of a corpus's
/// loading time: one `key: value` a line, each value plain, quoted or folded (`>-`).
///
/// [`parse`](simple::parse) answers only for text it reads exactly as the YAML library does,
/// and `None` for anything else (a sequence, a nested mapping, a literal block, an escape, a
/// comment after a value, a tab, a duplicate key...), which the library then parses. A
/// property test compares the two on generated front matter.
mod simple {
    use std::collections::BTreeMap;

    use serde_norway::Value;

    /// The fields of `yaml`, if it has the simple shape throughout.
    pub fn parse(yaml: &str) -> Option<BTreeMap<String, Value>> {
        // Only printable characters, and no line break but LF: YAML refuses the others, or
        // breaks lines at them (NEL, LS, PS).
        let unusual = |c: char| {
            !matches!(c, '\n' | '\u{20}'..='\u{7E}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
        };
        if yaml.chars().any(unusual) {
            return None;
        }
        let lines: Vec<&str> = yaml.lines().collect();
        let mut fields = BTreeMap::new();
        let mut n = 0;
        while n < lines.len() {
            let line = lines[n];
            n += 1;
            if line.trim_end_matches(' ').is_empty() || line.starts_with('#') {
                continue;
            }
            let (key, rest) = line.split_once(':')?;
            let key_ok = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if !key_ok || special(key) || !(rest.is_empty() || rest.starts_with(' ')) {
                return None;
            }
            let rest = rest.trim_matches(' ');
            let value = match rest.as_bytes().first()? {
                b'\'' => {
                    let (text, used) = single_quoted(rest, &lines[n..])?;
                    n += used;
                    Value::String(text)
                }
                b'"' => Value::String(double_quoted(rest)?),
                b'>' => {
                    let (text, used) = folded(rest, &lines[n..])?;
                    n += used;
                    Value::String(text)
                }
                _ => {
                    // A plain value goes on over indented lines: not read here.
                    if lines.get(n).is_some_and(|next| next.starts_with(' ')) {
                        return None;
                    }
                    plain(rest)?
                }
            };
            if fields.insert(key.to_string(), value).is_some() {
                return None;
            }
        }
        Some(fields)
    }

    /// A plain value on one line: text, unless it starts like a number, a boolean or null,
    /// which the YAML library resolves alone.
    fn plain(text: &str) -> Option<Value> {
        let first = text.chars().next()?;
        if "-?:,[]{}#&*!|>'\"%@`".contains(first)
            || text.contains(" #")
            || text.contains(": ")
            || text.ends_with(':')
        {
            return None;
        }
        if (first.is_ascii_alphabetic() || !first.is_ascii()) && !special(text) {
            return Some(Value::String(text.to_string()));
        }
        match serde_norway::from_str::<Value>(text) {
            Ok(value @ (Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Null)) => {
                Some(value)
            }
            _ => None,
        }
    }

    /// Words a YAML library may read as a boolean or null rather than text.
    fn special(text: &str) -> bool {
        ["true", "false", "null", "yes", "no", "on", "off", "y", "n"]
            .iter()
            .any(|word| text.eq_ignore_ascii_case(word))
    }

    /// A double-quoted value on one line, without escapes.
    fn double_quoted(text: &str) -> Option<String> {
        let inner = text.strip_prefix('"')?.strip_suffix('"')?;
        if inner.contains(['"', '\\']) {
            return None;
        }
        Some(inner.to_string())
    }

    /// A single-quoted value starting `first` and going on over `more` lines if it is not
    /// closed there: its text (`''` is a quote; lines folded as YAML folds flow scalars) and
    /// how many of `more` it took.
    fn single_quoted(first: &str, more: &[&str]) -> Option<(String, usize)> {
        let mut text = String::new();
        let mut line = first.strip_prefix('\'')?;
        let mut used = 0;
        // Line breaks waiting to be folded: one is a space, each one after it a newline.
        let mut breaks = 0usize;
        loop {
            let mut chars = line.char_indices().peekable();
            let mut closed_at = None;
            let mut piece = String::new();
            while let Some((at, c)) = chars.next() {
                if c == '\'' {
                    if chars.peek().is_some_and(|&(_, next)| next == '\'') {
                        chars.next();
                        piece.push('\'');
                    } else {
                        closed_at = Some(at);
                        break;
                    }
                } else {
                    piece.push(c);
                }
            }
            match closed_at {
                Some(at) => {
                    fold(&mut text, breaks, &piece);
                    // Nothing but spaces may follow the closing quote.
                    if !line[at + 1..].trim_matches(' ').is_empty() {
                        return None;
                    }
                    return Some((text, used));
                }
                None => {
                    let piece = piece.trim_end_matches(' ');
                    if piece.is_empty() && used > 0 {
                        breaks += 1;
                    } else {
                        fold(&mut text, breaks, piece);
                        breaks = 1;
                    }
                }
            }
            line = more.get(used)?.trim_start_matches(' ');
            used += 1;
        }
    }

    /// Appends `piece` after `breaks` folded line breaks.
    fn fold(text: &mut String, breaks: usize, piece: &str) {
        match breaks {
            0 => {}
            1 => text.push(' '),
            n => (1..n).for_each(|_| text.push('\n')),
        }
        text.push_str(piece);
    }

    /// A folded block (`>-` or `>`) whose lines follow in `more`, all indented alike: its
    /// text and how many lines it took.
    fn folded(header: &str, more: &[&str]) -> Option<(String, usize)> {
        let strip = match header {
            ">-" => true,
            ">" => false,
            _ => return None,
        };
        let mut indent = None;
        let mut used = 0;
        let mut text = String::new();
        let mut breaks = 0usize;
        // Empty lines before the first line of text: each is a newline.
        let mut leading = 0usize;
        for line in more {
            if line.trim_matches(' ').is_empty() {
                // A line of spaces only, past the indentation, is content: not read here.
                if indent.is_some_and(|n| line.len() > n) {
                    return None;
                }
                used += 1;
                match indent {
                    Some(_) => breaks += 1,
                    None => leading += 1,
                }
                continue;
            }
            let spaces = line.len() - line.trim_start_matches(' ').len();
            if spaces == 0 || indent.is_some_and(|n| spaces < n) {
                break;
            }
            if indent.is_some_and(|n| spaces > n) || (indent.is_none() && leading > 0) {
                // More indented lines keep their breaks, and empty lines before the first
                // line of text set no indentation: neither is read here.
                return None;
            }
            let n = *indent.get_or_insert(spaces);
            fold(&mut text, breaks, &line[n..]);
            breaks = 1;
            used += 1;
        }
        indent?;
        // Blank lines after the block belong to it only as trailing breaks, which `-`
        // strips and `>` keeps one of.
        if !strip {
            text.push('\n');
        }
        Some((text, used))
    }
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

    /// A value in one of the shapes front matter takes, well formed or not.
    fn value() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let text = r#"[a-zA-Z0-9 éÀ’#:,'"\\\-\[\]{}&*!|>%@`.~\x00\x01\x7f\u{85}\u{2028}\u{a0}\u{feff}\u{fffe}]{0,12}"#;
        let lines = proptest::collection::vec(("[ ]{0,4}", "[a-z ’':#]{0,10}", "[ ]{0,2}"), 0..4);
        prop_oneof![
            4 => "[a-zA-Z][a-zA-Z0-9 éÀ’,.'\"!?()-]{0,14}".prop_map(|t| t.to_string()),
            1 => text.prop_map(|t| t.to_string()),
            1 => r"(true|False|NULL|~|y|n|yes|on|0x1F|0o17|-3|\+4|1_000|1e3|\.5|\.inf|\.NaN|2024-01-02|2021-01-11T23:27:37\.170Z|12:30)"
                .prop_map(|t| t.to_string()),
            2 => ("[a-z ’'#:]{0,10}", lines.clone(), "[a-z ]{0,6}", "([ ]{0,2}|[ #a-z]{0,3})").prop_map(
                |(first, more, last, after)| {
                    let mut v = format!("'{}", first.replace('\'', "''"));
                    for (indent, line, trail) in more {
                        v.push_str(&format!("{trail}\n{indent}{}", line.replace('\'', "''")));
                    }
                    format!("{v}{last}'{after}")
                }
            ),
            1 => r#""[a-z '\\#]{0,10}"[ ]{0,2}"#.prop_map(|t| t.to_string()),
            2 => (
                "(>-|>)",
                proptest::collection::vec("([a-z][a-z ’'#:-]{0,10}[a-z]|)", 1..4),
            )
                .prop_map(|(header, more)| {
                    let mut v = header;
                    for line in more {
                        if line.is_empty() {
                            v.push('\n');
                        } else {
                            v.push_str(&format!("\n  {line}"));
                        }
                    }
                    v
                }),
            1 => (r"(>-|>-|>|>\+|\||>2)", lines).prop_map(|(header, more)| {
                let mut v = header;
                for (indent, line, trail) in more {
                    v.push_str(&format!("\n{indent}{line}{trail}"));
                }
                v
            }),
        ]
    }

    /// Front matter of such values under keys of every kind, with comments and blank lines.
    fn yaml() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let key = prop_oneof![
            6 => "(title|author|image-alt|_PS|description|date|Title2|title)",
            1 => "(y|null|on|a b|2x)",
        ];
        let line = prop_oneof![
            8 => (key, "( |  |)", value()).prop_map(|(k, gap, v)| format!("{k}:{gap}{v}")),
            1 => "#[a-z ]{0,5}".prop_map(|t| t.to_string()),
            1 => "[ ]{0,3}".prop_map(|t| t.to_string()),
            1 => "[ ]{1,3}- [a-z]{1,3}".prop_map(|t| t.to_string()),
        ];
        proptest::collection::vec(line, 0..6)
            .prop_map(|lines| lines.iter().map(|l| format!("{l}\n")).collect::<String>())
    }

    #[test]
    fn the_simple_reader_reads_real_shapes_as_the_yaml_library_does() {
        let yaml = "layout: blog\ntitle: 'A field guide '\ndescription: >-\n  A folded summary\n  \
                    over lines.\n\nauthor: Ann Lee, Design\ndate: 2021-01-11T23:27:37.170Z\n\
                    image-alt: 'Two\nlines, and ''quotes'''\ntranslationKey: guide\n";
        let fields = simple::parse(yaml).unwrap_or_else(|| panic!("not read"));
        let split = Split {
            yaml,
            yaml_line: 2,
            body: "",
        };
        let library = parse_yaml(&split).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(fields, library.fields);
        assert_eq!(
            fields.get("image-alt").and_then(scalar_text).as_deref(),
            Some("Two lines, and 'quotes'")
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        #[test]
        fn the_simple_reader_agrees_with_the_yaml_library_or_stands_aside(yaml in yaml()) {
            if let Some(fields) = simple::parse(&yaml) {
                let split = Split { yaml: &yaml, yaml_line: 2, body: "" };
                match parse_yaml(&split) {
                    Ok(library) => proptest::prop_assert_eq!(fields, library.fields, "{:?}", yaml),
                    Err(e) => proptest::prop_assert!(false, "{:?}: the library says {}", yaml, e),
                }
            }
        }
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
