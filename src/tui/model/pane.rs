//! Which list pane: the focus, a filter's target, a `>` in progress.

/// The focusable panes, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Groups,
    Messages,
    Members,
}

impl Pane {
    pub const ORDER: [Pane; 3] = [Pane::Groups, Pane::Messages, Pane::Members];

    pub fn index(self) -> usize {
        Pane::ORDER.iter().position(|p| *p == self).unwrap_or(0)
    }
}
