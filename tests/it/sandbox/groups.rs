use super::common::*;
use serde_json::{Value, json};

#[tokio::test]
async fn group_list_pages_with_u64_next() {
    let api = start(small_world()).await;
    let p = "group_open_http_svc/get_appid_group_list";
    let mut ids = Vec::new();
    let mut next = 0u64;
    for _ in 0..10 {
        let v = api.ok(p, json!({"Limit": 2, "Next": next})).await;
        assert_eq!(v["TotalCount"], 5);
        ids.extend(
            v["GroupIdList"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| g["GroupId"].as_str().unwrap().to_string()),
        );
        next = v["Next"].as_u64().expect("Next is a number");
        if next == 0 {
            break;
        }
        assert!(next > u64::from(u32::MAX), "Next above 2^32: {next}");
    }
    assert_eq!(ids, vec![WAR, MEET, LIVE, COMM, WORK]);
    let v = api.ok(p, json!({"GroupType": "ChatRoom"})).await;
    assert_eq!(v["GroupIdList"], json!([{"GroupId": MEET}]));
    assert_eq!(v["TotalCount"], 1);
    assert_eq!(v["Next"], 0);
    assert_eq!(
        api.ok(p, json!({"GroupType": "Private"})).await["GroupIdList"],
        json!([{"GroupId": WORK}])
    );
    api.fails(p, json!({"GroupType": "Nope"}), 10004).await;
    api.fails(p, json!({"Next": 77}), 10004).await;
    api.ok(p, json!({})).await;
}

#[tokio::test]
async fn group_info_fields_and_per_group_codes() {
    let api = start(small_world()).await;
    let p = "group_open_http_svc/get_group_info";
    let v = api
        .ok(
            p,
            json!({"GroupIdList": [WAR, "@TGS#GONE", "no good", LIVE]}),
        )
        .await;
    let info = v["GroupInfo"].as_array().unwrap();
    assert_eq!(info[0]["GroupId"], WAR);
    assert_eq!(info[0]["ErrorCode"], 0);
    assert_eq!(info[0]["Type"], "Public");
    assert_eq!(info[0]["Name"], "War room");
    assert_eq!(info[0]["MemberNum"], 6);
    assert_eq!(info[0]["NextMsgSeq"], 7);
    assert_eq!(info[0]["Owner_Account"], "alice");
    assert_eq!(info[0]["Appid"], 1_400_000_000u64);
    assert_eq!(info[1]["ErrorCode"], 10010);
    assert_eq!(info[2]["ErrorCode"], 10015);
    assert_eq!(info[3]["Type"], "AVChatRoom");
    assert_eq!(info[3]["MemberNum"], 5002);
    let many: Vec<String> = (0..51).map(|i| format!("@TGS#X{i}")).collect();
    api.fails(p, json!({"GroupIdList": many}), 10004).await;
    let v = api.ok(p, json!({"GroupIdList": [WAR], "ResponseFilter": {"GroupBaseInfoFilter": ["Type", "NextMsgSeq"]}})).await;
    let keys: Vec<&String> = v["GroupInfo"][0].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["ErrorCode", "ErrorInfo", "GroupId", "NextMsgSeq", "Type"]
    );
}

#[tokio::test]
async fn member_info_pages_and_reports_last_read_seq() {
    let api = start(small_world()).await;
    let p = "group_open_http_svc/get_group_member_info";
    let v = api
        .ok(p, json!({"GroupId": WAR, "Limit": 2, "Offset": 1}))
        .await;
    assert_eq!(v["MemberNum"], 6);
    let list = v["MemberList"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["Member_Account"], "bob");
    assert_eq!(list[0]["MsgSeq"], 6, "bob posted seq 6 last");
    assert_eq!(list[1]["Member_Account"], "carol");
    assert_eq!(
        list[1]["MsgSeq"], 3,
        "carol acknowledged seq 3: read up to it"
    );
    assert!(v.get("Next").is_none());
    let v = api
        .ok(
            p,
            json!({"GroupId": WAR, "MemberRoleFilter": ["Owner"], "MemberInfoFilter": ["Role"]}),
        )
        .await;
    assert_eq!(
        v["MemberList"],
        json!([{"Member_Account": "alice", "Role": "Owner"}])
    );
    api.fails(p, json!({"GroupId": WAR, "Limit": 201}), 10004)
        .await;
    api.fails(p, json!({"GroupId": LIVE}), 10007).await;
    // Community: string Next paging, every member exactly once.
    let mut seen = Vec::new();
    let mut next = String::new();
    for _ in 0..100 {
        let v = api
            .ok(p, json!({"GroupId": COMM, "Limit": 100, "Next": next}))
            .await;
        assert_eq!(v["MemberNum"], 252);
        seen.extend(
            v["MemberList"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["Member_Account"].as_str().unwrap().to_string()),
        );
        next = v["Next"].as_str().expect("Next is a string").to_string();
        if next.is_empty() {
            break;
        }
    }
    assert_eq!(seen.len(), 252);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 252);
}

#[tokio::test]
async fn specified_member_info() {
    let api = start(small_world()).await;
    let p = "group_open_http_svc/get_specified_group_member_info";
    let v = api
        .ok(
            p,
            json!({"GroupId": WAR, "Member_List_Account": ["dave", "nobody", "bob"]}),
        )
        .await;
    let list = v["MemberList"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["Member_Account"], "dave");
    assert_eq!(list[1]["MsgSeq"], 6);
    let many: Vec<String> = (0..51).map(|i| format!("u{i}")).collect();
    api.fails(
        p,
        json!({"GroupId": WAR, "Member_List_Account": many}),
        10004,
    )
    .await;
    api.fails(p, json!({"GroupId": WAR}), 10004).await;
}

#[tokio::test]
async fn history_newest_first_with_place_holders() {
    let api = start(small_world()).await;
    let p = "group_open_http_svc/group_msg_get_simple";
    let v = api.ok(p, json!({"GroupId": WAR, "ReqMsgNumber": 20})).await;
    assert_eq!(v["GroupId"], WAR);
    assert_eq!(v["IsFinished"], 1);
    let list = v["RspMsgList"].as_array().unwrap();
    let seqs: Vec<u64> = list.iter().map(|m| m["MsgSeq"].as_u64().unwrap()).collect();
    assert_eq!(
        seqs,
        vec![6, 4, 3, 2, 1],
        "recalled seq 5 only with WithRecalledMsg"
    );
    assert_eq!(list[0]["IsPlaceMsg"], 1);
    assert_eq!(list[0]["MsgBody"], json!([]));
    assert_eq!(list[1]["MsgBody"][0]["MsgContent"]["Text"], "status 3");
    assert_eq!(list[1]["From_Account"], "erin");
    let v = api
        .ok(
            p,
            json!({"GroupId": WAR, "ReqMsgNumber": 2, "ReqMsgSeq": 5, "WithRecalledMsg": 1}),
        )
        .await;
    let list = v["RspMsgList"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(
        (list[0]["MsgSeq"].as_u64(), list[0]["IsPlaceMsg"].as_u64()),
        (Some(5), Some(2))
    );
    assert_eq!(list[1]["MsgSeq"], 4);
    api.fails(p, json!({"GroupId": WAR, "ReqMsgNumber": 21}), 10004)
        .await;
    api.fails(p, json!({"GroupId": LIVE, "ReqMsgNumber": 5}), 10007)
        .await;
    let v = api.ok(p, json!({"GroupId": COMM, "ReqMsgNumber": 5})).await;
    assert_eq!(v["RspMsgList"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn send_group_msg_returns_the_seq_and_sets_the_receipt() {
    let api = start(small_world()).await;
    let p = "group_open_http_svc/send_group_msg";
    let text = |t: &str| json!([{"MsgType": "TIMTextElem", "MsgContent": {"Text": t}}]);
    let v = api.ok(p, json!({"GroupId": WAR, "From_Account": "dave", "Random": 42, "MsgBody": text("hi"), "NeedReadReceipt": 1})).await;
    assert_eq!(v["MsgSeq"], 7);
    assert!(v["MsgTime"].as_i64().unwrap() > 1_600_000_000);
    // Members at send time minus the sender: alice bob carol erin frank.
    assert_eq!(api.counts(WAR, 7).await, (0, 5));
    let v = api
        .ok(p, json!({"GroupId": WAR, "MsgBody": text("no receipt")}))
        .await;
    assert_eq!(v["MsgSeq"], 8);
    let r = api
        .ok(
            "group_open_http_svc/get_group_msg_receipt",
            json!({"GroupId": WAR, "MsgSeqList": [{"MsgSeq": 8}]}),
        )
        .await;
    assert_eq!(r["GroupMsgReceiptList"][0]["Code"], 10062);
    api.fails(
        p,
        json!({"GroupId": WAR, "From_Account": "zoe", "MsgBody": text("x")}),
        10007,
    )
    .await;
    api.fails(p, json!({"GroupId": WAR, "MsgBody": []}), 10004)
        .await;
    assert!(
        api.fails(
            p,
            json!({"GroupId": WAR, "MsgBody": [{"MsgContent": {}}]}),
            10004
        )
        .await
        .contains("MsgType")
    );
    let after = api
        .ok(
            "group_open_http_svc/get_group_info",
            json!({"GroupIdList": [WAR]}),
        )
        .await;
    assert_eq!(after["GroupInfo"][0]["NextMsgSeq"], 9);
    let _: Value = after;
}
