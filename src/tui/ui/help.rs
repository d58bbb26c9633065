//! The help screen, generated from the keymap. Its first line says how to quit; on a wide
//! screen (100 columns and more) the sections stand in two columns so that the whole table
//! fits at 100x30; a description too long for its column wraps under itself, never cut.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

use super::centered;
use super::text::{pad_right, wrap};
use super::theme::Theme;
use crate::tui::model::app::App;
use crate::tui::model::keymap::{self, BINDINGS, DIALOG_KEYS, Section};

/// The first line of the help screen.
pub const QUIT_LINE: &str = "q quits · Ctrl-C quits from anywhere · Esc closes this help";
/// Widest keys column (a section's keys column is as wide as its widest keys, up to this).
const KEYS: usize = 18;
/// Inner widths from which two columns are used.
const TWO_COLUMNS: u16 = 96;

/// One section: its title and its (keys, description) rows.
struct HelpSection {
    title: String,
    rows: Vec<(String, String)>,
}

fn blocks(app: &App) -> Vec<HelpSection> {
    let mut out = Vec::new();
    for section in Section::ALL {
        let rows: Vec<(String, String)> = BINDINGS
            .iter()
            .filter(|b| b.section == section && keymap::available(b, app.ctx.read_only))
            .map(|b| (keymap::keys_label(b), b.help.to_string()))
            .collect();
        if !rows.is_empty() {
            out.push(HelpSection {
                title: section.title().to_string(),
                rows,
            });
        }
    }
    out.push(HelpSection {
        title: "In dialogs and prompts".into(),
        rows: DIALOG_KEYS
            .iter()
            .map(|(k, h)| (k.to_string(), h.to_string()))
            .collect(),
    });
    out
}

/// A section as lines `width` cells wide: keys, then the description wrapped under itself.
fn block_lines(theme: &Theme, b: &HelpSection, width: usize) -> Vec<Line<'static>> {
    let keys_w = b
        .rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0)
        .min(KEYS);
    let room = width.saturating_sub(keys_w + 3).max(10);
    let mut lines = vec![Line::styled(b.title.clone(), theme.bold())];
    for (keys, help) in &b.rows {
        let mut parts = wrap(help, room, room).into_iter();
        lines.push(Line::from(vec![
            Span::styled(format!(" {} ", pad_right(keys, keys_w)), theme.key()),
            Span::raw(parts.next().unwrap_or_default()),
        ]));
        for rest in parts {
            lines.push(Line::raw(format!("  {}{rest}", " ".repeat(keys_w))));
        }
    }
    lines
}

/// The help text as one column `width` cells wide (also what tests read).
pub fn lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    column_lines(app, theme, &blocks(app), 76)
}

fn column_lines(
    app: &App,
    theme: &Theme,
    blocks: &[HelpSection],
    width: usize,
) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(QUIT_LINE, theme.warn()), Line::raw("")];
    lines.extend(sections(theme, blocks, width, false));
    if app.ctx.read_only {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            "Read-only mode: the write keys are switched off.",
            theme.warn(),
        ));
    }
    lines
}

/// Sections one under the other (a blank line between them unless `tight`: the bold
/// titles part them in two columns).
fn sections(
    theme: &Theme,
    blocks: &[HelpSection],
    width: usize,
    tight: bool,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        if i > 0 && !tight {
            lines.push(Line::raw(""));
        }
        lines.extend(block_lines(theme, b, width));
    }
    lines
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, scroll: u16) {
    let width = area.width.min(120);
    let two = width.saturating_sub(2) >= TWO_COLUMNS;
    let inner_w = usize::from(width.saturating_sub(2));
    let all = blocks(app);
    // Two columns under the quit line: the sections split where the taller half is
    // shortest.
    let (left, right) = if two {
        let col = (inner_w - 2) / 2;
        let split = (1..all.len())
            .min_by_key(|&i| {
                let a = sections(theme, &all[..i], col, true).len();
                let b = sections(theme, &all[i..], col, true).len();
                a.max(b)
            })
            .unwrap_or(all.len());
        let mut left = vec![Line::styled(QUIT_LINE, theme.warn()), Line::raw("")];
        let mut right = vec![Line::raw(""), Line::raw("")];
        left.extend(sections(theme, &all[..split], col, true));
        right.extend(sections(theme, &all[split..], col, true));
        if app.ctx.read_only {
            left.push(Line::raw(""));
            left.push(Line::styled(
                "Read-only mode: the write keys are switched off.",
                theme.warn(),
            ));
        }
        (left, Some((right, col)))
    } else {
        (column_lines(app, theme, &all, inner_w), None)
    };
    let tallest = right
        .as_ref()
        .map_or(left.len(), |(r, _)| r.len().max(left.len()));
    let height = (tallest as u16 + 2).min(area.height);
    let popup = centered(area, width, height);
    let max_scroll = (tallest as u16 + 2).saturating_sub(popup.height);
    let scroll = scroll.min(max_scroll);
    let more = if max_scroll > 0 {
        " j/k scroll · any other key closes "
    } else {
        " any key closes "
    };
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(theme.border(true))
        .title(Line::styled(" Keys ", theme.title(true)))
        .title_bottom(Line::styled(more, theme.dim()).right_aligned());
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    match right {
        Some((right, col)) => {
            let col = col as u16;
            let l = Rect {
                width: col,
                ..inner
            };
            let r = Rect {
                x: inner.x + col + 2,
                width: inner.width.saturating_sub(col + 2),
                ..inner
            };
            // The right column first: the left one's quit line runs across both.
            frame.render_widget(Paragraph::new(right).scroll((scroll, 0)), r);
            let mut left = left;
            if scroll == 0 && !left.is_empty() {
                let quit = left.remove(0);
                frame.render_widget(Paragraph::new(quit), Rect { height: 1, ..inner });
                let below = Rect {
                    y: l.y + 1,
                    height: l.height.saturating_sub(1),
                    ..l
                };
                frame.render_widget(Paragraph::new(left), below);
            } else {
                frame.render_widget(Paragraph::new(left).scroll((scroll, 0)), l);
            }
        }
        None => frame.render_widget(Paragraph::new(left).scroll((scroll, 0)), inner),
    }
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use crate::tui::test_harness::{Harness, ch};
    use crate::tui::ui;

    fn screen(size: (u16, u16)) -> String {
        let mut h = Harness::with_group_open_sized(false, size);
        h.send(ch('?'));
        let mut t = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
        t.draw(|f| ui::draw(f, &h.app, &ui::theme::Theme::mono()))
            .unwrap();
        t.backend().to_string()
    }

    /// At 100x30 the whole table fits (two columns, nothing to scroll), and at every size
    /// the first line says how to quit and no description is cut.
    #[test]
    fn help_fits_100x30_says_how_to_quit_and_cuts_nothing() {
        let wide = screen((100, 30));
        assert!(wide.contains("Ctrl-C quits from anywhere"), "{wide}");
        assert!(
            wide.contains("any key closes"),
            "nothing to scroll:\n{wide}"
        );
        assert!(
            wide.contains("Esc"),
            "the last section is on screen:\n{wide}"
        );
        assert!(wide.contains("press it"), "{wide}");
        let narrow = screen((80, 24));
        assert!(narrow.contains("Ctrl-C quits from anywhere"), "{narrow}");
        assert!(
            !narrow.contains('…'),
            "nothing is cut at 80 columns:\n{narrow}"
        );
    }
}
