//! Receipt counts for 1,000 message seqs: `Client::receipt_counts` (batched by 50,
//! concurrent within the call budget) against the naive one call per seq in sequence, both
//! against the sandbox with 20 ms of injected latency and the service's real frequency
//! limit (200 calls/s per API). Target: well over 10x, and never a frequency-limit error.
//!
//! Run: `cargo bench --bench counts` (about 30 s, most of it the naive loop).
//! The naive loop gets a client with the largest budget the config allows (200 calls/s), so
//! only the latency paces it; under the default budget of 20 calls/s it would take ≥ 50 s.

// Tests and benchmarks fail by panicking (unwrap, expect, assert), and signal the
// processes they start (kill(2)): the lint wall's rules are for the program, not for them.
#![allow(unsafe_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "../tests/it/common/counts_world.rs"]
mod counts_world;

use std::time::Duration;

use common::{banner, client, default_client, secs, summary, timed};
use counts_world::{SEQS, add_counts_group, expected_count};
use tim_receipts::api::{CallStats, Client, ReceiptCount};
use tim_receipts::sandbox::World;

const GROUP: &str = "@TGS#2BENCHCOUNTS";
const SENDER: &str = "lead";
const LATENCY: Duration = Duration::from_millis(20);
const RUNS: usize = 5;
/// What `receipts::SEQS_PER_CALL` and `client::CHUNK_CONCURRENCY` are.
const PER_CALL: u64 = 50;
const CONCURRENCY: u64 = 4;

/// The counts group of `tests/it/common/counts_world.rs` (1,000 messages, 100 readers).
fn world() -> World {
    let mut w = World::new();
    add_counts_group(&mut w, GROUP, SENDER);
    w
}

fn main() {
    banner("counts");
    let rt = common::runtime();
    rt.block_on(async {
        let sandbox = common::sandbox_with_latency(world(), LATENCY).await;
        let seqs: Vec<u64> = (1..=SEQS).collect();
        let want: Vec<ReceiptCount> = seqs.iter().copied().map(expected_count).collect();

        let mut samples = Vec::new();
        let mut stats = CallStats::default();
        for _ in 0..RUNS {
            let c = default_client(&sandbox);
            let (got, took) = timed(c.receipt_counts(GROUP, &seqs)).await;
            assert_eq!(got.expect("batched counts"), want, "batched counts are right");
            stats = c.stats();
            assert_clean(&stats, "batched");
            samples.push(took);
        }
        let (batched, min, max) = summary(&samples);
        let calls = SEQS.div_ceil(PER_CALL);
        let waves = calls.div_ceil(CONCURRENCY);
        let floor = LATENCY * waves as u32;
        println!(
            "counts {SEQS} seqs @{}ms, batched: {:.3} s (median of {RUNS}; min {:.3}, max {:.3}; {} calls, {} retries, {} failed), floor {waves} waves x {} ms = {:.3} s, ratio {:.2}",
            LATENCY.as_millis(),
            secs(batched),
            secs(min),
            secs(max),
            stats.total_calls,
            stats.retries,
            stats.failed_calls,
            LATENCY.as_millis(),
            secs(floor),
            secs(batched) / secs(floor),
        );

        let naive_client = client(&sandbox, 200, &["get_group_msg_receipt"]);
        let (got, naive) = timed(one_per_seq(&naive_client, &seqs)).await;
        assert_eq!(got, want, "one-per-seq counts are right");
        let stats = naive_client.stats();
        assert_clean(&stats, "one per seq");
        println!(
            "counts {SEQS} seqs @{}ms, one call per seq in sequence: {:.3} s ({} calls, {} retries, {} failed), floor {SEQS} x {} ms = {:.3} s",
            LATENCY.as_millis(),
            secs(naive),
            stats.total_calls,
            stats.retries,
            stats.failed_calls,
            LATENCY.as_millis(),
            secs(LATENCY * SEQS as u32),
        );
        println!(
            "counts {SEQS} seqs: batched {:.3} s vs one per seq {:.3} s, speedup {:.0}x (target > 10x); frequency-limit errors: 0",
            secs(batched),
            secs(naive),
            secs(naive) / secs(batched),
        );
        sandbox.shutdown().await;
    });
}

async fn one_per_seq(client: &Client, seqs: &[u64]) -> Vec<ReceiptCount> {
    let mut out = Vec::with_capacity(seqs.len());
    for s in seqs {
        let one = client
            .receipt_counts(GROUP, std::slice::from_ref(s))
            .await
            .expect("one count");
        out.extend(one);
    }
    out
}

/// No call failed and none was retried: a frequency-limit answer (60007) would show as one
/// or the other, since the client retries it.
fn assert_clean(stats: &CallStats, what: &str) {
    assert_eq!(stats.failed_calls, 0, "{what}: failed calls");
    assert_eq!(stats.retries, 0, "{what}: retries (a 60007 is retried)");
}
