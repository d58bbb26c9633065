//! The real dashboard binary (`--demo`) in a pseudo-terminal, measured from outside:
//! - selecting a message to its first member page on screen, against one round trip (the
//!   sandbox's injected latency, 50 ms);
//! - bytes written to the terminal for one `j`, against a full-screen redraw;
//! - CPU time (utime + stime from /proc/PID/stat) over 30 s left alone, with `--activity 0`
//!   and with the demo's default activity (5 reads/s, each redrawn), both at once;
//! - resident memory (VmRSS, VmHWM) after draining the longer list of the newest message in
//!   the 200-member on-call group (receipt lists hold at most 199 members; rendering 100,000
//!   rows is measured in process by `benches/render.rs`).
//!
//! Read-position lists on screen are measured by `benches/positions_screen.rs`.
//!
//! Run: `cargo bench --bench dashboard` (about 50 s once built). Prints plain lines.

// Tests and benchmarks fail by panicking (unwrap, expect, assert), and signal the
// processes they start (kill(2)): the lint wall's rules are for the program, not for them.
#![allow(unsafe_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "../tests/it/common/pty.rs"]
mod pty;
#[path = "common/screen.rs"]
mod screen;

use std::thread;
use std::time::{Duration, Instant};

use pty::{COLS, DEADLINE, ROWS};
use screen::{Dashboard, POLL, loaded_of, median, members_seq, memory_kib, mib, ms};

const LATENCY_MS: u64 = 50;
const IDLE: Duration = Duration::from_secs(30);

fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc/PID/stat");
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = &stat[stat.rfind(')').expect("stat format") + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // rest starts at field 3 (state); utime is field 14, stime field 15.
    let utime: u64 = fields[11].parse().expect("utime");
    let stime: u64 = fields[12].parse().expect("stime");
    utime + stime
}

fn ticks_per_sec() -> u64 {
    // SAFETY: sysconf has no preconditions.
    let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if t > 0 { t as u64 } else { 100 }
}

/// Enter on the next message (after `j`) until the members pane shows rows of its list.
fn select_to_first_page() {
    let latency = LATENCY_MS.to_string();
    let mut d = Dashboard::start(&["--demo", "--activity", "0", "--latency", &latency]);
    d.wait_for("Ops War Room");
    d.send("\r");
    d.wait_until("the war room's counts", |t| {
        t.contains("Messages · Ops War Room") && t.contains(" ██")
    });
    d.settle(Duration::from_millis(500));
    let mut samples = Vec::new();
    let mut skipped = 0;
    for _ in 0..14 {
        if samples.len() >= 7 {
            break;
        }
        let before = members_seq(&d.text());
        let elapsed = d.time_until(
            "j\r",
            Box::new(move |t: &str| {
                // Rows on screen: a page is in ("0 of 68 loaded" is the border while it
                // loads), or the members pane's own border or notice says the list's state
                // (the Messages border may say "read positions as of" all along).
                members_seq(t).is_some_and(|s| Some(s) != before)
                    && (loaded_of(t).is_some_and(|(n, _)| n > 0)
                        || t.contains("has no read receipt")
                        || t.contains("· r rescans")
                        || t.contains("everybody has read")
                        || t.contains("nobody has read"))
            }),
        );
        let text = d.out.lock().expect("screen").met_screen.clone();
        // Messages without a receipt list read positions (`benches/positions_screen.rs`).
        if text.contains(" loaded") && !text.contains("read position ·") {
            samples.push(ms(elapsed));
        } else {
            skipped += 1;
        }
        d.settle(Duration::from_millis(300));
        d.send("\x1b[Z"); // back to Messages
        d.wait_for("┏ Messages");
        d.settle(Duration::from_millis(300));
    }
    assert!(
        !samples.is_empty(),
        "no message with a receipt was selected"
    );
    let med = median(samples.clone());
    let (lo, hi) = (
        samples.iter().copied().fold(f64::MAX, f64::min),
        samples.iter().copied().fold(0.0, f64::max),
    );
    println!(
        "select a message -> first member page on screen: median {med:.1} ms ({lo:.1}–{hi:.1}, \
         {} samples, {skipped} messages without a receipt skipped); floor one round trip \
         {LATENCY_MS} ms; ratio {:.2}; overhead {:.1} ms",
        samples.len(),
        med / LATENCY_MS as f64,
        med - LATENCY_MS as f64
    );
    d.quit();
}

/// Bytes written for one `j` in the member list, and for a full redraw (a resize).
fn bytes_per_key() {
    let mut d = Dashboard::start(&["--demo", "--activity", "0"]);
    d.wait_for("Ops War Room");
    d.send("\r");
    d.wait_until("counts", |t| t.contains(" ██"));
    d.send("\r"); // the newest message's members, focused
    d.wait_until("member rows", |t| {
        t.contains("┏ Members") && t.contains(" loaded") && !t.contains("loading members")
    });
    d.settle(Duration::from_millis(500));
    let mut per_key = Vec::new();
    for _ in 0..10 {
        let before_bytes = d.bytes();
        d.send("j");
        // The selection is reverse video (not in the text): wait for output, then quiet.
        let start = Instant::now();
        while d.bytes() == before_bytes {
            assert!(start.elapsed() < DEADLINE, "no output after j");
            thread::sleep(POLL);
        }
        d.settle(Duration::from_millis(300));
        per_key.push((d.bytes() - before_bytes) as f64);
    }
    let j = median(per_key.clone());
    // A full redraw: shrink by one row (ratatui clears and redraws everything).
    let before_bytes = d.bytes();
    d.resize(ROWS - 1, COLS);
    d.wait_until("the redraw", |t| t.contains("Ops War Room"));
    d.settle(Duration::from_millis(500));
    let full = (d.bytes() - before_bytes) as f64;
    println!(
        "bytes written for one j: median {j:.0} (min {:.0}, max {:.0}, 10 presses); \
         full-screen redraw {full:.0} bytes ({COLS}x{}); ratio {:.3}",
        per_key.iter().copied().fold(f64::MAX, f64::min),
        per_key.iter().copied().fold(0.0, f64::max),
        ROWS - 1,
        j / full
    );
    d.quit();
}

/// CPU over 30 s left alone, quiet demo and busy demo side by side.
fn idle_cpu() {
    let mut quiet = Dashboard::start(&["--demo", "--activity", "0"]);
    let mut busy = Dashboard::start(&["--demo"]);
    for d in [&mut quiet, &mut busy] {
        d.wait_for("Ops War Room");
        d.send("\r");
        d.wait_until("counts", |t| t.contains(" ██"));
    }
    // The group index builds in the background at start (a fresh home has no cache) and
    // says so for a few seconds: idle means after that.
    quiet.wait_for("indexed 1,208 groups");
    quiet.wait_until("the index notice to go", |t| !t.contains("indexed 1,208"));
    quiet.settle(Duration::from_secs(1));
    let hz = ticks_per_sec();
    let (q0, b0) = (cpu_ticks(quiet.pid()), cpu_ticks(busy.pid()));
    let (qb0, bb0) = (quiet.bytes(), busy.bytes());
    let start = Instant::now();
    thread::sleep(IDLE);
    let wall = start.elapsed();
    let (q1, b1) = (cpu_ticks(quiet.pid()), cpu_ticks(busy.pid()));
    let (qb1, bb1) = (quiet.bytes(), busy.bytes());
    for (name, t0, t1, by) in [
        ("--activity 0", q0, q1, qb1 - qb0),
        ("default activity (5 reads/s)", b0, b1, bb1 - bb0),
    ] {
        let cpu = (t1 - t0) as f64 / hz as f64;
        println!(
            "idle {:.0} s, {name}: CPU {:.2} s ({:.2}% of one core; clock tick {} ms), \
             {by} bytes written",
            wall.as_secs_f64(),
            cpu,
            100.0 * cpu / wall.as_secs_f64(),
            1000 / hz
        );
    }
    quiet.quit();
    busy.quit();
}

/// Resident memory after draining a receipt list of the 200-member on-call group (every
/// page loaded into the state).
fn memory_after_drain() {
    let mut d = Dashboard::start(&["--demo", "--activity", "0", "--budget", "200"]);
    d.wait_for("Ops War Room");
    d.settle(Duration::from_millis(500));
    let (rss0, _) = memory_kib(d.pid());
    d.send(":");
    d.wait_for("Tab complete");
    d.send(&format!("group {}\r", tim_receipts::sandbox::DEMO_ON_CALL));
    d.wait_for("Messages · Payments on-call");
    d.wait_until("counts", |t| t.contains(" ██"));
    d.send("\r");
    let screen = d.wait_until("the member list", |t| {
        t.contains("┏ Members") && loaded_of(t).is_some() && !t.contains("loading members")
    });
    // The longer of the two lists.
    let (_, unread_total) = loaded_of(&screen).unwrap_or((0, 0));
    if unread_total < 100 {
        d.send("t");
        d.wait_until("the Read list", |t| {
            loaded_of(t).is_some_and(|(_, total)| total != unread_total)
        });
    }
    let mut presses = 0;
    loop {
        let (loaded, total) = loaded_of(&d.text()).unwrap_or((0, 1));
        if loaded >= total {
            break;
        }
        assert!(presses < 500, "the drain stalled:\n{}", d.text());
        let before = d.text();
        d.send("G");
        d.wait_until("more rows", |t| t != before);
        presses += 1;
    }
    d.settle(Duration::from_millis(500));
    let (loaded, _) = loaded_of(&d.text()).unwrap_or((0, 0));
    let (rss1, hwm1) = memory_kib(d.pid());
    println!(
        "real binary (demo: sandbox in the same process), {loaded} members drained into the \
         dashboard: VmRSS {:.1} MiB (before opening the list {:.1} MiB, +{:.1} MiB), VmHWM {:.1} MiB",
        mib(rss1),
        mib(rss0),
        mib(rss1.saturating_sub(rss0)),
        mib(hwm1)
    );
    d.quit();
}

fn main() {
    common::banner("dashboard");
    select_to_first_page();
    bytes_per_key();
    memory_after_drain();
    idle_cpu();
}
