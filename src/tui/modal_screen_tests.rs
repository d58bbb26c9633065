//! Whole-screen tests of the write dialogs (`M`, `U`) on ratatui's `TestBackend`: the exact
//! request, the set-unread warnings and migration note, the result, a failure. Snapshots live
//! in `src/tui/snapshots/`.

use ratatui::crossterm::event::KeyCode;

use crate::api::{ApiError, GroupMember};

use super::model::event::{ApiEvent, CurrentUnread, Effect};
use super::screen_tests::{dashboard, render};
use super::test_harness::{ch, group, key};

#[test]
fn mark_read_modal_shows_the_exact_request() {
    let mut h = dashboard((100, 30));
    h.send(key(KeyCode::Tab));
    h.send(ch('M'));
    h.type_text("peer.9");
    let screen = render(&h.app);
    assert!(
        screen.contains("POST v4/openim/admin_set_msg_read"),
        "{screen}"
    );
    assert!(
        screen.contains(r#"{"Peer_Account":"peer.9","Report_Account":"member.0000"}"#),
        "{screen}"
    );
    assert!(screen.contains("[ No ]"));
    insta::assert_snapshot!(screen);
}

#[test]
fn set_unread_modal_with_current_count_and_warning() {
    let mut h = dashboard((80, 24));
    h.app.messages.group.as_mut().unwrap().group_type = Some(crate::api::GroupType::Meeting);
    h.send(key(KeyCode::Tab));
    let fx = h.send(ch('U'));
    let Some(Effect::FetchCurrentUnread { modal, .. }) = fx.first() else {
        panic!("{fx:?}")
    };
    let member = h
        .app
        .modal
        .as_ref()
        .and_then(|m| m.member())
        .unwrap_or_default()
        .to_string();
    h.api(ApiEvent::CurrentUnread {
        modal: *modal,
        member,
        result: Ok(CurrentUnread {
            group: group(
                "@TGS#ops",
                "Ops War Room",
                crate::api::GroupType::Meeting,
                40,
            ),
            member: Some(GroupMember {
                account: "member.0000".into(),
                last_read_seq: 1030,
                ..Default::default()
            }),
        }),
    });
    h.send(ch('0'));
    let screen = render(&h.app);
    assert!(
        screen.contains("12  (read up to seq 1030 of 1042)"),
        "{screen}"
    );
    assert!(
        screen.contains("Meeting groups ignore this call"),
        "{screen}"
    );
    // Before the buttons: documented for migrations only, no callback, no notification.
    let flat: String = screen
        .lines()
        .map(|l| l.trim_matches('"').trim_matches(|c| "│┃║ ".contains(c)))
        .collect::<Vec<_>>()
        .join(" ");
    let note = flat
        .find("only for apps migrating")
        .expect("the migration note");
    assert!(
        note < flat.find("Send it?").unwrap()
            && flat.contains("no callback and sends no notification"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn write_result_shows_before_after_and_audit_log() {
    let mut h = dashboard((100, 30));
    h.send(key(KeyCode::Tab));
    h.send(ch('M'));
    h.type_text("peer.9");
    h.send(key(KeyCode::Tab));
    h.send(key(KeyCode::Tab));
    h.send(key(KeyCode::Tab));
    let fx = h.send(key(KeyCode::Enter));
    let Some(Effect::Write { modal, action }) = fx.first().cloned() else {
        panic!("{fx:?}")
    };
    h.api(ApiEvent::Write {
        modal,
        result: Ok(crate::api::WriteOutcome {
            action,
            before: Some(3),
            after: Some(0),
            note: None,
        }),
    });
    let screen = render(&h.app);
    assert!(screen.contains("before 3 → after 0"), "{screen}");
    assert!(screen.contains("Logged to the audit log"), "{screen}");
    insta::assert_snapshot!(screen);
}

/// A failed write at 80x24: the whole explanation and the audit-log line fit in the dialog
/// (its height counts the wrapped rows; the last line used to be cut off).
#[test]
fn failed_write_shows_the_whole_reason_and_the_audit_line() {
    let mut h = dashboard((80, 24));
    h.send(key(KeyCode::Tab));
    h.send(ch('M'));
    h.type_text("yuki.ops");
    h.send(key(KeyCode::Tab));
    h.send(key(KeyCode::Tab));
    h.send(key(KeyCode::Tab));
    let fx = h.send(key(KeyCode::Enter));
    let Some(Effect::Write { modal, .. }) = fx.first().cloned() else {
        panic!("{fx:?}")
    };
    let err = ApiError::Service {
        api: "admin_set_msg_read",
        code: 90003,
        info: "peer not found".into(),
    };
    let e = crate::tui::model::app::explain(&err);
    h.api(ApiEvent::Write {
        modal,
        result: Err(crate::session::WriteError::Api(err)),
    });
    let screen = render(&h.app);
    let flat: String = screen
        .lines()
        .map(|l| l.trim_matches('"').replace(['║', '┃', '│'], " "))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(flat.contains("The write failed"), "{screen}");
    assert!(flat.contains(&e.next_step), "{screen}");
    assert!(flat.contains("The attempt is in the audit log"), "{screen}");
}
