//! The messages pane: one group's history, newest first, with receipt counts per row.

use std::collections::HashMap;

use crate::api::{GroupInfo, GroupType, Message, MessageKind, NoReceipts, ReceiptCount};
use crate::tui::model::listview::{ListView, RowFilter, contains_folded};
use crate::tui::model::paged::{Bounds, Keyed, PagedList};

use super::list_pane::ListPane;

/// Messages per `group_msg_get_simple` page (the API's maximum).
pub const MESSAGE_PAGE: u32 = crate::vendor::limits::MESSAGES_PER_HISTORY_CALL;
/// Messages: seqs are 32-bit; each group is also held to its newest seq.
const MESSAGE_BOUNDS: Bounds = Bounds {
    page_size: MESSAGE_PAGE as usize,
    max_items: u32::MAX as u64,
    why: "the most messages a group can have",
};

/// Receipt counts of one message row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counts {
    /// Not asked yet (or in flight).
    Unknown,
    /// The counts call failed; shown as "?".
    Failed,
    Known {
        count: ReceiptCount,
        /// Last updated by a webhook event.
        live: bool,
    },
}

impl Counts {
    pub fn count(&self) -> Option<&ReceiptCount> {
        match self {
            Counts::Known { count, .. } => Some(count),
            _ => None,
        }
    }

    /// The message was sent without a read receipt (code 10062) or has no counts.
    pub fn no_receipt(&self) -> bool {
        matches!(self, Counts::Known { count, .. } if count.read.is_none())
    }
}

/// One row of the messages pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRow {
    pub message: Message,
    pub counts: Counts,
}

impl MessageRow {
    /// Recalled and expired place-holders have no receipts; counts are not asked for them.
    pub fn has_receipt_slot(&self) -> bool {
        self.message.kind == MessageKind::Normal
    }
}

impl Keyed for MessageRow {
    type Key = u64;
    fn key(&self) -> u64 {
        self.message.seq
    }
}

/// The messages pane: one group's history, newest first, with counts per row.
#[derive(Debug, Clone)]
pub struct MessagesPane {
    pub group: Option<GroupInfo>,
    /// A group being opened whose details are still on the way.
    pub opening: Option<String>,
    /// A group whose opening failed (`r` retries it).
    pub failed_open: Option<String>,
    /// Cursor: `ReqMsgSeq` of the next (older) page; `None` asks for the newest.
    pub list: PagedList<MessageRow, Option<u64>>,
    pub view: ListView,
    pub filter: RowFilter,
    /// seq → index in the list, for in-place updates from counts and webhooks.
    pub index: HashMap<u64, usize>,
    pub poll_in_flight: bool,
    pub counts_in_flight: usize,
    /// The highest seq a webhook mentioned for this group (newer messages than loaded).
    pub newest_seen: u64,
    /// The senders' name lookup in flight (apart from the member rows' own).
    pub names_in_flight: Option<crate::api::names::NameRequest>,
}

impl Default for MessagesPane {
    fn default() -> Self {
        MessagesPane {
            group: None,
            opening: None,
            failed_open: None,
            list: PagedList::new(None, MESSAGE_BOUNDS),
            view: ListView::default(),
            filter: RowFilter::default(),
            index: HashMap::new(),
            poll_in_flight: false,
            counts_in_flight: 0,
            newest_seen: 0,
            names_in_flight: None,
        }
    }
}

impl MessagesPane {
    pub fn group_id(&self) -> Option<&str> {
        self.group.as_ref().map(|g| g.id.as_str())
    }

    pub fn group_type(&self) -> Option<GroupType> {
        self.group.as_ref().and_then(|g| g.group_type)
    }

    /// Does the open group's type support read receipts at all?
    pub fn supports_receipts(&self) -> bool {
        self.group_type().is_none_or(GroupType::supports_receipts)
    }

    /// Does the open group keep a message history to list? Every type but AVChatRoom
    /// (live streams) does; a Community has no receipts but its members' read positions.
    pub fn has_history(&self) -> bool {
        self.group_type() != Some(GroupType::AVChatRoom)
    }

    /// The open group's type has no receipts but keeps read positions (a Community).
    pub fn positions_only(&self) -> Option<GroupType> {
        self.group_type()
            .filter(|t| !t.supports_receipts() && !t.ignores_unread_count())
    }

    /// The first row of the pane says why there are no receipts (over the cap, or a type
    /// without them): the viewport gives that row up.
    pub fn has_banner(&self) -> bool {
        self.over_receipt_cap().is_some() || self.positions_only().is_some()
    }

    /// The open group's member count when it is over the receipt cap (a type with
    /// receipts, more than 200 members): the pane then spends its first row saying so.
    pub fn over_receipt_cap(&self) -> Option<u64> {
        match self.group.as_ref()?.no_receipts()? {
            NoReceipts::TooManyMembers(n) => Some(n),
            NoReceipts::Type(_) => None,
        }
    }

    /// A webhook told of messages newer than the newest loaded (`r` loads them).
    pub fn has_newer(&self) -> bool {
        self.list
            .get(0)
            .is_some_and(|newest| self.newest_seen > newest.message.seq)
    }

    pub fn rebuild_index(&mut self) {
        self.index = self
            .list
            .items()
            .iter()
            .enumerate()
            .map(|(i, row)| (row.message.seq, i))
            .collect();
    }

    pub fn sync_filter(&mut self) {
        self.filter.sync(self.list.items(), |row, needle| {
            contains_folded(&row.message.text, needle)
                || contains_folded(&row.message.from, needle)
                || contains_folded(&row.message.seq.to_string(), needle)
        });
    }

    /// The senders of `rows` shown rows from the top of the window, each once (system
    /// messages have no member behind them).
    pub fn shown_senders(&self, rows: usize) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        let start = self.view.offset;
        (start..start.saturating_add(rows).min(self.visible_len()))
            .filter_map(|r| self.filter.item_index(r).and_then(|i| self.list.get(i)))
            .filter(|row| !row.message.is_system && !row.message.from.is_empty())
            .filter(|row| seen.insert(row.message.from.as_str()))
            .map(|row| row.message.from.clone())
            .collect()
    }

    pub fn selected(&self) -> Option<&MessageRow> {
        self.filter
            .item_index(self.view.selected)
            .and_then(|i| self.list.get(i))
    }

    pub fn row_by_seq(&self, seq: u64) -> Option<&MessageRow> {
        self.index.get(&seq).and_then(|&i| self.list.get(i))
    }

    pub fn row_by_seq_mut(&mut self, seq: u64) -> Option<&mut MessageRow> {
        let i = *self.index.get(&seq)?;
        self.list.items_mut().get_mut(i)
    }

    /// Seqs of the visible rows that can have receipts (for watch-mode polls).
    pub fn visible_receipt_seqs(&self, height: usize) -> Vec<u64> {
        self.view
            .window(self.visible_len(), height)
            .filter_map(|row| self.filter.item_index(row).and_then(|i| self.list.get(i)))
            .filter(|row| row.has_receipt_slot() && !row.counts.no_receipt())
            .map(|row| row.message.seq)
            .collect()
    }

    /// Apply counts from the service (a page load or a poll).
    pub fn apply_counts(&mut self, counts: &[ReceiptCount]) {
        for count in counts {
            if let Some(row) = self.row_by_seq_mut(count.seq) {
                row.counts = Counts::Known {
                    count: *count,
                    live: false,
                };
            }
        }
    }

    pub fn mark_counts_failed(&mut self, seqs: &[u64]) {
        for seq in seqs {
            if let Some(row) = self.row_by_seq_mut(*seq)
                && row.counts == Counts::Unknown
            {
                row.counts = Counts::Failed;
            }
        }
    }
}

impl ListPane for MessagesPane {
    fn view(&self) -> &ListView {
        &self.view
    }
    fn view_mut(&mut self) -> &mut ListView {
        &mut self.view
    }
    fn filter(&self) -> &RowFilter {
        &self.filter
    }
    fn filter_mut(&mut self) -> &mut RowFilter {
        &mut self.filter
    }
    fn sync_filter(&mut self) {
        MessagesPane::sync_filter(self);
    }
    fn loaded_len(&self) -> usize {
        self.list.len()
    }
    /// Complete when every page is in, or when no group is open (nothing to load).
    fn is_complete(&self) -> bool {
        self.list.is_exhausted() || self.group.is_none()
    }
    fn has_failed(&self) -> bool {
        self.list.error().is_some()
    }
    fn is_refreshing(&self) -> bool {
        self.list.is_refreshing()
    }
    fn noun(&self) -> &'static str {
        "messages"
    }
    /// The message's seq.
    fn selected_text(&self) -> Option<String> {
        self.selected().map(|r| r.message.seq.to_string())
    }
}
