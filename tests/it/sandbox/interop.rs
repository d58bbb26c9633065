use super::common::*;
use serde_json::json;
use std::path::PathBuf;
use std::process::Command;
use tim_receipts::sandbox::{DEFAULT_ADMIN, DEFAULT_KEY, DEFAULT_SDKAPPID};

/// A UserSig from Tencent's official Python package `tls-sig-api-v2`.
fn python_sig(key: &str, identifier: &str) -> String {
    let python = std::env::var_os("TIM_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python"));
    let script = format!(
        "import TLSSigAPIv2\nprint(TLSSigAPIv2.TLSSigAPIv2({DEFAULT_SDKAPPID}, {key:?}).gen_sig({identifier:?}, expire=86400))"
    );
    let out = Command::new(&python).args(["-c", &script]).output();
    match out {
        Ok(o) if o.status.success() => String::from_utf8(o.stdout).unwrap().trim().to_string(),
        other => panic!(
            "cannot run the official UserSig library with {}: {other:?}\n\
             Install it: python3 -m venv .venv && .venv/bin/pip install tls-sig-api-v2\n\
             (or point TIM_TEST_PYTHON at a Python that has the TLSSigAPIv2 module).",
            python.display()
        ),
    }
}

#[tokio::test]
async fn usersigs_from_the_official_python_library_are_accepted() {
    let api = start(small_world()).await;
    let app = DEFAULT_SDKAPPID.to_string();
    let path = "group_open_http_svc/get_group_msg_receipt";
    let body = json!({"GroupId": WAR, "MsgSeqList": [{"MsgSeq": 1}]}).to_string();
    let sig = python_sig(DEFAULT_KEY, DEFAULT_ADMIN);
    let v = api
        .call_raw(&api.url(path, &app, DEFAULT_ADMIN, &sig), &body)
        .await;
    assert_eq!(v["ErrorCode"], 0, "{v}");
    assert_eq!(v["GroupMsgReceiptList"][0]["ReadNum"], 1);
    let bob = python_sig(DEFAULT_KEY, "bob");
    assert_eq!(
        api.call_raw(&api.url(path, &app, "bob", &bob), &body).await["ErrorCode"],
        60010
    );
    let wrong = python_sig("not-the-key", DEFAULT_ADMIN);
    assert_eq!(
        api.call_raw(&api.url(path, &app, DEFAULT_ADMIN, &wrong), &body)
            .await["ErrorCode"],
        70009
    );
}
