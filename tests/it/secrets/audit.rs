use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tim_receipts::sandbox::{self, DEMO_C2C_USER, DEMO_WAR_ROOM, FaultKind, SandboxConfig};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

use super::detect::{contains_secret, usersigs};

const APP: u64 = 1_400_054_321;
const ADMIN: &str = "administrator";
const KEY: &str = "K3y0fTheApp-9f1c2e7d51a8b6039e4d2c1b7a5f8e3d0c9b8a7f6e5d4c3b2a190817";
const WRONG_KEY: &str = "Wr0ngK3y-0000aaaa1111bbbb2222cccc3333dddd4444eeee5555ffff66667777";
const TOKEN: &str = "T0kenForCallbacks-5b2f8c1e9d3a7f40";
/// Generous bound for one process or line on a loaded 2-core machine.
const DEADLINE: Duration = Duration::from_secs(60);

/// Everything the programs printed or wrote, by where it came from.
#[derive(Default)]
struct Evidence(BTreeMap<String, String>);

impl Evidence {
    fn add(&mut self, name: impl Into<String>, text: impl Into<String>) {
        let name = name.into();
        let n = self.0.len();
        self.0.insert(format!("{n:03} {name}"), text.into());
    }

    /// Every regular file under `dir`, recursively.
    fn add_files(&mut self, dir: &Path) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                self.add_files(&path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                self.add(
                    path.display().to_string(),
                    String::from_utf8_lossy(&bytes).into_owned(),
                );
            }
        }
    }

    fn text_of(&self, name_part: &str) -> String {
        self.0
            .iter()
            .filter(|(k, _)| k.contains(name_part))
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn assert_clean(&self) {
        let mut leaks = Vec::new();
        for (name, text) in &self.0 {
            for (what, secret) in [
                ("secret key", KEY),
                ("wrong key", WRONG_KEY),
                ("token", TOKEN),
            ] {
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
}

/// A scratch HOME; every run of the binary gets the same environment.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        Home {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn state(&self) -> PathBuf {
        self.path().join("state")
    }

    fn command(&self, key: &str, args: &[&str]) -> tokio::process::Command {
        let home = self.path();
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_tim-receipts"));
        cmd.env_clear()
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_STATE_HOME", self.state())
            .env("TIM_SECRET_KEY", key)
            .env("TIM_SDKAPPID", APP.to_string())
            .env("TIM_IDENTIFIER", ADMIN)
            .arg("--log-level")
            .arg("trace")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        cmd
    }

    /// Run a subcommand to the end (stdin: `input`, or nothing); record its output.
    async fn run(
        &self,
        ev: &mut Evidence,
        key: &str,
        args: &[&str],
        input: Option<&str>,
    ) -> (bool, String) {
        let mut cmd = self.command(key, args);
        cmd.stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        let mut child = cmd.spawn().expect("the binary starts");
        if let (Some(text), Some(mut stdin)) = (input, child.stdin.take()) {
            stdin.write_all(text.as_bytes()).await.expect("stdin");
        }
        let out = tokio::time::timeout(DEADLINE, child.wait_with_output())
            .await
            .expect("the command finished in time")
            .expect("output");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let name = args.join(" ");
        ev.add(format!("stdout of {name}"), stdout.clone());
        ev.add(format!("stderr of {name}"), stderr.clone());
        (out.status.success(), format!("{stdout}{stderr}"))
    }
}

/// A long-running child (`sandbox`, `listen`) whose output lines are collected.
struct Daemon {
    child: tokio::process::Child,
    lines: mpsc::UnboundedReceiver<(bool, String)>,
    all: Arc<Mutex<(String, String)>>,
    readers: Vec<tokio::task::JoinHandle<()>>,
}

impl Daemon {
    fn spawn(mut cmd: tokio::process::Command) -> Daemon {
        let mut child = cmd.stdin(Stdio::null()).spawn().expect("starts");
        let (tx, lines) = mpsc::unbounded_channel();
        let all = Arc::new(Mutex::new((String::new(), String::new())));
        let mut readers = Vec::new();
        let out = child.stdout.take().expect("stdout");
        let err = child.stderr.take().expect("stderr");
        for (is_out, pipe) in [
            (
                true,
                Box::new(out) as Box<dyn tokio::io::AsyncRead + Send + Unpin>,
            ),
            (false, Box::new(err)),
        ] {
            let (tx, all) = (tx.clone(), all.clone());
            readers.push(tokio::spawn(async move {
                let mut lines = BufReader::new(pipe).lines();
                while let Ok(Some(line)) = lines.next_line().await {
                    {
                        let mut a = all.lock().unwrap();
                        let buf = if is_out { &mut a.0 } else { &mut a.1 };
                        buf.push_str(&line);
                        buf.push('\n');
                    }
                    let _ = tx.send((is_out, line));
                }
            }));
        }
        Daemon {
            child,
            lines,
            all,
            readers,
        }
    }

    /// The next line on stdout (`true`) or stderr (`false`) that starts with `prefix`
    /// and contains `part`.
    async fn line(&mut self, stdout: bool, prefix: &str, part: &str) -> String {
        let wait = async {
            loop {
                match self.lines.recv().await {
                    Some((s, l)) if s == stdout && l.starts_with(prefix) && l.contains(part) => {
                        return l;
                    }
                    Some(_) => continue,
                    None => panic!("the process ended before printing {prefix:?}…{part:?}"),
                }
            }
        };
        tokio::time::timeout(DEADLINE, wait)
            .await
            .unwrap_or_else(|_| panic!("no line {prefix:?}…{part:?} within the deadline"))
    }

    /// SIGTERM, wait for the exit, and return (stdout, stderr).
    async fn stop(mut self) -> (String, String) {
        if let Some(pid) = self.child.id() {
            // SAFETY: kill(2) on our own child's pid.
            unsafe { libc::kill(pid as libc::pid_t, libc::SIGTERM) };
        }
        if tokio::time::timeout(DEADLINE, self.child.wait())
            .await
            .is_err()
        {
            let _ = self.child.kill().await;
        }
        for r in self.readers.drain(..) {
            let _ = tokio::time::timeout(DEADLINE, r).await;
        }
        self.all.lock().unwrap().clone()
    }
}

/// The receipt seq of the war room's first message (it has a receipt in the demo world).
const SEQ: &str = "1";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_key_usersig_or_token_in_any_output_log_or_audit() {
    tokio::time::timeout(Duration::from_secs(300), audit_everything())
        .await
        .expect("the whole audit finished within 5 minutes");
}

async fn audit_everything() {
    let home = Home::new();
    let mut ev = Evidence::default();

    // 1. The receiver with the token, first, so that the sandbox can call it back.
    let record = home.path().join("events.jsonl");
    let mut listen_cmd = home.command(
        KEY,
        &[
            "listen",
            "--bind",
            "127.0.0.1:0",
            "--sdkappid",
            &APP.to_string(),
            "--record",
            record.to_str().unwrap(),
        ],
    );
    listen_cmd.env("TIM_WEBHOOK_TOKEN", TOKEN);
    let mut listen = Daemon::spawn(listen_cmd);
    let lurl = listen
        .line(false, "listening on ", "")
        .await
        .trim_start_matches("listening on ")
        .to_string();
    // The sandbox as a process, with the known key (the demo world, default seed),
    // simulating reads and sending signed Group.CallbackAfterReadReceipt to the receiver.
    let mut sb = Daemon::spawn(home.command(
        KEY,
        &[
            "--sdkappid",
            &APP.to_string(),
            "sandbox",
            "--listen",
            "127.0.0.1:0",
            "--key",
            KEY,
            "--activity",
            "20",
            "--callback-url",
            &lurl,
            "--callback-token",
            TOKEN,
        ],
    ));
    let url = sb
        .line(true, "listening on ", "")
        .await
        .trim_start_matches("listening on ")
        .to_string();
    let ep = ["--endpoint", url.as_str()];

    // 2. Every subcommand that talks to the API, succeeding.
    let with = |args: &[&'static str]| -> Vec<String> {
        ep.iter()
            .map(|s| s.to_string())
            .chain(args.iter().map(|s| s.to_string()))
            .collect()
    };
    let ok_runs: Vec<Vec<String>> = vec![
        with(&["groups", "--limit", "30", "--format", "json"]),
        with(&["messages", DEMO_WAR_ROOM, "--limit", "5"]),
        with(&["receipts", DEMO_WAR_ROOM, "1-40", "--format", "csv"]),
        with(&[
            "members",
            DEMO_WAR_ROOM,
            SEQ,
            "--unread",
            "--format",
            "json",
        ]),
        with(&["members", DEMO_WAR_ROOM, SEQ, "--read"]),
    ];
    for args in &ok_runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (ok, out) = home.run(&mut ev, KEY, &args, None).await;
        assert!(ok, "{args:?}: {out}");
    }
    // A member who has not read seq 1, for the writes (stderr is empty on success, so
    // the output is the JSON list).
    let unread = [
        ep[0],
        ep[1],
        "members",
        DEMO_WAR_ROOM,
        SEQ,
        "--unread",
        "--format",
        "json",
    ];
    let (ok, out) = home.run(&mut ev, KEY, &unread, None).await;
    let members: Vec<serde_json::Value> =
        serde_json::from_str(&out).expect("a JSON list of members");
    assert!(ok && !members.is_empty(), "{out}");
    let member = members[0]["account"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    // 3. Writes: confirmed, refused (read-only, no confirmation), failing.
    for (args, want_ok) in [
        (
            vec!["set-unread", DEMO_WAR_ROOM, &member, "3", "--yes"],
            true,
        ),
        (vec!["mark-read", DEMO_C2C_USER, &member, "--yes"], false),
        (vec!["set-unread", DEMO_WAR_ROOM, &member, "1"], false),
        (
            vec![
                "--read-only",
                "set-unread",
                DEMO_WAR_ROOM,
                &member,
                "1",
                "--yes",
            ],
            false,
        ),
        (
            vec!["set-unread", "@TGS#1NOSUCHGROUP", &member, "1", "--yes"],
            false,
        ),
    ] {
        let all: Vec<&str> = ep.iter().copied().chain(args.iter().copied()).collect();
        let (ok, out) = home.run(&mut ev, KEY, &all, None).await;
        if want_ok {
            assert!(ok, "{all:?}: {out}");
        }
    }

    // 4. Errors: the wrong key (70009), bad arguments, an unreachable endpoint.
    let (ok, out) = home
        .run(
            &mut ev,
            WRONG_KEY,
            &[ep[0], ep[1], "receipts", DEMO_WAR_ROOM, "1"],
            None,
        )
        .await;
    assert!(!ok && out.contains("70009"), "{out}");
    let (ok, _) = home
        .run(
            &mut ev,
            WRONG_KEY,
            &[
                ep[0],
                ep[1],
                "set-unread",
                DEMO_WAR_ROOM,
                &member,
                "1",
                "--yes",
            ],
            None,
        )
        .await;
    assert!(!ok);
    let (ok, out) = home
        .run(
            &mut ev,
            KEY,
            &[ep[0], ep[1], "messages", "@TGS#bad id"],
            None,
        )
        .await;
    assert!(!ok, "{out}");
    let (ok, out) = home
        .run(
            &mut ev,
            KEY,
            &["--endpoint", "http://127.0.0.1:9", "groups"],
            None,
        )
        .await;
    assert!(!ok && out.contains("network error"), "{out}");

    // 5. The commands that show configuration and inspect a UserSig.
    let (ok, out) = home
        .run(&mut ev, KEY, &[ep[0], ep[1], "config"], None)
        .await;
    assert!(ok && out.contains("<redacted>"), "{out}");
    let sig = tim_receipts::usersig::generate(APP, KEY, ADMIN, 600);
    let (ok, out) = home
        .run(&mut ev, KEY, &["usersig", "inspect", "-"], Some(&sig))
        .await;
    assert!(ok && out.contains("VALID"), "{out}");
    let (_, out) = home
        .run(&mut ev, WRONG_KEY, &["usersig", "inspect", "-"], Some(&sig))
        .await;
    assert!(out.contains("INVALID"), "{out}");

    // 6. A sandbox failing half the calls in every way (in process, same key), reached
    // through a profile with a 1 s timeout: retries, timeouts and failures get logged.
    let faulty = sandbox::start(SandboxConfig {
        sdkappid: APP,
        key: KEY.to_string(),
        fail_rate: 0.5,
        fault_kinds: FaultKind::ALL.to_vec(),
        stall: Duration::from_secs(3),
        seed: 7,
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox starts");
    let config = home.path().join("faulty.toml");
    std::fs::write(
        &config,
        "[profiles.default]\ntimeout_secs = 1\nmax_attempts = 3\n",
    )
    .unwrap();
    let furl = faulty.url();
    let config = config.display().to_string();
    for args in [
        vec!["receipts", DEMO_WAR_ROOM, "1-200"],
        vec!["members", DEMO_WAR_ROOM, SEQ, "--unread"],
        vec!["groups", "--limit", "100"],
        vec!["mark-read", DEMO_C2C_USER, &member, "--yes"],
        vec!["set-unread", DEMO_WAR_ROOM, &member, "2", "--yes"],
    ] {
        let all: Vec<&str> = ["--config", config.as_str(), "--endpoint", furl.as_str()]
            .into_iter()
            .chain(args)
            .collect();
        home.run(&mut ev, KEY, &all, None).await;
    }
    faulty.shutdown().await;

    // 7. The receiver, posted to directly: a wrongly signed event, an unsigned one, one
    // from another app, and a signed one.
    let http = reqwest::Client::builder()
        .no_proxy()
        .timeout(DEADLINE)
        .build()
        .unwrap();
    let now = tim_receipts::usersig::now_unix();
    let body = r#"{"CallbackCommand":"Group.CallbackAfterReadReceipt","GroupId":"@TGS#2X","Type":"Public","GroupMsgReceiptList":[{"MsgSeq":1,"ReadNum":1,"UnreadNum":6,"ReadReceiptMembers":[{"Member_Account":"user0"}]}],"EventTime":1670574414123}"#;
    let query = |app: u64, sign: Option<String>| {
        let mut q = format!(
            "SdkAppid={app}&CallbackCommand=Group.CallbackAfterReadReceipt&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI"
        );
        if let Some(s) = sign {
            q.push_str(&format!("&Sign={s}&RequestTime={now}"));
        }
        q
    };
    let good = tim_receipts::webhook::sign(TOKEN, now);
    let bad = tim_receipts::webhook::sign("not the token", now);
    let mut statuses = Vec::new();
    for q in [
        query(APP, Some(bad)),
        query(APP, None),
        query(APP + 1, Some(good.clone())),
        query(APP, Some(good)),
    ] {
        let resp = http
            .post(format!("{lurl}/?{q}"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("POST");
        statuses.push(resp.status().as_u16());
        ev.add("answer of listen", resp.text().await.unwrap_or_default());
    }
    assert_eq!(
        statuses,
        [401, 401, 403, 200],
        "the receiver checked the requests"
    );
    let event = listen.line(true, "{", "@TGS#2X").await;
    assert!(event.contains("\"seq\":1"), "{event}");
    // And the sandbox's own signed callbacks got through.
    listen
        .line(true, "{", DEMO_WAR_ROOM.trim_start_matches("@TGS#"))
        .await;
    let (out, err) = listen.stop().await;
    ev.add("stdout of listen", out);
    ev.add("stderr of listen", err);

    let (out, err) = sb.stop().await;
    ev.add("stdout of sandbox", out);
    ev.add("stderr of sandbox", err);
    ev.add_files(&home.state());
    ev.add_files(&record);
    if record.exists() {
        ev.add(
            "record",
            std::fs::read_to_string(&record).unwrap_or_default(),
        );
    }

    // The audit is only worth something if the logs are verbose and the errors happened.
    let logs = ev.text_of("/logs/");
    for expected in ["signed a new UserSig", "retrying", "call failed", "DEBUG"] {
        assert!(
            logs.contains(expected),
            "the log has no {expected:?}: is it verbose?"
        );
    }
    let audit_log = ev.text_of("audit.jsonl");
    for result in [
        "\"result\":\"ok\"",
        "\"result\":\"error\"",
        "\"result\":\"refused\"",
    ] {
        assert!(
            audit_log.contains(result),
            "the audit log has no {result}: {audit_log}"
        );
    }

    // A positive control: `usersig gen` prints a UserSig on purpose, and the detector
    // finds it (so a leak would not go unnoticed). Its output is not evidence.
    let mut control = Evidence::default();
    let (ok, out) = home.run(&mut control, KEY, &["usersig", "gen"], None).await;
    assert!(ok && usersigs(&out).len() == 1, "the detector misses {out}");

    ev.assert_clean();
}
