//! Small text helpers for drawing: padding, times, the ratio bar (widths, truncation,
//! wrapping and numbers come from `crate::text`, shared with the CLI).

use time::{OffsetDateTime, UtcOffset};

pub use crate::text::{count_of, thousands, truncate, width, wrap};

/// `s` made printable (service text never reaches the terminal raw), cut or padded with
/// spaces to exactly `cells` cells, left-aligned.
pub fn pad_right(s: &str, cells: usize) -> String {
    let t = truncate(&crate::text::printable(s), cells);
    let w = width(&t);
    format!("{t}{}", " ".repeat(cells.saturating_sub(w)))
}

/// `s` made printable, cut or padded with spaces to exactly `cells` cells, right-aligned.
pub fn pad_left(s: &str, cells: usize) -> String {
    let t = truncate(&crate::text::printable(s), cells);
    let w = width(&t);
    format!("{}{t}", " ".repeat(cells.saturating_sub(w)))
}

fn at(ts: i64, offset: UtcOffset) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(ts)
        .ok()
        .map(|t| t.to_offset(offset))
}

/// "HH:MM" of a Unix time.
pub fn clock(ts: i64, offset: UtcOffset) -> String {
    at(ts, offset).map_or_else(
        || "--:--".into(),
        |t| format!("{:02}:{:02}", t.hour(), t.minute()),
    )
}

/// "HH:MM:SS" of a Unix time.
pub fn clock_secs(ts: i64, offset: UtcOffset) -> String {
    at(ts, offset).map_or_else(
        || "--:--:--".into(),
        |t| format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second()),
    )
}

/// A duration in the two largest units that matter: "45s", "3m 12s", "1h 04m", "2d 03h".
pub fn duration_short(ms: u64) -> String {
    let s = ms / 1000;
    match s {
        0..60 => format!("{s}s"),
        60..3_600 => format!("{}m {:02}s", s / 60, s % 60),
        3_600..86_400 => format!("{}h {:02}m", s / 3_600, s % 3_600 / 60),
        _ => format!("{}d {:02}h", s / 86_400, s % 86_400 / 3_600),
    }
}

/// "MM-DD" of a Unix time.
pub fn day(ts: i64, offset: UtcOffset) -> String {
    at(ts, offset).map_or_else(
        || "--".into(),
        |t| format!("{:02}-{:02}", u8::from(t.month()), t.day()),
    )
}

/// Same calendar day?
pub fn same_day(a: i64, b: i64, offset: UtcOffset) -> bool {
    match (at(a, offset), at(b, offset)) {
        (Some(a), Some(b)) => a.date() == b.date(),
        _ => false,
    }
}

/// A bar of `cells` cells filled to `ratio` (0–1) with eighth blocks.
pub fn bar(ratio: f64, cells: usize) -> String {
    const EIGHTHS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let ratio = if ratio.is_finite() {
        ratio.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let total = (ratio * (cells * 8) as f64).round() as usize;
    let full = total / 8;
    let part = total % 8;
    let mut s = "█".repeat(full);
    if full < cells {
        s.push(EIGHTHS[part]);
        s.push_str(&" ".repeat(cells - full - 1));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_truncation() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(truncate("Outage update: API", 10), "Outage up…");
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("日本語テキスト", 5), "日本…");
        assert_eq!(pad_left("42", 5), "   42");
        assert_eq!(pad_right("ab", 4), "ab  ");
    }

    #[test]
    fn wrapping() {
        assert_eq!(wrap("", 10, 10), vec![""]);
        assert_eq!(wrap("one two three", 20, 20), vec!["one two three"]);
        assert_eq!(wrap("one two three", 7, 5), vec!["one two", "three"]);
        assert_eq!(wrap("one two three", 3, 9), vec!["one", "two three"]);
        assert_eq!(wrap("abcdefghij", 4, 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(
            wrap("日本語テキスト", 4, 4),
            vec!["日本", "語テ", "キス", "ト"]
        );
        for line in wrap("the secret key and the SDKAppID do not match", 12, 12) {
            assert!(width(&line) <= 12, "{line}");
        }
    }

    #[test]
    fn bars() {
        assert_eq!(bar(0.0, 4), "    ");
        assert_eq!(bar(1.0, 4), "████");
        assert_eq!(bar(0.5, 4), "██  ");
        assert_eq!(bar(0.53, 4).chars().count(), 4);
        assert_eq!(bar(f64::NAN, 2), "  ");
    }

    #[test]
    fn durations() {
        assert_eq!(duration_short(45_400), "45s");
        assert_eq!(duration_short(192_000), "3m 12s");
        assert_eq!(duration_short(3_840_000), "1h 04m");
        assert_eq!(duration_short(183_600_000), "2d 03h");
    }

    #[test]
    fn times() {
        let utc = UtcOffset::UTC;
        assert_eq!(clock(1_700_000_000, utc), "22:13");
        assert_eq!(clock_secs(1_700_000_000, utc), "22:13:20");
        assert_eq!(day(1_700_000_000, utc), "11-14");
        assert!(same_day(1_700_000_000, 1_700_000_100, utc));
    }
}
