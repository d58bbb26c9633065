//! Where each pane goes. A pure function of the terminal size and the toggles, used both
//! by drawing and by `update` (which needs the visible row counts for scrolling and
//! prefetching), so the two always agree.

use ratatui::layout::{Constraint, Layout, Rect};

use super::pane::Pane;

/// Below this the dashboard shows "terminal too small".
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

/// The rectangles of one frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub groups: Rect,
    pub messages: Rect,
    pub members: Rect,
    /// The live events pane with the read-over-time chart (toggled with `E`).
    pub events: Option<Rect>,
    pub status: Rect,
}

/// Rows of data each list pane shows at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewport {
    pub groups: usize,
    pub messages: usize,
    pub members: usize,
}

impl Viewport {
    /// Rows of data `pane` shows at once.
    pub fn rows(&self, pane: Pane) -> usize {
        match pane {
            Pane::Groups => self.groups,
            Pane::Messages => self.messages,
            Pane::Members => self.members,
        }
    }
}

impl Default for Viewport {
    fn default() -> Self {
        Viewport {
            groups: 8,
            messages: 7,
            members: 10,
        }
    }
}

/// The status line grows to at most this many rows (a long error: ours, the service's own
/// words and the next step).
pub const MAX_STATUS_ROWS: u16 = 4;

/// Split the screen, or `None` when it is below the minimum size. `status_rows` is what the
/// status line asks for (1 unless an error or notice needs wrapping); it never takes the
/// panes below what the minimum size gives them.
pub fn areas(area: Rect, show_events: bool, status_rows: u16) -> Option<Areas> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let spare = area.height - MIN_HEIGHT + 1;
    let status_rows = status_rows.clamp(1, MAX_STATUS_ROWS).min(spare);
    let [header, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(status_rows),
    ])
    .areas(area);
    // The top row (groups | messages) gets a bit under half; members get the rest.
    let top_height = (body.height * 9 / 20).max(7);
    let [top, bottom] =
        Layout::vertical([Constraint::Length(top_height), Constraint::Min(0)]).areas(body);
    let groups_width = (top.width * 3 / 10).clamp(22, 40);
    let [groups, messages] =
        Layout::horizontal([Constraint::Length(groups_width), Constraint::Min(0)]).areas(top);
    let (members, events) = if show_events {
        let members_width = (bottom.width / 2).clamp(30, 60);
        let [members, events] =
            Layout::horizontal([Constraint::Length(members_width), Constraint::Min(0)])
                .areas(bottom);
        (members, Some(events))
    } else {
        (bottom, None)
    };
    Some(Areas {
        header,
        groups,
        messages,
        members,
        events,
        status,
    })
}

impl Areas {
    /// Where `pane` is drawn.
    pub fn of(&self, pane: Pane) -> Rect {
        match pane {
            Pane::Groups => self.groups,
            Pane::Messages => self.messages,
            Pane::Members => self.members,
        }
    }

    /// Data rows: borders take two lines, the messages table one more for its header.
    pub fn viewport(&self) -> Viewport {
        Viewport {
            groups: usize::from(self.groups.height.saturating_sub(2)).max(1),
            messages: usize::from(self.messages.height.saturating_sub(3)).max(1),
            members: usize::from(self.members.height.saturating_sub(2)).max(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_80x24() {
        let a = areas(Rect::new(0, 0, 80, 24), false, 1).unwrap();
        assert_eq!(a.header.height, 1);
        assert_eq!(a.status.y, 23);
        assert!(a.messages.width >= 50);
        let v = a.viewport();
        assert!(v.messages >= 6, "{v:?}");
        assert!(v.members >= 9, "{v:?}");
        let with_events = areas(Rect::new(0, 0, 80, 24), true, 1).unwrap();
        assert!(with_events.events.is_some());
    }

    #[test]
    fn too_small_is_none() {
        assert!(areas(Rect::new(0, 0, 40, 10), false, 1).is_none());
        assert!(areas(Rect::new(0, 0, 80, 14), false, 1).is_none());
    }

    #[test]
    fn status_grows_for_a_long_error_but_never_below_the_minimum() {
        let one = areas(Rect::new(0, 0, 80, 24), false, 1).unwrap();
        let three = areas(Rect::new(0, 0, 80, 24), false, 3).unwrap();
        assert_eq!(three.status.height, 3);
        assert_eq!(three.status.y, 21);
        assert_eq!(three.members.height + 2, one.members.height);
        let capped = areas(Rect::new(0, 0, 80, 24), false, 9).unwrap();
        assert_eq!(capped.status.height, MAX_STATUS_ROWS);
        // At the minimum height the status line stays one row.
        let min = areas(Rect::new(0, 0, 80, MIN_HEIGHT), false, 3).unwrap();
        assert_eq!(min.status.height, 1);
        let min1 = areas(Rect::new(0, 0, 80, MIN_HEIGHT + 1), false, 3).unwrap();
        assert_eq!(min1.status.height, 2);
    }
}
