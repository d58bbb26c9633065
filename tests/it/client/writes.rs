use super::*;
use tim_receipts::audit::AuditLog;
use tim_receipts::session::{Session, WriteError};

/// The outcome line of each write (its attempt line checked and left out).
fn audit_lines(log: &AuditLog) -> Vec<serde_json::Value> {
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(log.path().unwrap())
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    super::audit_lines::outcomes(&lines)
}

#[tokio::test]
async fn set_unread_reads_before_and_after() {
    let sb = sandbox().await;
    let c = client(&sb);
    let action = WriteAction::SetUnread {
        group: WORK.into(),
        member: "carol".into(),
        unread: 2,
    };
    let out = c.run_write(&action).await.unwrap();
    assert_eq!((out.before, out.after), (Some(0), Some(2)));
    assert_eq!(out.note, None);
    assert_eq!(sb.with_world(|w| w.unread_count(WORK, "carol")), Some(2));
    // Above the message count: capped, and said so.
    let out = c
        .run_write(&WriteAction::SetUnread {
            group: WORK.into(),
            member: "carol".into(),
            unread: 99,
        })
        .await
        .unwrap();
    assert_eq!(out.after, Some(4));
    assert!(out.note.unwrap().contains("capped"));
    // Meeting groups ignore the call.
    let out = c
        .run_write(&WriteAction::SetUnread {
            group: MEETING.into(),
            member: "bob".into(),
            unread: 1,
        })
        .await
        .unwrap();
    assert_eq!(out.before, out.after);
    assert!(out.note.unwrap().contains("Meeting groups ignore"));
}

#[tokio::test]
async fn mark_read_zeroes_the_one_to_one_count() {
    let sb = sandbox().await;
    let c = client(&sb);
    let out = c
        .run_write(&WriteAction::MarkC2cRead {
            report: "alice".into(),
            peer: "bob".into(),
            time: None,
        })
        .await
        .unwrap();
    assert_eq!((out.before, out.after), (Some(4), Some(0)));
    let e = c
        .run_write(&WriteAction::MarkC2cRead {
            report: "alice".into(),
            peer: "ghost".into(),
            time: None,
        })
        .await
        .unwrap_err();
    assert_eq!(code(&e), 90003);
}

#[tokio::test]
async fn the_gate_refuses_read_only_and_audits_every_outcome() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::at(dir.path().join("audit.jsonl"));
    let action = WriteAction::SetUnread {
        group: WORK.into(),
        member: "bob".into(),
        unread: 1,
    };
    let ro = Session::for_client(client(&sb), "test", "sandbox", true, log.clone());
    let before_calls = ro.client.stats().total_calls;
    assert!(matches!(
        ro.write(&action).await,
        Err(WriteError::ReadOnly(_))
    ));
    assert_eq!(ro.client.stats().total_calls, before_calls, "no call made");

    let rw = Session::for_client(client(&sb), "test", "sandbox", false, log.clone());
    let out = rw.write(&action).await.unwrap();
    assert_eq!(out.after, Some(1));
    let bad = WriteAction::SetUnread {
        group: "@TGS#NOSUCH".into(),
        member: "bob".into(),
        unread: 1,
    };
    let e = rw.write(&bad).await.unwrap_err();
    assert!(matches!(e, WriteError::Api(ref a) if a.code() == Some(10010)));

    let lines = audit_lines(&log);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["result"], "refused");
    assert_eq!(lines[1]["result"], "ok");
    assert_eq!(lines[1]["action"], "set_unread");
    assert_eq!(lines[1]["target"], format!("{WORK}/bob"));
    assert_eq!(lines[1]["profile"], "test");
    assert!(lines[1]["before"].is_u64() && lines[1]["after"] == 1);
    assert_eq!(lines[2]["result"], "error");
    assert_eq!(lines[2]["error_code"], 10010);
    let text = std::fs::read_to_string(log.path().unwrap()).unwrap();
    assert!(!text.contains(sandbox::DEFAULT_KEY));
}

#[tokio::test]
async fn writes_are_never_retried() {
    let sb = sandbox_with(SandboxConfig {
        fail_rate: 1.0,
        fault_kinds: vec![FaultKind::Internal],
        ..SandboxConfig::default()
    })
    .await;
    let c = client(&sb);
    let e = c.send_text(WORK, "alice", "x", true).await.unwrap_err();
    assert_eq!(code(&e), 10002);
    let s = c.stats();
    assert_eq!((s.total_calls, s.retries, s.failed_calls), (1, 0, 1));
}
