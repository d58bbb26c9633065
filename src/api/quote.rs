//! The service's own words (or a wrong value it sent) made fit to quote in an error
//! message.

/// Text from a response made fit for an error message: one line, no terminal control
/// characters (a hostile or garbled answer must not move the cursor or clear the screen),
/// and at most `max` characters.
pub fn printable(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max * 4));
    for (i, c) in text.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        out.push(match c {
            c if c.is_whitespace() => ' ',
            c if c.is_control() => '?',
            c => c,
        });
    }
    out
}
