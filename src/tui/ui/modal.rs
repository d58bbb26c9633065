//! The write dialogs: fields, the exact request, the warning, the No/Yes buttons, and
//! afterwards the result with before/after.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use super::text::{pad_right, thousands, width as cells, wrap};
use super::theme::Theme;
use super::{centered, spinner};
use crate::tui::model::app::App;
use crate::tui::model::modal::{Current, Focus, Stage, WriteKind, WriteModal};

const LABEL: usize = 16;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, m: &WriteModal) {
    let width = area.width.saturating_sub(4).min(78);
    let inner_w = usize::from(width.saturating_sub(4));
    let field_w = inner_w.saturating_sub(LABEL + 2).min(40);
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor: Option<(u16, u16)> = None;

    match &m.stage {
        Stage::Done(result) => done_lines(app, theme, m, result, &mut lines),
        _ => {
            if m.kind == WriteKind::SetUnread {
                let group_name = app
                    .groups
                    .info(&m.group)
                    .map(|g| crate::text::printable(&g.name))
                    .filter(|n| !n.is_empty())
                    .map_or(String::new(), |n| format!(" ({n})"));
                lines.push(Line::from(vec![
                    Span::styled(pad_right("Group", LABEL), theme.dim()),
                    Span::raw(format!(
                        "  {}{group_name}",
                        crate::text::printable(&m.group)
                    )),
                ]));
                lines.push(current_line(app, theme, m));
            }
            for (i, f) in m.fields.iter().enumerate() {
                let focused = m.focus == Focus::Field(i) && m.stage == Stage::Editing;
                let scroll = f.input.visual_scroll(field_w.saturating_sub(1));
                let value: String = f.input.value().chars().skip(scroll).collect();
                let style = if focused {
                    theme.selected(true)
                } else {
                    theme.bold()
                };
                if focused {
                    let x = (LABEL + 2 + f.input.visual_cursor().saturating_sub(scroll)) as u16;
                    cursor = Some((x, lines.len() as u16));
                }
                lines.push(Line::from(vec![
                    Span::styled(
                        pad_right(f.label, LABEL),
                        if focused { theme.key() } else { theme.text() },
                    ),
                    Span::raw("  "),
                    Span::styled(pad_right(&value, field_w), style),
                ]));
                // An account field names who it is, when the name is known.
                let group = (m.kind == WriteKind::SetUnread).then_some(m.group.as_str());
                let name = f
                    .label
                    .ends_with("_Account")
                    .then(|| super::people::name_of(app, group, f.input.value().trim()))
                    .flatten();
                lines.push(Line::styled(
                    match name {
                        Some(name) => format!("{}  {name} · {}", " ".repeat(LABEL), f.hint),
                        None => format!("{}  {}", " ".repeat(LABEL), f.hint),
                    },
                    theme.dim(),
                ));
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled("Request that will be sent:", theme.bold()));
            match m.action() {
                Ok(action) => {
                    lines.push(Line::styled(
                        format!("  POST {}", action.path()),
                        theme.key(),
                    ));
                    lines.push(Line::raw(format!("  {}", action.body())));
                }
                Err(why) => lines.push(Line::styled(format!("  (not yet: {why})"), theme.dim())),
            }
            if let Some(w) = m.warning() {
                lines.push(Line::styled(format!("⚠ {w}"), theme.warn()));
            }
            if let Some(c) = m.caveat() {
                lines.push(Line::styled(format!("Note: {c}"), theme.warn()));
            }
            if let Some(p) = &m.problem {
                lines.push(Line::styled(format!("✗ {p}"), theme.error()));
            }
            lines.push(Line::raw(""));
            if m.stage == Stage::Sending {
                lines.push(Line::styled(
                    format!("{} sending…", spinner(app)),
                    theme.dim(),
                ));
            } else {
                lines.push(buttons(theme, m));
            }
        }
    }

    let lines = rewrap(lines, inner_w);
    let height = (lines.len() as u16 + 2).min(area.height);
    let popup = centered(area, width, height);
    let footer = match m.stage {
        Stage::Done(Err(_)) => " e edit and try again · Enter / Esc close ",
        Stage::Done(Ok(_)) => " Enter / Esc close ",
        _ => " Tab next · Esc cancel · default is No ",
    };
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(theme.warn())
        .title(Line::styled(format!(" {} ", m.title()), theme.title(true)))
        .title_bottom(Line::styled(footer, theme.dim()).right_aligned());
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
    if let Some((x, y)) = cursor {
        let pos = Position::new(popup.x + 1 + x, popup.y + 1 + y);
        if popup.contains(pos) {
            frame.set_cursor_position(pos);
        }
    }
}

fn current_line(app: &App, theme: &Theme, m: &WriteModal) -> Line<'static> {
    let label = pad_right("Current unread", LABEL);
    let value = match &m.current {
        Some(Current::Loaded(c)) => match (c.unread(), &c.member) {
            (Some(n), Some(member)) => Span::styled(
                format!(
                    "  {}  (read up to seq {} of {})",
                    thousands(n),
                    member.last_read_seq,
                    c.group.next_msg_seq.saturating_sub(1)
                ),
                theme.bold(),
            ),
            _ => Span::styled("  not a member of this group", theme.warn()),
        },
        // One span, so `rewrap` counts its rows: a long explanation (with the service's
        // words) must not push the buttons out of the dialog.
        Some(Current::Failed(e)) => {
            return Line::styled(format!("{label}  unknown ({e})"), theme.error());
        }
        Some(Current::Loading) | None => {
            Span::styled(format!("  {} loading…", spinner(app)), theme.dim())
        }
    };
    Line::from(vec![Span::styled(label, theme.dim()), value])
}

fn buttons(theme: &Theme, m: &WriteModal) -> Line<'static> {
    let style = |f: Focus| {
        if m.focus == f {
            theme.selected(true)
        } else {
            theme.text()
        }
    };
    Line::from(vec![
        Span::styled("Send it?  ", theme.bold()),
        Span::styled("[ No ]", style(Focus::No)),
        Span::raw("  "),
        Span::styled("[ Yes ]", style(Focus::Yes)),
        Span::styled(confirm_hint(m.focus), theme.dim()),
    ])
}

/// What the keys do next to the buttons. Sending takes Enter on [ Yes ], which only Tab
/// or → reach: no letter sends.
fn confirm_hint(focus: Focus) -> &'static str {
    match focus {
        Focus::Field(_) => "   Enter: next field · Tab to the buttons",
        Focus::No => "   Enter: don't send · → [ Yes ]",
        Focus::Yes => "   Enter: SEND · ← [ No ] · Esc",
    }
}

fn done_lines(
    app: &App,
    theme: &Theme,
    m: &WriteModal,
    result: &Result<crate::api::WriteOutcome, String>,
    lines: &mut Vec<Line<'static>>,
) {
    match result {
        Ok(outcome) => {
            lines.push(Line::styled(
                format!("✓ Done: {}", outcome.action.summary()),
                theme.ok(),
            ));
            lines.push(Line::styled(
                format!("  POST {}", outcome.action.path()),
                theme.dim(),
            ));
            let show = |v: Option<u64>| v.map_or("unknown".to_string(), thousands);
            let what = match m.kind {
                WriteKind::MarkRead => "1:1 unread",
                WriteKind::SetUnread => "unread count",
            };
            lines.push(Line::raw(format!(
                "  {what}: before {} → after {}",
                show(outcome.before),
                show(outcome.after)
            )));
            if let Some(note) = &outcome.note {
                lines.push(Line::styled(format!("⚠ {note}"), theme.warn()));
            }
            let audit = match &app.ctx.audit_log {
                Some(path) => format!("  Logged to the audit log: {path}"),
                None => "  Logged to the audit log.".to_string(),
            };
            lines.push(Line::styled(audit, theme.dim()));
        }
        Err(e) => {
            lines.push(Line::styled("✗ The write failed:", theme.error()));
            lines.push(Line::raw(format!("  {e}")));
            lines.push(Line::styled(
                "  The attempt is in the audit log. e: back to the fields to fix it.",
                theme.dim(),
            ));
        }
    }
}

/// Wrap the long one-style lines (an error, a JSON body, the audit-log path) here, so the
/// dialog's height counts every row and nothing at the bottom is cut off. Continuation rows
/// keep the line's indentation.
fn rewrap(lines: Vec<Line<'static>>, inner_w: usize) -> Vec<Line<'static>> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        if line.spans.len() != 1 || cells(&line.spans[0].content) <= inner_w {
            out.push(line);
            continue;
        }
        let span = &line.spans[0];
        let text = span.content.to_string();
        let indent = text.len() - text.trim_start().len();
        let pad = " ".repeat(indent.min(4));
        let room = inner_w.saturating_sub(pad.len()).max(1);
        for row in wrap(text.trim_start(), room, room) {
            out.push(Line::styled(format!("{pad}{row}"), span.style).style(line.style));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::KeyCode;

    use super::*;
    use crate::api::ApiError;
    use crate::tui::model::event::{ApiEvent, Effect};
    use crate::tui::test_harness::{Harness, ch, fx0_for, key};

    /// At 80x24, the set-unread dialog whose "current" read failed with a long explanation
    /// (ours and the service's words) still shows its buttons and footer.
    #[test]
    fn a_long_failure_of_the_current_count_keeps_the_buttons_on_screen() {
        let mut h = Harness::with_group_open_sized(false, (80, 24));
        h.answer_members(&fx0_for(&h), 0, 20, false);
        h.send(key(KeyCode::Tab));
        let fx = h.send(ch('U'));
        let Some(Effect::FetchCurrentUnread { modal, .. }) = fx.first() else {
            panic!("{fx:?}")
        };
        let info = "Member_Account \"member.0000\" is not a member of group @TGS#ops: \
                    the account left the group or never joined it";
        let member = h
            .app
            .modal
            .as_ref()
            .and_then(|m| m.member())
            .unwrap_or_default()
            .to_string();
        h.api(ApiEvent::CurrentUnread {
            modal: *modal,
            member,
            result: Err(ApiError::Service {
                api: "get_specified_group_member_info",
                code: 10007,
                info: info.into(),
            }),
        });
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal
            .draw(|f| crate::tui::ui::draw(f, &h.app, &crate::tui::ui::theme::Theme::mono()))
            .unwrap();
        let screen = terminal.backend().to_string();
        let flat: String = screen.chars().filter(|c| c.is_alphanumeric()).collect();
        assert!(flat.contains("neverjoinedit"), "{screen}");
        assert!(screen.contains("Send it?"), "{screen}");
        assert!(screen.contains("default is No"), "{screen}");
    }

    #[test]
    fn the_hint_says_what_enter_does_where_the_focus_is() {
        assert_eq!(
            confirm_hint(Focus::Field(0)),
            "   Enter: next field · Tab to the buttons"
        );
        assert_eq!(confirm_hint(Focus::No), "   Enter: don't send · → [ Yes ]");
        assert_eq!(confirm_hint(Focus::Yes), "   Enter: SEND · ← [ No ] · Esc");
    }
}
