//! The CLI over read positions: `members --source` (JSON and CSV shapes, `auto` choosing
//! the receipt or positions) and `receipts --source positions`.

use serde_json::{Value, json};
use tim_receipts::api::GroupType;
use tim_receipts::sandbox::{self, Sandbox, SandboxConfig, World};

use super::{T0, WORK};

fn cli_world() -> World {
    let mut w = World::new();
    let mut g = w.add_group(WORK, GroupType::Work, &[]);
    g.add_members_at(&["alice", "bob", "carol"], T0);
    g.post_at("alice", "with a receipt", true, T0 + 10);
    g.post_at("alice", "without one", false, T0 + 20);
    g.add_members_at(&["dave"], T0 + 30);
    g.read_up_to("bob", 2);
    g.read_up_to("carol", 1);
    w
}

async fn cli(sb: &Sandbox, args: &[&str]) -> (i32, String, String) {
    let home = tempfile::tempdir().unwrap();
    let out = crate::common::cli::run(Some(sb), home.path(), args).await;
    (out.code, out.stdout, out.stderr)
}

async fn cli_json(sb: &Sandbox, args: &[&str]) -> Value {
    let (code, out, err) = cli(sb, args).await;
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {out}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn members_source_auto_picks_the_receipt_when_there_is_one_else_positions() {
    let sb = sandbox::start_with_world(SandboxConfig::default(), cli_world())
        .await
        .unwrap();
    // Seq 1 has a receipt: auto lists it.
    let read = cli_json(&sb, &["members", WORK, "1", "--read", "--format", "json"]).await;
    let who = json!({"name_card": "", "nick": "", "role": "Member", "muted": false});
    let with = |mut row: serde_json::Value| {
        for (k, v) in who.as_object().unwrap() {
            row[k] = v.clone();
        }
        row
    };
    assert_eq!(
        read,
        json!([
            with(json!({"account": "bob", "source": "receipt"})),
            with(json!({"account": "carol", "source": "receipt"}))
        ])
    );
    // Seq 2 has none: auto lists read positions (alice sent it and is on neither list;
    // dave joined after it).
    let read = cli_json(&sb, &["members", WORK, "2", "--read", "--format", "json"]).await;
    assert_eq!(
        read,
        json!([
            with(
                json!({"account": "bob", "source": "position", "read_seq": 2, "joined_after": false})
            ),
            with(
                json!({"account": "dave", "source": "position", "read_seq": 2, "joined_after": true})
            ),
        ])
    );
    let unread = cli_json(&sb, &["members", WORK, "2", "--unread", "--format", "json"]).await;
    assert_eq!(
        unread,
        json!([with(
            json!({"account": "carol", "source": "position", "read_seq": 1, "joined_after": false})
        )])
    );
    // Positions asked for a receipt message: what MsgSeq says.
    let read = cli_json(
        &sb,
        &[
            "members",
            WORK,
            "1",
            "--read",
            "--source",
            "positions",
            "--format",
            "json",
        ],
    )
    .await;
    assert_eq!(
        read.as_array()
            .unwrap()
            .iter()
            .map(|r| r["account"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["bob", "carol", "dave"]
    );
    let (code, csv, err) = cli(&sb, &["members", WORK, "2", "--unread", "--format", "csv"]).await;
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        csv,
        format!(
            "group_id,seq,list,account,source,read_seq,joined_after,name_card,nick,role,muted,online\n\
             {WORK},2,unread,carol,position,1,false,,,Member,false,\n"
        )
    );
    // Receipts asked for a message without one: the receipt error, not positions.
    let (code, _, err) = cli(
        &sb,
        &["members", WORK, "2", "--read", "--source", "receipts"],
    )
    .await;
    assert_ne!(code, 0);
    assert!(err.contains("10062"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn receipts_source_positions_counts_who_has_read_up_to_each_message() {
    let sb = sandbox::start_with_world(SandboxConfig::default(), cli_world())
        .await
        .unwrap();
    // Seq 1: bob, carol and dave (who joined at seq 2) are at or past it; alice sent it.
    // Seq 2: carol is at 1. Seq 9 is not in the history.
    let counts = cli_json(
        &sb,
        &[
            "receipts",
            WORK,
            "1,2,9",
            "--source",
            "positions",
            "--format",
            "json",
        ],
    )
    .await;
    assert_eq!(
        counts,
        json!([
            {"seq": 1, "read": 3, "unread": 0, "source": "position"},
            {"seq": 2, "read": 2, "unread": 1, "source": "position"},
            {"seq": 9, "read": null, "unread": null, "source": "position"},
        ])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn receipts_source_positions_as_csv_and_table() {
    let sb = sandbox::start_with_world(SandboxConfig::default(), cli_world())
        .await
        .unwrap();
    let args = |f: &'static str| {
        [
            "receipts",
            WORK,
            "2,9",
            "--source",
            "positions",
            "--format",
            f,
        ]
    };
    let (code, csv, _) = cli(&sb, &args("csv")).await;
    assert_eq!(code, 0);
    assert_eq!(
        csv.lines().collect::<Vec<_>>(),
        ["seq,read,unread,source", "2,2,1,position", "9,,,position"]
    );
    let (code, table, _) = cli(&sb, &args("table")).await;
    assert_eq!(code, 0);
    let rows: Vec<Vec<&str>> = table
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows[0], ["SEQ", "READ", "UNREAD", "READ%", "NOTE"]);
    assert_eq!(rows[1], ["2", "2", "1", "67%", "read", "positions"]);
    assert_eq!(rows[2][..4], ["9", "-", "-", "-"]);
    assert!(table.contains("not in the group's history"), "{table}");
}
