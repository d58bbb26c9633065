//! Unit tests of `update`: dialogs, read-only gating, webhooks, watch mode, export, copy,
//! quitting, redraw discipline.

use std::time::Duration;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::api::{GroupMember, GroupType, MemberPage, ReceiptFilter, WriteAction, WriteOutcome};
use crate::webhook::{ReceiptEvent, ReceiptUpdate};

use super::event::{ApiEvent, CountsOrigin, CurrentUnread, Effect, Event, ExportError, SignalKind};
use super::modal::{Current, Stage};
use super::panes::Counts;
use crate::api::ApiError;
use crate::session::WriteError;
use crate::tui::test_harness::*;

#[test]
fn mark_read_modal_prefills_defaults_to_no_and_sends_only_on_yes() {
    let mut h = Harness::with_group_open();
    h.answer_members(&fx0_for(&h), 0, 3, true);
    h.send(key(KeyCode::Tab));
    h.send(ch('j'));
    h.send(ch('M'));
    let m = h.app.modal.as_ref().expect("modal open");
    assert_eq!(m.fields[0].input.value(), "member.0001");
    // Esc: cancelled, nothing sent.
    let fx = h.send(key(KeyCode::Esc));
    assert!(fx.is_empty());
    assert!(h.app.modal.is_none());
    // Again, type a peer, Enter through to No, Enter: cancelled.
    h.send(ch('M'));
    h.type_text("peer.9");
    h.send(key(KeyCode::Enter));
    h.send(key(KeyCode::Enter));
    let fx = h.send(key(KeyCode::Enter));
    assert!(fx.is_empty(), "the default answer is No");
    assert!(h.app.modal.is_none());
    // Again, and say yes.
    h.send(ch('M'));
    h.type_text("peer.9");
    h.send(key(KeyCode::Enter));
    h.send(key(KeyCode::Enter));
    h.send(key(KeyCode::Right)); // onto [ Yes ]
    let fx = h.send(key(KeyCode::Enter));
    let action = WriteAction::MarkC2cRead {
        report: "member.0001".into(),
        peer: "peer.9".into(),
        time: None,
    };
    let id = h.app.modal.as_ref().unwrap().id;
    assert_eq!(
        fx,
        vec![Effect::Write {
            modal: id,
            action: action.clone()
        }]
    );
    assert!(h.app.is_busy());
    h.api(ApiEvent::Write {
        modal: id,
        result: Ok(WriteOutcome {
            action,
            before: Some(3),
            after: Some(0),
            note: None,
        }),
    });
    let m = h.app.modal.as_ref().unwrap();
    assert!(matches!(&m.stage, Stage::Done(Ok(o)) if o.after == Some(0)));
    assert!(
        h.app
            .status
            .notice
            .as_deref()
            .unwrap_or("")
            .contains("audit log")
    );
    h.send(key(KeyCode::Enter));
    assert!(h.app.modal.is_none());
}

#[test]
fn a_failed_write_goes_back_to_the_fields_with_e_and_asks_again() {
    let mut h = Harness::with_group_open();
    h.answer_members(&fx0_for(&h), 0, 3, true);
    h.send(key(KeyCode::Tab));
    h.send(ch('M'));
    h.type_text("peer.99");
    h.send(key(KeyCode::Enter));
    h.send(key(KeyCode::Enter));
    h.send(key(KeyCode::Right)); // onto [ Yes ]
    let fx = h.send(key(KeyCode::Enter));
    let Some(Effect::Write { modal, .. }) = fx.first().cloned() else {
        panic!("{fx:?}")
    };
    h.api(ApiEvent::Write {
        modal,
        result: Err(WriteError::Api(ApiError::Invalid(
            "the peer account does not exist".into(),
        ))),
    });
    assert!(matches!(
        h.app.modal.as_ref().unwrap().stage,
        Stage::Done(Err(_))
    ));
    // `e`: back to the dialog with what was typed; fix the typo (one Backspace).
    let fx = h.send(ch('e'));
    assert!(fx.is_empty());
    let m = h.app.modal.as_ref().expect("still open");
    assert_eq!(m.stage, Stage::Editing);
    assert_eq!(m.fields[1].input.value(), "peer.99");
    h.send(key(KeyCode::Tab));
    h.send(key(KeyCode::End));
    h.send(key(KeyCode::Backspace));
    assert_eq!(
        h.app.modal.as_ref().unwrap().fields[1].input.value(),
        "peer.9"
    );
    // Enter walks to No: nothing is sent without a fresh yes.
    h.send(key(KeyCode::Enter));
    h.send(key(KeyCode::Enter));
    let fx = h.send(key(KeyCode::Enter));
    assert!(fx.is_empty(), "the default answer is still No");
    assert!(h.app.modal.is_none());
    // A successful write has no `e`: it only closes.
    h.send(ch('M'));
    h.type_text("peer.9");
    h.send(key(KeyCode::Enter));
    h.send(key(KeyCode::Enter));
    h.send(key(KeyCode::Right)); // onto [ Yes ]
    let fx = h.send(key(KeyCode::Enter));
    let Some(Effect::Write { modal, action }) = fx.first().cloned() else {
        panic!("{fx:?}")
    };
    assert!(matches!(&action, WriteAction::MarkC2cRead { peer, .. } if peer == "peer.9"));
    h.api(ApiEvent::Write {
        modal,
        result: Ok(WriteOutcome {
            action,
            before: Some(1),
            after: Some(0),
            note: None,
        }),
    });
    h.send(ch('e'));
    assert!(matches!(
        h.app.modal.as_ref().unwrap().stage,
        Stage::Done(Ok(_))
    ));
}

#[test]
fn set_unread_modal_shows_current_count_and_warns_for_meeting_groups() {
    let mut h = Harness::with_group_open();
    h.answer_members(&fx0_for(&h), 0, 3, true);
    h.send(key(KeyCode::Tab));
    let fx = h.send(ch('U'));
    let id = h.app.modal.as_ref().unwrap().id;
    assert_eq!(
        fx,
        vec![Effect::FetchCurrentUnread {
            modal: id,
            group: "@TGS#ops".into(),
            member: "member.0000".into()
        }]
    );
    let mut info = group("@TGS#ops", "Ops War Room", GroupType::Public, 180);
    info.next_msg_seq = 1043;
    let member = h
        .app
        .modal
        .as_ref()
        .and_then(|m| m.member())
        .unwrap_or_default()
        .to_string();
    h.api(ApiEvent::CurrentUnread {
        modal: id,
        member,
        result: Ok(CurrentUnread {
            group: info,
            member: Some(GroupMember {
                account: "member.0000".into(),
                last_read_seq: 1030,
                ..Default::default()
            }),
        }),
    });
    match &h.app.modal.as_ref().unwrap().current {
        Some(Current::Loaded(c)) => assert_eq!(c.unread(), Some(12)),
        other => panic!("{other:?}"),
    }
    assert!(h.app.modal.as_ref().unwrap().warning().is_none());
    h.type_text("0");
    h.send(key(KeyCode::Tab)); // No
    let fx = h.send(key(KeyCode::Tab)); // Yes
    assert!(fx.is_empty());
    let fx = h.send(key(KeyCode::Enter));
    assert_eq!(
        fx,
        vec![Effect::Write {
            modal: id,
            action: WriteAction::SetUnread {
                group: "@TGS#ops".into(),
                member: "member.0000".into(),
                unread: 0
            }
        }]
    );
    // A write error is shown in the dialog, in words.
    h.api(ApiEvent::Write {
        modal: id,
        result: Err(WriteError::Api(ApiError::Service {
            api: "set_unread_msg_num",
            code: 10007,
            info: "no permission".into(),
        })),
    });
    assert!(
        matches!(&h.app.modal.as_ref().unwrap().stage, Stage::Done(Err(e)) if e.contains("10007"))
    );

    // Meeting group: warned.
    let mut h = Harness::with_group_open();
    h.app.messages.group.as_mut().unwrap().group_type = Some(GroupType::Meeting);
    h.answer_members(&fx0_for(&h), 0, 1, true);
    h.send(key(KeyCode::Tab));
    h.send(ch('U'));
    let w = h.app.modal.as_ref().unwrap().warning().unwrap();
    assert!(w.contains("Meeting groups ignore"), "{w}");
}

#[test]
fn read_only_mode_hides_every_write() {
    let mut h = Harness::with_group_open_sized(true, (100, 30));
    h.answer_members(&fx0_for(&h), 0, 3, true);
    h.send(key(KeyCode::Tab));
    for k in ['M', 'U'] {
        let fx = h.send(ch(k));
        assert!(fx.is_empty());
        assert!(
            h.app.modal.is_none(),
            "{k} must do nothing in read-only mode"
        );
    }
    h.send(ch(':'));
    h.type_text("mark-read");
    let fx = h.send(key(KeyCode::Enter));
    assert!(fx.is_empty());
    assert!(h.app.modal.is_none());
    assert!(
        h.app.status.error.is_some(),
        "unknown command in read-only mode"
    );
}

#[test]
fn webhook_updates_counts_in_place_and_marks_them_live() {
    let mut h = Harness::with_group_open();
    h.app.dirty = false;
    h.send(Event::Webhook(ReceiptEvent {
        group_id: "@TGS#ops".into(),
        group_type: "Public".into(),
        event_time_ms: 1_700_000_100_000,
        receipts: vec![ReceiptUpdate {
            seq: 1042,
            read: 4105,
            unread: 1706,
            readers: vec!["member.0007".into()],
        }],
    }));
    assert!(h.app.dirty);
    let row = h.app.messages.row_by_seq(1042).unwrap();
    assert_eq!(
        row.counts,
        Counts::Known {
            count: count(1042, 4105, 1706),
            live: true
        }
    );
    assert!(h.app.members.live_readers.contains("member.0007"));
    let history = h.app.live.history("@TGS#ops", 1042).unwrap();
    assert_eq!(
        history.len(),
        2,
        "one point from the page's counts, one from the webhook"
    );
    assert_eq!(h.app.live.feed.len(), 1);
    // Another group's event: feed only.
    h.send(Event::Webhook(ReceiptEvent {
        group_id: "@TGS#other".into(),
        group_type: "Work".into(),
        event_time_ms: 1_700_000_101_000,
        receipts: vec![ReceiptUpdate {
            seq: 1042,
            read: 1,
            unread: 1,
            readers: vec![],
        }],
    }));
    assert_eq!(
        h.app
            .messages
            .row_by_seq(1042)
            .unwrap()
            .counts
            .count()
            .unwrap()
            .read,
        Some(4105)
    );
    assert_eq!(h.app.live.feed.len(), 2);
    // A webhook about a message newer than the newest loaded: the pane offers to load it.
    assert!(!h.app.messages.has_newer());
    h.send(Event::Webhook(ReceiptEvent {
        group_id: "@TGS#ops".into(),
        group_type: "Public".into(),
        event_time_ms: 1_700_000_102_000,
        receipts: vec![ReceiptUpdate {
            seq: 1043,
            read: 1,
            unread: 5810,
            readers: vec![],
        }],
    }));
    assert!(h.app.messages.has_newer());
}

#[test]
fn watch_mode_polls_visible_counts_in_one_call() {
    let mut h = Harness::with_group_open();
    let fx = h.send(ch('w'));
    assert_eq!(h.app.watch_interval(), Some(Duration::from_secs(10)));
    let polls: Vec<_> = fx
        .iter()
        .filter(|e| {
            matches!(
                e,
                Effect::FetchCounts {
                    origin: CountsOrigin::Poll,
                    ..
                }
            )
        })
        .collect();
    assert_eq!(polls.len(), 1);
    assert!(matches!(polls[0], Effect::FetchCounts { seqs, .. } if seqs == &vec![1042, 1040]));
    // While that poll is out, ticks do nothing.
    assert!(h.send(Event::WatchTick).is_empty());
    h.api(ApiEvent::Counts {
        generation: h.app.messages.list.generation(),
        origin: CountsOrigin::Poll,
        seqs: vec![1042, 1040],
        at_ms: 1_700_000_010_000,
        result: Ok(vec![count(1042, 125, 54), count(1040, 172, 7)]),
    });
    assert_eq!(h.app.live.history("@TGS#ops", 1042).unwrap().len(), 2);
    assert_eq!(h.send(Event::WatchTick).len(), 1);
    h.send(ch('w'));
    assert_eq!(h.app.watch_interval(), None);
}

#[test]
fn quits_on_q_signals_and_end_of_input() {
    for event in [
        ch('q'),
        Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
        Event::Signal(SignalKind::Hangup),
        Event::Signal(SignalKind::Terminate),
        Event::InputClosed,
    ] {
        let mut h = Harness::new(false, (80, 24));
        let fx = h.send(event);
        assert!(fx.contains(&Effect::Quit));
        assert!(h.app.should_quit);
    }
}

#[test]
fn idle_events_do_not_redraw() {
    let mut h = Harness::with_group_open();
    let generation = h.app.members.list.generation();
    h.api(ApiEvent::Members {
        generation,
        result: Ok(MemberPage {
            accounts: accounts(0, 5),
            cursor: String::new(),
            finished: true,
        }),
    });
    assert!(!h.app.is_busy());
    h.app.dirty = false;
    h.send(Event::Tick);
    h.send(ch('Z')); // bound to nothing
    h.send(Event::Stats(h.app.status.stats));
    assert!(!h.app.dirty, "nothing changed, nothing to draw");
}

#[test]
fn export_reports_progress_and_result() {
    let mut h = Harness::with_group_open();
    h.send(key(KeyCode::Tab));
    let fx = h.send(ch('e'));
    let job = match fx.as_slice() {
        [
            Effect::Export {
                job,
                group,
                seq: 1042,
                filter: ReceiptFilter::Unread,
                to: None,
            },
        ] if group == "@TGS#ops" => *job,
        other => panic!("{other:?}"),
    };
    assert_eq!(h.app.export.as_ref().unwrap().total, Some(58));
    h.send(Event::ExportProgress { job, loaded: 40 });
    assert_eq!(h.app.export.as_ref().unwrap().loaded, 40);
    assert!(h.send(ch('e')).is_empty(), "one export at a time");
    assert!(
        h.app
            .status
            .notice
            .as_deref()
            .unwrap()
            .contains("already running"),
        "a second e says one is running"
    );
    h.send(Event::ExportDone {
        job,
        result: Ok(super::event::ExportSummary {
            path: "/home/ana/x.csv".into(),
            rows: 58,
        }),
    });
    assert!(h.app.export.is_none());
    assert!(
        h.app
            .status
            .notice
            .as_deref()
            .unwrap()
            .contains("58 members to /home/ana/x.csv"),
        "the notice gives the whole path"
    );
}

/// An export can be cancelled with x; q during an export asks first; `:export PATH`
/// writes where it is told.
#[test]
fn exports_cancel_ask_before_quitting_and_honour_a_path() {
    let mut h = Harness::with_group_open();
    h.send(key(KeyCode::Tab));
    let fx = h.send(ch('e'));
    let Some(Effect::Export { job, .. }) = fx.first().cloned() else {
        panic!("{fx:?}")
    };
    // q asks; another key keeps the export; x cancels it.
    let fx = h.send(ch('q'));
    assert!(!fx.contains(&Effect::Quit), "the first q only asks");
    assert!(
        h.app
            .status
            .notice
            .as_deref()
            .unwrap()
            .contains("q again quits")
    );
    h.send(ch('j'));
    assert!(
        !h.send(ch('q')).contains(&Effect::Quit),
        "another key disarmed it"
    );
    let fx = h.send(ch('x'));
    assert_eq!(fx, vec![Effect::CancelExport { job }]);
    assert!(h.app.export.is_none());
    assert!(
        h.app
            .status
            .notice
            .as_deref()
            .unwrap()
            .contains("no file was written")
    );
    // A late result of the cancelled job changes nothing.
    h.send(Event::ExportDone {
        job,
        result: Err(ExportError::Task("cancelled".into())),
    });
    assert!(h.app.status.error.is_none());
    // q, q during an export: quits, dropping the export.
    let fx = h.send(ch('e'));
    let Some(Effect::Export { job, .. }) = fx.first().cloned() else {
        panic!("{fx:?}")
    };
    h.send(ch('q'));
    let fx = h.send(ch('q'));
    assert!(fx.contains(&Effect::CancelExport { job }) && fx.contains(&Effect::Quit));

    // :export PATH
    let mut h = Harness::with_group_open();
    h.send(key(KeyCode::Tab));
    h.send(ch(':'));
    h.type_text("export /tmp/war-room.csv");
    let fx = h.send(key(KeyCode::Enter));
    assert!(
        matches!(fx.as_slice(), [Effect::Export { to: Some(p), .. }] if p.as_path() == std::path::Path::new("/tmp/war-room.csv")),
        "{fx:?}"
    );
}

#[test]
fn copy_sends_the_selected_id() {
    let mut h = Harness::with_group_open();
    let fx = h.send(ch('y'));
    assert_eq!(fx, vec![Effect::Copy("1042".into())]);
    h.send(key(KeyCode::BackTab));
    let fx = h.send(ch('y'));
    assert_eq!(fx, vec![Effect::Copy("@TGS#ops".into())]);
    // OSC 52 has no answer: the status line says where it went, not that it arrived, and
    // shows the ID to select with the mouse.
    assert_eq!(
        h.app.status.notice.as_deref(),
        Some("sent to the terminal's clipboard (OSC 52): @TGS#ops")
    );
}

/// An ID that would break out of a bracketed paste (`ESC[201~`, newlines) never reaches
/// the clipboard; the status line says why and shows it harmless.
#[test]
fn copy_refuses_ids_with_control_characters() {
    let mut h = Harness::with_group_open();
    let generation = h.app.members.list.generation();
    let hostile = "x\u{1b}[201~\nrm -rf ~\n\u{9b}31m\u{7f}";
    h.api(ApiEvent::Members {
        generation,
        result: Ok(MemberPage {
            accounts: vec![hostile.to_string(), "member.0001".into()],
            cursor: String::new(),
            finished: true,
        }),
    });
    h.send(key(KeyCode::Tab));
    assert_eq!(
        h.app.members.selected_account().map(String::as_str),
        Some(hostile)
    );
    let fx = h.send(ch('y'));
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::Copy(_))),
        "a control character reached OSC 52: {fx:?}"
    );
    let notice = h.app.status.notice.clone().unwrap_or_default();
    assert_eq!(
        notice,
        "not copied: this ID contains control characters (shown as ?): x?[201~?rm -rf ~??31m?"
    );
    // The palette's `copy` goes the same way.
    h.send(ch(':'));
    h.type_text("copy");
    let fx = h.send(key(KeyCode::Enter));
    assert!(!fx.iter().any(|e| matches!(e, Effect::Copy(_))), "{fx:?}");
    // A clean ID next to it is copied as before.
    h.send(ch('j'));
    assert_eq!(h.send(ch('y')), vec![Effect::Copy("member.0001".into())]);
}

#[test]
fn resize_keeps_the_selection_visible() {
    let mut h = Harness::with_group_open();
    h.answer_members(&fx0_for(&h), 0, 200, false);
    h.send(key(KeyCode::Tab));
    for _ in 0..50 {
        h.send(ch('j'));
    }
    h.send(Event::Resize(80, 24));
    let v = h.app.members.view;
    let height = h.app.viewport.members;
    assert!(
        v.selected >= v.offset && v.selected < v.offset + height,
        "{v:?} {height}"
    );
    h.send(Event::Resize(20, 5));
    assert!(h.app.is_too_small());
    // Keys still work; nothing panics at any size.
    h.send(ch('j'));
}

/// The `U` dialog's "current unread" always belongs to the account in Member_Account:
/// editing it shows the count as loading, looks the new account up once typing pauses,
/// and an answer about the previous account is dropped.
#[test]
fn set_unread_current_count_follows_the_edited_account() {
    let mut h = Harness::with_group_open();
    h.answer_members(&fx0_for(&h), 0, 3, true);
    h.send(key(KeyCode::Tab));
    h.send(ch('U'));
    let id = h.app.modal.as_ref().unwrap().id;
    let answer = |account: &str, last_read: u64| {
        let mut info = group("@TGS#ops", "Ops War Room", GroupType::Public, 150);
        info.next_msg_seq = 1043;
        ApiEvent::CurrentUnread {
            modal: id,
            member: account.to_string(),
            result: Ok(CurrentUnread {
                group: info,
                member: Some(GroupMember {
                    account: account.to_string(),
                    last_read_seq: last_read,
                    ..Default::default()
                }),
            }),
        }
    };
    h.api(answer("member.0000", 1030));
    // Back to Member_Account and change it to member.0009.
    h.send(key(KeyCode::BackTab));
    h.send(key(KeyCode::End));
    h.send(key(KeyCode::Backspace));
    let fx = h.send(ch('9'));
    assert_eq!(h.app.modal.as_ref().unwrap().member(), Some("member.0009"));
    assert_eq!(
        h.app.modal.as_ref().unwrap().current,
        Some(Current::Loading),
        "the old count is not shown for the new account"
    );
    let token = match fx.as_slice() {
        [Effect::Debounce { token, .. }] => *token,
        other => panic!("{other:?}"),
    };
    // A late answer about the previous account changes nothing.
    h.api(answer("member.0000", 1030));
    assert_eq!(
        h.app.modal.as_ref().unwrap().current,
        Some(Current::Loading)
    );
    // Typing paused: the new account is looked up, and its answer shown.
    let fx = h.send(Event::Debounce(token));
    assert_eq!(
        fx,
        vec![Effect::FetchCurrentUnread {
            modal: id,
            group: "@TGS#ops".into(),
            member: "member.0009".into()
        }]
    );
    h.api(answer("member.0009", 1040));
    match &h.app.modal.as_ref().unwrap().current {
        Some(Current::Loaded(c)) => assert_eq!(c.unread(), Some(2)),
        other => panic!("{other:?}"),
    }
}

/// `r` after a failed reload of a long list fetches again at once (it used to wait for a
/// pump that never came while the reader was far from the end: `r` then did nothing, and
/// said "already refreshing…", for ever).
#[test]
fn r_after_a_failed_reload_always_starts_a_call() {
    let mut h = Harness::with_group_open();
    h.answer_members(&fx0_for(&h), 0, 150, false);
    h.send(key(KeyCode::Tab));
    assert_eq!(h.app.focus, super::app::Pane::Members);
    for round in 0..3 {
        let fx = h.send(ch('r'));
        let fetches = members_fetches(&fx);
        assert_eq!(
            fetches.len(),
            1,
            "round {round}: r starts a members call: {fx:?}"
        );
        let generation = match fetches[0] {
            Effect::FetchMembers { generation, .. } => *generation,
            _ => unreachable!(),
        };
        h.api(ApiEvent::Members {
            generation,
            result: Err(crate::api::ApiError::Http {
                api: "get_group_msg_receipt_detail",
                status: 502,
            }),
        });
        assert!(h.app.members.list.error().is_some());
        assert_eq!(h.app.members.list.len(), 150, "a failure keeps the rows");
    }
}

/// `r` where there is nothing to reload says so.
#[test]
fn r_with_nothing_to_reload_says_why() {
    let mut h = Harness::new(false, (100, 30));
    h.app.focus = super::app::Pane::Members;
    let fx = h.send(ch('r'));
    assert!(members_fetches(&fx).is_empty());
    assert!(
        h.app
            .status
            .notice
            .as_deref()
            .unwrap_or("")
            .contains("no message selected"),
        "{:?}",
        h.app.status.notice
    );
}

/// A reload that brings newer messages keeps the highlight on the same message (by seq),
/// and the members pane always shows the highlighted message's list.
#[test]
fn a_reload_keeps_the_highlight_and_the_members_on_the_same_message() {
    let mut h = Harness::with_group_open();
    assert_eq!(h.app.focus, super::app::Pane::Messages);
    h.send(ch('j'));
    let fx = h.send(ch('j'));
    let token = fx
        .iter()
        .find_map(|e| match e {
            Effect::Debounce { token, .. } => Some(*token),
            _ => None,
        })
        .expect("the members pane follows after a pause");
    h.send(Event::Debounce(token));
    assert_eq!(h.app.messages.selected().unwrap().message.seq, 1040);
    assert_eq!(h.app.members.target.as_ref().unwrap().seq, 1040);

    let fx = h.send(ch('r'));
    let generation = fx
        .iter()
        .find_map(|e| match e {
            Effect::FetchMessages { generation, .. } => Some(*generation),
            _ => None,
        })
        .expect("r reloads the messages");
    let kinds = [1044, 1043, 1042, 1041, 1040, 1039];
    h.api(ApiEvent::Messages {
        generation,
        result: Ok(crate::api::MessagePage {
            messages: kinds
                .iter()
                .map(|&seq| message(seq, "ops.lead", "update", crate::api::MessageKind::Normal))
                .collect(),
            older: None,
        }),
    });
    assert_eq!(
        h.app.messages.selected().unwrap().message.seq,
        1040,
        "the highlight stays on the message, not on the row number"
    );
    assert_eq!(h.app.members.target.as_ref().unwrap().seq, 1040);

    // A filter that hides the highlighted message moves the highlight: members follow.
    h.send(ch('/'));
    h.type_text("zzz-no-match");
    h.send(key(KeyCode::Esc));
    let selected = h.app.messages.selected().map(|r| r.message.seq);
    assert_eq!(h.app.members.target.as_ref().map(|t| t.seq), selected);
}

/// Ctrl-C quits from anywhere: help, the palette, a filter and both dialogs, and a dialog
/// quits with nothing sent.
#[test]
fn ctrl_c_quits_from_every_overlay_and_sends_nothing() {
    let ctrl_c = || Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    for overlay in ["?", ":", "/", "M", "U", ""] {
        let mut h = Harness::with_group_open();
        h.answer_members(&fx0_for(&h), 0, 3, true);
        h.send(key(KeyCode::Tab)); // Members: M and U need a member
        for c in overlay.chars() {
            h.send(ch(c));
        }
        h.type_text("peer");
        let fx = h.send(ctrl_c());
        assert!(fx.contains(&Effect::Quit), "{overlay:?}: {fx:?}");
        assert!(
            !fx.iter().any(|e| matches!(e, Effect::Write { .. })),
            "{overlay:?}: {fx:?}"
        );
        assert!(h.app.should_quit, "{overlay:?}");
    }
}

/// A notice goes away by itself; a newer notice restarts the clock; an error stays.
#[test]
fn notices_expire_but_errors_stay() {
    let mut h = Harness::with_group_open();
    h.answer_members(&fx0_for(&h), 0, 3, true);
    h.send(key(KeyCode::Tab));
    let fx = h.send_raw(ch('y'));
    let first = fx
        .iter()
        .find_map(|e| match e {
            Effect::Debounce { token, after } if *after == super::app::NOTICE_LIFETIME => {
                Some(*token)
            }
            _ => None,
        })
        .expect("a notice starts its timer");
    assert!(h.app.status.notice.is_some());
    // A second notice before the first expires: the first timer no longer clears it.
    h.send(ch('j'));
    let fx = h.send_raw(ch('y'));
    let second = fx
        .iter()
        .find_map(|e| match e {
            Effect::Debounce { token, .. } if *token != first => Some(*token),
            _ => None,
        })
        .expect("the new notice has its own timer");
    h.send(Event::Debounce(first));
    assert!(h.app.status.notice.is_some(), "the newer notice stays");
    h.send(Event::Debounce(second));
    assert_eq!(h.app.status.notice, None);
    // An error is not a notice: it stays until what failed works again.
    h.api(ApiEvent::Counts {
        generation: h.app.messages.list.generation(),
        origin: CountsOrigin::Page,
        seqs: vec![1042],
        at_ms: 0,
        result: Err(crate::api::ApiError::Timeout {
            api: "get_group_msg_receipt",
            secs: 10,
        }),
    });
    let error = h.app.status.error.clone();
    assert!(error.is_some());
    h.send(Event::Debounce(second));
    assert_eq!(h.app.status.error, error);
}

/// `>` loads the whole list without holding a key, then goes to its end; Esc stops it.
#[test]
fn load_all_fetches_every_page_then_goes_to_the_end() {
    let mut h = Harness::with_group_open();
    h.answer_members(&fx0_for(&h), 0, 60, false);
    h.send(key(KeyCode::Tab));
    let fx = h.send(ch('>'));
    assert_eq!(
        members_fetches(&fx).len(),
        1,
        "the next page at once: {fx:?}"
    );
    assert!(
        h.app
            .status
            .notice
            .as_deref()
            .unwrap()
            .contains("60 so far")
    );
    let fx = h.answer_members(&fx, 60, 60, false);
    assert_eq!(members_fetches(&fx).len(), 1, "and the next: {fx:?}");
    let fx = h.answer_members(&fx, 120, 59, true);
    assert!(members_fetches(&fx).is_empty());
    assert_eq!(
        h.app.members.view.selected, 178,
        "at the end of the whole list"
    );
    assert_eq!(
        h.app.status.notice.as_deref(),
        Some("all 179 members loaded")
    );
    assert_eq!(h.app.load_all, None);

    // Esc stops it: no further page is asked for.
    let mut h = Harness::with_group_open();
    h.answer_members(&fx0_for(&h), 0, 60, false);
    h.send(key(KeyCode::Tab));
    let fx = h.send(ch('>'));
    h.send(key(KeyCode::Esc));
    assert_eq!(h.app.load_all, None);
    let fx = h.answer_members(&fx, 60, 60, false);
    assert!(members_fetches(&fx).is_empty(), "stopped: {fx:?}");
    assert_eq!(
        h.app.members.view.selected, 0,
        "the selection stays where it was"
    );
}
