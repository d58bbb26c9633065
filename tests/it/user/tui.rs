//! The dashboard on `--demo`, in a pseudo-terminal: from a member row to that member's
//! user view (`u`), a 1:1 conversation marked read from it (`M`, confirmed), and its unread
//! count dropping to 0 as the service reports it.

use crate::common::pty::Pty;

/// The unread count on the 1:1 row of `peer` in the user view.
fn unread_of(screen: &str, peer: &str) -> Option<u64> {
    let line = screen
        .lines()
        .find(|l| l.contains(peer) && l.contains(" unread"))?;
    let rest = &line[line.find(peer)? + peer.len()..];
    rest.split_whitespace()
        .next()?
        .replace(',', "")
        .parse()
        .ok()
}

#[test]
fn from_a_member_row_to_the_user_view_and_a_1_1_marked_read() {
    let mut d = Pty::start(&["--demo", "--activity", "0"]);
    d.wait_for("Ops War Room");
    d.send("\r");
    d.wait_for("Messages · Ops War Room");
    // nora.ops sent the newest update (on neither of its lists): the one before lists her.
    d.send("j");
    d.wait_until("the members of the message before", |t| {
        t.contains("#14") || t.contains("seq 14")
    });
    d.send("\t");
    d.wait_for("┏ Members");
    // She sent the next one, so she has read up to this one: the Read list.
    d.send("t");
    d.wait_until("the Read list", |t| {
        t.contains("Read (") && t.contains("· r rescans")
    });
    d.send("/nora.ops\r");
    d.wait_until("nora.ops on the list", |t| {
        t.contains("/nora.ops · 1 match")
    });
    d.send("u");
    let view = d.wait_until("her user view with her 1:1s", |t| {
        t.contains("User · nora.ops") && unread_of(t, "emma.nguyen").is_some()
    });
    let before = unread_of(&view, "emma.nguyen").unwrap();
    assert!(before > 0, "{view}");
    // Tab to the 1:1 list, down to emma.nguyen's row.
    let rows: Vec<&str> = view
        .lines()
        .skip_while(|l| !l.contains("Groups (most unread first)"))
        .skip(1)
        .filter(|l| l.contains(" unread"))
        .collect();
    let row = rows
        .iter()
        .position(|l| l.contains("emma.nguyen"))
        .expect("emma.nguyen row");
    d.send("\t");
    for _ in 0..row {
        d.send("j");
    }
    d.send("M");
    let dialog = d.wait_for("Mark a 1:1 conversation read");
    assert!(
        dialog.contains(r#""Peer_Account":"emma.nguyen""#),
        "{dialog}"
    );
    assert!(
        dialog.contains(r#""Report_Account":"nora.ops""#),
        "{dialog}"
    );
    // Enter to the last field, Enter to [ No ], → to [ Yes ], Enter sends.
    d.send("\r");
    d.send("\r");
    d.send("\x1b[C");
    d.send("\r");
    d.wait_for("✓ Done: mark nora.ops's 1:1 conversation with emma.nguyen read");
    d.send("\x1b"); // close the dialog
    let after = d.wait_until("the count read again", |t| {
        !t.contains("Mark a 1:1") && unread_of(t, "emma.nguyen") == Some(0)
    });
    assert!(after.contains("User · nora.ops"), "{after}");
    d.send("\x1b"); // close the view
    d.wait_until("the panes again", |t| !t.contains("User · nora.ops"));
    d.send("q");
    assert!(d.wait_exit().success());
}
