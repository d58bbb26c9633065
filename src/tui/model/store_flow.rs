//! The incident store in `update`: load the open message's reads when it changes, take
//! webhook reads into them, poll the read list in watch mode, hand a finished position
//! scan to the store, and say when storing fails. No I/O: effects do the store's work.

use super::app::App;
use super::event::Effect;
use super::panes::MemberSource;
use super::stored::StoredMessage;
use crate::webhook::ReceiptEvent;

impl App {
    /// The open message's (group, seq).
    fn stored_key(&self) -> Option<(String, u64)> {
        let t = self.members.target.as_ref()?;
        Some((t.group.clone(), t.seq))
    }

    /// Ask the store for the open message's reads when it is not the one loaded.
    pub(super) fn pump_stored(&mut self, fx: &mut Vec<Effect>) -> bool {
        if !self.stored.enabled {
            return false;
        }
        let key = self.stored_key();
        if key == self.stored.key {
            return false;
        }
        self.stored.key = key.clone();
        self.stored.reads.clear();
        self.stored.poll_in_flight = false;
        match key {
            Some((group, seq)) => {
                self.stored.loading = true;
                fx.push(Effect::LoadStored { group, seq });
                true
            }
            None => {
                self.stored.loading = false;
                false
            }
        }
    }

    /// The store answered for (group, seq).
    pub(super) fn on_stored(
        &mut self,
        group: String,
        seq: u64,
        result: Result<StoredMessage, String>,
    ) -> bool {
        let key = (group, seq);
        match result {
            Ok(message) => {
                self.live.load_counts(&key.0, key.1, &message.counts);
                if self.stored.key.as_ref() == Some(&key) {
                    self.stored.poll_in_flight = false;
                }
                self.stored.apply(&key, &message)
            }
            Err(why) if self.stored.key.as_ref() == Some(&key) => {
                self.stored.loading = false;
                self.stored.poll_in_flight = false;
                self.status.notice = Some(format!("the incident store could not be read: {why}"));
                self.stored.error = Some(why);
                true
            }
            Err(_) => false,
        }
    }

    /// A webhook event: its readers of the open message have read it at the event's time.
    pub(super) fn note_stored_event(&mut self, event: &ReceiptEvent) {
        for update in &event.receipts {
            let key = (event.group_id.clone(), update.seq);
            self.stored
                .note_event(&key, &update.readers, event.event_time_ms);
        }
    }

    /// Watch mode: poll the open receipt message's read list too, so a member who appears
    /// between two polls gets those bounds in the store.
    pub(super) fn poll_readers(&mut self, fx: &mut Vec<Effect>) -> bool {
        if !self.stored.enabled || !self.watch || self.stored.poll_in_flight {
            return false;
        }
        if self.members.source != MemberSource::Receipt || self.members.no_receipt {
            return false;
        }
        let Some((group, seq)) = self.stored_key() else {
            return false;
        };
        self.stored.poll_in_flight = true;
        fx.push(Effect::PollReaders { group, seq });
        true
    }

    /// A position scan of the open message's group finished at `at_ms`: the members who
    /// have read up to the message go to the store (bounds between two scans).
    pub(super) fn record_scan(&mut self, at_ms: i64, fx: &mut Vec<Effect>) {
        if !self.stored.enabled {
            return;
        }
        let Some(target) = self.members.target.as_ref() else {
            return;
        };
        let Some(scan) = self.members.scans.get(&target.group) else {
            return;
        };
        let readers = scan
            .rows_from(0, target.seq, &target.from, target.time, true)
            .into_iter()
            .map(|p| p.account)
            .collect();
        fx.push(Effect::RecordScan {
            group: target.group.clone(),
            seq: target.seq,
            readers,
            at_ms,
        });
    }

    /// The receiver's store health, sampled by the loop.
    pub(super) fn on_store_health(&mut self, failing: bool) -> bool {
        let changed = failing != self.stored.failing;
        self.stored.failing = failing;
        changed
    }
}
