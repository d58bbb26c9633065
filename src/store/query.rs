//! Reading the store: who read a message and when, every read of a group in a time range,
//! a message's counts over time. Each is an indexed lookup (the primary key of `reads`,
//! the `reads_by_time` and `counts_by_message` indexes), never a scan of the store.

use rusqlite::{Row, params};

use super::db::{Db, as_sql, from_sql};
use super::types::{Origin, StoreError};

/// One member's read of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    pub seq: u64,
    pub member: String,
    /// EventTime of the first event that listed the member (Unix ms).
    pub read_at_ms: Option<u64>,
    /// Only bounds known: not yet read at this time.
    pub read_after_ms: Option<u64>,
    /// Only bounds known: read by this time.
    pub read_before_ms: Option<u64>,
    pub source: Origin,
}

impl Read {
    /// The time the read is filed under: its read time, else the bound it is known by.
    pub fn time_ms(&self) -> Option<u64> {
        self.read_at_ms.or(self.read_before_ms)
    }
}

/// A message's counts after one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountPoint {
    pub event_time_ms: u64,
    pub read: u64,
    pub unread: u64,
}

const READ_COLUMNS: &str = "seq, member, read_at_ms, read_after_ms, read_before_ms, source, coalesce(read_at_ms, read_before_ms) AS t";

fn read_row(row: &Row<'_>) -> rusqlite::Result<Read> {
    let opt = |i: usize| -> rusqlite::Result<Option<u64>> {
        Ok(row.get::<_, Option<i64>>(i)?.map(from_sql))
    };
    let source: String = row.get(5)?;
    Ok(Read {
        seq: from_sql(row.get(0)?),
        member: row.get(1)?,
        read_at_ms: opt(2)?,
        read_after_ms: opt(3)?,
        read_before_ms: opt(4)?,
        // The CHECK constraint allows nothing else; a hand-edited row reads as a webhook.
        source: Origin::parse(&source).unwrap_or(Origin::Webhook),
    })
}

impl Db {
    /// Every member the store has a read of message `seq` for, earliest first (reads known
    /// only by bounds by their `read_before`; then by account).
    pub fn timeline(&self, group: &str, seq: u64) -> Result<Vec<Read>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {READ_COLUMNS} FROM reads
                 WHERE app = ?1 AND group_id = ?2 AND seq = ?3
                 ORDER BY t IS NULL, t, member"
            ))
            .map_err(StoreError::read)?;
        let rows = stmt
            .query_map(params![self.app, group, as_sql(seq)], read_row)
            .map_err(StoreError::read)?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(StoreError::read)
    }

    /// Every read of any message of `group` whose time (read time, else `read_before`)
    /// lies in `since_ms..=until_ms`, in time order.
    pub fn timeline_range(
        &self,
        group: &str,
        since_ms: u64,
        until_ms: u64,
    ) -> Result<Vec<Read>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {READ_COLUMNS} FROM reads
                 WHERE app = ?1 AND group_id = ?2
                   AND coalesce(read_at_ms, read_before_ms) BETWEEN ?3 AND ?4
                 ORDER BY t, seq, member"
            ))
            .map_err(StoreError::read)?;
        let rows = stmt
            .query_map(
                params![self.app, group, as_sql(since_ms), as_sql(until_ms)],
                read_row,
            )
            .map_err(StoreError::read)?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(StoreError::read)
    }

    /// Message `seq`'s `ReadNum`/`UnreadNum` after each stored event, oldest first (for a
    /// read-over-time chart that survives restarts).
    pub fn counts(&self, group: &str, seq: u64) -> Result<Vec<CountPoint>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT event_time_ms, read_num, unread_num FROM counts
                 WHERE app = ?1 AND group_id = ?2 AND seq = ?3
                 ORDER BY event_time_ms",
            )
            .map_err(StoreError::read)?;
        let rows = stmt
            .query_map(params![self.app, group, as_sql(seq)], |row| {
                Ok(CountPoint {
                    event_time_ms: from_sql(row.get(0)?),
                    read: from_sql(row.get(1)?),
                    unread: from_sql(row.get(2)?),
                })
            })
            .map_err(StoreError::read)?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(StoreError::read)
    }

    /// Events kept.
    pub fn event_count(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT count(*) FROM events", [], |row| {
                row.get::<_, i64>(0)
            })
            .map(from_sql)
            .map_err(StoreError::read)
    }
}
