//! The listener: accepts connections within the configured bounds (connections at once,
//! header size, time to send headers, time per connection), serves HTTP/1.1 with hyper, logs
//! each request, and on shutdown stops accepting, lets in-flight responses finish, then returns.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use bytes::Bytes;
use http::{Request, Response};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use super::handler;
use super::metrics::{Metrics, RequestLabels};
use crate::config::Config;
use crate::snapshot::Snapshot;

/// What every request reads: the configuration, the current snapshot (swapped whole), the
/// metrics.
pub struct State {
    /// The configuration the server started with (listener and bounds); each snapshot carries
    /// the configuration it was built with, which a reload may have read anew.
    pub config: Arc<Config>,
    pub snapshot: ArcSwap<Snapshot>,
    pub metrics: Metrics,
    /// Why the last reload was not published, until one is.
    refused: std::sync::Mutex<Option<String>>,
}

impl State {
    pub fn new(config: Arc<Config>, snapshot: Snapshot) -> State {
        let state = State {
            config,
            snapshot: ArcSwap::from_pointee(snapshot),
            metrics: Metrics::new(),
            refused: std::sync::Mutex::new(None),
        };
        state.note_snapshot();
        state
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
        let body = serde_json::json!({
            "status": if refused.is_some() { "stale" } else { "ok" },
            "refused_reload": refused,
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

/// Answers one request from the current snapshot, and counts it.
fn answer(state: &State, request: &Request<Incoming>) -> Response<Full<Bytes>> {
    let started = Instant::now();
    let snapshot = state.snapshot.load();
    let path = request.uri().path();
    let (route, response) = if handler::bad_host(request.version(), request.headers()) {
        (
            handler::Route::BadRequest,
            handler::bad_request("an HTTP/1.1 request needs exactly one Host header\n"),
        )
    } else {
        handler::respond(
            snapshot.config(),
            &snapshot,
            request.method(),
            request.uri(),
            request.headers(),
            || state.health(),
            || state.metrics.render(),
        )
    };
    let status = response.status().as_u16();
    let bytes = response
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|_| request.method() != http::Method::HEAD)
        .unwrap_or(0);
    state
        .metrics
        .requests
        .get_or_create(&RequestLabels {
            route: route.as_str(),
            status,
        })
        .inc();
    if status == 304 {
        state.metrics.not_modified.inc();
    }
    state.metrics.bytes_sent.inc_by(bytes);
    tracing::info!(
        method = %request.method(),
        path,
        status,
        route = route.as_str(),
        bytes,
        micros = started.elapsed().as_micros() as u64,
        "request"
    );
    response
}

/// Serves on `listener` until `shutdown` completes, then stops accepting, waits for in-flight
/// requests (at most `grace`), and returns.
pub async fn run(
    state: Arc<State>,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
    grace: Duration,
) {
    let limits = state.config.server.clone();
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&permits).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let state = Arc::clone(&state);
        let service = service_fn(move |request: Request<Incoming>| {
            let response = answer(&state, &request);
            async move { Ok::<_, Infallible>(response) }
        });
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_read_timeout)
            .max_buf_size(16 * 1024)
            .keep_alive(true);
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        let lifetime = limits.request_timeout;
        tokio::spawn(async move {
            match tokio::time::timeout(lifetime, connection).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::debug!(%peer, "connection ended: {e}"),
                Err(_) => tracing::debug!(%peer, "connection cut after {lifetime:?}"),
            }
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => tracing::info!("all connections finished"),
        () = tokio::time::sleep(grace) => tracing::warn!("connections still open after {grace:?}; stopping"),
    }
}

/// Resolves when the process receives SIGTERM or SIGINT (Ctrl-C). The handlers are installed
/// when this is called (inside the runtime), not when the future is first polled, so a signal
/// that comes early is not lost.
pub fn signal() -> impl Future<Output = ()> {
    #[cfg(unix)]
    let streams = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        )
    };
    async move {
        #[cfg(unix)]
        match streams {
            (Ok(mut term), Ok(mut int)) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = int.recv() => {}
                }
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// Binds the listening socket.
pub async fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr).await
}
