//! One file per subcommand; each only wires the client to a formatter.
//!
//! Output goes to stdout (table on a terminal, JSON otherwise, or `--format`); progress
//! and prompts go to stderr; a failure is one line on stderr (what happened and the next
//! step, from `ApiError::explain`) and a non-zero exit.

mod audit_cmd;
mod config_cmd;
mod confirm;
mod errors;
mod group_search;
mod groups;
mod import;
mod member_people;
mod members;
mod messages;
pub mod output;
mod receipts;
mod timeline;
mod user;
mod usersig_cmd;
mod writes;

use std::io::{self, Write};
use std::process::ExitCode;

use crate::cli::{Command, DemoArgs, GlobalArgs, UsersigCommand};
use crate::config::Overrides;
use crate::session::Session;

pub use errors::{api_error, group_api_error, write_error};
pub use receipts::parse_seqs;

/// Run one plain subcommand (everything but `sandbox` and `listen`).
pub async fn run(
    command: &Command,
    global: &GlobalArgs,
    demo: &DemoArgs,
) -> anyhow::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let result = dispatch(command, global, demo, &mut out).await;
    let flushed = out.flush();
    match result {
        Err(e) if is_broken_pipe(&e) => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e),
        Ok(code) => match flushed {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
            Err(e) => Err(e.into()),
            Ok(()) => Ok(code),
        },
    }
}

async fn dispatch(
    command: &Command,
    global: &GlobalArgs,
    demo: &DemoArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let global = &Overrides::from(global);
    match command {
        Command::Usersig { command } => match command {
            UsersigCommand::Gen { identifier, expire } => {
                usersig_cmd::gen_sig(global, identifier.as_deref(), *expire, out)
            }
            UsersigCommand::Inspect { sig } => usersig_cmd::inspect(global, sig, out),
        },
        Command::Config => config_cmd::run(global, out),
        Command::Audit {
            pending,
            limit,
            format,
        } => audit_cmd::run(*pending, *limit, format, out),
        Command::Timeline {
            group,
            seq,
            since,
            until,
            offline,
            format,
        } => {
            let query = timeline::Query {
                group: group.clone(),
                seq: *seq,
                since: *since,
                until: *until,
                offline: *offline,
            };
            timeline::run(global, demo, &query, format, out).await
        }
        Command::Import { file, format } => import::run(global, file, format, out),
        Command::Sandbox(_) | Command::Listen(_) => {
            anyhow::bail!("internal error: `sandbox` and `listen` are not plain subcommands")
        }
        other => {
            // With --demo the session holds the sandbox; dropping it stops the server.
            let session = Session::connect(global.clone(), demo).await?;
            run_with_session(other, &session, out).await
        }
    }
}

/// Run a subcommand that talks to the API, on an existing session.
pub async fn run_with_session(
    command: &Command,
    session: &Session,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    match command {
        Command::Groups {
            group_type,
            limit,
            search: Some(text),
            refresh,
            format,
        } => {
            let find = group_search::Search {
                text,
                group_type: group_type.as_deref(),
                limit: *limit,
                refresh: *refresh,
            };
            group_search::run(session, &find, format, out).await
        }
        Command::Groups {
            group_type,
            limit,
            search: None,
            refresh: _,
            format,
        } => groups::run(session, group_type.as_deref(), *limit, format, out).await,
        Command::Messages {
            group,
            limit,
            format,
        } => messages::run(session, group, *limit, format, out).await,
        Command::Receipts {
            group,
            seqs,
            source,
            format,
        } => match source {
            crate::cli::CountSource::Receipts => {
                receipts::run(session, group, seqs, format, out).await
            }
            crate::cli::CountSource::Positions => {
                receipts::run_positions(session, group, seqs, format, out).await
            }
        },
        Command::Members {
            group,
            seq,
            read,
            unread: _,
            source,
            online,
            no_names,
            format,
        } => {
            let want = member_people::Lookups {
                names: !*no_names,
                online: *online,
            };
            members::run(session, group, *seq, *read, *source, want, format, out).await
        }
        Command::User {
            account,
            group,
            seq,
            format,
        } => {
            let message = group.as_deref().zip(*seq);
            user::run(session, account, message, format, out).await
        }
        Command::MarkRead {
            report_account,
            peer_account,
            time,
            write,
        } => {
            let action = crate::api::WriteAction::MarkC2cRead {
                report: report_account.clone(),
                peer: peer_account.clone(),
                time: *time,
            };
            writes::run(session, &action, write, out).await
        }
        Command::SetUnread {
            group,
            member,
            count,
            write,
        } => {
            let action = crate::api::WriteAction::SetUnread {
                group: group.clone(),
                member: member.clone(),
                unread: *count,
            };
            writes::run(session, &action, write, out).await
        }
        Command::Usersig { .. }
        | Command::Config
        | Command::Audit { .. }
        | Command::Timeline { .. }
        | Command::Import { .. }
        | Command::Sandbox(_)
        | Command::Listen(_) => {
            anyhow::bail!("internal error: this subcommand does not use a session")
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}
