//! The user view in `update`: open it (`:user ACCOUNT`, `u` on a member row), take the
//! report's updates as the calls come back, move in its two lists, and write from it (`M`
//! on a 1:1 row marks that conversation read, `U` on a group row sets the user's unread
//! count there); after a write the report is read again, so the counts shown are the
//! service's. No I/O.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::api::user::UserUpdate;

use super::app::App;
use super::event::Effect;
use super::keymap::{self, Action};
use super::modal::WriteModal;
use super::user_view::{ReadCheck, UserList, UserView};
use crate::api::user_read::MessageRead;

impl App {
    /// Open the view of `account` and start its lookups.
    pub(super) fn open_user(&mut self, account: &str, fx: &mut Vec<Effect>) -> bool {
        let account = account.trim();
        if account.is_empty() {
            self.status.notice = Some(format!(
                "user needs an account ID, e.g. :user nora.ops ({})",
                crate::api::user::NO_NICKNAME_SEARCH
            ));
            return true;
        }
        let generation = self.next_id();
        self.user = Some(UserView::new(account, generation));
        fx.push(Effect::LoadUser {
            generation,
            account: account.to_string(),
        });
        true
    }

    /// `u`: the view of the selected member, with whether they read the open message.
    pub(super) fn open_selected_user(&mut self, fx: &mut Vec<Effect>) -> bool {
        match self.members.selected_account().cloned() {
            Some(account) => {
                self.open_user(&account, fx);
                let target = self
                    .members
                    .target
                    .as_ref()
                    .map(|t| (t.group.clone(), t.seq));
                if let (Some(view), Some((group, seq))) = (self.user.as_mut(), target) {
                    view.read = Some(ReadCheck {
                        group: group.clone(),
                        seq,
                        result: None,
                    });
                    fx.push(Effect::LoadUserRead {
                        generation: view.generation,
                        account,
                        group,
                        seq,
                    });
                }
                true
            }
            None => {
                self.status.notice = Some("select a member in the Members pane first".into());
                true
            }
        }
    }

    /// An update of the report of load `generation`.
    pub(super) fn on_user_update(&mut self, generation: u64, update: UserUpdate, at: i64) -> bool {
        let Some(view) = self.user.as_mut().filter(|v| v.generation == generation) else {
            return false;
        };
        view.now = at;
        match &update {
            UserUpdate::Problem(line) => view.problem = Some(line.clone()),
            UserUpdate::Done => view.loading = false,
            _ => {}
        }
        view.report.apply(update);
        true
    }

    /// Whether the user read the message the view was opened from.
    pub(super) fn on_user_read(
        &mut self,
        generation: u64,
        result: Result<MessageRead, String>,
    ) -> bool {
        match self.user.as_mut().filter(|v| v.generation == generation) {
            Some(view) => {
                if let Some(check) = view.read.as_mut() {
                    check.result = Some(result);
                }
                true
            }
            None => false,
        }
    }

    /// A key while the view is open.
    pub(super) fn on_user_key(&mut self, key: KeyEvent, fx: &mut Vec<Effect>) -> bool {
        let Some(view) = self.user.as_mut() else {
            return false;
        };
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => self.user = None,
            KeyCode::Tab | KeyCode::BackTab => {
                view.focus = match view.focus {
                    UserList::Groups => UserList::C2c,
                    UserList::C2c => UserList::Groups,
                }
            }
            KeyCode::Char('j') | KeyCode::Down => view.move_by(1),
            KeyCode::Char('k') | KeyCode::Up => view.move_by(-1),
            KeyCode::PageDown => view.move_by(10),
            KeyCode::PageUp => view.move_by(-10),
            KeyCode::Char('r') => {
                let account = view.account.clone();
                return self.open_user(&account, fx);
            }
            KeyCode::Char('M') | KeyCode::Char('U') if self.ctx.read_only => {
                self.status.notice = Some(keymap::READ_ONLY_REFUSAL.into());
            }
            KeyCode::Char('M') => return self.user_mark_read(),
            KeyCode::Char('U') => return self.user_set_unread(fx),
            _ => return false,
        }
        true
    }

    /// `M` on a 1:1 row: the mark-read dialog with both accounts filled in.
    fn user_mark_read(&mut self) -> bool {
        let Some(view) = self.user.as_ref() else {
            return false;
        };
        let Some(peer) = view
            .selected_c2c()
            .filter(|_| view.focus == UserList::C2c)
            .map(|c| c.peer.clone())
        else {
            self.status.notice =
                Some("M marks a 1:1 conversation read: Tab to the 1:1 list, pick one".into());
            return true;
        };
        let account = view.account.clone();
        let id = self.next_id();
        self.modal = Some(WriteModal::mark_read_with(id, &account, &peer));
        true
    }

    /// `U` on a group row: the set-unread dialog for the user in that group.
    fn user_set_unread(&mut self, fx: &mut Vec<Effect>) -> bool {
        let Some(view) = self.user.as_ref() else {
            return false;
        };
        let Some(group) = view
            .selected_group()
            .filter(|_| view.focus == UserList::Groups)
            .cloned()
        else {
            self.status.notice =
                Some("U sets the unread count in a group: pick one in the groups list".into());
            return true;
        };
        let account = view.account.clone();
        let id = self.next_id();
        self.modal = Some(WriteModal::set_unread(
            id,
            &group.group_id,
            group.group_type,
            &account,
        ));
        fx.push(Effect::FetchCurrentUnread {
            modal: id,
            group: group.group_id,
            member: account,
        });
        true
    }

    /// A write finished while the view is open: read the user again (the counts shown
    /// are the service's, not ours).
    pub(super) fn refresh_user_after_write(&mut self, fx: &mut Vec<Effect>) {
        if let Some(account) = self.user.as_ref().map(|v| v.account.clone()) {
            let (g, c, focus) = self.user.as_ref().map_or((0, 0, UserList::Groups), |v| {
                (v.group_row, v.c2c_row, v.focus)
            });
            self.open_user(&account, fx);
            if let Some(v) = self.user.as_mut() {
                (v.group_row, v.c2c_row, v.focus) = (g, c, focus);
            }
        }
    }

    /// The keymap's `u`.
    pub(super) fn user_action(&mut self, action: Action, fx: &mut Vec<Effect>) -> bool {
        match action {
            Action::User => self.open_selected_user(fx),
            _ => false,
        }
    }
}
