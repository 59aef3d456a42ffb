//! WATCH: file events -> a new snapshot, published whole.
//!
//! Owns following `content_dir` with `notify` (the platform's native backend, recursive),
//! mapping its events onto syndic's own small set of [`Change`]s with an exhaustive match,
//! dropping what is not a post (editor temporary and swap files, dot-files, `_index.md`, other
//! sections), draining a burst of events into one reload after a quiet period, and the
//! safeguards: a file that can no longer be read keeps its last good version (see
//! [`corpus::reload`]); a reload that would lose a large share of the posts at once is refused
//! and the last good snapshot stays published. Files named by events are read again and
//! nothing else ([`corpus::update`]); a lost-events signal from the backend, an event that
//! names no file, or a folder moved in or out means a full rescan.
//!
//! Ids: each reload gives ids from the lock the current corpus was joined with (new posts'
//! entries included), or, when the identity file changed on disk since it was last read or
//! written (a correction by hand, a `git pull`; read again on SIGHUP whatever the case), from
//! the file's entries plus the remembered ones it lacks: an entry is never forgotten. A file
//! that no longer parses is logged, left alone, and the current ids stay. After each
//! published reload the file is written if new posts added entries; a failed write is logged
//! and the ids stay in memory, to be written by a later reload.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Instant, SystemTime};

use notify::event::{EventKind, ModifyKind, RenameMode};
use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use crate::config::Config;
use crate::corpus::{self, Corpus};
use crate::http::snapshot::Snapshot;
use crate::http::state::State;
use crate::identity::{Lock, LockFile, Saved};

/// What happened to the corpus, in syndic's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Added(PathBuf),
    Changed(PathBuf),
    Removed(PathBuf),
    Moved {
        from: PathBuf,
        to: PathBuf,
    },
    /// Events were lost, or something changed that cannot be pinned to a file: reread all.
    Rescan,
}

/// What the watcher thread is told: file events, or an operator's reload (SIGHUP).
#[derive(Debug)]
pub enum Signal {
    Event(notify::Result<notify::Event>),
    /// Read the configuration file again, then the corpus.
    Reload,
}

/// Maps one backend event onto changes (empty when it changes nothing: reads, metadata).
pub fn classify(event: &notify::Event) -> Vec<Change> {
    if event.need_rescan() {
        return vec![Change::Rescan];
    }
    let paths = &event.paths;
    let each = |make: fn(PathBuf) -> Change| paths.iter().cloned().map(make).collect();
    match &event.kind {
        EventKind::Create(_) => each(Change::Added),
        EventKind::Remove(_) => each(Change::Removed),
        EventKind::Modify(ModifyKind::Name(RenameMode::Both)) if paths.len() == 2 => {
            vec![Change::Moved {
                from: paths[0].clone(),
                to: paths[1].clone(),
            }]
        }
        EventKind::Modify(ModifyKind::Name(RenameMode::From)) => each(Change::Removed),
        EventKind::Modify(ModifyKind::Name(RenameMode::To)) => each(Change::Added),
        EventKind::Modify(ModifyKind::Name(_)) => each(Change::Changed),
        EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Any | ModifyKind::Other) => {
            each(Change::Changed)
        }
        EventKind::Modify(ModifyKind::Metadata(_)) => Vec::new(),
        EventKind::Access(_) => Vec::new(),
        EventKind::Any | EventKind::Other => vec![Change::Rescan],
    }
}

/// Whether a change to `path` can change the feeds: a post file in a configured language and
/// section, or a folder on the way to one (a folder moved or deleted takes its posts along).
pub fn is_relevant(config: &Config, path: &Path) -> bool {
    if let Some(layout) = &config.layout {
        return corpus::layout::is_relevant(config, layout, path);
    }
    let Some(parts) = corpus::layout::visible_parts(config, path) else {
        return false;
    };
    let Some(name) = parts.last() else {
        return true;
    };
    let lang_ok = parts.first().is_some_and(|l| config.language(l).is_some());
    let section_ok = parts.get(1).is_none_or(|s| config.sections.contains(s));
    if !lang_ok || !section_ok {
        return false;
    }
    // A name without an extension may be a folder; a post is Markdown.
    corpus::is_post_file_name(name) || !name.contains('.')
}

/// Whether a change carries a relevant path (or is a rescan).
fn matters(config: &Config, change: &Change) -> bool {
    match change {
        Change::Added(p) | Change::Changed(p) | Change::Removed(p) => is_relevant(config, p),
        Change::Moved { from, to } => is_relevant(config, from) || is_relevant(config, to),
        Change::Rescan => true,
    }
}

/// The corpus watched, its changes waiting until [`Watching::follow`] applies them.
pub struct Watching {
    sender: Sender<Signal>,
    receiver: Receiver<Signal>,
    watcher: RecommendedWatcher,
}

/// Starts watching `config`'s corpus before anything is read from it: `serve` begins here, so
/// that a post saved while the corpus loads and the first snapshot is built (tens of seconds
/// for a large corpus) waits in the queue instead of going unseen until its next save.
pub fn begin(config: &Config) -> notify::Result<Watching> {
    let (sender, receiver) = std::sync::mpsc::channel();
    let events = sender.clone();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = events.send(Signal::Event(event));
    })?;
    watcher.watch(&config.content_dir, RecursiveMode::Recursive)?;
    watch_parent(&mut watcher, &config.content_dir);
    watch_people(&mut watcher, config, None);
    Ok(Watching {
        sender,
        receiver,
        watcher,
    })
}

impl Watching {
    /// Follows the corpus from `state`'s snapshot on, beginning with the changes that came
    /// since [`begin`] (a file the snapshot already holds as it is now reloads to the same
    /// documents, which keep their ETags): events and reload requests go to a thread that
    /// rebuilds and publishes snapshots, and keeps the backend watching the configured
    /// `content_dir`, moving it when a reloaded configuration names another. Returns the
    /// sender for reload requests (SIGHUP).
    pub fn follow(self, state: Arc<State>) -> std::io::Result<Sender<Signal>> {
        let Watching {
            sender,
            receiver,
            watcher,
        } = self;
        std::thread::Builder::new()
            .name("syndic-watch".to_string())
            .spawn(move || follow(&state, &receiver, watcher))?;
        Ok(sender)
    }
}

/// The watcher thread: waits for a relevant change, lets the burst settle, reloads.
fn follow(state: &State, receiver: &Receiver<Signal>, mut watcher: RecommendedWatcher) {
    let mut watched = state.snapshot.load().config().content_dir.clone();
    let mut people = state
        .snapshot
        .load()
        .config()
        .people_file()
        .map(Path::to_path_buf);
    loop {
        let Ok(first) = receiver.recv() else {
            return;
        };
        let config = state.snapshot.load().config().clone();
        if !is_activity(&first, &config) {
            continue; // A neighbour of `content_dir` (a log written beside it) starts nothing.
        }
        let mut reload_config = false;
        let mut reread_data = false;
        let mut rescan = false;
        // `content_dir` itself was created, removed or renamed (a deploy swapping folders).
        let mut replaced = false;
        let mut paths: Vec<PathBuf> = Vec::new();
        let mut note = |signal: Signal, config: &Config| match signal {
            Signal::Reload => reload_config = true,
            Signal::Event(Ok(event)) => {
                if replaces_root(&event, &config.content_dir) {
                    replaced = true;
                }
                if names_data_file(config, &event) {
                    reread_data = true;
                }
                for change in classify(&event) {
                    if !matters(config, &change) {
                        continue;
                    }
                    match change {
                        Change::Added(p) | Change::Changed(p) | Change::Removed(p) => paths.push(p),
                        Change::Moved { from, to } => paths.extend([from, to]),
                        Change::Rescan => rescan = true,
                    }
                }
            }
            Signal::Event(Err(e)) => {
                tracing::warn!("watching the corpus: {e}; rereading it all");
                rescan = true;
            }
        };
        note(first, &config);
        // Drain the burst: reload once no activity has come for the quiet period, or once the
        // burst has lasted `longest_wait`, so that writes that never pause (a long deploy, a
        // process appending to a post) still publish.
        let started = Instant::now();
        let longest = longest_wait(config.watch.quiet);
        let mut last_activity = started;
        loop {
            let left = longest.saturating_sub(started.elapsed());
            let quiet_left = config.watch.quiet.saturating_sub(last_activity.elapsed());
            if left.is_zero() || quiet_left.is_zero() {
                break;
            }
            match receiver.recv_timeout(quiet_left.min(left)) {
                Ok(signal) => {
                    if is_activity(&signal, &config) {
                        last_activity = Instant::now();
                    }
                    note(signal, &config);
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if replaced {
            // The watch holds on to the folder it was given, wherever it went: it is put
            // back on whatever now stands at the path, and the whole corpus read from there.
            rewatch(&mut watcher, &watched, &watched);
            rescan = true;
        }
        if reload_config {
            rebuild(state, Reread::Config, None);
        } else if reread_data {
            // Every post naming an id, or under a data file's folder, may change.
            rebuild(state, Reread::DataFiles, None);
        } else if rescan {
            rebuild(state, Reread::Nothing, None);
        } else if !paths.is_empty() {
            paths.sort();
            paths.dedup();
            rebuild(state, Reread::Nothing, Some(&paths));
        }
        let current = state.snapshot.load().config().clone();
        if current.people_file() != people.as_deref() {
            watch_people(&mut watcher, &current, people.as_deref());
            people = current.people_file().map(Path::to_path_buf);
        }
        let wanted = current.content_dir.clone();
        if wanted != watched {
            rewatch(&mut watcher, &watched, &wanted);
            watched = wanted;
            // What changed in the new folder between its reading and the watch: read it all.
            rebuild(state, Reread::Nothing, None);
        }
    }
}

/// Whether `signal` counts as activity in the corpus, holding a reload back until the burst
/// is over: an event naming `content_dir` or something in it, a lost-events signal, an event
/// naming nothing, a backend error, an operator's reload. The folder holding `content_dir` is
/// watched only to see `content_dir` replaced: its other entries (a log written beside
/// `content/`, a `.git` folder, a build writing `feeds/`) are not activity, or a busy
/// neighbour would hold every edit back for the longest wait instead of the quiet period.
fn is_activity(signal: &Signal, config: &Config) -> bool {
    match signal {
        Signal::Reload | Signal::Event(Err(_)) => true,
        Signal::Event(Ok(event)) => {
            event.need_rescan()
                || event.paths.is_empty()
                || event
                    .paths
                    .iter()
                    .any(|p| p.starts_with(&config.content_dir))
                || names_data_file(config, event)
        }
    }
}

/// Whether `event` changes a data file the configuration reads: the file of people (`[posts]
/// people`) or something in its folder, or one of Eleventy's directory data files (reading
/// one, as a reload does, is no change).
fn names_data_file(config: &Config, event: &notify::Event) -> bool {
    let data =
        |p: &Path| config.people_file().is_some_and(|f| p.starts_with(f)) || config.is_data_file(p);
    classify(event).iter().any(|change| match change {
        Change::Added(p) | Change::Changed(p) | Change::Removed(p) => data(p),
        Change::Moved { from, to } => data(from) || data(to),
        Change::Rescan => false,
    })
}

/// Watches the file of people where `content_dir`'s watch does not already see it (Hugo's
/// `data/authors/` beside `content/`): a folder of people recursively, a file through its
/// folder (an editor saving by rename replaces the file), after unwatching the `before` one.
fn watch_people(watcher: &mut RecommendedWatcher, config: &Config, before: Option<&Path>) {
    let target = |file: &Path| -> Option<(PathBuf, RecursiveMode)> {
        if file.starts_with(&config.content_dir) {
            return None;
        }
        if file.is_dir() {
            Some((file.to_path_buf(), RecursiveMode::Recursive))
        } else {
            Some((file.parent()?.to_path_buf(), RecursiveMode::NonRecursive))
        }
    };
    if let Some((folder, _)) = before.and_then(target) {
        let _ = watcher.unwatch(&folder);
    }
    if let Some((folder, mode)) = config.people_file().and_then(target)
        && let Err(e) = watcher.watch(&folder, mode)
    {
        tracing::warn!(
            "cannot watch {} ({e}): edits of the people there need a SIGHUP",
            folder.display()
        );
    }
}

/// Whether `event` creates, removes or renames `content_dir` itself; its metadata changing
/// (a `touch`) does not count.
fn replaces_root(event: &notify::Event, content_dir: &Path) -> bool {
    let kind_counts = matches!(
        event.kind,
        EventKind::Create(_) | EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
    );
    kind_counts && event.paths.iter().any(|p| p == content_dir)
}

/// Watches the folder holding `content_dir` too, not its subfolders, to see `content_dir`
/// itself replaced. Without it, syndic would not see a swap.
fn watch_parent(watcher: &mut RecommendedWatcher, content_dir: &Path) {
    if let Some(parent) = content_dir.parent().filter(|p| !p.as_os_str().is_empty())
        && let Err(e) = watcher.watch(parent, RecursiveMode::NonRecursive)
    {
        tracing::warn!(
            "cannot watch {} ({e}): {} replaced by another folder will not be seen",
            parent.display(),
            content_dir.display()
        );
    }
}

/// Moves the watch from `from` to `to` (a reloaded configuration's `content_dir`, or the
/// same path, now another folder).
fn rewatch(watcher: &mut RecommendedWatcher, from: &Path, to: &Path) {
    let _ = watcher.unwatch(from);
    if let Some(parent) = from.parent().filter(|p| !p.as_os_str().is_empty()) {
        let _ = watcher.unwatch(parent);
    }
    match watcher.watch(to, RecursiveMode::Recursive) {
        Ok(()) => tracing::info!(folder = %to.display(), "following the corpus there"),
        Err(e) => tracing::error!(
            "cannot watch {} ({e}): followed again once it is back",
            to.display()
        ),
    }
    watch_parent(watcher, to);
}

/// The longest a burst of events may hold a reload back: ten quiet periods, at least 1 s.
fn longest_wait(quiet: std::time::Duration) -> std::time::Duration {
    (quiet * 10).max(std::time::Duration::from_secs(1))
}

/// What a rebuild reads again besides the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reread {
    Nothing,
    /// The data files the configuration reads (the file of people, Eleventy's directory data
    /// files), one of them edited.
    DataFiles,
    /// The configuration file (SIGHUP), and all it names.
    Config,
}

/// Loads the corpus again (and the configuration, on request) and publishes the result,
/// unless it would lose too many posts at once. With `changed`, only those files are read
/// again (unless one is a folder: then all are), and only the feeds they touch are rendered.
pub fn rebuild(state: &State, reread: Reread, changed: Option<&[PathBuf]>) {
    let started = Instant::now();
    let current = state.snapshot.load_full();
    let config = match reread {
        Reread::Config => match Config::load(&current.config().path) {
            Ok(config) => Arc::new(config),
            Err(e) => {
                tracing::error!("reload refused, the configuration is unusable: {e}");
                return;
            }
        },
        // A half-saved or broken data file keeps the last good names and patterns; the
        // posts are still read again.
        Reread::DataFiles => match current.config().with_data_files_reread() {
            Ok(config) => Arc::new(config),
            Err(e) => {
                tracing::error!("{e}: keeping what the data files gave until it is fixed");
                Arc::clone(current.config())
            }
        },
        Reread::Nothing => Arc::clone(current.config()),
    };
    let reload_config = reread == Reread::Config;
    let loaded_at = SystemTime::now();
    let lock = lock_for_reload(state, &config, current.corpus(), reload_config);
    let corpus = match changed {
        Some(paths) if !reload_config => corpus::update(&config, &lock, current.corpus(), paths),
        _ => None,
    }
    .unwrap_or_else(|| corpus::reload(&config, &lock, Some(current.corpus())));
    let loaded = started.elapsed();
    if let Some(why) = too_much_lost(&config, current.corpus(), &corpus) {
        tracing::error!("{why}: keeping the last good snapshot until the corpus is back");
        state.refuse(why);
        return;
    }
    // Each problem is logged when it appears, not again at every reload (all of them again
    // when an operator reloads the configuration).
    let none = imbl::Vector::new();
    let known = if reload_config {
        &none
    } else {
        &current.corpus().errors
    };
    for error in appeared(known, &corpus.errors) {
        tracing::error!("{error}");
    }
    let none = Vec::new();
    let known = if reload_config {
        &none
    } else {
        &current.corpus().ids.warnings
    };
    for warning in appeared(known, &corpus.ids.warnings) {
        tracing::warn!("{warning}");
    }
    let lock = Arc::clone(&corpus.ids.lock);
    let snapshot = Snapshot::build(config, Arc::new(corpus), loaded_at, Some(&current));
    let dates = snapshot.dates().clone();
    state.publish(snapshot);
    save_ids(state, &lock);
    save_dates(state, &dates);
    let seconds = started.elapsed().as_secs_f64();
    state.metrics.reloads.inc();
    state.metrics.reload_seconds.observe(seconds);
    tracing::info!(
        seconds,
        files = changed.map_or(0, <[PathBuf]>::len),
        load_ms = loaded.as_millis() as u64,
        "corpus reloaded and published"
    );
    let published = state.snapshot.load_full();
    state.notify_hub(&current, &published);
    std::thread::spawn(move || published.precompress());
}

/// The diagnostics of `now` that `before` did not have (both sorted).
fn appeared<'a>(
    before: impl IntoIterator<Item = &'a crate::corpus::Diagnostic>,
    now: impl IntoIterator<Item = &'a crate::corpus::Diagnostic>,
) -> impl Iterator<Item = &'a crate::corpus::Diagnostic> {
    let mut old = before.into_iter().peekable();
    now.into_iter().filter(move |error| {
        while old.next_if(|o| o < error).is_some() {}
        old.next_if(|o| o == error).is_none()
    })
}

/// The lock a reload gives ids from (see the module's comment).
fn lock_for_reload(state: &State, config: &Config, current: &Corpus, force: bool) -> Arc<Lock> {
    let kept = Arc::clone(&current.ids.lock);
    let Ok(mut file) = state.identity.lock() else {
        return kept;
    };
    let read = if file.path() == config.identity_file {
        file.refresh(force).map(|_| ())
    } else {
        // SIGHUP read a configuration naming another file.
        LockFile::open(&config.identity_file).map(|opened| *file = opened)
    };
    if let Err(e) = read {
        let why = format!("{e}; the ids stay as they were until it is corrected");
        tracing::error!("{why}");
        state.identity_result(Some(why));
        return kept;
    }
    state.identity_result(None);
    // The file holds what the current corpus was joined with (written or read since): the
    // usual case, nothing to do. Otherwise it was read anew, written with another writer's
    // entries, or not written (a failed write, a refused reload): its entries, and the
    // remembered ones it lacks.
    if Arc::ptr_eq(file.lock(), &kept) {
        return kept;
    }
    let mut merged = Lock::clone(file.lock());
    merged.add_missing(&kept);
    if merged == **file.lock() {
        Arc::clone(file.lock())
    } else {
        Arc::new(merged)
    }
}

/// Writes the identity file if `lock` has entries it lacks. A failure is logged; serving goes
/// on with the ids in memory.
pub fn save_ids(state: &State, lock: &Arc<Lock>) {
    let Ok(mut file) = state.identity.lock() else {
        return;
    };
    match file.save(lock) {
        Ok(Saved::Unchanged) => state.identity_result(None),
        Ok(Saved::Written { entries, added }) => {
            state.identity_result(None);
            tracing::info!(
                file = %file.path().display(),
                added,
                entries,
                "identity file written"
            )
        }
        Err(e) => {
            let why = format!("{e}; the ids are kept in memory, and written with the next change");
            tracing::error!("{why}");
            state.identity_result(Some(why));
        }
    }
}

/// Writes the last-modified file if `dates` differ from what it holds. A failure is logged
/// and shown in `/healthz`; serving goes on with the dates in memory.
pub fn save_dates(state: &State, dates: &crate::modified::Dates) {
    let Ok(mut held) = state.dates.lock() else {
        return;
    };
    let Some(file) = held.as_mut() else {
        return;
    };
    match file.save(dates) {
        Ok(written) => {
            state.dates_result(None);
            if written {
                tracing::debug!(file = %file.path().display(), "last-modified file written");
            }
        }
        Err(e) => {
            let why =
                format!("{e}; the dates are kept in memory, and written with the next change");
            tracing::error!("{why}");
            state.dates_result(Some(why));
        }
    }
}

/// Why `fresh` must not replace `previous`, if it must not: too large a share of the posts
/// gone at once.
pub fn too_much_lost(config: &Config, previous: &Corpus, fresh: &Corpus) -> Option<String> {
    let before = previous.posts.len();
    let after = fresh.posts.len();
    if before == 0 || after >= before {
        return None;
    }
    let lost = (before - after) * 100 / before;
    (lost > usize::from(config.watch.max_loss_percent)).then(|| {
        format!(
            "{lost}% of the posts disappeared at once ({before} -> {after}, more than \
             [watch] max_loss_percent = {})",
            config.watch.max_loss_percent
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, DataChange, RemoveKind};

    fn config() -> Config {
        let text =
            "content_dir = \"/site/content\"\n[languages.en]\nbase_url = \"https://a.example/\"\n";
        match Config::from_toml(Path::new("/site/config.toml"), text) {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn only_errors_that_appeared_are_logged_again() {
        let d = |path: &str| crate::corpus::Diagnostic {
            path: path.to_string(),
            line: Some(1),
            message: "bad".to_string(),
        };
        let before: imbl::Vector<_> = [d("a.md"), d("c.md"), d("e.md")].into_iter().collect();
        let now: imbl::Vector<_> = [d("b.md"), d("c.md"), d("d.md"), d("f.md")]
            .into_iter()
            .collect();
        let new: Vec<&str> = appeared(&before, &now).map(|e| e.path.as_str()).collect();
        assert_eq!(new, ["b.md", "d.md", "f.md"]);
        assert_eq!(appeared(&now, &now).count(), 0);
    }

    #[test]
    fn only_creating_removing_or_renaming_content_dir_replaces_it() {
        let root = config().content_dir;
        let on = |kind, path: &Path| notify::Event::new(kind).add_path(path.to_path_buf());
        let renamed = EventKind::Modify(ModifyKind::Name(RenameMode::To));
        assert!(replaces_root(&on(renamed, &root), &root));
        assert!(replaces_root(
            &on(EventKind::Create(CreateKind::Folder), &root),
            &root
        ));
        assert!(replaces_root(
            &on(EventKind::Remove(RemoveKind::Folder), &root),
            &root
        ));
        let touched = EventKind::Modify(ModifyKind::Metadata(notify::event::MetadataKind::Any));
        assert!(!replaces_root(&on(touched, &root), &root));
        // A sibling, or a post inside, is not the folder itself.
        assert!(!replaces_root(
            &on(renamed, &root.with_extension("next")),
            &root
        ));
        assert!(!replaces_root(&on(renamed, &root.join("en")), &root));
    }

    #[test]
    fn only_events_naming_content_dir_are_activity() {
        let config = config();
        let on = |path: &str| {
            Signal::Event(Ok(notify::Event::new(EventKind::Modify(ModifyKind::Data(
                DataChange::Content,
            )))
            .add_path(PathBuf::from(path))))
        };
        // Beside `content_dir`, in the folder watched to see it replaced: not activity.
        for path in [
            "/site/serve.log",
            "/site/.git/index.lock",
            "/site/feeds",
            "/site/content.next",
            "/site/contents",
        ] {
            assert!(!is_activity(&on(path), &config), "{path}");
        }
        for path in [
            "/site/content",
            "/site/content/en/blog/posts/a.md",
            "/site/content/en/blog/posts/.a.md.swp",
        ] {
            assert!(is_activity(&on(path), &config), "{path}");
        }
        // One path inside is enough (a rename from beside into the corpus).
        let moved = notify::Event::new(EventKind::Modify(ModifyKind::Name(RenameMode::Both)))
            .add_path(PathBuf::from("/site/content.next"))
            .add_path(config.content_dir.clone());
        assert!(is_activity(&Signal::Event(Ok(moved)), &config));
        // What cannot be pinned to a path counts, to be safe.
        let lost = notify::Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan);
        assert!(is_activity(&Signal::Event(Ok(lost)), &config));
        assert!(is_activity(
            &Signal::Event(Ok(notify::Event::new(EventKind::Any))),
            &config
        ));
        assert!(is_activity(
            &Signal::Event(Err(notify::Error::generic("lost"))),
            &config
        ));
        assert!(is_activity(&Signal::Reload, &config));
        // The file of people, wherever it is, counts; its neighbours do not.
        let text = "content_dir = \"/site/content\"\n[posts]\ngenerator = \"hugo\"\n\
                    people = \"data/authors\"\n[languages.en]\nbase_url = \"https://a.example/\"\n";
        let with_people = match Config::from_toml(Path::new("/site/config.toml"), text) {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        };
        for (path, counts) in [
            ("/site/data/authors/ann.toml", true),
            ("/site/data/authors", true),
            ("/site/data/menus.toml", false),
        ] {
            let event = match &on(path) {
                Signal::Event(Ok(e)) => e.clone(),
                _ => unreachable!(),
            };
            assert_eq!(names_data_file(&with_people, &event), counts, "{path}");
            assert_eq!(is_activity(&on(path), &with_people), counts, "{path}");
            assert!(!names_data_file(&config, &event), "{path}");
        }
        // Eleventy's directory data files, where the configuration reads them.
        let text = "content_dir = \"/site/content\"\n[posts]\ngenerator = \"eleventy\"\n\
                    [languages.en]\nbase_url = \"https://a.example/\"\n";
        let eleventy = match Config::from_toml(Path::new("/site/config.toml"), text) {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        };
        for (path, counts) in [
            ("/site/content/posts/posts.11tydata.json", true),
            ("/site/content/posts/posts.json", true),
            ("/site/content/posts/posts.11tydata.js", true),
            ("/site/content/posts/other.json", false),
            ("/site/content/posts/2024-01-01-a.md", false),
        ] {
            let event = match &on(path) {
                Signal::Event(Ok(e)) => e.clone(),
                _ => unreachable!(),
            };
            assert_eq!(names_data_file(&eleventy, &event), counts, "{path}");
            assert!(!names_data_file(&config, &event), "{path}");
        }
    }

    #[test]
    fn events_map_onto_changes() {
        let path = PathBuf::from("/site/content/en/blog/posts/a.md");
        let to = PathBuf::from("/site/content/en/blog/posts/b.md");
        let event = |kind| notify::Event::new(kind).add_path(path.clone());
        assert_eq!(
            classify(&event(EventKind::Create(CreateKind::File))),
            [Change::Added(path.clone())]
        );
        assert_eq!(
            classify(&event(EventKind::Modify(ModifyKind::Data(
                DataChange::Content
            )))),
            [Change::Changed(path.clone())]
        );
        assert_eq!(
            classify(&event(EventKind::Remove(RemoveKind::File))),
            [Change::Removed(path.clone())]
        );
        let moved = notify::Event::new(EventKind::Modify(ModifyKind::Name(RenameMode::Both)))
            .add_path(path.clone())
            .add_path(to.clone());
        assert_eq!(
            classify(&moved),
            [Change::Moved {
                from: path.clone(),
                to
            }]
        );
        assert!(classify(&event(EventKind::Access(notify::event::AccessKind::Any))).is_empty());
        let lost = notify::Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan);
        assert_eq!(classify(&lost), [Change::Rescan]);
    }

    #[test]
    fn only_posts_and_their_folders_matter() {
        let config = config();
        for (path, relevant) in [
            ("/site/content/en/blog/posts/a.md", true),
            ("/site/content/en/blog/posts/Some Post?.md", true),
            ("/site/content/en/blog/posts", true),
            ("/site/content/en/blog/_index.md", false),
            ("/site/content/en/blog/posts/.a.md.swp", false),
            ("/site/content/en/blog/posts/a.md~", false),
            ("/site/content/en/blog/posts/#a.md#", false),
            ("/site/content/en/blog/posts/4913", true),
            ("/site/content/en/blog/posts/a.md.tmp", false),
            ("/site/content/en/products/index.md", false),
            ("/site/content/de/blog/posts/a.md", false),
            ("/site/content/.git/index", false),
            ("/elsewhere/en/blog/posts/a.md", false),
        ] {
            assert_eq!(is_relevant(&config, Path::new(path)), relevant, "{path}");
        }
    }
}
