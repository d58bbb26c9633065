use super::*;

#[tokio::test(flavor = "multi_thread")]
async fn every_read_subcommand_works_on_the_demo() {
    let env = Env::new().await;
    let groups = run(env.bare(), &["--demo", "groups"]).await.ok().json();
    let ids: Vec<&str> = groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&sandbox::DEMO_WAR_ROOM), "{ids:?}");
    let msgs = run(
        env.bare(),
        &["--demo", "messages", sandbox::DEMO_WAR_ROOM, "--limit", "5"],
    )
    .await
    .ok()
    .json();
    let with_receipt = msgs
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["code"] == 0)
        .expect("the war room has a message with a receipt")
        .clone();
    let seq = with_receipt["seq"].to_string();
    let counts = run(
        env.bare(),
        &["--demo", "receipts", sandbox::DEMO_WAR_ROOM, &seq],
    )
    .await
    .ok()
    .json();
    assert_eq!(counts[0]["read"], with_receipt["read"]);
    let read = run(
        env.bare(),
        &["--demo", "members", sandbox::DEMO_WAR_ROOM, &seq, "--read"],
    )
    .await
    .ok()
    .json();
    assert_eq!(
        Some(read.as_array().unwrap().len() as u64),
        with_receipt["read"].as_u64()
    );
    let out = run(env.bare(), &["--demo", "config"]).await.ok();
    assert!(out.stdout.contains("demo"), "{}", out.stdout);
    let sig = run(env.bare(), &["--demo", "usersig", "gen"]).await.ok();
    run(
        env.bare(),
        &["--demo", "usersig", "inspect", sig.stdout.trim()],
    )
    .await
    .ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn writes_work_on_the_demo_too() {
    let env = Env::new().await;
    // Find, in the same demo world, a colleague nora.ops has unread 1:1 messages from.
    let w = World::demo(sandbox::DEFAULT_SEED);
    let (peer, unread) = w
        .members(sandbox::DEMO_ALL_HANDS)
        .unwrap()
        .into_iter()
        .map(|m| {
            let n = w.c2c_unread(sandbox::DEMO_C2C_USER, &m);
            (m, n)
        })
        .find(|(_, n)| *n > 0)
        .expect("nora.ops has unread 1:1 messages from a colleague");
    let out = run(
        env.bare(),
        &[
            "--demo",
            "mark-read",
            sandbox::DEMO_C2C_USER,
            &peer,
            "--yes",
        ],
    )
    .await
    .ok()
    .json();
    assert_eq!(out["before"], unread);
    assert_eq!(out["after"], 0);
    let audit = env.audit();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0]["profile"], "demo");
    assert_eq!(audit[0]["result"], "ok");
    let out = run(
        env.bare(),
        &[
            "--demo",
            "--read-only",
            "set-unread",
            sandbox::DEMO_WAR_ROOM,
            &peer,
            "1",
            "--yes",
        ],
    )
    .await
    .failed();
    assert!(out.stderr.contains("read-only"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn groups_over_the_receipt_cap_say_so_on_stderr() {
    const CAP: &str = "read receipts work only in groups of up to 200 members";
    let env = Env::new().await;
    // The 6,000-member all-hands: its announcements asked for receipts and got none.
    let out = run(
        env.bare(),
        &[
            "--demo",
            "messages",
            sandbox::DEMO_ALL_HANDS,
            "--limit",
            "5",
        ],
    )
    .await
    .ok();
    let msgs = out.json();
    let msgs = msgs.as_array().unwrap();
    assert_eq!(msgs.len(), 5);
    assert!(
        msgs.iter()
            .all(|m| m["code"] == 10062 && m["read"].is_null()),
        "{msgs:?}"
    );
    assert_eq!(out.stderr.matches(CAP).count(), 1, "once: {}", out.stderr);
    assert!(out.stderr.contains("6,000 members"), "{}", out.stderr);
    let seqs: Vec<String> = msgs.iter().map(|m| m["seq"].to_string()).collect();
    let out = run(
        env.bare(),
        &[
            "--demo",
            "receipts",
            sandbox::DEMO_ALL_HANDS,
            &seqs.join(","),
        ],
    )
    .await
    .ok();
    let counts = out.json();
    assert!(
        counts
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["code"] == 10062),
        "{counts}"
    );
    assert_eq!(out.stderr.matches(CAP).count(), 1, "{}", out.stderr);
    // The on-call rota at exactly 200 members has receipts and says nothing of the cap.
    let out = run(
        env.bare(),
        &["--demo", "messages", sandbox::DEMO_ON_CALL, "--limit", "10"],
    )
    .await
    .ok();
    assert!(
        out.json()
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["code"] == 0 && m["read"].is_u64()),
        "{}",
        out.stdout
    );
    assert!(!out.stderr.contains(CAP), "{}", out.stderr);
}
