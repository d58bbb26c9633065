use super::*;

#[tokio::test(flavor = "multi_thread")]
async fn logs_go_to_a_file_without_secrets() {
    let env = Env::new().await;
    let mut cmd = env.cmd();
    cmd.env("TIM_SECRET_KEY", "wrong-key-for-the-log-test");
    let out = run(cmd, &["--log-level", "trace", "receipts", WORK, "1"])
        .await
        .failed();
    assert!(out.stderr.contains("70009"));
    let out = env
        .run(&[
            "--log-level",
            "trace",
            "set-unread",
            WORK,
            "bob",
            "1",
            "--yes",
        ])
        .await
        .ok();
    assert!(!out.stdout.contains("DEBUG") && !out.stderr.contains("DEBUG"));
    let dir = env.state().join("tim-receipts/logs");
    let mut text = String::new();
    for entry in std::fs::read_dir(&dir).expect("a log directory") {
        text.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    assert!(text.contains("call failed"), "{text}");
    assert!(text.contains("set_unread"), "{text}");
    assert!(!text.contains("wrong-key-for-the-log-test"));
    assert!(!text.contains(sandbox::DEFAULT_KEY));
    assert!(!text.contains("usersig="), "{text}");
    assert!(
        !text.contains("eJ"),
        "a UserSig (zlib+base64 starts eJ) leaked: {text}"
    );
    let out = env.run(&["--log-level", "loud", "config"]).await.failed();
    assert!(out.stderr.contains("unknown log level"), "{}", out.stderr);
}
