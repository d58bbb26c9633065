//! The store's tables, as SQL a person can read (README quotes [`SCHEMA`] so it can be
//! pasted into `sqlite3`), and the connection settings every connection gets.
//!
//! Times are Unix milliseconds (UTC). `app` is the SDKAppID: each app has its own file,
//! and the column keeps a row meaningful when copied elsewhere.

use std::time::Duration;

use rusqlite::Connection;

/// Version of the schema below, kept in `PRAGMA user_version`.
pub const VERSION: i64 = 1;

/// Every table and index. Idempotent (`IF NOT EXISTS`).
pub const SCHEMA: &str = "\
-- One row per Group.CallbackAfterReadReceipt event kept (received by a webhook receiver,
-- or loaded from a `listen --record` file). A repeat of an event adds nothing.
CREATE TABLE IF NOT EXISTS events (
    id            INTEGER PRIMARY KEY,
    app           INTEGER NOT NULL,        -- SDKAppID
    group_id      TEXT    NOT NULL,        -- GroupId
    group_type    TEXT    NOT NULL,        -- Type as sent ('' when absent)
    event_time_ms INTEGER NOT NULL,        -- EventTime, Unix milliseconds
    received_ms   INTEGER NOT NULL,        -- when it was received (or imported), Unix ms
    source        TEXT    NOT NULL CHECK (source IN ('webhook', 'import')),
    digest        TEXT    NOT NULL UNIQUE, -- SHA-256 of the parsed event: the same event twice is one row
    body          TEXT    NOT NULL         -- the callback body, one line of JSON
);
CREATE INDEX IF NOT EXISTS events_by_time ON events (event_time_ms);

-- Per message of each event: ReadNum and UnreadNum after it (read count over time).
CREATE TABLE IF NOT EXISTS counts (
    app           INTEGER NOT NULL,
    group_id      TEXT    NOT NULL,
    seq           INTEGER NOT NULL,        -- MsgSeq
    event_time_ms INTEGER NOT NULL,
    read_num      INTEGER NOT NULL,
    unread_num    INTEGER NOT NULL,
    event_id      INTEGER NOT NULL         -- events.id
);
CREATE INDEX IF NOT EXISTS counts_by_message ON counts (app, group_id, seq, event_time_ms);
CREATE INDEX IF NOT EXISTS counts_by_time ON counts (event_time_ms);

-- Who read which message, and when: one row per (app, group, seq, member). The earliest
-- EventTime that lists the member wins; when no event does, a poll of the read list or
-- a scan of read positions gives bounds (read after one time, by another).
CREATE TABLE IF NOT EXISTS reads (
    app            INTEGER NOT NULL,
    group_id       TEXT    NOT NULL,
    seq            INTEGER NOT NULL,
    member         TEXT    NOT NULL,       -- Member_Account
    read_at_ms     INTEGER,                -- EventTime of the first event listing the member
    read_after_ms  INTEGER,                -- only bounds known: not yet read at this time
    read_before_ms INTEGER,                -- only bounds known: read by this time
    source         TEXT    NOT NULL CHECK (source IN ('webhook', 'import', 'poll', 'position')),
    event_id       INTEGER,                -- events.id that gave read_at_ms
    PRIMARY KEY (app, group_id, seq, member)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS reads_by_time
    ON reads (app, group_id, coalesce(read_at_ms, read_before_ms));

-- Each poll of a message's read list (watch mode) or scan of read positions that
-- looked at the message: the lower bound of the next readers' times.
CREATE TABLE IF NOT EXISTS polls (
    app       INTEGER NOT NULL,
    group_id  TEXT    NOT NULL,
    seq       INTEGER NOT NULL,
    polled_ms INTEGER NOT NULL,
    readers   INTEGER NOT NULL,            -- members the list held
    PRIMARY KEY (app, group_id, seq, polled_ms)
) WITHOUT ROWID;
";

/// Settings of every connection: incremental vacuum (for a new file: trimming gives space
/// back), WAL (readers never block the writer), `synchronous = NORMAL` (a commit is in the
/// WAL file before it is acknowledged, so it survives the process being killed; only a
/// power cut or an OS crash can lose the last commits, never the file's consistency; a
/// full sync, an fsync per commit, cost 3x the p99 on the benchmark's machine), a busy wait.
pub fn configure(conn: &Connection, busy: Duration) -> rusqlite::Result<()> {
    conn.busy_timeout(busy)?;
    // Takes effect only in a file with no table yet; must come before WAL writes the header.
    conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // A checkpoint truncates a WAL that grew past 64 MiB.
    conn.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024)?;
    Ok(())
}

/// Create the tables in a new file, or check an existing file's version.
pub fn create(conn: &Connection) -> Result<(), String> {
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(|e| e.to_string())?;
    if version > VERSION {
        return Err(format!(
            "the store was written by a newer tim-receipts (schema {version}, this one knows {VERSION})"
        ));
    }
    conn.execute_batch(SCHEMA).map_err(|e| e.to_string())?;
    conn.pragma_update(None, "user_version", VERSION)
        .map_err(|e| e.to_string())?;
    Ok(())
}
