//! Text for terminals, one source for the dashboard and the CLI: display width in cells,
//! cutting to a width, and making text from the service printable.
//!
//! Anything the service (or a webhook, or a UserSig) sends can hold terminal control
//! sequences: `ESC]0;…BEL` retitles the window, `ESC]52;…` writes the clipboard, `ESC[2J`
//! clears the screen, a newline forges a table row. Every such string passes
//! [`printable`] before it reaches a terminal; JSON output keeps the exact value (its
//! escaping makes it safe), and so do CSV files.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// What a control character is shown as.
pub const REPLACEMENT: char = '\u{FFFD}';

/// Display width of a string in terminal cells (a CJK character takes two).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// True when `c` could act on a terminal: C0 and C1 controls, DEL, and the bidirectional
/// overrides and isolates that reorder what is shown.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// `s` made safe for one line of a terminal: line breaks and tabs become spaces, other
/// control characters become `�`. Printable text, Chinese included, is kept as it is.
pub fn printable(s: &str) -> String {
    if !s.chars().any(is_unsafe) {
        return s.to_string();
    }
    s.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if is_unsafe(c) => REPLACEMENT,
            c => c,
        })
        .collect()
}

/// Like [`printable`], keeping line breaks (for a message of several lines).
pub fn printable_lines(s: &str) -> String {
    s.split('\n')
        .map(|line| printable(line.trim_end_matches('\r')))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Cut `s` to at most `max` cells, ending with "…" when something was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `n` and the noun in the right number: "1 match", "2 matches", "1,205 groups".
pub fn count_of(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// 1234567 → "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_newlines_and_bidi_never_survive() {
        let hostile =
            "a\u{1b}]0;pwned\u{7}b\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J\nforged row\u{9b}31m\u{202e}x";
        let p = printable(hostile);
        assert!(!p.chars().any(is_unsafe), "{p:?}");
        assert!(!p.contains('\n'));
        assert!(p.starts_with('a'));
        assert!(p.contains("forged row"), "text stays readable: {p}");
    }

    #[test]
    fn printable_text_is_untouched() {
        for s in [
            "chen.brown",
            "王磊",
            "Ops War Room — 15:05",
            "@TGS#1OPSWARROOM",
        ] {
            assert_eq!(printable(s), s);
        }
    }

    #[test]
    fn lines_are_kept_but_each_is_cleaned() {
        assert_eq!(
            printable_lines("one\u{1b}[2J\r\ntwo"),
            "one\u{FFFD}[2J\ntwo"
        );
    }

    #[test]
    fn width_counts_cells() {
        assert_eq!(width("王磊"), 4);
        assert_eq!(truncate("王磊磊", 5), "王磊…");
        assert_eq!(truncate("abc", 3), "abc");
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
