//! The receiver over real HTTP on loopback: accepted callbacks, refusals and their codes,
//! limits, the channel, shutdown.

use super::*;

struct Setup {
    receiver: webhook::Receiver,
    rx: mpsc::Receiver<ReceiptEvent>,
    url: String,
}

async fn setup(token: Option<&str>, body_limit: usize) -> Setup {
    let (tx, rx) = mpsc::channel(64);
    let config = ReceiverConfig {
        sdkappid: APP,
        token: token.map(str::to_string),
        body_limit,
        ..ReceiverConfig::default()
    };
    let receiver = webhook::start(config, "127.0.0.1:0".parse().unwrap(), tx)
        .await
        .unwrap();
    let url = receiver.url();
    Setup { receiver, rx, url }
}

fn assert_seed_event(event: &ReceiptEvent) {
    assert_eq!(event.group_id, "@TGS#2TTV7VSII");
    assert_eq!(event.group_type, "Public");
    assert_eq!(event.event_time_ms, 1_670_574_414_123);
    let counts: Vec<(u64, u64, u64, Vec<String>)> = event
        .receipts
        .iter()
        .map(|u| (u.seq, u.read, u.unread, u.readers.clone()))
        .collect();
    assert_eq!(
        counts,
        vec![
            (1, 1, 6, vec!["user0".to_string()]),
            (2, 1, 6, vec!["user0".to_string()])
        ]
    );
}

#[tokio::test]
async fn defaults_are_one_mib_and_sixty_seconds() {
    let config = ReceiverConfig::default();
    assert_eq!(config.body_limit, 1024 * 1024);
    assert_eq!(config.max_age, Duration::from_secs(60));
    let shown = format!(
        "{:?}",
        ReceiverConfig {
            token: Some(TOKEN.into()),
            ..config
        }
    );
    assert!(!shown.contains(TOKEN), "Debug shows the token: {shown}");
}

#[test]
fn sign_matches_the_reference_vector() {
    assert_eq!(
        webhook::sign(TOKEN, 1_676_091_353),
        "a5d271b35bd72858cdf1ad0b9dfbf037d19146062c0ecb712a0a3235489d6021"
    );
}

#[tokio::test]
async fn seed_sample_is_accepted_signed() {
    let mut s = setup(Some(TOKEN), webhook::DEFAULT_BODY_LIMIT).await;
    let answer = post(&s.url, &receipt_query_signed(), SEED_SAMPLE).await;
    assert_eq!(answer, (200, ok_envelope()));
    assert_seed_event(&next_event(&mut s.rx).await);
    assert_eq!(s.receiver.stats().accepted, 1);
}

#[tokio::test]
async fn seed_sample_is_accepted_unsigned_on_any_path() {
    let mut s = setup(None, webhook::DEFAULT_BODY_LIMIT).await;
    let query = callback_query(APP, "Group.CallbackAfterReadReceipt", None);
    let response = http()
        .post(format!("{}/hooks/tim?{query}", s.url))
        .body(SEED_SAMPLE)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.json::<Value>().await.unwrap(), ok_envelope());
    assert_seed_event(&next_event(&mut s.rx).await);
}

#[tokio::test]
async fn numeric_event_time_unknown_fields_and_any_type() {
    let mut s = setup(Some(TOKEN), webhook::DEFAULT_BODY_LIMIT).await;
    let body = serde_json::json!({
        "CallbackCommand": "Group.CallbackAfterReadReceipt",
        "GroupId": "@TGS#meeting",
        "Type": "Meeting",
        "NewFieldFromTheFuture": {"nested": [1, 2, 3]},
        "GroupMsgReceiptList": [
            {"MsgSeq": 77, "ReadNum": 3, "UnreadNum": 0, "Extra": true,
             "ReadReceiptMembers": [{"Member_Account": "a"}, {"Member_Account": "b"}]}
        ],
        "EventTime": 1_700_000_000_456u64
    });
    let answer = post(&s.url, &receipt_query_signed(), body.to_string()).await;
    assert_eq!(answer, (200, ok_envelope()));
    let event = next_event(&mut s.rx).await;
    assert_eq!(event.group_id, "@TGS#meeting");
    assert_eq!(event.group_type, "Meeting");
    assert_eq!(event.event_time_ms, 1_700_000_000_456);
    assert_eq!(event.receipts.len(), 1);
    assert_eq!(event.receipts[0].seq, 77);
    assert_eq!(event.receipts[0].read, 3);
    assert_eq!(event.receipts[0].unread, 0);
    assert_eq!(event.receipts[0].readers, vec!["a", "b"]);
}

#[tokio::test]
async fn other_commands_are_acknowledged_and_ignored() {
    let mut s = setup(Some(TOKEN), webhook::DEFAULT_BODY_LIMIT).await;
    let query = callback_query(APP, "Group.CallbackAfterSendMsg", Some((TOKEN, now_secs())));
    let body =
        r#"{"CallbackCommand":"Group.CallbackAfterSendMsg","GroupId":"@TGS#1","MsgBody":[]}"#;
    assert_eq!(post(&s.url, &query, body).await, (200, ok_envelope()));
    let query = callback_query(APP, "State.StateChange", Some((TOKEN, now_secs())));
    let body = r#"{"CallbackCommand":"State.StateChange","Info":{"Action":"Login"}}"#;
    assert_eq!(post(&s.url, &query, body).await, (200, ok_envelope()));
    // The handler hands events on before it answers, so nothing can still be on the way.
    assert!(
        s.rx.try_recv().is_err(),
        "an ignored command produced an event"
    );
    let stats = s.receiver.stats();
    assert_eq!((stats.accepted, stats.ignored, stats.rejected), (0, 2, 0));
}

#[tokio::test]
async fn refusals_each_have_their_own_code() {
    let mut s = setup(Some(TOKEN), 4096).await;
    let url = s.url.clone();
    let cmd = "Group.CallbackAfterReadReceipt";
    let now = now_secs();

    let bad_sign = format!(
        "{}&Sign={}&RequestTime={now}",
        callback_query(APP, cmd, None),
        webhook::sign("not-the-token", now)
    );
    assert_refused(
        &post(&url, &bad_sign, SEED_SAMPLE).await,
        401,
        40102,
        "Sign",
    );

    let missing = callback_query(APP, cmd, None);
    assert_refused(
        &post(&url, &missing, SEED_SAMPLE).await,
        401,
        40101,
        "token",
    );
    let time_only = format!("{missing}&RequestTime={now}");
    assert_refused(
        &post(&url, &time_only, SEED_SAMPLE).await,
        401,
        40101,
        "Sign",
    );

    let stale = callback_query(APP, cmd, Some((TOKEN, now - 3600)));
    assert_refused(&post(&url, &stale, SEED_SAMPLE).await, 401, 40103, "old");
    let future = callback_query(APP, cmd, Some((TOKEN, now + 3600)));
    assert_refused(
        &post(&url, &future, SEED_SAMPLE).await,
        401,
        40104,
        "future",
    );
    let not_a_time = format!(
        "{missing}&Sign={}&RequestTime=yesterday",
        webhook::sign(TOKEN, now)
    );
    assert_refused(
        &post(&url, &not_a_time, SEED_SAMPLE).await,
        400,
        40004,
        "RequestTime",
    );

    let other_app = callback_query(APP + 1, cmd, Some((TOKEN, now)));
    assert_refused(
        &post(&url, &other_app, SEED_SAMPLE).await,
        403,
        40301,
        &(APP + 1).to_string(),
    );
    let no_app = format!(
        "CallbackCommand={cmd}&Sign={}&RequestTime={now}",
        webhook::sign(TOKEN, now)
    );
    assert_refused(
        &post(&url, &no_app, SEED_SAMPLE).await,
        400,
        40003,
        "SdkAppid",
    );

    let signed = receipt_query_signed();
    let broken = SEED_SAMPLE.replace("\"UnreadNum\": 6,", "\"UnreadNum\": 6");
    assert_refused(&post(&url, &signed, broken).await, 400, 40001, "JSON");
    assert_refused(&post(&url, &signed, "").await, 400, 40001, "JSON");
    let no_group =
        r#"{"CallbackCommand":"Group.CallbackAfterReadReceipt","GroupMsgReceiptList":[]}"#;
    assert_refused(&post(&url, &signed, no_group).await, 400, 40002, "GroupId");
    let negative = SEED_SAMPLE.replace("\"MsgSeq\": 2", "\"MsgSeq\": -2");
    assert_refused(
        &post(&url, &signed, negative).await,
        400,
        40002,
        "GroupMsgReceiptList[1].MsgSeq",
    );

    let big = format!(r#"{{"GroupId":"{}"}}"#, "x".repeat(8192));
    assert_refused(&post(&url, &signed, big).await, 413, 41301, "4096");

    let response = http().get(format!("{url}/?{signed}")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 405);
    assert_eq!(
        response.headers().get("allow").map(|v| v.to_str().unwrap()),
        Some("POST")
    );
    let body: Value = response.json().await.unwrap();
    assert_refused(&(405, body), 405, 40501, "GET");

    assert!(
        s.rx.try_recv().is_err(),
        "a refused request produced an event"
    );
    let stats = s.receiver.stats();
    assert_eq!((stats.accepted, stats.rejected), (0, 14));
    // After all that, a good request still goes through.
    let answer = post(&url, &receipt_query_signed(), SEED_SAMPLE).await;
    assert_eq!(answer, (200, ok_envelope()));
    assert_seed_event(&next_event(&mut s.rx).await);
}

/// A chunked body (no Content-Length) is cut off at the limit too.
#[tokio::test]
async fn chunked_body_over_the_limit_is_refused() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let s = setup(None, 1024).await;
    let query = callback_query(APP, "Group.CallbackAfterReadReceipt", None);
    let chunk = "y".repeat(1500);
    let request = format!(
        "POST /?{query} HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n{chunk}\r\n0\r\n\r\n",
        chunk.len()
    );
    let mut stream = tokio::net::TcpStream::connect(s.receiver.addr())
        .await
        .unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(DEADLINE, stream.read_to_end(&mut answer))
        .await
        .expect("no answer within the deadline")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("\"ErrorCode\":41301"), "{answer}");
}

/// A full or closed channel never holds up the answer; drops are counted.
#[tokio::test]
async fn full_or_closed_channel_still_answers_ok() {
    let (tx, rx) = mpsc::channel(1);
    let config = ReceiverConfig {
        sdkappid: APP,
        ..ReceiverConfig::default()
    };
    let receiver = webhook::start(config, "127.0.0.1:0".parse().unwrap(), tx)
        .await
        .unwrap();
    let query = callback_query(APP, "Group.CallbackAfterReadReceipt", None);
    for _ in 0..3 {
        let answer = post(&receiver.url(), &query, SEED_SAMPLE).await;
        assert_eq!(answer, (200, ok_envelope()));
    }
    drop(rx);
    let answer = post(&receiver.url(), &query, SEED_SAMPLE).await;
    assert_eq!(answer, (200, ok_envelope()));
    let stats = receiver.stats();
    assert_eq!((stats.accepted, stats.dropped), (4, 3));
}

/// `router` mounts in any axum server; `shutdown` stops `start`'s.
#[tokio::test]
async fn router_mounts_and_shutdown_stops() {
    let (tx, mut rx) = mpsc::channel(8);
    let config = ReceiverConfig {
        sdkappid: APP,
        token: Some(TOKEN.into()),
        ..ReceiverConfig::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        axum::serve(listener, webhook::router(config, tx))
            .await
            .unwrap();
    });
    let answer = post(&url, &receipt_query_signed(), SEED_SAMPLE).await;
    assert_eq!(answer, (200, ok_envelope()));
    assert_eq!(next_event(&mut rx).await.receipts.len(), 2);
    server.abort();

    let s = setup(None, 1024).await;
    let addr = s.receiver.addr();
    tokio::time::timeout(DEADLINE, s.receiver.shutdown())
        .await
        .expect("shutdown took too long");
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "still listening after shutdown"
    );
}

/// A callback for another app: the signature is checked first (a forger learns nothing
/// about the app), and no answer ever names our SDKAppID.
#[tokio::test]
async fn wrong_app_is_judged_after_the_signature_and_never_names_ours() {
    let ours = APP.to_string();
    let cmd = "Group.CallbackAfterReadReceipt";
    let now = now_secs();
    let signed = setup(Some(TOKEN), 4096).await;
    let unsigned = setup(None, 4096).await;
    let cases = [
        (&signed.url, callback_query(APP + 1, cmd, None), 401, 40101),
        (
            &signed.url,
            callback_query(APP + 1, cmd, Some(("guessed-token", now))),
            401,
            40102,
        ),
        (
            &signed.url,
            callback_query(APP + 1, cmd, Some((TOKEN, now))),
            403,
            40301,
        ),
        (
            &unsigned.url,
            callback_query(APP + 1, cmd, None),
            403,
            40301,
        ),
        (&unsigned.url, callback_query(0, cmd, None), 403, 40301),
    ];
    for (url, query, status, code) in cases {
        let answer = post(url, &query, SEED_SAMPLE).await;
        assert_refused(&answer, status, code, "");
        assert!(
            !answer.1.to_string().contains(&ours),
            "{query}: {}",
            answer.1
        );
        if code == 40301 {
            assert!(
                answer.1["ErrorInfo"]
                    .as_str()
                    .unwrap()
                    .ends_with("is not this receiver's app"),
                "{}",
                answer.1
            );
        }
    }
}
