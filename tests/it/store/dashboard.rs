//! The dashboard keeps what its receiver stored: restarted on the same home directory, it
//! shows the read-over-time chart of the war room's outage update from the store, with no
//! event received in the new run, and time-to-read figures from the stored read times.
//! (The demo world is built afresh at each start, so who is on which list differs between
//! runs; the Read list's read times are tested on the model, `src/tui/store_flow_tests.rs`.)

use crate::common::pty::{Output, Pty, command};

/// The outage update's chart has points (its title, "seq 15 read N%", shows only then) and
/// the store's read times of it give time-to-read figures.
fn charted(t: &str) -> bool {
    t.contains("seq 15 read ") && t.contains("to read: median")
}

/// Seconds between the chart's first and last point: its time axis' two labels.
fn chart_span(t: &str) -> Option<i64> {
    let secs = |s: &str| -> Option<i64> {
        let p: Vec<i64> = s
            .split(':')
            .map(|x| x.parse().ok())
            .collect::<Option<_>>()?;
        (p.len() == 3).then(|| p[0] * 3600 + p[1] * 60 + p[2])
    };
    t.lines().find_map(|line| {
        let clocks: Vec<i64> = line
            .split(|c: char| !(c.is_ascii_digit() || c == ':'))
            .filter(|w| w.len() == 8)
            .filter_map(secs)
            .collect();
        (clocks.len() == 2).then(|| clocks[1] - clocks[0])
    })
}

#[test]
fn a_restarted_dashboard_shows_the_chart_history_from_the_store() {
    let home = tempfile::tempdir().unwrap();

    // First run: the demo's simulated reads reach the receiver, which stores them.
    let mut d = Pty::spawn(command(home.path(), &["--demo"]), Output::default());
    d.wait_for("Ops War Room");
    d.send("\r");
    d.wait_for("Messages · Ops War Room");
    d.send("E");
    let first = d.wait_until("webhook reads of the outage update", charted);
    // Let the run last a few seconds, so its points stand apart from the next run's.
    d.wait_until("a few seconds of history", |t| {
        chart_span(t).is_some_and(|s| s >= 3) && charted(t)
    });
    assert!(first.contains("Live · "), "{first}");
    d.send("q");
    assert!(d.wait_exit().success());

    // Second run, no simulated reads: whatever the chart shows came from the store.
    let mut d = Pty::spawn(
        command(home.path(), &["--demo", "--activity", "0"]),
        Output::default(),
    );
    d.wait_for("Ops War Room");
    d.send("\r");
    d.wait_for("Messages · Ops War Room");
    d.send("E");
    let screen = d.wait_until("the stored history", charted);
    assert!(screen.contains("Live · 0 events"), "{screen}");
    // The chart reaches back into the first run: no point of this run could.
    assert!(
        chart_span(&screen).is_some_and(|s| s >= 3),
        "the chart covers the first run: {screen}"
    );
    d.send("q");
    assert!(d.wait_exit().success());
}
