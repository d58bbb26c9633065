//! Retention: opening a store trims history older than its days, and a store over its
//! size shrinks on disk (data, WAL and all) to under the limit, keeping the newest.

use tim_receipts::store::{NewEvent, Origin, Retention, Store, StoreOptions};
use tim_receipts::webhook::parse::{Callback, parse_callback};

use super::*;

const DAY: u64 = 86_400_000;

fn new_event(group: &str, seq: u64, reader: &str, time: u64) -> NewEvent {
    let text = body(group, seq, &[reader], time);
    let Ok(Callback::Receipt(event)) = parse_callback(text.as_bytes(), None, 0) else {
        panic!("not an event: {text}");
    };
    NewEvent {
        event,
        body: text,
        origin: Origin::Webhook,
        received_ms: time,
    }
}

fn on_disk(path: &Path) -> u64 {
    let mut total = 0;
    for suffix in ["", "-wal"] {
        let file = format!("{}{suffix}", path.display());
        total += std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    }
    total
}

#[tokio::test]
async fn old_history_goes_when_the_store_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("age.sqlite3");
    let now = tim_receipts::store::now_ms();
    {
        let mut db = Db::open(&path, APP, Duration::from_secs(1)).unwrap();
        db.insert_batch(&[
            new_event("@TGS#age", 1, "old", now - 40 * DAY),
            new_event("@TGS#age", 1, "recent", now - 2 * DAY),
        ])
        .unwrap();
        db.record_poll("@TGS#age", 1, &["polled-long-ago".into()], now - 41 * DAY)
            .unwrap();
    }
    let options = StoreOptions {
        retention: Retention {
            days: 30,
            max_bytes: 0,
        },
        ..StoreOptions::default()
    };
    let store = Store::open(&path, APP, options).unwrap();
    assert_eq!(
        reads_of(&path, "@TGS#age", 1),
        vec![("recent".to_string(), Some(now - 2 * DAY))]
    );
    assert_eq!(rows_in(&path, "events"), 1);
    assert_eq!(rows_in(&path, "counts"), 1);
    assert_eq!(rows_in(&path, "polls"), 0);
    drop(store);
}

#[tokio::test]
async fn a_store_over_its_size_shrinks_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("size.sqlite3");
    let events: Vec<NewEvent> = (0..6_000)
        .map(|i| new_event("@TGS#size", i % 50, &format!("member-{i:06}"), T0 + i))
        .collect();
    {
        let mut db = Db::open(&path, APP, Duration::from_secs(1)).unwrap();
        for chunk in events.chunks(1_000) {
            db.insert_batch(chunk).unwrap();
        }
    }
    let before = on_disk(&path);
    let limit = before / 3;
    let options = StoreOptions {
        retention: Retention {
            days: 0,
            max_bytes: limit,
        },
        ..StoreOptions::default()
    };
    let store = Store::open(&path, APP, options).unwrap();
    let after = on_disk(&path);
    assert!(
        after <= limit,
        "{after} bytes on disk, limit {limit} (was {before})"
    );
    let left = rows_in(&path, "events");
    assert!(left > 0 && left < 6_000, "{left} events left");
    // The newest event is kept; the oldest went.
    let newest = reads_of(&path, "@TGS#size", 5_999 % 50);
    assert!(newest.contains(&("member-005999".to_string(), Some(T0 + 5_999))));
    assert!(
        reads_of(&path, "@TGS#size", 0)
            .iter()
            .all(|(m, _)| m != "member-000000")
    );
    drop(store);
}
