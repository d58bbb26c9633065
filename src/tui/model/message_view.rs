//! `v`: the selected message in full (its whole text, sender with name, time with its
//! zone, seq, whether it has a receipt), over the panes until a key closes it.

use super::app::App;

impl App {
    /// Open the selected message in full.
    pub(super) fn open_message_view(&mut self) -> bool {
        match self.messages.selected() {
            Some(row) => {
                self.message_view = Some(row.message.seq);
                true
            }
            None => {
                self.status.notice = Some("no message selected: open a group first".into());
                true
            }
        }
    }
}
