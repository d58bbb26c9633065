use super::*;

fn profile_text(env: &Env, key_line: &str) -> String {
    format!(
        "default_profile = \"sb\"\n\n[profiles.sb]\nsdkappid = {}\nidentifier = \"{}\"\nendpoint = \"{}\"\n{key_line}\nbudget = 10\n",
        sandbox::DEFAULT_SDKAPPID,
        sandbox::DEFAULT_ADMIN,
        env.sb.url()
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_profile_with_a_key_file_works_and_config_redacts() {
    let env = Env::new().await;
    let cfg = env.home.path().join("config/tim-receipts/config.toml");
    write_file(
        &cfg,
        &profile_text(&env, "secret_key_file = \"sb.key\""),
        0o644,
    );
    let key = env.home.path().join("config/tim-receipts/sb.key");
    write_file(&key, &format!("{}\n", sandbox::DEFAULT_KEY), 0o600);
    let out = run(env.bare(), &["receipts", WORK, "1"]).await.ok();
    assert_eq!(out.json()[0]["read"], 2);

    let out = run(env.bare(), &["config"]).await.ok();
    assert!(!out.stdout.contains(sandbox::DEFAULT_KEY));
    assert!(out.stdout.contains("<redacted>"), "{}", out.stdout);
    assert!(out.stdout.contains(&cfg.display().to_string()));
    assert!(
        out.stdout.contains("sb (profile default_profile)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("10 calls/s (profile sb.budget)"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("audit.jsonl"));

    // Environment beats the profile, flags beat the environment.
    let mut cmd = env.bare();
    cmd.env("TIM_IDENTIFIER", "someone");
    let out = run(cmd, &["config", "--identifier", "flagged"]).await.ok();
    assert!(
        out.stdout.contains("flagged (flag --identifier)"),
        "{}",
        out.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_key_bearing_config_others_can_read_is_refused() {
    let env = Env::new().await;
    let cfg = env.home.path().join("c.toml");
    let line = format!("secret_key = \"{}\"", sandbox::DEFAULT_KEY);
    write_file(&cfg, &profile_text(&env, &line), 0o644);
    let path = cfg.display().to_string();
    let out = run(env.bare(), &["--config", &path, "groups"])
        .await
        .failed();
    assert!(
        out.stderr.contains(&format!("chmod 600 {path}")),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains(sandbox::DEFAULT_KEY));
    write_file(&cfg, &profile_text(&env, &line), 0o600);
    let mut cmd = env.bare();
    cmd.env("TIM_RECEIPTS_CONFIG", &path);
    run(cmd, &["receipts", WORK, "1"]).await.ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_malformed_config_is_one_line_naming_the_field() {
    let env = Env::new().await;
    let cfg = env.home.path().join("bad.toml");
    write_file(&cfg, "[profiles.default]\nsdkappid = \"twelve\"\n", 0o600);
    let out = run(env.bare(), &["--config", cfg.to_str().unwrap(), "config"])
        .await
        .failed();
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(out.stderr.contains("line 2"), "{}", out.stderr);
    assert!(
        out.stderr.contains("profiles.default.sdkappid"),
        "{}",
        out.stderr
    );
}
