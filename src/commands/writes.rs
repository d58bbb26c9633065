//! `tim-receipts mark-read REPORT PEER [--time T]` and `set-unread GROUP MEMBER N`: the
//! writes. Confirmation first (see `confirm`), then `Session::write` (read-only gate,
//! before/after reads, audit log). JSON: `{"result", "action", "target", "path",
//! "request", "before", "after", "note"}`.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;
use serde_json::Value;

use super::confirm;
use super::errors::write_error;
use super::output::{self};
use crate::api::{WriteAction, WriteOutcome};
use crate::cli::{Format, FormatArgs, WriteArgs};
use crate::session::Session;

#[derive(Debug, Serialize)]
struct WriteReport {
    result: &'static str,
    action: &'static str,
    target: String,
    path: &'static str,
    request: Value,
    before: Option<u64>,
    after: Option<u64>,
    note: Option<String>,
}

pub async fn run(
    session: &Session,
    action: &WriteAction,
    args: &WriteArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    // In read-only mode there is nothing to confirm: the gate refuses (and audits).
    if !session.read_only && !confirm::ask(session, action, args.yes).await? {
        eprintln!("tim-receipts: cancelled; nothing was written");
        return Ok(ExitCode::FAILURE);
    }
    let outcome = session.write(action).await.map_err(write_error(action))?;
    print(&outcome, &args.format, out)?;
    Ok(ExitCode::SUCCESS)
}

fn print(outcome: &WriteOutcome, format: &FormatArgs, out: &mut dyn Write) -> std::io::Result<()> {
    let action = &outcome.action;
    let report = WriteReport {
        result: "ok",
        action: action.name(),
        target: action.target(),
        path: action.path(),
        request: action.body(),
        before: outcome.before,
        after: outcome.after,
        note: outcome.note.clone(),
    };
    let what = match action {
        WriteAction::MarkC2cRead { .. } => "1:1 unread count",
        WriteAction::SetUnread { .. } => "unread count",
    };
    match output::pick(format) {
        Format::Json => output::json(out, &report),
        Format::Csv => output::csv(
            out,
            format,
            &["result", "action", "target", "before", "after", "note"],
            &[vec![
                report.result.to_string(),
                report.action.to_string(),
                report.target.clone(),
                output::opt_csv(report.before),
                output::opt_csv(report.after),
                report.note.clone().unwrap_or_default(),
            ]],
        ),
        Format::Table => {
            writeln!(out, "done: {}", action.summary())?;
            writeln!(
                out,
                "{what}: before {}, after {}",
                output::opt(outcome.before),
                output::opt(outcome.after)
            )?;
            if let Some(note) = &outcome.note {
                writeln!(out, "note: {note}")?;
            }
            Ok(())
        }
    }
}
