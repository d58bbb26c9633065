//! The demo world's people: nicknames for every account (generated from the seed, see
//! `people_names`), name cards and mutes per group, online states that change over the
//! hours (drawn from the seed and the clock) and with the demo's activity (an account that
//! reads or posts is `Online` for a while), and three groups with the same name.
//!
//! Every decision is a hash of the seed, the group and the account: the world's RNG is not
//! touched, so the rest of the demo is the same with or without its people.
//!
//! | group | members with a name card | muted the group (`AcceptNotNotify`) | `Discard` |
//! |---|---|---|---|
//! | Ops War Room | 60% (two "Wang Lei", one "王磊"; the owner "Nora (IC)") | 5% | — |
//! | Payments on-call | 40% | 8% | — |
//! | Release train | 30% | 12% | — |
//! | Platform guild | 35% | 10% | — |
//! | Company all-hands | 25% (two "Wang Lei") | 12% | 1% |
//! | Incident sync | 50% | — | — |
//! | Developer community | 3% | 20% | 2% |
//! | the other groups | 20% | 6% | — |

use super::demo::{
    DEMO_ALL_HANDS, DEMO_COMMUNITY, DEMO_GUILD, DEMO_MEETING, DEMO_ON_CALL, DEMO_RELEASE_TRAIN,
    DEMO_WAR_ROOM,
};
use super::people_names::{card, draw};
use super::world::World;
use crate::vendor::{GroupType, MsgFlag};

/// The name two members of the war room and of the all-hands both go by.
pub const DUPLICATE_CARD: &str = "Wang Lei";
/// The name three groups share: the on-call rota (Public), an ordinary Work group that the
/// name generator called so, and a Meeting group renamed here.
pub const DUPLICATE_GROUP_NAME: &str = "Payments on-call";
/// Positions (in creation order) of the ordinary groups renamed [`DUPLICATE_GROUP_NAME`]:
/// a Meeting group far down the list.
const RENAMED_GROUPS: [usize; 1] = [1_000];

/// (name cards, AcceptNotNotify, Discard) per 10,000 members of a group.
fn shares(id: &str, gtype: GroupType) -> (u64, u64, u64) {
    match id {
        DEMO_WAR_ROOM => (6_000, 500, 0),
        DEMO_ON_CALL => (4_000, 800, 0),
        DEMO_RELEASE_TRAIN => (3_000, 1_200, 0),
        DEMO_GUILD => (3_500, 1_000, 0),
        DEMO_ALL_HANDS => (2_500, 1_200, 100),
        DEMO_MEETING => (5_000, 0, 0),
        DEMO_COMMUNITY => (300, 2_000, 200),
        _ if gtype == GroupType::AVChatRoom => (0, 0, 0),
        _ => (2_000, 600, 0),
    }
}

impl World {
    /// Give the demo world its people (see the module docs).
    pub(super) fn demo_people(&mut self, seed: u64) {
        self.people.generate_from(seed);
        let World {
            accounts, groups, ..
        } = self;
        for (gi, g) in groups.iter_mut().enumerate() {
            let (cards, muted, discard) = shares(&g.id, g.gtype);
            let gk = gi as u64;
            for (pos, m) in g.members.iter_mut().enumerate() {
                let Some(account) = accounts.get(m.account as usize) else {
                    continue;
                };
                if draw(seed, gk, account, 1) < cards {
                    m.name_card = card(seed, gk, account);
                }
                let mute = draw(seed, gk, account, 2);
                m.msg_flag = if pos == 0 {
                    MsgFlag::AcceptAndNotify
                } else if mute < discard {
                    MsgFlag::Discard
                } else if mute < discard + muted {
                    MsgFlag::AcceptNotNotify
                } else {
                    MsgFlag::AcceptAndNotify
                };
            }
        }
        self.demo_duplicate_names();
    }

    /// The names that collide: "Wang Lei" twice in the war room and the all-hands, and
    /// three groups called "Payments on-call".
    fn demo_duplicate_names(&mut self) {
        let cards: [(&str, &[(usize, &str)]); 2] = [
            (
                DEMO_WAR_ROOM,
                &[
                    (0, "Nora (IC)"),
                    (7, DUPLICATE_CARD),
                    (23, DUPLICATE_CARD),
                    (41, "王磊"),
                    (42, ""),
                ],
            ),
            (
                DEMO_ALL_HANDS,
                &[(150, DUPLICATE_CARD), (3_000, DUPLICATE_CARD)],
            ),
        ];
        for (id, set) in cards {
            let Some(g) = self.group_idx(id) else {
                continue;
            };
            for &(pos, name) in set {
                if let Some(m) = self.groups[g].members.get_mut(pos) {
                    m.name_card = name.to_string();
                }
            }
        }
        if self.group_idx(DEMO_ON_CALL).is_some() {
            for pos in RENAMED_GROUPS {
                if let Some(g) = self.groups.get_mut(pos) {
                    g.name = DUPLICATE_GROUP_NAME.to_string();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vendor::OnlineState;

    const NOW: i64 = 1_795_000_000;

    #[test]
    fn the_demo_has_names_cards_mutes_and_duplicates() {
        let w = World::demo_at(7, NOW);
        let members = w.members(DEMO_WAR_ROOM).unwrap();
        let cards: Vec<String> = members
            .iter()
            .map(|m| w.name_card(DEMO_WAR_ROOM, m).unwrap())
            .collect();
        let wang = cards.iter().filter(|c| *c == DUPLICATE_CARD).count();
        assert!(wang >= 2, "{wang}");
        let with_card = cards.iter().filter(|c| !c.is_empty()).count();
        assert!((70..140).contains(&with_card), "{with_card} of 180");
        let muted = members
            .iter()
            .filter(|m| w.msg_flag(DEMO_WAR_ROOM, m) == Some(MsgFlag::AcceptNotNotify))
            .count();
        assert!((2..20).contains(&muted), "{muted} muted");
        let nicks: Vec<String> = members.iter().map(|m| w.nick(m).unwrap()).collect();
        assert!(nicks.iter().any(String::is_empty));
        assert!(
            nicks
                .iter()
                .any(|n| crate::text::width(n) > n.chars().count())
        );
        let same_name = w
            .group_ids()
            .iter()
            .filter(|id| w.group_name(id) == Some(DUPLICATE_GROUP_NAME))
            .count();
        assert_eq!(same_name, 3);
        // Somebody is online, somebody is not.
        let states: Vec<OnlineState> = members
            .iter()
            .map(|m| w.presence(m, NOW).unwrap().state)
            .collect();
        for s in OnlineState::ALL {
            assert!(states.contains(&s), "{s:?}");
        }
    }

    #[test]
    fn the_demo_people_follow_the_seed() {
        let (a, b) = (World::demo_at(7, NOW), World::demo_at(7, NOW));
        let m = &a.members(DEMO_ALL_HANDS).unwrap()[..300];
        for x in m {
            assert_eq!(a.nick(x), b.nick(x));
            assert_eq!(
                a.name_card(DEMO_ALL_HANDS, x),
                b.name_card(DEMO_ALL_HANDS, x)
            );
            assert_eq!(a.msg_flag(DEMO_ALL_HANDS, x), b.msg_flag(DEMO_ALL_HANDS, x));
        }
    }
}
