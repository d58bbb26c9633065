//! The group picker: `:group NAME` matched several groups; they are listed with their
//! type and ID (groups of the same name told apart by ID), one selected.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

use super::text::{pad_right, thousands};
use super::theme::Theme;
use crate::tui::model::search::{Picker, type_label};

pub fn draw(frame: &mut Frame, area: Rect, picker: &Picker, theme: &Theme) {
    let w = area.width.saturating_sub(4).min(90);
    let rows = usize::from(area.height.saturating_sub(6)).max(1);
    let h = (picker.matches.len().min(rows) as u16 + 3).min(area.height);
    let rect = super::centered(area, w, h);
    let inner_w = usize::from(w.saturating_sub(2));
    let name_w = inner_w.saturating_sub(12 + 24).max(8);
    // The window keeps the selected row in view.
    let first = picker.selected.saturating_sub(rows.saturating_sub(1));
    let mut lines: Vec<Line> = picker
        .matches
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(i, g)| {
            let text = format!(
                "{}{}{}",
                pad_right(&g.name, name_w),
                pad_right(type_label(g.group_type), 12),
                pad_right(&g.id, 24)
            );
            if i == picker.selected {
                Line::styled(text, theme.selected(true))
            } else {
                Line::raw(text)
            }
        })
        .collect();
    let more = if picker.total > picker.matches.len() {
        format!(
            " (first {} of {})",
            picker.matches.len(),
            thousands(picker.total as u64)
        )
    } else {
        String::new()
    };
    lines.push(Line::styled(
        format!("Enter opens · j/k move · any other key closes{more}"),
        theme.dim(),
    ));
    let title = format!(
        " {} groups match {:?} ",
        thousands(picker.total as u64),
        crate::text::printable(&picker.query)
    );
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .border_type(BorderType::Thick)
                .title(Line::styled(title, theme.title(true))),
        ),
        rect,
    );
}
