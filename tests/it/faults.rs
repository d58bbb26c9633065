//! Fault tolerance: reads against a sandbox that fails 20% of calls in every way it can,
//! and the guards around writes (confirmation, read-only, the audit log).
//! Run: `cargo test --test it faults::`.
//!
//! Every test is bounded: the client timeout is short, retries are bounded, and each test
//! runs under an overall deadline. No sleeps are used for synchronisation.

use crate::common::audit_lines;
use crate::common::counts_world;

mod common;

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
                .receipt_members_drain(
                    DRAIN_GROUP,
                    seq,
                    ReceiptFilter::Unread,
                    DRAIN_PAGE,
                    &mut |n| progress.push(n),
                )
                .await
                .unwrap_or_else(|e| panic!("{kinds:?}: the drain failed: {e}"))
                .accounts;
            let unique: HashSet<&String> = got.iter().collect();
            assert_eq!(unique.len(), got.len(), "{kinds:?}: duplicates");
            assert_eq!(got.len(), DRAIN_MEMBERS, "{kinds:?}: gaps");
            assert_eq!(got, want, "{kinds:?}: the list in server order");
            // 40 pages of 5 (the last one 4), each reported once, growing.
            let page = DRAIN_PAGE as usize;
            let pages = DRAIN_MEMBERS.div_ceil(page);
            assert_eq!(pages, 40);
            let want_progress: Vec<usize> =
                (1..=pages).map(|p| (p * page).min(DRAIN_MEMBERS)).collect();
            assert_eq!(progress, want_progress);
            let stats = client.stats();
            assert!(
                stats.retries >= 1,
                "{kinds:?}: no fault was injected ({stats:?}); the test proves nothing"
            );
            assert_eq!(stats.failed_calls, 0, "{kinds:?}: {stats:?}");
            // The pages, plus the one counts call that bounds the list (its read + unread).
            assert_eq!(
                stats.total_calls,
                pages as u64 + 1 + stats.retries,
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
mod session_writes;

/// The write subcommands as a user runs them (the real binary, stdin not a terminal): every
/// write subcommand under every refusal (tests/it/cli has the single cases and the
/// successful, audited writes).
mod write_subcommands;
