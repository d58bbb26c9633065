//! The dashboard on `--demo`, in a pseudo-terminal: the 6,000-member all-hands and the
//! 100,000-member Community show who has read up to their newest message from read
//! positions, with the source in the pane title, the counts of a whole scan and its age.

use crate::common::pty::Pty;
use tim_receipts::sandbox::{DEMO_ALL_HANDS, DEMO_COMMUNITY};

/// The "Unread (N) │ Read (M)" totals in the members pane title.
fn title_totals(screen: &str) -> Option<(u64, u64)> {
    let line = screen.lines().find(|l| l.contains("Members ·"))?;
    let number = |label: &str| -> Option<u64> {
        let rest = &line[line.find(label)? + label.len()..];
        let end = rest.find(')')?;
        rest[..end].replace(',', "").parse().ok()
    };
    Some((number("Unread (")?, number("Read (")?))
}

fn open_group(d: &mut Pty, id: &str, heading: &str) -> String {
    d.send(":");
    d.wait_for("Tab complete");
    d.send(&format!("group {id}\r"));
    d.wait_for(heading)
}

#[test]
fn the_demo_shows_read_positions_for_the_all_hands_and_the_community() {
    let mut d = Pty::start(&["--demo"]);
    d.wait_for("Ops War Room");

    // The all-hands (Public, 6,000, over the receipt cap): its newest announcement has no
    // receipt, so the members pane scans the group whole and counts from read positions.
    open_group(&mut d, DEMO_ALL_HANDS, "Messages · Company all-hands");
    let screen = d.wait_until("the all-hands scan to finish", |t| {
        t.contains("positions as of") && title_totals(t).is_some()
    });
    assert!(screen.contains("read position · Unread ("), "{screen}");
    assert!(screen.contains("6,000 members · r rescans"), "{screen}");
    let (unread, read) = title_totals(&screen).unwrap();
    assert_eq!(unread + read, 5_999, "everyone but the sender: {screen}");
    assert!(unread > 0 && read > 0, "{screen}");
    // The messages pane counts its messages from the same scan, marked p.
    assert!(screen.contains("p = read positions as of"), "{screen}");
    assert!(screen.contains(" p "), "{screen}");
    // Rows say how far each member has read.
    assert!(
        screen.contains("read to #") || screen.contains("never read"),
        "{screen}"
    );

    // The Community (100,000, string `Next` paging): a page arrives at once, the whole
    // scan on `>`.
    open_group(&mut d, DEMO_COMMUNITY, "Messages · Developer community");
    let screen = d.wait_for("members scanned · > scans all for counts");
    assert!(
        screen.contains("no receipts in Community groups: read positions instead"),
        "{screen}"
    );
    assert!(screen.contains("read position · Unread"), "{screen}");
    d.send("\t");
    d.wait_for("┏ Members");
    d.send(">");
    let screen = d.wait_until("the Community scan to finish", |t| {
        t.contains("100,000 members · r rescans") && title_totals(t).is_some()
    });
    let (unread, read) = title_totals(&screen).unwrap();
    assert_eq!(unread + read, 99_999, "everyone but the sender: {screen}");
    assert!(
        screen.contains("all 100,000 members scanned"),
        "the status line says the counts are complete: {screen}"
    );

    // Back to the all-hands: its scan is kept, so its counts show at once.
    open_group(&mut d, DEMO_ALL_HANDS, "Messages · Company all-hands");
    d.wait_until("the kept scan", |t| {
        t.contains("6,000 members · r rescans") && title_totals(t).is_some()
    });

    d.send("q");
    let status = d.wait_exit();
    assert!(status.success(), "{status:?}");
}
