//! One account's conversation list, as `recentcontact/get_list` serves it: its 1:1
//! conversations (messages either way) and its groups' conversations, newest first, with
//! the ones it pinned.
//!
//! Ours where the vendor's pages are silent: a 1:1 conversation exists once either side
//! sent a message (or a test made one with no messages: an "empty" conversation, listed
//! only when asked for with `AssistFlags` bit 1); a group's conversation exists for every
//! group the account is in that has a message (a group without one is "empty"), except
//! AVChatRoom groups, which keep no conversation; `MsgTime` is the newest message's time
//! (an empty group conversation's is the account's join time, an empty 1:1's is 0); the
//! list keeps the newest [`CONVERSATIONS_MAX`] conversations, the most any edition keeps.

use std::collections::HashMap;

pub(crate) use super::world::ConvPeer;
use super::world::{AccountId, World};
use crate::vendor::GroupType;
use crate::vendor::limits::CONVERSATIONS_MAX;

/// One conversation of an account's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Conv {
    pub peer: ConvPeer,
    /// `MsgTime`: Unix seconds of the newest message.
    pub time: i64,
    /// The account pinned it (`TopFlag`).
    pub pinned: bool,
}

impl World {
    /// `owner` pins its conversation with `with` (an account ID, or the ID of a group it is
    /// in). Creates the accounts.
    pub fn pin_conversation(&mut self, owner: &str, with: &str) -> &mut World {
        let o = self.ensure_account(owner);
        let peer = match self.group_idx(with) {
            Some(g) => ConvPeer::Group(g),
            None => ConvPeer::Account(self.ensure_account(with)),
        };
        self.pinned.insert((o, peer));
        self
    }

    /// The peers of `owner`'s 1:1 conversations, newest first, as the conversation list
    /// has them (tests read the world back with this).
    pub fn c2c_peers(&self, owner: &str) -> Vec<String> {
        let Some(a) = self.account(owner) else {
            return Vec::new();
        };
        self.conversations_of(a, false)
            .into_iter()
            .filter_map(|c| match c.peer {
                ConvPeer::Account(p) => Some(self.name_of(p).to_string()),
                ConvPeer::Group(_) => None,
            })
            .collect()
    }

    /// `a`'s conversations, newest first (ties: 1:1 before group, then by ID), at most
    /// [`CONVERSATIONS_MAX`]; `empty` includes conversations without messages.
    pub(crate) fn conversations_of(&self, a: AccountId, empty: bool) -> Vec<Conv> {
        let mut c2c: HashMap<AccountId, Option<i64>> = HashMap::new();
        for (&(owner, peer), conv) in &self.c2c {
            let other = if owner == a {
                peer
            } else if peer == a {
                owner
            } else {
                continue;
            };
            if other == a {
                continue;
            }
            let last = conv.times.last().copied();
            let slot = c2c.entry(other).or_insert(None);
            *slot = (*slot).max(last);
        }
        let mut list: Vec<Conv> = c2c
            .into_iter()
            .filter(|(_, last)| empty || last.is_some())
            .map(|(p, last)| Conv {
                peer: ConvPeer::Account(p),
                time: last.unwrap_or(0),
                pinned: false,
            })
            .collect();
        for (gi, g) in self.groups.iter().enumerate() {
            if g.gtype == GroupType::AVChatRoom {
                continue;
            }
            let Some(&pos) = g.member_pos.get(&a) else {
                continue;
            };
            let time = match g.messages.last() {
                Some(m) => m.time,
                None if empty => g.members.get(pos as usize).map_or(0, |m| m.join_time),
                None => continue,
            };
            list.push(Conv {
                peer: ConvPeer::Group(gi),
                time,
                pinned: false,
            });
        }
        for c in &mut list {
            c.pinned = self.pinned.contains(&(a, c.peer));
        }
        let key = |c: &Conv| match c.peer {
            ConvPeer::Account(p) => (0u8, self.name_of(p).to_string()),
            ConvPeer::Group(g) => (1u8, self.groups[g].id.clone()),
        };
        list.sort_by(|x, y| y.time.cmp(&x.time).then_with(|| key(x).cmp(&key(y))));
        list.truncate(CONVERSATIONS_MAX as usize);
        list
    }
}

#[cfg(test)]
mod tests {
    use crate::sandbox::world::World;
    use crate::vendor::GroupType;

    #[test]
    fn both_directions_groups_and_pins_newest_first() {
        let mut w = World::new();
        w.c2c_send("bob", "ann", 100)
            .c2c_send("ann", "carol", 300)
            .c2c_send("dave", "erin", 500);
        w.add_group("@TGS#1A", GroupType::Work, &["ann", "bob"])
            .post_at("bob", "hi", false, 200);
        w.add_group("@TGS#1EMPTY", GroupType::Work, &["ann"]);
        w.add_group("@TGS#3LIVE", GroupType::AVChatRoom, &["ann"])
            .post_at("ann", "live", false, 400);
        w.pin_conversation("ann", "bob");
        let a = w.account("ann").unwrap();
        let list = w.conversations_of(a, false);
        let times: Vec<i64> = list.iter().map(|c| c.time).collect();
        assert_eq!(times, vec![300, 200, 100]);
        assert!(list[2].pinned && !list[0].pinned);
        assert_eq!(w.c2c_peers("ann"), vec!["carol", "bob"]);
        // With empty conversations: the group without messages (at its join time).
        assert_eq!(w.conversations_of(a, true).len(), 4);
    }
}
