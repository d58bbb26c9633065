//! Read-position scans: every member of a group with their `MsgSeq` (the seq of the last
//! message they have read), paged in from `get_group_member_info` and kept per group until
//! `r`, so that moving between messages of a scanned group costs no call.
//!
//! A scan is one [`PagedList`] of members: Offset pages for Work and Public groups, the
//! string `Next` for a Community, each page checked by the list's guard (no page larger
//! than asked, no repeated cursor, never more members than the group reported or a group
//! of its type can have), accounts de-duplicated across pages.

use std::collections::HashMap;

use crate::api::GroupMember;
use crate::api::positions::Position;
use crate::tui::model::paged::{Bounds, Keyed, PageState, PagedList};
use crate::vendor::limits;

/// Members per `get_group_member_info` page (the API's maximum).
pub const SCAN_PAGE: u32 = limits::MEMBERS_PER_PAGE;
/// Groups whose scans are kept (the most recently opened).
pub const SCANS_KEPT: usize = 3;

const GROUP_BOUNDS: Bounds = Bounds {
    page_size: SCAN_PAGE as usize,
    max_items: limits::GROUP_MEMBERS_MAX,
    why: "the most members a Work or Public group can have",
};
const COMMUNITY_BOUNDS: Bounds = Bounds {
    page_size: SCAN_PAGE as usize,
    max_items: limits::COMMUNITY_MEMBERS_MAX,
    why: "the most members a Community can have",
};

impl Keyed for GroupMember {
    type Key = String;
    fn key(&self) -> String {
        self.account.clone()
    }
}

/// Where the next page of members starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanCursor {
    /// Work, Public: the `Offset` of the page.
    Offset(u64),
    /// Community: the string `Next` the page before gave ("" for the first page).
    Next(String),
}

impl ScanCursor {
    /// The cursor after a page that started at `self` and brought `got` members of a group
    /// of `member_num` (for a Community, `next` is the service's `Next`; "" ends the list).
    pub fn after(&self, got: usize, member_num: u64, next: Option<String>) -> Option<ScanCursor> {
        match self {
            ScanCursor::Next(_) => next.filter(|n| !n.is_empty()).map(ScanCursor::Next),
            ScanCursor::Offset(offset) => {
                let end = offset + SCAN_PAGE as u64;
                (got == SCAN_PAGE as usize && end < member_num).then_some(ScanCursor::Offset(end))
            }
        }
    }
}

/// One group's read-position scan.
#[derive(Debug, Clone)]
pub struct GroupScan {
    pub community: bool,
    pub list: PagedList<GroupMember, ScanCursor>,
    /// `MemberNum` as the first page of this scan reported it, and as the latest one did.
    pub member_num_first: Option<u64>,
    pub member_num: Option<u64>,
    /// When the first and the last page of this scan arrived (Unix ms).
    pub started_ms: Option<i64>,
    pub finished_ms: Option<i64>,
    /// Esc stopped the scan before its end; `>` or `r` goes on.
    pub stopped: bool,
    /// The read seqs of a complete scan, ascending, and each account's (for the sender).
    sorted: Vec<u64>,
    by_account: HashMap<String, u64>,
}

impl GroupScan {
    pub fn new(community: bool) -> Self {
        let (first, bounds) = if community {
            (ScanCursor::Next(String::new()), COMMUNITY_BOUNDS)
        } else {
            (ScanCursor::Offset(0), GROUP_BOUNDS)
        };
        GroupScan {
            community,
            list: PagedList::new(first, bounds),
            member_num_first: None,
            member_num: None,
            started_ms: None,
            finished_ms: None,
            stopped: false,
            sorted: Vec::new(),
            by_account: HashMap::new(),
        }
    }

    /// Every member is in: counts hold for any message of the group.
    pub fn is_complete(&self) -> bool {
        self.list.is_exhausted() && self.finished_ms.is_some()
    }

    /// Pages are still to come and nothing stopped them.
    pub fn is_running(&self) -> bool {
        !self.stopped && matches!(self.list.state(), PageState::Idle | PageState::Loading)
    }

    /// Members loaded so far.
    pub fn loaded(&self) -> usize {
        self.list.len()
    }

    /// A page arrived at `at_ms` (already applied to `list`): note the times and, when it
    /// was the last, index the read seqs for counts.
    pub fn note_page(&mut self, member_num: u64, replaced: bool, at_ms: i64) {
        if replaced || self.member_num_first.is_none() {
            self.member_num_first = Some(member_num);
            self.started_ms = Some(at_ms);
            self.finished_ms = None;
        }
        self.member_num = Some(member_num);
        if self.list.is_exhausted() {
            self.finished_ms = Some(at_ms);
            self.sorted = self.list.items().iter().map(|m| m.last_read_seq).collect();
            self.sorted.sort_unstable();
            self.by_account = self
                .list
                .items()
                .iter()
                .map(|m| (m.account.clone(), m.last_read_seq))
                .collect();
        }
    }

    /// Start again from the first page (`r`); what was loaded stays until it arrives.
    pub fn restart(&mut self) -> crate::tui::model::paged::PageRequest<ScanCursor> {
        self.stopped = false;
        self.finished_ms = None;
        self.sorted.clear();
        self.by_account.clear();
        self.list.refresh()
    }

    /// (read, unread) for message `seq` sent by `from`, from a complete scan: members whose
    /// read seq is at or past `seq` have read up to it; the sender is on neither side.
    pub fn counts(&self, seq: u64, from: &str) -> Option<(u64, u64)> {
        if !self.is_complete() {
            return None;
        }
        let unread = self.sorted.partition_point(|s| *s < seq) as u64;
        let mut read = self.sorted.len() as u64 - unread;
        let mut unread = unread;
        match self.by_account.get(from) {
            Some(s) if *s >= seq => read = read.saturating_sub(1),
            Some(_) => unread = unread.saturating_sub(1),
            None => {}
        }
        Some((read, unread))
    }

    /// The rows of the read (`read` true) or unread list of message `seq` (sent by `from` at
    /// `time`) among members `from_index..`, in server order.
    pub fn rows_from(
        &self,
        from_index: usize,
        seq: u64,
        sender: &str,
        time: i64,
        read: bool,
    ) -> Vec<Position> {
        self.list
            .items()
            .get(from_index..)
            .unwrap_or_default()
            .iter()
            .filter(|m| m.account != sender && (m.last_read_seq >= seq) == read)
            .map(|m| Position {
                account: m.account.clone(),
                read_seq: m.last_read_seq,
                joined_after: m.join_time > time,
            })
            .collect()
    }
}

/// The scans of the last few groups opened, by group ID.
#[derive(Debug, Clone, Default)]
pub struct Scans {
    map: HashMap<String, GroupScan>,
    /// Group IDs, least recently opened first.
    order: Vec<String>,
}

impl Scans {
    pub fn get(&self, group: &str) -> Option<&GroupScan> {
        self.map.get(group)
    }

    pub fn get_mut(&mut self, group: &str) -> Option<&mut GroupScan> {
        self.map.get_mut(group)
    }

    /// The scan of `group`, started (empty) when there is none; the oldest scan beyond
    /// [`SCANS_KEPT`] is dropped.
    pub fn open(&mut self, group: &str, community: bool) -> &mut GroupScan {
        self.order.retain(|g| g != group);
        self.order.push(group.to_string());
        while self.order.len() > SCANS_KEPT {
            let old = self.order.remove(0);
            self.map.remove(&old);
        }
        self.map
            .entry(group.to_string())
            .or_insert_with(|| GroupScan::new(community))
    }

    /// Is any page of any scan in flight?
    pub fn is_loading(&self) -> bool {
        self.map.values().any(|s| s.list.is_loading())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::model::paged::{Applied, Page};

    fn member(account: &str, read_seq: u64, join_time: i64) -> GroupMember {
        GroupMember {
            account: account.into(),
            role: "Member".into(),
            join_time,
            last_read_seq: read_seq,
            naming: None,
        }
    }

    fn load(scan: &mut GroupScan, members: Vec<GroupMember>, next: Option<ScanCursor>) {
        let req = scan.list.begin_fetch().unwrap();
        let n = members.len() as u64;
        let applied = scan.list.apply::<String>(
            req.generation,
            Ok(Page {
                items: members,
                next,
            }),
        );
        assert!(matches!(applied, Applied::Loaded { .. }));
        scan.note_page(n, false, 1_000);
    }

    #[test]
    fn counts_split_by_seq_and_leave_the_sender_out() {
        let mut scan = GroupScan::new(false);
        load(
            &mut scan,
            vec![
                member("a", 10, 0),
                member("b", 9, 0),
                member("c", 12, 0),
                member("sender", 10, 0),
            ],
            None,
        );
        assert!(scan.is_complete());
        assert_eq!(scan.counts(10, "sender"), Some((2, 1)));
        assert_eq!(scan.counts(11, "sender"), Some((1, 2)));
        assert_eq!(scan.counts(1, "nobody"), Some((4, 0)));
        let unread = scan.rows_from(0, 10, "sender", 50, false);
        assert_eq!(unread.len(), 1);
        assert_eq!(unread[0].account, "b");
        let read = scan.rows_from(1, 10, "sender", 50, true);
        assert_eq!(
            read.iter().map(|p| p.account.as_str()).collect::<Vec<_>>(),
            ["c"]
        );
    }

    #[test]
    fn an_incomplete_scan_has_no_counts_and_late_joiners_are_flagged() {
        let mut scan = GroupScan::new(true);
        load(
            &mut scan,
            vec![member("a", 0, 100), member("b", 5, 10)],
            Some(ScanCursor::Next("x".into())),
        );
        assert!(!scan.is_complete());
        assert!(scan.is_running());
        assert_eq!(scan.counts(5, ""), None);
        let rows = scan.rows_from(0, 5, "", 50, false);
        assert_eq!(rows.len(), 1);
        assert!(rows[0].joined_after, "joined at 100, message at 50");
    }

    #[test]
    fn cursors_follow_offsets_and_next() {
        let full = SCAN_PAGE as usize;
        assert_eq!(
            ScanCursor::Offset(0).after(full, 6_000, None),
            Some(ScanCursor::Offset(200))
        );
        assert_eq!(ScanCursor::Offset(5_800).after(full, 6_000, None), None);
        assert_eq!(ScanCursor::Offset(0).after(17, 6_000, None), None);
        assert_eq!(
            ScanCursor::Next(String::new()).after(full, 0, Some("n2".into())),
            Some(ScanCursor::Next("n2".into()))
        );
        assert_eq!(
            ScanCursor::Next("n2".into()).after(full, 0, Some(String::new())),
            None
        );
    }

    #[test]
    fn only_the_last_few_groups_keep_their_scans() {
        let mut scans = Scans::default();
        for g in ["g1", "g2", "g3", "g4"] {
            scans.open(g, false);
        }
        assert!(scans.get("g1").is_none());
        assert!(scans.get("g4").is_some());
        scans.open("g2", false);
        scans.open("g5", false);
        assert!(scans.get("g2").is_some(), "reopened: kept");
        assert!(scans.get("g3").is_none());
    }
}
