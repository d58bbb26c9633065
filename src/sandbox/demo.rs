//! The demo world: a mid-sized company's chat app in the middle of an incident.
//!
//! Deterministic for a given seed (only absolute times follow the clock: everything is
//! placed relative to the moment the world is built). Read receipts work only in groups of
//! at most 200 members, so the receipt groups stay at or below 200 and the
//! big groups show what the cap does. With the default seed:
//!
//! | group | ID | type | members | what it shows |
//! |---|---|---|---|---|
//! | Ops War Room | [`DEMO_WAR_ROOM`] | Work (Private) | 180 | an incident in progress: status updates with receipts, chatter without, one recalled message; the latest message is an outage update that only part of the room has read |
//! | Payments on-call | [`DEMO_ON_CALL`] | Public | 200 (the receipt cap) | hand-overs and pages with receipts over two weeks: receipt lists of up to 199 members |
//! | Release train | [`DEMO_RELEASE_TRAIN`] | Work (Private) | 150 | a long history: 600 messages over 28 days, four in five with receipts |
//! | Platform guild | [`DEMO_GUILD`] | Public | 240 | grew past 200 five days ago: older messages keep their receipts, newer ones (sent asking for one) have none |
//! | Company all-hands | [`DEMO_ALL_HANDS`] | Public | 6,000 (the maximum) | announcements over 30 days, sent asking for receipts but over the cap: no receipts; members' read positions answer instead. The newest, an incident notice 95 minutes old, is read by about two thirds; 90 members joined in the last two weeks, a quarter of them after it |
//! | Incident sync | [`DEMO_MEETING`] | Meeting (ChatRoom) | 24 | a meeting group (ignores set_unread_msg_num) |
//! | Town hall live | [`DEMO_LIVE`] | AVChatRoom | 12 stored + 23,481 audience | receipts, member lists and history are refused |
//! | Developer community | [`DEMO_COMMUNITY`] | Community | 100,000 | string `Next` member paging; no receipts. An announcement 3 hours old (then a few replies) read by about one member in eight; 2,000 joined in the last ten days, a quarter of them after it |
//!
//! Plus 1,200 ordinary groups of every type (Work, Public, Meeting, AVChatRoom, Community)
//! with human-looking names and members, messages with and without receipts (none in the
//! groups over 200 members), recalled messages, and expired place-holders for history older
//! than 30 days. Account IDs look like `amelia.chen`; people have nicknames in several
//! scripts, name cards, mutes and online states (`demo_people`). [`DEMO_C2C_USER`] has unread
//! one-to-one conversations with several colleagues, and a few hundred other 1:1
//! conversations carry unread counts. The busy user `li.na` is in 500 of the ordinary groups
//! (`demo_busy`).
//!
//! The two big groups are built in `demo_big`; a member who joins starts reading at the
//! group's newest seq when they join (see there).

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::vendor::{GroupType, MessageKind};

use super::demo_text::{ANNOUNCEMENTS, CHATTER, ON_CALL, RELEASE_NOTICES, WAR_ROOM_SCRIPT};
use super::group_builder::GroupMut;
use super::world::{AccountId, Role, World, now_unix};

/// The incident war room (Work group, 180 members).
pub const DEMO_WAR_ROOM: &str = "@TGS#1OPSWARROOM";
/// The Payments on-call rota: a Public group at exactly 200 members, the receipt cap.
pub const DEMO_ON_CALL: &str = "@TGS#2PAYONCALL200";
/// The release train: a Work group with a long history (600 messages, most with receipts).
pub const DEMO_RELEASE_TRAIN: &str = "@TGS#1RELEASETRAIN";
/// A Public group that grew from 170 to 240 members five days ago.
pub const DEMO_GUILD: &str = "@TGS#2PLATFORMGUILD";
/// The all-hands Public group at the 6,000-member maximum (no read receipts: over the cap).
pub const DEMO_ALL_HANDS: &str = "@TGS#2ALLHANDS6K";
/// A Meeting (ChatRoom) group.
pub const DEMO_MEETING: &str = "@TGS#4INCIDENTSYNC";
/// A live-stream AVChatRoom.
pub const DEMO_LIVE: &str = "@TGS#3LIVETOWNHALL";
/// The 100,000-member Community.
pub const DEMO_COMMUNITY: &str = "@TGS#_@TGS#CMTY100K";
/// The on-call support agent, with unread one-to-one conversations.
pub const DEMO_C2C_USER: &str = "nora.ops";

/// Messages in the release train's history.
pub const DEMO_RELEASE_TRAIN_MESSAGES: u64 = 600;

pub(super) const DAY: i64 = 86_400;
const RETENTION_DAYS: i64 = 30;

/// How quickly a population reads: (share, mean lag in seconds) per class; the rest never
/// reads.
pub(super) struct ReadCurve(pub(super) &'static [(f64, f64)]);

pub(super) const OFFICE: ReadCurve = ReadCurve(&[
    (0.55, 8.0 * 60.0),
    (0.25, 3.0 * 3600.0),
    (0.12, 2.0 * 86_400.0),
]);
const INCIDENT: ReadCurve = ReadCurve(&[
    (0.45, 3.0 * 60.0),
    (0.25, 20.0 * 60.0),
    (0.15, 4.0 * 3600.0),
]);

impl ReadCurve {
    /// A member's reading lag in seconds, or None for a member who never reads.
    fn lag(&self, rng: &mut StdRng) -> Option<i64> {
        let mut u: f64 = rng.random();
        for &(share, mean) in self.0 {
            if u < share {
                let e: f64 = -(1.0 - rng.random::<f64>()).ln();
                return Some((e * mean) as i64);
            }
            u -= share;
        }
        None
    }
}

/// Pick `n` distinct accounts from `pool`, deterministically from `rng`.
pub(super) fn pick(rng: &mut StdRng, pool: &[AccountId], n: usize) -> Vec<AccountId> {
    let n = n.min(pool.len());
    let start = rng.random_range(0..pool.len());
    let step = [1usize, 7, 13, 31, 61][rng.random_range(0..5)];
    let mut out = Vec::with_capacity(n);
    let mut seen = std::collections::HashSet::with_capacity(n);
    let mut i = start;
    while out.len() < n {
        let a = pool[i % pool.len()];
        if seen.insert(a) {
            out.push(a);
        } else {
            i += 1;
        }
        i += step;
    }
    out
}

/// `pick`, leaving out the accounts in `except`.
fn pick_except(
    rng: &mut StdRng,
    pool: &[AccountId],
    except: &[AccountId],
    n: usize,
) -> Vec<AccountId> {
    let rest: Vec<AccountId> = pool
        .iter()
        .copied()
        .filter(|a| !except.contains(a))
        .collect();
    pick(rng, &rest, n)
}

impl World {
    /// The demo world for `seed`, placed relative to now.
    pub fn demo(seed: u64) -> World {
        World::demo_at(seed, now_unix())
    }

    /// The demo world for `seed`, placed relative to `now` (Unix seconds): same seed and same
    /// `now` give the same world.
    pub fn demo_at(seed: u64, now: i64) -> World {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut w = World::new();
        w.ensure_account(DEMO_C2C_USER);
        let staff: Vec<AccountId> = (0..6000).map(|_| w.generate_account()).collect();
        let nora = w.account(DEMO_C2C_USER).unwrap_or(0);

        w.demo_war_room(nora, &staff, now, &mut rng);
        w.demo_on_call(nora, &staff, now, &mut rng);
        w.demo_release_train(&staff, now, &mut rng);
        w.demo_guild(&staff, now, &mut rng);
        w.demo_all_hands(&staff, now, &mut rng);

        // A meeting and a live room; then the 100k community (`demo_big`).
        let members = pick(&mut rng, &staff, 24);
        let g = w.demo_group(
            DEMO_MEETING,
            GroupType::Meeting,
            "Incident sync",
            &members,
            now - 3 * 3600,
        );
        w.demo_messages(g, &members, 12, now - 3 * 3600, now, 0.5, &mut rng);
        w.apply_read_curve(g, &INCIDENT, now, &mut rng);

        let members = pick(&mut rng, &staff, 12);
        let g = w.demo_group(
            DEMO_LIVE,
            GroupType::AVChatRoom,
            "Town hall live",
            &members,
            now - 3600,
        );
        w.groups[g].extra_member_num = 23_481;
        w.demo_messages(g, &members, 20, now - 3600, now, 0.0, &mut rng);

        w.demo_community(&staff, now, &mut rng);

        w.demo_bulk_groups(&staff, now, &mut rng);
        w.demo_c2c(&staff, now, &mut rng);
        w.demo_people(seed);
        w.demo_busy_user(seed, now);
        w
    }

    /// The war room: an incident over the last two hours. (`nora` is not on `staff`.)
    fn demo_war_room(&mut self, nora: AccountId, staff: &[AccountId], now: i64, rng: &mut StdRng) {
        let mut members = vec![nora];
        members.extend(pick(rng, staff, 179));
        let g = self.demo_group(
            DEMO_WAR_ROOM,
            GroupType::Work,
            "Ops War Room",
            &members,
            now - 2 * 3600,
        );
        self.groups[g].introduction =
            "Incident INC-4721: payments API errors in ap-southeast".into();
        self.groups[g].notification =
            "Status updates need a read receipt: please acknowledge.".into();
        let script_start = now - 100 * 60;
        for (i, (text, receipt)) in WAR_ROOM_SCRIPT.iter().enumerate() {
            let from = if *receipt {
                members[0]
            } else {
                members[1 + (i * 7) % (members.len() - 1)]
            };
            let t = script_start + (i as i64) * 100 * 60 / WAR_ROOM_SCRIPT.len() as i64;
            let seq = self.post_message(g, from, text, *receipt, t, 1000 + i as u32);
            if text.starts_with("oops") {
                self.groups[g].messages[(seq - 1) as usize].kind = MessageKind::Recalled;
            }
        }
        self.apply_read_curve(g, &INCIDENT, now, rng);
    }

    /// The on-call rota at exactly 200 members: two weeks of hand-overs and pages.
    fn demo_on_call(&mut self, nora: AccountId, staff: &[AccountId], now: i64, rng: &mut StdRng) {
        let mut members = vec![nora];
        members.extend(pick(rng, staff, 199));
        let g = self.demo_group(
            DEMO_ON_CALL,
            GroupType::Public,
            "Payments on-call",
            &members,
            now - 90 * DAY,
        );
        self.groups[g].introduction =
            "Payments on-call rota: hand-overs, pages, escalations".into();
        let start = now - 14 * DAY;
        let n = 37;
        for i in 0..n {
            let (template, receipt) = ON_CALL[i % ON_CALL.len()];
            let from = if receipt {
                members[0]
            } else {
                members[1 + rng.random_range(0..members.len() - 1)]
            };
            let text = template.replace("{}", &(4700 + i).to_string());
            let t = start + (i as i64) * 14 * DAY / n as i64 + rng.random_range(0..1800);
            self.post_message(g, from, &text, receipt, t.min(now - 600), rng.random());
        }
        self.apply_read_curve(g, &OFFICE, now, rng);
    }

    /// The release train: a long history, most messages with receipts.
    fn demo_release_train(&mut self, staff: &[AccountId], now: i64, rng: &mut StdRng) {
        let members = pick(rng, staff, 150);
        let g = self.demo_group(
            DEMO_RELEASE_TRAIN,
            GroupType::Work,
            "Release train",
            &members,
            now - 200 * DAY,
        );
        let n = DEMO_RELEASE_TRAIN_MESSAGES as usize;
        let start = now - 28 * DAY;
        for i in 0..n {
            let t = start + (i as i64) * 28 * DAY / n as i64 + rng.random_range(0..600);
            let sender = members[rng.random_range(0..members.len())];
            let receipt = rng.random_bool(0.8);
            let text = if receipt {
                let release = format!("2026.{}.{}", 10 + i / 40, i % 40);
                RELEASE_NOTICES[rng.random_range(0..RELEASE_NOTICES.len())].replace("{}", &release)
            } else {
                CHATTER[rng.random_range(0..CHATTER.len())].to_string()
            };
            let seq = self.post_message(g, sender, &text, receipt, t, rng.random());
            if rng.random_bool(0.01) {
                self.groups[g].messages[(seq - 1) as usize].kind = MessageKind::Recalled;
            }
        }
        self.apply_read_curve(g, &OFFICE, now, rng);
    }

    /// The guild: 170 members for three weeks of messages with receipts, then 70 people
    /// joined five days ago; what was sent since asked for receipts and got none.
    fn demo_guild(&mut self, staff: &[AccountId], now: i64, rng: &mut StdRng) {
        let founders = pick(rng, staff, 170);
        let g = self.demo_group(
            DEMO_GUILD,
            GroupType::Public,
            "Platform guild",
            &founders,
            now - 60 * DAY,
        );
        self.demo_messages(g, &founders, 40, now - 26 * DAY, now - 6 * DAY, 0.7, rng);
        let joined = now - 5 * DAY;
        for a in pick_except(rng, staff, &founders, 70) {
            GroupMut {
                world: self,
                idx: g,
            }
            .join(a, joined);
        }
        let everyone: Vec<AccountId> = self.groups[g].members.iter().map(|m| m.account).collect();
        self.demo_messages(g, &everyone, 15, joined + 3600, now, 0.7, rng);
        self.apply_read_curve(g, &OFFICE, now, rng);
    }

    pub(super) fn demo_group(
        &mut self,
        id: &str,
        gtype: GroupType,
        name: &str,
        members: &[AccountId],
        created: i64,
    ) -> usize {
        let mut g = self.add_group(id, gtype, &[]);
        g.name(name).created_at(created);
        let idx = g.idx;
        self.groups[idx].owner = members.first().copied().unwrap_or(0);
        self.groups[idx].members.reserve(members.len());
        for (i, &a) in members.iter().enumerate() {
            let mut g = GroupMut { world: self, idx };
            g.join(a, created + i as i64 % 3600);
        }
        if let Some(m) = self.groups[idx].members.get_mut(1) {
            m.role = Role::Admin;
        }
        idx
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn demo_messages(
        &mut self,
        g: usize,
        senders: &[AccountId],
        n: usize,
        from: i64,
        to: i64,
        receipt_share: f64,
        rng: &mut StdRng,
    ) {
        if senders.is_empty() {
            return;
        }
        let span = (to - from).max(1);
        let mut times: Vec<i64> = (0..n).map(|_| from + rng.random_range(0..span)).collect();
        times.sort_unstable();
        for t in times {
            let sender = senders[rng.random_range(0..senders.len())];
            let receipt = rng.random_bool(receipt_share.clamp(0.0, 1.0));
            let text = if receipt {
                ANNOUNCEMENTS[rng.random_range(0..ANNOUNCEMENTS.len())]
            } else {
                CHATTER[rng.random_range(0..CHATTER.len())]
            };
            let seq = self.post_message(g, sender, text, receipt, t, rng.random());
            let msg = &mut self.groups[g].messages[(seq - 1) as usize];
            if t < to - RETENTION_DAYS * DAY {
                msg.kind = MessageKind::Expired;
            } else if rng.random_bool(0.02) {
                msg.kind = MessageKind::Recalled;
            }
        }
    }

    /// Every member reads up to the newest message older than their reading lag.
    pub(super) fn apply_read_curve(
        &mut self,
        g: usize,
        curve: &ReadCurve,
        now: i64,
        rng: &mut StdRng,
    ) {
        let times: Vec<i64> = self.groups[g].messages.iter().map(|m| m.time).collect();
        for pos in 0..self.groups[g].members.len() {
            let Some(lag) = curve.lag(rng) else { continue };
            let upto = times.partition_point(|&t| t <= now - lag) as u64;
            if upto > 0 {
                self.read_up_to(g, pos, upto);
            }
        }
    }
}
