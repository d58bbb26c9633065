//! What the command line (or any caller) sets above the environment and the profile.

use std::path::PathBuf;

/// Settings given by the caller, each overriding the environment and the profile when set.
/// The command line fills it from its global flags; tests and embedders build it directly.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Config file (default: the XDG path).
    pub config: Option<PathBuf>,
    /// Profile in the config file (default: the file's `default_profile`, else "default").
    pub profile: Option<String>,
    /// Run against a built-in sandbox with a demo world: no account, no config needed.
    pub demo: bool,
    /// Refuse every write (also a per-profile setting).
    pub read_only: bool,
    pub sdkappid: Option<u64>,
    /// The app admin identifier.
    pub identifier: Option<String>,
    /// A region name (see [`super::REGIONS`]).
    pub region: Option<String>,
    /// An explicit endpoint URL (overrides the region).
    pub endpoint: Option<String>,
    /// Total call budget in calls per second, all APIs together.
    pub budget: Option<u32>,
    /// Directory of the incident stores (default: `$XDG_STATE_HOME/tim-receipts/store`).
    pub store_dir: Option<PathBuf>,
    /// Log verbosity for the log file: error, warn, info, debug, trace.
    pub log_level: Option<String>,
}
