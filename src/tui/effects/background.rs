//! The effects that work in the background beside the panes: the group index (from the
//! disk cache, or built with progress) and the incident store (a message's reads and
//! counts, and watch mode's polls of a read list).

use std::sync::Arc;

use super::{EffectRunner, now_ms};
use crate::api::ReceiptFilter;
use crate::api::UserOptions;
use crate::api::group_index::{DEFAULT_MAX_AGE_SECS, GroupIndex};
use crate::api::user::UserUpdate;
use crate::tui::model::event::{ApiEvent, Event};

impl EffectRunner {
    /// One user's report: each update goes back as it comes; a failure as a problem line.
    pub(super) fn user(&self, generation: u64, account: String) {
        let session = Arc::clone(&self.session);
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let progress_tx = tx.clone();
            let mut progress = move |update: &UserUpdate| {
                let _ = progress_tx.send(Event::Api(ApiEvent::User {
                    generation,
                    update: update.clone(),
                    at: now_ms() / 1000,
                }));
            };
            let result = session
                .client
                .user_report(&account, UserOptions::default(), &mut progress, None)
                .await;
            if let Err(e) = result {
                for update in [
                    UserUpdate::Problem(crate::tui::model::status::explain(&e).what),
                    UserUpdate::Done,
                ] {
                    let _ = tx.send(Event::Api(ApiEvent::User {
                        generation,
                        update,
                        at: now_ms() / 1000,
                    }));
                }
            }
        });
    }

    /// The group index: from the disk cache when it is fresh, else built (progress comes
    /// back as events) and saved for the next start.
    pub(super) fn group_index(&self) {
        let session = Arc::clone(&self.session);
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let config = session.client.config();
            let sdkappid = config.sdkappid;
            let path = crate::config::cache_dir()
                .map(|d| d.join(GroupIndex::file_name(sdkappid, &config.endpoint)));
            let now = now_ms() / 1000;
            if let Some(index) = path.as_deref().and_then(|p| GroupIndex::load(p, sdkappid))
                && index.is_fresh(now, DEFAULT_MAX_AGE_SECS)
            {
                let _ = tx.send(Event::Api(ApiEvent::GroupIndex {
                    result: Ok(index),
                    from_cache: true,
                }));
                return;
            }
            let progress_tx = tx.clone();
            let mut progress = move |p| {
                let _ = progress_tx.send(Event::IndexProgress(p));
            };
            let result = session
                .client
                .build_group_index(now, &mut progress, None)
                .await;
            if let (Ok(index), Some(path)) = (&result, &path)
                && let Err(e) = index.save(path)
            {
                tracing::warn!("the group index could not be saved: {e}");
            }
            let _ = tx.send(Event::Api(ApiEvent::GroupIndex {
                result,
                from_cache: false,
            }));
        });
    }

    /// Read message `seq`'s reads and counts from the store and send them back.
    pub(super) fn stored(&self, group: String, seq: u64) {
        let Some(store) = self.store.clone() else {
            return;
        };
        let tx = self.tx.clone();
        tokio::task::spawn_blocking(move || {
            let result = store.load(&group, seq);
            let _ = tx.send(Event::Api(ApiEvent::Stored { group, seq, result }));
        });
    }

    /// Watch mode: fetch the read list of `seq`, record the poll, reload the store's reads.
    pub(super) fn poll_readers(&self, group: String, seq: u64) {
        let Some(store) = self.store.clone() else {
            return;
        };
        let session = Arc::clone(&self.session);
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let readers = session
                .client
                .receipt_members_all(&group, seq, ReceiptFilter::Read, &mut |_| {})
                .await;
            let at = u64::try_from(now_ms()).unwrap_or(0);
            let result = tokio::task::spawn_blocking(move || {
                if let Ok(readers) = &readers
                    && let Err(e) = store.record_poll(&group, seq, readers, at)
                {
                    tracing::warn!("store: recording a poll failed: {e}");
                }
                let result = match readers {
                    Ok(_) => store.load(&group, seq),
                    Err(e) => Err(format!(
                        "the read list could not be polled: {}",
                        crate::tui::model::status::explain(&e).what
                    )),
                };
                ApiEvent::Stored { group, seq, result }
            })
            .await;
            if let Ok(event) = result {
                let _ = tx.send(Event::Api(event));
            }
        });
    }
}
