//! Read positions in the real dashboard binary (`--demo`), measured from outside in a
//! pseudo-terminal (sandbox latency 50 ms injected on every call):
//! - `s` on a receipt message of a group not scanned yet → the first page of its
//!   read-position list on screen (rows with their states), against one round trip;
//! - moving between messages of a scanned group (the all-hands, 6,000 members): calls made,
//!   read off the status line's call counter (target: none).
//!
//! Run: `cargo bench --bench positions_screen` (about 40 s once built). Prints plain lines.

// Tests and benchmarks fail by panicking (unwrap, expect, assert): the lint wall's rules are
// for the program, not for them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "../tests/it/common/pty.rs"]
mod pty;
#[path = "common/screen.rs"]
mod screen;

use std::time::Duration;

use screen::{Dashboard, median, ms};
use tim_receipts::sandbox::{
    DEMO_ALL_HANDS, DEMO_GUILD, DEMO_ON_CALL, DEMO_RELEASE_TRAIN, DEMO_WAR_ROOM,
};

const LATENCY_MS: u64 = 50;

/// The "✓ N calls" counter of the status line.
fn calls(text: &str) -> Option<u64> {
    let line = text.lines().rev().find(|l| l.contains(" calls"))?;
    let head = &line[..line.find(" calls")?];
    let start = head.rfind(|c: char| !(c.is_ascii_digit() || c == ','))? + 1;
    head[start..].replace(',', "").parse().ok()
}

/// A read-position row is on screen: the members pane names its source and a row says
/// how far its member has read.
fn positions_rows(t: &str) -> bool {
    t.contains("read position ·") && (t.contains("read to #") || t.contains("never read"))
}

fn open_group(d: &mut Dashboard, id: &str) {
    d.send(":");
    d.wait_for("Tab complete");
    d.send(&format!("group {id}\r"));
    d.wait_until("the group's receipt list", |t| {
        t.contains("receipt · ") && t.contains(" loaded") && !t.contains("loading members")
    });
    d.settle(Duration::from_millis(300));
}

/// `s` on the newest message of groups with receipts, each not scanned yet (only the last
/// three groups opened keep their scans, and four groups take turns).
fn first_positions_page() {
    let latency = LATENCY_MS.to_string();
    let mut d = Dashboard::start(&["--demo", "--activity", "0", "--latency", &latency]);
    d.wait_for("Ops War Room");
    let groups = [DEMO_WAR_ROOM, DEMO_ON_CALL, DEMO_RELEASE_TRAIN, DEMO_GUILD];
    let mut samples = Vec::new();
    for id in groups.iter().cycle().take(8) {
        open_group(&mut d, id);
        let elapsed = d.time_until("s", Box::new(positions_rows));
        samples.push(ms(elapsed));
        d.settle(Duration::from_millis(300));
        // Back to receipts, so the next group opens on its receipt list.
        d.send("s");
        d.wait_until("the receipt list again", |t| t.contains("receipt · "));
    }
    let med = median(samples.clone());
    let (lo, hi) = (
        samples.iter().copied().fold(f64::MAX, f64::min),
        samples.iter().copied().fold(0.0, f64::max),
    );
    println!(
        "s -> first read-position page on screen: median {med:.1} ms ({lo:.1}–{hi:.1}, {} \
         samples); floor one round trip {LATENCY_MS} ms; ratio {:.2}; overhead {:.1} ms \
         (target: one round trip + 5 ms)",
        samples.len(),
        med / LATENCY_MS as f64,
        med - LATENCY_MS as f64
    );
    d.quit();
}

/// Scan the all-hands, then move between its messages: no call.
fn switching_messages_costs_no_call() {
    let latency = LATENCY_MS.to_string();
    let mut d = Dashboard::start(&["--demo", "--activity", "0", "--latency", &latency]);
    d.wait_for("Ops War Room");
    d.send(":");
    d.wait_for("Tab complete");
    d.send(&format!("group {DEMO_ALL_HANDS}\r"));
    d.wait_until("the all-hands scan", |t| {
        t.contains("positions as of") && t.contains("6,000 members")
    });
    d.settle(Duration::from_millis(800));
    let before = calls(&d.text()).expect("the call counter");
    let mut moves = 0;
    for key in ["j", "j", "j", "k", "j", "j", "k", "k"] {
        let seq_before = screen::members_seq(&d.text());
        d.send(key);
        d.wait_until("the members pane to follow", |t| {
            screen::members_seq(t) != seq_before && t.contains("positions as of")
        });
        moves += 1;
    }
    d.settle(Duration::from_millis(500));
    let after = calls(&d.text()).expect("the call counter");
    println!(
        "moving between {moves} messages of the scanned all-hands (6,000 members): {} calls \
         (target 0)",
        after - before
    );
    assert_eq!(after, before, "a scanned group answers from its scan");
    d.quit();
}

fn main() {
    common::banner("positions_screen");
    first_positions_page();
    switching_messages_costs_no_call();
}
