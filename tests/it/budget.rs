//! The call budget per API with its total ceiling, the standby domain, and the TLS wording,
//! over real HTTP against in-process sandboxes on 127.0.0.1.
//!
//! Pacing is checked through the sandbox, which answers 60007 to any API called faster
//! than its limit: with retries off, a call the client failed to pace fails.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tim_receipts::api::{ApiError, Client, ClientConfig, GroupType, WriteAction};
use tim_receipts::sandbox::{self, RateLimits, Sandbox, SandboxConfig, World};

const WORK: &str = "@TGS#1BUDGET";
/// Nothing listens on the discard port: a connection there is refused.
const DEAD: &str = "http://127.0.0.1:9";

fn world() -> World {
    let mut w = World::new();
    let mut g = w.add_group(WORK, GroupType::Work, &["alice", "bob", "carol"]);
    g.name("budget");
    g.post("alice", "first", true);
    g.post("bob", "second", true);
    g.read_up_to("bob", 1);
    w
}

async fn sandbox_with(config: SandboxConfig) -> Sandbox {
    sandbox::start_with_world(config, world())
        .await
        .expect("sandbox starts")
}

async fn sandbox() -> Sandbox {
    sandbox_with(SandboxConfig::default()).await
}

fn config(endpoint: &str) -> ClientConfig {
    ClientConfig {
        endpoint: endpoint.to_string(),
        sdkappid: sandbox::DEFAULT_SDKAPPID,
        identifier: sandbox::DEFAULT_ADMIN.into(),
        secret_key: sandbox::DEFAULT_KEY.into(),
        timeout: Duration::from_secs(10),
        // A refused or paced-too-fast call fails at once instead of being retried.
        max_attempts: 1,
        ..ClientConfig::default()
    }
}

fn code(r: &Result<impl std::fmt::Debug, ApiError>) -> Option<i64> {
    r.as_ref().err().and_then(ApiError::code)
}

mod per_api {
    use super::*;

    /// A sandbox that refuses a fourth call to any one API within a second.
    async fn tight_sandbox() -> Sandbox {
        sandbox_with(SandboxConfig {
            rate_limits: RateLimits {
                per_api: 3,
                ..RateLimits::default()
            },
            ..SandboxConfig::default()
        })
        .await
    }

    #[tokio::test]
    async fn one_api_is_paced_by_its_own_limit_and_the_others_are_not_held_up() {
        let sb = tight_sandbox().await;
        let mut cfg = config(&sb.url());
        cfg.budget_per_sec = 50;
        cfg.api_budget = BTreeMap::from([("get_group_info".to_string(), 2)]);
        let c = Client::new(cfg).unwrap();

        // Six get_group_info calls at once: 2 at once, then one every 500 ms.
        let done = Arc::new(AtomicUsize::new(0));
        let infos: Vec<_> = (0..6)
            .map(|_| {
                let (c, done) = (c.clone(), Arc::clone(&done));
                tokio::spawn(async move {
                    let r = c.group_info(&[WORK.into()]).await;
                    done.fetch_add(1, Ordering::SeqCst);
                    r
                })
            })
            .collect();
        // Meanwhile another API answers at once: it is not queued behind get_group_info.
        tokio::task::yield_now().await;
        for _ in 0..3 {
            let counts = c.receipt_counts(WORK, &[1]).await.unwrap();
            assert_eq!(counts[0].read, Some(1));
        }
        let finished = done.load(Ordering::SeqCst);
        assert!(
            finished < 6,
            "the other API waited for all six paced calls ({finished} done)"
        );
        for r in futures::future::join_all(infos).await {
            let r = r.unwrap();
            assert_eq!(code(&r), None, "{r:?}");
            assert_eq!(r.unwrap()[0].code, 0);
        }
        let s = c.stats();
        assert_eq!((s.total_calls, s.failed_calls), (9, 0));
    }

    #[tokio::test]
    async fn each_api_keeps_to_20_per_second_under_a_larger_total() {
        // The sandbox allows 25 calls/s per API; the client's total is 100/s, but an API's
        // default is 20/s: 30 calls to one API never meet a 60007.
        let sb = sandbox_with(SandboxConfig {
            rate_limits: RateLimits {
                per_api: 25,
                ..RateLimits::default()
            },
            ..SandboxConfig::default()
        })
        .await;
        let mut cfg = config(&sb.url());
        cfg.budget_per_sec = 100;
        let c = Client::new(cfg).unwrap();
        let calls = (0..30).map(|_| c.receipt_counts(WORK, &[1]));
        for r in futures::future::join_all(calls).await {
            assert_eq!(code(&r), None, "{r:?}");
        }
        assert_eq!(c.stats().failed_calls, 0);
    }

    #[tokio::test]
    async fn an_api_budget_above_the_vendor_limit_or_unknown_is_refused() {
        let mut cfg = config(DEAD);
        cfg.api_budget = BTreeMap::from([("get_appid_group_list".to_string(), 5)]);
        let e = Client::new(cfg).err().unwrap().to_string();
        assert!(e.contains("limit of 1 call/s"), "{e}");
        let mut cfg = config(DEAD);
        cfg.api_budget = BTreeMap::from([("get_everything".to_string(), 5)]);
        let e = Client::new(cfg).err().unwrap().to_string();
        assert!(
            e.contains("unknown API \"get_everything\"") && e.contains("get_group_msg_receipt"),
            "{e}"
        );
        let mut cfg = config(DEAD);
        cfg.api_budget = BTreeMap::from([("get_group_info".to_string(), 0)]);
        assert!(Client::new(cfg).is_err());
    }
}

mod standby {
    use super::*;

    fn with_standby(primary: &str, standby: &Sandbox) -> Client {
        let mut cfg = config(primary);
        cfg.standby_endpoint = Some(standby.url());
        Client::new(cfg).unwrap()
    }

    #[tokio::test]
    async fn a_read_moves_to_the_standby_and_stays_there() {
        let standby = sandbox().await;
        let c = with_standby(DEAD, &standby);
        assert!(!c.stats().on_standby);
        let infos = c.group_info(&[WORK.into()]).await.unwrap();
        assert_eq!((infos[0].code, infos[0].member_num), (0, 3));
        let s = c.stats();
        assert!(s.on_standby);
        assert_eq!(
            (s.total_calls, s.failed_calls),
            (2, 0),
            "main, then standby"
        );
        // The next reads go straight to the standby.
        let page = c.messages(WORK, None, 20).await.unwrap();
        assert_eq!(page.messages.len(), 2);
        c.receipt_counts(WORK, &[1]).await.unwrap();
        let s = c.stats();
        assert_eq!((s.total_calls, s.failed_calls), (4, 0));
        assert!(s.on_standby);
    }

    #[tokio::test]
    async fn a_hijacked_name_moves_reads_to_the_standby() {
        // https:// to a plain-HTTP server fails the TLS handshake, as a hijacked name's
        // certificate would.
        let hijacked = sandbox().await;
        let standby = sandbox().await;
        let c = with_standby(&format!("https://{}", hijacked.addr()), &standby);
        let infos = c.group_info(&[WORK.into()]).await.unwrap();
        assert_eq!(infos[0].code, 0);
        assert!(c.stats().on_standby);
    }

    #[tokio::test]
    async fn a_write_is_never_sent_to_the_standby() {
        let standby = sandbox().await;
        let c = with_standby(DEAD, &standby);
        let unread_before = standby.with_world(|w| w.unread_count(WORK, "carol"));
        let latest_before = standby.with_world(|w| w.latest_seq(WORK));
        let action = WriteAction::SetUnread {
            group: WORK.into(),
            member: "carol".into(),
            unread: 0,
        };
        let e = c.run_write(&action).await.unwrap_err();
        assert!(
            matches!(&e, ApiError::NotFailedOver { standby: s, .. } if *s == standby.url()),
            "{e:?}"
        );
        let line = e.one_line();
        assert!(
            line.contains("not sent")
                && line.contains("standby")
                && line.contains(&format!("--endpoint {}", standby.url())),
            "{line}"
        );
        let e = c.send_text(WORK, "alice", "hello", true).await.unwrap_err();
        assert!(matches!(e, ApiError::NotFailedOver { .. }), "{e:?}");
        assert_eq!(
            standby.with_world(|w| w.unread_count(WORK, "carol")),
            unread_before
        );
        assert_eq!(standby.with_world(|w| w.latest_seq(WORK)), latest_before);
        // Without a standby, the same failure is a plain network error.
        let e = Client::new(config(DEAD))
            .unwrap()
            .send_text(WORK, "alice", "hello", true)
            .await
            .unwrap_err();
        assert!(matches!(e, ApiError::Transport { .. }), "{e:?}");
        // The user's say-so: pointing the endpoint at the standby sends it there.
        let direct = Client::new(config(&standby.url())).unwrap();
        direct.run_write(&action).await.unwrap();
        assert_eq!(
            standby.with_world(|w| w.unread_count(WORK, "carol")),
            Some(0)
        );
    }
}

mod tls {
    use super::*;

    #[tokio::test]
    async fn https_to_a_plain_http_server_says_tls() {
        let sb = sandbox().await;
        let host = sb.addr().to_string();
        let e = Client::new(config(&format!("https://{host}")))
            .unwrap()
            .group_info(&[WORK.into()])
            .await
            .unwrap_err();
        assert!(matches!(e, ApiError::Tls { .. }), "{e:?}");
        let what = e.explain().what;
        assert!(
            what.contains(&format!("the TLS handshake with {host} failed"))
                && what.contains("http://"),
            "{what}"
        );
        assert!(
            !e.one_line().contains("could not reach"),
            "{}",
            e.one_line()
        );
        assert!(!e.one_line().contains("usersig"), "{}", e.one_line());
    }
}

/// A message without a read receipt answers 10062: an answer, not a failed call (the
/// dashboard's status line counts failed calls, and said `· 1 failed` for it).
#[tokio::test(flavor = "multi_thread")]
async fn no_receipt_is_not_counted_as_a_failed_call() {
    let mut w = World::new();
    let mut g = w.add_group("@TGS#1NORECEIPT", GroupType::Work, &["alice", "bob"]);
    g.post("alice", "no receipt", false);
    let sb = sandbox::start_with_world(SandboxConfig::default(), w)
        .await
        .unwrap();
    let client = Client::new(config(&sb.url())).unwrap();
    let r = client
        .receipt_page(
            "@TGS#1NORECEIPT",
            1,
            tim_receipts::api::ReceiptFilter::Unread,
            "",
            200,
        )
        .await;
    assert_eq!(code(&r), Some(10062));
    let stats = client.stats();
    assert_eq!((stats.total_calls, stats.failed_calls), (1, 0));
}
