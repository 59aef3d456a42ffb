//! The server's state: what every request reads (the configuration, the snapshot swapped
//! whole, the metrics) and what reloads share (the identity and last-modified files, why the
//! last reload or write failed), with the `/healthz` answer built from it.

use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;

use super::metrics::Metrics;
use crate::config::Config;
use crate::http::snapshot::Snapshot;
use crate::identity::LockFile;

/// What every request reads: the configuration, the current snapshot (swapped whole), the
/// metrics; and what reloads share: the identity file.
pub struct State {
    /// The configuration the server started with (listener and bounds); each snapshot carries
    /// the configuration it was built with, which a reload may have read anew.
    pub config: Arc<Config>,
    pub snapshot: ArcSwap<Snapshot>,
    pub metrics: Metrics,
    /// Why the last reload was not published, until one is.
    refused: std::sync::Mutex<Option<String>>,
    /// Sends WebSub publish notifications in the background; `None` if its thread could not
    /// be started (logged).
    notifier: Option<crate::websub::Notifier>,
    /// The identity file as last read or written, for reloads (see `watch`).
    pub identity: Mutex<LockFile>,
    /// Why the identity file could not be read or written last time it was tried, until it
    /// can: the ids are then kept in memory only.
    identity_error: std::sync::Mutex<Option<String>>,
    /// The last-modified file as last read or written, `None` until [`State::keep_dates`].
    pub dates: Mutex<Option<crate::modified::DatesFile>>,
    /// Why the last-modified file could not be written last time it was tried, until it can.
    dates_error: std::sync::Mutex<Option<String>>,
}

impl State {
    /// Tells the configured WebSub hub, in the background, which feeds of `published` changed
    /// from `previous`; nothing when no hub is configured or nothing changed.
    pub fn notify_hub(&self, previous: &Snapshot, published: &Snapshot) {
        if let (Some(websub), Some(notifier)) = (&published.config().websub, &self.notifier) {
            notifier.notify(websub, published.changed_topics(previous));
        }
    }

    /// The server's state around its first snapshot. An error is one of the metrics refused
    /// by the `prometheus` crate (see [`Metrics::new`]).
    pub fn new(
        config: Arc<Config>,
        snapshot: Snapshot,
        identity: LockFile,
    ) -> Result<State, prometheus::Error> {
        let metrics = Metrics::new()?;
        let notifier = match crate::websub::Notifier::start(metrics.websub.clone()) {
            Ok(notifier) => Some(notifier),
            Err(e) => {
                tracing::error!("cannot start the WebSub sender: {e}");
                None
            }
        };
        let state = State {
            config,
            snapshot: ArcSwap::from_pointee(snapshot),
            metrics,
            refused: std::sync::Mutex::new(None),
            notifier,
            identity: Mutex::new(identity),
            identity_error: std::sync::Mutex::new(None),
            dates: Mutex::new(None),
            dates_error: std::sync::Mutex::new(None),
        };
        state.note_snapshot();
        Ok(state)
    }

    /// Serves `snapshot` from now on: requests already running finish with the old one.
    pub fn publish(&self, snapshot: Snapshot) {
        self.snapshot.store(Arc::new(snapshot));
        if let Ok(mut refused) = self.refused.lock() {
            *refused = None;
        }
        self.note_snapshot();
    }

    /// Records that a reload was not published (the last good snapshot stays), for `/healthz`.
    pub fn refuse(&self, why: String) {
        if let Ok(mut refused) = self.refused.lock() {
            *refused = Some(why);
        }
    }

    /// Keeps the documents' dates in `file` from now on (see `watch::save_dates`).
    pub fn keep_dates(self, file: crate::modified::DatesFile) -> State {
        if let Ok(mut held) = self.dates.lock() {
            *held = Some(file);
        }
        self
    }

    /// Records how the last write of the last-modified file went, for `/healthz`.
    pub fn dates_result(&self, error: Option<String>) {
        if let Ok(mut held) = self.dates_error.lock() {
            *held = error;
        }
    }

    /// Records how the last read or write of the identity file went, for `/healthz`.
    pub fn identity_result(&self, error: Option<String>) {
        if let Ok(mut held) = self.identity_error.lock() {
            *held = error;
        }
    }

    fn note_snapshot(&self) {
        let snapshot = self.snapshot.load();
        self.metrics.posts.set(snapshot.posts() as i64);
        self.metrics.feeds.set(snapshot.feeds() as i64);
        self.metrics
            .corpus_errors
            .set(snapshot.errors().len() as i64);
    }

    /// The `/healthz` answer.
    pub fn health(&self) -> String {
        let snapshot = self.snapshot.load();
        let loaded_at: chrono::DateTime<chrono::Utc> = snapshot.loaded_at.into();
        let errors: Vec<serde_json::Value> = snapshot
            .errors()
            .iter()
            .map(|e| serde_json::json!({"path": e.path, "line": e.line, "message": e.message}))
            .collect();
        let refused = self.refused.lock().ok().and_then(|r| r.clone());
        let identity_error = self.identity_error.lock().ok().and_then(|e| e.clone());
        let last_modified_error = self.dates_error.lock().ok().and_then(|e| e.clone());
        // Stale: the feeds are not the corpus's. Degraded: they are, but a restart could give
        // new posts other ids, since the identity file does not hold them, or documents
        // earlier dates, since the last-modified file does not hold theirs.
        let status = match (
            &refused,
            identity_error.is_some() || last_modified_error.is_some(),
        ) {
            (Some(_), _) => "stale",
            (None, true) => "degraded",
            (None, false) => "ok",
        };
        let body = serde_json::json!({
            "status": status,
            "refused_reload": refused,
            "identity_error": identity_error,
            "last_modified_error": last_modified_error,
            "posts": snapshot.posts(),
            "feeds": snapshot.feeds(),
            "loaded_at": loaded_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "errors": errors,
        });
        let mut text = body.to_string();
        text.push('\n');
        text
    }
}
