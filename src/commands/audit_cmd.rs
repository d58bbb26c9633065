//! `tim-receipts audit [--pending] [--limit N]`: the write audit log, readably. JSON
//! gives the log's own lines; a table shows one row per write (its outcome, or
//! `PENDING` for an attempt that never got one).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::ExitCode;

use serde_json::Value;

use super::output::{self, Align, Table};
use crate::audit::AuditLog;
use crate::cli::{Format, FormatArgs};

/// One write: its attempt line and, once known, its outcome line.
struct Entry {
    line: Value,
    outcome: Option<Value>,
}

/// The writes in the log, oldest first. Lines written before attempt IDs existed, and
/// read-only refusals, are writes of one line.
fn entries(log: &AuditLog) -> anyhow::Result<Vec<Entry>> {
    let path = log.path().ok_or_else(|| {
        anyhow::anyhow!("no state directory for the audit log (set HOME or XDG_STATE_HOME)")
    })?;
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => anyhow::bail!("cannot read the audit log {}: {e}", path.display()),
    };
    let mut entries: Vec<Entry> = Vec::new();
    let mut open: HashMap<String, usize> = HashMap::new();
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line =
            line.map_err(|e| anyhow::anyhow!("cannot read the audit log {}: {e}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let Ok(value) = serde_json::from_str::<Value>(&line) else {
            eprintln!(
                "tim-receipts: {} line {}: not a JSON audit line (cut short by a crash?); skipped",
                path.display(),
                n + 1
            );
            continue;
        };
        let attempt = value["attempt"].as_str().map(str::to_string);
        match (value["result"].as_str(), attempt) {
            (Some("attempt"), Some(id)) => {
                open.insert(id, entries.len());
                entries.push(Entry {
                    line: value,
                    outcome: None,
                });
            }
            (_, Some(id)) if open.contains_key(&id) => {
                let i = open[&id];
                entries[i].outcome = Some(value);
            }
            _ => entries.push(Entry {
                outcome: Some(value.clone()),
                line: value,
            }),
        }
    }
    Ok(entries)
}

fn text(v: &Value) -> String {
    match v {
        Value::Null => "-".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub fn run(
    pending: bool,
    limit: Option<usize>,
    format: &FormatArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let log = AuditLog::default_location();
    let mut entries = entries(&log)?;
    if pending {
        entries.retain(|e| e.outcome.is_none());
    }
    if let Some(n) = limit {
        let skip = entries.len().saturating_sub(n);
        entries.drain(..skip);
    }
    match output::pick(format) {
        Format::Json => {
            let lines: Vec<Value> = entries
                .iter()
                .flat_map(|e| {
                    std::iter::once(e.line.clone())
                        .chain(e.outcome.iter().filter(|o| *o != &e.line).cloned())
                })
                .collect();
            output::json(out, &lines)?;
        }
        Format::Csv => {
            let rows: Vec<Vec<String>> = entries.iter().map(row).collect();
            output::csv(
                out,
                format,
                &[
                    "time", "result", "action", "target", "before", "after", "attempt", "error",
                ],
                &rows,
            )?;
        }
        Format::Table => {
            let mut t = Table::new(&[
                ("TIME (UTC)", Align::Left),
                ("RESULT", Align::Left),
                ("ACTION", Align::Left),
                ("TARGET", Align::Left),
                ("BEFORE", Align::Right),
                ("AFTER", Align::Right),
                ("ATTEMPT", Align::Left),
                ("ERROR", Align::Left),
            ]);
            for e in &entries {
                let mut r = row(e);
                r[0] = r[0].chars().take(19).collect::<String>().replace('T', " ");
                t.push(r);
            }
            t.write(out, output::width())?;
        }
    }
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        match (pending, entries.len()) {
            (true, 0) => eprintln!("no pending attempts: every write in the log has its outcome"),
            (true, n) => eprintln!(
                "{n} attempt(s) without an outcome: the process stopped while the write was in flight; check the target's current state before trying again"
            ),
            (false, n) => eprintln!(
                "{n} write(s) in {}",
                log.path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            ),
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn row(e: &Entry) -> Vec<String> {
    let last = e.outcome.as_ref().unwrap_or(&e.line);
    let result = match &e.outcome {
        None => "PENDING".to_string(),
        Some(o) => text(&o["result"]),
    };
    vec![
        text(&e.line["time"]),
        result,
        text(&e.line["action"]),
        text(&e.line["target"]),
        text(&last["before"]),
        text(&last["after"]),
        text(&e.line["attempt"]),
        text(&last["error"]),
    ]
}
