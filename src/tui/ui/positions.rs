//! The members pane when it shows read positions: the rows (account, how far each member
//! has read, who joined after the message), the totals of a complete scan and the scan's
//! progress and age in the footer.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::{clock_secs, thousands};
use super::theme::Theme;
use super::{placeholder, retry_helps, spinner};
use crate::api::ReceiptFilter;
use crate::tui::model::app::App;
use crate::tui::model::paged::PageState;
use crate::tui::model::pane::Pane;
use crate::tui::model::panes::{GroupScan, ListPane};

/// (read, unread) of the open message from a complete scan.
pub fn totals(app: &App) -> Option<(u64, u64)> {
    let target = app.members.target.as_ref()?;
    app.members.scan()?.counts(target.seq, &target.from)
}

/// The right-hand note of a row: how far the member has read, and a late join.
fn row_note(read_seq: u64, joined_after: bool) -> String {
    let read = if read_seq == 0 {
        "never read".to_string()
    } else {
        format!("read to #{read_seq}")
    };
    if joined_after {
        format!("joined after · {read}")
    } else {
        read
    }
}

pub fn draw_rows(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let pane = &app.members;
    let focused = app.focus == Pane::Members;
    let len = pane.visible_len();
    let scan = pane.scan();
    if len == 0 {
        frame.render_widget(placeholder(empty_line(app, theme, scan)), area);
        return;
    }
    let height = usize::from(area.height);
    let width = usize::from(area.width.saturating_sub(1));
    let mut lines = Vec::with_capacity(height);
    for row in pane.view.window(len, height) {
        let Some(p) = pane
            .filter
            .item_index(row)
            .and_then(|i| pane.positions.rows.get(i))
        else {
            continue;
        };
        // What the store knows of when they read it, else how far they have read.
        let stored = (pane.which == ReceiptFilter::Read)
            .then(|| app.stored.read_of(&p.account))
            .flatten();
        let note = pane
            .target
            .as_ref()
            .zip(stored)
            .and_then(|(t, r)| super::read_time::note(app, r, t.time))
            .unwrap_or_else(|| row_note(p.read_seq, p.joined_after));
        let note = match pane.target.as_ref() {
            Some(t) => {
                super::people::with_role_and_status(app, &t.group, &p.account, Some(note.clone()))
                    .unwrap_or(note)
            }
            None => note,
        };
        // The account keeps at least 12 cells; the note gives way first.
        let style = if p.joined_after {
            theme.warn()
        } else {
            theme.dim()
        };
        let group = pane.target.as_ref().map(|t| t.group.as_str());
        let name = super::people::name_of(app, group, &p.account);
        let spans =
            super::people::member_row(&p.account, name.as_deref(), Some((&note, style)), width);
        let mut line = Line::from(spans);
        if row == pane.view.selected {
            line = line.style(theme.selected(focused));
        }
        lines.push(line);
    }
    if lines.len() < height
        && let Some(s) = scan
    {
        lines.extend(super::list_tail(
            app,
            theme,
            s.list.state(),
            "scanning more members…",
            "the scan stopped on an error",
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn empty_line(app: &App, theme: &Theme, scan: Option<&GroupScan>) -> Line<'static> {
    let pane = &app.members;
    let Some(scan) = scan else {
        return Line::styled("no read positions", theme.dim());
    };
    let side = match pane.which {
        ReceiptFilter::Unread => "unread",
        ReceiptFilter::Read => "read",
    };
    match scan.list.state() {
        PageState::Failed(_) if retry_helps(app) => {
            Line::styled("✗ could not scan the members · r to retry", theme.error())
        }
        PageState::Failed(_) => Line::styled(
            "✗ could not scan the members (see the status line)",
            theme.error(),
        ),
        _ if !pane.filter.is_empty() => Line::styled("no loaded member matches", theme.dim()),
        PageState::Exhausted => Line::styled(
            match pane.which {
                ReceiptFilter::Unread => "everybody has read up to this message",
                ReceiptFilter::Read => "nobody has read up to this message yet",
            },
            theme.dim(),
        ),
        _ if scan.loaded() == 0 => Line::styled(
            format!("{} scanning read positions…", spinner(app)),
            theme.dim(),
        ),
        _ => Line::styled(
            format!(
                "none {side} among the first {} members scanned",
                thousands(scan.loaded() as u64)
            ),
            theme.dim(),
        ),
    }
}

/// The footer: the scan's age when complete, else how far it got and what goes on.
pub fn footer(app: &App, theme: &Theme) -> Option<Line<'static>> {
    let pane = &app.members;
    let scan = pane.scan()?;
    let mut parts = Vec::new();
    if !pane.filter.is_empty() {
        parts.push(Span::styled(super::people::filter_label(app), theme.warn()));
        parts.extend(super::people::names_coverage(app, theme));
    }
    let loaded = thousands(scan.loaded() as u64);
    let total = scan.member_num.map(thousands);
    let of_total = total.map_or(String::new(), |t| format!(" of {t}"));
    if scan.is_complete() {
        let at = scan.finished_ms.map_or(String::new(), |ms| {
            clock_secs(ms / 1000, app.ctx.utc_offset)
        });
        parts.push(Span::styled(
            format!(" positions as of {at} · {loaded} members"),
            theme.dim(),
        ));
        // Members who joined or left while the scan ran are reported, not hidden.
        if let (Some(first), Some(last)) = (scan.member_num_first, scan.member_num)
            && first != last
        {
            parts.push(Span::styled(
                format!(
                    " · {}→{} during the scan",
                    thousands(first),
                    thousands(last)
                ),
                theme.warn(),
            ));
        }
        parts.push(Span::styled(" · r rescans ", theme.dim()));
        return Some(Line::from(parts));
    }
    let text = match scan.list.state() {
        PageState::Failed(_) if retry_helps(app) => {
            format!(" scan failed at {loaded}{of_total} · ✗ r to retry ")
        }
        PageState::Failed(_) => format!(" scan failed at {loaded}{of_total} "),
        _ if scan.stopped => format!(" scan stopped at {loaded}{of_total} · > goes on "),
        _ if scan.community && app.load_all != Some(Pane::Members) => {
            format!(" {loaded}{of_total} members scanned · > scans all for counts ")
        }
        _ => format!(
            " {} scanning {loaded}{of_total} members · Esc stops ",
            spinner(app)
        ),
    };
    let style = if scan.list.error().is_some() {
        theme.error()
    } else {
        theme.dim()
    };
    parts.push(Span::styled(text, style));
    Some(Line::from(parts))
}
