//! Whole-screen tests on ratatui's `TestBackend`: each pane, each modal, help, errors,
//! 80x24 and a tiny terminal. Snapshots live in `src/tui/snapshots/`.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use crate::api::{
    ApiError, CallStats, GroupType, MessageKind, MessagePage, RECEIPT_CAP_SENTENCE, ReceiptCount,
};
use crate::webhook::{ReceiptEvent, ReceiptUpdate};

use super::model::app::App;
use super::model::event::{ApiEvent, CountsOrigin, Effect, Event};
use super::model::panes::GroupDetails;
use super::test_harness::{Harness, ch, count, fx0_for, group, key, message};
use super::ui;
use super::ui::theme::Theme;

/// The dashboard drawn without colour (`NO_COLOR`), as the snapshots show it.
pub(super) fn terminal_for(app: &App) -> Terminal<TestBackend> {
    terminal_with(app, &Theme::mono())
}

pub(super) fn terminal_with(app: &App, theme: &Theme) -> Terminal<TestBackend> {
    let backend = TestBackend::new(app.size.0, app.size.1);
    let mut terminal = Terminal::new(backend).unwrap();
    terminal.draw(|f| ui::draw(f, app, theme)).unwrap();
    terminal
}

pub(super) fn render(app: &App) -> String {
    terminal_for(app).backend().to_string()
}

pub(super) fn members_loaded(h: &mut Harness, n: usize, finished: bool) {
    h.answer_members(&fx0_for(h), 0, n, finished);
}

pub(super) fn stats(h: &mut Harness) {
    h.send(Event::Stats(CallStats {
        in_flight: 0,
        total_calls: 7,
        failed_calls: 0,
        retries: 0,
        last_latency_ms: Some(41),
        ..CallStats::default()
    }));
}

/// The dashboard with a group (180 members), a message and its whole Unread list (58) open.
pub(super) fn dashboard(size: (u16, u16)) -> Harness {
    let mut h = Harness::with_group_open_sized(false, size);
    members_loaded(&mut h, 58, true);
    stats(&mut h);
    h
}

#[test]
fn start_screen_while_groups_load() {
    let mut h = Harness::new(false, (80, 24));
    h.app.start();
    insta::assert_snapshot!(render(&h.app));
}

#[test]
fn dashboard_100x30_messages_focused() {
    let h = dashboard((100, 30));
    insta::assert_snapshot!(render(&h.app));
}

#[test]
fn dashboard_80x24_members_focused_scrolled() {
    let mut h = dashboard((80, 24));
    h.send(key(KeyCode::Tab));
    for _ in 0..30 {
        h.send(ch('j'));
    }
    let screen = render(&h.app);
    assert!(screen.contains("member.0030"), "{screen}");
    assert!(screen.contains("all 58 loaded"), "{screen}");
    // The seq column stays at 80 columns: it is what an agent quotes and types.
    assert!(screen.contains("seq time"), "{screen}");
    assert!(screen.contains("1042 "), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn groups_pane_with_filter() {
    let mut h = dashboard((100, 30));
    h.send(key(KeyCode::BackTab));
    h.send(ch('/'));
    h.type_text("eng");
    h.send(key(KeyCode::Enter));
    let screen = render(&h.app);
    assert!(screen.contains("Eng Announcements"));
    assert!(!screen.contains("Launch stream"));
    insta::assert_snapshot!(screen);
}

#[test]
fn group_without_receipts_says_so() {
    let mut h = dashboard((100, 30));
    h.send(key(KeyCode::BackTab));
    h.send(ch('G'));
    h.send(key(KeyCode::Enter));
    let screen = render(&h.app);
    assert!(screen.contains("AVChatRoom groups have no read receipts"));
    // The members pane does not invite the agent to "select a message" that has no lists.
    assert!(screen.contains("no member lists"), "{screen}");
    assert!(!screen.contains("select a message"), "{screen}");
    insta::assert_snapshot!(screen);
}

/// Open "Eng Announcements" after it grew to `members` (Public): three announcements, the
/// newest two sent after it passed 200 (10062), the oldest before (with a receipt).
fn open_grown_group(size: (u16, u16), members: u64) -> Harness {
    let mut h = dashboard(size);
    let info = group("@TGS#eng", "Eng Announcements", GroupType::Public, members);
    h.app
        .groups
        .details
        .insert(info.id.clone(), GroupDetails::Loaded(info));
    h.send(key(KeyCode::BackTab));
    h.send(ch('j'));
    let fx = h.send(key(KeyCode::Enter));
    let generation = match fx.as_slice() {
        [Effect::FetchMessages { generation, .. }] => *generation,
        other => panic!("expected the first messages page, got {other:?}"),
    };
    h.api(ApiEvent::Messages {
        generation,
        result: Ok(MessagePage {
            messages: vec![
                message(
                    312,
                    "hr.bot",
                    "Benefits enrollment closes",
                    MessageKind::Normal,
                ),
                message(
                    311,
                    "ceo.office",
                    "Town hall recording is up",
                    MessageKind::Normal,
                ),
                message(
                    290,
                    "hr.bot",
                    "Welcome to the new team",
                    MessageKind::Normal,
                ),
            ],
            older: None,
        }),
    });
    let no_receipt = |seq| ReceiptCount {
        seq,
        read: None,
        unread: None,
        code: 10062,
    };
    h.api(ApiEvent::Counts {
        generation,
        origin: CountsOrigin::Page,
        seqs: vec![312, 311, 290],
        at_ms: 1_700_000_000_000,
        result: Ok(vec![no_receipt(312), no_receipt(311), count(290, 150, 29)]),
    });
    h
}

#[test]
fn group_over_200_members_says_receipts_are_capped() {
    let h = open_grown_group((100, 30), 6000);
    let screen = render(&h.app);
    // The messages pane says it on its first row; the rows follow, "—" without a receipt.
    assert!(
        screen.contains(&format!("⚠ {RECEIPT_CAP_SENTENCE}")),
        "{screen}"
    );
    assert!(screen.contains("(Public · 6,000 members)"), "{screen}");
    assert!(screen.contains("Benefits enrollment"), "{screen}");
    assert!(screen.contains("—"), "{screen}");
    assert!(
        screen.contains("150"),
        "the older message kept its receipt: {screen}"
    );
    // The members pane: the newest message has no receipt, so its list comes from the
    // members' read positions, and says so.
    assert!(screen.contains("seq 312 read position"), "{screen}");
    assert!(screen.contains("scanning read positions"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn receipt_cap_line_fits_80x24_and_a_group_at_200_has_none() {
    let h = open_grown_group((80, 24), 201);
    let screen = render(&h.app);
    assert!(
        screen.contains(RECEIPT_CAP_SENTENCE),
        "whole at 80 columns: {screen}"
    );
    assert!(screen.contains("Benefits enrollm"), "{screen}");
    let h = open_grown_group((80, 24), 200);
    let screen = render(&h.app);
    assert!(!screen.contains("read receipts work only"), "{screen}");
    assert!(
        screen.contains("seq 312 read position"),
        "no receipt: read positions: {screen}"
    );
}

#[test]
fn no_receipt_message_and_read_list() {
    let mut h = dashboard((100, 30));
    for _ in 0..3 {
        h.send(ch('j'));
    }
    h.send(key(KeyCode::Enter));
    let screen = render(&h.app);
    assert!(screen.contains("seq 1039 read position"), "{screen}");
    h.send(key(KeyCode::BackTab));
    h.send(ch('g'));
    h.send(key(KeyCode::Enter));
    h.send(ch('t'));
    let screen = render(&h.app);
    assert!(screen.contains("loading members"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn help_screen_is_generated_from_the_keymap() {
    let mut h = dashboard((100, 30));
    h.send(ch('?'));
    let screen = render(&h.app);
    assert!(screen.contains("mark a 1:1 read (admin_set_msg_read)"));
    insta::assert_snapshot!(screen);
    // Read-only: the write keys are not listed.
    let mut h = Harness::with_group_open_sized(true, (100, 30));
    h.send(ch('?'));
    let lines: Vec<String> = ui::help::lines(&h.app, &Theme::mono())
        .iter()
        .map(|l| l.to_string())
        .collect();
    assert!(!lines.iter().any(|l| l.contains("mark a 1:1")));
    assert!(lines.iter().any(|l| l.contains("Read-only mode")));
}

#[test]
fn error_in_the_status_line_keeps_the_data() {
    // The service sent part of the list (40 of 58); the next page fails.
    let mut h = Harness::with_group_open_sized(false, (100, 30));
    members_loaded(&mut h, 40, false);
    stats(&mut h);
    h.send(key(KeyCode::Tab));
    for _ in 0..35 {
        h.send(ch('j'));
    }
    let generation = h.app.members.list.generation();
    h.api(ApiEvent::Members {
        generation,
        result: Err(ApiError::Http {
            api: "get_group_msg_receipt_detail",
            status: 502,
        }),
    });
    let screen = render(&h.app);
    assert!(screen.contains("HTTP 502"), "{screen}");
    assert!(screen.contains("r to retry"), "{screen}");
    assert!(screen.contains("member.0035"), "loaded rows stay: {screen}");
    insta::assert_snapshot!(screen);
}

/// Wrong credentials on a plain 80x24 SSH session: the whole explanation and its next step
/// are on screen (the status line wraps), not cut off after a few words.
#[test]
fn wrong_key_at_80x24_shows_the_whole_next_step() {
    let mut h = Harness::new(false, (80, 24));
    h.app.start();
    h.api(ApiEvent::GroupIds {
        generation: 0,
        result: Err(ApiError::Service {
            api: "get_appid_group_list",
            code: 70009,
            info: "TLS sig verify failed".into(),
        }),
    });
    stats(&mut h);
    let screen = render(&h.app);
    let flat: String = screen
        .lines()
        .map(|l| l.trim_matches('"').trim())
        .collect::<Vec<_>>()
        .join(" ");
    let next = crate::api::error::explain_code(70009).unwrap().next_step;
    assert!(
        flat.contains(&next),
        "the next step must be whole: {screen}"
    );
    assert!(flat.contains("do not match"), "{screen}");
    // The service's own words are on screen too.
    assert!(
        flat.contains("the service says: TLS sig verify failed"),
        "{screen}"
    );
    // A wrong key does not get better by retrying: the next step says what will.
    assert!(!flat.contains("r to retry"), "{screen}");
    assert_eq!(h.app.status_rows, 4, "{screen}");
    // The panes gave up the rows: the bottom border sits right above the status rows.
    assert!(screen.lines().nth(19).unwrap().contains('┘'), "{screen}");
    insta::assert_snapshot!(screen);

    // Once the error is gone the status line is one row again.
    h.send(ch('r'));
    assert_eq!(h.app.status_rows, 1);
}

#[test]
fn events_pane_with_chart_and_feed() {
    let mut h = dashboard((100, 30));
    h.app.live.listening = Some("127.0.0.1:9000".into());
    for (i, read) in [121u64, 125, 130, 140, 150].into_iter().enumerate() {
        h.send(Event::Webhook(ReceiptEvent {
            group_id: "@TGS#ops".into(),
            group_type: "Public".into(),
            event_time_ms: 1_700_000_000_000 + (i as u64) * 30_000,
            receipts: vec![ReceiptUpdate {
                seq: 1042,
                read,
                unread: 179 - read,
                readers: vec![format!("member.{i:04}")],
            }],
        }));
    }
    h.send(ch('E'));
    let screen = render(&h.app);
    assert!(screen.contains("webhook on 127.0.0.1:9000"), "{screen}");
    assert!(screen.contains("#1042 150/179"), "{screen}");
    assert!(screen.contains("●150"), "live mark on the row: {screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn palette_lists_commands() {
    let mut h = dashboard((100, 30));
    h.send(ch(':'));
    h.send(ch('w'));
    let screen = render(&h.app);
    assert!(screen.contains("watch [SECS|off]"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn tiny_terminal_says_too_small() {
    let mut h = dashboard((100, 30));
    h.send(Event::Resize(40, 10));
    let screen = render(&h.app);
    assert!(screen.contains("terminal too small"));
    assert!(screen.contains("have 40×10"));
    insta::assert_snapshot!(screen);
}
