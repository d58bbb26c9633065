//! The live pane (`E`): the read-over-time chart of the selected message on top, the
//! webhook feed below.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, Paragraph};

use super::text::{clock_secs, duration_short, pad_right, thousands, truncate};
use super::theme::Theme;
use super::{pane_block, placeholder};
use crate::tui::model::app::App;
use crate::tui::model::live::PointSource;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let mut title = vec![Span::styled(" Live ", theme.title(false))];
    match &app.live.listening {
        Some(addr) => {
            if app.live.unsigned {
                // First, so a narrow pane never cuts it off.
                title.push(Span::styled("· NO TOKEN: unauthenticated ", theme.warn()));
            }
            title.push(Span::styled(
                format!(
                    "· {} events · webhook on {addr} ",
                    thousands(app.live.events_received)
                ),
                theme.dim(),
            ));
        }
        None => title.push(Span::styled("· no webhook receiver ", theme.dim())),
    }
    let block = pane_block(theme, false, title, None, area.width);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let chart_height = (inner.height * 11 / 20).max(4).min(inner.height);
    let [chart_area, feed_area] =
        Layout::vertical([Constraint::Length(chart_height), Constraint::Min(0)]).areas(inner);
    draw_chart(frame, chart_area, app, theme);
    draw_feed(frame, feed_area, app, theme);
}

/// "to read: median 3m 12s · p90 11m 40s · ≤5m 40% ≤15m 70% ≤60m 90% of 179", from the
/// store's read times of the open message (the shares are of everyone who should read it).
fn time_to_read_line(app: &App, seq: u64) -> Option<String> {
    let target = app.members.target.as_ref().filter(|t| t.seq == seq)?;
    let recipients = app
        .messages
        .row_by_seq(seq)
        .and_then(|r| r.counts.count())
        .and_then(|c| c.read.zip(c.unread))
        .map_or(0, |(r, u)| r.saturating_add(u));
    let sent_ms = u64::try_from(target.time).unwrap_or(0).saturating_mul(1000);
    let t = app.stored.time_to_read(sent_ms, recipients)?;
    let shares: Vec<String> = t
        .within
        .iter()
        .map(|(m, share)| format!("≤{m}m {:.0}%", share * 100.0))
        .collect();
    Some(format!(
        "to read: median {} · p90 {} · {} of {}",
        duration_short(t.median_ms),
        duration_short(t.p90_ms),
        shares.join(" "),
        thousands(t.recipients)
    ))
}

fn draw_chart(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let selected = app
        .messages
        .group_id()
        .zip(app.messages.selected().map(|r| r.message.seq));
    let Some((group, seq)) = selected else {
        frame.render_widget(
            placeholder(Line::styled(
                "select a message to chart its read ratio",
                theme.dim(),
            )),
            area,
        );
        return;
    };
    let points = app.live.history(group, seq);
    let Some(points) = points.filter(|p| !p.is_empty()) else {
        frame.render_widget(
            Paragraph::new(vec![
                Line::styled(
                    format!("read % of seq {seq} over time: no data yet"),
                    theme.dim(),
                ),
                Line::styled(
                    "w starts watch mode; webhook events add points too",
                    theme.dim(),
                ),
            ]),
            area,
        );
        return;
    };
    // Time-to-read figures from the store's read times, on the chart's first row.
    let area = match time_to_read_line(app, seq) {
        Some(line) if area.height > 4 => {
            let [top, rest] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
            frame.render_widget(Paragraph::new(Line::styled(line, theme.dim())), top);
            rest
        }
        _ => area,
    };
    let t0 = points.front().map_or(0.0, |p| p.t);
    let t1 = points.back().map_or(t0, |p| p.t).max(t0 + 1.0);
    let webhook: Vec<(f64, f64)> = points
        .iter()
        .filter(|p| p.source == PointSource::Webhook)
        .map(|p| (p.t - t0, p.ratio * 100.0))
        .collect();
    let polled: Vec<(f64, f64)> = points
        .iter()
        .filter(|p| p.source == PointSource::Poll)
        .map(|p| (p.t - t0, p.ratio * 100.0))
        .collect();
    let last = points.back().map_or(0.0, |p| p.ratio * 100.0);
    let datasets = vec![
        Dataset::default()
            .name("webhook")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(theme.live())
            .data(&webhook),
        Dataset::default()
            .name("poll")
            .marker(Marker::Dot)
            .graph_type(GraphType::Scatter)
            .style(theme.key())
            .data(&polled),
    ];
    let chart = Chart::new(datasets)
        .block(Block::new().borders(Borders::NONE).title(Line::styled(
            format!("seq {seq} read {last:.0}%"),
            theme.bold(),
        )))
        .x_axis(
            Axis::default()
                .bounds([0.0, t1 - t0])
                .labels([
                    Span::styled(clock_secs(t0 as i64, app.ctx.utc_offset), theme.dim()),
                    Span::styled(clock_secs(t1 as i64, app.ctx.utc_offset), theme.dim()),
                ])
                .style(theme.dim()),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, 100.0])
                .labels([
                    Span::styled("0%", theme.dim()),
                    Span::styled("100%", theme.dim()),
                ])
                .style(theme.dim()),
        )
        .hidden_legend_constraints((Constraint::Ratio(1, 2), Constraint::Ratio(1, 2)));
    frame.render_widget(chart, area);
}

fn draw_feed(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    if app.live.feed.is_empty() {
        let text = if app.live.listening.is_some() {
            "waiting for Group.CallbackAfterReadReceipt events…"
        } else {
            "start with --webhook-listen ADDR (or --demo) to see receipts live"
        };
        frame.render_widget(placeholder(Line::styled(text, theme.dim())), area);
        return;
    }
    let width = usize::from(area.width);
    let lines: Vec<Line> = app
        .live
        .feed
        .iter()
        .take(usize::from(area.height))
        .map(|f| {
            let when = clock_secs((f.event_time_ms / 1000) as i64, app.ctx.utc_offset);
            // Readers by account, the first with its name when known (beside it, never
            // instead of it).
            let readers: Vec<String> = f
                .readers
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    match super::people::name_of(app, Some(&f.group_id), r).filter(|_| i == 0) {
                        Some(name) => format!("{r} ({name})"),
                        None => r.clone(),
                    }
                })
                .collect();
            let who = if readers.is_empty() {
                String::new()
            } else if f.reader_count > readers.len() {
                format!(" {} +{}", readers.join(","), f.reader_count - readers.len())
            } else {
                format!(" {}", readers.join(","))
            };
            let here = app.messages.group_id() == Some(f.group_id.as_str());
            // Other groups by name when known (the ID otherwise).
            let group = if here {
                String::new()
            } else {
                let name = app
                    .groups
                    .info(&f.group_id)
                    .map(|g| g.name.as_str())
                    .filter(|n| !n.is_empty())
                    .unwrap_or(&f.group_id);
                format!(" {}", truncate(name, 16))
            };
            let text = format!(
                "{when}{group} #{} {}/{}{who}",
                f.seq,
                thousands(f.read),
                thousands(f.read.saturating_add(f.unread))
            );
            Line::styled(
                pad_right(&text, width),
                if here { theme.text() } else { theme.dim() },
            )
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}
