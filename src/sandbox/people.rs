//! People in the sandbox's world: nicknames (`portrait_get`'s `Tag_Profile_IM_Nick`) and
//! online state (`query_online_status`).
//!
//! Nicknames are set per account ([`World::set_nick`]); a demo world also generates one for
//! every other account from its seed (`people_names`), computed when asked, so 100,000
//! accounts cost nothing until someone looks.
//!
//! Online state, in this order: a state set for the account ([`World::set_presence`]);
//! `Online` while the account was active in the last [`ACTIVE_SECS`] (it sent a message, or
//! the demo's activity made it read); in a demo world, a state that changes every couple of
//! hours, drawn from the seed, the account and the clock; else `Offline`.

use std::borrow::Cow;
use std::collections::HashMap;

use super::activity::mix;
use super::people_names;
use super::world::{AccountId, World};
use crate::vendor::{MsgFlag, OnlineState};

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
}

impl World {
    /// Set an account's nickname (`Tag_Profile_IM_Nick`; "" = none). Creates the account.
    pub fn set_nick(&mut self, account: &str, nick: &str) -> &mut World {
        let a = self.ensure_account(account);
        self.people.nicks.insert(a, nick.to_string());
        self
    }

    /// An account's nickname ("" when none); None for an unknown account.
    pub fn nick(&self, account: &str) -> Option<String> {
        self.account(account).map(|a| self.nick_of(a).into_owned())
    }

    pub(crate) fn nick_of(&self, a: AccountId) -> Cow<'_, str> {
        if let Some(n) = self.people.nicks.get(&a) {
            return Cow::Borrowed(n);
        }
        match self.people.seed {
            Some(seed) => Cow::Owned(people_names::nick(seed, self.name_of(a))),
            None => Cow::Borrowed(""),
        }
    }

    /// Set an account's online state and its platforms (`Detail`). Creates the account.
    pub fn set_presence(
        &mut self,
        account: &str,
        state: OnlineState,
        platforms: &[(&str, OnlineState)],
    ) -> &mut World {
        let a = self.ensure_account(account);
        let platforms = platforms
            .iter()
            .map(|(p, s)| ((*p).to_string(), *s))
            .collect();
        self.people
            .presence
            .insert(a, Presence { state, platforms });
        self
    }

    /// Mark an account active at `time` (it counts as `Online` for [`ACTIVE_SECS`]).
    pub fn touch(&mut self, account: &str, time: i64) -> &mut World {
        let a = self.ensure_account(account);
        self.people.touch(a, time);
        self
    }

    /// An account's online state at `now`; None for an unknown account.
    pub fn presence(&self, account: &str, now: i64) -> Option<Presence> {
        self.account(account).map(|a| self.presence_of(a, now))
    }

    pub(crate) fn presence_of(&self, a: AccountId, now: i64) -> Presence {
        if let Some(p) = self.people.presence.get(&a) {
            return p.clone();
        }
        let h = mix(self.people.seed.unwrap_or(0) ^ mix(u64::from(a) | 1 << 42));
        if self
            .people
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
        if self.people.seed.is_none() {
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

    /// A member's name card in a group ("" when none); None for a non-member.
    pub fn name_card(&self, group: &str, member: &str) -> Option<String> {
        let (g, pos) = self.member_lookup(group, member)?;
        Some(self.groups[g].members[pos].name_card.clone())
    }

    /// A member's `MsgFlag` in a group; None for a non-member.
    pub fn msg_flag(&self, group: &str, member: &str) -> Option<MsgFlag> {
        let (g, pos) = self.member_lookup(group, member)?;
        Some(self.groups[g].members[pos].msg_flag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vendor::GroupType;

    #[test]
    fn a_test_world_has_no_nicknames_and_everyone_offline_until_set() {
        let mut w = World::new();
        w.add_group("@TGS#1P", GroupType::Work, &["ann", "bob"]);
        assert_eq!(w.nick("ann").as_deref(), Some(""));
        assert_eq!(w.nick("nobody"), None);
        assert_eq!(
            w.presence("bob", 1_000).unwrap().state,
            OnlineState::Offline
        );
        w.set_nick("ann", "Ann 🌸").set_presence(
            "bob",
            OnlineState::Online,
            &[
                ("iPhone", OnlineState::PushOnline),
                ("Web", OnlineState::Online),
            ],
        );
        assert_eq!(w.nick("ann").as_deref(), Some("Ann 🌸"));
        assert_eq!(w.presence("bob", 1_000).unwrap().platforms.len(), 2);
    }

    #[test]
    fn activity_makes_an_account_online_for_a_while() {
        let mut w = World::new();
        w.add_account("ann").touch("ann", 10_000);
        assert_eq!(
            w.presence("ann", 10_100).unwrap().state,
            OnlineState::Online
        );
        let later = 10_000 + ACTIVE_SECS;
        assert_eq!(
            w.presence("ann", later).unwrap().state,
            OnlineState::Offline
        );
    }

    #[test]
    fn drawn_states_change_over_time_and_follow_the_seed() {
        let mut w = World::new();
        w.people.generate_from(5);
        let ids: Vec<String> = (0..300).map(|i| format!("u{i}")).collect();
        w.add_accounts(&ids);
        let states = |w: &World, t: i64| -> Vec<OnlineState> {
            ids.iter()
                .map(|i| w.presence(i, t).unwrap().state)
                .collect()
        };
        let now = states(&w, 1_800_000_000);
        let online = now.iter().filter(|s| **s == OnlineState::Online).count();
        let push = now
            .iter()
            .filter(|s| **s == OnlineState::PushOnline)
            .count();
        assert!((25..90).contains(&online), "{online} online");
        assert!((40..110).contains(&push), "{push} push-online");
        assert_eq!(now, states(&w, 1_800_000_000));
        assert_ne!(now, states(&w, 1_800_000_000 + 3600));
    }
}
