//! Names in the dashboard: look names up for the member rows on screen and the next
//! screen (batched, one lookup at a time, never an account twice: `NameBook`), the
//! selected member's online state, and `N`, which looks up every name of the list so a
//! `/` search by name is complete. Part of `update`: no I/O.

use crate::api::ApiError;
use crate::api::names::{Coverage, NameAnswer};
use crate::api::presence::OnlineStatus;

use super::app::App;
use super::event::Effect;
use super::panes::PeopleFilter;

/// Accounts a fill (`N`) looks up per lookup: a few calls, then progress on screen.
pub const FILL_CHUNK: usize = 500;
/// Rows past the next screen a plan may use to fill its last batch.
const PAD_ROWS: usize = 150;

impl App {
    /// Look up the names of the member rows on screen and the next screen, or the next
    /// chunk of a fill; and the selected member's online state.
    pub(super) fn pump_names(&mut self, fx: &mut Vec<Effect>) -> bool {
        let members = self.pump_member_names(fx);
        members | self.pump_sender_names(fx)
    }

    /// The senders of the messages on screen and the next screen: the Messages pane names
    /// them. One lookup at a time, beside the member rows' own (so neither waits for the
    /// other); the book never plans an account twice.
    fn pump_sender_names(&mut self, fx: &mut Vec<Effect>) -> bool {
        if self.messages.names_in_flight.is_some() || self.members.names_paused {
            return false;
        }
        let Some(group) = self.messages.group_id().map(str::to_string) else {
            return false;
        };
        let senders = self.messages.shown_senders(2 * self.viewport.messages);
        let Some(request) = self
            .members
            .names
            .plan(Some(&group), &senders, 0, senders.len())
        else {
            return false;
        };
        self.messages.names_in_flight = Some(request.clone());
        fx.push(Effect::LookupNames(request));
        true
    }

    fn pump_member_names(&mut self, fx: &mut Vec<Effect>) -> bool {
        let mut started = false;
        let Some(group) = self.members.target.as_ref().map(|t| t.group.clone()) else {
            return false;
        };
        if !self.members.names_pending && !self.members.names_paused {
            let request = match self.members.fill_from {
                Some(from) => {
                    let rows = self.members.accounts_range(from, FILL_CHUNK + PAD_ROWS);
                    let request = self.members.names.plan(Some(&group), &rows, 0, FILL_CHUNK);
                    let next = from + FILL_CHUNK;
                    self.members.fill_from = (next < self.members.rows_len()).then_some(next);
                    self.follow_fill();
                    request
                }
                None => {
                    let height = self.viewport.members;
                    let rows = self
                        .members
                        .shown_accounts(self.members.view.offset, 2 * height + PAD_ROWS);
                    self.members.names.plan(Some(&group), &rows, 0, 2 * height)
                }
            };
            if let Some(request) = request {
                self.members.names_pending = true;
                fx.push(Effect::LookupNames(request));
                started = true;
            }
        }
        // `o` holds for whatever the list shows: rows loaded since (a new page, `t`) get
        // what the filter needs too. Checked once per shape of the list, not per update.
        let key = self.members.people_key();
        let check = self.members.people != PeopleFilter::All
            && !self.members.presence_all_pending
            && !self.members.filling
            && key != self.members.people_checked;
        if check {
            self.members.people_checked = key;
        }
        match self.members.people {
            _ if !check => {}
            PeopleFilter::NotOnline => {
                let missing = self.presence_missing();
                if !missing.is_empty() {
                    self.members.presence_all_pending = true;
                    fx.push(Effect::LookupPresenceAll { accounts: missing });
                    started = true;
                }
            }
            PeopleFilter::Muted if !self.members.name_coverage().complete() => {
                self.members.fill_from = Some(0);
                self.members.filling = true;
            }
            _ => {}
        }
        if self.members.presence_pending.is_none()
            && self.focus == super::pane::Pane::Members
            && let Some(account) = self.members.selected_account().cloned()
            && self.members.names.presence(&account).is_none()
        {
            self.members.presence_pending = Some(account.clone());
            fx.push(Effect::LookupPresence { account });
            started = true;
        }
        started
    }

    /// Say how far `N` got (or that it is done).
    fn follow_fill(&mut self) {
        let coverage = self.members.name_coverage();
        self.status.notice = Some(match self.members.fill_from {
            _ if coverage.complete() => format!("{coverage}: a name search is complete"),
            Some(_) => format!("looking up names: {coverage} · Esc stops"),
            None if self.members.filling => format!("looking up the last names: {coverage}"),
            None => format!("{coverage} (some accounts could not be looked up)"),
        });
    }

    /// A name lookup came back.
    pub(super) fn on_names(&mut self, answer: NameAnswer) -> bool {
        if self.messages.names_in_flight.as_ref() == Some(&answer.request) {
            self.messages.names_in_flight = None;
        } else {
            self.members.names_pending = false;
        }
        if let Err(e) = self.members.names.absorb(answer) {
            tracing::warn!(error = %e, "a name lookup failed");
            // Failed on the way (its accounts are to be asked again): wait for a key. A
            // refusal by the service is kept in the book and never asked again: no pause.
            if e.code().is_none() || e.is_retryable() {
                self.members.names_paused = true;
            }
            self.status.notice = Some(format!(
                "names could not be looked up: {} (asked again at your next key)",
                super::status::explain(&e).what
            ));
        }
        if self.members.filling {
            if self.members.fill_from.is_none() {
                self.members.filling = false;
            }
            self.follow_fill();
        }
        // A `/` search sees the new names.
        if !self.members.filter.is_empty() {
            self.members.filter.invalidate();
            self.members.sync_filter();
            self.clamp_views();
        }
        true
    }

    /// The selected member's online state came back.
    pub(super) fn on_presence(
        &mut self,
        account: &str,
        result: Result<Vec<OnlineStatus>, ApiError>,
    ) -> bool {
        if self.members.presence_pending.as_deref() == Some(account) {
            self.members.presence_pending = None;
        }
        match result {
            Ok(statuses) => self.members.names.learn_presence(statuses),
            Err(e) => {
                // Kept as unknown with the code, so it is not asked for again and again.
                tracing::warn!(error = %e, "an online-state lookup failed");
                self.members.names.learn_presence(vec![OnlineStatus {
                    account: account.to_string(),
                    state: None,
                    platforms: Vec::new(),
                    code: e.code().unwrap_or(-1),
                }]);
            }
        }
        true
    }

    /// `N`: look up every name of the shown list (bounded: the list is), with progress;
    /// Esc stops it.
    pub(super) fn fill_names(&mut self) -> bool {
        if self.members.target.is_none() {
            self.status.notice =
                Some("open a message first: its members' names are looked up".into());
            return true;
        }
        let coverage: Coverage = self.members.name_coverage();
        if coverage.complete() {
            self.status.notice = Some(format!("{coverage}: nothing left to look up"));
            return true;
        }
        self.members.fill_from = Some(0);
        self.members.filling = true;
        self.status.notice = Some(format!("looking up names: {coverage} · Esc stops"));
        true
    }

    /// Tab after `:user TEXT`: the accounts known this session whose ID or nickname
    /// contains TEXT (the service has no search by nickname: only names already looked up
    /// can be completed). One match completes the line; several are listed.
    pub(super) fn complete_user(&mut self, typed: &str) -> Option<String> {
        let text = typed.strip_prefix("user ")?.trim().to_lowercase();
        let mut found: Vec<(String, String)> = self
            .members
            .names
            .known_nicks()
            .filter(|(a, n)| a.to_lowercase().contains(&text) || n.to_lowercase().contains(&text))
            .map(|(a, n)| (a.to_string(), crate::text::printable(n)))
            .collect();
        found.sort();
        match found.as_slice() {
            [] => {
                self.status.notice = Some(format!(
                    "no account known this session matches {text:?} ({})",
                    crate::api::user::NO_NICKNAME_SEARCH
                ));
                None
            }
            [(account, _)] => Some(format!("user {account}")),
            many => {
                let shown: Vec<String> = many
                    .iter()
                    .take(5)
                    .map(|(a, n)| format!("{a} ({n})"))
                    .collect();
                let more = many.len().saturating_sub(5);
                self.status.notice = Some(format!(
                    "{} match: {}{}",
                    many.len(),
                    shown.join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                ));
                None
            }
        }
    }

    /// `o`: everyone → not online → muted the group → everyone. What the filter needs is
    /// looked up for the whole list: online states (500 a call), or names and mutes (`N`).
    pub(super) fn cycle_people(&mut self, fx: &mut Vec<Effect>) -> bool {
        if self.members.target.is_none() {
            self.status.notice = Some("open a message first: its members are filtered".into());
            return true;
        }
        let people = self.members.people.next();
        self.members.people = people;
        self.members.filter.force(people != PeopleFilter::All);
        self.members.sync_filter();
        self.members.view.selected = 0;
        self.clamp_views();
        match people {
            PeopleFilter::NotOnline => {
                let missing = self.presence_missing();
                if !missing.is_empty() && !self.members.presence_all_pending {
                    self.members.presence_all_pending = true;
                    self.status.notice = Some(format!(
                        "looking up the online state of {} members…",
                        crate::text::thousands(missing.len() as u64)
                    ));
                    fx.push(Effect::LookupPresenceAll { accounts: missing });
                } else {
                    self.status.notice = Some("showing members who are not online".into());
                }
            }
            PeopleFilter::Muted => {
                if !self.members.name_coverage().complete() {
                    self.fill_names();
                }
                self.status.notice = Some("showing members who muted the group".into());
            }
            PeopleFilter::All => self.status.notice = Some("showing every member".into()),
        }
        true
    }

    /// The loaded accounts of the list whose online state is not known yet.
    fn presence_missing(&self) -> Vec<String> {
        let names = &self.members.names;
        self.members
            .accounts_iter()
            .filter(|a| names.presence(a).is_none())
            .cloned()
            .collect()
    }

    /// The online states of the whole list came back (for `o`). Accounts asked and not
    /// answered (or all of them, when the call failed) are kept as unknown, so they are
    /// not asked again and again.
    pub(super) fn on_presence_all(
        &mut self,
        asked: Vec<String>,
        result: Result<Vec<OnlineStatus>, ApiError>,
    ) -> bool {
        self.members.presence_all_pending = false;
        let (statuses, code) = match result {
            Ok(statuses) => {
                self.status.notice = Some("showing members who are not online".into());
                (statuses, -1)
            }
            Err(e) => {
                self.report_api(super::app::Source::Members, &e);
                (Vec::new(), e.code().unwrap_or(-1))
            }
        };
        self.members.names.learn_presence(statuses);
        let unanswered: Vec<OnlineStatus> = asked
            .into_iter()
            .filter(|a| self.members.names.presence(a).is_none())
            .map(|account| OnlineStatus {
                account,
                state: None,
                platforms: Vec::new(),
                code,
            })
            .collect();
        self.members.names.learn_presence(unanswered);
        self.members.filter.invalidate();
        self.members.sync_filter();
        self.clamp_views();
        true
    }

    /// Esc during `N`: stop (the names found stay).
    pub(super) fn stop_fill(&mut self) -> bool {
        if self.members.fill_from.take().is_none() {
            return false;
        }
        self.members.filling = false;
        self.status.notice = Some("stopped looking up names: those found stay".into());
        true
    }
}
