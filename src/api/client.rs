//! The shared core of the client: one reqwest client (rustls, connection reuse), the URL
//! and its query (fresh `random` per call), the UserSig cache, the call budget, retries
//! with backoff for reads, per-call timeouts and the counters.
//!
//! Budget: the app's 200 calls/s limit is per SDKAppID and is shared with the customer's
//! production backend, so a support tool must take only a small, predictable slice of it.
//! The default is 20 calls/s (10% of the app's budget); `get_appid_group_list` has its own
//! service limit of 1 call/s, so it also passes a 1/s limiter of its own.

use std::num::NonZeroU32;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use backon::{ExponentialBuilder, Retryable};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::ApiError;
use super::types::CallStats;
use super::wire;
use super::{ClientConfig, Result};
use crate::usersig;

/// Default client-side budget, calls per second (a tenth of the app's shared 200/s).
pub const DEFAULT_BUDGET_PER_SEC: u32 = 20;
/// Default per-call timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default attempts for a retryable read (1 try + 2 retries).
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// Calls in flight at once for chunked requests (within the budget).
pub const CHUNK_CONCURRENCY: usize = 4;
/// Largest response body accepted (the service caps its answers at 1 MB, code 10018).
const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
/// First backoff delay; doubles with each retry, with jitter, up to `MAX_BACKOFF`.
const MIN_BACKOFF: Duration = Duration::from_millis(200);
const MAX_BACKOFF: Duration = Duration::from_secs(5);
/// Codes that say "too many calls", and the least wait after one.
const FREQUENCY_LIMIT_CODES: [i64; 5] = [60007, 60011, 60018, 60019, 10006];
const FREQUENCY_LIMIT_BACKOFF: Duration = Duration::from_secs(1);
/// Spacing of get_appid_group_list calls: the service allows 1 per second; a little more
/// keeps network jitter from bunching two calls into one of its seconds.
const GROUP_LIST_PERIOD: Duration = Duration::from_millis(1_100);

/// How the client signs: the validity it asks for, and an offset added to the local clock
/// (to reproduce a skewed host in tests and diagnostics).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientTuning {
    /// Validity of each UserSig the client makes, in seconds. Renewed at 80% of it.
    pub usersig_expire_secs: u64,
    /// Seconds added to the local clock when signing (negative = the past).
    pub clock_offset_secs: i64,
}

impl Default for ClientTuning {
    fn default() -> Self {
        ClientTuning {
            usersig_expire_secs: usersig::DEFAULT_EXPIRE_SECS,
            clock_offset_secs: 0,
        }
    }
}

/// Whether a call may be repeated when it fails transiently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Idempotent: retried with backoff on retryable failures.
    Read,
    /// Changes state: never retried.
    Write,
}

/// One REST endpoint.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    /// Short name for errors and logs, e.g. `get_group_msg_receipt`.
    pub api: &'static str,
    /// Path after the host, e.g. `v4/group_open_http_svc/get_group_msg_receipt`.
    pub path: &'static str,
    pub kind: Kind,
    /// Also take a token from the 1 call/s limiter (get_appid_group_list).
    pub one_per_sec: bool,
}

impl Endpoint {
    pub const fn read(api: &'static str, path: &'static str) -> Self {
        Endpoint {
            api,
            path,
            kind: Kind::Read,
            one_per_sec: false,
        }
    }

    pub const fn write(api: &'static str, path: &'static str) -> Self {
        Endpoint {
            api,
            path,
            kind: Kind::Write,
            one_per_sec: false,
        }
    }
}

struct CachedSig {
    sig: String,
    signed_at: u64,
    renew_at: u64,
}

#[derive(Default)]
struct Counters {
    in_flight: AtomicU32,
    total: AtomicU64,
    failed: AtomicU64,
    retries: AtomicU64,
    /// u64::MAX = no call finished yet.
    last_latency_ms: AtomicU64,
}

/// Decrements the in-flight counter however the attempt ends (including cancellation).
struct InFlight<'a>(&'a AtomicU32);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Shared state behind `Client`'s `Arc`.
pub struct Core {
    http: reqwest::Client,
    pub(crate) config: ClientConfig,
    base: String,
    tuning: ClientTuning,
    budget: DefaultDirectRateLimiter,
    one_per_sec: DefaultDirectRateLimiter,
    sig: Mutex<Option<CachedSig>>,
    counters: Counters,
}

impl Core {
    pub fn new(config: ClientConfig, tuning: ClientTuning) -> Result<Core> {
        let base = config.endpoint.trim().trim_end_matches('/').to_string();
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            return Err(ApiError::Invalid(format!(
                "endpoint {base:?} must start with https:// (or http:// for a local sandbox)"
            )));
        }
        if let Err(e) = reqwest::Url::parse(&base) {
            return Err(ApiError::Invalid(format!(
                "endpoint {base:?} is not a valid URL: {e}"
            )));
        }
        if config.secret_key.is_empty() {
            return Err(ApiError::Invalid(
                "no secret key configured: set secret_key, secret_key_env or secret_key_file in the profile, or TIM_SECRET_KEY"
                    .into(),
            ));
        }
        if config.identifier.is_empty() {
            return Err(ApiError::Invalid(
                "no admin identifier configured: set identifier in the profile or TIM_IDENTIFIER"
                    .into(),
            ));
        }
        let budget = NonZeroU32::new(config.budget_per_sec).ok_or_else(|| {
            ApiError::Invalid("the call budget must be at least 1 call per second".into())
        })?;
        if config.timeout.is_zero() {
            return Err(ApiError::Invalid(
                "the call timeout must be above zero".into(),
            ));
        }
        let http = reqwest::Client::builder()
            .user_agent(concat!("tim-receipts/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .pool_idle_timeout(Duration::from_secs(60))
            // A redirect would carry the UserSig in its query to another host.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| ApiError::Invalid(format!("cannot build the HTTP client: {e}")))?;
        Ok(Core {
            http,
            base,
            tuning,
            budget: RateLimiter::direct(Quota::per_second(budget)),
            one_per_sec: RateLimiter::direct(
                Quota::with_period(GROUP_LIST_PERIOD)
                    .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN)),
            ),
            sig: Mutex::new(None),
            counters: Counters {
                last_latency_ms: AtomicU64::new(u64::MAX),
                ..Counters::default()
            },
            config,
        })
    }

    pub fn stats(&self) -> CallStats {
        let c = &self.counters;
        let last = c.last_latency_ms.load(Ordering::Relaxed);
        CallStats {
            in_flight: c.in_flight.load(Ordering::Relaxed),
            total_calls: c.total.load(Ordering::Relaxed),
            failed_calls: c.failed.load(Ordering::Relaxed),
            retries: c.retries.load(Ordering::Relaxed),
            last_latency_ms: (last != u64::MAX).then_some(last),
        }
    }

    fn now(&self) -> u64 {
        usersig::now_unix().saturating_add_signed(self.tuning.clock_offset_secs)
    }

    /// The cached UserSig, renewed at 80% of its life (or when the clock went backwards).
    fn usersig(&self) -> String {
        let now = self.now();
        // A poisoned lock only means another thread panicked mid-update; the cache is
        // still a valid Option, so take it.
        let mut guard = self.sig.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(cached) = guard.as_ref()
            && now >= cached.signed_at
            && now < cached.renew_at
        {
            return cached.sig.clone();
        }
        let expire = self.tuning.usersig_expire_secs.max(1);
        let sig = usersig::generate_at(
            self.config.sdkappid,
            &self.config.secret_key,
            &self.config.identifier,
            expire,
            now,
            6,
        );
        *guard = Some(CachedSig {
            sig: sig.clone(),
            signed_at: now,
            renew_at: now + (expire * 8 / 10).max(1),
        });
        tracing::debug!(expire, "signed a new UserSig");
        sig
    }

    /// Make one call: the budget, then POST, then the envelope. Reads are retried with
    /// exponential backoff and jitter on retryable failures; writes never are.
    pub async fn call<T: DeserializeOwned>(&self, ep: Endpoint, body: &Value) -> Result<T> {
        let result = match ep.kind {
            Kind::Write => self.attempt(ep, body).await,
            Kind::Read => {
                let backoff = ExponentialBuilder::default()
                    .with_min_delay(MIN_BACKOFF)
                    .with_max_delay(MAX_BACKOFF)
                    .with_factor(2.0)
                    .with_jitter()
                    .with_max_times(self.config.max_attempts.saturating_sub(1) as usize);
                (|| self.attempt(ep, body))
                    .retry(backoff)
                    .when(ApiError::is_retryable)
                    // A frequency limit refills within a second: wait at least that long.
                    .adjust(|err, delay| {
                        delay.map(|d| {
                            if err
                                .code()
                                .is_some_and(|c| FREQUENCY_LIMIT_CODES.contains(&c))
                            {
                                d.max(FREQUENCY_LIMIT_BACKOFF)
                            } else {
                                d
                            }
                        })
                    })
                    .notify(|err, delay| {
                        self.counters.retries.fetch_add(1, Ordering::Relaxed);
                        tracing::warn!(api = ep.api, error = %err, ?delay, "retrying");
                    })
                    .await
            }
        };
        if let Err(e) = &result {
            self.counters.failed.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(api = ep.api, error = %e, "call failed");
        }
        result
    }

    async fn attempt<T: DeserializeOwned>(&self, ep: Endpoint, body: &Value) -> Result<T> {
        if ep.one_per_sec {
            self.one_per_sec.until_ready().await;
        }
        self.budget.until_ready().await;
        self.counters.in_flight.fetch_add(1, Ordering::Relaxed);
        let _in_flight = InFlight(&self.counters.in_flight);
        self.counters.total.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        let result = self.send(ep, body).await;
        let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX - 1);
        self.counters.last_latency_ms.store(ms, Ordering::Relaxed);
        tracing::debug!(api = ep.api, ms, ok = result.is_ok(), "call");
        result
    }

    async fn send<T: DeserializeOwned>(&self, ep: Endpoint, body: &Value) -> Result<T> {
        let api = ep.api;
        let mut url = reqwest::Url::parse(&format!("{}/{}", self.base, ep.path))
            .map_err(|e| ApiError::Invalid(format!("bad endpoint {:?}: {e}", self.base)))?;
        let random: u32 = rand::random();
        url.query_pairs_mut()
            .append_pair("sdkappid", &self.config.sdkappid.to_string())
            .append_pair("identifier", &self.config.identifier)
            .append_pair("usersig", &self.usersig())
            .append_pair("random", &random.to_string())
            .append_pair("contenttype", "json");
        let timeout = self.config.timeout;
        let map_err = |e: reqwest::Error| transport_error(api, timeout, e);
        let mut response = self
            .http
            .post(url)
            .json(body)
            .timeout(timeout)
            .send()
            .await
            .map_err(map_err)?;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(ApiError::Http { api, status });
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(map_err)? {
            if bytes.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(ApiError::Decode {
                    api,
                    detail: format!("response larger than {MAX_BODY_BYTES} bytes"),
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        wire::decode_response(api, &bytes)
    }
}

/// A reqwest error as an `ApiError`, without the URL (its query carries the UserSig).
fn transport_error(api: &'static str, timeout: Duration, e: reqwest::Error) -> ApiError {
    let e = e.without_url();
    if e.is_timeout() {
        return ApiError::Timeout {
            api,
            secs: timeout.as_secs().max(1),
        };
    }
    let mut detail = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        detail.push_str(": ");
        detail.push_str(&s.to_string());
        source = s.source();
    }
    if e.is_body() || e.is_decode() {
        ApiError::Decode { api, detail }
    } else {
        ApiError::Transport { api, detail }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> ClientConfig {
        ClientConfig {
            endpoint: "http://127.0.0.1:9/".into(),
            sdkappid: 1_400_000_000,
            identifier: "administrator".into(),
            secret_key: "k".into(),
            budget_per_sec: 20,
            timeout: Duration::from_secs(5),
            max_attempts: 3,
        }
    }

    #[test]
    fn sig_is_cached_and_renewed() {
        let core = Core::new(config(), ClientTuning::default()).unwrap();
        let a = core.usersig();
        assert_eq!(a, core.usersig());
        let doc =
            usersig::verify(&a, 1_400_000_000, "k", "administrator", usersig::now_unix()).unwrap();
        assert_eq!(doc.expire, usersig::DEFAULT_EXPIRE_SECS);
        // Force the renewal point into the past: the next call signs again.
        if let Some(c) = core.sig.lock().unwrap().as_mut() {
            c.renew_at = 0;
        }
        let b = core.usersig();
        let doc_b = usersig::decode(&b).unwrap();
        assert!(doc_b.time >= doc.time);
        let cached = core.sig.lock().unwrap();
        let cached = cached.as_ref().unwrap();
        assert_eq!(
            cached.renew_at - cached.signed_at,
            usersig::DEFAULT_EXPIRE_SECS * 8 / 10
        );
    }

    #[test]
    fn clock_offset_moves_the_signing_time() {
        let tuning = ClientTuning {
            usersig_expire_secs: 60,
            clock_offset_secs: -3600,
        };
        let core = Core::new(config(), tuning).unwrap();
        let doc = usersig::decode(&core.usersig()).unwrap();
        assert!(doc.is_expired(usersig::now_unix()));
    }

    #[test]
    fn rejects_bad_configuration() {
        let mut c = config();
        c.endpoint = "adminapisgp.im.qcloud.com".into();
        assert!(matches!(
            Core::new(c, ClientTuning::default()),
            Err(ApiError::Invalid(_))
        ));
        let mut c = config();
        c.budget_per_sec = 0;
        assert!(Core::new(c, ClientTuning::default()).is_err());
        let mut c = config();
        c.secret_key.clear();
        let msg = Core::new(c, ClientTuning::default())
            .err()
            .unwrap()
            .to_string();
        assert!(msg.contains("secret key"));
    }

    #[test]
    fn endpoint_slash_is_trimmed() {
        let core = Core::new(config(), ClientTuning::default()).unwrap();
        assert_eq!(core.base, "http://127.0.0.1:9");
    }
}
