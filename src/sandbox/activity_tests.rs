//! Activity driven step by step on a simulated clock: no timers, no sleeps.

use super::*;
use crate::sandbox::DEFAULT_SEED;
use crate::sandbox::demo::{DEMO_ALL_HANDS, DEMO_COMMUNITY};
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

/// Every member's `MsgSeq` in a group, by position.
fn read_seqs(w: &World, id: &str) -> Vec<u64> {
    let g = &w.groups[w.group_idx(id).unwrap()];
    g.members.iter().map(|m| m.msg_seq).collect()
}

/// Share of the members (the sender excluded) who have read up to `seq`.
fn position_share(w: &World, id: &str, seq: u64) -> f64 {
    let g = &w.groups[w.group_idx(id).unwrap()];
    let from = g.message(seq).unwrap().from;
    let others = g.members.iter().filter(|m| m.account != from);
    let (n, read) = others.fold((0, 0), |(n, r), m| {
        (n + 1, r + usize::from(m.msg_seq >= seq))
    });
    read as f64 / n as f64
}

/// Issue 13: read positions move in the all-hands and the Community (no receipts there):
/// members read up to the newest message over time, a fifth never open the group, and a
/// post moves its sender's position. Two simulated hours at the default pace.
#[test]
fn read_positions_move_in_the_big_groups() {
    let mut w = World::demo_at(DEFAULT_SEED, T0);
    let groups = [DEMO_ALL_HANDS, DEMO_COMMUNITY];
    let before = groups.map(|id| read_seqs(&w, id));
    let latest_before = groups.map(|id| w.latest_seq(id).unwrap());
    let announcement = [
        latest_before[0],
        latest_before[1] - crate::sandbox::demo_big::COMMUNITY_REPLIES as u64,
    ];
    let shares_before = [0, 1].map(|i| position_share(&w, groups[i], announcement[i]));
    let mut activity = Activity::new(&w, PACE, DEFAULT_SEED, T0);
    assert_eq!(activity.big.len(), 2, "both big groups take part");
    run(&mut w, &mut activity, PACE, 0, 2 * 3600 * PACE as u64);
    for (i, id) in groups.into_iter().enumerate() {
        let g = &w.groups[w.group_idx(id).unwrap()];
        let after = read_seqs(&w, id);
        assert!(
            before[i].iter().zip(&after).all(|(b, a)| a >= b),
            "{id}: positions only move forward"
        );
        let moved = before[i].iter().zip(&after).filter(|(b, a)| a > b).count();
        // New messages, each sender at or past what they sent.
        let latest = g.latest_seq();
        assert!(latest > latest_before[i], "{id}: no new message");
        let mut senders = std::collections::HashSet::new();
        for seq in latest_before[i] + 1..=latest {
            let from = g.message(seq).unwrap().from;
            senders.insert(from);
            let pos = g.member_pos[&from] as usize;
            assert!(g.members[pos].msg_seq >= seq, "{id}: sender of {seq}");
        }
        // Those who never open the group have not moved (unless they posted).
        let gi = w.group_idx(id).unwrap();
        let mut never = 0;
        for (pos, m) in g.members.iter().enumerate() {
            if activity.never_opens(gi, m.account) && !senders.contains(&m.account) {
                never += 1;
                assert_eq!(
                    after[pos], before[i][pos],
                    "{id}: a member who never opens it"
                );
            }
        }
        let never_share = never as f64 / g.members.len() as f64;
        assert!(
            (0.17..0.23).contains(&never_share),
            "{id}: {never_share:.3}"
        );
        // The announcement of the demo's start gained readers; it is still far from read
        // by everyone, and so is the newest message.
        let share = position_share(&w, id, announcement[i]);
        let newest = position_share(&w, id, latest);
        assert!(share > shares_before[i], "{id}: no new reader");
        assert!(
            share < 0.8 && newest < 0.8,
            "{id}: {share:.2}, newest {newest:.2}"
        );
        eprintln!(
            "{id}: {moved} positions moved, {} new messages; its announcement read by {:.0}% \
             (was {:.0}%), the newest message by {:.0}%",
            latest - latest_before[i],
            share * 100.0,
            shares_before[i] * 100.0,
            newest * 100.0
        );
        assert!(moved > 100, "{id}: {moved} positions moved");
    }
}

#[test]
fn read_positions_in_the_big_groups_move_the_same_for_a_seed() {
    let outcome = |seed: u64| {
        let mut w = World::demo_at(seed, T0);
        let start = [DEMO_ALL_HANDS, DEMO_COMMUNITY].map(|id| read_seqs(&w, id));
        let mut activity = Activity::new(&w, PACE, seed, T0);
        run(&mut w, &mut activity, PACE, 0, 3_000);
        let end = [DEMO_ALL_HANDS, DEMO_COMMUNITY].map(|id| read_seqs(&w, id));
        assert_ne!(start, end, "positions moved");
        end
    };
    let a = outcome(DEFAULT_SEED);
    assert_eq!(a, outcome(DEFAULT_SEED));
    assert_ne!(a, outcome(DEFAULT_SEED + 1));
}
