//! The store's plain types (a leaf every other store file uses): what goes in, where a
//! read came from, what can go wrong, where the file is.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::webhook::event::ReceiptEvent;

/// Directory of the stores inside the state directory.
pub const DIR_NAME: &str = "store";

/// Where a read came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// A callback received by a webhook receiver (`listen`, the dashboard).
    Webhook,
    /// A callback loaded from a `listen --record` file by `import`.
    Import,
    /// Watch mode's poll of a message's read list (bounds only).
    Poll,
    /// A scan of the members' read positions (bounds only).
    Position,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Webhook => "webhook",
            Origin::Import => "import",
            Origin::Poll => "poll",
            Origin::Position => "position",
        }
    }

    pub fn parse(s: &str) -> Option<Origin> {
        match s {
            "webhook" => Some(Origin::Webhook),
            "import" => Some(Origin::Import),
            "poll" => Some(Origin::Poll),
            "position" => Some(Origin::Position),
            _ => None,
        }
    }
}

/// An event to store.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub event: ReceiptEvent,
    /// The callback body as one line of JSON.
    pub body: String,
    /// `Webhook` or `Import`.
    pub origin: Origin,
    /// When it was received (or imported), Unix milliseconds.
    pub received_ms: u64,
}

/// Why the store could not do something (one line, no secret: the store holds none).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the store {path}: {why}")]
    Open { path: PathBuf, why: String },
    #[error(
        "no store at {0}: events are stored by `tim-receipts listen` and by the dashboard's webhook receiver (or load a record file with `tim-receipts import FILE`)"
    )]
    Missing(PathBuf),
    #[error("the store could not commit: {0}")]
    Write(String),
    #[error("the store could not be read: {0}")]
    Read(String),
    #[error("the store's writer has stopped")]
    Closed,
    #[error("the store did not commit within {0} s")]
    Timeout(u64),
}

impl StoreError {
    pub(super) fn open(path: &Path, why: &str) -> StoreError {
        StoreError::Open {
            path: path.to_path_buf(),
            why: why.to_string(),
        }
    }

    pub(super) fn write(e: rusqlite::Error) -> StoreError {
        StoreError::Write(e.to_string())
    }

    pub(super) fn read(e: rusqlite::Error) -> StoreError {
        StoreError::Read(e.to_string())
    }
}

/// The store file of an app inside `dir`: `<SDKAppID>.sqlite3`, or for the demo sandbox's
/// app `demo-<SDKAppID>.sqlite3` (kept apart from a real app that shares the number).
pub fn file_in(dir: &Path, sdkappid: u64, demo: bool) -> PathBuf {
    if demo {
        dir.join(format!("demo-{sdkappid}.sqlite3"))
    } else {
        dir.join(format!("{sdkappid}.sqlite3"))
    }
}

/// Current Unix time in milliseconds.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}
