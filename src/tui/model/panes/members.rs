//! The members pane: the Unread (or Read) list of one message, cursor-paged.

use std::collections::HashSet;

use crate::api::{GroupType, ReceiptFilter};
use crate::tui::model::listview::{ListView, RowFilter, contains_folded};
use crate::tui::model::paged::{Bounds, PageState, PagedList};
use crate::vendor::limits;

use super::list_pane::ListPane;

/// Members per `get_group_msg_receipt_detail` page (the API's maximum).
pub const MEMBER_PAGE: u32 = crate::vendor::limits::RECEIPT_MEMBERS_PER_PAGE;
/// Receipt lists: at most 199 members (receipts exist only in groups of up to 200).
const MEMBER_BOUNDS: Bounds = Bounds {
    page_size: MEMBER_PAGE as usize,
    max_items: limits::RECEIPT_LIST_MAX,
    why: "the most a receipt list can hold (receipts exist only in groups of up to 200 members)",
};

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

impl ListPane for MembersPane {
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
        MembersPane::sync_filter(self);
    }
    fn loaded_len(&self) -> usize {
        self.list.len()
    }
    /// Complete when every page is in, or when no message is open (nothing to load).
    fn is_complete(&self) -> bool {
        self.list.is_exhausted() || self.target.is_none()
    }
    fn has_failed(&self) -> bool {
        self.list.error().is_some()
    }
    fn is_refreshing(&self) -> bool {
        self.list.is_refreshing()
    }
    fn noun(&self) -> &'static str {
        "members"
    }
    fn selected_text(&self) -> Option<String> {
        self.selected_account().cloned()
    }
}
