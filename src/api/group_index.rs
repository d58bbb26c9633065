//! An index of every group's name and type, for finding a group by name among all of an
//! app's groups (not only those a list has loaded so far).
//!
//! Building it costs what listing every group costs: `get_appid_group_list` pages of 10,000
//! IDs at the API's documented 1 call/s, and `get_group_info` for 50 groups a call (a few at
//! once within the budget, overlapping the wait for the next ID page). An app of 1,200
//! groups takes one ID page and 24 info calls; 100,000 groups take 10 ID pages and 2,000
//! info calls (about 100 s at the default 20 calls/s). So it is built in the background
//! ([`build`] reports progress and can be cancelled) and kept on disk per app
//! ([`GroupIndex::save`], [`GroupIndex::load`]) with the time it was built: the next run
//! uses it while it is fresh.

use std::io::{Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use super::client::Core;
use super::error::ApiError;
use super::groups::{self, GROUP_LIST};
use super::pager::{self, PageGuard};
use super::result::Result;
use super::types::{GroupIdPage, GroupType};
use crate::vendor::limits::GROUP_LIST_LIMIT_MAX;

/// The cache file's format; a file of another version is rebuilt.
pub const FORMAT_VERSION: u32 = 1;
/// How long a built index is used before it is built again, by default: an hour.
pub const DEFAULT_MAX_AGE_SECS: i64 = 3_600;
/// ID pages fetched at most (10,000 IDs each: ten million groups).
const MAX_PAGES: usize = 1_000;
/// The largest cache file read (a hostile or broken file cannot exhaust memory).
const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// One group in the index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexedGroup {
    pub id: String,
    pub name: String,
    /// None for a type the service named and we do not know.
    pub group_type: Option<GroupType>,
}

/// Every group of one app, by name and type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupIndex {
    pub version: u32,
    pub sdkappid: u64,
    /// Unix seconds when the build finished.
    pub built_at: i64,
    /// In the service's listing order.
    pub groups: Vec<IndexedGroup>,
    /// Groups listed whose info the service refused (each with a per-group code).
    pub skipped: u64,
}

/// How far a build has come.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IndexProgress {
    /// Group IDs listed so far, and the total the service reports.
    pub listed: u64,
    pub total: u64,
    /// Groups whose name and type are in.
    pub named: u64,
}

impl GroupIndex {
    /// The cache file's name for an app: `groups-{sdkappid}-{host}.json` (the endpoint's
    /// host without its port, so the demo's sandbox on a new port finds it again).
    pub fn file_name(sdkappid: u64, endpoint: &str) -> String {
        let host = endpoint
            .split_once("://")
            .map_or(endpoint, |(_, rest)| rest)
            .split(['/', '?', '#'])
            .next()
            .unwrap_or("");
        let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
        let host = match host.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(""),
            None => host.split(':').next().unwrap_or(""),
        };
        let safe: String = host
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .take(80)
            .collect();
        format!("groups-{sdkappid}-{safe}.json")
    }

    /// Seconds since the build finished.
    pub fn age(&self, now: i64) -> i64 {
        now.saturating_sub(self.built_at).max(0)
    }

    /// Built less than `max_age` seconds before `now` (and not in the future).
    pub fn is_fresh(&self, now: i64, max_age: i64) -> bool {
        self.built_at <= now && self.age(now) < max_age
    }

    /// The groups whose name or ID contains `text` (ignoring case), sorted by name, then ID
    /// (so groups of the same name sit together).
    pub fn search(&self, text: &str) -> Vec<&IndexedGroup> {
        let needle = text.to_lowercase();
        let mut found: Vec<&IndexedGroup> = self
            .groups
            .iter()
            .filter(|g| {
                g.name.to_lowercase().contains(&needle) || g.id.to_lowercase().contains(&needle)
            })
            .collect();
        found.sort_by(|a, b| {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then_with(|| a.id.cmp(&b.id))
        });
        found
    }

    /// How many groups are called exactly `name`.
    pub fn named(&self, name: &str) -> usize {
        self.groups.iter().filter(|g| g.name == name).count()
    }

    /// Read a cache file: None when there is none, or it is unreadable, too large, of
    /// another format or for another app (the caller builds a new index).
    pub fn load(path: &Path, sdkappid: u64) -> Option<GroupIndex> {
        let file = std::fs::File::open(path).ok()?;
        if !file.metadata().ok()?.is_file() {
            return None;
        }
        let mut bytes = Vec::new();
        file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).ok()?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return None;
        }
        let index: GroupIndex = serde_json::from_slice(&bytes).ok()?;
        (index.version == FORMAT_VERSION && index.sdkappid == sdkappid).then_some(index)
    }

    /// Write the cache file whole (a temporary file renamed over it), creating its
    /// directory.
    pub fn save(&self, path: &Path) -> std::result::Result<(), String> {
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".groups-")
            .suffix(".partial")
            .tempfile_in(dir)
            .map_err(|e| format!("cannot create a file in {}: {e}", dir.display()))?;
        let text = serde_json::to_vec(self).map_err(|e| format!("cannot encode the index: {e}"))?;
        tmp.write_all(&text)
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        tmp.persist(path)
            .map_err(|e| format!("cannot write {}: {}", path.display(), e.error))?;
        Ok(())
    }
}

/// Build the index of every group: ID pages of 10,000 (the API's 1 call/s), each page's
/// names and types fetched while the next page is asked for. `now` is stored as the build
/// time. Bounded like every listing ([`PageGuard`]: the `TotalCount` the service reports,
/// no page that adds nothing); `cancel` stops it with [`ApiError::Cancelled`].
pub async fn build(
    core: &Core,
    sdkappid: u64,
    now: i64,
    progress: &mut (dyn FnMut(IndexProgress) + Send),
    cancel: Option<&CancellationToken>,
) -> Result<GroupIndex> {
    match cancel {
        Some(token) => tokio::select! {
            biased;
            _ = token.cancelled() => Err(ApiError::Cancelled),
            r = build_inner(core, sdkappid, now, progress) => r,
        },
        None => build_inner(core, sdkappid, now, progress).await,
    }
}

async fn build_inner(
    core: &Core,
    sdkappid: u64,
    now: i64,
    progress: &mut (dyn FnMut(IndexProgress) + Send),
) -> Result<GroupIndex> {
    let mut guard = PageGuard::new(u64::MAX, "no limit");
    let mut index = GroupIndex {
        version: FORMAT_VERSION,
        sdkappid,
        built_at: now,
        ..GroupIndex::default()
    };
    let mut state = IndexProgress::default();
    let mut page = groups::id_page(core, 0, GROUP_LIST_LIMIT_MAX, None).await?;
    for _ in 0..MAX_PAGES {
        guard.reported(page.total, "TotalCount");
        let more = page.next.to_string();
        let fresh = guard
            .accept(
                GROUP_LIST_LIMIT_MAX as usize,
                std::mem::take(&mut page.ids),
                String::clone,
                (page.next != 0).then_some(more.as_str()),
            )
            .map_err(|f| pager::fault_error(GROUP_LIST.api, f))?;
        state.listed = guard.loaded();
        state.total = page.total;
        progress(state);
        let next = page.next;
        let names = groups::info(core, &fresh);
        let following = async {
            if next == 0 {
                Ok::<Option<GroupIdPage>, ApiError>(None)
            } else {
                groups::id_page(core, next, GROUP_LIST_LIMIT_MAX, None)
                    .await
                    .map(Some)
            }
        };
        let (infos, following) = futures::join!(names, following);
        for g in infos? {
            if g.code != 0 {
                index.skipped += 1;
                continue;
            }
            index.groups.push(IndexedGroup {
                id: g.id,
                name: g.name,
                group_type: g.group_type,
            });
        }
        state.named = index.groups.len() as u64 + index.skipped;
        progress(state);
        match following? {
            Some(p) => page = p,
            None => return Ok(index),
        }
    }
    Err(pager::fault_error(
        GROUP_LIST.api,
        pager::PagingFault::TooLong {
            limit: (MAX_PAGES as u64).saturating_mul(u64::from(GROUP_LIST_LIMIT_MAX)),
            why: "pages kept coming".into(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> GroupIndex {
        let g = |id: &str, name: &str| IndexedGroup {
            id: id.into(),
            name: name.into(),
            group_type: Some(GroupType::Work),
        };
        GroupIndex {
            version: FORMAT_VERSION,
            sdkappid: 7,
            built_at: 1_000,
            groups: vec![
                g("@TGS#3C", "Payments on-call"),
                g("@TGS#1A", "Ops"),
                g("@TGS#2B", "payments ON-CALL"),
                g("@TGS#9PAY", "Search"),
            ],
            skipped: 0,
        }
    }

    #[test]
    fn search_ignores_case_covers_ids_and_sorts_duplicates_together() {
        let i = index();
        let ids: Vec<&str> = i.search("Payments").iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, ["@TGS#2B", "@TGS#3C"]);
        let ids: Vec<&str> = i.search("pay").iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, ["@TGS#2B", "@TGS#3C", "@TGS#9PAY"]);
        assert_eq!(i.named("Ops"), 1);
    }

    #[test]
    fn freshness_and_file_names() {
        let i = index();
        assert!(i.is_fresh(1_000 + 3_599, 3_600));
        assert!(!i.is_fresh(1_000 + 3_600, 3_600));
        assert!(!i.is_fresh(999, 3_600), "built in the future");
        assert_eq!(
            GroupIndex::file_name(1400000000, "https://adminapisgp.im.qcloud.com"),
            "groups-1400000000-adminapisgp.im.qcloud.com.json"
        );
        assert_eq!(
            GroupIndex::file_name(1, "http://127.0.0.1:41234/"),
            "groups-1-127.0.0.1.json"
        );
        assert_eq!(
            GroupIndex::file_name(1, "http://[::1]:80"),
            "groups-1-__1.json"
        );
        assert_eq!(
            GroupIndex::file_name(1, "http://u:p@evil/../x"),
            "groups-1-evil.json"
        );
    }

    #[test]
    fn a_saved_index_loads_back_and_a_bad_file_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache").join("groups.json");
        let i = index();
        i.save(&path).unwrap();
        assert_eq!(GroupIndex::load(&path, 7), Some(i.clone()));
        assert_eq!(GroupIndex::load(&path, 8), None, "another app");
        i.save(&path).unwrap();
        std::fs::write(&path, b"{not json").unwrap();
        assert_eq!(GroupIndex::load(&path, 7), None);
        assert_eq!(GroupIndex::load(dir.path(), 7), None, "a directory");
    }
}
