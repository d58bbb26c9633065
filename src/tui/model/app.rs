//! The dashboard's state and `update(&mut App, Event) -> Vec<Effect>`: the only place
//! state changes. No I/O, no async, no clock: everything arrives as an event.

use std::time::Duration;

use time::UtcOffset;
use tui_input::Input;

use crate::api::ApiError;

use super::event::{Effect, Event};
use super::layout::{self, Viewport};
use super::live::Live;
use super::modal::{Stage, WriteModal};
pub use super::pane::Pane;
use super::panes::{GroupsPane, ListPane, MembersPane, MessagesPane};
use super::search::GroupSearch;
use super::status;
pub use super::status::{ErrorReport, Source, Status, explain};
use super::stored::Stored;
use super::user_view::UserView;
use crate::text::width;

/// Debounce before the members pane follows the message cursor.
pub const FOLLOW_DEBOUNCE: Duration = Duration::from_millis(150);
/// How long a notice (not an error) stays on the status line.
pub const NOTICE_LIFETIME: Duration = Duration::from_secs(6);
/// Pause in typing an account before the set-unread dialog looks up its count.
pub const LOOKUP_DEBOUNCE: Duration = Duration::from_millis(300);
/// Watch-mode interval when none is configured.
pub const DEFAULT_WATCH: Duration = Duration::from_secs(10);

/// Facts about the connection, fixed for the session (shown in the header).
#[derive(Debug, Clone)]
pub struct AppContext {
    pub profile: String,
    pub location: String,
    pub sdkappid: u64,
    pub read_only: bool,
    pub budget_per_sec: u32,
    pub watch_interval: Duration,
    /// Offset used to show message times.
    pub utc_offset: UtcOffset,
    /// Where writes are audited (shown after a write).
    pub audit_log: Option<String>,
}

/// A running CSV export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportState {
    pub job: u64,
    pub loaded: usize,
    pub total: Option<u64>,
}

/// A one-line prompt at the bottom: `/` filter or `:` command palette.
#[derive(Debug, Clone)]
pub enum Prompt {
    Filter { pane: Pane, input: Input },
    Palette { input: Input },
}

/// All state of the dashboard.
#[derive(Debug, Clone)]
pub struct App {
    pub ctx: AppContext,
    pub size: (u16, u16),
    pub viewport: Viewport,
    pub focus: Pane,
    pub groups: GroupsPane,
    pub messages: MessagesPane,
    pub members: MembersPane,
    pub live: Live,
    /// What the incident store knows of the open message.
    pub stored: Stored,
    /// Every group's name: the index behind `:group NAME`, and its picker.
    pub search: GroupSearch,
    pub show_events: bool,
    /// Help screen open, with its scroll offset.
    pub help: Option<u16>,
    /// `v`: the message (by seq) shown in full over the panes.
    pub message_view: Option<u64>,
    /// `:user ACCOUNT` / `u`: one user's view over the panes.
    pub user: Option<UserView>,
    pub modal: Option<WriteModal>,
    pub prompt: Option<Prompt>,
    pub status: Status,
    pub watch: bool,
    pub export: Option<ExportState>,
    pub spinner: usize,
    pub should_quit: bool,
    /// The signal that ended the dashboard: the exit status is 128 + its number.
    pub exit_signal: Option<i32>,
    /// Something changed since the last draw.
    pub dirty: bool,
    /// Rows the status line had at the last layout (more than one for a long error).
    pub status_rows: u16,
    next_id: u64,
    /// The pending follow of the message cursor (public for the flow tests).
    pub follow_token: u64,
    /// The pending look-up of the set-unread dialog's current count (tokens come from
    /// `next_id`, like `follow_token`'s, so the two never clash).
    pub(super) lookup_token: u64,
    /// The pending expiry of the status line's notice.
    pub(super) notice_token: u64,
    /// `>`: this pane's list is being loaded to its end.
    pub load_all: Option<Pane>,
    /// `q` was pressed once during an export: the next `q` quits.
    pub(super) quit_armed: bool,
}

/// The notice while `r` retries what failed; it goes once nothing is loading any more.
pub const RETRYING: &str = "retrying…";

/// The pure update function: apply `event`, return what to do.
pub fn update(app: &mut App, event: Event) -> Vec<Effect> {
    let mut fx = Vec::new();
    let notice_before = app.status.notice.clone();
    let changed = app.handle(event, &mut fx);
    if app.load_all.is_some() {
        app.follow_load_all(&mut fx);
    }
    // A notice (not an error) goes away by itself after a few seconds: a new one starts
    // its own timer, so only the latest one's expiry clears it.
    if app.status.notice.is_some() && app.status.notice != notice_before {
        app.notice_token = app.next_id();
        fx.push(Effect::Debounce {
            token: app.notice_token,
            after: NOTICE_LIFETIME,
        });
    }
    let started = app.pump(&mut fx) | app.pump_stored(&mut fx) | app.pump_names(&mut fx);
    if app.status.notice.as_deref() == Some(RETRYING) && !app.is_busy() {
        app.status.notice = None;
        app.dirty = true;
    }
    // A long error wraps onto more status rows: the panes (and their paging) follow.
    let relaid = app.wanted_status_rows() != app.status_rows;
    if relaid {
        app.relayout();
    }
    app.dirty |= changed || started || relaid;
    fx
}

impl App {
    pub fn new(ctx: AppContext, size: (u16, u16)) -> Self {
        let mut app = App {
            ctx,
            size,
            viewport: Viewport::default(),
            focus: Pane::Groups,
            groups: GroupsPane::default(),
            messages: MessagesPane::default(),
            members: MembersPane::default(),
            live: Live::default(),
            stored: Stored::default(),
            search: GroupSearch::default(),
            show_events: false,
            help: None,
            message_view: None,
            user: None,
            modal: None,
            prompt: None,
            status: Status::default(),
            watch: false,
            export: None,
            spinner: 0,
            should_quit: false,
            exit_signal: None,
            dirty: true,
            status_rows: 1,
            next_id: 0,
            follow_token: 0,
            lookup_token: 0,
            notice_token: 0,
            quit_armed: false,
            load_all: None,
        };
        app.relayout();
        app
    }

    /// The effects to run at start (the first page of groups, and the group index).
    pub fn start(&mut self) -> Vec<Effect> {
        let mut fx = Vec::new();
        self.pump(&mut fx);
        fx.push(Effect::LoadGroupIndex);
        fx
    }

    pub(super) fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Is anything in flight (the spinner ticks only then)?
    pub fn is_busy(&self) -> bool {
        self.groups.list.is_loading()
            || self.groups.info_in_flight
            || self.messages.opening.is_some()
            || self.messages.list.is_loading()
            || self.messages.counts_in_flight > 0
            || self.messages.poll_in_flight
            || self.members.list.is_loading()
            || self.members.scans.is_loading()
            || self.user.as_ref().is_some_and(|u| u.loading)
            || self.export.is_some()
            || self
                .modal
                .as_ref()
                .is_some_and(|m| m.stage == Stage::Sending)
    }

    /// The watch-mode interval while watch mode is on.
    pub fn watch_interval(&self) -> Option<Duration> {
        self.watch.then_some(self.ctx.watch_interval)
    }

    pub fn is_too_small(&self) -> bool {
        layout::areas(self.area(), self.show_events, self.status_rows).is_none()
    }

    /// Rows the status line needs now: one, or more for an error or notice that must wrap.
    pub fn wanted_status_rows(&self) -> u16 {
        if self.prompt.is_some() {
            return 1;
        }
        self.status_lines(self.size.0)
            .map_or(1, |lines| u16::try_from(lines.len()).unwrap_or(u16::MAX))
    }

    /// The status line's message on several rows when one row cannot hold it (see
    /// `status::wrapped`); `None` when the one-row status line is enough.
    pub fn status_lines(&self, area_width: u16) -> Option<Vec<String>> {
        if self.export.is_some() {
            return None;
        }
        let (text, suffix) = self.status.message()?;
        let prefix = status::ICON_CELLS + width(&status::calls_text(&self.status.stats)) + 2;
        status::wrapped(&text, suffix, prefix, area_width)
    }

    pub fn area(&self) -> ratatui::layout::Rect {
        ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1)
    }

    pub(super) fn relayout(&mut self) {
        self.status_rows = self.wanted_status_rows();
        if let Some(areas) = layout::areas(self.area(), self.show_events, self.status_rows) {
            self.viewport = areas.viewport();
            // A group over the receipt cap gives its first row to saying so (ui::messages).
            if self.messages.has_banner() && self.viewport.messages >= 2 {
                self.viewport.messages -= 1;
            }
        }
        self.clamp_views();
    }

    pub(super) fn clamp_views(&mut self) {
        for pane in Pane::ORDER {
            let (len, height) = (self.pane(pane).visible_len(), self.viewport.rows(pane));
            self.pane_mut(pane).view_mut().clamp(len, height);
        }
    }

    /// A list pane, by which one.
    pub fn pane(&self, pane: Pane) -> &dyn ListPane {
        match pane {
            Pane::Groups => &self.groups,
            Pane::Messages => &self.messages,
            Pane::Members => &self.members,
        }
    }

    pub fn pane_mut(&mut self, pane: Pane) -> &mut dyn ListPane {
        match pane {
            Pane::Groups => &mut self.groups,
            Pane::Messages => &mut self.messages,
            Pane::Members => &mut self.members,
        }
    }

    /// An error `r` cannot fix (a typo, a missing file): the next step says what can.
    pub(super) fn report(&mut self, source: Source, what: String, next_step: String) {
        self.status.error = Some(ErrorReport {
            source,
            what,
            next_step,
            retry: false,
        });
    }

    /// A failed call: "r to retry" only when repeating it may succeed (a timeout, a 5xx,
    /// a frequency limit, a broken page), not for a wrong key or a group that is not there.
    pub(super) fn report_api(&mut self, source: Source, err: &ApiError) {
        let e = explain(err);
        tracing::warn!(?source, error = %err, "dashboard call failed");
        self.status.error = Some(ErrorReport {
            source,
            what: e.what,
            next_step: e.next_step,
            retry: err.is_retryable() || matches!(err, ApiError::Paging { .. }),
        });
    }

    pub(super) fn clear_error(&mut self, source: Source) {
        if self
            .status
            .error
            .as_ref()
            .is_some_and(|e| e.source == source)
        {
            self.status.error = None;
        }
    }

    fn handle(&mut self, event: Event, fx: &mut Vec<Effect>) -> bool {
        match event {
            Event::Key(key) => {
                // A key is a person at the screen: names a failed lookup left out may be
                // asked for again.
                self.members.names_paused = false;
                self.on_key(key, fx)
            }
            Event::Mouse(mouse) => self.on_mouse(mouse, fx),
            Event::Resize(w, h) => {
                self.size = (w, h);
                self.relayout();
                true
            }
            Event::Tick => {
                self.spinner = self.spinner.wrapping_add(1);
                self.is_busy()
            }
            Event::WatchTick => {
                let polled = self.poll_counts(fx);
                self.poll_readers(fx) || polled
            }
            Event::Debounce(token) if token == self.follow_token => self.follow_selection(),
            Event::Debounce(token) if token == self.lookup_token => self.look_up_current(fx),
            Event::Debounce(token) if token == self.notice_token => {
                // "retrying…" stays until the retry has landed.
                let expire = self.status.notice.as_deref() != Some(RETRYING);
                if expire {
                    self.status.notice = None;
                }
                expire
            }
            Event::Debounce(_) => false,
            Event::Signal(kind) => {
                self.exit_signal.get_or_insert(kind.number());
                self.quit(fx);
                true
            }
            Event::InputClosed => {
                self.quit(fx);
                true
            }
            Event::Api(api) => self.on_api(api, fx),
            Event::Webhook(event) => self.on_webhook(&event),
            Event::StoreHealth { failing } => self.on_store_health(failing),
            Event::Stats(stats) => {
                let changed = stats != self.status.stats;
                self.status.stats = stats;
                changed
            }
            Event::ExportProgress { job, loaded } => match &mut self.export {
                Some(e) if e.job == job => {
                    e.loaded = loaded;
                    true
                }
                _ => false,
            },
            Event::ExportDone { job, result } => self.on_export_done(job, result),
            Event::IndexProgress(p) => self.on_index_progress(p),
        }
    }

    pub(super) fn quit(&mut self, fx: &mut Vec<Effect>) {
        if !self.should_quit {
            self.should_quit = true;
            fx.push(Effect::Quit);
        }
    }

    /// Apply a `/` filter to a pane, keeping the selected item selected when it still shows.
    pub(super) fn set_filter(&mut self, pane: Pane, query: &str) {
        // Clearing the Members filter (Esc) clears `o` too.
        if pane == Pane::Members && query.is_empty() {
            self.members.people = super::panes::PeopleFilter::All;
            self.members.filter.force(false);
        }
        self.pane_mut(pane).set_query(query);
        if pane == Pane::Messages {
            // The highlight may have moved to another message: members follow it.
            self.open_members(None);
        }
        self.clamp_views();
    }
}
