//! `tim-receipts members GROUP SEQ --read|--unread [--source receipts|positions|auto]`:
//! every member who has (not) read a message, from its read receipt (all pages in server
//! order) or from the members' read positions (a full scan of the group's members), with who
//! each member is: name card and nickname (always), role and whether they muted the group
//! (where looked up), online status (with `--online`). JSON: an array of objects. Progress
//! on stderr.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use serde::Serialize;

use super::errors::group_api_error;
use super::member_people::{self, Lookups, People};
use super::output::{self, Align, Table};
use crate::api::names::NameBook;
use crate::api::positions::{MemberScan, ScanProgress};
use crate::api::{ApiError, GroupMember, OnlineState, ReceiptFilter};
use crate::cli::{Format, FormatArgs, Source};
use crate::session::Session;
use crate::vendor::codes::GROUP_NO_PERMISSION;

/// On a non-terminal stderr, a progress line every this many accounts.
const PLAIN_PROGRESS_EVERY: u64 = 1_000;
/// The widest a name is shown in the table, in cells.
const NAME_CELLS: usize = 22;

/// CSV columns: the dashboard export's four, then where each row comes from, then who the
/// member is.
pub const CSV_HEADERS: [&str; 12] = [
    "group_id",
    "seq",
    "list",
    "account",
    "source",
    "read_seq",
    "joined_after",
    "name_card",
    "nick",
    "role",
    "muted",
    "online",
];

/// One listed member.
#[derive(Debug, Clone, Serialize)]
struct Row {
    account: String,
    /// `NameCard` in the group ("" when none).
    name_card: String,
    /// `Tag_Profile_IM_Nick` ("" when none).
    nick: String,
    /// "receipt" or "position".
    source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    read_seq: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    joined_after: Option<bool>,
    /// Owner, Admin or Member, where looked up.
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<String>,
    /// The member muted the group (`MsgFlag` AcceptNotNotify or Discard), where looked up.
    #[serde(skip_serializing_if = "Option::is_none")]
    muted: Option<bool>,
    /// Online, PushOnline or Offline with `--online` (null when the service had no answer).
    #[serde(skip_serializing_if = "Option::is_none")]
    online: Option<Option<OnlineState>>,
}

impl Row {
    fn new(account: String, source: &'static str) -> Row {
        Row {
            account,
            name_card: String::new(),
            nick: String::new(),
            source,
            read_seq: None,
            joined_after: None,
            role: None,
            muted: None,
            online: None,
        }
    }

    fn learn(&mut self, people: &People) {
        self.name_card = people.name_card(&self.account);
        self.nick = people.nick(&self.account);
        self.role = people.role(&self.account);
        self.muted = people.muted(&self.account);
        self.online = people.online(&self.account);
    }

    fn csv(&self, group: &str, seq: u64, list: &str) -> Vec<String> {
        let opt = |v: Option<String>| v.unwrap_or_default();
        vec![
            group.to_string(),
            seq.to_string(),
            list.to_string(),
            self.account.clone(),
            self.source.to_string(),
            opt(self.read_seq.map(|s| s.to_string())),
            opt(self.joined_after.map(|j| j.to_string())),
            self.name_card.clone(),
            self.nick.clone(),
            opt(self.role.clone()),
            opt(self.muted.map(|m| m.to_string())),
            match self.online {
                Some(Some(s)) => s.wire_name().to_string(),
                _ => String::new(),
            },
        ]
    }

    /// The name to show: the name card, else the nickname, else "" (with `--no-names`, what
    /// a read-positions scan carried).
    fn name(&self) -> &str {
        if self.name_card.is_empty() {
            &self.nick
        } else {
            &self.name_card
        }
    }

    /// The READ cell: the list, or how far the member has read.
    fn read_cell(&self, read: bool) -> String {
        match (self.read_seq, self.joined_after) {
            (Some(s), Some(true)) => format!("up to {s}, joined after"),
            (Some(s), _) => format!("up to {s}"),
            _ if read => "read".into(),
            _ => "unread".into(),
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub async fn run(
    session: &Session,
    group: &str,
    seq: u64,
    read: bool,
    source: Source,
    want: Lookups,
    format: &FormatArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let positions = match source {
        Source::Receipts => false,
        Source::Positions => true,
        Source::Auto => !has_receipt(session, group, seq).await?,
    };
    let (mut rows, book) = if positions {
        position_rows(session, group, seq, read, want.names).await?
    } else {
        (
            receipt_rows(session, group, seq, read).await?,
            NameBook::new(),
        )
    };
    let people =
        member_people::look_up(session, group, &rows_accounts(&rows, want), book, want).await;
    for r in &mut rows {
        if want.names {
            r.learn(&people);
        } else {
            r.online = people.online(&r.account);
        }
    }
    let list = if read { "read" } else { "unread" };
    match output::pick(format) {
        Format::Json => output::json(out, &rows)?,
        Format::Csv => output::csv(
            out,
            format,
            &CSV_HEADERS,
            // Row by row: a 100,000-member list is never copied into cells at once.
            rows.iter().map(|r| r.csv(group, seq, list)),
        )?,
        Format::Table => {
            let mut t = Table::new(&[
                ("ACCOUNT", Align::Left),
                ("NAME", Align::Left),
                ("READ", Align::Left),
                ("ROLE", Align::Left),
                ("STATUS", Align::Left),
            ]);
            for r in &rows {
                t.push(vec![
                    r.account.clone(),
                    member_people::name_cell(r.name(), NAME_CELLS),
                    r.read_cell(read),
                    r.role.clone().unwrap_or_default(),
                    member_people::status_cell(r.online, r.muted),
                ]);
            }
            t.write(out, output::width())?;
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

/// The accounts to look up: all of them when a lookup is wanted (the lookups take the
/// list), else none.
fn rows_accounts(rows: &[Row], want: Lookups) -> Vec<String> {
    if want.names || want.online {
        rows.iter().map(|r| r.account.clone()).collect()
    } else {
        Vec::new()
    }
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
        .map(|account| Row::new(account, "receipt"))
        .collect())
}

/// The read or unread list from the members' read positions, and a name book holding what
/// the scan's pages said about the listed members (name cards, roles, mutes): one full
/// member scan and one `group_msg_get_simple` call for the message's time and sender.
async fn position_rows(
    session: &Session,
    group: &str,
    seq: u64,
    read: bool,
    names: bool,
) -> anyhow::Result<(Vec<Row>, NameBook)> {
    let mut meter = ScanMeter::new();
    let mut progress = |p: ScanProgress| meter.tick(p);
    let scanned = session.client.member_scan(group, &mut progress, None).await;
    meter.done();
    let scanned: MemberScan = scanned.map_err(group_api_error(group))?;
    let message = session
        .client
        .message_refs(group, &[seq])
        .await
        .map_err(group_api_error(group))?
        .remove(&seq)
        .ok_or_else(|| {
            group_api_error(group)(ApiError::Invalid(format!(
                "group {} has no message {seq} in its history (`messages` lists the seqs)",
                crate::text::printable(group)
            )))
        })?;
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
    // One pass that takes the scan apart: each listed member's account moves into its row,
    // the others are dropped, so a 100,000-member scan is never held twice. What its page
    // said about the member (name card, role, mute) goes into the book when names are
    // looked up (the lookup then skips those name cards), else straight into the row: it
    // cost nothing, and a book of 100,000 entries would only be dropped.
    let listed = |m: &GroupMember| m.account != message.from && (m.last_read_seq >= seq) == read;
    let mut book = NameBook::new();
    let mut rows = Vec::with_capacity(scanned.members.iter().filter(|m| listed(m)).count());
    for m in scanned.members {
        if !listed(&m) {
            continue;
        }
        let mut row = Row {
            read_seq: Some(m.last_read_seq),
            joined_after: Some(m.join_time > message.time),
            ..Row::new(String::new(), "position")
        };
        if names {
            book.learn_members(group, std::slice::from_ref(&m));
        } else {
            row.name_card = m.name_card().unwrap_or_default().to_string();
            row.muted = m.msg_flag().map(|f| f.is_muted());
            row.role = Some(m.role).filter(|r| !r.is_empty());
        }
        row.account = m.account;
        rows.push(row);
    }
    Ok((rows, book))
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
