//! EXPORT: feed documents -> a static tree on disk, swapped into place whole.
//!
//! Owns the on-disk layout that any web server can serve as it is: each document at
//! `<out>/<path>`, with a gzip copy at `<path>.gz` and a brotli copy at `<path>.br` beside it
//! (what nginx's `gzip_static`/`brotli_static` and Caddy's `precompressed` look for), and the
//! swap that puts a new tree in place. The tree is built in a sibling folder on the same
//! filesystem and exchanged with `out` in one `renameat2(RENAME_EXCHANGE)`, so a server reading
//! `out` sees the whole old tree or the whole new one, never a mix. Where the exchange is not
//! supported, two renames do it, leaving a moment with no `out` but still never a half tree.
//!
//! A document that the tree being replaced already holds, byte for byte, is not written again:
//! its three files are hard links to the old tree's (no compression, no new file), after the
//! old gzip copy's trailer is checked against the document (its CRC-32 and length) and the
//! brotli copy is found not empty. Creating files is most of a large build's time on some
//! filesystems (ext4 without a journal spends it looking for free inodes past those just
//! freed); a link makes no new inode. [`TreeWriter::fresh`] turns this off.
//!
//! A build also leaves in the tree a list of its documents, [`MANIFEST`]: each document's key
//! (a digest of everything it is made of: the program, the configuration, the feed, the
//! posts it shows, see `feeds::Key`) and the sizes of its three files. The next build computes
//! the keys first; a document whose key the list holds, and whose three files the old tree
//! still has at those sizes, is linked without being rendered at all. Documents the list does
//! not cover (an old tree without one) are rendered and compared byte for byte as above.
//!
//! The folder a tree is built in (`<out>.new-<pid>-<n>`) is locked while a build uses it
//! (`staging.rs`); a build first removes those that builds which crashed left, never one
//! that a build running beside it holds.
//!
//! Must not: write outside `out` (every document path is checked before anything is created),
//! touch `out` when a build fails (the half-built sibling is removed instead), or vary between
//! machines: the same documents give the same bytes, compressed files included. Files are not
//! fsynced: a crash may lose the newest build, which the next build writes again.

use std::collections::{BTreeSet, HashMap};
use std::ffi::OsString;
use std::fs::{self, OpenOptions};
use std::io::{self, IoSlice, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use crate::compress;
use crate::feeds::{Key, Pieces};

mod staging;
use staging::Staging;

/// The list of a tree's documents with their keys and sizes, in the tree itself, so that it is
/// swapped in and out with the documents it describes. One line a document:
/// `<key, 32 hex digits> <bytes> <gzip bytes> <brotli bytes> <path>`, after a first line
/// naming the format.
pub const MANIFEST: &str = ".syndic-build";

/// The first line of [`MANIFEST`]: a list in another format is not read.
const MANIFEST_HEADER: &str = "syndic-build 1";

/// A document in [`MANIFEST`]: its key and the sizes of its file and its `.gz` and `.br`
/// copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    key: Key,
    sizes: [u64; 3],
}

/// The documents [`MANIFEST`] lists in `tree`; none when it is missing or not whole (a line
/// that does not read), and the documents are then compared byte for byte.
fn read_manifest(tree: &Path) -> HashMap<String, Entry> {
    let path = tree.join(MANIFEST);
    let Ok(text) = fs::read_to_string(&path) else {
        return HashMap::new();
    };
    let mut lines = text.lines();
    if lines.next() != Some(MANIFEST_HEADER) {
        tracing::debug!("{}: not a list this version reads", path.display());
        return HashMap::new();
    }
    let mut entries = HashMap::new();
    for (n, line) in lines.enumerate() {
        match parse_entry(line) {
            Some((doc, entry)) => {
                entries.insert(doc.to_string(), entry);
            }
            None => {
                tracing::warn!(
                    "{}:{}: not a document line; every document is rendered again",
                    path.display(),
                    n + 2
                );
                return HashMap::new();
            }
        }
    }
    entries
}

/// One line of [`MANIFEST`].
fn parse_entry(line: &str) -> Option<(&str, Entry)> {
    let mut fields = line.splitn(5, ' ');
    let hex = fields.next()?;
    let mut key = Key::default();
    if hex.len() != key.len() * 2 || !hex.is_ascii() {
        return None;
    }
    for (n, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[n * 2..n * 2 + 2], 16).ok()?;
    }
    let mut sizes = [0u64; 3];
    for size in &mut sizes {
        *size = fields.next()?.parse().ok()?;
    }
    let path = fields.next().filter(|p| check_path(p).is_ok())?;
    Some((path, Entry { key, sizes }))
}

/// The text of [`MANIFEST`] for `entries`.
fn manifest_text(entries: &std::collections::BTreeMap<String, Entry>) -> String {
    let mut text = format!("{MANIFEST_HEADER}\n");
    for (path, entry) in entries {
        for byte in entry.key {
            text.push_str(&format!("{byte:02x}"));
        }
        let [plain, gz, br] = entry.sizes;
        text.push_str(&format!(" {plain} {gz} {br} {path}\n"));
    }
    text
}

/// What a build wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// Files written: three per document, itself and its `.gz` and `.br` copies.
    pub files: usize,
    /// The documents' own bytes.
    pub bytes: u64,
    /// The bytes of every `.gz` copy.
    pub gzip_bytes: u64,
    /// The bytes of every `.br` copy.
    pub brotli_bytes: u64,
    /// Documents found unchanged in the tree being replaced, linked from it.
    pub reused: usize,
}

impl WriteStats {
    fn plus(self, other: WriteStats) -> WriteStats {
        WriteStats {
            files: self.files + other.files,
            bytes: self.bytes + other.bytes,
            gzip_bytes: self.gzip_bytes + other.gzip_bytes,
            brotli_bytes: self.brotli_bytes + other.brotli_bytes,
            reused: self.reused + other.reused,
        }
    }
}

/// Why a tree was not written. `out` is left as it was in every case but one: without an
/// exchange, when neither the new tree nor the old one can be moved back to `out`, and the
/// error then names where the old tree is.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A document path that could write outside the tree, or name no file.
    #[error("document path {path:?} {reason}: refusing to write it")]
    BadPath { path: String, reason: &'static str },
    /// Two documents would write the same file, or one needs a folder where another is a file.
    #[error("documents {path:?} and {other:?} both need {file:?}")]
    Clash {
        path: String,
        other: String,
        file: String,
    },
    /// An output folder that must not be replaced.
    #[error("refusing to replace {}: {reason}", path.display())]
    BadOut { path: PathBuf, reason: &'static str },
    /// The filesystem refused: `action` says what was being done to `path`.
    #[error("{action} {}: {cause}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        /// In the message, and so not a `source()`: a chain of causes would say it twice.
        cause: io::Error,
    },
}

fn io_error(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> ExportError {
    move |cause| ExportError::Io {
        action,
        path: path.to_path_buf(),
        cause,
    }
}

/// Writes `docs` as the tree at `out`, each with its `.gz` and `.br` copies, replacing whatever
/// tree `out` held in one atomic swap; missing parent folders of `out` are created. On error,
/// `out` is left as it was and nothing is left beside it.
pub fn write_tree(out: &Path, docs: &[Pieces]) -> Result<WriteStats, ExportError> {
    let writer = TreeWriter::begin(out)?;
    writer.write(docs)?;
    writer.finish()
}

/// A tree written in batches (a build too large to hold in memory at once), swapped in by
/// [`TreeWriter::finish`]. Dropped unfinished, it removes what it wrote and leaves `out` alone.
pub struct TreeWriter {
    out: PathBuf,
    existing: Option<fs::Permissions>,
    staging: Staging,
    /// The tree being replaced, to link unchanged documents from.
    previous: Option<PathBuf>,
    seen: std::sync::Mutex<Seen>,
    stats: std::sync::Mutex<WriteStats>,
    /// The replaced tree's [`MANIFEST`], empty when there is none or nothing is linked.
    listed: HashMap<String, Entry>,
    /// The new tree's, written by [`TreeWriter::finish`] when a document came with a key.
    listing: std::sync::Mutex<std::collections::BTreeMap<String, Entry>>,
}

impl TreeWriter {
    /// Checks `out` and creates the folder the new tree is built in, beside it.
    pub fn begin(out: &Path) -> Result<TreeWriter, ExportError> {
        let cwd = std::env::current_dir().and_then(fs::canonicalize).ok();
        let existing = check_out(out, cwd.as_deref())?;
        let parent = out.parent().filter(|p| !p.as_os_str().is_empty());
        if let (None, Some(parent)) = (&existing, parent) {
            fs::create_dir_all(parent).map_err(io_error("creating", parent))?;
        }
        // What builds that crashed left beside `out` (never a running build's folder).
        staging::clear_stale(out);
        let staging = Staging::create(sibling(out, "new")?)?;
        Ok(TreeWriter {
            out: out.to_path_buf(),
            previous: existing.as_ref().map(|_| out.to_path_buf()),
            listed: match existing {
                Some(_) => read_manifest(out),
                None => HashMap::new(),
            },
            existing,
            staging,
            seen: std::sync::Mutex::new(Seen::default()),
            stats: std::sync::Mutex::new(WriteStats::default()),
            listing: std::sync::Mutex::new(std::collections::BTreeMap::new()),
        })
    }

    /// Writes every document anew, linking nothing from the tree being replaced.
    pub fn fresh(mut self) -> TreeWriter {
        self.previous = None;
        self.listed.clear();
        self
    }

    /// Links the document at `path` from the tree being replaced, without its bytes, if that
    /// tree's [`MANIFEST`] lists it with `key` and the tree holds its three files at the sizes
    /// listed. `false`, leaving nothing behind, when any of that fails: the document must then
    /// be rendered and written.
    pub fn in_place(&self, path: &str, key: &Key) -> bool {
        let (Some(previous), Some(entry)) = (&self.previous, self.listed.get(path)) else {
            return false;
        };
        if entry.key != *key || check_path(path).is_err() {
            return false;
        }
        let claimed = match self.seen.lock() {
            Ok(mut seen) => claim(&mut seen, path).is_ok(),
            Err(_) => false,
        };
        if !claimed {
            return false;
        }
        let linked = link_listed(previous, &self.staging.path, path, entry);
        if !linked {
            if let Ok(mut seen) = self.seen.lock() {
                release(&mut seen, path);
            }
            return false;
        }
        let [bytes, gzip_bytes, brotli_bytes] = entry.sizes;
        if let Ok(mut stats) = self.stats.lock() {
            *stats = stats.plus(WriteStats {
                files: 3,
                bytes,
                gzip_bytes,
                brotli_bytes,
                reused: 1,
            });
        }
        if let Ok(mut listing) = self.listing.lock() {
            listing.insert(path.to_string(), *entry);
        }
        true
    }

    /// What the tree being replaced says of `doc`'s date: its file's mtime, and whether it
    /// holds these very bytes. `None` without an old tree (or with [`TreeWriter::fresh`]) or
    /// without the file.
    pub fn previous_date(&self, doc: &Pieces) -> Option<(std::time::SystemTime, bool)> {
        let old = self.previous.as_ref()?.join(&doc.path);
        check_path(&doc.path).ok()?;
        let meta = fs::symlink_metadata(&old).ok().filter(|m| m.is_file())?;
        let same =
            meta.len() == doc.len() as u64 && fs::read(&old).is_ok_and(|b| same_bytes(&b, doc));
        Some((meta.modified().ok()?, same))
    }

    /// [`TreeWriter::write`] for documents that come with their keys: those are listed in
    /// the new tree's [`MANIFEST`].
    pub fn write_keyed(&self, docs: Vec<(Pieces, Option<Key>)>) -> Result<(), ExportError> {
        let (docs, keys): (Vec<Pieces>, Vec<Option<Key>>) = docs.into_iter().unzip();
        let written = self.write_each(&docs)?;
        if let Ok(mut listing) = self.listing.lock() {
            for ((doc, key), stats) in docs.iter().zip(keys).zip(written) {
                if let Some(key) = key {
                    let sizes = [stats.bytes, stats.gzip_bytes, stats.brotli_bytes];
                    listing.insert(doc.path.clone(), Entry { key, sizes });
                }
            }
        }
        Ok(())
    }

    /// Writes a batch of documents (and their compressed copies) into the new tree.
    pub fn write(&self, docs: &[Pieces]) -> Result<(), ExportError> {
        self.write_each(docs).map(|_| ())
    }

    /// [`TreeWriter::write`], saying what went to disk for each document.
    fn write_each(&self, docs: &[Pieces]) -> Result<Vec<WriteStats>, ExportError> {
        for doc in docs {
            check_path(&doc.path).map_err(|reason| ExportError::BadPath {
                path: doc.path.clone(),
                reason,
            })?;
        }
        match self.seen.lock() {
            Ok(mut seen) => check_clashes(&mut seen, docs)?,
            Err(_) => {
                return Err(ExportError::BadOut {
                    path: self.out.clone(),
                    reason: "an earlier batch failed",
                });
            }
        }
        let written = fill(&self.staging.path, self.previous.as_deref(), docs)?;
        if let Ok(mut stats) = self.stats.lock() {
            *stats = written.iter().fold(*stats, |sum, doc| sum.plus(*doc));
        }
        Ok(written)
    }

    /// Swaps the new tree in and removes the old one.
    pub fn finish(self) -> Result<WriteStats, ExportError> {
        let stats = self.stats.lock().map(|s| *s).unwrap_or_default();
        let listing = self.listing.lock().map(|l| manifest_text(&l)).ok();
        if let Some(text) = listing.filter(|t| t.len() > MANIFEST_HEADER.len() + 1) {
            let path = self.staging.path.join(MANIFEST);
            write_new(&path, text.as_bytes())?;
        }
        match self.existing {
            Some(permissions) => {
                // Keep the mode a web server was given on the old tree.
                fs::set_permissions(&self.staging.path, permissions)
                    .map_err(io_error("setting permissions of", &self.staging.path))?;
                replace(self.staging, &self.out)?;
            }
            None => {
                fs::rename(&self.staging.path, &self.out)
                    .map_err(io_error("putting in place", &self.out))?;
                self.staging.into_path();
            }
        }
        Ok(stats)
    }
}

/// Why `path` is not a safe relative path of the tree, if it is not.
fn check_path(path: &str) -> Result<(), &'static str> {
    if path.is_empty() {
        return Err("is empty");
    }
    if path.starts_with('/') {
        return Err("is absolute");
    }
    if path.contains('\0') {
        return Err("contains a NUL byte");
    }
    if path.contains('\\') {
        return Err("contains a backslash");
    }
    for segment in path.split('/') {
        match segment {
            "" => return Err("has an empty segment"),
            "." => return Err("has a `.` segment"),
            ".." => return Err("has a `..` segment"),
            _ => {}
        }
        // Whatever the platform makes of it (a `C:` prefix on Windows), it must stay one name.
        let mut components = Path::new(segment).components();
        if !matches!(
            (components.next(), components.next()),
            (Some(Component::Normal(_)), None)
        ) {
            return Err("is not a plain relative path");
        }
    }
    Ok(())
}

/// The files and folders a tree's documents take so far: file or folder -> the document.
#[derive(Default)]
struct Seen {
    files: HashMap<String, String>,
    folders: HashMap<String, String>,
}

/// Two documents writing one file (`a` and `a.gz` clash through `a`'s gzip copy), or a file
/// where another document needs a folder (`a` and `a/b`), in this batch or an earlier one.
fn check_clashes(seen: &mut Seen, docs: &[Pieces]) -> Result<(), ExportError> {
    for doc in docs {
        claim(seen, &doc.path)?;
    }
    Ok(())
}

/// Takes the files and folders the document at `path` needs, or says which other has one.
fn claim(seen: &mut Seen, path: &str) -> Result<(), ExportError> {
    for suffix in ["", ".gz", ".br"] {
        let file = format!("{path}{suffix}");
        if let Some(other) = seen.files.get(&file).or_else(|| seen.folders.get(&file)) {
            return Err(ExportError::Clash {
                path: path.to_string(),
                other: other.clone(),
                file,
            });
        }
        seen.files.insert(file, path.to_string());
    }
    for (end, _) in path.match_indices('/') {
        let folder = &path[..end];
        if let Some(other) = seen.files.get(folder) {
            return Err(ExportError::Clash {
                path: path.to_string(),
                other: other.clone(),
                file: folder.to_string(),
            });
        }
        seen.folders
            .entry(folder.to_string())
            .or_insert_with(|| path.to_string());
    }
    Ok(())
}

/// Gives back the files [`claim`] took for `path` (its folders may stay: they hold others).
fn release(seen: &mut Seen, path: &str) {
    for suffix in ["", ".gz", ".br"] {
        seen.files.remove(&format!("{path}{suffix}"));
    }
}

/// Whether `out` holds a tree to replace (with its permissions), refusing what must not be
/// replaced: a path with no last name to put a sibling beside (`/`, `.`, `..`), a file, a
/// symbolic link, or a folder that holds `cwd`, the current directory (resolved).
fn check_out(out: &Path, cwd: Option<&Path>) -> Result<Option<fs::Permissions>, ExportError> {
    let refuse = |reason| ExportError::BadOut {
        path: out.to_path_buf(),
        reason,
    };
    if out.file_name().is_none() {
        return Err(refuse(
            "it names no folder that a new tree can be built beside",
        ));
    }
    let meta = match fs::symlink_metadata(out) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error("reading", out)(e)),
    };
    if meta.file_type().is_symlink() {
        return Err(refuse("it is a symbolic link, not a folder"));
    }
    if !meta.is_dir() {
        return Err(refuse("it is not a folder"));
    }
    let out_real = fs::canonicalize(out).map_err(io_error("resolving", out))?;
    if cwd.is_some_and(|cwd| cwd.starts_with(&out_real)) {
        return Err(refuse("it holds the current directory"));
    }
    Ok(Some(meta.permissions()))
}

/// `<out>.<what>-<pid>-<n>`, beside `out`: unique within this process and across processes.
fn sibling(out: &Path, what: &str) -> Result<PathBuf, ExportError> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let Some(name) = out.file_name() else {
        return Err(ExportError::BadOut {
            path: out.to_path_buf(),
            reason: "it names no folder that a new tree can be built beside",
        });
    };
    let mut name: OsString = name.to_os_string();
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    name.push(format!(".{what}-{}-{n}", std::process::id()));
    Ok(out.with_file_name(name))
}

/// Writes every document and its compressed copies under `root`, compressing in parallel, or
/// links them from `previous` where it holds them unchanged.
fn fill(
    root: &Path,
    previous: Option<&Path>,
    docs: &[Pieces],
) -> Result<Vec<WriteStats>, ExportError> {
    let folders: BTreeSet<&str> = docs
        .iter()
        .flat_map(|doc| doc.path.match_indices('/').map(|(end, _)| &doc.path[..end]))
        .collect();
    // Sorted, so every folder comes after its parent; an earlier batch may have made it.
    for folder in folders {
        let path = root.join(folder);
        fs::create_dir_all(&path).map_err(io_error("creating", &path))?;
    }
    let linked: Vec<Option<WriteStats>> = docs
        .par_iter()
        .map(|doc| previous.and_then(|previous| link_unchanged(previous, root, doc)))
        .collect();
    // Only what is written is compressed; a document of one piece is compressed whole.
    compress::precompress(
        docs.iter()
            .zip(&linked)
            .filter(|(doc, linked)| linked.is_none() && doc.parts.len() > 1)
            .flat_map(|(doc, _)| &doc.parts),
    );
    docs.par_iter()
        .zip(&linked)
        .map(|(doc, linked)| match linked {
            Some(stats) => Ok(*stats),
            None => write_document(root, doc),
        })
        .collect()
}

/// Links the three files of the document at `path` from the `previous` tree into `root`, if
/// they are all there, plain files, at the sizes `entry` lists; `false`, leaving nothing
/// behind, otherwise.
fn link_listed(previous: &Path, root: &Path, path: &str, entry: &Entry) -> bool {
    let (old, new) = (previous.join(path), root.join(path));
    let [plain, gz, br] = entry.sizes;
    let pairs = [
        (old.clone(), new.clone(), plain),
        (with_suffix(&old, ".gz"), with_suffix(&new, ".gz"), gz),
        (with_suffix(&old, ".br"), with_suffix(&new, ".br"), br),
    ];
    let whole = pairs.iter().all(|(from, _, size)| {
        fs::symlink_metadata(from).is_ok_and(|m| m.is_file() && m.len() == *size)
    });
    if !whole {
        return false;
    }
    if let Some(parent) = new.parent()
        && fs::create_dir_all(parent).is_err()
    {
        return false;
    }
    for (n, (from, to, _)) in pairs.iter().enumerate() {
        if fs::hard_link(from, to).is_err() {
            for (_, made, _) in &pairs[..n] {
                let _ = fs::remove_file(made);
            }
            return false;
        }
    }
    true
}

/// Links `doc`'s three files from the `previous` tree into `root` if that tree has them for
/// these very bytes: the document equal byte for byte, its gzip copy's trailer (CRC-32 and
/// length) matching them, its brotli copy not empty, all three plain files. `None`, leaving
/// nothing behind in `root`, when any of that fails: the document is then written.
fn link_unchanged(previous: &Path, root: &Path, doc: &Pieces) -> Option<WriteStats> {
    use std::io::{Read, Seek, SeekFrom};
    let old = previous.join(&doc.path);
    let (old_gz, old_br) = (with_suffix(&old, ".gz"), with_suffix(&old, ".br"));
    let file = |path: &Path| fs::symlink_metadata(path).ok().filter(|m| m.is_file());
    let size = doc.len();
    let plain = file(&old).filter(|m| m.len() == size as u64)?;
    let gz = file(&old_gz).filter(|m| m.len() >= 18)?;
    let br = file(&old_br).filter(|m| m.len() > 0)?;
    if !same_bytes(&fs::read(&old).ok()?, doc) {
        return None;
    }
    let mut trailer = [0u8; 8];
    let mut gz_file = fs::File::open(&old_gz).ok()?;
    gz_file.seek(SeekFrom::End(-8)).ok()?;
    gz_file.read_exact(&mut trailer).ok()?;
    let mut crc = crc32fast::Hasher::new();
    for part in &doc.parts {
        crc.update(part.bytes());
    }
    let mut expected = crc.finalize().to_le_bytes().to_vec();
    // ISIZE is the length modulo 2^32.
    expected.extend_from_slice(&(size as u32).to_le_bytes());
    if trailer[..] != expected[..] {
        return None;
    }
    let new = root.join(&doc.path);
    let pairs = [
        (old, new.clone()),
        (old_gz, with_suffix(&new, ".gz")),
        (old_br, with_suffix(&new, ".br")),
    ];
    for (n, (from, to)) in pairs.iter().enumerate() {
        if fs::hard_link(from, to).is_err() {
            for (_, made) in &pairs[..n] {
                let _ = fs::remove_file(made);
            }
            return None;
        }
    }
    Some(WriteStats {
        files: 3,
        bytes: plain.len(),
        gzip_bytes: gz.len(),
        brotli_bytes: br.len(),
        reused: 1,
    })
}

/// Whether `bytes` are the document's, piece by piece.
fn same_bytes(bytes: &[u8], doc: &Pieces) -> bool {
    let mut rest = bytes;
    for part in &doc.parts {
        match rest.split_at_checked(part.len()) {
            Some((here, after)) if here == part.bytes() => rest = after,
            _ => return false,
        }
    }
    rest.is_empty()
}

/// Writes the document and its compressed copies straight from its pieces, never joining
/// them: a large build writes gigabytes, and a joined copy of each document would be as many
/// bytes copied, and as many fresh pages faulted in, for nothing.
///
/// The three files are dated (their mtime) by the document's `last_modified`, what a static
/// web server sends as `Last-Modified`: `syndic build` sets it to the date the document's
/// bytes were first published (see [`crate::modified`]).
fn write_document(root: &Path, doc: &Pieces) -> Result<WriteStats, ExportError> {
    let path = root.join(&doc.path);
    let dated = doc.last_modified.map(std::time::SystemTime::from);
    let plain: Vec<&[u8]> = doc.parts.iter().map(|p| p.bytes()).collect();
    write_new_vectored(&path, &plain, dated)?;
    let (gz, br) = match doc.parts.as_slice() {
        // Made whole: compressed whole, in one stream each.
        [whole] => rayon::join(
            || vec![bytes::Bytes::from(compress::gzip(whole.bytes()))],
            || compress::brotli(whole.bytes()),
        ),
        parts => rayon::join(
            || {
                let end = bytes::Bytes::copy_from_slice(&compress::gzip_end(parts));
                compress::gzip_shared(parts, &end)
            },
            || compress::brotli_pieces(parts),
        ),
    };
    let gz: Vec<&[u8]> = gz.iter().map(|b| b.as_ref()).collect();
    write_new_vectored(&with_suffix(&path, ".gz"), &gz, dated)?;
    write_new_vectored(&with_suffix(&path, ".br"), &[&br], dated)?;
    let total = |chunks: &[&[u8]]| chunks.iter().map(|c| c.len() as u64).sum();
    Ok(WriteStats {
        files: 3,
        bytes: total(&plain),
        gzip_bytes: total(&gz),
        brotli_bytes: br.len() as u64,
        reused: 0,
    })
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// [`write_new`] for bytes in many slices, written with as few calls as the system takes
/// (`writev`), not copied together first; its mtime set to `modified` where given.
fn write_new_vectored(
    path: &Path,
    chunks: &[&[u8]],
    modified: Option<std::time::SystemTime>,
) -> Result<(), ExportError> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut file| {
            write_all_vectored(&mut file, chunks)?;
            match modified {
                Some(time) => file.set_modified(time),
                None => Ok(()),
            }
        })
        .map_err(io_error("writing", path))
}

/// Writes every byte of `chunks`, in order (what the unstable `Write::write_all_vectored`
/// does).
fn write_all_vectored(out: &mut impl Write, chunks: &[&[u8]]) -> io::Result<()> {
    /// The most slices one call takes on Linux (`IOV_MAX`); more are written in turns.
    const MOST_SLICES: usize = 1024;
    let mut slices: Vec<IoSlice<'_>> = chunks
        .iter()
        .filter(|c| !c.is_empty())
        .map(|c| IoSlice::new(c))
        .collect();
    let mut rest = slices.as_mut_slice();
    while !rest.is_empty() {
        let turn = rest.len().min(MOST_SLICES);
        match out.write_vectored(&rest[..turn]) {
            Ok(0) => return Err(io::Error::from(io::ErrorKind::WriteZero)),
            Ok(n) => IoSlice::advance_slices(&mut rest, n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Writes a file that must not exist yet: the staging folder is ours alone.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut file| file.write_all(bytes))
        .map_err(io_error("writing", path))
}

/// Puts the tree built in `staging` at `out`, where a tree already is, and removes the old one.
fn replace(staging: Staging, out: &Path) -> Result<(), ExportError> {
    match exchange(&staging.path, out) {
        Ok(true) => {
            // The staging folder now holds the old tree.
            staging.remove_old_tree();
            Ok(())
        }
        Ok(false) => replace_by_renames(staging, out),
        Err(e) => Err(io_error("putting in place", out)(e)),
    }
}

/// Swaps two paths in one step; `Ok(false)` where the system or filesystem cannot.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        // A kernel before 3.15, or a filesystem without the flag.
        Err(Errno::NOSYS | Errno::INVAL | Errno::OPNOTSUPP) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<bool> {
    Ok(false)
}

/// The swap without an exchange: `out` -> `<out>.old-…`, the new tree -> `out`, remove the old.
/// Between the two renames `out` does not exist; if the second fails, the old tree goes back.
fn replace_by_renames(staging: Staging, out: &Path) -> Result<(), ExportError> {
    let old = sibling(out, "old")?;
    fs::rename(out, &old).map_err(io_error("moving aside", out))?;
    if let Err(e) = fs::rename(&staging.path, out) {
        return match fs::rename(&old, out) {
            Ok(()) => Err(io_error("putting in place", out)(e)),
            Err(back) => {
                tracing::error!("putting {} in place: {e}", out.display());
                Err(io_error(
                    "the new tree is not in place; the old one is left at",
                    &old,
                )(back))
            }
        };
    }
    staging.into_path();
    remove_old_tree(&old);
    Ok(())
}

/// Removes the tree that was `out`. The new one is in place whatever happens here, so a
/// failure is reported, not returned.
fn remove_old_tree(path: &Path) {
    if let Err(e) = fs::remove_dir_all(path) {
        tracing::warn!(
            "the new tree is in place, but the old one at {} was not removed: {e}",
            path.display()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feeds::Document;
    use std::io::Read;

    fn doc(path: &str, text: &str) -> Pieces {
        Document::whole(
            path,
            "application/rss+xml; charset=utf-8",
            text.as_bytes().to_vec(),
        )
        .into()
    }

    /// A document joined from `parts`, as feeds are.
    fn pieced(path: &str, parts: &[&str]) -> Pieces {
        let mut doc = doc(path, "");
        doc.parts = parts
            .iter()
            .map(|p| std::sync::Arc::new(crate::compress::Piece::new(p.as_bytes())))
            .collect();
        doc
    }

    /// The document's bytes, its pieces joined.
    fn joined(doc: &Pieces) -> Vec<u8> {
        doc.clone().join().bytes
    }

    #[test]
    fn a_tree_written_in_batches_is_whole_and_clashes_across_batches_are_caught() {
        let dir = match tempfile::tempdir() {
            Ok(dir) => dir,
            Err(e) => panic!("{e}"),
        };
        let out = dir.path().join("tree");
        let writer = match TreeWriter::begin(&out) {
            Ok(writer) => writer,
            Err(e) => panic!("{e}"),
        };
        assert!(
            writer
                .write(&[doc("en.rss", "a"), doc("archive/en/1.rss", "b")])
                .is_ok()
        );
        assert!(writer.write(&[doc("archive/en/2.rss", "c")]).is_ok());
        assert!(matches!(
            writer.write(&[doc("archive/en/1.rss", "again")]),
            Err(ExportError::Clash { .. })
        ));
        assert!(matches!(
            writer.write(&[doc("archive", "a file where a folder is")]),
            Err(ExportError::Clash { .. })
        ));
        assert!(!out.exists(), "nothing in place before finish");
        let stats = match writer.finish() {
            Ok(stats) => stats,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(stats.files, 9);
        assert_eq!(
            fs::read(out.join("archive/en/2.rss")).ok(),
            Some(b"c".to_vec())
        );

        // Dropped unfinished: the old tree stays, nothing is left beside it.
        let writer = match TreeWriter::begin(&out) {
            Ok(writer) => writer,
            Err(e) => panic!("{e}"),
        };
        assert!(writer.write(&[doc("other.rss", "x")]).is_ok());
        drop(writer);
        assert!(out.join("en.rss").exists() && !out.join("other.rss").exists());
        let names: Vec<_> = fs::read_dir(dir.path())
            .map(|d| d.filter_map(Result::ok).map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert_eq!(names, [std::ffi::OsString::from("tree")]);
    }

    /// Takes a few bytes a call, and is interrupted every other call.
    struct Trickle {
        got: Vec<u8>,
        calls: usize,
    }

    impl Write for Trickle {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.calls += 1;
            if self.calls % 2 == 0 {
                return Err(io::ErrorKind::Interrupted.into());
            }
            let n = buf.len().min(7);
            self.got.extend_from_slice(&buf[..n]);
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn vectored_writes_carry_on_after_short_and_interrupted_writes() {
        let chunks: Vec<Vec<u8>> = (0..3000u32)
            .map(|n| n.to_string().into_bytes().repeat((n % 4) as usize))
            .collect();
        let slices: Vec<&[u8]> = chunks.iter().map(Vec::as_slice).collect();
        let mut out = Trickle {
            got: Vec::new(),
            calls: 0,
        };
        assert!(write_all_vectored(&mut out, &slices).is_ok());
        assert_eq!(out.got, chunks.concat());

        /// Takes nothing.
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Ok(0)
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let err = write_all_vectored(&mut Full, &[b"x"]).map_err(|e| e.kind());
        assert_eq!(err, Err(io::ErrorKind::WriteZero));
        assert!(write_all_vectored(&mut Full, &[b"", b""]).is_ok());
    }

    /// Documents made whole, and one joined from more pieces than one `writev` takes.
    fn sample() -> Vec<Pieces> {
        let item = "<item><title>Hello</title><description>&lt;p&gt;Words, words.&lt;/p&gt;</description></item>\n";
        let items = item.repeat(10);
        let mut parts = vec!["<rss>"];
        parts.extend(std::iter::repeat_n(items.as_str(), 1500));
        parts.push("");
        parts.push("</rss>");
        vec![
            pieced("all.rss", &parts),
            doc("en/authors/jane-doe.atom", "<feed>jane</feed>"),
            doc("archive/all/1.json", "{\"items\":[]}"),
            doc("empty.json", ""),
        ]
    }

    /// Every file under `root`, relative and `/`-separated, sorted.
    fn listing(root: &Path) -> Vec<String> {
        fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
            for entry in fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(root, &path, out);
                } else {
                    let rel = path.strip_prefix(root).unwrap();
                    out.push(rel.to_str().unwrap().replace('\\', "/"));
                }
            }
        }
        let mut out = Vec::new();
        walk(root, root, &mut out);
        out.sort();
        out
    }

    /// The names in `dir`, sorted: only `out` may stand beside itself after a build.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    fn unbrotli(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        brotli::Decompressor::new(bytes, 4096)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn writes_documents_and_compressed_copies_that_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site/feeds");
        let docs = sample();
        let stats = write_tree(&out, &docs).unwrap();

        let mut expected: Vec<String> = docs
            .iter()
            .flat_map(|d| ["", ".gz", ".br"].map(|s| format!("{}{s}", d.path)))
            .collect();
        expected.sort();
        assert_eq!(listing(&out), expected);
        for d in &docs {
            let path = out.join(&d.path);
            assert_eq!(fs::read(&path).unwrap(), joined(d), "{}", d.path);
            let gz = fs::read(with_suffix(&path, ".gz")).unwrap();
            assert_eq!(gunzip(&gz), joined(d), "{}.gz", d.path);
            let br = fs::read(with_suffix(&path, ".br")).unwrap();
            assert_eq!(unbrotli(&br), joined(d), "{}.br", d.path);
        }
        // A document of one piece is compressed whole, as one stream.
        let whole = fs::read(out.join("en/authors/jane-doe.atom.gz")).unwrap();
        assert_eq!(whole, crate::compress::gzip(b"<feed>jane</feed>"));

        let total = |suffix: &str| -> u64 {
            docs.iter()
                .map(|d| {
                    fs::metadata(out.join(format!("{}{suffix}", d.path)))
                        .unwrap()
                        .len()
                })
                .sum()
        };
        assert_eq!(
            stats,
            WriteStats {
                files: 3 * docs.len(),
                bytes: docs.iter().map(|d| joined(d).len() as u64).sum(),
                gzip_bytes: total(".gz"),
                brotli_bytes: total(".br"),
                reused: 0,
            }
        );
        assert!(stats.brotli_bytes < stats.bytes && stats.gzip_bytes < stats.bytes);
        assert_eq!(names(dir.path()), ["site"]);
        assert_eq!(names(&dir.path().join("site")), ["feeds"]);
    }

    #[cfg(unix)]
    #[test]
    fn replacing_a_tree_keeps_its_folders_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("feeds");
        write_tree(&out, &sample()).unwrap();
        fs::set_permissions(&out, fs::Permissions::from_mode(0o750)).unwrap();
        write_tree(&out, &sample()).unwrap();
        let mode = fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o750);
    }

    #[test]
    fn replacing_a_tree_leaves_nothing_of_the_old_one_and_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("feeds");
        write_tree(&out, &sample()).unwrap();
        fs::write(out.join("stray.txt"), "left by hand").unwrap();

        let new = vec![
            doc("all.rss", "<rss>new</rss>"),
            doc("fr/all.rss", "<rss>fr</rss>"),
        ];
        write_tree(&out, &new).unwrap();

        let expected = [
            "all.rss",
            "all.rss.br",
            "all.rss.gz",
            "fr/all.rss",
            "fr/all.rss.br",
            "fr/all.rss.gz",
        ];
        assert_eq!(listing(&out), expected);
        assert_eq!(fs::read(out.join("all.rss")).unwrap(), b"<rss>new</rss>");
        assert_eq!(names(dir.path()), ["feeds"]);
    }

    #[test]
    fn replacing_by_renames_leaves_nothing_beside_it() {
        // The path taken where the exchange is not supported.
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("feeds");
        write_tree(&out, &sample()).unwrap();
        let staging = Staging::create(sibling(&out, "new").unwrap()).unwrap();
        fill(&staging.path, None, &[doc("x.rss", "x")]).unwrap();

        replace_by_renames(staging, &out).unwrap();

        assert_eq!(listing(&out), ["x.rss", "x.rss.br", "x.rss.gz"]);
        assert_eq!(names(dir.path()), ["feeds"]);
    }

    #[test]
    fn a_failed_build_leaves_the_old_tree_and_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("feeds");
        write_tree(&out, &sample()).unwrap();
        let before = listing(&out);

        // Refused before anything is created.
        let err = write_tree(&out, &[doc("ok.rss", "ok"), doc("../escape.rss", "no")]);
        assert!(
            matches!(err, Err(ExportError::BadPath { ref path, .. }) if path == "../escape.rss")
        );
        // Fails halfway through writing: no filesystem takes a 300-byte name.
        let long = format!("{}.rss", "x".repeat(300));
        let err = write_tree(&out, &[doc("ok.rss", "ok"), doc(&long, "too long")]);
        assert!(matches!(err, Err(ExportError::Io { .. })), "{err:?}");

        assert_eq!(listing(&out), before);
        assert_eq!(fs::read(out.join("all.rss")).unwrap(), joined(&sample()[0]));
        assert_eq!(names(dir.path()), ["feeds"]);
    }

    #[test]
    fn the_same_documents_give_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        write_tree(&a, &sample()).unwrap();
        write_tree(&b, &sample()).unwrap();
        for file in listing(&a) {
            assert_eq!(
                fs::read(a.join(&file)).unwrap(),
                fs::read(b.join(&file)).unwrap(),
                "{file}"
            );
        }

        // No mtime, no file name, OS "unknown": nothing from the machine or the moment.
        let gz = crate::compress::gzip(b"<rss/>");
        assert_eq!(&gz[..4], [0x1f, 0x8b, 8, 0], "magic, deflate, no flags");
        assert_eq!(&gz[4..8], [0, 0, 0, 0], "mtime");
        assert_eq!(gz[9], 255, "OS");
    }

    #[test]
    fn unsafe_document_paths_are_refused() {
        let cases = [
            ("", "is empty"),
            ("/etc/passwd", "is absolute"),
            ("../x.rss", "has a `..` segment"),
            ("a/../../x.rss", "has a `..` segment"),
            ("a/..", "has a `..` segment"),
            ("./x.rss", "has a `.` segment"),
            ("a//x.rss", "has an empty segment"),
            ("a/", "has an empty segment"),
            ("a\\..\\x.rss", "contains a backslash"),
            ("x\0.rss", "contains a NUL byte"),
        ];
        for (path, reason) in cases {
            assert_eq!(check_path(path), Err(reason), "{path:?}");
        }
        for path in [
            "all.rss",
            "en/authors/jane-doe.atom",
            "archive/all/12.json",
            "..x",
            "x..",
        ] {
            assert_eq!(check_path(path), Ok(()), "{path:?}");
        }

        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("feeds");
        let err = write_tree(&out, &[doc("../../escape.rss", "no")]).unwrap_err();
        assert!(err.to_string().contains("../../escape.rss"), "{err}");
        assert!(!out.exists());
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn documents_that_would_share_a_file_are_refused() {
        let cases: [(&[&str], &str); 3] = [
            (&["a.rss", "a.rss"], "a.rss"),
            (&["a", "a.gz"], "a.gz"),
            (&["en", "en/all.rss"], "en"),
        ];
        for (paths, clash) in cases {
            let docs: Vec<Pieces> = paths.iter().map(|p| doc(p, "x")).collect();
            match check_clashes(&mut Seen::default(), &docs) {
                Err(ExportError::Clash { file, .. }) => assert_eq!(file, clash, "{paths:?}"),
                other => panic!("{paths:?}: {other:?}"),
            }
        }
        assert!(
            check_clashes(
                &mut Seen::default(),
                &[doc("en.rss", "x"), doc("en/all.rss", "x")]
            )
            .is_ok()
        );
    }

    #[test]
    fn outputs_that_must_not_be_replaced_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("feeds.txt");
        fs::write(&file, "not a folder").unwrap();
        for out in [Path::new("/"), Path::new("."), Path::new(".."), &file] {
            let err = write_tree(out, &sample()).unwrap_err();
            assert!(
                matches!(err, ExportError::BadOut { .. }),
                "{}: {err}",
                out.display()
            );
        }
        assert_eq!(fs::read(&file).unwrap(), b"not a folder");
        assert_eq!(names(dir.path()), ["feeds.txt"]);

        // A tree that holds the current directory, or is it.
        let out = dir.path().join("feeds");
        fs::create_dir_all(out.join("en")).unwrap();
        let real = |p: &Path| fs::canonicalize(p).unwrap();
        for cwd in [real(&out), real(&out.join("en"))] {
            let err = check_out(&out, Some(&cwd)).unwrap_err();
            assert!(
                matches!(err, ExportError::BadOut { .. }),
                "{}: {err}",
                cwd.display()
            );
        }
        assert!(check_out(&out, Some(&real(dir.path()))).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        fs::create_dir(&real).unwrap();
        let link = dir.path().join("feeds");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let err = write_tree(&link, &sample()).unwrap_err();
        assert!(matches!(err, ExportError::BadOut { .. }), "{err}");
        assert_eq!(names(dir.path()), ["feeds", "real"]);
        assert!(names(&real).is_empty());
    }

    #[test]
    fn siblings_sit_beside_out_and_differ() {
        let a = sibling(Path::new("site/feeds"), "new").unwrap();
        let b = sibling(Path::new("site/feeds"), "new").unwrap();
        assert_ne!(a, b);
        assert_eq!(a.parent(), Some(Path::new("site")));
        let name = a.file_name().unwrap().to_str().unwrap();
        assert!(
            name.starts_with(&format!("feeds.new-{}-", std::process::id())),
            "{name}"
        );
        let relative = sibling(Path::new("feeds"), "old").unwrap();
        assert_eq!(relative.parent(), Some(Path::new("")));
    }

    #[cfg(unix)]
    fn inode(path: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        fs::metadata(path).unwrap().ino()
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_documents_are_linked_from_the_old_tree_and_changed_ones_written() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("feeds");
        let first = write_tree(&out, &sample()).unwrap();
        assert_eq!(first.reused, 0);
        let before: Vec<u64> = ["all.rss", "all.rss.gz", "all.rss.br", "empty.json.br"]
            .iter()
            .map(|f| inode(&out.join(f)))
            .collect();
        let jane_before = inode(&out.join("en/authors/jane-doe.atom"));

        let mut next = sample();
        next[1] = doc("en/authors/jane-doe.atom", "<feed>jane, edited</feed>");
        let second = write_tree(&out, &next).unwrap();
        assert_eq!(second.reused, 3, "all but the edited document");
        assert_eq!(second.files, first.files);
        assert_eq!(
            second.bytes,
            next.iter().map(|d| joined(d).len() as u64).sum::<u64>()
        );
        let after: Vec<u64> = ["all.rss", "all.rss.gz", "all.rss.br", "empty.json.br"]
            .iter()
            .map(|f| inode(&out.join(f)))
            .collect();
        assert_eq!(before, after, "the same files, linked");
        assert_ne!(inode(&out.join("en/authors/jane-doe.atom")), jane_before);
        for name in ["en/authors/jane-doe.atom", "all.rss"] {
            let plain = fs::read(out.join(name)).unwrap();
            let want = next.iter().find(|d| d.path == name).unwrap();
            assert_eq!(plain, joined(want));
            assert_eq!(
                gunzip(&fs::read(out.join(format!("{name}.gz"))).unwrap()),
                plain
            );
            assert_eq!(
                unbrotli(&fs::read(out.join(format!("{name}.br"))).unwrap()),
                plain
            );
        }
        assert_eq!(names(dir.path()), ["feeds"], "the old tree is gone");
    }

    #[cfg(unix)]
    #[test]
    fn damaged_or_missing_copies_in_the_old_tree_are_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("feeds");
        write_tree(&out, &sample()).unwrap();
        // A gzip copy of other bytes (another document's), an empty brotli copy, a missing
        // gzip copy, and a document turned into a symbolic link.
        fs::copy(out.join("archive/all/1.json.gz"), out.join("all.rss.gz")).unwrap();
        fs::write(out.join("empty.json.br"), b"").unwrap();
        fs::remove_file(out.join("archive/all/1.json.gz")).unwrap();
        let atom = out.join("en/authors/jane-doe.atom");
        let moved = dir.path().join("elsewhere.atom");
        fs::rename(&atom, &moved).unwrap();
        std::os::unix::fs::symlink(&moved, &atom).unwrap();

        let stats = write_tree(&out, &sample()).unwrap();
        assert_eq!(stats.reused, 0);
        for want in sample() {
            let path = out.join(&want.path);
            assert!(fs::symlink_metadata(&path).unwrap().is_file());
            assert_eq!(fs::read(&path).unwrap(), joined(&want));
            assert_eq!(
                gunzip(&fs::read(with_suffix(&path, ".gz")).unwrap()),
                joined(&want)
            );
            assert_eq!(
                unbrotli(&fs::read(with_suffix(&path, ".br")).unwrap()),
                joined(&want)
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_fresh_build_links_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("feeds");
        write_tree(&out, &sample()).unwrap();
        let before = inode(&out.join("all.rss"));
        let writer = TreeWriter::begin(&out).unwrap().fresh();
        writer.write(&sample()).unwrap();
        let stats = writer.finish().unwrap();
        assert_eq!(stats.reused, 0);
        assert_ne!(inode(&out.join("all.rss")), before);
        assert_eq!(fs::read(out.join("all.rss")).unwrap(), joined(&sample()[0]));
    }

    /// Writes `docs` as the tree at `out` with keys (`n`: the key's bytes), as a build does.
    fn build_keyed(out: &Path, docs: &[Pieces], n: u8) -> (WriteStats, Vec<bool>) {
        let writer = TreeWriter::begin(out).unwrap();
        let placed: Vec<bool> = docs
            .iter()
            .map(|d| writer.in_place(&d.path, &[n; 16]))
            .collect();
        let rest: Vec<(Pieces, Option<Key>)> = docs
            .iter()
            .zip(&placed)
            .filter(|(_, placed)| !**placed)
            .map(|(d, _)| (d.clone(), Some([n; 16])))
            .collect();
        writer.write_keyed(rest).unwrap();
        (writer.finish().unwrap(), placed)
    }

    #[test]
    fn listed_documents_are_linked_by_key_without_their_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("feeds");
        let (_, placed) = build_keyed(&out, &sample(), 7);
        assert!(placed.iter().all(|p| !p), "nothing to link from");
        let listed = fs::read_to_string(out.join(MANIFEST)).unwrap();
        assert_eq!(listed.lines().count(), sample().len() + 1, "{listed}");
        let entries = read_manifest(&out);
        let rss = &entries["all.rss"];
        assert_eq!(rss.key, [7; 16]);
        assert_eq!(rss.sizes[0], joined(&sample()[0]).len() as u64);
        assert_eq!(
            rss.sizes[1],
            fs::metadata(out.join("all.rss.gz")).unwrap().len()
        );

        // The same keys: every document linked, none written, the same list.
        let before = inode(&out.join("all.rss.br"));
        let (stats, placed) = build_keyed(&out, &sample(), 7);
        assert!(placed.iter().all(|p| *p));
        assert_eq!(stats.reused, sample().len());
        assert_eq!(inode(&out.join("all.rss.br")), before);
        assert_eq!(fs::read_to_string(out.join(MANIFEST)).unwrap(), listed);

        // Other keys: nothing linked by key (the bytes, unchanged, are still linked by
        // comparison), and the list says the new keys.
        let (_, placed) = build_keyed(&out, &sample(), 8);
        assert!(placed.iter().all(|p| !p));
        assert_eq!(read_manifest(&out)["all.rss"].key, [8; 16]);

        // A listed file missing from the tree: that document is not linked by key.
        fs::remove_file(out.join("all.rss.br")).unwrap();
        let (_, placed) = build_keyed(&out, &sample(), 8);
        assert!(!placed[0]);
        assert!(placed[1..].iter().all(|p| *p));
        assert!(out.join("all.rss.br").is_file());
    }

    #[test]
    fn a_damaged_list_is_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("feeds");
        build_keyed(&out, &sample(), 7);
        let listed = fs::read_to_string(out.join(MANIFEST)).unwrap();
        let damaged = [
            listed.replacen("syndic-build 1", "syndic-build 2", 1),
            format!("{listed}zz\n"),
            listed.replacen(" all.rss", " ../all.rss", 1),
            listed.replacen(&"07".repeat(16), &"07".repeat(15), 1),
        ];
        for text in damaged {
            fs::write(out.join(MANIFEST), &text).unwrap();
            assert!(read_manifest(&out).is_empty(), "{text}");
        }
        let (_, placed) = build_keyed(&out, &sample(), 7);
        assert!(placed.iter().all(|p| !p));
        // The build wrote a whole list again.
        assert_eq!(fs::read_to_string(out.join(MANIFEST)).unwrap(), listed);
    }
}
