//! Looking up one user (issue 15), against the sandbox over HTTP: the two new endpoints
//! with their limits and errors (`get_joined_group_list`, `recentcontact/get_list`), the
//! 1:1 unread counts of many peers, the user report (unread arithmetic with the types that
//! keep no counts, the first screen in two round trips with its calls at once, a user in
//! 500 groups with no call repeated), the read check (by receipt and by read position),
//! and the `user` subcommand's JSON, CSV and table.
//!
//! Run: `cargo test --test it user::`.

mod cli;
mod read;
mod report;
mod tui;
mod wire;

use std::time::Duration;

use tim_receipts::api::{GroupType, MsgFlag, OnlineState};
use tim_receipts::sandbox::{self, RateLimits, Sandbox, SandboxConfig, World};

pub use crate::people::{client, raw};

/// The user of the small world.
pub const ANA: &str = "ana";
/// Work, 10 messages from bob (seqs 5 and 8 with a receipt); ana read up to 6: 4 unread.
pub const WORK: &str = "@TGS#1USERWORK";
/// Public, 3 messages, read; ana muted it and an admin muted her until [`MUTED_UNTIL`].
pub const PUBLIC: &str = "@TGS#2USERPUB";
/// Meeting: keeps no unread counts.
pub const MEET: &str = "@TGS#4USERMEET";
/// AVChatRoom: keeps no unread counts (listed only with `WithHugeGroups`).
pub const LIVE: &str = "@TGS#3USERLIVE";
/// Community, 4 messages; ana read 1: 3 unread.
pub const CMTY: &str = "@TGS#_@TGS#USERCMTY";
/// Work without a message: not activated (listed only with `WithNoActiveGroups`).
pub const QUIET: &str = "@TGS#1USERQUIET";
/// When the admin's mute of ana in PUBLIC ends.
pub const MUTED_UNTIL: i64 = 4_000_000_000;
/// Every group of ana's, in creation order.
pub const ANA_GROUPS: [&str; 6] = [WORK, PUBLIC, MEET, LIVE, CMTY, QUIET];

/// ana ("Ana 安娜", online on two devices) in the six groups above; 1:1: bob sent her 3
/// unread, carol 3 of which she read 2 (pinned), she wrote to dave, erin's one message is
/// read.
pub fn world() -> World {
    let mut w = World::new();
    let mut g = w.add_group(WORK, GroupType::Work, &["bob", ANA, "carol"]);
    g.name("Ops 值班");
    for i in 1..=10 {
        g.post_at("bob", &format!("m{i}"), i == 5 || i == 8, 1_700_000_000 + i);
    }
    g.read_up_to(ANA, 6);
    let mut g = w.add_group(PUBLIC, GroupType::Public, &["bob", ANA]);
    for i in 1..=3 {
        g.post_at("bob", "news", false, 1_700_000_100 + i);
    }
    g.read_up_to(ANA, 3)
        .msg_flag(ANA, MsgFlag::AcceptNotNotify)
        .mute_until(ANA, MUTED_UNTIL);
    let mut g = w.add_group(MEET, GroupType::Meeting, &["bob", ANA]);
    for _ in 0..5 {
        g.post_at("bob", "agenda", true, 1_700_000_200);
    }
    g.set_msg_seq(ANA, 1);
    w.add_group(LIVE, GroupType::AVChatRoom, &["bob", ANA])
        .audience(900)
        .post_at("bob", "live", false, 1_700_000_300);
    let mut g = w.add_group(CMTY, GroupType::Community, &["bob", ANA]);
    for _ in 0..4 {
        g.post_at("bob", "hello", false, 1_700_000_400);
    }
    g.set_msg_seq(ANA, 1);
    w.add_group(QUIET, GroupType::Work, &["bob", ANA]);
    for t in [1_700_001_000, 1_700_001_001, 1_700_001_002] {
        w.c2c_send("bob", ANA, t).c2c_send("carol", ANA, t + 10);
    }
    w.c2c_send(ANA, "dave", 1_700_001_100)
        .c2c_send("erin", ANA, 1_700_000_900);
    w.set_nick(ANA, "Ana 安娜")
        .set_presence(
            ANA,
            OnlineState::Online,
            &[
                ("iPhone", OnlineState::PushOnline),
                ("Web", OnlineState::Online),
            ],
        )
        .pin_conversation(ANA, "carol");
    w
}

/// A sandbox serving [`world`] after ana read carol's first two messages and erin's one
/// (`admin_set_msg_read`): her 1:1 unread counts are bob 3, carol 1, dave 0, erin 0.
pub async fn start_ana() -> Sandbox {
    let sb = start(world()).await;
    let c = client(&sb);
    for (peer, time) in [("carol", 1_700_001_011), ("erin", 1_700_000_900)] {
        c.run_write(&tim_receipts::api::WriteAction::MarkC2cRead {
            report: ANA.into(),
            peer: peer.into(),
            time: Some(time),
        })
        .await
        .expect("marks read");
    }
    sb
}

/// The busy user of [`busy_world`].
pub const BUSY: &str = "busy";
/// Her groups: 400 Work, 50 Meeting, 30 AVChatRoom, 20 Public.
pub const BUSY_GROUPS: usize = 500;
/// Her 1:1 conversations, all newer than any group message.
pub const BUSY_PEERS: usize = 150;

/// `BUSY` in 500 groups (group `i` has `i % 7 + 1` messages and she read `i % 3` of them)
/// and 150 1:1 conversations (peer `p` sent `p % 4 + 1` messages she has not read).
pub fn busy_world() -> World {
    let mut w = World::new();
    for i in 0..BUSY_GROUPS {
        let (t, digit) = match i {
            0..400 => (GroupType::Work, 1),
            400..450 => (GroupType::Meeting, 4),
            450..480 => (GroupType::AVChatRoom, 3),
            _ => (GroupType::Public, 2),
        };
        let id = format!("@TGS#{digit}BUSY{i:04}");
        let mut g = w.add_group(&id, t, &["owner", BUSY]);
        let n = i % 7 + 1;
        for k in 0..n {
            g.post_at("owner", "m", false, 1_600_000_000 + (i * 10 + k) as i64);
        }
        g.set_msg_seq(BUSY, (i % 3) as u64);
    }
    for p in 0..BUSY_PEERS {
        let peer = format!("peer{p:03}");
        let base = 1_700_000_000 + (p as i64) * 100;
        w.c2c_send(&peer, BUSY, base);
        for k in 0..(p % 4) {
            w.c2c_send(&peer, BUSY, base + 10 + k as i64);
        }
    }
    w
}

/// The unread count `BUSY` has with peer `p`.
pub fn busy_unread(p: usize) -> u64 {
    (p % 4) as u64 + 1
}

/// A sandbox without frequency limits, with `latency` added to every call.
pub async fn start_slow(world: World, latency: Duration) -> Sandbox {
    let config = SandboxConfig {
        latency,
        rate_limits: RateLimits {
            per_api: 0,
            group_list: 0,
            ..RateLimits::default()
        },
        ..SandboxConfig::default()
    };
    sandbox::start_with_world(config, world)
        .await
        .expect("the sandbox starts")
}

/// A sandbox without frequency limits.
pub async fn start(world: World) -> Sandbox {
    start_slow(world, Duration::ZERO).await
}
