//! Unit tests of read positions in `update`: the source of a list, the group scan (whole
//! for Work/Public, lazy for a Community), its cache, `s`, `>`, Esc and `r`.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use crate::api::{
    ApiError, GroupIdPage, GroupMember, GroupMemberPage, GroupType, MessageKind, MessagePage,
    ReceiptFilter,
};
use crate::tui::test_harness::*;

use super::model::event::{ApiEvent, Effect, Event};
use super::model::pane::Pane;
use super::model::panes::{ListPane, MemberSource, ScanCursor};

/// Members `from..from + n`; member i has read up to seq `i % 10 + 1035`, and joined at
/// time 0 except one in 50 (i % 50 == 42, unread up to 1037), who joined at the end of time.
fn members(from: usize, n: usize) -> Vec<GroupMember> {
    (from..from + n)
        .map(|i| GroupMember {
            account: format!("member.{i:05}"),
            role: "Member".into(),
            join_time: if i % 50 == 42 { i64::MAX } else { 0 },
            last_read_seq: (i % 10) as u64 + 1035,
            naming: None,
        })
        .collect()
}

fn scan_fetches(fx: &[Effect]) -> Vec<(u64, String, ScanCursor)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::FetchScanPage {
                generation,
                group,
                cursor,
            } => Some((*generation, group.clone(), cursor.clone())),
            _ => None,
        })
        .collect()
}

fn only_scan_fetch(fx: &[Effect]) -> (u64, String, ScanCursor) {
    let all = scan_fetches(fx);
    assert_eq!(all.len(), 1, "one scan page asked for: {fx:?}");
    all.into_iter().next().unwrap()
}

/// Fetches of any kind (timers and copies are not calls).
fn calls(fx: &[Effect]) -> Vec<&Effect> {
    fx.iter()
        .filter(|e| {
            matches!(
                e,
                Effect::FetchGroupIds { .. }
                    | Effect::FetchGroupInfo { .. }
                    | Effect::OpenGroup { .. }
                    | Effect::FetchMessages { .. }
                    | Effect::FetchCounts { .. }
                    | Effect::FetchMembers { .. }
                    | Effect::FetchScanPage { .. }
                    | Effect::FetchCurrentUnread { .. }
            )
        })
        .collect()
}

fn answer_scan(
    h: &mut Harness,
    asked: &(u64, String, ScanCursor),
    page: Vec<GroupMember>,
    member_num: u64,
    next: Option<&str>,
) -> Vec<Effect> {
    h.api(ApiEvent::ScanPage {
        group: asked.1.clone(),
        generation: asked.0,
        cursor: asked.2.clone(),
        at_ms: 1_700_000_123_000,
        result: Ok(GroupMemberPage {
            members: page,
            member_num,
            next: next.map(str::to_string),
        }),
    })
}

/// Select the message row `row` of the messages pane and let the members pane follow.
fn select_message(h: &mut Harness, row: usize) -> Vec<Effect> {
    h.app.focus = Pane::Messages;
    let mut fx = h.send(ch('g'));
    for _ in 0..row {
        fx.extend(h.send(ch('j')));
    }
    fx.extend(h.send(Event::Debounce(h.app.follow_token)));
    fx
}

/// A dashboard with one group of type `t` and `member_num` members open, its newest
/// message (seq 1042, from ops.lead) selected. Returns the effects of opening it.
fn open_group(t: GroupType, member_num: u64) -> (Harness, Vec<Effect>) {
    let mut h = Harness::new(false, (100, 30));
    h.app.start();
    let ids = vec!["@TGS#big".to_string()];
    h.api(ApiEvent::GroupIds {
        generation: 0,
        result: Ok(GroupIdPage {
            ids: ids.clone(),
            next: 0,
            total: 1,
        }),
    });
    h.api(ApiEvent::GroupInfo {
        ids,
        result: Ok(vec![group("@TGS#big", "Big", t, member_num)]),
    });
    let fx = h.send(key(KeyCode::Enter));
    let generation = match fx.as_slice() {
        [Effect::FetchMessages { generation, .. }] => *generation,
        other => panic!("expected the messages page, got {other:?}"),
    };
    let fx = h.api(ApiEvent::Messages {
        generation,
        result: Ok(MessagePage {
            messages: vec![
                message(1042, "ops.lead", "Outage notice", MessageKind::Normal),
                message(1040, "member.00003", "ack", MessageKind::Normal),
            ],
            older: None,
        }),
    });
    (h, fx)
}

#[test]
fn a_message_without_a_receipt_lists_read_positions_from_one_scan() {
    let mut h = Harness::with_group_open();
    // 1039 has no receipt (10062): its list comes from read positions.
    let fx = select_message(&mut h, 3);
    assert_eq!(h.app.members.target.as_ref().unwrap().seq, 1039);
    assert_eq!(h.app.members.source, MemberSource::Position);
    assert!(
        members_fetches(&fx).is_empty(),
        "no receipt list is asked for"
    );
    let asked = only_scan_fetch(&fx);
    assert_eq!(asked.1, "@TGS#ops");
    assert_eq!(asked.2, ScanCursor::Offset(0));
    // A Public group of 180: one page holds everyone; the scan is complete.
    let fx = answer_scan(&mut h, &asked, members(0, 180), 180, None);
    assert!(scan_fetches(&fx).is_empty());
    let scan = h.app.members.scan().unwrap();
    assert!(scan.is_complete());
    // Read seqs 1035..=1044 in turn: 1035..=1038 are below 1039 (4 in 10 unread).
    let rows = &h.app.members.positions.rows;
    assert_eq!(rows.len(), 72);
    assert!(rows.iter().all(|p| p.read_seq < 1039));
    assert_eq!(scan.counts(1039, "ops.lead"), Some((108, 72)));
    // Late joiners stay on the list, flagged.
    assert!(rows.iter().any(|p| p.joined_after));
    // The Read list is the rest, from the same scan: no call.
    let fx = h.send(ch('t'));
    assert!(calls(&fx).is_empty(), "{fx:?}");
    assert_eq!(h.app.members.positions.rows.len(), 108);
    assert_eq!(h.app.members.which, ReceiptFilter::Read);
}

#[test]
fn switching_messages_of_a_scanned_group_costs_no_call() {
    let mut h = Harness::with_group_open();
    let fx = select_message(&mut h, 3);
    let asked = only_scan_fetch(&fx);
    answer_scan(&mut h, &asked, members(0, 180), 180, None);
    // Back on 1042 (a receipt message), `s` asks for positions there too: the scan is
    // cached, so neither that nor moving between messages asks anything.
    let fx = select_message(&mut h, 0);
    h.answer_members(&fx, 0, 3, true);
    let fx = h.send(ch('s'));
    assert!(calls(&fx).is_empty(), "{fx:?}");
    for row in [2, 3, 0] {
        let fx = select_message(&mut h, row);
        assert!(calls(&fx).is_empty(), "row {row}: {fx:?}");
        assert_eq!(h.app.members.source, MemberSource::Position);
    }
    let target = h.app.members.target.clone().unwrap();
    assert_eq!(target.seq, 1042);
    // ops.lead sent 1042: on neither list.
    let unread = &h.app.members.positions.rows;
    assert!(unread.iter().all(|p| p.account != "ops.lead"));
    assert_eq!(unread.len(), 126, "all but those who read to 1042..=1044");
}

#[test]
fn s_switches_a_receipt_message_between_its_receipt_and_positions() {
    let mut h = Harness::with_group_open();
    h.answer_members(&fx0_for(&h), 0, 3, true);
    assert_eq!(h.app.members.source, MemberSource::Receipt);
    let fx = h.send(ch('s'));
    assert_eq!(h.app.members.source, MemberSource::Position);
    let asked = only_scan_fetch(&fx);
    answer_scan(&mut h, &asked, members(0, 180), 180, None);
    assert_eq!(h.app.members.visible_len(), 126, "7 in 10 read below 1042");
    let fx = h.send(ch('s'));
    assert!(
        calls(&fx).is_empty(),
        "the receipt list is still loaded: {fx:?}"
    );
    assert_eq!(h.app.members.source, MemberSource::Receipt);
    assert_eq!(h.app.members.visible_len(), 3);
}

#[test]
fn a_community_pages_as_it_is_scrolled_and_scans_whole_on_load_all() {
    let (mut h, fx) = open_group(GroupType::Community, 100_000);
    // No receipts in a Community: no counts call; positions at once.
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::FetchCounts { .. })),
        "{fx:?}"
    );
    assert_eq!(h.app.members.source, MemberSource::Position);
    let asked = only_scan_fetch(&fx);
    assert_eq!(asked.2, ScanCursor::Next(String::new()));
    let fx = answer_scan(&mut h, &asked, members(0, 200), 100_000, Some("n1"));
    // 1042 unread for all but those at 1042..=1044: plenty of rows, no page ahead.
    assert!(scan_fetches(&fx).is_empty(), "lazy: {fx:?}");
    assert!(!h.app.members.scan().unwrap().is_complete());
    // `>` scans on, following Next; Esc stops it; `>` goes on.
    h.app.focus = Pane::Members;
    let fx = h.send(ch('>'));
    let asked = only_scan_fetch(&fx);
    assert_eq!(asked.2, ScanCursor::Next("n1".into()));
    let fx = h.send(key(KeyCode::Esc));
    assert!(calls(&fx).is_empty());
    assert!(h.app.members.scan().unwrap().stopped);
    assert!(
        h.app
            .status
            .notice
            .as_deref()
            .unwrap()
            .contains("scan stopped")
    );
    let fx = answer_scan(&mut h, &asked, members(200, 200), 100_000, Some("n2"));
    assert!(scan_fetches(&fx).is_empty(), "stopped: {fx:?}");
    assert_eq!(h.app.members.scan().unwrap().loaded(), 400);
    let fx = h.send(ch('>'));
    let asked = only_scan_fetch(&fx);
    assert_eq!(asked.2, ScanCursor::Next("n2".into()));
    // The last page ("" ends the list): counts for every message, `>` done.
    answer_scan(&mut h, &asked, members(400, 100), 100_000, Some(""));
    let scan = h.app.members.scan().unwrap();
    assert!(scan.is_complete());
    assert_eq!(scan.member_num_first, Some(100_000));
    assert_eq!(h.app.load_all, None);
    assert!(scan.counts(1040, "member.00003").is_some());
}

#[test]
fn a_repeated_cursor_stops_the_scan_and_r_starts_it_again() {
    let (mut h, fx) = open_group(GroupType::Community, 1_000);
    let asked = only_scan_fetch(&fx);
    answer_scan(&mut h, &asked, members(0, 200), 1_000, Some("same"));
    h.app.focus = Pane::Members;
    let asked = only_scan_fetch(&h.send(ch('>')));
    // The service hands out the same cursor again: the scan stops, in words.
    let fx = answer_scan(&mut h, &asked, members(200, 200), 1_000, Some("same"));
    assert!(scan_fetches(&fx).is_empty());
    assert!(h.app.members.has_failed());
    assert!(h.app.status.error.is_some());
    // r goes on from where it failed? No: the cursor is broken, so it starts over.
    let fx = h.send(ch('r'));
    let again = only_scan_fetch(&fx);
    assert_eq!(again.2, ScanCursor::Next("same".into()));
    // A page from before the retry is dropped (stale generation)...
    let stale = answer_scan(&mut h, &asked, members(0, 200), 1_000, Some("x"));
    assert!(stale.is_empty());
}

#[test]
fn a_failed_page_is_retried_with_r_and_the_scan_goes_on() {
    let mut h = Harness::with_group_open();
    let fx = select_message(&mut h, 3);
    let asked = only_scan_fetch(&fx);
    h.api(ApiEvent::ScanPage {
        group: asked.1.clone(),
        generation: asked.0,
        cursor: asked.2.clone(),
        at_ms: 0,
        result: Err(ApiError::Timeout {
            api: "group_open_http_svc/get_group_member_info",
            secs: 10,
        }),
    });
    assert!(h.app.members.has_failed());
    let fx = h.send(ch('r'));
    let again = only_scan_fetch(&fx);
    assert_eq!(again.2, ScanCursor::Offset(0));
    answer_scan(&mut h, &again, members(0, 180), 180, None);
    assert!(h.app.members.scan().unwrap().is_complete());
    assert!(h.app.status.error.is_none());
}

#[test]
fn work_and_public_groups_are_scanned_whole_and_esc_stops_the_scan() {
    let (mut h, fx) = open_group(GroupType::Public, 6_000);
    // Over the cap: counts first say 1042 has no receipt.
    let counts = fx
        .iter()
        .find_map(|e| match e {
            Effect::FetchCounts {
                generation, seqs, ..
            } => Some((*generation, seqs.clone())),
            _ => None,
        })
        .expect("counts");
    let fx = h.api(ApiEvent::Counts {
        generation: counts.0,
        origin: super::model::event::CountsOrigin::Page,
        seqs: counts.1.clone(),
        at_ms: 0,
        result: Ok(counts
            .1
            .iter()
            .map(|s| crate::api::ReceiptCount {
                seq: *s,
                read: None,
                unread: None,
                code: 10062,
            })
            .collect()),
    });
    let mut asked = only_scan_fetch(&fx);
    assert_eq!(asked.2, ScanCursor::Offset(0));
    for page in 0..3u64 {
        let fx = answer_scan(
            &mut h,
            &asked,
            members(page as usize * 200, 200),
            6_000,
            None,
        );
        asked = only_scan_fetch(&fx);
        assert_eq!(asked.2, ScanCursor::Offset((page + 1) * 200), "on its own");
    }
    let fx = h.send(key(KeyCode::Esc));
    assert!(calls(&fx).is_empty());
    let fx = answer_scan(&mut h, &asked, members(600, 200), 6_000, None);
    assert!(scan_fetches(&fx).is_empty(), "stopped");
    assert!(!h.app.members.scan().unwrap().is_complete());
    assert!(h.app.members.positions.rows.len() > 100);
}

#[test]
fn meeting_groups_have_no_positions_and_s_says_why() {
    let (mut h, fx) = open_group(GroupType::Meeting, 24);
    let counts = fx
        .iter()
        .find_map(|e| match e {
            Effect::FetchCounts { generation, .. } => Some(*generation),
            _ => None,
        })
        .expect("counts");
    let fx = h.api(ApiEvent::Counts {
        generation: counts,
        origin: super::model::event::CountsOrigin::Page,
        seqs: vec![1042, 1040],
        at_ms: 0,
        result: Ok(vec![crate::api::ReceiptCount {
            seq: 1042,
            read: None,
            unread: None,
            code: 10062,
        }]),
    });
    assert!(scan_fetches(&fx).is_empty());
    assert_eq!(h.app.members.source, MemberSource::Receipt);
    assert!(h.app.members.no_receipt);
    h.send(ch('s'));
    let notice = h.app.status.notice.clone().unwrap();
    assert!(
        notice.contains("Meeting groups keep no unread counts"),
        "{notice}"
    );
}

#[test]
fn the_pane_names_its_source_and_the_age_of_the_scan_at_80x24() {
    let mut h = Harness::with_group_open_sized(false, (80, 24));
    let fx = select_message(&mut h, 3);
    let asked = only_scan_fetch(&fx);
    answer_scan(&mut h, &asked, members(0, 180), 180, None);
    h.app.focus = Pane::Members;
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| super::ui::draw(f, &h.app, &super::ui::theme::Theme::mono()))
        .unwrap();
    let screen = t.backend().to_string();
    assert!(screen.contains("seq 1039 read position"), "{screen}");
    assert!(screen.contains("Unread (72)"), "{screen}");
    assert!(screen.contains("positions as of"), "{screen}");
    assert!(screen.contains("read to #1035"), "{screen}");
    // A late joiner says so on their row (member.00042 is the 17th unread row).
    h.send(ch('/'));
    h.type_text("00042");
    h.send(key(KeyCode::Enter));
    t.draw(|f| super::ui::draw(f, &h.app, &super::ui::theme::Theme::mono()))
        .unwrap();
    let screen = t.backend().to_string();
    assert!(screen.contains("joined after · read to #1037"), "{screen}");
    // The messages pane counts the no-receipt message from positions, marked p.
    assert!(screen.contains("p 108"), "{screen}");
}
