//! The incident store: every verified read-receipt event, kept in a SQLite file per app so
//! "who read when" survives the process.
//!
//! - [`schema`]: the tables (README quotes them), WAL, the sync level.
//! - [`db`]: one connection; events, counts and reads written in a transaction per batch;
//!   polls of a read list as bounds.
//! - [`writer`]: the single writer task behind [`Store`]: submitters wait for the commit of
//!   the batch their event went into (group commit), never for each other.
//! - [`query`]: the timeline of a message or of a time range, the counts over time.
//! - [`retention`]: trimming by age and size.
//! - `types`: what goes in ([`NewEvent`], [`Origin`]), [`StoreError`], the file's name.
//!
//! Where: `$XDG_STATE_HOME/tim-receipts/store/<SDKAppID>.sqlite3` (the demo's app:
//! `demo-<SDKAppID>.sqlite3`), or the directory `--store-dir` / `TIM_STORE_DIR` names.
//! The store holds account IDs and read times: the directory is 0700 and the file 0600.

pub mod db;
pub mod query;
pub mod retention;
pub mod schema;
mod types;
pub mod writer;

pub use db::{Db, Outcome};
pub use query::{CountPoint, Read};
pub use retention::{Retention, TrimReport};
pub use types::{DIR_NAME, NewEvent, Origin, StoreError, file_in, now_ms};
pub use writer::{Health, Store, StoreOptions};

#[cfg(test)]
mod tests;
