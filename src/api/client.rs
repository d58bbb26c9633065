//! The shared core of the client: one reqwest client (rustls, connection reuse), the URL
//! and its query (fresh `random` per call), the UserSig cache, the call budget (see
//! `budget`), the main and standby domains (see `domains`), retries with backoff for reads,
//! per-call timeouts and the counters.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use backon::{ExponentialBuilder, Retryable};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::budget::Budget;
use super::config::ClientConfig;
pub use super::config::{DEFAULT_MAX_ATTEMPTS, DEFAULT_TIMEOUT};
use super::domains::Domains;
pub use super::endpoint::{Endpoint, Kind};
use super::error::ApiError;
use super::error::NO_RECEIPT;
pub use super::limits::CHUNK_CONCURRENCY;
use super::result::Result;
use super::transport::{Failure, base_url, transport_error};
use super::types::CallStats;
use super::wire;
use crate::usersig;

/// Former name of [`super::budget::DEFAULT_API_BUDGET_PER_SEC`]: the pace of one API
/// (what a single-API drain runs at). The total ceiling is `DEFAULT_TOTAL_BUDGET_PER_SEC`.
pub const DEFAULT_BUDGET_PER_SEC: u32 = super::budget::DEFAULT_API_BUDGET_PER_SEC;
/// Largest response body accepted (the service caps its answers at 1 MB, code 10018).
const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
/// First backoff delay; doubles with each retry, with jitter, up to `MAX_BACKOFF`.
const MIN_BACKOFF: Duration = Duration::from_millis(200);
const MAX_BACKOFF: Duration = Duration::from_secs(5);
/// Codes that say "too many calls", and the least wait after one.
use crate::vendor::codes::FREQUENCY_LIMIT_CODES;
const FREQUENCY_LIMIT_BACKOFF: Duration = Duration::from_secs(1);

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
    domains: Domains,
    tuning: ClientTuning,
    budget: Budget,
    sig: Mutex<Option<CachedSig>>,
    counters: Counters,
}

impl Core {
    pub fn new(config: ClientConfig, tuning: ClientTuning) -> Result<Core> {
        let base = base_url("endpoint", &config.endpoint)?;
        let standby = match &config.standby_endpoint {
            Some(s) => Some(base_url("standby endpoint", s)?),
            None => None,
        };
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
        let budget =
            Budget::new(config.budget_per_sec, &config.api_budget).map_err(ApiError::Invalid)?;
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
        tracing::info!(endpoint = %base, standby = ?standby, "client endpoint");
        Ok(Core {
            http,
            domains: Domains::new(base, standby),
            tuning,
            budget,
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
            on_standby: self.domains.on_standby(Instant::now()),
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
    /// exponential backoff and jitter on retryable failures, and are tried once on the other
    /// domain when one cannot be reached; writes are never retried and always go to the
    /// main domain.
    pub async fn call<T: DeserializeOwned>(&self, ep: Endpoint, body: &Value) -> Result<T> {
        let result = match ep.kind {
            Kind::Write => self.write_once(ep, body).await,
            Kind::Read => {
                let backoff = ExponentialBuilder::default()
                    .with_min_delay(MIN_BACKOFF)
                    .with_max_delay(MAX_BACKOFF)
                    .with_factor(2.0)
                    .with_jitter()
                    .with_max_times(self.config.max_attempts.saturating_sub(1) as usize);
                (|| self.read_once(ep, body))
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
        match &result {
            // "This message has no read receipt" is an answer, not a failure.
            Err(e) if e.code() == Some(NO_RECEIPT) => {
                tracing::debug!(api = ep.api, "no read receipt (10062)");
            }
            Err(e) => {
                self.counters.failed.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(api = ep.api, error = %e, "call failed");
            }
            Ok(_) => {}
        }
        result
    }

    /// A write, on the main domain only. When it cannot be reached and a standby exists,
    /// the error says so (the user decides whether to send it there).
    async fn write_once<T: DeserializeOwned>(&self, ep: Endpoint, body: &Value) -> Result<T> {
        match self.attempt(self.domains.primary(), ep, body).await {
            Err(Failure {
                error,
                unreachable: true,
            }) => Err(match self.domains.standby() {
                Some(standby) => ApiError::NotFailedOver {
                    api: ep.api,
                    standby: standby.to_string(),
                    cause: Box::new(error),
                },
                None => error,
            }),
            other => other.map_err(|f| f.error),
        }
    }

    /// A read on the domain in use; when it cannot be reached, once on the other domain,
    /// which reads then keep using (see `Domains`).
    async fn read_once<T: DeserializeOwned>(&self, ep: Endpoint, body: &Value) -> Result<T> {
        let (base, other) = self.domains.for_read(Instant::now());
        let error = match (self.attempt(base, ep, body).await, other) {
            (
                Err(Failure {
                    error,
                    unreachable: true,
                }),
                Some(_),
            ) => error,
            (result, _) => {
                if base == self.domains.primary() {
                    // The main domain answered: a stay on the standby is over.
                    self.domains.answered(base, Instant::now());
                }
                return result.map_err(|f| f.error);
            }
        };
        let other = other.unwrap_or(base);
        self.counters.retries.fetch_add(1, Ordering::Relaxed);
        tracing::warn!(api = ep.api, domain = base, error = %error, then = other, "domain unreachable; trying the other domain once");
        match self.attempt(other, ep, body).await {
            Err(f) if f.unreachable => {
                tracing::warn!(api = ep.api, domain = other, error = %f.error, "the other domain is unreachable too");
                Err(error)
            }
            result => {
                self.domains.answered(other, Instant::now());
                result.map_err(|f| f.error)
            }
        }
    }

    /// One HTTP exchange with `base`, within the budget.
    async fn attempt<T: DeserializeOwned>(
        &self,
        base: &str,
        ep: Endpoint,
        body: &Value,
    ) -> std::result::Result<T, Failure> {
        self.budget.acquire(&ep).await;
        self.counters.in_flight.fetch_add(1, Ordering::Relaxed);
        let _in_flight = InFlight(&self.counters.in_flight);
        self.counters.total.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        let result = self.send(base, ep, body).await;
        let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX - 1);
        self.counters.last_latency_ms.store(ms, Ordering::Relaxed);
        tracing::debug!(api = ep.api, ms, ok = result.is_ok(), "call");
        result
    }

    async fn send<T: DeserializeOwned>(
        &self,
        base: &str,
        ep: Endpoint,
        body: &Value,
    ) -> std::result::Result<T, Failure> {
        let api = ep.api;
        let mut url = reqwest::Url::parse(&format!("{base}/{}", ep.path))
            .map_err(|e| ApiError::Invalid(format!("bad endpoint {base:?}: {e}")))?;
        let host = match (url.host_str(), url.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_string(),
            (None, _) => base.to_string(),
        };
        let https = url.scheme() == "https";
        let random: u32 = rand::random();
        url.query_pairs_mut()
            .append_pair("sdkappid", &self.config.sdkappid.to_string())
            .append_pair("identifier", &self.config.identifier)
            .append_pair("usersig", &self.usersig())
            .append_pair("random", &random.to_string())
            .append_pair("contenttype", "json");
        let timeout = self.config.timeout;
        let mut response = self
            .http
            .post(url)
            .json(body)
            .timeout(timeout)
            .send()
            .await
            .map_err(|e| transport_error(api, &host, https, timeout, e))?;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(ApiError::Http { api, status }.into());
        }
        let mut bytes = Vec::new();
        // The server was reached: a failure from here on is not a reason to change domain.
        let body_error = |e| transport_error(api, &host, https, timeout, e).error;
        while let Some(chunk) = response.chunk().await.map_err(body_error)? {
            if bytes.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(ApiError::Decode {
                    api,
                    detail: format!("response larger than {MAX_BODY_BYTES} bytes"),
                }
                .into());
            }
            bytes.extend_from_slice(&chunk);
        }
        wire::decode_response(api, &bytes).map_err(Failure::from)
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
            ..ClientConfig::default()
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
        assert_eq!(core.domains.primary(), "http://127.0.0.1:9");
    }
}
