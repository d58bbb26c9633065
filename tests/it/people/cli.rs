//! The CLI: `members` with who each member is (JSON, CSV, a table aligned by display width
//! with Chinese names and emoji), and `groups --search` among groups of the same name, from
//! an index kept on disk.

use std::path::Path;

use serde_json::json;
use tim_receipts::api::GroupType;
use tim_receipts::sandbox::Sandbox;
use tim_receipts::text;

use super::{G, start, world};
use crate::common::cli::{Out, json_of, run};

/// Run the binary against `sb` with `home` as HOME (its cache holds the group index).
async fn cli(sb: &Sandbox, home: &Path, args: &[&str]) -> Out {
    run(Some(sb), home, args).await
}

#[tokio::test(flavor = "multi_thread")]
async fn members_json_and_csv_carry_who_each_member_is() {
    let sb = start(world()).await;
    let home = tempfile::tempdir().unwrap();
    let rows = json_of(
        &cli(
            &sb,
            home.path(),
            &["members", G, "1", "--unread", "--format", "json"],
        )
        .await,
    );
    let rows = rows.as_array().unwrap();
    // 307 members: over the receipt cap, so the lists are read positions; everyone but
    // ann (the sender) and erin (who read it). The scan's pages carried the name cards.
    assert_eq!(rows.len(), 305);
    assert_eq!(
        rows[0],
        json!({"account": "bob", "name_card": "", "nick": "鲍勃 Bob", "source": "position",
               "read_seq": 0, "joined_after": false, "role": "Member", "muted": true})
    );
    assert_eq!(
        rows[1]["muted"], true,
        "carol discards the group's messages"
    );
    assert_eq!(rows[2]["name_card"], "Wang Lei");
    assert_eq!(rows[2]["nick"], "王磊");
    assert_eq!(rows[3]["name_card"], "Wang Lei");
    assert_eq!(rows[3]["nick"], "");
    assert_eq!(
        (rows[4]["account"].as_str(), rows[4]["nick"].as_str()),
        (Some("dave"), Some(""))
    );
    for r in rows {
        for field in ["name_card", "nick", "role", "muted"] {
            assert!(r.get(field).is_some(), "{field} in {r}");
        }
        assert!(r.get("online").is_none(), "online only with --online: {r}");
    }
    // --online adds the online status.
    let rows = json_of(
        &cli(
            &sb,
            home.path(),
            &["members", G, "1", "--read", "--online", "--format", "json"],
        )
        .await,
    );
    assert_eq!(
        rows,
        json!([{"account": "erin", "name_card": "Erin · QA", "nick": "", "source": "position",
                "read_seq": 1, "joined_after": false, "role": "Member", "muted": false,
                "online": "Offline"}])
    );
    // CSV: the same columns after the existing ones.
    let out = cli(
        &sb,
        home.path(),
        &["members", G, "1", "--unread", "--online", "--format", "csv"],
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "group_id,seq,list,account,source,read_seq,joined_after,name_card,nick,role,muted,online"
    );
    assert_eq!(
        lines[1],
        format!("{G},1,unread,bob,position,0,false,,鲍勃 Bob,Member,true,PushOnline")
    );
    assert_eq!(
        lines[3],
        format!("{G},1,unread,wang.lei1,position,0,false,Wang Lei,王磊,Member,false,Offline")
    );
    // --no-names: no lookups; what the scan carried stays (the name card, role and mute),
    // the nickname is "".
    let rows = json_of(
        &cli(
            &sb,
            home.path(),
            &[
                "members",
                G,
                "1",
                "--read",
                "--no-names",
                "--format",
                "json",
            ],
        )
        .await,
    );
    assert_eq!(
        rows,
        json!([{"account": "erin", "name_card": "Erin · QA", "nick": "", "source": "position",
                "read_seq": 1, "joined_after": false, "role": "Member", "muted": false}])
    );
    // The table shows that name card too.
    let table = cli(
        &sb,
        home.path(),
        &[
            "members",
            G,
            "1",
            "--read",
            "--no-names",
            "--format",
            "table",
        ],
    )
    .await;
    let table = table.stdout;
    let erin = table
        .lines()
        .find(|l| l.starts_with("erin"))
        .unwrap_or_default();
    assert!(erin.contains("Erin · QA"), "{table}");
    // A receipt list (a group of up to 200): --no-names leaves everything unknown.
    let mut small = tim_receipts::sandbox::World::new();
    let mut g = small.add_group("@TGS#1SMALL", GroupType::Work, &["ann", "bob"]);
    g.name_card("bob", "Bobby");
    g.post("ann", "hi", true);
    small.set_nick("bob", "Bob");
    let sb = start(small).await;
    let args = [
        "members",
        "@TGS#1SMALL",
        "1",
        "--unread",
        "--format",
        "json",
    ];
    let rows = json_of(&cli(&sb, home.path(), &args).await);
    assert_eq!(
        rows,
        json!([{"account": "bob", "name_card": "Bobby", "nick": "Bob", "source": "receipt",
                "role": "Member", "muted": false}])
    );
    let rows = json_of(&cli(&sb, home.path(), &[&args[..], &["--no-names"]].concat()).await);
    assert_eq!(
        rows,
        json!([{"account": "bob", "name_card": "", "nick": "", "source": "receipt"}])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_members_table_aligns_wide_names_by_display_width() {
    let sb = start(world()).await;
    let home = tempfile::tempdir().unwrap();
    let out = cli(
        &sb,
        home.path(),
        &[
            "members", G, "1", "--unread", "--online", "--format", "table",
        ],
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["ACCOUNT", "NAME", "READ", "ROLE", "STATUS"]
    );
    assert!(
        lines[1].contains("鲍勃 Bob") && lines[1].contains("PushOnline, muted"),
        "{}",
        lines[1]
    );
    assert!(lines[2].contains("Carol 🌸"), "{}", lines[2]);
    // Every row's READ cell starts at the same terminal column, whatever the width of the
    // characters before it (a CJK character and an emoji take two cells).
    let column = |line: &str, cell: &str| {
        let at = line
            .find(cell)
            .unwrap_or_else(|| panic!("{cell:?} in {line:?}"));
        text::width(&line[..at])
    };
    let read_at = column(lines[0], "READ");
    for line in &lines[1..6] {
        assert_eq!(column(line, "up to 0"), read_at, "{line:?}");
        assert_eq!(column(line, "Member"), column(lines[0], "ROLE"), "{line:?}");
    }
    assert!(
        text::width(lines[1]) > lines[1].chars().count(),
        "the row holds wide characters"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn groups_search_finds_every_group_of_a_name_and_uses_the_cache_next_time() {
    let mut w = world();
    let named = [
        ("@TGS#2PAYA", GroupType::Public, "Payments on-call"),
        ("@TGS#1PAYB", GroupType::Work, "Payments on-call"),
        ("@TGS#4PAYC", GroupType::Meeting, "Payments on-call"),
        ("@TGS#1PAYTEAM", GroupType::Work, "Payments team"),
        ("@TGS#1SEARCH", GroupType::Work, "Search guild"),
    ];
    for (id, t, name) in named {
        w.add_group(id, t, &["ann"]).name(name);
    }
    // Many other groups: the search is over all of them, not a first page.
    for i in 0..120 {
        w.add_group(&format!("@TGS#1OTHER{i}"), GroupType::Work, &["ann"])
            .name(&format!("Team {i}"));
    }
    let sb = start(w).await;
    let home = tempfile::tempdir().unwrap();
    let out = cli(
        &sb,
        home.path(),
        &["groups", "--search", "PAYMENTS ON-CALL", "--format", "json"],
    )
    .await;
    let found = json_of(&out);
    assert_eq!(
        found,
        json!([
            {"id": "@TGS#1PAYB", "type": "Work", "name": "Payments on-call", "same_name": 3},
            {"id": "@TGS#2PAYA", "type": "Public", "name": "Payments on-call", "same_name": 3},
            {"id": "@TGS#4PAYC", "type": "Meeting", "name": "Payments on-call", "same_name": 3},
        ])
    );
    assert!(out.stderr.contains("127 groups indexed"), "{}", out.stderr);
    assert!(
        out.stderr.contains("3 groups of 127 match"),
        "{}",
        out.stderr
    );
    let cache = home.path().join("cache/tim-receipts");
    let files: Vec<_> = std::fs::read_dir(&cache).unwrap().collect();
    assert_eq!(files.len(), 1, "one index file for the app in {cache:?}");

    // The next run answers from the file: a group renamed since is found by its old name.
    sb.with_world(|w| {
        w.group_mut("@TGS#1PAYB").unwrap().name("Billing on-call");
    });
    let out = cli(
        &sb,
        home.path(),
        &["groups", "--search", "on-call", "--format", "csv"],
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("cached"), "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 4, "{}", out.stdout);
    assert!(!out.stdout.contains("Billing"), "{}", out.stdout);
    // --refresh builds it again; --type narrows; the table names the duplicates.
    let out = cli(
        &sb,
        home.path(),
        &[
            "groups",
            "--search",
            "on-call",
            "--refresh",
            "--format",
            "table",
        ],
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("indexed"), "{}", out.stderr);
    assert!(out.stdout.contains("Billing on-call"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("Payments on-call (2 groups of this name)"),
        "{}",
        out.stdout
    );
    let found = json_of(
        &cli(
            &sb,
            home.path(),
            &[
                "groups", "--search", "payments", "--type", "Meeting", "--format", "json",
            ],
        )
        .await,
    );
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["id"], "@TGS#4PAYC");
}
