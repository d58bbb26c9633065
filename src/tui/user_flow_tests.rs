//! The user view through `update` and on screen: `:user` and `u` open it and start the
//! lookups, updates fill it in (stale ones dropped), `M` on a 1:1 row and `U` on a group
//! row open the write dialogs filled in, a done write reads the user again, Esc closes.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use crate::api::conversations::PeerUnread;
use crate::api::user::{C2cConversation, GroupUnread, UserGroup, UserUpdate};
use crate::api::{GroupType, MsgFlag, WriteAction, WriteOutcome};
use crate::tui::test_harness::*;

use super::model::event::{ApiEvent, Effect};
use super::model::pane::Pane;

fn loads(fx: &[Effect]) -> Vec<(u64, String)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::LoadUser {
                generation,
                account,
            } => Some((*generation, account.clone())),
            _ => None,
        })
        .collect()
}

fn update(h: &mut Harness, generation: u64, update: UserUpdate) -> Vec<Effect> {
    h.api(ApiEvent::User {
        generation,
        update,
        at: 1_700_000_000,
    })
}

fn group(id: &str, name: &str, unread: GroupUnread, mute_until: i64) -> UserGroup {
    UserGroup {
        group_id: id.into(),
        name: name.into(),
        group_type: Some(GroupType::Work),
        role: "Member".into(),
        join_time: 0,
        read_seq: Some(10),
        next_msg_seq: Some(20),
        unread,
        msg_flag: Some(MsgFlag::AcceptNotNotify),
        mute_until,
    }
}

fn c2c(peer: &str) -> C2cConversation {
    C2cConversation {
        peer: peer.into(),
        msg_time: 0,
        pinned: false,
        unread: None,
        code: 0,
    }
}

fn render(h: &Harness) -> String {
    let mut t = Terminal::new(TestBackend::new(110, 30)).unwrap();
    t.draw(|f| super::ui::draw(f, &h.app, &super::ui::theme::Theme::mono()))
        .unwrap();
    t.backend().to_string()
}

/// The view of nora.ops with two groups and two 1:1s, filled in.
fn open_nora(h: &mut Harness) -> u64 {
    h.send(ch(':'));
    h.type_text("user nora.ops");
    let fx = h.send(key(KeyCode::Enter));
    let (generation, account) = loads(&fx).pop().expect("the lookups start");
    assert_eq!(account, "nora.ops");
    update(h, generation, UserUpdate::Nick("Nora Ops".into()));
    update(
        h,
        generation,
        UserUpdate::Groups {
            total: 2,
            groups: vec![
                group("@TGS#a", "Quiet room", GroupUnread::Estimate(0), 0),
                group(
                    "@TGS#b",
                    "Busy room",
                    GroupUnread::Estimate(9),
                    1_700_009_000,
                ),
            ],
        },
    );
    update(
        h,
        generation,
        UserUpdate::Conversations(vec![c2c("emma.nguyen"), c2c("liam.kim")]),
    );
    update(
        h,
        generation,
        UserUpdate::C2cUnread(vec![
            PeerUnread {
                peer: "emma.nguyen".into(),
                unread: Some(40),
                code: 0,
            },
            PeerUnread {
                peer: "liam.kim".into(),
                unread: Some(2),
                code: 0,
            },
        ]),
    );
    update(h, generation, UserUpdate::C2cTotal(42));
    update(h, generation, UserUpdate::Done);
    generation
}

#[test]
fn user_opens_the_view_and_updates_fill_it_in() {
    let mut h = Harness::with_group_open();
    let generation = open_nora(&mut h);
    let screen = render(&h);
    assert!(screen.contains("User · nora.ops · Nora Ops"), "{screen}");
    // Most unread first; the user's mute and an admin's mute apart.
    let busy = screen.find("Busy room").unwrap();
    let quiet = screen.find("Quiet room").unwrap();
    assert!(busy < quiet, "{screen}");
    assert!(screen.contains("9 unread muted,admin-muted"), "{screen}");
    assert!(
        screen.contains("emma.nguyen           40 unread"),
        "{screen}"
    );
    assert!(
        screen.contains("2 1:1 conversations, 42 unread in all"),
        "{screen}"
    );
    assert!(screen.contains("notifies nobody"), "{screen}");
    // An update of another load changes nothing.
    assert!(update(&mut h, generation + 100, UserUpdate::Nick("someone".into())).is_empty());
    assert_eq!(
        h.app.user.as_ref().unwrap().report.nick.as_deref(),
        Some("Nora Ops")
    );
    // Esc closes it; keys go back to the panes.
    h.send(key(KeyCode::Esc));
    assert!(h.app.user.is_none());
}

#[test]
fn m_on_a_1_1_row_and_u_on_a_group_row_open_their_dialogs_filled_in() {
    let mut h = Harness::with_group_open();
    open_nora(&mut h);
    // M in the groups list says where it applies.
    h.send(ch('M'));
    assert!(h.app.modal.is_none());
    // U on the first group (Busy room): set-unread for nora.ops there, count looked up.
    let fx = h.send(ch('U'));
    let modal = h.app.modal.as_ref().expect("set-unread");
    assert_eq!(modal.group, "@TGS#b");
    assert_eq!(modal.member(), Some("nora.ops"));
    assert!(fx.iter().any(|e| matches!(e, Effect::FetchCurrentUnread { group, member, .. } if group == "@TGS#b" && member == "nora.ops")));
    h.send(key(KeyCode::Esc));
    // Tab to the 1:1s, down to emma.nguyen: M fills both accounts.
    h.send(key(KeyCode::Tab));
    h.send(ch('M'));
    let modal = h.app.modal.as_ref().expect("mark-read");
    let action = modal.action().unwrap();
    assert_eq!(
        action,
        WriteAction::MarkC2cRead {
            report: "nora.ops".into(),
            peer: "emma.nguyen".into(),
            time: None
        }
    );
    // Sent and done: the user is read again (the counts are the service's).
    let id = modal.id;
    let fx = h.api(ApiEvent::Write {
        modal: id,
        result: Ok(WriteOutcome {
            action,
            before: Some(40),
            after: Some(0),
            note: None,
        }),
    });
    let again = loads(&fx);
    assert_eq!(again.len(), 1, "{fx:?}");
    assert_eq!(again[0].1, "nora.ops");
    // The 1:1 list keeps its focus across the reload.
    assert_eq!(
        h.app.user.as_ref().unwrap().focus,
        super::model::user_view::UserList::C2c
    );
}

#[test]
fn u_on_a_member_row_opens_that_member_and_read_only_refuses_writes() {
    let mut h = Harness::with_group_open_sized(true, (110, 30));
    h.answer_members(&fx0_for(&h), 0, 3, true);
    h.app.focus = Pane::Members;
    h.send(ch('j'));
    let fx = h.send(ch('u'));
    let (generation, account) = loads(&fx).pop().unwrap();
    assert_eq!(account, "member.0001");
    // Opened from message 1042: did they read it?
    assert!(fx.contains(&Effect::LoadUserRead {
        generation,
        account: "member.0001".into(),
        group: "@TGS#ops".into(),
        seq: 1042,
    }));
    h.api(ApiEvent::UserRead {
        generation,
        result: Ok(crate::api::user_read::MessageRead {
            account: "member.0001".into(),
            group_id: "@TGS#ops".into(),
            seq: 1042,
            group_type: Some(GroupType::Public),
            by_receipt: crate::api::user_read::ReceiptRead::Unread,
            by_position: crate::api::user_read::PositionRead::Behind,
            read_seq: Some(1038),
        }),
    });
    let screen = render(&h);
    assert!(
        screen.contains("message 1042: by receipt: not read (on the message's unread list) · by read position: not read up to it"),
        "{screen}"
    );
    h.send(ch('U'));
    assert!(h.app.modal.is_none(), "read-only");
    assert!(
        h.app
            .status
            .notice
            .as_deref()
            .is_some_and(|n| n.contains("read-only"))
    );
}

#[test]
fn user_completes_accounts_whose_names_are_known() {
    let mut h = Harness::with_group_open();
    let rows = vec![
        "nora.ops".to_string(),
        "nora.weber".into(),
        "liam.kim".into(),
    ];
    let request = h.app.members.names.plan(None, &rows, 0, 3).unwrap();
    let profiles = ["Nora Ops", "Wang Lei", "Liam"]
        .iter()
        .zip(&rows)
        .map(|(n, a)| crate::api::profiles::Profile {
            account: a.clone(),
            nick: n.to_string(),
            code: 0,
            info: String::new(),
        })
        .collect();
    h.app
        .members
        .names
        .absorb(crate::api::names::NameAnswer {
            request,
            members: None,
            profiles: Some(Ok(profiles)),
        })
        .unwrap();
    h.send(ch(':'));
    // By nickname: one match completes the account.
    h.type_text("user wang");
    h.send(key(KeyCode::Tab));
    let typed = match &h.app.prompt {
        Some(super::model::app::Prompt::Palette { input }) => input.value().to_string(),
        other => panic!("{other:?}"),
    };
    assert_eq!(typed, "user nora.weber");
    // Several: listed, the line kept.
    h.send(key(KeyCode::Esc));
    h.send(ch(':'));
    h.type_text("user nora");
    h.send(key(KeyCode::Tab));
    let notice = h.app.status.notice.clone().unwrap_or_default();
    assert!(
        notice.contains("2 match: nora.ops (Nora Ops), nora.weber (Wang Lei)"),
        "{notice}"
    );
    // Nothing known: the service cannot search by nickname, and says so.
    h.send(key(KeyCode::Esc));
    h.send(ch(':'));
    h.type_text("user zed");
    h.send(key(KeyCode::Tab));
    let notice = h.app.status.notice.clone().unwrap_or_default();
    assert!(notice.contains("no search by nickname"), "{notice}");
}
