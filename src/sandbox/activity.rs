//! Live activity: members read messages over time and new receipt-enabled messages arrive.
//!
//! Each read is the state change of `group_msg_receipt` (one member acknowledges one
//! message) and fires `Group.CallbackAfterReadReceipt` with a client `OptPlatform`. Reads
//! happen in groups whose new messages can carry receipts (a type with receipts and at most
//! 200 members): the demo war room most of the time, then the on-call rota and the release
//! train, among each group's newest receipt messages. A new receipt message arrives about
//! every 30 seconds, and at once in a group whose recent messages everybody has read.
//! Activity never adds members, so a receipt group never grows past the cap. Decisions come
//! from an RNG seeded from the world seed.

use std::sync::Arc;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio_util::sync::CancellationToken;

use super::demo::{DEMO_ON_CALL, DEMO_RELEASE_TRAIN, DEMO_WAR_ROOM};
use super::receipts::ReadEvent;
use super::server::AppState;
use super::world::{World, now_unix};

/// How many of a group's newest receipt messages members go on reading.
const RECENT_RECEIPTS: usize = 8;
/// Mean seconds between new messages.
const NEW_MESSAGE_EVERY_SECS: f64 = 30.0;

const PLATFORMS: [&str; 5] = ["iOS", "Android", "Web", "Windows", "Mac"];

const UPDATES: &[&str] = &[
    "UPDATE: failover complete, error rate falling. Next update in 15 min.",
    "UPDATE: payments recovering in ap-southeast; monitoring. Please acknowledge.",
    "UPDATE: root cause identified (connection pool limit). Fix rolling out.",
    "UPDATE: all regions healthy for 10 min. Incident moves to monitoring.",
    "Reminder: postmortem draft due tomorrow. Please acknowledge.",
];

/// What one step of activity did.
#[derive(Debug)]
pub(crate) enum Step {
    Read(ReadEvent),
    Posted,
    Idle,
}

/// The lively groups and the share of steps each gets; the rest go to any candidate.
const FAVOURITES: [(&str, f64); 3] = [
    (DEMO_WAR_ROOM, 0.6),
    (DEMO_ON_CALL, 0.15),
    (DEMO_RELEASE_TRAIN, 0.1),
];

/// Groups activity may touch: at least two members, and new messages can carry receipts
/// (a type with receipts, at most 200 members).
fn candidates(w: &World) -> Vec<usize> {
    w.groups
        .iter()
        .enumerate()
        .filter(|(_, g)| g.receipts_now() && g.members.len() >= 2)
        .map(|(i, _)| i)
        .collect()
}

/// The favourites present in `w` (and among the candidates), with their shares.
fn favourites(w: &World, candidates: &[usize]) -> Vec<(usize, f64)> {
    FAVOURITES
        .iter()
        .filter_map(|&(id, share)| {
            let g = w.group_idx(id)?;
            candidates.contains(&g).then_some((g, share))
        })
        .collect()
}

impl World {
    /// One step: a read, or a new message where nothing is left to read.
    pub(crate) fn activity_step(
        &mut self,
        rng: &mut StdRng,
        groups: &[usize],
        favourites: &[(usize, f64)],
        new_message_chance: f64,
    ) -> Step {
        if groups.is_empty() {
            return Step::Idle;
        }
        let mut u: f64 = rng.random();
        let mut chosen = None;
        for &(f, share) in favourites {
            if u < share {
                chosen = Some(f);
                break;
            }
            u -= share;
        }
        let g = chosen.unwrap_or_else(|| groups[rng.random_range(0..groups.len())]);
        if rng.random_bool(new_message_chance.clamp(0.0, 1.0)) {
            self.activity_post(rng, g);
            return Step::Posted;
        }
        let group = &self.groups[g];
        let recent: Vec<u64> = group
            .messages
            .iter()
            .rev()
            .filter(|m| m.has_receipt())
            .take(RECENT_RECEIPTS)
            .map(|m| m.seq)
            .collect();
        // Newer messages are read more often: try them first, most of the time.
        for (i, &seq) in recent.iter().enumerate() {
            if i + 1 < recent.len() && rng.random_bool(0.3) {
                continue;
            }
            if let Some(pos) = self.pick_unread_reader(rng, g, seq) {
                let newly = self.ack_positions(g, pos, &[seq]);
                if !newly.is_empty() {
                    let name = self
                        .name_of(self.groups[g].members[pos].account)
                        .to_string();
                    return Step::Read(self.read_event(g, &[(seq, vec![name])]));
                }
            }
        }
        // Everybody has read the recent messages (or there are none): something new arrives.
        self.activity_post(rng, g);
        Step::Posted
    }

    fn pick_unread_reader(&self, rng: &mut StdRng, g: usize, seq: u64) -> Option<usize> {
        let unread = self.receipt_positions(g, seq, false);
        if unread.is_empty() {
            None
        } else {
            Some(unread[rng.random_range(0..unread.len())])
        }
    }

    fn activity_post(&mut self, rng: &mut StdRng, g: usize) {
        let group = &self.groups[g];
        if group.members.is_empty() {
            return;
        }
        let sender = group.members[rng.random_range(0..group.members.len())].account;
        let text = UPDATES[rng.random_range(0..UPDATES.len())];
        self.post_message(g, sender, text, true, now_unix(), rng.random());
    }
}

/// Run activity at `rate` reads per second until `cancel` fires.
pub(crate) fn spawn(state: Arc<AppState>, rate: f64, seed: u64, cancel: CancellationToken) {
    if !(rate.is_finite() && rate > 0.0) {
        return;
    }
    // At most 1,000 ticks per second; higher rates do several reads per tick.
    let per_tick = (rate / 1000.0).ceil().max(1.0);
    let period = Duration::from_secs_f64((per_tick / rate).max(0.001));
    let per_tick = per_tick as usize;
    let new_message_chance = (1.0 / (NEW_MESSAGE_EVERY_SECS * rate)).min(1.0);
    tokio::spawn(async move {
        let mut rng = StdRng::seed_from_u64(seed ^ 0xAC71_417E_AC71_417E);
        let (groups, favourites) = {
            let w = state.world();
            let groups = candidates(&w);
            let favourites = favourites(&w, &groups);
            (groups, favourites)
        };
        let mut ticker = tokio::time::interval(period);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = ticker.tick() => {}
                () = cancel.cancelled() => return,
            }
            for _ in 0..per_tick {
                let step =
                    state
                        .world()
                        .activity_step(&mut rng, &groups, &favourites, new_message_chance);
                if let (Step::Read(event), Some(queue)) = (step, &state.callbacks) {
                    queue.push(event, PLATFORMS[rng.random_range(0..PLATFORMS.len())]);
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::GroupType;

    #[test]
    fn steps_read_then_post_when_everything_is_read() {
        let mut w = World::new();
        let mut g = w.add_group("g", GroupType::Work, &["a", "b", "c"]);
        let seq = g.post("a", "x", true);
        w.add_group("live", GroupType::AVChatRoom, &["a", "b"]);
        let groups = candidates(&w);
        assert_eq!(groups, vec![0]);
        let mut rng = StdRng::seed_from_u64(1);
        let mut reads = 0;
        for _ in 0..2 {
            match w.activity_step(&mut rng, &groups, &[], 0.0) {
                Step::Read(e) => {
                    reads += 1;
                    assert_eq!(e.items[0].seq, seq);
                }
                other => panic!("expected a read, got {other:?}"),
            }
        }
        assert_eq!(reads, 2);
        assert_eq!(w.receipt_counts("g", seq), Some((2, 0)));
        assert!(matches!(
            w.activity_step(&mut rng, &groups, &[], 0.0),
            Step::Posted
        ));
        assert_eq!(w.latest_seq("g"), Some(2));
        assert!(w.has_receipt("g", 2));
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
        let groups = candidates(&w);
        assert_eq!(groups, vec![0], "only the group at 200 members");
        let favourites = favourites(&w, &groups);
        assert!(favourites.is_empty(), "{favourites:?}");
        let mut rng = StdRng::seed_from_u64(2);
        for _ in 0..50 {
            w.activity_step(&mut rng, &groups, &favourites, 0.5);
        }
        assert_eq!(w.latest_seq(DEMO_WAR_ROOM), Some(0));
        let posted = w.latest_seq("at-cap").unwrap();
        assert!(posted > 0);
        assert!((1..=posted).all(|s| w.has_receipt("at-cap", s)));
        assert_eq!(w.member_count("at-cap"), Some(200), "activity adds nobody");
    }
}
