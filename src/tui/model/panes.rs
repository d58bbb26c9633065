//! State of the three list panes: groups, messages, members. Pure data and the small
//! rules that belong to one pane; the cross-pane flow lives in `app.rs`.

use std::collections::{HashMap, HashSet};

use crate::api::{
    GroupInfo, GroupType, Message, MessageKind, NoReceipts, ReceiptCount, ReceiptFilter,
};

use super::listview::{ListView, RowFilter, contains_folded};
use super::paged::{Bounds, Keyed, PageState, PagedList};
use crate::api::pager::limits;

/// Group IDs asked per `get_appid_group_list` page (that API allows 1 call/s, ≤ 10,000).
pub const GROUP_PAGE: u32 = 1000;
/// Messages per `group_msg_get_simple` page (the API's maximum).
pub const MESSAGE_PAGE: u32 = 20;
/// Members per `get_group_msg_receipt_detail` page (the API's maximum).
pub const MEMBER_PAGE: u32 = 200;
/// Group IDs: no documented maximum per app; each listing is also held to the
/// `TotalCount` the service reports.
const GROUP_BOUNDS: Bounds = Bounds {
    page_size: GROUP_PAGE as usize,
    max_items: u32::MAX as u64,
    why: "the most group IDs a listing holds",
};
/// Messages: seqs are 32-bit; each group is also held to its newest seq.
const MESSAGE_BOUNDS: Bounds = Bounds {
    page_size: MESSAGE_PAGE as usize,
    max_items: u32::MAX as u64,
    why: "the most messages a group can have",
};
/// Receipt lists: at most 199 members (receipts exist only in groups of up to 200).
const MEMBER_BOUNDS: Bounds = Bounds {
    page_size: MEMBER_PAGE as usize,
    max_items: limits::RECEIPT_LIST_MAX,
    why: "the most a receipt list can hold (receipts exist only in groups of up to 200 members)",
};
/// At most this many group IDs per `get_group_info` effect (the client chunks by 50).
pub const INFO_BATCH: usize = 100;

/// Details of one group, as far as they are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupDetails {
    Loading,
    Loaded(GroupInfo),
    /// The service answered with a per-group error code (e.g. 10010: no such group).
    Missing(i64),
    Failed,
}

/// The groups pane: IDs paged from `get_appid_group_list`, details for the visible rows.
#[derive(Debug, Clone)]
pub struct GroupsPane {
    /// Group IDs; the cursor is the API's `Next` (0 first; a returned 0 ends the list).
    pub list: PagedList<String, u64>,
    pub details: HashMap<String, GroupDetails>,
    pub view: ListView,
    pub filter: RowFilter,
    pub info_in_flight: bool,
}

impl Default for GroupsPane {
    fn default() -> Self {
        GroupsPane {
            list: PagedList::new(0, GROUP_BOUNDS),
            details: HashMap::new(),
            view: ListView::default(),
            filter: RowFilter::default(),
            info_in_flight: false,
        }
    }
}

impl GroupsPane {
    pub fn info(&self, id: &str) -> Option<&GroupInfo> {
        match self.details.get(id) {
            Some(GroupDetails::Loaded(info)) => Some(info),
            _ => None,
        }
    }

    pub fn sync_filter(&mut self) {
        let details = &self.details;
        self.filter.sync(self.list.items(), |id, needle| {
            contains_folded(id, needle)
                || matches!(details.get(id), Some(GroupDetails::Loaded(g)) if contains_folded(&g.name, needle))
        });
    }

    pub fn visible_len(&self) -> usize {
        self.filter.visible_len(self.list.len())
    }

    pub fn selected_id(&self) -> Option<&String> {
        self.filter
            .item_index(self.view.selected)
            .and_then(|i| self.list.get(i))
    }

    /// IDs without details from the first visible row down to `span` rows, at most
    /// `INFO_BATCH`: what to fetch so the visible rows (and the next screen) get names.
    pub fn ids_needing_details(&self, height: usize) -> Vec<String> {
        let len = self.visible_len();
        let visible = self.view.window(len, height);
        let needs = |id: &String| !self.details.contains_key(id);
        let any_visible_missing = visible
            .clone()
            .filter_map(|row| self.filter.item_index(row).and_then(|i| self.list.get(i)))
            .any(needs);
        if !any_visible_missing {
            return Vec::new();
        }
        let end = (visible.start + height * 3).min(len);
        (visible.start..end)
            .filter_map(|row| self.filter.item_index(row).and_then(|i| self.list.get(i)))
            .filter(|id| needs(id))
            .take(INFO_BATCH)
            .cloned()
            .collect()
    }
}

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

    pub fn visible_len(&self) -> usize {
        self.filter.visible_len(self.list.len())
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

/// Which message's members are shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberTarget {
    pub group: String,
    pub group_type: Option<GroupType>,
    pub seq: u64,
}

/// The members pane: the Unread (or Read) list of one message, cursor-paged.
#[derive(Debug, Clone)]
pub struct MembersPane {
    pub target: Option<MemberTarget>,
    pub which: ReceiptFilter,
    /// Accounts; the cursor is the service's opaque `Cursor` ("" first).
    pub list: PagedList<String, String>,
    pub view: ListView,
    pub filter: RowFilter,
    /// Members a webhook reported as having read the target message since it was opened.
    pub live_readers: HashSet<String>,
    /// The message turned out to have no read receipt (10062).
    pub no_receipt: bool,
}

impl Default for MembersPane {
    fn default() -> Self {
        MembersPane {
            target: None,
            which: ReceiptFilter::Unread,
            list: PagedList::new(String::new(), MEMBER_BOUNDS),
            view: ListView::default(),
            filter: RowFilter::default(),
            live_readers: HashSet::new(),
            no_receipt: false,
        }
    }
}

impl MembersPane {
    /// Show `target`'s `which` list from the start. Stale fetches are dropped by generation.
    pub fn open(&mut self, target: MemberTarget, which: ReceiptFilter) {
        if self.target.as_ref() != Some(&target) {
            self.live_readers.clear();
        }
        self.target = Some(target);
        self.which = which;
        self.list.reset(String::new());
        self.view = ListView::default();
        self.filter.invalidate();
        self.no_receipt = false;
    }

    pub fn close(&mut self) {
        self.target = None;
        self.list.reset(String::new());
        self.view = ListView::default();
        self.filter.invalidate();
        self.live_readers.clear();
        self.no_receipt = false;
    }

    pub fn sync_filter(&mut self) {
        self.filter.sync(self.list.items(), |account, needle| {
            contains_folded(account, needle)
        });
    }

    pub fn visible_len(&self) -> usize {
        self.filter.visible_len(self.list.len())
    }

    pub fn selected_account(&self) -> Option<&String> {
        self.filter
            .item_index(self.view.selected)
            .and_then(|i| self.list.get(i))
    }

    /// Prefetch rule: fetch the next page while the bottom of the window is within two
    /// screens of the last loaded row (counted in shown rows, so it also holds while a
    /// filter hides most rows).
    pub fn wants_more(&self, height: usize) -> bool {
        if self.target.is_none() || self.no_receipt {
            return false;
        }
        let shown = self.visible_len();
        let bottom = (self.view.offset + height).min(shown);
        let rows_left = shown.saturating_sub(bottom);
        *self.list.state() == PageState::Idle && rows_left <= 2 * height
    }
}
