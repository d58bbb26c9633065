use std::path::Path;
use std::time::Duration;

use portable_pty::CommandBuilder;
use tim_receipts::sandbox::{self, FaultKind, SandboxConfig};

use super::detect::{contains_secret, usersigs};
use crate::common::pty::{self, Output, Pty};

const APP: u64 = 1_400_054_321;
const KEY: &str = "DashK3y-8e2d1c0b9a8f7e6d5c4b3a29180716f5e4d3c2b1a0f9e8d7c6b5a4938271";
const WRONG_KEY: &str = "DashWr0ng-1111aaaa2222bbbb3333cccc4444dddd5555eeee6666ffff77778888";
const TOKEN: &str = "DashT0ken-3c9e1f7a5b2d8046";

/// The dashboard against `endpoint` with `key` and the webhook token, logging at trace
/// level, in an environment holding only what is set here.
fn start(home: &Path, key: &str, endpoint: &str, extra: &[&str]) -> Pty {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_tim-receipts"));
    cmd.env_clear();
    pty::base_env(&mut cmd, home);
    cmd.env("TIM_SECRET_KEY", key);
    cmd.env("TIM_SDKAPPID", APP.to_string());
    cmd.env("TIM_IDENTIFIER", "administrator");
    cmd.env("TIM_WEBHOOK_TOKEN", TOKEN);
    cmd.args(["--log-level", "trace", "--endpoint", endpoint]);
    cmd.args(extra);
    Pty::spawn(cmd, Output::default())
}

/// Quit, wait, and return the screen and every byte written.
fn quit(mut d: Pty) -> (String, String) {
    d.send("q");
    d.wait_exit();
    (d.text(), String::from_utf8_lossy(&d.raw()).into_owned())
}

#[test]
fn dashboard_shows_and_logs_no_key_usersig_or_token() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let config = SandboxConfig {
        sdkappid: APP,
        key: KEY.to_string(),
        ..SandboxConfig::default()
    };
    let good = rt.block_on(sandbox::start(config.clone())).unwrap();
    let faulty = rt
        .block_on(sandbox::start(SandboxConfig {
            fail_rate: 0.5,
            fault_kinds: FaultKind::ALL.to_vec(),
            stall: Duration::from_secs(3),
            seed: 11,
            ..config
        }))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let mut evidence: Vec<(String, String)> = Vec::new();

    // 1. The right key, the receiver on, a confirmed write, webhooks good and bad.
    let mut d = start(home, KEY, &good.url(), &["--webhook-listen", "127.0.0.1:0"]);
    d.wait_until("the groups", |t| {
        t.contains("Ops War Room") && t.contains("Company all-hands")
    });
    d.send("\r");
    d.wait_until("counts", |t| t.contains(" ██"));
    d.send("\r");
    d.wait_until("member rows", |t| {
        t.contains("┏ Members") && t.contains(" loaded") && !t.contains("loading members")
    });
    d.send("U");
    d.wait_until("the current count", |t| t.contains("(read up to seq"));
    // 1, Enter onto [ No ], → onto [ Yes ], Enter: the one send gesture.
    d.send("1\r\x1b[C\r");
    d.wait_until("the write's result", |t| t.contains("audit log"));
    d.send("\x1b");
    d.wait_until("the dialog to close", |t| {
        !t.contains("Set a member's unread count")
    });
    d.send("E");
    let screen = d.wait_until("the receiver", |t| t.contains("webhook on 127.0.0.1:"));
    let at = screen.find("webhook on 127.0.0.1:").unwrap() + "webhook on ".len();
    let addr: String = screen[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ':')
        .collect();
    let now = tim_receipts::usersig::now_unix();
    let body = r#"{"CallbackCommand":"Group.CallbackAfterReadReceipt","GroupId":"@TGS#1OPSWARROOM","Type":"Work","GroupMsgReceiptList":[{"MsgSeq":15,"ReadNum":100,"UnreadNum":79,"ReadReceiptMembers":[{"Member_Account":"nora.ops"}]}],"EventTime":1670574414123}"#;
    let statuses: Vec<u16> = rt.block_on(async {
            let http = reqwest::Client::builder().no_proxy().build().unwrap();
            let mut out = Vec::new();
            for sign in [
                tim_receipts::webhook::sign("not the token", now),
                tim_receipts::webhook::sign(TOKEN, now),
            ] {
                let url = format!(
                    "http://{addr}/?SdkAppid={APP}&CallbackCommand=Group.CallbackAfterReadReceipt\
                     &contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI&Sign={sign}&RequestTime={now}"
                );
                let r = http.post(url).body(body).send().await.unwrap();
                out.push(r.status().as_u16());
            }
            out
        });
    assert_eq!(statuses, [401, 200], "the receiver checked the signatures");
    d.wait_until("the event counted", |t| t.contains("● live 1"));
    let (screen, raw) = quit(d);
    evidence.push(("screen, right key".into(), screen));
    evidence.push(("pty bytes, right key".into(), raw));

    // 2. The wrong key: 70009 in words.
    let mut d = start(home, WRONG_KEY, &good.url(), &[]);
    d.wait_until("the signature error", |t| t.contains("do not match"));
    let (screen, raw) = quit(d);
    evidence.push(("screen, wrong key".into(), screen));
    evidence.push(("pty bytes, wrong key".into(), raw));

    // 3. A sandbox failing half the calls in every way, with a 1 s client timeout.
    let profile = home.join("faulty.toml");
    std::fs::write(&profile, "[profiles.default]\ntimeout_secs = 1\n").unwrap();
    let mut d = start(
        home,
        KEY,
        &faulty.url(),
        &["--config", profile.to_str().unwrap()],
    );
    d.wait_until("calls failing or done", |t| {
        t.contains("failed") || t.contains("r to retry") || t.contains("Ops War Room")
    });
    d.send("\r");
    let (screen, raw) = quit(d);
    evidence.push(("screen, faulty sandbox".into(), screen));
    evidence.push(("pty bytes, faulty sandbox".into(), raw));
    rt.block_on(good.shutdown());
    rt.block_on(faulty.shutdown());

    // Logs and the audit log.
    let mut files = Vec::new();
    let mut stack = vec![home.join("state")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                files.push(e.path());
            }
        }
    }
    for f in &files {
        let text = String::from_utf8_lossy(&std::fs::read(f).unwrap()).into_owned();
        evidence.push((f.display().to_string(), text));
    }
    let all = |part: &str| -> String {
        evidence
            .iter()
            .filter(|(n, _)| n.contains(part))
            .map(|(_, t)| t.as_str())
            .collect()
    };
    // The evidence is worth something only if logging was verbose and things happened.
    let logs = all("/logs/");
    for expected in ["signed a new UserSig", "70009", "DEBUG"] {
        assert!(logs.contains(expected), "the log has no {expected:?}");
    }
    assert!(
        all("audit.jsonl").contains("\"result\":\"ok\""),
        "the write was audited"
    );

    let mut leaks = Vec::new();
    for (name, text) in &evidence {
        for (what, secret) in [("key", KEY), ("wrong key", WRONG_KEY), ("token", TOKEN)] {
            if contains_secret(text, secret) {
                leaks.push(format!("{name}: the {what}"));
            }
        }
        for sig in usersigs(text) {
            leaks.push(format!("{name}: a UserSig {}…", &sig[..sig.len().min(24)]));
        }
    }
    assert!(leaks.is_empty(), "secrets leaked:\n{}", leaks.join("\n"));
}
