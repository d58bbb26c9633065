//! Names in the dashboard, through `update` and on screen: the rows on screen (and the
//! next screen) get their names in one batched lookup, no account is asked twice, `/`
//! finds a member by name, `N` looks up the rest with progress, the selected member's
//! "who is this" line, wide names that never break a column, and `v`.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use crate::api::names::{NameAnswer, NameRequest};
use crate::api::presence::OnlineStatus;
use crate::api::profiles::Profile;
use crate::api::{GroupMember, MemberNaming, MsgFlag, OnlineState};
use crate::tui::test_harness::*;

use super::model::event::{ApiEvent, Effect};
use super::model::pane::Pane;
use super::model::panes::ListPane;

fn lookups(fx: &[Effect]) -> Vec<NameRequest> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::LookupNames(r) => Some(r.clone()),
            _ => None,
        })
        .collect()
}

/// Names for `request`: a name card for every third account (wide ones among them), a
/// nickname for the rest.
fn answer(request: NameRequest) -> NameAnswer {
    let card = |a: &str| -> String {
        let n: usize = a.trim_start_matches("member.").parse().unwrap_or(0);
        match n % 6 {
            0 => "王磊 (Ops)".into(),
            3 => format!("Card {n} 🔥"),
            _ => String::new(),
        }
    };
    let members = request
        .cards
        .iter()
        .map(|a| GroupMember {
            account: a.clone(),
            role: if a.ends_with('1') { "Admin" } else { "Member" }.into(),
            join_time: 1_700_000_000,
            last_read_seq: 0,
            naming: Some(Box::new(MemberNaming {
                name_card: Some(card(a)),
                msg_flag: Some(if a.ends_with('2') {
                    MsgFlag::AcceptNotNotify
                } else {
                    MsgFlag::AcceptAndNotify
                }),
            })),
        })
        .collect();
    let profiles = request
        .nicks
        .iter()
        .map(|a| Profile {
            account: a.clone(),
            nick: format!("Nick {}", a.trim_start_matches("member.")),
            code: 0,
            info: String::new(),
        })
        .collect();
    NameAnswer {
        request,
        members: Some(Ok(members)),
        profiles: Some(Ok(profiles)),
    }
}

fn render(h: &Harness, size: (u16, u16)) -> String {
    let mut t = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
    t.draw(|f| super::ui::draw(f, &h.app, &super::ui::theme::Theme::mono()))
        .unwrap();
    t.backend().to_string()
}

/// A dashboard whose members pane lists 150 unread members of message 1042 (its counts
/// hold the list to 179).
fn with_members(size: (u16, u16)) -> (Harness, Vec<Effect>) {
    let mut h = Harness::with_group_open_sized(false, size);
    let fx = h.answer_members(&fx0_for(&h), 0, 150, true);
    (h, fx)
}

#[test]
fn the_rows_on_screen_get_their_names_in_one_lookup_and_never_twice() {
    let (mut h, fx) = with_members((100, 30));
    let asked = lookups(&fx);
    assert_eq!(asked.len(), 1, "{fx:?}");
    let request = asked[0].clone();
    assert_eq!(request.group.as_deref(), Some("@TGS#ops"));
    // The screen and the next, padded to whole batches: one call of each kind.
    assert_eq!(request.cards.len(), 50);
    assert_eq!(request.nicks.len(), 100);
    assert_eq!(request.calls(), (1, 1));
    // Nothing more while it is out.
    assert!(lookups(&h.send(ch('j'))).is_empty());
    h.api(ApiEvent::Names(answer(request.clone())));
    let screen = render(&h, (100, 30));
    assert!(
        screen.contains("member.0000           王磊 (Ops)"),
        "{screen}"
    );
    assert!(
        screen.contains("member.0001           Nick 0001"),
        "{screen}"
    );
    // Scrolling on asks only for accounts not asked before.
    h.app.focus = Pane::Members;
    let mut asked_again = std::collections::HashSet::new();
    for _ in 0..150 {
        for r in lookups(&h.send(ch('j'))) {
            for a in r.cards.iter().chain(&r.nicks) {
                assert!(
                    !request.cards.contains(a) || !r.cards.contains(a),
                    "{a} asked twice"
                );
                asked_again.insert(a.clone());
            }
            h.api(ApiEvent::Names(answer(r)));
        }
    }
    assert!(!asked_again.is_empty(), "scrolling looked more names up");
}

#[test]
fn slash_finds_a_member_by_name_and_n_looks_up_the_rest() {
    let (mut h, fx) = with_members((100, 30));
    let first = lookups(&fx).remove(0);
    h.api(ApiEvent::Names(answer(first)));
    h.app.focus = Pane::Members;
    h.send(ch('/'));
    h.type_text("card 3");
    h.send(key(KeyCode::Enter));
    // member.0003 (and 0033...) by name card; only the names known so far.
    assert!(h.app.members.selected_account().is_some());
    let screen = render(&h, (100, 30));
    assert!(screen.contains("Card 3 🔥"), "{screen}");
    assert!(
        screen.contains("names known for 50 of 150 · N: all"),
        "{screen}"
    );
    // N looks up the rest, a chunk at a time, with progress; then the search is complete.
    let fx = h.send(ch('N'));
    let mut rounds = 0;
    let mut pending = lookups(&fx);
    while let Some(r) = pending.pop() {
        rounds += 1;
        assert!(rounds < 10, "bounded");
        pending.extend(lookups(&h.api(ApiEvent::Names(answer(r)))));
    }
    let notice = h.app.status.notice.clone().unwrap_or_default();
    assert!(
        notice.contains("names known for 150 of 150: a name search is complete"),
        "{notice}"
    );
    assert!(!render(&h, (100, 30)).contains("N: all"));
}

#[test]
fn the_selected_member_says_who_they_are() {
    let (mut h, fx) = with_members((140, 30));
    h.api(ApiEvent::Names(answer(lookups(&fx).remove(0))));
    h.app.focus = Pane::Members;
    let fx = h.send(ch('j')); // member.0001: an Admin
    let account = fx
        .iter()
        .find_map(|e| match e {
            Effect::LookupPresence { account } => Some(account.clone()),
            _ => None,
        })
        .expect("the online state is asked for");
    assert_eq!(account, "member.0001");
    h.api(ApiEvent::Presence {
        account: account.clone(),
        result: Ok(vec![OnlineStatus {
            account,
            state: Some(OnlineState::Online),
            platforms: vec![crate::api::presence::PlatformState {
                platform: "iPhone".into(),
                state: Some(OnlineState::Online),
            }],
            code: 0,
        }]),
    });
    let screen = render(&h, (140, 30));
    assert!(
        screen.contains("member.0001 · Nick 0001 · Admin · joined 11-14 22:13 · Online (iPhone)"),
        "{screen}"
    );
    // Its row keeps account, name, then role and status.
    let row = screen
        .lines()
        .find(|l| {
            l.contains("member.0001 ")
                && l.contains("Nick 0001")
                && !l.contains(" · Admin · joined")
        })
        .expect("member.0001's row");
    assert!(row.contains("Admin · Online"), "{row}");
    assert!(
        row.find("member.0001").unwrap() < row.find("Nick 0001").unwrap()
            && row.find("Nick 0001").unwrap() < row.find("Admin").unwrap(),
        "{row}"
    );
    // member.0002 muted the group; asked once, answered: not asked again.
    let fx = h.send(ch('j'));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LookupPresence { .. }))
    );
    h.api(ApiEvent::Presence {
        account: "member.0002".into(),
        result: Ok(vec![]),
    });
    assert!(render(&h, (140, 30)).contains("muted the group"));
}

#[test]
fn wide_names_never_break_a_column_at_80x24_and_100x30() {
    for size in [(80, 24), (100, 30)] {
        let (mut h, fx) = with_members(size);
        h.api(ApiEvent::Names(answer(lookups(&fx).remove(0))));
        let screen = render(&h, size);
        let rows: Vec<&str> = screen.lines().filter(|l| l.contains("member.0")).collect();
        assert!(rows.len() > 5, "{screen}");
        // TestBackend quotes each row, then names the cells wide characters hide.
        let width = |l: &str| {
            let row = l.split(" Hidden by").next().unwrap_or(l);
            crate::text::width(row.trim().trim_matches('"'))
        };
        for row in &rows {
            assert_eq!(width(row), usize::from(size.0), "{size:?} {row}");
        }
        // The names start in one column whatever their width.
        let col = |l: &str, name: &str| l.find(name).map(|i| crate::text::width(&l[..i]));
        let a = rows.iter().find_map(|l| col(l, "王磊")).unwrap();
        let b = rows.iter().find_map(|l| col(l, "Nick 0001")).unwrap();
        assert_eq!(a, b, "{screen}");
    }
}

#[test]
fn v_shows_the_message_in_full_with_its_time_zone() {
    let (mut h, _) = with_members((100, 30));
    h.app.focus = Pane::Messages;
    h.send(ch('v'));
    let screen = render(&h, (100, 30));
    assert!(
        screen.contains("message 1042 · Ops War Room (@TGS#ops)"),
        "{screen}"
    );
    assert!(screen.contains("sent 2023-11-15 15:35:20 UTC"), "{screen}");
    assert!(
        screen.contains("read receipt: 121 read, 58 unread"),
        "{screen}"
    );
    assert!(screen.contains("Outage update: API latency"), "{screen}");
    // Any key closes it, and does nothing else.
    h.send(ch('j'));
    assert!(h.app.message_view.is_none());
    assert_eq!(h.app.messages.view.selected, 0);
}

#[test]
fn the_write_dialogs_name_the_accounts_they_act_on() {
    let (mut h, fx) = with_members((100, 30));
    h.api(ApiEvent::Names(answer(lookups(&fx).remove(0))));
    h.app.focus = Pane::Members;
    h.send(ch('j')); // member.0001, whose nickname is known
    h.send(ch('M'));
    let screen = render(&h, (100, 30));
    assert!(
        screen.contains("Nick 0001 · the user whose conversation is marked read"),
        "{screen}"
    );
    h.send(key(KeyCode::Esc));
    // Set-unread: the name card in the dialog's group wins, and the group is named.
    h.send(ch('k'));
    h.send(ch('U'));
    let screen = render(&h, (100, 30));
    assert!(
        screen.contains("王磊 (Ops) · the member whose unread count is set"),
        "{screen}"
    );
    assert!(screen.contains("@TGS#ops (Ops War Room)"), "{screen}");
}

#[test]
fn o_shows_the_members_not_online_then_those_who_muted_the_group() {
    let (mut h, fx) = with_members((100, 30));
    h.api(ApiEvent::Names(answer(lookups(&fx).remove(0))));
    h.app.focus = Pane::Members;
    // Not online: the online state of the whole list is looked up at once.
    let fx = h.send(ch('o'));
    let accounts = fx
        .iter()
        .find_map(|e| match e {
            Effect::LookupPresenceAll { accounts } => Some(accounts.clone()),
            _ => None,
        })
        .expect("the list's online states");
    assert_eq!(accounts.len(), 150);
    // Every third account is online; the rest are offline or push-online.
    let statuses = accounts
        .iter()
        .enumerate()
        .map(|(i, a)| OnlineStatus {
            account: a.clone(),
            state: Some(match i % 3 {
                0 => OnlineState::Online,
                1 => OnlineState::Offline,
                _ => OnlineState::PushOnline,
            }),
            platforms: vec![],
            code: 0,
        })
        .collect();
    h.api(ApiEvent::PresenceAll {
        accounts: accounts.clone(),
        result: Ok(statuses),
    });
    assert_eq!(h.app.members.visible_len(), 100);
    let screen = render(&h, (100, 30));
    assert!(screen.contains("not online · 100 matches"), "{screen}");
    // Muted: names and mutes of the whole list are looked up (N), then filtered.
    let fx = h.send(ch('o'));
    let mut pending = lookups(&fx);
    while let Some(r) = pending.pop() {
        pending.extend(lookups(&h.api(ApiEvent::Names(answer(r)))));
    }
    // `answer` mutes every account ending in 2: 15 of 150.
    assert_eq!(h.app.members.visible_len(), 15);
    assert!(render(&h, (100, 30)).contains("muted the group · 15 matches"));
    // Then everyone again; Esc clears it too.
    h.send(ch('o'));
    assert_eq!(h.app.members.visible_len(), 150);
    h.send(ch('o'));
    h.send(key(KeyCode::Esc));
    assert_eq!(h.app.members.visible_len(), 150);
}

#[test]
fn o_asks_for_rows_loaded_later_and_never_loops_on_a_failure() {
    let mut h = Harness::with_group_open_sized(false, (100, 30));
    let fx = h.answer_members(&fx0_for(&h), 0, 100, false);
    h.api(ApiEvent::Names(answer(lookups(&fx).remove(0))));
    h.app.focus = Pane::Members;
    let fx = h.send(ch('o'));
    let first = fx
        .iter()
        .find_map(|e| match e {
            Effect::LookupPresenceAll { accounts } => Some(accounts.clone()),
            _ => None,
        })
        .expect("the list's online states");
    assert_eq!(first.len(), 100);
    // The service answers none of them: kept as unknown, not asked again.
    h.api(ApiEvent::PresenceAll {
        accounts: first,
        result: Ok(vec![]),
    });
    // The next page's rows are asked for as they arrive (nothing else asked again).
    let generation = h.app.members.list.generation();
    let fx = h.api(ApiEvent::Members {
        generation,
        result: Ok(crate::api::MemberPage {
            accounts: accounts(100, 20),
            cursor: String::new(),
            finished: true,
        }),
    });
    let asked: Vec<Vec<String>> = fx
        .iter()
        .filter_map(|e| match e {
            Effect::LookupPresenceAll { accounts } => Some(accounts.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(asked.len(), 1, "{fx:?}");
    assert_eq!(asked[0].len(), 20);
    // A failed lookup is not asked again and again.
    h.api(ApiEvent::PresenceAll {
        accounts: asked[0].clone(),
        result: Err(crate::api::ApiError::Timeout {
            api: "openim/query_online_status",
            secs: 10,
        }),
    });
    let fx = h.send(ch('j'));
    assert!(
        !fx.iter()
            .any(|e| matches!(e, Effect::LookupPresenceAll { .. })),
        "{fx:?}"
    );
    assert!(h.app.status.error.is_some());
}

#[test]
fn message_senders_get_their_names_beside_their_accounts() {
    let mut h = Harness::with_group_open_sized(false, (100, 30));
    // The senders on screen were asked about when the page came, once each, in the open
    // group; beside (not instead of) the member rows' own lookup.
    let request = h
        .app
        .messages
        .names_in_flight
        .clone()
        .expect("a sender lookup");
    assert_eq!(request.group.as_deref(), Some("@TGS#ops"));
    let mut cards = request.cards.clone();
    cards.sort();
    assert_eq!(cards, ["ops.lead", "sre.oncall", "status.bot"]);
    let fx = h.answer_members(&fx0_for(&h), 0, 150, true);
    assert_eq!(
        lookups(&fx).len(),
        1,
        "the members' names do not wait: {fx:?}"
    );
    let nick = |a: &str| Profile {
        account: a.into(),
        nick: match a {
            "ops.lead" => "李伟 Li Wei".into(),
            _ => String::new(),
        },
        code: 0,
        info: String::new(),
    };
    h.api(ApiEvent::Names(NameAnswer {
        members: Some(Ok(Vec::new())),
        profiles: Some(Ok(request.nicks.iter().map(|a| nick(a)).collect())),
        request,
    }));
    assert!(h.app.messages.names_in_flight.is_none());
    // Nothing is asked again for the same senders.
    assert!(lookups(&h.send(ch('j'))).is_empty());
    h.send(ch('k'));
    // The selected message's sender, by name, on the Messages border while it has the focus.
    h.app.focus = Pane::Messages;
    let screen = render(&h, (100, 30));
    assert!(screen.contains("from ops.lead · 李伟 Li Wei"), "{screen}");
    // A wide screen has room for the name in the sender column, after the account.
    let wide = render(&h, (160, 30));
    assert!(
        wide.lines()
            .any(|l| l.contains("ops.lead 李伟 Li Wei") && l.contains("1042")),
        "{wide}"
    );
    // At 80x24 the column keeps the account; the border still names the sender.
    let small = render(&h, (80, 24));
    assert!(small.contains("ops.lead"), "{small}");
    assert!(small.contains("· 李伟"), "{small}");
}

#[test]
fn a_lookup_that_fails_on_the_way_is_not_asked_again_until_a_key() {
    let mut h = Harness::with_group_open_sized(false, (100, 30));
    let request = h
        .app
        .messages
        .names_in_flight
        .clone()
        .expect("a sender lookup");
    let lost = || crate::api::ApiError::Transport {
        api: "portrait_get",
        detail: "connection refused".into(),
    };
    // The service is unreachable: the lookup fails on the way; its accounts are forgotten
    // (to be asked again), but not at once, in a loop, by the update that brought the failure.
    let fx = h.api(ApiEvent::Names(NameAnswer {
        members: Some(Err(lost())),
        profiles: Some(Err(lost())),
        request: request.clone(),
    }));
    assert!(lookups(&fx).is_empty(), "{fx:?}");
    assert!(
        h.app
            .status
            .notice
            .clone()
            .unwrap_or_default()
            .contains("next key")
    );
    // Other events do not start it again either; a key does.
    assert!(lookups(&h.api(ApiEvent::Names(answer(NameRequest::default())))).is_empty());
    let again = lookups(&h.send(ch('j')));
    assert_eq!(again.len(), 1, "asked again after a key");
    assert_eq!(again[0].cards.len(), request.cards.len());
    // A refusal by the service is kept (never asked again) and pauses nothing: the member
    // rows' names are looked up without waiting for a key.
    let refused = || crate::api::ApiError::Service {
        api: "get_specified_group_member_info",
        code: 10007,
        info: "no permission".into(),
    };
    let fx = h.api(ApiEvent::Names(NameAnswer {
        members: Some(Err(refused())),
        profiles: Some(Err(refused())),
        request: again[0].clone(),
    }));
    assert!(!h.app.members.names_paused);
    let fx = [fx, h.answer_members(&fx0_for(&h), 0, 150, true)].concat();
    assert_eq!(lookups(&fx).len(), 1, "{fx:?}");
}
