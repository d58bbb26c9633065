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
