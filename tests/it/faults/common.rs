use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::Duration;

use serde_json::Value;
use tim_receipts::api::{Client, ClientConfig, GroupType};
use tim_receipts::sandbox::{
    self, DEFAULT_ADMIN, DEFAULT_KEY, DEFAULT_SDKAPPID, FaultKind, Sandbox, SandboxConfig, World,
};

/// Upper bound on any one test.
pub const DEADLINE: Duration = Duration::from_secs(180);

pub const DRAIN_GROUP: &str = "@TGS#2FAULTDRAIN";
pub const COUNTS_GROUP: &str = "@TGS#2FAULTCOUNT";
pub const WORK: &str = "@TGS#1FAULTWORK";
pub const SENDER: &str = "announcer";
/// Receipts work only in groups of up to 200 members: the longest list is 199.
pub const DRAIN_MEMBERS: usize = 199;
/// A small `Count`, so the list takes many pages (40) and faults hit mid-drain.
pub const DRAIN_PAGE: u32 = 5;
pub use super::counts_world::{SEQS, expected_count};

/// Run a test body under the overall deadline.
pub async fn bounded<T>(f: impl Future<Output = T>) -> T {
    tokio::time::timeout(DEADLINE, f)
        .await
        .expect("the test finished within its deadline")
}

/// The drain group (sender + 199 members, one unread message with a receipt), the
/// counts group (100 readers, 1,000 messages, reader i read up to 10·i, every seventh
/// message without a receipt), and a small Work group with a 1:1 conversation for writes.
pub fn world() -> (World, u64) {
    let mut w = World::new();
    let mut g = w.add_group(DRAIN_GROUP, GroupType::Public, &[SENDER]);
    g.add_generated_members(DRAIN_MEMBERS);
    let seq = g.post(SENDER, "please read", true);

    super::counts_world::add_counts_group(&mut w, COUNTS_GROUP, "lead");

    let mut work = w.add_group(WORK, GroupType::Work, &["alice", "bob", "carol"]);
    for i in 0..10 {
        work.post("alice", &format!("m{i}"), true);
    }
    work.read_up_to("bob", 4);
    w.set_c2c_unread("alice", "bob", 5);
    (w, seq)
}

/// A sandbox failing `rate` of the calls in the given ways. A stall holds a call for 3 s,
/// well past the client's 1 s timeout.
pub async fn faulty(rate: f64, kinds: &[FaultKind], seed: u64) -> (Sandbox, u64) {
    let (world, seq) = world();
    let sb = sandbox::start_with_world(
        SandboxConfig {
            fail_rate: rate,
            fault_kinds: kinds.to_vec(),
            stall: Duration::from_secs(3),
            seed,
            ..SandboxConfig::default()
        },
        world,
    )
    .await
    .expect("sandbox starts");
    (sb, seq)
}

/// A client that gives up on a call after 1 s and tries a read up to 10 times.
pub fn client(endpoint: &str, max_attempts: u32) -> Client {
    Client::new(ClientConfig {
        endpoint: endpoint.to_string(),
        sdkappid: DEFAULT_SDKAPPID,
        identifier: DEFAULT_ADMIN.to_string(),
        secret_key: DEFAULT_KEY.to_string(),
        budget_per_sec: 200,
        timeout: Duration::from_secs(1),
        max_attempts,
        ..ClientConfig::default()
    })
    .expect("client")
}

/// The drain group's members in server order (join order), the sender left out.
pub fn drain_expected(sb: &Sandbox) -> Vec<String> {
    sb.with_world(|w| w.members(DRAIN_GROUP))
        .expect("group exists")
        .into_iter()
        .filter(|m| m != SENDER)
        .collect()
}

/// A scratch HOME with XDG directories inside, for runs of the real binary.
pub struct Home {
    pub dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Home {
        Home {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn audit_path(&self) -> PathBuf {
        self.path().join("state/tim-receipts/audit.jsonl")
    }

    /// The outcome line of each write in the audit log (its attempt line checked and left
    /// out; none when the file does not exist).
    pub fn audit(&self) -> Vec<Value> {
        let lines: Vec<Value> = match std::fs::read_to_string(self.audit_path()) {
            Ok(text) => text
                .lines()
                .map(|l| serde_json::from_str(l).expect("audit lines are JSON"))
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => panic!("cannot read the audit log: {e}"),
        };
        super::audit_lines::outcomes(&lines)
    }

    /// Run the binary against `endpoint` with the sandbox's credentials in the
    /// environment, stdin not a terminal, and a 60 s deadline.
    pub async fn run(&self, endpoint: &str, args: &[&str]) -> Output {
        self.run_env(endpoint, args, &[]).await
    }

    pub async fn run_env(&self, endpoint: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
        let home = self.path();
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_tim-receipts"));
        cmd.env_clear()
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_STATE_HOME", home.join("state"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("TIM_SECRET_KEY", DEFAULT_KEY)
            .env("TIM_SDKAPPID", DEFAULT_SDKAPPID.to_string())
            .env("TIM_IDENTIFIER", DEFAULT_ADMIN)
            .envs(env.iter().copied())
            .arg("--endpoint")
            .arg(endpoint)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        tokio::time::timeout(Duration::from_secs(60), cmd.output())
            .await
            .expect("the binary finished within 60 s")
            .expect("the binary runs")
    }
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
