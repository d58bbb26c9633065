//! The incident store: events posted to the receiver land in it exactly once (repeats,
//! retries, a `listen` killed with SIGKILL), a store that cannot commit answers 500,
//! `timeline` matches what was posted, `import` is idempotent, retention trims by age
//! and size. The shared helpers are here; each part is a file in `tests/it/store/`.
//!
//! Run: `cargo test --test it store::`.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use tim_receipts::store::{Db, Read};
use tim_receipts::webhook;

const APP: u64 = 1_400_000_321;
const TOKEN: &str = "5f4dcc3b5aa765d61d8327deb882cf99";
/// Generous bound for anything to arrive on a loaded 2-core machine.
const DEADLINE: Duration = Duration::from_secs(30);
/// A fixed EventTime base (2023-11-14T22:13:20Z), so events are the same on every run.
const T0: u64 = 1_700_000_000_000;

/// A callback body: one message `seq` of `group` read by `readers` at `event_time`.
fn body(group: &str, seq: u64, readers: &[&str], event_time: u64) -> String {
    let members: Vec<Value> = readers
        .iter()
        .map(|r| serde_json::json!({ "Member_Account": r }))
        .collect();
    serde_json::json!({
        "CallbackCommand": "Group.CallbackAfterReadReceipt",
        "GroupId": group,
        "Type": "Work",
        "GroupMsgReceiptList": [{
            "MsgSeq": seq,
            "ReadNum": readers.len(),
            "UnreadNum": 10,
            "ReadReceiptMembers": members,
        }],
        "EventTime": event_time.to_string(),
    })
    .to_string()
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The callback URL's query for our app, signed now with `token`.
fn signed_query(token: &str) -> String {
    let time = now_secs();
    format!(
        "SdkAppid={APP}&CallbackCommand=Group.CallbackAfterReadReceipt&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI&Sign={}&RequestTime={time}",
        webhook::sign(token, time)
    )
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(DEADLINE)
        .build()
        .unwrap()
}

/// POST `body` signed with `token`; the status and the `ErrorCode` of the answer, or the
/// transport error (a killed server).
async fn post(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    body: String,
) -> Result<(u16, i64), reqwest::Error> {
    let response = client
        .post(format!("{url}/tim?{}", signed_query(token)))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await?;
    let status = response.status().as_u16();
    let answer: Value = response.json().await?;
    Ok((status, answer["ErrorCode"].as_i64().unwrap_or(-1)))
}

/// (member, read_at) of a message in the store at `path`.
fn reads_of(path: &Path, group: &str, seq: u64) -> Vec<(String, Option<u64>)> {
    let db = Db::open_read_only(path, APP).unwrap();
    db.timeline(group, seq)
        .unwrap()
        .into_iter()
        .map(|r: Read| (r.member, r.read_at_ms))
        .collect()
}

/// Rows in one table of the store at `path`.
fn rows_in(path: &Path, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

mod cli;
mod crash;
mod dashboard;
mod receiver;
mod retention;
