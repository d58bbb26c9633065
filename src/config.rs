//! Profiles, regions and standby domains, the call budget, secret sources, XDG paths,
//! environment overrides.
//!
//! Precedence: flags > environment (`TIM_*`) > the profile > defaults. The secret key has
//! no flag (it would land in shell history): `TIM_SECRET_KEY`, else the profile's
//! `secret_key`, `secret_key_env` or `secret_key_file` (exactly one).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{anyhow, bail};

use crate::api::{
    ClientConfig, DEFAULT_MAX_ATTEMPTS, DEFAULT_TIMEOUT, DEFAULT_TOTAL_BUDGET_PER_SEC,
};

mod check;
mod file;
mod limits;
mod overrides;
mod paths;
mod regions;
mod sourced;
mod sources;
mod store;

pub use check::{check_private, load, parse};
pub use file::{ConfigFile, ConfigPath, Profile};
pub use limits::MAX_BUDGET;
pub use overrides::Overrides;
pub use paths::{cache_dir, default_config_path, state_dir};
use regions::region_names;
pub use regions::{REGIONS, Region, region};
pub use sourced::{Secret, Source, Sourced};
pub use sources::expand_path;
use sources::{resolve_endpoint, resolve_key, resolve_standby, resolve_webhook_token};
pub use store::StoreSettings;

/// The effective settings of one profile.
#[derive(Debug, Clone)]
pub struct Settings {
    pub config: Option<ConfigPath>,
    /// True when the config file existed and was read.
    pub config_loaded: bool,
    pub profile: Sourced<String>,
    pub sdkappid: Option<Sourced<u64>>,
    pub identifier: Option<Sourced<String>>,
    /// `(endpoint URL, location label)`.
    pub endpoint: Option<Sourced<(String, String)>>,
    /// The standby domain for reads (None: no failover; the source says why).
    pub standby: Sourced<Option<String>>,
    /// The key, or why there is none (a one-line message).
    pub secret_key: Result<Sourced<Secret>, String>,
    pub read_only: Sourced<bool>,
    /// The total ceiling, calls per second across all APIs.
    pub budget: Sourced<u32>,
    /// Per-API limits set in the profile (validated); the others get the defaults.
    pub api_budget: BTreeMap<String, u32>,
    pub timeout: Sourced<Duration>,
    pub max_attempts: Sourced<u32>,
    pub webhook_token: Result<Option<Sourced<Secret>>, String>,
    pub webhook_listen: Option<Sourced<SocketAddr>>,
    /// The incident store: on or off, where, how much it keeps.
    pub store: StoreSettings,
}

/// Resolve the settings from the flags, the process environment and the config file.
pub fn resolve(global: &Overrides) -> anyhow::Result<Settings> {
    resolve_with(global, &|k| std::env::var(k).ok(), default_config_path())
}

/// `resolve` with the environment and the default path given (for tests).
pub fn resolve_with(
    global: &Overrides,
    env: &dyn Fn(&str) -> Option<String>,
    default_path: Option<PathBuf>,
) -> anyhow::Result<Settings> {
    let env = |k: &str| env(k).filter(|v| !v.trim().is_empty());
    let config = match &global.config {
        Some(p) => Some(ConfigPath {
            path: p.clone(),
            why: "--config / TIM_RECEIPTS_CONFIG",
            explicit: true,
        }),
        None => default_path.map(|path| ConfigPath {
            path,
            why: "default XDG path",
            explicit: false,
        }),
    };
    let file = match &config {
        Some(c) => check::load(&c.path, c.explicit)?,
        None => None,
    };
    let config_loaded = file.is_some();
    let file = file.unwrap_or_default();

    let profile = match (&global.profile, &file.default_profile) {
        (Some(p), _) => Sourced::new(p.clone(), Source::Flag("--profile / TIM_PROFILE")),
        (None, Some(p)) => Sourced::new(p.clone(), Source::Profile("default_profile".into())),
        (None, None) => Sourced::new("default".into(), Source::Default),
    };
    let file_name = config
        .as_ref()
        .map(|c| c.path.display().to_string())
        .unwrap_or_default();
    let p = match file.profiles.get(&profile.value) {
        Some(p) => p.clone(),
        None if config_loaded
            && (!file.profiles.is_empty() || profile.source != Source::Default) =>
        {
            let known: Vec<&str> = file.profiles.keys().map(String::as_str).collect();
            bail!(
                "{file_name}: no profile {:?} (known: {}); add [profiles.{}] or pick one with --profile",
                profile.value,
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                },
                profile.value
            );
        }
        None => Profile::default(),
    };
    let pname = profile.value.clone();
    let from_profile = |field: &str| Source::Profile(format!("{pname}.{field}"));

    let sdkappid = if let Some(v) = global.sdkappid {
        Some(Sourced::new(v, Source::Flag("--sdkappid")))
    } else if let Some(v) = env("TIM_SDKAPPID") {
        let value = v.trim().parse::<u64>().map_err(|_| {
            anyhow!(
                "TIM_SDKAPPID={v:?} is not a number: set it to the app's SDKAppID, e.g. 1400000000"
            )
        })?;
        Some(Sourced {
            value,
            source: Source::Env("TIM_SDKAPPID".into()),
        })
    } else {
        p.sdkappid.map(|value| Sourced {
            value,
            source: from_profile("sdkappid"),
        })
    };

    let identifier = if let Some(v) = &global.identifier {
        Some(Sourced::new(v.clone(), Source::Flag("--identifier")))
    } else if let Some(v) = env("TIM_IDENTIFIER") {
        Some(Sourced::new(v, Source::Env("TIM_IDENTIFIER".into())))
    } else {
        p.identifier.clone().map(|value| Sourced {
            value,
            source: from_profile("identifier"),
        })
    };

    let (endpoint, region) = match resolve_endpoint(global, &env, &p, &pname, &file_name)? {
        Some((e, r)) => (Some(e), r),
        None => (None, None),
    };
    let standby = resolve_standby(&p, &pname, &file_name, region)?;

    let secret_key = resolve_key(&env, &p, &pname, config.as_ref());

    let read_only = if global.read_only {
        Sourced::new(true, Source::Flag("--read-only"))
    } else if let Some(v) = p.read_only {
        Sourced::new(v, from_profile("read_only"))
    } else {
        Sourced::new(false, Source::Default)
    };

    let (budget, api_budget) = limits::resolve_budget(global, &p, &pname, &file_name)?;
    let timeout = match p.timeout_secs {
        Some(0) => bail!("{file_name}: profiles.{pname}.timeout_secs must be at least 1 (seconds)"),
        Some(s) => Sourced::new(Duration::from_secs(s), from_profile("timeout_secs")),
        None => Sourced::new(DEFAULT_TIMEOUT, Source::Default),
    };
    let max_attempts = match p.max_attempts {
        Some(n) if !(1..=10).contains(&n) => {
            bail!("{file_name}: profiles.{pname}.max_attempts must be 1 to 10 (1 = no retries)")
        }
        Some(n) => Sourced::new(n, from_profile("max_attempts")),
        None => Sourced::new(DEFAULT_MAX_ATTEMPTS, Source::Default),
    };
    let webhook_token = resolve_webhook_token(&env, &p, &pname, &file_name);
    let webhook_listen = match &p.webhook_listen {
        Some(s) => Some(Sourced {
            value: s.trim().parse::<SocketAddr>().map_err(|_| {
                anyhow!("{file_name}: profiles.{pname}.webhook_listen = {s:?} is not an address: use HOST:PORT, e.g. \"0.0.0.0:9000\"")
            })?,
            source: from_profile("webhook_listen"),
        }),
        None => None,
    };
    let store = StoreSettings::resolve(global, &p, &pname, &file_name)?;

    Ok(Settings {
        config,
        config_loaded,
        profile,
        sdkappid,
        identifier,
        endpoint,
        standby,
        secret_key,
        read_only,
        budget,
        api_budget,
        timeout,
        max_attempts,
        webhook_token,
        webhook_listen,
        store,
    })
}

impl Settings {
    /// Settings for `--demo`: the sandbox's app, admin and key at `endpoint`.
    pub fn demo(
        global: &Overrides,
        endpoint: &str,
        sdkappid: u64,
        admin: &str,
        key: &str,
    ) -> Settings {
        fn demo<T>(value: T) -> Sourced<T> {
            Sourced::new(value, Source::Demo)
        }
        let label = format!("sandbox {}", endpoint.trim_start_matches("http://"));
        Settings {
            config: None,
            config_loaded: false,
            profile: demo("demo".to_string()),
            sdkappid: Some(demo(sdkappid)),
            identifier: Some(demo(admin.to_string())),
            endpoint: Some(demo((endpoint.to_string(), label))),
            standby: demo(None),
            secret_key: Ok(demo(Secret::new(key))),
            read_only: if global.read_only {
                Sourced::new(true, Source::Flag("--read-only"))
            } else {
                Sourced::new(false, Source::Default)
            },
            budget: match global.budget {
                Some(v) => Sourced::new(v.clamp(1, MAX_BUDGET), Source::Flag("--budget")),
                None => Sourced::new(DEFAULT_TOTAL_BUDGET_PER_SEC, Source::Default),
            },
            api_budget: BTreeMap::new(),
            timeout: Sourced::new(DEFAULT_TIMEOUT, Source::Default),
            max_attempts: Sourced::new(DEFAULT_MAX_ATTEMPTS, Source::Default),
            webhook_token: Ok(None),
            webhook_listen: None,
            store: StoreSettings::defaults(global),
        }
    }

    fn config_hint(&self) -> String {
        match &self.config {
            Some(c) => format!("{} (profile {})", c.path.display(), self.profile.value),
            None => "the config file".into(),
        }
    }

    pub fn require_sdkappid(&self) -> anyhow::Result<u64> {
        self.sdkappid.as_ref().map(|s| s.value).ok_or_else(|| {
            anyhow!("no SDKAppID configured: set sdkappid in {}, TIM_SDKAPPID or --sdkappid (or try --demo)", self.config_hint())
        })
    }

    pub fn require_identifier(&self) -> anyhow::Result<String> {
        self.identifier.as_ref().map(|s| s.value.clone()).ok_or_else(|| {
            anyhow!("no admin identifier configured: set identifier in {}, TIM_IDENTIFIER or --identifier", self.config_hint())
        })
    }

    pub fn require_key(&self) -> anyhow::Result<Secret> {
        match &self.secret_key {
            Ok(k) => Ok(k.value.clone()),
            Err(msg) => Err(anyhow!("{msg}")),
        }
    }

    pub fn require_endpoint(&self) -> anyhow::Result<(String, String)> {
        self.endpoint.as_ref().map(|s| s.value.clone()).ok_or_else(|| {
            anyhow!(
                "no region or endpoint configured: set region ({}) or endpoint in {}, TIM_REGION or --region",
                region_names(),
                self.config_hint()
            )
        })
    }

    /// The client configuration, or a one-line message naming what is missing.
    pub fn client_config(&self) -> anyhow::Result<ClientConfig> {
        if !self.config_loaded && self.sdkappid.is_none() && self.endpoint.is_none() {
            let path = self.config.as_ref().map_or_else(
                || "the config file".to_string(),
                |c| c.path.display().to_string(),
            );
            bail!(
                "no configuration: create {path} (see config.toml.example), or set TIM_SDKAPPID, TIM_IDENTIFIER, TIM_SECRET_KEY and TIM_REGION; or try --demo"
            );
        }
        let (endpoint, _) = self.require_endpoint()?;
        Ok(ClientConfig {
            endpoint,
            sdkappid: self.require_sdkappid()?,
            identifier: self.require_identifier()?,
            secret_key: self.require_key()?.expose().to_string(),
            budget_per_sec: self.budget.value,
            timeout: self.timeout.value,
            max_attempts: self.max_attempts.value,
            api_budget: self.api_budget.clone(),
            standby_endpoint: self.standby.value.clone(),
        })
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_files;
#[cfg(test)]
mod tests_limits;
