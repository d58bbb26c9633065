//! The Group.CallbackAfterReadReceipt receiver over real HTTP on loopback, `listen` as a
//! process, the receiver under a connection flood, and a property test of the body parser.
//! The shared helpers are here; each part is a file in `tests/it/webhook/`.
//!
//! Run: `cargo test --test it webhook::`.

use std::time::Duration;

use serde_json::Value;
use tim_receipts::webhook::{self, ReceiptEvent, ReceiverConfig};
use tokio::sync::mpsc;

const APP: u64 = 1_400_000_123;
const TOKEN: &str = "e10adc3949ba59abbe56e057f20f883e";
/// Generous bound for anything to arrive on a loaded 2-core machine.
const DEADLINE: Duration = Duration::from_secs(20);

/// The seed's sample request (003), made valid JSON: the comma after `"UnreadNum": 6` is
/// added and the comments are removed. Layout kept multi-line like the page.
const SEED_SAMPLE: &str = r#"{
"CallbackCommand": "Group.CallbackAfterReadReceipt",
"GroupId": "@TGS#2TTV7VSII",
"Type": "Public",
"GroupMsgReceiptList": [
{
"MsgSeq": 1,
"ReadNum": 1,
"UnreadNum": 6,
"ReadReceiptMembers":[
{
"Member_Account":"user0"
}
]
},
{
"MsgSeq": 2,
"ReadNum": 1,
"UnreadNum": 6,
"ReadReceiptMembers":[
{
"Member_Account":"user0"
}
]
}
],
"EventTime":"1670574414123"
}"#;

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The query the service puts on the callback URL; signed with `token` at `time` if given.
fn callback_query(app: u64, command: &str, signed: Option<(&str, u64)>) -> String {
    let mut query = format!(
        "SdkAppid={app}&CallbackCommand={command}&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI"
    );
    if let Some((token, time)) = signed {
        let sign = webhook::sign(token, time);
        query.push_str(&format!("&Sign={sign}&RequestTime={time}"));
    }
    query
}

fn receipt_query_signed() -> String {
    callback_query(
        APP,
        "Group.CallbackAfterReadReceipt",
        Some((TOKEN, now_secs())),
    )
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(DEADLINE)
        .build()
        .unwrap()
}

/// POST `body` to `url?query`; the HTTP status and the JSON answer.
async fn post(url: &str, query: &str, body: impl Into<reqwest::Body>) -> (u16, Value) {
    let response = http()
        .post(format!("{url}/?{query}"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, json)
}

fn ok_envelope() -> Value {
    serde_json::json!({"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0})
}

/// Assert a refusal: status, code, a FAIL envelope with words in it, and no secret.
fn assert_refused(answer: &(u16, Value), status: u16, code: i64, words: &str) {
    let (got_status, body) = answer;
    assert_eq!(*got_status, status, "status of {body}");
    assert_eq!(body["ActionStatus"], "FAIL", "{body}");
    assert_eq!(body["ErrorCode"], code, "{body}");
    let info = body["ErrorInfo"].as_str().unwrap();
    assert!(
        info.contains(words),
        "ErrorInfo {info:?} should mention {words:?}"
    );
    assert!(!body.to_string().contains(TOKEN), "token leaked: {body}");
}

async fn next_event(rx: &mut mpsc::Receiver<ReceiptEvent>) -> ReceiptEvent {
    tokio::time::timeout(DEADLINE, rx.recv())
        .await
        .expect("no event within the deadline")
        .expect("channel closed")
}

mod receiver;

mod listen_process;

mod sandbox_to_receiver;

mod parser_properties;

mod flood;
