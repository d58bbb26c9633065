//! The XDG paths: the config file's default place, the state directory (audit log, logs,
//! the incident stores) and the cache directory (the group index).

use std::path::{Path, PathBuf};

/// The default config path (XDG), e.g. `~/.config/tim-receipts/config.toml`.
pub fn default_config_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// The state directory for the audit log and log files, e.g. `~/.local/state/tim-receipts`.
pub fn state_dir() -> Option<PathBuf> {
    project_dirs().map(|d| {
        d.state_dir()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| d.data_local_dir().to_path_buf())
    })
}

/// The cache directory (the group index), e.g. `~/.cache/tim-receipts`
/// (`$XDG_CACHE_HOME/tim-receipts`).
pub fn cache_dir() -> Option<PathBuf> {
    project_dirs().map(|d| d.cache_dir().to_path_buf())
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "tim-receipts")
}
