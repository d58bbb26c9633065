//! `tim-receipts timeline GROUP [SEQ] [--since T] [--until T] [--offline]`: who read a
//! message and when, from the incident store; without SEQ, every read of the group's
//! messages in the time range (the incident window).
//!
//! With SEQ (and without `--offline`) the message's read list is fetched as well (when the
//! message has a read receipt): a member it lists whom the store has no read for is a row
//! with source `receipt`, no `read_at`, and `read_before` = when the list was fetched
//! (read by then; the store never saw when). Without a working configuration the store's
//! rows are shown alone, with a note on stderr.
//!
//! Without `--offline` the nicknames of the accounts listed are looked up (`portrait_get`).
//!
//! JSON: an array of objects `seq`, `account`, `nick` (`""`: none, or not looked up), `read_at`
//! (RFC 3339 or null), `read_after`/`read_before` (only when the time is known by bounds
//! alone), `source` (`webhook`, `import`, `poll`, `position`, `receipt`).

use std::collections::{HashMap, HashSet};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;

use super::errors::group_api_error;
use super::members::has_receipt;
use super::output::{self, Align, Table};
use crate::api::ReceiptFilter;
use crate::cli::{DemoArgs, Format, FormatArgs};
use crate::config::{Overrides, StoreSettings};
use crate::session::Session;
use crate::store::{Db, Read, StoreError, now_ms};

/// The most accounts whose nicknames one run looks up (100 `portrait_get` calls: about 5 s
/// at the default budget).
const NICKS_MAX: usize = 10_000;
/// The NAME column's width in the table.
const NAME_CELLS: usize = 22;

/// CSV columns.
pub const CSV_HEADERS: [&str; 8] = [
    "group_id",
    "seq",
    "account",
    "nick",
    "read_at",
    "read_after",
    "read_before",
    "source",
];

/// What `timeline` was asked.
#[derive(Debug, Clone)]
pub struct Query {
    pub group: String,
    pub seq: Option<u64>,
    /// Unix ms.
    pub since: Option<u64>,
    /// Unix ms.
    pub until: Option<u64>,
    /// Do not fetch the read list.
    pub offline: bool,
}

/// One member's read of one message, as printed.
#[derive(Debug, Clone, Serialize)]
struct Row {
    seq: u64,
    account: String,
    nick: String,
    read_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    read_after: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    read_before: Option<String>,
    source: &'static str,
    #[serde(skip)]
    times: (Option<u64>, Option<u64>, Option<u64>),
}

impl Row {
    fn from_read(read: &Read) -> Row {
        let bounds_only = read.read_at_ms.is_none();
        let bound = |t: Option<u64>| t.filter(|_| bounds_only);
        Row {
            seq: read.seq,
            account: read.member.clone(),
            nick: String::new(),
            read_at: read.read_at_ms.map(output::rfc3339_ms),
            read_after: bound(read.read_after_ms).map(output::rfc3339_ms),
            read_before: bound(read.read_before_ms).map(output::rfc3339_ms),
            source: read.source.as_str(),
            times: (
                read.read_at_ms,
                bound(read.read_after_ms),
                bound(read.read_before_ms),
            ),
        }
    }

    /// A member the read list names and the store has no read for.
    fn from_receipt(seq: u64, account: String, fetched_ms: u64) -> Row {
        Row {
            seq,
            account,
            nick: String::new(),
            read_at: None,
            read_after: None,
            read_before: Some(output::rfc3339_ms(fetched_ms)),
            source: "receipt",
            times: (None, None, Some(fetched_ms)),
        }
    }

    /// The table's READ AT cell.
    fn when(&self) -> String {
        match self.times {
            (Some(at), _, _) => output::utc_ms(at),
            (None, Some(after), Some(before)) => format!(
                "between {} and {}",
                output::utc_ms(after),
                output::utc_ms(before)
            ),
            (None, None, Some(before)) => format!("before {}", output::utc_ms(before)),
            (None, Some(after), None) => format!("after {}", output::utc_ms(after)),
            (None, None, None) => "read, time unknown".to_string(),
        }
    }
}

/// The app and its store file, as the other commands resolve them (with `--demo`: the
/// sandbox's app and its own file).
pub(super) fn store_target(global: &Overrides) -> anyhow::Result<(u64, PathBuf)> {
    if global.demo {
        let sdkappid = global.sdkappid.unwrap_or(crate::sandbox::DEFAULT_SDKAPPID);
        let path = StoreSettings::defaults(global).require_path(sdkappid, true)?;
        return Ok((sdkappid, path));
    }
    let settings = crate::config::resolve(global)?;
    let sdkappid = settings.require_sdkappid()?;
    Ok((sdkappid, settings.store.require_path(sdkappid, false)?))
}

pub async fn run(
    global: &Overrides,
    demo: &DemoArgs,
    query: &Query,
    format: &FormatArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let (sdkappid, path) = store_target(global)?;
    let since = query.since.unwrap_or(0);
    let until = query.until.unwrap_or(u64::MAX);
    let reads = match Db::open_read_only(&path, sdkappid) {
        Ok(db) => match query.seq {
            Some(seq) => db.timeline(&query.group, seq)?,
            None => db.timeline_range(&query.group, since, until)?,
        },
        // A message's read list can still be shown without a store.
        Err(StoreError::Missing(_)) if query.seq.is_some() && !query.offline => {
            eprintln!("tim-receipts: no store yet at {}", path.display());
            Vec::new()
        }
        Err(e) => return Err(e.into()),
    };
    let mut rows: Vec<Row> = reads.iter().map(Row::from_read).collect();
    // One session for the read list and the nicknames; none with --offline.
    let session = match query.offline {
        true => None,
        false => match Session::connect(global.clone(), demo).await {
            Ok(session) => Some(session),
            Err(e) => {
                eprintln!(
                    "tim-receipts: not connected ({}), so the store's reads are shown alone: no read list, no nicknames (--offline says so at once)",
                    crate::text::printable(&format!("{e:#}"))
                );
                None
            }
        },
    };
    if let (Some(seq), Some(session)) = (query.seq, &session) {
        match receipt_readers(session, &query.group, seq).await {
            Ok(Some((readers, fetched_ms))) => {
                let known: HashSet<String> = rows.iter().map(|r| r.account.clone()).collect();
                rows.extend(
                    readers
                        .into_iter()
                        .filter(|a| !known.contains(a))
                        .map(|a| Row::from_receipt(seq, a, fetched_ms)),
                );
            }
            Ok(None) => {}
            Err(e) => eprintln!(
                "tim-receipts: the message's read list was not fetched, so members read before the store started are missing ({}); the store's reads follow",
                crate::text::printable(&format!("{e:#}"))
            ),
        }
        let in_window = |r: &Row| {
            let t = r.times.0.or(r.times.2);
            t.is_none_or(|t| (since..=until).contains(&t))
        };
        rows.retain(in_window);
    }
    if let Some(session) = &session {
        nicknames(session, &mut rows).await;
    }
    write_rows(&query.group, &rows, query.seq.is_none(), format, out)?;
    Ok(ExitCode::SUCCESS)
}

/// Fill in the nickname of every account listed (`portrait_get`, 100 accounts a call, a few
/// at once within the budget), up to [`NICKS_MAX`] accounts; a failed lookup leaves `""`
/// and says so.
async fn nicknames(session: &Session, rows: &mut [Row]) {
    let mut accounts: Vec<String> = rows.iter().map(|r| r.account.clone()).collect();
    accounts.sort_unstable();
    accounts.dedup();
    if accounts.is_empty() {
        return;
    }
    if accounts.len() > NICKS_MAX {
        eprintln!(
            "tim-receipts: nicknames not looked up for {} accounts (more than {NICKS_MAX}); a narrower --since/--until, or `members GROUP SEQ`, names them",
            accounts.len()
        );
        return;
    }
    match session.client.profiles(&accounts).await {
        Ok(profiles) => {
            let nicks: HashMap<String, String> = profiles
                .into_iter()
                .filter(|p| p.code == 0)
                .map(|p| (p.account, p.nick))
                .collect();
            for r in rows.iter_mut() {
                if let Some(nick) = nicks.get(&r.account) {
                    r.nick = nick.clone();
                }
            }
        }
        Err(e) => eprintln!(
            "tim-receipts: nicknames were not looked up ({}); `nick` is \"\"",
            crate::text::printable(&e.to_string())
        ),
    }
}

/// The message's read list and when it was fetched; None when the message has no receipt.
async fn receipt_readers(
    session: &Session,
    group: &str,
    seq: u64,
) -> anyhow::Result<Option<(Vec<String>, u64)>> {
    if !has_receipt(session, group, seq).await? {
        return Ok(None);
    }
    let fetched_ms = now_ms();
    let drained = session
        .client
        .receipt_members_drain(
            group,
            seq,
            ReceiptFilter::Read,
            crate::api::receipts::MEMBERS_PER_PAGE,
            &mut |_| {},
        )
        .await
        .map_err(group_api_error(group))?;
    Ok(Some((drained.accounts, fetched_ms)))
}

fn write_rows(
    group: &str,
    rows: &[Row],
    range: bool,
    format: &FormatArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match output::pick(format) {
        Format::Json => output::json(out, rows)?,
        Format::Csv => {
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        group.to_string(),
                        r.seq.to_string(),
                        r.account.clone(),
                        r.nick.clone(),
                        r.read_at.clone().unwrap_or_default(),
                        r.read_after.clone().unwrap_or_default(),
                        r.read_before.clone().unwrap_or_default(),
                        r.source.to_string(),
                    ]
                })
                .collect();
            output::csv(out, format, &CSV_HEADERS, &cells)?;
        }
        Format::Table => {
            let mut columns = Vec::new();
            if range {
                columns.push(("SEQ", Align::Right));
            }
            columns.extend([
                ("ACCOUNT", Align::Left),
                ("NAME", Align::Left),
                ("SOURCE", Align::Left),
                ("READ AT (UTC)", Align::Left),
            ]);
            let mut t = Table::new(&columns);
            for r in rows {
                let mut cells = Vec::new();
                if range {
                    cells.push(r.seq.to_string());
                }
                cells.extend([
                    r.account.clone(),
                    super::member_people::name_cell(&r.nick, NAME_CELLS),
                    r.source.to_string(),
                    r.when(),
                ]);
                t.push(cells);
            }
            t.write(out, output::width())?;
            if std::io::stdout().is_terminal() {
                let timed = rows.iter().filter(|r| r.times.0.is_some()).count();
                eprintln!("{} read(s), {timed} with a read time", rows.len());
            }
        }
    }
    Ok(())
}
