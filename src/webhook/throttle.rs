//! A budget for the receiver's warning lines (refusals, connections refused at the cap,
//! accept errors, dropped events), so forged traffic cannot fill the log directory or
//! bury `listen`'s stderr.
//!
//! Per minute, at most [`PER_KIND`] lines of one kind and [`PER_WINDOW`] lines in all are
//! written; the rest are counted. The first line written after a minute in which lines
//! were held back is preceded by one summary line ("N more … were not logged (kind N, …)"),
//! and so is the receiver's stop. Even under a sustained flood that is at most
//! `PER_WINDOW + 1` lines a minute, about 4 MB a day.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long one budget lasts.
pub const WINDOW: Duration = Duration::from_secs(60);
/// Lines of one kind per window.
pub const PER_KIND: u32 = 5;
/// Lines of all kinds together per window.
pub const PER_WINDOW: u32 = 10;

/// Whether a line may be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Admit {
    /// Write it, after `summary` when there is one (what the last window held back).
    Log { summary: Option<String> },
    /// Count it and write nothing.
    Quiet,
}

#[derive(Debug)]
struct State {
    window_start: Instant,
    logged: u32,
    /// Per kind: (lines written, lines held back) in this window.
    kinds: BTreeMap<&'static str, (u32, u64)>,
    held_back_total: u64,
}

/// The line budget of one receiver.
#[derive(Debug)]
pub struct LogBudget {
    state: Mutex<State>,
}

impl Default for LogBudget {
    fn default() -> Self {
        LogBudget::new(Instant::now())
    }
}

impl LogBudget {
    pub fn new(now: Instant) -> Self {
        LogBudget {
            state: Mutex::new(State {
                window_start: now,
                logged: 0,
                kinds: BTreeMap::new(),
                held_back_total: 0,
            }),
        }
    }

    /// May a line of `kind` be written at `now`?
    pub fn admit(&self, kind: &'static str, now: Instant) -> Admit {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let mut summary = None;
        if now.saturating_duration_since(state.window_start) >= WINDOW {
            summary = take_summary(&mut state);
            state.window_start = now;
        }
        let logged = state.logged;
        let entry = state.kinds.entry(kind).or_insert((0, 0));
        if entry.0 < PER_KIND && logged < PER_WINDOW {
            entry.0 += 1;
            state.logged += 1;
            Admit::Log { summary }
        } else {
            entry.1 += 1;
            state.held_back_total += 1;
            // A summary taken at a window change is never lost here: the counts were just
            // reset, so the first line of a new window is always admitted.
            Admit::Quiet
        }
    }

    /// The summary of what this window held back so far (`None` if nothing), and a fresh
    /// window. For the receiver's stop.
    pub fn flush(&self, now: Instant) -> Option<String> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let summary = take_summary(&mut state);
        state.window_start = now;
        summary
    }

    /// Lines held back since the start.
    pub fn held_back_total(&self) -> u64 {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .held_back_total
    }
}

/// `text` for a log line: quoted with escapes (no control character gets through) and cut
/// to `max` characters, so one line stays short whatever a client sent.
pub fn quoted(text: &str, max: usize) -> String {
    let mut cut: String = text.chars().take(max).collect();
    let more = cut.len() < text.len();
    cut = format!("{cut:?}");
    if more {
        cut.push('…');
    }
    cut
}

/// "N more warnings were not logged (kind N, ...)" for the window, and reset its counts.
fn take_summary(state: &mut State) -> Option<String> {
    let kinds = std::mem::take(&mut state.kinds);
    state.logged = 0;
    let held: Vec<(&str, u64)> = kinds
        .into_iter()
        .filter(|(_, (_, held))| *held > 0)
        .map(|(kind, (_, held))| (kind, held))
        .collect();
    if held.is_empty() {
        return None;
    }
    let total: u64 = held.iter().map(|(_, n)| n).sum();
    let parts: Vec<String> = held.iter().map(|(k, n)| format!("{k} {n}")).collect();
    Some(format!(
        "{total} more receiver warnings were not logged ({}); at most {PER_KIND} of a kind and {PER_WINDOW} in all are logged per {} s",
        parts.join(", "),
        WINDOW.as_secs()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logged(a: &Admit) -> bool {
        matches!(a, Admit::Log { .. })
    }

    #[test]
    fn a_flood_of_one_kind_logs_five_then_one_summary() {
        let t0 = Instant::now();
        let budget = LogBudget::new(t0);
        let admitted = (0..10_000)
            .filter(|_| logged(&budget.admit("bad_sign", t0)))
            .count();
        assert_eq!(admitted, PER_KIND as usize);
        // Another kind still gets its lines, up to the window's total.
        let other = (0..100)
            .filter(|_| logged(&budget.admit("wrong_app", t0 + Duration::from_secs(1))))
            .count();
        assert_eq!(other, PER_KIND as usize);
        assert_eq!(
            budget.admit("missing_sign", t0 + Duration::from_secs(2)),
            Admit::Quiet,
            "the window's total is spent"
        );
        assert_eq!(budget.held_back_total(), 9_995 + 95 + 1);
        // The next window opens with one summary of what was held back.
        let next = budget.admit("bad_sign", t0 + WINDOW);
        let Admit::Log {
            summary: Some(summary),
        } = next
        else {
            panic!("no summary: {next:?}");
        };
        assert!(
            summary.starts_with("10091 more receiver warnings were not logged"),
            "{summary}"
        );
        assert!(summary.contains("bad_sign 9995"), "{summary}");
        assert!(summary.contains("missing_sign 1"), "{summary}");
        assert!(summary.contains("wrong_app 95"), "{summary}");
        // Only once.
        assert_eq!(
            budget.admit("bad_sign", t0 + WINDOW),
            Admit::Log { summary: None }
        );
    }

    #[test]
    fn flush_reports_the_rest_once() {
        let t0 = Instant::now();
        let budget = LogBudget::new(t0);
        for _ in 0..7 {
            budget.admit("too_large", t0);
        }
        let summary = budget.flush(t0).expect("a summary");
        assert!(summary.starts_with("2 more"), "{summary}");
        assert_eq!(budget.flush(t0), None);
        assert_eq!(budget.held_back_total(), 2);
    }

    #[test]
    fn quoted_is_short_and_escaped() {
        assert_eq!(quoted("/hook", 100), "\"/hook\"");
        let long = format!("\u{1b}[2J{}", "x".repeat(10_000));
        let q = quoted(&long, 20);
        assert!(q.starts_with("\"\\u{1b}[2J"), "{q}");
        assert!(q.ends_with('…') && q.chars().count() < 40, "{q}");
        assert!(!q.chars().any(char::is_control), "{q}");
    }

    #[test]
    fn quiet_traffic_is_all_logged() {
        let t0 = Instant::now();
        let budget = LogBudget::new(t0);
        for minute in 0..100u64 {
            let now = t0 + WINDOW * u32::try_from(minute).unwrap();
            for _ in 0..PER_KIND {
                assert_eq!(budget.admit("bad_sign", now), Admit::Log { summary: None });
            }
        }
        assert_eq!(budget.held_back_total(), 0);
    }
}
