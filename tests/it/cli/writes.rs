use super::*;

#[tokio::test(flavor = "multi_thread")]
async fn mark_read_with_yes_shows_before_and_after_and_is_audited() {
    let env = Env::new().await;
    let out = env
        .run(&["mark-read", "alice", "bob", "--yes"])
        .await
        .ok()
        .json();
    assert_eq!(out["result"], "ok");
    assert_eq!(out["action"], "mark_read");
    assert_eq!(out["target"], "alice->bob");
    assert_eq!(out["path"], "v4/openim/admin_set_msg_read");
    assert_eq!(
        out["request"],
        json!({"Report_Account": "alice", "Peer_Account": "bob"})
    );
    assert_eq!(
        (out["before"].clone(), out["after"].clone()),
        (json!(4), json!(0))
    );
    assert_eq!(env.sb.with_world(|w| w.c2c_unread("alice", "bob")), 0);
    let audit = env.audit();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0]["result"], "ok");
    assert_eq!(audit[0]["action"], "mark_read");
    assert_eq!(audit[0]["profile"], "default");
    assert_eq!(audit[0]["before"], 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn set_unread_table_output_and_meeting_note() {
    let env = Env::new().await;
    let out = env
        .run(&[
            "set-unread",
            WORK,
            "carol",
            "2",
            "--yes",
            "--format",
            "table",
        ])
        .await
        .ok();
    assert!(
        out.stdout.contains("done: set carol's unread count in"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("unread count: before 0, after 2"),
        "{}",
        out.stdout
    );
    assert_eq!(
        env.sb.with_world(|w| w.unread_count(WORK, "carol")),
        Some(2)
    );
    let out = env
        .run(&["set-unread", MEETING, "bob", "1", "-y"])
        .await
        .ok()
        .json();
    assert!(out["note"].as_str().unwrap().contains("ignore"), "{out}");
}

#[tokio::test(flavor = "multi_thread")]
async fn writes_without_a_terminal_need_yes() {
    let env = Env::new().await;
    let out = env.run(&["set-unread", WORK, "carol", "2"]).await.failed();
    assert!(out.stderr.contains("pass --yes"), "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert_eq!(
        env.sb.with_world(|w| w.unread_count(WORK, "carol")),
        Some(0)
    );
    assert!(env.audit().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn read_only_refuses_and_audits_the_refusal() {
    let env = Env::new().await;
    let out = env
        .run(&["--read-only", "set-unread", WORK, "carol", "2", "--yes"])
        .await
        .failed();
    assert!(out.stderr.contains("read-only"), "{}", out.stderr);
    assert_eq!(
        env.sb.with_world(|w| w.unread_count(WORK, "carol")),
        Some(0)
    );
    let audit = env.audit();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0]["result"], "refused");
    assert_eq!(audit[0]["target"], format!("{WORK}/carol"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_write_is_audited_with_its_code() {
    let env = Env::new().await;
    let out = env
        .run(&["mark-read", "alice", "ghost", "--yes"])
        .await
        .failed();
    assert!(out.stderr.contains("90003"), "{}", out.stderr);
    assert!(out.stderr.contains("PEER_ACCOUNT"), "{}", out.stderr);
    let audit = env.audit();
    assert_eq!(audit[0]["result"], "error");
    assert_eq!(audit[0]["error_code"], 90003);
}
