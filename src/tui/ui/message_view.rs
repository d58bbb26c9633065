//! `v`: the selected message in full, over the panes: group, sender with name, time with
//! its zone, seq, whether it has a receipt and its counts, then the whole text.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use super::text::thousands;
use super::theme::Theme;
use crate::api::MessageKind;
use crate::tui::model::app::App;

/// "UTC", "UTC+08:00", "UTC-05:30": the zone the dashboard shows times in.
pub fn zone_label(offset: time::UtcOffset) -> String {
    if offset.is_utc() {
        return "UTC".into();
    }
    let (h, m, _) = offset.as_hms();
    let sign = if offset.is_negative() { '-' } else { '+' };
    format!("UTC{sign}{:02}:{:02}", h.unsigned_abs(), m.unsigned_abs())
}

/// "2026-11-30 13:05:12" in the dashboard's zone.
fn full_time(ts: i64, offset: time::UtcOffset) -> String {
    time::OffsetDateTime::from_unix_timestamp(ts)
        .ok()
        .map(|t| t.to_offset(offset))
        .map_or_else(
            || ts.to_string(),
            |t| {
                format!(
                    "{}-{:02}-{:02} {:02}:{:02}:{:02}",
                    t.year(),
                    u8::from(t.month()),
                    t.day(),
                    t.hour(),
                    t.minute(),
                    t.second()
                )
            },
        )
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, seq: u64) {
    let Some(row) = app.messages.row_by_seq(seq) else {
        return;
    };
    let m = &row.message;
    let group = app.messages.group.as_ref();
    let group_name = group.map_or(String::new(), |g| {
        if g.name.is_empty() {
            crate::text::printable(&g.id)
        } else {
            format!(
                "{} ({})",
                crate::text::printable(&g.name),
                crate::text::printable(&g.id)
            )
        }
    });
    let from = match super::people::name_of(app, group.map(|g| g.id.as_str()), &m.from) {
        Some(name) => format!("{} ({name})", crate::text::printable(&m.from)),
        None => crate::text::printable(&m.from),
    };
    let receipt = match (m.kind, row.counts.count()) {
        (MessageKind::Recalled, _) => "recalled: no receipt".to_string(),
        (MessageKind::Expired, _) => "expired: no receipt".to_string(),
        (_, Some(c)) => match (c.read, c.unread) {
            (Some(r), Some(u)) => format!(
                "read receipt: {} read, {} unread",
                thousands(r),
                thousands(u)
            ),
            _ => "no read receipt (sent without one, or while the group had more than 200 members)"
                .to_string(),
        },
        _ => "read receipt: counts loading".to_string(),
    };
    let offset = app.ctx.utc_offset;
    let mut lines = vec![
        Line::styled(format!("message {} · {group_name}", m.seq), theme.bold()),
        Line::from(format!("from {from}")),
        Line::from(format!(
            "sent {} {}",
            full_time(m.time, offset),
            zone_label(offset)
        )),
        Line::from(receipt),
        Line::from(""),
    ];
    let text = match m.kind {
        MessageKind::Recalled => "[recalled]".to_string(),
        MessageKind::Expired => "[expired]".to_string(),
        MessageKind::Normal if m.is_system => format!("[system] {}", m.text),
        MessageKind::Normal => m.text.clone(),
    };
    for line in crate::text::printable_lines(&text).lines() {
        lines.push(Line::styled(line.to_string(), theme.text()));
    }
    let w = area.width.saturating_sub(4).min(90);
    let h = (lines.len() as u16 + 4).min(area.height.saturating_sub(2));
    let rect = super::centered(area, w, h);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::bordered()
                .border_type(BorderType::Thick)
                .title(Line::styled(
                    " Message (any key closes) ",
                    theme.title(true),
                )),
        ),
        rect,
    );
}
