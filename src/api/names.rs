//! A session's book of names: who an account is, as far as it has been looked up.
//!
//! Two lookups name a member: the group's `NameCard` (with `Role`, `MsgFlag` and `JoinTime`,
//! from `get_specified_group_member_info`, 50 accounts a call, or free from a member scan
//! whose pages carried it) and the profile nickname (`Tag_Profile_IM_Nick`, from
//! `portrait_get`, 100 accounts a call). A name is the name card, else the nickname, else
//! nothing; it is shown beside the account ID, never instead of it.
//!
//! [`NameBook`] holds no I/O: [`NameBook::plan`] says what to look up for the rows on
//! screen (padded with the rows after them to whole batches, so a scroll through a list
//! costs `ceil(n / 50)` card calls and `ceil(n / 100)` nickname calls), the client runs the
//! request (`Client::lookup_names`), and [`NameBook::absorb`] takes the answer. An account
//! is asked about once per session: a planned account is pending until its answer comes,
//! and an answer, even "no such account", is kept. Only a lookup that failed on the way
//! (timeout, network, a garbled answer) is forgotten, so it can be asked again.

use std::collections::{HashMap, HashSet};
use std::fmt;

use super::error::ApiError;
use super::groups::ACCOUNTS_PER_CALL as CARDS_PER_CALL;
use super::presence::OnlineStatus;
use super::profiles::{ACCOUNTS_PER_CALL as NICKS_PER_CALL, Profile};
use super::result::Result;
use super::types::{GroupMember, MsgFlag};

/// How far past the rows asked for a plan looks for accounts to fill its last batch.
const LOOKAHEAD_ROWS: usize = 2_000;

/// What a group says about one of its members.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberFacts {
    /// `NameCard` ("" when none).
    pub name_card: String,
    /// `Role`: Owner, Admin or Member (as the service spells it).
    pub role: String,
    /// `MsgFlag`, when the service sent a known one.
    pub msg_flag: Option<MsgFlag>,
    /// `JoinTime`, Unix seconds.
    pub join_time: i64,
}

impl MemberFacts {
    fn of(m: &GroupMember) -> MemberFacts {
        MemberFacts {
            name_card: m.name_card().unwrap_or_default().to_string(),
            role: m.role.clone(),
            msg_flag: m.msg_flag(),
            join_time: m.join_time,
        }
    }

    /// The member muted the group (`AcceptNotNotify`) or discards its messages.
    pub fn muted(&self) -> Option<bool> {
        self.msg_flag.map(MsgFlag::is_muted)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Nick {
    Pending,
    Known(String),
    /// The service answered this account with a code (40003: no such account).
    Failed(i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Card {
    Pending,
    Member(MemberFacts),
    /// Asked, and not in the group's answer.
    NotMember,
    /// The service refused the lookup with this code (e.g. 10007 for an AVChatRoom).
    Failed(i64),
}

/// What to look up next: member facts in `group` and nicknames.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameRequest {
    pub group: Option<String>,
    /// Accounts to look up with `get_specified_group_member_info` in `group`.
    pub cards: Vec<String>,
    /// Accounts to look up with `portrait_get`.
    pub nicks: Vec<String>,
}

impl NameRequest {
    pub fn is_empty(&self) -> bool {
        self.cards.is_empty() && self.nicks.is_empty()
    }

    /// The calls this request costs: (name-card calls, nickname calls).
    pub fn calls(&self) -> (u64, u64) {
        (
            self.cards.len().div_ceil(CARDS_PER_CALL) as u64,
            self.nicks.len().div_ceil(NICKS_PER_CALL) as u64,
        )
    }
}

/// The answer to a [`NameRequest`]: `None` for a part that asked for nothing.
#[derive(Debug, Clone)]
pub struct NameAnswer {
    pub request: NameRequest,
    pub members: Option<Result<Vec<GroupMember>>>,
    pub profiles: Option<Result<Vec<Profile>>>,
}

/// How many of some rows have their names looked up: "names known for 412 of 5,127".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Coverage {
    pub known: u64,
    pub total: u64,
}

impl Coverage {
    pub fn complete(&self) -> bool {
        self.known >= self.total
    }
}

impl fmt::Display for Coverage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "names known for {} of {}",
            crate::text::thousands(self.known),
            crate::text::thousands(self.total)
        )
    }
}

/// What the book has cost so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NameStats {
    /// `get_specified_group_member_info` calls made for names, and the accounts they asked.
    pub card_calls: u64,
    pub cards_asked: u64,
    /// `portrait_get` calls made, and the accounts they asked.
    pub nick_calls: u64,
    pub nicks_asked: u64,
}

/// The session's names (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct NameBook {
    nicks: HashMap<String, Nick>,
    /// Group → account → what the group says.
    cards: HashMap<String, HashMap<String, Card>>,
    presence: HashMap<String, OnlineStatus>,
    stats: NameStats,
}

/// The code of an error that is the service's answer (kept: asking again gives the same);
/// None for a failure on the way or a passing one (forgotten: asking again may work).
fn lasting_code(e: &ApiError) -> Option<i64> {
    e.code().filter(|_| !e.is_retryable())
}

/// Accounts from `rows[start..]` for which `unknown` holds, each once: every one among
/// `rows[start..end]`, then more after `end` until the list is a whole number of batches
/// (or the rows, or the lookahead, run out). Empty when none in `rows[start..end]` is.
fn gather(
    rows: &[String],
    start: usize,
    end: usize,
    batch: usize,
    unknown: impl Fn(&str) -> bool,
) -> Vec<String> {
    let limit = end.saturating_add(LOOKAHEAD_ROWS).min(rows.len());
    let mut out: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    for (i, a) in rows.iter().enumerate().take(limit).skip(start) {
        if i >= end && out.len().is_multiple_of(batch.max(1)) {
            break;
        }
        if unknown(a) && seen.insert(a.as_str()) {
            out.push(a.clone());
        }
    }
    out
}

impl NameBook {
    pub fn new() -> NameBook {
        NameBook::default()
    }

    /// What to look up so that `rows[start..start + len]` (the rows on screen, and the
    /// next screen) have their names: the accounts among them not known nor pending,
    /// padded with the rows after them to whole batches. None when nothing is missing. The
    /// accounts planned are pending from now on (never planned twice); give the answer to
    /// [`NameBook::absorb`], or the request to [`NameBook::abandon`] if it never ran.
    pub fn plan(
        &mut self,
        group: Option<&str>,
        rows: &[String],
        start: usize,
        len: usize,
    ) -> Option<NameRequest> {
        let end = start.saturating_add(len).min(rows.len());
        let start = start.min(end);
        let cards = match group {
            Some(g) => {
                let known = self.cards.get(g);
                gather(rows, start, end, CARDS_PER_CALL, |a| {
                    known.is_none_or(|k| !k.contains_key(a))
                })
            }
            None => Vec::new(),
        };
        let nicks = gather(rows, start, end, NICKS_PER_CALL, |a| {
            !self.nicks.contains_key(a)
        });
        if cards.is_empty() && nicks.is_empty() {
            return None;
        }
        if let Some(g) = group {
            let known = self.cards.entry(g.to_string()).or_default();
            for a in &cards {
                known.insert(a.clone(), Card::Pending);
            }
        }
        for a in &nicks {
            self.nicks.insert(a.clone(), Nick::Pending);
        }
        Some(NameRequest {
            group: group.map(str::to_string),
            cards,
            nicks,
        })
    }

    /// Forget a request that never ran (cancelled): its accounts may be planned again.
    pub fn abandon(&mut self, request: &NameRequest) {
        if let Some(known) = request.group.as_ref().and_then(|g| self.cards.get_mut(g)) {
            for a in &request.cards {
                if known.get(a) == Some(&Card::Pending) {
                    known.remove(a);
                }
            }
        }
        for a in &request.nicks {
            if self.nicks.get(a) == Some(&Nick::Pending) {
                self.nicks.remove(a);
            }
        }
    }

    /// Take the answer to a request. Accounts the service answered for (found, not a
    /// member, no such account, or a refusal with a code) are known from now on; those of a
    /// part that failed on the way are forgotten. Returns the first such failure.
    pub fn absorb(&mut self, answer: NameAnswer) -> Result<()> {
        let NameAnswer {
            request,
            members,
            profiles,
        } = answer;
        let (card_calls, nick_calls) = request.calls();
        let mut first_error = None;
        if let (Some(group), Some(members)) = (&request.group, members) {
            self.stats.card_calls += card_calls;
            self.stats.cards_asked += request.cards.len() as u64;
            let asked: HashSet<&str> = request.cards.iter().map(String::as_str).collect();
            let known = self.cards.entry(group.clone()).or_default();
            match members {
                Ok(list) => {
                    for a in &request.cards {
                        known.insert(a.clone(), Card::NotMember);
                    }
                    for m in list.iter().filter(|m| asked.contains(m.account.as_str())) {
                        known.insert(m.account.clone(), Card::Member(MemberFacts::of(m)));
                    }
                }
                Err(e) => {
                    for a in &request.cards {
                        match lasting_code(&e) {
                            Some(code) => known.insert(a.clone(), Card::Failed(code)),
                            None => known.remove(a),
                        };
                    }
                    first_error = Some(e);
                }
            }
        }
        if let Some(profiles) = profiles {
            self.stats.nick_calls += nick_calls;
            self.stats.nicks_asked += request.nicks.len() as u64;
            match profiles {
                Ok(list) => {
                    let asked: HashSet<&str> = request.nicks.iter().map(String::as_str).collect();
                    for p in list
                        .into_iter()
                        .filter(|p| asked.contains(p.account.as_str()))
                    {
                        let nick = if p.code == 0 {
                            Nick::Known(p.nick)
                        } else {
                            Nick::Failed(p.code)
                        };
                        self.nicks.insert(p.account, nick);
                    }
                    // Anything asked and still pending had no answer: no nickname.
                    for a in &request.nicks {
                        if self.nicks.get(a) == Some(&Nick::Pending) {
                            self.nicks.insert(a.clone(), Nick::Known(String::new()));
                        }
                    }
                }
                Err(e) => {
                    for a in &request.nicks {
                        match lasting_code(&e) {
                            Some(code) => self.nicks.insert(a.clone(), Nick::Failed(code)),
                            None => self.nicks.remove(a),
                        };
                    }
                    first_error.get_or_insert(e);
                }
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Record what member pages carried (a scan's pages carry `NameCard`): members whose
    /// page had no `NameCard` field are left to a lookup.
    pub fn learn_members(&mut self, group: &str, members: &[GroupMember]) {
        let known = self.cards.entry(group.to_string()).or_default();
        for m in members.iter().filter(|m| m.name_card().is_some()) {
            known.insert(m.account.clone(), Card::Member(MemberFacts::of(m)));
        }
    }

    /// Record online states (they change: the caller decides when to ask again).
    pub fn learn_presence(&mut self, statuses: Vec<OnlineStatus>) {
        for s in statuses {
            self.presence.insert(s.account.clone(), s);
        }
    }

    /// The nickname: `Some("")` when the account has none (or does not exist); None
    /// while not looked up.
    pub fn nick(&self, account: &str) -> Option<&str> {
        match self.nicks.get(account)? {
            Nick::Known(n) => Some(n),
            Nick::Failed(_) => Some(""),
            Nick::Pending => None,
        }
    }

    /// The service's code for an account it could not answer (40003: no such account).
    pub fn nick_code(&self, account: &str) -> Option<i64> {
        match self.nicks.get(account)? {
            Nick::Failed(code) => Some(*code),
            _ => None,
        }
    }

    /// What `group` says about `account`, once looked up (None also for a non-member).
    pub fn member(&self, group: &str, account: &str) -> Option<&MemberFacts> {
        match self.cards.get(group)?.get(account)? {
            Card::Member(f) => Some(f),
            _ => None,
        }
    }

    /// The name card in `group`: `Some("")` when none (or not a member, or refused); None
    /// while not looked up.
    pub fn name_card(&self, group: &str, account: &str) -> Option<&str> {
        match self.cards.get(group)?.get(account)? {
            Card::Member(f) => Some(&f.name_card),
            Card::NotMember | Card::Failed(_) => Some(""),
            Card::Pending => None,
        }
    }

    /// The name to show beside the account: the name card in `group`, else the nickname,
    /// else None.
    pub fn name(&self, group: Option<&str>, account: &str) -> Option<&str> {
        group
            .and_then(|g| self.name_card(g, account))
            .filter(|c| !c.is_empty())
            .or_else(|| self.nick(account).filter(|n| !n.is_empty()))
    }

    /// Both lookups are done for `account` (the card only when there is a group).
    pub fn is_known(&self, group: Option<&str>, account: &str) -> bool {
        self.nick(account).is_some() && group.is_none_or(|g| self.name_card(g, account).is_some())
    }

    /// How many of `rows` have their names looked up.
    pub fn coverage(&self, group: Option<&str>, rows: &[String]) -> Coverage {
        Coverage {
            known: rows.iter().filter(|a| self.is_known(group, a)).count() as u64,
            total: rows.len() as u64,
        }
    }

    /// Whether `needle` (lower case) is in the account ID, its name card in `group` or its
    /// nickname, ignoring case.
    pub fn matches(&self, group: Option<&str>, account: &str, needle: &str) -> bool {
        let has = |s: &str| s.to_lowercase().contains(needle);
        has(account)
            || group
                .and_then(|g| self.name_card(g, account))
                .is_some_and(has)
            || self.nick(account).is_some_and(has)
    }

    /// The accounts whose nickname is known, with it (for completing an account typed).
    pub fn known_nicks(&self) -> impl Iterator<Item = (&str, &str)> {
        self.nicks.iter().filter_map(|(a, n)| match n {
            Nick::Known(nick) => Some((a.as_str(), nick.as_str())),
            _ => None,
        })
    }

    /// The latest online state recorded for `account`.
    pub fn presence(&self, account: &str) -> Option<&OnlineStatus> {
        self.presence.get(account)
    }

    /// The calls and accounts asked so far.
    pub fn stats(&self) -> NameStats {
        self.stats
    }
}

#[cfg(test)]
#[path = "names_tests.rs"]
mod tests;
