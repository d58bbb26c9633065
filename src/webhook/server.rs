//! The HTTP side of the receiver: an axum router that verifies, parses and hands events on,
//! and `start`, which serves it on a socket until shut down.
//!
//! The handler never waits on whoever consumes the events: it offers each event to a
//! bounded channel with `try_send`, and when the channel is full or closed it counts a
//! drop and still answers OK at once. Requests are accepted on any path, so the console's
//! callback URL may carry one (`https://hooks.example.com/tim`) behind a proxy.

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use futures::StreamExt as _;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::ReceiptEvent;
use super::parse::{Callback, parse_callback};
use super::reject::{Envelope, Rejection};
use super::verify::{CallbackQuery, check_app, check_signature};

/// Default largest body accepted: 1 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;
/// Default freshness window for a signed request's `RequestTime`: the vendor's documented
/// 1 minute (reference §5).
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(60);
/// How long a client may take to send its body.
const BODY_TIMEOUT: Duration = Duration::from_secs(10);
/// How long `shutdown` waits for requests in flight before stopping the server anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// How a receiver checks what it is sent.
#[derive(Clone)]
pub struct ReceiverConfig {
    /// Our SDKAppID: callbacks for any other app are refused.
    pub sdkappid: u64,
    /// The console's callback authentication token. When set, `Sign` and `RequestTime` are
    /// required and checked; when not, they are ignored.
    pub token: Option<String>,
    /// How far `RequestTime` may be from our clock, either way (the vendor documents 1 minute).
    pub max_age: Duration,
    /// Largest body accepted, in bytes (larger ones get 413).
    pub body_limit: usize,
}

impl Default for ReceiverConfig {
    /// `sdkappid` 0 (set it: every real callback is refused otherwise), no token, 60 s, 1 MiB.
    fn default() -> Self {
        ReceiverConfig {
            sdkappid: 0,
            token: None,
            max_age: DEFAULT_MAX_AGE,
            body_limit: DEFAULT_BODY_LIMIT,
        }
    }
}

impl fmt::Debug for ReceiverConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReceiverConfig")
            .field("sdkappid", &self.sdkappid)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("max_age", &self.max_age)
            .field("body_limit", &self.body_limit)
            .finish()
    }
}

/// Running totals of what a receiver did, readable while it runs.
#[derive(Debug, Default)]
pub struct ReceiverStats {
    accepted: AtomicU64,
    ignored: AtomicU64,
    rejected: AtomicU64,
    dropped: AtomicU64,
}

/// A copy of [`ReceiverStats`] at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatsSnapshot {
    /// Read-receipt events accepted (including dropped ones).
    pub accepted: u64,
    /// Other callback commands, acknowledged and ignored.
    pub ignored: u64,
    /// Requests refused (bad signature, wrong app, malformed, ...).
    pub rejected: u64,
    /// Accepted events the consumer's channel could not take (full or closed).
    pub dropped: u64,
}

impl ReceiverStats {
    pub fn snapshot(&self) -> StatsSnapshot {
        StatsSnapshot {
            accepted: self.accepted.load(Ordering::Relaxed),
            ignored: self.ignored.load(Ordering::Relaxed),
            rejected: self.rejected.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
        }
    }
}

/// An accepted event with the body it came in, for `listen --record`.
#[derive(Debug, Clone)]
pub(crate) struct RawReceipt {
    pub event: ReceiptEvent,
    pub body: Bytes,
}

/// Where accepted events go.
#[derive(Clone)]
pub(crate) enum Delivery {
    Events(mpsc::Sender<ReceiptEvent>),
    WithBody(mpsc::Sender<RawReceipt>),
}

impl Delivery {
    /// Offer an event without waiting; `false` if it had to be dropped.
    fn offer(&self, event: ReceiptEvent, body: Bytes) -> bool {
        match self {
            Delivery::Events(tx) => tx.try_send(event).is_ok(),
            Delivery::WithBody(tx) => tx.try_send(RawReceipt { event, body }).is_ok(),
        }
    }
}

/// Called with every refusal (used by `listen` to report refusals on stderr).
pub(crate) type RefusalHook = Arc<dyn Fn(&Rejection) + Send + Sync>;

struct Shared {
    config: ReceiverConfig,
    delivery: Delivery,
    stats: Arc<ReceiverStats>,
    on_refusal: Option<RefusalHook>,
}

/// The receiver as an axum router (POST on any path), sending accepted events to `tx`.
pub fn router(config: ReceiverConfig, tx: mpsc::Sender<ReceiptEvent>) -> Router {
    build_router(config, Delivery::Events(tx), Arc::default(), None)
}

/// Like [`router`], counting into `stats`.
pub fn router_with_stats(
    config: ReceiverConfig,
    tx: mpsc::Sender<ReceiptEvent>,
    stats: Arc<ReceiverStats>,
) -> Router {
    build_router(config, Delivery::Events(tx), stats, None)
}

pub(crate) fn build_router(
    config: ReceiverConfig,
    delivery: Delivery,
    stats: Arc<ReceiverStats>,
    on_refusal: Option<RefusalHook>,
) -> Router {
    let shared = Arc::new(Shared {
        config,
        delivery,
        stats,
        on_refusal,
    });
    Router::new()
        .route("/", any(handle))
        .route("/{*path}", any(handle))
        .with_state(shared)
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    match receive(&shared, &method, &uri, &headers, body).await {
        Ok(()) => (StatusCode::OK, axum::Json(Envelope::ok())).into_response(),
        Err(rejection) => {
            shared.stats.rejected.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(
                kind = rejection.kind(),
                code = rejection.error_code(),
                path = uri.path(),
                "webhook request refused: {rejection}"
            );
            if let Some(hook) = &shared.on_refusal {
                hook(&rejection);
            }
            rejection.into_response()
        }
    }
}

/// Everything between the request and the answer; `Ok` means answer OK.
async fn receive(
    shared: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Body,
) -> Result<(), Rejection> {
    if method != Method::POST {
        return Err(Rejection::MethodNotAllowed(method.to_string()));
    }
    let config = &shared.config;
    let query = CallbackQuery::from_uri(uri);
    check_app(&query, config.sdkappid)?;
    check_signature(
        &query,
        config.token.as_deref(),
        config.max_age,
        crate::usersig::now_unix(),
    )?;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|len| len > config.body_limit as u64) {
        return Err(Rejection::TooLarge {
            limit: config.body_limit,
        });
    }
    let bytes = match tokio::time::timeout(BODY_TIMEOUT, read_body(body, config.body_limit)).await {
        Ok(result) => result?,
        Err(_elapsed) => return Err(Rejection::BodyTimeout(BODY_TIMEOUT.as_secs())),
    };
    let received_at_ms = now_ms();
    match parse_callback(&bytes, query.callback_command(), received_at_ms)? {
        Callback::Receipt(event) => {
            shared.stats.accepted.fetch_add(1, Ordering::Relaxed);
            let group = event.group_id.clone();
            if !shared.delivery.offer(event, bytes) {
                let dropped = shared.stats.dropped.fetch_add(1, Ordering::Relaxed) + 1;
                tracing::warn!(
                    group,
                    dropped,
                    "webhook event dropped: the consumer is not keeping up"
                );
            }
        }
        Callback::Other { command } => {
            shared.stats.ignored.fetch_add(1, Ordering::Relaxed);
            tracing::debug!(command, "webhook callback acknowledged and ignored");
        }
    }
    Ok(())
}

/// Collect the body, refusing it as soon as it passes `limit` bytes.
async fn read_body(body: Body, limit: usize) -> Result<Bytes, Rejection> {
    let mut stream = body.into_data_stream();
    let mut collected: Vec<u8> = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| Rejection::BodyUnreadable(e.to_string()))?;
        if collected.len().saturating_add(chunk.len()) > limit {
            return Err(Rejection::TooLarge { limit });
        }
        collected.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(collected))
}

/// Current Unix time in milliseconds.
pub(crate) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// A running receiver. Dropping it stops the server.
pub struct Receiver {
    addr: SocketAddr,
    cancel: CancellationToken,
    task: Option<JoinHandle<()>>,
    stats: Arc<ReceiverStats>,
}

impl Receiver {
    /// The bound address (with the real port when port 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://HOST:PORT`, the URL to point callbacks at.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// What the receiver has done so far.
    pub fn stats(&self) -> StatsSnapshot {
        self.stats.snapshot()
    }

    /// Stop accepting, let requests in flight finish (up to a few seconds), and wait.
    pub async fn shutdown(mut self) {
        self.cancel.cancel();
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(SHUTDOWN_GRACE, &mut task)
                .await
                .is_err()
        {
            task.abort();
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

/// Bind `bind` (port 0 picks a free port) and serve the receiver, sending accepted events
/// to `tx`.
pub async fn start(
    config: ReceiverConfig,
    bind: SocketAddr,
    tx: mpsc::Sender<ReceiptEvent>,
) -> anyhow::Result<Receiver> {
    start_with(config, bind, Delivery::Events(tx), None).await
}

pub(crate) async fn start_with(
    config: ReceiverConfig,
    bind: SocketAddr,
    delivery: Delivery,
    on_refusal: Option<RefusalHook>,
) -> anyhow::Result<Receiver> {
    let listener = tokio::net::TcpListener::bind(bind).await.with_context(|| {
        format!("cannot listen for webhooks on {bind}; is the port in use? choose another address")
    })?;
    let addr = listener
        .local_addr()
        .context("cannot read the webhook receiver's bound address")?;
    let stats = Arc::new(ReceiverStats::default());
    let app = build_router(config, delivery, Arc::clone(&stats), on_refusal);
    let cancel = CancellationToken::new();
    let stop = cancel.clone();
    let task = tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async move { stop.cancelled().await })
            .await;
        if let Err(e) = served {
            tracing::error!("webhook receiver on {addr} stopped: {e}");
        }
    });
    tracing::info!("webhook receiver listening on http://{addr}");
    Ok(Receiver {
        addr,
        cancel,
        task: Some(task),
        stats,
    })
}
