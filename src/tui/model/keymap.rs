//! One table of keys → actions. The help screen, the status-line hints and the command
//! palette are generated from it, so they cannot drift apart.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::pane::Pane;

/// Everything a key can do outside dialogs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Up,
    Down,
    Top,
    Bottom,
    LoadAll,
    PageUp,
    PageDown,
    NextPane,
    PrevPane,
    PaneLeft,
    PaneRight,
    Open,
    Back,
    ToggleList,
    Source,
    FillNames,
    People,
    User,
    ViewMessage,
    Filter,
    Refresh,
    Watch,
    Copy,
    Export,
    CancelExport,
    Events,
    Help,
    Palette,
    Quit,
    Suspend,
    MarkRead,
    SetUnread,
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every pane.
    Any,
    /// Only with a message's member list open.
    Members,
    /// A write: hidden entirely in read-only mode.
    Write,
}

/// Help sections, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Move,
    Panes,
    Act,
    Write,
    App,
}

impl Section {
    pub const ALL: [Section; 5] = [
        Section::Move,
        Section::Panes,
        Section::Act,
        Section::Write,
        Section::App,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Section::Move => "Move",
            Section::Panes => "Panes",
            Section::Act => "Look and act",
            Section::Write => "Writes (asks first; hidden with --read-only)",
            Section::App => "Dashboard",
        }
    }
}

/// A key: code plus the modifiers that matter (Shift is folded into the character).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

const fn code(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

/// One row of the table.
#[derive(Debug)]
pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub section: Section,
    pub scope: Scope,
    /// Line in the help screen.
    pub help: &'static str,
    /// Short hint for the status line (None: not hinted).
    pub hint: Option<&'static str>,
    /// Command-palette name (None: not in the palette).
    pub command: Option<&'static str>,
}

/// The keymap.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    Binding { keys: &[k('j'), code(KeyCode::Down)], action: Action::Down, section: Section::Move, scope: Scope::Any, help: "move down", hint: Some("j/k move"), command: None },
    Binding { keys: &[k('k'), code(KeyCode::Up)], action: Action::Up, section: Section::Move, scope: Scope::Any, help: "move up", hint: None, command: None },
    Binding { keys: &[k('g'), code(KeyCode::Home)], action: Action::Top, section: Section::Move, scope: Scope::Any, help: "first row", hint: None, command: None },
    Binding { keys: &[k('G'), code(KeyCode::End)], action: Action::Bottom, section: Section::Move, scope: Scope::Any, help: "last loaded row", hint: None, command: None },
    Binding { keys: &[k('>')], action: Action::LoadAll, section: Section::Move, scope: Scope::Any, help: "load every page, go to end", hint: None, command: Some("all") },
    Binding { keys: &[code(KeyCode::PageDown), ctrl('d'), ctrl('f')], action: Action::PageDown, section: Section::Move, scope: Scope::Any, help: "page down", hint: None, command: None },
    Binding { keys: &[code(KeyCode::PageUp), ctrl('u'), ctrl('b')], action: Action::PageUp, section: Section::Move, scope: Scope::Any, help: "page up", hint: None, command: None },
    Binding { keys: &[code(KeyCode::Tab)], action: Action::NextPane, section: Section::Panes, scope: Scope::Any, help: "next pane", hint: Some("Tab pane"), command: None },
    Binding { keys: &[code(KeyCode::BackTab)], action: Action::PrevPane, section: Section::Panes, scope: Scope::Any, help: "previous pane", hint: None, command: None },
    Binding { keys: &[k('h'), code(KeyCode::Left)], action: Action::PaneLeft, section: Section::Panes, scope: Scope::Any, help: "pane to the left / above", hint: None, command: None },
    Binding { keys: &[k('l'), code(KeyCode::Right)], action: Action::PaneRight, section: Section::Panes, scope: Scope::Any, help: "pane to the right / below", hint: None, command: None },
    Binding { keys: &[code(KeyCode::Enter)], action: Action::Open, section: Section::Panes, scope: Scope::Any, help: "open the selected group / message", hint: Some("Enter open"), command: None },
    Binding { keys: &[code(KeyCode::Esc)], action: Action::Back, section: Section::Panes, scope: Scope::Any, help: "clear the filter, else back one pane", hint: None, command: None },
    Binding { keys: &[k('t')], action: Action::ToggleList, section: Section::Act, scope: Scope::Members, help: "members: switch Unread / Read list", hint: Some("t unread/read"), command: Some("toggle") },
    Binding { keys: &[k('s')], action: Action::Source, section: Section::Act, scope: Scope::Members, help: "members: receipt or read positions", hint: None, command: Some("source") },
    Binding { keys: &[k('N')], action: Action::FillNames, section: Section::Act, scope: Scope::Members, help: "members: look up all names", hint: None, command: Some("names") },
    Binding { keys: &[k('o')], action: Action::People, section: Section::Act, scope: Scope::Members, help: "members: all / not online / muted", hint: None, command: Some("people") },
    Binding { keys: &[k('u')], action: Action::User, section: Section::Act, scope: Scope::Members, help: "members: the member's user view", hint: None, command: None },
    Binding { keys: &[k('v')], action: Action::ViewMessage, section: Section::Act, scope: Scope::Any, help: "the message in full", hint: None, command: Some("view") },
    Binding { keys: &[k('/')], action: Action::Filter, section: Section::Act, scope: Scope::Any, help: "filter (Groups: all, once indexed)", hint: Some("/ filter"), command: None },
    Binding { keys: &[k('r')], action: Action::Refresh, section: Section::Act, scope: Scope::Any, help: "refresh this pane, or retry after an error", hint: None, command: Some("refresh") },
    Binding { keys: &[k('w')], action: Action::Watch, section: Section::App, scope: Scope::Any, help: "watch mode: re-poll the counts", hint: None, command: Some("watch") },
    Binding { keys: &[k('y')], action: Action::Copy, section: Section::Act, scope: Scope::Any, help: "copy the selected ID (OSC 52)", hint: Some("y copy"), command: Some("copy") },
    Binding { keys: &[k('e')], action: Action::Export, section: Section::Act, scope: Scope::Members, help: "export the whole member list to CSV", hint: Some("e export"), command: Some("export") },
    Binding { keys: &[k('x')], action: Action::CancelExport, section: Section::App, scope: Scope::Any, help: "cancel the running export", hint: None, command: Some("cancel") },
    Binding { keys: &[k('E')], action: Action::Events, section: Section::App, scope: Scope::Any, help: "show/hide live events and read chart", hint: None, command: Some("events") },
    Binding { keys: &[k('M')], action: Action::MarkRead, section: Section::Write, scope: Scope::Write, help: "mark a 1:1 read (admin_set_msg_read)", hint: Some("M mark read"), command: Some("mark-read") },
    Binding { keys: &[k('U')], action: Action::SetUnread, section: Section::Write, scope: Scope::Write, help: "set an unread count (set_unread_msg_num)", hint: Some("U set unread"), command: Some("set-unread") },
    Binding { keys: &[k('?')], action: Action::Help, section: Section::App, scope: Scope::Any, help: "this help", hint: Some("? help"), command: Some("help") },
    Binding { keys: &[k(':')], action: Action::Palette, section: Section::App, scope: Scope::Any, help: "command palette (:group ID, ...)", hint: None, command: None },
    Binding { keys: &[ctrl('z')], action: Action::Suspend, section: Section::App, scope: Scope::Any, help: "suspend (fg to come back)", hint: None, command: None },
    Binding { keys: &[k('q'), ctrl('c')], action: Action::Quit, section: Section::App, scope: Scope::Any, help: "quit", hint: Some("q quit"), command: Some("quit") },
];

/// Keys of dialogs and inputs, for the help screen.
pub const DIALOG_KEYS: &[(&str, &str)] = &[
    (
        "Tab / Shift-Tab",
        "next / previous field or button (Shift-Tab stops at the first field)",
    ),
    (
        "Enter",
        "in a field: the next field, after the last one [ No ]; on a button: press it",
    ),
    (
        "→ / ←",
        "on the buttons: → [ Yes ], ← [ No ]; only Enter on [ Yes ] sends",
    ),
    ("Esc", "cancel (a dialog's default answer is always No)"),
    (
        "e",
        "after a failed write: back to the fields to fix and retry",
    ),
];

/// What a write key or command says in read-only mode.
pub const READ_ONLY_REFUSAL: &str =
    "writes are off (read-only: --read-only or read_only = true in the profile)";

/// Is the binding available (write keys are hidden in read-only mode)?
pub fn available(binding: &Binding, read_only: bool) -> bool {
    !(read_only && binding.scope == Scope::Write)
}

/// The action bound to a key press, if any.
pub fn action_for(key: &KeyEvent, read_only: bool) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    BINDINGS
        .iter()
        .filter(|b| available(b, read_only))
        .find(|b| b.keys.iter().any(|k| k.code == key.code && k.ctrl == ctrl))
        .map(|b| b.action)
}

/// How a key is written in help and hints.
pub fn key_label(key: &Key) -> String {
    let base = match key.code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Down => "↓".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        other => format!("{other:?}"),
    };
    if key.ctrl {
        format!("Ctrl-{}", base.to_uppercase())
    } else {
        base
    }
}

/// All keys of a binding, e.g. `j ↓`.
pub fn keys_label(binding: &Binding) -> String {
    binding
        .keys
        .iter()
        .map(key_label)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Status-line hints for the focused pane, in table order.
pub fn hints(focus: Pane, members_open: bool, read_only: bool) -> Vec<&'static str> {
    BINDINGS
        .iter()
        .filter(|b| available(b, read_only))
        .filter(|b| match b.scope {
            Scope::Members => members_open && focus == Pane::Members,
            Scope::Write => focus == Pane::Members,
            Scope::Any => true,
        })
        .filter_map(|b| b.hint)
        .collect()
}

/// Palette commands that map straight to an action.
pub fn command_action(name: &str, read_only: bool) -> Option<Action> {
    BINDINGS
        .iter()
        .filter(|b| available(b, read_only))
        .find(|b| b.command == Some(name))
        .map(|b| b.action)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn keys_map_to_actions() {
        assert_eq!(
            action_for(&press(KeyCode::Char('j'), KeyModifiers::NONE), false),
            Some(Action::Down)
        );
        assert_eq!(
            action_for(&press(KeyCode::Char('G'), KeyModifiers::SHIFT), false),
            Some(Action::Bottom)
        );
        assert_eq!(
            action_for(&press(KeyCode::Char('c'), KeyModifiers::CONTROL), false),
            Some(Action::Quit)
        );
        assert_eq!(
            action_for(&press(KeyCode::BackTab, KeyModifiers::SHIFT), false),
            Some(Action::PrevPane)
        );
        assert_eq!(
            action_for(&press(KeyCode::Char('Z'), KeyModifiers::NONE), false),
            None
        );
    }

    #[test]
    fn write_keys_vanish_in_read_only_mode() {
        let m = press(KeyCode::Char('M'), KeyModifiers::SHIFT);
        assert_eq!(action_for(&m, false), Some(Action::MarkRead));
        assert_eq!(action_for(&m, true), None);
        assert!(!hints(Pane::Members, true, true).contains(&"M mark read"));
        assert!(hints(Pane::Members, true, false).contains(&"M mark read"));
        assert_eq!(command_action("set-unread", true), None);
    }

    #[test]
    fn no_key_is_bound_twice() {
        let mut seen = Vec::new();
        for b in BINDINGS {
            for key in b.keys {
                assert!(!seen.contains(key), "{key:?} bound twice");
                seen.push(*key);
            }
        }
    }
}

/// The key table as Markdown (README.md carries exactly this; a test checks).
pub fn markdown_table() -> String {
    let mut out = String::from("| keys | what it does |\n|---|---|\n");
    for section in Section::ALL {
        for b in BINDINGS.iter().filter(|b| b.section == section) {
            let keys = b
                .keys
                .iter()
                .map(|k| format!("`{}`", key_label(k)))
                .collect::<Vec<_>>()
                .join(" ");
            out.push_str(&format!("| {keys} | {} |\n", b.help));
        }
    }
    for (keys, help) in DIALOG_KEYS {
        out.push_str(&format!("| {keys} (dialogs) | {help} |\n"));
    }
    out
}

#[cfg(test)]
mod readme_tests {
    #[test]
    fn readme_lists_every_key() {
        let readme = include_str!("../../../README.md");
        let table = super::markdown_table();
        assert!(
            readme.contains(&table),
            "README.md must contain the key table generated from the keymap:\n{table}"
        );
    }
}
