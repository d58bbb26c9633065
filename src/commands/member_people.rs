//! Who the listed members are, for `members`: name cards, roles and mutes (from the member
//! scan's pages when there was one, else `get_specified_group_member_info`, 50 accounts a
//! call), nicknames (`portrait_get`, 100 a call) and, with `--online`, online status
//! (`query_online_status`, 500 a call). A lookup that fails leaves its fields unknown and
//! says so once on stderr; the list is printed all the same.

use std::collections::HashMap;
use std::io::IsTerminal;

use crate::api::OnlineState;
use crate::api::names::{Coverage, NameBook};
use crate::api::presence::OnlineStatus;
use crate::session::Session;
use crate::text;

/// Which lookups to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lookups {
    /// Name cards (with role and mute) and nicknames.
    pub names: bool,
    /// Online status.
    pub online: bool,
}

/// What was found about the members of one group.
pub(super) struct People {
    group: String,
    book: NameBook,
    /// None when online status was not looked up.
    online: Option<HashMap<String, OnlineStatus>>,
}

impl People {
    /// The name card ("" when none or unknown).
    pub fn name_card(&self, account: &str) -> String {
        self.book
            .name_card(&self.group, account)
            .unwrap_or_default()
            .to_string()
    }

    /// The nickname ("" when none or unknown).
    pub fn nick(&self, account: &str) -> String {
        self.book.nick(account).unwrap_or_default().to_string()
    }

    /// Owner, Admin or Member, when looked up.
    pub fn role(&self, account: &str) -> Option<String> {
        self.book
            .member(&self.group, account)
            .map(|m| m.role.clone())
            .filter(|r| !r.is_empty())
    }

    /// Whether the member muted the group, when looked up.
    pub fn muted(&self, account: &str) -> Option<bool> {
        self.book.member(&self.group, account)?.muted()
    }

    /// Online status: None when not looked up, `Some(None)` when the service had no answer
    /// for the account (no such account, or a state we do not know).
    pub fn online(&self, account: &str) -> Option<Option<OnlineState>> {
        let online = self.online.as_ref()?;
        Some(online.get(account).and_then(|s| s.state))
    }
}

/// Look up who `accounts` are in `group`; `book` holds what is known already (what a
/// read-positions scan's pages said).
pub(super) async fn look_up(
    session: &Session,
    group: &str,
    accounts: &[String],
    mut book: NameBook,
    want: Lookups,
) -> People {
    if want.names && !accounts.is_empty() {
        let mut meter = Meter::new();
        let mut progress = |c: Coverage| meter.tick(c);
        let filled = session
            .client
            .fill_names(&mut book, Some(group), accounts, &mut progress, None)
            .await;
        meter.done();
        if let Err(e) = filled {
            eprintln!(
                "tim-receipts: names could not all be looked up ({}); name_card and nick are \"\" where unknown",
                e.one_line()
            );
        }
    }
    let online = if want.online && !accounts.is_empty() {
        match session.client.online_status(accounts, false).await {
            Ok(list) => Some(list.into_iter().map(|s| (s.account.clone(), s)).collect()),
            Err(e) => {
                eprintln!(
                    "tim-receipts: online status could not be looked up ({})",
                    e.one_line()
                );
                Some(HashMap::new())
            }
        }
    } else {
        None
    };
    People {
        group: group.to_string(),
        book,
        online,
    }
}

/// The STATUS cell of the table: online state and whether the member muted the group.
pub(super) fn status_cell(online: Option<Option<OnlineState>>, muted: Option<bool>) -> String {
    let mut parts: Vec<&str> = Vec::new();
    match online {
        Some(Some(s)) => parts.push(s.wire_name()),
        Some(None) => parts.push("unknown"),
        None => {}
    }
    if muted == Some(true) {
        parts.push("muted");
    }
    parts.join(", ")
}

/// A name for a table cell: printable, at most `max` cells wide.
pub(super) fn name_cell(name: &str, max: usize) -> String {
    text::truncate(&text::printable(name), max)
}

/// Progress of a name lookup on stderr: nothing for one round, then a live counter on a
/// terminal, a line per round otherwise.
struct Meter {
    tty: bool,
    rounds: u64,
}

impl Meter {
    fn new() -> Meter {
        Meter {
            tty: std::io::stderr().is_terminal(),
            rounds: 0,
        }
    }

    fn tick(&mut self, c: Coverage) {
        self.rounds += 1;
        if c.complete() && self.rounds < 2 {
            return;
        }
        if self.tty {
            eprint!("\r{c}…");
        } else {
            eprintln!("{c}");
        }
    }

    fn done(&self) {
        if self.tty && self.rounds >= 2 {
            eprintln!();
        }
    }
}
