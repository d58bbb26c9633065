//! The Group.CallbackAfterReadReceipt receiver over real HTTP on loopback, `listen` as a
//! process, and a property test of the body parser.
//!
//! Run: `cargo test --test webhook`.

use std::time::Duration;

use serde_json::Value;
use tim_receipts::webhook::{self, ReceiptEvent, ReceiverConfig};
use tokio::sync::mpsc;

const APP: u64 = 1_400_000_123;
const TOKEN: &str = "e10adc3949ba59abbe56e057f20f883e";
/// Generous bound for anything to arrive on a loaded 2-core machine.
const DEADLINE: Duration = Duration::from_secs(20);

/// The seed's sample request (003), made valid JSON: the comma after `"UnreadNum": 6` is
/// added and the comments are removed. Layout kept multi-line like the page.
const SEED_SAMPLE: &str = r#"{
"CallbackCommand": "Group.CallbackAfterReadReceipt",
"GroupId": "@TGS#2TTV7VSII",
"Type": "Public",
"GroupMsgReceiptList": [
{
"MsgSeq": 1,
"ReadNum": 1,
"UnreadNum": 6,
"ReadReceiptMembers":[
{
"Member_Account":"user0"
}
]
},
{
"MsgSeq": 2,
"ReadNum": 1,
"UnreadNum": 6,
"ReadReceiptMembers":[
{
"Member_Account":"user0"
}
]
}
],
"EventTime":"1670574414123"
}"#;

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The query the service puts on the callback URL; signed with `token` at `time` if given.
fn callback_query(app: u64, command: &str, signed: Option<(&str, u64)>) -> String {
    let mut query = format!(
        "SdkAppid={app}&CallbackCommand={command}&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI"
    );
    if let Some((token, time)) = signed {
        let sign = webhook::sign(token, time);
        query.push_str(&format!("&Sign={sign}&RequestTime={time}"));
    }
    query
}

fn receipt_query_signed() -> String {
    callback_query(
        APP,
        "Group.CallbackAfterReadReceipt",
        Some((TOKEN, now_secs())),
    )
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(DEADLINE)
        .build()
        .unwrap()
}

/// POST `body` to `url?query`; the HTTP status and the JSON answer.
async fn post(url: &str, query: &str, body: impl Into<reqwest::Body>) -> (u16, Value) {
    let response = http()
        .post(format!("{url}/?{query}"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, json)
}

fn ok_envelope() -> Value {
    serde_json::json!({"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0})
}

/// Assert a refusal: status, code, a FAIL envelope with words in it, and no secret.
fn assert_refused(answer: &(u16, Value), status: u16, code: i64, words: &str) {
    let (got_status, body) = answer;
    assert_eq!(*got_status, status, "status of {body}");
    assert_eq!(body["ActionStatus"], "FAIL", "{body}");
    assert_eq!(body["ErrorCode"], code, "{body}");
    let info = body["ErrorInfo"].as_str().unwrap();
    assert!(
        info.contains(words),
        "ErrorInfo {info:?} should mention {words:?}"
    );
    assert!(!body.to_string().contains(TOKEN), "token leaked: {body}");
}

async fn next_event(rx: &mut mpsc::Receiver<ReceiptEvent>) -> ReceiptEvent {
    tokio::time::timeout(DEADLINE, rx.recv())
        .await
        .expect("no event within the deadline")
        .expect("channel closed")
}

mod receiver {
    use super::*;

    struct Setup {
        receiver: webhook::Receiver,
        rx: mpsc::Receiver<ReceiptEvent>,
        url: String,
    }

    async fn setup(token: Option<&str>, body_limit: usize) -> Setup {
        let (tx, rx) = mpsc::channel(64);
        let config = ReceiverConfig {
            sdkappid: APP,
            token: token.map(str::to_string),
            body_limit,
            ..ReceiverConfig::default()
        };
        let receiver = webhook::start(config, "127.0.0.1:0".parse().unwrap(), tx)
            .await
            .unwrap();
        let url = receiver.url();
        Setup { receiver, rx, url }
    }

    fn assert_seed_event(event: &ReceiptEvent) {
        assert_eq!(event.group_id, "@TGS#2TTV7VSII");
        assert_eq!(event.group_type, "Public");
        assert_eq!(event.event_time_ms, 1_670_574_414_123);
        let counts: Vec<(u64, u64, u64, Vec<String>)> = event
            .receipts
            .iter()
            .map(|u| (u.seq, u.read, u.unread, u.readers.clone()))
            .collect();
        assert_eq!(
            counts,
            vec![
                (1, 1, 6, vec!["user0".to_string()]),
                (2, 1, 6, vec!["user0".to_string()])
            ]
        );
    }

    #[tokio::test]
    async fn defaults_are_one_mib_and_sixty_seconds() {
        let config = ReceiverConfig::default();
        assert_eq!(config.body_limit, 1024 * 1024);
        assert_eq!(config.max_age, Duration::from_secs(60));
        let shown = format!(
            "{:?}",
            ReceiverConfig {
                token: Some(TOKEN.into()),
                ..config
            }
        );
        assert!(!shown.contains(TOKEN), "Debug shows the token: {shown}");
    }

    #[test]
    fn sign_matches_the_reference_vector() {
        assert_eq!(
            webhook::sign(TOKEN, 1_676_091_353),
            "a5d271b35bd72858cdf1ad0b9dfbf037d19146062c0ecb712a0a3235489d6021"
        );
    }

    #[tokio::test]
    async fn seed_sample_is_accepted_signed() {
        let mut s = setup(Some(TOKEN), webhook::DEFAULT_BODY_LIMIT).await;
        let answer = post(&s.url, &receipt_query_signed(), SEED_SAMPLE).await;
        assert_eq!(answer, (200, ok_envelope()));
        assert_seed_event(&next_event(&mut s.rx).await);
        assert_eq!(s.receiver.stats().accepted, 1);
    }

    #[tokio::test]
    async fn seed_sample_is_accepted_unsigned_on_any_path() {
        let mut s = setup(None, webhook::DEFAULT_BODY_LIMIT).await;
        let query = callback_query(APP, "Group.CallbackAfterReadReceipt", None);
        let response = http()
            .post(format!("{}/hooks/tim?{query}", s.url))
            .body(SEED_SAMPLE)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(response.json::<Value>().await.unwrap(), ok_envelope());
        assert_seed_event(&next_event(&mut s.rx).await);
    }

    #[tokio::test]
    async fn numeric_event_time_unknown_fields_and_any_type() {
        let mut s = setup(Some(TOKEN), webhook::DEFAULT_BODY_LIMIT).await;
        let body = serde_json::json!({
            "CallbackCommand": "Group.CallbackAfterReadReceipt",
            "GroupId": "@TGS#meeting",
            "Type": "Meeting",
            "NewFieldFromTheFuture": {"nested": [1, 2, 3]},
            "GroupMsgReceiptList": [
                {"MsgSeq": 77, "ReadNum": 3, "UnreadNum": 0, "Extra": true,
                 "ReadReceiptMembers": [{"Member_Account": "a"}, {"Member_Account": "b"}]}
            ],
            "EventTime": 1_700_000_000_456u64
        });
        let answer = post(&s.url, &receipt_query_signed(), body.to_string()).await;
        assert_eq!(answer, (200, ok_envelope()));
        let event = next_event(&mut s.rx).await;
        assert_eq!(event.group_id, "@TGS#meeting");
        assert_eq!(event.group_type, "Meeting");
        assert_eq!(event.event_time_ms, 1_700_000_000_456);
        assert_eq!(event.receipts.len(), 1);
        assert_eq!(event.receipts[0].seq, 77);
        assert_eq!(event.receipts[0].read, 3);
        assert_eq!(event.receipts[0].unread, 0);
        assert_eq!(event.receipts[0].readers, vec!["a", "b"]);
    }

    #[tokio::test]
    async fn other_commands_are_acknowledged_and_ignored() {
        let mut s = setup(Some(TOKEN), webhook::DEFAULT_BODY_LIMIT).await;
        let query = callback_query(APP, "Group.CallbackAfterSendMsg", Some((TOKEN, now_secs())));
        let body =
            r#"{"CallbackCommand":"Group.CallbackAfterSendMsg","GroupId":"@TGS#1","MsgBody":[]}"#;
        assert_eq!(post(&s.url, &query, body).await, (200, ok_envelope()));
        let query = callback_query(APP, "State.StateChange", Some((TOKEN, now_secs())));
        let body = r#"{"CallbackCommand":"State.StateChange","Info":{"Action":"Login"}}"#;
        assert_eq!(post(&s.url, &query, body).await, (200, ok_envelope()));
        // The handler hands events on before it answers, so nothing can still be on the way.
        assert!(
            s.rx.try_recv().is_err(),
            "an ignored command produced an event"
        );
        let stats = s.receiver.stats();
        assert_eq!((stats.accepted, stats.ignored, stats.rejected), (0, 2, 0));
    }

    #[tokio::test]
    async fn refusals_each_have_their_own_code() {
        let mut s = setup(Some(TOKEN), 4096).await;
        let url = s.url.clone();
        let cmd = "Group.CallbackAfterReadReceipt";
        let now = now_secs();

        let bad_sign = format!(
            "{}&Sign={}&RequestTime={now}",
            callback_query(APP, cmd, None),
            webhook::sign("not-the-token", now)
        );
        assert_refused(
            &post(&url, &bad_sign, SEED_SAMPLE).await,
            401,
            40102,
            "Sign",
        );

        let missing = callback_query(APP, cmd, None);
        assert_refused(
            &post(&url, &missing, SEED_SAMPLE).await,
            401,
            40101,
            "token",
        );
        let time_only = format!("{missing}&RequestTime={now}");
        assert_refused(
            &post(&url, &time_only, SEED_SAMPLE).await,
            401,
            40101,
            "Sign",
        );

        let stale = callback_query(APP, cmd, Some((TOKEN, now - 3600)));
        assert_refused(&post(&url, &stale, SEED_SAMPLE).await, 401, 40103, "old");
        let future = callback_query(APP, cmd, Some((TOKEN, now + 3600)));
        assert_refused(
            &post(&url, &future, SEED_SAMPLE).await,
            401,
            40104,
            "future",
        );
        let not_a_time = format!(
            "{missing}&Sign={}&RequestTime=yesterday",
            webhook::sign(TOKEN, now)
        );
        assert_refused(
            &post(&url, &not_a_time, SEED_SAMPLE).await,
            400,
            40004,
            "RequestTime",
        );

        let other_app = callback_query(APP + 1, cmd, Some((TOKEN, now)));
        assert_refused(
            &post(&url, &other_app, SEED_SAMPLE).await,
            403,
            40301,
            &(APP + 1).to_string(),
        );
        let no_app = format!(
            "CallbackCommand={cmd}&Sign={}&RequestTime={now}",
            webhook::sign(TOKEN, now)
        );
        assert_refused(
            &post(&url, &no_app, SEED_SAMPLE).await,
            400,
            40003,
            "SdkAppid",
        );

        let signed = receipt_query_signed();
        let broken = SEED_SAMPLE.replace("\"UnreadNum\": 6,", "\"UnreadNum\": 6");
        assert_refused(&post(&url, &signed, broken).await, 400, 40001, "JSON");
        assert_refused(&post(&url, &signed, "").await, 400, 40001, "JSON");
        let no_group =
            r#"{"CallbackCommand":"Group.CallbackAfterReadReceipt","GroupMsgReceiptList":[]}"#;
        assert_refused(&post(&url, &signed, no_group).await, 400, 40002, "GroupId");
        let negative = SEED_SAMPLE.replace("\"MsgSeq\": 2", "\"MsgSeq\": -2");
        assert_refused(
            &post(&url, &signed, negative).await,
            400,
            40002,
            "GroupMsgReceiptList[1].MsgSeq",
        );

        let big = format!(r#"{{"GroupId":"{}"}}"#, "x".repeat(8192));
        assert_refused(&post(&url, &signed, big).await, 413, 41301, "4096");

        let response = http().get(format!("{url}/?{signed}")).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 405);
        assert_eq!(
            response.headers().get("allow").map(|v| v.to_str().unwrap()),
            Some("POST")
        );
        let body: Value = response.json().await.unwrap();
        assert_refused(&(405, body), 405, 40501, "GET");

        assert!(
            s.rx.try_recv().is_err(),
            "a refused request produced an event"
        );
        let stats = s.receiver.stats();
        assert_eq!((stats.accepted, stats.rejected), (0, 14));
        // After all that, a good request still goes through.
        let answer = post(&url, &receipt_query_signed(), SEED_SAMPLE).await;
        assert_eq!(answer, (200, ok_envelope()));
        assert_seed_event(&next_event(&mut s.rx).await);
    }

    /// A chunked body (no Content-Length) is cut off at the limit too.
    #[tokio::test]
    async fn chunked_body_over_the_limit_is_refused() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let s = setup(None, 1024).await;
        let query = callback_query(APP, "Group.CallbackAfterReadReceipt", None);
        let chunk = "y".repeat(1500);
        let request = format!(
            "POST /?{query} HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n{chunk}\r\n0\r\n\r\n",
            chunk.len()
        );
        let mut stream = tokio::net::TcpStream::connect(s.receiver.addr())
            .await
            .unwrap();
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        tokio::time::timeout(DEADLINE, stream.read_to_end(&mut answer))
            .await
            .expect("no answer within the deadline")
            .unwrap();
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
        assert!(answer.contains("\"ErrorCode\":41301"), "{answer}");
    }

    /// A full or closed channel never holds up the answer; drops are counted.
    #[tokio::test]
    async fn full_or_closed_channel_still_answers_ok() {
        let (tx, rx) = mpsc::channel(1);
        let config = ReceiverConfig {
            sdkappid: APP,
            ..ReceiverConfig::default()
        };
        let receiver = webhook::start(config, "127.0.0.1:0".parse().unwrap(), tx)
            .await
            .unwrap();
        let query = callback_query(APP, "Group.CallbackAfterReadReceipt", None);
        for _ in 0..3 {
            let answer = post(&receiver.url(), &query, SEED_SAMPLE).await;
            assert_eq!(answer, (200, ok_envelope()));
        }
        drop(rx);
        let answer = post(&receiver.url(), &query, SEED_SAMPLE).await;
        assert_eq!(answer, (200, ok_envelope()));
        let stats = receiver.stats();
        assert_eq!((stats.accepted, stats.dropped), (4, 3));
    }

    /// `router` mounts in any axum server; `shutdown` stops `start`'s.
    #[tokio::test]
    async fn router_mounts_and_shutdown_stops() {
        let (tx, mut rx) = mpsc::channel(8);
        let config = ReceiverConfig {
            sdkappid: APP,
            token: Some(TOKEN.into()),
            ..ReceiverConfig::default()
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            axum::serve(listener, webhook::router(config, tx))
                .await
                .unwrap();
        });
        let answer = post(&url, &receipt_query_signed(), SEED_SAMPLE).await;
        assert_eq!(answer, (200, ok_envelope()));
        assert_eq!(next_event(&mut rx).await.receipts.len(), 2);
        server.abort();

        let s = setup(None, 1024).await;
        let addr = s.receiver.addr();
        tokio::time::timeout(DEADLINE, s.receiver.shutdown())
            .await
            .expect("shutdown took too long");
        assert!(
            tokio::net::TcpStream::connect(addr).await.is_err(),
            "still listening after shutdown"
        );
    }
}

mod listen_process {
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

    /// SIGTERM, a clean exit, and the rest of stderr.
    fn stop(listen: &mut Listen) -> Vec<String> {
        let pid = libc::pid_t::try_from(listen.child.id()).unwrap();
        // SAFETY: plain kill(2) on our own child's pid.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
        let status = wait_exit(listen);
        assert!(status.success(), "exit status {status}");
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
            recorded[0]
                .starts_with(r#"{"CallbackCommand":"Group.CallbackAfterReadReceipt","GroupId""#)
        );

        let rest = stop(&mut listen);
        assert!(
            rest.iter()
                .any(|l| l.starts_with("refused: RequestTime is")
                    && l.ends_with("(ErrorCode 40103)")),
            "no refusal line on stderr: {rest:?}"
        );
        let summary = rest.iter().find(|l| l.starts_with("stopped:"));
        assert_eq!(
            summary.map(String::as_str),
            Some(
                "stopped: 1 events accepted, 0 other callbacks ignored, 1 requests refused, 0 events dropped"
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
}

/// The sandbox's Group.CallbackAfterReadReceipt sender posting, signed, to this receiver.
mod sandbox_to_receiver {
    use tim_receipts::api::GroupType;
    use tim_receipts::sandbox::{self, SandboxConfig, World};

    use super::*;

    const GROUP: &str = "@TGS#2E2E";
    const CALLBACK_TOKEN: &str = "callback-token-4e2e";

    /// One sandbox REST call as the admin; the answer, which must be a success.
    async fn call(sandbox_url: &str, command: &str, body: Value) -> Value {
        let sig = tim_receipts::usersig::generate(
            sandbox::DEFAULT_SDKAPPID,
            sandbox::DEFAULT_KEY,
            sandbox::DEFAULT_ADMIN,
            3600,
        );
        let url = format!(
            "{sandbox_url}/v4/{command}?sdkappid={}&identifier={}&usersig={sig}&random=7&contenttype=json",
            sandbox::DEFAULT_SDKAPPID,
            sandbox::DEFAULT_ADMIN
        );
        let answer: Value = http()
            .post(url)
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(answer["ErrorCode"], 0, "{command}: {answer}");
        answer
    }

    /// `(read, unread)` of one message, as the sandbox's get_group_msg_receipt reports it.
    async fn sandbox_counts(sandbox_url: &str, group: &str, seq: u64) -> (u64, u64) {
        let answer = call(
            sandbox_url,
            "group_open_http_svc/get_group_msg_receipt",
            serde_json::json!({"GroupId": group, "MsgSeqList": [{"MsgSeq": seq}]}),
        )
        .await;
        let item = &answer["GroupMsgReceiptList"][0];
        assert_eq!(item["Code"], 0, "{answer}");
        (
            item["ReadNum"].as_u64().unwrap(),
            item["UnreadNum"].as_u64().unwrap(),
        )
    }

    /// A group of the owner and six members with two receipt messages; `a` read the first.
    fn world() -> (World, u64, u64) {
        let mut w = World::new();
        let mut g = w.add_group(
            GROUP,
            GroupType::Public,
            &["owner", "a", "b", "c", "d", "e", "f"],
        );
        let first = g.post("owner", "incident notice", true);
        let second = g.post("owner", "update", true);
        g.ack("a", &[first]);
        (w, first, second)
    }

    async fn receiver(token: &str) -> (webhook::Receiver, mpsc::Receiver<ReceiptEvent>) {
        let (tx, rx) = mpsc::channel(256);
        let config = ReceiverConfig {
            sdkappid: sandbox::DEFAULT_SDKAPPID,
            token: Some(token.to_string()),
            ..ReceiverConfig::default()
        };
        let receiver = webhook::start(config, "127.0.0.1:0".parse().unwrap(), tx)
            .await
            .unwrap();
        (receiver, rx)
    }

    fn sandbox_config(receiver: &webhook::Receiver, token: &str) -> SandboxConfig {
        SandboxConfig {
            callback_url: Some(format!("{}/tim", receiver.url())),
            callback_token: Some(token.to_string()),
            callback_batch: Duration::from_millis(50),
            ..SandboxConfig::default()
        }
    }

    #[tokio::test]
    async fn admin_acknowledgement_arrives_with_the_sandbox_counts() {
        let (receiver, mut rx) = receiver(CALLBACK_TOKEN).await;
        let (world, first, second) = world();
        let sb = sandbox::start_with_world(sandbox_config(&receiver, CALLBACK_TOKEN), world)
            .await
            .unwrap();
        call(
            &sb.url(),
            "group_open_http_svc/group_msg_receipt",
            serde_json::json!({"GroupId": GROUP, "From_Account": "b",
                "MsgSeqList": [{"MsgSeq": first}, {"MsgSeq": second}]}),
        )
        .await;

        let event = next_event(&mut rx).await;
        assert_eq!(event.group_id, GROUP);
        assert_eq!(event.group_type, "Public");
        let now_ms = now_secs() * 1000;
        assert!(
            event.event_time_ms.abs_diff(now_ms) < 600_000,
            "EventTime {} is not about now",
            event.event_time_ms
        );
        let mut updates = event.receipts.clone();
        updates.sort_by_key(|u| u.seq);
        let seqs: Vec<u64> = updates.iter().map(|u| u.seq).collect();
        assert_eq!(seqs, vec![first, second]);
        for update in &updates {
            assert_eq!(update.readers, vec!["b"]);
            let counts = sandbox_counts(&sb.url(), GROUP, update.seq).await;
            assert_eq!((update.read, update.unread), counts, "seq {}", update.seq);
        }
        // Six members could read (the sender is not counted): a and b read the first, b the second.
        assert_eq!((updates[0].read, updates[0].unread), (2, 4));
        assert_eq!((updates[1].read, updates[1].unread), (1, 5));
        let stats = receiver.stats();
        assert_eq!((stats.accepted, stats.rejected, stats.dropped), (1, 0, 0));
        sb.shutdown().await;
        receiver.shutdown().await;
    }

    #[tokio::test]
    async fn callbacks_signed_with_another_token_are_refused() {
        let (receiver, mut rx) = receiver(CALLBACK_TOKEN).await;
        let (world, first, _) = world();
        let sb = sandbox::start_with_world(sandbox_config(&receiver, "some-other-token"), world)
            .await
            .unwrap();
        call(
            &sb.url(),
            "group_open_http_svc/group_msg_receipt",
            serde_json::json!({"GroupId": GROUP, "From_Account": "c", "MsgSeqList": [{"MsgSeq": first}]}),
        )
        .await;
        let deadline = std::time::Instant::now() + DEADLINE;
        while receiver.stats().rejected == 0 {
            assert!(
                std::time::Instant::now() < deadline,
                "the sandbox's callback never reached the receiver"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(receiver.stats().accepted, 0);
        assert!(
            rx.try_recv().is_err(),
            "a badly signed callback produced an event"
        );
        sb.shutdown().await;
    }

    /// Live activity: every event's counts are consistent with the sandbox's (reads only grow,
    /// and read + unread is the number of members who could read).
    #[tokio::test]
    async fn activity_events_match_the_sandbox() {
        let (receiver, mut rx) = receiver(CALLBACK_TOKEN).await;
        let (world, _, _) = world();
        let config = SandboxConfig {
            activity: 40.0,
            ..sandbox_config(&receiver, CALLBACK_TOKEN)
        };
        let sb = sandbox::start_with_world(config, world).await.unwrap();
        let members = sb.with_world(|w| w.members(GROUP).unwrap());
        for _ in 0..3 {
            let event = next_event(&mut rx).await;
            assert_eq!(event.group_id, GROUP);
            assert!(!event.receipts.is_empty());
            for update in &event.receipts {
                let (read, unread) = sandbox_counts(&sb.url(), GROUP, update.seq).await;
                assert!(
                    update.read <= read,
                    "event read {} > sandbox {read}",
                    update.read
                );
                assert_eq!(update.read + update.unread, read + unread);
                assert!(update.readers.iter().all(|r| members.contains(r)));
            }
        }
        assert_eq!(receiver.stats().rejected, 0);
        sb.shutdown().await;
    }
}

mod parser_properties {
    use proptest::prelude::*;
    use tim_receipts::webhook::{Callback, Rejection, parse_callback};

    use super::SEED_SAMPLE;

    /// A parse result is an event or a refusal in words, never a panic.
    fn check(body: &[u8]) {
        match parse_callback(body, Some("Group.CallbackAfterReadReceipt"), 7) {
            Ok(Callback::Receipt(event)) => {
                // An event is only made from a JSON object, and it reflects that object.
                let v: serde_json::Value = serde_json::from_slice(body).unwrap();
                assert_eq!(
                    Some(event.group_id.as_str()),
                    v["GroupId"].as_str().map(str::trim)
                );
                assert!(!event.group_id.is_empty());
                let items = v["GroupMsgReceiptList"].as_array().map_or(0, Vec::len);
                assert_eq!(event.receipts.len(), items);
                if v["EventTime"].is_null() {
                    assert_eq!(event.event_time_ms, 7);
                }
            }
            Ok(Callback::Other { command }) => assert!(!command.is_empty()),
            Err(rejection) => {
                assert!(matches!(
                    rejection,
                    Rejection::MalformedJson(_) | Rejection::InvalidEvent(_)
                ));
                assert!(rejection.to_string().len() > 10);
                assert_eq!(rejection.status().as_u16(), 400);
            }
        }
    }

    /// Arbitrary JSON values, nested a little.
    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::Bool),
            any::<i64>().prop_map(|n| serde_json::json!(n)),
            any::<u64>().prop_map(|n| serde_json::json!(n)),
            any::<f64>().prop_map(|f| serde_json::json!(f)),
            "[0-9]{0,20}".prop_map(serde_json::Value::String),
            ".{0,12}".prop_map(serde_json::Value::String),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            let keys = prop_oneof![
                Just("GroupId".to_string()),
                Just("Type".to_string()),
                Just("EventTime".to_string()),
                Just("GroupMsgReceiptList".to_string()),
                Just("MsgSeq".to_string()),
                Just("ReadNum".to_string()),
                Just("UnreadNum".to_string()),
                Just("ReadReceiptMembers".to_string()),
                Just("Member_Account".to_string()),
                Just("CallbackCommand".to_string()),
                "[a-zA-Z_]{1,8}",
            ];
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(serde_json::Value::Array),
                prop::collection::btree_map(keys, inner, 0..6)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_bytes(body in prop::collection::vec(any::<u8>(), 0..512)) {
            check(&body);
        }

        #[test]
        fn mutated_seed_sample(
            edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 1..6),
            cut in any::<prop::sample::Index>(),
            truncate in any::<bool>(),
        ) {
            let mut body = SEED_SAMPLE.as_bytes().to_vec();
            for (at, byte, op) in edits {
                let i = at.index(body.len());
                match op {
                    0 => body[i] = byte,
                    1 => body.insert(i, byte),
                    _ => { body.remove(i); }
                }
            }
            if truncate {
                let len = cut.index(body.len() + 1);
                body.truncate(len);
            }
            check(&body);
        }

        #[test]
        fn arbitrary_json(value in json_value()) {
            check(value.to_string().as_bytes());
        }

        #[test]
        fn receipt_shaped_json(
            group in "[@A-Za-z0-9#_]{1,20}",
            items in prop::collection::vec((json_value(), json_value(), json_value()), 0..4),
            time in json_value(),
        ) {
            let list: Vec<serde_json::Value> = items
                .into_iter()
                .map(|(seq, read, members)| serde_json::json!({
                    "MsgSeq": seq, "ReadNum": read, "UnreadNum": 1, "ReadReceiptMembers": members
                }))
                .collect();
            let body = serde_json::json!({
                "CallbackCommand": "Group.CallbackAfterReadReceipt",
                "GroupId": group, "Type": "Public", "GroupMsgReceiptList": list, "EventTime": time
            });
            check(body.to_string().as_bytes());
        }
    }

    #[test]
    fn valid_sample_parses() {
        let parsed = parse_callback(SEED_SAMPLE.as_bytes(), None, 7);
        assert!(matches!(parsed, Ok(Callback::Receipt(e)) if e.receipts.len() == 2));
    }
}
