//! Activity driven step by step on a simulated clock: no timers, no sleeps.

use super::*;
use crate::sandbox::DEFAULT_SEED;
use crate::vendor::GroupType;

/// A fixed clock origin, so runs compare equal.
const T0: i64 = 1_790_000_000;

/// Run `steps` steps at `rate` on a clock that starts at `T0`; returns (reads, posts).
fn run(w: &mut World, activity: &mut Activity, rate: f64, from: u64, steps: u64) -> (u64, u64) {
    let (mut reads, mut posts) = (0, 0);
    for i in from..from + steps {
        let now = T0 + (i as f64 / rate) as i64;
        match activity.step(w, now) {
            Step::Read(_) => reads += 1,
            Step::Posted => posts += 1,
            Step::Idle => {}
        }
    }
    (reads, posts)
}

fn unread_share(w: &World, group: &str, seq: u64) -> f64 {
    let (read, unread) = w.receipt_counts(group, seq).expect("a receipt");
    unread as f64 / (read + unread).max(1) as f64
}

fn newest_receipt(w: &World, group: &str) -> u64 {
    let latest = w.latest_seq(group).unwrap_or(0);
    (1..=latest)
        .rev()
        .find(|&s| w.has_receipt(group, s))
        .expect("a receipt message")
}

#[test]
fn a_fresh_message_is_read_quickly_then_a_fifth_never_reads_it() {
    let mut w = World::new();
    let mut g = w.add_group("g", GroupType::Work, &["owner"]);
    g.add_generated_members(100);
    let seq = g.post_at("owner", "please acknowledge", true, T0);
    w.add_group("live", GroupType::AVChatRoom, &["a", "b"]);
    let mut activity = Activity::new(&w, PACE, 7, T0);
    assert_eq!(activity.candidates, vec![0], "the live room gets nothing");
    // 20 simulated seconds: most steps read (the message is new).
    let (reads, _) = run(&mut w, &mut activity, PACE, 0, 100);
    assert!(reads >= 5, "{reads} reads in the first 20 s");
    // Hours later, the members who read have all read it; exactly a fifth never does.
    run(&mut w, &mut activity, PACE, 100, 50_000);
    assert_eq!(w.receipt_counts("g", seq), Some((80, 20)));
    let never: Vec<usize> = (0..101).filter(|&p| !activity.reads(0, p)).collect();
    assert_eq!(never.len(), 20);
    assert_eq!(w.receipt_positions(0, seq, false), never);
    // Interest faded: an old message is rarely picked, a new one often.
    assert!(Activity::interest(0.0) > 4.0 * Activity::interest(2400.0));
}

#[test]
fn nothing_left_to_read_means_idle_steps_not_a_flood_of_messages() {
    let mut w = World::new();
    let mut g = w.add_group("g", GroupType::Work, &["a", "b", "c"]);
    let seq = g.post_at("a", "x", true, T0);
    g.ack("b", &[seq]).ack("c", &[seq]);
    let mut activity = Activity::new(&w, 1000.0, 1, T0);
    // 10,000 steps at 1,000/s: 10 s of clock, 2,000 s simulated at that pace.
    let (reads, posts) = run(&mut w, &mut activity, 1000.0, 0, 10_000);
    // About one new message a simulated minute (a few readers for each), not one a step.
    assert!((10..=70).contains(&posts), "{posts} posts");
    assert!(reads <= 2 * posts, "{reads} reads");
    let latest = w.latest_seq("g").unwrap();
    assert_eq!(latest, 1 + posts);
    assert!((2..=latest).any(|s| w.has_receipt("g", s)));
}

#[test]
fn groups_over_the_receipt_cap_get_no_activity() {
    let mut w = World::new();
    w.add_group("at-cap", GroupType::Public, &["a"])
        .add_generated_members(199);
    // The war room's ID on a group over the cap: no favourite, no activity.
    w.add_group(DEMO_WAR_ROOM, GroupType::Public, &["a"])
        .add_generated_members(200);
    assert_eq!(w.member_count("at-cap"), Some(200));
    assert_eq!(w.member_count(DEMO_WAR_ROOM), Some(201));
    let mut activity = Activity::new(&w, PACE, 2, T0);
    assert_eq!(
        activity.candidates,
        vec![0],
        "only the group at 200 members"
    );
    assert!(activity.favourites.is_empty() && activity.schedule.is_empty());
    run(&mut w, &mut activity, PACE, 0, 20_000);
    assert_eq!(w.latest_seq(DEMO_WAR_ROOM), Some(0));
    let posted = w.latest_seq("at-cap").unwrap();
    assert!(posted > 0);
    assert_eq!(w.member_count("at-cap"), Some(200), "activity adds nobody");
}

/// Issue 11: the demo world stays lively without drifting to "everyone has read". Three
/// simulated hours at the dashboard's default rate (5 reads/s), checked every minute.
#[test]
fn the_demo_world_keeps_its_story_for_hours() {
    const MINUTES: u64 = 180;
    let steps_per_minute = 60 * PACE as u64;
    let mut w = World::demo_at(DEFAULT_SEED, T0);
    let mut activity = Activity::new(&w, PACE, DEFAULT_SEED, T0);
    let first_new = w.latest_seq(DEMO_WAR_ROOM).unwrap() + 1;
    // Groups whose messages carry receipts now; none may grow past 200.
    let receipt_groups: Vec<(String, u64)> = w
        .group_ids()
        .into_iter()
        .filter(|id| w.group_idx(id).is_some_and(|g| w.groups[g].receipts_now()))
        .map(|id| {
            let n = w.member_count(&id).unwrap();
            (id, n)
        })
        .collect();
    assert!(receipt_groups.len() > 500);
    let (mut reads, mut posts) = (0, 0);
    let mut newest_shares = Vec::new();
    for minute in 1..=MINUTES {
        let (r, p) = run(
            &mut w,
            &mut activity,
            PACE,
            (minute - 1) * steps_per_minute,
            steps_per_minute,
        );
        reads += r;
        posts += p;
        let newest = newest_receipt(&w, DEMO_WAR_ROOM);
        let share = unread_share(&w, DEMO_WAR_ROOM, newest);
        assert!(
            share >= 0.15,
            "minute {minute}: the war room's newest receipt message (seq {newest}) is only {:.0}% unread",
            share * 100.0
        );
        newest_shares.push(share);
        if minute % 30 == 0 {
            for (id, n) in &receipt_groups {
                let now = w.member_count(id).unwrap();
                assert!(now <= 200 && now == *n, "{id}: {n} members, now {now}");
            }
        }
    }
    let latest = w.latest_seq(DEMO_WAR_ROOM).unwrap();
    let new_receipts: Vec<u64> = (first_new..=latest)
        .filter(|&s| w.has_receipt(DEMO_WAR_ROOM, s))
        .collect();
    // New notices now and then: about one war-room message every 2 minutes, most with receipts.
    let new_messages = latest + 1 - first_new;
    assert!(
        (45..=150).contains(&new_messages) && new_receipts.len() >= 25,
        "{new_messages} new war-room messages, {} with receipts",
        new_receipts.len()
    );
    // Every receipt message in the war room, old or new, keeps a meaningful unread share;
    // the new ones older than 30 minutes were read by most of the room, on average.
    let mut settled = Vec::new();
    for seq in (1..=latest).filter(|&s| w.has_receipt(DEMO_WAR_ROOM, s)) {
        let share = unread_share(&w, DEMO_WAR_ROOM, seq);
        let age = T0 + (MINUTES * 60) as i64 - w.message(DEMO_WAR_ROOM, seq).unwrap().time;
        assert!(share >= 0.15, "seq {seq}: {:.0}% unread", share * 100.0);
        if seq >= first_new && age > 30 * 60 {
            settled.push(share);
        }
    }
    let settled_mean = settled.iter().sum::<f64>() / settled.len() as f64;
    assert!(
        (0.2..=0.45).contains(&settled_mean),
        "new war-room messages older than 30 minutes: {:.0}% unread on average",
        settled_mean * 100.0
    );
    // Lively: thousands of reads (a ceiling of 5 a second; new messages draw most of them).
    assert!(reads > 5_000, "{reads} reads");
    let min = newest_shares.iter().copied().fold(1.0, f64::min);
    let mean = newest_shares.iter().sum::<f64>() / newest_shares.len() as f64;
    eprintln!(
        "{MINUTES} simulated minutes: {reads} reads, {posts} posts ({new_messages} in the war \
         room); the war room's newest receipt message: {:.0}% unread at minute 15, {:.0}% at \
         60, {:.0}% at 180; least {:.0}%, mean {:.0}%",
        newest_shares[14] * 100.0,
        newest_shares[59] * 100.0,
        newest_shares[179] * 100.0,
        min * 100.0,
        mean * 100.0
    );
}

#[test]
fn the_same_seed_and_clock_give_the_same_activity() {
    let outcome = |seed: u64| {
        let mut w = World::demo_at(seed, T0);
        let mut activity = Activity::new(&w, PACE, seed, T0);
        let steps = run(&mut w, &mut activity, PACE, 0, 3_000);
        let latest = w.latest_seq(DEMO_WAR_ROOM).unwrap();
        let war: Vec<_> = (1..=latest)
            .map(|s| {
                (
                    w.receipt_counts(DEMO_WAR_ROOM, s),
                    w.message(DEMO_WAR_ROOM, s),
                )
            })
            .collect();
        (steps, war, w.receipt_members(DEMO_ON_CALL, 37, false))
    };
    let a = outcome(DEFAULT_SEED);
    assert_eq!(a, outcome(DEFAULT_SEED));
    assert_ne!(a, outcome(DEFAULT_SEED + 1));
}
