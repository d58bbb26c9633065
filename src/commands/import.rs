//! `tim-receipts import FILE`: load a `listen --record` file (one callback body per line)
//! into the app's incident store. Each event is stored with source `import`: it was
//! verified when it was received, and a record carries no signature to check again.
//! Importing twice adds nothing (an event already stored, from the webhook or an earlier
//! import, is a repeat). A line that is not a read-receipt event, or has no `EventTime`
//! (its time is not known), is skipped and counted.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use serde::Serialize;

use super::output;
use super::timeline::store_target;
use crate::cli::{Format, FormatArgs};
use crate::config::Overrides;
use crate::store::{Db, NewEvent, Origin, Outcome, now_ms};
use crate::webhook::parse::{Callback, parse_callback};

/// Events written per transaction.
const BATCH: usize = 1_000;
/// Line numbers of skipped lines named in the report.
const NAMED_SKIPS: usize = 5;
/// Stands in for a missing `EventTime` while parsing, to recognise it (no real event time
/// is this large).
const NO_TIME: u64 = u64::MAX;

/// What an import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    pub lines: u64,
    pub added: u64,
    pub repeats: u64,
    pub skipped: u64,
    /// The first skipped lines: number and why.
    pub skipped_lines: Vec<String>,
}

pub fn run(
    global: &Overrides,
    file: &Path,
    format: &FormatArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let (sdkappid, path) = store_target(global)?;
    let input = File::open(file)
        .with_context(|| format!("cannot open the record file {}", file.display()))?;
    let mut db = Db::open(&path, sdkappid, Duration::from_secs(5))?;
    let report = import(&mut db, BufReader::new(input))?;
    match output::pick(format) {
        Format::Json => output::json(out, &report)?,
        Format::Table | Format::Csv => {
            let mut line = format!(
                "{}: {} lines, {} events added, {} already stored, {} skipped",
                crate::text::printable(&file.display().to_string()),
                report.lines,
                report.added,
                report.repeats,
                report.skipped
            );
            if !report.skipped_lines.is_empty() {
                line.push_str(&format!(" ({})", report.skipped_lines.join("; ")));
            }
            writeln!(out, "{line}")?;
            writeln!(out, "store: {}", path.display())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Import every line of `input` into `db`.
pub fn import(db: &mut Db, input: impl BufRead) -> anyhow::Result<ImportReport> {
    let mut report = ImportReport::default();
    let mut batch: Vec<NewEvent> = Vec::with_capacity(BATCH);
    let received_ms = now_ms();
    for (i, line) in input.split(b'\n').enumerate() {
        let line = line.context("cannot read the record file")?;
        let number = i + 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        report.lines += 1;
        match parse_callback(&line, None, NO_TIME) {
            Ok(Callback::Receipt(event)) if event.event_time_ms != NO_TIME => {
                batch.push(NewEvent {
                    event,
                    body: String::from_utf8_lossy(&crate::webhook::parse::one_line_json(&line))
                        .into_owned(),
                    origin: Origin::Import,
                    received_ms,
                });
            }
            Ok(Callback::Receipt(_)) => skip(&mut report, number, "no EventTime"),
            Ok(Callback::Other { .. }) => skip(&mut report, number, "another callback command"),
            Err(e) => skip(&mut report, number, &e.to_string()),
        }
        if batch.len() >= BATCH {
            flush(db, &mut batch, &mut report)?;
        }
    }
    flush(db, &mut batch, &mut report)?;
    Ok(report)
}

fn skip(report: &mut ImportReport, number: usize, why: &str) {
    report.skipped += 1;
    if report.skipped_lines.len() < NAMED_SKIPS {
        report.skipped_lines.push(format!(
            "line {number}: {}",
            crate::text::truncate(&crate::text::printable(why), 80)
        ));
    }
}

fn flush(db: &mut Db, batch: &mut Vec<NewEvent>, report: &mut ImportReport) -> anyhow::Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    for outcome in db.insert_batch(batch)? {
        match outcome {
            Outcome::Added => report.added += 1,
            Outcome::Repeat => report.repeats += 1,
        }
    }
    batch.clear();
    Ok(())
}
