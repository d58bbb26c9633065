//! The user view's state: one user's report (who, their groups with unread counts, their
//! 1:1 conversations) as it fills in, which list has the focus, and the rows selected.
//! The rules that change it are in `user_flow.rs`.

use crate::api::user::{C2cConversation, UserGroup, UserReport};
use crate::api::user_read::MessageRead;

/// The message the view was opened from (`u` on a member row): did they read it?
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadCheck {
    pub group: String,
    pub seq: u64,
    /// None while the lookup runs; the answer, or why there is none.
    pub result: Option<Result<MessageRead, String>>,
}

/// Which of the view's two lists has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserList {
    Groups,
    C2c,
}

/// `:user ACCOUNT` (or `u` on a member row): the view over the panes.
#[derive(Debug, Clone)]
pub struct UserView {
    pub account: String,
    /// Answers of another load are dropped by this.
    pub generation: u64,
    pub report: UserReport,
    pub focus: UserList,
    pub group_row: usize,
    pub c2c_row: usize,
    /// The lookups still running.
    pub loading: bool,
    /// The last lookup that failed, in words.
    pub problem: Option<String>,
    /// When the latest update arrived (Unix seconds): is an admin's mute still on?
    pub now: i64,
    /// Opened from a message: whether they read it, by receipt and by read position.
    pub read: Option<ReadCheck>,
}

impl UserView {
    pub fn new(account: &str, generation: u64) -> UserView {
        UserView {
            account: account.to_string(),
            generation,
            report: UserReport::new(account),
            focus: UserList::Groups,
            group_row: 0,
            c2c_row: 0,
            loading: true,
            problem: None,
            now: 0,
            read: None,
        }
    }

    /// The groups as shown: most unread first.
    pub fn groups(&self) -> Vec<&UserGroup> {
        self.report.groups_by_unread()
    }

    pub fn selected_group(&self) -> Option<&UserGroup> {
        self.groups().get(self.group_row).copied()
    }

    pub fn selected_c2c(&self) -> Option<&C2cConversation> {
        self.report.c2c.get(self.c2c_row)
    }

    /// Move the focused list's selection by `delta`, within its rows.
    pub fn move_by(&mut self, delta: isize) {
        let (row, len) = match self.focus {
            UserList::Groups => (&mut self.group_row, self.report.groups.len()),
            UserList::C2c => (&mut self.c2c_row, self.report.c2c.len()),
        };
        let last = len.saturating_sub(1) as isize;
        *row = (*row as isize + delta).clamp(0, last.max(0)) as usize;
    }
}
