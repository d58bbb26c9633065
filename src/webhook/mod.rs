//! The Group.CallbackAfterReadReceipt receiver: verify, parse, hand events on.
//!
//! CONTRACT (skeleton): the receiver itself is issue 5's work.

use serde::Serialize;

/// One accepted `Group.CallbackAfterReadReceipt` callback.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReceiptEvent {
    pub group_id: String,
    /// Group type as the service sent it (e.g. "Public").
    pub group_type: String,
    /// EventTime, Unix milliseconds (sent as a string or a number).
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

use crate::cli::{GlobalArgs, ListenArgs};

/// The `tim-receipts listen` subcommand: one JSON line per accepted event on stdout.
#[allow(unused_variables)]
pub async fn run_listen(global: &GlobalArgs, args: &ListenArgs) -> anyhow::Result<()> {
    todo!("issue 5")
}
