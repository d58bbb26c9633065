//! `timeline` and `import` as processes: the timeline matches the events posted to a
//! receiver (with the read list's "read, time unknown" members added), ranges, CSV, and
//! importing twice adds nothing.

use std::path::PathBuf;
use std::process::Stdio;

use serde_json::json;
use tim_receipts::api::GroupType;
use tim_receipts::sandbox::{self, Sandbox, SandboxConfig, World};
use tim_receipts::store::{Store, StoreOptions};
use tim_receipts::webhook::ReceiverConfig;

use super::*;

const GROUP: &str = "@TGS#1TIMELINE";

/// A sandbox where alice's message 1 has a receipt that bob and carol have read.
async fn sandbox() -> Sandbox {
    let mut w = World::new();
    {
        let mut g = w.add_group(GROUP, GroupType::Work, &["alice", "bob", "carol", "dave"]);
        g.post("alice", "deploy at 10", true);
        g.read_up_to("bob", 1);
        g.read_up_to("carol", 1);
    }
    w.set_nick("carol", "卡罗尔 Carol 🌷");
    sandbox::start_with_world(SandboxConfig::default(), w)
        .await
        .unwrap()
}

/// Post `bodies` to a receiver storing into `dir` for app `app`, each answered 200.
async fn post_all(dir: &Path, app: u64, bodies: &[String]) {
    let store = Store::open(
        &dir.join(format!("{app}.sqlite3")),
        app,
        StoreOptions::default(),
    )
    .unwrap();
    let (tx, _rx) = tokio::sync::mpsc::channel(64);
    let config = ReceiverConfig {
        sdkappid: app,
        token: Some(TOKEN.into()),
        store: Some(store),
        ..ReceiverConfig::default()
    };
    let receiver = webhook::start(config, "127.0.0.1:0".parse().unwrap(), tx)
        .await
        .unwrap();
    let client = http();
    for b in bodies {
        let query = signed_query(TOKEN).replace(&APP.to_string(), &app.to_string());
        let answer = client
            .post(format!("{}/?{query}", receiver.url()))
            .body(b.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status().as_u16(), 200);
    }
    receiver.shutdown().await;
}

/// `tim-receipts ARGS --store-dir DIR` with a private home; `sandbox` configures the API.
async fn run(
    home: &Path,
    dir: &Path,
    sandbox: Option<&Sandbox>,
    args: &[&str],
) -> (String, String) {
    let mut c = tokio::process::Command::new(env!("CARGO_BIN_EXE_tim-receipts"));
    for (k, _) in std::env::vars() {
        if k.starts_with("TIM_") || k.starts_with("XDG_") {
            c.env_remove(k);
        }
    }
    c.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .args(args)
        .arg("--store-dir")
        .arg(dir)
        .stdin(Stdio::null())
        .kill_on_drop(true);
    if let Some(sb) = sandbox {
        c.env("TIM_ENDPOINT", sb.url())
            .env("TIM_SDKAPPID", sandbox::DEFAULT_SDKAPPID.to_string())
            .env("TIM_IDENTIFIER", sandbox::DEFAULT_ADMIN)
            .env("TIM_SECRET_KEY", sandbox::DEFAULT_KEY);
    }
    let out = tokio::time::timeout(DEADLINE, c.output())
        .await
        .unwrap()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(out.status.success(), "{args:?}: {stderr}\n{stdout}");
    (stdout, stderr)
}

fn json_of(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timeline_matches_the_events_posted() {
    let sb = sandbox().await;
    let home = tempfile::tempdir().unwrap();
    let dir: PathBuf = home.path().join("stores");
    let app = sandbox::DEFAULT_SDKAPPID;
    post_all(
        &dir,
        app,
        &[
            body(GROUP, 1, &["carol", "dave"], T0 + 1_000),
            body(GROUP, 1, &["carol"], T0 + 500),
            body(GROUP, 1, &["carol", "dave"], T0 + 1_000),
            body(GROUP, 3, &["alice"], T0 + 9_000),
        ],
    )
    .await;

    // The store's reads, earliest first; bob from the read list: read, time unknown.
    let (out, _) = run(
        home.path(),
        &dir,
        Some(&sb),
        &["timeline", GROUP, "1", "--format", "json"],
    )
    .await;
    let rows = json_of(&out);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(
        rows[0],
        json!({"seq":1,"account":"carol","nick":"卡罗尔 Carol 🌷","read_at":"2023-11-14T22:13:20.5Z","source":"webhook"})
    );
    // Every account's nickname was looked up (one `portrait_get`); none set is "".
    assert_eq!(rows[1]["nick"], "");
    assert_eq!(rows[1]["account"], "dave");
    assert_eq!(rows[1]["read_at"], "2023-11-14T22:13:21Z");
    assert_eq!(rows[2]["account"], "bob");
    assert_eq!(rows[2]["source"], "receipt");
    assert_eq!(rows[2]["read_at"], Value::Null);
    assert!(rows[2]["read_before"].as_str().unwrap().ends_with('Z'));

    // Offline: the store alone, no API needed.
    let (out, _) = run(
        home.path(),
        &dir,
        None,
        &[
            "timeline",
            GROUP,
            "1",
            "--offline",
            "--format",
            "json",
            "--sdkappid",
            &app.to_string(),
        ],
    )
    .await;
    let accounts: Vec<Value> = json_of(&out)
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["account"].clone())
        .collect();
    assert_eq!(accounts, vec![json!("carol"), json!("dave")]);

    // The incident window: every message of the group, in time order. No configuration
    // here: the store's reads alone, and stderr says why there are no nicknames.
    let (out, err) = run(
        home.path(),
        &dir,
        None,
        &[
            "timeline",
            GROUP,
            "--since",
            "2023-11-14T22:13:20.4Z",
            "--until",
            "1700000005",
            "--format",
            "csv",
            "--sdkappid",
            &app.to_string(),
        ],
    )
    .await;
    assert_eq!(
        out,
        format!(
            "group_id,seq,account,nick,read_at,read_after,read_before,source\n\
             {GROUP},1,carol,,2023-11-14T22:13:20.5Z,,,webhook\n\
             {GROUP},1,dave,,2023-11-14T22:13:21Z,,,webhook\n"
        )
    );
    assert!(err.contains("no nicknames"), "{err}");
    // With the service, the window's readers get their nicknames too; the table shows them
    // by display width.
    let (out, _) = run(
        home.path(),
        &dir,
        Some(&sb),
        &["timeline", GROUP, "--format", "table"],
    )
    .await;
    let carol = out
        .lines()
        .find(|l| l.contains("carol"))
        .unwrap_or_default();
    assert!(carol.contains("卡罗尔 Carol 🌷"), "{out}");
    let header = out.lines().next().unwrap_or_default();
    let read_at = |l: &str| {
        l.find("webhook")
            .map(|i| tim_receipts::text::width(&l[..i]))
    };
    assert_eq!(read_at(carol), header.find("SOURCE"), "{out}");
    let (out, _) = run(
        home.path(),
        &dir,
        None,
        &[
            "timeline",
            GROUP,
            "--format",
            "table",
            "--sdkappid",
            &app.to_string(),
        ],
    )
    .await;
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "SEQ  ACCOUNT  NAME  SOURCE   READ AT (UTC)");
    assert_eq!(
        lines[1],
        "  1  carol          webhook  2023-11-14 22:13:20.500"
    );
    assert_eq!(
        lines[3],
        "  3  alice          webhook  2023-11-14 22:13:29.000"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_adds_a_record_once() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("stores");
    let seen = body("@TGS#rec", 4, &["ann"], T0);
    // The receiver stored this one already.
    post_all(&dir, APP, std::slice::from_ref(&seen)).await;
    let pretty: Value = serde_json::from_str(&body("@TGS#rec", 4, &["bob"], T0 + 60_000)).unwrap();
    let record = home.path().join("receipts.jsonl");
    std::fs::write(
        &record,
        format!(
            "{seen}\n{}\n{}\nnot json\n{}\n\n",
            serde_json::to_string(&pretty).unwrap(),
            serde_json::to_string(&pretty).unwrap(),
            r#"{"CallbackCommand":"Group.CallbackAfterReadReceipt","GroupId":"@TGS#rec","GroupMsgReceiptList":[]}"#,
        ),
    )
    .unwrap();
    let app = APP.to_string();
    let args = [
        "import",
        record.to_str().unwrap(),
        "--format",
        "json",
        "--sdkappid",
        &app,
    ];
    let (out, _) = run(home.path(), &dir, None, &args).await;
    let report = json_of(&out);
    assert_eq!(
        (
            &report["lines"],
            &report["added"],
            &report["repeats"],
            &report["skipped"]
        ),
        (&json!(5), &json!(1), &json!(2), &json!(2)),
        "{report}"
    );
    assert!(
        report["skipped_lines"][0]
            .as_str()
            .unwrap()
            .starts_with("line 4: ")
    );
    assert_eq!(report["skipped_lines"][1], "line 5: no EventTime");

    let (out, _) = run(home.path(), &dir, None, &args).await;
    let again = json_of(&out);
    assert_eq!((&again["added"], &again["repeats"]), (&json!(0), &json!(3)));

    let path = dir.join(format!("{APP}.sqlite3"));
    assert_eq!(rows_in(&path, "events"), 2);
    let (out, _) = run(
        home.path(),
        &dir,
        None,
        &[
            "timeline",
            "@TGS#rec",
            "4",
            "--offline",
            "--format",
            "json",
            "--sdkappid",
            &app,
        ],
    )
    .await;
    let sources: Vec<(Value, Value)> = json_of(&out)
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["account"].clone(), r["source"].clone()))
        .collect();
    assert_eq!(
        sources,
        vec![
            (json!("ann"), json!("webhook")),
            (json!("bob"), json!("import"))
        ]
    );
}
