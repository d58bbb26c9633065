//! Shared pieces of the end-to-end benchmarks: a runtime, a client for a sandbox, timing.
//!
//! These benchmarks measure wall time of whole operations against the real sandbox over
//! loopback HTTP, so each prints plain lines ("X: 1.23 s, floor 0.60 s, ratio 2.05") from a
//! small custom `main` (`harness = false`) instead of criterion's statistics: one run of an
//! operation already takes hundreds of milliseconds, and the number that matters is its
//! ratio to a floor measured in the same run.

#![allow(dead_code)] // each bench uses a different subset

use std::time::{Duration, Instant};

use tim_receipts::api::{
    Client, ClientConfig, DEFAULT_MAX_ATTEMPTS, DEFAULT_TIMEOUT, DEFAULT_TOTAL_BUDGET_PER_SEC,
};
use tim_receipts::sandbox::{
    DEFAULT_ADMIN, DEFAULT_KEY, DEFAULT_SDKAPPID, Sandbox, SandboxConfig, World,
};

/// The runtime the benchmarks drive everything on (two workers: the machine has two cores).
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// A fresh client for the sandbox: its own connection pool and a full call budget of
/// `budget_per_sec` in all; the APIs named in `apis` are allowed as much (the others keep
/// their own default, `DEFAULT_BUDGET_PER_SEC`).
pub fn client(sandbox: &Sandbox, budget_per_sec: u32, apis: &[&str]) -> Client {
    Client::new(ClientConfig {
        endpoint: sandbox.url(),
        sdkappid: DEFAULT_SDKAPPID,
        identifier: DEFAULT_ADMIN.to_string(),
        secret_key: DEFAULT_KEY.to_string(),
        budget_per_sec,
        api_budget: apis
            .iter()
            .map(|a| (a.to_string(), budget_per_sec))
            .collect(),
        timeout: DEFAULT_TIMEOUT,
        max_attempts: DEFAULT_MAX_ATTEMPTS,
        ..ClientConfig::default()
    })
    .expect("client")
}

/// A client with the shipped default budget (the total ceiling; each API also keeps to
/// its own default, `DEFAULT_BUDGET_PER_SEC`).
pub fn default_client(sandbox: &Sandbox) -> Client {
    client(sandbox, DEFAULT_TOTAL_BUDGET_PER_SEC, &[])
}

/// Time one future.
pub async fn timed<T>(f: impl std::future::Future<Output = T>) -> (T, Duration) {
    let start = Instant::now();
    let out = f.await;
    (out, start.elapsed())
}

/// Median, minimum and maximum of some durations (at least one).
pub fn summary(samples: &[Duration]) -> (Duration, Duration, Duration) {
    let mut s = samples.to_vec();
    s.sort();
    (s[s.len() / 2], s[0], s[s.len() - 1])
}

/// Seconds, for printing.
pub fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// The first line every benchmark prints: what ran and where.
pub fn banner(name: &str) {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "{name} (tim-receipts {}, {} build, {cores} cores)",
        env!("CARGO_PKG_VERSION"),
        if cfg!(debug_assertions) {
            "DEBUG - numbers are not representative"
        } else {
            "release"
        }
    );
}

/// `n` sleeps of `latency` on tokio's timer, one after the other, printed against
/// n × latency: what the timer alone adds (it wakes on whole milliseconds, late). The
/// sandbox no longer ends a round trip on it: its last 2 ms are a blocking thread's sleep.
pub async fn report_timer_alone(n: usize, latency: Duration) {
    let ((), slept) = timed(async {
        for _ in 0..n {
            tokio::time::sleep(latency).await;
        }
    })
    .await;
    let floor = latency * n as u32;
    println!(
        "timer: {n} x sleep({} ms) on this runtime: {:.3} s, ratio to floor {:.3} (tokio's timer alone; the sandbox ends its latency on a blocking thread's precise sleep)",
        latency.as_millis(),
        secs(slept),
        secs(slept) / secs(floor),
    );
}

/// The sandbox on 127.0.0.1 serving `world`, `latency` a round trip, its other settings the
/// defaults (the service's own frequency limits among them).
pub async fn sandbox_with_latency(world: World, latency: Duration) -> Sandbox {
    tim_receipts::sandbox::start_with_world(
        SandboxConfig {
            latency,
            ..SandboxConfig::default()
        },
        world,
    )
    .await
    .expect("sandbox starts")
}
