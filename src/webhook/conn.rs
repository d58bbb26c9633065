//! The receiver's connections: accepting, the connection cap, and the timeouts that keep
//! idle and slow clients from holding it.
//!
//! - At most `max_connections` connections are served at once. When they are all taken, a
//!   new connection is answered `503` at once and closed: the newest is refused first, so
//!   connections already open (the service's persistent one) keep working during a flood.
//! - A connection must deliver the complete headers of a request within `header_timeout`
//!   of opening or of its previous answer: idle sockets, idle keep-alive connections and
//!   slowloris clients that dribble header bytes are all closed then.
//! - A body must arrive within 10 s (checked by the handler); an answer the client does not
//!   read within [`WRITE_TIMEOUT`] closes the connection.
//! - A refused request's answer carries `Connection: close`, so forged traffic cannot keep
//!   a connection either.
//!
//! HTTP/1.1 only (what the service and reverse proxies speak to a backend).

use std::future::Future as _;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::Sleep;
use tokio_util::sync::CancellationToken;

use super::reject::Rejection;
use super::stats::ReceiverStats;

/// What [`serve`] reports to: the receiver's counters, and warning lines through its line
/// budget.
pub(crate) trait ConnReport: Send + Sync {
    fn stats(&self) -> Arc<ReceiverStats>;
    /// Log `line()` unless the budget for `kind` is spent; `true` if it was logged.
    fn warn(&self, kind: &'static str, line: &dyn Fn() -> String) -> bool;
}

/// How long an answer may wait for the client to read it.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Pause after an accept error that is not about one connection (e.g. out of file
/// descriptors), so the loop does not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);
/// Largest read buffer per connection (request headers must fit in it).
const MAX_BUF: usize = 64 * 1024;

/// The limits a receiver serves under.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub max_connections: usize,
    pub header_timeout: Duration,
}

/// Serve `app` on `listener` until `stop`, then let connections finish their requests (they
/// are aborted if the task is).
pub(crate) async fn serve(
    listener: TcpListener,
    app: Router,
    shared: Arc<dyn ConnReport>,
    limits: Limits,
    stop: CancellationToken,
) {
    let max = limits.max_connections.max(1);
    let slots = Arc::new(Semaphore::new(max));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(MAX_BUF);
    let mut connections = JoinSet::new();
    loop {
        while connections.try_join_next().is_some() {}
        let accepted = tokio::select! {
            () = stop.cancelled() => break,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _peer)) => stream,
            Err(e) if is_per_connection(&e) => continue,
            Err(e) => {
                shared.warn("accept_error", &|| {
                    format!("webhook receiver cannot accept a connection: {e}")
                });
                tokio::select! {
                    () = stop.cancelled() => break,
                    () = tokio::time::sleep(ACCEPT_BACKOFF) => continue,
                }
            }
        };
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            refuse(&stream, max);
            let refused = shared
                .stats()
                .connections_refused
                .fetch_add(1, Ordering::Relaxed)
                + 1;
            shared.warn("connection_cap", &|| {
                format!(
                    "webhook connection refused: {max} connections are open, the most allowed ({refused} refused so far)"
                )
            });
            continue;
        };
        let _ = stream.set_nodelay(true);
        let io = TokioIo::new(WriteTimeout::new(stream, WRITE_TIMEOUT));
        let conn = http.serve_connection(io, TowerToHyperService::new(app.clone()));
        let stop = stop.clone();
        let open = OpenGuard::new(shared.stats());
        connections.spawn(async move {
            let _slot = slot;
            let _open = open;
            tokio::pin!(conn);
            let result = tokio::select! {
                result = conn.as_mut() => result,
                () = stop.cancelled() => {
                    conn.as_mut().graceful_shutdown();
                    conn.await
                }
            };
            if let Err(e) = result {
                tracing::debug!("webhook connection closed: {e}");
            }
        });
    }
    drop(listener);
    while connections.join_next().await.is_some() {}
}

/// Errors of one connection (the next accept may well succeed).
fn is_per_connection(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// Answer 503 without waiting and close (dropping the stream closes it).
fn refuse(stream: &TcpStream, max: usize) {
    let rejection = Rejection::TooManyConnections(max);
    let body = serde_json::to_string(&rejection.envelope()).unwrap_or_default();
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\nretry-after: 1\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.try_write(answer.as_bytes());
}

/// Counts a connection as open while it lives.
struct OpenGuard(Arc<ReceiverStats>);

impl OpenGuard {
    fn new(stats: Arc<ReceiverStats>) -> Self {
        stats.connections_open.fetch_add(1, Ordering::Relaxed);
        OpenGuard(stats)
    }
}

impl Drop for OpenGuard {
    fn drop(&mut self) {
        self.0.connections_open.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A stream whose writes fail with `TimedOut` once one has waited `timeout` for the peer
/// to read (a client that sends requests but never reads the answers).
pub(crate) struct WriteTimeout<T> {
    inner: T,
    timeout: Duration,
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<T> WriteTimeout<T> {
    pub(crate) fn new(inner: T, timeout: Duration) -> Self {
        WriteTimeout {
            inner,
            timeout,
            stalled: None,
        }
    }

    /// After the inner stream said Pending: start or check the stall timer.
    fn pending<R>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<R>> {
        let timeout = self.timeout;
        let timer = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client did not read the answer in time",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn progress<R>(
        &mut self,
        poll: Poll<io::Result<R>>,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<R>> {
        match poll {
            Poll::Ready(result) => {
                self.stalled = None;
                Poll::Ready(result)
            }
            Poll::Pending => self.pending(cx),
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for WriteTimeout<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for WriteTimeout<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.progress(poll, cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.progress(poll, cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_flush(cx);
        this.progress(poll, cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_shutdown(cx);
        this.progress(poll, cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    #[tokio::test]
    async fn a_write_nobody_reads_times_out() {
        let (near, _far) = tokio::io::duplex(64);
        let mut stream = WriteTimeout::new(near, Duration::from_millis(50));
        let started = std::time::Instant::now();
        let result = tokio::time::timeout(Duration::from_secs(10), stream.write_all(&[b'x'; 4096]))
            .await
            .expect("the write was not cut off");
        let err = result.expect_err("the write cannot complete");
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!(started.elapsed() >= Duration::from_millis(50));
    }

    #[tokio::test]
    async fn writes_that_progress_do_not_time_out() {
        use tokio::io::AsyncReadExt;
        let (near, mut far) = tokio::io::duplex(64);
        let reader = tokio::spawn(async move {
            let mut got = Vec::new();
            far.read_to_end(&mut got).await.map(|_| got.len())
        });
        let mut stream = WriteTimeout::new(near, Duration::from_millis(200));
        stream.write_all(&[b'x'; 64 * 1024]).await.unwrap();
        stream.shutdown().await.unwrap();
        drop(stream);
        assert_eq!(reader.await.unwrap().unwrap(), 64 * 1024);
    }
}
