//! The demo world: a mid-sized company's chat app in the middle of an incident.
//!
//! Deterministic for a given seed (only absolute times follow the clock: everything is
//! placed relative to the moment the world is built). With the default seed:
//!
//! | group | ID | type | members | what it shows |
//! |---|---|---|---|---|
//! | Ops War Room | [`DEMO_WAR_ROOM`] | Work (Private) | 180 | an incident in progress: status updates with receipts, chatter without, one recalled message; the latest message is an outage update that only part of the room has read |
//! | Company all-hands | [`DEMO_ALL_HANDS`] | Public | 6,000 (the maximum) | announcements over 30 days with receipts: most members read within minutes, a long tail never |
//! | Incident sync | [`DEMO_MEETING`] | Meeting (ChatRoom) | 24 | a meeting group (ignores set_unread_msg_num) |
//! | Town hall live | [`DEMO_LIVE`] | AVChatRoom | 12 stored + 23,481 audience | receipts, member lists and history are refused |
//! | Developer community | [`DEMO_COMMUNITY`] | Community | 100,000 | string `Next` member paging; no receipts |
//!
//! Plus 1,200 ordinary groups of every type (Work, Public, Meeting, AVChatRoom, Community)
//! with human-looking names and members, messages with and without receipts, recalled
//! messages, and expired place-holders for history older than 30 days. Account IDs look like
//! `amelia.chen`. [`DEMO_C2C_USER`] has unread one-to-one conversations with several
//! colleagues, and a few hundred other 1:1 conversations carry unread counts.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::api::GroupType;

use super::names;
use super::world::{AccountId, World, now_unix};

/// The incident war room (Work group, 180 members).
pub const DEMO_WAR_ROOM: &str = "@TGS#1OPSWARROOM";
/// The all-hands Public group at the 6,000-member maximum.
pub const DEMO_ALL_HANDS: &str = "@TGS#2ALLHANDS6K";
/// A Meeting (ChatRoom) group.
pub const DEMO_MEETING: &str = "@TGS#4INCIDENTSYNC";
/// A live-stream AVChatRoom.
pub const DEMO_LIVE: &str = "@TGS#3LIVETOWNHALL";
/// The 100,000-member Community.
pub const DEMO_COMMUNITY: &str = "@TGS#_@TGS#CMTY100K";
/// The on-call support agent, with unread one-to-one conversations.
pub const DEMO_C2C_USER: &str = "nora.ops";

const DAY: i64 = 86_400;
const RETENTION_DAYS: i64 = 30;

/// How quickly a population reads: (share, mean lag in seconds) per class; the rest never
/// reads.
struct ReadCurve(&'static [(f64, f64)]);

const OFFICE: ReadCurve = ReadCurve(&[
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

const WAR_ROOM_SCRIPT: &[(&str, bool)] = &[
    (
        "INCIDENT OPEN: payments API error rate above 5% in ap-southeast. Severity 2. IC: nora.ops",
        true,
    ),
    ("seeing it too, checkout p99 is 9s", false),
    ("paging the payments on-call", false),
    ("dashboards: grafana/d/payments-overview", false),
    (
        "UPDATE: error rate 12%, cause unknown. Customer support please hold refunds.",
        true,
    ),
    ("db replicas look healthy", false),
    (
        "the deploy at 13:05 touched the connection pool config",
        false,
    ),
    ("rolling back payments-api to v2.41.3", false),
    ("oops wrong channel", false),
    (
        "UPDATE: rollback started, ETA 10 min. Next update in 15 min.",
        true,
    ),
    ("rollback done in 2 of 3 regions", false),
    (
        "ap-southeast still failing, LB health checks flapping",
        false,
    ),
    (
        "Severity raised to 1. Status page updated. Execs informed.",
        true,
    ),
    ("failing over ap-southeast traffic to ap-northeast", false),
    (
        "UPDATE: Outage — payments unavailable in ap-southeast; failover in progress. Next update in 15 min.",
        true,
    ),
];

const ANNOUNCEMENTS: &[&str] = &[
    "Q3 results call on Thursday: please join, questions welcome.",
    "New expense policy takes effect on the 1st. Read it before your next trip.",
    "Security reminder: turn on hardware keys for SSO by Friday.",
    "Office closed on Monday for the public holiday.",
    "Welcome to the 42 people who joined this month!",
    "Benefits enrollment closes in one week.",
    "Town hall recording is up on the intranet.",
    "Phishing test results: 7% clicked. Please report suspicious mail.",
];

const CHATTER: &[&str] = &[
    "sounds good",
    "can someone review my PR?",
    "standup in 5",
    "thanks!",
    "on it",
    "the build is green again",
    "lunch?",
    "pushed a fix",
    "any blockers?",
    "see the doc",
    "moving this to Thursday",
    "who owns this alert?",
    "LGTM",
    "deploying now",
    "+1",
];

/// How many ordinary groups of one type to make, and how.
struct BulkPlan {
    gtype: GroupType,
    kind: &'static str,
    digit: u8,
    count: usize,
    members: (usize, usize),
    receipts: f64,
}

/// Pick `n` distinct accounts from `pool`, deterministically from `rng`.
fn pick(rng: &mut StdRng, pool: &[AccountId], n: usize) -> Vec<AccountId> {
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

        // The war room: an incident over the last two hours.
        let mut members = vec![w.account(DEMO_C2C_USER).unwrap_or(0)];
        members.extend(pick(&mut rng, &staff, 179));
        let g = w.demo_group(
            DEMO_WAR_ROOM,
            GroupType::Work,
            "Ops War Room",
            &members,
            now - 2 * 3600,
        );
        w.groups[g].introduction = "Incident INC-4721: payments API errors in ap-southeast".into();
        w.groups[g].notification = "Status updates need a read receipt: please acknowledge.".into();
        let script_start = now - 100 * 60;
        for (i, (text, receipt)) in WAR_ROOM_SCRIPT.iter().enumerate() {
            let from = if *receipt {
                members[0]
            } else {
                members[1 + (i * 7) % (members.len() - 1)]
            };
            let t = script_start + (i as i64) * 100 * 60 / WAR_ROOM_SCRIPT.len() as i64;
            let seq = w.post_message(g, from, text, *receipt, t, 1000 + i as u32);
            if text.starts_with("oops") {
                w.groups[g].messages[(seq - 1) as usize].kind = crate::api::MessageKind::Recalled;
            }
        }
        w.apply_read_curve(g, &INCIDENT, now, &mut rng);

        // The all-hands at 6,000 members, announcements over 30 days.
        let g = w.demo_group(
            DEMO_ALL_HANDS,
            GroupType::Public,
            "Company all-hands",
            &staff,
            now - 400 * DAY,
        );
        w.groups[g].max_member_num = 6000;
        for (i, text) in ANNOUNCEMENTS.iter().cycle().take(24).enumerate() {
            let t = now - 30 * DAY + (i as i64) * 30 * DAY / 24 + rng.random_range(0..3600);
            w.post_message(g, staff[i % 5], text, i % 3 != 1, t, 2000 + i as u32);
        }
        w.apply_read_curve(g, &OFFICE, now, &mut rng);

        // A meeting, a live room and the 100k community.
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

        let mut community: Vec<AccountId> = staff.clone();
        community.extend((0..94_000).map(|_| w.generate_account()));
        let g = w.demo_group(
            DEMO_COMMUNITY,
            GroupType::Community,
            "Developer community",
            &community,
            now - 700 * DAY,
        );
        w.demo_messages(g, &community[..500], 30, now - 20 * DAY, now, 0.0, &mut rng);
        let latest = w.groups[g].latest_seq();
        for m in &mut w.groups[g].members {
            m.msg_seq = rng.random_range(0..=latest);
        }

        w.demo_bulk_groups(&staff, now, &mut rng);
        w.demo_c2c(&staff, now, &mut rng);
        w
    }

    fn demo_group(
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
            let mut g = super::world::GroupMut { world: self, idx };
            g.join(a, created + i as i64 % 3600);
        }
        if let Some(m) = self.groups[idx].members.get_mut(1) {
            m.role = super::world::Role::Admin;
        }
        idx
    }

    #[allow(clippy::too_many_arguments)]
    fn demo_messages(
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
                msg.kind = crate::api::MessageKind::Expired;
            } else if rng.random_bool(0.02) {
                msg.kind = crate::api::MessageKind::Recalled;
            }
        }
    }

    /// Every member reads up to the newest message older than their reading lag.
    fn apply_read_curve(&mut self, g: usize, curve: &ReadCurve, now: i64, rng: &mut StdRng) {
        let times: Vec<i64> = self.groups[g].messages.iter().map(|m| m.time).collect();
        for pos in 0..self.groups[g].members.len() {
            let Some(lag) = curve.lag(rng) else { continue };
            let upto = times.partition_point(|&t| t <= now - lag) as u64;
            if upto > 0 {
                self.read_up_to(g, pos, upto);
            }
        }
    }

    fn demo_bulk_groups(&mut self, staff: &[AccountId], now: i64, rng: &mut StdRng) {
        let plan = [
            BulkPlan {
                gtype: GroupType::Work,
                kind: "Work",
                digit: 1,
                count: 520,
                members: (3, 40),
                receipts: 0.5,
            },
            BulkPlan {
                gtype: GroupType::Public,
                kind: "Public",
                digit: 2,
                count: 300,
                members: (20, 300),
                receipts: 0.3,
            },
            BulkPlan {
                gtype: GroupType::Meeting,
                kind: "Meeting",
                digit: 4,
                count: 220,
                members: (3, 30),
                receipts: 0.5,
            },
            BulkPlan {
                gtype: GroupType::AVChatRoom,
                kind: "AVChatRoom",
                digit: 3,
                count: 100,
                members: (2, 6),
                receipts: 0.0,
            },
            BulkPlan {
                gtype: GroupType::Community,
                kind: "Community",
                digit: 5,
                count: 60,
                members: (50, 400),
                receipts: 0.0,
            },
        ];
        let mut k = 0u64;
        for BulkPlan {
            gtype,
            kind,
            digit,
            count,
            members: (lo, hi),
            receipts,
        } in plan
        {
            for i in 0..count as u64 {
                k += 1;
                let id = names::group_id(digit, k, gtype == GroupType::Community);
                let n = rng.random_range(lo..=hi);
                let members = pick(rng, staff, n);
                let created = now - rng.random_range(2..400) * DAY;
                let g = self.demo_group(&id, gtype, &names::group_name(kind, i), &members, created);
                if gtype == GroupType::AVChatRoom {
                    self.groups[g].extra_member_num = rng.random_range(50..20_000);
                }
                let msgs = rng.random_range(0..=25);
                let start = now - rng.random_range(1..60) * DAY;
                self.demo_messages(g, &members, msgs, start, now, receipts, rng);
                self.apply_read_curve(g, &OFFICE, now, rng);
            }
        }
    }

    fn demo_c2c(&mut self, staff: &[AccountId], now: i64, rng: &mut StdRng) {
        let Some(me) = self.account(DEMO_C2C_USER) else {
            return;
        };
        for (i, &peer) in staff.iter().take(8).enumerate() {
            let conv = self.c2c.entry((me, peer)).or_default();
            let n = [1, 3, 12, 2, 40, 5, 1, 7][i];
            conv.times = (0..n)
                .map(|j| now - 3600 * (i as i64 + 1) + 60 * j)
                .collect();
            conv.read_time = now - 3600 * (i as i64 + 2);
        }
        for _ in 0..300 {
            let to = staff[rng.random_range(0..staff.len())];
            let peer = staff[rng.random_range(0..staff.len())];
            if to == peer {
                continue;
            }
            let conv = self.c2c.entry((to, peer)).or_default();
            let n = rng.random_range(1..30);
            let base = now - rng.random_range(1..20) * DAY;
            conv.times = (0..n).map(|j| base + 300 * j).collect();
            conv.read_time = base + 300 * rng.random_range(-1..n);
        }
    }
}
