//! `tim-receipts receipts GROUP SEQ...` (SEQ may be a range `100-140`): read/unread counts.
//! JSON: `[{"seq": N, "read": N, "unread": N, "code": 0}]`; a message without a receipt
//! has `read`/`unread` null and its code (10062). When some have none and the group is over
//! the 200-member receipt cap, stderr says so once. `--source positions` counts from the
//! members' read positions instead ([`run_positions`]).

use std::io::Write;
use std::process::ExitCode;

use super::errors::group_api_error;
use super::output::{self, Align, Table};
use crate::api::error::{NO_RECEIPT, explain_code};
use crate::api::{NoReceipts, ReceiptCount};
use crate::cli::{Format, FormatArgs};
use crate::session::Session;

/// Most seqs one command asks for.
pub const MAX_SEQS: usize = 10_000;

/// Parse `SEQ` arguments: numbers, ranges `A-B` (inclusive), and comma-separated lists.
pub fn parse_seqs(args: &[String]) -> Result<Vec<u64>, String> {
    let mut seqs = Vec::new();
    for arg in args {
        for part in arg.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let num = |s: &str| {
                s.trim().parse::<u64>().map_err(|_| {
                    format!("{part:?} is not a message seq: use a number or a range like 100-140")
                })
            };
            match part.split_once('-') {
                Some((a, b)) => {
                    let (a, b) = (num(a)?, num(b)?);
                    if a > b {
                        return Err(format!(
                            "range {part:?} runs backwards: write it as {b}-{a}"
                        ));
                    }
                    if (b - a) as usize >= MAX_SEQS || seqs.len() + (b - a) as usize >= MAX_SEQS {
                        return Err(format!("too many seqs: ask for at most {MAX_SEQS} at once"));
                    }
                    seqs.extend(a..=b);
                }
                None => seqs.push(num(part)?),
            }
        }
    }
    if seqs.is_empty() {
        return Err("no message seq given: pass one or more, e.g. 120 or 100-140".into());
    }
    if seqs.len() > MAX_SEQS {
        return Err(format!("too many seqs: ask for at most {MAX_SEQS} at once"));
    }
    Ok(seqs)
}

pub async fn run(
    session: &Session,
    group: &str,
    args: &[String],
    format: &FormatArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let seqs = parse_seqs(args).map_err(|e| anyhow::anyhow!(e))?;
    let counts = session
        .client
        .receipt_counts(group, &seqs)
        .await
        .map_err(group_api_error(group))?;
    explain_missing_receipts(session, group, &counts).await;
    if output::pick(format) == Format::Json {
        output::json(out, &counts)?;
        return Ok(ExitCode::SUCCESS);
    }
    let rows: Vec<CountRow> = counts
        .iter()
        .map(|c| CountRow {
            seq: c.seq,
            read: c.read,
            unread: c.unread,
            last: c.code.to_string(),
            note: match c.code {
                0 => String::new(),
                NO_RECEIPT => {
                    "no read receipt (not asked for, group over 200 members, or expired)".into()
                }
                code => match explain_code(code) {
                    Some(e) => format!("error {code}: {}", e.what),
                    None => format!("error {code}"),
                },
            },
        })
        .collect();
    write_counts(out, format, "code", &rows)?;
    Ok(ExitCode::SUCCESS)
}

/// One row of `receipts` output in CSV or table form, whichever source the counts came from.
struct CountRow {
    seq: u64,
    read: Option<u64>,
    unread: Option<u64>,
    /// The CSV's last column (`code` or `source`).
    last: String,
    /// The table's NOTE column.
    note: String,
}

/// Write counts as CSV (`seq,read,unread,<last_header>`) or as the SEQ/READ/UNREAD/READ%/NOTE
/// table; one writer for both `--source receipts` and `--source positions`.
fn write_counts(
    out: &mut dyn Write,
    format: &FormatArgs,
    last_header: &str,
    rows: &[CountRow],
) -> anyhow::Result<()> {
    if output::pick(format) == Format::Csv {
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                vec![
                    r.seq.to_string(),
                    output::opt_csv(r.read),
                    output::opt_csv(r.unread),
                    r.last.clone(),
                ]
            })
            .collect();
        output::csv(out, format, &["seq", "read", "unread", last_header], &cells)?;
        return Ok(());
    }
    let mut t = Table::new(&[
        ("SEQ", Align::Right),
        ("READ", Align::Right),
        ("UNREAD", Align::Right),
        ("READ%", Align::Right),
        ("NOTE", Align::Left),
    ]);
    for r in rows {
        let ratio = ReceiptCount::ratio_of(r.read, r.unread)
            .map_or_else(|| "-".into(), |x| format!("{:.0}%", x * 100.0));
        t.push(vec![
            r.seq.to_string(),
            output::opt(r.read),
            output::opt(r.unread),
            ratio,
            r.note.clone(),
        ]);
    }
    t.write(out, output::width())?;
    Ok(())
}

/// One message's counts from read positions.
#[derive(Debug, Clone, serde::Serialize)]
struct PositionCount {
    seq: u64,
    read: Option<u64>,
    unread: Option<u64>,
    source: &'static str,
}

/// `receipts GROUP SEQ... --source positions`: read/unread counts from one scan of the
/// members' read positions; each message's sender is left out of its counts (its time
/// and sender come from `group_msg_get_simple`, 20 messages a call). A seq not in the
/// history has null counts.
pub async fn run_positions(
    session: &Session,
    group: &str,
    args: &[String],
    format: &FormatArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let seqs = parse_seqs(args).map_err(|e| anyhow::anyhow!(e))?;
    let mut meter = super::members::ScanMeter::new();
    let mut progress = |p| meter.tick(p);
    let scan = session.client.member_scan(group, &mut progress, None).await;
    meter.done();
    let scan = scan.map_err(group_api_error(group))?;
    let refs = session
        .client
        .message_refs(group, &seqs)
        .await
        .map_err(group_api_error(group))?;
    let counts: Vec<PositionCount> = seqs
        .iter()
        .map(|&seq| {
            let (read, unread) = refs.get(&seq).map(|m| scan.counts(seq, &m.from)).unzip();
            PositionCount {
                seq,
                read,
                unread,
                source: "position",
            }
        })
        .collect();
    if output::pick(format) == Format::Json {
        output::json(out, &counts)?;
        return Ok(ExitCode::SUCCESS);
    }
    let rows: Vec<CountRow> = counts
        .iter()
        .map(|c| CountRow {
            seq: c.seq,
            read: c.read,
            unread: c.unread,
            last: c.source.to_string(),
            note: if c.read.is_some() {
                "read positions".into()
            } else {
                "not in the group's history".into()
            },
        })
        .collect();
    write_counts(out, format, "source", &rows)?;
    Ok(ExitCode::SUCCESS)
}

/// When some messages answered 10062 and the group is over the receipt cap, say why on
/// stderr, once. Best effort: one `get_group_info` call, only in that case; if it fails,
/// nothing more is said (the items already carry their code).
pub(super) async fn explain_missing_receipts(
    session: &Session,
    group: &str,
    counts: &[ReceiptCount],
) {
    if !counts.iter().any(|c| c.code == NO_RECEIPT) {
        return;
    }
    let Ok(infos) = session.client.group_info(&[group.to_string()]).await else {
        return;
    };
    let why = infos
        .iter()
        .find(|i| i.code == 0)
        .and_then(|i| i.no_receipts());
    if let Some(why @ NoReceipts::TooManyMembers(_)) = why {
        eprintln!("tim-receipts: {}", why.explain());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn numbers_ranges_and_lists() {
        assert_eq!(parse_seqs(&args(&["5"])).unwrap(), vec![5]);
        assert_eq!(
            parse_seqs(&args(&["100-103", "7,9"])).unwrap(),
            vec![100, 101, 102, 103, 7, 9]
        );
        assert_eq!(parse_seqs(&args(&["4-4"])).unwrap(), vec![4]);
    }

    #[test]
    fn bad_input_says_how_to_fix_it() {
        assert!(
            parse_seqs(&args(&["abc"]))
                .unwrap_err()
                .contains("range like 100-140")
        );
        assert!(parse_seqs(&args(&["9-3"])).unwrap_err().contains("3-9"));
        assert!(
            parse_seqs(&args(&["1-99999999"]))
                .unwrap_err()
                .contains("at most")
        );
        assert!(
            parse_seqs(&args(&[","]))
                .unwrap_err()
                .contains("no message seq")
        );
        assert!(parse_seqs(&args(&["-5"])).is_err());
    }
}
