//! The subcommands run as processes (`env!("CARGO_BIN_EXE_tim-receipts")`) against an
//! in-process sandbox on 127.0.0.1: output shapes, confirmation and read-only gating, the
//! audit log, error messages, configuration, `usersig`, and `--demo`.
//!
//! Every child gets a private HOME / XDG_CONFIG_HOME / XDG_STATE_HOME and no inherited TIM_*
//! variables, and is killed if it runs past a generous deadline.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};
use tim_receipts::api::GroupType;
use tim_receipts::sandbox::{self, Sandbox, SandboxConfig, World};

const WORK: &str = "@TGS#1WORKOPS";
const MEETING: &str = "@TGS#4MEETSYNC";
/// Longest any one command may take before the test fails.
const DEADLINE: Duration = Duration::from_secs(90);

fn world() -> World {
    let mut w = World::new();
    {
        let mut g = w.add_group(WORK, GroupType::Work, &["alice", "bob", "carol", "dave"]);
        g.name("ops, on call");
        g.post("alice", "first", true);
        g.post("bob", "no receipt here", false);
        g.post("alice", "third\nline", true);
        g.read_up_to("bob", 1);
        g.read_up_to("carol", 3);
    }
    {
        let mut g = w.add_group(MEETING, GroupType::Meeting, &["alice", "bob"]);
        g.post("alice", "sync", true);
    }
    w.set_c2c_unread("alice", "bob", 4);
    w
}

/// A sandbox plus a private home for the child processes.
struct Env {
    sb: Sandbox,
    home: tempfile::TempDir,
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}): {}\nstderr: {}",
                self.stdout, self.stderr
            )
        })
    }

    fn ok(self) -> Self {
        assert_eq!(
            self.code, 0,
            "stdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }

    fn failed(self) -> Self {
        assert_ne!(self.code, 0, "expected a failure; stdout: {}", self.stdout);
        self
    }
}

impl Env {
    async fn new() -> Env {
        Env {
            sb: sandbox::start_with_world(SandboxConfig::default(), world())
                .await
                .expect("sandbox starts"),
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn state(&self) -> PathBuf {
        self.home.path().join("state")
    }

    fn audit(&self) -> Vec<Value> {
        std::fs::read_to_string(self.state().join("tim-receipts/audit.jsonl"))
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// A child with a private home and no TIM_* settings at all.
    fn bare(&self) -> tokio::process::Command {
        let mut c = tokio::process::Command::new(env!("CARGO_BIN_EXE_tim-receipts"));
        for (k, _) in std::env::vars() {
            if k.starts_with("TIM_") || k.starts_with("XDG_") {
                c.env_remove(k);
            }
        }
        c.env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path().join("config"))
            .env("XDG_STATE_HOME", self.state())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .kill_on_drop(true);
        c
    }

    /// A child configured for the sandbox through the environment.
    fn cmd(&self) -> tokio::process::Command {
        let mut c = self.bare();
        c.env("TIM_ENDPOINT", self.sb.url())
            .env("TIM_SDKAPPID", sandbox::DEFAULT_SDKAPPID.to_string())
            .env("TIM_IDENTIFIER", sandbox::DEFAULT_ADMIN)
            .env("TIM_SECRET_KEY", sandbox::DEFAULT_KEY);
        c
    }

    async fn run(&self, args: &[&str]) -> Out {
        run(self.cmd(), args).await
    }
}

async fn run(mut cmd: tokio::process::Command, args: &[&str]) -> Out {
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    let out = tokio::time::timeout(DEADLINE, cmd.output())
        .await
        .unwrap_or_else(|_| panic!("tim-receipts {args:?} ran past {DEADLINE:?}"))
        .expect("the binary runs");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn write_file(path: &Path, text: &str, mode: u32) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    #[cfg(not(unix))]
    let _ = mode;
}

mod reads {
    use super::*;

    #[tokio::test(flavor = "multi_thread")]
    async fn receipts_json_has_the_exact_shape() {
        let env = Env::new().await;
        let out = env.run(&["receipts", WORK, "1-3", "9"]).await.ok();
        let (r1, u1) = env.sb.with_world(|w| w.receipt_counts(WORK, 1)).unwrap();
        let (r3, u3) = env.sb.with_world(|w| w.receipt_counts(WORK, 3)).unwrap();
        assert_eq!(
            out.json(),
            json!([
                {"seq": 1, "read": r1, "unread": u1, "code": 0},
                {"seq": 2, "read": null, "unread": null, "code": 10062},
                {"seq": 3, "read": r3, "unread": u3, "code": 0},
                {"seq": 9, "read": null, "unread": null, "code": 10062},
            ])
        );
        assert_eq!((r1, u1), (2, 1));
        for item in out.json().as_array().unwrap() {
            let mut keys: Vec<&String> = item.as_object().unwrap().keys().collect();
            keys.sort();
            assert_eq!(keys, ["code", "read", "seq", "unread"]);
        }
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn receipts_as_csv_and_table() {
        let env = Env::new().await;
        let out = env
            .run(&["receipts", WORK, "1,2", "--format", "csv"])
            .await
            .ok();
        assert_eq!(out.stdout, "seq,read,unread,code\n1,2,1,0\n2,,,10062\n");
        let out = env
            .run(&["receipts", WORK, "1-2", "--format", "table"])
            .await
            .ok();
        let lines: Vec<&str> = out.stdout.lines().collect();
        assert_eq!(
            lines[0].split_whitespace().collect::<Vec<_>>(),
            ["SEQ", "READ", "UNREAD", "READ%", "NOTE"]
        );
        assert!(lines[1].contains("67%"), "{}", out.stdout);
        assert!(lines[2].contains("no read receipt"), "{}", out.stdout);
        let out = env.run(&["receipts", WORK, "5-2"]).await.failed();
        assert!(out.stderr.contains("2-5"), "{}", out.stderr);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn members_read_and_unread_are_arrays_of_ids() {
        let env = Env::new().await;
        let read = env.run(&["members", WORK, "1", "--read"]).await.ok().json();
        assert_eq!(read, json!(["bob", "carol"]));
        let unread = env
            .run(&["members", WORK, "1", "--unread"])
            .await
            .ok()
            .json();
        assert_eq!(unread, json!(["dave"]));
        let csv = env
            .run(&["members", WORK, "3", "--unread", "--format", "csv"])
            .await
            .ok();
        assert_eq!(csv.stdout, "account\nbob\ndave\n");
        // Neither flag: a usage error from clap.
        let out = env.run(&["members", WORK, "1"]).await;
        assert_eq!(out.code, 2, "{}", out.stderr);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn groups_lists_type_name_and_members() {
        let env = Env::new().await;
        let out = env.run(&["groups"]).await.ok().json();
        assert_eq!(
            out,
            json!([
                {"id": WORK, "type": "Work", "name": "ops, on call", "member_num": 4},
                {"id": MEETING, "type": "Meeting", "name": MEETING, "member_num": 2},
            ])
        );
        let out = env
            .run(&["groups", "--type", "ChatRoom", "--format", "csv"])
            .await
            .ok();
        assert_eq!(
            out.stdout,
            format!("id,type,name,member_num\n{MEETING},Meeting,{MEETING},2\n")
        );
        let out = env.run(&["groups", "--type", "Lobby"]).await.failed();
        assert!(out.stderr.contains("unknown group type"), "{}", out.stderr);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn messages_newest_first_with_counts() {
        let env = Env::new().await;
        let out = env
            .run(&["messages", WORK, "--limit", "2"])
            .await
            .ok()
            .json();
        let rows = out.as_array().unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0]["seq"], 3);
        assert_eq!(rows[0]["text"], "third line");
        assert_eq!(rows[0]["from"], "alice");
        assert_eq!(rows[0]["kind"], "normal");
        assert_eq!(rows[0]["code"], 0);
        assert!(rows[0]["time"].is_i64());
        assert_eq!(rows[1]["seq"], 2);
        assert_eq!(rows[1]["read"], Value::Null);
        assert_eq!(rows[1]["code"], 10062);
        let mut keys: Vec<&String> = rows[0].as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "code", "from", "kind", "read", "seq", "text", "time", "unread"
            ]
        );
        let table = env.run(&["messages", WORK, "--format", "table"]).await.ok();
        assert_eq!(table.stdout.lines().count(), 4, "{}", table.stdout);
        assert!(table.stdout.contains("TIME (UTC)"));
    }
}

mod writes {
    use super::*;

    #[tokio::test(flavor = "multi_thread")]
    async fn mark_read_with_yes_shows_before_and_after_and_is_audited() {
        let env = Env::new().await;
        let out = env
            .run(&["mark-read", "alice", "bob", "--yes"])
            .await
            .ok()
            .json();
        assert_eq!(out["result"], "ok");
        assert_eq!(out["action"], "mark_read");
        assert_eq!(out["target"], "alice->bob");
        assert_eq!(out["path"], "v4/openim/admin_set_msg_read");
        assert_eq!(
            out["request"],
            json!({"Report_Account": "alice", "Peer_Account": "bob"})
        );
        assert_eq!(
            (out["before"].clone(), out["after"].clone()),
            (json!(4), json!(0))
        );
        assert_eq!(env.sb.with_world(|w| w.c2c_unread("alice", "bob")), 0);
        let audit = env.audit();
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0]["result"], "ok");
        assert_eq!(audit[0]["action"], "mark_read");
        assert_eq!(audit[0]["profile"], "default");
        assert_eq!(audit[0]["before"], 4);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn set_unread_table_output_and_meeting_note() {
        let env = Env::new().await;
        let out = env
            .run(&[
                "set-unread",
                WORK,
                "carol",
                "2",
                "--yes",
                "--format",
                "table",
            ])
            .await
            .ok();
        assert!(
            out.stdout.contains("done: set carol's unread count in"),
            "{}",
            out.stdout
        );
        assert!(
            out.stdout.contains("unread count: before 0, after 2"),
            "{}",
            out.stdout
        );
        assert_eq!(
            env.sb.with_world(|w| w.unread_count(WORK, "carol")),
            Some(2)
        );
        let out = env
            .run(&["set-unread", MEETING, "bob", "1", "-y"])
            .await
            .ok()
            .json();
        assert!(out["note"].as_str().unwrap().contains("ignore"), "{out}");
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn writes_without_a_terminal_need_yes() {
        let env = Env::new().await;
        let out = env.run(&["set-unread", WORK, "carol", "2"]).await.failed();
        assert!(out.stderr.contains("pass --yes"), "{}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
        assert_eq!(
            env.sb.with_world(|w| w.unread_count(WORK, "carol")),
            Some(0)
        );
        assert!(env.audit().is_empty());
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn read_only_refuses_and_audits_the_refusal() {
        let env = Env::new().await;
        let out = env
            .run(&["--read-only", "set-unread", WORK, "carol", "2", "--yes"])
            .await
            .failed();
        assert!(out.stderr.contains("read-only"), "{}", out.stderr);
        assert_eq!(
            env.sb.with_world(|w| w.unread_count(WORK, "carol")),
            Some(0)
        );
        let audit = env.audit();
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0]["result"], "refused");
        assert_eq!(audit[0]["target"], format!("{WORK}/carol"));
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_failed_write_is_audited_with_its_code() {
        let env = Env::new().await;
        let out = env
            .run(&["mark-read", "alice", "ghost", "--yes"])
            .await
            .failed();
        assert!(out.stderr.contains("90003"), "{}", out.stderr);
        assert!(out.stderr.contains("PEER_ACCOUNT"), "{}", out.stderr);
        let audit = env.audit();
        assert_eq!(audit[0]["result"], "error");
        assert_eq!(audit[0]["error_code"], 90003);
    }
}

mod errors {
    use super::*;

    #[tokio::test(flavor = "multi_thread")]
    async fn wrong_key_is_one_clear_line() {
        let env = Env::new().await;
        let mut cmd = env.cmd();
        cmd.env("TIM_SECRET_KEY", "definitely-wrong-key");
        let out = run(cmd, &["receipts", WORK, "1"]).await.failed();
        assert_eq!(out.code, 1);
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
        assert!(out.stderr.starts_with("tim-receipts: "), "{}", out.stderr);
        assert!(out.stderr.contains("70009"), "{}", out.stderr);
        assert!(out.stderr.contains("secret key"), "{}", out.stderr);
        assert!(!out.stderr.contains("definitely-wrong-key"));
        assert!(out.stdout.is_empty());
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn unknown_group_says_so() {
        let env = Env::new().await;
        let out = env.run(&["messages", "@TGS#NOSUCHGRP"]).await.failed();
        assert!(
            out.stderr.contains("10010") && out.stderr.contains("does not exist"),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains("tim-receipts groups"), "{}", out.stderr);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn missing_configuration_points_at_the_fix() {
        let env = Env::new().await;
        let out = run(env.bare(), &["groups"]).await.failed();
        assert!(
            out.stderr.contains("no configuration") && out.stderr.contains("--demo"),
            "{}",
            out.stderr
        );
        let out = run(env.bare(), &["--region", "mars", "groups"])
            .await
            .failed();
        assert!(
            out.stderr.contains("mars") && out.stderr.contains("singapore"),
            "{}",
            out.stderr
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn nothing_listening_fails_fast_enough_with_a_network_message() {
        let env = Env::new().await;
        let mut cmd = env.cmd();
        cmd.env("TIM_ENDPOINT", "http://127.0.0.1:9");
        let out = run(cmd, &["receipts", WORK, "1"]).await.failed();
        assert!(out.stderr.contains("could not reach"), "{}", out.stderr);
        assert!(!out.stderr.contains("usersig="), "{}", out.stderr);
    }
}

mod configuration {
    use super::*;

    fn profile_text(env: &Env, key_line: &str) -> String {
        format!(
            "default_profile = \"sb\"\n\n[profiles.sb]\nsdkappid = {}\nidentifier = \"{}\"\nendpoint = \"{}\"\n{key_line}\nbudget = 10\n",
            sandbox::DEFAULT_SDKAPPID,
            sandbox::DEFAULT_ADMIN,
            env.sb.url()
        )
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_profile_with_a_key_file_works_and_config_redacts() {
        let env = Env::new().await;
        let cfg = env.home.path().join("config/tim-receipts/config.toml");
        write_file(
            &cfg,
            &profile_text(&env, "secret_key_file = \"sb.key\""),
            0o644,
        );
        let key = env.home.path().join("config/tim-receipts/sb.key");
        write_file(&key, &format!("{}\n", sandbox::DEFAULT_KEY), 0o600);
        let out = run(env.bare(), &["receipts", WORK, "1"]).await.ok();
        assert_eq!(out.json()[0]["read"], 2);

        let out = run(env.bare(), &["config"]).await.ok();
        assert!(!out.stdout.contains(sandbox::DEFAULT_KEY));
        assert!(out.stdout.contains("<redacted>"), "{}", out.stdout);
        assert!(out.stdout.contains(&cfg.display().to_string()));
        assert!(
            out.stdout.contains("sb (profile default_profile)"),
            "{}",
            out.stdout
        );
        assert!(
            out.stdout.contains("10 calls/s (profile sb.budget)"),
            "{}",
            out.stdout
        );
        assert!(out.stdout.contains("audit.jsonl"));

        // Environment beats the profile, flags beat the environment.
        let mut cmd = env.bare();
        cmd.env("TIM_IDENTIFIER", "someone");
        let out = run(cmd, &["config", "--identifier", "flagged"]).await.ok();
        assert!(
            out.stdout.contains("flagged (flag --identifier)"),
            "{}",
            out.stdout
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_key_bearing_config_others_can_read_is_refused() {
        let env = Env::new().await;
        let cfg = env.home.path().join("c.toml");
        let line = format!("secret_key = \"{}\"", sandbox::DEFAULT_KEY);
        write_file(&cfg, &profile_text(&env, &line), 0o644);
        let path = cfg.display().to_string();
        let out = run(env.bare(), &["--config", &path, "groups"])
            .await
            .failed();
        assert!(
            out.stderr.contains(&format!("chmod 600 {path}")),
            "{}",
            out.stderr
        );
        assert!(!out.stderr.contains(sandbox::DEFAULT_KEY));
        write_file(&cfg, &profile_text(&env, &line), 0o600);
        let mut cmd = env.bare();
        cmd.env("TIM_RECEIPTS_CONFIG", &path);
        run(cmd, &["receipts", WORK, "1"]).await.ok();
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_malformed_config_is_one_line_naming_the_field() {
        let env = Env::new().await;
        let cfg = env.home.path().join("bad.toml");
        write_file(&cfg, "[profiles.default]\nsdkappid = \"twelve\"\n", 0o600);
        let out = run(env.bare(), &["--config", cfg.to_str().unwrap(), "config"])
            .await
            .failed();
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
        assert!(out.stderr.contains("line 2"), "{}", out.stderr);
        assert!(
            out.stderr.contains("profiles.default.sdkappid"),
            "{}",
            out.stderr
        );
    }
}

mod logging {
    use super::*;

    #[tokio::test(flavor = "multi_thread")]
    async fn logs_go_to_a_file_without_secrets() {
        let env = Env::new().await;
        let mut cmd = env.cmd();
        cmd.env("TIM_SECRET_KEY", "wrong-key-for-the-log-test");
        let out = run(cmd, &["--log-level", "trace", "receipts", WORK, "1"])
            .await
            .failed();
        assert!(out.stderr.contains("70009"));
        let out = env
            .run(&[
                "--log-level",
                "trace",
                "set-unread",
                WORK,
                "bob",
                "1",
                "--yes",
            ])
            .await
            .ok();
        assert!(!out.stdout.contains("DEBUG") && !out.stderr.contains("DEBUG"));
        let dir = env.state().join("tim-receipts/logs");
        let mut text = String::new();
        for entry in std::fs::read_dir(&dir).expect("a log directory") {
            text.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
        }
        assert!(text.contains("call failed"), "{text}");
        assert!(text.contains("set_unread"), "{text}");
        assert!(!text.contains("wrong-key-for-the-log-test"));
        assert!(!text.contains(sandbox::DEFAULT_KEY));
        assert!(!text.contains("usersig="), "{text}");
        assert!(
            !text.contains("eJ"),
            "a UserSig (zlib+base64 starts eJ) leaked: {text}"
        );
        let out = env.run(&["--log-level", "loud", "config"]).await.failed();
        assert!(out.stderr.contains("unknown log level"), "{}", out.stderr);
    }
}

mod usersig_cmd {
    use super::*;
    use tim_receipts::usersig;

    #[tokio::test(flavor = "multi_thread")]
    async fn gen_then_inspect_round_trips() {
        let env = Env::new().await;
        let sig = env.run(&["usersig", "gen", "--expire", "600"]).await.ok();
        let sig = sig.stdout.trim().to_string();
        assert!(!sig.contains(sandbox::DEFAULT_KEY));
        let doc = usersig::verify(
            &sig,
            sandbox::DEFAULT_SDKAPPID,
            sandbox::DEFAULT_KEY,
            sandbox::DEFAULT_ADMIN,
            usersig::now_unix(),
        )
        .unwrap();
        assert_eq!(doc.expire, 600);
        let out = env.run(&["usersig", "inspect", &sig]).await.ok();
        assert!(out.stdout.contains("result      VALID"), "{}", out.stdout);
        assert!(
            out.stdout.contains("identifier  administrator"),
            "{}",
            out.stdout
        );

        // From stdin, with the wrong key configured: the signature check fails.
        let mut cmd = env.cmd();
        cmd.env("TIM_SECRET_KEY", "other").stdin(Stdio::piped());
        cmd.args(["usersig", "inspect", "-"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        {
            use tokio::io::AsyncWriteExt;
            let mut stdin = child.stdin.take().unwrap();
            stdin.write_all(sig.as_bytes()).await.unwrap();
        }
        let out = tokio::time::timeout(DEADLINE, child.wait_with_output())
            .await
            .unwrap()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1));
        assert!(stdout.contains("signature   FAILED"), "{stdout}");
        assert!(stdout.contains("70009"), "{stdout}");
        assert!(stdout.contains("failing check: signature"), "{stdout}");
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn inspect_names_each_failing_check() {
        let env = Env::new().await;
        let old = usersig::generate_at(
            sandbox::DEFAULT_SDKAPPID,
            sandbox::DEFAULT_KEY,
            "alice",
            60,
            1_700_000_000,
            6,
        );
        let out = env.run(&["usersig", "inspect", &old]).await.failed();
        assert!(out.stdout.contains("identifier  FAILED"), "{}", out.stdout);
        assert!(out.stdout.contains("70013"), "{}", out.stdout);
        assert!(out.stdout.contains("expiry      FAILED"), "{}", out.stdout);
        assert!(out.stdout.contains("70001"), "{}", out.stdout);
        assert!(out.stdout.contains("signature   ok"), "{}", out.stdout);
        assert!(
            out.stdout.contains("failing check: identifier, expiry"),
            "{}",
            out.stdout
        );
        let out = env.run(&["usersig", "inspect", "not-a-sig"]).await.failed();
        assert!(out.stdout.contains("decode      FAILED"), "{}", out.stdout);
        // No configuration: the fields still show, the checks cannot pass.
        let good = usersig::generate(1, "k", "x", 100);
        let out = run(env.bare(), &["usersig", "inspect", &good])
            .await
            .failed();
        assert!(out.stdout.contains("identifier  x"), "{}", out.stdout);
        assert!(out.stdout.contains("not checked"), "{}", out.stdout);
    }
}

mod demo {
    use super::*;

    #[tokio::test(flavor = "multi_thread")]
    async fn every_read_subcommand_works_on_the_demo() {
        let env = Env::new().await;
        let groups = run(env.bare(), &["--demo", "groups"]).await.ok().json();
        let ids: Vec<&str> = groups
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["id"].as_str().unwrap())
            .collect();
        assert!(ids.contains(&sandbox::DEMO_WAR_ROOM), "{ids:?}");
        let msgs = run(
            env.bare(),
            &["--demo", "messages", sandbox::DEMO_WAR_ROOM, "--limit", "5"],
        )
        .await
        .ok()
        .json();
        let with_receipt = msgs
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["code"] == 0)
            .expect("the war room has a message with a receipt")
            .clone();
        let seq = with_receipt["seq"].to_string();
        let counts = run(
            env.bare(),
            &["--demo", "receipts", sandbox::DEMO_WAR_ROOM, &seq],
        )
        .await
        .ok()
        .json();
        assert_eq!(counts[0]["read"], with_receipt["read"]);
        let read = run(
            env.bare(),
            &["--demo", "members", sandbox::DEMO_WAR_ROOM, &seq, "--read"],
        )
        .await
        .ok()
        .json();
        assert_eq!(
            Some(read.as_array().unwrap().len() as u64),
            with_receipt["read"].as_u64()
        );
        let out = run(env.bare(), &["--demo", "config"]).await.ok();
        assert!(out.stdout.contains("demo"), "{}", out.stdout);
        let sig = run(env.bare(), &["--demo", "usersig", "gen"]).await.ok();
        run(
            env.bare(),
            &["--demo", "usersig", "inspect", sig.stdout.trim()],
        )
        .await
        .ok();
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn writes_work_on_the_demo_too() {
        let env = Env::new().await;
        // Find, in the same demo world, a colleague nora.ops has unread 1:1 messages from.
        let w = World::demo(sandbox::DEFAULT_SEED);
        let (peer, unread) = w
            .members(sandbox::DEMO_ALL_HANDS)
            .unwrap()
            .into_iter()
            .map(|m| {
                let n = w.c2c_unread(sandbox::DEMO_C2C_USER, &m);
                (m, n)
            })
            .find(|(_, n)| *n > 0)
            .expect("nora.ops has unread 1:1 messages from a colleague");
        let out = run(
            env.bare(),
            &[
                "--demo",
                "mark-read",
                sandbox::DEMO_C2C_USER,
                &peer,
                "--yes",
            ],
        )
        .await
        .ok()
        .json();
        assert_eq!(out["before"], unread);
        assert_eq!(out["after"], 0);
        let audit = env.audit();
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0]["profile"], "demo");
        assert_eq!(audit[0]["result"], "ok");
        let out = run(
            env.bare(),
            &[
                "--demo",
                "--read-only",
                "set-unread",
                sandbox::DEMO_WAR_ROOM,
                &peer,
                "1",
                "--yes",
            ],
        )
        .await
        .failed();
        assert!(out.stderr.contains("read-only"), "{}", out.stderr);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn long_member_drains_report_progress_on_stderr() {
        let env = Env::new().await;
        let msgs = run(
            env.bare(),
            &[
                "--demo",
                "messages",
                sandbox::DEMO_ALL_HANDS,
                "--limit",
                "20",
            ],
        )
        .await
        .ok()
        .json();
        let big = msgs
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["read"].as_u64().is_some_and(|r| r >= 2_000))
            .expect("an announcement read by thousands")
            .clone();
        let seq = big["seq"].to_string();
        let out = run(
            env.bare(),
            &["--demo", "members", sandbox::DEMO_ALL_HANDS, &seq, "--read"],
        )
        .await
        .ok();
        let read = out.json();
        assert_eq!(
            Some(read.as_array().unwrap().len() as u64),
            big["read"].as_u64()
        );
        assert!(out.stderr.contains("Read list of seq"), "{}", out.stderr);
        assert!(out.stderr.contains("loaded"), "{}", out.stderr);
    }
}

mod tty {
    //! Writes on a terminal: the exact request is shown and the answer defaults to No.

    use std::io::{Read, Write};
    use std::sync::mpsc::{self, RecvTimeoutError};
    use std::time::Instant;

    use portable_pty::{CommandBuilder, PtySize, native_pty_system};

    use super::*;

    /// Run the binary in a pseudo-terminal, type `answer` once `prompt` shows; returns
    /// everything it printed and its exit code.
    fn run_in_pty(env: &Env, args: &[&str], prompt: &str, answer: &str) -> (String, u32) {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 40,
                cols: 120,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_tim-receipts"));
        cmd.args(args);
        for (k, _) in std::env::vars() {
            if k.starts_with("TIM_") || k.starts_with("XDG_") {
                cmd.env_remove(k);
            }
        }
        cmd.env("HOME", env.home.path());
        cmd.env("XDG_CONFIG_HOME", env.home.path().join("config"));
        cmd.env("XDG_STATE_HOME", env.state());
        cmd.env("TIM_ENDPOINT", env.sb.url());
        cmd.env("TIM_SDKAPPID", sandbox::DEFAULT_SDKAPPID.to_string());
        cmd.env("TIM_IDENTIFIER", sandbox::DEFAULT_ADMIN);
        cmd.env("TIM_SECRET_KEY", sandbox::DEFAULT_KEY);
        let mut child = pty.slave.spawn_command(cmd).expect("spawn in the pty");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let mut writer = pty.master.take_writer().unwrap();
        let (tx, rx) = mpsc::channel::<Vec<u8>>();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + DEADLINE;
        let mut seen = String::new();
        let mut answered = false;
        loop {
            match rx.recv_timeout(Duration::from_millis(100)) {
                Ok(chunk) => seen.push_str(&String::from_utf8_lossy(&chunk)),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
            if !answered && seen.contains(prompt) {
                writer.write_all(answer.as_bytes()).unwrap();
                writer.flush().unwrap();
                answered = true;
            }
            if let Ok(Some(_)) = child.try_wait() {
                // Collect what is still buffered, briefly.
                while let Ok(chunk) = rx.recv_timeout(Duration::from_millis(200)) {
                    seen.push_str(&String::from_utf8_lossy(&chunk));
                }
                break;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!(
                    "tim-receipts {args:?} in a pty ran past {DEADLINE:?}; output so far:\n{seen}"
                );
            }
        }
        let status = child.wait().expect("the child ends");
        (seen, status.exit_code())
    }

    async fn in_pty(env: &Env, args: &[&str], answer: &str) -> (String, u32) {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        tokio::task::block_in_place(|| {
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            run_in_pty(env, &refs, "Proceed? [y/N]", answer)
        })
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn the_prompt_shows_the_exact_request_and_defaults_to_no() {
        let env = Env::new().await;
        let (seen, code) = in_pty(&env, &["set-unread", WORK, "carol", "2"], "\r").await;
        assert_eq!(code, 1, "{seen}");
        assert!(seen.contains("About to set carol's unread count"), "{seen}");
        assert!(
            seen.contains("POST /v4/group_open_http_svc/set_unread_msg_num"),
            "{seen}"
        );
        assert!(seen.contains("\"UnreadMsgNum\": 2"), "{seen}");
        assert!(seen.contains(&format!("\"GroupId\": \"{WORK}\"")), "{seen}");
        assert!(seen.contains("cancelled; nothing was written"), "{seen}");
        assert_eq!(
            env.sb.with_world(|w| w.unread_count(WORK, "carol")),
            Some(0)
        );
        assert!(env.audit().is_empty());

        let (seen, code) = in_pty(&env, &["set-unread", WORK, "carol", "2"], "n\r").await;
        assert_eq!(code, 1, "{seen}");
        assert_eq!(
            env.sb.with_world(|w| w.unread_count(WORK, "carol")),
            Some(0)
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn yes_on_the_terminal_writes() {
        let env = Env::new().await;
        let (seen, code) = in_pty(&env, &["mark-read", "alice", "bob"], "y\r").await;
        assert_eq!(code, 0, "{seen}");
        assert!(seen.contains("\"Report_Account\": \"alice\""), "{seen}");
        // stdout is the terminal too, so the result is the table form.
        assert!(
            seen.contains("done: mark alice's 1:1 conversation with bob read"),
            "{seen}"
        );
        assert!(
            seen.contains("1:1 unread count: before 4, after 0"),
            "{seen}"
        );
        assert_eq!(env.audit().len(), 1);
    }
}
