//! One connection to an app's store file, and what is written through it: events (with
//! their counts and reads) in one transaction per batch, and polls of a read list.
//! Synchronous: the writer task and the commands call it from threads of their own.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior, params};
use sha2::{Digest, Sha256};

use super::schema;
use super::types::{NewEvent, Origin, StoreError};

/// What storing one event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A new event: its row, counts and reads were written.
    Added,
    /// The same event was already stored: nothing was written.
    Repeat,
}

/// An open store file.
pub struct Db {
    pub(super) conn: Connection,
    pub(super) app: i64,
    path: PathBuf,
}

impl Db {
    /// Open (creating it and its directory, mode 0700, if needed) the store at `path` for
    /// app `app`.
    pub fn open(path: &Path, app: u64, busy: Duration) -> Result<Db, StoreError> {
        if let Some(dir) = path.parent() {
            create_private_dir(dir).map_err(|e| StoreError::open(path, &e.to_string()))?;
        }
        let conn = Connection::open(path).map_err(|e| StoreError::open(path, &e.to_string()))?;
        restrict_file(path);
        schema::configure(&conn, busy).map_err(|e| StoreError::open(path, &e.to_string()))?;
        schema::create(&conn).map_err(|e| StoreError::open(path, &e))?;
        Ok(Db {
            conn,
            app: as_sql(app),
            path: path.to_path_buf(),
        })
    }

    /// Open an existing store for reading only (`timeline`); an error if there is none.
    pub fn open_read_only(path: &Path, app: u64) -> Result<Db, StoreError> {
        if !path.exists() {
            return Err(StoreError::Missing(path.to_path_buf()));
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::open(path, &e.to_string()))?;
        conn.busy_timeout(Duration::from_secs(5))
            .map_err(|e| StoreError::open(path, &e.to_string()))?;
        Ok(Db {
            conn,
            app: as_sql(app),
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Store `events` in one transaction; one outcome per event, in order. An error means
    /// nothing of the batch was committed.
    pub fn insert_batch(&mut self, events: &[NewEvent]) -> Result<Vec<Outcome>, StoreError> {
        let app = self.app;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::write)?;
        let mut outcomes = Vec::with_capacity(events.len());
        for event in events {
            outcomes.push(insert_one(&tx, app, event).map_err(StoreError::write)?);
        }
        tx.commit().map_err(StoreError::write)?;
        Ok(outcomes)
    }

    /// A poll of message `seq`'s read list at `at_ms` listed `readers`. Each reader the store
    /// has no read for gets bounds: read by `at_ms`, and not before the previous poll of this
    /// message (which did not list them), when there was one. A known read time is kept; a
    /// later poll never widens bounds.
    pub fn record_poll(
        &mut self,
        group: &str,
        seq: u64,
        readers: &[String],
        at_ms: u64,
    ) -> Result<(), StoreError> {
        self.record_bounds(group, seq, readers, at_ms, Origin::Poll)
    }

    /// Like [`Db::record_poll`], for a scan of read positions that found `readers` at or past
    /// message `seq` (source `position`).
    pub fn record_scan(
        &mut self,
        group: &str,
        seq: u64,
        readers: &[String],
        at_ms: u64,
    ) -> Result<(), StoreError> {
        self.record_bounds(group, seq, readers, at_ms, Origin::Position)
    }

    fn record_bounds(
        &mut self,
        group: &str,
        seq: u64,
        readers: &[String],
        at_ms: u64,
        origin: Origin,
    ) -> Result<(), StoreError> {
        let app = self.app;
        let (seq, at) = (as_sql(seq), as_sql(at_ms));
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::write)?;
        let previous: Option<i64> = tx
            .query_row(
                "SELECT max(polled_ms) FROM polls
                 WHERE app = ?1 AND group_id = ?2 AND seq = ?3 AND polled_ms < ?4",
                params![app, group, seq, at],
                |row| row.get(0),
            )
            .map_err(StoreError::write)?;
        tx.execute(
            "INSERT OR IGNORE INTO polls (app, group_id, seq, polled_ms, readers)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![app, group, seq, at, as_sql(readers.len() as u64)],
        )
        .map_err(StoreError::write)?;
        {
            let mut upsert = tx
                .prepare_cached(
                    "INSERT INTO reads (app, group_id, seq, member, read_after_ms, read_before_ms, source)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (app, group_id, seq, member) DO UPDATE SET
                         read_before_ms = excluded.read_before_ms,
                         read_after_ms = excluded.read_after_ms,
                         source = excluded.source
                     WHERE reads.read_at_ms IS NULL AND excluded.read_before_ms < reads.read_before_ms",
                )
                .map_err(StoreError::write)?;
            for member in readers {
                upsert
                    .execute(params![
                        app,
                        group,
                        seq,
                        member,
                        previous,
                        at,
                        origin.as_str()
                    ])
                    .map_err(StoreError::write)?;
            }
        }
        tx.commit().map_err(StoreError::write)
    }
}

/// One event inside a transaction.
fn insert_one(tx: &Connection, app: i64, new: &NewEvent) -> rusqlite::Result<Outcome> {
    let event = &new.event;
    let time = as_sql(event.event_time_ms);
    let added = tx
        .prepare_cached(
            "INSERT INTO events (app, group_id, group_type, event_time_ms, received_ms, source, digest, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (digest) DO NOTHING",
        )?
        .execute(params![
            app,
            event.group_id,
            event.group_type,
            time,
            as_sql(new.received_ms),
            new.origin.as_str(),
            digest(app, new),
            new.body,
        ])?;
    if added == 0 {
        return Ok(Outcome::Repeat);
    }
    let id = tx.last_insert_rowid();
    let mut count = tx.prepare_cached(
        "INSERT INTO counts (app, group_id, seq, event_time_ms, read_num, unread_num, event_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut read = tx.prepare_cached(
        "INSERT INTO reads (app, group_id, seq, member, read_at_ms, source, event_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (app, group_id, seq, member) DO UPDATE SET
             read_at_ms = excluded.read_at_ms,
             read_after_ms = NULL,
             read_before_ms = NULL,
             source = excluded.source,
             event_id = excluded.event_id
         WHERE reads.read_at_ms IS NULL OR excluded.read_at_ms < reads.read_at_ms",
    )?;
    for update in &event.receipts {
        let seq = as_sql(update.seq);
        count.execute(params![
            app,
            event.group_id,
            seq,
            time,
            as_sql(update.read),
            as_sql(update.unread),
            id
        ])?;
        for member in &update.readers {
            read.execute(params![
                app,
                event.group_id,
                seq,
                member,
                time,
                new.origin.as_str(),
                id
            ])?;
        }
    }
    Ok(Outcome::Added)
}

/// What makes two deliveries the same event: the app and everything parsed from the body
/// (group, type, EventTime, every message's counts and readers, in order). Retries and
/// replays of a callback, and an import of a recorded one, have the same digest.
fn digest(app: i64, new: &NewEvent) -> String {
    let mut hasher = Sha256::new();
    hasher.update(app.to_be_bytes());
    // Serializing plain strings and numbers cannot fail; an empty text would still be one
    // value per event (the time and group are hashed again below).
    hasher.update(serde_json::to_vec(&new.event).unwrap_or_default());
    hasher.update(new.event.group_id.as_bytes());
    hasher.update(new.event.event_time_ms.to_be_bytes());
    hex::encode(hasher.finalize())
}

/// SQLite integers are signed 64-bit; values past i64::MAX (never sent) are clamped.
pub(super) fn as_sql(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Back from SQLite: negatives (never written) read as 0.
pub(super) fn from_sql(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// The store holds account IDs and times: readable by its owner alone.
fn restrict_file(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
}
