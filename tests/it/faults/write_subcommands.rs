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
