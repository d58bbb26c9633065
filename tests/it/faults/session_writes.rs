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

/// The outcome line of each write (its attempt line checked and left out).
fn audit_lines(log: &AuditLog) -> Vec<Value> {
    let path = log.path().expect("explicit path");
    let lines: Vec<Value> = match std::fs::read_to_string(path) {
        Ok(t) => t
            .lines()
            .map(|l| serde_json::from_str(l).expect("JSON line"))
            .collect(),
        Err(_) => Vec::new(),
    };
    super::audit_lines::outcomes(&lines)
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
        let session = Session::for_client(client.clone(), "test", "sandbox", false, log.clone());
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
