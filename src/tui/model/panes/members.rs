//! The members pane: the Unread (or Read) list of one message, from its read receipt
//! (cursor-paged) or from the members' read positions (the group's scan, filtered).

use std::collections::HashSet;

use crate::api::positions::Position;
use crate::api::{GroupType, ReceiptFilter};
use crate::tui::model::listview::{ListView, RowFilter, contains_folded};
use crate::tui::model::paged::{Bounds, PageState, PagedList};
use crate::vendor::limits;

use super::list_pane::ListPane;
pub use super::people_filter::PeopleFilter;
use super::scans::{GroupScan, Scans};
use crate::api::names::{Coverage, NameBook};

/// Where a member list comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberSource {
    /// The message's read receipt (`get_group_msg_receipt_detail`).
    Receipt,
    /// The members' read positions (`MsgSeq` from `get_group_member_info`).
    Position,
}

impl MemberSource {
    /// The label in the pane title and the notices.
    pub fn label(self) -> &'static str {
        match self {
            MemberSource::Receipt => "receipt",
            MemberSource::Position => "read position",
        }
    }
}

/// The rows of a read-position list: the group scan's members on one side of the message,
/// built page by page as the scan arrives.
#[derive(Debug, Clone, Default)]
pub struct PositionRows {
    pub rows: Vec<Position>,
    /// Members of the scan already looked at, and the scan generation they belong to.
    consumed: usize,
    generation: Option<u64>,
}

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
    /// The message's sender (on neither list) and time (Unix seconds; members who joined
    /// later are flagged).
    pub from: String,
    pub time: i64,
}

impl MemberTarget {
    /// Can this group answer from read positions? Meeting and AVChatRoom groups keep no
    /// unread counts, so no positions either.
    pub fn has_positions(&self) -> bool {
        self.group_type.is_none_or(|t| !t.ignores_unread_count())
    }

    fn community(&self) -> bool {
        self.group_type == Some(GroupType::Community)
    }
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
    /// Where the shown list comes from.
    pub source: MemberSource,
    /// `s`: show read positions for messages with a receipt too (kept across messages).
    pub prefer_positions: bool,
    /// The read-position list of the target (when `source` is `Position`).
    pub positions: PositionRows,
    /// Read-position scans by group, kept until `r`.
    pub scans: Scans,
    /// The session's names: name cards, nicknames, roles, mutes, online states.
    pub names: NameBook,
    /// A name lookup is on its way (one at a time).
    pub names_pending: bool,
    /// A name lookup failed on the way: none is planned until the next key (no loop of
    /// failing lookups while the service is unreachable).
    pub names_paused: bool,
    /// `N`: looking up every name of the list, from this row on.
    pub fill_from: Option<usize>,
    /// `N` is under way (its last lookup may still be out after `fill_from` ends).
    pub filling: bool,
    /// The account whose online state is being asked (one at a time).
    pub presence_pending: Option<String>,
    /// `o`: show only members who are not online, or who muted the group.
    pub people: PeopleFilter,
    /// The online states of the whole list are being asked (for `o`).
    pub presence_all_pending: bool,
    /// The list `o` last checked for what it needs: (source, list, seq, rows), so the
    /// check does not walk every row on every update.
    pub people_checked: Option<(MemberSource, ReceiptFilter, u64, usize)>,
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
            source: MemberSource::Receipt,
            prefer_positions: false,
            positions: PositionRows::default(),
            scans: Scans::default(),
            names: NameBook::new(),
            names_pending: false,
            names_paused: false,
            fill_from: None,
            filling: false,
            presence_pending: None,
            people: PeopleFilter::All,
            presence_all_pending: false,
            people_checked: None,
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
        self.positions = PositionRows::default();
        self.source = MemberSource::Receipt;
    }

    pub fn close(&mut self) {
        self.target = None;
        self.list.reset(String::new());
        self.view = ListView::default();
        self.filter.invalidate();
        self.live_readers.clear();
        self.no_receipt = false;
        self.positions = PositionRows::default();
        self.source = MemberSource::Receipt;
    }

    /// Decide the source for the open message: read positions when it has no receipt (or
    /// `s` asked for them) and the group keeps them; the receipt otherwise. Opening
    /// positions starts (or reuses) the group's scan and builds the rows from what it holds.
    pub fn choose_source(&mut self) {
        let Some(target) = self.target.as_ref() else {
            return;
        };
        let wanted = if (self.no_receipt || self.prefer_positions) && target.has_positions() {
            MemberSource::Position
        } else {
            MemberSource::Receipt
        };
        if wanted == MemberSource::Position {
            let (group, community) = (target.group.clone(), target.community());
            self.scans.open(&group, community);
        }
        if wanted != self.source {
            self.source = wanted;
            self.view = ListView::default();
            self.filter.invalidate();
            self.positions = PositionRows::default();
        }
        self.sync_positions();
    }

    /// The open group's scan, when the pane shows read positions.
    pub fn scan(&self) -> Option<&GroupScan> {
        if self.source != MemberSource::Position {
            return None;
        }
        self.scans.get(&self.target.as_ref()?.group)
    }

    pub fn scan_mut(&mut self) -> Option<&mut GroupScan> {
        if self.source != MemberSource::Position {
            return None;
        }
        let group = self.target.as_ref()?.group.clone();
        self.scans.get_mut(&group)
    }

    /// Bring the read-position rows up to date with the group's scan: new pages add rows;
    /// a scan that started over rebuilds them, keeping the selected account selected.
    pub fn sync_positions(&mut self) {
        if self.source != MemberSource::Position {
            return;
        }
        let Some(target) = self.target.as_ref() else {
            return;
        };
        let Some(scan) = self.scans.get(&target.group) else {
            return;
        };
        let generation = scan.list.generation();
        let read = self.which == ReceiptFilter::Read;
        let rebuilt = self.positions.generation != Some(generation)
            || self.positions.consumed > scan.loaded();
        let selected = rebuilt.then(|| self.selected_account().cloned()).flatten();
        if rebuilt {
            self.positions = PositionRows {
                rows: Vec::new(),
                consumed: 0,
                generation: Some(generation),
            };
            self.filter.invalidate();
        }
        let fresh = scan.rows_from(
            self.positions.consumed,
            target.seq,
            &target.from,
            target.time,
            read,
        );
        self.positions.consumed = scan.loaded();
        self.positions.rows.extend(fresh);
        self.sync_filter();
        if let Some(account) = selected {
            let row = self
                .positions
                .rows
                .iter()
                .position(|p| p.account == account)
                .and_then(|i| self.filter.row_of(i));
            self.view.selected = row.unwrap_or(0);
        }
    }

    /// `/` matches the account ID and the names known so far (name card, nickname).
    pub fn sync_filter(&mut self) {
        let group = self.target.as_ref().map(|t| t.group.as_str());
        let names = &self.names;
        let people = self.people;
        let matches = |account: &str, needle: &str| {
            let text = contains_folded(account, needle) || names.matches(group, account, needle);
            text && match people {
                PeopleFilter::All => true,
                PeopleFilter::NotOnline => names.presence(account).is_some_and(|p| {
                    p.state
                        .is_some_and(|s| s != crate::api::OnlineState::Online)
                }),
                PeopleFilter::Muted => group
                    .and_then(|g| names.member(g, account))
                    .and_then(|m| m.muted())
                    .unwrap_or(false),
            }
        };
        match self.source {
            MemberSource::Receipt => self.filter.sync(self.list.items(), |account, needle| {
                matches(account, needle)
            }),
            MemberSource::Position => self.filter.sync(&self.positions.rows, |p, needle| {
                matches(&p.account, needle)
            }),
        }
    }

    /// The accounts of loaded rows `from..from + n` of the shown list (no filter).
    pub fn accounts_range(&self, from: usize, n: usize) -> Vec<String> {
        let end = |len: usize| len.min(from.saturating_add(n));
        match self.source {
            MemberSource::Receipt => {
                let items = self.list.items();
                items
                    .get(from.min(items.len())..end(items.len()))
                    .unwrap_or_default()
                    .to_vec()
            }
            MemberSource::Position => {
                let rows = &self.positions.rows;
                rows.get(from.min(rows.len())..end(rows.len()))
                    .unwrap_or_default()
                    .iter()
                    .map(|p| p.account.clone())
                    .collect()
            }
        }
    }

    /// The accounts of the shown list's loaded rows, in order (no filter, no copy).
    pub fn accounts_iter(&self) -> Box<dyn Iterator<Item = &String> + '_> {
        match self.source {
            MemberSource::Receipt => Box::new(self.list.items().iter()),
            MemberSource::Position => Box::new(self.positions.rows.iter().map(|p| &p.account)),
        }
    }

    /// What `o`'s check of the list depends on (see `people_checked`).
    pub fn people_key(&self) -> Option<(MemberSource, ReceiptFilter, u64, usize)> {
        let seq = self.target.as_ref()?.seq;
        Some((self.source, self.which, seq, self.rows_loaded()))
    }

    /// Loaded rows of the shown list.
    pub fn rows_len(&self) -> usize {
        self.rows_loaded()
    }

    /// How many loaded rows of the shown list have their names looked up.
    pub fn name_coverage(&self) -> Coverage {
        let group = self.target.as_ref().map(|t| t.group.as_str());
        let known = |a: &str| self.names.is_known(group, a);
        let (known, total) = match self.source {
            MemberSource::Receipt => (
                self.list.items().iter().filter(|a| known(a)).count(),
                self.list.len(),
            ),
            MemberSource::Position => (
                self.positions
                    .rows
                    .iter()
                    .filter(|p| known(&p.account))
                    .count(),
                self.positions.rows.len(),
            ),
        };
        Coverage {
            known: known as u64,
            total: total as u64,
        }
    }

    /// The accounts of the shown rows from row `from`, at most `n` (filter applied).
    pub fn shown_accounts(&self, from: usize, n: usize) -> Vec<String> {
        let len = self.visible_len();
        (from..len.min(from.saturating_add(n)))
            .filter_map(|row| self.filter.item_index(row))
            .filter_map(|i| match self.source {
                MemberSource::Receipt => self.list.get(i).cloned(),
                MemberSource::Position => self.positions.rows.get(i).map(|p| p.account.clone()),
            })
            .collect()
    }

    pub fn selected_account(&self) -> Option<&String> {
        let i = self.filter.item_index(self.view.selected)?;
        match self.source {
            MemberSource::Receipt => self.list.get(i),
            MemberSource::Position => self.positions.rows.get(i).map(|p| &p.account),
        }
    }

    /// The selected read-position row.
    pub fn selected_position(&self) -> Option<&Position> {
        if self.source != MemberSource::Position {
            return None;
        }
        let i = self.filter.item_index(self.view.selected)?;
        self.positions.rows.get(i)
    }

    /// Rows loaded for the shown list.
    fn rows_loaded(&self) -> usize {
        match self.source {
            MemberSource::Receipt => self.list.len(),
            MemberSource::Position => self.positions.rows.len(),
        }
    }

    /// Prefetch rule: fetch the next page while the bottom of the window is within two
    /// screens of the last loaded row (counted in shown rows, so it also holds while a
    /// filter hides most rows).
    pub fn wants_more(&self, height: usize) -> bool {
        if self.target.is_none() || self.no_receipt || self.source != MemberSource::Receipt {
            return false;
        }
        let shown = self.visible_len();
        let bottom = (self.view.offset + height).min(shown);
        let rows_left = shown.saturating_sub(bottom);
        *self.list.state() == PageState::Idle && rows_left <= 2 * height
    }
}

impl MembersPane {
    /// Should the read-position scan fetch its next page now? Work and Public groups (at
    /// most 6,000 members, 30 calls) are scanned whole at once, so counts come with the
    /// list; a Community (up to 100,000) pages as the list is scrolled, like a receipt
    /// list, and whole only on `>` (`load_all`). A stopped scan waits for `>` or `r`.
    pub fn scan_wants_page(&self, height: usize, load_all: bool) -> bool {
        let Some(scan) = self.scan() else {
            return false;
        };
        if scan.stopped || *scan.list.state() != PageState::Idle {
            return false;
        }
        if load_all || !scan.community {
            return true;
        }
        let shown = self.visible_len();
        let bottom = (self.view.offset + height).min(shown);
        shown.saturating_sub(bottom) <= 2 * height
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
        self.rows_loaded()
    }
    /// Complete when every page is in, or when no message is open (nothing to load).
    fn is_complete(&self) -> bool {
        if self.target.is_none() {
            return true;
        }
        match self.source {
            MemberSource::Receipt => self.list.is_exhausted(),
            MemberSource::Position => self.scan().is_none_or(|s| s.list.is_exhausted()),
        }
    }
    fn has_failed(&self) -> bool {
        match self.source {
            MemberSource::Receipt => self.list.error().is_some(),
            MemberSource::Position => self.scan().is_some_and(|s| s.list.error().is_some()),
        }
    }
    fn is_refreshing(&self) -> bool {
        match self.source {
            MemberSource::Receipt => self.list.is_refreshing(),
            MemberSource::Position => self.scan().is_some_and(|s| s.list.is_refreshing()),
        }
    }
    fn noun(&self) -> &'static str {
        "members"
    }
    fn selected_text(&self) -> Option<String> {
        self.selected_account().cloned()
    }
}
