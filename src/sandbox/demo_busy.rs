//! The demo's busy user, [`DEMO_BUSY_USER`] ("李娜 Li Na"): a member of 500 of the ordinary
//! groups, of every type, with some unread in a good part of them, some groups muted
//! (`MsgFlag`), one where an admin muted her until three days from now and one whose mute
//! ran out two days ago; and a handful of 1:1 conversations with unread messages, the one
//! with [`DEMO_C2C_USER`] pinned.
//!
//! Every decision is a hash of the seed and the group: the world's RNG is not touched, so
//! the rest of the demo is the same with or without her. She joins only groups of fewer
//! than 200 members, so no group crosses the receipt cap because of her.

use super::demo::{
    DAY, DEMO_ALL_HANDS, DEMO_C2C_USER, DEMO_COMMUNITY, DEMO_GUILD, DEMO_LIVE, DEMO_MEETING,
    DEMO_ON_CALL, DEMO_RELEASE_TRAIN, DEMO_WAR_ROOM,
};
use super::group_builder::GroupMut;
use super::hash::mix;
use super::world::{AccountId, ConvPeer, World};
use crate::vendor::limits::RECEIPT_MEMBER_CAP;
use crate::vendor::{GroupType, MsgFlag};

/// The busy user's account ID.
pub const DEMO_BUSY_USER: &str = "li.na";
/// How many groups she is in.
pub const DEMO_BUSY_GROUPS: usize = 500;
/// Her 1:1 unread counts, per conversation (the first is with [`DEMO_C2C_USER`]).
const C2C_UNREAD: [u64; 8] = [3, 2, 0, 5, 1, 0, 12, 4];

const NAMED: [&str; 8] = [
    DEMO_WAR_ROOM,
    DEMO_ON_CALL,
    DEMO_RELEASE_TRAIN,
    DEMO_GUILD,
    DEMO_ALL_HANDS,
    DEMO_MEETING,
    DEMO_LIVE,
    DEMO_COMMUNITY,
];

impl World {
    /// Add the busy user (see the module docs).
    pub(super) fn demo_busy_user(&mut self, seed: u64, now: i64) {
        let me = self.ensure_account(DEMO_BUSY_USER);
        self.people.set_nick(me, "李娜 Li Na");
        let mut chosen: Vec<(u64, usize)> = self
            .groups
            .iter()
            .enumerate()
            .filter(|(_, g)| {
                !NAMED.contains(&g.id.as_str())
                    && (g.members.len() as u64) < RECEIPT_MEMBER_CAP
                    && !g.member_pos.contains_key(&me)
            })
            .map(|(gi, _)| (mix(seed ^ mix(gi as u64 ^ 0xB05F)), gi))
            .collect();
        chosen.sort_unstable();
        chosen.truncate(DEMO_BUSY_GROUPS);
        chosen.sort_unstable_by_key(|&(_, gi)| gi);
        let (mut muted_public, mut muted_work) = (false, false);
        for &(h, gi) in &chosen {
            self.busy_join(me, gi, h);
            let gtype = self.groups[gi].gtype;
            let pos = self.groups[gi].members.len() - 1;
            let m = &mut self.groups[gi].members[pos];
            if gtype == GroupType::Public && !muted_public {
                m.mute_until = now + 3 * DAY;
                muted_public = true;
            } else if gtype == GroupType::Work && !muted_work {
                m.mute_until = now - 2 * DAY;
                muted_work = true;
            }
        }
        let peers: Vec<AccountId> = std::iter::once(self.account(DEMO_C2C_USER))
            .chain(chosen.iter().map(|&(_, gi)| Some(self.groups[gi].owner)))
            .flatten()
            .filter(|&p| p != me)
            .fold(Vec::new(), |mut v, p| {
                if !v.contains(&p) && v.len() < C2C_UNREAD.len() {
                    v.push(p);
                }
                v
            });
        for (i, (&peer, &unread)) in peers.iter().zip(&C2C_UNREAD).enumerate() {
            let base = now - 1800 * (i as i64 + 1);
            let conv = self.c2c.entry((me, peer)).or_default();
            conv.times = (0..unread as i64 + 2).map(|j| base + 60 * j).collect();
            let last = conv.times.last().copied().unwrap_or(base);
            conv.read_time = last - 60 * unread as i64;
            // She answered the first message of each.
            self.c2c
                .entry((peer, me))
                .or_default()
                .times
                .push(base + 30);
        }
        if let Some(&nora) = peers.first() {
            self.pinned.insert((me, ConvPeer::Account(nora)));
        }
    }

    /// She joins group `gi` when it was created (so every message counts for her), reads up
    /// to a point that `h` decides, and receives it as `h` decides.
    fn busy_join(&mut self, me: AccountId, gi: usize, h: u64) {
        let created = self.groups[gi].create_time;
        GroupMut {
            world: self,
            idx: gi,
        }
        .join(me, created);
        let g = &mut self.groups[gi];
        let pos = g.members.len() - 1;
        let latest = g.latest_seq();
        let m = &mut g.members[pos];
        m.join_seq = 1;
        m.msg_seq = 0;
        m.msg_flag = match (h >> 24) % 100 {
            0..15 => MsgFlag::AcceptNotNotify,
            15..18 => MsgFlag::Discard,
            _ => MsgFlag::AcceptAndNotify,
        };
        let behind = match h % 100 {
            0..45 => 0,
            45..85 => 1 + (h >> 8) % 6,
            _ => 1 + (h >> 16) % 25,
        };
        let upto = latest.saturating_sub(behind);
        if upto > 0 {
            self.read_up_to(gi, pos, upto);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::config::DEFAULT_SEED;

    #[test]
    fn she_is_in_500_groups_of_every_type_with_unread_and_mutes() {
        let now = 1_800_000_000;
        let w = World::demo_at(DEFAULT_SEED, now);
        let groups: Vec<String> = w
            .group_ids()
            .into_iter()
            .filter(|g| w.msg_seq(g, DEMO_BUSY_USER).is_some())
            .collect();
        assert_eq!(groups.len(), DEMO_BUSY_GROUPS);
        for t in GroupType::ALL {
            assert!(
                groups.iter().any(|g| w.group_type(g) == Some(t)),
                "no {t:?} group"
            );
        }
        let unread: Vec<u64> = groups
            .iter()
            .filter_map(|g| w.unread_count(g, DEMO_BUSY_USER))
            .collect();
        let with_unread = unread.iter().filter(|&&n| n > 0).count();
        assert!((150..400).contains(&with_unread), "{with_unread}");
        let muted = groups
            .iter()
            .filter(|g| w.msg_flag(g, DEMO_BUSY_USER).is_some_and(MsgFlag::is_muted))
            .count();
        assert!((40..140).contains(&muted), "{muted}");
        let mutes: Vec<i64> = groups
            .iter()
            .filter_map(|g| w.mute_until(g, DEMO_BUSY_USER))
            .filter(|&t| t > 0)
            .collect();
        assert_eq!(mutes.len(), 2);
        assert!(mutes.contains(&(now + 3 * DAY)));
        for g in &groups {
            assert!(
                w.member_count(g).unwrap() <= 200
                    || w.group_type(g) == Some(GroupType::AVChatRoom)
                    || w.group_type(g) == Some(GroupType::Community)
            );
        }
        let total: u64 = w
            .c2c_peers(DEMO_BUSY_USER)
            .iter()
            .map(|p| w.c2c_unread(DEMO_BUSY_USER, p))
            .sum();
        assert_eq!(total, C2C_UNREAD.iter().sum::<u64>());
        assert_eq!(w.c2c_peers(DEMO_BUSY_USER).len(), C2C_UNREAD.len());
    }
}
