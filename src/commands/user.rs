//! `tim-receipts user ACCOUNT [--group G --seq N]`: one user on one screen — who they are
//! (nickname, online status with devices), their groups with their unread count in each (an
//! estimate; Meeting and AVChatRoom groups keep none and say so), whether they muted each
//! group and whether an admin muted them there (kept apart), their 1:1 conversations with
//! the unread count of each and the total; with `--group` and `--seq`, whether they read
//! that message, by read receipt and by read position. JSON: one object.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use serde::Serialize;

use super::errors::api_error;
use super::output::{self, Align, Table};
use crate::api::user::{
    NO_NICKNAME_SEARCH, SET_UNREAD_NOTIFIES_NOBODY, UNREAD_IS_AN_ESTIMATE, UserGroup, UserReport,
    UserUpdate,
};
use crate::api::user_read::MessageRead;
use crate::api::{ApiError, UserOptions};
use crate::cli::{Format, FormatArgs};
use crate::session::Session;
use crate::text;

/// CSV columns: one row per group (`kind` "group") and per 1:1 conversation ("c2c").
pub const CSV_HEADERS: [&str; 10] = [
    "account",
    "kind",
    "id",
    "name",
    "type",
    "unread",
    "unread_note",
    "read_seq",
    "muted",
    "mute_until",
];

/// Unix seconds as the UTC day, `YYYY-MM-DD`.
fn day(secs: i64) -> String {
    output::utc(secs).chars().take(10).collect()
}

#[derive(Debug, Serialize)]
struct GroupOut {
    group_id: String,
    name: String,
    #[serde(rename = "type")]
    group_type: Option<&'static str>,
    role: String,
    /// The estimate; null when the type keeps no counts (see `unread_note`) or not known.
    unread: Option<u64>,
    unread_note: Option<String>,
    read_seq: Option<u64>,
    /// The user muted the group (`MsgFlag` AcceptNotNotify or Discard).
    muted: Option<bool>,
    /// When an admin's mute of the user ends (Unix seconds); null when never muted.
    mute_until: Option<i64>,
}

#[derive(Debug, Serialize)]
struct C2cOut {
    peer: String,
    unread: Option<u64>,
    pinned: bool,
    /// Unix seconds of the newest message.
    time: i64,
}

#[derive(Debug, Serialize)]
struct PlatformOut {
    platform: String,
    state: Option<&'static str>,
}

#[derive(Debug, Serialize)]
struct MessageOut {
    group_id: String,
    seq: u64,
    by_receipt: &'static str,
    by_position: &'static str,
    read_seq: Option<u64>,
}

#[derive(Debug, Serialize)]
struct UserOut {
    account: String,
    nick: String,
    online: Option<&'static str>,
    platforms: Vec<PlatformOut>,
    groups_total: Option<u64>,
    groups: Vec<GroupOut>,
    c2c: Vec<C2cOut>,
    c2c_unread_total: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<MessageOut>,
    notes: Vec<&'static str>,
}

const NOTES: [&str; 3] = [
    UNREAD_IS_AN_ESTIMATE,
    SET_UNREAD_NOTIFIES_NOBODY,
    NO_NICKNAME_SEARCH,
];

fn group_out(g: &UserGroup) -> GroupOut {
    GroupOut {
        group_id: g.group_id.clone(),
        name: g.name.clone(),
        group_type: g.group_type.map(|t| t.label()),
        role: g.role.clone(),
        unread: g.unread.count(),
        unread_note: g.unread.note(),
        read_seq: g.read_seq,
        muted: g.muted(),
        mute_until: (g.mute_until > 0).then_some(g.mute_until),
    }
}

fn to_out(r: &UserReport, message: Option<&MessageRead>) -> UserOut {
    UserOut {
        account: r.account.clone(),
        nick: r.nick.clone().unwrap_or_default(),
        online: r
            .online
            .as_ref()
            .and_then(|s| s.state)
            .map(|s| s.wire_name()),
        platforms: r
            .online
            .iter()
            .flat_map(|s| &s.platforms)
            .map(|p| PlatformOut {
                platform: p.platform.clone(),
                state: p.state.map(|s| s.wire_name()),
            })
            .collect(),
        groups_total: r.groups_total,
        groups: r.groups_by_unread().into_iter().map(group_out).collect(),
        c2c: r
            .c2c
            .iter()
            .map(|c| C2cOut {
                peer: c.peer.clone(),
                unread: c.unread,
                pinned: c.pinned,
                time: c.msg_time,
            })
            .collect(),
        c2c_unread_total: r.c2c_unread_total,
        message: message.map(|m| MessageOut {
            group_id: m.group_id.clone(),
            seq: m.seq,
            by_receipt: m.by_receipt.label(),
            by_position: m.by_position.label(),
            read_seq: m.read_seq,
        }),
        notes: NOTES.to_vec(),
    }
}

/// Progress on a terminal's stderr once the first screen is in.
struct Meter {
    tty: bool,
    shown: bool,
}

impl Meter {
    fn tick(&mut self, u: &UserUpdate, report: &UserReport) {
        if !self.tty || !report.first_screen || !matches!(u, UserUpdate::Groups { .. }) {
            return;
        }
        self.shown = true;
        eprint!(
            "\rgroups: {} of {}",
            report.groups.len(),
            report.groups_total.unwrap_or(0)
        );
    }

    fn done(&self) {
        if self.shown {
            eprintln!();
        }
    }
}

pub async fn run(
    session: &Session,
    account: &str,
    message: Option<(&str, u64)>,
    format: &FormatArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let mut meter = Meter {
        tty: std::io::stderr().is_terminal(),
        shown: false,
    };
    let mut mirror = UserReport::new(account);
    let mut progress = |u: &UserUpdate| {
        mirror.apply(u.clone());
        meter.tick(u, &mirror);
    };
    let client = &session.client;
    let check = async {
        match message {
            Some((group, seq)) => Some(client.user_read_message(account, group, seq).await),
            None => None,
        }
    };
    let (report, check) = futures::join!(
        client.user_report(account, UserOptions::default(), &mut progress, None),
        check
    );
    meter.done();
    let report = report.map_err(api_error)?;
    let check: Option<MessageRead> = check.transpose().map_err(|e: ApiError| match message {
        Some((group, _)) => anyhow::anyhow!(e.one_line_in_group(group)),
        None => api_error(e),
    })?;
    for p in &report.problems {
        eprintln!(
            "tim-receipts: could not be looked up: {}; printed without it",
            text::printable(p)
        );
    }
    match output::pick(format) {
        Format::Json => output::json(out, &to_out(&report, check.as_ref()))?,
        Format::Csv => output::csv(out, format, &CSV_HEADERS, csv_rows(&report))?,
        Format::Table => table(&report, check.as_ref(), out)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn csv_rows(r: &UserReport) -> Vec<Vec<String>> {
    let groups = r.groups_by_unread().into_iter().map(|g| {
        let o = group_out(g);
        vec![
            r.account.clone(),
            "group".into(),
            o.group_id,
            o.name,
            o.group_type.unwrap_or_default().to_string(),
            output::opt_csv(o.unread),
            o.unread_note.unwrap_or_default(),
            output::opt_csv(o.read_seq),
            o.muted.map(|m| m.to_string()).unwrap_or_default(),
            o.mute_until.map(|t| t.to_string()).unwrap_or_default(),
        ]
    });
    let c2c = r.c2c.iter().map(|c| {
        vec![
            r.account.clone(),
            "c2c".into(),
            c.peer.clone(),
            String::new(),
            String::new(),
            output::opt_csv(c.unread),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]
    });
    groups.chain(c2c).collect()
}

/// The ONLINE line: state and devices.
fn online_line(r: &UserReport) -> String {
    let Some(s) = &r.online else {
        return "online status unknown".into();
    };
    let state = s.state.map_or("unknown", |s| s.wire_name());
    let devices: Vec<String> = s
        .platforms
        .iter()
        .map(|p| {
            format!(
                "{} {}",
                p.platform,
                p.state.map_or("unknown", |s| s.wire_name())
            )
        })
        .collect();
    if devices.is_empty() {
        state.to_string()
    } else {
        format!("{state} ({})", devices.join(", "))
    }
}

fn table(
    r: &UserReport,
    message: Option<&MessageRead>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let now = i64::try_from(crate::usersig::now_unix()).unwrap_or(i64::MAX);
    let width = output::width();
    let nick = r
        .nick
        .as_deref()
        .filter(|n| !n.is_empty())
        .unwrap_or("(no nickname)");
    writeln!(
        out,
        "{}  {}  {}",
        text::printable(&r.account),
        text::truncate(&text::printable(nick), 30),
        text::printable(&online_line(r))
    )?;
    let with_unread = r
        .groups
        .iter()
        .filter(|g| g.unread.count().unwrap_or(0) > 0)
        .count();
    writeln!(
        out,
        "groups: {} (unread in {}, {} in all, estimated); 1:1 unread: {} ({} in the {} conversations listed)",
        text::thousands(r.groups_total.unwrap_or(r.groups.len() as u64)),
        text::thousands(with_unread as u64),
        text::thousands(r.group_unread_sum()),
        r.c2c_unread_total.map_or("unknown".into(), text::thousands),
        text::thousands(r.c2c_listed_unread()),
        r.c2c.len(),
    )?;
    writeln!(out)?;
    let mut t = Table::new(&[
        ("GROUP", Align::Left),
        ("TYPE", Align::Left),
        ("UNREAD", Align::Right),
        ("READ SEQ", Align::Right),
        ("MUTED", Align::Left),
        ("ADMIN MUTE", Align::Left),
        ("NAME", Align::Left),
    ]);
    for g in r.groups_by_unread() {
        let unread = match (g.unread.count(), g.group_type) {
            (Some(n), _) => n.to_string(),
            (None, Some(t)) if t.ignores_unread_count() => "none kept".into(),
            (None, _) => "?".into(),
        };
        let admin = match g.mute_until {
            0 => String::new(),
            t if t > now => format!("until {}", day(t)),
            t => format!("ended {}", day(t)),
        };
        t.push(vec![
            g.group_id.clone(),
            g.group_type.map_or("?", |t| t.label()).to_string(),
            unread,
            output::opt(g.read_seq),
            match g.muted() {
                Some(true) => "muted".into(),
                Some(false) => String::new(),
                None => "?".into(),
            },
            admin,
            g.name.clone(),
        ]);
    }
    t.write(out, width)?;
    writeln!(out)?;
    let mut t = Table::new(&[
        ("PEER", Align::Left),
        ("UNREAD", Align::Right),
        ("PINNED", Align::Left),
        ("LAST MESSAGE (UTC)", Align::Left),
    ]);
    for c in &r.c2c {
        t.push(vec![
            c.peer.clone(),
            output::opt(c.unread),
            if c.pinned {
                "pinned".into()
            } else {
                String::new()
            },
            output::utc(c.msg_time),
        ]);
    }
    t.write(out, width)?;
    if let Some(m) = message {
        writeln!(out)?;
        writeln!(
            out,
            "message {} in {}:",
            m.seq,
            text::printable(&m.group_id)
        )?;
        writeln!(out, "  by read receipt:  {}", m.by_receipt.sentence())?;
        writeln!(out, "  by read position: {}", m.position_sentence())?;
    }
    writeln!(out)?;
    for n in NOTES {
        writeln!(out, "note: {n}")?;
    }
    Ok(())
}
