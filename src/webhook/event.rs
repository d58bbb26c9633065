//! What an accepted callback becomes: a [`ReceiptEvent`] of [`ReceiptUpdate`]s (a leaf: the
//! parser, the server and `listen` all use it).

use serde::Serialize;

/// One accepted `Group.CallbackAfterReadReceipt` callback.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReceiptEvent {
    pub group_id: String,
    /// Group type as the service sent it (e.g. "Public"); "" when it sent none.
    pub group_type: String,
    /// EventTime, Unix milliseconds (sent as a string or a number; the receive time when
    /// the service sent none).
    pub event_time_ms: u64,
    pub receipts: Vec<ReceiptUpdate>,
}

/// One message's counts inside an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReceiptUpdate {
    pub seq: u64,
    pub read: u64,
    pub unread: u64,
    /// The members who read in this event (not the cumulative list).
    pub readers: Vec<String>,
}
