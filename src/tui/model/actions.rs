//! What the dashboard's actions do: moving, opening, switching lists, copying, exporting,
//! the write dialogs and the command palette. Part of `update`: no I/O.

use std::time::Duration;

use crate::api::ReceiptFilter;

use super::app::{App, ExportState, FOLLOW_DEBOUNCE, Prompt, Source};
use super::event::{Effect, ExportError, ExportSummary};
use super::keymap::{self, Action};
use super::modal::WriteModal;
use super::palette;
use super::pane::Pane;
use super::panes::MemberTarget;
use super::status::export_failure;
use tui_input::Input;

impl App {
    pub(super) fn on_action(&mut self, action: Action, fx: &mut Vec<Effect>) -> bool {
        let vp = self.viewport;
        match action {
            Action::Down => self.move_selection(1, fx),
            Action::Up => self.move_selection(-1, fx),
            Action::PageDown => self.move_selection(vp.rows(self.focus) as isize, fx),
            Action::PageUp => self.move_selection(-(vp.rows(self.focus) as isize), fx),
            Action::Top => self.move_selection(isize::MIN, fx),
            Action::Bottom => self.move_selection(isize::MAX, fx),
            Action::LoadAll => {
                if self.focus == Pane::Members {
                    self.resume_scan();
                }
                self.load_all = Some(self.focus);
                self.follow_load_all(fx);
                true
            }
            Action::NextPane => {
                let i = (self.focus.index() + 1) % Pane::ORDER.len();
                self.focus = Pane::ORDER[i];
                true
            }
            Action::PrevPane => {
                let i = (self.focus.index() + Pane::ORDER.len() - 1) % Pane::ORDER.len();
                self.focus = Pane::ORDER[i];
                true
            }
            Action::PaneRight => {
                let i = (self.focus.index() + 1).min(Pane::ORDER.len() - 1);
                self.focus = Pane::ORDER[i];
                true
            }
            Action::PaneLeft => {
                let i = self.focus.index().saturating_sub(1);
                self.focus = Pane::ORDER[i];
                true
            }
            Action::Open => self.open_selected(fx),
            Action::Back if self.stop_fill() => true,
            Action::Back if self.shows_positions() && self.stop_scan() => true,
            Action::Back if self.load_all.is_some() => {
                self.load_all = None;
                self.status.notice = Some("stopped loading: what arrived stays".into());
                true
            }
            Action::Back => {
                let has_filter = !self.pane(self.focus).filter().is_empty();
                if has_filter {
                    self.set_filter(self.focus, "");
                } else {
                    self.on_action(Action::PaneLeft, fx);
                }
                true
            }
            Action::ToggleList => match self.members.target.clone() {
                Some(target) => {
                    let which = self.members.which.toggled();
                    // The same message: what is known of its receipt still holds.
                    let no_receipt = self.members.no_receipt;
                    self.members.open(target, which);
                    self.members.no_receipt = no_receipt;
                    self.members.choose_source();
                    true
                }
                None => false,
            },
            Action::Source => self.switch_source(),
            Action::FillNames => self.fill_names(),
            Action::People => self.cycle_people(fx),
            Action::User => self.user_action(action, fx),
            Action::ViewMessage => self.open_message_view(),
            Action::Filter => {
                let query = self.pane(self.focus).filter().query();
                self.prompt = Some(Prompt::Filter {
                    pane: self.focus,
                    input: Input::new(query.to_string()),
                });
                true
            }
            Action::Refresh => {
                self.refresh(fx);
                true
            }
            Action::Watch => {
                self.watch = !self.watch;
                self.status.notice = Some(if self.watch {
                    format!(
                        "watch on: visible counts re-polled every {} s (w to stop)",
                        self.ctx.watch_interval.as_secs()
                    )
                } else {
                    "watch off".into()
                });
                if self.watch {
                    self.poll_counts(fx);
                }
                true
            }
            Action::Copy => self.copy_selected(fx),
            Action::Export => self.start_export(None, fx),
            Action::CancelExport => self.cancel_export(fx),
            Action::Events => {
                self.show_events = !self.show_events;
                self.relayout();
                true
            }
            Action::Help => {
                self.help = Some(0);
                true
            }
            Action::Palette => {
                self.prompt = Some(Prompt::Palette {
                    input: Input::default(),
                });
                true
            }
            // An export would be lost: the first q asks, a second one quits.
            Action::Quit if self.export.is_some() && !self.quit_armed => {
                self.quit_armed = true;
                self.status.notice = Some(
                    "an export is running: q again quits (the export is dropped, no file is written), x cancels it, any other key keeps it".into(),
                );
                true
            }
            Action::Quit => {
                if let Some(running) = self.export.take() {
                    fx.push(Effect::CancelExport { job: running.job });
                }
                self.quit(fx);
                true
            }
            Action::Suspend => {
                fx.push(Effect::Suspend);
                false
            }
            Action::MarkRead => self.open_mark_read(),
            Action::SetUnread => self.open_set_unread(fx),
        }
    }

    /// Move the focused pane's cursor. `isize::MIN`/`MAX` jump to the ends.
    pub(super) fn move_selection(&mut self, delta: isize, fx: &mut Vec<Effect>) -> bool {
        let height = self.viewport.rows(self.focus);
        let pane = self.pane_mut(self.focus);
        let len = pane.visible_len();
        let view = pane.view_mut();
        let before = *view;
        match delta {
            isize::MIN => view.top(len, height),
            isize::MAX => view.bottom(len, height),
            d => view.move_by(d, len, height),
        }
        let moved = *view != before;
        if moved && self.focus == Pane::Messages && before.selected != self.messages.view.selected {
            // The members pane follows the message cursor once keys stop repeating.
            self.follow_token = self.next_id();
            fx.push(Effect::Debounce {
                token: self.follow_token,
                after: FOLLOW_DEBOUNCE,
            });
        }
        moved
    }

    /// Show the members of the message under the cursor (after the debounce).
    pub(super) fn follow_selection(&mut self) -> bool {
        self.open_members(None)
    }

    /// Open the selected message's member list. `which` None keeps the current list kind.
    pub(super) fn open_members(&mut self, which: Option<ReceiptFilter>) -> bool {
        let Some(group) = self.messages.group.as_ref() else {
            return false;
        };
        let Some(row) = self.messages.selected() else {
            return false;
        };
        let target = MemberTarget {
            group: group.id.clone(),
            group_type: group.group_type,
            seq: row.message.seq,
            from: row.message.from.clone(),
            time: row.message.time,
        };
        let no_receipt = !row.has_receipt_slot() || row.counts.no_receipt();
        let which = which.unwrap_or(self.members.which);
        if self.members.target.as_ref() == Some(&target) && self.members.which == which {
            return false;
        }
        let reported = match row.counts.count() {
            Some(c) if c.code == 0 => c.read.zip(c.unread).map(|(r, u)| r.saturating_add(u)),
            _ => None,
        };
        self.members.open(target, which);
        self.members.no_receipt = no_receipt;
        self.members.choose_source();
        if let Some(size) = reported {
            let generation = self.members.list.generation();
            self.members
                .list
                .report_size(generation, size, "ReadNum + UnreadNum of the message");
        }
        // An error about the previous list is not about this one.
        self.clear_error(Source::Members);
        true
    }

    pub(super) fn open_selected(&mut self, fx: &mut Vec<Effect>) -> bool {
        match self.focus {
            Pane::Groups => match self.groups.selected_id().cloned() {
                Some(id) => {
                    self.open_group(id, fx);
                    true
                }
                None => false,
            },
            Pane::Messages => {
                self.follow_token = self.next_id(); // a pending follow is now moot
                self.open_members(None);
                if self.members.target.is_some() {
                    self.focus = Pane::Members;
                }
                true
            }
            Pane::Members => false,
        }
    }

    pub(super) fn copy_selected(&mut self, fx: &mut Vec<Effect>) -> bool {
        let Some(text) = self.pane(self.focus).selected_text() else {
            return false;
        };
        // The terminal pastes what OSC 52 carries as is: an ID with `ESC[201~` and a
        // newline would end a bracketed paste and run a command in the agent's shell.
        if !clipboard_safe(&text) {
            self.status.notice = Some(format!(
                "not copied: this ID contains control characters (shown as ?): {}",
                shown_id(&text)
            ));
            return true;
        }
        // OSC 52 has no answer: whether the text arrived depends on the terminal (and
        // tmux's set-clipboard). The ID is on screen too, to select with the mouse.
        self.status.notice = Some(format!(
            "sent to the terminal's clipboard (OSC 52): {}",
            shown_id(&text)
        ));
        fx.push(Effect::Copy(text));
        true
    }

    /// `e` or `:export [PATH]`: the whole current member list to CSV.
    pub(super) fn start_export(
        &mut self,
        to: Option<std::path::PathBuf>,
        fx: &mut Vec<Effect>,
    ) -> bool {
        if let Some(running) = &self.export {
            self.status.notice = Some(format!(
                "an export is already running ({} members so far): x cancels it",
                crate::text::thousands(running.loaded as u64)
            ));
            return true;
        }
        let Some(target) = self.members.target.clone() else {
            self.status.notice = Some("open a message first: its member list is exported".into());
            return true;
        };
        if self.shows_positions() {
            self.status.notice = Some(format!(
                "the export writes receipt lists; for read positions run: tim-receipts members {} {} --source positions --format csv",
                target.group, target.seq
            ));
            return true;
        }
        if self.members.no_receipt {
            self.status.notice = Some("this message has no read receipt: nothing to export".into());
            return true;
        }
        let which = self.members.which;
        let total = self.messages.row_by_seq(target.seq).and_then(|r| {
            let c = r.counts.count()?;
            match which {
                ReceiptFilter::Read => c.read,
                ReceiptFilter::Unread => c.unread,
            }
        });
        let job = self.next_id();
        self.export = Some(ExportState {
            job,
            loaded: 0,
            total,
        });
        self.status.notice = None;
        fx.push(Effect::Export {
            job,
            group: target.group,
            seq: target.seq,
            filter: which,
            to,
        });
        true
    }

    /// `x`: stop the running export; no file is left behind.
    pub(super) fn cancel_export(&mut self, fx: &mut Vec<Effect>) -> bool {
        self.quit_armed = false;
        match self.export.take() {
            Some(running) => {
                fx.push(Effect::CancelExport { job: running.job });
                self.status.notice = Some("export cancelled: no file was written".into());
            }
            None => self.status.notice = Some("no export is running".into()),
        }
        true
    }

    pub(super) fn on_export_done(
        &mut self,
        job: u64,
        result: Result<ExportSummary, ExportError>,
    ) -> bool {
        if self.export.as_ref().is_none_or(|e| e.job != job) {
            return false;
        }
        self.export = None;
        match result {
            Ok(summary) => {
                self.clear_error(Source::Export);
                let name = summary.path.file_name().map_or_else(
                    || summary.path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                let _ = name;
                self.status.notice = Some(format!(
                    "exported {} members to {}",
                    crate::text::thousands(summary.rows as u64),
                    summary.path.display()
                ));
            }
            Err(e) => self.report(
                Source::Export,
                format!("export failed: {}", export_failure(&e)),
                "press e to export again".into(),
            ),
        }
        true
    }

    pub(super) fn open_mark_read(&mut self) -> bool {
        let report = self.members.selected_account().cloned().unwrap_or_default();
        let id = self.next_id();
        self.modal = Some(WriteModal::mark_read(id, &report));
        true
    }

    pub(super) fn open_set_unread(&mut self, fx: &mut Vec<Effect>) -> bool {
        let (Some(group), Some(member)) = (
            self.messages.group.clone(),
            self.members.selected_account().cloned(),
        ) else {
            self.status.notice =
                Some("select a member in the Members pane first, then press U".into());
            return true;
        };
        let id = self.next_id();
        self.modal = Some(WriteModal::set_unread(
            id,
            &group.id,
            group.group_type,
            &member,
        ));
        fx.push(Effect::FetchCurrentUnread {
            modal: id,
            group: group.id,
            member,
        });
        true
    }

    /// The set-unread dialog's account changed and typing paused: look up its count.
    pub(super) fn look_up_current(&mut self, fx: &mut Vec<Effect>) -> bool {
        let Some(m) = self.modal.as_ref() else {
            return false;
        };
        let Some(member) = m.member().filter(|a| !a.is_empty()) else {
            return false;
        };
        fx.push(Effect::FetchCurrentUnread {
            modal: m.id,
            group: m.group.clone(),
            member: member.to_string(),
        });
        false
    }

    pub(super) fn run_command(&mut self, line: &str, fx: &mut Vec<Effect>) {
        match palette::parse(line, self.ctx.read_only) {
            Ok(palette::Command::Group(text)) => self.group_command(text, fx),
            Ok(palette::Command::User(account)) => {
                self.open_user(&account, fx);
            }
            Ok(palette::Command::Watch(setting)) => match setting {
                palette::WatchSetting::Toggle => {
                    self.on_action(Action::Watch, fx);
                }
                palette::WatchSetting::Off => {
                    self.watch = false;
                    self.status.notice = Some("watch off".into());
                }
                palette::WatchSetting::Every(secs) => {
                    self.ctx.watch_interval = Duration::from_secs(secs);
                    self.watch = false;
                    self.on_action(Action::Watch, fx);
                }
            },
            Ok(palette::Command::List(which)) => {
                if self.members.target.is_some() {
                    self.open_members_kind(which);
                }
            }
            Ok(palette::Command::Filter(text)) => self.set_filter(self.focus, &text),
            Ok(palette::Command::Export(path)) => {
                self.start_export(Some(path), fx);
            }
            Ok(palette::Command::Action(action)) => {
                self.on_action(action, fx);
            }
            Ok(palette::Command::Nothing) => {}
            Err(problem) => {
                let next = if problem.contains(keymap::READ_ONLY_REFUSAL) {
                    "start tim-receipts without --read-only (and read_only = false) to write"
                } else {
                    "type : then Tab to see the commands"
                };
                self.report(Source::Command, problem, next.into())
            }
        }
    }

    pub(super) fn open_members_kind(&mut self, which: ReceiptFilter) {
        if let Some(target) = self.members.target.clone()
            && self.members.which != which
        {
            self.members.open(target, which);
        }
    }
}

/// Whether `text` may go to the clipboard: no control characters (C0, DEL, C1).
pub fn clipboard_safe(text: &str) -> bool {
    !text.chars().any(char::is_control)
}

/// An ID as the status line shows it: control characters as `?`, at most 64 characters.
fn shown_id(id: &str) -> String {
    let mut shown: String = id
        .chars()
        .take(64)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if id.chars().nth(64).is_some() {
        shown.push('…');
    }
    shown
}
