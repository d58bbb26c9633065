//! The bottom prompt: `/` filter or `:` command palette with its suggestions.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use tui_input::Input;

use super::text::pad_right;
use super::theme::Theme;
use crate::tui::model::app::{App, Prompt};
use crate::tui::model::palette;

/// Draw `prefix` + the input on one line and place the cursor.
fn input_line(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    prefix: &str,
    input: &Input,
    note: &str,
) {
    let prefix_w = prefix.chars().count() as u16;
    let room = area.width.saturating_sub(prefix_w + 1);
    let scroll = input.visual_scroll(usize::from(room));
    let value: String = input.value().chars().skip(scroll).collect();
    let line = Line::from(vec![
        Span::styled(prefix.to_string(), theme.key()),
        Span::raw(value),
        Span::styled(format!("  {note}"), theme.dim()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
    let x = area.x + prefix_w + (input.visual_cursor().saturating_sub(scroll)) as u16;
    frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
}

pub fn draw(frame: &mut Frame, area: Rect, screen: Rect, app: &App, theme: &Theme) {
    match &app.prompt {
        Some(Prompt::Filter { input, .. }) => {
            input_line(frame, area, theme, " / ", input, "Enter keep · Esc clear");
        }
        Some(Prompt::Palette { input }) => {
            input_line(
                frame,
                area,
                theme,
                " : ",
                input,
                "Tab complete · Enter run · Esc cancel",
            );
            let suggestions = palette::suggestions(input.value(), app.ctx.read_only);
            if suggestions.is_empty() {
                return;
            }
            let rows = (suggestions.len() as u16)
                .min(screen.height.saturating_sub(4))
                .min(12);
            let width = screen.width;
            let popup = Rect::new(screen.x, area.y.saturating_sub(rows + 1), width, rows + 1);
            frame.render_widget(Clear, popup);
            let lines: Vec<Line> = suggestions
                .iter()
                .take(usize::from(rows))
                .map(|(usage, help)| {
                    Line::from(vec![
                        Span::styled(format!(" {}", pad_right(usage, 20)), theme.key()),
                        Span::styled(help.to_string(), theme.dim()),
                    ])
                })
                .collect();
            frame.render_widget(
                Paragraph::new(lines)
                    .block(Block::new().borders(Borders::TOP).border_style(theme.dim())),
                popup,
            );
        }
        None => {}
    }
}
