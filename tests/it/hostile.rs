//! The CLI against a hostile service: an in-process HTTP server on 127.0.0.1 that answers
//! with pages that never end, cursors that go round, pages far larger than asked, and
//! names full of terminal control sequences. Every command must stop with a clear error
//! after a bounded number of calls, and nothing raw may reach the terminal.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::routing::post;
use serde_json::{Value, json};

/// Longest any one command may take before the test fails.
const DEADLINE: Duration = Duration::from_secs(60);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scenario {
    /// Receipt detail: an empty page that says more will follow, for ever.
    EmptyUnfinished,
    /// Receipt detail: 1,000 accounts a page (200 asked), cursors alternating A/B.
    AlternatingHuge,
    /// Receipt detail: 200 new accounts a page with a new cursor, never finished.
    EndlessFresh,
    /// Group list: the same page with a `Next` that never ends.
    EndlessGroups,
    /// Names, IDs, senders and accounts full of control sequences.
    Escapes,
    /// Member list of a Community: 200 new members a page, `Next` alternating A/B.
    MembersCursorLoop,
    /// Member list of a Public group that says it has 1,000,000 members: full pages of new
    /// members for ever.
    MembersEndless,
}

#[derive(Clone)]
struct Hostile {
    scenario: Scenario,
    calls: Arc<Mutex<HashMap<String, usize>>>,
}

fn ok(mut body: Value) -> axum::Json<Value> {
    let map = body.as_object_mut().expect("an object");
    map.insert("ActionStatus".into(), json!("OK"));
    map.insert("ErrorCode".into(), json!(0));
    map.insert("ErrorInfo".into(), json!(""));
    axum::Json(body)
}

const EVIL_ID: &str = "@TGS#\u{1b}]0;pwned\u{7}EVIL";
const FORGED_ID: &str = "@TGS#B\nFORGED-ROW";
const EVIL_NAME: &str = "Ops\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}\u{1b}[2J";
const EVIL_ACCOUNT: &str = "mallory\u{1b}[201~\nrm -rf ~\u{9b}1A";

async fn answer(
    State(h): State<Hostile>,
    Path((_service, command)): Path<(String, String)>,
    body: axum::Json<Value>,
) -> axum::Json<Value> {
    let n = {
        let mut calls = h.calls.lock().unwrap();
        let n = calls.entry(command.clone()).or_default();
        *n += 1;
        *n
    };
    let list_key = if body.get("Filter").and_then(Value::as_u64) == Some(0) {
        ("ReadList", "Read_Account")
    } else {
        ("UnreadList", "Unread_Account")
    };
    let accounts = |from: usize, count: usize| -> Vec<Value> {
        (from..from + count)
            .map(|i| json!({ list_key.1: format!("user{i}") }))
            .collect()
    };
    let members = |from: usize, count: usize| -> Vec<Value> {
        (from..from + count)
            .map(
                |i| json!({"Member_Account": format!("member{i}"), "MsgSeq": i % 3, "JoinTime": 1}),
            )
            .collect()
    };
    match (h.scenario, command.as_str()) {
        (_, "get_group_msg_receipt") => ok(json!({
            "GroupMsgReceiptList": [{"MsgSeq": 1, "Code": 0, "ReadNum": 3, "UnreadNum": 150}]
        })),
        (Scenario::EmptyUnfinished, "get_group_msg_receipt_detail") => ok(json!({
            "IsFinish": 0, "Cursor": format!("c{n}"), list_key.0: []
        })),
        (Scenario::AlternatingHuge, "get_group_msg_receipt_detail") => ok(json!({
            "IsFinish": 0,
            "Cursor": if n % 2 == 0 { "A" } else { "B" },
            list_key.0: accounts(n * 1000, 1000),
        })),
        (Scenario::EndlessFresh, "get_group_msg_receipt_detail") => ok(json!({
            "IsFinish": 0, "Cursor": format!("c{n}"), list_key.0: accounts(n * 200, 200),
        })),
        (Scenario::Escapes, "get_group_msg_receipt_detail") => ok(json!({
            "IsFinish": 1, "Cursor": "0",
            list_key.0: [{ list_key.1: EVIL_ACCOUNT }, { list_key.1: "plain.user" }],
        })),
        (Scenario::EndlessGroups, "get_appid_group_list") => ok(json!({
            "TotalCount": 100_000, "Next": 5, "GroupIdList": [{"GroupId": "@TGS#SAME"}]
        })),
        (Scenario::Escapes, "get_appid_group_list") => ok(json!({
            "TotalCount": 2, "Next": 0,
            "GroupIdList": [{"GroupId": EVIL_ID}, {"GroupId": FORGED_ID}]
        })),
        (Scenario::Escapes, "portrait_get") => ok(json!({
            "UserProfileItem": [
                {"To_Account": EVIL_ACCOUNT, "ResultCode": 0,
                 "ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": EVIL_NAME}]},
                {"To_Account": "plain.user", "ResultCode": 0,
                 "ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": "line\nFAKE LINE"}]},
            ]
        })),
        (Scenario::Escapes, "get_specified_group_member_info") => ok(json!({
            "MemberList": [{"Member_Account": EVIL_ACCOUNT, "Role": "Admin\u{1b}[2J",
                            "NameCard": "card\u{1b}]0;title\u{7}", "MsgFlag": "AcceptNotNotify"}]
        })),
        (Scenario::MembersCursorLoop, "get_group_member_info") => ok(json!({
            "MemberNum": 100_000,
            "Next": if n % 2 == 0 { "A" } else { "B" },
            "MemberList": members(n * 200, 200),
        })),
        (Scenario::MembersEndless, "get_group_member_info") => ok(json!({
            "MemberNum": 1_000_000,
            "MemberList": members(n * 200, 200),
        })),
        (_, "get_group_info") => {
            let ids: Vec<String> = body["GroupIdList"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            let infos: Vec<Value> = ids
                .iter()
                .map(|id| {
                    let t = if h.scenario == Scenario::MembersCursorLoop {
                        "Community"
                    } else {
                        "Public"
                    };
                    json!({"GroupId": id, "ErrorCode": 0, "Type": t,
                                 "Name": EVIL_NAME, "MemberNum": 9, "NextMsgSeq": 3})
                })
                .collect();
            ok(json!({ "GroupInfo": infos }))
        }
        (_, "group_msg_get_simple") => ok(json!({
            "GroupId": body["GroupId"], "IsFinished": 1,
            "RspMsgList": [{
                "From_Account": EVIL_ACCOUNT, "MsgSeq": 1, "MsgTimeStamp": 1_700_000_000,
                "MsgRandom": 1, "IsPlaceMsg": 0,
                "MsgBody": [{"MsgType": "TIMTextElem",
                             "MsgContent": {"Text": "hello\u{1b}]0;title\u{7}\nFAKE LINE"}}]
            }]
        })),
        _ => ok(json!({})),
    }
}

async fn serve(scenario: Scenario) -> (SocketAddr, Hostile) {
    let h = Hostile {
        scenario,
        calls: Arc::default(),
    };
    let app = Router::new()
        .route("/v4/{service}/{command}", post(answer))
        .with_state(h.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (addr, h)
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

async fn run(addr: SocketAddr, args: &[&str]) -> Out {
    let home = tempfile::tempdir().unwrap();
    let mut c = tokio::process::Command::new(env!("CARGO_BIN_EXE_tim-receipts"));
    for (k, _) in std::env::vars() {
        if k.starts_with("TIM_") || k.starts_with("XDG_") {
            c.env_remove(k);
        }
    }
    c.env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("TIM_ENDPOINT", format!("http://{addr}"))
        .env("TIM_SDKAPPID", "1400000000")
        .env("TIM_IDENTIFIER", "administrator")
        .env("TIM_SECRET_KEY", "hostile-test-key")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .args(args);
    let out = tokio::time::timeout(DEADLINE, c.output())
        .await
        .unwrap_or_else(|_| panic!("tim-receipts {args:?} ran past {DEADLINE:?}"))
        .expect("the binary runs");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn calls(h: &Hostile, command: &str) -> usize {
    h.calls.lock().unwrap().get(command).copied().unwrap_or(0)
}

/// Runs `members` in a scenario and checks that it stopped with the expected error.
async fn members_stops(scenario: Scenario, expect: &str) -> usize {
    let (addr, h) = serve(scenario).await;
    let out = run(
        addr,
        &[
            "members",
            "@TGS#1WAR",
            "1",
            "--unread",
            "--source",
            "receipts",
            "--format",
            "json",
        ],
    )
    .await;
    assert_ne!(
        out.code, 0,
        "{scenario:?}: it must fail; stdout {}",
        out.stdout
    );
    assert!(
        out.stderr.contains("paging") && out.stderr.contains(expect),
        "{scenario:?}: {}",
        out.stderr
    );
    assert!(
        out.stdout.is_empty(),
        "no partial list is printed as if whole"
    );
    calls(&h, "get_group_msg_receipt_detail")
}

/// Runs `members --source positions` in a scenario; it must stop with the expected error
/// and print nothing. Returns the member pages called for.
async fn positions_stop(scenario: Scenario, expect: &str) -> usize {
    let (addr, h) = serve(scenario).await;
    let args = [
        "members",
        "@TGS#1WAR",
        "1",
        "--read",
        "--source",
        "positions",
        "--format",
        "json",
    ];
    let out = run(addr, &args).await;
    assert_ne!(out.code, 0, "{scenario:?}: it must fail");
    assert!(
        out.stderr.contains("paging") && out.stderr.contains(expect),
        "{scenario:?}: {}",
        out.stderr
    );
    assert!(out.stdout.is_empty(), "no partial list");
    calls(&h, "get_group_member_info")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_community_cursor_that_comes_back_stops_the_scan() {
    // Next "B", "A", then "B" again: the third page is refused.
    assert_eq!(
        positions_stop(Scenario::MembersCursorLoop, "a second time").await,
        3
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_offset_scan_stops_past_the_documented_maximum() {
    // 6,000 members is the most a Public group holds: page 31 (6,200 members) is refused,
    // with at most a few pages in flight besides.
    let pages = positions_stop(Scenario::MembersEndless, "passed 6000 items").await;
    assert!((31..=35).contains(&pages), "{pages} pages");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_empty_unfinished_page_stops_the_drain_at_once() {
    assert_eq!(
        members_stops(Scenario::EmptyUnfinished, "added nothing new").await,
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn oversized_pages_with_alternating_cursors_stop_at_the_first_page() {
    assert_eq!(
        members_stops(Scenario::AlternatingHuge, "1000 items where at most 200").await,
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_endless_list_stops_at_the_count_the_service_reported() {
    // ReadNum + UnreadNum = 153: the second page of 200 passes it.
    let pages = members_stops(Scenario::EndlessFresh, "the 153 the service reported").await;
    assert!(pages <= 2, "{pages} pages");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_group_list_that_never_ends_stops() {
    let (addr, h) = serve(Scenario::EndlessGroups).await;
    let out = run(addr, &["groups", "--format", "json"]).await;
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("added nothing new"), "{}", out.stderr);
    assert_eq!(calls(&h, "get_appid_group_list"), 2);
}

/// No escape, no C1 control, no bell on the terminal; rows not forged.
fn assert_clean(what: &str, s: &str) {
    assert!(
        !s.chars().any(|c| c.is_control() && c != '\n'),
        "{what} holds a control character: {s:?}"
    );
    assert!(!s.contains("\nFORGED-ROW"), "{what} has a forged row: {s}");
    assert!(!s.contains("\nrm -rf"), "{what} has a forged line: {s}");
    assert!(!s.contains("\nFAKE LINE"), "{what} has a forged line: {s}");
}

#[tokio::test(flavor = "multi_thread")]
async fn tables_and_stderr_never_carry_raw_control_sequences() {
    let (addr, _h) = serve(Scenario::Escapes).await;
    let out = run(addr, &["groups", "--format", "table"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_clean("groups table", &out.stdout);
    assert_eq!(
        out.stdout.lines().count(),
        3,
        "a header and two rows: {}",
        out.stdout
    );

    let out = run(addr, &["messages", "@TGS#1WAR", "--format", "table"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_clean("messages table", &out.stdout);
    assert_clean("messages stderr", &out.stderr);

    let out = run(
        addr,
        &[
            "members",
            "@TGS#1WAR",
            "1",
            "--unread",
            "--source",
            "receipts",
            "--format",
            "table",
        ],
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_clean("members table", &out.stdout);
    assert_eq!(out.stdout.lines().count(), 3, "{}", out.stdout);
    // The names the service sent are shown, cleaned (a name card, a nickname).
    assert!(
        out.stdout.contains("card\u{FFFD}]0;title"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("line FAKE LINE"), "{}", out.stdout);

    // A group found by name: the names the index holds came from the service.
    let out = run(addr, &["groups", "--search", "ops", "--format", "table"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_clean("groups --search table", &out.stdout);
    assert_clean("groups --search stderr", &out.stderr);
    assert_eq!(out.stdout.lines().count(), 3, "{}", out.stdout);

    // JSON keeps the exact value (its escaping makes it safe to print).
    let out = run(
        addr,
        &[
            "members",
            "@TGS#1WAR",
            "1",
            "--unread",
            "--source",
            "receipts",
            "--format",
            "json",
        ],
    )
    .await;
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(rows[0]["account"], EVIL_ACCOUNT);
    assert_eq!(rows[0]["nick"], EVIL_NAME);
}

/// Flag values that used to panic or spin are refused when the command line is parsed.
#[tokio::test(flavor = "multi_thread")]
async fn out_of_range_flags_are_refused_at_parse_time() {
    let (addr, _h) = serve(Scenario::Escapes).await;
    for (args, says) in [
        (
            &["--watch-interval", "10000000000000000000", "--demo"][..],
            "--watch-interval",
        ),
        (&["--watch-interval", "0", "--demo"][..], "--watch-interval"),
        (
            &["--demo", "--activity", "1e-300", "groups"][..],
            "0.01 to 1000",
        ),
        (
            &["--demo", "--activity", "1e300", "groups"][..],
            "0.01 to 1000",
        ),
        (
            &["--demo", "--activity", "NaN", "groups"][..],
            "0.01 to 1000",
        ),
        (&["--demo", "--fail-rate", "2", "groups"][..], "from 0 to 1"),
        (
            &["--demo", "--latency", "99999999999", "groups"][..],
            "--latency",
        ),
    ] {
        let out = run(addr, args).await;
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(says), "{args:?}: {}", out.stderr);
    }
}
