//! The receiver with a store, in process: exactly once, nothing unverified, 500 when the
//! store cannot commit while the live view still gets the event.

use tim_receipts::store::{Store, StoreOptions};
use tim_receipts::webhook::{ReceiptEvent, ReceiverConfig};
use tokio::sync::mpsc;

use super::*;

struct Setup {
    receiver: webhook::Receiver,
    rx: mpsc::Receiver<ReceiptEvent>,
    url: String,
    path: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

async fn setup(options: StoreOptions) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store").join(format!("{APP}.sqlite3"));
    let store = Store::open(&path, APP, options).unwrap();
    let (tx, rx) = mpsc::channel(1024);
    let config = ReceiverConfig {
        sdkappid: APP,
        token: Some(TOKEN.into()),
        store: Some(store),
        ..ReceiverConfig::default()
    };
    let receiver = webhook::start(config, "127.0.0.1:0".parse().unwrap(), tx)
        .await
        .unwrap();
    let url = receiver.url();
    Setup {
        receiver,
        rx,
        url,
        path,
        _dir: dir,
    }
}

#[tokio::test]
async fn each_event_is_stored_once_whatever_the_repeats() {
    let s = setup(StoreOptions::default()).await;
    let client = http();
    let first = body("@TGS#once", 7, &["ann", "bob"], T0 + 2_000);
    let earlier = body("@TGS#once", 7, &["bob"], T0 + 1_000);
    // The same callback delivered 5 times at once (retries racing), then again later.
    let sends = (0..5).map(|_| post(&client, &s.url, TOKEN, first.clone()));
    for answer in futures::future::join_all(sends).await {
        assert_eq!(answer.unwrap(), (200, 0));
    }
    assert_eq!(
        post(&client, &s.url, TOKEN, first.clone()).await.unwrap(),
        (200, 0)
    );
    // An event that arrives late but happened earlier: its time wins for bob.
    assert_eq!(
        post(&client, &s.url, TOKEN, earlier).await.unwrap(),
        (200, 0)
    );
    // A forged one (wrong token) is refused and never stored.
    let forged = body("@TGS#once", 7, &["mallory"], T0);
    assert_eq!(
        post(&client, &s.url, "not-the-token", forged)
            .await
            .unwrap()
            .0,
        401
    );

    assert_eq!(rows_in(&s.path, "events"), 2);
    assert_eq!(
        reads_of(&s.path, "@TGS#once", 7),
        vec![
            ("bob".to_string(), Some(T0 + 1_000)),
            ("ann".to_string(), Some(T0 + 2_000))
        ]
    );
    let store = s.receiver.stats().store.unwrap();
    assert_eq!((store.stored, store.repeats, store.failed), (2, 5, 0));
    assert!(!s.receiver.stats().storing_fails());
}

#[tokio::test]
async fn a_store_that_cannot_commit_answers_500_and_the_live_view_goes_on() {
    let mut s = setup(StoreOptions {
        busy_timeout: Duration::from_millis(100),
        ..StoreOptions::default()
    })
    .await;
    let client = http();
    // Another process holds the write lock.
    let blocker = rusqlite::Connection::open(&s.path).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();

    let answer = post(&client, &s.url, TOKEN, body("@TGS#busy", 1, &["ann"], T0))
        .await
        .unwrap();
    assert_eq!(answer, (500, 50001));
    let live = tokio::time::timeout(DEADLINE, s.rx.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(live.group_id, "@TGS#busy", "the live view still gets it");
    let stats = s.receiver.stats();
    assert!(stats.storing_fails(), "{stats:?}");
    assert_eq!(stats.store.unwrap().failed, 1);
    assert_eq!(stats.rejected, 0, "a valid event is not a refused request");

    // The lock goes: the next event (or a retry) is stored, and the flag clears.
    blocker.execute_batch("ROLLBACK").unwrap();
    drop(blocker);
    let answer = post(&client, &s.url, TOKEN, body("@TGS#busy", 1, &["ann"], T0))
        .await
        .unwrap();
    assert_eq!(answer, (200, 0));
    assert!(!s.receiver.stats().storing_fails());
    assert_eq!(
        reads_of(&s.path, "@TGS#busy", 1),
        vec![("ann".to_string(), Some(T0))]
    );
}
