//! The status line's model: the last error (in words, with the next step), notices, the
//! call statistics, the one place typed errors become words, and how many rows the message needs at a width (the layout gives the
//! status line that many rows).

use crate::api::{ApiError, CallStats, Explanation};
use crate::session::WriteError;
use crate::text::{thousands, truncate, width, wrap};

use super::event::ExportError;
use super::layout::MAX_STATUS_ROWS;

/// Which request an error came from (a later success of the same kind clears it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Groups,
    GroupInfo,
    OpenGroup,
    Messages,
    Counts,
    Members,
    Export,
    Command,
}

/// The last error, in words, with what to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorReport {
    pub source: Source,
    pub what: String,
    pub next_step: String,
    /// Can `r` help (a transient failure)? Otherwise the next step says what will.
    pub retry: bool,
}

/// The status line's model.
#[derive(Debug, Clone, Default)]
pub struct Status {
    pub stats: CallStats,
    pub error: Option<ErrorReport>,
    /// A short note about the last thing done (copied, exported, wrote...).
    pub notice: Option<String>,
}

/// What went wrong and what to do, for the status line and the write dialog. The one place
/// that turns an `ApiError` into words: a service error names its code and, when they add to
/// ours (an account, a field, a group type), the service's own words (see `ApiError::explain`).
pub fn explain(err: &ApiError) -> Explanation {
    // The API's name goes to the log, not the narrow status line.
    err.explain()
}

/// A failed call in one line: what went wrong — what to do.
pub fn failure(err: &ApiError) -> String {
    let x = explain(err);
    format!("{} — {}", x.what, x.next_step)
}

/// Why a write did not happen, in words (the write dialog and the status line show it).
pub fn write_failure(err: &WriteError) -> String {
    match err {
        WriteError::ReadOnly(_) => err.to_string(),
        WriteError::Api(api) => failure(api),
    }
}

/// Why an export failed, in words.
pub fn export_failure(err: &ExportError) -> String {
    match err {
        ExportError::Api(api) => failure(api),
        ExportError::File(reason) => reason.clone(),
        ExportError::Task(reason) => format!("the export task failed: {reason}"),
    }
}

/// What follows an error that `r` can fix: the way out.
pub const RETRY: &str = " · r to retry";
/// A wrapped status line's rows all start here (the first one right after the icon).
pub const INDENT: &str = "   ";
/// Cells of the icon that opens the status line (" ✓ ").
pub const ICON_CELLS: usize = 3;

impl Status {
    /// The message the status line shows, and what follows it: the error with its next
    /// step (and " · r to retry" when `r` helps), else the notice.
    pub fn message(&self) -> Option<(String, &'static str)> {
        match (&self.error, &self.notice) {
            (Some(err), _) => Some((
                format!("{} — {}", err.what, err.next_step),
                if err.retry { RETRY } else { "" },
            )),
            (None, Some(notice)) => Some((notice.clone(), "")),
            (None, None) => None,
        }
    }
}

/// The call statistics that open the status line: "2 in flight · 1,204 calls · 38 ms".
pub fn calls_text(stats: &CallStats) -> String {
    let mut calls = String::new();
    if stats.in_flight > 0 {
        calls.push_str(&format!("{} in flight · ", stats.in_flight));
    }
    let noun = if stats.total_calls == 1 {
        "call"
    } else {
        "calls"
    };
    calls.push_str(&format!("{} {noun}", thousands(stats.total_calls)));
    if let Some(ms) = stats.last_latency_ms {
        calls.push_str(&format!(" · {ms} ms"));
    }
    if stats.failed_calls > 0 {
        calls.push_str(&format!(" · {} failed", thousands(stats.failed_calls)));
    }
    calls
}

/// `text` and its `suffix` on several rows of `area_width` cells, when one row (after
/// `prefix` cells) cannot hold them: an error with its next step is never cut off
/// mid-sentence while there is room to wrap. `None` when one row is enough. At most
/// `MAX_STATUS_ROWS` rows; the suffix ("r to retry") always shows.
pub fn wrapped(text: &str, suffix: &str, prefix: usize, area_width: u16) -> Option<Vec<String>> {
    let total = usize::from(area_width);
    if prefix + width(text) + width(suffix) <= total {
        return None;
    }
    // Wrapped, the words get every cell after the icon: the call counts give way.
    let room = total.saturating_sub(INDENT.len());
    let max = usize::from(MAX_STATUS_ROWS);
    let mut lines = wrap(&format!("{text}{suffix}"), room, room);
    if lines.len() > max
        && let Some((what, next)) = text.rsplit_once(" — ")
    {
        // Too long: the explanation gives way, the next step never does.
        let tail = format!(" — {next}{suffix}");
        let mut budget = (max * room).saturating_sub(width(&tail));
        for _ in 0..12 {
            let fitted = wrap(&format!("{}{tail}", truncate(what, budget)), room, room);
            if fitted.len() <= max {
                return Some(fitted);
            }
            budget = budget.saturating_sub(room / 2 + 1);
        }
    }
    if lines.len() > max {
        lines = wrap(text, room, room);
        let tail = lines[max - 1..].join(" ");
        lines.truncate(max - 1);
        lines.push(truncate(&tail, room.saturating_sub(width(suffix) + 1)) + suffix);
    }
    Some(lines)
}

#[cfg(test)]
mod next_step_tests {
    /// A long explanation (the service's own words) gives way; the next step stays whole.
    #[test]
    fn the_next_step_survives_a_long_explanation() {
        let what = "the secret key and the SDKAppID do not match (the UserSig does not verify) (error 70009; the service says: UserSig verification Failed. The UserSig in use maybe generated by Secret Key from other SDKAppID. Please regenerate UserSig)";
        let next = "copy the secret key of exactly this SDKAppID from the Chat console (Basic configuration) into the profile";
        let lines = super::wrapped(&format!("{what} — {next}"), "", 20, 80).unwrap();
        assert!(
            lines.len() <= usize::from(super::MAX_STATUS_ROWS),
            "{lines:?}"
        );
        let joined = lines.join(" ");
        assert!(joined.ends_with(next), "{joined}");
        assert!(
            joined.starts_with("the secret key and the SDKAppID do not match"),
            "{joined}"
        );
    }
}
