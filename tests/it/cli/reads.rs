use super::*;

#[tokio::test(flavor = "multi_thread")]
async fn receipts_json_has_the_exact_shape() {
    let env = Env::new().await;
    let out = env.run(&["receipts", WORK, "1-3", "9"]).await.ok();
    let (r1, u1) = env.sb.with_world(|w| w.receipt_counts(WORK, 1)).unwrap();
    let (r3, u3) = env.sb.with_world(|w| w.receipt_counts(WORK, 3)).unwrap();
    assert_eq!(
        out.json(),
        json!([
            {"seq": 1, "read": r1, "unread": u1, "code": 0},
            {"seq": 2, "read": null, "unread": null, "code": 10062},
            {"seq": 3, "read": r3, "unread": u3, "code": 0},
            {"seq": 9, "read": null, "unread": null, "code": 10062},
        ])
    );
    assert_eq!((r1, u1), (2, 1));
    for item in out.json().as_array().unwrap() {
        let mut keys: Vec<&String> = item.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["code", "read", "seq", "unread"]);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn receipts_as_csv_and_table() {
    let env = Env::new().await;
    let out = env
        .run(&["receipts", WORK, "1,2", "--format", "csv"])
        .await
        .ok();
    assert_eq!(out.stdout, "seq,read,unread,code\n1,2,1,0\n2,,,10062\n");
    let out = env
        .run(&["receipts", WORK, "1-2", "--format", "table"])
        .await
        .ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["SEQ", "READ", "UNREAD", "READ%", "NOTE"]
    );
    assert!(lines[1].contains("67%"), "{}", out.stdout);
    assert!(lines[2].contains("no read receipt"), "{}", out.stdout);
    let out = env.run(&["receipts", WORK, "5-2"]).await.failed();
    assert!(out.stderr.contains("2-5"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn members_read_and_unread_are_arrays_of_receipt_rows() {
    let env = Env::new().await;
    let read = env.run(&["members", WORK, "1", "--read"]).await.ok().json();
    // Who each member is comes with them: no name card or nickname in this world, role
    // and mute from the member lookup.
    let row = |account: &str| {
        json!({"account": account, "name_card": "", "nick": "", "source": "receipt",
               "role": "Member", "muted": false})
    };
    assert_eq!(read, json!([row("bob"), row("carol")]));
    let unread = env
        .run(&["members", WORK, "1", "--unread"])
        .await
        .ok()
        .json();
    assert_eq!(unread, json!([row("dave")]));
    let csv = env
        .run(&["members", WORK, "3", "--unread", "--format", "csv"])
        .await
        .ok();
    // The dashboard export's columns first, then where each row comes from.
    assert_eq!(
        csv.stdout,
        format!(
            "group_id,seq,list,account,source,read_seq,joined_after,name_card,nick,role,muted,online\n\
             {WORK},3,unread,bob,receipt,,,,,Member,false,\n\
             {WORK},3,unread,dave,receipt,,,,,Member,false,\n"
        )
    );
    // Neither flag: a usage error from clap.
    let out = env.run(&["members", WORK, "1"]).await;
    assert_eq!(out.code, 2, "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn groups_lists_type_name_and_members() {
    let env = Env::new().await;
    let out = env.run(&["groups"]).await.ok().json();
    assert_eq!(
        out,
        json!([
            {"id": WORK, "type": "Work", "name": "ops, on call", "member_num": 4},
            {"id": MEETING, "type": "Meeting", "name": MEETING, "member_num": 2},
        ])
    );
    let out = env
        .run(&["groups", "--type", "ChatRoom", "--format", "csv"])
        .await
        .ok();
    assert_eq!(
        out.stdout,
        format!("id,type,name,member_num\n{MEETING},Meeting,{MEETING},2\n")
    );
    let out = env.run(&["groups", "--type", "Lobby"]).await.failed();
    assert!(out.stderr.contains("unknown group type"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn messages_newest_first_with_counts() {
    let env = Env::new().await;
    let out = env
        .run(&["messages", WORK, "--limit", "2"])
        .await
        .ok()
        .json();
    let rows = out.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["seq"], 3);
    assert_eq!(rows[0]["text"], "third line");
    assert_eq!(rows[0]["from"], "alice");
    assert_eq!(rows[0]["kind"], "normal");
    assert_eq!(rows[0]["code"], 0);
    assert!(rows[0]["time"].is_i64());
    assert_eq!(rows[1]["seq"], 2);
    assert_eq!(rows[1]["read"], Value::Null);
    assert_eq!(rows[1]["code"], 10062);
    let mut keys: Vec<&String> = rows[0].as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "code", "from", "kind", "read", "seq", "text", "time", "unread"
        ]
    );
    let table = env.run(&["messages", WORK, "--format", "table"]).await.ok();
    assert_eq!(table.stdout.lines().count(), 4, "{}", table.stdout);
    assert!(table.stdout.contains("TIME (UTC)"));
}
