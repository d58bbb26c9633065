//! Tests of `modal`.

use super::*;
use proptest::prelude::*;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn type_text(m: &mut WriteModal, text: &str) {
    for c in text.chars() {
        assert_eq!(m.on_key(key(KeyCode::Char(c))), ModalOutcome::Stay);
    }
}

#[test]
fn mark_read_defaults_to_no() {
    let mut m = WriteModal::mark_read(1, "member.1");
    assert_eq!(m.focus, Focus::Field(1), "Report_Account is prefilled");
    type_text(&mut m, "peer.2");
    // Enter, Enter: to the time field, then onto No. A third Enter cancels.
    assert_eq!(m.on_key(key(KeyCode::Enter)), ModalOutcome::Stay);
    assert_eq!(m.on_key(key(KeyCode::Enter)), ModalOutcome::Stay);
    assert_eq!(m.focus, Focus::No);
    assert_eq!(m.on_key(key(KeyCode::Enter)), ModalOutcome::Cancelled);
}

#[test]
fn mark_read_yes_sends_the_exact_action() {
    let mut m = WriteModal::mark_read(1, "member.1");
    type_text(&mut m, "peer.2");
    m.on_key(key(KeyCode::Tab));
    type_text(&mut m, "1700000000");
    m.on_key(key(KeyCode::Tab));
    m.on_key(key(KeyCode::Tab));
    assert_eq!(m.focus, Focus::Yes);
    let out = m.on_key(key(KeyCode::Enter));
    assert_eq!(
        out,
        ModalOutcome::Send(WriteAction::MarkC2cRead {
            report: "member.1".into(),
            peer: "peer.2".into(),
            time: Some(1_700_000_000),
        })
    );
    assert_eq!(m.stage, Stage::Sending);
}

#[test]
fn invalid_input_is_explained_not_sent() {
    let mut m = WriteModal::set_unread(1, "@TGS#g", Some(GroupType::Public), "member.1");
    type_text(&mut m, "lots");
    m.focus = Focus::Yes;
    assert_eq!(m.on_key(key(KeyCode::Enter)), ModalOutcome::Stay);
    assert!(m.problem.as_deref().unwrap_or("").contains("whole number"));
    assert_eq!(m.stage, Stage::Editing);
}

/// The incident: type the peer, Enter twice (onto [ No ]), then type `yuki`.
#[test]
fn a_word_typed_on_the_buttons_sends_nothing_and_says_why() {
    let mut m = WriteModal::mark_read(1, "member.1");
    type_text(&mut m, "peer.2");
    m.on_key(key(KeyCode::Enter));
    m.on_key(key(KeyCode::Enter));
    assert_eq!(m.focus, Focus::No);
    type_text(&mut m, "yuki");
    assert_eq!(m.stage, Stage::Editing);
    assert_eq!(m.problem.as_deref(), Some(BUTTONS_HINT));
    m.focus = Focus::Yes;
    type_text(&mut m, "yYnN q");
    assert_eq!(m.stage, Stage::Editing, "letters never press [ Yes ]");
}

#[test]
fn shift_tab_from_the_first_field_never_wraps_to_yes() {
    let mut m = WriteModal::mark_read(1, "");
    assert_eq!(m.focus, Focus::Field(0));
    m.on_key(key(KeyCode::BackTab));
    assert_eq!(m.focus, Focus::Field(0));
    m.on_key(key(KeyCode::Up));
    assert_eq!(m.focus, Focus::Field(0));
    // Forward: fields, No, Yes, then round to the first field.
    for expected in [
        Focus::Field(1),
        Focus::Field(2),
        Focus::No,
        Focus::Yes,
        Focus::Field(0),
    ] {
        m.on_key(key(KeyCode::Tab));
        assert_eq!(m.focus, expected);
    }
}

#[test]
fn after_a_failed_write_e_returns_to_the_field_at_fault() {
    let mut m = WriteModal::mark_read(1, "member.1");
    type_text(&mut m, "ghost");
    m.stage = Stage::Done(Err(
        "the account does not exist (error 90003; the service says: Peer_Account \"ghost\" does not exist)".into(),
    ));
    m.focus = Focus::Yes;
    assert_eq!(m.on_key(key(KeyCode::Char('e'))), ModalOutcome::Stay);
    assert_eq!(m.stage, Stage::Editing);
    assert_eq!(m.focus, Focus::Field(1), "Peer_Account");

    let mut m = WriteModal::set_unread(2, "@TGS#g", Some(GroupType::Work), "nobody.here");
    m.stage = Stage::Done(Err("Member_Account \"nobody.here\" is not a member".into()));
    m.on_key(key(KeyCode::Char('e')));
    assert_eq!(m.focus, Focus::Field(0), "Member_Account");
}

/// One keystroke typed by someone who thinks a field has the cursor.
fn typed() -> impl Strategy<Value = KeyCode> {
    prop_oneof![
        8 => any::<char>().prop_filter("printable", |c| !c.is_control()).prop_map(KeyCode::Char),
        2 => Just(KeyCode::Enter),
    ]
}

proptest! {
    /// Printable characters and Enter, typed into either dialog from any focus other
    /// than the send button, never send.
    #[test]
    fn typing_and_enter_never_send(
        keys in prop::collection::vec(typed(), 0..60),
        set_unread in any::<bool>(),
        start in 0usize..4,
    ) {
        let mut m = if set_unread {
            WriteModal::set_unread(1, "@TGS#g", Some(GroupType::Work), "member.1")
        } else {
            WriteModal::mark_read(1, "member.1")
        };
        let order = m.focus_order();
        m.focus = order[start.min(order.len() - 2)]; // any focus but [ Yes ]
        for code in keys {
            match m.on_key(key(code)) {
                ModalOutcome::Send(action) => {
                    prop_assert!(false, "sent {action:?}");
                }
                ModalOutcome::Cancelled | ModalOutcome::Closed => break,
                ModalOutcome::Stay => {}
            }
            prop_assert_ne!(m.focus, Focus::Yes);
        }
    }
}

#[test]
fn set_unread_says_it_is_for_migrations_and_tells_no_one() {
    let m = WriteModal::set_unread(1, "@TGS#g", Some(GroupType::Work), "a");
    let c = m.caveat().unwrap_or_default();
    assert!(c.contains("migrating") && c.contains("no callback") && c.contains("no notification"));
    assert_eq!(WriteModal::mark_read(1, "a").caveat(), None);
}

#[test]
fn set_unread_warns_for_meeting_groups() {
    let m = WriteModal::set_unread(1, "@TGS#g", Some(GroupType::Meeting), "a");
    assert!(m.warning().unwrap().contains("Meeting groups ignore"));
    let m = WriteModal::set_unread(1, "@TGS#g", Some(GroupType::Work), "a");
    assert!(m.warning().is_none());
}
