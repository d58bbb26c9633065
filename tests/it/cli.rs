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

use crate::common::audit_lines;
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

    /// The outcome line of each write (its attempt line checked and left out).
    fn audit(&self) -> Vec<Value> {
        let lines: Vec<Value> =
            std::fs::read_to_string(self.state().join("tim-receipts/audit.jsonl"))
                .unwrap_or_default()
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
        audit_lines::outcomes(&lines)
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

mod reads;

mod writes;

mod errors;

mod configuration;

mod logging;

mod usersig_cmd;

mod demo;

mod tty;

mod help;
