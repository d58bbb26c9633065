//! Names beside account IDs (never instead of them), the selected member's "who is this"
//! line, and the row layout every member list shares: account, name, then the note (read
//! state or time) on the right. Names come from the service: made printable first.

use ratatui::style::Style;

use super::theme::Theme;
use ratatui::text::Span;

use super::text::{clock, day, pad_left, pad_right, width};
use crate::api::GroupType;
use crate::tui::model::app::App;

/// The name to show beside `account` in `group`: its name card, else its nickname.
pub fn name_of(app: &App, group: Option<&str>, account: &str) -> Option<String> {
    app.members
        .names
        .name(group, account)
        .map(crate::text::printable)
}

/// One member row: the account, its name (when known and the row is wide enough), and
/// `note` right-aligned, in `width` cells.
pub fn member_row(
    account: &str,
    name: Option<&str>,
    note: Option<(&str, Style)>,
    width: usize,
) -> Vec<Span<'static>> {
    let note_cells = note.map_or(0, |(n, _)| self::width(n) + 2);
    let (acc, name_cells) = match width.saturating_sub(note_cells) {
        w if w >= 44 => (22, w - 22),
        w if w >= 32 => (18, w - 18),
        w => (w, 0),
    };
    let mut spans = vec![Span::raw(pad_right(account, acc))];
    if name_cells > 0 {
        spans.push(Span::raw(pad_right(name.unwrap_or(""), name_cells)));
    }
    if let Some((n, style)) = note {
        spans.push(Span::styled(pad_left(n, note_cells), style));
    }
    spans
}

/// "who is this" for the selected member: name, role, when they joined, whether they
/// muted the group, and their online state with devices (as far as looked up).
pub fn who_is(app: &App) -> Option<String> {
    let target = app.members.target.as_ref()?;
    let account = app.members.selected_account()?;
    let book = &app.members.names;
    let mut parts = vec![crate::text::printable(account)];
    if let Some(name) = name_of(app, Some(&target.group), account) {
        parts.push(name);
    }
    if let Some(m) = book.member(&target.group, account) {
        if !m.role.is_empty() {
            parts.push(crate::text::printable(&m.role));
        }
        if m.join_time > 0 {
            let offset = app.ctx.utc_offset;
            parts.push(format!(
                "joined {} {}",
                day(m.join_time, offset),
                clock(m.join_time, offset)
            ));
        }
        match m.muted() {
            Some(true) => parts.push("muted the group".into()),
            Some(false) => {}
            None if target.group_type == Some(GroupType::AVChatRoom) => {}
            None => {}
        }
    }
    match book.presence(account) {
        Some(p) => match p.state {
            Some(state) => {
                let devices: Vec<String> = p
                    .platforms
                    .iter()
                    .map(|d| crate::text::printable(&d.platform))
                    .collect();
                if devices.is_empty() {
                    parts.push(state.to_string());
                } else {
                    parts.push(format!("{state} ({})", devices.join(", ")));
                }
            }
            None if p.code == 70107 => parts.push("no such account".into()),
            None => parts.push("online state unknown".into()),
        },
        None if app.members.presence_pending.is_some() => parts.push("online…".into()),
        None => {}
    }
    Some(parts.join(" · "))
}

/// While `/` searches: how many rows have their names, and `N` when some do not.
pub fn names_coverage(app: &App, theme: &Theme) -> Option<Span<'static>> {
    // Names matter to a search by text, not to `o`.
    if app.members.filter.query().is_empty() {
        return None;
    }
    let coverage = app.members.name_coverage();
    (!coverage.complete()).then(|| Span::styled(format!("· {coverage} · N: all "), theme.dim()))
}

/// The members border while a filter is on: " /wang · not online · 3 matches ".
pub fn filter_label(app: &App) -> String {
    let pane = &app.members;
    let mut what = Vec::new();
    if !pane.filter.query().is_empty() {
        what.push(format!("/{}", crate::text::printable(pane.filter.query())));
    }
    if pane.people != crate::tui::model::panes::PeopleFilter::All {
        what.push(pane.people.label().to_string());
    }
    what.push(crate::text::count_of(
        crate::tui::model::panes::ListPane::visible_len(pane) as u64,
        "match",
        "matches",
    ));
    format!(" {} ", what.join(" · "))
}

/// After the read state on a member row: their role when it is not a plain member, and
/// their online state once looked up ("Admin · Offline"), as far as known.
pub fn role_and_status(app: &App, group: &str, account: &str) -> Option<String> {
    let book = &app.members.names;
    let mut parts = Vec::new();
    if let Some(m) = book.member(group, account)
        && !m.role.is_empty()
        && m.role != "Member"
    {
        parts.push(crate::text::printable(&m.role));
    }
    if let Some(state) = book.presence(account).and_then(|p| p.state) {
        parts.push(state.to_string());
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// A row's note: the read state or time, then role and status (each when known).
pub fn with_role_and_status(
    app: &App,
    group: &str,
    account: &str,
    note: Option<String>,
) -> Option<String> {
    match (note, role_and_status(app, group, account)) {
        (Some(n), Some(r)) => Some(format!("{n} · {r}")),
        (n, r) => n.or(r),
    }
}
