//! Read positions in the dashboard: the scan's pages as they arrive, `s` (receipt / read
//! position), stopping and restarting a scan. Part of `update`: no I/O.

use crate::api::groups::MEMBER_INFO;
use crate::api::{ApiError, GroupMemberPage, pager};

use super::app::{App, Source};
use super::event::Effect;
use super::paged::{Applied, Page, PageRequest};
use super::pane::Pane;
use super::panes::{MemberSource, ScanCursor};

/// The fetch of a page of `group`'s read-position scan.
fn scan_fetch(group: String, req: PageRequest<ScanCursor>) -> Effect {
    Effect::FetchScanPage {
        generation: req.generation,
        group,
        cursor: req.cursor,
    }
}

impl App {
    /// Start the scan's next page when the members pane needs it. True when one started.
    pub(super) fn pump_scan(&mut self, fx: &mut Vec<Effect>) -> bool {
        let load_all = self.load_all == Some(Pane::Members);
        if !self
            .members
            .scan_wants_page(self.viewport.members, load_all)
        {
            return false;
        }
        let Some(group) = self.members.target.as_ref().map(|t| t.group.clone()) else {
            return false;
        };
        match self.members.scan_mut().and_then(|s| s.list.begin_fetch()) {
            Some(req) => {
                fx.push(scan_fetch(group, req));
                true
            }
            None => false,
        }
    }

    /// A page of a scan came back: add it to the group's scan (whichever message is open),
    /// and to the shown rows when the pane shows that group's positions.
    pub(super) fn on_scan_page(
        &mut self,
        group: &str,
        generation: u64,
        cursor: &ScanCursor,
        at_ms: i64,
        result: Result<GroupMemberPage, ApiError>,
        fx: &mut Vec<Effect>,
    ) -> bool {
        if self.members.scans.get(group).is_none() {
            return false;
        }
        let member_num = result.as_ref().ok().map(|p| p.member_num);
        // Scan pages carry name cards: they cost no lookup later.
        if let Ok(page) = &result {
            self.members.names.learn_members(group, &page.members);
        }
        let Some(scan) = self.members.scans.get_mut(group) else {
            return false;
        };
        if let Some(n) = member_num {
            // Members may join while a scan runs: hold it to the most the group reported.
            let most = scan.member_num.map_or(n, |m| m.max(n));
            scan.list
                .report_size(generation, most, "MemberNum of the group");
        }
        let err = result.as_ref().err().cloned();
        let result = result.map(|p| Page {
            next: cursor.after(p.members.len(), p.member_num, p.next),
            items: p.members,
        });
        let was_complete = scan.is_complete();
        let applied = scan.list.apply(generation, result);
        let finished_now = !was_complete && scan.list.is_exhausted();
        match applied {
            Applied::Stale => return false,
            Applied::Loaded { replaced, .. } => {
                scan.note_page(member_num.unwrap_or(0), replaced, at_ms);
                let repeats = scan.list.take_repeats_report();
                self.clear_error(Source::Members);
                if let Some(n) = repeats {
                    self.status.notice = Some(format!(
                        "the service sent {n} members more than once while the scan ran; each is counted once"
                    ));
                }
            }
            Applied::Failed => {
                if let Some(e) = err {
                    self.report_api(Source::Members, &e);
                }
            }
            Applied::Fault(f) => {
                self.report_api(Source::Members, &pager::fault_error(MEMBER_INFO.api, f))
            }
        }
        if self
            .members
            .target
            .as_ref()
            .is_some_and(|t| t.group == group)
        {
            self.members.sync_positions();
            self.clamp_views();
            let complete = self
                .members
                .scans
                .get(group)
                .is_some_and(|s| s.is_complete());
            if complete && finished_now {
                self.record_scan(at_ms, fx);
            }
        }
        true
    }

    /// `s`: switch the open message's list between its receipt and read positions.
    pub(super) fn switch_source(&mut self) -> bool {
        let Some(target) = self.members.target.clone() else {
            self.status.notice = Some("no message selected: choose one in Messages first".into());
            return true;
        };
        if !target.has_positions() {
            let kind = target.group_type.map_or("this", |t| t.label());
            self.status.notice = Some(format!(
                "no read positions: {kind} groups keep no unread counts, so only receipts"
            ));
            return true;
        }
        if self.members.no_receipt {
            self.status.notice = Some(format!(
                "message {} has no read receipt: read positions are its only source",
                target.seq
            ));
            return true;
        }
        self.members.prefer_positions = !self.members.prefer_positions;
        self.members.choose_source();
        self.load_all = None;
        self.clear_error(Source::Members);
        self.status.notice = Some(format!("members from {}s", self.members.source.label()));
        true
    }

    /// Esc while a scan runs: stop it where it is (what arrived stays; counts need it all).
    pub(super) fn stop_scan(&mut self) -> bool {
        let Some(scan) = self.members.scan_mut() else {
            return false;
        };
        if scan.stopped || scan.list.is_exhausted() || scan.list.error().is_some() {
            return false;
        }
        // A Community pages as it is scrolled: only a `>` scan is something to stop.
        if scan.community && self.load_all != Some(Pane::Members) {
            return false;
        }
        scan.stopped = true;
        let loaded = scan.loaded() as u64;
        let total = scan.member_num.unwrap_or(0);
        self.load_all = None;
        self.status.notice = Some(format!(
            "scan stopped at {} of {} members: counts need them all · > goes on",
            crate::text::thousands(loaded),
            crate::text::thousands(total)
        ));
        true
    }

    /// `>` on a read-position list: go on with a stopped scan too.
    pub(super) fn resume_scan(&mut self) {
        if let Some(scan) = self.members.scan_mut() {
            scan.stopped = false;
        }
    }

    /// `r` on a read-position list: retry a failed page, else scan the group again.
    pub(super) fn refresh_positions(&mut self, fx: &mut Vec<Effect>) -> bool {
        let Some(group) = self.members.target.as_ref().map(|t| t.group.clone()) else {
            return false;
        };
        let Some(scan) = self.members.scan_mut() else {
            return false;
        };
        if scan.list.retry() {
            scan.stopped = false;
            if let Some(req) = scan.list.begin_fetch() {
                fx.push(scan_fetch(group, req));
            }
            self.status.notice = Some(super::app::RETRYING.into());
            return true;
        }
        if scan.list.is_refreshing() {
            self.status.notice = Some("already scanning again…".into());
            return true;
        }
        let req = scan.restart();
        fx.push(scan_fetch(group, req));
        self.status.notice = Some("scanning read positions again…".into());
        true
    }

    /// `>` on a read-position list: say how far the scan got; at its end, go to the last row.
    pub(super) fn follow_scan_all(&mut self, done: bool, failed: bool) {
        let (loaded, total) = self
            .members
            .scan()
            .map_or((0, 0), |s| (s.loaded() as u64, s.member_num.unwrap_or(0)));
        let n = crate::text::thousands;
        if done || failed {
            self.load_all = None;
            if done {
                let focus = self.focus;
                self.focus = Pane::Members;
                self.move_selection(isize::MAX, &mut Vec::new());
                self.focus = focus;
                self.status.notice = Some(format!(
                    "all {} members scanned: the counts are complete",
                    n(loaded)
                ));
            }
        } else {
            self.status.notice = Some(format!(
                "scanning read positions: {} of {} members · Esc stops",
                n(loaded),
                n(total)
            ));
        }
    }

    /// The members pane shows read positions.
    pub fn shows_positions(&self) -> bool {
        self.members.target.is_some() && self.members.source == MemberSource::Position
    }
}
