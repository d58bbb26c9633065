//! The sandbox's answers over HTTP: what the vendor documents (fields, limits, per-account
//! codes) and what it chose where the vendor is silent (README → The sandbox).

use serde_json::{Value, json};

use super::{G, LIVE, ghosts, members, raw, start, world};

const PORTRAIT: &str = "profile/portrait_get";
const STATUS: &str = "openim/query_online_status";
const SPECIFIED: &str = "group_open_http_svc/get_specified_group_member_info";
const MEMBER_INFO: &str = "group_open_http_svc/get_group_member_info";

fn code(v: &Value) -> i64 {
    v["ErrorCode"].as_i64().unwrap_or(-1)
}

#[tokio::test]
async fn portrait_get_answers_nicknames_with_a_code_per_account() {
    let sb = start(world()).await;
    let v = raw(
        &sb,
        PORTRAIT,
        json!({"To_Account": ["bob", "ghost", "dave"], "TagList": ["Tag_Profile_IM_Nick"]}),
    )
    .await;
    assert_eq!(code(&v), 0, "{v}");
    let items = v["UserProfileItem"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["To_Account"], "bob");
    assert_eq!(
        items[0]["ProfileItem"],
        json!([{"Tag": "Tag_Profile_IM_Nick", "Value": "鲍勃 Bob"}])
    );
    assert_eq!(items[0]["ResultCode"], 0);
    // Unknown: its own code, listed in Fail_Account; the others are answered.
    assert_eq!(items[1]["ResultCode"], 40003);
    assert_eq!(items[1]["ProfileItem"], json!([]));
    assert_eq!(v["Fail_Account"], json!(["ghost"]));
    // No nickname: the tag with an empty value.
    assert_eq!(items[2]["ProfileItem"][0]["Value"], "");
}

#[tokio::test]
async fn portrait_get_refuses_what_the_vendor_does_not_allow() {
    let sb = start(world()).await;
    let nick = json!(["Tag_Profile_IM_Nick"]);
    // 100 accounts a call at most: 100 answered, 101 refused whole.
    let hundred = ghosts(100);
    let v = raw(
        &sb,
        PORTRAIT,
        json!({"To_Account": hundred, "TagList": nick}),
    )
    .await;
    assert_eq!(code(&v), 0, "{v}");
    assert_eq!(v["Fail_Account"].as_array().unwrap().len(), 100);
    let v = raw(
        &sb,
        PORTRAIT,
        json!({"To_Account": ghosts(101), "TagList": nick}),
    )
    .await;
    assert_eq!(
        (code(&v), v["ActionStatus"].as_str()),
        (40001, Some("FAIL"))
    );
    assert!(
        v["ErrorInfo"].as_str().unwrap().contains("at most 100"),
        "{v}"
    );
    // No account: 40002. No tags: 40001. A tag that does not exist: 40009. Bad JSON: 40001.
    let v = raw(&sb, PORTRAIT, json!({"To_Account": [], "TagList": nick})).await;
    assert_eq!(code(&v), 40002);
    let v = raw(&sb, PORTRAIT, json!({"To_Account": ["ann"]})).await;
    assert_eq!(code(&v), 40001);
    let v = raw(
        &sb,
        PORTRAIT,
        json!({"To_Account": ["ann"], "TagList": ["Tag_Profile_Custom_Nope"]}),
    )
    .await;
    assert_eq!(code(&v), 40009);
    let v = raw(&sb, PORTRAIT, Value::String("{".into())).await;
    assert_eq!(code(&v), 40001);
}

#[tokio::test]
async fn query_online_status_states_details_and_unknown_accounts() {
    let sb = start(world()).await;
    let v = raw(
        &sb,
        STATUS,
        json!({"To_Account": ["ann", "bob", "dave", "ghost"]}),
    )
    .await;
    assert_eq!(code(&v), 0, "{v}");
    assert_eq!(
        v["QueryResult"],
        json!([
            {"To_Account": "ann", "Status": "Online"},
            {"To_Account": "bob", "Status": "PushOnline"},
            {"To_Account": "dave", "Status": "Offline"},
        ])
    );
    assert_eq!(
        v["ErrorList"],
        json!([{"To_Account": "ghost", "ErrorCode": 70107}])
    );
    let v = raw(
        &sb,
        STATUS,
        json!({"To_Account": ["ann", "dave"], "IsNeedDetail": 1}),
    )
    .await;
    assert_eq!(
        v["QueryResult"][0]["Detail"],
        json!([{"Platform": "iPhone", "Status": "PushOnline"}, {"Platform": "Web", "Status": "Online"}])
    );
    assert_eq!(v["QueryResult"][1]["Detail"], json!([]));
    assert_eq!(
        v["ErrorList"],
        json!([]),
        "always sent, empty when all answered"
    );
}

#[tokio::test]
async fn query_online_status_takes_500_accounts_and_refuses_more() {
    let sb = start(world()).await;
    let v = raw(&sb, STATUS, json!({"To_Account": ghosts(500)})).await;
    assert_eq!(code(&v), 0);
    assert_eq!(v["ErrorList"].as_array().unwrap().len(), 500);
    let v = raw(&sb, STATUS, json!({"To_Account": ghosts(501)})).await;
    assert_eq!(code(&v), 70402, "{v}");
    assert!(v["ErrorInfo"].as_str().unwrap().contains("500"));
    let v = raw(&sb, STATUS, json!({"To_Account": []})).await;
    assert_eq!(code(&v), 70402);
    let v = raw(
        &sb,
        STATUS,
        json!({"To_Account": ["ann"], "IsNeedDetail": 2}),
    )
    .await;
    assert_eq!(code(&v), 70402);
}

#[tokio::test]
async fn activity_makes_an_account_online() {
    let sb = start(world()).await;
    let now = i64::try_from(tim_receipts::usersig::now_unix()).unwrap();
    let before = raw(&sb, STATUS, json!({"To_Account": ["dave"]})).await;
    assert_eq!(before["QueryResult"][0]["Status"], "Offline");
    // dave sends a message: the sandbox counts him in the app for ten minutes.
    sb.with_world(|w| {
        w.group_mut(G).unwrap().post_at("dave", "here", false, now);
    });
    let after = raw(&sb, STATUS, json!({"To_Account": ["dave"]})).await;
    assert_eq!(after["QueryResult"][0]["Status"], "Online");
}

#[tokio::test]
async fn member_calls_carry_name_cards_roles_and_msg_flags_when_asked() {
    let sb = start(world()).await;
    let filter = json!(["NameCard", "Role", "MsgFlag"]);
    let v = raw(
        &sb,
        SPECIFIED,
        json!({"GroupId": G, "Member_List_Account": ["ann", "bob", "carol", "erin", "wang.lei2", "ghost"],
               "MemberInfoFilter": filter}),
    )
    .await;
    assert_eq!(code(&v), 0, "{v}");
    assert_eq!(
        v["MemberList"],
        json!([
            {"Member_Account": "ann", "NameCard": "", "Role": "Owner", "MsgFlag": "AcceptAndNotify"},
            {"Member_Account": "bob", "NameCard": "", "Role": "Member", "MsgFlag": "AcceptNotNotify"},
            {"Member_Account": "carol", "NameCard": "", "Role": "Member", "MsgFlag": "Discard"},
            {"Member_Account": "erin", "NameCard": "Erin · QA", "Role": "Member", "MsgFlag": "AcceptAndNotify"},
            {"Member_Account": "wang.lei2", "NameCard": "Wang Lei", "Role": "Member", "MsgFlag": "AcceptAndNotify"},
        ]),
        "a non-member is left out"
    );
    // Without the filter asking for them, the fields are not sent.
    let v = raw(
        &sb,
        MEMBER_INFO,
        json!({"GroupId": G, "Limit": 2, "MemberInfoFilter": ["MsgSeq"]}),
    )
    .await;
    assert_eq!(v["MemberList"][0].as_object().unwrap().len(), 2, "{v}");
    // 50 accounts a call: 51 refused; an AVChatRoom has no member list.
    let w = world();
    let fifty_one: Vec<String> = members(&w).into_iter().take(51).collect();
    let v = raw(
        &sb,
        SPECIFIED,
        json!({"GroupId": G, "Member_List_Account": fifty_one[..50]}),
    )
    .await;
    assert_eq!(v["MemberList"].as_array().unwrap().len(), 50);
    let v = raw(
        &sb,
        SPECIFIED,
        json!({"GroupId": G, "Member_List_Account": fifty_one}),
    )
    .await;
    assert_eq!(code(&v), 10004, "{v}");
    let v = raw(
        &sb,
        SPECIFIED,
        json!({"GroupId": LIVE, "Member_List_Account": ["ann"]}),
    )
    .await;
    assert_eq!(code(&v), 10007, "{v}");
}
