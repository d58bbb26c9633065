//! The data side of `update`: API results, webhook events, mouse.

use std::collections::HashMap;

use crate::api::error::{GROUP_NOT_FOUND_CODES, group_case_hint, service_words};
use crate::api::groups::GROUP_LIST;
use crate::api::messages::HISTORY;
use crate::api::pager;
use crate::api::receipts::GET_RECEIPT_DETAIL;
use crate::api::{GroupInfo, MessageKind, ReceiptCount, ReceiptFilter};
use crate::webhook::ReceiptEvent;

use super::app::{App, Source, explain};
use super::event::{ApiEvent, CountsOrigin, Effect};
use super::modal::{Current, Stage};
use super::paged::{Applied, Page};
use super::panes::{Counts, GroupDetails, MessageRow};
use super::status::write_failure;

use crate::vendor::codes::NO_RECEIPT;

impl App {
    pub(super) fn on_api(&mut self, event: ApiEvent, fx: &mut Vec<Effect>) -> bool {
        match event {
            ApiEvent::GroupIds { generation, result } => {
                let selected_id = self.groups.selected_id().cloned();
                let total = result.as_ref().ok().map(|p| p.total);
                if let Some(total) = total {
                    self.groups
                        .list
                        .report_size(generation, total, "TotalCount");
                }
                let result = result.map(|p| Page {
                    next: (p.next != 0).then_some(p.next),
                    items: p.ids,
                });
                let err = result.as_ref().err().cloned();
                match self.groups.list.apply(generation, result) {
                    Applied::Stale => return false,
                    Applied::Loaded { replaced, .. } => {
                        self.groups.list.set_total(total);
                        if replaced {
                            self.groups.list_replaced();
                        }
                        self.groups.sync_filter();
                        // The rows were rebuilt (a refresh; or, while filtering over the
                        // index, groups now listed moved up): the selection follows its group.
                        if replaced || !self.groups.filter.is_empty() {
                            let found = self.groups.reselect(selected_id.as_deref());
                            if !found && replaced {
                                self.groups.view.selected = 0;
                            }
                        }
                        self.clear_error(Source::Groups);
                        if let Some(n) = self.groups.list.take_repeats_report() {
                            self.note_repeats(n, "group IDs");
                        }
                    }
                    Applied::Failed => {
                        if let Some(e) = err {
                            self.report_api(Source::Groups, &e);
                        }
                    }
                    Applied::Fault(f) => {
                        self.report_api(Source::Groups, &pager::fault_error(GROUP_LIST.api, f))
                    }
                }
                self.clamp_views();
                true
            }
            ApiEvent::GroupInfo { ids, result } => {
                self.groups.info_in_flight = false;
                match result {
                    Ok(infos) => {
                        for info in infos {
                            if let Some(open) = self.messages.group.as_mut()
                                && open.id == info.id
                                && info.code == 0
                            {
                                *open = info.clone();
                            }
                            let details = if info.code == 0 {
                                GroupDetails::Loaded(info.clone())
                            } else {
                                GroupDetails::Missing(info.code)
                            };
                            self.groups.details.insert(info.id, details);
                        }
                        for id in &ids {
                            if matches!(self.groups.details.get(id), Some(GroupDetails::Loading)) {
                                self.groups.details.insert(id.clone(), GroupDetails::Failed);
                            }
                        }
                        self.clear_error(Source::GroupInfo);
                    }
                    Err(e) => {
                        for id in &ids {
                            self.groups.details.insert(id.clone(), GroupDetails::Failed);
                        }
                        self.report_api(Source::GroupInfo, &e);
                    }
                }
                if !self.groups.filter.is_empty() {
                    self.groups.filter.invalidate();
                    self.groups.sync_filter();
                    self.clamp_views();
                }
                true
            }
            ApiEvent::OpenGroup { id, result } => self.on_open_group(id, result),
            ApiEvent::Messages { generation, result } => self.on_messages(generation, result, fx),
            ApiEvent::Counts {
                generation,
                origin,
                seqs,
                at_ms,
                result,
            } => {
                if generation != self.messages.list.generation() {
                    return false;
                }
                match origin {
                    CountsOrigin::Page => {
                        self.messages.counts_in_flight =
                            self.messages.counts_in_flight.saturating_sub(1)
                    }
                    CountsOrigin::Poll => self.messages.poll_in_flight = false,
                }
                match result {
                    Ok(counts) => {
                        self.messages.apply_counts(&counts);
                        if let Some(group) = self.messages.group_id().map(str::to_string) {
                            self.live.record_poll(&group, &counts, at_ms);
                        }
                        self.note_no_receipt(&counts);
                        self.clear_error(Source::Counts);
                    }
                    Err(e) => {
                        self.messages.mark_counts_failed(&seqs);
                        self.report_api(Source::Counts, &e);
                    }
                }
                true
            }
            ApiEvent::Members { generation, result } => {
                let selected_account = self.members.selected_account().cloned();
                let result = result.map(|p| Page {
                    next: (!p.finished).then_some(p.cursor),
                    items: p.accounts,
                });
                let err = result.as_ref().err().cloned();
                match self.members.list.apply(generation, result) {
                    Applied::Stale => return false,
                    Applied::Loaded { replaced, .. } => {
                        if replaced {
                            self.members.filter.invalidate();
                        }
                        self.members.sync_filter();
                        if replaced {
                            let row = selected_account
                                .and_then(|a| {
                                    self.members.list.items().iter().position(|m| *m == a)
                                })
                                .and_then(|i| self.members.filter.row_of(i));
                            self.members.view.selected = row.unwrap_or(0);
                        }
                        self.clear_error(Source::Members);
                        if let Some(n) = self.members.list.take_repeats_report() {
                            self.note_repeats(n, "accounts");
                        }
                    }
                    Applied::Fault(f) => self.report_api(
                        Source::Members,
                        &pager::fault_error(GET_RECEIPT_DETAIL.api, f),
                    ),
                    Applied::Failed => match err {
                        Some(e) if e.code() == Some(NO_RECEIPT) => {
                            self.members.no_receipt = true;
                            self.members.choose_source();
                        }
                        Some(e) => self.report_api(Source::Members, &e),
                        None => {}
                    },
                }
                self.clamp_views();
                true
            }
            ApiEvent::ScanPage {
                group,
                generation,
                cursor,
                at_ms,
                result,
            } => self.on_scan_page(&group, generation, &cursor, at_ms, result, fx),
            ApiEvent::Stored { group, seq, result } => self.on_stored(group, seq, result),
            ApiEvent::Names(answer) => self.on_names(answer),
            ApiEvent::PresenceAll { accounts, result } => self.on_presence_all(accounts, result),
            ApiEvent::User {
                generation: g,
                update,
                at,
            } => self.on_user_update(g, update, at),
            ApiEvent::GroupIndex { result, from_cache } => self.on_group_index(result, from_cache),
            ApiEvent::UserRead { generation, result } => self.on_user_read(generation, result),
            ApiEvent::Presence { account, result } => self.on_presence(&account, result),
            ApiEvent::CurrentUnread {
                modal,
                member,
                result,
            } => match self.modal.as_mut() {
                // Only the count of the account the dialog shows now.
                Some(m) if m.id == modal && m.member() == Some(member.as_str()) => {
                    m.current = Some(match result {
                        Ok(current) => {
                            if m.group_type.is_none() {
                                m.group_type = current.group.group_type;
                            }
                            Current::Loaded(current)
                        }
                        Err(e) => Current::Failed(explain(&e).what),
                    });
                    true
                }
                _ => false,
            },
            ApiEvent::Write { modal, result } => {
                let result = result.map_err(|e| write_failure(&e));
                if result.is_ok() {
                    self.refresh_user_after_write(fx);
                }
                match &result {
                    Ok(outcome) => {
                        self.status.notice = Some(format!(
                            "done: {} · logged to the audit log",
                            outcome.action.summary()
                        ));
                    }
                    Err(words) => {
                        self.status.notice = Some(format!("write failed: {words}"));
                    }
                }
                match self.modal.as_mut() {
                    Some(m) if m.id == modal => m.stage = Stage::Done(result),
                    _ => {}
                }
                true
            }
        }
    }

    fn on_open_group(
        &mut self,
        id: String,
        result: Result<Vec<GroupInfo>, crate::api::ApiError>,
    ) -> bool {
        let wanted = self.messages.opening.as_deref() == Some(id.as_str());
        match result {
            Ok(infos) => {
                let found = infos.into_iter().find(|g| g.id == id);
                match found {
                    Some(info) if info.code == 0 => {
                        self.groups
                            .details
                            .insert(id.clone(), GroupDetails::Loaded(info.clone()));
                        self.clear_error(Source::OpenGroup);
                        if wanted {
                            self.show_group(info);
                        }
                    }
                    other => {
                        if wanted {
                            self.messages.opening = None;
                            self.report_group_not_found(&id, other.as_ref());
                        }
                    }
                }
            }
            Err(e) => {
                if wanted {
                    // Not busy any more; `r` tries again.
                    self.messages.opening = None;
                    tracing::warn!(error = %e, "opening a group failed");
                    let x = explain(&e);
                    let next_step = self.with_case_hint(&id, e.is_group_not_found(), x.next_step);
                    self.report(Source::OpenGroup, x.what, next_step);
                    self.messages.failed_open = Some(id);
                }
            }
        }
        wanted
    }

    /// `get_group_info` answered for `id` with a per-group error (or not at all): say so, with
    /// the service's words when they add to ours, and the letter-case hint.
    fn report_group_not_found(&mut self, id: &str, answer: Option<&GroupInfo>) {
        let (code, info) = answer.map_or((0, ""), |g| (g.code, g.info.as_str()));
        let ours = format!("group {id} not found (error {code}");
        let what = match service_words(info, &ours) {
            Some(words) => format!("{ours}; the service says: {words})"),
            None => format!("{ours})"),
        };
        let not_found = code == 0 || GROUP_NOT_FOUND_CODES.contains(&code);
        let next_step = self.with_case_hint(
            id,
            not_found,
            "check the ID (auto IDs look like @TGS#2TTV7VSII)".into(),
        );
        self.report(Source::OpenGroup, what, next_step);
    }

    /// `next_step`, or "group IDs are case-sensitive: did you mean …?" instead when `id` was
    /// not found and has lower-case letters (the guess prefers a listed group differing only
    /// in case).
    fn with_case_hint(&self, id: &str, not_found: bool, next_step: String) -> String {
        let known = self.groups.list.items().iter().map(String::as_str);
        match group_case_hint(id, known).filter(|_| not_found) {
            Some(hint) => hint,
            None => next_step,
        }
    }

    fn on_messages(
        &mut self,
        generation: u64,
        result: Result<crate::api::MessagePage, crate::api::ApiError>,
        fx: &mut Vec<Effect>,
    ) -> bool {
        // A refresh replaces the rows: keep the counts we had so nothing flickers.
        let old_counts: HashMap<u64, Counts> = if self.messages.list.is_refreshing() {
            self.messages
                .list
                .items()
                .iter()
                .map(|r| (r.message.seq, r.counts))
                .collect()
        } else {
            HashMap::new()
        };
        let was_empty = self.messages.list.is_empty();
        // A reload keeps the highlight on the same message (by seq, not by row).
        let selected_seq = self.messages.selected().map(|r| r.message.seq);
        let err = result.as_ref().err().cloned();
        // A type without receipts (a Community) is not asked for counts: none exist.
        let receipts = self.messages.supports_receipts();
        let result = result.map(|p| Page {
            next: p.older.map(Some),
            items: p
                .messages
                .into_iter()
                .map(|message| MessageRow {
                    counts: if message.kind == MessageKind::Normal && receipts {
                        Counts::Unknown
                    } else {
                        Counts::Known {
                            count: ReceiptCount {
                                seq: message.seq,
                                read: None,
                                unread: None,
                                code: NO_RECEIPT,
                            },
                            live: false,
                        }
                    },
                    message,
                })
                .collect::<Vec<_>>(),
        });
        let start = self.messages.list.len();
        match self.messages.list.apply(generation, result) {
            Applied::Stale => return false,
            Applied::Loaded { added, replaced } => {
                let first = if replaced { 0 } else { start };
                if replaced {
                    self.messages.filter.invalidate();
                    for row in self.messages.list.items_mut() {
                        if let Some(c) = old_counts.get(&row.message.seq) {
                            row.counts = *c;
                        }
                    }
                }
                self.messages.rebuild_index();
                self.messages.sync_filter();
                if replaced {
                    let row = selected_seq
                        .and_then(|seq| self.messages.index.get(&seq).copied())
                        .and_then(|i| self.messages.filter.row_of(i));
                    self.messages.view.selected = row.unwrap_or(0);
                    // The members pane belongs to the highlighted message, always.
                    self.open_members(None);
                }
                self.clear_error(Source::Messages);
                let seqs: Vec<u64> = self.messages.list.items()[first..first + added]
                    .iter()
                    .filter(|r| r.has_receipt_slot() && r.counts == Counts::Unknown)
                    .map(|r| r.message.seq)
                    .collect();
                self.fetch_counts(seqs, CountsOrigin::Page, fx);
                self.clamp_views();
                if was_empty && self.members.target.is_none() {
                    self.open_members(None);
                }
            }
            Applied::Failed => {
                if let Some(e) = err {
                    self.report_api(Source::Messages, &e);
                }
            }
            Applied::Fault(f) => {
                self.report_api(Source::Messages, &pager::fault_error(HISTORY.api, f))
            }
        }
        if let Some(n) = self.messages.list.take_repeats_report() {
            self.note_repeats(n, "messages");
        }
        true
    }

    /// Say once per listing that the service sent some items twice (they were dropped).
    fn note_repeats(&mut self, n: u64, what: &str) {
        self.status.notice = Some(format!(
            "the service sent {n} {what} more than once; each is shown once"
        ));
    }

    /// Counts told us a message has no receipt: the open member list says so.
    fn note_no_receipt(&mut self, counts: &[ReceiptCount]) {
        if let Some(target) = self.members.target.as_ref()
            && counts
                .iter()
                .any(|c| c.seq == target.seq && c.read.is_none())
        {
            self.members.no_receipt = true;
            self.members.choose_source();
        }
    }

    /// A webhook event: counts on screen update in place and are marked live.
    pub(super) fn on_webhook(&mut self, event: &ReceiptEvent) -> bool {
        self.live.record_event(event);
        self.note_stored_event(event);
        if self.messages.group_id() == Some(event.group_id.as_str()) {
            for update in &event.receipts {
                self.messages.newest_seen = self.messages.newest_seen.max(update.seq);
                if let Some(row) = self.messages.row_by_seq_mut(update.seq) {
                    row.counts = Counts::Known {
                        count: ReceiptCount {
                            seq: update.seq,
                            read: Some(update.read),
                            unread: Some(update.unread),
                            code: 0,
                        },
                        live: true,
                    };
                }
                if let Some(target) = self.members.target.as_ref()
                    && target.group == event.group_id
                    && target.seq == update.seq
                {
                    self.members
                        .live_readers
                        .extend(update.readers.iter().cloned());
                }
            }
        }
        true
    }

    /// Does the members pane show `which` for `seq`? (for tests and the export default)
    pub fn members_showing(&self, seq: u64, which: ReceiptFilter) -> bool {
        self.members.target.as_ref().is_some_and(|t| t.seq == seq) && self.members.which == which
    }
}
