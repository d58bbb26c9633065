//! Small text helpers for drawing: widths, truncation, numbers, times, the ratio bar.

use time::{OffsetDateTime, UtcOffset};
use unicode_width::UnicodeWidthChar;

pub use crate::text::{truncate, width};

/// `n` and the noun in the right number: "1 match", "2 matches", "1,205 groups".
pub fn count_of(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// Word-wrap `s`: the first line gets `first` cells, the others `rest`. A word wider than
/// its line is split. Always at least one (possibly empty) line.
pub fn wrap(s: &str, first: usize, rest: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![String::new()];
    let room = |n: usize| if n == 0 { first } else { rest }.max(1);
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        let mut word = word.to_string();
        while !word.is_empty() {
            let n = lines.len() - 1;
            let used = width(&lines[n]);
            let sep = usize::from(used > 0);
            if used + sep + width(&word) <= room(n) {
                if sep == 1 {
                    lines[n].push(' ');
                }
                lines[n].push_str(&word);
                break;
            }
            if used > 0 {
                lines.push(String::new());
                continue;
            }
            // The word alone is wider than a whole line: split it.
            let mut head = String::new();
            let mut w = 0;
            let mut cut = word.len();
            for (i, c) in word.char_indices() {
                let cw = c.width().unwrap_or(0);
                if w + cw > room(n) && !head.is_empty() {
                    cut = i;
                    break;
                }
                head.push(c);
                w += cw;
            }
            lines[n] = head;
            word = word[cut..].to_string();
            if !word.is_empty() {
                lines.push(String::new());
            }
        }
    }
    lines
}

/// `s` cut or padded with spaces to exactly `cells` cells, left-aligned.
pub fn pad_right(s: &str, cells: usize) -> String {
    let t = truncate(s, cells);
    let w = width(&t);
    format!("{t}{}", " ".repeat(cells.saturating_sub(w)))
}

/// `s` cut or padded with spaces to exactly `cells` cells, right-aligned.
pub fn pad_left(s: &str, cells: usize) -> String {
    let t = truncate(s, cells);
    let w = width(&t);
    format!("{}{t}", " ".repeat(cells.saturating_sub(w)))
}

/// 1234567 → "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
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
    fn times() {
        let utc = UtcOffset::UTC;
        assert_eq!(clock(1_700_000_000, utc), "22:13");
        assert_eq!(clock_secs(1_700_000_000, utc), "22:13:20");
        assert_eq!(day(1_700_000_000, utc), "11-14");
        assert!(same_day(1_700_000_000, 1_700_000_100, utc));
    }
}

#[cfg(test)]
mod count_tests {
    #[test]
    fn one_match_two_matches() {
        assert_eq!(super::count_of(1, "match", "matches"), "1 match");
        assert_eq!(super::count_of(2, "match", "matches"), "2 matches");
        assert_eq!(super::count_of(0, "match", "matches"), "0 matches");
        assert_eq!(super::count_of(1205, "group", "groups"), "1,205 groups");
    }
}
