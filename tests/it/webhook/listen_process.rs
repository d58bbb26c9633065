//! `tim-receipts listen` as a process: stdout lines, the record file, stderr, the profile.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc as std_mpsc;

use super::*;

/// A running `listen`; killed if the test fails before stopping it.
struct Listen {
    child: Child,
    stdout: std_mpsc::Receiver<String>,
    stderr: std_mpsc::Receiver<String>,
}

impl Drop for Listen {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Lines of a child's pipe, read on a thread.
fn lines(pipe: impl std::io::Read + Send + 'static) -> std_mpsc::Receiver<String> {
    let (tx, rx) = std_mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

fn next_line(rx: &std_mpsc::Receiver<String>, what: &str) -> String {
    rx.recv_timeout(DEADLINE)
        .unwrap_or_else(|e| panic!("no {what} line within the deadline: {e}"))
}

/// `tim-receipts listen --bind 127.0.0.1:0 ARGS` with HOME and the XDG directories in
/// `home` (no real config is read, no log is written outside it) and no TIM_* settings
/// but `env`.
fn spawn_listen(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Listen {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tim-receipts"));
    command
        .args(["listen", "--bind", "127.0.0.1:0"])
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for var in [
        "TIM_SDKAPPID",
        "TIM_WEBHOOK_TOKEN",
        "TIM_PROFILE",
        "TIM_RECEIPTS_CONFIG",
    ] {
        command.env_remove(var);
    }
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().unwrap();
    let stdout = lines(child.stdout.take().unwrap());
    let stderr = lines(child.stderr.take().unwrap());
    Listen {
        child,
        stdout,
        stderr,
    }
}

/// The URL from the first stderr line, which must be `listening on URL`.
fn listening_url(listen: &Listen) -> String {
    let first = next_line(&listen.stderr, "stderr");
    let url = first
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("first stderr line: {first:?}"))
        .to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    url
}

fn wait_exit(listen: &mut Listen) -> ExitStatus {
    let deadline = std::time::Instant::now() + DEADLINE;
    loop {
        if let Some(status) = listen.child.try_wait().unwrap() {
            return status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "listen did not exit in time"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// SIGTERM, a clean exit with 128 + 15, and the rest of stderr.
fn stop(listen: &mut Listen) -> Vec<String> {
    let pid = libc::pid_t::try_from(listen.child.id()).unwrap();
    // SAFETY: plain kill(2) on our own child's pid.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let status = wait_exit(listen);
    assert_eq!(status.code(), Some(143), "exit status {status}");
    listen.stderr.iter().collect()
}

#[tokio::test]
async fn listen_prints_lines_records_and_stops() {
    let home = tempfile::tempdir().unwrap();
    let record = home.path().join("events.jsonl");
    let app = APP.to_string();
    let record_arg = record.to_str().unwrap();
    let mut listen = spawn_listen(
        home.path(),
        &["--sdkappid", &app, "--record", record_arg],
        &[("TIM_WEBHOOK_TOKEN", TOKEN)],
    );
    let url = listening_url(&listen);

    // A refused request prints nothing on stdout; the good one prints two lines.
    let stale = callback_query(
        APP,
        "Group.CallbackAfterReadReceipt",
        Some((TOKEN, now_secs() - 3600)),
    );
    assert_refused(&post(&url, &stale, SEED_SAMPLE).await, 401, 40103, "old");
    let answer = post(&url, &receipt_query_signed(), SEED_SAMPLE).await;
    assert_eq!(answer, (200, ok_envelope()));

    let got: Vec<Value> = (0..2)
        .map(|_| serde_json::from_str(&next_line(&listen.stdout, "stdout")).unwrap())
        .collect();
    let want = |seq: u64| {
        serde_json::json!({"group":"@TGS#2TTV7VSII","type":"Public","seq":seq,"read":1,
            "unread":6,"readers":["user0"],"event_time":1_670_574_414_123u64})
    };
    assert_eq!(got, vec![want(1), want(2)]);

    // The record holds the raw body on one line, written before stdout.
    let recorded = std::fs::read_to_string(&record).unwrap();
    let recorded: Vec<&str> = recorded.lines().collect();
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    let raw: Value = serde_json::from_str(recorded[0]).unwrap();
    assert_eq!(raw, serde_json::from_str::<Value>(SEED_SAMPLE).unwrap());
    assert!(
        recorded[0].starts_with(r#"{"CallbackCommand":"Group.CallbackAfterReadReceipt","GroupId""#)
    );

    let rest = stop(&mut listen);
    assert!(
        rest.iter()
            .any(|l| l.starts_with("refused: RequestTime is") && l.ends_with("(ErrorCode 40103)")),
        "no refusal line on stderr: {rest:?}"
    );
    let summary = rest.iter().find(|l| l.starts_with("stopped:"));
    assert_eq!(
        summary.map(String::as_str),
        Some(
            "stopped: 1 events accepted, 0 other callbacks ignored, 1 requests refused, 0 events dropped, 1 events stored (0 already stored), 0 not stored"
        ),
        "stderr: {rest:?}"
    );
    assert!(!rest.iter().any(|l| l.contains(TOKEN)), "token on stderr");
    assert!(listen.stdout.try_recv().is_err(), "unexpected stdout line");
}

/// The SDKAppID and the token come from the profile like in the other commands.
#[tokio::test]
async fn listen_takes_app_and_token_from_the_profile() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("tim.toml");
    let profile_app = APP + 7;
    std::fs::write(
        &config,
        format!(
            "default_profile = \"ops\"\n[profiles.ops]\nsdkappid = {profile_app}\nwebhook_token_env = \"OPS_HOOK_TOKEN\"\n"
        ),
    )
    .unwrap();
    let mut listen = spawn_listen(
        home.path(),
        &["--config", config.to_str().unwrap()],
        &[("OPS_HOOK_TOKEN", TOKEN)],
    );
    let url = listening_url(&listen);
    let cmd = "Group.CallbackAfterReadReceipt";
    let unsigned = callback_query(profile_app, cmd, None);
    assert_refused(
        &post(&url, &unsigned, SEED_SAMPLE).await,
        401,
        40101,
        "Sign",
    );
    let other_app = callback_query(APP, cmd, Some((TOKEN, now_secs())));
    assert_refused(
        &post(&url, &other_app, SEED_SAMPLE).await,
        403,
        40301,
        "not",
    );
    let good = callback_query(profile_app, cmd, Some((TOKEN, now_secs())));
    assert_eq!(post(&url, &good, SEED_SAMPLE).await, (200, ok_envelope()));
    let line: Value = serde_json::from_str(&next_line(&listen.stdout, "stdout")).unwrap();
    assert_eq!(line["seq"], 1);
    let rest = stop(&mut listen);
    assert!(
        rest.iter().any(|l| l.contains("2 requests refused")),
        "{rest:?}"
    );
}

/// A flood of forged callbacks prints a few refusal lines, then counts the rest: stderr
/// (and the log) cannot be filled by whoever reaches the port.
#[tokio::test]
async fn listen_prints_a_bounded_number_of_refusal_lines() {
    const FORGED: usize = 60;
    let home = tempfile::tempdir().unwrap();
    let app = APP.to_string();
    let mut listen = spawn_listen(
        home.path(),
        &["--sdkappid", &app],
        &[("TIM_WEBHOOK_TOKEN", TOKEN)],
    );
    let url = listening_url(&listen);
    let cmd = "Group.CallbackAfterReadReceipt";
    let now = now_secs();
    for i in 0..FORGED {
        let forged = callback_query(APP, cmd, Some(("guessed-token", now + (i % 3) as u64)));
        assert_eq!(post(&url, &forged, SEED_SAMPLE).await.0, 401);
    }
    let rest = stop(&mut listen);
    let refusals = rest.iter().filter(|l| l.starts_with("refused:")).count();
    assert_eq!(refusals, 5, "{rest:?}");
    let held_back = FORGED - refusals;
    assert!(
        rest.iter().any(|l| l.starts_with(&format!(
            "not printed: {held_back} more receiver warnings were not logged (bad_sign {held_back})"
        ))),
        "{rest:?}"
    );
    let summary = rest.iter().find(|l| l.starts_with("stopped:"));
    assert_eq!(
        summary.map(String::as_str),
        Some(
            format!(
                "stopped: 0 events accepted, 0 other callbacks ignored, {FORGED} requests refused, 0 events dropped, 0 events stored (0 already stored), 0 not stored, {held_back} warning lines not printed"
            )
            .as_str()
        ),
        "{rest:?}"
    );
    // The log file got the same budget.
    let logs = home.path().join("state/tim-receipts/logs");
    let text: String = std::fs::read_dir(&logs)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(text.matches("webhook request refused").count(), 5, "{text}");
}

/// Without any SDKAppID, `listen` refuses to start and says how to fix it.
#[test]
fn listen_without_an_app_says_what_to_do() {
    let home = tempfile::tempdir().unwrap();
    let mut listen = spawn_listen(home.path(), &[], &[]);
    let status = wait_exit(&mut listen);
    assert!(!status.success());
    let err: Vec<String> = listen.stderr.iter().collect();
    let text = err.join("\n");
    assert!(
        text.contains("SDKAppID") && text.contains("--sdkappid") && text.contains("--demo"),
        "{text}"
    );
    assert!(!text.contains("listening on"), "{text}");
}
