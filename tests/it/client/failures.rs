use super::*;

#[tokio::test]
async fn wrong_key_is_70009_with_a_clear_explanation() {
    let sb = sandbox().await;
    let mut config = config(&sb);
    config.secret_key = "not-the-key".into();
    let c = Client::new(config).unwrap();
    let e = c.receipt_counts(WORK, &[1]).await.unwrap_err();
    assert_eq!(code(&e), 70009);
    assert!(!e.is_retryable());
    let line = e.one_line();
    assert!(
        line.contains("secret key") && line.contains("SDKAppID"),
        "{line}"
    );
    assert!(!line.contains("not-the-key"));
    assert_eq!(c.stats().retries, 0);
}

#[tokio::test]
async fn expired_sig_is_70001() {
    let sb = sandbox().await;
    let c = Client::with_tuning(
        config(&sb),
        ClientTuning {
            usersig_expire_secs: 3600,
            clock_offset_secs: -7200,
        },
    )
    .unwrap();
    let e = c.group_info(&[WORK.into()]).await.unwrap_err();
    assert_eq!(code(&e), 70001);
    assert!(e.explain().next_step.contains("clock"));
}

#[tokio::test]
async fn other_app_and_non_admin_identifier() {
    let sb = sandbox().await;
    let mut other = config(&sb);
    other.sdkappid = 1_400_000_999;
    let e = Client::new(other)
        .unwrap()
        .group_info(&[WORK.into()])
        .await
        .unwrap_err();
    assert_eq!(code(&e), 70020);
    let mut not_admin = config(&sb);
    not_admin.identifier = "alice".into();
    let e = Client::new(not_admin)
        .unwrap()
        .group_info(&[WORK.into()])
        .await
        .unwrap_err();
    assert_eq!(code(&e), 60010);
    assert!(e.explain().what.contains("admin"));
}

#[tokio::test]
async fn transient_faults_are_retried_until_success() {
    let sb = sandbox_with(SandboxConfig {
        fail_rate: 0.4,
        fault_kinds: vec![
            FaultKind::Internal,
            FaultKind::BadGateway,
            FaultKind::Truncated,
            FaultKind::FrequencyLimit,
        ],
        ..SandboxConfig::default()
    })
    .await;
    let mut config = config(&sb);
    config.max_attempts = 10;
    let c = Client::new(config).unwrap();
    for _ in 0..15 {
        let counts = c.receipt_counts(WORK, &[1, 3]).await.unwrap();
        assert_eq!(counts[0].read, Some(2));
    }
    let s = c.stats();
    assert!(s.retries > 0, "some calls failed and were retried: {s:?}");
    assert_eq!(s.total_calls, 15 + s.retries);
    assert_eq!(s.failed_calls, 0);
}

#[tokio::test]
async fn each_fault_kind_surfaces_as_its_error_when_retries_run_out() {
    for (kind, check) in [
        (FaultKind::Internal, "10002"),
        (FaultKind::BadGateway, "HTTP 502"),
        (FaultKind::Truncated, "truncated"),
        (FaultKind::FrequencyLimit, "60007"),
    ] {
        let sb = sandbox_with(SandboxConfig {
            fail_rate: 1.0,
            fault_kinds: vec![kind],
            ..SandboxConfig::default()
        })
        .await;
        let mut config = config(&sb);
        config.max_attempts = 2;
        let c = Client::new(config).unwrap();
        let e = c.receipt_counts(WORK, &[1]).await.unwrap_err();
        assert!(e.to_string().contains(check), "{kind:?}: {e}");
        assert!(e.is_retryable());
        assert_eq!(c.stats().retries, 1, "{kind:?}");
        assert_eq!(c.stats().total_calls, 2, "{kind:?}");
    }
}

#[tokio::test]
async fn a_stalled_call_times_out_and_is_retried() {
    let sb = sandbox_with(SandboxConfig {
        fail_rate: 1.0,
        fault_kinds: vec![FaultKind::Stall],
        stall: Duration::from_secs(30),
        ..SandboxConfig::default()
    })
    .await;
    let mut config = config(&sb);
    config.timeout = Duration::from_millis(300);
    config.max_attempts = 2;
    let c = Client::new(config).unwrap();
    let e = c.group_info(&[WORK.into()]).await.unwrap_err();
    assert!(matches!(e, ApiError::Timeout { .. }), "{e:?}");
    assert_eq!(c.stats().retries, 1);
    assert_eq!(c.stats().in_flight, 0);
}

#[tokio::test]
async fn nothing_listening_is_a_transport_error() {
    let sb = sandbox().await;
    let mut config = config(&sb);
    drop(sb);
    config.max_attempts = 1;
    // Give the port a moment to be released is not needed: a refused or reset
    // connection is a transport error either way.
    config.endpoint = "http://127.0.0.1:9".into();
    let e = Client::new(config)
        .unwrap()
        .group_info(&[WORK.into()])
        .await
        .unwrap_err();
    assert!(matches!(e, ApiError::Transport { .. }), "{e:?}");
    assert!(!e.to_string().contains("usersig"), "{e}");
}
