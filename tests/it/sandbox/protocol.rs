use super::common::*;
use serde_json::json;
use tim_receipts::sandbox::{DEFAULT_ADMIN, DEFAULT_KEY, DEFAULT_SDKAPPID};
use tim_receipts::usersig;

#[tokio::test]
async fn envelope_shapes_for_success_and_failure() {
    let api = start(small_world()).await;
    let v = api
        .ok(
            "group_open_http_svc/get_group_info",
            json!({"GroupIdList": [WAR]}),
        )
        .await;
    assert_eq!(v["ActionStatus"], "OK");
    let v = api
        .call("group_open_http_svc/get_group_info", json!({}))
        .await;
    assert_eq!(
        v,
        json!({"ActionStatus": "FAIL", "ErrorCode": 10004, "ErrorInfo": "GroupIdList is required"})
    );
}

#[tokio::test]
async fn every_auth_failure_has_its_vendor_code() {
    let api = start(small_world()).await;
    let app = DEFAULT_SDKAPPID.to_string();
    let path = "group_open_http_svc/get_group_info";
    let body = json!({"GroupIdList": [WAR]}).to_string();
    let now = usersig::now_unix();
    let expired = usersig::generate_at(
        DEFAULT_SDKAPPID,
        DEFAULT_KEY,
        DEFAULT_ADMIN,
        60,
        now - 3600,
        6,
    );
    let other_key = usersig::generate(DEFAULT_SDKAPPID, "another-key", DEFAULT_ADMIN, 3600);
    let other_app = usersig::generate(1_400_000_001, DEFAULT_KEY, DEFAULT_ADMIN, 3600);
    let bob = usersig::generate(DEFAULT_SDKAPPID, DEFAULT_KEY, "bob", 3600);
    let cases: Vec<(String, i64)> = vec![
        (api.url(path, &app, DEFAULT_ADMIN, ""), 70002),
        (api.url(path, &app, DEFAULT_ADMIN, "garbage*sig"), 70003),
        (api.url(path, &app, DEFAULT_ADMIN, &other_key), 70009),
        (api.url(path, &app, "bob", &api.sig), 70013),
        (api.url(path, &app, DEFAULT_ADMIN, &other_app), 70014),
        (api.url(path, &app, DEFAULT_ADMIN, &expired), 70001),
        (api.url(path, &app, "bob", &bob), 60010),
        (api.url(path, "1400000001", DEFAULT_ADMIN, &api.sig), 70020),
        (
            format!(
                "{}/v4/{path}?identifier=administrator&usersig={}",
                api.sb.url(),
                api.sig
            ),
            60012,
        ),
    ];
    for (url, code) in cases {
        let v = api.call_raw(&url, &body).await;
        assert_eq!(v["ErrorCode"], code, "{v}");
        let info = v["ErrorInfo"].as_str().unwrap();
        assert!(!info.is_empty() && !info.contains(&api.sig) && !info.contains(DEFAULT_KEY));
    }
    // A percent-encoded usersig (every character escaped) is the same sig.
    let encoded: String = api.sig.bytes().map(|b| format!("%{b:02X}")).collect();
    let v = api
        .call_raw(&api.url(path, &app, DEFAULT_ADMIN, &encoded), &body)
        .await;
    assert_eq!(v["ErrorCode"], 0, "{v}");
    // Sigs at every zlib level verify: the content is compared, not the string.
    for level in [0, 1, 9] {
        let sig = usersig::generate_at(
            DEFAULT_SDKAPPID,
            DEFAULT_KEY,
            DEFAULT_ADMIN,
            3600,
            now,
            level,
        );
        let v = api
            .call_raw(&api.url(path, &app, DEFAULT_ADMIN, &sig), &body)
            .await;
        assert_eq!(v["ErrorCode"], 0, "level {level}: {v}");
    }
}

#[tokio::test]
async fn routing_and_bad_bodies() {
    let api = start(small_world()).await;
    api.fails("group_open_http_svc/no_such_command", json!({}), 10003)
        .await;
    api.fails("no_such_service/x", json!({}), 60009).await;
    let url = api.url(
        "openim/admin_set_msg_read",
        &DEFAULT_SDKAPPID.to_string(),
        DEFAULT_ADMIN,
        &api.sig,
    );
    assert_eq!(api.call_raw(&url, "{not json").await["ErrorCode"], 90001);
    let url = api.url(
        "group_open_http_svc/get_group_info",
        &DEFAULT_SDKAPPID.to_string(),
        DEFAULT_ADMIN,
        &api.sig,
    );
    assert_eq!(api.call_raw(&url, "[1,2]").await["ErrorCode"], 10011);
}

#[tokio::test]
async fn group_ids_and_fields_are_checked() {
    let api = start(small_world()).await;
    let p = "group_open_http_svc/get_group_msg_receipt";
    assert!(
        api.fails(
            p,
            json!({"GroupId": "@TGS#NOPE", "MsgSeqList": [{"MsgSeq": 1}]}),
            10010
        )
        .await
        .contains("@TGS#NOPE")
    );
    api.fails(
        p,
        json!({"GroupId": "bad id", "MsgSeqList": [{"MsgSeq": 1}]}),
        10015,
    )
    .await;
    assert!(
        api.fails(p, json!({"MsgSeqList": [{"MsgSeq": 1}]}), 10004)
            .await
            .contains("GroupId")
    );
    assert!(
        api.fails(p, json!({"GroupId": WAR}), 10004)
            .await
            .contains("MsgSeqList")
    );
    assert!(
        api.fails(p, json!({"GroupId": 7, "MsgSeqList": [1]}), 10004)
            .await
            .contains("GroupId")
    );
    assert!(
        api.fails(
            p,
            json!({"GroupId": WAR, "MsgSeqList": [{"MsgSeq": "x"}]}),
            10004
        )
        .await
        .contains("MsgSeq")
    );
    // Numbers as decimal strings are accepted.
    let v = api
        .ok(p, json!({"GroupId": WAR, "MsgSeqList": [{"MsgSeq": "1"}]}))
        .await;
    assert_eq!(v["GroupMsgReceiptList"][0]["Code"], 0);
}
