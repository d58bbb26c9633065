//! The help screen, generated from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

use super::centered;
use super::text::pad_right;
use crate::tui::app::App;
use crate::tui::keymap::{self, BINDINGS, DIALOG_KEYS, Section};

/// The help text lines (also used by the README generator test).
pub fn lines(app: &App) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let mut lines = Vec::new();
    for section in Section::ALL {
        let rows: Vec<_> = BINDINGS
            .iter()
            .filter(|b| b.section == section && keymap::available(b, app.ctx.read_only))
            .collect();
        if rows.is_empty() {
            continue;
        }
        lines.push(Line::styled(section.title().to_string(), theme.bold()));
        for b in rows {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("  {}", pad_right(&keymap::keys_label(b), 20)),
                    theme.key(),
                ),
                Span::raw(b.help.to_string()),
            ]));
        }
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled("In dialogs and prompts", theme.bold()));
    for (keys, help) in DIALOG_KEYS {
        lines.push(Line::from(vec![
            Span::styled(format!("  {}", pad_right(keys, 20)), theme.key()),
            Span::raw(help.to_string()),
        ]));
    }
    if app.ctx.read_only {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            "Read-only mode: the write keys are switched off.",
            theme.warn(),
        ));
    }
    lines
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, scroll: u16) {
    let theme = &app.theme;
    let lines = lines(app);
    let height = (lines.len() as u16 + 2).min(area.height);
    let popup = centered(area, 80, height);
    let max_scroll = (lines.len() as u16 + 2).saturating_sub(popup.height);
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(theme.border(true))
        .title(Line::styled(" Keys ", theme.title(true)))
        .title_bottom(
            Line::styled(" j/k scroll · any other key closes ", theme.dim()).right_aligned(),
        );
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((scroll.min(max_scroll), 0)),
        popup,
    );
}
