//! People in the sandbox's world: nicknames (`portrait_get`'s `Tag_Profile_IM_Nick`) and
//! online state (`query_online_status`).
//!
//! Nicknames are set per account (`World::set_nick`, in `world_people`); a demo world also generates one for
//! every other account from its seed (`people_names`), computed when asked, so 100,000
//! accounts cost nothing until someone looks.
//!
//! Online state, in this order: a state set for the account (`World::set_presence`);
//! `Online` while the account was active in the last [`ACTIVE_SECS`] (it sent a message, or
//! the demo's activity made it read); in a demo world, a state that changes every couple of
//! hours, drawn from the seed, the account and the clock; else `Offline`.

use std::borrow::Cow;
use std::collections::HashMap;

use super::hash::mix;
use super::people_names;
use crate::vendor::OnlineState;

/// An account's index in the world (`world::AccountId`).
type AccountId = u32;

/// An account counts as `Online` for this long after it was last active, in seconds.
pub const ACTIVE_SECS: i64 = 600;
/// How long a demo account's drawn state lasts before it is drawn again, in seconds.
const PRESENCE_PERIOD_SECS: i64 = 2 * 3600;
/// Desktop and mobile platforms, as `Detail[].Platform` names them.
const DESKTOP: [&str; 3] = ["Windows", "Mac", "Web"];
const MOBILE: [&str; 3] = ["iPhone", "Android", "iPad"];

/// One account's login state, with its platforms (`Detail` when asked for).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presence {
    pub state: OnlineState,
    /// `(Platform, Status)` per logged-in device; empty when offline.
    pub platforms: Vec<(String, OnlineState)>,
}

impl Presence {
    fn offline() -> Presence {
        Presence {
            state: OnlineState::Offline,
            platforms: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub(crate) struct People {
    /// Nicknames set for accounts ("" = none).
    nicks: HashMap<AccountId, String>,
    /// The seed of generated nicknames and drawn online states (a demo world); None for a
    /// world built by a test.
    seed: Option<u64>,
    /// States set for accounts.
    presence: HashMap<AccountId, Presence>,
    /// The last time (Unix seconds) each account was active.
    last_active: HashMap<AccountId, i64>,
}

impl People {
    /// `a` was active at `time`.
    pub fn touch(&mut self, a: AccountId, time: i64) {
        let t = self.last_active.entry(a).or_insert(time);
        *t = (*t).max(time);
    }

    /// Generate nicknames and draw online states from `seed` (the demo world).
    pub fn generate_from(&mut self, seed: u64) {
        self.seed = Some(seed);
    }

    /// Set a nickname ("" = none).
    pub fn set_nick(&mut self, a: AccountId, nick: &str) {
        self.nicks.insert(a, nick.to_string());
    }

    /// Set an online state.
    pub fn set_presence(&mut self, a: AccountId, p: Presence) {
        self.presence.insert(a, p);
    }

    /// The nickname of account `a`, whose ID is `account`.
    pub fn nick<'a>(&'a self, a: AccountId, account: &str) -> Cow<'a, str> {
        if let Some(n) = self.nicks.get(&a) {
            return Cow::Borrowed(n);
        }
        match self.seed {
            Some(seed) => Cow::Owned(people_names::nick(seed, account)),
            None => Cow::Borrowed(""),
        }
    }

    /// The online state of account `a` at `now` (see the module docs).
    pub fn presence(&self, a: AccountId, now: i64) -> Presence {
        if let Some(p) = self.presence.get(&a) {
            return p.clone();
        }
        let h = mix(self.seed.unwrap_or(0) ^ mix(u64::from(a) | 1 << 42));
        if self
            .last_active
            .get(&a)
            .is_some_and(|&t| t <= now && now - t < ACTIVE_SECS)
        {
            let device = DESKTOP[(h % 3) as usize];
            return Presence {
                state: OnlineState::Online,
                platforms: vec![(device.to_string(), OnlineState::Online)],
            };
        }
        if self.seed.is_none() {
            return Presence::offline();
        }
        // A phase per account, so not everybody's state changes at the same moment.
        let phase = (h % PRESENCE_PERIOD_SECS as u64) as i64;
        let period = now.saturating_add(phase).div_euclid(PRESENCE_PERIOD_SECS);
        let d = mix(h ^ period as u64);
        let phone = MOBILE[((d >> 20) % 3) as usize].to_string();
        match d % 100 {
            0..=17 => {
                let desk = DESKTOP[((d >> 8) % 3) as usize].to_string();
                let mut platforms = vec![(desk, OnlineState::Online)];
                if d & 1 << 30 != 0 {
                    platforms.push((phone, OnlineState::PushOnline));
                }
                Presence {
                    state: OnlineState::Online,
                    platforms,
                }
            }
            18..=41 => Presence {
                state: OnlineState::PushOnline,
                platforms: vec![(phone, OnlineState::PushOnline)],
            },
            _ => Presence::offline(),
        }
    }
}
