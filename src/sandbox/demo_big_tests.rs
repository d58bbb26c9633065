//! The big groups of the demo world: late joiners and the spread of read positions.

use super::*;
use crate::sandbox::DEFAULT_SEED;
use crate::sandbox::world::Group;

/// A fixed clock origin, so runs compare equal.
const T0: i64 = 1_790_000_000;

/// Seq of the newest message sent at or before `time`.
fn seq_at(g: &Group, time: i64) -> u64 {
    g.messages.partition_point(|m| m.time <= time) as u64
}

/// Share of the members (the sender excluded) whose `MsgSeq` is at or past `seq`.
fn read_share(g: &Group, seq: u64) -> f64 {
    let Some(msg) = g.message(seq) else {
        return 0.0;
    };
    let others: Vec<_> = g.members.iter().filter(|m| m.account != msg.from).collect();
    let read = others.iter().filter(|m| m.msg_seq >= seq).count();
    read as f64 / others.len() as f64
}

/// Checks the late joiners of one group against the rule (a joiner starts at the newest seq
/// of their join); returns (joiners, joined after `announcement`).
fn check_joiners(w: &World, id: &str, since: i64, announcement: u64) -> (usize, usize) {
    let g = &w.groups[w.group_idx(id).unwrap()];
    let sent = g.message(announcement).unwrap().time;
    let (mut joiners, mut after) = (0, 0);
    for m in g.members.iter().filter(|m| m.join_time >= since) {
        joiners += 1;
        let at_join = seq_at(g, m.join_time);
        assert_eq!(m.join_seq, at_join + 1, "{id}: join seq of a late joiner");
        assert!(
            m.msg_seq >= at_join,
            "{id}: MsgSeq below the seq at the join"
        );
        assert!(m.msg_seq <= g.latest_seq());
        if m.join_time > sent {
            after += 1;
            assert!(
                m.msg_seq >= announcement,
                "{id}: joined after it, so at or past it"
            );
        }
        if m.join_time > g.last_msg_time() {
            assert_eq!(
                m.msg_seq,
                g.latest_seq(),
                "{id}: joined after every message"
            );
        }
    }
    (joiners, after)
}

/// The newest message whose text is `text`.
fn seq_of(w: &World, id: &str, text: &str) -> u64 {
    let g = &w.groups[w.group_idx(id).unwrap()];
    g.messages
        .iter()
        .rev()
        .find(|m| m.text == text)
        .unwrap()
        .seq
}

#[test]
fn late_joiners_start_at_the_newest_seq_of_their_join() {
    let w = World::demo_at(DEFAULT_SEED, T0);
    let notice = seq_of(&w, DEMO_ALL_HANDS, ALL_HANDS_NOTICE);
    assert_eq!(
        notice,
        w.latest_seq(DEMO_ALL_HANDS).unwrap(),
        "the newest message"
    );
    let (joiners, after) = check_joiners(&w, DEMO_ALL_HANDS, T0 - 14 * DAY, notice);
    assert_eq!((joiners, after), (ALL_HANDS_JOINERS, ALL_HANDS_JOINERS / 4));
    assert_eq!(
        w.member_count(DEMO_ALL_HANDS),
        Some(6000),
        "still at the maximum"
    );

    let announced = seq_of(&w, DEMO_COMMUNITY, COMMUNITY_ANNOUNCEMENT);
    assert_eq!(
        announced + COMMUNITY_REPLIES as u64,
        w.latest_seq(DEMO_COMMUNITY).unwrap()
    );
    let (joiners, after) = check_joiners(&w, DEMO_COMMUNITY, T0 - 10 * DAY, announced);
    assert_eq!((joiners, after), (COMMUNITY_JOINERS, COMMUNITY_JOINERS / 4));
    assert_eq!(w.member_count(DEMO_COMMUNITY), Some(100_000));
    // 1–3% of each group, as the README says.
    for (n, of) in [(ALL_HANDS_JOINERS, 6000), (COMMUNITY_JOINERS, 100_000)] {
        assert!((0.01..=0.03).contains(&(n as f64 / of as f64)));
    }
    // Some of the joiners before the announcements have read past where they started.
    let g = &w.groups[w.group_idx(DEMO_COMMUNITY).unwrap()];
    let moved = g
        .members
        .iter()
        .filter(|m| m.join_time >= T0 - 10 * DAY && m.msg_seq + 1 > m.join_seq)
        .count();
    assert!(moved > 0);
}

#[test]
fn the_newest_announcements_are_read_by_some_not_all() {
    let w = World::demo_at(DEFAULT_SEED, T0);
    let all_hands = &w.groups[w.group_idx(DEMO_ALL_HANDS).unwrap()];
    let notice = all_hands.latest_seq();
    let share = read_share(all_hands, notice);
    assert!(
        (0.5..0.8).contains(&share),
        "all-hands notice: {share:.2} read"
    );
    // The announcement before it, a day and more older, is read by more.
    let before = read_share(all_hands, notice - 1);
    assert!(before > share + 0.1 && before < 0.97, "{before:.2}");

    let community = &w.groups[w.group_idx(DEMO_COMMUNITY).unwrap()];
    let announced = seq_of(&w, DEMO_COMMUNITY, COMMUNITY_ANNOUNCEMENT);
    let share = read_share(community, announced);
    assert!((0.08..0.25).contains(&share), "community: {share:.2} read");
    // A spread, not two piles: members sit at many different read seqs.
    let mut seqs: Vec<u64> = community.members.iter().map(|m| m.msg_seq).collect();
    seqs.sort_unstable();
    seqs.dedup();
    assert!(seqs.len() > 20, "{} distinct read seqs", seqs.len());
    eprintln!(
        "read up to the newest announcement: all-hands {:.0}% (the one before {:.0}%), community {:.0}%",
        read_share(all_hands, notice) * 100.0,
        before * 100.0,
        share * 100.0
    );
}

#[test]
fn the_big_groups_are_the_same_for_a_seed() {
    let positions = |seed: u64| {
        let w = World::demo_at(seed, T0);
        [DEMO_ALL_HANDS, DEMO_COMMUNITY].map(|id| {
            let g = &w.groups[w.group_idx(id).unwrap()];
            g.members
                .iter()
                .map(|m| (m.account, m.join_time, m.msg_seq))
                .collect::<Vec<_>>()
        })
    };
    let a = positions(DEFAULT_SEED);
    let late = a[0].iter().filter(|m| m.1 >= T0 - 14 * DAY).count();
    assert_eq!(late, ALL_HANDS_JOINERS);
    assert_eq!(a, positions(DEFAULT_SEED));
    assert_ne!(a, positions(DEFAULT_SEED + 1));
}
