//! The sandbox's Group.CallbackAfterReadReceipt sender posting, signed, to this receiver.

use tim_receipts::api::GroupType;
use tim_receipts::sandbox::{self, SandboxConfig, World};

use super::*;

const GROUP: &str = "@TGS#2E2E";
const CALLBACK_TOKEN: &str = "callback-token-4e2e";

/// One sandbox REST call as the admin; the answer, which must be a success.
async fn call(sandbox_url: &str, command: &str, body: Value) -> Value {
    let sig = tim_receipts::usersig::generate(
        sandbox::DEFAULT_SDKAPPID,
        sandbox::DEFAULT_KEY,
        sandbox::DEFAULT_ADMIN,
        3600,
    );
    let url = format!(
        "{sandbox_url}/v4/{command}?sdkappid={}&identifier={}&usersig={sig}&random=7&contenttype=json",
        sandbox::DEFAULT_SDKAPPID,
        sandbox::DEFAULT_ADMIN
    );
    let answer: Value = http()
        .post(url)
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["ErrorCode"], 0, "{command}: {answer}");
    answer
}

/// `(read, unread)` of one message, as the sandbox's get_group_msg_receipt reports it.
async fn sandbox_counts(sandbox_url: &str, group: &str, seq: u64) -> (u64, u64) {
    let answer = call(
        sandbox_url,
        "group_open_http_svc/get_group_msg_receipt",
        serde_json::json!({"GroupId": group, "MsgSeqList": [{"MsgSeq": seq}]}),
    )
    .await;
    let item = &answer["GroupMsgReceiptList"][0];
    assert_eq!(item["Code"], 0, "{answer}");
    (
        item["ReadNum"].as_u64().unwrap(),
        item["UnreadNum"].as_u64().unwrap(),
    )
}

/// A group of the owner and six members with two receipt messages; `a` read the first.
fn world() -> (World, u64, u64) {
    let mut w = World::new();
    let mut g = w.add_group(
        GROUP,
        GroupType::Public,
        &["owner", "a", "b", "c", "d", "e", "f"],
    );
    let first = g.post("owner", "incident notice", true);
    let second = g.post("owner", "update", true);
    g.ack("a", &[first]);
    (w, first, second)
}

async fn receiver(token: &str) -> (webhook::Receiver, mpsc::Receiver<ReceiptEvent>) {
    let (tx, rx) = mpsc::channel(256);
    let config = ReceiverConfig {
        sdkappid: sandbox::DEFAULT_SDKAPPID,
        token: Some(token.to_string()),
        ..ReceiverConfig::default()
    };
    let receiver = webhook::start(config, "127.0.0.1:0".parse().unwrap(), tx)
        .await
        .unwrap();
    (receiver, rx)
}

fn sandbox_config(receiver: &webhook::Receiver, token: &str) -> SandboxConfig {
    SandboxConfig {
        callback_url: Some(format!("{}/tim", receiver.url())),
        callback_token: Some(token.to_string()),
        callback_batch: Duration::from_millis(50),
        ..SandboxConfig::default()
    }
}

#[tokio::test]
async fn admin_acknowledgement_arrives_with_the_sandbox_counts() {
    let (receiver, mut rx) = receiver(CALLBACK_TOKEN).await;
    let (world, first, second) = world();
    let sb = sandbox::start_with_world(sandbox_config(&receiver, CALLBACK_TOKEN), world)
        .await
        .unwrap();
    call(
        &sb.url(),
        "group_open_http_svc/group_msg_receipt",
        serde_json::json!({"GroupId": GROUP, "From_Account": "b",
            "MsgSeqList": [{"MsgSeq": first}, {"MsgSeq": second}]}),
    )
    .await;

    let event = next_event(&mut rx).await;
    assert_eq!(event.group_id, GROUP);
    assert_eq!(event.group_type, "Public");
    let now_ms = now_secs() * 1000;
    assert!(
        event.event_time_ms.abs_diff(now_ms) < 600_000,
        "EventTime {} is not about now",
        event.event_time_ms
    );
    let mut updates = event.receipts.clone();
    updates.sort_by_key(|u| u.seq);
    let seqs: Vec<u64> = updates.iter().map(|u| u.seq).collect();
    assert_eq!(seqs, vec![first, second]);
    for update in &updates {
        assert_eq!(update.readers, vec!["b"]);
        let counts = sandbox_counts(&sb.url(), GROUP, update.seq).await;
        assert_eq!((update.read, update.unread), counts, "seq {}", update.seq);
    }
    // Six members could read (the sender is not counted): a and b read the first, b the second.
    assert_eq!((updates[0].read, updates[0].unread), (2, 4));
    assert_eq!((updates[1].read, updates[1].unread), (1, 5));
    let stats = receiver.stats();
    assert_eq!((stats.accepted, stats.rejected, stats.dropped), (1, 0, 0));
    sb.shutdown().await;
    receiver.shutdown().await;
}

#[tokio::test]
async fn callbacks_signed_with_another_token_are_refused() {
    let (receiver, mut rx) = receiver(CALLBACK_TOKEN).await;
    let (world, first, _) = world();
    let sb = sandbox::start_with_world(sandbox_config(&receiver, "some-other-token"), world)
        .await
        .unwrap();
    call(
        &sb.url(),
        "group_open_http_svc/group_msg_receipt",
        serde_json::json!({"GroupId": GROUP, "From_Account": "c", "MsgSeqList": [{"MsgSeq": first}]}),
    )
    .await;
    let deadline = std::time::Instant::now() + DEADLINE;
    while receiver.stats().rejected == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the sandbox's callback never reached the receiver"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(receiver.stats().accepted, 0);
    assert!(
        rx.try_recv().is_err(),
        "a badly signed callback produced an event"
    );
    sb.shutdown().await;
}

/// Live activity: every event's counts are consistent with the sandbox's (reads only grow,
/// and read + unread is the number of members who could read).
#[tokio::test]
async fn activity_events_match_the_sandbox() {
    let (receiver, mut rx) = receiver(CALLBACK_TOKEN).await;
    let (world, _, _) = world();
    let config = SandboxConfig {
        activity: 40.0,
        ..sandbox_config(&receiver, CALLBACK_TOKEN)
    };
    let sb = sandbox::start_with_world(config, world).await.unwrap();
    let members = sb.with_world(|w| w.members(GROUP).unwrap());
    for _ in 0..3 {
        let event = next_event(&mut rx).await;
        assert_eq!(event.group_id, GROUP);
        assert!(!event.receipts.is_empty());
        for update in &event.receipts {
            let (read, unread) = sandbox_counts(&sb.url(), GROUP, update.seq).await;
            assert!(
                update.read <= read,
                "event read {} > sandbox {read}",
                update.read
            );
            assert_eq!(update.read + update.unread, read + unread);
            assert!(update.readers.iter().all(|r| members.contains(r)));
        }
    }
    assert_eq!(receiver.stats().rejected, 0);
    sb.shutdown().await;
}
