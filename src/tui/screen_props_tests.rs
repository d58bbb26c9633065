//! Whole-screen properties on ratatui's `TestBackend` that are asserted rather than
//! snapshotted: read-only hints, reverse video and NO_COLOR, watch polls, frame cost at any
//! list size, any terminal size, calls in flight.

use ratatui::crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};

use crate::api::CallStats;

use super::model::event::{ApiEvent, CountsOrigin, Event};
use super::screen_tests::{dashboard, members_loaded, render, terminal_with};
use super::test_harness::{Harness, ch, key};
use super::ui::theme::Theme;

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
    let h = dashboard((100, 30));
    let terminal = terminal_with(&h.app, &Theme::mono());
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
    let terminal = terminal_with(&h.app, &Theme::default());
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
            super::test_harness::count(1042, 130, 49),
            super::test_harness::count(1040, 172, 7),
        ]),
    });
    let screen = render(&h.app);
    assert!(screen.contains("watch 10s"), "{screen}");
    assert!(screen.contains("130"), "{screen}");
}

#[test]
fn frame_cost_does_not_depend_on_list_size() {
    // 100,000 members loaded: drawing touches only the visible window, so this renders
    // exactly what 100 would (same screen apart from the counts). No receipt list is this
    // long (they hold at most 199), but the drawing must not care how long a list is.
    let mut h = Harness::with_group_open_sized(false, (80, 24));
    members_loaded(&mut h, 150, true);
    h.send(key(KeyCode::Tab));
    // No service may send this list (the page checks refuse it): load it directly.
    h.app
        .members
        .list
        .set_loaded(super::test_harness::accounts(0, 100_000));
    h.app.members.sync_filter();
    assert_eq!(h.app.members.list.len(), 100_000);
    h.send(ch('G'));
    let screen = render(&h.app);
    assert!(screen.contains("member.99999"), "{screen}");
    assert!(screen.contains("100,000"), "{screen}");
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
