//! Unit tests of `update`: paging triggers, stale results, latest selection wins, modal
//! flows, read-only gating, errors, webhooks, watch mode. Hand-made data, no I/O.

use std::time::Duration;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::api::{
    ApiError, GroupIdPage, GroupInfo, GroupMember, GroupType, MemberPage, Message, MessageKind,
    MessagePage, ReceiptCount, ReceiptFilter, WriteAction, WriteOutcome,
};
use crate::webhook::{ReceiptEvent, ReceiptUpdate};

use super::app::{App, AppContext, Pane, Source, update};
use super::event::{ApiEvent, CountsOrigin, CurrentUnread, Effect, Event, SignalKind};
use super::modal::{Current, Stage};
use super::panes::{Counts, MEMBER_PAGE};
use super::ui::theme::Theme;

pub fn context(read_only: bool) -> AppContext {
    AppContext {
        profile: "demo".into(),
        location: "sandbox 127.0.0.1:41234".into(),
        sdkappid: 1_400_000_000,
        read_only,
        budget_per_sec: 20,
        watch_interval: Duration::from_secs(10),
        utc_offset: time::UtcOffset::UTC,
        audit_log: Some("/home/agent/.local/state/tim-receipts/audit.jsonl".into()),
    }
}

pub fn group(id: &str, name: &str, t: GroupType, members: u64) -> GroupInfo {
    GroupInfo {
        id: id.into(),
        code: 0,
        name: name.into(),
        group_type: Some(t),
        member_num: members,
        max_member_num: 6000,
        next_msg_seq: 1043,
        owner: "ops.lead".into(),
        ..Default::default()
    }
}

pub fn message(seq: u64, from: &str, text: &str, kind: MessageKind) -> Message {
    Message {
        seq,
        time: 1_700_000_000 + (seq as i64) * 60,
        from: from.into(),
        text: text.into(),
        kind,
        is_system: false,
    }
}

pub fn count(seq: u64, read: u64, unread: u64) -> ReceiptCount {
    ReceiptCount {
        seq,
        read: Some(read),
        unread: Some(unread),
        code: 0,
    }
}

pub fn accounts(from: usize, n: usize) -> Vec<String> {
    (from..from + n).map(|i| format!("member.{i:04}")).collect()
}

pub fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ch(c: char) -> Event {
    let m = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    Event::Key(KeyEvent::new(KeyCode::Char(c), m))
}

/// A dashboard driven by hand: feed events, inspect effects.
pub struct Harness {
    pub app: App,
}

impl Harness {
    pub fn new(read_only: bool, size: (u16, u16)) -> Self {
        Harness {
            app: App::new(context(read_only), Theme::mono(), size),
        }
    }

    pub fn send(&mut self, event: Event) -> Vec<Effect> {
        update(&mut self.app, event)
    }

    pub fn api(&mut self, event: ApiEvent) -> Vec<Effect> {
        self.send(Event::Api(event))
    }

    /// Start, load one page of groups with details, open the first group, load one page
    /// of messages with counts: the state after "open a group".
    pub fn with_group_open() -> Self {
        Self::with_group_open_sized(false, (100, 30))
    }

    pub fn with_group_open_sized(read_only: bool, size: (u16, u16)) -> Self {
        let mut h = Harness::new(read_only, size);
        let fx = h.app.start();
        assert_eq!(
            fx,
            vec![Effect::FetchGroupIds {
                generation: 0,
                next: 0,
                limit: 1000
            }]
        );
        let ids = vec!["@TGS#ops".to_string(), "@TGS#eng".into(), "@TGS#av".into()];
        let fx = h.api(ApiEvent::GroupIds {
            generation: 0,
            result: Ok(GroupIdPage {
                ids: ids.clone(),
                next: 0,
                total: 3,
            }),
        });
        assert_eq!(fx, vec![Effect::FetchGroupInfo { ids: ids.clone() }]);
        h.api(ApiEvent::GroupInfo {
            ids,
            result: Ok(vec![
                group("@TGS#ops", "Ops War Room", GroupType::Public, 5812),
                group("@TGS#eng", "Eng Announcements", GroupType::Work, 120),
                group("@TGS#av", "Launch stream", GroupType::AVChatRoom, 90000),
            ]),
        });
        let fx = h.send(key(KeyCode::Enter));
        let generation = match fx.as_slice() {
            [
                Effect::FetchMessages {
                    generation,
                    group,
                    before: None,
                    count: 20,
                },
            ] if group == "@TGS#ops" => *generation,
            other => panic!("expected the first messages page, got {other:?}"),
        };
        assert_eq!(h.app.focus, Pane::Messages);
        let fx = h.api(ApiEvent::Messages {
            generation,
            result: Ok(MessagePage {
                messages: vec![
                    message(
                        1042,
                        "ops.lead",
                        "Outage update: API latency",
                        MessageKind::Normal,
                    ),
                    message(1041, "status.bot", "", MessageKind::Recalled),
                    message(
                        1040,
                        "sre.oncall",
                        "Please ack the runbook",
                        MessageKind::Normal,
                    ),
                    message(
                        1039,
                        "ops.lead",
                        "no receipt on this one",
                        MessageKind::Normal,
                    ),
                ],
                older: None,
            }),
        });
        // One batched counts call for the page (placeholders skipped) and, in the same
        // update, the first members page of the newest message: one round trip.
        assert!(fx.contains(&Effect::FetchCounts {
            generation,
            origin: CountsOrigin::Page,
            group: "@TGS#ops".into(),
            seqs: vec![1042, 1040, 1039],
        }));
        let members_gen = h.app.members.list.generation();
        assert!(fx.contains(&Effect::FetchMembers {
            generation: members_gen,
            group: "@TGS#ops".into(),
            seq: 1042,
            filter: ReceiptFilter::Unread,
            cursor: String::new(),
            count: MEMBER_PAGE,
        }));
        h.api(ApiEvent::Counts {
            generation,
            origin: CountsOrigin::Page,
            seqs: vec![1042, 1040, 1039],
            at_ms: 1_700_000_000_000,
            result: Ok(vec![
                count(1042, 4102, 1709),
                count(1040, 5790, 21),
                ReceiptCount {
                    seq: 1039,
                    read: None,
                    unread: None,
                    code: 10062,
                },
            ]),
        });
        h
    }

    /// Answer the members fetch in `fx` with `n` accounts starting at `from`.
    pub fn answer_members(
        &mut self,
        fx: &[Effect],
        from: usize,
        n: usize,
        finished: bool,
    ) -> Vec<Effect> {
        let generation = fx
            .iter()
            .find_map(|e| match e {
                Effect::FetchMembers { generation, .. } => Some(*generation),
                _ => None,
            })
            .expect("a members fetch");
        self.api(ApiEvent::Members {
            generation,
            result: Ok(MemberPage {
                accounts: accounts(from, n),
                cursor: format!("c{}", from + n),
                finished,
            }),
        })
    }
}

fn members_fetches(fx: &[Effect]) -> Vec<&Effect> {
    fx.iter()
        .filter(|e| matches!(e, Effect::FetchMembers { .. }))
        .collect()
}

#[test]
fn opening_a_group_loads_messages_counts_and_first_members_page() {
    let h = Harness::with_group_open();
    let row = h.app.messages.row_by_seq(1042).unwrap();
    assert_eq!(row.counts.count(), Some(&count(1042, 4102, 1709)));
    assert!(h.app.messages.row_by_seq(1039).unwrap().counts.no_receipt());
    assert!(
        h.app.messages.row_by_seq(1041).unwrap().counts.no_receipt(),
        "recalled messages show no receipt without asking"
    );
    assert!(h.app.members.list.is_loading());
}

#[test]
fn members_prefetch_next_page_well_before_the_end_and_only_once() {
    let mut h = Harness::with_group_open();
    let first_gen = h.app.members.list.generation();
    let fx = vec![Effect::FetchMembers {
        generation: first_gen,
        group: "@TGS#ops".into(),
        seq: 1042,
        filter: ReceiptFilter::Unread,
        cursor: String::new(),
        count: MEMBER_PAGE,
    }];
    let after = h.answer_members(&fx, 0, 200, false);
    assert!(
        members_fetches(&after).is_empty(),
        "200 rows is far from the end"
    );
    h.send(key(KeyCode::Tab)); // to Members
    assert_eq!(h.app.focus, Pane::Members);
    let height = h.app.viewport.members;
    let mut prefetch_at = None;
    let mut fetches = Vec::new();
    for step in 1..200 {
        let fx = h.send(ch('j'));
        let f: Vec<Effect> = members_fetches(&fx).into_iter().cloned().collect();
        if !f.is_empty() && prefetch_at.is_none() {
            prefetch_at = Some(step);
        }
        fetches.extend(f);
    }
    let at = prefetch_at.expect("a prefetch happened");
    // Triggered while two screens of loaded rows were still below the window.
    assert!(
        200 - (at + height) >= height,
        "prefetch at row {at} with height {height} is too late"
    );
    assert_eq!(
        fetches.len(),
        1,
        "one page fetch in flight at a time: {fetches:?}"
    );
    match &fetches[0] {
        Effect::FetchMembers { cursor, count, .. } => {
            assert_eq!(cursor, "c200");
            assert_eq!(*count, MEMBER_PAGE);
        }
        _ => unreachable!(),
    }
    // The selection never sat on a loading row: 199 moves, all on loaded rows.
    assert_eq!(h.app.members.view.selected, 199);
    let fx = h.answer_members(&fetches, 200, 150, true);
    assert!(
        members_fetches(&fx).is_empty(),
        "finished list fetches no more"
    );
    assert_eq!(h.app.members.list.len(), 350);
    assert!(h.app.members.list.is_exhausted());
}

#[test]
fn stale_member_pages_are_dropped_after_toggle() {
    let mut h = Harness::with_group_open();
    let old_gen = h.app.members.list.generation();
    h.send(key(KeyCode::Tab));
    let fx = h.send(ch('t'));
    assert_eq!(h.app.members.which, ReceiptFilter::Read);
    let new = members_fetches(&fx);
    assert_eq!(new.len(), 1);
    assert!(
        matches!(new[0], Effect::FetchMembers { filter: ReceiptFilter::Read, cursor, .. } if cursor.is_empty())
    );
    // The Unread page for the old generation arrives late: ignored.
    let fx = h.api(ApiEvent::Members {
        generation: old_gen,
        result: Ok(MemberPage {
            accounts: accounts(0, 5),
            cursor: "x".into(),
            finished: false,
        }),
    });
    assert!(fx.is_empty());
    assert!(h.app.members.list.is_empty());
    assert!(
        h.app.members.list.is_loading(),
        "still waiting for the Read page"
    );
    assert!(!h.app.dirty || h.app.members.list.is_empty());
}

#[test]
fn held_keys_in_messages_debounce_member_fetches_latest_wins() {
    let mut h = Harness::with_group_open();
    h.app.dirty = false;
    let mut tokens = Vec::new();
    for _ in 0..3 {
        let fx = h.send(ch('j'));
        assert!(members_fetches(&fx).is_empty(), "no fetch per key press");
        for e in fx {
            if let Effect::Debounce { token, after } = e {
                assert!(after > Duration::ZERO);
                tokens.push(token);
            }
        }
    }
    assert_eq!(tokens.len(), 3);
    // Older timers fire: nothing happens.
    for t in &tokens[..2] {
        let fx = h.send(Event::Debounce(*t));
        assert!(members_fetches(&fx).is_empty());
    }
    assert_eq!(h.app.members.target.as_ref().unwrap().seq, 1042);
    // The latest fires: the members pane follows the cursor (now on seq 1039, no receipt).
    let fx = h.send(Event::Debounce(tokens[2]));
    let target = h.app.members.target.clone().unwrap();
    assert_eq!(target.seq, 1039);
    assert!(h.app.members.no_receipt);
    assert!(
        members_fetches(&fx).is_empty(),
        "no receipt: nothing to fetch"
    );
    // Back up to 1040 and press Enter: opens at once, focus moves to Members.
    h.send(ch('k'));
    let fx = h.send(key(KeyCode::Enter));
    assert_eq!(h.app.focus, Pane::Members);
    assert_eq!(h.app.members.target.as_ref().unwrap().seq, 1040);
    assert_eq!(members_fetches(&fx).len(), 1);
}

#[test]
fn failures_keep_loaded_rows_and_r_retries_the_same_page() {
    let mut h = Harness::with_group_open();
    let gen0 = h.app.members.list.generation();
    let fx0 = vec![Effect::FetchMembers {
        generation: gen0,
        group: String::new(),
        seq: 0,
        filter: ReceiptFilter::Unread,
        cursor: String::new(),
        count: 0,
    }];
    let fx = h.answer_members(&fx0, 0, 20, false);
    assert_eq!(
        members_fetches(&fx).len(),
        1,
        "20 rows is within two screens: next page requested at once"
    );
    h.send(key(KeyCode::Tab));
    let err = ApiError::Service {
        api: "get_group_msg_receipt_detail",
        code: 10002,
        info: "internal error".into(),
    };
    let fx = h.api(ApiEvent::Members {
        generation: gen0,
        result: Err(err),
    });
    assert!(fx.is_empty(), "no automatic retry storm");
    assert_eq!(
        h.app.members.list.len(),
        20,
        "errors never wipe loaded data"
    );
    let report = h.app.status.error.clone().unwrap();
    assert_eq!(report.source, Source::Members);
    assert!(report.what.contains("10002"), "{report:?}");
    let fx = h.send(ch('r'));
    let f = members_fetches(&fx);
    assert_eq!(f.len(), 1);
    assert!(matches!(f[0], Effect::FetchMembers { cursor, .. } if cursor == "c20"));
    assert!(h.app.status.error.is_none());
}

#[test]
fn stale_messages_and_counts_are_dropped_after_opening_another_group() {
    let mut h = Harness::with_group_open();
    let old_gen = h.app.messages.list.generation();
    h.send(key(KeyCode::BackTab)); // Groups
    h.send(ch('j'));
    let fx = h.send(key(KeyCode::Enter));
    assert!(matches!(fx.as_slice(), [Effect::FetchMessages { group, .. }] if group == "@TGS#eng"));
    let fx = h.api(ApiEvent::Counts {
        generation: old_gen,
        origin: CountsOrigin::Page,
        seqs: vec![1],
        at_ms: 0,
        result: Ok(vec![count(1, 1, 1)]),
    });
    assert!(fx.is_empty());
    let fx = h.api(ApiEvent::Messages {
        generation: old_gen,
        result: Ok(MessagePage {
            messages: vec![message(5, "x", "old group", MessageKind::Normal)],
            older: None,
        }),
    });
    assert!(fx.is_empty());
    assert!(h.app.messages.list.is_empty());
    assert!(h.app.members.target.is_none());
}

#[test]
fn groups_without_receipts_say_so_and_fetch_nothing() {
    let mut h = Harness::with_group_open();
    h.send(key(KeyCode::BackTab));
    h.send(ch('G'));
    assert_eq!(
        h.app.groups.selected_id().map(String::as_str),
        Some("@TGS#av")
    );
    let fx = h.send(key(KeyCode::Enter));
    assert!(fx.is_empty(), "{fx:?}");
    assert!(!h.app.messages.supports_receipts());
}

#[test]
fn jump_to_group_with_the_palette() {
    let mut h = Harness::with_group_open();
    h.send(ch(':'));
    for c in "group @TGS#far".chars() {
        h.send(ch(c));
    }
    let fx = h.send(key(KeyCode::Enter));
    assert_eq!(
        fx,
        vec![Effect::OpenGroup {
            id: "@TGS#far".into()
        }]
    );
    let fx = h.api(ApiEvent::OpenGroup {
        id: "@TGS#far".into(),
        result: Ok(vec![group("@TGS#far", "Far away", GroupType::Meeting, 40)]),
    });
    assert!(matches!(fx.as_slice(), [Effect::FetchMessages { group, .. }] if group == "@TGS#far"));
    assert_eq!(h.app.messages.group_id(), Some("@TGS#far"));
    // Unknown group: said in words, nothing opened.
    h.send(ch(':'));
    for c in "group @TGS#nope".chars() {
        h.send(ch(c));
    }
    h.send(key(KeyCode::Enter));
    h.api(ApiEvent::OpenGroup {
        id: "@TGS#nope".into(),
        result: Ok(vec![GroupInfo {
            id: "@TGS#nope".into(),
            code: 10010,
            ..Default::default()
        }]),
    });
    let err = h.app.status.error.clone().unwrap();
    assert!(err.what.contains("not found"), "{err:?}");
    assert_eq!(h.app.messages.group_id(), Some("@TGS#far"));
}

#[test]
fn mark_read_modal_prefills_defaults_to_no_and_sends_only_on_yes() {
    let mut h = Harness::with_group_open();
    let fx0 = vec![Effect::FetchMembers {
        generation: h.app.members.list.generation(),
        group: String::new(),
        seq: 0,
        filter: ReceiptFilter::Unread,
        cursor: String::new(),
        count: 0,
    }];
    h.answer_members(&fx0, 0, 3, true);
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
    for c in "peer.9".chars() {
        h.send(ch(c));
    }
    h.send(key(KeyCode::Enter));
    h.send(key(KeyCode::Enter));
    let fx = h.send(key(KeyCode::Enter));
    assert!(fx.is_empty(), "the default answer is No");
    assert!(h.app.modal.is_none());
    // Again, and say yes.
    h.send(ch('M'));
    for c in "peer.9".chars() {
        h.send(ch(c));
    }
    h.send(key(KeyCode::Enter));
    h.send(key(KeyCode::Enter));
    let fx = h.send(ch('y'));
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
fn set_unread_modal_shows_current_count_and_warns_for_meeting_groups() {
    let mut h = Harness::with_group_open();
    let fx0 = vec![Effect::FetchMembers {
        generation: h.app.members.list.generation(),
        group: String::new(),
        seq: 0,
        filter: ReceiptFilter::Unread,
        cursor: String::new(),
        count: 0,
    }];
    h.answer_members(&fx0, 0, 3, true);
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
    let mut info = group("@TGS#ops", "Ops War Room", GroupType::Public, 5812);
    info.next_msg_seq = 1043;
    h.api(ApiEvent::CurrentUnread {
        modal: id,
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
    for c in "0".chars() {
        h.send(ch(c));
    }
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
        result: Err("set_unread_msg_num: error 10007: no permission".into()),
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

fn fx0_for(h: &Harness) -> Vec<Effect> {
    vec![Effect::FetchMembers {
        generation: h.app.members.list.generation(),
        group: String::new(),
        seq: 0,
        filter: ReceiptFilter::Unread,
        cursor: String::new(),
        count: 0,
    }]
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
    for c in "mark-read".chars() {
        h.send(ch(c));
    }
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
        result: Ok(vec![count(1042, 4200, 1611), count(1040, 5800, 11)]),
    });
    assert_eq!(h.app.live.history("@TGS#ops", 1042).unwrap().len(), 2);
    assert_eq!(h.send(Event::WatchTick).len(), 1);
    h.send(ch('w'));
    assert_eq!(h.app.watch_interval(), None);
}

#[test]
fn filter_members_while_paging_continues() {
    let mut h = Harness::with_group_open();
    h.answer_members(&fx0_for(&h), 0, 200, false);
    h.send(key(KeyCode::Tab));
    h.send(ch('/'));
    for c in "019".chars() {
        h.send(ch(c));
    }
    // 11 matches in 200 rows (member.0019, member.0190..0199): fewer than two screens,
    // so paging continues and more matches show up as pages arrive.
    assert_eq!(h.app.members.visible_len(), 11);
    assert!(
        h.app.members.list.is_loading(),
        "next page requested while filtering"
    );
    let gen_now = h.app.members.list.generation();
    h.api(ApiEvent::Members {
        generation: gen_now,
        result: Ok(MemberPage {
            accounts: accounts(200, 1900),
            cursor: "end".into(),
            finished: true,
        }),
    });
    assert_eq!(
        h.app.members.visible_len(),
        13,
        "plus member.1019 and member.2019"
    );
    h.send(key(KeyCode::Enter));
    assert!(h.app.prompt.is_none());
    assert_eq!(h.app.members.filter.query(), "019");
    h.send(key(KeyCode::Esc));
    assert!(
        h.app.members.filter.is_empty(),
        "Esc clears the filter first"
    );
    assert_eq!(h.app.members.visible_len(), 2100);
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
    h.send(ch('x'));
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
            },
        ] if group == "@TGS#ops" => *job,
        other => panic!("{other:?}"),
    };
    assert_eq!(h.app.export.as_ref().unwrap().total, Some(1709));
    h.send(Event::ExportProgress { job, loaded: 400 });
    assert_eq!(h.app.export.as_ref().unwrap().loaded, 400);
    assert!(h.send(ch('e')).is_empty(), "one export at a time");
    h.send(Event::ExportDone {
        job,
        result: Ok(super::event::ExportSummary {
            path: "./x.csv".into(),
            rows: 1709,
        }),
    });
    assert!(h.app.export.is_none());
    assert!(
        h.app
            .status
            .notice
            .as_deref()
            .unwrap()
            .contains("1,709 members to x.csv")
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

#[test]
fn member_list_from_a_page_of_counts_failure_is_retryable() {
    let mut h = Harness::with_group_open();
    let generation = h.app.messages.list.generation();
    // A poll fails: rows keep their counts; page-load failures show "?" and retry.
    h.app.messages.list.items_mut()[2].counts = Counts::Unknown;
    h.app.messages.counts_in_flight = 1;
    h.api(ApiEvent::Counts {
        generation,
        origin: CountsOrigin::Page,
        seqs: vec![1040],
        at_ms: 0,
        result: Err(ApiError::Timeout {
            api: "get_group_msg_receipt",
            secs: 10,
        }),
    });
    assert_eq!(
        h.app.messages.row_by_seq(1040).unwrap().counts,
        Counts::Failed
    );
    assert_eq!(
        h.app
            .messages
            .row_by_seq(1042)
            .unwrap()
            .counts
            .count()
            .unwrap()
            .read,
        Some(4102)
    );
    let fx = h.send(ch('r'));
    assert!(fx.contains(&Effect::FetchCounts {
        generation,
        origin: CountsOrigin::Page,
        group: "@TGS#ops".into(),
        seqs: vec![1040],
    }));
}

#[test]
fn a_failed_open_is_not_busy_and_r_retries_it() {
    let mut h = Harness::with_group_open();
    h.send(ch(':'));
    for c in "group @TGS#slow".chars() {
        h.send(ch(c));
    }
    h.send(key(KeyCode::Enter));
    assert!(h.app.is_busy());
    h.api(ApiEvent::OpenGroup {
        id: "@TGS#slow".into(),
        result: Err(ApiError::Timeout {
            api: "get_group_info",
            secs: 10,
        }),
    });
    // Nothing else loads in the fixture once the members page is answered.
    h.answer_members(&fx0_for(&h), 0, 3, true);
    assert!(!h.app.is_busy(), "a failure leaves nothing spinning");
    assert!(h.app.status.error.is_some());
    let fx = h.send(ch('r'));
    assert!(fx.contains(&Effect::OpenGroup {
        id: "@TGS#slow".into()
    }));
}

#[test]
fn holding_r_does_not_stack_reloads() {
    let mut h = Harness::with_group_open();
    h.answer_members(&fx0_for(&h), 0, 5, true);
    let first = h.send(ch('r'));
    assert!(
        first
            .iter()
            .any(|e| matches!(e, Effect::FetchMessages { .. }))
    );
    for _ in 0..5 {
        let again = h.send(ch('r'));
        assert!(
            !again
                .iter()
                .any(|e| matches!(e, Effect::FetchMessages { .. })),
            "{again:?}"
        );
    }
    assert_eq!(
        h.app.messages.list.len(),
        4,
        "old rows stay until the reload lands"
    );
}
