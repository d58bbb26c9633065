//! Activity in the big groups (the all-hands and the Community), where messages carry no
//! read receipts and the members' read positions (`MsgSeq`) move instead. A step costs the
//! same whatever a group's size: one member looked at, or one message posted.
//!
//! - **Visits.** One step in [`VISIT_ONE_IN`] picks one of the big groups and one of its
//!   members at random (at the default pace, about 0.6 visits a second in each group). A
//!   member who has not read up to the group's newest message reads up to it (their
//!   `MsgSeq` becomes the newest seq: they opened the group and scrolled to the bottom) with
//!   a chance that halves every [`POSITION_HALF_LIFE_SECS`] of that message's age, so a new
//!   notice is read over hours. A fifth of each big group's members (fixed by a hash of the
//!   seed and the account) never open it.
//! - **Posts.** A service notice in the all-hands about every hour, from its owner, and a
//!   post in the Community about every 15 minutes, from any member; the sender has read up
//!   to what they sent.
//! - A visit fires no callback: reading a conversation is not a read receipt.
//!
//! These steps draw from their own RNG, so the receipt groups' activity is the same with or
//! without the big groups.

use rand::Rng;

use super::{Activity, NEVER_READ_ONE_IN, PACE, READ_CHANCE, mix};
use crate::sandbox::demo::{DEMO_ALL_HANDS, DEMO_COMMUNITY};
use crate::sandbox::demo_text::{ALL_HANDS_UPDATES, COMMUNITY_CHATTER};
use crate::sandbox::world::{AccountId, World};

/// The big groups and the mean simulated seconds between two new messages in each.
const BIG_GROUPS: [(&str, f64); 2] = [(DEMO_ALL_HANDS, 3600.0), (DEMO_COMMUNITY, 900.0)];
/// One step in this many is a visit to a big group.
const VISIT_ONE_IN: u32 = 4;
/// Simulated seconds after which the chance that a visiting member reads up to a big
/// group's newest message has halved.
pub(crate) const POSITION_HALF_LIFE_SECS: f64 = 3600.0;

/// The big groups present in `w` that keep read positions, with the chance that a step
/// posts there.
pub(super) fn big_groups(w: &World) -> Vec<(usize, f64)> {
    BIG_GROUPS
        .iter()
        .filter_map(|&(id, secs)| {
            let g = w.group_idx(id)?;
            let group = &w.groups[g];
            let keeps = !group.gtype.ignores_unread_count() && !group.members.is_empty();
            keeps.then_some((g, (1.0 / (secs * PACE)).min(1.0)))
        })
        .collect()
}

impl Activity {
    /// One step in the big groups at clock time `now`: a new message when one is due, else
    /// one member's visit.
    pub(super) fn big_step(&mut self, w: &mut World, now: i64) {
        if self.big.is_empty() {
            return;
        }
        for i in 0..self.big.len() {
            let (g, chance) = self.big[i];
            if self.big_rng.random_bool(chance) {
                self.big_post(w, g, now);
                return;
            }
        }
        if !self.big_rng.random_ratio(1, VISIT_ONE_IN) {
            return;
        }
        let (g, _) = self.big[self.big_rng.random_range(0..self.big.len())];
        let group = &w.groups[g];
        let (Some(newest), false) = (group.messages.last(), group.members.is_empty()) else {
            return;
        };
        let pos = self.big_rng.random_range(0..group.members.len());
        let member = &group.members[pos];
        if member.msg_seq >= newest.seq || self.never_opens(g, member.account) {
            return;
        }
        let age = self.simulated(now) - self.simulated(newest.time);
        let chance = READ_CHANCE * 0.5f64.powf(age.max(0.0) / POSITION_HALF_LIFE_SECS);
        let seq = newest.seq;
        if self.big_rng.random::<f64>() < chance {
            let m = &mut w.groups[g].members[pos];
            m.msg_seq = seq;
            let account = m.account;
            w.people.touch(account, now);
        }
    }

    /// Whether `account` never opens big group `g`: one member in [`NEVER_READ_ONE_IN`].
    pub(super) fn never_opens(&self, g: usize, account: AccountId) -> bool {
        let key = mix(self.seed ^ mix(g as u64 ^ 0xB16) ^ mix(u64::from(account) | 1 << 41));
        key.is_multiple_of(NEVER_READ_ONE_IN as u64)
    }

    /// A new message in big group `g`: a numbered service notice from the all-hands' owner,
    /// or a Community member's post.
    fn big_post(&mut self, w: &mut World, g: usize, now: i64) {
        let group = &w.groups[g];
        if group.members.is_empty() {
            return;
        }
        let rng = &mut self.big_rng;
        let anyone = group.members[rng.random_range(0..group.members.len())].account;
        let (from, text, receipt) = if group.id == DEMO_ALL_HANDS {
            self.big_posted += 1;
            let owner = if group.member_pos.contains_key(&group.owner) {
                group.owner
            } else {
                anyone
            };
            let t = ALL_HANDS_UPDATES[rng.random_range(0..ALL_HANDS_UPDATES.len())];
            // Sent asking for a receipt, as the app does; over the cap, stored without one.
            (
                owner,
                t.replace("{}", &(1 + self.big_posted).to_string()),
                true,
            )
        } else {
            let t = COMMUNITY_CHATTER[rng.random_range(0..COMMUNITY_CHATTER.len())];
            (anyone, t.to_string(), false)
        };
        let random = rng.random();
        w.post_message(g, from, &text, receipt, now, random);
    }
}
