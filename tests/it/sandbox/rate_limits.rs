use super::common::*;
use serde_json::json;
use std::time::Duration;
use tim_receipts::sandbox::{RateLimits, SandboxConfig};

#[test]
fn defaults_are_the_vendor_limits() {
    let d = SandboxConfig::default().rate_limits;
    assert_eq!(
        d,
        RateLimits {
            per_api: 200,
            group_list: 1,
            window: Duration::from_secs(1)
        }
    );
}

#[tokio::test]
async fn over_the_limit_gets_60007_per_api_never_a_dropped_connection() {
    let cfg = SandboxConfig {
        rate_limits: RateLimits {
            per_api: 200,
            group_list: 1,
            window: Duration::from_secs(3600),
        },
        ..config()
    };
    let api = start_with(cfg, small_world()).await;
    let calls = (0..300).map(|_| {
        api.call(
            "group_open_http_svc/get_group_msg_receipt",
            json!({"GroupId": WAR, "MsgSeqList": [{"MsgSeq": 1}]}),
        )
    });
    let results = futures::future::join_all(calls).await;
    let ok = results.iter().filter(|v| v["ErrorCode"] == 0).count();
    let limited = results.iter().filter(|v| v["ErrorCode"] == 60007).count();
    assert_eq!((ok, limited), (200, 100));
    // Other APIs have their own budget.
    api.ok(
        "group_open_http_svc/get_group_info",
        json!({"GroupIdList": [WAR]}),
    )
    .await;
    // get_appid_group_list: one call per window.
    api.ok("group_open_http_svc/get_appid_group_list", json!({}))
        .await;
    let info = api
        .fails("group_open_http_svc/get_appid_group_list", json!({}), 60007)
        .await;
    assert!(info.contains("frequency"), "{info}");
}
