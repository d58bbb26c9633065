use super::common::*;
use serde_json::json;
use std::time::{Duration, Instant};
use tim_receipts::sandbox::{FaultKind, SandboxConfig};

fn faulty(kinds: &[FaultKind], rate: f64) -> SandboxConfig {
    SandboxConfig {
        fail_rate: rate,
        fault_kinds: kinds.to_vec(),
        stall: Duration::from_millis(300),
        ..config()
    }
}

async fn raw_info(api: &Api) -> (u16, String) {
    let url = api.url(
        "group_open_http_svc/get_group_info",
        &tim_receipts::sandbox::DEFAULT_SDKAPPID.to_string(),
        tim_receipts::sandbox::DEFAULT_ADMIN,
        &api.sig,
    );
    let resp = api
        .post_raw(&url, json!({"GroupIdList": [WAR]}).to_string())
        .await;
    let status = resp.status().as_u16();
    (status, resp.text().await.unwrap())
}

#[tokio::test]
async fn each_fault_mode_over_http() {
    let api = start_with(faulty(&[FaultKind::Internal], 1.0), small_world()).await;
    let (status, body) = raw_info(&api).await;
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["ErrorCode"],
        10002
    );

    let api = start_with(faulty(&[FaultKind::BadGateway], 1.0), small_world()).await;
    assert_eq!(raw_info(&api).await.0, 502);

    let api = start_with(faulty(&[FaultKind::Truncated], 1.0), small_world()).await;
    let (status, body) = raw_info(&api).await;
    assert_eq!(status, 200);
    assert!(body.starts_with('{') && body.len() > 10, "{body}");
    assert!(
        serde_json::from_str::<serde_json::Value>(&body).is_err(),
        "still JSON: {body}"
    );

    let api = start_with(faulty(&[FaultKind::FrequencyLimit], 1.0), small_world()).await;
    let (_, body) = raw_info(&api).await;
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["ErrorCode"],
        60007
    );
}

#[tokio::test]
async fn a_stall_outlasts_a_short_client_timeout_then_answers() {
    let mut cfg = faulty(&[FaultKind::Stall], 1.0);
    cfg.stall = Duration::from_secs(30);
    let api = start_with(cfg, small_world()).await;
    let short = reqwest::Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let url = api.url(
        "group_open_http_svc/get_group_info",
        "1400000000",
        "administrator",
        &api.sig,
    );
    let err = short
        .post(&url)
        .body(json!({"GroupIdList": [WAR]}).to_string())
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");
    // A short stall answers normally.
    let api = start_with(faulty(&[FaultKind::Stall], 1.0), small_world()).await;
    let started = Instant::now();
    api.ok(
        "group_open_http_svc/get_group_info",
        json!({"GroupIdList": [WAR]}),
    )
    .await;
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn mixed_faults_are_seeded_and_leave_successes() {
    let kinds = [
        FaultKind::Internal,
        FaultKind::BadGateway,
        FaultKind::Truncated,
        FaultKind::FrequencyLimit,
    ];
    let mut outcomes = Vec::new();
    for _ in 0..2 {
        let api = start_with(faulty(&kinds, 0.5), small_world()).await;
        let mut seen = Vec::new();
        for _ in 0..200 {
            let (status, body) = raw_info(&api).await;
            seen.push(
                match (status, serde_json::from_str::<serde_json::Value>(&body)) {
                    (502, _) => "502".to_string(),
                    (_, Err(_)) => "truncated".to_string(),
                    (_, Ok(v)) => v["ErrorCode"].to_string(),
                },
            );
        }
        outcomes.push(seen);
    }
    assert_eq!(outcomes[0], outcomes[1], "same seed, same faults");
    for kind in ["0", "10002", "502", "truncated", "60007"] {
        assert!(
            outcomes[0].iter().any(|o| o == kind),
            "{kind} never happened"
        );
    }
}

#[tokio::test]
async fn latency_is_added_and_bad_rates_are_refused() {
    let cfg = SandboxConfig {
        latency: Duration::from_millis(150),
        jitter: Duration::from_millis(50),
        ..config()
    };
    let api = start_with(cfg, small_world()).await;
    let started = Instant::now();
    api.ok(
        "group_open_http_svc/get_group_info",
        json!({"GroupIdList": [WAR]}),
    )
    .await;
    assert!(started.elapsed() >= Duration::from_millis(150));
    let bad = SandboxConfig {
        fail_rate: 1.5,
        ..config()
    };
    let err = tim_receipts::sandbox::start_with_world(bad, small_world())
        .await
        .err()
        .unwrap();
    assert!(err.to_string().contains("between 0 and 1"), "{err}");
}
