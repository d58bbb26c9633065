//! The user report: the unread arithmetic (with the group types that keep no counts), the
//! first screen in two round trips with its calls at once, a user in 500 groups with every
//! group answered and no call repeated, and the report following the writes.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tim_receipts::api::user::{GroupUnread, UserReport, UserUpdate};
use tim_receipts::api::{GroupType, MsgFlag, OnlineState, UserOptions, WriteAction};

use super::{
    ANA, ANA_GROUPS, BUSY, BUSY_GROUPS, BUSY_PEERS, CMTY, LIVE, MEET, MUTED_UNTIL, PUBLIC, QUIET,
    WORK, busy_unread, busy_world, client, start, start_ana, start_slow,
};

async fn report_of(c: &tim_receipts::api::Client, account: &str) -> (UserReport, Vec<UserUpdate>) {
    let mut updates = Vec::new();
    let mut progress = |u: &UserUpdate| updates.push(u.clone());
    let r = c
        .user_report(account, UserOptions::default(), &mut progress, None)
        .await
        .expect("the report");
    (r, updates)
}

#[tokio::test]
async fn every_group_has_its_unread_estimate_or_says_it_keeps_none() {
    let sb = start_ana().await;
    let c = client(&sb);
    let (r, updates) = report_of(&c, ANA).await;
    assert_eq!(r.nick.as_deref(), Some("Ana 安娜"));
    let online = r.online.as_ref().unwrap();
    assert_eq!(online.state, Some(OnlineState::Online));
    assert_eq!(online.platforms.len(), 2);
    assert_eq!(r.groups_total, Some(6));
    let ids: HashSet<&str> = r.groups.iter().map(|g| g.group_id.as_str()).collect();
    assert_eq!(ids, ANA_GROUPS.into_iter().collect());
    let unread = |id: &str| r.group(id).unwrap().unread;
    // NextMsgSeq − 1 − MsgSeq, as the world counts unread.
    for id in [WORK, PUBLIC, CMTY, QUIET] {
        let world = sb.with_world(|w| w.unread_count(id, ANA)).unwrap();
        assert_eq!(unread(id), GroupUnread::Estimate(world), "{id}");
    }
    assert_eq!(unread(WORK), GroupUnread::Estimate(4));
    assert_eq!(unread(CMTY), GroupUnread::Estimate(3));
    assert_eq!(unread(MEET), GroupUnread::NotKept(GroupType::Meeting));
    assert_eq!(unread(LIVE), GroupUnread::NotKept(GroupType::AVChatRoom));
    assert_eq!(
        unread(MEET).note().unwrap(),
        "Meeting groups keep no unread counts"
    );
    // Sorted by unread: the estimates, highest first, then the types without counts.
    let order: Vec<&str> = r
        .groups_by_unread()
        .iter()
        .map(|g| g.group_id.as_str())
        .collect();
    assert_eq!(&order[..2], [WORK, CMTY]);
    assert!(order[4..].contains(&MEET) && order[4..].contains(&LIVE));
    // Muted by her (MsgFlag) and by an admin (MuteUntil), kept apart.
    let public = r.group(PUBLIC).unwrap();
    assert_eq!(
        (public.muted(), public.mute_until),
        (Some(true), MUTED_UNTIL)
    );
    assert_eq!(public.msg_flag, Some(MsgFlag::AcceptNotNotify));
    let work = r.group(WORK).unwrap();
    assert_eq!(
        (work.muted(), work.mute_until, work.read_seq),
        (Some(false), 0, Some(6))
    );
    // 1:1s: pinned first, then newest first; unread per peer and in total.
    let c2c: Vec<(&str, Option<u64>, bool)> = r
        .c2c
        .iter()
        .map(|c| (c.peer.as_str(), c.unread, c.pinned))
        .collect();
    assert_eq!(
        c2c,
        [
            ("carol", Some(1), true),
            ("dave", Some(0), false),
            ("bob", Some(3), false),
            ("erin", Some(0), false),
        ]
    );
    assert_eq!(r.c2c_unread_total, Some(4));
    assert!(r.groups_complete && r.conversations_complete && r.done && r.problems.is_empty());
    // A copy kept by applying the updates is the same report.
    let mut mirror = UserReport::new(ANA);
    for u in updates {
        mirror.apply(u);
    }
    assert_eq!(mirror, r);
}

#[tokio::test]
async fn the_report_follows_the_writes_and_meeting_groups_stay_without_counts() {
    let sb = start_ana().await;
    let c = client(&sb);
    for (group, unread) in [(WORK, 2), (MEET, 2)] {
        c.run_write(&WriteAction::SetUnread {
            group: group.into(),
            member: ANA.into(),
            unread,
        })
        .await
        .unwrap();
    }
    c.run_write(&WriteAction::MarkC2cRead {
        report: ANA.into(),
        peer: "bob".into(),
        time: None,
    })
    .await
    .unwrap();
    let (r, _) = report_of(&c, ANA).await;
    assert_eq!(r.group(WORK).unwrap().unread, GroupUnread::Estimate(2));
    assert_eq!(
        r.group(MEET).unwrap().unread,
        GroupUnread::NotKept(GroupType::Meeting)
    );
    assert_eq!(
        r.c2c.iter().find(|c| c.peer == "bob").unwrap().unread,
        Some(0)
    );
    assert_eq!(r.c2c_unread_total, Some(1));
}

#[tokio::test]
async fn an_unknown_account_is_said_so_with_no_nickname_search() {
    let sb = start(super::world()).await;
    let c = client(&sb);
    let mut progress = |_: &UserUpdate| {};
    let e = c
        .user_report("Ana 安娜", UserOptions::default(), &mut progress, None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(40003));
    assert!(e.to_string().contains("no search by nickname"), "{e}");
}

/// With 300 ms added to every call, the first screen (profile, online, the first 50 groups
/// with their unread, the first page of 1:1s with the first 40 peers' unread) is in after
/// two round trips: nine calls, sent five then four at once.
#[tokio::test]
async fn the_first_screen_takes_two_round_trips_with_its_calls_at_once() {
    const LATENCY: Duration = Duration::from_millis(300);
    let sb = start_slow(busy_world(), LATENCY).await;
    let c = client(&sb);
    let started = Instant::now();
    let at_first_screen: Mutex<Option<(Duration, u64, UserReport)>> = Mutex::new(None);
    let mut mirror = UserReport::new(BUSY);
    let mut progress = |u: &UserUpdate| {
        mirror.apply(u.clone());
        if *u == UserUpdate::FirstScreen {
            *at_first_screen.lock().unwrap() =
                Some((started.elapsed(), c.stats().total_calls, mirror.clone()));
        }
    };
    let r = c
        .user_report(BUSY, UserOptions::default(), &mut progress, None)
        .await
        .unwrap();
    let (took, calls, first) = at_first_screen.lock().unwrap().take().unwrap();
    assert_eq!(calls, 9, "5 calls in the first round, 4 in the second");
    assert!(
        took < LATENCY * 3,
        "first screen after {took:?}: more than two round trips of {LATENCY:?}"
    );
    assert!(first.nick.is_some() && first.online.is_some());
    assert_eq!(first.groups.len(), 50);
    assert!(
        first
            .groups
            .iter()
            .all(|g| g.unread != GroupUnread::Unknown)
    );
    assert_eq!(first.c2c.len(), 100);
    assert_eq!(first.c2c.iter().filter(|c| c.unread.is_some()).count(), 40);
    assert_eq!(first.c2c_unread_total, r.c2c_unread_total);
    assert!(!first.done && r.done);
    assert_eq!(r.groups.len(), BUSY_GROUPS);
}

/// A user in 500 groups: every group answered once with the world's unread count, every
/// 1:1 with its own; the calls are exactly the plan's, so none was repeated.
#[tokio::test]
async fn a_user_in_500_groups_gets_every_group_once_and_no_call_is_repeated() {
    let sb = start(busy_world()).await;
    let c = client(&sb);
    let (r, updates) = report_of(&c, BUSY).await;
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(r.groups_total, Some(BUSY_GROUPS as u64));
    assert_eq!(r.groups.len(), BUSY_GROUPS);
    let distinct: HashSet<&str> = r.groups.iter().map(|g| g.group_id.as_str()).collect();
    assert_eq!(distinct.len(), BUSY_GROUPS);
    for g in &r.groups {
        let t = g.group_type.unwrap();
        if t.ignores_unread_count() {
            assert_eq!(g.unread, GroupUnread::NotKept(t), "{}", g.group_id);
        } else {
            let world = sb
                .with_world(|w| w.unread_count(&g.group_id, BUSY))
                .unwrap();
            assert_eq!(g.unread, GroupUnread::Estimate(world), "{}", g.group_id);
        }
    }
    // Group pages arrived as updates: the first 50, then pages of 200.
    let pages: Vec<usize> = updates
        .iter()
        .filter_map(|u| match u {
            UserUpdate::Groups { groups, .. } => Some(groups.len()),
            _ => None,
        })
        .collect();
    assert_eq!(pages, [50, 200, 200, 50]);
    assert_eq!(r.c2c.len(), BUSY_PEERS);
    for c in &r.c2c {
        let p: usize = c.peer["peer".len()..].parse().unwrap();
        assert_eq!(c.unread, Some(busy_unread(p)), "{}", c.peer);
    }
    let total: u64 = (0..BUSY_PEERS).map(busy_unread).sum();
    assert_eq!(r.c2c_unread_total, Some(total));
    // The plan: round 1 (5 calls), round 2 (the first 40 peers: 4), the other group pages
    // (450 groups at 200: 3), the first page's other 60 peers (6), the conversation list's
    // other 4 pages (500 conversations at 100) and the 50 peers of its second page (5).
    let stats = c.stats();
    assert_eq!(stats.total_calls, 5 + 4 + 3 + 6 + 4 + 5);
    assert_eq!((stats.retries, stats.failed_calls), (0, 0));
}
