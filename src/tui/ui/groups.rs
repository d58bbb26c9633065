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
use crate::tui::model::search::type_label;

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
    let footer = footer(app, theme, area.width);
    let block = pane_block(theme, focused, title, footer, area.width);
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let len = pane.visible_len();
    if len == 0 && pane.has_index() && !pane.filter.is_empty() {
        let line = Line::styled(
            format!("no group's name or ID contains {:?}", pane.filter.query()),
            theme.dim(),
        );
        frame.render_widget(placeholder(line), inner);
        return;
    }
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
    // Rows of the visible window only: (row, name, ID when the name is shared, type
    // label, style).
    let rows: Vec<(usize, String, Option<String>, String, Style)> = pane
        .view
        .window(len, height)
        .filter_map(|row| {
            let id = pane.filter.item_index(row).and_then(|i| pane.row_id(i))?;
            // A name that several groups bear is followed by the ID, to tell them apart.
            let named = |name: &str| {
                if name.is_empty() {
                    (id.clone(), None)
                } else if pane.name_is_shared(name) {
                    (name.to_string(), Some(id.clone()))
                } else {
                    (name.to_string(), None)
                }
            };
            let style_of = |t: Option<crate::api::GroupType>| {
                if t.is_some_and(|t| !t.supports_receipts()) {
                    theme.dim()
                } else {
                    theme.text()
                }
            };
            let ((name, shared), kind, style) = match (pane.details.get(id), pane.indexed(id)) {
                (Some(GroupDetails::Loaded(g)), _) => (
                    named(&g.name),
                    g.group_type.map_or("?", |t| t.label()).to_string(),
                    style_of(g.group_type),
                ),
                (Some(GroupDetails::Missing(code)), _) => {
                    ((id.clone(), None), format!("err {code}"), theme.dim())
                }
                // Until its details are in, the index names the group.
                (_, Some(g)) => (
                    named(&g.name),
                    type_label(g.group_type).to_string(),
                    style_of(g.group_type),
                ),
                (Some(GroupDetails::Failed), None) => ((id.clone(), None), "?".into(), theme.dim()),
                (Some(GroupDetails::Loading) | None, None) => {
                    ((id.clone(), None), "…".into(), theme.dim())
                }
            };
            Some((row, name, shared, kind, style))
        })
        .collect();
    // The type column is as wide as the widest type shown, and gives way when narrow.
    let widest = rows.iter().map(|r| text::width(&r.3)).max().unwrap_or(0);
    let type_w = if width >= 18 {
        widest.min(width / 3)
    } else {
        0
    };
    // One space between the name and the type column.
    let name_w = width.saturating_sub(type_w + usize::from(type_w > 0));
    let mut lines = Vec::with_capacity(height);
    for (row, name, shared, kind, style) in rows {
        // A shared name gives way to the ID that tells the groups apart.
        let name = match shared {
            Some(id) => {
                // The whole ID when the name keeps a third of the column; else half each.
                let room = match name_w.checked_sub(3 + text::width(&id)) {
                    Some(r) if r >= name_w / 3 => r,
                    _ => name_w / 2,
                };
                let name = text::truncate(&crate::text::printable(&name), room);
                let id_room = name_w.saturating_sub(text::width(&name) + 3);
                format!("{name} · {}", keep_tail(&id, id_room))
            }
            None => name,
        };
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

/// An ID cut to `cells` from the left ("…CALL200"): the end of a group ID tells groups
/// apart, its start (`@TGS#`) is the same for all.
fn keep_tail(id: &str, cells: usize) -> String {
    let id = crate::text::printable(id);
    if text::width(&id) <= cells {
        return id;
    }
    if cells == 0 {
        return String::new();
    }
    let mut tail: Vec<char> = Vec::new();
    let mut used = 1;
    for c in id.chars().rev() {
        let w = text::width(c.encode_utf8(&mut [0; 4]));
        if used + w > cells {
            break;
        }
        used += w;
        tail.push(c);
    }
    std::iter::once('…').chain(tail.into_iter().rev()).collect()
}

fn footer(app: &App, theme: &Theme, width: u16) -> Option<Line<'static>> {
    let pane = &app.groups;
    if !pane.filter.is_empty() {
        // With the index a filter searches every group; without it, the loaded ones.
        let (of, note) = if pane.has_index() {
            (pane.searchable_len(), "")
        } else {
            (pane.list.len(), " loaded")
        };
        let counts = format!(
            " · {} of {}{note} ",
            thousands(pane.visible_len() as u64),
            thousands(of as u64)
        );
        // The counts stay whole; the query gives way when the pane is narrow.
        let room = usize::from(width).saturating_sub(4 + text::width(&counts));
        let query = text::truncate(pane.filter.query(), room.max(1));
        return Some(Line::styled(format!(" /{query}{counts}"), theme.warn()));
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

#[cfg(test)]
mod tests {
    use super::keep_tail;

    #[test]
    fn an_id_too_long_keeps_its_end() {
        assert_eq!(keep_tail("@TGS#2PAYONCALL200", 18), "@TGS#2PAYONCALL200");
        assert_eq!(keep_tail("@TGS#2PAYONCALL200", 7), "…ALL200");
        assert_eq!(keep_tail("@TGS#2PAYONCALL200", 1), "…");
        assert_eq!(keep_tail("@TGS#2PAYONCALL200", 0), "");
        assert_eq!(keep_tail("群组编号", 5), "…编号");
        assert_eq!(
            keep_tail("a\u{1b}[2Jb", 20),
            "a?[2Jb".replace('?', &crate::text::printable("\u{1b}"))
        );
    }
}
