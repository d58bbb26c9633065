//! Whole-screen tests on ratatui's `TestBackend`: each pane, each modal, help, errors,
//! 80x24 and a tiny terminal. Snapshots live in `src/tui/snapshots/`.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};

use crate::api::{ApiError, CallStats};
use crate::webhook::{ReceiptEvent, ReceiptUpdate};

use super::app::App;
use super::event::{ApiEvent, CountsOrigin, Event};
use super::test_harness::{Harness, ch, fx0_for, key};
use super::ui;
use super::ui::theme::Theme;

fn terminal_for(app: &App) -> Terminal<TestBackend> {
    let backend = TestBackend::new(app.size.0, app.size.1);
    let mut terminal = Terminal::new(backend).unwrap();
    terminal.draw(|f| ui::draw(f, app)).unwrap();
    terminal
}

pub(super) fn render(app: &App) -> String {
    terminal_for(app).backend().to_string()
}

fn members_loaded(h: &mut Harness, n: usize, finished: bool) {
    h.answer_members(&fx0_for(h), 0, n, finished);
}

fn stats(h: &mut Harness) {
    h.send(Event::Stats(CallStats {
        in_flight: 0,
        total_calls: 7,
        failed_calls: 0,
        retries: 0,
        last_latency_ms: Some(41),
        ..CallStats::default()
    }));
}

/// The dashboard with a group, a message and a page of members open.
pub(super) fn dashboard(size: (u16, u16)) -> Harness {
    let mut h = Harness::with_group_open_sized(false, size);
    members_loaded(&mut h, 200, false);
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
    assert!(screen.contains("200 of 1,709 loaded"), "{screen}");
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

#[test]
fn no_receipt_message_and_read_list() {
    let mut h = dashboard((100, 30));
    for _ in 0..3 {
        h.send(ch('j'));
    }
    h.send(key(KeyCode::Enter));
    let screen = render(&h.app);
    assert!(
        screen.contains("message 1039 has no read receipt"),
        "{screen}"
    );
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
    assert!(screen.contains("mark a 1:1 conversation read"));
    insta::assert_snapshot!(screen);
    // Read-only: the write keys are not listed.
    let mut h = Harness::with_group_open_sized(true, (100, 30));
    h.send(ch('?'));
    let lines: Vec<String> = ui::help::lines(&h.app)
        .iter()
        .map(|l| l.to_string())
        .collect();
    assert!(!lines.iter().any(|l| l.contains("mark a 1:1")));
    assert!(lines.iter().any(|l| l.contains("Read-only mode")));
}

#[test]
fn error_in_the_status_line_keeps_the_data() {
    let mut h = dashboard((100, 30));
    h.send(key(KeyCode::Tab));
    for _ in 0..180 {
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
    assert!(screen.contains("member.0180"), "loaded rows stay: {screen}");
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
    assert!(flat.contains("r to retry"), "{screen}");
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
    for (i, read) in [4102u64, 4150, 4300, 4700, 5200].into_iter().enumerate() {
        h.send(Event::Webhook(ReceiptEvent {
            group_id: "@TGS#ops".into(),
            group_type: "Public".into(),
            event_time_ms: 1_700_000_000_000 + (i as u64) * 30_000,
            receipts: vec![ReceiptUpdate {
                seq: 1042,
                read,
                unread: 5811 - read,
                readers: vec![format!("member.{i:04}")],
            }],
        }));
    }
    h.send(ch('E'));
    let screen = render(&h.app);
    assert!(screen.contains("webhook on 127.0.0.1:9000"), "{screen}");
    assert!(screen.contains("#1042 5,200/5,811"), "{screen}");
    assert!(screen.contains("●5,200"), "live mark on the row: {screen}");
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

#[test]
fn read_only_header_and_no_write_hints() {
    let mut h = Harness::with_group_open_sized(true, (120, 30));
    members_loaded(&mut h, 10, true);
    h.send(key(KeyCode::Tab));
    let screen = render(&h.app);
    assert!(screen.contains("READ-ONLY"));
    assert!(!screen.contains("M mark read"));
    let mut h = Harness::with_group_open_sized(false, (120, 30));
    members_loaded(&mut h, 10, true);
    h.send(key(KeyCode::Tab));
    assert!(render(&h.app).contains("M mark read"));
}

#[test]
fn selection_is_reverse_video_and_no_color_has_no_colour() {
    let mut h = dashboard((100, 30));
    h.app.theme = Theme::mono();
    let terminal = terminal_for(&h.app);
    let buffer = terminal.backend().buffer();
    // Find the selected message row (seq 1042) and check it is reversed.
    let row = (0..buffer.area.height)
        .find(|&y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect::<String>()
                .contains("Outage update")
        })
        .unwrap();
    let x = (0..buffer.area.width)
        .find(|&x| buffer[(x, row)].symbol() == "O")
        .unwrap();
    assert!(buffer[(x, row)].modifier.contains(Modifier::REVERSED));
    for cell in buffer.content() {
        assert_eq!(cell.fg, Color::Reset, "NO_COLOR: no foreground colour");
        assert_eq!(cell.bg, Color::Reset, "NO_COLOR: no background colour");
    }
    // With colour: the focused border is coloured, backgrounds stay the terminal's own.
    h.app.theme = Theme::default();
    let terminal = terminal_for(&h.app);
    let buffer = terminal.backend().buffer();
    assert!(buffer.content().iter().any(|c| c.fg == Color::Cyan));
    assert!(buffer.content().iter().all(|c| c.bg == Color::Reset));
}

#[test]
fn watch_poll_and_counts_error_marks() {
    let mut h = dashboard((100, 30));
    h.send(ch('w'));
    let generation = h.app.messages.list.generation();
    h.api(ApiEvent::Counts {
        generation,
        origin: CountsOrigin::Poll,
        seqs: vec![1042, 1040],
        at_ms: 1_700_000_010_000,
        result: Ok(vec![
            super::test_harness::count(1042, 4300, 1511),
            super::test_harness::count(1040, 5800, 11),
        ]),
    });
    let screen = render(&h.app);
    assert!(screen.contains("watch 10s"), "{screen}");
    assert!(screen.contains("4,300"), "{screen}");
}

#[test]
fn frame_cost_does_not_depend_on_list_size() {
    // 100,000 members loaded: drawing touches only the visible window, so this renders
    // exactly what 100 would (same screen apart from the counts).
    let mut h = dashboard((80, 24));
    h.send(key(KeyCode::Tab));
    // G jumps to the last loaded row, which asks for the next page: answer it big.
    let fx = h.send(ch('G'));
    assert!(h.app.members.list.is_loading(), "{fx:?}");
    let generation = h.app.members.list.generation();
    h.api(ApiEvent::Members {
        generation,
        result: Ok(crate::api::MemberPage {
            accounts: super::test_harness::accounts(200, 99_800),
            cursor: "x".into(),
            finished: true,
        }),
    });
    assert_eq!(h.app.members.list.len(), 100_000);
    h.send(ch('G'));
    let screen = render(&h.app);
    assert!(screen.contains("member.99999"), "{screen}");
    assert!(
        screen.contains("100,000 of 1,709 loaded") || screen.contains("100,000"),
        "{screen}"
    );
}

#[test]
fn any_size_draws_without_panicking() {
    let sizes_w = [1u16, 10, 40, 59, 60, 61, 80, 120, 250];
    let sizes_h = [1u16, 5, 14, 15, 16, 24, 60];
    // Every overlay: none, help, palette, each dialog, the live pane.
    for overlay in 0..6 {
        let mut h = dashboard((100, 30));
        match overlay {
            1 => {
                h.send(ch('?'));
            }
            2 => {
                h.send(ch(':'));
            }
            3 => {
                h.send(key(KeyCode::Tab));
                h.send(ch('M'));
            }
            4 => {
                h.send(key(KeyCode::Tab));
                h.send(ch('U'));
            }
            5 => {
                h.send(ch('E'));
            }
            _ => {}
        }
        for &w in &sizes_w {
            for &hh in &sizes_h {
                h.send(Event::Resize(w, hh));
                let screen = render(&h.app);
                assert!(!screen.is_empty());
                if w >= 60 && hh >= 15 {
                    assert!(!screen.contains("terminal too small"), "{w}x{hh}");
                }
            }
        }
    }
}

#[test]
fn status_line_shows_calls_in_flight() {
    let mut h = dashboard((100, 30));
    h.send(Event::Stats(CallStats {
        in_flight: 2,
        total_calls: 9,
        failed_calls: 1,
        retries: 0,
        last_latency_ms: Some(305),
        ..CallStats::default()
    }));
    let screen = render(&h.app);
    assert!(
        screen.contains("2 in flight · 9 calls · 305 ms · 1 failed"),
        "{screen}"
    );
}
