//! The HTTP side of the receiver: an axum router that verifies, parses and hands events on,
//! and `start`, which serves it on a socket until shut down (connection cap and timeouts:
//! see [`super::conn`]).
//!
//! The handler never waits on whoever consumes the events: it offers each event to a
//! bounded channel with `try_send`, and when the channel is full or closed it counts a
//! drop and still answers OK at once. Requests are accepted on any path, so the console's
//! callback URL may carry one (`https://hooks.example.com/tim`) behind a proxy.

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

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

use crate::store::Store;

use super::conn::{self, ConnReport, Limits};
use super::event::ReceiptEvent;
use super::parse::{Callback, parse_callback};
use super::reject::{Envelope, Rejection};
pub use super::stats::{ReceiverStats, StatsSnapshot};
use super::storing;
use super::throttle::{Admit, LogBudget, quoted};
use super::verify::{CallbackQuery, check_app, check_signature};

/// Default largest body accepted: 1 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;
/// Default freshness window for a signed request's `RequestTime`: the vendor's documented
/// 1 minute.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(60);
/// How long a client may take to send its body.
const BODY_TIMEOUT: Duration = Duration::from_secs(10);
/// How long `shutdown` waits for requests in flight before stopping the server anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// Default cap on connections served at once (more are refused with 503, newest first).
pub const DEFAULT_MAX_CONNECTIONS: usize = 256;
/// Default time a connection has to send a request's complete headers, from its opening
/// or from its previous answer (so also how long an idle keep-alive connection is kept).
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);

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
    /// Connections served at once; a connection beyond it is answered 503 and closed.
    pub max_connections: usize,
    /// Time a connection has to send a request's complete headers, from its opening or
    /// its previous answer; idle and slow connections are closed when it runs out.
    pub header_timeout: Duration,
    /// The incident store: when set, each read-receipt event is committed to it before the
    /// answer, and an event it cannot commit is answered 500 (ErrorCode 50001).
    pub store: Option<Store>,
}

impl Default for ReceiverConfig {
    /// `sdkappid` 0 (set it: every real callback is refused otherwise), no token, 60 s, 1 MiB,
    /// 256 connections, 10 s for headers, no store.
    fn default() -> Self {
        ReceiverConfig {
            sdkappid: 0,
            token: None,
            max_age: DEFAULT_MAX_AGE,
            body_limit: DEFAULT_BODY_LIMIT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            store: None,
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
            .field("max_connections", &self.max_connections)
            .field("header_timeout", &self.header_timeout)
            .field(
                "store",
                &self.store.as_ref().map(|s| s.path().display().to_string()),
            )
            .finish()
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

/// A warning the line budget let through, for `listen`'s stderr.
pub(crate) enum Report<'a> {
    /// A refused request.
    Refused(&'a Rejection),
    /// What the budget held back ("N more receiver warnings were not logged ...").
    HeldBack(&'a str),
}

/// Called with each refusal and summary the line budget lets through (used by `listen` to
/// report them on stderr).
pub(crate) type RefusalHook = Arc<dyn Fn(Report<'_>) + Send + Sync>;

pub(crate) struct Shared {
    config: ReceiverConfig,
    delivery: Delivery,
    pub(super) stats: Arc<ReceiverStats>,
    on_refusal: Option<RefusalHook>,
    pub(super) budget: LogBudget,
}

impl Shared {
    pub(super) fn report_summary(&self, summary: &str) {
        if let Some(hook) = &self.on_refusal {
            hook(Report::HeldBack(summary));
        }
    }

    /// A warning line through the line budget: logged (after the summary of what the
    /// last window held back, if any) or only counted. `true` if it was logged.
    pub(super) fn warn(&self, kind: &'static str, line: impl FnOnce() -> String) -> bool {
        match self.budget.admit(kind, Instant::now()) {
            Admit::Log { summary } => {
                if let Some(summary) = summary {
                    tracing::warn!("{summary}");
                    self.report_summary(&summary);
                }
                tracing::warn!(kind, "{}", line());
                true
            }
            Admit::Quiet => {
                self.stats
                    .warnings_held_back
                    .fetch_add(1, Ordering::Relaxed);
                false
            }
        }
    }

    /// A refusal, through the line budget: to the log and the hook, or only counted.
    fn report_refusal(&self, rejection: &Rejection, path: &str) {
        let logged = self.warn(rejection.kind(), || {
            format!(
                "webhook request refused (ErrorCode {}, path {}): {rejection}",
                rejection.error_code(),
                quoted(path, 100)
            )
        });
        if logged && let Some(hook) = &self.on_refusal {
            hook(Report::Refused(rejection));
        }
    }

    /// At the stop: what the budget held back since its last summary.
    fn flush_warnings(&self) {
        if let Some(summary) = self.budget.flush(Instant::now()) {
            tracing::warn!("{summary}");
            self.report_summary(&summary);
        }
    }
}

impl ConnReport for Shared {
    fn stats(&self) -> Arc<ReceiverStats> {
        Arc::clone(&self.stats)
    }

    fn warn(&self, kind: &'static str, line: &dyn Fn() -> String) -> bool {
        Shared::warn(self, kind, line)
    }
}

/// The receiver as an axum router (POST on any path), sending accepted events to `tx`.
/// Mounted in another server, the connection cap and timeouts of [`start`] are that
/// server's to set.
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

fn build_router(
    config: ReceiverConfig,
    delivery: Delivery,
    stats: Arc<ReceiverStats>,
    on_refusal: Option<RefusalHook>,
) -> Router {
    router_for(Arc::new(Shared {
        config,
        delivery,
        stats,
        on_refusal,
        budget: LogBudget::default(),
    }))
}

fn router_for(shared: Arc<Shared>) -> Router {
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
            // A valid event the store could not take is counted by the store's health.
            if !matches!(rejection, Rejection::NotStored(_)) {
                shared.stats.rejected.fetch_add(1, Ordering::Relaxed);
            }
            shared.report_refusal(&rejection, uri.path());
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
    // The signature first: nothing about our app is said to a sender who has not shown
    // the token (and the 403 never names our SDKAppID anyway).
    check_signature(
        &query,
        config.token.as_deref(),
        config.max_age,
        crate::usersig::now_unix(),
    )?;
    check_app(&query, config.sdkappid)?;
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
            // The live view gets the event first: it keeps working when storing fails.
            let to_store = config
                .store
                .as_ref()
                .map(|store| (store, storing::new_event(&event, &bytes, received_at_ms)));
            if !shared.delivery.offer(event, bytes) {
                let dropped = shared.stats.dropped.fetch_add(1, Ordering::Relaxed) + 1;
                shared.warn("dropped", || {
                    format!(
                        "webhook event dropped ({dropped} so far): the consumer is not keeping up; group {}",
                        quoted(&group, 80)
                    )
                });
            }
            if let Some((store, new)) = to_store {
                storing::commit(store, new, |line| {
                    shared.warn("not_stored", || line);
                })
                .await?;
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
    checks_sign: bool,
    store: Option<Store>,
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

    /// What the receiver has done so far, with the store's health when it stores
    /// (`store.failing`: the last commit failed).
    pub fn stats(&self) -> StatsSnapshot {
        storing::with_health(self.stats.snapshot(), self.store.as_ref())
    }

    /// Whether callbacks must carry a valid `Sign` (a token is configured). Without one,
    /// anyone who can reach the port can post receipts.
    pub fn checks_sign(&self) -> bool {
        self.checks_sign
    }

    /// Stop accepting, let requests in flight finish (up to a few seconds; then their
    /// connections are closed), and wait. What the receiver did, in the end.
    pub async fn shutdown(mut self) -> StatsSnapshot {
        self.cancel.cancel();
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(SHUTDOWN_GRACE, &mut task)
                .await
                .is_err()
        {
            task.abort();
            let _ = task.await;
        }
        self.stats()
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
    let limits = Limits {
        max_connections: config.max_connections,
        header_timeout: config.header_timeout,
    };
    let checks_sign = config.token.is_some();
    let store = config.store.clone();
    let shared = Arc::new(Shared {
        config,
        delivery,
        stats: Arc::clone(&stats),
        on_refusal,
        budget: LogBudget::default(),
    });
    let app = router_for(Arc::clone(&shared));
    let cancel = CancellationToken::new();
    let stop = cancel.clone();
    let task = tokio::spawn(async move {
        conn::serve(listener, app, Arc::clone(&shared) as _, limits, stop).await;
        shared.flush_warnings();
        tracing::info!("webhook receiver on {addr} stopped");
    });
    tracing::info!("webhook receiver listening on http://{addr}");
    Ok(Receiver {
        addr,
        cancel,
        task: Some(task),
        stats,
        checks_sign,
        store,
    })
}
