//! The dashboard stays responsive while its receiver stores a burst of callbacks: the real
//! binary in a pseudo-terminal, with a profile pointing at a sandbox and the receiver on
//! loopback, takes signed `Group.CallbackAfterReadReceipt` events at a steady 5,000 a
//! second for 5 s (each committed to the incident store before it is answered), while the
//! benchmark presses `E` (show / hide the Live pane) and times each press until the screen
//! shows it. The same presses are timed first with no load. Target: a key answered within
//! one frame (16.7 ms at 60 Hz) during the burst; the receiver's p99 ≤ 20 ms.
//!
//! Run: `cargo bench --bench store_dashboard` (about 20 s once built). Prints plain lines.

// Tests and benchmarks fail by panicking (unwrap, expect, assert): the lint wall's rules are
// for the program, not for them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/burst.rs"]
mod burst;
mod common;
#[path = "../tests/it/common/pty.rs"]
mod pty;
#[path = "common/screen.rs"]
mod screen;

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use screen::{Dashboard, median, ms};
use tim_receipts::sandbox::{self, DEFAULT_ADMIN, DEFAULT_KEY, DEFAULT_SDKAPPID, SandboxConfig};

const TOKEN: &str = "bench-dashboard-token-0123456789";
const RATE: u64 = 5_000;
const SECONDS: u64 = 5;
/// One frame at 60 Hz.
const FRAME_MS: f64 = 1000.0 / 60.0;

/// A port free on loopback now (the dashboard's receiver binds it).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Press `E` and time it until the Live pane is shown (then hidden) on screen.
fn toggle(d: &mut Dashboard) -> f64 {
    let shown = d.text().contains("Live ·");
    let elapsed = d.time_until("E", Box::new(move |t: &str| t.contains("Live ·") != shown));
    ms(elapsed)
}

fn stats(name: &str, samples: &[f64]) {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let p90 = sorted[(sorted.len() * 9 / 10).min(sorted.len() - 1)];
    println!(
        "{name}: key → screen median {:.1} ms, p90 {p90:.1} ms, max {:.1} ms ({} presses); one frame {FRAME_MS:.1} ms",
        median(samples.to_vec()),
        sorted[sorted.len() - 1],
        samples.len()
    );
}

fn main() {
    common::banner("store_dashboard");
    let rt = common::runtime();
    let sandbox = rt
        .block_on(sandbox::start(SandboxConfig::default()))
        .expect("sandbox starts");
    let port = free_port();
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("bench.toml");
    std::fs::write(
        &config,
        format!(
            "[profiles.default]\nsdkappid = {DEFAULT_SDKAPPID}\nidentifier = \"{DEFAULT_ADMIN}\"\n\
             endpoint = \"{}\"\nsecret_key = \"{DEFAULT_KEY}\"\nwebhook_token = \"{TOKEN}\"\n\
             webhook_listen = \"127.0.0.1:{port}\"\n",
            sandbox.url()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    let mut cmd = pty::command(home.path(), &[]);
    cmd.env("TIM_RECEIPTS_CONFIG", &config);
    let mut d = Dashboard::spawn_command(cmd);
    d.wait_for("Ops War Room");
    d.settle(Duration::from_millis(500));

    let quiet: Vec<f64> = (0..10)
        .map(|_| {
            let t = toggle(&mut d);
            d.settle(Duration::from_millis(100));
            t
        })
        .collect();
    stats("no load", &quiet);

    let url = format!("http://127.0.0.1:{port}");
    let burst =
        rt.spawn(async move { burst::offer(&url, DEFAULT_SDKAPPID, TOKEN, RATE, SECONDS).await });
    // Once the events are arriving, press while the burst lasts.
    d.wait_until("events arriving", |t| {
        t.contains("● live ") && !t.contains("● live 0 ")
    });
    let mut busy = Vec::new();
    while !burst.is_finished() && busy.len() < 5_000 {
        busy.push(toggle(&mut d));
    }
    let load = rt.block_on(burst).unwrap();
    stats(
        &format!("during the burst ({} presses while it ran)", busy.len()),
        &busy,
    );
    println!(
        "burst: {} of {} answered 200 in {:.2} s = {:.0} events/s stored; response p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        load.ok,
        load.sent,
        load.elapsed.as_secs_f64(),
        load.ok as f64 / load.elapsed.as_secs_f64(),
        ms(load.p50),
        ms(load.p99),
        ms(load.max)
    );
    if !load.other.is_empty() {
        println!(
            "burst: answers other than 200 (status: count; 0 = no answer): {:?}",
            load.other
        );
    }
    assert!(
        d.text().contains("● live"),
        "the dashboard counted the events"
    );
    d.quit();
    rt.block_on(sandbox.shutdown());
}
