//! The demo world's two big groups, where read receipts do not reach (a Public group over
//! the 200-member receipt cap, and a Community) and the members' read positions (`MsgSeq`)
//! answer instead: the 6,000-member all-hands and the 100,000-member Community. Each has a
//! recent announcement that part of the group has read, and members who joined recently,
//! a quarter of them after that announcement (so `joined_after` shows up).
//!
//! A member who joins starts with `MsgSeq` at the group's newest seq when they join:
//! nothing sent before the join counts as unread for them, and they read forward from
//! there. The vendor's pages do not say what a joining member's `MsgSeq` is (an open point
//! of the reference); this is the sandbox's rule everywhere (see `GroupMut::join`), and the
//! late joiners here follow it as if they had joined at their `JoinTime`.

use rand::Rng;
use rand::rngs::StdRng;

use crate::vendor::GroupType;

use super::demo::{DAY, DEMO_ALL_HANDS, DEMO_COMMUNITY, OFFICE, ReadCurve, pick};
use super::demo_text::{
    ALL_HANDS_NOTICE, ANNOUNCEMENTS, COMMUNITY_ANNOUNCEMENT, COMMUNITY_CHATTER,
};
use super::group_builder::GroupMut;
use super::world::{AccountId, World};

/// Members of the all-hands who joined in its last two weeks (1.5% of 6,000).
pub(crate) const ALL_HANDS_JOINERS: usize = 90;
/// Members of the Community who joined in its last ten days (2% of 100,000).
pub(crate) const COMMUNITY_JOINERS: usize = 2_000;
/// How long before the world's `now` the all-hands' newest message (an incident notice)
/// went out, and the Community's newest announcement.
pub(crate) const ALL_HANDS_NOTICE_AGE: i64 = 95 * 60;
pub(crate) const COMMUNITY_ANNOUNCEMENT_AGE: i64 = 3 * 3600;
/// Replies in the Community after its announcement.
pub(crate) const COMMUNITY_REPLIES: usize = 6;
/// Senders of the Community's history: its first members (the staff).
const COMMUNITY_SENDERS: usize = 500;
/// Of the late joiners, one in this many joined after the newest announcement.
const AFTER_ANNOUNCEMENT_ONE_IN: usize = 4;

/// Community members: a few follow closely, more look in daily or weekly, most rarely do
/// (their `MsgSeq` stays where it was when they joined).
const COMMUNITY: ReadCurve = ReadCurve(&[
    (0.06, 15.0 * 60.0),
    (0.14, 6.0 * 3600.0),
    (0.25, 4.0 * 86_400.0),
]);

/// `n` join times, sorted: one in [`AFTER_ANNOUNCEMENT_ONE_IN`] after `split` (up to `to`),
/// the rest in `[from, split)`.
fn join_times(rng: &mut StdRng, n: usize, from: i64, split: i64, to: i64) -> Vec<i64> {
    let after = n / AFTER_ANNOUNCEMENT_ONE_IN;
    let mut times: Vec<i64> = (0..n)
        .map(|i| {
            if i < after {
                rng.random_range(split + 1..=to)
            } else {
                rng.random_range(from..split)
            }
        })
        .collect();
    times.sort_unstable();
    times
}

impl World {
    /// The all-hands at 6,000 members: announcements over 30 days, sent asking for a
    /// receipt (as a real app would) and stored without one, then an incident notice
    /// 95 minutes ago; 90 members joined in the last two weeks.
    pub(super) fn demo_all_hands(&mut self, staff: &[AccountId], now: i64, rng: &mut StdRng) {
        // Never a late joiner: the announcers (the first five) and nora's colleagues (eight).
        let joiners = pick(rng, staff.get(8..).unwrap_or_default(), ALL_HANDS_JOINERS);
        let late: std::collections::HashSet<AccountId> = joiners.iter().copied().collect();
        let founders: Vec<AccountId> = staff
            .iter()
            .copied()
            .filter(|a| !late.contains(a))
            .collect();
        let g = self.demo_group(
            DEMO_ALL_HANDS,
            GroupType::Public,
            "Company all-hands",
            &founders,
            now - 400 * DAY,
        );
        self.groups[g].max_member_num = 6000;
        for (i, text) in ANNOUNCEMENTS.iter().cycle().take(24).enumerate() {
            let t = now - 30 * DAY + (i as i64) * 30 * DAY / 24 + rng.random_range(0..3600);
            self.post_message(g, staff[i % 5], text, i % 3 != 1, t, 2000 + i as u32);
        }
        let notice = now - ALL_HANDS_NOTICE_AGE;
        self.post_message(g, staff[0], ALL_HANDS_NOTICE, true, notice, 2024);
        let times = join_times(rng, joiners.len(), now - 14 * DAY, notice, now - 60);
        for (&a, t) in joiners.iter().zip(times) {
            self.join_late(g, a, t);
        }
        self.apply_read_curve(g, &OFFICE, now, rng);
    }

    /// The Community at 100,000 members: 30 messages over 20 days, an announcement 3 hours
    /// ago and a few replies; 2,000 members joined in the last ten days.
    pub(super) fn demo_community(&mut self, staff: &[AccountId], now: i64, rng: &mut StdRng) {
        let mut members: Vec<AccountId> = staff.to_vec();
        members.extend((0..94_000).map(|_| self.generate_account()));
        let (founders, joiners) = members.split_at(members.len() - COMMUNITY_JOINERS);
        let g = self.demo_group(
            DEMO_COMMUNITY,
            GroupType::Community,
            "Developer community",
            founders,
            now - 700 * DAY,
        );
        let senders = &founders[..COMMUNITY_SENDERS.min(founders.len())];
        let announced = now - COMMUNITY_ANNOUNCEMENT_AGE;
        self.demo_messages(g, senders, 30, now - 20 * DAY, announced - 3600, 0.0, rng);
        self.post_message(
            g,
            founders[0],
            COMMUNITY_ANNOUNCEMENT,
            false,
            announced,
            3000,
        );
        let mut replies: Vec<i64> = (0..COMMUNITY_REPLIES)
            .map(|_| rng.random_range(announced + 60..now - 600))
            .collect();
        replies.sort_unstable();
        for t in replies {
            let from = senders[rng.random_range(0..senders.len())];
            let text = COMMUNITY_CHATTER[rng.random_range(0..COMMUNITY_CHATTER.len())];
            self.post_message(g, from, text, false, t, rng.random());
        }
        let times = join_times(rng, joiners.len(), now - 10 * DAY, announced, now - 60);
        for (&a, t) in joiners.iter().zip(times) {
            self.join_late(g, a, t);
        }
        self.apply_read_curve(g, &COMMUNITY, now, rng);
    }

    /// `a` joins group `g` at `time`, after the group's messages were posted: as if they had
    /// joined then, their `MsgSeq` is the newest seq sent by `time` (and they can read what
    /// came after).
    fn join_late(&mut self, g: usize, a: AccountId, time: i64) {
        let seq = self.groups[g].messages.partition_point(|m| m.time <= time) as u64;
        GroupMut {
            world: self,
            idx: g,
        }
        .join(a, time);
        if let Some(m) = self.groups[g].members.last_mut()
            && m.account == a
        {
            m.join_seq = seq + 1;
            m.msg_seq = seq;
        }
    }
}

#[cfg(test)]
#[path = "demo_big_tests.rs"]
mod tests;
