//! The groups pane: group IDs paged in, names and types filled in for visible rows.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::{self, pad_left, pad_right, thousands};
use super::theme::Theme;
use super::{empty_list_line, pane_block, placeholder, spinner};
use crate::tui::model::app::App;
use crate::tui::model::paged::PageState;
use crate::tui::model::pane::Pane;
use crate::tui::model::panes::GroupDetails;
use crate::tui::model::panes::ListPane;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let pane = &app.groups;
    let focused = app.focus == Pane::Groups;
    let count = match pane.list.total() {
        Some(total) => thousands(total),
        None if pane.list.is_empty() => "…".to_string(),
        None => thousands(pane.list.len() as u64),
    };
    let title = vec![
        Span::styled(" Groups ", theme.title(focused)),
        Span::styled(format!("{count} "), theme.dim()),
    ];
    let footer = footer(app, theme);
    let block = pane_block(theme, focused, title, footer);
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let len = pane.visible_len();
    if len == 0 {
        let line = empty_list_line(
            app,
            theme,
            pane.list.state(),
            pane.list.is_loading(),
            !pane.filter.is_empty(),
            "group",
            "no groups in this app",
        );
        frame.render_widget(placeholder(line), inner);
        return;
    }

    let width = usize::from(inner.width);
    let height = usize::from(inner.height);
    // Rows of the visible window only: (name, type label, style).
    let rows: Vec<(usize, String, String, Style)> = pane
        .view
        .window(len, height)
        .filter_map(|row| {
            let id = pane.filter.item_index(row).and_then(|i| pane.list.get(i))?;
            let (name, kind, style) = match pane.details.get(id) {
                Some(GroupDetails::Loaded(g)) => {
                    let name = if g.name.is_empty() {
                        id.clone()
                    } else {
                        g.name.clone()
                    };
                    let kind = g.group_type.map_or("?", |t| t.label()).to_string();
                    let style = if g.group_type.is_some_and(|t| !t.supports_receipts()) {
                        theme.dim()
                    } else {
                        theme.text()
                    };
                    (name, kind, style)
                }
                Some(GroupDetails::Missing(code)) => {
                    (id.clone(), format!("err {code}"), theme.dim())
                }
                Some(GroupDetails::Failed) => (id.clone(), "?".into(), theme.dim()),
                Some(GroupDetails::Loading) | None => (id.clone(), "…".into(), theme.dim()),
            };
            Some((row, name, kind, style))
        })
        .collect();
    // The type column is as wide as the widest type shown, and gives way when narrow.
    let widest = rows.iter().map(|r| text::width(&r.2)).max().unwrap_or(0);
    let type_w = if width >= 18 {
        widest.min(width / 3)
    } else {
        0
    };
    // One space between the name and the type column.
    let name_w = width.saturating_sub(type_w + usize::from(type_w > 0));
    let mut lines = Vec::with_capacity(height);
    for (row, name, kind, style) in rows {
        let mut line = Line::from(vec![
            Span::styled(pad_right(&name, name_w), style),
            Span::raw(if type_w > 0 { " " } else { "" }),
            Span::styled(pad_left(&kind, type_w), theme.dim()),
        ]);
        if row == pane.view.selected {
            line = line.style(theme.selected(focused));
        }
        lines.push(line);
    }
    // Show that more is coming when the window reaches the last loaded row.
    if lines.len() < height && pane.list.is_loading() {
        lines.push(Line::styled(
            format!("{} loading more…", spinner(app)),
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn footer(app: &App, theme: &Theme) -> Option<Line<'static>> {
    let pane = &app.groups;
    if !pane.filter.is_empty() {
        let mut parts = vec![Span::styled(
            format!(
                " /{} · {} of {} ",
                pane.filter.query(),
                thousands(pane.visible_len() as u64),
                thousands(pane.list.len() as u64)
            ),
            theme.warn(),
        )];
        // The filter sees the loaded rows; the index knows every group's name.
        if let Some(n) = app.index_matches(pane.filter.query()) {
            parts.push(Span::styled(
                format!(
                    "· {} in all: :group {} ",
                    thousands(n as u64),
                    pane.filter.query()
                ),
                theme.dim(),
            ));
        }
        return Some(Line::from(parts));
    }
    if let Some(p) = app.search.building {
        return Some(Line::styled(
            format!(
                " indexing names {}/{} ",
                thousands(p.named),
                thousands(p.total)
            ),
            theme.dim(),
        ));
    }
    match pane.list.state() {
        PageState::Failed(_) => Some(Line::styled(" ✗ r retry ", theme.error())),
        PageState::Loading if !pane.list.is_empty() => Some(Line::styled(
            format!(" {} loading ", spinner(app)),
            theme.dim(),
        )),
        _ => None,
    }
}
