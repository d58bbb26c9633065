//! Looking up one user: who they are, their groups with their unread count in each, their
//! 1:1 conversations with the unread count of each, and whether they read a given group
//! message. The report is built from updates ([`UserUpdate`]) as the calls come back, so a
//! caller (the dashboard) can show the first screen at once and fill in the rest; see
//! `user_fetch` for the calls and their order.
//!
//! A group's unread count is an **estimate**: the group's `NextMsgSeq` − 1 (its newest
//! seq) minus the user's `MsgSeq` (the last message they read there). The service itself
//! does not count messages sent with `NoUnread`, or sent to chosen members only, so the
//! estimate can be higher than the badge the user's app shows. Meeting (ChatRoom) and
//! AVChatRoom groups keep no unread counts: they say so instead of a number.

use std::cmp::Ordering;
use std::collections::HashMap;

use serde::Serialize;

use super::conversations::{Conversation, PeerUnread};
use super::joined::JoinedGroup;
use super::presence::OnlineStatus;
use super::types::{GroupType, MsgFlag};
use crate::vendor::ConversationType;

/// Said wherever unread counts are set or shown: setting one reaches nobody.
pub const SET_UNREAD_NOTIFIES_NOBODY: &str = "setting an unread count notifies nobody: the user's badge changes only when their app next syncs";
/// Said wherever an account is asked for: there is no lookup by nickname.
pub const NO_NICKNAME_SEARCH: &str = "the service has no search by nickname: give the account ID";
/// What the unread numbers of groups are.
pub const UNREAD_IS_AN_ESTIMATE: &str = "group unread counts are estimates (NextMsgSeq - 1 - the user's MsgSeq): the service does not count messages sent with NoUnread or to chosen members only";

/// A group's unread count for the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum GroupUnread {
    /// `NextMsgSeq` − 1 − `MsgSeq`: an estimate (see the module docs).
    Estimate(u64),
    /// The group's type keeps no unread counts (Meeting, AVChatRoom).
    NotKept(GroupType),
    /// Not known: the service's answer lacked `NextMsgSeq` or the user's `MsgSeq`.
    Unknown,
}

impl GroupUnread {
    /// The unread count of a group of `group_type` whose next seq is `next_msg_seq`, for a
    /// member whose read seq is `read_seq`.
    pub fn of(
        group_type: Option<GroupType>,
        next_msg_seq: Option<u64>,
        read_seq: Option<u64>,
    ) -> GroupUnread {
        match (group_type, next_msg_seq, read_seq) {
            (Some(t), _, _) if t.ignores_unread_count() => GroupUnread::NotKept(t),
            (_, Some(next), Some(read)) => {
                GroupUnread::Estimate(next.saturating_sub(1).saturating_sub(read))
            }
            _ => GroupUnread::Unknown,
        }
    }

    /// The number, when there is one.
    pub fn count(self) -> Option<u64> {
        match self {
            GroupUnread::Estimate(n) => Some(n),
            _ => None,
        }
    }

    /// Why there is no number, in words (None when there is one).
    pub fn note(self) -> Option<String> {
        match self {
            GroupUnread::Estimate(_) => None,
            GroupUnread::NotKept(t) => Some(format!("{t} groups keep no unread counts")),
            GroupUnread::Unknown => Some("not known".into()),
        }
    }
}

/// One of the user's groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserGroup {
    pub group_id: String,
    pub name: String,
    pub group_type: Option<GroupType>,
    pub role: String,
    pub join_time: i64,
    /// The user's `MsgSeq`: the last message they read in the group.
    pub read_seq: Option<u64>,
    pub next_msg_seq: Option<u64>,
    pub unread: GroupUnread,
    /// How they receive the group's messages (`MsgFlag`): they may have muted it.
    pub msg_flag: Option<MsgFlag>,
    /// When an admin's mute of them ends (`MuteUntil`; 0 = never muted). Kept apart from
    /// `msg_flag`: one is the user's choice, the other an admin's.
    pub mute_until: i64,
}

impl UserGroup {
    /// The user muted the group's notifications (or discards its messages).
    pub fn muted(&self) -> Option<bool> {
        self.msg_flag.map(MsgFlag::is_muted)
    }

    /// An admin's mute is still on at `now` (Unix seconds).
    pub fn admin_muted_at(&self, now: i64) -> bool {
        self.mute_until > now
    }
}

impl From<JoinedGroup> for UserGroup {
    fn from(g: JoinedGroup) -> Self {
        UserGroup {
            unread: GroupUnread::of(g.group_type, g.next_msg_seq, g.read_seq),
            group_id: g.id,
            name: g.name,
            group_type: g.group_type,
            role: g.role,
            join_time: g.join_time,
            read_seq: g.read_seq,
            next_msg_seq: g.next_msg_seq,
            msg_flag: g.msg_flag,
            mute_until: g.mute_until,
        }
    }
}

/// One of the user's 1:1 conversations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct C2cConversation {
    pub peer: String,
    /// Unix seconds of the newest message.
    pub msg_time: i64,
    pub pinned: bool,
    /// The user's unread count (None until known).
    pub unread: Option<u64>,
    /// 0, or the code the unread lookup gave for this peer (70107: no such account).
    pub code: i64,
}

/// A change to a [`UserReport`], as the calls come back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserUpdate {
    /// The nickname ("" when none).
    Nick(String),
    /// Online status, with the devices.
    Online(OnlineStatus),
    /// A page of groups; `total` is the service's `TotalCount`.
    Groups { total: u64, groups: Vec<UserGroup> },
    /// Every group page is in.
    GroupsComplete,
    /// `NextMsgSeq` (and type, name) of groups whose page lacked it, from `get_group_info`.
    GroupSeqs(Vec<(String, Option<GroupType>, u64)>),
    /// A page of 1:1 conversations (their unread counts follow).
    Conversations(Vec<C2cConversation>),
    /// The conversation list is whole.
    ConversationsComplete,
    /// 1:1 unread counts.
    C2cUnread(Vec<PeerUnread>),
    /// The user's 1:1 unread count over every conversation (`AllC2CUnreadMsgNum`).
    C2cTotal(u64),
    /// A lookup failed: the report keeps what it has (one line, for the status bar).
    Problem(String),
    /// The first screen is in: profile, online, the first page of groups and of 1:1s.
    FirstScreen,
    /// Everything asked for is in.
    Done,
}

/// Everything known about one user, filled in by [`UserUpdate`]s.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UserReport {
    pub account: String,
    /// None until known (or when the lookup failed).
    pub nick: Option<String>,
    pub online: Option<OnlineStatus>,
    /// `TotalCount` of the user's groups.
    pub groups_total: Option<u64>,
    /// In the order they came (see [`UserReport::groups_by_unread`]).
    pub groups: Vec<UserGroup>,
    pub groups_complete: bool,
    /// Newest first, as the conversation list has them.
    pub c2c: Vec<C2cConversation>,
    pub conversations_complete: bool,
    /// `AllC2CUnreadMsgNum`: over every 1:1 conversation, listed or not.
    pub c2c_unread_total: Option<u64>,
    pub first_screen: bool,
    pub done: bool,
    /// Lookups that failed, one line each.
    pub problems: Vec<String>,
}

impl UserReport {
    pub fn new(account: &str) -> UserReport {
        UserReport {
            account: account.to_string(),
            ..UserReport::default()
        }
    }

    /// Apply one update (the same function the assembler uses, so a copy kept by a caller
    /// stays equal to the assembler's report).
    pub fn apply(&mut self, update: UserUpdate) {
        match update {
            UserUpdate::Nick(n) => self.nick = Some(n),
            UserUpdate::Online(s) => self.online = Some(s),
            UserUpdate::Groups { total, groups } => {
                self.groups_total = Some(total);
                self.groups.extend(groups);
            }
            UserUpdate::GroupsComplete => self.groups_complete = true,
            UserUpdate::GroupSeqs(seqs) => {
                let by_id: HashMap<&str, (Option<GroupType>, u64)> = seqs
                    .iter()
                    .map(|(id, t, n)| (id.as_str(), (*t, *n)))
                    .collect();
                for g in &mut self.groups {
                    if let Some(&(t, next)) = by_id.get(g.group_id.as_str()) {
                        g.group_type = g.group_type.or(t);
                        g.next_msg_seq = Some(next);
                        g.unread = GroupUnread::of(g.group_type, g.next_msg_seq, g.read_seq);
                    }
                }
            }
            UserUpdate::Conversations(list) => self.c2c.extend(list),
            UserUpdate::ConversationsComplete => self.conversations_complete = true,
            UserUpdate::C2cUnread(counts) => {
                let by_peer: HashMap<&str, &PeerUnread> =
                    counts.iter().map(|c| (c.peer.as_str(), c)).collect();
                for c in &mut self.c2c {
                    if let Some(u) = by_peer.get(c.peer.as_str()) {
                        c.unread = u.unread;
                        c.code = u.code;
                    }
                }
            }
            UserUpdate::C2cTotal(n) => self.c2c_unread_total = Some(n),
            UserUpdate::Problem(p) => self.problems.push(p),
            UserUpdate::FirstScreen => self.first_screen = true,
            UserUpdate::Done => self.done = true,
        }
    }

    /// The groups sorted by unread: the highest estimate first, then the groups whose type
    /// keeps no counts, then those not known; ties by name, then ID.
    pub fn groups_by_unread(&self) -> Vec<&UserGroup> {
        let rank = |g: &UserGroup| match g.unread {
            GroupUnread::Estimate(_) => 0,
            GroupUnread::NotKept(_) => 1,
            GroupUnread::Unknown => 2,
        };
        let mut v: Vec<&UserGroup> = self.groups.iter().collect();
        v.sort_by(|a, b| {
            rank(a)
                .cmp(&rank(b))
                .then_with(|| match (a.unread.count(), b.unread.count()) {
                    (Some(x), Some(y)) => y.cmp(&x),
                    _ => Ordering::Equal,
                })
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.group_id.cmp(&b.group_id))
        });
        v
    }

    /// The sum of the unread estimates known.
    pub fn group_unread_sum(&self) -> u64 {
        self.groups.iter().filter_map(|g| g.unread.count()).sum()
    }

    /// The sum of the 1:1 unread counts known for the listed conversations.
    pub fn c2c_listed_unread(&self) -> u64 {
        self.c2c.iter().filter_map(|c| c.unread).sum()
    }

    /// The user's group with this ID, when listed.
    pub fn group(&self, id: &str) -> Option<&UserGroup> {
        self.groups.iter().find(|g| g.group_id == id)
    }
}

/// The 1:1 rows of conversations (group conversations are left out: the groups come from
/// the user's group list).
pub fn c2c_rows(list: Vec<Conversation>) -> Vec<C2cConversation> {
    list.into_iter()
        .filter(|c| c.kind == ConversationType::C2c)
        .map(|c| C2cConversation {
            peer: c.id,
            msg_time: c.msg_time,
            pinned: c.pinned,
            unread: None,
            code: 0,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(id: &str, t: GroupType, next: Option<u64>, read: Option<u64>) -> UserGroup {
        UserGroup::from(JoinedGroup {
            id: id.into(),
            name: id.into(),
            group_type: Some(t),
            next_msg_seq: next,
            read_seq: read,
            ..JoinedGroup::default()
        })
    }

    #[test]
    fn unread_is_the_newest_seq_minus_the_read_seq() {
        assert_eq!(
            GroupUnread::of(Some(GroupType::Work), Some(16), Some(10)),
            GroupUnread::Estimate(5)
        );
        // Read everything; a read seq past the newest never goes negative.
        assert_eq!(
            GroupUnread::of(Some(GroupType::Public), Some(16), Some(15)).count(),
            Some(0)
        );
        assert_eq!(
            GroupUnread::of(Some(GroupType::Public), Some(1), Some(7)).count(),
            Some(0)
        );
        assert_eq!(
            GroupUnread::of(Some(GroupType::Community), Some(32), Some(0)).count(),
            Some(31)
        );
        for t in [GroupType::Meeting, GroupType::AVChatRoom] {
            let u = GroupUnread::of(Some(t), Some(16), Some(3));
            assert_eq!(u, GroupUnread::NotKept(t));
            assert_eq!(
                u.note().unwrap(),
                format!("{t} groups keep no unread counts")
            );
        }
        assert_eq!(
            GroupUnread::of(Some(GroupType::Work), None, Some(3)),
            GroupUnread::Unknown
        );
    }

    #[test]
    fn updates_fill_a_report_and_sort_by_unread() {
        let mut r = UserReport::new("ann");
        r.apply(UserUpdate::Groups {
            total: 4,
            groups: vec![
                group("@TGS#1A", GroupType::Work, Some(3), Some(2)),
                group("@TGS#4M", GroupType::Meeting, Some(9), Some(0)),
                group("@TGS#2B", GroupType::Public, None, Some(1)),
                group("@TGS#1C", GroupType::Work, Some(30), Some(2)),
            ],
        });
        let order: Vec<&str> = r
            .groups_by_unread()
            .iter()
            .map(|g| g.group_id.as_str())
            .collect();
        assert_eq!(order, ["@TGS#1C", "@TGS#1A", "@TGS#4M", "@TGS#2B"]);
        r.apply(UserUpdate::GroupSeqs(vec![("@TGS#2B".into(), None, 41)]));
        assert_eq!(
            r.group("@TGS#2B").unwrap().unread,
            GroupUnread::Estimate(39)
        );
        assert_eq!(r.group_unread_sum(), 27 + 39);
        r.apply(UserUpdate::Conversations(vec![C2cConversation {
            peer: "bob".into(),
            msg_time: 5,
            pinned: false,
            unread: None,
            code: 0,
        }]));
        r.apply(UserUpdate::C2cUnread(vec![PeerUnread {
            peer: "bob".into(),
            unread: Some(7),
            code: 0,
        }]));
        r.apply(UserUpdate::C2cTotal(9));
        assert_eq!((r.c2c_listed_unread(), r.c2c_unread_total), (7, Some(9)));
    }
}
