//! The header (where we are connected) and the status line (calls, latency, the last
//! error with its next step, notices, export progress, key hints).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::spinner;
use super::text::{bar, thousands, truncate, width};
use super::theme::Theme;
use crate::tui::model::app::App;
use crate::tui::model::keymap;
use crate::tui::model::status::{INDENT, RETRY, calls_text};

/// The header's warning while the incident store cannot commit events.
pub const STORE_FAILING_BADGE: &str = " NOT STORING ";

/// The header's warning while the receiver runs without a token.
pub const UNSIGNED_BADGE: &str = " NO WEBHOOK TOKEN ";

pub fn draw_header(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let ctx = &app.ctx;
    let mut right: Vec<Span> = Vec::new();
    if ctx.read_only {
        right.push(Span::styled(" READ-ONLY ", theme.read_only()));
        right.push(Span::raw(" "));
    }
    if app.watch {
        right.push(Span::styled(
            format!("watch {}s ", ctx.watch_interval.as_secs()),
            theme.live(),
        ));
    }
    if app.live.listening.is_some() {
        right.push(Span::styled(
            format!("● live {} ", thousands(app.live.events_received)),
            theme.live(),
        ));
        if app.stored.failing {
            // Events still show, but are answered 500 and not kept: say so until it mends.
            right.push(Span::styled(STORE_FAILING_BADGE, theme.read_only()));
            right.push(Span::raw(" "));
        }
        if app.live.unsigned {
            // Persistent: fake receipts could be on screen, whoever looks should know.
            right.push(Span::styled(UNSIGNED_BADGE, theme.read_only()));
            right.push(Span::raw(" "));
        }
    }
    let right_width: usize = right.iter().map(|s| width(&s.content)).sum();
    // Reads moved to the standby domain when the main one could not be reached.
    let standby = if app.status.stats.on_standby {
        " (standby)"
    } else {
        ""
    };
    let facts = format!(
        "{} · {}{standby} · app {} · budget {}/s",
        ctx.profile, ctx.location, ctx.sdkappid, ctx.budget_per_sec
    );
    // The product name goes first when there is room for it and the facts.
    let left = if width(&facts) + right_width + 18 <= usize::from(area.width) {
        format!(" tim-receipts · {facts}")
    } else {
        format!(" {facts}")
    };
    let room = usize::from(area.width).saturating_sub(right_width + 1);
    let left = truncate(&left, room);
    let gap = usize::from(area.width).saturating_sub(width(&left) + right_width);
    let mut spans = vec![
        Span::styled(left, theme.header()),
        Span::raw(" ".repeat(gap)),
    ];
    spans.extend(right);
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The icon and the call statistics that open the status line.
fn stats_prefix(app: &App) -> (&'static str, String) {
    let stats = &app.status.stats;
    let icon = if app.is_busy() {
        spinner(app)
    } else if app.status.error.is_some() {
        "✗"
    } else {
        "✓"
    };
    (icon, calls_text(stats))
}

pub fn draw_status(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let total = usize::from(area.width);
    let mut spans: Vec<Span> = Vec::new();
    let (icon, calls) = stats_prefix(app);
    let icon_style = if app.is_busy() {
        theme.dim()
    } else if app.status.error.is_some() {
        theme.error()
    } else {
        theme.ok()
    };
    spans.push(Span::styled(format!(" {icon} "), icon_style));
    if let Some(lines) = app.status_lines(area.width) {
        let style = if app.status.error.is_some() {
            theme.error()
        } else {
            theme.bold()
        };
        let mut rows = lines.into_iter();
        spans.push(Span::styled(rows.next().unwrap_or_default(), style));
        let mut text = vec![Line::from(spans)];
        text.extend(rows.map(|r| Line::from(vec![Span::raw(INDENT), Span::styled(r, style)])));
        frame.render_widget(Paragraph::new(text), area);
        return;
    }
    spans.push(Span::styled(calls, theme.dim()));
    spans.push(Span::raw("  "));

    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let room = total.saturating_sub(used);

    if let Some(err) = &app.status.error {
        // The way out ("r to retry", when r can help) always shows; the explanation is
        // cut if it must be.
        let suffix = if err.retry { RETRY } else { "" };
        let text = format!("{} — {}", err.what, err.next_step);
        let text = truncate(&text, room.saturating_sub(width(suffix)));
        spans.push(Span::styled(text + suffix, theme.error()));
    } else {
        let mut middle = String::new();
        if let Some(export) = &app.export {
            let loaded = thousands(export.loaded as u64);
            middle = match export.total {
                Some(t) if t > 0 => format!(
                    "export {loaded}/{} [{}]",
                    thousands(t),
                    bar(export.loaded as f64 / t as f64, 10)
                ),
                _ => format!("export {loaded} members…"),
            };
        } else if let Some(notice) = &app.status.notice {
            middle = notice.clone();
        }
        let middle = truncate(&middle, room);
        let after = room.saturating_sub(width(&middle));
        spans.push(Span::styled(middle.clone(), theme.bold()));
        // Hints fill what is left, right-aligned, whole hints only.
        let hints = keymap::hints(app.focus, app.members.target.is_some(), app.ctx.read_only);
        let mut shown: Vec<&str> = Vec::new();
        let mut w = 0;
        for h in hints {
            let add = width(h) + 2;
            if w + add + usize::from(!middle.is_empty()) > after {
                break;
            }
            w += add;
            shown.push(h);
        }
        let pad = after.saturating_sub(w);
        spans.push(Span::raw(" ".repeat(pad)));
        for h in shown {
            let (key, rest) = h.split_once(' ').unwrap_or((h, ""));
            spans.push(Span::styled(key.to_string(), theme.key()));
            spans.push(Span::styled(format!(" {rest}  "), theme.dim()));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::UNSIGNED_BADGE;
    use super::draw_header;
    use crate::api::CallStats;
    use crate::tui::model::app::App;
    use crate::tui::model::event::Event;
    use crate::tui::test_harness::Harness;
    use crate::tui::test_harness::ch;
    use crate::tui::ui;

    fn screen(app: &App) -> String {
        let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
        terminal
            .draw(|f| ui::draw(f, app, &ui::theme::Theme::mono()))
            .unwrap();
        terminal.backend().to_string()
    }

    fn header(app: &App) -> String {
        screen(app).lines().next().unwrap_or_default().to_string()
    }

    /// A receiver without a token is named in the header for as long as it runs, at any
    /// width, and in the Live pane; with a token (as the demo has) nothing is added.
    #[test]
    fn receiver_without_a_token_is_named_in_the_header() {
        for size in [(80, 24), (100, 30), (60, 15)] {
            let mut h = Harness::with_group_open_sized(false, size);
            h.app.live.listening = Some("0.0.0.0:9000".into());
            h.app.live.unsigned = true;
            let top = header(&h.app);
            assert!(top.contains(UNSIGNED_BADGE.trim()), "{size:?}: {top}");
            assert!(top.contains("● live 0"), "{size:?}: {top}");
            // Other notices come and go; the badge stays.
            h.send(ch('y'));
            assert!(header(&h.app).contains(UNSIGNED_BADGE.trim()));
        }
        let mut h = Harness::with_group_open_sized(false, (120, 30));
        h.app.live.listening = Some("0.0.0.0:9000".into());
        h.app.live.unsigned = true;
        h.send(ch('E'));
        let all = screen(&h.app);
        assert!(
            all.contains("Live · NO TOKEN: unauthenticated · 0 events"),
            "{all}"
        );

        h.app.live.unsigned = false;
        let all = screen(&h.app);
        assert!(!all.contains(UNSIGNED_BADGE.trim()), "{all}");
        assert!(!all.contains("NO TOKEN"), "{all}");
    }

    fn header_line(app: &App) -> String {
        let mut terminal = Terminal::new(TestBackend::new(100, 1)).unwrap();
        terminal
            .draw(|f| draw_header(f, f.area(), app, &ui::theme::Theme::mono()))
            .unwrap();
        terminal.backend().to_string()
    }

    #[test]
    fn the_header_says_when_reads_use_the_standby_domain() {
        let mut h = Harness::new(false, (100, 24));
        let main = header_line(&h.app);
        assert!(
            main.contains("sandbox 127.0.0.1:41234 · app") && !main.contains("standby"),
            "{main}"
        );
        h.send(Event::Stats(CallStats {
            on_standby: true,
            ..CallStats::default()
        }));
        let standby = header_line(&h.app);
        assert!(
            standby.contains("sandbox 127.0.0.1:41234 (standby) · app 1400000000 · budget 20/s"),
            "{standby}"
        );
    }
}
