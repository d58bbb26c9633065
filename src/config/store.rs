//! Where the incident store is and how much it keeps: the profile's `store`,
//! `store_retention_days` and `store_max_mb`, and `--store-dir` / `TIM_STORE_DIR`.

use std::path::{Path, PathBuf};

use anyhow::bail;

use super::file::Profile;
use super::overrides::Overrides;
use super::sourced::{Source, Sourced};
use crate::store::retention::{DEFAULT_DAYS, DEFAULT_MAX_BYTES, Retention};
use crate::store::{Store, StoreOptions};

/// Largest `store_max_mb` accepted: 1 TiB.
const MAX_MB: u64 = 1024 * 1024;

/// The store's settings for one profile.
#[derive(Debug, Clone)]
pub struct StoreSettings {
    /// Whether the webhook receivers of this profile store events (default true).
    pub enabled: Sourced<bool>,
    /// The directory of the stores: `--store-dir` / `TIM_STORE_DIR`, else
    /// `$XDG_STATE_HOME/tim-receipts/store` (None when no home directory is known).
    pub dir: Option<Sourced<PathBuf>>,
    /// Days of history kept (0: no age limit).
    pub retention_days: Sourced<u32>,
    /// Largest size of the data in MiB (0: no size limit).
    pub max_mb: Sourced<u64>,
}

impl StoreSettings {
    /// The defaults, with the directory from the overrides (for `--demo`).
    pub fn defaults(global: &Overrides) -> StoreSettings {
        StoreSettings {
            enabled: Sourced::new(true, Source::Default),
            dir: store_dir(global),
            retention_days: Sourced::new(DEFAULT_DAYS, Source::Default),
            max_mb: Sourced::new(DEFAULT_MAX_BYTES / (1024 * 1024), Source::Default),
        }
    }

    /// The profile's settings over the defaults.
    pub(super) fn resolve(
        global: &Overrides,
        p: &Profile,
        pname: &str,
        file_name: &str,
    ) -> anyhow::Result<StoreSettings> {
        let from_profile = |field: &str| Source::Profile(format!("{pname}.{field}"));
        let mut settings = StoreSettings::defaults(global);
        if let Some(enabled) = p.store {
            settings.enabled = Sourced::new(enabled, from_profile("store"));
        }
        if let Some(days) = p.store_retention_days {
            settings.retention_days = Sourced::new(days, from_profile("store_retention_days"));
        }
        if let Some(mb) = p.store_max_mb {
            if mb > MAX_MB {
                bail!(
                    "{file_name}: profiles.{pname}.store_max_mb = {mb} is more than {MAX_MB} (1 TiB): give MiB, e.g. 1024 for 1 GiB (0: no size limit)"
                );
            }
            settings.max_mb = Sourced::new(mb, from_profile("store_max_mb"));
        }
        Ok(settings)
    }

    /// The retention these settings ask for.
    pub fn retention(&self) -> Retention {
        Retention {
            days: self.retention_days.value,
            max_bytes: self.max_mb.value.saturating_mul(1024 * 1024),
        }
    }

    /// The store file of `sdkappid` (the demo sandbox's when `demo`), if there is a
    /// directory for it.
    pub fn path(&self, sdkappid: u64, demo: bool) -> Option<PathBuf> {
        self.dir
            .as_ref()
            .map(|d| crate::store::file_in(&d.value, sdkappid, demo))
    }

    /// The path, or a one-line error saying how to give one.
    pub fn require_path(&self, sdkappid: u64, demo: bool) -> anyhow::Result<PathBuf> {
        self.path(sdkappid, demo).ok_or_else(|| {
            anyhow::anyhow!(
                "no directory for the store: set HOME or XDG_STATE_HOME, or give --store-dir DIR (TIM_STORE_DIR)"
            )
        })
    }
}

impl StoreSettings {
    /// Open the store of `sdkappid` (the demo's when `demo`) with this retention, starting
    /// its writer (whether the profile wants a store is the caller's to check).
    pub fn open(&self, sdkappid: u64, demo: bool) -> anyhow::Result<Store> {
        let path = self.require_path(sdkappid, demo)?;
        Store::open(
            &path,
            sdkappid,
            StoreOptions {
                retention: self.retention(),
                ..StoreOptions::default()
            },
        )
        .map_err(|e| anyhow::anyhow!("{e}"))
    }

    /// `PATH (kept 90 days, at most 1024 MiB)`.
    pub fn describe(&self, path: &Path) -> String {
        let days = match self.retention_days.value {
            0 => "for ever".to_string(),
            days => format!("{days} days"),
        };
        let size = match self.max_mb.value {
            0 => "no size limit".to_string(),
            mb => format!("at most {mb} MiB"),
        };
        format!("{} (kept {days}, {size})", path.display())
    }
}

/// `--store-dir` / `TIM_STORE_DIR`, else the default under the state directory.
fn store_dir(global: &Overrides) -> Option<Sourced<PathBuf>> {
    match &global.store_dir {
        Some(dir) => Some(Sourced::new(
            dir.clone(),
            Source::Flag("--store-dir / TIM_STORE_DIR"),
        )),
        None => super::paths::state_dir()
            .map(|d| Sourced::new(d.join(crate::store::DIR_NAME), Source::Default)),
    }
}
