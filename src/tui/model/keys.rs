//! The key side of `update`: the key press reaches the dialog, the help screen, the prompt
//! or the keymap, in that order; Ctrl-C quits from anywhere.

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::app::{App, LOOKUP_DEBOUNCE, Prompt};
use super::event::Effect;
use super::keymap::{self, Action};
use super::layout;
use super::modal::{Current, ModalOutcome, Stage};
use super::palette;
use super::pane::Pane;

impl App {
    pub(super) fn on_key(&mut self, key: KeyEvent, fx: &mut Vec<Effect>) -> bool {
        if key.kind == KeyEventKind::Release {
            return false;
        }
        // Ctrl-C quits from anywhere: help, the palette, a filter, a dialog (whose write is
        // then not sent; one already on its way is in the audit log).
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            let unsent = self
                .modal
                .as_ref()
                .is_some_and(|m| m.stage == Stage::Editing);
            if unsent {
                tracing::info!("quit from a write dialog: nothing sent");
            }
            self.quit(fx);
            return true;
        }
        if self.modal.is_some() {
            return self.on_modal_key(key, fx);
        }
        if let Some(scroll) = self.help {
            self.help = match key.code {
                KeyCode::Char('j') | KeyCode::Down => Some(scroll.saturating_add(1)),
                KeyCode::Char('k') | KeyCode::Up => Some(scroll.saturating_sub(1)),
                KeyCode::PageDown => Some(scroll.saturating_add(10)),
                KeyCode::PageUp => Some(scroll.saturating_sub(10)),
                KeyCode::Char('g') | KeyCode::Home => Some(0),
                _ => None,
            };
            return true;
        }
        if self.search.picker.is_some() {
            return self.on_picker_key(key, fx);
        }
        // Any key closes the message view (Ctrl-C, above, still quits).
        if self.message_view.take().is_some() {
            return true;
        }
        if self.prompt.is_some() {
            return self.on_prompt_key(key, fx);
        }
        // The user view takes its keys; the others (`:`, `?`...) work as anywhere.
        if self.user.is_some() && self.on_user_key(key, fx) {
            return true;
        }
        let action = keymap::action_for(&key, self.ctx.read_only);
        if action != Some(Action::Quit) {
            self.quit_armed = false;
        }
        match action {
            Some(action) => self.on_action(action, fx),
            // A write key in read-only mode says why nothing happens.
            None if self.ctx.read_only && keymap::action_for(&key, false).is_some() => {
                self.status.notice = Some(keymap::READ_ONLY_REFUSAL.into());
                true
            }
            None => false,
        }
    }

    fn on_modal_key(&mut self, key: KeyEvent, fx: &mut Vec<Effect>) -> bool {
        let Some(modal) = self.modal.as_mut() else {
            return false;
        };
        let member_before = modal.member().map(str::to_string);
        let outcome = modal.on_key(key);
        if modal.member() != member_before.as_deref() {
            // The account changed: the count shown is someone else's. Look it up again
            // once typing pauses (stale answers are dropped by account).
            modal.current = Some(Current::Loading);
            self.lookup_token = self.next_id();
            fx.push(Effect::Debounce {
                token: self.lookup_token,
                after: LOOKUP_DEBOUNCE,
            });
        }
        let Some(modal) = self.modal.as_mut() else {
            return true;
        };
        match outcome {
            ModalOutcome::Stay => {}
            ModalOutcome::Cancelled => {
                self.status.notice = Some("cancelled: nothing was sent".into());
                self.modal = None;
            }
            ModalOutcome::Closed => self.modal = None,
            ModalOutcome::Send(action) => {
                tracing::info!(action = action.name(), target = %action.target(), "write confirmed in the dashboard");
                fx.push(Effect::Write {
                    modal: modal.id,
                    action,
                });
            }
        }
        true
    }

    fn on_prompt_key(&mut self, key: KeyEvent, fx: &mut Vec<Effect>) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let Some(prompt) = self.prompt.as_mut() else {
            return false;
        };
        match prompt {
            Prompt::Filter { pane, input } => {
                let pane = *pane;
                match key.code {
                    KeyCode::Esc => {
                        self.prompt = None;
                        self.set_filter(pane, "");
                    }
                    KeyCode::Char('c') if ctrl => {
                        self.prompt = None;
                        self.set_filter(pane, "");
                    }
                    KeyCode::Enter => self.prompt = None,
                    _ => {
                        if input
                            .handle_event(&ratatui::crossterm::event::Event::Key(key))
                            .is_some()
                        {
                            let query = input.value().to_string();
                            self.set_filter(pane, &query);
                        }
                    }
                }
            }
            Prompt::Palette { input } => match key.code {
                KeyCode::Esc => self.prompt = None,
                KeyCode::Char('c') if ctrl => self.prompt = None,
                KeyCode::Tab => {
                    let typed = input.value().to_string();
                    let done = if typed.starts_with("user ") {
                        self.complete_user(&typed)
                    } else {
                        palette::complete(&typed, self.ctx.read_only)
                    };
                    if let (Some(done), Some(Prompt::Palette { input })) =
                        (done, self.prompt.as_mut())
                    {
                        *input = Input::new(done);
                    }
                }
                KeyCode::Enter => {
                    let line = input.value().to_string();
                    self.prompt = None;
                    self.run_command(&line, fx);
                }
                _ => {
                    input.handle_event(&ratatui::crossterm::event::Event::Key(key));
                }
            },
        }
        true
    }

    /// `--mouse`: the wheel scrolls the pane under the pointer, a click focuses it.
    pub(super) fn on_mouse(&mut self, mouse: MouseEvent, fx: &mut Vec<Effect>) -> bool {
        let Some(areas) = layout::areas(self.area(), self.show_events, self.status_rows) else {
            return false;
        };
        let at = ratatui::layout::Position::new(mouse.column, mouse.row);
        let Some(pane) = Pane::ORDER.into_iter().find(|p| areas.of(*p).contains(at)) else {
            return false;
        };
        match mouse.kind {
            MouseEventKind::ScrollDown => {
                self.focus = pane;
                self.on_action(Action::Down, fx)
            }
            MouseEventKind::ScrollUp => {
                self.focus = pane;
                self.on_action(Action::Up, fx)
            }
            MouseEventKind::Down(MouseButton::Left) => {
                self.focus = pane;
                true
            }
            _ => false,
        }
    }
}
