//! `o` on the members pane: which members show, by who they are.

/// `o`: which members of the list show, by who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PeopleFilter {
    #[default]
    All,
    /// Not online (Offline or PushOnline): they will not see it until they open the app.
    NotOnline,
    /// They muted the group's notifications.
    Muted,
}

impl PeopleFilter {
    /// The next one `o` shows.
    pub fn next(self) -> PeopleFilter {
        match self {
            PeopleFilter::All => PeopleFilter::NotOnline,
            PeopleFilter::NotOnline => PeopleFilter::Muted,
            PeopleFilter::Muted => PeopleFilter::All,
        }
    }

    /// How the border says it.
    pub fn label(self) -> &'static str {
        match self {
            PeopleFilter::All => "everyone",
            PeopleFilter::NotOnline => "not online",
            PeopleFilter::Muted => "muted the group",
        }
    }
}
