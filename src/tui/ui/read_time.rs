//! When the incident store says a member read the open message, in a few cells.

use super::text::{clock_secs, duration_short};
use crate::tui::model::app::App;

/// When the store says the member read the message: "read 14:02:11 · +3m 12s" (the time,
/// and how long after it was sent), "read 14:02–14:05" or "read by 14:05:10" when only
/// bounds are known (a poll or a scan saw it).
pub fn note(app: &App, read: &crate::store::Read, sent: i64) -> Option<String> {
    let offset = app.ctx.utc_offset;
    let clock = |ms: u64| clock_secs((ms / 1000) as i64, offset);
    let sent_ms = u64::try_from(sent).unwrap_or(0).saturating_mul(1000);
    match (read.read_at_ms, read.read_after_ms, read.read_before_ms) {
        (Some(at), _, _) => Some(format!(
            "read {} · +{}",
            clock(at),
            duration_short(at.saturating_sub(sent_ms))
        )),
        (None, Some(after), Some(before)) => {
            Some(format!("read {}–{}", clock(after), clock(before)))
        }
        (None, None, Some(before)) => Some(format!("read by {}", clock(before))),
        _ => None,
    }
}
