//! Live activity: members read messages over time and new messages arrive, so that the demo
//! world keeps telling its story however long it runs.
//!
//! - **Reads.** Each read is the state change of `group_msg_receipt` (one member acknowledges
//!   one message) and fires `Group.CallbackAfterReadReceipt` with a client `OptPlatform`.
//!   Reads happen in groups whose new messages can carry receipts (a type with receipts and
//!   at most 200 members): the war room most of the time, then the on-call rota and the
//!   release train, among each group's newest receipt messages. Interest in a message fades:
//!   the chance that a step reads it halves every [`INTEREST_HALF_LIFE_SECS`] of its age, so a
//!   new message is read quickly, then slowly, then hardly at all. A fifth of each group's
//!   members (rounded down, fixed by the seed when activity starts, chosen first among those
//!   who had not read the group's newest receipt message) never read.
//! - **New messages.** Numbered status updates (with receipts) and chatter (without) arrive in
//!   the war room about every 2 minutes, pages and hand-overs in the on-call rota about every
//!   15, release notices about every 8, and something in one of the other groups every minute.
//! - **Pace.** At [`PACE`] reads per second (the dashboard's default with `--demo`) all of this
//!   runs in real time; another rate runs the same world faster or slower (at 50, ten times as
//!   fast). The rate is a ceiling: a step with nothing to read reads nothing.
//! - **Read positions in the big groups.** The all-hands and the Community (no receipts)
//!   get visits and posts of their own, one member or one message a step: members read up
//!   to the newest message over hours and senders' positions move to what they send (see
//!   `activity_positions.rs`).
//! - Activity never adds or removes members, so a receipt group never grows past the cap.
//!
//! Decisions come from an RNG seeded from the world seed and from hashes of the seed, so the
//! same seed and the same clock give the same activity.

use std::sync::Arc;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio_util::sync::CancellationToken;

use super::demo::{DEMO_ON_CALL, DEMO_RELEASE_TRAIN, DEMO_WAR_ROOM};
use super::demo_text::{
    ANNOUNCEMENTS, CHATTER, LIVE_CHATTER, LIVE_UPDATES, ON_CALL, RELEASE_NOTICES,
};
use super::hash::mix;
use super::receipts::ReadEvent;
use super::server::AppState;
use super::world::{World, now_unix};

#[path = "activity_positions.rs"]
mod positions;

/// Reads per second at which the simulated world runs in real time.
pub(crate) const PACE: f64 = 5.0;
/// How many of a group's newest receipt messages members go on reading.
const RECENT_RECEIPTS: usize = 20;

/// The chance that a step which picked a group reads a message of age 0 there.
const READ_CHANCE: f64 = 0.6;
/// Simulated seconds after which a message's chance to be read has halved.
pub(crate) const INTEREST_HALF_LIFE_SECS: f64 = 900.0;
/// One member in this many never reads (rounded down per group).
const NEVER_READ_ONE_IN: usize = 5;

/// The lively groups and the share of steps that read in each; the rest go to any candidate.
const FAVOURITES: [(&str, f64); 3] = [
    (DEMO_WAR_ROOM, 0.3),
    (DEMO_ON_CALL, 0.25),
    (DEMO_RELEASE_TRAIN, 0.2),
];

/// New messages in the lively groups: mean seconds between two, at [`PACE`].
const SCHEDULE: [(&str, f64); 3] = [
    (DEMO_WAR_ROOM, 120.0),
    (DEMO_ON_CALL, 900.0),
    (DEMO_RELEASE_TRAIN, 480.0),
];
/// Mean seconds between new messages in the other groups, all together, at [`PACE`].
const OTHERS_EVERY_SECS: f64 = 60.0;

const PLATFORMS: [&str; 5] = ["iOS", "Android", "Web", "Windows", "Mac"];

/// What one step of activity did.
#[derive(Debug)]
pub(crate) enum Step {
    Read(ReadEvent),
    Posted,
    Idle,
}

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

/// The groups of `table` present in `w` and among the candidates, with their values.
fn present(w: &World, candidates: &[usize], table: &[(&str, f64)]) -> Vec<(usize, f64)> {
    table
        .iter()
        .filter_map(|&(id, value)| {
            let g = w.group_idx(id)?;
            candidates.contains(&g).then_some((g, value))
        })
        .collect()
}

/// Who never reads in group `g`: a fifth of its members (rounded down), taken first among
/// those who have not read its newest receipt message, in an order fixed by `seed`.
fn never_readers(w: &World, g: usize, seed: u64) -> Vec<bool> {
    let group = &w.groups[g];
    let mut never = vec![false; group.members.len()];
    let unread_newest = group
        .messages
        .iter()
        .rev()
        .find(|m| m.has_receipt())
        .map(|m| w.receipt_positions(g, m.seq, false))
        .unwrap_or_default();
    let mut order: Vec<(bool, u64, usize)> = group
        .members
        .iter()
        .enumerate()
        .map(|(pos, m)| {
            let key = mix(seed ^ mix(g as u64) ^ mix(u64::from(m.account) | 1 << 40));
            (unread_newest.binary_search(&pos).is_err(), key, pos)
        })
        .collect();
    order.sort_unstable();
    for &(_, _, pos) in order.iter().take(group.members.len() / NEVER_READ_ONE_IN) {
        never[pos] = true;
    }
    never
}

/// The activity of one world: what to read and post next. Drive it with [`Activity::step`].
pub(crate) struct Activity {
    rng: StdRng,
    /// Per group (by index), per member position: never reads.
    never: Vec<Vec<bool>>,
    /// Simulated seconds per second of the clock given to `step`.
    speed: f64,
    /// Clock time at which activity started: the world is as built up to then.
    start: i64,
    candidates: Vec<usize>,
    favourites: Vec<(usize, f64)>,
    /// Scheduled groups with the chance that a step posts there.
    schedule: Vec<(usize, f64)>,
    /// Candidates without a schedule of their own, and the chance a step posts in one.
    others: Vec<usize>,
    others_chance: f64,
    /// Messages posted so far (numbers pages and releases), and war-room status updates.
    posted: u64,
    updates: u64,
    /// The big groups (read positions, no receipts) with the chance a step posts there, their
    /// own RNG, and how many notices the all-hands got.
    big: Vec<(usize, f64)>,
    big_rng: StdRng,
    big_posted: u64,
    seed: u64,
}

impl Activity {
    /// Activity at `rate` steps per second of the clock, starting at `start` (Unix seconds).
    pub(crate) fn new(w: &World, rate: f64, seed: u64, start: i64) -> Activity {
        let candidates = candidates(w);
        let favourites = present(w, &candidates, &FAVOURITES);
        let schedule: Vec<(usize, f64)> = present(w, &candidates, &SCHEDULE)
            .into_iter()
            .map(|(g, secs)| (g, (1.0 / (secs * PACE)).min(1.0)))
            .collect();
        let others = candidates
            .iter()
            .copied()
            .filter(|g| !schedule.iter().any(|(s, _)| s == g))
            .collect();
        let mut never = vec![Vec::new(); w.groups.len()];
        for &g in &candidates {
            never[g] = never_readers(w, g, seed);
        }
        Activity {
            rng: StdRng::seed_from_u64(seed ^ 0xAC71_417E_AC71_417E),
            never,
            speed: if rate.is_finite() && rate > 0.0 {
                rate / PACE
            } else {
                1.0
            },
            start,
            candidates,
            favourites,
            schedule,
            others,
            others_chance: (1.0 / (OTHERS_EVERY_SECS * PACE)).min(1.0),
            posted: 0,
            updates: 0,
            big: positions::big_groups(w),
            big_rng: StdRng::seed_from_u64(seed ^ 0xB16_B16_B16),
            big_posted: 0,
            seed,
        }
    }

    /// One step at clock time `now` (Unix seconds): a new message when one is due, else a read
    /// (with the chance the ages of the chosen group's messages give), else nothing.
    /// Each step also moves read positions in the big groups (see `activity_positions.rs`),
    /// which reports nothing: a conversation read fires no callback.
    pub(crate) fn step(&mut self, w: &mut World, now: i64) -> Step {
        self.big_step(w, now);
        if self.candidates.is_empty() {
            return Step::Idle;
        }
        if let Some(g) = self.due_post() {
            self.post(w, g, now);
            return Step::Posted;
        }
        let mut u: f64 = self.rng.random();
        let mut chosen = None;
        for &(f, share) in &self.favourites {
            if u < share {
                chosen = Some(f);
                break;
            }
            u -= share;
        }
        let g = chosen
            .unwrap_or_else(|| self.candidates[self.rng.random_range(0..self.candidates.len())]);
        self.read(w, g, now)
    }

    /// A client platform to report a read from.
    pub(crate) fn platform(&mut self) -> &'static str {
        PLATFORMS[self.rng.random_range(0..PLATFORMS.len())]
    }

    fn due_post(&mut self) -> Option<usize> {
        for i in 0..self.schedule.len() {
            let (g, chance) = self.schedule[i];
            if self.rng.random_bool(chance) {
                return Some(g);
            }
        }
        if !self.others.is_empty() && self.rng.random_bool(self.others_chance) {
            return Some(self.others[self.rng.random_range(0..self.others.len())]);
        }
        None
    }

    /// Simulated time of clock time `t`: the past as it was, the time since `start` at `speed`.
    fn simulated(&self, t: i64) -> f64 {
        if t <= self.start {
            t as f64
        } else {
            self.start as f64 + (t - self.start) as f64 * self.speed
        }
    }

    /// The chance that a step reads a message `age` simulated seconds old.
    fn interest(age: f64) -> f64 {
        READ_CHANCE * 0.5f64.powf(age.max(0.0) / INTEREST_HALF_LIFE_SECS)
    }

    /// Whether the member at `pos` of group `g` reads at all. Members who joined after
    /// activity started read.
    fn reads(&self, g: usize, pos: usize) -> bool {
        !self
            .never
            .get(g)
            .and_then(|never| never.get(pos))
            .copied()
            .unwrap_or(false)
    }

    /// One read in group `g`: one of the group's newest receipt messages, each with the
    /// chance its age gives it (newest first), and a random member who reads and has not
    /// read it yet.
    fn read(&mut self, w: &mut World, g: usize, now: i64) -> Step {
        let sim_now = self.simulated(now);
        let mut u: f64 = self.rng.random();
        let mut chosen = None;
        for m in w.groups[g]
            .messages
            .iter()
            .rev()
            .filter(|m| m.has_receipt())
            .take(RECENT_RECEIPTS)
        {
            let p = Self::interest(sim_now - self.simulated(m.time));
            if u < p {
                chosen = Some(m.seq);
                break;
            }
            u -= p;
        }
        let Some(seq) = chosen else {
            return Step::Idle;
        };
        let readers: Vec<usize> = w
            .receipt_positions(g, seq, false)
            .into_iter()
            .filter(|&pos| self.reads(g, pos))
            .collect();
        if readers.is_empty() {
            return Step::Idle;
        }
        let pos = readers[self.rng.random_range(0..readers.len())];
        if w.ack_positions(g, pos, &[seq]).is_empty() {
            return Step::Idle;
        }
        let account = w.groups[g].members[pos].account;
        // Reading is being in the app: the reader shows as online for a while.
        w.people.touch(account, now);
        let name = w.name_of(account).to_string();
        Step::Read(w.read_event(g, &[(seq, vec![name])]))
    }

    /// A new message in group `g`, in the group's own voice.
    fn post(&mut self, w: &mut World, g: usize, now: i64) {
        let group = &w.groups[g];
        if group.members.is_empty() {
            return;
        }
        self.posted += 1;
        let anyone = group.members[self.rng.random_range(0..group.members.len())].account;
        // Notices come from the owner (the incident commander, the rota's owner) when present.
        let owner = if group.member_pos.contains_key(&group.owner) {
            group.owner
        } else {
            anyone
        };
        let n = self.posted;
        let rng = &mut self.rng;
        let (from, text, receipt) = match group.id.as_str() {
            DEMO_WAR_ROOM if rng.random_bool(0.7) => {
                self.updates += 1;
                let t = LIVE_UPDATES[rng.random_range(0..LIVE_UPDATES.len())];
                (
                    owner,
                    t.replace("{}", &(3 + self.updates).to_string()),
                    true,
                )
            }
            DEMO_WAR_ROOM => {
                let t = LIVE_CHATTER[rng.random_range(0..LIVE_CHATTER.len())];
                (anyone, t.to_string(), false)
            }
            DEMO_ON_CALL => {
                let (t, receipt) = ON_CALL[rng.random_range(0..ON_CALL.len())];
                let from = if receipt { owner } else { anyone };
                (from, t.replace("{}", &(4800 + n).to_string()), receipt)
            }
            DEMO_RELEASE_TRAIN if rng.random_bool(0.8) => {
                let t = RELEASE_NOTICES[rng.random_range(0..RELEASE_NOTICES.len())];
                let release = format!("2026.{}.{}", 25 + n / 40, n % 40);
                (anyone, t.replace("{}", &release), true)
            }
            _ if rng.random_bool(0.5) => {
                let t = ANNOUNCEMENTS[rng.random_range(0..ANNOUNCEMENTS.len())];
                (anyone, t.to_string(), true)
            }
            _ => {
                let t = CHATTER[rng.random_range(0..CHATTER.len())];
                (anyone, t.to_string(), false)
            }
        };
        let random = rng.random();
        w.post_message(g, from, &text, receipt, now, random);
    }
}

/// Run activity at `rate` reads per second until `cancel` fires.
pub(crate) fn spawn(state: Arc<AppState>, rate: f64, seed: u64, cancel: CancellationToken) {
    if !(rate.is_finite() && rate > 0.0) {
        return;
    }
    // At most 1,000 ticks per second; higher rates do several steps per tick.
    let per_tick = (rate / 1000.0).ceil().max(1.0);
    let period = Duration::from_secs_f64((per_tick / rate).max(0.001));
    let per_tick = per_tick as usize;
    tokio::spawn(async move {
        let mut activity = Activity::new(&state.world(), rate, seed, now_unix());
        let mut ticker = tokio::time::interval(period);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = ticker.tick() => {}
                () = cancel.cancelled() => return,
            }
            let now = now_unix();
            for _ in 0..per_tick {
                let step = activity.step(&mut state.world(), now);
                if let (Step::Read(event), Some(queue)) = (step, &state.callbacks) {
                    queue.push(event, activity.platform());
                }
            }
        }
    });
}

#[cfg(test)]
#[path = "activity_tests.rs"]
mod tests;
