//! The world's people, as tests set them and handlers read them: nicknames, online states,
//! name cards and `MsgFlag`s (the state lives in `people` and on each member).

use std::borrow::Cow;

use super::people::Presence;
use super::world::{AccountId, World};
use crate::vendor::{MsgFlag, OnlineState};

impl World {
    /// Set an account's nickname (`Tag_Profile_IM_Nick`; "" = none). Creates the account.
    pub fn set_nick(&mut self, account: &str, nick: &str) -> &mut World {
        let a = self.ensure_account(account);
        self.people.set_nick(a, nick);
        self
    }

    /// An account's nickname ("" when none); None for an unknown account.
    pub fn nick(&self, account: &str) -> Option<String> {
        self.account(account).map(|a| self.nick_of(a).into_owned())
    }

    pub(crate) fn nick_of(&self, a: AccountId) -> Cow<'_, str> {
        self.people.nick(a, self.name_of(a))
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
        self.people.set_presence(a, Presence { state, platforms });
        self
    }

    /// Mark an account active at `time` (it counts as `Online` for `sandbox::ACTIVE_SECS`).
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
        self.people.presence(a, now)
    }

    /// A member's name card in a group ("" when none); None for a non-member.
    pub fn name_card(&self, group: &str, member: &str) -> Option<String> {
        let (g, pos) = self.member_lookup(group, member)?;
        Some(self.groups[g].members[pos].name_card.clone())
    }

    /// When an admin's mute of a member ends (`MuteUntil`, 0 = never muted); None for a
    /// non-member.
    pub fn mute_until(&self, group: &str, member: &str) -> Option<i64> {
        let (g, pos) = self.member_lookup(group, member)?;
        Some(self.groups[g].members[pos].mute_until)
    }

    /// A member's `MsgFlag` in a group; None for a non-member.
    pub fn msg_flag(&self, group: &str, member: &str) -> Option<MsgFlag> {
        let (g, pos) = self.member_lookup(group, member)?;
        Some(self.groups[g].members[pos].msg_flag)
    }
}

#[cfg(test)]
mod tests {
    use crate::sandbox::people::ACTIVE_SECS;
    use crate::sandbox::world::World;
    use crate::vendor::{GroupType, OnlineState};

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
