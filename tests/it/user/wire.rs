//! The two new endpoints on the wire, as the vendor documents them, with their limits and
//! errors; and 1:1 unread counts for many peers, 10 a call.

use serde_json::{Value, json};
use tim_receipts::sandbox::Sandbox;

use super::{
    ANA, ANA_GROUPS, BUSY, BUSY_PEERS, CMTY, LIVE, MEET, MUTED_UNTIL, PUBLIC, QUIET, WORK,
    busy_world, client, raw, start, start_ana, world,
};

const JOINED: &str = "group_open_http_svc/get_joined_group_list";
const LIST: &str = "recentcontact/get_list";

async fn ok(sb: &Sandbox, path: &str, body: Value) -> Value {
    let v = raw(sb, path, body.clone()).await;
    assert_eq!(v["ErrorCode"], 0, "{path} {body}: {v}");
    assert_eq!(v["ActionStatus"], "OK");
    v
}

async fn fails(sb: &Sandbox, path: &str, body: Value, code: i64) -> String {
    let v = raw(sb, path, body.clone()).await;
    assert_eq!(v["ErrorCode"], code, "{path} {body}: {v}");
    assert_eq!(v["ActionStatus"], "FAIL");
    v["ErrorInfo"].as_str().unwrap_or_default().to_string()
}

fn ids(v: &Value) -> Vec<String> {
    v["GroupIdList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["GroupId"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn joined_groups_basic_form_type_filters_and_total() {
    let sb = start(world()).await;
    // The basic form: IDs only; AVChatRoom groups and Work groups without a message (not
    // activated) are left out by default.
    let v = ok(&sb, JOINED, json!({"Member_Account": ANA})).await;
    assert_eq!(ids(&v), [WORK, PUBLIC, MEET, CMTY]);
    assert_eq!(v["TotalCount"], 4);
    assert_eq!(v["GroupIdList"][0], json!({"GroupId": WORK}));
    let all = json!({"Member_Account": ANA, "WithHugeGroups": 1, "WithNoActiveGroups": 1});
    let v = ok(&sb, JOINED, all.clone()).await;
    assert_eq!(ids(&v), ANA_GROUPS);
    // Limit and Offset page; TotalCount stays the whole count.
    let mut paged = all.clone();
    paged["Limit"] = json!(2);
    paged["Offset"] = json!(3);
    let v = ok(&sb, JOINED, paged).await;
    assert_eq!(ids(&v), [LIVE, CMTY]);
    assert_eq!(v["TotalCount"], 6);
    // GroupType keeps one type (old or new name); AVChatRoom asks for those groups itself.
    for (t, want) in [
        ("ChatRoom", MEET),
        ("Meeting", MEET),
        ("AVChatRoom", LIVE),
        ("Community", CMTY),
    ] {
        let v = ok(&sb, JOINED, json!({"Member_Account": ANA, "GroupType": t})).await;
        assert_eq!(ids(&v), [want], "{t}");
        assert_eq!(v["TotalCount"], 1);
    }
    let v = ok(
        &sb,
        JOINED,
        json!({"Member_Account": ANA, "GroupType": "Private", "WithNoActiveGroups": 1}),
    )
    .await;
    assert_eq!(ids(&v), [WORK, QUIET]);
    // A Community "supports topics" never in the sandbox.
    let v = ok(
        &sb,
        JOINED,
        json!({"Member_Account": ANA, "GroupType": "Community", "SupportTopic": 1}),
    )
    .await;
    assert_eq!(v["TotalCount"], 0);
}

#[tokio::test]
async fn joined_groups_answer_the_fields_their_filters_name() {
    let sb = start(world()).await;
    let v = ok(
        &sb,
        JOINED,
        json!({"Member_Account": ANA, "WithHugeGroups": 1, "ResponseFilter": {
            "GroupBaseInfoFilter": ["Type", "Name", "NextMsgSeq"],
            "SelfInfoFilter": ["Role", "JoinTime", "MsgFlag", "MsgSeq", "MuteUntil"]}}),
    )
    .await;
    let by_id = |id: &str| {
        v["GroupIdList"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["GroupId"] == id)
            .cloned()
            .unwrap()
    };
    let work = by_id(WORK);
    assert_eq!(work["Type"], "Private");
    assert_eq!(work["Name"], "Ops 值班");
    assert_eq!(work["NextMsgSeq"], 11);
    assert_eq!(work["SelfInfo"]["MsgSeq"], 6);
    assert_eq!(work["SelfInfo"]["Role"], "Member");
    assert_eq!(work["SelfInfo"]["MsgFlag"], "AcceptAndNotify");
    assert_eq!(work["SelfInfo"]["MuteUntil"], 0);
    assert!(work["SelfInfo"]["JoinTime"].as_i64().unwrap() > 0);
    // Only what the filters name.
    let keys: Vec<&String> = work.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 5, "{keys:?}");
    assert_eq!(work["SelfInfo"].as_object().unwrap().len(), 5);
    let public = by_id(PUBLIC);
    assert_eq!(public["SelfInfo"]["MsgFlag"], "AcceptNotNotify");
    assert_eq!(public["SelfInfo"]["MuteUntil"], MUTED_UNTIL);
    assert_eq!(by_id(LIVE)["Type"], "AVChatRoom");
    assert_eq!(by_id(MEET)["Type"], "ChatRoom");
    // A base filter alone: no SelfInfo.
    let v = ok(
        &sb,
        JOINED,
        json!({"Member_Account": ANA, "ResponseFilter": {"GroupBaseInfoFilter": ["Name"]}}),
    )
    .await;
    assert_eq!(
        v["GroupIdList"][0],
        json!({"GroupId": WORK, "Name": "Ops 值班"})
    );
}

#[tokio::test]
async fn joined_groups_refuse_what_the_vendor_does_not_allow() {
    let sb = start(world()).await;
    let m = |extra: Value| {
        let mut b = json!({"Member_Account": ANA});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let e = fails(&sb, JOINED, m(json!({"Limit": 5001})), 10004).await;
    assert!(e.contains("5000"), "{e}");
    fails(&sb, JOINED, m(json!({"Limit": 0})), 10004).await;
    ok(&sb, JOINED, m(json!({"Limit": 5000}))).await;
    fails(&sb, JOINED, m(json!({"GroupType": "Galaxy"})), 10004).await;
    fails(&sb, JOINED, m(json!({"SupportTopic": 1})), 10004).await;
    fails(&sb, JOINED, m(json!({"ResponseFilter": ["Name"]})), 10004).await;
    fails(&sb, JOINED, m(json!({"Offset": -1})), 10004).await;
    fails(&sb, JOINED, json!({}), 10004).await;
    let e = fails(&sb, JOINED, json!({"Member_Account": "ghost"}), 10019).await;
    assert!(e.contains("ghost"), "{e}");
}

fn first_page(account: &str, flags: u64) -> Value {
    json!({"From_Account": account, "TimeStamp": 0, "StartIndex": 0,
           "TopTimeStamp": 0, "TopStartIndex": 0, "AssistFlags": flags})
}

/// `(Type, To_Account or GroupId, TopFlag)` of each item.
fn items(v: &Value) -> Vec<(u64, String, u64)> {
    v["SessionItem"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let id = i["To_Account"].as_str().or(i["GroupId"].as_str()).unwrap();
            (
                i["Type"].as_u64().unwrap(),
                id.to_string(),
                i["TopFlag"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_conversation_list_has_both_directions_groups_and_pins() {
    let sb = start_ana().await;
    // Without pinned support: newest first, TopFlag 0; no AVChatRoom, no empty group.
    let v = ok(&sb, LIST, first_page(ANA, 0)).await;
    assert_eq!(v["CompleteFlag"], 1);
    let want = [
        (1, "dave"),
        (1, "carol"),
        (1, "bob"),
        (1, "erin"),
        (2, CMTY),
        (2, MEET),
        (2, PUBLIC),
        (2, WORK),
    ];
    let got = items(&v);
    assert_eq!(
        got.iter()
            .map(|(t, id, _)| (*t, id.as_str()))
            .collect::<Vec<_>>(),
        want
    );
    assert!(got.iter().all(|(_, _, top)| *top == 0));
    assert_eq!(v["SessionItem"][0]["MsgTime"], 1_700_001_100);
    // Bit 0: the pinned conversation first, TopFlag 1.
    let v = ok(&sb, LIST, first_page(ANA, 1)).await;
    assert_eq!(items(&v)[0], (1, "carol".to_string(), 1));
    assert_eq!(items(&v).len(), 8);
    // Bit 1: empty conversations too (the Work group without a message).
    let v = ok(&sb, LIST, first_page(ANA, 2)).await;
    assert!(items(&v).iter().any(|(_, id, _)| id == QUIET));
    assert_eq!(items(&v).len(), 9);
}

#[tokio::test]
async fn the_conversation_list_pages_by_its_cursors_each_conversation_once() {
    let sb = start(busy_world()).await;
    // 150 1:1s + 470 group conversations (no AVChatRoom): the list keeps the newest 500.
    let mut body = first_page(BUSY, 5);
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let v = ok(&sb, LIST, body.clone()).await;
        pages += 1;
        let page = items(&v);
        assert!(page.len() <= 100, "{}", page.len());
        seen.extend(page);
        if v["CompleteFlag"] == 1 {
            break;
        }
        assert!(pages < 20, "the list never completed");
        for k in ["TimeStamp", "StartIndex", "TopTimeStamp", "TopStartIndex"] {
            body[k] = v[k].clone();
        }
    }
    assert_eq!(pages, 5);
    assert_eq!(seen.len(), 500);
    let distinct: std::collections::HashSet<_> =
        seen.iter().map(|(t, id, _)| (*t, id.clone())).collect();
    assert_eq!(distinct.len(), 500);
    assert_eq!(seen.iter().filter(|(t, _, _)| *t == 1).count(), BUSY_PEERS);
    // Newest first: the 1:1s (all newer) lead.
    assert_eq!(seen[0].1, format!("peer{:03}", BUSY_PEERS - 1));
}

#[tokio::test]
async fn the_conversation_list_refuses_as_the_vendor_documents() {
    let sb = start(world()).await;
    for field in [
        "From_Account",
        "TimeStamp",
        "StartIndex",
        "TopTimeStamp",
        "TopStartIndex",
        "AssistFlags",
    ] {
        let mut body = first_page(ANA, 5);
        body.as_object_mut().unwrap().remove(field);
        let e = fails(&sb, LIST, body, 50002).await;
        assert!(e.contains(field), "{e}");
    }
    let mut body = first_page(ANA, 5);
    body["StartIndex"] = json!("x");
    fails(&sb, LIST, body, 50002).await;
    let e = fails(&sb, LIST, first_page("ghost", 5), 50001).await;
    assert!(e.contains("ghost"), "{e}");
}

#[tokio::test]
async fn unread_counts_of_many_peers_come_10_a_call() {
    let sb = start(busy_world()).await;
    let c = client(&sb);
    let mut peers: Vec<String> = (0..23).map(|p| format!("peer{p:03}")).collect();
    peers.push("ghost".into());
    peers.push("peer000".into()); // asked twice: once
    let counts = c.c2c_unread_counts(BUSY, &peers).await.unwrap();
    assert_eq!(c.stats().total_calls, 3);
    assert_eq!(counts.len(), 24);
    for (p, u) in counts.iter().take(23).enumerate() {
        assert_eq!(
            (u.unread, u.code),
            (Some(super::busy_unread(p)), 0),
            "{}",
            u.peer
        );
    }
    assert_eq!((counts[23].unread, counts[23].code), (None, 70107));
}

#[tokio::test]
async fn the_clients_listings_are_whole_each_item_once() {
    let sb = start(busy_world()).await;
    let c = client(&sb);
    let mut loaded = Vec::new();
    let mut progress = |n: usize| loaded.push(n);
    let groups = c.joined_groups(BUSY, 120, &mut progress).await.unwrap();
    // 500 groups at 120 a page: 5 calls, each offset once.
    assert_eq!(c.stats().total_calls, 5);
    assert_eq!(groups.len(), super::BUSY_GROUPS);
    let distinct: std::collections::HashSet<&str> = groups.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(distinct.len(), super::BUSY_GROUPS);
    assert_eq!(loaded, [120, 240, 360, 480, 500]);
    let mut progress = |_: usize| {};
    let list = c.recent_contacts(BUSY, &mut progress).await.unwrap();
    // The newest 500 conversations, 100 a page.
    assert_eq!(c.stats().total_calls, 5 + 5);
    assert_eq!(list.len(), 500);
    assert_eq!(
        c.recent_contacts("ghost", &mut progress)
            .await
            .unwrap_err()
            .code(),
        Some(50001)
    );
}
