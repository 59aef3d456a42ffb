//! `Last-Modified` that moves with the bytes: for each document, when its current bytes were
//! first published, kept in the last-modified file so that a restart, or another replica given
//! the same file, says the same.
//!
//! The rule ([`next`]) is pure, a logical clock with no wall clock in it: a document with no
//! record is dated by its newest item (what every replica computes from the corpus alone); when
//! its bytes (its identity ETag) change, its date becomes the later of its newest item's date
//! and one second after the date it had. So the date is strictly later after every change,
//! as clients need that send `If-Modified-Since` alone (libcurl's time condition discards a
//! `200` dated no later than the time it sent), and replicas that saw the same versions give
//! the same dates. The feeds' own bytes never carry it: their `updated` stays their newest
//! item's date, so the bytes stay a function of the corpus.
//!
//! The file: a first line naming the format, then one line a document, sorted by path:
//! `<date, RFC 3339 in UTC> <identity ETag, 32 hex digits> <path>`. It is written whole through
//! a temporary file renamed over it, only when its records changed; when another process wrote
//! it meanwhile, its records are read again and the later date of each path kept. A file that
//! cannot be read or parsed is an error naming it and the line, and is never written over.
//!
//! Must not: look at the clock, or drop a record (a document that goes and comes back keeps
//! its date).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::identity::{Stamp, stamp, write_atomically};

/// The first line of the file: one in another format is an error.
pub const HEADER: &str = "syndic-last-modified 1";

/// When a document's bytes were first published, and which bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The document's identity ETag, unquoted: 32 lowercase hex digits.
    pub digest: String,
    /// Seconds since the Unix epoch.
    pub since: i64,
}

/// Document path -> its record. Persistent: a snapshot shares it with the next one.
pub type Dates = imbl::OrdMap<String, Record>;

/// The record of a document whose identity ETag (unquoted) is `digest` and whose newest item
/// is dated `newest` (seconds since the epoch), given the record it had: the same record for
/// the same bytes; for other bytes, the later of `newest` and a second after the old date;
/// with no record, `newest`. `None` when there is nothing to date it by.
pub fn next(previous: Option<&Record>, digest: &str, newest: Option<i64>) -> Option<Record> {
    let since = match previous {
        Some(record) if record.digest == digest => return Some(record.clone()),
        Some(record) => newest.map_or(record.since + 1, |n| n.max(record.since + 1)),
        None => newest?,
    };
    Some(Record {
        digest: digest.to_string(),
        since,
    })
}

/// The records of `ours` and `theirs` together: for a path both have, the later date (ours on
/// a tie).
pub fn merge(ours: &Dates, theirs: &Dates) -> Dates {
    let mut merged = ours.clone();
    for (path, record) in theirs {
        match merged.get(path) {
            Some(mine) if mine.since >= record.since => {}
            _ => {
                merged.insert(path.clone(), record.clone());
            }
        }
    }
    merged
}

/// The file's text for `dates`: the same records, the same bytes.
pub fn to_text(dates: &Dates) -> String {
    let mut out = String::with_capacity(64 + dates.len() * 80);
    out.push_str(HEADER);
    out.push('\n');
    for (path, record) in dates {
        let date = DateTime::<Utc>::from_timestamp(record.since, 0).unwrap_or_default();
        out.push_str(&date.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        out.push(' ');
        out.push_str(&record.digest);
        out.push(' ');
        out.push_str(path);
        out.push('\n');
    }
    out
}

/// Why a line of the file does not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based.
    pub line: usize,
    pub message: String,
}

/// Reads the file's text.
pub fn from_text(text: &str) -> Result<Dates, ParseError> {
    let mut lines = text.lines().enumerate();
    let error = |n: usize, message: String| ParseError {
        line: n + 1,
        message,
    };
    match lines.next() {
        Some((_, HEADER)) => {}
        Some((n, other)) => {
            return Err(error(
                n,
                format!("the first line must be `{HEADER}`, not `{other}`"),
            ));
        }
        None => {
            return Err(error(
                0,
                format!("empty: the first line must be `{HEADER}`"),
            ));
        }
    }
    let mut dates = Dates::new();
    for (n, line) in lines {
        if line.is_empty() {
            continue;
        }
        let mut fields = line.splitn(3, ' ');
        let (Some(date), Some(digest), Some(path)) = (fields.next(), fields.next(), fields.next())
        else {
            return Err(error(n, "expected `<date> <etag> <path>`".to_string()));
        };
        let since = DateTime::parse_from_rfc3339(date)
            .map_err(|e| error(n, format!("`{date}` is not an RFC 3339 date: {e}")))?
            .timestamp();
        if digest.len() != 32
            || !digest
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return Err(error(
                n,
                format!("`{digest}` is not an ETag of 32 lowercase hex digits"),
            ));
        }
        if path.is_empty() {
            return Err(error(n, "no document path".to_string()));
        }
        dates.insert(
            path.to_string(),
            Record {
                digest: digest.to_string(),
                since,
            },
        );
    }
    Ok(dates)
}

/// Why the last-modified file could not be read or written. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum ModifiedError {
    #[error("{path}: cannot read the last-modified file: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path}:{line}: {message} (the last-modified file is left as it is: correct it, or \
         restore it from a backup)"
    )]
    Parse {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{path}: cannot write the last-modified file: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Reads the file at `path`: `None` when there is none.
pub fn read(path: &Path) -> Result<Option<Dates>, ModifiedError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(ModifiedError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    from_text(&text)
        .map(Some)
        .map_err(|e| ModifiedError::Parse {
            path: path.to_path_buf(),
            line: e.line,
            message: e.message,
        })
}

/// The last-modified file as this process last read or wrote it.
#[derive(Debug)]
pub struct DatesFile {
    path: PathBuf,
    disk: Arc<Dates>,
    stamp: Option<Stamp>,
}

impl DatesFile {
    /// Reads the file at `path` (no records when there is none yet).
    pub fn open(path: &Path) -> Result<DatesFile, ModifiedError> {
        let before = stamp(path);
        let dates = read(path)?.unwrap_or_default();
        Ok(DatesFile {
            path: path.to_path_buf(),
            disk: Arc::new(dates),
            stamp: before,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The records the file held when last read or written.
    pub fn dates(&self) -> &Dates {
        &self.disk
    }

    /// Writes `dates` if they differ from the file's; `Ok(true)` when it wrote. If the file
    /// changed on disk since it was last read or written, it is read again and merged first
    /// (the later date of each path); a file that no longer parses is not written over.
    pub fn save(&mut self, dates: &Dates) -> Result<bool, ModifiedError> {
        let changed_on_disk = stamp(&self.path) != self.stamp;
        if !changed_on_disk && *dates == *self.disk {
            return Ok(false);
        }
        let next = if changed_on_disk {
            let theirs = read(&self.path)?.unwrap_or_default();
            let merged = merge(dates, &theirs);
            if merged == theirs {
                self.disk = Arc::new(theirs);
                self.stamp = stamp(&self.path);
                return Ok(false);
            }
            merged
        } else {
            dates.clone()
        };
        write_atomically(&self.path, &to_text(&next)).map_err(|source| ModifiedError::Write {
            path: self.path.clone(),
            source,
        })?;
        self.stamp = stamp(&self.path);
        self.disk = Arc::new(next);
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn record(digest: &str, since: i64) -> Record {
        Record {
            digest: digest.repeat(32 / digest.len()),
            since,
        }
    }

    #[test]
    fn the_rule_keeps_the_date_of_the_same_bytes_and_moves_it_for_others() {
        let a = record("a", 1_000);
        let a_digest = a.digest.clone();
        let b_digest = "b".repeat(32);
        for (previous, digest, newest, expected) in [
            // No record: the newest item's date, what every replica computes alone.
            (None, &a_digest, Some(900), Some(900)),
            (None, &a_digest, None, None),
            // The same bytes: the same date, whatever the newest item says.
            (Some(&a), &a_digest, Some(5_000), Some(1_000)),
            // Other bytes, nothing newer (a title edit): a second later.
            (Some(&a), &b_digest, Some(900), Some(1_001)),
            (Some(&a), &b_digest, Some(1_000), Some(1_001)),
            (Some(&a), &b_digest, None, Some(1_001)),
            // Other bytes with a newer post: the post's date.
            (Some(&a), &b_digest, Some(2_000), Some(2_000)),
        ] {
            let got = next(previous, digest, newest).map(|r| r.since);
            assert_eq!(got, expected, "{previous:?} {digest} {newest:?}");
        }
    }

    #[test]
    fn merging_keeps_the_later_date_of_each_path() {
        let ours: Dates = [
            ("a".to_string(), record("1", 10)),
            ("b".to_string(), record("2", 30)),
        ]
        .into_iter()
        .collect();
        let theirs: Dates = [
            ("a".to_string(), record("3", 20)),
            ("c".to_string(), record("4", 5)),
        ]
        .into_iter()
        .collect();
        let merged = merge(&ours, &theirs);
        assert_eq!(merged.get("a"), Some(&record("3", 20)));
        assert_eq!(merged.get("b"), Some(&record("2", 30)));
        assert_eq!(merged.get("c"), Some(&record("4", 5)));
    }

    #[test]
    fn malformed_files_are_errors_with_their_line() {
        let good = format!("2026-01-05T10:00:00Z {} all.atom", "a".repeat(32));
        for (text, line) in [
            (String::new(), 1),
            ("syndic-last-modified 2\n".to_string(), 1),
            (format!("{HEADER}\n{good}\nnot a line\n"), 3),
            (
                format!("{HEADER}\n2026-13-05T10:00:00Z {} x\n", "a".repeat(32)),
                2,
            ),
            (format!("{HEADER}\n{good}\n2026-01-05T10:00:00Z ABC x\n"), 3),
        ] {
            match from_text(&text) {
                Err(e) => assert_eq!(e.line, line, "{text:?}: {e:?}"),
                Ok(dates) => panic!("{text:?} read as {dates:?}"),
            }
        }
    }

    #[test]
    fn a_changed_file_is_merged_and_a_broken_one_never_written_over() -> Result<(), ModifiedError> {
        let dir = tempfile::tempdir().map_err(|source| ModifiedError::Read {
            path: PathBuf::from("tempdir"),
            source,
        })?;
        let path = dir.path().join("last-modified.txt");
        let mut file = DatesFile::open(&path)?;
        let ours: Dates = [("a".to_string(), record("1", 10))].into_iter().collect();
        assert!(file.save(&ours)?);
        assert!(!file.save(&ours)?, "the same records are not written again");
        // Someone else writes a later date for `a` and a record for `b`.
        let theirs: Dates = [
            ("a".to_string(), record("2", 20)),
            ("b".to_string(), record("3", 5)),
        ]
        .into_iter()
        .collect();
        std::fs::write(&path, to_text(&theirs)).map_err(|source| ModifiedError::Write {
            path: path.clone(),
            source,
        })?;
        let mine: Dates = [("c".to_string(), record("4", 7))].into_iter().collect();
        assert!(file.save(&merge(&ours, &mine))?);
        let on_disk = read(&path)?.unwrap_or_default();
        assert_eq!(on_disk.get("a"), Some(&record("2", 20)));
        assert_eq!(on_disk.len(), 3);
        std::fs::write(&path, "garbage\n").map_err(|source| ModifiedError::Write {
            path: path.clone(),
            source,
        })?;
        assert!(matches!(
            file.save(&mine),
            Err(ModifiedError::Parse { line: 1, .. })
        ));
        assert_eq!(
            std::fs::read_to_string(&path).ok().as_deref(),
            Some("garbage\n")
        );
        Ok(())
    }

    fn dates() -> impl Strategy<Value = Dates> {
        proptest::collection::btree_map(
            "[a-z/]{1,6}\\.(rss|atom)",
            (0i64..4_000_000_000, "[0-9a-f]{32}"),
            0..8,
        )
        .prop_map(|map| {
            map.into_iter()
                .map(|(path, (since, digest))| (path, Record { digest, since }))
                .collect()
        })
    }

    proptest! {
        #[test]
        fn any_records_read_back_as_written(dates in dates()) {
            prop_assert_eq!(from_text(&to_text(&dates)), Ok(dates));
        }

        #[test]
        fn every_change_of_bytes_moves_the_date_later(
            steps in proptest::collection::vec((0u8..4, proptest::option::of(0i64..10_000)), 1..40),
        ) {
            // A document through a run of versions (the same few bytes coming back): its date
            // never goes back, and moves forward whenever its bytes change.
            let mut held: Option<Record> = None;
            for (version, newest) in steps {
                let digest = format!("{version:032}");
                let now = next(held.as_ref(), &digest, newest);
                if let (Some(before), Some(now)) = (&held, &now) {
                    if before.digest == now.digest {
                        prop_assert_eq!(before.since, now.since);
                    } else {
                        prop_assert!(now.since > before.since);
                    }
                }
                if now.is_some() {
                    held = now;
                }
            }
        }
    }
}
