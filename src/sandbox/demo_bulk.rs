//! The demo world's crowd: 1,200 ordinary groups of every type and the one-to-one unread
//! counts. Groups above 200 members get no read receipts (the cap decides at send time,
//! in `World::post_message`), whatever their messages ask for.

use rand::Rng;
use rand::rngs::StdRng;

use crate::vendor::GroupType;

use super::DEMO_C2C_USER;
use super::demo::{DAY, OFFICE, pick};
use super::names;
use super::world::{AccountId, World};

/// How many ordinary groups of one type to make, and how.
struct BulkPlan {
    gtype: GroupType,
    kind: &'static str,
    digit: u8,
    count: usize,
    members: (usize, usize),
    receipts: f64,
}

impl World {
    pub(super) fn demo_bulk_groups(&mut self, staff: &[AccountId], now: i64, rng: &mut StdRng) {
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

    pub(super) fn demo_c2c(&mut self, staff: &[AccountId], now: i64, rng: &mut StdRng) {
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
