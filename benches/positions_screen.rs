//! Read positions in the real dashboard binary (`--demo`), measured from outside in a
//! pseudo-terminal (sandbox latency 50 ms injected on every call):
//! - `s` on a receipt message of a group opened for the first time → the first page of its
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
use tim_receipts::sandbox::DEMO_ALL_HANDS;

const LATENCY_MS: u64 = 50;

/// The "✓ N calls" counter of the status line.
fn calls(text: &str) -> Option<u64> {
    let line = text.lines().rev().find(|l| l.contains(" calls"))?;
    let head = &line[..line.find(" calls")?];
    let start = head.rfind(|c: char| !(c.is_ascii_digit() || c == ','))? + 1;
    head[start..].replace(',', "").parse().ok()
}

/// The first page of a read-position list is on screen: the members pane names its source
/// and shows rows saying how far each member has read, or, when no member of the page is on
/// the shown side, says so.
fn positions_rows(t: &str) -> bool {
    t.contains("read position ·")
        && (t.contains("read to #")
            || t.contains("never read")
            || t.contains("has read up to this message")
            || t.contains("among the first"))
}

/// Open the group on row `row` of the Groups pane; true when its newest message shows a
/// receipt list (a Work or Public group of at most 200 members whose newest message asked
/// for a receipt), false when it shows anything else (positions, a Meeting group...).
fn open_row(d: &mut Dashboard, row: usize) -> bool {
    for _ in 0..3 {
        if d.text().contains("┏ Groups") {
            break;
        }
        let before = d.text();
        d.send("\x1b[Z");
        d.wait_until("the focus to move", |t| t != before);
    }
    d.send("g");
    for _ in 0..row {
        d.send("j");
    }
    let before = d.text();
    d.send("\r");
    let screen = d.wait_until("the group's member list", |t| {
        t != before
            && !t.contains("loading members")
            && ((t.contains("receipt · ") && t.contains(" loaded"))
                || t.contains("read position ·")
                || t.contains("has no read receipt")
                || t.contains("have no read receipts")
                || t.contains("no messages in this group"))
    });
    d.settle(Duration::from_millis(300));
    let receipt = screen.contains("receipt · ")
        && screen.contains(" loaded")
        && !screen.contains("Meeting ·");
    receipt && d.text().contains("receipt · ")
}

/// `s` on the newest message of groups with receipts, each opened for the first time (the
/// demo's ordinary groups, down the Groups pane).
fn first_positions_page() {
    let latency = LATENCY_MS.to_string();
    let mut d = Dashboard::start(&["--demo", "--activity", "0", "--latency", &latency]);
    d.wait_for("Ops War Room");
    let mut samples = Vec::new();
    let mut skipped = 0;
    for row in 0..40 {
        if samples.len() >= 9 {
            break;
        }
        if !open_row(&mut d, row) {
            skipped += 1;
            continue;
        }
        let elapsed = d.time_until("s", Box::new(positions_rows));
        samples.push(ms(elapsed));
        d.settle(Duration::from_millis(300));
        // Back to receipts, so the next group opens on its receipt list.
        d.send("s");
        d.wait_until("the receipt list again", |t| t.contains("receipt · "));
    }
    assert!(samples.len() >= 5, "too few groups with a receipt list");
    let med = median(samples.clone());
    let (lo, hi) = (
        samples.iter().copied().fold(f64::MAX, f64::min),
        samples.iter().copied().fold(0.0, f64::max),
    );
    println!(
        "s -> first read-position page on screen: median {med:.1} ms ({lo:.1}–{hi:.1}, {} \
         groups, {skipped} without a receipt list skipped); floor one round trip {LATENCY_MS} \
         ms; ratio {:.2}; overhead {:.1} ms (target: one round trip + 5 ms)",
        samples.len(),
        med / LATENCY_MS as f64,
        med - LATENCY_MS as f64
    );
    d.quit();
}

/// `get_group_member_info` calls in the dashboard's debug log under `home` (its read-
/// position pages; name cards come from `get_specified_group_member_info`).
fn member_page_calls(home: &std::path::Path) -> u64 {
    let logs = home.join("state").join("tim-receipts").join("logs");
    let mut n = 0;
    for entry in std::fs::read_dir(&logs)
        .expect("the log directory")
        .flatten()
    {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        n += text
            .lines()
            .filter(|l| l.contains(" call ") || l.ends_with(" call"))
            .filter(|l| l.contains("get_group_member_info"))
            .count() as u64;
    }
    n
}

/// Scan the all-hands, then move between its messages: no call for read positions. (The
/// members newly on screen get their names looked up, each account once: those calls are
/// counted apart, from the debug log's record of each call.)
fn switching_messages_costs_no_call() {
    let latency = LATENCY_MS.to_string();
    let home = tempfile::tempdir().expect("temp dir");
    let args = [
        "--demo",
        "--activity",
        "0",
        "--latency",
        &latency,
        "--log-level",
        "debug",
    ];
    let mut d = Dashboard::spawn_command(pty::command(home.path(), &args));
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
    d.quit();
    // The whole session's member pages: the one scan of 6,000 members, 200 a page.
    let pages = member_page_calls(home.path());
    let scan_pages = 6_000u64.div_ceil(200);
    println!(
        "moving between {moves} messages of the scanned all-hands (6,000 members): {} \
         read-position calls (target 0; the session made {pages} member-page calls, the \
         scan's {scan_pages}); {} calls in all, name lookups for the members newly on screen",
        pages.saturating_sub(scan_pages),
        after - before
    );
    assert_eq!(pages, scan_pages, "a scanned group answers from its scan");
}

fn main() {
    common::banner("positions_screen");
    first_positions_page();
    switching_messages_costs_no_call();
}
