//! When to fetch: the pump that starts page fetches as panes need them (prefetch), opening
//! a group, refresh/retry, and counts polls. Part of `update`: no I/O.

use crate::api::{GroupInfo, ReceiptFilter};

use super::app::{App, RETRYING, Source};
use super::event::{CountsOrigin, Effect};
use super::paged::PageRequest;
use super::pane::Pane;
use super::panes::{
    Counts, GROUP_PAGE, GroupDetails, ListPane, MEMBER_PAGE, MESSAGE_PAGE, MemberSource,
    MemberTarget,
};

/// Are fewer than `screens` screens of rows left below the window?
fn near_end(offset: usize, shown: usize, height: usize, screens: usize) -> bool {
    let bottom = (offset + height).min(shown);
    shown - bottom <= screens * height
}

/// The fetch of a page of group IDs (first page, next page or refresh).
fn group_ids_fetch(req: PageRequest<u64>) -> Effect {
    Effect::FetchGroupIds {
        generation: req.generation,
        next: req.cursor,
        limit: GROUP_PAGE,
    }
}

/// The fetch of a page of `group`'s messages.
fn messages_fetch(group: String, req: PageRequest<Option<u64>>) -> Effect {
    Effect::FetchMessages {
        generation: req.generation,
        group,
        before: req.cursor,
        count: MESSAGE_PAGE,
    }
}

/// The fetch of a page of `target`'s `which` member list.
fn members_fetch(target: &MemberTarget, which: ReceiptFilter, req: PageRequest<String>) -> Effect {
    Effect::FetchMembers {
        generation: req.generation,
        group: target.group.clone(),
        seq: target.seq,
        filter: which,
        cursor: req.cursor,
        count: MEMBER_PAGE,
    }
}

impl App {
    /// Start whatever fetches the panes need now. Returns true when one started.
    pub(super) fn pump(&mut self, fx: &mut Vec<Effect>) -> bool {
        let vp = self.viewport;
        let mut started = false;

        let all = self.load_all;
        let shown = self.groups.visible_len();
        if (all == Some(Pane::Groups) || near_end(self.groups.view.offset, shown, vp.groups, 2))
            && let Some(req) = self.groups.list.begin_fetch()
        {
            fx.push(group_ids_fetch(req));
            started = true;
        }

        if !self.groups.info_in_flight {
            let ids = self.groups.ids_needing_details(vp.groups);
            if !ids.is_empty() {
                for id in &ids {
                    self.groups
                        .details
                        .insert(id.clone(), GroupDetails::Loading);
                }
                self.groups.info_in_flight = true;
                fx.push(Effect::FetchGroupInfo { ids });
                started = true;
            }
        }

        if let Some(group) = self.messages.group.as_ref()
            && self.messages.has_history()
        {
            let shown = self.messages.visible_len();
            if (all == Some(Pane::Messages)
                || near_end(self.messages.view.offset, shown, vp.messages, 1))
                && let Some(req) = self.messages.list.begin_fetch()
            {
                fx.push(messages_fetch(group.id.clone(), req));
                started = true;
            }
        }

        if self.members.source == MemberSource::Receipt
            && (all == Some(Pane::Members) || self.members.wants_more(vp.members))
            && self.members_list_expected()
            && let Some(target) = self.members.target.as_ref()
            && let Some(req) = self.members.list.begin_fetch()
        {
            fx.push(members_fetch(target, self.members.which, req));
            started = true;
        }
        started |= self.pump_scan(fx);
        started
    }

    /// Whether to ask for the open message's member list now. In a group over the receipt
    /// cap most messages have none, so wait for the counts to say this one has a receipt
    /// rather than ask for a list the service refuses (10062). Elsewhere the first page goes
    /// out with the counts, one round trip after the message is selected.
    fn members_list_expected(&self) -> bool {
        if self.messages.over_receipt_cap().is_none() {
            return true;
        }
        self.members
            .target
            .as_ref()
            .and_then(|t| self.messages.row_by_seq(t.seq))
            .and_then(|row| row.counts.count())
            .is_some_and(|c| c.read.is_some())
    }

    /// `>` in progress: when the pane's list is complete, go to its end and stop; when it
    /// failed, stop (the error says why); else say how far it got.
    pub(super) fn follow_load_all(&mut self, fx: &mut Vec<Effect>) {
        let Some(pane) = self.load_all else {
            return;
        };
        let list = self.pane(pane);
        let (loaded, done, failed, noun) = (
            list.loaded_len(),
            list.is_complete(),
            list.has_failed(),
            list.noun(),
        );
        if pane == Pane::Members && self.shows_positions() {
            self.follow_scan_all(done, failed);
            return;
        }
        if done || failed {
            self.load_all = None;
            if done {
                let focus = self.focus;
                self.focus = pane;
                self.move_selection(isize::MAX, fx);
                self.focus = focus;
                self.status.notice = Some(format!(
                    "all {} {noun} loaded",
                    crate::text::thousands(loaded as u64)
                ));
            }
        } else {
            self.status.notice = Some(format!(
                "loading all {noun}: {} so far · Esc stops",
                crate::text::thousands(loaded as u64)
            ));
        }
    }

    /// Open a group by ID: at once when its details are loaded, else after fetching them.
    pub(super) fn open_group(&mut self, id: String, fx: &mut Vec<Effect>) {
        let id = id.trim().to_string();
        self.messages.failed_open = None;
        match self.groups.info(&id).cloned() {
            Some(info) => self.show_group(info),
            None => {
                self.messages.opening = Some(id.clone());
                fx.push(Effect::OpenGroup { id });
            }
        }
    }

    pub(super) fn show_group(&mut self, info: GroupInfo) {
        if let Some(row) = self
            .groups
            .list
            .items()
            .iter()
            .position(|g| *g == info.id)
            .and_then(|i| self.groups.filter.row_of(i))
        {
            self.groups.view.selected = row;
        }
        let supports = info.group_type.is_none_or(|t| t.supports_receipts());
        self.messages.opening = None;
        self.messages.group = Some(info);
        self.messages.list.reset(None);
        self.messages.view = Default::default();
        self.messages.filter.invalidate();
        self.messages.index.clear();
        self.messages.counts_in_flight = 0;
        self.messages.poll_in_flight = false;
        self.messages.newest_seen = 0;
        self.members.close();
        // Errors about the group that was open (or one that failed to open) no longer apply.
        for source in [
            Source::OpenGroup,
            Source::Messages,
            Source::Counts,
            Source::Members,
        ] {
            self.clear_error(source);
        }
        self.focus = Pane::Messages;
        if !supports {
            self.status.notice = None;
        }
        // The messages pane loses a row to the receipt-cap line in a group over 200.
        self.relayout();
    }

    /// `r`: retry what failed; if nothing failed, reload the focused pane.
    pub(super) fn refresh(&mut self, fx: &mut Vec<Effect>) {
        // A failed list is fetched again at once, from the page that failed (waiting for
        // the pump would do nothing when the reader is far from the end of a long list).
        let mut retried = false;
        if self.groups.list.retry() {
            retried = true;
            if let Some(req) = self.groups.list.begin_fetch() {
                fx.push(group_ids_fetch(req));
            }
        }
        let before = self.groups.details.len();
        self.groups
            .details
            .retain(|_, d| !matches!(d, GroupDetails::Failed));
        retried |= self.groups.details.len() != before;
        if self.messages.list.retry() {
            retried = true;
            if let Some(group) = self.messages.group_id().map(str::to_string)
                && let Some(req) = self.messages.list.begin_fetch()
            {
                fx.push(messages_fetch(group, req));
            }
        }
        if self.members.source == MemberSource::Position
            && self
                .members
                .scan()
                .is_some_and(|s| s.list.error().is_some())
        {
            retried |= self.refresh_positions(fx);
        }
        if self.members.source == MemberSource::Receipt
            && !self.members.no_receipt
            && self.members.list.retry()
        {
            retried = true;
            if let Some(target) = self.members.target.clone()
                && let Some(req) = self.members.list.begin_fetch()
            {
                fx.push(members_fetch(&target, self.members.which, req));
            }
        }
        let failed_counts: Vec<u64> = self
            .messages
            .list
            .items()
            .iter()
            .filter(|r| r.counts == Counts::Failed)
            .map(|r| r.message.seq)
            .collect();
        if !failed_counts.is_empty() {
            self.messages.list.items_mut().iter_mut().for_each(|r| {
                if r.counts == Counts::Failed {
                    r.counts = Counts::Unknown;
                }
            });
            self.fetch_counts(failed_counts, CountsOrigin::Page, fx);
            retried = true;
        }
        if let Some(id) = self.messages.failed_open.take() {
            self.messages.opening = Some(id.clone());
            fx.push(Effect::OpenGroup { id });
            retried = true;
        }
        self.status.error = None;
        if retried {
            self.status.notice = Some(RETRYING.into());
            return;
        }
        self.status.notice = None;
        // Holding `r` must not stack reloads: one refresh per list at a time.
        if self.pane(self.focus).is_refreshing() {
            self.status.notice = Some("already refreshing…".into());
            return;
        }
        // Every `r` starts a call or says why not.
        match self.focus {
            Pane::Groups => {
                let req = self.groups.list.refresh();
                fx.push(group_ids_fetch(req));
            }
            Pane::Messages => match self.messages.group.as_ref() {
                Some(group) if self.messages.has_history() => {
                    let group = group.id.clone();
                    let req = self.messages.list.refresh();
                    // The new generation drops the answers in flight: their slots go too.
                    self.messages.counts_in_flight = 0;
                    self.messages.poll_in_flight = false;
                    fx.push(messages_fetch(group, req));
                }
                Some(_) => {
                    self.status.notice =
                        Some("nothing to reload: live-stream groups keep no message history".into())
                }
                None => {
                    self.status.notice =
                        Some("no group open: choose one in Groups (Enter) first".into())
                }
            },
            Pane::Members if self.shows_positions() => {
                self.refresh_positions(fx);
            }
            Pane::Members => match self.members.target.clone() {
                Some(target) if !self.members.no_receipt => {
                    let req = self.members.list.refresh();
                    fx.push(members_fetch(&target, self.members.which, req));
                    // The totals come from the counts: refresh them too.
                    self.fetch_counts(vec![target.seq], CountsOrigin::Poll, fx);
                }
                Some(_) => {
                    self.status.notice =
                        Some("nothing to reload: this message has no read receipt".into())
                }
                None => {
                    self.status.notice =
                        Some("no message selected: choose one in Messages first".into())
                }
            },
        }
    }

    pub(super) fn fetch_counts(
        &mut self,
        seqs: Vec<u64>,
        origin: CountsOrigin,
        fx: &mut Vec<Effect>,
    ) {
        let Some(group) = self.messages.group_id().map(str::to_string) else {
            return;
        };
        if seqs.is_empty() {
            return;
        }
        match origin {
            CountsOrigin::Page => self.messages.counts_in_flight += 1,
            CountsOrigin::Poll => self.messages.poll_in_flight = true,
        }
        fx.push(Effect::FetchCounts {
            generation: self.messages.list.generation(),
            origin,
            group,
            seqs,
        });
    }

    /// Watch mode: re-poll the visible messages' counts with one batched call.
    pub(super) fn poll_counts(&mut self, fx: &mut Vec<Effect>) -> bool {
        if !self.watch || self.messages.poll_in_flight {
            return false;
        }
        let seqs = self.messages.visible_receipt_seqs(self.viewport.messages);
        if seqs.is_empty() {
            return false;
        }
        self.fetch_counts(seqs, CountsOrigin::Poll, fx);
        true
    }
}
