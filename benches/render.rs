//! Frame cost of the dashboard: drawing with 100 members loaded must cost the same as with
//! 100,000 (only the visible window is turned into widgets), and so must a key press.
//!
//! Run with `cargo bench --bench render`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
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
    let mut app = App::new(ctx, Theme::default(), (100, 30));
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
                        accounts: (0..members).map(|i| format!("member.{i:06}")).collect(),
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

fn bench(c: &mut Criterion) {
    let mut draw = c.benchmark_group("draw_frame_100x30");
    for members in [100usize, 100_000] {
        let app = app_with_members(members);
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
        draw.bench_with_input(BenchmarkId::from_parameter(members), &app, |b, app| {
            b.iter(|| {
                terminal
                    .draw(|f| ui::draw(f, black_box(app)))
                    .expect("draw");
            })
        });
    }
    draw.finish();

    let mut keys = c.benchmark_group("update_key_j");
    for members in [100usize, 100_000] {
        let mut app = app_with_members(members);
        keys.bench_function(BenchmarkId::from_parameter(members), |b| {
            b.iter(|| {
                black_box(update(&mut app, key('j')));
                black_box(update(&mut app, key('k')));
            })
        });
    }
    keys.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
