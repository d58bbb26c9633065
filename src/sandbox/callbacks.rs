//! `Group.CallbackAfterReadReceipt`: read events go into a bounded queue (a full queue drops
//! the event with a log line: the API never waits for a receiver); one task collects events
//! for a short window, merges the reads of one group into one callback (as the vendor's
//! sample does: several messages, each with its counts and the members who read in this event), and
//! POSTs each callback from its own task with a timeout and a cap on requests in flight.
//!
//! The query string is the vendor's sample's: `SdkAppid`, `CallbackCommand`, `contenttype=json`,
//! `ClientIP`, `OptPlatform`, plus `Sign = hex(sha256(token + RequestTime))` and
//! `RequestTime` (Unix seconds) when a token is set. `EventTime` is a string of milliseconds,
//! as in the sample.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::sync::{Semaphore, mpsc};
use tokio_util::sync::CancellationToken;

use super::receipts::{ReadEvent, ReadItem};

pub const CALLBACK_COMMAND: &str = "Group.CallbackAfterReadReceipt";
const QUEUE_CAPACITY: usize = 4096;
const MAX_IN_FLIGHT: usize = 8;
const MAX_BATCH: usize = 512;

/// Where and how to deliver callbacks.
#[derive(Debug, Clone)]
pub(crate) struct CallbackConfig {
    pub url: String,
    pub token: Option<String>,
    pub sdkappid: u64,
    /// How long events are collected before they are sent.
    pub batch_window: Duration,
    pub timeout: Duration,
}

/// The sending side, held by the server and the activity task.
#[derive(Clone)]
pub(crate) struct CallbackQueue {
    tx: mpsc::Sender<(ReadEvent, &'static str)>,
}

impl CallbackQueue {
    /// Queue an event without waiting; drops it (with a warning) when the queue is full.
    pub fn push(&self, event: ReadEvent, platform: &'static str) {
        if self.tx.try_send((event, platform)).is_err() {
            tracing::warn!("sandbox: callback queue full or closed; a read event was dropped");
        }
    }
}

/// `Sign` for a token and a RequestTime.
pub fn sign(token: &str, request_time: u64) -> String {
    hex::encode(Sha256::digest(format!("{token}{request_time}").as_bytes()))
}

/// Start the sender task; it ends when `cancel` fires.
pub(crate) fn spawn(config: CallbackConfig, cancel: CancellationToken) -> CallbackQueue {
    let (tx, rx) = mpsc::channel(QUEUE_CAPACITY);
    tokio::spawn(run(config, rx, cancel));
    CallbackQueue { tx }
}

async fn run(
    config: CallbackConfig,
    mut rx: mpsc::Receiver<(ReadEvent, &'static str)>,
    cancel: CancellationToken,
) {
    let client = match reqwest::Client::builder().timeout(config.timeout).build() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!("sandbox: cannot build the callback HTTP client: {e}");
            return;
        }
    };
    let permits = Arc::new(Semaphore::new(MAX_IN_FLIGHT));
    loop {
        let first = tokio::select! {
            ev = rx.recv() => ev,
            () = cancel.cancelled() => None,
        };
        let Some(first) = first else { return };
        let mut batch = vec![first];
        let deadline = tokio::time::Instant::now() + config.batch_window;
        while batch.len() < MAX_BATCH {
            tokio::select! {
                ev = rx.recv() => match ev {
                    Some(ev) => batch.push(ev),
                    None => break,
                },
                () = tokio::time::sleep_until(deadline) => break,
                () = cancel.cancelled() => return,
            }
        }
        for (event, platform) in merge(batch) {
            let permit = tokio::select! {
                p = permits.clone().acquire_owned() => match p {
                    Ok(p) => p,
                    Err(_) => return,
                },
                () = cancel.cancelled() => return,
            };
            let (client, config) = (client.clone(), config.clone());
            tokio::spawn(async move {
                deliver(&client, &config, &event, platform).await;
                drop(permit);
            });
        }
    }
}

/// Merge events per (group, platform), keeping first-seen order: per message the latest
/// counts and every reader once.
fn merge(batch: Vec<(ReadEvent, &'static str)>) -> Vec<(ReadEvent, &'static str)> {
    let mut out: Vec<(ReadEvent, &'static str)> = Vec::new();
    for (event, platform) in batch {
        let Some((target, _)) = out
            .iter_mut()
            .find(|(e, p)| e.group_id == event.group_id && *p == platform)
        else {
            out.push((event, platform));
            continue;
        };
        target.time_ms = target.time_ms.max(event.time_ms);
        for item in event.items {
            match target.items.iter_mut().find(|i| i.seq == item.seq) {
                Some(existing) => merge_item(existing, item),
                None => target.items.push(item),
            }
        }
    }
    out
}

fn merge_item(existing: &mut ReadItem, item: ReadItem) {
    existing.read = item.read;
    existing.unread = item.unread;
    for r in item.readers {
        if !existing.readers.contains(&r) {
            existing.readers.push(r);
        }
    }
}

/// The callback body, exactly as the vendor's sample (with valid JSON).
pub(crate) fn body(event: &ReadEvent) -> Value {
    let list: Vec<Value> = event
        .items
        .iter()
        .map(|i| {
            let members: Vec<Value> = i
                .readers
                .iter()
                .map(|r| json!({ "Member_Account": r }))
                .collect();
            json!({
                "MsgSeq": i.seq,
                "ReadNum": i.read,
                "UnreadNum": i.unread,
                "ReadReceiptMembers": members,
            })
        })
        .collect();
    json!({
        "CallbackCommand": CALLBACK_COMMAND,
        "GroupId": event.group_id,
        "Type": event.group_type.wire_name(),
        "GroupMsgReceiptList": list,
        "EventTime": event.time_ms.to_string(),
    })
}

async fn deliver(
    client: &reqwest::Client,
    config: &CallbackConfig,
    event: &ReadEvent,
    platform: &str,
) {
    let mut url = match reqwest::Url::parse(&config.url) {
        Ok(u) => u,
        Err(e) => {
            tracing::warn!("sandbox: callback URL is invalid: {e}");
            return;
        }
    };
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("SdkAppid", &config.sdkappid.to_string())
            .append_pair("CallbackCommand", CALLBACK_COMMAND)
            .append_pair("contenttype", "json")
            .append_pair("ClientIP", "127.0.0.1")
            .append_pair("OptPlatform", platform);
        if let Some(token) = &config.token {
            let now = crate::usersig::now_unix();
            q.append_pair("RequestTime", &now.to_string())
                .append_pair("Sign", &sign(token, now));
        }
    }
    let result = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body(event).to_string())
        .send()
        .await;
    match result {
        Ok(resp) if resp.status().is_success() => {}
        Ok(resp) => tracing::warn!("sandbox: callback answered HTTP {}", resp.status()),
        // The error text never holds the Sign: reqwest strips no query, so keep it out.
        Err(e) => tracing::warn!(
            "sandbox: callback delivery failed ({})",
            if e.is_timeout() {
                "timeout"
            } else {
                "connection error"
            }
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vendor::GroupType;

    #[test]
    fn sign_matches_the_reference_vector() {
        assert_eq!(
            sign("e10adc3949ba59abbe56e057f20f883e", 1_676_091_353),
            "a5d271b35bd72858cdf1ad0b9dfbf037d19146062c0ecb712a0a3235489d6021"
        );
    }

    fn event(group: &str, seq: u64, read: u64, reader: &str) -> ReadEvent {
        ReadEvent {
            group_id: group.into(),
            group_type: GroupType::Public,
            items: vec![ReadItem {
                seq,
                read,
                unread: 10 - read,
                readers: vec![reader.into()],
            }],
            time_ms: 1000 + read,
        }
    }

    #[test]
    fn reads_of_one_group_merge_into_one_callback() {
        let merged = merge(vec![
            (event("g", 1, 1, "a"), "RESTAPI"),
            (event("h", 1, 1, "a"), "RESTAPI"),
            (event("g", 2, 1, "a"), "RESTAPI"),
            (event("g", 1, 2, "b"), "RESTAPI"),
        ]);
        assert_eq!(merged.len(), 2);
        let g = &merged[0].0;
        assert_eq!(g.items.len(), 2);
        assert_eq!(g.items[0].read, 2);
        assert_eq!(g.items[0].readers, vec!["a", "b"]);
        let b = body(g);
        assert_eq!(b["EventTime"], json!("1002"));
        assert_eq!(
            b["GroupMsgReceiptList"][0]["ReadReceiptMembers"][1]["Member_Account"],
            json!("b")
        );
    }
}
