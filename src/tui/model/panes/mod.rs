//! State of the list panes: groups, messages, members. Pure data and the small rules that
//! belong to one pane, one file each; what they share is `ListPane`; the cross-pane flow
//! lives in `app.rs` and its siblings.

mod groups;
mod list_pane;
mod members;
mod messages;
mod people_filter;
mod scans;

pub use groups::{GROUP_PAGE, GroupDetails, GroupsPane, INFO_BATCH};
pub use list_pane::ListPane;
pub use members::{
    MEMBER_PAGE, MemberSource, MemberTarget, MembersPane, PeopleFilter, PositionRows,
};
pub use messages::{Counts, MESSAGE_PAGE, MessageRow, MessagesPane};
pub use scans::{GroupScan, SCAN_PAGE, ScanCursor, Scans};
