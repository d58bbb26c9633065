//! Unit tests of `update`: paging triggers, prefetch, stale results dropped, latest
//! selection wins, errors and retries.

use std::time::Duration;

use ratatui::crossterm::event::KeyCode;

use crate::api::{
    ApiError, GroupInfo, GroupType, MemberPage, MessageKind, MessagePage, ReceiptFilter,
};

use super::app::{Pane, Source};
use super::event::{ApiEvent, CountsOrigin, Effect, Event};
use super::panes::{Counts, ListPane, MEMBER_PAGE};
use crate::tui::test_harness::*;

#[test]
fn opening_a_group_loads_messages_counts_and_first_members_page() {
    let h = Harness::with_group_open();
    let row = h.app.messages.row_by_seq(1042).unwrap();
    assert_eq!(row.counts.count(), Some(&count(1042, 121, 58)));
    assert!(h.app.messages.row_by_seq(1039).unwrap().counts.no_receipt());
    assert!(
        h.app.messages.row_by_seq(1041).unwrap().counts.no_receipt(),
        "recalled messages show no receipt without asking"
    );
    assert!(h.app.members.list.is_loading());
}

/// A receipt list (at most 199 members) normally comes in one page of 200, but a service
/// may answer in smaller pages: then the next one is fetched while two screens of rows are
/// still below the reader, one at a time.
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
    let after = h.answer_members(&fx, 0, 60, false);
    assert!(
        members_fetches(&after).is_empty(),
        "60 rows is far from the end"
    );
    h.send(key(KeyCode::Tab)); // to Members
    assert_eq!(h.app.focus, Pane::Members);
    let height = h.app.viewport.members;
    let mut prefetch_at = None;
    let mut fetches = Vec::new();
    for step in 1..60 {
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
        60 - (at + height) >= height,
        "prefetch at row {at} with height {height} is too late"
    );
    assert_eq!(
        fetches.len(),
        1,
        "one page fetch in flight at a time: {fetches:?}"
    );
    match &fetches[0] {
        Effect::FetchMembers { cursor, count, .. } => {
            assert_eq!(cursor, "c60");
            assert_eq!(*count, MEMBER_PAGE);
        }
        _ => unreachable!(),
    }
    // The selection never sat on a loading row: 59 moves, all on loaded rows.
    assert_eq!(h.app.members.view.selected, 59);
    // The rest of the 179 (121 read + 58 unread in the harness's counts) in one page.
    let fx = h.answer_members(&fetches, 60, 119, true);
    assert!(
        members_fetches(&fx).is_empty(),
        "finished list fetches no more"
    );
    assert_eq!(h.app.members.list.len(), 179);
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
    let fx = h.answer_members(&fx0_for(&h), 0, 20, false);
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
    h.type_text("group @TGS#far");
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
    h.type_text("group @TGS#nope");
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
fn a_group_id_in_the_wrong_case_says_ids_are_case_sensitive() {
    let mut h = Harness::with_group_open();
    // (typed, the service's answer, the guess): a listed group that differs only in case
    // is the best guess; else the upper-case form of an automatic @TGS# ID.
    for (typed, answer, guess) in [
        ("@tgs#OPS", Ok(10010), "did you mean @TGS#ops?"),
        ("@tgs#1abc", Err(10015), "did you mean @TGS#1ABC?"),
    ] {
        h.send(ch(':'));
        h.type_text(&format!("group {typed}"));
        h.send(key(KeyCode::Enter));
        let result = match answer {
            Ok(code) => Ok(vec![GroupInfo {
                id: typed.into(),
                code,
                info: "group id invalid or group not exist".into(),
                ..Default::default()
            }]),
            Err(code) => Err(ApiError::Service {
                api: "get_group_info",
                code,
                info: String::new(),
            }),
        };
        h.api(ApiEvent::OpenGroup {
            id: typed.into(),
            result,
        });
        let err = h.app.status.error.clone().unwrap();
        assert!(
            err.next_step.starts_with("group IDs are case-sensitive")
                && err.next_step.contains(guess),
            "{err:?}"
        );
    }
    let err = h.app.status.error.clone().unwrap();
    assert!(err.what.contains("10015"), "{err:?}");
}

#[test]
fn opening_another_group_clears_the_error_about_a_bad_id() {
    let mut h = Harness::with_group_open();
    h.send(ch(':'));
    h.type_text("group @TGS#nope");
    h.send(key(KeyCode::Enter));
    h.api(ApiEvent::OpenGroup {
        id: "@TGS#nope".into(),
        result: Ok(vec![GroupInfo {
            id: "@TGS#nope".into(),
            code: 10010,
            ..Default::default()
        }]),
    });
    assert!(h.app.status.error.is_some());
    // The agent moves on: opens a group from the list (its details are already loaded).
    h.send(key(KeyCode::Esc));
    h.app.focus = super::app::Pane::Groups;
    h.send(ch('j'));
    let fx = h.send(key(KeyCode::Enter));
    assert!(
        matches!(fx.as_slice(), [Effect::FetchMessages { group, .. }] if group == "@TGS#eng"),
        "{fx:?}"
    );
    assert_eq!(
        h.app.status.error, None,
        "the old 'not found' must not sit under a group that opened fine"
    );
}

#[test]
fn filter_members_while_paging_continues() {
    let mut h = Harness::with_group_open();
    h.answer_members(&fx0_for(&h), 0, 100, false);
    h.send(key(KeyCode::Tab));
    h.send(ch('/'));
    h.type_text("05");
    // 11 matches in 100 rows (member.0005, member.0050..0059): fewer than two screens,
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
            accounts: accounts(100, 79),
            cursor: "end".into(),
            finished: true,
        }),
    });
    assert_eq!(h.app.members.visible_len(), 12, "plus member.0105");
    h.send(key(KeyCode::Enter));
    assert!(h.app.prompt.is_none());
    assert_eq!(h.app.members.filter.query(), "05");
    h.send(key(KeyCode::Esc));
    assert!(
        h.app.members.filter.is_empty(),
        "Esc clears the filter first"
    );
    assert_eq!(h.app.members.visible_len(), 179);
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
        Some(121)
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
    h.type_text("group @TGS#slow");
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
    assert_eq!(h.app.status.notice.as_deref(), Some("retrying…"));
    h.api(ApiEvent::OpenGroup {
        id: "@TGS#slow".into(),
        result: Ok(vec![group("@TGS#slow", "Slow", GroupType::Work, 4)]),
    });
    assert_eq!(h.app.messages.group_id(), Some("@TGS#slow"));
    // The retry worked: the status line no longer says "retrying…" once nothing loads.
    let generation = h.app.messages.list.generation();
    h.api(ApiEvent::Messages {
        generation,
        result: Ok(crate::api::MessagePage {
            messages: vec![],
            older: None,
        }),
    });
    assert!(!h.app.is_busy(), "{:?}", h.app.status);
    assert_eq!(h.app.status.notice, None);
    assert_eq!(h.app.status.error, None);
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

#[test]
fn a_group_over_the_receipt_cap_gives_one_messages_row_to_saying_so() {
    let mut h = Harness::with_group_open();
    let rows = h.app.viewport.messages;
    assert_eq!(h.app.messages.over_receipt_cap(), None, "180 members");
    h.app
        .show_group(group("@TGS#big", "All hands", GroupType::Public, 6000));
    assert_eq!(h.app.messages.over_receipt_cap(), Some(6000));
    assert_eq!(
        h.app.viewport.messages,
        rows - 1,
        "the drawn rows and the model agree"
    );
    h.app
        .show_group(group("@TGS#oncall", "On-call", GroupType::Public, 200));
    assert_eq!(
        h.app.messages.over_receipt_cap(),
        None,
        "200 is within the cap"
    );
    assert_eq!(h.app.viewport.messages, rows);
    h.app
        .show_group(group("@TGS#av", "Stream", GroupType::AVChatRoom, 90_000));
    assert_eq!(
        h.app.messages.over_receipt_cap(),
        None,
        "its type says it all"
    );
}

#[test]
fn over_the_receipt_cap_the_member_list_waits_for_the_counts() {
    let mut h = Harness::with_group_open();
    h.app
        .show_group(group("@TGS#big", "All hands", GroupType::Public, 6000));
    let fx = h.send(Event::Tick);
    assert!(members_fetches(&fx).is_empty());
    h.app.messages.list.begin_fetch();
    let generation = h.app.messages.list.generation();
    let fx = h.api(ApiEvent::Messages {
        generation,
        result: Ok(MessagePage {
            messages: vec![
                message(24, "hr.bot", "announcement", MessageKind::Normal),
                message(3, "hr.bot", "from when it was small", MessageKind::Normal),
            ],
            older: None,
        }),
    });
    assert!(
        members_fetches(&fx).is_empty(),
        "no list asked for before the counts: {fx:?}"
    );
    let no_receipt = crate::api::ReceiptCount {
        seq: 24,
        read: None,
        unread: None,
        code: 10062,
    };
    let fx = h.api(ApiEvent::Counts {
        generation,
        origin: CountsOrigin::Page,
        seqs: vec![24, 3],
        at_ms: 0,
        result: Ok(vec![no_receipt, count(3, 150, 29)]),
    });
    assert!(members_fetches(&fx).is_empty());
    assert!(
        h.app.members.no_receipt,
        "the newest has none: said, not asked"
    );
    // The older message kept its receipt: selecting it asks for its list (once the
    // selection settles).
    let fx = h.send(ch('j'));
    let token = fx
        .iter()
        .find_map(|e| match e {
            Effect::Debounce { token, .. } => Some(*token),
            _ => None,
        })
        .expect("the selection is followed after a pause");
    let fx = h.send(Event::Debounce(token));
    let fetches = members_fetches(&fx);
    assert_eq!(fetches.len(), 1, "{fx:?}");
    assert!(matches!(fetches[0], Effect::FetchMembers { seq: 3, .. }));
}
