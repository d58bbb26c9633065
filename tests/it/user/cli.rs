//! `tim-receipts user`: JSON (one object), CSV (a row per group and per 1:1), the table
//! aligned by display width, the message check, an unknown account, and the demo's user
//! in 500 groups.

use serde_json::{Value, json};
use tim_receipts::sandbox::{DEMO_BUSY_GROUPS, DEMO_BUSY_USER};
use tim_receipts::text;

use super::{ANA, CMTY, LIVE, MEET, MUTED_UNTIL, PUBLIC, QUIET, WORK, start_ana};
use crate::common::cli::{json_of, run as cli};

#[tokio::test(flavor = "multi_thread")]
async fn user_json_is_one_object_with_every_field() {
    let sb = start_ana().await;
    let home = tempfile::tempdir().unwrap();
    let v = json_of(&cli(Some(&sb), home.path(), &["user", ANA, "--format", "json"]).await);
    assert_eq!(v["account"], ANA);
    assert_eq!(v["nick"], "Ana 安娜");
    assert_eq!(v["online"], "Online");
    assert_eq!(
        v["platforms"][0],
        json!({"platform": "iPhone", "state": "PushOnline"})
    );
    assert_eq!(v["groups_total"], 6);
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 6);
    // Sorted by unread; every object carries the same fields.
    assert_eq!(
        groups[0],
        json!({"group_id": WORK, "name": "Ops 值班", "type": "Work", "role": "Member",
               "unread": 4, "unread_note": null, "read_seq": 6, "muted": false, "mute_until": null})
    );
    assert_eq!(groups[1]["group_id"], CMTY);
    let by_id = |id: &str| groups.iter().find(|g| g["group_id"] == id).unwrap().clone();
    assert_eq!(by_id(PUBLIC)["muted"], true);
    assert_eq!(by_id(PUBLIC)["mute_until"], MUTED_UNTIL);
    assert_eq!(by_id(QUIET)["unread"], 0);
    for (id, t) in [(MEET, "Meeting"), (LIVE, "AVChatRoom")] {
        assert_eq!(by_id(id)["unread"], Value::Null);
        assert_eq!(
            by_id(id)["unread_note"],
            format!("{t} groups keep no unread counts")
        );
    }
    assert_eq!(
        v["c2c"],
        json!([
            {"peer": "carol", "unread": 1, "pinned": true, "time": 1_700_001_012},
            {"peer": "dave", "unread": 0, "pinned": false, "time": 1_700_001_100},
            {"peer": "bob", "unread": 3, "pinned": false, "time": 1_700_001_002},
            {"peer": "erin", "unread": 0, "pinned": false, "time": 1_700_000_900},
        ])
    );
    assert_eq!(v["c2c_unread_total"], 4);
    assert!(v.get("message").is_none());
    let notes = v["notes"].to_string();
    assert!(notes.contains("notifies nobody"), "{notes}");
    assert!(notes.contains("no search by nickname"), "{notes}");
    assert!(notes.contains("estimates"), "{notes}");
}

#[tokio::test(flavor = "multi_thread")]
async fn user_csv_and_the_table_by_display_width() {
    let sb = start_ana().await;
    let home = tempfile::tempdir().unwrap();
    let out = cli(Some(&sb), home.path(), &["user", ANA, "--format", "csv"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "account,kind,id,name,type,unread,unread_note,read_seq,muted,mute_until"
    );
    assert_eq!(lines.len(), 1 + 6 + 4);
    assert_eq!(
        lines[1],
        format!("ana,group,{WORK},Ops 值班,Work,4,,6,false,")
    );
    assert!(
        lines.contains(
            &format!(
                "ana,group,{MEET},{MEET},Meeting,,Meeting groups keep no unread counts,1,false,"
            )
            .as_str()
        )
    );
    assert!(
        lines.contains(
            &format!("ana,group,{PUBLIC},{PUBLIC},Public,0,,3,true,{MUTED_UNTIL}").as_str()
        )
    );
    assert_eq!(lines[7], "ana,c2c,carol,,,1,,,,");

    let out = cli(Some(&sb), home.path(), &["user", ANA, "--format", "table"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let t = &out.stdout;
    let first = t.lines().next().unwrap();
    assert_eq!(
        first,
        "ana  Ana 安娜  Online (iPhone PushOnline, Web Online)"
    );
    assert!(
        t.contains("1:1 unread: 4 (4 in the 4 conversations listed)"),
        "{t}"
    );
    // The group rows line up by display width: each column starts at the same cell.
    let rows: Vec<&str> = t
        .lines()
        .skip_while(|l| !l.starts_with("GROUP"))
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(rows.len(), 7, "{t}");
    let col = |line: &str, field: &str| text::width(&line[..line.find(field).unwrap()]);
    let name_at = col(rows[0], "NAME");
    assert_eq!(col(rows[1], "Ops 值班"), name_at, "{t}");
    let meeting = rows.iter().find(|l| l.starts_with(MEET)).unwrap();
    assert!(meeting.contains("none kept"), "{meeting}");
    let public = rows.iter().find(|l| l.starts_with(PUBLIC)).unwrap();
    assert!(
        public.contains("muted") && public.contains("until 2096-10-02"),
        "{public}"
    );
    assert!(t.contains("carol") && t.contains("pinned"));
    assert!(
        t.contains("note: setting an unread count notifies nobody"),
        "{t}"
    );
    assert!(
        t.contains("note: the service has no search by nickname"),
        "{t}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn user_with_a_message_and_an_unknown_account() {
    let sb = start_ana().await;
    let home = tempfile::tempdir().unwrap();
    let args = [
        "user", ANA, "--group", WORK, "--seq", "8", "--format", "json",
    ];
    let v = json_of(&cli(Some(&sb), home.path(), &args).await);
    assert_eq!(
        v["message"],
        json!({"group_id": WORK, "seq": 8, "by_receipt": "unread", "by_position": "unread", "read_seq": 6})
    );
    let out = cli(
        Some(&sb),
        home.path(),
        &[
            "user", ANA, "--group", WORK, "--seq", "5", "--format", "table",
        ],
    )
    .await;
    assert!(
        out.stdout.contains("by read receipt:  read"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("by read position: read up to it (their read seq is 6)"),
        "{}",
        out.stdout
    );
    let out = cli(Some(&sb), home.path(), &["user", "Ana 安娜"]).await;
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("40003") && out.stderr.contains("no search by nickname"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    let out = cli(Some(&sb), home.path(), &["user", ANA, "--seq", "5"]).await;
    assert_eq!(out.code, 2, "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_user_in_500_groups() {
    let home = tempfile::tempdir().unwrap();
    let v = json_of(
        &cli(
            None,
            home.path(),
            &["user", DEMO_BUSY_USER, "--format", "json"],
        )
        .await,
    );
    assert_eq!(v["groups_total"], DEMO_BUSY_GROUPS);
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(groups.len(), DEMO_BUSY_GROUPS);
    assert!(
        groups
            .iter()
            .any(|g| g["type"] == "Meeting" && g["unread"].is_null())
    );
    assert!(
        groups
            .iter()
            .filter(|g| g["unread"].as_u64().unwrap_or(0) > 0)
            .count()
            > 100
    );
    assert_eq!(
        groups
            .iter()
            .filter(|g| g["mute_until"].is_number())
            .count(),
        2
    );
    assert_eq!(v["c2c_unread_total"], 27);
    assert_eq!(
        v["c2c"][0],
        json!({"peer": "nora.ops", "unread": 3, "pinned": true, "time": v["c2c"][0]["time"]})
    );
}
