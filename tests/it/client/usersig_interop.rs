use std::process::Command;

use tim_receipts::usersig;

use super::*;

const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const APP: u64 = 1_400_000_000;
const T: u64 = 1_700_000_000;

/// The Python with the official `tls-sig-api-v2` package; fails loudly without it.
fn python() -> String {
    let candidates: Vec<String> = match std::env::var("TIM_TEST_PYTHON") {
        Ok(p) if !p.is_empty() => vec![p],
        _ => vec![format!("{}/.venv/bin/python", env!("CARGO_MANIFEST_DIR"))],
    };
    for p in &candidates {
        let ok = Command::new(p)
            .args(["-c", "import TLSSigAPIv2"])
            .output()
            .is_ok_and(|o| o.status.success());
        if ok {
            return p.clone();
        }
    }
    panic!(
        "the official UserSig package is needed for the interop tests, but {candidates:?} cannot \
         `import TLSSigAPIv2`. Install it: `python3 -m venv .venv && .venv/bin/pip install \
         tls-sig-api-v2` (in the crate directory), or set TIM_TEST_PYTHON=/path/to/python"
    );
}

fn py(script: &str, args: &[&str]) -> String {
    let out = Command::new(python())
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// gen_sig with the clock pinned to argv[4] (0 = real time).
const GEN: &str = "import sys, time, TLSSigAPIv2\n\
    t = int(sys.argv[4])\n\
    if t: time.time = lambda: t\n\
    print(TLSSigAPIv2.TLSSigAPIv2(int(sys.argv[1]), sys.argv[2]).gen_sig(sys.argv[3], int(sys.argv[5])))";
/// Decode a sig the way the package does (its base64 mapping, zlib, json).
const DECODE: &str = "import sys, json, zlib, TLSSigAPIv2\n\
    print(json.dumps(json.loads(zlib.decompress(TLSSigAPIv2.base64_decode_url(sys.argv[1].encode())))))";

fn gen_python(identifier: &str, time: u64, expire: u64) -> String {
    py(
        GEN,
        &[
            &APP.to_string(),
            KEY,
            identifier,
            &time.to_string(),
            &expire.to_string(),
        ],
    )
}

#[test]
fn their_sig_verifies_with_ours() {
    let sig = gen_python("xiaojun", T, 86_400);
    let doc = usersig::verify(&sig, APP, KEY, "xiaojun", T + 10).expect("verifies");
    assert_eq!((doc.time, doc.expire, doc.sdkappid), (T, 86_400, APP));
    assert_eq!(
        usersig::verify(&sig, APP, "wrong", "xiaojun", T + 10)
            .unwrap_err()
            .service_code(),
        70009
    );
}

#[test]
fn our_sig_decodes_in_python_with_the_same_fields_and_hmac() {
    let ours = usersig::generate_at(APP, KEY, "xiaojun", 15_552_000, T, 6);
    let decoded: serde_json::Value = serde_json::from_str(&py(DECODE, &[&ours])).unwrap();
    assert_eq!(decoded["TLS.ver"], "2.0");
    assert_eq!(decoded["TLS.identifier"], "xiaojun");
    assert_eq!(decoded["TLS.sdkappid"], APP);
    assert_eq!(decoded["TLS.time"], T);
    assert_eq!(decoded["TLS.expire"], 15_552_000);
    let theirs: serde_json::Value =
        serde_json::from_str(&py(DECODE, &[&gen_python("xiaojun", T, 15_552_000)])).unwrap();
    assert_eq!(decoded["TLS.sig"], theirs["TLS.sig"]);
    assert_eq!(
        decoded["TLS.sig"],
        "LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4="
    );
}

#[tokio::test]
async fn the_sandbox_accepts_their_sig() {
    let sb = sandbox().await;
    let sig = py(
        GEN,
        &[
            &sandbox::DEFAULT_SDKAPPID.to_string(),
            sandbox::DEFAULT_KEY,
            sandbox::DEFAULT_ADMIN,
            "0",
            "3600",
        ],
    );
    let url = format!(
        "{}/v4/group_open_http_svc/get_group_info?sdkappid={}&identifier={}&usersig={sig}&random=7&contenttype=json",
        sb.url(),
        sandbox::DEFAULT_SDKAPPID,
        sandbox::DEFAULT_ADMIN
    );
    let body: serde_json::Value = reqwest::Client::new()
        .post(url)
        .json(&serde_json::json!({ "GroupIdList": [WORK] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["ErrorCode"], 0, "{body}");
    assert_eq!(body["GroupInfo"][0]["GroupId"], WORK);
}
