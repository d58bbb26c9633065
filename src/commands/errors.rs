//! Failures as one line for the user: API errors (with the group-ID hint) and write errors.

use crate::api::{ApiError, WriteAction};
use crate::session::WriteError;

/// An API error as one line: what happened, the raw error, what to do next.
pub fn api_error(e: ApiError) -> anyhow::Error {
    anyhow::anyhow!(e.one_line())
}

/// An API error about group `group` as one line: as [`api_error`], and when the group was
/// not found and its ID has lower-case letters, "group IDs are case-sensitive: did you mean …?".
pub fn group_api_error(group: &str) -> impl Fn(ApiError) -> anyhow::Error + '_ {
    move |e| anyhow::anyhow!(e.one_line_in_group(group))
}

/// A write error as one line.
pub fn write_error(action: &WriteAction) -> impl Fn(WriteError) -> anyhow::Error + '_ {
    move |e| match (e, action) {
        (WriteError::Api(e), WriteAction::SetUnread { group, .. }) => group_api_error(group)(e),
        (WriteError::Api(e), _) => api_error(e),
        (other, _) => anyhow::anyhow!(other.to_string()),
    }
}
