//! Output of the plain subcommands: aligned tables for people, JSON and CSV for scripts.

use std::io::{self, IsTerminal, Write};

use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

use crate::cli::{Format, FormatArgs};
use crate::text;

/// The format asked for, else a table on a terminal and JSON otherwise.
pub fn pick(args: &FormatArgs) -> Format {
    args.format.unwrap_or_else(|| {
        if io::stdout().is_terminal() {
            Format::Table
        } else {
            Format::Json
        }
    })
}

/// Width available for a table: the terminal's, else 100.
pub fn width() -> usize {
    if io::stdout().is_terminal() {
        crossterm::terminal::size()
            .map(|(w, _)| usize::from(w))
            .unwrap_or(80)
            .max(40)
    } else {
        100
    }
}

/// Pretty JSON and a newline.
pub fn json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    // Serialize first, so a closed pipe surfaces as the io error it is.
    let mut text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
    text.push('\n');
    out.write_all(text.as_bytes())
}

/// Column alignment in a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A simple table: a header and rows of cells. The last column may be cut to fit `width`.
pub struct Table {
    pub headers: Vec<&'static str>,
    pub align: Vec<Align>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: &[(&'static str, Align)]) -> Table {
        Table {
            headers: headers.iter().map(|(h, _)| *h).collect(),
            align: headers.iter().map(|(_, a)| *a).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// Write the table, cutting the last column so lines fit in `width` cells. Every
    /// cell is made printable first (no control sequences, no line breaks: a value from
    /// the service can neither act on the terminal nor forge a row), and columns are
    /// aligned by display width, so Chinese names line up.
    pub fn write(&self, out: &mut dyn Write, width: usize) -> io::Result<()> {
        let cols = self.headers.len();
        let header: Vec<String> = self.headers.iter().map(|h| h.to_string()).collect();
        let rows: Vec<Vec<String>> = std::iter::once(header)
            .chain(
                self.rows
                    .iter()
                    .map(|r| r.iter().map(|c| text::printable(c)).collect()),
            )
            .collect();
        let mut widths = vec![0usize; cols];
        for row in &rows {
            for (i, cell) in row.iter().enumerate().take(cols) {
                widths[i] = widths[i].max(text::width(cell));
            }
        }
        let used: usize = widths[..cols.saturating_sub(1)].iter().map(|w| w + 2).sum();
        let last_max = width.saturating_sub(used).max(10);
        for row in &rows {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate().take(cols) {
                if i + 1 == cols {
                    line.push_str(&text::truncate(cell, last_max));
                } else {
                    let pad = widths[i].saturating_sub(text::width(cell));
                    match self.align[i] {
                        Align::Left => {
                            line.push_str(cell);
                            line.extend(std::iter::repeat_n(' ', pad));
                        }
                        Align::Right => {
                            line.extend(std::iter::repeat_n(' ', pad));
                            line.push_str(cell);
                        }
                    }
                    line.push_str("  ");
                }
            }
            writeln!(out, "{}", line.trim_end())?;
        }
        Ok(())
    }
}

/// `s` cut to `max` cells, with an ellipsis when cut.
pub fn cut(s: &str, max: usize) -> String {
    text::truncate(s, max)
}

/// CSV with a header row (RFC 4180 quoting; `--csv-safe` defuses spreadsheet formulas).
/// Rows are written as they come: an iterator of rows is never collected first.
pub fn csv<R, C>(
    out: &mut dyn Write,
    format: &FormatArgs,
    headers: &[&str],
    rows: R,
) -> io::Result<()>
where
    R: IntoIterator<Item = C>,
    C: IntoIterator,
    C::Item: AsRef<str>,
{
    crate::export::write_csv(out, headers, rows, format.csv_safe)
}

/// An optional number as a cell ("-" when absent).
pub fn opt(n: Option<u64>) -> String {
    n.map_or_else(|| "-".to_string(), |n| n.to_string())
}

/// An optional number as a CSV cell (empty when absent).
pub fn opt_csv(n: Option<u64>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

/// Unix seconds as `YYYY-MM-DD HH:MM:SS` UTC.
pub fn utc(secs: i64) -> String {
    OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| {
            t.format(format_description!(
                "[year]-[month]-[day] [hour]:[minute]:[second]"
            ))
            .ok()
        })
        .unwrap_or_else(|| secs.to_string())
}

/// Unix milliseconds as `YYYY-MM-DD HH:MM:SS.mmm` UTC.
pub fn utc_ms(ms: u64) -> String {
    i64::try_from(ms)
        .ok()
        .and_then(|ms| OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok())
        .and_then(|t| {
            t.format(format_description!(
                "[year]-[month]-[day] [hour]:[minute]:[second].[subsecond digits:3]"
            ))
            .ok()
        })
        .unwrap_or_else(|| ms.to_string())
}

/// Unix milliseconds as RFC 3339 UTC, e.g. `2022-12-09T08:26:54.123Z`.
pub fn rfc3339_ms(ms: u64) -> String {
    i64::try_from(ms)
        .ok()
        .and_then(|ms| OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok())
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| ms.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_aligns_and_cuts_the_last_column() {
        let mut t = Table::new(&[
            ("seq", Align::Right),
            ("from", Align::Left),
            ("text", Align::Left),
        ]);
        t.push(vec!["7".into(), "bob".into(), "hello there".into()]);
        t.push(vec!["123".into(), "alexandra".into(), "x".repeat(100)]);
        let mut out = Vec::new();
        t.write(&mut out, 40).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "seq  from       text");
        assert_eq!(lines[1], "  7  bob        hello there");
        assert!(lines[2].starts_with("123  alexandra  xxx"));
        assert_eq!(lines[2].chars().count(), 40);
        assert!(lines[2].ends_with('…'));
    }

    #[test]
    fn csv_quotes_only_when_needed() {
        let mut out = Vec::new();
        let plain = FormatArgs {
            format: Some(Format::Csv),
            csv_safe: false,
        };
        csv(
            &mut out,
            &plain,
            &["a", "b"],
            [["x,y", "say \"hi\""], ["@TGS#1", "-5"]],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a,b\n\"x,y\",\"say \"\"hi\"\"\"\n@TGS#1,-5\n"
        );
    }

    #[test]
    fn table_cells_are_printable_and_aligned_by_width() {
        let mut t = Table::new(&[("NAME", Align::Left), ("ID", Align::Left)]);
        t.push(vec!["王磊".into(), "a\u{1b}[2J\nb".into()]);
        t.push(vec!["li".into(), "c".into()]);
        let mut out = Vec::new();
        t.write(&mut out, 80).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains('\u{1b}'), "{text:?}");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "a line break in a cell forges no row");
        assert_eq!(lines[1], "王磊  a\u{FFFD}[2J b");
        assert_eq!(lines[2], "li    c");
    }

    #[test]
    fn utc_format() {
        assert_eq!(utc(1_700_000_000), "2023-11-14 22:13:20");
        assert_eq!(utc_ms(1_670_574_414_123), "2022-12-09 08:26:54.123");
        assert_eq!(rfc3339_ms(1_670_574_414_123), "2022-12-09T08:26:54.123Z");
    }
}
