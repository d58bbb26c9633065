//! Live receipts: the feed of webhook events and the read-over-time history
//! of messages, fed by webhook events and by watch-mode polls. Bounded in memory.

use std::collections::{HashMap, VecDeque};

use crate::api::ReceiptCount;
use crate::webhook::ReceiptEvent;

/// Feed lines kept for the events pane.
pub const FEED_LIMIT: usize = 500;
/// Points kept per message.
pub const HISTORY_LIMIT: usize = 2_000;
/// Messages with a history kept at once (the oldest touched is dropped first).
pub const HISTORY_MESSAGES: usize = 256;

/// One line of the events pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedLine {
    pub event_time_ms: u64,
    pub group_id: String,
    pub seq: u64,
    pub read: u64,
    pub unread: u64,
    /// Members who read in this event (first few), and how many in all.
    pub readers: Vec<String>,
    pub reader_count: usize,
}

/// Where a history point came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointSource {
    Webhook,
    Poll,
}

/// One point of read ratio over time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Unix seconds (fractional).
    pub t: f64,
    /// Read fraction, 0–1.
    pub ratio: f64,
    pub source: PointSource,
}

/// The live state: feed, histories, counters.
#[derive(Debug, Clone, Default)]
pub struct Live {
    pub feed: VecDeque<FeedLine>,
    history: HashMap<(String, u64), VecDeque<Point>>,
    /// Keys in order of last touch, for eviction.
    touched: VecDeque<(String, u64)>,
    /// Events received since start.
    pub events_received: u64,
    /// Where the receiver listens, when it runs (shown in the header).
    pub listening: Option<String>,
    /// The receiver runs without a token: anyone who can reach it can post receipts. The
    /// header and the Live pane say so for as long as it runs.
    pub unsigned: bool,
}

impl Live {
    /// Take one webhook event: feed lines and history points.
    pub fn record_event(&mut self, event: &ReceiptEvent) {
        self.events_received += 1;
        let t = event.event_time_ms as f64 / 1000.0;
        for update in &event.receipts {
            self.feed.push_front(FeedLine {
                event_time_ms: event.event_time_ms,
                group_id: event.group_id.clone(),
                seq: update.seq,
                read: update.read,
                unread: update.unread,
                readers: update.readers.iter().take(3).cloned().collect(),
                reader_count: update.readers.len(),
            });
            let total = update.read.saturating_add(update.unread);
            if total > 0 {
                self.push_point(
                    &event.group_id,
                    update.seq,
                    Point {
                        t,
                        ratio: update.read as f64 / total as f64,
                        source: PointSource::Webhook,
                    },
                );
            }
        }
        self.feed.truncate(FEED_LIMIT);
    }

    /// Take counts from a poll made at `at_ms`.
    pub fn record_poll(&mut self, group: &str, counts: &[ReceiptCount], at_ms: i64) {
        let t = at_ms as f64 / 1000.0;
        for count in counts {
            if let Some(ratio) = count.ratio() {
                self.push_point(
                    group,
                    count.seq,
                    Point {
                        t,
                        ratio,
                        source: PointSource::Poll,
                    },
                );
            }
        }
    }

    /// Take a message's counts after each event the incident store kept (so the chart
    /// covers the time before the dashboard started). Points already held are not repeated.
    pub fn load_counts(&mut self, group: &str, seq: u64, counts: &[crate::store::CountPoint]) {
        for c in counts {
            let total = c.read.saturating_add(c.unread);
            if total == 0 {
                continue;
            }
            let t = c.event_time_ms as f64 / 1000.0;
            let ratio = c.read as f64 / total as f64;
            let held = self
                .history
                .get(&(group.to_string(), seq))
                .is_some_and(|points| points.iter().any(|p| p.t == t && p.ratio == ratio));
            if !held {
                self.push_point(
                    group,
                    seq,
                    Point {
                        t,
                        ratio,
                        source: PointSource::Webhook,
                    },
                );
            }
        }
    }

    /// The history of one message, oldest first.
    pub fn history(&self, group: &str, seq: u64) -> Option<&VecDeque<Point>> {
        self.history.get(&(group.to_string(), seq))
    }

    fn push_point(&mut self, group: &str, seq: u64, point: Point) {
        let key = (group.to_string(), seq);
        if let Some(pos) = self.touched.iter().position(|k| *k == key) {
            self.touched.remove(pos);
        }
        self.touched.push_back(key.clone());
        while self.touched.len() > HISTORY_MESSAGES {
            if let Some(old) = self.touched.pop_front() {
                self.history.remove(&old);
            }
        }
        let points = self.history.entry(key).or_default();
        // Keep time order even when a late webhook arrives after a newer poll.
        let at = points
            .iter()
            .rposition(|p| p.t <= point.t)
            .map_or(0, |i| i + 1);
        points.insert(at, point);
        while points.len() > HISTORY_LIMIT {
            points.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webhook::ReceiptUpdate;

    fn event(seq: u64, read: u64, unread: u64, t: u64) -> ReceiptEvent {
        ReceiptEvent {
            group_id: "@TGS#g".into(),
            group_type: "Public".into(),
            event_time_ms: t,
            receipts: vec![ReceiptUpdate {
                seq,
                read,
                unread,
                readers: vec!["a".into(), "b".into(), "c".into(), "d".into()],
            }],
        }
    }

    #[test]
    fn events_feed_and_history() {
        let mut live = Live::default();
        live.record_event(&event(7, 1, 3, 2_000));
        live.record_event(&event(7, 2, 2, 1_000));
        assert_eq!(live.feed.len(), 2);
        assert_eq!(live.feed[0].read, 2, "newest first");
        assert_eq!(live.feed[0].readers.len(), 3);
        assert_eq!(live.feed[0].reader_count, 4);
        let h = live.history("@TGS#g", 7).unwrap();
        let ts: Vec<f64> = h.iter().map(|p| p.t).collect();
        assert_eq!(ts, vec![1.0, 2.0], "kept in time order");
        assert_eq!(h[1].ratio, 0.25);
    }

    #[test]
    fn memory_is_bounded() {
        let mut live = Live::default();
        for i in 0..(FEED_LIMIT as u64 + 10) {
            live.record_event(&event(i % 300, 1, 1, i));
        }
        assert_eq!(live.feed.len(), FEED_LIMIT);
        assert!(live.history.len() <= HISTORY_MESSAGES);
        for i in 0..(HISTORY_LIMIT as i64 + 5) {
            let c = ReceiptCount {
                seq: 1,
                read: Some(1),
                unread: Some(1),
                code: 0,
            };
            live.record_poll("@TGS#h", &[c], i);
        }
        assert_eq!(live.history("@TGS#h", 1).unwrap().len(), HISTORY_LIMIT);
    }
}
