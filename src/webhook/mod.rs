//! The Group.CallbackAfterReadReceipt receiver: verify, parse, store, hand events on.
//!
//! - [`verify`]: SdkAppid check, `Sign` (SHA-256 of token + RequestTime, constant-time
//!   compare) and the RequestTime freshness window.
//! - [`parse`]: the tolerant body parser.
//! - [`reject`]: refusal reasons and their vendor-style JSON answers (codes documented there).
//! - [`server`]: the axum router, [`start`] and the running [`Receiver`].
//! - [`conn`]: accepting connections, the connection cap, header and write timeouts.
//! - [`throttle`]: the budget of warning lines (refusals), so floods cannot fill the log.
//! - [`listen`]: the `tim-receipts listen` subcommand.
//! - `storing`: committing each accepted event to the incident store ([`crate::store`])
//!   before the answer; a commit that fails is answered 500.
//! - [`event`]: [`ReceiptEvent`] and [`ReceiptUpdate`], what an accepted callback becomes.

pub mod conn;
pub mod event;
pub mod listen;
pub mod parse;
pub mod reject;
pub mod server;
mod stats;
mod storing;
pub mod throttle;
pub mod verify;

pub use event::{ReceiptEvent, ReceiptUpdate};
pub use listen::{ListenOptions, run_listen};
pub use parse::{Callback, READ_RECEIPT_COMMAND, parse_callback};
pub use reject::{Envelope, Rejection};
pub use server::{
    DEFAULT_BODY_LIMIT, DEFAULT_HEADER_TIMEOUT, DEFAULT_MAX_AGE, DEFAULT_MAX_CONNECTIONS, Receiver,
    ReceiverConfig, ReceiverStats, StatsSnapshot, router, router_with_stats, start,
};
pub use verify::sign;
