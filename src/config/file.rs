//! The config file as written ([`ConfigFile`], its [`Profile`] tables) and where it is
//! ([`ConfigPath`]): plain data the other config files share.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use serde::Deserialize;

/// The config file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub default_profile: Option<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// One `[profiles.NAME]` table. Every field is optional here; what is required is checked
/// when the settings are resolved.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub sdkappid: Option<u64>,
    pub identifier: Option<String>,
    pub region: Option<String>,
    pub endpoint: Option<String>,
    pub secret_key: Option<String>,
    pub secret_key_env: Option<String>,
    pub secret_key_file: Option<PathBuf>,
    pub read_only: Option<bool>,
    /// The total ceiling, calls per second across all APIs.
    pub budget: Option<u32>,
    /// `[profiles.X.api_budget]`: calls per second for named APIs.
    pub api_budget: Option<BTreeMap<String, u32>>,
    /// The standby domain for reads when the main one cannot be reached ("" = none).
    pub standby_endpoint: Option<String>,
    pub timeout_secs: Option<u64>,
    pub max_attempts: Option<u32>,
    pub webhook_token: Option<String>,
    pub webhook_token_env: Option<String>,
    pub webhook_listen: Option<String>,
    /// Whether webhook receivers store events (the incident store; default true).
    pub store: Option<bool>,
    /// Days of history the store keeps (0: no age limit).
    pub store_retention_days: Option<u32>,
    /// Largest size of the store's data in MiB (0: no size limit).
    pub store_max_mb: Option<u64>,
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redact = |o: &Option<String>| o.as_ref().map(|_| "<redacted>");
        f.debug_struct("Profile")
            .field("sdkappid", &self.sdkappid)
            .field("identifier", &self.identifier)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("secret_key", &redact(&self.secret_key))
            .field("secret_key_env", &self.secret_key_env)
            .field("secret_key_file", &self.secret_key_file)
            .field("read_only", &self.read_only)
            .field("budget", &self.budget)
            .field("api_budget", &self.api_budget)
            .field("standby_endpoint", &self.standby_endpoint)
            .field("timeout_secs", &self.timeout_secs)
            .field("max_attempts", &self.max_attempts)
            .field("webhook_token", &redact(&self.webhook_token))
            .field("webhook_token_env", &self.webhook_token_env)
            .field("webhook_listen", &self.webhook_listen)
            .field("store", &self.store)
            .field("store_retention_days", &self.store_retention_days)
            .field("store_max_mb", &self.store_max_mb)
            .finish()
    }
}

impl ConfigFile {
    /// True when the file itself holds a secret (a key or a webhook token).
    pub fn bears_secrets(&self) -> bool {
        self.profiles
            .values()
            .any(|p| p.secret_key.is_some() || p.webhook_token.is_some())
    }
}

/// Where the config file is and why.
#[derive(Debug, Clone)]
pub struct ConfigPath {
    pub path: PathBuf,
    /// "--config / TIM_RECEIPTS_CONFIG" or "default XDG path".
    pub why: &'static str,
    pub explicit: bool,
}
