//! `tim-receipts messages GROUP [--limit N]`: the latest messages with seq, time, sender,
//! a text preview and read/unread counts. JSON: `[{"seq", "time", "from", "kind", "text",
//! "read", "unread", "code"}]` (`code` null when no receipt was asked for, e.g. recalled).
//! On a group over the 200-member receipt cap, stderr says once why counts are missing.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

use super::errors::{api_error, group_api_error};
use super::output::{self, Align, Table};
use crate::api::messages::HISTORY as GROUP_MSG_GET;
use crate::api::pager::{self, PageGuard};
use crate::api::{Message, MessageKind, ReceiptCount};
use crate::cli::{Format, FormatArgs};
use crate::session::Session;

/// Messages per history call (the API's maximum).
const PER_CALL: usize = 20;
/// Most messages one command lists.
const MAX_LIMIT: usize = 10_000;

#[derive(Debug, Serialize)]
struct MessageRow {
    seq: u64,
    time: i64,
    from: String,
    kind: MessageKind,
    text: String,
    read: Option<u64>,
    unread: Option<u64>,
    code: Option<i64>,
}

pub async fn run(
    session: &Session,
    group: &str,
    limit: usize,
    format: &FormatArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    if limit > MAX_LIMIT {
        anyhow::bail!("--limit {limit} is too large: list at most {MAX_LIMIT} messages at once");
    }
    let mut messages: Vec<Message> = Vec::new();
    let mut before = None;
    // Each round gets at least one new message or stops (the guard refuses a page that
    // adds nothing yet says more follow), so this ends within `limit` rounds.
    let mut guard = PageGuard::new(limit as u64, "the --limit asked for");
    while messages.len() < limit {
        let want = (limit - messages.len()).min(PER_CALL) as u32;
        let page = session
            .client
            .messages(group, before, want)
            .await
            .map_err(group_api_error(group))?;
        let older = page.older.map(|o| o.to_string());
        let fresh = guard
            .accept(want as usize, page.messages, |m| m.seq, older.as_deref())
            .map_err(|f| api_error(pager::fault_error(GROUP_MSG_GET.api, f)))?;
        if fresh.is_empty() {
            break;
        }
        messages.extend(fresh);
        match page.older {
            Some(o) => before = Some(o),
            None => break,
        }
    }
    messages.truncate(limit);

    let seqs: Vec<u64> = messages
        .iter()
        .filter(|m| m.kind == MessageKind::Normal)
        .map(|m| m.seq)
        .collect();
    let counts: Vec<ReceiptCount> = if seqs.is_empty() {
        Vec::new()
    } else {
        match session.client.receipt_counts(group, &seqs).await {
            Ok(c) => c,
            Err(e) => {
                eprintln!(
                    "tim-receipts: messages listed without read counts: {}",
                    e.one_line()
                );
                Vec::new()
            }
        }
    };
    super::receipts::explain_missing_receipts(session, group, &counts).await;
    let rows: Vec<MessageRow> = messages
        .into_iter()
        .map(|m| {
            let count = counts.iter().find(|c| c.seq == m.seq);
            MessageRow {
                seq: m.seq,
                time: m.time,
                from: m.from,
                kind: m.kind,
                text: m.text,
                read: count.and_then(|c| c.read),
                unread: count.and_then(|c| c.unread),
                code: count.map(|c| c.code),
            }
        })
        .collect();

    match output::pick(format) {
        Format::Json => output::json(out, &rows)?,
        Format::Csv => output::csv(
            out,
            format,
            &[
                "seq", "time", "from", "kind", "read", "unread", "code", "text",
            ],
            rows.iter().map(|r| {
                vec![
                    r.seq.to_string(),
                    r.time.to_string(),
                    r.from.clone(),
                    kind_name(r.kind).to_string(),
                    output::opt_csv(r.read),
                    output::opt_csv(r.unread),
                    r.code.map(|c| c.to_string()).unwrap_or_default(),
                    r.text.clone(),
                ]
            }),
        )?,
        Format::Table => {
            let mut t = Table::new(&[
                ("SEQ", Align::Right),
                ("TIME (UTC)", Align::Left),
                ("FROM", Align::Left),
                ("READ", Align::Right),
                ("UNREAD", Align::Right),
                ("TEXT", Align::Left),
            ]);
            for r in &rows {
                let text = match r.kind {
                    MessageKind::Normal => r.text.clone(),
                    MessageKind::Recalled => "(recalled)".into(),
                    MessageKind::Expired => "(deleted or expired)".into(),
                };
                t.push(vec![
                    r.seq.to_string(),
                    output::utc(r.time),
                    output::cut(&r.from, 16),
                    output::opt(r.read),
                    output::opt(r.unread),
                    text,
                ]);
            }
            t.write(out, output::width())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn kind_name(k: MessageKind) -> &'static str {
    match k {
        MessageKind::Normal => "normal",
        MessageKind::Expired => "expired",
        MessageKind::Recalled => "recalled",
    }
}
