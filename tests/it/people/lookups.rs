//! The client's lookups: batches of the documented size, in the order asked, each account
//! once, a few calls at once within the budget, per-account codes kept.

use std::time::{Duration, Instant};

use tim_receipts::api::OnlineState;
use tim_receipts::sandbox::{self, RateLimits, SandboxConfig};

use super::{G, client, ghosts, members, start, world};

#[tokio::test]
async fn profiles_come_100_a_call_in_order_each_once_with_their_codes() {
    let w = world();
    let mut asked = members(&w);
    asked.extend(ghosts(40));
    asked.push("bob".into()); // asked twice: looked up once
    let sb = start(w).await;
    let c = client(&sb);
    let profiles = c.profiles(&asked).await.unwrap();
    // 307 members + 40 unknown = 347 accounts: 4 calls.
    assert_eq!(c.stats().total_calls, 4);
    assert_eq!(profiles.len(), 347);
    assert_eq!(profiles[1].account, "bob");
    assert_eq!(profiles[1].nick, "鲍勃 Bob");
    assert_eq!(
        (profiles[0].nick.as_str(), profiles[0].code),
        ("Ann Lee", 0)
    );
    let dave = profiles.iter().find(|p| p.account == "dave").unwrap();
    assert_eq!((dave.nick.as_str(), dave.code), ("", 0));
    let ghost = &profiles[307];
    assert_eq!((ghost.account.as_str(), ghost.code), ("ghost0", 40003));
    assert_eq!(profiles.iter().filter(|p| p.code == 40003).count(), 40);
}

#[tokio::test]
async fn online_status_comes_500_a_call_with_70107_for_unknown_accounts() {
    let w = world();
    let mut asked = members(&w);
    asked.extend(ghosts(900));
    let sb = start(w).await;
    let c = client(&sb);
    let statuses = c.online_status(&asked, true).await.unwrap();
    // 1,207 accounts: 3 calls.
    assert_eq!(c.stats().total_calls, 3);
    assert_eq!(statuses.len(), 1_207);
    assert_eq!(statuses[0].state, Some(OnlineState::Online));
    assert_eq!(statuses[0].platforms.len(), 2);
    assert_eq!(statuses[0].platforms[1].platform, "Web");
    assert_eq!(statuses[1].state, Some(OnlineState::PushOnline));
    assert_eq!(statuses[2].state, Some(OnlineState::Offline));
    assert!(
        statuses[307..]
            .iter()
            .all(|s| s.code == 70107 && s.state.is_none())
    );
}

#[tokio::test]
async fn member_facts_come_50_a_call_and_non_members_are_left_out() {
    let w = world();
    let mut asked = members(&w);
    asked.truncate(120);
    asked.push("ghost".into());
    let sb = start(w).await;
    let c = client(&sb);
    let found = c.group_members_by_ids(G, &asked).await.unwrap();
    assert_eq!(c.stats().total_calls, 3);
    assert_eq!(found.len(), 120);
    let wang = found.iter().find(|m| m.account == "wang.lei1").unwrap();
    assert_eq!(wang.name_card(), Some("Wang Lei"));
    let bob = found.iter().find(|m| m.account == "bob").unwrap();
    assert_eq!(
        bob.msg_flag(),
        Some(tim_receipts::api::MsgFlag::AcceptNotNotify)
    );
}

/// The batches of one lookup run a few at once: with 150 ms added to every call, twelve
/// nickname calls take about three round trips, not twelve.
#[tokio::test]
async fn batches_run_concurrently_within_the_budget() {
    let config = SandboxConfig {
        latency: Duration::from_millis(150),
        rate_limits: RateLimits {
            per_api: 0,
            group_list: 0,
            ..RateLimits::default()
        },
        ..SandboxConfig::default()
    };
    let sb = sandbox::start_with_world(config, world()).await.unwrap();
    let c = client(&sb);
    let asked = ghosts(1_200);
    let started = Instant::now();
    c.profiles(&asked).await.unwrap();
    let took = started.elapsed();
    assert_eq!(c.stats().total_calls, 12);
    assert!(
        took < Duration::from_millis(1_200),
        "12 calls of 150 ms took {took:?}: not concurrent"
    );
}
