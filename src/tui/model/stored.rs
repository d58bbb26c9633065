//! What the incident store knows of the open message: each member's first read time (from
//! webhook events, or bounds from polls and position scans), the time-to-read figures
//! built from them, and whether storing is failing. Filled by effects; no I/O here.

use std::collections::HashMap;

use crate::store::{CountPoint, Origin, Read};

/// One message's reads and counts history, as the store has them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredMessage {
    pub reads: Vec<Read>,
    pub counts: Vec<CountPoint>,
}

/// The store's side of the dashboard.
#[derive(Debug, Clone, Default)]
pub struct Stored {
    /// A store is open (the dashboard's receiver stores events).
    pub enabled: bool,
    /// The message the reads are of.
    pub key: Option<(String, u64)>,
    pub reads: HashMap<String, Read>,
    /// A load of `key` is on its way.
    pub loading: bool,
    /// The last load failed: why (shown on the status line once).
    pub error: Option<String>,
    /// The receiver could not commit its last events (they were answered 500).
    pub failing: bool,
    /// A read-list poll of the open message is on its way (watch mode).
    pub poll_in_flight: bool,
}

/// Time-to-read figures of one message from its known read times.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeToRead {
    /// Reads with a known time.
    pub known: usize,
    /// Out of how many recipients the shares are.
    pub recipients: u64,
    pub median_ms: u64,
    pub p90_ms: u64,
    /// Shares of the recipients who read within 5, 15 and 60 minutes.
    pub within: [(u64, f64); 3],
}

impl Stored {
    /// The read of `account` in the open message, when the store has one.
    pub fn read_of(&self, account: &str) -> Option<&Read> {
        self.reads.get(account)
    }

    /// Take a load's answer for `key` (an answer for another message is dropped).
    pub fn apply(&mut self, key: &(String, u64), message: &StoredMessage) -> bool {
        if self.key.as_ref() != Some(key) {
            return false;
        }
        self.loading = false;
        self.error = None;
        for read in &message.reads {
            // A live event may have arrived first; the store's earliest time wins.
            self.reads.insert(read.member.clone(), read.clone());
        }
        true
    }

    /// A webhook listed `readers` of `key` at `at_ms`: a first read unless one is known.
    pub fn note_event(&mut self, key: &(String, u64), readers: &[String], at_ms: u64) {
        if self.key.as_ref() != Some(key) {
            return;
        }
        for reader in readers {
            let read = self.reads.entry(reader.clone()).or_insert_with(|| Read {
                seq: key.1,
                member: reader.clone(),
                read_at_ms: Some(at_ms),
                read_after_ms: None,
                read_before_ms: None,
                source: Origin::Webhook,
            });
            if read.read_at_ms.is_none_or(|t| at_ms < t) {
                read.read_at_ms = Some(at_ms);
                read.read_after_ms = None;
                read.read_before_ms = None;
                read.source = Origin::Webhook;
            }
        }
    }

    /// Median and 90th percentile of the time from `sent_ms` to each known read time, and
    /// the share of `recipients` (all who should read: read + unread) who read within 5, 15
    /// and 60 minutes. Reads known only by bounds count by their upper bound.
    pub fn time_to_read(&self, sent_ms: u64, recipients: u64) -> Option<TimeToRead> {
        let mut delays: Vec<u64> = self
            .reads
            .values()
            .filter_map(Read::time_ms)
            .map(|t| t.saturating_sub(sent_ms))
            .collect();
        if delays.is_empty() {
            return None;
        }
        delays.sort_unstable();
        let at = |q: f64| delays[((delays.len() - 1) as f64 * q).round() as usize];
        let recipients = recipients.max(delays.len() as u64);
        let share = |minutes: u64| {
            let n = delays.partition_point(|d| *d <= minutes * 60_000);
            (minutes, n as f64 / recipients as f64)
        };
        Some(TimeToRead {
            known: delays.len(),
            recipients,
            median_ms: at(0.5),
            p90_ms: at(0.9),
            within: [share(5), share(15), share(60)],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(member: &str, at: Option<u64>, before: Option<u64>) -> Read {
        Read {
            seq: 7,
            member: member.into(),
            read_at_ms: at,
            read_after_ms: None,
            read_before_ms: before,
            source: Origin::Webhook,
        }
    }

    #[test]
    fn time_to_read_counts_shares_of_all_recipients() {
        let key = ("g".to_string(), 7);
        let mut s = Stored {
            key: Some(key.clone()),
            ..Default::default()
        };
        let minute = 60_000;
        s.apply(
            &key,
            &StoredMessage {
                reads: vec![
                    read("a", Some(minute), None),
                    read("b", Some(4 * minute), None),
                    read("c", Some(10 * minute), None),
                    read("d", None, Some(30 * minute)),
                ],
                counts: vec![],
            },
        );
        let t = s.time_to_read(0, 10).unwrap();
        assert_eq!(t.known, 4);
        assert_eq!(t.median_ms, 10 * minute, "rounded middle of 1, 4, 10, 30");
        assert_eq!(t.p90_ms, 30 * minute);
        assert_eq!(t.within[0], (5, 0.2));
        assert_eq!(t.within[1], (15, 0.3));
        assert_eq!(t.within[2], (60, 0.4));
        assert!(Stored::default().time_to_read(0, 10).is_none());
    }

    #[test]
    fn events_add_first_reads_and_the_earliest_time_wins() {
        let key = ("g".to_string(), 7);
        let mut s = Stored {
            key: Some(key.clone()),
            ..Default::default()
        };
        s.note_event(&key, &["a".into()], 5_000);
        s.note_event(&key, &["a".into(), "b".into()], 9_000);
        s.note_event(&key, &["a".into()], 2_000);
        assert_eq!(s.read_of("a").unwrap().read_at_ms, Some(2_000));
        assert_eq!(s.read_of("b").unwrap().read_at_ms, Some(9_000));
        // Another message's events are not this one's.
        s.note_event(&("g".into(), 8), &["c".into()], 1_000);
        assert!(s.read_of("c").is_none());
    }
}
