//! A burst of signed `Group.CallbackAfterReadReceipt` events offered to a receiver at a
//! steady rate (open loop: each request leaves on its own schedule, whatever the answers
//! before it), with the response times. Included by path by `benches/store.rs` and
//! `benches/store_dashboard.rs`.

#![allow(dead_code)] // each bench uses a different subset

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use tim_receipts::webhook;

/// The first event's time (Unix ms); event i is at T0 + i.
pub const T0: u64 = 1_700_000_000_000;

/// What a burst did.
pub struct Load {
    pub sent: u64,
    pub ok: u64,
    pub elapsed: Duration,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
    /// How many got each answer other than 200 (0: no answer, the connection failed).
    pub other: std::collections::BTreeMap<u16, u64>,
}

pub fn body(group: &str, seq: u64, readers: &[String], time: u64) -> String {
    let members: Vec<_> = readers
        .iter()
        .map(|r| json!({ "Member_Account": r }))
        .collect();
    json!({
        "CallbackCommand": "Group.CallbackAfterReadReceipt",
        "GroupId": group,
        "Type": "Work",
        "GroupMsgReceiptList": [{"MsgSeq": seq, "ReadNum": readers.len(), "UnreadNum": 150,
            "ReadReceiptMembers": members}],
        "EventTime": time.to_string(),
    })
    .to_string()
}

/// Offer `rate` signed events a second for `seconds` to the receiver at `url` (app `app`,
/// token `token`): 50 groups, 1 to 3 readers each of 199 accounts.
pub async fn offer(url: &str, app: u64, token: &str, rate: u64, seconds: u64) -> Load {
    let url = url.to_string();
    let token = token.to_string();
    let client = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(256)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let total = rate * seconds;
    let bodies: Arc<Vec<String>> = Arc::new(
        (0..total)
            .map(|i| {
                let readers: Vec<String> = (0..1 + i % 3)
                    .map(|r| format!("u{}", (i + r) % 199))
                    .collect();
                body(&format!("@TGS#G{}", i % 50), i / 50, &readers, T0 + i)
            })
            .collect(),
    );
    let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel();
    let start = Instant::now();
    let per_ms = rate / 1000;
    let mut tick = tokio::time::interval(Duration::from_millis(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let mut next = 0u64;
    while next < total {
        tick.tick().await;
        // Catch up to the schedule: request i is due at i / rate seconds.
        let due = ((start.elapsed().as_secs_f64() * rate as f64) as u64 + per_ms).min(total);
        while next < due {
            let (client, url, bodies, done, token) = (
                client.clone(),
                url.clone(),
                Arc::clone(&bodies),
                done_tx.clone(),
                token.clone(),
            );
            let i = next;
            tokio::spawn(async move {
                let time = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_secs();
                let query = format!(
                    "SdkAppid={app}&CallbackCommand=Group.CallbackAfterReadReceipt&contenttype=json&Sign={}&RequestTime={time}",
                    webhook::sign(&token, time)
                );
                let sent = Instant::now();
                let answer = client
                    .post(format!("{url}/?{query}"))
                    .body(bodies[i as usize].clone())
                    .send()
                    .await;
                let status = answer.as_ref().map_or(0, |r| r.status().as_u16());
                let _ = done.send((status, sent.elapsed()));
            });
            next += 1;
        }
    }
    drop(done_tx);
    let mut times = Vec::with_capacity(total as usize);
    let mut ok = 0;
    let mut other = std::collections::BTreeMap::new();
    while let Some((status, took)) = done_rx.recv().await {
        if status == 200 {
            ok += 1;
        } else {
            *other.entry(status).or_insert(0) += 1;
        }
        times.push(took);
    }
    let elapsed = start.elapsed();
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    Load {
        sent: total,
        ok,
        elapsed,
        p50: pct(0.50),
        p99: pct(0.99),
        max: times[times.len() - 1],
        other,
    }
}
