//! The Group.CallbackAfterReadReceipt receiver: verify, parse, hand events on.
//!
//! - [`verify`]: SdkAppid check, `Sign` (SHA-256 of token + RequestTime, constant-time
//!   compare) and the RequestTime freshness window.
//! - [`parse`]: the tolerant body parser.
//! - [`reject`]: refusal reasons and their vendor-style JSON answers (codes documented there).
//! - [`server`]: the axum router, [`start`] and the running [`Receiver`].
//! - [`conn`]: accepting connections, the connection cap, header and write timeouts.
//! - [`throttle`]: the budget of warning lines (refusals), so floods cannot fill the log.
//! - [`listen`]: the `tim-receipts listen` subcommand.

use serde::Serialize;

pub mod conn;
pub mod listen;
pub mod parse;
pub mod reject;
pub mod server;
mod stats;
pub mod throttle;
pub mod verify;

pub use listen::{ListenOptions, run_listen};
pub use parse::{Callback, READ_RECEIPT_COMMAND, parse_callback};
pub use reject::{Envelope, Rejection};
pub use server::{
    DEFAULT_BODY_LIMIT, DEFAULT_HEADER_TIMEOUT, DEFAULT_MAX_AGE, DEFAULT_MAX_CONNECTIONS, Receiver,
    ReceiverConfig, ReceiverStats, StatsSnapshot, router, router_with_stats, start,
};
pub use verify::sign;

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
