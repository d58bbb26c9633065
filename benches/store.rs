//! The incident store: sustained ingest through the receiver, and the timeline of a message
//! in a store of 1,000,000 events.
//!
//! Run: `cargo bench --bench store` (about a minute, most of it filling the big store).
//! Prints one line per measurement:
//! - ingest: signed callbacks offered at a steady 6,000 a second for 5 s (open loop: each
//!   request leaves on its own schedule, whatever the answers before it) to a receiver that
//!   commits each to the store before answering; throughput and response times (p50, p99,
//!   max), against the same load on a receiver without a store (targets: ≥ 5,000 events/s
//!   stored, p99 ≤ 20 ms). Every event answered 200 must be in the store, once;
//! - timeline: one message read by 200 members, in a store of 1,000,000 events (and as many
//!   reads) across 100 groups; `Db::timeline` (the primary key) against the same query
//!   forced to scan the table (target ≤ 20 ms), and the time range of one group.

// Tests and benchmarks fail by panicking (unwrap, expect, assert), and signal the
// processes they start (kill(2)): the lint wall's rules are for the program, not for them.
#![allow(unsafe_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/burst.rs"]
mod burst;
mod common;

use std::time::{Duration, Instant};

use burst::{Load, T0, body};
use common::{banner, summary};
use tim_receipts::store::{Db, NewEvent, Origin, Store, StoreOptions};
use tim_receipts::webhook::parse::{Callback, parse_callback};
use tim_receipts::webhook::{self, ReceiverConfig};

const APP: u64 = 1_400_000_777;
const TOKEN: &str = "bench-token-0123456789abcdef";
/// Offered load and how long.
const RATE: u64 = 6_000;
const SECONDS: u64 = 5;
/// Events in the big store, and the message the timeline asks for.
const BIG: u64 = 1_000_000;
const READERS: u64 = 200;

fn main() {
    banner("store");
    let rt = common::runtime();
    let dir = tempfile::tempdir().unwrap();
    rt.block_on(async {
        let without = ingest(None).await;
        let path = dir.path().join("ingest.sqlite3");
        let store = Store::open(&path, APP, StoreOptions::default()).unwrap();
        let with = ingest(Some(store.clone())).await;
        let db = Db::open_read_only(&path, APP).unwrap();
        assert_eq!(
            db.event_count().unwrap(),
            with.ok,
            "every event answered 200 is stored, once"
        );
        for (name, r) in [("no store (floor)", &without), ("with the store", &with)] {
            println!(
                "ingest, {name}: {} of {} answered 200 in {:.2} s = {:.0} events/s; response p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
                r.ok,
                r.sent,
                r.elapsed.as_secs_f64(),
                r.ok as f64 / r.elapsed.as_secs_f64(),
                ms(r.p50),
                ms(r.p99),
                ms(r.max)
            );
        }
        println!(
            "ingest: p99 with the store / without = {:.2}",
            ms(with.p99) / ms(without.p99).max(0.001)
        );
    });
    timeline(&dir.path().join("big.sqlite3"));
}

/// Offer RATE signed events a second for SECONDS to a receiver (with `store` or without).
async fn ingest(store: Option<Store>) -> Load {
    let (tx, mut rx) = tokio::sync::mpsc::channel(1 << 16);
    // The live view's side: take events as they come.
    tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let config = ReceiverConfig {
        sdkappid: APP,
        token: Some(TOKEN.into()),
        store,
        ..ReceiverConfig::default()
    };
    let receiver = webhook::start(config, "127.0.0.1:0".parse().unwrap(), tx)
        .await
        .unwrap();
    let load = burst::offer(&receiver.url(), APP, TOKEN, RATE, SECONDS).await;
    receiver.shutdown().await;
    load
}

fn new_event(group: &str, seq: u64, reader: String, time: u64) -> NewEvent {
    let text = body(group, seq, std::slice::from_ref(&reader), time);
    let Ok(Callback::Receipt(event)) = parse_callback(text.as_bytes(), None, 0) else {
        panic!("not an event");
    };
    NewEvent {
        event,
        body: text,
        origin: Origin::Webhook,
        received_ms: time,
    }
}

/// Fill a store with BIG events (100 groups, 5,000 messages each read by up to 200), one
/// of them the message asked for, and time its timeline.
fn timeline(path: &std::path::Path) {
    let fill = Instant::now();
    let mut db = Db::open(path, APP, Duration::from_secs(5)).unwrap();
    let mut batch = Vec::with_capacity(10_000);
    for i in 0..BIG {
        // Message m of group g; READERS events per message, one reader each.
        let message = i / READERS;
        let group = format!("@TGS#BIG{}", message % 100);
        let seq = message / 100;
        batch.push(new_event(
            &group,
            seq,
            format!("member{:03}", i % READERS),
            T0 + i * 10,
        ));
        if batch.len() == 10_000 {
            db.insert_batch(&batch).unwrap();
            batch.clear();
        }
    }
    db.insert_batch(&batch).unwrap();
    let size = db.data_bytes().unwrap();
    println!(
        "timeline: filled {} events in {:.1} s ({:.0} MB)",
        db.event_count().unwrap(),
        fill.elapsed().as_secs_f64(),
        size as f64 / 1e6
    );
    let (group, seq) = ("@TGS#BIG42", 17);
    let mut samples = Vec::new();
    for _ in 0..50 {
        let start = Instant::now();
        let reads = db.timeline(group, seq).unwrap();
        samples.push(start.elapsed());
        assert_eq!(reads.len() as u64, READERS, "the message has 200 readers");
    }
    let (median, low, high) = summary(&samples);
    // The same rows with the key ruled out (`+column` keeps SQLite from searching by it):
    // what a scan of the store costs.
    let conn = rusqlite::Connection::open(path).unwrap();
    let plan: String = conn
        .query_row(
            "EXPLAIN QUERY PLAN SELECT member FROM reads WHERE app = ?1 AND group_id = ?2 AND seq = ?3",
            rusqlite::params![APP as i64, group, seq as i64],
            |r| r.get(3),
        )
        .unwrap();
    assert!(
        plan.starts_with("SEARCH"),
        "the timeline is indexed: {plan}"
    );
    let scan = Instant::now();
    let n: i64 = conn
        .query_row(
            "SELECT count(*) FROM reads WHERE +app = ?1 AND +group_id = ?2 AND +seq = ?3",
            rusqlite::params![APP as i64, group, seq as i64],
            |r| r.get(0),
        )
        .unwrap();
    let scan = scan.elapsed();
    assert_eq!(n as u64, READERS);
    println!(
        "timeline of a 200-member message among {BIG} events: median {:.3} ms ({:.3}–{:.3} ms over 50); full scan {:.1} ms; scan / timeline = {:.0}; plan: {plan}",
        ms(median),
        ms(low),
        ms(high),
        ms(scan),
        ms(scan) / ms(median).max(0.001)
    );
    let hour = Instant::now();
    let reads = db
        .timeline_range("@TGS#BIG42", T0 + 4_000_000, T0 + 4_000_000 + 3_600_000)
        .unwrap();
    println!(
        "timeline of one group over one hour: {} reads in {:.3} ms",
        reads.len(),
        ms(hour.elapsed())
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
