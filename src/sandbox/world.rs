//! The sandbox's state: accounts, groups with members and messages, read state, and 1:1
//! unread counts; plus a small builder so tests can make worlds of their own.
//!
//! ```
//! use tim_receipts::api::GroupType;
//! use tim_receipts::sandbox::world::World;
//!
//! let mut w = World::new();
//! let mut g = w.add_group("@TGS#1WAR", GroupType::Public, &["alice", "bob", "carol"]);
//! g.name("War room").add_generated_members(10);
//! let seq = g.post("alice", "Is prod down?", true);
//! g.read_up_to("bob", seq);
//! assert_eq!(w.receipt_counts("@TGS#1WAR", seq), Some((1, 11)));
//! ```
//!
//! Read state is kept compactly: per member a last-read `MsgSeq` (what unread counts come
//! from, and what `set_unread_msg_num` moves), a monotonic receipt watermark with the tick at
//! which each advance happened, and per message a sparse map of explicit acknowledgements
//! (`group_msg_receipt`). Every read gets a tick from one world-wide counter, so read state
//! can be evaluated "as of" any past tick: that is what makes receipt-detail cursors stable.

use std::collections::{HashMap, HashSet};

use crate::vendor::limits::RECEIPT_MEMBER_CAP;
use crate::vendor::{GroupType, MessageKind, MsgFlag};

use super::names;
use super::people::People;

pub(crate) type AccountId = u32;

/// A group member's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Owner,
    Admin,
    Member,
}

impl Role {
    pub fn wire(self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Admin => "Admin",
            Role::Member => "Member",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Member {
    pub account: AccountId,
    pub role: Role,
    pub join_time: i64,
    /// The first seq this member could read (the group's next seq when they joined).
    pub join_seq: u64,
    /// `MsgSeq`: seq of the last message read, what unread counts come from.
    pub msg_seq: u64,
    /// Receipt watermark history `(tick, seq)`, both strictly increasing.
    pub marks: Vec<(u64, u64)>,
    pub last_send_time: i64,
    /// `NameCard`: the member's name in this group ("" when none).
    pub name_card: String,
    /// `MsgFlag`: how the member receives the group's messages.
    pub msg_flag: MsgFlag,
    /// `MuteUntil`: when an admin's mute of this member ends (Unix seconds; 0 = never muted).
    pub mute_until: i64,
}

impl Member {
    /// Tick at which this member's watermark first covered `seq`, if it ever did.
    pub fn watermark_tick(&self, seq: u64) -> Option<u64> {
        let i = self.marks.partition_point(|&(_, s)| s < seq);
        self.marks.get(i).map(|&(t, _)| t)
    }

    pub fn watermark(&self) -> u64 {
        self.marks.last().map_or(0, |&(_, s)| s)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Message {
    pub seq: u64,
    pub from: AccountId,
    pub time: i64,
    pub random: u32,
    pub text: String,
    /// Asked for a receipt and could have one when sent (see [`Group::receipts_now`]).
    pub need_receipt: bool,
    pub kind: MessageKind,
    /// Explicit acknowledgements: member position → tick.
    pub acks: HashMap<u32, u64>,
}

impl Message {
    /// True when this message has a live read receipt.
    pub fn has_receipt(&self) -> bool {
        self.need_receipt && self.kind == MessageKind::Normal
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Group {
    pub id: String,
    pub gtype: GroupType,
    pub name: String,
    pub owner: AccountId,
    pub introduction: String,
    pub notification: String,
    pub create_time: i64,
    pub max_member_num: u64,
    /// Audience counted in MemberNum but not stored (AVChatRoom viewers).
    pub extra_member_num: u64,
    pub members: Vec<Member>,
    pub member_pos: HashMap<AccountId, u32>,
    /// Messages; `messages[i].seq == i + 1`.
    pub messages: Vec<Message>,
}

impl Group {
    pub fn latest_seq(&self) -> u64 {
        self.messages.len() as u64
    }

    pub fn message(&self, seq: u64) -> Option<&Message> {
        let i = usize::try_from(seq.checked_sub(1)?).ok()?;
        self.messages.get(i)
    }

    pub fn member_num(&self) -> u64 {
        self.members.len() as u64 + self.extra_member_num
    }

    /// Whether a message sent now can carry a read receipt: a type with receipts and at most
    /// [`RECEIPT_MEMBER_CAP`] members.
    pub fn receipts_now(&self) -> bool {
        self.gtype.supports_receipts() && self.member_num() <= RECEIPT_MEMBER_CAP
    }

    pub fn last_msg_time(&self) -> i64 {
        self.messages.last().map_or(self.create_time, |m| m.time)
    }
}

/// The other side of a conversation (`world_conversations` lists an account's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ConvPeer {
    Account(AccountId),
    /// A group, by its index in the world.
    Group(usize),
}

#[derive(Debug, Clone, Default)]
pub(crate) struct C2c {
    /// Times (Unix seconds) of the messages `peer` sent to the owner of this entry, sorted.
    pub times: Vec<i64>,
    pub read_time: i64,
}

impl C2c {
    pub fn unread(&self) -> u64 {
        let first_unread = self.times.partition_point(|&t| t <= self.read_time);
        (self.times.len() - first_unread) as u64
    }
}

/// A message as tests read it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageInfo {
    pub seq: u64,
    pub from: String,
    /// Unix seconds.
    pub time: i64,
    pub text: String,
    pub kind: MessageKind,
    /// Sent with NeedReadReceipt to a group that could carry a receipt then (a type with
    /// receipts, at most 200 members); the receipt is live only while `kind` is Normal.
    pub need_receipt: bool,
}

/// The whole sandbox state. See the module docs.
#[derive(Debug, Clone, Default)]
pub struct World {
    pub(crate) accounts: Vec<String>,
    pub(crate) account_ids: HashMap<String, AccountId>,
    pub(crate) groups: Vec<Group>,
    pub(crate) group_ids: HashMap<String, usize>,
    /// (owner of the conversation view, peer) → messages from peer to owner.
    pub(crate) c2c: HashMap<(AccountId, AccountId), C2c>,
    pub(crate) tick: u64,
    pub(crate) generated: u64,
    /// Nicknames and online state (see `people`).
    pub(crate) people: People,
    /// Conversations their owners pinned (`TopFlag` 1 in the conversation list).
    pub(crate) pinned: HashSet<(AccountId, ConvPeer)>,
}

/// Current Unix time in seconds.
pub fn now_unix() -> i64 {
    i64::try_from(crate::usersig::now_unix()).unwrap_or(i64::MAX)
}

impl World {
    /// An empty world.
    pub fn new() -> World {
        World::default()
    }

    pub(crate) fn next_tick(&mut self) -> u64 {
        self.tick += 1;
        self.tick
    }

    /// Create an account (no-op if it exists).
    pub fn add_account(&mut self, id: &str) -> &mut World {
        self.ensure_account(id);
        self
    }

    /// Create several accounts.
    pub fn add_accounts<S: AsRef<str>>(&mut self, ids: impl IntoIterator<Item = S>) -> &mut World {
        for id in ids {
            self.ensure_account(id.as_ref());
        }
        self
    }

    pub(crate) fn ensure_account(&mut self, id: &str) -> AccountId {
        if let Some(&a) = self.account_ids.get(id) {
            return a;
        }
        let a = AccountId::try_from(self.accounts.len()).unwrap_or(AccountId::MAX);
        self.accounts.push(id.to_string());
        self.account_ids.insert(id.to_string(), a);
        a
    }

    pub(crate) fn account(&self, id: &str) -> Option<AccountId> {
        self.account_ids.get(id).copied()
    }

    pub(crate) fn name_of(&self, a: AccountId) -> &str {
        self.accounts.get(a as usize).map_or("", String::as_str)
    }

    /// A fresh human-looking account ID (e.g. `amelia.chen`, later `amelia.chen42`).
    pub(crate) fn generate_account(&mut self) -> AccountId {
        loop {
            let name = names::person(self.generated);
            self.generated += 1;
            if !self.account_ids.contains_key(&name) {
                return self.ensure_account(&name);
            }
        }
    }

    /// Whether an account exists.
    pub fn has_account(&self, id: &str) -> bool {
        self.account_ids.contains_key(id)
    }

    /// Number of accounts.
    pub fn account_count(&self) -> usize {
        self.accounts.len()
    }

    pub(crate) fn group_idx(&self, id: &str) -> Option<usize> {
        self.group_ids.get(id).copied()
    }

    /// IDs of every group, in creation order.
    pub fn group_ids(&self) -> Vec<String> {
        self.groups.iter().map(|g| g.id.clone()).collect()
    }

    /// Number of groups.
    pub fn group_count(&self) -> usize {
        self.groups.len()
    }

    /// A group's type.
    pub fn group_type(&self, id: &str) -> Option<GroupType> {
        Some(self.groups[self.group_idx(id)?].gtype)
    }

    /// A group's display name.
    pub fn group_name(&self, id: &str) -> Option<&str> {
        Some(&self.groups[self.group_idx(id)?].name)
    }

    /// MemberNum as get_group_info reports it.
    pub fn member_count(&self, id: &str) -> Option<u64> {
        Some(self.groups[self.group_idx(id)?].member_num())
    }

    /// Accounts of a group's stored members, in join order.
    pub fn members(&self, id: &str) -> Option<Vec<String>> {
        let g = &self.groups[self.group_idx(id)?];
        Some(
            g.members
                .iter()
                .map(|m| self.name_of(m.account).to_string())
                .collect(),
        )
    }

    /// The seq of the newest message (0 when there is none).
    pub fn latest_seq(&self, id: &str) -> Option<u64> {
        Some(self.groups[self.group_idx(id)?].latest_seq())
    }

    /// One message, read back.
    pub fn message(&self, group: &str, seq: u64) -> Option<MessageInfo> {
        let m = self.groups[self.group_idx(group)?].message(seq)?;
        Some(MessageInfo {
            seq: m.seq,
            from: self.name_of(m.from).to_string(),
            time: m.time,
            text: m.text.clone(),
            kind: m.kind,
            need_receipt: m.need_receipt,
        })
    }

    /// Whether the message `seq` has a live read receipt.
    pub fn has_receipt(&self, id: &str, seq: u64) -> bool {
        self.group_idx(id)
            .and_then(|g| self.groups[g].message(seq))
            .is_some_and(Message::has_receipt)
    }

    /// A member's `MsgSeq` (last read seq).
    pub fn msg_seq(&self, group: &str, member: &str) -> Option<u64> {
        let (g, pos) = self.member_lookup(group, member)?;
        Some(self.groups[g].members[pos].msg_seq)
    }

    /// A member's unread count: messages after their `MsgSeq`.
    pub fn unread_count(&self, group: &str, member: &str) -> Option<u64> {
        let (g, pos) = self.member_lookup(group, member)?;
        let g = &self.groups[g];
        Some(g.latest_seq().saturating_sub(g.members[pos].msg_seq))
    }

    pub(crate) fn member_lookup(&self, group: &str, member: &str) -> Option<(usize, usize)> {
        let g = self.group_idx(group)?;
        let a = self.account(member)?;
        let pos = *self.groups[g].member_pos.get(&a)?;
        Some((g, pos as usize))
    }

    /// Give `to` `n` unread 1:1 messages from `peer` (sent over the last `n` minutes).
    pub fn set_c2c_unread(&mut self, to: &str, peer: &str, n: u64) -> &mut World {
        let now = now_unix();
        let (t, p) = (self.ensure_account(to), self.ensure_account(peer));
        let conv = self.c2c.entry((t, p)).or_default();
        let n = i64::try_from(n).unwrap_or(i64::MAX);
        conv.times = (0..n).map(|i| now - 60 * (n - i)).collect();
        conv.read_time = conv.times.first().map_or(now, |&t0| t0 - 1);
        self
    }

    /// Record a 1:1 message from `from` to `to` at `time` (unread for `to` until read).
    pub fn c2c_send(&mut self, from: &str, to: &str, time: i64) -> &mut World {
        let (f, t) = (self.ensure_account(from), self.ensure_account(to));
        let conv = self.c2c.entry((t, f)).or_default();
        let at = conv.times.partition_point(|&x| x <= time);
        conv.times.insert(at, time);
        self
    }

    /// `to`'s unread count in the 1:1 conversation with `peer`.
    pub fn c2c_unread(&self, to: &str, peer: &str) -> u64 {
        match (self.account(to), self.account(peer)) {
            (Some(t), Some(p)) => self.c2c.get(&(t, p)).map_or(0, C2c::unread),
            _ => 0,
        }
    }
}

impl World {
    pub(crate) fn post_message(
        &mut self,
        g: usize,
        from: AccountId,
        text: &str,
        need_receipt: bool,
        time: i64,
        random: u32,
    ) -> u64 {
        let group = &mut self.groups[g];
        let seq = group.latest_seq() + 1;
        // Decided once, at send time: a group that grows past the cap later keeps the
        // receipts of what was sent before (ours; the vendor's pages are silent).
        let receipt = need_receipt && group.receipts_now();
        group.messages.push(Message {
            seq,
            from,
            time,
            random,
            text: text.to_string(),
            need_receipt: receipt,
            kind: MessageKind::Normal,
            acks: HashMap::new(),
        });
        if let Some(&pos) = group.member_pos.get(&from) {
            let m = &mut group.members[pos as usize];
            m.msg_seq = seq;
            m.last_send_time = time;
        }
        self.people.touch(from, time);
        seq
    }

    /// Advance a member's `MsgSeq` and receipt watermark to `seq` (clamped to the newest).
    pub(crate) fn read_up_to(&mut self, g: usize, pos: usize, seq: u64) {
        let seq = seq.min(self.groups[g].latest_seq());
        let tick = self.next_tick();
        let m = &mut self.groups[g].members[pos];
        m.msg_seq = m.msg_seq.max(seq);
        if seq > m.watermark() {
            m.marks.push((tick, seq));
        }
    }
}
