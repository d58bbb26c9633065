use super::common::*;
use axum::extract::{Query, State};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::time::Duration;
use tim_receipts::api::GroupType;
use tim_receipts::sandbox::{SandboxConfig, World};
use tokio::sync::mpsc;

type Received = (HashMap<String, String>, Value);

/// A webhook receiver on 127.0.0.1:0 that answers after `delay`.
async fn receiver(delay: Duration) -> (String, mpsc::UnboundedReceiver<Received>) {
    let (tx, rx) = mpsc::unbounded_channel::<Received>();
    let app = axum::Router::new()
        .route(
            "/cb",
            axum::routing::post(
                move |State(tx): State<mpsc::UnboundedSender<Received>>,
                      Query(q): Query<HashMap<String, String>>,
                      body: String| async move {
                    let v: Value = serde_json::from_str(&body).expect("callback body is JSON");
                    let _ = tx.send((q, v));
                    tokio::time::sleep(delay).await;
                    axum::Json(json!({"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 0}))
                },
            ),
        )
        .with_state(tx);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/cb?x=1", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, rx)
}

fn with_callbacks(url: &str, token: Option<&str>, batch: Duration) -> SandboxConfig {
    SandboxConfig {
        callback_url: Some(url.to_string()),
        callback_token: token.map(str::to_string),
        callback_batch: batch,
        ..config()
    }
}

async fn next(rx: &mut mpsc::UnboundedReceiver<Received>) -> Received {
    tokio::time::timeout(Duration::from_secs(30), rx.recv())
        .await
        .expect("a callback within 30 s")
        .expect("receiver alive")
}

fn readers(item: &Value) -> Vec<String> {
    item["ReadReceiptMembers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["Member_Account"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn admin_receipts_fire_a_signed_callback_shaped_like_the_seed() {
    let (url, mut rx) = receiver(Duration::ZERO).await;
    let api = start_with(
        with_callbacks(&url, Some("s3cret"), Duration::from_millis(100)),
        small_world(),
    )
    .await;
    api.ok("group_open_http_svc/group_msg_receipt", json!({"GroupId": WAR, "From_Account": "dave", "MsgSeqList": [{"MsgSeq": 1}, {"MsgSeq": 3}]})).await;
    let (q, body) = next(&mut rx).await;
    assert_eq!(q["SdkAppid"], "1400000000");
    assert_eq!(q["CallbackCommand"], "Group.CallbackAfterReadReceipt");
    assert_eq!(q["contenttype"], "json");
    assert_eq!(q["OptPlatform"], "RESTAPI");
    assert_eq!(q["x"], "1", "the URL's own query is kept");
    assert!(!q["ClientIP"].is_empty());
    let t: u64 = q["RequestTime"].parse().expect("RequestTime in seconds");
    assert!(t.abs_diff(tim_receipts::usersig::now_unix()) < 600);
    let expected = hex::encode(Sha256::digest(format!("s3cret{t}").as_bytes()));
    assert_eq!(q["Sign"], expected);
    assert_eq!(body["CallbackCommand"], "Group.CallbackAfterReadReceipt");
    assert_eq!(body["GroupId"], WAR);
    assert_eq!(body["Type"], "Public");
    let event_ms: u64 = body["EventTime"]
        .as_str()
        .expect("EventTime is a string")
        .parse()
        .unwrap();
    assert!(event_ms > 1_600_000_000_000);
    assert_eq!(
        body["GroupMsgReceiptList"],
        json!([
            {"MsgSeq": 1, "ReadNum": 2, "UnreadNum": 2, "ReadReceiptMembers": [{"Member_Account": "dave"}]},
            {"MsgSeq": 3, "ReadNum": 2, "UnreadNum": 2, "ReadReceiptMembers": [{"Member_Account": "dave"}]},
        ])
    );
    assert!(!body.to_string().contains("s3cret"));
    // Acknowledging what was already read fires nothing new.
    api.ok(
        "group_open_http_svc/group_msg_receipt",
        json!({"GroupId": WAR, "From_Account": "dave", "MsgSeqList": [{"MsgSeq": 1}]}),
    )
    .await;
    api.ok(
        "group_open_http_svc/group_msg_receipt",
        json!({"GroupId": WAR, "From_Account": "erin", "MsgSeqList": [{"MsgSeq": 3}]}),
    )
    .await;
    let (_, body) = next(&mut rx).await;
    assert_eq!(readers(&body["GroupMsgReceiptList"][0]), ["erin"]);
}

#[tokio::test]
async fn the_crates_own_webhook_receiver_accepts_sandbox_callbacks() {
    use tim_receipts::webhook::server::{ReceiverConfig, start as start_receiver};
    let (tx, mut rx) = mpsc::channel(16);
    let receiver = start_receiver(
        ReceiverConfig {
            sdkappid: tim_receipts::sandbox::DEFAULT_SDKAPPID,
            token: Some("e2e-token".into()),
            ..ReceiverConfig::default()
        },
        "127.0.0.1:0".parse().unwrap(),
        tx,
    )
    .await
    .unwrap();
    let url = format!("{}/callback", receiver.url());
    let api = start_with(
        with_callbacks(&url, Some("e2e-token"), Duration::from_millis(50)),
        small_world(),
    )
    .await;
    api.ok("group_open_http_svc/group_msg_receipt", json!({"GroupId": WAR, "From_Account": "dave", "MsgSeqList": [{"MsgSeq": 1}, {"MsgSeq": 3}]})).await;
    let event = tokio::time::timeout(Duration::from_secs(30), rx.recv())
        .await
        .expect("an event")
        .unwrap();
    assert_eq!(event.group_id, WAR);
    assert_eq!(event.group_type, "Public");
    assert_eq!(event.receipts.len(), 2);
    assert_eq!(
        (
            event.receipts[0].seq,
            event.receipts[0].read,
            event.receipts[0].unread
        ),
        (1, 2, 2)
    );
    assert_eq!(event.receipts[1].readers, ["dave"]);
}

#[tokio::test]
async fn without_a_token_there_is_no_sign() {
    let (url, mut rx) = receiver(Duration::ZERO).await;
    let api = start_with(
        with_callbacks(&url, None, Duration::from_millis(50)),
        small_world(),
    )
    .await;
    api.ok(
        "group_open_http_svc/group_msg_receipt",
        json!({"GroupId": WAR, "From_Account": "dave", "MsgSeqList": [{"MsgSeq": 1}]}),
    )
    .await;
    let (q, _) = next(&mut rx).await;
    assert!(
        !q.contains_key("Sign") && !q.contains_key("RequestTime"),
        "{q:?}"
    );
}

#[tokio::test]
async fn reads_of_one_group_are_batched() {
    let (url, mut rx) = receiver(Duration::ZERO).await;
    let api = start_with(
        with_callbacks(&url, None, Duration::from_secs(2)),
        small_world(),
    )
    .await;
    for who in ["dave", "erin", "carol"] {
        api.ok(
            "group_open_http_svc/group_msg_receipt",
            json!({"GroupId": WAR, "From_Account": who, "MsgSeqList": [{"MsgSeq": 1}]}),
        )
        .await;
    }
    let mut seen = Vec::new();
    let mut callbacks = 0;
    let mut last_read = 0;
    while seen.len() < 3 {
        let (_, body) = next(&mut rx).await;
        callbacks += 1;
        let item = &body["GroupMsgReceiptList"][0];
        seen.extend(readers(item));
        last_read = item["ReadNum"].as_u64().unwrap();
    }
    seen.sort();
    assert_eq!(seen, ["carol", "dave", "erin"]);
    assert_eq!(last_read, 4);
    assert!(
        callbacks < 3,
        "three reads within the batch window arrive together"
    );
}

#[tokio::test]
async fn a_slow_receiver_never_blocks_the_api() {
    let (url, _rx) = receiver(Duration::from_secs(120)).await;
    let mut w = World::new();
    let mut g = w.add_group("@TGS#2SLOW", GroupType::Public, &["owner"]);
    g.add_generated_members(100);
    let seq = g.post("owner", "read me", true);
    let members = w.members("@TGS#2SLOW").unwrap();
    let api = start_with(
        with_callbacks(&url, Some("t"), Duration::from_millis(10)),
        w,
    )
    .await;
    let all = async {
        for m in members.iter().skip(1) {
            api.ok("group_open_http_svc/group_msg_receipt", json!({"GroupId": "@TGS#2SLOW", "From_Account": m, "MsgSeqList": [{"MsgSeq": seq}]})).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(60), all)
        .await
        .expect("the API kept answering");
    assert_eq!(api.counts("@TGS#2SLOW", seq).await, (100, 0));
}

#[tokio::test]
async fn activity_reads_and_reports_from_client_platforms() {
    let (url, mut rx) = receiver(Duration::ZERO).await;
    let cfg = SandboxConfig {
        activity: 50.0,
        ..with_callbacks(&url, None, Duration::from_millis(50))
    };
    let api = start_with(cfg, small_world()).await;
    let (q, body) = next(&mut rx).await;
    assert!(
        ["iOS", "Android", "Web", "Windows", "Mac"].contains(&q["OptPlatform"].as_str()),
        "{q:?}"
    );
    let group = body["GroupId"].as_str().unwrap().to_string();
    assert!([WAR, MEET, WORK].contains(&group.as_str()));
    let item = &body["GroupMsgReceiptList"][0];
    let members = api.sb.with_world(|w| w.members(&group).unwrap());
    for r in readers(item) {
        assert!(members.contains(&r));
    }
    assert!(item["ReadNum"].as_u64().unwrap() >= 1);
}

/// New messages arrive now and then, by the clock, not only once everything is read: at
/// 1,000 steps a second (200 times the real-time pace) the quiet group gets one about every
/// 0.3 s, half of them with a receipt.
#[tokio::test]
async fn activity_posts_new_receipt_messages_now_and_then() {
    let mut w = World::new();
    let mut g = w.add_group("@TGS#1DONE", GroupType::Work, &["a", "b", "c"]);
    let seq = g.post("a", "read by all", true);
    g.ack("b", &[seq]).ack("c", &[seq]);
    let cfg = SandboxConfig {
        activity: 1000.0,
        ..config()
    };
    let api = start_with(cfg, w).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let posted = api.sb.with_world(|w| {
            let latest = w.latest_seq("@TGS#1DONE").unwrap();
            (2..=latest).find(|&s| w.has_receipt("@TGS#1DONE", s))
        });
        if let Some(seq) = posted {
            let counts = api.sb.with_world(|w| w.receipt_counts("@TGS#1DONE", seq));
            assert!(matches!(counts, Some((read, unread)) if read + unread == 2));
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no new receipt message from activity"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
