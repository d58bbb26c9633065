//! How to run a sandbox, and the one check of each range it takes.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;

use super::faults::FaultKind;
use super::ratelimit::RateLimits;

/// SDKAppID the sandbox serves unless told otherwise.
pub const DEFAULT_SDKAPPID: u64 = 1_400_000_000;
/// The app admin account of the sandbox.
pub const DEFAULT_ADMIN: &str = "administrator";
/// The sandbox's fixed secret key (public on purpose: the sandbox guards nothing).
pub const DEFAULT_KEY: &str = "5andb0x5ecretkey0000000000000000000000000000000000000000000000000";
/// The seed of the one demo world every `--demo` run and plain `sandbox` show.
pub const DEFAULT_SEED: u64 = 20_261_122;

/// True when `p` is a fraction of calls that may fail: 0 to 1.
pub fn fail_rate_is_valid(p: f64) -> bool {
    (0.0..=1.0).contains(&p)
}

/// True when `rate` is a pace of simulated activity: 0 (off) or 0.01 to 1000 reads per
/// second.
pub fn activity_is_valid(rate: f64) -> bool {
    rate == 0.0 || (0.01..=1000.0).contains(&rate)
}

/// How to run a sandbox.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    pub listen: SocketAddr,
    pub sdkappid: u64,
    pub key: String,
    pub admin: String,
    /// Seed of the generated demo world (ignored when a world is given to `start_with_world`);
    /// also seeds the fault and activity RNGs.
    pub seed: u64,
    /// Added latency per request, and random extra latency up to `jitter`.
    pub latency: Duration,
    pub jitter: Duration,
    /// Fraction of calls (0–1) that fail in one of the fault modes.
    pub fail_rate: f64,
    /// How long a "stall" fault holds the request before answering.
    pub stall: Duration,
    /// The pace of simulated activity: at most this many reads per second, and at 5 the demo
    /// world runs in real time (faster above, slower below); 0 = no activity.
    pub activity: f64,
    /// Where to POST Group.CallbackAfterReadReceipt, and the token to sign with.
    pub callback_url: Option<String>,
    pub callback_token: Option<String>,
    /// The fault modes `fail_rate` chooses from (default: all five).
    pub fault_kinds: Vec<FaultKind>,
    /// Per-API call limits (default: the service's 200/s, 1/s for get_appid_group_list).
    pub rate_limits: RateLimits,
    /// How long read events are gathered into one callback per group.
    pub callback_batch: Duration,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            sdkappid: DEFAULT_SDKAPPID,
            key: DEFAULT_KEY.to_string(),
            admin: DEFAULT_ADMIN.to_string(),
            seed: DEFAULT_SEED,
            latency: Duration::ZERO,
            jitter: Duration::ZERO,
            fail_rate: 0.0,
            stall: Duration::from_secs(60),
            activity: 0.0,
            callback_url: None,
            callback_token: None,
            fault_kinds: FaultKind::ALL.to_vec(),
            rate_limits: RateLimits::default(),
            callback_batch: Duration::from_millis(200),
        }
    }
}

impl SandboxConfig {
    /// Refuse a configuration the sandbox cannot run: a fail rate or activity out of range,
    /// a callback URL that is not http(s).
    pub fn check(&self) -> anyhow::Result<()> {
        if !fail_rate_is_valid(self.fail_rate) {
            anyhow::bail!(
                "fail rate (--fail-rate) {} is out of range: give a fraction between 0 and 1",
                self.fail_rate
            );
        }
        if !activity_is_valid(self.activity) {
            anyhow::bail!(
                "activity (--activity) {} is invalid: give reads per second, 0 (off) or 0.01 to 1000",
                self.activity
            );
        }
        if let Some(url) = &self.callback_url {
            let parsed = reqwest::Url::parse(url)
                .with_context(|| format!("callback URL {url:?} is not a valid URL"))?;
            if !matches!(parsed.scheme(), "http" | "https") {
                anyhow::bail!("callback URL {url:?} must start with http:// or https://");
            }
        }
        Ok(())
    }
}
