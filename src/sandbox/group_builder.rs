//! Building groups of a [`World`]: [`World::add_group`], [`World::group_mut`] and
//! [`GroupMut`], the handle tests (and the demo generator) use to shape one group: name it,
//! add members, post messages, make members read, recall or expire.

use std::collections::HashMap;

use super::world::{AccountId, Group, Member, Role, World, now_unix};
use crate::vendor::{GroupType, MessageKind, MsgFlag, limits};

impl World {
    /// Create a group of any type. Members (created as accounts when new) join in order; the
    /// first is the owner. Group types without a member list (AVChatRoom) still keep the given
    /// members, so tests can post as them.
    ///
    /// # Panics
    /// If a group with this ID exists (a test-world mistake).
    pub fn add_group(&mut self, id: &str, gtype: GroupType, members: &[&str]) -> GroupMut<'_> {
        assert!(
            !self.group_ids.contains_key(id),
            "sandbox world: group {id:?} already exists"
        );
        let owner = members.first().map(|m| self.ensure_account(m));
        let max_member_num = match gtype {
            GroupType::Work => 200,
            GroupType::Public => 2000,
            GroupType::Meeting => limits::GROUP_MEMBERS_MAX,
            GroupType::AVChatRoom => 0,
            GroupType::Community => limits::COMMUNITY_MEMBERS_MAX,
        };
        let idx = self.groups.len();
        self.groups.push(Group {
            id: id.to_string(),
            gtype,
            name: id.to_string(),
            owner: owner.unwrap_or(0),
            introduction: String::new(),
            notification: String::new(),
            create_time: now_unix(),
            max_member_num,
            extra_member_num: 0,
            members: Vec::new(),
            member_pos: HashMap::new(),
            messages: Vec::new(),
        });
        self.group_ids.insert(id.to_string(), idx);
        let mut g = GroupMut { world: self, idx };
        g.add_members(members);
        g
    }

    /// Change a group later.
    pub fn group_mut(&mut self, id: &str) -> Option<GroupMut<'_>> {
        let idx = *self.group_ids.get(id)?;
        Some(GroupMut { world: self, idx })
    }
}

/// A handle to change one group of a [`World`]. Methods panic with a clear message on a
/// test-world mistake (an unknown member or seq); the server never goes through here.
pub struct GroupMut<'a> {
    pub(crate) world: &'a mut World,
    pub(crate) idx: usize,
}

impl GroupMut<'_> {
    fn group(&mut self) -> &mut Group {
        &mut self.world.groups[self.idx]
    }

    /// The group's ID.
    pub fn id(&self) -> &str {
        &self.world.groups[self.idx].id
    }

    pub fn name(&mut self, name: &str) -> &mut Self {
        self.group().name = name.to_string();
        self
    }

    pub fn introduction(&mut self, text: &str) -> &mut Self {
        self.group().introduction = text.to_string();
        self
    }

    pub fn notification(&mut self, text: &str) -> &mut Self {
        self.group().notification = text.to_string();
        self
    }

    pub fn created_at(&mut self, unix: i64) -> &mut Self {
        self.group().create_time = unix;
        self
    }

    /// Viewers counted in MemberNum without being stored (for AVChatRoom audiences).
    pub fn audience(&mut self, n: u64) -> &mut Self {
        self.group().extra_member_num = n;
        self
    }

    pub fn max_members(&mut self, n: u64) -> &mut Self {
        self.group().max_member_num = n;
        self
    }

    /// Make a member an Admin.
    pub fn admin(&mut self, member: &str) -> &mut Self {
        let pos = self.pos(member);
        self.group().members[pos].role = Role::Admin;
        self
    }

    /// Give a member a name card (`NameCard`) in this group ("" removes it).
    pub fn name_card(&mut self, member: &str, card: &str) -> &mut Self {
        let pos = self.pos(member);
        self.group().members[pos].name_card = card.to_string();
        self
    }

    /// Set how a member receives the group's messages (`MsgFlag`; AcceptNotNotify = the
    /// member muted the group).
    pub fn msg_flag(&mut self, member: &str, flag: MsgFlag) -> &mut Self {
        let pos = self.pos(member);
        self.group().members[pos].msg_flag = flag;
        self
    }

    /// An admin mutes a member until Unix time `until` (`MuteUntil`; 0 lifts it).
    pub fn mute_until(&mut self, member: &str, until: i64) -> &mut Self {
        let pos = self.pos(member);
        self.group().members[pos].mute_until = until;
        self
    }

    /// Add members (joining now: they can read the messages sent from here on).
    pub fn add_members(&mut self, ids: &[&str]) -> &mut Self {
        let now = now_unix();
        for id in ids {
            let a = self.world.ensure_account(id);
            self.join(a, now);
        }
        self
    }

    /// Add members who joined at Unix time `time` (`JoinTime`); they start with `MsgSeq` at
    /// the newest message, as members joining now do.
    pub fn add_members_at(&mut self, ids: &[&str], time: i64) -> &mut Self {
        for id in ids {
            let a = self.world.ensure_account(id);
            self.join(a, time);
        }
        self
    }

    /// Add `n` members with generated, human-looking account IDs.
    pub fn add_generated_members(&mut self, n: usize) -> &mut Self {
        let now = now_unix();
        self.group().members.reserve(n);
        for _ in 0..n {
            let a = self.world.generate_account();
            self.join(a, now);
        }
        self
    }

    pub(crate) fn join(&mut self, a: AccountId, time: i64) {
        let g = self.group();
        if g.member_pos.contains_key(&a) {
            return;
        }
        let role = if g.members.is_empty() && g.owner == a {
            Role::Owner
        } else {
            Role::Member
        };
        let latest = g.latest_seq();
        let pos = u32::try_from(g.members.len()).unwrap_or(u32::MAX);
        g.members.push(Member {
            account: a,
            role,
            join_time: time,
            join_seq: latest + 1,
            msg_seq: latest,
            marks: Vec::new(),
            last_send_time: 0,
            name_card: String::new(),
            msg_flag: MsgFlag::AcceptAndNotify,
            mute_until: 0,
        });
        g.member_pos.insert(a, pos);
        if g.members.len() as u64 > g.max_member_num && g.gtype != GroupType::AVChatRoom {
            g.max_member_num = g.members.len() as u64;
        }
    }

    #[allow(clippy::panic)]
    fn pos(&self, member: &str) -> usize {
        let g = &self.world.groups[self.idx];
        self.world
            .account(member)
            .and_then(|a| g.member_pos.get(&a))
            .map(|&p| p as usize)
            // A world is built by a test or the demo: naming a non-member is a bug in it.
            .unwrap_or_else(|| panic!("sandbox world: {member:?} is not a member of {:?}", g.id))
    }

    /// Post a message now; returns its seq.
    pub fn post(&mut self, from: &str, text: &str, need_receipt: bool) -> u64 {
        self.post_at(from, text, need_receipt, now_unix())
    }

    /// Post a message at a given Unix time; returns its seq. The sender need not be a
    /// member (an admin may post); a sender who is a member has read their own message.
    pub fn post_at(&mut self, from: &str, text: &str, need_receipt: bool, time: i64) -> u64 {
        let a = self.world.ensure_account(from);
        let random =
            (self.world.groups[self.idx].messages.len() as u32).wrapping_mul(2_654_435_761);
        self.world
            .post_message(self.idx, a, text, need_receipt, time, random)
    }

    /// The member reads every message up to `seq` (receipts included).
    pub fn read_up_to(&mut self, member: &str, seq: u64) -> &mut Self {
        let pos = self.pos(member);
        self.world.read_up_to(self.idx, pos, seq);
        self
    }

    /// The member acknowledges specific seqs (as `group_msg_receipt` does). Seqs without a
    /// receipt are ignored.
    pub fn ack(&mut self, member: &str, seqs: &[u64]) -> &mut Self {
        let pos = self.pos(member);
        self.world.ack_positions(self.idx, pos, seqs);
        self
    }

    /// Set a member's `MsgSeq` directly (what `set_unread_msg_num` moves).
    pub fn set_msg_seq(&mut self, member: &str, seq: u64) -> &mut Self {
        let pos = self.pos(member);
        self.group().members[pos].msg_seq = seq;
        self
    }

    /// Turn a message into a recalled place-holder (IsPlaceMsg 2); its receipt goes away.
    pub fn recall(&mut self, seq: u64) -> &mut Self {
        self.set_kind(seq, MessageKind::Recalled)
    }

    /// Turn a message into an expired place-holder (IsPlaceMsg 1); its receipt goes away.
    pub fn expire(&mut self, seq: u64) -> &mut Self {
        self.set_kind(seq, MessageKind::Expired)
    }

    #[allow(clippy::panic)] // a seq the builder never posted is a bug in the world's builder
    fn set_kind(&mut self, seq: u64, kind: MessageKind) -> &mut Self {
        let id = self.id().to_string();
        let i = seq.checked_sub(1).map(|i| i as usize);
        match i.and_then(|i| self.group().messages.get_mut(i)) {
            Some(m) => m.kind = kind,
            None => panic!("sandbox world: group {id:?} has no message {seq}"),
        }
        self
    }
}
