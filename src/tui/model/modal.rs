//! The write dialogs (`M` mark 1:1 read, `U` set unread). Each one builds exactly one
//! `WriteAction`, shows the exact request it will send, and defaults to No.

use ratatui::crossterm::event::{Event as CtEvent, KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::api::writes::SET_UNREAD_CAVEAT;
use crate::api::{GroupType, WriteAction, WriteOutcome};

use super::event::CurrentUnread;

/// Which write a dialog makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteKind {
    MarkRead,
    SetUnread,
}

/// A one-line text field.
#[derive(Debug, Clone)]
pub struct Field {
    pub label: &'static str,
    pub hint: &'static str,
    pub input: Input,
}

/// What has keyboard focus in a dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Field(usize),
    No,
    Yes,
}

/// Where a dialog is in its life.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    Editing,
    /// The request was sent; waiting for the answer.
    Sending,
    /// The answer: the outcome, or the error in words.
    Done(Result<WriteOutcome, String>),
}

/// The "current count" shown by the set-unread dialog.
#[derive(Debug, Clone, PartialEq)]
pub enum Current {
    Loading,
    Loaded(CurrentUnread),
    Failed(String),
}

/// A write dialog.
#[derive(Debug, Clone)]
pub struct WriteModal {
    pub id: u64,
    pub kind: WriteKind,
    pub fields: Vec<Field>,
    pub focus: Focus,
    pub stage: Stage,
    /// Set-unread only: the group the member is in.
    pub group: String,
    pub group_type: Option<GroupType>,
    pub current: Option<Current>,
    /// Why Yes did nothing (invalid input).
    pub problem: Option<String>,
}

/// What a key did to a dialog.
#[derive(Debug, Clone, PartialEq)]
pub enum ModalOutcome {
    /// Still open, nothing to run.
    Stay,
    /// Closed without sending.
    Cancelled,
    /// Closed after showing the result.
    Closed,
    /// Send this action now.
    Send(WriteAction),
}

fn field(label: &'static str, hint: &'static str, value: &str) -> Field {
    Field {
        label,
        hint,
        input: Input::new(value.to_string()),
    }
}

impl WriteModal {
    /// `M`: mark `report`'s 1:1 conversation with a peer read.
    pub fn mark_read(id: u64, report: &str) -> Self {
        WriteModal {
            id,
            kind: WriteKind::MarkRead,
            fields: vec![
                field(
                    "Report_Account",
                    "the user whose conversation is marked read",
                    report,
                ),
                field("Peer_Account", "the other side of the 1:1 conversation", ""),
                field("MsgReadTime", "Unix seconds; empty = up to now", ""),
            ],
            focus: Focus::Field(if report.is_empty() { 0 } else { 1 }),
            stage: Stage::Editing,
            group: String::new(),
            group_type: None,
            current: None,
            problem: None,
        }
    }

    /// `U`: set `member`'s unread count in `group`.
    /// Mark-read with both accounts filled in (from the user view's 1:1 row).
    pub fn mark_read_with(id: u64, report: &str, peer: &str) -> Self {
        let mut modal = WriteModal::mark_read(id, report);
        if let Some(f) = modal.fields.get_mut(1) {
            f.input = tui_input::Input::new(peer.to_string());
        }
        modal
    }

    pub fn set_unread(id: u64, group: &str, group_type: Option<GroupType>, member: &str) -> Self {
        WriteModal {
            id,
            kind: WriteKind::SetUnread,
            fields: vec![
                field(
                    "Member_Account",
                    "the member whose unread count is set",
                    member,
                ),
                field(
                    "UnreadMsgNum",
                    "new unread count (clamped to the group's messages)",
                    "",
                ),
            ],
            focus: Focus::Field(1),
            stage: Stage::Editing,
            group: group.to_string(),
            group_type,
            current: Some(Current::Loading),
            problem: None,
        }
    }

    /// Set-unread: the account typed in Member_Account (None for other dialogs).
    pub fn member(&self) -> Option<&str> {
        (self.kind == WriteKind::SetUnread).then(|| self.value(0))
    }

    pub fn title(&self) -> &'static str {
        match self.kind {
            WriteKind::MarkRead => "Mark a 1:1 conversation read",
            WriteKind::SetUnread => "Set a member's unread count",
        }
    }

    fn value(&self, i: usize) -> &str {
        self.fields.get(i).map_or("", |f| f.input.value().trim())
    }

    /// The action the dialog would send now, or why it cannot.
    pub fn action(&self) -> Result<WriteAction, String> {
        match self.kind {
            WriteKind::MarkRead => {
                let report = self.value(0);
                let peer = self.value(1);
                let time = self.value(2);
                if report.is_empty() {
                    return Err("type the Report_Account".into());
                }
                if peer.is_empty() {
                    return Err("type the Peer_Account".into());
                }
                let time = if time.is_empty() {
                    None
                } else {
                    Some(time.parse::<u64>().map_err(|_| {
                        format!("MsgReadTime must be Unix seconds (digits), not {time:?}")
                    })?)
                };
                Ok(WriteAction::MarkC2cRead {
                    report: report.to_string(),
                    peer: peer.to_string(),
                    time,
                })
            }
            WriteKind::SetUnread => {
                let member = self.value(0);
                let count = self.value(1);
                if member.is_empty() {
                    return Err("type the Member_Account".into());
                }
                if count.is_empty() {
                    return Err("type the new unread count".into());
                }
                let unread = count.parse::<u64>().map_err(|_| {
                    format!("the unread count must be a whole number, not {count:?}")
                })?;
                Ok(WriteAction::SetUnread {
                    group: self.group.clone(),
                    member: member.to_string(),
                    unread,
                })
            }
        }
    }

    /// What the write is documented for and does not do, shown before the user confirms
    /// (set-unread: migrations only, no callback, no notification).
    pub fn caveat(&self) -> Option<&'static str> {
        match self.kind {
            WriteKind::SetUnread => Some(SET_UNREAD_CAVEAT),
            WriteKind::MarkRead => None,
        }
    }

    /// Warning shown by the set-unread dialog for group types that ignore the call.
    pub fn warning(&self) -> Option<String> {
        match (self.kind, self.group_type) {
            (WriteKind::SetUnread, Some(t)) if t.ignores_unread_count() => Some(format!(
                "{t} groups ignore this call: it succeeds and changes nothing"
            )),
            _ => None,
        }
    }

    fn focus_order(&self) -> Vec<Focus> {
        let mut order: Vec<Focus> = (0..self.fields.len()).map(Focus::Field).collect();
        order.push(Focus::No);
        order.push(Focus::Yes);
        order
    }

    /// Tab / Shift-Tab (and the arrows). Forward from `[ Yes ]` wraps to the first field
    /// (away from sending is always safe); backward stops at the first field, so `[ Yes ]`
    /// is reached only by moving forward onto it from `[ No ]`.
    fn move_focus(&mut self, forward: bool) {
        let order = self.focus_order();
        let i = order.iter().position(|f| *f == self.focus).unwrap_or(0);
        let next = if forward {
            (i + 1) % order.len()
        } else {
            i.saturating_sub(1)
        };
        self.focus = order[next];
    }

    /// The field a failed write's error points at: the first whose name, else whose value,
    /// the error mentions; else the first.
    fn field_at_fault(&self, error: &str) -> usize {
        let by_label = self.fields.iter().position(|f| error.contains(f.label));
        let by_value = || {
            self.fields.iter().position(|f| {
                let v = f.input.value().trim();
                !v.is_empty() && error.contains(v)
            })
        };
        by_label.or_else(by_value).unwrap_or(0)
    }

    fn confirm(&mut self) -> ModalOutcome {
        match self.action() {
            Ok(action) => {
                self.problem = None;
                self.stage = Stage::Sending;
                ModalOutcome::Send(action)
            }
            Err(problem) => {
                self.problem = Some(problem);
                ModalOutcome::Stay
            }
        }
    }

    /// Handle a key press.
    pub fn on_key(&mut self, key: KeyEvent) -> ModalOutcome {
        match &self.stage {
            Stage::Sending => {
                // The request is out; Esc only hides nothing. Wait for the answer.
                ModalOutcome::Stay
            }
            Stage::Done(result) => match key.code {
                KeyCode::Enter | KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char(' ') => {
                    ModalOutcome::Closed
                }
                // A failed write (a mistyped account...): back to the fields as typed, to fix
                // and confirm again (the confirmation defaults to No again).
                KeyCode::Char('e') if result.is_err() => {
                    let error = result.as_ref().err().cloned().unwrap_or_default();
                    self.focus = Focus::Field(self.field_at_fault(&error));
                    self.stage = Stage::Editing;
                    ModalOutcome::Stay
                }
                _ => ModalOutcome::Stay,
            },
            Stage::Editing => self.on_edit_key(key),
        }
    }

    fn on_edit_key(&mut self, key: KeyEvent) -> ModalOutcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => return ModalOutcome::Cancelled,
            KeyCode::Char('c') if ctrl => return ModalOutcome::Cancelled,
            KeyCode::Tab | KeyCode::Down => {
                self.move_focus(true);
                return ModalOutcome::Stay;
            }
            KeyCode::BackTab | KeyCode::Up => {
                self.move_focus(false);
                return ModalOutcome::Stay;
            }
            _ => {}
        }
        match self.focus {
            Focus::Field(i) => {
                if key.code == KeyCode::Enter {
                    // Enter walks down the fields and stops on No: never sends by itself.
                    self.focus = if i + 1 < self.fields.len() {
                        Focus::Field(i + 1)
                    } else {
                        Focus::No
                    };
                } else if let Some(f) = self.fields.get_mut(i) {
                    f.input.handle_event(&CtEvent::Key(key));
                    self.problem = None;
                }
                ModalOutcome::Stay
            }
            // The one send gesture is Enter on [ Yes ]. No letter acts on the buttons, `y`
            // included: a word typed after the fields cannot send or cancel anything.
            Focus::No => match key.code {
                KeyCode::Enter => ModalOutcome::Cancelled,
                KeyCode::Right => {
                    self.focus = Focus::Yes;
                    ModalOutcome::Stay
                }
                KeyCode::Left => ModalOutcome::Stay,
                _ => self.explain_buttons(),
            },
            Focus::Yes => match key.code {
                KeyCode::Enter => self.confirm(),
                KeyCode::Left => {
                    self.focus = Focus::No;
                    ModalOutcome::Stay
                }
                KeyCode::Right => ModalOutcome::Stay,
                _ => self.explain_buttons(),
            },
        }
    }

    /// A key that does nothing on the button row says what the row does.
    fn explain_buttons(&mut self) -> ModalOutcome {
        self.problem = Some(BUTTONS_HINT.into());
        ModalOutcome::Stay
    }
}

/// What the button row does, said when a key there does nothing.
pub const BUTTONS_HINT: &str = "typing does nothing here: Enter presses the button in reverse video, Tab or \u{2192} moves to [ Yes ], Shift-Tab back to the fields, Esc cancels";

#[cfg(test)]
#[path = "modal_tests.rs"]
mod tests;
