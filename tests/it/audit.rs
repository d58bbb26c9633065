//! Every write is audited, even when the process is killed mid-write or the disk is full:
//! the attempt line is on disk before the request leaves, the outcome line follows with
//! the same attempt ID, and `audit --pending` lists attempts that never got an outcome.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;
use tim_receipts::api::GroupType;
use tim_receipts::sandbox::{self, Sandbox, SandboxConfig, World};

const GROUP: &str = "@TGS#1AUDITWAR";
const DEADLINE: Duration = Duration::from_secs(60);

fn world() -> World {
    let mut w = World::new();
    let mut g = w.add_group(GROUP, GroupType::Work, &["alice", "bob", "carol"]);
    for i in 0..6 {
        g.post("alice", &format!("notice {i}"), true);
    }
    w
}

struct Env {
    sb: Sandbox,
    home: tempfile::TempDir,
}

impl Env {
    async fn new(config: SandboxConfig) -> Env {
        Env {
            sb: sandbox::start_with_world(config, world()).await.unwrap(),
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn audit_path(&self) -> PathBuf {
        self.home.path().join("state/tim-receipts/audit.jsonl")
    }

    fn lines(&self) -> Vec<Value> {
        std::fs::read_to_string(self.audit_path())
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    fn cmd(&self, args: &[&str]) -> tokio::process::Command {
        let mut c = tokio::process::Command::new(env!("CARGO_BIN_EXE_tim-receipts"));
        for (k, _) in std::env::vars() {
            if k.starts_with("TIM_") || k.starts_with("XDG_") {
                c.env_remove(k);
            }
        }
        c.env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path().join("config"))
            .env("XDG_STATE_HOME", self.home.path().join("state"))
            .env("TIM_ENDPOINT", self.sb.url())
            .env("TIM_SDKAPPID", sandbox::DEFAULT_SDKAPPID.to_string())
            .env("TIM_IDENTIFIER", sandbox::DEFAULT_ADMIN)
            .env("TIM_SECRET_KEY", sandbox::DEFAULT_KEY)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .args(args);
        c
    }

    async fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = tokio::time::timeout(DEADLINE, self.cmd(args).output())
            .await
            .expect("within the deadline")
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn unread(&self, member: &str) -> u64 {
        self.sb
            .with_world(|w| w.unread_count(GROUP, member))
            .unwrap()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_attempt_line_precedes_the_outcome_under_one_id() {
    let env = Env::new(SandboxConfig::default()).await;
    let (code, _, err) = env
        .run(&["set-unread", GROUP, "bob", "2", "--yes", "--format", "json"])
        .await;
    assert_eq!(code, 0, "{err}");
    let lines = env.lines();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0]["result"], "attempt");
    assert_eq!(lines[1]["result"], "ok");
    assert_eq!(lines[0]["attempt"], lines[1]["attempt"]);
    assert_eq!(lines[0]["attempt"].as_str().unwrap().len(), 16);
    assert_eq!(lines[0]["request"]["UnreadMsgNum"], 2);

    let (code, out, _) = env.run(&["audit", "--pending", "--format", "json"]).await;
    assert_eq!(code, 0);
    assert_eq!(
        serde_json::from_str::<Value>(&out).unwrap(),
        Value::Array(vec![])
    );
    let (code, out, _) = env.run(&["audit", "--format", "table"]).await;
    assert_eq!(code, 0);
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!(rows.len(), 2, "{out}");
    assert!(
        rows[1].contains(" ok ") && rows[1].contains("set_unread"),
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_disk_refuses_the_write_before_anything_is_sent() {
    let env = Env::new(SandboxConfig::default()).await;
    let before = env.unread("bob");
    let path = env.audit_path();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    // Every write to /dev/full fails with ENOSPC, as on a full disk.
    std::os::unix::fs::symlink("/dev/full", &path).unwrap();
    let (code, _, err) = env
        .run(&["set-unread", GROUP, "bob", "1", "--yes", "--format", "json"])
        .await;
    assert_ne!(code, 0);
    assert!(err.contains("nothing was sent"), "{err}");
    assert_eq!(
        env.unread("bob"),
        before,
        "the write must not have happened"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_process_killed_mid_write_leaves_a_pending_attempt() {
    // Every answer takes 3 s, so the write is surely in flight when the signal comes.
    let config = SandboxConfig {
        latency: Duration::from_secs(3),
        ..SandboxConfig::default()
    };
    let env = Env::new(config).await;
    let mut child = env
        .cmd(&[
            "set-unread",
            GROUP,
            "carol",
            "4",
            "--yes",
            "--format",
            "json",
        ])
        .spawn()
        .unwrap();
    // Wait (bounded) until the attempt is on disk: the request leaves right after.
    let start = Instant::now();
    while !env.lines().iter().any(|l| l["result"] == "attempt") {
        assert!(start.elapsed() < DEADLINE, "no attempt line appeared");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let pid = child.id().unwrap() as i32;
    // SAFETY: signalling our own child process.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    let status = tokio::time::timeout(DEADLINE, child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(!status.success(), "a killed write must not exit 0");

    let lines = env.lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    let (code, out, _) = env.run(&["audit", "--pending", "--format", "json"]).await;
    assert_eq!(code, 0);
    let pending: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(pending.len(), 1, "{out}");
    assert_eq!(pending[0]["attempt"], lines[0]["attempt"]);
    assert_eq!(pending[0]["target"], format!("{GROUP}/carol"));
}
