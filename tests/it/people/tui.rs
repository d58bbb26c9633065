//! The dashboard on `--demo`, in a pseudo-terminal: `:group NAME` finds a group by name
//! among groups of the same name (the demo has three called "Payments on-call") and opens
//! the one picked; the members pane shows names beside accounts.

use crate::common::pty::Pty;

#[test]
fn a_group_is_found_by_name_among_duplicates_and_the_right_one_opens() {
    let mut d = Pty::start(&["--demo", "--activity", "0"]);
    d.wait_for("Ops War Room");
    // The index builds in the background (the ID list at its documented 1 call/s), and
    // says when it is done.
    d.wait_for("indexed 1,208 groups");
    d.send(":");
    d.wait_for("Tab complete");
    d.send("group payments on-call\r");
    let picker = d.wait_for("groups match");
    assert!(picker.contains("Payments on-call"), "{picker}");
    // Same name, told apart by type and ID: Work, Public, Meeting.
    for kind in ["Work", "Public", "Meeting"] {
        assert!(
            picker
                .lines()
                .any(|l| l.contains("Payments on-call ") && l.contains(kind)),
            "{kind}: {picker}"
        );
    }
    // The rows are sorted by name, then ID: pick the Public one (the 200-member rota).
    let public_row = picker
        .lines()
        .filter(|l| l.contains("Payments on-call ") && l.contains("@TGS#"))
        .position(|l| l.contains("Public"))
        .expect("the Public one");
    for _ in 0..public_row {
        d.send("j");
    }
    d.send("\r");
    let screen = d.wait_for("Messages · Payments on-call (Public · 200 members)");
    assert!(!screen.contains("groups match"), "{screen}");
    // Names beside accounts in its member list.
    d.wait_until("names in the members pane", |t| {
        t.lines()
            .skip_while(|l| !l.contains("Members ·"))
            .skip(1)
            .take(5)
            .any(|l| l.split_whitespace().count() >= 3)
    });
    d.send("q");
    assert!(d.wait_exit().success());
}

#[test]
fn slash_in_the_groups_pane_finds_every_group_of_a_name_once_indexed() {
    let mut d = Pty::start(&["--demo", "--activity", "0"]);
    d.wait_for("Ops War Room");
    d.wait_for("indexed 1,208 groups");
    // The Meeting group of that name is far down the listing (not loaded on the first
    // page); the filter finds all three (and "Payments on-call 2"), each of the three with
    // its type and the end of its ID (the start, `@TGS#`, is the same for all).
    d.send("/payments on-call");
    let screen = d.wait_for("· 4 of 1,208 ");
    let rows: Vec<&str> = screen
        .lines()
        .filter(|l| l.contains("Paym") && l.contains(" · …"))
        .collect();
    assert!(rows.iter().any(|l| l.contains("…ALL200")), "{screen}");
    assert_eq!(rows.len(), 3, "{screen}");
    for kind in ["Work", "Public", "Meeting"] {
        assert!(rows.iter().any(|l| l.contains(kind)), "{kind}: {screen}");
    }
    // Keep the filter, pick the Public one, open it.
    d.send("\r");
    d.wait_until("the filter prompt to close", |t| !t.contains("Enter keep"));
    // Its row among all the filtered rows ("Payments on-call 2" too, which shows no ID).
    let public_row = screen
        .lines()
        .filter(|l| l.contains("Paym"))
        .position(|l| l.contains("Public"))
        .expect("the Public one");
    for _ in 0..public_row {
        d.send("j");
    }
    d.send("\r");
    d.wait_for("Messages · Payments on-call (Public · 200 members)");
    d.send("q");
    assert!(d.wait_exit().success());
}
