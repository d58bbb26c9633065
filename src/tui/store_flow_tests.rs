//! Unit tests of the incident store in `update`: what is asked of the store and when, and
//! what the screen makes of its answers (read times, time to read, the chart, a failing
//! store).

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use crate::api::{GroupMember, GroupMemberPage};
use crate::store::{CountPoint, Origin, Read};
use crate::tui::test_harness::*;

use super::model::event::{ApiEvent, Effect, Event};
use super::model::stored::StoredMessage;

fn with_store() -> Harness {
    let mut h = Harness::new(false, (100, 30));
    h.app.stored.enabled = true;
    h
}

/// The dashboard of `Harness::with_group_open`, with a store.
fn open_with_store() -> (Harness, Vec<Effect>) {
    let mut h = Harness::with_group_open();
    h.app.stored.enabled = true;
    // The next update notices the open message is not the one loaded.
    let fx = h.send(Event::Tick);
    (h, fx)
}

fn loads(fx: &[Effect]) -> Vec<(String, u64)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::LoadStored { group, seq } => Some((group.clone(), *seq)),
            _ => None,
        })
        .collect()
}

fn render(h: &Harness) -> String {
    let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
    t.draw(|f| super::ui::draw(f, &h.app, &super::ui::theme::Theme::mono()))
        .unwrap();
    t.backend().to_string()
}

fn read_at(member: &str, at_ms: u64) -> Read {
    Read {
        seq: 1042,
        member: member.into(),
        read_at_ms: Some(at_ms),
        read_after_ms: None,
        read_before_ms: None,
        source: Origin::Webhook,
    }
}

#[test]
fn the_open_message_is_loaded_from_the_store_once() {
    assert!(
        loads(&with_store().app.start()).is_empty(),
        "nothing open yet"
    );
    let (mut h, fx) = open_with_store();
    assert_eq!(loads(&fx), [("@TGS#ops".to_string(), 1042)]);
    assert!(loads(&h.send(Event::Tick)).is_empty(), "asked once");
    // Another message: its reads are asked for.
    h.send(ch('j'));
    h.send(ch('j'));
    let fx = h.send(Event::Debounce(h.app.follow_token));
    assert_eq!(loads(&fx), [("@TGS#ops".to_string(), 1040)]);
    // Without a store, nothing is asked.
    let mut h = Harness::with_group_open();
    assert!(loads(&h.send(Event::Tick)).is_empty());
}

#[test]
fn stored_reads_and_counts_show_as_read_times_time_to_read_and_the_chart() {
    let (mut h, _) = open_with_store();
    // Message 1042 was sent at 1_700_000_000 + 1042 * 60 (the harness' clock).
    let sent_ms = (1_700_000_000 + 1042 * 60) * 1000;
    let minute = 60_000;
    h.api(ApiEvent::Stored {
        group: "@TGS#ops".into(),
        seq: 1042,
        result: Ok(StoredMessage {
            reads: vec![
                read_at("member.0000", sent_ms + 2 * minute),
                read_at("member.0001", sent_ms + 20 * minute),
            ],
            counts: vec![
                CountPoint {
                    event_time_ms: sent_ms + 2 * minute,
                    read: 120,
                    unread: 59,
                },
                CountPoint {
                    event_time_ms: sent_ms + 20 * minute,
                    read: 121,
                    unread: 58,
                },
            ],
        }),
    });
    // The page's counts made one point; the store adds its two.
    assert_eq!(h.app.live.history("@TGS#ops", 1042).unwrap().len(), 3);
    // The Read list says when each member read it, and how long after it was sent.
    h.send(key(KeyCode::Tab));
    h.send(ch('t'));
    let fx = h.app.members.list.generation();
    h.api(ApiEvent::Members {
        generation: fx,
        result: Ok(crate::api::MemberPage {
            accounts: accounts(0, 3),
            cursor: String::new(),
            finished: true,
        }),
    });
    h.send(ch('E'));
    let screen = render(&h);
    assert!(screen.contains("read 15:37:20 · +2m 00s"), "{screen}");
    assert!(screen.contains("read 15:55:20 · +20m 00s"), "{screen}");
    // Time to read (the shares, of the 179 who should read it, are cut off at this width).
    assert!(
        screen.contains("to read: median 20m 00s · p90 20m 00s · ≤5m 1%"),
        "{screen}"
    );
    let t = h.app.stored.time_to_read(sent_ms, 179).unwrap();
    assert_eq!(t.within[2], (60, 2.0 / 179.0));
    // A webhook read of the open message joins the list at once.
    h.send(Event::Webhook(crate::webhook::ReceiptEvent {
        group_id: "@TGS#ops".into(),
        group_type: "Public".into(),
        event_time_ms: sent_ms + minute,
        receipts: vec![crate::webhook::ReceiptUpdate {
            seq: 1042,
            read: 122,
            unread: 57,
            readers: vec!["member.0002".into()],
        }],
    }));
    assert!(render(&h).contains("read 15:36:20 · +1m 00s"));
}

#[test]
fn watch_mode_polls_the_read_list_of_the_open_receipt_message() {
    let (mut h, _) = open_with_store();
    h.send(ch('w'));
    let fx = h.send(Event::WatchTick);
    assert!(
        fx.contains(&Effect::PollReaders {
            group: "@TGS#ops".into(),
            seq: 1042
        }),
        "{fx:?}"
    );
    // One poll at a time.
    let fx = h.send(Event::WatchTick);
    assert!(!fx.iter().any(|e| matches!(e, Effect::PollReaders { .. })));
}

#[test]
fn a_finished_position_scan_goes_to_the_store() {
    let (mut h, _) = open_with_store();
    // 1039 has no receipt: positions.
    h.app.focus = super::model::pane::Pane::Messages;
    for _ in 0..3 {
        h.send(ch('j'));
    }
    let fx = h.send(Event::Debounce(h.app.follow_token));
    let (generation, cursor) = fx
        .iter()
        .find_map(|e| match e {
            Effect::FetchScanPage {
                generation, cursor, ..
            } => Some((*generation, cursor.clone())),
            _ => None,
        })
        .expect("a scan");
    let members = (0..3)
        .map(|i| GroupMember {
            account: format!("m{i}"),
            role: "Member".into(),
            join_time: 0,
            last_read_seq: 1037 + i,
            naming: None,
        })
        .collect();
    let fx = h.api(ApiEvent::ScanPage {
        group: "@TGS#ops".into(),
        generation,
        cursor,
        at_ms: 1_700_100_000_000,
        result: Ok(GroupMemberPage {
            members,
            member_num: 3,
            next: None,
        }),
    });
    assert!(
        fx.contains(&Effect::RecordScan {
            group: "@TGS#ops".into(),
            seq: 1039,
            readers: vec!["m2".into()],
            at_ms: 1_700_100_000_000,
        }),
        "{fx:?}"
    );
}

#[test]
fn a_failing_store_is_in_the_header_until_it_mends() {
    let (mut h, _) = open_with_store();
    h.app.live.listening = Some("127.0.0.1:9000".into());
    assert!(!render(&h).contains("NOT STORING"));
    assert!(!h.send(Event::StoreHealth { failing: true }).is_empty() || h.app.stored.failing);
    assert!(render(&h).contains("NOT STORING"));
    h.send(Event::StoreHealth { failing: false });
    assert!(!render(&h).contains("NOT STORING"));
}
