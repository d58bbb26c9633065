//! Pure drawing: `draw(frame, &app)` renders the state, nothing else. Only the visible
//! rows of each list are turned into widgets.

pub mod events;
pub mod groups;
pub mod help;
pub mod members;
pub mod message_view;
pub mod messages;
pub mod modal;
pub mod people;
pub mod picker;
pub mod positions;
pub mod prompt;
pub mod read_time;
pub mod status;
pub mod text;
pub mod theme;
pub mod user_view;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

use super::model::app::App;
// The layout is the model's (update needs the row counts); `ui::layout` is its old path.
pub use super::model::layout;
use super::model::paged::PageState;
use theme::Theme;

/// Spinner frames.
const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

pub fn spinner(app: &App) -> &'static str {
    SPINNER[app.spinner % SPINNER.len()]
}

/// Draw one frame.
pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    let area = frame.area();
    let Some(areas) = layout::areas(area, app.show_events, app.status_rows) else {
        draw_too_small(frame, area, theme);
        return;
    };
    status::draw_header(frame, areas.header, app, theme);
    groups::draw(frame, areas.groups, app, theme);
    messages::draw(frame, areas.messages, app, theme);
    members::draw(frame, areas.members, app, theme);
    if let Some(events_area) = areas.events {
        events::draw(frame, events_area, app, theme);
    }
    if app.prompt.is_some() {
        prompt::draw(frame, areas.status, area, app, theme);
    } else {
        status::draw_status(frame, areas.status, app, theme);
    }
    if let Some(picker) = &app.search.picker {
        picker::draw(frame, area, picker, theme);
    }
    if let Some(seq) = app.message_view {
        message_view::draw(frame, area, app, theme, seq);
    }
    if let Some(view) = &app.user {
        user_view::draw(frame, area, app, theme, view);
    }
    if let Some(scroll) = app.help {
        help::draw(frame, area, app, theme, scroll);
    }
    if let Some(m) = &app.modal {
        modal::draw(frame, area, app, theme, m);
    }
}

fn draw_too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    let text = vec![
        Line::styled("terminal too small", theme.warn()),
        Line::from(format!(
            "need {}×{}, have {}×{}",
            layout::MIN_WIDTH,
            layout::MIN_HEIGHT,
            area.width,
            area.height
        )),
        Line::from("enlarge the window, or q to quit"),
    ];
    let y = area.height.saturating_sub(3) / 2;
    let rect = Rect::new(area.x, area.y + y, area.width, area.height.min(3));
    frame.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        rect,
    );
}

/// The bordered block of a pane; the focused one gets a thick, bright border so focus
/// shows without colour.
pub fn pane_block<'a>(
    theme: &Theme,
    focused: bool,
    title: Vec<Span<'a>>,
    footer: Option<Line<'a>>,
    width: u16,
) -> Block<'a> {
    let mut block = Block::bordered()
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(theme.border(focused))
        .title(Line::from(title));
    if let Some(footer) = footer {
        let room = usize::from(width).saturating_sub(2);
        block = block.title_bottom(fit_line(footer, room).right_aligned());
    }
    block
}

/// `block` with `note` (who the selected row is) on its bottom border's left, cut to the
/// room the right-aligned footer of `footer_cells` leaves in `width`; none when under 12.
pub fn with_left_note<'a>(
    block: Block<'a>,
    note: Option<String>,
    width: u16,
    footer_cells: usize,
    theme: &Theme,
) -> Block<'a> {
    let Some(note) = note else { return block };
    let room = usize::from(width).saturating_sub(footer_cells + 6);
    if room < 12 {
        return block;
    }
    block.title_bottom(
        Line::styled(format!(" {} ", text::truncate(&note, room)), theme.bold()).left_aligned(),
    )
}

/// A border line cut to `max` cells, losing what matters least. Its first span says what
/// the line is about (a filter, a count) and its last the state (an error, the action to
/// take): spans between them go first, the latest first; then the first span is shortened,
/// the last kept whole while there is room. (A right-aligned line that is too wide would
/// otherwise lose its start whatever it holds.)
pub fn fit_line(line: Line<'_>, max: usize) -> Line<'_> {
    if line.width() <= max {
        return line;
    }
    if max < 2 {
        return Line::default();
    }
    let style = line.style;
    let mut spans = line.spans;
    let cells = |spans: &[Span]| spans.iter().map(Span::width).sum::<usize>();
    while spans.len() > 2 && cells(&spans) > max {
        spans.remove(spans.len() - 2);
    }
    if cells(&spans) > max {
        let last = spans.last().map_or(0, Span::width);
        if spans.len() == 2 && last + 4 <= max {
            let first = &spans[0];
            spans[0] = Span::styled(text::truncate(&first.content, max - last), first.style);
        } else {
            spans.truncate(1);
            let first = &spans[0];
            spans[0] = Span::styled(text::truncate(&first.content, max), first.style);
        }
    }
    Line::from(spans).style(style)
}

/// A centred rectangle of at most `width`×`height` inside `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// A one-line placeholder inside a pane (loading, empty, failed).
pub fn placeholder<'a>(line: Line<'a>) -> Paragraph<'a> {
    Paragraph::new(line).wrap(Wrap { trim: true })
}

/// Why a pane has nothing to list: a warning headline and a dim hint on the next line(s).
pub fn notice(
    theme: &Theme,
    headline: String,
    hint: impl Into<std::borrow::Cow<'static, str>>,
) -> Paragraph<'static> {
    Paragraph::new(vec![
        Line::styled(headline, theme.warn()),
        Line::styled(hint.into(), theme.dim()),
    ])
    .wrap(Wrap { trim: true })
}

/// The hint under a notice about a group over the receipt cap: what its messages show.
pub fn over_cap_hint(members: u64) -> String {
    format!(
        "This group has {} members: messages sent while it had more than {} have no receipt. \
         Select a message: the members' read positions show who has read up to it.",
        text::thousands(members),
        crate::vendor::limits::RECEIPT_MEMBER_CAP
    )
}

/// The placeholder line of a list pane with no row to show: still `loading`, failed,
/// nothing loaded matches the filter, or `empty` (the list has no rows at all). `row`
/// names one row ("group"); the plural adds an s.
pub fn empty_list_line(
    app: &App,
    theme: &Theme,
    state: &PageState,
    loading: bool,
    filtered: bool,
    row: &str,
    empty: &'static str,
) -> Line<'static> {
    match state {
        _ if loading => Line::styled(format!("{} loading {row}s…", spinner(app)), theme.dim()),
        PageState::Failed(_) if retry_helps(app) => Line::styled(
            format!("✗ could not load {row}s · r to retry"),
            theme.error(),
        ),
        PageState::Failed(_) => Line::styled(
            format!("✗ could not load {row}s (see the status line)"),
            theme.error(),
        ),
        _ if filtered => Line::styled(format!("no loaded {row} matches"), theme.dim()),
        _ => Line::styled(empty, theme.dim()),
    }
}

/// The line under a list's last row while its next page loads ("⠋ loading more…") or
/// after it failed ("✗ could not load more · r to retry").
pub fn list_tail(
    app: &App,
    theme: &Theme,
    state: &PageState,
    loading: &str,
    failed: &str,
) -> Option<Line<'static>> {
    match state {
        PageState::Loading => Some(Line::styled(
            format!("{} {loading}", spinner(app)),
            theme.dim(),
        )),
        PageState::Failed(_) if retry_helps(app) => Some(Line::styled(
            format!("✗ {failed} · r to retry"),
            theme.error(),
        )),
        PageState::Failed(_) => Some(Line::styled(
            format!("✗ {failed} (see the status line)"),
            theme.error(),
        )),
        _ => None,
    }
}

/// Does the status line's error say `r` can help? (True when no error is shown: a list
/// that failed can always be asked again.)
pub fn retry_helps(app: &App) -> bool {
    app.status.error.as_ref().is_none_or(|e| e.retry)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &Line) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn a_border_line_too_wide_keeps_its_head_and_its_state() {
        let line = Line::from(vec![
            Span::raw(" /pay · 1 of 9 "),
            Span::raw("· names known for 3 of 9 "),
            Span::raw("· ✗ r to retry "),
        ]);
        assert_eq!(text(&fit_line(line.clone(), 80)), text(&line));
        // The middle goes first, whole; the head and the state stay.
        assert_eq!(
            text(&fit_line(line.clone(), 32)),
            " /pay · 1 of 9 · ✗ r to retry "
        );
        // Then the head is shortened, the state kept whole.
        let cut = fit_line(line.clone(), 24);
        assert!(text(&cut).ends_with("· ✗ r to retry "), "{}", text(&cut));
        assert!(text(&cut).starts_with(" /pay"), "{}", text(&cut));
        assert_eq!(cut.width(), 24);
        // With no room for both, the head alone, cut.
        let tiny = fit_line(line.clone(), 12);
        assert!(text(&tiny).starts_with(" /pay"), "{}", text(&tiny));
        assert!(tiny.width() <= 12);
        assert_eq!(fit_line(line, 1).width(), 0);
    }
}
