//! The members pane: the Unread / Read list of the selected message, paged in ahead of
//! the cursor, with loaded/total and a scrollbar.

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

use super::text::thousands;
use super::theme::Theme;
use super::{empty_list_line, notice, over_cap_hint, pane_block, placeholder, spinner};
use crate::api::{NoReceipts, RECEIPT_CAP_SENTENCE, ReceiptFilter};
use crate::tui::model::app::App;
use crate::tui::model::paged::PageState;
use crate::tui::model::pane::Pane;
use crate::tui::model::panes::{ListPane, MemberSource};

/// Total of the shown list, from the message's counts (or the group's complete scan).
fn list_total(app: &App, which: ReceiptFilter) -> Option<u64> {
    if app.shows_positions() {
        let (read, unread) = super::positions::totals(app)?;
        return Some(match which {
            ReceiptFilter::Read => read,
            ReceiptFilter::Unread => unread,
        });
    }
    let target = app.members.target.as_ref()?;
    let count = app.messages.row_by_seq(target.seq)?.counts.count()?;
    match which {
        ReceiptFilter::Read => count.read,
        ReceiptFilter::Unread => count.unread,
    }
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let pane = &app.members;
    let focused = app.focus == Pane::Members;
    let mut title = vec![Span::styled(" Members ", theme.title(focused))];
    if let Some(target) = &pane.target {
        // The title always names the message (and where the list comes from), at any
        // width: an agent must never read a list as another message's.
        let source = pane.source.label();
        let seq = if area.width >= 70 {
            format!("· seq {} {source} · ", target.seq)
        } else {
            format!("· #{} {source} · ", target.seq)
        };
        title.push(Span::styled(seq, theme.dim()));
        // A narrow pane names only the list shown (the source label must fit).
        let narrow = area.width < 70;
        for (i, which) in [ReceiptFilter::Unread, ReceiptFilter::Read]
            .into_iter()
            .filter(|w| !narrow || *w == pane.which)
            .enumerate()
        {
            if i > 0 {
                title.push(Span::styled(" │ ", theme.dim()));
            }
            let total =
                list_total(app, which).map_or(String::new(), |t| format!(" ({})", thousands(t)));
            let text = format!("{}{total}", which.label());
            if which == pane.which {
                title.push(Span::styled(text, theme.selected(true)));
            } else {
                title.push(Span::styled(text, theme.dim()));
            }
        }
        title.push(Span::raw(" "));
    }
    let block = pane_block(theme, focused, title, footer(app, theme), area.width);
    // Who the selected member is, on the bottom border while the pane has the focus.
    let note = if focused {
        super::people::who_is(app)
    } else {
        None
    };
    // (The footer is built a second time only when a note needs its width.)
    let cells = match note {
        Some(_) => footer_cells(app, theme, area.width),
        None => 0,
    };
    let block = super::with_left_note(block, note, area.width, cells, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let over_cap = match app.messages.group.as_ref().and_then(|g| g.no_receipts()) {
        Some(NoReceipts::TooManyMembers(n)) => Some(n),
        _ => None,
    };
    let Some(target) = &pane.target else {
        if let Some(n) = over_cap {
            let headline = format!("No member lists: {RECEIPT_CAP_SENTENCE}.");
            frame.render_widget(notice(theme, headline, over_cap_hint(n)), inner);
            return;
        }
        let line = if app.messages.group.is_some() && !app.messages.supports_receipts() {
            "no member lists: this group type has no read receipts"
        } else if app.messages.group.is_some() {
            "select a message: its Unread / Read members show here"
        } else {
            "open a group, then a message"
        };
        frame.render_widget(placeholder(Line::styled(line, theme.dim())), inner);
        return;
    };
    if pane.source == MemberSource::Position {
        super::positions::draw_rows(frame, inner, app, theme);
        draw_scrollbar(frame, area, app, theme, usize::from(inner.height));
        return;
    }
    if pane.no_receipt {
        let headline = format!("message {} has no read receipt", target.seq);
        let paragraph = match over_cap {
            Some(n) => notice(
                theme,
                format!("{headline}: {RECEIPT_CAP_SENTENCE}."),
                over_cap_hint(n),
            ),
            None if !target.has_positions() => notice(
                theme,
                headline,
                format!(
                    "it was sent without NeedReadReceipt, or it was recalled or has expired; {} groups keep no unread counts, so there are no read positions either",
                    target.group_type.map_or("these", |t| t.label())
                ),
            ),
            None => notice(
                theme,
                headline,
                "it was sent without NeedReadReceipt, or it was recalled or has expired",
            ),
        };
        frame.render_widget(paragraph, inner);
        return;
    }
    let len = pane.visible_len();
    if len == 0 {
        let state = pane.list.state();
        let line = empty_list_line(
            app,
            theme,
            state,
            matches!(state, PageState::Loading | PageState::Idle),
            !pane.filter.is_empty(),
            "member",
            match pane.which {
                ReceiptFilter::Unread => "everybody has read this message",
                ReceiptFilter::Read => "nobody has read this message yet",
            },
        );
        frame.render_widget(placeholder(line), inner);
        return;
    }

    let rows_area = inner;
    let height = usize::from(rows_area.height);
    let width = usize::from(rows_area.width.saturating_sub(1));
    let mut lines = Vec::with_capacity(height);
    for row in pane.view.window(len, height) {
        let Some(account) = pane.filter.item_index(row).and_then(|i| pane.list.get(i)) else {
            continue;
        };
        let live = pane.which == ReceiptFilter::Unread && pane.live_readers.contains(account);
        // The Read list says when each member read it, as far as the store knows.
        let read_note = (pane.which == ReceiptFilter::Read)
            .then(|| app.stored.read_of(account))
            .flatten()
            .and_then(|r| super::read_time::note(app, r, target.time))
            .filter(|n| width > n.chars().count() + 14);
        let name = super::people::name_of(app, Some(&target.group), account);
        let note = if live {
            Some(("✓ read since loaded".to_string(), theme.live()))
        } else {
            super::people::with_role_and_status(app, &target.group, account, read_note)
                .map(|n| (n, theme.dim()))
        };
        let spans = super::people::member_row(
            account,
            name.as_deref(),
            note.as_ref().map(|(n, s)| (n.as_str(), *s)),
            width,
        );
        let mut line = Line::from(spans);
        if row == pane.view.selected {
            line = line.style(theme.selected(focused));
        }
        lines.push(line);
    }
    if lines.len() < height {
        lines.extend(super::list_tail(
            app,
            theme,
            pane.list.state(),
            "loading more…",
            "could not load more",
        ));
    }
    frame.render_widget(Paragraph::new(lines), rows_area);
    draw_scrollbar(frame, area, app, theme, height);
}

/// The scrollbar spans the whole list (the total when known), not just what is loaded.
fn draw_scrollbar(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, height: usize) {
    let pane = &app.members;
    let len = pane.visible_len();
    let content = list_total(app, pane.which)
        .map_or(len, |t| (t as usize).max(len))
        .max(1);
    let content = if pane.filter.is_empty() { content } else { len };
    let mut state = ScrollbarState::new(content)
        .position(pane.view.selected)
        .viewport_content_length(height);
    frame.render_stateful_widget(
        Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None)
            .thumb_style(theme.bold()),
        area.inner(Margin {
            horizontal: 0,
            vertical: 1,
        }),
        &mut state,
    );
}

/// Cells the footer takes on the bottom border.
fn footer_cells(app: &App, theme: &Theme, width: u16) -> usize {
    let room = usize::from(width).saturating_sub(2);
    footer(app, theme).map_or(0, |l| super::fit_line(l, room).width())
}

fn footer(app: &App, theme: &Theme) -> Option<Line<'static>> {
    let pane = &app.members;
    pane.target.as_ref()?;
    if pane.source == MemberSource::Position {
        return super::positions::footer(app, theme);
    }
    if pane.no_receipt {
        return None;
    }
    let mut parts = Vec::new();
    if !pane.filter.is_empty() {
        parts.push(Span::styled(super::people::filter_label(app), theme.warn()));
        parts.extend(super::people::names_coverage(app, theme));
    }
    let loaded_n = pane.list.len() as u64;
    let loaded = thousands(loaded_n);
    let total = list_total(app, pane.which);
    if pane.list.is_exhausted() {
        // The list is complete as of when it was read; live counts may have moved since.
        parts.push(Span::styled(format!(" all {loaded} loaded"), theme.dim()));
        if let Some(now) = total.filter(|t| *t != loaded_n) {
            parts.push(Span::styled(
                format!(" · now {} · r reloads ", thousands(now)),
                theme.live(),
            ));
        } else {
            parts.push(Span::raw(" "));
        }
        return Some(Line::from(parts));
    }
    let progress = match total {
        Some(total) => format!(" {loaded} of {} loaded", thousands(total)),
        None => format!(" {loaded} loaded"),
    };
    parts.push(Span::styled(progress, theme.dim()));
    match pane.list.state() {
        PageState::Loading if pane.list.is_empty() => parts.push(Span::styled(
            format!(" · {} loading… ", spinner(app)),
            theme.dim(),
        )),
        PageState::Loading => parts.push(Span::styled(
            format!(" · {} loading more… ", spinner(app)),
            theme.dim(),
        )),
        PageState::Failed(_) if super::retry_helps(app) => {
            parts.push(Span::styled(" · ✗ r to retry ", theme.error()))
        }
        PageState::Failed(_) => parts.push(Span::styled(" · ✗ failed ", theme.error())),
        PageState::Exhausted | PageState::Idle => parts.push(Span::raw(" ")),
    }
    Some(Line::from(parts))
}

#[cfg(test)]
mod title_tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use crate::tui::test_harness::{Harness, ch, fx0_for};
    use crate::tui::ui;

    /// The members pane names its message's seq at every width, with the live pane open
    /// (which narrows it) too.
    #[test]
    fn the_members_title_always_names_the_seq() {
        for size in [(60, 15), (80, 24), (100, 30), (160, 40)] {
            for live in [false, true] {
                let mut h = Harness::with_group_open_sized(false, size);
                h.answer_members(&fx0_for(&h), 0, 3, true);
                if live {
                    h.send(ch('E'));
                }
                let mut t = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
                t.draw(|f| ui::draw(f, &h.app, &ui::theme::Theme::mono()))
                    .unwrap();
                let screen = t.backend().to_string();
                let title = screen
                    .lines()
                    .find(|l| l.contains("Members"))
                    .unwrap_or_default()
                    .to_string();
                assert!(
                    title.contains("1042"),
                    "{size:?} live={live}: {title}\n{screen}"
                );
            }
        }
    }
}
