//! Checks on the IDs a caller passes, before any call is made.

use super::error::ApiError;
use super::result::Result;

/// A group ID must not be empty (the service would answer with a less helpful error).
pub(crate) fn check_group(group: &str) -> Result<()> {
    if group.trim().is_empty() {
        Err(ApiError::Invalid(
            "the group ID is empty: pass one (see `tim-receipts groups`)".into(),
        ))
    } else {
        Ok(())
    }
}
