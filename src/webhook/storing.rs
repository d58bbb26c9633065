//! The receiver's side of the incident store: an accepted event becomes a [`NewEvent`],
//! is committed before the answer, and a commit that fails becomes a 500 (ErrorCode
//! 50001) for that event while the live view still gets it.

use axum::body::Bytes;

use super::event::ReceiptEvent;
use super::parse::one_line_json;
use super::reject::Rejection;
use super::stats::StatsSnapshot;
use super::throttle::quoted;
use crate::store::{NewEvent, Origin, Store};

/// What the store keeps of an accepted event: the parsed event and its body on one line.
pub(super) fn new_event(event: &ReceiptEvent, body: &Bytes, received_ms: u64) -> NewEvent {
    NewEvent {
        event: event.clone(),
        body: String::from_utf8_lossy(&one_line_json(body)).into_owned(),
        origin: Origin::Webhook,
        received_ms,
    }
}

/// Commit `new` and wait for it; a failure goes to `warn` (the receiver's line budget) as
/// a log line and becomes the refusal.
pub(super) async fn commit(
    store: &Store,
    new: NewEvent,
    warn: impl FnOnce(String),
) -> Result<(), Rejection> {
    let group = new.event.group_id.clone();
    match store.submit(new).await {
        Ok(_) => Ok(()),
        Err(e) => {
            let why = e.to_string();
            warn(format!(
                "webhook event not stored (answered 500): {why}; group {}",
                quoted(&group, 80)
            ));
            Err(Rejection::NotStored(why))
        }
    }
}

/// `snapshot` with the store's health, when there is a store.
pub(super) fn with_health(mut snapshot: StatsSnapshot, store: Option<&Store>) -> StatsSnapshot {
    snapshot.store = store.map(Store::health);
    snapshot
}
