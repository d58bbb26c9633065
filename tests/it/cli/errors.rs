use super::*;

#[tokio::test(flavor = "multi_thread")]
async fn wrong_key_is_one_clear_line() {
    let env = Env::new().await;
    let mut cmd = env.cmd();
    cmd.env("TIM_SECRET_KEY", "definitely-wrong-key");
    let out = run(cmd, &["receipts", WORK, "1"]).await.failed();
    assert_eq!(out.code, 1);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(out.stderr.starts_with("tim-receipts: "), "{}", out.stderr);
    assert!(out.stderr.contains("70009"), "{}", out.stderr);
    assert!(out.stderr.contains("secret key"), "{}", out.stderr);
    assert!(!out.stderr.contains("definitely-wrong-key"));
    assert!(out.stdout.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_group_says_so() {
    let env = Env::new().await;
    let out = env.run(&["messages", "@TGS#NOSUCHGRP"]).await.failed();
    assert!(
        out.stderr.contains("10010") && out.stderr.contains("does not exist"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("tim-receipts groups"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_configuration_points_at_the_fix() {
    let env = Env::new().await;
    let out = run(env.bare(), &["groups"]).await.failed();
    assert!(
        out.stderr.contains("no configuration") && out.stderr.contains("--demo"),
        "{}",
        out.stderr
    );
    let out = run(env.bare(), &["--region", "mars", "groups"])
        .await
        .failed();
    assert!(
        out.stderr.contains("mars") && out.stderr.contains("singapore"),
        "{}",
        out.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_listening_fails_fast_enough_with_a_network_message() {
    let env = Env::new().await;
    let mut cmd = env.cmd();
    cmd.env("TIM_ENDPOINT", "http://127.0.0.1:9");
    let out = run(cmd, &["receipts", WORK, "1"]).await.failed();
    assert!(out.stderr.contains("could not reach"), "{}", out.stderr);
    assert!(!out.stderr.contains("usersig="), "{}", out.stderr);
}
