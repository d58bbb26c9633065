//! What a receiver counts while it runs.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::store::Health;

/// Running totals of what a receiver did, readable while it runs.
#[derive(Debug, Default)]
pub struct ReceiverStats {
    pub(super) accepted: AtomicU64,
    pub(super) ignored: AtomicU64,
    pub(super) rejected: AtomicU64,
    pub(super) dropped: AtomicU64,
    pub(super) connections_open: AtomicU64,
    pub(super) connections_refused: AtomicU64,
    pub(super) warnings_held_back: AtomicU64,
}

/// A copy of [`ReceiverStats`] at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatsSnapshot {
    /// Read-receipt events accepted (including dropped ones).
    pub accepted: u64,
    /// Other callback commands, acknowledged and ignored.
    pub ignored: u64,
    /// Requests refused (bad signature, wrong app, malformed, ...).
    pub rejected: u64,
    /// Accepted events the consumer's channel could not take (full or closed).
    pub dropped: u64,
    /// Connections being served now.
    pub connections_open: u64,
    /// Connections refused because `max_connections` were open.
    pub connections_refused: u64,
    /// Warning lines (refusals, ...) not logged because of the line budget.
    pub warnings_held_back: u64,
    /// The incident store's health when the receiver stores events (`failing`: the last
    /// commit failed, so events are being answered 500 and kept in memory only).
    pub store: Option<Health>,
}

impl StatsSnapshot {
    /// True while the store fails to commit (the dashboard shows it).
    pub fn storing_fails(&self) -> bool {
        self.store.is_some_and(|h| h.failing)
    }
}

impl ReceiverStats {
    pub fn snapshot(&self) -> StatsSnapshot {
        StatsSnapshot {
            accepted: self.accepted.load(Ordering::Relaxed),
            ignored: self.ignored.load(Ordering::Relaxed),
            rejected: self.rejected.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
            connections_open: self.connections_open.load(Ordering::Relaxed),
            connections_refused: self.connections_refused.load(Ordering::Relaxed),
            warnings_held_back: self.warnings_held_back.load(Ordering::Relaxed),
            store: None,
        }
    }
}
