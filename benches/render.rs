//! Frame cost of the dashboard: drawing with 100 members loaded must cost the same as with
//! 10,000 or 100,000 (only the visible window is turned into widgets), and so must a key
//! press. Also the memory the dashboard's state costs with 100,000 members loaded.
//!
//! Run with `cargo bench --bench render` (about 20 s). Prints plain lines:
//! - the resident memory the state of 100,000 loaded members adds (VmRSS before/after),
//!   against the bytes of the account names themselves;
//! - frame time (a full `ui::draw` into a 100x30 test backend) with 100, 10,000 and
//!   100,000 members, each as a ratio to the 100-member frame;
//! - the naive alternative DESIGN.md warns about: a widget row (ratatui `ListItem`) built
//!   for every loaded member and handed to a `List` on each frame, in place of our
//!   windowed rows, as a ratio to our frame with the same members;
//! - the cost of one `j` (+ `k`) key press through `update` at each size.

// Tests and benchmarks fail by panicking (unwrap, expect, assert), and signal the
// processes they start (kill(2)): the lint wall's rules are for the program, not for them.
#![allow(unsafe_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::widgets::{List, ListItem, ListState};
use tim_receipts::api::{
    GroupIdPage, GroupInfo, GroupType, MemberPage, Message, MessagePage, ReceiptCount,
};
use tim_receipts::tui::app::{App, AppContext, update};
use tim_receipts::tui::event::{ApiEvent, CountsOrigin, Effect, Event};
use tim_receipts::tui::ui;
use tim_receipts::tui::ui::theme::Theme;

fn key(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// A dashboard with one group open, 20 messages with counts and `members` members loaded.
fn app_with_members(members: usize) -> App {
    let ctx = AppContext {
        profile: "bench".into(),
        location: "nowhere".into(),
        sdkappid: 1,
        read_only: false,
        budget_per_sec: 20,
        watch_interval: Duration::from_secs(10),
        utc_offset: time::UtcOffset::UTC,
        audit_log: None,
    };
    let mut app = App::new(ctx, (100, 30));
    let mut fx = app.start();
    let mut pending: Vec<Effect> = Vec::new();
    // Answer every effect with made-up data until the members list holds `members`.
    for _ in 0..20 {
        pending.append(&mut fx);
        for effect in pending.drain(..) {
            let event = match effect {
                Effect::FetchGroupIds { generation, .. } => ApiEvent::GroupIds {
                    generation,
                    result: Ok(GroupIdPage {
                        ids: vec!["@TGS#bench".into()],
                        next: 0,
                        total: 1,
                    }),
                },
                Effect::FetchGroupInfo { ids } => ApiEvent::GroupInfo {
                    result: Ok(ids
                        .iter()
                        .map(|id| GroupInfo {
                            id: id.clone(),
                            name: "Bench".into(),
                            group_type: Some(GroupType::Public),
                            member_num: members as u64,
                            next_msg_seq: 101,
                            ..Default::default()
                        })
                        .collect()),
                    ids,
                },
                Effect::FetchMessages { generation, .. } => ApiEvent::Messages {
                    generation,
                    result: Ok(MessagePage {
                        messages: (81..=100)
                            .rev()
                            .map(|seq| Message {
                                seq,
                                time: 1_700_000_000 + seq as i64,
                                from: "someone".into(),
                                text: "a message with a read receipt".into(),
                                ..Default::default()
                            })
                            .collect(),
                        older: None,
                    }),
                },
                Effect::FetchCounts {
                    generation, seqs, ..
                } => ApiEvent::Counts {
                    generation,
                    origin: CountsOrigin::Page,
                    at_ms: 0,
                    result: Ok(seqs
                        .iter()
                        .map(|&seq| ReceiptCount {
                            seq,
                            read: Some(1),
                            unread: Some(members as u64),
                            code: 0,
                        })
                        .collect()),
                    seqs,
                },
                Effect::FetchMembers { generation, .. } => ApiEvent::Members {
                    generation,
                    result: Ok(MemberPage {
                        accounts: (0..members.min(199))
                            .map(|i| format!("member.{i:06}"))
                            .collect(),
                        cursor: String::new(),
                        finished: true,
                    }),
                },
                _ => continue,
            };
            fx.extend(update(&mut app, Event::Api(event)));
        }
        if fx.is_empty() && app.messages.group.is_none() {
            fx.extend(update(
                &mut app,
                Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
            ));
        }
    }
    // No service may send a receipt list over 199 (the page checks refuse one): the
    // bigger lists, which measure how drawing scales, are loaded directly.
    app.members
        .list
        .set_loaded((0..members).map(|i| format!("member.{i:06}")).collect());
    app.members.sync_filter();
    assert_eq!(app.members.list.len(), members, "bench setup");
    update(
        &mut app,
        Event::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)),
    );
    for _ in 0..(members / 2).min(5_000) {
        update(&mut app, key('j'));
    }
    app
}

/// Median per-iteration time of `f`, over `batches` batches of `per_batch` calls after a
/// warm-up batch.
fn per_call(batches: usize, per_batch: usize, mut f: impl FnMut()) -> Duration {
    for _ in 0..per_batch {
        f();
    }
    let mut samples: Vec<Duration> = (0..batches)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..per_batch {
                f();
            }
            start.elapsed() / per_batch as u32
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// This process's resident memory (VmRSS), in KiB, from /proc/self/status.
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Our frame, then the naive members pane drawn over it: every loaded member turned into a
/// `ListItem` and the whole list handed to a `List` (which then picks the visible part).
fn draw_naive(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal
        .draw(|f| {
            ui::draw(f, app, &Theme::default());
            let Some(areas) = ui::layout::areas(f.area(), app.show_events, app.status_rows) else {
                return;
            };
            let items: Vec<ListItem> = app
                .members
                .list
                .items()
                .iter()
                .map(|account| ListItem::new(account.as_str()))
                .collect();
            let mut state = ListState::default().with_selected(Some(app.members.view.selected));
            f.render_stateful_widget(List::new(items), areas.members, &mut state);
        })
        .expect("draw");
}

const SIZES: [usize; 3] = [100, 10_000, 100_000];

fn main() {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "render (tim-receipts {}, {} build, {cores} cores, 100x30 frame)",
        env!("CARGO_PKG_VERSION"),
        if cfg!(debug_assertions) {
            "DEBUG - numbers are not representative"
        } else {
            "release"
        }
    );

    // Memory first, in a fresh process: what 100,000 loaded members add to the state.
    let before = rss_kib();
    let big = app_with_members(100_000);
    let after = rss_kib();
    let names: usize = big.members.list.items().iter().map(String::len).sum();
    let grown = after.saturating_sub(before);
    println!(
        "memory: 100,000 members loaded add {:.1} MiB resident (VmRSS {:.1} -> {:.1} MiB); \
         the account names alone are {:.1} MiB; {:.0} bytes per member",
        grown as f64 / 1024.0,
        before as f64 / 1024.0,
        after as f64 / 1024.0,
        names as f64 / 1_048_576.0,
        grown as f64 * 1024.0 / 100_000.0
    );
    drop(big);

    let apps: Vec<(usize, App)> = SIZES.iter().map(|&n| (n, app_with_members(n))).collect();
    let mut frame_times = Vec::new();
    for (members, app) in &apps {
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
        let ours = per_call(15, 200, || {
            terminal
                .draw(|f| ui::draw(f, black_box(app), &Theme::default()))
                .expect("draw");
        });
        frame_times.push((*members, ours));
    }
    let base = frame_times[0].1;
    for (members, t) in &frame_times {
        println!(
            "frame with {members:>7} members: {:>7.1} µs, ratio to 100 members {:.2}",
            us(*t),
            t.as_secs_f64() / base.as_secs_f64()
        );
    }
    for ((members, app), (_, ours)) in apps.iter().zip(&frame_times) {
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
        // Fewer calls for the big list: the naive frame is what is slow there.
        let per_batch = if *members >= 100_000 { 5 } else { 50 };
        let naive = per_call(7, per_batch, || draw_naive(&mut terminal, black_box(app)));
        println!(
            "naive frame (a ListItem per loaded member) with {members:>7} members: {:>9.1} µs, \
             ratio to ours {:.1}",
            us(naive),
            naive.as_secs_f64() / ours.as_secs_f64()
        );
    }
    let mut key_base = None;
    for (members, mut app) in apps {
        let t = per_call(15, 500, || {
            black_box(update(&mut app, key('j')));
            black_box(update(&mut app, key('k')));
        }) / 2;
        let base = *key_base.get_or_insert(t);
        println!(
            "one key (j or k) through update with {members:>7} members: {:>6.2} µs, ratio to 100 members {:.2}",
            us(t),
            t.as_secs_f64() / base.as_secs_f64()
        );
    }
}
