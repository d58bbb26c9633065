//! Unit tests of the store on a temporary file.

use std::time::Duration;

use super::*;
use crate::webhook::event::{ReceiptEvent, ReceiptUpdate};

const APP: u64 = 1_400_000_123;

fn event(group: &str, time: u64, seq: u64, readers: &[&str]) -> NewEvent {
    let event = ReceiptEvent {
        group_id: group.into(),
        group_type: "Work".into(),
        event_time_ms: time,
        receipts: vec![ReceiptUpdate {
            seq,
            read: readers.len() as u64,
            unread: 3,
            readers: readers.iter().map(|r| r.to_string()).collect(),
        }],
    };
    NewEvent {
        body: serde_json::to_string(&event).unwrap(),
        event,
        origin: Origin::Webhook,
        received_ms: time + 5,
    }
}

fn open(dir: &tempfile::TempDir) -> Db {
    Db::open(&dir.path().join("s/a.sqlite3"), APP, Duration::from_secs(1)).unwrap()
}

fn members(reads: &[Read]) -> Vec<(&str, Option<u64>)> {
    reads
        .iter()
        .map(|r| (r.member.as_str(), r.read_at_ms))
        .collect()
}

#[test]
fn repeats_add_nothing_and_the_earliest_time_wins() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = open(&dir);
    let late = event("g", 2_000, 7, &["ann", "bob"]);
    let outcomes = db
        .insert_batch(&[late.clone(), late.clone(), event("g", 1_000, 7, &["bob"])])
        .unwrap();
    assert_eq!(
        outcomes,
        vec![Outcome::Added, Outcome::Repeat, Outcome::Added]
    );
    // An import of the same event is a repeat too.
    let mut imported = late.clone();
    imported.origin = Origin::Import;
    assert_eq!(db.insert_batch(&[imported]).unwrap(), vec![Outcome::Repeat]);
    assert_eq!(db.event_count().unwrap(), 2);
    let reads = db.timeline("g", 7).unwrap();
    assert_eq!(
        members(&reads),
        vec![("bob", Some(1_000)), ("ann", Some(2_000))]
    );
    assert!(reads.iter().all(|r| r.source == Origin::Webhook));
    assert_eq!(db.counts("g", 7).unwrap().len(), 2);
    assert!(db.timeline("g", 8).unwrap().is_empty());
}

#[test]
fn polls_give_bounds_and_an_event_time_replaces_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = open(&dir);
    db.record_poll("g", 3, &["ann".into()], 10_000).unwrap();
    db.record_poll("g", 3, &["ann".into(), "bob".into()], 20_000)
        .unwrap();
    let reads = db.timeline("g", 3).unwrap();
    let ann = &reads[0];
    assert_eq!(
        (ann.member.as_str(), ann.read_after_ms, ann.read_before_ms),
        ("ann", None, Some(10_000))
    );
    let bob = &reads[1];
    assert_eq!(
        (bob.read_after_ms, bob.read_before_ms, bob.source),
        (Some(10_000), Some(20_000), Origin::Poll)
    );
    db.insert_batch(&[event("g", 15_000, 3, &["bob"])]).unwrap();
    let bob = db.timeline("g", 3).unwrap().remove(1);
    assert_eq!(
        (bob.read_at_ms, bob.read_after_ms, bob.read_before_ms),
        (Some(15_000), None, None)
    );
    // A later poll keeps a known time.
    db.record_poll("g", 3, &["bob".into()], 30_000).unwrap();
    assert_eq!(db.timeline("g", 3).unwrap()[1].read_at_ms, Some(15_000));
    // A scan of read positions after that poll: carol passed the message in between.
    db.record_scan("g", 3, &["bob".into(), "carol".into()], 40_000)
        .unwrap();
    let carol = db.timeline("g", 3).unwrap().remove(2);
    assert_eq!(
        (
            carol.member.as_str(),
            carol.read_after_ms,
            carol.read_before_ms,
            carol.source
        ),
        ("carol", Some(30_000), Some(40_000), Origin::Position)
    );
}

#[test]
fn range_lists_every_message_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = open(&dir);
    db.insert_batch(&[
        event("g", 1_000, 1, &["a"]),
        event("g", 5_000, 2, &["b"]),
        event("g", 9_000, 3, &["c"]),
        event("other", 5_000, 2, &["d"]),
    ])
    .unwrap();
    let reads = db.timeline_range("g", 2_000, 9_000).unwrap();
    assert_eq!(
        members(&reads),
        vec![("b", Some(5_000)), ("c", Some(9_000))]
    );
}

#[test]
fn retention_trims_by_age_and_by_size() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = open(&dir);
    let day = 86_400_000;
    let now = 100 * day;
    db.insert_batch(&[
        event("g", now - 10 * day, 1, &["old"]),
        event("g", now - day, 1, &["new"]),
    ])
    .unwrap();
    let report = db
        .trim(
            &Retention {
                days: 5,
                max_bytes: 0,
            },
            now,
        )
        .unwrap();
    assert_eq!((report.removed_events, report.removed_reads), (1, 1));
    assert_eq!(
        members(&db.timeline("g", 1).unwrap()),
        vec![("new", Some(now - day))]
    );

    let many: Vec<NewEvent> = (0..3_000)
        .map(|i| {
            event(
                "g",
                now + i,
                2,
                &[&format!("member-{i:05}-with-a-longer-name")],
            )
        })
        .collect();
    db.insert_batch(&many).unwrap();
    let before = db.data_bytes().unwrap();
    let limit = before / 2;
    db.trim_size(limit).unwrap();
    assert!(db.data_bytes().unwrap() <= limit, "still over the limit");
    let left = db.timeline("g", 2).unwrap();
    assert!(!left.is_empty() && left.len() < 3_000);
    // The newest survive.
    assert_eq!(left.last().unwrap().read_at_ms, Some(now + 2_999));
}

#[tokio::test]
async fn the_writer_answers_after_commit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.sqlite3");
    let store = Store::open(&path, APP, StoreOptions::default()).unwrap();
    let results = futures::future::join_all(
        (0..50).map(|i| store.submit(event("g", 1_000 + i, 1, &[&format!("m{i}")]))),
    )
    .await;
    assert!(results.iter().all(|r| *r == Ok(Outcome::Added)));
    assert_eq!(
        store.submit(event("g", 1_000, 1, &["m0"])).await,
        Ok(Outcome::Repeat)
    );
    let health = store.health();
    assert_eq!(
        (health.stored, health.repeats, health.failing),
        (50, 1, false)
    );
    let db = Db::open_read_only(&path, APP).unwrap();
    assert_eq!(db.timeline("g", 1).unwrap().len(), 50);
}
