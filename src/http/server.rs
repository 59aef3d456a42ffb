//! The listener: accepts connections within the configured bounds (connections at once,
//! header size, time to send headers, time per request), serves HTTP/1.1 with hyper, logs
//! each request, and on shutdown stops accepting, answers the requests already sent, lets
//! in-flight responses finish, then returns.

use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};

use http::{Request, Response};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulConnection;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};

use super::body::Chunks;
use super::handler;
use super::state::State;

/// Answers one request from the current snapshot, and counts it.
fn answer(state: &State, request: &Request<Incoming>, peer: IpAddr) -> Response<handler::Body> {
    let started = Instant::now();
    let snapshot = state.snapshot.load();
    let proxy = snapshot
        .config()
        .server
        .proxies
        .contains(&peer.to_canonical());
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
            request.uri(),
            &handler::Head {
                method: request.method(),
                version: request.version(),
                headers: request.headers(),
                proxy,
            },
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
    state.metrics.request(route.as_str(), status);
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

/// Serves on `listener` until `shutdown` completes, then stops accepting, answers the requests
/// already sent, waits for in-flight responses (at most `grace`), and returns. What `shutdown`
/// gives names its cause (`SIGTERM`) in the log line saying the server is stopping.
pub async fn run(
    state: Arc<State>,
    listener: TcpListener,
    shutdown: impl Future<Output = &'static str>,
    grace: Duration,
) {
    let limits = state.config.server.clone();
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    // Turns true on shutdown; every connection holds a receiver until it ends.
    let (stopping, stop) = watch::channel(false);
    tokio::pin!(shutdown);
    let cause = loop {
        let permit = tokio::select! {
            permit = Arc::clone(&permits).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break "the connection limit closing",
            },
            cause = &mut shutdown => break cause,
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
            cause = &mut shutdown => break cause,
        };
        // A long body goes out in several writes; without this, the last small one of a
        // response would wait for the client's delayed acknowledgement of the one before.
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(%peer, "TCP_NODELAY not set: {e}");
        }
        let socket = Arc::new(stream);
        let busy = Arc::new(Busy::default());
        let state = Arc::clone(&state);
        let started = Arc::clone(&busy);
        let service = service_fn(move |request: Request<Incoming>| {
            started.start();
            let response = answer(&state, &request, peer.ip());
            // Nothing to take: a 304, a HEAD (hyper may never look at such a body).
            if response.body().is_empty() {
                started.body_taken();
            }
            let response = response.map(|body| Tracked {
                body,
                busy: Arc::clone(&started),
            });
            async move { Ok::<_, Infallible>(response) }
        });
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_read_timeout)
            .max_buf_size(16 * 1024)
            .keep_alive(true);
        let io = TokioIo::new(Socket {
            stream: Arc::clone(&socket),
            busy: Arc::clone(&busy),
        });
        let connection = builder.serve_connection(io, service);
        let mut stop = stop.clone();
        let limit = limits.request_timeout;
        tokio::spawn(async move {
            tokio::select! {
                outcome = serve(connection, &socket, &mut stop) => {
                    if let Err(e) = outcome {
                        tracing::debug!(%peer, "connection ended: {e}");
                    }
                }
                () = overdue(&busy, limit) => {
                    tracing::debug!(%peer, "request not answered within {limit:?}: connection cut");
                }
            }
            drop(stop);
            drop(permit);
        });
    };
    drop(listener);
    let open = limits
        .max_connections
        .saturating_sub(permits.available_permits());
    tracing::info!(
        connections = open,
        "shutdown signal received ({cause}): no new connections; finishing the requests of \
         {open} open connections, for up to {grace:?}"
    );
    stopping.send_replace(true);
    drop(stop);
    tokio::select! {
        () = stopping.closed() => tracing::info!("all connections finished"),
        () = tokio::time::sleep(grace) => tracing::warn!("connections still open after {grace:?}; stopping"),
    }
}

/// Serves `connection` until it ends. Once `stop` turns true, a request that has already
/// reached the socket is still read and answered (hyper closes a connection it holds idle at
/// once, which would leave such a request unanswered); then the response in progress is
/// finished, with `Connection: close`, and the connection closed.
async fn serve<C: GracefulConnection>(
    connection: C,
    socket: &TcpStream,
    stop: &mut watch::Receiver<bool>,
) -> Result<(), C::Error> {
    tokio::pin!(connection);
    tokio::select! {
        outcome = connection.as_mut() => return outcome,
        _ = stop.wait_for(|&stop| stop) => {}
    }
    let mut closing = false;
    std::future::poll_fn(|cx| {
        loop {
            if closing {
                return connection.as_mut().poll(cx);
            }
            if !request_waiting(socket, cx) {
                connection.as_mut().graceful_shutdown();
                closing = true;
                continue;
            }
            // Let hyper read it; once it has, nothing waits and hyper is told to close.
            match connection.as_mut().poll(cx) {
                Poll::Ready(outcome) => return Poll::Ready(outcome),
                Poll::Pending if request_waiting(socket, cx) => return Poll::Pending,
                Poll::Pending => {}
            }
        }
    })
    .await
}

/// Whether bytes the server has not read yet wait in the socket (without taking them).
fn request_waiting(socket: &TcpStream, cx: &mut Context<'_>) -> bool {
    let mut byte = [0u8; 1];
    let mut peeked = ReadBuf::new(&mut byte);
    matches!(socket.poll_peek(cx, &mut peeked), Poll::Ready(Ok(n)) if n > 0)
}

/// Since when a connection has been answering a request: set when a request reaches the
/// service, cleared once its response is written out. Idle time between requests is not
/// counted (`header_read_timeout` bounds it).
#[derive(Default)]
struct Busy(Mutex<Answering>);

#[derive(Default)]
struct Answering {
    since: Option<Instant>,
    /// Whether hyper has taken the whole body of the response in progress: a flush before
    /// that (between the chunks of a long body) does not end it.
    body_taken: bool,
}

impl Busy {
    fn start(&self) {
        if let Ok(mut answering) = self.0.lock() {
            *answering = Answering {
                since: Some(Instant::now()),
                body_taken: false,
            };
        }
    }

    fn body_taken(&self) {
        if let Ok(mut answering) = self.0.lock() {
            answering.body_taken = true;
        }
    }

    /// Everything hyper had to write is written: the response is sent if its body was all
    /// taken.
    fn flushed(&self) {
        if let Ok(mut answering) = self.0.lock() {
            if answering.body_taken {
                answering.since = None;
            }
        }
    }

    fn since(&self) -> Option<Instant> {
        self.0.lock().ok().and_then(|answering| answering.since)
    }
}

/// A response body that tells its connection when hyper has taken all of it.
struct Tracked {
    body: handler::Body,
    busy: Arc<Busy>,
}

impl http_body::Body for Tracked {
    type Data = Chunks;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Chunks>, Infallible>>> {
        let frame = ready!(Pin::new(&mut self.body).poll_frame(cx));
        if frame.is_none() || self.body.is_empty() {
            self.busy.body_taken();
        }
        Poll::Ready(frame)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

/// Resolves once one request has taken `limit` (`request_timeout`), its response included.
async fn overdue(busy: &Busy, limit: Duration) {
    loop {
        let wait = match busy.since() {
            Some(since) if since.elapsed() >= limit => return,
            Some(since) => limit - since.elapsed(),
            None => limit,
        };
        tokio::time::sleep(wait).await;
    }
}

/// A connection's socket as hyper reads and writes it, shared with the connection's task (which
/// looks into it on shutdown). hyper flushes only once everything it had to write is written,
/// so a flush marks the response in progress as sent. Shutting down the write side is left to
/// the close that follows when the connection's task ends.
struct Socket {
    stream: Arc<TcpStream>,
    busy: Arc<Busy>,
}

impl AsyncRead for Socket {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        loop {
            ready!(self.stream.poll_read_ready(cx))?;
            match self.stream.try_read(buf.initialize_unfilled()) {
                Ok(n) => {
                    buf.advance(n);
                    return Poll::Ready(Ok(()));
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
    }
}

impl AsyncWrite for Socket {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        loop {
            ready!(self.stream.poll_write_ready(cx))?;
            match self.stream.try_write(buf) {
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                written => return Poll::Ready(written),
            }
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        loop {
            ready!(self.stream.poll_write_ready(cx))?;
            match self.stream.try_write_vectored(bufs) {
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                written => return Poll::Ready(written),
            }
        }
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        self.busy.flushed();
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// Resolves when the process receives SIGTERM or SIGINT (Ctrl-C), to the signal's name. The
/// handlers are installed when this is called (inside the runtime), not when the future is
/// first polled, so a signal that comes early is not lost.
pub fn signal() -> impl Future<Output = &'static str> {
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
                    _ = term.recv() => "SIGTERM",
                    _ = int.recv() => "SIGINT",
                }
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
                "SIGINT"
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            "Ctrl-C"
        }
    }
}

/// Binds the listening socket.
pub async fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr).await
}
