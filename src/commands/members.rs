//! `tim-receipts members GROUP SEQ --read|--unread [--source receipts|positions|auto]`:
//! every member who has (not) read a message, from its read receipt (all pages in server
//! order) or from the members' read positions (a full scan of the group's members). JSON:
//! an array of objects (`account`, `source`, and for positions `read_seq`, `joined_after`).
//! Progress on stderr.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use serde::Serialize;

use super::errors::group_api_error;
use super::output::{self, Align, Table};
use crate::api::ReceiptFilter;
use crate::api::positions::{Positions, ScanProgress};
use crate::cli::{Format, FormatArgs, Source};
use crate::session::Session;
use crate::vendor::codes::GROUP_NO_PERMISSION;

/// On a non-terminal stderr, a progress line every this many accounts.
const PLAIN_PROGRESS_EVERY: u64 = 1_000;

/// CSV columns: the dashboard export's four, then where each row comes from.
pub const CSV_HEADERS: [&str; 7] = [
    "group_id",
    "seq",
    "list",
    "account",
    "source",
    "read_seq",
    "joined_after",
];

/// One listed member.
#[derive(Debug, Clone, Serialize)]
struct Row {
    account: String,
    /// "receipt" or "position".
    source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    read_seq: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    joined_after: Option<bool>,
}

pub async fn run(
    session: &Session,
    group: &str,
    seq: u64,
    read: bool,
    source: Source,
    format: &FormatArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let positions = match source {
        Source::Receipts => false,
        Source::Positions => true,
        Source::Auto => !has_receipt(session, group, seq).await?,
    };
    let rows = if positions {
        position_rows(session, group, seq, read).await?
    } else {
        receipt_rows(session, group, seq, read).await?
    };
    let list = if read { "read" } else { "unread" };
    match output::pick(format) {
        Format::Json => output::json(out, &rows)?,
        Format::Csv => output::csv(
            out,
            format,
            &CSV_HEADERS,
            // Row by row: a 100,000-member scan is never copied into cells at once.
            rows.iter().map(|r| {
                [
                    group.to_string(),
                    seq.to_string(),
                    list.to_string(),
                    r.account.clone(),
                    r.source.to_string(),
                    r.read_seq.map(|s| s.to_string()).unwrap_or_default(),
                    r.joined_after.map(|j| j.to_string()).unwrap_or_default(),
                ]
            }),
        )?,
        Format::Table => {
            let header = if read { "READ BY" } else { "NOT READ BY" };
            if positions {
                let mut t = Table::new(&[
                    (header, Align::Left),
                    ("READ SEQ", Align::Right),
                    ("JOINED AFTER", Align::Left),
                ]);
                for r in &rows {
                    t.push(vec![
                        r.account.clone(),
                        r.read_seq.map(|s| s.to_string()).unwrap_or_default(),
                        if r.joined_after == Some(true) {
                            "yes".into()
                        } else {
                            String::new()
                        },
                    ]);
                }
                t.write(out, output::width())?;
            } else {
                let mut t = Table::new(&[(header, Align::Left)]);
                for r in &rows {
                    t.push(vec![r.account.clone()]);
                }
                t.write(out, output::width())?;
            }
            if std::io::stdout().is_terminal() {
                let from = if positions {
                    "read positions: who has read up to the message"
                } else {
                    "the message's read receipt"
                };
                eprintln!("{} member(s), from {from}", rows.len());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether message `seq` has a read receipt (one `get_group_msg_receipt` call). Groups
/// whose type has no receipts (10007) have none.
pub(super) async fn has_receipt(session: &Session, group: &str, seq: u64) -> anyhow::Result<bool> {
    match session.client.receipt_counts(group, &[seq]).await {
        Ok(counts) => Ok(counts.first().is_some_and(|c| c.code == 0)),
        Err(e) if e.code() == Some(GROUP_NO_PERMISSION) => Ok(false),
        Err(e) => Err(group_api_error(group)(e)),
    }
}

async fn receipt_rows(
    session: &Session,
    group: &str,
    seq: u64,
    read: bool,
) -> anyhow::Result<Vec<Row>> {
    let filter = if read {
        ReceiptFilter::Read
    } else {
        ReceiptFilter::Unread
    };
    let tty = std::io::stderr().is_terminal();
    let mut pages = 0usize;
    let mut last_reported = 0u64;
    let mut progress = |loaded: usize| {
        pages += 1;
        if pages < 2 {
            return;
        }
        if tty {
            eprint!("\r{} list of seq {seq}: {loaded} loaded…", filter.label());
        } else if loaded as u64 >= last_reported + PLAIN_PROGRESS_EVERY {
            last_reported = loaded as u64;
            eprintln!("{} list of seq {seq}: {loaded} loaded", filter.label());
        }
    };
    let drained = session
        .client
        .receipt_members_drain(
            group,
            seq,
            filter,
            crate::api::receipts::MEMBERS_PER_PAGE,
            &mut progress,
        )
        .await;
    if tty && pages >= 2 {
        eprintln!();
    }
    let drained = drained.map_err(group_api_error(group))?;
    if drained.duplicates > 0 {
        eprintln!(
            "tim-receipts: the service sent {} account(s) more than once; each is listed once",
            drained.duplicates
        );
    }
    Ok(drained
        .accounts
        .into_iter()
        .map(|account| Row {
            account,
            source: "receipt",
            read_seq: None,
            joined_after: None,
        })
        .collect())
}

async fn position_rows(
    session: &Session,
    group: &str,
    seq: u64,
    read: bool,
) -> anyhow::Result<Vec<Row>> {
    let mut meter = ScanMeter::new();
    let mut progress = |p: ScanProgress| meter.tick(p);
    let scanned = session
        .client
        .read_positions(group, seq, None, &mut progress, None)
        .await;
    meter.done();
    let scanned: Positions = scanned.map_err(group_api_error(group))?;
    if scanned.duplicates > 0 {
        eprintln!(
            "tim-receipts: the service sent {} account(s) more than once; each is listed once",
            scanned.duplicates
        );
    }
    if scanned.member_num_first != scanned.member_num_last {
        eprintln!(
            "tim-receipts: the group went from {} to {} members during the scan; the lists are the members as their pages were read",
            scanned.member_num_first, scanned.member_num_last
        );
    }
    // The list asked for is moved out, the other dropped: no account is copied.
    let list = if read { scanned.read } else { scanned.unread };
    Ok(list
        .into_iter()
        .map(|p| Row {
            account: p.account,
            source: "position",
            read_seq: Some(p.read_seq),
            joined_after: Some(p.joined_after),
        })
        .collect())
}

/// Progress of a read-positions scan on stderr: nothing for a one-page scan, then a live
/// counter on a terminal, a line per 1 000 members otherwise.
pub(super) struct ScanMeter {
    tty: bool,
    pages: u64,
    last_reported: u64,
}

impl ScanMeter {
    pub(super) fn new() -> ScanMeter {
        ScanMeter {
            tty: std::io::stderr().is_terminal(),
            pages: 0,
            last_reported: 0,
        }
    }

    pub(super) fn tick(&mut self, p: ScanProgress) {
        self.pages += 1;
        if self.pages < 2 {
            return;
        }
        if self.tty {
            eprint!(
                "\rread positions: {} of {} members loaded…",
                p.loaded, p.member_num
            );
        } else if p.loaded >= self.last_reported + PLAIN_PROGRESS_EVERY {
            self.last_reported = p.loaded;
            eprintln!(
                "read positions: {} of {} members loaded",
                p.loaded, p.member_num
            );
        }
    }

    /// End the live counter's line.
    pub(super) fn done(&self) {
        if self.tty && self.pages >= 2 {
            eprintln!();
        }
    }
}
