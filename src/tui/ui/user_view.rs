//! The user view: who the user is (nickname, online state and devices), their groups
//! with their unread count in each (most unread first; an estimate, or why there is none;
//! whether they muted the group, and an admin's mute apart), and their 1:1 conversations
//! with the unread count of each. Over the panes; the status line stays.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

use super::spinner;
use super::text::{pad_left, pad_right, thousands};
use super::theme::Theme;
use crate::api::user::{SET_UNREAD_NOTIFIES_NOBODY, UNREAD_IS_AN_ESTIMATE, UserReport};
use crate::tui::model::app::App;
use crate::tui::model::user_view::{UserList, UserView};

fn who(app: &App, report: &UserReport) -> String {
    let mut parts = vec![crate::text::printable(&report.account)];
    match report.nick.as_deref() {
        Some("") => parts.push("no nickname".into()),
        Some(nick) => parts.push(crate::text::printable(nick)),
        None => {}
    }
    if let Some(online) = &report.online {
        let state = online
            .state
            .map_or("online state unknown".to_string(), |s| s.to_string());
        let devices: Vec<String> = online
            .platforms
            .iter()
            .map(|p| crate::text::printable(&p.platform))
            .collect();
        if devices.is_empty() {
            parts.push(state);
        } else {
            parts.push(format!("{state} ({})", devices.join(", ")));
        }
    } else if app.user.as_ref().is_some_and(|u| u.loading) {
        parts.push(format!("{} looking up", spinner(app)));
    }
    parts.join(" · ")
}

/// The mute flags of a group row: the user's own, and an admin's while it is on.
fn flags(g: &crate::api::user::UserGroup, now: i64) -> String {
    let mut flags = Vec::new();
    if g.muted() == Some(true) {
        flags.push("muted");
    }
    if g.admin_muted_at(now) {
        flags.push("admin-muted");
    }
    flags.join(",")
}

fn group_lines(
    view: &UserView,
    theme: &Theme,
    width: usize,
    height: usize,
    now: i64,
) -> Vec<Line<'static>> {
    let focused = view.focus == UserList::Groups;
    let groups = view.groups();
    let first = view.group_row.saturating_sub(height.saturating_sub(1));
    let shown = || groups.iter().skip(first).take(height);
    // The flags column is as wide as the widest flags shown; the name gets the rest.
    let flags_w = shown()
        .map(|g| super::text::width(&flags(g, now)))
        .max()
        .unwrap_or(0)
        .min(18);
    let name_w = width.saturating_sub(10 + 11 + flags_w + 1).max(8);
    shown()
        .enumerate()
        .map(|(i, g)| {
            let i = i + first;
            let name = if g.name.is_empty() {
                &g.group_id
            } else {
                &g.name
            };
            let unread = match g.unread.count() {
                Some(n) => format!("{} unread", thousands(n)),
                None => "no count".into(),
            };
            let text = format!(
                "{}{}{} {}",
                pad_right(name, name_w),
                pad_right(g.group_type.map_or("?", |t| t.label()), 10),
                pad_left(&unread, 11),
                pad_right(&flags(g, now), flags_w)
            );
            let style = if i == view.group_row {
                theme.selected(focused)
            } else if g.unread.count().is_some_and(|n| n > 0) {
                theme.unread()
            } else {
                theme.text()
            };
            Line::styled(text, style)
        })
        .collect()
}

fn c2c_lines(view: &UserView, theme: &Theme, width: usize, height: usize) -> Vec<Line<'static>> {
    let focused = view.focus == UserList::C2c;
    let first = view.c2c_row.saturating_sub(height.saturating_sub(1));
    let peer_w = width.saturating_sub(12 + 7).max(8);
    view.report
        .c2c
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(i, c)| {
            let unread = match (c.unread, c.code) {
                (Some(n), _) => format!("{} unread", thousands(n)),
                (None, 0) => "…".into(),
                (None, code) => format!("error {code}"),
            };
            let text = format!(
                "{}{}{}",
                pad_right(&c.peer, peer_w),
                pad_left(&unread, 12),
                if c.pinned { " pinned" } else { "" }
            );
            let style = if i == view.c2c_row {
                theme.selected(focused)
            } else if c.unread.is_some_and(|n| n > 0) {
                theme.unread()
            } else {
                theme.text()
            };
            Line::styled(text, style)
        })
        .collect()
}

/// "message 14: by receipt … · by read position … · read 14:02:11 · +3m": the message the
/// view was opened from, when there is one.
fn read_line(app: &App, view: &UserView) -> Option<String> {
    let check = view.read.as_ref()?;
    let answer = match &check.result {
        None => format!("{} looking up", spinner(app)),
        Some(Err(why)) => format!("could not be checked: {why}"),
        Some(Ok(read)) => {
            let mut parts = vec![
                format!("by receipt: {}", read.by_receipt.sentence()),
                format!("by read position: {}", read.position_sentence()),
            ];
            // When, from the incident store (webhook events, polls, scans).
            if app.stored.key.as_ref() == Some(&(check.group.clone(), check.seq))
                && let Some(r) = app.stored.read_of(&view.account)
                && let Some(target) = app.members.target.as_ref()
                && let Some(note) = super::read_time::note(app, r, target.time)
            {
                parts.push(note);
            }
            parts.join(" · ")
        }
    };
    Some(format!("message {}: {answer}", check.seq))
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, view: &UserView) {
    let rect = Rect {
        height: area.height.saturating_sub(app.status_rows),
        ..area
    };
    let report = &view.report;
    let block = Block::bordered()
        .border_type(BorderType::Thick)
        .title(Line::styled(format!(" User · {} ", who(app, report)), theme.title(true)))
        .title_bottom(
            Line::styled(
                " Tab list · j/k · M marks the 1:1 read · U sets the group's unread · r reloads · Esc closes ",
                theme.dim(),
            )
            .right_aligned(),
        );
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    if inner.height < 6 || inner.width < 40 {
        return;
    }
    let groups_total = report.groups_total.map_or("…".into(), thousands);
    let c2c_total = report.c2c_unread_total.map_or("…".into(), thousands);
    let summary = format!(
        "{groups_total} groups, {} unread in those listed (estimates) · {} 1:1 conversations, {c2c_total} unread in all",
        thousands(report.group_unread_sum()),
        report.c2c.len()
    );
    let mut notes = vec![Line::styled(summary, theme.bold())];
    if let Some(line) = read_line(app, view) {
        notes.push(Line::styled(line, theme.live()));
    }
    notes.push(Line::styled(UNREAD_IS_AN_ESTIMATE.to_string(), theme.dim()));
    notes.push(Line::styled(
        format!("U: {SET_UNREAD_NOTIFIES_NOBODY}"),
        theme.dim(),
    ));
    let top_rows = notes.len() as u16;
    let [top, lists] =
        Layout::vertical([Constraint::Length(top_rows), Constraint::Min(1)]).areas(inner);
    frame.render_widget(Paragraph::new(notes), top);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(64), Constraint::Percentage(36)]).areas(lists);
    let height = usize::from(lists.height.saturating_sub(1));
    let now = view.now;
    let mut g = vec![Line::styled(
        format!(
            "Groups (most unread first){}",
            if view.focus == UserList::Groups {
                " ◂"
            } else {
                ""
            }
        ),
        theme.column_header(),
    )];
    g.extend(group_lines(
        view,
        theme,
        usize::from(left.width),
        height,
        now,
    ));
    let mut c = vec![Line::styled(
        format!(
            "1:1 conversations{}",
            if view.focus == UserList::C2c {
                " ◂"
            } else {
                ""
            }
        ),
        theme.column_header(),
    )];
    c.extend(c2c_lines(
        view,
        theme,
        usize::from(right.width.saturating_sub(1)),
        height,
    ));
    frame.render_widget(Paragraph::new(g), left);
    frame.render_widget(
        Paragraph::new(c),
        Rect {
            x: right.x + 1,
            width: right.width.saturating_sub(1),
            ..right
        },
    );
    if let Some(problem) = &view.problem {
        let last = Rect {
            y: inner.y + inner.height.saturating_sub(1),
            height: 1,
            ..inner
        };
        frame.render_widget(
            Paragraph::new(Line::styled(
                format!("✗ {}", crate::text::printable(problem)),
                theme.error(),
            )),
            last,
        );
    }
}
