//! The messages pane: newest first, with read/unread counts and a read-ratio bar.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::{bar, clock, day, pad_left, pad_right, same_day, thousands};
use super::theme::Theme;
use super::{empty_list_line, notice, pane_block, placeholder, spinner};
use crate::api::{MessageKind, NoReceipts, RECEIPT_CAP_SENTENCE, ReceiptCount};
use crate::tui::model::app::App;
use crate::tui::model::paged::PageState;
use crate::tui::model::pane::Pane;
use crate::tui::model::panes::ListPane;
use crate::tui::model::panes::{Counts, MessageRow};

/// Column widths for an inner width.
struct Columns {
    seq: usize,
    time: usize,
    from: usize,
    text: usize,
    read: usize,
    unread: usize,
    bar: usize,
    pct: usize,
}

impl Columns {
    /// `marked`: counts may carry the "p " of read positions (one cell more for them).
    fn for_width(width: usize, max_seq_digits: usize, marked: bool) -> Self {
        // The seq is what an agent quotes and passes to `receipts` / `members`: it stays at
        // every width, down to the smallest screen (60x15). The ratio bar goes first, then
        // the percentage, the sender and the time.
        let seq = max_seq_digits.max(3) + 1;
        let from = match width {
            110.. => 26,
            90.. => 13,
            50.. => 10,
            _ => 0,
        };
        let bar = if width >= 68 { 9 } else { 0 };
        let pct = if width >= 100 { 5 } else { 0 };
        let time = if width >= 36 { 6 } else { 0 };
        let (read, unread) = (if marked { 9 } else { 8 }, 7);
        let fixed = seq + time + from + read + unread + bar + pct;
        Columns {
            seq,
            time,
            from,
            text: width.saturating_sub(fixed + 1).max(1),
            read,
            unread,
            bar,
            pct,
        }
    }
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let pane = &app.messages;
    let focused = app.focus == Pane::Messages;
    let mut title = vec![Span::styled(" Messages ", theme.title(focused))];
    if let Some(g) = &pane.group {
        let name = if g.name.is_empty() {
            g.id.as_str()
        } else {
            g.name.as_str()
        };
        title.push(Span::styled(format!("· {name} "), theme.bold()));
        let kind = g.group_type.map_or("?", |t| t.label());
        title.push(Span::styled(
            format!(
                "({kind} · {} members) times {} ",
                thousands(g.member_num),
                super::message_view::zone_label(app.ctx.utc_offset)
            ),
            theme.dim(),
        ));
    }
    let footer = footer(app, theme);
    let footer_cells = footer.as_ref().map_or(0, |l| {
        super::fit_line(l.clone(), usize::from(area.width).saturating_sub(2)).width()
    });
    let block = pane_block(theme, focused, title, footer, area.width);
    // Who sent the selected message, by name, on the bottom border while focused.
    let note = sender_line(app).filter(|_| focused);
    let block = super::with_left_note(block, note, area.width, footer_cells, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let Some(group) = &pane.group else {
        let line = match &pane.opening {
            Some(id) => Line::styled(format!("{} opening {id}…", spinner(app)), theme.dim()),
            None => Line::styled(
                "select a group and press Enter (or :group @TGS#…)",
                theme.dim(),
            ),
        };
        frame.render_widget(placeholder(line), inner);
        return;
    };
    let inner = match group.no_receipts() {
        Some(NoReceipts::Type(t)) if !pane.has_history() => {
            let headline = format!("{t} groups have no read receipts.");
            let hint = "Nor unread counts or a message history to list. Pick another group.";
            frame.render_widget(notice(theme, headline, hint), inner);
            return;
        }
        Some(NoReceipts::Type(t)) if inner.height >= 3 && pane.positions_only().is_some() => {
            let banner = Rect { height: 1, ..inner };
            let text = format!("no receipts in {t} groups: read positions instead");
            frame.render_widget(Paragraph::new(Line::styled(text, theme.warn())), banner);
            Rect {
                y: inner.y + 1,
                height: inner.height - 1,
                ..inner
            }
        }
        // Over the cap: say so on the first line; the messages (counts "—" where there is
        // no receipt) follow below it.
        // (The model's viewport gives up the same row: `App::relayout`.)
        Some(NoReceipts::TooManyMembers(_)) if inner.height >= 3 => {
            let banner = Rect { height: 1, ..inner };
            // The mark goes first when the pane is narrow (80 columns leave 54 cells).
            let w = usize::from(inner.width);
            let text = if w >= RECEIPT_CAP_SENTENCE.len() + 2 {
                format!("⚠ {RECEIPT_CAP_SENTENCE}")
            } else if w >= RECEIPT_CAP_SENTENCE.len() {
                RECEIPT_CAP_SENTENCE.to_string()
            } else {
                // The narrowest panes (60x15) get the same fact, shorter.
                "no receipts: groups over 200 members have none".to_string()
            };
            frame.render_widget(Paragraph::new(Line::styled(text, theme.warn())), banner);
            Rect {
                y: inner.y + 1,
                height: inner.height - 1,
                ..inner
            }
        }
        _ => inner,
    };
    let len = pane.visible_len();
    if len == 0 {
        let state = pane.list.state();
        let line = empty_list_line(
            app,
            theme,
            state,
            matches!(state, PageState::Loading | PageState::Idle),
            !pane.filter.is_empty(),
            "message",
            "no messages in this group",
        );
        frame.render_widget(placeholder(line), inner);
        return;
    }

    let height = usize::from(inner.height.saturating_sub(1));
    let window = pane.view.window(len, height);
    let rows: Vec<&MessageRow> = window
        .clone()
        .filter_map(|r| pane.filter.item_index(r).and_then(|i| pane.list.get(i)))
        .collect();
    let max_digits = rows
        .iter()
        .map(|r| r.message.seq.to_string().len())
        .max()
        .unwrap_or(3);
    let marked = positions_note(app).is_some();
    let cols = Columns::for_width(usize::from(inner.width), max_digits, marked);
    let newest = pane.list.get(0).map_or(0, |r| r.message.time);

    let mut lines = Vec::with_capacity(height + 1);
    let mut header = Vec::new();
    if cols.seq > 0 {
        header.push(pad_left("seq", cols.seq - 1) + " ");
    }
    if cols.time > 0 {
        header.push(pad_right("time", cols.time));
    }
    if cols.from > 0 {
        header.push(pad_right("from", cols.from));
    }
    header.push(pad_right("text", cols.text));
    header.push(pad_left("read", cols.read));
    header.push(pad_left("unread", cols.unread));
    if cols.bar > 0 {
        header.push(" ".to_string() + &pad_right("read %", cols.bar - 1));
    }
    lines.push(Line::styled(header.concat(), theme.column_header()));

    for (row_index, row) in window.zip(rows) {
        let m = &row.message;
        let when = if same_day(m.time, newest, app.ctx.utc_offset) {
            clock(m.time, app.ctx.utc_offset)
        } else {
            day(m.time, app.ctx.utc_offset)
        };
        let (text, text_style) = match m.kind {
            MessageKind::Recalled => ("[recalled]".to_string(), theme.dim()),
            MessageKind::Expired => ("[expired]".to_string(), theme.dim()),
            MessageKind::Normal if m.is_system => (format!("[system] {}", m.text), theme.dim()),
            MessageKind::Normal => (m.text.clone(), theme.text()),
        };
        let mut spans = Vec::new();
        if cols.seq > 0 {
            spans.push(Span::styled(
                pad_left(&m.seq.to_string(), cols.seq - 1) + " ",
                theme.dim(),
            ));
        }
        if cols.time > 0 {
            spans.push(Span::raw(pad_right(&when, cols.time)));
        }
        if cols.from > 0 {
            // The account first, always; its name after it where the column has room.
            let name = super::people::name_of(app, app.messages.group_id(), &m.from)
                .filter(|n| !n.is_empty() && !m.is_system);
            let account = crate::text::printable(&m.from);
            let room = (cols.from - 1).saturating_sub(super::text::width(&account) + 1);
            match name {
                Some(name) if room >= 4 => {
                    spans.push(Span::raw(account + " "));
                    spans.push(Span::styled(pad_right(&name, room) + " ", theme.dim()));
                }
                _ => spans.push(Span::raw(pad_right(&m.from, cols.from - 1) + " ")),
            }
        }
        spans.push(Span::styled(pad_right(&text, cols.text), text_style));
        spans.extend(count_spans(theme, row, positions_counts(app, row), &cols));
        let mut line = Line::from(spans);
        if row_index == pane.view.selected {
            line = line.style(theme.selected(focused));
        }
        lines.push(line);
    }
    if lines.len() <= height && pane.list.is_loading() {
        lines.push(Line::styled(
            format!("{} loading older messages…", spinner(app)),
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// "from ops.lead · Li Wei" for the selected message (the name once it is known).
fn sender_line(app: &App) -> Option<String> {
    let m = &app.messages.selected()?.message;
    if m.is_system || m.from.is_empty() {
        return None;
    }
    let account = crate::text::printable(&m.from);
    Some(
        match super::people::name_of(app, app.messages.group_id(), &m.from) {
            Some(name) if !name.is_empty() => format!("from {account} · {name}"),
            _ => format!("from {account}"),
        },
    )
}

/// Counts from the group's complete read-position scan, for a message without a receipt.
fn positions_counts(app: &App, row: &MessageRow) -> Option<ReceiptCount> {
    if !row.counts.no_receipt() || row.message.kind != MessageKind::Normal {
        return None;
    }
    let group = app.messages.group_id()?;
    let (read, unread) = app
        .members
        .scans
        .get(group)?
        .counts(row.message.seq, &row.message.from)?;
    Some(ReceiptCount {
        seq: row.message.seq,
        read: Some(read),
        unread: Some(unread),
        code: 0,
    })
}

fn count_spans<'a>(
    theme: &Theme,
    row: &MessageRow,
    positions: Option<ReceiptCount>,
    cols: &Columns,
) -> Vec<Span<'a>> {
    let blank = |s: &str| -> Vec<Span<'a>> {
        let mut v = vec![
            Span::styled(pad_left(s, cols.read), theme.dim()),
            Span::styled(pad_left(s, cols.unread), theme.dim()),
        ];
        if cols.bar > 0 {
            v.push(Span::raw(" ".repeat(cols.bar + cols.pct)));
        }
        v
    };
    // Counts from read positions are marked "p" (they say "read up to", not a receipt).
    let (counts, from_positions) = match positions {
        Some(count) => (Counts::Known { count, live: false }, true),
        None => (row.counts, false),
    };
    match counts {
        Counts::Unknown => blank("…"),
        Counts::Failed => blank("?"),
        Counts::Known { count, live } => match (count.read, count.unread) {
            (Some(read), Some(unread)) => {
                let mark = if live {
                    "●"
                } else if from_positions {
                    "p "
                } else {
                    ""
                };
                let read_text = format!("{mark}{}", thousands(read));
                let mut v = vec![
                    Span::styled(
                        pad_left(&read_text, cols.read),
                        if live { theme.live() } else { theme.text() },
                    ),
                    Span::styled(pad_left(&thousands(unread), cols.unread), theme.unread()),
                ];
                if cols.bar > 0 {
                    let ratio = count.ratio().unwrap_or(0.0);
                    v.push(Span::raw(" "));
                    v.push(Span::styled(bar(ratio, cols.bar - 1), theme.read_bar()));
                    if cols.pct > 0 {
                        v.push(Span::styled(
                            pad_left(&format!("{:.0}%", ratio * 100.0), cols.pct),
                            theme.dim(),
                        ));
                    }
                }
                v
            }
            _ => blank("—"),
        },
    }
}

/// "p = read positions as of …" when some counts come from the group's scan.
fn positions_note(app: &App) -> Option<String> {
    let group = app.messages.group_id()?;
    let scan = app.members.scans.get(group)?;
    let ms = scan.finished_ms.filter(|_| scan.is_complete())?;
    Some(format!(
        " p = read positions as of {} ",
        super::text::clock_secs(ms / 1000, app.ctx.utc_offset)
    ))
}

fn footer(app: &App, theme: &Theme) -> Option<Line<'static>> {
    let pane = &app.messages;
    let mut parts: Vec<Span<'static>> = Vec::new();
    if !pane.filter.is_empty() {
        parts.push(Span::styled(
            format!(
                " /{} · {} of {} ",
                pane.filter.query(),
                pane.visible_len(),
                pane.list.len()
            ),
            theme.warn(),
        ));
    }
    if let Some(at) = positions_note(app) {
        parts.push(Span::styled(at, theme.dim()));
    }
    if pane.has_newer() {
        parts.push(Span::styled(" newer messages · r loads ", theme.live()));
    }
    if app.watch {
        parts.push(Span::styled(
            format!(" watch {}s ", app.ctx.watch_interval.as_secs()),
            theme.live(),
        ));
    }
    match pane.list.state() {
        PageState::Failed(_) => parts.push(Span::styled(" ✗ r retry ", theme.error())),
        PageState::Loading if !pane.list.is_empty() => parts.push(Span::styled(
            format!(" {} loading ", spinner(app)),
            theme.dim(),
        )),
        _ => {}
    }
    (!parts.is_empty()).then(|| Line::from(parts))
}

#[cfg(test)]
mod width_tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use crate::tui::test_harness::Harness;
    use crate::tui::ui;

    /// The seq column stays at every size the dashboard draws, 60x15 included.
    #[test]
    fn the_seq_column_stays_at_the_smallest_size() {
        for size in [(60, 15), (80, 24), (100, 30)] {
            let h = Harness::with_group_open_sized(false, size);
            let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
            terminal
                .draw(|f| ui::draw(f, &h.app, &ui::theme::Theme::mono()))
                .unwrap();
            let screen = terminal.backend().to_string();
            assert!(screen.contains("seq"), "{size:?}:\n{screen}");
            assert!(screen.contains("1042"), "{size:?}:\n{screen}");
            assert!(screen.contains("1040"), "{size:?}:\n{screen}");
        }
    }
}
