//! Retention: the store keeps `days` of history and at most `max_bytes` of data.
//!
//! - Age: events and counts whose `EventTime` is older than `days`, reads whose time (the
//!   read time, or for bounds the `read_before` time) is older, and polls older than that
//!   are deleted.
//! - Size: when the data (the file's pages in use) passes `max_bytes`, the oldest events,
//!   counts and reads are deleted, oldest first, until it is under 90% of it.
//!
//! Freed pages go back to the file system (incremental vacuum) and the WAL is
//! checkpointed and truncated, so the files on disk shrink too. `days` 0 keeps every age;
//! `max_bytes` 0 sets no size limit.

use rusqlite::{Connection, params};

use super::db::{Db, as_sql};
use super::types::StoreError;

/// Default days of history kept.
pub const DEFAULT_DAYS: u32 = 90;
/// Default largest size of the data: 1 GiB.
pub const DEFAULT_MAX_BYTES: u64 = 1024 * 1024 * 1024;
/// At most this many rounds of deleting the oldest part when over the size.
const SIZE_ROUNDS: usize = 20;

/// How much history a store keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retention {
    /// Days of history kept (0: no age limit).
    pub days: u32,
    /// Largest size of the data in bytes (0: no size limit).
    pub max_bytes: u64,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            days: DEFAULT_DAYS,
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// What a trim deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TrimReport {
    pub removed_events: u64,
    pub removed_reads: u64,
}

impl TrimReport {
    fn add(&mut self, other: TrimReport) {
        self.removed_events += other.removed_events;
        self.removed_reads += other.removed_reads;
    }
}

impl Db {
    /// Apply the retention by age (relative to `now_ms`), then by size.
    pub fn trim(&mut self, retention: &Retention, now_ms: u64) -> Result<TrimReport, StoreError> {
        let mut report = TrimReport::default();
        if retention.days > 0 {
            let cutoff = now_ms.saturating_sub(u64::from(retention.days) * 86_400_000);
            report.add(delete_before(&mut self.conn, self.app, as_sql(cutoff))?);
            reclaim(&self.conn)?;
        }
        report.add(self.trim_size(retention.max_bytes)?);
        Ok(report)
    }

    /// Delete the oldest history until the data is under 90% of `max_bytes` (0: no limit).
    pub fn trim_size(&mut self, max_bytes: u64) -> Result<TrimReport, StoreError> {
        let mut report = TrimReport::default();
        if max_bytes == 0 || self.data_bytes()? <= max_bytes {
            return Ok(report);
        }
        let target = max_bytes / 10 * 9;
        for _ in 0..SIZE_ROUNDS {
            let used = self.data_bytes()?;
            if used <= target {
                break;
            }
            // The share of rows to delete: the share of bytes over the target, and at least
            // a tenth, so a few rounds always get there.
            let share = ((used - target) as f64 / used as f64).max(0.1);
            let Some(cutoff) = oldest_share_time(&self.conn, self.app, share)? else {
                break;
            };
            let round = delete_before(&mut self.conn, self.app, cutoff.saturating_add(1))?;
            reclaim(&self.conn)?;
            if round.removed_events == 0 && round.removed_reads == 0 {
                break;
            }
            report.add(round);
        }
        Ok(report)
    }

    /// Bytes of the file's pages in use (free pages not counted).
    pub fn data_bytes(&self) -> Result<u64, StoreError> {
        let pragma = |name: &str| -> Result<i64, StoreError> {
            self.conn
                .pragma_query_value(None, name, |row| row.get(0))
                .map_err(StoreError::read)
        };
        let pages = pragma("page_count")? - pragma("freelist_count")?;
        Ok(u64::try_from(pages.max(0) * pragma("page_size")?).unwrap_or(0))
    }
}

/// Delete everything older than `cutoff` (Unix ms) in one transaction.
fn delete_before(conn: &mut Connection, app: i64, cutoff: i64) -> Result<TrimReport, StoreError> {
    let tx = conn.transaction().map_err(StoreError::write)?;
    let removed_events = tx
        .execute(
            "DELETE FROM events WHERE app = ?1 AND event_time_ms < ?2",
            params![app, cutoff],
        )
        .map_err(StoreError::write)?;
    tx.execute(
        "DELETE FROM counts WHERE app = ?1 AND event_time_ms < ?2",
        params![app, cutoff],
    )
    .map_err(StoreError::write)?;
    let removed_reads = tx
        .execute(
            "DELETE FROM reads WHERE app = ?1 AND coalesce(read_at_ms, read_before_ms) < ?2",
            params![app, cutoff],
        )
        .map_err(StoreError::write)?;
    tx.execute(
        "DELETE FROM polls WHERE app = ?1 AND polled_ms < ?2",
        params![app, cutoff],
    )
    .map_err(StoreError::write)?;
    tx.commit().map_err(StoreError::write)?;
    Ok(TrimReport {
        removed_events: removed_events as u64,
        removed_reads: removed_reads as u64,
    })
}

/// The time below which about `share` of the events lie (of the reads, when no event is
/// left); None when both are empty.
fn oldest_share_time(conn: &Connection, app: i64, share: f64) -> Result<Option<i64>, StoreError> {
    let at = |count_sql: &str, pick_sql: &str| -> Result<Option<i64>, StoreError> {
        let rows: i64 = conn
            .query_row(count_sql, params![app], |row| row.get(0))
            .map_err(StoreError::read)?;
        if rows == 0 {
            return Ok(None);
        }
        let offset = ((rows as f64 * share).ceil() as i64).clamp(1, rows) - 1;
        conn.query_row(pick_sql, params![app, offset], |row| row.get(0))
            .map_err(StoreError::read)
    };
    let events = at(
        "SELECT count(*) FROM events WHERE app = ?1",
        "SELECT event_time_ms FROM events WHERE app = ?1 ORDER BY event_time_ms LIMIT 1 OFFSET ?2",
    )?;
    if events.is_some() {
        return Ok(events);
    }
    at(
        "SELECT count(*) FROM reads WHERE app = ?1",
        "SELECT coalesce(read_at_ms, read_before_ms) AS t FROM reads WHERE app = ?1
         ORDER BY t LIMIT 1 OFFSET ?2",
    )
}

/// Give freed pages back to the file system and truncate the WAL.
fn reclaim(conn: &Connection) -> Result<(), StoreError> {
    for pragma in [
        "PRAGMA incremental_vacuum",
        "PRAGMA wal_checkpoint(TRUNCATE)",
    ] {
        let mut stmt = conn.prepare(pragma).map_err(StoreError::write)?;
        let mut rows = stmt.query([]).map_err(StoreError::write)?;
        while rows.next().map_err(StoreError::write)?.is_some() {}
    }
    Ok(())
}
