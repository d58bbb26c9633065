//! The dashboard's own connection to the incident store (besides the receiver's writer):
//! reading a message's reads and counts history, and recording polls of a read list and
//! position scans. Blocking SQLite work: the effect runner calls it on blocking threads.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use crate::store::{Db, Store, StoreError};

use super::model::stored::StoredMessage;

/// How long a call waits for the receiver's writer to let go of the file.
const BUSY: Duration = Duration::from_secs(2);

/// The store the dashboard's receiver writes to, opened once more for the dashboard.
pub struct StoreAccess {
    writer: Store,
    path: PathBuf,
    app: u64,
    db: Mutex<Option<Db>>,
}

impl StoreAccess {
    pub fn new(writer: Store, app: u64) -> StoreAccess {
        StoreAccess {
            path: writer.path().to_path_buf(),
            writer,
            app,
            db: Mutex::new(None),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The receiver could not commit its latest events.
    pub fn failing(&self) -> bool {
        self.writer.health().failing
    }

    fn with_db<T>(&self, f: impl FnOnce(&mut Db) -> Result<T, StoreError>) -> Result<T, String> {
        let mut guard = self.db.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            *guard = Some(Db::open(&self.path, self.app, BUSY).map_err(|e| e.to_string())?);
        }
        match guard.as_mut() {
            Some(db) => f(db).map_err(|e| e.to_string()),
            None => Err("the store is not open".into()),
        }
    }

    /// Message `seq`'s reads and counts history.
    pub fn load(&self, group: &str, seq: u64) -> Result<StoredMessage, String> {
        self.with_db(|db| {
            Ok(StoredMessage {
                reads: db.timeline(group, seq)?,
                counts: db.counts(group, seq)?,
            })
        })
    }

    /// A poll of message `seq`'s read list at `at_ms` listed `readers`.
    pub fn record_poll(
        &self,
        group: &str,
        seq: u64,
        readers: &[String],
        at_ms: u64,
    ) -> Result<(), String> {
        self.with_db(|db| db.record_poll(group, seq, readers, at_ms))
    }

    /// A position scan at `at_ms` found `readers` at or past message `seq`.
    pub fn record_scan(
        &self,
        group: &str,
        seq: u64,
        readers: &[String],
        at_ms: u64,
    ) -> Result<(), String> {
        self.with_db(|db| db.record_scan(group, seq, readers, at_ms))
    }
}
