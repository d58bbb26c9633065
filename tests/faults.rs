//! Fault tolerance: reads against a sandbox that fails 20% of calls in every way it can,
//! and the guards around writes (confirmation, read-only, the audit log).
//! Run: `cargo test --test faults`.
//!
//! Every test is bounded: the client timeout is short, retries are bounded, and each test
//! runs under an overall deadline. No sleeps are used for synchronisation.

#[path = "common/counts_world.rs"]
mod counts_world;

mod common {
    use std::future::Future;
    use std::path::{Path, PathBuf};
    use std::process::{Output, Stdio};
    use std::time::Duration;

    use serde_json::Value;
    use tim_receipts::api::{Client, ClientConfig, GroupType};
    use tim_receipts::sandbox::{
        self, DEFAULT_ADMIN, DEFAULT_KEY, DEFAULT_SDKAPPID, FaultKind, Sandbox, SandboxConfig,
        World,
    };

    /// Upper bound on any one test.
    pub const DEADLINE: Duration = Duration::from_secs(180);

    pub const DRAIN_GROUP: &str = "@TGS#2FAULTDRAIN";
    pub const COUNTS_GROUP: &str = "@TGS#2FAULTCOUNT";
    pub const WORK: &str = "@TGS#1FAULTWORK";
    pub const SENDER: &str = "announcer";
    pub const DRAIN_MEMBERS: usize = 6_000;
    pub use super::counts_world::{SEQS, expected_count};

    /// Run a test body under the overall deadline.
    pub async fn bounded<T>(f: impl Future<Output = T>) -> T {
        tokio::time::timeout(DEADLINE, f)
            .await
            .expect("the test finished within its deadline")
    }

    /// The drain group (sender + 6,000 members, one unread message with a receipt), the
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

        /// The audit log's lines (none when the file does not exist).
        pub fn audit(&self) -> Vec<Value> {
            match std::fs::read_to_string(self.audit_path()) {
                Ok(text) => text
                    .lines()
                    .map(|l| serde_json::from_str(l).expect("audit lines are JSON"))
                    .collect(),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
                Err(e) => panic!("cannot read the audit log: {e}"),
            }
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
}

/// Draining a member list while the sandbox fails 20% of calls, one fault mode at a time
/// and all of them mixed: the result is exactly the list, in order, once each.
mod drain_under_faults {
    use std::collections::HashSet;

    use tim_receipts::api::ReceiptFilter;
    use tim_receipts::sandbox::FaultKind;

    use super::common::*;

    async fn drain_with(kinds: &[FaultKind], seed: u64) {
        bounded(async {
            let (sb, seq) = faulty(0.2, kinds, seed).await;
            let want = drain_expected(&sb);
            assert_eq!(want.len(), DRAIN_MEMBERS);
            let client = client(&sb.url(), 10);
            let mut progress = Vec::new();
            let got = client
                .receipt_members_all(DRAIN_GROUP, seq, ReceiptFilter::Unread, &mut |n| {
                    progress.push(n)
                })
                .await
                .unwrap_or_else(|e| panic!("{kinds:?}: the drain failed: {e}"));
            let unique: HashSet<&String> = got.iter().collect();
            assert_eq!(unique.len(), got.len(), "{kinds:?}: duplicates");
            assert_eq!(got.len(), DRAIN_MEMBERS, "{kinds:?}: gaps");
            assert_eq!(got, want, "{kinds:?}: the list in server order");
            // 30 pages of 200, each reported once, growing.
            assert_eq!(progress, (1..=30).map(|p| p * 200).collect::<Vec<_>>());
            let stats = client.stats();
            assert!(
                stats.retries >= 1,
                "{kinds:?}: no fault was injected ({stats:?}); the test proves nothing"
            );
            assert_eq!(stats.failed_calls, 0, "{kinds:?}: {stats:?}");
            assert_eq!(
                stats.total_calls,
                30 + stats.retries,
                "{kinds:?}: {stats:?}"
            );
            assert_eq!(stats.in_flight, 0);
            sb.shutdown().await;
        })
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn internal_error_10002() {
        drain_with(&[FaultKind::Internal], 11).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn bad_gateway_502() {
        drain_with(&[FaultKind::BadGateway], 12).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn truncated_json() {
        drain_with(&[FaultKind::Truncated], 13).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn stalls_past_the_client_timeout() {
        drain_with(&[FaultKind::Stall], 14).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn frequency_limit_60007() {
        drain_with(&[FaultKind::FrequencyLimit], 15).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_fault_mixed() {
        drain_with(&FaultKind::ALL, 16).await;
    }
}

/// Counts for many seqs while calls fail: every count is right, in the order asked.
mod counts_under_faults {
    use std::time::Duration;

    use tim_receipts::sandbox::{self, FaultKind, RateLimits, SandboxConfig};

    use super::common::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn counts_for_many_seqs_are_right_with_every_fault() {
        bounded(async {
            let (sb, _) = faulty(0.2, &FaultKind::ALL, 21).await;
            let client = client(&sb.url(), 10);
            // Out of order, with duplicates and seqs that do not exist.
            let mut seqs: Vec<u64> = (1..=SEQS).rev().collect();
            seqs.extend([0, 5, 5, SEQS + 1, SEQS + 500, 7]);
            let want: Vec<_> = seqs.iter().copied().map(expected_count).collect();
            for round in 0..5 {
                let got = client
                    .receipt_counts(COUNTS_GROUP, &seqs)
                    .await
                    .unwrap_or_else(|e| panic!("round {round}: {e}"));
                assert_eq!(got, want, "round {round}");
            }
            let stats = client.stats();
            assert!(
                stats.retries >= 5,
                "too few faults to prove much: {stats:?}"
            );
            assert_eq!(stats.failed_calls, 0, "{stats:?}");
            sb.shutdown().await;
        })
        .await;
    }

    /// The sandbox's real per-API limit (here 5 calls/s) against a client allowed 200/s:
    /// the 60007 answers are retried with backoff until every count is in.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_real_frequency_limit_is_waited_out() {
        bounded(async {
            let (world, _) = world();
            let sb = sandbox::start_with_world(
                SandboxConfig {
                    rate_limits: RateLimits {
                        per_api: 5,
                        group_list: 1,
                        window: Duration::from_secs(1),
                    },
                    ..SandboxConfig::default()
                },
                world,
            )
            .await
            .expect("sandbox starts");
            let client = client(&sb.url(), 10);
            let seqs: Vec<u64> = (1..=SEQS).collect();
            let want: Vec<_> = seqs.iter().copied().map(expected_count).collect();
            let got = client
                .receipt_counts(COUNTS_GROUP, &seqs)
                .await
                .expect("counts despite the limit");
            assert_eq!(got, want);
            let stats = client.stats();
            assert!(stats.retries >= 1, "the limit was never hit: {stats:?}");
            assert_eq!(stats.failed_calls, 0);
            sb.shutdown().await;
        })
        .await;
    }

    /// When the faults do not stop, the error says so plainly instead of hanging.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn persistent_failure_is_a_clear_bounded_error() {
        bounded(async {
            let (sb, _) = faulty(1.0, &[FaultKind::BadGateway], 22).await;
            let client = client(&sb.url(), 3);
            let err = client
                .receipt_counts(COUNTS_GROUP, &[1, 2, 3])
                .await
                .expect_err("every call fails");
            let line = err.one_line();
            assert!(line.contains("HTTP 502"), "{line}");
            assert!(line.contains("retry"), "{line}");
            let stats = client.stats();
            assert_eq!((stats.total_calls, stats.retries), (3, 2), "{stats:?}");
            sb.shutdown().await;
        })
        .await;
    }
}

/// Writes through the library: the one gate (`Session::write`) refuses in read-only mode,
/// never retries, and audits every attempt with its result.
mod session_writes {
    use serde_json::Value;
    use tim_receipts::api::WriteAction;
    use tim_receipts::audit::AuditLog;
    use tim_receipts::sandbox::{self, FaultKind, SandboxConfig};
    use tim_receipts::session::{Session, WriteError};

    use super::common::*;

    fn actions() -> Vec<WriteAction> {
        vec![
            WriteAction::SetUnread {
                group: WORK.into(),
                member: "bob".into(),
                unread: 2,
            },
            WriteAction::MarkC2cRead {
                report: "alice".into(),
                peer: "bob".into(),
                time: None,
            },
        ]
    }

    fn audit_lines(log: &AuditLog) -> Vec<Value> {
        let path = log.path().expect("explicit path");
        match std::fs::read_to_string(path) {
            Ok(t) => t
                .lines()
                .map(|l| serde_json::from_str(l).expect("JSON line"))
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    fn state(sb: &sandbox::Sandbox) -> (Option<u64>, u64) {
        sb.with_world(|w| (w.unread_count(WORK, "bob"), w.c2c_unread("alice", "bob")))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn read_only_refuses_every_write_and_audits_the_refusal() {
        bounded(async {
            let (sb, _) = faulty(0.0, &[], 31).await;
            let dir = tempfile::tempdir().unwrap();
            let log = AuditLog::at(dir.path().join("audit.jsonl"));
            let client = client(&sb.url(), 3);
            let session = Session::for_client(client.clone(), "test", "sandbox", true, log.clone());
            let before = state(&sb);
            assert_eq!(before, (Some(6), 5));
            for action in actions() {
                match session.write(&action).await {
                    Err(WriteError::ReadOnly(what)) => assert_eq!(what, action.summary()),
                    other => panic!("{action:?} was not refused: {other:?}"),
                }
            }
            assert_eq!(state(&sb), before, "nothing changed");
            assert_eq!(client.stats().total_calls, 0, "not even a read was made");
            let lines = audit_lines(&log);
            assert_eq!(lines.len(), 2);
            for (line, action) in lines.iter().zip(actions()) {
                assert_eq!(line["result"], "refused");
                assert_eq!(line["action"], action.name());
                assert_eq!(line["request"], action.body());
            }
            sb.shutdown().await;
        })
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn successes_and_service_errors_are_audited_with_their_result() {
        bounded(async {
            let (sb, _) = faulty(0.0, &[], 32).await;
            let dir = tempfile::tempdir().unwrap();
            let log = AuditLog::at(dir.path().join("audit.jsonl"));
            let session =
                Session::for_client(client(&sb.url(), 3), "test", "sandbox", false, log.clone());
            for action in actions() {
                session.write(&action).await.expect("write succeeds");
            }
            assert_eq!(state(&sb), (Some(2), 0));
            let bad = WriteAction::SetUnread {
                group: "@TGS#1NOSUCHGROUP".into(),
                member: "bob".into(),
                unread: 1,
            };
            let err = session.write(&bad).await.expect_err("unknown group");
            assert!(
                matches!(err, WriteError::Api(ref e) if e.code() == Some(10010)),
                "{err:?}"
            );
            let bad_peer = WriteAction::MarkC2cRead {
                report: "nobody-here".into(),
                peer: "bob".into(),
                time: Some(1),
            };
            session.write(&bad_peer).await.expect_err("unknown account");
            let lines = audit_lines(&log);
            let results: Vec<&str> = lines
                .iter()
                .map(|l| l["result"].as_str().unwrap())
                .collect();
            assert_eq!(results, ["ok", "ok", "error", "error"]);
            assert_eq!(
                (lines[0]["before"].as_u64(), lines[0]["after"].as_u64()),
                (Some(6), Some(2))
            );
            assert_eq!(
                (lines[1]["before"].as_u64(), lines[1]["after"].as_u64()),
                (Some(5), Some(0))
            );
            assert_eq!(lines[2]["error_code"], 10010);
            assert_eq!(lines[3]["error_code"], 90008);
            assert_eq!(lines[3]["target"], "nobody-here->bob");
            sb.shutdown().await;
        })
        .await;
    }

    /// An injected fault on the write: it is not retried (only the before-reads are), the
    /// caller gets the error, and the audit line says error with the code.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failing_write_is_not_retried_and_is_audited() {
        bounded(async {
            let (world, _) = world();
            let sb = sandbox::start_with_world(
                SandboxConfig {
                    fail_rate: 1.0,
                    fault_kinds: vec![FaultKind::Internal],
                    ..SandboxConfig::default()
                },
                world,
            )
            .await
            .expect("sandbox starts");
            let dir = tempfile::tempdir().unwrap();
            let log = AuditLog::at(dir.path().join("audit.jsonl"));
            let client = client(&sb.url(), 3);
            let session =
                Session::for_client(client.clone(), "test", "sandbox", false, log.clone());
            let action = actions().remove(0);
            let err = session.write(&action).await.expect_err("10002");
            assert!(
                matches!(err, WriteError::Api(ref e) if e.code() == Some(10002)),
                "{err:?}"
            );
            // Before-reads: get_group_info and get_specified_group_member_info, 3 attempts
            // each; the write: 1 attempt; no after-read once the write failed.
            let stats = client.stats();
            assert_eq!(stats.total_calls, 7, "{stats:?}");
            assert_eq!(stats.retries, 4, "{stats:?}");
            let lines = audit_lines(&log);
            assert_eq!(lines.len(), 1);
            assert_eq!(lines[0]["result"], "error");
            assert_eq!(lines[0]["error_code"], 10002);
            assert_eq!(state(&sb), (Some(6), 5), "nothing changed");
            sb.shutdown().await;
        })
        .await;
    }

    /// No service at all: the write fails with a network error, which is audited too.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_network_failure_is_audited() {
        bounded(async {
            let closed = {
                let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
                l.local_addr().unwrap()
            };
            let dir = tempfile::tempdir().unwrap();
            let log = AuditLog::at(dir.path().join("audit.jsonl"));
            let session = Session::for_client(
                client(&format!("http://{closed}"), 1),
                "test",
                "nowhere",
                false,
                log.clone(),
            );
            let err = session
                .write(&actions().remove(1))
                .await
                .expect_err("no server");
            assert!(err.to_string().contains("network error"), "{err}");
            let lines = audit_lines(&log);
            assert_eq!(lines.len(), 1);
            assert_eq!(lines[0]["result"], "error");
            assert!(
                lines[0]["error"]
                    .as_str()
                    .unwrap()
                    .contains("network error")
            );
        })
        .await;
    }

    /// Without a usable audit log the write is refused before any call.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_audit_trail_no_write() {
        bounded(async {
            let (sb, _) = faulty(0.0, &[], 33).await;
            let dir = tempfile::tempdir().unwrap();
            let blocker = dir.path().join("not-a-dir");
            std::fs::write(&blocker, "a file where the directory should be").unwrap();
            let log = AuditLog::at(blocker.join("audit.jsonl"));
            let client = client(&sb.url(), 3);
            let session = Session::for_client(client.clone(), "test", "sandbox", false, log);
            let err = session
                .write(&actions().remove(0))
                .await
                .expect_err("refused");
            assert!(err.to_string().contains("audit"), "{err}");
            assert_eq!(client.stats().total_calls, 0);
            assert_eq!(state(&sb), (Some(6), 5));
            sb.shutdown().await;
        })
        .await;
    }
}

/// The write subcommands as a user runs them (the real binary, stdin not a terminal): every
/// write subcommand under every refusal (tests/cli.rs has the single cases and the
/// successful, audited writes).
mod write_subcommands {
    use super::common::*;

    const SET_UNREAD: [&str; 4] = ["set-unread", WORK, "bob", "2"];
    const MARK_READ: [&str; 3] = ["mark-read", "alice", "bob"];

    fn state(sb: &tim_receipts::sandbox::Sandbox) -> (Option<u64>, u64) {
        sb.with_world(|w| (w.unread_count(WORK, "bob"), w.c2c_unread("alice", "bob")))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_confirmation_no_write() {
        bounded(async {
            let (sb, _) = faulty(0.0, &[], 41).await;
            let home = Home::new();
            for args in [&SET_UNREAD[..], &MARK_READ[..]] {
                let out = home.run(&sb.url(), args).await;
                let err = text(&out.stderr);
                assert!(!out.status.success(), "{args:?}: {err}");
                assert!(err.contains("without confirmation"), "{err}");
                assert!(err.contains("--yes"), "{err}");
                assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
                assert!(out.stdout.is_empty());
            }
            assert_eq!(state(&sb), (Some(6), 5), "nothing was written");
            assert!(home.audit().is_empty(), "nothing was attempted");
            sb.shutdown().await;
        })
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn read_only_flag_and_profile_refuse_every_write() {
        bounded(async {
            let (sb, _) = faulty(0.0, &[], 42).await;
            let home = Home::new();
            // --read-only, with and without --yes.
            for extra in [&["--read-only", "--yes"][..], &["--read-only"][..]] {
                for cmd in [&SET_UNREAD[..], &MARK_READ[..]] {
                    let args: Vec<&str> = cmd.iter().chain(extra).copied().collect();
                    let out = home.run(&sb.url(), &args).await;
                    let err = text(&out.stderr);
                    assert!(!out.status.success(), "{args:?}");
                    assert!(err.contains("read-only mode"), "{err}");
                    assert_eq!(err.trim().lines().count(), 1, "{err}");
                }
            }
            // read_only = true in the profile.
            let config = home.path().join("config.toml");
            std::fs::write(&config, "[profiles.default]\nread_only = true\n").unwrap();
            let config = config.to_str().unwrap();
            for cmd in [&SET_UNREAD[..], &MARK_READ[..]] {
                let args: Vec<&str> = cmd
                    .iter()
                    .copied()
                    .chain(["--yes", "--config", config])
                    .collect();
                let out = home.run(&sb.url(), &args).await;
                let err = text(&out.stderr);
                assert!(!out.status.success(), "{args:?}");
                assert!(err.contains("read-only mode"), "{err}");
            }
            assert_eq!(state(&sb), (Some(6), 5), "nothing was written");
            let audit = home.audit();
            assert_eq!(audit.len(), 6);
            assert!(audit.iter().all(|l| l["result"] == "refused"), "{audit:?}");
            sb.shutdown().await;
        })
        .await;
    }

    /// A write that hits an injected fault fails once (no retry) and is audited.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_write_hitting_a_fault_is_audited_as_an_error() {
        bounded(async {
            let (sb, _) = faulty(1.0, &[tim_receipts::sandbox::FaultKind::BadGateway], 44).await;
            let home = Home::new();
            let out = home
                .run(&sb.url(), &[&MARK_READ[..], &["--yes"]].concat())
                .await;
            let err = text(&out.stderr);
            assert!(!out.status.success());
            assert!(err.contains("HTTP 502"), "{err}");
            let audit = home.audit();
            assert_eq!(audit.len(), 1);
            assert_eq!(audit[0]["result"], "error");
            assert!(audit[0]["error"].as_str().unwrap().contains("502"));
            assert_eq!(state(&sb), (Some(6), 5));
            sb.shutdown().await;
        })
        .await;
    }
}
