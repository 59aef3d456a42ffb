//! The folder a new tree is built in, beside `out` (`<out>.new-<pid>-<n>`), and the lock that
//! says a build is using it: an exclusive `flock` on `<out>.new-<pid>-<n>.lock`, taken before
//! the folder is made and given up only once the folder is gone or has become `out`.
//!
//! A build that crashed leaves its folder and lock file behind, unlocked: the kernel drops a
//! dead process's locks. The next build ([`clear_stale`]) removes every such folder whose lock
//! it can take, so never one that a build running beside it holds.
//!
//! Must not: remove anything but folders named exactly as a build names them (with their lock
//! files), nor one whose lock another build holds. Where this code has no `flock` (systems
//! other than Linux and Android), folders are locked by no one and none is cleared.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs::{self, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use super::{ExportError, io_error};

/// A folder being built, removed when dropped unless kept: an error or a panic anywhere
/// before the swap leaves nothing behind. Its lock is held as long as it lives.
pub(super) struct Staging {
    pub(super) path: PathBuf,
    keep: bool,
    /// Dropped after the folder is removed (fields drop after [`Drop::drop`]).
    _claim: Claim,
}

impl Staging {
    /// Locks `path` for this build, then creates the folder.
    pub(super) fn create(path: PathBuf) -> Result<Staging, ExportError> {
        let lock = lock_path(&path);
        let claim = take(&lock, Wait::Yes)
            .and_then(|claim| claim.ok_or_else(|| io::Error::other("the lock was not taken")))
            .map_err(io_error("locking", &lock))?;
        match fs::create_dir(&path) {
            // Left by a crashed process that had the same pid: ours to clear, now locked.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                fs::remove_dir_all(&path).map_err(io_error("removing stale", &path))?;
                fs::create_dir(&path).map_err(io_error("creating", &path))?;
            }
            other => other.map_err(io_error("creating", &path))?,
        }
        Ok(Staging {
            path,
            keep: false,
            _claim: claim,
        })
    }

    /// Leaves the folder where it is (it has become `out`), and gives up the lock.
    pub(super) fn into_path(mut self) -> PathBuf {
        self.keep = true;
        std::mem::take(&mut self.path)
    }

    /// Removes what the folder holds now (the old tree, after the exchange), still locked, so
    /// that no other build sees it unlocked and clears it at the same time. The new tree is in
    /// place whatever happens here, so a failure is reported, not returned.
    pub(super) fn remove_old_tree(mut self) {
        self.keep = true;
        super::remove_old_tree(&self.path);
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

/// Removes the staging folders beside `out` that no running build holds: what builds that
/// crashed left. Logged, never an error: the build goes on whatever is left.
pub(super) fn clear_stale(out: &Path) {
    let Some(name) = out.file_name().and_then(|n| n.to_str()) else {
        return;
    };
    let prefix = format!("{name}.new-");
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    // A folder, its lock file, or a lock file alone (a crash between the two).
    let names: BTreeSet<String> = entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter_map(|n| {
            let rest = n.strip_prefix(&prefix)?;
            let id = rest.strip_suffix(".lock").unwrap_or(rest);
            is_build_id(id).then(|| format!("{prefix}{id}"))
        })
        .collect();
    for name in names {
        let path = out.with_file_name(&name);
        let lock = lock_path(&path);
        match take(&lock, Wait::No) {
            Ok(Some(claim)) => {
                match fs::remove_dir_all(&path) {
                    Ok(()) => tracing::info!(
                        "removed {}, left by a build that did not finish",
                        path.display()
                    ),
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => tracing::warn!(
                        "{} was left by a build that did not finish, and cannot be removed: {e}",
                        path.display()
                    ),
                }
                drop(claim);
            }
            Ok(None) => tracing::debug!("{} is another build's, running", path.display()),
            Err(e) => tracing::warn!(
                "{} is left as it is: cannot tell whether a build is using it ({e})",
                path.display()
            ),
        }
    }
}

/// `<pid>-<n>`, as [`super::sibling`] writes it.
fn is_build_id(id: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    id.split_once('-')
        .is_some_and(|(pid, n)| digits(pid) && digits(n))
}

fn lock_path(folder: &Path) -> PathBuf {
    let mut name: OsString = folder
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".lock");
    folder.with_file_name(name)
}

/// A lock file, locked; removed (while still locked) when dropped.
struct Claim {
    path: PathBuf,
    /// Held open for the lock; closed after the file is removed.
    _file: fs::File,
}

impl Drop for Claim {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Wait {
    Yes,
    No,
}

/// Opens (or creates) the lock file at `path` and locks it; with [`Wait::No`], `None` when
/// another holds it.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn take(path: &Path, wait: Wait) -> io::Result<Option<Claim>> {
    use rustix::fs::{FlockOperation, flock};
    use std::os::unix::fs::MetadataExt;
    loop {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        let operation = match wait {
            Wait::Yes => FlockOperation::LockExclusive,
            Wait::No => FlockOperation::NonBlockingLockExclusive,
        };
        match flock(&file, operation) {
            Ok(()) => {}
            Err(rustix::io::Errno::WOULDBLOCK) if wait == Wait::No => return Ok(None),
            Err(e) => return Err(e.into()),
        }
        // The build that held it before may have removed the file meanwhile (and another
        // made it anew): a lock on a file no longer at `path` keeps nobody out.
        let held = file.metadata()?;
        let still_there = match fs::metadata(path) {
            Ok(now) => now.dev() == held.dev() && now.ino() == held.ino(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => false,
            Err(e) => return Err(e),
        };
        if still_there {
            return Ok(Some(Claim {
                path: path.to_path_buf(),
                _file: file,
            }));
        }
        if wait == Wait::No {
            return Ok(None);
        }
    }
}

/// Without `flock`: the file is made, but only as a marker; nothing stale is ever claimed.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn take(path: &Path, wait: Wait) -> io::Result<Option<Claim>> {
    if wait == Wait::No {
        return Ok(None);
    }
    let file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)?;
    Ok(Some(Claim {
        path: path.to_path_buf(),
        _file: file,
    }))
}

#[cfg(all(test, any(target_os = "linux", target_os = "android")))]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok()?.file_name().into_string().ok())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    #[test]
    fn a_folder_left_by_a_crashed_build_is_removed_and_a_live_one_kept() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("feeds");
        // A crashed build: its folder, with a file half written, and its lock file, unlocked.
        let crashed = dir.path().join("feeds.new-4000000-3");
        fs::create_dir_all(crashed.join("en"))?;
        fs::write(crashed.join("en/all.rss"), "<rss")?;
        fs::write(dir.path().join("feeds.new-4000000-3.lock"), "")?;
        // One from before there were lock files, and a lock file alone.
        fs::create_dir(dir.path().join("feeds.new-4000001-0"))?;
        fs::write(dir.path().join("feeds.new-4000002-1.lock"), "")?;
        // A build running: its folder, locked.
        let live = match Staging::create(dir.path().join("feeds.new-4000003-0")) {
            Ok(staging) => staging,
            Err(e) => panic!("{e}"),
        };
        fs::write(live.path.join("all.rss"), "<rss/>")?;
        // Folders that only look alike, and another tree's.
        for other in [
            "feeds.new-design",
            "feeds.new-1-x",
            "feeds.old-4000004-0",
            "blog.new-1-0",
        ] {
            fs::create_dir(dir.path().join(other))?;
        }

        clear_stale(&out);
        assert_eq!(
            names(dir.path()),
            [
                "blog.new-1-0",
                "feeds.new-1-x",
                "feeds.new-4000003-0",
                "feeds.new-4000003-0.lock",
                "feeds.new-design",
                "feeds.old-4000004-0",
            ]
        );
        assert_eq!(fs::read_to_string(live.path.join("all.rss"))?, "<rss/>");

        // Once it is done (here: given up), its folder and lock go, and nothing is left.
        drop(live);
        clear_stale(&out);
        assert_eq!(
            names(dir.path()),
            [
                "blog.new-1-0",
                "feeds.new-1-x",
                "feeds.new-design",
                "feeds.old-4000004-0"
            ]
        );
        Ok(())
    }

    #[test]
    fn only_names_a_build_gives_are_build_ids() {
        for (id, expected) in [
            ("12-0", true),
            ("4000000-31", true),
            ("12", false),
            ("12-", false),
            ("-0", false),
            ("design", false),
            ("12-0-1", false),
            ("12-0.lock", false),
        ] {
            assert_eq!(is_build_id(id), expected, "{id}");
        }
    }
}
