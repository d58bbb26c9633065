//! The API client over real HTTP against the in-process sandbox (127.0.0.1, port 0):
//! every client call, the error paths, faults with retries, the budget, the write gate with
//! its audit log, and UserSig interop with the official Python package.
//!
//! Interop tests need the PyPI package `tls-sig-api-v2`: set TIM_TEST_PYTHON to a Python
//! that can `import TLSSigAPIv2`, or create `.venv` (see `.ci/run`).

use std::time::{Duration, Instant};

use tim_receipts::api::{
    ApiError, Client, ClientConfig, ClientTuning, GroupType, MessageKind, ReceiptFilter,
    WriteAction,
};
use tim_receipts::sandbox::{self, FaultKind, Sandbox, SandboxConfig, World};

mod support {
    use super::*;

    pub const WORK: &str = "@TGS#1WORKOPS";
    pub const PUBLIC: &str = "@TGS#2PUBLICBIG";
    pub const MEETING: &str = "@TGS#4MEETSYNC";
    pub const LIVE: &str = "@TGS#3LIVESHOW";
    pub const COMMUNITY: &str = "@TGS#_@TGS#CMTYTEST";
    /// Generated members of PUBLIC (plus its owner "owner").
    pub const PUBLIC_EXTRA: usize = 450;

    /// A small world: a Work group with a few messages (one without a receipt, one
    /// recalled), a big Public group, a Meeting, an AVChatRoom and a Community group, and
    /// some 1:1 unread messages.
    pub fn world() -> World {
        let mut w = World::new();
        {
            let mut g = w.add_group(WORK, GroupType::Work, &["alice", "bob", "carol", "dave"]);
            g.name("ops");
            g.post("alice", "first", true);
            g.post("bob", "no receipt here", false);
            g.post("alice", "third", true);
            g.post("carol", "oops", true);
            g.recall(4);
            g.read_up_to("bob", 1);
            g.read_up_to("carol", 3);
        }
        {
            let mut g = w.add_group(PUBLIC, GroupType::Public, &["owner"]);
            g.name("all hands").add_generated_members(PUBLIC_EXTRA);
            g.post("owner", "please read", true);
        }
        let readers: Vec<String> = w.members(PUBLIC).unwrap()[1..131].to_vec();
        {
            let mut g = w.group_mut(PUBLIC).unwrap();
            for r in &readers {
                g.read_up_to(r, 1);
            }
        }
        {
            let mut g = w.add_group(MEETING, GroupType::Meeting, &["alice", "bob"]);
            g.post("alice", "sync", true);
        }
        w.add_group(LIVE, GroupType::AVChatRoom, &["alice"])
            .audience(1000);
        {
            let mut g = w.add_group(COMMUNITY, GroupType::Community, &["alice"]);
            g.add_generated_members(30);
        }
        w.set_c2c_unread("alice", "bob", 4);
        w
    }

    pub async fn sandbox_with(config: SandboxConfig) -> Sandbox {
        sandbox::start_with_world(config, world())
            .await
            .expect("sandbox starts")
    }

    pub async fn sandbox() -> Sandbox {
        sandbox_with(SandboxConfig::default()).await
    }

    pub fn config(sb: &Sandbox) -> ClientConfig {
        ClientConfig {
            endpoint: sb.url(),
            sdkappid: sandbox::DEFAULT_SDKAPPID,
            identifier: sandbox::DEFAULT_ADMIN.into(),
            secret_key: sandbox::DEFAULT_KEY.into(),
            budget_per_sec: 20,
            timeout: Duration::from_secs(10),
            max_attempts: 3,
            ..ClientConfig::default()
        }
    }

    pub fn client(sb: &Sandbox) -> Client {
        Client::new(config(sb)).expect("client builds")
    }

    pub fn code(e: &ApiError) -> i64 {
        e.code()
            .unwrap_or_else(|| panic!("expected a service error, got {e:?}"))
    }
}

use support::*;

mod receipts {
    use super::*;

    #[tokio::test]
    async fn counts_in_the_order_asked_with_no_receipt_as_10062() {
        let sb = sandbox().await;
        let c = client(&sb);
        let counts = c.receipt_counts(WORK, &[3, 1, 2, 4, 1]).await.unwrap();
        let seqs: Vec<u64> = counts.iter().map(|r| r.seq).collect();
        assert_eq!(seqs, vec![3, 1, 2, 4, 1]);
        for r in &counts {
            match sb.with_world(|w| w.receipt_counts(WORK, r.seq)) {
                Some((read, unread)) => {
                    assert_eq!((r.read, r.unread, r.code), (Some(read), Some(unread), 0));
                }
                None => assert_eq!((r.read, r.unread, r.code), (None, None, 10062)),
            }
        }
        // seq 1: bob and carol read it, dave did not (the sender is not counted).
        assert_eq!((counts[1].read, counts[1].unread), (Some(2), Some(1)));
        // seq 2 was sent without a receipt, seq 4 was recalled.
        assert_eq!(counts[2].code, 10062);
        assert_eq!(counts[3].code, 10062);
    }

    #[tokio::test]
    async fn many_seqs_are_batched_by_fifty() {
        let sb = sandbox().await;
        sb.with_world(|w| {
            let mut g = w.group_mut(WORK).unwrap();
            for i in 0..120 {
                g.post("alice", &format!("m{i}"), i % 2 == 0);
            }
        });
        let c = client(&sb);
        let seqs: Vec<u64> = (1..=124).rev().collect();
        let before = c.stats().total_calls;
        let counts = c.receipt_counts(WORK, &seqs).await.unwrap();
        assert_eq!(
            c.stats().total_calls - before,
            3,
            "124 seqs = 3 calls of <= 50"
        );
        assert_eq!(counts.len(), 124);
        assert!(counts.iter().zip(&seqs).all(|(r, s)| r.seq == *s));
        let with_receipt = counts.iter().filter(|r| r.code == 0).count();
        // seqs 1 and 3 (2 has none, 4 was recalled) and every other new one.
        assert_eq!(with_receipt, 2 + 60);
        let s = c.stats();
        assert_eq!(s.in_flight, 0);
        assert!(s.last_latency_ms.is_some());
    }

    #[tokio::test]
    async fn member_lists_drain_every_page_in_order() {
        let sb = sandbox().await;
        let c = client(&sb);
        let mut pages = Vec::new();
        let read = c
            .receipt_members_all(PUBLIC, 1, ReceiptFilter::Read, &mut |n| pages.push(n))
            .await
            .unwrap();
        let unread = c
            .receipt_members_all(PUBLIC, 1, ReceiptFilter::Unread, &mut |_| {})
            .await
            .unwrap();
        assert_eq!(read.len(), 130);
        assert_eq!(unread.len(), PUBLIC_EXTRA - 130);
        assert_eq!(pages, vec![130], "130 readers fit in one page of 200");
        let truth_read = sb
            .with_world(|w| w.receipt_members(PUBLIC, 1, true))
            .unwrap();
        let truth_unread = sb
            .with_world(|w| w.receipt_members(PUBLIC, 1, false))
            .unwrap();
        assert_eq!(read, truth_read);
        assert_eq!(unread, truth_unread);
        // 320 unread = two pages of 200.
        let mut n_pages = 0;
        c.receipt_members_all(PUBLIC, 1, ReceiptFilter::Unread, &mut |_| n_pages += 1)
            .await
            .unwrap();
        assert_eq!(n_pages, 2);
    }

    #[tokio::test]
    async fn cursor_pages_follow_the_server() {
        let sb = sandbox().await;
        let c = client(&sb);
        let first = c
            .receipt_page(PUBLIC, 1, ReceiptFilter::Unread, "", 5)
            .await
            .unwrap();
        assert_eq!(first.accounts.len(), 5);
        assert!(!first.finished);
        assert!(!first.cursor.is_empty());
        let second = c
            .receipt_page(PUBLIC, 1, ReceiptFilter::Unread, &first.cursor, 5)
            .await
            .unwrap();
        assert_eq!(second.accounts.len(), 5);
        assert!(first.accounts.iter().all(|a| !second.accounts.contains(a)));
        let small = c
            .receipt_page(WORK, 1, ReceiptFilter::Read, "", 200)
            .await
            .unwrap();
        assert!(small.finished);
        assert_eq!(small.accounts, vec!["bob", "carol"]);
    }

    #[tokio::test]
    async fn admin_receipt_moves_the_counts() {
        let sb = sandbox().await;
        let c = client(&sb);
        c.ack_receipts(WORK, "dave", &[1, 3]).await.unwrap();
        let counts = c.receipt_counts(WORK, &[1]).await.unwrap();
        assert_eq!((counts[0].read, counts[0].unread), (Some(3), Some(0)));
        assert!(matches!(
            c.ack_receipts(WORK, "dave", &[]).await,
            Err(ApiError::Invalid(_))
        ));
    }
}

mod groups_and_history {
    use super::*;

    #[tokio::test]
    async fn group_list_and_info() {
        let sb = sandbox().await;
        let c = client(&sb);
        let page = c.group_id_page(0, 100, None).await.unwrap();
        assert_eq!(page.total, 5);
        assert_eq!(page.next, 0);
        let infos = c.group_info(&page.ids).await.unwrap();
        let ids: Vec<&str> = infos.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, page.ids.iter().map(String::as_str).collect::<Vec<_>>());
        let work = infos.iter().find(|g| g.id == WORK).unwrap();
        assert_eq!(work.group_type, Some(GroupType::Work));
        assert_eq!((work.name.as_str(), work.member_num), ("ops", 4));
        assert_eq!(work.next_msg_seq, 5);
        let public = infos.iter().find(|g| g.id == PUBLIC).unwrap();
        assert_eq!(public.member_num, 1 + PUBLIC_EXTRA as u64);

        // The type filter, then the 1/s floor keeps the sandbox's own limit untouched.
        let started = Instant::now();
        let only = c
            .group_id_page(0, 100, Some(GroupType::Meeting))
            .await
            .unwrap();
        assert_eq!(only.ids, vec![MEETING]);
        assert!(started.elapsed() >= Duration::from_millis(900));
        assert_eq!(c.stats().retries, 0, "the sandbox never answered 60007");
    }

    #[tokio::test]
    async fn unknown_groups_get_their_code() {
        let sb = sandbox().await;
        let c = client(&sb);
        let infos = c
            .group_info(&[WORK.to_string(), "@TGS#NOSUCH".to_string()])
            .await
            .unwrap();
        assert_eq!(infos[0].code, 0);
        assert_eq!(infos[1].code, 10010);
        let e = c.receipt_counts("@TGS#NOSUCH", &[1]).await.unwrap_err();
        assert_eq!(code(&e), 10010);
        assert!(e.explain().what.contains("does not exist"));
        let e = c
            .receipt_counts("bad id with spaces", &[1])
            .await
            .unwrap_err();
        assert_eq!(code(&e), 10015);
        let e = c.receipt_counts(LIVE, &[1]).await.unwrap_err();
        assert_eq!(code(&e), 10007);
    }

    #[tokio::test]
    async fn members_by_offset_by_next_and_by_id() {
        let sb = sandbox().await;
        let c = client(&sb);
        let first = c.group_members(PUBLIC, 0, None, 200).await.unwrap();
        assert_eq!(first.members.len(), 200);
        assert_eq!(first.member_num, 1 + PUBLIC_EXTRA as u64);
        assert_eq!(first.next, None);
        let third = c.group_members(PUBLIC, 400, None, 200).await.unwrap();
        assert_eq!(third.members.len(), 51);
        assert_eq!(first.members[0].role, "Owner");

        let mut next = String::new();
        let mut all = Vec::new();
        for _ in 0..10 {
            let p = c
                .group_members(COMMUNITY, 0, Some(&next), 12)
                .await
                .unwrap();
            all.extend(p.members.into_iter().map(|m| m.account));
            next = p.next.expect("community pages carry Next");
            if next.is_empty() {
                break;
            }
        }
        assert_eq!(all.len(), 31);
        assert!(next.is_empty());

        let m = c
            .group_members_by_id(WORK, &["carol".into(), "dave".into()])
            .await
            .unwrap();
        let carol = m.iter().find(|m| m.account == "carol").unwrap();
        // carol sent seq 4 herself, so she has read up to it.
        assert_eq!(carol.last_read_seq, 4);
        let too_many: Vec<String> = (0..51).map(|i| format!("u{i}")).collect();
        assert!(matches!(
            c.group_members_by_id(WORK, &too_many).await,
            Err(ApiError::Invalid(_))
        ));
    }

    #[tokio::test]
    async fn history_newest_first_with_placeholders_and_paging() {
        let sb = sandbox().await;
        let c = client(&sb);
        let page = c.messages(WORK, None, 20).await.unwrap();
        let seqs: Vec<u64> = page.messages.iter().map(|m| m.seq).collect();
        assert_eq!(seqs, vec![4, 3, 2, 1]);
        assert_eq!(page.messages[0].kind, MessageKind::Recalled);
        assert_eq!(page.messages[1].text, "third");
        assert_eq!(page.messages[2].from, "bob");
        assert_eq!(page.older, None);
        let newest_two = c.messages(WORK, None, 2).await.unwrap();
        assert_eq!(newest_two.older, Some(2));
        let older = c.messages(WORK, newest_two.older, 2).await.unwrap();
        let seqs: Vec<u64> = older.messages.iter().map(|m| m.seq).collect();
        assert_eq!(seqs, vec![2, 1]);
    }

    #[tokio::test]
    async fn send_text_with_and_without_receipt() {
        let sb = sandbox().await;
        let c = client(&sb);
        let with = c.send_text(WORK, "alice", "hello", true).await.unwrap();
        let without = c.send_text(WORK, "alice", "quiet", false).await.unwrap();
        assert_eq!((with, without), (5, 6));
        let counts = c.receipt_counts(WORK, &[with, without]).await.unwrap();
        assert_eq!((counts[0].read, counts[0].unread), (Some(0), Some(3)));
        assert_eq!(counts[1].code, 10062);
        let page = c.messages(WORK, None, 1).await.unwrap();
        assert_eq!(page.messages[0].text, "quiet");
    }

    #[tokio::test]
    async fn c2c_unread_counts_and_unknown_peers() {
        let sb = sandbox().await;
        let c = client(&sb);
        let u = c
            .c2c_unread("alice", &["bob".into(), "ghost".into()])
            .await
            .unwrap();
        assert_eq!(u.total, 4);
        assert_eq!(u.per_peer, vec![("bob".to_string(), 4)]);
        assert_eq!(u.errors, vec![("ghost".to_string(), 70107)]);
    }
}

mod writes {
    use super::*;
    use tim_receipts::audit::AuditLog;
    use tim_receipts::session::{Session, WriteError};

    fn audit_lines(log: &AuditLog) -> Vec<serde_json::Value> {
        std::fs::read_to_string(log.path().unwrap())
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
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
}

mod failures {
    use super::*;

    #[tokio::test]
    async fn wrong_key_is_70009_with_a_clear_explanation() {
        let sb = sandbox().await;
        let mut config = config(&sb);
        config.secret_key = "not-the-key".into();
        let c = Client::new(config).unwrap();
        let e = c.receipt_counts(WORK, &[1]).await.unwrap_err();
        assert_eq!(code(&e), 70009);
        assert!(!e.is_retryable());
        let line = e.one_line();
        assert!(
            line.contains("secret key") && line.contains("SDKAppID"),
            "{line}"
        );
        assert!(!line.contains("not-the-key"));
        assert_eq!(c.stats().retries, 0);
    }

    #[tokio::test]
    async fn expired_sig_is_70001() {
        let sb = sandbox().await;
        let c = Client::with_tuning(
            config(&sb),
            ClientTuning {
                usersig_expire_secs: 3600,
                clock_offset_secs: -7200,
            },
        )
        .unwrap();
        let e = c.group_info(&[WORK.into()]).await.unwrap_err();
        assert_eq!(code(&e), 70001);
        assert!(e.explain().next_step.contains("clock"));
    }

    #[tokio::test]
    async fn other_app_and_non_admin_identifier() {
        let sb = sandbox().await;
        let mut other = config(&sb);
        other.sdkappid = 1_400_000_999;
        let e = Client::new(other)
            .unwrap()
            .group_info(&[WORK.into()])
            .await
            .unwrap_err();
        assert_eq!(code(&e), 70020);
        let mut not_admin = config(&sb);
        not_admin.identifier = "alice".into();
        let e = Client::new(not_admin)
            .unwrap()
            .group_info(&[WORK.into()])
            .await
            .unwrap_err();
        assert_eq!(code(&e), 60010);
        assert!(e.explain().what.contains("admin"));
    }

    #[tokio::test]
    async fn transient_faults_are_retried_until_success() {
        let sb = sandbox_with(SandboxConfig {
            fail_rate: 0.4,
            fault_kinds: vec![
                FaultKind::Internal,
                FaultKind::BadGateway,
                FaultKind::Truncated,
                FaultKind::FrequencyLimit,
            ],
            ..SandboxConfig::default()
        })
        .await;
        let mut config = config(&sb);
        config.max_attempts = 10;
        let c = Client::new(config).unwrap();
        for _ in 0..15 {
            let counts = c.receipt_counts(WORK, &[1, 3]).await.unwrap();
            assert_eq!(counts[0].read, Some(2));
        }
        let s = c.stats();
        assert!(s.retries > 0, "some calls failed and were retried: {s:?}");
        assert_eq!(s.total_calls, 15 + s.retries);
        assert_eq!(s.failed_calls, 0);
    }

    #[tokio::test]
    async fn each_fault_kind_surfaces_as_its_error_when_retries_run_out() {
        for (kind, check) in [
            (FaultKind::Internal, "10002"),
            (FaultKind::BadGateway, "HTTP 502"),
            (FaultKind::Truncated, "truncated"),
            (FaultKind::FrequencyLimit, "60007"),
        ] {
            let sb = sandbox_with(SandboxConfig {
                fail_rate: 1.0,
                fault_kinds: vec![kind],
                ..SandboxConfig::default()
            })
            .await;
            let mut config = config(&sb);
            config.max_attempts = 2;
            let c = Client::new(config).unwrap();
            let e = c.receipt_counts(WORK, &[1]).await.unwrap_err();
            assert!(e.to_string().contains(check), "{kind:?}: {e}");
            assert!(e.is_retryable());
            assert_eq!(c.stats().retries, 1, "{kind:?}");
            assert_eq!(c.stats().total_calls, 2, "{kind:?}");
        }
    }

    #[tokio::test]
    async fn a_stalled_call_times_out_and_is_retried() {
        let sb = sandbox_with(SandboxConfig {
            fail_rate: 1.0,
            fault_kinds: vec![FaultKind::Stall],
            stall: Duration::from_secs(30),
            ..SandboxConfig::default()
        })
        .await;
        let mut config = config(&sb);
        config.timeout = Duration::from_millis(300);
        config.max_attempts = 2;
        let c = Client::new(config).unwrap();
        let e = c.group_info(&[WORK.into()]).await.unwrap_err();
        assert!(matches!(e, ApiError::Timeout { .. }), "{e:?}");
        assert_eq!(c.stats().retries, 1);
        assert_eq!(c.stats().in_flight, 0);
    }

    #[tokio::test]
    async fn nothing_listening_is_a_transport_error() {
        let sb = sandbox().await;
        let mut config = config(&sb);
        drop(sb);
        config.max_attempts = 1;
        // Give the port a moment to be released is not needed: a refused or reset
        // connection is a transport error either way.
        config.endpoint = "http://127.0.0.1:9".into();
        let e = Client::new(config)
            .unwrap()
            .group_info(&[WORK.into()])
            .await
            .unwrap_err();
        assert!(matches!(e, ApiError::Transport { .. }), "{e:?}");
        assert!(!e.to_string().contains("usersig"), "{e}");
    }
}

mod budget {
    use super::*;

    #[tokio::test]
    async fn the_token_bucket_spaces_calls() {
        let sb = sandbox().await;
        let mut config = config(&sb);
        config.budget_per_sec = 5;
        let c = Client::new(config).unwrap();
        let started = Instant::now();
        // 15 single-chunk calls: a burst of 5, then 10 more at 5/s: at least 2 s.
        let calls = (0..15).map(|_| c.receipt_counts(WORK, &[1]));
        for r in futures::future::join_all(calls).await {
            r.unwrap();
        }
        assert!(
            started.elapsed() >= Duration::from_millis(1_800),
            "15 calls at 5/s took only {:?}",
            started.elapsed()
        );
        assert_eq!(c.stats().total_calls, 15);
    }
}

mod usersig_interop {
    use std::process::Command;

    use tim_receipts::usersig;

    use super::*;

    const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
    const APP: u64 = 1_400_000_000;
    const T: u64 = 1_700_000_000;

    /// The Python with the official `tls-sig-api-v2` package; fails loudly without it.
    fn python() -> String {
        let candidates: Vec<String> = match std::env::var("TIM_TEST_PYTHON") {
            Ok(p) if !p.is_empty() => vec![p],
            _ => vec![format!("{}/.venv/bin/python", env!("CARGO_MANIFEST_DIR"))],
        };
        for p in &candidates {
            let ok = Command::new(p)
                .args(["-c", "import TLSSigAPIv2"])
                .output()
                .is_ok_and(|o| o.status.success());
            if ok {
                return p.clone();
            }
        }
        panic!(
            "the official UserSig package is needed for the interop tests, but {candidates:?} cannot \
             `import TLSSigAPIv2`. Install it: `python3 -m venv .venv && .venv/bin/pip install \
             tls-sig-api-v2` (in the crate directory), or set TIM_TEST_PYTHON=/path/to/python"
        );
    }

    fn py(script: &str, args: &[&str]) -> String {
        let out = Command::new(python())
            .arg("-c")
            .arg(script)
            .args(args)
            .output()
            .expect("python runs");
        assert!(
            out.status.success(),
            "python failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    /// gen_sig with the clock pinned to argv[4] (0 = real time).
    const GEN: &str = "import sys, time, TLSSigAPIv2\n\
        t = int(sys.argv[4])\n\
        if t: time.time = lambda: t\n\
        print(TLSSigAPIv2.TLSSigAPIv2(int(sys.argv[1]), sys.argv[2]).gen_sig(sys.argv[3], int(sys.argv[5])))";
    /// Decode a sig the way the package does (its base64 mapping, zlib, json).
    const DECODE: &str = "import sys, json, zlib, TLSSigAPIv2\n\
        print(json.dumps(json.loads(zlib.decompress(TLSSigAPIv2.base64_decode_url(sys.argv[1].encode())))))";

    fn gen_python(identifier: &str, time: u64, expire: u64) -> String {
        py(
            GEN,
            &[
                &APP.to_string(),
                KEY,
                identifier,
                &time.to_string(),
                &expire.to_string(),
            ],
        )
    }

    #[test]
    fn their_sig_verifies_with_ours() {
        let sig = gen_python("xiaojun", T, 86_400);
        let doc = usersig::verify(&sig, APP, KEY, "xiaojun", T + 10).expect("verifies");
        assert_eq!((doc.time, doc.expire, doc.sdkappid), (T, 86_400, APP));
        assert_eq!(
            usersig::verify(&sig, APP, "wrong", "xiaojun", T + 10)
                .unwrap_err()
                .service_code(),
            70009
        );
    }

    #[test]
    fn our_sig_decodes_in_python_with_the_same_fields_and_hmac() {
        let ours = usersig::generate_at(APP, KEY, "xiaojun", 15_552_000, T, 6);
        let decoded: serde_json::Value = serde_json::from_str(&py(DECODE, &[&ours])).unwrap();
        assert_eq!(decoded["TLS.ver"], "2.0");
        assert_eq!(decoded["TLS.identifier"], "xiaojun");
        assert_eq!(decoded["TLS.sdkappid"], APP);
        assert_eq!(decoded["TLS.time"], T);
        assert_eq!(decoded["TLS.expire"], 15_552_000);
        let theirs: serde_json::Value =
            serde_json::from_str(&py(DECODE, &[&gen_python("xiaojun", T, 15_552_000)])).unwrap();
        assert_eq!(decoded["TLS.sig"], theirs["TLS.sig"]);
        assert_eq!(
            decoded["TLS.sig"],
            "LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4="
        );
    }

    #[tokio::test]
    async fn the_sandbox_accepts_their_sig() {
        let sb = sandbox().await;
        let sig = py(
            GEN,
            &[
                &sandbox::DEFAULT_SDKAPPID.to_string(),
                sandbox::DEFAULT_KEY,
                sandbox::DEFAULT_ADMIN,
                "0",
                "3600",
            ],
        );
        let url = format!(
            "{}/v4/group_open_http_svc/get_group_info?sdkappid={}&identifier={}&usersig={sig}&random=7&contenttype=json",
            sb.url(),
            sandbox::DEFAULT_SDKAPPID,
            sandbox::DEFAULT_ADMIN
        );
        let body: serde_json::Value = reqwest::Client::new()
            .post(url)
            .json(&serde_json::json!({ "GroupIdList": [WORK] }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(body["ErrorCode"], 0, "{body}");
        assert_eq!(body["GroupInfo"][0]["GroupId"], WORK);
    }
}

mod demo_session {
    use tim_receipts::cli::{DemoArgs, GlobalArgs};
    use tim_receipts::session::{Session, SessionOptions};

    #[tokio::test]
    async fn demo_connects_without_configuration() {
        let global = GlobalArgs {
            demo: true,
            ..GlobalArgs::default()
        };
        let s = Session::connect(&global, &DemoArgs::default())
            .await
            .unwrap();
        assert_eq!(s.profile, "demo");
        assert!(
            s.location.starts_with("sandbox 127.0.0.1:"),
            "{}",
            s.location
        );
        assert!(!s.read_only);
        assert_eq!(
            s.budget_per_sec,
            tim_receipts::api::DEFAULT_TOTAL_BUDGET_PER_SEC
        );
        let ids = s.demo_ids().expect("demo IDs on a demo session");
        let infos = s.client.group_info(&[ids.war_room.into()]).await.unwrap();
        assert_eq!(infos[0].code, 0);
        assert_eq!(infos[0].member_num, 180);
        assert_eq!(s.endpoint, s.sandbox().unwrap().url());
    }

    #[tokio::test]
    async fn demo_options_are_checked() {
        let global = GlobalArgs {
            demo: true,
            read_only: true,
            ..GlobalArgs::default()
        };
        let bad = SessionOptions {
            demo_activity: Some(-1.0),
            ..SessionOptions::default()
        };
        let e = Session::connect_with(&global, &DemoArgs::default(), bad)
            .await
            .err()
            .unwrap();
        assert!(e.to_string().contains("activity"), "{e}");
        let demo = DemoArgs {
            fail_rate: Some(2.0),
            ..DemoArgs::default()
        };
        let e = Session::connect(&global, &demo).await.err().unwrap();
        assert!(e.to_string().contains("--fail-rate"), "{e}");
        let s = Session::connect(&global, &DemoArgs::default())
            .await
            .unwrap();
        assert!(s.read_only);
    }
}
