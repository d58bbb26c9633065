use super::common::*;
use serde_json::json;

#[tokio::test]
async fn counts_and_no_receipt_items() {
    let api = start(small_world()).await;
    let v = api
        .ok(
            "group_open_http_svc/get_group_msg_receipt",
            json!({"GroupId": WAR, "MsgSeqList": [{"MsgSeq": 1}, {"MsgSeq": 2}, {"MsgSeq": 3}, {"MsgSeq": 4}, {"MsgSeq": 5}, {"MsgSeq": 6}, {"MsgSeq": 99}]}),
        )
        .await;
    let list = v["GroupMsgReceiptList"].as_array().unwrap();
    assert_eq!(
        list[0],
        json!({"Code": 0, "MsgSeq": 1, "ReadNum": 1, "UnreadNum": 3})
    );
    assert_eq!(list[1]["Code"], 10062, "sent without NeedReadReceipt");
    assert_eq!(
        list[2],
        json!({"Code": 0, "MsgSeq": 3, "ReadNum": 1, "UnreadNum": 3})
    );
    // frank joined before seq 4, erin sent it.
    assert_eq!(
        list[3],
        json!({"Code": 0, "MsgSeq": 4, "ReadNum": 0, "UnreadNum": 5})
    );
    for item in &list[4..7] {
        assert_eq!(item["Code"], 10062, "recalled, expired, missing: {item}");
    }
}

#[tokio::test]
async fn detail_lists_are_disjoint_and_match_the_counts() {
    let api = start(small_world()).await;
    for seq in [1, 3, 4] {
        let (read, unread) = api.counts(WAR, seq).await;
        let r = api.detail_all(WAR, seq, 0, 2).await;
        let u = api.detail_all(WAR, seq, 1, 2).await;
        assert_eq!(
            (r.len() as u64, u.len() as u64),
            (read, unread),
            "seq {seq}"
        );
        assert!(r.iter().all(|a| !u.contains(a)));
    }
    assert_eq!(api.detail_all(WAR, 1, 0, 200).await, vec!["bob"]);
    assert_eq!(
        api.detail_all(WAR, 1, 1, 200).await,
        vec!["carol", "dave", "erin"]
    );
    let (page, cursor, finished) = api.detail(WAR, 3, 1, "", 2).await;
    assert_eq!(page, vec!["bob", "dave"]);
    assert!(!finished);
    assert!(cursor.parse::<u64>().unwrap() > u64::from(u32::MAX));
    let (page, cursor, finished) = api.detail(WAR, 3, 1, &cursor, 2).await;
    assert_eq!(page, vec!["erin"]);
    assert!(finished);
    assert_eq!(cursor, "0");
}

#[tokio::test]
async fn detail_errors() {
    let api = start(small_world()).await;
    let p = "group_open_http_svc/get_group_msg_receipt_detail";
    let base =
        |seq: u64| json!({"GroupId": WAR, "MsgSeq": seq, "Filter": 1, "Cursor": "", "Count": 10});
    api.fails(p, base(2), 10062).await;
    api.fails(p, base(5), 10062).await;
    api.fails(p, base(50), 10062).await;
    let mut b = base(1);
    b["Filter"] = json!(2);
    assert!(api.fails(p, b, 10004).await.contains("Filter"));
    let mut b = base(1);
    b.as_object_mut().unwrap().remove("MsgSeq");
    assert!(api.fails(p, b, 10004).await.contains("MsgSeq"));
    let mut b = base(1);
    b["Cursor"] = json!("12345");
    assert!(api.fails(p, b, 10004).await.contains("Cursor"));
    let mut b = base(1);
    b.as_object_mut().unwrap().remove("Count");
    assert!(api.fails(p, b, 10004).await.contains("Count"));
}

#[tokio::test]
async fn count_above_200_is_accepted_and_a_full_list_is_one_page() {
    // A receipt list holds at most 199 members (200 minus the sender), so Count 200 or more
    // always gets the whole list at once.
    let mut w = tim_receipts::sandbox::World::new();
    let mut g = w.add_group(
        "@TGS#2BIG",
        tim_receipts::api::GroupType::Public,
        &["owner"],
    );
    g.add_generated_members(199);
    let seq = g.post("owner", "read me", true);
    let api = start(w).await;
    let (page, cursor, finished) = api.detail("@TGS#2BIG", seq, 1, "", 1000).await;
    assert_eq!(page.len(), 199);
    assert!(finished);
    assert_eq!(cursor, "0");
    let (first, cursor, finished) = api.detail("@TGS#2BIG", seq, 1, "", 150).await;
    assert_eq!(first.len(), 150);
    assert!(!finished);
    let (rest, _, finished) = api.detail("@TGS#2BIG", seq, 1, &cursor, 1000).await;
    assert_eq!(rest.len(), 49);
    assert!(finished);
    assert!(first.iter().all(|a| !rest.contains(a)));
}

/// A Public group of `owner` plus `others` generated members.
fn group_of(id: &str, others: usize) -> tim_receipts::sandbox::World {
    let mut w = tim_receipts::sandbox::World::new();
    w.add_group(id, tim_receipts::api::GroupType::Public, &["owner"])
        .add_generated_members(others);
    w
}

/// send_group_msg as `owner` with NeedReadReceipt 1; returns the MsgSeq.
async fn send_with_receipt(api: &Api, group: &str, text: &str) -> u64 {
    let v = api
        .ok(
            "group_open_http_svc/send_group_msg",
            json!({"GroupId": group, "From_Account": "owner", "Random": 7,
                   "NeedReadReceipt": 1,
                   "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": text}}]}),
        )
        .await;
    v["MsgSeq"].as_u64().unwrap()
}

async fn receipt_code(api: &Api, group: &str, seq: u64) -> i64 {
    let v = api
        .ok(
            "group_open_http_svc/get_group_msg_receipt",
            json!({"GroupId": group, "MsgSeqList": [{"MsgSeq": seq}]}),
        )
        .await;
    v["GroupMsgReceiptList"][0]["Code"].as_i64().unwrap()
}

#[tokio::test]
async fn a_message_sent_over_200_members_never_has_a_receipt() {
    const OVER: &str = "@TGS#2OVERCAP";
    const AT: &str = "@TGS#2ATCAP";
    let mut w = group_of(OVER, 200);
    w.add_group(AT, tim_receipts::api::GroupType::Work, &["owner"])
        .add_generated_members(199);
    let api = start(w).await;
    assert_eq!(api.sb.with_world(|w| w.member_count(OVER)), Some(201));
    assert_eq!(api.sb.with_world(|w| w.member_count(AT)), Some(200));

    // 201 members: stored and delivered, but without a receipt.
    let seq = send_with_receipt(&api, OVER, "all hands: please read").await;
    let history = api
        .ok(
            "group_open_http_svc/group_msg_get_simple",
            json!({"GroupId": OVER, "ReqMsgNumber": 1}),
        )
        .await;
    assert_eq!(history["RspMsgList"][0]["MsgSeq"], seq, "{history}");
    assert_eq!(receipt_code(&api, OVER, seq).await, 10062);
    let detail = "group_open_http_svc/get_group_msg_receipt_detail";
    for filter in [0, 1] {
        let info = api
            .fails(
                detail,
                json!({"GroupId": OVER, "MsgSeq": seq, "Filter": filter, "Cursor": "", "Count": 5}),
                10062,
            )
            .await;
        assert!(info.contains("more than 200 members"), "{info}");
    }
    let ack = json!({"GroupId": OVER, "From_Account": api.sb.with_world(|w| w.members(OVER).unwrap()[1].clone()),
                     "MsgSeqList": [{"MsgSeq": seq}]});
    api.fails("group_open_http_svc/group_msg_receipt", ack, 10062)
        .await;

    // 200 members: the same request gets a receipt, its list 199 long (40 pages of 5).
    let seq = send_with_receipt(&api, AT, "on-call: please read").await;
    assert_eq!(receipt_code(&api, AT, seq).await, 0);
    assert_eq!(api.counts(AT, seq).await, (0, 199));
    let mut pages = 0;
    let mut cursor = String::new();
    let mut all = Vec::new();
    loop {
        let (page, next, finished) = api.detail(AT, seq, 1, &cursor, 5).await;
        pages += 1;
        all.extend(page);
        if finished {
            break;
        }
        assert!(pages < 100, "paging never finished");
        cursor = next;
    }
    assert_eq!((pages, all.len()), (40, 199));
}

#[tokio::test]
async fn a_receipt_sent_at_200_members_survives_the_group_growing() {
    const G: &str = "@TGS#2GROWS";
    let api = start(group_of(G, 199)).await;
    let before = send_with_receipt(&api, G, "sent at 200 members").await;
    api.sb.with_world(|w| {
        w.group_mut(G).unwrap().add_generated_members(25);
    });
    assert_eq!(api.sb.with_world(|w| w.member_count(G)), Some(225));
    let after = send_with_receipt(&api, G, "sent at 225 members").await;

    // The older message keeps its receipt; the newcomers are not on its lists.
    assert_eq!(api.counts(G, before).await, (0, 199));
    assert_eq!(api.detail_all(G, before, 1, 5).await.len(), 199);
    let newcomer = api.sb.with_world(|w| w.members(G).unwrap()[210].clone());
    let reader = api.sb.with_world(|w| w.members(G).unwrap()[1].clone());
    let p = "group_open_http_svc/group_msg_receipt";
    api.ok(
        p,
        json!({"GroupId": G, "From_Account": reader, "MsgSeqList": [{"MsgSeq": before}]}),
    )
    .await;
    api.ok(
        p,
        json!({"GroupId": G, "From_Account": newcomer, "MsgSeqList": [{"MsgSeq": before}]}),
    )
    .await;
    assert_eq!(
        api.counts(G, before).await,
        (1, 198),
        "the newcomer's ack is ignored"
    );
    assert_eq!(api.detail_all(G, before, 0, 5).await, vec![reader]);

    // The newer one never had one.
    assert_eq!(receipt_code(&api, G, after).await, 10062);
}

#[tokio::test]
async fn pages_stay_consistent_when_members_read_between_calls() {
    let mut w = tim_receipts::sandbox::World::new();
    let mut g = w.add_group(
        "@TGS#2BIG",
        tim_receipts::api::GroupType::Public,
        &["owner"],
    );
    g.add_generated_members(30);
    let seq = g.post("owner", "read me", true);
    let api = start(w).await;
    let everyone = api.detail_all("@TGS#2BIG", seq, 1, 200).await;
    assert_eq!(everyone.len(), 30);
    let (mut got, mut cursor, _) = api.detail("@TGS#2BIG", seq, 1, "", 7).await;
    // Members on the first page and members not yet listed read now.
    for reader in [&everyone[0], &everyone[10], &everyone[20], &everyone[29]] {
        api.ok("group_open_http_svc/group_msg_receipt", json!({"GroupId": "@TGS#2BIG", "From_Account": reader, "MsgSeqList": [{"MsgSeq": seq}]})).await;
    }
    loop {
        let (page, next, finished) = api.detail("@TGS#2BIG", seq, 1, &cursor, 7).await;
        got.extend(page);
        if finished {
            break;
        }
        cursor = next;
    }
    assert_eq!(
        got, everyone,
        "each member exactly once, as of the first page"
    );
    assert_eq!(api.counts("@TGS#2BIG", seq).await, (4, 26));
    assert_eq!(api.detail_all("@TGS#2BIG", seq, 1, 7).await.len(), 26);
}

#[tokio::test]
async fn admin_read_receipts_change_the_counts() {
    let api = start(small_world()).await;
    let p = "group_open_http_svc/group_msg_receipt";
    api.ok(p, json!({"GroupId": WAR, "From_Account": "dave", "MsgSeqList": [{"MsgSeq": 1}, {"MsgSeq": 3}]})).await;
    assert_eq!(api.counts(WAR, 1).await, (2, 2));
    assert_eq!(api.counts(WAR, 3).await, (2, 2));
    // Acknowledging again, or the sender acknowledging, changes nothing.
    api.ok(
        p,
        json!({"GroupId": WAR, "From_Account": "dave", "MsgSeqList": [{"MsgSeq": 1}]}),
    )
    .await;
    api.ok(
        p,
        json!({"GroupId": WAR, "From_Account": "alice", "MsgSeqList": [{"MsgSeq": 1}]}),
    )
    .await;
    assert_eq!(api.counts(WAR, 1).await, (2, 2));
    api.fails(
        p,
        json!({"GroupId": WAR, "From_Account": "dave", "MsgSeqList": [{"MsgSeq": 2}]}),
        10062,
    )
    .await;
    api.fails(
        p,
        json!({"GroupId": WAR, "From_Account": "zoe", "MsgSeqList": [{"MsgSeq": 1}]}),
        10007,
    )
    .await;
    let many: Vec<_> = (0..51).map(|_| json!({"MsgSeq": 1})).collect();
    api.fails(
        p,
        json!({"GroupId": WAR, "From_Account": "dave", "MsgSeqList": many}),
        10004,
    )
    .await;
    assert!(
        api.fails(
            p,
            json!({"GroupId": WAR, "MsgSeqList": [{"MsgSeq": 1}]}),
            10004
        )
        .await
        .contains("From_Account")
    );
}

#[tokio::test]
async fn avchatroom_and_community_are_refused_for_receipts() {
    let api = start(small_world()).await;
    for g in [LIVE, COMM] {
        let info = api
            .fails(
                "group_open_http_svc/get_group_msg_receipt",
                json!({"GroupId": g, "MsgSeqList": [{"MsgSeq": 1}]}),
                10007,
            )
            .await;
        assert!(info.contains("read receipts"), "{info}");
        api.fails(
            "group_open_http_svc/get_group_msg_receipt_detail",
            json!({"GroupId": g, "MsgSeq": 1, "Filter": 0, "Cursor": "", "Count": 5}),
            10007,
        )
        .await;
        api.fails(
            "group_open_http_svc/group_msg_receipt",
            json!({"GroupId": g, "From_Account": "bob", "MsgSeqList": [{"MsgSeq": 1}]}),
            10007,
        )
        .await;
    }
    // Meeting groups support receipts.
    assert_eq!(api.counts(MEET, 1).await, (0, 2));
}

#[tokio::test]
async fn set_unread_moves_msg_seq_with_clamping() {
    let api = start(small_world()).await;
    let p = "group_open_http_svc/set_unread_msg_num";
    let seq_of = |v: serde_json::Value| v["MemberList"][0]["MsgSeq"].as_u64().unwrap();
    let member =
        |g: &'static str, m: &'static str| json!({"GroupId": g, "Member_List_Account": [m]});
    let v = api
        .call(
            p,
            json!({"GroupId": WAR, "Member_Account": "dave", "UnreadMsgNum": 2}),
        )
        .await;
    assert_eq!(
        v,
        json!({"Action1Status": "OK", "ErrorCode": 0, "ErrorInfo": ""})
    );
    let spec = "group_open_http_svc/get_specified_group_member_info";
    assert_eq!(seq_of(api.ok(spec, member(WAR, "dave")).await), 4);
    assert_eq!(api.sb.with_world(|w| w.unread_count(WAR, "dave")), Some(2));
    api.call(
        p,
        json!({"GroupId": WAR, "Member_Account": "dave", "UnreadMsgNum": 100}),
    )
    .await;
    assert_eq!(
        seq_of(api.ok(spec, member(WAR, "dave")).await),
        0,
        "clamped to 6 messages"
    );
    api.call(
        p,
        json!({"GroupId": WAR, "Member_Account": "dave", "UnreadMsgNum": "0"}),
    )
    .await;
    assert_eq!(seq_of(api.ok(spec, member(WAR, "dave")).await), 6);
    assert_eq!(api.counts(WAR, 1).await, (1, 3), "receipts untouched");
    // Community groups keep unread counts too.
    api.call(
        p,
        json!({"GroupId": COMM, "Member_Account": "bob", "UnreadMsgNum": 1}),
    )
    .await;
    assert_eq!(api.sb.with_world(|w| w.unread_count(COMM, "bob")), Some(1));
    // Meeting and AVChatRoom: success, nothing changes.
    let before = seq_of(api.ok(spec, member(MEET, "bob")).await);
    let v = api
        .call(
            p,
            json!({"GroupId": MEET, "Member_Account": "bob", "UnreadMsgNum": 1}),
        )
        .await;
    assert_eq!(v["ErrorCode"], 0);
    assert_eq!(seq_of(api.ok(spec, member(MEET, "bob")).await), before);
    assert_eq!(
        api.call(
            p,
            json!({"GroupId": LIVE, "Member_Account": "bob", "UnreadMsgNum": 1})
        )
        .await["ErrorCode"],
        0
    );
    api.fails(
        p,
        json!({"GroupId": WAR, "Member_Account": "zoe", "UnreadMsgNum": 1}),
        10007,
    )
    .await;
    assert!(
        api.fails(p, json!({"GroupId": WAR, "Member_Account": "dave"}), 10004)
            .await
            .contains("UnreadMsgNum")
    );
    assert!(
        api.fails(
            p,
            json!({"GroupId": WAR, "Member_Account": "dave", "UnreadMsgNum": -1}),
            10004
        )
        .await
        .contains("UnreadMsgNum")
    );
}
