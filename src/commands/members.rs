//! `tim-receipts members GROUP SEQ --read|--unread`: every member who has (not) read a
//! message, all pages in server order. JSON: an array of account IDs. Progress on stderr.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use super::errors::group_api_error;
use super::output::{self, Align, Table};
use crate::api::ReceiptFilter;
use crate::cli::{Format, FormatArgs};
use crate::session::Session;

/// On a non-terminal stderr, a progress line every this many accounts.
const PLAIN_PROGRESS_EVERY: usize = 1_000;

pub async fn run(
    session: &Session,
    group: &str,
    seq: u64,
    read: bool,
    format: &FormatArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let filter = if read {
        ReceiptFilter::Read
    } else {
        ReceiptFilter::Unread
    };
    let tty = std::io::stderr().is_terminal();
    let mut pages = 0usize;
    let mut last_reported = 0usize;
    let mut progress = |loaded: usize| {
        pages += 1;
        if pages < 2 {
            return;
        }
        if tty {
            eprint!("\r{} list of seq {seq}: {loaded} loaded…", filter.label());
        } else if loaded >= last_reported + PLAIN_PROGRESS_EVERY {
            last_reported = loaded;
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
    let accounts = drained.accounts;
    match output::pick(format) {
        Format::Json => output::json(out, &accounts)?,
        Format::Csv => output::csv(
            out,
            format,
            &crate::export::MEMBER_LIST_HEADERS,
            &accounts
                .iter()
                .map(|a| {
                    vec![
                        group.to_string(),
                        seq.to_string(),
                        filter.label().to_lowercase(),
                        a.clone(),
                    ]
                })
                .collect::<Vec<_>>(),
        )?,
        Format::Table => {
            let header = match filter {
                ReceiptFilter::Read => "READ BY",
                ReceiptFilter::Unread => "NOT READ BY",
            };
            let mut t = Table::new(&[(header, Align::Left)]);
            for a in &accounts {
                t.push(vec![a.clone()]);
            }
            t.write(out, output::width())?;
            if std::io::stdout().is_terminal() {
                eprintln!("{} member(s)", accounts.len());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
