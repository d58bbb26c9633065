//! Read-receipt semantics over the [`World`].
//!
//! - The members who could read message `s` are the members who had joined when it was sent
//!   (`join_seq <= s`), the sender excluded. `ReadNum + UnreadNum` is exactly that number.
//! - A member has read `s` when their receipt watermark covers `s` or they acknowledged `s`
//!   explicitly. Each of those happened at a tick, so "read as of tick T" is well defined and
//!   a receipt-detail cursor can pin a snapshot: pages after the first are evaluated as of the
//!   first page's tick, and concatenating every page lists each member exactly once even when
//!   members read between two page calls.
//! - Only messages sent with NeedReadReceipt in Work/Public/Meeting groups of at most 200
//!   members (counted when the message was sent), and not recalled or expired, have a
//!   receipt.
//! - Moving `MsgSeq` with `set_unread_msg_num` changes unread counts, never receipts (a read
//!   receipt, once sent, stays sent). The other way round, an acknowledgement
//!   (`group_msg_receipt`, the demo's activity) moves the member's `MsgSeq` forward to the
//!   newest seq it newly acknowledged: reading a message reads the conversation up to it.

use crate::vendor::GroupType;

use super::world::{Group, Member, Message, World};

/// A change of read state to report in `Group.CallbackAfterReadReceipt`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadEvent {
    pub group_id: String,
    pub group_type: GroupType,
    pub items: Vec<ReadItem>,
    /// Unix milliseconds.
    pub time_ms: u64,
}

/// One message inside a [`ReadEvent`]: counts after the change and who read in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadItem {
    pub seq: u64,
    pub read: u64,
    pub unread: u64,
    pub readers: Vec<String>,
}

/// One page of a receipt member list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DetailPage {
    pub accounts: Vec<String>,
    /// Member position the next page starts at, or None when the list is complete.
    pub next_pos: Option<usize>,
}

fn eligible(m: &Member, msg: &Message) -> bool {
    m.join_seq <= msg.seq && m.account != msg.from
}

/// Tick at which `m` (at position `pos`) read `msg`, if they did.
fn read_tick(pos: usize, m: &Member, msg: &Message) -> Option<u64> {
    let by_mark = m.watermark_tick(msg.seq);
    let by_ack = u32::try_from(pos)
        .ok()
        .and_then(|p| msg.acks.get(&p).copied());
    match (by_mark, by_ack) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn read_as_of(pos: usize, m: &Member, msg: &Message, tick: u64) -> bool {
    read_tick(pos, m, msg).is_some_and(|t| t <= tick)
}

pub(crate) fn counts(g: &Group, msg: &Message) -> (u64, u64) {
    let (mut read, mut unread) = (0, 0);
    for (pos, m) in g.members.iter().enumerate() {
        if eligible(m, msg) {
            if read_as_of(pos, m, msg, u64::MAX) {
                read += 1;
            } else {
                unread += 1;
            }
        }
    }
    (read, unread)
}

impl World {
    /// `(ReadNum, UnreadNum)` of a message with a receipt.
    pub fn receipt_counts(&self, group: &str, seq: u64) -> Option<(u64, u64)> {
        let g = &self.groups[self.group_idx(group)?];
        let msg = g.message(seq).filter(|m| m.has_receipt())?;
        Some(counts(g, msg))
    }

    /// Members who have (`read = true`) or have not read a message with a receipt, in the
    /// server's list order.
    pub fn receipt_members(&self, group: &str, seq: u64, read: bool) -> Option<Vec<String>> {
        let g = self.group_idx(group)?;
        self.groups[g].message(seq).filter(|m| m.has_receipt())?;
        let members = &self.groups[g].members;
        Some(
            self.receipt_positions(g, seq, read)
                .into_iter()
                .map(|pos| self.name_of(members[pos].account).to_string())
                .collect(),
        )
    }

    /// Positions of the members who have (or have not) read `seq` now.
    pub(crate) fn receipt_positions(&self, g: usize, seq: u64, read: bool) -> Vec<usize> {
        let g = &self.groups[g];
        let Some(msg) = g.message(seq) else {
            return Vec::new();
        };
        g.members
            .iter()
            .enumerate()
            .filter(|(pos, m)| eligible(m, msg) && read_as_of(*pos, m, msg, u64::MAX) == read)
            .map(|(pos, _)| pos)
            .collect()
    }

    /// One page of members who had (or had not) read `seq` as of `snapshot`, scanning member
    /// positions from `start`. The caller has checked that the message has a receipt.
    pub(crate) fn detail_page(
        &self,
        g: usize,
        seq: u64,
        read: bool,
        snapshot: u64,
        start: usize,
        count: usize,
    ) -> DetailPage {
        let g = &self.groups[g];
        let Some(msg) = g.message(seq) else {
            return DetailPage {
                accounts: Vec::new(),
                next_pos: None,
            };
        };
        let mut accounts = Vec::with_capacity(count.min(256));
        let mut next_pos = None;
        for (pos, m) in g.members.iter().enumerate().skip(start) {
            if eligible(m, msg) && read_as_of(pos, m, msg, snapshot) == read {
                if accounts.len() == count {
                    next_pos = Some(pos);
                    break;
                }
                accounts.push(self.name_of(m.account).to_string());
            }
        }
        DetailPage { accounts, next_pos }
    }

    /// Acknowledge `seqs` for the member at `pos` (the state change of `group_msg_receipt`).
    /// Returns the seqs newly read; seqs without a receipt, already read, or that this member
    /// could not read (the sender, later joiners) are skipped.
    pub(crate) fn ack_positions(&mut self, g: usize, pos: usize, seqs: &[u64]) -> Vec<u64> {
        let tick = self.next_tick();
        let group = &mut self.groups[g];
        let Some(member) = group.members.get(pos) else {
            return Vec::new();
        };
        let Ok(pos32) = u32::try_from(pos) else {
            return Vec::new();
        };
        let mut newly = Vec::new();
        for &seq in seqs {
            let Some(i) = seq.checked_sub(1).map(|i| i as usize) else {
                continue;
            };
            let Some(msg) = group.messages.get_mut(i) else {
                continue;
            };
            if !msg.has_receipt() || !eligible(member, msg) || read_tick(pos, member, msg).is_some()
            {
                continue;
            }
            msg.acks.insert(pos32, tick);
            newly.push(seq);
        }
        // A member who reads a message has read the conversation up to it (ours; the
        // vendor's pages are silent): their `MsgSeq` moves forward, never back.
        if let (Some(&top), Some(m)) = (newly.iter().max(), group.members.get_mut(pos)) {
            m.msg_seq = m.msg_seq.max(top);
        }
        newly
    }

    /// The callback event for `readers` having just read `seqs` in group `g`.
    pub(crate) fn read_event(&self, g: usize, reads: &[(u64, Vec<String>)]) -> ReadEvent {
        let group = &self.groups[g];
        let items = reads
            .iter()
            .filter_map(|(seq, readers)| {
                let msg = group.message(*seq)?;
                let (read, unread) = counts(group, msg);
                Some(ReadItem {
                    seq: *seq,
                    read,
                    unread,
                    readers: readers.clone(),
                })
            })
            .collect();
        let time_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        ReadEvent {
            group_id: group.id.clone(),
            group_type: group.gtype,
            items,
            time_ms,
        }
    }

    /// Set a member's unread count to `n` (clamped to the group's message count) by moving
    /// their `MsgSeq`. Returns false (nothing changed) for types that ignore unread counts.
    pub(crate) fn set_unread(&mut self, g: usize, pos: usize, n: u64) -> bool {
        let group = &mut self.groups[g];
        if group.gtype.ignores_unread_count() {
            return false;
        }
        let latest = group.latest_seq();
        if let Some(m) = group.members.get_mut(pos) {
            m.msg_seq = latest - n.min(latest);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world() -> World {
        let mut w = World::new();
        let mut g = w.add_group("g", GroupType::Public, &["alice", "bob", "carol", "dave"]);
        g.post("alice", "one", true);
        g.post("bob", "two", false);
        g.post("alice", "three", true);
        g.add_members(&["erin"]);
        g.post("erin", "four", true);
        w
    }

    #[test]
    fn counts_exclude_the_sender_and_later_joiners() {
        let mut w = world();
        assert_eq!(w.receipt_counts("g", 1), Some((0, 3)));
        assert_eq!(w.receipt_counts("g", 2), None, "no receipt requested");
        assert_eq!(w.receipt_counts("g", 4), Some((0, 4)));
        w.group_mut("g")
            .unwrap()
            .read_up_to("bob", 3)
            .ack("carol", &[1]);
        assert_eq!(w.receipt_counts("g", 1), Some((2, 1)));
        assert_eq!(w.receipt_counts("g", 3), Some((1, 2)));
        assert_eq!(
            w.receipt_members("g", 1, false).unwrap(),
            vec!["dave".to_string()]
        );
    }

    #[test]
    fn the_member_count_when_sent_decides_the_receipt() {
        let mut w = World::new();
        let mut g = w.add_group("g", GroupType::Public, &["owner"]);
        g.add_generated_members(199);
        let at_cap = g.post("owner", "sent at 200 members", true);
        g.add_generated_members(1);
        let over = g.post("owner", "sent at 201 members", true);
        assert_eq!(w.receipt_counts("g", at_cap), Some((0, 199)));
        assert_eq!(
            w.receipt_counts("g", over),
            None,
            "over the cap: no receipt"
        );
        assert!(!w.message("g", over).unwrap().need_receipt);
    }

    #[test]
    fn snapshot_pages_ignore_later_reads() {
        let mut w = world();
        let snapshot = w.tick;
        w.group_mut("g").unwrap().ack("bob", &[1]);
        let g = w.group_idx("g").unwrap();
        let page = w.detail_page(g, 1, false, snapshot, 0, 10);
        assert_eq!(page.accounts, vec!["bob", "carol", "dave"]);
        let now = w.detail_page(g, 1, false, w.tick, 0, 10);
        assert_eq!(now.accounts, vec!["carol", "dave"]);
        let first = w.detail_page(g, 1, false, w.tick, 0, 1);
        assert_eq!(first.accounts, vec!["carol"]);
        assert_eq!(first.next_pos, Some(3));
    }

    #[test]
    fn unread_counts_follow_msg_seq_and_clamp() {
        let mut w = world();
        let g = w.group_idx("g").unwrap();
        assert_eq!(w.unread_count("g", "dave"), Some(4));
        assert!(w.set_unread(g, 3, 2));
        assert_eq!(w.unread_count("g", "dave"), Some(2));
        assert!(w.set_unread(g, 3, 99));
        assert_eq!(w.unread_count("g", "dave"), Some(4));
        assert_eq!(w.receipt_counts("g", 1), Some((0, 3)), "receipts untouched");
    }
}
