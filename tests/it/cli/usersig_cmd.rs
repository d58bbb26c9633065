use super::*;
use tim_receipts::usersig;

#[tokio::test(flavor = "multi_thread")]
async fn gen_then_inspect_round_trips() {
    let env = Env::new().await;
    let sig = env.run(&["usersig", "gen", "--expire", "600"]).await.ok();
    let sig = sig.stdout.trim().to_string();
    assert!(!sig.contains(sandbox::DEFAULT_KEY));
    let doc = usersig::verify(
        &sig,
        sandbox::DEFAULT_SDKAPPID,
        sandbox::DEFAULT_KEY,
        sandbox::DEFAULT_ADMIN,
        usersig::now_unix(),
    )
    .unwrap();
    assert_eq!(doc.expire, 600);
    let out = env.run(&["usersig", "inspect", &sig]).await.ok();
    assert!(out.stdout.contains("result      VALID"), "{}", out.stdout);
    assert!(
        out.stdout.contains("identifier  administrator"),
        "{}",
        out.stdout
    );

    // From stdin, with the wrong key configured: the signature check fails.
    let mut cmd = env.cmd();
    cmd.env("TIM_SECRET_KEY", "other").stdin(Stdio::piped());
    cmd.args(["usersig", "inspect", "-"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    {
        use tokio::io::AsyncWriteExt;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(sig.as_bytes()).await.unwrap();
    }
    let out = tokio::time::timeout(DEADLINE, child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout.contains("signature   FAILED"), "{stdout}");
    assert!(stdout.contains("70009"), "{stdout}");
    assert!(stdout.contains("failing check: signature"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread")]
async fn inspect_names_each_failing_check() {
    let env = Env::new().await;
    let old = usersig::generate_at(
        sandbox::DEFAULT_SDKAPPID,
        sandbox::DEFAULT_KEY,
        "alice",
        60,
        1_700_000_000,
        6,
    );
    let out = env.run(&["usersig", "inspect", &old]).await.failed();
    assert!(out.stdout.contains("identifier  FAILED"), "{}", out.stdout);
    assert!(out.stdout.contains("70013"), "{}", out.stdout);
    assert!(out.stdout.contains("expiry      FAILED"), "{}", out.stdout);
    assert!(out.stdout.contains("70001"), "{}", out.stdout);
    assert!(out.stdout.contains("signature   ok"), "{}", out.stdout);
    assert!(
        out.stdout.contains("failing check: identifier, expiry"),
        "{}",
        out.stdout
    );
    let out = env.run(&["usersig", "inspect", "not-a-sig"]).await.failed();
    assert!(out.stdout.contains("decode      FAILED"), "{}", out.stdout);
    // No configuration: the fields still show, the checks cannot pass.
    let good = usersig::generate(1, "k", "x", 100);
    let out = run(env.bare(), &["usersig", "inspect", &good])
        .await
        .failed();
    assert!(out.stdout.contains("identifier  x"), "{}", out.stdout);
    assert!(out.stdout.contains("not checked"), "{}", out.stdout);
}
