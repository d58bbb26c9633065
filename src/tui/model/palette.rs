//! The `:` command palette: a few typed commands, plus every keymap action that has a
//! command name.

use crate::api::ReceiptFilter;

use super::keymap::{self, Action, BINDINGS};

/// A parsed palette line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `group @TGS#...`: open a group by ID.
    Group(String),
    /// `user ACCOUNT`: one user's view.
    User(String),
    /// `watch`, `watch 5`, `watch off`.
    Watch(WatchSetting),
    /// `read` / `unread`: which member list to show.
    List(ReceiptFilter),
    /// `filter TEXT`: filter the focused pane.
    Filter(String),
    /// `export PATH`: the member list to a directory or a file.
    Export(std::path::PathBuf),
    /// A keymap action by its command name (`export`, `quit`...).
    Action(Action),
    /// An empty line.
    Nothing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchSetting {
    Toggle,
    Off,
    Every(u64),
}

/// Commands that take arguments or are not keymap actions: (usage, help).
const TYPED: &[(&str, &str)] = &[
    ("group @TGS#…", "open a group by ID, or by name"),
    (
        "user ACCOUNT",
        "one user's view (Tab completes accounts whose names are known)",
    ),
    (
        "watch [SECS|off]",
        "watch mode on (every SECS s), toggle, or off",
    ),
    ("read", "members: show the Read list"),
    ("unread", "members: show the Unread list"),
    ("filter TEXT", "filter the focused pane (empty clears)"),
];

/// Every command with its help, for the palette's suggestion list.
pub fn commands(read_only: bool) -> Vec<(String, &'static str)> {
    let mut all: Vec<(String, &'static str)> = TYPED
        .iter()
        .map(|(usage, help)| (usage.to_string(), *help))
        .collect();
    all.extend(
        BINDINGS
            .iter()
            .filter(|b| keymap::available(b, read_only))
            .filter_map(|b| b.command.map(|c| (c.to_string(), b.help))),
    );
    all
}

/// Suggestions for what is typed so far (matching the first word).
pub fn suggestions(typed: &str, read_only: bool) -> Vec<(String, &'static str)> {
    let word = typed.split_whitespace().next().unwrap_or("").to_lowercase();
    commands(read_only)
        .into_iter()
        .filter(|(usage, _)| usage.starts_with(&word))
        .collect()
}

/// Tab completion: the single command that starts with what is typed.
pub fn complete(typed: &str, read_only: bool) -> Option<String> {
    if typed.contains(' ') {
        return None;
    }
    let matches = suggestions(typed, read_only);
    match matches.as_slice() {
        [(usage, _)] => {
            let name = usage.split_whitespace().next().unwrap_or(usage);
            let takes_arg = usage.contains(' ');
            Some(if takes_arg {
                format!("{name} ")
            } else {
                name.to_string()
            })
        }
        _ => None,
    }
}

/// Parse a palette line.
pub fn parse(line: &str, read_only: bool) -> Result<Command, String> {
    let line = line.trim();
    let line = line.strip_prefix(':').unwrap_or(line).trim();
    if line.is_empty() {
        return Ok(Command::Nothing);
    }
    let (name, rest) = match line.split_once(char::is_whitespace) {
        Some((n, r)) => (n, r.trim()),
        None => (line, ""),
    };
    match name.to_lowercase().as_str() {
        "group" | "g" => {
            if rest.is_empty() {
                Err(
                    "group needs an ID or a name, e.g. :group @TGS#2TTV7VSII or :group payments"
                        .into(),
                )
            } else {
                Ok(Command::Group(rest.to_string()))
            }
        }
        "user" if rest.is_empty() => Err(format!(
            "user needs an account ID, e.g. :user nora.ops ({})",
            crate::api::user::NO_NICKNAME_SEARCH
        )),
        "user" => Ok(Command::User(rest.to_string())),
        "watch" => match rest.to_lowercase().as_str() {
            "" => Ok(Command::Watch(WatchSetting::Toggle)),
            "off" | "stop" => Ok(Command::Watch(WatchSetting::Off)),
            secs => match secs.trim_end_matches('s').parse::<u64>() {
                Ok(n) if (1..=3600).contains(&n) => Ok(Command::Watch(WatchSetting::Every(n))),
                _ => Err(format!(
                    "watch takes seconds from 1 to 3600 or \"off\", not {rest:?}"
                )),
            },
        },
        "read" => Ok(Command::List(ReceiptFilter::Read)),
        "unread" => Ok(Command::List(ReceiptFilter::Unread)),
        "filter" => Ok(Command::Filter(rest.to_string())),
        "q" | "quit" | "exit" => Ok(Command::Action(Action::Quit)),
        "export" if !rest.is_empty() => Ok(Command::Export(rest.into())),
        other if read_only && keymap::command_action(other, false).is_some() => {
            Err(format!("{other}: {}", keymap::READ_ONLY_REFUSAL))
        }
        other => match keymap::command_action(other, read_only) {
            Some(action) => Ok(Command::Action(action)),
            None => Err(format!("unknown command {other:?}")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands() {
        assert_eq!(
            parse(":group @TGS#abc", false),
            Ok(Command::Group("@TGS#abc".into()))
        );
        assert_eq!(
            parse("watch 5", false),
            Ok(Command::Watch(WatchSetting::Every(5)))
        );
        assert_eq!(
            parse("watch off", false),
            Ok(Command::Watch(WatchSetting::Off))
        );
        assert!(parse("watch 0", false).is_err());
        assert_eq!(parse("export", false), Ok(Command::Action(Action::Export)));
        assert_eq!(parse("  ", false), Ok(Command::Nothing));
        assert!(parse("group", false).is_err());
        assert!(parse("frobnicate", false).is_err());
    }

    #[test]
    fn write_commands_are_hidden_in_read_only_mode() {
        assert_eq!(
            parse("mark-read", false),
            Ok(Command::Action(Action::MarkRead))
        );
        assert!(parse("mark-read", true).is_err());
        assert!(
            !commands(true)
                .iter()
                .any(|(c, _)| c == "mark-read" || c == "set-unread")
        );
    }

    #[test]
    fn completes_unique_prefix() {
        assert_eq!(complete("gr", false).as_deref(), Some("group "));
        assert_eq!(complete("exp", false).as_deref(), Some("export"));
        assert_eq!(complete("e", false), None, "export and events");
    }
}
