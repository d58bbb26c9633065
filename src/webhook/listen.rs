//! `tim-receipts listen`: serve the receiver and print one JSON line per message in each
//! accepted event on stdout, optionally appending each raw accepted body to a JSONL file.
//!
//! stderr gets `listening on http://HOST:PORT` first, then notes, one line per refused
//! request (`refused: <ErrorInfo> (ErrorCode N)`, within the line budget of
//! [`super::throttle`]: the rest are summed up in `not printed: ...` lines) and a summary at
//! the end; stdout gets
//! only event lines, flushed one by one, so `listen | jq` works. A line looks like
//! `{"group":"@TGS#2TTV7VSII","type":"Public","seq":1,"read":1,"unread":6,"readers":["user0"],"event_time":1670574414123}`
//! (`readers` are the members who read in this event; `event_time` is the event's
//! `EventTime` in Unix milliseconds). An event with an empty `GroupMsgReceiptList` prints
//! nothing.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use serde::Serialize;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

use super::event::ReceiptEvent;
pub use super::parse::one_line_json;
use super::reject::Rejection;
use super::server::{
    Delivery, RawReceipt, ReceiverConfig, RefusalHook, Report, StatsSnapshot, start_with,
};
use crate::config::{Overrides, StoreSettings};
use crate::store::Store;

/// How many accepted events may wait for stdout before new ones are dropped.
const QUEUE: usize = 4096;

/// One stdout line of `listen`: one message of one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListenLine<'a> {
    pub group: &'a str,
    #[serde(rename = "type")]
    pub group_type: &'a str,
    pub seq: u64,
    pub read: u64,
    pub unread: u64,
    pub readers: &'a [String],
    pub event_time: u64,
}

/// The stdout lines of one event, one per message, without trailing newlines.
pub fn json_lines(event: &ReceiptEvent) -> Vec<String> {
    event
        .receipts
        .iter()
        .filter_map(|update| {
            serde_json::to_string(&ListenLine {
                group: &event.group_id,
                group_type: &event.group_type,
                seq: update.seq,
                read: update.read,
                unread: update.unread,
                readers: &update.readers,
                event_time: event.event_time_ms,
            })
            .ok()
        })
        .collect()
}

/// Options of the `listen` subcommand.
#[derive(Debug, Clone)]
pub struct ListenOptions {
    /// Address to listen on.
    pub bind: SocketAddr,
    /// Callback authentication token (else the profile's).
    pub token: Option<String>,
    /// Append every accepted raw event to this JSON-lines file.
    pub record: Option<PathBuf>,
    /// Reject signed requests whose RequestTime is further than this from now, in seconds.
    pub max_age: u64,
    /// Store events (`--store` / `--no-store`); None: as the profile says (default on).
    pub store: Option<bool>,
}

/// What `listen` resolves from the flags, the environment and the profile.
struct Resolved {
    sdkappid: u64,
    token: Option<String>,
    store: StoreSettings,
    demo: bool,
}

/// The SDKAppID callbacks must carry and the token, as the other commands resolve them:
/// `--sdkappid` > `TIM_SDKAPPID` > the profile's `sdkappid`; `--token` > `TIM_WEBHOOK_TOKEN` >
/// the profile's `webhook_token` / `webhook_token_env`; the store's settings. With
/// `--demo`: the sandbox's SDKAppID (or `--sdkappid`), no config file read.
fn resolve(global: &Overrides, args: &ListenOptions) -> anyhow::Result<Resolved> {
    let flag_token = args
        .token
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    if global.demo {
        let sdkappid = global.sdkappid.unwrap_or(crate::sandbox::DEFAULT_SDKAPPID);
        return Ok(Resolved {
            sdkappid,
            token: flag_token,
            store: StoreSettings::defaults(global),
            demo: true,
        });
    }
    let settings = crate::config::resolve(global)?;
    let sdkappid = settings.require_sdkappid()?;
    let token = match flag_token {
        Some(token) => Some(token),
        None => match &settings.webhook_token {
            Ok(token) => token
                .as_ref()
                .map(|t| t.value.expose().trim().to_string())
                .filter(|t| !t.is_empty()),
            Err(why) => anyhow::bail!("{why}"),
        },
    };
    Ok(Resolved {
        sdkappid,
        token,
        store: settings.store,
        demo: false,
    })
}

/// The store, unless turned off (`--no-store`, or the profile's `store = false` without
/// `--store`), and the stderr line that says which.
fn open_store(resolved: &Resolved, asked: Option<bool>) -> anyhow::Result<(Option<Store>, String)> {
    let settings = &resolved.store;
    if !asked.unwrap_or(settings.enabled.value) {
        return Ok((
            None,
            "not storing events (--no-store or the profile's store = false)".into(),
        ));
    }
    let store = settings
        .open(resolved.sdkappid, resolved.demo)
        .map_err(|e| anyhow::anyhow!("{e:#}; fix it or run with --no-store"))?;
    let line = format!("storing events in {}", settings.describe(store.path()));
    Ok((Some(store), line))
}

/// Report refusals on stderr, as far as the line budget lets them through (the log file
/// gets the same lines).
fn refusal_printer() -> RefusalHook {
    Arc::new(|report: Report<'_>| match report {
        Report::Refused(rejection) => eprintln!("{}", refusal_line(rejection)),
        Report::HeldBack(summary) => eprintln!("not printed: {summary}"),
    })
}

fn refusal_line(rejection: &Rejection) -> String {
    format!(
        "refused: {rejection} (ErrorCode {})",
        rejection.error_code()
    )
}

/// The last stderr line: what the receiver did.
fn stop_summary(stats: &StatsSnapshot) -> String {
    let mut line = format!(
        "stopped: {} events accepted, {} other callbacks ignored, {} requests refused, {} events dropped",
        stats.accepted, stats.ignored, stats.rejected, stats.dropped
    );
    if stats.connections_refused > 0 {
        line.push_str(&format!(
            ", {} connections refused (too many open)",
            stats.connections_refused
        ));
    }
    if let Some(store) = stats.store {
        line.push_str(&format!(
            ", {} events stored ({} already stored), {} not stored",
            store.stored, store.repeats, store.failed
        ));
    }
    if stats.warnings_held_back > 0 {
        line.push_str(&format!(
            ", {} warning lines not printed",
            stats.warnings_held_back
        ));
    }
    line
}

/// The `tim-receipts listen` subcommand: one JSON line per accepted event on stdout.
/// Ctrl-C, SIGTERM and SIGHUP stop it: events already accepted are printed, then it exits
/// with 128 + the signal's number.
pub async fn run_listen(global: &Overrides, args: &ListenOptions) -> anyhow::Result<ExitCode> {
    let resolved = resolve(global, args)?;
    let (store, store_line) = open_store(&resolved, args.store)?;
    let sdkappid = resolved.sdkappid;
    let config = ReceiverConfig {
        sdkappid,
        token: resolved.token,
        max_age: std::time::Duration::from_secs(args.max_age),
        store,
        ..ReceiverConfig::default()
    };
    let mut record = match &args.record {
        Some(path) => Some(open_record(path).await?),
        None => None,
    };
    let signed = config.token.is_some();
    let (tx, mut rx) = mpsc::channel::<RawReceipt>(QUEUE);
    let receiver = start_with(
        config,
        args.bind,
        Delivery::WithBody(tx),
        Some(refusal_printer()),
    )
    .await?;
    eprintln!("listening on {}", receiver.url());
    eprintln!(
        "{}",
        describe(receiver.addr(), sdkappid, signed, args.max_age)
    );
    eprintln!("{store_line}");

    let mut stdout = tokio::io::stdout();
    let mut stop = crate::signals::Stop::install()?;
    let outcome: anyhow::Result<ExitCode> = loop {
        tokio::select! {
            signal = stop.wait() => break Ok(crate::signals::exit_code(signal)),
            received = rx.recv() => {
                let Some(raw) = received else { break Ok(ExitCode::SUCCESS) };
                match emit(&raw, &mut stdout, record.as_mut()).await {
                    Ok(true) => {}
                    // stdout closed (e.g. `| head`)
                    Ok(false) => break Ok(ExitCode::SUCCESS),
                    Err(e) => break Err(e),
                }
            }
        }
    };
    let stats = receiver.shutdown().await;
    // Events accepted before the stop still get printed.
    while let Ok(raw) = rx.try_recv() {
        if !matches!(emit(&raw, &mut stdout, record.as_mut()).await, Ok(true)) {
            break;
        }
    }
    eprintln!("{}", stop_summary(&stats));
    outcome
}

fn describe(addr: SocketAddr, sdkappid: u64, signed: bool, max_age: u64) -> String {
    let auth = if signed {
        format!("Sign checked, RequestTime window {max_age} s")
    } else {
        "no token: callbacks are NOT authenticated (set --token, TIM_WEBHOOK_TOKEN or the profile's webhook_token)".to_string()
    };
    let exposure = if addr.ip().is_loopback() {
        ""
    } else {
        "; put TLS in front before exposing it"
    };
    format!("accepting Group.CallbackAfterReadReceipt for SDKAppID {sdkappid}; {auth}{exposure}")
}

async fn open_record(path: &Path) -> anyhow::Result<tokio::fs::File> {
    tokio::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .await
        .with_context(|| {
            format!(
                "cannot open the record file {} for appending; check the directory exists and is writable",
                path.display()
            )
        })
}

/// Record the raw body, then print the event's lines. `Ok(false)` when stdout is gone.
async fn emit(
    raw: &RawReceipt,
    stdout: &mut (impl AsyncWrite + Unpin),
    record: Option<&mut tokio::fs::File>,
) -> anyhow::Result<bool> {
    if let Some(file) = record {
        let mut line = one_line_json(&raw.body);
        line.push(b'\n');
        file.write_all(&line)
            .await
            .context("cannot append to the record file")?;
        file.flush()
            .await
            .context("cannot append to the record file")?;
    }
    for line in json_lines(&raw.event) {
        let mut bytes = line.into_bytes();
        bytes.push(b'\n');
        let written = async {
            stdout.write_all(&bytes).await?;
            stdout.flush().await
        };
        if written.await.is_err() {
            return Ok(false);
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webhook::event::ReceiptUpdate;

    #[test]
    fn one_line_keeps_strings_and_order() {
        let body = b"{\n  \"b\" : \"x y\\\" \\n\",\n\t\"a\": [1, 2.50]\r\n}";
        let line = one_line_json(body);
        assert_eq!(line, br#"{"b":"x y\" \n","a":[1,2.50]}"#.to_vec());
        let reparsed: serde_json::Value = serde_json::from_slice(&line).unwrap();
        let original: serde_json::Value = serde_json::from_slice(body).unwrap();
        assert_eq!(reparsed, original);
    }

    #[test]
    fn lines_per_message() {
        let event = ReceiptEvent {
            group_id: "@TGS#1".into(),
            group_type: "Public".into(),
            event_time_ms: 1_670_574_414_123,
            receipts: vec![
                ReceiptUpdate {
                    seq: 1,
                    read: 1,
                    unread: 6,
                    readers: vec!["user0".into()],
                },
                ReceiptUpdate {
                    seq: 2,
                    read: 0,
                    unread: 7,
                    readers: vec![],
                },
            ],
        };
        assert_eq!(
            json_lines(&event),
            vec![
                r#"{"group":"@TGS#1","type":"Public","seq":1,"read":1,"unread":6,"readers":["user0"],"event_time":1670574414123}"#,
                r#"{"group":"@TGS#1","type":"Public","seq":2,"read":0,"unread":7,"readers":[],"event_time":1670574414123}"#,
            ]
        );
    }
}
