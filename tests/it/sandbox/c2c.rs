use super::common::*;
use serde_json::json;

async fn unread(api: &Api, to: &str, peers: &[&str]) -> serde_json::Value {
    api.ok(
        "openim/get_c2c_unread_msg_num",
        json!({"To_Account": to, "Peer_Account": peers}),
    )
    .await
}

#[tokio::test]
async fn c2c_unread_counts() {
    let api = start(small_world()).await;
    let v = unread(&api, "alice", &["bob", "carol", "dave", "ghost"]).await;
    assert_eq!(v["AllC2CUnreadMsgNum"], 7);
    assert_eq!(
        v["C2CUnreadMsgNumList"],
        json!([
            {"Peer_Account": "bob", "C2CUnreadMsgNum": 5},
            {"Peer_Account": "carol", "C2CUnreadMsgNum": 2},
            {"Peer_Account": "dave", "C2CUnreadMsgNum": 0},
        ])
    );
    assert_eq!(
        v["ErrorList"],
        json!([{"Peer_Account": "ghost", "ErrorCode": 70107}])
    );
    let v = api
        .ok(
            "openim/get_c2c_unread_msg_num",
            json!({"To_Account": "alice"}),
        )
        .await;
    assert_eq!(v["AllC2CUnreadMsgNum"], 7);
    api.fails(
        "openim/get_c2c_unread_msg_num",
        json!({"To_Account": "ghost"}),
        90003,
    )
    .await;
    let eleven: Vec<String> = (0..11).map(|i| format!("p{i}")).collect();
    api.fails(
        "openim/get_c2c_unread_msg_num",
        json!({"To_Account": "alice", "Peer_Account": eleven}),
        70402,
    )
    .await;
}

#[tokio::test]
async fn admin_set_msg_read_zeroes_up_to_the_time() {
    let api = start(small_world()).await;
    api.sb.with_world(|w| {
        for t in [1000, 2000, 3000] {
            w.c2c_send("dave", "alice", t);
        }
    });
    let p = "openim/admin_set_msg_read";
    let dave = |v: serde_json::Value| v["C2CUnreadMsgNumList"][0]["C2CUnreadMsgNum"].clone();
    assert_eq!(dave(unread(&api, "alice", &["dave"]).await), 3);
    // MsgReadTime as a string (the seed's type): messages at or before it are read.
    api.ok(
        p,
        json!({"Report_Account": "alice", "Peer_Account": "dave", "MsgReadTime": "2000"}),
    )
    .await;
    assert_eq!(dave(unread(&api, "alice", &["dave"]).await), 1);
    // An earlier time never makes messages unread again; a number works too.
    api.ok(
        p,
        json!({"Report_Account": "alice", "Peer_Account": "dave", "MsgReadTime": 1500}),
    )
    .await;
    assert_eq!(dave(unread(&api, "alice", &["dave"]).await), 1);
    // No time: now.
    api.ok(p, json!({"Report_Account": "alice", "Peer_Account": "bob"}))
        .await;
    api.ok(
        p,
        json!({"Report_Account": "alice", "Peer_Account": "dave"}),
    )
    .await;
    let v = unread(&api, "alice", &["bob", "dave"]).await;
    assert_eq!(v["AllC2CUnreadMsgNum"], 2, "only carol's two remain: {v}");
    assert!(
        api.fails(
            p,
            json!({"Report_Account": "ghost", "Peer_Account": "bob"}),
            90008
        )
        .await
        .contains("Report_Account")
    );
    assert!(
        api.fails(p, json!({"Peer_Account": "bob"}), 90008)
            .await
            .contains("Report_Account")
    );
    assert!(
        api.fails(
            p,
            json!({"Report_Account": "alice", "Peer_Account": "ghost"}),
            90003
        )
        .await
        .contains("Peer_Account")
    );
    api.fails(
        p,
        json!({"Report_Account": "alice", "Peer_Account": "bob", "MsgReadTime": "soon"}),
        90001,
    )
    .await;
}
