//! What a [`Client`](super::Client) is built from: the service's address, the app and its
//! key, the call budget, the timeout and the retries, with their defaults.

use std::collections::BTreeMap;
use std::time::Duration;

use super::budget::DEFAULT_TOTAL_BUDGET_PER_SEC;

/// Default per-call timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default attempts for a retryable read (1 try + 2 retries).
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;

/// Everything needed to build a [`Client`](super::Client). `Default` gives the default
/// budget, timeout and attempts, with no endpoint, app, identifier or key.
#[derive(Clone)]
pub struct ClientConfig {
    /// Base URL, e.g. `https://adminapisgp.im.qcloud.com` or `http://127.0.0.1:PORT`.
    pub endpoint: String,
    pub sdkappid: u64,
    /// The app admin account used as `identifier`.
    pub identifier: String,
    /// The app's secret key. Never logged or displayed.
    pub secret_key: String,
    /// Client-side call budget: the total ceiling, calls per second across all APIs.
    pub budget_per_sec: u32,
    /// Per-call timeout.
    pub timeout: Duration,
    /// Attempts for retryable read failures (1 = no retry).
    pub max_attempts: u32,
    /// Calls per second for named APIs (e.g. `get_group_member_info`), at most the vendor's
    /// figure; the others get `min(vendor, DEFAULT_API_BUDGET_PER_SEC)`.
    pub api_budget: BTreeMap<String, u32>,
    /// The standby domain reads move to when `endpoint` cannot be reached (None: no failover).
    pub standby_endpoint: Option<String>,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            endpoint: String::new(),
            sdkappid: 0,
            identifier: String::new(),
            secret_key: String::new(),
            budget_per_sec: DEFAULT_TOTAL_BUDGET_PER_SEC,
            timeout: DEFAULT_TIMEOUT,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            api_budget: BTreeMap::new(),
            standby_endpoint: None,
        }
    }
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("endpoint", &self.endpoint)
            .field("sdkappid", &self.sdkappid)
            .field("identifier", &self.identifier)
            .field("secret_key", &"<redacted>")
            .field("budget_per_sec", &self.budget_per_sec)
            .field("timeout", &self.timeout)
            .field("max_attempts", &self.max_attempts)
            .field("api_budget", &self.api_budget)
            .field("standby_endpoint", &self.standby_endpoint)
            .finish()
    }
}
